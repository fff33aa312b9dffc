/* gst-palette fuzz target: hostile JSON catalogs through the catalog's
 * JSON -> SQLite -> JSON path (tools/catalog-json.c over
 * tools/catalog-db.c), as `gst-palette --catalog x.json` runs it: each
 * input is written to a file, imported into a fresh in-memory database and
 * exported back; the export must import again, into a second fresh
 * database, to the same films with the same palettes, and export to the
 * same bytes (see check_round_trips for what exactly must hold).
 *
 * The files live in one scratch folder per process ($TMPDIR or /tmp), made
 * on the first input and removed at exit; each input's files (the catalog,
 * the exports and their NAME.fingerprints folders) are removed after it. A
 * failed check aborts before that: the folder stays, with the files of the
 * input that failed. The input's own fingerprint folder is never made, so
 * that palettes without an inline fingerprint import without one. */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "catalog-db.h"
#include "catalog-json.h"
#include "fuzz-common.h"
/* remove_tree: one for every test program, never following links */
#include "../test-files.h"

static gchar *scratch_dir;

/* Empties the scratch folder: what one input left there. */
static void
clear_scratch (void)
{
  GDir *dir = g_dir_open (scratch_dir, 0, NULL);
  const gchar *name;

  FUZZ_ASSERT (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *child = g_build_filename (scratch_dir, name, NULL);

    remove_tree (child);
    g_free (child);
  }
  g_dir_close (dir);
}

static void
remove_scratch (void)
{
  if (scratch_dir == NULL)
    return;
  remove_tree (scratch_dir);
  g_clear_pointer (&scratch_dir, g_free);
}

static void
scratch_init (void)
{
  GError *error = NULL;

  if (scratch_dir != NULL)
    return;
  scratch_dir = g_dir_make_tmp ("fuzz-catalog-import-XXXXXX", &error);
  if (scratch_dir == NULL)
    FUZZ_FAIL (error->message);
  atexit (remove_scratch);
}

static gchar *
scratch_path (const gchar * name)
{
  return g_build_filename (scratch_dir, name, NULL);
}

static CatalogDb *
open_db (void)
{
  GError *error = NULL;
  CatalogDb *db = catalog_db_open (":memory:", &error);

  if (db == NULL)
    FUZZ_FAIL (error->message);
  return db;
}

static GPtrArray *
list_films (CatalogDb * db)
{
  GError *error = NULL;
  GPtrArray *films = catalog_db_list_films (db, &error);

  if (films == NULL)
    FUZZ_FAIL (error->message);
  return films;
}

static guint
count_palettes (CatalogDb * db, gint64 movie_id)
{
  GError *error = NULL;
  GPtrArray *palettes = catalog_db_get_palettes (db, movie_id, FALSE, &error);
  guint n;

  if (palettes == NULL)
    FUZZ_FAIL (error->message);
  n = palettes->len;
  g_ptr_array_unref (palettes);
  return n;
}

static gchar *
read_file (const gchar * path, gsize * length)
{
  GError *error = NULL;
  gchar *data;

  if (!g_file_get_contents (path, &data, length, &error))
    FUZZ_FAIL (error->message);
  return data;
}

/* An export's text without its first "last_updated" line, the time of the
 * export (catalog_save stamps it; every other byte comes from the
 * database). */
static gchar *
read_export_body (const gchar * path)
{
  gsize length;
  gchar *text = read_file (path, &length);
  const gchar *member = strstr (text, "\"last_updated\"");
  const gchar *end = member != NULL ? strchr (member, '\n') : NULL;
  gchar *body;

  FUZZ_ASSERT (end != NULL);
  body = g_strdup_printf ("%.*s%s", (gint) (member - text), text, end);
  g_free (text);
  return body;
}

/* DIR2 holds the same files as DIR1, to the byte (a missing folder is an
 * empty one). */
