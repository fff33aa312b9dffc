/* Runs the built gst-palette (argv[1]) on film libraries made here with
 * GStreamer (solid-color VP8/WebM clips) and checks its SQLite catalog with
 * libsqlite3: the real catalog of the seed author's frontend extended and
 * never rewritten, several writers at once, unique palette ids, relative
 * paths, folder names, non-UTF-8 names, failures and retries, drawing and
 * listing without decoding, import/export, and refused catalogs. */
#include <gst/gst.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <cairo.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"
#include "cli-library.h"
#include "cli-db.h"

#define RED 0xff0000
#define GREEN 0x00ff00
#define BLUE 0x0000ff
#define YELLOW 0xffff00
#define MAGENTA 0xff00ff
#define CYAN 0x00ffff

/* The exact SQL of the frontend's src/routes/api/movies/+server.ts: every
 * movie with its newest active palette. */
static const gchar frontend_sql[] =
    "SELECT m.id, m.title, m.director, m.year, p.id as palette_id, p.colors,"
    " p.calculation_date FROM movies m LEFT JOIN (SELECT p1.* FROM palettes"
    " p1 LEFT JOIN palettes p2 ON p1.movie_id = p2.movie_id AND"
    " p1.calculation_date < p2.calculation_date AND p2.active = 1 WHERE"
    " p1.active = 1 AND p2.id IS NULL) p ON m.id = p.movie_id ORDER BY"
    " m.title";

/* --- clips and libraries ------------------------------------------------- */

static GBytes *
read_bytes (const gchar * path)
{
  gchar *data;
  gsize length;
  GError *error = NULL;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

/* The tests run in processes of their own (see main), whose g_test_message
 * goes nowhere: what helps to read a failure goes to stderr. */
static void
note (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const gchar * format, ...)
{
  va_list args;
  gchar *text;
  gchar **lines;
  guint i;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    g_printerr ("# %s\n", lines[i]);
  g_strfreev (lines);
  g_free (text);
}


/* --- the database -------------------------------------------------------- */

/* One row of the frontend's query. */
typedef struct
{
  gint64 movie_id;
  gchar *title;
  gchar *palette_id;
  gchar *colors;
  gchar *date;
} FrontendRow;

static void
frontend_row_free (FrontendRow * row)
{
  g_free (row->title);
  g_free (row->palette_id);
  g_free (row->colors);
  g_free (row->date);
  g_free (row);
}

static gchar *
column_dup (sqlite3_stmt * stmt, gint i)
{
  const guchar *text = sqlite3_column_text (stmt, i);

  return text ? g_strdup ((const gchar *) text) : NULL;
}

static GPtrArray *
frontend_query (sqlite3 * db)
{
  sqlite3_stmt *stmt = db_prepare (db, "%s", frontend_sql);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
      frontend_row_free);
  gint rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    FrontendRow *row = g_new0 (FrontendRow, 1);

    row->movie_id = sqlite3_column_int64 (stmt, 0);
    row->title = column_dup (stmt, 1);
    row->palette_id = column_dup (stmt, 4);
    row->colors = column_dup (stmt, 5);
    row->date = column_dup (stmt, 6);
    g_ptr_array_add (rows, row);
  }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return rows;
}

/* The one row of MOVIE_ID; fails when there are none or several. */
static FrontendRow *
frontend_row (GPtrArray * rows, gint64 movie_id)
{
  FrontendRow *found = NULL;
  guint i, n = 0;

  for (i = 0; i < rows->len; i++) {
    FrontendRow *row = rows->pdata[i];

    if (row->movie_id == movie_id) {
      found = row;
      n++;
    }
  }
  if (n != 1)
    g_error ("the frontend's query gives %u rows for movie %" G_GINT64_FORMAT,
        n, movie_id);
  return found;
}

static gboolean
rgb_near (gint r, gint g, gint b, guint32 expected, gint tolerance)
{
  return ABS (r - (gint) (expected >> 16)) <= tolerance &&
      ABS (g - (gint) ((expected >> 8) & 0xff)) <= tolerance &&
      ABS (b - (gint) (expected & 0xff)) <= tolerance;
}

/* COLORS as the frontend parses it: JSON [[r, g, b], ...] of integers
 * 0-255; the first (most dominant) near EXPECTED. */
static void
assert_frontend_colors (const gchar * colors, guint32 expected)
{
  GError *error = NULL;
  JsonNode *root = json_from_string (colors, &error);
  JsonArray *array;
  guint i, j;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), >=, 1);
  for (i = 0; i < json_array_get_length (array); i++) {
    JsonNode *c = json_array_get_element (array, i);

    g_assert_true (JSON_NODE_HOLDS_ARRAY (c));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (c)), ==, 3);
    for (j = 0; j < 3; j++) {
      JsonNode *v = json_array_get_element (json_node_get_array (c), j);

      g_assert_true (JSON_NODE_HOLDS_VALUE (v));
      g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (v), >=, 0);
      g_assert_cmpint (json_node_get_int (v), <=, 255);
    }
  }
  {
    JsonArray *first = json_array_get_array_element (array, 0);

    if (!rgb_near (json_array_get_int_element (first, 0),
            json_array_get_int_element (first, 1),
            json_array_get_int_element (first, 2), expected, 10))
      g_error ("dominant color of %s is not near #%06x", colors, expected);
  }
  json_node_unref (root);
}

static gint64
movie_id_of (sqlite3 * db, const gchar * title, const gchar * year)
{
  gint64 n = db_int (db, "SELECT count(*) FROM movies WHERE title = %Q"
      " AND year IS %Q", title, year);

  if (n != 1)
    g_error ("%" G_GINT64_FORMAT " movies rows for %s (%s)", n, title, year);
  return db_int (db, "SELECT id FROM movies WHERE title = %Q AND year IS %Q",
      title, year);
}

static const gchar *
real_catalog (void)
{
  static gchar *path = NULL;
  const gchar *media = g_getenv ("PALETTE_SHARED_MEDIA");

  if (path == NULL && media != NULL)
    path = g_build_filename (media, "..", "data", "movies.db", NULL);
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR) ? path :
      NULL;
}

/* The real catalog is only ever changed in a copy. */
static void
copy_file (const gchar * from, const gchar * to)
{
  GBytes *bytes = read_bytes (from);

  g_assert_true (g_file_set_contents (to, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), NULL));
  g_bytes_unref (bytes);
}

/* --- 1. the real catalog ------------------------------------------------- */

static const gchar monkeys_folder[] = "12 Monkeys (1995)";
static const gchar monkeys_file[] =
    "12.Monkeys.BluRay.1080p.x264.5.1.Judas.mp4";
static const gchar ringers_folder[] = "Dead Ringers (1988, Cronenberg)";
static const gchar ringers_file[] =
    "Dead.Ringers.1988.1080p.BluRay.x265-RARBG.mp4";

/* Every row of the original's movies and palettes is in the copy, column
 * by column. */
static void
assert_original_rows_kept (sqlite3 * db)
{
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM o.movies"), ==, 511);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM o.palettes"), ==, 283);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM (SELECT * FROM o.movies"
          " EXCEPT SELECT * FROM main.movies)"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM (SELECT * FROM"
          " o.palettes EXCEPT SELECT * FROM main.palettes)"), ==, 0);
}

