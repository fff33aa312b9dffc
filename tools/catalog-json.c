/* gst-palette: the JSON catalog as an edge format of the SQLite catalog.
 * Importing merges a notebook-shaped catalog into a database; exporting
 * writes a database back in that shape, with the fingerprints in files of
 * their own beside it. */
/* syncfs() */
#define _GNU_SOURCE

#include "catalog-json.h"

#include "atomic-file.h"
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#define STATUS_ERROR_PREFIX "Error: "

/* How often a process waiting for the lock tries again. */
#define LOCK_RETRY_MS 50

/* Palette ids of 6 hex digits (the notebook's) or a UUID (ours) are far
 * shorter; a longer one would not fit in a file name. */
#define MAX_FILE_ID_LENGTH 200

struct _CatalogJsonFile
{
  gchar *filename;
  CatalogDb *db;
  gboolean seen;                /* the file existed when we last read or
                                 * wrote it, and IDENTITY is what it was */
  struct stat identity;
  gint held_lock;               /* catalog_json_file_lock's, or -1 */
};

gchar *
catalog_json_fingerprints_dir (const gchar * filename)
{
  gsize length = strlen (filename);

  if (g_str_has_suffix (filename, ".json"))
    length -= strlen (".json");
  return g_strdup_printf ("%.*s.fingerprints", (gint) length, filename);
}

static gboolean
is_dir_beside_catalog (const gchar * path, const gchar * suffix)
{
  gchar *catalog;
  gboolean found;

  if (!g_str_has_suffix (path, suffix))
    return FALSE;
  catalog = g_strdup_printf ("%.*s.json",
      (gint) (strlen (path) - strlen (suffix)), path);
  found = g_file_test (catalog, G_FILE_TEST_IS_REGULAR);
  g_free (catalog);
  return found;
}

gboolean
catalog_json_is_own_dir (const gchar * path)
{
  return is_dir_beside_catalog (path, ".fingerprints") ||
      is_dir_beside_catalog (path, ".claims");
}

/* Palette ids name the fingerprint files: an id that would reach out of the
 * folder ("../x", "a/b"), hide in it (".x") or not fit in a file name has
 * none, neither read nor written. */
static gboolean
id_is_file_name (const gchar * id)
{
  return id != NULL && id[0] != '\0' && id[0] != '.'
      && strchr (id, G_DIR_SEPARATOR) == NULL
      && strlen (id) <= MAX_FILE_ID_LENGTH;
}

static gchar *
fingerprint_path (const gchar * dir, const gchar * id)
{
  gchar *name = g_strconcat (id, ".json", NULL);
  gchar *path = g_build_filename (dir, name, NULL);

  g_free (name);
  return path;
}

static gboolean
get_flag (JsonObject * object, const gchar * member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
      && json_node_get_boolean (node);
}

/* A count or a number of seconds, or -1 when unknown. */
static gint64
get_count (JsonObject * movie, const gchar * member)
{
  JsonNode *node = json_object_get_member (movie, member);
  gdouble value;

  if (node == NULL)
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return MAX (json_node_get_int (node), -1);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return -1;
  /* compared before the cast: a double beyond gint64 is undefined
   * behaviour in C */
  value = json_node_get_double (node);
  return value >= 0.0 && value < 9e18 ? (gint64) value : -1;
}

static JsonArray *
get_palettes (JsonObject * movie)
{
  JsonNode *node = json_object_get_member (movie, "palettes");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ?
      json_node_get_array (node) : NULL;
}

/* --- fingerprints lifted out before parsing ------------------------------
 *
 * Older catalogs of ours carry every fingerprint inline: ~500 bytes of JSON
 * a sampled frame, 640 MB for 441 films, which json-glib would hold as
 * several gigabytes of nodes. So the records' "fingerprint" values are cut
 * out of the text before it is parsed, each replaced by its number in
 * SPANS, and parsed one at a time when its palette is imported. Any other
 * value of such a member becomes null: a number in the parsed catalog is
 * always ours. */

typedef struct
{
  gsize offset;
  gsize length;
} Span;

/* The end of the JSON value at P (a string, a number or literal, or a
 * container with everything in it); END when it does not end. */
