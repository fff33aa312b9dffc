/* gst-palette live: what the command line's stream arguments mean.
 * NAME=URI or URI; a URI becomes the one a source element takes, and the
 * name is the MQTT topic level and the events' "stream" field. */
#ifndef GST_PALETTE_LIVE_URI_H
#define GST_PALETTE_LIVE_URI_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *name;                  /* one MQTT topic level */
  gchar *uri;                   /* what the source element opens */
} LiveUri;

/* ARG is NAME=URI or URI. A plain path becomes a file:// URI, a path
 * ending in .sdp an sdp:// one (RTP described by an SDP file), a character
 * device a v4l2:// one. Without NAME=, the name is the URI's last path
 * component without its extension, else its host and port. Fails on an
 * empty name or URI and on names an MQTT topic level cannot be (with '/',
 * '+', '#', or starting with '_', kept for the process's own topics). */
gboolean live_uri_parse (const gchar * arg, LiveUri * out, GError ** error);
void live_uri_clear (LiveUri * uri);

/* URI without its password (user:secret@ → user@), for status messages
 * that subscribers see. */
gchar *live_uri_redact (const gchar * uri);

/* TRUE for a file:// URI: played as live (synced to the clock) and
 * replayed at its end. */
gboolean live_uri_is_file (const gchar * uri);

G_END_DECLS

#endif
