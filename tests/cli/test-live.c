/* gst-palette live over MQTT, end to end (issue #21).
 *
 * First, without a broker: bad usage (exact messages, exit status 2) and
 * --events JSON Lines on one RTP stream for --duration (exit status 0).
 *
 * Starts mosquitto on 127.0.0.1 (a free port; stopped by its PID), four
 * RTP/H.264 senders on loopback in this process (videotestsrc of known
 * colors), `gst-palette live --mqtt` on them, and a libmosquitto
 * subscriber. Checks: each stream's palette comes within 2 intervals of
 * the stream going online, with its color; one stream's switch of color
 * shows within one window; a killed sender's stream is reported offline
 * within the stall timeout, the others keep going, and it comes back when
 * its sender does; SIGTERM ends the program with every status "offline"
 * (retained); SIGKILL leaves the process's last will; a password from
 * MQTT_PASSWORD is accepted, a wrong one refused with a message.
 * Skipped (exit 77, with a message) without mosquitto or an H.264
 * encoder/decoder.
 *   test-live GST-PALETTE */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test-files.h"

#define INTERVAL 1.0
#define WINDOW 3.0
#define STALL 2.0
#define RETRY_MAX 2.0
/* scheduling on a loaded 2-core machine: added to every bound */
#define SLACK 1.5
#define PREFIX "test"
/* the most a start may take (a loaded machine, an ASan build): bounds the
 * wait, not what is checked */
#define STARTUP 40.0

static const gchar *gst_palette;

typedef struct
{
  gchar *topic;
  gchar *payload;
  gdouble time;                 /* seconds since the test started */
} Message;

typedef struct
{
  struct mosquitto *mosq;
  GMutex lock;
  GPtrArray *messages;
  gboolean subscribed;
} Subscriber;

typedef struct
{
  const gchar *name;
  guint32 color;                /* 0xRRGGBB */
  guint16 port;
  GstElement *pipeline;
} Sender;

static gint64 start_time;
/* MQTT_PASSWORD of the programs spawned next; NULL: none */
static const gchar *child_password;

static gdouble
now (void)
{
  return (g_get_monotonic_time () - start_time) / 1e6;
}

static void
message_free (gpointer data)
{
  Message *m = data;

  g_free (m->topic);
  g_free (m->payload);
  g_free (m);
}

/* a free port: bound, read, released (the bind below may race with
 * another program; unlikely on loopback within a second) */
static guint16
free_port (gint type)
{
  struct sockaddr_in address = { 0, };
  socklen_t length = sizeof (address);
  gint fd = socket (AF_INET, type, 0);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof (address)),
      ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length),
      ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

static void
on_message (struct mosquitto *mosq, void *data,
    const struct mosquitto_message *message)
{
  Subscriber *sub = data;
  Message *m = g_new0 (Message, 1);

  m->topic = g_strdup (message->topic);
  m->payload = g_strndup (message->payload, message->payloadlen);
  m->time = now ();
  g_mutex_lock (&sub->lock);
  g_ptr_array_add (sub->messages, m);
  g_mutex_unlock (&sub->lock);
}

static void
on_subscribe (struct mosquitto *mosq, void *data, int mid, int n,
    const int *granted)
{
  Subscriber *sub = data;

  g_mutex_lock (&sub->lock);
  sub->subscribed = TRUE;
  g_mutex_unlock (&sub->lock);
}

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  if (rc == 0)
    mosquitto_subscribe (mosq, NULL, PREFIX "/#", 1);
}

/* connects (the broker may still be starting) and subscribes, in 5 s */
static Subscriber *
subscriber_new (guint16 port)
{
  Subscriber *sub = g_new0 (Subscriber, 1);
  gdouble deadline = now () + 5;
  gboolean ready = FALSE;

  g_mutex_init (&sub->lock);
  sub->messages = g_ptr_array_new_with_free_func (message_free);
  sub->mosq = mosquitto_new (NULL, true, sub);
  mosquitto_connect_callback_set (sub->mosq, on_connect);
  mosquitto_message_callback_set (sub->mosq, on_message);
  mosquitto_subscribe_callback_set (sub->mosq, on_subscribe);
  while (mosquitto_connect (sub->mosq, "127.0.0.1", port, 10) !=
      MOSQ_ERR_SUCCESS) {
    g_assert_cmpfloat (now (), <, deadline);
    g_usleep (50000);
  }
  g_assert_cmpint (mosquitto_loop_start (sub->mosq), ==, MOSQ_ERR_SUCCESS);
  while (!ready) {
    g_assert_cmpfloat (now (), <, deadline);
    g_usleep (20000);
    g_mutex_lock (&sub->lock);
    ready = sub->subscribed;
    g_mutex_unlock (&sub->lock);
  }
  return sub;
}

