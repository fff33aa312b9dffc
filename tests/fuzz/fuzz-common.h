/* gst-palette fuzz targets: what every target shares. */
#ifndef PALETTE_FUZZ_COMMON_H
#define PALETTE_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* A failed check is a crash the fuzzer reports with its input. */
#define FUZZ_FAIL(what) \
  do { \
    fprintf (stderr, "%s:%d: %s\n", __FILE__, __LINE__, what); \
    abort (); \
  } while (0)
#define FUZZ_ASSERT(cond) \
  do { \
    if (!(cond)) \
      FUZZ_FAIL ("check failed: " #cond); \
  } while (0)

/* GLib criticals and warnings (a json-glib g_return_if_fail reached with a
 * wrong type, say) are bugs of the caller: make them crashes. */
static inline void
fuzz_init (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

#endif
