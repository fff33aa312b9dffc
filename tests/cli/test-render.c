/* Unit tests of gst-palette's images and terminal listing: pixels read back
 * from the drawn surfaces and PNG files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

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
  status = g_test_run ();
  render_cleanup ();
  return status;
}