static void
test_real_catalog (void)
{
  const gchar *original = real_catalog ();
  gchar *dir, *copy, *library, *uri, *monkeys_new_id, *ringers_palette;
  sqlite3 *db, *odb;
  GPtrArray *rows, *original_rows;
  GHashTable *old_palettes;
  gint64 red_id, blue_id;
  guint i, n_with_palette;
  Result r;

  if (original == NULL) {
    g_test_skip ("no movies.db in $PALETTE_SHARED_MEDIA/../data");
    return;
  }
  dir = g_dir_make_tmp ("gst-palette-realdb-XXXXXX", NULL);
  copy = g_build_filename (dir, "movies.db", NULL);
  library = g_build_filename (dir, "library", NULL);
  copy_file (original, copy);

  /* Two new films; 12 Monkeys, whose movies.path is the author's Google
   * Drive path ending in this folder and file, and that has palettes; Dead
   * Ringers, likewise known by its path, that has none. */
  add_film (library, "Palette Test Red (2020, Some Tester)", "red.webm", RED);
  add_film (library, "Palette Test Blue (2021)", "blue.webm", BLUE);
  add_film (library, monkeys_folder, monkeys_file, GREEN);
  add_film (library, ringers_folder, ringers_file, YELLOW);

  r = run ("-q", "--step", "1", "-c", copy, library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  db = db_open (copy, FALSE);
  uri = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS o", original);
  db_exec (db, uri);
  g_free (uri);
  assert_original_rows_kept (db);

  /* The two known films matched their rows: no duplicate row. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 513);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies WHERE title ="
          " '12 Monkeys'"), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies WHERE title ="
          " 'Dead Ringers'"), ==, 1);
  /* Dead Ringers had no palette: it got one, on its own row (71). */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " movie_id = 71"), ==, 1);
  ringers_palette = db_text (db, "SELECT id FROM palettes WHERE"
      " movie_id = 71");
  /* 12 Monkeys has a palette already: skipped without --recalc, as the
   * documentation says. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " movie_id = 1"), ==, 6);

  /* The new films: rows as a scan makes them. */
  red_id = movie_id_of (db, "Palette Test Red", "2020");
  blue_id = movie_id_of (db, "Palette Test Blue", "2021");
  g_assert_cmpint (red_id, >, 511);
  g_assert_cmpint (blue_id, >, 511);
  {
    gchar *s = db_text (db, "SELECT director FROM movies WHERE id = %lld",
        (long long) red_id);

    g_assert_cmpstr (s, ==, "Some Tester");
    g_free (s);
    s = db_text (db, "SELECT director FROM movies WHERE id = %lld",
        (long long) blue_id);
    g_assert_null (s);
    s = db_text (db, "SELECT path FROM movies WHERE id = %lld",
        (long long) red_id);
    g_assert_cmpstr (s, ==, "Palette Test Red (2020, Some Tester)/red.webm");
    g_free (s);
  }
  g_assert_cmpint (db_int (db, "SELECT frames FROM movies WHERE id = %lld",
          (long long) red_id), ==, CLIP_FRAMES);
  g_assert_cmpint (db_int (db, "SELECT length FROM movies WHERE id = %lld",
          (long long) red_id), ==, CLIP_FRAMES / CLIP_FPS);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " movie_id IN (%lld, %lld)", (long long) red_id,
          (long long) blue_id), ==, 2);
  sqlite3_close (db);

  /* --recalc: 12 Monkeys gets a new palette, on its own row. */
  r = run ("-q", "--step", "1", "--recalc", "--only", "12 Monkeys", "-c",
      copy, library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  db = db_open (copy, FALSE);
  uri = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS o", original);
  db_exec (db, uri);
  g_free (uri);
  assert_original_rows_kept (db);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 513);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==,
      283 + 4);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " movie_id = 1"), ==, 7);
  monkeys_new_id = db_text (db, "SELECT id FROM main.palettes WHERE"
      " movie_id = 1 AND id NOT IN (SELECT id FROM o.palettes)");
  g_assert_nonnull (monkeys_new_id);
  g_assert_cmpint (db_int (db, "SELECT active FROM palettes WHERE id = %Q",
          monkeys_new_id), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT id) FROM palettes"),
      ==, db_int (db, "SELECT count(*) FROM palettes"));
  /* The frontend's query: the new films once each with their palette ... */
  rows = frontend_query (db);
  g_assert_cmpuint (rows->len, ==, 513);
  {
    FrontendRow *row = frontend_row (rows, red_id);
    gchar *id = db_text (db, "SELECT id FROM palettes WHERE movie_id = %lld",
        (long long) red_id);

    g_assert_cmpstr (row->palette_id, ==, id);
    assert_frontend_colors (row->colors, RED);
    g_free (id);
    row = frontend_row (rows, blue_id);
    id = db_text (db, "SELECT id FROM palettes WHERE movie_id = %lld",
        (long long) blue_id);
    g_assert_cmpstr (row->palette_id, ==, id);
    assert_frontend_colors (row->colors, BLUE);
    g_free (id);
    row = frontend_row (rows, 71);
    g_assert_cmpstr (row->palette_id, ==, ringers_palette);
    assert_frontend_colors (row->colors, YELLOW);
    /* ... 12 Monkeys with its new one ... */
    row = frontend_row (rows, 1);
    g_assert_cmpstr (row->palette_id, ==, monkeys_new_id);
    assert_frontend_colors (row->colors, GREEN);
  }
  /* ... and every other film that had a palette with its own. */
  odb = db_open (original, TRUE);
  original_rows = frontend_query (odb);
  sqlite3_close (odb);
  old_palettes = g_hash_table_new (g_int64_hash, g_int64_equal);
  n_with_palette = 0;
  for (i = 0; i < original_rows->len; i++) {
    FrontendRow *row = original_rows->pdata[i];

    if (row->palette_id != NULL) {
      n_with_palette++;
      g_hash_table_insert (old_palettes, &row->movie_id, row);
    }
  }
  g_assert_cmpuint (n_with_palette, ==, 142);
  g_assert_cmpuint (g_hash_table_size (old_palettes), ==, 142);
  n_with_palette = 0;
  for (i = 0; i < rows->len; i++) {
    FrontendRow *row = rows->pdata[i];
    FrontendRow *old = g_hash_table_lookup (old_palettes, &row->movie_id);

    if (row->palette_id != NULL)
      n_with_palette++;
    if (old == NULL || row->movie_id == 1)
      continue;
    g_assert_cmpstr (row->palette_id, ==, old->palette_id);
    g_assert_cmpstr (row->colors, ==, old->colors);
    g_assert_cmpstr (row->date, ==, old->date);
  }
  /* 142, Dead Ringers and the two new films */
  g_assert_cmpuint (n_with_palette, ==, 145);
  g_hash_table_unref (old_palettes);
  g_ptr_array_unref (original_rows);
  g_ptr_array_unref (rows);

  /* A third run finds everything done and changes nothing. */
  sqlite3_close (db);
  r = run ("--step", "1", "-c", copy, library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "4 films have a palette already");
  result_clear (&r);
  db = db_open (copy, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 513);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==,
      283 + 4);
  sqlite3_close (db);

  remove_tree (dir);
  g_free (monkeys_new_id);
  g_free (ringers_palette);
  g_free (library);
  g_free (copy);
  g_free (dir);
}

/* --- 2. four writers at once --------------------------------------------- */

#define N_WRITERS 4
#define FILMS_PER_WRITER 3

static const guint32 writer_colors[] = { RED, GREEN, BLUE, YELLOW, MAGENTA,
  CYAN
};

/* N_WRITERS library folders of FILMS_PER_WRITER films each, every film a
 * title of its own; returns the folders. */
static gchar **
make_writer_libraries (const gchar * dir)
{
  gchar **libraries = g_new0 (gchar *, N_WRITERS + 1);
  guint i, j;

  for (i = 0; i < N_WRITERS; i++) {
    gchar *name = g_strdup_printf ("library-%u", i);

    libraries[i] = g_build_filename (dir, name, NULL);
    for (j = 0; j < FILMS_PER_WRITER; j++) {
      gchar *folder = g_strdup_printf ("Writer %u Film %u (20%u%u)", i, j, i,
          j);

      add_film (libraries[i], folder, "film.webm",
          writer_colors[(i * FILMS_PER_WRITER + j) %
              G_N_ELEMENTS (writer_colors)]);
      g_free (folder);
    }
    g_free (name);
  }
  return libraries;
}

