/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* palettesink: known colors in known shares give that palette, through raw
 * frames and a real encode/decode; every property changes what comes out;
 * the bus message and the JSON record field by field; bad input. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <palette/sampling-event.h>

#include "colorspace.h"
#include "message-helpers.h"
#include "test-files.h"

/* ------------------------------------------------------------------------ */
/* Helpers */

typedef struct
{
  guint8 r, g, b;
  guint frames;
} ColorRun;

static gchar *tmp_dir;

static gchar *
tmp_path (const gchar * name)
{
  return g_build_filename (tmp_dir, name, NULL);
}


/* A frame of one color, or of vertical stripes of two colors one pixel
 * wide (second color NULL: solid). */
static GstBuffer *
make_rgb_frame (const GstVideoInfo * info, const guint8 * c1,
    const guint8 * c2, GstClockTime pts, GstClockTime duration)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;
  gint x, y;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  for (y = 0; y < GST_VIDEO_INFO_HEIGHT (info); y++) {
    guint8 *row = map.data + y * GST_VIDEO_INFO_PLANE_STRIDE (info, 0);
    for (x = 0; x < GST_VIDEO_INFO_WIDTH (info); x++) {
      const guint8 *c = (c2 && (x & 1)) ? c2 : c1;
      memcpy (row + 3 * x, c, 3);
    }
  }
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = duration;
  return buffer;
}

/* Runs pipeline_desc, which must hold an appsrc named "src" (when runs is
 * not NULL) and a palettesink named "sink", to EOS or an error. Returns the
 * palette messages in order; error receives the first error message. */
typedef struct
{
  GList *palettes;              /* GstMessage* */
  GstMessage *error;
  gboolean eos;
  gboolean timed_out;
  guint64 sink_frames;
} RunResult;

/* How long run_pipeline waits, and whether running out of time fails. */
static GstClockTime pipeline_timeout = 120 * GST_SECOND;
static gboolean timeout_is_failure = TRUE;

static void
run_result_clear (RunResult * result)
{
  g_list_free_full (result->palettes, (GDestroyNotify) gst_message_unref);
  if (result->error)
    gst_message_unref (result->error);
  memset (result, 0, sizeof (*result));
}

static void
push_runs (GstElement * src, gint width, gint height, const ColorRun * runs,
    guint n_runs, gint fps)
{
  GstVideoInfo info;
  GstCaps *caps;
  GstClockTime duration = gst_util_uint64_scale_int (GST_SECOND, 1, fps);
  guint64 n = 0;
  guint r, i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, width, height);
  info.fps_n = fps;
  info.fps_d = 1;
  caps = gst_video_info_to_caps (&info);
  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);

  for (r = 0; r < n_runs; r++) {
    const guint8 c[3] = { runs[r].r, runs[r].g, runs[r].b };
    for (i = 0; i < runs[r].frames; i++, n++) {
      GstFlowReturn ret;
      GstBuffer *buffer = make_rgb_frame (&info, c, NULL, n * duration,
          duration);
      g_signal_emit_by_name (src, "push-buffer", buffer, &ret);
      gst_buffer_unref (buffer);
      if (ret != GST_FLOW_OK)
        return;
    }
  }
  g_signal_emit_by_name (src, "end-of-stream", &(GstFlowReturn) {
      GST_FLOW_OK});
}

static void
run_pipeline (GstElement * pipeline, const ColorRun * runs, guint n_runs,
    gint width, gint height, RunResult * result)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstStateChangeReturn sret;

  memset (result, 0, sizeof (*result));
  sret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (sret != GST_STATE_CHANGE_FAILURE && runs) {
    GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
    push_runs (src, width, height, runs, n_runs, 25);
    gst_object_unref (src);
  }

  while (TRUE) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, pipeline_timeout,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    if (!msg) {
      fail_if (timeout_is_failure, "timeout waiting for the pipeline");
      result->timed_out = TRUE;
      break;
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT) {
      if (gst_message_has_name (msg, "palette"))
        result->palettes = g_list_append (result->palettes, msg);
      else
        gst_message_unref (msg);
      continue;
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      result->eos = TRUE;
      gst_message_unref (msg);
    } else {
      result->error = msg;
    }
    break;
  }
  if (sink)
    g_object_get (sink, "frames", &result->sink_frames, NULL);
  /* the bus is flushed at NULL: read what stopping posted in READY */
  gst_element_set_state (pipeline, GST_STATE_READY);
  gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE);
  while (TRUE) {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
    if (!msg)
      break;
    if (gst_message_has_name (msg, "palette"))
      result->palettes = g_list_append (result->palettes, msg);
    else
      gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (sink)
    gst_object_unref (sink);
  gst_object_unref (bus);
}

static GstElement *
parse (const gchar * desc)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);

  fail_unless (pipeline != NULL, "could not parse %s: %s", desc,
      error ? error->message : "?");
  g_clear_error (&error);
  return pipeline;
}

static void
run_launch (const gchar * desc, RunResult * result)
{
  GstElement *pipeline = parse (desc);
  run_pipeline (pipeline, NULL, 0, 0, 0, result);
  gst_object_unref (pipeline);
}

static void
run_runs (const gchar * sink_props, const ColorRun * runs, guint n_runs,
    gint width, gint height, RunResult * result)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! palettesink name=sink %s",
      sink_props ? sink_props : "");
  GstElement *pipeline = parse (desc);

  run_pipeline (pipeline, runs, n_runs, width, height, result);
  gst_object_unref (pipeline);
  g_free (desc);
}

static const GstStructure *
last_palette (const RunResult * result)
{
  GList *last = g_list_last (result->palettes);

  fail_unless (last != NULL, "no palette message");
  return gst_message_get_structure (last->data);
}




static gboolean
palette_is_complete (const GstStructure * s)
{
  gboolean complete = FALSE;

  fail_unless (gst_structure_get_boolean (s, "complete", &complete));
  return complete;
}

static gboolean
palette_is_bw (const GstStructure * s)
{
  gboolean bw = FALSE;
  fail_unless (gst_structure_get_boolean (s, "black-and-white", &bw));
  return bw;
}

/* Asserts that each run's color is in the palette within max_de with the
 * run's share within 2 %; palette colors ordered by share. */
static void
check_palette_matches (const GstStructure * s, const ColorRun * runs,
    guint n_runs, gdouble max_de)
{
  guint total = 0, r, i;

  for (r = 0; r < n_runs; r++)
    total += runs[r].frames;
  for (r = 0; r < n_runs; r++) {
    const guint8 c[3] = { runs[r].r, runs[r].g, runs[r].b };
    gdouble best = G_MAXDOUBLE, share = 0, expected;
    for (i = 0; i < palette_size (s); i++) {
      gdouble de = delta_e (palette_color (s, i), c);
      if (de < best) {
        best = de;
        share = palette_weight (s, i);
      }
    }
    expected = runs[r].frames / (gdouble) total;
    fail_unless (best <= max_de, "color %02x%02x%02x: nearest dE %.2f > %.2f",
        c[0], c[1], c[2], best, max_de);
    fail_unless (fabs (share - expected) <= 0.02,
        "color %02x%02x%02x: share %.4f, expected %.4f", c[0], c[1], c[2],
        share, expected);
  }
  for (i = 1; i < palette_size (s); i++)
    fail_unless (palette_weight (s, i - 1) >= palette_weight (s, i));
}

static JsonObject *
load_record (const gchar * path, JsonParser ** parser)
{
  GError *error = NULL;

  *parser = json_parser_new ();
  fail_unless (json_parser_load_from_file (*parser, path, &error),
      "cannot read %s: %s", path, error ? error->message : "?");
  fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)));
  return json_node_get_object (json_parser_get_root (*parser));
}

static gchar *
read_file (const gchar * path)
{
  gchar *contents = NULL;
  fail_unless (g_file_get_contents (path, &contents, NULL, NULL),
      "cannot read %s", path);
  return contents;
}

/* The record without the lines that hold dates and wall times. */
static gchar *
record_without_dates (const gchar * path)
{
  gchar *text = read_file (path);
  gchar **lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  gchar **l;

  for (l = lines; *l; l++) {
    if (strstr (*l, "\"id\":") || strstr (*l, "\"calculation_date\":")
        || strstr (*l, "\"calculation_duration_seconds\":"))
      continue;
    g_string_append (out, *l);
    g_string_append_c (out, '\n');
  }
  g_strfreev (lines);
  g_free (text);
  return g_string_free (out, FALSE);
}

/* A harness around a palettesink configured before it starts. */
static GstHarness *
sink_harness (GstBus * bus, const gchar * first_property, ...)
{
  GstElement *sink = gst_element_factory_make ("palettesink", NULL);
  GstHarness *h;
  va_list args;

  va_start (args, first_property);
  if (first_property)
    g_object_set_valist (G_OBJECT (sink), first_property, args);
  va_end (args);
  gst_element_set_bus (sink, bus);
  h = gst_harness_new_with_element (sink, "sink", NULL);
  /* frames are pushed faster than real time and must all be analysed: a
   * live source's frames would be dropped when the analysis is behind */
  gst_harness_set_live (h, FALSE);
  gst_object_unref (sink);
  return h;
}

static const ColorRun three_colors[] = {
  {200, 40, 40, 50},
  {40, 160, 60, 30},
  {50, 70, 200, 20},
};

static const ColorRun four_grays[] = {
  {20, 20, 20, 40},
  {90, 90, 90, 30},
  {160, 160, 160, 20},
  {235, 235, 235, 10},
};

/* ------------------------------------------------------------------------ */
/* Known colors in known proportions */

GST_START_TEST (test_three_colors_raw)
{
  RunResult result;
  const GstStructure *s;

  run_runs (NULL, three_colors, 3, 64, 36, &result);
  fail_unless (result.eos);
  fail_unless (result.error == NULL);
  fail_unless_equals_int (g_list_length (result.palettes), 1);
  s = last_palette (&result);
  /* three distinct colors: three clusters, not ten */
  fail_unless_equals_int (palette_size (s), 3);
  check_palette_matches (s, three_colors, 3, 2.0);
  fail_if (palette_is_bw (s));
  fail_unless_equals_uint64 (result.sink_frames, 100);
  run_result_clear (&result);
}

GST_END_TEST;

static gboolean
have_elements (const gchar * first, ...)
{
  va_list args;
  const gchar *name = first;
  gboolean ok = TRUE;

  va_start (args, first);
  while (name) {
    GstElementFactory *f = gst_element_factory_find (name);
    if (!f) {
      g_print ("element %s is missing\n", name);
      ok = FALSE;
    } else {
      gst_object_unref (f);
    }
    name = va_arg (args, const gchar *);
  }
  va_end (args);
  return ok;
}

