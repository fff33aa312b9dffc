/* Engine unit tests: constant borders (borders.c) left out of the palette,
 * its shares and the fingerprint, through the analyzer. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "palette-engine.h"
#include "engine-test.h"

#define W 160
#define H 90
#define FRAME_NS G_GUINT64_CONSTANT (40000000)

static const uint8_t red[3] = { 200, 40, 30 };
static const uint8_t blue[3] = { 30, 120, 200 };
static const uint8_t black[3] = { 0, 0, 0 };
static const uint8_t night[3] = { 12, 14, 20 };

/* A frame with bars of the given widths (pure black, or near black noise
 * 0..noise on each channel), and inside them a picture whose first
 * split_percent of columns are c1, the rest c2. */
typedef struct {
  unsigned left, right, top, bottom;
  unsigned noise;
} Bars;

static uint8_t *
make_frame (const Bars *bars, const uint8_t c1[3], const uint8_t c2[3],
    unsigned split_percent, GRand *rand)
{
  uint8_t *f = g_malloc (W * H * 3);
  unsigned x, y, c;
  unsigned pw = W - bars->left - bars->right;
  unsigned split = bars->left + pw * split_percent / 100;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      uint8_t *p = f + (y * W + x) * 3;
      if (y < bars->top || y >= H - bars->bottom || x < bars->left || x >= W - bars->right) {
        for (c = 0; c < 3; c++)
          p[c] = bars->noise ? (uint8_t) g_rand_int_range (rand, 0, bars->noise + 1) : 0;
      } else {
        memcpy (p, x < split ? c1 : c2, 3);
      }
    }
  return f;
}

/* The palette is exactly c1 and c2 in shares s1 and 1 - s1 */
static void
check_two (const PalettePalette *p, const uint8_t c1[3], double s1, const uint8_t c2[3])
{
  g_assert_cmpint (p->n_colors, ==, 2);
  g_assert_false (p->black_and_white);
  g_assert_cmpfloat (delta_e8 (p->colors[0].rgb, c1), <, 0.01);
  g_assert_cmpfloat (delta_e8 (p->colors[1].rgb, c2), <, 0.01);
  g_assert_cmpfloat (fabs (p->colors[0].weight - s1), <, 1e-9);
  g_assert_cmpfloat (fabs (p->colors[1].weight - (1 - s1)), <, 1e-9);
}

static PaletteAnalyzer *
analyzer_with (int crop, uint64_t window)
{
  PaletteAnalyzerParams params;

  palette_analyzer_params_init (&params);
  params.crop_borders = crop;
  params.window = window;
  params.bw_mode = PALETTE_BW_COLOR;
  return palette_analyzer_new (&params);
}

static void
add_frames (PaletteAnalyzer *a, const uint8_t *frame, unsigned n, unsigned *index)
{
  unsigned i;

  for (i = 0; i < n; i++, (*index)++)
    g_assert_cmpint (palette_analyzer_add_frame (a, frame, W, H, W * 3, 3,
            *index * FRAME_NS), ==, PALETTE_OK);
}

/* Letterbox, pillarbox, both, with pure black and noisy near-black bars:
 * the palette of the picture alone, the crop in frame pixels. */
static void
test_bars_left_out (void)
{
  static const Bars cases[] = {
    {0, 0, 12, 12, 0},          /* letterbox */
    {0, 0, 11, 13, 20},         /* letterbox, near black noise */
    {20, 20, 0, 0, 0},          /* pillarbox */
    {18, 22, 0, 0, 24},         /* pillarbox, noise */
    {10, 10, 8, 8, 0},          /* windowbox */
  };
  GRand *rand = g_rand_new_with_seed (7);
  unsigned k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++) {
    const Bars *b = &cases[k];
    PaletteAnalyzer *a = analyzer_with (1, 0);
    PalettePalette p;
    unsigned i = 0, f;

    /* a new frame each time, so every frame's noise differs */
    for (f = 0; f < 40; f++) {
      uint8_t *frame = make_frame (b, red, blue, 60, rand);
      add_frames (a, frame, 1, &i);
      g_free (frame);
    }
    g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
    /* 60 % of the picture's columns; pw is a multiple of 5 in every case */
    check_two (&p, red, 0.6, blue);
    g_assert_cmpuint (p.crop.left, ==, b->left);
    g_assert_cmpuint (p.crop.right, ==, b->right);
    g_assert_cmpuint (p.crop.top, ==, b->top);
    g_assert_cmpuint (p.crop.bottom, ==, b->bottom);
    g_assert_cmpuint (p.crop.width, ==, W);
    g_assert_cmpuint (p.crop.height, ==, H);
    /* the fingerprint has no black either */
    g_assert_cmpuint (palette_analyzer_n_fingerprint (a), ==, 40);
    for (f = 0; f < 40; f += 13) {
      PaletteFingerprintEntry e;
      g_assert_true (palette_analyzer_get_fingerprint (a, f, &e));
      g_assert_cmpuint (e.n_colors, ==, 2);
      g_assert_cmpfloat (fabs (e.colors[0].weight - 0.6), <, 1e-6);
    }
    palette_analyzer_free (a);
  }
  g_rand_free (rand);
}

