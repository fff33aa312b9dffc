/* gst-palette: the catalog without decoding: listing its films and drawing
 * their images from the stored palettes */
#ifndef GST_PALETTE_CATALOG_VIEW_H
#define GST_PALETTE_CATALOG_VIEW_H

#include "catalog-db.h"
#include "render.h"

#include <stdio.h>

G_BEGIN_DECLS

/* One line a film (title, state, its newest palette as swatches when
 * COLOR, else hex), or with JSON one JSON array of the films with their
 * palettes (fingerprints left out). ONLY: that title alone, with every
 * palette in full. Returns how many films were listed, -1 on error. */
gint catalog_view_list (CatalogDb * db, FILE * out, const gchar * only,
    gboolean json, gboolean color, GError ** error);

/* Draws NAME.fingerprint.png, NAME.ring.png and NAME.swatch.png into DIR
 * for the newest palette of each film (ONLY: that title alone), NAME being
 * "Title (Year, Director)". JSON_CATALOG: DB is that JSON catalog's,
 * whose fingerprints are in its fingerprint folder. Returns how many films
 * were drawn, -1 on error. */
gint catalog_view_draw (CatalogDb * db, const gchar * json_catalog,
    const gchar * dir, const gchar * only,
    const FingerprintOptions * fingerprint, guint swatch_width,
    guint swatch_height, GError ** error);

G_END_DECLS

#endif