static void
check_three_colors_encoded (const gchar * encoder, const gchar * muxer,
    const gchar * file_name)
{
  gchar *path = tmp_path (file_name), *desc;
  GstElement *pipeline;
  RunResult result;
  const GstStructure *s;

  desc = g_strdup_printf ("appsrc name=src format=time ! videoconvert ! %s ! %s ! "
      "filesink location=\"%s\"", encoder, muxer, path);
  pipeline = parse (desc);
  run_pipeline (pipeline, three_colors, 3, 64, 48, &result);
  fail_unless (result.eos, "encoding failed");
  run_result_clear (&result);
  gst_object_unref (pipeline);
  g_free (desc);

  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "palettesink name=sink colors=3", path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  s = last_palette (&result);
  fail_unless_equals_int (palette_size (s), 3);
  check_palette_matches (s, three_colors, 3, 2.0);
  fail_unless_equals_uint64 (result.sink_frames, 100);
  run_result_clear (&result);
  g_free (desc);
  g_free (path);
}

GST_START_TEST (test_three_colors_vp8)
{
  if (!have_elements ("vp8enc", "webmmux", "vp8dec", NULL))
    return;
  check_three_colors_encoded ("vp8enc deadline=1 target-bitrate=4000000 "
      "min-quantizer=0 max-quantizer=10", "webmmux", "three.webm");
}

GST_END_TEST;

GST_START_TEST (test_three_colors_theora)
{
  if (!have_elements ("theoraenc", "oggmux", "theoradec", NULL))
    return;
  check_three_colors_encoded ("theoraenc quality=63", "oggmux", "three.ogg");
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Black and white */

static gboolean
is_gray (guint32 rgb)
{
  return ((rgb >> 16) & 0xff) == ((rgb >> 8) & 0xff)
      && ((rgb >> 8) & 0xff) == (rgb & 0xff);
}

GST_START_TEST (test_grayscale_detected)
{
  RunResult result;
  const GstStructure *s;
  guint i;

  run_runs (NULL, four_grays, 4, 64, 36, &result);
  s = last_palette (&result);
  fail_unless (palette_is_bw (s));
  fail_unless_equals_int (palette_size (s), 4);
  for (i = 0; i < 4; i++)
    fail_unless (is_gray (palette_color (s, i)), "%06x is not gray",
        palette_color (s, i));
  check_palette_matches (s, four_grays, 4, 2.0);
  run_result_clear (&result);
}

GST_END_TEST;

GST_START_TEST (test_saturated_not_bw)
{
  RunResult result;
  const GstStructure *s;

  run_launch ("videotestsrc num-buffers=10 pattern=smpte ! "
      "palettesink name=sink", &result);
  s = last_palette (&result);
  fail_if (palette_is_bw (s));
  fail_unless_equals_int (palette_size (s), 10);
  run_result_clear (&result);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* The message and the record, field by field */

GST_START_TEST (test_message_fields)
{
  RunResult result;
  const GstStructure *s;
  gboolean final = FALSE, complete = FALSE;
  guint64 frames = 0, timestamp = 0, stream_time = 0, running_time = 0;
  guint64 duration = 0;
  gdouble sum = 0, saturation = -1;
  guint i;

  run_runs (NULL, three_colors, 3, 32, 18, &result);
  s = last_palette (&result);
  fail_unless (gst_structure_has_name (s, "palette"));
  fail_unless (GST_VALUE_HOLDS_ARRAY (gst_structure_get_value (s, "colors")));
  fail_unless (GST_VALUE_HOLDS_ARRAY (gst_structure_get_value (s,
              "weights")));
  fail_unless_equals_int (palette_size (s), 3);
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (s, "weights")), 3);
  for (i = 0; i < 3; i++) {
    fail_unless (G_VALUE_HOLDS_UINT (gst_value_array_get_value
            (gst_structure_get_value (s, "colors"), i)));
    sum += palette_weight (s, i);
  }
  fail_unless (fabs (sum - 1.0) < 1e-9);
  /* the heaviest first: (200, 40, 40) has half the frames */
  fail_unless (delta_e (palette_color (s, 0), (guint8[]) {
          200, 40, 40}) < 2.0);
  fail_unless (gst_structure_get_boolean (s, "final", &final) && final);
  fail_unless (gst_structure_get_boolean (s, "complete", &complete)
      && complete);
  fail_if (palette_is_bw (s));
  fail_unless (gst_structure_get_uint64 (s, "frames", &frames));
  fail_unless_equals_uint64 (frames, 100);
  fail_unless (gst_structure_get_double (s, "mean-saturation", &saturation));
  fail_unless (saturation > 0.5 && saturation < 1.0);
  fail_unless (gst_structure_get_uint64 (s, "timestamp", &timestamp));
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &stream_time));
  fail_unless (gst_structure_get_uint64 (s, "running-time", &running_time));
  fail_unless (gst_structure_get_uint64 (s, "duration", &duration));
  fail_unless_equals_uint64 (timestamp, 0);
  fail_unless_equals_uint64 (stream_time, 0);
  fail_unless_equals_uint64 (running_time, 0);
  /* 100 frames at 25 fps */
  fail_unless_equals_uint64 (duration, 4 * GST_SECOND);
  run_result_clear (&result);
}

GST_END_TEST;

static gint64
member_int (JsonObject * o, const gchar * name)
{
  fail_unless (json_object_has_member (o, name), "no member %s", name);
  return json_object_get_int_member (o, name);
}

