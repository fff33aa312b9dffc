/* Unit tests of gst-palette live's parts (issue #21): stream arguments and
 * names, the back-off, the broker address, and the payloads' exact text. */
#include <glib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "live-mqtt.h"
#include "live-payload.h"
#include "live-stream.h"
#include "live-uri.h"

static void
check_uri (const gchar * arg, const gchar * name, const gchar * uri)
{
  LiveUri parsed;
  GError *error = NULL;

  g_assert_true (live_uri_parse (arg, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed.name, ==, name);
  g_assert_cmpstr (parsed.uri, ==, uri);
  live_uri_clear (&parsed);
}

static void
check_refused (const gchar * arg, const gchar * message)
{
  LiveUri parsed;
  GError *error = NULL;

  g_assert_false (live_uri_parse (arg, &parsed, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (parsed.name);
  g_error_free (error);
}

static void
test_uris (void)
{
  gchar *cwd = g_get_current_dir ();
  gchar *expected;

  check_uri ("rtsp://cam.local:8554/front-door", "front-door",
      "rtsp://cam.local:8554/front-door");
  check_uri ("lobby=rtsp://cam.local/stream?profile=1", "lobby",
      "rtsp://cam.local/stream?profile=1");
  /* no path: host and port */
  check_uri ("udp://127.0.0.1:5600", "127.0.0.1-5600", "udp://127.0.0.1:5600");
  check_uri ("https://tv.example/live/ch1/index.m3u8", "index",
      "https://tv.example/live/ch1/index.m3u8");
  check_uri ("news=https://tv.example/live/ch1/index.m3u8", "news",
      "https://tv.example/live/ch1/index.m3u8");
  check_uri ("/srv/film.mp4", "film", "file:///srv/film.mp4");
  check_uri ("cam=/srv/cameras/cam.sdp", "cam", "sdp:///srv/cameras/cam.sdp");
  /* an '=' in a path is not a name */
  expected = g_strdup_printf ("file://%s/a=b.mp4", cwd);
  check_uri ("./a=b.mp4", "a-b", expected);
  g_free (expected);
  check_refused ("=rtsp://cam/x", "empty stream name");
  check_refused ("hall#1=rtsp://cam/x",
      "stream name \"hall#1\": '/', '+', '#' and control characters cannot "
      "be in an MQTT topic level");
  check_refused ("a+b=rtsp://cam/x",
      "stream name \"a+b\": '/', '+', '#' and control characters cannot "
      "be in an MQTT topic level");
  check_refused ("_clients=rtsp://cam/x",
      "stream name \"_clients\": names starting with '_' are kept for the "
      "process's own topics");
  check_refused ("cam=", "stream \"cam\": no URI");
  check_refused ("udp://", "udp://: cannot name the stream from its URI; "
      "give it as NAME=URI");
  g_free (cwd);
}

static void
test_redact (void)
{
  gchar *shown = live_uri_redact ("rtsp://admin:secret@cam.local/s");

  g_assert_cmpstr (shown, ==, "rtsp://admin@cam.local/s");
  g_free (shown);
  shown = live_uri_redact ("rtsp://cam.local/s");
  g_assert_cmpstr (shown, ==, "rtsp://cam.local/s");
  g_free (shown);
  g_assert_true (live_uri_is_file ("file:///a.mp4"));
  g_assert_false (live_uri_is_file ("rtsp://cam/file:x"));
}

static void
test_backoff (void)
{
  g_assert_cmpfloat (live_backoff_delay (0, 1, 60), ==, 1);
  g_assert_cmpfloat (live_backoff_delay (1, 1, 60), ==, 2);
  g_assert_cmpfloat (live_backoff_delay (5, 1, 60), ==, 32);
  g_assert_cmpfloat (live_backoff_delay (6, 1, 60), ==, 60);
  /* weeks of failures: bounded, no overflow */
  g_assert_cmpfloat (live_backoff_delay (G_MAXUINT, 0.5, 300), ==, 300);
  g_assert_cmpfloat (live_backoff_delay (3, 0.25, 10), ==, 2);
}

static void
check_address (const gchar * address, const gchar * host, gint port)
{
  gchar *parsed_host = NULL;
  gint parsed_port = -1;

  g_assert_true (live_mqtt_parse_address (address, &parsed_host, &parsed_port));
  g_assert_cmpstr (parsed_host, ==, host);
  g_assert_cmpint (parsed_port, ==, port);
  g_free (parsed_host);
}

static void
test_address (void)
{
  gchar *host = NULL;
  gint port;

  check_address ("broker", "broker", 0);
  check_address ("broker.lan:1884", "broker.lan", 1884);
  check_address ("[::1]:8883", "::1", 8883);
  check_address ("[::1]", "::1", 0);
  check_address ("fe80::1", "fe80::1", 0);
  g_assert_false (live_mqtt_parse_address ("broker:0", &host, &port));
  g_assert_false (live_mqtt_parse_address ("broker:65536", &host, &port));
  g_assert_false (live_mqtt_parse_address ("broker:x", &host, &port));
  g_assert_false (live_mqtt_parse_address (":1883", &host, &port));
  g_assert_false (live_mqtt_parse_address ("[::1]x", &host, &port));
  g_assert_null (host);
}

static void
test_palette_payload (void)
{
  PaletteMessage palette = { 0, };
  LiveLosses losses = { 7, 3 };
  gchar *text;

  palette.n_colors = 2;
  palette.colors[0] = 0xfd0000;
  palette.colors[1] = 0x0a0b0c;
  palette.weights[0] = 0.75004;
  palette.weights[1] = 0.24996;
  palette.frames = 42;
  palette.span.timestamp = 2 * GST_SECOND;
  palette.span.stream_time = 599 * GST_MSECOND;
  palette.span.running_time = 599 * GST_MSECOND;
  palette.span.duration = 10 * GST_SECOND;
  text = live_payload_to_string (live_payload_palette ("lobby", &palette,
          &losses, "2026-11-30T10:00:00+00:00"));
  g_assert_cmpstr (text, ==, "{\"stream\":\"lobby\","
      "\"colors\":[\"#fd0000\",\"#0a0b0c\"],\"shares\":[0.75,0.25],"
      "\"black_and_white\":false,\"frames\":42,\"skipped\":7,\"dropped\":3,"
      "\"span\":{\"start\":0.599,\"duration\":10},"
      "\"time\":\"2026-11-30T10:00:00+00:00\"}");
  g_free (text);

  /* unknown times are null, not a huge number */
  palette.span.stream_time = GST_CLOCK_TIME_NONE;
  palette.span.timestamp = GST_CLOCK_TIME_NONE;
  palette.span.duration = GST_CLOCK_TIME_NONE;
  palette.black_and_white = TRUE;
  palette.n_colors = 1;
  palette.weights[0] = 1;
  losses.skipped = losses.dropped = 0;
  text = live_payload_to_string (live_payload_palette ("a", &palette, &losses,
          "t"));
  g_assert_cmpstr (text, ==, "{\"stream\":\"a\",\"colors\":[\"#fd0000\"],"
      "\"shares\":[1],\"black_and_white\":true,\"frames\":42,"
      "\"skipped\":0,\"dropped\":0,\"span\":{\"start\":null,\"duration\":null},\"time\":\"t\"}");
  g_free (text);
}

static void
test_status_payload (void)
{
  LiveStatus status = { LIVE_STATUS_ERROR, "failed",
    "udpsrc0: \"bad\"\n\\ port", "udp://127.0.0.1:5600", 4
  };
  gchar *text = live_payload_to_string (live_payload_status ("cam", &status,
          "t"));

  g_assert_cmpstr (text, ==, "{\"stream\":\"cam\",\"status\":\"error\","
      "\"reason\":\"failed\",\"message\":\"udpsrc0: \\\"bad\\\"\\n\\\\ port\","
      "\"uri\":\"udp://127.0.0.1:5600\",\"retry_in\":4,\"time\":\"t\"}");
  g_free (text);

  status.kind = LIVE_STATUS_ONLINE;
  status.reason = "playing";
  status.message = NULL;
  status.retry_in = -1;
  text = live_payload_to_string (live_payload_status ("cam", &status, "t"));
  g_assert_cmpstr (text, ==, "{\"stream\":\"cam\",\"status\":\"online\","
      "\"reason\":\"playing\",\"message\":null,"
      "\"uri\":\"udp://127.0.0.1:5600\",\"retry_in\":null,\"time\":\"t\"}");
  g_free (text);
  g_assert_cmpstr (live_status_kind_name (LIVE_STATUS_OFFLINE), ==, "offline");

  /* a stream named after a file in Latin-1 (\xe9): the payload stays
   * UTF-8, the byte replaced, so that every JSON reader takes it */
  text = live_payload_to_string (live_payload_status ("caf\xe9", &status,
          "t"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "{\"stream\":\"caf\xef\xbf\xbd\",\"status\":"
      "\"online\",\"reason\":\"playing\",\"message\":null,"
      "\"uri\":\"udp://127.0.0.1:5600\",\"retry_in\":null,\"time\":\"t\"}");
  g_free (text);
}

/* --events lines print doubles as the records do, the shortest decimal
 * that reads back as the same value: json-glib printed 17 digits
 * (0.29999999999999999 for a share of 0.3 read from a record) */
static void
test_events_doubles (void)
{
  gchar *dir = g_dir_make_tmp ("live-parts-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "events.jsonl", NULL);
  GError *error = NULL;
  Events *events = events_open (path, &error);
  JsonObject *details = json_object_new ();
  JsonParser *parser = json_parser_new ();
  gchar *text, *expected;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser,
          "{\"weights\": [0.3, 0.123456], \"duration\": 5400.042}", -1, NULL));
  json_object_set_member (details, "record",
      json_node_copy (json_parser_get_root (parser)));
  json_object_set_double_member (details, "sum", 0.1 + 0.2);
  json_object_set_double_member (details, "whole", 2.0);
  json_object_set_double_member (details, "tiny", 1.5e-7);
  json_object_set_int_member (details, "frames", 42);
  events_write (events, "done", "Film \"A\"", details);
  events_close (events);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  expected = g_strdup_printf ("{\"event\":\"done\",\"film\":\"Film \\\"A\\\"\","
      "\"record\":{\"weights\":[0.3,0.123456],\"duration\":5400.042},"
      "\"sum\":0.30000000000000004,\"whole\":2,\"tiny\":1.5e-07,"
      "\"frames\":42,\"host\":\"%s\",\"pid\":%d,\"time\":\"", g_get_host_name (),
      (gint) getpid ());
  g_assert_true (g_str_has_prefix (text, expected));
  g_assert_true (g_str_has_suffix (text, "\"}\n"));
  /* one line, ended by its newline */
  g_assert_true (strchr (text, '\n') == text + strlen (text) - 1);

  g_free (expected);
  g_free (text);
  g_object_unref (parser);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

/* A port on 127.0.0.1 free when asked */
static guint16
free_tcp_port (void)
{
  struct sockaddr_in addr = { 0, };
  socklen_t len = sizeof addr;
  gint fd = socket (AF_INET, SOCK_STREAM, 0);
  guint16 port;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

typedef struct
{
  GMutex lock;
  GHashTable *last;             /* topic → last payload received */
} Received;

static void
on_message (struct mosquitto *mosq, void *data,
    const struct mosquitto_message *message)
{
  Received *received = data;

  g_mutex_lock (&received->lock);
  g_hash_table_replace (received->last, g_strdup (message->topic),
      g_strndup (message->payload, message->payloadlen));
  g_mutex_unlock (&received->lock);
}

static gboolean
received_is (Received * received, const gchar * topic, const gchar * payload)
{
  gboolean is;

  g_mutex_lock (&received->lock);
  is = g_strcmp0 (g_hash_table_lookup (received->last, topic), payload) == 0;
  g_mutex_unlock (&received->lock);
  return is;
}

/* A broker that stops reading (SIGSTOP: alive, but acknowledging nothing)
 * while palettes keep coming: no more than ~64 messages wait in the
 * connection instead of every update (40 MB here), and once the broker
 * reads again each topic's latest payload reaches a subscriber. */
static void
test_mqtt_slow_broker (void)
{
  gchar *dir = g_dir_make_tmp ("live-mqtt-XXXXXX", NULL);
  gchar *config = g_build_filename (dir, "mosquitto.conf", NULL);
  const gchar *broker = g_file_test ("/usr/sbin/mosquitto",
      G_FILE_TEST_IS_EXECUTABLE) ? "/usr/sbin/mosquitto" : "mosquitto";
  guint16 port = free_tcp_port ();
  gchar *text = g_strdup_printf ("persistence false\nuser %s\n"
      "listener %u 127.0.0.1\nallow_anonymous true\n", g_get_user_name (),
      port);
  gchar *argv[] = { (gchar *) broker, (gchar *) "-c", config, NULL };
  LiveMqttOptions options = { 0, };
  Received received = { 0, };
  struct mosquitto *sub;
  gchar *payload = g_malloc (2048 + 1);
  gchar *latest[4] = { NULL, };
  gchar *topic;
  LiveMqtt *mqtt;
  gint64 deadline;
  guint i, most = 0;
  GPid pid;
  gint status;

  if (!g_file_test (broker, G_FILE_TEST_IS_EXECUTABLE)
      && g_find_program_in_path ("mosquitto") == NULL) {
    g_test_skip ("mosquitto is not installed (.ci/install-deps installs it)");
    return;
  }
  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  g_assert_true (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, NULL));

  g_mutex_init (&received.lock);
  received.last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  mosquitto_lib_init ();
  sub = mosquitto_new (NULL, true, &received);
  mosquitto_message_callback_set (sub, on_message);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (mosquitto_connect (sub, "127.0.0.1", port, 10) != MOSQ_ERR_SUCCESS) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50000);
  }
  g_assert_cmpint (mosquitto_subscribe (sub, NULL, "slow/#", 0), ==,
      MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (sub), ==, MOSQ_ERR_SUCCESS);

  options.host = "127.0.0.1";
  options.port = port;
  options.prefix = "slow";
  options.client_id = "slow-broker-test";
  options.keepalive = 60;
  mqtt = live_mqtt_open (&options, NULL);
  g_assert_nonnull (mqtt);
  /* connected once the subscriber hears it */
  while (!received_is (&received, "slow/s0/palette", "hello")) {
    live_mqtt_publish (mqtt, "s0", "palette", "hello");
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100000);
  }

  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  memset (payload, 'x', 2048);
  payload[2048] = '\0';
  for (i = 0; i < 20000; i++) {
    gchar stream[8];
    gint n = g_snprintf (payload, 32, "%u", i);

    payload[n] = ' ';
    g_snprintf (stream, sizeof stream, "s%u", i % 4);
    live_mqtt_publish (mqtt, stream, "palette", payload);
    g_free (latest[i % 4]);
    latest[i % 4] = g_strdup (payload);
    most = MAX (most, live_mqtt_in_flight (mqtt));
  }
  /* 64, and the topics sent again as the queue drains */
  g_assert_cmpuint (most, <=, 64 + 4);
  g_assert_cmpuint (most, >=, 64);

  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  for (i = 0; i < 4; i++) {
    topic = g_strdup_printf ("slow/s%u/palette", i);
    while (!received_is (&received, topic, latest[i])) {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
    g_free (topic);
    g_free (latest[i]);
  }

  live_mqtt_close (mqtt, 2000);
  mosquitto_disconnect (sub);
  mosquitto_loop_stop (sub, false);
  mosquitto_destroy (sub);
  mosquitto_lib_cleanup ();
  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_hash_table_unref (received.last);
  g_mutex_clear (&received.lock);
  g_free (payload);
  g_unlink (config);
  g_rmdir (dir);
  g_free (text);
  g_free (config);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/live/uris", test_uris);
  g_test_add_func ("/live/redact", test_redact);
  g_test_add_func ("/live/backoff", test_backoff);
  g_test_add_func ("/live/mqtt-address", test_address);
  g_test_add_func ("/live/palette-payload", test_palette_payload);
  g_test_add_func ("/live/status-payload", test_status_payload);
  g_test_add_func ("/events/doubles", test_events_doubles);
  g_test_add_func ("/live/mqtt-slow-broker", test_mqtt_slow_broker);
  return g_test_run ();
}
