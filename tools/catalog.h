/* gst-palette: the film catalog (the seed notebook's JSON shape) */
#ifndef GST_PALETTE_CATALOG_H
#define GST_PALETTE_CATALOG_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CATALOG_STATUS_NO_FILE "No movie file found"
#define CATALOG_STATUS_MANY_FILES "More than 1 video file found:"

#define CATALOG_STATUS_FOUND "Movie file found"

/* What a film folder name and its content say about the film. Names are
 * kept twice: the file name's own bytes, which open the file whatever its
 * encoding, and a valid UTF-8 form for catalogs and messages. */
typedef struct
{
  gchar *title;                 /* UTF-8 */
  gchar *year;                  /* NULL when the name has none */
  gchar *director;              /* NULL when the name has none */
  gchar *file;                  /* the one video file relative to the library
                                 * root ("Folder/film.mkv", file name bytes),
                                 * or NULL */
  gchar *display_path;          /* FILE in UTF-8, or NULL */
  gchar *full_path;             /* library root + FILE, to open it, or NULL */
  gchar *status;                /* "Movie file found", or why the folder has
                                 * no usable file */
  gchar *name;                  /* the folder's name, file name bytes */
} CatalogFolder;

void catalog_folder_free (CatalogFolder * folder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CatalogFolder, catalog_folder_free);

/* Splits a whole name "Title (Year, Director)" or "Title (Year)"; any other
 * name ("Alien (1979) Director's Cut") is all title. */
void catalog_parse_folder_name (const gchar * name, gchar ** title,
    gchar ** year, gchar ** director);

gboolean catalog_is_video_file (const gchar * filename);

/* Reads the film folder NAME of LIBRARY_DIR: its name and its one video
 * file, or the seed's status text when it has none or several. */
CatalogFolder *catalog_folder_scan (const gchar * library_dir,
    const gchar * name, GError ** error);

/* The names of the film folders of a library folder, sorted, without
 * reading inside them. */
GPtrArray *catalog_list_folder_names (const gchar * library_dir,
    GError ** error);

/* Lists the film folders of a library folder, sorted by name. */
GPtrArray *catalog_scan_library (const gchar * library_dir, GError ** error);

typedef struct _Catalog Catalog;

Catalog *catalog_new (void);
/* A missing file gives an empty catalog; a damaged or foreign one an error. */
Catalog *catalog_load (const gchar * filename, GError ** error);
Catalog *catalog_load_from_data (const gchar * data, gssize length,
    const gchar * name, GError ** error);
void catalog_free (Catalog * catalog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Catalog, catalog_free);

/* Adds or refreshes the film of FOLDER (matched by title and year); keeps
 * its palette history and any member it does not know. */
JsonObject *catalog_update_folder (Catalog * catalog,
    const CatalogFolder * folder);

/* Appends MOVIE (taken) as it is: the caller built it whole. */
void catalog_add_movie (Catalog * catalog, JsonObject * movie);
/* The catalog's top-level object ("last_updated", "movies", and any
 * member a catalog file had besides). */
JsonObject *catalog_get_root (Catalog * catalog);

guint catalog_get_n_movies (Catalog * catalog);
JsonObject *catalog_get_movie (Catalog * catalog, guint index);
JsonObject *catalog_find_movie (Catalog * catalog, const gchar * title);
guint catalog_movie_n_palettes (JsonObject * movie);
/* The year as text: the notebook writes strings, hand-edited catalogs
 * numbers. NULL when there is none. */
gchar *catalog_movie_dup_year (JsonObject * movie);

/* Appends RECORD (taken) to the film's palettes and sets frames/length;
 * FRAMES or LENGTH < 0 leave null. */
void catalog_movie_add_palette (JsonObject * movie, JsonObject * record,
    gint64 frames, gint64 length);
void catalog_movie_set_status (JsonObject * movie, const gchar * status);

/* Sorts the films by title, stamps last_updated and replaces the file
 * atomically (temporary file, fsync, rename). */
gboolean catalog_save (Catalog * catalog, const gchar * filename,
    GError ** error);
gchar *catalog_to_data (Catalog * catalog, gsize * length);

/* "2026-11-25T08:00:00.123456+00:00", as Python's isoformat() writes it */
gchar *catalog_now_iso8601 (void);

G_END_DECLS

#endif