GST_START_TEST (test_record_fields)
{
  gchar *path = tmp_path ("record.json"), *props;
  RunResult result;
  JsonParser *parser;
  JsonObject *o, *resize, *source, *fingerprint;
  JsonArray *colors, *weights, *hex, *timestamps, *fp_colors, *fp_weights;
  const GstStructure *s;
  guint i;
  gdouble sum = 0;
  GDateTime *date;

  props = g_strdup_printf ("location=\"%s\" fingerprint-colors=2", path);
  run_runs (props, three_colors, 3, 32, 18, &result);
  fail_unless (result.eos);
  s = last_palette (&result);
  o = load_record (path, &parser);

  fail_unless_equals_int (strlen (json_object_get_string_member (o, "id")),
      6);
  /* the seed's id: md5 of "title_date" */
  {
    gchar *text = g_strdup_printf ("None_%s",
        json_object_get_string_member (o, "calculation_date"));
    gchar *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
    fail_unless (strncmp (md5, json_object_get_string_member (o, "id"),
            6) == 0);
    g_free (md5);
    g_free (text);
  }
  date = g_date_time_new_from_iso8601 (json_object_get_string_member (o,
          "calculation_date"), NULL);
  fail_unless (date != NULL);
  g_date_time_unref (date);
  fail_unless (member_int (o, "calculation_duration_seconds") >= 0);
  fail_unless_equals_string (json_object_get_string_member (o, "runtime"),
      "CPU");
  fail_unless_equals_string (json_object_get_string_member (o,
          "clustering_method"), "kmedians");
  fail_unless_equals_string (json_object_get_string_member (o,
          "color_space"), "cielab");
  fail_if (json_object_get_boolean_member (o, "is_black_and_white"));
  fail_unless_equals_int (member_int (o, "clusters_nb"), 10);
  fail_unless (json_object_get_null_member (o, "frame_skip"));
  resize = json_object_get_object_member (o, "resize");
  /* the size the 32×18 frames were analysed at: not upscaled to 160×90 */
  fail_unless_equals_int (member_int (resize, "width"), 32);
  fail_unless_equals_int (member_int (resize, "height"), 18);
  fail_unless_equals_int (member_int (o, "batch_size"), 32);

  colors = json_object_get_array_member (o, "colors");
  weights = json_object_get_array_member (o, "weights");
  hex = json_object_get_array_member (o, "hex");
  fail_unless_equals_int (json_array_get_length (colors), 3);
  fail_unless_equals_int (json_array_get_length (weights), 3);
  fail_unless_equals_int (json_array_get_length (hex), 3);
  for (i = 0; i < 3; i++) {
    JsonArray *rgb = json_array_get_array_element (colors, i);
    guint32 c = palette_color (s, i);
    gchar *expected_hex = g_strdup_printf ("#%06x", c);

    fail_unless_equals_int (json_array_get_length (rgb), 3);
    fail_unless_equals_int (json_array_get_int_element (rgb, 0), c >> 16);
    fail_unless_equals_int (json_array_get_int_element (rgb, 1),
        (c >> 8) & 0xff);
    fail_unless_equals_int (json_array_get_int_element (rgb, 2), c & 0xff);
    fail_unless_equals_string (json_array_get_string_element (hex, i),
        expected_hex);
    fail_unless (fabs (json_array_get_double_element (weights, i) -
            palette_weight (s, i)) < 1e-6);
    sum += json_array_get_double_element (weights, i);
    g_free (expected_hex);
  }
  fail_unless (fabs (sum - 1.0) < 1e-5);
  fail_unless_equals_int (member_int (o, "frames_analyzed"), 100);
  fail_unless (json_object_get_double_member (o, "mean_saturation") > 0.5);
  fail_unless (json_object_get_boolean_member (o, "complete"));

  source = json_object_get_object_member (o, "source");
  /* appsrc has no URI, no title, no duration */
  fail_unless (json_object_get_null_member (source, "uri"));
  fail_unless (json_object_get_null_member (source, "title"));
  fail_unless (json_object_get_null_member (source, "duration_seconds"));

  fingerprint = json_object_get_object_member (o, "fingerprint");
  timestamps = json_object_get_array_member (fingerprint, "timestamps");
  fp_colors = json_object_get_array_member (fingerprint, "colors");
  fp_weights = json_object_get_array_member (fingerprint, "weights");
  fail_unless_equals_int (json_array_get_length (timestamps), 100);
  fail_unless_equals_int (json_array_get_length (fp_colors), 100);
  fail_unless_equals_int (json_array_get_length (fp_weights), 100);
  for (i = 0; i < 100; i++) {
    JsonArray *frame_colors = json_array_get_array_element (fp_colors, i);
    JsonArray *rgb = json_array_get_array_element (frame_colors, 0);
    const ColorRun *run = i < 50 ? &three_colors[0] : i < 80 ?
        &three_colors[1] : &three_colors[2];

    fail_unless (fabs (json_array_get_double_element (timestamps, i) -
            i * 0.04) < 1e-9);
    /* a solid frame: one dominant color with the whole frame */
    fail_unless_equals_int (json_array_get_length (frame_colors), 1);
    fail_unless (abs ((gint) json_array_get_int_element (rgb, 0) - run->r) <=
        1);
    fail_unless (abs ((gint) json_array_get_int_element (rgb, 1) - run->g) <=
        1);
    fail_unless (abs ((gint) json_array_get_int_element (rgb, 2) - run->b) <=
        1);
    fail_unless (fabs (json_array_get_double_element
            (json_array_get_array_element (fp_weights, i), 0) - 1.0) < 1e-9);
  }

  g_object_unref (parser);
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

/* The URI, title and duration come from the stream. */
GST_START_TEST (test_record_source)
{
  gchar *clip = tmp_path ("source clip.webm"), *path = tmp_path ("src.json");
  gchar *desc, *uri;
  GstElement *pipeline;
  RunResult result;
  JsonParser *parser;
  JsonObject *o, *source;

  if (!have_elements ("vp8enc", "webmmux", "taginject", NULL))
    return;
  desc = g_strdup_printf ("appsrc name=src format=time ! videoconvert ! vp8enc ! "
      "webmmux ! filesink location=\"%s\"", clip);
  pipeline = parse (desc);
  run_pipeline (pipeline, three_colors, 3, 32, 16, &result);
  fail_unless (result.eos);
  run_result_clear (&result);
  gst_object_unref (pipeline);
  g_free (desc);

  /* no title tag: the file name without its extension */
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "palettesink name=sink location=\"%s\"", clip, path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  o = load_record (path, &parser);
  source = json_object_get_object_member (o, "source");
  uri = gst_filename_to_uri (clip, NULL);
  fail_unless_equals_string (json_object_get_string_member (source, "uri"),
      uri);
  fail_unless_equals_string (json_object_get_string_member (source, "title"),
      "source clip");
  fail_unless (fabs (json_object_get_double_member (source,
              "duration_seconds") - 4.0) < 0.05);
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (desc);

  /* a title tag wins */
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "taginject tags=\"title=\\\"The Film\\\"\" ! "
      "palettesink name=sink location=\"%s\"", clip, path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  o = load_record (path, &parser);
  source = json_object_get_object_member (o, "source");
  fail_unless_equals_string (json_object_get_string_member (source, "title"),
      "The Film");
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (desc);
  g_free (uri);
  g_free (clip);
  g_free (path);
}

GST_END_TEST;

/* YCbCr frames are decoded with the exact coefficients of their caps'
 * matrix and range: one color of known Y, Cb, Cr gives the palette of the
 * formula, rounded (GstVideoConverter's 8-bit path gives 126, 253 and 26
 * for the first three, its 16-bit path tints the grays), and the record
 * names the matrix. */
GST_START_TEST (test_exact_yuv_conversion)
{
  const struct
  {
    const gchar *colorimetry;
    guint8 y, cb, cr;
    guint8 rgb[3];
    const gchar *matrix;
  } cases[] = {
    /* (Y - 16) / 219 · 255 = 128.08 */
    {"bt601", 126, 128, 128, {128, 128, 128}, "bt601"},
    /* 27.95 */
    {"bt601", 40, 128, 128, {28, 28, 28}, "bt601"},
    /* (254.44, -0.48, -0.97) */
    {"bt601", 81, 90, 240, {254, 0, 0}, "bt601"},
    /* BT.709: (271.6, 24.10, -4.7) */
    {"bt709", 81, 90, 240, {255, 24, 0}, "bt709"},
    /* full range BT.601: Y 126 is 126 */
    {"1:4:0:0", 126, 128, 128, {126, 126, 126}, "bt601"},
  };
  gchar *raw = tmp_path ("color.i420"), *json = tmp_path ("color.json");
  guint c, i;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    /* larger than 160×90: frames that keep their size are converted by
     * GstVideoConverter alone (palette-worker.c) */
    static guint8 frame[320 * 180 * 3 / 2];
    gchar *desc;
    RunResult result;
    JsonParser *parser;
    JsonObject *o;
    JsonArray *color;

    memset (frame, cases[c].y, 320 * 180);
    memset (frame + 320 * 180, cases[c].cb, 160 * 90);
    memset (frame + 320 * 180 + 160 * 90, cases[c].cr, 160 * 90);
    fail_unless (g_file_set_contents (raw, (const gchar *) frame,
            sizeof (frame), NULL));
    desc = g_strdup_printf ("filesrc location=\"%s\" ! rawvideoparse "
        "format=i420 width=320 height=180 framerate=1/1 colorimetry=%s ! "
        "palettesink name=sink colors=1 bw-mode=color location=\"%s\"",
        raw, cases[c].colorimetry, json);
    run_launch (desc, &result);
    fail_unless (result.eos);
    o = load_record (json, &parser);
    color = json_array_get_array_element (json_object_get_array_member (o,
            "colors"), 0);
    for (i = 0; i < 3; i++)
      fail_unless_equals_int (json_array_get_int_element (color, i),
          cases[c].rgb[i]);
    fail_unless_equals_string (json_object_get_string_member (o,
            "color_matrix"), cases[c].matrix);
    g_object_unref (parser);
    run_result_clear (&result);
    g_free (desc);
  }
  g_free (raw);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_frame_skip)
{
  gchar *path = tmp_path ("skip.json"), *desc;
  GstElement *pipeline;
  RunResult result;
  JsonParser *parser;
  JsonObject *o, *sampling;

  if (!have_elements ("framedecimate", NULL)) {
    g_print ("framedecimate is not built: frame_skip not tested\n");
    g_free (path);
    return;
  }
  desc = g_strdup_printf ("videotestsrc num-buffers=50 ! "
      "framedecimate mode=every-nth step=10 min-frames=0 ! queue ! "
      "palettesink name=sink location=\"%s\"", path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  fail_unless_equals_uint64 (result.sink_frames, 5);
  o = load_record (path, &parser);
  fail_unless_equals_int (member_int (o, "frame_skip"), 10);
  sampling = json_object_get_object_member (o, "sampling");
  fail_unless_equals_int (json_object_get_int_member (sampling, "step"), 10);
  fail_unless_equals_int (json_object_get_int_member (sampling,
          "requested_step"), 10);
  fail_unless_equals_int (json_object_get_int_member (sampling,
          "min_frames"), 0);
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (desc);

  /* the default floor of 100 frames: 50 frames (a known duration of 2 s at
   * 25 fps) are too few for it, all of them are kept, and the record says
   * the step used, 1, and the one asked for */
  desc = g_strdup_printf ("videotestsrc num-buffers=50 ! "
      "video/x-raw,framerate=25/1 ! framedecimate step=10 ! queue ! "
      "palettesink name=sink location=\"%s\"", path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  fail_unless_equals_uint64 (result.sink_frames, 50);
  o = load_record (path, &parser);
  fail_unless_equals_int (member_int (o, "frame_skip"), 1);
  fail_unless_equals_int (member_int (o, "frames_analyzed"), 50);
  sampling = json_object_get_object_member (o, "sampling");
  fail_unless_equals_int (json_object_get_int_member (sampling, "step"), 1);
  fail_unless_equals_int (json_object_get_int_member (sampling,
          "requested_step"), 10);
  fail_unless_equals_int (json_object_get_int_member (sampling,
          "min_frames"), 100);
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (desc);

  /* another mode: no frame skip to report */
  desc = g_strdup_printf ("videotestsrc num-buffers=50 ! "
      "framedecimate mode=interval ! palettesink name=sink location=\"%s\"",
      path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  o = load_record (path, &parser);
  fail_unless (json_object_get_null_member (o, "frame_skip"));
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (desc);

  /* the application's own frames */
  desc = g_strdup_printf ("appsrc name=src format=time ! "
      "framedecimate step=7 ! palettesink name=sink location=\"%s\"", path);
  pipeline = parse (desc);
  run_pipeline (pipeline, three_colors, G_N_ELEMENTS (three_colors), 32, 18,
      &result);
  fail_unless (result.eos);
  /* frames 0, 7, ..., 98 of 100 */
  fail_unless_equals_uint64 (result.sink_frames, 15);
  o = load_record (path, &parser);
  fail_unless_equals_int (member_int (o, "frame_skip"), 7);
  g_object_unref (parser);
  run_result_clear (&result);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

/* A copy of the record's member @name (NULL when absent) after the
 * sampling event @sampling and the event @after on the sink's pad */
static JsonNode *
record_member_for (GstEvent * sampling, GstEvent * after, const gchar * name)
{
  gchar *path = tmp_path ("event-skip.json");
  GstHarness *h = sink_harness (NULL, "location", path, NULL);
  GstVideoInfo info;
  const guint8 red[3] = { 255, 0, 0 };
  JsonParser *parser;
  JsonObject *record;
  JsonNode *member;

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=16,height=16,framerate=25/1");
  if (sampling)
    fail_unless (gst_harness_push_event (h, sampling));
  if (after)
    fail_unless (gst_harness_push_event (h, after));
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 16, 16);
  fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, red,
              NULL, 0, GST_SECOND / 25)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  record = load_record (path, &parser);
  member = json_object_has_member (record, name) ?
      json_node_copy (json_object_get_member (record, name)) : NULL;
  g_object_unref (parser);
  gst_harness_teardown (h);
  g_unlink (path);
  g_free (path);
  return member;
}

/* The record's frame_skip for the sampling event on the sink's pad: the
 * step in every-nth mode, null for the other modes and without one. */
static JsonNode *
frame_skip_for (GstEvent * sampling, GstEvent * after)
{
  JsonNode *frame_skip = record_member_for (sampling, after, "frame_skip");

  fail_unless (frame_skip != NULL);
  return frame_skip;
}

static GstEvent *
sampling_event (const gchar * mode, guint step)
{
  PaletteSampling sampling = {.mode = mode,.step = step,
    .interval = GST_SECOND,.count = 10
  };

  return palette_sampling_event_new (&sampling);
}

GST_START_TEST (test_frame_skip_from_event)
{
  JsonNode *frame_skip;

  frame_skip = frame_skip_for (sampling_event ("every-nth", 13), NULL);
  fail_unless_equals_int (json_node_get_int (frame_skip), 13);
  json_node_unref (frame_skip);

  frame_skip = frame_skip_for (sampling_event ("interval", 13), NULL);
  fail_unless (JSON_NODE_HOLDS_NULL (frame_skip));
  json_node_unref (frame_skip);

  /* no framedecimate upstream: as before there was an event */
  frame_skip = frame_skip_for (NULL, NULL);
  fail_unless (JSON_NODE_HOLDS_NULL (frame_skip));
  json_node_unref (frame_skip);

  /* someone else's sticky event is not a sampling */
  frame_skip = frame_skip_for (gst_event_new_custom
      (GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, gst_structure_new ("http-headers",
              "step", G_TYPE_UINT, 13, NULL)), NULL);
  fail_unless (JSON_NODE_HOLDS_NULL (frame_skip));
  json_node_unref (frame_skip);

  /* the sampling of the stream before does not describe a new one */
  frame_skip = frame_skip_for (sampling_event ("every-nth", 13),
      gst_event_new_stream_start ("another"));
  fail_unless (JSON_NODE_HOLDS_NULL (frame_skip));
  json_node_unref (frame_skip);

  /* the last one counts */
  frame_skip = frame_skip_for (sampling_event ("every-nth", 13),
      sampling_event ("every-nth", 4));
  fail_unless_equals_int (json_node_get_int (frame_skip), 4);
  json_node_unref (frame_skip);
}

GST_END_TEST;

/* The record's sampling object: the mode and the one parameter it uses;
 * seek, like count, gives its count (issue #20) */
GST_START_TEST (test_record_sampling)
{
  struct
  {
    const gchar *mode;
    const gchar *member;        /* NULL: the mode alone */
    gdouble value;
    guint n_members;            /* mode included */
  } cases[] = {
    /* every-nth also gives requested_step and min_frames (#19) */
    {"every-nth", "step", 13, 4},
    {"interval", "interval_seconds", 1.0, 2},
    {"count", "count", 10, 2},
    {"seek", "count", 10, 2},
    {"scene", "scene_threshold", 0.0, 2},
    {"keyframes", NULL, 0, 1},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    JsonNode *node = record_member_for (sampling_event (cases[i].mode, 13),
        NULL, "sampling");
    JsonObject *o;

    fail_unless (node != NULL && JSON_NODE_HOLDS_OBJECT (node), "%s",
        cases[i].mode);
    o = json_node_get_object (node);
    fail_unless_equals_string (json_object_get_string_member (o, "mode"),
        cases[i].mode);
    fail_unless_equals_int (json_object_get_size (o), cases[i].n_members);
    if (cases[i].member) {
      fail_unless (json_object_has_member (o, cases[i].member), "%s: no %s",
          cases[i].mode, cases[i].member);
      fail_unless_equals_float (json_object_get_double_member (o,
              cases[i].member), cases[i].value);
    }
    json_node_unref (node);
  }

  /* without framedecimate: no sampling */
  fail_unless (record_member_for (NULL, NULL, "sampling") == NULL);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Flushes: framedecimate's sampling seeks against an application's seek
 * (issue #20) */

/* The final palette of @first_frames frames of one color, a flush with
 * @flush_seqnum (none: GST_SEQNUM_INVALID), then @second_frames of another,
 * under a sampling event announcing @seek_seqnum: its palette message. */
static gchar *palette_string (const GstStructure * s);
static const ColorRun red_run = { 220, 30, 30, 6 }, blue_run = { 30, 40, 210, 2 };

static GstMessage *
palette_across_flush (guint32 seek_seqnum, guint32 flush_seqnum)
{
  guint first_frames = red_run.frames, second_frames = blue_run.frames;
  GstBus *bus = gst_bus_new ();
  GstHarness *h = sink_harness (bus, "colors", 2, "seed", 1, NULL);
  PaletteSampling sampling = {.mode = PALETTE_SAMPLING_MODE_SEEK,
    .count = 3,.interval = GST_SECOND,.seek_seqnum = seek_seqnum
  };
  const guint8 red[3] = { red_run.r, red_run.g, red_run.b };
  const guint8 blue[3] = { blue_run.r, blue_run.g, blue_run.b };
  GstClockTime frame = GST_SECOND / 25;
  GstVideoInfo info;
  GstMessage *msg, *final = NULL;
  guint i;

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=16,height=16,framerate=25/1");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 16, 16);
  fail_unless (gst_harness_push_event (h,
          palette_sampling_event_new (&sampling)));
  for (i = 0; i < first_frames; i++)
    fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, red,
                NULL, i * frame, frame)), GST_FLOW_OK);
  if (flush_seqnum != GST_SEQNUM_INVALID) {
    GstEvent *start = gst_event_new_flush_start ();
    GstEvent *stop = gst_event_new_flush_stop (TRUE);
    GstSegment segment;

    gst_event_set_seqnum (start, flush_seqnum);
    gst_event_set_seqnum (stop, flush_seqnum);
    fail_unless (gst_harness_push_event (h, start));
    fail_unless (gst_harness_push_event (h, stop));
    /* a seek's segment starts where it landed */
    gst_segment_init (&segment, GST_FORMAT_TIME);
    segment.start = segment.time = first_frames * frame;
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  }
  for (i = 0; i < second_frames; i++)
    fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, blue,
                NULL, (first_frames + i) * frame, frame)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (msg, "palette")) {
      if (final)
        gst_message_unref (final);
      final = msg;
    } else {
      gst_message_unref (msg);
    }
  }
  fail_unless (final != NULL, "no palette");
  gst_harness_teardown (h);
  gst_object_unref (bus);
  return final;
}

