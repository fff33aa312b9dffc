/* gst-palette: runs one film through framedecimate ! palettesink in this
 * process and collects the palette record palettesink writes. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "analyze.h"

#include "demo-clip.h"
#include "escape.h"
#include "palette-message.h"
#include "stale-files.h"

#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _Analysis
{
  gchar *name;                  /* the file's name, for messages */
  GstElement *pipeline;
  GstElement *decimate;
  GstElement *sink;
  gchar *record_path;
  gboolean has_video;
  gboolean started;             /* its pipeline left the NULL state */
  gboolean opened;              /* set_state (PLAYING) returned */

  /* The watchdog: counters bumped by the streaming threads, compared on
   * each tick of the main context. */
  guint frames_in;              /* atomic: buffers reaching framedecimate */
  guint source_buffers;         /* atomic: buffers out of the file source */
  guint stall_timeout;
  guint watchdog;
  guint seen_frames, seen_source_buffers;
  gint thread_failures;         /* thread_failures when it started */
  gboolean seen_opened;
  GstClockTime seen_position;
  gint64 last_progress;         /* monotonic, µs */

  guint bus_watch;
  gint64 start_time;            /* monotonic, µs */
  gint64 end_time;
  GstClockTime duration;
  GstClockTime position;
  gint fps_n, fps_d;

  AnalysisDoneFunc done;
  gpointer done_data;
  gboolean finished;
  gchar *error;
  AnalysisFailure failure;
  /* Errors that a bin dropped on their way up, as DROPPED_ERROR_MESSAGE
   * application messages, until we know whether they were fatal. */
  GPtrArray *dropped_errors;
  guint dropped_check;
  JsonObject *record;
  GstMessage *last_palette;     /* the last `palette` message, as a fallback */
};

GST_DEBUG_CATEGORY_STATIC (analysis_debug);
#define GST_CAT_DEFAULT analysis_debug

#define NO_VIDEO_MESSAGE "gst-palette-no-video"
#define STARTED_MESSAGE "gst-palette-started"
#define DROPPED_ERROR_MESSAGE "gst-palette-dropped-error"

static void finish (Analysis * analysis, gchar * error,
    AnalysisFailure failure);

/* Marks the pipelines of analyses for the error tracer. */
static GQuark analysis_pipeline_quark;

AnalysisFailure
analysis_failure_from_error (const GError * error)
{
  if (error == NULL)
    return ANALYSIS_FAILURE_NONE;
  /* Every stream error is about the bytes of the film: not a film, no
   * decodable stream, damaged data. That includes CODEC_NOT_FOUND, a codec
   * that no installed plugin decodes: the same installation gives the same
   * answer every time, and decodebin also says so of data that only looks
   * like a stream. */
  if (error->domain == GST_STREAM_ERROR)
    return ANALYSIS_FAILURE_BAD_MEDIA;
  /* A FIFO or a device given as a film: it stays one on the next try. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
    return ANALYSIS_FAILURE_BAD_MEDIA;
  /* Reading the file failed (vanished, unreadable, I/O error, no space or
   * memory left), or the machine cannot run the pipeline: a missing plugin
   * (GST_CORE_ERROR_MISSING_PLUGIN) is a fault of the installation, not of
   * the film, and a batch engine may retry on a node where it is installed,
   * or after it was installed. None of these blames the film. */
  return ANALYSIS_FAILURE_TRANSIENT;
}

#ifdef PALETTE_PLUGIN_DIRS
/* Whether this program was built in the build folder and runs from there
 * (gst-palette or a test), not an installed copy: that one must not load
 * the plugins of a build left behind. */
static gboolean
running_from_build_folder (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *build = realpath (PALETTE_BUILD_ROOT, NULL);
  gboolean from_build = exe != NULL && build != NULL &&
      g_str_has_prefix (exe, build) && exe[strlen (build)] == G_DIR_SEPARATOR;

  free (build);
  g_free (exe);
  return from_build;
}
#endif

gboolean
analysis_ensure_plugins (GError ** error)
{
  static const gchar *const needed[] = { "framedecimate", "palettesink" };
  GstRegistry *registry = gst_registry_get ();
  gboolean scanned = FALSE;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (needed); i++) {
    GstPluginFeature *feature;

    feature = gst_registry_lookup_feature (registry, needed[i]);
    if (feature == NULL && !scanned) {
#ifdef PALETTE_PLUGIN_DIRS
      /* Run straight from the build folder: look where meson built them;
       * installed: where meson installed them. */
      gchar **dirs = g_strsplit (running_from_build_folder () ?
          PALETTE_PLUGIN_DIRS : PALETTE_INSTALLED_PLUGIN_DIR,
          G_SEARCHPATH_SEPARATOR_S, -1);
      gchar **dir;

      for (dir = dirs; *dir != NULL; dir++)
        if (**dir != '\0' && g_file_test (*dir, G_FILE_TEST_IS_DIR))
          gst_registry_scan_path (registry, *dir);
      g_strfreev (dirs);
#endif
      scanned = TRUE;
      feature = gst_registry_lookup_feature (registry, needed[i]);
    }
    if (feature == NULL) {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
          "the GStreamer element '%s' was not found: install gst-palette's "
          "plugins or point GST_PLUGIN_PATH at them", needed[i]);
      return FALSE;
    }
    gst_object_unref (feature);
  }
  return TRUE;
}

