/* gst-palette color engine: a film's palette from a stream of frames.
 *
 * Each frame is binned into a histogram (reused), which is added to the
 * current batch's histogram and to the film's. A full batch is clustered into
 * `colors` centers that are kept with their pixel counts (the seed notebook's
 * process_batch). A whole film's palette clusters the film histogram's bins
 * themselves (k-medians in CIELAB warped to CIEDE2000, kmedians.c; issue
 * #19); the former way, a weighted k-means of all batch centers polished by
 * Lloyd iterations over the film's bins, is PALETTE_FILM_MERGE. Black-and-
 * white films (by saturation, or toned prints by their chroma, monochrome.c)
 * get gray levels from the film's luma histogram instead.
 *
 * With a window, a batch also closes once it spans window / 4, and batches
 * whose oldest frame left the window are dropped: the palette then comes from
 * the remaining batch centers, the partial batch's and the batches' own luma
 * histograms and saturation sums (no film histogram), so it describes between
 * 3/4 of the window and the whole window, never older frames. Fingerprint
 * samples that left the window are dropped too.
 *
 * The fingerprint samples (each sampled frame's dominant colors, clustered
 * here) are kept by the fingerprint store, fingerprint.c.
 *
 * Constant black borders (letterbox, pillarbox; borders.c) are left out of
 * each frame's fingerprint and batch as the crop known so far allows, and
 * out of the film histogram, which took the frames whole, when a palette is
 * made: a copy less the bars' dark pixels. */
#include "analyzer.h"
#include "borders.h"
#include "engine-private.h"
#include "de2000-warp.h"
#include "fingerprint.h"
#include "kmedians.h"
#include "monochrome.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Past this many stored batch centers they are clustered down to
 * COMPACT_CENTERS (window 0 only), which bounds memory for any film length. */
#define MAX_CENTERS 4096
#define COMPACT_CENTERS 1024
/* With a window, the oldest batches go past this many (memory bound even
 * when timestamps do not advance). */
#define MAX_WINDOW_BATCHES 256
/* The seed notebook's fingerprint clusters 7 colors and keeps the 5 largest. */
#define FINGERPRINT_MIN_CLUSTERS 7
#define FINGERPRINT_MAX_ITERATIONS 20
/* A frame with more bins than this has them merged into 4 bits a channel
 * for its fingerprint: at most 4096 points to cluster instead of up to 32768
 * (on noisy 1080p frames the sink's cost per frame fell from 2.8 to 1.9 ms),
 * and each cell is still the exact mean of its pixels. */
#define FINGERPRINT_CELLS 4096
#define N_HISTOGRAM_BINS 32768
/* A film histogram with more bins than this is clustered on 4-bit cells
 * first (see cluster_film) */
#define FILM_CELLS 4096

/* What grows with the stream (batch records, centers, the fingerprint, the
 * palette's scratch points) is allocated through this, so that a test can
 * make it fail and check that the failure is reported, not swallowed. */
static void *(*analyzer_realloc) (void *memory, size_t bytes) = realloc;

void
palette_analyzer_set_realloc_for_testing (void *(*reallocator) (void *, size_t))
{
  analyzer_realloc = reallocator ? reallocator : realloc;
}

const char *
palette_status_to_string (PaletteStatus status)
{
  switch (status) {
    case PALETTE_OK:
      return "success";
    case PALETTE_EMPTY:
      return "no frames to describe";
    case PALETTE_INVALID_ARGUMENT:
      return "invalid argument";
    case PALETTE_OUT_OF_MEMORY:
      return "out of memory";
  }
  return "unknown status";
}

typedef struct {
  uint64_t oldest;              /* oldest frame timestamp in the batch */
  uint64_t newest;              /* newest frame timestamp in the batch */
  size_t first_center;          /* into analyzer->centers */
  unsigned n_centers;
  uint64_t n_pixels;            /* these two are used only with a window */
  uint64_t saturation_sum;
} Batch;

/* A batch's luma histogram, kept beside its record only with a window (a
 * film's comes from its own histogram): 2 KiB a batch otherwise spent. */
#define LUMA_LEVELS 256

struct _PaletteAnalyzer {
  PaletteAnalyzerParams params;

  PaletteHistogram *frame;      /* the frame being added */
  PaletteHistogram *batch;      /* frames since the last full batch */
  PaletteHistogram *film;       /* every frame (window 0) */
  PaletteBorders *borders;      /* NULL unless crop_borders */
  PaletteHistogram *cropped_film;       /* film less the bars; made when a
                                         * palette needs it */
  const PaletteHistogram *palette_film;  /* the one the palette describes */
  PaletteColor *bins;           /* N_HISTOGRAM_BINS scratch points */
  PaletteColor *cells;          /* FINGERPRINT_CELLS scratch sums */

