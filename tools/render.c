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
#include <string.h>

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

gchar *
render_title_text (const gchar * title)
{
  GString *text = g_string_sized_new (strlen (title));
  const gchar *p;

  for (p = title; *p != '\0'; p++) {
    if (p[0] == '\\' && p[1] == 'n') {
      g_string_append_c (text, '\n');
      p++;
    } else if (p[0] == '\\' && p[1] == '\\') {
      g_string_append_c (text, '\\');
      p++;
    } else {
      g_string_append_c (text, *p);
    }
  }
  return g_string_free (text, FALSE);
}

static const RenderColor transparent = { 0, 0, 0, 0 };
static const RenderColor opaque_black = { 0, 0, 0, 1 };
static const RenderColor opaque_white = { 1, 1, 1, 1 };
static const RenderColor mid_grey = { 0.5, 0.5, 0.5, 1 };

gboolean
render_parse_color (const gchar * text, RenderColor * color, GError ** error)
{
  PangoColor rgb;
  guint16 alpha = 0xffff;

  if (g_ascii_strcasecmp (text, "transparent") == 0 ||
      g_ascii_strcasecmp (text, "none") == 0) {
    *color = transparent;
    return TRUE;
  }
  if (!pango_color_parse_with_alpha (&rgb, &alpha, text)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "\"%s\" is not a color: give transparent, a name such as black or "
        "white, or #rrggbb", text);
    return FALSE;
  }
  color->red = rgb.red / 65535.0;
  color->green = rgb.green / 65535.0;
  color->blue = rgb.blue / 65535.0;
  color->alpha = alpha / 65535.0;
  return TRUE;
}


static const RenderColor *
background_or_black (const RenderColor * background)
{
  return background != NULL ? background : &opaque_black;
}

/* A see-through background needs the alpha channel; an opaque one does
 * not, and its PNG is a quarter smaller without. */
static cairo_surface_t *
create_surface (const RenderColor * background, guint width, guint height)
{
  return cairo_image_surface_create (background->alpha < 1.0 ?
      CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, width, height);
}

static void
paint_background (cairo_t * cr, const RenderColor * background)
{
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba (cr, background->red, background->green,
      background->blue, background->alpha);
  cairo_paint (cr);
  cairo_restore (cr);
}

#define TITLE_FONT "Sans Bold"
/* Titles are measured at this size; sizes scale linearly from it. */
#define REFERENCE_PX 100.0
/* Smaller than this, a title is ellipsized rather than shrunk further. */
#define MIN_TITLE_PX 8.0

static void
set_font_px (PangoLayout * layout, const gchar * family, gdouble px)
{
  PangoFontDescription *font = pango_font_description_from_string (family);

  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
}

/* The widest word of TEXT at the layout's font: no wrapping narrower than
 * that, so that words are never cut. */
static gint
widest_word (PangoLayout * layout, const gchar * text)
{
  gchar **words = g_strsplit_set (text, " \t\n", -1);
  gint widest = 0, w, i;

  for (i = 0; words[i] != NULL; i++) {
    if (*words[i] == '\0')
      continue;
    pango_layout_set_text (layout, words[i], -1);
    pango_layout_get_pixel_size (layout, &w, NULL);
    widest = MAX (widest, w);
  }
  g_strfreev (words);
  return widest;
}

/* How much a block of W × H pixels must be scaled by to fit in a box of
 * BOX_W × BOX_H, or, when IN_CIRCLE, in the circle of diameter BOX_W. */
static gdouble
fit_scale (gdouble w, gdouble h, gdouble box_w, gdouble box_h,
    gboolean in_circle)
{
  if (w <= 0 || h <= 0)
    return 1.0;
  if (in_circle)
    return box_w / 2.0 / hypot (w / 2.0, h / 2.0);
  return MIN (box_w / w, box_h / h);
}

/* TEXT laid out as large as it fits, up to MAX_PX: the explicit lines as
 * they are, or wrapped between words where that lets the letters be
 * larger (a long title in the ring's hole); below MIN_TITLE_PX it is
 * ellipsized instead. */
