/* gst-palette live --mqtt (see live-mqtt.h) */
#include "live-mqtt.h"

#include "catalog.h"

#include <errno.h>
#include <mosquitto.h>
#include <stdlib.h>
#include <string.h>

/* Messages handed to libmosquitto and not yet written (QoS 0) or
 * acknowledged (QoS 1, 2). libmosquitto queues without limit, so a broker
 * that is alive but slower than our updates would grow the process for as
 * long as it lags. Above this, a topic's newer payload waits in `retained`
 * (one per topic) and goes out once the queue is half empty: a subscriber
 * of a retained topic wants the latest palette, not every one it missed. */
#define MAX_IN_FLIGHT 64

struct _LiveMqtt
{
  struct mosquitto *mosq;
  gchar *prefix;
  gchar *client_id;
  gchar *process_topic;
  gint qos;

  GMutex lock;
  GCond sent;
  GHashTable *retained;         /* topic → payload, published again on
                                 * each connection */
  gint in_flight;               /* published, not yet acknowledged */
  GHashTable *held;             /* topics whose latest payload waits for
                                 * the queue to drain (a set) */
  gboolean connected;
  gint last_refusal;            /* reported once until it changes */
};

static gchar *
process_payload (const gchar * client_id, const gchar * status,
    const gchar * reason, gboolean with_time)
{
  gchar *now = with_time ? catalog_now_iso8601 () : NULL;
  gchar *payload;

  /* the will is written at connection time: it carries no time */
  payload = now != NULL ?
      g_strdup_printf ("{\"client\":\"%s\",\"status\":\"%s\","
      "\"reason\":\"%s\",\"time\":\"%s\"}", client_id, status, reason, now) :
      g_strdup_printf ("{\"client\":\"%s\",\"status\":\"%s\","
      "\"reason\":\"%s\"}", client_id, status, reason);
  g_free (now);
  return payload;
}

/* Never with the lock held: libmosquitto may call on_publish from inside
 * mosquitto_publish (QoS 0, written at once). */
static void
send (LiveMqtt * mqtt, const gchar * topic, const gchar * payload)
{
  g_atomic_int_inc (&mqtt->in_flight);
  if (mosquitto_publish (mqtt->mosq, NULL, topic, strlen (payload), payload,
          mqtt->qos, true) != MOSQ_ERR_SUCCESS)
    /* not connected: published again on the next connection */
    g_atomic_int_dec_and_test (&mqtt->in_flight);
}

static void
on_connect (struct mosquitto *mosq, void *user_data, int rc)
{
  LiveMqtt *mqtt = user_data;
  GHashTableIter iter;
  gpointer topic, payload;
  GPtrArray *again;
  guint i;

  g_mutex_lock (&mqtt->lock);
  if (rc != 0) {
    if (rc != mqtt->last_refusal)
      g_printerr ("gst-palette live: MQTT broker refused the connection: "
          "%s\n", mosquitto_connack_string (rc));
    mqtt->last_refusal = rc;
    g_mutex_unlock (&mqtt->lock);
    return;
  }
  if (mqtt->last_refusal != 0)
    g_printerr ("gst-palette live: MQTT connected\n");
  mqtt->last_refusal = 0;
  mqtt->connected = TRUE;
  g_hash_table_remove_all (mqtt->held);
  again = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, mqtt->retained);
  while (g_hash_table_iter_next (&iter, &topic, &payload)) {
    g_ptr_array_add (again, g_strdup (topic));
    g_ptr_array_add (again, g_strdup (payload));
  }
  g_mutex_unlock (&mqtt->lock);
  for (i = 0; i + 1 < again->len; i += 2)
    send (mqtt, again->pdata[i], again->pdata[i + 1]);
  g_ptr_array_unref (again);
}

static void
on_disconnect (struct mosquitto *mosq, void *user_data, int rc)
{
  LiveMqtt *mqtt = user_data;

  g_mutex_lock (&mqtt->lock);
  if (mqtt->connected && rc != 0)
    g_printerr ("gst-palette live: MQTT connection lost; reconnecting\n");
  if (rc != 0)
    mqtt->last_refusal = -1;
  mqtt->connected = FALSE;
  /* what was not acknowledged is sent again on the next connection */
  g_atomic_int_set (&mqtt->in_flight, 0);
  g_cond_broadcast (&mqtt->sent);
  g_mutex_unlock (&mqtt->lock);
}

