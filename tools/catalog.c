/* gst-palette: the film catalog, kept in the seed notebook's JSON shape:
 * {"last_updated": ISO-8601, "movies": [{title, status, director, year, path,
 * frames, length, palettes[]}, ...]} with movies sorted by title. Unknown
 * members are kept as they are, so files written by the notebook survive. */
#include "catalog.h"

#include "atomic-file.h"
#include "record.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _Catalog
{
  JsonObject *root;
  JsonArray *movies;
};

static const gchar *const video_extensions[] = {
  "avi", "mkv", "mp4", "m4v", "mov", "webm", "ogv", "ogm", "mpg", "mpeg",
  "m2v", "ts", "m2ts", "mts", "vob", "wmv", "asf", "flv", "3gp", "dv", "mxf",
  NULL
};

void
catalog_folder_free (CatalogFolder * folder)
{
  if (folder == NULL)
    return;
  g_free (folder->name);
  g_free (folder->title);
  g_free (folder->year);
  g_free (folder->director);
  g_free (folder->file);
  g_free (folder->display_path);
  g_free (folder->full_path);
  g_free (folder->status);
  g_free (folder);
}

void
catalog_parse_folder_name (const gchar * name, gchar ** title, gchar ** year,
    gchar ** director)
{
  /* The seed's pattern, but anchored at both ends: unanchored, as the
   * seed's re.search() used it, "Alien (1979) Director's Cut" read as
   * "Alien (1979)" and the two became one film. */
  static GRegex *regex = NULL;
  GMatchInfo *match = NULL;

  if (g_once_init_enter (&regex)) {
    GRegex *r = g_regex_new ("^(.+) \\((\\d{4})(?:, ([^()]+))?\\)$",
        G_REGEX_DOLLAR_ENDONLY, 0, NULL);
    g_once_init_leave (&regex, r);
  }

  *title = *year = *director = NULL;
  if (g_regex_match (regex, name, 0, &match)) {
    gchar *d = g_match_info_fetch (match, 3);

    *title = g_match_info_fetch (match, 1);
    *year = g_match_info_fetch (match, 2);
    if (d != NULL && *d != '\0')
      *director = d;
    else
      g_free (d);
  } else {
    *title = g_strdup (name);
  }
  g_match_info_free (match);
}

gboolean
catalog_is_video_file (const gchar * filename)
{
  const gchar *dot = strrchr (filename, '.');
  gchar *ext;
  gboolean found;

  if (dot == NULL || dot == filename || filename[0] == '.')
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  found = g_strv_contains (video_extensions, ext);
  g_free (ext);
  return found;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* A film's file that is a symbolic link out of the library is followed, but
 * not silently: the catalog then depends on a file elsewhere. */
static void
warn_if_outside_library (const gchar * dir_path, const gchar * file)
{
  gchar *library, *library_real, *target;

  if (!g_file_test (file, G_FILE_TEST_IS_SYMLINK))
    return;
  library = g_path_get_dirname (dir_path);
  library_real = realpath (library, NULL);
  target = realpath (file, NULL);
  if (library_real && target && !(g_str_has_prefix (target, library_real)
          && target[strlen (library_real)] == G_DIR_SEPARATOR))
    g_printerr ("gst-palette: warning: \"%s\" is a symbolic link out of the "
        "library, to \"%s\"\n", file, target);
  free (library_real);
  free (target);
  g_free (library);
}

CatalogFolder *
catalog_folder_scan (const gchar * library_dir, const gchar * name,
    GError ** error)
{
  gchar *dir_path = g_build_filename (library_dir, name, NULL);
  GDir *dir;
  const gchar *entry;
  GPtrArray *videos;
  CatalogFolder *folder;
  gchar *display_name;

  dir = g_dir_open (dir_path, 0, error);
  if (dir == NULL) {
    g_free (dir_path);
    return NULL;
  }

  videos = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (dir)) != NULL) {
    gchar *full = g_build_filename (dir_path, entry, NULL);

    if (catalog_is_video_file (entry) &&
        g_file_test (full, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (videos, g_strdup (entry));
    g_free (full);
  }
  g_dir_close (dir);
  g_ptr_array_sort (videos, compare_strings);

  folder = g_new0 (CatalogFolder, 1);
  folder->name = g_strdup (name);
  /* Parsed from the UTF-8 form: a name that is not UTF-8 gets U+FFFD where
   * its bad bytes are, and keeps its bytes in FILE. */
  display_name = g_filename_display_name (name);
  catalog_parse_folder_name (display_name, &folder->title, &folder->year,
      &folder->director);
  g_free (display_name);

  if (videos->len == 1) {
    folder->file = g_build_filename (name, videos->pdata[0], NULL);
    folder->display_path = g_filename_display_name (folder->file);
    folder->full_path = g_build_filename (dir_path, videos->pdata[0], NULL);
    folder->status = g_strdup (CATALOG_STATUS_FOUND);
    warn_if_outside_library (dir_path, folder->full_path);
  } else if (videos->len == 0) {
    folder->status = g_strdup (CATALOG_STATUS_NO_FILE);
  } else {
    GString *status = g_string_new (CATALOG_STATUS_MANY_FILES);
    guint i;

    for (i = 0; i < videos->len; i++) {
      gchar *shown = g_filename_display_name (videos->pdata[i]);

      g_string_append_printf (status, " \"%s\"", shown);
      g_free (shown);
    }
    folder->status = g_string_free (status, FALSE);
  }
  g_ptr_array_unref (videos);
  g_free (dir_path);
  return folder;
}

GPtrArray *
catalog_list_folder_names (const gchar * library_dir, GError ** error)
{
  GDir *dir;
  const gchar *entry;
  GPtrArray *names;

  dir = g_dir_open (library_dir, 0, error);
  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (dir)) != NULL) {
    gchar *full = g_build_filename (library_dir, entry, NULL);

    if (entry[0] != '.' && g_file_test (full, G_FILE_TEST_IS_DIR))
      g_ptr_array_add (names, g_strdup (entry));
    else if (catalog_is_video_file (entry) && g_file_test (full,
            G_FILE_TEST_IS_REGULAR)) {
      /* Each film has its folder: a film file beside them is not one, and
       * a user who put it there expects it to be, so it is told. */
      gchar *shown = g_filename_display_name (full);

      g_printerr ("gst-palette: warning: \"%s\" is not in a film folder, "
          "skipped (move it into a folder \"Title (Year)\" of its own)\n",
          shown);
      g_free (shown);
    }
    g_free (full);
  }
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

