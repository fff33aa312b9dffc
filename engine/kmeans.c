/* gst-palette color engine: weighted k-means on colors.
 *
 * Points are converted to the clustering space once. Seeding is greedy
 * k-means++ (several candidates per center, the one that lowers the
 * potential most wins, as scikit-learn does); Lloyd iterations then move each
 * center to the weighted mean of its points. Every choice that could depend
 * on anything but the input and the seed (ties, empty clusters, ordering)
 * is resolved by index, so results are bit-identical across runs. */
#include "kmeans.h"
#include "engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_ITERATIONS 100
/* 0.01 in the clustering space: a hundredth of a just-noticeable difference
 * in CIELAB and (scaled) OKLab, a hundredth of a code value in RGB */
#define CONVERGED_SHIFT2 (0.01 * 0.01)

void
palette_kmeans_params_init (PaletteKMeansParams *params)
{
  if (!params)
    return;
  params->k = 10;
  params->space = PALETTE_SPACE_OKLAB;
  params->seed = 0;
  params->max_iterations = DEFAULT_MAX_ITERATIONS;
  params->restarts = 1;
}

static inline double
dist2 (const double a[3], const double b[3])
{
  double d0 = a[0] - b[0], d1 = a[1] - b[1], d2 = a[2] - b[2];

  return d0 * d0 + d1 * d1 + d2 * d2;
}

/* Keeps the points with a positive, finite weight and finite color. */
static int
points_init (PalettePoints *pts, const PaletteColor *colors, size_t n, PaletteColorSpace space)
{
  size_t i;

  pts->n = 0;
  pts->total_weight = 0;
  pts->x = malloc ((n ? n : 1) * sizeof (*pts->x));
  pts->w = malloc ((n ? n : 1) * sizeof (*pts->w));
  if (!pts->x || !pts->w) {
    free (pts->x);
    free (pts->w);
    return 0;
  }
  for (i = 0; i < n; i++) {
    const PaletteColor *c = &colors[i];
    if (!(c->weight > 0) || !isfinite (c->weight) || !isfinite (c->rgb[0])
        || !isfinite (c->rgb[1]) || !isfinite (c->rgb[2]))
      continue;
    palette_srgb_to_space (space, c->rgb, pts->x[pts->n]);
    pts->w[pts->n] = c->weight;
    pts->total_weight += c->weight;
    pts->n++;
  }
  return 1;
}

static void
points_clear (PalettePoints *pts)
{
  free (pts->x);
  free (pts->w);
}

/* Index of a point drawn with probability w[i] * d2[i] / total. */
static size_t
sample_weighted (const PalettePoints *pts, const double *d2, double total, uint64_t *rng)
{
  double target = palette_random_double (rng) * total, cumulative = 0;
  size_t i, last = 0;

  for (i = 0; i < pts->n; i++) {
    double p = pts->w[i] * d2[i];
    if (p <= 0)
      continue;
    cumulative += p;
    last = i;
    if (cumulative > target)
      return i;
  }
  return last;                  /* rounding: the last point with mass */
}

/* Greedy k-means++. Returns the number of centers placed: fewer than k when
 * every point already coincides with a center. */
unsigned
palette_kmeans_seed (const PalettePoints *pts, unsigned k, uint64_t *rng, double (*centers)[3],
    double *d2)
{
  unsigned n_trials = 2 + (unsigned) log ((double) k);
  unsigned placed = 1, c, t;
  size_t first, i;
  double potential = 0;

  for (i = 0; i < pts->n; i++)
    d2[i] = 1.0;
  first = sample_weighted (pts, d2, pts->total_weight, rng);
  memcpy (centers[0], pts->x[first], sizeof (centers[0]));
  for (i = 0; i < pts->n; i++) {
    d2[i] = dist2 (pts->x[i], centers[0]);
    potential += pts->w[i] * d2[i];
  }

  for (c = 1; c < k; c++) {
    size_t best = (size_t) -1;
    double best_potential = potential;

    if (!(potential > 0))
      break;
    for (t = 0; t < n_trials; t++) {
      size_t cand = sample_weighted (pts, d2, potential, rng);
      double cand_potential = 0;
      for (i = 0; i < pts->n; i++) {
        double d = dist2 (pts->x[i], pts->x[cand]);
        cand_potential += pts->w[i] * (d < d2[i] ? d : d2[i]);
      }
      if (best == (size_t) -1 || cand_potential < best_potential) {
        best = cand;
        best_potential = cand_potential;
      }
    }
    if (d2[best] <= 0)
      break;                    /* only coinciding points are left */
    memcpy (centers[c], pts->x[best], sizeof (centers[c]));
    potential = 0;
    for (i = 0; i < pts->n; i++) {
      double d = dist2 (pts->x[i], centers[c]);
      if (d < d2[i])
        d2[i] = d;
      potential += pts->w[i] * d2[i];
    }
    placed++;
  }
  return placed;
}

