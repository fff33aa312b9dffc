/* gst-palette fuzz target: the JSON readers fed malformed and hostile
 * documents (deep nesting, huge numbers, wrong types, invalid UTF-8): the
 * catalog loader and every catalog operation the command line performs on
 * what it loaded, the palette record reader, and the record printer. */

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "catalog.h"
#include "record.h"
#include "palette-record.h"
#include "fuzz-common.h"

static void
fuzz_record (JsonObject * record)
{
  RecordPalette *palette;
  GPtrArray *frames;
  GError *error = NULL;
  gchar *text;
  gsize length;
  guint i, j;

  palette = record_get_palette (record, &error);
  if (palette != NULL) {
    gdouble total = 0.0;

    FUZZ_ASSERT (error == NULL);
    for (i = 0; i < palette->n_colors; i++) {
      FUZZ_ASSERT (palette->colors[i] <= 0xffffff);
      FUZZ_ASSERT (palette->weights[i] >= 0.0);
      total += palette->weights[i];
    }
    FUZZ_ASSERT (total == 0.0 || (total > 0.999 && total < 1.001));
    record_palette_free (palette);
  } else {
    FUZZ_ASSERT (error != NULL && error->message != NULL);
    g_clear_error (&error);
  }

  frames = record_get_fingerprint (record, &error);
  if (frames != NULL) {
    for (i = 0; i < frames->len; i++) {
      RecordPalette *frame = frames->pdata[i];

      for (j = 0; j < frame->n_colors; j++)
        FUZZ_ASSERT (frame->colors[j] <= 0xffffff);
    }
    g_ptr_array_unref (frames);
  } else {
    FUZZ_ASSERT (error != NULL);
    g_clear_error (&error);
  }

  text = record_to_data (record, TRUE, &length);
  FUZZ_ASSERT (text != NULL);
  g_free (text);
}

/* What gst-palette does with a catalog it loaded: look films up, add one,
 * add a palette, save (to memory). */
static void
fuzz_catalog (const gchar * data, gsize size)
{
  Catalog *catalog;
  CatalogFolder folder = { 0 };
  JsonObject *movie;
  GError *error = NULL;
  gchar *out;
  gsize length;
  guint i, n;

  catalog = catalog_load_from_data (data, size, "fuzz.json", &error);
  if (catalog == NULL) {
    FUZZ_ASSERT (error != NULL && error->message != NULL);
    g_error_free (error);
    return;
  }
  n = catalog_get_n_movies (catalog);
  for (i = 0; i < n; i++) {
    movie = catalog_get_movie (catalog, i);
    FUZZ_ASSERT (movie != NULL);
    (void) catalog_movie_n_palettes (movie);
  }
  (void) catalog_find_movie (catalog, "Metropolis");

  folder.title = (gchar *) "Metropolis";
  folder.year = (gchar *) "1927";
  folder.director = (gchar *) "Fritz Lang";
  folder.file = (gchar *) "Metropolis (1927, Fritz Lang)/m.mkv";
  folder.display_path = folder.file;
  folder.full_path = (gchar *) "/films/Metropolis (1927, Fritz Lang)/m.mkv";
  folder.status = (gchar *) CATALOG_STATUS_FOUND;
  movie = catalog_update_folder (catalog, &folder);
  FUZZ_ASSERT (movie != NULL);
  catalog_movie_add_palette (movie, json_object_new (), 10, 20);
  catalog_movie_set_status (movie, NULL);

  out = catalog_to_data (catalog, &length);
  FUZZ_ASSERT (out != NULL);
  catalog_free (catalog);

  /* what was saved loads again */
  catalog = catalog_load_from_data (out, length, "saved.json", &error);
  if (catalog == NULL)
    FUZZ_FAIL (error->message);
  FUZZ_ASSERT (catalog_find_movie (catalog, "Metropolis") != NULL);
  catalog_free (catalog);
  g_free (out);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  const gchar *text = (const gchar *) data;
  JsonParser *parser;

  fuzz_init ();
  /* json-glib recurses once per nesting level; past the readers' depth
   * limit they refuse the document before parsing it */
  fuzz_catalog (text, size);

  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, text, size, NULL)) {
    JsonNode *root = json_parser_get_root (parser);

    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
      fuzz_record (json_node_get_object (root));
    if (root != NULL) {
      gchar *printed = palette_record_to_string (root, NULL);
      JsonParser *again = json_parser_new ();

      /* the record printer's output is JSON again */
      FUZZ_ASSERT (json_parser_load_from_data (again, printed, -1, NULL));
      g_object_unref (again);
      g_free (printed);
    }
  }
  g_object_unref (parser);
  return 0;
}
