/* gst-palette command line tests: film libraries made by the tests, of
 * solid-color clips whose palette is known. */
#ifndef GST_PALETTE_CLI_LIBRARY_H
#define GST_PALETTE_CLI_LIBRARY_H

#include <glib.h>
#include <gst/gst.h>

#define CLIP_FPS 10
#define CLIP_FRAMES 20

/* FRAMES frames of solid RGB at CLIP_FPS, 64x36, VP8 in WebM. */
static inline void
make_clip (const gchar * path, guint32 rgb, guint frames)
{
  gchar *description = g_strdup_printf ("videotestsrc pattern=solid-color "
      "foreground-color=0x%08x num-buffers=%u "
      "! video/x-raw,format=I420,width=64,height=36,framerate=%d/1 "
      "! vp8enc deadline=1 ! webmmux ! filesink name=sink",
      0xff000000u | rgb, frames, CLIP_FPS);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *sink;
  GstBus *bus;
  GstMessage *message;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", path, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* bounded: a clip that never ends fails the test instead of hanging it */
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (description);
}

/* LIBRARY/FOLDER/FILE, a clip of RGB; returns its path. */
static inline gchar *
make_film (const gchar * library, const gchar * folder, const gchar * file,
    guint32 rgb, guint frames)
{
  gchar *dir = g_build_filename (library, folder, NULL);
  gchar *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  make_clip (path, rgb, frames);
  g_free (dir);
  return path;
}

static inline void
add_film (const gchar * library, const gchar * folder, const gchar * file,
    guint32 rgb)
{
  g_free (make_film (library, folder, file, rgb, CLIP_FRAMES));
}

#endif
