/* gst-palette: the library catalog in SQLite (see catalog-db.h).
 *
 * The palette record (INTERFACE.md's JSON) is the one representation of a
 * palette in the tool; this file converts it to rows and back. Its members
 * go to the frontend's `palettes` columns where that schema has one, to
 * gp_palettes where it has not, the fingerprint to gp_fingerprints as
 * packed arrays (a JSON fingerprint is ~500 bytes a sampled frame, this is
 * 43), and any member we do not know to gp_palettes.extra, so that nothing
 * a record carries is lost. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "catalog-db.h"
#include "record.h"

#include <gio/gio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct _CatalogDb
{
  sqlite3 *handle;
  gchar *name;
  GHashTable *statements;       /* SQL text: its compiled sqlite3_stmt */
  /* films whose absolute path (the notebook's) a folder may still claim;
   * < 0: to count again */
  gint64 n_unclaimed_absolute;
  gboolean ready;               /* opened and migrated: ours to write */
};

/* The frontend's tables, as its README gives them: created only in a new
 * catalog, never altered. */
static const gchar frontend_schema[] =
    "CREATE TABLE IF NOT EXISTS \"movies\" ("
    " \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,"
    " \"title\" VARCHAR NOT NULL, \"type\" VARCHAR, \"status\" VARCHAR,"
    " \"path\" VARCHAR UNIQUE, \"director\" VARCHAR, \"year\" VARCHAR,"
    " \"length\" INT, \"frames\" INT,"
    " \"added\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE IF NOT EXISTS \"palettes\" ("
    " \"id\" varchar NOT NULL, \"movie_id\" int NOT NULL,"
    " \"active\" BOOLEAN DEFAULT TRUE,"
    " \"calculation_date\" DATETIME DEFAULT CURRENT_TIMESTAMP,"
    " \"calculation_duration_seconds\" REAL,"
    " \"is_black_and_white\" BOOLEAN DEFAULT FALSE,"
    " \"colors\" text NOT NULL, \"clusters_nb\" int NOT NULL,"
    " \"frame_skip\" int, \"resize_width\" int, \"resize_height\" int,"
    " \"batch_size\" int, \"clustering_method\" varchar,"
    " \"saturation_factor\" varchar, \"saturation_threshold\" INT,"
    " \"runtime\" varchar, PRIMARY KEY (id));";

/* Schema version 1: our own tables. Later versions add a migration below
 * it and never edit it. */
static const gchar schema_v1[] =
    /* A film's file as we found it, and its state: one row for every film
     * gst-palette has seen. OURS: the `movies` row is ours to update. */
    "CREATE TABLE gp_films ("
    " movie_id INTEGER PRIMARY KEY REFERENCES movies (id),"
    " file BLOB UNIQUE, ours INTEGER NOT NULL DEFAULT 0,"
    " frames INTEGER, length INTEGER,"
    " error TEXT, retry INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0, last_attempt TEXT,"
    /* members of the film that a JSON catalog had and no column holds */
    " extra TEXT);"
    /* the catalog's own settings, as key and value */
    "CREATE TABLE gp_catalog (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE gp_palettes ("
    " palette_id TEXT PRIMARY KEY REFERENCES palettes (id),"
    " weights TEXT, hex TEXT, color_space TEXT, sampling TEXT,"
    " seed INTEGER, bw_threshold REAL, complete INTEGER NOT NULL DEFAULT 1,"
    " frames_analyzed INTEGER, mean_saturation REAL, source TEXT,"
    " engine_version TEXT, extra TEXT);"
    /* timestamps: float64 seconds; colors: RGB bytes; weights: float32;
     * n_colors a sample, zero weights where a frame had fewer. All
     * little-endian. */
    "CREATE TABLE gp_fingerprints ("
    " palette_id TEXT PRIMARY KEY REFERENCES palettes (id),"
    " n_samples INTEGER NOT NULL, n_colors INTEGER NOT NULL,"
    " timestamps BLOB NOT NULL, colors BLOB NOT NULL,"
    " weights BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS gp_palettes_by_movie ON palettes (movie_id);"
    "CREATE INDEX IF NOT EXISTS gp_movies_by_title ON movies (title, year);";

/* Which run is analysing which film (see claims.h). Not a schema version
 * of its own: a gst-palette that does not know it opens the catalog as
 * before and ignores it, so older and newer workers can share a catalog. */
static const gchar claims_schema[] =
    "CREATE TABLE IF NOT EXISTS gp_claims ("
    " movie_id INTEGER PRIMARY KEY, host TEXT NOT NULL,"
    " pid INTEGER NOT NULL, claimed_at TEXT NOT NULL,"
    " expires INTEGER NOT NULL);";

static const gchar *const movies_columns[] = {
  "id", "title", "type", "status", "path", "director", "year", "length",
  "frames", "added", NULL
};

static const gchar *const palettes_columns[] = {
  "id", "movie_id", "active", "calculation_date",
  "calculation_duration_seconds", "is_black_and_white", "colors",
  "clusters_nb", "frame_skip", "resize_width", "resize_height",
  "batch_size", "clustering_method", "saturation_factor",
  "saturation_threshold", "runtime", NULL
};

/* Record members with a column of their own, in either table. */
static const gchar *const record_columns[] = {
  "id", "calculation_date", "calculation_duration_seconds", "runtime",
  "clustering_method", "color_space", "is_black_and_white", "clusters_nb",
  "frame_skip", "resize", "batch_size", "colors", "weights", "hex",
  "frames_analyzed", "mean_saturation", "complete", "source", "sampling",
  "seed", "bw_threshold", "engine_version", "fingerprint", "active",
  "saturation_factor", "saturation_threshold", NULL
};

void
catalog_film_free (CatalogFilm * film)
{
  if (film == NULL)
    return;
  g_free (film->title);
  g_free (film->year);
  g_free (film->director);
  g_free (film->path);
  g_free (film->file);
  g_free (film->status);
  g_free (film->error);
  g_free (film->last_attempt);
  g_free (film->extra);
  g_free (film->type);
  g_free (film->added);
  g_free (film->last_palette_date);
  g_free (film);
}

gchar *
catalog_film_describe (const CatalogFilm * film)
{
  if (film->year != NULL && film->director != NULL)
    return g_strdup_printf ("%s (%s, %s)", film->title, film->year,
        film->director);
  if (film->year != NULL)
    return g_strdup_printf ("%s (%s)", film->title, film->year);
  return g_strdup (film->title);
}

static gboolean
set_db_error (CatalogDb * db, GError ** error, const gchar * what)
{
  gint code = sqlite3_errcode (db->handle);

  g_set_error (error, G_IO_ERROR,
      code == SQLITE_BUSY || code == SQLITE_LOCKED ? G_IO_ERROR_BUSY :
      code == SQLITE_FULL ? G_IO_ERROR_NO_SPACE :
      code == SQLITE_READONLY || code == SQLITE_PERM ?
      G_IO_ERROR_PERMISSION_DENIED : G_IO_ERROR_FAILED,
      "%s: %s: %s", db->name, what, sqlite3_errmsg (db->handle));
  return FALSE;
}