static const gchar *
skip_value (const gchar * p, const gchar * end)
{
  guint depth = 0;

  if (p < end && *p != '"' && *p != '{' && *p != '[') {
    while (p < end && !strchr (",}] \t\r\n", *p))
      p++;
    return p;
  }
  while (p < end) {
    if (*p == '"') {
      for (p++; p < end && *p != '"'; p++)
        if (*p == '\\' && p + 1 < end)
          p++;
      p++;
      if (depth == 0)
        return MIN (p, end);
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if ((*p == '}' || *p == ']') && --depth == 0)
      return p + 1;
    p++;
  }
  return end;
}

static gchar *
lift_fingerprints (const gchar * data, gsize length, GArray * spans)
{
  GString *rest = g_string_sized_new (MIN (length, 1 << 20));
  const gchar *p = data, *end = data + length, *copied = data;
  /* the open containers: '{' or '[' */
  GString *stack = g_string_new (NULL);
  gboolean expect_key = FALSE;

  while (p < end) {
    gchar c = *p;

    if (c == '"') {
      const gchar *start = p;
      guint record_depth = stack->len > 0 && stack->str[0] == '[' ? 4 : 5;

      p = skip_value (p, end);
      if (expect_key && stack->len == record_depth
          && stack->str[stack->len - 1] == '{'
          && p - start == strlen ("\"fingerprint\"")
          && memcmp (start, "\"fingerprint\"", p - start) == 0) {
        const gchar *value = p;

        while (value < end && strchr (" \t\r\n", *value))
          value++;
        if (value < end && *value == ':') {
          const gchar *value_end;

          value++;
          while (value < end && strchr (" \t\r\n", *value))
            value++;
          value_end = skip_value (value, end);
          g_string_append_len (rest, copied, value - copied);
          if (value < end && *value == '{') {
            Span span = { value - data, value_end - value };

            g_string_append_printf (rest, "%u", spans->len);
            g_array_append_val (spans, span);
          } else {
            g_string_append (rest, "null");
          }
          copied = p = value_end;
        }
      }
      expect_key = FALSE;
      continue;
    }
    if (c == '{' || c == '[') {
      g_string_append_c (stack, c);
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (stack->len > 0)
        g_string_truncate (stack, stack->len - 1);
    } else if (c == ',') {
      expect_key = stack->len > 0 && stack->str[stack->len - 1] == '{';
    }
    p++;
  }
  g_string_append_len (rest, copied, end - copied);
  g_string_free (stack, TRUE);
  return g_string_free (rest, FALSE);
}

/* catalog_load checks the catalog's frame; an import also needs each
 * palette to be a record, with a string id when it has one, so that a
 * damaged file is refused before anything of it reaches the database. */
static gboolean
validate_palettes (Catalog * catalog, const gchar * filename, GError ** error)
{
  guint i, j, n = catalog_get_n_movies (catalog);

  for (i = 0; i < n; i++) {
    JsonArray *palettes = get_palettes (catalog_get_movie (catalog, i));
    guint n_palettes = palettes != NULL ? json_array_get_length (palettes) : 0;

    for (j = 0; j < n_palettes; j++) {
      JsonNode *node = json_array_get_element (palettes, j);
      JsonObject *record;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      record = json_node_get_object (node);
      member = json_object_get_member (record, "id");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
          && json_node_get_value_type (member) != G_TYPE_STRING)
        goto bad;
      member = json_object_get_member (record, "fingerprint");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
          && json_node_get_value_type (member) != G_TYPE_INT64)
        goto bad;
      continue;
    bad:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: damaged catalog: movies[%u].palettes[%u] is not a palette "
          "record (an object, with a string \"id\" and a \"fingerprint\" "
          "object if any)", filename, i, j);
      return FALSE;
    }
  }
  return TRUE;
}

/* Reads the fingerprint file PATH: NULL with ERROR unset when there is
 * none. */
static JsonObject *
load_fingerprint (const gchar * path, const gchar * id, GError ** error)
{
  JsonParser *parser;
  GError *local_error = NULL;
  JsonObject *fingerprint = NULL;
  JsonNode *root;
  const gchar *problem = NULL;
  gchar *data;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &local_error)) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      g_error_free (local_error);
    else
      g_propagate_error (error, local_error);
    return NULL;
  }

  parser = json_parser_new ();
  if (!record_json_depth_ok (data, length, RECORD_MAX_JSON_DEPTH))
    problem = "JSON nested too deep";
  else if (!json_parser_load_from_data (parser, data, length, &local_error))
    problem = local_error->message;
  else if ((root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "colors"))
    problem = "not a fingerprint object with \"colors\"";
  else
    fingerprint = json_node_dup_object (root);

  if (problem != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged fingerprint file (%s); remove it to import palette %s "
        "without its fingerprint", path, problem, id);
  g_clear_error (&local_error);
  g_object_unref (parser);
  g_free (data);
  return fingerprint;
}

/* Older catalogs of ours carry the fingerprint in the record; newer ones in
 * the fingerprint folder. */
static gboolean
attach_fingerprint (JsonObject * record, const gchar * dir, GError ** error)
{
  JsonNode *member = json_object_get_member (record, "fingerprint");
  const gchar *id = record_get_string (record, "id");
  JsonObject *fingerprint;
  GError *local_error = NULL;
  gchar *path;

  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    return TRUE;
  if (!id_is_file_name (id))
    return TRUE;

  path = fingerprint_path (dir, id);
  fingerprint = load_fingerprint (path, id, &local_error);
  g_free (path);
  if (local_error != NULL) {
    g_propagate_error (error, local_error);
    return FALSE;
  }
  if (fingerprint != NULL)
    json_object_set_object_member (record, "fingerprint", fingerprint);
  return TRUE;
}

