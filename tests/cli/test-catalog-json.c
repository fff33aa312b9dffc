/* Unit tests of the JSON catalog as an edge format of the SQLite one:
 * import, export with fingerprint files, refusing damaged files, and two
 * processes sharing one JSON catalog. */
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "catalog-json.h"

/* A notebook catalog as our older versions wrote it: fingerprints inline,
 * palettes not in date order, a notebook film with an absolute path, a
 * year as a number and a record without weights, a failed film, and two
 * films of one title and year by two directors. */
static const gchar notebook_catalog[] =
    "{\"last_updated\": \"2025-01-20T10:36:50.358157+00:00\", \"movies\": ["
    "{\"title\": \"Red Film\", \"status\": null,"
    " \"director\": \"Some Director\", \"year\": \"1999\","
    " \"path\": \"Red Film (1999, Some Director)/red.webm\","
    " \"frames\": 240, \"length\": 10, \"palettes\": ["
    "  {\"id\": \"bbb222\","
    "   \"calculation_date\": \"2025-01-20T10:36:50+00:00\","
    "   \"clusters_nb\": 2, \"colors\": [[25, 39, 66], [195, 223, 224]],"
    "   \"weights\": [0.620301, 0.379699], \"complete\": true,"
    "   \"fingerprint\": {\"timestamps\": [0.54, 4.14, 7.74],"
    "    \"colors\": [[[33, 102, 105], [97, 147, 153]], [[131, 158, 163]],"
    "     [[20, 31, 59], [25, 45, 74]]],"
    "    \"weights\": [[0.209931, 0.193264], [0.194375],"
    "     [0.399792, 0.157639]]}},"
    "  {\"id\": \"aaa111\", \"calculation_date\": \"2024-09-20T08:59:06Z\","
    "   \"clusters_nb\": 1, \"colors\": [[200, 10, 10]], \"weights\": [1.0],"
    "   \"fingerprint\": {\"timestamps\": [0.0, 1.001],"
    "    \"colors\": [[[200, 10, 10]], [[190, 20, 20]]],"
    "    \"weights\": [[0.7], [0.3333333333333333]]}}]},"
    "{\"title\": \"Blue\", \"status\": null, \"director\": null,"
    " \"year\": 2001,"
    " \"path\": \"/content/drive/MyDrive/MOVIES/Blue (2001)/blue.mkv\","
    " \"palettes\": [{\"id\": \"ccc333\", \"calculation_date\":"
    "  \"2024-09-21T08:00:00Z\", \"clusters_nb\": 2,"
    "  \"colors\": [[0, 0, 200], [0, 0, 100]]}]},"
    "{\"title\": \"Empty\", \"status\": \"No movie file found\","
    " \"director\": null, \"year\": null, \"path\": null, \"palettes\": []},"
    "{\"title\": \"Broken\", \"status\": \"Error: could not decode\","
    " \"director\": null, \"year\": \"2010\","
    " \"path\": \"Broken (2010)/broken.avi\", \"palettes\": []},"
    "{\"title\": \"Hamlet\", \"status\": null,"
    " \"director\": \"Laurence Olivier\","
    " \"year\": \"1948\", \"path\": \"Hamlet (1948, Laurence Olivier)/h.mkv\","
    " \"palettes\": [{\"id\": \"ddd444\", \"calculation_date\":"
    "  \"2024-10-01T00:00:00Z\", \"clusters_nb\": 1, \"colors\": [[9, 9, 9]],"
    "  \"weights\": [1.0], \"fingerprint\": {\"timestamps\": [0.5],"
    "   \"colors\": [[[9, 9, 9]]], \"weights\": [[1.0]]}}]},"
    "{\"title\": \"Hamlet\", \"status\": null, \"director\": \"Kozintsev\","
    " \"year\": \"1948\", \"path\": \"Hamlet (1948, Kozintsev)/h.mkv\","
    " \"palettes\": [{\"id\": \"eee555\", \"calculation_date\":"
    "  \"2024-10-02T00:00:00Z\", \"clusters_nb\": 1, \"colors\": [[7, 7, 7]],"
    "  \"weights\": [1.0], \"fingerprint\": {\"timestamps\": [0.25],"
    "   \"colors\": [[[7, 7, 7]]], \"weights\": [[1.0]]}}]}]}";

/* --- helpers ------------------------------------------------------------ */

