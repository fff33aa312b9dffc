/* Engine unit tests: the film analyzer. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "palette-engine.h"
#include "engine-test.h"
#include "engine-private.h"

#define W 160
#define H 90
#define FRAME_NS G_GUINT64_CONSTANT (40000000)

static const uint8_t red[3] = { 200, 40, 30 };
static const uint8_t blue[3] = { 30, 120, 200 };
static const uint8_t yellow[3] = { 240, 220, 90 };

static uint8_t *
solid_frame (const uint8_t rgb[3], unsigned w, unsigned h, unsigned noise, GRand *rand)
{
  uint8_t *f = g_malloc (w * h * 3);
  unsigned i, c;

  for (i = 0; i < w * h; i++)
    for (c = 0; c < 3; c++) {
      int v = rgb[c];
      if (noise)
        v += g_rand_int_range (rand, -(int) noise, (int) noise + 1);
      f[i * 3 + c] = (uint8_t) CLAMP (v, 0, 255);
    }
  return f;
}

/* frame i of a 100-frame film is red, blue or yellow 50/30/20 */
static const uint8_t *
film_color (unsigned i)
{
  unsigned m = i % 10;

  return m < 5 ? red : m < 8 ? blue : yellow;
}

static void
check_film (const PalettePalette *p, double tolerance_de)
{
  const uint8_t *want[3] = { red, blue, yellow };
  double share[3] = { 0.5, 0.3, 0.2 }, total = 0;
  unsigned c;

  g_assert_cmpuint (p->n_colors, >=, 3);
  g_assert_false (p->black_and_white);
  for (c = 0; c < 3; c++) {
    double de = delta_e8 (p->colors[c].rgb, want[c]);
    if (de > tolerance_de)
      g_error ("color %u (%.1f %.1f %.1f) dE %.2f", c, p->colors[c].rgb[0],
          p->colors[c].rgb[1], p->colors[c].rgb[2], de);
    g_assert_cmpfloat (fabs (p->colors[c].weight - share[c]), <=, 0.02);
  }
  for (c = 0; c < p->n_colors; c++)
    total += p->colors[c].weight;
  g_assert_cmpfloat_with_epsilon (total, 1.0, 1e-9);
}

static void
test_solid_film (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t *frames[3];
  unsigned i, f;

  palette_analyzer_params_init (&params);
  a = palette_analyzer_new (&params);
  frames[0] = solid_frame (red, W, H, 0, NULL);
  frames[1] = solid_frame (blue, W, H, 0, NULL);
  frames[2] = solid_frame (yellow, W, H, 0, NULL);
  for (i = 0; i < 100; i++) {
    const uint8_t *c = film_color (i);
    f = c == red ? 0 : c == blue ? 1 : 2;
    g_assert_cmpint (palette_analyzer_add_frame (a, frames[f], W, H, W * 3, 3, i * FRAME_NS), ==,
        PALETTE_OK);
  }
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 100);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  /* three solid colors: exactly three, exact shares */
  g_assert_cmpuint (p.n_colors, ==, 3);
  check_film (&p, 0.5);
  g_assert_cmpfloat_with_epsilon (p.colors[0].weight, 0.5, 1e-12);
  g_assert_cmpuint (p.frames, ==, 100);
  g_assert_cmpfloat (p.mean_saturation, >, 0.5);

  /* fingerprint: one entry per frame, timestamps kept, one color each */
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 100);
  for (i = 0; i < 100; i++) {
    PaletteFingerprintEntry e;
    g_assert_true (palette_analyzer_get_fingerprint (a, i, &e));
    g_assert_cmpuint (e.timestamp, ==, i * FRAME_NS);
    g_assert_cmpuint (e.n_colors, ==, 1);
    g_assert_cmpfloat (e.colors[0].weight, ==, 1.0);
    g_assert_cmpfloat (delta_e8 (e.colors[0].rgb, film_color (i)), <, 0.01);
  }
  {
    PaletteFingerprintEntry e;
    g_assert_false (palette_analyzer_get_fingerprint (a, 100, &e));
    g_assert_cmpuint (e.n_colors, ==, 0);
  }

  palette_analyzer_reset (a);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 0);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 0);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_EMPTY);
  g_assert_cmpuint (p.n_colors, ==, 0);

  for (f = 0; f < 3; f++)
    g_free (frames[f]);
  palette_analyzer_free (a);
}

