/* gst-palette: terminal output. Colors and the live progress block only on a
 * TTY; a pipe or a file gets plain, stable lines. */
#include "terminal.h"
#include "record.h"

#include <colorspace.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct _TerminalProgress
{
  FILE *out;
  /* What is on the screen: each line's width in columns, to count the rows
   * it takes once the terminal is narrower (it then rewraps it). */
  GArray *drawn_widths;
  /* The last block, redrawn at once when the terminal is resized. */
  TerminalProgressLine *lines;
  guint n_lines, finished, total;
  guint resize_id;
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
  gint bar_columns;
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
  /* The share bar fits the terminal: 26 columns before it, 40 at most. */
  bar_columns = color ? CLAMP ((gint) terminal_get_width (out) - 27, 0, 40) :
      0;
  for (i = 0; i < palette->n_colors; i++) {
    guint32 c = palette->colors[i];
    double rgb[3];

    palette_rgb_unpack (c, rgb);
    if (color) {
      /* A swatch as wide as the share, after a fixed one to compare hues. */
      guint bar = (guint) (palette->weights[i] * bar_columns + 0.5);
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

static void
forget_lines (TerminalProgress * progress)
{
  guint i;

  for (i = 0; i < progress->n_lines; i++)
    g_free ((gchar *) progress->lines[i].title);
  g_clear_pointer (&progress->lines, g_free);
  progress->n_lines = 0;
}

static void draw (TerminalProgress * progress);

static gboolean
on_resize (gpointer user_data)
{
  TerminalProgress *progress = user_data;

  if (progress->drawn_widths->len > 0)
    draw (progress);
  return G_SOURCE_CONTINUE;
}

TerminalProgress *
terminal_progress_new (FILE * out)
{
  TerminalProgress *progress = g_new0 (TerminalProgress, 1);

  progress->out = out;
  progress->drawn_widths = g_array_new (FALSE, FALSE, sizeof (guint));
  progress->resize_id = g_unix_signal_add (SIGWINCH, on_resize, progress);
  return progress;
}

void
terminal_progress_free (TerminalProgress * progress)
{
  if (progress == NULL)
    return;
  terminal_progress_clear (progress);
  g_source_remove (progress->resize_id);
  forget_lines (progress);
  g_array_unref (progress->drawn_widths);
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

/* The terminal's width in columns: the tty's, else $COLUMNS, else 80. */
guint
terminal_get_width (FILE * stream)
{
  struct winsize size;
  const gchar *columns = g_getenv ("COLUMNS");
  guint64 value;

  if (ioctl (fileno (stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 1, 10000,
          &value, NULL))
    return value;
  return 80;
}

void
terminal_progress_clear (TerminalProgress * progress)
{
  guint width = terminal_get_width (progress->out);
  guint rows = 0, i;

  for (i = 0; i < progress->drawn_widths->len; i++) {
    guint drawn = g_array_index (progress->drawn_widths, guint, i);

    /* A terminal made narrower rewraps a longer line onto more rows. */
    rows += drawn > width ? (drawn + width - 1) / width : 1;
  }
  if (rows > 0) {
    /* Up to the first line of the block, then erase to the end. */
    fprintf (progress->out, "\033[%uA\r\033[J", rows);
    fflush (progress->out);
  }
  g_array_set_size (progress->drawn_widths, 0);
}

/* TITLE in exactly COLUMNS characters: padded, or cut with an ellipsis. */
static gchar *
fit_title (const gchar * title, glong columns)
{
  glong length = g_utf8_strlen (title, -1);

  if (length <= columns) {
    /* Pad to the column width (printf pads bytes, not characters). */
    GString *padded = g_string_new (title);

    for (; length < columns; length++)
      g_string_append_c (padded, ' ');
    return g_string_free (padded, FALSE);
  }
  {
    gchar *cut = g_utf8_substring (title, 0, columns - 1);
    gchar *text = g_strconcat (cut, "…", NULL);

    g_free (cut);
    return text;
  }
}

/* At most COLUMNS characters of TEXT (all of it in one-column characters). */
static void
append_fitted (GString * block, const gchar * text, glong columns,
    GArray * widths)
{
  glong length = g_utf8_strlen (text, -1);
  guint drawn = MIN (length, columns);
  gchar *cut = g_utf8_substring (text, 0, drawn);

  g_string_append (block, cut);
  g_string_append (block, "\033[K\n");
  g_array_append_val (widths, drawn);
  g_free (cut);
}

/* One film's line in at most COLUMNS columns. The parts give way in turn,
 * least useful first: the title shortens, the speed goes, the bar
 * shortens, the title shortens more, the time left goes, the bar goes. */
static gchar *
format_line (const TerminalProgressLine * line, glong columns)
{
  gchar *percent = line->fraction >= 0 ? g_strdup_printf ("%5.1f %%",
      line->fraction * 100.0) : g_strdup ("  ?    ");
  gchar *speed = g_strdup_printf ("  %6.1f fps", line->frames_per_second);
  gchar *eta = NULL, *title, *text;
  glong title_columns = 32, bar_columns = 20, length;
  gboolean with_speed = TRUE, with_eta = line->eta_seconds >= 0;
  guint step = 0;
  GString *bar;

  if (with_eta) {
    gchar *duration = terminal_format_duration (line->eta_seconds);

    eta = g_strdup_printf ("  ETA %s", duration);
    g_free (duration);
  }
  for (;;) {
    length = 2 + title_columns + (bar_columns > 0 ? 3 + bar_columns : 0) +
        1 + strlen (percent) + (with_speed ? strlen (speed) : 0) +
        (with_eta ? strlen (eta) : 0);
    if (length <= columns)
      break;
    if (step == 0 && title_columns > 20)
      title_columns = MAX (20, title_columns - (length - columns));
    else if (step == 1 && with_speed)
      with_speed = FALSE;
    else if (step == 2 && bar_columns > 10)
      bar_columns = MAX (10, bar_columns - (length - columns));
    else if (step == 3 && title_columns > 12)
      title_columns = MAX (12, title_columns - (length - columns));
    else if (step == 4 && with_eta)
      with_eta = FALSE;
    else if (step == 5 && bar_columns > 0)
      bar_columns = 0;
    else if (step == 6 && title_columns > 4)
      title_columns = MAX (4, title_columns - (length - columns));
    else if (step > 6)
      break;                    /* a very narrow terminal: the caller cuts */
    else
      step++;
  }

  title = fit_title (line->title, title_columns);
  bar = g_string_new (NULL);
  if (bar_columns > 0) {
    glong filled = line->fraction > 0 ? (glong) (MIN (line->fraction, 1.0) *
        bar_columns) : 0;
    glong i;

    g_string_append (bar, " [");
    for (i = 0; i < bar_columns; i++)
      g_string_append_c (bar, i < filled ? '#' : '.');
    g_string_append (bar, "]");
  }
  text = g_strdup_printf ("  %s%s %s%s%s", title, bar->str, percent,
      with_speed ? speed : "", with_eta ? eta : "");
  g_string_free (bar, TRUE);
  g_free (title);
  g_free (percent);
  g_free (speed);
  g_free (eta);
  return text;
}

static void
draw (TerminalProgress * progress)
{
  /* The last column is left free: writing there makes some terminals wrap
   * at once, and the block would take one row more than counted. */
  glong columns = MAX ((glong) terminal_get_width (progress->out) - 1, 1);
  GString *block = g_string_new (NULL);
  GArray *widths = g_array_new (FALSE, FALSE, sizeof (guint));
  gchar *text;
  guint i;

  for (i = 0; i < progress->n_lines; i++) {
    text = format_line (&progress->lines[i], columns);
    append_fitted (block, text, columns, widths);
    g_free (text);
  }
  text = g_strdup_printf ("  %u of %u film%s done", progress->finished,
      progress->total, progress->total == 1 ? "" : "s");
  append_fitted (block, text, columns, widths);
  g_free (text);

  terminal_progress_clear (progress);
  fputs (block->str, progress->out);
  fflush (progress->out);
  g_array_unref (progress->drawn_widths);
  progress->drawn_widths = widths;
  g_string_free (block, TRUE);
}

void
terminal_progress_draw (TerminalProgress * progress,
    const TerminalProgressLine * lines, guint n_lines, guint finished,
    guint total)
{
  guint i;

  forget_lines (progress);
  progress->lines = g_new0 (TerminalProgressLine, MAX (n_lines, 1));
  for (i = 0; i < n_lines; i++) {
    progress->lines[i] = lines[i];
    progress->lines[i].title = g_strdup (lines[i].title);
  }
  progress->n_lines = n_lines;
  progress->finished = finished;
  progress->total = total;
  draw (progress);
}
