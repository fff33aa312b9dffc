/* gst-palette: the palette as GIMP, CSS, Adobe and PNG palette files, and
 * the fingerprint as CSV. Every file is replaced atomically. */
#include "palette-export.h"

#include "atomic-file.h"
#include "record.h"
#include "render.h"

#include <cairo.h>
#include <gio/gio.h>
#include <string.h>

static const struct
{
  const gchar *name;
  PaletteFormat format;
} formats[] = {
  {"gpl", PALETTE_FORMAT_GPL},
  {"css", PALETTE_FORMAT_CSS},
  {"ase", PALETTE_FORMAT_ASE},
  {"png", PALETTE_FORMAT_PNG},
  {"palettegen", PALETTE_FORMAT_PALETTEGEN},
};

gboolean
palette_export_parse (const gchar * spec, PaletteFormat * format,
    const gchar ** file, GError ** error)
{
  const gchar *colon = strchr (spec, ':');
  const gchar *dot;
  guint i;

  for (i = 0; colon != NULL && i < G_N_ELEMENTS (formats); i++) {
    if (strlen (formats[i].name) == (gsize) (colon - spec) &&
        g_ascii_strncasecmp (spec, formats[i].name, colon - spec) == 0) {
      *format = formats[i].format;
      *file = colon + 1;
      if (**file != '\0')
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "%s: no file name after the format", spec);
      return FALSE;
    }
  }
  dot = strrchr (spec, '.');
  for (i = 0; dot != NULL && i < G_N_ELEMENTS (formats); i++) {
    if (formats[i].format != PALETTE_FORMAT_PALETTEGEN &&
        g_ascii_strcasecmp (dot + 1, formats[i].name) == 0) {
      *format = formats[i].format;
      *file = spec;
      return TRUE;
    }
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "%s: unknown palette format: name the file .gpl, .css, .ase or .png, "
      "or write FORMAT:FILE with FORMAT gpl, css, ase, png or palettegen",
      spec);
  return FALSE;
}

gboolean
palette_export_check_path (const gchar * file, GError ** error)
{
  AtomicFile *probe;

  if (g_file_test (file, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
        "%s: is a folder", file);
    return FALSE;
  }
  /* The file will be written as the atomic file writes it, by a new file
   * beside it: the one sure test is making that file (and dropping it). */
  probe = atomic_file_new (file, error);
  if (probe == NULL)
    return FALSE;
  atomic_file_abort (probe);
  return TRUE;
}

/* The palette's name: the film's title from the record, else NAME; on one
 * line. */
static gchar *
palette_name (JsonObject * record, const gchar * name)
{
  JsonNode *source = json_object_get_member (record, "source");
  const gchar *title = NULL;
  gchar *line;

  if (source != NULL && JSON_NODE_HOLDS_OBJECT (source))
    title = record_get_string (json_node_get_object (source), "title");
  line = g_strdup (title != NULL ? title : name != NULL ? name : "palette");
  g_strdelimit (line, "\r\n", ' ');
  return line;
}

/* Shares as "12.3": in any locale, a dot. */
static gchar *
format_percent (gdouble share)
{
  gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f",
          share * 100.0));
}

static gchar *
gpl_text (const RecordPalette * palette, const gchar * name)
{
  GString *text = g_string_new ("GIMP Palette\n");
  guint i;

  g_string_append_printf (text, "Name: %s\nColumns: %u\n"
      "# gst-palette: most dominant first; each color named by its hex and "
      "its share of the film\n", name, MIN (palette->n_colors, 16));
  for (i = 0; i < palette->n_colors; i++) {
    guint32 c = palette->colors[i];
    gchar *percent = format_percent (palette->weights[i]);

    g_string_append_printf (text, "%3u %3u %3u\t#%06x %s%%\n", c >> 16,
        (c >> 8) & 0xff, c & 0xff, c, percent);
    g_free (percent);
  }
  return g_string_free (text, FALSE);
}

static gchar *
css_text (const RecordPalette * palette, const gchar * name)
{
  GString *text = g_string_new (NULL);
  gchar *safe = g_strdup (name);
  gchar *end;
  guint i;

  /* a comment ends at the first star-slash: none may come from a title */
  while ((end = strstr (safe, "*/")) != NULL)
    end[0] = '_';
  g_string_append_printf (text, "/* %s: palette by gst-palette, most "
      "dominant first; --palette-N-share is its share of the film */\n"
      ":root {\n", safe);
  for (i = 0; i < palette->n_colors; i++) {
    gchar *percent = format_percent (palette->weights[i]);

    g_string_append_printf (text, "  --palette-%u: #%06x;\n"
        "  --palette-%u-share: %s%%;\n", i + 1, palette->colors[i], i + 1,
        percent);
    g_free (percent);
  }
  g_string_append (text, "}\n");
  g_free (safe);
  return g_string_free (text, FALSE);
}

static void
put_u16 (GByteArray * out, guint16 value)
{
  guint8 bytes[2] = { value >> 8, value & 0xff };

  g_byte_array_append (out, bytes, 2);
}

static void
put_u32 (GByteArray * out, guint32 value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff,
    value & 0xff
  };

  g_byte_array_append (out, bytes, 4);
}

static void
put_f32 (GByteArray * out, gfloat value)
{
  guint32 bits;

  memcpy (&bits, &value, 4);
  put_u32 (out, bits);
}

/* Adobe Swatch Exchange 1.0: big-endian; per color a block 0x0001 holding
 * its UTF-16 name, "RGB " and three floats 0–1, type 2 (normal). */
