/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * framedecimate: exact kept frames and timestamps for every mode, with
 * GstHarness (buffers of known timestamps and contents) and real pipelines.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include <palette/sampling-event.h>

#define MS (GST_MSECOND)

/* A 5 s VP8 clip, 30 fps, key frames every 30 frames; named in main(),
 * made by the first test that needs it (not in main: a process that ran
 * pipelines must not fork, its thread pools would not survive) */
static gchar *clip_dir;
static gchar *vp8_clip;
/* The same with a single key frame, at 0 */
static gchar *vp8_one_key_clip;

static void ensure_vp8_clip (void);
static void ensure_clip (const gchar * path, guint key_distance);
static void flush (GstHarness * h);

/* ---------- helpers ---------- */

static GstClockTime
frame_pts (guint i, gint fps)
{
  return gst_util_uint64_scale (i, GST_SECOND, fps);
}

static GstHarness *
harness_new (const gchar * mode, const gchar * caps)
{
  GstHarness *h = gst_harness_new ("framedecimate");

  gst_util_set_object_arg (G_OBJECT (h->element), "mode", mode);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstFlowReturn
push_frame (GstHarness * h, GstClockTime pts, gboolean delta)
{
  GstBuffer *buf = gst_harness_create_buffer (h, 16 * 16 * 4);

  GST_BUFFER_PTS (buf) = pts;
  if (delta)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return gst_harness_push (h, buf);
}

/* Pulls everything the element let through: timestamps and DISCONT flags */
static GArray *
pull_all (GstHarness * h, GArray ** disconts)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  GstBuffer *buf;

  if (disconts)
    *disconts = g_array_new (FALSE, FALSE, sizeof (gboolean));
  while ((buf = gst_harness_try_pull (h))) {
    GstClockTime t = GST_BUFFER_PTS (buf);
    gboolean d = GST_BUFFER_IS_DISCONT (buf);

    g_array_append_val (pts, t);
    if (disconts)
      g_array_append_val (*disconts, d);
    gst_buffer_unref (buf);
  }
  return pts;
}

static void
assert_pts (GArray * got, const GstClockTime * expected, guint n)
{
  guint i;

  fail_unless_equals_int (got->len, n);
  for (i = 0; i < n; i++)
    fail_unless (g_array_index (got, GstClockTime, i) == expected[i],
        "kept frame %u at %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT,
        i, GST_TIME_ARGS (g_array_index (got, GstClockTime, i)),
        GST_TIME_ARGS (expected[i]));
}

static void
assert_counters (GstElement * fd, guint64 in, guint64 out, guint64 drop)
{
  guint64 i, o, d;

  g_object_get (fd, "in", &i, "out", &o, "drop", &d, NULL);
  fail_unless_equals_uint64 (i, in);
  fail_unless_equals_uint64 (o, out);
  fail_unless_equals_uint64 (d, drop);
}

/* After a seek sampler's end: it kept OUT frames and counted in each frame
 * it received, which is every frame DECODED but perhaps the one upstream
 * pushed after the element's EOS flow return (it may not reach the element
 * before the stream stops: under ASan it did not, once) */
static void
assert_counters_at_end (GstElement * fd, guint64 decoded, guint64 out)
{
  guint64 i, o, d;

  g_object_get (fd, "in", &i, "out", &o, "drop", &d, NULL);
  fail_unless_equals_uint64 (o, out);
  fail_unless (i == decoded || i + 1 == decoded, "in %" G_GUINT64_FORMAT
      ", decoded %" G_GUINT64_FORMAT, i, decoded);
  fail_unless_equals_uint64 (d, i - out);
}

static void
assert_src_framerate (GstHarness * h, gint num, gint den)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  gint n = -1, d = -1;

  fail_unless (caps != NULL);
  fail_unless (gst_structure_get_fraction (gst_caps_get_structure (caps, 0),
          "framerate", &n, &d));
  fail_unless_equals_int (n, num);
  fail_unless_equals_int (d, den);
  gst_caps_unref (caps);
}

typedef struct
{
  GMutex lock;
  GArray *pts;
  guint decoded;
  guint warnings;
  gboolean only_key;            /* collect the buffers without DELTA_UNIT */
  GPtrArray *checksums;         /* NULL, or the MD5 of each collected buffer */
} Collected;

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Collected * c)
{
  GstClockTime t = GST_BUFFER_PTS (buf);

  if (c->only_key && GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT))
    return;
  g_mutex_lock (&c->lock);
  g_array_append_val (c->pts, t);
  if (c->checksums) {
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    g_ptr_array_add (c->checksums, g_compute_checksum_for_data (G_CHECKSUM_MD5,
            map.data, map.size));
    gst_buffer_unmap (buf, &map);
  }
  g_mutex_unlock (&c->lock);
}

static void
on_decoded (GstElement * identity, GstBuffer * buf, Collected * c)
{
  g_mutex_lock (&c->lock);
  c->decoded++;
  g_mutex_unlock (&c->lock);
}

static void
collected_init (Collected * c)
{
  g_mutex_init (&c->lock);
  c->pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  c->decoded = 0;
  c->warnings = 0;
  c->only_key = FALSE;
  c->checksums = NULL;
}

static void
collected_clear (Collected * c)
{
  g_array_unref (c->pts);
  if (c->checksums)
    g_ptr_array_unref (c->checksums);
  g_mutex_clear (&c->lock);
}

/* Waits for @type (or fails on an error), counting warnings */
static void
wait_for (GstElement * pipeline, GstMessageType type, Collected * c)
{
  GstBus *bus = gst_element_get_bus (pipeline);

  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        type | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);

    fail_unless (msg != NULL, "timeout waiting for %s",
        gst_message_type_get_name (type));
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
          err->message, dbg);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
      c->warnings++;
      gst_message_unref (msg);
      continue;
    }
    gst_message_unref (msg);
    break;
  }
  gst_object_unref (bus);
}

/* Builds @desc (with a fakesink named "sink", optionally an identity named
 * "decoded"), connects the counters and returns it in READY */
static GstElement *
pipeline_new (const gchar * desc, Collected * c)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstElement *sink, *decoded;

  fail_unless (pipeline != NULL, "%s: %s", desc, err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless (sink != NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), c);
  gst_object_unref (sink);

  decoded = gst_bin_get_by_name (GST_BIN (pipeline), "decoded");
  if (decoded) {
    g_signal_connect (decoded, "handoff", G_CALLBACK (on_decoded), c);
    gst_object_unref (decoded);
  }
  return pipeline;
}

/* Runs @desc to EOS; returns the element named "fd" (a new ref) or NULL */
static GstElement *
run_pipeline (const gchar * desc, Collected * c)
{
  GstElement *pipeline = pipeline_new (desc, c);
  GstElement *fd;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  wait_for (pipeline, GST_MESSAGE_EOS, c);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  fd = gst_bin_get_by_name (GST_BIN (pipeline), "fd");
  gst_object_unref (pipeline);
  return fd;
}

/* ---------- properties ---------- */

GST_START_TEST (test_properties)
{
  GstElement *fd = gst_element_factory_make ("framedecimate", NULL);
  GObjectClass *klass = G_OBJECT_GET_CLASS (fd);
  GParamSpec *p;
  GEnumClass *enum_class;
  guint step, count;
  guint64 interval;
  gdouble threshold;

  fail_unless (fd != NULL);
  g_object_get (fd, "step", &step, "count", &count, "interval", &interval,
      "scene-threshold", &threshold, NULL);
  fail_unless_equals_int (step, 60);
  fail_unless_equals_int (count, 100);
  fail_unless_equals_uint64 (interval, 2500 * MS);
  fail_unless (threshold > 0.0 && threshold < 1.0);

  g_object_get (fd, "mode", &step, NULL);
  enum_class = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE
      (g_object_class_find_property (klass, "mode")));
  fail_unless_equals_string (g_enum_get_value (enum_class, step)->value_nick,
      "every-nth");
  fail_unless_equals_int (enum_class->n_values, 6);
  g_type_class_unref (enum_class);

  p = g_object_class_find_property (klass, "step");
  fail_unless_equals_int (G_PARAM_SPEC_UINT (p)->minimum, 1);
  p = g_object_class_find_property (klass, "count");
  fail_unless_equals_int (G_PARAM_SPEC_UINT (p)->minimum, 1);
  p = g_object_class_find_property (klass, "interval");
  fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (p)->minimum, 1);
  p = g_object_class_find_property (klass, "scene-threshold");
  fail_unless_equals_float (G_PARAM_SPEC_DOUBLE (p)->minimum, 0.0);
  fail_unless_equals_float (G_PARAM_SPEC_DOUBLE (p)->maximum, 1.0);
  p = g_object_class_find_property (klass, "in");
  fail_unless ((p->flags & G_PARAM_WRITABLE) == 0);
  p = g_object_class_find_property (klass, "out");
  fail_unless ((p->flags & G_PARAM_WRITABLE) == 0);
  p = g_object_class_find_property (klass, "drop");
  fail_unless ((p->flags & G_PARAM_WRITABLE) == 0);

  /* every documented mode exists by its nick */
  gst_util_set_object_arg (G_OBJECT (fd), "mode", "keyframes");
  g_object_get (fd, "mode", &step, NULL);
  fail_unless_equals_int (step, 4);
  gst_util_set_object_arg (G_OBJECT (fd), "mode", "scene");
  g_object_get (fd, "mode", &step, NULL);
  fail_unless_equals_int (step, 3);

  fail_unless_equals_string (gst_element_class_get_metadata
      (GST_ELEMENT_GET_CLASS (fd), GST_ELEMENT_METADATA_KLASS), "Filter/Video");
  gst_object_unref (fd);
}

