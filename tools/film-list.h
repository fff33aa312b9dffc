/* gst-palette: the films a run is given by name (--film, --films-from), as
 * folder names relative to the library root, so that a worker of a
 * cluster reads only its own films' folders, never the whole library. */
#ifndef GST_PALETTE_FILM_LIST_H
#define GST_PALETTE_FILM_LIST_H

#include <glib.h>

G_BEGIN_DECLS

/* The folder names in FILENAME ("-": standard input), one per line, or
 * NUL-separated when NUL_SEPARATED (names with a newline in them); empty
 * entries are skipped. Names are bytes, kept as they are. */
GPtrArray *film_list_read (const gchar * filename, gboolean nul_separated,
    GError ** error);

/* ARG as the name of a film folder of LIBRARY_DIR: a bare name ("Alien
 * (1979, Ridley Scott)", a trailing '/' allowed), or a path to a folder
 * right inside LIBRARY_DIR. */
gchar *film_list_name_in_library (const gchar * library_dir,
    const gchar * arg, GError ** error);

G_END_DECLS

#endif
