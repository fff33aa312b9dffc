/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-palettesink
 * @title: palettesink
 *
 * Finds the dominant colors of a video: each frame is downscaled to
 * #GstPaletteSink:width × #GstPaletteSink:height (before any color
 * conversion), frames are clustered in batches of #GstPaletteSink:batch-size
 * and the batches merged, weighted by pixels, into the film's palette.
 * Black-and-white films are detected from the mean saturation and get gray
 * levels instead.
 *
 * At EOS the palette is posted as a `palette` element message (before the
 * EOS message) and written as a JSON record to #GstPaletteSink:location,
 * atomically. With #GstPaletteSink:interval > 0 an updated palette is posted
 * and written, marked incomplete, every interval of running time. When the
 * stream ends in an error, or the pipeline is stopped before EOS, the
 * palette of the frames seen is still posted and written, marked incomplete.
 * The message's fields are documented beside their builder, in
 * palette-message.c (and for users in docs/palettesink.md).
 *
 * Property changes take effect at the next READY→PAUSED transition, where
 * an unwritable #GstPaletteSink:location fails the state change.
 *
 * The work runs in a thread of its own, so that decoding and analysis use
 * two cores: #GstBaseSink::render only queues the frame, and interval
 * updates are computed, posted and written by that thread too.
 *
 * ## Live pipelines
 *
 * Updates are due at every multiple of #GstPaletteSink:interval of running
 * time: the first frame at or past each multiple triggers one, covering the
 * frames up to and including it. This holds for live and non-live sources
 * alike, and behind `framedecimate mode=interval` (an update then waits for
 * the next kept frame).
 *
 * #GstPaletteSink:window limits each palette to the last window of stream
 * time: batches then close after a quarter of the window at most, and
 * batches and fingerprint samples with frames older than the window are
 * dropped, so a scene change fills the palette one window later and memory
 * stays bounded however long the stream runs. Without a window the palette
 * (and the fingerprint, a few bytes per frame) covers the whole stream;
 * #GstPaletteSink:fingerprint-max then bounds the fingerprint by thinning it,
 * to 1024 samples on a live source when left at 0. An update that cannot be
 * written is a warning, retried by the next one.
 *
 * The sink does not sync on the clock by default (#GstBaseSink:sync is
 * FALSE), so it adds no latency and answers latency queries as not live
 * (GstBaseSink's handling). It never holds up a live source: at most
 * 8 frames (64 MiB) wait for the analysis thread, and when the source is
 * live (from the upstream latency query) frames that do not fit are dropped,
 * counted in #GstPaletteSink:dropped, logged and reported in a QoS message,
 * instead of blocking the streaming thread. Non-live sources are throttled
 * instead, so every frame of a file is analysed.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=movie.mp4 ! decodebin ! framedecimate ! palettesink location=palette.json
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstpalettesink.h"
#include "file-end.h"
#include "palette-completeness.h"
#include "palette-message.h"
#include "palette-record.h"
#include "palette-timeline.h"
#include "palette-worker.h"

#include <string.h>

#include "analyzer.h"

#include <palette/sampling-event.h>

GST_DEBUG_CATEGORY (gst_palette_sink_debug);
#define GST_CAT_DEFAULT gst_palette_sink_debug

/* Only the element's own settings: the analyzer's defaults are the
 * engine's, from palette_analyzer_params_init(). */
#define DEFAULT_LOCATION NULL
#define DEFAULT_WIDTH 160
#define DEFAULT_HEIGHT 90
#define DEFAULT_INTERVAL 0
#define DEFAULT_POST_MESSAGES TRUE
/* Linear: issue #19 measured mean CIEDE2000 0.4-2.2 % lower than nearest on
 * the shared clips at ~100 frames (noisy detail: cityCC0.mpg), for about
 * 1.8 ms more per 720p frame analysed: little next to decoding a film,
 * of which framedecimate keeps one frame in 60 */
#define DEFAULT_DOWNSCALE_METHOD GST_VIDEO_RESAMPLER_METHOD_LINEAR
#define DEFAULT_SYNC FALSE

#define MAX_SIZE 4096

/* A live stream's fingerprint, unless fingerprint-max says otherwise: the
 * record (about 140 bytes a sample) is rewritten at every update, and
 * memory must stay bounded for weeks. */
#define LIVE_FINGERPRINT_MAX 1024

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_COLORS,
  PROP_GRAY_LEVELS,
  PROP_BW_MODE,
  PROP_BW_THRESHOLD,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_BATCH_SIZE,
  PROP_SEED,
  PROP_INTERVAL,
  PROP_POST_MESSAGES,
  PROP_FINGERPRINT_COLORS,
  PROP_COLOR_SPACE,
  PROP_DOWNSCALE_METHOD,
  PROP_FRAMES,
  PROP_SYNC,
  PROP_WINDOW,
  PROP_FINGERPRINT_MAX,
  PROP_DROPPED,
  PROP_CROP_BORDERS,
};

/* Work for the analysis thread, run once the frames queued before it are
 * analysed: a palette to publish, or the fingerprint's bound for a stream
 * found to be live. */
typedef struct
{
  gboolean limit_fingerprint;   /* else publish */
  PaletteSpan span;
  gboolean final;
  gboolean complete;
  guint resize_width;           /* the size frames are downscaled to */
  guint resize_height;
  guint source_width;           /* and their size before (0: unknown) */
  guint source_height;
} PaletteSinkTask;

struct _GstPaletteSink
{
  GstBaseSink parent;

