/* gst-palette color engine: monochrome films, gray or toned.
 *
 * Colors are grouped by lightness into bands of 2 L* (about a just
 * noticeable step); within a band a toned print has one chroma, so the
 * weighted variance of (a*, b*) inside the bands, summed, is the chroma that
 * lightness leaves unexplained. */
#include "monochrome.h"
#include "colorspace.h"

#include <math.h>
#include <string.h>

#define N_BANDS 50

typedef struct {
  double w, a, b, aa_bb;
} Band;

static unsigned
band_of (double l)
{
  int band = (int) (l / (100.0 / N_BANDS));

  return band < 0 ? 0 : band >= N_BANDS ? N_BANDS - 1 : (unsigned) band;
}

void
palette_chroma_stats (const PaletteColor *colors, size_t n, PaletteChromaStats *stats)
{
  Band bands[N_BANDS];
  double total = 0, chroma = 0, unexplained = 0, mean_a = 0, mean_b = 0, sum_l = 0,
      sum_ll = 0, var_l;
  size_t i;
  unsigned k;

  memset (stats, 0, sizeof (*stats));
  memset (bands, 0, sizeof (bands));
  for (i = 0; i < n; i++) {
    double lab[3], w = colors[i].weight;
    Band *band;
    if (!(w > 0))
      continue;
    palette_srgb_to_cielab (colors[i].rgb, lab);
    band = &bands[band_of (lab[0])];
    band->w += w;
    band->a += w * lab[1];
    band->b += w * lab[2];
    band->aa_bb += w * (lab[1] * lab[1] + lab[2] * lab[2]);
    total += w;
    chroma += w * hypot (lab[1], lab[2]);
    mean_a += w * lab[1];
    mean_b += w * lab[2];
    sum_l += w * lab[0];
    sum_ll += w * lab[0] * lab[0];
  }
  if (!(total > 0))
    return;
  for (k = 0; k < N_BANDS; k++)
    if (bands[k].w > 0)
      unexplained += bands[k].aa_bb
          - (bands[k].a * bands[k].a + bands[k].b * bands[k].b) / bands[k].w;
  stats->residual = sqrt (unexplained > 0 ? unexplained / total : 0);
  stats->chroma = chroma / total;
  stats->concentration = chroma > 0 ? hypot (mean_a, mean_b) / chroma : 1;
  var_l = sum_ll / total - (sum_l / total) * (sum_l / total);
  stats->lightness_spread = var_l > 0 ? sqrt (var_l) : 0;
}

int
palette_chroma_is_monochrome (const PaletteChromaStats *stats)
{
  return stats->residual < PALETTE_MONOCHROME_RESIDUAL
      && stats->chroma < PALETTE_TONED_MAX_CHROMA
      && stats->lightness_spread >= PALETTE_TONED_MIN_LIGHTNESS_SPREAD
      && (stats->chroma < 1.0 || stats->concentration > PALETTE_TONED_MIN_CONCENTRATION);
}

void
palette_tint_gray_levels (const PaletteColor *colors, size_t n, PaletteColor *levels,
    unsigned n_levels)
{
  double level_l[64], sum_w[64], sum_a[64], sum_b[64];
  size_t i;
  unsigned c;

  if (n_levels == 0 || n_levels > 64)
    return;
  for (c = 0; c < n_levels; c++) {
    double lab[3];
    palette_srgb_to_cielab (levels[c].rgb, lab);
    level_l[c] = lab[0];
    sum_w[c] = sum_a[c] = sum_b[c] = 0;
  }
  for (i = 0; i < n; i++) {
    double lab[3], w = colors[i].weight;
    unsigned nearest = 0;
    if (!(w > 0))
      continue;
    palette_srgb_to_cielab (colors[i].rgb, lab);
    for (c = 1; c < n_levels; c++)
      if (fabs (lab[0] - level_l[c]) < fabs (lab[0] - level_l[nearest]))
        nearest = c;
    sum_w[nearest] += w;
    sum_a[nearest] += w * lab[1];
    sum_b[nearest] += w * lab[2];
  }
  for (c = 0; c < n_levels; c++) {
    double lab[3] = { level_l[c], 0, 0 };
    if (!(sum_w[c] > 0))
      continue;
    lab[1] = sum_a[c] / sum_w[c];
    lab[2] = sum_b[c] / sum_w[c];
    palette_cielab_to_srgb (lab, levels[c].rgb);
  }
}