static gboolean
apply_properties (GstElement * element, GPtrArray * props, GError ** error)
{
  guint i;

  for (i = 0; props != NULL && i < props->len; i++) {
    const gchar *assignment = props->pdata[i];
    const gchar *eq = strchr (assignment, '=');
    gchar *name;
    GParamSpec *pspec;

    if (eq == NULL)
      continue;
    name = g_strndup (assignment, eq - assignment);
    pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (element), name);
    if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "%s has no writable property '%s'", GST_OBJECT_NAME (element), name);
      g_free (name);
      return FALSE;
    }
    {
      GValue value = G_VALUE_INIT;

      g_value_init (&value, pspec->value_type);
      if (!gst_value_deserialize_with_pspec (&value, eq + 1, pspec)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
            "invalid value \"%s\" for the %s property '%s'", eq + 1,
            GST_OBJECT_NAME (element), name);
        g_value_unset (&value);
        g_free (name);
        return FALSE;
      }
      /* Out of range values are clamped by validation: refuse them. */
      if (g_param_value_validate (pspec, &value)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
            "%s is out of range for the %s property '%s'", eq + 1,
            GST_OBJECT_NAME (element), name);
        g_value_unset (&value);
        g_free (name);
        return FALSE;
      }
      g_object_set_property (G_OBJECT (element), name, &value);
      g_value_unset (&value);
    }
    g_free (name);
  }
  return TRUE;
}

gboolean
analysis_check_settings (const AnalysisSettings * settings, GError ** error)
{
  GstElement *decimate = gst_element_factory_make ("framedecimate",
      "framedecimate");
  GstElement *sink = gst_element_factory_make ("palettesink", "palettesink");
  gboolean ok = decimate != NULL && sink != NULL;

  if (!ok)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "could not create the %s element", decimate == NULL ?
        "framedecimate" : "palettesink");
  else
    ok = apply_properties (decimate, settings->decimate_props, error) &&
        apply_properties (sink, settings->sink_props, error);
  if (decimate)
    gst_object_unref (gst_object_ref_sink (decimate));
  if (sink)
    gst_object_unref (gst_object_ref_sink (sink));
  return ok;
}

static gboolean
skip_non_video (GstElement * bin, GstPad * pad, GstCaps * caps,
    gpointer user_data)
{
  const gchar *name = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  /* Audio and subtitles are left undecoded: only pictures are analysed. */
  return !(g_str_has_prefix (name, "audio/") || g_str_has_prefix (name,
          "text/") || g_str_has_prefix (name, "subpicture/")
      || g_str_has_prefix (name, "application/x-subtitle"));
}

static void
on_pad_added (GstElement * decoder, GstPad * pad, Analysis * analysis)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstPad *sinkpad;
  const gchar *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/x-raw") && !analysis->has_video) {
    sinkpad = gst_element_get_static_pad (analysis->decimate, "sink");
    if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
      analysis->has_video = TRUE;
    gst_object_unref (sinkpad);
  }
  gst_caps_unref (caps);
}

static GstPadProbeReturn
count_source_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Analysis *analysis = user_data;

  g_atomic_int_inc (&analysis->source_buffers);
  return GST_PAD_PROBE_OK;
}

/* Bytes read are progress too: a demuxer may read far before the first
 * frame (an index at the end of the file, a slow network share). */
static void
on_source_setup (GstElement * decoder, GstElement * source,
    Analysis * analysis)
{
  GstPad *pad = gst_element_get_static_pad (source, "src");

  if (pad == NULL)
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_source_buffer, analysis, NULL);
  gst_object_unref (pad);
}

static void
on_no_more_pads (GstElement * decoder, Analysis * analysis)
{
  if (!analysis->has_video)
    gst_element_post_message (decoder,
        gst_message_new_application (GST_OBJECT (decoder),
            gst_structure_new_empty (NO_VIDEO_MESSAGE)));
}

/* Errors that never reach the pipeline's bus.
 *
 * decodebin (gstdecodebin2.c, parsebin alike) filters the errors of an
 * element it is plugging, so that it can try the next factory when that
 * one fails to start. Once the element reached PAUSED it calls
 * remove_error_filter (dbin, element, NULL), which throws the filtered
 * errors away. A demuxer in pull mode starts its streaming thread inside
 * that state change: when the thread posts its error before the filter is
 * removed (qtdemux on an MP4 file without a moov box finds no stream at
 * once), the error is lost, the demuxer has paused without a pad, and the
 * pipeline waits for ever to preroll. The window is a few microseconds
 * wide; it is hit mostly when the demuxer's thread is an idle one of
 * GStreamer's task pool, which it is from the second film of a process on,
 * and the plugging thread is preempted.
 *
 * No bus sees such an error, so a tracer hook watches every error as it is
 * posted: one from inside an analysis pipeline that did not get as far as
 * the pipeline itself was dropped on its way, and is sent to the pipeline's
 * bus as a DROPPED_ERROR_MESSAGE. The bus watch then tells a fatal drop
 * from a handled one (see check_dropped_errors()). A GStreamer built
 * without tracer hooks never calls them: there only the stall timeout
 * ends such a film. */
typedef struct
{
  GstElement *origin;           /* posted the error */
  GstElement *pipeline;         /* the analysis pipeline it is in */
  guint32 seqnum;
  guint depth;                  /* other posts of ORIGIN inside this one */
  gboolean arrived;             /* the pipeline posted it on its bus */
  GError *error;
  gchar *debug;
} PostedError;

/* The error being posted by this thread. */
static GPrivate posted_error;

typedef GstTracer AnalysisErrorTracer;
typedef GstTracerClass AnalysisErrorTracerClass;

static GType analysis_error_tracer_get_type (void);
G_DEFINE_TYPE (AnalysisErrorTracer, analysis_error_tracer, GST_TYPE_TRACER);

static void
analysis_error_tracer_class_init (AnalysisErrorTracerClass * klass)
{
}

