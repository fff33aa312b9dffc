/* gst-palette color engine: a film's constant borders (see borders.h). */
#include "borders.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

/* A line is dark when its mean luma is at most DARK_MEAN (ffmpeg's
 * cropdetect limit, 24) and at most 1 pixel in BRIGHT_RATIO is above
 * BRIGHT_LEVEL: near black and noise pass, a dim picture line rarely does
 * on most frames. */
#define DARK_MEAN 24
#define BRIGHT_LEVEL 48
#define BRIGHT_RATIO 20
/* The crop on a side is the widest that VOTE_NUM / VOTE_DEN of the voting
 * frames have. */
#define VOTE_NUM 19
#define VOTE_DEN 20
/* A frame votes when its picture inside its dark border is at least 1 /
 * PICTURE_RATIO of it: black all over (fades, titles on black) does not. */
#define PICTURE_RATIO 4
/* Each side's crop is at most 1 / ZONE_RATIO of the frame. */
#define ZONE_RATIO 3
/* Pixels with every channel below this are kept in the ledger: the
 * histogram's 5-bit bins 0..3 of each channel, 64 bins. */
#define DARK_CHANNEL 32
#define DARK_BINS 64
#define DARK_LEVELS 32
/* With a window the votes are halved past this many, so that the crop
 * follows a live stream and the counts stay bounded. */
#define WINDOW_VOTES 512

enum { SIDE_LEFT, SIDE_RIGHT, SIDE_TOP, SIDE_BOTTOM, N_SIDES };

/* The dark pixels one row or column of the zones took, over all frames. */
typedef struct {
  uint64_t count[DARK_BINS];
  uint64_t sum[DARK_BINS][3];
  uint64_t luma[DARK_LEVELS];
  uint64_t saturation_sum;
} Line;

struct _PaletteBorders {
  int ledger;
  unsigned width, height;       /* the first frame's size; 0: none yet */
  unsigned zone[N_SIDES];       /* widest crop of each side */
  uint64_t *votes[N_SIDES];     /* votes[s][c]: frames whose dark border on
                                 * side s is c (at most zone[s]) */
  uint64_t n_votes[N_SIDES];
  Line *lines;                  /* top rows, bottom rows, left columns, right
                                 * columns, each from the edge inwards */
  unsigned crop[N_SIDES];       /* the crop from the votes so far */
};

PaletteBorders *
palette_borders_new (int ledger)
{
  PaletteBorders *b = calloc (1, sizeof (PaletteBorders));

  if (b)
    b->ledger = ledger;
  return b;
}

static void
free_geometry (PaletteBorders *b)
{
  unsigned s;

  for (s = 0; s < N_SIDES; s++) {
    free (b->votes[s]);
    b->votes[s] = NULL;
    b->n_votes[s] = 0;
    b->crop[s] = 0;
  }
  free (b->lines);
  b->lines = NULL;
  b->width = b->height = 0;
}

void
palette_borders_free (PaletteBorders *borders)
{
  if (!borders)
    return;
  free_geometry (borders);
  free (borders);
}

void
palette_borders_reset (PaletteBorders *borders)
{
  if (borders)
    free_geometry (borders);
}

static size_t
n_lines (const PaletteBorders *b)
{
  return (size_t) b->zone[SIDE_LEFT] + b->zone[SIDE_RIGHT] + b->zone[SIDE_TOP]
      + b->zone[SIDE_BOTTOM];
}

/* Sets up the votes and ledger for frames of width x height. */
static int
init_geometry (PaletteBorders *b, unsigned width, unsigned height)
{
  unsigned s;

  b->zone[SIDE_LEFT] = b->zone[SIDE_RIGHT] = width / ZONE_RATIO;
  b->zone[SIDE_TOP] = b->zone[SIDE_BOTTOM] = height / ZONE_RATIO;
  for (s = 0; s < N_SIDES; s++) {
    /* through the analyzer's allocator, so a test can make it fail */
    if (!palette_engine_resize ((void **) &b->votes[s], (b->zone[s] + 1) * sizeof (uint64_t)))
      goto failed;
    memset (b->votes[s], 0, (b->zone[s] + 1) * sizeof (uint64_t));
  }
  if (b->ledger && n_lines (b) > 0) {
    if (!palette_engine_resize ((void **) &b->lines, n_lines (b) * sizeof (Line)))
      goto failed;
    memset (b->lines, 0, n_lines (b) * sizeof (Line));
  }
  b->width = width;
  b->height = height;
  return 1;

failed:
  free_geometry (b);
  return 0;
}

/* Whether the n pixels from p, step bytes apart, are a dark line. */
static int
line_is_dark (const uint8_t *p, size_t step, unsigned n)
{
  unsigned i, bright = 0;
  uint64_t sum = 0;

  for (i = 0; i < n; i++, p += step) {
    unsigned luma = palette_luma8_inline (p[0], p[1], p[2]);
    sum += luma;
    bright += luma > BRIGHT_LEVEL;
  }
  return sum <= (uint64_t) DARK_MEAN * n && bright * BRIGHT_RATIO <= n;
}

