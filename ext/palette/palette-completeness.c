/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "palette-completeness.h"

GST_DEBUG_CATEGORY_EXTERN (gst_palette_sink_debug);
#define GST_CAT_DEFAULT gst_palette_sink_debug

/* ------------------------------------------------------------------------ */
/* Upstream errors: the sink never sees them, the bus does
 *
 * This is the one place where the sink looks beyond its pads, and it has
 * to. An element that fails posts an ERROR message and returns
 * GST_FLOW_ERROR to its upstream; nothing of the failure travels
 * downstream. The source or demuxer whose push failed then sends EOS
 * (GstBaseSrc does so right after GST_ELEMENT_FLOW_ERROR), and that EOS
 * is like any other: no flag or field tells it from the end of the
 * stream. So whether the palette at EOS is complete can only be learnt
 * from the ERROR message, and messages travel up only, to the bins and
 * the application: GstBin::handle_message sees its own children's alone
 * (a sink is no bin, and a bin around the sink would not see its
 * siblings), and a tracer hook would be process-wide. Without an EOS the
 * bus is not needed: being stopped (PAUSED→READY) before EOS already
 * gives an incomplete palette, and palette_stream_was_cut() catches,
 * in-band, the streams whose position falls short of their duration, but
 * not an error near the end or in a stream without a duration
 * (test_upstream_error_near_end).
 *
 * Hence a sync handler on the top-level bus, the only bus every error
 * reaches, from the streaming thread that posted it and so before its
 * EOS. Sync-message emission is counted, so enabling and disabling it
 * leaves the application's own use of the bus as it was. */

struct _PaletteErrorWatch
{
  GstElement *element;          /* not a reference: it owns the watch */
  GstBus *bus;
  gulong handler_id;
  gboolean saw_error;           /* element's GST_OBJECT_LOCK: any thread */
};

static void
palette_error_watch_on_error (GstBus * bus, GstMessage * message,
    gpointer data)
{
  PaletteErrorWatch *watch = data;

  if (GST_MESSAGE_SRC (message) == GST_OBJECT_CAST (watch->element))
    return;
  GST_INFO_OBJECT (watch->element, "error from %" GST_PTR_FORMAT
      ": the palette will be incomplete", GST_MESSAGE_SRC (message));
  GST_OBJECT_LOCK (watch->element);
  watch->saw_error = TRUE;
  GST_OBJECT_UNLOCK (watch->element);
}

PaletteErrorWatch *
palette_error_watch_new (GstElement * element)
{
  PaletteErrorWatch *watch = g_new0 (PaletteErrorWatch, 1);
  GstObject *top = gst_object_ref (GST_OBJECT (element)), *parent;

  watch->element = element;
  while ((parent = gst_object_get_parent (top))) {
    gst_object_unref (top);
    top = parent;
  }
  /* children of a bin post to the bin's private bus; the top-level bus is
   * the one every error reaches */
  if (GST_IS_ELEMENT (top))
    watch->bus = gst_element_get_bus (GST_ELEMENT (top));
  gst_object_unref (top);

  if (watch->bus) {
    gst_bus_enable_sync_message_emission (watch->bus);
    watch->handler_id = g_signal_connect (watch->bus, "sync-message::error",
        G_CALLBACK (palette_error_watch_on_error), watch);
  }
  return watch;
}

gboolean
palette_error_watch_saw_error (PaletteErrorWatch * watch)
{
  gboolean saw_error;

  GST_OBJECT_LOCK (watch->element);
  saw_error = watch->saw_error;
  GST_OBJECT_UNLOCK (watch->element);
  return saw_error;
}

void
palette_error_watch_free (PaletteErrorWatch * watch)
{
  if (watch->bus) {
    g_signal_handler_disconnect (watch->bus, watch->handler_id);
    gst_bus_disable_sync_message_emission (watch->bus);
    gst_object_unref (watch->bus);
  }
  g_free (watch);
}

/* ------------------------------------------------------------------------ */
/* Files cut short
 *
 * A file cut short (an interrupted download, a full disk) often just ends:
 * its demuxer sends EOS without an error. Its position then falls well
 * short of the duration it announced (or of the segment's stop). The 5 %
 * margin leaves room for audio that outlasts the video and for rounding. */

gboolean
palette_stream_was_cut (GstPad * sinkpad, const GstSegment * segment,
    GstClockTime * position, GstClockTime * end)
{
  gint64 reached = -1, announced = -1;

  /* key-unit trick modes (framedecimate mode=keyframes) stop at the last
   * key frame, short of the end by design */
  if (segment->format != GST_FORMAT_TIME || segment->rate < 0
      || (segment->flags & (GST_SEGMENT_FLAG_TRICKMODE |
              GST_SEGMENT_FLAG_TRICKMODE_KEY_UNITS)))
    return FALSE;
  if (GST_CLOCK_TIME_IS_VALID (segment->stop))
    announced = segment->stop;
  else if (!gst_pad_peer_query_duration (sinkpad, GST_FORMAT_TIME,
          &announced))
    return FALSE;
  if (announced <= 0 || !gst_pad_peer_query_position (sinkpad,
          GST_FORMAT_TIME, &reached) || reached < 0
      || reached >= announced - announced / 20)
    return FALSE;

  *position = reached;
  *end = announced;
  return TRUE;
}
