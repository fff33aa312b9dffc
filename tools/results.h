/* gst-palette: a results folder. Workers on many machines each write one
 * file per film into it and share nothing else writable; `gst-palette
 * merge` takes the files into a catalog. A file is a one-film catalog in
 * the notebook's JSON shape (catalog-json.h), its fingerprint inline:
 *
 *   STEM.json         the film's palette
 *   STEM.failed.json  the film failed for good (bad media), and why
 *
 * STEM comes from the film's folder name (film-key.h), so that whether a
 * film is done is one stat(). Files are replaced atomically: a temporary
 * file in the folder, fsync, rename. */
#ifndef GST_PALETTE_RESULTS_H
#define GST_PALETTE_RESULTS_H

#include "catalog.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  RESULTS_STATE_NONE,
  RESULTS_STATE_DONE,
  RESULTS_STATE_FAILED,         /* for good: skipped unless retried */
  RESULTS_STATE_FAILED_RETRY,   /* cut short: the next run tries again */
} ResultsState;

/* Creates DIR if needed and checks that a file can be made in it. */
gboolean results_prepare (const gchar * dir, GError ** error);

/* What DIR holds for the film of folder NAME. */
ResultsState results_get_state (const gchar * dir, const gchar * name);

/* Writes the film of FOLDER: RECORD (its palette, fingerprint included,
 * "id" set), or REASON when it failed (RETRY: the next run tries again).
 * FRAMES and LENGTH < 0 are unknown. */
gboolean results_write (const gchar * dir, const CatalogFolder * folder,
    JsonObject * record, const gchar * reason, gboolean retry, gint64 frames,
    gint64 length, GError ** error);

G_END_DECLS

#endif
