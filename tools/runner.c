/* gst-palette: runs queued films, --jobs at a time. Each film has its own
 * pipeline and bus watch, all in the default main context: results are
 * handled one at a time, so catalog writes never overlap. */
#include "runner.h"
#include "escape.h"
#include "terminal.h"

#include <glib-unix.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* After SIGINT or SIGTERM, what is done is saved and the rest stopped; if
 * that takes longer than this (a catalog locked by another process, a
 * pipeline in a state no one foresaw), the process leaves anyway. */
#define INTERRUPT_GRACE_SECONDS 5

typedef struct
{
  Runner *runner;
  gchar *title;
  gchar *shown_title;           /* escaped for the terminal */
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
  RunnerFilmClaim claim;
  gpointer user_data;

  GMainLoop *loop;
  GQueue pending;
  GPtrArray *running;
  guint total;
  guint finished;
  gint interrupted_by;
  TerminalProgress *progress;

  /* The signals are handled on a thread of their own, with its own main
   * context: whatever the main thread is blocked in, a signal is seen,
   * passed on to the main loop, and ends the process in bounded time. */
  GThread *signal_thread;
  GMainContext *signal_context;
  GMainLoop *signal_loop;
  gint signalled;               /* atomic: the first signal's number */
};

static void unwatch_signals (Runner * runner);

static void
job_free (Job * job)
{
  analysis_free (job->analysis);
  if (job->free_film)
    job->free_film (job->film);
  g_free (job->title);
  g_free (job->shown_title);
  g_free (job->path);
  g_free (job);
}

/* Under an address-space limit (ulimit -v), glibc's malloc reserves 64 MB
 * of it for each thread's arena: with the threads that start and stop the
 * pipelines and watch the signals, a film that fit in 300 MB no longer did
 * (GLib aborted on a failed malloc). Two arenas then; without a limit,
 * nothing changes. */
