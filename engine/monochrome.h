/* gst-palette color engine: monochrome films, gray or toned.
 *
 * A black-and-white print may be toned (sepia, blue, a tint of the stock):
 * its pixels are then saturated, but their chroma follows their lightness
 * alone. Measuring how much chroma lightness does not explain tells a toned
 * monochrome film (little) from a pale color film (hues vary at any given
 * lightness), whatever the mean saturation says. */
#ifndef PALETTE_MONOCHROME_H
#define PALETTE_MONOCHROME_H

#include <stddef.h>

#include "histogram.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Below this residual chroma (CIELAB units) a film may be a toned
 * monochrome; above PALETTE_COLOR_RESIDUAL it has colors even when pale. */
#define PALETTE_MONOCHROME_RESIDUAL 2.5
#define PALETTE_COLOR_RESIDUAL 4.0
/* A toning is one hue (sepia, blue, a tint of the stock: hue concentration
 * above this) of moderate chroma (mean below PALETTE_TONED_MAX_CHROMA):
 * a film of a few strong colors, each at its own lightness, has chroma that
 * lightness explains too, but not one hue. */
#define PALETTE_TONED_MIN_CONCENTRATION 0.9
#define PALETTE_TONED_MAX_CHROMA 25.0
/* and a print has tones: its lightness spreads (standard deviation of L*
 * at least this), where one flat tinted color does not */
#define PALETTE_TONED_MIN_LIGHTNESS_SPREAD 8.0

typedef struct {
  double residual;      /* rms distance of each pixel's (a*, b*) from the mean
                         * (a*, b*) of the pixels of its lightness */
  double chroma;        /* mean chroma */
  double concentration; /* |mean (a*, b*)| / mean chroma: 1 when every
                         * pixel has the same hue, near 0 for many hues */
  double lightness_spread;      /* standard deviation of L* */
} PaletteChromaStats;

/* Whether stats describe a toned (or gray) monochrome film. */
int palette_chroma_is_monochrome (const PaletteChromaStats *stats);

/* Over n weighted colors (histogram bins). Zeros when there is no weight. */
void palette_chroma_stats (const PaletteColor *colors, size_t n, PaletteChromaStats *stats);

/* Gives each of n_levels gray levels (r = g = b, as palette_gray_levels
 * makes them) the mean chroma of the colors whose lightness is nearest to
 * its own, keeping its lightness: the tones of a toned print. */
void palette_tint_gray_levels (const PaletteColor *colors, size_t n, PaletteColor *levels,
    unsigned n_levels);

#ifdef __cplusplus
}
#endif
#endif
