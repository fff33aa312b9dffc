/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The `palette` message without a pipeline: palette_message_new() builds
 * exactly the documented fields, in a fixed order, with their types, from a
 * known palette; palette_message_parse() reads back what it built and
 * refuses what it did not. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <string.h>

#include "palette-message.h"

/* Two colors, unrounded as the engine gives them, and a span of 2 s from
 * 1 s; stream time 10 s ahead of the timestamp, running time 1 s behind. */
static void
known_palette (PalettePalette * palette, PaletteSpan * span)
{
  memset (palette, 0, sizeof (*palette));
  palette->n_colors = 2;
  palette->colors[0].rgb[0] = 200.4;
  palette->colors[0].rgb[1] = 40.6;
  palette->colors[0].rgb[2] = 300.0;    /* past 255: clamped */
  palette->colors[0].weight = 0.75;
  palette->colors[1].rgb[0] = -2.0;     /* below 0: clamped */
  palette->colors[1].rgb[1] = 127.5;
  palette->colors[1].rgb[2] = 16.0;
  palette->colors[1].weight = 0.25;
  palette->black_and_white = 0;
  palette->mean_saturation = 0.375;
  palette->frames = 42;

  span->timestamp = 1 * GST_SECOND;
  span->stream_time = 11 * GST_SECOND;
  span->running_time = 0;
  span->duration = 2 * GST_SECOND;
}

GST_START_TEST (test_fields_and_types)
{
  /* the order the builder sets them in: the message's text (as gst-launch
   * -m prints it) depends on it */
  static const struct
  {
    const gchar *name;
    GType type;
  } expected[] = {
    {"black-and-white", G_TYPE_BOOLEAN},
    {"mean-saturation", G_TYPE_DOUBLE},
    {"frames", G_TYPE_UINT64},
    {"final", G_TYPE_BOOLEAN},
    {"complete", G_TYPE_BOOLEAN},
    {"timestamp", G_TYPE_UINT64},
    {"stream-time", G_TYPE_UINT64},
    {"running-time", G_TYPE_UINT64},
    {"duration", G_TYPE_UINT64},
    {"colors", 0},              /* GST_TYPE_ARRAY is no constant */
    {"weights", 0},
  };
  PalettePalette palette;
  PaletteSpan span;
  GstMessage *message;
  const GstStructure *s;
  guint i;

  known_palette (&palette, &span);
  message = palette_message_new (NULL, &palette, &span, TRUE, FALSE);
  fail_unless_equals_int (GST_MESSAGE_TYPE (message), GST_MESSAGE_ELEMENT);
  s = gst_message_get_structure (message);
  fail_unless_equals_string (gst_structure_get_name (s), "palette");
  fail_unless_equals_int (gst_structure_n_fields (s), G_N_ELEMENTS (expected));
  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    const gchar *name = gst_structure_nth_field_name (s, i);
    GType type = expected[i].type ? expected[i].type : GST_TYPE_ARRAY;

    fail_unless_equals_string (name, expected[i].name);
    fail_unless (gst_structure_has_field_typed (s, name, type),
        "%s is a %s", name, g_type_name (gst_structure_get_field_type (s,
                name)));
  }
  gst_message_unref (message);
}

GST_END_TEST;

GST_START_TEST (test_values)
{
  PalettePalette palette;
  PaletteSpan span;
  GstMessage *message;
  GstObject *src = GST_OBJECT (gst_bin_new ("sink"));
  const GstStructure *s;
  const GValue *colors, *weights;
  gboolean bw, final, complete;
  gdouble saturation;
  guint64 frames, timestamp, stream_time, running_time, duration;

  known_palette (&palette, &span);
  gst_object_ref_sink (src);
  message = palette_message_new (src, &palette, &span, FALSE, TRUE);
  fail_unless (GST_MESSAGE_SRC (message) == src);
  s = gst_message_get_structure (message);

  colors = gst_structure_get_value (s, "colors");
  weights = gst_structure_get_value (s, "weights");
  fail_unless_equals_int (gst_value_array_get_size (colors), 2);
  fail_unless_equals_int (gst_value_array_get_size (weights), 2);
  /* 8-bit channels, rounded and clamped, packed as 0xRRGGBB */
  fail_unless_equals_int (g_value_get_uint (gst_value_array_get_value
          (colors, 0)), 0xc829ff);
  fail_unless_equals_int (g_value_get_uint (gst_value_array_get_value
          (colors, 1)), 0x008010);
  fail_unless_equals_float (g_value_get_double (gst_value_array_get_value
          (weights, 0)), 0.75);
  fail_unless_equals_float (g_value_get_double (gst_value_array_get_value
          (weights, 1)), 0.25);

  fail_unless (gst_structure_get (s, "black-and-white", G_TYPE_BOOLEAN, &bw,
          "mean-saturation", G_TYPE_DOUBLE, &saturation,
          "frames", G_TYPE_UINT64, &frames,
          "final", G_TYPE_BOOLEAN, &final,
          "complete", G_TYPE_BOOLEAN, &complete,
          "timestamp", G_TYPE_UINT64, &timestamp,
          "stream-time", G_TYPE_UINT64, &stream_time,
          "running-time", G_TYPE_UINT64, &running_time,
          "duration", G_TYPE_UINT64, &duration, NULL));
  fail_if (bw);
  fail_unless_equals_float (saturation, 0.375);
  fail_unless_equals_uint64 (frames, 42);
  fail_if (final);
  fail_unless (complete);
  fail_unless_equals_uint64 (timestamp, 1 * GST_SECOND);
  fail_unless_equals_uint64 (stream_time, 11 * GST_SECOND);
  fail_unless_equals_uint64 (running_time, 0);
  fail_unless_equals_uint64 (duration, 2 * GST_SECOND);

  gst_message_unref (message);
  gst_object_unref (src);
}

