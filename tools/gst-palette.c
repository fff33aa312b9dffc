/* gst-palette: the dominant colors of a film, or of a whole film library.
 *
 *   gst-palette [FILE...]                 print each film's palette
 *   gst-palette --catalog CATALOG DIR...  keep a library catalog up to date
 *
 * Each film runs through framedecimate ! palettesink inside this process;
 * --jobs films at a time, each with its own pipeline, all driven from one
 * main loop so that catalog writes never overlap. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "analyze.h"
#include "atomic-file.h"
#include "catalog.h"
#include "catalog-db.h"
#include "catalog-json.h"
#include "catalog-view.h"
#include "demo-clip.h"
#include "events.h"
#include "film-key.h"
#include "film-list.h"
#include "merge.h"
#include "record.h"
#include "render.h"
#include "results.h"
#include "runner.h"
#include "terminal.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* Exit statuses an engine (Slurm, GNU parallel, Kubernetes) can act on:
 * retrying a film of bad media gives the same failure, a transient one
 * (a read error on the NAS, the catalog busy, a disk full) may pass. */
#define EXIT_USAGE 2
#define EXIT_FAILED_FOR_GOOD 3
#define EXIT_TEMPFAIL 75        /* sysexits.h's EX_TEMPFAIL */

typedef struct
{
  /* what to do */
  const gchar *verb;            /* NULL: analyse; "list", "draw", ... */
  gchar *catalog_path;
  gboolean recalc;
  gboolean retry_failed;
  gchar *only;
  gchar **films;
  gchar *films_from;
  gboolean nul_separated;
  gchar *shard;
  gchar *results_dir;
  gchar *events_path;
  gboolean todo;
  gint jobs;
  gboolean quiet;
  gboolean print_json;
  gchar *output_dir;
  gchar *json_file;
  gchar *fingerprint_file;
  gchar *swatch_file;
  gint fingerprint_width;
  gint bar_width;
  gint fingerprint_height;
  gchar *title;
  gboolean title_overlay;
  gboolean ring;
  gint swatch_width;
  gint swatch_height;
  gboolean version;
  /* element settings; unset ones keep the element defaults */
  gchar *mode;
  gint step;
  gdouble interval;
  gint count;
  gint colors;
  gint gray_levels;
  gchar *bw_mode;
  gint64 seed;
  gint fingerprint_colors;
  gint stall_timeout;
  gchar **decimate_props;
  gchar **sink_props;
  gchar **inputs;
} Options;

/* A film, as the results need it; the runner owns the pipeline. */
typedef struct
{
  gchar *title;                 /* shown in messages */
  gchar *output_name;           /* base name of -o files */
  gchar *name;                  /* in events: the folder's name (UTF-8)
                                 * in a library, else the file */
  gint64 movie_id;              /* catalog mode: the film's id, else -1 */
  CatalogFolder *folder;        /* with --results: its folder, else NULL */
  gint64 started;               /* monotonic time its pipeline started */
} Film;

typedef struct
{
  Options *options;
  AnalysisSettings settings;
  /* Catalog mode: the catalog's database, and the JSON file it came from
   * when the catalog is the notebook's JSON (then DB is a scratch copy). */
  CatalogDb *db;
  CatalogJsonFile *json_file;
  Runner *runner;
  Events *events;
  guint shard_index;
  guint shard_count;            /* 0: no --shard */
  guint failed_for_good;        /* bad media: a retry fails the same */
  guint failed_transient;       /* may pass: worth a retry */
  gboolean color_output;
} Run;

static void
film_free (Film * film)
{
  g_free (film->title);
  g_free (film->output_name);
  g_free (film->name);
  if (film->folder)
    catalog_folder_free (film->folder);
  g_free (film);
}

/* Messages go above the progress block, which is redrawn on the next tick. */
static void
say (Run * run, FILE * out, const gchar * format, ...) G_GNUC_PRINTF (3, 4);

static void
say (Run * run, FILE * out, const gchar * format, ...)
{
  va_list args;

  if (run->runner)
    runner_clear_progress (run->runner);
  va_start (args, format);
  vfprintf (out, format, args);
  va_end (args);
  fflush (out);
}

static gchar *
sanitize_name (const gchar * name)
{
  gchar *safe = g_strdup (name);

  g_strdelimit (safe, "/\\:", '_');
  return safe;
}

static gchar *
output_path (Run * run, Film * film, const gchar * explicit_path,
    const gchar * suffix)
{
  if (explicit_path != NULL)
    return g_strdup (explicit_path);
  if (run->options->output_dir != NULL) {
    gchar *name = g_strconcat (film->output_name, suffix, NULL);
    gchar *path = g_build_filename (run->options->output_dir, name, NULL);

    g_free (name);
    return path;
  }
  return NULL;
}

static gboolean
write_outputs (Run * run, Film * film, JsonObject * record, GError ** error)
{
  Options *o = run->options;
  gchar *json_path = output_path (run, film, o->json_file, ".json");
  gchar *fingerprint_path = output_path (run, film, o->fingerprint_file,
      ".fingerprint.png");
  gchar *swatch_path = output_path (run, film, o->swatch_file, ".swatch.png");
  gboolean ok = TRUE;

  if (json_path != NULL) {
    gsize length;
    gchar *data = record_to_data (record, TRUE, &length);

    ok = atomic_file_set_contents (json_path, data, length, error);
    g_free (data);
  }
  if (ok && fingerprint_path != NULL) {
    FingerprintOptions fo = { o->fingerprint_width, o->bar_width,
      o->fingerprint_height,
      o->title ? o->title : o->title_overlay ? film->title : NULL, o->ring
    };
    cairo_surface_t *surface = render_fingerprint (record, &fo, error);

    ok = surface != NULL && render_write_png (surface, fingerprint_path, error);
    if (surface)
      cairo_surface_destroy (surface);
  }
  if (ok && swatch_path != NULL) {
    cairo_surface_t *surface = render_swatch (record, o->swatch_width,
        o->swatch_height, error);

    ok = surface != NULL && render_write_png (surface, swatch_path, error);
    if (surface)
      cairo_surface_destroy (surface);
  }
  g_free (json_path);
  g_free (fingerprint_path);
  g_free (swatch_path);
  return ok;
}

/* Errors that may pass by themselves: the catalog busy, a disk full, a
 * folder not writable or a read error (a network share's hiccup). */
