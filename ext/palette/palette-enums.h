/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __PALETTE_ENUMS_H__
#define __PALETTE_ENUMS_H__

#include <glib-object.h>

G_BEGIN_DECLS

/* The property enums: their values are the engine's own (PaletteBwMode and
 * PaletteColorSpace in engine/), so that no type mirrors them. */
#define GST_TYPE_PALETTE_SINK_BW_MODE (gst_palette_sink_bw_mode_get_type ())
GType gst_palette_sink_bw_mode_get_type (void);

#define GST_TYPE_PALETTE_SINK_COLOR_SPACE (gst_palette_sink_color_space_get_type ())
GType gst_palette_sink_color_space_get_type (void);

G_END_DECLS

#endif /* __PALETTE_ENUMS_H__ */
