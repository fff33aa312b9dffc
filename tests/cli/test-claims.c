/* Runs the built gst-palette (argv[1]) several times at once on one library
 * and one catalog, and checks that the runs split the films through their
 * claims (tools/claims.h): every film analysed once, the seed author's rows
 * untouched, a stale claim taken over, a claim of a live run respected,
 * and a run killed outright or stopped by SIGTERM locking nothing. */
#include <gst/gst.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"
#include "cli-library.h"
#include "cli-db.h"

/* Enough films that both runs are busy at once: a run does about 15 a
 * second here. */
#define N_FILMS 40

static const guint32 colors[] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffff00 };

/* The tests run in processes of their own (see main), whose g_test_message
 * goes nowhere: what helps to read a failure goes to stderr. */
static void
note (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const gchar * format, ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("# %s\n", text);
  g_free (text);
}

static gchar *
film_folder (guint i)
{
  return g_strdup_printf ("Film %02u (20%02u)", i, i);
}

static gchar *
film_title (guint i)
{
  return g_strdup_printf ("Film %02u", i);
}

/* N films in DIR/library, each of colors[i % 4]: four clips made here,
 * copied. */
static gchar *
make_library (const gchar * dir, guint n)
{
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *clips[G_N_ELEMENTS (colors)];
  guint i;

  g_assert_cmpint (g_mkdir_with_parents (library, 0755), ==, 0);
  for (i = 0; i < G_N_ELEMENTS (colors); i++) {
    gchar *name = g_strdup_printf ("clip-%u.webm", i);

    clips[i] = g_build_filename (dir, name, NULL);
    make_clip (clips[i], colors[i], CLIP_FRAMES);
    g_free (name);
  }
  for (i = 0; i < n; i++) {
    gchar *folder = film_folder (i);
    gchar *path = g_build_filename (library, folder, NULL);
    gchar *file = g_build_filename (path, "film.webm", NULL);
    gchar *data;
    gsize length;

    g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
    g_assert_true (g_file_get_contents (clips[i % G_N_ELEMENTS (colors)],
            &data, &length, NULL));
    g_assert_true (g_file_set_contents (file, data, length, NULL));
    g_free (data);
    g_free (file);
    g_free (path);
    g_free (folder);
  }
  for (i = 0; i < G_N_ELEMENTS (colors); i++)
    g_free (clips[i]);
  return library;
}

/* --- running workers ----------------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  gchar *events;                /* its --events file */
  gint status;
  gchar *err;
} Worker;

/* gst-palette --jobs JOBS --events EVENTS [EXTRA] -c CATALOG LIBRARY */
static void
worker_start (Worker * w, const gchar * dir, guint index, guint jobs,
    const gchar * extra, const gchar * catalog, const gchar * library)
{
  gchar *name = g_strdup_printf ("events-%u.jsonl", index);
  gchar *jobs_text = g_strdup_printf ("%u", jobs);
  GError *error = NULL;

  memset (w, 0, sizeof *w);
  w->events = g_build_filename (dir, name, NULL);
  g_unlink (w->events);
  if (extra != NULL)
    w->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
        G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, gst_palette_bin, "--step",
        "1", "--jobs", jobs_text, "--events", w->events, extra, "-c", catalog,
        library, NULL);
  else
    w->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
        G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, gst_palette_bin, "--step",
        "1", "--jobs", jobs_text, "--events", w->events, "-c", catalog,
        library, NULL);
  g_assert_no_error (error);
  g_free (jobs_text);
  g_free (name);
}

static void
worker_wait (Worker * w)
{
  GBytes *err = NULL;
  GError *error = NULL;

  /* gst-palette bounds its own run (a stall timeout, signals); meson's
   * timeout bounds the test */
  g_assert_true (g_subprocess_communicate (w->process, NULL, NULL, NULL,
          &err, &error));
  g_assert_no_error (error);
  w->status = g_subprocess_get_if_exited (w->process) ?
      g_subprocess_get_exit_status (w->process) :
      128 + g_subprocess_get_term_sig (w->process);
  /* an empty stderr has no data at all */
  w->err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err,
          NULL), g_bytes_get_size (err)) : g_strdup ("");
  g_bytes_unref (err);
  note ("run %s: status %d, stderr:\n%s", w->events, w->status, w->err);
}