static guint64
palette_frames (GstMessage * palette)
{
  guint64 frames = 0;

  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (palette),
          "frames", &frames));
  return frames;
}

/* A flush that carries the seqnum framedecimate announced is one of its
 * sampling seeks: the analysis goes on, and the palette is the one of the
 * same frames without the flush. Any other flush is an application's seek:
 * the analysis starts over. */
GST_START_TEST (test_sampling_seek_keeps_analysis)
{
  guint32 own = gst_util_seqnum_next (), other = gst_util_seqnum_next ();
  const ColorRun both[] = { red_run, blue_run };
  GstMessage *plain, *own_seek, *user_seek, *stale;
  gchar *plain_text, *own_text, *user_text, *stale_text;

  plain = palette_across_flush (own, GST_SEQNUM_INVALID);
  own_seek = palette_across_flush (own, own);
  user_seek = palette_across_flush (own, other);
  /* without an announced seqnum every flush is an application's */
  stale = palette_across_flush (GST_SEQNUM_INVALID, own);
  plain_text = palette_string (gst_message_get_structure (plain));
  own_text = palette_string (gst_message_get_structure (own_seek));
  user_text = palette_string (gst_message_get_structure (user_seek));
  stale_text = palette_string (gst_message_get_structure (stale));

  /* red and blue, 6 frames to 2, with or without the sampling flush */
  fail_unless_equals_uint64 (palette_frames (plain), 8);
  check_palette_matches (gst_message_get_structure (plain), both, 2, 2.0);
  fail_unless_equals_uint64 (palette_frames (own_seek), 8);
  fail_unless_equals_string (own_text, plain_text);

  /* after an application's seek: blue alone */
  fail_unless_equals_uint64 (palette_frames (user_seek), 2);
  check_palette_matches (gst_message_get_structure (user_seek), &blue_run, 1,
      2.0);
  fail_unless_equals_uint64 (palette_frames (stale), 2);
  fail_unless_equals_string (stale_text, user_text);

  gst_message_unref (plain);
  gst_message_unref (own_seek);
  gst_message_unref (user_seek);
  gst_message_unref (stale);
  g_free (plain_text);
  g_free (own_text);
  g_free (user_text);
  g_free (stale_text);
}

GST_END_TEST;

/* Four one-second runs of colors, a key frame at the start of each */
static const ColorRun four_seconds[] = {
  {210, 40, 40, 25},
  {40, 180, 60, 25},
  {50, 70, 210, 25},
  {230, 200, 40, 25},
};

static gchar *
ensure_four_seconds_clip (void)
{
  gchar *path = tmp_path ("four-seconds.webm"), *desc;
  GstElement *pipeline;
  RunResult result;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  desc = g_strdup_printf ("appsrc name=src format=time ! videoconvert ! "
      "vp8enc keyframe-max-dist=25 deadline=1 ! webmmux ! filesink "
      "location=\"%s\"", path);
  pipeline = parse (desc);
  run_pipeline (pipeline, four_seconds, G_N_ELEMENTS (four_seconds), 64, 48,
      &result);
  fail_unless (result.eos, "encoding failed");
  run_result_clear (&result);
  gst_object_unref (pipeline);
  g_free (desc);
  return path;
}

typedef struct
{
  GPtrArray *frames;
  GstCaps *caps;
} KeptFrames;

static GstPadProbeReturn
keep_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  KeptFrames *kept = user_data;

  if (kept->caps == NULL)
    kept->caps = gst_pad_get_current_caps (pad);
  g_ptr_array_add (kept->frames, gst_buffer_ref (GST_PAD_PROBE_INFO_BUFFER
          (info)));
  return GST_PAD_PROBE_OK;
}

/* framedecimate mode=seek ends the stream itself after its last sample,
 * short of the duration and not always in a trick-mode segment: one sample
 * seeks nowhere, and on the 4-s clip (4 key frames, fewer than
 * min-keyframes) the last seek of two samples is a top-up's accurate one.
 * The palette is complete all the same, and no "cut short" warning. */
GST_START_TEST (test_sampling_seek_ends_complete)
{
  guint count;

  if (!have_elements ("vp8enc", "webmmux", "matroskademux", "vp8dec", NULL))
    return;
  for (count = 1; count <= 3; count++) {
    gchar *clip = ensure_four_seconds_clip ();
    gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
        "videoconvert ! video/x-raw,format=RGB ! framedecimate mode=seek "
        "count=%u ! palettesink name=sink colors=3", clip, count);
    GstElement *pipeline = parse (desc);
    RunResult result;

    run_pipeline (pipeline, NULL, 0, 0, 0, &result);
    fail_unless (result.eos);
    fail_unless (result.error == NULL);
    fail_unless_equals_uint64 (result.sink_frames, count);
    fail_unless (palette_is_complete (last_palette (&result)),
        "count=%u: the palette is marked incomplete", count);
    run_result_clear (&result);
    gst_object_unref (pipeline);
    g_free (desc);
    g_free (clip);
  }
}

GST_END_TEST;

/* Through real seeks: framedecimate mode=seek count=3 on the 4-s clip keeps
 * the frames at 0, 2 and 3 s (each reached by a seek, each a flush of the
 * sink); the sink's palette is the palette of those three frames pushed
 * without any seek. */