  /* properties, GST_OBJECT_LOCK; the analyzer's are kept as the engine's
   * own struct, so that start() hands it over whole */
  PaletteAnalyzerParams settings;
  gchar *location;
  guint width;
  guint height;
  GstClockTime interval;
  gboolean post_messages;
  GstVideoResamplerMethod downscale_method;
  guint64 frames;               /* frames received */
  guint64 dropped;              /* frames dropped: live source, busy thread */

  /* settings of the running stream, fixed in start() */
  gchar *active_location;
  PaletteAnalyzerParams params;
  guint target_width;
  guint target_height;
  GstClockTime active_interval;
  GstClockTime active_window;
  gboolean active_post_messages;
  GstVideoResamplerMethod active_downscale_method;

  /* streaming thread */
  GstVideoInfo info;
  gboolean matrix_stated;       /* the caps named info's YCbCr matrix */
  gboolean have_info;
  PaletteTimeline timeline;
  gchar *title;                 /* GST_OBJECT_LOCK: tags can come from any thread */
  gchar *uri;
  /* GST_OBJECT_LOCK: how upstream chose the frames, from framedecimate's
   * sticky event; the record keeps every-nth's step as frame_skip */
  PaletteSampling sampling;
  gboolean source_queried;
  gboolean live_queried;
  gboolean upstream_live;       /* frames are dropped rather than waited for */
  gboolean fingerprint_limited; /* a live stream's bound was set */
  gboolean finished;            /* a final palette was posted for these frames */
  gboolean async_suspended;     /* during a flush of framedecimate's seeks */
  gint64 start_time;            /* monotonic, µs */

  PaletteErrorWatch *error_watch;       /* from start to stop */

  /* the analysis thread, from start to stop: it owns the analyzer, and
   * every palette is published from it */
  PaletteWorker *worker;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    /* RGB first: an upstream converter then gives what the engine takes */
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE ("RGB") "; "
        GST_VIDEO_CAPS_MAKE (GST_VIDEO_FORMATS_ALL)));