/* The frame's dark border (uncapped); returns 0 when every row is dark.
 * Only the lines up to the first lit one on each side are read. */
static int
measure (const uint8_t *pixels, unsigned w, unsigned h, size_t row_stride,
    unsigned pixel_stride, unsigned border[N_SIDES])
{
  unsigned t = 0, bo = 0, l = 0, r = 0;
  const uint8_t *middle;

  while (t < h && line_is_dark (pixels + t * row_stride, pixel_stride, w))
    t++;
  if (t == h)
    return 0;
  while (bo < h - t && line_is_dark (pixels + (h - 1 - bo) * row_stride, pixel_stride, w))
    bo++;
  /* columns within the picture rows, so bars above and below do not count */
  middle = pixels + t * row_stride;
  while (l < w && line_is_dark (middle + (size_t) l * pixel_stride, row_stride, h - t - bo))
    l++;
  while (r < w - l && line_is_dark (middle + (size_t) (w - 1 - r) * pixel_stride,
          row_stride, h - t - bo))
    r++;
  border[SIDE_LEFT] = l;
  border[SIDE_RIGHT] = r;
  border[SIDE_TOP] = t;
  border[SIDE_BOTTOM] = bo;
  return 1;
}

/* The widest crop of side s that VOTE_NUM / VOTE_DEN of the votes have. */
static unsigned
side_crop (const PaletteBorders *b, unsigned s)
{
  uint64_t at_least = 0;
  unsigned c;

  if (b->n_votes[s] == 0)
    return 0;
  for (c = b->zone[s]; c > 0; c--) {
    at_least += b->votes[s][c];
    if (at_least * VOTE_DEN >= b->n_votes[s] * VOTE_NUM)
      return c;
  }
  return 0;
}

static void
vote (PaletteBorders *b, const unsigned border[N_SIDES])
{
  unsigned s, c;

  for (s = 0; s < N_SIDES; s++) {
    b->votes[s][border[s] < b->zone[s] ? border[s] : b->zone[s]]++;
    if (++b->n_votes[s] > WINDOW_VOTES && !b->ledger) {
      b->n_votes[s] = 0;
      for (c = 0; c <= b->zone[s]; c++) {
        b->votes[s][c] /= 2;
        b->n_votes[s] += b->votes[s][c];
      }
    }
    b->crop[s] = side_crop (b, s);
  }
}

static inline void
ledger_add (Line *line, unsigned r, unsigned g, unsigned b)
{
  unsigned bin = (r >> 3) << 4 | (g >> 3) << 2 | (b >> 3);

  line->count[bin]++;
  line->sum[bin][0] += r;
  line->sum[bin][1] += g;
  line->sum[bin][2] += b;
  line->luma[palette_luma8_inline (r, g, b)]++;
  line->saturation_sum += palette_saturation8_inline (r, g, b);
}

/* The frame's dark pixels within its own dark border or the crop so far
 * (and the zones) into their lines: elsewhere they are this frame's picture
 * (not reading the rest of the frame is most of the saving). A corner pixel,
 * in a row and a column of the border, goes to its row when the crop so far
 * covers that row (or, before any vote: letterboxes are the common case),
 * else to its column. */
static void
fill_ledger (PaletteBorders *b, const uint8_t *pixels, size_t row_stride,
    unsigned pixel_stride, const unsigned border[N_SIDES])
{
  unsigned w = b->width, h = b->height, x, y, s, band[N_SIDES];
  int voted = b->n_votes[SIDE_TOP] > 0;
  Line *rows_bottom = b->lines + b->zone[SIDE_TOP];
  Line *cols_left = rows_bottom + b->zone[SIDE_BOTTOM];
  Line *cols_right = cols_left + b->zone[SIDE_LEFT];

  for (s = 0; s < N_SIDES; s++) {
    band[s] = border[s] > b->crop[s] ? border[s] : b->crop[s];
    band[s] = band[s] < b->zone[s] ? band[s] : b->zone[s];
  }
  for (y = 0; y < h; y++) {
    const uint8_t *row = pixels + (size_t) y * row_stride;
    Line *row_line = NULL;
    int row_first = 0;

    if (y < band[SIDE_TOP]) {
      row_line = &b->lines[y];
      row_first = !voted || y < b->crop[SIDE_TOP];
    } else if (h - 1 - y < band[SIDE_BOTTOM]) {
      row_line = &rows_bottom[h - 1 - y];
      row_first = !voted || h - 1 - y < b->crop[SIDE_BOTTOM];
    }
    for (x = 0; x < w; x++) {
      const uint8_t *p;
      Line *line;

      /* outside the border's rows: only its columns */
      if (!row_line && x == band[SIDE_LEFT] && w - band[SIDE_RIGHT] > x)
        x = w - band[SIDE_RIGHT];
      if (x >= w)
        break;
      p = row + (size_t) x * pixel_stride;
      if ((p[0] | p[1] | p[2]) >= DARK_CHANNEL)
        continue;
      if (row_line && row_first)
        line = row_line;
      else if (x < band[SIDE_LEFT])
        line = &cols_left[x];
      else if (w - 1 - x < band[SIDE_RIGHT])
        line = &cols_right[w - 1 - x];
      else
        line = row_line;
      ledger_add (line, p[0], p[1], p[2]);
    }
  }
}