static void
test_noisy_film (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  GRand *rand = g_rand_new_with_seed (7);
  unsigned i;

  palette_analyzer_params_init (&params);
  params.colors = 3;
  params.batch_size = 16;
  a = palette_analyzer_new (&params);
  for (i = 0; i < 100; i++) {
    uint8_t *f = solid_frame (film_color (i), W, H, 6, rand);
    palette_analyzer_add_frame (a, f, W, H, W * 3, 3, i * FRAME_NS);
    g_free (f);
  }
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 3);
  check_film (&p, 2.0);

  /* fingerprint keeps fingerprint_colors (5) of the frame's 7 clusters */
  {
    PaletteFingerprintEntry e;
    double sum = 0;
    unsigned c;
    g_assert_true (palette_analyzer_get_fingerprint (a, 3, &e));
    g_assert_cmpuint (e.n_colors, ==, 5);
    for (c = 0; c < e.n_colors; c++) {
      sum += e.colors[c].weight;
      g_assert_cmpfloat (delta_e8 (e.colors[c].rgb, red), <, 5);
    }
    g_assert_cmpfloat (sum, >, 0.5);
    g_assert_cmpfloat (sum, <, 1.0);
  }
  g_rand_free (rand);
  palette_analyzer_free (a);
}

/* get_palette mid-film must not change the final result */
static void
test_palette_does_not_change_state (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a, *b;
  PalettePalette pa, pb, mid1, mid2;
  GRand *ra = g_rand_new_with_seed (11), *rb = g_rand_new_with_seed (11);
  unsigned i;

  palette_analyzer_params_init (&params);
  params.batch_size = 8;
  params.seed = 99;
  a = palette_analyzer_new (&params);
  b = palette_analyzer_new (&params);
  for (i = 0; i < 40; i++) {
    uint8_t *fa = solid_frame (film_color (i), 64, 36, 20, ra);
    uint8_t *fb = solid_frame (film_color (i), 64, 36, 20, rb);
    palette_analyzer_add_frame (a, fa, 64, 36, 64 * 3, 3, i);
    palette_analyzer_add_frame (b, fb, 64, 36, 64 * 3, 3, i);
    if (i == 12) {
      g_assert_cmpint (palette_analyzer_get_palette (b, &mid1), ==, PALETTE_OK);
      g_assert_cmpint (palette_analyzer_get_palette (b, &mid2), ==, PALETTE_OK);
      g_assert_true (memcmp (&mid1, &mid2, sizeof (mid1)) == 0);
      g_assert_cmpuint (mid1.frames, ==, 13);
    }
    g_free (fa);
    g_free (fb);
  }
  g_assert_cmpint (palette_analyzer_get_palette (a, &pa), ==, PALETTE_OK);
  g_assert_cmpint (palette_analyzer_get_palette (b, &pb), ==, PALETTE_OK);
  g_assert_cmpuint (pa.n_colors, ==, 10);
  g_assert_true (memcmp (&pa, &pb, sizeof (pa)) == 0);
  g_rand_free (ra);
  g_rand_free (rb);
  palette_analyzer_free (a);
  palette_analyzer_free (b);
}

static PalettePalette
analyze_solid (const uint8_t rgb[3], PaletteBwMode mode, unsigned noise)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  GRand *rand = g_rand_new_with_seed (5);
  uint8_t *f = solid_frame (rgb, W, H, noise, rand);
  unsigned i;

  palette_analyzer_params_init (&params);
  params.bw_mode = mode;
  a = palette_analyzer_new (&params);
  for (i = 0; i < 5; i++)
    palette_analyzer_add_frame (a, f, W, H, W * 3, 3, i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_free (f);
  g_rand_free (rand);
  palette_analyzer_free (a);
  return p;
}

