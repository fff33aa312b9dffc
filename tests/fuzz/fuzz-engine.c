/* gst-palette fuzz target: the color engine fed random pixel buffers, sizes,
 * strides and settings, and the JSON record built from what comes out.
 *
 * Input layout: a 16-byte header of settings, then pixel bytes. Each frame
 * takes its size and strides from the header and the bytes that follow; the
 * pixels are copied into a buffer of exactly the size the layout needs, so
 * that AddressSanitizer sees any read past the last pixel. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "analyzer.h"
#include "kmeans.h"
#include "palette-record.h"
#include "fuzz-common.h"

typedef struct
{
  const uint8_t *data;
  size_t size;
} Reader;

static unsigned
take_byte (Reader * r)
{
  unsigned v;

  if (r->size == 0)
    return 0;
  v = r->data[0];
  r->data++;
  r->size--;
  return v;
}

/* params from bytes; some are out of range on purpose: palette_analyzer_new
 * must refuse them, not crash */
static void
read_params (Reader * r, PaletteAnalyzerParams * p)
{
  unsigned flags;

  palette_analyzer_params_init (p);
  p->colors = take_byte (r) % 70;
  p->gray_levels = take_byte (r) % 70;
  p->bw_mode = take_byte (r) % 4;
  p->bw_threshold = (take_byte (r) - 8) / 240.0;
  p->batch_size = take_byte (r) % 6;
  p->seed = take_byte (r);
  p->space = take_byte (r) % 4;
  p->fingerprint_colors = take_byte (r) % 18;
  flags = take_byte (r);
  if (flags & 1)
    p->window = (uint64_t) (take_byte (r) + 1) * 40000000;
  p->refine_iterations = (flags >> 1) & 7;
  if (flags & 0x10)
    p->fingerprint_max = take_byte (r) % 8;
  if (flags & 0x20)
    p->bw_threshold = NAN;
  if (flags & 0x40)
    p->film_method = PALETTE_FILM_MERGE;
}

static void
check_palette (const PalettePalette * palette, unsigned max_colors)
{
  double total = 0.0;
  unsigned i;

  FUZZ_ASSERT (palette->n_colors <= 64);
  FUZZ_ASSERT (palette->n_colors <= max_colors);
  for (i = 0; i < palette->n_colors; i++) {
    unsigned c;

    for (c = 0; c < 3; c++)
      FUZZ_ASSERT (isfinite (palette->colors[i].rgb[c]));
    FUZZ_ASSERT (palette->colors[i].weight >= 0.0);
    if (i > 0)
      FUZZ_ASSERT (palette->colors[i - 1].weight >=
          palette->colors[i].weight);
    total += palette->colors[i].weight;
  }
  if (palette->n_colors > 0)
    FUZZ_ASSERT (fabs (total - 1.0) < 1e-6);
  FUZZ_ASSERT (palette->mean_saturation >= 0.0
      && palette->mean_saturation <= 1.0);
}

