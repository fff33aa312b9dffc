/* gst-palette color engine: a film's palette from a stream of frames.
 *
 * Each frame is binned into a histogram (reused), which is added to the
 * current batch's histogram and to the film's. A full batch is clustered into
 * `colors` centers that are kept with their pixel counts (the seed notebook's
 * process_batch). The palette is a weighted k-means of all batch centers (its
 * final merge), polished by Lloyd iterations over the film histogram's bins,
 * so each color ends up the exact mean of the pixels nearest to it rather than
 * a mean of means. Black-and-white films get gray levels from the film's luma
 * histogram instead.
 *
 * With a window, batches whose newest frame is older than the window are
 * dropped; the palette then comes from the remaining batch centers and the
 * batches' own luma histograms and saturation sums (no film histogram). */
#include "analyzer.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

/* Past this many stored batch centers they are clustered down to
 * COMPACT_CENTERS (window 0 only), which bounds memory for any film length. */
#define MAX_CENTERS 4096
#define COMPACT_CENTERS 1024
/* The seed notebook's fingerprint clusters 7 colors and keeps the 5 largest. */
#define FINGERPRINT_MIN_CLUSTERS 7
#define FINGERPRINT_MAX_ITERATIONS 20
#define N_HISTOGRAM_BINS 32768

typedef struct {
  uint64_t newest;              /* newest frame timestamp in the batch */
  size_t first_center;          /* into analyzer->centers */
  unsigned n_centers;
  uint64_t n_pixels;            /* the rest is used only with a window */
  uint64_t saturation_sum;
  uint64_t luma[256];
} Batch;

struct _PaletteAnalyzer {
  PaletteAnalyzerParams params;

  PaletteHistogram *frame;      /* the frame being added */
  PaletteHistogram *batch;      /* frames since the last full batch */
  PaletteHistogram *film;       /* every frame (window 0) */
  PaletteColor *bins;           /* N_HISTOGRAM_BINS scratch points */

  unsigned batch_frames;
  uint64_t batch_newest;
  uint64_t n_batches;           /* clustered so far; varies each batch's seed */
  uint64_t n_frames;
  int have_timestamp;
  uint64_t newest;

  Batch *batches;
  size_t n_batch_records, batches_allocated;
  PaletteColor *centers;
  size_t n_centers, centers_allocated;

  PaletteFingerprintEntry *fingerprint;
  size_t n_fingerprint, fingerprint_allocated;
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
}