static void
test_black_and_white (void)
{
  uint8_t gray[3] = { 120, 120, 120 }, near_gray[3] = { 120, 117, 113 };
  uint8_t tinted[3] = { 120, 100, 90 };
  PalettePalette p;

  p = analyze_solid (gray, PALETTE_BW_AUTO, 0);
  g_assert_true (p.black_and_white);
  g_assert_cmpfloat (p.mean_saturation, ==, 0);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (p.colors[0].rgb[0], ==, 120);
  g_assert_cmpfloat (p.colors[0].weight, ==, 1);

  /* S = 15/255 = 0.059 < 0.1 */
  p = analyze_solid (near_gray, PALETTE_BW_AUTO, 0);
  g_assert_true (p.black_and_white);
  g_assert_cmpfloat_with_epsilon (p.mean_saturation, 15 / 255.0, 1e-12);
  g_assert_cmpfloat (p.colors[0].rgb[0], ==, p.colors[0].rgb[2]);
  g_assert_cmpfloat (p.colors[0].rgb[0], ==, palette_luma8 (120, 117, 113));

  /* S = 64/255 = 0.25 */
  p = analyze_solid (tinted, PALETTE_BW_AUTO, 0);
  g_assert_false (p.black_and_white);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, tinted), <, 0.01);
  g_assert_cmpfloat (p.mean_saturation, >, 0.2);

  /* forced modes */
  p = analyze_solid (tinted, PALETTE_BW_GRAY, 0);
  g_assert_true (p.black_and_white);
  g_assert_cmpfloat (p.colors[0].rgb[0], ==, p.colors[0].rgb[1]);
  p = analyze_solid (gray, PALETTE_BW_COLOR, 0);
  g_assert_false (p.black_and_white);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat_with_epsilon (p.colors[0].rgb[1], 120, 1e-6);

  /* a noisy gray film: four neutral levels around 120, heaviest first */
  p = analyze_solid (gray, PALETTE_BW_AUTO, 8);
  g_assert_true (p.black_and_white);
  g_assert_cmpfloat (p.mean_saturation, >, 0.02);
  g_assert_cmpuint (p.n_colors, ==, 4);
  {
    unsigned c;
    double total = 0;
    for (c = 0; c < 4; c++) {
      g_assert_cmpfloat (p.colors[c].rgb[0], ==, p.colors[c].rgb[1]);
      g_assert_cmpfloat (p.colors[c].rgb[1], ==, p.colors[c].rgb[2]);
      g_assert_cmpfloat (fabs (p.colors[c].rgb[0] - 120), <, 12);
      if (c > 0)
        g_assert_cmpfloat (p.colors[c - 1].weight, >=, p.colors[c].weight);
      total += p.colors[c].weight;
    }
    g_assert_cmpfloat_with_epsilon (total, 1, 1e-12);
  }
}

/* A black-and-white picture: a horizontal ramp with a bright bar moving
 * across, so the film has tones from dark to light. tone colors it. */
typedef void (*ToneFunc) (unsigned v, uint8_t rgb[3]);

static void
sepia (unsigned v, uint8_t rgb[3])
{
  /* the classic sepia matrix applied to a gray */
  rgb[0] = (uint8_t) MIN (255.0, 1.351 * v);
  rgb[1] = (uint8_t) MIN (255.0, 1.203 * v);
  rgb[2] = (uint8_t) (0.937 * v);
}

static void
blue_tone (unsigned v, uint8_t rgb[3])
{
  rgb[0] = (uint8_t) (0.70 * v + 10);
  rgb[1] = (uint8_t) (0.85 * v + 15);
  rgb[2] = (uint8_t) MIN (255.0, 1.05 * v + 25);
}

