/* gst-palette color engine: a film's palette from a stream of frames.
 *
 * The analyzer is what palettesink drives: frames (already downscaled to
 * packed 8-bit RGB) go in; it gathers them into the film's histogram and into
 * batches (each clustered), clusters the film histogram into the film's
 * palette (with a window: merges the batch results weighted by pixel count),
 * detects black-and-white films, toned prints included, and keeps the
 * per-frame dominant colors for the fingerprint. Memory is bounded: per batch a few centers (compacted past
 * a few thousand), and per fingerprint sample 8 + 8 x fingerprint_colors bytes
 * (48 for 5 colors). With a window or fingerprint_max, the whole analyzer is
 * bounded however long the stream runs (palette_analyzer_memory measures it).
 * Not thread-safe; one analyzer per stream. */
#ifndef PALETTE_ANALYZER_H
#define PALETTE_ANALYZER_H

#include "colorspace.h"
#include "histogram.h"
#include "kmeans.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What an analyzer call did (as libimagequant's liq_error): a failure is a
 * value the caller must look at, never a silently shorter palette. */
typedef enum {
  PALETTE_OK = 0,
  PALETTE_EMPTY,                /* nothing to describe: no frames were added,
                                 * or none is left in the window */
  PALETTE_INVALID_ARGUMENT,     /* a NULL analyzer, pixels or palette, an empty
                                 * frame or strides too small for it */
  PALETTE_OUT_OF_MEMORY
} PaletteStatus;

/* A short English description of status, for error messages; never NULL. */
const char *palette_status_to_string (PaletteStatus status);

typedef enum {
  PALETTE_BW_AUTO = 0,   /* black-and-white when mean saturation < bw_threshold */
  PALETTE_BW_COLOR,
  PALETTE_BW_GRAY
} PaletteBwMode;

/* How a whole film's palette (window 0) is found. */
typedef enum {
  /* the film histogram's bins clustered directly: k-means then k-medians
   * (kmedians.c), best of 8 seedings; in CIELAB the distances are
   * CIEDE2000's (de2000-warp.c) */
  PALETTE_FILM_KMEDIANS = 0,
  /* the batch centers merged by k-means, then refine_iterations Lloyd
   * passes over the film histogram (the engine's first method; windows
   * always use the merge) */
  PALETTE_FILM_MERGE
} PaletteFilmMethod;

typedef struct {
  unsigned colors;              /* palette size for color films, 1..64 (10) */
  unsigned gray_levels;         /* palette size for black-and-white films, 1..64 (4) */
  PaletteBwMode bw_mode;        /* (auto) */
  double bw_threshold;          /* mean HSV saturation threshold, 0..1 (0.1) */
  unsigned batch_size;          /* frames per batch, >= 1 (32) */
  uint64_t seed;                /* (0) */
  PaletteColorSpace space;      /* clustering space (CIELAB: it scored a lower
                                 * mean CIEDE2000 than OKLab on real clips) */
  unsigned fingerprint_colors;  /* dominant colors kept per frame, 0..16 (5) */
  uint64_t window;              /* > 0: the palette and the fingerprint cover
                                 * only frames whose timestamp is within window
                                 * of the newest (ns); batches then span at most
                                 * window / 4, so a scene change fills the
                                 * palette one window after it */
  unsigned refine_iterations;   /* PALETTE_FILM_MERGE: Lloyd passes over the
                                 * film histogram that polish the merged
                                 * palette (10; 0: none; not used with a
                                 * window) */
  unsigned fingerprint_max;     /* > 0: at most this many fingerprint samples:
                                 * when full, every other sample is
                                 * dropped and later frames are sampled half as
                                 * often, so the samples stay evenly spread
                                 * over the stream (0: one per frame) */
  PaletteFilmMethod film_method;  /* (kmedians) */
  int crop_borders;             /* leave constant black borders (letterbox,
                                 * pillarbox) out of the palette, its shares
                                 * and the fingerprint (borders.h) (1) */
} PaletteAnalyzerParams;

typedef struct _PaletteAnalyzer PaletteAnalyzer;

/* Bars left out of a palette (letterbox, pillarbox), in pixels of the
 * analysed frames, which were width x height; all zero when none. */
