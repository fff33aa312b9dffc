/* Engine unit tests: k-medians after k-means (kmedians.c). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "kmedians.h"

#define MAX_POINTS 512

typedef struct {
  double x[MAX_POINTS][3];
  double w[MAX_POINTS];
  PalettePoints pts;
} Cloud;

static void
cloud_add (Cloud *cloud, double x, double y, double z, double w)
{
  size_t i = cloud->pts.n++;

  g_assert_cmpuint (i, <, MAX_POINTS);
  cloud->x[i][0] = x;
  cloud->x[i][1] = y;
  cloud->x[i][2] = z;
  cloud->w[i] = w;
  cloud->pts.x = cloud->x;
  cloud->pts.w = cloud->w;
  cloud->pts.total_weight += w;
}

/* Two blobs 50 apart; the first has a tail: a sixth of its weight 8 away.
 * Its mean sits 8/6 = 1.3 off the core, its median on the core. */
static void
make_blobs_with_tail (Cloud *cloud, GRand *rand)
{
  unsigned i;

  memset (cloud, 0, sizeof (*cloud));
  for (i = 0; i < 100; i++)
    cloud_add (cloud, g_rand_double_range (rand, -0.2, 0.2),
        g_rand_double_range (rand, -0.2, 0.2), g_rand_double_range (rand, -0.2, 0.2), 1);
  for (i = 0; i < 20; i++)
    cloud_add (cloud, 0, 0, 8, 1);
  for (i = 0; i < 100; i++)
    cloud_add (cloud, 50 + g_rand_double_range (rand, -0.2, 0.2),
        g_rand_double_range (rand, -0.2, 0.2), g_rand_double_range (rand, -0.2, 0.2), 1);
}

static unsigned
center_near (double (*centers)[3], unsigned n, double x)
{
  unsigned c, best = 0;

  for (c = 1; c < n; c++)
    if (fabs (centers[c][0] - x) < fabs (centers[best][0] - x))
      best = c;
  return best;
}

static void
test_median_not_mean (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  Cloud cloud;
  PaletteKMediansParams p;
  double centers[2][3], w[2], md, means[2][3], mw[2];
  unsigned n, core;

  make_blobs_with_tail (&cloud, rand);
  palette_kmedians_params_init (&p);
  p.k = 2;
  n = palette_kmedians (&cloud.pts, &p, centers, w, &md);
  g_assert_cmpuint (n, ==, 2);
  core = center_near (centers, n, 0);
  g_assert_cmpfloat (fabs (centers[core][2]), <, 0.3);
  g_assert_cmpfloat (w[core], ==, 120.0);
  g_assert_cmpfloat (w[1 - core], ==, 100.0);

  /* without the median steps (Lloyd alone) the tail pulls the center */
  p.median_steps = 0;
  n = palette_kmedians (&cloud.pts, &p, means, mw, NULL);
  g_assert_cmpuint (n, ==, 2);
  core = center_near (means, n, 0);
  g_assert_cmpfloat (fabs (means[core][2] - 8.0 / 6.0), <, 0.05);
  g_rand_free (rand);
}

/* mean_distance is what it says, and the weights account for every point */
static void
test_mean_distance_and_weights (void)
{
  GRand *rand = g_rand_new_with_seed (11);
  Cloud cloud;
  PaletteKMediansParams p;
  double centers[5][3], w[5], md, sum = 0, total_w = 0;
  unsigned n, c;
  size_t i;

  memset (&cloud, 0, sizeof (cloud));
  for (i = 0; i < 400; i++)
    cloud_add (&cloud, g_rand_double_range (rand, 0, 100), g_rand_double_range (rand, -50, 50),
        g_rand_double_range (rand, -50, 50), g_rand_double_range (rand, 0.5, 3));
  palette_kmedians_params_init (&p);
  p.k = 5;
  n = palette_kmedians (&cloud.pts, &p, centers, w, &md);
  g_assert_cmpuint (n, ==, 5);
  for (i = 0; i < cloud.pts.n; i++) {
    double best = INFINITY;
    for (c = 0; c < n; c++) {
      double d = sqrt ((cloud.x[i][0] - centers[c][0]) * (cloud.x[i][0] - centers[c][0])
          + (cloud.x[i][1] - centers[c][1]) * (cloud.x[i][1] - centers[c][1])
          + (cloud.x[i][2] - centers[c][2]) * (cloud.x[i][2] - centers[c][2]));
      best = MIN (best, d);
    }
    sum += cloud.w[i] * best;
  }
  for (c = 0; c < n; c++)
    total_w += w[c];
  g_assert_cmpfloat_with_epsilon (md, sum / cloud.pts.total_weight, 1e-9);
  g_assert_cmpfloat_with_epsilon (total_w, cloud.pts.total_weight, 1e-9);
  g_rand_free (rand);
}