static void
subscriber_free (Subscriber * sub)
{
  mosquitto_disconnect (sub->mosq);
  mosquitto_loop_stop (sub->mosq, false);
  mosquitto_destroy (sub->mosq);
  g_ptr_array_unref (sub->messages);
  g_mutex_clear (&sub->lock);
  g_free (sub);
}

static JsonObject *
parse (const gchar * payload)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, payload, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_object_ref (json_node_get_object (json_parser_get_root
          (parser)));
  g_object_unref (parser);
  return object;
}

typedef gboolean (*Match) (JsonObject * payload, gconstpointer data);

/* the first message on PREFIX/STREAM/LEAF received at or after AFTER that
 * MATCH accepts, waiting until DEADLINE; its time, or -1 */
static gdouble
wait_for (Subscriber * sub, const gchar * stream, const gchar * leaf,
    gdouble after, Match match, gconstpointer data, gdouble deadline)
{
  gchar *topic = g_strdup_printf (PREFIX "/%s/%s", stream, leaf);
  guint next = 0;
  gdouble found = -1;

  /* looks at least once: what came before DEADLINE counts */
  for (;;) {
    gboolean late = now () >= deadline;

    g_mutex_lock (&sub->lock);
    for (; found < 0 && next < sub->messages->len; next++) {
      Message *m = sub->messages->pdata[next];
      JsonObject *payload;

      if (m->time < after || strcmp (m->topic, topic) != 0)
        continue;
      payload = parse (m->payload);
      if (match == NULL || match (payload, data))
        found = m->time;
      json_object_unref (payload);
    }
    g_mutex_unlock (&sub->lock);
    if (found >= 0 || late)
      break;
    g_usleep (20000);
  }
  g_free (topic);
  return found;
}

static guint
count (Subscriber * sub, const gchar * topic, gdouble after)
{
  guint i, n = 0;

  g_mutex_lock (&sub->lock);
  for (i = 0; i < sub->messages->len; i++) {
    Message *m = sub->messages->pdata[i];

    if (m->time >= after && strcmp (m->topic, topic) == 0)
      n++;
  }
  g_mutex_unlock (&sub->lock);
  return n;
}

/* the palette's dominant color is COLOR, within what H.264 changes */
static gboolean
dominant_is (JsonObject * payload, gconstpointer data)
{
  guint32 expected = GPOINTER_TO_UINT (data);
  JsonArray *colors = json_object_get_array_member (payload, "colors");
  guint32 got;
  gint shift;

  if (json_array_get_length (colors) == 0)
    return FALSE;
  got = strtoul (json_array_get_string_element (colors, 0) + 1, NULL, 16);
  for (shift = 0; shift <= 16; shift += 8)
    if (ABS ((gint) ((got >> shift) & 0xff) -
            (gint) ((expected >> shift) & 0xff)) > 40)
      return FALSE;
  return TRUE;
}

static gboolean
status_is (JsonObject * payload, gconstpointer data)
{
  return g_strcmp0 (json_object_get_string_member (payload, "status"),
      data) == 0;
}

static gboolean
status_is_down (JsonObject * payload, gconstpointer data)
{
  return status_is (payload, "offline") || status_is (payload, "error");
}

static void
sender_start (Sender * sender)
{
  gchar *description = g_strdup_printf ("videotestsrc is-live=true "
      "pattern=solid-color foreground-color=0x%08x name=src ! "
      "video/x-raw,width=160,height=90,framerate=10/1 ! "
      "openh264enc gop-size=5 ! h264parse config-interval=-1 ! "
      "rtph264pay config-interval=-1 pt=96 ! "
      "udpsink host=127.0.0.1 port=%u", 0xff000000 | sender->color,
      sender->port);
  GError *error = NULL;

  sender->pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_element_set_state (sender->pipeline,
          GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  g_free (description);
}

static void
sender_stop (Sender * sender)
{
  gst_element_set_state (sender->pipeline, GST_STATE_NULL);
  gst_clear_object (&sender->pipeline);
}

static void
sender_set_color (Sender * sender, guint32 color)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (sender->pipeline), "src");

  sender->color = color;
  /* the pattern set again: videotestsrc redraws its cached solid frame */
  g_object_set (src, "foreground-color", 0xff000000 | color, NULL);
  gst_util_set_object_arg (G_OBJECT (src), "pattern", "solid-color");
  gst_object_unref (src);
}