static void
analysis_error_tracer_init (AnalysisErrorTracer * self)
{
}

/* The analysis pipeline ELEMENT is in (a new reference), or NULL. */
static GstElement *
find_analysis_pipeline (GstElement * element)
{
  GstObject *object = gst_object_ref (GST_OBJECT (element));
  GstObject *parent;

  while ((parent = gst_object_get_parent (object)) != NULL) {
    gst_object_unref (object);
    object = parent;
  }
  if (g_object_get_qdata (G_OBJECT (object), analysis_pipeline_quark) == NULL) {
    gst_object_unref (object);
    return NULL;
  }
  return GST_ELEMENT (object);
}

static void
on_post_message_pre (GObject * tracer, GstClockTime ts, GstElement * element,
    GstMessage * message)
{
  PostedError *posted = g_private_get (&posted_error);
  GstElement *pipeline;

  if (posted != NULL) {
    if (element == posted->origin)
      posted->depth++;
    /* A bin forwards a child's error by posting it as its own. */
    else if (element == posted->pipeline &&
        GST_MESSAGE_SEQNUM (message) == posted->seqnum)
      posted->arrived = TRUE;
    return;
  }
  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return;
  pipeline = find_analysis_pipeline (element);
  if (pipeline == NULL)
    return;
  if (pipeline == element) {
    gst_object_unref (pipeline);
    return;
  }
  posted = g_new0 (PostedError, 1);
  posted->origin = gst_object_ref (element);
  posted->pipeline = pipeline;
  posted->seqnum = GST_MESSAGE_SEQNUM (message);
  gst_message_parse_error (message, &posted->error, &posted->debug);
  g_private_set (&posted_error, posted);
}

static void
on_post_message_post (GObject * tracer, GstClockTime ts, GstElement * element,
    gboolean result)
{
  PostedError *posted = g_private_get (&posted_error);

  if (posted == NULL || element != posted->origin)
    return;
  if (posted->depth > 0) {
    posted->depth--;
    return;
  }
  g_private_set (&posted_error, NULL);
  if (!posted->arrived) {
    GstBus *bus = gst_element_get_bus (posted->pipeline);

    GST_DEBUG_OBJECT (posted->origin, "its error \"%s\" was dropped on the "
        "way to the pipeline", posted->error->message);
    if (bus != NULL) {
      gst_bus_post (bus, gst_message_new_application (GST_OBJECT
              (posted->origin), gst_structure_new (DROPPED_ERROR_MESSAGE,
                  "error", G_TYPE_ERROR, posted->error, "debug",
                  G_TYPE_STRING, posted->debug, NULL)));
      gst_object_unref (bus);
    }
  }
  gst_object_unref (posted->origin);
  gst_object_unref (posted->pipeline);
  g_error_free (posted->error);
  g_free (posted->debug);
  g_free (posted);
}

static gpointer
install_error_tracer (gpointer unused)
{
  /* Kept for the life of the process, as GStreamer keeps its tracers. */
  GstTracer *tracer = g_object_new (analysis_error_tracer_get_type (), NULL);

  GST_DEBUG_CATEGORY_INIT (analysis_debug, "gst-palette", 0,
      "gst-palette's film analysis");
  analysis_pipeline_quark =
      g_quark_from_static_string ("gst-palette-analysis-pipeline");
  gst_object_ref_sink (tracer);
  gst_tracing_register_hook (tracer, "element-post-message-pre",
      G_CALLBACK (on_post_message_pre));
  gst_tracing_register_hook (tracer, "element-post-message-post",
      G_CALLBACK (on_post_message_post));
  return tracer;
}

/* Threads GStreamer could not create: short of memory (ulimit -v, a
 * container's limit), a task pool gives up on a streaming thread with a
 * mere warning, and the pipeline waits for ever. Counted, so that the
 * watchdog can tell such a stall at once and say why. */
static gint thread_failures;

/* The last plugin GStreamer failed to load, and why ("Failed to load
 * plugin '...libgstlibav.so': libavcodec.so.59: failed to map segment"):
 * short of memory, the decoders cannot be loaded, and a film then seems to
 * have no video stream. */
static GMutex plugin_failure_lock;
static gchar *plugin_failure;

static void
on_gstreamer_warning (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer unused)
{
  if (message != NULL && strstr (message, "failed to create thread") != NULL)
    g_atomic_int_inc (&thread_failures);
  if (message != NULL && g_str_has_prefix (message, "Failed to load plugin")) {
    g_mutex_lock (&plugin_failure_lock);
    g_free (plugin_failure);
    plugin_failure = g_strdup (message);
    g_mutex_unlock (&plugin_failure_lock);
  }
  g_log_default_handler (domain, level, message, NULL);
}

static gpointer
do_nothing (gpointer unused)
{
  return NULL;
}

/* Whether a thread can be made now: short of memory (ulimit -v), an
 * element that cannot start its thread may wait for ever without a word. */
static gboolean
can_make_thread (void)
{
  GThread *thread = g_thread_try_new ("palette-probe", do_nothing, NULL,
      NULL);

  if (thread == NULL)
    return FALSE;
  g_thread_join (thread);
  return TRUE;
}

/* Why no video stream was found: none in the file, or no plugin to
 * decode it could be loaded. */
static void
finish_without_video (Analysis * analysis)
{
  gchar *failure;

  g_mutex_lock (&plugin_failure_lock);
  failure = g_strdup (plugin_failure);
  g_mutex_unlock (&plugin_failure_lock);
  if (failure == NULL) {
    finish (analysis, g_strdup ("no video stream found"),
        ANALYSIS_FAILURE_BAD_MEDIA);
    return;
  }
  /* The machine's fault (memory, a broken installation), not the film's. */
  g_strdelimit (failure, "\r\n", ' ');
  finish (analysis, g_strdup_printf ("no video stream could be decoded: %s "
          "(out of memory?)", failure), ANALYSIS_FAILURE_TRANSIENT);
  g_free (failure);
}

