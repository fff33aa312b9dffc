/* gst-palette: fingerprint and swatch images, drawn with cairo and pango. */
#include "render.h"

#include "atomic-file.h"
#include "record.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <colorspace.h>
#include <math.h>
#include <pango/pangocairo.h>

static void
set_rgb (cairo_t * cr, guint32 packed)
{
  double rgb[3];

  palette_rgb_unpack (packed, rgb);
  cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
}

/* Relative luminance, to pick black or white text over a color. */
static gboolean
is_light (guint32 packed)
{
  double rgb[3], r, g, b;

  palette_rgb_unpack (packed, rgb);
  r = rgb[0] / 255.0;
  g = rgb[1] / 255.0;
  b = rgb[2] / 255.0;

  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5;
}

static gboolean
check_surface (cairo_surface_t * surface, GError ** error)
{
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cairo: %s",
      cairo_status_to_string (cairo_surface_status (surface)));
  cairo_surface_destroy (surface);
  return FALSE;
}

/* Pixel edges by cumulative rounding, so that bars tile with no gap. */
static gint
edge (gdouble fraction, guint size)
{
  return (gint) floor (fraction * size + 0.5);
}

static void
draw_stack (cairo_t * cr, const RecordPalette * frame, gint x0, gint x1,
    guint height)
{
  gdouble cumulative = 0.0;
  guint i;

  for (i = 0; i < frame->n_colors; i++) {
    gint y0 = edge (cumulative, height);
    gint y1;

    cumulative += frame->weights[i];
    y1 = i + 1 == frame->n_colors ? (gint) height : edge (cumulative, height);
    if (y1 <= y0)
      continue;
    set_rgb (cr, frame->colors[i]);
    cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
    cairo_fill (cr);
  }
}