static gboolean
error_is_transient (const GError * error)
{
  return error->domain == G_FILE_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

/* Whole milliseconds: a JSON double of json-glib prints 17 digits. */
static void
set_elapsed (JsonObject * details, Film * film)
{
  json_object_set_int_member (details, "elapsed_ms", film->started > 0 ?
      (g_get_monotonic_time () - film->started) / 1000 : 0);
}

/* A JSON catalog is written back after each change (merged with what
 * another process wrote meanwhile); an SQLite one has committed already. */
static gboolean
save_catalog (Run * run)
{
  GError *error = NULL;

  if (run->json_file == NULL ||
      catalog_json_file_save (run->json_file, &error))
    return TRUE;
  say (run, stderr, "gst-palette: could not save the catalog: %s\n",
      error->message);
  g_error_free (error);
  return FALSE;
}

/* The film is analysed but could not be kept: the catalog or the results
 * folder refused it, worth a retry. */
static void
store_error (Run * run, Film * film, const gchar * where, GError * error)
{
  JsonObject *details = json_object_new ();

  run->failed_transient++;
  say (run, stderr, "gst-palette: %s: could not save it in the %s: %s\n",
      film->title, where, error->message);
  json_object_set_string_member (details, "class", "transient");
  json_object_set_string_member (details, "error", error->message);
  events_write (run->events, "fail", film->name, details);
  g_error_free (error);
}

static void
set_source_title (JsonObject * record, const gchar * title)
{
  JsonNode *source = json_object_get_member (record, "source");

  if (source != NULL && JSON_NODE_HOLDS_OBJECT (source))
    json_object_set_string_member (json_node_get_object (source), "title",
        title);
}

/* RETRY: the failure may pass by itself (a file still being copied), so
 * the next run tries the film again unasked. TRANSIENT: a read error or a
 * stall, not the file's fault: never kept as the film's failure in a
 * results folder, and the exit status asks the engine for a retry. */
static void
film_failed (Run * run, Film * film, const gchar * reason, gboolean retry,
    gboolean transient)
{
  JsonObject *details = json_object_new ();
  GError *error = NULL;

  if (transient)
    run->failed_transient++;
  else
    run->failed_for_good++;
  say (run, stderr, "gst-palette: %s: %s\n", film->title, reason);
  json_object_set_string_member (details, "class", transient ? "transient" :
      "bad-media");
  json_object_set_string_member (details, "error", reason);
  set_elapsed (details, film);
  events_write (run->events, "fail", film->name, details);

  if (film->folder != NULL && !transient &&
      !results_write (run->options->results_dir, film->folder, NULL, reason,
          retry, -1, -1, &error))
    store_error (run, film, "results folder", error);
  if (film->movie_id < 0)
    return;
  if (!catalog_db_set_failed (run->db, film->movie_id, reason,
          retry || transient, &error))
    store_error (run, film, "catalog", error);
  else if (!save_catalog (run))
    run->failed_transient++;
}

static gboolean
record_is_complete (JsonObject * record)
{
  JsonNode *complete = json_object_get_member (record, "complete");

  return complete == NULL || !JSON_NODE_HOLDS_VALUE (complete) ||
      json_node_get_boolean (complete);
}

/* Keeps a complete palette in the catalog or the results folder; FALSE
 * when it could not be kept. */
static gboolean
keep_palette (Run * run, Film * film, Analysis * analysis,
    JsonObject * record)
{
  GError *error = NULL;
  gchar *id;

  if (film->movie_id < 0 && film->folder == NULL)
    return TRUE;
  /* palettesink's id is the notebook's, 6 hex digits of a date to the
   * second: not unique enough for the frontend's primary key, nor for a
   * merge to tell palettes apart. */
  id = catalog_db_new_palette_id ();
  json_object_set_string_member (record, "id", id);
  g_free (id);
  set_source_title (record, film->title);
  if (film->folder != NULL) {
    if (results_write (run->options->results_dir, film->folder, record, NULL,
            FALSE, analysis_get_frames (analysis),
            analysis_get_length (analysis), &error))
      return TRUE;
    store_error (run, film, "results folder", error);
    return FALSE;
  }
  if (!catalog_db_add_palette (run->db, film->movie_id, record,
          analysis_get_frames (analysis), analysis_get_length (analysis),
          &error)) {
    store_error (run, film, "catalog", error);
    return FALSE;
  }
  if (!save_catalog (run)) {
    run->failed_transient++;
    return FALSE;
  }
  return TRUE;
}

static void
film_succeeded (Run * run, Film * film, Analysis * analysis,
    JsonObject * record)
{
  GError *error = NULL;
  gboolean complete = record_is_complete (record);

  if (complete && !keep_palette (run, film, analysis, record))
    return;

  if (run->options->print_json) {
    gchar *data = record_to_data (record, TRUE, NULL);

    say (run, stdout, "%s\n", data);
    g_free (data);
  } else if (!run->options->quiet || (film->movie_id < 0 &&
          film->folder == NULL)) {
    runner_clear_progress (run->runner);
    terminal_print_palette (stdout, record, film->title, run->color_output,
        NULL);
  }

  /* The palette is kept even when an image cannot be written. */
  if (!write_outputs (run, film, record, &error)) {
    run->failed_transient++;
    say (run, stderr, "gst-palette: %s: %s\n", film->title, error->message);
    g_error_free (error);
  }

  /* A film cut short has a palette of its beginning only: shown, but a
   * failure, and never kept as the film's palette. */
  if (!complete) {
    film_failed (run, film, "the file ends before its end (cut short or "
        "still being written); its palette covers only the start and was "
        "not kept", TRUE, FALSE);
  } else {
    JsonObject *details = json_object_new ();

    set_elapsed (details, film);
    events_write (run->events, "done", film->name, details);
  }
}

static void
on_film_started (Runner * runner, gpointer film, gpointer user_data)
{
  Run *run = user_data;
  Film *f = film;

  f->started = g_get_monotonic_time ();
  events_write (run->events, "start", f->name, NULL);
}

static void
on_film_done (Runner * runner, gpointer film, Analysis * analysis,
    JsonObject * record, const gchar * error, AnalysisFailure failure,
    gpointer user_data)
{
  if (record != NULL)
    film_succeeded (user_data, film, analysis, record);
  else
    film_failed (user_data, film, error, FALSE,
        failure == ANALYSIS_FAILURE_TRANSIENT);
}

static Film *
film_new (const gchar * title, const gchar * output_name, gint64 movie_id)
{
  Film *film = g_new0 (Film, 1);

  film->title = g_strdup (title);
  film->output_name = sanitize_name (output_name);
  film->movie_id = movie_id;
  return film;
}

static void
queue_film (Run * run, const gchar * title, const gchar * name,
    const gchar * path, const gchar * output_name, gint64 movie_id,
    CatalogFolder * folder)
{
  Film *film = film_new (title, output_name, movie_id);

  film->name = g_filename_display_name (name);
  film->folder = folder;
  runner_add (run->runner, title, path, film, (GDestroyNotify) film_free);
}

/* The exit status of a run that was not stopped: a transient failure asks
 * for a retry, which redoes only what failed so (films that failed for
 * good are kept as such and skipped). */
static gint
run_status (Run * run)
{
  if (run->failed_transient > 0)
    return EXIT_TEMPFAIL;
  if (run->failed_for_good > 0)
    return EXIT_FAILED_FOR_GOOD;
  return EXIT_SUCCESS;
}

/* Runs the queued films; returns the process exit status. */
static gint
run_films (Run * run)
{
  gint signum = runner_run (run->runner);
  guint total = runner_get_total (run->runner);
  guint finished = runner_get_finished (run->runner);
  guint failed = run->failed_for_good + run->failed_transient;

  if (signum != 0) {
    fprintf (stderr, "gst-palette: interrupted by %s; %u of %u films "
        "finished%s, %u not done\n", g_strsignal (signum), finished, total,
        run->db ? " and saved in the catalog" : run->options->results_dir ?
        " and saved in the results folder" : "", total - finished);
    return 128 + signum;
  }
  if (failed > 0)
    fprintf (stderr, "gst-palette: %u of %u films failed (%u for good, %u "
        "worth a retry)\n", failed, total, run->failed_for_good,
        run->failed_transient);
  return run_status (run);
}

/* What a run found in the catalog and left alone. */
typedef struct
{
  guint matched;
  guint done;
  guint failed_before;
  guint no_file;
} Selection;

/* Why a film is left alone, or NULL when it needs a palette: from its
 * catalog row FILM, or from its files in the results folder (STATE). */
static const gchar *
skip_reason (Options * o, CatalogFilm * film, ResultsState state,
    gboolean has_file)
{
  gboolean done = film ? film->n_palettes > 0 : state == RESULTS_STATE_DONE;
  gboolean failed = film ? film->error != NULL && !film->retry :
      state == RESULTS_STATE_FAILED;

  if (!has_file)
    return "no file";
  if (done && !o->recalc)
    return "done";
  if (failed && !o->retry_failed && !o->recalc)
    return "failed before";
  return NULL;
}

static void
skip_film (Run * run, const gchar * title, const gchar * reason)
{
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "reason", reason);
  events_write (run->events, "skip", title, details);
}