static gpointer
watch_thread_failures (gpointer unused)
{
  g_log_set_handler ("GStreamer", G_LOG_LEVEL_WARNING, on_gstreamer_warning,
      NULL);
  return NULL;
}

/* The records of films whose run was killed, and their temporaries, in
 * the temporary folder, once per process. */
static gpointer
remove_stale_records (gpointer unused)
{
  stale_files_remove (g_get_tmp_dir (), "^gst-palette-[A-Za-z0-9]{6}\\.json"
      "(\\." STALE_FILES_RANDOM ")?$", STALE_FILES_MIN_AGE_SECONDS);
  return NULL;
}

static Analysis *
analysis_new_with_source (GstElement * source, gboolean decodes,
    const AnalysisSettings * settings, GError ** error)
{
  static GOnce error_tracer = G_ONCE_INIT;
  static GOnce stale_records = G_ONCE_INIT;
  static GOnce thread_watch = G_ONCE_INIT;
  Analysis *analysis = g_new0 (Analysis, 1);
  gint fd;

  g_once (&error_tracer, install_error_tracer, NULL);
  g_once (&stale_records, remove_stale_records, NULL);
  g_once (&thread_watch, watch_thread_failures, NULL);
  analysis->duration = analysis->position = GST_CLOCK_TIME_NONE;
  analysis->dropped_errors =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_message_unref);
  analysis->pipeline = gst_pipeline_new ("gst-palette");
  g_object_set_qdata (G_OBJECT (analysis->pipeline), analysis_pipeline_quark,
      analysis);
  analysis->decimate = gst_element_factory_make ("framedecimate",
      "framedecimate");
  analysis->sink = gst_element_factory_make ("palettesink", "palettesink");
  if (source == NULL || analysis->decimate == NULL || analysis->sink == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "could not create the %s element", source == NULL ? "source" :
        analysis->decimate == NULL ? "framedecimate" : "palettesink");
    if (source)
      gst_object_unref (gst_object_ref_sink (source));
    g_clear_pointer (&analysis->decimate, gst_object_unref);
    g_clear_pointer (&analysis->sink, gst_object_unref);
    analysis_free (analysis);
    return NULL;
  }
  gst_bin_add_many (GST_BIN (analysis->pipeline), source, analysis->decimate,
      analysis->sink, NULL);
  if (!gst_element_link (analysis->decimate, analysis->sink) ||
      (!decodes && !gst_element_link (source, analysis->decimate))) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "could not link the analysis pipeline");
    analysis_free (analysis);
    return NULL;
  }
  if (decodes) {
    g_signal_connect (source, "autoplug-continue",
        G_CALLBACK (skip_non_video), NULL);
    g_signal_connect (source, "pad-added", G_CALLBACK (on_pad_added),
        analysis);
    g_signal_connect (source, "no-more-pads", G_CALLBACK (on_no_more_pads),
        analysis);
    g_signal_connect (source, "source-setup", G_CALLBACK (on_source_setup),
        analysis);
  } else {
    analysis->has_video = TRUE;
  }

  if (settings != NULL &&
      (!apply_properties (analysis->decimate, settings->decimate_props, error)
          || !apply_properties (analysis->sink, settings->sink_props,
              error))) {
    analysis_free (analysis);
    return NULL;
  }

  fd = g_file_open_tmp ("gst-palette-XXXXXX.json", &analysis->record_path,
      error);
  if (fd < 0) {
    analysis_free (analysis);
    return NULL;
  }
  close (fd);
  /* An empty file would look like a damaged record: let palettesink make it. */
  g_unlink (analysis->record_path);
  g_object_set (analysis->sink, "location", analysis->record_path, NULL);
  if (settings != NULL)
    analysis->stall_timeout = settings->stall_timeout;
  /* Analysis, not playback: take frames as fast as they are decoded. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (analysis->sink),
          "sync"))
    g_object_set (analysis->sink, "sync", FALSE, NULL);
  return analysis;
}

static const gchar *
describe_file_type (mode_t mode)
{
  if (S_ISFIFO (mode))
    return "a FIFO (named pipe)";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "not a regular file";
}

Analysis *
analysis_new_for_file (const gchar * filename,
    const AnalysisSettings * settings, GError ** error)
{
  GstElement *decoder;
  Analysis *analysis;
  GStatBuf st;
  gchar *uri;

  /* A URI (http://, rtsp://, ...) goes to uridecodebin as it is. */
  if (strstr (filename, "://") != NULL && gst_uri_is_valid (filename)) {
    uri = g_strdup (filename);
  } else if (g_stat (filename, &st) != 0 || S_ISDIR (st.st_mode)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
        "%s: no such file", filename);
    return NULL;
  } else if (!S_ISREG (st.st_mode) && (settings == NULL
          || !settings->allow_special)) {
    /* Opening a FIFO without a writer blocks in open(), and a device may
     * never end: neither is a film unless the user says so. The film is at
     * fault, for good. */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
        "%s is %s, not a film file (--allow-special reads it anyway)",
        filename, describe_file_type (st.st_mode));
    return NULL;
  } else {
    uri = gst_filename_to_uri (filename, error);
    if (uri == NULL)
      return NULL;
  }
  decoder = gst_element_factory_make ("uridecodebin", NULL);
  if (decoder != NULL)
    g_object_set (decoder, "uri", uri, NULL);
  g_free (uri);
  analysis = analysis_new_with_source (decoder, TRUE, settings, error);
  if (analysis != NULL)
    analysis->name = g_path_get_basename (filename);
  return analysis;
}