static inline unsigned
nearest_center (const double x[3], double (*centers)[3], unsigned k, double *best_d)
{
  unsigned c, best = 0;
  double bd = dist2 (x, centers[0]);

  for (c = 1; c < k; c++) {
    double d = dist2 (x, centers[c]);
    if (d < bd) {
      bd = d;
      best = c;
    }
  }
  *best_d = bd;
  return best;
}

/* Lloyd iterations from the given centers. On return centers hold the
 * weighted means of the final assignment, cluster_w their weights (0 for an
 * empty cluster) and the return value is the weighted mean squared error. */
double
palette_kmeans_lloyd (const PalettePoints *pts, unsigned k, unsigned max_iterations, double (*centers)[3],
    double *cluster_w, uint32_t *assign, double *d2)
{
  double (*sums)[3] = calloc (k, sizeof (*sums));
  unsigned iter, c;
  size_t i;
  double error = 0, max_shift;

  if (!sums)
    return INFINITY;
  for (i = 0; i < pts->n; i++)
    assign[i] = UINT32_MAX;

  for (iter = 1;; iter++) {
    size_t changed = 0;

    for (i = 0; i < pts->n; i++) {
      unsigned best = nearest_center (pts->x[i], centers, k, &d2[i]);
      if (assign[i] != best) {
        assign[i] = best;
        changed++;
      }
    }
    memset (sums, 0, k * sizeof (*sums));
    memset (cluster_w, 0, k * sizeof (*cluster_w));
    for (i = 0; i < pts->n; i++) {
      double w = pts->w[i];
      uint32_t a = assign[i];
      sums[a][0] += w * pts->x[i][0];
      sums[a][1] += w * pts->x[i][1];
      sums[a][2] += w * pts->x[i][2];
      cluster_w[a] += w;
    }
    max_shift = 0;
    for (c = 0; c < k; c++) {
      if (cluster_w[c] > 0) {
        double mean[3] = { sums[c][0] / cluster_w[c], sums[c][1] / cluster_w[c],
          sums[c][2] / cluster_w[c]
        };
        double shift = dist2 (mean, centers[c]);
        if (shift > max_shift)
          max_shift = shift;
        memcpy (centers[c], mean, sizeof (mean));
      }
    }
    /* centers are the means of this assignment; once none moves by more than
     * CONVERGED_SHIFT only a few border points still swap */
    if (changed == 0 || iter >= max_iterations || max_shift < CONVERGED_SHIFT2)
      break;
    /* An empty cluster takes over the point worst served by its center. */
    for (c = 0; c < k; c++) {
      size_t far = (size_t) -1;
      if (cluster_w[c] > 0)
        continue;
      for (i = 0; i < pts->n; i++)
        if (d2[i] > 0 && (far == (size_t) -1 || d2[i] > d2[far]))
          far = i;
      if (far == (size_t) -1)
        continue;               /* every point sits on a center */
      memcpy (centers[c], pts->x[far], sizeof (centers[c]));
      d2[far] = 0;
    }
  }

  for (i = 0; i < pts->n; i++)
    error += pts->w[i] * dist2 (pts->x[i], centers[assign[i]]);
  free (sums);
  return pts->total_weight > 0 ? error / pts->total_weight : 0;
}

static int
compare_by_weight (const void *pa, const void *pb)
{
  const PaletteColor *a = pa, *b = pb;
  int i;

  if (a->weight != b->weight)
    return a->weight > b->weight ? -1 : 1;
  for (i = 0; i < 3; i++)
    if (a->rgb[i] != b->rgb[i])
      return a->rgb[i] < b->rgb[i] ? -1 : 1;
  return 0;
}

void
palette_colors_sort_by_weight (PaletteColor *colors, unsigned n)
{
  /* the order is total on content, so qsort's instability cannot show */
  if (colors && n > 1)
    qsort (colors, n, sizeof (PaletteColor), compare_by_weight);
}

