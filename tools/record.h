/* gst-palette: reading the palette record (INTERFACE.md's JSON file) */
#ifndef GST_PALETTE_RECORD_H
#define GST_PALETTE_RECORD_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One palette: colors as 0xRRGGBB and their shares, most dominant first. */
typedef struct
{
  guint n_colors;
  guint32 *colors;
  gdouble *weights;
} RecordPalette;

void record_palette_free (RecordPalette * palette);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RecordPalette, record_palette_free);

/* The film palette ("colors"/"weights"); equal shares when weights are absent,
 * as in the seed notebook's records. */
RecordPalette *record_get_palette (JsonObject * record, GError ** error);

/* The fingerprint: one palette per sampled frame, in stream order. */
GPtrArray *record_get_fingerprint (JsonObject * record, GError ** error);

/* Records nest 4 levels, catalogs 6: anything far deeper is not ours. */
#define RECORD_MAX_JSON_DEPTH 256

/* FALSE when JSON text nests arrays and objects deeper than max_depth:
 * json-glib's recursive parser would overflow the stack on hostile input. */
gboolean record_json_depth_ok (const gchar * data, gsize length,
    guint max_depth);

/* MEMBER of OBJECT when it is a string, else NULL. */
const gchar *record_get_string (JsonObject * object, const gchar * member);
/* Sets MEMBER to VALUE, or to null when VALUE is NULL. */
void record_set_string_or_null (JsonObject * object, const gchar * member,
    const gchar * value);

/* The members of OBJECT not named in KNOWN, as a JSON object's text, or
 * NULL when there are none: what a catalog keeps aside for want of a
 * column, so that an object comes back whole. */
gchar *record_members_except (JsonObject * object,
    const gchar * const *known);
/* Adds the members of EXTRA (such a text, or NULL) that OBJECT lacks. */
void record_add_members (JsonObject * object, const gchar * extra);

JsonObject *record_load (const gchar * filename, GError ** error);
gchar *record_to_data (JsonObject * record, gboolean pretty, gsize * length);

G_END_DECLS

#endif
