/* gst-palette: one film through uridecodebin ! framedecimate ! palettesink */
#ifndef GST_PALETTE_ANALYZE_H
#define GST_PALETTE_ANALYZE_H

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Element properties given by the user, "name=value" as gst-launch takes
 * them; NULL lists keep the elements' defaults. */
typedef struct
{
  GPtrArray *decimate_props;
  GPtrArray *sink_props;
  /* Seconds without progress (bytes read, frames decoded, position) at any
   * point, from opening the file to its end, before the film is given up
   * as stalled; 0 waits for ever. */
  guint stall_timeout;
  /* Read FIFOs, devices and sockets as films too: by default only regular
   * files are, as opening or reading the others may block for ever. */
  gboolean allow_special;
} AnalysisSettings;

typedef struct
{
  gdouble fraction;             /* 0..1, or < 0 when the duration is unknown */
  gdouble elapsed_seconds;
  gdouble frames_per_second;    /* decoded frames per wall-clock second */
  gdouble eta_seconds;          /* < 0 when unknown */
} AnalysisProgress;

/* Whether a failed film is worth trying again, for a batch engine (Slurm,
 * GNU parallel) that retries failed tasks.
 *
 * BAD_MEDIA: the film itself is at fault and another try gives the same
 * result: no video stream, a file that is not a film, a damaged container
 * or stream (GST_STREAM_ERROR_*: TYPE_NOT_FOUND, WRONG_TYPE, DEMUX, DECODE,
 * FORMAT, CODEC_NOT_FOUND, ...), or no palette from a film read to its end.
 *
 * TRANSIENT: the film is not known to be at fault; another try, later or
 * on another machine, may pass: reading failed (GST_RESOURCE_ERROR_*,
 * G_FILE_ERROR_*, G_IO_ERROR_*: the file vanished, a read error, no space
 * or memory left), the stall timeout, or the machine lacks a plugin or
 * cannot run the pipeline (GST_CORE_ERROR_*, GST_LIBRARY_ERROR_*). */
typedef enum
{
  ANALYSIS_FAILURE_NONE,
  ANALYSIS_FAILURE_BAD_MEDIA,
  ANALYSIS_FAILURE_TRANSIENT
} AnalysisFailure;

typedef struct _Analysis Analysis;
typedef void (*AnalysisDoneFunc) (Analysis * analysis, gpointer user_data);

/* Makes sure framedecimate and palettesink can be found, scanning the build
 * folders compiled in when they are not in the registry. */
gboolean analysis_ensure_plugins (GError ** error);

/* Applies SETTINGS to throw-away elements: bad names or values are found
 * once, before any film starts. */
gboolean analysis_check_settings (const AnalysisSettings * settings,
    GError ** error);

/* FILENAME: a file, or a URI that uridecodebin reads (http://, rtsp://) */
Analysis *analysis_new_for_file (const gchar * filename,
    const AnalysisSettings * settings, GError ** error);
/* The built-in demo clip, generated in-process (see demo-clip.h). */
Analysis *analysis_new_for_demo_clip (const AnalysisSettings * settings,
    GError ** error);
/* Stops the pipeline on a thread of its own and frees the analysis there:
 * a pipeline stuck in a read() or an open() cannot block the caller. */
void analysis_free (Analysis * analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Analysis, analysis_free);

/* Starts the pipeline, off the calling thread (opening a file may block);
 * DONE runs from the default main context once the film ended, failed or
 * stalled. Needs a running GMainLoop. */
gboolean analysis_start (Analysis * analysis, AnalysisDoneFunc done,
    gpointer user_data, GError ** error);
/* Detaches it from the main context at once; DONE is not called. The
 * pipeline stops when the analysis is freed. */
void analysis_stop (Analysis * analysis);

void analysis_get_progress (Analysis * analysis, AnalysisProgress * progress);

/* After DONE: NULL on success, else a one-line reason. */
const gchar *analysis_get_error (Analysis * analysis);
/* After DONE, or after analysis_start() failed: ANALYSIS_FAILURE_NONE on
 * success, else the class of the failure that analysis_get_error() or
 * analysis_start()'s error tells. */
AnalysisFailure analysis_get_failure (Analysis * analysis);
/* The class of an error of analysis_new_for_file(),
 * analysis_new_for_demo_clip() or analysis_start(): these keep the domain
 * and code of the GStreamer error that stopped the pipeline. NULL gives
 * ANALYSIS_FAILURE_NONE. */
AnalysisFailure analysis_failure_from_error (const GError * error);
/* After DONE: the palette record (a new reference), or NULL on failure. */
JsonObject *analysis_get_record (Analysis * analysis);
/* Frame count (duration × framerate) and whole seconds, -1 when unknown. */
gint64 analysis_get_frames (Analysis * analysis);
gint64 analysis_get_length (Analysis * analysis);

/* Waits up to SECONDS for the pipelines being stopped; those that did not
 * stop are named on standard error and left behind. TRUE when every one
 * stopped: only then may gst_deinit() run. */
gboolean analysis_wait_for_teardowns (guint seconds);

G_END_DECLS

#endif