static gboolean
exec (CatalogDb * db, const gchar * sql, GError ** error)
{
  if (sqlite3_exec (db->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (db, error, "cannot update the catalog");
  return TRUE;
}

static void
bind_text (sqlite3_stmt * stmt, gint index, const gchar * text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_blob_text (sqlite3_stmt * stmt, gint index, const gchar * bytes)
{
  if (bytes != NULL)
    sqlite3_bind_blob (stmt, index, bytes, strlen (bytes), SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gchar *
column_text (sqlite3_stmt * stmt, gint index)
{
  const guchar *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const gchar *) text) : NULL;
}

static gchar *
column_blob_text (sqlite3_stmt * stmt, gint index)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_strndup (blob ? blob : "", sqlite3_column_bytes (stmt, index));
}

/* A statement is compiled once per connection and kept: compiling was a
 * third of a run over 5,000 done films. Callers give it back with
 * release(), never finalize it. */
static sqlite3_stmt *
prepare (CatalogDb * db, const gchar * sql, GError ** error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
          &stmt, NULL) != SQLITE_OK) {
    sqlite3_finalize (stmt);
    set_db_error (db, error, "cannot read the catalog");
    return NULL;
  }
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Ready for the next use: no open read, no old bindings. */
static void
release (sqlite3_stmt * stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gint64
query_int (CatalogDb * db, const gchar * sql, gint64 fallback)
{
  sqlite3_stmt *stmt = prepare (db, sql, NULL);
  gint64 value = fallback;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  release (stmt);
  return value;
}

/* The columns of TABLE, or NULL when there is no such table. */
static GPtrArray *
table_columns (CatalogDb * db, const gchar * table)
{
  gchar *sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
  sqlite3_stmt *stmt = prepare (db, sql, NULL);
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);

  g_free (sql);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (columns,
        g_strdup ((const gchar *) sqlite3_column_text (stmt, 1)));
  release (stmt);
  if (columns->len == 0) {
    g_ptr_array_unref (columns);
    return NULL;
  }
  return columns;
}

/* An existing `movies` or `palettes` table must have every column the
 * frontend has: anything else is somebody else's database. */
static gboolean
check_table (CatalogDb * db, const gchar * table,
    const gchar * const *expected, GError ** error)
{
  GPtrArray *columns = table_columns (db, table);
  const gchar *const *column;

  if (columns == NULL)
    return TRUE;
  for (column = expected; *column != NULL; column++) {
    guint i;
    gboolean found = FALSE;

    for (i = 0; i < columns->len && !found; i++)
      found = g_ascii_strcasecmp (columns->pdata[i], *column) == 0;
    if (!found) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: not a palette catalog: its table \"%s\" has no column "
          "\"%s\"; the file was left untouched", db->name, table, *column);
      g_ptr_array_unref (columns);
      return FALSE;
    }
  }
  g_ptr_array_unref (columns);
  return TRUE;
}

static gboolean
migrate (CatalogDb * db, GError ** error)
{
  gint64 version;

  /* One writer migrates; the others wait, then find it done. */
  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  version = query_int (db, "PRAGMA user_version", 0);
  if (version > CATALOG_DB_SCHEMA_VERSION) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "%s: catalog schema version %" G_GINT64_FORMAT " was written by a "
        "newer gst-palette (this one knows up to %d); it was left untouched",
        db->name, version, CATALOG_DB_SCHEMA_VERSION);
    goto fail;
  }
  if (!check_table (db, "movies", movies_columns, error) ||
      !check_table (db, "palettes", palettes_columns, error))
    goto fail;
  if (version < 1) {
    if (!exec (db, frontend_schema, error) || !exec (db, schema_v1, error))
      goto fail;
  }
  if (!exec (db, claims_schema, error))
    goto fail;
  if (version < CATALOG_DB_SCHEMA_VERSION) {
    gchar *sql = g_strdup_printf ("PRAGMA user_version = %d",
        CATALOG_DB_SCHEMA_VERSION);
    gboolean ok = exec (db, sql, error);

    g_free (sql);
    if (!ok)
      goto fail;
  }
  return exec (db, "COMMIT", error);

fail:
  catalog_db_rollback (db);
  return FALSE;
}

#define JOURNAL_MODE_SETTING "journal-mode-before-gst-palette"

/* WAL while gst-palette works on the catalog: readers (the frontend) never
 * block a writer, writers wait for each other a commit at a time. The
 * journal mode the catalog had is kept, and given back by the last process
 * to close it (see catalog_db_close), because a catalog left in WAL mode
 * cannot be opened from read-only storage, where a web frontend may serve
 * it from. */
static gboolean
use_wal (CatalogDb * db, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "PRAGMA journal_mode", error);
  gchar *mode = NULL;
  gboolean ok = TRUE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mode = column_text (stmt, 0);
  release (stmt);
  if (mode != NULL && g_ascii_strcasecmp (mode, "wal") != 0)
    ok = catalog_db_set_setting (db, JOURNAL_MODE_SETTING, mode, error) &&
        exec (db, "PRAGMA journal_mode = WAL", error);
  g_free (mode);
  return ok;
}

static void
restore_journal_mode (CatalogDb * db)
{
  gchar *mode = catalog_db_get_setting (db, JOURNAL_MODE_SETTING);
  gchar *sql;

  /* Leaving WAL needs the catalog to itself: while another process has it
   * open this fails at once, and the last one to close does it. */
  if (mode == NULL || !g_ascii_strcasecmp (mode, "wal") ||
      strspn (mode, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
      != strlen (mode)) {
    g_free (mode);
    return;
  }
  sqlite3_busy_timeout (db->handle, 0);
  sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
  g_free (sql);
  g_free (mode);
}

CatalogDb *
catalog_db_open (const gchar * filename, GError ** error)
{
  CatalogDb *db = g_new0 (CatalogDb, 1);
  gint rc;

  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      finalize_statement);
  db->n_unclaimed_absolute = -1;
  db->name = g_filename_display_name (filename);
  if (g_file_test (filename, G_FILE_TEST_IS_SYMLINK) &&
      !g_file_test (filename, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "%s: a symbolic link to nothing", db->name);
    goto fail;
  }
  rc = sqlite3_open_v2 (filename, &db->handle,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    if (db->handle == NULL) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
          "%s: out of memory", db->name);
      goto fail;
    }
    set_db_error (db, error, "cannot open the catalog");
    goto fail;
  }
  sqlite3_extended_result_codes (db->handle, 0);
  /* Another process's transaction is waited for, never for ever. */
  sqlite3_busy_timeout (db->handle, CATALOG_DB_BUSY_TIMEOUT_MS);
  /* Reading the header tells a foreign file from a catalog before any
   * write: SQLite creates nothing until the first one. */
  if (query_int (db, "SELECT count(*) FROM sqlite_master", -1) < 0) {
    set_db_error (db, error, "not an SQLite catalog");
    goto fail;
  }
  /* Checked before anything is written: a foreign or newer catalog is
   * left as it was, to the byte. */
  if (!migrate (db, error))
    goto fail;
  if (strcmp (filename, ":memory:") != 0 && !use_wal (db, error))
    goto fail;
  if (!exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF",
          error))
    goto fail;
  db->ready = TRUE;
  return db;

fail:
  catalog_db_close (db);
  return NULL;
}

void
catalog_db_close (CatalogDb * db)
{
  if (db == NULL)
    return;
  if (db->handle != NULL && db->ready)
    restore_journal_mode (db);
  /* statements first: a connection with statements left does not close */
  g_hash_table_destroy (db->statements);
  sqlite3_close_v2 (db->handle);
  g_free (db->name);
  g_free (db);
}

