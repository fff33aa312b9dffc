/* gst-palette live --mqtt: one connection to the broker for all the
 * process's streams (libmosquitto, its network thread).
 *
 * Topics, all retained, so that a subscriber arriving late reads the
 * current state at once:
 *   PREFIX/STREAM/palette          the last palette of STREAM
 *   PREFIX/STREAM/status           online / offline / error, and why
 *   PREFIX/_clients/CLIENT/status  the process: online, or offline when it
 *                                  stops or, as its last will, when the
 *                                  broker loses it
 * One connection has one will, so the process's topic carries it; a
 * stream's status is current while its process's is "online". */
#ifndef GST_PALETTE_LIVE_MQTT_H
#define GST_PALETTE_LIVE_MQTT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const gchar *host;
  gint port;                    /* 0: 1883, or 8883 with TLS */
  const gchar *prefix;
  const gchar *client_id;
  gint qos;                     /* 0, 1, 2 */
  gint keepalive;               /* seconds */
  const gchar *username;        /* NULL: none */
  const gchar *password;
  const gchar *tls_ca;          /* CA file: TLS on */
  const gchar *tls_cert;        /* client certificate and key, optional */
  const gchar *tls_key;
} LiveMqttOptions;

typedef struct _LiveMqtt LiveMqtt;

/* Starts connecting in the background (reconnecting, with back-off, for as
 * long as it runs); fails only on options the library refuses. */
LiveMqtt *live_mqtt_open (const LiveMqttOptions * options, GError ** error);

/* Publishes PAYLOAD, retained, on PREFIX/STREAM/LEAF; kept and published
 * again after a reconnection (to a broker that may have lost it). Any
 * thread. */
void live_mqtt_publish (LiveMqtt * mqtt, const gchar * stream,
    const gchar * leaf, const gchar * payload);

/* Messages handed to the connection and not yet written or acknowledged:
 * at most about 64 (a slow broker gets each topic's latest payload once it
 * catches up, not every one it missed). */
guint live_mqtt_in_flight (LiveMqtt * mqtt);

/* The process's status "offline" (a clean stop sends no will), then waits
 * at most TIMEOUT_MS for the broker to have everything, and disconnects. */
void live_mqtt_close (LiveMqtt * mqtt, guint timeout_ms);

/* HOST[:PORT] ([IPv6]:PORT); FALSE when PORT is not 1–65535 */
gboolean live_mqtt_parse_address (const gchar * address, gchar ** host,
    gint * port);

G_END_DECLS

#endif
