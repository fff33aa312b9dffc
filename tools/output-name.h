/* gst-palette: the names of a run's -o files, one per film, never shared */
#ifndef GST_PALETTE_OUTPUT_NAME_H
#define GST_PALETTE_OUTPUT_NAME_H

#include <glib.h>

G_BEGIN_DECLS

/* The longest name, in bytes, output_names_claim() gives: with the longest
 * suffix (".fingerprint.png") and atomic-file.c's temporary suffix
 * (".XXXXXX") it stays well under the 255 bytes of a file name. */
#define OUTPUT_NAME_MAX 200

typedef struct _OutputNames OutputNames;

OutputNames *output_names_new (void);
void output_names_free (OutputNames * names);

/* A name for the files of the film called WANTED (a file's stem, a film
 * folder's name), unique in this run:
 * - '/', '\' and ':' become '_';
 * - a name longer than OUTPUT_NAME_MAX bytes is cut (at a character
 *   boundary) and ends in "~" and 8 hex digits of a hash of the whole name,
 *   so that two long names that differ only at their end stay apart;
 * - a name an earlier film of the run has (compared case-folded, for
 *   case-insensitive file systems) gets "-2", "-3", ... in command-line
 *   order, so that the same command names the same film the same way.
 * *RENAMED (may be NULL) tells whether the name differs from WANTED beyond
 * the character replacements. */
gchar *output_names_claim (OutputNames * names, const gchar * wanted,
    gboolean * renamed);

G_END_DECLS

#endif