/* The film has RECORD already: the same id, or the same date and colors
 * (a record that got a new id because another film had its id first, as
 * 6-hex-digit ids of the notebook sometimes collide). */
static gboolean
has_palette (GPtrArray * known, JsonObject * record)
{
  const gchar *id = record_get_string (record, "id");
  const gchar *date = record_get_string (record, "calculation_date");
  JsonNode *colors = json_object_get_member (record, "colors");
  guint i;

  for (i = 0; i < known->len; i++) {
    JsonObject *other = known->pdata[i];
    JsonNode *other_colors = json_object_get_member (other, "colors");

    if (id != NULL && g_strcmp0 (id, record_get_string (other, "id")) == 0)
      return TRUE;
    if (date != NULL
        && g_strcmp0 (date, record_get_string (other, "calculation_date")) == 0
        && colors != NULL && other_colors != NULL
        && json_node_equal (colors, other_colors))
      return TRUE;
  }
  return FALSE;
}

/* ISO 8601 dates in UTC sort as text, and the frontend compares them so;
 * g_ptr_array_sort() is stable, so records of one date keep their order. */
static gint
compare_dates (gconstpointer a, gconstpointer b)
{
  JsonObject *ra = *(JsonObject * const *) a;
  JsonObject *rb = *(JsonObject * const *) b;

  return g_strcmp0 (record_get_string (ra, "calculation_date"),
      record_get_string (rb, "calculation_date"));
}

typedef struct _CatalogJsonImport
{
  CatalogDb *db;
  const gchar *filename;
  const gchar *fingerprints_dir;
  /* FALSE: fingerprints stay in (or move to) the fingerprint folder, and
   * the database gets the palettes alone, as a run on a JSON catalog
   * wants; TRUE: they go into the database, as `gst-palette import`. */
  gboolean load_fingerprints;
  const gchar *data;            /* the file's text */
  GArray *spans;                /* Span: its lifted fingerprints */
  GHashTable *film_ids;         /* films of the database: gint64 * */
  guint n_films;                /* new ones */
  guint n_palettes;
} Import;

static gboolean write_fingerprint (const gchar * dir, const gchar * id,
    JsonObject * fingerprint, GError ** error);

static JsonObject *
parse_lifted (Import * import, guint index, const gchar * id, GError ** error)
{
  Span *span = &g_array_index (import->spans, Span, index);
  JsonParser *parser = json_parser_new ();
  GError *parse_error = NULL;
  JsonObject *fingerprint = NULL;

  if (json_parser_load_from_data (parser, import->data + span->offset,
          span->length, &parse_error))
    fingerprint = json_node_dup_object (json_parser_get_root (parser));
  else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog: the fingerprint of palette %s: %s",
        import->filename, id ? id : "(no id)", parse_error->message);
    g_error_free (parse_error);
  }
  g_object_unref (parser);
  return fingerprint;
}

/* The record's fingerprint: the one lifted out of the file, else the one
 * in the fingerprint folder, into the database or left where it is. */
static gboolean
take_fingerprint (Import * import, JsonObject * record, GError ** error)
{
  JsonNode *member = json_object_get_member (record, "fingerprint");
  const gchar *id = record_get_string (record, "id");
  JsonObject *fingerprint;
  gboolean ok = TRUE;

  /* A film handed over whole (from another database) has it inline. */
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member)
      && import->load_fingerprints)
    return TRUE;
  if (member == NULL || import->spans == NULL
      || json_node_get_value_type (member) != G_TYPE_INT64
      || json_node_get_int (member) < 0
      || json_node_get_int (member) >= import->spans->len) {
    json_object_remove_member (record, "fingerprint");
    return !import->load_fingerprints ||
        attach_fingerprint (record, import->fingerprints_dir, error);
  }
  fingerprint = parse_lifted (import, json_node_get_int (member), id, error);
  if (fingerprint == NULL)
    return FALSE;
  if (import->load_fingerprints) {
    json_object_set_object_member (record, "fingerprint", fingerprint);
    return TRUE;
  }
  /* An inline fingerprint moves to the folder, where the catalog written
   * back expects it. */
  json_object_remove_member (record, "fingerprint");
  if (id_is_file_name (id)) {
    gchar *path = fingerprint_path (import->fingerprints_dir, id);

    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      ok = write_fingerprint (import->fingerprints_dir, id, fingerprint,
          error);
    g_free (path);
  }
  json_object_unref (fingerprint);
  return ok;
}

