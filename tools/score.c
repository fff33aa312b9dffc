/* gst-palette score: the benchmark's palette metric, owned by the project.
 *
 * Frames evenly spaced over the film (as numpy's linspace from the first to
 * the last frame, rounded half to even), each downscaled to 160x90 by area
 * averaging (as OpenCV's INTER_AREA), every pixel's CIEDE2000 to its nearest
 * palette color (the engine's CIELAB, D65, and CIEDE2000). The mean is the
 * figure docs/benchmarks.md reports. */
#include "score.h"

#include <colorspace.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_WIDTH 160
#define SCORE_HEIGHT 90
/* every wait on the pipeline is bounded */
#define SCORE_WAIT (60 * GST_SECOND)

static gboolean
parse_color (JsonNode * node, guint32 * color)
{
  if (JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING) {
    const gchar *text = json_node_get_string (node);
    gchar *end = NULL;
    guint64 value;

    if (*text == '#')
      text++;
    value = g_ascii_strtoull (text, &end, 16);
    if (strlen (text) != 6 || end == NULL || *end != '\0')
      return FALSE;
    *color = value;
    return TRUE;
  }
  if (JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) == 3) {
    JsonArray *rgb = json_node_get_array (node);
    double channels[3];
    guint i;

    for (i = 0; i < 3; i++) {
      JsonNode *c = json_array_get_element (rgb, i);

      if (!JSON_NODE_HOLDS_VALUE (c))
        return FALSE;
      channels[i] = json_node_get_double (c);
      if (!(channels[i] >= 0 && channels[i] <= 255))
        return FALSE;
    }
    *color = palette_rgb_pack (channels);
    return TRUE;
  }
  return FALSE;
}

GArray *
score_load_palette (const gchar * path, GError ** error)
{
  JsonParser *parser = json_parser_new ();
  JsonNode *root, *list;
  GArray *palette = NULL;
  guint i, n;

  if (!json_parser_load_from_file (parser, path, error))
    goto out;
  root = json_parser_get_root (parser);
  list = root;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    list = json_object_get_member (json_node_get_object (root), "colors");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) ||
      (n = json_array_get_length (json_node_get_array (list))) == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: no palette (a record with \"colors\", or a list of colors)",
        path);
    goto out;
  }
  palette = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  for (i = 0; i < n; i++) {
    guint32 color;

    if (!parse_color (json_array_get_element (json_node_get_array (list), i),
            &color)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: color %u is neither [r, g, b] (0-255) nor \"#rrggbb\"", path,
          i + 1);
      g_clear_pointer (&palette, g_array_unref);
      goto out;
    }
    g_array_append_val (palette, color);
  }
out:
  g_object_unref (parser);
  return palette;
}

/* Waits for a message of TYPES: FALSE with the error, or on a timeout. */
static gboolean
wait_for (GstElement * pipeline, GstMessageType types, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *message = gst_bus_timed_pop_filtered (bus, SCORE_WAIT,
      types | GST_MESSAGE_ERROR);
  gboolean ok = FALSE;

  if (message == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "no answer from the pipeline in %u s",
        (guint) (SCORE_WAIT / GST_SECOND));
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (message, error, NULL);
  } else {
    ok = TRUE;
  }
  if (message)
    gst_message_unref (message);
  gst_object_unref (bus);
  return ok;
}

/* One channel plane of an RGB frame averaged over each destination pixel's
 * area, with the partial source pixels at its edges weighted by the part
 * they cover (OpenCV's INTER_AREA when shrinking). */
