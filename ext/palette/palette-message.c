/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:palette-message
 * @title: The palette message
 * @see_also: palettesink
 *
 * palettesink posts the palette it finds as an element message named
 * `palette`: at EOS, before the EOS message reaches the bus; every
 * #GstPaletteSink:interval of running time when that is > 0; and when the
 * stream ends in an error or the pipeline is stopped before EOS, with the
 * palette of the frames seen. It posts none when
 * #GstPaletteSink:post-messages is FALSE or no frame was analysed.
 *
 * The message has these fields:
 *
 * * `colors` (GstValueArray of guint): 0xRRGGBB, most dominant first
 * * `weights` (GstValueArray of gdouble): share of the sampled pixels nearest
 *   to each color, in the order of `colors`; sums to 1
 * * `black-and-white` (gboolean): the film was found (or set, with
 *   #GstPaletteSink:bw-mode) black-and-white: `colors` are then gray levels
 * * `mean-saturation` (gdouble): mean HSV saturation (0–1) of the sampled
 *   pixels, the value compared with #GstPaletteSink:bw-threshold
 * * `frames` (guint64): frames analysed so far
 * * `final` (gboolean): TRUE for the palette posted at EOS
 * * `complete` (gboolean): FALSE when the palette does not cover the whole
 *   stream: interval updates, a stream that ended in an upstream error, a
 *   pipeline stopped before EOS, and a stream that ends more than 5 % short
 *   of its duration, as a cut file does (with a warning). A final palette
 *   can be incomplete.
 * * `timestamp`, `stream-time`, `running-time`, `duration` (guint64): the
 *   span the palette covers (with #GstPaletteSink:window, the last window),
 *   as `level` posts them; GST_CLOCK_TIME_NONE when the frames carry no
 *   timestamps
 *
 * docs/palettesink.md documents the same fields for users; tests/docs checks
 * its table against what palette_message_new() builds.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "palette-message.h"

#include <string.h>

G_STATIC_ASSERT (PALETTE_MESSAGE_MAX_COLORS ==
    G_N_ELEMENTS (((PalettePalette *) NULL)->colors));

/* gst-inspect-1.0 prints every metadata key of an element: palettesink sets
 * this summary of the section above as its "message" key, so that the
 * fields are where users of the element look first. */
const gchar *
palette_message_get_summary (void)
{
  return "element message \"palette\": colors (GstValueArray of uint "
      "0xRRGGBB, most dominant first), weights (GstValueArray of double, "
      "shares summing to 1), black-and-white (boolean), mean-saturation "
      "(double), frames (guint64, analysed so far), final (boolean, TRUE at "
      "EOS), complete (boolean, FALSE when the palette does not cover the "
      "whole stream: interval updates, upstream errors, early stops, a file "
      "cut short), timestamp, stream-time, running-time, duration (guint64, "
      "the span the palette covers, as level posts them)";
}

/**
 * palette_message_new:
 * @src: the element posting the message
 * @palette: the palette, with its color count and frame count
 * @span: the stretch of the stream it covers
 * @final: TRUE for the palette of EOS
 * @complete: FALSE when the palette does not cover the whole stream
 *
 * Returns: (transfer full): the `palette` element message
 */
GstMessage *
palette_message_new (GstObject * src, const PalettePalette * palette,
    const PaletteSpan * span, gboolean final, gboolean complete)
{
  GstStructure *s;
  GValue colors = G_VALUE_INIT, weights = G_VALUE_INIT;
  unsigned i;

  g_return_val_if_fail (palette != NULL, NULL);
  g_return_val_if_fail (span != NULL, NULL);

  g_value_init (&colors, GST_TYPE_ARRAY);
  g_value_init (&weights, GST_TYPE_ARRAY);
  for (i = 0; i < palette->n_colors; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_UINT);
    g_value_set_uint (&v, palette_rgb_pack (palette->colors[i].rgb));
    gst_value_array_append_and_take_value (&colors, &v);

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, palette->colors[i].weight);
    gst_value_array_append_and_take_value (&weights, &v);
  }

  s = gst_structure_new ("palette",
      "black-and-white", G_TYPE_BOOLEAN, palette->black_and_white != 0,
      "mean-saturation", G_TYPE_DOUBLE, palette->mean_saturation,
      "frames", G_TYPE_UINT64, (guint64) palette->frames,
      "final", G_TYPE_BOOLEAN, final,
      "complete", G_TYPE_BOOLEAN, complete,
      "timestamp", G_TYPE_UINT64, span->timestamp,
      "stream-time", G_TYPE_UINT64, span->stream_time,
      "running-time", G_TYPE_UINT64, span->running_time,
      "duration", G_TYPE_UINT64, span->duration, NULL);
  gst_structure_take_value (s, "colors", &colors);
  gst_structure_take_value (s, "weights", &weights);

  return gst_message_new_element (src, s);
}

