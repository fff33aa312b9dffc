/* gst-palette across machines (issue #15): films chosen by shard or by
 * name, results folders written by workers that share nothing, and their
 * merge into one catalog, on libraries the tests make. */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"
#include "cli-library.h"
#include "cli-db.h"

#define N_GOOD 12
#define N_SHARDS 3
#define DAMAGED "Damaged (1999, Nobody)"

/* The good films: "Film NN (20NN, Someone)", one solid color each. */
static gchar *
good_name (guint i)
{
  return g_strdup_printf ("Film %02u (%u, Someone)", i, 2000 + i);
}

static guint32
good_color (guint i)
{
  static const guint32 colors[] = {
    0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff, 0xff00ff,
    0x800000, 0x008000, 0x000080, 0x808000, 0x008080, 0x800080,
    0xffffff, 0x404040, 0xff8000, 0x0080ff
  };

  return colors[i % G_N_ELEMENTS (colors)];
}

static void
add_good_film (const gchar * library, guint i)
{
  gchar *name = good_name (i);

  add_film (library, name, "film.webm", good_color (i));
  g_free (name);
}

/* N_GOOD films and one of random bytes. */
static gchar *
make_library (const gchar * dir)
{
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *damaged_dir = g_build_filename (library, DAMAGED, NULL);
  gchar *damaged = g_build_filename (damaged_dir, "film.mp4", NULL);
  GRand *rand = g_rand_new_with_seed (15);
  guint8 noise[8192];
  guint i;

  for (i = 0; i < N_GOOD; i++)
    add_good_film (library, i);
  g_assert_cmpint (g_mkdir_with_parents (damaged_dir, 0755), ==, 0);
  for (i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (damaged, (gchar *) noise, sizeof noise,
          NULL));
  g_rand_free (rand);
  g_free (damaged);
  g_free (damaged_dir);
  return library;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The lines of TEXT, sorted. */
static gchar **
sorted_lines (const gchar * text)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* the empty string after the last newline */
  if (n > 0 && lines[n - 1][0] == '\0') {
    g_free (lines[n - 1]);
    lines[n - 1] = NULL;
  }
  qsort (lines, g_strv_length (lines), sizeof (gchar *), compare_strings);
  return lines;
}

static gchar **
todo (const gchar * library, const gchar * shard)
{
  Result r = shard ? run ("list", library, "--todo", "-q", "--shard", shard,
      NULL) : run ("list", library, "--todo", "-q", NULL);
  gchar **lines;

  g_assert_cmpint (r.status, ==, 0);
  lines = sorted_lines (r.out);
  result_clear (&r);
  return lines;
}

/* Which shard of N_SHARDS the film NAME is in, from list --todo. */
static gint
shard_of (const gchar * library, const gchar * name)
{
  gint k;

  for (k = 0; k < N_SHARDS; k++) {
    gchar *shard = g_strdup_printf ("%d/%d", k, N_SHARDS);
    gchar **lines = todo (library, shard);
    gboolean found = g_strv_contains ((const gchar * const *) lines, name);

    g_strfreev (lines);
    g_free (shard);
    if (found)
      return k;
  }
  return -1;
}