Analysis *
analysis_new_for_demo_clip (const AnalysisSettings * settings, GError ** error)
{
  Analysis *analysis = analysis_new_with_source (demo_clip_source_new (),
      FALSE, settings, error);

  if (analysis != NULL)
    analysis->name = g_strdup ("built-in demo clip");
  return analysis;
}

static void
analysis_free_now (Analysis * analysis)
{
  if (analysis->pipeline)
    gst_object_unref (analysis->pipeline);
  g_free (analysis->name);
  if (analysis->record_path) {
    g_unlink (analysis->record_path);
    g_free (analysis->record_path);
  }
  g_free (analysis->error);
  g_clear_pointer (&analysis->dropped_errors, g_ptr_array_unref);
  if (analysis->record)
    json_object_unref (analysis->record);
  gst_clear_message (&analysis->last_palette);
  g_free (analysis);
}

/* Pipelines being stopped by teardown threads, by name. */
static GMutex teardown_lock;
static GCond teardown_cond;
static GPtrArray *teardowns;

typedef struct
{
  Analysis *analysis;
  gchar *name;
} Teardown;

static gpointer
teardown_thread (gpointer data)
{
  Teardown *teardown = data;

  /* Waits for a state change in progress (the start thread stuck in an
   * open()) and for the streaming threads (one stuck in a read()): may
   * never return, and then the pipeline is left behind. */
  gst_element_set_state (teardown->analysis->pipeline, GST_STATE_NULL);
  analysis_free_now (teardown->analysis);
  g_mutex_lock (&teardown_lock);
  g_ptr_array_remove_fast (teardowns, teardown);
  g_cond_broadcast (&teardown_cond);
  g_mutex_unlock (&teardown_lock);
  g_free (teardown->name);
  g_free (teardown);
  return NULL;
}

void
analysis_free (Analysis * analysis)
{
  Teardown *teardown;
  GThread *thread;
  GError *error = NULL;

  if (analysis == NULL)
    return;
  analysis_stop (analysis);
  if (!analysis->started) {
    analysis_free_now (analysis);
    return;
  }
  teardown = g_new0 (Teardown, 1);
  teardown->analysis = analysis;
  teardown->name = g_strdup (analysis->name ? analysis->name : "a film");
  g_mutex_lock (&teardown_lock);
  if (teardowns == NULL)
    teardowns = g_ptr_array_new ();
  g_ptr_array_add (teardowns, teardown);
  g_mutex_unlock (&teardown_lock);
  /* Not joined: a stuck one must not hold up the caller. */
  thread = g_thread_try_new ("palette-stop", teardown_thread, teardown,
      &error);
  if (thread != NULL) {
    g_thread_unref (thread);
    return;
  }
  /* No thread to stop it on (no memory left): stopping it here might
   * block, so it is left as it is and counts as stuck. */
  GST_WARNING ("cannot stop %s: %s", teardown->name, error->message);
  g_error_free (error);
}

gboolean
analysis_wait_for_teardowns (guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  gboolean all_stopped;
  guint i;

  g_mutex_lock (&teardown_lock);
  while (teardowns != NULL && teardowns->len > 0 &&
      g_cond_wait_until (&teardown_cond, &teardown_lock, deadline));
  all_stopped = teardowns == NULL || teardowns->len == 0;
  for (i = 0; teardowns != NULL && i < teardowns->len; i++) {
    Teardown *teardown = teardowns->pdata[i];
    gchar *shown = escape_for_terminal (teardown->name);

    g_printerr ("gst-palette: %s: stalled tearing down: its pipeline did not "
        "stop in %u s and was left behind\n", shown, seconds);
    g_free (shown);
  }
  g_mutex_unlock (&teardown_lock);
  return all_stopped;
}

static void
query_timing (Analysis * analysis)
{
  gint64 value;

  if (analysis->pipeline == NULL)
    return;
  if (gst_element_query_duration (analysis->pipeline, GST_FORMAT_TIME, &value)
      && value > 0)
    analysis->duration = value;
  if (gst_element_query_position (analysis->pipeline, GST_FORMAT_TIME, &value)
      && value >= 0)
    analysis->position = value;
}

static void
read_framerate (Analysis * analysis)
{
  GstPad *pad = gst_element_get_static_pad (analysis->decimate, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);

  if (caps != NULL) {
    gst_structure_get_fraction (gst_caps_get_structure (caps, 0), "framerate",
        &analysis->fps_n, &analysis->fps_d);
    gst_caps_unref (caps);
  }
  gst_object_unref (pad);
}

/* The palette message's fields, in the record's shape: used only when the
 * record file cannot be read. */
static JsonObject *
record_from_message (GstMessage * message)
{
  PaletteMessage palette;
  JsonObject *record;
  JsonArray *rgb, *shares, *hex;
  guint i;

  if (!palette_message_parse (message, &palette))
    return NULL;
  record = json_object_new ();
  rgb = json_array_new ();
  shares = json_array_new ();
  hex = json_array_new ();
  for (i = 0; i < palette.n_colors; i++) {
    guint c = palette.colors[i];
    JsonArray *triple = json_array_new ();
    gchar *text = g_strdup_printf ("#%06x", c & 0xffffff);
    double channels[3];

    palette_rgb_unpack (c, channels);
    json_array_add_int_element (triple, (gint64) channels[0]);
    json_array_add_int_element (triple, (gint64) channels[1]);
    json_array_add_int_element (triple, (gint64) channels[2]);
    json_array_add_array_element (rgb, triple);
    /* 6 decimals, as the record file has them */
    json_array_add_double_element (shares,
        round (palette.weights[i] * 1e6) / 1e6);
    json_array_add_string_element (hex, text);
    g_free (text);
  }
  json_object_set_boolean_member (record, "is_black_and_white",
      palette.black_and_white);
  json_object_set_int_member (record, "clusters_nb", palette.n_colors);
  json_object_set_array_member (record, "colors", rgb);
  json_object_set_array_member (record, "weights", shares);
  json_object_set_array_member (record, "hex", hex);
  json_object_set_int_member (record, "frames_analyzed", palette.frames);
  json_object_set_boolean_member (record, "complete", TRUE);
  return record;
}

