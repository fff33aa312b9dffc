/* gst-palette live: one stream's pipeline (see live-stream.h) */
#include "live-stream.h"
#include "live-catchup.h"

#include <math.h>
#include <string.h>

/* how often the watchdog looks at a stream's frame count */
#define WATCHDOG_PERIOD_MS 250
/* the longest live_stream_free waits for a pipeline stuck going to NULL */
#define TEARDOWN_WAIT_US (5 * G_TIME_SPAN_SECOND)

struct _LiveStream
{
  gchar *name;
  gchar *uri;
  gchar *shown_uri;             /* without a password */
  const LiveStreamSettings *settings;
  LiveStreamStatusFunc on_status;
  LiveStreamPaletteFunc on_palette;
  gpointer user_data;

  GstElement *pipeline;
  guint bus_watch;
  guint watchdog;
  guint retry_timer;
  gint *frames;                 /* counted by the sink pad's probe (an
                                 * atomic refcounted box: the probe may run
                                 * while the pipeline is being torn down) */
  gint *skipped;                /* delta units skipped to catch up, as
                                 * frames */
  gint frames_seen;
  gint64 progress_time;         /* last time frames_seen changed */
  gboolean online;
  guint attempt;                /* failures since the last palette */
};

/* Pipelines go to NULL in threads of their own: a source stuck in a
 * network call must not hold up the other streams. */
static GMutex teardown_lock;
static GCond teardown_done;
static guint teardowns;

gdouble
live_backoff_delay (guint attempt, gdouble retry_min, gdouble retry_max)
{
  gdouble delay = retry_min * ldexp (1.0, MIN (attempt, 62));

  return MIN (delay, retry_max);
}

LiveStream *
live_stream_new (const LiveUri * uri, const LiveStreamSettings * settings,
    LiveStreamStatusFunc on_status, LiveStreamPaletteFunc on_palette,
    gpointer user_data)
{
  LiveStream *stream = g_new0 (LiveStream, 1);

  stream->name = g_strdup (uri->name);
  stream->uri = g_strdup (uri->uri);
  stream->shown_uri = live_uri_redact (uri->uri);
  stream->settings = settings;
  stream->on_status = on_status;
  stream->on_palette = on_palette;
  stream->user_data = user_data;
  return stream;
}

const gchar *
live_stream_get_name (LiveStream * stream)
{
  return stream->name;
}

static void
tell (LiveStream * stream, LiveStatusKind kind, const gchar * reason,
    const gchar * message, gdouble retry_in)
{
  LiveStatus status = { kind, reason, message, stream->shown_uri, retry_in };

  stream->on_status (stream, &status, stream->user_data);
}

static gpointer
teardown_thread (gpointer data)
{
  GstElement *pipeline = data;

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_mutex_lock (&teardown_lock);
  teardowns--;
  g_cond_broadcast (&teardown_done);
  g_mutex_unlock (&teardown_lock);
  return NULL;
}

/* Also from the watchdog's and the bus watch's own callbacks: removing
 * the source being dispatched is allowed. */
static void
teardown (LiveStream * stream)
{
  if (stream->watchdog != 0)
    g_source_remove (stream->watchdog);
  stream->watchdog = 0;
  if (stream->bus_watch != 0)
    g_source_remove (stream->bus_watch);
  stream->bus_watch = 0;
  if (stream->pipeline != NULL) {
    g_mutex_lock (&teardown_lock);
    teardowns++;
    g_mutex_unlock (&teardown_lock);
    g_thread_unref (g_thread_new ("live-teardown", teardown_thread,
            stream->pipeline));
    stream->pipeline = NULL;
  }
  stream->online = FALSE;
}

static gboolean retry (gpointer data);

/* Tears down, tells why, and starts again after the back-off. */
static void
fail (LiveStream * stream, LiveStatusKind kind, const gchar * reason,
    const gchar * message)
{
  gdouble delay = live_backoff_delay (stream->attempt,
      stream->settings->retry_min, stream->settings->retry_max);

  teardown (stream);
  stream->attempt++;
  tell (stream, kind, reason, message, delay);
  stream->retry_timer = g_timeout_add ((guint) (delay * 1000), retry, stream);
}

static gboolean
retry (gpointer data)
{
  LiveStream *stream = data;

  stream->retry_timer = 0;
  live_stream_start (stream);
  return G_SOURCE_REMOVE;
}