  unsigned batch_frames;
  uint64_t batch_oldest;
  uint64_t batch_newest;
  uint64_t n_batches;           /* clustered so far; varies each batch's seed */
  uint64_t n_frames;
  int have_timestamp;
  uint64_t newest;

  Batch *batches;
  size_t n_batch_records, batches_allocated;
  uint64_t *batch_luma;         /* LUMA_LEVELS per record, window only */
  size_t batch_luma_allocated;  /* in records */
  PaletteColor *centers;
  size_t n_centers, centers_allocated;

  PaletteFingerprint fingerprint;
};

void
palette_analyzer_params_init (PaletteAnalyzerParams *params)
{
  if (!params)
    return;
  memset (params, 0, sizeof (*params));
  params->colors = 10;
  params->gray_levels = 4;
  params->bw_mode = PALETTE_BW_AUTO;
  params->bw_threshold = 0.1;
  params->batch_size = 32;
  params->seed = 0;
  /* CIELAB: a lower mean CIEDE2000 than OKLab or RGB on every clip measured
   * (tests/bench/bench-engine --quality) */
  params->space = PALETTE_SPACE_CIELAB;
  params->fingerprint_colors = 5;
  params->window = 0;
  params->refine_iterations = 10;
  params->film_method = PALETTE_FILM_KMEDIANS;
  params->crop_borders = 1;
}

static int
params_valid (const PaletteAnalyzerParams *p)
{
  return p->colors >= 1 && p->colors <= 64 && p->gray_levels >= 1 && p->gray_levels <= 64
      && (p->bw_mode == PALETTE_BW_AUTO || p->bw_mode == PALETTE_BW_COLOR
      || p->bw_mode == PALETTE_BW_GRAY)
      && p->bw_threshold >= 0 && p->bw_threshold <= 1 && p->batch_size >= 1
      && (p->space == PALETTE_SPACE_RGB || p->space == PALETTE_SPACE_OKLAB
      || p->space == PALETTE_SPACE_CIELAB) && p->fingerprint_colors <= 16
      && (p->film_method == PALETTE_FILM_KMEDIANS || p->film_method == PALETTE_FILM_MERGE);
}

PaletteAnalyzer *
palette_analyzer_new (const PaletteAnalyzerParams *params)
{
  PaletteAnalyzer *a;

  if (!params || !params_valid (params))
    return NULL;
  a = calloc (1, sizeof (PaletteAnalyzer));
  if (!a)
    return NULL;
  a->params = *params;
  palette_fingerprint_init (&a->fingerprint, params->fingerprint_colors,
      params->fingerprint_max);
  a->frame = palette_histogram_new ();
  a->batch = palette_histogram_new ();
  a->film = palette_histogram_new ();
  a->bins = malloc (N_HISTOGRAM_BINS * sizeof (PaletteColor));
  a->cells = calloc (FINGERPRINT_CELLS, sizeof (PaletteColor));
  if (params->crop_borders)
    a->borders = palette_borders_new (params->window == 0);
  if (!a->frame || !a->batch || !a->film || !a->bins || !a->cells
      || (params->crop_borders && !a->borders)) {
    palette_analyzer_free (a);
    return NULL;
  }
  return a;
}

void
palette_analyzer_free (PaletteAnalyzer *analyzer)
{
  if (!analyzer)
    return;
  palette_histogram_free (analyzer->frame);
  palette_histogram_free (analyzer->batch);
  palette_histogram_free (analyzer->film);
  palette_histogram_free (analyzer->cropped_film);
  palette_borders_free (analyzer->borders);
  free (analyzer->bins);
  free (analyzer->cells);
  free (analyzer->batches);
  free (analyzer->batch_luma);
  free (analyzer->centers);
  palette_fingerprint_clear (&analyzer->fingerprint);
  free (analyzer);
}

void
palette_analyzer_reset (PaletteAnalyzer *analyzer)
{
  if (!analyzer)
    return;
  palette_histogram_clear (analyzer->frame);
  palette_histogram_clear (analyzer->batch);
  palette_histogram_clear (analyzer->film);
  palette_borders_reset (analyzer->borders);
  analyzer->batch_frames = 0;
  analyzer->batch_oldest = 0;
  analyzer->batch_newest = 0;
  analyzer->n_batches = 0;
  analyzer->n_frames = 0;
  analyzer->have_timestamp = 0;
  analyzer->newest = 0;
  analyzer->n_batch_records = 0;
  analyzer->n_centers = 0;
  palette_fingerprint_reset (&analyzer->fingerprint);
}

uint64_t
palette_analyzer_n_frames (const PaletteAnalyzer *analyzer)
{
  return analyzer ? analyzer->n_frames : 0;
}