/* The record the sink would write must be valid JSON that reads back. */
static void
check_record (const PalettePalette * palette, PaletteAnalyzer * analyzer)
{
  PaletteRecordInfo info;
  JsonNode *record;
  JsonParser *parser;
  gchar *text;

  palette_record_info_init (&info);
  info.title = "fuzz \"title\" %s %n \\ \x01";
  info.uri = "file:///tmp/%25s.mp4";
  record = palette_record_build (&info, palette);
  FUZZ_ASSERT (record != NULL);
  text = palette_record_to_string (record, analyzer);
  parser = json_parser_new ();
  FUZZ_ASSERT (json_parser_load_from_data (parser, text, -1, NULL));
  FUZZ_ASSERT (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_object_unref (parser);
  g_free (text);
  json_node_unref (record);
}

static void
fuzz_analyzer (Reader * r)
{
  PaletteAnalyzerParams params;
  PaletteAnalyzer *analyzer;
  PalettePalette palette;
  PaletteStatus status;
  PaletteFingerprintEntry entry;
  uint64_t timestamp = 0, added = 0;
  unsigned frame;
  size_t i, n;

  read_params (r, &params);
  analyzer = palette_analyzer_new (&params);
  if (analyzer == NULL)
    return;

  for (frame = 0; frame < 8 && r->size > 0; frame++) {
    unsigned width = take_byte (r) % 40, height = take_byte (r) % 24;
    unsigned pixel_stride = take_byte (r) % 7;
    size_t row_stride = (size_t) width * pixel_stride;
    size_t needed, have;
    uint8_t *pixels;
    unsigned shape = take_byte (r);

    /* padded rows, the tight minimum (no padding after the last B), or
     * too small (must be refused) */
    if (shape & 1)
      row_stride += take_byte (r) % 16;
    else if ((shape & 2) && pixel_stride >= 3)
      row_stride -= pixel_stride - 3;
    else if (shape & 4)
      row_stride = row_stride > 0 ? row_stride - 1 : 0;
    if (shape & 8)
      timestamp += (uint64_t) take_byte (r) * 10000000;
    else if (shape & 16 && timestamp > 0)
      timestamp -= 1;           /* out of order */

    if (width == 0 || height == 0 || pixel_stride < 3)
      needed = 1;
    else
      needed = row_stride * (height - 1) + (size_t) width * pixel_stride
          - (pixel_stride - 3);
    if (pixel_stride >= 3 && row_stride < (size_t) width * pixel_stride
        - (pixel_stride - 3))
      needed = 1;               /* refused before any pixel is read */
    pixels = malloc (needed);
    have = MIN (needed, r->size);
    memcpy (pixels, r->data, have);
    /* short input: the rest repeats what came, still deterministic */
    for (i = have; i < needed; i++)
      pixels[i] = have > 0 ? r->data[i % have] : (uint8_t) i;
    r->data += have;
    r->size -= have;

    status = palette_analyzer_add_frame (analyzer, pixels, width, height,
        row_stride, pixel_stride, timestamp);
    /* the fuzzer's allocations do not fail: out of memory would be a
     * misreport */
    FUZZ_ASSERT (status == PALETTE_OK || status == PALETTE_INVALID_ARGUMENT);
    if (status == PALETTE_OK)
      added++;
    free (pixels);

    if ((shape & 32) && palette_analyzer_get_palette (analyzer, &palette) == PALETTE_OK)
      check_palette (&palette, MAX (params.colors, params.gray_levels));
    if (shape == 0xff)
      palette_analyzer_reset (analyzer), added = 0;
  }

  if (palette_analyzer_n_frames (analyzer) != added)
    FUZZ_FAIL ("n_frames differs from the frames added");
  status = palette_analyzer_get_palette (analyzer, &palette);
  if (status == PALETTE_OK) {
    FUZZ_ASSERT (added > 0);
    check_palette (&palette, MAX (params.colors, params.gray_levels));
    check_record (&palette, analyzer);
  } else {
    /* no frames, or (timestamps out of order) none left in the window */
    FUZZ_ASSERT (status == PALETTE_EMPTY);
    FUZZ_ASSERT (added == 0 || params.window > 0);
    FUZZ_ASSERT (palette.n_colors == 0);
  }

  n = palette_analyzer_n_fingerprint (analyzer);
  for (i = 0; i < n + 2; i++) {
    int ok = palette_analyzer_get_fingerprint (analyzer, i, &entry);

    FUZZ_ASSERT (ok == (i < n));
    FUZZ_ASSERT (entry.n_colors <= params.fingerprint_colors);
  }
  (void) palette_analyzer_memory (analyzer);
  palette_analyzer_free (analyzer);
}

/* k-means on arbitrary weighted colors, and gray levels from an arbitrary
 * luma histogram */
static void
fuzz_kmeans (Reader * r)
{
  PaletteColor points[64], centers[64];
  PaletteKMeansParams params;
  uint64_t luma[256];
  unsigned n, i, k, got;
  double error = 0.0;

  palette_kmeans_params_init (&params);
  params.k = take_byte (r) % 66;
  params.space = take_byte (r) % 3;
  params.max_iterations = take_byte (r) % 8;
  params.restarts = take_byte (r) % 4;
  n = take_byte (r) % 64;
  for (i = 0; i < n; i++) {
    points[i].rgb[0] = take_byte (r);
    points[i].rgb[1] = take_byte (r) + take_byte (r) / 256.0;
    points[i].rgb[2] = take_byte (r);
    points[i].weight = (double) ((uint64_t) take_byte (r) << (take_byte (r) % 40));
  }
  k = params.k > 64 ? 64 : params.k;
  params.k = k;
  got = palette_kmeans (points, n, &params, centers, &error);
  FUZZ_ASSERT (got <= k && got <= n);
  for (i = 1; i < got; i++)
    FUZZ_ASSERT (centers[i - 1].weight >= centers[i].weight);
  if (got > 0) {
    got = palette_kmeans_refine (points, n, &params, centers, got, &error);
    FUZZ_ASSERT (got <= k);
  }

  for (i = 0; i < 256; i++)
    luma[i] = (r->size > 0) ? (uint64_t) take_byte (r) << (i % 48) : 0;
  got = palette_gray_levels (luma, k, centers);
  FUZZ_ASSERT (got <= k);
  for (i = 1; i < got; i++)
    FUZZ_ASSERT (centers[i - 1].rgb[0] <= centers[i].rgb[0]);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  Reader r = { data, size };

  fuzz_init ();
  if (size == 0)
    return 0;
  if (take_byte (&r) & 1)
    fuzz_kmeans (&r);
  else
    fuzz_analyzer (&r);
  return 0;
}
