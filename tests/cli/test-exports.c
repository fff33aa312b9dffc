/* The built gst-palette's image and palette files (issue #18), on clips of
 * known colors made here with videotestsrc and stored losslessly (raw RGB
 * in Matroska), so that every color and share is exact. */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <cairo.h>
#include <string.h>
#include "test-files.h"
#include "cli-run.h"

/* 3 frames of red, then 2 of green, at 10 frames a second. */
static void
make_red_green (const gchar * path)
{
  gchar *description = g_strdup_printf ("concat name=c "
      "! matroskamux ! filesink location=\"%s\" "
      "videotestsrc pattern=solid-color foreground-color=0xffff0000 "
      "num-buffers=3 ! video/x-raw,format=RGB,width=32,height=24,"
      "framerate=10/1 ! c. "
      "videotestsrc pattern=solid-color foreground-color=0xff00ff00 "
      "num-buffers=2 ! video/x-raw,format=RGB,width=32,height=24,"
      "framerate=10/1 ! c.", path);

  run_pipeline_to_eos (description, 30 * GST_SECOND);
  g_free (description);
}

static gchar *
read_text (const gchar * path)
{
  gchar *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The clip, made once for every test. */
static gchar *clip_dir, *clip_path;

typedef struct
{
  gchar *dir;
  const gchar *clip;
} Fixture;

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("gst-palette-exports-XXXXXX", NULL);
  f->clip = clip_path;
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static gchar *
in_dir (Fixture * f, const gchar * name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
test_csv_and_palettes (Fixture * f, gconstpointer data)
{
  gchar *csv = in_dir (f, "fp.csv"), *gpl = in_dir (f, "p.gpl");
  gchar *css = in_dir (f, "p.css"), *gen = in_dir (f, "gen.png");
  gchar *spec = g_strconcat ("palettegen:", gen, NULL);
  gchar *text;
  cairo_surface_t *surface;
  Result r;

  r = run ("--step", "1", "--csv", csv, "--export-palette", gpl,
      "--export-palette", css, "--export-palette", spec, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  /* Every sampled frame, its time and its one color. */
  text = read_text (csv);
  g_assert_cmpstr (text, ==,
      "frame,time,rank,hex,red,green,blue,share\n"
      "0,0.000,1,#ff0000,255,0,0,1.0000\n"
      "1,0.100,1,#ff0000,255,0,0,1.0000\n"
      "2,0.200,1,#ff0000,255,0,0,1.0000\n"
      "3,0.300,1,#00ff00,0,255,0,1.0000\n"
      "4,0.400,1,#00ff00,0,255,0,1.0000\n");
  g_free (text);

  /* The palette, 3 red frames in 5 and 2 green, named after the film. */
  text = read_text (gpl);
  g_assert_cmpstr (text, ==,
      "GIMP Palette\n"
      "Name: redgreen\n"
      "Columns: 2\n"
      "# gst-palette: most dominant first; each color named by its hex and "
      "its share of the film\n"
      "255   0   0\t#ff0000 60.0%\n"
      "  0 255   0\t#00ff00 40.0%\n");
  g_free (text);
  text = read_text (css);
  g_assert_cmpstr (text, ==,
      "/* redgreen: palette by gst-palette, most dominant first; "
      "--palette-N-share is its share of the film */\n"
      ":root {\n"
      "  --palette-1: #ff0000;\n"
      "  --palette-1-share: 60.0%;\n"
      "  --palette-2: #00ff00;\n"
      "  --palette-2-share: 40.0%;\n"
      "}\n");
  g_free (text);

  surface = cairo_image_surface_create_from_png (gen);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 16);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 16);
  g_assert_cmphex (png_pixel (surface, 0, 0), ==, 0xff0000);
  g_assert_cmphex (png_pixel (surface, 1, 0), ==, 0x00ff00);
  g_assert_cmphex (png_pixel (surface, 15, 15), ==, 0x00ff00);
  cairo_surface_destroy (surface);

  g_free (csv);
  g_free (gpl);
  g_free (css);
  g_free (gen);
  g_free (spec);
}

/* A path that cannot be written is refused before the film is decoded:
 * the message, exit status 2, and nothing printed or written. */
static void
test_unwritable_export_path (Fixture * f, gconstpointer data)
{
  gchar *plain = in_dir (f, "plain");
  gchar *csv = g_build_filename (plain, "fp.csv", NULL);
  gchar *gpl = in_dir (f, "missing/p.gpl");
  gchar *expected;
  Result r;

  g_assert_true (g_file_set_contents (plain, "a file, not a folder", -1,
          NULL));
  r = run ("--step", "1", "--csv", csv, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --csv: cannot create a file next "
      "to \"%s\": Not a directory\n", csv);
  g_assert_cmpstr (r.err, ==, expected);
  g_assert_cmpstr (r.out, ==, "");
  g_free (expected);
  result_clear (&r);

  r = run ("--step", "1", "--export-palette", gpl, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  expected = g_strdup_printf ("gst-palette: --export-palette: cannot create "
      "a file next to \"%s\": No such file or directory\n", gpl);
  g_assert_cmpstr (r.err, ==, expected);
  g_free (expected);
  result_clear (&r);

  r = run ("--step", "1", "--export-palette", "palette.txt", f->clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette: --export-palette: palette.txt: "
      "unknown palette format: name the file .gpl, .css, .ase or .png, or "
      "write FORMAT:FILE with FORMAT gpl, css, ase, png or palettegen\n");
  result_clear (&r);

  r = run ("--step", "1", "--fingerprint-colors", "0", "--csv", "fp.csv",
      f->clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "gst-palette: --csv writes the fingerprint, "
      "which --fingerprint-colors=0 leaves out\n");
  result_clear (&r);

  r = run ("--background", "sky", f->clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "gst-palette: --background: \"sky\" is not a "
      "color");
  result_clear (&r);
  g_assert_false (g_file_test (gpl, G_FILE_TEST_EXISTS));

  g_free (plain);
  g_free (csv);
  g_free (gpl);
}

static guint8
png_alpha (cairo_surface_t * surface, gint x, gint y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride
      (surface) + x * 4) >> 24;
}

static void
test_transparent_ring (Fixture * f, gconstpointer data)
{
  gchar *ring = in_dir (f, "ring.png"), *square = in_dir (f, "square.png");
  cairo_surface_t *surface;
  Result r;

  r = run ("--step", "1", "--ring", "--background", "transparent",
      "--fingerprint-height", "120", "--fingerprint", ring, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  surface = cairo_image_surface_create_from_png (ring);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==,
      CAIRO_FORMAT_ARGB32);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 120);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 120);
  /* the corner and the hole see-through; the ring's first frames (red,
   * from the top clockwise) opaque */
  g_assert_cmpuint (png_alpha (surface, 0, 0), ==, 0);
  g_assert_cmpuint (png_alpha (surface, 60, 60), ==, 0);
  g_assert_cmpuint (png_alpha (surface, 75, 10), ==, 255);
  g_assert_cmphex (png_pixel (surface, 75, 10), ==, 0xff0000);
  cairo_surface_destroy (surface);

  /* Without a height the fingerprint is square: 5 frames of 200 pixels. */
  r = run ("--step", "1", "--fingerprint", square, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  surface = cairo_image_surface_create_from_png (square);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 1000);
  g_assert_cmphex (png_pixel (surface, 599, 500), ==, 0xff0000);
  g_assert_cmphex (png_pixel (surface, 600, 500), ==, 0x00ff00);
  cairo_surface_destroy (surface);
  g_free (ring);
  g_free (square);
}