GST_END_TEST;

/* A palette of no colors (never posted, but the builder allows it) still
 * has both arrays, empty. */
GST_START_TEST (test_no_colors)
{
  PalettePalette palette;
  PaletteSpan span;
  GstMessage *message;
  const GstStructure *s;

  known_palette (&palette, &span);
  palette.n_colors = 0;
  message = palette_message_new (NULL, &palette, &span, TRUE, TRUE);
  s = gst_message_get_structure (message);
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (s, "colors")), 0);
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (s, "weights")), 0);
  gst_message_unref (message);
}

GST_END_TEST;

GST_START_TEST (test_parse_round_trip)
{
  PalettePalette palette;
  PaletteSpan span;
  PaletteMessage parsed;
  GstMessage *message;

  known_palette (&palette, &span);
  palette.black_and_white = 1;
  message = palette_message_new (NULL, &palette, &span, TRUE, FALSE);
  fail_unless (palette_message_is_palette (message));
  fail_unless (palette_message_parse (message, &parsed));
  fail_unless_equals_int (parsed.n_colors, 2);
  fail_unless_equals_int (parsed.colors[0], 0xc829ff);
  fail_unless_equals_int (parsed.colors[1], 0x008010);
  fail_unless_equals_float (parsed.weights[0], 0.75);
  fail_unless_equals_float (parsed.weights[1], 0.25);
  fail_unless (parsed.black_and_white);
  fail_unless_equals_float (parsed.mean_saturation, 0.375);
  fail_unless_equals_uint64 (parsed.frames, 42);
  fail_unless (parsed.final);
  fail_if (parsed.complete);
  fail_unless_equals_uint64 (parsed.span.timestamp, span.timestamp);
  fail_unless_equals_uint64 (parsed.span.stream_time, span.stream_time);
  fail_unless_equals_uint64 (parsed.span.running_time, span.running_time);
  fail_unless_equals_uint64 (parsed.span.duration, span.duration);
  gst_message_unref (message);
}

GST_END_TEST;

GST_START_TEST (test_parse_refuses_others)
{
  PaletteMessage parsed;
  GstMessage *message;
  GstStructure *s;
  GValue colors = G_VALUE_INIT;

  /* another element message */
  message = gst_message_new_element (NULL, gst_structure_new_empty ("level"));
  fail_if (palette_message_is_palette (message));
  fail_if (palette_message_parse (message, &parsed));
  gst_message_unref (message);

  /* a `palette` application message is not palettesink's */
  message = gst_message_new_application (NULL,
      gst_structure_new_empty ("palette"));
  fail_if (palette_message_is_palette (message));
  gst_message_unref (message);

  /* colors without weights */
  s = gst_structure_new_empty ("palette");
  g_value_init (&colors, GST_TYPE_ARRAY);
  gst_structure_take_value (s, "colors", &colors);
  message = gst_message_new_element (NULL, s);
  fail_unless (palette_message_is_palette (message));
  fail_if (palette_message_parse (message, &parsed));
  gst_message_unref (message);
}

GST_END_TEST;

static Suite *
palette_message_suite (void)
{
  Suite *s = suite_create ("palette-message");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_fields_and_types);
  tcase_add_test (tc, test_values);
  tcase_add_test (tc, test_no_colors);
  tcase_add_test (tc, test_parse_round_trip);
  tcase_add_test (tc, test_parse_refuses_others);
  return s;
}

GST_CHECK_MAIN (palette_message);
