/* gst-palette benchmark: palettesink's cost per 1080p frame (issue #7).
 *
 * Can a 30 fps 1080p camera feed palettesink on one core? Pushes N frames
 * of 1920x1080 I420 (8 distinct synthetic frames with gradients and noise,
 * reused) from appsrc into each variant below, and measures the process's
 * CPU time (user + system, every thread: the analysis thread included) from
 * PLAYING to EOS. The same pipeline ending in fakesink is the floor; the
 * difference per frame is palettesink's cost, reported in ns and as a share
 * of one frame period at 30 fps (33.3 ms): below 1 the sink keeps up on one
 * core.
 *
 * Usage: bench-live [--frames N] [--reps R]
 * Run it with the built plugins on the path, e.g.
 *   GST_PLUGIN_PATH=build/ext/palette:build/gst/framedecimate build/tests/bench/bench-live
 * Variants that need a missing element (framedecimate) are skipped. */

#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define WIDTH 1920
#define HEIGHT 1080
#define FPS 30
#define N_DISTINCT 8
#define FRAME_PERIOD_NS (1e9 / FPS)

typedef struct
{
  const gchar *name;
  const gchar *middle;          /* between appsrc and the sink */
  const gchar *sink;
  const gchar *floor;           /* the variant whose cost is subtracted */
} Variant;

static const Variant variants[] = {
  {"floor", "", "fakesink", NULL},
  {"palettesink", "", "palettesink", "floor"},
  {"palettesink fingerprint-colors=0", "",
      "palettesink fingerprint-colors=0", "floor"},
  {"palettesink window=2s interval=1s", "",
      "palettesink window=2000000000 interval=1000000000", "floor"},
  {"floor (framedecimate)", "framedecimate mode=interval interval=1000000000 !",
      "fakesink", NULL},
  {"framedecimate mode=interval 1s ! palettesink",
        "framedecimate mode=interval interval=1000000000 !", "palettesink",
      "floor (framedecimate)"},
};

#define N_VARIANTS G_N_ELEMENTS (variants)

static gdouble
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
      usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static GstBuffer **
make_frames (GstVideoInfo * info)
{
  GstBuffer **frames = g_new0 (GstBuffer *, N_DISTINCT);
  GRand *rand = g_rand_new_with_seed (1);
  guint f;

  gst_video_info_set_format (info, GST_VIDEO_FORMAT_I420, WIDTH, HEIGHT);
  info->fps_n = FPS;
  info->fps_d = 1;
  for (f = 0; f < N_DISTINCT; f++) {
    GstVideoFrame frame;
    guint x, y, p;

    frames[f] = gst_buffer_new_allocate (NULL, info->size, NULL);
    gst_video_frame_map (&frame, info, frames[f], GST_MAP_WRITE);
    for (p = 0; p < 3; p++) {
      guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, p);
      gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, p);
      guint w = GST_VIDEO_FRAME_COMP_WIDTH (&frame, p);
      guint h = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p);

      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          data[y * stride + x] = (guint8) ((x * (p + 1) + y * (3 - p)) / 8
              + f * 29 + g_rand_int_range (rand, 0, 24));
    }
    gst_video_frame_unmap (&frame);
  }
  g_rand_free (rand);
  return frames;
}

/* CPU seconds and wall seconds for n frames through the variant, or FALSE
 * when it cannot be built. */