static PalettePalette
analyze_toned (ToneFunc tone, double *hue_out)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t *f = g_malloc (W * H * 3);
  unsigned i, x, y;

  palette_analyzer_params_init (&params);
  a = palette_analyzer_new (&params);
  for (i = 0; i < 40; i++) {
    for (y = 0; y < H; y++)
      for (x = 0; x < W; x++) {
        unsigned v = 20 + 200 * x / W;
        if ((x + 4 * i) % W < 20)
          v = 235;
        tone (v, f + (y * W + x) * 3);
      }
    g_assert_cmpint (palette_analyzer_add_frame (a, f, W, H, W * 3, 3, i * FRAME_NS), ==,
        PALETTE_OK);
  }
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  {
    uint8_t mid[3];
    double rgb[3], lab[3];
    tone (128, mid);
    rgb[0] = mid[0];
    rgb[1] = mid[1];
    rgb[2] = mid[2];
    palette_srgb_to_cielab (rgb, lab);
    *hue_out = atan2 (lab[2], lab[1]);
  }
  g_free (f);
  palette_analyzer_free (a);
  return p;
}

/* Sepia and blue toned prints are saturated (0.2-0.4), yet monochrome:
 * gray levels, each keeping the print's tone. */
static void
test_toned_films (void)
{
  ToneFunc tones[2] = { sepia, blue_tone };
  unsigned t, c;

  for (t = 0; t < 2; t++) {
    double hue;
    PalettePalette p = analyze_toned (tones[t], &hue);
    g_assert_cmpfloat (p.mean_saturation, >, 0.15);
    g_assert_true (p.black_and_white);
    g_assert_cmpuint (p.n_colors, ==, 4);
    for (c = 0; c < p.n_colors; c++) {
      double lab[3], dh;
      palette_srgb_to_cielab (p.colors[c].rgb, lab);
      if (hypot (lab[1], lab[2]) < 3)
        continue;               /* a level too dark or light to show its tone */
      dh = fabs (remainder (atan2 (lab[2], lab[1]) - hue, 2 * G_PI));
      if (dh > 0.35)
        g_error ("tone %u level %u (%.0f %.0f %.0f): hue off by %.2f rad", t, c,
            p.colors[c].rgb[0], p.colors[c].rgb[1], p.colors[c].rgb[2], dh);
    }
    if (t == 0)
      g_assert_cmpfloat (p.colors[0].rgb[0], >, p.colors[0].rgb[2]);
    else
      g_assert_cmpfloat (p.colors[0].rgb[2], >, p.colors[0].rgb[0]);
  }
}

/* A pale color film (three pastel hues, each shaded from top to bottom so
 * that they share lightness, mean saturation 0.09, just below bw_threshold)
 * stays color whichever of its frames are analysed: all of them, every
 * 10th, or one. */
static void
test_pale_color_film (void)
{
  static const uint8_t pale[3][3] = { {220, 200, 200}, {200, 220, 200}, {200, 200, 220} };
  static const unsigned steps[3] = { 1, 10, 30 };
  uint8_t *f = g_malloc (W * H * 3);
  unsigned s, i, x, y, c;

  for (s = 0; s < 3; s++) {
    PaletteAnalyzerParams params;
    PaletteAnalyzer *a;
    PalettePalette p;

    palette_analyzer_params_init (&params);
    a = palette_analyzer_new (&params);
    for (i = 0; i < 30; i += steps[s]) {
      for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
          for (c = 0; c < 3; c++)
            f[(y * W + x) * 3 + c] =
                (uint8_t) (pale[x * 3 / W][c] * (0.7 + 0.3 * y / H + 0.002 * i));
      g_assert_cmpint (palette_analyzer_add_frame (a, f, W, H, W * 3, 3, i * FRAME_NS), ==,
          PALETTE_OK);
    }
    g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
    g_assert_cmpfloat (p.mean_saturation, <, params.bw_threshold);
    g_assert_cmpfloat (p.mean_saturation, >, 0.08);
    g_assert_false (p.black_and_white);
    g_assert_cmpuint (p.n_colors, >=, 3);
    palette_analyzer_free (a);
  }
  g_free (f);
}

