/* Unit tests of the gst-palette catalog: folder names, film folders, loading,
 * refusing damaged or foreign files, and saving in the seed's shape. */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <gio/gio.h>

#include "catalog.h"

static void
check_name (const gchar * name, const gchar * title, const gchar * year,
    const gchar * director)
{
  gchar *t, *y, *d;

  catalog_parse_folder_name (name, &t, &y, &d);
  g_assert_cmpstr (t, ==, title);
  g_assert_cmpstr (y, ==, year);
  g_assert_cmpstr (d, ==, director);
  g_free (t);
  g_free (y);
  g_free (d);
}

static void
test_folder_names (void)
{
  check_name ("Red Film (1999, Some Director)", "Red Film", "1999",
      "Some Director");
  check_name ("Blue (2001)", "Blue", "2001", NULL);
  check_name ("No Year", "No Year", NULL, NULL);
  /* The seed's pattern: four digits only, a title is needed before it. */
  check_name ("Odd (99)", "Odd (99)", NULL, NULL);
  check_name ("(1999)", "(1999)", NULL, NULL);
  check_name ("2001 A Space Odyssey (1968, Stanley Kubrick)",
      "2001 A Space Odyssey", "1968", "Stanley Kubrick");
  /* Greedy as re.search(): a director with a comma keeps it. */
  check_name ("Film (1990, Joel Coen, Ethan Coen)", "Film", "1990",
      "Joel Coen, Ethan Coen");
  check_name ("Nausicaä of the Valley of the Wind (1984, Hayao Miyazaki)",
      "Nausicaä of the Valley of the Wind", "1984", "Hayao Miyazaki");
  /* Neither whole form ("Title (Year)" or "Title (Year, Director)"): all
   * title. */
  check_name ("Blank (1950, )", "Blank (1950, )", NULL, NULL);
  check_name ("Alien (1979)", "Alien", "1979", NULL);
  /* Anchored: a cut of a film is a film of its own, not "Alien (1979)". */
  check_name ("Alien (1979) Director's Cut", "Alien (1979) Director's Cut",
      NULL, NULL);
  /* Two films of one title and year, told apart by their directors. */
  check_name ("Hamlet (1948, Laurence Olivier)", "Hamlet", "1948",
      "Laurence Olivier");
  check_name ("Hamlet (1948, Kozintsev)", "Hamlet", "1948", "Kozintsev");
}

