/* palette-player: play a film and print each palette as terminal swatches.
 *
 *   palette-player [--show] [--interval SECONDS] [--step N] [--colors N] FILE|URI
 *
 * An application that embeds the elements: playbin plays the file and its
 * video sink is a bin "framedecimate ! palettesink"; the palette comes back
 * as a "palette" element message on the bus, read here field by field.
 *
 * Without --show nothing is displayed and the film is analysed as fast as it
 * decodes. With --show the video plays in a window while a tee feeds the
 * analysis, and --interval prints the palette so far as the film plays.
 *
 * Colors are printed as 24-bit ANSI background swatches; set NO_COLOR to get
 * the hex codes and shares alone. */
#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* playbin's GstPlayFlags (not in a public header) */
#define PLAY_FLAG_VIDEO (1 << 0)

/* terminal cells of a 100 % swatch */
#define BAR_WIDTH 40

typedef struct
{
  GMainLoop *loop;
  gboolean use_color;
  gint exit_code;
} Player;

/* The analysis branch; with show, a tee also sends the video to the screen. */
static GstElement *
make_video_sink (gboolean show, guint step, guint colors, gdouble interval)
{
  gchar *description, *analysis;
  GstElement *bin;
  GError *error = NULL;

  analysis = g_strdup_printf ("framedecimate step=%u ! palettesink colors=%u "
      "interval=%" G_GUINT64_FORMAT, step, colors,
      (guint64) (interval * GST_SECOND));
  if (show)
    description = g_strdup_printf ("tee name=t ! queue ! videoconvert ! "
        "autovideosink t. ! queue ! %s", analysis);
  else
    description = g_strdup (analysis);

  /* TRUE: the bin gets a ghost sink pad for its first unlinked sink pad */
  bin = gst_parse_bin_from_description (description, TRUE, &error);
  if (bin == NULL) {
    g_printerr ("Cannot make the analysis branch: %s\n", error->message);
    g_clear_error (&error);
  }
  g_free (analysis);
  g_free (description);
  return bin;
}

static void
print_swatch (Player * player, guint rgb, gdouble share)
{
  guint r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
  /* a bar as long as the color's share, at least one cell so every color
   * shows */
  guint cells = MAX (1, (guint) (share * BAR_WIDTH + 0.5)), i;

  if (player->use_color) {
    g_print ("  \x1b[48;2;%u;%u;%um", r, g, b);
    for (i = 0; i < cells; i++)
      g_print (" ");
    g_print ("\x1b[0m");
    for (; i < BAR_WIDTH; i++)
      g_print (" ");
  }
  g_print ("  #%02x%02x%02x %5.1f %%\n", r, g, b, share * 100.0);
}

/* Reads the message fields as an application would. */
static void
print_palette (Player * player, const GstStructure * s)
{
  const GValue *colors = gst_structure_get_value (s, "colors");
  const GValue *weights = gst_structure_get_value (s, "weights");
  gboolean bw = FALSE, final = FALSE;
  guint64 frames = 0, stream_time = GST_CLOCK_TIME_NONE;
  guint64 duration = GST_CLOCK_TIME_NONE;
  guint i, n;

  gst_structure_get (s, "black-and-white", G_TYPE_BOOLEAN, &bw,
      "final", G_TYPE_BOOLEAN, &final, "frames", G_TYPE_UINT64, &frames,
      "stream-time", G_TYPE_UINT64, &stream_time,
      "duration", G_TYPE_UINT64, &duration, NULL);
  if (colors == NULL || weights == NULL || !GST_VALUE_HOLDS_ARRAY (colors)
      || !GST_VALUE_HOLDS_ARRAY (weights)) {
    g_printerr ("palette message without colors or weights\n");
    return;
  }

  n = gst_value_array_get_size (colors);
  g_print ("%s palette: %u %s from %" G_GUINT64_FORMAT " frames",
      final ? "Final" : "Current", n, bw ? "gray levels (black and white)" :
      "colors", frames);
  /* the palette covers stream-time .. stream-time + duration */
  if (GST_CLOCK_TIME_IS_VALID (stream_time) && GST_CLOCK_TIME_IS_VALID (duration))
    g_print (", %" GST_TIME_FORMAT " to %" GST_TIME_FORMAT,
        GST_TIME_ARGS (stream_time), GST_TIME_ARGS (stream_time + duration));
  g_print ("\n");
  for (i = 0; i < n && i < gst_value_array_get_size (weights); i++)
    print_swatch (player,
        g_value_get_uint (gst_value_array_get_value (colors, i)),
        g_value_get_double (gst_value_array_get_value (weights, i)));
}

