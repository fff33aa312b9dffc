/* The first hour of a new user (issue #18): every mistake told with its
 * message and status 2 before anything is decoded, options that choose their
 * sampling mode, JSON Lines for several films, a UTF-8 title, a loose film
 * file in a library, and what an interrupted run says. The clips are made
 * here with videotestsrc, so their frame counts are known. */
#include <gst/gst.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"

static gchar *tmp_dir;
static gchar *clip_a;           /* 30 frames at 10 fps, red */
static gchar *clip_b;           /* 20 frames at 10 fps, blue */

static void
make_clip (const gchar * path, guint n_frames, guint32 argb)
{
  gchar *description = g_strdup_printf ("videotestsrc num-buffers=%u "
      "pattern=solid-color foreground-color=0x%08x ! video/x-raw,width=64,"
      "height=48,framerate=10/1 ! videoconvert ! vp8enc deadline=1 ! webmmux "
      "! filesink location=\"%s\"", n_frames, argb, path);

  run_pipeline_to_eos (description, 60 * GST_SECOND);
  g_free (description);
}

/* Runs with ARGS (a NULL-terminated array) and the clip, and expects status 2
 * and MESSAGE on standard error, nothing on standard output. */
static void
expect_usage_error (const gchar * const *args, const gchar * message)
{
  const gchar *argv[16];
  Result r;
  guint i;

  for (i = 0; args[i] != NULL; i++)
    argv[i] = args[i];
  argv[i++] = clip_a;
  for (; i < G_N_ELEMENTS (argv); i++)
    argv[i] = NULL;
  r = run (argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, message);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
}