static void
test_video_extensions (void)
{
  const gchar *videos[] = { "a.avi", "a.mkv", "a.mp4", "a.MOV", "a.webm",
    "a.ogv", "a.mpg", "a.MPEG", "film.part1.mkv"
  };
  const gchar *others[] = { "a.txt", "a.srt", "mkv", ".mkv", "a.", "a.jpg",
    "a.mkv.part"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (videos); i++)
    g_assert_true (catalog_is_video_file (videos[i]));
  for (i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (catalog_is_video_file (others[i]));
}

static gchar *
make_dir (const gchar * parent, const gchar * name)
{
  gchar *path = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return path;
}

static void
touch (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  g_free (path);
}

static void
test_folder_scan (void)
{
  gchar *root = g_dir_make_tmp ("catalog-test-XXXXXX", NULL);
  gchar *one = make_dir (root, "Red Film (1999, Some Director)");
  gchar *two = make_dir (root, "Twice (2003)");
  gchar *none = make_dir (root, "Empty");
  gchar *expected_full_path;
  GPtrArray *folders;
  CatalogFolder *f;

  touch (one, "red.webm");
  touch (one, "red.srt");
  touch (two, "b.mkv");
  touch (two, "a.webm");
  touch (none, "notes.txt");
  touch (root, "stray.mkv");    /* not in a film folder: not a film */

  folders = catalog_scan_library (root, NULL);
  g_assert_nonnull (folders);
  g_assert_cmpuint (folders->len, ==, 3);

  f = folders->pdata[0];
  g_assert_cmpstr (f->title, ==, "Empty");
  g_assert_null (f->file);
  g_assert_null (f->display_path);
  g_assert_null (f->full_path);
  g_assert_cmpstr (f->status, ==, "No movie file found");

  f = folders->pdata[1];
  g_assert_cmpstr (f->title, ==, "Red Film");
  g_assert_cmpstr (f->year, ==, "1999");
  g_assert_cmpstr (f->director, ==, "Some Director");
  g_assert_cmpstr (f->status, ==, "Movie file found");
  /* relative to the library, so that a library that moves keeps its films */
  g_assert_cmpstr (f->file, ==, "Red Film (1999, Some Director)/red.webm");
  g_assert_cmpstr (f->display_path, ==,
      "Red Film (1999, Some Director)/red.webm");
  expected_full_path = g_build_filename (one, "red.webm", NULL);
  g_assert_cmpstr (f->full_path, ==, expected_full_path);
  g_free (expected_full_path);

  f = folders->pdata[2];
  g_assert_cmpstr (f->title, ==, "Twice");
  g_assert_null (f->file);
  g_assert_cmpstr (f->status, ==,
      "More than 1 video file found: \"a.webm\" \"b.mkv\"");
  g_ptr_array_unref (folders);

  g_assert_null (catalog_scan_library ("/nonexistent/library", NULL));

  g_free (one);
  g_free (two);
  g_free (none);
  g_free (root);
}

static void
expect_refused (const gchar * data, const gchar * message_part)
{
  GError *error = NULL;
  Catalog *catalog = catalog_load_from_data (data, -1, "cat.json", &error);

  g_assert_null (catalog);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (strstr (error->message, message_part) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, message_part);
  g_assert_true (g_str_has_prefix (error->message, "cat.json: "));
  g_error_free (error);
}

static void
test_load_refuses (void)
{
  expect_refused ("{\"last_updated\": \"x\", \"movies\": [", "not valid JSON");
  expect_refused ("\x89PNG\r\n", "not valid JSON");
  expect_refused ("{\"name\": \"a package.json\"}", "no \"movies\" list");
  expect_refused ("{\"movies\": {}}", "no \"movies\" list");
  expect_refused ("42", "no \"movies\" list");
  expect_refused ("{\"movies\": [{\"title\": \"A\"}, 3]}", "movies[1]");
  expect_refused ("{\"movies\": [{\"name\": \"A\"}]}", "movies[0]");
  expect_refused ("{\"movies\": [{\"title\": \"A\", \"palettes\": 1}]}",
      "movies[0]");
  {
    /* json-glib's recursive parser would overflow the stack on this */
    GString *deep = g_string_new ("{\"movies\": ");
    guint i;

    for (i = 0; i < 300000; i++)
      g_string_append_c (deep, '[');
    expect_refused (deep->str, "nested deeper than 256 levels");
    g_string_free (deep, TRUE);
  }
}

static void
test_load_missing_and_empty (void)
{
  gchar *dir = g_dir_make_tmp ("catalog-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "cat.json", NULL);
  GError *error = NULL;
  Catalog *catalog;

  catalog = catalog_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalog_get_n_movies (catalog), ==, 0);
  catalog_free (catalog);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_null (catalog_load (path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static JsonObject *
parse_object (const gchar * data)
{
  JsonNode *node = json_from_string (data, NULL);
  JsonObject *object;

  g_assert_nonnull (node);
  object = json_node_dup_object (node);
  json_node_unref (node);
  return object;
}

static void
test_update_and_save (void)
{
  /* A catalog as the notebook writes it, with a member we do not know. */
  const gchar *seed =
      "{\"last_updated\": \"2024-01-01T00:00:00+00:00\", \"owner\": \"me\","
      " \"movies\": [{\"title\": \"Zorro\", \"status\": null,"
      " \"director\": null, \"year\": \"1940\","
      " \"path\": \"/old/zorro.avi\","
      " \"palettes\": [{\"id\": \"abc123\", \"colors\": [[1, 2, 3]]}],"
      " \"note\": \"kept\"}]}";
  CatalogFolder zorro = {.title = "Zorro",.year = "1940",
    .director = "Rouben Mamoulian",.file = "Zorro (1940)/zorro.mkv",
    .display_path = "Zorro (1940)/zorro.mkv",.status = "Movie file found"
  };
  CatalogFolder zorro_remake = {.title = "Zorro",.year = "1975",
    .file = "Zorro (1975)/z.mkv",.display_path = "Zorro (1975)/z.mkv",
    .status = "Movie file found"
  };
  CatalogFolder alpha = {.title = "Alpha",.status = "No movie file found" };
  gchar *dir = g_dir_make_tmp ("catalog-test-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "cat.json", NULL);
  GError *error = NULL;
  Catalog *catalog = catalog_load_from_data (seed, -1, "seed", &error);
  JsonObject *movie, *root;
  JsonArray *movies;
  JsonNode *node;
  gchar *data;
  GDir *d;
  guint n_files = 0;

  g_assert_no_error (error);
  movie = catalog_update_folder (catalog, &zorro);
  g_assert_true (movie == catalog_get_movie (catalog, 0));
  g_assert_cmpuint (catalog_movie_n_palettes (movie), ==, 1);
  catalog_update_folder (catalog, &zorro_remake);
  catalog_update_folder (catalog, &alpha);
  g_assert_cmpuint (catalog_get_n_movies (catalog), ==, 3);

  catalog_movie_add_palette (movie, parse_object ("{\"id\": \"def456\"}"), 20,
      2);
  g_assert_true (catalog_save (catalog, path, &error));
  g_assert_no_error (error);
  /* Replaced atomically: no temporary file is left beside it. */
  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d))
    n_files++;
  g_dir_close (d);
  g_assert_cmpuint (n_files, ==, 1);
  /* The caller's pointers survive the sort. */
  g_assert_cmpuint (catalog_movie_n_palettes (movie), ==, 2);
  catalog_free (catalog);

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  /* The notebook indents with tabs. */
  g_assert_nonnull (strstr (data, "\n\t\"movies\""));
  node = json_from_string (data, &error);
  g_assert_no_error (error);
  g_free (data);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "owner"), ==, "me");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root,
              "last_updated"), "+00:00"));
  g_assert_cmpstr (json_object_get_string_member (root, "last_updated"), !=,
      "2024-01-01T00:00:00+00:00");
  movies = json_object_get_array_member (root, "movies");
  g_assert_cmpuint (json_array_get_length (movies), ==, 3);

  movie = json_array_get_object_element (movies, 0);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==,
      "Alpha");
  g_assert_cmpstr (json_object_get_string_member (movie, "status"), ==,
      "No movie file found");
  g_assert_true (json_object_get_null_member (movie, "path"));
  g_assert_true (json_object_get_null_member (movie, "year"));
  g_assert_true (json_object_get_null_member (movie, "frames"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (movie, "palettes")), ==, 0);

  movie = json_array_get_object_element (movies, 1);
  g_assert_cmpstr (json_object_get_string_member (movie, "year"), ==, "1940");
  g_assert_cmpstr (json_object_get_string_member (movie, "director"), ==,
      "Rouben Mamoulian");
  g_assert_cmpstr (json_object_get_string_member (movie, "path"), ==,
      "Zorro (1940)/zorro.mkv");
  g_assert_cmpstr (json_object_get_string_member (movie, "note"), ==, "kept");
  g_assert_cmpint (json_object_get_int_member (movie, "frames"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (movie, "length"), ==, 2);
  {
    JsonArray *palettes = json_object_get_array_member (movie, "palettes");

    g_assert_cmpuint (json_array_get_length (palettes), ==, 2);
    g_assert_cmpstr (json_object_get_string_member
        (json_array_get_object_element (palettes, 0), "id"), ==, "abc123");
    g_assert_cmpstr (json_object_get_string_member
        (json_array_get_object_element (palettes, 1), "id"), ==, "def456");
  }

  movie = json_array_get_object_element (movies, 2);
  g_assert_cmpstr (json_object_get_string_member (movie, "year"), ==, "1975");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (movie, "palettes")), ==, 0);
  json_node_unref (node);

  g_remove (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static void
test_bare_list (void)
{
  /* The notebook's frames/length cell saves the movie list alone. */
  GError *error = NULL;
  Catalog *catalog = catalog_load_from_data ("[{\"title\": \"B\", "
      "\"palettes\": []}, {\"title\": \"A\", \"palettes\": []}]", -1, "list",
      &error);
  gchar *data;

  g_assert_no_error (error);
  g_assert_cmpuint (catalog_get_n_movies (catalog), ==, 2);
  g_assert_nonnull (catalog_find_movie (catalog, "A"));
  data = catalog_to_data (catalog, NULL);
  g_assert_nonnull (strstr (data, "\"movies\""));
  g_assert_nonnull (strstr (data, "\"last_updated\""));
  g_free (data);
  catalog_free (catalog);
}

/* A film file that links out of the library is used, with a warning. */
static void
test_symlink_out_of_library (void)
{
  if (g_test_subprocess ()) {
    gchar *root = g_dir_make_tmp ("catalog-test-XXXXXX", NULL);
    gchar *library = make_dir (root, "library");
    gchar *elsewhere = make_dir (root, "elsewhere");
    gchar *film = make_dir (library, "Linked (2000)");
    gchar *target = g_build_filename (elsewhere, "real.webm", NULL);
    gchar *link = g_build_filename (film, "film.webm", NULL);
    GPtrArray *folders;

    touch (elsewhere, "real.webm");
    g_assert_cmpint (symlink (target, link), ==, 0);
    folders = catalog_scan_library (library, NULL);
    g_assert_nonnull (folders);
    g_assert_cmpuint (folders->len, ==, 1);
    g_ptr_array_unref (folders);
    g_unlink (link);
    g_unlink (target);
    g_rmdir (film);
    g_rmdir (elsewhere);
    g_rmdir (library);
    g_rmdir (root);
    g_free (link);
    g_free (target);
    g_free (film);
    g_free (elsewhere);
    g_free (library);
    g_free (root);
    return;
  }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*film.webm\" is a symbolic link out of the "
      "library, to \"*real.webm\"*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/folder-names", test_folder_names);
  g_test_add_func ("/catalog/video-extensions", test_video_extensions);
  g_test_add_func ("/catalog/folder-scan", test_folder_scan);
  g_test_add_func ("/catalog/load-refuses-damaged-or-foreign",
      test_load_refuses);
  g_test_add_func ("/catalog/load-missing-and-empty",
      test_load_missing_and_empty);
  g_test_add_func ("/catalog/update-and-save", test_update_and_save);
  g_test_add_func ("/catalog/bare-list", test_bare_list);
  g_test_add_func ("/catalog/symlink-out-of-library",
      test_symlink_out_of_library);
  return g_test_run ();
}
