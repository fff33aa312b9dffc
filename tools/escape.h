/* gst-palette: names from the file system, safe to print on a terminal */
#ifndef GST_PALETTE_ESCAPE_H
#define GST_PALETTE_ESCAPE_H

#include <glib.h>

G_BEGIN_DECLS

/* TEXT with every control character (C0, DEL, C1) and every byte that is
 * not UTF-8 written as an escape (\e, \a, \n, \x9b, ...): a file or folder
 * named "\e]0;...\a" or "\e[2J" cannot retitle or clear the terminal it is
 * shown on, and a newline in a name cannot forge a line. For terminals and
 * messages only: JSON escapes by itself and must get the name unchanged. */
gchar *escape_for_terminal (const gchar * text);

/* The same, for one whole message line: a trailing newline is kept. */
gchar *escape_line_for_terminal (const gchar * line);

G_END_DECLS

#endif
