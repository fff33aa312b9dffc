/* gst-palette live: skipping to the next key frame when behind (see
 * live-catchup.h) */
#include "live-catchup.h"

typedef struct
{
  GstClockTime max_lag;
  gboolean keyframes_only;
  gboolean skipping;            /* until the next key frame */
  gint *skipped;
} Catchup;

static void
catchup_free (Catchup * catchup)
{
  if (catchup->skipped != NULL)
    g_atomic_rc_box_release (catchup->skipped);
  g_free (catchup);
}

GstClockTimeDiff
live_catchup_lag (GstPad * pad, GstBuffer * buffer)
{
  GstClockTime timestamp = GST_BUFFER_DTS_OR_PTS (buffer);
  GstClockTimeDiff lag = 0;
  GstElement *element;
  GstClock *clock = NULL;
  GstEvent *event = NULL;
  const GstSegment *segment;
  GstClockTime running;

  if (!GST_CLOCK_TIME_IS_VALID (timestamp))
    return 0;
  element = gst_pad_get_parent_element (pad);
  if (element == NULL)
    return 0;
  clock = gst_element_get_clock (element);
  event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  if (clock == NULL || event == NULL)
    goto done;
  gst_event_parse_segment (event, &segment);
  if (segment->format != GST_FORMAT_TIME)
    goto done;
  running = gst_segment_to_running_time (segment, GST_FORMAT_TIME, timestamp);
  if (GST_CLOCK_TIME_IS_VALID (running))
    lag = GST_CLOCK_DIFF (running, gst_clock_get_time (clock) -
        gst_element_get_base_time (element));

done:
  if (event != NULL)
    gst_event_unref (event);
  if (clock != NULL)
    gst_object_unref (clock);
  gst_object_unref (element);
  return lag;
}

static GstPadProbeReturn
catch_up (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Catchup *catchup = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT)) {
    /* decoded however late: an overloaded stream still gets palettes */
    catchup->skipping = FALSE;
    return GST_PAD_PROBE_OK;
  }
  if (catchup->keyframes_only)
    return GST_PAD_PROBE_DROP;
  if (!catchup->skipping) {
    GstClockTimeDiff lag = live_catchup_lag (pad, buffer);

    if (lag > (GstClockTimeDiff) catchup->max_lag) {
      GST_INFO_OBJECT (pad, "%" GST_STIME_FORMAT " behind the clock: "
          "skipping to the next key frame", GST_STIME_ARGS (lag));
      catchup->skipping = TRUE;
    }
  }
  if (!catchup->skipping)
    return GST_PAD_PROBE_OK;
  if (catchup->skipped != NULL)
    g_atomic_int_inc (catchup->skipped);
  return GST_PAD_PROBE_DROP;
}

void
live_catchup_attach (GstPad * decoder_sink, GstClockTime max_lag,
    gboolean keyframes_only, gint * skipped)
{
  Catchup *catchup = g_new0 (Catchup, 1);

  catchup->max_lag = max_lag;
  catchup->keyframes_only = keyframes_only;
  if (skipped != NULL)
    catchup->skipped = g_atomic_rc_box_acquire (skipped);
  gst_pad_add_probe (decoder_sink, GST_PAD_PROBE_TYPE_BUFFER, catch_up,
      catchup, (GDestroyNotify) catchup_free);
}