/* The members of a film (of the whole catalog) that have a column: the
 * others are kept aside, so that a notebook file's own members survive a
 * trip through the database. */
static const gchar *const movie_members[] = {
  "title", "status", "director", "year", "path", "frames", "length",
  "palettes", "file", "type", "added", "attempts", "last_attempt", "retry",
  NULL
};

/* File names are bytes, JSON strings UTF-8: a file whose name is not UTF-8
 * (or that is not where "path" says) is kept as "file", percent-encoded. */
#define FILE_RESERVED_CHARS "/ ()[],;:'&!+=@$~"

static const gchar *const root_members[] = { "last_updated", "movies", NULL };

/* gp_catalog's key for a JSON catalog's own top-level members */
#define JSON_EXTRA_SETTING "json-extra-members"

static void
set_nullable_count (JsonObject * object, const gchar * name, gint64 value)
{
  if (value >= 0)
    json_object_set_int_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* Whether the failure of MOVIE tells DB's film something new. Compared
 * with the film's error so that importing one file again (each merge of a
 * shared catalog does) does not count one more attempt; and by date, so
 * that results merged in any order end the same: a failure older than the
 * film's last failure or than one of its palettes is history. */
static gboolean
failure_is_news (CatalogFilm * film, GPtrArray * known, JsonObject * movie,
    const gchar * failure)
{
  const gchar *date = record_get_string (movie, "last_attempt");
  guint i;

  if (date == NULL)
    return g_strcmp0 (film->error, failure) != 0;
  if (film->last_attempt != NULL && strcmp (date, film->last_attempt) <= 0)
    return FALSE;
  for (i = 0; i < known->len; i++) {
    const gchar *palette_date = record_get_string (known->pdata[i],
        "calculation_date");

    if (palette_date != NULL && strcmp (palette_date, date) >= 0)
      return FALSE;
  }
  return TRUE;
}

static gboolean
import_movie (Import * import, JsonObject * movie, GError ** error)
{
  CatalogFolder folder = { 0 };
  const gchar *status = record_get_string (movie, "status");
  const gchar *failure = NULL;
  CatalogFilm *film = NULL;
  GPtrArray *known = NULL, *records = NULL;
  JsonArray *palettes = get_palettes (movie);
  gint64 frames = get_count (movie, "frames");
  gint64 length = get_count (movie, "length");
  gchar *extra = NULL, *file = NULL;
  gboolean ok = FALSE, new_film = FALSE;
  guint i;

  folder.title = (gchar *) record_get_string (movie, "title");
  folder.year = catalog_movie_dup_year (movie);
  folder.director = (gchar *) record_get_string (movie, "director");
  folder.display_path = (gchar *) record_get_string (movie, "path");
  /* Ours is relative to the library, and names the film's file as a scan
   * does, so a film is matched by it again on the next import or scan. The
   * notebook's is absolute (another machine's): it is only `movies.path`,
   * which a scan matches by its end and then replaces. */
  if (record_get_string (movie, "file") != NULL)
    file = g_uri_unescape_string (record_get_string (movie, "file"), NULL);
  if (file != NULL)
    folder.file = file;
  else if (folder.display_path != NULL
      && !g_path_is_absolute (folder.display_path))
    folder.file = folder.display_path;
  /* "Error: REASON" is kept as the status, as catalog_db_set_failed writes
   * it, so that importing the file again changes nothing. */
  if (status != NULL && g_str_has_prefix (status, STATUS_ERROR_PREFIX))
    failure = status + strlen (STATUS_ERROR_PREFIX);
  /* The notebook gives a film whose file it found no status. */
  if (status == NULL && folder.display_path != NULL)
    status = CATALOG_STATUS_FOUND;
  folder.status = (gchar *) status;

  film = catalog_db_sync_folder (import->db, &folder, error);
  if (film == NULL)
    goto out;
  if (!g_hash_table_contains (import->film_ids, &film->movie_id)) {
    g_hash_table_add (import->film_ids, g_memdup2 (&film->movie_id,
            sizeof (gint64)));
    import->n_films++;
    new_film = TRUE;
  }
  if (new_film && !catalog_db_restore_film (import->db, film->movie_id,
          record_get_string (movie, "type"), record_get_string (movie, "added"), frames,
          length, error))
    goto out;

  extra = record_members_except (movie, movie_members);
  if (extra != NULL && g_strcmp0 (extra, film->extra) != 0 &&
      !catalog_db_set_film_extra (import->db, film->movie_id, extra, error))
    goto out;

  known = catalog_db_get_palettes (import->db, film->movie_id, FALSE, error);
  if (known == NULL)
    goto out;

  records = g_ptr_array_new ();
  for (i = 0; palettes != NULL && i < json_array_get_length (palettes); i++)
    g_ptr_array_add (records, json_array_get_object_element (palettes, i));
  /* Oldest first, as the notebook appended them: the database orders a
   * film's palettes by date, and those of one date by when they came. */
  g_ptr_array_sort (records, compare_dates);

  for (i = 0; i < records->len; i++) {
    JsonObject *record = records->pdata[i];

    if (has_palette (known, record))
      continue;
    if (!take_fingerprint (import, record, error))
      goto out;
    if (!catalog_db_add_palette (import->db, film->movie_id, record, frames,
            length, error))
      goto out;
    /* In the database now: one fingerprint in memory at a time, not the
     * whole library's (3.9 GB for 500 two-hour films). */
    json_object_remove_member (record, "fingerprint");
    /* A catalog that lists one record twice gets it once. */
    g_ptr_array_add (known, json_object_ref (record));
    import->n_palettes++;
  }

  if (failure != NULL && failure_is_news (film, known, movie, failure)
      && !catalog_db_restore_failure (import->db, film->movie_id, failure,
          get_flag (movie, "retry"), MAX (get_count (movie, "attempts"), 1),
          record_get_string (movie, "last_attempt"), error))
    goto out;
  ok = TRUE;

out:
  if (records != NULL)
    g_ptr_array_unref (records);
  if (known != NULL)
    g_ptr_array_unref (known);
  catalog_film_free (film);
  g_free (extra);
  g_free (file);
  g_free (folder.year);
  return ok;
}

