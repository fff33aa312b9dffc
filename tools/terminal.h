/* gst-palette: terminal output (palette listing, progress display) */
#ifndef GST_PALETTE_TERMINAL_H
#define GST_PALETTE_TERMINAL_H

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean terminal_is_tty (FILE * stream);
/* The width of the terminal STREAM writes to, in columns. */
guint terminal_get_width (FILE * stream);

/* Hex and shares, one color a line; with COLOR, a 24-bit ANSI swatch too. */
gboolean terminal_print_palette (FILE * out, JsonObject * record,
    const gchar * heading, gboolean color, GError ** error);

typedef struct
{
  const gchar *title;
  gdouble fraction;             /* < 0 unknown */
  gdouble frames_per_second;
  gdouble eta_seconds;          /* < 0 unknown */
} TerminalProgressLine;

typedef struct _TerminalProgress TerminalProgress;

TerminalProgress *terminal_progress_new (FILE * out);
void terminal_progress_free (TerminalProgress * progress);
/* Redraws the block: one line per running film and an overall count, each
 * within the terminal's width; redrawn at once when the terminal is resized
 * (SIGWINCH, through the default main context). */
void terminal_progress_draw (TerminalProgress * progress,
    const TerminalProgressLine * lines, guint n_lines, guint finished,
    guint total);
/* Removes the block so that ordinary output can follow. */
void terminal_progress_clear (TerminalProgress * progress);

gchar *terminal_format_duration (gdouble seconds);

G_END_DECLS

#endif