static gboolean
same_fingerprints (const gchar * dir1, const gchar * dir2, gboolean verbose)
{
  GDir *dir;
  const gchar *name;
  guint n1 = 0, n2 = 0;
  gboolean same = TRUE;

  if ((dir = g_dir_open (dir1, 0, NULL)) != NULL) {
    while (same && (name = g_dir_read_name (dir)) != NULL) {
      gchar *path1 = g_build_filename (dir1, name, NULL);
      gchar *path2 = g_build_filename (dir2, name, NULL);
      gchar *data1, *data2;
      gsize length1, length2;

      if (g_file_test (path2, G_FILE_TEST_EXISTS)) {
        data1 = read_file (path1, &length1);
        data2 = read_file (path2, &length2);
        same = length1 == length2 && memcmp (data1, data2, length1) == 0;
        g_free (data1);
        g_free (data2);
      } else {
        same = FALSE;
      }
      if (!same && verbose)
        fprintf (stderr, "%s and %s differ\n", path1, path2);
      g_free (path1);
      g_free (path2);
      n1++;
    }
    g_dir_close (dir);
  }
  if ((dir = g_dir_open (dir2, 0, NULL)) != NULL) {
    while (g_dir_read_name (dir) != NULL)
      n2++;
    g_dir_close (dir);
  }
  if (same && n1 != n2 && verbose)
    fprintf (stderr, "%s has %u files, %s %u\n", dir1, n1, dir2, n2);
  return same && n1 == n2;
}

/* The two exports are the same catalog file, but for the time they were
 * written, and the same fingerprint files. */
static gboolean
same_export (const gchar * export1, const gchar * export2, gboolean verbose)
{
  gchar *body1 = read_export_body (export1);
  gchar *body2 = read_export_body (export2);
  gchar *dir1 = catalog_json_fingerprints_dir (export1);
  gchar *dir2 = catalog_json_fingerprints_dir (export2);
  gboolean same = strcmp (body1, body2) == 0;

  if (!same && verbose)
    fprintf (stderr, "%s:\n%s\n%s:\n%s\n", export1, body1, export2, body2);
  same = same && same_fingerprints (dir1, dir2, verbose);
  g_free (body1);
  g_free (body2);
  g_free (dir1);
  g_free (dir2);
  return same;
}

static guint
total_palettes (CatalogDb * db)
{
  GPtrArray *films = list_films (db);
  guint i, total = 0;

  for (i = 0; i < films->len; i++)
    total += count_palettes (db, ((CatalogFilm *) films->pdata[i])->movie_id);
  g_ptr_array_unref (films);
  return total;
}

/* An import into an empty database: every film and palette it has is
 * new, and counted so. */
static void
check_import_counts (CatalogDb * db, guint n_films, guint n_palettes)
{
  GPtrArray *films = list_films (db);

  FUZZ_ASSERT (n_films == films->len);
  FUZZ_ASSERT (n_palettes == total_palettes (db));
  g_ptr_array_unref (films);
}

/* A string of DB1 as its export wrote it (catalog_to_data repairs what is
 * not UTF-8), and the same string of DB2, which imported that export. */
static gboolean
same_string (const gchar * text1, const gchar * text2)
{
  gchar *valid;
  gboolean same;

  if (text1 == NULL || text2 == NULL)
    return text1 == text2;
  valid = g_utf8_make_valid (text1, -1);
  same = strcmp (valid, text2) == 0;
  g_free (valid);
  return same;
}

/* DB2 has the films of DB1, in the same order (list_films sorts by title,
 * year and id; the export lists the films in that order, so DB2's ids
 * follow it), each with as many palettes. */
static void
check_same_films (CatalogDb * db1, CatalogDb * db2)
{
  GPtrArray *films1 = list_films (db1), *films2 = list_films (db2);
  guint i;

  FUZZ_ASSERT (films1->len == films2->len);
  for (i = 0; i < films1->len; i++) {
    CatalogFilm *film1 = films1->pdata[i], *film2 = films2->pdata[i];

    FUZZ_ASSERT (same_string (film1->title, film2->title));
    FUZZ_ASSERT (same_string (film1->year, film2->year));
    FUZZ_ASSERT (same_string (film1->director, film2->director));
    FUZZ_ASSERT (count_palettes (db1, film1->movie_id) ==
        count_palettes (db2, film2->movie_id));
  }
  g_ptr_array_unref (films1);
  g_ptr_array_unref (films2);
}

/* FROM (an export of ours) imported into a fresh database, which is
 * exported to TO: both must work. */
static CatalogDb *
import_and_export (const gchar * from, const gchar * to)
{
  CatalogDb *db = open_db ();
  GError *error = NULL;
  guint n_films, n_palettes;

  if (!catalog_json_import (db, from, &n_films, &n_palettes, &error))
    FUZZ_FAIL (error->message);
  check_import_counts (db, n_films, n_palettes);
  if (!catalog_json_export (db, to, &error))
    FUZZ_FAIL (error->message);
  return db;
}

/* The round (see check_round_trips) by which an export must come back
 * unchanged: the third, with one to spare. */
#define MAX_ROUNDS 4