size_t
palette_analyzer_n_fingerprint (const PaletteAnalyzer *analyzer)
{
  return analyzer ? palette_fingerprint_n (&analyzer->fingerprint) : 0;
}

int
palette_analyzer_get_fingerprint (const PaletteAnalyzer *analyzer, size_t index,
    PaletteFingerprintEntry *entry)
{
  if (!analyzer) {
    if (entry)
      memset (entry, 0, sizeof (*entry));
    return 0;
  }
  return palette_fingerprint_get (&analyzer->fingerprint, index, entry);
}

void
palette_analyzer_limit_fingerprint (PaletteAnalyzer *analyzer, unsigned max)
{
  if (!analyzer)
    return;
  analyzer->params.fingerprint_max = max;
  palette_fingerprint_set_max (&analyzer->fingerprint, max);
}

size_t
palette_analyzer_memory (const PaletteAnalyzer *analyzer)
{
  const PaletteAnalyzer *a = analyzer;

  if (!a)
    return 0;
  return a->batches_allocated * sizeof (Batch)
      + a->batch_luma_allocated * LUMA_LEVELS * sizeof (uint64_t)
      + a->centers_allocated * sizeof (PaletteColor)
      + palette_fingerprint_memory (&a->fingerprint)
      + palette_borders_memory (a->borders);
}

/* (engine-private.h) */
int
palette_engine_grow (void **array, size_t *allocated, size_t needed, size_t size)
{
  size_t n = *allocated ? *allocated : 16;
  void *grown;

  if (needed <= *allocated)
    return 1;
  while (n < needed)
    n *= 2;
  grown = analyzer_realloc (*array, n * size);
  if (!grown)
    return 0;
  *array = grown;
  *allocated = n;
  return 1;
}

int
palette_engine_resize (void **array, size_t bytes)
{
  void *resized = analyzer_realloc (*array, bytes);

  if (!resized)
    return 0;
  *array = resized;
  return 1;
}

/* A batch-dependent seed: batches are independent draws, yet reproducible. */
static uint64_t
derived_seed (uint64_t seed, uint64_t index)
{
  uint64_t state = seed ^ (index * 0xd1342543de82ef95ull);

  return palette_splitmix64 (&state);
}

/* Clusters hist into *n_centers centers (0 for an empty histogram). */
static PaletteStatus
cluster_histogram (PaletteAnalyzer *a, const PaletteHistogram *hist, unsigned k,
    uint64_t seed, unsigned max_iterations, PaletteColor *centers, unsigned *n_centers)
{
  PaletteKMeansParams kp;
  size_t n = palette_histogram_get_colors (hist, a->bins, N_HISTOGRAM_BINS);

  palette_kmeans_params_init (&kp);
  kp.k = k;
  kp.space = a->params.space;
  kp.seed = seed;
  if (max_iterations)
    kp.max_iterations = max_iterations;
  *n_centers = palette_kmeans (a->bins, n, &kp, centers, NULL);
  /* k-means returns no centers only for no points (every bin has pixels) or
   * when its allocations fail */
  return n > 0 && *n_centers == 0 ? PALETTE_OUT_OF_MEMORY : PALETTE_OK;
}

/* The n colors in a->bins merged into 4-bit cells, written back to a->bins
 * (cell order, so deterministic); returns how many. */
static size_t
merge_cells (PaletteAnalyzer *a, size_t n)
{
  size_t i;
  unsigned c, key;

  for (i = 0; i < n; i++) {
    const PaletteColor *bin = &a->bins[i];
    PaletteColor *cell;

    key = ((unsigned) bin->rgb[0] >> 4) << 8 | ((unsigned) bin->rgb[1] >> 4) << 4
        | ((unsigned) bin->rgb[2] >> 4);
    cell = &a->cells[key & (FINGERPRINT_CELLS - 1)];
    for (c = 0; c < 3; c++)
      cell->rgb[c] += bin->rgb[c] * bin->weight;
    cell->weight += bin->weight;
  }
  n = 0;
  for (key = 0; key < FINGERPRINT_CELLS; key++) {
    PaletteColor *cell = &a->cells[key];
    if (cell->weight <= 0)
      continue;
    for (c = 0; c < 3; c++)
      a->bins[n].rgb[c] = cell->rgb[c] / cell->weight;
    a->bins[n].weight = cell->weight;
    n++;
    memset (cell, 0, sizeof (*cell));
  }
  return n;
}

/* The frame's colors into a->bins, merged into 4-bit cells when there are
 * many; returns how many. */
static size_t
frame_cells (PaletteAnalyzer *a)
{
  size_t n = palette_histogram_get_colors (a->frame, a->bins, N_HISTOGRAM_BINS);

  return n <= FINGERPRINT_CELLS ? n : merge_cells (a, n);
}

