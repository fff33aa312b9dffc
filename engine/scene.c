/* gst-palette color engine: the scene score (see scene.h). */
#include "scene.h"

#include <math.h>
#include <stdlib.h>

void
palette_scene_scorer_reset (PaletteSceneScorer *scorer)
{
  scorer->cur = 0;
  scorer->have_prev = 0;
  scorer->prev_mafd = 0.0;
}

/* Averages sx x sy blocks of pixels into small (64 x 36 packed RGB) */
static void
box_average (const uint8_t *pixels, size_t row_stride, unsigned sx, unsigned sy,
    uint8_t *small)
{
  const unsigned n = sx * sy;
  unsigned x, y, dx, dy, c;

  for (y = 0; y < PALETTE_SCENE_HEIGHT; y++) {
    for (x = 0; x < PALETTE_SCENE_WIDTH; x++) {
      for (c = 0; c < 3; c++) {
        unsigned sum = 0;

        for (dy = 0; dy < sy; dy++) {
          const uint8_t *row = pixels + (size_t) (y * sy + dy) * row_stride +
              (size_t) x * sx * 3 + c;

          for (dx = 0; dx < sx; dx++)
            sum += row[dx * 3];
        }
        *small++ = (sum + n / 2) / n;
      }
    }
  }
}

/* Mean absolute difference of two small copies, 0..1 */
static double
mafd (const uint8_t *a, const uint8_t *b)
{
  uint64_t sad = 0;
  size_t i;

  for (i = 0; i < PALETTE_SCENE_SIZE; i++)
    sad += abs ((int) a[i] - (int) b[i]);
  return (double) sad / (PALETTE_SCENE_SIZE * 255.0);
}

PaletteStatus
palette_scene_score (PaletteSceneScorer *scorer, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, double *score_out,
    double *mafd_out)
{
  uint8_t *cur, *prev;
  double d, score;

  if (scorer == NULL || pixels == NULL || width == 0 || height == 0
      || width % PALETTE_SCENE_WIDTH != 0 || height % PALETTE_SCENE_HEIGHT != 0
      || row_stride < (size_t) width * 3)
    return PALETTE_INVALID_ARGUMENT;

  cur = scorer->small[scorer->cur];
  prev = scorer->small[1 - scorer->cur];
  box_average (pixels, row_stride, width / PALETTE_SCENE_WIDTH,
      height / PALETTE_SCENE_HEIGHT, cur);

  if (!scorer->have_prev) {
    /* The first frame opens the first scene */
    d = 0.0;
    score = 1.0;
  } else {
    d = mafd (cur, prev);
    /* steady motion changes every frame by about the same amount, a cut
     * changes one frame much more than the one before */
    {
      double change = fabs (d - scorer->prev_mafd);

      score = d < change ? d : change;
    }
  }

  scorer->prev_mafd = d;
  scorer->have_prev = 1;
  scorer->cur = 1 - scorer->cur;
  if (score_out)
    *score_out = score;
  if (mafd_out)
    *mafd_out = d;
  return PALETTE_OK;
}
