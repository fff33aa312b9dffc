/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The `palette` element message (see palette-message.c for its fields):
 * palettesink builds it, the command line reads it back, both through this
 * header, so that its schema lives in one file. */

#ifndef __PALETTE_MESSAGE_H__
#define __PALETTE_MESSAGE_H__

#include <gst/gst.h>

#include "analyzer.h"

G_BEGIN_DECLS

/* The stretch of the stream a palette covers, as level reports it; each
 * time GST_CLOCK_TIME_NONE when unknown. */
typedef struct
{
  GstClockTime timestamp;
  GstClockTime stream_time;
  GstClockTime running_time;
  GstClockTime duration;
} PaletteSpan;

/* the most colors a PalettePalette holds */
#define PALETTE_MESSAGE_MAX_COLORS 64

/* A `palette` message read back by palette_message_parse(). */
typedef struct
{
  guint n_colors;
  guint colors[PALETTE_MESSAGE_MAX_COLORS];     /* 0xRRGGBB, dominant first */
  gdouble weights[PALETTE_MESSAGE_MAX_COLORS];  /* shares of the colors */
  gboolean black_and_white;
  gdouble mean_saturation;
  guint64 frames;
  gboolean final;
  gboolean complete;
  PaletteSpan span;
} PaletteMessage;

GstMessage *palette_message_new (GstObject * src,
    const PalettePalette * palette, const PaletteSpan * span, gboolean final,
    gboolean complete);

gboolean palette_message_is_palette (GstMessage * message);

gboolean palette_message_parse (GstMessage * message, PaletteMessage * palette);

const gchar *palette_message_get_summary (void);

G_END_DECLS

#endif /* __PALETTE_MESSAGE_H__ */
