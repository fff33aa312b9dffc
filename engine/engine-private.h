/* gst-palette color engine: helpers shared by the engine's own files only. */
#ifndef PALETTE_ENGINE_PRIVATE_H
#define PALETTE_ENGINE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include "colorspace.h"

/* round((255 << 12) / v), OpenCV's 8-bit HSV saturation divisor (0 for v = 0) */
extern const int32_t palette_saturation_divisor[256];

/* Inlined in the histogram's per-pixel loop; colorspace.c wraps them. */
static inline unsigned
palette_saturation8_inline (unsigned r, unsigned g, unsigned b)
{
  unsigned max = r > g ? r : g, min = r < g ? r : g;

  max = max > b ? max : b;
  min = min < b ? min : b;
  return ((max - min) * (unsigned) palette_saturation_divisor[max] + (1u << 11)) >> 12;
}

static inline unsigned
palette_luma8_inline (unsigned r, unsigned g, unsigned b)
{
  return (r * PALETTE_LUMA_R + g * PALETTE_LUMA_G + b * PALETTE_LUMA_B
      + (1u << (PALETTE_LUMA_SHIFT - 1))) >> PALETTE_LUMA_SHIFT;
}

/* splitmix64: the engine's PRNG (no global state; the caller owns the state) */
static inline uint64_t
palette_splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* uniform double in [0, 1) */
static inline double
palette_random_double (uint64_t *state)
{
  return (palette_splitmix64 (state) >> 11) * (1.0 / 9007199254740992.0);
}

/* Tests only: what the analyzer allocates as the stream grows goes through
 * reallocator (NULL restores realloc), so a test can make it fail. The
 * memory is released with free, so reallocator must return realloc's. Not
 * thread-safe: set it while no analyzer is in use. */
void palette_analyzer_set_realloc_for_testing (void *(*reallocator) (void *, size_t));

/* What grows with the stream is allocated through these (the reallocator
 * above): grow makes *array hold at least needed items of size bytes
 * (doubling from 16; *allocated is updated), resize makes it bytes long.
 * Both return 0, *array untouched, when memory ran out. */
int palette_engine_grow (void **array, size_t *allocated, size_t needed, size_t size);
int palette_engine_resize (void **array, size_t bytes);

/* Weighted points in a clustering space, as k-means and k-medians take
 * them (kmeans.c keeps the ones with a positive, finite weight). */
typedef struct {
  size_t n;
  double (*x)[3];               /* points in the clustering space */
  double *w;                    /* their weights (> 0) */
  double total_weight;
} PalettePoints;

/* kmeans.c's steps, for k-medians to start from: greedy k-means++ seeding
 * (returns the centers placed, fewer than k when every point coincides with
 * one; d2 receives each point's squared distance to its nearest), and Lloyd
 * iterations from centers (their means on return; cluster_w their weights,
 * assign each point's cluster, d2 its squared distance; returns the weighted
 * mean squared error, INFINITY when memory ran out). */
unsigned palette_kmeans_seed (const PalettePoints *pts, unsigned k, uint64_t *rng,
    double (*centers)[3], double *d2);
double palette_kmeans_lloyd (const PalettePoints *pts, unsigned k, unsigned max_iterations,
    double (*centers)[3], double *cluster_w, uint32_t *assign, double *d2);

#endif
