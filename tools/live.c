/* gst-palette live (see live.h and docs/live.md) */
#include "live.h"

#include "analyze.h"
#include "catalog.h"
#include "events.h"
#include "live-mqtt.h"
#include "live-payload.h"
#include "live-stream.h"
#include "live-uri.h"

#include <glib-unix.h>
#include <gst/gst.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define EXIT_USAGE 2
/* as the rest of gst-palette: a failure worth a retry (systemd's
 * Restart=on-failure does) */
#define EXIT_TEMPFAIL 75
/* how long a stop waits for the broker to have the last statuses */
#define MQTT_CLOSE_TIMEOUT_MS 3000

typedef struct
{
  gdouble interval;
  gdouble window;
  gdouble start_timeout;
  gdouble stall_timeout;
  gdouble retry_min;
  gdouble retry_max;
  gdouble duration;
  gboolean keyframes_only;
  gchar *caps;
  gint colors;
  gchar *record_dir;
  gchar *events_path;
  gboolean quiet;

  gchar *mqtt;
  gchar *mqtt_prefix;
  gchar *mqtt_client_id;
  gint mqtt_qos;
  gint mqtt_keepalive;
  gchar *mqtt_username;
  gchar *mqtt_password;
  gchar *mqtt_password_file;
  gchar *mqtt_tls_ca;
  gchar *mqtt_tls_cert;
  gchar *mqtt_tls_key;

  gchar **uris;
} LiveOptions;

typedef struct
{
  LiveOptions *options;
  GMainLoop *loop;
  GPtrArray *streams;
  Events *events;
  LiveMqtt *mqtt;
  gboolean mqtt_transient;      /* the broker's name did not resolve */
  gint signal;
} Live;

static void
options_clear (LiveOptions * o)
{
  g_free (o->caps);
  g_free (o->record_dir);
  g_free (o->events_path);
  g_free (o->mqtt);
  g_free (o->mqtt_prefix);
  g_free (o->mqtt_client_id);
  g_free (o->mqtt_username);
  if (o->mqtt_password != NULL)
    memset (o->mqtt_password, 0, strlen (o->mqtt_password));
  g_free (o->mqtt_password);
  g_free (o->mqtt_password_file);
  g_free (o->mqtt_tls_ca);
  g_free (o->mqtt_tls_cert);
  g_free (o->mqtt_tls_key);
  g_strfreev (o->uris);
}

