/* gst-palette color engine: weighted k-medians after k-means.
 *
 * A Weiszfeld step moves a center c to sum (w x / d) / sum (w / d) over its
 * points x (d = |x - c|), which lowers the sum of w d: repeated, it reaches
 * the weighted geometric median. Points are reassigned to their nearest
 * center before each step, as Lloyd does for means. Distances are floored at
 * distance_floor so that a point on the center does not divide by zero and
 * the center does not stick to one heavy bin. Every loop runs in index order,
 * so the result depends on the points and the seed only. */
#include "kmedians.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
palette_kmedians_params_init (PaletteKMediansParams *params)
{
  if (!params)
    return;
  params->k = 10;
  params->seed = 0;
  params->seedings = 8;
  params->lloyd_passes = 15;
  params->median_steps = 10;
  params->distance_floor = 0.5;
}

static inline unsigned
nearest (const double x[3], double (*centers)[3], unsigned k, double *best_d2)
{
  unsigned c, best = 0;
  double bd = INFINITY;

  for (c = 0; c < k; c++) {
    double d0 = x[0] - centers[c][0], d1 = x[1] - centers[c][1], d2 = x[2] - centers[c][2];
    double d = d0 * d0 + d1 * d1 + d2 * d2;
    if (d < bd) {
      bd = d;
      best = c;
    }
  }
  *best_d2 = bd;
  return best;
}

/* Weiszfeld steps from centers; sums is 4 * k scratch doubles. Returns the
 * weighted mean distance of the final assignment, center_w its weights. */
static double
weiszfeld (const PalettePoints *pts, unsigned k, unsigned steps, double floor_d,
    double (*centers)[3], double *center_w, double (*sums)[4])
{
  unsigned step, c;
  size_t i;
  double total = 0;

  for (step = 0; step < steps; step++) {
    memset (sums, 0, k * sizeof (*sums));
    for (i = 0; i < pts->n; i++) {
      double d2, d, f;
      unsigned a = nearest (pts->x[i], centers, k, &d2);
      d = sqrt (d2);
      f = pts->w[i] / (d > floor_d ? d : floor_d);
      sums[a][0] += f * pts->x[i][0];
      sums[a][1] += f * pts->x[i][1];
      sums[a][2] += f * pts->x[i][2];
      sums[a][3] += f;
    }
    for (c = 0; c < k; c++) {
      if (sums[c][3] > 0) {
        centers[c][0] = sums[c][0] / sums[c][3];
        centers[c][1] = sums[c][1] / sums[c][3];
        centers[c][2] = sums[c][2] / sums[c][3];
      }
    }
  }
  memset (center_w, 0, k * sizeof (*center_w));
  for (i = 0; i < pts->n; i++) {
    double d2;
    unsigned a = nearest (pts->x[i], centers, k, &d2);
    center_w[a] += pts->w[i];
    total += pts->w[i] * sqrt (d2);
  }
  return pts->total_weight > 0 ? total / pts->total_weight : 0;
}

double
palette_kmedians_polish (const PalettePoints *pts, unsigned k, unsigned steps,
    double distance_floor, double (*centers)[3], double *center_w)
{
  double (*sums)[4], md;

  if (!pts || !centers || !center_w || k == 0)
    return INFINITY;
  sums = malloc (k * sizeof (*sums));
  if (!sums)
    return INFINITY;
  md = weiszfeld (pts, k, steps, distance_floor, centers, center_w, sums);
  free (sums);
  return md;
}

unsigned
palette_kmedians (const PalettePoints *pts, const PaletteKMediansParams *params,
    double (*centers)[3], double *center_w, double *mean_distance)
{
  double (*work)[3], (*sums)[4], *work_w, *d2, best = INFINITY;
  uint32_t *assign;
  unsigned k, run, runs, n_out = 0;
  uint64_t rng;

  if (mean_distance)
    *mean_distance = 0;
  if (!pts || !params || !centers || !center_w || params->k == 0 || pts->n == 0
      || !(pts->total_weight > 0))
    return 0;
  k = params->k;
  if ((size_t) k > pts->n)
    k = (unsigned) pts->n;
  runs = params->seedings ? params->seedings : 1;
  work = malloc (k * sizeof (*work));
  sums = malloc (k * sizeof (*sums));
  work_w = malloc (k * sizeof (*work_w));
  d2 = malloc (pts->n * sizeof (*d2));
  assign = malloc (pts->n * sizeof (*assign));
  if (!work || !sums || !work_w || !d2 || !assign)
    goto out;

  rng = params->seed;
  for (run = 0; run < runs; run++) {
    unsigned placed = palette_kmeans_seed (pts, k, &rng, work, d2);
    double md;

    if (params->lloyd_passes > 0
        && isinf (palette_kmeans_lloyd (pts, placed, params->lloyd_passes, work, work_w,
                assign, d2))) {
      n_out = 0;                /* out of memory */
      goto out;
    }
    md = weiszfeld (pts, placed, params->median_steps, params->distance_floor, work,
        work_w, sums);
    if (md < best) {
      best = md;
      n_out = placed;
      memcpy (centers, work, placed * sizeof (*work));
      memcpy (center_w, work_w, placed * sizeof (*work_w));
    }
  }
  if (mean_distance)
    *mean_distance = best;
out:
  free (work);
  free (sums);
  free (work_w);
  free (d2);
  free (assign);
  return n_out;
}
