/* gst-palette command line tests: reading a catalog with libsqlite3, as
 * the seed author's frontend would. */
#ifndef GST_PALETTE_CLI_DB_H
#define GST_PALETTE_CLI_DB_H

#include <glib.h>
#include <sqlite3.h>
#include <stdarg.h>

static inline sqlite3 *
db_open (const gchar * path, gboolean read_only)
{
  sqlite3 *db = NULL;
  gchar *uri = g_strdup_printf ("file:%s%s", path,
      read_only ? "?mode=ro" : "");
  gint rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_URI | (read_only ?
          SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE), NULL);

  if (rc != SQLITE_OK)
    g_error ("cannot open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  g_free (uri);
  return db;
}

static inline sqlite3_stmt *
db_prepare_va (sqlite3 * db, const gchar * format, va_list args)
{
  gchar *sql = sqlite3_vmprintf (format, args);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_free (sql);
  return stmt;
}

static inline sqlite3_stmt *
db_prepare (sqlite3 * db, const gchar * format, ...)
{
  va_list args;
  sqlite3_stmt *stmt;

  va_start (args, format);
  stmt = db_prepare_va (db, format, args);
  va_end (args);
  return stmt;
}

/* The first column of the first row as an integer (-1: no row). Formats
 * with sqlite3_mprintf: %Q quotes a string. */
static inline gint64
db_int (sqlite3 * db, const gchar * format, ...)
{
  va_list args;
  sqlite3_stmt *stmt;
  gint64 value = -1;
  gint rc;

  va_start (args, format);
  stmt = db_prepare_va (db, format, args);
  va_end (args);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("%s: %s", sqlite3_sql (stmt), sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return value;
}

/* The first column of the first row as text, NULL for NULL or no row. */
static inline gchar *
db_text (sqlite3 * db, const gchar * format, ...)
{
  va_list args;
  sqlite3_stmt *stmt;
  gchar *value = NULL;

  va_start (args, format);
  stmt = db_prepare_va (db, format, args);
  va_end (args);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strndup ((const gchar *) sqlite3_column_blob (stmt, 0),
        sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static inline void
db_exec (sqlite3 * db, const gchar * sql)
{
  gchar *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Every row SQL gives, its columns joined with '|', one row a line. */
static inline gchar *
db_dump (sqlite3 * db, const gchar * sql)
{
  sqlite3_stmt *stmt = db_prepare (db, "%s", sql);
  GString *dump = g_string_new (NULL);
  gint i;

  while (sqlite3_step (stmt) == SQLITE_ROW) {
    for (i = 0; i < sqlite3_column_count (stmt); i++) {
      const guchar *text = sqlite3_column_text (stmt, i);

      g_string_append_printf (dump, "%s|", text ? (const gchar *) text :
          "NULL");
    }
    g_string_append_c (dump, '\n');
  }
  sqlite3_finalize (stmt);
  return g_string_free (dump, FALSE);
}

#endif
