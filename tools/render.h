/* gst-palette: fingerprint and swatch images (cairo, pango for the text) */
#ifndef GST_PALETTE_RENDER_H
#define GST_PALETTE_RENDER_H

#include <cairo.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A color with its opacity, each 0–1. */
typedef struct
{
  gdouble red, green, blue, alpha;
} RenderColor;

typedef struct
{
  guint width;                  /* 0: one bar_width bar per sampled frame */
  guint bar_width;              /* 0: about RENDER_AUTO_WIDTH in all */
  guint height;                 /* 0: as wide as the image (square) */
  const gchar *title;           /* overlaid when not NULL; a newline or the
                                 * two characters \n break lines */
  gboolean ring;                /* frames around a circle, height × height */
  const RenderColor *background;        /* NULL: opaque black */
} FingerprintOptions;

#define RENDER_AUTO_WIDTH 1000
/* The ring's hole, where the title goes, as a share of its radius. */
#define RENDER_RING_HOLE 0.45
#define RENDER_SWATCH_WIDTH 1000
#define RENDER_SWATCH_HEIGHT 200

/* One vertical bar per sampled frame (bars resampled to WIDTH when given),
 * each frame's dominant colors stacked top-down in proportion to shares. */
cairo_surface_t *render_fingerprint (JsonObject * record,
    const FingerprintOptions * options, GError ** error);

/* The film palette as bars as wide as their shares, each labelled with its
 * hex and share: inside the bar, upright in a narrow one, and in a band
 * below the bars (on BACKGROUND, NULL: black) for those too narrow even
 * for that. */
cairo_surface_t *render_swatch_full (JsonObject * record, guint width,
    guint height, const RenderColor * background, GError ** error);
cairo_surface_t *render_swatch (JsonObject * record, guint width,
    guint height, GError ** error);

/* "transparent" (or "none"), a color name as pango knows them ("black",
 * "white", "navy"...), #rgb, #rrggbb or #rrggbbaa. */
gboolean render_parse_color (const gchar * text, RenderColor * color,
    GError ** error);

/* TITLE as drawn: the two characters \n become a line break (a shell
 * seldom lets one type a newline), \\ a backslash. */
gchar *render_title_text (const gchar * title);

gboolean render_write_png (cairo_surface_t * surface, const gchar * filename,
    GError ** error);

/* Drops pango's and cairo's process-wide caches, so that leak checkers see
 * only real leaks. Call at exit, after the last drawing. */
void render_cleanup (void);

G_END_DECLS

#endif
