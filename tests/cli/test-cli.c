/* Runs the built gst-palette on film libraries made here with GStreamer
 * (solid-color clips of known shares encoded to VP8/WebM) and checks the
 * catalog, the printed palette, the images and the exit status. */
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <cairo.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"

#define RED 0xff0000
#define WHITE 0xffffff
#define BLUE 0x0000ff
#define GREEN 0x00ff00
#define YELLOW 0xffff00
#define CLIP_FPS 10

/* Encodes N_SEGMENTS runs of solid-color frames, COUNTS[i] frames of
 * COLORS[i] each, at CLIP_FPS. */
static void
make_clip (const gchar * path, const guint32 * colors, const guint * counts,
    guint n_segments, gint width, gint height)
{
  gchar *description = g_strdup_printf ("appsrc name=src format=time "
      "caps=video/x-raw,format=RGB,width=%d,height=%d,framerate=%d/1 "
      "! videoconvert ! vp8enc deadline=1 ! webmmux ! filesink location=\"%s\"",
      width, height, CLIP_FPS, path);
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *message;
  guint64 frame = 0;
  guint i, j;
  gint p;

  g_assert_nonnull (src);
  for (i = 0; i < n_segments; i++) {
    for (j = 0; j < counts[i]; j++) {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, width * height * 3,
          NULL);
      GstMapInfo map;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      for (p = 0; p < width * height; p++) {
        map.data[3 * p] = colors[i] >> 16;
        map.data[3 * p + 1] = (colors[i] >> 8) & 0xff;
        map.data[3 * p + 2] = colors[i] & 0xff;
      }
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (frame, GST_SECOND,
          CLIP_FPS);
      GST_BUFFER_DURATION (buffer) = GST_SECOND / CLIP_FPS;
      frame++;
      g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src), buffer),
          ==, GST_FLOW_OK);
    }
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* bounded: a clip that never ends fails the test instead of hanging it */
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  g_free (description);
}

static gchar *
make_film (const gchar * library, const gchar * folder, const gchar * file,
    const guint32 * colors, const guint * counts, guint n_segments)
{
  gchar *dir = g_build_filename (library, folder, NULL);
  gchar *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  make_clip (path, colors, counts, n_segments, 64, 48);
  g_free (dir);
  return path;
}


static JsonNode *
load_json (const gchar * path)
{
  GError *error = NULL;
  JsonParser *parser = json_parser_new ();
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_copy (json_parser_get_root (parser));
  g_object_unref (parser);
  return root;
}

static gboolean
color_near (JsonArray * rgb, guint32 expected)
{
  gint r = json_array_get_int_element (rgb, 0);
  gint g = json_array_get_int_element (rgb, 1);
  gint b = json_array_get_int_element (rgb, 2);

  /* VP8 and 4:2:0 move flat colors by a few levels. */
  return ABS (r - (gint) (expected >> 16)) <= 16 &&
      ABS (g - (gint) ((expected >> 8) & 0xff)) <= 16 &&
      ABS (b - (gint) (expected & 0xff)) <= 16;
}

/* Sum of the shares of the palette colors near EXPECTED. */
static gdouble
share_of (JsonObject * palette, guint32 expected)
{
  JsonArray *colors = json_object_get_array_member (palette, "colors");
  JsonArray *weights = json_object_get_array_member (palette, "weights");
  gdouble share = 0.0;
  guint i;

  for (i = 0; i < json_array_get_length (colors); i++)
    if (color_near (json_array_get_array_element (colors, i), expected))
      share += json_array_get_double_element (weights, i);
  return share;
}

static JsonObject *
find_movie (JsonNode * catalog, const gchar * title)
{
  JsonArray *movies = json_object_get_array_member (json_node_get_object
      (catalog), "movies");
  guint i;

  for (i = 0; i < json_array_get_length (movies); i++) {
    JsonObject *movie = json_array_get_object_element (movies, i);

    if (g_strcmp0 (json_object_get_string_member (movie, "title"), title) == 0)
      return movie;
  }
  g_error ("no film \"%s\" in the catalog", title);
  return NULL;
}

static guint
n_palettes (JsonObject * movie)
{
  return json_array_get_length (json_object_get_array_member (movie,
          "palettes"));
}

