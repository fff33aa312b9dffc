/* Engine unit tests: monochrome films, gray or toned (monochrome.c). */
#include <glib.h>
#include <math.h>

#include "colorspace.h"
#include "monochrome.h"

static PaletteColor
lab_color (double l, double a, double b, double weight)
{
  double lab[3] = { l, a, b };
  PaletteColor c;

  palette_cielab_to_srgb (lab, c.rgb);
  c.weight = weight;
  return c;
}

/* A toned ramp: one hue, chroma a function of lightness. Nothing is left
 * unexplained; every pixel has the same hue. */
static void
test_toned_ramp (void)
{
  PaletteColor colors[40];
  PaletteChromaStats stats;
  unsigned i;

  for (i = 0; i < 40; i++) {
    double l = 15 + 2 * i, c = 4 + 0.15 * l;
    colors[i] = lab_color (l, c * cos (1.2), c * sin (1.2), 1 + i % 3);
  }
  palette_chroma_stats (colors, 40, &stats);
  g_assert_cmpfloat (stats.residual, <, 1e-6);
  g_assert_cmpfloat (stats.concentration, >, 0.999999);
  g_assert_cmpfloat (stats.chroma, >, 8);
  g_assert_cmpfloat (stats.lightness_spread, >, 20);
  g_assert_true (palette_chroma_is_monochrome (&stats));
}

/* Two hues at the same lightness, opposite: all their chroma is unexplained
 * (5 each side: residual 5), and they cancel (concentration 0). */
static void
test_two_hues_one_lightness (void)
{
  PaletteColor colors[2] = { lab_color (50, 5, 0, 1), lab_color (50, -5, 0, 1) };
  PaletteChromaStats stats;

  palette_chroma_stats (colors, 2, &stats);
  g_assert_cmpfloat_with_epsilon (stats.residual, 5.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (stats.chroma, 5.0, 1e-6);
  g_assert_cmpfloat (stats.concentration, <, 1e-6);
  g_assert_false (palette_chroma_is_monochrome (&stats));
}

/* Strong colors each at its own lightness: lightness explains their chroma,
 * but they are not one hue, nor pale: not monochrome. One flat tint is not
 * monochrome either: a print has tones. */
static void
test_not_toned (void)
{
  PaletteColor strong[3] = { lab_color (30, 50, 30, 1), lab_color (55, -40, 40, 1),
    lab_color (80, 10, 70, 1)
  };
  PaletteColor flat[1] = { lab_color (45, 6, 12, 1) };
  PaletteChromaStats stats;

  palette_chroma_stats (strong, 3, &stats);
  g_assert_cmpfloat (stats.residual, <, 1e-6);
  g_assert_false (palette_chroma_is_monochrome (&stats));
  palette_chroma_stats (flat, 1, &stats);
  g_assert_cmpfloat (stats.lightness_spread, ==, 0);
  g_assert_false (palette_chroma_is_monochrome (&stats));
}

/* Gray levels take the mean chroma of the colors nearest them in
 * lightness, and keep their own lightness. */
static void
test_tint_gray_levels (void)
{
  PaletteColor colors[4] = { lab_color (20, 2, 6, 3), lab_color (24, 4, 10, 1),
    lab_color (70, 6, 18, 1), lab_color (74, 6, 22, 1)
  };
  PaletteColor levels[2];
  double lab[3];
  unsigned i;

  for (i = 0; i < 2; i++) {
    double gray = i == 0 ? 60 : 180;
    levels[i].rgb[0] = levels[i].rgb[1] = levels[i].rgb[2] = gray;
    levels[i].weight = 1;
  }
  palette_tint_gray_levels (colors, 4, levels, 2);
  palette_srgb_to_cielab (levels[0].rgb, lab);
  g_assert_cmpfloat_with_epsilon (lab[1], (3 * 2 + 4) / 4.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (lab[2], (3 * 6 + 10) / 4.0, 1e-6);
  {
    double gray[3] = { 60, 60, 60 }, glab[3];
    palette_srgb_to_cielab (gray, glab);
    g_assert_cmpfloat_with_epsilon (lab[0], glab[0], 1e-6);
  }
  palette_srgb_to_cielab (levels[1].rgb, lab);
  g_assert_cmpfloat_with_epsilon (lab[1], 6, 1e-6);
  g_assert_cmpfloat_with_epsilon (lab[2], 20, 1e-6);
  g_assert_cmpfloat (levels[1].weight, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/monochrome/toned-ramp", test_toned_ramp);
  g_test_add_func ("/engine/monochrome/two-hues-one-lightness", test_two_hues_one_lightness);
  g_test_add_func ("/engine/monochrome/not-toned", test_not_toned);
  g_test_add_func ("/engine/monochrome/tint-gray-levels", test_tint_gray_levels);
  return g_test_run ();
}