typedef struct {
  unsigned left, right, top, bottom;
  unsigned width, height;
} PaletteCrop;

typedef struct {
  unsigned n_colors;
  PaletteColor colors[64];      /* sRGB 0..255 unrounded; weight = share, sums to 1;
                                 * heaviest first */
  int black_and_white;
  double mean_saturation;       /* over all analysed pixels (0..1) */
  uint64_t frames;              /* frames analysed */
  PaletteCrop crop;             /* the borders left out (crop_borders) */
} PalettePalette;

/* One sampled frame's dominant colors (seed 001's fingerprint bar). Stored
 * compactly (8-bit colors, float shares); this is the unpacked copy. */
typedef struct {
  uint64_t timestamp;           /* ns, as given to add_frame */
  unsigned n_colors;            /* <= fingerprint_colors */
  PaletteColor colors[16];      /* rgb rounded to integers; weight = share of
                                 * the frame, heaviest first */
} PaletteFingerprintEntry;

void palette_analyzer_params_init (PaletteAnalyzerParams *params);   /* the defaults above */

/* NULL when params are out of range or memory ran out (no status: there is
 * no analyzer to report on, and the params can be checked beforehand). The
 * params are copied. */
PaletteAnalyzer *palette_analyzer_new (const PaletteAnalyzerParams *params);
void palette_analyzer_free (PaletteAnalyzer *analyzer);              /* NULL-safe */
void palette_analyzer_reset (PaletteAnalyzer *analyzer);             /* forget all frames */

/* Adds one frame of packed 8-bit RGB (see palette_histogram_add_rgb for the
 * layout). timestamp in ns (used for the fingerprint and the window); frames
 * may differ in size. Clusters a batch when batch_size frames are gathered.
 * Returns PALETTE_OK; PALETTE_INVALID_ARGUMENT (frame ignored) on a NULL
 * analyzer or pixels, an empty frame, a pixel_stride below 3 or a row_stride
 * too small for width; PALETTE_OUT_OF_MEMORY when memory ran out. Then no
 * frame added before is lost (a batch that could not be clustered stays open
 * and is clustered with a later frame), but this frame may be missing from
 * the palette or its fingerprint sample may be (palette_analyzer_n_frames
 * tells whether it was counted): treat it as an error. */
PaletteStatus palette_analyzer_add_frame (PaletteAnalyzer *analyzer, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride,
    uint64_t timestamp);

uint64_t palette_analyzer_n_frames (const PaletteAnalyzer *analyzer);

/* The palette of everything added so far (the partial batch included; the
 * analyzer's state is not changed, so it can be called for live updates).
 * Returns PALETTE_OK with at least one color; PALETTE_EMPTY when no frames
 * were added or none is left in the window; PALETTE_INVALID_ARGUMENT on a
 * NULL analyzer or palette; PALETTE_OUT_OF_MEMORY when memory ran out. On any
 * failure palette has n_colors 0. */
PaletteStatus palette_analyzer_get_palette (PaletteAnalyzer *analyzer, PalettePalette *palette);

/* Fingerprint samples held, oldest first (when fingerprint_colors > 0): one
 * per added frame, less the ones that left the window or were thinned out. */
size_t palette_analyzer_n_fingerprint (const PaletteAnalyzer *analyzer);
/* Copies sample index into *entry; returns 0 (entry zeroed) when out of range. */
int palette_analyzer_get_fingerprint (const PaletteAnalyzer *analyzer, size_t index,
    PaletteFingerprintEntry *entry);

/* Bounds the fingerprint to at most max samples from now on, as
 * fingerprint_max does from the start (0: no bound): for a stream found to
 * be live once frames flow. */
void palette_analyzer_limit_fingerprint (PaletteAnalyzer *analyzer, unsigned max);

/* Bytes held by what grows with the stream: batch records, centers and the
 * fingerprint (allocated capacity; the fixed histograms, about 3 MiB, aside).
 * For memory-bound checks. */
size_t palette_analyzer_memory (const PaletteAnalyzer *analyzer);

#ifdef __cplusplus
}
#endif
#endif
