/* bench-make-catalog: a synthetic film library and its catalog, for
 * tests/bench/bench-catalog (issue #14).
 *
 *   bench-make-catalog [--films N] [--samples S] [--json] [--seed N] DIR
 *
 * makes in DIR (created if needed):
 *   - N film folders "Film NNNN (YEAR, Director NN)/film.mkv" (empty files:
 *     a film that has a palette is never opened);
 *   - DIR/movies.db, an SQLite catalog in which every folder is synced with
 *     catalog_db_sync_folder and has one complete palette record, as
 *     gst-palette writes it: 10 colors with weights and hex codes, the
 *     members palettesink and the tool add, and a fingerprint of S samples
 *     (default 2880: a 2-hour film at 24 fps, every 60th frame) of 5 colors,
 *     all in one transaction;
 *   - with --json, also DIR/movies_palettes.json (catalog_json_export), its
 *     fingerprints in DIR/movies_palettes.fingerprints/.
 *
 * The values are drawn from a seeded GRand (same arguments, same catalog
 * but for the palette ids and the dates the catalog stamps): each film has
 * a palette of its own, and its fingerprint walks through scenes of a few
 * of those colors, jittered from frame to frame, with shares that fall off
 * from the heaviest color as a real frame's do. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "catalog.h"
#include "catalog-db.h"
#include "catalog-json.h"
#include "record.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_COLORS 10
#define FP_COLORS 5
#define FILM_SECONDS 7200.0
#define FPS 24
#define FRAME_SKIP 60

static gint
clamp255 (gdouble v)
{
  return (gint) CLAMP (floor (v + 0.5), 0, 255);
}

static gdouble
round6 (gdouble v)
{
  return floor (v * 1e6 + 0.5) / 1e6;
}

static JsonArray *
rgb_array (const gint * rgb)
{
  JsonArray *a = json_array_sized_new (3);

  json_array_add_int_element (a, rgb[0]);
  json_array_add_int_element (a, rgb[1]);
  json_array_add_int_element (a, rgb[2]);
  return a;
}

/* N shares that fall off from the first, summing to TOTAL, rounded as
 * palettesink rounds them (6 decimals). */
static void
falling_shares (GRand * rand, gdouble * out, guint n, gdouble total)
{
  gdouble sum = 0.0;
  guint i;

  for (i = 0; i < n; i++) {
    out[i] = g_rand_double_range (rand, 0.3, 1.0) / (1.0 + 0.6 * i);
    sum += out[i];
  }
  /* heaviest first */
  for (i = 1; i < n; i++) {
    guint j = i;

    while (j > 0 && out[j] > out[j - 1]) {
      gdouble t = out[j];

      out[j] = out[j - 1];
      out[j - 1] = t;
      j--;
    }
  }
  for (i = 0; i < n; i++)
    out[i] = round6 (out[i] * total / sum);
}

static JsonObject *
make_fingerprint (GRand * rand, gint palette[N_COLORS][3], guint samples)
{
  JsonObject *fp = json_object_new ();
  JsonArray *timestamps = json_array_sized_new (samples);
  JsonArray *colors = json_array_sized_new (samples);
  JsonArray *weights = json_array_sized_new (samples);
  gint scene[FP_COLORS][3];
  guint scene_left = 0, i, j, c;
  gdouble step = FILM_SECONDS / MAX (samples, 1);

  for (i = 0; i < samples; i++) {
    JsonArray *frame = json_array_sized_new (FP_COLORS);
    JsonArray *frame_weights = json_array_sized_new (FP_COLORS);
    gdouble shares[FP_COLORS];

    if (scene_left == 0) {
      /* a new shot: a few of the film's colors, shifted by its light */
      gint light = g_rand_int_range (rand, -40, 41);

      scene_left = g_rand_int_range (rand, 4, 60);
      for (j = 0; j < FP_COLORS; j++) {
        gint *base = palette[g_rand_int_range (rand, 0, N_COLORS)];

        for (c = 0; c < 3; c++)
          scene[j][c] = clamp255 (base[c] + light +
              g_rand_int_range (rand, -25, 26));
      }
    }
    scene_left--;
    json_array_add_double_element (timestamps,
        floor ((0.5 + i * step) * 1000.0 + 0.5) / 1000.0);
    falling_shares (rand, shares, FP_COLORS,
        g_rand_double_range (rand, 0.55, 0.95));
    for (j = 0; j < FP_COLORS; j++) {
      gint rgb[3];

      for (c = 0; c < 3; c++)
        rgb[c] = clamp255 (scene[j][c] + g_rand_int_range (rand, -6, 7));
      json_array_add_array_element (frame, rgb_array (rgb));
      json_array_add_double_element (frame_weights, shares[j]);
    }
    json_array_add_array_element (colors, frame);
    json_array_add_array_element (weights, frame_weights);
  }
  json_object_set_array_member (fp, "timestamps", timestamps);
  json_object_set_array_member (fp, "colors", colors);
  json_object_set_array_member (fp, "weights", weights);
  return fp;
}