gboolean
catalog_db_begin (CatalogDb * db, GError ** error)
{
  /* IMMEDIATE: the write lock is taken now, so that two writers never
   * deadlock upgrading their read locks. */
  return exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
catalog_db_commit (CatalogDb * db, GError ** error)
{
  if (exec (db, "COMMIT", error))
    return TRUE;
  catalog_db_rollback (db);
  return FALSE;
}

void
catalog_db_rollback (CatalogDb * db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
catalog_db_is_sqlite_name (const gchar * filename)
{
  static const gchar header[] = "SQLite format 3";
  gchar buf[sizeof (header)] = { 0, };
  FILE *f;

  if (g_str_has_suffix (filename, ".db") ||
      g_str_has_suffix (filename, ".sqlite") ||
      g_str_has_suffix (filename, ".sqlite3"))
    return TRUE;
  f = fopen (filename, "rb");
  if (f == NULL)
    return FALSE;
  if (fread (buf, 1, sizeof (header), f) != sizeof (header))
    buf[0] = '\0';
  fclose (f);
  return memcmp (buf, header, sizeof (header)) == 0;
}

gchar *
catalog_db_new_palette_id (void)
{
  return g_uuid_string_random ();
}

#define FILM_COLUMNS \
  "m.id, m.title, m.year, m.director, m.path, g.file, m.status," \
  " (SELECT count(*) FROM palettes p LEFT JOIN gp_palettes gp" \
  "  ON gp.palette_id = p.id WHERE p.movie_id = m.id" \
  "  AND coalesce (gp.complete, 1) = 1)," \
  " g.error, g.attempts, g.last_attempt, g.retry," \
  " coalesce (g.frames, m.frames), coalesce (g.length, m.length), g.extra," \
  " m.type, m.added," \
  " (SELECT max (p.calculation_date) FROM palettes p LEFT JOIN gp_palettes gp" \
  "  ON gp.palette_id = p.id WHERE p.movie_id = m.id" \
  "  AND coalesce (gp.complete, 1) = 1)"

static CatalogFilm *
read_film (sqlite3_stmt * stmt)
{
  CatalogFilm *film = g_new0 (CatalogFilm, 1);

  film->movie_id = sqlite3_column_int64 (stmt, 0);
  film->title = column_text (stmt, 1);
  film->year = column_text (stmt, 2);
  film->director = column_text (stmt, 3);
  film->path = column_text (stmt, 4);
  film->file = column_blob_text (stmt, 5);
  film->status = column_text (stmt, 6);
  film->n_palettes = sqlite3_column_int (stmt, 7);
  film->error = column_text (stmt, 8);
  film->attempts = sqlite3_column_int (stmt, 9);
  film->last_attempt = column_text (stmt, 10);
  film->retry = sqlite3_column_int (stmt, 11) != 0;
  film->frames = sqlite3_column_type (stmt, 12) == SQLITE_NULL ? -1 :
      sqlite3_column_int64 (stmt, 12);
  film->length = sqlite3_column_type (stmt, 13) == SQLITE_NULL ? -1 :
      sqlite3_column_int64 (stmt, 13);
  film->extra = column_text (stmt, 14);
  film->type = column_text (stmt, 15);
  film->added = column_text (stmt, 16);
  film->last_palette_date = column_text (stmt, 17);
  if (film->title == NULL)
    film->title = g_strdup ("");
  return film;
}

static CatalogFilm *
get_film (CatalogDb * db, gint64 movie_id, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT " FILM_COLUMNS
      " FROM movies m LEFT JOIN gp_films g ON g.movie_id = m.id"
      " WHERE m.id = ?", error);
  CatalogFilm *film = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    film = read_film (stmt);
  else
    set_db_error (db, error, "the film vanished from the catalog");
  release (stmt);
  return film;
}

/* Runs STMT (bound) for one row's first column; -1 when none. */
static gint64
step_id (sqlite3_stmt * stmt)
{
  gint64 id = -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  release (stmt);
  return id;
}

/* A film matched by what its folder says: our file first, then a path in
 * `movies` (the same relative path, or an absolute one that ends with it
 * at a folder boundary, as the notebook wrote them), then the whole of
 * title, year and director. A film that another file of ours claims
 * already is never taken. */
static gint64
match_folder (CatalogDb * db, const CatalogFolder * folder, GError ** error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  if (folder->file != NULL) {
    stmt = prepare (db, "SELECT movie_id FROM gp_films WHERE file = ?",
        error);
    if (stmt == NULL)
      return -2;
    bind_blob_text (stmt, 1, folder->file);
    if ((id = step_id (stmt)) >= 0)
      return id;
  }
  if (folder->display_path != NULL) {
    stmt = prepare (db, "SELECT id FROM movies m WHERE path = ?1"
        " AND NOT EXISTS (SELECT 1 FROM gp_films g WHERE g.movie_id = m.id"
        "  AND g.file IS NOT NULL)", error);
    if (stmt == NULL)
      return -2;
    bind_text (stmt, 1, folder->display_path);
    if ((id = step_id (stmt)) >= 0)
      return id;
  }
  /* The end of an absolute path reads every film: only while there are
   * such paths to claim (a catalog of ours has none, the notebook's are
   * claimed one by one), or a first run over a big library would be
   * quadratic. */
  if (db->n_unclaimed_absolute < 0)
    db->n_unclaimed_absolute = query_int (db, "SELECT count(*) FROM movies m"
        " WHERE substr (path, 1, 1) = '/' AND NOT EXISTS (SELECT 1"
        " FROM gp_films g WHERE g.movie_id = m.id AND g.file IS NOT NULL)", 1);
  if (folder->display_path != NULL && db->n_unclaimed_absolute > 0) {
    gchar *tail = g_strconcat ("/", folder->display_path, NULL);

    stmt = prepare (db, "SELECT id FROM movies m WHERE"
        " length (path) > length (?1) AND substr (path, -length (?1)) = ?1"
        " AND NOT EXISTS (SELECT 1 FROM gp_films g WHERE g.movie_id = m.id"
        "  AND g.file IS NOT NULL) ORDER BY id LIMIT 1", error);
    if (stmt == NULL) {
      g_free (tail);
      return -2;
    }
    bind_text (stmt, 1, tail);
    id = step_id (stmt);
    g_free (tail);
    if (id >= 0) {
      db->n_unclaimed_absolute = -1;
      return id;
    }
  }
  /* Title, year and director all equal, NULL matching NULL: two Hamlets of
   * 1948 by different directors stay two films. */
  stmt = prepare (db, "SELECT id FROM movies m WHERE title = ?1"
      " AND year IS ?2 AND director IS ?3"
      " AND NOT EXISTS (SELECT 1 FROM gp_films g WHERE g.movie_id = m.id"
      "  AND g.file IS NOT NULL AND (?4 IS NULL OR g.file != ?4))"
      " ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return -2;
  bind_text (stmt, 1, folder->title);
  bind_text (stmt, 2, folder->year);
  bind_text (stmt, 3, folder->director);
  bind_blob_text (stmt, 4, folder->file);
  return step_id (stmt);
}

static gint64
insert_movie (CatalogDb * db, const CatalogFolder * folder,
    const gchar * path, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT INTO movies"
      " (title, type, status, path, director, year) VALUES"
      " (?, 'movie', ?, ?, ?, ?)", error);
  gint rc;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, folder->title ? folder->title : "");
  bind_text (stmt, 2, folder->status);
  bind_text (stmt, 3, path);
  bind_text (stmt, 4, folder->director);
  bind_text (stmt, 5, folder->year);
  rc = sqlite3_step (stmt);
  release (stmt);
  if (rc != SQLITE_DONE) {
    if (rc != SQLITE_CONSTRAINT)
      set_db_error (db, error, "cannot add a film");
    return -1;
  }
  if (path != NULL && g_path_is_absolute (path))
    db->n_unclaimed_absolute = -1;
  return sqlite3_last_insert_rowid (db->handle);
}