static void
worker_clear (Worker * w)
{
  g_clear_object (&w->process);
  g_free (w->events);
  g_free (w->err);
}

/* Counts of each event type for each film of W's events, added to DONE
 * (film -> number of "done") and SKIPPED (reason -> number). */
static void
count_events (Worker * w, GHashTable * done, GHashTable * skipped)
{
  gchar *data;
  gchar **lines;
  guint i;

  g_assert_true (g_file_get_contents (w->events, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  for (i = 0; lines[i] != NULL; i++) {
    JsonNode *node;
    JsonObject *event;
    const gchar *type, *key = NULL;
    GHashTable *table = NULL;

    if (lines[i][0] == '\0')
      continue;
    node = json_from_string (lines[i], NULL);
    g_assert_nonnull (node);
    event = json_node_get_object (node);
    type = json_object_get_string_member (event, "event");
    if (g_str_equal (type, "done")) {
      table = done;
      key = json_object_get_string_member (event, "film");
    } else if (g_str_equal (type, "skip")) {
      table = skipped;
      key = json_object_get_string_member (event, "reason");
    } else if (g_str_equal (type, "fail")) {
      g_error ("%s: %s", w->events, lines[i]);
    }
    if (table != NULL)
      g_hash_table_insert (table, g_strdup (key),
          GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table,
                      key)) + 1));
    json_node_unref (node);
  }
  g_strfreev (lines);
  g_free (data);
}

/* ERR has "gst-palette: N film(s) TAIL" when N > 0, else no such line. */
static void
assert_skips_told (const gchar * err, const gchar * tail, guint n)
{
  gchar *line = g_strdup_printf ("gst-palette: %u film%s %s", n,
      n == 1 ? "" : "s", tail);

  if (n > 0)
    g_assert_nonnull (strstr (err, line));
  else
    g_assert_null (strstr (err, tail));
  g_free (line);
}

static void
add_counts (GHashTable * to, GHashTable * from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (to, g_strdup (key),
        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (to,
                    key)) + GPOINTER_TO_UINT (value)));
}

/* Starts N_WORKERS runs on CATALOG at once, waits for them, checks that
 * each exited 0 and that their events say each film was done once. */
static void
run_side_by_side (const gchar * dir, guint n_workers, const gchar * extra,
    const gchar * catalog, const gchar * library)
{
  Worker workers[4];
  GHashTable *done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  GHashTable *skipped = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  guint i;

  g_assert_cmpuint (n_workers, <=, G_N_ELEMENTS (workers));
  for (i = 0; i < n_workers; i++)
    worker_start (&workers[i], dir, i, 2, extra, catalog, library);
  for (i = 0; i < n_workers; i++) {
    GHashTable *own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        NULL);

    worker_wait (&workers[i]);
    g_assert_cmpint (workers[i].status, ==, 0);
    count_events (&workers[i], done, own);
    /* what the run skipped, it says in its summary */
    assert_skips_told (workers[i].err, "being analysed by another run (",
        GPOINTER_TO_UINT (g_hash_table_lookup (own,
                "claimed by another run")));
    assert_skips_told (workers[i].err, "analysed by another run since this "
        "one started, skipped\n", GPOINTER_TO_UINT (g_hash_table_lookup (own,
                "done by another run")));
    add_counts (skipped, own);
    g_hash_table_unref (own);
  }
  g_assert_cmpuint (g_hash_table_size (done), ==, N_FILMS);
  for (i = 0; i < N_FILMS; i++) {
    gchar *folder = film_folder (i);

    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (done, folder)),
        ==, 1);
    g_free (folder);
  }
  note ("skipped: %u claimed by another run, %u done by another run",
      GPOINTER_TO_UINT (g_hash_table_lookup (skipped,
              "claimed by another run")),
      GPOINTER_TO_UINT (g_hash_table_lookup (skipped,
              "done by another run")));
  for (i = 0; i < n_workers; i++)
    worker_clear (&workers[i]);
  g_hash_table_unref (done);
  g_hash_table_unref (skipped);
}