PaletteStatus
palette_borders_add_frame (PaletteBorders *borders, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride,
    PaletteCrop *exclude)
{
  PaletteBorders *b = borders;
  unsigned border[N_SIDES], s;
  uint64_t picture;
  int lit;

  memset (exclude, 0, sizeof (*exclude));
  if (b->width == 0 && !init_geometry (b, width, height))
    return PALETTE_OUT_OF_MEMORY;
  /* frames of another size: neither measured nor cropped */
  if (width != b->width || height != b->height)
    return PALETTE_OK;
  lit = measure (pixels, width, height, row_stride, pixel_stride, border);
  if (lit) {
    picture = (uint64_t) (width - border[SIDE_LEFT] - border[SIDE_RIGHT])
        * (height - border[SIDE_TOP] - border[SIDE_BOTTOM]);
    if (picture * PICTURE_RATIO >= (uint64_t) width * height)
      vote (b, border);
  } else {
    /* dark all over: the whole frame is its border */
    border[SIDE_LEFT] = border[SIDE_RIGHT] = width;
    border[SIDE_TOP] = border[SIDE_BOTTOM] = height;
  }
  if (b->lines)
    fill_ledger (b, pixels, row_stride, pixel_stride, border);
  for (s = 0; s < N_SIDES; s++) {
    unsigned c = b->crop[s] < border[s] ? b->crop[s] : border[s];
    switch (s) {
      case SIDE_LEFT:
        exclude->left = c;
        break;
      case SIDE_RIGHT:
        exclude->right = c;
        break;
      case SIDE_TOP:
        exclude->top = c;
        break;
      default:
        exclude->bottom = c;
        break;
    }
  }
  exclude->width = width;
  exclude->height = height;
  return PALETTE_OK;
}

int
palette_borders_crop (const PaletteBorders *borders, PaletteCrop *crop)
{
  memset (crop, 0, sizeof (*crop));
  if (!borders || borders->width == 0)
    return 0;
  crop->left = borders->crop[SIDE_LEFT];
  crop->right = borders->crop[SIDE_RIGHT];
  crop->top = borders->crop[SIDE_TOP];
  crop->bottom = borders->crop[SIDE_BOTTOM];
  if (crop->left + crop->right + crop->top + crop->bottom == 0)
    return 0;
  crop->width = borders->width;
  crop->height = borders->height;
  return 1;
}

static void
subtract_line (const Line *line, PaletteHistogram *hist)
{
  unsigned bin;

  for (bin = 0; bin < DARK_BINS; bin++) {
    unsigned index;
    if (line->count[bin] == 0)
      continue;
    /* the ledger's bin holds channels below 32: 2 bits each, as ledger_add packs them */
    index = palette_histogram_bin_of ((bin >> 4) << 3, ((bin >> 2) & 3) << 3, (bin & 3) << 3);
    palette_histogram_take_back (hist, index, line->count[bin], line->sum[bin]);
  }
  palette_histogram_take_back_levels (hist, line->luma, DARK_LEVELS, line->saturation_sum);
}

void
palette_borders_subtract (const PaletteBorders *borders, const PaletteCrop *crop,
    PaletteHistogram *hist)
{
  const PaletteBorders *b = borders;
  const Line *rows_bottom, *cols_left, *cols_right;
  unsigned i;

  if (!b || !b->lines || crop->width != b->width || crop->height != b->height)
    return;
  rows_bottom = b->lines + b->zone[SIDE_TOP];
  cols_left = rows_bottom + b->zone[SIDE_BOTTOM];
  cols_right = cols_left + b->zone[SIDE_LEFT];
  for (i = 0; i < crop->top && i < b->zone[SIDE_TOP]; i++)
    subtract_line (&b->lines[i], hist);
  for (i = 0; i < crop->bottom && i < b->zone[SIDE_BOTTOM]; i++)
    subtract_line (&rows_bottom[i], hist);
  for (i = 0; i < crop->left && i < b->zone[SIDE_LEFT]; i++)
    subtract_line (&cols_left[i], hist);
  for (i = 0; i < crop->right && i < b->zone[SIDE_RIGHT]; i++)
    subtract_line (&cols_right[i], hist);
}

size_t
palette_borders_memory (const PaletteBorders *borders)
{
  const PaletteBorders *b = borders;
  size_t bytes = 0;
  unsigned s;

  if (!b)
    return 0;
  if (b->width) {
    for (s = 0; s < N_SIDES; s++)
      bytes += (b->zone[s] + 1) * sizeof (uint64_t);
    if (b->lines)
      bytes += n_lines (b) * sizeof (Line);
  }
  return bytes;
}