#define gst_palette_sink_parent_class parent_class
G_DEFINE_TYPE (GstPaletteSink, gst_palette_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (palettesink, "palettesink", GST_RANK_NONE,
    GST_TYPE_PALETTE_SINK);

static void gst_palette_sink_finalize (GObject * object);
static void gst_palette_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_palette_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_palette_sink_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_palette_sink_set_caps (GstBaseSink * sink, GstCaps * caps);
static gboolean gst_palette_sink_propose_allocation (GstBaseSink * sink,
    GstQuery * query);
static gboolean gst_palette_sink_event (GstBaseSink * sink, GstEvent * event);
static GstFlowReturn gst_palette_sink_render (GstBaseSink * sink,
    GstBuffer * buffer);

static void
gst_palette_sink_class_init (GstPaletteSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  PaletteAnalyzerParams defaults;

  /* the analyzer's defaults are written once, in the engine */
  palette_analyzer_params_init (&defaults);

  gobject_class->finalize = gst_palette_sink_finalize;
  gobject_class->set_property = gst_palette_sink_set_property;
  gobject_class->get_property = gst_palette_sink_get_property;

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "JSON file the palette record is written to at EOS (and at each "
          "update when interval > 0), replaced atomically; NULL: none",
          DEFAULT_LOCATION, flags));
  g_object_class_install_property (gobject_class, PROP_COLORS,
      g_param_spec_uint ("colors", "Colors",
          "Palette size for color films", 1, 64, defaults.colors, flags));
  g_object_class_install_property (gobject_class, PROP_GRAY_LEVELS,
      g_param_spec_uint ("gray-levels", "Gray levels",
          "Palette size for black-and-white films", 1, 64,
          defaults.gray_levels, flags));
  g_object_class_install_property (gobject_class, PROP_BW_MODE,
      g_param_spec_enum ("bw-mode", "Black-and-white mode",
          "Detect black-and-white films, or force color or gray levels",
          GST_TYPE_PALETTE_SINK_BW_MODE, defaults.bw_mode, flags));
  g_object_class_install_property (gobject_class, PROP_BW_THRESHOLD,
      g_param_spec_double ("bw-threshold", "Black-and-white threshold",
          "Mean HSV saturation below which a film is black-and-white "
          "(bw-mode=auto)", 0.0, 1.0, defaults.bw_threshold, flags));
  g_object_class_install_property (gobject_class, PROP_WIDTH,
      g_param_spec_uint ("width", "Width",
          "Width each frame is downscaled to before clustering (smaller "
          "frames are not upscaled)", 1, MAX_SIZE, DEFAULT_WIDTH, flags));
  g_object_class_install_property (gobject_class, PROP_HEIGHT,
      g_param_spec_uint ("height", "Height",
          "Height each frame is downscaled to before clustering (smaller "
          "frames are not upscaled)", 1, MAX_SIZE, DEFAULT_HEIGHT, flags));
  g_object_class_install_property (gobject_class, PROP_BATCH_SIZE,
      g_param_spec_uint ("batch-size", "Batch size",
          "Frames clustered together before merging into the palette",
          1, G_MAXINT, defaults.batch_size, flags));
  g_object_class_install_property (gobject_class, PROP_SEED,
      g_param_spec_uint ("seed", "Seed",
          "Seed of the clustering: the same input and seed give the same "
          "palette, byte for byte", 0, G_MAXUINT, (guint) defaults.seed, flags));
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "> 0: post (and write) an updated palette every interval of "
          "running time (ns)", 0, G_MAXUINT64, DEFAULT_INTERVAL, flags));
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post palette element messages", DEFAULT_POST_MESSAGES, flags));
  g_object_class_install_property (gobject_class, PROP_FINGERPRINT_COLORS,
      g_param_spec_uint ("fingerprint-colors", "Fingerprint colors",
          "Dominant colors kept per sampled frame for the fingerprint "
          "(0: none)", 0, 16, defaults.fingerprint_colors, flags));
  g_object_class_install_property (gobject_class, PROP_COLOR_SPACE,
      g_param_spec_enum ("color-space", "Color space",
          "Space the clustering measures distances in",
          GST_TYPE_PALETTE_SINK_COLOR_SPACE, defaults.space, flags));
  g_object_class_install_property (gobject_class, PROP_DOWNSCALE_METHOD,
      g_param_spec_enum ("downscale-method", "Downscale method",
          "Resampling used to downscale frames: linear averages the pixels "
          "each sample covers (palettes closer to the film's pixels than "
          "nearest's, about 1.8 ms a 720p frame); nearest samples single "
          "pixels (cheapest, 5x less for the whole sink); cubic, sinc and "
          "lanczos filter more", GST_TYPE_PALETTE_SINK_DOWNSCALE_METHOD,
          DEFAULT_DOWNSCALE_METHOD, flags));
  g_object_class_install_property (gobject_class, PROP_FRAMES,
      g_param_spec_uint64 ("frames", "Frames",
          "Frames received since the last start", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "> 0: palettes describe only the last window of stream time (ns), "
          "so that a scene change shows one window later and memory stays "
          "bounded; 0: the whole stream", 0, G_MAXUINT64, defaults.window,
          flags));
  g_object_class_install_property (gobject_class, PROP_FINGERPRINT_MAX,
      g_param_spec_uint ("fingerprint-max", "Fingerprint maximum",
          "> 0: at most this many fingerprint samples, thinned evenly over "
          "the stream when full (bounds a long live stream's record); "
          "0: one per analysed frame (within the window, if any), but at "
          "most 1024 on a live source without a window",
          0, G_MAXUINT, defaults.fingerprint_max, flags));
  g_object_class_install_property (gobject_class, PROP_CROP_BORDERS,
      g_param_spec_boolean ("crop-borders", "Crop borders",
          "Leave constant black borders (letterbox, pillarbox bars, found "
          "over many frames) out of the palette, its shares and the "
          "fingerprint; the record's \"crop\" says what was left out "
          "(FALSE: keep them)", defaults.crop_borders != 0, flags));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped",
          "Frames dropped since the last start because the analysis thread "
          "was behind a live source (never on non-live sources)",
          0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* An analysis sink must not wait for the clock on files: shadow
   * GstBaseSink's "sync" to change its default. */
  g_object_class_install_property (gobject_class, PROP_SYNC,
      g_param_spec_boolean ("sync", "Sync",
          "Sync on the clock (off: analyse as fast as frames come)",
          DEFAULT_SYNC, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  gst_element_class_set_static_metadata (element_class,
      "Palette sink", "Sink/Analyzer/Video",
      "Finds the dominant colors of a video: posts the palette as a "
      "\"palette\" element message and writes it as a JSON record",
      "gst-palette contributors");
  gst_element_class_add_static_metadata (element_class, "message",
      palette_message_get_summary ());
  gst_element_class_add_static_pad_template (element_class, &sink_template);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_palette_sink_change_state);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_palette_sink_set_caps);
  basesink_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_palette_sink_propose_allocation);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_palette_sink_event);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_palette_sink_render);

  gst_type_mark_as_plugin_api (GST_TYPE_PALETTE_SINK_BW_MODE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_PALETTE_SINK_COLOR_SPACE, 0);

  GST_DEBUG_CATEGORY_INIT (gst_palette_sink_debug, "palettesink", 0,
      "palettesink: dominant colors of a video");
}

static void
gst_palette_sink_init (GstPaletteSink * self)
{
  palette_analyzer_params_init (&self->settings);
  self->location = g_strdup (DEFAULT_LOCATION);
  self->width = DEFAULT_WIDTH;
  self->height = DEFAULT_HEIGHT;
  self->interval = DEFAULT_INTERVAL;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->downscale_method = DEFAULT_DOWNSCALE_METHOD;

  gst_base_sink_set_sync (GST_BASE_SINK (self), DEFAULT_SYNC);
  /* every frame is analysed: no QoS, no lateness drops */
  gst_base_sink_set_qos_enabled (GST_BASE_SINK (self), FALSE);
  gst_base_sink_set_max_lateness (GST_BASE_SINK (self), -1);
  /* don't hold on to a full-size frame */
  gst_base_sink_set_last_sample_enabled (GST_BASE_SINK (self), FALSE);
}