/* Every film in exactly one shard; adding films moves none of the old. */
static void
test_shards (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-shards-XXXXXX", NULL);
  gchar *library = make_library (dir);
  gchar **all = todo (library, NULL);
  gint before[N_GOOD + 1], k;
  guint i, total = 0;
  Result r;

  g_assert_cmpuint (g_strv_length (all), ==, N_GOOD + 1);
  for (k = 0; k < N_SHARDS; k++) {
    gchar *shard = g_strdup_printf ("%d/%d", k, N_SHARDS);
    gchar **lines = todo (library, shard);

    /* a hash of 13 names into 3 shards leaves none empty here */
    g_assert_cmpuint (g_strv_length (lines), >, 0);
    total += g_strv_length (lines);
    g_strfreev (lines);
    g_free (shard);
  }
  g_assert_cmpuint (total, ==, N_GOOD + 1);
  for (i = 0; all[i] != NULL; i++) {
    before[i] = shard_of (library, all[i]);
    g_assert_cmpint (before[i], >=, 0);
  }

  /* Three more films: the old ones stay where they were. */
  for (i = N_GOOD; i < N_GOOD + 3; i++)
    add_good_film (library, i);
  for (i = 0; all[i] != NULL; i++)
    g_assert_cmpint (shard_of (library, all[i]), ==, before[i]);

  /* K from the engine's environment, as a Slurm array task has it. */
  {
    gchar **from_env, **given;

    g_setenv ("SLURM_ARRAY_TASK_ID", "1", TRUE);
    r = run ("list", library, "--todo", "-q", "--shard", "3", NULL);
    g_unsetenv ("SLURM_ARRAY_TASK_ID");
    g_assert_cmpint (r.status, ==, 0);
    from_env = sorted_lines (r.out);
    result_clear (&r);
    given = todo (library, "1/3");
    g_assert_true (g_strv_equal ((const gchar * const *) from_env,
            (const gchar * const *) given));
    g_strfreev (from_env);
    g_strfreev (given);
  }

  /* Mistakes are usage errors, with a message. */
  g_unsetenv ("SLURM_ARRAY_TASK_ID");
  g_unsetenv ("JOB_COMPLETION_INDEX");
  r = run ("list", library, "--todo", "--shard", "3/3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "K must be from 0 to 2");
  result_clear (&r);
  r = run ("list", library, "--todo", "--shard", "3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "SLURM_ARRAY_TASK_ID");
  result_clear (&r);
  r = run ("--shard", "1/0", library, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "--shard takes K/N");
  result_clear (&r);

  g_strfreev (all);
  g_free (library);
  remove_tree (dir);
  g_free (dir);
}

/* The palette of film NAME in CATALOG, as text: its colors. */
static gchar *
colors_of (sqlite3 * db, const gchar * title)
{
  return db_text (db, "SELECT p.colors FROM palettes p JOIN movies m"
      " ON m.id = p.movie_id WHERE m.title = %Q", title);
}

/* What a catalog holds, by title rather than by row id (ids depend on the
 * order films came in): films, their palettes and their failures. */
static gchar *
catalog_dump (const gchar * path)
{
  sqlite3 *db = db_open (path, TRUE);
  gchar *movies = db_dump (db, "SELECT title, year, director, path, status,"
      " frames, length FROM movies ORDER BY title");
  gchar *palettes = db_dump (db, "SELECT m.title, p.id, p.active,"
      " p.calculation_date, p.colors, p.is_black_and_white, g.weights"
      " FROM palettes p JOIN movies m ON m.id = p.movie_id"
      " JOIN gp_palettes g ON g.palette_id = p.id ORDER BY p.id");
  gchar *fingerprints = db_dump (db, "SELECT palette_id, n_samples,"
      " hex (timestamps), hex (colors), hex (weights)"
      " FROM gp_fingerprints ORDER BY palette_id");
  gchar *failures = db_dump (db, "SELECT m.title, f.file, f.error,"
      " f.attempts, f.last_attempt, f.retry FROM gp_films f"
      " JOIN movies m ON m.id = f.movie_id ORDER BY m.title");
  gchar *dump = g_strjoin ("--\n", movies, palettes, fingerprints, failures,
      NULL);

  sqlite3_close (db);
  g_free (movies);
  g_free (palettes);
  g_free (fingerprints);
  g_free (failures);
  return dump;
}

static void
check_merged_catalog (const gchar * catalog, guint n_good)
{
  sqlite3 *db = db_open (catalog, TRUE);
  gchar *error;
  guint i;

  g_assert_cmpint (db_int (db, "SELECT count(*) FROM movies"), ==,
      n_good + 1);
  for (i = 0; i < n_good; i++) {
    gchar *title = g_strdup_printf ("Film %02u", i);
    gchar *colors = colors_of (db, title);
    guint r, g, b;

    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes p JOIN"
            " movies m ON m.id = p.movie_id WHERE m.title = %Q", title), ==,
        1);
    /* the dominant color is the film's, give or take VP8's rounding */
    g_assert_nonnull (colors);
    g_assert_cmpint (sscanf (colors, "[[%u, %u, %u]", &r, &g, &b), ==, 3);
    g_assert_cmpint (ABS ((gint) r - (gint) (good_color (i) >> 16)), <=, 8);
    g_assert_cmpint (ABS ((gint) g - (gint) ((good_color (i) >> 8) & 0xff)),
        <=, 8);
    g_assert_cmpint (ABS ((gint) b - (gint) (good_color (i) & 0xff)), <=, 8);
    g_free (title);
    g_free (colors);
  }
  error = db_text (db, "SELECT f.error FROM gp_films f JOIN movies m"
      " ON m.id = f.movie_id WHERE m.title = 'Damaged'");
  g_assert_nonnull (error);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes p JOIN movies m"
          " ON m.id = p.movie_id WHERE m.title = 'Damaged'"), ==, 0);
  g_free (error);
  sqlite3_close (db);
}

static guint
count_files (const gchar * dir, const gchar * suffix)
{
  GDir *handle = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;
  g_dir_close (handle);
  return n;
}

