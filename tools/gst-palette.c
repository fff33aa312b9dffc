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
#include "claims.h"
#include "demo-clip.h"
#include "escape.h"
#include "events.h"
#include "film-key.h"
#include "film-list.h"
#include "live.h"
#include "merge.h"
#include "output-name.h"
#include "record.h"
#include "palette-export.h"
#include "render.h"
#include "results.h"
#include "runner.h"
#include "score.h"
#include "stale-files.h"
#include "terminal.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

/* Exit statuses an engine (Slurm, GNU parallel, Kubernetes) can act on:
 * retrying a film of bad media gives the same failure, a transient one
 * (a read error on the NAS, the catalog busy, a disk full) may pass. */
#define EXIT_USAGE 2
#define EXIT_FAILED_FOR_GOOD 3
#define EXIT_TEMPFAIL 75        /* sysexits.h's EX_TEMPFAIL */

/* A numeric option not given: the element's default is kept. Any value the
 * user gives, 0 and negative ones too, is checked against its range. */
#define OPTION_UNSET G_MININT

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
  const RenderColor *background;        /* NULL: black */
  gchar *csv_file;
  gchar **palette_files;
  gboolean version;
  /* element settings; unset ones keep the element defaults */
  gchar *mode;
  gint step;
  gint min_frames;
  gdouble interval;
  gboolean interval_set;
  gint count;
  gint colors;
  gint gray_levels;
  gchar *bw_mode;
  gint64 seed;
  gint fingerprint_colors;
  gboolean keep_borders;
  gint stall_timeout;
  gboolean allow_special;
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
  gchar *chosen_state;          /* catalog mode: the film's palettes and
                                 * failures when the run chose it */
  gchar *claim_key;             /* catalog mode: its claim file's name */
} Film;

typedef struct
{
  Options *options;
  AnalysisSettings settings;
  /* Catalog mode: the catalog's database, and the JSON file it came from
   * when the catalog is the notebook's JSON (then DB is a scratch copy). */
  CatalogDb *db;
  CatalogJsonFile *json_file;
  Claims *claims;               /* catalog mode: the films this run holds */
  guint held_elsewhere;         /* films another run was analysing */
  guint done_elsewhere;         /* films another run did since we chose */
  GPtrArray *other_runs;        /* "host pid N" of the runs that held them */
  Runner *runner;
  OutputNames *output_names;    /* the -o names given so far */
  Events *events;
  guint shard_index;
  guint shard_count;            /* 0: no --shard */
  guint failed_for_good;        /* bad media: a retry fails the same */
  guint failed_transient;       /* may pass: worth a retry */
  gboolean color_output;
  gboolean json_lines;          /* --json with several films: one a line */
} Run;

static void
film_free (Film * film)
{
  g_free (film->title);
  g_free (film->output_name);
  g_free (film->name);
  g_free (film->chosen_state);
  g_free (film->claim_key);
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
  gchar *message, *shown;

  if (run->runner)
    runner_clear_progress (run->runner);
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages name files and folders: escape sequences in those names must
   * not reach the terminal. */
  shown = escape_line_for_terminal (message);
  fputs (shown, out);
  fflush (out);
  g_free (shown);
  g_free (message);
}

/* A message on standard error, names in it escaped (see say()). */
static void
warn (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

static void
warn (const gchar * format, ...)
{
  va_list args;
  gchar *message, *shown;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  shown = escape_line_for_terminal (message);
  fputs (shown, stderr);
  g_free (shown);
  g_free (message);
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

/* --csv and --export-palette, their paths checked before the analysis */
static gboolean
write_exports (Options * o, Film * film, JsonObject * record, GError ** error)
{
  gchar **spec;

  if (o->csv_file != NULL && !palette_export_csv (record, o->csv_file, error))
    return FALSE;
  for (spec = o->palette_files; spec != NULL && *spec != NULL; spec++) {
    PaletteFormat format;
    const gchar *file;

    if (!palette_export_parse (*spec, &format, &file, error) ||
        !palette_export_write (record, format, file, film->title, error))
      return FALSE;
  }
  return TRUE;
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
      o->title ? o->title : o->title_overlay ? film->title : NULL, o->ring,
      o->background
    };
    cairo_surface_t *surface = render_fingerprint (record, &fo, error);

    ok = surface != NULL && render_write_png (surface, fingerprint_path, error);
    if (surface)
      cairo_surface_destroy (surface);
  }
  if (ok && swatch_path != NULL) {
    cairo_surface_t *surface = render_swatch_full (record, o->swatch_width,
        o->swatch_height, o->background, error);

    ok = surface != NULL && render_write_png (surface, swatch_path, error);
    if (surface)
      cairo_surface_destroy (surface);
  }
  if (ok)
    ok = write_exports (o, film, record, error);
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
    /* One record is a JSON document as the record file holds it; several
     * are JSON Lines, which json.loads and jq read one line at a time. */
    gchar *data = record_to_data (record, !run->json_lines, NULL);

    /* JSON escapes control characters by itself: printed as it is. */
    runner_clear_progress (run->runner);
    printf ("%s\n", data);
    fflush (stdout);
    g_free (data);
  } else if (!run->options->quiet || (film->movie_id < 0 &&
          film->folder == NULL)) {
    gchar *shown = escape_for_terminal (film->title);

    runner_clear_progress (run->runner);
    terminal_print_palette (stdout, record, shown, run->color_output, NULL);
    g_free (shown);
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
  Run *run = user_data;

  if (record != NULL)
    film_succeeded (run, film, analysis, record);
  else
    film_failed (run, film, error, FALSE,
        failure == ANALYSIS_FAILURE_TRANSIENT);
  /* After its result is stored: a run that claims it next sees it done. */
  if (run->claims != NULL)
    claims_release (run->claims, ((Film *) film)->movie_id);
}

