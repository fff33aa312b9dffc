/* Engine unit tests: the analyzer's fingerprint store (engine-internal). */
#include <glib.h>
#include <string.h>

#include "palette-engine.h"
#include "fingerprint.h"

/* One sample for frame i: two colors derived from i, shares 3/4 and 1/4 */
static void
add (PaletteFingerprint *fp, uint64_t i)
{
  PaletteColor colors[2] = {
    {{i & 0xff, 10, 20.4}, 300},
    {{200, 100.6, 0}, 100},
  };

  if (!palette_fingerprint_wants (fp, i))
    return;
  g_assert_cmpint (palette_fingerprint_reserve (fp), ==, PALETTE_OK);
  palette_fingerprint_append (fp, i * 1000, colors, 2, 400.0);
}

static void
test_store_and_get (void)
{
  PaletteFingerprint fp;
  PaletteFingerprintEntry e;
  uint64_t i;

  palette_fingerprint_init (&fp, 5, 0);
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 0);
  g_assert_cmpuint (palette_fingerprint_memory (&fp), ==, 0);
  for (i = 0; i < 100; i++)
    add (&fp, i);
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 100);
  /* 8 + 8 x colors bytes a sample, rounded up to the capacity (128) */
  g_assert_cmpuint (palette_fingerprint_memory (&fp), ==, 128 * (8 + 1 + 5 * 8));

  g_assert_true (palette_fingerprint_get (&fp, 42, &e));
  g_assert_cmpuint (e.timestamp, ==, 42000);
  g_assert_cmpuint (e.n_colors, ==, 2);
  /* colors rounded to integers, weights as shares of the frame */
  g_assert_cmpfloat (e.colors[0].rgb[0], ==, 42);
  g_assert_cmpfloat (e.colors[0].rgb[1], ==, 10);
  g_assert_cmpfloat (e.colors[0].rgb[2], ==, 20);
  g_assert_cmpfloat (e.colors[0].weight, ==, 0.75);
  g_assert_cmpfloat (e.colors[1].rgb[1], ==, 101);
  g_assert_cmpfloat (e.colors[1].weight, ==, 0.25);
  g_assert_cmpfloat (e.colors[2].weight, ==, 0);

  /* out of range: 0 and a zeroed entry */
  g_assert_false (palette_fingerprint_get (&fp, 100, &e));
  g_assert_cmpuint (e.timestamp, ==, 0);
  g_assert_cmpuint (e.n_colors, ==, 0);
  g_assert_false (palette_fingerprint_get (&fp, 0, NULL));

  palette_fingerprint_reset (&fp);
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 0);
  palette_fingerprint_clear (&fp);
  g_assert_cmpuint (palette_fingerprint_memory (&fp), ==, 0);
}

static void
test_no_colors (void)
{
  PaletteFingerprint fp;

  palette_fingerprint_init (&fp, 0, 0);
  g_assert_false (palette_fingerprint_wants (&fp, 0));
  palette_fingerprint_clear (&fp);
}

/* With a maximum, a full store keeps every other sample and samples half as
 * often: the samples stay evenly spread and never exceed the maximum */
static void
test_thinning (void)
{
  PaletteFingerprint fp;
  PaletteFingerprintEntry e;
  uint64_t i;
  size_t j;

  palette_fingerprint_init (&fp, 3, 8);
  for (i = 0; i < 100; i++) {
    add (&fp, i);
    g_assert_cmpuint (palette_fingerprint_n (&fp), <=, 8);
  }
  /* 100 frames: sampled every 16th after three halvings: 0, 16, ..., 96 */
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 7);
  for (j = 0; j < palette_fingerprint_n (&fp); j++) {
    g_assert_true (palette_fingerprint_get (&fp, j, &e));
    g_assert_cmpuint (e.timestamp, ==, j * 16 * 1000);
  }
  palette_fingerprint_clear (&fp);

  /* a maximum of 1 keeps the first sample */
  palette_fingerprint_init (&fp, 3, 1);
  for (i = 0; i < 50; i++)
    add (&fp, i);
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 1);
  g_assert_true (palette_fingerprint_get (&fp, 0, &e));
  g_assert_cmpuint (e.timestamp, ==, 0);
  palette_fingerprint_clear (&fp);
}

/* Samples older than the window are forgotten; the ring slides and is
 * compacted, so memory stays bounded */
static void
test_window_expiry (void)
{
  PaletteFingerprint fp;
  PaletteFingerprintEntry e;
  uint64_t i;
  size_t memory = 0;

  palette_fingerprint_init (&fp, 5, 0);
  for (i = 0; i < 10000; i++) {
    add (&fp, i);
    palette_fingerprint_expire (&fp, i * 1000, 9999);
    /* newest - oldest <= window: the last 10 frames */
    g_assert_cmpuint (palette_fingerprint_n (&fp), ==, MIN (i + 1, 10));
    if (i == 100)
      memory = palette_fingerprint_memory (&fp);
  }
  g_assert_cmpuint (palette_fingerprint_memory (&fp), ==, memory);
  g_assert_true (palette_fingerprint_get (&fp, 0, &e));
  g_assert_cmpuint (e.timestamp, ==, 9990 * 1000);
  g_assert_true (palette_fingerprint_get (&fp, 9, &e));
  g_assert_cmpuint (e.timestamp, ==, 9999 * 1000);
  g_assert_cmpfloat (e.colors[0].rgb[0], ==, 9999 & 0xff);

  /* everything leaves */
  palette_fingerprint_expire (&fp, 100000000, 1000);
  g_assert_cmpuint (palette_fingerprint_n (&fp), ==, 0);
  palette_fingerprint_clear (&fp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/fingerprint/store-and-get", test_store_and_get);
  g_test_add_func ("/engine/fingerprint/no-colors", test_no_colors);
  g_test_add_func ("/engine/fingerprint/thinning", test_thinning);
  g_test_add_func ("/engine/fingerprint/window-expiry", test_window_expiry);
  return g_test_run ();
}