static PaletteStatus
add_fingerprint (PaletteAnalyzer *a, uint64_t timestamp)
{
  PaletteColor centers[16];
  unsigned k = a->params.fingerprint_colors, n;
  double pixels = (double) palette_histogram_n_pixels (a->frame);

  if (!palette_fingerprint_wants (&a->fingerprint, a->n_frames))
    return PALETTE_OK;
  if (palette_fingerprint_reserve (&a->fingerprint) != PALETTE_OK)
    return PALETTE_OUT_OF_MEMORY;
  if (k < FINGERPRINT_MIN_CLUSTERS)
    k = FINGERPRINT_MIN_CLUSTERS;
  {
    PaletteKMeansParams kp;
    size_t n_cells = frame_cells (a);

    palette_kmeans_params_init (&kp);
    kp.k = k;
    kp.space = a->params.space;
    kp.seed = derived_seed (a->params.seed, a->n_frames);
    kp.max_iterations = FINGERPRINT_MAX_ITERATIONS;
    n = palette_kmeans (a->bins, n_cells, &kp, centers, NULL);
    /* a frame has pixels: no centers means k-means ran out of memory */
    if (n == 0)
      return PALETTE_OUT_OF_MEMORY;
  }
  palette_fingerprint_append (&a->fingerprint, timestamp, centers, n, pixels);
  return PALETTE_OK;
}

/* Clusters down all stored centers into one record (window 0 only). Left
 * for the next batch when memory runs out: every center is still kept, so
 * nothing is lost, only the memory bound waits. */
static void
compact_centers (PaletteAnalyzer *a)
{
  PaletteKMeansParams kp;
  PaletteColor *merged = analyzer_realloc (NULL, COMPACT_CENTERS * sizeof (PaletteColor));
  unsigned n;
  Batch *record;

  if (!merged)
    return;
  palette_kmeans_params_init (&kp);
  kp.k = COMPACT_CENTERS;
  kp.space = a->params.space;
  kp.seed = derived_seed (a->params.seed, ~a->n_batches);
  kp.max_iterations = 20;
  n = palette_kmeans (a->centers, a->n_centers, &kp, merged, NULL);
  if (n > 0) {
    memcpy (a->centers, merged, n * sizeof (PaletteColor));
    a->n_centers = n;
    record = &a->batches[0];
    record->newest = a->newest;
    record->first_center = 0;
    record->n_centers = n;
    a->n_batch_records = 1;
  }
  free (merged);
}

/* Whether a stored batch has frames that left the window. */
static int
batch_is_old (const PaletteAnalyzer *a, const Batch *b)
{
  return a->newest - b->oldest > a->params.window;
}

/* Forgets batches with frames that left the window, and the oldest past
 * MAX_WINDOW_BATCHES. */
static void
drop_old_batches (PaletteAnalyzer *a)
{
  size_t i, kept = 0, centers_kept = 0, excess = 0;

  if (a->n_batch_records > MAX_WINDOW_BATCHES)
    excess = a->n_batch_records - MAX_WINDOW_BATCHES;
  for (i = 0; i < a->n_batch_records; i++) {
    Batch *b = &a->batches[i];
    if (i < excess || batch_is_old (a, b))
      continue;
    memmove (&a->centers[centers_kept], &a->centers[b->first_center],
        b->n_centers * sizeof (PaletteColor));
    b->first_center = centers_kept;
    centers_kept += b->n_centers;
    if (kept != i) {
      a->batches[kept] = *b;
      memcpy (&a->batch_luma[kept * LUMA_LEVELS], &a->batch_luma[i * LUMA_LEVELS],
          LUMA_LEVELS * sizeof (uint64_t));
    }
    kept++;
  }
  a->n_batch_records = kept;
  a->n_centers = centers_kept;
}

/* Clusters the batch and stores its centers. On failure the analyzer is
 * unchanged: the batch stays open, so its frames are clustered with the
 * next ones rather than lost. */