static GOptionContext *
make_context (LiveOptions * o)
{
  GOptionEntry entries[] = {
    {"interval", 0, 0, G_OPTION_ARG_DOUBLE, &o->interval,
        "A palette every SECONDS (default 1)", "SECONDS"},
    {"window", 0, 0, G_OPTION_ARG_DOUBLE, &o->window,
        "Each palette covers the last SECONDS (default 10; 0: the whole "
          "stream since it started)", "SECONDS"},
    {"keyframes-only", 0, 0, G_OPTION_ARG_NONE, &o->keyframes_only,
          "Decode key frames only (far cheaper; one frame per key frame)",
        NULL},
    {"stall-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->stall_timeout,
          "A stream without a frame for SECONDS is restarted (default 10)",
        "SECONDS"},
    {"start-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->start_timeout,
        "A stream without its first frame SECONDS after a (re)start is "
          "restarted (default 20)", "SECONDS"},
    {"retry-min", 0, 0, G_OPTION_ARG_DOUBLE, &o->retry_min,
        "First wait before restarting a stream (default 1)", "SECONDS"},
    {"retry-max", 0, 0, G_OPTION_ARG_DOUBLE, &o->retry_max,
          "Longest wait, the back-off doubling up to it (default 60)",
        "SECONDS"},
    {"caps", 0, 0, G_OPTION_ARG_STRING, &o->caps,
        "What udp:// URIs receive (default RTP H.264, payload 96)", "CAPS"},
    {"colors", 'k', 0, G_OPTION_ARG_INT, &o->colors,
        "Colors per palette (default palettesink's, 10)", "N"},
    {"record-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->record_dir,
        "Keep DIR/STREAM.json, palettesink's record, current", "DIR"},
    {"duration", 0, 0, G_OPTION_ARG_DOUBLE, &o->duration,
        "Stop after SECONDS (default: run until SIGINT/SIGTERM)", "SECONDS"},
    {"events", 0, 0, G_OPTION_ARG_FILENAME, &o->events_path,
        "Write palettes and statuses as JSON Lines to FILE (- for standard "
          "output; the default without --mqtt)", "FILE"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
        "Do not log status changes on standard error", NULL},
    {"mqtt", 0, 0, G_OPTION_ARG_STRING, &o->mqtt,
        "Publish to the MQTT broker at HOST[:PORT]", "HOST[:PORT]"},
    {"mqtt-prefix", 0, 0, G_OPTION_ARG_STRING, &o->mqtt_prefix,
        "Topic prefix (default gst-palette)", "PREFIX"},
    {"mqtt-client-id", 0, 0, G_OPTION_ARG_STRING, &o->mqtt_client_id,
        "Client id (default gst-palette-HOST-FIRSTSTREAM)", "ID"},
    {"mqtt-qos", 0, 0, G_OPTION_ARG_INT, &o->mqtt_qos,
        "QoS of every message: 0, 1 or 2 (default 1)", "QOS"},
    {"mqtt-keepalive", 0, 0, G_OPTION_ARG_INT, &o->mqtt_keepalive,
        "Keep-alive SECONDS: the broker sends the will after 1.5 times it "
          "(default 30)", "SECONDS"},
    {"mqtt-username", 0, 0, G_OPTION_ARG_STRING, &o->mqtt_username,
        "User name", "NAME"},
    {"mqtt-password", 0, 0, G_OPTION_ARG_STRING, &o->mqtt_password,
        "Password (visible in ps: prefer MQTT_PASSWORD or "
          "--mqtt-password-file)", "PASSWORD"},
    {"mqtt-password-file", 0, 0, G_OPTION_ARG_FILENAME,
          &o->mqtt_password_file,
        "Read the password from FILE's first line", "FILE"},
    {"mqtt-tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &o->mqtt_tls_ca,
        "TLS, trusting the CAs in FILE (port 8883 by default)", "FILE"},
    {"mqtt-tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &o->mqtt_tls_cert,
        "TLS client certificate", "FILE"},
    {"mqtt-tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o->mqtt_tls_key,
        "TLS client key", "FILE"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->uris, NULL,
        NULL},
    {NULL}
  };
  GOptionContext *context =
      g_option_context_new ("[NAME=]URI... - palettes of live streams");

  g_option_context_set_summary (context,
      "Follows each stream (rtsp://, udp:// RTP with --caps, an .sdp file, "
      "http(s) HLS,\nv4l2 devices, files played as live) and publishes its "
      "palette every --interval.\nSee docs/live.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  return context;
}

static gboolean
usage_error (const gchar * message)
{
  fprintf (stderr, "gst-palette live: %s\n", message);
  return FALSE;
}

static gboolean
read_password (LiveOptions * o)
{
  const gchar *env = g_getenv ("MQTT_PASSWORD");
  GError *error = NULL;
  gchar *text;

  if (o->mqtt_password_file != NULL) {
    if (!g_file_get_contents (o->mqtt_password_file, &text, NULL, &error)) {
      fprintf (stderr, "gst-palette live: --mqtt-password-file: %s\n",
          error->message);
      g_error_free (error);
      return FALSE;
    }
    text[strcspn (text, "\r\n")] = '\0';
    g_free (o->mqtt_password);
    o->mqtt_password = text;
  } else if (o->mqtt_password == NULL && env != NULL) {
    o->mqtt_password = g_strdup (env);
  }
  if (o->mqtt_password != NULL && o->mqtt_username == NULL)
    return usage_error ("an MQTT password needs --mqtt-username");
  return TRUE;
}

static gboolean
check_options (LiveOptions * o)
{
  if (o->uris == NULL || o->uris[0] == NULL)
    return usage_error ("no stream: give one or more [NAME=]URI");
  if (o->interval <= 0 || o->interval > 86400)
    return usage_error ("--interval must be > 0 seconds");
  if (o->window < 0)
    return usage_error ("--window must be >= 0 seconds");
  if (o->window > 0 && o->window < o->interval)
    return usage_error ("--window must be at least --interval");
  if (o->stall_timeout <= 0 || o->start_timeout <= 0)
    return usage_error ("--stall-timeout and --start-timeout must be > 0 "
        "seconds");
  if (o->retry_min <= 0 || o->retry_max < o->retry_min)
    return usage_error ("--retry-min must be > 0 and at most --retry-max");
  if (o->duration < 0)
    return usage_error ("--duration must be >= 0 seconds");
  if (o->colors < 0 || o->colors > 64)
    return usage_error ("--colors must be 1-64");
  if (o->mqtt_qos < 0 || o->mqtt_qos > 2)
    return usage_error ("--mqtt-qos must be 0, 1 or 2");
  if (o->mqtt_keepalive < 5 || o->mqtt_keepalive > 65535)
    return usage_error ("--mqtt-keepalive must be 5-65535 seconds");
  if (o->mqtt_prefix[0] == '\0' || strpbrk (o->mqtt_prefix, "+#") != NULL)
    return usage_error ("--mqtt-prefix must be a topic without '+' or '#'");
  if ((o->mqtt_tls_cert == NULL) != (o->mqtt_tls_key == NULL))
    return usage_error ("--mqtt-tls-cert and --mqtt-tls-key go together");
  if (o->mqtt_tls_cert != NULL && o->mqtt_tls_ca == NULL)
    return usage_error ("a TLS client certificate needs --mqtt-tls-ca");
  return read_password (o);
}

static void
on_status (LiveStream * stream, const LiveStatus * status, gpointer data)
{
  Live *live = data;
  const gchar *name = live_stream_get_name (stream);
  gchar *now = catalog_now_iso8601 ();

  if (!live->options->quiet) {
    gchar *retry = status->retry_in >= 0 ?
        g_strdup_printf ("; retrying in %.1f s", status->retry_in) : NULL;

    fprintf (stderr, "gst-palette live: %s: %s (%s)%s%s%s\n", name,
        live_status_kind_name (status->kind), status->reason,
        status->message ? ": " : "", status->message ? status->message : "",
        retry ? retry : "");
    g_free (retry);
  }
  if (live->mqtt != NULL) {
    gchar *payload =
        live_payload_to_string (live_payload_status (name, status, now));

    live_mqtt_publish (live->mqtt, name, "status", payload);
    g_free (payload);
  }
  events_write (live->events, "status", NULL,
      live_payload_status (name, status, now));
  g_free (now);
}

static void
on_palette (LiveStream * stream, const PaletteMessage * palette,
    const LiveLosses * losses, gpointer data)
{
  Live *live = data;
  const gchar *name = live_stream_get_name (stream);
  gchar *now = catalog_now_iso8601 ();

  if (live->mqtt != NULL) {
    gchar *payload =
        live_payload_to_string (live_payload_palette (name, palette, losses,
            now));

    live_mqtt_publish (live->mqtt, name, "palette", payload);
    g_free (payload);
  }
  events_write (live->events, "palette", NULL,
      live_payload_palette (name, palette, losses, now));
  g_free (now);
}

static gboolean
on_signal (gpointer data)
{
  Live *live = data;

  /* g_unix_signal_add has no way to say which: one source per signal */
  g_main_loop_quit (live->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer data)
{
  ((Live *) data)->signal = SIGINT;
  return on_signal (data);
}

static gboolean
on_sigterm (gpointer data)
{
  ((Live *) data)->signal = SIGTERM;
  return on_signal (data);
}

static gboolean
on_duration (gpointer data)
{
  g_main_loop_quit (((Live *) data)->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
open_mqtt (Live * live, const gchar * first_stream)
{
  LiveOptions *o = live->options;
  LiveMqttOptions mqtt_options = { 0, };
  GError *error = NULL;
  gchar *host, *client_id;

  if (!live_mqtt_parse_address (o->mqtt, &host, &mqtt_options.port))
    return usage_error ("--mqtt wants HOST[:PORT], PORT 1-65535");
  client_id = o->mqtt_client_id != NULL ? g_strdup (o->mqtt_client_id) :
      g_strdup_printf ("gst-palette-%s-%s", g_get_host_name (), first_stream);
  mqtt_options.host = host;
  mqtt_options.prefix = o->mqtt_prefix;
  mqtt_options.client_id = client_id;
  mqtt_options.qos = o->mqtt_qos;
  mqtt_options.keepalive = o->mqtt_keepalive;
  mqtt_options.username = o->mqtt_username;
  mqtt_options.password = o->mqtt_password;
  mqtt_options.tls_ca = o->mqtt_tls_ca;
  mqtt_options.tls_cert = o->mqtt_tls_cert;
  mqtt_options.tls_key = o->mqtt_tls_key;
  live->mqtt = live_mqtt_open (&mqtt_options, &error);
  g_free (client_id);
  g_free (host);
  if (live->mqtt == NULL) {
    fprintf (stderr, "gst-palette live: %s\n", error->message);
    live->mqtt_transient = g_error_matches (error, G_IO_ERROR,
        G_IO_ERROR_HOST_NOT_FOUND);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* the streams from the command line, named, every name once */
static GPtrArray *
parse_streams (gchar ** args)
{
  GPtrArray *uris = g_ptr_array_new ();
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;
  gchar **arg;

  for (arg = args; ok && *arg != NULL; arg++) {
    LiveUri *uri = g_new0 (LiveUri, 1);
    GError *error = NULL;

    if (!live_uri_parse (*arg, uri, &error)) {
      fprintf (stderr, "gst-palette live: %s\n", error->message);
      g_error_free (error);
      g_free (uri);
      ok = FALSE;
    } else if (!g_hash_table_add (names, uri->name)) {
      fprintf (stderr, "gst-palette live: two streams named \"%s\": "
          "name them as NAME=URI\n", uri->name);
      g_ptr_array_add (uris, uri);
      ok = FALSE;
    } else {
      g_ptr_array_add (uris, uri);
    }
  }
  g_hash_table_unref (names);
  if (!ok) {
    guint i;

    for (i = 0; i < uris->len; i++) {
      live_uri_clear (uris->pdata[i]);
      g_free (uris->pdata[i]);
    }
    g_ptr_array_unref (uris);
    return NULL;
  }
  return uris;
}

/* How often the allocator's free memory goes back to the system */
#define TRIM_PERIOD_SECONDS 60

/* Decoders and queues allocate more while a stream lags (a load spike, a
 * stall) and free it once it catches up, but glibc keeps what was freed in
 * its per-thread arenas: over an hour of 4 streams the heap in use stayed
 * at 33 ± 3 MB while the arenas' free memory rose from 7.5 to 13-16 MB,
 * and RSS with it, by steps at each spike; one malloc_trim() at the hour
 * gave back 8.5 MiB of 112 (docs/live.md). Returning it every minute keeps
 * RSS to what is in use, so that a service watched for weeks shows no
 * creep; walking the arenas once a minute costs nothing next to decoding. */
static gboolean
on_trim (gpointer user_data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_CONTINUE;
}

static gint
run (Live * live, GPtrArray * uris)
{
  LiveOptions *o = live->options;
  LiveStreamSettings settings = { 0, };
  guint sigint, sigterm, duration = 0, trim;
  guint i;

  settings.interval = o->interval * GST_SECOND;
  settings.window = o->window * GST_SECOND;
  settings.start_timeout = o->start_timeout;
  settings.stall_timeout = o->stall_timeout;
  settings.retry_min = o->retry_min;
  settings.retry_max = o->retry_max;
  settings.keyframes_only = o->keyframes_only;
  settings.colors = o->colors;
  settings.record_dir = o->record_dir;
  settings.udp_caps = gst_caps_from_string (o->caps);
  if (settings.udp_caps == NULL) {
    fprintf (stderr, "gst-palette live: --caps \"%s\": not caps\n", o->caps);
    return EXIT_USAGE;
  }

  live->loop = g_main_loop_new (NULL, FALSE);
  live->streams = g_ptr_array_new ();
  for (i = 0; i < uris->len; i++)
    g_ptr_array_add (live->streams, live_stream_new (uris->pdata[i],
            &settings, on_status, on_palette, live));
  for (i = 0; i < live->streams->len; i++)
    live_stream_start (live->streams->pdata[i]);
  sigint = g_unix_signal_add (SIGINT, on_sigint, live);
  sigterm = g_unix_signal_add (SIGTERM, on_sigterm, live);
  if (o->duration > 0)
    duration = g_timeout_add ((guint) (o->duration * 1000), on_duration, live);
  trim = g_timeout_add_seconds (TRIM_PERIOD_SECONDS, on_trim, NULL);

  g_main_loop_run (live->loop);

  g_source_remove (trim);

  /* every stream says "offline" before the connection closes: a clean
   * stop sends no will */
  for (i = 0; i < live->streams->len; i++)
    live_stream_stop (live->streams->pdata[i]);
  live_mqtt_close (live->mqtt, MQTT_CLOSE_TIMEOUT_MS);
  live->mqtt = NULL;
  for (i = 0; i < live->streams->len; i++)
    live_stream_free (live->streams->pdata[i]);
  g_ptr_array_unref (live->streams);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (duration != 0 && live->signal != 0)
    g_source_remove (duration);
  g_main_loop_unref (live->loop);
  gst_caps_unref (settings.udp_caps);
  return live->signal != 0 ? 128 + live->signal : 0;
}

gint
live_main (gint argc, gchar ** argv)
{
  LiveOptions options = { 0, };
  Live live = { 0, };
  GOptionContext *context;
  GError *error = NULL;
  GPtrArray *uris = NULL;
  gint status = EXIT_USAGE;
  guint i;

  options.interval = 1;
  options.window = 10;
  options.start_timeout = 20;
  options.stall_timeout = 10;
  options.retry_min = 1;
  options.retry_max = 60;
  options.mqtt_qos = 1;
  options.mqtt_keepalive = 30;
  g_set_prgname ("gst-palette live");
  context = make_context (&options);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    fprintf (stderr, "gst-palette live: %s\nTry 'gst-palette live --help'.\n",
        error->message);
    g_error_free (error);
    g_option_context_free (context);
    options_clear (&options);
    return EXIT_USAGE;
  }
  g_option_context_free (context);
  if (options.mqtt_prefix == NULL)
    options.mqtt_prefix = g_strdup ("gst-palette");
  if (options.caps == NULL)
    options.caps = g_strdup ("application/x-rtp, media=video, "
        "encoding-name=H264, clock-rate=90000, payload=96");
  live.options = &options;
  if (!check_options (&options) || (uris = parse_streams (options.uris)) ==
      NULL)
    goto done;
  if (!analysis_ensure_plugins (&error)) {
    fprintf (stderr, "gst-palette live: %s\n", error->message);
    g_error_free (error);
    goto done;
  }
  if (options.events_path == NULL && options.mqtt == NULL)
    options.events_path = g_strdup ("-");
  if (options.events_path != NULL) {
    live.events = events_open (options.events_path, &error);
    if (live.events == NULL) {
      fprintf (stderr, "gst-palette live: %s\n", error->message);
      g_error_free (error);
      goto done;
    }
  }
  if (options.mqtt != NULL &&
      !open_mqtt (&live, ((LiveUri *) uris->pdata[0])->name)) {
    if (live.mqtt_transient)
      status = EXIT_TEMPFAIL;
    goto done;
  }
  status = run (&live, uris);

done:
  live_mqtt_close (live.mqtt, 0);
  events_close (live.events);
  if (uris != NULL) {
    for (i = 0; i < uris->len; i++) {
      live_uri_clear (uris->pdata[i]);
      g_free (uris->pdata[i]);
    }
    g_ptr_array_unref (uris);
  }
  options_clear (&options);
  if (gst_is_initialized ())
    gst_deinit ();
  return status;
}
