/* gst-palette live: payloads (see live-payload.h) */
#include "live-payload.h"
#include "json-line.h"

#include <math.h>

static const gchar *const status_names[] = { "online", "offline", "error" };

const gchar *
live_status_kind_name (LiveStatusKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (status_names), "error");
  return status_names[kind];
}

/* seconds, or null when GStreamer did not know the time */
static void
set_seconds (JsonObject * object, const gchar * member, GstClockTime time)
{
  if (GST_CLOCK_TIME_IS_VALID (time))
    json_object_set_double_member (object, member, round (time / 1e6) / 1e3);
  else
    json_object_set_null_member (object, member);
}

JsonObject *
live_payload_palette (const gchar * stream, const PaletteMessage * palette,
    const LiveLosses * losses, const gchar * time)
{
  JsonObject *object = json_object_new ();
  JsonObject *span = json_object_new ();
  JsonArray *colors = json_array_new ();
  JsonArray *shares = json_array_new ();
  GstClockTime start;
  guint i;

  json_object_set_string_member (object, "stream", stream);
  for (i = 0; i < palette->n_colors; i++) {
    gchar hex[8];

    g_snprintf (hex, sizeof (hex), "#%06x", palette->colors[i] & 0xffffff);
    json_array_add_string_element (colors, hex);
    /* four decimals: a share is a coarse measure, and short numbers keep
     * the retained messages small */
    json_array_add_double_element (shares,
        round (palette->weights[i] * 1e4) / 1e4);
  }
  json_object_set_array_member (object, "colors", colors);
  json_object_set_array_member (object, "shares", shares);
  json_object_set_boolean_member (object, "black_and_white",
      palette->black_and_white);
  json_object_set_int_member (object, "frames", palette->frames);
  /* a stream whose frames are not all analysed says so where its
   * palettes are read */
  json_object_set_int_member (object, "skipped", losses->skipped);
  json_object_set_int_member (object, "dropped", losses->dropped);
  /* the stream time a subscriber can line up with the picture; level's
   * timestamp where the stream time is unknown */
  start = GST_CLOCK_TIME_IS_VALID (palette->span.stream_time) ?
      palette->span.stream_time : palette->span.timestamp;
  set_seconds (span, "start", start);
  set_seconds (span, "duration", palette->span.duration);
  json_object_set_object_member (object, "span", span);
  json_object_set_string_member (object, "time", time);
  return object;
}

JsonObject *
live_payload_status (const gchar * stream, const LiveStatus * status,
    const gchar * time)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "stream", stream);
  json_object_set_string_member (object, "status",
      live_status_kind_name (status->kind));
  json_object_set_string_member (object, "reason", status->reason);
  if (status->message != NULL)
    json_object_set_string_member (object, "message", status->message);
  else
    json_object_set_null_member (object, "message");
  if (status->uri != NULL)
    json_object_set_string_member (object, "uri", status->uri);
  if (status->retry_in >= 0)
    json_object_set_double_member (object, "retry_in",
        round (status->retry_in * 10) / 10);
  else
    json_object_set_null_member (object, "retry_in");
  json_object_set_string_member (object, "time", time);
  return object;
}

gchar *
live_payload_to_string (JsonObject * object)
{
  return json_line_to_string (object);
}