/* Starts one gst-palette per library, all at once, on CATALOG; checks
 * that each exits 0. */
static void
run_writers (gchar ** libraries, const gchar * catalog)
{
  GSubprocess *processes[N_WRITERS];
  GError *error = NULL;
  guint i;

  for (i = 0; i < N_WRITERS; i++) {
    processes[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
        G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, gst_palette_bin, "-q",
        "--step", "1", "--jobs", "1", "-c", catalog, libraries[i], NULL);
    g_assert_no_error (error);
  }
  for (i = 0; i < N_WRITERS; i++) {
    GBytes *out = NULL, *err = NULL;
    gint status;

    g_assert_true (g_subprocess_communicate (processes[i], NULL, NULL, &out,
            &err, &error));
    g_assert_no_error (error);
    status = g_subprocess_get_if_exited (processes[i]) ?
        g_subprocess_get_exit_status (processes[i]) :
        128 + g_subprocess_get_term_sig (processes[i]);
    note ("writer %u: status %d\nstderr:\n%.*s", i, status,
        (gint) g_bytes_get_size (err), (const gchar *) g_bytes_get_data (err,
            NULL));
    if (status != 0)
      g_error ("writer %u on %s exited with %d: %.*s", i, catalog, status,
          (gint) g_bytes_get_size (err),
          (const gchar *) g_bytes_get_data (err, NULL));
    g_bytes_unref (out);
    g_bytes_unref (err);
    g_object_unref (processes[i]);
  }
}

static void
test_concurrent_sqlite (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-writers-XXXXXX", NULL);
  gchar **libraries = make_writer_libraries (dir);
  gchar *catalog = g_build_filename (dir, "shared.db", NULL);
  sqlite3 *db;
  guint i, j;

  run_writers (libraries, catalog);

  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==,
      N_WRITERS * FILMS_PER_WRITER);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==,
      N_WRITERS * FILMS_PER_WRITER);
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT id) FROM palettes"),
      ==, N_WRITERS * FILMS_PER_WRITER);
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT movie_id) FROM"
          " palettes"), ==, N_WRITERS * FILMS_PER_WRITER);
  for (i = 0; i < N_WRITERS; i++)
    for (j = 0; j < FILMS_PER_WRITER; j++) {
      gchar *title = g_strdup_printf ("Writer %u Film %u", i, j);
      gchar *year = g_strdup_printf ("20%u%u", i, j);
      gint64 id = movie_id_of (db, title, year);

      g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
              " movie_id = %lld", (long long) id), ==, 1);
      g_free (title);
      g_free (year);
    }
  sqlite3_close (db);

  remove_tree (dir);
  g_strfreev (libraries);
  g_free (catalog);
  g_free (dir);
}

static void
test_concurrent_json (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-writers-json-XXXXXX", NULL);
  gchar **libraries = make_writer_libraries (dir);
  gchar *catalog = g_build_filename (dir, "shared.json", NULL);
  GHashTable *titles = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;
  JsonParser *parser = json_parser_new ();
  JsonArray *movies;
  guint i;

  run_writers (libraries, catalog);

  json_parser_load_from_file (parser, catalog, &error);
  g_assert_no_error (error);
  movies = json_object_get_array_member (json_node_get_object
      (json_parser_get_root (parser)), "movies");
  g_assert_cmpuint (json_array_get_length (movies), ==,
      N_WRITERS * FILMS_PER_WRITER);
  for (i = 0; i < json_array_get_length (movies); i++) {
    JsonObject *movie = json_array_get_object_element (movies, i);
    JsonArray *palettes = json_object_get_array_member (movie, "palettes");
    const gchar *title = json_object_get_string_member (movie, "title");
    const gchar *id;

    g_assert_true (g_str_has_prefix (title, "Writer "));
    g_assert_true (g_hash_table_add (titles, (gpointer) title));
    if (json_array_get_length (palettes) != 1)
      g_error ("%s has %u palettes", title, json_array_get_length (palettes));
    id = json_object_get_string_member (json_array_get_object_element
        (palettes, 0), "id");
    g_assert_nonnull (id);
    g_assert_true (g_hash_table_add (ids, (gpointer) id));
  }
  g_assert_cmpuint (g_hash_table_size (titles), ==,
      N_WRITERS * FILMS_PER_WRITER);

  g_hash_table_unref (titles);
  g_hash_table_unref (ids);
  g_object_unref (parser);
  remove_tree (dir);
  g_strfreev (libraries);
  g_free (catalog);
  g_free (dir);
}

/* --- 3. palette ids ------------------------------------------------------ */

static void
test_recalc_ids (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-ids-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *newest;
  sqlite3 *db;
  GPtrArray *rows;
  FrontendRow *row;
  guint i;

  add_film (library, "Again (1999)", "again.webm", MAGENTA);
  run_expect (0, "-q", "--step", "1", "-c", catalog, library);
  for (i = 0; i < 3; i++)
    run_expect (0, "-q", "--step", "1", "--recalc", "-c", catalog, library);

  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 4);
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT id) FROM palettes"),
      ==, 4);
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT calculation_date)"
          " FROM palettes"), ==, 4);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " active = 1"), ==, 4);
  /* dates sort as text in the order the palettes were made */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes p1 JOIN"
          " palettes p2 ON p1.rowid < p2.rowid WHERE p1.calculation_date >="
          " p2.calculation_date"), ==, 0);
  newest = db_text (db, "SELECT id FROM palettes ORDER BY rowid DESC"
      " LIMIT 1");
  rows = frontend_query (db);
  g_assert_cmpuint (rows->len, ==, 1);
  row = frontend_row (rows, db_int (db, "SELECT id FROM movies"));
  g_assert_cmpstr (row->palette_id, ==, newest);
  assert_frontend_colors (row->colors, MAGENTA);
  g_ptr_array_unref (rows);
  sqlite3_close (db);

  remove_tree (dir);
  g_free (newest);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* --- 4. relative paths --------------------------------------------------- */

static gchar *
movies_dump (sqlite3 * db)
{
  return db_dump (db, "SELECT id, title, path, frames, length, status"
      " FROM movies ORDER BY id");
}

static void
test_second_mount_point (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-mount-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "L", NULL);
  gchar *link = g_build_filename (dir, "L2", NULL);
  gchar *catalog = g_build_filename (library, "movies.db", NULL);
  gchar *link_catalog = g_build_filename (link, "movies.db", NULL);
  gchar *before, *after;
  sqlite3 *db;
  Result r;

  add_film (library, "Mounted (2010, Someone)", "mounted.webm", RED);
  add_film (library, "Elsewhere (2011)", "elsewhere.webm", BLUE);
  run_expect (0, "-q", "--step", "1", "-c", catalog, library);

  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 2);
  {
    gchar *path = db_text (db, "SELECT path FROM movies WHERE title ="
        " 'Mounted'");

    g_assert_cmpstr (path, ==, "Mounted (2010, Someone)/mounted.webm");
    g_free (path);
    path = db_text (db, "SELECT path FROM movies WHERE title = 'Elsewhere'");
    g_assert_cmpstr (path, ==, "Elsewhere (2011)/elsewhere.webm");
    g_free (path);
  }
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies WHERE"
          " frames = %d AND length = %d", CLIP_FRAMES,
          CLIP_FRAMES / CLIP_FPS), ==, 2);
  before = movies_dump (db);
  sqlite3_close (db);

  /* The same library through another path. */
  g_assert_cmpint (symlink (library, link), ==, 0);
  r = run ("--step", "1", "-c", link_catalog, link, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "2 films have a palette already");
  assert_contains (r.err, "nothing to do");
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);

  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 2);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 2);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies WHERE"
          " path LIKE '/%%'"), ==, 0);
  after = movies_dump (db);
  g_assert_cmpstr (after, ==, before);
  sqlite3_close (db);

  remove_tree (dir);
  g_free (before);
  g_free (after);
  g_free (link_catalog);
  g_free (catalog);
  g_free (link);
  g_free (library);
  g_free (dir);
}

