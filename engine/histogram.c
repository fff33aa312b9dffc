/* gst-palette color engine: a weighted color histogram.
 *
 * 5 bits per channel (32768 bins). Each bin keeps its pixel count and exact
 * 64-bit sums of R, G and B, so bin means are exact. A bitmap of non-empty
 * bins makes clear, merge and enumeration cost O(used bins + 512) rather than
 * O(32768), and enumerates in bin order, which keeps results deterministic. */
#include "histogram.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

#define BIN_BITS 5
#define N_BINS (1u << (3 * BIN_BITS))
#define N_WORDS (N_BINS / 64)

typedef struct {
  uint64_t count, r, g, b;
} Bin;

struct _PaletteHistogram {
  Bin bins[N_BINS];
  uint64_t used[N_WORDS];       /* bit set: bin may be non-empty */
  uint64_t luma[256];
  uint64_t n_pixels;
  uint64_t saturation_sum;      /* sum of OpenCV's 0..255 S values */
};

PaletteHistogram *
palette_histogram_new (void)
{
  return calloc (1, sizeof (PaletteHistogram));
}

void
palette_histogram_free (PaletteHistogram *hist)
{
  free (hist);
}

void
palette_histogram_clear (PaletteHistogram *hist)
{
  unsigned w;

  if (!hist)
    return;
  for (w = 0; w < N_WORDS; w++) {
    uint64_t bits = hist->used[w];
    while (bits) {
      unsigned bin = w * 64 + (unsigned) __builtin_ctzll (bits);
      bits &= bits - 1;
      memset (&hist->bins[bin], 0, sizeof (Bin));
    }
    hist->used[w] = 0;
  }
  memset (hist->luma, 0, sizeof (hist->luma));
  hist->n_pixels = 0;
  hist->saturation_sum = 0;
}

PaletteHistogram *
palette_histogram_copy (const PaletteHistogram *hist)
{
  PaletteHistogram *copy;

  if (!hist)
    return NULL;
  copy = malloc (sizeof (PaletteHistogram));
  if (copy)
    memcpy (copy, hist, sizeof (PaletteHistogram));
  return copy;
}

void
palette_histogram_add_rgb (PaletteHistogram *hist, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride)
{
  Bin *bins;
  uint64_t *used, *luma;
  uint64_t saturation_sum = 0;
  unsigned x, y;

  if (!hist || !pixels || width == 0 || height == 0 || pixel_stride < 3)
    return;
  bins = hist->bins;
  used = hist->used;
  luma = hist->luma;

  for (y = 0; y < height; y++) {
    const uint8_t *p = pixels + y * row_stride;
    for (x = 0; x < width; x++, p += pixel_stride) {
      unsigned r = p[0], g = p[1], b = p[2];
      unsigned index = palette_histogram_bin_of (r, g, b);
      Bin *bin = &bins[index];

      bin->count++;
      bin->r += r;
      bin->g += g;
      bin->b += b;
      used[index >> 6] |= 1ull << (index & 63);
      luma[palette_luma8_inline (r, g, b)]++;
      saturation_sum += palette_saturation8_inline (r, g, b);
    }
  }
  hist->n_pixels += (uint64_t) width * height;
  hist->saturation_sum += saturation_sum;
}

void
palette_histogram_add_histogram (PaletteHistogram *dst, const PaletteHistogram *src)
{
  unsigned w, i;

  if (!dst || !src)
    return;
  for (w = 0; w < N_WORDS; w++) {
    uint64_t bits = src->used[w];
    dst->used[w] |= bits;
    while (bits) {
      unsigned bin = w * 64 + (unsigned) __builtin_ctzll (bits);
      bits &= bits - 1;
      dst->bins[bin].count += src->bins[bin].count;
      dst->bins[bin].r += src->bins[bin].r;
      dst->bins[bin].g += src->bins[bin].g;
      dst->bins[bin].b += src->bins[bin].b;
    }
  }
  for (i = 0; i < 256; i++)
    dst->luma[i] += src->luma[i];
  dst->n_pixels += src->n_pixels;
  dst->saturation_sum += src->saturation_sum;
}