/* --- the catalog --------------------------------------------------------- */

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

/* The seed author's catalog to start from: a copy of the real one when it
 * is there, else one of its shape made here, with rows gst-palette did not
 * write. */
static void
make_seed_catalog (const gchar * path)
{
  const gchar *real = real_catalog ();
  sqlite3 *db;

  if (real != NULL) {
    gchar *data;
    gsize length;

    g_assert_true (g_file_get_contents (real, &data, &length, NULL));
    g_assert_true (g_file_set_contents (path, data, length, NULL));
    g_free (data);
    return;
  }
  note ("no movies.db in $PALETTE_SHARED_MEDIA/../data: a seed catalog "
      "made here");
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  db_exec (db, "CREATE TABLE \"movies\" ("
      " \"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"title\" VARCHAR NOT NULL,"
      " \"type\" VARCHAR, \"status\" VARCHAR, \"path\" VARCHAR UNIQUE,"
      " \"director\" VARCHAR, \"year\" VARCHAR, \"length\" INT,"
      " \"frames\" INT,"
      " \"added\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);"
      "CREATE TABLE \"palettes\" ("
      " \"id\" varchar NOT NULL, \"movie_id\" int NOT NULL,"
      " \"active\" BOOLEAN DEFAULT TRUE,"
      " \"calculation_date\" DATETIME DEFAULT CURRENT_TIMESTAMP,"
      " \"calculation_duration_seconds\" REAL,"
      " \"is_black_and_white\" BOOLEAN DEFAULT FALSE,"
      " \"colors\" text NOT NULL, \"clusters_nb\" int NOT NULL,"
      " \"frame_skip\" int, \"resize_width\" int, \"resize_height\" int,"
      " \"batch_size\" int, \"clustering_method\" varchar,"
      " \"saturation_factor\" varchar, \"saturation_threshold\" INT,"
      " \"runtime\" varchar, PRIMARY KEY (id));"
      "INSERT INTO movies (title, type, status, path, director, year,"
      " length, frames, added) VALUES"
      " ('12 Monkeys', 'movie', 'Movie file found',"
      "  '/content/drive/MyDrive/MOVIES/12 Monkeys (1995)/12.Monkeys.mp4',"
      "  NULL, '1995', 7740, 185760, '2024-09-20 08:59:06'),"
      " ('Dead Ringers', 'movie', 'Movie file found',"
      "  '/content/drive/MyDrive/MOVIES/Dead Ringers (1988, Cronenberg)/"
      "dr.mp4', 'Cronenberg', '1988', 6960, 167040, '2024-09-21 10:00:00'),"
      " ('Film 03', 'movie', 'No movie file found', NULL, NULL, '1970',"
      "  NULL, NULL, '2024-09-22 11:00:00');"
      "INSERT INTO palettes (id, movie_id, active, calculation_date,"
      " calculation_duration_seconds, is_black_and_white, colors,"
      " clusters_nb, frame_skip, resize_width, resize_height, batch_size,"
      " clustering_method, saturation_factor, saturation_threshold, runtime)"
      " VALUES ('a1b2c3', 1, 1, '2024-09-20T08:59:06Z', 812.5, 0,"
      "  '[[20, 40, 60], [200, 100, 50]]', 2, 24, 160, 90, 32, 'kmeans',"
      "  '1.5', 40, 'colab'),"
      " ('d4e5f6', 2, 1, '2025-01-20T10:36:50.358157+00:00', 700.25, 0,"
      "  '[[90, 10, 10]]', 1, 24, 160, 90, 32, 'kmeans', '1.5', 40, ''),"
      " ('0a0b0c', 2, 0, '', NULL, 1, '[[128, 128, 128]]', 1, NULL, NULL,"
      "  NULL, NULL, NULL, NULL, NULL, NULL);");
  sqlite3_close (db);
}

/* Every row of the seed's movies and palettes is in the catalog, column
 * by column, and none is gone. */