static GByteArray *
ase_data (const RecordPalette * palette)
{
  GByteArray *out = g_byte_array_new ();
  guint i, j;

  g_byte_array_append (out, (const guint8 *) "ASEF", 4);
  put_u16 (out, 1);
  put_u16 (out, 0);
  put_u32 (out, palette->n_colors);
  for (i = 0; i < palette->n_colors; i++) {
    guint32 c = palette->colors[i];
    gchar name[8];

    g_snprintf (name, sizeof name, "#%06x", c);
    put_u16 (out, 0x0001);
    /* name length, the name with its terminating 0, model, 3 floats, type */
    put_u32 (out, 2 + 2 * 8 + 4 + 3 * 4 + 2);
    put_u16 (out, 8);
    for (j = 0; j < 8; j++)
      put_u16 (out, (guint8) name[j]);
    g_byte_array_append (out, (const guint8 *) "RGB ", 4);
    put_f32 (out, (c >> 16) / 255.0f);
    put_f32 (out, ((c >> 8) & 0xff) / 255.0f);
    put_f32 (out, (c & 0xff) / 255.0f);
    put_u16 (out, 2);
  }
  return out;
}

/* One pixel per color, CELL × CELL; COLUMNS cells a row; cells past the
 * palette repeat its last color, as ffmpeg's palettegen pads. */
static cairo_surface_t *
cells_surface (const RecordPalette * palette, guint cell, guint columns,
    guint rows)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
      cell * columns, cell * rows);
  cairo_t *cr = cairo_create (surface);
  guint i;

  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (i = 0; i < columns * rows; i++) {
    guint32 c = palette->colors[MIN (i, palette->n_colors - 1)];

    cairo_set_source_rgb (cr, (c >> 16) / 255.0, ((c >> 8) & 0xff) / 255.0,
        (c & 0xff) / 255.0);
    cairo_rectangle (cr, (i % columns) * cell, (i / columns) * cell, cell,
        cell);
    cairo_fill (cr);
  }
  cairo_destroy (cr);
  return surface;
}

gboolean
palette_export_write (JsonObject * record, PaletteFormat format,
    const gchar * file, const gchar * name, GError ** error)
{
  RecordPalette *palette = record_get_palette (record, error);
  gchar *title, *text = NULL;
  gboolean ok;

  if (palette == NULL)
    return FALSE;
  if (palette->n_colors == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the palette has no colors");
    record_palette_free (palette);
    return FALSE;
  }
  title = palette_name (record, name);
  switch (format) {
    case PALETTE_FORMAT_GPL:
      text = gpl_text (palette, title);
      break;
    case PALETTE_FORMAT_CSS:
      text = css_text (palette, title);
      break;
    default:
      break;
  }
  if (text != NULL) {
    ok = atomic_file_set_contents (file, text, strlen (text), error);
  } else if (format == PALETTE_FORMAT_ASE) {
    GByteArray *data = ase_data (palette);

    ok = atomic_file_set_contents (file, (const gchar *) data->data,
        data->len, error);
    g_byte_array_unref (data);
  } else {
    cairo_surface_t *surface = format == PALETTE_FORMAT_PNG ?
        cells_surface (palette, 32, palette->n_colors, 1) :
        cells_surface (palette, 1, 16, 16);

    ok = render_write_png (surface, file, error);
    cairo_surface_destroy (surface);
  }
  g_free (text);
  g_free (title);
  record_palette_free (palette);
  return ok;
}

gchar *
palette_export_csv_text (JsonObject * record, GError ** error)
{
  GPtrArray *frames = record_get_fingerprint (record, error);
  JsonNode *fingerprint;
  JsonArray *timestamps = NULL;
  GString *text;
  guint i, j;

  if (frames == NULL)
    return NULL;
  fingerprint = json_object_get_member (record, "fingerprint");
  if (json_object_has_member (json_node_get_object (fingerprint),
          "timestamps")) {
    JsonNode *node = json_object_get_member (json_node_get_object
        (fingerprint), "timestamps");

    if (JSON_NODE_HOLDS_ARRAY (node))
      timestamps = json_node_get_array (node);
  }
  text = g_string_new ("frame,time,rank,hex,red,green,blue,share\n");
  for (i = 0; i < frames->len; i++) {
    const RecordPalette *frame = frames->pdata[i];
    gchar time[G_ASCII_DTOSTR_BUF_SIZE] = "";

    /* no time where the record has none: an empty field, not a guess */
    if (timestamps != NULL && i < json_array_get_length (timestamps)) {
      JsonNode *t = json_array_get_element (timestamps, i);

      if (JSON_NODE_HOLDS_VALUE (t) &&
          json_node_get_value_type (t) != G_TYPE_STRING)
        g_ascii_formatd (time, sizeof time, "%.3f",
            json_node_get_double (t));
    }
    for (j = 0; j < frame->n_colors; j++) {
      guint32 c = frame->colors[j];
      gchar share[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (share, sizeof share, "%.4f", frame->weights[j]);
      g_string_append_printf (text, "%u,%s,%u,#%06x,%u,%u,%u,%s\n", i, time,
          j + 1, c, c >> 16, (c >> 8) & 0xff, c & 0xff, share);
    }
  }
  g_ptr_array_unref (frames);
  return g_string_free (text, FALSE);
}

gboolean
palette_export_csv (JsonObject * record, const gchar * file, GError ** error)
{
  gchar *text = palette_export_csv_text (record, error);
  gboolean ok;

  if (text == NULL)
    return FALSE;
  ok = atomic_file_set_contents (file, text, strlen (text), error);
  g_free (text);
  return ok;
}