/* --- 5. folder names ----------------------------------------------------- */

static void
assert_movie (sqlite3 * db, const gchar * title, const gchar * year,
    const gchar * director)
{
  gint64 n = db_int (db, "SELECT count(*) FROM movies WHERE title = %Q"
      " AND year IS %Q AND director IS %Q", title, year, director);

  if (n != 1)
    g_error ("%" G_GINT64_FORMAT " movies rows for title \"%s\", year %s, "
        "director %s", n, title, year, director);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes p JOIN movies"
          " m ON m.id = p.movie_id WHERE title = %Q AND year IS %Q AND"
          " director IS %Q", title, year, director), ==, 1);
}

static void
test_folder_names (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-names-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  sqlite3 *db;
  guint pass;

  add_film (library, "Alien (1979)", "alien.webm", GREEN);
  add_film (library, "Alien (1979) Director's Cut", "alien-dc.webm", RED);
  add_film (library, "Hamlet (1948, Laurence Olivier)", "hamlet.webm", BLUE);
  add_film (library, "Hamlet (1948, Grigori Kozintsev)", "hamlet.webm",
      YELLOW);

  /* The second run must find the same four films. */
  for (pass = 0; pass < 2; pass++) {
    run_expect (0, "-q", "--step", "1", "-c", catalog, library);
    db = db_open (catalog, TRUE);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 4);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 4);
    assert_movie (db, "Alien", "1979", NULL);
    assert_movie (db, "Alien (1979) Director's Cut", NULL, NULL);
    assert_movie (db, "Hamlet", "1948", "Laurence Olivier");
    assert_movie (db, "Hamlet", "1948", "Grigori Kozintsev");
    sqlite3_close (db);
  }

  remove_tree (dir);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* --- 6. names that are not UTF-8 ----------------------------------------- */

/* The film's palette color, found by our file's bytes. */
static void
assert_film_color (sqlite3 * db, const gchar * file, guint32 rgb)
{
  sqlite3_stmt *stmt = db_prepare (db, "SELECT p.colors FROM palettes p"
      " JOIN gp_films g ON g.movie_id = p.movie_id WHERE g.file = ?");
  gint n = 0;

  sqlite3_bind_blob (stmt, 1, file, strlen (file), SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW) {
    assert_frontend_colors ((const gchar *) sqlite3_column_text (stmt, 0),
        rgb);
    n++;
  }
  sqlite3_finalize (stmt);
  if (n != 1)
    g_error ("%d palettes for the file %s", n, file);
}

static void
test_non_utf8_names (void)
{
  /* Latin-1 names; the second differs from the first only in a byte that
   * is not UTF-8 either, so both read "Caf\ufffd (1950)/f\ufffd.webm". */
  const gchar *folders[] = { "Caf\xe9 (1950)", "Caf\xe8 (1950)" };
  const guint32 colors[] = { CYAN, MAGENTA };
  const gchar file[] = "f\xe9.webm";
  gchar *dir = g_dir_make_tmp ("gst-palette-latin1-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *files[2];
  sqlite3 *db;
  sqlite3_stmt *stmt;
  Result r;
  guint pass, i;

  for (i = 0; i < 2; i++) {
    gchar *folder_path = g_build_filename (library, folders[i], NULL);
    gchar *clip = g_build_filename (dir, "clip.webm", NULL);
    gchar *film = g_build_filename (folder_path, file, NULL);

    g_assert_cmpint (g_mkdir_with_parents (folder_path, 0755), ==, 0);
    make_clip (clip, colors[i], CLIP_FRAMES);
    g_assert_cmpint (g_rename (clip, film), ==, 0);
    files[i] = g_build_filename (folders[i], file, NULL);
    g_free (film);
    g_free (clip);
    g_free (folder_path);
  }

  for (pass = 0; pass < 2; pass++) {
    r = run ("--step", "1", "-c", catalog, library, NULL);
    g_assert_cmpint (r.status, ==, 0);
    if (pass == 1) {
      /* nothing analysed again */
      assert_contains (r.err, "2 films have a palette already");
      assert_contains (r.err, "nothing to do");
      g_assert_cmpstr (r.out, ==, "");
    }
    result_clear (&r);

    db = db_open (catalog, TRUE);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 2);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 2);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies WHERE"
            " year = '1950'"), ==, 2);
    /* what the frontend reads is valid UTF-8, U+FFFD for the bad byte */
    stmt = db_prepare (db, "SELECT title, path FROM movies");
    while (sqlite3_step (stmt) == SQLITE_ROW) {
      const gchar *title = (const gchar *) sqlite3_column_text (stmt, 0);
      const gchar *path = (const gchar *) sqlite3_column_text (stmt, 1);

      g_assert_true (g_utf8_validate (title, -1, NULL));
      g_assert_cmpstr (title, ==, "Caf\xef\xbf\xbd");
      g_assert_true (path == NULL || g_utf8_validate (path, -1, NULL));
    }
    sqlite3_finalize (stmt);
    /* our own table keeps each file name's bytes, to open it again */
    for (i = 0; i < 2; i++)
      assert_film_color (db, files[i], colors[i]);
    sqlite3_close (db);
  }

  remove_tree (dir);
  g_free (files[0]);
  g_free (files[1]);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* The same film with the notebook's JSON catalog: found again on the next
 * run, not added twice nor analysed again. */
