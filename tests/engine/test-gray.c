/* Engine unit tests: gray levels of black-and-white films. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "palette-engine.h"

static void
test_four_known_grays (void)
{
  uint64_t luma[256] = { 0 };
  PaletteColor levels[8];
  unsigned n;

  luma[20] = 1000;
  luma[80] = 3000;
  luma[150] = 500;
  luma[230] = 7;
  n = palette_gray_levels (luma, 4, levels);
  g_assert_cmpuint (n, ==, 4);
  /* dark to light, exactly the grays, with their pixel counts */
  g_assert_cmpfloat (levels[0].rgb[0], ==, 20);
  g_assert_cmpfloat (levels[1].rgb[0], ==, 80);
  g_assert_cmpfloat (levels[2].rgb[0], ==, 150);
  g_assert_cmpfloat (levels[3].rgb[0], ==, 230);
  g_assert_cmpfloat (levels[0].rgb[1], ==, 20);
  g_assert_cmpfloat (levels[3].rgb[2], ==, 230);
  g_assert_cmpfloat (levels[0].weight, ==, 1000);
  g_assert_cmpfloat (levels[1].weight, ==, 3000);
  g_assert_cmpfloat (levels[2].weight, ==, 500);
  g_assert_cmpfloat (levels[3].weight, ==, 7);

  /* more levels than grays: only the grays come back */
  n = palette_gray_levels (luma, 10, levels);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (levels[2].rgb[0], ==, 150);
}

/* Grays spread around 4 centers: each level must sit inside its group */
static void
test_noisy_groups (void)
{
  uint64_t luma[256] = { 0 };
  unsigned centers[4] = { 15, 70, 140, 220 }, c, n;
  int d;
  PaletteColor levels[4];
  double total = 0;

  for (c = 0; c < 4; c++)
    for (d = -6; d <= 6; d++)
      luma[centers[c] + d] += (uint64_t) (100 - 10 * abs (d));
  n = palette_gray_levels (luma, 4, levels);
  g_assert_cmpuint (n, ==, 4);
  for (c = 0; c < 4; c++) {
    g_assert_cmpfloat (fabs (levels[c].rgb[0] - centers[c]), <=, 1);
    g_assert_cmpfloat (levels[c].weight, ==, 13 * 100 - 10 * 42);
    total += levels[c].weight;
  }
  g_assert_cmpfloat (total, ==, 4 * (1300 - 420));
}

static double
lstar (unsigned v)
{
  double rgb[3] = { v, v, v }, lab[3];

  palette_srgb_to_cielab (rgb, lab);
  return lab[0];
}

static double
range_sse (const unsigned *values, const uint64_t *counts, unsigned first, unsigned last)
{
  double w = 0, s = 0, ss = 0;
  unsigned i;

  for (i = first; i <= last; i++) {
    double x = lstar (values[i]);
    w += counts[i];
    s += counts[i] * x;
    ss += counts[i] * x * x;
  }
  return ss - s * s / w;
}

/* The DP split must be the optimum that brute force finds. */
static void
test_optimal_split (void)
{
  unsigned values[7] = { 3, 40, 41, 90, 128, 200, 254 };
  uint64_t counts[7] = { 50, 10, 300, 20, 70, 5, 400 };
  uint64_t luma[256] = { 0 };
  PaletteColor levels[3];
  unsigned i, a, b, n, best_a = 0, best_b = 0;
  double best = INFINITY;

  for (i = 0; i < 7; i++)
    luma[values[i]] = counts[i];
  /* ranges [0, a), [a, b), [b, 7) */
  for (a = 1; a < 6; a++)
    for (b = a + 1; b < 7; b++) {
      double e = range_sse (values, counts, 0, a - 1) + range_sse (values, counts, a, b - 1)
          + range_sse (values, counts, b, 6);
      if (e < best) {
        best = e;
        best_a = a;
        best_b = b;
      }
    }
  n = palette_gray_levels (luma, 3, levels);
  g_assert_cmpuint (n, ==, 3);
  {
    double w0 = 0, w1 = 0;
    for (i = 0; i < best_a; i++)
      w0 += counts[i];
    for (i = best_a; i < best_b; i++)
      w1 += counts[i];
    g_assert_cmpfloat (levels[0].weight, ==, w0);
    g_assert_cmpfloat (levels[1].weight, ==, w1);
    g_assert_cmpfloat (levels[2].weight, ==, 855 - w0 - w1);
    /* each level is a gray of its own range */
    g_assert_cmpfloat (levels[0].rgb[0], >=, values[0]);
    g_assert_cmpfloat (levels[0].rgb[0], <=, values[best_a - 1]);
    g_assert_cmpfloat (levels[2].rgb[0], >=, values[best_b]);
  }
}

static void
test_edge_cases (void)
{
  uint64_t luma[256] = { 0 };
  PaletteColor levels[4];

  g_assert_cmpuint (palette_gray_levels (luma, 4, levels), ==, 0);
  g_assert_cmpuint (palette_gray_levels (NULL, 4, levels), ==, 0);
  luma[0] = 14400;
  g_assert_cmpuint (palette_gray_levels (luma, 0, levels), ==, 0);
  g_assert_cmpuint (palette_gray_levels (luma, 4, levels), ==, 1);
  g_assert_cmpfloat (levels[0].rgb[0], ==, 0);
  g_assert_cmpfloat (levels[0].weight, ==, 14400);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/gray/four-known-grays", test_four_known_grays);
  g_test_add_func ("/engine/gray/noisy-groups", test_noisy_groups);
  g_test_add_func ("/engine/gray/optimal-split", test_optimal_split);
  g_test_add_func ("/engine/gray/edge-cases", test_edge_cases);
  return g_test_run ();
}