static void
remove_tree (const gchar * path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    GDir *dir = g_dir_open (path, 0, NULL);
    const gchar *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      gchar *child = g_build_filename (path, name, NULL);

      remove_tree (child);
      g_free (child);
    }
    if (dir != NULL)
      g_dir_close (dir);
    g_assert_cmpint (g_rmdir (path), ==, 0);
  } else {
    g_assert_cmpint (g_unlink (path), ==, 0);
  }
}

static gchar *
write_file (const gchar * dir, const gchar * name, const gchar * data)
{
  gchar *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, -1, NULL));
  return path;
}

static gchar *
read_file (const gchar * path)
{
  gchar *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static JsonObject *
parse_object (const gchar * text)
{
  GError *error = NULL;
  JsonNode *node = json_from_string (text, &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_dup_object (node);
  json_node_unref (node);
  return object;
}

static CatalogDb *
open_scratch_db (void)
{
  GError *error = NULL;
  CatalogDb *db = catalog_db_open (":memory:", &error);

  g_assert_no_error (error);
  return db;
}

static CatalogFilm *
find_film (GPtrArray * films, const gchar * title, const gchar * director)
{
  guint i;

  for (i = 0; i < films->len; i++) {
    CatalogFilm *film = films->pdata[i];

    if (g_strcmp0 (film->title, title) == 0 && (director == NULL
            || g_strcmp0 (film->director, director) == 0))
      return film;
  }
  g_error ("no film \"%s\" in the catalog", title);
  return NULL;
}

static GPtrArray *
list_films (CatalogDb * db)
{
  GError *error = NULL;
  GPtrArray *films = catalog_db_list_films (db, &error);

  g_assert_no_error (error);
  return films;
}

static GPtrArray *
get_palettes (CatalogDb * db, gint64 movie_id, gboolean with_fingerprint)
{
  GError *error = NULL;
  GPtrArray *palettes = catalog_db_get_palettes (db, movie_id,
      with_fingerprint, &error);

  g_assert_no_error (error);
  return palettes;
}

static guint
n_films (CatalogDb * db)
{
  GPtrArray *films = list_films (db);
  guint n = films->len;

  g_ptr_array_unref (films);
  return n;
}

/* The whole catalog, palettes and fingerprints included, as one text:
 * two databases with equal texts hold the same films and palettes. */
static gchar *
dump_db (CatalogDb * db)
{
  GPtrArray *films = list_films (db);
  GString *text = g_string_new (NULL);
  guint i, j;

  for (i = 0; i < films->len; i++) {
    CatalogFilm *film = films->pdata[i];
    GPtrArray *palettes = get_palettes (db, film->movie_id, TRUE);

    g_string_append_printf (text, "%s|%s|%s|%s|%s|%s|%s|%" G_GINT64_FORMAT
        "|%" G_GINT64_FORMAT "|%u|%u\n", film->title, film->year,
        film->director, film->path, film->file, film->status, film->error,
        film->frames, film->length, film->n_palettes, palettes->len);
    for (j = 0; j < palettes->len; j++) {
      JsonNode *node = json_node_init_object (json_node_alloc (),
          palettes->pdata[j]);
      gchar *record = json_to_string (node, FALSE);

      g_string_append_printf (text, "  %s\n", record);
      g_free (record);
      json_node_unref (node);
    }
    g_ptr_array_unref (palettes);
  }
  g_ptr_array_unref (films);
  return g_string_free (text, FALSE);
}

static gboolean
has_member_anywhere (JsonNode * node, const gchar * name)
{
  if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *object = json_node_get_object (node);
    GList *members = json_object_get_members (object), *l;
    gboolean found = FALSE;

    for (l = members; l != NULL && !found; l = l->next)
      found = g_str_equal (l->data, name) ||
          has_member_anywhere (json_object_get_member (object, l->data), name);
    g_list_free (members);
    return found;
  }
  if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *array = json_node_get_array (node);
    guint i;

    for (i = 0; i < json_array_get_length (array); i++)
      if (has_member_anywhere (json_array_get_element (array, i), name))
        return TRUE;
  }
  return FALSE;
}

static gboolean
sidecar_exists (const gchar * catalog, const gchar * id)
{
  gchar *dir = catalog_json_fingerprints_dir (catalog);
  gchar *name = g_strconcat (id, ".json", NULL);
  gchar *path = g_build_filename (dir, name, NULL);
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_REGULAR);

  g_free (path);
  g_free (name);
  g_free (dir);
  return exists;
}

