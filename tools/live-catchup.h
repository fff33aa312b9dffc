/* gst-palette live: a video decoder that falls behind a live stream catches
 * up by skipping to the next key frame.
 *
 * A live source does not wait for its decoder: when the machine cannot
 * decode every frame in real time, the packets queue up before the decoder
 * (in rtpjitterbuffer, which has no bound of its own) and the process grows
 * by the stream's bit rate for as long as the overload lasts, its palettes
 * ever later. So frames that need others to decode (delta units) are dropped
 * before the decoder once they are later than a bound behind the pipeline's
 * clock, until the next key frame: the decoder never sees a broken
 * reference, key frames are always decoded, and an overloaded stream falls
 * back to --keyframes-only on its own instead of queueing.
 *
 * With KEYFRAMES_ONLY every delta unit is dropped (the cheap mode). */
#ifndef GST_PALETTE_LIVE_CATCHUP_H
#define GST_PALETTE_LIVE_CATCHUP_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* how far behind the clock a delta unit may reach the decoder */
#define LIVE_CATCHUP_MAX_LAG (2 * GST_SECOND)

/* Adds the probe to DECODER_SINK (a video decoder's sink pad). SKIPPED,
 * if not NULL, is an atomic counter (a g_atomic_rc_box, acquired by the
 * probe) of the delta units dropped for lateness. */
void live_catchup_attach (GstPad * decoder_sink, GstClockTime max_lag,
    gboolean keyframes_only, gint * skipped);

/* How far behind the running time of the pad's element's clock BUFFER is
 * (negative: ahead), or 0 where that is not known (no clock yet, no time
 * stamp, no time segment). */
GstClockTimeDiff live_catchup_lag (GstPad * pad, GstBuffer * buffer);

G_END_DECLS

#endif
