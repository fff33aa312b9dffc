/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_FRAME_DECIMATE_H__
#define __GST_FRAME_DECIMATE_H__

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstFrameDecimateMode:
 * @GST_FRAME_DECIMATE_MODE_EVERY_NTH: keep frames 0, step, 2·step, …
 * @GST_FRAME_DECIMATE_MODE_INTERVAL: keep the first frame at or after each
 *   multiple of the interval, in stream time
 * @GST_FRAME_DECIMATE_MODE_COUNT: keep N frames spread evenly over the duration
 * @GST_FRAME_DECIMATE_MODE_SCENE: keep the first frame of each new scene
 * @GST_FRAME_DECIMATE_MODE_KEYFRAMES: keep key frames only, and ask upstream
 *   not to decode the others
 * @GST_FRAME_DECIMATE_MODE_SEEK: keep count frames spread over the duration,
 *   reached by key-unit seeks upstream (one decoded frame each), topped up
 *   with frames between sparse key frames (accurate seeks, min-keyframes);
 *   reads through as count where seeking costs more
 */
typedef enum
{
  GST_FRAME_DECIMATE_MODE_EVERY_NTH,
  GST_FRAME_DECIMATE_MODE_INTERVAL,
  GST_FRAME_DECIMATE_MODE_COUNT,
  GST_FRAME_DECIMATE_MODE_SCENE,
  GST_FRAME_DECIMATE_MODE_KEYFRAMES,
  GST_FRAME_DECIMATE_MODE_SEEK,
} GstFrameDecimateMode;

#define GST_TYPE_FRAME_DECIMATE_MODE (gst_frame_decimate_mode_get_type ())
GType gst_frame_decimate_mode_get_type (void);

#define GST_TYPE_FRAME_DECIMATE (gst_frame_decimate_get_type ())
G_DECLARE_FINAL_TYPE (GstFrameDecimate, gst_frame_decimate, GST, FRAME_DECIMATE,
    GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (framedecimate);

G_END_DECLS

#endif /* __GST_FRAME_DECIMATE_H__ */