static void
test_non_utf8_names_json (void)
{
  const gchar folder[] = "Caf\xe9 (1950)";
  const gchar file[] = "f\xe9.webm";
  gchar *dir = g_dir_make_tmp ("gst-palette-latin1-json-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "catalog.json", NULL);
  gchar *folder_path = g_build_filename (library, folder, NULL);
  gchar *clip = g_build_filename (dir, "clip.webm", NULL);
  gchar *film = g_build_filename (folder_path, file, NULL);
  GError *error = NULL;
  guint pass;

  g_assert_cmpint (g_mkdir_with_parents (folder_path, 0755), ==, 0);
  make_clip (clip, CYAN, CLIP_FRAMES);
  g_assert_cmpint (g_rename (clip, film), ==, 0);

  for (pass = 0; pass < 2; pass++) {
    Result r = run ("--step", "1", "-c", catalog, library, NULL);
    JsonParser *parser = json_parser_new ();
    JsonArray *movies;
    guint i;

    g_assert_cmpint (r.status, ==, 0);
    json_parser_load_from_file (parser, catalog, &error);
    g_assert_no_error (error);
    movies = json_object_get_array_member (json_node_get_object
        (json_parser_get_root (parser)), "movies");
    for (i = 0; i < json_array_get_length (movies); i++) {
      JsonObject *movie = json_array_get_object_element (movies, i);

      note ("run %u: film \"%s\", path %s, %u palettes", pass + 1,
          json_object_get_string_member (movie, "title"),
          json_object_get_string_member_with_default (movie, "path",
              "null"), json_array_get_length (json_object_get_array_member
              (movie, "palettes")));
    }
    g_assert_cmpuint (json_array_get_length (movies), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member
            (json_array_get_object_element (movies, 0), "palettes")), ==, 1);
    if (pass == 1) {
      assert_contains (r.err, "1 film has a palette already");
      assert_contains (r.err, "nothing to do");
      g_assert_cmpstr (r.out, ==, "");
    }
    g_object_unref (parser);
    result_clear (&r);
  }

  remove_tree (dir);
  g_free (film);
  g_free (clip);
  g_free (folder_path);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* --- 7. failures --------------------------------------------------------- */

/* LIBRARY with "Cut (2001)/cut.webm", a clip of 50 frames cut at 60 % of
 * its bytes, and "Junk (2002)/junk.mkv", random bytes. Returns the whole
 * clip's bytes; CUT_SHORT tells whether palettesink found the cut file
 * cut short (a record with complete=false) rather than failing on it. */
static GBytes *
make_failure_library (const gchar * dir, const gchar * library,
    gchar ** cut_path, gboolean * cut_short)
{
  gchar *full = g_build_filename (dir, "full.webm", NULL);
  gchar *cut = g_build_filename (library, "Cut (2001)", "cut.webm", NULL);
  gchar *junk_dir = g_build_filename (library, "Junk (2002)", NULL);
  gchar *junk = g_build_filename (junk_dir, "junk.mkv", NULL);
  gchar *cut_dir = g_path_get_dirname (cut);
  GBytes *bytes;
  GRand *rand = g_rand_new_with_seed (14);
  gchar noise[4096];
  JsonNode *record;
  Result r;
  guint i;

  make_clip (full, GREEN, 50);
  bytes = read_bytes (full);
  g_assert_cmpint (g_mkdir_with_parents (cut_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cut, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes) * 6 / 10, NULL));
  g_assert_cmpint (g_mkdir_with_parents (junk_dir, 0755), ==, 0);
  for (i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (junk, noise, sizeof noise, NULL));
  g_rand_free (rand);

  /* What palettesink says of the cut file alone. */
  *cut_short = FALSE;
  r = run ("--step", "1", "--json", cut, NULL);
  g_assert_cmpint (r.status, ==, 3);
  record = json_from_string (r.out, NULL);
  if (record != NULL && JSON_NODE_HOLDS_OBJECT (record)) {
    g_assert_false (json_object_get_boolean_member (json_node_get_object
            (record), "complete"));
    *cut_short = TRUE;
  } else {
    note ("the cut file made decodebin fail: a hard failure");
  }
  if (record != NULL)
    json_node_unref (record);
  result_clear (&r);

  *cut_path = cut;
  g_free (cut_dir);
  g_free (junk);
  g_free (junk_dir);
  g_free (full);
  return bytes;
}

static void
test_failures (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-failures-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *cut;
  gboolean cut_short;
  GBytes *bytes = make_failure_library (dir, library, &cut, &cut_short);
  gint64 cut_id, junk_id;
  sqlite3 *db;
  Result r;

  /* First run: both fail, nothing kept, the reasons remembered. */
  r = run ("--step", "1", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "gst-palette: Cut: ");
  assert_contains (r.err, "gst-palette: Junk: ");
  assert_contains (r.err, "2 of 2 films failed");
  result_clear (&r);
  db = db_open (catalog, TRUE);
  cut_id = movie_id_of (db, "Cut", "2001");
  junk_id = movie_id_of (db, "Junk", "2002");
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_films WHERE"
          " movie_id IN (%lld, %lld) AND error IS NOT NULL AND error != ''"
          " AND attempts = 1", (long long) cut_id, (long long) junk_id), ==,
      2);
  g_assert_cmpint (db_int (db, "SELECT retry FROM gp_films WHERE"
          " movie_id = %lld", (long long) junk_id), ==, 0);
  if (cut_short)
    g_assert_cmpint (db_int (db, "SELECT retry FROM gp_films WHERE"
            " movie_id = %lld", (long long) cut_id), ==, 1);
  sqlite3_close (db);

  /* Second run: the cut file is tried again unasked, the junk is not. */
  r = run ("--step", "1", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, cut_short ? 3 : 0);
  assert_contains (r.err, "Junk: failed before");
  if (cut_short)
    assert_contains (r.err, "gst-palette: Cut: the file ends before its end");
  else
    assert_contains (r.err, "Cut: failed before");
  result_clear (&r);
  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT attempts FROM gp_films WHERE"
          " movie_id = %lld", (long long) junk_id), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT attempts FROM gp_films WHERE"
          " movie_id = %lld", (long long) cut_id), ==, cut_short ? 2 : 1);
  sqlite3_close (db);

  /* --retry-failed: the junk is tried, fails again and keeps its error. */
  r = run ("--step", "1", "--retry-failed", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "gst-palette: Junk: ");
  result_clear (&r);
  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT attempts FROM gp_films WHERE"
          " movie_id = %lld AND error IS NOT NULL", (long long) junk_id), ==,
      2);
  sqlite3_close (db);

  /* The whole file arrives: the film gets its palette, its error goes. */
  g_assert_true (g_file_set_contents (cut, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), NULL));
  r = run ("--step", "1", "--only", "Cut", "--retry-failed", "-c", catalog,
      library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
          " movie_id = %lld", (long long) cut_id), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_films WHERE"
          " movie_id = %lld AND error IS NULL AND attempts = 0",
          (long long) cut_id), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT frames FROM movies WHERE id = %lld",
          (long long) cut_id), ==, 50);
  sqlite3_close (db);

  g_bytes_unref (bytes);
  remove_tree (dir);
  g_free (cut);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* The same with the notebook's JSON catalog: a film cut short is tried
 * again on the next run, a hard failure is not. */
static void
test_failures_json (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-failures-json-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "catalog.json", NULL);
  gchar *cut;
  gboolean cut_short;
  GBytes *bytes = make_failure_library (dir, library, &cut, &cut_short);
  Result r;

  r = run ("--step", "1", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "gst-palette: Cut: ");
  assert_contains (r.err, "gst-palette: Junk: ");
  result_clear (&r);

  r = run ("--step", "1", "-c", catalog, library, NULL);
  assert_contains (r.err, "Junk: failed before");
  if (cut_short) {
    assert_contains (r.err, "gst-palette: Cut: the file ends before its end");
    g_assert_cmpint (r.status, ==, 3);
  }
  result_clear (&r);

  g_bytes_unref (bytes);
  remove_tree (dir);
  g_free (cut);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* --- 8. the catalog without the films ------------------------------------ */

static cairo_surface_t *
load_png (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    g_error ("%s: %s", path, cairo_status_to_string (cairo_surface_status
            (surface)));
  g_assert_cmpint (cairo_image_surface_get_width (surface), >, 0);
  g_assert_cmpint (cairo_image_surface_get_height (surface), >, 0);
  g_free (path);
  return surface;
}

static void
assert_center_pixel (cairo_surface_t * surface, guint32 expected)
{
  gint w = cairo_image_surface_get_width (surface);
  gint h = cairo_image_surface_get_height (surface);
  guint32 p = png_pixel (surface, w / 2, h / 2);

  if (!rgb_near (p >> 16, (p >> 8) & 0xff, p & 0xff, expected, 16))
    g_error ("center pixel #%06x is not near #%06x", p, expected);
}