GST_START_TEST (test_sampling_seeks_same_palette)
{
  gchar *clip, *desc, *seeking, *plain;
  GstElement *pipeline, *sink, *src;
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  KeptFrames kept = { frames, NULL };
  GstPad *pad;
  RunResult result;
  guint i;

  if (!have_elements ("vp8enc", "webmmux", "matroskademux", "vp8dec", NULL))
    return;
  clip = ensure_four_seconds_clip ();
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! video/x-raw,format=RGB ! framedecimate mode=seek "
      "count=3 ! palettesink name=sink colors=3 seed=1", clip);
  pipeline = parse (desc);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, keep_buffer, &kept,
      NULL);
  run_pipeline (pipeline, NULL, 0, 0, 0, &result);
  fail_unless (result.eos);
  fail_unless (kept.caps != NULL);
  fail_unless_equals_uint64 (result.sink_frames, 3);
  fail_unless_equals_int (frames->len, 3);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (g_ptr_array_index (frames, 0)),
      0);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (g_ptr_array_index (frames, 1)),
      2 * GST_SECOND);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (g_ptr_array_index (frames, 2)),
      3 * GST_SECOND);
  seeking = palette_string (last_palette (&result));
  /* the runs at 0, 2 and 3 s, a third each */
  {
    const ColorRun kept[] = { four_seconds[0], four_seconds[2],
      four_seconds[3]
    };
    check_palette_matches (last_palette (&result), kept, 3, 2.0);
  }
  run_result_clear (&result);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);

  /* the same frames, without seeks */
  pipeline = parse ("appsrc name=src format=time ! palettesink name=sink "
      "colors=3 seed=1");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "caps", kept.caps, NULL);
  for (i = 0; i < frames->len; i++) {
    GstFlowReturn ret;

    g_signal_emit_by_name (src, "push-buffer", g_ptr_array_index (frames, i),
        &ret);
  }
  g_signal_emit_by_name (src, "end-of-stream", &(GstFlowReturn) {
      GST_FLOW_OK});
  run_pipeline (pipeline, NULL, 0, 0, 0, &result);
  if (result.error) {
    GError *error = NULL;

    gst_message_parse_error (result.error, &error, NULL);
    fail ("%s", error->message);
  }
  fail_unless (result.eos);
  fail_unless_equals_uint64 (result.sink_frames, 3);
  plain = palette_string (last_palette (&result));
  fail_unless_equals_string (seeking, plain);
  run_result_clear (&result);
  gst_object_unref (src);
  gst_object_unref (pipeline);

  gst_caps_unref (kept.caps);
  g_ptr_array_unref (frames);
  g_free (seeking);
  g_free (plain);
  g_free (desc);
  g_free (clip);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Determinism */

GST_START_TEST (test_same_seed_same_output)
{
  gchar *a = tmp_path ("a.json"), *b = tmp_path ("b.json"), *desc;
  gchar *text_a, *text_b;
  RunResult result;

  desc = g_strdup_printf ("videotestsrc num-buffers=40 pattern=ball "
      "background-color=0xff336699 ! palettesink name=sink seed=7 "
      "batch-size=8 location=\"%s\"", a);
  run_launch (desc, &result);
  run_result_clear (&result);
  g_free (desc);
  desc = g_strdup_printf ("videotestsrc num-buffers=40 pattern=ball "
      "background-color=0xff336699 ! palettesink name=sink seed=7 "
      "batch-size=8 location=\"%s\"", b);
  run_launch (desc, &result);
  run_result_clear (&result);
  g_free (desc);

  text_a = record_without_dates (a);
  text_b = record_without_dates (b);
  fail_unless_equals_string (text_a, text_b);
  g_free (text_a);
  g_free (text_b);
  g_free (a);
  g_free (b);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Every property changes behaviour */

static gchar *
palette_string (const GstStructure * s)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < palette_size (s); i++)
    g_string_append_printf (out, "%06x:%.6f ", palette_color (s, i),
        palette_weight (s, i));
  return g_string_free (out, FALSE);
}

/* The palette of a clip of every color (k-means has many near-equal optima
 * there, so seeds and batching show) with the given sink properties. */
static gchar *
varied_palette (const gchar * props)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=24 pattern=colors "
      "horizontal-speed=7 ! video/x-raw,width=320,height=180 ! "
      "palettesink name=sink %s", props);
  RunResult result;
  gchar *text;

  run_launch (desc, &result);
  fail_unless (result.eos);
  text = palette_string (last_palette (&result));
  run_result_clear (&result);
  g_free (desc);
  return text;
}

GST_START_TEST (test_prop_colors)
{
  RunResult result;

  run_runs ("colors=2", three_colors, 3, 32, 18, &result);
  fail_unless_equals_int (palette_size (last_palette (&result)), 2);
  run_result_clear (&result);
  run_launch ("videotestsrc num-buffers=4 pattern=smpte ! "
      "palettesink name=sink colors=17", &result);
  fail_unless_equals_int (palette_size (last_palette (&result)), 17);
  run_result_clear (&result);
}

GST_END_TEST;

GST_START_TEST (test_prop_gray_levels)
{
  RunResult result;

  run_runs ("gray-levels=2", four_grays, 4, 32, 18, &result);
  fail_unless (palette_is_bw (last_palette (&result)));
  fail_unless_equals_int (palette_size (last_palette (&result)), 2);
  run_result_clear (&result);
}

GST_END_TEST;

GST_START_TEST (test_prop_bw_mode)
{
  RunResult result;
  const GstStructure *s;
  guint i;

  run_runs ("bw-mode=gray", three_colors, 3, 32, 18, &result);
  s = last_palette (&result);
  fail_unless (palette_is_bw (s));
  fail_unless (palette_size (s) <= 4);
  for (i = 0; i < palette_size (s); i++)
    fail_unless (is_gray (palette_color (s, i)));
  run_result_clear (&result);

  run_runs ("bw-mode=color colors=4", four_grays, 4, 32, 18, &result);
  fail_if (palette_is_bw (last_palette (&result)));
  run_result_clear (&result);
}

GST_END_TEST;

GST_START_TEST (test_prop_bw_threshold)
{
  RunResult result;

  /* these colors have saturations 0.75-0.8 */
  run_runs ("bw-threshold=0.9", three_colors, 3, 32, 18, &result);
  fail_unless (palette_is_bw (last_palette (&result)));
  run_result_clear (&result);
  run_runs ("bw-threshold=0.7", three_colors, 3, 32, 18, &result);
  fail_if (palette_is_bw (last_palette (&result)));
  run_result_clear (&result);
}

GST_END_TEST;

/* A frame of 1-pixel stripes: downscaled to one pixel, only one stripe's
 * color is left; at full size both are. */
GST_START_TEST (test_prop_width_height)
{
  GstBus *bus = gst_bus_new ();
  GstHarness *h = sink_harness (bus, "width", 1, "height", 1, NULL);
  GstVideoInfo info;
  GstMessage *msg;
  const guint8 red[3] = { 255, 0, 0 }, blue[3] = { 0, 0, 255 };

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=16,height=16,framerate=25/1");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 16, 16);
  fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, red,
              blue, 0, GST_SECOND / 25)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_int (palette_size (gst_message_get_structure (msg)), 1);
  gst_message_unref (msg);
  gst_harness_teardown (h);

  h = sink_harness (bus, "width", 16, "height", 16, NULL);
  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=16,height=16,framerate=25/1");
  fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, red,
              blue, 0, GST_SECOND / 25)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_int (palette_size (gst_message_get_structure (msg)), 2);
  gst_message_unref (msg);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_prop_downscale_method)
{
  GstHarness *h;
  GstBus *bus = gst_bus_new ();
  GstVideoInfo info;
  GstMessage *msg;
  const GstVideoResamplerMethod methods[] = {
    GST_VIDEO_RESAMPLER_METHOD_NEAREST, GST_VIDEO_RESAMPLER_METHOD_LINEAR
  };
  const guint8 red[3] = { 255, 0, 0 }, blue[3] = { 0, 0, 255 };
  guint32 purple = 0;
  guint m;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 64, 64);
  for (m = 0; m < 2; m++) {
    const GstStructure *s;

    h = sink_harness (bus, "downscale-method", methods[m], "width", 8,
        "height", 8, NULL);
    gst_harness_set_src_caps_str (h,
        "video/x-raw,format=RGB,width=64,height=64,framerate=25/1");
    gst_harness_push (h, make_rgb_frame (&info, red, blue, 0, GST_SECOND));
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
    fail_unless (msg != NULL);
    s = gst_message_get_structure (msg);
    if (m == 0) {
      /* sampling every 8th column keeps one stripe: pure red or blue */
      fail_unless_equals_int (palette_size (s), 1);
      fail_unless (palette_color (s, 0) == 0xff0000
          || palette_color (s, 0) == 0x0000ff, "%06x", palette_color (s, 0));
    } else {
      /* filtering mixes the stripes */
      purple = palette_color (s, 0);
      fail_unless (((purple >> 16) & 0xff) > 64 && (purple & 0xff) > 64,
          "%06x", purple);
    }
    gst_message_unref (msg);
    gst_harness_teardown (h);
  }
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_prop_batch_size)
{
  /* batches are merged only with a window (a whole film's palette clusters
   * the film's histogram: issue #19); this one holds the whole clip */
  gchar *one = varied_palette ("batch-size=1 window=10000000000");
  gchar *many = varied_palette ("batch-size=24 window=10000000000");

  /* merging 24 one-frame palettes is not clustering 24 frames at once */
  fail_if (g_str_equal (one, many), "%s", one);
  g_free (one);
  g_free (many);
}

GST_END_TEST;

GST_START_TEST (test_prop_seed)
{
  gchar *a = varied_palette ("seed=1");
  gchar *b = varied_palette ("seed=2");
  gchar *a2 = varied_palette ("seed=1");

  fail_if (g_str_equal (a, b), "%s", a);
  fail_unless_equals_string (a, a2);
  g_free (a);
  g_free (b);
  g_free (a2);
}

GST_END_TEST;

GST_START_TEST (test_prop_color_space)
{
  gchar *rgb = varied_palette ("color-space=rgb");
  gchar *oklab = varied_palette ("color-space=oklab");
  gchar *cielab = varied_palette ("color-space=cielab");
  gchar *path = tmp_path ("space.json"), *props;
  RunResult result;
  JsonParser *parser;
  JsonObject *o;

  fail_if (g_str_equal (rgb, oklab));
  fail_if (g_str_equal (oklab, cielab));
  props = g_strdup_printf ("color-space=cielab location=\"%s\"", path);
  run_runs (props, three_colors, 3, 16, 16, &result);
  o = load_record (path, &parser);
  fail_unless_equals_string (json_object_get_string_member (o,
          "color_space"), "cielab");
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (props);
  g_free (path);
  g_free (rgb);
  g_free (oklab);
  g_free (cielab);
}

GST_END_TEST;