static PaletteStatus
close_batch (PaletteAnalyzer *a)
{
  PaletteColor centers[64];
  unsigned n, i;
  Batch *record;

  if (cluster_histogram (a, a->batch, a->params.colors,
          derived_seed (a->params.seed, a->n_batches), 0, centers, &n) != PALETTE_OK
      || !palette_engine_grow ((void **) &a->batches, &a->batches_allocated,
          a->n_batch_records + 1, sizeof (Batch))
      || !palette_engine_grow ((void **) &a->centers, &a->centers_allocated,
          a->n_centers + n, sizeof (PaletteColor))
      || (a->params.window > 0
          && !palette_engine_grow ((void **) &a->batch_luma, &a->batch_luma_allocated,
              a->n_batch_records + 1, LUMA_LEVELS * sizeof (uint64_t))))
    return PALETTE_OUT_OF_MEMORY;
  a->n_batches++;
  if (a->params.window > 0)
    memcpy (&a->batch_luma[a->n_batch_records * LUMA_LEVELS],
        palette_histogram_luma (a->batch), LUMA_LEVELS * sizeof (uint64_t));
  record = &a->batches[a->n_batch_records++];
  record->oldest = a->batch_oldest;
  record->newest = a->batch_newest;
  record->first_center = a->n_centers;
  record->n_centers = n;
  record->n_pixels = palette_histogram_n_pixels (a->batch);
  record->saturation_sum = palette_histogram_saturation_sum (a->batch);
  for (i = 0; i < n; i++)
    a->centers[a->n_centers++] = centers[i];

  palette_histogram_clear (a->batch);
  a->batch_frames = 0;
  a->batch_oldest = 0;
  a->batch_newest = 0;

  if (a->params.window > 0)
    drop_old_batches (a);
  else if (a->n_centers > MAX_CENTERS)
    compact_centers (a);
  return PALETTE_OK;
}

/* The frame's pixels outside exclude's rectangle into hist. */
static void
add_border (PaletteHistogram *hist, const uint8_t *pixels, unsigned width,
    unsigned height, size_t row_stride, unsigned pixel_stride, const PaletteCrop *exclude)
{
  unsigned middle = height - exclude->top - exclude->bottom;
  const uint8_t *middle_row = pixels + (size_t) exclude->top * row_stride;

  if (exclude->top)
    palette_histogram_add_rgb (hist, pixels, width, exclude->top, row_stride, pixel_stride);
  if (exclude->bottom)
    palette_histogram_add_rgb (hist, pixels + (size_t) (height - exclude->bottom) * row_stride,
        width, exclude->bottom, row_stride, pixel_stride);
  if (exclude->left)
    palette_histogram_add_rgb (hist, middle_row, exclude->left, middle, row_stride,
        pixel_stride);
  if (exclude->right)
    palette_histogram_add_rgb (hist,
        middle_row + (size_t) (width - exclude->right) * pixel_stride, exclude->right,
        middle, row_stride, pixel_stride);
}

PaletteStatus
palette_analyzer_add_frame (PaletteAnalyzer *analyzer, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride,
    uint64_t timestamp)
{
  PaletteAnalyzer *a = analyzer;
  PaletteStatus fingerprint_status, batch_status = PALETTE_OK;
  PaletteStatus borders_status = PALETTE_OK;
  PaletteCrop exclude = { 0, 0, 0, 0, 0, 0 };

  if (!a || !pixels || width == 0 || height == 0 || pixel_stride < 3
      || row_stride < (size_t) width * pixel_stride - (pixel_stride - 3))
    return PALETTE_INVALID_ARGUMENT;

  /* with a window, a batch spans at most a quarter of it, so that dropping
   * whole batches follows the window closely; when it cannot be closed the
   * frame is refused, so it does not stretch a batch past that */
  if (a->params.window > 0 && a->batch_frames > 0 && timestamp > a->batch_oldest
      && timestamp - a->batch_oldest >= (a->params.window + 3) / 4
      && close_batch (a) != PALETTE_OK)
    return PALETTE_OUT_OF_MEMORY;

  if (a->borders)
    borders_status = palette_borders_add_frame (a->borders, pixels, width, height,
        row_stride, pixel_stride, &exclude);
  palette_histogram_clear (a->frame);
  palette_histogram_add_rgb (a->frame,
      pixels + (size_t) exclude.top * row_stride + (size_t) exclude.left * pixel_stride,
      width - exclude.left - exclude.right, height - exclude.top - exclude.bottom,
      row_stride, pixel_stride);
  palette_histogram_add_histogram (a->batch, a->frame);
  if (a->params.window == 0) {
    palette_histogram_add_histogram (a->film, a->frame);
    /* the film takes the frame whole: its bars are taken out when a
     * palette is made, by the crop the whole film decided */
    add_border (a->film, pixels, width, height, row_stride, pixel_stride, &exclude);
  }
  /* the frame is in the histograms now: its accounting is completed even
   * when its fingerprint sample fails, and the failure reported at the end */
  fingerprint_status = add_fingerprint (a, timestamp);

  if (!a->have_timestamp || timestamp > a->newest)
    a->newest = timestamp;
  a->have_timestamp = 1;
  if (a->batch_frames == 0 || timestamp > a->batch_newest)
    a->batch_newest = timestamp;
  if (a->batch_frames == 0 || timestamp < a->batch_oldest)
    a->batch_oldest = timestamp;
  a->n_frames++;
  if (a->params.window > 0)
    palette_fingerprint_expire (&a->fingerprint, a->newest, a->params.window);
  if (++a->batch_frames >= a->params.batch_size)
    batch_status = close_batch (a);
  if (borders_status != PALETTE_OK)
    return borders_status;
  return fingerprint_status != PALETTE_OK ? fingerprint_status : batch_status;
}

