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

#include "palette-enums.h"

#include "analyzer.h"

/* Both enums are registered on the engine's own values, so a property's
 * value is the engine's setting as is. */
GType
gst_palette_sink_bw_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {PALETTE_BW_AUTO, "Detect from the mean saturation", "auto"},
    {PALETTE_BW_COLOR, "Always a color palette", "color"},
    {PALETTE_BW_GRAY, "Always gray levels", "gray"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstPaletteSinkBwMode", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_palette_sink_color_space_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {PALETTE_SPACE_RGB, "Gamma-encoded sRGB", "rgb"},
    {PALETTE_SPACE_OKLAB, "OKLab (perceptual)", "oklab"},
    {PALETTE_SPACE_CIELAB, "CIE L*a*b*", "cielab"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstPaletteSinkColorSpace", values);
    g_once_init_leave (&type, t);
  }
  return type;
}