static gboolean
watchdog (gpointer data)
{
  LiveStream *stream = data;
  gint frames = g_atomic_int_get (stream->frames);
  gint64 now = g_get_monotonic_time ();

  if (frames != stream->frames_seen) {
    stream->frames_seen = frames;
    stream->progress_time = now;
    if (!stream->online) {
      stream->online = TRUE;
      tell (stream, LIVE_STATUS_ONLINE, "playing", NULL, -1);
    }
  } else if (now - stream->progress_time > (stream->online ?
          stream->settings->stall_timeout : stream->settings->start_timeout)
      * G_TIME_SPAN_SECOND) {
    /* connecting, a first key frame, a jitter buffer: a start takes
     * longer than the gap between two frames */
    gchar *message = stream->online ?
        g_strdup_printf ("no frame for %g s", stream->settings->stall_timeout) :
        g_strdup_printf ("no frame within %g s of starting",
        stream->settings->start_timeout);

    fail (stream, LIVE_STATUS_OFFLINE, "stalled", message);
    g_free (message);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bus_message (GstBus * bus, GstMessage * message, gpointer data)
{
  LiveStream *stream = data;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:{
      PaletteMessage palette;

      if (palette_message_is_palette (message) &&
          palette_message_parse (message, &palette)) {
        LiveLosses losses = { g_atomic_int_get (stream->skipped), 0 };

        /* the palette's sender is palettesink */
        g_object_get (GST_MESSAGE_SRC (message), "dropped", &losses.dropped,
            NULL);
        /* palettes again: the stream is healthy, back-off starts over */
        stream->attempt = 0;
        stream->on_palette (stream, &palette, &losses, stream->user_data);
      }
      break;
    }
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *text;

      gst_message_parse_error (message, &error, NULL);
      text = g_strdup_printf ("%s: %s", GST_MESSAGE_SRC_NAME (message),
          error->message);
      fail (stream, LIVE_STATUS_ERROR, "failed", text);
      g_free (text);
      g_error_free (error);
      return G_SOURCE_REMOVE;
    }
    case GST_MESSAGE_EOS:
      fail (stream, LIVE_STATUS_OFFLINE, "ended", "end of stream");
      return G_SOURCE_REMOVE;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
  return GST_PAD_PROBE_OK;
}

/* Whichever video decoder decodebin picks skips to the next key frame when
 * it falls behind, and with --keyframes-only never sees a delta unit (as
 * identity drop-buffer-flags=delta-unit between parser and decoder would).
 * Raw sources have no decoder and keep every frame. */
static void
on_element_added (GstBin * bin, GstBin * sub_bin, GstElement * element,
    gpointer data)
{
  LiveStream *stream = data;
  GstElementFactory *factory = gst_element_get_factory (element);
  const gchar *klass;
  GstPad *sink;

  if (factory == NULL)
    return;
  klass = gst_element_factory_get_metadata (factory,
      GST_ELEMENT_METADATA_KLASS);
  if (klass == NULL || strstr (klass, "Decoder") == NULL ||
      strstr (klass, "Video") == NULL)
    return;
  sink = gst_element_get_static_pad (element, "sink");
  if (sink != NULL) {
    live_catchup_attach (sink, LIVE_CATCHUP_MAX_LAG,
        stream->settings->keyframes_only, stream->skipped);
    gst_object_unref (sink);
  }
}

/* the first video pad goes to the sink; audio and the rest stay unlinked */
static void
on_pad_added (GstElement * element, GstPad * pad, gpointer data)
{
  GstElement *sink = data;
  GstPad *sink_pad = gst_element_get_static_pad (sink, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *media;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_caps_is_empty (caps) ? "" :
      gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (media, "video/") && !gst_pad_is_linked (sink_pad))
    gst_pad_link (pad, sink_pad);
  gst_caps_unref (caps);
  gst_object_unref (sink_pad);
}

static GstElement *
make (const gchar * factory, GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "no %s element (is its plugin installed?)", factory);
  return element;
}

