/* gst-palette color engine: weighted k-medians (Weiszfeld steps) after
 * k-means, best of several seedings.
 *
 * The palette is judged by the mean distance from each pixel to its nearest
 * color, an L1-like measure; k-means minimises the mean squared distance,
 * which lets a few far pixels pull a center off the many near ones. Each
 * seeding here is k-means++ and a few Lloyd passes (kmeans.c), then
 * Weiszfeld steps that move each center to the weighted geometric median of
 * its points; the seeding whose mean distance ends lowest wins.
 * Deterministic for a given seed. */
#ifndef PALETTE_KMEDIANS_H
#define PALETTE_KMEDIANS_H

#include "engine-private.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  unsigned k;                   /* wanted clusters, >= 1 (10) */
  uint64_t seed;                /* (0) */
  unsigned seedings;            /* k-means++ seedings tried, >= 1 (8) */
  unsigned lloyd_passes;        /* Lloyd passes after each seeding (15) */
  unsigned median_steps;        /* Weiszfeld steps after them (10) */
  double distance_floor;        /* distances below this count as this in the
                                 * Weiszfeld weights 1/d, so a center sitting
                                 * on a heavy point does not stick (0.5) */
} PaletteKMediansParams;

void palette_kmedians_params_init (PaletteKMediansParams *params);

/* Clusters pts into at most params->k clusters. centers receives them in the
 * points' space, center_w their summed point weights (0 for a cluster left
 * empty: skip it), in no particular order; returns how many were written
 * (fewer than k only when fewer distinct points), 0 when there are no points
 * or memory ran out. mean_distance (may be NULL) receives the weighted mean
 * Euclidean distance from each point to its nearest center. */
unsigned palette_kmedians (const PalettePoints *pts, const PaletteKMediansParams *params,
    double (*centers)[3], double *center_w, double *mean_distance);

/* Weiszfeld steps only, from the k given centers (rewritten): to polish
 * centers found on a coarser set of points against the finer pts. center_w
 * and the return value as above (the weighted mean distance). */
double palette_kmedians_polish (const PalettePoints *pts, unsigned k, unsigned steps,
    double distance_floor, double (*centers)[3], double *center_w);

#ifdef __cplusplus
}
#endif
#endif
