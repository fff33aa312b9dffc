/* gst-palette live: one stream's pipeline, kept running. A stream that
 * fails, ends or stalls (no frame for the stall timeout) is torn down
 * and started again after a back-off; what happens is told through the
 * status callback, the palettes through the palette callback, both from
 * the main loop. */
#ifndef GST_PALETTE_LIVE_STREAM_H
#define GST_PALETTE_LIVE_STREAM_H

#include <gst/gst.h>

#include "live-payload.h"
#include "live-uri.h"
#include "palette-message.h"

G_BEGIN_DECLS

typedef struct
{
  GstClockTime interval;        /* a palette every interval (running time) */
  GstClockTime window;          /* … of the last window (stream time) */
  gdouble start_timeout;        /* seconds to the first frame of a start */
  gdouble stall_timeout;        /* seconds without a frame: stalled */
  gdouble retry_min, retry_max; /* back-off bounds, seconds */
  gboolean keyframes_only;      /* drop non-key frames before decoders */
  GstCaps *udp_caps;            /* what udp:// sources receive */
  guint colors;                 /* 0: palettesink's default */
  const gchar *record_dir;      /* NULL, or DIR/STREAM.json kept current */
} LiveStreamSettings;

typedef struct _LiveStream LiveStream;

typedef void (*LiveStreamStatusFunc) (LiveStream * stream,
    const LiveStatus * status, gpointer user_data);
typedef void (*LiveStreamPaletteFunc) (LiveStream * stream,
    const PaletteMessage * palette, const LiveLosses * losses,
    gpointer user_data);

/* SETTINGS must outlive the stream. */
LiveStream *live_stream_new (const LiveUri * uri,
    const LiveStreamSettings * settings, LiveStreamStatusFunc on_status,
    LiveStreamPaletteFunc on_palette, gpointer user_data);
const gchar *live_stream_get_name (LiveStream * stream);

void live_stream_start (LiveStream * stream);
/* Tears the pipeline down and tells "offline", reason "stopped". */
void live_stream_stop (LiveStream * stream);
/* Waits (bounded) for pipelines still being torn down. */
void live_stream_free (LiveStream * stream);

/* RETRY_MIN · 2^ATTEMPT seconds, at most RETRY_MAX */
gdouble live_backoff_delay (guint attempt, gdouble retry_min,
    gdouble retry_max);

G_END_DECLS

#endif