static void
normalise (PalettePalette *palette)
{
  double total = 0;
  unsigned i;

  for (i = 0; i < palette->n_colors; i++)
    total += palette->colors[i].weight;
  for (i = 0; i < palette->n_colors; i++)
    palette->colors[i].weight = total > 0 ? palette->colors[i].weight / total : 0;
}

/* The pixels a palette describes: the film's, or the window's batches'. */
typedef struct {
  uint64_t luma[LUMA_LEVELS];
  uint64_t n_pixels;
  uint64_t saturation_sum;
} Coverage;

static void
coverage (const PaletteAnalyzer *a, Coverage *cov)
{
  size_t b;
  unsigned v;

  if (a->params.window == 0) {
    memcpy (cov->luma, palette_histogram_luma (a->palette_film), sizeof (cov->luma));
    cov->n_pixels = palette_histogram_n_pixels (a->palette_film);
    cov->saturation_sum = palette_histogram_saturation_sum (a->palette_film);
    return;
  }
  memcpy (cov->luma, palette_histogram_luma (a->batch), sizeof (cov->luma));
  cov->n_pixels = palette_histogram_n_pixels (a->batch);
  cov->saturation_sum = palette_histogram_saturation_sum (a->batch);
  for (b = 0; b < a->n_batch_records; b++) {
    const Batch *rec = &a->batches[b];
    if (batch_is_old (a, rec))
      continue;
    for (v = 0; v < LUMA_LEVELS; v++)
      cov->luma[v] += a->batch_luma[b * LUMA_LEVELS + v];
    cov->n_pixels += rec->n_pixels;
    cov->saturation_sum += rec->saturation_sum;
  }
}

/* What decides black-and-white besides the mean saturation: how much of
 * the film's chroma its lightness leaves unexplained (monochrome.c). Only
 * the film histogram has the colors (window 0, auto mode). */
typedef struct {
  int measured;
  PaletteChromaStats stats;
  int toned;                    /* black-and-white by its chroma, not by its
                                 * saturation: its gray levels keep its tones */
} Monochrome;

static void
measure_monochrome (PaletteAnalyzer *a, Monochrome *mono)
{
  size_t n;

  memset (mono, 0, sizeof (*mono));
  if (a->params.window > 0 || a->params.bw_mode != PALETTE_BW_AUTO)
    return;
  n = palette_histogram_get_colors (a->palette_film, a->bins, N_HISTOGRAM_BINS);
  palette_chroma_stats (a->bins, n, &mono->stats);
  mono->measured = 1;
}

/* Within this much below bw_threshold the mean saturation cannot tell: a
 * pale color clip of 0.137 measured 0.090 on its 3 key frames. */
#define BW_MARGIN 0.03

/* Auto mode: the mean saturation decides, unless the chroma says otherwise:
 * just below the threshold a film whose hues vary at a given lightness has
 * colors; above it a toned print, whose chroma follows its lightness in one
 * hue, has none. */
static int
is_black_and_white (const PaletteAnalyzerParams *params, double mean_saturation,
    Monochrome *mono)
{
  int low_saturation = mean_saturation < params->bw_threshold;

  if (params->bw_mode == PALETTE_BW_GRAY)
    return 1;
  if (params->bw_mode == PALETTE_BW_COLOR)
    return 0;
  if (mono->measured && low_saturation && mean_saturation >= params->bw_threshold - BW_MARGIN
      && mono->stats.residual > PALETTE_COLOR_RESIDUAL)
    return 0;
  if (mono->measured && !low_saturation && palette_chroma_is_monochrome (&mono->stats)) {
    mono->toned = 1;
    return 1;
  }
  return low_saturation;
}

/* Gray levels from the covered pixels' luma, toned as the film is when it
 * was found black-and-white by its chroma (a film the saturation finds
 * black-and-white keeps exact grays); returns how many. */
static unsigned
gray_palette (PaletteAnalyzer *a, const Coverage *cov, const Monochrome *mono,
    PaletteColor *colors)
{
  unsigned n = palette_gray_levels (cov->luma, a->params.gray_levels, colors);

  if (n > 0 && mono->toned) {
    size_t n_bins = palette_histogram_get_colors (a->palette_film, a->bins,
        N_HISTOGRAM_BINS);
    palette_tint_gray_levels (a->bins, n_bins, colors, n);
  }
  palette_colors_sort_by_weight (colors, n);
  return n;
}

/* The batch centers still covered, and the open batch clustered now, into
 * *points (allocated here); *n_points receives how many. */