/* Shards into one results folder, then merged: every good film once, the
 * damaged one with its error; exit 3 from the shard that had it. */
static void
test_results_and_merge (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-results-XXXXXX", NULL);
  gchar *library = make_library (dir);
  gchar *results = g_build_filename (dir, "results", NULL);
  gchar *catalog = g_build_filename (dir, "catalog.db", NULL);
  gchar *events = g_build_filename (dir, "events.jsonl", NULL);
  gint damaged_shard = shard_of (library, DAMAGED);
  gchar *before, *after, *text;
  gint k;
  Result r;

  for (k = 0; k < N_SHARDS; k++) {
    gchar *shard = g_strdup_printf ("%d/%d", k, N_SHARDS);

    r = run ("-q", "--step", "1", "--shard", shard, "--results", results,
        "--events", events, library, NULL);
    g_assert_cmpint (r.status, ==, k == damaged_shard ? 3 : 0);
    result_clear (&r);
    g_free (shard);
  }
  g_assert_cmpuint (count_files (results, ".failed.json"), ==, 1);
  g_assert_cmpuint (count_files (results, ".json"), ==, N_GOOD + 1);

  /* The events: a start and a done per good film, a fail for the damaged
   * one with its class, an end per shard; every line one JSON object. */
  g_assert_true (g_file_get_contents (events, &text, NULL, NULL));
  {
    gchar **lines = g_strsplit (text, "\n", -1);
    guint i, starts = 0, dones = 0, fails = 0, ends = 0;

    for (i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
      JsonParser *parser = json_parser_new ();
      JsonObject *event;
      const gchar *type;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      event = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (event, "event");
      g_assert_nonnull (json_object_get_string_member (event, "host"));
      g_assert_nonnull (json_object_get_string_member (event, "time"));
      if (g_str_equal (type, "start"))
        starts++;
      else if (g_str_equal (type, "done"))
        dones++;
      else if (g_str_equal (type, "end"))
        ends++;
      else if (g_str_equal (type, "fail")) {
        fails++;
        g_assert_cmpstr (json_object_get_string_member (event, "film"), ==,
            DAMAGED);
        g_assert_cmpstr (json_object_get_string_member (event, "class"), ==,
            "bad-media");
      }
      g_object_unref (parser);
    }
    g_assert_cmpuint (starts, ==, N_GOOD + 1);
    g_assert_cmpuint (dones, ==, N_GOOD);
    g_assert_cmpuint (fails, ==, 1);
    g_assert_cmpuint (ends, ==, N_SHARDS);
    g_strfreev (lines);
  }
  g_free (text);

  /* Done is one stat(): a second pass does nothing, the failure is not
   * retried unasked, and list --todo with the results folder is empty. */
  r = run ("--step", "1", "--results", results, library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "12 films have a palette already");
  assert_contains (r.err, "1 film failed before, skipped");
  result_clear (&r);
  r = run ("list", library, "--todo", "--results", results, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);

  r = run ("merge", "-c", catalog, results, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "13 films read, 13 new films, 12 new palettes");
  result_clear (&r);
  check_merged_catalog (catalog, N_GOOD);

  /* Merging again changes nothing. */
  before = catalog_dump (catalog);
  r = run ("merge", "-c", catalog, results, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "0 new films, 0 new palettes");
  result_clear (&r);
  after = catalog_dump (catalog);
  g_assert_cmpstr (before, ==, after);
  g_free (before);
  g_free (after);

  /* The catalog now knows the library: list --todo on it is empty too. */
  r = run ("list", library, "--todo", "-c", catalog, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);

  g_free (events);
  g_free (catalog);
  g_free (results);
  g_free (library);
  remove_tree (dir);
  g_free (dir);
}

/* Two results folders with films in common, a recalculation and a failure
 * that came later: merged in either order, or twice, the same catalog;
 * shard catalogs merge like results folders. */