static void
test_draw_and_list (void)
{
  const gchar *names[] = { "Drawn Red (2003)", "Drawn Blue (2004)" };
  const guint32 colors[] = { RED, BLUE };
  gchar *dir = g_dir_make_tmp ("gst-palette-draw-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *out = g_build_filename (dir, "images", NULL);
  gchar *films[2];
  JsonNode *root;
  JsonArray *listed;
  sqlite3 *db;
  Result r;
  guint i, j;

  for (i = 0; i < 2; i++)
    films[i] = make_film (library, names[i], "film.webm", colors[i],
        CLIP_FRAMES);
  run_expect (0, "-q", "--step", "1", "-c", catalog, library);
  /* The films are gone: only the catalog is left. */
  for (i = 0; i < 2; i++) {
    g_assert_cmpint (g_remove (films[i]), ==, 0);
    g_free (films[i]);
  }

  r = run ("draw", "-c", catalog, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "images of 2 films");
  result_clear (&r);
  for (i = 0; i < 2; i++) {
    gchar *name = g_strconcat (names[i], ".fingerprint.png", NULL);
    cairo_surface_t *surface = load_png (out, name);

    assert_center_pixel (surface, colors[i]);
    cairo_surface_destroy (surface);
    g_free (name);
    name = g_strconcat (names[i], ".ring.png", NULL);
    surface = load_png (out, name);
    cairo_surface_destroy (surface);
    g_free (name);
    name = g_strconcat (names[i], ".swatch.png", NULL);
    surface = load_png (out, name);
    assert_center_pixel (surface, colors[i]);
    cairo_surface_destroy (surface);
    g_free (name);
  }

  /* list --json: every film with its palette */
  r = run ("list", "-c", catalog, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = json_from_string (r.out, NULL);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  listed = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (listed), ==, 2);
  for (i = 0; i < 2; i++) {
    gchar *title = g_strndup (names[i], strlen (names[i]) - strlen (" (2003)"));
    gboolean found = FALSE;

    for (j = 0; j < 2; j++) {
      JsonObject *film = json_array_get_object_element (listed, j);
      JsonArray *palettes, *rgb;

      if (g_strcmp0 (json_object_get_string_member (film, "title"),
              title) != 0)
        continue;
      found = TRUE;
      palettes = json_object_get_array_member (film, "palettes");
      g_assert_cmpuint (json_array_get_length (palettes), ==, 1);
      rgb = json_array_get_array_element (json_object_get_array_member
          (json_array_get_object_element (palettes, 0), "colors"), 0);
      g_assert_true (rgb_near (json_array_get_int_element (rgb, 0),
              json_array_get_int_element (rgb, 1),
              json_array_get_int_element (rgb, 2), colors[i], 10));
    }
    if (!found)
      g_error ("list --json does not list %s", title);
    g_free (title);
  }
  json_node_unref (root);
  result_clear (&r);

  /* list --only: that film's colors as hex */
  db = db_open (catalog, TRUE);
  {
    gchar *colors_json = db_text (db, "SELECT p.colors FROM palettes p JOIN"
        " movies m ON m.id = p.movie_id WHERE m.title = 'Drawn Blue'");
    gchar *id = db_text (db, "SELECT p.id FROM palettes p JOIN"
        " movies m ON m.id = p.movie_id WHERE m.title = 'Drawn Blue'");
    JsonNode *c = json_from_string (colors_json, NULL);
    JsonArray *first = json_array_get_array_element (json_node_get_array (c),
        0);
    gchar *hex = g_strdup_printf ("#%02x%02x%02x",
        (guint) json_array_get_int_element (first, 0),
        (guint) json_array_get_int_element (first, 1),
        (guint) json_array_get_int_element (first, 2));

    r = run ("list", "-c", catalog, "--only", "Drawn Blue", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Drawn Blue (2004)");
    assert_contains (r.out, id);
    assert_contains (r.out, hex);
    g_assert_null (strstr (r.out, "Drawn Red"));
    result_clear (&r);
    json_node_unref (c);
    g_free (hex);
    g_free (id);
    g_free (colors_json);
  }
  sqlite3_close (db);

  remove_tree (dir);
  g_free (out);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* Two films of one title and year (the two Hamlets of 1948) are two films
 * for the images too: neither overwrites the other's. */
static guint
count_files (const gchar * dir, const gchar * suffix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;
  g_dir_close (d);
  return n;
}

/* The center colors of the swatches in DIR: each of EXPECTED once. */
static void
assert_swatch_colors (const gchar * dir, const guint32 * expected, guint n)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint found[8] = { 0, };
  guint i;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (found));
  while ((name = g_dir_read_name (d)) != NULL) {
    cairo_surface_t *surface;
    gint w, h;
    guint32 p;

    if (!g_str_has_suffix (name, ".swatch.png"))
      continue;
    surface = load_png (dir, name);
    w = cairo_image_surface_get_width (surface);
    h = cairo_image_surface_get_height (surface);
    p = png_pixel (surface, w / 2, h / 2);
    for (i = 0; i < n; i++)
      if (rgb_near (p >> 16, (p >> 8) & 0xff, p & 0xff, expected[i], 16))
        found[i]++;
    cairo_surface_destroy (surface);
  }
  g_dir_close (d);
  for (i = 0; i < n; i++)
    if (found[i] != 1)
      g_error ("%u swatches of #%06x in %s, not 1", found[i], expected[i],
          dir);
}

static void
test_same_title_images (void)
{
  const guint32 colors[] = { RED, BLUE };
  gchar *dir = g_dir_make_tmp ("gst-palette-hamlets-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *drawn = g_build_filename (dir, "drawn", NULL);
  gchar *analysed = g_build_filename (dir, "analysed", NULL);
  Result r;

  add_film (library, "Hamlet (1948, Laurence Olivier)", "hamlet.webm", RED);
  add_film (library, "Hamlet (1948, Grigori Kozintsev)", "hamlet.webm", BLUE);

  /* gst-palette -o DIR on the library: a record and images each */
  run_expect (0, "-q", "--step", "1", "-o", analysed, "-c", catalog, library);
  note ("files written by -o: %u .json, %u .swatch.png",
      count_files (analysed, ".json"), count_files (analysed,
          ".swatch.png"));

  /* gst-palette draw: images of both */
  r = run ("draw", "-c", catalog, "-o", drawn, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "images of 2 films");
  result_clear (&r);
  note ("files written by draw: %u .swatch.png, %u .fingerprint.png",
      count_files (drawn, ".swatch.png"), count_files (drawn,
          ".fingerprint.png"));
  g_assert_cmpuint (count_files (drawn, ".swatch.png"), ==, 2);
  g_assert_cmpuint (count_files (drawn, ".fingerprint.png"), ==, 2);
  g_assert_cmpuint (count_files (drawn, ".ring.png"), ==, 2);
  assert_swatch_colors (drawn, colors, 2);

  g_assert_cmpuint (count_files (analysed, ".json"), ==, 2);
  g_assert_cmpuint (count_files (analysed, ".swatch.png"), ==, 2);
  assert_swatch_colors (analysed, colors, 2);

  remove_tree (dir);
  g_free (analysed);
  g_free (drawn);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* --- 9. import and export ------------------------------------------------ */

static gchar *
palettes_dump (const gchar * catalog)
{
  sqlite3 *db = db_open (catalog, TRUE);
  gchar *dump = db_dump (db, "SELECT m.title, m.year, p.id, p.colors,"
      " p.calculation_date, p.active FROM palettes p JOIN movies m"
      " ON m.id = p.movie_id ORDER BY p.id");

  sqlite3_close (db);
  return dump;
}

static gboolean
has_member_anywhere (JsonNode * node, const gchar * name)
{
  guint i;

  if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *array = json_node_get_array (node);

    for (i = 0; i < json_array_get_length (array); i++)
      if (has_member_anywhere (json_array_get_element (array, i), name))
        return TRUE;
  } else if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *object = json_node_get_object (node);
    GList *members = json_object_get_members (object), *l;
    gboolean found = FALSE;

    for (l = members; l != NULL && !found; l = l->next)
      found = g_str_equal (l->data, name) ||
          has_member_anywhere (json_object_get_member (object, l->data),
          name);
    g_list_free (members);
    return found;
  }
  return FALSE;
}

static void
test_import_export (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-export-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *exported = g_build_filename (dir, "out.json", NULL);
  gchar *fingerprints = g_build_filename (dir, "out.fingerprints", NULL);
  gchar *imported = g_build_filename (dir, "new.db", NULL);
  gchar *before, *after;
  GError *error = NULL;
  JsonParser *parser = json_parser_new ();
  sqlite3 *db;
  Result r;

  add_film (library, "Exported (2005, Someone)", "e.webm", RED);
  add_film (library, "Exported Too (2006)", "e2.webm", GREEN);
  run_expect (0, "-q", "--step", "1", "-c", catalog, library);
  run_expect (0, "-q", "--step", "1", "--recalc", "--only", "Exported Too",
      "-c", catalog, library);
  before = palettes_dump (catalog);
  g_assert_cmpstr (before, !=, "");

  run_expect (0, "export", "-c", catalog, exported);
  json_parser_load_from_file (parser, exported, &error);
  g_assert_no_error (error);
  g_assert_false (has_member_anywhere (json_parser_get_root (parser),
          "fingerprint"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (json_node_get_object (json_parser_get_root (parser)), "movies")),
      ==, 2);
  /* the fingerprints beside it, one file per palette */
  db = db_open (catalog, TRUE);
  {
    sqlite3_stmt *stmt = db_prepare (db, "SELECT id FROM palettes");

    while (sqlite3_step (stmt) == SQLITE_ROW) {
      gchar *name = g_strconcat ((const gchar *) sqlite3_column_text (stmt,
              0), ".json", NULL);
      gchar *path = g_build_filename (fingerprints, name, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_free (path);
      g_free (name);
    }
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);

  r = run ("import", "-c", imported, exported, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "2 new films, 3 new palettes");
  result_clear (&r);
  after = palettes_dump (imported);
  g_assert_cmpstr (after, ==, before);
  g_free (after);
  db = db_open (imported, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_fingerprints"), ==,
      3);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 2);
  sqlite3_close (db);

  /* Importing again adds nothing. */
  r = run ("import", "-c", imported, exported, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "0 new films, 0 new palettes");
  result_clear (&r);
  after = palettes_dump (imported);
  g_assert_cmpstr (after, ==, before);
  g_free (after);

  g_object_unref (parser);
  remove_tree (dir);
  g_free (before);
  g_free (imported);
  g_free (fingerprints);
  g_free (exported);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

static gint
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The frontend's view of CATALOG, one line a movie, sorted: what a user
 * of the frontend sees, whatever the movie ids. */
static gchar *
frontend_view (const gchar * catalog)
{
  sqlite3 *db = db_open (catalog, TRUE);
  sqlite3_stmt *stmt = db_prepare (db, "SELECT f.title, f.year, f.director,"
      " m.path, f.palette_id, f.colors, f.calculation_date FROM (%s) f"
      " JOIN movies m ON m.id = f.id", frontend_sql);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  GString *view = g_string_new (NULL);
  guint i;
  gint j;

  while (sqlite3_step (stmt) == SQLITE_ROW) {
    GString *line = g_string_new (NULL);

    for (j = 0; j < 7; j++) {
      const guchar *text = sqlite3_column_text (stmt, j);

      g_string_append_printf (line, "%s|", text ? (const gchar *) text :
          "NULL");
    }
    g_ptr_array_add (lines, g_string_free (line, FALSE));
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_ptr_array_sort (lines, compare_lines);
  for (i = 0; i < lines->len; i++)
    g_string_append_printf (view, "%s\n", (const gchar *) lines->pdata[i]);
  g_ptr_array_unref (lines);
  return g_string_free (view, FALSE);
}

/* The real catalog exported to the notebook's JSON and imported into a new
 * database: the same films, palettes, and what the frontend shows. */
static void
test_real_catalog_export_import (void)
{
  const gchar *original = real_catalog ();
  gchar *dir, *copy, *exported, *imported, *sql, *view_before, *view_after;
  GError *error = NULL;
  JsonParser *parser;
  sqlite3 *db;
  gint64 lost_films, lost_palettes, lost_frames, lost_active, extra_films,
      extra_palettes, lost_saturation, lost_type, lost_status;
  Result r;

  if (original == NULL) {
    g_test_skip ("no movies.db in $PALETTE_SHARED_MEDIA/../data");
    return;
  }
  dir = g_dir_make_tmp ("gst-palette-realjson-XXXXXX", NULL);
  copy = g_build_filename (dir, "movies.db", NULL);
  exported = g_build_filename (dir, "movies_palettes.json", NULL);
  imported = g_build_filename (dir, "new.db", NULL);
  copy_file (original, copy);

  run_expect (0, "export", "-c", copy, exported);
  parser = json_parser_new ();
  json_parser_load_from_file (parser, exported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (json_node_get_object (json_parser_get_root (parser)), "movies")),
      ==, 511);
  g_assert_false (has_member_anywhere (json_parser_get_root (parser),
          "fingerprint"));
  g_object_unref (parser);

  r = run ("import", "-c", imported, exported, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "511 new films, 283 new palettes");
  result_clear (&r);

  db = db_open (imported, FALSE);
  sql = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS o", original);
  db_exec (db, sql);
  g_free (sql);
  /* the export did not touch the rows of the catalog it read */
  {
    sqlite3 *source = db_open (copy, FALSE);

    sql = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS o", original);
    db_exec (source, sql);
    g_free (sql);
    assert_original_rows_kept (source);
    sqlite3_close (source);
  }
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==, 511);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==, 283);
  lost_films = db_int (db, "SELECT count(*) FROM (SELECT title, year,"
      " director, path FROM o.movies EXCEPT SELECT title, year, director,"
      " path FROM main.movies)");
  extra_films = db_int (db, "SELECT count(*) FROM (SELECT title, year,"
      " director, path FROM main.movies EXCEPT SELECT title, year, director,"
      " path FROM o.movies)");
  /* each palette with its id, colors and date, on the same film */
  lost_palettes = db_int (db, "SELECT count(*) FROM (SELECT p.id, p.colors,"
      " p.calculation_date, m.title, m.path FROM o.palettes p JOIN o.movies m"
      " ON m.id = p.movie_id EXCEPT SELECT p.id, p.colors,"
      " p.calculation_date, m.title, m.path FROM main.palettes p JOIN"
      " main.movies m ON m.id = p.movie_id)");
  extra_palettes = db_int (db, "SELECT count(*) FROM (SELECT p.id FROM"
      " main.palettes p EXCEPT SELECT p.id FROM o.palettes p)");
  lost_frames = db_int (db, "SELECT count(*) FROM o.movies om JOIN"
      " main.movies mm ON mm.path = om.path WHERE mm.frames IS NOT om.frames"
      " OR mm.length IS NOT om.length");
  lost_active = db_int (db, "SELECT count(*) FROM o.palettes op JOIN"
      " main.palettes mp ON mp.id = op.id WHERE mp.active IS NOT op.active");
  lost_saturation = db_int (db, "SELECT count(*) FROM o.palettes op JOIN"
      " main.palettes mp ON mp.id = op.id WHERE mp.saturation_factor IS NOT"
      " op.saturation_factor OR mp.saturation_threshold IS NOT"
      " op.saturation_threshold");
  lost_type = db_int (db, "SELECT count(*) FROM o.movies om JOIN"
      " main.movies mm ON mm.path = om.path WHERE mm.type IS NOT om.type");
  lost_status = db_int (db, "SELECT count(*) FROM o.movies om JOIN"
      " main.movies mm ON mm.path = om.path WHERE mm.status IS NOT"
      " om.status");
  sqlite3_close (db);
  note ("after export and import: %" G_GINT64_FORMAT " films and %"
      G_GINT64_FORMAT " palettes lost, %" G_GINT64_FORMAT " films and %"
      G_GINT64_FORMAT " palettes new, frames/length changed on %"
      G_GINT64_FORMAT " films, active changed on %" G_GINT64_FORMAT
      " palettes; not checked: saturation columns changed on %"
      G_GINT64_FORMAT " palettes, type on %" G_GINT64_FORMAT " films, status"
      " on %" G_GINT64_FORMAT, lost_films, lost_palettes, extra_films,
      extra_palettes, lost_frames, lost_active, lost_saturation, lost_type,
      lost_status);

  g_assert_cmpint (lost_films, ==, 0);
  g_assert_cmpint (extra_films, ==, 0);
  g_assert_cmpint (lost_palettes, ==, 0);
  g_assert_cmpint (extra_palettes, ==, 0);
  /* What the frontend shows is the same. */
  view_before = frontend_view (copy);
  view_after = frontend_view (imported);
  {
    gchar **a = g_strsplit (view_before, "\n", -1);
    gchar **b = g_strsplit (view_after, "\n", -1);
    guint i, n_changed = 0;

    g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
    for (i = 0; a[i] != NULL && b[i] != NULL; i++)
      if (g_strcmp0 (a[i], b[i]) != 0) {
        n_changed++;
        note ("the frontend showed\n  %s\nand now shows\n  %s",
            a[i], b[i]);
      }
    g_strfreev (a);
    g_strfreev (b);
    g_assert_cmpuint (n_changed, ==, 0);
  }
  /* ... and so is what it would show once a palette is added */
  g_assert_cmpint (lost_active, ==, 0);
  g_assert_cmpint (lost_frames, ==, 0);

  g_free (view_before);
  g_free (view_after);
  remove_tree (dir);
  g_free (imported);
  g_free (exported);
  g_free (copy);
  g_free (dir);
}