static gboolean
run_stmt (CatalogDb * db, sqlite3_stmt * stmt, const gchar * what,
    GError ** error)
{
  gint rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  release (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_db_error (db, error, what);
  return TRUE;
}

static gboolean
sync_folder (CatalogDb * db, const CatalogFolder * folder, gint64 * movie_id,
    GError ** error)
{
  sqlite3_stmt *stmt;
  gint rc;
  gint64 id = match_folder (db, folder, error);

  if (id == -2)
    return FALSE;
  if (id < 0) {
    id = insert_movie (db, folder, folder->display_path, error);
    /* Another film has that path in `movies` already (two names that
     * differ only in bytes that are not UTF-8): the bytes stay ours. */
    if (id < 0 && (error == NULL || *error == NULL))
      id = insert_movie (db, folder, NULL, error);
    if (id < 0)
      return FALSE;
    stmt = prepare (db, "INSERT INTO gp_films (movie_id, file, ours)"
        " VALUES (?, ?, 1)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    bind_blob_text (stmt, 2, folder->file);
    if (!run_stmt (db, stmt, "cannot add a film", error))
      return FALSE;
  } else {
    stmt = prepare (db, "INSERT INTO gp_films (movie_id, file, ours)"
        " VALUES (?1, ?2, 0) ON CONFLICT (movie_id) DO UPDATE"
        " SET file = coalesce (?2, file) WHERE file IS NOT coalesce (?2, file)",
        error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    bind_blob_text (stmt, 2, folder->file);
    if (!run_stmt (db, stmt, "cannot update a film", error))
      return FALSE;
    /* Our own rows follow the folder; a changed file makes the old frame
     * count meaningless. Rows we did not write are never changed. */
    stmt = prepare (db, "UPDATE movies SET status = ?2,"
        " frames = CASE WHEN path IS ?3 THEN frames END,"
        " length = CASE WHEN path IS ?3 THEN length END,"
        " path = coalesce (?3, path), director = ?4, year = ?5"
        " WHERE id = ?1 AND EXISTS (SELECT 1 FROM gp_films"
        "  WHERE movie_id = ?1 AND ours = 1)"
        " AND (status IS NOT ?2 OR path IS NOT coalesce (?3, path))", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    bind_text (stmt, 2, folder->status);
    bind_text (stmt, 3, folder->display_path);
    bind_text (stmt, 4, folder->director);
    bind_text (stmt, 5, folder->year);
    rc = sqlite3_step (stmt);
    release (stmt);
    /* SQLITE_CONSTRAINT: the path is another film's now; ours stays */
    if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT)
      return set_db_error (db, error, "cannot update a film");
  }
  *movie_id = id;
  return TRUE;
}

CatalogFilm *
catalog_db_sync_folder (CatalogDb * db, const CatalogFolder * folder,
    GError ** error)
{
  gboolean own_transaction = sqlite3_get_autocommit (db->handle);
  gint64 movie_id = -1;

  if (own_transaction && !catalog_db_begin (db, error))
    return NULL;
  if (!sync_folder (db, folder, &movie_id, error)) {
    if (own_transaction)
      catalog_db_rollback (db);
    return NULL;
  }
  if (own_transaction && !catalog_db_commit (db, error))
    return NULL;
  return get_film (db, movie_id, error);
}

/* --- the palette record, to rows ---------------------------------------- */

static JsonNode *
member (JsonObject * record, const gchar * name)
{
  JsonNode *node = json_object_get_member (record, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static void
bind_member (sqlite3_stmt * stmt, gint index, JsonObject * object,
    const gchar * name)
{
  JsonNode *node = object ? member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)) {
    sqlite3_bind_null (stmt, index);
    return;
  }
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      sqlite3_bind_double (stmt, index, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, json_node_get_boolean (node));
      break;
    case G_TYPE_STRING:
      bind_text (stmt, index, json_node_get_string (node));
      break;
    default:
      sqlite3_bind_null (stmt, index);
  }
}

static gchar *
node_to_json (JsonNode * node)
{
  return node != NULL ? json_to_string (node, FALSE) : NULL;
}

/* "[[12, 15, 26], [129, 136, 160]]", as the frontend's rows have it. */
static gchar *
colors_to_json (JsonObject * record, GError ** error)
{
  JsonNode *node = member (record, "colors");
  GString *text;
  guint i, n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the palette record has no \"colors\" list");
    return NULL;
  }
  n = json_array_get_length (json_node_get_array (node));
  text = g_string_new ("[");
  for (i = 0; i < n; i++) {
    JsonNode *c = json_array_get_element (json_node_get_array (node), i);
    JsonArray *rgb = JSON_NODE_HOLDS_ARRAY (c) ? json_node_get_array (c) :
        NULL;
    guint j;

    if (rgb == NULL || json_array_get_length (rgb) != 3) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "color %u of the palette record is not [r, g, b]", i);
      g_string_free (text, TRUE);
      return NULL;
    }
    g_string_append (text, i ? ", [" : "[");
    for (j = 0; j < 3; j++) {
      JsonNode *v = json_array_get_element (rgb, j);
      gdouble value = JSON_NODE_HOLDS_VALUE (v) ?
          json_node_get_double (v) : 0.0;

      g_string_append_printf (text, j ? ", %d" : "%d",
          (gint) CLAMP (value + 0.5, 0.0, 255.0));
    }
    g_string_append_c (text, ']');
  }
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static gboolean
palette_id_exists (CatalogDb * db, const gchar * id)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT 1 FROM palettes WHERE id = ?",
      NULL);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return step_id (stmt) >= 0;
}