static void
on_publish (struct mosquitto *mosq, void *user_data, int mid)
{
  LiveMqtt *mqtt = user_data;

  GPtrArray *again = NULL;
  GHashTableIter iter;
  gpointer topic;
  guint i;

  if (g_atomic_int_get (&mqtt->in_flight) > 0)
    g_atomic_int_dec_and_test (&mqtt->in_flight);
  g_mutex_lock (&mqtt->lock);
  g_cond_broadcast (&mqtt->sent);
  if (mqtt->connected && g_hash_table_size (mqtt->held) > 0
      && g_atomic_int_get (&mqtt->in_flight) <= MAX_IN_FLIGHT / 2) {
    again = g_ptr_array_new_with_free_func (g_free);
    g_hash_table_iter_init (&iter, mqtt->held);
    while (g_hash_table_iter_next (&iter, &topic, NULL)) {
      g_ptr_array_add (again, g_strdup (topic));
      g_ptr_array_add (again, g_strdup (g_hash_table_lookup (mqtt->retained,
                  topic)));
    }
    g_hash_table_remove_all (mqtt->held);
  }
  g_mutex_unlock (&mqtt->lock);
  if (again == NULL)
    return;
  for (i = 0; i + 1 < again->len; i += 2)
    send (mqtt, again->pdata[i], again->pdata[i + 1]);
  g_ptr_array_unref (again);
}

gboolean
live_mqtt_parse_address (const gchar * address, gchar ** host, gint * port)
{
  const gchar *colon;
  gchar *end;
  glong value;

  *port = 0;
  if (address[0] == '[') {
    const gchar *close = strchr (address, ']');

    if (close == NULL || close == address + 1)
      return FALSE;
    *host = g_strndup (address + 1, close - address - 1);
    colon = close[1] == ':' ? close + 1 : NULL;
    if (colon == NULL && close[1] != '\0') {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  } else {
    colon = strrchr (address, ':');
    /* two colons: a bare IPv6 address, no port */
    if (colon != NULL && strchr (address, ':') != colon)
      colon = NULL;
    *host = colon ? g_strndup (address, colon - address) : g_strdup (address);
  }
  if (**host == '\0') {
    g_clear_pointer (host, g_free);
    return FALSE;
  }
  if (colon != NULL) {
    value = strtol (colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1 || value < 1 || value > 65535) {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
    *port = value;
  }
  return TRUE;
}

static gboolean
check (gint rc, const gchar * what, GError ** error)
{
  if (rc == MOSQ_ERR_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "MQTT %s: %s", what,
      rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc));
  return FALSE;
}

LiveMqtt *
live_mqtt_open (const LiveMqttOptions * options, GError ** error)
{
  LiveMqtt *mqtt = g_new0 (LiveMqtt, 1);
  gchar *will;
  gint port = options->port;
  gint rc;

  mosquitto_lib_init ();
  mqtt->prefix = g_strdup (options->prefix);
  mqtt->client_id = g_strdup (options->client_id);
  mqtt->process_topic = g_strdup_printf ("%s/_clients/%s/status",
      options->prefix, options->client_id);
  mqtt->qos = options->qos;
  g_mutex_init (&mqtt->lock);
  g_cond_init (&mqtt->sent);
  mqtt->retained = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  mqtt->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* a clean session: what this process publishes is all retained, and it
   * subscribes to nothing */
  mqtt->mosq = mosquitto_new (options->client_id, true, mqtt);
  if (mqtt->mosq == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "MQTT: cannot make a client: %s", g_strerror (errno));
    live_mqtt_close (mqtt, 0);
    return NULL;
  }
  mosquitto_connect_callback_set (mqtt->mosq, on_connect);
  mosquitto_disconnect_callback_set (mqtt->mosq, on_disconnect);
  mosquitto_publish_callback_set (mqtt->mosq, on_publish);
  /* 1 s, doubling up to 60 s between tries while the broker is away */
  mosquitto_reconnect_delay_set (mqtt->mosq, 1, 60, true);
  will = process_payload (options->client_id, "offline", "connection lost",
      FALSE);
  rc = mosquitto_will_set (mqtt->mosq, mqtt->process_topic, strlen (will),
      will, options->qos, true);
  g_free (will);
  if (!check (rc, "last will", error))
    goto failed;
  if (options->username != NULL &&
      !check (mosquitto_username_pw_set (mqtt->mosq, options->username,
              options->password), "credentials", error))
    goto failed;
  if (options->tls_ca != NULL) {
    if (!check (mosquitto_tls_set (mqtt->mosq, options->tls_ca, NULL,
                options->tls_cert, options->tls_key, NULL), "TLS", error))
      goto failed;
    if (port == 0)
      port = 8883;
  }
  if (port == 0)
    port = 1883;
  {
    gchar *online = process_payload (options->client_id, "online", "started",
        TRUE);

    g_hash_table_replace (mqtt->retained, g_strdup (mqtt->process_topic),
        online);
  }
  rc = mosquitto_connect_async (mqtt->mosq, options->host, port,
      options->keepalive);
  if (rc == MOSQ_ERR_EAI) {
    /* no network yet, or a typo: the caller tells them apart by the code */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND,
        "MQTT %s: cannot resolve the broker's name", options->host);
    goto failed;
  }
  if (rc == MOSQ_ERR_INVAL) {
    check (rc, options->host, error);
    goto failed;
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    /* the broker is not up yet: the network thread keeps trying */
    g_printerr ("gst-palette live: MQTT %s:%d: %s; retrying\n",
        options->host, port, rc == MOSQ_ERR_ERRNO ? g_strerror (errno) :
        mosquitto_strerror (rc));
    mqtt->last_refusal = -1;
  }
  if (!check (mosquitto_loop_start (mqtt->mosq), "network thread", error))
    goto failed;
  return mqtt;