static void skip_film (Run * run, const gchar * title, const gchar * reason);

static void
note_other_run (Run * run, ClaimHolder * holder)
{
  gchar *other = claim_holder_describe (holder);
  guint i;

  for (i = 0; i < run->other_runs->len; i++)
    if (g_str_equal (run->other_runs->pdata[i], other))
      break;
  if (i == run->other_runs->len)
    g_ptr_array_add (run->other_runs, other);
  else
    g_free (other);
}

/* Just before FILM starts: claims it in the catalog, unless another run is
 * analysing it or stored its result since this run chose it. */
static RunnerClaim
on_film_claim (Runner * runner, gpointer film, gpointer user_data)
{
  Run *run = user_data;
  Film *f = film;
  ClaimHolder other = { 0, };
  GError *error = NULL;
  JsonObject *details;

  if (run->claims == NULL || f->movie_id < 0)
    return RUNNER_CLAIM_START;
  switch (claims_take (run->claims, f->movie_id, f->claim_key,
          f->chosen_state, &other, &error)) {
    case CLAIM_TAKEN:
      return RUNNER_CLAIM_START;
    case CLAIM_HELD:
      run->held_elsewhere++;
      note_other_run (run, &other);
      claim_holder_clear (&other);
      skip_film (run, f->name, "claimed by another run");
      return RUNNER_CLAIM_SKIP;
    case CLAIM_DONE:
      run->done_elsewhere++;
      skip_film (run, f->name, "done by another run");
      return RUNNER_CLAIM_SKIP;
    case CLAIM_ERROR:
      break;
  }
  /* Not analysed, so that no other run's work is repeated: worth a retry
   * (the catalog busy past its timeout, a full disk). */
  run->failed_transient++;
  say (run, stderr, "gst-palette: %s: could not claim it in the catalog: "
      "%s\n", f->title, error->message);
  details = json_object_new ();
  json_object_set_string_member (details, "class", "transient");
  json_object_set_string_member (details, "error", error->message);
  events_write (run->events, "fail", f->name, details);
  g_error_free (error);
  return RUNNER_CLAIM_FAILED;
}

static Film *
film_new (const gchar * title, gint64 movie_id)
{
  Film *film = g_new0 (Film, 1);

  film->title = g_strdup (title);
  film->movie_id = movie_id;
  return film;
}

/* The base name of FILM's -o files: OUTPUT_NAME, unless an earlier film of
 * the run has it or it is too long for a file name (see output-name.h);
 * the user is told where the files of a renamed film go. */
static void
name_outputs (Run * run, Film * film, const gchar * path,
    const gchar * output_name)
{
  gboolean renamed = FALSE;

  if (run->output_names == NULL)
    run->output_names = output_names_new ();
  film->output_name = output_names_claim (run->output_names, output_name,
      &renamed);
  if (renamed && run->options->output_dir != NULL)
    say (run, stderr, "gst-palette: %s: its files in %s are named %s "
        "(%s)\n", path ? path : film->title, run->options->output_dir,
        film->output_name, strlen (output_name) > OUTPUT_NAME_MAX ?
        "its name is too long for a file name" : "another film of this run "
        "has its name");
}