static void
test_merge_order (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-merge-XXXXXX", NULL);
  gchar *library = make_library (dir);
  gchar *a = g_build_filename (dir, "a", NULL);
  gchar *b = g_build_filename (dir, "b", NULL);
  gchar *ab = g_build_filename (dir, "ab.db", NULL);
  gchar *ba = g_build_filename (dir, "ba.db", NULL);
  gchar *shard0 = g_build_filename (dir, "shard0.db", NULL);
  gchar *shard1 = g_build_filename (dir, "shard1.db", NULL);
  gchar *from_shards = g_build_filename (dir, "from-shards.db", NULL);
  gchar *dump_ab, *dump_ba, *dump;
  gint status0;
  guint i;
  Result r;

  /* A: films 0-5; B: films 3-11 and the damaged one, later. */
  for (i = 0; i < 6; i++) {
    gchar *name = good_name (i);

    run_expect (0, "-q", "--step", "1", "--results", a, "--film", name,
        library);
    g_free (name);
  }
  {
    GString *list = g_string_new (NULL);
    gchar *list_path = g_build_filename (dir, "b.list", NULL);

    for (i = 3; i < N_GOOD; i++) {
      gchar *name = good_name (i);

      g_string_append_printf (list, "%s%c", name, '\0');
      g_free (name);
    }
    g_string_append_printf (list, "%s%c", DAMAGED, '\0');
    g_assert_true (g_file_set_contents (list_path, list->str, list->len,
            NULL));
    run_expect (3, "-q", "--step", "1", "--results", b, "--films-from",
        list_path, "-0", library);
    g_string_free (list, TRUE);
    g_free (list_path);
  }

  run_expect (0, "merge", "-q", "-c", ab, a, b);
  run_expect (0, "merge", "-q", "-c", ba, b, a);
  dump_ab = catalog_dump (ab);
  dump_ba = catalog_dump (ba);
  g_assert_cmpstr (dump_ab, ==, dump_ba);
  /* films 3-5 twice: every palette once */
  {
    sqlite3 *db = db_open (ab, TRUE);

    g_assert_cmpint (db_int (db, "SELECT count(*) FROM palettes"), ==,
        6 + (N_GOOD - 3));
    sqlite3_close (db);
  }
  run_expect (0, "merge", "-q", "-c", ab, b, a);
  dump = catalog_dump (ab);
  g_assert_cmpstr (dump, ==, dump_ab);
  g_free (dump);

  /* Shard catalogs instead of results folders: the shard that has the
   * damaged film exits 3, the other 0. */
  r = run ("-q", "--step", "1", "-c", shard0, "--shard", "0/2", library,
      NULL);
  status0 = r.status;
  result_clear (&r);
  r = run ("-q", "--step", "1", "-c", shard1, "--shard", "1/2", library,
      NULL);
  g_assert_cmpint (status0 + r.status, ==, 3);
  g_assert_cmpint (status0 * r.status, ==, 0);
  result_clear (&r);
  run_expect (0, "merge", "-q", "-c", from_shards, shard0, shard1);
  check_merged_catalog (from_shards, N_GOOD);

  g_free (dump_ab);
  g_free (dump_ba);
  g_free (from_shards);
  g_free (shard0);
  g_free (shard1);
  g_free (ab);
  g_free (ba);
  g_free (a);
  g_free (b);
  g_free (library);
  remove_tree (dir);
  g_free (dir);
}

/* --film and --films-from: names as bytes, paths into the library, and
 * mistakes answered. */