static PaletteStatus
gather_centers (PaletteAnalyzer *a, PaletteColor **points, size_t *n_points)
{
  PaletteColor *p = analyzer_realloc (NULL, (a->n_centers + 64) * sizeof (PaletteColor));
  size_t i, n = 0;
  unsigned n_batch;

  if (!p)
    return PALETTE_OUT_OF_MEMORY;
  for (i = 0; i < a->n_batch_records; i++) {
    const Batch *rec = &a->batches[i];
    if (a->params.window > 0 && batch_is_old (a, rec))
      continue;
    memcpy (&p[n], &a->centers[rec->first_center], rec->n_centers * sizeof (PaletteColor));
    n += rec->n_centers;
  }
  if (a->batch_frames > 0) {
    if (cluster_histogram (a, a->batch, a->params.colors,
            derived_seed (a->params.seed, a->n_batches), 0, &p[n], &n_batch) != PALETTE_OK) {
      free (p);
      return PALETTE_OUT_OF_MEMORY;
    }
    n += n_batch;
  }
  *points = p;
  *n_points = n;
  return PALETTE_OK;
}

static void
merge_params (const PaletteAnalyzer *a, PaletteKMeansParams *kp)
{
  palette_kmeans_params_init (kp);
  kp->k = a->params.colors;
  kp->space = a->params.space;
  kp->seed = derived_seed (a->params.seed, UINT64_MAX);
}

/* The batch centers clustered, weighted by their pixels, into the palette's
 * colors; returns how many (0: out of memory). */
static unsigned
merge (PaletteAnalyzer *a, PaletteColor *colors)
{
  PaletteKMeansParams kp;
  PaletteColor *points;
  size_t n_points;
  unsigned n;

  if (gather_centers (a, &points, &n_points) != PALETTE_OK)
    return 0;
  merge_params (a, &kp);
  n = palette_kmeans (points, n_points, &kp, colors, NULL);
  free (points);
  return n;
}

/* Lloyd passes over the film histogram's bins, so each color ends up the
 * exact mean of the pixels nearest to it (window 0: there is no film
 * histogram with a window); returns how many colors are left. */
static unsigned
refine (PaletteAnalyzer *a, PaletteColor *colors, unsigned n)
{
  PaletteKMeansParams kp;
  size_t n_bins;

  if (n == 0 || a->params.window > 0 || a->params.refine_iterations == 0)
    return n;
  merge_params (a, &kp);
  kp.max_iterations = a->params.refine_iterations;
  n_bins = palette_histogram_get_colors (a->palette_film, a->bins, N_HISTOGRAM_BINS);
  return palette_kmeans_refine (a->bins, n_bins, &kp, colors, n, NULL);
}

/* The clustering space of the film's palette: CIELAB is warped so that
 * distances are CIEDE2000's, the measure viewers (and the quality metric)
 * judge palettes by. */
static void
film_point (PaletteColorSpace space, const double rgb[3], double x[3])
{
  if (space == PALETTE_SPACE_CIELAB) {
    double lab[3];
    palette_srgb_to_cielab (rgb, lab);
    palette_de2000_warp (lab, x);
  } else {
    palette_srgb_to_space (space, rgb, x);
  }
}

static void
film_color (PaletteColorSpace space, const double x[3], double rgb[3])
{
  if (space == PALETTE_SPACE_CIELAB) {
    double lab[3];
    palette_de2000_unwarp (x, lab);
    palette_cielab_to_srgb (lab, rgb);
  } else {
    palette_space_to_srgb (space, x, rgb);
  }
}

/* Points in the film's clustering space, allocated here. */
static int
film_points (PaletteColorSpace space, const PaletteColor *colors, size_t n, PalettePoints *pts)
{
  size_t i;

  memset (pts, 0, sizeof (*pts));
  if (!palette_engine_resize ((void **) &pts->x, (n ? n : 1) * sizeof (*pts->x))
      || !palette_engine_resize ((void **) &pts->w, (n ? n : 1) * sizeof (*pts->w))) {
    free (pts->x);
    free (pts->w);
    return 0;
  }
  for (i = 0; i < n; i++) {
    film_point (space, colors[i].rgb, pts->x[i]);
    pts->w[i] = colors[i].weight;
    pts->total_weight += pts->w[i];
  }
  pts->n = n;
  return 1;
}

/* The film histogram's bins clustered directly into the palette's colors
 * (k-medians); returns how many, heaviest first (0: out of memory). Past
 * FILM_CELLS bins the seedings run on the bins merged into 4-bit cells (each
 * the exact mean of its pixels: the palette came out the same), and only the
 * final median steps on every bin: up to 8 times fewer points to cluster. */