static gboolean
insert_palette_row (CatalogDb * db, gint64 movie_id, const gchar * id,
    JsonObject * record, GError ** error)
{
  JsonNode *resize = member (record, "resize");
  JsonObject *size = resize && JSON_NODE_HOLDS_OBJECT (resize) ?
      json_node_get_object (resize) : NULL;
  gchar *colors = colors_to_json (record, error);
  JsonNode *date = member (record, "calculation_date");
  gchar *now = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (colors == NULL)
    return FALSE;
  stmt = prepare (db, "INSERT INTO palettes (id, movie_id, active,"
      " calculation_date, calculation_duration_seconds, is_black_and_white,"
      " colors, clusters_nb, frame_skip, resize_width, resize_height,"
      " batch_size, clustering_method, runtime, saturation_factor,"
      " saturation_threshold) VALUES"
      " (?1, ?2, coalesce (?14, 1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
      " ?12, ?13, ?15, ?16)", error);
  if (stmt == NULL) {
    g_free (colors);
    return FALSE;
  }
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, movie_id);
  if (date != NULL && json_node_get_value_type (date) == G_TYPE_STRING) {
    bind_member (stmt, 3, record, "calculation_date");
  } else {
    now = catalog_now_iso8601 ();
    bind_text (stmt, 3, now);
  }
  bind_member (stmt, 4, record, "calculation_duration_seconds");
  /* the schema's default where the record says nothing; a null stays */
  if (json_object_has_member (record, "is_black_and_white"))
    bind_member (stmt, 5, record, "is_black_and_white");
  else
    sqlite3_bind_int (stmt, 5, 0);
  bind_text (stmt, 6, colors);
  if (member (record, "clusters_nb") != NULL)
    bind_member (stmt, 7, record, "clusters_nb");
  else
    sqlite3_bind_int (stmt, 7, json_array_get_length (json_object_get_array_member
            (record, "colors")));
  bind_member (stmt, 8, record, "frame_skip");
  bind_member (stmt, 9, size, "width");
  bind_member (stmt, 10, size, "height");
  bind_member (stmt, 11, record, "batch_size");
  bind_member (stmt, 12, record, "clustering_method");
  bind_member (stmt, 13, record, "runtime");
  /* a palette read back from another catalog keeps its state there */
  bind_member (stmt, 14, record, "active");
  bind_member (stmt, 15, record, "saturation_factor");
  bind_member (stmt, 16, record, "saturation_threshold");
  ok = run_stmt (db, stmt, "cannot add the palette", error);
  g_free (colors);
  g_free (now);
  return ok;
}

static gboolean
insert_palette_details (CatalogDb * db, const gchar * id,
    JsonObject * record, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT INTO gp_palettes (palette_id,"
      " weights, hex, color_space, sampling, seed, bw_threshold, complete,"
      " frames_analyzed, mean_saturation, source, engine_version, extra)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce (?8, 1), ?9, ?10, ?11,"
      " ?12, ?13)", error);
  gchar *weights, *hex, *sampling, *source, *extra;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  weights = node_to_json (member (record, "weights"));
  hex = node_to_json (member (record, "hex"));
  sampling = node_to_json (member (record, "sampling"));
  source = node_to_json (member (record, "source"));
  /* what no column holds, so that a record comes back whole */
  extra = record_members_except (record, record_columns);
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, weights);
  bind_text (stmt, 3, hex);
  bind_member (stmt, 4, record, "color_space");
  bind_text (stmt, 5, sampling);
  bind_member (stmt, 6, record, "seed");
  bind_member (stmt, 7, record, "bw_threshold");
  bind_member (stmt, 8, record, "complete");
  bind_member (stmt, 9, record, "frames_analyzed");
  bind_member (stmt, 10, record, "mean_saturation");
  bind_text (stmt, 11, source);
  bind_member (stmt, 12, record, "engine_version");
  bind_text (stmt, 13, extra);
  ok = run_stmt (db, stmt, "cannot add the palette", error);
  g_free (weights);
  g_free (hex);
  g_free (sampling);
  g_free (source);
  g_free (extra);
  return ok;
}

static gdouble
number_at (JsonArray * array, guint index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return 0.0;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : 0.0;
}

static JsonArray *
array_at (JsonArray * array, guint index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonArray *
object_array (JsonObject * object, const gchar * name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ?
      json_node_get_array (node) : NULL;
}

static void
put_double_le (gdouble * out, gdouble value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof (bits));
  bits = GUINT64_TO_LE (bits);
  memcpy (out, &bits, sizeof (bits));
}

static gdouble
get_double_le (const guint8 * in)
{
  guint64 bits;
  gdouble value;

  memcpy (&bits, in, sizeof (bits));
  bits = GUINT64_FROM_LE (bits);
  memcpy (&value, &bits, sizeof (value));
  return value;
}

static gboolean
insert_fingerprint (CatalogDb * db, const gchar * id, JsonObject * record,
    GError ** error)
{
  JsonNode *node = member (record, "fingerprint");
  JsonObject *fp;
  JsonArray *timestamps, *colors, *weights;
  guint i, j, n, k = 0;
  gdouble *ts;
  guint8 *rgb;
  gfloat *w;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  fp = json_node_get_object (node);
  timestamps = object_array (fp, "timestamps");
  colors = object_array (fp, "colors");
  weights = object_array (fp, "weights");
  if (colors == NULL)
    return TRUE;
  n = json_array_get_length (colors);
  for (i = 0; i < n; i++) {
    JsonArray *frame = array_at (colors, i);

    if (frame != NULL)
      k = MAX (k, json_array_get_length (frame));
  }
  ts = g_new0 (gdouble, MAX (n, 1));
  rgb = g_new0 (guint8, MAX (n * k * 3, 1));
  w = g_new0 (gfloat, MAX (n * k, 1));
  for (i = 0; i < n; i++) {
    JsonArray *frame = array_at (colors, i);
    JsonArray *frame_weights = array_at (weights, i);
    guint m = frame ? json_array_get_length (frame) : 0;
    gdouble t, share;

    /* kept within what a JSON printer writes back as a number: a hostile
     * 1e20 came back as "1e+20.0", inf as "inf.0", neither JSON */
    t = number_at (timestamps, i);
    put_double_le (&ts[i], isfinite (t) ? CLAMP (t, -1e9, 1e9) : 0.0);
    for (j = 0; j < m; j++) {
      JsonArray *c = array_at (frame, j);
      guint c3;

      for (c3 = 0; c3 < 3; c3++)
        rgb[(i * k + j) * 3 + c3] = (guint8) CLAMP (number_at (c, c3) + 0.5,
            0.0, 255.0);
      /* absent weights: equal shares, as record_get_fingerprint reads; a
       * share is 0 to 1 (1e39 would be inf as a float) */
      share = frame_weights ? number_at (frame_weights, j) : 1.0;
      w[i * k + j] = isfinite (share) ? CLAMP (share, 0.0, 1.0) : 0.0;
    }
  }
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (i = 0; i < n * k; i++) {
    guint32 bits;

    memcpy (&bits, &w[i], 4);
    bits = GUINT32_TO_LE (bits);
    memcpy (&w[i], &bits, 4);
  }
#endif
  stmt = prepare (db, "INSERT INTO gp_fingerprints (palette_id, n_samples,"
      " n_colors, timestamps, colors, weights) VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (stmt != NULL) {
    bind_text (stmt, 1, id);
    sqlite3_bind_int (stmt, 2, n);
    sqlite3_bind_int (stmt, 3, k);
    sqlite3_bind_blob (stmt, 4, ts, n * sizeof (gdouble), SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 5, rgb, n * k * 3, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 6, w, n * k * sizeof (gfloat), SQLITE_STATIC);
  }
  ok = run_stmt (db, stmt, "cannot add the fingerprint", error);
  g_free (ts);
  g_free (rgb);
  g_free (w);
  return ok;
}

/* What the film is now: in gp_films, and in `movies` when the row is ours.
 * NULL and < 0 leave a column as it is. */