/* --title "A\nB" typed in a shell (backslash, n) draws what a real line
 * break draws. */
static void
test_title_escape (Fixture * f, gconstpointer data)
{
  gchar *typed = in_dir (f, "typed.png"), *real = in_dir (f, "real.png");
  cairo_surface_t *surface;
  gchar *a, *b;
  gsize la, lb;
  gint x, y, bright = 0;
  Result r;

  r = run ("--step", "1", "--fingerprint-width", "200", "--title",
      "The Kid\\n(1921)", "--fingerprint", typed, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run ("--step", "1", "--fingerprint-width", "200", "--title",
      "The Kid\n(1921)", "--fingerprint", real, f->clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_true (g_file_get_contents (typed, &a, &la, NULL));
  g_assert_true (g_file_get_contents (real, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
  /* and a title is there: white letters over red and green */
  surface = cairo_image_surface_create_from_png (typed);
  for (y = 0; y < 200; y++)
    for (x = 0; x < 200; x++)
      bright += png_pixel (surface, x, y) == 0xffffff;
  g_assert_cmpint (bright, >, 200);
  cairo_surface_destroy (surface);
  g_free (a);
  g_free (b);
  g_free (typed);
  g_free (real);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  find_gst_palette (argc, argv);

  g_test_add ("/exports/csv-and-palettes", Fixture, NULL, fixture_set_up,
      test_csv_and_palettes, fixture_tear_down);
  g_test_add ("/exports/unwritable-path", Fixture, NULL, fixture_set_up,
      test_unwritable_export_path, fixture_tear_down);
  g_test_add ("/exports/transparent-ring", Fixture, NULL, fixture_set_up,
      test_transparent_ring, fixture_tear_down);
  g_test_add ("/exports/title-escape", Fixture, NULL, fixture_set_up,
      test_title_escape, fixture_tear_down);

  clip_dir = g_dir_make_tmp ("gst-palette-exports-clip-XXXXXX", NULL);
  clip_path = g_build_filename (clip_dir, "redgreen.mkv", NULL);
  make_red_green (clip_path);
  status = g_test_run ();
  remove_tree (clip_dir);
  g_free (clip_path);
  g_free (clip_dir);
  return status;
}