static GstElement *
build (LiveStream * stream, GError ** error)
{
  const LiveStreamSettings *s = stream->settings;
  GstElement *pipeline = gst_pipeline_new (stream->name);
  GstElement *decoder = NULL, *sink;
  GstPad *sink_pad;

  sink = make ("palettesink", error);
  if (sink == NULL)
    goto failed;
  g_object_set (sink, "interval", s->interval, "window", s->window,
      "post-messages", TRUE, NULL);
  /* every frame is analysed: nearest costs 5-9x less than the default
   * linear (1.8 ms a 720p frame), which a film's one frame in 60 affords */
  gst_util_set_object_arg (G_OBJECT (sink), "downscale-method", "nearest");
  /* files are played as live: at their own pace */
  if (live_uri_is_file (stream->uri))
    g_object_set (sink, "sync", TRUE, NULL);
  if (s->colors > 0)
    g_object_set (sink, "colors", s->colors, NULL);
  if (s->record_dir != NULL) {
    gchar *file = g_strconcat (stream->name, ".json", NULL);
    gchar *location = g_build_filename (s->record_dir, file, NULL);

    /* the record's fingerprint is bounded by the window, and by this
     * where there is none */
    g_object_set (sink, "location", location, "fingerprint-max", 1024, NULL);
    g_free (location);
    g_free (file);
  } else {
    /* nobody reads the fingerprint: not computed */
    g_object_set (sink, "fingerprint-colors", 0, NULL);
  }
  gst_bin_add (GST_BIN (pipeline), sink);

  if (g_str_has_prefix (stream->uri, "udp://")) {
    GstElement *source = make ("udpsrc", error);
    GstElement *jitter = source ? make ("rtpjitterbuffer", error) : NULL;

    if (jitter == NULL) {
      if (source)
        gst_object_unref (source);
      goto failed;
    }
    decoder = make ("decodebin", error);
    if (decoder == NULL) {
      gst_object_unref (source);
      gst_object_unref (jitter);
      goto failed;
    }
    g_object_set (source, "uri", stream->uri, "caps", s->udp_caps, NULL);
    gst_bin_add_many (GST_BIN (pipeline), source, jitter, decoder, NULL);
    if (!gst_element_link_many (source, jitter, decoder, NULL)) {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
          "cannot link udpsrc to rtpjitterbuffer (is --caps RTP?)");
      goto failed;
    }
  } else {
    decoder = make ("uridecodebin", error);
    if (decoder == NULL)
      goto failed;
    g_object_set (decoder, "uri", stream->uri, NULL);
    gst_bin_add (GST_BIN (pipeline), decoder);
  }
  g_signal_connect (decoder, "pad-added", G_CALLBACK (on_pad_added), sink);
  g_signal_connect (pipeline, "deep-element-added",
      G_CALLBACK (on_element_added), stream);

  sink_pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, count_frame,
      g_atomic_rc_box_acquire (stream->frames),
      (GDestroyNotify) g_atomic_rc_box_release);
  gst_object_unref (sink_pad);
  return pipeline;

failed:
  gst_object_unref (pipeline);
  return NULL;
}

void
live_stream_start (LiveStream * stream)
{
  GError *error = NULL;
  GstBus *bus;

  g_return_if_fail (stream->pipeline == NULL);
  if (stream->retry_timer != 0)
    g_source_remove (stream->retry_timer);
  stream->retry_timer = 0;
  if (stream->frames == NULL)
    stream->frames = g_atomic_rc_box_new0 (gint);
  /* counted from each start, as palettesink's frames and drops */
  if (stream->skipped != NULL)
    g_atomic_rc_box_release (stream->skipped);
  stream->skipped = g_atomic_rc_box_new0 (gint);
  stream->pipeline = build (stream, &error);
  if (stream->pipeline == NULL) {
    fail (stream, LIVE_STATUS_ERROR, "failed", error->message);
    g_error_free (error);
    return;
  }
  bus = gst_element_get_bus (stream->pipeline);
  stream->bus_watch = gst_bus_add_watch (bus, on_bus_message, stream);
  gst_object_unref (bus);
  stream->frames_seen = g_atomic_int_get (stream->frames);
  stream->progress_time = g_get_monotonic_time ();
  stream->watchdog = g_timeout_add (WATCHDOG_PERIOD_MS, watchdog, stream);
  if (stream->attempt == 0)
    tell (stream, LIVE_STATUS_OFFLINE, "connecting", NULL, -1);
  if (gst_element_set_state (stream->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    GstMessage *message;

    /* the reason is on the bus, as an error message */
    bus = gst_element_get_bus (stream->pipeline);
    message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    gst_object_unref (bus);
    if (message != NULL) {
      on_bus_message (NULL, message, stream);
      gst_message_unref (message);
    } else {
      fail (stream, LIVE_STATUS_ERROR, "failed", "cannot start the pipeline");
    }
  }
}

void
live_stream_stop (LiveStream * stream)
{
  if (stream->retry_timer != 0)
    g_source_remove (stream->retry_timer);
  stream->retry_timer = 0;
  teardown (stream);
  tell (stream, LIVE_STATUS_OFFLINE, "stopped", NULL, -1);
}

void
live_stream_free (LiveStream * stream)
{
  gint64 deadline = g_get_monotonic_time () + TEARDOWN_WAIT_US;

  if (stream == NULL)
    return;
  if (stream->retry_timer != 0)
    g_source_remove (stream->retry_timer);
  teardown (stream);
  g_mutex_lock (&teardown_lock);
  while (teardowns > 0)
    if (!g_cond_wait_until (&teardown_done, &teardown_lock, deadline))
      break;
  g_mutex_unlock (&teardown_lock);
  if (stream->frames != NULL)
    g_atomic_rc_box_release (stream->frames);
  if (stream->skipped != NULL)
    g_atomic_rc_box_release (stream->skipped);
  g_free (stream->shown_uri);
  g_free (stream->uri);
  g_free (stream->name);
  g_free (stream);
}