GST_END_TEST;

/* ---------- every-nth ---------- */

GST_START_TEST (test_every_nth_harness)
{
  GstHarness *h = harness_new ("every-nth",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime expected[] = { frame_pts (0, 30), frame_pts (3, 30),
    frame_pts (6, 30), frame_pts (9, 30)
  };
  GArray *pts, *disconts;
  guint i;

  g_object_set (h->element, "step", 3, NULL);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (push_frame (h, frame_pts (i, 30), FALSE),
        GST_FLOW_OK);

  pts = pull_all (h, &disconts);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  /* the first kept buffer after a drop is DISCONT, the very first is not */
  fail_if (g_array_index (disconts, gboolean, 0));
  for (i = 1; i < disconts->len; i++)
    fail_unless (g_array_index (disconts, gboolean, i));
  assert_counters (h->element, 10, 4, 6);
  /* a constant rate stays constant: 30/3 */
  assert_src_framerate (h, 10, 1);

  g_array_unref (pts);
  g_array_unref (disconts);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_every_nth_pipeline)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, 2 * GST_SECOND, 4 * GST_SECOND,
    6 * GST_SECOND, 8 * GST_SECOND
  };

  collected_init (&c);
  /* min-frames=0: plain every-nth, whatever the length */
  fd = run_pipeline ("videotestsrc num-buffers=300 ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! framedecimate name=fd "
      "min-frames=0 ! fakesink name=sink", &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  assert_counters (fd, 300, 5, 295);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* ---------- every-nth: min-frames on short films ---------- */

/* What left the element, in order: 'E' a sampling event, 'B' a buffer */
typedef struct
{
  GString *order;
  GPtrArray *events;            /* the sampling events */
} SamplingLog;

/* What the harness's upstream answers: a duration (NONE: none) and
 * whether it is live */
static GstPadQueryFunction film_src_query;
static GstClockTime film_duration;
static gboolean film_live;

static gboolean
answer_film (GstPad * pad, GstObject * parent, GstQuery * query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_DURATION:{
      GstFormat format;

      gst_query_parse_duration (query, &format, NULL);
      if (format != GST_FORMAT_TIME || film_duration == GST_CLOCK_TIME_NONE)
        return FALSE;
      gst_query_set_duration (query, GST_FORMAT_TIME, film_duration);
      return TRUE;
    }
    case GST_QUERY_LATENCY:
      gst_query_set_latency (query, film_live, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    default:
      return film_src_query (pad, parent, query);
  }
}

/* framedecimate every-nth at @fps over @frames frames of a film of
 * @duration, with step @step and the default min-frames (100); the caps
 * and segment come after the query function, as from a demuxer */
static GstHarness *
film_harness_new (GstClockTime duration, gboolean live, const gchar * fps,
    guint step)
{
  GstHarness *h = gst_harness_new ("framedecimate");
  gchar *caps = g_strdup_printf ("video/x-raw,format=RGBx,width=16,"
      "height=16,framerate=%s", fps);

  film_duration = duration;
  film_live = live;
  film_src_query = GST_PAD_QUERYFUNC (h->srcpad);
  gst_pad_set_query_function (h->srcpad, answer_film);
  g_object_set (h->element, "step", step, NULL);
  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);
  return h;
}

/* Pushes frames 0 … @n − 1 at 30 fps and checks that frames 0, @kept_step,
 * 2·@kept_step, … come out; returns how many */
static guint
push_and_check_every (GstHarness * h, guint n, guint kept_step)
{
  GArray *pts;
  guint i, kept;

  for (i = 0; i < n; i++)
    fail_unless_equals_int (push_frame (h, frame_pts (i, 30), FALSE),
        GST_FLOW_OK);
  pts = pull_all (h, NULL);
  kept = (n + kept_step - 1) / kept_step;
  fail_unless_equals_int (pts->len, kept);
  for (i = 0; i < kept; i++)
    fail_unless (g_array_index (pts, GstClockTime, i) ==
        frame_pts (i * kept_step, 30), "kept frame %u at %" GST_TIME_FORMAT,
        i, GST_TIME_ARGS (g_array_index (pts, GstClockTime, i)));
  g_array_unref (pts);
  return kept;
}

static void
assert_sampling_steps (SamplingLog * log, guint i, guint step,
    guint requested_step, guint min_frames)
{
  PaletteSampling sampling;

  fail_unless (palette_sampling_event_parse (g_ptr_array_index (log->events,
              i), &sampling));
  fail_unless_equals_string (sampling.mode, "every-nth");
  fail_unless_equals_int (sampling.step, step);
  fail_unless_equals_int (sampling.requested_step, requested_step);
  fail_unless_equals_int (sampling.min_frames, min_frames);
}

static void sampling_log_watch (SamplingLog * log, GstHarness * h);
static void sampling_log_clear (SamplingLog * log);

/* A 10 s film at 30 fps is 300 frames: every 60th would keep 5; step
 * 300 / 100 = 3 keeps 100, and the event, the counters and the output
 * framerate (30 / 3) say so. */
