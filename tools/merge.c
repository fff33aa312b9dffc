/* gst-palette merge (see merge.h) */
#include "merge.h"

#include "catalog-json.h"

#include <string.h>

void
merge_counts_clear (MergeCounts * counts)
{
  g_clear_pointer (&counts->damaged, g_ptr_array_unref);
  memset (counts, 0, sizeof (*counts));
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The result files of DIR, sorted; temporary files (NAME.json.XXXXXX, a
 * write under way or cut by a crash) and hidden ones are not results. */
static GPtrArray *
list_results (const gchar * dir, GError ** error)
{
  GDir *handle = g_dir_open (dir, 0, error);
  GPtrArray *names;
  const gchar *entry;

  if (handle == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (handle)) != NULL)
    if (entry[0] != '.' && g_str_has_suffix (entry, ".json"))
      g_ptr_array_add (names, g_build_filename (dir, entry, NULL));
  g_dir_close (handle);
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* A transient error (the catalog busy, the disk full) stops the merge; a
 * file that is not a result is only skipped. */
static gboolean
is_damaged_file (const GError * error)
{
  return error->domain == JSON_PARSER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static gboolean
merge_folder (CatalogDb * db, CatalogJsonImport * import, const gchar * dir,
    MergeCounts * counts, GError ** error)
{
  GPtrArray *paths = list_results (dir, error);
  gboolean ok = TRUE;
  guint i;

  if (paths == NULL)
    return FALSE;
  for (i = 0; ok && i < paths->len; i++) {
    const gchar *path = paths->pdata[i];
    GError *file_error = NULL;

    if (!catalog_db_begin (db, error)) {
      ok = FALSE;
      break;
    }
    if (catalog_json_import_add_file (import, path, &file_error)) {
      ok = catalog_db_commit (db, error);
      counts->n_results++;
      continue;
    }
    catalog_db_rollback (db);
    if (!is_damaged_file (file_error)) {
      g_propagate_error (error, file_error);
      ok = FALSE;
      break;
    }
    if (counts->damaged == NULL)
      counts->damaged = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (counts->damaged, g_strdup (file_error->message));
    g_error_free (file_error);
  }
  g_ptr_array_unref (paths);
  return ok;
}

static gboolean
merge_film (CatalogDb * db, CatalogDb * source, CatalogJsonImport * import,
    CatalogFilm * film, GError ** error)
{
  GPtrArray *records = catalog_db_get_palettes (source, film->movie_id, TRUE,
      error);
  JsonObject *movie;
  gboolean ok;

  if (records == NULL)
    return FALSE;
  movie = catalog_json_movie_new (film, records);
  ok = catalog_db_begin (db, error);
  if (ok && !catalog_json_import_add_movie (import, movie, error)) {
    catalog_db_rollback (db);
    ok = FALSE;
  }
  if (ok)
    ok = catalog_db_commit (db, error);
  json_object_unref (movie);
  g_ptr_array_unref (records);
  return ok;
}

static gboolean
merge_catalog (CatalogDb * db, CatalogJsonImport * import,
    const gchar * filename, MergeCounts * counts, GError ** error)
{
  CatalogDb *source = catalog_db_open (filename, error);
  GPtrArray *films;
  gboolean ok = TRUE;
  guint i;

  if (source == NULL)
    return FALSE;
  films = catalog_db_list_films (source, error);
  if (films == NULL) {
    catalog_db_close (source);
    return FALSE;
  }
  for (i = 0; ok && i < films->len; i++) {
    ok = merge_film (db, source, import, films->pdata[i], error);
    if (ok)
      counts->n_results++;
  }
  g_ptr_array_unref (films);
  catalog_db_close (source);
  if (!ok)
    g_prefix_error (error, "merging %s: ", filename);
  return ok;
}

gboolean
merge_source (CatalogDb * db, const gchar * source, MergeCounts * counts,
    GError ** error)
{
  CatalogJsonImport *import;
  guint n_films, n_palettes;
  gboolean ok;

  if (!g_file_test (source, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
        "%s: no such results folder or catalog", source);
    return FALSE;
  }
  import = catalog_json_import_new (db, error);
  if (import == NULL)
    return FALSE;
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    ok = merge_folder (db, import, source, counts, error);
  else if (catalog_db_is_sqlite_name (source))
    ok = merge_catalog (db, import, source, counts, error);
  else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "%s: neither a results folder nor an SQLite catalog (a JSON catalog "
        "goes through gst-palette import)", source);
    ok = FALSE;
  }
  catalog_json_import_free (import, &n_films, &n_palettes);
  counts->n_films += n_films;
  counts->n_palettes += n_palettes;
  return ok;
}
