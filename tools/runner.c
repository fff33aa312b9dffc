/* gst-palette: runs queued films, --jobs at a time. Each film has its own
 * pipeline and bus watch, all in the default main context: results are
 * handled one at a time, so catalog writes never overlap. */
#include "runner.h"
#include "terminal.h"

#include <glib-unix.h>
#include <signal.h>

typedef struct
{
  Runner *runner;
  gchar *title;
  gchar *path;
  gpointer film;
  GDestroyNotify free_film;
  Analysis *analysis;
} Job;

struct _Runner
{
  const AnalysisSettings *settings;
  guint jobs;
  gboolean show_progress;
  RunnerFilmDone done;
  RunnerFilmStarted started;
  gpointer user_data;

  GMainLoop *loop;
  GQueue pending;
  GPtrArray *running;
  guint total;
  guint finished;
  gint interrupted_by;
  TerminalProgress *progress;
};

static void
job_free (Job * job)
{
  analysis_free (job->analysis);
  if (job->free_film)
    job->free_film (job->film);
  g_free (job->title);
  g_free (job->path);
  g_free (job);
}

Runner *
runner_new (const AnalysisSettings * settings, guint jobs,
    gboolean show_progress, RunnerFilmDone done, gpointer user_data)
{
  Runner *runner = g_new0 (Runner, 1);

  runner->settings = settings;
  runner->jobs = MAX (jobs, 1);
  runner->show_progress = show_progress;
  runner->done = done;
  runner->user_data = user_data;
  runner->running = g_ptr_array_new_with_free_func ((GDestroyNotify)
      job_free);
  g_queue_init (&runner->pending);
  return runner;
}

void
runner_free (Runner * runner)
{
  if (runner == NULL)
    return;
  g_ptr_array_unref (runner->running);
  g_queue_clear_full (&runner->pending, (GDestroyNotify) job_free);
  if (runner->progress)
    terminal_progress_free (runner->progress);
  g_free (runner);
}

void
runner_set_started_func (Runner * runner, RunnerFilmStarted started)
{
  runner->started = started;
}

void
runner_add (Runner * runner, const gchar * title, const gchar * path,
    gpointer film, GDestroyNotify free_film)
{
  Job *job = g_new0 (Job, 1);

  job->runner = runner;
  job->title = g_strdup (title);
  job->path = g_strdup (path);
  job->film = film;
  job->free_film = free_film;
  g_queue_push_tail (&runner->pending, job);
  runner->total++;
}

void
runner_clear_progress (Runner * runner)
{
  if (runner->progress)
    terminal_progress_clear (runner->progress);
}

guint
runner_get_total (Runner * runner)
{
  return runner->total;
}

guint
runner_get_finished (Runner * runner)
{
  return runner->finished;
}

static void start_jobs (Runner * runner);

static void
on_analysis_done (Analysis * analysis, gpointer user_data)
{
  Job *job = user_data;
  Runner *runner = job->runner;
  JsonObject *record = analysis_get_record (analysis);

  runner->finished++;
  runner->done (runner, job->film, analysis, record,
      analysis_get_error (analysis), analysis_get_failure (analysis),
      runner->user_data);
  if (record)
    json_object_unref (record);
  /* Frees the job, its analysis and its film. */
  g_ptr_array_remove (runner->running, job);
  start_jobs (runner);
}

static void
start_jobs (Runner * runner)
{
  while (runner->interrupted_by == 0 && runner->running->len < runner->jobs
      && !g_queue_is_empty (&runner->pending)) {
    Job *job = g_queue_pop_head (&runner->pending);
    GError *error = NULL;

    job->analysis = job->path ?
        analysis_new_for_file (job->path, runner->settings, &error) :
        analysis_new_for_demo_clip (runner->settings, &error);
    if (job->analysis == NULL ||
        !analysis_start (job->analysis, on_analysis_done, job, &error)) {
      runner->finished++;
      runner->done (runner, job->film, job->analysis, NULL, error->message,
          analysis_failure_from_error (error), runner->user_data);
      g_error_free (error);
      job_free (job);
      continue;
    }
    g_ptr_array_add (runner->running, job);
    if (runner->started)
      runner->started (runner, job->film, runner->user_data);
  }
  if (runner->running->len == 0)
    g_main_loop_quit (runner->loop);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  Runner *runner = user_data;
  guint i, n = runner->running->len;
  TerminalProgressLine *lines = g_new0 (TerminalProgressLine, MAX (n, 1));

  for (i = 0; i < n; i++) {
    Job *job = runner->running->pdata[i];
    AnalysisProgress p;

    analysis_get_progress (job->analysis, &p);
    lines[i].title = job->title;
    lines[i].fraction = p.fraction;
    lines[i].frames_per_second = p.frames_per_second;
    lines[i].eta_seconds = p.eta_seconds;
  }
  terminal_progress_draw (runner->progress, lines, n, runner->finished,
      runner->total);
  g_free (lines);
  return G_SOURCE_CONTINUE;
}

/* Every finished film was handed over already: stop the others, leave. */
static void
interrupt (Runner * runner, gint signum)
{
  guint i;

  if (runner->interrupted_by != 0)
    return;
  runner->interrupted_by = signum;
  for (i = 0; i < runner->running->len; i++)
    analysis_stop (((Job *) runner->running->pdata[i])->analysis);
  g_main_loop_quit (runner->loop);
}

static gboolean
on_sigint (gpointer user_data)
{
  interrupt (user_data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer user_data)
{
  interrupt (user_data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

gint
runner_run (Runner * runner)
{
  guint sigint_id, sigterm_id, progress_timer = 0;

  runner->loop = g_main_loop_new (NULL, FALSE);
  if (runner->show_progress) {
    runner->progress = terminal_progress_new (stderr);
    progress_timer = g_timeout_add (250, on_progress_tick, runner);
  }
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, runner);
  sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, runner);

  start_jobs (runner);
  if (runner->running->len > 0)
    g_main_loop_run (runner->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (progress_timer)
    g_source_remove (progress_timer);
  g_clear_pointer (&runner->progress, terminal_progress_free);
  g_main_loop_unref (runner->loop);
  runner->loop = NULL;
  return runner->interrupted_by;
}