/* The name of FILM's folder in the library, as events name it: the first
 * part of its relative path, else the name a folder of it would have. */
static gchar *
film_folder_name (CatalogFilm * film)
{
  if (film->file != NULL && !g_path_is_absolute (film->file) &&
      strchr (film->file, G_DIR_SEPARATOR) != NULL)
    return g_strndup (film->file, strchr (film->file, G_DIR_SEPARATOR) -
        film->file);
  return catalog_film_describe (film);
}

/* Queues FILM unless it is done, failed before, or has no one file.
 * FULL_PATH is where its file is now, or NULL. */
static void
consider_film (Run * run, CatalogFilm * film, const gchar * full_path,
    Selection * selection)
{
  Options *o = run->options;
  const gchar *reason;
  gchar *name, *folder_name;

  if (o->only != NULL && g_strcmp0 (film->title, o->only) != 0)
    return;
  selection->matched++;
  reason = skip_reason (o, film, RESULTS_STATE_NONE, full_path != NULL);
  folder_name = film_folder_name (film);
  if (reason != NULL)
    skip_film (run, folder_name, reason);
  if (full_path == NULL) {
    selection->no_file++;
    if (!o->quiet)
      fprintf (stderr, "gst-palette: %s: %s, skipped\n", film->title,
          film->status ? film->status : "no file path");
    g_free (folder_name);
    return;
  }
  if (g_strcmp0 (reason, "done") == 0) {
    selection->done++;
    if (o->only != NULL && !o->quiet)
      fprintf (stderr, "gst-palette: %s: has a palette already, skipped "
          "(--recalc computes a new one)\n", film->title);
    g_free (folder_name);
    return;
  }
  if (reason != NULL) {
    selection->failed_before++;
    if (!o->quiet)
      fprintf (stderr, "gst-palette: %s: failed before (%s; %u attempt%s, "
          "the last %s), skipped\n", film->title, film->error,
          film->attempts, film->attempts == 1 ? "" : "s",
          film->last_attempt ? film->last_attempt : "at an unknown date");
    g_free (folder_name);
    return;
  }
  name = catalog_film_describe (film);
  queue_film (run, film->title, folder_name, full_path, name, film->movie_id,
      NULL);
  g_free (name);
  g_free (folder_name);
}

/* --results: queues FOLDER (taken) unless the results folder has it. */
static void
consider_result_film (Run * run, CatalogFolder * folder,
    Selection * selection)
{
  Options *o = run->options;
  const gchar *reason;
  gchar *name;

  if (o->only != NULL && g_strcmp0 (folder->title, o->only) != 0) {
    catalog_folder_free (folder);
    return;
  }
  selection->matched++;
  reason = skip_reason (o, NULL, results_get_state (o->results_dir,
          folder->name), folder->file != NULL);
  if (reason != NULL) {
    gchar *shown = g_filename_display_name (folder->name);

    skip_film (run, shown, reason);
    g_free (shown);
    if (folder->file == NULL) {
      selection->no_file++;
      if (!o->quiet)
        fprintf (stderr, "gst-palette: %s: %s, skipped\n", folder->title,
            folder->status);
    } else if (g_str_equal (reason, "done")) {
      selection->done++;
    } else {
      selection->failed_before++;
    }
    catalog_folder_free (folder);
    return;
  }
  name = g_filename_display_name (folder->name);
  queue_film (run, folder->title, folder->name, folder->full_path, name, -1,
      folder);
  g_free (name);
}

/* The film folders of LIBRARY_DIR the run works on: those named by --film
 * and --films-from, else all; of those, the ones of this --shard. Only the
 * chosen folders are read, so that each worker of a cluster reads its own
 * films, not the whole library. A named folder that is not there fails
 * (for good), as a film would. */
static GPtrArray *
select_folders (Run * run, const gchar * library_dir, GError ** error)
{
  Options *o = run->options;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *folders = g_ptr_array_new_with_free_func ((GDestroyNotify)
      catalog_folder_free);
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  gchar **film;
  guint i;

  for (film = o->films; film != NULL && *film != NULL; film++) {
    gchar *name = film_list_name_in_library (library_dir, *film, error);

    if (name == NULL)
      goto fail;
    g_ptr_array_add (names, name);
  }
  if (o->films_from != NULL) {
    GPtrArray *listed = film_list_read (o->films_from, o->nul_separated,
        error);

    if (listed == NULL)
      goto fail;
    for (i = 0; i < listed->len; i++) {
      gchar *name = film_list_name_in_library (library_dir,
          listed->pdata[i], error);

      if (name == NULL) {
        g_ptr_array_unref (listed);
        goto fail;
      }
      g_ptr_array_add (names, name);
    }
    g_ptr_array_unref (listed);
  }
  if (o->films == NULL && o->films_from == NULL) {
    g_ptr_array_unref (names);
    names = catalog_list_folder_names (library_dir, error);
    if (names == NULL)
      goto fail;
  }

  for (i = 0; i < names->len; i++) {
    const gchar *name = names->pdata[i];
    gchar *path = g_build_filename (library_dir, name, NULL);
    GError *scan_error = NULL;
    CatalogFolder *folder;

    if (g_hash_table_contains (seen, name) || (run->shard_count > 0 &&
            !film_key_in_shard (name, run->shard_index, run->shard_count)) ||
        /* A JSON catalog kept in the library has its fingerprint folder
         * there, NAME.fingerprints beside NAME.json: not a film. */
        catalog_json_is_fingerprints_dir (path)) {
      g_free (path);
      continue;
    }
    g_free (path);
    g_hash_table_add (seen, (gpointer) name);
    folder = catalog_folder_scan (library_dir, name, &scan_error);
    if (folder != NULL) {
      g_ptr_array_add (folders, folder);
      continue;
    }
    /* Listed but gone (or unreadable): a whole-library scan does not see
     * it; a named film fails. */
    if (o->films != NULL || o->films_from != NULL) {
      gchar *shown = g_filename_display_name (name);
      JsonObject *details = json_object_new ();

      fprintf (stderr, "gst-palette: %s: no such film folder in the library "
          "(%s)\n", shown, scan_error->message);
      json_object_set_string_member (details, "class", "bad-media");
      json_object_set_string_member (details, "error", scan_error->message);
      events_write (run->events, "fail", shown, details);
      run->failed_for_good++;
      g_free (shown);
    }
    g_error_free (scan_error);
  }
  g_hash_table_unref (seen);
  g_ptr_array_unref (names);
  return folders;

fail:
  g_hash_table_unref (seen);
  g_ptr_array_unref (names);
  g_ptr_array_unref (folders);
  return NULL;
}

/* --results: the chosen films of LIBRARY_DIR, against the results folder
 * alone (no catalog). */
static gboolean
queue_result_films (Run * run, const gchar * library_dir,
    Selection * selection)
{
  GError *error = NULL;
  GPtrArray *folders = select_folders (run, library_dir, &error);
  guint i;

  if (folders == NULL) {
    fprintf (stderr, "gst-palette: %s\n", error->message);
    g_error_free (error);
    return FALSE;
  }
  /* each folder goes to its film */
  g_ptr_array_set_free_func (folders, NULL);
  for (i = 0; i < folders->len; i++)
    consider_result_film (run, folders->pdata[i], selection);
  g_ptr_array_unref (folders);
  return TRUE;
}

/* Adds the chosen folders of LIBRARY_DIR to the catalog in one
 * transaction, then queues those that need a palette. */
