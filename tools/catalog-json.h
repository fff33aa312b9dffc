/* gst-palette: the JSON catalog as an edge format of the SQLite catalog.
 *
 * A run on a JSON catalog works on a scratch database: the JSON file is
 * imported into it, and the database is exported back after each film. The
 * file keeps the seed notebook's shape ({"last_updated", "movies": [...]});
 * fingerprints, which would make it hundreds of megabytes, live beside it,
 * one file per palette: NAME.fingerprints/ID.json for a catalog NAME.json. */
#ifndef GST_PALETTE_CATALOG_JSON_H
#define GST_PALETTE_CATALOG_JSON_H

#include "catalog-db.h"

#include <glib.h>

G_BEGIN_DECLS

/* How long catalog_json_file_open and _save wait for another process's
 * lock before they give up. */
#define CATALOG_JSON_LOCK_TIMEOUT_S 60

/* The fingerprint folder of the catalog FILENAME: FILENAME without its
 * ".json", plus ".fingerprints". */
gchar *catalog_json_fingerprints_dir (const gchar * filename);
/* TRUE when the folder PATH is the fingerprint folder or the claims folder
 * of a JSON catalog beside it (NAME.fingerprints or NAME.claims of
 * NAME.json): in a library, not a film. */
gboolean catalog_json_is_own_dir (const gchar * path);

/* Merges the JSON catalog FILENAME into DB: films are matched as
 * catalog_db_sync_folder matches them, palettes by id (a palette the film
 * already has is skipped), and new palettes are added oldest first with
 * their fingerprint, inline or from the fingerprint folder. N_FILMS and
 * N_PALETTES (may be NULL) get how many films and palettes were new. A
 * missing file imports nothing; a damaged one is an error naming it and
 * leaves DB as it was (the import is one transaction of its own: call it
 * outside catalog_db_begin). */
gboolean catalog_json_import (CatalogDb * db, const gchar * filename,
    guint * n_films, guint * n_palettes, GError ** error);

/* An import of many films into DB, a film at a time, with no transaction
 * of its own (the caller's batches them): how `gst-palette merge` takes
 * results folders (one-film JSON catalogs, fingerprints inline) and other
 * databases. Matching, palettes by id and failures by date as
 * catalog_json_import, so that merging twice or in another order ends the
 * same. */
typedef struct _CatalogJsonImport CatalogJsonImport;

CatalogJsonImport *catalog_json_import_new (CatalogDb * db, GError ** error);
/* FILENAME's top-level members other than the films are dropped. */
gboolean catalog_json_import_add_file (CatalogJsonImport * import,
    const gchar * filename, GError ** error);
/* MOVIE as catalog_json_movie_new makes it, fingerprints inline. */
gboolean catalog_json_import_add_movie (CatalogJsonImport * import,
    JsonObject * movie, GError ** error);
/* N_FILMS and N_PALETTES (may be NULL) get how many were new. */
void catalog_json_import_free (CatalogJsonImport * import, guint * n_films,
    guint * n_palettes);

/* FILM with RECORDS (newest first, as catalog_db_get_palettes gives them)
 * as one film of the notebook's catalog: the one shape a film has outside
 * a database. */
JsonObject *catalog_json_movie_new (const CatalogFilm * film,
    GPtrArray * records);

/* Sets RECORD's fingerprint from the fingerprint folder of the JSON
 * catalog CATALOG_FILENAME when it has none and the folder has it: a run
 * on a JSON catalog leaves fingerprints there, out of its database. */
gboolean catalog_json_attach_fingerprint (JsonObject * record,
    const gchar * catalog_filename, GError ** error);

/* Writes DB to FILENAME in the notebook's shape, atomically; palettes
 * oldest first and without their fingerprint, which goes to the
 * fingerprint folder (written once per palette id). A symbolic link at
 * FILENAME is refused: replacing it would break the link. */
gboolean catalog_json_export (CatalogDb * db, const gchar * filename,
    GError ** error);

/* A JSON catalog that several processes fill at once. Every read and write
 * of the file happens under an exclusive lock on FILENAME.lock, and a save
 * first merges what other processes wrote since, so that nothing of theirs
 * or ours is lost. */
typedef struct _CatalogJsonFile CatalogJsonFile;

/* Opens a scratch database and imports FILENAME into it (a missing file is
 * an empty catalog), fingerprints left out: they stay in the fingerprint
 * folder (an older catalog's inline ones are moved there), and a save
 * writes there those of new palettes. DB (may be NULL) gets the database,
 * which belongs to the returned handle. */
CatalogJsonFile *catalog_json_file_open (const gchar * filename,
    CatalogDb ** db, GError ** error);
CatalogDb *catalog_json_file_get_db (CatalogJsonFile * file);

/* Merges the file if another process wrote it since we last read or wrote
 * it, then writes the database back to it. */
gboolean catalog_json_file_save (CatalogJsonFile * file, GError ** error);

const gchar *catalog_json_file_get_filename (CatalogJsonFile * file);

/* Takes the file's lock, for as long as a step on files beside it needs
 * (a claim, see claims.h); MERGE: merges what another process wrote since
 * into the database first, so that the step sees the catalog as it is. */
gboolean catalog_json_file_lock (CatalogJsonFile * file, gboolean merge,
    GError ** error);
void catalog_json_file_unlock (CatalogJsonFile * file);

/* Closes the database too; does not save. */
void catalog_json_file_close (CatalogJsonFile * file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CatalogJsonFile, catalog_json_file_close);

G_END_DECLS

#endif