static void
assert_null_member (JsonObject * movie, const gchar * member)
{
  g_assert_true (json_object_has_member (movie, member));
  g_assert_true (json_object_get_null_member (movie, member));
}


static void
test_library (void)
{
  const guint32 red_film[] = { RED, WHITE };
  const guint red_counts[] = { 15, 5 };
  const guint32 blue[] = { BLUE };
  const guint32 green[] = { GREEN };
  const guint twenty[] = { 20 };
  gchar *library = g_dir_make_tmp ("gst-palette-library-XXXXXX", NULL);
  gchar *catalog_path = g_build_filename (library, "catalog.json", NULL);
  gchar *red_path, *blue_path, *no_year_path, *path, *expected;
  gchar *corrupt_dir, *corrupt_path, *empty_dir, *junk;
  JsonNode *catalog;
  JsonArray *movies;
  JsonObject *movie, *palette;
  Result r;
  GRand *rand = g_rand_new_with_seed (42);
  guint i;

  red_path = make_film (library, "Red Film (1999, Some Director)", "red.webm",
      red_film, red_counts, 2);
  blue_path = make_film (library, "Blue (2001)", "blue.webm", blue, twenty, 1);
  no_year_path = make_film (library, "No Year", "clip.webm", green, twenty, 1);
  path = make_film (library, "Two Files (2003)", "a.webm", blue, twenty, 1);
  g_free (path);
  path = make_film (library, "Two Files (2003)", "b.mkv", blue, twenty, 1);
  g_free (path);
  empty_dir = g_build_filename (library, "Empty (2004)", NULL);
  g_mkdir (empty_dir, 0755);
  path = g_build_filename (empty_dir, "notes.txt", NULL);
  g_file_set_contents (path, "no film here", -1, NULL);
  g_free (path);
  corrupt_dir = g_build_filename (library, "Corrupt (2005)", NULL);
  g_mkdir (corrupt_dir, 0755);
  corrupt_path = g_build_filename (corrupt_dir, "broken.mkv", NULL);
  junk = g_malloc (4096);
  for (i = 0; i < 4096; i++)
    junk[i] = g_rand_int_range (rand, 0, 256);
  g_file_set_contents (corrupt_path, junk, 4096, NULL);
  g_free (junk);
  g_rand_free (rand);

  /* First run: every film with one file is processed, the corrupt one
   * fails with a one-line reason and makes the exit status 3. Paths are
   * stored relative to the library root. */
  r = run ("--catalog", catalog_path, "--step", "1", "--jobs", "2", library,
      NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "gst-palette: Corrupt: ");
  assert_contains (r.err, "1 of 4 films failed");
  assert_contains (r.out, "Red Film: ");
  assert_contains (r.out, "Blue: ");
  assert_contains (r.out, "No Year: ");
  result_clear (&r);

  catalog = load_json (catalog_path);
  g_assert_true (g_str_has_suffix (json_object_get_string_member
          (json_node_get_object (catalog), "last_updated"), "+00:00"));
  movies = json_object_get_array_member (json_node_get_object (catalog),
      "movies");
  /* Sorted by title. */
  g_assert_cmpuint (json_array_get_length (movies), ==, 6);
  {
    const gchar *titles[] = { "Blue", "Corrupt", "Empty", "No Year",
      "Red Film", "Two Files"
    };

    for (i = 0; i < 6; i++)
      g_assert_cmpstr (json_object_get_string_member
          (json_array_get_object_element (movies, i), "title"), ==, titles[i]);
  }

  movie = find_movie (catalog, "Red Film");
  g_assert_cmpuint (json_object_get_size (movie), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (movie, "type"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (movie, "year"), ==, "1999");
  g_assert_cmpstr (json_object_get_string_member (movie, "director"), ==,
      "Some Director");
  g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
      "Movie file found");
  g_assert_cmpstr (json_object_get_string_member (movie, "path"), ==,
      "Red Film (1999, Some Director)/red.webm");
  g_assert_cmpint (json_object_get_int_member (movie, "frames"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (movie, "length"), ==, 2);
  g_assert_cmpuint (n_palettes (movie), ==, 1);
  palette = json_array_get_object_element (json_object_get_array_member
      (movie, "palettes"), 0);
  g_assert_cmpint (json_object_get_int_member (palette, "frames_analyzed"),
      ==, 20);
  g_assert_cmpfloat_with_epsilon (share_of (palette, RED), 0.75, 0.02);
  g_assert_cmpfloat_with_epsilon (share_of (palette, WHITE), 0.25, 0.02);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member
          (palette, "source"), "title"), ==, "Red Film");

  movie = find_movie (catalog, "Blue");
  g_assert_cmpstr (json_object_get_string_member (movie, "year"), ==, "2001");
  assert_null_member (movie, "director");
  g_assert_cmpstr (json_object_get_string_member (movie, "path"), ==,
      "Blue (2001)/blue.webm");
  g_assert_cmpint (json_object_get_int_member (movie, "frames"), ==, 20);
  g_assert_cmpuint (n_palettes (movie), ==, 1);
  palette = json_array_get_object_element (json_object_get_array_member
      (movie, "palettes"), 0);
  g_assert_cmpfloat_with_epsilon (share_of (palette, BLUE), 1.0, 0.01);

  movie = find_movie (catalog, "No Year");
  assert_null_member (movie, "year");
  assert_null_member (movie, "director");
  g_assert_cmpstr (json_object_get_string_member (movie, "path"), ==,
      "No Year/clip.webm");
  g_assert_cmpuint (n_palettes (movie), ==, 1);

  movie = find_movie (catalog, "Two Files");
  g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
      "More than 1 video file found: \"a.webm\" \"b.mkv\"");
  assert_null_member (movie, "path");
  assert_null_member (movie, "frames");
  assert_null_member (movie, "length");
  g_assert_cmpuint (n_palettes (movie), ==, 0);

  movie = find_movie (catalog, "Empty");
  g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
      "No movie file found");
  g_assert_cmpstr (json_object_get_string_member (movie, "year"), ==, "2004");
  assert_null_member (movie, "path");
  g_assert_cmpuint (n_palettes (movie), ==, 0);

  movie = find_movie (catalog, "Corrupt");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (movie,
              "status"), "Error: "));
  g_assert_cmpstr (json_object_get_string_member (movie, "path"), ==,
      "Corrupt (2005)/broken.mkv");
  g_assert_cmpuint (n_palettes (movie), ==, 0);
  json_node_unref (catalog);

  /* Second run: nothing new for the films that have a palette, and the
   * film that failed keeps its error and is not tried again unasked. */
  r = run ("--catalog", catalog_path, "--step", "1", library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "3 films have a palette already, skipped");
  assert_contains (r.err, "Two Files: More than 1 video file found");
  assert_contains (r.err, "Corrupt: failed before (");
  assert_contains (r.err, "1 film failed before, skipped (--retry-failed");
  result_clear (&r);
  catalog = load_json (catalog_path);
  g_assert_true (g_str_has_prefix (json_object_get_string_member
          (find_movie (catalog, "Corrupt"), "status"), "Error: "));
  json_node_unref (catalog);

  /* --retry-failed tries it again, and it fails again. */
  r = run ("--catalog", catalog_path, "--step", "1", "--retry-failed",
      library, NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.err, "gst-palette: Corrupt: ");
  assert_contains (r.err, "1 of 1 films failed");
  result_clear (&r);
  catalog = load_json (catalog_path);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "Red Film")), ==, 1);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "Blue")), ==, 1);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "No Year")), ==, 1);
  json_node_unref (catalog);

  /* --recalc --only: one more palette for that film alone, and success. */
  r = run ("--catalog", catalog_path, "--step", "1", "--recalc", "--only",
      "Red Film", library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  catalog = load_json (catalog_path);
  movie = find_movie (catalog, "Red Film");
  g_assert_cmpuint (n_palettes (movie), ==, 2);
  palette = json_array_get_object_element (json_object_get_array_member
      (movie, "palettes"), 1);
  g_assert_cmpfloat_with_epsilon (share_of (palette, RED), 0.75, 0.02);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "Blue")), ==, 1);
  json_node_unref (catalog);

  /* An unknown --only title is an error, and changes nothing. */
  r = run ("--catalog", catalog_path, "--only", "Nope", NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "--only \"Nope\": no film with that title");
  result_clear (&r);

  /* The catalog alone (no folders): its films by their stored paths. */
  r = run ("--catalog", catalog_path, "--step", "1", "--recalc", "--only",
      "Blue", NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  catalog = load_json (catalog_path);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "Blue")), ==, 2);
  json_node_unref (catalog);

  /* Library folders alone: an SQLite catalog in the first, movies.db,
   * read here through `list --json`. */
  r = run ("--step", "1", "--only", "No Year", "-q", library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
  expected = g_build_filename (library, "movies.db", NULL);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  r = run ("list", "--json", library, NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    JsonParser *parser = json_parser_new ();
    JsonArray *films;
    guint with_palette = 0;

    g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
    films = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (films), ==, 6);
    for (i = 0; i < 6; i++) {
      JsonObject *film = json_array_get_object_element (films, i);
      guint n = json_array_get_length (json_object_get_array_member (film,
              "palettes"));

      if (n > 0) {
        g_assert_cmpstr (json_object_get_string_member (film, "title"), ==,
            "No Year");
        with_palette++;
      }
    }
    g_assert_cmpuint (with_palette, ==, 1);
    g_object_unref (parser);
  }
  result_clear (&r);

  /* A library that has the notebook's JSON catalog keeps it. */
  g_remove (expected);
  g_free (expected);
  expected = g_build_filename (library, "movies_palettes.json", NULL);
  g_assert_true (g_rename (catalog_path, expected) == 0);
  r = run ("--step", "1", "--only", "No Year", "-q", "--recalc", library,
      NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  catalog = load_json (expected);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "No Year")), ==, 2);
  g_assert_cmpuint (n_palettes (find_movie (catalog, "Blue")), ==, 2);
  json_node_unref (catalog);
  g_free (expected);
  remove_tree (library);
  g_free (red_path);
  g_free (blue_path);
  g_free (no_year_path);
  g_free (corrupt_dir);
  g_free (corrupt_path);
  g_free (empty_dir);
  g_free (catalog_path);
  g_free (library);
}