static GHashTable *
get_film_ids (CatalogDb * db, GError ** error)
{
  GPtrArray *films = catalog_db_list_films (db, error);
  GHashTable *ids;
  guint i;

  if (films == NULL)
    return NULL;
  ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (i = 0; i < films->len; i++) {
    CatalogFilm *film = films->pdata[i];

    g_hash_table_add (ids, g_memdup2 (&film->movie_id, sizeof (gint64)));
  }
  g_ptr_array_unref (films);
  return ids;
}

/* Imports FILENAME's text DATA (taken) within the caller's transaction.
 * ROOT_EXTRA (may be NULL) gets the catalog's own top-level members. */
static gboolean
import_data (Import * import, const gchar * filename, gchar * data,
    gsize length, gchar ** root_extra, GError ** error)
{
  Catalog *catalog = NULL;
  gchar *fingerprints_dir = NULL, *rest = NULL;
  gboolean ok = FALSE;
  guint i, n;

  if (length == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog: the file is empty", filename);
    goto out;
  }
  if (!record_json_depth_ok (data, length, RECORD_MAX_JSON_DEPTH)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: damaged catalog: JSON nested deeper than %d levels", filename,
        RECORD_MAX_JSON_DEPTH);
    goto out;
  }
  import->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  rest = lift_fingerprints (data, length, import->spans);
  /* A big catalog is held once at a time: the text without fingerprints,
   * then its tree; the whole text only while it has fingerprints to read. */
  if (import->spans->len == 0)
    g_clear_pointer (&data, g_free);
  import->data = data;
  catalog = catalog_load_from_data (rest, -1, filename, error);
  g_clear_pointer (&rest, g_free);
  if (catalog == NULL)
    goto out;
  n = catalog_get_n_movies (catalog);
  if (!validate_palettes (catalog, filename, error))
    goto out;

  fingerprints_dir = catalog_json_fingerprints_dir (filename);
  import->filename = filename;
  import->fingerprints_dir = fingerprints_dir;
  for (i = 0; i < n; i++) {
    if (!import_movie (import, catalog_get_movie (catalog, i), error)) {
      g_prefix_error (error, "importing %s: ", filename);
      goto out;
    }
  }
  if (root_extra != NULL)
    *root_extra = record_members_except (catalog_get_root (catalog),
        root_members);
  ok = TRUE;

out:
  g_clear_pointer (&import->spans, g_array_unref);
  import->data = NULL;
  import->filename = NULL;
  import->fingerprints_dir = NULL;
  g_free (fingerprints_dir);
  g_free (rest);
  g_free (data);
  if (catalog != NULL)
    catalog_free (catalog);
  return ok;
}

/* A missing file is an empty catalog; a damaged one an error naming it. */
static gboolean
read_catalog_file (const gchar * filename, gchar ** data, gsize * length,
    GError ** error)
{
  GError *read_error = NULL;

  *data = NULL;
  *length = 0;
  if (g_file_get_contents (filename, data, length, &read_error))
    return TRUE;
  if (g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    g_error_free (read_error);
    return TRUE;
  }
  g_propagate_error (error, read_error);
  return FALSE;
}