static gboolean
run_variant (const Variant * v, GstBuffer ** frames, const GstVideoInfo * info,
    guint n, gdouble * cpu, gdouble * wall)
{
  GstElement *pipeline, *src;
  GstCaps *caps;
  GstBus *bus;
  GstMessage *msg;
  GError *error = NULL;
  gchar *desc;
  gdouble cpu0;
  gint64 wall0;
  guint i;

  desc = g_strdup_printf ("appsrc name=src format=time ! %s %s", v->middle,
      v->sink);
  pipeline = gst_parse_launch (desc, &error);
  g_free (desc);
  if (!pipeline || error) {
    g_printerr ("skipping \"%s\": %s\n", v->name,
        error ? error->message : "cannot build");
    g_clear_error (&error);
    if (pipeline)
      gst_object_unref (pipeline);
    return FALSE;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  caps = gst_video_info_to_caps (info);
  g_object_set (src, "caps", caps, "max-bytes", (guint64) info->size * 4,
      "block", TRUE, NULL);
  gst_caps_unref (caps);

  cpu0 = cpu_seconds ();
  wall0 = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (i = 0; i < n; i++) {
    GstBuffer *b = gst_buffer_copy (frames[i % N_DISTINCT]);   /* shares memory */
    GstFlowReturn ret;

    GST_BUFFER_PTS (b) = gst_util_uint64_scale (i, GST_SECOND, FPS);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale (1, GST_SECOND, FPS);
    g_signal_emit_by_name (src, "push-buffer", b, &ret);
    gst_buffer_unref (b);
    if (ret != GST_FLOW_OK)
      break;
  }
  g_signal_emit_by_name (src, "end-of-stream", &(GstFlowReturn) {
      GST_FLOW_OK});
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  *wall = (g_get_monotonic_time () - wall0) / 1e6;
  *cpu = cpu_seconds () - cpu0;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &error, NULL);
    g_printerr ("\"%s\" failed: %s\n", v->name, error->message);
    g_clear_error (&error);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  return TRUE;
}

static gint
variant_index (const gchar * name)
{
  guint i;

  for (i = 0; i < N_VARIANTS; i++)
    if (g_strcmp0 (variants[i].name, name) == 0)
      return i;
  return -1;
}

int
main (int argc, char **argv)
{
  gint n = 300, reps = 3;
  GOptionEntry entries[] = {
    {"frames", 0, 0, G_OPTION_ARG_INT, &n, "Frames per run (300)", "N"},
    {"reps", 0, 0, G_OPTION_ARG_INT, &reps, "Runs per variant; the "
          "lowest CPU time counts (3)", "R"},
    {NULL}
  };
  GOptionContext *context = g_option_context_new ("- palettesink per-frame "
      "cost on 1080p");
  GError *error = NULL;
  gdouble best_cpu[N_VARIANTS], best_wall[N_VARIANTS];
  gboolean ran[N_VARIANTS] = { FALSE, };
  GstVideoInfo info;
  GstBuffer **frames;
  gint r;
  guint i;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  g_option_context_free (context);
  if (n < 1 || reps < 1) {
    g_printerr ("--frames and --reps must be at least 1\n");
    return 2;
  }
  if (!gst_element_factory_find ("palettesink")) {
    g_printerr ("palettesink not found: set GST_PLUGIN_PATH to the built "
        "plugins\n");
    return 1;
  }

  frames = make_frames (&info);
  /* interleaved repetitions: A B C A B C, the lowest CPU time of each */
  for (r = 0; r < reps; r++)
    for (i = 0; i < N_VARIANTS; i++) {
      gdouble cpu, wall;

      if (r > 0 && !ran[i])
        continue;
      if (!run_variant (&variants[i], frames, &info, n, &cpu, &wall))
        continue;
      if (!ran[i] || cpu < best_cpu[i]) {
        best_cpu[i] = cpu;
        best_wall[i] = wall;
      }
      ran[i] = TRUE;
    }

  printf ("# palettesink per-frame cost, %dx%d I420, %d frames, best of %d\n",
      WIDTH, HEIGHT, n, reps);
  printf ("| variant | CPU ns/frame | wall ns/frame | sink CPU ns/frame "
      "| ratio to 33.3 ms |\n|---|---|---|---|---|\n");
  for (i = 0; i < N_VARIANTS; i++) {
    gint f = variants[i].floor ? variant_index (variants[i].floor) : -1;

    if (!ran[i])
      continue;
    if (f >= 0 && ran[f]) {
      gdouble sink_ns = (best_cpu[i] - best_cpu[f]) * 1e9 / n;

      printf ("| %s | %.0f | %.0f | %.0f | %.4f |\n", variants[i].name,
          best_cpu[i] * 1e9 / n, best_wall[i] * 1e9 / n, sink_ns,
          sink_ns / FRAME_PERIOD_NS);
    } else {
      printf ("| %s | %.0f | %.0f | — | — |\n", variants[i].name,
          best_cpu[i] * 1e9 / n, best_wall[i] * 1e9 / n);
    }
  }

  for (i = 0; i < N_DISTINCT; i++)
    gst_buffer_unref (frames[i]);
  g_free (frames);
  return 0;
}