GPtrArray *
catalog_scan_library (const gchar * library_dir, GError ** error)
{
  GPtrArray *names = catalog_list_folder_names (library_dir, error);
  GPtrArray *folders;
  guint i;

  if (names == NULL)
    return NULL;
  folders = g_ptr_array_new_with_free_func ((GDestroyNotify)
      catalog_folder_free);
  for (i = 0; i < names->len; i++) {
    CatalogFolder *folder = catalog_folder_scan (library_dir, names->pdata[i],
        NULL);

    /* A folder that vanished or cannot be read is simply not a film. */
    if (folder != NULL)
      g_ptr_array_add (folders, folder);
  }
  g_ptr_array_unref (names);
  return folders;
}

Catalog *
catalog_new (void)
{
  Catalog *catalog = g_new0 (Catalog, 1);

  catalog->root = json_object_new ();
  catalog->movies = json_array_new ();
  json_object_set_null_member (catalog->root, "last_updated");
  json_object_set_array_member (catalog->root, "movies",
      json_array_ref (catalog->movies));
  return catalog;
}

void
catalog_free (Catalog * catalog)
{
  if (catalog == NULL)
    return;
  json_array_unref (catalog->movies);
  json_object_unref (catalog->root);
  g_free (catalog);
}

static gboolean
validate_movies (JsonArray * movies, const gchar * name, GError ** error)
{
  guint i, n = json_array_get_length (movies);

  for (i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element (movies, i);
    JsonObject *movie;
    JsonNode *member;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      goto bad;
    movie = json_node_get_object (node);
    member = json_object_get_member (movie, "title");
    if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
      goto bad;
    member = json_object_get_member (movie, "palettes");
    if (member != NULL && !JSON_NODE_HOLDS_ARRAY (member)
        && !JSON_NODE_HOLDS_NULL (member))
      goto bad;
    continue;
  bad:
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: not a palette catalog: movies[%u] is not a film "
        "(an object with a \"title\" string and a \"palettes\" list)", name, i);
    return FALSE;
  }
  return TRUE;
}

