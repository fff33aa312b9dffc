/* Unit tests of gst-palette's images and terminal listing: pixels read back
 * from the drawn surfaces and PNG files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include <math.h>
#include <string.h>

#include "palette-export.h"
#include "record.h"
#include "render.h"
#include "terminal.h"

/* Frame 0: all red; 1: 3/4 green over 1/4 blue; 2: white; 3: black. */
static const gchar *const record_json =
    "{\"colors\": [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]],"
    " \"weights\": [0.5, 0.25, 0.15, 0.1],"
    " \"hex\": [\"#ff0000\", \"#00ff00\", \"#0000ff\", \"#ffffff\"],"
    " \"frames_analyzed\": 4, \"is_black_and_white\": false,"
    " \"fingerprint\": {\"timestamps\": [0.0, 2.5, 5.0, 7.5],"
    "  \"colors\": [[[255, 0, 0]], [[0, 255, 0], [0, 0, 255]],"
    "   [[255, 255, 255]], [[0, 0, 0]]],"
    "  \"weights\": [[1.0], [0.75, 0.25], [1.0], [1.0]]}}";

static JsonObject *
load_record (const gchar * text)
{
  JsonNode *node = json_from_string (text, NULL);
  JsonObject *record = json_node_dup_object (node);

  json_node_unref (node);
  return record;
}

static guint32
pixel (cairo_surface_t * surface, gint x, gint y)
{
  const guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  return *(const guint32 *) (data + y * cairo_image_surface_get_stride
      (surface) + x * 4) & 0xffffff;
}

static void
test_fingerprint_bars (void)
{
  JsonObject *record = load_record (record_json);
  FingerprintOptions options = { 0, 1, 40, NULL, FALSE, NULL };
  cairo_surface_t *surface = render_fingerprint (record, &options, NULL);
  gint y;

  /* One pixel-wide bar per sampled frame, in order. */
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 4);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 40);
  for (y = 0; y < 40; y++) {
    g_assert_cmphex (pixel (surface, 0, y), ==, 0xff0000);
    /* Stacked top-down in proportion: 30 rows green, 10 blue. */
    g_assert_cmphex (pixel (surface, 1, y), ==, y < 30 ? 0x00ff00 : 0x0000ff);
    g_assert_cmphex (pixel (surface, 2, y), ==, 0xffffff);
    g_assert_cmphex (pixel (surface, 3, y), ==, 0x000000);
  }
  cairo_surface_destroy (surface);

  /* By default bars are whole pixels wide, about 1000 pixels in all. */
  options.bar_width = 0;
  surface = render_fingerprint (record, &options, NULL);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1000);
  g_assert_cmphex (pixel (surface, 249, 0), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 250, 0), ==, 0x00ff00);
  g_assert_cmphex (pixel (surface, 250, 39), ==, 0x0000ff);
  g_assert_cmphex (pixel (surface, 999, 0), ==, 0x000000);
  cairo_surface_destroy (surface);
  json_object_unref (record);
}

static void
test_fingerprint_resampled (void)
{
  JsonObject *record = load_record (record_json);
  FingerprintOptions options = { 10, 0, 8, NULL, FALSE, NULL };
  cairo_surface_t *surface = render_fingerprint (record, &options, NULL);
  const guint32 expected_top[10] = { 0xff0000, 0xff0000, 0xff0000,
    0x00ff00, 0x00ff00, 0xffffff, 0xffffff, 0xffffff, 0x000000, 0x000000
  };
  gint x;

  /* 4 bars over 10 pixels: edges at round(10 i / 4) = 0, 3 (2.5), 5, 8. */
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 10);
  for (x = 0; x < 10; x++)
    g_assert_cmphex (pixel (surface, x, 0), ==, expected_top[x]);
  cairo_surface_destroy (surface);

  options.width = 2;
  surface = render_fingerprint (record, &options, NULL);
  /* Fewer pixels than frames: one frame in two is shown. */
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 2);
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 1, 0), ==, 0xffffff);
  cairo_surface_destroy (surface);
  json_object_unref (record);
}