static void
gst_palette_sink_finalize (GObject * object)
{
  GstPaletteSink *self = GST_PALETTE_SINK (object);

  g_free (self->location);
  g_free (self->active_location);
  g_free (self->title);
  g_free (self->uri);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_palette_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstPaletteSink *self = GST_PALETTE_SINK (object);

  if (prop_id == PROP_SYNC) {
    gst_base_sink_set_sync (GST_BASE_SINK (self), g_value_get_boolean (value));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_COLORS:
      self->settings.colors = g_value_get_uint (value);
      break;
    case PROP_GRAY_LEVELS:
      self->settings.gray_levels = g_value_get_uint (value);
      break;
    case PROP_BW_MODE:
      self->settings.bw_mode = g_value_get_enum (value);
      break;
    case PROP_BW_THRESHOLD:
      self->settings.bw_threshold = g_value_get_double (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_uint (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_uint (value);
      break;
    case PROP_BATCH_SIZE:
      self->settings.batch_size = g_value_get_uint (value);
      break;
    case PROP_SEED:
      self->settings.seed = g_value_get_uint (value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_uint64 (value);
      break;
    case PROP_POST_MESSAGES:
      self->post_messages = g_value_get_boolean (value);
      break;
    case PROP_FINGERPRINT_COLORS:
      self->settings.fingerprint_colors = g_value_get_uint (value);
      break;
    case PROP_COLOR_SPACE:
      self->settings.space = g_value_get_enum (value);
      break;
    case PROP_DOWNSCALE_METHOD:
      self->downscale_method = g_value_get_enum (value);
      break;
    case PROP_WINDOW:
      self->settings.window = g_value_get_uint64 (value);
      break;
    case PROP_FINGERPRINT_MAX:
      self->settings.fingerprint_max = g_value_get_uint (value);
      break;
    case PROP_CROP_BORDERS:
      self->settings.crop_borders = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_palette_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstPaletteSink *self = GST_PALETTE_SINK (object);

  if (prop_id == PROP_SYNC) {
    g_value_set_boolean (value, gst_base_sink_get_sync (GST_BASE_SINK (self)));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_COLORS:
      g_value_set_uint (value, self->settings.colors);
      break;
    case PROP_GRAY_LEVELS:
      g_value_set_uint (value, self->settings.gray_levels);
      break;
    case PROP_BW_MODE:
      g_value_set_enum (value, self->settings.bw_mode);
      break;
    case PROP_BW_THRESHOLD:
      g_value_set_double (value, self->settings.bw_threshold);
      break;
    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->settings.batch_size);
      break;
    case PROP_SEED:
      g_value_set_uint (value, (guint) self->settings.seed);
      break;
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->interval);
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, self->post_messages);
      break;
    case PROP_FINGERPRINT_COLORS:
      g_value_set_uint (value, self->settings.fingerprint_colors);
      break;
    case PROP_COLOR_SPACE:
      g_value_set_enum (value, self->settings.space);
      break;
    case PROP_DOWNSCALE_METHOD:
      g_value_set_enum (value, self->downscale_method);
      break;
    case PROP_FRAMES:
      g_value_set_uint64 (value, self->frames);
      break;
    case PROP_WINDOW:
      g_value_set_uint64 (value, self->settings.window);
      break;
    case PROP_FINGERPRINT_MAX:
      g_value_set_uint (value, self->settings.fingerprint_max);
      break;
    case PROP_CROP_BORDERS:
      g_value_set_boolean (value, self->settings.crop_borders != 0);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean gst_palette_sink_publish_now (GstPaletteSink * self,
    PaletteAnalyzer * analyzer, const PaletteSinkTask * task);

/* Runs in the analysis thread, with the analyzer. */
static gboolean
gst_palette_sink_run_task (PaletteAnalyzer * analyzer, gpointer data,
    gpointer user_data)
{
  PaletteSinkTask *task = data;

  if (task->limit_fingerprint) {
    palette_analyzer_limit_fingerprint (analyzer, LIVE_FINGERPRINT_MAX);
    return TRUE;
  }
  return gst_palette_sink_publish_now (user_data, analyzer, task);
}

/* ------------------------------------------------------------------------ */
/* Where the stream comes from */

static void
gst_palette_sink_query_source (GstPaletteSink * self)
{
  GstQuery *query = gst_query_new_uri ();
  gchar *uri = NULL;

  if (gst_pad_peer_query (GST_BASE_SINK_PAD (self), query))
    gst_query_parse_uri (query, &uri);
  gst_query_unref (query);

  GST_OBJECT_LOCK (self);
  g_free (self->uri);
  self->uri = uri;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "source URI %s", GST_STR_NULL (uri));
}

/* ------------------------------------------------------------------------ */
/* Posting and writing */

/* The YCbCr to RGB matrix frames are converted with, as the record names
 * it */
static const gchar *
color_matrix_name (GstVideoColorMatrix matrix)
{
  switch (matrix) {
    case GST_VIDEO_COLOR_MATRIX_BT601:
      return "bt601";
    case GST_VIDEO_COLOR_MATRIX_BT709:
      return "bt709";
    case GST_VIDEO_COLOR_MATRIX_BT2020:
      return "bt2020";
    case GST_VIDEO_COLOR_MATRIX_SMPTE240M:
      return "smpte240m";
    case GST_VIDEO_COLOR_MATRIX_FCC:
      return "fcc";
    case GST_VIDEO_COLOR_MATRIX_RGB:
      return "none";
    default:
      return NULL;
  }
}

/* The record's color_matrix and color_matrix_stated, from the worker (the
 * caller runs as its task): untagged frames choose their matrix there */
static void
gst_palette_sink_describe_matrix (GstPaletteSink * self,
    PaletteRecordInfo * info)
{
  gboolean stated;
  GstVideoColorMatrix matrix = palette_worker_get_color_matrix (self->worker,
      &stated);

  if (matrix == GST_VIDEO_COLOR_MATRIX_UNKNOWN)
    return;                     /* no frame */
  info->color_matrix = color_matrix_name (matrix);
  if (matrix != GST_VIDEO_COLOR_MATRIX_RGB)
    info->color_matrix_stated = stated;
}

static gboolean
gst_palette_sink_write_record (GstPaletteSink * self,
    PaletteAnalyzer * analyzer, const PalettePalette * palette,
    const PaletteSinkTask * task)
{
  PaletteRecordInfo info;
  JsonNode *record;
  GError *error = NULL;
  gchar *title, *uri;
  PaletteSampling sampling;
  gint64 duration = -1;
  gboolean ok;

  palette_record_info_init (&info);

  GST_OBJECT_LOCK (self);
  title = g_strdup (self->title);
  uri = g_strdup (self->uri);
  sampling = self->sampling;
  GST_OBJECT_UNLOCK (self);
  if (!title)
    title = palette_record_title_from_uri (uri);

  if (gst_pad_peer_query_duration (GST_BASE_SINK_PAD (self), GST_FORMAT_TIME,
          &duration) && duration >= 0)
    info.duration_seconds = duration / (gdouble) GST_SECOND;

  info.title = title;
  info.uri = uri;
  /* the seed notebook's frame_skip, one frame in n, is what every-nth
   * keeps (the step in use, lower than the property on a film too short
   * for min-frames); other samplings leave it unknown */
  if (palette_sampling_mode_is (&sampling, PALETTE_SAMPLING_MODE_EVERY_NTH))
    info.frame_skip = sampling.step;
  info.calculation_duration_seconds =
      (g_get_monotonic_time () - self->start_time) / G_USEC_PER_SEC;
  /* a whole film's palette clusters its histogram by k-medians; a window's
   * merges its batches' k-means centers */
  info.clustering_method = self->params.film_method == PALETTE_FILM_KMEDIANS
      && self->params.window == 0 ? "kmedians" : "kmeans";
  info.color_space = palette_color_space_name (self->params.space);
  info.clusters_nb = palette->black_and_white ? self->params.gray_levels :
      self->params.colors;
  info.resize_width = task->resize_width;
  info.resize_height = task->resize_height;
  info.batch_size = self->params.batch_size;
  info.source_width = task->source_width;
  info.source_height = task->source_height;
  info.complete = task->complete;
  info.sampling_mode = sampling.mode;
  info.sampling_step = sampling.step;
  info.sampling_requested_step = sampling.requested_step;
  info.sampling_min_frames = sampling.min_frames;
  info.sampling_interval_seconds = sampling.interval / (gdouble) GST_SECOND;
  info.sampling_count = sampling.count;
  info.sampling_scene_threshold = sampling.scene_threshold;
  info.seed = self->params.seed;
  info.bw_threshold = self->params.bw_threshold;
  gst_palette_sink_describe_matrix (self, &info);
  info.engine_version = VERSION;

  record = palette_record_build (&info, palette);
  ok = palette_record_write (record, analyzer, self->active_location,
      &error);
  if (!ok && !task->final) {
    /* an update: the next one retries, and a live stream goes on */
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write the palette to \"%s\"; the next update retries.",
            self->active_location), ("%s", error->message));
    g_clear_error (&error);
    ok = TRUE;
  } else if (!ok) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        ("Could not write the palette to \"%s\".", self->active_location),
        ("%s", error->message));
    g_clear_error (&error);
  } else {
    GST_INFO_OBJECT (self, "wrote %s", self->active_location);
  }

  json_node_unref (record);
  g_free (title);
  g_free (uri);
  return ok;
}