Catalog *
catalog_load_from_data (const gchar * data, gssize length, const gchar * name,
    GError ** error)
{
  JsonParser *parser = json_parser_new ();
  GError *parse_error = NULL;
  JsonNode *root;
  JsonArray *movies = NULL;
  Catalog *catalog = NULL;

  if (!record_json_depth_ok (data, length < 0 ? strlen (data) : (gsize) length,
          RECORD_MAX_JSON_DEPTH)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog: JSON nested deeper than %d levels", name,
        RECORD_MAX_JSON_DEPTH);
    goto out;
  }
  if (!json_parser_load_from_data (parser, data, length, &parse_error)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog, not valid JSON: %s", name, parse_error->message);
    g_error_free (parse_error);
    goto out;
  }
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root)) {
    /* The notebook's "frames and length" cell saves the bare movie list. */
    movies = json_node_get_array (root);
  } else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonNode *node = json_object_get_member (json_node_get_object (root),
        "movies");

    if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
      movies = json_node_get_array (node);
  }
  if (movies == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: not a palette catalog: no \"movies\" list", name);
    goto out;
  }
  if (!validate_movies (movies, name, error))
    goto out;

  catalog = g_new0 (Catalog, 1);
  if (JSON_NODE_HOLDS_OBJECT (root)) {
    catalog->root = json_node_dup_object (root);
  } else {
    catalog->root = json_object_new ();
    json_object_set_null_member (catalog->root, "last_updated");
    json_object_set_array_member (catalog->root, "movies",
        json_array_ref (movies));
  }
  catalog->movies = json_array_ref (movies);

out:
  g_object_unref (parser);
  return catalog;
}

Catalog *
catalog_load (const gchar * filename, GError ** error)
{
  gchar *data = NULL;
  gsize length = 0;
  GError *read_error = NULL;
  Catalog *catalog;

  if (!g_file_get_contents (filename, &data, &length, &read_error)) {
    if (g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      g_error_free (read_error);
      return catalog_new ();
    }
    g_propagate_error (error, read_error);
    return NULL;
  }
  if (length == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog: the file is empty", filename);
    g_free (data);
    return NULL;
  }
  catalog = catalog_load_from_data (data, length, filename, error);
  g_free (data);
  return catalog;
}

void
catalog_add_movie (Catalog * catalog, JsonObject * movie)
{
  json_array_add_object_element (catalog->movies, movie);
}

JsonObject *
catalog_get_root (Catalog * catalog)
{
  return catalog->root;
}

guint
catalog_get_n_movies (Catalog * catalog)
{
  return json_array_get_length (catalog->movies);
}

JsonObject *
catalog_get_movie (Catalog * catalog, guint index)
{
  return json_array_get_object_element (catalog->movies, index);
}

JsonObject *
catalog_find_movie (Catalog * catalog, const gchar * title)
{
  guint i, n = catalog_get_n_movies (catalog);

  for (i = 0; i < n; i++) {
    JsonObject *movie = catalog_get_movie (catalog, i);

    if (g_strcmp0 (record_get_string (movie, "title"), title) == 0)
      return movie;
  }
  return NULL;
}

gchar *
catalog_movie_dup_year (JsonObject * movie)
{
  JsonNode *node = json_object_get_member (movie, "year");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

JsonObject *
catalog_update_folder (Catalog * catalog, const CatalogFolder * folder)
{
  guint i, n = catalog_get_n_movies (catalog);
  JsonObject *movie = NULL;

  /* Title and year together tell remakes apart. */
  for (i = 0; i < n && movie == NULL; i++) {
    JsonObject *candidate = catalog_get_movie (catalog, i);
    gchar *year = catalog_movie_dup_year (candidate);

    if (g_strcmp0 (record_get_string (candidate, "title"), folder->title) == 0
        && g_strcmp0 (year, folder->year) == 0)
      movie = candidate;
    g_free (year);
  }

  if (movie == NULL) {
    movie = json_object_new ();
    json_object_set_string_member (movie, "title", folder->title);
    json_object_set_null_member (movie, "status");
    json_object_set_null_member (movie, "director");
    json_object_set_null_member (movie, "year");
    json_object_set_null_member (movie, "path");
    json_object_set_null_member (movie, "frames");
    json_object_set_null_member (movie, "length");
    json_object_set_array_member (movie, "palettes", json_array_new ());
    json_array_add_object_element (catalog->movies, movie);
  }

  /* A file that changed makes the old frame count meaningless. */
  if (g_strcmp0 (record_get_string (movie, "path"),
          folder->display_path) != 0) {
    json_object_set_null_member (movie, "frames");
    json_object_set_null_member (movie, "length");
  }
  record_set_string_or_null (movie, "status", folder->status);
  record_set_string_or_null (movie, "director", folder->director);
  record_set_string_or_null (movie, "year", folder->year);
  record_set_string_or_null (movie, "path", folder->display_path);
  if (!json_object_has_member (movie, "palettes") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (movie, "palettes")))
    json_object_set_array_member (movie, "palettes", json_array_new ());
  return movie;
}

guint
catalog_movie_n_palettes (JsonObject * movie)
{
  JsonNode *node = json_object_get_member (movie, "palettes");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  return json_array_get_length (json_node_get_array (node));
}