static PangoLayout *
fit_title (cairo_t * cr, const gchar * text, gdouble box_w, gdouble box_h,
    gboolean in_circle, gdouble max_px)
{
  static const gdouble wrap_shares[] = { 1.0, 0.75, 0.6, 0.5, 0.4, 0.3 };
  PangoLayout *layout = pango_cairo_create_layout (cr);
  gint natural_w, word_w, w, h;
  gdouble best_scale = 0.0, best_wrap = -1.0, px;
  guint i;

  set_font_px (layout, TITLE_FONT, REFERENCE_PX);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  word_w = widest_word (layout, text);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &natural_w, NULL);

  for (i = 0; i < G_N_ELEMENTS (wrap_shares); i++) {
    gdouble wrap = MAX (natural_w * wrap_shares[i], word_w);
    gdouble scale;

    if (i > 0 && wrap >= natural_w)
      continue;
    pango_layout_set_width (layout, i == 0 ? -1 : (gint) ceil (wrap) *
        PANGO_SCALE);
    pango_layout_get_pixel_size (layout, &w, &h);
    scale = MIN (fit_scale (w, h, box_w, box_h, in_circle),
        max_px / REFERENCE_PX);
    /* Fewer lines unless more make the letters clearly larger. */
    if (scale > best_scale * 1.1) {
      best_scale = scale;
      best_wrap = i == 0 ? -1.0 : ceil (wrap);
    }
  }

  /* A single long word in a small hole: broken (pango hyphenates it) when
   * that makes its letters much larger. */
  if (REFERENCE_PX * best_scale < max_px / 2) {
    static const gdouble char_shares[] = { 0.5, 0.4, 0.34 };
    gdouble word_scale = best_scale;

    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    for (i = 0; i < G_N_ELEMENTS (char_shares); i++) {
      gdouble wrap = ceil (natural_w * char_shares[i]);
      gdouble scale;

      pango_layout_set_width (layout, (gint) wrap * PANGO_SCALE);
      pango_layout_get_pixel_size (layout, &w, &h);
      scale = MIN (fit_scale (w, h, box_w, box_h, in_circle),
          max_px / REFERENCE_PX);
      if (scale > best_scale && scale > word_scale * 1.5) {
        best_scale = scale;
        best_wrap = wrap;
      }
    }
    if (best_scale == word_scale)
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  }

  px = MIN (REFERENCE_PX * best_scale, max_px);
  if (px >= MIN_TITLE_PX) {
    set_font_px (layout, TITLE_FONT, px);
    /* a little slack: sizes are not exactly linear in the font size */
    pango_layout_set_width (layout, best_wrap < 0 ? -1 :
        (gint) (best_wrap * px / REFERENCE_PX * 1.02 * PANGO_SCALE));
  } else {
    /* A circle's inscribed square: the room an ellipsized block has. */
    gdouble room_w = in_circle ? box_w * G_SQRT2 / 2 : box_w;
    gdouble room_h = in_circle ? room_w : box_h;

    set_font_px (layout, TITLE_FONT, MIN_TITLE_PX);
    pango_layout_set_width (layout, (gint) (room_w * PANGO_SCALE));
    pango_layout_set_height (layout, (gint) (room_h * PANGO_SCALE));
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  }
  return layout;
}

/* The title centred on CX, CY: white letters with a dark rim, which read
 * on any fingerprint; dark letters with a light rim in the hole of a ring
 * on a light or a transparent background (as the seed's ring has them). */