GST_START_TEST (test_min_frames_short_film)
{
  GstHarness *h = film_harness_new (10 * GST_SECOND, FALSE, "30/1", 60);
  SamplingLog log;

  sampling_log_watch (&log, h);
  fail_unless_equals_int (push_and_check_every (h, 300, 3), 100);
  assert_counters (h->element, 300, 100, 200);
  assert_src_framerate (h, 10, 1);
  fail_unless_equals_int (log.events->len, 1);
  assert_sampling_steps (&log, 0, 3, 60, 100);
  sampling_log_clear (&log);
  gst_harness_teardown (h);

  /* 7.5 s (225 frames): step 2, 113 frames */
  h = film_harness_new (7500 * MS, FALSE, "30/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 225, 2), 113);
  gst_harness_teardown (h);

  /* 150 frames: fewer than twice min-frames, all of them */
  h = film_harness_new (5 * GST_SECOND, FALSE, "30/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 150, 1), 150);
  /* step 1: the rate as it came in */
  assert_src_framerate (h, 30, 1);
  gst_harness_teardown (h);

  /* min-frames set: 300 frames, at least 40: step 7, 43 frames */
  h = film_harness_new (10 * GST_SECOND, FALSE, "30/1", 60);
  g_object_set (h->element, "min-frames", 40, NULL);
  fail_unless_equals_int (push_and_check_every (h, 300, 7), 43);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Where step keeps min-frames frames already, step stays: 6000 frames
 * (200 s) and 5970 give 100 frames at step 60; 5940 (198 s) would give 99,
 * so step 5940 / 100 = 59 keeps 101. */
GST_START_TEST (test_min_frames_long_film)
{
  GstHarness *h = film_harness_new (200 * GST_SECOND, FALSE, "30/1", 60);
  SamplingLog log;

  sampling_log_watch (&log, h);
  fail_unless_equals_int (push_and_check_every (h, 6000, 60), 100);
  assert_src_framerate (h, 1, 2);
  assert_sampling_steps (&log, 0, 60, 60, 100);
  sampling_log_clear (&log);
  gst_harness_teardown (h);

  h = film_harness_new (199 * GST_SECOND, FALSE, "30/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 5970, 60), 100);
  gst_harness_teardown (h);

  h = film_harness_new (198 * GST_SECOND, FALSE, "30/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 5940, 59), 101);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Plain every-nth where the number of frames is unknown or not the film's:
 * no duration, a live source, no frame rate, min-frames=0 */
GST_START_TEST (test_min_frames_unknown)
{
  GstHarness *h = film_harness_new (GST_CLOCK_TIME_NONE, FALSE, "30/1", 60);
  SamplingLog log;

  sampling_log_watch (&log, h);
  fail_unless_equals_int (push_and_check_every (h, 300, 60), 5);
  assert_src_framerate (h, 1, 2);
  assert_sampling_steps (&log, 0, 60, 60, 100);
  sampling_log_clear (&log);
  gst_harness_teardown (h);

  h = film_harness_new (10 * GST_SECOND, TRUE, "30/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 300, 60), 5);
  gst_harness_teardown (h);

  /* variable rate: frames counted as they come */
  h = film_harness_new (10 * GST_SECOND, FALSE, "0/1", 60);
  fail_unless_equals_int (push_and_check_every (h, 300, 60), 5);
  gst_harness_teardown (h);

  h = film_harness_new (10 * GST_SECOND, FALSE, "30/1", 60);
  g_object_set (h->element, "min-frames", 0, NULL);
  sampling_log_watch (&log, h);
  fail_unless_equals_int (push_and_check_every (h, 300, 60), 5);
  assert_sampling_steps (&log, 0, 60, 60, 0);
  sampling_log_clear (&log);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A real file: a demuxer's duration (150 frames at 30 fps; WebM gives
 * 4.967 s, 149 frames, the last frame's duration left out) */
GST_START_TEST (test_min_frames_file)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  GstClockTime expected[50];
  guint i;

  ensure_vp8_clip ();
  /* at least 40 frames: step 3 (149 / 40), frames 0, 3, … 147 */
  for (i = 0; i < 50; i++)
    expected[i] = i * 100 * MS;
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "framedecimate name=fd min-frames=40 ! fakesink name=sink", vp8_clip);
  fd = run_pipeline (desc, &c);
  assert_pts (c.pts, expected, 50);
  assert_counters (fd, 150, 50, 100);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&c);

  /* step 6 keeps 25, as many as min-frames: step 6 stays */
  for (i = 0; i < 25; i++)
    expected[i] = i * 200 * MS;
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "framedecimate name=fd step=6 min-frames=25 ! fakesink name=sink",
      vp8_clip);
  fd = run_pipeline (desc, &c);
  assert_pts (c.pts, expected, 25);
  assert_counters (fd, 150, 25, 125);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

/* Passthrough: kept buffers are the input buffers; a DISCONT flag on a
 * buffer someone else holds gets a new header, never a copy of the pixels */
/* Position queries pass through: at the end the position is the source's
 * (11 frames), not that of the last frame kept (frame 9). */
static GstPadProbeReturn
query_position_at_eos (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    fail_unless (gst_pad_peer_query_position (pad, GST_FORMAT_TIME,
            (gint64 *) data));
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_position_passes_through)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc num-buffers=11 ! "
      "video/x-raw,width=16,height=16,framerate=30/1 ! "
      "framedecimate step=3 ! fakesink name=sink", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstMessage *msg;
  gint64 position = -1;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      query_position_at_eos, &position, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  fail_unless_equals_int64 (position, frame_pts (11, 30));
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The next QoS event sent upstream, or NULL */
static GstEvent *
next_qos (GstHarness * h)
{
  GstEvent *event;

  while ((event = gst_harness_try_pull_upstream_event (h))) {
    if (GST_EVENT_TYPE (event) == GST_EVENT_QOS)
      return event;
    gst_event_unref (event);
  }
  return NULL;
}

static void
assert_qos (GstHarness * h, GstClockTime expected)
{
  GstEvent *qos = next_qos (h);
  GstClockTime timestamp;
  GstClockTimeDiff diff;
  gdouble proportion;

  fail_unless (qos != NULL, "no QoS event upstream");
  gst_event_parse_qos (qos, NULL, &proportion, &diff, &timestamp);
  fail_unless (timestamp == expected, "earliest time %" GST_TIME_FORMAT
      ", expected %" GST_TIME_FORMAT, GST_TIME_ARGS (timestamp),
      GST_TIME_ARGS (expected));
  fail_unless_equals_int64 (diff, 0);
  fail_unless (proportion == 1.0);
  gst_event_unref (qos);
}

/* After each kept frame upstream hears that nothing due before 32 frames
 * ahead of the next kept one is wanted; frames that upstream then skips
 * still count, as a frame's number comes from its timestamp. */
GST_START_TEST (test_every_nth_skip_ahead)
{
  GstHarness *h = harness_new ("every-nth",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime margin = gst_util_uint64_scale (32, GST_SECOND, 30);
  const GstClockTime expected[] = { frame_pts (0, 30), frame_pts (60, 30),
    frame_pts (125, 30), frame_pts (180, 30)
  };
  GstEvent *event;
  GArray *pts;
  guint i;

  g_object_set (h->element, "step", 60, NULL);
  while ((event = gst_harness_try_pull_upstream_event (h)))
    gst_event_unref (event);

  /* off by default: nothing is sent */
  push_frame (h, frame_pts (0, 30), FALSE);
  fail_unless (next_qos (h) == NULL, "QoS sent without skip-ahead");
  for (i = 1; i <= 60; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  fail_unless (next_qos (h) == NULL, "QoS sent without skip-ahead");
  g_array_unref (pull_all (h, NULL));
  g_object_set (h->element, "skip-ahead", TRUE, NULL);
  flush (h);
  while ((event = gst_harness_try_pull_upstream_event (h)))
    gst_event_unref (event);

  push_frame (h, frame_pts (0, 30), FALSE);
  assert_qos (h, frame_pts (60, 30) - margin);
  for (i = 1; i < 60; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  fail_unless (next_qos (h) == NULL, "QoS for a dropped frame");
  push_frame (h, frame_pts (60, 30), FALSE);
  assert_qos (h, frame_pts (120, 30) - margin);
  /* as from a decoder that skipped frames 61 to 124: frame 125 is the
   * first at or after frame 120 */
  push_frame (h, frame_pts (125, 30), FALSE);
  assert_qos (h, frame_pts (180, 30) - margin);
  for (i = 126; i <= 180; i++)
    push_frame (h, frame_pts (i, 30), FALSE);

  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 117, 4, 113);
  g_array_unref (pts);

  /* with a step shorter than the margin there is nothing to skip */
  g_object_set (h->element, "step", 10, NULL);
  flush (h);
  while ((event = gst_harness_try_pull_upstream_event (h)))
    gst_event_unref (event);
  for (i = 0; i < 30; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  fail_unless (next_qos (h) == NULL, "QoS with nothing to skip");
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Decodes @path through framedecimate step=@step into @c, with the
 * checksum of each kept frame */
static void
collect_every_nth (const gchar * path, guint step, Collected * c)
{
  gchar *desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd step=%u min-frames=0 "
      "skip-ahead=true ! fakesink name=sink", path, step);
  GstElement *fd;

  collected_init (c);
  c->checksums = g_ptr_array_new_with_free_func (g_free);
  fd = run_pipeline (desc, c);
  gst_object_unref (fd);
  g_free (desc);
}

/* On a real H.264 clip with B-frames the decoder skips what is dropped,
 * yet the kept frames are exactly those of a full decode. */
GST_START_TEST (test_every_nth_skips_decoding)
{
  const gchar *media = g_getenv ("PALETTE_SHARED_MEDIA");
  gchar *path;
  Collected all, sampled;
  guint i;

  path = g_build_filename (media ? media : "/nonexistent", "chaplin.mp4",
      NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s not found (PALETTE_SHARED_MEDIA)\n", path);
    g_free (path);
    return;
  }

  collect_every_nth (path, 1, &all);
  fail_unless (all.pts->len > 180, "%u frames", all.pts->len);
  collect_every_nth (path, 60, &sampled);

  fail_unless_equals_int (sampled.pts->len, (all.pts->len + 59) / 60);
  for (i = 0; i < sampled.pts->len; i++) {
    fail_unless (g_array_index (sampled.pts, GstClockTime, i) ==
        g_array_index (all.pts, GstClockTime, i * 60), "kept frame %u", i);
    fail_unless_equals_string (g_ptr_array_index (sampled.checksums, i),
        g_ptr_array_index (all.checksums, i * 60));
  }
  /* the decoder dropped the frames due between each kept frame and 32
   * frames before the next (27 of each 60) instead of pushing them */
  GST_INFO ("%u of %u frames left the decoder", sampled.decoded,
      all.decoded);
  fail_unless (sampled.decoded < all.decoded * 3 / 4,
      "%u of %u frames left the decoder", sampled.decoded, all.decoded);

  collected_clear (&all);
  collected_clear (&sampled);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_passthrough_no_copy)
{
  GstHarness *h = harness_new ("every-nth",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  GstBuffer *in[3], *out;
  guint i;

  g_object_set (h->element, "step", 2, NULL);
  for (i = 0; i < 3; i++) {
    in[i] = gst_harness_create_buffer (h, 16 * 16 * 4);
    GST_BUFFER_PTS (in[i]) = frame_pts (i, 30);
  }

  /* writable: the very same buffer comes out */
  fail_unless_equals_int (gst_harness_push (h, in[0]), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out == in[0]);
  gst_buffer_unref (out);

  fail_unless_equals_int (gst_harness_push (h, in[1]), GST_FLOW_OK);
  /* not writable (we keep a ref), and DISCONT needed after the drop */
  gst_buffer_ref (in[2]);
  fail_unless_equals_int (gst_harness_push (h, in[2]), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (GST_BUFFER_IS_DISCONT (out));
  fail_if (GST_BUFFER_IS_DISCONT (in[2]));
  fail_unless (gst_buffer_peek_memory (out, 0) ==
      gst_buffer_peek_memory (in[2], 0));
  fail_unless (GST_BUFFER_PTS (out) == frame_pts (2, 30));
  gst_buffer_unref (out);
  gst_buffer_unref (in[2]);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------- interval ---------- */

GST_START_TEST (test_interval_variable_rate)
{
  GstHarness *h = harness_new ("interval",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=0/1");
  const GstClockTime in[] = { 0, 40 * MS, 90 * MS, 1000 * MS, 1010 * MS,
    2400 * MS, 2600 * MS, 2700 * MS, 5100 * MS, 7600 * MS, 7700 * MS,
    12000 * MS, 12400 * MS
  };
  const GstClockTime expected[] = { 0, 2600 * MS, 5100 * MS, 7600 * MS,
    12000 * MS
  };
  GArray *pts;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (in); i++)
    fail_unless_equals_int (push_frame (h, in[i], FALSE), GST_FLOW_OK);

  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 13, 5, 8);
  assert_src_framerate (h, 0, 1);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Stream time, not the buffer timestamp: a segment with time=100 s */
GST_START_TEST (test_interval_stream_time)
{
  GstHarness *h = gst_harness_new ("framedecimate");
  const GstClockTime expected[] = { 10 * GST_SECOND, 11 * GST_SECOND };
  GstSegment segment;
  GArray *pts;
  guint i;

  g_object_set (h->element, "interval", 2 * GST_SECOND, NULL);
  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "interval");
  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGBx,width=16,height=16,framerate=2/1");
  /* buffer at 10 s is stream time 101 s: targets at 102, 104, ... */
  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = 9 * GST_SECOND;
  segment.time = 100 * GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  for (i = 0; i < 4; i++)
    push_frame (h, 10 * GST_SECOND + i * 500 * MS, FALSE);

  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_interval_pipeline)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, 320 * MS, 600 * MS, 920 * MS,
    1200 * MS, 1520 * MS, 1800 * MS
  };

  collected_init (&c);
  fd = run_pipeline ("videotestsrc num-buffers=50 ! "
      "video/x-raw,width=64,height=48,framerate=25/1 ! "
      "framedecimate name=fd mode=interval interval=300000000 ! "
      "fakesink name=sink", &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  assert_counters (fd, 50, 7, 43);
  fail_unless_equals_int (c.warnings, 0);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* Without timestamps the time-based modes cannot place a frame: dropped */
GST_START_TEST (test_interval_no_timestamp)
{
  GstHarness *h = harness_new ("interval",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  guint i;

  for (i = 0; i < 5; i++)
    fail_unless_equals_int (push_frame (h, GST_CLOCK_TIME_NONE, FALSE),
        GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  assert_counters (h->element, 5, 0, 5);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------- count ---------- */

static GstPadQueryFunction harness_src_query;

static gboolean
answer_duration (GstPad * pad, GstObject * parent, GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_DURATION) {
    GstFormat format;

    gst_query_parse_duration (query, &format, NULL);
    if (format == GST_FORMAT_TIME) {
      gst_query_set_duration (query, GST_FORMAT_TIME, 10 * GST_SECOND);
      return TRUE;
    }
  }
  return harness_src_query (pad, parent, query);
}

GST_START_TEST (test_count_known_duration)
{
  GstHarness *h = harness_new ("count",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=5/2");
  /* 10 s, count 4: targets 0, 2.5, 5, 7.5 s; frames every 0.4 s */
  const GstClockTime expected[] = { 0, 2800 * MS, 5200 * MS, 7600 * MS };
  GArray *pts;
  guint i;

  harness_src_query = GST_PAD_QUERYFUNC (h->srcpad);
  gst_pad_set_query_function (h->srcpad, answer_duration);
  g_object_set (h->element, "count", 4, NULL);
  for (i = 0; i < 25; i++)
    push_frame (h, i * 400 * MS, FALSE);

  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 25, 4, 21);
  assert_src_framerate (h, 0, 1);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_count_file)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  GstClockTime expected[10];
  guint i;

  /* 5 s: targets every 0.5 s, each exactly on a frame */
  for (i = 0; i < 10; i++)
    expected[i] = i * 500 * MS;
  ensure_vp8_clip ();
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "framedecimate name=fd mode=count count=10 ! fakesink name=sink",
      vp8_clip);
  fd = run_pipeline (desc, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  assert_counters (fd, 150, 10, 140);
  fail_unless_equals_int (c.warnings, 0);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

/* Without num-buffers videotestsrc does not know its duration: a warning,
 * then interval mode */
GST_START_TEST (test_count_unknown_duration)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, GST_SECOND, 2 * GST_SECOND,
    3 * GST_SECOND
  };

  collected_init (&c);
  fd = run_pipeline ("videotestsrc ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! identity eos-after=101 ! "
      "framedecimate name=fd mode=count count=50 interval=1000000000 ! "
      "fakesink name=sink", &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  fail_unless_equals_int (c.warnings, 1);
  assert_counters (fd, 100, 4, 96);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* ---------- scene ---------- */

typedef struct
{
  guint8 r, g, b;
  guint frames;
} Shot;

static Shot
shot (guint8 r, guint8 g, guint8 b, guint frames)
{
  Shot s = { r, g, b, frames };

  return s;
}

/* Pushes solid-color frames in @format (converted from RGB, as a decoder
 * would give them) and returns how many were pushed */
static guint
push_shots (GstHarness * h, const gchar * format, const Shot * shots,
    guint n_shots)
{
  GstVideoInfo rgb, out;
  GstVideoConverter *conv;
  guint s, f, frame = 0;
  gchar *caps;

  gst_video_info_set_format (&rgb, GST_VIDEO_FORMAT_RGBx, 64, 48);
  gst_video_info_set_format (&out, gst_video_format_from_string (format), 64,
      48);
  rgb.fps_n = out.fps_n = 30;
  rgb.fps_d = out.fps_d = 1;
  conv = gst_video_converter_new (&rgb, &out, NULL);
  caps = g_strdup_printf ("video/x-raw,format=%s,width=64,height=48,"
      "framerate=30/1", format);
  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);

  for (s = 0; s < n_shots; s++) {
    for (f = 0; f < shots[s].frames; f++) {
      GstBuffer *src = gst_buffer_new_allocate (NULL, rgb.size, NULL);
      GstBuffer *dst = gst_harness_create_buffer (h, out.size);
      GstVideoFrame in_frame, out_frame;
      guint x, y;

      gst_video_frame_map (&in_frame, &rgb, src, GST_MAP_WRITE);
      for (y = 0; y < 48; y++) {
        guint8 *p = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&in_frame, 0) +
            y * GST_VIDEO_FRAME_PLANE_STRIDE (&in_frame, 0);

        for (x = 0; x < 64; x++) {
          p[4 * x] = shots[s].r;
          p[4 * x + 1] = shots[s].g;
          p[4 * x + 2] = shots[s].b;
          p[4 * x + 3] = 255;
        }
      }
      gst_video_frame_map (&out_frame, &out, dst, GST_MAP_WRITE);
      gst_video_converter_frame (conv, &in_frame, &out_frame);
      gst_video_frame_unmap (&out_frame);
      gst_video_frame_unmap (&in_frame);
      gst_buffer_unref (src);

      GST_BUFFER_PTS (dst) = frame_pts (frame++, 30);
      fail_unless_equals_int (gst_harness_push (h, dst), GST_FLOW_OK);
    }
  }
  gst_video_converter_free (conv);
  return frame;
}

static void
check_shots (const gchar * format)
{
  GstHarness *h = gst_harness_new ("framedecimate");
  const Shot shots[] = {
    {255, 0, 0, 20}, {0, 160, 0, 25}, {0, 0, 255, 30}, {255, 255, 255, 16},
    {60, 60, 60, 22}, {200, 120, 40, 18},
  };
  const GstClockTime expected[] = { frame_pts (0, 30), frame_pts (20, 30),
    frame_pts (45, 30), frame_pts (75, 30), frame_pts (91, 30),
    frame_pts (113, 30)
  };
  GArray *pts;
  guint n;

  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "scene");
  n = push_shots (h, format, shots, G_N_ELEMENTS (shots));
  fail_unless_equals_int (n, 131);
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 131, 6, 125);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_START_TEST (test_scene_cuts)
{
  check_shots ("I420");
  check_shots ("RGBx");
  check_shots ("NV12");
}

GST_END_TEST;

/* A slow fade (black to white in 45 frames) is no cut; the cut after is */
GST_START_TEST (test_scene_fade)
{
  GstHarness *h = gst_harness_new ("framedecimate");
  Shot shots[20 + 45 + 20 + 20];
  const GstClockTime expected[] = { 0, frame_pts (85, 30) };
  GArray *pts;
  guint i, n = 0;

  shots[n++] = shot (0, 0, 0, 20);
  for (i = 0; i < 45; i++) {
    guint8 v = 255 * (i + 1) / 45;

    shots[n++] = shot (v, v, v, 1);
  }
  shots[n++] = shot (255, 255, 255, 20);
  shots[n++] = shot (0, 0, 255, 20);

  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "scene");
  fail_unless_equals_int (push_shots (h, "I420", shots, n), 105);
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Flashes: the flash is a new scene, the return from it is not, and a
 * second flash within min-scene-length frames is ignored */
GST_START_TEST (test_scene_flash)
{
  const Shot shots[] = {
    {100, 100, 100, 20}, {255, 255, 255, 1}, {100, 100, 100, 4},
    {255, 255, 255, 1}, {100, 100, 100, 20},
  };
  const GstClockTime expected[] = { 0, frame_pts (20, 30), frame_pts (25, 30)
  };
  GstHarness *h;
  GArray *pts;

  h = gst_harness_new ("framedecimate");
  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "scene");
  push_shots (h, "I420", shots, G_N_ELEMENTS (shots));
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, 2);
  g_array_unref (pts);
  gst_harness_teardown (h);

  h = gst_harness_new ("framedecimate");
  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "scene");
  g_object_set (h->element, "min-scene-length", 1, NULL);
  push_shots (h, "I420", shots, G_N_ELEMENTS (shots));
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, 3);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Steady motion is one scene */
GST_START_TEST (test_scene_motion)
{
  const gchar *patterns[] = {
    "pattern=ball", "pattern=ball motion=sweep",
    "pattern=smpte horizontal-speed=4"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (patterns); i++) {
    Collected c;
    GstElement *fd;
    gchar *desc;
    const GstClockTime expected[] = { 0 };

    collected_init (&c);
    desc = g_strdup_printf ("videotestsrc %s num-buffers=150 ! "
        "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "
        "framedecimate name=fd mode=scene ! fakesink name=sink", patterns[i]);
    fd = run_pipeline (desc, &c);
    assert_pts (c.pts, expected, 1);
    assert_counters (fd, 150, 1, 149);
    gst_object_unref (fd);
    g_free (desc);
    collected_clear (&c);
  }
}

GST_END_TEST;

/* Bad input: scene mode cannot read frames of an unknown format */
GST_START_TEST (test_scene_unknown_format)
{
  GstHarness *h = harness_new ("scene", "video/x-raw,width=16,height=16");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  fail_unless_equals_int (push_frame (h, 0, FALSE), GST_FLOW_NOT_NEGOTIATED);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_FORMAT));
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);

  /* the other modes don't look at the pixels and let it through */
  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "every-nth");
  fail_unless_equals_int (push_frame (h, 0, FALSE), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_received (h), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------- keyframes ---------- */

/* The clip itself: key frames exactly at 0, 1, 2, 3, 4 s */
GST_START_TEST (test_keyframes_clip_fixture)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  const GstClockTime expected[] = { 0, GST_SECOND, 2 * GST_SECOND,
    3 * GST_SECOND, 4 * GST_SECOND
  };

  ensure_vp8_clip ();
  collected_init (&c);
  /* the demuxer flags the other frames DELTA_UNIT; vp8enc may place extra
   * key frames, so check there are none */
  c.only_key = TRUE;
  desc = g_strdup_printf ("filesrc location=%s ! matroskademux ! "
      "identity name=decoded ! fakesink name=sink", vp8_clip);
  fd = run_pipeline (desc, &c);
  fail_unless (fd == NULL);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  fail_unless_equals_int (c.decoded, 150);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

GST_START_TEST (test_keyframes_decoded)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  const GstClockTime expected[] = { 0, GST_SECOND, 2 * GST_SECOND,
    3 * GST_SECOND, 4 * GST_SECOND
  };
  gint64 duration = -1;

  ensure_vp8_clip ();
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd mode=keyframes min-keyframes=0 ! "
      "fakesink name=sink", vp8_clip);
  fd = run_pipeline (desc, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* counters restart at the flush of the element's own seek: no frame is
   * counted twice */
  assert_counters (fd, 5, 5, 0);
  /* the decoder skipped the other frames: the key frames and at most the
   * frame that triggered the seek were decoded, not 150 */
  GST_INFO ("decoded %u frames", c.decoded);
  fail_unless (c.decoded >= 5 && c.decoded <= 7, "decoded %u frames",
      c.decoded);
  gst_object_unref (fd);
  g_free (desc);

  /* and without framedecimate, all 150 are decoded */
  c.decoded = 0;
  g_array_set_size (c.pts, 0);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd mode=every-nth step=1 ! "
      "fakesink name=sink", vp8_clip);
  fd = run_pipeline (desc, &c);
  fail_unless_equals_int (c.decoded, 150);
  fail_unless_equals_int (c.pts->len, 150);
  gst_object_unref (fd);
  g_free (desc);

  /* duration queries pass through */
  {
    GstElement *pipeline;

    desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
        "framedecimate name=fd mode=keyframes min-keyframes=0 ! fakesink name=sink", vp8_clip);
    pipeline = pipeline_new (desc, &c);
    gst_element_set_state (pipeline, GST_STATE_PAUSED);
    wait_for (pipeline, GST_MESSAGE_ASYNC_DONE, &c);
    fd = gst_bin_get_by_name (GST_BIN (pipeline), "fd");
    fail_unless (gst_element_query_duration (fd, GST_FORMAT_TIME, &duration));
    fail_unless_equals_int64 (duration, 5 * GST_SECOND);
    gst_object_unref (fd);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
    g_free (desc);
  }
  collected_clear (&c);
}

GST_END_TEST;

/* Fewer key frames than min-keyframes: the clip is read again and
 * min-keyframes frames spread over it are kept besides the key frames (those
 * at a key frame's time not twice) */
GST_START_TEST (test_keyframes_top_up)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  guint i, key = 0;

  ensure_vp8_clip ();
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "framedecimate name=fd mode=keyframes min-keyframes=10 ! "
      "fakesink name=sink", vp8_clip);
  fd = run_pipeline (desc, &c);
  /* the 5 key frames, then count=10's targets (every 0.5 s) but 0, 1, 2, 3
   * and 4 s, which were kept already */
  fail_unless_equals_int (c.pts->len, 10);
  for (i = 0; i < 5; i++)
    fail_unless_equals_uint64 (g_array_index (c.pts, GstClockTime, i),
        i * GST_SECOND);
  for (i = 5; i < 10; i++) {
    GstClockTime t = g_array_index (c.pts, GstClockTime, i);

    fail_unless_equals_uint64 (t, (i - 5) * GST_SECOND + 500 * MS);
    key += t % GST_SECOND == 0;
  }
  fail_unless_equals_int (key, 0);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