void
palette_histogram_subtract_histogram (PaletteHistogram *dst, const PaletteHistogram *src)
{
  unsigned w, i;

  if (!dst || !src)
    return;
  for (w = 0; w < N_WORDS; w++) {
    uint64_t bits = src->used[w];
    while (bits) {
      unsigned bin = w * 64 + (unsigned) __builtin_ctzll (bits);
      Bin *d = &dst->bins[bin];
      bits &= bits - 1;
      d->count -= src->bins[bin].count;
      d->r -= src->bins[bin].r;
      d->g -= src->bins[bin].g;
      d->b -= src->bins[bin].b;
      if (d->count == 0)
        dst->used[w] &= ~(1ull << (bin & 63));
    }
  }
  for (i = 0; i < 256; i++)
    dst->luma[i] -= src->luma[i];
  dst->n_pixels -= src->n_pixels;
  dst->saturation_sum -= src->saturation_sum;
}

void
palette_histogram_take_back (PaletteHistogram *hist, unsigned index, uint64_t count,
    const uint64_t sum[3])
{
  Bin *d;

  if (!hist || index >= N_BINS)
    return;
  d = &hist->bins[index];
  d->count -= count;
  d->r -= sum[0];
  d->g -= sum[1];
  d->b -= sum[2];
  if (d->count == 0)
    hist->used[index >> 6] &= ~(1ull << (index & 63));
  hist->n_pixels -= count;
}

void
palette_histogram_take_back_levels (PaletteHistogram *hist, const uint64_t *luma,
    unsigned n_levels, uint64_t saturation_sum)
{
  unsigned i;

  if (!hist || !luma)
    return;
  for (i = 0; i < n_levels && i < 256; i++)
    hist->luma[i] -= luma[i];
  hist->saturation_sum -= saturation_sum;
}

uint64_t
palette_histogram_n_pixels (const PaletteHistogram *hist)
{
  return hist ? hist->n_pixels : 0;
}

size_t
palette_histogram_n_bins (const PaletteHistogram *hist)
{
  size_t n = 0;
  unsigned w;

  if (!hist)
    return 0;
  /* a bin is marked when a pixel lands in it and unmarked only when emptied */
  for (w = 0; w < N_WORDS; w++)
    n += (size_t) __builtin_popcountll (hist->used[w]);
  return n;
}

double
palette_histogram_mean_saturation (const PaletteHistogram *hist)
{
  if (!hist || hist->n_pixels == 0)
    return 0;
  return (double) hist->saturation_sum / (255.0 * (double) hist->n_pixels);
}

uint64_t
palette_histogram_saturation_sum (const PaletteHistogram *hist)
{
  return hist ? hist->saturation_sum : 0;
}

const uint64_t *
palette_histogram_luma (const PaletteHistogram *hist)
{
  return hist ? hist->luma : NULL;
}

size_t
palette_histogram_get_colors (const PaletteHistogram *hist,
    PaletteColor *colors, size_t max_colors)
{
  size_t n = 0;
  unsigned w;

  if (!hist || !colors)
    return 0;
  for (w = 0; w < N_WORDS && n < max_colors; w++) {
    uint64_t bits = hist->used[w];
    while (bits && n < max_colors) {
      unsigned bin = w * 64 + (unsigned) __builtin_ctzll (bits);
      const Bin *b = &hist->bins[bin];
      double count = (double) b->count;
      bits &= bits - 1;
      colors[n].rgb[0] = (double) b->r / count;
      colors[n].rgb[1] = (double) b->g / count;
      colors[n].rgb[2] = (double) b->b / count;
      colors[n].weight = count;
      n++;
    }
  }
  return n;
}
