/* gst-palette: one JSON object on one line (see json-line.h) */
#include "json-line.h"

/* strings and numbers as the records write them (json-glib writes 17
 * digits, 0.59899999999999998 for 0.599), whole ones without a fraction */
#include "palette-record.h"

static void append_node (GString * out, JsonNode * node);

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
        palette_record_append_string (out, l->data);
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
      /* whole doubles without a fraction, as the payloads always had */
      palette_record_append_value (out, node, FALSE);
      break;
  }
}

gchar *
json_line_to_string (JsonObject * object)
{
  GString *out = g_string_new (NULL);
  JsonNode *root = json_node_init_object (json_node_alloc (), object);

  append_node (out, root);
  json_node_unref (root);
  json_object_unref (object);
  return g_string_free (out, FALSE);
}