static void
assert_seed_rows_kept (const gchar * catalog, const gchar * seed)
{
  sqlite3 *db = db_open (catalog, TRUE);
  gchar *sql = sqlite3_mprintf ("ATTACH %Q AS o", seed);
  gint64 n_movies, n_palettes;

  db_exec (db, sql);
  sqlite3_free (sql);
  n_movies = db_int (db, "SELECT count(*) FROM o.movies");
  n_palettes = db_int (db, "SELECT count(*) FROM o.palettes");
  g_assert_cmpint (n_movies, >, 0);
  g_assert_cmpint (n_palettes, >, 0);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM (SELECT * FROM o.movies"
          " EXCEPT SELECT * FROM main.movies)"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM (SELECT * FROM"
          " o.palettes EXCEPT SELECT * FROM main.palettes)"), ==, 0);
  /* ours are new rows, after theirs */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM main.movies WHERE id <="
          " (SELECT max(id) FROM o.movies)"), ==, n_movies);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM main.palettes WHERE"
          " movie_id IN (SELECT id FROM o.movies)"), ==,
      db_int (db, "SELECT count(*) FROM o.palettes WHERE"
          " movie_id IN (SELECT id FROM o.movies)"));
  sqlite3_close (db);
}

/* Each film of the library has PER_FILM palettes, its first color near
 * its clip's, and no claim is left. */
static void
assert_palettes (const gchar * catalog, guint per_film)
{
  sqlite3 *db = db_open (catalog, TRUE);
  guint i;

  for (i = 0; i < N_FILMS; i++) {
    gchar *title = film_title (i);
    gchar *year = g_strdup_printf ("20%02u", i);
    gint64 id = db_int (db, "SELECT id FROM movies WHERE title = %Q AND"
        " year = %Q", title, year);
    gchar *first;
    guint32 expected = colors[i % G_N_ELEMENTS (colors)];
    gint r, g, b;

    g_assert_cmpint (id, >, 0);
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
            " movie_id = %lld", (long long) id), ==, per_film);
    first = db_text (db, "SELECT colors FROM palettes WHERE movie_id = %lld"
        " ORDER BY calculation_date DESC LIMIT 1", (long long) id);
    g_assert_cmpint (sscanf (first, "[[%d, %d, %d]", &r, &g, &b), ==, 3);
    if (ABS (r - (gint) (expected >> 16)) > 12 ||
        ABS (g - (gint) ((expected >> 8) & 0xff)) > 12 ||
        ABS (b - (gint) (expected & 0xff)) > 12)
      g_error ("%s: %s is not near #%06x", title, first, expected);
    g_free (first);
    g_free (year);
    g_free (title);
  }
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_claims"), ==, 0);
  sqlite3_close (db);
}

/* --- the tests ----------------------------------------------------------- */

/* Two runs at once on the seed author's catalog: each film once, their
 * rows untouched; then two --recalc runs: each film refreshed once. */
static void
test_two_runs_sqlite (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-XXXXXX", NULL);
  gchar *library = make_library (dir, N_FILMS);
  gchar *seed = g_build_filename (dir, "seed.db", NULL);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *data;
  gsize length;

  make_seed_catalog (seed);
  g_assert_true (g_file_get_contents (seed, &data, &length, NULL));
  g_assert_true (g_file_set_contents (catalog, data, length, NULL));
  g_free (data);

  run_side_by_side (dir, 2, NULL, catalog, library);
  assert_palettes (catalog, 1);
  assert_seed_rows_kept (catalog, seed);

  run_side_by_side (dir, 2, "--recalc", catalog, library);
  assert_palettes (catalog, 2);
  assert_seed_rows_kept (catalog, seed);

  remove_tree (dir);
  g_free (catalog);
  g_free (seed);
  g_free (library);
  g_free (dir);
}

/* A --recalc run leaves alone a film whose palette was made after the run
 * began, even when it read the catalog after that palette was stored: the
 * case of runs started together, one slower to start than the other,
 * which then refreshed a film the other had just refreshed. Here the
 * palette's date is set later than any run's start. */