static void
test_refuses_bad_catalog (void)
{
  const gchar *contents[] = {
    "{\"last_updated\": \"2024\", \"movies\": [{\"title\": \"A\"",
    "{\"name\": \"some-package\", \"version\": \"1.0\"}",
  };
  const gchar *messages[] = { "damaged catalog, not valid JSON",
    "not a palette catalog"
  };
  gchar *dir = g_dir_make_tmp ("gst-palette-bad-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "catalog.json", NULL);
  gchar *film = g_build_filename (dir, "Film (2000)", NULL);
  guint i;

  g_mkdir (film, 0755);
  for (i = 0; i < G_N_ELEMENTS (contents); i++) {
    gchar *after;
    Result r;

    g_assert_true (g_file_set_contents (path, contents[i], -1, NULL));
    r = run ("--catalog", path, dir, NULL);
    g_assert_cmpint (r.status, ==, 2);
    assert_contains (r.err, messages[i]);
    assert_contains (r.err, "left untouched");
    result_clear (&r);
    g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, contents[i]);
    g_free (after);
  }
  remove_tree (dir);
  g_free (film);
  g_free (path);
  g_free (dir);
}

static gboolean
pixel_near (guint32 p, guint32 expected)
{
  gint i;

  for (i = 0; i < 24; i += 8)
    if (ABS ((gint) ((p >> i) & 0xff) - (gint) ((expected >> i) & 0xff)) > 16)
      return FALSE;
  return TRUE;
}