static void
test_fingerprint_title_and_ring (void)
{
  JsonObject *record = load_record (record_json);
  FingerprintOptions options = { 400, 0, 200, "Title", FALSE, NULL };
  cairo_surface_t *surface = render_fingerprint (record, &options, NULL);
  gint x, y, changed = 0;

  /* The title is drawn over the middle; the corners keep the bars. */
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 399, 199), ==, 0x000000);
  for (y = 80; y < 120; y++)
    for (x = 100; x < 300; x++) {
      guint32 p = pixel (surface, x, y);

      if (p != 0x00ff00 && p != 0xffffff)
        changed++;
    }
  g_assert_cmpint (changed, >, 100);
  cairo_surface_destroy (surface);

  options.ring = TRUE;
  options.title = NULL;
  surface = render_fingerprint (record, &options, NULL);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 200);
  /* Time runs clockwise from the top: frame 0 (red) at 1 o'clock, frame 1
   * (green outside blue... green first from the inside) at 4 o'clock. */
  g_assert_cmphex (pixel (surface, 100 + 50, 100 - 60), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0x000000);
  g_assert_cmphex (pixel (surface, 100, 100), ==, 0x000000);
  cairo_surface_destroy (surface);
  json_object_unref (record);
}

static void
test_fingerprint_missing (void)
{
  JsonObject *record = load_record ("{\"colors\": [[1, 2, 3]]}");
  FingerprintOptions options = { 0, 0, 0, NULL, FALSE, NULL };
  GError *error = NULL;

  g_assert_null (render_fingerprint (record, &options, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  json_object_unref (record);
}

static void
test_swatch_widths (void)
{
  JsonObject *record = load_record (record_json);
  gchar *dir = g_dir_make_tmp ("render-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "swatch.png", NULL);
  cairo_surface_t *surface = render_swatch (record, 1000, 120, NULL);
  GError *error = NULL;
  guint32 previous = 0xffffffff;
  gint x, runs[8] = { 0 }, n_runs = -1;

  g_assert_true (render_write_png (surface, path, &error));
  g_assert_no_error (error);
  cairo_surface_destroy (surface);

  /* Read back from the file, the top row holds no label. */
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1000);
  for (x = 0; x < 1000; x++) {
    guint32 p = pixel (surface, x, 0);

    if (p != previous) {
      n_runs++;
      g_assert_cmpint (n_runs, <, 4);
      previous = p;
    }
    runs[n_runs]++;
  }
  g_assert_cmpint (n_runs + 1, ==, 4);
  g_assert_cmpint (runs[0], ==, 500);
  g_assert_cmpint (runs[1], ==, 250);
  g_assert_cmpint (runs[2], ==, 150);
  g_assert_cmpint (runs[3], ==, 100);
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 999, 0), ==, 0xffffff);
  /* The red bar is labelled: some pixels of its lower part are not red. */
  {
    gint y, labelled = 0;

    for (y = 60; y < 120; y++)
      for (x = 0; x < 500; x++)
        labelled += pixel (surface, x, y) != 0xff0000;
    g_assert_cmpint (labelled, >, 50);
  }
  cairo_surface_destroy (surface);

  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  json_object_unref (record);
}

/* One sampled frame of one color, with the film palette of that color. */
static JsonObject *
solid_record (guint32 rgb)
{
  gchar *text = g_strdup_printf ("{\"colors\": [[%u, %u, %u]],"
      " \"weights\": [1.0], \"fingerprint\": {\"timestamps\": [0.0],"
      " \"colors\": [[[%u, %u, %u]]], \"weights\": [[1.0]]}}",
      rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff,
      rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff);
  JsonObject *record = load_record (text);

  g_free (text);
  return record;
}

/* The runs of rows holding a pixel brighter than #808080 in red: the lines
 * of white letters over a black fingerprint. */
static gint
bright_row_runs (cairo_surface_t * surface)
{
  gint w = cairo_image_surface_get_width (surface);
  gint h = cairo_image_surface_get_height (surface);
  gboolean previous = FALSE;
  gint x, y, runs = 0;

  for (y = 0; y < h; y++) {
    gboolean bright = FALSE;

    for (x = 0; x < w && !bright; x++)
      bright = (pixel (surface, x, y) >> 16) > 0x80;
    if (bright && !previous)
      runs++;
    previous = bright;
  }
  return runs;
}

