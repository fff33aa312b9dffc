/* Engine unit tests: the color histogram. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "palette-engine.h"

static void
test_counts_and_means (void)
{
  /* 2x2 RGBx with a row stride padding: two pixels share a bin */
  uint8_t pixels[2 * 12] = {
    10, 20, 30, 0, 12, 22, 31, 0, 0xAA, 0xAA, 0xAA, 0xAA,
    200, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0xAA, 0xAA, 0xAA,
  };
  PaletteHistogram *h = palette_histogram_new ();
  PaletteColor colors[8];
  const uint64_t *luma;
  size_t n;

  palette_histogram_add_rgb (h, pixels, 2, 2, 12, 4);
  g_assert_cmpuint (palette_histogram_n_pixels (h), ==, 4);
  g_assert_cmpuint (palette_histogram_n_bins (h), ==, 3);
  n = palette_histogram_get_colors (h, colors, 8);
  g_assert_cmpuint (n, ==, 3);
  /* bin order: black (bin 0), (10..12, 20..22, 30..31), red */
  g_assert_cmpfloat (colors[0].weight, ==, 1);
  g_assert_cmpfloat (colors[0].rgb[0], ==, 0);
  g_assert_cmpfloat (colors[1].weight, ==, 2);
  g_assert_cmpfloat (colors[1].rgb[0], ==, 11);
  g_assert_cmpfloat (colors[1].rgb[1], ==, 21);
  g_assert_cmpfloat (colors[1].rgb[2], ==, 30.5);
  g_assert_cmpfloat (colors[2].rgb[0], ==, 200);
  g_assert_cmpuint (palette_histogram_get_colors (h, colors, 2), ==, 2);

  luma = palette_histogram_luma (h);
  g_assert_cmpuint (luma[0], ==, 1);
  g_assert_cmpuint (luma[palette_luma8 (200, 0, 0)], ==, 1);
  g_assert_cmpuint (luma[palette_luma8 (10, 20, 30)], ==, 1);
  g_assert_cmpuint (palette_histogram_saturation_sum (h), ==,
      palette_hsv_saturation8_u8 (10, 20, 30) + palette_hsv_saturation8_u8 (12, 22, 31) + 255);
  g_assert_cmpfloat_with_epsilon (palette_histogram_mean_saturation (h),
      palette_histogram_saturation_sum (h) / (255.0 * 4), 1e-12);

  palette_histogram_clear (h);
  g_assert_cmpuint (palette_histogram_n_pixels (h), ==, 0);
  g_assert_cmpuint (palette_histogram_n_bins (h), ==, 0);
  g_assert_cmpuint (palette_histogram_get_colors (h, colors, 8), ==, 0);
  g_assert_cmpfloat (palette_histogram_mean_saturation (h), ==, 0);
  g_assert_cmpuint (palette_histogram_luma (h)[0], ==, 0);
  palette_histogram_free (h);
}

static void
test_add_subtract_copy (void)
{
  uint8_t a[3 * 4], b[3 * 4];
  PaletteHistogram *ha = palette_histogram_new (), *hb = palette_histogram_new ();
  PaletteHistogram *sum = palette_histogram_new (), *copy;
  PaletteColor ca[16], cs[16];
  size_t na, ns, i;

  for (i = 0; i < sizeof (a); i++) {
    a[i] = (uint8_t) (i * 37);
    b[i] = (uint8_t) (255 - i * 11);
  }
  palette_histogram_add_rgb (ha, a, 4, 1, 12, 3);
  palette_histogram_add_rgb (hb, b, 4, 1, 12, 3);
  palette_histogram_add_histogram (sum, ha);
  palette_histogram_add_histogram (sum, hb);
  g_assert_cmpuint (palette_histogram_n_pixels (sum), ==, 8);
  g_assert_cmpuint (palette_histogram_saturation_sum (sum), ==,
      palette_histogram_saturation_sum (ha) + palette_histogram_saturation_sum (hb));

  copy = palette_histogram_copy (sum);
  g_assert_nonnull (copy);
  g_assert_cmpuint (palette_histogram_n_bins (copy), ==, palette_histogram_n_bins (sum));

  palette_histogram_subtract_histogram (sum, hb);
  na = palette_histogram_get_colors (ha, ca, 16);
  ns = palette_histogram_get_colors (sum, cs, 16);
  g_assert_cmpuint (na, ==, ns);
  g_assert_cmpuint (palette_histogram_n_bins (sum), ==, na);
  g_assert_true (memcmp (ca, cs, na * sizeof (PaletteColor)) == 0);
  g_assert_true (memcmp (palette_histogram_luma (ha), palette_histogram_luma (sum),
          256 * sizeof (uint64_t)) == 0);
  g_assert_cmpuint (palette_histogram_n_pixels (copy), ==, 8);

  palette_histogram_free (ha);
  palette_histogram_free (hb);
  palette_histogram_free (sum);
  palette_histogram_free (copy);
}

