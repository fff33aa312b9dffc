/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_PALETTE_SINK_H__
#define __GST_PALETTE_SINK_H__

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstPaletteSinkBwMode:
 * @GST_PALETTE_SINK_BW_MODE_AUTO: black-and-white when the mean saturation
 *   is below #GstPaletteSink:bw-threshold
 * @GST_PALETTE_SINK_BW_MODE_COLOR: always a color palette
 * @GST_PALETTE_SINK_BW_MODE_GRAY: always gray levels
 */
typedef enum
{
  GST_PALETTE_SINK_BW_MODE_AUTO,
  GST_PALETTE_SINK_BW_MODE_COLOR,
  GST_PALETTE_SINK_BW_MODE_GRAY,
} GstPaletteSinkBwMode;

#define GST_TYPE_PALETTE_SINK_BW_MODE (gst_palette_sink_bw_mode_get_type ())
GType gst_palette_sink_bw_mode_get_type (void);

/**
 * GstPaletteSinkColorSpace:
 * @GST_PALETTE_SINK_COLOR_SPACE_RGB: gamma-encoded sRGB, as the seed notebook
 * @GST_PALETTE_SINK_COLOR_SPACE_OKLAB: OKLab (perceptual)
 * @GST_PALETTE_SINK_COLOR_SPACE_CIELAB: CIE L*a*b*
 */
typedef enum
{
  GST_PALETTE_SINK_COLOR_SPACE_RGB,
  GST_PALETTE_SINK_COLOR_SPACE_OKLAB,
  GST_PALETTE_SINK_COLOR_SPACE_CIELAB,
} GstPaletteSinkColorSpace;

#define GST_TYPE_PALETTE_SINK_COLOR_SPACE (gst_palette_sink_color_space_get_type ())
GType gst_palette_sink_color_space_get_type (void);

#define GST_TYPE_PALETTE_SINK (gst_palette_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstPaletteSink, gst_palette_sink, GST, PALETTE_SINK,
    GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (palettesink);

G_END_DECLS

#endif /* __GST_PALETTE_SINK_H__ */
