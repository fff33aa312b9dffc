/* Engine unit tests: color conversions and CIEDE2000 against published values. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "palette-engine.h"

static void
assert_close3 (const double got[3], double e0, double e1, double e2, double tolerance)
{
  if (fabs (got[0] - e0) > tolerance || fabs (got[1] - e1) > tolerance
      || fabs (got[2] - e2) > tolerance)
    g_error ("got (%.7f, %.7f, %.7f), expected (%.7f, %.7f, %.7f) +- %g",
        got[0], got[1], got[2], e0, e1, e2, tolerance);
}

static void
test_srgb_transfer (void)
{
  unsigned v;

  g_assert_cmpfloat (palette_srgb8_to_linear (0), ==, 0.0);
  g_assert_cmpfloat (palette_srgb8_to_linear (255), ==, 1.0);
  /* 128 -> 0.2158605 (IEC 61966-2-1) */
  g_assert_cmpfloat_with_epsilon (palette_srgb8_to_linear (128), 0.2158605, 1e-7);
  g_assert_cmpfloat_with_epsilon (palette_srgb8_to_linear (10), 10 / 255.0 / 12.92, 1e-15);
  for (v = 0; v < 256; v++) {
    double lin = palette_srgb8_to_linear ((uint8_t) v);
    g_assert_cmpfloat_with_epsilon (lin, palette_srgb_to_linear (v), 1e-12);
    g_assert_cmpfloat_with_epsilon (palette_linear_to_srgb (lin), v, 1e-9);
    if (v > 0)
      g_assert_cmpfloat (lin, >, palette_srgb8_to_linear ((uint8_t) (v - 1)));
  }
}

static void
test_cielab_reference (void)
{
  double lab[3];
  double white[3] = { 255, 255, 255 }, black[3] = { 0, 0, 0 };
  double red[3] = { 255, 0, 0 }, green[3] = { 0, 255, 0 }, blue[3] = { 0, 0, 255 };
  double gray[3] = { 128, 128, 128 };

  palette_srgb_to_cielab (white, lab);
  assert_close3 (lab, 100, 0, 0, 1e-9);
  palette_srgb_to_cielab (black, lab);
  assert_close3 (lab, 0, 0, 0, 1e-9);
  palette_srgb_to_cielab (red, lab);
  assert_close3 (lab, 53.24, 80.09, 67.20, 0.01);
  palette_srgb_to_cielab (green, lab);
  assert_close3 (lab, 87.73, -86.18, 83.18, 0.01);
  palette_srgb_to_cielab (blue, lab);
  assert_close3 (lab, 32.30, 79.19, -107.86, 0.01);
  palette_srgb_to_cielab (gray, lab);
  assert_close3 (lab, 53.585, 0, 0, 0.001);
}

static void
test_oklab_reference (void)
{
  /* Ottosson, "A perceptual color space for image processing" (2020); our
   * OKLab is scaled by 100 */
  double lab[3];
  double white[3] = { 255, 255, 255 }, red[3] = { 255, 0, 0 };
  double green[3] = { 0, 255, 0 }, blue[3] = { 0, 0, 255 };

  palette_srgb_to_oklab (white, lab);
  assert_close3 (lab, 100, 0, 0, 1e-5);
  palette_srgb_to_oklab (red, lab);
  assert_close3 (lab, 62.79554, 22.48631, 12.58463, 1e-4);
  palette_srgb_to_oklab (green, lab);
  assert_close3 (lab, 86.64396, -23.38876, 17.94985, 1e-4);
  palette_srgb_to_oklab (blue, lab);
  assert_close3 (lab, 45.20144, -3.24570, -31.15281, 1e-4);
}

static void
test_round_trips (void)
{
  PaletteColorSpace spaces[] = { PALETTE_SPACE_RGB, PALETTE_SPACE_OKLAB, PALETTE_SPACE_CIELAB };
  unsigned s, r, g, b;

  for (s = 0; s < G_N_ELEMENTS (spaces); s++) {
    for (r = 0; r < 256; r += 15)
      for (g = 0; g < 256; g += 17)
        for (b = 0; b < 256; b += 51) {
          double rgb[3] = { r, g, b }, x[3], back[3];
          /* fractional inputs too: bin means are fractional */
          rgb[1] += 0.375;
          if (rgb[1] > 255)
            rgb[1] = 255;
          palette_srgb_to_space (spaces[s], rgb, x);
          palette_space_to_srgb (spaces[s], x, back);
          assert_close3 (back, rgb[0], rgb[1], rgb[2], 1e-6);
        }
  }
  g_assert_cmpstr (palette_color_space_name (PALETTE_SPACE_OKLAB), ==, "oklab");
  g_assert_cmpstr (palette_color_space_name (PALETTE_SPACE_CIELAB), ==, "cielab");
  g_assert_cmpstr (palette_color_space_name (PALETTE_SPACE_RGB), ==, "rgb");
}