static void
limit_malloc_arenas (void)
{
#ifdef M_ARENA_MAX
  struct rlimit limit;

  if (getrlimit (RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    mallopt (M_ARENA_MAX, 2);
#endif
}

Runner *
runner_new (const AnalysisSettings * settings, guint jobs,
    gboolean show_progress, RunnerFilmDone done, gpointer user_data)
{
  Runner *runner = g_new0 (Runner, 1);

  limit_malloc_arenas ();

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
  unwatch_signals (runner);
  /* An interruption the main loop never got to. */
  while (g_idle_remove_by_data (runner));
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
runner_set_claim_func (Runner * runner, RunnerFilmClaim claim)
{
  runner->claim = claim;
}

void
runner_add (Runner * runner, const gchar * title, const gchar * path,
    gpointer film, GDestroyNotify free_film)
{
  Job *job = g_new0 (Job, 1);

  job->runner = runner;
  job->title = g_strdup (title);
  job->shown_title = escape_for_terminal (title);
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

    /* Claimed as late as can be, so that runs side by side split the films
     * one at a time rather than in blocks chosen at their start. */
    switch (runner->claim ? runner->claim (runner, job->film,
            runner->user_data) : RUNNER_CLAIM_START) {
      case RUNNER_CLAIM_START:
        break;
      case RUNNER_CLAIM_SKIP:
        runner->total--;
        job_free (job);
        continue;
      case RUNNER_CLAIM_FAILED:
        runner->finished++;
        job_free (job);
        continue;
    }
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
    lines[i].title = job->shown_title;
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
on_interrupt (gpointer user_data)
{
  Runner *runner = user_data;

  interrupt (runner, g_atomic_int_get (&runner->signalled));
  return G_SOURCE_REMOVE;
}

static gboolean
on_grace_over (gpointer user_data)
{
  Runner *runner = user_data;
  gint signum = g_atomic_int_get (&runner->signalled);
  gchar message[200];
  gint length;

  length = g_snprintf (message, sizeof message, "gst-palette: still not "
      "stopped %d s after %s; leaving now (what was saved stays)\n",
      INTERRUPT_GRACE_SECONDS, g_strsignal (signum));
  if (write (STDERR_FILENO, message, MIN (length, (gint) sizeof message - 1))
      < 0) {
    /* nothing more to say */
  }
  _exit (128 + signum);
  return G_SOURCE_REMOVE;
}

/* On the signal thread. The first signal asks the main loop to stop, and
 * gives it INTERRUPT_GRACE_SECONDS; a second one leaves at once. Saved
 * rows and files stay: each was written whole (a transaction, a rename). */
static gboolean
on_signal (Runner * runner, gint signum)
{
  if (g_atomic_int_compare_and_exchange (&runner->signalled, 0, signum)) {
    GSource *grace = g_timeout_source_new_seconds (INTERRUPT_GRACE_SECONDS);

    g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, on_interrupt, runner,
        NULL);
    g_source_set_callback (grace, on_grace_over, runner, NULL);
    g_source_attach (grace, runner->signal_context);
    g_source_unref (grace);
    return G_SOURCE_CONTINUE;
  }
  _exit (128 + g_atomic_int_get (&runner->signalled));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  return on_signal (user_data, SIGINT);
}

static gboolean
on_sigterm (gpointer user_data)
{
  return on_signal (user_data, SIGTERM);
}

static gpointer
signal_thread (gpointer user_data)
{
  Runner *runner = user_data;

  g_main_context_push_thread_default (runner->signal_context);
  g_main_loop_run (runner->signal_loop);
  g_main_context_pop_thread_default (runner->signal_context);
  return NULL;
}

static void
watch_signals (Runner * runner)
{
  static const gint signals[] = { SIGINT, SIGTERM };
  static const GSourceFunc handlers[] = { on_sigint, on_sigterm };
  guint i;

  runner->signal_context = g_main_context_new ();
  runner->signal_loop = g_main_loop_new (runner->signal_context, FALSE);
  for (i = 0; i < G_N_ELEMENTS (signals); i++) {
    GSource *source = g_unix_signal_source_new (signals[i]);

    g_source_set_callback (source, handlers[i], runner, NULL);
    g_source_attach (source, runner->signal_context);
    g_source_unref (source);
  }
  runner->signal_thread = g_thread_new ("palette-signals", signal_thread,
      runner);
}

static gboolean
quit_signal_loop (gpointer user_data)
{
  Runner *runner = user_data;

  g_main_loop_quit (runner->signal_loop);
  return G_SOURCE_REMOVE;
}

static void
unwatch_signals (Runner * runner)
{
  if (runner->signal_thread == NULL)
    return;
  /* From inside the loop: a quit before the thread got to run it would be
   * lost. */
  g_main_context_invoke (runner->signal_context, quit_signal_loop, runner);
  g_thread_join (runner->signal_thread);
  runner->signal_thread = NULL;
  /* Removes the signal sources: the default action is back. */
  g_main_loop_unref (runner->signal_loop);
  g_main_context_unref (runner->signal_context);
}

gint
runner_run (Runner * runner)
{
  guint progress_timer = 0;

  runner->loop = g_main_loop_new (NULL, FALSE);
  if (runner->show_progress) {
    runner->progress = terminal_progress_new (stderr);
    progress_timer = g_timeout_add (250, on_progress_tick, runner);
  }
  /* Kept until runner_free(), which stops the pipelines. */
  if (runner->signal_thread == NULL)
    watch_signals (runner);

  start_jobs (runner);
  if (runner->running->len > 0)
    g_main_loop_run (runner->loop);
  /* A signal that came as the last film ended. */
  if (runner->interrupted_by == 0 && g_atomic_int_get (&runner->signalled))
    runner->interrupted_by = g_atomic_int_get (&runner->signalled);

  if (progress_timer)
    g_source_remove (progress_timer);
  g_clear_pointer (&runner->progress, terminal_progress_free);
  g_main_loop_unref (runner->loop);
  runner->loop = NULL;
  return runner->interrupted_by;
}