static void
test_recalc_since_start (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-since-XXXXXX", NULL);
  gchar *library = make_library (dir, N_FILMS);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *folder = film_folder (7), *title = film_title (7);
  GHashTable *done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  GHashTable *skipped = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  Worker worker;
  sqlite3 *db;
  gchar *sql;
  guint i;

  run_side_by_side (dir, 1, NULL, catalog, library);
  db = db_open (catalog, FALSE);
  sql = sqlite3_mprintf ("UPDATE palettes SET calculation_date ="
      " '2999-01-01T00:00:00.000000+00:00' WHERE movie_id = (SELECT id FROM"
      " movies WHERE title = %Q)", title);
  db_exec (db, sql);
  sqlite3_free (sql);
  sqlite3_close (db);

  worker_start (&worker, dir, 0, 2, "--recalc", catalog, library);
  worker_wait (&worker);
  g_assert_cmpint (worker.status, ==, 0);
  count_events (&worker, done, skipped);
  g_assert_cmpuint (g_hash_table_size (done), ==, N_FILMS - 1);
  g_assert_false (g_hash_table_contains (done, folder));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (skipped,
              "done by another run")), ==, 1);
  assert_skips_told (worker.err, "analysed by another run since this "
      "one started, skipped\n", 1);
  for (i = 0; i < N_FILMS; i++) {
    gchar *other = film_folder (i);

    if (i != 7)
      g_assert_true (g_hash_table_contains (done, other));
    g_free (other);
  }

  worker_clear (&worker);
  g_hash_table_unref (done);
  g_hash_table_unref (skipped);
  remove_tree (dir);
  g_free (folder);
  g_free (title);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* The same for a JSON catalog kept in the library: its claims folder is
 * not a film. */
static void
test_two_runs_json (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-json-XXXXXX", NULL);
  gchar *library = make_library (dir, N_FILMS);
  gchar *catalog = g_build_filename (library, "movies_palettes.json", NULL);
  gchar *claims = g_build_filename (library, "movies_palettes.claims", NULL);
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  JsonArray *movies;
  guint i;

  run_side_by_side (dir, 2, NULL, catalog, library);

  json_parser_load_from_file (parser, catalog, &error);
  g_assert_no_error (error);
  movies = json_object_get_array_member (json_node_get_object
      (json_parser_get_root (parser)), "movies");
  g_assert_cmpuint (json_array_get_length (movies), ==, N_FILMS);
  for (i = 0; i < N_FILMS; i++) {
    JsonObject *movie = json_array_get_object_element (movies, i);
    gchar *title = film_title (i);

    /* sorted by title */
    g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==,
        title);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member
            (movie, "palettes")), ==, 1);
    g_free (title);
  }
  /* every claim released, and their folder gone with the last run */
  g_assert_false (g_file_test (claims, G_FILE_TEST_EXISTS));

  g_object_unref (parser);
  remove_tree (dir);
  g_free (claims);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* A process id of this host that no process has: one that ended. */