static gboolean
on_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Player *player = user_data;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (message);

      if (gst_structure_has_name (s, "palette"))
        print_palette (player, s);
      break;
    }
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_printerr ("Error from %s: %s\n", GST_OBJECT_NAME (message->src),
          error->message);
      if (debug)
        g_printerr ("  %s\n", debug);
      g_clear_error (&error);
      g_free (debug);
      player->exit_code = 1;
      g_main_loop_quit (player->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      g_main_loop_quit (player->loop);
      break;
    default:
      break;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean show = FALSE;
  gdouble interval = 0;
  /* the defaults of gst-palette and of the elements */
  gint step = 60, colors = 10;
  gchar **inputs = NULL;
  GOptionEntry entries[] = {
    {"show", 0, 0, G_OPTION_ARG_NONE, &show,
        "Play the video in a window while analysing it", NULL},
    {"interval", 'i', 0, G_OPTION_ARG_DOUBLE, &interval,
        "Print the palette so far every SECONDS of playback (0: at the end)",
        "SECONDS"},
    {"step", 's', 0, G_OPTION_ARG_INT, &step,
        "Analyse one frame in N (default 60)", "N"},
    {"colors", 'k', 0, G_OPTION_ARG_INT, &colors,
        "Palette size (default 10)", "N"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL,
        NULL},
    {NULL},
  };
  GOptionContext *context;
  GError *error = NULL;
  GstElement *playbin, *video_sink;
  GstBus *bus;
  Player player = { NULL, FALSE, 0 };
  gchar *uri;

  context = g_option_context_new ("FILE|URI - print the palette of a film");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  g_option_context_free (context);
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL) {
    g_printerr ("Usage: %s [--show] [--interval SECONDS] FILE|URI\n", argv[0]);
    return 2;
  }
  if (step < 1 || colors < 1 || colors > 64 || interval < 0) {
    g_printerr ("--step must be >= 1, --colors 1-64, --interval >= 0\n");
    return 2;
  }

  if (gst_uri_is_valid (inputs[0]))
    uri = g_strdup (inputs[0]);
  else if ((uri = gst_filename_to_uri (inputs[0], &error)) == NULL) {
    g_printerr ("%s: %s\n", inputs[0], error->message);
    return 2;
  }

  video_sink = make_video_sink (show, step, colors, interval);
  if (video_sink == NULL)
    return 1;
  playbin = gst_element_factory_make ("playbin", NULL);
  if (playbin == NULL) {
    g_printerr ("playbin is missing (gstreamer1.0-plugins-base)\n");
    return 1;
  }
  g_object_set (playbin, "uri", uri, "video-sink", video_sink, NULL);
  /* Analysis only: no sound, and nothing waits for the clock. playbin
   * still probes audio sinks unless it is given one. */
  if (!show)
    g_object_set (playbin, "flags", PLAY_FLAG_VIDEO, "audio-sink",
        gst_element_factory_make ("fakesink", NULL), NULL);

  player.loop = g_main_loop_new (NULL, FALSE);
  player.use_color = g_getenv ("NO_COLOR") == NULL;
  bus = gst_element_get_bus (playbin);
  gst_bus_add_watch (bus, on_message, &player);

  if (gst_element_set_state (playbin, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("Cannot play %s\n", uri);
    player.exit_code = 1;
  } else {
    g_main_loop_run (player.loop);
  }

  gst_element_set_state (playbin, GST_STATE_NULL);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (playbin);
  g_main_loop_unref (player.loop);
  g_strfreev (inputs);
  g_free (uri);
  return player.exit_code;
}