static void
test_images (void)
{
  /* Five frames each of red, green, blue, yellow; one frame in five kept
   * (min-frames 0: the floor would keep all 20 of so short a film). */
  const guint32 colors[] = { RED, GREEN, BLUE, YELLOW };
  const guint counts[] = { 5, 5, 5, 5 };
  const guint32 red_film[] = { RED, WHITE };
  const guint red_counts[] = { 15, 5 };
  gchar *dir = g_dir_make_tmp ("gst-palette-images-XXXXXX", NULL);
  gchar *clip = make_film (dir, "clips", "four.webm", colors, counts, 4);
  gchar *red = make_film (dir, "clips", "red.webm", red_film, red_counts, 2);
  gchar *fingerprint = g_build_filename (dir, "four.png", NULL);
  gchar *wide = g_build_filename (dir, "wide.png", NULL);
  gchar *swatch = g_build_filename (dir, "swatch.png", NULL);
  gchar *record_path = g_build_filename (dir, "red.json", NULL);
  cairo_surface_t *surface;
  JsonNode *record;
  JsonArray *weights;
  Result r;
  gint x, y, edge, previous_edge;
  gdouble cumulative;
  guint i;

  r = run ("--step", "5", "--min-frames", "0", "--fingerprint-colors", "1",
      "--fingerprint",
      fingerprint, "--bar-width", "1", "--fingerprint-height", "30", clip,
      NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  surface = cairo_image_surface_create_from_png (fingerprint);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 4);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 30);
  for (x = 0; x < 4; x++)
    for (y = 0; y < 30; y++)
      if (!pixel_near (png_pixel (surface, x, y), colors[x]))
        g_error ("fingerprint pixel %d,%d is %06x, not near %06x", x, y,
            png_pixel (surface, x, y), colors[x]);
  cairo_surface_destroy (surface);

  /* A requested width resamples the bars: 4 frames over 40 pixels. */
  r = run ("--step", "5", "--min-frames", "0", "--fingerprint", wide,
      "--fingerprint-width", "40",
      "--fingerprint-height", "10", clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  surface = cairo_image_surface_create_from_png (wide);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 40);
  for (x = 0; x < 40; x++)
    g_assert_true (pixel_near (png_pixel (surface, x, 0), colors[x / 10]));
  cairo_surface_destroy (surface);

  /* The swatch's bars are as wide as the shares in the record. */
  r = run ("--step", "1", "--swatch", swatch, "--swatch-width", "400",
      "--write-json", record_path, red, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  record = load_json (record_path);
  g_assert_cmpfloat_with_epsilon (share_of (json_node_get_object (record),
          RED), 0.75, 0.02);
  weights = json_object_get_array_member (json_node_get_object (record),
      "weights");
  surface = cairo_image_surface_create_from_png (swatch);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 400);
  cumulative = 0.0;
  previous_edge = 0;
  for (i = 0; i < json_array_get_length (weights); i++) {
    guint32 inside;

    cumulative += json_array_get_double_element (weights, i);
    edge = (gint) (cumulative * 400 + 0.5);
    if (edge <= previous_edge)
      continue;
    inside = png_pixel (surface, previous_edge, 0);
    /* Every pixel of the bar has its color, the next one does not. */
    for (x = previous_edge; x < edge; x++)
      g_assert_cmphex (png_pixel (surface, x, 0), ==, inside);
    if (edge < 400)
      g_assert_cmphex (png_pixel (surface, edge, 0), !=, inside);
    previous_edge = edge;
  }
  g_assert_cmpint (previous_edge, ==, 400);
  g_assert_true (pixel_near (png_pixel (surface, 0, 0), RED));
  g_assert_true (pixel_near (png_pixel (surface, 290, 0), RED));
  g_assert_true (pixel_near (png_pixel (surface, 310, 0), WHITE));
  cairo_surface_destroy (surface);
  json_node_unref (record);

  remove_tree (dir);
  g_free (clip);
  g_free (red);
  g_free (fingerprint);
  g_free (wide);
  g_free (swatch);
  g_free (record_path);
  g_free (dir);
}

