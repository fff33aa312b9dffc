/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* palettesink and black bars (issue #19): letterboxed and pillarboxed clips
 * made with videobox give the palette of the picture alone and the crop in
 * the record; crop-borders=false keeps the bars; a clip fading to black is
 * not cropped. And a pale color clip stays color in every framedecimate
 * sampling mode. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "colorspace.h"
#include "message-helpers.h"
#include "test-files.h"

static gchar *tmp_dir;

typedef struct
{
  guint8 r, g, b;
  guint frames;
} ColorRun;

/* 50/30/20 % of the frames */
static const ColorRun three_colors[] = {
  {200, 40, 40, 10},
  {40, 160, 60, 6},
  {50, 70, 200, 4},
};

/* Frames of runs' colors, width x height, RGB; bars of near-black noise
 * (each channel 0..noise) of the given widths when noise > 0. */
static void
push_runs (GstElement * src, gint width, gint height, const ColorRun * runs,
    guint n_runs, guint noise, guint bar_top, guint bar_bottom)
{
  GstVideoInfo info;
  GstCaps *caps;
  GstClockTime duration = GST_SECOND / 25;
  GRand *rand = g_rand_new_with_seed (11);
  guint64 n = 0;
  guint r, i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, width, height);
  info.fps_n = 25;
  info.fps_d = 1;
  caps = gst_video_info_to_caps (&info);
  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);

  for (r = 0; r < n_runs; r++) {
    for (i = 0; i < runs[r].frames; i++, n++) {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, info.size, NULL);
      GstFlowReturn ret;
      GstMapInfo map;
      gint x, y;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      for (y = 0; y < height; y++) {
        guint8 *p = map.data + y * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
        gboolean bar = noise && (y < (gint) bar_top || y >= height - (gint) bar_bottom);
        for (x = 0; x < width; x++, p += 3) {
          if (bar) {
            p[0] = g_rand_int_range (rand, 0, noise + 1);
            p[1] = g_rand_int_range (rand, 0, noise + 1);
            p[2] = g_rand_int_range (rand, 0, noise + 1);
          } else {
            p[0] = runs[r].r;
            p[1] = runs[r].g;
            p[2] = runs[r].b;
          }
        }
      }
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = n * duration;
      GST_BUFFER_DURATION (buffer) = duration;
      g_signal_emit_by_name (src, "push-buffer", buffer, &ret);
      gst_buffer_unref (buffer);
      if (ret != GST_FLOW_OK)
        goto done;
    }
  }
  g_signal_emit_by_name (src, "end-of-stream", &(GstFlowReturn) {
      GST_FLOW_OK});
done:
  g_rand_free (rand);
}

/* Runs desc (an appsrc named "src" fed runs when runs != NULL) to EOS;
 * returns the last palette message's structure (a copy). */
static GstStructure *
run (const gchar * desc, const ColorRun * runs, guint n_runs, gint width,
    gint height, guint noise, guint bar)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstBus *bus;
  GstStructure *palette = NULL;

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "?");
  bus = gst_element_get_bus (pipeline);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  if (runs) {
    GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
    push_runs (src, width, height, runs, n_runs, noise, bar, bar);
    gst_object_unref (src);
  }
  while (TRUE) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    fail_unless (msg != NULL, "timeout: %s", desc);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *e = NULL;
      gst_message_parse_error (msg, &e, NULL);
      fail ("%s: %s", desc, e->message);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      gst_message_unref (msg);
      break;
    }
    if (gst_message_has_name (msg, "palette")) {
      if (palette)
        gst_structure_free (palette);
      palette = gst_structure_copy (gst_message_get_structure (msg));
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  fail_unless (palette != NULL, "no palette: %s", desc);
  return palette;
}

/* Each run's color is in the palette (dE < 1) with the run's share of the
 * frames (within 0.001), and nothing else is. */