static void
test_every_color_once (void)
{
  /* 4096 x 4096 would be big; a 256 x 256 frame per blue value covers every
   * bin with 8x8x8 pixels each */
  uint8_t *frame = g_malloc (256 * 256 * 3);
  PaletteHistogram *h = palette_histogram_new ();
  PaletteColor *colors = g_new (PaletteColor, 32768);
  unsigned r, g, b;

  for (b = 0; b < 256; b++) {
    for (r = 0; r < 256; r++)
      for (g = 0; g < 256; g++) {
        uint8_t *p = frame + (r * 256 + g) * 3;
        p[0] = (uint8_t) r;
        p[1] = (uint8_t) g;
        p[2] = (uint8_t) b;
      }
    palette_histogram_add_rgb (h, frame, 256, 256, 256 * 3, 3);
  }
  g_assert_cmpuint (palette_histogram_n_pixels (h), ==, 1u << 24);
  g_assert_cmpuint (palette_histogram_n_bins (h), ==, 32768);
  g_assert_cmpuint (palette_histogram_get_colors (h, colors, 32768), ==, 32768);
  /* bin (1, 2, 3) holds r 8..15, g 16..23, b 24..31: mean 11.5, 19.5, 27.5 */
  g_assert_cmpfloat (colors[(1 << 10) | (2 << 5) | 3].rgb[0], ==, 11.5);
  g_assert_cmpfloat (colors[(1 << 10) | (2 << 5) | 3].rgb[1], ==, 19.5);
  g_assert_cmpfloat (colors[(1 << 10) | (2 << 5) | 3].rgb[2], ==, 27.5);
  g_assert_cmpfloat (colors[0].weight, ==, 512);
  palette_histogram_free (h);
  g_free (colors);
  g_free (frame);
}

static void
test_null_safety (void)
{
  uint8_t px[3] = { 1, 2, 3 };
  PaletteColor c;
  PaletteHistogram *h = palette_histogram_new ();

  palette_histogram_free (NULL);
  palette_histogram_clear (NULL);
  g_assert_null (palette_histogram_copy (NULL));
  palette_histogram_add_rgb (NULL, px, 1, 1, 3, 3);
  palette_histogram_add_rgb (h, NULL, 1, 1, 3, 3);
  palette_histogram_add_rgb (h, px, 1, 1, 3, 2);      /* stride below 3: ignored */
  palette_histogram_add_histogram (NULL, h);
  palette_histogram_add_histogram (h, NULL);
  g_assert_cmpuint (palette_histogram_n_pixels (h), ==, 0);
  g_assert_cmpuint (palette_histogram_n_pixels (NULL), ==, 0);
  g_assert_cmpuint (palette_histogram_n_bins (NULL), ==, 0);
  g_assert_null (palette_histogram_luma (NULL));
  g_assert_cmpuint (palette_histogram_get_colors (NULL, &c, 1), ==, 0);
  palette_histogram_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/histogram/counts-and-means", test_counts_and_means);
  g_test_add_func ("/engine/histogram/add-subtract-copy", test_add_subtract_copy);
  g_test_add_func ("/engine/histogram/every-color", test_every_color_once);
  g_test_add_func ("/engine/histogram/null-safety", test_null_safety);
  return g_test_run ();
}