/* What must hold of an export of ours (EXPORT1, of DB1). A round imports
 * the last export into a fresh database and exports that again: EXPORT1
 * into DB2, exported to EXPORT2, in the first; EXPORT2 into DB3 in the
 * second, and so on.
 *
 * - every import of an export works, and so does every export;
 * - no round adds films or palettes;
 * - when a round gives back its export unchanged (to the byte, last_updated
 *   aside, fingerprint files included), its database has the films of the
 *   one before, in the same order, with the same title, year and director
 *   (as the export repaired them), each with as many palettes;
 * - that happens by round MAX_ROUNDS; for most catalogs, at the first.
 *
 * Byte for byte equality at the first round does not hold for every
 * catalog the import accepts:
 *
 * - the export normalizes what JSON cannot carry (catalog_to_data): a
 *   number json-glib would print unreadably (1e308, inf) becomes null, and
 *   a string that is not UTF-8 (a lone "\ud800" escape) is repaired. A null
 *   clusters_nb then imports as the number of colors, two palette ids or
 *   films that differed only in their bad bytes become one, and a repaired
 *   palette id no longer names its fingerprint file;
 * - films are matched in the order the file lists them (by file, then by
 *   path, its tail included, then by title, year and director): a film
 *   with a relative path listed before a film whose absolute path ends with
 *   it stays a film of its own, but the export sorts by title, and if the
 *   absolute one comes first there, the next import merges the relative
 *   one into it, whatever their titles
 *   (tests/fuzz/corpus/catalog-import/path-tail.json);
 * - a film merged into another by an import sets that film's status (and
 *   path) to its own: the film's palettes had made it "Movie file found",
 *   and the merged entry without a path makes it null again, which the
 *   next import, where the film is listed once, makes "Movie file found".
 *
 * So a normalization shows at the first round, the merges it or the order
 * causes at the second, and the statuses they leave at the third
 * (tests/fuzz/corpus/catalog-import/merge-status.json); from then on the
 * export is a fixed point. Merges only make fewer films. */
static void
check_round_trips (CatalogDb * db1, const gchar * export1)
{
  CatalogDb *previous_db = db1, *db;
  gchar *previous = g_strdup (export1), *export, *name;
  GPtrArray *films, *previous_films;
  gboolean same = FALSE;
  guint round;

  for (round = 1; !same; round++) {
    name = g_strdup_printf ("export%u.json", round + 1);
    export = scratch_path (name);
    g_free (name);
    db = import_and_export (previous, export);

    previous_films = list_films (previous_db);
    films = list_films (db);
    FUZZ_ASSERT (films->len <= previous_films->len);
    FUZZ_ASSERT (total_palettes (db) <= total_palettes (previous_db));
    g_ptr_array_unref (previous_films);
    g_ptr_array_unref (films);

    same = same_export (previous, export, round == MAX_ROUNDS);
    if (same)
      check_same_films (previous_db, db);
    else if (round == MAX_ROUNDS)
      FUZZ_FAIL ("a catalog exported and imported again keeps changing");

    if (previous_db != db1)
      catalog_db_close (previous_db);
    previous_db = db;
    g_free (previous);
    previous = export;
  }
  catalog_db_close (previous_db);
  g_free (previous);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *input, *export1;
  CatalogDb *db;
  GPtrArray *films;
  GError *error = NULL;
  guint n_films = G_MAXUINT, n_palettes = G_MAXUINT;

  fuzz_init ();
  scratch_init ();
  input = scratch_path ("input.json");
  export1 = scratch_path ("export.json");
  if (!g_file_set_contents (input, (const gchar *) data, size, &error))
    FUZZ_FAIL (error->message);

  db = open_db ();
  if (!catalog_json_import (db, input, &n_films, &n_palettes, &error)) {
    FUZZ_ASSERT (error != NULL && error->message != NULL);
    g_clear_error (&error);
    /* a refused file leaves the database as it was */
    films = list_films (db);
    FUZZ_ASSERT (films->len == 0);
    g_ptr_array_unref (films);
    goto out;
  }
  FUZZ_ASSERT (error == NULL);

  check_import_counts (db, n_films, n_palettes);

  /* An export may fail, with a reason: a file system error, say. That of a
   * database imported from an export of ours may not (import_and_export). */
  if (!catalog_json_export (db, export1, &error)) {
    FUZZ_ASSERT (error != NULL && error->message != NULL);
    fprintf (stderr, "fuzz-catalog-import: export refused: %s\n",
        error->message);
    g_clear_error (&error);
    goto out;
  }
  check_round_trips (db, export1);

out:
  catalog_db_close (db);
  clear_scratch ();
  g_free (input);
  g_free (export1);
  return 0;
}