static gboolean
same_pixels (cairo_surface_t * a, cairo_surface_t * b)
{
  gint h = cairo_image_surface_get_height (a);

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  return cairo_image_surface_get_width (a) ==
      cairo_image_surface_get_width (b) &&
      h == cairo_image_surface_get_height (b) &&
      cairo_image_surface_get_stride (a) ==
      cairo_image_surface_get_stride (b) &&
      memcmp (cairo_image_surface_get_data (a),
      cairo_image_surface_get_data (b),
      (gsize) h * cairo_image_surface_get_stride (a)) == 0;
}

static void
test_fingerprint_square_and_title_lines (void)
{
  JsonObject *black = solid_record (0x000000);
  JsonObject *record = load_record (record_json);
  FingerprintOptions options = { 0, 0, 0, NULL, FALSE, NULL };
  cairo_surface_t *surface, *escaped;

  /* Square by default: 4 frames of 250 pixels, 1000 high. */
  surface = render_fingerprint (record, &options, NULL);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 1000);
  cairo_surface_destroy (surface);

  /* Capitals only, so that the lines do not touch: one run of bright rows
   * per line of the title. */
  options.width = 400;
  options.title = "ABC DEF";
  surface = render_fingerprint (black, &options, NULL);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 400);
  g_assert_cmpint (bright_row_runs (surface), ==, 1);
  cairo_surface_destroy (surface);

  options.title = "ABC\nDEF\nGHI";
  surface = render_fingerprint (black, &options, NULL);
  g_assert_cmpint (bright_row_runs (surface), ==, 3);
  /* The two characters backslash and n break the line the same way. */
  options.title = "ABC\\nDEF\\nGHI";
  escaped = render_fingerprint (black, &options, NULL);
  g_assert_true (same_pixels (surface, escaped));
  cairo_surface_destroy (escaped);
  cairo_surface_destroy (surface);

  json_object_unref (black);
  json_object_unref (record);
}

static void
test_title_text (void)
{
  gchar *text = render_title_text ("The Kid\\n(1921)\nC:\\\\films\\x");

  g_assert_cmpstr (text, ==, "The Kid\n(1921)\nC:\\films\\x");
  g_free (text);
}

/* Over a ring of pure blue on black, white letters are the only pixels with
 * red in them: none may lie outside the hole. */
static void
assert_title_in_hole (const gchar * title)
{
  JsonObject *record = solid_record (0x0000ff);
  FingerprintOptions options = { 0, 0, 300, title, TRUE, NULL };
  cairo_surface_t *surface = render_fingerprint (record, &options, NULL);
  const gdouble hole = (300 / 2.0 - 1) * RENDER_RING_HOLE;
  gint x, y, inside = 0;

  for (y = 0; y < 300; y++)
    for (x = 0; x < 300; x++) {
      gboolean red = (pixel (surface, x, y) >> 16) > 0;

      if (hypot (x + 0.5 - 150, y + 0.5 - 150) > hole)
        g_assert_false (red);
      else
        inside += red;
    }
  /* and the title is there */
  g_assert_cmpint (inside, >, 40);
  cairo_surface_destroy (surface);
  json_object_unref (record);
}

static void
test_ring_title_fits (void)
{
  assert_title_in_hole ("Supercalifragilisticexpialidocious");
  assert_title_in_hole ("Nausicaä of the Valley of the Wind (1984)");
  assert_title_in_hole ("Nausicaä\nof the\nValley\nof the\nWind");
  /* too long for any size: ellipsized, still inside */
  assert_title_in_hole ("The Man Who Shot Liberty Valance and Then Walked "
      "Home Across the Whole of the West Under an Enormous Sky, Which Is "
      "a Title Far Too Long for Any Poster or Any Ring at All, Really");
}