static void
resize_area (const guint8 * src, gint width, gint height, gint stride,
    guint8 * dst)
{
  const gdouble sx = (gdouble) width / SCORE_WIDTH;
  const gdouble sy = (gdouble) height / SCORE_HEIGHT;
  gint dx, dy, x, y, c;

  for (dy = 0; dy < SCORE_HEIGHT; dy++) {
    gdouble y0 = dy * sy, y1 = MIN ((dy + 1) * sy, height);

    for (dx = 0; dx < SCORE_WIDTH; dx++) {
      gdouble x0 = dx * sx, x1 = MIN ((dx + 1) * sx, width);
      gdouble sum[3] = { 0, 0, 0 }, area = 0;

      for (y = (gint) y0; y < y1; y++) {
        gdouble wy = MIN (y + 1, y1) - MAX (y, y0);

        for (x = (gint) x0; x < x1; x++) {
          gdouble w = wy * (MIN (x + 1, x1) - MAX (x, x0));
          const guint8 *p = src + y * stride + x * 3;

          for (c = 0; c < 3; c++)
            sum[c] += w * p[c];
          area += w;
        }
      }
      for (c = 0; c < 3; c++)
        dst[(dy * SCORE_WIDTH + dx) * 3 + c] =
            (guint8) CLAMP (nearbyint (sum[c] / area), 0, 255);
    }
  }
}

/* Frame numbers as numpy.unique(numpy.round(numpy.linspace(0, total - 1,
 * k))): nearbyint rounds half to even, as numpy does. */
static GArray *
spread_frames (guint64 total, guint n_frames)
{
  guint64 k = MAX (1, MIN (n_frames, total));
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 i;

  for (i = 0; i < k; i++) {
    gdouble at = k == 1 ? 0 : (gdouble) i * (total - 1) / (k - 1);
    guint64 index = (guint64) nearbyint (at);

    if (indices->len == 0 ||
        g_array_index (indices, guint64, indices->len - 1) != index)
      g_array_append_val (indices, index);
  }
  return indices;
}

typedef struct
{
  GArray *palette_lab;          /* 3 doubles a color */
  GHashTable *seen;             /* 0xRRGGBB + 1 -> distance index + 1 */
  GArray *seen_distances;
  GArray *distances;            /* one a pixel */
} Measure;

static gdouble
nearest_distance (Measure * m, guint32 rgb)
{
  gpointer known = g_hash_table_lookup (m->seen, GUINT_TO_POINTER (rgb + 1));
  double c[3], lab[3], best = G_MAXDOUBLE;
  guint i;

  if (known != NULL)
    return g_array_index (m->seen_distances, gdouble,
        GPOINTER_TO_UINT (known) - 1);
  palette_rgb_unpack (rgb, c);
  palette_srgb_to_cielab (c, lab);
  for (i = 0; i < m->palette_lab->len / 3; i++)
    best = MIN (best, palette_ciede2000 (lab,
            &g_array_index (m->palette_lab, double, 3 * i)));
  g_array_append_val (m->seen_distances, best);
  g_hash_table_insert (m->seen, GUINT_TO_POINTER (rgb + 1),
      GUINT_TO_POINTER (m->seen_distances->len));
  return best;
}

static void
measure_frame (Measure * m, GstSample * sample)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  guint8 small[SCORE_WIDTH * SCORE_HEIGHT * 3];
  guint i;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample),
          GST_MAP_READ))
    return;
  resize_area (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
      GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), small);
  gst_video_frame_unmap (&frame);
  for (i = 0; i < SCORE_WIDTH * SCORE_HEIGHT; i++) {
    gdouble d = nearest_distance (m, (small[3 * i] << 16) |
        (small[3 * i + 1] << 8) | small[3 * i + 2]);

    g_array_append_val (m->distances, d);
  }
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* numpy.percentile's default: linear between the closest ranks */
static gdouble
percentile (GArray * sorted, gdouble q)
{
  gdouble at = q / 100.0 * (sorted->len - 1);
  guint below = (guint) floor (at);
  guint above = MIN (below + 1, sorted->len - 1);
  gdouble a = g_array_index (sorted, gdouble, below);

  return a + (at - below) * (g_array_index (sorted, gdouble, above) - a);
}