static unsigned
cluster_film (PaletteAnalyzer *a, PaletteColor *colors)
{
  PaletteKMediansParams kp;
  PalettePoints pts, cells;
  double centers[64][3], center_w[64];
  size_t n_bins = palette_histogram_get_colors (a->palette_film, a->bins,
      N_HISTOGRAM_BINS);
  unsigned n, c, n_colors = 0;

  if (!film_points (a->params.space, a->bins, n_bins, &pts))
    return 0;
  palette_kmedians_params_init (&kp);
  kp.k = a->params.colors;
  kp.seed = derived_seed (a->params.seed, UINT64_MAX);
  if (n_bins <= FILM_CELLS) {
    n = palette_kmedians (&pts, &kp, centers, center_w, NULL);
  } else {
    size_t n_cells = merge_cells (a, n_bins);
    if (!film_points (a->params.space, a->bins, n_cells, &cells)) {
      free (pts.x);
      free (pts.w);
      return 0;
    }
    n = palette_kmedians (&cells, &kp, centers, center_w, NULL);
    free (cells.x);
    free (cells.w);
    if (n > 0 && isinf (palette_kmedians_polish (&pts, n, kp.median_steps,
                kp.distance_floor, centers, center_w)))
      n = 0;
  }
  for (c = 0; c < n; c++) {
    if (!(center_w[c] > 0))
      continue;
    film_color (a->params.space, centers[c], colors[n_colors].rgb);
    colors[n_colors++].weight = center_w[c];
  }
  palette_colors_sort_by_weight (colors, n_colors);
  free (pts.x);
  free (pts.w);
  return n_colors;
}

/* The film histogram the palette describes: the film's, or with a crop, a
 * copy less the bars (window 0); *crop receives the crop (with a window, the
 * one each frame was cropped by as it came). */
static PaletteStatus
select_film (PaletteAnalyzer *a, PaletteCrop *crop)
{
  a->palette_film = a->film;
  if (!palette_borders_crop (a->borders, crop) || a->params.window > 0)
    return PALETTE_OK;
  if (!a->cropped_film && !(a->cropped_film = palette_histogram_new ()))
    return PALETTE_OUT_OF_MEMORY;
  palette_histogram_clear (a->cropped_film);
  palette_histogram_add_histogram (a->cropped_film, a->film);
  palette_borders_subtract (a->borders, crop, a->cropped_film);
  a->palette_film = a->cropped_film;
  return PALETTE_OK;
}

/* crop -> coverage -> black-and-white (saturation, chroma) -> gray levels (toned),
 * or the film's bins clustered
 * (or batch centers merged -> refined) -> shares */
PaletteStatus
palette_analyzer_get_palette (PaletteAnalyzer *analyzer, PalettePalette *palette)
{
  PaletteAnalyzer *a = analyzer;
  Coverage cov;
  Monochrome mono;

  if (!palette)
    return PALETTE_INVALID_ARGUMENT;
  memset (palette, 0, sizeof (*palette));
  if (!a)
    return PALETTE_INVALID_ARGUMENT;
  if (a->n_frames == 0)
    return PALETTE_EMPTY;
  palette->frames = a->n_frames;

  if (select_film (a, &palette->crop) != PALETTE_OK) {
    memset (palette, 0, sizeof (*palette));
    return PALETTE_OUT_OF_MEMORY;
  }
  coverage (a, &cov);
  palette->mean_saturation =
      cov.n_pixels ? (double) cov.saturation_sum / (255.0 * cov.n_pixels) : 0;
  /* (frames with timestamps out of order can leave none in the window) */
  if (cov.n_pixels == 0) {
    memset (palette, 0, sizeof (*palette));
    return PALETTE_EMPTY;
  }
  measure_monochrome (a, &mono);
  palette->black_and_white = is_black_and_white (&a->params, palette->mean_saturation, &mono);
  if (palette->black_and_white)
    palette->n_colors = gray_palette (a, &cov, &mono, palette->colors);
  else if (a->params.window == 0 && a->params.film_method == PALETTE_FILM_KMEDIANS)
    palette->n_colors = cluster_film (a, palette->colors);
  else
    palette->n_colors = refine (a, palette->colors, merge (a, palette->colors));
  /* there are pixels, so no colors means k-means or the gray levels ran out
   * of memory */
  if (palette->n_colors == 0) {
    memset (palette, 0, sizeof (*palette));
    return PALETTE_OUT_OF_MEMORY;
  }
  /* Clusters closer than 8-bit sRGB can tell apart (a solid picture's
   * batch centers, refined: "#1f5fc0" twice in a live stream's palette)
   * are one color to whoever reads the palette. */
  palette->n_colors = palette_colors_merge_equal (palette->colors,
      palette->n_colors);
  normalise (palette);
  return PALETTE_OK;
}