static gboolean
import_file (CatalogDb * db, const gchar * filename, gboolean load_fingerprints,
    guint * n_films, guint * n_palettes, GError ** error)
{
  Import import = { db, NULL, NULL, load_fingerprints, NULL, NULL, NULL,
    0, 0
  };
  gchar *root_extra = NULL, *data;
  gboolean ok = FALSE;
  gsize length;

  if (n_films != NULL)
    *n_films = 0;
  if (n_palettes != NULL)
    *n_palettes = 0;
  if (!read_catalog_file (filename, &data, &length, error))
    return FALSE;
  if (data == NULL)
    return TRUE;

  import.film_ids = get_film_ids (db, error);
  if (import.film_ids == NULL) {
    g_free (data);
    return FALSE;
  }
  /* One transaction: a file that fails half way (a damaged fingerprint
   * file, a full disk) leaves the database as it was. */
  if (!catalog_db_begin (db, error)) {
    g_free (data);
    goto out;
  }
  if (!import_data (&import, filename, data, length, &root_extra, error)) {
    catalog_db_rollback (db);
    goto out;
  }
  if (root_extra != NULL &&
      !catalog_db_set_setting (db, JSON_EXTRA_SETTING, root_extra, error)) {
    catalog_db_rollback (db);
    goto out;
  }
  if (!catalog_db_commit (db, error))
    goto out;
  if (n_films != NULL)
    *n_films = import.n_films;
  if (n_palettes != NULL)
    *n_palettes = import.n_palettes;
  ok = TRUE;

out:
  g_hash_table_unref (import.film_ids);
  g_free (root_extra);
  return ok;
}

gboolean
catalog_json_import (CatalogDb * db, const gchar * filename, guint * n_films,
    guint * n_palettes, GError ** error)
{
  return import_file (db, filename, TRUE, n_films, n_palettes, error);
}

CatalogJsonImport *
catalog_json_import_new (CatalogDb * db, GError ** error)
{
  GHashTable *film_ids = get_film_ids (db, error);
  Import *import;

  if (film_ids == NULL)
    return NULL;
  import = g_new0 (Import, 1);
  import->db = db;
  import->load_fingerprints = TRUE;
  import->film_ids = film_ids;
  return import;
}

gboolean
catalog_json_import_add_file (CatalogJsonImport * import,
    const gchar * filename, GError ** error)
{
  gchar *data;
  gsize length;

  if (!read_catalog_file (filename, &data, &length, error))
    return FALSE;
  return data == NULL || import_data (import, filename, data, length, NULL,
      error);
}

gboolean
catalog_json_import_add_movie (CatalogJsonImport * import, JsonObject * movie,
    GError ** error)
{
  return import_movie (import, movie, error);
}

void
catalog_json_import_free (CatalogJsonImport * import, guint * n_films,
    guint * n_palettes)
{
  if (n_films != NULL)
    *n_films = import->n_films;
  if (n_palettes != NULL)
    *n_palettes = import->n_palettes;
  g_hash_table_unref (import->film_ids);
  g_free (import);
}

gboolean
catalog_json_attach_fingerprint (JsonObject * record,
    const gchar * catalog_filename, GError ** error)
{
  gchar *dir = catalog_json_fingerprints_dir (catalog_filename);
  gboolean ok = attach_fingerprint (record, dir, error);

  g_free (dir);
  return ok;
}

/* Atomic replace puts a new file where a symbolic link was: the link would
 * be gone and its target left behind, unchanged. */
static gboolean
refuse_symlink (const gchar * filename, GError ** error)
{
  struct stat st;
  gchar *target;

  if (lstat (filename, &st) != 0 || !S_ISLNK (st.st_mode))
    return TRUE;
  target = g_file_read_link (filename, NULL);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
      "%s is a symbolic link (to %s); give the real file", filename,
      target != NULL ? target : "?");
  g_free (target);
  return FALSE;
}

/* Atomic, not yet durable: the export makes the whole folder durable at
 * once (sync_fingerprints) before the catalog that names these files. */
static gboolean
write_fingerprint_text (const gchar * dir, const gchar * id,
    const gchar * data, gsize length, GError ** error)
{
  gchar *path = fingerprint_path (dir, id);
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0755) != 0) {
    gint saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
        "cannot make the fingerprint folder %s: %s", dir,
        g_strerror (saved_errno));
    g_free (path);
    return FALSE;
  }
  ok = atomic_file_set_contents (path, data, length, error);
  g_free (path);
  return ok;
}

static gboolean
write_fingerprint (const gchar * dir, const gchar * id,
    JsonObject * fingerprint, GError ** error)
{
  gsize length;
  gchar *data = record_to_data (fingerprint, FALSE, &length);
  gboolean ok = write_fingerprint_text (dir, id, data, length, error);

  g_free (data);
  return ok;
}

/* One flush for every fingerprint file written: the catalog that names
 * them is synced to disk, and after a crash must not find an empty file. */
static gboolean
sync_fingerprints (const gchar * dir, GError ** error)
{
  gint fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  gint saved_errno;

  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd >= 0 && syncfs (fd) == 0) {
    close (fd);
    return TRUE;
  }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
      "cannot write the fingerprint folder %s to disk: %s", dir,
      g_strerror (saved_errno));
  return FALSE;
}