/* ---------- seek ---------- */

/* Runs the 5-s clip (key frames at 0, 1, 2, 3, 4 s) through mode=seek
 * with @count samples, topped up to @min_frames; returns framedecimate.
 * The sink is not asynchronous, as palettesink makes itself for the
 * element's flushes: after one of many flushes in a row, an asynchronous
 * sink can commit its preroll after GstBin stopped waiting for it, and
 * then waits in PAUSED for ever (seen here once in a few runs) */
static GstElement *
run_seek (guint count, guint min_frames, Collected * c)
{
  gchar *desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd mode=seek count=%u "
      "min-keyframes=%u ! fakesink name=sink async=false", vp8_clip, count,
      min_frames);
  GstElement *fd;

  ensure_vp8_clip ();
  collected_init (c);
  fd = run_pipeline (desc, c);
  g_free (desc);
  return fd;
}

/* 4 slots of 1.25 s: frame 0, then seeks (SNAP_AFTER) to 1.25 s, 2.5 s
 * and 3.75 s land on the key frames at 2, 3 and 4 s. Only they are decoded,
 * and the stream ends after the last slot's frame. */
GST_START_TEST (test_seek_kept_frames)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, 2 * GST_SECOND, 3 * GST_SECOND,
    4 * GST_SECOND
  };

  fd = run_seek (4, 0, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* frame 0, the three landings: nothing else (a full decode is 150) */
  fail_unless_equals_int (c.decoded, 4);
  /* the element's own seeks do not restart the counters */
  assert_counters (fd, 4, 4, 0);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* 8 slots of 0.625 s for 5 key frames: each key frame once. The seek to
 * 4.375 s finds no key frame after it; the demuxer lands on the one at 4 s,
 * which is dropped (its slot is done), and the stream read on to its end. */
GST_START_TEST (test_seek_sparse_key_frames)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, GST_SECOND, 2 * GST_SECOND,
    3 * GST_SECOND, 4 * GST_SECOND
  };

  fd = run_seek (8, 0, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  fail_unless_equals_int (c.decoded, 6);
  assert_counters (fd, 6, 5, 1);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* Top-up: 8 frames wanted, 5 key frames (projected from the mean gap, 1 s,
 * over the 5-s film). The 3 missing frames are owed to the 5 gaps in turn
 * (rounded: to the gaps of the key frames at 1, 2 and 4 s), each in the
 * middle of its gap, reached by an ACCURATE seek; a key-unit seek to just
 * past each brings the next key frame. Kept in timeline order, each frame
 * once, and only the kept ones decoded. */
GST_START_TEST (test_seek_top_up)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, GST_SECOND, 1500 * MS, 2 * GST_SECOND,
    2500 * MS, 3 * GST_SECOND, 4 * GST_SECOND, 4500 * MS
  };

  fd = run_seek (8, 8, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* the kept frames only; upstream may push one more frame (of the
   * ACCURATE segment) before the EOS flow return after the last stops it */
  fail_unless (c.decoded >= 8 && c.decoded <= 9, "decoded %u", c.decoded);
  assert_counters_at_end (fd, c.decoded, 8);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* Two top-up frames in one gap: the first reached by the ACCURATE seek,
 * the second by reading on (the frames between are decoded and dropped).
 * 10 wanted, 5 key frames: 5 missing, 2 owed by the time of the key frame
 * at 1 s (its gap and the first one's), at a quarter of the gap apart
 * (the top-up stays in the first half of a gap): 1.25 s, the frame shown
 * then (frame 37, from 1.233 s: the decoder clips its timestamp to the
 * accurate segment's start), and 1.5 s; then one frame in the middle of
 * each next gap. */
GST_START_TEST (test_seek_top_up_reads_on)
{
  Collected c;
  GstElement *fd;
  const GstClockTime expected[] = { 0, GST_SECOND, 1250 * MS, 1500 * MS,
    2 * GST_SECOND, 2500 * MS, 3 * GST_SECOND, 3500 * MS, 4 * GST_SECOND,
    4500 * MS
  };

  fd = run_seek (10, 10, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* frames 37-45 in the gap read on, one for each of the others (and
   * maybe one past the last, as above) */
  fail_unless (c.decoded >= 17 && c.decoded <= 18, "decoded %u", c.decoded);
  assert_counters_at_end (fd, c.decoded, 10);
  gst_object_unref (fd);
  collected_clear (&c);
}

GST_END_TEST;

/* A film with a single key frame, at 0: the key-unit seek lands back on it
 * (none after the target), and the missing min-keyframes - 1 = 4 frames
 * come from the first half of the film, 5 s / 8 apart, by one ACCURATE
 * seek and reading on: 0.625 s (frame 18, from 0.6 s, its timestamp
 * clipped to the segment's start), then the first frames at or after
 * 1.25 s (frame 38, 1.267 s), 1.875 s (frame 57, 1.9 s) and 2.5 s. The
 * key-unit seek past them lands on the key frame once more, and the stream
 * ends. */
GST_START_TEST (test_seek_top_up_one_key_frame)
{
  Collected c;
  GstElement *fd;
  gchar *desc;
  const GstClockTime expected[] = { 0, 625 * MS, 1267 * MS, 1900 * MS,
    2500 * MS
  };

  ensure_clip (vp8_one_key_clip, 1000);
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd mode=seek count=10 "
      "min-keyframes=5 ! fakesink name=sink async=false", vp8_one_key_clip);
  fd = run_pipeline (desc, &c);
  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* the key frame twice (first frame, landing), frames 18-75, the key
   * frame again: 61 of 150 */
  fail_unless_equals_int (c.decoded, 61);
  assert_counters (fd, 61, 5, 56);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

/* 150 frames for 20 samples, under 10 frames a sample: seeking would cost
 * more than it skips, so the clip is read through and sampled as count */
GST_START_TEST (test_seek_short_reads_through)
{
  Collected c, by_count;
  GstElement *fd;
  gchar *desc;

  fd = run_seek (20, 30, &c);
  fail_unless_equals_int (c.decoded, 150);
  fail_unless_equals_int (c.pts->len, 20);
  assert_counters (fd, 150, 20, 130);
  gst_object_unref (fd);

  collected_init (&by_count);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "framedecimate name=fd mode=count count=20 ! fakesink name=sink",
      vp8_clip);
  fd = run_pipeline (desc, &by_count);
  assert_pts (c.pts, (const GstClockTime *) by_count.pts->data,
      by_count.pts->len);
  gst_object_unref (fd);
  g_free (desc);
  collected_clear (&by_count);
  collected_clear (&c);
}

GST_END_TEST;

/* No seeking upstream (a harness): read through, as count */
GST_START_TEST (test_seek_not_seekable)
{
  GstHarness *h = harness_new ("seek",
      "video/x-raw,format=RGBA,width=16,height=16,framerate=25/1");
  GArray *pts;
  guint i;

  g_object_set (h->element, "count", 2, "interval", 200 * MS, NULL);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (push_frame (h, frame_pts (i, 25), FALSE),
        GST_FLOW_OK);
  /* no duration either: count's fallback, one frame every 200 ms */
  pts = pull_all (h, NULL);
  fail_unless_equals_int (pts->len, 2);
  fail_unless_equals_uint64 (g_array_index (pts, GstClockTime, 0), 0);
  fail_unless_equals_uint64 (g_array_index (pts, GstClockTime, 1), 200 * MS);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* An application's seek is respected, and gets the trick mode added */
GST_START_TEST (test_keyframes_app_seek)
{
  Collected c;
  GstElement *pipeline, *fd;
  gchar *desc;
  const GstClockTime expected[] = { 2 * GST_SECOND, 3 * GST_SECOND,
    4 * GST_SECOND
  };

  ensure_vp8_clip ();
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=decoded ! framedecimate name=fd mode=keyframes min-keyframes=0 ! "
      "fakesink name=sink", vp8_clip);
  pipeline = pipeline_new (desc, &c);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  wait_for (pipeline, GST_MESSAGE_ASYNC_DONE, &c);

  fail_unless (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH, 1500 * MS));
  wait_for (pipeline, GST_MESSAGE_ASYNC_DONE, &c);
  g_mutex_lock (&c.lock);
  g_array_set_size (c.pts, 0);
  c.decoded = 0;
  g_mutex_unlock (&c.lock);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  wait_for (pipeline, GST_MESSAGE_EOS, &c);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  assert_pts (c.pts, expected, G_N_ELEMENTS (expected));
  /* only the key frames after the seek were decoded (the one prerolled
   * before PLAYING was counted before the reset) */
  fail_unless (c.decoded <= 2, "decoded %u", c.decoded);
  fd = gst_bin_get_by_name (GST_BIN (pipeline), "fd");
  assert_counters (fd, 3, 3, 0);
  gst_object_unref (fd);
  gst_object_unref (pipeline);
  g_free (desc);
  collected_clear (&c);
}

GST_END_TEST;

/* Upstream not seekable (the harness): only the DELTA_UNIT flag decides */
GST_START_TEST (test_keyframes_not_seekable)
{
  GstHarness *h = harness_new ("keyframes",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime expected[] = { frame_pts (0, 30), frame_pts (4, 30),
    frame_pts (5, 30), frame_pts (9, 30)
  };
  GArray *pts;
  guint i;

  for (i = 0; i < 10; i++)
    push_frame (h, frame_pts (i, 30), !(i == 0 || i == 4 || i == 5 || i == 9));
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 10, 4, 6);
  assert_src_framerate (h, 0, 1);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------- flushes and segments ---------- */

static void
flush (GstHarness * h)
{
  GstSegment segment;

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
}

GST_START_TEST (test_flush_resets)
{
  GstHarness *h = harness_new ("every-nth",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime before[] = { frame_pts (0, 30), frame_pts (3, 30) };
  const GstClockTime after[] = { frame_pts (100, 30), frame_pts (103, 30) };
  GArray *pts;
  guint i;

  g_object_set (h->element, "step", 3, NULL);
  for (i = 0; i < 5; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  pts = pull_all (h, NULL);
  assert_pts (pts, before, 2);
  g_array_unref (pts);
  assert_counters (h->element, 5, 2, 3);

  /* as after a flushing seek to frame 100: the first frame is kept again
   * and the counters restart */
  flush (h);
  assert_counters (h->element, 0, 0, 0);
  for (i = 100; i < 104; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  pts = pull_all (h, NULL);
  assert_pts (pts, after, 2);
  g_array_unref (pts);
  assert_counters (h->element, 4, 2, 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_flush_resets_interval)
{
  GstHarness *h = harness_new ("interval",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime expected[] = { 0, 2500 * MS, 1000 * MS, 3500 * MS };
  GArray *pts;

  push_frame (h, 0, FALSE);
  push_frame (h, 2500 * MS, FALSE);
  push_frame (h, 3000 * MS, FALSE);
  /* a seek back: 1.0 s is kept though earlier than the last target */
  flush (h);
  push_frame (h, 1000 * MS, FALSE);
  push_frame (h, 2000 * MS, FALSE);
  push_frame (h, 3500 * MS, FALSE);
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 3, 2, 1);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A new (non-flushing) segment restarts the sampling; the same segment
 * sent again does not */
GST_START_TEST (test_segment_resets)
{
  GstHarness *h = harness_new ("interval",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  const GstClockTime expected[] = { 0, 0, 2500 * MS };
  GstSegment segment;
  GArray *pts;

  push_frame (h, 0, FALSE);
  push_frame (h, 1000 * MS, FALSE);
  /* the same segment again: nothing changes */
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  push_frame (h, 1500 * MS, FALSE);
  /* a new segment (looping): times start over */
  segment.base = 2 * GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  push_frame (h, 0, FALSE);
  push_frame (h, 1000 * MS, FALSE);
  push_frame (h, 2500 * MS, FALSE);
  pts = pull_all (h, NULL);
  assert_pts (pts, expected, G_N_ELEMENTS (expected));
  assert_counters (h->element, 6, 3, 3);
  g_array_unref (pts);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------- the sampling event ---------- */

static GstPadProbeReturn
log_sampling (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  SamplingLog *log = data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    g_string_append_c (log->order, 'B');
  } else if (gst_event_has_name (GST_PAD_PROBE_INFO_EVENT (info),
          PALETTE_SAMPLING_EVENT_NAME)) {
    g_string_append_c (log->order, 'E');
    g_ptr_array_add (log->events,
        gst_event_ref (GST_PAD_PROBE_INFO_EVENT (info)));
  }
  return GST_PAD_PROBE_OK;
}

static void
sampling_log_watch (SamplingLog * log, GstHarness * h)
{
  GstPad *src = gst_element_get_static_pad (h->element, "src");

  log->order = g_string_new (NULL);
  log->events = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_event_unref);
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, log_sampling, log, NULL);
  gst_object_unref (src);
}

static void
sampling_log_clear (SamplingLog * log)
{
  g_string_free (log->order, TRUE);
  g_ptr_array_unref (log->events);
}

static const GstStructure *
sampling_event_structure (SamplingLog * log, guint i)
{
  fail_unless (i < log->events->len, "no sampling event %u", i);
  return gst_event_get_structure (g_ptr_array_index (log->events, i));
}

/* Each mode tells its nick and the parameters it uses, before the first
 * buffer, once; the event is sticky on the pad downstream. */
GST_START_TEST (test_sampling_event_modes)
{
  const struct
  {
    const gchar *mode;
    const gchar *properties;
    guint n_fields;
  } cases[] = {
    {"every-nth", "step=7", 4},
    {"interval", "interval=1000000000", 2},
    {"count", "count=12 interval=2000000000", 3},
    {"scene", "scene-threshold=0.25 min-scene-length=3", 3},
    {"keyframes", "", 1},
  };
  guint c, i;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    GstHarness *h = harness_new (cases[c].mode,
        "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
    gchar **properties = g_strsplit (cases[c].properties, " ", -1);
    SamplingLog log;
    const GstStructure *s;
    PaletteSampling sampling;
    GstEvent *sticky;
    guint uint_value;
    guint64 uint64_value;
    gdouble double_value;

    for (i = 0; properties[i] && properties[i][0]; i++) {
      gchar **kv = g_strsplit (properties[i], "=", 2);

      gst_util_set_object_arg (G_OBJECT (h->element), kv[0], kv[1]);
      g_strfreev (kv);
    }
    g_strfreev (properties);
    sampling_log_watch (&log, h);

    for (i = 0; i < 3; i++)
      fail_unless_equals_int (push_frame (h, frame_pts (i, 30), FALSE),
          GST_FLOW_OK);

    /* the first frame is kept in every mode */
    fail_unless (g_str_has_prefix (log.order->str, "EB"), "%s: %s",
        cases[c].mode, log.order->str);
    fail_unless_equals_int (log.events->len, 1);
    s = sampling_event_structure (&log, 0);
    fail_unless_equals_int (GST_EVENT_TYPE (g_ptr_array_index (log.events, 0)),
        GST_EVENT_CUSTOM_DOWNSTREAM_STICKY);
    fail_unless_equals_string (gst_structure_get_string (s,
            PALETTE_SAMPLING_FIELD_MODE), cases[c].mode);
    fail_unless_equals_int (gst_structure_n_fields (s), cases[c].n_fields);

    if (g_str_equal (cases[c].mode, "every-nth")) {
      fail_unless (gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_STEP,
              &uint_value));
      fail_unless_equals_int (uint_value, 7);
      /* no duration upstream: the step as asked, and the floor */
      fail_unless (gst_structure_get_uint (s,
              PALETTE_SAMPLING_FIELD_REQUESTED_STEP, &uint_value));
      fail_unless_equals_int (uint_value, 7);
      fail_unless (gst_structure_get_uint (s,
              PALETTE_SAMPLING_FIELD_MIN_FRAMES, &uint_value));
      fail_unless_equals_int (uint_value, 100);
    } else if (g_str_equal (cases[c].mode, "interval")) {
      fail_unless (gst_structure_get_uint64 (s,
              PALETTE_SAMPLING_FIELD_INTERVAL, &uint64_value));
      fail_unless_equals_uint64 (uint64_value, GST_SECOND);
    } else if (g_str_equal (cases[c].mode, "count")) {
      fail_unless (gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_COUNT,
              &uint_value));
      fail_unless_equals_int (uint_value, 12);
      fail_unless (gst_structure_get_uint64 (s,
              PALETTE_SAMPLING_FIELD_INTERVAL, &uint64_value));
      fail_unless_equals_uint64 (uint64_value, 2 * GST_SECOND);
    } else if (g_str_equal (cases[c].mode, "scene")) {
      fail_unless (gst_structure_get_double (s,
              PALETTE_SAMPLING_FIELD_SCENE_THRESHOLD, &double_value));
      fail_unless_equals_float (double_value, 0.25);
      fail_unless (gst_structure_get_uint (s,
              PALETTE_SAMPLING_FIELD_MIN_SCENE_LENGTH, &uint_value));
      fail_unless_equals_int (uint_value, 3);
    }

    /* the reader agrees with the writer */
    fail_unless (palette_sampling_event_parse (g_ptr_array_index (log.events,
                0), &sampling));
    fail_unless_equals_string (sampling.mode, cases[c].mode);

    /* sticky: downstream can read it from its pad at any time */
    sticky = gst_pad_get_sticky_event (h->sinkpad,
        GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, 0);
    fail_unless (sticky != NULL, "%s: not sticky downstream", cases[c].mode);
    fail_unless (gst_structure_is_equal (gst_event_get_structure (sticky), s));
    gst_event_unref (sticky);

    sampling_log_clear (&log);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* A property change is told before the first buffer sampled with it, a new
 * stream gets the event again, and nothing else repeats it. */
GST_START_TEST (test_sampling_event_changes)
{
  GstHarness *h = harness_new ("every-nth",
      "video/x-raw,format=RGBx,width=16,height=16,framerate=30/1");
  SamplingLog log;
  GstSegment segment;
  guint step, i;

  g_object_set (h->element, "step", 2, NULL);
  sampling_log_watch (&log, h);
  for (i = 0; i < 4; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  fail_unless_equals_string (log.order->str, "EBB");

  /* a flush keeps it (sticky): no new event */
  flush (h);
  for (i = 0; i < 2; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  fail_unless_equals_string (log.order->str, "EBBB");

  g_object_set (h->element, "step", 5, NULL);
  for (i = 2; i < 12; i++)
    push_frame (h, frame_pts (i, 30), FALSE);
  /* step 2 had frame 2 due next: step 5 keeps frames 2, 5 and 10 */
  fail_unless_equals_string (log.order->str, "EBBBEBBB");
  fail_unless (gst_structure_get_uint (sampling_event_structure (&log, 1),
          PALETTE_SAMPLING_FIELD_STEP, &step));
  fail_unless_equals_int (step, 5);

  /* a mode change */
  gst_util_set_object_arg (G_OBJECT (h->element), "mode", "keyframes");
  push_frame (h, frame_pts (12, 30), FALSE);
  fail_unless_equals_string (log.order->str, "EBBBEBBBEB");
  fail_unless_equals_string (gst_structure_get_string
      (sampling_event_structure (&log, 2), PALETTE_SAMPLING_FIELD_MODE),
      "keyframes");

  /* a new stream */
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("another")));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  push_frame (h, 0, FALSE);
  fail_unless_equals_string (log.order->str, "EBBBEBBBEBEB");

  sampling_log_clear (&log);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Real-film check when the shared clips are there */
GST_START_TEST (test_keyframes_real_clip)
{
  const gchar *media = g_getenv ("PALETTE_SHARED_MEDIA");
  gchar *path, *desc;
  Collected c;
  GstElement *fd;
  guint64 in, out;

  path = g_build_filename (media ? media : "/nonexistent",
      "big_buck_bunny_0_30.webm", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s not found (PALETTE_SHARED_MEDIA)\n", path);
    g_free (path);
    return;
  }
  collected_init (&c);
  desc = g_strdup_printf ("filesrc location=%s ! matroskademux name=d "
      "d.video_0 ! queue ! vp8dec ! identity name=decoded ! "
      "framedecimate name=fd mode=keyframes min-keyframes=0 ! fakesink name=sink", path);
  fd = run_pipeline (desc, &c);
  g_object_get (fd, "in", &in, "out", &out, NULL);
  /* 30 s of VP8: a handful of key frames of ~720 frames, all kept */
  fail_unless (out >= 2 && out < 40, "kept %" G_GUINT64_FORMAT, out);
  fail_unless_equals_uint64 (in, out);
  fail_unless (c.decoded <= out + 2, "decoded %u", c.decoded);
  gst_object_unref (fd);
  g_free (desc);
  g_free (path);
  collected_clear (&c);
}

GST_END_TEST;


/* A decoder posts a QoS message on the bus for each frame a skip-ahead
 * makes it drop (gst_video_decoder_post_qos_drop): hundreds per film under
 * gst-launch-1.0 -m. Off by default, none; on, one per frame that never
 * reached framedecimate, and the same frames are kept either way. */
static guint
count_qos_messages (gboolean skip_ahead, guint64 * in, guint64 * out)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=300 pattern=ball "
      "! video/x-raw,width=64,height=48,framerate=30/1 ! vp8enc deadline=1 ! "
      "vp8dec ! framedecimate name=fd step=60 min-frames=0 skip-ahead=%s ! "
      "fakesink",
      skip_ahead ? "true" : "false");
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *fd;
  GstBus *bus;
  GstMessage *msg;
  guint n_qos = 0;
  gboolean done = FALSE;

  fail_unless (pipeline != NULL);
  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (!done) {
    msg = gst_bus_timed_pop (bus, 60 * GST_SECOND);
    fail_unless (msg != NULL, "no EOS within 60 s");
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_QOS:
        n_qos++;
        break;
      case GST_MESSAGE_ERROR:
        fail ("error from %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)));
        break;
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fd = gst_bin_get_by_name (GST_BIN (pipeline), "fd");
  g_object_get (fd, "in", in, "out", out, NULL);
  gst_object_unref (fd);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (desc);
  return n_qos;
}

GST_START_TEST (test_qos_messages)
{
  guint64 in, out;
  guint n_qos;

  n_qos = count_qos_messages (FALSE, &in, &out);
  fail_unless_equals_int (n_qos, 0);
  fail_unless_equals_uint64 (in, 300);
  fail_unless_equals_uint64 (out, 5);

  n_qos = count_qos_messages (TRUE, &in, &out);
  GST_INFO ("skip-ahead: %u QoS messages, %" G_GUINT64_FORMAT " frames in",
      n_qos, in);
  fail_unless_equals_uint64 (out, 5);
  fail_unless (in < 300, "the decoder skipped nothing");
  fail_unless_equals_uint64 (n_qos, 300 - in);
}

GST_END_TEST;

static Suite *
framedecimate_suite (void)
{
  Suite *s = suite_create ("framedecimate");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_every_nth_harness);
  tcase_add_test (tc, test_every_nth_pipeline);
  tcase_add_test (tc, test_every_nth_skip_ahead);
  tcase_add_test (tc, test_min_frames_short_film);
  tcase_add_test (tc, test_min_frames_long_film);
  tcase_add_test (tc, test_min_frames_unknown);
  tcase_add_test (tc, test_min_frames_file);
  tcase_add_test (tc, test_every_nth_skips_decoding);
  tcase_add_test (tc, test_qos_messages);
  tcase_add_test (tc, test_passthrough_no_copy);
  tcase_add_test (tc, test_position_passes_through);
  tcase_add_test (tc, test_interval_variable_rate);
  tcase_add_test (tc, test_interval_stream_time);
  tcase_add_test (tc, test_interval_pipeline);
  tcase_add_test (tc, test_interval_no_timestamp);
  tcase_add_test (tc, test_count_known_duration);
  tcase_add_test (tc, test_count_file);
  tcase_add_test (tc, test_count_unknown_duration);
  tcase_add_test (tc, test_scene_cuts);
  tcase_add_test (tc, test_scene_fade);
  tcase_add_test (tc, test_scene_flash);
  tcase_add_test (tc, test_scene_motion);
  tcase_add_test (tc, test_scene_unknown_format);
  tcase_add_test (tc, test_keyframes_clip_fixture);
  tcase_add_test (tc, test_keyframes_decoded);
  tcase_add_test (tc, test_keyframes_app_seek);
  tcase_add_test (tc, test_keyframes_top_up);
  tcase_add_test (tc, test_seek_kept_frames);
  tcase_add_test (tc, test_seek_sparse_key_frames);
  tcase_add_test (tc, test_seek_top_up);
  tcase_add_test (tc, test_seek_top_up_reads_on);
  tcase_add_test (tc, test_seek_top_up_one_key_frame);
  tcase_add_test (tc, test_seek_short_reads_through);
  tcase_add_test (tc, test_seek_not_seekable);
  tcase_add_test (tc, test_keyframes_not_seekable);
  tcase_add_test (tc, test_flush_resets);
  tcase_add_test (tc, test_flush_resets_interval);
  tcase_add_test (tc, test_segment_resets);
  tcase_add_test (tc, test_sampling_event_modes);
  tcase_add_test (tc, test_sampling_event_changes);
  tcase_add_test (tc, test_keyframes_real_clip);
  return s;
}

/* Encodes the VP8 clip the keyframes and count tests read, once */
static void
ensure_vp8_clip (void)
{
  ensure_clip (vp8_clip, 30);
}

/* 150 frames at 30 fps, a key frame every @key_distance frames */
static void
ensure_clip (const gchar * path, guint key_distance)
{
  Collected c;
  GstElement *pipeline;
  gchar *desc, *partial;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  partial = g_strconcat (path, ".part", NULL);
  desc = g_strdup_printf ("videotestsrc num-buffers=150 pattern=ball ! "
      "video/x-raw,width=160,height=120,framerate=30/1 ! "
      "vp8enc keyframe-max-dist=%u deadline=1 ! webmmux ! "
      "filesink location=%s", key_distance, partial);
  collected_init (&c);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL, "cannot encode the test clip (vp8enc, "
      "webmmux)");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  wait_for (pipeline, GST_MESSAGE_EOS, &c);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  fail_unless (g_rename (partial, path) == 0);
  collected_clear (&c);
  g_free (desc);
  g_free (partial);
}

int
main (int argc, char **argv)
{
  Suite *s;
  int ret;

  gst_check_init (&argc, &argv);
  clip_dir = g_dir_make_tmp ("framedecimate-XXXXXX", NULL);
  g_assert (clip_dir != NULL);
  vp8_clip = g_build_filename (clip_dir, "kf30.webm", NULL);
  vp8_one_key_clip = g_build_filename (clip_dir, "kf1000.webm", NULL);

  s = framedecimate_suite ();
  ret = gst_check_run_suite (s, "framedecimate", __FILE__);

  g_unlink (vp8_clip);
  g_unlink (vp8_one_key_clip);
  g_rmdir (clip_dir);
  g_free (vp8_clip);
  g_free (vp8_one_key_clip);
  g_free (clip_dir);
  return ret;
}