static Film *
queue_film (Run * run, const gchar * title, const gchar * name,
    const gchar * path, const gchar * output_name, gint64 movie_id,
    CatalogFolder * folder)
{
  Film *film = film_new (title, movie_id);

  name_outputs (run, film, path, output_name);
  film->name = g_filename_display_name (name);
  film->folder = folder;
  runner_add (run->runner, title, path, film, (GDestroyNotify) film_free);
  return film;
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

/* The name a user knows a signal by: "Interrupt" (strsignal) is not. */
static const gchar *
signal_name (gint signum)
{
  switch (signum) {
    case SIGINT:
      return "SIGINT (Ctrl+C)";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return g_strsignal (signum);
  }
}

/* Temporaries that a killed run left in the folders this run writes to:
 * -o, --results, and the catalog's own beside it. */
static void
remove_stale_files (Run * run)
{
  Options *o = run->options;
  guint removed = 0;

  if (o->output_dir != NULL)
    removed += stale_files_remove (o->output_dir, STALE_FILES_OUTPUT_PATTERN,
        STALE_FILES_MIN_AGE_SECONDS);
  if (o->results_dir != NULL)
    removed += stale_files_remove (o->results_dir,
        STALE_FILES_OUTPUT_PATTERN, STALE_FILES_MIN_AGE_SECONDS);
  if (o->catalog_path != NULL) {
    gchar *dir = g_path_get_dirname (o->catalog_path);
    gchar *base = g_path_get_basename (o->catalog_path);
    gchar *escaped = g_regex_escape_string (base, -1);
    gchar *pattern = g_strdup_printf ("^%s\\.%s$", escaped,
        STALE_FILES_RANDOM);

    removed += stale_files_remove (dir, pattern, STALE_FILES_MIN_AGE_SECONDS);
    g_free (pattern);
    g_free (escaped);
    g_free (base);
    g_free (dir);
  }
  if (removed > 0 && !o->quiet)
    say (run, stderr, "gst-palette: removed %u temporary file%s left by an "
        "earlier run that was killed\n", removed, removed == 1 ? "" : "s");
}

static gboolean
on_renew_claims (gpointer user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  if (!claims_renew (run->claims, &error)) {
    /* Told, not fatal: the next renewal may pass, and a claim that lapsed
     * costs at worst a film analysed twice. */
    say (run, stderr, "gst-palette: could not renew this run's claims in "
        "the catalog: %s\n", error->message);
    g_error_free (error);
  }
  return G_SOURCE_CONTINUE;
}

/* What the run left to other runs on the same catalog. */
static void
tell_films_of_others (Run * run)
{
  if (run->options->quiet)
    return;
  if (run->held_elsewhere > 0) {
    GString *others = g_string_new (NULL);
    guint i;

    for (i = 0; i < run->other_runs->len; i++)
      g_string_append_printf (others, "%s%s", i > 0 ? ", " : "",
          (const gchar *) run->other_runs->pdata[i]);
    fprintf (stderr, "gst-palette: %u film%s being analysed by another run "
        "(%s), skipped\n", run->held_elsewhere,
        run->held_elsewhere == 1 ? "" : "s", others->str);
    g_string_free (others, TRUE);
  }
  if (run->done_elsewhere > 0)
    fprintf (stderr, "gst-palette: %u film%s analysed by another run since "
        "this one started, skipped\n", run->done_elsewhere,
        run->done_elsewhere == 1 ? "" : "s");
}

/* Runs the queued films; returns the process exit status. */
static gint
run_films (Run * run)
{
  gint signum;
  guint total, finished, failed, renew_timer = 0;

  remove_stale_files (run);
  if (run->claims != NULL)
    renew_timer = g_timeout_add_seconds (CLAIM_RENEW_SECONDS,
        on_renew_claims, run);
  signum = runner_run (run->runner);
  if (renew_timer != 0)
    g_source_remove (renew_timer);
  /* A stopped run's films are free for the next at once. */
  if (run->claims != NULL)
    claims_release_all (run->claims);
  tell_films_of_others (run);
  total = runner_get_total (run->runner);
  finished = runner_get_finished (run->runner);
  failed = run->failed_for_good + run->failed_transient;
  if (signum != 0) {
    fprintf (stderr, "gst-palette: interrupted by %s; %u of %u film%s "
        "finished%s, %u not done\n", signal_name (signum), finished, total,
        total == 1 ? "" : "s",
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
  Film *queued;

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
      warn ("gst-palette: %s: %s, skipped\n", film->title,
          film->status ? film->status : "no file path");
    g_free (folder_name);
    return;
  }
  if (g_strcmp0 (reason, "done") == 0) {
    selection->done++;
    if (o->only != NULL && !o->quiet)
      warn ("gst-palette: %s: has a palette already, skipped "
          "(--recalc computes a new one)\n", film->title);
    g_free (folder_name);
    return;
  }
  if (reason != NULL) {
    selection->failed_before++;
    if (!o->quiet)
      warn ("gst-palette: %s: failed before (%s; %u attempt%s, "
          "the last %s), skipped\n", film->title, film->error,
          film->attempts, film->attempts == 1 ? "" : "s",
          film->last_attempt ? film->last_attempt : "at an unknown date");
    g_free (folder_name);
    return;
  }
  name = catalog_film_describe (film);
  queued = queue_film (run, film->title, folder_name, full_path, name,
      film->movie_id, NULL);
  queued->chosen_state = claim_film_state (film);
  queued->claim_key = film_key_file_stem (folder_name);
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
        warn ("gst-palette: %s: %s, skipped\n", folder->title,
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
        /* A JSON catalog kept in the library has its fingerprint and
         * claims folders there, NAME.fingerprints and NAME.claims beside
         * NAME.json: not films. */
        catalog_json_is_own_dir (path)) {
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

      warn ("gst-palette: %s: no such film folder in the library "
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
    warn ("gst-palette: %s\n", error->message);
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
    warn ("gst-palette: %s\n", error->message);
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
  warn ("gst-palette: %s\n", error->message);
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
    warn ("gst-palette: %s\n", error->message);
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
      warn ("gst-palette: %s\n", error->message);
      g_error_free (error);
      return EXIT_TEMPFAIL;
    }
    if (!queue_result_films (run, library_dirs->pdata[0], &selection))
      return EXIT_USAGE;
  } else {
    gchar *since = catalog_now_iso8601 ();

    if (!open_catalog (run, &error)) {
      gboolean transient = error_is_transient (error);

      fprintf (stderr, "gst-palette: %s\ngst-palette: the catalog was left "
          "untouched%s\n", error->message, transient ? "; try again" :
          "; give another --catalog file or repair this one");
      g_error_free (error);
      g_free (since);
      return transient ? EXIT_TEMPFAIL : EXIT_USAGE;
    }
    run->claims = claims_new (run->db, run->json_file, since);
    g_free (since);
    run->other_runs = g_ptr_array_new_with_free_func (g_free);
    for (i = 0; i < library_dirs->len; i++)
      if (!sync_library (run, library_dirs->pdata[i], &selection))
        return run->failed_transient > 0 ? EXIT_TEMPFAIL : EXIT_USAGE;
    if (library_dirs->len == 0 && !queue_catalog_films (run, &selection))
      return EXIT_USAGE;
  }

  if (o->only != NULL && selection.matched == 0) {
    warn ("gst-palette: --only \"%s\": no film with that title in "
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

/* The last part of a file's path, or of a URI's path, unescaped
 * ("http://host/My%20Film.mp4": "My Film.mp4"), else the URI's host. */
static gchar *
film_base_name (const gchar * file)
{
  GUri *uri;
  gchar *base;

  if (strstr (file, "://") == NULL || !gst_uri_is_valid (file) ||
      (uri = g_uri_parse (file, G_URI_FLAGS_NONE, NULL)) == NULL)
    return g_path_get_basename (file);
  base = g_path_get_basename (g_uri_get_path (uri));
  if (g_str_equal (base, "/") || g_str_equal (base, ".")) {
    g_free (base);
    base = g_strdup (g_uri_get_host (uri) ? g_uri_get_host (uri) : "stream");
  }
  g_uri_unref (uri);
  return base;
}

static gint
run_files (Run * run, GPtrArray * files)
{
  guint i;

  for (i = 0; i < files->len; i++) {
    gchar *base = film_base_name (files->pdata[i]);
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
  /* This process reads its own bus: the QoS message a decoder posts for
   * each frame it skips costs nothing, the skipped decoding saves. */
  add_prop (&s->decimate_props, "skip-ahead", "true");
  if (o->mode)
    add_prop (&s->decimate_props, "mode", o->mode);
  else if (!demo)
    /* Issue #20's rule: the fastest mode whose palette stays within
     * 0.3 ΔE2000 of every-nth's: seek decodes about --count frames, 0.02-
     * 0.04x the decode of a long film (docs/benchmarks.md). Short films,
     * where seeking saves nothing, it reads through. */
    add_prop (&s->decimate_props, "mode", "seek");
  if (o->step != OPTION_UNSET)
    add_int_prop (&s->decimate_props, "step", o->step);
  else if (demo && o->mode == NULL) {
    /* 250 frames: keep 50, so that the fingerprint has something to show
     * (and not min-frames' 125). */
    add_int_prop (&s->decimate_props, "step", 5);
    if (o->min_frames == OPTION_UNSET)
      add_int_prop (&s->decimate_props, "min-frames", 0);
  }
  if (o->min_frames != OPTION_UNSET)
    add_int_prop (&s->decimate_props, "min-frames", o->min_frames);
  if (o->interval_set)
    add_int_prop (&s->decimate_props, "interval",
        (gint64) (o->interval * GST_SECOND));
  if (o->count != OPTION_UNSET)
    add_int_prop (&s->decimate_props, "count", o->count);
  if (o->colors != OPTION_UNSET)
    add_int_prop (&s->sink_props, "colors", o->colors);
  if (o->gray_levels != OPTION_UNSET)
    add_int_prop (&s->sink_props, "gray-levels", o->gray_levels);
  if (o->bw_mode)
    add_prop (&s->sink_props, "bw-mode", o->bw_mode);
  if (o->seed != G_MININT64)
    add_int_prop (&s->sink_props, "seed", o->seed);
  if (o->keep_borders)
    add_prop (&s->sink_props, "crop-borders", "false");
  s->stall_timeout = MAX (o->stall_timeout, 0);
  s->allow_special = o->allow_special;
  if (o->fingerprint_colors != OPTION_UNSET)
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

/* The verbs that use the catalog alone, without decoding, and score. */
static const gchar *const catalog_verbs[] = {
  "list", "draw", "import", "export", "merge", "score", NULL
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

static gboolean resolve_uri (gchar ** input, gboolean * is_uri);

/* gst-palette score FILM PALETTE.json: the benchmark's metric, the mean
 * CIEDE2000 from the film's pixels to their nearest palette color. */
static gint
run_score (Run * run, gchar ** inputs)
{
  GError *error = NULL;
  ScoreResult score;
  GArray *palette;
  gboolean is_uri;

  if (inputs == NULL || g_strv_length (inputs) != 2) {
    fprintf (stderr, "gst-palette score: give a film and its palette: "
        "gst-palette score FILM PALETTE.json\n");
    return EXIT_USAGE;
  }
  if (!resolve_uri (&inputs[0], &is_uri))
    return EXIT_USAGE;
  if (!is_uri && !g_file_test (inputs[0], G_FILE_TEST_IS_REGULAR)) {
    fprintf (stderr, "gst-palette score: %s: no such file\n", inputs[0]);
    return EXIT_USAGE;
  }
  palette = score_load_palette (inputs[1], &error);
  if (palette == NULL) {
    fprintf (stderr, "gst-palette score: %s\n", error->message);
    g_error_free (error);
    return EXIT_USAGE;
  }
  if (!score_film (inputs[0], palette, 100, &score, &error)) {
    fprintf (stderr, "gst-palette score: %s: %s\n", inputs[0],
        error->message);
    g_error_free (error);
    g_array_unref (palette);
    return EXIT_FAILED_FOR_GOOD;
  }
  if (run->options->print_json)
    printf ("{\"palette_size\": %u, \"frames_total\": %" G_GUINT64_FORMAT
        ", \"frames_sampled\": %u, \"pixels\": %" G_GUINT64_FORMAT
        ", \"de2000\": {\"mean\": %.3f, \"p50\": %.3f, \"p95\": %.3f, "
        "\"max\": %.3f}}\n", palette->len, score.frames_total,
        score.frames_sampled, score.pixels, score.mean, score.p50, score.p95,
        score.max);
  else
    printf ("mean CIEDE2000 %.2f (median %.2f, 95th percentile %.2f, max "
        "%.2f) over %" G_GUINT64_FORMAT " pixels of %u frames, %u colors\n",
        score.mean, score.p50, score.p95, score.max, score.pixels,
        score.frames_sampled, palette->len);
  g_array_unref (palette);
  return EXIT_SUCCESS;
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

  if (g_str_equal (o->verb, "score"))
    return run_score (run, inputs);
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
      o->fingerprint_height, o->title, FALSE, o->background
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

/* --background, parsed as GOption reads it */
static RenderColor background_color;
static gboolean background_given;

static gboolean
parse_background (const gchar * name, const gchar * value, gpointer data,
    GError ** error)
{
  GError *color_error = NULL;

  if (!render_parse_color (value, &background_color, &color_error)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s",
        name, color_error->message);
    g_error_free (color_error);
    return FALSE;
  }
  background_given = TRUE;
  return TRUE;
}

/* One film's --csv and --export-palette: known formats, and folders that
 * take the files, found out before the film is decoded. */
static gboolean
check_export_options (Options * o, GPtrArray * files, GPtrArray * dirs)
{
  GError *error = NULL;
  gchar **spec;

  if ((o->csv_file || o->palette_files) &&
      (files->len > 1 || dirs->len > 0 || o->catalog_path != NULL)) {
    fprintf (stderr, "gst-palette: --csv and --export-palette name one "
        "film's files: give one film\n");
    return FALSE;
  }
  if (o->csv_file != NULL && o->fingerprint_colors == 0) {
    fprintf (stderr, "gst-palette: --csv writes the fingerprint, which "
        "--fingerprint-colors=0 leaves out\n");
    return FALSE;
  }
  if (o->csv_file != NULL &&
      !palette_export_check_path (o->csv_file, &error)) {
    fprintf (stderr, "gst-palette: --csv: %s\n", error->message);
    g_error_free (error);
    return FALSE;
  }
  for (spec = o->palette_files; spec != NULL && *spec != NULL; spec++) {
    PaletteFormat format;
    const gchar *file;

    if (!palette_export_parse (*spec, &format, &file, &error) ||
        !palette_export_check_path (file, &error)) {
      fprintf (stderr, "gst-palette: --export-palette: %s\n",
          error->message);
      g_error_free (error);
      return FALSE;
    }
  }
  return TRUE;
}

/* The options of the main group get the Options as data. */
static gboolean
parse_interval (const gchar * name, const gchar * value, gpointer data,
    GError ** error)
{
  Options *o = data;
  gchar *end = NULL;
  gdouble seconds = g_ascii_strtod (value, &end);

  if (end == value || *end != '\0' || !isfinite (seconds)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "Cannot parse number of seconds \"%s\" for %s", value, name);
    return FALSE;
  }
  o->interval = seconds;
  o->interval_set = TRUE;
  return TRUE;
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
    {"fingerprint-width", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_width,
        "Fingerprint width in pixels, bars resampled (default: one bar per "
          "sampled frame)", "PX"},
    {"bar-width", 0, 0, G_OPTION_ARG_INT, &o->bar_width,
        "Width of one frame's bar (default: about 1000 pixels in all)", "PX"},
    {"fingerprint-height", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_height,
        "Fingerprint height in pixels (default: its width, square)", "PX"},
    {"title", 0, 0, G_OPTION_ARG_STRING, &o->title,
        "Write TEXT over the fingerprint (\\n breaks the line)", "TEXT"},
    {"title-overlay", 0, 0, G_OPTION_ARG_NONE, &o->title_overlay,
        "Write the film's title over the fingerprint", NULL},
    {"ring", 0, 0, G_OPTION_ARG_NONE, &o->ring,
        "Draw the fingerprint as a ring (square, time clockwise)", NULL},
    {"swatch-width", 0, 0, G_OPTION_ARG_INT, &o->swatch_width,
        "Swatch width in pixels (default: 1000)", "PX"},
    {"swatch-height", 0, 0, G_OPTION_ARG_INT, &o->swatch_height,
        "Swatch height in pixels (default: 200)", "PX"},
    {"background", 0, 0, G_OPTION_ARG_CALLBACK, parse_background,
        "Background of the ring and of the swatch's label band: transparent, "
          "black (default), white, a color name or #RRGGBB", "COLOR"},
    {"csv", 0, 0, G_OPTION_ARG_FILENAME, &o->csv_file,
        "Write the fingerprint to FILE as CSV, a row per color of each "
          "sampled frame (one film only)", "FILE"},
    {"export-palette", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->palette_files,
        "Write the palette for other tools, the format from the suffix: "
          ".gpl (GIMP), .css (custom properties), .ase (Adobe), .png (a "
          "strip); palettegen:FILE.png for ffmpeg's 16x16 (repeatable, one "
          "film only)", "FILE"},
    {NULL}
  };
  const GOptionEntry analysis_entries[] = {
    {"gray-levels", 0, 0, G_OPTION_ARG_INT, &o->gray_levels,
        "Palette size for black-and-white films (default 4)", "N"},
    {"bw-mode", 0, 0, G_OPTION_ARG_STRING, &o->bw_mode,
        "auto, color or gray", "MODE"},
    {"seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
        "Clustering seed: same film and seed, same palette", "N"},
    {"fingerprint-colors", 0, 0, G_OPTION_ARG_INT, &o->fingerprint_colors,
        "Dominant colors kept per sampled frame (default 5)", "N"},
    {"keep-borders", 0, 0, G_OPTION_ARG_NONE, &o->keep_borders,
        "Count letterbox and pillarbox bars as colors (by default they are "
          "found and left out)", NULL},
    {"stall-timeout", 0, 0, G_OPTION_ARG_INT, &o->stall_timeout,
        "Give a film up when it makes no progress for SECONDS, at any point "
          "(default 30, 0: wait for ever)", "SECONDS"},
    {"allow-special", 0, 0, G_OPTION_ARG_NONE, &o->allow_special,
        "Read FIFOs and devices as films too (default: regular files only)",
        NULL},
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
  /* The options people use most, shown by the main --help. */
  const GOptionEntry common_entries[] = {
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
    {"mode", 0, 0, G_OPTION_ARG_STRING, &o->mode,
        "How frames are sampled: seek (the default), every-nth, interval, "
          "count, scene, keyframes (--step and --interval choose theirs)",
        "MODE"},
    {"step", 0, 0, G_OPTION_ARG_INT, &o->step,
        "Keep one frame in N, reading the whole film (--mode=every-nth; "
          "default 60)", "N"},
    {"min-frames", 0, 0, G_OPTION_ARG_INT, &o->min_frames,
        "--mode=every-nth on a film too short for N frames at --step: keep N "
          "frames spread over it instead (default 100; 0: one in --step "
          "whatever the length)", "N"},
    {"interval", 0, 0, G_OPTION_ARG_CALLBACK, parse_interval,
        "Keep one frame every SECONDS (--mode=interval)", "SECONDS"},
    {"count", 0, 0, G_OPTION_ARG_INT, &o->count,
        "Keep N frames spread over the film, reached by seeking (--mode=seek, "
          "the default) or by reading it all (--mode=count); default 100",
        "N"},
    {"colors", 'k', 0, G_OPTION_ARG_INT, &o->colors,
        "Palette size for color films (default 10)", "N"},
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
  /* The main group carries O for parse_interval */
  group = g_option_group_new (NULL, NULL, NULL, o, NULL);
  g_option_context_set_main_group (context, group);
  g_option_context_add_main_entries (context, main_entries, NULL);
  g_option_context_add_main_entries (context, common_entries, NULL);
  g_option_context_add_main_entries (context, library_entries, NULL);

  group = g_option_group_new ("cluster", "Across machines (docs/cluster.md):",
      "Show the options for running on many machines", NULL, NULL);
  g_option_group_add_entries (group, cluster_entries);
  g_option_context_add_group (context, group);
  group = g_option_group_new ("output", "Output options:",
      "Show the image size and title options", NULL, NULL);
  g_option_group_add_entries (group, output_entries);
  g_option_context_add_group (context, group);
  group = g_option_group_new ("analysis", "Analysis options:",
      "Show the other analysis options", NULL, NULL);
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
  g_free (o->csv_file);
  g_strfreev (o->palette_files);
  g_free (o->mode);
  g_free (o->bw_mode);
  g_strfreev (o->decimate_props);
  g_strfreev (o->sink_props);
  g_strfreev (o->inputs);
}

/* A number given to OPTION, checked against the range of the property it
 * sets, so that a mistake is told rather than replaced by the default. */
static gboolean
check_range (const gchar * option, gint64 value, gint64 min, gint64 max,
    const gchar * unit)
{
  if (value == OPTION_UNSET || (value >= min && value <= max))
    return TRUE;
  if (max == G_MAXINT)
    fprintf (stderr, "gst-palette: --%s takes %s, %"
        G_GINT64_FORMAT " or more, not %" G_GINT64_FORMAT "\n", option, unit,
        min, value);
  else
    fprintf (stderr, "gst-palette: --%s takes %s from %"
        G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
        "\n", option, unit, min, max, value);
  return FALSE;
}

static gboolean
check_choice (const gchar * option, const gchar * value,
    const gchar * const *choices, const gchar * choices_text)
{
  if (value == NULL || g_strv_contains (choices, value))
    return TRUE;
  fprintf (stderr, "gst-palette: --%s: no such mode \"%s\"; give %s\n",
      option, value, choices_text);
  return FALSE;
}

/* --step, --interval and --count each belong to one sampling mode: given
 * alone, they choose it; given with another mode, they would do nothing,
 * which is a mistake worth telling. */
static gboolean
check_sampling (Options * o)
{
  static const gchar *const modes[] = { "every-nth", "interval", "count",
    "seek", "scene", "keyframes", NULL
  };
  const struct
  {
    const gchar *option;
    const gchar *mode;          /* the mode it chooses given alone */
    const gchar *also;          /* another mode it is for, or NULL */
    gboolean given;
  } parameters[] = {
    {"step", "every-nth", NULL, o->step != OPTION_UNSET},
    {"min-frames", "every-nth", NULL, o->min_frames != OPTION_UNSET},
    {"interval", "interval", NULL, o->interval_set},
    {"count", "seek", "count", o->count != OPTION_UNSET},
  };
  const gchar *implied = NULL, *implied_by = NULL;
  guint i;

  if (!check_choice ("mode", o->mode, modes, "every-nth, interval, count, "
          "seek, scene or keyframes"))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (parameters); i++) {
    if (!parameters[i].given)
      continue;
    if (o->mode != NULL && !g_str_equal (o->mode, parameters[i].mode)
        && !(parameters[i].also && g_str_equal (o->mode, parameters[i].also))) {
      fprintf (stderr, "gst-palette: --%s is for --mode=%s; it does nothing "
          "with --mode=%s (give one or the other)\n", parameters[i].option,
          parameters[i].mode, o->mode);
      return FALSE;
    }
    if (implied != NULL && !g_str_equal (implied, parameters[i].mode)) {
      fprintf (stderr, "gst-palette: --%s and --%s choose different sampling "
          "modes (%s, %s): give one\n", implied_by, parameters[i].option,
          implied, parameters[i].mode);
      return FALSE;
    }
    implied = parameters[i].mode;
    implied_by = parameters[i].option;
  }
  if (o->mode == NULL && implied != NULL)
    o->mode = g_strdup (implied);
  /* framedecimate's interval is whole nanoseconds, 1 or more */
  if (o->interval_set && !(o->interval * GST_SECOND >= 1.0 &&
          o->interval * GST_SECOND < (gdouble) G_MAXINT64)) {
    fprintf (stderr, "gst-palette: --interval takes a number of seconds "
        "greater than 0, not %g\n", o->interval);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_numbers (Options * o)
{
  static const gchar *const bw_modes[] = { "auto", "color", "gray", NULL };

  return check_sampling (o) &&
      check_range ("step", o->step, 1, G_MAXINT, "a number of frames") &&
      check_range ("min-frames", o->min_frames, 0, G_MAXINT,
      "a number of frames") &&
      check_range ("count", o->count, 1, G_MAXINT, "a number of frames") &&
      check_range ("colors", o->colors, 1, 64, "a number of colors") &&
      check_range ("gray-levels", o->gray_levels, 1, 64,
      "a number of gray levels") &&
      check_range ("fingerprint-colors", o->fingerprint_colors, 0, 16,
      "a number of colors") &&
      check_range ("seed", o->seed == G_MININT64 ? OPTION_UNSET : o->seed, 0,
      G_MAXUINT32, "a seed") &&
      check_range ("jobs", o->jobs, 1, G_MAXINT,
      "a number of films at once") &&
      check_range ("stall-timeout", o->stall_timeout, 0, G_MAXINT,
      "a number of seconds") &&
      check_choice ("bw-mode", o->bw_mode, bw_modes, "auto, color or gray");
}

/* A URI where a file may be: a file:// one becomes its file name (then a
 * file or a library folder like any other); another (http://, rtsp://)
 * is kept for uridecodebin, when GStreamer has a source for its scheme. */
static gboolean
resolve_uri (gchar ** input, gboolean * is_uri)
{
  GError *error = NULL;
  gchar *protocol, *filename;

  *is_uri = FALSE;
  if (strstr (*input, "://") == NULL || !gst_uri_is_valid (*input))
    return TRUE;
  protocol = gst_uri_get_protocol (*input);
  if (g_ascii_strcasecmp (protocol, "file") == 0) {
    filename = g_filename_from_uri (*input, NULL, &error);
    g_free (protocol);
    if (filename == NULL) {
      fprintf (stderr, "gst-palette: %s: %s\n", *input, error->message);
      g_error_free (error);
      return FALSE;
    }
    g_free (*input);
    *input = filename;
    return TRUE;
  }
  if (!gst_uri_protocol_is_supported (GST_URI_SRC, protocol)) {
    fprintf (stderr, "gst-palette: %s: GStreamer has no source for %s:// "
        "URIs (is its plugin installed?)\n", *input, protocol);
    g_free (protocol);
    return FALSE;
  }
  g_free (protocol);
  *is_uri = TRUE;
  return TRUE;
}

/* The image sizes, for films and for draw: a size given is 1 to 16384
 * pixels (cairo's images stop at 32767); one not given is 0, the
 * renderer's default. */
static gboolean
check_image_sizes (Options * o)
{
  const struct
  {
    const gchar *option;
    gint *value;
  } sizes[] = {
    {"fingerprint-width", &o->fingerprint_width},
    {"bar-width", &o->bar_width},
    {"fingerprint-height", &o->fingerprint_height},
    {"swatch-width", &o->swatch_width},
    {"swatch-height", &o->swatch_height},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    if (!check_range (sizes[i].option, *sizes[i].value, 1, 16384,
            "a number of pixels"))
      return FALSE;
    if (*sizes[i].value == OPTION_UNSET)
      *sizes[i].value = 0;
  }
  return TRUE;
}

/* Whether a file can be made in DIR: tried, since permissions alone do not
 * tell (root, a read-only mount, an ACL). */
static gboolean
folder_takes_files (const gchar * dir, GError ** error)
{
  gchar *probe = g_build_filename (dir, ".gst-palette-probe-XXXXXX", NULL);
  gint fd = g_mkstemp (probe);
  gint saved_errno = errno;

  if (fd >= 0) {
    close (fd);
    g_unlink (probe);
  } else {
    g_set_error_literal (error, G_FILE_ERROR,
        g_file_error_from_errno (saved_errno), g_strerror (saved_errno));
  }
  g_free (probe);
  return fd >= 0;
}

/* An output file that cannot be written is told before a film is decoded,
 * not after. */
static gboolean
check_output_file (const gchar * option, const gchar * path)
{
  GError *error = NULL;
  gchar *dir;
  gboolean ok = FALSE;

  if (path == NULL)
    return TRUE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    fprintf (stderr, "gst-palette: --%s %s: that is a folder; give a file "
        "name\n", option, path);
    return FALSE;
  }
  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    fprintf (stderr, "gst-palette: --%s %s: no folder %s (create it "
        "first)\n", option, path, dir);
  else if (!folder_takes_files (dir, &error))
    fprintf (stderr, "gst-palette: --%s %s: cannot write in %s: %s\n",
        option, path, dir, error->message);
  else
    ok = TRUE;
  g_clear_error (&error);
  g_free (dir);
  return ok;
}

static gboolean
check_output_dir (const gchar * dir)
{
  GError *error = NULL;

  if (dir == NULL)
    return TRUE;
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    warn ("gst-palette: --output-dir %s: %s\n", dir, g_strerror (errno));
    return FALSE;
  }
  if (folder_takes_files (dir, &error))
    return TRUE;
  warn ("gst-palette: --output-dir %s: cannot write in it: %s\n", dir,
      error->message);
  g_error_free (error);
  return FALSE;
}

static gboolean
check_options (Options * o, GPtrArray * files, GPtrArray * dirs)
{
  gchar **input;

  if (!check_numbers (o))
    return FALSE;
  for (input = o->inputs; input != NULL && *input != NULL; input++) {
    gboolean is_uri;

    if (!resolve_uri (input, &is_uri))
      return FALSE;
    if (is_uri)
      g_ptr_array_add (files, g_strdup (*input));
    else if (g_file_test (*input, G_FILE_TEST_IS_DIR))
      g_ptr_array_add (dirs, g_strdup (*input));
    else if (g_file_test (*input, G_FILE_TEST_EXISTS))
      g_ptr_array_add (files, g_strdup (*input));
    else {
      warn ("gst-palette: %s: no such file or folder\n", *input);
      return FALSE;
    }
  }
  if (files->len > 0 && (dirs->len > 0 || o->catalog_path != NULL)) {
    warn ("gst-palette: %s is a file: with a catalog, give library "
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
  if (o->jobs == OPTION_UNSET)
    o->jobs = g_get_num_processors ();
  return check_output_dir (o->output_dir) &&
      check_output_file ("write-json", o->json_file) &&
      check_output_file ("fingerprint", o->fingerprint_file) &&
      check_output_file ("swatch", o->swatch_file);
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
  /* `live` has options of its own (tools/live.c) */
  if (argc > 1 && strcmp (argv[1], "live") == 0)
    return live_main (argc - 1, argv + 1);
  options.seed = G_MININT64;
  options.step = options.min_frames = options.count = options.colors =
      options.gray_levels = options.fingerprint_colors = options.jobs =
      OPTION_UNSET;
  options.fingerprint_width = options.bar_width = options.fingerprint_height =
      options.swatch_width = options.swatch_height = OPTION_UNSET;
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
  if (!check_image_sizes (&options)) {
    options_clear (&options);
    return EXIT_USAGE;
  }
  if (background_given)
    options.background = &background_color;
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
      !check_export_options (&options, files, dirs) ||
      !open_events (&run) || !parse_shard (&run) ||
      !build_settings (&options, &run.settings, files->len == 0
          && dirs->len == 0 && options.catalog_path == NULL)) {
    status = EXIT_USAGE;
  } else if (!analysis_ensure_plugins (&error) ||
      !analysis_check_settings (&run.settings, &error)) {
    warn ("gst-palette: %s\n", error->message);
    g_error_free (error);
    status = EXIT_USAGE;
  } else {
    run.runner = runner_new (&run.settings, options.jobs, !options.quiet &&
        terminal_is_tty (stderr), on_film_done, &run);
    runner_set_started_func (run.runner, on_film_started);
    runner_set_claim_func (run.runner, on_film_claim);
    run.json_lines = options.catalog_path != NULL ||
        options.results_dir != NULL || files->len > 1;
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
  claims_free (run.claims);
  if (run.other_runs)
    g_ptr_array_unref (run.other_runs);
  output_names_free (run.output_names);
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
  /* A pipeline stuck in a read() cannot be stopped: it is left behind, and
   * GStreamer, still in use by it, is not deinitialised. */
  if (analysis_wait_for_teardowns (3))
    gst_deinit ();
  return status;
}