static gboolean
sync_library (Run * run, const gchar * library_dir, Selection * selection)
{
  GError *error = NULL;
  GPtrArray *folders = select_folders (run, library_dir, &error);
  GPtrArray *films;
  gint64 changes;
  guint i;

  if (folders == NULL) {
    fprintf (stderr, "gst-palette: %s\n", error->message);
    g_error_free (error);
    return FALSE;
  }
  films = g_ptr_array_new_with_free_func ((GDestroyNotify) catalog_film_free);
  changes = catalog_db_get_n_changes (run->db);
  if (!catalog_db_begin (run->db, &error))
    goto fail;
  for (i = 0; i < folders->len; i++) {
    CatalogFilm *film = catalog_db_sync_folder (run->db, folders->pdata[i],
        &error);

    if (film == NULL) {
      catalog_db_rollback (run->db);
      goto fail;
    }
    g_ptr_array_add (films, film);
  }
  if (!catalog_db_commit (run->db, &error))
    goto fail;
  /* Written before any film starts, so new films are listed even if the
   * run is stopped at once; a JSON catalog is not written for nothing. */
  if (catalog_db_get_n_changes (run->db) != changes && !save_catalog (run))
    goto out;
  for (i = 0; i < folders->len; i++)
    consider_film (run, films->pdata[i],
        ((CatalogFolder *) folders->pdata[i])->full_path, selection);
  g_ptr_array_unref (films);
  g_ptr_array_unref (folders);
  return TRUE;

fail:
  fprintf (stderr, "gst-palette: %s\n", error->message);
  if (error_is_transient (error))
    run->failed_transient++;
  g_error_free (error);
out:
  g_ptr_array_unref (films);
  g_ptr_array_unref (folders);
  return FALSE;
}

/* No library folder given: the catalog's films where their paths say,
 * relative ones from the catalog's own folder (the library root, where
 * gst-palette puts a catalog by default). */
static gboolean
queue_catalog_films (Run * run, Selection * selection)
{
  GError *error = NULL;
  GPtrArray *films = catalog_db_list_films (run->db, &error);
  gchar *root = g_path_get_dirname (run->options->catalog_path);
  guint i;

  if (films == NULL) {
    fprintf (stderr, "gst-palette: %s\n", error->message);
    g_error_free (error);
    g_free (root);
    return FALSE;
  }
  for (i = 0; i < films->len; i++) {
    CatalogFilm *film = films->pdata[i];
    const gchar *file = film->file ? film->file : film->path;
    gchar *full = NULL;

    if (file != NULL)
      full = g_path_is_absolute (file) ? g_strdup (file) :
          g_build_filename (root, file, NULL);
    consider_film (run, film, full, selection);
    g_free (full);
  }
  g_ptr_array_unref (films);
  g_free (root);
  return TRUE;
}

static gboolean
open_catalog (Run * run, GError ** error)
{
  const gchar *path = run->options->catalog_path;

  if (catalog_db_is_sqlite_name (path)) {
    run->db = catalog_db_open (path, error);
  } else {
    run->json_file = catalog_json_file_open (path, &run->db, error);
  }
  return run->db != NULL;
}

/* Catalog mode: bring the catalog up to date with the library folders,
 * then queue every film that still needs a palette. */
static gint
run_catalog (Run * run, GPtrArray * library_dirs)
{
  Options *o = run->options;
  GError *error = NULL;
  Selection selection = { 0, };
  guint i;

  if (o->results_dir != NULL) {
    if (!results_prepare (o->results_dir, &error)) {
      fprintf (stderr, "gst-palette: %s\n", error->message);
      g_error_free (error);
      return EXIT_TEMPFAIL;
    }
    if (!queue_result_films (run, library_dirs->pdata[0], &selection))
      return EXIT_USAGE;
  } else {
    if (!open_catalog (run, &error)) {
      gboolean transient = error_is_transient (error);

      fprintf (stderr, "gst-palette: %s\ngst-palette: the catalog was left "
          "untouched%s\n", error->message, transient ? "; try again" :
          "; give another --catalog file or repair this one");
      g_error_free (error);
      return transient ? EXIT_TEMPFAIL : EXIT_USAGE;
    }
    for (i = 0; i < library_dirs->len; i++)
      if (!sync_library (run, library_dirs->pdata[i], &selection))
        return run->failed_transient > 0 ? EXIT_TEMPFAIL : EXIT_USAGE;
    if (library_dirs->len == 0 && !queue_catalog_films (run, &selection))
      return EXIT_USAGE;
  }

  if (o->only != NULL && selection.matched == 0) {
    fprintf (stderr, "gst-palette: --only \"%s\": no film with that title in "
        "the %s\n", o->only, o->results_dir ? "library" : "catalog");
    return EXIT_USAGE;
  }
  if (!o->quiet && o->only == NULL && selection.done > 0)
    fprintf (stderr, "gst-palette: %u film%s ha%s a palette already, "
        "skipped (--recalc computes new ones)\n", selection.done,
        selection.done == 1 ? "" : "s", selection.done == 1 ? "s" : "ve");
  if (!o->quiet && selection.failed_before > 0)
    fprintf (stderr, "gst-palette: %u film%s failed before, skipped "
        "(--retry-failed tries again)\n", selection.failed_before,
        selection.failed_before == 1 ? "" : "s");
  if (runner_get_total (run->runner) == 0) {
    /* a named film that is not there said so already */
    if (!o->quiet && run_status (run) == EXIT_SUCCESS)
      fprintf (stderr, "gst-palette: nothing to do\n");
    return run_status (run);
  }
  return run_films (run);
}

static gint
run_files (Run * run, GPtrArray * files)
{
  guint i;

  for (i = 0; i < files->len; i++) {
    gchar *base = g_path_get_basename (files->pdata[i]);
    gchar *dot = strrchr (base, '.');
    gchar *stem = dot && dot != base ? g_strndup (base, dot - base) :
        g_strdup (base);

    queue_film (run, stem, files->pdata[i], files->pdata[i], stem, -1, NULL);
    g_free (stem);
    g_free (base);
  }
  return run_films (run);
}

static gint
run_demo (Run * run)
{
  FILE *banner = run->options->print_json ? stderr : stdout;

  fprintf (banner, "No film given: using the built-in demo clip (%d s, "
      "%dx%d at %d fps, %d shots: %s).\nRun `gst-palette FILE` for a film, "
      "or `gst-palette --help`.\n",
      DEMO_CLIP_N_SHOTS * DEMO_CLIP_SHOT_FRAMES / DEMO_CLIP_FPS,
      DEMO_CLIP_WIDTH, DEMO_CLIP_HEIGHT, DEMO_CLIP_FPS, DEMO_CLIP_N_SHOTS,
      demo_clip_describe ());
  queue_film (run, "built-in demo clip", "demo", NULL, "demo", -1, NULL);
  return run_films (run);
}

static void
add_prop (GPtrArray ** props, const gchar * name, const gchar * value)
{
  if (*props == NULL)
    *props = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (*props, g_strdup_printf ("%s=%s", name, value));
}

static void
add_int_prop (GPtrArray ** props, const gchar * name, gint64 value)
{
  gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  add_prop (props, name, text);
  g_free (text);
}

static gboolean
add_raw_props (GPtrArray ** props, gchar ** assignments, const gchar * option)
{
  gchar **a;

  for (a = assignments; a != NULL && *a != NULL; a++) {
    if (strchr (*a, '=') == NULL || **a == '=') {
      fprintf (stderr, "gst-palette: %s takes PROPERTY=VALUE, not \"%s\"\n",
          option, *a);
      return FALSE;
    }
    if (*props == NULL)
      *props = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (*props, g_strdup (*a));
  }
  return TRUE;
}

