/* gst-palette: one JSON object as one line of compact JSON, its numbers as
 * people and the records write them: json-glib's generator prints doubles
 * with 17 digits (0.30000000000000004 for a share rounded to 0.3, 0.599
 * as 0.59899999999999998); here a double is the shortest decimal that
 * reads back as the same value, as in palettesink's records. Used by the
 * MQTT payloads of gst-palette live and every --events line. */
#ifndef GST_PALETTE_JSON_LINE_H
#define GST_PALETTE_JSON_LINE_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Without a newline; takes OBJECT. */
gchar *json_line_to_string (JsonObject * object);

G_END_DECLS

#endif
