/* Helpers shared by the palettesink tests: reading the `palette` message's
 * fields and comparing its colors. */
#ifndef PALETTE_TEST_MESSAGE_HELPERS_H
#define PALETTE_TEST_MESSAGE_HELPERS_H

#include <gst/gst.h>

#include "colorspace.h"

/* CIEDE2000 between a message color (0xRRGGBB) and an 8-bit sRGB color */
static inline gdouble
delta_e (guint32 rgb_a, const guint8 rgb_b[3])
{
  double a[3] = { (rgb_a >> 16) & 0xff, (rgb_a >> 8) & 0xff, rgb_a & 0xff };
  double b[3] = { rgb_b[0], rgb_b[1], rgb_b[2] };
  double lab_a[3], lab_b[3];

  palette_srgb_to_cielab (a, lab_a);
  palette_srgb_to_cielab (b, lab_b);
  return palette_ciede2000 (lab_a, lab_b);
}

static inline guint
palette_size (const GstStructure * s)
{
  return gst_value_array_get_size (gst_structure_get_value (s, "colors"));
}

static inline guint32
palette_color (const GstStructure * s, guint i)
{
  return g_value_get_uint (gst_value_array_get_value
      (gst_structure_get_value (s, "colors"), i));
}

static inline gdouble
palette_weight (const GstStructure * s, guint i)
{
  return g_value_get_double (gst_value_array_get_value
      (gst_structure_get_value (s, "weights"), i));
}

#endif