#include "sharma-pairs.h"

static void
test_ciede2000_sharma (void)
{
  unsigned i;
  double same[3] = { 50, 10, -20 };

  for (i = 0; i < G_N_ELEMENTS (sharma); i++) {
    const double *p = sharma[i];
    double d = palette_ciede2000 (p, p + 3), back = palette_ciede2000 (p + 3, p);
    if (fabs (d - p[6]) > 1e-4)
      g_error ("Sharma pair %u: %.6f, expected %.4f", i + 1, d, p[6]);
    g_assert_cmpfloat_with_epsilon (d, back, 1e-12);
  }
  g_assert_cmpfloat (palette_ciede2000 (same, same), ==, 0.0);
}

static void
test_opencv_saturation_and_luma (void)
{
  /* values computed by OpenCV 4.6 cvtColor on 8-bit RGB */
  g_assert_cmpuint (palette_hsv_saturation8_u8 (0, 0, 0), ==, 0);
  g_assert_cmpuint (palette_hsv_saturation8_u8 (255, 0, 0), ==, 255);
  g_assert_cmpuint (palette_hsv_saturation8_u8 (200, 200, 200), ==, 0);
  g_assert_cmpuint (palette_hsv_saturation8_u8 (100, 50, 25), ==, 191);
  g_assert_cmpuint (palette_hsv_saturation8_u8 (3, 1, 2), ==, 170);
  g_assert_cmpuint (palette_hsv_saturation8_u8 (254, 253, 250), ==, 4);
  g_assert_cmpfloat_with_epsilon (palette_hsv_saturation8 (100, 50, 25), 191 / 255.0, 1e-12);
  g_assert_cmpuint (palette_luma8 (255, 255, 255), ==, 255);
  g_assert_cmpuint (palette_luma8 (255, 0, 0), ==, 76);
  g_assert_cmpuint (palette_luma8 (0, 255, 0), ==, 150);
  g_assert_cmpuint (palette_luma8 (0, 0, 255), ==, 29);
  g_assert_cmpuint (palette_luma8 (10, 200, 90), ==, 131);
  g_assert_cmpuint (palette_luma8 (77, 7, 240), ==, 54);
}

static void
test_clamp (void)
{
  g_assert_cmpuint (palette_rgb_clamp8 (-3), ==, 0);
  g_assert_cmpuint (palette_rgb_clamp8 (NAN), ==, 0);
  g_assert_cmpuint (palette_rgb_clamp8 (254.5), ==, 255);
  g_assert_cmpuint (palette_rgb_clamp8 (254.49), ==, 254);
  g_assert_cmpuint (palette_rgb_clamp8 (300), ==, 255);
  g_assert_cmpuint (palette_rgb_clamp8 (0.5), ==, 1);
}

/* 0xRRGGBB, each channel rounded and clamped; unpacking gives the integers */
static void
test_pack (void)
{
  const double rgb[3] = { 254.6, -3.0, 16.4 };
  const double over[3] = { 300.0, 0.5, 1e300 };
  double back[3];

  g_assert_cmphex (palette_rgb_pack (rgb), ==, 0xff0010);
  g_assert_cmphex (palette_rgb_pack (over), ==, 0xff01ff);
  palette_rgb_unpack (0x12ab09, back);
  g_assert_cmpfloat (back[0], ==, 0x12);
  g_assert_cmpfloat (back[1], ==, 0xab);
  g_assert_cmpfloat (back[2], ==, 0x09);
  g_assert_cmphex (palette_rgb_pack (back), ==, 0x12ab09);
  palette_rgb_unpack (0xff123456, back);     /* bits above 24 are ignored */
  g_assert_cmpfloat (back[0], ==, 0x12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/colorspace/srgb-transfer", test_srgb_transfer);
  g_test_add_func ("/engine/colorspace/cielab-reference", test_cielab_reference);
  g_test_add_func ("/engine/colorspace/oklab-reference", test_oklab_reference);
  g_test_add_func ("/engine/colorspace/round-trips", test_round_trips);
  g_test_add_func ("/engine/colorspace/ciede2000-sharma", test_ciede2000_sharma);
  g_test_add_func ("/engine/colorspace/opencv-saturation-luma", test_opencv_saturation_and_luma);
  g_test_add_func ("/engine/colorspace/clamp", test_clamp);
  g_test_add_func ("/engine/colorspace/pack", test_pack);
  return g_test_run ();
}
