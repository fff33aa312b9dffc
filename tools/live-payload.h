/* gst-palette live: the JSON that subscribers read, one object per MQTT
 * message (the `palette` and `status` topics) or per --events line. The
 * fields are listed in docs/live.md. */
#ifndef GST_PALETTE_LIVE_PAYLOAD_H
#define GST_PALETTE_LIVE_PAYLOAD_H

#include <json-glib/json-glib.h>

#include "palette-message.h"

G_BEGIN_DECLS

typedef enum
{
  LIVE_STATUS_ONLINE,           /* frames are coming in */
  LIVE_STATUS_OFFLINE,          /* not yet, no longer, or stopped */
  LIVE_STATUS_ERROR,            /* its pipeline failed; retried */
} LiveStatusKind;

typedef struct
{
  LiveStatusKind kind;
  const gchar *reason;          /* one word: "playing", "connecting",
                                 * "stalled", "ended", "failed", "stopped" */
  const gchar *message;         /* for people; may be NULL */
  const gchar *uri;             /* password already removed */
  gdouble retry_in;             /* seconds until the next try; < 0: none */
} LiveStatus;

const gchar *live_status_kind_name (LiveStatusKind kind);

/* Frames a stream lost since its pipeline started, being behind. */
typedef struct
{
  guint64 skipped;              /* delta units skipped before the decoder to
                                 * catch up with the stream (live-catchup.h) */
  guint64 dropped;              /* decoded frames palettesink dropped, its
                                 * analysis being behind (its "dropped") */
} LiveLosses;

/* {"stream", "colors": ["#rrggbb", …], "shares", "black_and_white",
 * "frames" (analysed since the pipeline started), "skipped", "dropped"
 * (LOSSES), "span": {"start", "duration"} (seconds), "time"}. TIME is an
 * ISO 8601 date. */
JsonObject *live_payload_palette (const gchar * stream,
    const PaletteMessage * palette, const LiveLosses * losses,
    const gchar * time);

/* {"stream", "status", "reason", "message", "uri", "retry_in", "time"} */
JsonObject *live_payload_status (const gchar * stream,
    const LiveStatus * status, const gchar * time);

/* one line of compact JSON, without a newline; takes OBJECT */
gchar *live_payload_to_string (JsonObject * object);

G_END_DECLS

#endif