static int
params_valid (const PaletteAnalyzerParams *p)
{
  return p->colors >= 1 && p->colors <= 64 && p->gray_levels >= 1 && p->gray_levels <= 64
      && (p->bw_mode == PALETTE_BW_AUTO || p->bw_mode == PALETTE_BW_COLOR
      || p->bw_mode == PALETTE_BW_GRAY)
      && p->bw_threshold >= 0 && p->bw_threshold <= 1 && p->batch_size >= 1
      && (p->space == PALETTE_SPACE_RGB || p->space == PALETTE_SPACE_OKLAB
      || p->space == PALETTE_SPACE_CIELAB) && p->fingerprint_colors <= 16;
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
  a->frame = palette_histogram_new ();
  a->batch = palette_histogram_new ();
  a->film = palette_histogram_new ();
  a->bins = malloc (N_HISTOGRAM_BINS * sizeof (PaletteColor));
  if (!a->frame || !a->batch || !a->film || !a->bins) {
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
  free (analyzer->bins);
  free (analyzer->batches);
  free (analyzer->centers);
  free (analyzer->fingerprint);
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
  analyzer->batch_frames = 0;
  analyzer->batch_newest = 0;
  analyzer->n_batches = 0;
  analyzer->n_frames = 0;
  analyzer->have_timestamp = 0;
  analyzer->newest = 0;
  analyzer->n_batch_records = 0;
  analyzer->n_centers = 0;
  analyzer->n_fingerprint = 0;
}

uint64_t
palette_analyzer_n_frames (const PaletteAnalyzer *analyzer)
{
  return analyzer ? analyzer->n_frames : 0;
}

size_t
palette_analyzer_n_fingerprint (const PaletteAnalyzer *analyzer)
{
  return analyzer ? analyzer->n_fingerprint : 0;
}

const PaletteFingerprintEntry *
palette_analyzer_get_fingerprint (const PaletteAnalyzer *analyzer, size_t index)
{
  if (!analyzer || index >= analyzer->n_fingerprint)
    return NULL;
  return &analyzer->fingerprint[index];
}

/* Grows *array to hold at least `needed` items of `size` bytes. */
static int
ensure_capacity (void **array, size_t *allocated, size_t needed, size_t size)
{
  size_t n = *allocated ? *allocated : 16;
  void *grown;

  if (needed <= *allocated)
    return 1;
  while (n < needed)
    n *= 2;
  grown = realloc (*array, n * size);
  if (!grown)
    return 0;
  *array = grown;
  *allocated = n;
  return 1;
}

/* A batch-dependent seed: batches are independent draws, yet reproducible. */
static uint64_t
derived_seed (uint64_t seed, uint64_t index)
{
  uint64_t state = seed ^ (index * 0xd1342543de82ef95ull);

  return palette_splitmix64 (&state);
}

static unsigned
cluster_histogram (PaletteAnalyzer *a, const PaletteHistogram *hist, unsigned k,
    uint64_t seed, unsigned max_iterations, PaletteColor *centers)
{
  PaletteKMeansParams kp;
  size_t n = palette_histogram_get_colors (hist, a->bins, N_HISTOGRAM_BINS);

  palette_kmeans_params_init (&kp);
  kp.k = k;
  kp.space = a->params.space;
  kp.seed = seed;
  if (max_iterations)
    kp.max_iterations = max_iterations;
  return palette_kmeans (a->bins, n, &kp, centers, NULL);
}

static void
add_fingerprint (PaletteAnalyzer *a, uint64_t timestamp)
{
  PaletteFingerprintEntry *entry;
  PaletteColor centers[16];
  unsigned k = a->params.fingerprint_colors, n, i;
  double pixels = (double) palette_histogram_n_pixels (a->frame);

  if (k == 0)
    return;
  if (!ensure_capacity ((void **) &a->fingerprint, &a->fingerprint_allocated,
          a->n_fingerprint + 1, sizeof (PaletteFingerprintEntry)))
    return;
  if (k < FINGERPRINT_MIN_CLUSTERS)
    k = FINGERPRINT_MIN_CLUSTERS;
  n = cluster_histogram (a, a->frame, k, derived_seed (a->params.seed, a->n_frames),
      FINGERPRINT_MAX_ITERATIONS, centers);
  if (n > a->params.fingerprint_colors)
    n = a->params.fingerprint_colors;
  entry = &a->fingerprint[a->n_fingerprint++];
  memset (entry, 0, sizeof (*entry));
  entry->timestamp = timestamp;
  entry->n_colors = n;
  for (i = 0; i < n; i++) {
    entry->colors[i] = centers[i];
    entry->colors[i].weight = centers[i].weight / pixels;
  }
}

/* Clusters down all stored centers into one record (window 0 only). */
static void
compact_centers (PaletteAnalyzer *a)
{
  PaletteKMeansParams kp;
  PaletteColor *merged = malloc (COMPACT_CENTERS * sizeof (PaletteColor));
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

/* Forgets batches whose newest frame left the window. */
static void
drop_old_batches (PaletteAnalyzer *a)
{
  size_t i, kept = 0, centers_kept = 0;

  for (i = 0; i < a->n_batch_records; i++) {
    Batch *b = &a->batches[i];
    if (a->newest - b->newest > a->params.window)
      continue;
    memmove (&a->centers[centers_kept], &a->centers[b->first_center],
        b->n_centers * sizeof (PaletteColor));
    b->first_center = centers_kept;
    centers_kept += b->n_centers;
    if (kept != i)
      a->batches[kept] = *b;
    kept++;
  }
  a->n_batch_records = kept;
  a->n_centers = centers_kept;
}

static void
close_batch (PaletteAnalyzer *a)
{
  PaletteColor centers[64];
  unsigned n, i;
  Batch *record;

  n = cluster_histogram (a, a->batch, a->params.colors,
      derived_seed (a->params.seed, a->n_batches), 0, centers);
  a->n_batches++;
  if (!ensure_capacity ((void **) &a->batches, &a->batches_allocated,
          a->n_batch_records + 1, sizeof (Batch))
      || !ensure_capacity ((void **) &a->centers, &a->centers_allocated,
          a->n_centers + n, sizeof (PaletteColor)))
    return;
  record = &a->batches[a->n_batch_records++];
  record->newest = a->batch_newest;
  record->first_center = a->n_centers;
  record->n_centers = n;
  record->n_pixels = palette_histogram_n_pixels (a->batch);
  record->saturation_sum = palette_histogram_saturation_sum (a->batch);
  memcpy (record->luma, palette_histogram_luma (a->batch), sizeof (record->luma));
  for (i = 0; i < n; i++)
    a->centers[a->n_centers++] = centers[i];

  palette_histogram_clear (a->batch);
  a->batch_frames = 0;
  a->batch_newest = 0;

  if (a->params.window > 0)
    drop_old_batches (a);
  else if (a->n_centers > MAX_CENTERS)
    compact_centers (a);
}

int
palette_analyzer_add_frame (PaletteAnalyzer *analyzer, const uint8_t *pixels,
    unsigned width, unsigned height, size_t row_stride, unsigned pixel_stride,
    uint64_t timestamp)
{
  PaletteAnalyzer *a = analyzer;

  if (!a || !pixels || width == 0 || height == 0 || pixel_stride < 3
      || row_stride < (size_t) width * pixel_stride - (pixel_stride - 3))
    return 0;

  palette_histogram_clear (a->frame);
  palette_histogram_add_rgb (a->frame, pixels, width, height, row_stride, pixel_stride);
  palette_histogram_add_histogram (a->batch, a->frame);
  if (a->params.window == 0)
    palette_histogram_add_histogram (a->film, a->frame);
  add_fingerprint (a, timestamp);

  if (!a->have_timestamp || timestamp > a->newest)
    a->newest = timestamp;
  a->have_timestamp = 1;
  if (a->batch_frames == 0 || timestamp > a->batch_newest)
    a->batch_newest = timestamp;
  a->n_frames++;
  if (++a->batch_frames >= a->params.batch_size)
    close_batch (a);
  return 1;
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

int
palette_analyzer_get_palette (PaletteAnalyzer *analyzer, PalettePalette *palette)
{
  PaletteAnalyzer *a = analyzer;
  uint64_t luma[256], n_pixels, saturation_sum;
  size_t i, n_points;
  int bw;

  if (!palette)
    return 0;
  memset (palette, 0, sizeof (*palette));
  if (!a || a->n_frames == 0)
    return 0;
  palette->frames = a->n_frames;

  /* the pixels the palette covers: the film, or the window's batches */
  if (a->params.window == 0) {
    memcpy (luma, palette_histogram_luma (a->film), sizeof (luma));
    n_pixels = palette_histogram_n_pixels (a->film);
    saturation_sum = palette_histogram_saturation_sum (a->film);
  } else {
    size_t b;
    unsigned v;

    memcpy (luma, palette_histogram_luma (a->batch), sizeof (luma));
    n_pixels = palette_histogram_n_pixels (a->batch);
    saturation_sum = palette_histogram_saturation_sum (a->batch);
    for (b = 0; b < a->n_batch_records; b++) {
      const Batch *rec = &a->batches[b];
      if (a->newest - rec->newest > a->params.window)
        continue;
      for (v = 0; v < 256; v++)
        luma[v] += rec->luma[v];
      n_pixels += rec->n_pixels;
      saturation_sum += rec->saturation_sum;
    }
  }
  palette->mean_saturation = n_pixels ? (double) saturation_sum / (255.0 * n_pixels) : 0;

  if (a->params.bw_mode == PALETTE_BW_GRAY)
    bw = 1;
  else if (a->params.bw_mode == PALETTE_BW_COLOR)
    bw = 0;
  else
    bw = palette->mean_saturation < a->params.bw_threshold;
  palette->black_and_white = bw;

  if (bw) {
    palette->n_colors = palette_gray_levels (luma, a->params.gray_levels, palette->colors);
    palette_colors_sort_by_weight (palette->colors, palette->n_colors);
  } else {
    PaletteKMeansParams kp;
    PaletteColor *points = malloc ((a->n_centers + 64) * sizeof (PaletteColor));
    unsigned n;

    if (!points)
      return 0;
    n_points = 0;
    for (i = 0; i < a->n_batch_records; i++) {
      const Batch *rec = &a->batches[i];
      if (a->params.window > 0 && a->newest - rec->newest > a->params.window)
        continue;
      memcpy (&points[n_points], &a->centers[rec->first_center],
          rec->n_centers * sizeof (PaletteColor));
      n_points += rec->n_centers;
    }
    if (a->batch_frames > 0)
      n_points += cluster_histogram (a, a->batch, a->params.colors,
          derived_seed (a->params.seed, a->n_batches), 0, &points[n_points]);

    palette_kmeans_params_init (&kp);
    kp.k = a->params.colors;
    kp.space = a->params.space;
    kp.seed = derived_seed (a->params.seed, UINT64_MAX);
    n = palette_kmeans (points, n_points, &kp, palette->colors, NULL);
    free (points);

    if (n > 0 && a->params.window == 0 && a->params.refine_iterations > 0) {
      size_t n_bins = palette_histogram_get_colors (a->film, a->bins, N_HISTOGRAM_BINS);
      kp.max_iterations = a->params.refine_iterations;
      n = palette_kmeans_refine (a->bins, n_bins, &kp, palette->colors, n, NULL);
    }
    palette->n_colors = n;
  }
  normalise (palette);
  return palette->n_colors > 0;
}