/* Posts the palette of the frames analysed so far and writes the record;
 * from the analysis thread, the analyzer's one owner. */
static gboolean
gst_palette_sink_publish_now (GstPaletteSink * self,
    PaletteAnalyzer * analyzer, const PaletteSinkTask * task)
{
  PalettePalette palette;
  PaletteStatus status = palette_analyzer_get_palette (analyzer, &palette);

  if (status == PALETTE_EMPTY)
    return TRUE;                /* no frames yet: nothing to publish */
  if (status == PALETTE_OUT_OF_MEMORY) {
    GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, (NULL),
        ("Could not compute the palette: %s",
            palette_status_to_string (status)));
    return FALSE;
  }
  if (status != PALETTE_OK) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, (NULL),
        ("Could not compute the palette: %s",
            palette_status_to_string (status)));
    return FALSE;
  }

  GST_DEBUG_OBJECT (self, "palette of %" G_GUINT64_FORMAT " frames: %u colors,"
      " final %d, complete %d", (guint64) palette.frames, palette.n_colors,
      task->final, task->complete);

  if (self->active_post_messages)
    gst_element_post_message (GST_ELEMENT (self),
        palette_message_new (GST_OBJECT (self), &palette, &task->span,
            task->final, task->complete));
  if (self->active_location)
    return gst_palette_sink_write_record (self, analyzer, &palette, task);
  return TRUE;
}

/* Has the analysis thread publish the palette of every frame queued so
 * far; WAIT returns once it is published (EOS, stop), FALSE when that or
 * the analysis failed. */
static gboolean
gst_palette_sink_publish (GstPaletteSink * self, gboolean final,
    gboolean complete, gboolean wait)
{
  PaletteSinkTask *task = g_new0 (PaletteSinkTask, 1);

  palette_timeline_get_span (&self->timeline, &GST_BASE_SINK (self)->segment,
      self->active_window, &task->span);
  task->final = final;
  task->complete = complete;
  /* frames are not upscaled: the size used is the smaller of the two */
  task->resize_width = self->target_width;
  task->resize_height = self->target_height;
  if (self->have_info) {
    task->resize_width = MIN (task->resize_width,
        (guint) GST_VIDEO_INFO_WIDTH (&self->info));
    task->resize_height = MIN (task->resize_height,
        (guint) GST_VIDEO_INFO_HEIGHT (&self->info));
    task->source_width = GST_VIDEO_INFO_WIDTH (&self->info);
    task->source_height = GST_VIDEO_INFO_HEIGHT (&self->info);
  }
  return palette_worker_push_task (self->worker, task, g_free, wait);
}

