/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "palette-timeline.h"

void
palette_timeline_reset (PaletteTimeline * timeline)
{
  timeline->first_pts = GST_CLOCK_TIME_NONE;
  timeline->last_end = GST_CLOCK_TIME_NONE;
  timeline->next_stream_time = 0;
  timeline->next_update = GST_CLOCK_TIME_NONE;
}

/* The fingerprint's timestamp: stream time, else the position of the frame
 * in a stream without timestamps. */
static GstClockTime
palette_timeline_frame_time (PaletteTimeline * timeline,
    const GstSegment * segment, GstBuffer * frame, const GstVideoInfo * info)
{
  GstClockTime pts = GST_BUFFER_PTS (frame), time = GST_CLOCK_TIME_NONE;
  GstClockTime duration = GST_BUFFER_DURATION (frame);

  if (GST_CLOCK_TIME_IS_VALID (pts))
    time = segment->format == GST_FORMAT_TIME ?
        gst_segment_to_stream_time (segment, GST_FORMAT_TIME, pts) : pts;
  if (!GST_CLOCK_TIME_IS_VALID (time))
    time = timeline->next_stream_time;

  if (!GST_CLOCK_TIME_IS_VALID (duration) && GST_VIDEO_INFO_FPS_N (info) > 0)
    duration = gst_util_uint64_scale (GST_SECOND, GST_VIDEO_INFO_FPS_D (info),
        GST_VIDEO_INFO_FPS_N (info));
  timeline->next_stream_time = time + (GST_CLOCK_TIME_IS_VALID (duration) ?
      duration : 0);
  return time;
}

GstClockTime
palette_timeline_add_frame (PaletteTimeline * timeline,
    const GstSegment * segment, GstBuffer * frame, const GstVideoInfo * info)
{
  GstClockTime pts = GST_BUFFER_PTS (frame);

  if (GST_CLOCK_TIME_IS_VALID (pts)) {
    GstClockTime end = pts;

    if (GST_BUFFER_DURATION_IS_VALID (frame))
      end += GST_BUFFER_DURATION (frame);
    if (!GST_CLOCK_TIME_IS_VALID (timeline->first_pts))
      timeline->first_pts = pts;
    if (!GST_CLOCK_TIME_IS_VALID (timeline->last_end)
        || end > timeline->last_end)
      timeline->last_end = end;
  }
  return palette_timeline_frame_time (timeline, segment, frame, info);
}

void
palette_timeline_get_span (const PaletteTimeline * timeline,
    const GstSegment * segment, GstClockTime window, PaletteSpan * span)
{
  GstClockTime timestamp = timeline->first_pts;
  GstClockTime last_end = timeline->last_end;

  span->timestamp = GST_CLOCK_TIME_NONE;
  span->stream_time = GST_CLOCK_TIME_NONE;
  span->running_time = GST_CLOCK_TIME_NONE;
  span->duration = GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (timestamp))
    return;
  if (window > 0 && GST_CLOCK_TIME_IS_VALID (last_end) && last_end > window
      && last_end - window > timestamp)
    timestamp = last_end - window;

  span->timestamp = timestamp;
  if (segment->format == GST_FORMAT_TIME) {
    span->running_time = gst_segment_to_running_time (segment,
        GST_FORMAT_TIME, timestamp);
    span->stream_time = gst_segment_to_stream_time (segment,
        GST_FORMAT_TIME, timestamp);
  }
  if (GST_CLOCK_TIME_IS_VALID (last_end) && last_end >= timestamp)
    span->duration = last_end - timestamp;
}

gboolean
palette_timeline_update_due (PaletteTimeline * timeline,
    const GstSegment * segment, GstClockTime pts, GstClockTime interval)
{
  GstClockTime running_time;

  if (interval == 0 || !GST_CLOCK_TIME_IS_VALID (pts)
      || segment->format != GST_FORMAT_TIME)
    return FALSE;
  running_time = gst_segment_to_running_time (segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (running_time))
    return FALSE;               /* outside the segment: nothing to schedule on */

  if (!GST_CLOCK_TIME_IS_VALID (timeline->next_update)) {
    /* updates are due at multiples of interval of running time */
    timeline->next_update = (running_time / interval + 1) * interval;
    return FALSE;
  }
  if (running_time < timeline->next_update)
    return FALSE;
  /* the next multiple of interval after this frame */
  timeline->next_update += interval *
      ((running_time - timeline->next_update) / interval + 1);
  return TRUE;
}

void
palette_timeline_restart_updates (PaletteTimeline * timeline)
{
  timeline->next_update = GST_CLOCK_TIME_NONE;
}