static void
test_edge_cases (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t black[W * H * 3], px[3] = { 10, 200, 30 };
  uint8_t *big_red = solid_frame (red, W, H, 0, NULL), *small_blue = solid_frame (blue, 80, 45, 0, NULL);

  memset (black, 0, sizeof (black));
  palette_analyzer_params_init (&params);
  g_assert_cmpuint (params.colors, ==, 10);
  g_assert_cmpuint (params.gray_levels, ==, 4);
  g_assert_cmpuint (params.batch_size, ==, 32);
  g_assert_cmpuint (params.fingerprint_colors, ==, 5);
  g_assert_cmpfloat (params.bw_threshold, ==, 0.1);
  a = palette_analyzer_new (&params);

  /* no frames */
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_EMPTY);
  g_assert_cmpuint (p.n_colors, ==, 0);

  /* bad frames are refused, not counted */
  g_assert_cmpint (palette_analyzer_add_frame (a, NULL, W, H, W * 3, 3, 0), ==,
      PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_analyzer_add_frame (a, black, 0, H, W * 3, 3, 0), ==,
      PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_analyzer_add_frame (a, black, W, H, W * 3 - 1, 3, 0), ==,
      PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_analyzer_add_frame (a, black, W, H, W * 3, 2, 0), ==,
      PALETTE_INVALID_ARGUMENT);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 0);

  /* one pixel */
  g_assert_cmpint (palette_analyzer_add_frame (a, px, 1, 1, 3, 3, 0), ==, PALETTE_OK);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (p.colors[0].weight, ==, 1);
  g_assert_cmpfloat_with_epsilon (p.colors[0].rgb[1], 200, 1e-6);
  palette_analyzer_reset (a);

  /* all black: a black-and-white film of one level */
  palette_analyzer_add_frame (a, black, W, H, W * 3, 3, 0);
  palette_analyzer_add_frame (a, black, W, H, W * 3, 3, 1);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_true (p.black_and_white);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (p.colors[0].rgb[0], ==, 0);
  g_assert_cmpfloat (p.colors[0].weight, ==, 1);
  palette_analyzer_reset (a);

  /* frames of different sizes weigh by their pixels: 4 to 1 */
  palette_analyzer_add_frame (a, big_red, W, H, W * 3, 3, 0);
  palette_analyzer_add_frame (a, small_blue, 80, 45, 80 * 3, 3, 1);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 2);
  g_assert_cmpfloat_with_epsilon (p.colors[0].weight, 0.8, 1e-12);
  g_assert_cmpfloat (delta_e8 (p.colors[1].rgb, blue), <, 0.01);
  palette_analyzer_free (a);

  /* out-of-range params */
  params.colors = 0;
  g_assert_null (palette_analyzer_new (&params));
  params.colors = 65;
  g_assert_null (palette_analyzer_new (&params));
  palette_analyzer_params_init (&params);
  params.batch_size = 0;
  g_assert_null (palette_analyzer_new (&params));
  palette_analyzer_params_init (&params);
  params.bw_threshold = 1.5;
  g_assert_null (palette_analyzer_new (&params));
  palette_analyzer_params_init (&params);
  params.fingerprint_colors = 17;
  g_assert_null (palette_analyzer_new (&params));
  g_assert_null (palette_analyzer_new (NULL));

  /* NULL safety */
  palette_analyzer_free (NULL);
  palette_analyzer_reset (NULL);
  palette_analyzer_params_init (NULL);
  g_assert_cmpint (palette_analyzer_add_frame (NULL, px, 1, 1, 3, 3, 0), ==,
      PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_analyzer_get_palette (NULL, &p), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpuint (palette_analyzer_n_frames (NULL), ==, 0);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (NULL), ==, 0);
  g_assert_false (palette_analyzer_get_fingerprint (NULL, 0, NULL));
  g_assert_cmpuint (palette_analyzer_memory (NULL), ==, 0);
  g_free (big_red);
  g_free (small_blue);
}

static void
test_no_fingerprint (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  uint8_t px[3] = { 1, 2, 3 };

  palette_analyzer_params_init (&params);
  params.fingerprint_colors = 0;
  a = palette_analyzer_new (&params);
  palette_analyzer_add_frame (a, px, 1, 1, 3, 3, 0);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 1);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 0);
  palette_analyzer_free (a);
}