static void
test_print_and_json (void)
{
  const guint32 colors[] = { RED, BLUE };
  const guint counts[] = { 10, 10 };
  gchar *dir = g_dir_make_tmp ("gst-palette-print-XXXXXX", NULL);
  gchar *clip = make_film (dir, "x", "half.webm", colors, counts, 2);
  gchar *out_dir = g_build_filename (dir, "out", NULL);
  gchar *path;
  JsonNode *record;
  Result r;

  /* Not a TTY: plain lines, no escape sequences. */
  r = run ("--step", "1", "--colors", "2", clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "half: 2 colors from 20 frames\n");
  g_assert_null (strchr (r.out, '\033'));
  g_assert_null (strchr (r.err, '\033'));
  assert_contains (r.out, "50.0 %\n");
  result_clear (&r);

  r = run ("--step", "1", "--json", "-o", out_dir, clip, NULL);
  g_assert_cmpint (r.status, ==, 0);
  record = json_from_string (r.out, NULL);
  g_assert_nonnull (record);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (record),
          "frames_analyzed"), ==, 20);
  g_assert_cmpfloat_with_epsilon (share_of (json_node_get_object (record),
          BLUE), 0.5, 0.02);
  json_node_unref (record);
  result_clear (&r);
  path = g_build_filename (out_dir, "half.json", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_free (path);
  path = g_build_filename (out_dir, "half.fingerprint.png", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_free (path);
  path = g_build_filename (out_dir, "half.swatch.png", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_free (path);

  /* Bad input: a clear message and status 2. */
  r = run ("/nonexistent/film.mkv", NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "/nonexistent/film.mkv: no such file or folder");
  result_clear (&r);
  r = run ("--set-sink", "no-such-property=1", clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "palettesink has no writable property "
      "'no-such-property'");
  result_clear (&r);
  r = run ("--mode", "bogus", clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "--mode: no such mode \"bogus\"");
  result_clear (&r);
  r = run ("--colors", "99", clip, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "--colors takes a number of colors from 1 to 64, "
      "not 99");
  result_clear (&r);

  remove_tree (dir);
  g_free (clip);
  g_free (out_dir);
  g_free (dir);
}

/* A film that never delivers a frame (a FIFO kept open, with no data) is
 * given up after --stall-timeout, with a reason. */
static void
test_stall (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-stall-XXXXXX", NULL);
  gchar *fifo = g_build_filename (dir, "stuck.mkv", NULL);
  gint fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* Read-write: opening does not block, and the reader never sees EOF. */
  fd = g_open (fifo, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  {
    const gchar *argv[] = { gst_palette_bin, "--stall-timeout", "1",
      "--allow-special", fifo, NULL
    };
    GString *err = g_string_new (NULL);
    GError *error = NULL;
    gchar buf[256];
    gssize n;
    gint err_fd, wait_status;
    GPid pid;

    g_assert_true (g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
            NULL, &pid, NULL, NULL, &err_fd, &error));
    g_assert_no_error (error);
    /* filesrc cannot be interrupted in read(): end the FIFO once the film
     * was reported, so that the program can stop its pipeline and exit. */
    while (strstr (err->str, "stalled") == NULL &&
        (n = read (err_fd, buf, sizeof buf)) > 0)
      g_string_append_len (err, buf, n);
    close (fd);
    while ((n = read (err_fd, buf, sizeof buf)) > 0)
      g_string_append_len (err, buf, n);
    close (err_fd);
    g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
    g_spawn_close_pid (pid);
    g_test_message ("stderr:\n%s", err->str);
    /* a stall may pass (a network share waking up): worth a retry */
    g_assert_cmpint (exit_code (wait_status), ==, 75);
    assert_contains (err->str, "gst-palette: stuck: stalled prerolling: no "
        "video frame decoded in 1 s");
    g_string_free (err, TRUE);
  }
  remove_tree (dir);
  g_free (fifo);
  g_free (dir);
}

static void
test_demo_clip (void)
{
  Result r = run (NULL);
  gchar **lines;
  guint n_colors = 0, i;

  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "using the built-in demo clip");
  assert_contains (r.out, "built-in demo clip: 10 colors from 50 frames");
  lines = g_strsplit (r.out, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "  #"))
      n_colors++;
  g_assert_cmpuint (n_colors, ==, 10);
  /* The night shot's sky (#0b132b) fills a fifth of the clip. */
  assert_contains (r.out, "#0b132b");
  g_strfreev (lines);
  result_clear (&r);

  r = run ("--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "gst-palette "));
  result_clear (&r);
  r = run ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "--catalog");
  result_clear (&r);
}