static gboolean
build_settings (Options * o, AnalysisSettings * s, gboolean demo)
{
  if (o->mode)
    add_prop (&s->decimate_props, "mode", o->mode);
  else if (!demo && o->step <= 0 && o->interval <= 0)
    /* The default sampling: --count frames reached by seeking, at a few
     * hundredths of a full decode on long films (docs/benchmarks.md, issue
     * #20). --step or --interval alone keep framedecimate's own default,
     * every-nth, which they configure. */
    add_prop (&s->decimate_props, "mode", "seek");
  if (o->step > 0)
    add_int_prop (&s->decimate_props, "step", o->step);
  else if (demo && o->mode == NULL)
    /* 250 frames: keep 50, so that the fingerprint has something to show. */
    add_int_prop (&s->decimate_props, "step", 5);
  if (o->interval > 0)
    add_int_prop (&s->decimate_props, "interval",
        (gint64) (o->interval * GST_SECOND));
  if (o->count > 0)
    add_int_prop (&s->decimate_props, "count", o->count);
  if (o->colors > 0)
    add_int_prop (&s->sink_props, "colors", o->colors);
  if (o->gray_levels > 0)
    add_int_prop (&s->sink_props, "gray-levels", o->gray_levels);
  if (o->bw_mode)
    add_prop (&s->sink_props, "bw-mode", o->bw_mode);
  if (o->seed >= 0)
    add_int_prop (&s->sink_props, "seed", o->seed);
  s->stall_timeout = MAX (o->stall_timeout, 0);
  if (o->fingerprint_colors >= 0)
    add_int_prop (&s->sink_props, "fingerprint-colors",
        o->fingerprint_colors);
  return add_raw_props (&s->decimate_props, o->decimate_props,
      "--set-decimate") && add_raw_props (&s->sink_props, o->sink_props,
      "--set-sink");
}

/* A new library gets an SQLite catalog, the one that holds thousands of
 * films, takes several processes at once and that the seed's web frontend
 * reads; a library that has the notebook's JSON catalog keeps it. */
static gchar *
default_catalog (const gchar * library_dir)
{
  gchar *json = g_build_filename (library_dir, "movies_palettes.json", NULL);

  if (g_file_test (json, G_FILE_TEST_EXISTS))
    return json;
  g_free (json);
  return g_build_filename (library_dir, "movies.db", NULL);
}

/* The verbs that use the catalog alone, without decoding. */
static const gchar *const catalog_verbs[] = {
  "list", "draw", "import", "export", "merge", NULL
};

static CatalogDb *
open_catalog_for_verb (Run * run, gboolean sqlite_only)
{
  GError *error = NULL;
  const gchar *path = run->options->catalog_path;

  if (path == NULL) {
    fprintf (stderr, "gst-palette %s: give the catalog: -c CATALOG, or a "
        "library folder\n", run->options->verb);
    return NULL;
  }
  if (sqlite_only && !catalog_db_is_sqlite_name (path)) {
    fprintf (stderr, "gst-palette %s: %s: give an SQLite catalog (.db) to "
        "-c; the JSON catalog is the argument\n", run->options->verb, path);
    return NULL;
  }
  /* Reading a catalog that does not exist would create it. */
  if (g_strcmp0 (run->options->verb, "import") != 0 &&
      !g_file_test (path, G_FILE_TEST_EXISTS)) {
    fprintf (stderr, "gst-palette %s: %s: no such catalog\n",
        run->options->verb, path);
    return NULL;
  }
  if (!open_catalog (run, &error)) {
    fprintf (stderr, "gst-palette %s: %s\n", run->options->verb,
        error->message);
    g_error_free (error);
    return NULL;
  }
  return run->db;
}

static gboolean
open_events (Run * run)
{
  GError *error = NULL;

  if (run->options->events_path == NULL)
    return TRUE;
  run->events = events_open (run->options->events_path, &error);
  if (run->events != NULL)
    return TRUE;
  fprintf (stderr, "gst-palette: %s\n", error->message);
  g_error_free (error);
  return FALSE;
}

static gboolean
parse_shard (Run * run)
{
  GError *error = NULL;

  if (run->options->shard == NULL)
    return TRUE;
  if (film_key_parse_shard (run->options->shard, &run->shard_index,
          &run->shard_count, &error))
    return TRUE;
  fprintf (stderr, "gst-palette: %s\n", error->message);
  g_error_free (error);
  return FALSE;
}

/* gst-palette list LIBRARY --todo: the folder names of the films that a run
 * would work on, for an engine to size a job array or feed GNU parallel.
 * The catalog is read, never changed: the folders are matched to it in a
 * transaction that is rolled back. */
static gint
list_todo (Run * run, gchar ** inputs)
{
  Options *o = run->options;
  GError *error = NULL;
  GPtrArray *folders = NULL, *dirs;
  const gchar *library;
  gint status = EXIT_SUCCESS;
  guint i, n_listed = 0;

  dirs = g_ptr_array_new ();
  for (i = 0; inputs != NULL && inputs[i] != NULL; i++)
    g_ptr_array_add (dirs, inputs[i]);
  if (dirs->len != 1 || !g_file_test (dirs->pdata[0], G_FILE_TEST_IS_DIR)) {
    fprintf (stderr, "gst-palette list --todo: give one library folder\n");
    g_ptr_array_unref (dirs);
    return EXIT_USAGE;
  }
  library = dirs->pdata[0];
  if (o->catalog_path == NULL && o->results_dir == NULL)
    o->catalog_path = default_catalog (library);
  /* A catalog that does not exist yet has nothing done: not created. */
  if (o->catalog_path != NULL &&
      g_file_test (o->catalog_path, G_FILE_TEST_EXISTS) &&
      !open_catalog (run, &error))
    goto fail;
  if (run->db != NULL && !catalog_db_begin (run->db, &error))
    goto fail;
  if (!parse_shard (run)) {
    status = EXIT_USAGE;
    goto out;
  }
  folders = select_folders (run, library, &error);
  if (folders == NULL)
    goto fail;
  for (i = 0; i < folders->len; i++) {
    CatalogFolder *folder = folders->pdata[i];
    CatalogFilm *film = NULL;
    ResultsState state = RESULTS_STATE_NONE;
    gboolean todo;

    if (run->db != NULL) {
      film = catalog_db_sync_folder (run->db, folder, &error);
      if (film == NULL)
        goto fail;
    }
    if (o->results_dir != NULL)
      state = results_get_state (o->results_dir, folder->name);
    todo = skip_reason (o, film, RESULTS_STATE_NONE,
        folder->file != NULL) == NULL && (o->results_dir == NULL ||
        skip_reason (o, NULL, state, TRUE) == NULL);
    catalog_film_free (film);
    if (!todo || (o->only != NULL && g_strcmp0 (folder->title, o->only)))
      continue;
    if (!o->nul_separated && strchr (folder->name, '\n') != NULL) {
      fprintf (stderr, "gst-palette list: \"%s\" has a newline in its name: "
          "use -0 for NUL-separated names\n", folder->title);
      status = EXIT_FAILED_FOR_GOOD;
      continue;
    }
    fwrite (folder->name, 1, strlen (folder->name), stdout);
    fputc (o->nul_separated ? '\0' : '\n', stdout);
    n_listed++;
  }
  if (fflush (stdout) != 0) {
    fprintf (stderr, "gst-palette list: cannot write the list: %s\n",
        g_strerror (errno));
    status = EXIT_TEMPFAIL;
  }
  if (!o->quiet)
    fprintf (stderr, "gst-palette list: %u film%s to do\n", n_listed,
        n_listed == 1 ? "" : "s");
  goto out;

fail:
  fprintf (stderr, "gst-palette list: %s\n", error->message);
  status = error_is_transient (error) ? EXIT_TEMPFAIL : EXIT_USAGE;
  g_error_free (error);
out:
  if (run->db != NULL)
    catalog_db_rollback (run->db);
  if (folders != NULL)
    g_ptr_array_unref (folders);
  g_ptr_array_unref (dirs);
  return status;
}

