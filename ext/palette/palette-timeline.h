/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* palettesink's clock of the frames it received: the span a palette
 * covers, the time of each fingerprint sample and when an interval update
 * is due. Streaming thread only. */
#ifndef __PALETTE_TIMELINE_H__
#define __PALETTE_TIMELINE_H__

#include <gst/gst.h>
#include <gst/video/video.h>

#include "palette-message.h"

G_BEGIN_DECLS

typedef struct
{
  GstClockTime first_pts;
  GstClockTime last_end;
  GstClockTime next_stream_time;        /* for frames without timestamps */
  GstClockTime next_update;
} PaletteTimeline;

void palette_timeline_reset (PaletteTimeline * timeline);

/* Takes the next FRAME of INFO in SEGMENT and returns its stream time for
 * the fingerprint (its position in the stream when it has no timestamp). */
GstClockTime palette_timeline_add_frame (PaletteTimeline * timeline,
    const GstSegment * segment, GstBuffer * frame, const GstVideoInfo * info);

/* The span of the frames so far: the last WINDOW of them when > 0. */
void palette_timeline_get_span (const PaletteTimeline * timeline,
    const GstSegment * segment, GstClockTime window, PaletteSpan * span);

/* Whether the frame at PTS, the last one added, is due an update every
 * INTERVAL of running time; updates restart after
 * palette_timeline_restart_updates() (a flush). */
gboolean palette_timeline_update_due (PaletteTimeline * timeline,
    const GstSegment * segment, GstClockTime pts, GstClockTime interval);

void palette_timeline_restart_updates (PaletteTimeline * timeline);

G_END_DECLS

#endif /* __PALETTE_TIMELINE_H__ */