static void
test_transparent_background (void)
{
  JsonObject *record = solid_record (0x0000ff);
  RenderColor transparent, white;
  FingerprintOptions options = { 0, 0, 100, NULL, TRUE, &transparent };
  gchar *dir = g_dir_make_tmp ("render-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "ring.png", NULL);
  cairo_surface_t *surface;
  const guint32 *row;
  GError *error = NULL;

  g_assert_true (render_parse_color ("transparent", &transparent, NULL));
  g_assert_cmpfloat (transparent.alpha, ==, 0.0);
  g_assert_true (render_parse_color ("#ffffff", &white, NULL));
  g_assert_cmpfloat (white.red, ==, 1.0);
  g_assert_cmpfloat (white.alpha, ==, 1.0);
  g_assert_false (render_parse_color ("bogus", &white, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  surface = render_fingerprint (record, &options, NULL);
  g_assert_true (render_write_png (surface, path, NULL));
  cairo_surface_destroy (surface);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==,
      CAIRO_FORMAT_ARGB32);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 100);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 100);
  cairo_surface_flush (surface);
  /* corner and hole see-through, the ring opaque blue */
  row = (const guint32 *) cairo_image_surface_get_data (surface);
  g_assert_cmphex (row[0] >> 24, ==, 0);
  row = (const guint32 *) (cairo_image_surface_get_data (surface) +
      50 * cairo_image_surface_get_stride (surface));
  g_assert_cmphex (row[50] >> 24, ==, 0);
  g_assert_cmphex (row[5], ==, 0xff0000ff);
  cairo_surface_destroy (surface);

  /* The default stays an opaque black, without an alpha channel. */
  options.background = NULL;
  surface = render_fingerprint (record, &options, NULL);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==,
      CAIRO_FORMAT_RGB24);
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0x000000);
  cairo_surface_destroy (surface);

  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  json_object_unref (record);
}

static gint
count_color (cairo_surface_t * surface, guint32 rgb, gint y0, gint y1)
{
  gint w = cairo_image_surface_get_width (surface), x, y, n = 0;

  for (y = y0; y < y1; y++)
    for (x = 0; x < w; x++)
      n += pixel (surface, x, y) == rgb;
  return n;
}

static void
test_swatch_every_color_labelled (void)
{
  /* One color of 81 %, nineteen of 1 % each: ten pixels wide, too narrow
   * for any label in the bar. */
  GString *json = g_string_new ("{\"colors\": [[32, 96, 192]");
  JsonObject *record;
  cairo_surface_t *surface;
  gint bars_h, i;

  for (i = 0; i < 19; i++)
    g_string_append_printf (json, ", [%d, %d, 40]", 100 + 8 * i, 250 - 8 * i);
  g_string_append (json, "], \"weights\": [0.81");
  for (i = 0; i < 19; i++)
    g_string_append (json, ", 0.01");
  g_string_append (json, "]}");
  record = load_record (json->str);
  g_string_free (json, TRUE);

  surface = render_swatch (record, 1000, 200, NULL);
  /* The bars end where the label band begins: the first column, inside the
   * big bar and left of its centred label, turns black there. */
  for (bars_h = 0; bars_h < 200; bars_h++)
    if (pixel (surface, 0, bars_h) != 0x2060c0)
      break;
  g_assert_cmpint (bars_h, >=, 100);
  g_assert_cmpint (bars_h, <, 200);
  g_assert_cmphex (pixel (surface, 0, 199), ==, 0x000000);
  /* each narrow color has its chip (at least 6 × 6) in the band */
  for (i = 0; i < 19; i++) {
    guint32 rgb = ((100 + 8 * i) << 16) | ((250 - 8 * i) << 8) | 40;

    if (count_color (surface, rgb, bars_h, 200) < 36)
      g_error ("color %d (#%06x) has no label below the bars", i + 1, rgb);
  }
  /* the wide one is labelled inside its bar */
  g_assert_cmpint (count_color (surface, 0x2060c0, 0, bars_h), <,
      810 * bars_h - 50);
  cairo_surface_destroy (surface);
  json_object_unref (record);
}