/* gst-palette merge -c CATALOG SOURCE...: results folders and shard
 * catalogs into one catalog. */
static gint
run_merge (Run * run, GPtrArray * sources)
{
  Options *o = run->options;
  GError *error = NULL;
  gint status = EXIT_SUCCESS;
  guint i, j;

  if (o->catalog_path == NULL || sources->len == 0) {
    fprintf (stderr, "gst-palette merge: give the catalog and what to merge "
        "into it: gst-palette merge -c CATALOG.db RESULTS_DIR|SHARD.db...\n");
    return EXIT_USAGE;
  }
  for (i = 0; i < sources->len; i++)
    if (!g_file_test (sources->pdata[i], G_FILE_TEST_EXISTS)) {
      fprintf (stderr, "gst-palette merge: %s: no such results folder or "
          "catalog\n", (const gchar *) sources->pdata[i]);
      return EXIT_USAGE;
    }
  if (!catalog_db_is_sqlite_name (o->catalog_path)) {
    fprintf (stderr, "gst-palette merge: %s: give an SQLite catalog (.db) to "
        "-c\n", o->catalog_path);
    return EXIT_USAGE;
  }
  if (!open_catalog (run, &error)) {
    fprintf (stderr, "gst-palette merge: %s\n", error->message);
    status = error_is_transient (error) ? EXIT_TEMPFAIL : EXIT_USAGE;
    g_error_free (error);
    return status;
  }
  for (i = 0; i < sources->len && status == EXIT_SUCCESS; i++) {
    MergeCounts counts = { 0, };
    const gchar *source = sources->pdata[i];

    if (!merge_source (run->db, source, &counts, &error)) {
      fprintf (stderr, "gst-palette merge: %s\n", error->message);
      status = error_is_transient (error) ? EXIT_TEMPFAIL :
          EXIT_FAILED_FOR_GOOD;
      g_clear_error (&error);
    }
    for (j = 0; counts.damaged != NULL && j < counts.damaged->len; j++)
      fprintf (stderr, "gst-palette merge: skipped: %s\n",
          (const gchar *) counts.damaged->pdata[j]);
    if (counts.damaged != NULL && status == EXIT_SUCCESS)
      status = EXIT_FAILED_FOR_GOOD;
    if (!o->quiet)
      fprintf (stderr, "gst-palette merge: %s: %u film%s read, %u new "
          "film%s, %u new palette%s\n", source, counts.n_results,
          counts.n_results == 1 ? "" : "s", counts.n_films,
          counts.n_films == 1 ? "" : "s", counts.n_palettes,
          counts.n_palettes == 1 ? "" : "s");
    merge_counts_clear (&counts);
  }
  return status;
}

static gint
run_verb (Run * run, gchar ** inputs)
{
  Options *o = run->options;
  GError *error = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new ();
  CatalogDb *db;
  gint n;
  guint i;

  if (o->todo && !g_str_equal (o->verb, "list")) {
    fprintf (stderr, "gst-palette %s: --todo is for gst-palette list\n",
        o->verb);
    return EXIT_USAGE;
  }
  if (g_str_equal (o->verb, "list") && o->todo)
    return list_todo (run, inputs);
  /* list and draw take a library folder for its default catalog */
  for (i = 0; inputs != NULL && inputs[i] != NULL; i++) {
    if (o->catalog_path == NULL && g_file_test (inputs[i],
            G_FILE_TEST_IS_DIR) && (g_str_equal (o->verb, "list") ||
            g_str_equal (o->verb, "draw")))
      o->catalog_path = default_catalog (inputs[i]);
    else
      g_ptr_array_add (files, inputs[i]);
  }
  if (files->len > 0 && (g_str_equal (o->verb, "list") ||
          g_str_equal (o->verb, "draw"))) {
    fprintf (stderr, "gst-palette %s: %s: give the catalog with -c, or one "
        "library folder\n", o->verb, (const gchar *) files->pdata[0]);
    return EXIT_USAGE;
  }

  if (g_str_equal (o->verb, "merge"))
    return run_merge (run, files);
  if (g_str_equal (o->verb, "list")) {
    if ((db = open_catalog_for_verb (run, FALSE)) == NULL)
      return EXIT_USAGE;
    n = catalog_view_list (db, stdout, o->only, o->print_json,
        run->color_output, &error);
    if (n < 0)
      goto fail;
    if (o->only != NULL && n == 0) {
      fprintf (stderr, "gst-palette list: --only \"%s\": no film with that "
          "title in the catalog\n", o->only);
      return EXIT_USAGE;
    }
    return EXIT_SUCCESS;
  }
  if (g_str_equal (o->verb, "draw")) {
    FingerprintOptions fo = { o->fingerprint_width, o->bar_width,
      o->fingerprint_height, o->title, FALSE
    };

    if (o->output_dir == NULL) {
      fprintf (stderr, "gst-palette draw: give the folder for the images: "
          "-o DIR\n");
      return EXIT_USAGE;
    }
    if (g_mkdir_with_parents (o->output_dir, 0755) != 0) {
      fprintf (stderr, "gst-palette draw: %s: %s\n", o->output_dir,
          g_strerror (errno));
      return EXIT_USAGE;
    }
    if ((db = open_catalog_for_verb (run, FALSE)) == NULL)
      return EXIT_USAGE;
    n = catalog_view_draw (db, run->json_file ? o->catalog_path : NULL,
        o->output_dir, o->only, &fo, o->swatch_width, o->swatch_height,
        &error);
    if (n < 0)
      goto fail;
    if (!o->quiet)
      fprintf (stderr, "gst-palette draw: images of %d film%s in %s\n", n,
          n == 1 ? "" : "s", o->output_dir);
    return EXIT_SUCCESS;
  }
  if (files->len == 0 || (g_str_equal (o->verb, "export") && files->len > 1)) {
    fprintf (stderr, "gst-palette %s: give %s\n", o->verb,
        g_str_equal (o->verb, "export") ? "one JSON file to write: "
        "gst-palette export -c CATALOG.db FILE.json" : "the JSON catalogs to "
        "read: gst-palette import -c CATALOG.db FILE.json...");
    return EXIT_USAGE;
  }
  if ((db = open_catalog_for_verb (run, TRUE)) == NULL)
    return EXIT_USAGE;
  if (g_str_equal (o->verb, "export")) {
    if (!catalog_json_export (db, files->pdata[0], &error))
      goto fail;
    return EXIT_SUCCESS;
  }
  for (i = 0; i < files->len; i++) {
    guint n_films = 0, n_palettes = 0;

    if (!catalog_json_import (db, files->pdata[i], &n_films, &n_palettes,
            &error))
      goto fail;
    if (!o->quiet)
      fprintf (stderr, "gst-palette import: %s: %u new film%s, %u new "
          "palette%s\n", (const gchar *) files->pdata[i], n_films,
          n_films == 1 ? "" : "s", n_palettes, n_palettes == 1 ? "" : "s");
  }
  return EXIT_SUCCESS;

fail:
  fprintf (stderr, "gst-palette %s: %s\n", o->verb, error->message);
  n = error_is_transient (error) ? EXIT_TEMPFAIL : EXIT_FAILED_FOR_GOOD;
  g_error_free (error);
  return n;
}