/* crop_borders off: the bars are colors like any other */
static void
test_bars_kept (void)
{
  Bars b = { 0, 0, 15, 15, 0 };
  uint8_t *frame = make_frame (&b, red, red, 100, NULL);
  PaletteAnalyzer *a = analyzer_with (0, 0);
  PalettePalette p;
  unsigned i = 0;

  add_frames (a, frame, 10, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  check_two (&p, red, 60.0 / 90, black);
  g_assert_cmpuint (p.crop.width, ==, 0);
  g_assert_cmpuint (p.crop.top + p.crop.bottom, ==, 0);
  palette_analyzer_free (a);
  g_free (frame);
}

/* Frames black all over (a fade) do not decide the crop: a film that
 * fades to black is not cropped to nothing, and its black stays; a
 * letterboxed one keeps its crop through the fade. */
static void
test_fade_to_black (void)
{
  Bars none = { 0, 0, 0, 0, 0 }, letterbox = { 0, 0, 12, 12, 0 };
  uint8_t *picture = make_frame (&none, red, blue, 50, NULL);
  uint8_t *dark = make_frame (&none, black, black, 100, NULL);
  uint8_t *boxed = make_frame (&letterbox, red, blue, 50, NULL);
  PaletteAnalyzer *a = analyzer_with (1, 0);
  PalettePalette p;
  unsigned i = 0;

  /* black first (an opening fade), the picture, black again */
  add_frames (a, dark, 5, &i);
  add_frames (a, picture, 20, &i);
  add_frames (a, dark, 15, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.width, ==, 0);
  g_assert_cmpint (p.n_colors, ==, 3);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, black), <, 0.01);
  g_assert_cmpfloat (fabs (p.colors[0].weight - 0.5), <, 1e-9);
  g_assert_cmpfloat (fabs (p.colors[1].weight - 0.25), <, 1e-9);

  /* only black: one color, no crop */
  palette_analyzer_reset (a);
  i = 0;
  add_frames (a, dark, 8, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpint (p.n_colors, ==, 1);
  g_assert_cmpuint (p.crop.width, ==, 0);

  /* letterboxed with a fade: the crop stays, the fade's picture area is
   * black's share: 15 of 35 frames */
  palette_analyzer_reset (a);
  i = 0;
  add_frames (a, boxed, 20, &i);
  add_frames (a, dark, 15, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.top, ==, 12);
  g_assert_cmpuint (p.crop.bottom, ==, 12);
  g_assert_cmpint (p.n_colors, ==, 3);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, black), <, 0.01);
  g_assert_cmpfloat (fabs (p.colors[0].weight - 15.0 / 35), <, 1e-9);
  g_assert_cmpfloat (fabs (p.colors[1].weight - 10.0 / 35), <, 1e-9);
  palette_analyzer_free (a);
  g_free (picture);
  g_free (dark);
  g_free (boxed);
}

/* A dark picture edge on some frames (a night sky) is not a bar: a film
 * whose first quarter has a dark top keeps it, share for share, and its
 * frames seen before the crop settled are put right. */
static void
test_dark_edge_is_picture (void)
{
  Bars none = { 0, 0, 0, 0, 0 };
  uint8_t *plain = make_frame (&none, red, blue, 50, NULL);
  uint8_t *sky = g_memdup2 (plain, W * H * 3);
  PaletteAnalyzer *a = analyzer_with (1, 0);
  PalettePalette p;
  unsigned i = 0, x, y;

  for (y = 0; y < 18; y++)
    for (x = 0; x < W; x++)
      memcpy (sky + (y * W + x) * 3, night, 3);
  add_frames (a, sky, 10, &i);
  add_frames (a, plain, 30, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.width, ==, 0);
  g_assert_cmpint (p.n_colors, ==, 3);
  /* the sky: 18 of 90 rows on 10 of 40 frames */
  g_assert_cmpfloat (delta_e8 (p.colors[2].rgb, night), <, 0.01);
  g_assert_cmpfloat (fabs (p.colors[2].weight - 0.05), <, 1e-9);
  palette_analyzer_free (a);
  g_free (plain);
  g_free (sky);
}

/* A few frames reaching into the bar (subtitles, 1 in 25) do not undo
 * the crop; their bright pixels stay in the palette. */
static void
test_subtitles_in_bar (void)
{
  Bars b = { 0, 0, 12, 12, 0 };
  uint8_t *boxed = make_frame (&b, red, blue, 50, NULL);
  uint8_t *subtitled = g_memdup2 (boxed, W * H * 3);
  PaletteAnalyzer *a = analyzer_with (1, 0);
  PalettePalette p;
  unsigned i = 0, x, y;

  for (y = H - 8; y < H - 4; y++)
    for (x = 40; x < 120; x++)
      memset (subtitled + (y * W + x) * 3, 240, 3);
  add_frames (a, boxed, 24, &i);
  add_frames (a, subtitled, 1, &i);
  add_frames (a, boxed, 24, &i);
  add_frames (a, subtitled, 1, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.top, ==, 12);
  g_assert_cmpuint (p.crop.bottom, ==, 12);
  g_assert_cmpint (p.n_colors, ==, 3);
  palette_analyzer_free (a);
  g_free (boxed);
  g_free (subtitled);
}