failed:
  mosquitto_destroy (mqtt->mosq);
  mqtt->mosq = NULL;
  live_mqtt_close (mqtt, 0);
  return NULL;
}

void
live_mqtt_publish (LiveMqtt * mqtt, const gchar * stream, const gchar * leaf,
    const gchar * payload)
{
  gchar *topic = g_strdup_printf ("%s/%s/%s", mqtt->prefix, stream, leaf);
  gboolean connected;

  g_mutex_lock (&mqtt->lock);
  connected = mqtt->connected;
  g_hash_table_replace (mqtt->retained, g_strdup (topic), g_strdup (payload));
  if (connected && g_atomic_int_get (&mqtt->in_flight) >= MAX_IN_FLIGHT) {
    /* the latest payload goes when the queue drains (on_publish) */
    g_hash_table_add (mqtt->held, g_strdup (topic));
    connected = FALSE;
  }
  g_mutex_unlock (&mqtt->lock);
  if (connected)
    send (mqtt, topic, payload);
  g_free (topic);
}

guint
live_mqtt_in_flight (LiveMqtt * mqtt)
{
  return g_atomic_int_get (&mqtt->in_flight);
}

void
live_mqtt_close (LiveMqtt * mqtt, guint timeout_ms)
{
  if (mqtt == NULL)
    return;
  if (mqtt->mosq != NULL) {
    gchar *offline = process_payload (mqtt->client_id, "offline", "stopped",
        TRUE);
    gint64 deadline = g_get_monotonic_time () +
        timeout_ms * G_TIME_SPAN_MILLISECOND;
    gboolean connected;

    g_mutex_lock (&mqtt->lock);
    connected = mqtt->connected;
    g_mutex_unlock (&mqtt->lock);
    if (connected)
      send (mqtt, mqtt->process_topic, offline);
    g_mutex_lock (&mqtt->lock);
    while (mqtt->connected && g_atomic_int_get (&mqtt->in_flight) > 0)
      if (!g_cond_wait_until (&mqtt->sent, &mqtt->lock, deadline))
        break;
    g_mutex_unlock (&mqtt->lock);
    g_free (offline);
    mosquitto_disconnect (mqtt->mosq);
    mosquitto_loop_stop (mqtt->mosq, false);
    mosquitto_destroy (mqtt->mosq);
  }
  mosquitto_lib_cleanup ();
  g_hash_table_unref (mqtt->retained);
  g_hash_table_unref (mqtt->held);
  g_cond_clear (&mqtt->sent);
  g_mutex_clear (&mqtt->lock);
  g_free (mqtt->process_topic);
  g_free (mqtt->client_id);
  g_free (mqtt->prefix);
  g_free (mqtt);
}