/* Writes the fingerprint files the film's palettes do not have yet. Ids
 * are unique and a palette never changes, so a file that exists is right;
 * the fingerprints are only read from the database when one is missing. */
static gboolean
export_fingerprints (CatalogDb * db, GPtrArray * records, const gchar * dir,
    GError ** error)
{
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && i < records->len; i++) {
    const gchar *id = record_get_string (records->pdata[i], "id");
    gchar *path, *text;
    gboolean exists;

    if (!id_is_file_name (id))
      continue;
    path = fingerprint_path (dir, id);
    exists = g_file_test (path, G_FILE_TEST_EXISTS);
    g_free (path);
    if (exists)
      continue;
    text = catalog_db_print_fingerprint (db, id);
    if (text != NULL)
      ok = write_fingerprint_text (dir, id, text, strlen (text), error);
    g_free (text);
  }
  return ok;
}

JsonObject *
catalog_json_movie_new (const CatalogFilm * film, GPtrArray * records)
{
  JsonObject *movie = json_object_new ();
  JsonArray *palettes;
  gchar *status = NULL;
  guint i;

  if (film->error != NULL)
    status = g_strconcat (STATUS_ERROR_PREFIX, film->error, NULL);
  /* The notebook's members, in its order. */
  json_object_set_string_member (movie, "title", film->title);
  record_set_string_or_null (movie, "status", status ? status : film->status);
  record_set_string_or_null (movie, "director", film->director);
  record_set_string_or_null (movie, "year", film->year);
  record_set_string_or_null (movie, "path", film->path);
  set_nullable_count (movie, "frames", film->frames);
  set_nullable_count (movie, "length", film->length);
  if (film->file != NULL && g_strcmp0 (film->file, film->path) != 0) {
    gchar *escaped = g_uri_escape_string (film->file, FILE_RESERVED_CHARS,
        TRUE);

    json_object_set_string_member (movie, "file", escaped);
    g_free (escaped);
  }
  if (film->type != NULL)
    json_object_set_string_member (movie, "type", film->type);
  if (film->added != NULL)
    json_object_set_string_member (movie, "added", film->added);
  if (film->error != NULL) {
    json_object_set_int_member (movie, "attempts", film->attempts);
    record_set_string_or_null (movie, "last_attempt", film->last_attempt);
    json_object_set_boolean_member (movie, "retry", film->retry);
  }
  /* The notebook appends, so its history reads oldest first. */
  palettes = json_array_sized_new (records->len);
  for (i = records->len; i > 0; i--)
    json_array_add_object_element (palettes,
        json_object_ref (records->pdata[i - 1]));
  json_object_set_array_member (movie, "palettes", palettes);
  record_add_members (movie, film->extra);
  g_free (status);
  return movie;
}

static gboolean
export_film (CatalogDb * db, Catalog * catalog, CatalogFilm * film,
    const gchar * dir, GError ** error)
{
  GPtrArray *records;
  guint i;

  records = catalog_db_get_palettes (db, film->movie_id, FALSE, error);
  if (records == NULL)
    return FALSE;
  /* Written first: a reader of the new catalog finds them. */
  if (!export_fingerprints (db, records, dir, error)) {
    g_ptr_array_unref (records);
    return FALSE;
  }
  for (i = 0; i < records->len; i++)
    json_object_remove_member (records->pdata[i], "fingerprint");
  catalog_add_movie (catalog, catalog_json_movie_new (film, records));
  g_ptr_array_unref (records);
  return TRUE;
}

gboolean
catalog_json_export (CatalogDb * db, const gchar * filename, GError ** error)
{
  GPtrArray *films;
  Catalog *catalog;
  gchar *dir, *extra;
  gboolean ok = TRUE;
  guint i;

  if (!refuse_symlink (filename, error))
    return FALSE;
  films = catalog_db_list_films (db, error);
  if (films == NULL)
    return FALSE;

  catalog = catalog_new ();
  extra = catalog_db_get_setting (db, JSON_EXTRA_SETTING);
  record_add_members (catalog_get_root (catalog), extra);
  g_free (extra);
  dir = catalog_json_fingerprints_dir (filename);
  for (i = 0; ok && i < films->len; i++)
    ok = export_film (db, catalog, films->pdata[i], dir, error);
  if (ok)
    ok = sync_fingerprints (dir, error) &&
        catalog_save (catalog, filename, error);

  g_free (dir);
  catalog_free (catalog);
  g_ptr_array_unref (films);
  return ok;
}

/* Takes the exclusive lock on FILENAME.lock; returns its descriptor, or -1.
 * The lock file stays: removing it would let two processes lock two
 * different files of one name. */