/* a child ends with the test, even an aborted one: it would otherwise
 * keep running and hold the test runner's pipes open */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (GSubprocessFlags flags, const gchar * const *argv)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  GError *error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (child_password != NULL)
    g_subprocess_launcher_setenv (launcher, "MQTT_PASSWORD", child_password,
        TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_object_unref (launcher);
  return process;
}

static GSubprocess *
start_live (guint16 broker, Sender * senders, guint n, const gchar * client)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GSubprocess *live;
  guint i;

  g_ptr_array_add (argv, g_strdup (gst_palette));
  g_ptr_array_add (argv, g_strdup ("live"));
  g_ptr_array_add (argv, g_strdup_printf ("--mqtt=127.0.0.1:%u", broker));
  g_ptr_array_add (argv, g_strdup ("--mqtt-prefix=" PREFIX));
  g_ptr_array_add (argv, g_strdup_printf ("--mqtt-client-id=%s", client));
  g_ptr_array_add (argv, g_strdup_printf ("--interval=%g", INTERVAL));
  g_ptr_array_add (argv, g_strdup_printf ("--window=%g", WINDOW));
  g_ptr_array_add (argv, g_strdup_printf ("--stall-timeout=%g", STALL));
  g_ptr_array_add (argv, g_strdup ("--retry-min=0.5"));
  g_ptr_array_add (argv, g_strdup_printf ("--retry-max=%g", RETRY_MAX));
  for (i = 0; i < n; i++)
    g_ptr_array_add (argv, g_strdup_printf ("%s=udp://127.0.0.1:%u",
            senders[i].name, senders[i].port));
  g_ptr_array_add (argv, NULL);
  live = spawn (G_SUBPROCESS_FLAGS_NONE, (const gchar * const *) argv->pdata);
  g_ptr_array_unref (argv);
  return live;
}

/* waits at most SECONDS for PROCESS to end; FALSE if it did not */
static gboolean
wait_exit (GSubprocess * process, gdouble seconds)
{
  gdouble deadline = now () + seconds;

  while (now () < deadline) {
    /* the process's end comes through the main context */
    while (g_main_context_iteration (NULL, FALSE));
    if (g_subprocess_get_identifier (process) == NULL)
      return TRUE;
    g_usleep (20000);
  }
  return FALSE;
}

static GSubprocess *
start_broker (const gchar * dir, guint16 port, guint16 auth_port)
{
  const gchar *broker = g_file_test ("/usr/sbin/mosquitto",
      G_FILE_TEST_IS_EXECUTABLE) ? "/usr/sbin/mosquitto" : "mosquitto";
  gchar *config = g_build_filename (dir, "mosquitto.conf", NULL);
  gchar *passwords = g_build_filename (dir, "passwords", NULL);
  /* PORT anonymous; PORT + 1 (free too, see main) with a password */
  /* started as root, mosquitto becomes the user named here (by default
   * "mosquitto", who cannot read the test's private folder) */
  gchar *text = g_strdup_printf ("per_listener_settings true\n"
      "persistence false\nuser %s\n"
      "listener %u 127.0.0.1\nallow_anonymous true\n"
      "listener %u 127.0.0.1\nallow_anonymous false\npassword_file %s\n",
      g_get_user_name (), port, auth_port, passwords);
  const gchar *argv[] = { broker, "-c", config, NULL };
  const gchar *passwd[] = { "mosquitto_passwd", "-c", "-b", passwords,
    "palette", "s3cret w0rd", NULL
  };
  GSubprocess *process;

  process = spawn (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, passwd);
  g_assert_true (g_subprocess_wait_check (process, NULL, NULL));
  g_object_unref (process);
  g_free (passwords);
  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  process = spawn (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
      G_SUBPROCESS_FLAGS_STDERR_SILENCE, argv);
  g_free (text);
  g_free (config);
  return process;
}

