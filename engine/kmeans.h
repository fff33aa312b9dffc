/* gst-palette color engine: weighted k-means on colors.
 *
 * Input points are weighted colors (histogram bins, or batch centers); the
 * clustering runs in a chosen space. Deterministic for a given seed (own PRNG,
 * no global state), k-means++ initialisation, empty clusters re-seeded from the
 * point farthest from its center, stops when no assignment changes or after
 * max_iterations. */
#ifndef PALETTE_KMEANS_H
#define PALETTE_KMEANS_H

#include "colorspace.h"
#include "histogram.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  unsigned k;                  /* wanted clusters, >= 1 */
  PaletteColorSpace space;
  uint64_t seed;
  unsigned max_iterations;     /* 0: a default (100) */
  unsigned restarts;           /* 0 or 1: one run; more: keep the lowest error */
} PaletteKMeansParams;

void palette_kmeans_params_init (PaletteKMeansParams *params);  /* k 10, OKLab, seed 0 */

/* Clusters n_points weighted colors into at most params->k clusters.
 * centers receives the cluster means (converted back to sRGB 0..255) with the
 * summed weight of their points, sorted by weight, heaviest first (ties by
 * color, so the order is deterministic). Clusters that would be empty are
 * dropped, so fewer than k come back when there are fewer distinct colors.
 * Returns the number written; 0 when there are no points or no weight.
 * If error is not NULL, it receives the weighted mean squared distance. */
unsigned palette_kmeans (const PaletteColor *points, size_t n_points,
    const PaletteKMeansParams *params, PaletteColor *centers, double *error);

/* Lloyd iterations only, from the n_centers given centers (sRGB; weights
 * ignored): used to polish a palette against a finer set of points, e.g. a
 * film's histogram bins after merging batch centers. Same output contract as
 * palette_kmeans (centers rewritten, sorted, empty clusters dropped). */
unsigned palette_kmeans_refine (const PaletteColor *points, size_t n_points,
    const PaletteKMeansParams *params, PaletteColor *centers, unsigned n_centers,
    double *error);

/* Optimal 1-D clustering of a 256-level luma histogram into at most k gray
 * levels (exact dynamic programming in CIE L*). levels receives gray colors
 * (r = g = b) ordered dark to light, weights in pixels; returns the count. */
unsigned palette_gray_levels (const uint64_t luma[256], unsigned k,
    PaletteColor *levels);

/* Sorts colors by weight, heaviest first (stable, deterministic). */
void palette_colors_sort_by_weight (PaletteColor *colors, unsigned n);

/* Colors that are the same in 8-bit sRGB (palette_rgb_pack) made one, their
 * weights added, then sorted by weight; returns how many remain. */
unsigned palette_colors_merge_equal (PaletteColor *colors, unsigned n);

#ifdef __cplusplus
}
#endif
#endif