/* The best of several seedings is never worse than the first alone (the
 * first seeding is the same draw), and the same seed gives the same bits. */
static void
test_seedings_and_determinism (void)
{
  GRand *rand = g_rand_new_with_seed (3);
  Cloud cloud;
  PaletteKMediansParams p;
  double c1[8][3], w1[8], c2[8][3], w2[8], one, best, again;
  size_t i;

  memset (&cloud, 0, sizeof (cloud));
  for (i = 0; i < 500; i++)
    cloud_add (&cloud, g_rand_double_range (rand, 0, 100), g_rand_double_range (rand, -60, 60),
        g_rand_double_range (rand, -60, 60), 1 + g_rand_int_range (rand, 0, 20));
  palette_kmedians_params_init (&p);
  p.k = 8;
  p.seed = 42;
  p.seedings = 1;
  g_assert_cmpuint (palette_kmedians (&cloud.pts, &p, c1, w1, &one), ==, 8);
  p.seedings = 4;
  g_assert_cmpuint (palette_kmedians (&cloud.pts, &p, c1, w1, &best), ==, 8);
  g_assert_cmpfloat (best, <=, one);
  g_assert_cmpuint (palette_kmedians (&cloud.pts, &p, c2, w2, &again), ==, 8);
  g_assert_cmpfloat (again, ==, best);
  g_assert_true (memcmp (c1, c2, sizeof (c1)) == 0);
  g_assert_true (memcmp (w1, w2, sizeof (w1)) == 0);
  g_rand_free (rand);
}

/* Fewer distinct points than k: one center on each (seeding stops when
 * only coinciding points are left); nothing: none. */
static void
test_few_points (void)
{
  Cloud cloud;
  PaletteKMediansParams p;
  double centers[10][3], w[10], md;
  unsigned n, c, found = 0;

  memset (&cloud, 0, sizeof (cloud));
  cloud_add (&cloud, 10, 0, 0, 5);
  cloud_add (&cloud, 60, 20, -20, 3);
  cloud_add (&cloud, 10, 0, 0, 2);
  palette_kmedians_params_init (&p);
  n = palette_kmedians (&cloud.pts, &p, centers, w, &md);
  g_assert_cmpuint (n, ==, 2);
  for (c = 0; c < n; c++) {
    found++;
    if (centers[c][0] == 10)
      g_assert_cmpfloat (w[c], ==, 7);
    else
      g_assert_cmpfloat (w[c], ==, 3);
  }
  g_assert_cmpuint (found, ==, 2);
  g_assert_cmpfloat (md, ==, 0);

  memset (&cloud, 0, sizeof (cloud));
  g_assert_cmpuint (palette_kmedians (&cloud.pts, &p, centers, w, &md), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kmedians/median-not-mean", test_median_not_mean);
  g_test_add_func ("/engine/kmedians/mean-distance-and-weights", test_mean_distance_and_weights);
  g_test_add_func ("/engine/kmedians/seedings-and-determinism", test_seedings_and_determinism);
  g_test_add_func ("/engine/kmedians/few-points", test_few_points);
  return g_test_run ();
}
