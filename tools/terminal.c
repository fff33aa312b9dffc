/* gst-palette: terminal output. Colors and the live progress block only on a
 * TTY; a pipe or a file gets plain, stable lines. */
#include "terminal.h"
#include "record.h"

#include <colorspace.h>
#include <string.h>
#include <unistd.h>

struct _TerminalProgress
{
  FILE *out;
  guint drawn_lines;
};

gboolean
terminal_is_tty (FILE * stream)
{
  return isatty (fileno (stream));
}

gboolean
terminal_print_palette (FILE * out, JsonObject * record,
    const gchar * heading, gboolean color, GError ** error)
{
  RecordPalette *palette = record_get_palette (record, error);
  guint i;

  if (palette == NULL)
    return FALSE;
  if (heading != NULL) {
    gint64 frames = json_object_get_int_member_with_default (record,
        "frames_analyzed", 0);
    gboolean bw = json_object_get_boolean_member_with_default (record,
        "is_black_and_white", FALSE);

    fprintf (out, "%s: %u %s from %" G_GINT64_FORMAT " frame%s\n", heading,
        palette->n_colors, bw ? (palette->n_colors == 1 ? "gray level "
            "(black and white)" : "gray levels (black and white)") :
        palette->n_colors == 1 ? "color" : "colors",
        frames, frames == 1 ? "" : "s");
  }
  for (i = 0; i < palette->n_colors; i++) {
    guint32 c = palette->colors[i];
    double rgb[3];

    palette_rgb_unpack (c, rgb);
    if (color) {
      /* A swatch as wide as the share, after a fixed one to compare hues. */
      guint bar = (guint) (palette->weights[i] * 40 + 0.5);
      gchar *share_bar = g_strnfill (bar, ' ');

      fprintf (out, "  \033[48;2;%u;%u;%um      \033[0m  #%06x  %5.1f %%  "
          "\033[48;2;%u;%u;%um%s\033[0m\n", (unsigned) rgb[0], (unsigned) rgb[1],
          (unsigned) rgb[2], c, palette->weights[i] * 100.0, (unsigned) rgb[0],
          (unsigned) rgb[1], (unsigned) rgb[2], share_bar);
      g_free (share_bar);
    } else {
      fprintf (out, "  #%06x  %5.1f %%\n", c, palette->weights[i] * 100.0);
    }
  }
  fflush (out);
  record_palette_free (palette);
  return TRUE;
}

TerminalProgress *
terminal_progress_new (FILE * out)
{
  TerminalProgress *progress = g_new0 (TerminalProgress, 1);

  progress->out = out;
  return progress;
}

void
terminal_progress_free (TerminalProgress * progress)
{
  if (progress == NULL)
    return;
  terminal_progress_clear (progress);
  g_free (progress);
}

gchar *
terminal_format_duration (gdouble seconds)
{
  guint s = (guint) (seconds + 0.5);

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

void
terminal_progress_clear (TerminalProgress * progress)
{
  if (progress->drawn_lines > 0) {
    /* Up to the first line of the block, then erase to the end. */
    fprintf (progress->out, "\033[%uA\r\033[J", progress->drawn_lines);
    fflush (progress->out);
  }
  progress->drawn_lines = 0;
}

static gchar *
ellipsize (const gchar * title, glong max_chars)
{
  if (g_utf8_strlen (title, -1) <= max_chars) {
    /* Pad to the column width (printf pads bytes, not characters). */
    GString *padded = g_string_new (title);
    glong n;

    for (n = g_utf8_strlen (title, -1); n < max_chars; n++)
      g_string_append_c (padded, ' ');
    return g_string_free (padded, FALSE);
  }
  {
    gchar *cut = g_utf8_substring (title, 0, max_chars - 1);
    gchar *text = g_strconcat (cut, "…", NULL);

    g_free (cut);
    return text;
  }
}

void
terminal_progress_draw (TerminalProgress * progress,
    const TerminalProgressLine * lines, guint n_lines, guint finished,
    guint total)
{
  GString *block = g_string_new (NULL);
  guint i;

  for (i = 0; i < n_lines; i++) {
    const TerminalProgressLine *line = &lines[i];
    gchar *title = ellipsize (line->title, 32);
    gchar bar[21];
    guint filled = line->fraction > 0 ? (guint) (line->fraction * 20) : 0;

    memset (bar, '#', MIN (filled, 20));
    memset (bar + MIN (filled, 20), '.', 20 - MIN (filled, 20));
    bar[20] = '\0';
    g_string_append_printf (block, "  %s [%s] ", title, bar);
    if (line->fraction >= 0)
      g_string_append_printf (block, "%5.1f %%", line->fraction * 100.0);
    else
      g_string_append (block, "  ?   ");
    g_string_append_printf (block, "  %6.1f fps", line->frames_per_second);
    if (line->eta_seconds >= 0) {
      gchar *eta = terminal_format_duration (line->eta_seconds);

      g_string_append_printf (block, "  ETA %s", eta);
      g_free (eta);
    }
    g_string_append (block, "\033[K\n");
    g_free (title);
  }
  g_string_append_printf (block, "  %u of %u films done\033[K\n", finished,
      total);

  terminal_progress_clear (progress);
  fputs (block->str, progress->out);
  fflush (progress->out);
  progress->drawn_lines = n_lines + 1;
  g_string_free (block, TRUE);
}