/* ------------------------------------------------------------------------ */
/* GstBaseSink */

static void
gst_palette_sink_reset_stream (GstPaletteSink * self)
{
  self->have_info = FALSE;
  palette_timeline_reset (&self->timeline);
  self->source_queried = FALSE;
  self->live_queried = FALSE;
  self->upstream_live = FALSE;
  self->fingerprint_limited = FALSE;
  self->finished = FALSE;
  g_free (self->title);
  self->title = NULL;
  g_free (self->uri);
  self->uri = NULL;
  memset (&self->sampling, 0, sizeof (self->sampling));
}

/* A new analysis thread with a new analyzer of PARAMS, at the stream's
 * sizes; NULL (and an error posted) when the engine refuses PARAMS. */
static PaletteWorker *
gst_palette_sink_new_worker (GstPaletteSink * self,
    const PaletteAnalyzerParams * params)
{
  PaletteAnalyzer *analyzer = palette_analyzer_new (params);

  if (analyzer == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, (NULL),
        ("The color engine refused the settings"));
    return NULL;
  }
  return palette_worker_new (GST_ELEMENT (self), analyzer,
      self->target_width, self->target_height, self->active_downscale_method,
      gst_palette_sink_run_task, self);
}

/* READY→PAUSED: fixes the settings for this stream; fails (before anything
 * is decoded, as sinks change state first) when location is unwritable. */
static gboolean
gst_palette_sink_setup (GstPaletteSink * self)
{
  PaletteAnalyzerParams params;
  PaletteWorker *worker;
  GError *error = NULL;
  gchar *location;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  params = self->settings;
  self->active_window = params.window;
  self->target_width = self->width;
  self->target_height = self->height;
  self->active_interval = self->interval;
  self->active_post_messages = self->post_messages;
  self->active_downscale_method = self->downscale_method;
  self->frames = 0;
  self->dropped = 0;
  GST_OBJECT_UNLOCK (self);

  /* fail the state change before anything is decoded */
  if (location && (location[0] == '\0'
          || !palette_record_check_location (location, &error))) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not open \"%s\" for writing.", location),
        ("%s", error ? error->message : "empty file name"));
    g_clear_error (&error);
    g_free (location);
    return FALSE;
  }

  worker = gst_palette_sink_new_worker (self, &params);
  if (!worker) {
    g_free (location);
    return FALSE;
  }
  self->params = params;
  g_free (self->active_location);
  self->active_location = location;

  gst_palette_sink_reset_stream (self);
  self->start_time = g_get_monotonic_time ();
  self->worker = worker;
  self->error_watch = palette_error_watch_new (GST_ELEMENT (self));
  return TRUE;
}

/* PAUSED→READY, once streaming has stopped. */
static void
gst_palette_sink_teardown (GstPaletteSink * self)
{
  guint64 frames;

  GST_OBJECT_LOCK (self);
  frames = self->frames;
  GST_OBJECT_UNLOCK (self);

  /* stopped before EOS (an upstream error, an interrupted run): the frames
   * seen are not lost */
  if (self->worker && frames > 0 && !self->finished) {
    GST_INFO_OBJECT (self, "stopped before EOS after %" G_GUINT64_FORMAT
        " frames", frames);
    gst_palette_sink_publish (self, FALSE, FALSE, TRUE);
  }

  g_clear_pointer (&self->worker, palette_worker_free);
  g_clear_pointer (&self->error_watch, palette_error_watch_free);
  g_clear_pointer (&self->active_location, g_free);
  gst_palette_sink_reset_stream (self);
}

static GstStateChangeReturn
gst_palette_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstPaletteSink *self = GST_PALETTE_SINK (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED
      && !gst_palette_sink_setup (self))
    return GST_STATE_CHANGE_FAILURE;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (ret == GST_STATE_CHANGE_FAILURE)
        gst_palette_sink_teardown (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* the streaming thread has stopped; the bus still delivers, unlike
       * in READY→NULL, where basesink's stop() runs */
      gst_palette_sink_teardown (self);
      break;
    default:
      break;
  }
  return ret;
}

/* Whether CAPS name their YCbCr matrix: decoders leave colorimetry out, or
 * its matrix unknown, when the stream does not say, and GStreamer then
 * assumes one by the frame size */
static gboolean
caps_state_matrix (GstCaps * caps)
{
  const gchar *text = gst_structure_get_string (gst_caps_get_structure (caps,
          0), "colorimetry");
  GstVideoColorimetry colorimetry;

  return text != NULL && gst_video_colorimetry_from_string (&colorimetry, text)
      && colorimetry.matrix != GST_VIDEO_COLOR_MATRIX_UNKNOWN;
}

static gboolean
gst_palette_sink_set_caps (GstBaseSink * sink, GstCaps * caps)
{
  GstPaletteSink *self = GST_PALETTE_SINK (sink);
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, caps)) {
    GST_ERROR_OBJECT (self, "invalid caps %" GST_PTR_FORMAT, caps);
    return FALSE;
  }
  /* queued frames keep the info they came with; the analyzer keeps its
   * state across caps changes */
  GST_DEBUG_OBJECT (self, "caps %" GST_PTR_FORMAT, caps);
  self->info = info;
  self->matrix_stated = caps_state_matrix (caps);
  self->have_info = TRUE;
  return TRUE;
}