/* --- 10. catalogs that are not ours -------------------------------------- */

/* Runs gst-palette on CATALOG, which it must refuse with status 2 and a
 * message containing MESSAGE; returns whether the file was left byte for
 * byte as it was, with no journal beside it. */
static gboolean
refused_untouched (const gchar * catalog, const gchar * library,
    const gchar * message)
{
  GBytes *before = read_bytes (catalog), *after;
  const gchar *suffixes[] = { "-wal", "-shm", "-journal" };
  gboolean untouched;
  Result r;
  guint i;

  r = run ("--step", "1", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, message);
  assert_contains (r.err, "left untouched");
  result_clear (&r);
  after = read_bytes (catalog);
  untouched = g_bytes_equal (before, after);
  if (!untouched) {
    gsize n_before, n_after, j;
    const guint8 *a = g_bytes_get_data (before, &n_before);
    const guint8 *b = g_bytes_get_data (after, &n_after);

    for (j = 0; j < MIN (n_before, n_after) && a[j] == b[j]; j++);
    note ("%s was changed: %" G_GSIZE_FORMAT " bytes before, %"
        G_GSIZE_FORMAT " after, first difference at byte %" G_GSIZE_FORMAT
        " (%02x, now %02x)", catalog, n_before, n_after, j,
        j < n_before ? a[j] : 0, j < n_after ? b[j] : 0);
  }
  for (i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    gchar *side = g_strconcat (catalog, suffixes[i], NULL);

    if (g_file_test (side, G_FILE_TEST_EXISTS)) {
      note ("%s was left beside the catalog", side);
      untouched = FALSE;
    }
    g_free (side);
  }
  g_bytes_unref (before);
  g_bytes_unref (after);
  return untouched;
}

