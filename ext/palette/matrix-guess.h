/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The YCbCr matrix of a stream that does not state it. GStreamer then
 * assumes BT.709 for HD and BT.601 below, but FFmpeg converts RGB with
 * BT.601 at every size and writes no tag, so many untagged HD files are
 * BT.601 (big_buck_bunny_10s.mp4 among them). A picture made from RGB lies
 * in the RGB cube under its own matrix; under the other, its saturated
 * colors fall outside (big_buck_bunny_10s.mp4: 1.5 % of pixels outside
 * as BT.601, 21 % as BT.709). So the frames vote: the matrix that keeps
 * far more of them inside wins, and near-gray pictures, inside either
 * way, keep the convention. */
#ifndef __MATRIX_GUESS_H__
#define __MATRIX_GUESS_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

typedef struct
{
  GstVideoColorRange range;
  guint64 pixels;
  guint64 outside_bt601;
  guint64 outside_bt709;
} MatrixGuess;

void matrix_guess_init (MatrixGuess * guess, GstVideoColorRange range);

/* Counts the pixels of FRAME (AYUV, 8 bits) that fall outside the RGB
 * cube under BT.601 and under BT.709. */
void matrix_guess_add_ayuv (MatrixGuess * guess, const GstVideoFrame * frame);

/* CONVENTION (the matrix GStreamer assumed) unless it is BT.601 or BT.709
 * and the other keeps at least 4 times fewer pixels outside, on a picture
 * with at least 2 % of them outside under the convention. SURE (may be
 * NULL): the pixels counted so far decide it either way, as more would
 * not (one matrix that far ahead of the other); a dark or gray opening
 * decides nothing. */
GstVideoColorMatrix matrix_guess_decide (const MatrixGuess * guess,
    GstVideoColorMatrix convention, gboolean * sure);

G_END_DECLS

#endif /* __MATRIX_GUESS_H__ */