static void
check_runs (const GstStructure * s, const ColorRun * runs, guint n_runs)
{
  guint total = 0, r;

  for (r = 0; r < n_runs; r++)
    total += runs[r].frames;
  fail_unless_equals_int (palette_size (s), n_runs);
  for (r = 0; r < n_runs; r++) {
    const guint8 c[3] = { runs[r].r, runs[r].g, runs[r].b };
    fail_unless (delta_e (palette_color (s, r), c) < 1.0,
        "color %u is %06x, want %02x%02x%02x", r, palette_color (s, r),
        c[0], c[1], c[2]);
    fail_unless (fabs (palette_weight (s, r) - runs[r].frames / (gdouble) total)
        < 0.001, "share %u: %f", r, palette_weight (s, r));
  }
}

/* The record's "crop" member: NULL when null (and asserts it is there) */
static gboolean
record_crop (const gchar * path, gint64 crop[4])
{
  JsonParser *parser = json_parser_new ();
  JsonObject *root, *o;
  GError *error = NULL;
  JsonNode *node;
  gboolean have;

  fail_unless (json_parser_load_from_file (parser, path, &error), "%s: %s",
      path, error ? error->message : "?");
  root = json_node_get_object (json_parser_get_root (parser));
  fail_unless (json_object_has_member (root, "crop"));
  node = json_object_get_member (root, "crop");
  have = !JSON_NODE_HOLDS_NULL (node);
  if (have) {
    o = json_node_get_object (node);
    crop[0] = json_object_get_int_member (o, "left");
    crop[1] = json_object_get_int_member (o, "right");
    crop[2] = json_object_get_int_member (o, "top");
    crop[3] = json_object_get_int_member (o, "bottom");
  }
  g_object_unref (parser);
  return have;
}

GST_START_TEST (test_letterbox)
{
  gchar *record = g_build_filename (tmp_dir, "letterbox.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "videobox top=-24 bottom=-24 fill=black ! "
      "palettesink downscale-method=nearest location=\"%s\"", record);
  GstStructure *s;
  gint64 crop[4];

  /* nearest: exact shares (test_letterbox_linear has the default). 320x132 + 2 x 24 rows: 320x180, analysed at 160x90 */
  s = run (desc, three_colors, 3, 320, 132, 0, 0);
  check_runs (s, three_colors, 3);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[0], 0);
  fail_unless_equals_int64 (crop[1], 0);
  fail_unless_equals_int64 (crop[2], 24);
  fail_unless_equals_int64 (crop[3], 24);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

GST_START_TEST (test_pillarbox)
{
  gchar *record = g_build_filename (tmp_dir, "pillarbox.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "videobox left=-40 right=-40 fill=black ! "
      "palettesink downscale-method=nearest location=\"%s\"", record);
  GstStructure *s;
  gint64 crop[4];

  s = run (desc, three_colors, 3, 240, 180, 0, 0);
  check_runs (s, three_colors, 3);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[0], 40);
  fail_unless_equals_int64 (crop[1], 40);
  fail_unless_equals_int64 (crop[2], 0);
  fail_unless_equals_int64 (crop[3], 0);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* videotestsrc's solid color in a pillarbox in a letterbox */
GST_START_TEST (test_windowbox_solid_color)
{
  gchar *record = g_build_filename (tmp_dir, "windowbox.json", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=12 "
      "pattern=solid-color foreground-color=0xff3c8cc8 ! "
      "video/x-raw,format=RGB,width=256,height=144 ! "
      "videobox left=-32 right=-32 top=-18 bottom=-18 fill=black ! "
      "palettesink downscale-method=nearest location=\"%s\"", record);
  const ColorRun one[] = { {0x3c, 0x8c, 0xc8, 12} };
  GstStructure *s;
  gint64 crop[4];

  s = run (desc, NULL, 0, 0, 0, 0, 0);
  check_runs (s, one, 1);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[0], 32);
  fail_unless_equals_int64 (crop[1], 32);
  fail_unless_equals_int64 (crop[2], 18);
  fail_unless_equals_int64 (crop[3], 18);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* With the default linear downscale the line where a bar meets the picture
 * is a blend of both, neither bar nor picture, and stays in: the picture's
 * colors keep all but that line's share (1 line of 45 on each side at most),
 * and no black is left. */