static void
test_films_by_name (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-names-XXXXXX", NULL);
  gchar *library = g_build_filename (dir, "library", NULL);
  gchar *results = g_build_filename (dir, "results", NULL);
  gchar *odd = g_strdup ("Line\nBreak (2001)");
  gchar *path_in_library = g_build_filename (library, "Plain (2002)", NULL);
  gchar *list_path = g_build_filename (dir, "list", NULL);
  gchar *file_results;
  Result r;

  add_film (library, odd, "film.webm", 0xff0000);
  add_film (library, "Plain (2002)", "film.webm", 0x0000ff);
  add_film (library, "Other (2003)", "film.webm", 0x00ff00);

  /* A name with a newline cannot be a line: list --todo says so, -0
   * carries it. */
  r = run ("list", library, "--todo", NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "has a newline in its name: use -0");
  g_assert_null (strstr (r.out, "Line"));
  result_clear (&r);
  r = run ("list", library, "--todo", "-0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_set_contents (list_path, r.out, 0, NULL));
  {
    /* NUL-separated: r.out holds three names and three NULs */
    const gchar *p = r.out;
    guint n = 0;

    while (*p != '\0') {
      n++;
      p += strlen (p) + 1;
    }
    g_assert_cmpuint (n, ==, 3);
  }
  result_clear (&r);

  /* a trailing slash and a path into the library are the same film */
  {
    gchar *with_slash = g_strconcat (path_in_library, "/", NULL);

    run_expect (0, "-q", "--step", "1", "--results", results, "--film", odd,
        "--film", with_slash, library);
    g_free (with_slash);
  }
  g_assert_cmpuint (count_files (results, ".json"), ==, 2);

  /* one list, one line per name, whatever else is there */
  g_assert_true (g_file_set_contents (list_path, "Other (2003)\r\n\n"
          "Plain (2002)\n", -1, NULL));
  r = run ("--step", "1", "--results", results, "--films-from", list_path,
      library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "1 film has a palette already");
  result_clear (&r);
  g_assert_cmpuint (count_files (results, ".json"), ==, 3);

  r = run ("-q", "--results", results, "--film", "/etc", library, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "\"/etc\" is not a film folder of");
  result_clear (&r);
  r = run ("-q", "--results", results, "--film", "Missing (1900)", library,
      NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "Missing (1900)");
  result_clear (&r);
  r = run ("-q", "--results", results, "-c", "x.db", library, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "gst-palette merge -c x.db");
  result_clear (&r);

  /* A results folder that cannot be made: transient (75), said at once. */
  file_results = g_build_filename (list_path, "results", NULL);
  r = run ("-q", "--results", file_results, library, NULL);
  g_assert_cmpint (r.status, ==, 75);
  assert_contains (r.err, "results folder");
  result_clear (&r);

  g_free (file_results);
  g_free (list_path);
  g_free (path_in_library);
  g_free (odd);
  g_free (results);
  g_free (library);
  remove_tree (dir);
  g_free (dir);
}

/* A worker stopped by SIGTERM (scancel, a pod evicted) mid-run: 143, only
 * whole result files left, and the next run does the rest. */
static void
test_sigterm (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-sigterm-XXXXXX", NULL);
  gchar *library = make_library (dir);
  gchar *results = g_build_filename (dir, "results", NULL);
  gchar *events = g_build_filename (dir, "events.jsonl", NULL);
  gchar *catalog = g_build_filename (dir, "catalog.db", NULL);
  const gchar *argv[] = { gst_palette_bin, "-q", "-j", "1", "--step", "1",
    "--results", results, "--events", events, library, NULL
  };
  GError *error = NULL;
  gint64 deadline;
  gint wait_status;
  GPid pid;
  GDir *handle;
  const gchar *name;
  gchar *text = NULL;

  g_assert_true (g_spawn_async (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
          &pid, &error));
  g_assert_no_error (error);
  /* once the first film is done */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline) {
    g_free (text);
    text = NULL;
    if (g_file_get_contents (events, &text, NULL, NULL) &&
        strstr (text, "\"done\"") != NULL)
      break;
    g_usleep (20000);
  }
  g_assert_nonnull (strstr (text, "\"done\""));
  g_free (text);
  kill (pid, SIGTERM);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (waitpid (pid, &wait_status, WNOHANG) == 0) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (20000);
  }
  g_spawn_close_pid (pid);
  g_assert_cmpint (exit_code (wait_status), ==, 128 + SIGTERM);

  /* whole files only: every one parses, no temporary file is left */
  handle = g_dir_open (results, 0, NULL);
  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL) {
    gchar *path = g_build_filename (results, name, NULL);
    JsonParser *parser = json_parser_new ();

    g_assert_true (g_str_has_suffix (name, ".json"));
    g_assert_true (json_parser_load_from_file (parser, path, NULL));
    g_object_unref (parser);
    g_free (path);
  }
  g_dir_close (handle);
  g_assert_cmpuint (count_files (results, ".json"), <, N_GOOD + 1);

  /* -j 1 goes by name: the damaged film failed (for good) before the
   * first palette, and is not tried again */
  run_expect (0, "-q", "--step", "1", "--results", results, library);
  run_expect (0, "merge", "-q", "-c", catalog, results);
  check_merged_catalog (catalog, N_GOOD);

  g_free (catalog);
  g_free (events);
  g_free (results);
  g_free (library);
  remove_tree (dir);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  gchar *tmp, *saved;
  gint status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  find_gst_palette (argc, argv);

  /* Everything the tests make goes to one folder, removed at the end. */
  tmp = g_dir_make_tmp ("gst-palette-cluster-XXXXXX", NULL);
  saved = g_strdup (g_getenv ("TMPDIR"));
  g_setenv ("TMPDIR", tmp, TRUE);

  g_test_add_func ("/cluster/shards", test_shards);
  g_test_add_func ("/cluster/results-and-merge", test_results_and_merge);
  g_test_add_func ("/cluster/merge-order", test_merge_order);
  g_test_add_func ("/cluster/films-by-name", test_films_by_name);
  g_test_add_func ("/cluster/sigterm", test_sigterm);
  status = g_test_run ();

  remove_tree (tmp);
  if (saved != NULL)
    g_setenv ("TMPDIR", saved, TRUE);
  g_free (saved);
  g_free (tmp);
  return status;
}