GST_START_TEST (test_prop_post_messages)
{
  RunResult result;
  gchar *path = tmp_path ("quiet.json"), *props;

  props = g_strdup_printf ("post-messages=false location=\"%s\"", path);
  run_runs (props, three_colors, 3, 16, 16, &result);
  fail_unless (result.eos);
  fail_unless (result.palettes == NULL);
  /* still written */
  fail_unless (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_prop_location)
{
  RunResult result;
  gchar *path = tmp_path ("written.json"), *props;

  g_unlink (path);
  run_runs (NULL, three_colors, 3, 16, 16, &result);
  fail_unless (result.eos);
  fail_if (g_file_test (path, G_FILE_TEST_EXISTS));
  run_result_clear (&result);
  props = g_strdup_printf ("location=\"%s\"", path);
  run_runs (props, three_colors, 3, 16, 16, &result);
  fail_unless (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

/* The record is printed into the file as it goes (in pieces of 64 KiB):
 * 3000 samples make some 300 KiB, every sample whole and in order. */
GST_START_TEST (test_record_long_fingerprint)
{
  gchar *path = tmp_path ("long.json"), *desc, *text;
  RunResult result;
  JsonParser *parser;
  JsonObject *o, *fp;
  JsonArray *timestamps, *colors, *weights;
  guint i, n = 3000;

  desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=smpte"
      " horizontal-speed=1 ! video/x-raw,width=16,height=16,framerate=25/1"
      " ! palettesink name=sink location=\"%s\"", n, path);
  run_launch (desc, &result);
  fail_unless (result.eos);
  text = read_file (path);
  fail_unless (strlen (text) > 4 * 64 * 1024, "record of %u bytes",
      (guint) strlen (text));
  fail_unless (g_str_has_suffix (text, "\n  }\n}\n"));
  o = load_record (path, &parser);
  fp = json_object_get_object_member (o, "fingerprint");
  timestamps = json_object_get_array_member (fp, "timestamps");
  colors = json_object_get_array_member (fp, "colors");
  weights = json_object_get_array_member (fp, "weights");
  fail_unless_equals_int (json_array_get_length (timestamps), n);
  fail_unless_equals_int (json_array_get_length (colors), n);
  fail_unless_equals_int (json_array_get_length (weights), n);
  for (i = 0; i < n; i++) {
    /* 25 fps: sample i at i * 40 ms */
    fail_unless (fabs (json_array_get_double_element (timestamps, i)
            - i * 0.04) < 1e-9, "sample %u at %f", i,
        json_array_get_double_element (timestamps, i));
    fail_unless (json_array_get_length (json_array_get_array_element (colors,
                i)) >= 1);
  }
  g_object_unref (parser);
  g_free (text);
  run_result_clear (&result);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_prop_fingerprint_colors)
{
  gchar *path = tmp_path ("fp.json"), *props;
  RunResult result;
  JsonParser *parser;
  JsonObject *o, *fp;
  JsonArray *frames;
  guint i, max = 0;

  props = g_strdup_printf ("fingerprint-colors=0 location=\"%s\"", path);
  run_launch ("videotestsrc num-buffers=1 ! fakesink", &result);
  run_result_clear (&result);
  {
    gchar *desc = g_strdup_printf ("videotestsrc num-buffers=6 pattern=smpte"
        " ! palettesink name=sink %s", props);
    run_launch (desc, &result);
    g_free (desc);
  }
  o = load_record (path, &parser);
  fp = json_object_get_object_member (o, "fingerprint");
  fail_unless_equals_int (json_array_get_length
      (json_object_get_array_member (fp, "timestamps")), 0);
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (props);

  props = g_strdup_printf ("videotestsrc num-buffers=6 pattern=smpte ! "
      "palettesink name=sink fingerprint-colors=3 location=\"%s\"", path);
  run_launch (props, &result);
  o = load_record (path, &parser);
  fp = json_object_get_object_member (o, "fingerprint");
  frames = json_object_get_array_member (fp, "colors");
  fail_unless_equals_int (json_array_get_length (frames), 6);
  for (i = 0; i < 6; i++)
    max = MAX (max, json_array_get_length (json_array_get_array_element
            (frames, i)));
  fail_unless_equals_int (max, 3);
  g_object_unref (parser);
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

/* interval > 0: updates every interval of running time, each written. */
GST_START_TEST (test_prop_interval)
{
  gchar *path = tmp_path ("live.json"), *props;
  RunResult result;
  GList *l;
  guint updates = 0;
  guint64 last_frames = 0;

  props = g_strdup_printf ("interval=1000000000 location=\"%s\"", path);
  /* 100 frames at 25 fps: updates at 1 s, 2 s, 3 s, then the final one */
  run_runs (props, three_colors, 3, 16, 16, &result);
  fail_unless (result.eos);
  for (l = result.palettes; l; l = l->next) {
    const GstStructure *s = gst_message_get_structure (l->data);
    gboolean final, complete;
    guint64 frames;

    gst_structure_get_boolean (s, "final", &final);
    gst_structure_get_boolean (s, "complete", &complete);
    gst_structure_get_uint64 (s, "frames", &frames);
    fail_unless (frames > last_frames);
    last_frames = frames;
    if (l->next) {
      fail_if (final);
      fail_if (complete);
      updates++;
      fail_unless_equals_uint64 (frames, updates * 25 + 1);
    } else {
      fail_unless (final);
      fail_unless_equals_uint64 (frames, 100);
    }
  }
  fail_unless_equals_int (updates, 3);
  run_result_clear (&result);

  /* without interval: only the final palette */
  run_runs (NULL, three_colors, 3, 16, 16, &result);
  fail_unless_equals_int (g_list_length (result.palettes), 1);
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_prop_defaults)
{
  GstElement *sink = gst_element_factory_make ("palettesink", NULL);
  gboolean sync = TRUE, qos = TRUE, post;
  guint colors, gray, width, height, batch, seed, fp, fp_max;
  guint64 interval, window, dropped;
  gdouble threshold;
  gchar *location = (gchar *) "x";

  g_object_get (sink, "sync", &sync, "qos", &qos, "colors", &colors,
      "gray-levels", &gray, "width", &width, "height", &height,
      "batch-size", &batch, "seed", &seed, "fingerprint-colors", &fp,
      "interval", &interval, "bw-threshold", &threshold, "post-messages",
      &post, "location", &location, "window", &window, "fingerprint-max",
      &fp_max, "dropped", &dropped, NULL);
  fail_if (sync);
  fail_if (qos);
  fail_unless_equals_int (colors, 10);
  fail_unless_equals_int (gray, 4);
  fail_unless_equals_int (width, 160);
  fail_unless_equals_int (height, 90);
  fail_unless_equals_int (batch, 32);
  fail_unless_equals_int (seed, 0);
  fail_unless_equals_int (fp, 5);
  fail_unless_equals_uint64 (interval, 0);
  fail_unless_equals_uint64 (window, 0);
  fail_unless_equals_int (fp_max, 0);
  fail_unless_equals_uint64 (dropped, 0);
  fail_unless (threshold == 0.1);
  fail_unless (post);
  fail_unless (location == NULL);
  g_object_set (sink, "sync", TRUE, NULL);
  g_object_get (sink, "sync", &sync, NULL);
  fail_unless (sync);
  gst_object_unref (sink);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Formats, sizes, caps changes */

static void
check_solid_format (const gchar * format, gint width, gint height,
    gboolean gray)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=3 "
      "pattern=solid-color foreground-color=0xff3070b0 ! "
      "video/x-raw,format=%s,width=%d,height=%d ! palettesink name=sink",
      format, width, height);
  RunResult result;
  const GstStructure *s;
  const guint8 expected[3] = { 0x30, 0x70, 0xb0 };

  run_launch (desc, &result);
  fail_unless (result.eos, "%s: no EOS", desc);
  fail_unless_equals_uint64 (result.sink_frames, 3);
  s = last_palette (&result);
  fail_unless (palette_size (s) >= 1);
  if (!gray)
    /* 4:2:0, limited range and 8 or fewer bits per channel cost a little */
    fail_unless (delta_e (palette_color (s, 0), expected) < 3.0,
        "%s: %06x", format, palette_color (s, 0));
  run_result_clear (&result);
  g_free (desc);
}

GST_START_TEST (test_formats)
{
  GstElementFactory *factory = gst_element_factory_find ("videotestsrc");
  const GList *templates;
  GstCaps *caps = NULL;
  const GValue *formats;
  guint i, n, tested = 0;

  for (templates = gst_element_factory_get_static_pad_templates (factory);
      templates; templates = templates->next) {
    GstStaticPadTemplate *t = templates->data;
    if (t->direction == GST_PAD_SRC)
      caps = gst_static_caps_get (&t->static_caps);
  }
  fail_unless (caps != NULL);
  formats = gst_structure_get_value (gst_caps_get_structure (caps, 0),
      "format");
  n = gst_value_list_get_size (formats);
  for (i = 0; i < n; i++) {
    const gchar *name = g_value_get_string (gst_value_list_get_value (formats,
            i));
    const GstVideoFormatInfo *finfo =
        gst_video_format_get_info (gst_video_format_from_string (name));
    gboolean gray = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo)
        || GST_VIDEO_FORMAT_INFO_HAS_PALETTE (finfo)
        || GST_VIDEO_FORMAT_INFO_BITS (finfo) < 8;

    /* odd sizes where the format allows them */
    check_solid_format (name, 64, 36, gray);
    tested++;
  }
  fail_unless (tested > 20);
  gst_caps_unref (caps);
  gst_object_unref (factory);
}

GST_END_TEST;

GST_START_TEST (test_odd_sizes)
{
  check_solid_format ("RGB", 1, 1, FALSE);
  check_solid_format ("I420", 1, 1, FALSE);
  check_solid_format ("I420", 7, 5, FALSE);
  check_solid_format ("NV12", 7, 5, FALSE);
  check_solid_format ("RGB", 7, 5, FALSE);
  check_solid_format ("NV12", 4096, 2160, FALSE);
  check_solid_format ("I420_10LE", 1921, 1081, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_interlaced)
{
  RunResult result;
  const GstStructure *s;
  const guint8 expected[3] = { 0x30, 0x70, 0xb0 };

  run_launch ("videotestsrc num-buffers=6 pattern=solid-color "
      "foreground-color=0xff3070b0 ! "
      "video/x-raw,format=I420,width=320,height=240,interlace-mode=interleaved ! "
      "palettesink name=sink", &result);
  fail_unless (result.eos);
  fail_unless_equals_uint64 (result.sink_frames, 6);
  s = last_palette (&result);
  fail_unless (delta_e (palette_color (s, 0), expected) < 3.0);
  run_result_clear (&result);

  if (have_elements ("interlace", NULL)) {
    run_launch ("videotestsrc num-buffers=8 pattern=smpte ! "
        "video/x-raw,framerate=24/1 ! interlace ! "
        "palettesink name=sink", &result);
    fail_unless (result.eos);
    fail_unless (result.sink_frames > 0);
    fail_unless (palette_size (last_palette (&result)) > 1);
    run_result_clear (&result);
  }
}

GST_END_TEST;

static GstBuffer *
make_i420_frame (gint width, gint height, guint8 y, guint8 u, guint8 v,
    GstClockTime pts)
{
  GstVideoInfo info;
  GstBuffer *buffer;
  GstVideoFrame frame;
  gint row;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, width, height);
  buffer = gst_buffer_new_allocate (NULL, info.size, NULL);
  gst_video_frame_map (&frame, &info, buffer, GST_MAP_WRITE);
  for (row = 0; row < height; row++)
    memset (GST_VIDEO_FRAME_COMP_DATA (&frame, 0) +
        row * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0), y, width);
  for (row = 0; row < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, 1); row++) {
    memset (GST_VIDEO_FRAME_COMP_DATA (&frame, 1) +
        row * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 1), u,
        GST_VIDEO_FRAME_COMP_WIDTH (&frame, 1));
    memset (GST_VIDEO_FRAME_COMP_DATA (&frame, 2) +
        row * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 2), v,
        GST_VIDEO_FRAME_COMP_WIDTH (&frame, 2));
  }
  gst_video_frame_unmap (&frame);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = GST_SECOND / 25;
  return buffer;
}