/* runs gst-palette live ARGS…; its exit status, standard output and error */
static gint
run_live (gchar ** out, gchar ** err, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  GSubprocess *process;
  GError *error = NULL;
  const gchar *arg;
  va_list args;
  gint status;

  g_ptr_array_add (argv, (gpointer) gst_palette);
  g_ptr_array_add (argv, (gpointer) "live");
  va_start (args, err);
  while ((arg = va_arg (args, const gchar *)) != NULL)
      g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_PIPE, (const gchar * const *) argv->pdata);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err,
          &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);
  g_object_unref (process);
  g_ptr_array_unref (argv);
  return status;
}

static void
check_usage (const gchar * message, const gchar * arg1, const gchar * arg2)
{
  gchar *out, *err;

  g_assert_cmpint (run_live (&out, &err, arg1, arg2, NULL), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, message);
  g_free (out);
  g_free (err);
}

/* bad usage: an exact message, exit status 2, nothing started */
static void
test_usage (void)
{
  check_usage ("gst-palette live: no stream: give one or more [NAME=]URI\n",
      "--interval=1", NULL);
  check_usage ("gst-palette live: two streams named \"cam\": name them as "
      "NAME=URI\n", "udp://127.0.0.1:5000/cam", "cam=udp://127.0.0.1:5001");
  check_usage ("gst-palette live: stream name \"a+b\": '/', '+', '#' and "
      "control characters cannot be in an MQTT topic level\n",
      "a+b=udp://127.0.0.1:5000", NULL);
  check_usage ("gst-palette live: --mqtt wants HOST[:PORT], PORT 1-65535\n",
      "--mqtt=localhost:0", "udp://127.0.0.1:5000");
  check_usage ("gst-palette live: --window must be at least --interval\n",
      "--window=0.5", "udp://127.0.0.1:5000");
  check_usage ("gst-palette live: an MQTT password needs --mqtt-username\n",
      "--mqtt-password=x", "udp://127.0.0.1:5000");
}

/* the broker-less way: --events JSON Lines, for --duration, exit 0 */
static void
test_events (Sender * sender)
{
  gchar *uri = g_strdup_printf ("%s=udp://127.0.0.1:%u", sender->name,
      sender->port);
  gchar *out, *err, **lines, **line;
  gboolean online = FALSE, stopped = FALSE;
  guint palettes = 0;

  g_assert_cmpint (run_live (&out, &err, "--events=-", "--duration=4",
          "--interval=0.5", "--window=2", uri, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (line = lines; *line != NULL && **line != '\0'; line++) {
    JsonObject *event = parse (*line);
    const gchar *kind = json_object_get_string_member (event, "event");

    g_assert_cmpstr (json_object_get_string_member (event, "stream"), ==,
        sender->name);
    if (g_str_equal (kind, "status") && status_is (event, "online"))
      online = TRUE;
    if (g_str_equal (kind, "status") && status_is (event, "offline") &&
        g_str_equal (json_object_get_string_member (event, "reason"),
            "stopped"))
      stopped = TRUE;
    if (g_str_equal (kind, "palette")) {
      g_assert_true (dominant_is (event, GUINT_TO_POINTER (sender->color)));
      palettes++;
    }
    json_object_unref (event);
  }
  printf ("--events: %u palettes in 4 s at a 0.5 s interval\n", palettes);
  g_assert_true (online);
  g_assert_true (stopped);
  g_assert_cmpuint (palettes, >=, 2);
  g_strfreev (lines);
  g_free (out);
  g_free (err);
  g_free (uri);
}

/* Starts the RTSP server (rtsp-server.py) on PORT serving COLOR, and waits
 * until it listens (its "ready" line, within 20 s); NULL when Python has no
 * GstRtspServer. */
static GSubprocess *
rtsp_server_start (const gchar * script, guint16 port, guint32 color)
{
  gchar *port_text = g_strdup_printf ("%u", port);
  gchar *color_text = g_strdup_printf ("%06x", color);
  const gchar *argv[] = { "/usr/bin/python3", script, port_text, color_text,
    NULL
  };
  GSubprocess *server = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_SILENCE, argv);
  GDataInputStream *lines =
      g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  gchar *line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);

  /* a server that cannot start ends, and the read sees the end */
  if (g_strcmp0 (line, "ready") != 0) {
    g_subprocess_force_exit (server);
    g_clear_object (&server);
  }
  g_free (line);
  g_object_unref (lines);
  g_free (color_text);
  g_free (port_text);
  return server;
}

