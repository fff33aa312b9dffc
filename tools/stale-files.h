/* gst-palette: temporaries of our own that a killed run left behind */
#ifndef GST_PALETTE_STALE_FILES_H
#define GST_PALETTE_STALE_FILES_H

#include <glib.h>

G_BEGIN_DECLS

/* A temporary is stale when nothing wrote to it for this long: a live
 * writer (another gst-palette on this or another machine writing into the
 * same folder) finishes a file in seconds. */
#define STALE_FILES_MIN_AGE_SECONDS 3600

/* The temporaries atomic-file.c makes for our outputs and results
 * (NAME.json.XXXXXX, NAME.fingerprint.png.XXXXXX, NAME.swatch.png.XXXXXX)
 * and the probe of a results folder (.gst-palette-probe-XXXXXX), XXXXXX as
 * mkstemp makes it. A user's "notes.json.backup" is spared: six lower-case
 * letters are taken for a word, not for mkstemp's letters and digits (one
 * temporary in 180 looks like that, and stays). */
#define STALE_FILES_RANDOM "(?=[a-z]*[A-Z0-9])[A-Za-z0-9]{6}"
#define STALE_FILES_OUTPUT_PATTERN \
  "^(.+\\.(json|fingerprint\\.png|swatch\\.png)\\.|\\.gst-palette-probe-)" \
  STALE_FILES_RANDOM "$"

/* Removes from DIR (not below it) the regular files whose name matches the
 * regular expression PATTERN as a whole, that belong to this user and were
 * last modified more than MIN_AGE_SECONDS ago; links are never followed
 * nor removed. Returns how many it removed; a folder that cannot be read
 * has none. */
guint stale_files_remove (const gchar * dir, const gchar * pattern,
    gint64 min_age_seconds);

G_END_DECLS

#endif