static gint64
dead_pid (void)
{
  gchar *argv[] = { (gchar *) "true", NULL };
  GPid pid;
  gint status;

  g_assert_true (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return pid;
}

#define N_STALE 6

/* Claims left in the catalog: by a process of this host that is gone, by
 * another host whose lease ran out (both taken over), and by another host
 * whose lease runs (its film left alone, and said so). */
static void
test_stale_claims_sqlite (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-stale-XXXXXX", NULL);
  gchar *library = make_library (dir, N_STALE);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ids[N_STALE];
  gchar *expected, *live_before, *live_after, *sql;
  Result r;
  sqlite3 *db;
  guint i;

  /* the films in the catalog, then their palettes gone: all to do again */
  r = run ("-q", "--step", "1", "-c", catalog, library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  db = db_open (catalog, FALSE);
  db_exec (db, "DELETE FROM gp_fingerprints; DELETE FROM gp_palettes;"
      " DELETE FROM palettes");
  for (i = 0; i < N_STALE; i++) {
    gchar *title = film_title (i);

    ids[i] = db_int (db, "SELECT id FROM movies WHERE title = %Q", title);
    g_assert_cmpint (ids[i], >, 0);
    g_free (title);
  }
  sql = sqlite3_mprintf ("INSERT INTO gp_claims (movie_id, host, pid,"
      " claimed_at, expires) VALUES"
      " (%lld, %Q, %lld, '2026-01-01T00:00:00Z', %lld),"
      " (%lld, 'elsewhere.example', 4242, '2026-01-01T00:00:00Z', %lld),"
      " (%lld, 'elsewhere.example', 4243, '2026-01-01T00:00:00Z', %lld)",
      (long long) ids[0], g_get_host_name (), (long long) dead_pid (),
      (long long) now + 3600, (long long) ids[1], (long long) now - 1,
      (long long) ids[2], (long long) now + 3600);
  db_exec (db, sql);
  sqlite3_free (sql);
  live_before = db_dump (db, "SELECT * FROM gp_claims WHERE host ="
      " 'elsewhere.example' AND pid = 4243");
  sqlite3_close (db);

  r = run ("--step", "1", "-c", catalog, library, NULL);
  note ("stderr:\n%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup ("gst-palette: 1 film being analysed by another run "
      "(elsewhere.example pid 4243), skipped\n");
  g_assert_nonnull (strstr (r.err, expected));
  g_free (expected);
  result_clear (&r);

  db = db_open (catalog, TRUE);
  for (i = 0; i < N_STALE; i++)
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes WHERE"
            " movie_id = %lld", (long long) ids[i]), ==, i == 2 ? 0 : 1);
  /* the live claim is the one claim left, as it was */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_claims"), ==, 1);
  live_after = db_dump (db, "SELECT * FROM gp_claims");
  g_assert_cmpstr (live_after, ==, live_before);
  sqlite3_close (db);

  g_free (live_before);
  g_free (live_after);
  remove_tree (dir);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* The claim file of the folder NAME: its key as film-key.h makes it. */
static gchar *
claim_file (const gchar * claims_dir, const gchar * name)
{
  gchar *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  gchar *file = g_strdup_printf ("%s.%.16s.claim", name, sum);
  gchar *path = g_build_filename (claims_dir, file, NULL);

  g_free (file);
  g_free (sum);
  return path;
}

/* The same with the claim files of a JSON catalog. */
static void
test_stale_claims_json (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-stale-json-XXXXXX", NULL);
  gchar *library = make_library (dir, N_STALE);
  gchar *catalog = g_build_filename (dir, "films.json", NULL);
  gchar *claims = g_build_filename (dir, "films.claims", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gchar *paths[3], *contents[3], *live_after;
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  JsonArray *movies;
  Result r;
  guint i;

  g_assert_cmpint (g_mkdir_with_parents (claims, 0755), ==, 0);
  contents[0] = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT
      "\n", g_get_host_name (), dead_pid (), now + 3600);
  contents[1] = g_strdup_printf ("elsewhere.example\n4242\n%" G_GINT64_FORMAT
      "\n", now - 1);
  contents[2] = g_strdup_printf ("elsewhere.example\n4243\n%" G_GINT64_FORMAT
      "\n", now + 3600);
  for (i = 0; i < 3; i++) {
    gchar *folder = film_folder (i);

    paths[i] = claim_file (claims, folder);
    g_assert_true (g_file_set_contents (paths[i], contents[i], -1, NULL));
    g_free (folder);
  }

  r = run ("--step", "1", "-c", catalog, library, NULL);
  note ("stderr:\n%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "gst-palette: 1 film being analysed by "
          "another run (elsewhere.example pid 4243), skipped\n"));
  result_clear (&r);

  json_parser_load_from_file (parser, catalog, &error);
  g_assert_no_error (error);
  movies = json_object_get_array_member (json_node_get_object
      (json_parser_get_root (parser)), "movies");
  g_assert_cmpuint (json_array_get_length (movies), ==, N_STALE);
  for (i = 0; i < N_STALE; i++)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member
            (json_array_get_object_element (movies, i), "palettes")), ==,
        i == 2 ? 0 : 1);
  /* taken over and released; the live one as it was */
  g_assert_false (g_file_test (paths[0], G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (paths[1], G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (paths[2], &live_after, NULL, NULL));
  g_assert_cmpstr (live_after, ==, contents[2]);

  g_free (live_after);
  for (i = 0; i < 3; i++) {
    g_free (paths[i]);
    g_free (contents[i]);
  }
  g_object_unref (parser);
  remove_tree (dir);
  g_free (claims);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* Waits (at most 60 s) until CATALOG has at least N palettes. */
static void
wait_for_palettes (const gchar * catalog, gint64 n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (TRUE) {
    if (g_file_test (catalog, G_FILE_TEST_EXISTS)) {
      sqlite3 *db = db_open (catalog, TRUE);
      sqlite3_stmt *stmt = NULL;
      gint64 have = -1;

      /* the tables may not be there yet */
      if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM palettes", -1,
              &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        have = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      if (have >= n)
        return;
    }
    if (g_get_monotonic_time () > deadline)
      g_error ("%s did not get %" G_GINT64_FORMAT " palettes in 60 s",
          catalog, n);
    g_usleep (20 * 1000);
  }
}

/* A run killed outright (SIGKILL) mid-way leaves its claims; the next run
 * takes them over and finishes every film, each once. */
static void
test_sigkill_then_rerun (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-kill-XXXXXX", NULL);
  gchar *library = make_library (dir, N_FILMS);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  gchar *pid_text;
  Worker w;
  sqlite3 *db;

  worker_start (&w, dir, 0, 2, NULL, catalog, library);
  pid_text = g_strdup (g_subprocess_get_identifier (w.process));
  wait_for_palettes (catalog, 5);
  g_subprocess_send_signal (w.process, SIGKILL);
  worker_wait (&w);
  g_assert_cmpint (w.status, ==, 128 + SIGKILL);
  worker_clear (&w);
  db = db_open (catalog, TRUE);
  note ("after SIGKILL: %" G_GINT64_FORMAT " palettes, %" G_GINT64_FORMAT
      " claims left", db_int (db, "SELECT count(*) FROM palettes"),
      db_int (db, "SELECT count(*) FROM gp_claims"));
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), <,
      N_FILMS);
  /* what is left is the killed run's */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_claims WHERE pid !="
          " %s", pid_text), ==, 0);
  sqlite3_close (db);

  worker_start (&w, dir, 1, 2, NULL, catalog, library);
  worker_wait (&w);
  g_assert_cmpint (w.status, ==, 0);
  worker_clear (&w);
  assert_palettes (catalog, 1);

  g_free (pid_text);
  remove_tree (dir);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* A run stopped by SIGTERM releases its claims before it leaves. */
