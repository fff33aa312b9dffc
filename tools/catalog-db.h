/* gst-palette: the library catalog in SQLite.
 *
 * The tables `movies` and `palettes` are the seed author's web frontend's,
 * exactly as it reads them (shared/data/README.md); what that schema has no
 * column for lives in tables of our own, named gp_*, keyed by movie id or
 * palette id. Rows of `movies` and `palettes` that gst-palette did not
 * write are never changed. Every film's result is committed in its own
 * transaction (WAL journal, busy timeout), so several processes can fill
 * one catalog at once. */
#ifndef GST_PALETTE_CATALOG_DB_H
#define GST_PALETTE_CATALOG_DB_H

#include "catalog.h"

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The schema version kept in PRAGMA user_version. */
#define CATALOG_DB_SCHEMA_VERSION 1

/* How long a writer waits for another process's transaction. */
#define CATALOG_DB_BUSY_TIMEOUT_MS 60000

typedef struct _CatalogDb CatalogDb;

/* One film of the catalog, as a run and a listing need it. */
typedef struct
{
  gint64 movie_id;
  gchar *title;
  gchar *year;                  /* NULL when unknown */
  gchar *director;              /* NULL when unknown */
  gchar *path;                  /* as `movies.path` shows it (UTF-8), or NULL */
  gchar *file;                  /* our relative path, the file name's own
                                 * bytes; NULL for films we never scanned */
  gchar *status;                /* `movies.status` */
  gint64 frames;                /* frame count, -1 when unknown */
  gint64 length;                /* whole seconds, -1 when unknown */
  guint n_palettes;             /* palettes of the film, complete ones */
  gchar *last_palette_date;     /* calculation_date of the newest of them,
                                 * or NULL */
  gchar *error;                 /* the last failure, until analysed again */
  guint attempts;               /* failed attempts since the last palette */
  gchar *last_attempt;          /* ISO 8601 date of the last failure */
  gboolean retry;               /* the failure may pass by itself (a file
                                 * still being written): retry next run */
  gchar *extra;                 /* JSON object: members of the film a JSON
                                 * catalog had and no column holds, or NULL */
  gchar *type;                  /* `movies.type` ("movie"), or NULL */
  gchar *added;                 /* `movies.added`, as SQLite wrote it */
} CatalogFilm;

void catalog_film_free (CatalogFilm * film);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CatalogFilm, catalog_film_free);

/* Rows written through DB so far: tells whether a step changed
 * anything. */
gint64 catalog_db_get_n_changes (CatalogDb * db);

/* "Title (Year, Director)", "Title (Year)" or "Title", as library folders
 * name films. */
gchar *catalog_film_describe (const CatalogFilm * film);

/* Opens or creates FILENAME (":memory:" for a scratch catalog), creating
 * our tables or migrating them from an older user_version. A database that
 * has a `movies` or `palettes` table unlike the frontend's, or a newer
 * schema version, is an error and is left untouched. */
CatalogDb *catalog_db_open (const gchar * filename, GError ** error);
void catalog_db_close (CatalogDb * db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CatalogDb, catalog_db_close);

/* Transactions around many small writes (catalog_db_sync_folder over a
 * library): one commit instead of one per folder. */
gboolean catalog_db_begin (CatalogDb * db, GError ** error);
gboolean catalog_db_commit (CatalogDb * db, GError ** error);
void catalog_db_rollback (CatalogDb * db);

/* Finds the film of FOLDER: by its path relative to the library root,
 * else by title + year + director; adds a `movies` row when none matches.
 * A film we added is brought up to date (status, path); a film we did not
 * add keeps its row, and only our own table learns its file. */
CatalogFilm *catalog_db_sync_folder (CatalogDb * db,
    const CatalogFolder * folder, GError ** error);

/* Adds RECORD (a palettesink record, fingerprint included) as the film's
 * newest active palette, in one transaction with FRAMES and LENGTH (< 0:
 * unknown) and the end of any error state. A record without an "id", or
 * with one the catalog has already, gets a new unique id, set in RECORD. */
gboolean catalog_db_add_palette (CatalogDb * db, gint64 movie_id,
    JsonObject * record, gint64 frames, gint64 length, GError ** error);

/* Keeps REASON, one more attempt and the date until the film is analysed
 * again; RETRY when the next run should try again unasked. */
gboolean catalog_db_set_failed (CatalogDb * db, gint64 movie_id,
    const gchar * reason, gboolean retry, GError ** error);


/* Every film, by title (CatalogFilm). */
GPtrArray *catalog_db_list_films (CatalogDb * db, GError ** error);

/* The film's palettes, newest first, as palette records (JsonObject), the
 * fingerprint included when WITH_FINGERPRINT. */
GPtrArray *catalog_db_get_palettes (CatalogDb * db, gint64 movie_id,
    gboolean with_fingerprint, GError ** error);

/* What a film had in the catalog it comes from (an import): its type,
 * the date it was added, FRAMES and LENGTH (< 0: unknown). Only films whose
 * `movies` row gst-palette wrote are changed. */
gboolean catalog_db_restore_film (CatalogDb * db, gint64 movie_id,
    const gchar * type, const gchar * added, gint64 frames, gint64 length,
    GError ** error);

/* A failure as another catalog had it: the same attempts and date. */
gboolean catalog_db_restore_failure (CatalogDb * db, gint64 movie_id,
    const gchar * reason, gboolean retry, guint attempts,
    const gchar * last_attempt, GError ** error);

/* EXTRA: a JSON object's text, or NULL. */
gboolean catalog_db_set_film_extra (CatalogDb * db, gint64 movie_id,
    const gchar * extra, GError ** error);

/* The catalog's own settings (gp_catalog): NULL when unset. */
gchar *catalog_db_get_setting (CatalogDb * db, const gchar * key);
gboolean catalog_db_set_setting (CatalogDb * db, const gchar * key,
    const gchar * value, GError ** error);

/* The palette's fingerprint as a JSON object's text (timestamps, colors,
 * weights), or NULL when it has none. */
gchar *catalog_db_print_fingerprint (CatalogDb * db, const gchar * palette_id);

/* A palette id no catalog has: 128 random bits, as a UUID. */
gchar *catalog_db_new_palette_id (void);

/* The film MOVIE_ID as it is now (another process may have changed it). */
CatalogFilm *catalog_db_get_film (CatalogDb * db, gint64 movie_id,
    GError ** error);

/* The claims of films (gp_claims, see claims.h), by movie id: HOST is
 * NULL when the film has none. Call them within catalog_db_begin, so that
 * reading and taking a claim is one step. */
gboolean catalog_db_get_claim (CatalogDb * db, gint64 movie_id, gchar ** host,
    gint64 * pid, gint64 * expires, GError ** error);
gboolean catalog_db_put_claim (CatalogDb * db, gint64 movie_id,
    const gchar * host, gint64 pid, gint64 expires, GError ** error);
/* The claim of MOVIE_ID (every film when < 0) if HOST and PID hold it. */
gboolean catalog_db_delete_claims (CatalogDb * db, gint64 movie_id,
    const gchar * host, gint64 pid, GError ** error);
/* Moves the lease of every claim HOST and PID hold to EXPIRES. */
gboolean catalog_db_renew_claims (CatalogDb * db, const gchar * host,
    gint64 pid, gint64 expires, GError ** error);

/* TRUE when FILENAME names an SQLite catalog (.db, .sqlite, .sqlite3, or a
 * file that starts with SQLite's header). */
gboolean catalog_db_is_sqlite_name (const gchar * filename);

G_END_DECLS

#endif
