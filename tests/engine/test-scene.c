/* Engine unit tests: the scene score (ffmpeg's min(d, |d - d_prev|)). */
#include <glib.h>
#include <string.h>

#include "palette-engine.h"

/* 256 x 144 packed RGB (4 x 4 samples per pixel of the 64 x 36 copy), with
 * 4 bytes of padding per row so the stride is honoured */
#define W (PALETTE_SCENE_WIDTH * 4)
#define H (PALETTE_SCENE_HEIGHT * 4)
#define STRIDE (W * 3 + 4)

static uint8_t frame[H * STRIDE];

static void
fill (uint8_t value)
{
  memset (frame, value, sizeof frame);
}

static double
score_of (PaletteSceneScorer *scorer)
{
  double score = -1.0;

  g_assert_cmpint (palette_scene_score (scorer, frame, W, H, STRIDE, &score,
          NULL), ==, PALETTE_OK);
  return score;
}

static void
test_first_frame (void)
{
  PaletteSceneScorer scorer;
  double score, mafd;

  palette_scene_scorer_reset (&scorer);
  fill (100);
  g_assert_cmpint (palette_scene_score (&scorer, frame, W, H, STRIDE, &score,
          &mafd), ==, PALETTE_OK);
  g_assert_cmpfloat (score, ==, 1.0);
  g_assert_cmpfloat (mafd, ==, 0.0);
  /* after a reset the next frame is a first frame again */
  g_assert_cmpfloat (score_of (&scorer), ==, 0.0);
  palette_scene_scorer_reset (&scorer);
  g_assert_cmpfloat (score_of (&scorer), ==, 1.0);
}

static void
test_identical_frames (void)
{
  PaletteSceneScorer scorer;
  guint i, x, y;

  palette_scene_scorer_reset (&scorer);
  for (y = 0; y < H; y++)
    for (x = 0; x < W * 3; x++)
      frame[y * STRIDE + x] = (x * 7 + y * 13) & 0xff;
  score_of (&scorer);
  for (i = 0; i < 10; i++)
    g_assert_cmpfloat (score_of (&scorer), ==, 0.0);
}

static void
test_cut_black_to_white (void)
{
  PaletteSceneScorer scorer;
  double score, mafd;

  palette_scene_scorer_reset (&scorer);
  fill (0);
  score_of (&scorer);
  g_assert_cmpfloat (score_of (&scorer), ==, 0.0);
  fill (255);
  g_assert_cmpint (palette_scene_score (&scorer, frame, W, H, STRIDE, &score,
          &mafd), ==, PALETTE_OK);
  g_assert_cmpfloat (mafd, ==, 1.0);
  g_assert_cmpfloat (score, ==, 1.0);
  /* the frame after the cut is steady again */
  g_assert_cmpfloat (score_of (&scorer), ==, 0.0);
  /* a flicker (white, black, white) scores the first change only: the
   * second changes as much as the one before */
  fill (0);
  g_assert_cmpfloat (score_of (&scorer), ==, 1.0);
  fill (255);
  g_assert_cmpfloat (score_of (&scorer), ==, 0.0);
}

/* A fade from black to white over 100 frames: every frame changes by about
 * the same amount, so d is small and |d - d_prev| smaller still */
static void
test_slow_fade (void)
{
  PaletteSceneScorer scorer;
  double max_score = 0.0;
  guint i;

  palette_scene_scorer_reset (&scorer);
  for (i = 0; i <= 100; i++) {
    double score;

    fill ((uint8_t) (i * 255 / 100));
    score = score_of (&scorer);
    if (i > 0)
      max_score = MAX (max_score, score);
  }
  g_assert_cmpfloat (max_score, <, 0.02);
  g_assert_cmpfloat (max_score, <, 0.12);     /* framedecimate's default threshold */
}

static void
test_invalid_arguments (void)
{
  PaletteSceneScorer scorer;
  double score = -1.0;

  palette_scene_scorer_reset (&scorer);
  fill (0);
  g_assert_cmpint (palette_scene_score (NULL, frame, W, H, STRIDE, &score, NULL),
      ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_scene_score (&scorer, NULL, W, H, STRIDE, &score,
          NULL), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_scene_score (&scorer, frame, W - 1, H, STRIDE,
          &score, NULL), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_scene_score (&scorer, frame, W, H + 1, STRIDE,
          &score, NULL), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_scene_score (&scorer, frame, W, H, W * 3 - 1,
          &score, NULL), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpint (palette_scene_score (&scorer, frame, 0, 0, STRIDE,
          &score, NULL), ==, PALETTE_INVALID_ARGUMENT);
  g_assert_cmpfloat (score, ==, -1.0);
  /* the state is unchanged: the next valid frame is still the first */
  g_assert_cmpfloat (score_of (&scorer), ==, 1.0);
  /* the 64 x 36 copy itself is a valid frame */
  g_assert_cmpint (palette_scene_score (&scorer, frame, PALETTE_SCENE_WIDTH,
          PALETTE_SCENE_HEIGHT, PALETTE_SCENE_WIDTH * 3, &score, NULL), ==,
      PALETTE_OK);
  g_assert_cmpfloat (score, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/scene/first-frame", test_first_frame);
  g_test_add_func ("/engine/scene/identical-frames", test_identical_frames);
  g_test_add_func ("/engine/scene/cut-black-to-white", test_cut_black_to_white);
  g_test_add_func ("/engine/scene/slow-fade", test_slow_fade);
  g_test_add_func ("/engine/scene/invalid-arguments", test_invalid_arguments);
  return g_test_run ();
}
