/* gst-palette: fingerprint and swatch images (cairo, pango for the text) */
#ifndef GST_PALETTE_RENDER_H
#define GST_PALETTE_RENDER_H

#include <cairo.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint width;                  /* 0: one bar_width bar per sampled frame */
  guint bar_width;              /* 0: about RENDER_AUTO_WIDTH in all */
  guint height;                 /* 0: RENDER_DEFAULT_HEIGHT */
  const gchar *title;           /* overlaid when not NULL; '\n' breaks lines */
  gboolean ring;                /* frames around a circle, height × height */
} FingerprintOptions;

#define RENDER_DEFAULT_HEIGHT 400
#define RENDER_AUTO_WIDTH 1000
#define RENDER_SWATCH_WIDTH 1000
#define RENDER_SWATCH_HEIGHT 200

/* One vertical bar per sampled frame (bars resampled to WIDTH when given),
 * each frame's dominant colors stacked top-down in proportion to shares. */
cairo_surface_t *render_fingerprint (JsonObject * record,
    const FingerprintOptions * options, GError ** error);

/* The film palette as bars as wide as their shares, labelled with hex. */
cairo_surface_t *render_swatch (JsonObject * record, guint width,
    guint height, GError ** error);

gboolean render_write_png (cairo_surface_t * surface, const gchar * filename,
    GError ** error);

/* Drops pango's and cairo's process-wide caches, so that leak checkers see
 * only real leaks. Call at exit, after the last drawing. */
void render_cleanup (void);

G_END_DECLS

#endif
