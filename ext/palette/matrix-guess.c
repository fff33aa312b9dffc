/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Which matrix keeps an untagged picture in the RGB cube (see
 * matrix-guess.h) */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "matrix-guess.h"

/* Code values a channel may stray past 0 or 255 and still count as
 * inside: coding noise around black and white, not a wrong matrix. */
#define SLACK 4.0

/* the convention must leave this share of pixels outside ... */
#define MIN_OUTSIDE_SHARE 0.02
/* ... and the other matrix this many times fewer, to be overruled */
#define MIN_RATIO 4

void
matrix_guess_init (MatrixGuess * guess, GstVideoColorRange range)
{
  guess->range = range;
  guess->pixels = 0;
  guess->outside_bt601 = 0;
  guess->outside_bt709 = 0;
}

static gboolean
outside (gdouble y, gdouble pb, gdouble pr, gdouble kr, gdouble kb)
{
  gdouble kg = 1.0 - kr - kb;
  gdouble r = y + 2.0 * (1.0 - kr) * pr;
  gdouble b = y + 2.0 * (1.0 - kb) * pb;
  gdouble g = (y - kr * r - kb * b) / kg;
  gdouble low = -SLACK / 255.0, high = 1.0 + SLACK / 255.0;

  return r < low || r > high || g < low || g > high || b < low || b > high;
}

void
matrix_guess_add_ayuv (MatrixGuess * guess, const GstVideoFrame * frame)
{
  gint offset[GST_VIDEO_MAX_COMPONENTS], scale[GST_VIDEO_MAX_COMPONENTS];
  gdouble kr601, kb601, kr709, kb709;
  gint width = GST_VIDEO_FRAME_WIDTH (frame);
  gint height = GST_VIDEO_FRAME_HEIGHT (frame);
  gint x, y;

  gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT601, &kr601,
      &kb601);
  gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT709, &kr709,
      &kb709);
  gst_video_color_range_offsets (guess->range,
      gst_video_format_get_info (GST_VIDEO_FORMAT_AYUV), offset, scale);

  for (y = 0; y < height; y++) {
    const guint8 *p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);

    for (x = 0; x < width; x++, p += 4) {
      /* AYUV: A, Y, U (Cb), V (Cr) */
      gdouble luma = (p[1] - offset[0]) / (gdouble) scale[0];
      gdouble pb = (p[2] - offset[1]) / (gdouble) scale[1];
      gdouble pr = (p[3] - offset[2]) / (gdouble) scale[2];

      guess->outside_bt601 += outside (luma, pb, pr, kr601, kb601);
      guess->outside_bt709 += outside (luma, pb, pr, kr709, kb709);
    }
  }
  guess->pixels += (guint64) width * height;
}

/* one matrix MINE far ahead of OTHER */
static gboolean
far_behind (const MatrixGuess * guess, guint64 mine, guint64 other)
{
  return mine > 0 && mine >= MIN_OUTSIDE_SHARE * guess->pixels
      && other * MIN_RATIO <= mine;
}

GstVideoColorMatrix
matrix_guess_decide (const MatrixGuess * guess,
    GstVideoColorMatrix convention, gboolean * sure)
{
  guint64 mine, other;
  GstVideoColorMatrix alternative;

  if (convention == GST_VIDEO_COLOR_MATRIX_BT709) {
    mine = guess->outside_bt709;
    other = guess->outside_bt601;
    alternative = GST_VIDEO_COLOR_MATRIX_BT601;
  } else if (convention == GST_VIDEO_COLOR_MATRIX_BT601) {
    mine = guess->outside_bt601;
    other = guess->outside_bt709;
    alternative = GST_VIDEO_COLOR_MATRIX_BT709;
  } else {
    if (sure)
      *sure = TRUE;
    return convention;
  }
  if (sure)
    *sure = far_behind (guess, mine, other) || far_behind (guess, other, mine);
  if (far_behind (guess, mine, other))
    return alternative;
  return convention;
}
