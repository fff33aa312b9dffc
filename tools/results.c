/* gst-palette: a results folder (see results.h) */
#include "results.h"

#include "catalog-db.h"
#include "catalog-json.h"
#include "film-key.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define DONE_SUFFIX ".json"
#define FAILED_SUFFIX ".failed.json"

/* DIR/STEM.SUFFIX, STEM from film_key_file_stem(). */
static gchar *
result_path (const gchar * dir, const gchar * stem, const gchar * suffix)
{
  gchar *file = g_strconcat (stem, suffix, NULL);
  gchar *path = g_build_filename (dir, file, NULL);

  g_free (file);
  return path;
}

gboolean
results_prepare (const gchar * dir, GError ** error)
{
  gchar *probe;
  gint fd, saved_errno;

  if (g_mkdir_with_parents (dir, 0755) != 0) {
    saved_errno = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "results folder %s: %s", dir, g_strerror (saved_errno));
    return FALSE;
  }
  /* Found now, not after the first film's hour of decoding. */
  probe = g_build_filename (dir, ".gst-palette-probe-XXXXXX", NULL);
  fd = g_mkstemp (probe);
  saved_errno = errno;
  if (fd >= 0) {
    close (fd);
    g_unlink (probe);
  } else {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "results folder %s: cannot write in it: %s", dir,
        g_strerror (saved_errno));
  }
  g_free (probe);
  return fd >= 0;
}

static gboolean
failure_may_pass (const gchar * path)
{
  Catalog *catalog = catalog_load (path, NULL);
  gboolean retry = FALSE;

  if (catalog != NULL && catalog_get_n_movies (catalog) == 1) {
    JsonNode *flag = json_object_get_member (catalog_get_movie (catalog, 0),
        "retry");

    retry = flag != NULL && JSON_NODE_HOLDS_VALUE (flag) &&
        json_node_get_value_type (flag) == G_TYPE_BOOLEAN &&
        json_node_get_boolean (flag);
  }
  if (catalog != NULL)
    catalog_free (catalog);
  return retry;
}

ResultsState
results_get_state (const gchar * dir, const gchar * name)
{
  gchar *stem = film_key_file_stem (name);
  gchar *path = result_path (dir, stem, DONE_SUFFIX);
  ResultsState state = RESULTS_STATE_NONE;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    state = RESULTS_STATE_DONE;
  g_free (path);
  if (state == RESULTS_STATE_NONE) {
    path = result_path (dir, stem, FAILED_SUFFIX);
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      state = failure_may_pass (path) ? RESULTS_STATE_FAILED_RETRY :
          RESULTS_STATE_FAILED;
    g_free (path);
  }
  g_free (stem);
  return state;
}

gboolean
results_write (const gchar * dir, const CatalogFolder * folder,
    JsonObject * record, const gchar * reason, gboolean retry, gint64 frames,
    gint64 length, GError ** error)
{
  CatalogFilm film = { 0, };
  GPtrArray *records = g_ptr_array_new ();
  Catalog *catalog = catalog_new ();
  gchar *now = catalog_now_iso8601 ();
  gchar *stem, *path, *other;
  gboolean ok;

  film.title = folder->title;
  film.year = folder->year;
  film.director = folder->director;
  film.path = folder->display_path;
  film.file = folder->file;
  film.status = folder->status;
  film.frames = frames;
  film.length = length;
  if (record != NULL) {
    g_ptr_array_add (records, record);
  } else {
    film.error = (gchar *) reason;
    film.attempts = 1;
    film.last_attempt = now;
    film.retry = retry;
  }
  catalog_add_movie (catalog, catalog_json_movie_new (&film, records));

  stem = film_key_file_stem (folder->name);
  path = result_path (dir, stem, record ? DONE_SUFFIX : FAILED_SUFFIX);
  other = result_path (dir, stem, record ? FAILED_SUFFIX : DONE_SUFFIX);
  g_free (stem);
  /* catalog_save writes a temporary file of a unique name (O_EXCL: never
   * through a link), makes it durable and renames it over the old result:
   * a reader, or a node that dies, sees the old file or the new one. */
  ok = catalog_save (catalog, path, error);
  /* A palette ends the film's failure; a failure leaves an older palette
   * (a --recalc that failed), as the catalog does. */
  if (ok && record != NULL)
    g_unlink (other);
  g_free (other);
  g_free (path);
  g_free (now);
  catalog_free (catalog);
  g_ptr_array_unref (records);
  return ok;
}
