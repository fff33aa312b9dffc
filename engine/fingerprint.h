/* gst-palette color engine, internal: the analyzer's fingerprint store.
 *
 * The per-frame dominant colors kept for the fingerprint (seed 001's
 * fingerprint bar), stored packed (0xRRGGBB and a float share per color) in a
 * ring that is compacted as it slides: 8 + 8 x colors bytes a sample. With a
 * maximum, a full store drops every other sample and samples later frames
 * half as often, so the samples stay evenly spread over the stream; with a
 * window, samples older than it are forgotten. The analyzer clusters the
 * frames; the store only decides which frames to sample and keeps them.
 * Not part of the public API (analyzer.h is); not thread-safe. */
#ifndef PALETTE_FINGERPRINT_H
#define PALETTE_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

typedef struct {
  unsigned colors;              /* colors kept per sample, 0..16 (0: none) */
  unsigned max;                 /* > 0: at most this many samples */
  /* samples first .. first + n of arrays holding allocated samples */
  uint64_t *timestamps;
  uint8_t *counts;
  uint32_t *rgb;                /* colors per sample */
  float *weights;               /* colors per sample */
  size_t first, n, allocated;
  uint64_t every;               /* thinning: sample one frame in this many */
} PaletteFingerprint;

/* An empty store of colors per sample (0..16), at most max samples (0: no
 * maximum). Allocates nothing until the first sample. */
void palette_fingerprint_init (PaletteFingerprint *fp, unsigned colors, unsigned max);
/* From now on at most max samples (0: no bound); a store already fuller is
 * thinned as the next frames come. */
void palette_fingerprint_set_max (PaletteFingerprint *fp, unsigned max);
/* Frees the samples; the store is then empty (init's state). */
void palette_fingerprint_clear (PaletteFingerprint *fp);
/* Forgets the samples, keeps the memory. */
void palette_fingerprint_reset (PaletteFingerprint *fp);

/* Whether frame number frame_index (0 for the stream's first) is to be
 * sampled; thins a full store first. Call once per frame, in order. */
int palette_fingerprint_wants (PaletteFingerprint *fp, uint64_t frame_index);
/* Room for one more sample: PALETTE_OK or PALETTE_OUT_OF_MEMORY (the store
 * is unchanged then). */
PaletteStatus palette_fingerprint_reserve (PaletteFingerprint *fp);
/* Appends a sample after a successful reserve: the first min(n, colors) of
 * colors (heaviest first), their weights divided by pixels. */
void palette_fingerprint_append (PaletteFingerprint *fp, uint64_t timestamp,
    const PaletteColor *colors, unsigned n, double pixels);
/* Forgets the samples more than window older than newest. */
void palette_fingerprint_expire (PaletteFingerprint *fp, uint64_t newest, uint64_t window);

size_t palette_fingerprint_n (const PaletteFingerprint *fp);
/* Copies sample index (oldest first) into *entry; returns 0 (entry zeroed)
 * when out of range. */
int palette_fingerprint_get (const PaletteFingerprint *fp, size_t index,
    PaletteFingerprintEntry *entry);
/* Bytes allocated for samples */
size_t palette_fingerprint_memory (const PaletteFingerprint *fp);

#endif