static void
collect_record (Analysis * analysis)
{
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;

  if (json_parser_load_from_file (parser, analysis->record_path, &error)) {
    JsonNode *root = json_parser_get_root (parser);

    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
      analysis->record = json_node_dup_object (root);
    } else {
      /* palettesink's fault, not the film's. */
      analysis->error = g_strdup ("palettesink wrote a record that is not a "
          "JSON object");
      analysis->failure = ANALYSIS_FAILURE_TRANSIENT;
    }
  } else if (analysis->last_palette != NULL) {
    analysis->record = record_from_message (analysis->last_palette);
  } else {
    /* palettesink reports its own write errors: the film ended without a
     * palette. */
    analysis->error = g_strdup_printf ("no palette: %s", error->message);
    analysis->failure = ANALYSIS_FAILURE_BAD_MEDIA;
  }
  if (analysis->record == NULL && analysis->error == NULL) {
    analysis->error = g_strdup ("no palette was produced");
    analysis->failure = ANALYSIS_FAILURE_BAD_MEDIA;
  }
  g_clear_error (&error);
  g_object_unref (parser);
}

static gboolean
call_done (gpointer user_data)
{
  Analysis *analysis = user_data;

  if (analysis->done)
    analysis->done (analysis, analysis->done_data);
  return G_SOURCE_REMOVE;
}

/* ERROR NULL: the film ended; else why it failed, FAILURE its class. */
static void
finish (Analysis * analysis, gchar * error, AnalysisFailure failure)
{
  if (analysis->watchdog != 0) {
    g_source_remove (analysis->watchdog);
    analysis->watchdog = 0;
  }
  if (analysis->dropped_check != 0) {
    g_source_remove (analysis->dropped_check);
    analysis->dropped_check = 0;
  }
  if (analysis->bus_watch != 0) {
    /* Also when called from the watch itself: a source may be removed
     * while it dispatches. */
    g_source_remove (analysis->bus_watch);
  }
  analysis->finished = TRUE;
  analysis->end_time = g_get_monotonic_time ();
  query_timing (analysis);
  read_framerate (analysis);
  /* The pipeline is stopped when the analysis is freed: a stalled source
   * may block that, and the reason should be told first. */
  if (error == NULL) {
    collect_record (analysis);
  } else {
    analysis->error = error;
    analysis->failure = failure;
  }
  analysis->bus_watch = 0;
  /* From an idle: DONE may free the analysis, which owns this bus watch. */
  g_idle_add (call_done, analysis);
}

/* The error of an ERROR message, or of a DROPPED_ERROR_MESSAGE, with its
 * message on one line: one line per failed film. */
static GError *
parse_error (GstMessage * message)
{
  GError *error = NULL;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    gst_message_parse_error (message, &error, NULL);
  else
    gst_structure_get (gst_message_get_structure (message), "error",
        G_TYPE_ERROR, &error, NULL);
  if (error == NULL)
    error = g_error_new_literal (GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "unknown error");
  g_strdelimit (error->message, "\r\n", ' ');
  return error;
}

static void
finish_with_error (Analysis * analysis, GstMessage * message)
{
  GError *error = parse_error (message);

  finish (analysis, g_strdup (error->message),
      analysis_failure_from_error (error));
  g_error_free (error);
}

/* Whether OBJECT, or a bin it is in below PIPELINE, has its state locked:
 * decodebin locks an element while it plugs it. */
static gboolean
is_being_plugged (GstObject * object, GstElement * pipeline)
{
  GstObject *parent;
  gboolean locked = FALSE;

  gst_object_ref (object);
  while (!locked && object != GST_OBJECT (pipeline)) {
    locked = GST_IS_ELEMENT (object) &&
        gst_element_is_locked_state (GST_ELEMENT (object));
    parent = gst_object_get_parent (object);
    gst_object_unref (object);
    object = parent;
    if (object == NULL)
      return locked;
  }
  gst_object_unref (object);
  return locked;
}

static gboolean on_dropped_check (gpointer user_data);
static gboolean on_started (Analysis * analysis, GstMessage * message);

/* What became of the element whose error decodebin dropped: removed from
 * the pipeline, it failed to start and decodebin went on with another
 * factory; still plugged (state locked), decodebin is deciding, so look
 * again soon; else it was kept, and its error, posted a moment too early
 * to get through (see PostedError), is the end of the film. Returns TRUE
 * when the analysis finished. */
static gboolean
check_dropped_errors (Analysis * analysis)
{
  guint i = 0;

  while (i < analysis->dropped_errors->len) {
    GstMessage *message = analysis->dropped_errors->pdata[i];
    GstObject *origin = GST_MESSAGE_SRC (message);

    if (!gst_object_has_as_ancestor (origin, GST_OBJECT (analysis->pipeline))) {
      GST_DEBUG_OBJECT (origin, "removed after its error: not fatal");
      g_ptr_array_remove_index (analysis->dropped_errors, i);
    } else if (is_being_plugged (origin, analysis->pipeline)) {
      i++;
    } else {
      GST_DEBUG_OBJECT (origin, "kept after its error: fatal");
      finish_with_error (analysis, message);
      return TRUE;
    }
  }
  if (analysis->dropped_errors->len > 0 && analysis->dropped_check == 0)
    analysis->dropped_check = g_timeout_add (10, on_dropped_check, analysis);
  return FALSE;
}

