/* gst-palette: the catalog without decoding (see catalog-view.h). Every
 * palette comes back from the database as a palette record, so the
 * listing and the images are those of a fresh analysis. */
#include "catalog-view.h"
#include "catalog-json.h"
#include "record.h"
#include "terminal.h"

#include <colorspace.h>
#include <gio/gio.h>
#include <string.h>

static const gchar *
film_state (CatalogFilm * film)
{
  if (film->error != NULL)
    return "failed";
  if (film->n_palettes > 0)
    return "done";
  if (film->file == NULL && film->path == NULL)
    return film->status ? film->status : "no file";
  return "to do";
}

static void
print_line (FILE * out, CatalogFilm * film, JsonObject * newest,
    gboolean color)
{
  gchar *heading = catalog_film_describe (film);
  RecordPalette *palette = newest ? record_get_palette (newest, NULL) : NULL;
  guint i;

  fprintf (out, "%s  [%s", heading, film_state (film));
  if (film->n_palettes > 1)
    fprintf (out, ", %u palettes", film->n_palettes);
  if (film->error != NULL)
    fprintf (out, ": %s", film->error);
  fputs ("]", out);
  for (i = 0; palette != NULL && i < palette->n_colors; i++) {
    guint32 c = palette->colors[i];
    double rgb[3];

    palette_rgb_unpack (c, rgb);
    if (color)
      fprintf (out, "%s\033[48;2;%u;%u;%um  \033[0m", i ? "" : "  ",
          (unsigned) rgb[0], (unsigned) rgb[1], (unsigned) rgb[2]);
    else
      fprintf (out, " #%06x", c);
  }
  fputc ('\n', out);
  record_palette_free (palette);
  g_free (heading);
}

static JsonNode *
film_to_json (CatalogFilm * film, GPtrArray * palettes)
{
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  guint i;

  json_object_set_int_member (object, "id", film->movie_id);
  json_object_set_string_member (object, "title", film->title);
  record_set_string_or_null (object, "year", film->year);
  record_set_string_or_null (object, "director", film->director);
  record_set_string_or_null (object, "path", film->path);
  record_set_string_or_null (object, "status", film->status);
  record_set_string_or_null (object, "error", film->error);
  json_object_set_int_member (object, "attempts", film->attempts);
  record_set_string_or_null (object, "last_attempt", film->last_attempt);
  for (i = 0; i < palettes->len; i++)
    json_array_add_object_element (array,
        json_object_ref (palettes->pdata[i]));
  json_object_set_array_member (object, "palettes", array);
  return json_node_init_object (json_node_alloc (), object);
}

gint
catalog_view_list (CatalogDb * db, FILE * out, const gchar * only,
    gboolean json, gboolean color, GError ** error)
{
  GPtrArray *films = catalog_db_list_films (db, error);
  JsonArray *array = json ? json_array_new () : NULL;
  gint listed = 0;
  guint i;

  if (films == NULL)
    return -1;
  for (i = 0; i < films->len; i++) {
    CatalogFilm *film = films->pdata[i];
    GPtrArray *palettes;

    if (only != NULL && g_strcmp0 (film->title, only) != 0)
      continue;
    palettes = catalog_db_get_palettes (db, film->movie_id, FALSE, error);
    if (palettes == NULL) {
      listed = -1;
      break;
    }
    listed++;
    if (array != NULL) {
      json_array_add_element (array, film_to_json (film, palettes));
    } else if (only != NULL) {
      gchar *heading = catalog_film_describe (film);
      guint j;

      print_line (out, film, NULL, FALSE);
      for (j = 0; j < palettes->len; j++) {
        JsonObject *record = palettes->pdata[j];
        gchar *what = g_strdup_printf ("  %s, %s",
            json_object_get_string_member_with_default (record, "id", "?"),
            json_object_get_string_member_with_default (record,
                "calculation_date", "no date"));

        terminal_print_palette (out, record, what, color, NULL);
        g_free (what);
      }
      g_free (heading);
    } else {
      print_line (out, film, palettes->len ? palettes->pdata[0] : NULL,
          color);
    }
    g_ptr_array_unref (palettes);
  }
  if (array != NULL) {
    if (listed >= 0) {
      JsonNode *root = json_node_init_array (json_node_alloc (), array);
      gchar *text = json_to_string (root, TRUE);

      fprintf (out, "%s\n", text);
      g_free (text);
      json_node_unref (root);
    } else {
      json_array_unref (array);
    }
  }
  fflush (out);
  g_ptr_array_unref (films);
  return listed;
}

static gboolean
draw_one (cairo_surface_t * surface, const gchar * dir, const gchar * name,
    const gchar * suffix, GError ** error)
{
  gchar *file = g_strconcat (name, suffix, NULL);
  gchar *path = g_build_filename (dir, file, NULL);
  gboolean ok = surface != NULL && render_write_png (surface, path, error);

  if (surface != NULL)
    cairo_surface_destroy (surface);
  g_free (path);
  g_free (file);
  return ok;
}

gint
catalog_view_draw (CatalogDb * db, const gchar * json_catalog,
    const gchar * dir, const gchar * only,
    const FingerprintOptions * fingerprint, guint swatch_width,
    guint swatch_height, GError ** error)
{
  GPtrArray *films = catalog_db_list_films (db, error);
  GHashTable *names;
  gint drawn = 0;
  guint i;

  if (films == NULL)
    return -1;
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < films->len && drawn >= 0; i++) {
    CatalogFilm *film = films->pdata[i];
    FingerprintOptions ring = *fingerprint;
    GPtrArray *palettes;
    JsonObject *newest;
    gchar *name;

    if (film->n_palettes == 0 ||
        (only != NULL && g_strcmp0 (film->title, only) != 0))
      continue;
    palettes = catalog_db_get_palettes (db, film->movie_id, TRUE, error);
    if (palettes == NULL) {
      drawn = -1;
      break;
    }
    if (palettes->len == 0) {
      g_ptr_array_unref (palettes);
      continue;
    }
    newest = palettes->pdata[0];
    if (json_catalog != NULL &&
        !catalog_json_attach_fingerprint (newest, json_catalog, error)) {
      g_ptr_array_unref (palettes);
      drawn = -1;
      break;
    }
    name = catalog_film_describe (film);
    /* a title is a file name here: no folder separators in it */
    g_strdelimit (name, "/\\:", '_');
    /* two films of one name (the same title, year and director, in two
     * library folders) get two sets of images */
    if (g_hash_table_contains (names, name)) {
      gchar *unique = g_strdup_printf ("%s #%" G_GINT64_FORMAT, name,
          film->movie_id);

      g_free (name);
      name = unique;
    }
    g_hash_table_add (names, g_strdup (name));
    ring.ring = TRUE;
    /* the notebook's palettes have no fingerprint: their swatch alone */
    if ((!json_object_has_member (newest, "fingerprint") ||
            (draw_one (render_fingerprint (newest, fingerprint, error), dir,
                    name, ".fingerprint.png", error) &&
                draw_one (render_fingerprint (newest, &ring, error), dir,
                    name, ".ring.png", error))) &&
        draw_one (render_swatch_full (newest, swatch_width, swatch_height,
                fingerprint->background,
                error), dir, name, ".swatch.png", error))
      drawn++;
    else
      drawn = -1;
    g_free (name);
    g_ptr_array_unref (palettes);
  }
  g_hash_table_unref (names);
  g_ptr_array_unref (films);
  return drawn;
}