static gboolean
store_film (CatalogDb * db, gint64 movie_id, const gchar * status,
    const gchar * type, const gchar * added, gint64 frames, gint64 length,
    GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "UPDATE gp_films SET"
      " frames = coalesce (?2, frames), length = coalesce (?3, length)"
      " WHERE movie_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  if (frames >= 0)
    sqlite3_bind_int64 (stmt, 2, frames);
  if (length >= 0)
    sqlite3_bind_int64 (stmt, 3, length);
  if (!run_stmt (db, stmt, "cannot update the film", error))
    return FALSE;
  stmt = prepare (db, "UPDATE movies SET status = coalesce (?4, status),"
      " type = coalesce (?5, type), added = coalesce (?6, added),"
      " frames = coalesce (?2, frames), length = coalesce (?3, length)"
      " WHERE id = ?1 AND EXISTS (SELECT 1 FROM gp_films"
      "  WHERE movie_id = ?1 AND ours = 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  if (frames >= 0)
    sqlite3_bind_int64 (stmt, 2, frames);
  if (length >= 0)
    sqlite3_bind_int64 (stmt, 3, length);
  bind_text (stmt, 4, status);
  bind_text (stmt, 5, type);
  bind_text (stmt, 6, added);
  return run_stmt (db, stmt, "cannot update the film", error);
}

static gboolean
add_palette (CatalogDb * db, gint64 movie_id, JsonObject * record,
    gint64 frames, gint64 length, GError ** error)
{
  JsonNode *id_node = member (record, "id");
  const gchar *id = id_node && json_node_get_value_type (id_node) ==
      G_TYPE_STRING ? json_node_get_string (id_node) : NULL;
  sqlite3_stmt *stmt;

  if (id == NULL || *id == '\0' || palette_id_exists (db, id)) {
    gchar *fresh = catalog_db_new_palette_id ();

    json_object_set_string_member (record, "id", fresh);
    g_free (fresh);
    id = json_object_get_string_member (record, "id");
  }
  if (!insert_palette_row (db, movie_id, id, record, error) ||
      !insert_palette_details (db, id, record, error) ||
      !insert_fingerprint (db, id, record, error))
    return FALSE;

  stmt = prepare (db, "INSERT INTO gp_films (movie_id, ours) VALUES (?1, 0)"
      " ON CONFLICT (movie_id) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  if (!run_stmt (db, stmt, "cannot update the film", error))
    return FALSE;
  /* A failure newer than the palette (a --recalc that failed; results
   * merged out of order) stays the film's latest news. */
  stmt = prepare (db, "UPDATE gp_films SET error = NULL, retry = 0,"
      " attempts = 0, last_attempt = NULL WHERE movie_id = ?1"
      " AND (last_attempt IS NULL OR ?2 IS NULL OR last_attempt <= ?2)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  bind_member (stmt, 2, record, "calculation_date");
  if (!run_stmt (db, stmt, "cannot update the film", error))
    return FALSE;
  return store_film (db, movie_id, sqlite3_changes (db->handle) > 0 ?
      CATALOG_STATUS_FOUND : NULL, NULL, NULL, frames, length, error);
}

gboolean
catalog_db_add_palette (CatalogDb * db, gint64 movie_id, JsonObject * record,
    gint64 frames, gint64 length, GError ** error)
{
  gboolean own_transaction = sqlite3_get_autocommit (db->handle);

  if (own_transaction && !catalog_db_begin (db, error))
    return FALSE;
  if (!add_palette (db, movie_id, record, frames, length, error)) {
    if (own_transaction)
      catalog_db_rollback (db);
    return FALSE;
  }
  return !own_transaction || catalog_db_commit (db, error);
}

/* ATTEMPTS: how many there were, or 0 for one more than the catalog
 * counted. */
static gboolean
store_failure (CatalogDb * db, gint64 movie_id, const gchar * reason,
    gboolean retry, guint attempts, const gchar * date, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT INTO gp_films (movie_id, ours,"
      " error, retry, attempts, last_attempt)"
      " VALUES (?1, 0, ?2, ?3, max (?4, 1), ?5)"
      " ON CONFLICT (movie_id) DO UPDATE SET error = ?2, retry = ?3,"
      " attempts = CASE WHEN ?4 > 0 THEN ?4 ELSE attempts + 1 END,"
      " last_attempt = ?5", error);
  gchar *status;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  bind_text (stmt, 2, reason);
  sqlite3_bind_int (stmt, 3, retry);
  sqlite3_bind_int (stmt, 4, attempts);
  bind_text (stmt, 5, date);
  if (!run_stmt (db, stmt, "cannot record the failure", error))
    return FALSE;
  status = g_strconcat ("Error: ", reason, NULL);
  ok = store_film (db, movie_id, status, NULL, NULL, -1, -1, error);
  g_free (status);
  return ok;
}

gboolean
catalog_db_set_failed (CatalogDb * db, gint64 movie_id, const gchar * reason,
    gboolean retry, GError ** error)
{
  gboolean own_transaction = sqlite3_get_autocommit (db->handle);
  gchar *now = catalog_now_iso8601 ();
  gboolean ok;

  if (own_transaction && !catalog_db_begin (db, error)) {
    g_free (now);
    return FALSE;
  }
  ok = store_failure (db, movie_id, reason, retry, 0, now, error);
  g_free (now);
  if (!ok) {
    if (own_transaction)
      catalog_db_rollback (db);
    return FALSE;
  }
  return !own_transaction || catalog_db_commit (db, error);
}

GPtrArray *
catalog_db_list_films (CatalogDb * db, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT " FILM_COLUMNS
      " FROM movies m LEFT JOIN gp_films g ON g.movie_id = m.id"
      " ORDER BY m.title, m.year, m.id", error);
  GPtrArray *films;
  gint rc;

  if (stmt == NULL)
    return NULL;
  films = g_ptr_array_new_with_free_func ((GDestroyNotify) catalog_film_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_ptr_array_add (films, read_film (stmt));
  }
  release (stmt);
  if (rc != SQLITE_DONE) {
    set_db_error (db, error, "cannot read the catalog");
    g_ptr_array_unref (films);
    return NULL;
  }
  return films;
}

/* --- rows, to the palette record ---------------------------------------- */

static void
set_column (JsonObject * record, const gchar * name, sqlite3_stmt * stmt,
    gint index)
{
  switch (sqlite3_column_type (stmt, index)) {
    case SQLITE_INTEGER:
      json_object_set_int_member (record, name,
          sqlite3_column_int64 (stmt, index));
      break;
    case SQLITE_FLOAT:
      json_object_set_double_member (record, name,
          sqlite3_column_double (stmt, index));
      break;
    case SQLITE_NULL:
      json_object_set_null_member (record, name);
      break;
    default:
      json_object_set_string_member (record, name,
          (const gchar *) sqlite3_column_text (stmt, index));
  }
}

static void
set_bool_column (JsonObject * record, const gchar * name,
    sqlite3_stmt * stmt, gint index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    json_object_set_null_member (record, name);
  else
    json_object_set_boolean_member (record, name,
        sqlite3_column_int (stmt, index) != 0);
}

static JsonNode *
parse_json (const gchar * text)
{
  JsonParser *parser;
  JsonNode *node = NULL;

  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, text, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    node = json_node_copy (json_parser_get_root (parser));
  g_object_unref (parser);
  return node;
}

static void
set_json_column (JsonObject * record, const gchar * name,
    sqlite3_stmt * stmt, gint index, gboolean keep_null)
{
  JsonNode *node = parse_json ((const gchar *) sqlite3_column_text (stmt,
          index));

  if (node != NULL)
    json_object_set_member (record, name, node);
  else if (keep_null)
    json_object_set_null_member (record, name);
}

/* The shortest decimal that reads back as the same float32 (6 to 9
 * digits): a float printed as a double, 0.20993100106716156, is a third
 * more text in a JSON file than 0.209931. BUF: G_ASCII_DTOSTR_BUF_SIZE. */
static const gchar *
format_share (gchar * buf, gfloat share)
{
  gint digits;

  for (digits = 6; digits <= 9; digits++) {
    gchar format[8];

    g_snprintf (format, sizeof (format), "%%.%dg", digits);
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, share);
    if ((gfloat) g_ascii_strtod (buf, NULL) == share)
      break;
  }
  return buf;
}

static JsonNode *
read_fingerprint (sqlite3_stmt * stmt, gint first)
{
  guint n = sqlite3_column_int (stmt, first);
  guint k = sqlite3_column_int (stmt, first + 1);
  const guint8 *ts = sqlite3_column_blob (stmt, first + 2);
  guint ts_bytes = sqlite3_column_bytes (stmt, first + 2);
  const guint8 *rgb = sqlite3_column_blob (stmt, first + 3);
  guint rgb_bytes = sqlite3_column_bytes (stmt, first + 3);
  const guint8 *w = sqlite3_column_blob (stmt, first + 4);
  guint w_bytes = sqlite3_column_bytes (stmt, first + 4);
  JsonArray *timestamps, *colors, *weights;
  JsonObject *fp;
  JsonNode *node;
  guint i, j;

  /* a row that does not add up is not drawn from */
  if (ts_bytes != n * sizeof (gdouble) || rgb_bytes != n * k * 3 ||
      w_bytes != n * k * sizeof (gfloat))
    return NULL;
  timestamps = json_array_sized_new (n);
  colors = json_array_sized_new (n);
  weights = json_array_sized_new (n);
  for (i = 0; i < n; i++) {
    JsonArray *frame = json_array_sized_new (k);
    JsonArray *frame_weights = json_array_sized_new (k);

    json_array_add_double_element (timestamps,
        get_double_le (ts + i * sizeof (gdouble)));
    for (j = 0; j < k; j++) {
      guint32 bits;
      gfloat share;
      gchar digits[G_ASCII_DTOSTR_BUF_SIZE];
      JsonArray *c;

      memcpy (&bits, w + (i * k + j) * sizeof (gfloat), sizeof (gfloat));
      bits = GUINT32_FROM_LE (bits);
      memcpy (&share, &bits, sizeof (gfloat));
      if (share <= 0.0f)
        continue;
      c = json_array_sized_new (3);
      json_array_add_int_element (c, rgb[(i * k + j) * 3]);
      json_array_add_int_element (c, rgb[(i * k + j) * 3 + 1]);
      json_array_add_int_element (c, rgb[(i * k + j) * 3 + 2]);
      json_array_add_array_element (frame, c);
      /* the shortest decimal of the float (see format_share) */
      json_array_add_double_element (frame_weights,
          g_ascii_strtod (format_share (digits, share), NULL));
    }
    json_array_add_array_element (colors, frame);
    json_array_add_array_element (weights, frame_weights);
  }
  fp = json_object_new ();
  json_object_set_array_member (fp, "timestamps", timestamps);
  json_object_set_array_member (fp, "colors", colors);
  json_object_set_array_member (fp, "weights", weights);
  node = json_node_init_object (json_node_alloc (), fp);
  json_object_unref (fp);
  return node;
}

static JsonObject *
read_palette (sqlite3_stmt * stmt, gboolean with_fingerprint)
{
  JsonObject *record = json_object_new ();
  /* legacy rows (the notebook's) have no gp_palettes row */
  gboolean ours = sqlite3_column_type (stmt, 19) != SQLITE_NULL;
  JsonObject *resize;

  set_column (record, "id", stmt, 0);
  set_bool_column (record, "active", stmt, 26);
  set_column (record, "calculation_date", stmt, 1);
  set_column (record, "calculation_duration_seconds", stmt, 2);
  set_column (record, "runtime", stmt, 3);
  set_column (record, "clustering_method", stmt, 4);
  if (ours)
    set_column (record, "color_space", stmt, 15);
  set_bool_column (record, "is_black_and_white", stmt, 5);
  set_column (record, "clusters_nb", stmt, 6);
  set_column (record, "frame_skip", stmt, 7);
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL ||
      sqlite3_column_type (stmt, 9) != SQLITE_NULL) {
    resize = json_object_new ();
    set_column (resize, "width", stmt, 8);
    set_column (resize, "height", stmt, 9);
    json_object_set_object_member (record, "resize", resize);
  }
  set_column (record, "batch_size", stmt, 10);
  set_json_column (record, "colors", stmt, 11, TRUE);
  if (ours) {
    set_json_column (record, "weights", stmt, 14, FALSE);
    set_json_column (record, "hex", stmt, 16, FALSE);
    set_column (record, "frames_analyzed", stmt, 17);
    set_column (record, "mean_saturation", stmt, 18);
    set_bool_column (record, "complete", stmt, 19);
    set_json_column (record, "source", stmt, 20, FALSE);
    set_json_column (record, "sampling", stmt, 21, FALSE);
    set_column (record, "seed", stmt, 22);
    set_column (record, "bw_threshold", stmt, 23);
    set_column (record, "engine_version", stmt, 24);
  }
  /* The frontend's own columns that the record has no member for. */
  if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
    set_column (record, "saturation_factor", stmt, 12);
  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    set_column (record, "saturation_threshold", stmt, 13);
  record_add_members (record, (const gchar *) sqlite3_column_text (stmt, 25));
  if (with_fingerprint && sqlite3_column_type (stmt, 27) != SQLITE_NULL) {
    JsonNode *fp = read_fingerprint (stmt, 27);

    if (fp != NULL)
      json_object_set_member (record, "fingerprint", fp);
  }
  return record;
}