unsigned
palette_colors_merge_equal (PaletteColor *colors, unsigned n)
{
  unsigned i, j, kept = 0;

  for (i = 0; i < n; i++) {
    for (j = 0; j < kept; j++)
      if (palette_rgb_pack (colors[j].rgb) == palette_rgb_pack (colors[i].rgb))
        break;
    if (j < kept) {
      colors[j].weight += colors[i].weight;
    } else {
      colors[kept++] = colors[i];
    }
  }
  palette_colors_sort_by_weight (colors, kept);
  return kept;
}

/* Converts the non-empty clusters back to sRGB, sorted. */
static unsigned
emit_centers (PaletteColorSpace space, unsigned k, double (*centers)[3],
    const double *cluster_w, PaletteColor *out)
{
  unsigned c, n = 0;

  for (c = 0; c < k; c++) {
    if (!(cluster_w[c] > 0))
      continue;
    palette_space_to_srgb (space, centers[c], out[n].rgb);
    out[n].weight = cluster_w[c];
    n++;
  }
  palette_colors_sort_by_weight (out, n);
  return n;
}

typedef struct {
  double (*centers)[3];
  double *cluster_w;
  uint32_t *assign;
  double *d2;
} Work;

static int
work_init (Work *work, size_t n, unsigned k)
{
  size_t np = n ? n : 1;

  work->centers = calloc (k, sizeof (*work->centers));
  work->cluster_w = calloc (k, sizeof (double));
  work->assign = malloc (np * sizeof (uint32_t));
  work->d2 = malloc (np * sizeof (double));
  return work->centers && work->cluster_w && work->assign && work->d2;
}

static void
work_clear (Work *work)
{
  free (work->centers);
  free (work->cluster_w);
  free (work->assign);
  free (work->d2);
}

unsigned
palette_kmeans (const PaletteColor *points, size_t n_points,
    const PaletteKMeansParams *params, PaletteColor *centers, double *error)
{
  PalettePoints pts;
  Work work, best;
  unsigned k, runs, run, max_iterations, n_out = 0;
  double best_error = INFINITY;
  uint64_t rng;

  if (error)
    *error = 0;
  if (!points || !params || !centers || params->k == 0 || n_points == 0)
    return 0;
  if (!points_init (&pts, points, n_points, params->space))
    return 0;
  if (pts.n == 0) {
    points_clear (&pts);
    return 0;
  }
  k = params->k;
  if ((size_t) k > pts.n)
    k = (unsigned) pts.n;
  max_iterations = params->max_iterations ? params->max_iterations : DEFAULT_MAX_ITERATIONS;
  runs = params->restarts > 1 ? params->restarts : 1;
  rng = params->seed;

  if (!work_init (&work, pts.n, k) || !work_init (&best, pts.n, k)) {
    work_clear (&work);
    work_clear (&best);
    points_clear (&pts);
    return 0;
  }

  for (run = 0; run < runs; run++) {
    unsigned placed = palette_kmeans_seed (&pts, k, &rng, work.centers, work.d2);
    double e = palette_kmeans_lloyd (&pts, placed, max_iterations, work.centers, work.cluster_w,
        work.assign, work.d2);
    if (e < best_error) {
      Work swap = best;
      best = work;
      work = swap;
      best_error = e;
      n_out = placed;
    }
  }

  n_out = emit_centers (params->space, n_out, best.centers, best.cluster_w, centers);
  if (error)
    *error = best_error;
  work_clear (&work);
  work_clear (&best);
  points_clear (&pts);
  return n_out;
}

unsigned
palette_kmeans_refine (const PaletteColor *points, size_t n_points,
    const PaletteKMeansParams *params, PaletteColor *centers, unsigned n_centers,
    double *error)
{
  PalettePoints pts;
  Work work;
  unsigned c, k = n_centers, n_out, max_iterations;
  double e;

  if (error)
    *error = 0;
  if (!points || !params || !centers || n_centers == 0 || n_points == 0)
    return 0;
  if (!points_init (&pts, points, n_points, params->space))
    return 0;
  if (pts.n == 0 || !work_init (&work, pts.n, k)) {
    if (pts.n != 0)
      work_clear (&work);
    points_clear (&pts);
    return 0;
  }
  for (c = 0; c < k; c++)
    palette_srgb_to_space (params->space, centers[c].rgb, work.centers[c]);
  max_iterations = params->max_iterations ? params->max_iterations : DEFAULT_MAX_ITERATIONS;
  e = palette_kmeans_lloyd (&pts, k, max_iterations, work.centers, work.cluster_w, work.assign, work.d2);
  n_out = emit_centers (params->space, k, work.centers, work.cluster_w, centers);
  if (error)
    *error = e;
  work_clear (&work);
  points_clear (&pts);
  return n_out;
}