void
catalog_movie_add_palette (JsonObject * movie, JsonObject * record,
    gint64 frames, gint64 length)
{
  JsonNode *node = json_object_get_member (movie, "palettes");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)) {
    json_object_set_array_member (movie, "palettes", json_array_new ());
    node = json_object_get_member (movie, "palettes");
  }
  json_array_add_object_element (json_node_get_array (node), record);
  if (frames >= 0)
    json_object_set_int_member (movie, "frames", frames);
  if (length >= 0)
    json_object_set_int_member (movie, "length", length);
}

void
catalog_movie_set_status (JsonObject * movie, const gchar * status)
{
  record_set_string_or_null (movie, "status", status);
}

gchar *
catalog_now_iso8601 (void)
{
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f+00:00");

  g_date_time_unref (now);
  return text;
}

static gint
compare_movies (gconstpointer a, gconstpointer b)
{
  JsonObject *ma = json_node_get_object (*(JsonNode * const *) a);
  JsonObject *mb = json_node_get_object (*(JsonNode * const *) b);

  /* Python's sort: by code point, which strcmp() gives for UTF-8. */
  return g_strcmp0 (record_get_string (ma, "title"),
      record_get_string (mb, "title"));
}

static void
sort_movies (Catalog * catalog)
{
  GList *elements = json_array_get_elements (catalog->movies), *l;
  GPtrArray *nodes = g_ptr_array_new ();
  JsonArray *sorted = json_array_new ();
  guint i;

  for (l = elements; l != NULL; l = l->next)
    g_ptr_array_add (nodes, l->data);
  /* Nodes are copied by reference, so JsonObject pointers held by callers
   * stay valid. g_ptr_array_sort() is stable: equal titles keep their
   * order. */
  g_ptr_array_sort (nodes, compare_movies);
  for (i = 0; i < nodes->len; i++)
    json_array_add_element (sorted, json_node_copy (nodes->pdata[i]));
  g_ptr_array_unref (nodes);
  g_list_free (elements);

  json_object_set_array_member (catalog->root, "movies",
      json_array_ref (sorted));
  json_array_unref (catalog->movies);
  catalog->movies = sorted;
}

/* json-glib 1.6 prints inf as "inf.0" and 1e+20 as "1e+20.0", which no
 * JSON reader (json-glib included) accepts: one such number read from a
 * hostile or hand-edited catalog would make the saved catalog unreadable.
 * Such numbers become null, strings that are not UTF-8 are repaired
 * (found by tests/fuzz/fuzz-json.c). */
static void
drop_unprintable_numbers (JsonNode * node)
{
  if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *object = json_node_get_object (node);
    GList *members = json_object_get_members (object), *l;

    for (l = members; l != NULL; l = l->next)
      drop_unprintable_numbers (json_object_get_member (object, l->data));
    g_list_free (members);
  } else if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *array = json_node_get_array (node);
    guint i, n = json_array_get_length (array);

    for (i = 0; i < n; i++)
      drop_unprintable_numbers (json_array_get_element (array, i));
  } else if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
    gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
    gdouble value = json_node_get_double (node);

    g_ascii_formatd (buf, sizeof (buf), "%.17g", value);
    if (!isfinite (value) || (strchr (buf, '.') == NULL
            && strpbrk (buf, "eE") != NULL))
      json_node_init_null (node);
  } else if (json_node_get_value_type (node) == G_TYPE_STRING) {
    const gchar *text = json_node_get_string (node);

    /* a lone "\ud800" escape reads as bytes that are not UTF-8, which
     * json-glib writes out as they are and then refuses to read back */
    if (text != NULL && !g_utf8_validate (text, -1, NULL)) {
      gchar *valid = g_utf8_make_valid (text, -1);

      json_node_set_string (node, valid);
      g_free (valid);
    }
  }
}

gchar *
catalog_to_data (Catalog * catalog, gsize * length)
{
  JsonGenerator *generator = json_generator_new ();
  JsonNode *root = json_node_init_object (json_node_alloc (), catalog->root);
  gchar *data;

  drop_unprintable_numbers (root);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);
  json_generator_set_indent_char (generator, '\t');
  data = json_generator_to_data (generator, length);
  json_node_unref (root);
  g_object_unref (generator);
  return data;
}

gboolean
catalog_save (Catalog * catalog, const gchar * filename, GError ** error)
{
  gchar *now = catalog_now_iso8601 ();
  gchar *data;
  gsize length;
  gboolean ok;

  sort_movies (catalog);
  json_object_set_string_member (catalog->root, "last_updated", now);
  g_free (now);
  data = catalog_to_data (catalog, &length);
  /* Temporary file, fsync, rename: a reader or a crash sees the old file or
   * the new one, never half of one. */
  ok = atomic_file_set_contents (filename, data, length, error);
  g_free (data);
  return ok;
}
