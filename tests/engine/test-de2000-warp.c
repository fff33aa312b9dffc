/* Engine unit tests: CIELAB warped so that Euclidean distance follows
 * CIEDE2000 (de2000-warp.c). */
#include <glib.h>
#include <math.h>

#include "colorspace.h"
#include "de2000-warp.h"
#include "sharma-pairs.h"

static double
distance (const double x[3], const double y[3])
{
  return sqrt ((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1])
      + (x[2] - y[2]) * (x[2] - y[2]));
}

static double
warped_distance (const double lab1[3], const double lab2[3])
{
  double w1[3], w2[3];

  palette_de2000_warp (lab1, w1);
  palette_de2000_warp (lab2, w2);
  return distance (w1, w2);
}

/* The hue of a CIELAB color in degrees, 0..360 */
static double
hue (const double lab[3])
{
  double h = atan2 (lab[2], lab[1]) * 180.0 / G_PI;

  return h < 0 ? h + 360.0 : h;
}

/* Against the published pairs: the warped Euclidean distance follows
 * CIEDE2000 several times closer than CIELAB's own Euclidean distance. Left
 * out of the warp is the rotation term of the blue region (hues 250-300),
 * whose pairs are only held to the mean. */
static void
test_sharma_pairs (void)
{
  double warp_error = 0, lab_error = 0;
  unsigned i;

  for (i = 0; i < G_N_ELEMENTS (sharma); i++) {
    const double *p = sharma[i];
    double dw = warped_distance (p, p + 3), dl = distance (p, p + 3);
    double ew = fabs (dw / p[6] - 1), h1 = hue (p), h2 = hue (p + 3);
    int blue = (h1 > 250 && h1 < 300) || (h2 > 250 && h2 < 300);

    warp_error += ew;
    lab_error += fabs (dl / p[6] - 1);
    /* small differences away from blue: within 15 % of CIEDE2000 */
    if (!blue && p[6] < 8 && ew > 0.15)
      g_error ("Sharma pair %u: warped distance %.4f, CIEDE2000 %.4f", i + 1, dw, p[6]);
  }
  warp_error /= G_N_ELEMENTS (sharma);
  lab_error /= G_N_ELEMENTS (sharma);
  g_test_message ("mean relative error: warped %.3f, CIELAB %.3f", warp_error, lab_error);
  g_assert_cmpfloat (warp_error, <, 0.12);
  g_assert_cmpfloat (lab_error, >, 5 * warp_error);
}

/* For grays CIEDE2000 is |dL| / S_L: the warped lightness is its integral,
 * so one L* step anywhere measures what CIEDE2000 says to 0.5 %. */
static void
test_gray_steps (void)
{
  double l;

  for (l = 1; l < 100; l += 1.5) {
    double g1[3] = { l - 0.5, 0, 0 }, g2[3] = { l + 0.5, 0, 0 };
    double want = palette_ciede2000 (g1, g2), got = warped_distance (g1, g2);
    if (fabs (got / want - 1) > 0.005)
      g_error ("L* %.1f: warped %.5f, CIEDE2000 %.5f", l, got, want);
  }
}

/* Clusters are averaged in the warped space and brought back: every sRGB
 * color survives the round trip. */
static void
test_round_trip (void)
{
  unsigned r, g, b, c;
  double worst = 0;

  for (r = 0; r < 256; r += 15)
    for (g = 0; g < 256; g += 15)
      for (b = 0; b < 256; b += 15) {
        double rgb[3] = { r, g, b }, lab[3], w[3], back[3];
        palette_srgb_to_cielab (rgb, lab);
        palette_de2000_warp (lab, w);
        palette_de2000_unwarp (w, back);
        for (c = 0; c < 3; c++)
          worst = MAX (worst, fabs (back[c] - lab[c]));
      }
  g_assert_cmpfloat (worst, <, 1e-9);
}

/* Neutral stays neutral and the middle gray is a fixed point of lightness. */
static void
test_neutral_axis (void)
{
  double gray[3] = { 50, 0, 0 }, w[3];

  palette_de2000_warp (gray, w);
  g_assert_cmpfloat_with_epsilon (w[0], 50.0, 1e-12);
  g_assert_cmpfloat (w[1], ==, 0.0);
  g_assert_cmpfloat (w[2], ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/de2000-warp/sharma-pairs", test_sharma_pairs);
  g_test_add_func ("/engine/de2000-warp/gray-steps", test_gray_steps);
  g_test_add_func ("/engine/de2000-warp/round-trip", test_round_trip);
  g_test_add_func ("/engine/de2000-warp/neutral-axis", test_neutral_axis);
  return g_test_run ();
}