static gboolean
on_dropped_check (gpointer user_data)
{
  Analysis *analysis = user_data;

  analysis->dropped_check = 0;
  if (!analysis->finished)
    check_dropped_errors (analysis);
  return G_SOURCE_REMOVE;
}

static gboolean
on_bus_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Analysis *analysis = user_data;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_EOS:
      if (!analysis->has_video) {
        finish_without_video (analysis);
        return G_SOURCE_REMOVE;
      }
      finish (analysis, NULL, ANALYSIS_FAILURE_NONE);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      finish_with_error (analysis, message);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_APPLICATION:
      if (gst_message_has_name (message, NO_VIDEO_MESSAGE)) {
        finish_without_video (analysis);
        return G_SOURCE_REMOVE;
      }
      if (gst_message_has_name (message, STARTED_MESSAGE)) {
        if (on_started (analysis, message))
          return G_SOURCE_REMOVE;
        break;
      }
      if (gst_message_has_name (message, DROPPED_ERROR_MESSAGE)) {
        g_ptr_array_add (analysis->dropped_errors, gst_message_ref (message));
        if (check_dropped_errors (analysis))
          return G_SOURCE_REMOVE;
      }
      break;
    case GST_MESSAGE_ELEMENT:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (analysis->sink) &&
          palette_message_is_palette (message))
        gst_message_replace (&analysis->last_palette, message);
      break;
    case GST_MESSAGE_DURATION_CHANGED:
      analysis->duration = GST_CLOCK_TIME_NONE;
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Analysis *analysis = user_data;

  g_atomic_int_inc (&analysis->frames_in);
  return GST_PAD_PROBE_OK;
}

/* "1:02:03" or "2:03" */
static gchar *
format_position (GstClockTime position)
{
  guint64 s = position / GST_SECOND;

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", (guint) (s / 3600),
        (guint) (s / 60 % 60), (guint) (s % 60));
  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

/* Why the film stalled, naming the stage it stalled in. */
static gchar *
describe_stall (Analysis * analysis)
{
  gchar *at, *reason;

  if (g_atomic_int_get (&thread_failures) != analysis->thread_failures ||
      !can_make_thread ())
    return g_strdup ("out of memory: no thread can be created, and the "
        "pipeline stalled");
  if (!analysis->opened)
    return g_strdup_printf ("stalled opening the file: no progress in %u s "
        "(a FIFO without a writer, a hung network share?)",
        analysis->stall_timeout);
  if (g_atomic_int_get (&analysis->frames_in) == 0)
    return g_strdup_printf ("stalled prerolling: no video frame decoded in "
        "%u s (a damaged file, or a source that stopped delivering?)",
        analysis->stall_timeout);
  at = GST_CLOCK_TIME_IS_VALID (analysis->position) ?
      format_position (analysis->position) : g_strdup ("an unknown position");
  reason = g_strdup_printf ("stalled decoding at %s: no progress in %u s "
      "(a source that stopped delivering?)", at, analysis->stall_timeout);
  g_free (at);
  return reason;
}

/* One watchdog for the whole film: a source that stops delivering (a FIFO
 * whose writer went quiet, a hung network file system) or a pipeline that
 * deadlocks would wait for ever, at any point from opening the file to its
 * end. Progress is any of: the pipeline started, bytes read, frames
 * decoded, the position moved. None for the stall timeout: the film is
 * given up, and may pass on another try. */
static gboolean
on_watchdog (gpointer user_data)
{
  Analysis *analysis = user_data;
  guint frames = g_atomic_int_get (&analysis->frames_in);
  guint source_buffers = g_atomic_int_get (&analysis->source_buffers);
  gint64 now = g_get_monotonic_time ();

  if (analysis->opened)
    query_timing (analysis);
  if (frames != analysis->seen_frames ||
      source_buffers != analysis->seen_source_buffers ||
      analysis->opened != analysis->seen_opened ||
      analysis->position != analysis->seen_position) {
    analysis->seen_frames = frames;
    analysis->seen_source_buffers = source_buffers;
    analysis->seen_opened = analysis->opened;
    analysis->seen_position = analysis->position;
    analysis->last_progress = now;
    return G_SOURCE_CONTINUE;
  }
  /* A thread that could not be made is a stall that would not pass: one
   * second without progress is enough to tell. */
  if (now - analysis->last_progress <
      (g_atomic_int_get (&thread_failures) != analysis->thread_failures ?
          G_TIME_SPAN_SECOND :
          (gint64) analysis->stall_timeout * G_TIME_SPAN_SECOND))
    return G_SOURCE_CONTINUE;
  analysis->watchdog = 0;
  if (!analysis->finished)
    finish (analysis, describe_stall (analysis), ANALYSIS_FAILURE_TRANSIENT);
  return G_SOURCE_REMOVE;
}

/* Sets the pipeline to PLAYING, which opens the file: a FIFO without a
 * writer or a hung network share blocks in open() right there, so never on
 * the thread of the main loop, which handles the signals and the
 * watchdog. Tells how it went on the bus. */
