/* gst-palette fuzz target: film folder names ("Title (Year, Director)"),
 * arbitrary bytes included, and the video-file test on file names. */

#include <string.h>

#include <glib.h>

#include "catalog.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *name, *title, *year, *director;

  fuzz_init ();
  /* file names are NUL-terminated byte strings: no NUL inside */
  name = g_strndup ((const gchar *) data, size);

  catalog_parse_folder_name (name, &title, &year, &director);
  FUZZ_ASSERT (title != NULL);
  if (year != NULL) {
    FUZZ_ASSERT (strlen (year) == 4);
    FUZZ_ASSERT (g_ascii_isdigit (year[0]) && g_ascii_isdigit (year[3]));
  } else {
    FUZZ_ASSERT (director == NULL);
    /* no year: the whole name is the title */
    FUZZ_ASSERT (strcmp (title, name) == 0);
  }
  /* what was parsed comes from the name */
  FUZZ_ASSERT (strlen (title) <= strlen (name));
  if (director != NULL)
    FUZZ_ASSERT (*director != '\0' && strstr (name, director) != NULL);

  (void) catalog_is_video_file (name);

  g_free (title);
  g_free (year);
  g_free (director);
  g_free (name);
  return 0;
}