/* Titles on black (credits) do not vote: a clip that is mostly credits
 * keeps their black, and is not cropped to their text. */
static void
test_titles_on_black (void)
{
  Bars none = { 0, 0, 0, 0, 0 };
  uint8_t *picture = make_frame (&none, red, blue, 50, NULL);
  uint8_t *title = make_frame (&none, black, black, 100, NULL);
  PaletteAnalyzer *a = analyzer_with (1, 0);
  PalettePalette p;
  unsigned i = 0, x, y;

  /* a white line of text, 80 x 6, in the middle */
  for (y = 42; y < 48; y++)
    for (x = 40; x < 120; x++)
      memset (title + (y * W + x) * 3, 250, 3);
  add_frames (a, picture, 5, &i);
  add_frames (a, title, 95, &i);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.width, ==, 0);
  g_assert_cmpint (p.n_colors, ==, 4);
  g_assert_cmpfloat (delta_e8 (p.colors[0].rgb, black), <, 0.01);
  g_assert_cmpfloat (fabs (p.colors[0].weight - 95.0 * (W * H - 480) / (100.0 * W * H)),
      <, 1e-9);
  palette_analyzer_free (a);
  g_free (picture);
  g_free (title);
}

/* With a window (live), the bars are left out as frames come, and memory
 * stays bounded: no ledger is kept. */
static void
test_window (void)
{
  Bars b = { 20, 20, 0, 0, 0 };
  uint8_t *frame = make_frame (&b, red, blue, 60, NULL);
  PaletteAnalyzer *a = analyzer_with (1, 40 * FRAME_NS);
  PaletteAnalyzer *film = analyzer_with (1, 0);
  PalettePalette p;
  unsigned i = 0, j = 0;
  size_t memory;

  add_frames (a, frame, 200, &i);
  add_frames (film, frame, 1, &j);
  g_assert_cmpint (palette_analyzer_get_palette (a, &p), ==, PALETTE_OK);
  g_assert_cmpuint (p.crop.left, ==, 20);
  g_assert_cmpuint (p.crop.right, ==, 20);
  g_assert_cmpint (p.n_colors, ==, 2);
  g_assert_cmpfloat (fabs (p.colors[0].weight - 0.6), <, 1e-9);
  memory = palette_analyzer_memory (a);
  add_frames (a, frame, 2000, &i);
  g_assert_cmpuint (palette_analyzer_memory (a), ==, memory);
  /* the whole film's ledger is much more than the window's */
  g_assert_cmpuint (palette_analyzer_memory (film), >, memory + 300 * 1024);
  palette_analyzer_free (a);
  palette_analyzer_free (film);
  g_free (frame);
}

/* Frames without bars give the same palette, byte for byte, as without
 * the stage. */
static void
test_no_bars_unchanged (void)
{
  Bars none = { 0, 0, 0, 0, 0 };
  GRand *rand = g_rand_new_with_seed (3);
  PaletteAnalyzer *on = analyzer_with (1, 0), *off = analyzer_with (0, 0);
  PalettePalette p_on, p_off;
  unsigned i = 0, j = 0, f, x;

  for (f = 0; f < 30; f++) {
    uint8_t *frame = make_frame (&none, red, blue, 30 + f, NULL);
    for (x = 0; x < W * H * 3; x++)
      frame[x] = (uint8_t) CLAMP (frame[x] + g_rand_int_range (rand, -30, 31), 0, 255);
    add_frames (on, frame, 1, &i);
    add_frames (off, frame, 1, &j);
    g_free (frame);
  }
  g_assert_cmpint (palette_analyzer_get_palette (on, &p_on), ==, PALETTE_OK);
  g_assert_cmpint (palette_analyzer_get_palette (off, &p_off), ==, PALETTE_OK);
  g_assert_cmpuint (p_on.crop.width, ==, 0);
  g_assert_cmpint (memcmp (&p_on, &p_off, sizeof (p_on)), ==, 0);
  palette_analyzer_free (on);
  palette_analyzer_free (off);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/borders/left-out", test_bars_left_out);
  g_test_add_func ("/engine/borders/kept", test_bars_kept);
  g_test_add_func ("/engine/borders/fade-to-black", test_fade_to_black);
  g_test_add_func ("/engine/borders/dark-edge-is-picture", test_dark_edge_is_picture);
  g_test_add_func ("/engine/borders/subtitles-in-bar", test_subtitles_in_bar);
  g_test_add_func ("/engine/borders/titles-on-black", test_titles_on_black);
  g_test_add_func ("/engine/borders/window", test_window);
  g_test_add_func ("/engine/borders/no-bars-unchanged", test_no_bars_unchanged);
  return g_test_run ();
}