static gchar *
read_export (JsonObject * record, PaletteFormat format, const gchar * name,
    gsize * length)
{
  gchar *dir = g_dir_make_tmp ("render-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, name, NULL);
  GError *error = NULL;
  gchar *text;

  g_assert_true (palette_export_write (record, format, path, "Four",
          &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, length, NULL));
  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  return text;
}

static void
test_export_texts (void)
{
  JsonObject *record = load_record (record_json);
  GError *error = NULL;
  gchar *text;
  gsize length;

  text = read_export (record, PALETTE_FORMAT_GPL, "four.gpl", NULL);
  g_assert_cmpstr (text, ==,
      "GIMP Palette\n"
      "Name: Four\n"
      "Columns: 4\n"
      "# gst-palette: most dominant first; each color named by its hex and "
      "its share of the film\n"
      "255   0   0\t#ff0000 50.0%\n"
      "  0 255   0\t#00ff00 25.0%\n"
      "  0   0 255\t#0000ff 15.0%\n"
      "255 255 255\t#ffffff 10.0%\n");
  g_free (text);

  text = read_export (record, PALETTE_FORMAT_CSS, "four.css", NULL);
  g_assert_cmpstr (text, ==,
      "/* Four: palette by gst-palette, most dominant first; "
      "--palette-N-share is its share of the film */\n"
      ":root {\n"
      "  --palette-1: #ff0000;\n"
      "  --palette-1-share: 50.0%;\n"
      "  --palette-2: #00ff00;\n"
      "  --palette-2-share: 25.0%;\n"
      "  --palette-3: #0000ff;\n"
      "  --palette-3-share: 15.0%;\n"
      "  --palette-4: #ffffff;\n"
      "  --palette-4-share: 10.0%;\n"
      "}\n");
  g_free (text);

  /* ASE: header, 4 blocks of 2 + 4 + 36 bytes; the first is #ff0000 */
  text = read_export (record, PALETTE_FORMAT_ASE, "four.ase", &length);
  g_assert_cmpuint (length, ==, 12 + 4 * (2 + 4 + 36));
  g_assert_cmpmem (text, 12, "ASEF\0\1\0\0\0\0\0\4", 12);
  g_assert_cmpmem (text + 12, 8, "\0\1\0\0\0\44\0\10", 8);
  g_assert_cmpmem (text + 12 + 8 + 16, 16, "RGB \77\200\0\0\0\0\0\0\0\0\0\0",
      16);
  g_free (text);

  text = palette_export_csv_text (record, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
      "frame,time,rank,hex,red,green,blue,share\n"
      "0,0.000,1,#ff0000,255,0,0,1.0000\n"
      "1,2.500,1,#00ff00,0,255,0,0.7500\n"
      "1,2.500,2,#0000ff,0,0,255,0.2500\n"
      "2,5.000,1,#ffffff,255,255,255,1.0000\n"
      "3,7.500,1,#000000,0,0,0,1.0000\n");
  g_free (text);
  json_object_unref (record);
}

static void
test_export_pngs (void)
{
  JsonObject *record = load_record (record_json);
  gchar *dir = g_dir_make_tmp ("render-test-XXXXXX", NULL);
  gchar *strip = g_build_filename (dir, "strip.png", NULL);
  gchar *gen = g_build_filename (dir, "gen.png", NULL);
  const guint32 colors[] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };
  cairo_surface_t *surface;
  gint i;

  g_assert_true (palette_export_write (record, PALETTE_FORMAT_PNG, strip,
          NULL, NULL));
  surface = cairo_image_surface_create_from_png (strip);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 4 * 32);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 32);
  for (i = 0; i < 4; i++) {
    g_assert_cmphex (pixel (surface, 32 * i, 0), ==, colors[i]);
    g_assert_cmphex (pixel (surface, 32 * i + 31, 31), ==, colors[i]);
  }
  cairo_surface_destroy (surface);

  /* palettegen: a pixel per color, row by row, padded with the last one */
  g_assert_true (palette_export_write (record, PALETTE_FORMAT_PALETTEGEN, gen,
          NULL, NULL));
  surface = cairo_image_surface_create_from_png (gen);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 16);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 16);
  for (i = 0; i < 4; i++)
    g_assert_cmphex (pixel (surface, i, 0), ==, colors[i]);
  g_assert_cmphex (pixel (surface, 4, 0), ==, 0xffffff);
  g_assert_cmphex (pixel (surface, 15, 15), ==, 0xffffff);
  cairo_surface_destroy (surface);

  g_remove (strip);
  g_remove (gen);
  g_rmdir (dir);
  g_free (strip);
  g_free (gen);
  g_free (dir);
  json_object_unref (record);
}