GPtrArray *
catalog_db_get_palettes (CatalogDb * db, gint64 movie_id,
    gboolean with_fingerprint, GError ** error)
{
  /* Newest first, as the frontend orders them: by calculation_date as
   * text, then by insertion for equal dates. */
  gchar *sql = g_strdup_printf ("SELECT p.id, p.calculation_date,"
      " p.calculation_duration_seconds, p.runtime, p.clustering_method,"
      " p.is_black_and_white, p.clusters_nb, p.frame_skip, p.resize_width,"
      " p.resize_height, p.batch_size, p.colors, p.saturation_factor,"
      " p.saturation_threshold, gp.weights, gp.color_space, gp.hex,"
      " gp.frames_analyzed, gp.mean_saturation, gp.complete, gp.source,"
      " gp.sampling, gp.seed, gp.bw_threshold, gp.engine_version, gp.extra,"
      " p.active, %s FROM palettes p"
      " LEFT JOIN gp_palettes gp ON gp.palette_id = p.id"
      " %s WHERE p.movie_id = ?"
      " ORDER BY p.calculation_date DESC, p.rowid DESC",
      with_fingerprint ? "f.n_samples, f.n_colors, f.timestamps, f.colors,"
      " f.weights" : "NULL",
      with_fingerprint ? "LEFT JOIN gp_fingerprints f ON f.palette_id = p.id"
      : "");
  sqlite3_stmt *stmt = prepare (db, sql, error);
  GPtrArray *palettes;
  gint rc;

  g_free (sql);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  palettes = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (palettes, read_palette (stmt, with_fingerprint));
  release (stmt);
  if (rc != SQLITE_DONE) {
    set_db_error (db, error, "cannot read the catalog");
    g_ptr_array_unref (palettes);
    return NULL;
  }
  return palettes;
}