static GOptionContext *
make_option_context (Options * o)
{
  const GOptionEntry library_entries[] = {
    {"catalog", 'c', 0, G_OPTION_ARG_FILENAME, &o->catalog_path,
        "Keep the library catalog in FILE: SQLite (.db) or JSON (.json) "
          "(default: DIR/movies.db, or DIR/movies_palettes.json where "
          "there is one)", "FILE"},
    {"recalc", 0, 0, G_OPTION_ARG_NONE, &o->recalc,
        "Compute a new palette for films that have one already", NULL},
    {"retry-failed", 0, 0, G_OPTION_ARG_NONE, &o->retry_failed,
        "Try again the films that failed before", NULL},
    {"only", 0, 0, G_OPTION_ARG_STRING, &o->only,
        "Process only the film with this title", "TITLE"},
    {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
        "Films processed at once (default: number of processors)", "N"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
        "No progress display and no per-film listing", NULL},
    {"version", 0, 0, G_OPTION_ARG_NONE, &o->version,
        "Print the version and exit", NULL},
    {NULL}
  };
  const GOptionEntry cluster_entries[] = {
    {"film", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->films,
        "Process the film of this folder of the library (repeatable)", "DIR"},
    {"films-from", 0, 0, G_OPTION_ARG_FILENAME, &o->films_from,
        "Process the film folders listed in FILE, one per line (-: standard "
          "input)", "FILE"},
    {"null", '0', 0, G_OPTION_ARG_NONE, &o->nul_separated,
        "--films-from and list --todo: names are NUL-separated", NULL},
    {"shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
        "Process shard K of N of the films (K from 0; N alone: K from "
          "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)", "K/N"},
    {"results", 0, 0, G_OPTION_ARG_FILENAME, &o->results_dir,
        "Write one result file per film into DIR instead of a catalog "
          "(gst-palette merge takes them into one)", "DIR"},
    {"todo", 0, 0, G_OPTION_ARG_NONE, &o->todo,
        "list: print the folder names of the films still to do, one per "
          "line", NULL},
    {"events", 0, 0, G_OPTION_ARG_FILENAME, &o->events_path,
        "Append progress events to FILE as JSON Lines (-: standard output)",
        "FILE"},
    {NULL}
  };
  const GOptionEntry output_entries[] = {
    {"json", 0, 0, G_OPTION_ARG_NONE, &o->print_json,
        "Print the palette record as JSON instead of the color list", NULL},
    {"output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &o->output_dir,
        "Write NAME.json, NAME.fingerprint.png and NAME.swatch.png to DIR",
        "DIR"},
    {"write-json", 0, 0, G_OPTION_ARG_FILENAME, &o->json_file,
        "Write the palette record to FILE (one film only)", "FILE"},
    {"fingerprint", 0, 0, G_OPTION_ARG_FILENAME, &o->fingerprint_file,
        "Draw the fingerprint PNG to FILE (one film only)", "FILE"},
    {"swatch", 0, 0, G_OPTION_ARG_FILENAME, &o->swatch_file,
        "Draw the swatch PNG to FILE (one film only)", "FILE"},
    {"fingerprint-width", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_width,
        "Fingerprint width in pixels, bars resampled (default: one bar per "
          "sampled frame)", "PX"},
    {"bar-width", 0, 0, G_OPTION_ARG_INT, &o->bar_width,
        "Width of one frame's bar (default: about 1000 pixels in all)", "PX"},
    {"fingerprint-height", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_height,
        "Fingerprint height in pixels (default: 400)", "PX"},
    {"title", 0, 0, G_OPTION_ARG_STRING, &o->title,
        "Write TEXT over the fingerprint", "TEXT"},
    {"title-overlay", 0, 0, G_OPTION_ARG_NONE, &o->title_overlay,
        "Write the film's title over the fingerprint", NULL},
    {"ring", 0, 0, G_OPTION_ARG_NONE, &o->ring,
        "Draw the fingerprint as a ring (square, time clockwise)", NULL},
    {"swatch-width", 0, 0, G_OPTION_ARG_INT, &o->swatch_width,
        "Swatch width in pixels (default: 1000)", "PX"},
    {"swatch-height", 0, 0, G_OPTION_ARG_INT, &o->swatch_height,
        "Swatch height in pixels (default: 200)", "PX"},
    {NULL}
  };
  const GOptionEntry analysis_entries[] = {
    {"mode", 0, 0, G_OPTION_ARG_STRING, &o->mode,
        "framedecimate mode: seek (default: --count frames reached by "
          "seeking), every-nth (default with --step), interval, count, scene, "
          "keyframes",
        "MODE"},
    {"step", 0, 0, G_OPTION_ARG_INT, &o->step,
        "every-nth: keep one frame in N (default 60)", "N"},
    {"interval", 0, 0, G_OPTION_ARG_DOUBLE, &o->interval,
        "interval: keep one frame every SECONDS", "SECONDS"},
    {"count", 0, 0, G_OPTION_ARG_INT, &o->count,
        "seek, count: keep N frames spread over the film (default 100)",
        "N"},
    {"colors", 'k', 0, G_OPTION_ARG_INT, &o->colors,
        "Palette size for color films (default 10)", "N"},
    {"gray-levels", 0, 0, G_OPTION_ARG_INT, &o->gray_levels,
        "Palette size for black-and-white films (default 4)", "N"},
    {"bw-mode", 0, 0, G_OPTION_ARG_STRING, &o->bw_mode,
        "auto, color or gray", "MODE"},
    {"seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
        "Clustering seed: same film and seed, same palette", "N"},
    {"fingerprint-colors", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_colors,
        "Dominant colors kept per sampled frame (default 5)", "N"},
    {"stall-timeout", 0, 0, G_OPTION_ARG_INT, &o->stall_timeout,
        "Give a film up when no frame is decoded in SECONDS (default 30, "
          "0: wait for ever)", "SECONDS"},
    {"set-decimate", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->decimate_props,
        "Set any framedecimate property (repeatable)", "PROP=VALUE"},
    {"set-sink", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sink_props,
        "Set any palettesink property (repeatable)", "PROP=VALUE"},
    {NULL}
  };
  const GOptionEntry main_entries[] = {
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->inputs,
        NULL, NULL},
    {NULL}
  };
  GOptionContext *context;
  GOptionGroup *group;

  context = g_option_context_new ("[FILE...] | [--catalog CATALOG] DIR... | "
      "list|draw|import|export|merge ...");
  g_option_context_set_summary (context,
      "Find the dominant colors of films with GStreamer "
      "(framedecimate ! palettesink).\n\n"
      "  gst-palette FILE           print the palette of a film\n"
      "  gst-palette                the same on a built-in demo clip\n"
      "  gst-palette -c CATALOG DIR update a catalog of a library in which\n"
      "                             each folder \"Title (Year, Director)\" "
      "holds one film\n\n"
      "The catalog without decoding:\n"
      "  gst-palette list -c CATALOG [--only TITLE] [--json]\n"
      "                             its films and their palettes\n"
      "  gst-palette draw -c CATALOG -o DIR\n"
      "                             fingerprint, ring and swatch images\n"
      "  gst-palette import -c CATALOG.db FILE.json...\n"
      "  gst-palette export -c CATALOG.db FILE.json\n"
      "                             between SQLite and the notebook's JSON\n\n"
      "Across machines (docs/cluster.md):\n"
      "  gst-palette list DIR --todo [-0]\n"
      "                             the film folders still to do\n"
      "  gst-palette --shard K/N --results RESULTS DIR\n"
      "                             one worker's share, one file per film\n"
      "  gst-palette merge -c CATALOG.db RESULTS|SHARD.db...\n"
      "                             results into the catalog");
  g_option_context_set_description (context,
      "Exit status: 0 when every film was done or skipped; 3 when some "
      "failed for good\n(bad media, one line each on standard error); 75 "
      "when something failed that a\nretry may mend (a read error, a stall, "
      "the catalog busy, a disk full); 2 for bad\nusage or an unusable "
      "catalog; 128+N when stopped by signal N (the catalog or\nthe results "
      "folder then holds every film finished before).\n");
  g_option_context_add_main_entries (context, main_entries, NULL);
  g_option_context_add_main_entries (context, library_entries, NULL);

  group = g_option_group_new ("cluster", "Across machines (docs/cluster.md):",
      "Show the options for running on many machines", NULL, NULL);
  g_option_group_add_entries (group, cluster_entries);
  g_option_context_add_group (context, group);
  group = g_option_group_new ("output", "Output options:",
      "Show the output options", NULL, NULL);
  g_option_group_add_entries (group, output_entries);
  g_option_context_add_group (context, group);
  group = g_option_group_new ("analysis", "Analysis options:",
      "Show the analysis options", NULL, NULL);
  g_option_group_add_entries (group, analysis_entries);
  g_option_context_add_group (context, group);
  g_option_context_add_group (context, gst_init_get_option_group ());
  return context;
}

