/* gst-palette color engine: gray levels of a black-and-white film.
 *
 * The 256-level luma histogram is clustered in CIE L* (perceptually even, so
 * the dark tones get as much resolution as the eye gives them) by exact
 * dynamic programming: 1-D k-means has optimal clusters that are contiguous
 * ranges, so the best split of at most 256 values into k ranges is found in
 * O(k * 256^2). Each range is then represented by the gray that minimises
 * the summed CIEDE2000 to its pixels (for neutral colors CIEDE2000 is
 * |dL*| / S_L), not by its L* mean: the quality metric is a mean of CIEDE2000,
 * an L1-like measure, and the L* mean (an L2 optimum) is pulled towards the
 * tails of skewed ranges. */
#include "kmeans.h"

#include <math.h>
#include <stdlib.h>

static double
gray_lstar (unsigned v)
{
  double rgb[3] = { v, v, v }, lab[3];

  palette_srgb_to_cielab (rgb, lab);
  return lab[0];
}

/* CIEDE2000 between two neutral colors */
static double
neutral_ciede2000 (double l1, double l2)
{
  double lm = (l1 + l2) / 2.0 - 50.0;
  double sl = 1.0 + 0.015 * lm * lm / sqrt (20.0 + lm * lm);

  return fabs (l2 - l1) / sl;
}

unsigned
palette_gray_levels (const uint64_t luma[256], unsigned k, PaletteColor *levels)
{
  unsigned value[256], m = 0, v, i, j, c, n_levels;
  double lstar[256], x[256], w[256];
  double pw[257], ps[257], pss[257];
  double *dp;
  unsigned *split;

  if (!luma || !levels || k == 0)
    return 0;
  for (v = 0; v < 256; v++)
    lstar[v] = gray_lstar (v);
  for (v = 0; v < 256; v++) {
    if (luma[v] == 0)
      continue;
    value[m] = v;
    x[m] = lstar[v];
    w[m] = (double) luma[v];
    m++;
  }
  if (m == 0)
    return 0;
  if (k > m)
    k = m;

  pw[0] = ps[0] = pss[0] = 0;
  for (i = 0; i < m; i++) {
    pw[i + 1] = pw[i] + w[i];
    ps[i + 1] = ps[i] + w[i] * x[i];
    pss[i + 1] = pss[i] + w[i] * x[i] * x[i];
  }

  /* dp[c * m + j]: least squared error of values 0..j in c + 1 ranges;
   * split[c * m + j]: first value of the last range */
  dp = malloc ((size_t) k * m * sizeof (double));
  split = malloc ((size_t) k * m * sizeof (unsigned));
  if (!dp || !split) {
    free (dp);
    free (split);
    return 0;
  }
#define RANGE_COST(a, b) (pss[(b) + 1] - pss[a] \
      - (ps[(b) + 1] - ps[a]) * (ps[(b) + 1] - ps[a]) / (pw[(b) + 1] - pw[a]))
  for (j = 0; j < m; j++) {
    dp[j] = RANGE_COST (0, j);
    split[j] = 0;
  }
  for (c = 1; c < k; c++) {
    for (j = 0; j < m; j++) {
      double best = INFINITY;
      unsigned best_i = j;

      /* the last range is i..j; the c ranges before it need c values */
      for (i = c; i <= j; i++) {
        double e = dp[(c - 1) * m + i - 1] + RANGE_COST (i, j);
        if (e < best) {
          best = e;
          best_i = i;
        }
      }
      dp[c * m + j] = best;
      split[c * m + j] = best_i;
    }
  }
#undef RANGE_COST

  /* walk the splits back, then pick each range's representative gray */
  n_levels = k;
  j = m - 1;
  for (c = k; c-- > 0;) {
    unsigned first = c > 0 ? split[c * m + j] : 0, g, best_g = value[first];
    double best_cost = INFINITY;

    for (g = value[first]; g <= value[j]; g++) {
      double sum = 0;
      for (i = first; i <= j; i++)
        sum += w[i] * neutral_ciede2000 (lstar[g], x[i]);
      if (sum < best_cost) {
        best_cost = sum;
        best_g = g;
      }
    }
    levels[c].rgb[0] = levels[c].rgb[1] = levels[c].rgb[2] = best_g;
    levels[c].weight = pw[j + 1] - pw[first];
    if (first == 0)
      break;
    j = first - 1;
  }
  free (dp);
  free (split);
  return n_levels;
}