static void
draw_title (cairo_t * cr, PangoLayout * layout, gdouble cx, gdouble cy,
    gboolean dark_letters)
{
  PangoRectangle logical;
  gdouble px = pango_font_description_get_size
      (pango_layout_get_font_description (layout)) / (gdouble) PANGO_SCALE;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  cairo_move_to (cr, cx - logical.x - logical.width / 2.0,
      cy - logical.y - logical.height / 2.0);
  pango_cairo_layout_path (cr, layout);
  if (dark_letters) {
    cairo_set_source_rgba (cr, 1, 1, 1, 0.6);
    cairo_set_line_width (cr, MAX (1.5, px / 20));
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve (cr);
    cairo_set_source_rgba (cr, 0, 0, 0, 0.85);
    cairo_fill (cr);
  } else {
    cairo_set_source_rgba (cr, 0, 0, 0, 0.75);
    cairo_set_line_width (cr, MAX (2.0, px / 14));
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve (cr);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_fill (cr);
  }
  cairo_restore (cr);
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
  const gdouble outer = size / 2.0 - 1, inner = outer * RENDER_RING_HOLE;
  guint i, j, n = frames->len;

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

static gboolean
is_light_color (const RenderColor * color)
{
  return color->alpha >= 0.5 && 0.2126 * color->red + 0.7152 * color->green +
      0.0722 * color->blue > 0.5;
}

cairo_surface_t *
render_fingerprint (JsonObject * record, const FingerprintOptions * options,
    GError ** error)
{
  const RenderColor *background = background_or_black (options->background);
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
  if (options->ring)
    width = options->height ? options->height : options->width ?
        options->width : RENDER_AUTO_WIDTH;
  else if (options->width)
    width = options->width;
  else if (options->bar_width)
    width = frames->len * options->bar_width;
  else                          /* whole pixels per bar, so bars stay crisp */
    width = frames->len * MAX (1, RENDER_AUTO_WIDTH / frames->len);
  /* Square by default, as the fingerprint makers draw it. */
  height = options->ring ? width : options->height ? options->height : width;

  surface = create_surface (background, width, height);
  if (!check_surface (surface, error)) {
    g_ptr_array_unref (frames);
    return NULL;
  }
  cr = cairo_create (surface);
  paint_background (cr, background);
  if (options->ring)
    draw_ring (cr, frames, height);
  else
    draw_bars (cr, frames, width, height);
  if (options->title != NULL && *options->title != '\0') {
    gchar *text = render_title_text (options->title);
    PangoLayout *layout;

    if (options->ring) {
      /* The hole, less a margin for the letters' rim. */
      gdouble hole = (height / 2.0 - 1) * RENDER_RING_HOLE * 2 * 0.9;

      layout = fit_title (cr, text, hole, hole, TRUE, hole / 3.5);
      draw_title (cr, layout, width / 2.0, height / 2.0,
          background->alpha < 0.5 || is_light_color (background));
    } else {
      layout = fit_title (cr, text, width * 0.86, height * 0.8, FALSE,
          MIN (width, height) / 10.0);
      draw_title (cr, layout, width / 2.0, height / 2.0, FALSE);
    }
    g_object_unref (layout);
    g_free (text);
  }
  cairo_destroy (cr);
  g_ptr_array_unref (frames);
  return surface;
}

/* --- the swatch ---------------------------------------------------------- */

#define LABEL_FONT "Monospace"

typedef enum
{
  LABEL_ACROSS,                 /* "#hex" over "share", level */
  LABEL_UPRIGHT,                /* the same turned a quarter */
  LABEL_UPRIGHT_LINE,           /* "#hex share" on one upright line */
  LABEL_BELOW                   /* in the band below the bars */
} LabelPlace;

typedef struct
{
  gint x0, x1;
  LabelPlace place;
  gdouble label_px;             /* in the bar: the size of its letters */
  gdouble slot_x;               /* LABEL_BELOW: its centre in the band */
} SwatchBar;

static gchar *
label_text (guint32 rgb, gdouble share, const gchar * separator)
{
  return g_strdup_printf ("#%06x%s%.1f %%", rgb, separator, share * 100.0);
}

static void
text_size (PangoLayout * layout, const gchar * text, gint * w, gint * h)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, w, h);
}

/* Where the label of a bar BAR_W wide and BAR_H high fits. */
static LabelPlace
place_label (PangoLayout * layout, guint32 rgb, gdouble share, gint bar_w,
    gint bar_h)
{
  gchar *two_lines = label_text (rgb, share, "\n");
  gchar *one_line = label_text (rgb, share, " ");
  gint w2, h2, w1, h1;
  LabelPlace place;

  text_size (layout, two_lines, &w2, &h2);
  text_size (layout, one_line, &w1, &h1);
  if (w2 + 4 <= bar_w && h2 + 8 <= bar_h)
    place = LABEL_ACROSS;
  else if (h2 + 2 <= bar_w && w2 + 8 <= bar_h)
    place = LABEL_UPRIGHT;
  else if (h1 + 2 <= bar_w && w1 + 8 <= bar_h)
    place = LABEL_UPRIGHT_LINE;
  else
    place = LABEL_BELOW;
  g_free (two_lines);
  g_free (one_line);
  return place;
}