static void
test_export_parse (void)
{
  PaletteFormat format;
  const gchar *file;
  GError *error = NULL;

  g_assert_true (palette_export_parse ("out/film.GPL", &format, &file, NULL));
  g_assert_cmpint (format, ==, PALETTE_FORMAT_GPL);
  g_assert_cmpstr (file, ==, "out/film.GPL");
  g_assert_true (palette_export_parse ("palettegen:p.png", &format, &file,
          NULL));
  g_assert_cmpint (format, ==, PALETTE_FORMAT_PALETTEGEN);
  g_assert_cmpstr (file, ==, "p.png");
  g_assert_true (palette_export_parse ("css:vars.txt", &format, &file, NULL));
  g_assert_cmpint (format, ==, PALETTE_FORMAT_CSS);
  g_assert_cmpstr (file, ==, "vars.txt");
  g_assert_false (palette_export_parse ("film.txt", &format, &file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* palettegen only when asked: a .png is the strip */
  g_assert_true (palette_export_parse ("a.png", &format, &file, NULL));
  g_assert_cmpint (format, ==, PALETTE_FORMAT_PNG);
}

static void
test_terminal_listing (void)
{
  JsonObject *record = load_record (record_json);
  gchar *dir = g_dir_make_tmp ("render-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "out.txt", NULL);
  FILE *out = fopen (path, "w");
  gchar *text;

  g_assert_true (terminal_print_palette (out, record, "Film", FALSE, NULL));
  g_assert_true (terminal_print_palette (out, record, NULL, TRUE, NULL));
  fclose (out);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==,
      "Film: 4 colors from 4 frames\n"
      "  #ff0000   50.0 %\n"
      "  #00ff00   25.0 %\n"
      "  #0000ff   15.0 %\n"
      "  #ffffff   10.0 %\n"
      "  \033[48;2;255;0;0m      \033[0m  #ff0000   50.0 %  "
      "\033[48;2;255;0;0m" "                    " "\033[0m\n"
      "  \033[48;2;0;255;0m      \033[0m  #00ff00   25.0 %  "
      "\033[48;2;0;255;0m" "          " "\033[0m\n"
      "  \033[48;2;0;0;255m      \033[0m  #0000ff   15.0 %  "
      "\033[48;2;0;0;255m" "      " "\033[0m\n"
      "  \033[48;2;255;255;255m      \033[0m  #ffffff   10.0 %  "
      "\033[48;2;255;255;255m" "    " "\033[0m\n");
  g_free (text);
  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  json_object_unref (record);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/fingerprint-bars", test_fingerprint_bars);
  g_test_add_func ("/render/fingerprint-resampled",
      test_fingerprint_resampled);
  g_test_add_func ("/render/fingerprint-title-and-ring",
      test_fingerprint_title_and_ring);
  g_test_add_func ("/render/fingerprint-missing", test_fingerprint_missing);
  g_test_add_func ("/render/swatch-widths", test_swatch_widths);
  g_test_add_func ("/render/terminal-listing", test_terminal_listing);
  g_test_add_func ("/render/fingerprint-square-and-title-lines",
      test_fingerprint_square_and_title_lines);
  g_test_add_func ("/render/title-text", test_title_text);
  g_test_add_func ("/render/ring-title-fits", test_ring_title_fits);
  g_test_add_func ("/render/transparent-background",
      test_transparent_background);
  g_test_add_func ("/render/swatch-every-color-labelled",
      test_swatch_every_color_labelled);
  g_test_add_func ("/render/export-texts", test_export_texts);
  g_test_add_func ("/render/export-pngs", test_export_pngs);
  g_test_add_func ("/render/export-parse", test_export_parse);
  status = g_test_run ();
  render_cleanup ();
  return status;
}