static void
draw_title (cairo_t * cr, const gchar * title, gdouble cx, gdouble cy,
    gdouble box_width, gdouble font_px)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");
  PangoRectangle ink;

  pango_font_description_set_absolute_size (font, font_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_width (layout, (gint) (box_width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_text (layout, title, -1);
  pango_layout_get_pixel_extents (layout, &ink, NULL);

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  cairo_move_to (cr, cx - box_width / 2, cy - ink.y - ink.height / 2.0);
  pango_cairo_layout_path (cr, layout);
  /* White letters with a dark rim read on any fingerprint. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.7);
  cairo_set_line_width (cr, MAX (2.0, font_px / 10));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_restore (cr);

  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_bars (cairo_t * cr, GPtrArray * frames, guint width, guint height)
{
  guint i, n = frames->len;

  /* Hard edges: every pixel is one of the frame's colors. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (i = 0; i < n; i++) {
    gint x0 = edge ((gdouble) i / n, width);
    gint x1 = edge ((gdouble) (i + 1) / n, width);

    if (x1 > x0)
      draw_stack (cr, frames->pdata[i], x0, x1, height);
  }
}

static void
draw_ring (cairo_t * cr, GPtrArray * frames, guint size)
{
  const gdouble cx = size / 2.0, cy = size / 2.0;
  const gdouble outer = size / 2.0 - 1, inner = outer * 0.35;
  guint i, j, n = frames->len;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  /* Time runs clockwise from the top; each frame's colors outwards. */
  for (i = 0; i < n; i++) {
    const RecordPalette *frame = frames->pdata[i];
    gdouble a0 = -G_PI / 2 + 2 * G_PI * i / n;
    gdouble a1 = -G_PI / 2 + 2 * G_PI * (i + 1) / n + 0.002;
    gdouble r0 = inner, cumulative = 0.0;

    for (j = 0; j < frame->n_colors; j++) {
      gdouble r1;

      cumulative += frame->weights[j];
      r1 = inner + (outer - inner) * MIN (cumulative, 1.0);
      set_rgb (cr, frame->colors[j]);
      cairo_new_path (cr);
      cairo_arc (cr, cx, cy, r1, a0, a1);
      cairo_arc_negative (cr, cx, cy, r0, a1, a0);
      cairo_close_path (cr);
      cairo_fill (cr);
      r0 = r1;
    }
  }
}

cairo_surface_t *
render_fingerprint (JsonObject * record, const FingerprintOptions * options,
    GError ** error)
{
  GPtrArray *frames = record_get_fingerprint (record, error);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint width, height;

  if (frames == NULL)
    return NULL;
  if (frames->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the fingerprint has no frames");
    g_ptr_array_unref (frames);
    return NULL;
  }
  height = options->height ? options->height : RENDER_DEFAULT_HEIGHT;
  if (options->ring)
    width = height;
  else if (options->width)
    width = options->width;
  else if (options->bar_width)
    width = frames->len * options->bar_width;
  else                          /* whole pixels per bar, so bars stay crisp */
    width = frames->len * MAX (1, RENDER_AUTO_WIDTH / frames->len);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  if (!check_surface (surface, error)) {
    g_ptr_array_unref (frames);
    return NULL;
  }
  cr = cairo_create (surface);
  if (options->ring)
    draw_ring (cr, frames, height);
  else
    draw_bars (cr, frames, width, height);
  if (options->title != NULL && *options->title != '\0')
    draw_title (cr, options->title, width / 2.0, height / 2.0,
        options->ring ? height * 0.6 : width * 0.9,
        MAX (8.0, height / (options->ring ? 12.0 : 8.0)));
  cairo_destroy (cr);
  g_ptr_array_unref (frames);
  return surface;
}

static void
draw_label (cairo_t * cr, guint32 rgb, gdouble share, gint x0, gint x1,
    guint height)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Monospace");
  gchar *text = g_strdup_printf ("#%06x\n%.1f %%", rgb, share * 100.0);
  gint text_w, text_h, bar_w = x1 - x0;
  gboolean rotate;

  pango_font_description_set_absolute_size (font,
      CLAMP (height / 12.0, 8.0, 18.0) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);

  /* Narrow bars get the label upright; bars too narrow even for that none. */
  rotate = text_w + 4 > bar_w;
  if (!(rotate && (text_h + 2 > bar_w || text_w + 4 > (gint) height))) {
    cairo_save (cr);
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
    if (is_light (rgb))
      cairo_set_source_rgb (cr, 0, 0, 0);
    else
      cairo_set_source_rgb (cr, 1, 1, 1);
    if (rotate) {
      cairo_move_to (cr, x0 + (bar_w - text_h) / 2.0, height - 4);
      cairo_rotate (cr, -G_PI / 2);
    } else {
      cairo_move_to (cr, x0 + (bar_w - text_w) / 2.0, height - text_h - 4);
    }
    pango_cairo_show_layout (cr, layout);
    cairo_restore (cr);
  }
  g_free (text);
  pango_font_description_free (font);
  g_object_unref (layout);
}

cairo_surface_t *
render_swatch (JsonObject * record, guint width, guint height,
    GError ** error)
{
  RecordPalette *palette = record_get_palette (record, error);
  cairo_surface_t *surface;
  cairo_t *cr;
  gdouble cumulative = 0.0;
  guint i;

  if (palette == NULL)
    return NULL;
  width = width ? width : RENDER_SWATCH_WIDTH;
  height = height ? height : RENDER_SWATCH_HEIGHT;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  if (!check_surface (surface, error)) {
    record_palette_free (palette);
    return NULL;
  }
  cr = cairo_create (surface);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (i = 0; i < palette->n_colors; i++) {
    gint x0 = edge (cumulative, width), x1;

    cumulative += palette->weights[i];
    x1 = i + 1 == palette->n_colors ? (gint) width : edge (cumulative, width);
    if (x1 <= x0)
      continue;
    set_rgb (cr, palette->colors[i]);
    cairo_rectangle (cr, x0, 0, x1 - x0, height);
    cairo_fill (cr);
    draw_label (cr, palette->colors[i], palette->weights[i], x0, x1, height);
  }
  cairo_destroy (cr);
  record_palette_free (palette);
  return surface;
}

static cairo_status_t
write_to_file (void *closure, const unsigned char *data, unsigned int length)
{
  /* a failed write is kept by the file and reported by its commit */
  atomic_file_write (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
render_write_png (cairo_surface_t * surface, const gchar * filename,
    GError ** error)
{
  /* Replaced whole, like the catalog: no half-written image is ever seen,
   * and a link planted at the temporary name is never followed. */
  AtomicFile *file = atomic_file_new (filename, error);
  cairo_status_t status;

  if (file == NULL)
    return FALSE;
  status = cairo_surface_write_to_png_stream (surface, write_to_file, file);
  if (status != CAIRO_STATUS_SUCCESS) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", filename,
        cairo_status_to_string (status));
    atomic_file_abort (file);
    return FALSE;
  }
  return atomic_file_commit (file, error);
}

void
render_cleanup (void)
{
  /* cairo_debug_reset_static_data() would free cairo's caches too, but it
   * aborts when any cairo object is still alive (pango keeps some) */
  pango_cairo_font_map_set_default (NULL);
}
