/* gst-palette command line tests: running the binary and reading what it
 * said and drew. One copy for every test program that runs it. */
#ifndef GST_PALETTE_CLI_RUN_H
#define GST_PALETTE_CLI_RUN_H

#include <cairo.h>
#include <glib.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/wait.h>

/* Runs the pipeline DESCRIPTION (a clip being made) and asserts that it
 * reached EOS within TIMEOUT (GST_CLOCK_TIME_NONE: no limit). */
static inline void
run_pipeline_to_eos (const gchar * description, GstClockTime timeout)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstBus *bus;
  GstMessage *message;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, timeout,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

/* The binary under test: argv[1] of the test program. */
static const gchar *gst_palette_bin;

/* The binary under test: the first argument (meson passes it), else
 * $GST_PALETTE; exported as GST_PALETTE for the test's own subprocesses,
 * which get no arguments of ours. */
static inline void
find_gst_palette (int argc, char **argv)
{
  gst_palette_bin = argc > 1 ? argv[1] : g_getenv ("GST_PALETTE");
  if (gst_palette_bin == NULL)
    g_error ("give the gst-palette binary as argument or in GST_PALETTE");
  g_setenv ("GST_PALETTE", gst_palette_bin, TRUE);
}

typedef struct
{
  gint status;                  /* exit code, or 128 + signal */
  gchar *out;
  gchar *err;
} Result;

static inline void
result_clear (Result * r)
{
  g_free (r->out);
  g_free (r->err);
}

static inline gint
exit_code (gint wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  return 128 + WTERMSIG (wait_status);
}

/* Runs gst-palette with the NULL-terminated arguments; the command, its
 * status and what it printed go to the test log. */
static inline Result
run (const gchar * first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  GError *error = NULL;
  Result r = { 0, };
  const gchar *arg;
  gint wait_status;
  gchar *command;
  va_list args;

  g_ptr_array_add (argv, (gpointer) gst_palette_bin);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const gchar *))
      g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, 0, NULL,
          NULL, &r.out, &r.err, &wait_status, &error));
  g_assert_no_error (error);
  r.status = exit_code (wait_status);
  command = g_strjoinv (" ", (gchar **) argv->pdata);
  g_test_message ("%s: status %d\nstdout:\n%.2000s\nstderr:\n%.2000s",
      command, r.status, r.out, r.err);
  g_free (command);
  g_ptr_array_unref (argv);
  return r;
}

/* Runs and expects exit status EXPECTED. */
#define run_expect(expected, ...) G_STMT_START { \
    Result r_ = run (__VA_ARGS__, NULL); \
    g_assert_cmpint (r_.status, ==, (expected)); \
    result_clear (&r_); \
  } G_STMT_END

static inline void
assert_contains (const gchar * text, const gchar * part)
{
  if (strstr (text, part) == NULL)
    g_error ("\"%s\" not found in:\n%s", part, text);
}

/* The 0xRRGGBB of the pixel at X, Y of an RGB24 or ARGB32 surface. */
static inline guint32
png_pixel (cairo_surface_t * surface, gint x, gint y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride
      (surface) + x * 4) & 0xffffff;
}

#endif