GST_START_TEST (test_letterbox_linear)
{
  gchar *record = g_build_filename (tmp_dir, "letterbox-linear.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "videobox top=-24 bottom=-24 fill=black ! palettesink location=\"%s\"",
      record);
  const guint8 black[3] = { 0, 0, 0 };
  GstStructure *s;
  gdouble picture = 0.0;
  gint64 crop[4];
  guint i, r;

  s = run (desc, three_colors, 3, 320, 132, 0, 0);
  for (i = 0; i < palette_size (s); i++) {
    fail_if (delta_e (palette_color (s, i), black) < 10.0,
        "color %u is %06x: black from the bars", i, palette_color (s, i));
    for (r = 0; r < 3; r++) {
      const guint8 c[3] = { three_colors[r].r, three_colors[r].g,
        three_colors[r].b
      };
      if (delta_e (palette_color (s, i), c) < 1.0)
        picture += palette_weight (s, i);
    }
  }
  fail_unless (picture >= 1.0 - 2.0 / 66, "picture colors hold %f", picture);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[2], 24);
  fail_unless_equals_int64 (crop[3], 24);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* With a window (live use), each frame's bars are left out as it comes */
GST_START_TEST (test_window)
{
  gchar *record = g_build_filename (tmp_dir, "window.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "videobox left=-40 right=-40 fill=black ! "
      "palettesink downscale-method=nearest window=1000000000 "
      "location=\"%s\"", record);
  const ColorRun runs[] = { {40, 160, 60, 20}, {50, 70, 200, 40} };
  const ColorRun last[] = { {50, 70, 200, 40} };
  GstStructure *s;
  gint64 crop[4];

  /* 1.6 s of frames, the last 1 s all blue: the window's palette is blue
   * alone, without black */
  s = run (desc, runs, 2, 240, 180, 0, 0);
  check_runs (s, last, 1);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[0], 40);
  fail_unless_equals_int64 (crop[1], 40);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* Bars of near-black noise (0..22 on each channel) are bars too */