gboolean
catalog_db_set_film_extra (CatalogDb * db, gint64 movie_id,
    const gchar * extra, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT INTO gp_films (movie_id, extra)"
      " VALUES (?1, ?2) ON CONFLICT (movie_id) DO UPDATE SET extra = ?2",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  bind_text (stmt, 2, extra);
  return run_stmt (db, stmt, "cannot update the film", error);
}

gchar *
catalog_db_get_setting (CatalogDb * db, const gchar * key)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT value FROM gp_catalog"
      " WHERE key = ?", NULL);
  gchar *value = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_text (stmt, 0);
  release (stmt);
  return value;
}

gboolean
catalog_db_set_setting (CatalogDb * db, const gchar * key,
    const gchar * value, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT INTO gp_catalog (key, value)"
      " VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return run_stmt (db, stmt, "cannot update the catalog", error);
}

gboolean
catalog_db_restore_film (CatalogDb * db, gint64 movie_id, const gchar * type,
    const gchar * added, gint64 frames, gint64 length, GError ** error)
{
  return store_film (db, movie_id, NULL, type, added, frames, length, error);
}

gboolean
catalog_db_restore_failure (CatalogDb * db, gint64 movie_id,
    const gchar * reason, gboolean retry, guint attempts,
    const gchar * last_attempt, GError ** error)
{
  return store_failure (db, movie_id, reason, retry, MAX (attempts, 1),
      last_attempt, error);
}

gint64
catalog_db_get_n_changes (CatalogDb * db)
{
  return sqlite3_total_changes64 (db->handle);
}

/* The fingerprint as JSON text straight from its row: exporting 5,000
 * films through json-glib's tree took 0.1 s a fingerprint. The same text
 * as read_fingerprint's, numbers as record_to_data prints them. */
gchar *
catalog_db_print_fingerprint (CatalogDb * db, const gchar * palette_id)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT n_samples, n_colors,"
      " timestamps, colors, weights FROM gp_fingerprints"
      " WHERE palette_id = ?", NULL);
  GString *text = NULL;
  const guint8 *ts, *rgb, *w;
  guint n, k, i, j, pass;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, palette_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    goto out;
  n = sqlite3_column_int (stmt, 0);
  k = sqlite3_column_int (stmt, 1);
  ts = sqlite3_column_blob (stmt, 2);
  rgb = sqlite3_column_blob (stmt, 3);
  w = sqlite3_column_blob (stmt, 4);
  if ((guint) sqlite3_column_bytes (stmt, 2) != n * sizeof (gdouble) ||
      (guint) sqlite3_column_bytes (stmt, 3) != n * k * 3 ||
      (guint) sqlite3_column_bytes (stmt, 4) != n * k * sizeof (gfloat))
    goto out;
  text = g_string_sized_new (64 + n * (24 + k * 32));
  g_string_append (text, "{\"timestamps\":[");
  for (i = 0; i < n; i++) {
    gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (buf, sizeof (buf), "%.17g", get_double_le (ts + i * 8));
    g_string_append (text, i ? "," : "");
    g_string_append (text, buf);
    if (!strpbrk (buf, ".eEn"))
      g_string_append (text, ".0");
  }
  /* pass 0: the colors, pass 1: their shares; zero shares are padding */
  for (pass = 0; pass < 2; pass++) {
    g_string_append (text, pass ? "],\"weights\":[" : "],\"colors\":[");
    for (i = 0; i < n; i++) {
      gboolean first = TRUE;

      g_string_append (text, i ? ",[" : "[");
      for (j = 0; j < k; j++) {
        const guint8 *c = rgb + (i * k + j) * 3;
        gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
        guint32 bits;
        gfloat share;

        memcpy (&bits, w + (i * k + j) * sizeof (gfloat), sizeof (gfloat));
        bits = GUINT32_FROM_LE (bits);
        memcpy (&share, &bits, sizeof (gfloat));
        if (share <= 0.0f)
          continue;
        g_string_append (text, first ? "" : ",");
        first = FALSE;
        if (pass == 0) {
          g_string_append_printf (text, "[%u,%u,%u]", c[0], c[1], c[2]);
        } else {
          format_share (buf, share);
          g_string_append (text, buf);
          if (!strpbrk (buf, ".eE"))
            g_string_append (text, ".0");
        }
      }
      g_string_append_c (text, ']');
    }
  }
  g_string_append (text, "]}");

out:
  release (stmt);
  return text ? g_string_free (text, FALSE) : NULL;
}

CatalogFilm *
catalog_db_get_film (CatalogDb * db, gint64 movie_id, GError ** error)
{
  return get_film (db, movie_id, error);
}

gboolean
catalog_db_get_claim (CatalogDb * db, gint64 movie_id, gchar ** host,
    gint64 * pid, gint64 * expires, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT host, pid, expires FROM gp_claims"
      " WHERE movie_id = ?", error);
  gint rc;

  *host = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    *host = column_text (stmt, 0);
    *pid = sqlite3_column_int64 (stmt, 1);
    *expires = sqlite3_column_int64 (stmt, 2);
  } else if (rc != SQLITE_DONE) {
    set_db_error (db, error, "cannot read the claims");
  }
  release (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
catalog_db_put_claim (CatalogDb * db, gint64 movie_id, const gchar * host,
    gint64 pid, gint64 expires, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "INSERT OR REPLACE INTO gp_claims"
      " (movie_id, host, pid, claimed_at, expires) VALUES (?, ?, ?, ?, ?)",
      error);
  gchar *now = catalog_now_iso8601 ();

  if (stmt == NULL) {
    g_free (now);
    return FALSE;
  }
  sqlite3_bind_int64 (stmt, 1, movie_id);
  bind_text (stmt, 2, host);
  sqlite3_bind_int64 (stmt, 3, pid);
  bind_text (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, expires);
  g_free (now);
  return run_stmt (db, stmt, "cannot claim the film", error);
}

gboolean
catalog_db_delete_claims (CatalogDb * db, gint64 movie_id,
    const gchar * host, gint64 pid, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "DELETE FROM gp_claims WHERE"
      " (?1 < 0 OR movie_id = ?1) AND host = ?2 AND pid = ?3", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, movie_id);
  bind_text (stmt, 2, host);
  sqlite3_bind_int64 (stmt, 3, pid);
  return run_stmt (db, stmt, "cannot release the claim", error);
}

gboolean
catalog_db_renew_claims (CatalogDb * db, const gchar * host, gint64 pid,
    gint64 expires, GError ** error)
{
  sqlite3_stmt *stmt = prepare (db, "UPDATE gp_claims SET expires = ?1"
      " WHERE host = ?2 AND pid = ?3", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, expires);
  bind_text (stmt, 2, host);
  sqlite3_bind_int64 (stmt, 3, pid);
  return run_stmt (db, stmt, "cannot renew the claims", error);
}