static void
options_clear (Options * o)
{
  g_free (o->catalog_path);
  g_free (o->only);
  g_strfreev (o->films);
  g_free (o->films_from);
  g_free (o->shard);
  g_free (o->results_dir);
  g_free (o->events_path);
  g_free (o->output_dir);
  g_free (o->json_file);
  g_free (o->fingerprint_file);
  g_free (o->swatch_file);
  g_free (o->title);
  g_free (o->mode);
  g_free (o->bw_mode);
  g_strfreev (o->decimate_props);
  g_strfreev (o->sink_props);
  g_strfreev (o->inputs);
}

static gboolean
check_options (Options * o, GPtrArray * files, GPtrArray * dirs)
{
  gchar **input;

  for (input = o->inputs; input != NULL && *input != NULL; input++) {
    if (g_file_test (*input, G_FILE_TEST_IS_DIR))
      g_ptr_array_add (dirs, g_strdup (*input));
    else if (g_file_test (*input, G_FILE_TEST_EXISTS))
      g_ptr_array_add (files, g_strdup (*input));
    else {
      fprintf (stderr, "gst-palette: %s: no such file or folder\n", *input);
      return FALSE;
    }
  }
  if (files->len > 0 && (dirs->len > 0 || o->catalog_path != NULL)) {
    fprintf (stderr, "gst-palette: %s is a file: with a catalog, give library "
        "folders (each sub-folder is a film)\n",
        (const gchar *) files->pdata[0]);
    return FALSE;
  }
  if ((o->films || o->films_from || o->shard || o->results_dir) &&
      dirs->len != 1) {
    fprintf (stderr, "gst-palette: --film, --films-from, --shard and "
        "--results work on one library folder: give it\n");
    return FALSE;
  }
  if (o->results_dir != NULL && o->catalog_path != NULL) {
    fprintf (stderr, "gst-palette: --results writes one file per film "
        "instead of a catalog; merge them afterwards with gst-palette merge "
        "-c %s %s\n", o->catalog_path, o->results_dir);
    return FALSE;
  }
  if (o->nul_separated && o->films_from == NULL) {
    fprintf (stderr, "gst-palette: -0 reads --films-from NUL-separated: give "
        "--films-from\n");
    return FALSE;
  }
  if (dirs->len > 0 && o->catalog_path == NULL && o->results_dir == NULL)
    o->catalog_path = default_catalog (dirs->pdata[0]);
  if ((o->only != NULL || o->recalc || o->retry_failed) &&
      o->catalog_path == NULL && o->results_dir == NULL) {
    fprintf (stderr, "gst-palette: --only, --recalc and --retry-failed work "
        "on a catalog "
        "(--catalog FILE or library folders)\n");
    return FALSE;
  }
  if ((o->json_file || o->fingerprint_file || o->swatch_file) &&
      (files->len > 1 || dirs->len > 0 || o->catalog_path != NULL)) {
    fprintf (stderr, "gst-palette: --write-json, --fingerprint and --swatch "
        "name one film's files; use --output-dir for several\n");
    return FALSE;
  }
  if (o->jobs <= 0)
    o->jobs = g_get_num_processors ();
  if (o->fingerprint_width < 0 || o->fingerprint_height < 0 ||
      o->bar_width < 0 || o->swatch_width < 0 || o->swatch_height < 0) {
    fprintf (stderr, "gst-palette: image sizes must be positive\n");
    return FALSE;
  }
  if (o->output_dir != NULL &&
      g_mkdir_with_parents (o->output_dir, 0755) != 0) {
    fprintf (stderr, "gst-palette: %s: %s\n", o->output_dir,
        g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  Options options = { 0, };
  Run run = { 0, };
  GOptionContext *context;
  GError *error = NULL;
  GPtrArray *files, *dirs;
  gint status;

  /* GOption converts string options from the locale's charset: without
   * this, "C", and --only "Amélie" is refused. */
  setlocale (LC_ALL, "");
  options.seed = -1;
  options.fingerprint_colors = -1;
  options.stall_timeout = 30;
  context = make_option_context (&options);
  /* A verb comes first, as git's do: "list" is the verb even where a file
   * of that name exists (./list is the file). */
  if (argc > 1 && g_strv_contains (catalog_verbs, argv[1])) {
    options.verb = argv[1];
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    fprintf (stderr, "gst-palette: %s\nTry 'gst-palette --help'.\n",
        error->message);
    g_error_free (error);
    g_option_context_free (context);
    options_clear (&options);
    return EXIT_USAGE;
  }
  g_option_context_free (context);
  if (options.version) {
    gchar *gst_version = gst_version_string ();

    printf ("gst-palette %s (%s)\n", VERSION, gst_version);
    g_free (gst_version);
    options_clear (&options);
    return EXIT_SUCCESS;
  }

  files = g_ptr_array_new_with_free_func (g_free);
  dirs = g_ptr_array_new_with_free_func (g_free);
  run.options = &options;
  /* https://no-color.org: a set NO_COLOR turns the swatches off. */
  run.color_output = terminal_is_tty (stdout) && g_getenv ("NO_COLOR") == NULL;
  if (options.verb != NULL) {
    status = run_verb (&run, options.inputs);
  } else if (!check_options (&options, files, dirs) ||
      !open_events (&run) || !parse_shard (&run) ||
      !build_settings (&options, &run.settings, files->len == 0
          && dirs->len == 0 && options.catalog_path == NULL)) {
    status = EXIT_USAGE;
  } else if (!analysis_ensure_plugins (&error) ||
      !analysis_check_settings (&run.settings, &error)) {
    fprintf (stderr, "gst-palette: %s\n", error->message);
    g_error_free (error);
    status = EXIT_USAGE;
  } else {
    run.runner = runner_new (&run.settings, options.jobs, !options.quiet &&
        terminal_is_tty (stderr), on_film_done, &run);
    runner_set_started_func (run.runner, on_film_started);
    if (options.catalog_path != NULL || options.results_dir != NULL)
      status = run_catalog (&run, dirs);
    else if (files->len > 0)
      status = run_files (&run, files);
    else
      status = run_demo (&run);
  }

  if (run.events != NULL) {
    JsonObject *details = json_object_new ();

    json_object_set_int_member (details, "exit_status", status);
    json_object_set_int_member (details, "failed_for_good",
        run.failed_for_good);
    json_object_set_int_member (details, "failed_transient",
        run.failed_transient);
    events_write (run.events, "end", NULL, details);
    events_close (run.events);
  }
  runner_free (run.runner);
  if (run.json_file)
    catalog_json_file_close (run.json_file);
  else if (run.db)
    catalog_db_close (run.db);
  if (run.settings.decimate_props)
    g_ptr_array_unref (run.settings.decimate_props);
  if (run.settings.sink_props)
    g_ptr_array_unref (run.settings.sink_props);
  g_ptr_array_unref (files);
  g_ptr_array_unref (dirs);
  options_clear (&options);
  render_cleanup ();
  gst_deinit ();
  return status;
}
