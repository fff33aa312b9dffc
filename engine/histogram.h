/* gst-palette color engine: a weighted color histogram.
 *
 * Pixels are binned on the top bits of each channel; each bin keeps its pixel
 * count and the exact integer sum of its colors, so the mean color of a bin
 * (and of any cluster of bins) is exact, not the bin's center. The histogram
 * also keeps a 256-level luma histogram and the sum of HSV saturations, which
 * black-and-white detection and gray palettes need. Memory is fixed at
 * creation (about 1 MiB); adding pixels never allocates. */
#ifndef PALETTE_HISTOGRAM_H
#define PALETTE_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _PaletteHistogram PaletteHistogram;

/* A weighted color: a bin mean, a cluster center, a palette entry. */
typedef struct {
  double rgb[3];     /* gamma-encoded sRGB 0..255, unrounded */
  double weight;     /* pixel count, or a share once normalised */
} PaletteColor;

/* The bin of a pixel: the top 5 bits of R, G and B, in that order. */
static inline unsigned
palette_histogram_bin_of (unsigned r, unsigned g, unsigned b)
{
  return (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
}

PaletteHistogram *palette_histogram_new (void);
void palette_histogram_free (PaletteHistogram *hist);                 /* NULL-safe */
void palette_histogram_clear (PaletteHistogram *hist);
PaletteHistogram *palette_histogram_copy (const PaletteHistogram *hist);

/* Adds width x height pixels. pixels points at the first pixel's R byte; G and B
 * follow at +1 and +2; pixel_stride is 3 for RGB, 4 for RGBx; row_stride in bytes. */
void palette_histogram_add_rgb (PaletteHistogram *hist, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride);

/* dst += src (both must come from palette_histogram_new) */
void palette_histogram_add_histogram (PaletteHistogram *dst, const PaletteHistogram *src);
/* dst -= src; src must have been added to dst before (for sliding windows) */
void palette_histogram_subtract_histogram (PaletteHistogram *dst, const PaletteHistogram *src);

/* Takes pixels added before back out (bar pixels found only later): count
 * pixels of bin index (palette_histogram_bin_of) whose
 * channels sum to sum[3]; then their luma counts (levels 0..n_levels - 1)
 * and HSV saturations as add_rgb counted them. */
void palette_histogram_take_back (PaletteHistogram *hist, unsigned index, uint64_t count,
    const uint64_t sum[3]);
void palette_histogram_take_back_levels (PaletteHistogram *hist, const uint64_t *luma,
    unsigned n_levels, uint64_t saturation_sum);

uint64_t palette_histogram_n_pixels (const PaletteHistogram *hist);
size_t palette_histogram_n_bins (const PaletteHistogram *hist);      /* non-empty bins */
double palette_histogram_mean_saturation (const PaletteHistogram *hist);  /* 0..1; 0 if empty */
/* The exact sum of OpenCV's 8-bit S values (0..255 each) over all pixels */
uint64_t palette_histogram_saturation_sum (const PaletteHistogram *hist);
const uint64_t *palette_histogram_luma (const PaletteHistogram *hist);    /* 256 counts */

/* Writes up to max_points non-empty bins as (mean color, pixel count), in bin
 * order (deterministic); returns how many were written. */
size_t palette_histogram_get_colors (const PaletteHistogram *hist,
    PaletteColor *colors, size_t max_colors);

#ifdef __cplusplus
}
#endif
#endif