static void
test_sigterm_releases (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-claims-term-XXXXXX", NULL);
  gchar *library = make_library (dir, N_FILMS);
  gchar *catalog = g_build_filename (dir, "movies.db", NULL);
  Worker w;
  sqlite3 *db;

  worker_start (&w, dir, 0, 2, NULL, catalog, library);
  wait_for_palettes (catalog, 3);
  g_subprocess_send_signal (w.process, SIGTERM);
  worker_wait (&w);
  g_assert_cmpint (w.status, ==, 128 + SIGTERM);
  g_assert_nonnull (strstr (w.err, "interrupted by SIGTERM"));
  worker_clear (&w);
  db = db_open (catalog, TRUE);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), <,
      N_FILMS);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM gp_claims"), ==, 0);
  sqlite3_close (db);

  remove_tree (dir);
  g_free (catalog);
  g_free (library);
  g_free (dir);
}

/* Each test in a process of its own, so that one that fails (an
 * assertion aborts) does not hide the results of the others. */
typedef struct
{
  const gchar *path;
  GTestFunc func;
} TestCase;

static const TestCase tests[] = {
  {"/cli-claims/two-runs-sqlite", test_two_runs_sqlite},
  {"/cli-claims/two-runs-json", test_two_runs_json},
  {"/cli-claims/recalc-since-start", test_recalc_since_start},
  {"/cli-claims/stale-claims-sqlite", test_stale_claims_sqlite},
  {"/cli-claims/stale-claims-json", test_stale_claims_json},
  {"/cli-claims/sigkill-then-rerun", test_sigkill_then_rerun},
  {"/cli-claims/sigterm-releases", test_sigterm_releases},
};

static void
run_test_case (gconstpointer data)
{
  const TestCase *test = data;

  if (g_test_subprocess ()) {
    test->func ();
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
      G_TEST_SUBPROCESS_INHERIT_STDERR);
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
