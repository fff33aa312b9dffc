/* gst-palette color engine: the scene score of a stream of frames.
 *
 * ffmpeg's scene score (vf_scdet, select's "scene"): each frame is box-averaged
 * to a PALETTE_SCENE_WIDTH x PALETTE_SCENE_HEIGHT packed RGB copy; d is the
 * mean absolute difference of that copy to the previous frame's (0..1) and
 * the score min(d, |d - d_prev|), which ignores steady motion and slow fades
 * (every frame changes by about the same amount) and keeps cuts (one frame
 * changes much more than the one before). The 64x36 copy averages detail
 * away, so scores are about half of ffmpeg's full-size ones. Memory is fixed
 * (the scorer holds two copies); not thread-safe, one scorer per stream. */
#ifndef PALETTE_SCENE_H
#define PALETTE_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Size of the copy the score is computed on */
#define PALETTE_SCENE_WIDTH 64
#define PALETTE_SCENE_HEIGHT 36
#define PALETTE_SCENE_SIZE (PALETTE_SCENE_WIDTH * PALETTE_SCENE_HEIGHT * 3)

/* The state between frames; embed it and palette_scene_scorer_reset() it. */
typedef struct {
  uint8_t small[2][PALETTE_SCENE_SIZE];
  unsigned cur;                 /* index of the current copy in small */
  int have_prev;                /* a previous frame was scored */
  double prev_mafd;             /* d_prev */
} PaletteSceneScorer;

/* Forgets the previous frame: the next one scores as the first. */
void palette_scene_scorer_reset (PaletteSceneScorer *scorer);

/* Scores one frame of packed 8-bit RGB (3 bytes a pixel), width x height with
 * row_stride bytes per row; width and height must be multiples of
 * PALETTE_SCENE_WIDTH and PALETTE_SCENE_HEIGHT (each pixel of the copy is the
 * rounded mean of a width / 64 x height / 36 block). The first frame after a
 * reset scores 1 with d 0. *score and *mafd (d; either may be NULL) are set on
 * PALETTE_OK; PALETTE_INVALID_ARGUMENT (state unchanged) on a NULL scorer or
 * pixels, a size that is no such multiple or a row_stride below width x 3. */
PaletteStatus palette_scene_score (PaletteSceneScorer *scorer, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, double *score, double *mafd);

#ifdef __cplusplus
}
#endif
#endif