/* red for 64 frames, then blue for 64: a window of 30 frames sees only blue */
static void
test_window (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t *r = solid_frame (red, W, H, 0, NULL), *b = solid_frame (blue, W, H, 0, NULL);
  unsigned i;

  palette_analyzer_params_init (&params);
  params.batch_size = 8;
  params.window = 30 * FRAME_NS;
  a = palette_analyzer_new (&params);
  for (i = 0; i < 64; i++)
    palette_analyzer_add_frame (a, r, W, H, W * 3, 3, i * FRAME_NS);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, red), <, 0.01);
  for (; i < 128; i++)
    palette_analyzer_add_frame (a, b, W, H, W * 3, 3, i * FRAME_NS);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, blue), <, 0.01);
  g_assert_cmpuint (p.frames, ==, 128);
  g_assert_cmpfloat (p.mean_saturation, ==, palette_hsv_saturation8 (blue[0], blue[1], blue[2]));
  g_free (r);
  g_free (b);
  palette_analyzer_free (a);
}

/* 64 colors per 1-frame batch: past 4096 stored centers they are compacted;
 * the palette must still cover the pixels and stay reproducible */
static void
test_compaction (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a, *b;
  PalettePalette pa, pb;
  GRand *rand = g_rand_new_with_seed (3);
  uint8_t frame[32 * 32 * 3];
  double mean[3] = { 0, 0, 0 }, palette_mean[3] = { 0, 0, 0 };
  unsigned i, j, c;

  palette_analyzer_params_init (&params);
  params.colors = 64;
  params.batch_size = 1;
  params.fingerprint_colors = 0;
  a = palette_analyzer_new (&params);
  b = palette_analyzer_new (&params);
  for (i = 0; i < 80; i++) {
    for (j = 0; j < sizeof (frame); j++) {
      frame[j] = (uint8_t) g_rand_int_range (rand, 0, 256);
      mean[j % 3] += frame[j];
    }
    palette_analyzer_add_frame (a, frame, 32, 32, 32 * 3, 3, i);
    palette_analyzer_add_frame (b, frame, 32, 32, 32 * 3, 3, i);
  }
  g_assert_cmpint (palette_analyzer_get_palette (a, &pa), ==, PALETTE_OK);
  g_assert_cmpint (palette_analyzer_get_palette (b, &pb), ==, PALETTE_OK);
  g_assert_true (memcmp (&pa, &pb, sizeof (pa)) == 0);
  g_assert_cmpuint (pa.n_colors, ==, 64);
  g_assert_cmpuint (pa.frames, ==, 80);
  for (i = 0; i < 64; i++)
    for (c = 0; c < 3; c++)
      palette_mean[c] += pa.colors[i].weight * pa.colors[i].rgb[c];
  for (c = 0; c < 3; c++)
    g_assert_cmpfloat (fabs (palette_mean[c] - mean[c] / (80 * 1024)), <, 10);
  g_rand_free (rand);
  palette_analyzer_free (a);
  palette_analyzer_free (b);
}

/* An hour of 4x4 frames (108000): with a window or a fingerprint maximum,
 * what the analyzer holds is the same after 15 minutes and after an hour. */
static void
run_frames (PaletteAnalyzer *a, unsigned from, unsigned to)
{
  uint8_t frame[4 * 4 * 3];
  unsigned i, j;

  for (i = from; i < to; i++) {
    for (j = 0; j < sizeof (frame); j++)
      frame[j] = (uint8_t) ((i / 300 + j) * 37);   /* a new shot every 10 s */
    palette_analyzer_add_frame (a, frame, 4, 4, 4 * 3, 3, (uint64_t) i * FRAME_NS);
  }
}

#define QUARTER_HOUR (15 * 60 * 30)