static gboolean
gst_palette_sink_propose_allocation (GstBaseSink * sink, GstQuery * query)
{
  /* frames are mapped with their strides: no copies upstream */
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return TRUE;
}

/* An EOS that ends less than the stream: an upstream error, or a file cut
 * short (then warned about). */
static gboolean
gst_palette_sink_stream_is_whole (GstPaletteSink * self)
{
  GstClockTime position, end;
  GstSegment segment;
  gchar *path, *detail = NULL;
  gboolean whole = TRUE, sampling_ended;

  if (palette_error_watch_saw_error (self->error_watch))
    return FALSE;
  GST_OBJECT_LOCK (self);
  gst_segment_copy_into (&GST_BASE_SINK (self)->segment, &segment);
  /* framedecimate ended the stream itself after its last sample: short of
   * the duration by design (the file's end is still checked below) */
  sampling_ended = self->sampling.ended;
  GST_OBJECT_UNLOCK (self);
  if (!sampling_ended && palette_stream_was_cut (GST_BASE_SINK_PAD (self),
          &segment, &position, &end)) {
    GST_ELEMENT_WARNING (self, STREAM, DEMUX,
        ("The stream ended at %" GST_TIME_FORMAT " of %" GST_TIME_FORMAT
            ": the file looks cut short, the palette covers what was "
            "received.", GST_TIME_ARGS (position), GST_TIME_ARGS (end)),
        (NULL));
    return FALSE;
  }

  /* the demuxers of AVI, Ogg and MPEG-PS, and every demuxer in key-unit
   * trick modes, end a cut file as if it were whole: the file tells */
  GST_OBJECT_LOCK (self);
  path = self->uri ? g_filename_from_uri (self->uri, NULL, NULL) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (path && palette_file_end_check (path, &detail) == PALETTE_FILE_END_CUT) {
    GST_ELEMENT_WARNING (self, STREAM, DEMUX,
        ("The file looks cut short (%s): the palette covers what was "
            "received.", detail), ("%s", path));
    whole = FALSE;
  }
  g_free (detail);
  g_free (path);
  return whole;
}

/* An application's flushing seek: the frames that follow make a palette of
 * their own, so the analysis starts over (a new analyzer, no frames) with
 * the stream's settings. framedecimate's own sampling seeks are not that:
 * their flushes carry the seqnum its sampling event announced. */
