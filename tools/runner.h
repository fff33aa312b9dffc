/* gst-palette: runs queued films, --jobs at a time, in one main loop */
#ifndef GST_PALETTE_RUNNER_H
#define GST_PALETTE_RUNNER_H

#include "analyze.h"

G_BEGIN_DECLS

typedef struct _Runner Runner;

/* Called from the main loop as each film ends, so never two at once.
 * RECORD is NULL when the film failed, ERROR says why and FAILURE whether
 * a retry may pass; ANALYSIS is NULL when its pipeline could not even be
 * made (the runner classifies that error too). */
typedef void (*RunnerFilmDone) (Runner * runner, gpointer film,
    Analysis * analysis, JsonObject * record, const gchar * error,
    AnalysisFailure failure, gpointer user_data);

/* SHOW_PROGRESS draws the live progress block on standard error. */
Runner *runner_new (const AnalysisSettings * settings, guint jobs,
    gboolean show_progress, RunnerFilmDone done, gpointer user_data);
void runner_free (Runner * runner);

/* Called from the main loop as each film's pipeline starts. */
typedef void (*RunnerFilmStarted) (Runner * runner, gpointer film,
    gpointer user_data);
void runner_set_started_func (Runner * runner, RunnerFilmStarted started);

typedef enum
{
  RUNNER_CLAIM_START,           /* the film is ours: start it */
  RUNNER_CLAIM_SKIP,            /* another process is analysing it, or did:
                                 * left out of the run and of its total */
  RUNNER_CLAIM_FAILED           /* could not tell (the callback said why):
                                 * not started, counted as finished */
} RunnerClaim;

/* Called from the main loop just before a film starts. */
typedef RunnerClaim (*RunnerFilmClaim) (Runner * runner, gpointer film,
    gpointer user_data);
void runner_set_claim_func (Runner * runner, RunnerFilmClaim claim);

/* Queues a film; PATH NULL is the built-in demo clip. FILM goes back to
 * DONE, and is freed with FREE_FILM. */
void runner_add (Runner * runner, const gchar * title, const gchar * path,
    gpointer film, GDestroyNotify free_film);

/* Runs the queue to the end; returns 0, or the number of the signal
 * (SIGINT, SIGTERM) that stopped it. */
gint runner_run (Runner * runner);

/* Removes the progress block so that other output can be printed. */
void runner_clear_progress (Runner * runner);

guint runner_get_total (Runner * runner);
guint runner_get_finished (Runner * runner);

G_END_DECLS

#endif
