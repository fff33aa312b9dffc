/* gst-palette: reading the palette record written by palettesink. */
#include "record.h"

#include "palette-record.h"

#include <gio/gio.h>
#include <math.h>

void
record_palette_free (RecordPalette * palette)
{
  if (palette == NULL)
    return;
  g_free (palette->colors);
  g_free (palette->weights);
  g_free (palette);
}

static gboolean
parse_rgb (JsonNode * node, guint32 * rgb)
{
  JsonArray *triple;
  gdouble channels[3];
  guint i;

  *rgb = 0;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  triple = json_node_get_array (node);
  if (json_array_get_length (triple) != 3)
    return FALSE;
  for (i = 0; i < 3; i++) {
    JsonNode *c = json_array_get_element (triple, i);

    if (!JSON_NODE_HOLDS_VALUE (c))
      return FALSE;
    /* rounded and clamped as doubles (palette_rgb_pack): a double beyond
     * gint64 (1e300) cast to an integer is undefined behaviour in C */
    channels[i] = json_node_get_value_type (c) == G_TYPE_DOUBLE ?
        json_node_get_double (c) : (gdouble) json_node_get_int (c);
  }
  *rgb = palette_rgb_pack (channels);
  return TRUE;
}

/* A share: a finite number >= 0, else 0 (a string, a list, inf from
 * 1e999: hostile records must not give NaN shares or GLib criticals). */
static gdouble
parse_weight (JsonNode * node)
{
  gdouble w;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0.0;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_DOUBLE:
      w = json_node_get_double (node);
      break;
    case G_TYPE_INT64:
      w = json_node_get_int (node);
      break;
    default:
      return 0.0;
  }
  return isfinite (w) && w > 0.0 ? w : 0.0;
}

static RecordPalette *
parse_palette (JsonArray * colors, JsonArray * weights, const gchar * what,
    GError ** error)
{
  RecordPalette *palette = g_new0 (RecordPalette, 1);
  guint i, n = json_array_get_length (colors);
  gdouble total = 0.0;

  palette->n_colors = n;
  palette->colors = g_new0 (guint32, MAX (n, 1));
  palette->weights = g_new0 (gdouble, MAX (n, 1));
  for (i = 0; i < n; i++) {
    if (!parse_rgb (json_array_get_element (colors, i), &palette->colors[i])) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: color %u is not an [r, g, b] triple", what, i);
      record_palette_free (palette);
      return NULL;
    }
    if (weights != NULL && i < json_array_get_length (weights))
      palette->weights[i] = parse_weight (json_array_get_element (weights, i));
    else if (weights == NULL)
      palette->weights[i] = 1.0;
    total += palette->weights[i];
  }
  /* Shares are drawn as proportions: make them sum to 1. */
  for (i = 0; i < n && total > 0.0; i++)
    palette->weights[i] /= total;
  return palette;
}

static JsonArray *
get_array (JsonObject * object, const gchar * member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ?
      json_node_get_array (node) : NULL;
}

RecordPalette *
record_get_palette (JsonObject * record, GError ** error)
{
  JsonArray *colors = get_array (record, "colors");

  if (colors == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the palette record has no \"colors\" list");
    return NULL;
  }
  return parse_palette (colors, get_array (record, "weights"), "palette",
      error);
}

GPtrArray *
record_get_fingerprint (JsonObject * record, GError ** error)
{
  JsonNode *node = json_object_get_member (record, "fingerprint");
  JsonArray *colors, *weights;
  GPtrArray *frames;
  guint i, n;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (colors = get_array (json_node_get_object (node), "colors")) == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the palette record has no fingerprint (palettesink "
        "fingerprint-colors=0?)");
    return NULL;
  }
  weights = get_array (json_node_get_object (node), "weights");
  n = json_array_get_length (colors);
  frames = g_ptr_array_new_full (n, (GDestroyNotify) record_palette_free);
  for (i = 0; i < n; i++) {
    JsonNode *c = json_array_get_element (colors, i);
    JsonNode *w = weights != NULL && i < json_array_get_length (weights) ?
        json_array_get_element (weights, i) : NULL;
    RecordPalette *frame;
    gchar *what;

    if (!JSON_NODE_HOLDS_ARRAY (c)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "fingerprint frame %u is not a list of colors", i);
      g_ptr_array_unref (frames);
      return NULL;
    }
    what = g_strdup_printf ("fingerprint frame %u", i);
    frame = parse_palette (json_node_get_array (c), w != NULL &&
        JSON_NODE_HOLDS_ARRAY (w) ? json_node_get_array (w) : NULL, what,
        error);
    g_free (what);
    if (frame == NULL) {
      g_ptr_array_unref (frames);
      return NULL;
    }
    g_ptr_array_add (frames, frame);
  }
  return frames;
}

gboolean
record_json_depth_ok (const gchar * data, gsize length, guint max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < length; i++) {
    gchar c = data[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return FALSE;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}

JsonObject *
record_load (const gchar * filename, GError ** error)
{
  JsonParser *parser;
  JsonObject *record = NULL;
  gchar *data;
  gsize length;

  if (!g_file_get_contents (filename, &data, &length, error))
    return NULL;
  if (!record_json_depth_ok (data, length, RECORD_MAX_JSON_DEPTH)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: not a palette record (JSON nested deeper than %d levels)",
        filename, RECORD_MAX_JSON_DEPTH);
    g_free (data);
    return NULL;
  }
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, data, length, error)) {
    JsonNode *root = json_parser_get_root (parser);

    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
      record = json_node_dup_object (root);
    else
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: not a palette record (no JSON object)", filename);
  }
  g_object_unref (parser);
  g_free (data);
  return record;
}

gchar *
record_to_data (JsonObject * record, gboolean pretty, gsize * length)
{
  JsonNode *root = json_node_init_object (json_node_alloc (), record);
  gchar *data;

  /* palettesink's own printer: the CLI prints a record as the element
   * wrote it (json-glib would print 0.14965300000000001, and every number
   * of a color on a line of its own) */
  if (pretty) {
    data = palette_record_to_string (root, NULL);
    g_strchomp (data);
  } else {
    data = json_to_string (root, FALSE);
  }
  if (length != NULL)
    *length = strlen (data);
  json_node_unref (root);
  return data;
}

gchar *
record_members_except (JsonObject * object, const gchar * const *known)
{
  GList *names = json_object_get_members (object), *l;
  JsonObject *extra = json_object_new ();
  gchar *text = NULL;

  for (l = names; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      json_object_set_member (extra, l->data,
          json_node_copy (json_object_get_member (object, l->data)));
  g_list_free (names);
  if (json_object_get_size (extra) > 0) {
    JsonNode *node = json_node_init_object (json_node_alloc (), extra);

    text = json_to_string (node, FALSE);
    json_node_unref (node);
  }
  json_object_unref (extra);
  return text;
}

void
record_add_members (JsonObject * object, const gchar * extra)
{
  JsonParser *parser;
  JsonNode *root;

  if (extra == NULL)
    return;
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, extra, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *members = json_node_get_object (root);
    GList *names = json_object_get_members (members), *l;

    for (l = names; l != NULL; l = l->next)
      if (!json_object_has_member (object, l->data))
        json_object_set_member (object, l->data,
            json_node_copy (json_object_get_member (members, l->data)));
    g_list_free (names);
  }
  g_object_unref (parser);
}

const gchar *
record_get_string (JsonObject * object, const gchar * member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
record_set_string_or_null (JsonObject * object, const gchar * member,
    const gchar * value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}
