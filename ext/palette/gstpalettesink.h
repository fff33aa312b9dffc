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

#include "palette-enums.h"

G_BEGIN_DECLS

#define GST_TYPE_PALETTE_SINK (gst_palette_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstPaletteSink, gst_palette_sink, GST, PALETTE_SINK,
    GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (palettesink);

G_END_DECLS

#endif /* __GST_PALETTE_SINK_H__ */