GST_START_TEST (test_noisy_bars)
{
  gchar *record = g_build_filename (tmp_dir, "noisy.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "palettesink location=\"%s\"", record);
  GstStructure *s;
  gint64 crop[4];

  s = run (desc, three_colors, 3, 160, 90, 22, 12);
  check_runs (s, three_colors, 3);
  gst_structure_free (s);
  fail_unless (record_crop (record, crop));
  fail_unless_equals_int64 (crop[2], 12);
  fail_unless_equals_int64 (crop[3], 12);
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* crop-borders=false: the bars are black in the palette, by their share */
GST_START_TEST (test_keep_borders)
{
  gchar *record = g_build_filename (tmp_dir, "kept.json", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=6 "
      "pattern=solid-color foreground-color=0xffc83228 ! "
      "video/x-raw,format=RGB,width=160,height=60 ! "
      "videobox top=-15 bottom=-15 fill=black ! "
      "palettesink crop-borders=false location=\"%s\"", record);
  const guint8 black[3] = { 0, 0, 0 };
  GstStructure *s;
  gint64 crop[4];
  GstElement *sink = gst_element_factory_make ("palettesink", NULL);
  gboolean crop_borders = FALSE;

  g_object_get (sink, "crop-borders", &crop_borders, NULL);
  fail_unless (crop_borders, "crop-borders is on by default");
  gst_object_unref (sink);

  s = run (desc, NULL, 0, 0, 0, 0, 0);
  fail_unless_equals_int (palette_size (s), 2);
  fail_unless (fabs (palette_weight (s, 0) - 60.0 / 90) < 1e-4);
  fail_unless (delta_e (palette_color (s, 1), black) < 0.5);
  fail_unless (fabs (palette_weight (s, 1) - 30.0 / 90) < 1e-4);
  gst_structure_free (s);
  fail_if (record_crop (record, crop), "crop-borders=false: crop is null");
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* A clip that fades to black is not cropped to nothing: its black stays,
 * by its share, and the record's crop is null */
GST_START_TEST (test_fade_to_black)
{
  gchar *record = g_build_filename (tmp_dir, "fade.json", NULL);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "palettesink location=\"%s\"", record);
  const ColorRun fade[] = {
    {200, 40, 40, 10},
    {100, 20, 20, 2},
    {10, 2, 2, 2},
    {0, 0, 0, 6},
  };
  GstStructure *s;
  gint64 crop[4];

  s = run (desc, fade, 4, 160, 90, 0, 0);
  /* black first: 6 frames of 20, then the red */
  fail_unless_equals_int (palette_size (s), 4);
  fail_unless (fabs (palette_weight (s, 0) - 0.5) < 1e-4);
  fail_unless (fabs (palette_weight (s, 1) - 0.3) < 1e-4);
  gst_structure_free (s);
  fail_if (record_crop (record, crop));
  g_free (desc);
  g_free (record);
}

GST_END_TEST;

/* A pale color clip (videobalance saturation=0.15) stays color, not black-
 * and-white, whichever way framedecimate samples it (its key frames or 4
 * seeks as its every 10th frame) */
static gboolean
have_element (const gchar * name)
{
  GstElementFactory *factory = gst_element_factory_find (name);

  if (factory)
    gst_object_unref (factory);
  return factory != NULL;
}

/* Runs an encoding pipeline to EOS */
static void
encode (const gchar * desc)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "?");
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "encoding failed: %s", desc);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_pale_color_every_mode)
{
  static const gchar *modes[] = {
    "mode=every-nth step=10", "mode=count count=10", "mode=keyframes",
    "mode=seek count=10", "mode=interval interval=400000000",
  };
  gchar *clip = g_build_filename (tmp_dir, "pale.webm", NULL);
  gchar *uri = gst_filename_to_uri (clip, NULL);
  gchar *desc;
  GstStructure *s;
  guint m;

  if (!have_element ("vp8enc") || !have_element ("webmmux")
      || !have_element ("vp8dec")) {
    g_print ("vp8enc, webmmux or vp8dec missing: pale color test skipped\n");
    g_free (clip);
    g_free (uri);
    return;
  }
  /* moving colors, key frames every 30 frames: a mean HSV saturation of
   * about 0.115 (0.057 at saturation=0.02, found black-and-white) */
  desc = g_strdup_printf ("videotestsrc num-buffers=120 pattern=smpte "
      "horizontal-speed=4 ! video/x-raw,width=320,height=180,framerate=30/1 ! "
      "videobalance saturation=0.03 ! videoconvert ! "
      "vp8enc keyframe-max-dist=30 deadline=1 ! webmmux ! "
      "filesink location=\"%s\"", clip);
  encode (desc);
  g_free (desc);
  for (m = 0; m < G_N_ELEMENTS (modes); m++) {
    gboolean bw = TRUE;
    gdouble saturation = 0;
    /* uridecodebin, as gst-palette: seeks through filesrc ! decodebin
     * can stall */
    desc = g_strdup_printf ("uridecodebin uri=\"%s\" ! "
        "videoconvert ! framedecimate %s ! palettesink", uri, modes[m]);
    s = run (desc, NULL, 0, 0, 0, 0, 0);
    fail_unless (gst_structure_get_boolean (s, "black-and-white", &bw));
    gst_structure_get_double (s, "mean-saturation", &saturation);
    fail_if (bw, "%s: black-and-white (mean saturation %.3f)", modes[m],
        saturation);
    fail_unless (palette_size (s) > 4, "%s: %u colors", modes[m],
        palette_size (s));
    gst_structure_free (s);
    g_free (desc);
  }
  g_free (clip);
  g_free (uri);
}

GST_END_TEST;

static void
setup (void)
{
  tmp_dir = g_dir_make_tmp ("palettesink-borders-XXXXXX", NULL);
  fail_unless (tmp_dir != NULL);
}

static void
teardown (void)
{
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  tmp_dir = NULL;
}

static Suite *
palettesink_borders_suite (void)
{
  Suite *s = suite_create ("palettesink-borders");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_letterbox);
  tcase_add_test (tc, test_letterbox_linear);
  tcase_add_test (tc, test_pillarbox);
  tcase_add_test (tc, test_windowbox_solid_color);
  tcase_add_test (tc, test_noisy_bars);
  tcase_add_test (tc, test_window);
  tcase_add_test (tc, test_keep_borders);
  tcase_add_test (tc, test_fade_to_black);
  tcase_add_test (tc, test_pale_color_every_mode);
  return s;
}

GST_CHECK_MAIN (palettesink_borders);
