/* Helpers shared by the engine's tests */
#ifndef ENGINE_TEST_H
#define ENGINE_TEST_H

#include <stdint.h>

#include "palette-engine.h"

/* CIEDE2000 from a palette color to an 8-bit one */
static inline double
delta_e8 (const double rgb[3], const uint8_t want[3])
{
  double w[3] = { want[0], want[1], want[2] }, l1[3], l2[3];

  palette_srgb_to_cielab (rgb, l1);
  palette_srgb_to_cielab (w, l2);
  return palette_ciede2000 (l1, l2);
}

#endif