static void
make_sqlite (const gchar * path, const gchar * sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  db_exec (db, sql);
  sqlite3_close (db);
}

static void
test_refuses_foreign_catalogs (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-foreign-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *text = g_build_filename (dir, "notes.db", NULL);
  gchar *foreign = g_build_filename (dir, "foreign.db", NULL);
  gchar *newer = g_build_filename (dir, "newer.db", NULL);
  gboolean text_ok, foreign_ok, newer_ok;

  add_film (library, "Untouched (2007)", "u.webm", RED);

  /* A text file named .db. */
  g_assert_true (g_file_set_contents (text, "my notes, not a database\n",
          -1, NULL));
  text_ok = refused_untouched (text, library, "not an SQLite catalog");

  /* An SQLite file whose `movies` table is not the frontend's. */
  make_sqlite (foreign, "CREATE TABLE movies (id INTEGER PRIMARY KEY,"
      " title TEXT); INSERT INTO movies (title) VALUES ('somebody else''s');");
  foreign_ok = refused_untouched (foreign, library,
      "\"movies\" has no column");

  /* A catalog of a newer schema version. */
  make_sqlite (newer, "CREATE TABLE movies (id INTEGER PRIMARY KEY);"
      " PRAGMA user_version = 99;");
  newer_ok = refused_untouched (newer, library, "newer gst-palette");

  g_assert_true (text_ok);
  g_assert_true (foreign_ok);
  g_assert_true (newer_ok);

  remove_tree (dir);
  g_free (newer);
  g_free (foreign);
  g_free (text);
  g_free (library);
  g_free (dir);
}

/* Each test runs in a process of its own, so that one failure (an
 * assertion aborts) does not hide the results of the others. */
typedef struct
{
  const gchar *path;
  GTestFunc func;
  gboolean needs_real_catalog;
} TestCase;

static const TestCase tests[] = {
  {"/cli-db/real-catalog", test_real_catalog, TRUE},
  {"/cli-db/real-catalog-export-import", test_real_catalog_export_import,
      TRUE},
  {"/cli-db/concurrent-sqlite", test_concurrent_sqlite, FALSE},
  {"/cli-db/concurrent-json", test_concurrent_json, FALSE},
  {"/cli-db/recalc-ids", test_recalc_ids, FALSE},
  {"/cli-db/second-mount-point", test_second_mount_point, FALSE},
  {"/cli-db/folder-names", test_folder_names, FALSE},
  {"/cli-db/non-utf8-names", test_non_utf8_names, FALSE},
  {"/cli-db/non-utf8-names-json", test_non_utf8_names_json, FALSE},
  {"/cli-db/failures", test_failures, FALSE},
  {"/cli-db/failures-json", test_failures_json, FALSE},
  {"/cli-db/draw-and-list", test_draw_and_list, FALSE},
  {"/cli-db/same-title-images", test_same_title_images, FALSE},
  {"/cli-db/import-export", test_import_export, FALSE},
  {"/cli-db/refuses-foreign-catalogs", test_refuses_foreign_catalogs, FALSE},
};

static void
run_test_case (gconstpointer data)
{
  const TestCase *test = data;
  gchar *tmp, *saved_tmpdir;

  if (g_test_subprocess ()) {
    test->func ();
    return;
  }
  if (test->needs_real_catalog && real_catalog () == NULL) {
    g_test_skip ("no movies.db in $PALETTE_SHARED_MEDIA/../data");
    return;
  }
  /* The test's temporary files go to a folder of the parent's, removed
   * whether the test passed or aborted half way. */
  tmp = g_dir_make_tmp ("gst-palette-cli-db-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  saved_tmpdir = g_strdup (g_getenv ("TMPDIR"));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
      G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved_tmpdir != NULL)
    g_setenv ("TMPDIR", saved_tmpdir, TRUE);
  else
    g_unsetenv ("TMPDIR");
  remove_tree (tmp);
  g_free (saved_tmpdir);
  g_free (tmp);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);

  find_gst_palette (argc, argv);
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  for (i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_test_case);
  return g_test_run ();
}