static gboolean
catalog_has_palettes (const gchar * path, guint * n_with_palette)
{
  JsonParser *parser = json_parser_new ();
  gboolean ok = json_parser_load_from_file (parser, path, NULL);
  JsonArray *movies;
  guint i;

  *n_with_palette = 0;
  if (ok) {
    movies = json_object_get_array_member (json_node_get_object
        (json_parser_get_root (parser)), "movies");
    for (i = 0; i < json_array_get_length (movies); i++)
      if (n_palettes (json_array_get_object_element (movies, i)) > 0)
        (*n_with_palette)++;
  }
  g_object_unref (parser);
  return ok;
}

/* Stops a run with SIGNUM once WAIT_FOR films are done; the catalog must
 * then parse and hold them. */
static void
interrupt_run (gint signum, guint wait_for)
{
  const guint32 colors[] = { RED, GREEN, BLUE, YELLOW, WHITE };
  const guint counts[] = { 60, 60, 60, 60, 60 };
  gchar *library = g_dir_make_tmp ("gst-palette-interrupt-XXXXXX", NULL);
  gchar *catalog_path = g_build_filename (library, "catalog.json", NULL);
  const gchar *argv[] = { gst_palette_bin, "--catalog", catalog_path,
    "--step", "1", "--jobs", "1", library, NULL
  };
  GError *error = NULL;
  GPid pid;
  guint i, n_done = 0, n_after;
  gint wait_status, status;
  gint64 deadline;

  for (i = 0; i < 4; i++) {
    gchar *folder = g_strdup_printf ("Film %u (200%u)", i, i);
    gchar *path = make_film (library, folder, "f.webm", colors, counts, 5);

    g_free (path);
    g_free (folder);
  }
  g_assert_true (g_spawn_async (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 120 * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline) {
    if (g_file_test (catalog_path, G_FILE_TEST_EXISTS) &&
        catalog_has_palettes (catalog_path, &n_done) && n_done >= wait_for)
      break;
    g_usleep (2000);
  }
  kill (pid, signum);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  status = exit_code (wait_status);
  g_test_message ("stopped after %u films, status %d", n_done, status);

  /* 128 + signal when stopped mid-run; 0 if the run had just finished. */
  g_assert_true (status == 128 + signum || status == 0);
  g_assert_true (catalog_has_palettes (catalog_path, &n_after));
  g_assert_cmpuint (n_after, >=, n_done);
  if (status == 128 + signum)
    g_assert_cmpuint (n_after, <, 4);
  else
    g_assert_cmpuint (n_after, ==, 4);

  /* Nothing but the films and the catalog is left in the library. */
  {
    GDir *dir = g_dir_open (library, 0, NULL);
    const gchar *name;
    guint n = 0;

    /* the JSON catalog's fingerprint folder and lock file beside it */
    while ((name = g_dir_read_name (dir)) != NULL) {
      if (g_str_equal (name, "catalog.fingerprints") ||
          g_str_equal (name, "catalog.json.lock"))
        continue;
      g_assert_true (g_str_has_prefix (name, "Film ")
          || g_str_equal (name, "catalog.json"));
      n++;
    }
    g_dir_close (dir);
    g_assert_cmpuint (n, ==, 5);
  }

  remove_tree (library);
  g_free (catalog_path);
  g_free (library);
}

static void
test_interrupt_sigterm (void)
{
  interrupt_run (SIGTERM, 1);
}

static void
test_interrupt_sigint (void)
{
  interrupt_run (SIGINT, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  /* Debug logs of the runs may reach stderr: keep them free of escapes, so
   * that only gst-palette's own coloring is seen. */
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);

  find_gst_palette (argc, argv);

  g_test_add_func ("/cli/library", test_library);
  g_test_add_func ("/cli/refuses-bad-catalog", test_refuses_bad_catalog);
  g_test_add_func ("/cli/images", test_images);
  g_test_add_func ("/cli/print-and-json", test_print_and_json);
  g_test_add_func ("/cli/demo-clip", test_demo_clip);
  g_test_add_func ("/cli/stall", test_stall);
  g_test_add_func ("/cli/interrupt-sigterm", test_interrupt_sigterm);
  g_test_add_func ("/cli/interrupt-sigint", test_interrupt_sigint);
  return g_test_run ();
}