gboolean
score_film (const gchar * file_or_uri, GArray * palette, guint n_frames,
    ScoreResult * result, GError ** error)
{
  Measure m = { 0, };
  GstElement *pipeline = NULL, *sink = NULL;
  GArray *wanted = NULL;
  gchar *uri, *description;
  GstCaps *caps = NULL;
  gint64 duration = -1;
  gint fps_n = 0, fps_d = 1;
  guint64 frame = 0, next = 0;
  gboolean ok = FALSE;
  gdouble sum = 0;
  guint i;

  memset (result, 0, sizeof (*result));
  uri = strstr (file_or_uri, "://") != NULL ? g_strdup (file_or_uri) :
      gst_filename_to_uri (file_or_uri, error);
  if (uri == NULL)
    return FALSE;
  description = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert dither=none ! "
      "video/x-raw,format=RGB ! appsink name=sink sync=false max-buffers=4",
      uri);
  pipeline = gst_parse_launch (description, error);
  g_free (description);
  g_free (uri);
  if (pipeline == NULL)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  /* The frame count, from the duration and the frame rate */
  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE && !wait_for (pipeline, 0, error))
    goto out;
  if (!wait_for (pipeline, GST_MESSAGE_ASYNC_DONE, error))
    goto out;
  {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");

    caps = gst_pad_get_current_caps (pad);
    gst_object_unref (pad);
  }
  if (caps != NULL)
    gst_structure_get_fraction (gst_caps_get_structure (caps, 0), "framerate",
        &fps_n, &fps_d);
  if (!gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) ||
      duration <= 0 || fps_n <= 0 || fps_d <= 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "the film's duration or frame rate is unknown: its frames cannot be "
        "spread");
    goto out;
  }
  result->frames_total = gst_util_uint64_scale_round (duration, fps_n,
      (guint64) fps_d * GST_SECOND);
  wanted = spread_frames (result->frames_total, n_frames);

  m.palette_lab = g_array_new (FALSE, FALSE, sizeof (double));
  for (i = 0; i < palette->len; i++) {
    double rgb[3], lab[3];

    palette_rgb_unpack (g_array_index (palette, guint32, i), rgb);
    palette_srgb_to_cielab (rgb, lab);
    g_array_append_vals (m.palette_lab, lab, 3);
  }
  m.seen = g_hash_table_new (NULL, NULL);
  m.seen_distances = g_array_new (FALSE, FALSE, sizeof (gdouble));
  m.distances = g_array_new (FALSE, FALSE, sizeof (gdouble));

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (next < wanted->len) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        SCORE_WAIT);

    if (sample == NULL)
      break;                    /* the end (a shorter film than said) */
    if (frame == g_array_index (wanted, guint64, next)) {
      measure_frame (&m, sample);
      result->frames_sampled++;
      next++;
    }
    frame++;
    gst_sample_unref (sample);
  }
  if (result->frames_sampled == 0) {
    if (wait_for (pipeline, GST_MESSAGE_EOS, error))
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "no frame could be read");
    goto out;
  }

  g_array_sort (m.distances, compare_doubles);
  for (i = 0; i < m.distances->len; i++)
    sum += g_array_index (m.distances, gdouble, i);
  result->pixels = m.distances->len;
  result->mean = sum / m.distances->len;
  result->p50 = percentile (m.distances, 50);
  result->p95 = percentile (m.distances, 95);
  result->max = g_array_index (m.distances, gdouble, m.distances->len - 1);
  ok = TRUE;

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (caps)
    gst_caps_unref (caps);
  if (sink)
    gst_object_unref (sink);
  gst_object_unref (pipeline);
  if (wanted)
    g_array_unref (wanted);
  if (m.palette_lab) {
    g_array_unref (m.palette_lab);
    g_hash_table_unref (m.seen);
    g_array_unref (m.seen_distances);
    g_array_unref (m.distances);
  }
  return ok;
}