static gpointer
start_thread (gpointer data)
{
  GstElement *pipeline = data;
  gboolean ok = gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;

  gst_element_post_message (pipeline,
      gst_message_new_application (GST_OBJECT (pipeline),
          gst_structure_new (STARTED_MESSAGE, "ok", G_TYPE_BOOLEAN, ok,
              NULL)));
  gst_object_unref (pipeline);
  return NULL;
}

/* STARTED_MESSAGE: set_state (PLAYING) returned. A failure that posted an
 * error was handled already (the error is ahead on the bus); else it is
 * told here. Returns TRUE when the analysis finished. */
static gboolean
on_started (Analysis * analysis, GstMessage * message)
{
  gboolean ok = FALSE;

  gst_structure_get_boolean (gst_message_get_structure (message), "ok", &ok);
  analysis->opened = TRUE;
  if (ok)
    return FALSE;
  finish (analysis, g_strdup ("the pipeline could not start"),
      ANALYSIS_FAILURE_TRANSIENT);
  return TRUE;
}

gboolean
analysis_start (Analysis * analysis, AnalysisDoneFunc done,
    gpointer user_data, GError ** error)
{
  GError *thread_error = NULL;
  GThread *thread;
  GstBus *bus;
  GstPad *pad;

  analysis->done = done;
  analysis->done_data = user_data;
  bus = gst_element_get_bus (analysis->pipeline);
  analysis->bus_watch = gst_bus_add_watch (bus, on_bus_message, analysis);
  gst_object_unref (bus);
  analysis->start_time = analysis->last_progress = g_get_monotonic_time ();
  analysis->seen_position = GST_CLOCK_TIME_NONE;
  analysis->thread_failures = g_atomic_int_get (&thread_failures);
  pad = gst_element_get_static_pad (analysis->decimate, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_frame, analysis, NULL);
  gst_object_unref (pad);
  if (analysis->stall_timeout > 0)
    analysis->watchdog = g_timeout_add (250, on_watchdog, analysis);

  thread = g_thread_try_new ("palette-start", start_thread,
      gst_object_ref (analysis->pipeline), &thread_error);
  if (thread == NULL) {
    gst_object_unref (analysis->pipeline);
    /* No memory for a thread: worth a retry. */
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "cannot start the pipeline: %s", thread_error->message);
    g_error_free (thread_error);
    analysis->failure = ANALYSIS_FAILURE_TRANSIENT;
    analysis_stop (analysis);
    return FALSE;
  }
  g_thread_unref (thread);
  analysis->started = TRUE;
  return TRUE;
}

void
analysis_stop (Analysis * analysis)
{
  if (analysis->watchdog != 0) {
    g_source_remove (analysis->watchdog);
    analysis->watchdog = 0;
  }
  if (analysis->bus_watch != 0) {
    g_source_remove (analysis->bus_watch);
    analysis->bus_watch = 0;
  }
  if (analysis->dropped_check != 0) {
    g_source_remove (analysis->dropped_check);
    analysis->dropped_check = 0;
  }
  g_idle_remove_by_data (analysis);
}

void
analysis_get_progress (Analysis * analysis, AnalysisProgress * progress)
{
  gint64 now;
  guint64 frames_in = 0;
  gdouble position_seconds;

  /* Not while the pipeline is being started: it may be stuck in open(). */
  if (!analysis->finished && analysis->opened)
    query_timing (analysis);
  now = analysis->finished ? analysis->end_time : g_get_monotonic_time ();
  progress->elapsed_seconds = analysis->start_time ?
      (now - analysis->start_time) / 1e6 : 0.0;
  progress->fraction = -1.0;
  progress->eta_seconds = -1.0;
  progress->frames_per_second = 0.0;

  if (GST_CLOCK_TIME_IS_VALID (analysis->duration) && analysis->duration > 0
      && GST_CLOCK_TIME_IS_VALID (analysis->position)) {
    progress->fraction = CLAMP ((gdouble) analysis->position /
        analysis->duration, 0.0, 1.0);
    if (progress->fraction > 0.001)
      progress->eta_seconds = progress->elapsed_seconds *
          (1.0 - progress->fraction) / progress->fraction;
  }

  /* framedecimate counts the frames it saw; else estimate from the position. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (analysis->decimate),
          "in") != NULL) {
    g_object_get (analysis->decimate, "in", &frames_in, NULL);
  } else if (GST_CLOCK_TIME_IS_VALID (analysis->position)) {
    if (analysis->fps_n == 0)
      read_framerate (analysis);
    if (analysis->fps_n > 0 && analysis->fps_d > 0) {
      position_seconds = analysis->position / (gdouble) GST_SECOND;
      frames_in = position_seconds * analysis->fps_n / analysis->fps_d;
    }
  }
  if (progress->elapsed_seconds > 0.0)
    progress->frames_per_second = frames_in / progress->elapsed_seconds;
}

const gchar *
analysis_get_error (Analysis * analysis)
{
  return analysis->error;
}

AnalysisFailure
analysis_get_failure (Analysis * analysis)
{
  return analysis->failure;
}

JsonObject *
analysis_get_record (Analysis * analysis)
{
  return analysis->record ? json_object_ref (analysis->record) : NULL;
}

gint64
analysis_get_frames (Analysis * analysis)
{
  if (!GST_CLOCK_TIME_IS_VALID (analysis->duration) || analysis->fps_n <= 0
      || analysis->fps_d <= 0)
    return -1;
  return gst_util_uint64_scale_round (analysis->duration, analysis->fps_n,
      (guint64) analysis->fps_d * GST_SECOND);
}

gint64
analysis_get_length (Analysis * analysis)
{
  if (!GST_CLOCK_TIME_IS_VALID (analysis->duration))
    return -1;
  return analysis->duration / GST_SECOND;
}