static gint
lock_catalog (const gchar * filename, GError ** error)
{
  gchar *lock_path = g_strconcat (filename, ".lock", NULL);
  gint64 deadline;
  gint fd, saved_errno;

  /* O_NOFOLLOW: a link planted there must not make us create a file
   * elsewhere. */
  fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    saved_errno = errno;
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
        "cannot open the lock file %s: %s", lock_path,
        g_strerror (saved_errno));
    g_free (lock_path);
    return -1;
  }

  /* Polled rather than blocking, so that a process stuck while holding the
   * lock makes the others fail with a reason instead of hanging too. */
  deadline = g_get_monotonic_time () +
      (gint64) CATALOG_JSON_LOCK_TIMEOUT_S * G_USEC_PER_SEC;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0) {
    saved_errno = errno;
    if (saved_errno == EINTR)
      continue;
    if (saved_errno != EWOULDBLOCK) {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
          "cannot lock %s: %s", lock_path, g_strerror (saved_errno));
      goto fail;
    }
    if (g_get_monotonic_time () >= deadline) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "another gst-palette has held %s for %d s", lock_path,
          CATALOG_JSON_LOCK_TIMEOUT_S);
      goto fail;
    }
    g_usleep (LOCK_RETRY_MS * 1000);
  }
  g_free (lock_path);
  return fd;

fail:
  close (fd);
  g_free (lock_path);
  return -1;
}

static void
unlock_catalog (gint fd)
{
  /* closing the only descriptor of the open file releases the lock */
  close (fd);
}

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino
      && a->st_size == b->st_size
      && a->st_mtim.tv_sec == b->st_mtim.tv_sec
      && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Each write replaces the file by a new one (a new inode), so the identity
 * tells whether another process wrote it since. */
static void
remember_file (CatalogJsonFile * file)
{
  file->seen = lstat (file->filename, &file->identity) == 0;
}

CatalogJsonFile *
catalog_json_file_open (const gchar * filename, CatalogDb ** db,
    GError ** error)
{
  CatalogJsonFile *file;
  gboolean ok;
  gint fd;

  if (!refuse_symlink (filename, error))
    return NULL;
  file = g_new0 (CatalogJsonFile, 1);
  file->held_lock = -1;
  file->filename = g_strdup (filename);
  file->db = catalog_db_open (":memory:", error);
  if (file->db == NULL)
    goto fail;

  fd = lock_catalog (filename, error);
  if (fd < 0)
    goto fail;
  ok = import_file (file->db, filename, FALSE, NULL, NULL, error);
  if (ok)
    remember_file (file);
  unlock_catalog (fd);
  if (!ok)
    goto fail;

  if (db != NULL)
    *db = file->db;
  return file;

fail:
  catalog_json_file_close (file);
  return NULL;
}

CatalogDb *
catalog_json_file_get_db (CatalogJsonFile * file)
{
  return file->db;
}

const gchar *
catalog_json_file_get_filename (CatalogJsonFile * file)
{
  return file->filename;
}

/* Another process wrote the file since: merge what it wrote (films by
 * their key, palettes by id). The caller holds the lock. */
static gboolean
merge_news (CatalogJsonFile * file, GError ** error)
{
  struct stat now;

  if (lstat (file->filename, &now) == 0
      && (!file->seen || !same_file (&now, &file->identity))) {
    if (!import_file (file->db, file->filename, FALSE, NULL, NULL, error))
      return FALSE;
    remember_file (file);
  }
  return TRUE;
}

gboolean
catalog_json_file_lock (CatalogJsonFile * file, gboolean merge,
    GError ** error)
{
  g_return_val_if_fail (file->held_lock < 0, FALSE);
  file->held_lock = lock_catalog (file->filename, error);
  if (file->held_lock < 0)
    return FALSE;
  if (!merge || merge_news (file, error))
    return TRUE;
  catalog_json_file_unlock (file);
  return FALSE;
}

void
catalog_json_file_unlock (CatalogJsonFile * file)
{
  if (file->held_lock < 0)
    return;
  unlock_catalog (file->held_lock);
  file->held_lock = -1;
}

gboolean
catalog_json_file_save (CatalogJsonFile * file, GError ** error)
{
  gboolean ok = TRUE;
  gint fd;

  fd = lock_catalog (file->filename, error);
  if (fd < 0)
    return FALSE;
  /* What another process wrote since is merged first, so that our write
   * keeps it. */
  ok = merge_news (file, error);
  if (ok)
    ok = catalog_json_export (file->db, file->filename, error);
  if (ok)
    remember_file (file);
  unlock_catalog (fd);
  return ok;
}

void
catalog_json_file_close (CatalogJsonFile * file)
{
  if (file == NULL)
    return;
  catalog_json_file_unlock (file);
  if (file->db != NULL)
    catalog_db_close (file->db);
  g_free (file->filename);
  g_free (file);
}