static void
test_bounded_memory (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PaletteFingerprintEntry e, prev;
  size_t quarter, i, n;

  /* a window of 1800 frames: 1801 fingerprint samples, a few batches */
  palette_analyzer_params_init (&params);
  params.window = 60 * FRAME_NS * 30;
  a = palette_analyzer_new (&params);
  run_frames (a, 0, QUARTER_HOUR);
  quarter = palette_analyzer_memory (a);
  g_assert_cmpuint (quarter, >, 0);
  run_frames (a, QUARTER_HOUR, 4 * QUARTER_HOUR);
  g_assert_cmpuint (palette_analyzer_memory (a), ==, quarter);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 4 * QUARTER_HOUR);
  /* the fingerprint: exactly the frames within the window of the newest */
  n = palette_analyzer_n_fingerprint (a);
  g_assert_cmpuint (n, ==, 60 * 30 + 1);
  g_assert_true (palette_analyzer_get_fingerprint (a, 0, &e));
  g_assert_cmpuint (e.timestamp, ==, (uint64_t) (4 * QUARTER_HOUR - 1 - 60 * 30) * FRAME_NS);
  palette_analyzer_free (a);

  /* the whole stream, at most 1000 fingerprint samples, evenly spread */
  palette_analyzer_params_init (&params);
  params.fingerprint_max = 1000;
  a = palette_analyzer_new (&params);
  run_frames (a, 0, QUARTER_HOUR);
  quarter = palette_analyzer_memory (a);
  run_frames (a, QUARTER_HOUR, 4 * QUARTER_HOUR);
  g_assert_cmpuint (palette_analyzer_memory (a), ==, quarter);
  n = palette_analyzer_n_fingerprint (a);
  g_assert_cmpuint (n, <=, 1000);
  g_assert_cmpuint (n, >, 500);
  g_assert_true (palette_analyzer_get_fingerprint (a, 0, &prev));
  g_assert_cmpuint (prev.timestamp, ==, 0);
  for (i = 1; i < n; i++) {
    g_assert_true (palette_analyzer_get_fingerprint (a, i, &e));
    g_assert_cmpuint (e.timestamp - prev.timestamp, ==, 128 * FRAME_NS);
    g_assert_cmpuint (e.n_colors, >=, 1);
    prev = e;
  }
  /* the last sample is within one step of the end */
  g_assert_cmpuint (prev.timestamp, >, (uint64_t) (4 * QUARTER_HOUR - 128) * FRAME_NS);
  palette_analyzer_free (a);

  /* a maximum of 1: the first frame's sample */
  palette_analyzer_params_init (&params);
  params.fingerprint_max = 1;
  a = palette_analyzer_new (&params);
  g_assert_nonnull (a);
  run_frames (a, 0, 1000);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 1);
  g_assert_true (palette_analyzer_get_fingerprint (a, 0, &e));
  g_assert_cmpuint (e.timestamp, ==, 0);
  palette_analyzer_free (a);

  /* neither: the fingerprint keeps every frame (48 bytes each) */
  palette_analyzer_params_init (&params);
  a = palette_analyzer_new (&params);
  run_frames (a, 0, QUARTER_HOUR);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, QUARTER_HOUR);
  g_assert_cmpuint (palette_analyzer_memory (a), >=, QUARTER_HOUR * (8 + 5 * 8));
  palette_analyzer_free (a);
}

/* A window follows a scene change: once the window is past it, only the new
 * shot is left, even with batches longer than the window. */
static void
test_window_follows_change (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t *r = solid_frame (red, W, H, 0, NULL), *b = solid_frame (blue, W, H, 0, NULL);
  unsigned i;

  palette_analyzer_params_init (&params);
  params.batch_size = 32;               /* about a second at 30 fps */
  params.window = 30 * FRAME_NS;
  a = palette_analyzer_new (&params);
  for (i = 0; i < 45; i++)
    palette_analyzer_add_frame (a, r, W, H, W * 3, 3, i * FRAME_NS);
  for (; i < 45 + 31; i++)
    palette_analyzer_add_frame (a, b, W, H, W * 3, 3, i * FRAME_NS);
  /* the newest frame is 30 frames after the first blue one */
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 1);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, blue), <, 0.01);
  /* half a window after it: both */
  palette_analyzer_reset (a);
  for (i = 0; i < 45; i++)
    palette_analyzer_add_frame (a, r, W, H, W * 3, 3, i * FRAME_NS);
  for (; i < 45 + 15; i++)
    palette_analyzer_add_frame (a, b, W, H, W * 3, 3, i * FRAME_NS);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 2);
  g_free (r);
  g_free (b);
  palette_analyzer_free (a);
}

static gboolean fail_allocations;

