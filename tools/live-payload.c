/* gst-palette live: payloads (see live-payload.h) */
#include "live-payload.h"

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

/* the shortest decimal that reads back as VALUE: json-glib writes 17
 * digits (0.59899999999999998 for 0.599) */
static void
append_double (GString * out, gdouble value)
{
  gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gint precision;

  if (!isfinite (value)) {
    g_string_append (out, "null");
    return;
  }
  /* %g would write 10 as 1e+01 at one digit */
  if (value == floor (value) && fabs (value) < 1e15) {
    g_string_append_printf (out, "%.0f", value);
    return;
  }
  for (precision = 1; precision < 17; precision++) {
    gchar format[8];

    g_snprintf (format, sizeof (format), "%%.%dg", precision);
    g_ascii_formatd (buffer, sizeof (buffer), format, value);
    if (g_ascii_strtod (buffer, NULL) == value)
      break;
  }
  if (precision == 17)
    g_ascii_formatd (buffer, sizeof (buffer), "%.17g", value);
  g_string_append (out, buffer);
}

static void append_node (GString * out, JsonNode * node);

static void
append_string (GString * out, const gchar * text)
{
  const guchar *p;

  g_string_append_c (out, '"');
  for (p = (const guchar *) text; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf (out, "\\%c", *p);
    else if (*p < 0x20)
      g_string_append_printf (out, "\\u%04x", *p);
    else
      g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

static void
append_node (GString * out, JsonNode * node)
{
  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_OBJECT:{
      JsonObject *object = json_node_get_object (node);
      GList *members = json_object_get_members (object), *l;

      g_string_append_c (out, '{');
      for (l = members; l != NULL; l = l->next) {
        if (l != members)
          g_string_append_c (out, ',');
        append_string (out, l->data);
        g_string_append_c (out, ':');
        append_node (out, json_object_get_member (object, l->data));
      }
      g_string_append_c (out, '}');
      g_list_free (members);
      break;
    }
    case JSON_NODE_ARRAY:{
      JsonArray *array = json_node_get_array (node);
      guint i;

      g_string_append_c (out, '[');
      for (i = 0; i < json_array_get_length (array); i++) {
        if (i > 0)
          g_string_append_c (out, ',');
        append_node (out, json_array_get_element (array, i));
      }
      g_string_append_c (out, ']');
      break;
    }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node)) {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" :
              "false");
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        default:
          g_string_append_printf (out, "%" G_GINT64_FORMAT,
              json_node_get_int (node));
          break;
      }
      break;
  }
}

gchar *
live_payload_to_string (JsonObject * object)
{
  GString *out = g_string_new (NULL);
  JsonNode *root = json_node_init_object (json_node_alloc (), object);

  append_node (out, root);
  json_node_unref (root);
  json_object_unref (object);
  return g_string_free (out, FALSE);
}