static guint
count_entries (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

static JsonArray *
member_array (JsonObject * object, const gchar * name)
{
  return json_object_get_array_member (object, name);
}

static gdouble
array_double (JsonArray * array, guint i)
{
  return json_node_get_double (json_array_get_element (array, i));
}

static guint
n_palettes_of (CatalogDb * db, const gchar * title)
{
  GPtrArray *films = list_films (db);
  guint n = find_film (films, title, NULL)->n_palettes;

  g_ptr_array_unref (films);
  return n;
}

/* --- tests -------------------------------------------------------------- */

static void
test_fingerprints_dir (void)
{
  gchar *dir = catalog_json_fingerprints_dir ("/films/movies_palettes.json");

  g_assert_cmpstr (dir, ==, "/films/movies_palettes.fingerprints");
  g_free (dir);
  dir = catalog_json_fingerprints_dir ("catalog");
  g_assert_cmpstr (dir, ==, "catalog.fingerprints");
  g_free (dir);
}

static void
test_missing_file (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = g_build_filename (root, "none.json", NULL);
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  guint films = 99, palettes = 99;

  g_assert_true (catalog_json_import (db, path, &films, &palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (films, ==, 0);
  g_assert_cmpuint (palettes, ==, 0);
  g_assert_cmpuint (n_films (db), ==, 0);

  catalog_db_close (db);
  remove_tree (root);
  g_free (path);
  g_free (root);
}

/* Members a notebook file has of its own, at the top and in a film,
 * survive a trip through the database. */
static void
test_unknown_members_kept (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *notebook = write_file (root, "notebook.json",
      "{\"last_updated\": null, \"owner\": \"me\", \"movies\": ["
      "{\"title\": \"Kid\", \"year\": \"1921\", \"path\": \"Kid (1921)/k.mkv\","
      " \"note\": {\"seen\": true}, \"palettes\": []}]}");
  gchar *exported = g_build_filename (root, "exported.json", NULL);
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  JsonObject *catalog, *movie;
  gchar *text;

  g_assert_true (catalog_json_import (db, notebook, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (catalog_json_export (db, exported, &error));
  g_assert_no_error (error);
  text = read_file (exported);
  catalog = parse_object (text);
  g_assert_cmpstr (json_object_get_string_member (catalog, "owner"), ==, "me");
  movie = json_array_get_object_element (json_object_get_array_member
      (catalog, "movies"), 0);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==, "Kid");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member
          (movie, "note"), "seen"));

  json_object_unref (catalog);
  g_free (text);
  catalog_db_close (db);
  remove_tree (root);
  g_free (exported);
  g_free (notebook);
  g_free (root);
}

static void
test_round_trip (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *notebook = write_file (root, "notebook.json", notebook_catalog);
  gchar *exported = g_build_filename (root, "exported.json", NULL);
  gchar *fingerprints = catalog_json_fingerprints_dir (exported);
  CatalogDb *db = open_scratch_db (), *db2;
  GError *error = NULL;
  GPtrArray *films, *palettes;
  CatalogFilm *film;
  JsonObject *fingerprint, *original, *movie;
  JsonArray *movies, *list;
  JsonNode *node;
  guint n_new_films, n_new_palettes, i;
  gchar *data, *dump, *dump2;

  g_assert_true (catalog_json_import (db, notebook, &n_new_films,
          &n_new_palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_new_films, ==, 6);
  g_assert_cmpuint (n_new_palettes, ==, 5);

  /* Importing one file again adds nothing, and counts no new attempt. */
  g_assert_true (catalog_json_import (db, notebook, &n_new_films,
          &n_new_palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_new_films, ==, 0);
  g_assert_cmpuint (n_new_palettes, ==, 0);

  films = list_films (db);
  g_assert_cmpuint (films->len, ==, 6);
  /* Two Hamlets of 1948 stay two films. */
  g_assert_cmpuint (find_film (films, "Hamlet", "Laurence Olivier")->movie_id,
      !=, find_film (films, "Hamlet", "Kozintsev")->movie_id);

  film = find_film (films, "Broken", NULL);
  g_assert_cmpstr (film->error, ==, "could not decode");
  g_assert_cmpuint (film->attempts, ==, 1);
  film = find_film (films, "Blue", NULL);
  g_assert_cmpstr (film->year, ==, "2001");
  g_assert_cmpstr (film->path, ==,
      "/content/drive/MyDrive/MOVIES/Blue (2001)/blue.mkv");
  film = find_film (films, "Empty", NULL);
  g_assert_cmpstr (film->status, ==, "No movie file found");

  /* Added oldest first, so the newest is the film's current palette; the
   * ids and the inline fingerprint are kept. */
  film = find_film (films, "Red Film", NULL);
  g_assert_cmpstr (film->file, ==, "Red Film (1999, Some Director)/red.webm");
  palettes = get_palettes (db, film->movie_id, TRUE);
  g_assert_cmpuint (palettes->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (palettes->pdata[0], "id"),
      ==, "bbb222");
  g_assert_cmpstr (json_object_get_string_member (palettes->pdata[1], "id"),
      ==, "aaa111");
  fingerprint = json_object_get_object_member (palettes->pdata[0],
      "fingerprint");
  g_assert_nonnull (fingerprint);
  node = json_from_string (notebook_catalog, NULL);
  movie = json_array_get_object_element (json_object_get_array_member
      (json_node_get_object (node), "movies"), 0);
  original = json_object_get_object_member (json_array_get_object_element
      (json_object_get_array_member (movie, "palettes"), 0), "fingerprint");
  /* timestamps are kept as doubles, weights as floats (catalog-db.c packs
   * them so) */
  for (i = 0; i < 3; i++)
    g_assert_cmpfloat (array_double (member_array (fingerprint, "timestamps"),
            i), ==, array_double (member_array (original, "timestamps"), i));
  g_assert_cmpfloat_with_epsilon (array_double (json_array_get_array_element
          (member_array (fingerprint, "weights"), 2), 0),
      array_double (json_array_get_array_element (member_array (original,
                  "weights"), 2), 0), 1e-6);
  g_assert_true (json_node_equal (json_object_get_member (fingerprint,
              "colors"), json_object_get_member (original, "colors")));
  json_node_unref (node);
  g_ptr_array_unref (palettes);
  g_ptr_array_unref (films);

  g_assert_true (catalog_json_export (db, exported, &error));
  g_assert_no_error (error);

  /* The notebook's shape, palettes oldest first, no fingerprint in it. */
  data = read_file (exported);
  node = json_from_string (data, &error);
  g_assert_no_error (error);
  g_free (data);
  g_assert_false (has_member_anywhere (node, "fingerprint"));
  movies = json_object_get_array_member (json_node_get_object (node),
      "movies");
  g_assert_cmpuint (json_array_get_length (movies), ==, 6);
  for (i = 0; i < 6; i++) {
    movie = json_array_get_object_element (movies, i);
    if (g_str_equal (json_object_get_string_member (movie, "title"),
            "Red Film")) {
      list = json_object_get_array_member (movie, "palettes");
      g_assert_cmpuint (json_array_get_length (list), ==, 2);
      g_assert_cmpstr (json_object_get_string_member
          (json_array_get_object_element (list, 0), "id"), ==, "aaa111");
      g_assert_cmpstr (json_object_get_string_member
          (json_array_get_object_element (list, 1), "id"), ==, "bbb222");
      g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
          "Movie file found");
      g_assert_cmpint (json_object_get_int_member (movie, "frames"), ==, 240);
      g_assert_cmpint (json_object_get_int_member (movie, "length"), ==, 10);
    } else if (g_str_equal (json_object_get_string_member (movie, "title"),
            "Broken")) {
      g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
          "Error: could not decode");
    }
  }
  json_node_unref (node);

  /* One fingerprint file a palette that has a fingerprint. */
  g_assert_true (sidecar_exists (exported, "aaa111"));
  g_assert_true (sidecar_exists (exported, "bbb222"));
  g_assert_true (sidecar_exists (exported, "ddd444"));
  g_assert_true (sidecar_exists (exported, "eee555"));
  g_assert_false (sidecar_exists (exported, "ccc333"));
  g_assert_cmpuint (count_entries (fingerprints), ==, 4);

  /* A fresh database from the export holds the same catalog, to the last
   * bit of every fingerprint. */
  db2 = open_scratch_db ();
  g_assert_true (catalog_json_import (db2, exported, &n_new_films,
          &n_new_palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_new_films, ==, 6);
  g_assert_cmpuint (n_new_palettes, ==, 5);
  dump = dump_db (db);
  dump2 = dump_db (db2);
  g_assert_cmpstr (dump2, ==, dump);
  g_free (dump);
  g_free (dump2);

  /* Exporting again writes the same fingerprint files, and no others. */
  g_assert_true (catalog_json_export (db2, exported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (fingerprints), ==, 4);

  catalog_db_close (db2);
  catalog_db_close (db);
  remove_tree (root);
  g_free (fingerprints);
  g_free (exported);
  g_free (notebook);
  g_free (root);
}

/* A library scan after the import finds the imported films again, by the
 * notebook's absolute path as by our relative one. */
static void
test_scan_after_import (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *notebook = write_file (root, "notebook.json", notebook_catalog);
  CatalogFolder blue = {.title = "Blue",.year = "2001",
    .file = "Blue (2001)/blue.mkv",.display_path = "Blue (2001)/blue.mkv",
    .status = CATALOG_STATUS_FOUND
  };
  CatalogFolder red = {.title = "Red Film",.year = "1999",
    .director = "Some Director",
    .file = "Red Film (1999, Some Director)/red.webm",
    .display_path = "Red Film (1999, Some Director)/red.webm",
    .status = CATALOG_STATUS_FOUND
  };
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  CatalogFilm *film;

  g_assert_true (catalog_json_import (db, notebook, NULL, NULL, &error));
  g_assert_no_error (error);
  film = catalog_db_sync_folder (db, &blue, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (film->n_palettes, ==, 1);
  g_assert_cmpstr (film->path, ==, "Blue (2001)/blue.mkv");
  catalog_film_free (film);
  film = catalog_db_sync_folder (db, &red, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (film->n_palettes, ==, 2);
  catalog_film_free (film);
  g_assert_cmpuint (n_films (db), ==, 6);

  catalog_db_close (db);
  remove_tree (root);
  g_free (notebook);
  g_free (root);
}

/* The notebook's 6-hex-digit ids can collide between films: the second
 * palette gets an id of its own, and is still recognised when the file is
 * imported again. */
static void
test_id_collision (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = write_file (root, "cat.json", "{\"movies\": ["
      "{\"title\": \"A\", \"path\": \"A/a.mkv\", \"palettes\": [{\"id\":"
      " \"abc123\", \"calculation_date\": \"2024-01-01T00:00:00Z\","
      " \"colors\": [[1, 2, 3]]}]},"
      "{\"title\": \"B\", \"path\": \"B/b.mkv\", \"palettes\": [{\"id\":"
      " \"abc123\", \"calculation_date\": \"2024-02-01T00:00:00Z\","
      " \"colors\": [[4, 5, 6]]}]}]}");
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  guint films, palettes;

  g_assert_true (catalog_json_import (db, path, &films, &palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (films, ==, 2);
  g_assert_cmpuint (palettes, ==, 2);
  g_assert_true (catalog_json_import (db, path, &films, &palettes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (films, ==, 0);
  g_assert_cmpuint (palettes, ==, 0);
  g_assert_cmpuint (n_palettes_of (db, "A"), ==, 1);
  g_assert_cmpuint (n_palettes_of (db, "B"), ==, 1);

  catalog_db_close (db);
  remove_tree (root);
  g_free (path);
  g_free (root);
}

static void
expect_damaged (const gchar * root, const gchar * data,
    const gchar * message_part)
{
  gchar *path = write_file (root, "damaged.json", data);
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  gchar *after;

  g_assert_false (catalog_json_import (db, path, NULL, NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, path) == NULL
      || strstr (error->message, message_part) == NULL)
    g_error ("\"%s\" does not name %s and say \"%s\"", error->message, path,
        message_part);
  g_clear_error (&error);
  /* nothing imported, nothing written */
  g_assert_cmpuint (n_films (db), ==, 0);
  after = read_file (path);
  g_assert_cmpstr (after, ==, data);
  g_free (after);
  catalog_db_close (db);
  g_free (path);
}

static void
test_damaged (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *dir, *sidecar, *catalog;
  CatalogDb *db;
  GError *error = NULL;

  expect_damaged (root, "{\"last_updated\": \"x\", \"movies\": [",
      "not valid JSON");
  expect_damaged (root, "{\"movies\": [{\"title\": \"A\", \"palettes\": 3}]}",
      "movies[0]");
  expect_damaged (root, "{\"movies\": [{\"title\": \"A\", \"palettes\": []},"
      " {\"title\": \"B\", \"palettes\": [[1, 2]]}]}", "movies[1].palettes[0]");
  expect_damaged (root, "{\"movies\": [{\"title\": \"A\", \"palettes\":"
      " [{\"id\": 12, \"colors\": [[1, 2, 3]]}]}]}", "movies[0].palettes[0]");

  /* A damaged fingerprint file: the import stops, and what it had done
   * already (the film) is undone. */
  catalog = write_file (root, "cat.json", "{\"movies\": [{\"title\": \"A\","
      " \"path\": \"A/a.mkv\", \"palettes\": [{\"id\": \"abc123\","
      " \"colors\": [[1, 2, 3]]}]}]}");
  dir = catalog_json_fingerprints_dir (catalog);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  sidecar = write_file (dir, "abc123.json", "{\"colors\": [[[1, 2,");
  db = open_scratch_db ();
  g_assert_false (catalog_json_import (db, catalog, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, sidecar));
  g_clear_error (&error);
  g_assert_cmpuint (n_films (db), ==, 0);

  /* Once it is removed, the palette comes in without a fingerprint. */
  g_assert_cmpint (g_unlink (sidecar), ==, 0);
  g_assert_true (catalog_json_import (db, catalog, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_films (db), ==, 1);

  catalog_db_close (db);
  remove_tree (root);
  g_free (sidecar);
  g_free (dir);
  g_free (catalog);
  g_free (root);
}

/* A record of one color with a fingerprint of one sample. */
static JsonObject *
make_record (const gchar * id, const gchar * date, gint value)
{
  gchar *text = g_strdup_printf ("{\"id\": \"%s\", \"calculation_date\":"
      " \"%s\", \"clusters_nb\": 1, \"colors\": [[%d, %d, %d]],"
      " \"weights\": [1.0], \"fingerprint\": {\"timestamps\": [1.5],"
      " \"colors\": [[[%d, 0, 0]]], \"weights\": [[0.5]]}}", id, date, value,
      value, value, value);
  JsonObject *record = parse_object (text);

  g_free (text);
  return record;
}

/* What a run does with a film: finds it, adds its palette, saves. */
static void
add_film (CatalogJsonFile * file, const gchar * title, JsonObject * record)
{
  CatalogDb *db = catalog_json_file_get_db (file);
  gchar *file_name = g_strdup_printf ("%s (2000)/film.mkv", title);
  CatalogFolder folder = {.title = (gchar *) title,.year = "2000",
    .file = file_name,.display_path = file_name,
    .status = (gchar *) CATALOG_STATUS_FOUND
  };
  GError *error = NULL;
  CatalogFilm *film = catalog_db_sync_folder (db, &folder, &error);

  g_assert_no_error (error);
  g_assert_true (catalog_db_add_palette (db, film->movie_id, record, 100, 4,
          &error));
  g_assert_no_error (error);
  g_assert_true (catalog_json_file_save (file, &error));
  g_assert_no_error (error);
  json_object_unref (record);
  catalog_film_free (film);
  g_free (file_name);
}

/* A run on an older catalog with inline fingerprints: they move to the
 * fingerprint folder, the database never holds them, the catalog written
 * back has none inline, and each one reads back whole from the folder. A
 * "fingerprint" that is not a record's member (a film's, a title) stays. */
static void
test_file_moves_fingerprints (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = write_file (root, "old.json", notebook_catalog);
  gchar *odd = write_file (root, "odd.json",
      "{\"movies\": [{\"title\": \"\\\"fingerprint\\\": {\", \"palettes\": [],"
      " \"fingerprint\": {\"kept\": 1}}]}");
  CatalogJsonFile *file;
  CatalogDb *db = NULL, *full;
  GPtrArray *films;
  GError *error = NULL;
  JsonObject *exported, *record, *original;
  gchar *text;
  guint i;

  file = catalog_json_file_open (path, &db, &error);
  g_assert_no_error (error);
  films = list_films (db);
  for (i = 0; i < films->len; i++) {
    GPtrArray *palettes = get_palettes (db,
        ((CatalogFilm *) films->pdata[i])->movie_id, TRUE);
    guint j;

    for (j = 0; j < palettes->len; j++)
      g_assert_false (json_object_has_member (palettes->pdata[j],
              "fingerprint"));
    g_ptr_array_unref (palettes);
  }
  g_ptr_array_unref (films);
  g_assert_true (sidecar_exists (path, "bbb222"));
  g_assert_true (sidecar_exists (path, "aaa111"));
  g_assert_true (catalog_json_file_save (file, &error));
  g_assert_no_error (error);
  text = read_file (path);
  g_assert_null (strstr (text, "\"fingerprint\""));
  g_free (text);

  /* The folder's fingerprint is the one the record had inline. */
  original = parse_object (notebook_catalog);
  record = json_array_get_object_element (json_object_get_array_member
      (json_array_get_object_element (json_object_get_array_member (original,
                  "movies"), 0), "palettes"), 0);
  exported = json_object_new ();
  json_object_set_string_member (exported, "id", "bbb222");
  g_assert_true (catalog_json_attach_fingerprint (exported, path, &error));
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_object_get_member (exported,
              "fingerprint"), json_object_get_member (record,
              "fingerprint")));
  json_object_unref (exported);
  json_object_unref (original);
  catalog_json_file_close (file);

  /* Only records' fingerprints are lifted out. */
  full = open_scratch_db ();
  g_assert_true (catalog_json_import (full, odd, NULL, NULL, &error));
  g_assert_no_error (error);
  films = list_films (full);
  g_assert_cmpuint (films->len, ==, 1);
  g_assert_cmpstr (((CatalogFilm *) films->pdata[0])->title, ==,
      "\"fingerprint\": {");
  g_assert_cmpstr (((CatalogFilm *) films->pdata[0])->extra, ==,
      "{\"fingerprint\":{\"kept\":1}}");
  g_ptr_array_unref (films);
  catalog_db_close (full);

  remove_tree (root);
  g_free (odd);
  g_free (path);
  g_free (root);
}

static void
test_two_processes (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = g_build_filename (root, "shared.json", NULL);
  gchar *damage = g_strdup ("{\"movies\": [{");
  CatalogJsonFile *one, *two;
  CatalogDb *db, *db_one = NULL;
  GError *error = NULL;
  gchar *data;

  /* Both open the catalog before either writes it. */
  one = catalog_json_file_open (path, &db_one, &error);
  g_assert_no_error (error);
  g_assert_true (db_one == catalog_json_file_get_db (one));
  two = catalog_json_file_open (path, NULL, &error);
  g_assert_no_error (error);

  add_film (one, "Alpha", make_record ("a1", "2026-01-01T00:00:00+00:00",
          10));
  add_film (two, "Beta", make_record ("b1", "2026-01-01T00:00:01+00:00",
          20));
  /* Two merged Alpha before it saved Beta. */
  g_assert_cmpuint (n_palettes_of (catalog_json_file_get_db (two), "Alpha"),
      ==, 1);
  add_film (one, "Alpha", make_record ("a2", "2026-01-01T00:00:02+00:00",
          30));
  add_film (two, "Beta", make_record ("b2", "2026-01-01T00:00:03+00:00",
          40));

  /* What a third process reads: everything of both. */
  db = open_scratch_db ();
  g_assert_true (catalog_json_import (db, path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_films (db), ==, 2);
  g_assert_cmpuint (n_palettes_of (db, "Alpha"), ==, 2);
  g_assert_cmpuint (n_palettes_of (db, "Beta"), ==, 2);
  catalog_db_close (db);
  g_assert_true (sidecar_exists (path, "a1"));
  g_assert_true (sidecar_exists (path, "a2"));
  g_assert_true (sidecar_exists (path, "b1"));
  g_assert_true (sidecar_exists (path, "b2"));

  /* A file that another hand damaged is neither merged nor overwritten. */
  g_assert_true (g_file_set_contents (path, damage, -1, NULL));
  g_assert_false (catalog_json_file_save (one, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  data = read_file (path);
  g_assert_cmpstr (data, ==, damage);
  g_free (data);

  catalog_json_file_close (one);
  catalog_json_file_close (two);
  remove_tree (root);
  g_free (damage);
  g_free (path);
  g_free (root);
}

static void
test_unsafe_ids (void)
{
  const gchar *ids[] = { "../escape", "a/b", ".hidden", "fine" };
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = g_build_filename (root, "cat.json", NULL);
  gchar *dir = catalog_json_fingerprints_dir (path);
  CatalogFolder folder = {.title = "Film",.year = "2000",
    .file = "Film (2000)/f.mkv",.display_path = "Film (2000)/f.mkv",
    .status = CATALOG_STATUS_FOUND
  };
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;
  CatalogFilm *film = catalog_db_sync_folder (db, &folder, &error);
  gchar *data;
  guint i;

  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (ids); i++) {
    gchar *date = g_strdup_printf ("2026-01-0%uT00:00:00+00:00", i + 1);
    JsonObject *record = make_record (ids[i], date, i);

    g_assert_true (catalog_db_add_palette (db, film->movie_id, record, -1, -1,
            &error));
    g_assert_no_error (error);
    /* the database keeps the id as it is */
    g_assert_cmpstr (json_object_get_string_member (record, "id"), ==,
        ids[i]);
    json_object_unref (record);
    g_free (date);
  }
  g_assert_true (catalog_json_export (db, path, &error));
  g_assert_no_error (error);

  /* Only the id that is a plain file name has a fingerprint file; the
   * others are in the catalog all the same. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (sidecar_exists (path, "fine"));
  g_assert_cmpuint (count_entries (root), ==, 2);
  data = read_file (path);
  g_assert_nonnull (strstr (data, "\"../escape\""));
  g_assert_nonnull (strstr (data, "\"a/b\""));
  g_assert_nonnull (strstr (data, "\".hidden\""));
  g_free (data);

  catalog_film_free (film);
  catalog_db_close (db);
  remove_tree (root);
  g_free (dir);
  g_free (path);
  g_free (root);
}

static void
test_symlink_refused (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *real = write_file (root, "real.json", "{\"movies\": []}");
  gchar *link = g_build_filename (root, "link.json", NULL);
  CatalogDb *db = open_scratch_db ();
  GError *error = NULL;

  g_assert_cmpint (symlink (real, link), ==, 0);
  g_assert_null (catalog_json_file_open (link, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "is a symbolic link"));
  g_clear_error (&error);
  g_assert_false (catalog_json_export (db, link, &error));
  g_assert_nonnull (strstr (error->message, "give the real file"));
  g_clear_error (&error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  catalog_db_close (db);
  remove_tree (root);
  g_free (link);
  g_free (real);
  g_free (root);
}

static gpointer
hold_lock (gpointer data)
{
  gint fd = GPOINTER_TO_INT (data);

  g_usleep (300 * 1000);
  flock (fd, LOCK_UN);
  return NULL;
}

/* A save waits for another process's lock rather than failing at once. */
static void
test_lock_wait (void)
{
  gchar *root = g_dir_make_tmp ("catalog-json-XXXXXX", NULL);
  gchar *path = g_build_filename (root, "cat.json", NULL);
  gchar *lock_path = g_strconcat (path, ".lock", NULL);
  CatalogJsonFile *file;
  GError *error = NULL;
  GThread *holder;
  gint64 start;
  gint fd;

  file = catalog_json_file_open (path, NULL, &error);
  g_assert_no_error (error);
  /* a descriptor of its own, as another process would have */
  fd = open (lock_path, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  start = g_get_monotonic_time ();
  holder = g_thread_new ("holder", hold_lock, GINT_TO_POINTER (fd));
  g_assert_true (catalog_json_file_save (file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_thread_join (holder);
  close (fd);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  catalog_json_file_close (file);
  remove_tree (root);
  g_free (lock_path);
  g_free (path);
  g_free (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog-json/fingerprints-dir", test_fingerprints_dir);
  g_test_add_func ("/catalog-json/missing-file", test_missing_file);
  g_test_add_func ("/catalog-json/round-trip", test_round_trip);
  g_test_add_func ("/catalog-json/unknown-members-kept",
      test_unknown_members_kept);
  g_test_add_func ("/catalog-json/scan-after-import",
      test_scan_after_import);
  g_test_add_func ("/catalog-json/id-collision", test_id_collision);
  g_test_add_func ("/catalog-json/damaged", test_damaged);
  g_test_add_func ("/catalog-json/two-processes", test_two_processes);
  g_test_add_func ("/catalog-json/file-moves-fingerprints",
      test_file_moves_fingerprints);
  g_test_add_func ("/catalog-json/unsafe-ids", test_unsafe_ids);
  g_test_add_func ("/catalog-json/symlink-refused", test_symlink_refused);
  g_test_add_func ("/catalog-json/lock-wait", test_lock_wait);
  return g_test_run ();
}