static void
test_mistakes (void)
{
  const struct
  {
    const gchar *args[5];
    const gchar *message;
  } cases[] = {
    {{"--colors=0"}, "gst-palette: --colors takes a number of colors from 1 "
          "to 64, not 0\n"},
    {{"--colors=65"}, "--colors takes a number of colors from 1 to 64, not "
          "65\n"},
    {{"-k", "-3"}, "--colors takes a number of colors from 1 to 64, not -3\n"},
    {{"--colors=ten"}, "gst-palette: Cannot parse integer value “ten” for "
          "--colors\nTry 'gst-palette --help'.\n"},
    {{"--step=0"}, "gst-palette: --step takes a number of frames, 1 or more, "
          "not 0\n"},
    {{"--step=-60"}, "--step takes a number of frames, 1 or more, not -60\n"},
    {{"--min-frames=-1"}, "gst-palette: --min-frames takes a number of "
          "frames, 0 or more, not -1\n"},
    {{"--min-frames=50", "--mode=seek"}, "gst-palette: --min-frames is for "
          "--mode=every-nth; it does nothing with --mode=seek (give one or "
          "the other)\n"},
    {{"--count=0"}, "gst-palette: --count takes a number of frames, 1 or "
          "more, not 0\n"},
    {{"--gray-levels=0"}, "gst-palette: --gray-levels takes a number of gray "
          "levels from 1 to 64, not 0\n"},
    {{"--fingerprint-colors=17"}, "--fingerprint-colors takes a number of "
          "colors from 0 to 16, not 17\n"},
    {{"--seed=-1"}, "gst-palette: --seed takes a seed from 0 to 4294967295, "
          "not -1\n"},
    {{"--jobs=0"}, "gst-palette: --jobs takes a number of films at once, 1 or "
          "more, not 0\n"},
    {{"--stall-timeout=-5"}, "gst-palette: --stall-timeout takes a number of "
          "seconds, 0 or more, not -5\n"},
    {{"--interval=0"}, "gst-palette: --interval takes a number of seconds "
          "greater than 0, not 0\n"},
    {{"--interval=-2.5"}, "--interval takes a number of seconds greater than "
          "0, not -2.5\n"},
    {{"--interval=soon"}, "gst-palette: Cannot parse number of seconds "
          "\"soon\" for --interval\n"},
    {{"--mode=bogus"}, "gst-palette: --mode: no such mode \"bogus\"; give "
          "every-nth, interval, count, seek, scene or keyframes\n"},
    {{"--bw-mode=sepia"}, "gst-palette: --bw-mode: no such mode \"sepia\"; "
          "give auto, color or gray\n"},
    {{"--step=10", "--mode=count"}, "gst-palette: --step is for "
          "--mode=every-nth; it does nothing with --mode=count (give one or "
          "the other)\n"},
    {{"--mode=keyframes", "--interval=2"}, "gst-palette: --interval is for "
          "--mode=interval; it does nothing with --mode=keyframes (give one "
          "or the other)\n"},
    {{"--step=5", "--count=3"}, "gst-palette: --step and --count choose "
          "different sampling modes (every-nth, seek): give one\n"},
    {{"--fingerprint-width=0"}, "gst-palette: --fingerprint-width takes a "
          "number of pixels from 1 to 16384, not 0\n"},
    {{"--swatch-height=-20"}, "gst-palette: --swatch-height takes a number "
          "of pixels from 1 to 16384, not -20\n"},
    {{"--bar-width=100000"}, "gst-palette: --bar-width takes a number of "
          "pixels from 1 to 16384, not 100000\n"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const gchar *args[6] = { NULL, };

    memcpy (args, cases[i].args, sizeof (cases[i].args));
    expect_usage_error (args, cases[i].message);
  }
}

/* Output paths that cannot be written are told before the film is decoded:
 * the message is the check's, not cairo's after the whole film. */
static void
test_output_paths (void)
{
  gchar *missing = g_build_filename (tmp_dir, "no-such-folder", "f.png",
      NULL);
  gchar *missing_dir = g_build_filename (tmp_dir, "no-such-folder", NULL);
  gchar *under_file = g_build_filename (clip_a, "f.json", NULL);
  gchar *expected;
  Result r;

  r = run ("--fingerprint", missing, clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --fingerprint %s: no folder %s "
      "(create it first)\n", missing, missing_dir);
  g_assert_cmpstr (r.err, ==, expected);
  g_free (expected);
  result_clear (&r);

  r = run ("--swatch", missing, clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "gst-palette: --swatch ");
  assert_contains (r.err, "(create it first)\n");
  result_clear (&r);

  r = run ("--write-json", under_file, clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --write-json %s: no folder %s "
      "(create it first)\n", under_file, clip_a);
  g_assert_cmpstr (r.err, ==, expected);
  g_free (expected);
  result_clear (&r);

  r = run ("--fingerprint", tmp_dir, clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --fingerprint %s: that is a "
      "folder; give a file name\n", tmp_dir);
  g_assert_cmpstr (r.err, ==, expected);
  g_free (expected);
  result_clear (&r);

  /* -o under a file: the folder cannot be made */
  r = run ("-o", under_file, clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --output-dir %s: Not a "
      "directory\n", under_file);
  g_assert_cmpstr (r.err, ==, expected);
  g_free (expected);
  result_clear (&r);

  /* A folder without write permission; root writes anywhere. */
  if (geteuid () != 0) {
    gchar *locked = g_build_filename (tmp_dir, "locked", NULL);
    gchar *inside = g_build_filename (locked, "f.png", NULL);

    g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
    r = run ("--fingerprint", inside, clip_a, NULL);
    g_assert_cmpint (r.status, ==, 2);
    expected = g_strdup_printf ("gst-palette: --fingerprint %s: cannot write "
        "in %s: Permission denied\n", inside, locked);
    g_assert_cmpstr (r.err, ==, expected);
    g_free (expected);
    result_clear (&r);
    g_rmdir (locked);
    g_free (inside);
    g_free (locked);
  } else {
    g_test_message ("running as root: the unwritable folder case is skipped");
  }
  g_free (missing);
  g_free (missing_dir);
  g_free (under_file);
}

static JsonObject *
parse_object (const gchar * text)
{
  GError *error = NULL;
  JsonNode *node = json_from_string (text, &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static gint64
frames_of (const gchar * json)
{
  JsonObject *record = parse_object (json);
  gint64 frames = json_object_get_int_member (record, "frames_analyzed");

  json_object_unref (record);
  return frames;
}

/* --step, --min-frames, --interval and --count given alone choose their
 * mode: the frame counts are those of that mode on a 30-frame, 3-second
 * clip. */
static void
test_implied_modes (void)
{
  Result r;

  r = run ("--json", "--count=7", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 7);
  result_clear (&r);

  r = run ("--json", "--interval=0.5", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* 0, 0.5, ... 2.5 s */
  g_assert_cmpint (frames_of (r.out), ==, 6);
  result_clear (&r);

  r = run ("--json", "--step=4", "--min-frames=0", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* frames 0, 4, ... 28 */
  g_assert_cmpint (frames_of (r.out), ==, 8);
  result_clear (&r);

  /* the default floor of 100 frames: 30 frames are too few for it, all
   * are kept (step 30 / 100 = 0, at least 1) */
  r = run ("--json", "--step=4", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 30);
  result_clear (&r);

  /* 10 of 30 frames: step 3 (frames 0, 3, ... 27) instead of 60 */
  r = run ("--json", "--min-frames=10", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 10);
  g_assert_nonnull (strstr (r.out, "\"frame_skip\": 3,"));
  g_assert_nonnull (strstr (r.out, "\"requested_step\": 60,"));
  result_clear (&r);

  /* 8 frames at step 4 are at least min-frames 8: step 4 stays */
  r = run ("--json", "--step=4", "--min-frames=8", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 8);
  g_assert_nonnull (strstr (r.out, "\"frame_skip\": 4,"));
  result_clear (&r);

  /* the matching mode given too is fine */
  r = run ("--json", "--mode=count", "--count=3", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 3);
  result_clear (&r);
}

/* Black bars are left out by default and kept with --keep-borders: a red
 * 64x48 clip pillarboxed by 16 black columns on each side (a third of the
 * frame is black). */
static void
test_keep_borders (void)
{
  gchar *clip = g_build_filename (tmp_dir, "pillarbox.webm", NULL);
  gchar *description = g_strdup_printf ("videotestsrc num-buffers=10 "
      "pattern=solid-color foreground-color=0xffc81e1e ! video/x-raw,width=64,"
      "height=48,framerate=10/1 ! videobox left=-16 right=-16 fill=black ! "
      "videoconvert ! vp8enc deadline=1 ! webmmux ! filesink "
      "location=\"%s\"", clip);
  JsonObject *crop;
  JsonNode *node;
  Result r;

  run_pipeline_to_eos (description, 60 * GST_SECOND);

  r = run ("--json", clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  node = json_from_string (r.out, NULL);
  g_assert_nonnull (node);
  crop = json_object_get_object_member (json_node_get_object (node), "crop");
  g_assert_nonnull (crop);
  g_assert_cmpint (json_object_get_int_member (crop, "left"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (crop, "right"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (crop, "top"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (crop, "bottom"), ==, 0);
  json_node_unref (node);
  g_assert_null (strstr (r.out, "#000000"));
  result_clear (&r);

  r = run ("--json", "--keep-borders", clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"crop\": null");
  assert_contains (r.out, "#000000");
  result_clear (&r);

  g_free (description);
  g_free (clip);
}

/* One film: one JSON document as today (indented); several: JSON Lines, a
 * whole record on each line. */
static void
test_json_lines (void)
{
  gchar **lines;
  Result r;

  r = run ("--json", "--step=1", clip_a, clip_b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_suffix (r.out, "}\n"));
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  /* run in parallel: either order */
  g_assert_cmpint (frames_of (lines[0]) + frames_of (lines[1]), ==, 50);
  g_assert_cmpint (frames_of (lines[0]) * frames_of (lines[1]), ==, 600);
  g_strfreev (lines);
  result_clear (&r);

  r = run ("--json", "--step=1", clip_b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "{\n  \""));
  g_assert_cmpint (frames_of (r.out), ==, 20);
  result_clear (&r);
}

static void
test_grammar (void)
{
  Result r;

  r = run ("--count=1", "--colors=1", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "a: 1 color from 1 frame\n");
  result_clear (&r);
}

/* Non-ASCII titles in a UTF-8 locale (setlocale). */
static void
test_utf8_title (void)
{
  gchar *png = g_build_filename (tmp_dir, "amelie.png", NULL);
  gchar *old = g_strdup (g_getenv ("LC_ALL"));
  Result r;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  r = run ("--title", "Amélie", "--fingerprint", png, "--step=10", clip_a,
      NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "Invalid byte sequence"));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  result_clear (&r);
  if (old)
    g_setenv ("LC_ALL", old, TRUE);
  else
    g_unsetenv ("LC_ALL");
  g_free (old);
  g_free (png);
}

/* A film file at the top of a library folder is not a film folder: skipped,
 * with a word. */
static void
test_loose_film_file (void)
{
  gchar *library = g_build_filename (tmp_dir, "library", NULL);
  gchar *folder = g_build_filename (library, "Red (1999)", NULL);
  gchar *film = g_build_filename (folder, "red.webm", NULL);
  gchar *loose = g_build_filename (library, "loose.webm", NULL);
  gchar *catalog = g_build_filename (tmp_dir, "library.db", NULL);
  gchar *expected;
  gchar *data;
  gsize length;
  Result r;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_get_contents (clip_a, &data, &length, NULL));
  g_assert_true (g_file_set_contents (film, data, length, NULL));
  g_assert_true (g_file_set_contents (loose, data, length, NULL));
  g_free (data);

  r = run ("-c", catalog, "--step=10", "--min-frames=0", library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup_printf ("gst-palette: warning: \"%s\" is not in a film "
      "folder, skipped (move it into a folder \"Title (Year)\" of its own)\n",
      loose);
  assert_contains (r.err, expected);
  assert_contains (r.out, "Red: 1 color from 3 frames\n");
  g_free (expected);
  result_clear (&r);

  remove_tree (library);
  g_remove (catalog);
  g_free (library);
  g_free (folder);
  g_free (film);
  g_free (loose);
  g_free (catalog);
}

/* Stopped by Ctrl+C, the run names the signal as a user knows it. */
static void
test_interrupted_message (void)
{
  gchar *long_clip = g_build_filename (tmp_dir, "long.webm", NULL);
  const gchar *argv[] = { gst_palette_bin, "--events", "-", "--step=1",
    "--jobs=1", long_clip, NULL
  };
  GError *error = NULL;
  gint out_fd, err_fd, wait_status;
  gchar buffer[4096];
  GString *err = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  gssize n;
  GPid pid;

  make_clip (long_clip, 3000, 0xff00ff00);
  g_assert_true (g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out_fd,
          &err_fd, &error));
  g_assert_no_error (error);
  /* The film has started (its "start" event) once the handlers are set. */
  while (strstr (out->str, "\"start\"") == NULL &&
      (n = read (out_fd, buffer, sizeof (buffer))) > 0)
    g_string_append_len (out, buffer, n);
  g_assert_nonnull (strstr (out->str, "\"start\""));
  kill (pid, SIGINT);
  while ((n = read (err_fd, buffer, sizeof (buffer))) > 0)
    g_string_append_len (err, buffer, n);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("stderr: %s", err->str);
  g_assert_cmpint (exit_code (wait_status), ==, 128 + SIGINT);
  assert_contains (err->str, "gst-palette: interrupted by SIGINT (Ctrl+C); "
      "0 of 1 film finished, 1 not done\n");
  close (out_fd);
  close (err_fd);
  g_string_free (out, TRUE);
  g_string_free (err, TRUE);
  g_remove (long_clip);
  g_free (long_clip);
}

/* A one-file HTTP/1.0 server on the loopback, in its own thread: every
 * request gets CLIP_B, until a connection asks for "/quit". */
static gpointer
serve_clip (gpointer user_data)
{
  GSocket *listener = user_data;
  gboolean quit = FALSE;

  while (!quit) {
    GSocket *socket = g_socket_accept (listener, NULL, NULL);
    GSocketConnection *connection;
    GDataInputStream *lines;
    GOutputStream *out;
    gchar *line, *data, *header;
    gsize length;

    if (socket == NULL)
      break;
    connection = g_socket_connection_factory_create_connection (socket);
    lines = g_data_input_stream_new (g_io_stream_get_input_stream
        (G_IO_STREAM (connection)));
    out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
    /* the request, up to its empty line */
    while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL))) {
      gboolean end = line[0] == '\0' || g_str_equal (line, "\r");

      quit = quit || g_str_has_prefix (line, "GET /quit ");
      g_free (line);
      if (end)
        break;
    }
    if (!quit) {
      g_assert_true (g_file_get_contents (clip_b, &data, &length, NULL));
      header = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Type: "
          "video/webm\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
          length);
      g_output_stream_write_all (out, header, strlen (header), NULL, NULL,
          NULL);
      g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
      g_free (header);
      g_free (data);
    }
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    g_object_unref (lines);
    g_object_unref (connection);
    g_object_unref (socket);
  }
  return NULL;
}

/* URIs where a file goes: file:// (then a file like any other), http://
 * through uridecodebin; a scheme GStreamer has no source for is told. */
static void
test_uris (void)
{
  GSocket *listener;
  GSocketAddress *address;
  GThread *server;
  GError *error = NULL;
  guint16 port;
  gchar *uri, *expected;
  Result r;

  uri = g_filename_to_uri (clip_a, NULL, NULL);
  r = run ("--step=10", "--min-frames=0", uri, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "a: 1 color from 3 frames\n");
  result_clear (&r);
  g_free (uri);

  r = run ("file:///nonexistent/film%20one.mkv", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette: /nonexistent/film one.mkv: no "
      "such file or folder\n");
  result_clear (&r);

  r = run ("gopher2://host/film.mkv", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette: gopher2://host/film.mkv: "
      "GStreamer has no source for gopher2:// URIs (is its plugin "
      "installed?)\n");
  result_clear (&r);

  /* rtsp:// goes to rtspsrc: nothing listens there, a network failure
   * (worth a retry), not a missing file */
  if (gst_uri_protocol_is_supported (GST_URI_SRC, "rtsp")) {
    r = run ("--stall-timeout=10", "rtsp://127.0.0.1:1/live", NULL);
    g_assert_cmpint (r.status, ==, 75);
    assert_contains (r.err, "gst-palette: live: ");
    g_assert_null (strstr (r.err, "no such file"));
    result_clear (&r);
  }

  if (!gst_uri_protocol_is_supported (GST_URI_SRC, "http")) {
    g_test_message ("no GStreamer source for http://: that case is skipped");
    return;
  }
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_assert_true (g_socket_bind (listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  g_object_unref (address);
  address = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_object_unref (address);
  server = g_thread_new ("http", serve_clip, listener);

  uri = g_strdup_printf ("http://127.0.0.1:%u/films/Blue%%20Film.webm", port);
  r = run ("--json", "--step=1", uri, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (frames_of (r.out), ==, 20);
  result_clear (&r);
  r = run ("--step=5", "--min-frames=0", uri, NULL);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup ("Blue Film: 1 color from 4 frames\n");
  assert_contains (r.out, expected);
  g_free (expected);
  result_clear (&r);
  g_free (uri);

  /* the server thread ends at this request */
  {
    GSocketClient *client = g_socket_client_new ();
    GSocketConnection *connection = g_socket_client_connect_to_host (client,
        "127.0.0.1", port, NULL, &error);
    const gchar *quit = "GET /quit HTTP/1.0\r\n\r\n";

    g_assert_no_error (error);
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM
            (connection)), quit, strlen (quit), NULL, NULL, NULL);
    g_thread_join (server);
    g_object_unref (connection);
    g_object_unref (client);
  }
  g_object_unref (listener);
}

/* gst-palette score: a solid red clip against its own color and against
 * blue, and the mistakes. */
static void
test_score (void)
{
  gchar *red = g_build_filename (tmp_dir, "red.json", NULL);
  gchar *blue = g_build_filename (tmp_dir, "blue.json", NULL);
  gchar *bad = g_build_filename (tmp_dir, "bad.json", NULL);
  JsonObject *score, *de;
  Result r;

  g_assert_true (g_file_set_contents (red, "{\"colors\": [[255, 0, 0], "
          "[0, 0, 255]]}", -1, NULL));
  g_assert_true (g_file_set_contents (blue, "[\"#0000ff\"]", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "[[255, 0]]", -1, NULL));

  r = run ("score", "--json", clip_a, red, NULL);
  g_assert_cmpint (r.status, ==, 0);
  score = parse_object (r.out);
  /* 30 frames: all of them, 160x90 pixels each */
  g_assert_cmpint (json_object_get_int_member (score, "frames_total"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (score, "frames_sampled"), ==,
      30);
  g_assert_cmpint (json_object_get_int_member (score, "pixels"), ==,
      30 * 160 * 90);
  de = json_object_get_object_member (score, "de2000");
  /* VP8 moves a flat red by a level or two: close to 0 */
  g_assert_cmpfloat (json_object_get_double_member (de, "mean"), <, 1.5);
  json_object_unref (score);
  result_clear (&r);

  r = run ("score", "--json", clip_a, blue, NULL);
  g_assert_cmpint (r.status, ==, 0);
  score = parse_object (r.out);
  de = json_object_get_object_member (score, "de2000");
  /* red to blue: CIEDE2000 about 52.9 (Sharma's formula on sRGB red and
   * blue); every pixel the same distance */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (de, "mean"),
      52.9, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (de, "p95") -
      json_object_get_double_member (de, "p50"), <, 0.5);
  json_object_unref (score);
  result_clear (&r);

  r = run ("score", clip_a, red, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "mean CIEDE2000 "));
  assert_contains (r.out, " over 432000 pixels of 30 frames, 2 colors\n");
  result_clear (&r);

  r = run ("score", clip_a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette score: give a film and its "
      "palette: gst-palette score FILM PALETTE.json\n");
  result_clear (&r);
  r = run ("score", clip_a, bad, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "bad.json: color 1 is neither [r, g, b] (0-255) "
      "nor \"#rrggbb\"\n");
  result_clear (&r);
  r = run ("score", "/nonexistent.mkv", red, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette score: /nonexistent.mkv: no such "
      "file\n");
  result_clear (&r);

  g_free (red);
  g_free (blue);
  g_free (bad);
}

/* The main --help shows the options people use, not only --help-all. */
static void
test_help (void)
{
  const gchar *const shown[] = { "--fingerprint=FILE", "--swatch=FILE",
    "--write-json=FILE", "--output-dir=DIR", "--json", "--mode=MODE",
    "--step=N", "--interval=SECONDS", "--count=N", "--colors=N",
    "--catalog=FILE", "--help-all"
  };
  Result r = run ("--help", NULL);
  guint i;

  g_assert_cmpint (r.status, ==, 0);
  for (i = 0; i < G_N_ELEMENTS (shown); i++)
    assert_contains (r.out, shown[i]);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  find_gst_palette (argc, argv);

  tmp_dir = g_dir_make_tmp ("gst-palette-usage-XXXXXX", NULL);
  clip_a = g_build_filename (tmp_dir, "a.webm", NULL);
  clip_b = g_build_filename (tmp_dir, "b.webm", NULL);
  make_clip (clip_a, 30, 0xffff0000);
  make_clip (clip_b, 20, 0xff0000ff);

  g_test_add_func ("/cli-usage/mistakes", test_mistakes);
  g_test_add_func ("/cli-usage/output-paths", test_output_paths);
  g_test_add_func ("/cli-usage/implied-modes", test_implied_modes);
  g_test_add_func ("/cli-usage/keep-borders", test_keep_borders);
  g_test_add_func ("/cli-usage/json-lines", test_json_lines);
  g_test_add_func ("/cli-usage/grammar", test_grammar);
  g_test_add_func ("/cli-usage/utf8-title", test_utf8_title);
  g_test_add_func ("/cli-usage/loose-film-file", test_loose_film_file);
  g_test_add_func ("/cli-usage/interrupted", test_interrupted_message);
  g_test_add_func ("/cli-usage/help", test_help);
  g_test_add_func ("/cli-usage/uris", test_uris);
  g_test_add_func ("/cli-usage/score", test_score);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (clip_a);
  g_free (clip_b);
  g_free (tmp_dir);
  return status;
}