static void
rtsp_server_stop (GSubprocess * server)
{
  g_subprocess_force_exit (server);
  g_assert_true (wait_exit (server, 5));
  g_object_unref (server);
}

/* rtsp:// end to end: a camera's stream gives its color; the server gone
 * for 4 s, the stream is reported in error and retried (back-off from 0.5
 * to 1 s), then comes back online with palettes again. */
static void
test_rtsp (const gchar * script)
{
  const guint32 color = 0xc04020;
  guint16 port = free_port (SOCK_STREAM);
  GSubprocess *server = rtsp_server_start (script, port, color), *live;
  gchar *uri, *dir, *events, *data, **lines, **line;
  const gchar *argv[11];
  guint online = 0, errors = 0, palettes_before = 0, palettes_after = 0;
  gboolean down = FALSE;

  if (server == NULL) {
    printf ("SKIP rtsp: no GstRtspServer for Python (.ci/install-deps "
        "installs gir1.2-gst-rtsp-server-1.0)\n");
    return;
  }
  dir = g_dir_make_tmp ("test-live-rtsp-XXXXXX", NULL);
  events = g_build_filename (dir, "events.jsonl", NULL);
  uri = g_strdup_printf ("cam=rtsp://127.0.0.1:%u/cam", port);
  argv[0] = gst_palette;
  argv[1] = "live";
  argv[2] = "--events";
  argv[3] = events;
  argv[4] = "--duration=16";
  argv[5] = "--interval=0.5";
  argv[6] = "--window=2";
  argv[7] = "--retry-min=0.5";
  /* back within a second of the server (slow under sanitizers) */
  argv[8] = "--retry-max=1";
  argv[9] = uri;
  argv[10] = NULL;
  live = spawn (G_SUBPROCESS_FLAGS_STDERR_SILENCE, argv);
  g_usleep (5 * G_USEC_PER_SEC);
  rtsp_server_stop (server);
  g_usleep (4 * G_USEC_PER_SEC);
  server = rtsp_server_start (script, port, color);
  g_assert_nonnull (server);
  g_assert_true (wait_exit (live, 30));
  g_assert_true (g_subprocess_get_if_exited (live));
  g_assert_cmpint (g_subprocess_get_exit_status (live), ==, 0);
  g_object_unref (live);
  rtsp_server_stop (server);

  g_assert_true (g_file_get_contents (events, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  for (line = lines; *line != NULL && **line != '\0'; line++) {
    JsonObject *event = parse (*line);
    const gchar *kind = json_object_get_string_member (event, "event");

    if (g_str_equal (kind, "status") && status_is (event, "online"))
      online++;
    if (g_str_equal (kind, "status") && status_is (event, "error")) {
      /* each retry says when: a back-off of 0.5 s, then longer */
      g_assert_true (json_object_get_double_member (event, "retry_in") >=
          0.5);
      errors++;
      down = TRUE;
    }
    if (g_str_equal (kind, "palette")) {
      g_assert_true (dominant_is (event, GUINT_TO_POINTER (color)));
      if (down)
        palettes_after++;
      else
        palettes_before++;
    }
    json_object_unref (event);
  }
  printf ("rtsp: %u palettes, %u errors while the server was gone, "
      "%u palettes after\n", palettes_before, errors, palettes_after);
  g_assert_cmpuint (online, ==, 2);
  g_assert_cmpuint (errors, >=, 1);
  g_assert_cmpuint (palettes_before, >=, 2);
  g_assert_cmpuint (palettes_after, >=, 2);
  g_strfreev (lines);
  g_free (data);
  g_unlink (events);
  g_rmdir (dir);
  g_free (events);
  g_free (dir);
  g_free (uri);
}

static gint
skip (const gchar * why)
{
  printf ("SKIP: %s\n", why);
  return 77;
}

int
main (int argc, char **argv)
{
  Sender senders[] = {
    {"red", 0xff0000, 0, NULL}, {"green", 0x00ff00, 0, NULL},
    {"blue", 0x0000ff, 0, NULL},
    {"switch", 0xffff00, 0, NULL},
  };
  const guint n = G_N_ELEMENTS (senders);
  static const gchar *needed[] = { "openh264enc", "h264parse", "rtph264pay",
    "rtph264depay", "avdec_h264", "udpsrc", "rtpjitterbuffer"
  };
  gchar *dir, *broker_path;
  guint16 broker_port, auth_port;
  GSubprocess *broker, *live;
  Subscriber *sub;
  gdouble t, t_live, t_switch, t_kill, t_back;
  guint i;

  gst_init (&argc, &argv);
  if (argc != 3) {
    fprintf (stderr, "usage: test-live GST-PALETTE RTSP-SERVER.PY\n");
    return 2;
  }
  gst_palette = argv[1];
  start_time = g_get_monotonic_time ();
  test_usage ();
  for (i = 0; i < G_N_ELEMENTS (needed); i++) {
    GstElementFactory *factory = gst_element_factory_find (needed[i]);

    if (factory == NULL) {
      gchar *why = g_strdup_printf ("no %s element", needed[i]);
      gint status = skip (why);

      g_free (why);
      return status;
    }
    gst_object_unref (factory);
  }
  senders[0].port = free_port (SOCK_DGRAM);
  sender_start (&senders[0]);
  test_events (&senders[0]);
  sender_stop (&senders[0]);
  test_rtsp (argv[2]);

  broker_path = g_find_program_in_path ("mosquitto");
  if (broker_path == NULL && !g_file_test ("/usr/sbin/mosquitto",
          G_FILE_TEST_IS_EXECUTABLE))
    return skip ("mosquitto is not installed (.ci/install-deps installs it)");
  g_free (broker_path);
  mosquitto_lib_init ();
  dir = g_dir_make_tmp ("test-live-XXXXXX", NULL);
  g_assert_nonnull (dir);
  broker_port = free_port (SOCK_STREAM);
  auth_port = free_port (SOCK_STREAM);
  broker = start_broker (dir, broker_port, auth_port);
  sub = subscriber_new (broker_port);
  for (i = 0; i < n; i++) {
    senders[i].port = free_port (SOCK_DGRAM);
    sender_start (&senders[i]);
  }

  /* each stream: online, then its palette within 2 intervals, dominated
   * by its color */
  t_live = now ();
  live = start_live (broker_port, senders, n, "test-live");
  for (i = 0; i < n; i++) {
    gdouble online = wait_for (sub, senders[i].name, "status", t_live,
        status_is, "online", t_live + STARTUP);
    gdouble palette;

    g_assert_cmpfloat (online, >=, 0);
    palette = wait_for (sub, senders[i].name, "palette", t_live,
        dominant_is, GUINT_TO_POINTER (senders[i].color), t_live + STARTUP + 5);
    printf ("%s: online after %.2f s, its palette %.2f s later\n",
        senders[i].name, online - t_live, palette - online);
    g_assert_cmpfloat (palette, >=, 0);
    g_assert_cmpfloat (palette - online, <=, 2 * INTERVAL + SLACK);
  }

  /* yellow to cyan: cyan leads within one window */
  t_switch = now ();
  sender_set_color (&senders[3], 0x00ffff);
  t = wait_for (sub, "switch", "palette", t_switch, dominant_is,
      GUINT_TO_POINTER (0x00ffff), t_switch + WINDOW + SLACK + 5);
  printf ("switch: cyan leads %.2f s after the switch\n", t - t_switch);
  g_assert_cmpfloat (t, >=, 0);
  g_assert_cmpfloat (t - t_switch, <=, WINDOW + SLACK);

  /* a sender dies: its stream is reported within the stall timeout, the
   * others keep publishing */
  t_kill = now ();
  sender_stop (&senders[2]);
  t = wait_for (sub, "blue", "status", t_kill, status_is_down, NULL,
      t_kill + STALL + SLACK + 5);
  printf ("blue: reported down %.2f s after its sender stopped\n", t - t_kill);
  g_assert_cmpfloat (t, >=, 0);
  g_assert_cmpfloat (t - t_kill, <=, STALL + SLACK);
  g_usleep ((INTERVAL * 2 + 0.2) * G_USEC_PER_SEC);
  g_assert_cmpuint (count (sub, PREFIX "/red/palette", t_kill), >=, 2);
  g_assert_cmpuint (count (sub, PREFIX "/switch/palette", t_kill), >=, 2);

  /* it comes back with its sender, the back-off bounded by --retry-max */
  t_back = now ();
  sender_start (&senders[2]);
  t = wait_for (sub, "blue", "status", t_back, status_is, "online",
      t_back + RETRY_MAX + STALL + SLACK + 5);
  printf ("blue: online again %.2f s after its sender restarted\n", t - t_back);
  g_assert_cmpfloat (t, >=, 0);
  g_assert_cmpfloat (t - t_back, <=, RETRY_MAX + STALL + SLACK);
  g_assert_cmpfloat (wait_for (sub, "blue", "palette", t, dominant_is,
          GUINT_TO_POINTER (0x0000ff), t + 2 * INTERVAL + SLACK), >=, 0);

  /* SIGTERM: a clean end, every stream offline, the process too */
  t = now ();
  g_subprocess_send_signal (live, SIGTERM);
  g_assert_true (wait_exit (live, 10));
  g_assert_true (g_subprocess_get_if_exited (live));
  g_assert_cmpint (g_subprocess_get_exit_status (live), ==, 128 + SIGTERM);
  g_clear_object (&live);
  for (i = 0; i < n; i++)
    g_assert_cmpfloat (wait_for (sub, senders[i].name, "status", t,
            status_is, "offline", t + 2), >=, 0);
  g_assert_cmpfloat (wait_for (sub, "_clients/test-live", "status", t,
          status_is, "offline", t + 2), >=, 0);

  /* a late subscriber reads the retained state at once */
  {
    Subscriber *late = subscriber_new (broker_port);
    gdouble t_late = now ();

    g_assert_cmpfloat (wait_for (late, "red", "palette", 0, dominant_is,
            GUINT_TO_POINTER (0xff0000), t_late + 2), >=, 0);
    g_assert_cmpfloat (wait_for (late, "red", "status", 0, status_is,
            "offline", t_late + 2), >=, 0);
    subscriber_free (late);
  }

  /* SIGKILL: the broker sends the process's last will */
  live = start_live (broker_port, senders, 1, "test-live-killed");
  t = now ();
  g_assert_cmpfloat (wait_for (sub, "_clients/test-live-killed", "status", t,
          status_is, "online", t + STARTUP), >=, 0);
  t = now ();
  g_subprocess_force_exit (live);
  g_assert_true (wait_exit (live, 5));
  g_clear_object (&live);
  g_assert_cmpfloat (wait_for (sub, "_clients/test-live-killed", "status", t,
          status_is, "offline", t + 2 + SLACK), >=, 0);

  /* credentials: the password from MQTT_PASSWORD; a wrong one is refused
   * and said so, and the streams run on */
  {
    gchar *broker_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", auth_port);
    gchar *uri = g_strdup_printf ("red=udp://127.0.0.1:%u", senders[0].port);
    gchar *out, *err;

    child_password = "s3cret w0rd";
    t = now ();
    g_assert_cmpint (run_live (&out, &err, broker_arg, "--mqtt-prefix=" PREFIX
            "/auth", "--mqtt-username=palette", "--duration=4", uri, NULL),
        ==, 0);
    g_assert_cmpfloat (wait_for (sub, "auth/red", "palette", t, dominant_is,
            GUINT_TO_POINTER (0xff0000), now () + 1), >=, 0);
    g_free (out);
    g_free (err);

    child_password = "wrong";
    g_assert_cmpint (run_live (&out, &err, broker_arg,
            "--mqtt-username=palette", "--duration=1", uri, NULL), ==, 0);
    g_assert_nonnull (strstr (err,
            "gst-palette live: MQTT broker refused "
            "the connection: Connection Refused: not authorised.\n"));
    child_password = NULL;
    g_free (out);
    g_free (err);
    g_free (uri);
    g_free (broker_arg);
  }

  for (i = 0; i < n; i++)
    sender_stop (&senders[i]);
  subscriber_free (sub);
  g_subprocess_send_signal (broker, SIGTERM);
  g_assert_true (wait_exit (broker, 5));
  g_object_unref (broker);
  mosquitto_lib_cleanup ();
  remove_tree (dir);
  g_free (dir);
  printf ("live over MQTT: OK\n");
  return 0;
}
