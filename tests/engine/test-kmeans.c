/* Engine unit tests: weighted k-means. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "palette-engine.h"

static const double truth[3][3] = {
  {200, 40, 30},                /* red, 50 % */
  {30, 120, 200},               /* blue, 30 % */
  {240, 220, 90},               /* yellow, 20 % */
};
static const double truth_share[3] = { 0.5, 0.3, 0.2 };

static double
gaussian (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* 10000 noisy pixels (sigma 4 per channel), binned as unit-weight points */
static PaletteColor *
make_three_clusters (size_t *n)
{
  GRand *rand = g_rand_new_with_seed (42);
  PaletteColor *points = g_new (PaletteColor, 10000);
  size_t i;
  unsigned c, ch;

  for (i = 0; i < 10000; i++) {
    c = i < 5000 ? 0 : i < 8000 ? 1 : 2;
    for (ch = 0; ch < 3; ch++)
      points[i].rgb[ch] = CLAMP (round (truth[c][ch] + 4 * gaussian (rand)), 0, 255);
    points[i].weight = 1;
  }
  g_rand_free (rand);
  *n = 10000;
  return points;
}

static double
delta_e (const double rgb1[3], const double rgb2[3])
{
  double l1[3], l2[3];

  palette_srgb_to_cielab (rgb1, l1);
  palette_srgb_to_cielab (rgb2, l2);
  return palette_ciede2000 (l1, l2);
}

static void
check_three (const PaletteColor *centers, unsigned n, double total)
{
  unsigned c;

  g_assert_cmpuint (n, ==, 3);
  /* heaviest first: the order of the truth table */
  for (c = 0; c < 3; c++) {
    double de = delta_e (centers[c].rgb, truth[c]);
    if (de > 1.0)
      g_error ("center %u (%.1f %.1f %.1f) is dE %.2f from the truth", c,
          centers[c].rgb[0], centers[c].rgb[1], centers[c].rgb[2], de);
    g_assert_cmpfloat (fabs (centers[c].weight / total - truth_share[c]), <, 0.01);
  }
}

static void
test_three_clusters (void)
{
  PaletteColorSpace spaces[] = { PALETTE_SPACE_OKLAB, PALETTE_SPACE_CIELAB, PALETTE_SPACE_RGB };
  PaletteKMeansParams params;
  PaletteColor centers[3];
  size_t n;
  PaletteColor *points = make_three_clusters (&n);
  unsigned s, seed;
  double error;

  palette_kmeans_params_init (&params);
  params.k = 3;
  for (s = 0; s < G_N_ELEMENTS (spaces); s++) {
    params.space = spaces[s];
    for (seed = 0; seed < 6; seed++) {
      params.seed = seed * 7919;
      check_three (centers, palette_kmeans (points, n, &params, centers, &error), 10000);
      g_assert_cmpfloat (error, >, 0);
    }
  }
  g_free (points);
}

static void
test_deterministic (void)
{
  PaletteKMeansParams params;
  PaletteColor a[10], b[10];
  size_t n, i;
  double total = 0;
  PaletteColor *points = make_three_clusters (&n);
  unsigned na, nb;
  double ea, eb;

  /* more clusters than there are blobs, so the seeding matters */
  for (i = 0; i < n; i++) {
    points[i].weight = 1 + (double) (i % 7);
    total += points[i].weight;
  }
  palette_kmeans_params_init (&params);
  params.k = 10;
  params.seed = 12345;
  na = palette_kmeans (points, n, &params, a, &ea);
  nb = palette_kmeans (points, n, &params, b, &eb);
  g_assert_cmpuint (na, ==, 10);
  g_assert_cmpuint (na, ==, nb);
  g_assert_true (memcmp (a, b, na * sizeof (PaletteColor)) == 0);
  g_assert_true (memcmp (&ea, &eb, sizeof (double)) == 0);

  params.seed = 54321;
  nb = palette_kmeans (points, n, &params, b, &eb);
  g_assert_cmpuint (nb, ==, 10);
  g_assert_false (memcmp (a, b, na * sizeof (PaletteColor)) == 0);

  /* weights sorted, summing to the input's */
  ea = 0;
  for (i = 0; i < na; i++) {
    ea += a[i].weight;
    if (i > 0)
      g_assert_cmpfloat (a[i - 1].weight, >=, a[i].weight);
  }
  g_assert_cmpfloat_with_epsilon (ea, total, 1e-9 * total);
  g_free (points);
}

static void
test_restarts_never_worse (void)
{
  PaletteKMeansParams params;
  PaletteColor c[8];
  size_t n;
  PaletteColor *points = make_three_clusters (&n);
  double single, several;

  palette_kmeans_params_init (&params);
  params.k = 8;
  params.seed = 3;
  palette_kmeans (points, n, &params, c, &single);
  params.restarts = 4;
  palette_kmeans (points, n, &params, c, &several);
  /* the first restart is the single run, so the best can only be lower */
  g_assert_cmpfloat (several, <=, single);
  g_free (points);
}

static void
test_edge_cases (void)
{
  PaletteKMeansParams params;
  PaletteColor one = { {12, 34, 56}, 1 }, out[10], many[100];
  PaletteColor three[6] = {
    {{255, 0, 0}, 2}, {{0, 255, 0}, 1}, {{255, 0, 0}, 3},
    {{0, 0, 255}, 4}, {{9, 9, 9}, 0}, {{0, 255, 0}, 0},
  };
  unsigned i, n;

  palette_kmeans_params_init (&params);
  g_assert_cmpuint (params.k, ==, 10);
  g_assert_cmpint (params.space, ==, PALETTE_SPACE_OKLAB);

  n = palette_kmeans (&one, 1, &params, out, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat_with_epsilon (out[0].rgb[0], 12, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[0].rgb[1], 34, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[0].rgb[2], 56, 1e-6);
  g_assert_cmpfloat (out[0].weight, ==, 1);

  for (i = 0; i < 100; i++)
    many[i] = one;
  n = palette_kmeans (many, 100, &params, out, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (out[0].weight, ==, 100);

  /* 3 distinct colors with weight (zero-weight points ignored), k = 10 */
  n = palette_kmeans (three, 6, &params, out, NULL);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (out[0].weight, ==, 5);
  g_assert_cmpfloat_with_epsilon (out[0].rgb[0], 255, 1e-6);
  g_assert_cmpfloat (out[1].weight, ==, 4);
  g_assert_cmpfloat_with_epsilon (out[1].rgb[2], 255, 1e-6);
  g_assert_cmpfloat (out[2].weight, ==, 1);
  g_assert_cmpfloat_with_epsilon (out[2].rgb[1], 255, 1e-6);

  g_assert_cmpuint (palette_kmeans (NULL, 3, &params, out, NULL), ==, 0);
  g_assert_cmpuint (palette_kmeans (three, 0, &params, out, NULL), ==, 0);
  g_assert_cmpuint (palette_kmeans (three + 4, 2, &params, out, NULL), ==, 0);
  g_assert_cmpuint (palette_kmeans (three, 6, NULL, out, NULL), ==, 0);
  params.k = 0;
  g_assert_cmpuint (palette_kmeans (three, 6, &params, out, NULL), ==, 0);
  palette_kmeans_params_init (NULL);
  palette_colors_sort_by_weight (NULL, 3);
}

static void
test_refine (void)
{
  PaletteKMeansParams params;
  PaletteColor start[3] = { {{180, 60, 50}, 0}, {{50, 100, 180}, 0}, {{220, 200, 110}, 0} };
  size_t n;
  PaletteColor *points = make_three_clusters (&n);
  unsigned got;

  palette_kmeans_params_init (&params);
  got = palette_kmeans_refine (points, n, &params, start, 3, NULL);
  check_three (start, got, 10000);
  g_free (points);
}

static void
test_sort (void)
{
  PaletteColor c[4] = { {{5, 0, 0}, 1}, {{1, 0, 0}, 2}, {{3, 0, 0}, 1}, {{0, 9, 0}, 2} };

  palette_colors_sort_by_weight (c, 4);
  g_assert_cmpfloat (c[0].rgb[0], ==, 0);
  g_assert_cmpfloat (c[1].rgb[0], ==, 1);
  g_assert_cmpfloat (c[2].rgb[0], ==, 3);
  g_assert_cmpfloat (c[3].rgb[0], ==, 5);
}

/* Two clusters that round to the same 8-bit color are one */
static void
test_merge_equal (void)
{
  /* 31.2 and 30.8 are both 31 in 8 bits; 192.6 is 193 */
  PaletteColor c[4] = { {{31.2, 95, 192}, 0.5}, {{200, 0, 0}, 0.3},
  {{30.8, 95, 192.2}, 0.4}, {{31, 95, 192.6}, 0.1}
  };

  g_assert_cmpuint (palette_colors_merge_equal (c, 4), ==, 3);
  g_assert_cmpuint (palette_rgb_pack (c[0].rgb), ==, 0x1f5fc0);
  g_assert_cmpfloat_with_epsilon (c[0].weight, 0.9, 1e-12);
  g_assert_cmpuint (palette_rgb_pack (c[1].rgb), ==, 0xc80000);
  g_assert_cmpuint (palette_rgb_pack (c[2].rgb), ==, 0x1f5fc1);
  g_assert_cmpuint (palette_colors_merge_equal (c, 0), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kmeans/three-clusters", test_three_clusters);
  g_test_add_func ("/engine/kmeans/deterministic", test_deterministic);
  g_test_add_func ("/engine/kmeans/restarts", test_restarts_never_worse);
  g_test_add_func ("/engine/kmeans/edge-cases", test_edge_cases);
  g_test_add_func ("/engine/kmeans/refine", test_refine);
  g_test_add_func ("/engine/kmeans/sort", test_sort);
  g_test_add_func ("/engine/kmeans/merge-equal", test_merge_equal);
  return g_test_run ();
}
