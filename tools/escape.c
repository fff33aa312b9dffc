/* gst-palette: names from the file system, safe to print (see escape.h). */
#include "escape.h"

#include <string.h>

static void
append_escaped (GString * out, const gchar * text, gsize length)
{
  const gchar *p = text, *end = text + length;

  while (p < end) {
    guchar c = *p;
    gunichar u;
    const gchar *next;

    if (c < 0x80) {
      switch (c) {
        case '\a':
          g_string_append (out, "\\a");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\v':
          g_string_append (out, "\\v");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case 0x1b:
          g_string_append (out, "\\e");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, c);
      }
      p++;
      continue;
    }
    u = g_utf8_get_char_validated (p, end - p);
    if (u == (gunichar) - 1 || u == (gunichar) - 2) {
      /* not UTF-8: a lone byte, shown as what it is */
      g_string_append_printf (out, "\\x%02x", c);
      p++;
      continue;
    }
    next = g_utf8_next_char (p);
    /* C1 controls (U+0080..U+009F): U+009B is a CSI on some terminals. */
    if (u >= 0x80 && u <= 0x9f)
      g_string_append_printf (out, "\\u%04x", u);
    else
      g_string_append_len (out, p, next - p);
    p = next;
  }
}

gchar *
escape_for_terminal (const gchar * text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  append_escaped (out, text, strlen (text));
  return g_string_free (out, FALSE);
}

gchar *
escape_line_for_terminal (const gchar * line)
{
  gsize length = strlen (line);
  gboolean newline = length > 0 && line[length - 1] == '\n';
  GString *out = g_string_sized_new (length);

  append_escaped (out, line, newline ? length - 1 : length);
  if (newline)
    g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
