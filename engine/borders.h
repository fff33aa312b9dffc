/* gst-palette color engine, internal: a film's constant borders (letterbox
 * and pillarbox bars), found as ffmpeg's cropdetect finds them, and the
 * bar pixels taken back out of the film histogram once they are known.
 *
 * Each frame's dark border is measured: on each side, the rows (columns)
 * whose mean luma is at most 24 with at most 1 pixel in 20 above 48 (near
 * black and noise are bars too). Frames whose picture inside that border is
 * under a quarter of the frame (black all over: fades, titles on black) do
 * not vote. The film's crop on each side is the widest that 95 % of the
 * voting frames have: a few frames with a picture reaching the edge (or
 * subtitles in the bar) do not undo it, and a dark scene cannot widen it.
 * Each side is at most a third of the frame.
 *
 * The crop is known only after many frames, but the film histogram took
 * every frame whole: so each frame's dark pixels (each channel below 32,
 * the 64 darkest histogram bins) within its own dark border or the crop so
 * far (and the outer third of each side) are also kept per row and per
 * column (the ledger), and the rows and columns of the crop are subtracted,
 * bin by bin, from a copy of the film histogram when a palette is made. A ledger line only ever holds pixels of its own row
 * (column), so nothing of the picture inside the crop is ever subtracted.
 * A pixel in both a row zone and a column zone (a corner) goes to its row
 * when the crop known so far covers that row, else to its column: exact once
 * the crop has settled (letterbox, pillarbox or both); before, a few corner
 * pixels of the first frames can stay. Bar pixels brighter than the 64 bins
 * stay too (specks of noise).
 *
 * Memory: 2.3 KiB per ledger line, 2/3 (width + height) lines: 380 KiB at
 * 160x90; the ledger is only kept for window 0 (with a window there is no
 * film histogram: each frame's bars are left out as it comes, by the crop
 * known so far, and the votes are halved past 512 so that the crop follows
 * the stream). Frames of another size than the first are not cropped. Not
 * part of the public API (analyzer.h is); not thread-safe. */
#ifndef PALETTE_BORDERS_H
#define PALETTE_BORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "histogram.h"

typedef struct _PaletteBorders PaletteBorders;

/* ledger: keep the dark pixels per line (window 0: the film histogram is to
 * be corrected), or only measure and vote (with a window). NULL when memory
 * ran out. */
PaletteBorders *palette_borders_new (int ledger);
void palette_borders_free (PaletteBorders *borders);        /* NULL-safe */
void palette_borders_reset (PaletteBorders *borders);

/* Measures a frame (layout as palette_histogram_add_rgb), votes, fills the
 * ledger; *exclude receives the border to leave out of this frame's own
 * histograms (batch, fingerprint): the crop known so far, within the frame's
 * own dark border, so no picture of this frame is left out. Returns
 * PALETTE_OUT_OF_MEMORY when the ledger could not be allocated (first frame
 * only; the frame is then not cropped and the borders stay unknown). */
PaletteStatus palette_borders_add_frame (PaletteBorders *borders, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride,
    PaletteCrop *exclude);

/* The film's crop so far (zero when none, or no frame voted); returns 0 when
 * there is none. */
int palette_borders_crop (const PaletteBorders *borders, PaletteCrop *crop);

/* hist (the film histogram, which took every ledger frame whole) less the
 * dark pixels of crop's rows and columns. */
void palette_borders_subtract (const PaletteBorders *borders, const PaletteCrop *crop,
    PaletteHistogram *hist);

/* Bytes allocated */
size_t palette_borders_memory (const PaletteBorders *borders);

#endif