static void
set_text_color_over (cairo_t * cr, guint32 rgb)
{
  if (is_light (rgb))
    cairo_set_source_rgb (cr, 0, 0, 0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
}

static void
draw_label_in_bar (cairo_t * cr, PangoLayout * layout, guint32 rgb,
    gdouble share, const SwatchBar * bar, gint bar_h)
{
  gchar *text = label_text (rgb, share,
      bar->place == LABEL_UPRIGHT_LINE ? " " : "\n");
  gint text_w, text_h, bar_w = bar->x1 - bar->x0;

  text_size (layout, text, &text_w, &text_h);
  cairo_save (cr);
  set_text_color_over (cr, rgb);
  if (bar->place == LABEL_ACROSS) {
    cairo_move_to (cr, bar->x0 + (bar_w - text_w) / 2.0, bar_h - text_h - 4);
  } else {
    cairo_move_to (cr, bar->x0 + (bar_w - text_h) / 2.0, bar_h - 4);
    cairo_rotate (cr, -G_PI / 2);
  }
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  g_free (text);
}

/* Spreads the band's slots, each SLOT wide, around the centres of their
 * bars, keeping them in order, apart and inside WIDTH. */
static void
spread_slots (SwatchBar * bars, guint n, gdouble slot, guint width)
{
  gdouble previous = -G_MAXDOUBLE;
  gint i;

  for (i = 0; i < (gint) n; i++) {
    if (bars[i].place != LABEL_BELOW)
      continue;
    bars[i].slot_x = MAX ((bars[i].x0 + bars[i].x1) / 2.0, previous + slot);
    bars[i].slot_x = MAX (bars[i].slot_x, slot / 2);
    previous = bars[i].slot_x;
  }
  previous = G_MAXDOUBLE;
  for (i = (gint) n - 1; i >= 0; i--) {
    if (bars[i].place != LABEL_BELOW)
      continue;
    bars[i].slot_x = MIN (bars[i].slot_x, previous - slot);
    bars[i].slot_x = MIN (bars[i].slot_x, width - slot / 2);
    previous = bars[i].slot_x;
  }
}

/* A label in the band: a leader from the bar's foot, a chip of the color,
 * the text upright beneath it. */
static void
draw_label_below (cairo_t * cr, PangoLayout * layout, guint32 rgb,
    const gchar * text, const SwatchBar * bar, gint top, gint chip,
    const RenderColor * ink)
{
  gdouble from_x = (bar->x0 + bar->x1) / 2.0, x = bar->slot_x;
  gint text_w, text_h;

  text_size (layout, text, &text_w, &text_h);
  cairo_save (cr);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, ink->alpha);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, from_x, top);
  cairo_line_to (cr, x, top + 5);
  cairo_line_to (cr, x, top + 7);
  cairo_stroke (cr);
  set_rgb (cr, rgb);
  cairo_rectangle (cr, floor (x - chip / 2.0), top + 7, chip, chip);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue,
      ink->alpha * 0.5);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, ink->alpha);
  cairo_move_to (cr, x - text_h / 2.0, top + 7 + chip + 3 + text_w);
  cairo_rotate (cr, -G_PI / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

cairo_surface_t *
render_swatch_full (JsonObject * record, guint width, guint height,
    const RenderColor * background, GError ** error)
{
  RecordPalette *palette = record_get_palette (record, error);
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  SwatchBar *bars;
  gdouble cumulative = 0.0, label_px;
  gint bars_h, band_h = 0, chip = 0, line_w, line_h;
  gboolean below = FALSE, hex_only = FALSE;
  const RenderColor *ink;
  guint i;

  if (palette == NULL)
    return NULL;
  background = background_or_black (background);
  width = width ? width : RENDER_SWATCH_WIDTH;
  height = height ? height : RENDER_SWATCH_HEIGHT;
  surface = create_surface (background, width, height);
  if (!check_surface (surface, error)) {
    record_palette_free (palette);
    return NULL;
  }
  cr = cairo_create (surface);
  paint_background (cr, background);
  layout = pango_cairo_create_layout (cr);
  label_px = CLAMP (height / 12.0, 8.0, 18.0);
  set_font_px (layout, LABEL_FONT, label_px);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  bars = g_new0 (SwatchBar, palette->n_colors);
  for (i = 0; i < palette->n_colors; i++) {
    bars[i].x0 = edge (cumulative, width);
    cumulative += palette->weights[i];
    bars[i].x1 = i + 1 == palette->n_colors ? (gint) width :
        edge (cumulative, width);
    if (bars[i].x1 <= bars[i].x0)
      bars[i].x1 = bars[i].x0;  /* nothing to see: labelled below */
    bars[i].label_px = label_px;
    bars[i].place = place_label (layout, palette->colors[i],
        palette->weights[i], bars[i].x1 - bars[i].x0, height);
    below |= bars[i].place == LABEL_BELOW;
  }

  bars_h = height;
  if (below) {
    /* The band takes at most half the height: the label shortened to
     * its hex, then smaller letters, when the whole one would not fit. */
    gchar *longest = label_text (0, 1.0 - 1e-9, " ");

    for (;;) {
      text_size (layout, hex_only ? "#000000" : longest, &line_w, &line_h);
      chip = MAX (6, line_h - 4);
      band_h = 7 + chip + 3 + line_w + 4;
      if (band_h <= height * 0.5 || label_px <= 7.0)
        break;
      if (!hex_only)
        hex_only = TRUE;
      else
        set_font_px (layout, LABEL_FONT, (label_px -= 1.0));
    }
    g_free (longest);
    bars_h = MAX (1, (gint) height - band_h);
    /* The bars are shorter now: place the labels in them again, in the
     * band's smaller letters where the first ones no longer fit. */
    for (i = 0; i < palette->n_colors; i++) {
      set_font_px (layout, LABEL_FONT, bars[i].label_px);
      bars[i].place = place_label (layout, palette->colors[i],
          palette->weights[i], bars[i].x1 - bars[i].x0, bars_h);
      if (bars[i].place == LABEL_BELOW && label_px < bars[i].label_px) {
        set_font_px (layout, LABEL_FONT, label_px);
        bars[i].place = place_label (layout, palette->colors[i],
            palette->weights[i], bars[i].x1 - bars[i].x0, bars_h);
        bars[i].label_px = label_px;
      }
    }
    spread_slots (bars, palette->n_colors, line_h + 2, width);
  }

  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (i = 0; i < palette->n_colors; i++) {
    if (bars[i].x1 <= bars[i].x0)
      continue;
    set_rgb (cr, palette->colors[i]);
    cairo_rectangle (cr, bars[i].x0, 0, bars[i].x1 - bars[i].x0, bars_h);
    cairo_fill (cr);
  }
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  for (i = 0; i < palette->n_colors; i++) {
    if (bars[i].place == LABEL_BELOW)
      continue;
    set_font_px (layout, LABEL_FONT, bars[i].label_px);
    draw_label_in_bar (cr, layout, palette->colors[i], palette->weights[i],
        &bars[i], bars_h);
  }

  if (below) {
    /* Text on a see-through band must read on a light page and a dark
     * one alike: mid-grey. */
    if (background->alpha < 0.5)
      ink = &mid_grey;
    else if (is_light_color (background))
      ink = &opaque_black;
    else
      ink = &opaque_white;
    set_font_px (layout, LABEL_FONT, label_px);
    for (i = 0; i < palette->n_colors; i++) {
      gchar *text;

      if (bars[i].place != LABEL_BELOW)
        continue;
      text = hex_only ? g_strdup_printf ("#%06x", palette->colors[i]) :
          label_text (palette->colors[i], palette->weights[i], " ");
      draw_label_below (cr, layout, palette->colors[i], text, &bars[i],
          bars_h, chip, ink);
      g_free (text);
    }
  }

  g_free (bars);
  g_object_unref (layout);
  cairo_destroy (cr);
  record_palette_free (palette);
  return surface;
}

cairo_surface_t *
render_swatch (JsonObject * record, guint width, guint height,
    GError ** error)
{
  return render_swatch_full (record, width, height, NULL, error);
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