/* One palette record with the members of palettesink's record
 * (docs/palettesink.md) and those gst-palette adds (sampling, seed,
 * bw_threshold, engine_version), in their order. */
static JsonObject *
make_record (GRand * rand, const CatalogFolder * folder, guint samples)
{
  JsonObject *record = json_object_new ();
  JsonObject *resize = json_object_new ();
  JsonObject *source = json_object_new ();
  JsonObject *sampling = json_object_new ();
  JsonArray *colors = json_array_sized_new (N_COLORS);
  JsonArray *weights = json_array_sized_new (N_COLORS);
  JsonArray *hex = json_array_sized_new (N_COLORS);
  gint palette[N_COLORS][3];
  gdouble shares[N_COLORS];
  gchar *id = catalog_db_new_palette_id ();
  gchar *date, *uri;
  GDateTime *when;
  guint i, c;

  when = g_date_time_new_utc (2024 + g_rand_int_range (rand, 0, 3),
      g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
      g_rand_int_range (rand, 0, 24), g_rand_int_range (rand, 0, 60),
      g_rand_int_range (rand, 0, 60));
  date = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S+00:00");
  g_date_time_unref (when);

  for (i = 0; i < N_COLORS; i++)
    for (c = 0; c < 3; c++)
      palette[i][c] = g_rand_int_range (rand, 0, 256);
  falling_shares (rand, shares, N_COLORS, 1.0);
  for (i = 0; i < N_COLORS; i++) {
    gchar *h = g_strdup_printf ("#%02x%02x%02x", palette[i][0],
        palette[i][1], palette[i][2]);

    json_array_add_array_element (colors, rgb_array (palette[i]));
    json_array_add_double_element (weights, shares[i]);
    json_array_add_string_element (hex, h);
    g_free (h);
  }

  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "calculation_date", date);
  json_object_set_int_member (record, "calculation_duration_seconds",
      g_rand_int_range (rand, 60, 400));
  json_object_set_string_member (record, "runtime", "CPU");
  json_object_set_string_member (record, "clustering_method", "kmeans");
  json_object_set_string_member (record, "color_space", "cielab");
  json_object_set_boolean_member (record, "is_black_and_white", FALSE);
  json_object_set_int_member (record, "clusters_nb", N_COLORS);
  json_object_set_int_member (record, "frame_skip", FRAME_SKIP);
  json_object_set_int_member (resize, "width", 160);
  json_object_set_int_member (resize, "height", 90);
  json_object_set_object_member (record, "resize", resize);
  json_object_set_int_member (record, "batch_size", 32);
  json_object_set_array_member (record, "colors", colors);
  json_object_set_array_member (record, "weights", weights);
  json_object_set_array_member (record, "hex", hex);
  json_object_set_int_member (record, "frames_analyzed", samples);
  json_object_set_double_member (record, "mean_saturation",
      round6 (g_rand_double_range (rand, 0.15, 0.6)));
  json_object_set_boolean_member (record, "complete", TRUE);
  uri = g_filename_to_uri (folder->full_path, NULL, NULL);
  if (uri != NULL)
    json_object_set_string_member (source, "uri", uri);
  else
    json_object_set_null_member (source, "uri");
  json_object_set_string_member (source, "title", folder->title);
  json_object_set_double_member (source, "duration_seconds", FILM_SECONDS);
  json_object_set_object_member (record, "source", source);
  json_object_set_object_member (record, "fingerprint",
      make_fingerprint (rand, palette, samples));
  json_object_set_string_member (sampling, "mode", "every-nth");
  json_object_set_int_member (sampling, "step", FRAME_SKIP);
  json_object_set_object_member (record, "sampling", sampling);
  json_object_set_int_member (record, "seed", 0);
  json_object_set_double_member (record, "bw_threshold", 0.1);
  json_object_set_string_member (record, "engine_version", VERSION);

  g_free (uri);
  g_free (date);
  g_free (id);
  return record;
}