/* New size and format mid-stream: what was gathered stays. */
GST_START_TEST (test_caps_change)
{
  GstBus *bus = gst_bus_new ();
  GstHarness *h = sink_harness (bus, NULL);
  GstVideoInfo info;
  GstMessage *msg;
  const GstStructure *s;
  const guint8 red[3] = { 220, 30, 30 };
  guint64 frames;
  guint i;

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=32,height=18,framerate=25/1");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 32, 18);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (gst_harness_push (h, make_rgb_frame (&info, red,
                NULL, i * GST_SECOND / 25, GST_SECOND / 25)), GST_FLOW_OK);

  /* I420 at a quarter of the pixels: BT.601 limited-range blue */
  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=I420,width=16,height=10,framerate=25/1,"
      "colorimetry=bt601");
  for (i = 10; i < 20; i++)
    fail_unless_equals_int (gst_harness_push (h, make_i420_frame (16, 10, 41,
                240, 110, i * GST_SECOND / 25)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (s, "frames", &frames));
  fail_unless_equals_uint64 (frames, 20);
  fail_unless_equals_int (palette_size (s), 2);
  /* pixels, not frames, weigh: 10×576 red against 10×160 blue */
  fail_unless (delta_e (palette_color (s, 0), red) < 2.0);
  fail_unless (fabs (palette_weight (s, 0) - 576.0 / 736.0) < 0.01,
      "%f", palette_weight (s, 0));
  fail_unless ((palette_color (s, 1) & 0xff) > 200, "%06x",
      palette_color (s, 1));
  gst_message_unref (msg);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* Runs untagged (CAPS without colorimetry) or tagged 1280×720 I420: N_PALE
 * frames of a pale color inside the RGB cube under BT.601 and BT.709 alike
 * (Y 126, Cb 100, Cr 160), then N_RED of a red of Y, CB, CR; returns the
 * record. */
static JsonObject *
run_matrix_clip (const gchar * caps, guint n_pale, guint n_red, guint8 y,
    guint8 cb, guint8 cr, JsonParser ** parser)
{
  gchar *path = tmp_path ("matrix.json");
  GstBus *bus = gst_bus_new ();
  GstHarness *h = sink_harness (bus, "colors", 2, "bw-mode", 1,
      "location", path, NULL);
  JsonObject *o;
  guint i;

  gst_harness_set_src_caps_str (h, caps);
  for (i = 0; i < n_pale + n_red; i++)
    fail_unless_equals_int (gst_harness_push (h, i < n_pale ?
            make_i420_frame (1280, 720, 126, 100, 160, i * GST_SECOND / 25) :
            make_i420_frame (1280, 720, y, cb, cr, i * GST_SECOND / 25)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  gst_harness_teardown (h);
  gst_object_unref (bus);
  o = load_record (path, parser);
  g_free (path);
  return o;
}

static void
check_color (JsonObject * record, guint index, guint8 r, guint8 g, guint8 b)
{
  JsonArray *color =
      json_array_get_array_element (json_object_get_array_member (record,
          "colors"), index);

  fail_unless (json_array_get_int_element (color, 0) == r
      && json_array_get_int_element (color, 1) == g
      && json_array_get_int_element (color, 2) == b,
      "color %u: %d,%d,%d, expected %u,%u,%u", index,
      (gint) json_array_get_int_element (color, 0),
      (gint) json_array_get_int_element (color, 1),
      (gint) json_array_get_int_element (color, 2), r, g, b);
}

static void
check_matrix (JsonObject * record, const gchar * matrix, gboolean stated)
{
  fail_unless_equals_string (json_object_get_string_member (record,
          "color_matrix"), matrix);
  fail_unless_equals_int (json_object_get_boolean_member (record,
          "color_matrix_stated"), stated);
}

/* A stream that does not state its matrix (no colorimetry in the caps, as
 * decoders give untagged H.264 and VP8): GStreamer assumes BT.709 at
 * 1280×720, but frames made with BT.601, as FFmpeg makes them at every
 * size, fall outside the RGB cube under BT.709 (a BT.601 red is 276, 24,
 * -5 there). The frames choose BT.601: a pale opening decides nothing and
 * is held, then converted with the matrix the red chose. */
GST_START_TEST (test_untagged_matrix)
{
  const gchar *untagged =
      "video/x-raw,format=I420,width=1280,height=720,framerate=25/1";
  JsonParser *parser;
  JsonObject *o;

  /* BT.601 red (Y 81, Cb 90, Cr 240) after 20 pale frames: the pale color
   * as BT.601 makes it (179, 113, 72; BT.709: 185, 117, 69) */
  o = run_matrix_clip (untagged, 20, 30, 81, 90, 240, &parser);
  check_matrix (o, "bt601", FALSE);
  check_color (o, 0, 254, 0, 0);
  check_color (o, 1, 179, 113, 72);
  g_object_unref (parser);

  /* BT.709 red (Y 63, Cb 102, Cr 240): outside under BT.601 (G -26), so
   * BT.709 stays */
  o = run_matrix_clip (untagged, 20, 30, 63, 102, 240, &parser);
  check_matrix (o, "bt709", FALSE);
  check_color (o, 0, 255, 1, 0);
  check_color (o, 1, 185, 117, 69);
  g_object_unref (parser);

  /* nothing but the pale color: no evidence, the convention */
  o = run_matrix_clip (untagged, 40, 0, 0, 0, 0, &parser);
  check_matrix (o, "bt709", FALSE);
  check_color (o, 0, 185, 117, 69);
  g_object_unref (parser);

  /* a stated matrix is never second-guessed: BT.601 red read as BT.709 */
  o = run_matrix_clip ("video/x-raw,format=I420,width=1280,height=720,"
      "framerate=25/1,colorimetry=bt709", 20, 30, 81, 90, 240, &parser);
  check_matrix (o, "bt709", TRUE);
  check_color (o, 0, 255, 24, 0);
  g_object_unref (parser);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Bad input */

static void
check_unwritable (const gchar * location, const gchar * what)
{
  gchar *desc;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;

  desc = g_strdup_printf ("videotestsrc name=src num-buffers=10 ! "
      "palettesink location=\"%s\"", location);
  pipeline = parse (desc);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: no error message", what);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_WRITE), "%s: %s", what, error->message);
  fail_unless (strstr (error->message, location) != NULL,
      "%s: the error does not name the path: %s", what, error->message);
  g_print ("%s: %s (%s)\n", what, error->message, debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (desc);
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_unwritable_location)
{
  gchar *missing = g_build_filename (tmp_dir, "no-such-folder", "p.json",
      NULL);
  gchar *locked_dir = tmp_path ("locked"), *locked;
  gchar *folder = tmp_path ("a-folder");
  GstElement *pipeline;
  gint buffers = 0;
  GstPad *pad;
  GstElement *src;

  check_unwritable (missing, "missing folder");

  if (geteuid () != 0) {
    g_mkdir (locked_dir, 0500);
    locked = g_build_filename (locked_dir, "p.json", NULL);
  } else {
    /* root writes anywhere, but not into sysfs */
    locked = g_strdup ("/sys/palette-test.json");
  }
  check_unwritable (locked, "no permission");

  g_mkdir (folder, 0700);
  check_unwritable (folder, "a folder");

  /* nothing is decoded before the error */
  pipeline = parse ("videotestsrc name=src ! palettesink "
      "location=/no/such/folder/p.json");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &buffers,
      NULL);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (g_atomic_int_get (&buffers), 0);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (pipeline);

  g_free (missing);
  g_free (locked);
  g_free (locked_dir);
  g_free (folder);
}

GST_END_TEST;

GST_START_TEST (test_no_frames)
{
  gchar *path = tmp_path ("untouched.json"), *desc, *contents;
  RunResult result;
  GError *error = NULL;

  fail_unless (g_file_set_contents (path, "old record\n", -1, NULL));
  desc = g_strdup_printf ("videotestsrc num-buffers=0 ! "
      "palettesink name=sink location=\"%s\"", path);
  run_launch (desc, &result);
  fail_unless (result.error != NULL);
  gst_message_parse_error (result.error, &error, NULL);
  fail_unless (strstr (error->message, "No frames were received") != NULL,
      "%s", error->message);
  fail_unless (result.palettes == NULL);
  contents = read_file (path);
  fail_unless_equals_string (contents, "old record\n");
  g_free (contents);
  g_clear_error (&error);
  run_result_clear (&result);

  /* no file was there: none is written */
  g_unlink (path);
  run_launch (desc, &result);
  fail_unless (result.error != NULL);
  fail_if (g_file_test (path, G_FILE_TEST_EXISTS));
  run_result_clear (&result);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

static void
check_incomplete_record (const gchar * path, guint64 frames)
{
  JsonParser *parser;
  JsonObject *o = load_record (path, &parser);

  fail_if (json_object_get_boolean_member (o, "complete"));
  fail_unless_equals_int (member_int (o, "frames_analyzed"), frames);
  fail_unless (json_array_get_length (json_object_get_array_member (o,
              "colors")) > 0);
  g_object_unref (parser);
}

/* identity fails after 20 buffers; the source then sends EOS */
GST_START_TEST (test_upstream_error_then_eos)
{
  gchar *path = tmp_path ("partial.json"), *desc;
  RunResult result;
  const GstStructure *s;
  gboolean complete = TRUE;
  guint64 frames;

  desc = g_strdup_printf ("videotestsrc num-buffers=100 pattern=smpte ! "
      "identity error-after=20 ! palettesink name=sink location=\"%s\"",
      path);
  run_launch (desc, &result);
  fail_unless (result.error != NULL);
  /* posted at EOS (final) or, when the application stopped the pipeline
   * first, while stopping: once, incomplete */
  fail_unless_equals_int (g_list_length (result.palettes), 1);
  s = last_palette (&result);
  fail_unless (gst_structure_get_boolean (s, "complete", &complete));
  fail_if (complete);
  gst_structure_get_uint64 (s, "frames", &frames);
  /* identity passes 19 buffers and fails the 20th */
  fail_unless_equals_uint64 (frames, 19);
  fail_unless_equals_uint64 (result.sink_frames, 19);
  check_incomplete_record (path, 19);
  run_result_clear (&result);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

static GstPadProbeReturn
drop_eos (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* The error never becomes an EOS: the record is written when the
 * application stops the pipeline. */
GST_START_TEST (test_upstream_error_no_eos)
{
  gchar *path = tmp_path ("partial2.json"), *desc;
  GstElement *pipeline, *sink;
  GstPad *pad;
  RunResult result;
  const GstStructure *s;
  gboolean final = TRUE, complete = TRUE;

  desc = g_strdup_printf ("videotestsrc num-buffers=100 ! "
      "identity error-after=30 ! palettesink name=sink location=\"%s\"",
      path);
  pipeline = parse (desc);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, drop_eos, NULL,
      NULL);
  run_pipeline (pipeline, NULL, 0, 0, 0, &result);
  fail_unless (result.error != NULL);
  fail_unless_equals_int (g_list_length (result.palettes), 1);
  s = last_palette (&result);
  gst_structure_get_boolean (s, "final", &final);
  gst_structure_get_boolean (s, "complete", &complete);
  fail_if (final);
  fail_if (complete);
  check_incomplete_record (path, 29);
  run_result_clear (&result);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

/* The error comes so near the end that the stream does not look cut, and
 * the application lets the pipeline run to EOS: only the error message
 * tells the palette is incomplete (why the sink watches the bus). */
GST_START_TEST (test_upstream_error_near_end)
{
  gchar *path = tmp_path ("partial3.json"), *desc;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  const GstStructure *s = NULL;
  gboolean final = FALSE, complete = TRUE;
  guint64 frames = 0;

  desc = g_strdup_printf ("videotestsrc num-buffers=100 ! "
      "identity error-after=99 ! palettesink name=sink location=\"%s\"", path);
  pipeline = parse (desc);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((msg = gst_bus_timed_pop_filtered (bus, pipeline_timeout,
              GST_MESSAGE_EOS | GST_MESSAGE_ELEMENT))) {
    gboolean eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;

    if (gst_message_has_name (msg, "palette")) {
      s = gst_message_get_structure (msg);
      gst_structure_get_boolean (s, "final", &final);
      gst_structure_get_boolean (s, "complete", &complete);
      gst_structure_get_uint64 (s, "frames", &frames);
    }
    gst_message_unref (msg);
    if (eos)
      break;
  }
  fail_unless (msg != NULL, "no EOS");
  fail_unless (s != NULL, "no palette");
  fail_unless (final);
  fail_if (complete);
  fail_unless_equals_uint64 (frames, 98);
  check_incomplete_record (path, 98);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

/* The folder disappears before EOS: a clear error naming the path. */
GST_START_TEST (test_write_failure_at_eos)
{
  gchar *dir = tmp_path ("vanishing"), *path, *props;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  GError *error = NULL;
  GstElement *src;

  g_mkdir (dir, 0700);
  path = g_build_filename (dir, "p.json", NULL);
  props = g_strdup_printf ("appsrc name=src format=time ! palettesink name=sink "
      "location=\"%s\"", path);
  pipeline = parse (props);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (g_rmdir (dir), 0);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  push_runs (src, 16, 16, three_colors, 3, 25);
  gst_object_unref (src);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_WRITE));
  fail_unless (strstr (error->message, path) != NULL, "%s", error->message);
  g_clear_error (&error);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (props);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

/* An existing record is replaced whole, through a temporary file. */
GST_START_TEST (test_atomic_replace)
{
  gchar *path = tmp_path ("replace.json"), *props, *contents;
  RunResult result;
  GDir *dir;
  const gchar *name;

  fail_unless (g_file_set_contents (path, "old record\n", -1, NULL));
  props = g_strdup_printf ("location=\"%s\"", path);
  run_runs (props, three_colors, 3, 16, 16, &result);
  contents = read_file (path);
  fail_unless (g_str_has_prefix (contents, "{\n"));
  fail_unless (g_str_has_suffix (contents, "}\n"));
  fail_if (strstr (contents, "old record"));
  /* no temporary file is left behind */
  dir = g_dir_open (tmp_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    fail_if (g_str_has_prefix (name, "replace.json."), "%s left", name);
  g_dir_close (dir);
  g_free (contents);
  run_result_clear (&result);
  g_free (props);
  g_free (path);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Real clips */

GST_START_TEST (test_shared_media)
{
  const gchar *media = g_getenv ("PALETTE_SHARED_MEDIA");
  const gchar *clips[] = { "big_buck_bunny_0_30.webm",
    "big_buck_bunny_10s.mp4", "vtest.avi", "diver.mov", "cityCC0.mpg",
    "oa4_launch.webm", "chaplin.mp4", "truncated.mp4"
  };
  gboolean decimate = have_elements ("framedecimate", NULL);
  guint i;

  if (!media || !g_file_test (media, G_FILE_TEST_IS_DIR)) {
    g_print ("shared media folder %s is absent: skipping the real clips\n",
        GST_STR_NULL (media));
    return;
  }
  if (!decimate)
    g_print ("framedecimate is not built: clips run without it\n");

  for (i = 0; i < G_N_ELEMENTS (clips); i++) {
    gchar *clip = g_build_filename (media, clips[i], NULL);
    gchar *out = tmp_path ("clip.json"), *desc;
    RunResult result;

    if (!g_file_test (clip, G_FILE_TEST_EXISTS)) {
      g_print ("%s is missing, skipped\n", clip);
      g_free (clip);
      g_free (out);
      continue;
    }
    g_unlink (out);
    g_print ("running %s\n", clips[i]);
    desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! %s "
        "palettesink name=sink location=\"%s\"", clip,
        decimate ? "framedecimate step=10 !" : "", out);
    if (g_str_equal (clips[i], "truncated.mp4")) {
      GError *error = NULL;

      /* decodebin in 1.22 sometimes swallows qtdemux's error and stays
       * prerolling (also with fakesink, 4 runs in 20): then nothing must
       * have been analysed or written */
      pipeline_timeout = 15 * GST_SECOND;
      timeout_is_failure = FALSE;
      run_launch (desc, &result);
      pipeline_timeout = 120 * GST_SECOND;
      timeout_is_failure = TRUE;
      if (result.timed_out) {
        g_print ("truncated.mp4: decodebin lost the error (stuck "
            "prerolling)\n");
      } else {
        fail_unless (result.error != NULL, "truncated.mp4 gave no error");
        gst_message_parse_error (result.error, &error, NULL);
        g_print ("truncated.mp4: %s\n", error->message);
        g_clear_error (&error);
      }
      fail_unless (result.palettes == NULL);
      fail_unless_equals_uint64 (result.sink_frames, 0);
      fail_if (g_file_test (out, G_FILE_TEST_EXISTS));
    } else {
      const GstStructure *s;

      run_launch (desc, &result);

      if (result.error) {
        GError *error = NULL;
        gst_message_parse_error (result.error, &error, NULL);
        fail ("%s: %s", clips[i], error->message);
      }
      fail_unless (result.eos);
      s = last_palette (&result);
      g_print ("%s: %" G_GUINT64_FORMAT " frames, black-and-white %d, "
          "%u colors\n", clips[i], result.sink_frames, palette_is_bw (s),
          palette_size (s));
      fail_unless (g_file_test (out, G_FILE_TEST_IS_REGULAR));
      /* a whole file is not taken for a cut one, behind framedecimate too */
      fail_unless (palette_is_complete (s), "%s found incomplete", clips[i]);
      if (g_str_equal (clips[i], "chaplin.mp4"))
        fail_unless (palette_is_bw (s), "chaplin.mp4 is not black-and-white");
      else
        fail_if (palette_is_bw (s), "%s found black-and-white", clips[i]);
    }
    run_result_clear (&result);
    g_free (desc);
    g_free (out);
    g_free (clip);
  }
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */


static void
setup (void)
{
  tmp_dir = g_dir_make_tmp ("palettesink-XXXXXX", NULL);
  fail_unless (tmp_dir != NULL);
}

static void
teardown (void)
{
  gchar *locked = tmp_path ("locked");
  g_chmod (locked, 0700);
  g_free (locked);
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  tmp_dir = NULL;
}

static Suite *
palettesink_suite (void)
{
  Suite *s = suite_create ("palettesink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_three_colors_raw);
  tcase_add_test (tc, test_three_colors_vp8);
  tcase_add_test (tc, test_three_colors_theora);
  tcase_add_test (tc, test_grayscale_detected);
  tcase_add_test (tc, test_saturated_not_bw);
  tcase_add_test (tc, test_message_fields);
  tcase_add_test (tc, test_record_fields);
  tcase_add_test (tc, test_record_source);
  tcase_add_test (tc, test_frame_skip);
  tcase_add_test (tc, test_exact_yuv_conversion);
  tcase_add_test (tc, test_sampling_seek_ends_complete);
  tcase_add_test (tc, test_untagged_matrix);
  tcase_add_test (tc, test_frame_skip_from_event);
  tcase_add_test (tc, test_record_sampling);
  tcase_add_test (tc, test_sampling_seek_keeps_analysis);
  tcase_add_test (tc, test_sampling_seeks_same_palette);
  tcase_add_test (tc, test_same_seed_same_output);
  tcase_add_test (tc, test_prop_colors);
  tcase_add_test (tc, test_prop_gray_levels);
  tcase_add_test (tc, test_prop_bw_mode);
  tcase_add_test (tc, test_prop_bw_threshold);
  tcase_add_test (tc, test_prop_width_height);
  tcase_add_test (tc, test_prop_downscale_method);
  tcase_add_test (tc, test_prop_batch_size);
  tcase_add_test (tc, test_prop_seed);
  tcase_add_test (tc, test_prop_color_space);
  tcase_add_test (tc, test_prop_post_messages);
  tcase_add_test (tc, test_prop_location);
  tcase_add_test (tc, test_record_long_fingerprint);
  tcase_add_test (tc, test_prop_fingerprint_colors);
  tcase_add_test (tc, test_prop_interval);
  tcase_add_test (tc, test_prop_defaults);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_odd_sizes);
  tcase_add_test (tc, test_interlaced);
  tcase_add_test (tc, test_caps_change);
  tcase_add_test (tc, test_unwritable_location);
  tcase_add_test (tc, test_no_frames);
  tcase_add_test (tc, test_upstream_error_then_eos);
  tcase_add_test (tc, test_upstream_error_no_eos);
  tcase_add_test (tc, test_upstream_error_near_end);
  tcase_add_test (tc, test_write_failure_at_eos);
  tcase_add_test (tc, test_atomic_replace);
  tcase_add_test (tc, test_shared_media);
  return s;
}

GST_CHECK_MAIN (palettesink);