static gboolean
gst_palette_sink_restart_analysis (GstPaletteSink * self)
{
  PaletteWorker *worker;

  if (self->worker == NULL)
    return TRUE;
  worker = gst_palette_sink_new_worker (self, &self->params);
  if (worker == NULL)
    return FALSE;
  GST_INFO_OBJECT (self, "a seek not framedecimate's: the analysis restarts");
  palette_worker_free (self->worker);
  self->worker = worker;
  palette_timeline_reset (&self->timeline);
  /* a live stream's fingerprint bound is set again on the new analyzer */
  self->fingerprint_limited = FALSE;
  GST_OBJECT_LOCK (self);
  self->frames = 0;
  self->dropped = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_palette_sink_event (GstBaseSink * sink, GstEvent * event)
{
  GstPaletteSink *self = GST_PALETTE_SINK (sink);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_TAG:{
      GstTagList *tags;
      gchar *title = NULL;

      gst_event_parse_tag (event, &tags);
      if (gst_tag_list_get_string (tags, GST_TAG_TITLE, &title)) {
        GST_OBJECT_LOCK (self);
        if (!self->title) {
          self->title = title;
          title = NULL;
        }
        GST_OBJECT_UNLOCK (self);
        g_free (title);
      }
      break;
    }
    case GST_EVENT_STREAM_START:
      /* a new stream tells its own sampling, if any */
      GST_OBJECT_LOCK (self);
      memset (&self->sampling, 0, sizeof (self->sampling));
      GST_OBJECT_UNLOCK (self);
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM_STICKY:{
      PaletteSampling sampling;

      if (palette_sampling_event_parse (event, &sampling)) {
        GST_DEBUG_OBJECT (self, "sampling %" GST_PTR_FORMAT, event);
        GST_OBJECT_LOCK (self);
        self->sampling = sampling;
        GST_OBJECT_UNLOCK (self);
      }
      break;
    }
    case GST_EVENT_FLUSH_START:{
      gboolean sampling_seek;

      /* framedecimate's sampling seeks come dozens in a row. With
       * asynchronous state changes each flush makes the pipeline lose its
       * state and preroll again, and so many in a row left GstBin's state
       * machine in PAUSED, the sink waiting for a PLAYING that never came:
       * these flushes keep the state (the sink does not sync by default). */
      GST_OBJECT_LOCK (self);
      sampling_seek = palette_sampling_owns_event (&self->sampling, event);
      GST_OBJECT_UNLOCK (self);
      if (sampling_seek && gst_base_sink_is_async_enabled (sink)) {
        self->async_suspended = TRUE;
        gst_base_sink_set_async_enabled (sink, FALSE);
      }
      break;
    }
    case GST_EVENT_FLUSH_STOP:{
      gboolean sampling_seek, ret;

      GST_OBJECT_LOCK (self);
      sampling_seek = palette_sampling_owns_event (&self->sampling, event);
      GST_OBJECT_UNLOCK (self);
      if (!sampling_seek && !gst_palette_sink_restart_analysis (self)) {
        gst_event_unref (event);
        return FALSE;
      }
      /* after a flushing seek a new EOS gives a new final palette; updates
       * follow the new segment's running time */
      self->finished = FALSE;
      palette_timeline_restart_updates (&self->timeline);
      self->live_queried = FALSE;
      ret = GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
      if (self->async_suspended) {
        self->async_suspended = FALSE;
        gst_base_sink_set_async_enabled (sink, TRUE);
      }
      return ret;
    }
    case GST_EVENT_EOS:{
      guint64 frames;
      gboolean complete, ok;

      GST_OBJECT_LOCK (self);
      frames = self->frames;
      GST_OBJECT_UNLOCK (self);

      if (frames == 0) {
        if (!palette_error_watch_saw_error (self->error_watch))
          GST_ELEMENT_ERROR (self, STREAM, FAILED,
              ("No frames were received before the end of the stream: "
                  "no palette."), (NULL));
        gst_event_unref (event);
        return FALSE;
      }
      complete = gst_palette_sink_stream_is_whole (self);
      ok = gst_palette_sink_publish (self, TRUE, complete, TRUE);
      self->finished = TRUE;
      if (!ok) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
    }
    default:
      break;
  }

  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

/* Whether upstream is live: its frames are then dropped, not waited for,
 * when the analysis thread is behind. */
static void
gst_palette_sink_query_live (GstPaletteSink * self)
{
  GstQuery *query = gst_query_new_latency ();
  gboolean live = FALSE;

  if (gst_pad_peer_query (GST_BASE_SINK_PAD (self), query))
    gst_query_parse_latency (query, &live, NULL, NULL);
  gst_query_unref (query);

  GST_DEBUG_OBJECT (self, "upstream is %slive", live ? "" : "not ");
  self->upstream_live = live;
}

/* Counts, logs and reports (as basesink does for late frames) a frame of a
 * live source dropped because the analysis thread was behind. */
static void
gst_palette_sink_report_drop (GstPaletteSink * self, GstBuffer * buffer)
{
  GstBaseSink *basesink = GST_BASE_SINK (self);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime running_time = GST_CLOCK_TIME_NONE;
  GstClockTime stream_time = GST_CLOCK_TIME_NONE;
  guint64 frames, dropped;
  GstMessage *qos;

  GST_OBJECT_LOCK (self);
  dropped = ++self->dropped;
  frames = self->frames;
  GST_OBJECT_UNLOCK (self);

  if (dropped == 1)
    GST_INFO_OBJECT (self, "analysis is behind the live source: dropping "
        "frames");
  GST_DEBUG_OBJECT (self, "dropped frame %" GST_TIME_FORMAT " (%"
      G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ")", GST_TIME_ARGS (pts),
      dropped, frames);

  if (GST_CLOCK_TIME_IS_VALID (pts)
      && basesink->segment.format == GST_FORMAT_TIME) {
    running_time = gst_segment_to_running_time (&basesink->segment,
        GST_FORMAT_TIME, pts);
    stream_time = gst_segment_to_stream_time (&basesink->segment,
        GST_FORMAT_TIME, pts);
  }
  qos = gst_message_new_qos (GST_OBJECT (self), TRUE, running_time,
      stream_time, pts, GST_BUFFER_DURATION (buffer));
  gst_message_set_qos_stats (qos, GST_FORMAT_BUFFERS, frames - dropped,
      dropped);
  gst_element_post_message (GST_ELEMENT (self), qos);
}

static GstFlowReturn
gst_palette_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstPaletteSink *self = GST_PALETTE_SINK (sink);
  GstClockTime timestamp;
  PaletteWorkerResult result;

  if (G_UNLIKELY (!self->have_info)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("Received a buffer before caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (G_UNLIKELY (!self->source_queried)) {
    gst_palette_sink_query_source (self);
    self->source_queried = TRUE;
  }

  if (G_UNLIKELY (!self->live_queried)) {
    gst_palette_sink_query_live (self);
    self->live_queried = TRUE;
    if (self->upstream_live && self->params.fingerprint_max == 0
        && self->params.window == 0 && !self->fingerprint_limited) {
      PaletteSinkTask *task = g_new0 (PaletteSinkTask, 1);

      GST_INFO_OBJECT (self, "live source: the fingerprint keeps at most %u "
          "samples", LIVE_FINGERPRINT_MAX);
      task->limit_fingerprint = TRUE;
      self->fingerprint_limited = TRUE;
      if (!palette_worker_push_task (self->worker, task, g_free, FALSE))
        return GST_FLOW_ERROR;
    }
  }

  timestamp = palette_timeline_add_frame (&self->timeline, &sink->segment,
      buffer, &self->info);
  result = palette_worker_push_frame (self->worker, buffer, &self->info,
      self->matrix_stated, timestamp, self->upstream_live);
  if (result == PALETTE_WORKER_FAILED)
    return GST_FLOW_ERROR;

  GST_OBJECT_LOCK (self);
  self->frames++;
  GST_OBJECT_UNLOCK (self);
  if (result == PALETTE_WORKER_DROPPED)
    gst_palette_sink_report_drop (self, buffer);

  /* published by the analysis thread once this frame is analysed: the
   * streaming thread does not wait for the clustering */
  if (palette_timeline_update_due (&self->timeline, &sink->segment,
          GST_BUFFER_PTS (buffer), self->active_interval)
      && !gst_palette_sink_publish (self, FALSE, FALSE, FALSE))
    return GST_FLOW_ERROR;

  return GST_FLOW_OK;
}