/* Writes the record's fingerprint file as catalog_json_export writes it
 * (record_to_data, compact) from the database, where weights are float32:
 * the same bytes, without reading every fingerprint back. */
static gboolean
write_fingerprint_file (const gchar * dir, JsonObject * record,
    GError ** error)
{
  JsonObject *fp = json_object_get_object_member (record, "fingerprint");
  JsonArray *weights = json_object_get_array_member (fp, "weights");
  gchar *name, *path, *data;
  gsize length;
  gboolean ok;
  guint i, j;

  for (i = 0; i < json_array_get_length (weights); i++) {
    JsonArray *frame = json_array_get_array_element (weights, i);

    for (j = 0; j < json_array_get_length (frame); j++) {
      JsonNode *node = json_array_get_element (frame, j);

      json_node_set_double (node, (gfloat) json_node_get_double (node));
    }
  }
  name = g_strconcat (json_object_get_string_member (record, "id"), ".json",
      NULL);
  path = g_build_filename (dir, name, NULL);
  data = record_to_data (fp, FALSE, &length);
  ok = g_file_set_contents (path, data, length, error);
  g_free (data);
  g_free (path);
  g_free (name);
  return ok;
}

static gboolean
make_library (const gchar * dir, guint n_films, GRand * rand, GError ** error)
{
  guint i;

  for (i = 0; i < n_films; i++) {
    gchar *name = g_strdup_printf ("Film %04u (%d, Director %02d)", i + 1,
        1920 + g_rand_int_range (rand, 0, 105),
        g_rand_int_range (rand, 1, 100));
    gchar *folder = g_build_filename (dir, name, NULL);
    gchar *file = g_build_filename (folder, "film.mkv", NULL);
    gboolean ok = g_mkdir_with_parents (folder, 0755) == 0 &&
        g_file_set_contents (file, "", 0, error);

    if (!ok && error != NULL && *error == NULL)
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
          "cannot create %s", folder);
    g_free (file);
    g_free (folder);
    g_free (name);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gdouble
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  gint films = 5000, samples = 2880, seed = 14;
  gboolean json = FALSE, export_fingerprints = FALSE;
  GOptionEntry entries[] = {
    {"films", 'n', 0, G_OPTION_ARG_INT, &films,
        "Film folders to make (default 5000)", "N"},
    {"samples", 's', 0, G_OPTION_ARG_INT, &samples,
        "Fingerprint samples a film (default 2880: 2 h, every 60th frame)",
        "S"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &json,
        "Also export the catalog to DIR/movies_palettes.json", NULL},
    {"export-fingerprints", 0, 0, G_OPTION_ARG_NONE, &export_fingerprints,
          "With --json, let catalog_json_export read every fingerprint back "
          "from the database and write its file (default: written as the "
          "films are made, the same bytes)", NULL},
    {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "GRand seed (default 14)", "N"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *error = NULL;
  GPtrArray *folders = NULL;
  CatalogDb *db = NULL;
  GRand *rand;
  gchar *db_path, *json_path, *fp_dir;
  gint64 start;
  guint i;
  gint status = 1;

  /* GLib 2.74's slice allocator makes json-glib's many small nodes 2-3x
   * slower than malloc. GLib reads G_SLICE when it loads, before main:
   * set it and start again. */
  if (g_getenv ("G_SLICE") == NULL) {
    g_setenv ("G_SLICE", "always-malloc", TRUE);
    execv ("/proc/self/exe", argv);
  }
  ctx = g_option_context_new ("DIR");
  g_option_context_set_summary (ctx, "Makes a synthetic film library of N "
      "folders in DIR and its SQLite catalog DIR/movies.db, every film with "
      "one palette and a fingerprint of S samples (tests/bench/bench-catalog).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2
      || films < 1 || samples < 0) {
    fprintf (stderr, "bench-make-catalog: %s\n", error ? error->message :
        "give one DIR, N >= 1 and S >= 0 (--help)");
    g_clear_error (&error);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);

  rand = g_rand_new_with_seed (seed);
  db_path = g_build_filename (argv[1], "movies.db", NULL);
  json_path = g_build_filename (argv[1], "movies_palettes.json", NULL);
  fp_dir = catalog_json_fingerprints_dir (json_path);
  if (g_file_test (db_path, G_FILE_TEST_EXISTS)) {
    fprintf (stderr, "bench-make-catalog: %s exists already; give an empty "
        "folder\n", db_path);
    goto out;
  }

  start = g_get_monotonic_time ();
  if (!make_library (argv[1], films, rand, &error))
    goto fail;
  folders = catalog_scan_library (argv[1], &error);
  if (folders == NULL)
    goto fail;
  fprintf (stderr, "bench-make-catalog: %u film folders in %.1f s\n",
      folders->len, seconds_since (start));

  if (json && !export_fingerprints && g_mkdir_with_parents (fp_dir, 0755) != 0) {
    fprintf (stderr, "bench-make-catalog: cannot make %s\n", fp_dir);
    goto out;
  }
  start = g_get_monotonic_time ();
  db = catalog_db_open (db_path, &error);
  if (db == NULL || !catalog_db_begin (db, &error))
    goto fail;
  for (i = 0; i < folders->len; i++) {
    CatalogFolder *folder = folders->pdata[i];
    CatalogFilm *film = catalog_db_sync_folder (db, folder, &error);
    JsonObject *record;
    gboolean ok;

    if (film == NULL)
      goto fail;
    record = make_record (rand, folder, samples);
    ok = catalog_db_add_palette (db, film->movie_id, record,
        (gint64) FILM_SECONDS * FPS, (gint64) FILM_SECONDS, &error);
    if (ok && json && !export_fingerprints)
      ok = write_fingerprint_file (fp_dir, record, &error);
    json_object_unref (record);
    catalog_film_free (film);
    if (!ok)
      goto fail;
  }
  if (!catalog_db_commit (db, &error))
    goto fail;
  fprintf (stderr, "bench-make-catalog: %s: %u films, %d samples each, "
      "in %.1f s\n", db_path, folders->len, samples, seconds_since (start));

  if (json) {
    start = g_get_monotonic_time ();
    if (!catalog_json_export (db, json_path, &error))
      goto fail;
    fprintf (stderr, "bench-make-catalog: %s in %.1f s\n", json_path,
        seconds_since (start));
  }
  status = 0;
  goto out;

fail:
  fprintf (stderr, "bench-make-catalog: %s\n", error ? error->message :
      "failed");
  g_clear_error (&error);
  if (db != NULL)
    catalog_db_rollback (db);
out:
  if (db != NULL)
    catalog_db_close (db);
  if (folders != NULL)
    g_ptr_array_unref (folders);
  g_rand_free (rand);
  g_free (db_path);
  g_free (json_path);
  g_free (fp_dir);
  return status;
}
