/* gst-palette color engine: the analyzer's fingerprint store (see
 * fingerprint.h). */
#include "fingerprint.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

void
palette_fingerprint_init (PaletteFingerprint *fp, unsigned colors, unsigned max)
{
  memset (fp, 0, sizeof (*fp));
  fp->colors = colors;
  fp->max = max;
  fp->every = 1;
}

void
palette_fingerprint_clear (PaletteFingerprint *fp)
{
  free (fp->timestamps);
  free (fp->counts);
  free (fp->rgb);
  free (fp->weights);
  palette_fingerprint_init (fp, fp->colors, fp->max);
}

void
palette_fingerprint_reset (PaletteFingerprint *fp)
{
  fp->first = 0;
  fp->n = 0;
  fp->every = 1;
}

static void
move_sample (PaletteFingerprint *fp, size_t to, size_t from)
{
  size_t k = fp->colors;

  fp->timestamps[to] = fp->timestamps[from];
  fp->counts[to] = fp->counts[from];
  memmove (&fp->rgb[to * k], &fp->rgb[from * k], k * sizeof (uint32_t));
  memmove (&fp->weights[to * k], &fp->weights[from * k], k * sizeof (float));
}

/* Halves the samples (keeps the 1st, 3rd, ...) and the sampling rate. */
static void
thin (PaletteFingerprint *fp)
{
  size_t i, kept = 0;

  for (i = 0; i < fp->n; i += 2)
    move_sample (fp, kept++, fp->first + i);
  fp->first = 0;
  fp->n = kept;
  fp->every *= 2;
}

void
palette_fingerprint_set_max (PaletteFingerprint *fp, unsigned max)
{
  fp->max = max;
}

int
palette_fingerprint_wants (PaletteFingerprint *fp, uint64_t frame_index)
{
  if (fp->colors == 0 || frame_index % fp->every != 0)
    return 0;
  if (fp->max > 0 && fp->n >= fp->max) {
    thin (fp);
    /* (a maximum of 1 keeps the first sample) */
    if (fp->n >= fp->max || frame_index % fp->every != 0)
      return 0;
  }
  return 1;
}

/* Room for one more sample at the end: slides the ring's live samples down
 * to index 0 first, else grows the arrays. */
PaletteStatus
palette_fingerprint_reserve (PaletteFingerprint *fp)
{
  size_t k = fp->colors, i, n;

  if (fp->first + fp->n < fp->allocated)
    return PALETTE_OK;
  if (fp->first > 0) {
    for (i = 0; i < fp->n; i++)
      move_sample (fp, i, fp->first + i);
    fp->first = 0;
    return PALETTE_OK;
  }
  n = fp->allocated;
  if (!palette_engine_grow ((void **) &fp->timestamps, &n, fp->n + 1,
          sizeof (uint64_t)))
    return PALETTE_OUT_OF_MEMORY;
  if (!palette_engine_resize ((void **) &fp->counts, n * sizeof (uint8_t))
      || !palette_engine_resize ((void **) &fp->rgb, n * k * sizeof (uint32_t))
      || !palette_engine_resize ((void **) &fp->weights, n * k * sizeof (float)))
    return PALETTE_OUT_OF_MEMORY;
  fp->allocated = n;
  return PALETTE_OK;
}

void
palette_fingerprint_append (PaletteFingerprint *fp, uint64_t timestamp,
    const PaletteColor *colors, unsigned n, double pixels)
{
  unsigned k = fp->colors, i;
  size_t at;

  if (n > k)
    n = k;
  at = fp->first + fp->n++;
  fp->timestamps[at] = timestamp;
  fp->counts[at] = (uint8_t) n;
  for (i = 0; i < k; i++) {
    fp->rgb[at * k + i] = i < n ? palette_rgb_pack (colors[i].rgb) : 0;
    fp->weights[at * k + i] = i < n ? (float) (colors[i].weight / pixels) : 0.0f;
  }
}

void
palette_fingerprint_expire (PaletteFingerprint *fp, uint64_t newest, uint64_t window)
{
  while (fp->n > 0 && newest - fp->timestamps[fp->first] > window) {
    fp->first++;
    fp->n--;
  }
  if (fp->n == 0)
    fp->first = 0;
}

size_t
palette_fingerprint_n (const PaletteFingerprint *fp)
{
  return fp->n;
}

int
palette_fingerprint_get (const PaletteFingerprint *fp, size_t index,
    PaletteFingerprintEntry *entry)
{
  size_t at, k;
  unsigned i;

  if (!entry)
    return 0;
  memset (entry, 0, sizeof (*entry));
  if (!fp || index >= fp->n)
    return 0;
  at = fp->first + index;
  k = fp->colors;
  entry->timestamp = fp->timestamps[at];
  entry->n_colors = fp->counts[at];
  for (i = 0; i < entry->n_colors; i++) {
    palette_rgb_unpack (fp->rgb[at * k + i], entry->colors[i].rgb);
    entry->colors[i].weight = fp->weights[at * k + i];
  }
  return 1;
}

size_t
palette_fingerprint_memory (const PaletteFingerprint *fp)
{
  return fp->allocated * (sizeof (uint64_t) + sizeof (uint8_t)
      + fp->colors * (sizeof (uint32_t) + sizeof (float)));
}