static void *
failing_realloc (void *memory, size_t bytes)
{
  return fail_allocations ? NULL : realloc (memory, bytes);
}

/* Running out of memory is reported, and a batch that could not be stored
 * stays open rather than being dropped: its frames reach the palette once
 * memory is back. */
static void
test_out_of_memory (void)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *a;
  PalettePalette p;
  uint8_t *r = solid_frame (red, W, H, 0, NULL), *b = solid_frame (blue, W, H, 0, NULL);
  unsigned i;

  palette_analyzer_set_realloc_for_testing (failing_realloc);
  palette_analyzer_params_init (&params);
  params.batch_size = 1;
  params.colors = 2;
  params.bw_mode = PALETTE_BW_COLOR;
  params.fingerprint_colors = 0;
  a = palette_analyzer_new (&params);

  fail_allocations = TRUE;
  g_assert_cmpint (palette_analyzer_add_frame (a, r, W, H, W * 3, 3, 0), ==,
      PALETTE_OUT_OF_MEMORY);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 1);
  g_assert_cmpuint (palette_analyzer_memory (a), ==, 0);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OUT_OF_MEMORY);
  g_assert_cmpuint (p.n_colors, ==, 0);

  fail_allocations = FALSE;
  g_assert_cmpint (palette_analyzer_add_frame (a, b, W, H, W * 3, 3, FRAME_NS), ==,
      PALETTE_OK);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.n_colors, ==, 2);
  for (i = 0; i < 2; i++)
    g_assert_cmpfloat_with_epsilon (p.colors[i].weight, 0.5, 1e-12);
  g_assert_cmpfloat (MIN (delta_e8 (p.colors[0].rgb, red), delta_e8 (p.colors[1].rgb, red)),
      <, 0.01);
  palette_analyzer_free (a);

  /* a fingerprint sample that cannot be stored is reported */
  params.fingerprint_colors = 5;
  a = palette_analyzer_new (&params);
  fail_allocations = TRUE;
  g_assert_cmpint (palette_analyzer_add_frame (a, r, W, H, W * 3, 3, 0), ==,
      PALETTE_OUT_OF_MEMORY);
  g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 0);
  fail_allocations = FALSE;
  palette_analyzer_free (a);

  /* with a window, a frame that would stretch a batch that cannot be closed
   * is refused */
  params.batch_size = 32;
  params.window = 4 * FRAME_NS;
  a = palette_analyzer_new (&params);
  g_assert_cmpint (palette_analyzer_add_frame (a, r, W, H, W * 3, 3, 0), ==, PALETTE_OK);
  fail_allocations = TRUE;
  g_assert_cmpint (palette_analyzer_add_frame (a, b, W, H, W * 3, 3, FRAME_NS), ==,
      PALETTE_OUT_OF_MEMORY);
  g_assert_cmpuint (palette_analyzer_n_frames (a), ==, 1);
  fail_allocations = FALSE;
  palette_analyzer_free (a);

  palette_analyzer_set_realloc_for_testing (NULL);
  g_free (r);
  g_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/analyzer/solid-film", test_solid_film);
  g_test_add_func ("/engine/analyzer/noisy-film", test_noisy_film);
  g_test_add_func ("/engine/analyzer/palette-keeps-state", test_palette_does_not_change_state);
  g_test_add_func ("/engine/analyzer/black-and-white", test_black_and_white);
  g_test_add_func ("/engine/analyzer/toned-films", test_toned_films);
  g_test_add_func ("/engine/analyzer/pale-color-film", test_pale_color_film);
  g_test_add_func ("/engine/analyzer/edge-cases", test_edge_cases);
  g_test_add_func ("/engine/analyzer/no-fingerprint", test_no_fingerprint);
  g_test_add_func ("/engine/analyzer/out-of-memory", test_out_of_memory);
  g_test_add_func ("/engine/analyzer/window", test_window);
  g_test_add_func ("/engine/analyzer/compaction", test_compaction);
  g_test_add_func ("/engine/analyzer/bounded-memory", test_bounded_memory);
  g_test_add_func ("/engine/analyzer/window-follows-change", test_window_follows_change);
  return g_test_run ();
}