/**
 * palette_message_is_palette:
 * @message: any message
 *
 * Returns: whether @message is a `palette` element message
 */
gboolean
palette_message_is_palette (GstMessage * message)
{
  g_return_val_if_fail (GST_IS_MESSAGE (message), FALSE);

  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (message, "palette");
}

/**
 * palette_message_parse:
 * @message: a `palette` element message
 * @palette: (out caller-allocates): its fields
 *
 * Reads the fields back. Only `colors` and `weights` are required: a missing
 * flag reads as FALSE, a missing count as 0 and a missing time as
 * GST_CLOCK_TIME_NONE. Colors past #PALETTE_MESSAGE_MAX_COLORS, or without
 * a weight, are left out.
 *
 * Returns: FALSE when @message is no `palette` message or its colors or
 * weights are missing or of another type
 */
gboolean
palette_message_parse (GstMessage * message, PaletteMessage * palette)
{
  const GstStructure *s;
  const GValue *colors, *weights;
  guint i, n;

  g_return_val_if_fail (palette != NULL, FALSE);

  if (!palette_message_is_palette (message))
    return FALSE;
  s = gst_message_get_structure (message);
  colors = gst_structure_get_value (s, "colors");
  weights = gst_structure_get_value (s, "weights");
  if (colors == NULL || weights == NULL || !GST_VALUE_HOLDS_ARRAY (colors)
      || !GST_VALUE_HOLDS_ARRAY (weights))
    return FALSE;

  memset (palette, 0, sizeof (*palette));
  n = MIN (gst_value_array_get_size (colors),
      gst_value_array_get_size (weights));
  n = MIN (n, PALETTE_MESSAGE_MAX_COLORS);
  for (i = 0; i < n; i++) {
    const GValue *color = gst_value_array_get_value (colors, i);
    const GValue *weight = gst_value_array_get_value (weights, i);

    if (!G_VALUE_HOLDS_UINT (color) || !G_VALUE_HOLDS_DOUBLE (weight))
      return FALSE;
    palette->colors[i] = g_value_get_uint (color);
    palette->weights[i] = g_value_get_double (weight);
  }
  palette->n_colors = n;

  gst_structure_get_boolean (s, "black-and-white", &palette->black_and_white);
  gst_structure_get_double (s, "mean-saturation", &palette->mean_saturation);
  gst_structure_get_uint64 (s, "frames", &palette->frames);
  gst_structure_get_boolean (s, "final", &palette->final);
  gst_structure_get_boolean (s, "complete", &palette->complete);
  palette->span.timestamp = GST_CLOCK_TIME_NONE;
  palette->span.stream_time = GST_CLOCK_TIME_NONE;
  palette->span.running_time = GST_CLOCK_TIME_NONE;
  palette->span.duration = GST_CLOCK_TIME_NONE;
  gst_structure_get_uint64 (s, "timestamp", &palette->span.timestamp);
  gst_structure_get_uint64 (s, "stream-time", &palette->span.stream_time);
  gst_structure_get_uint64 (s, "running-time", &palette->span.running_time);
  gst_structure_get_uint64 (s, "duration", &palette->span.duration);
  return TRUE;
}
