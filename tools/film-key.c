/* gst-palette: a film's key (see film-key.h) */
#include "film-key.h"

#include <string.h>

#define STEM_READABLE_BYTES 80

static void
digest (const gchar * name, guint8 out[32])
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize length = 32;

  g_checksum_update (checksum, (const guchar *) name, strlen (name));
  g_checksum_get_digest (checksum, out, &length);
  g_checksum_free (checksum);
}

static gboolean
parse_number (const gchar * text, guint64 max, guint64 * value)
{
  return text != NULL && *text != '\0' &&
      g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

gboolean
film_key_parse_shard (const gchar * text, guint * index, guint * count,
    GError ** error)
{
  const gchar *slash = strchr (text, '/');
  const gchar *from = NULL, *index_text;
  gchar *head = NULL;
  guint64 k, n;
  gboolean ok;

  if (slash != NULL) {
    head = g_strndup (text, slash - text);
    index_text = head;
    ok = parse_number (slash + 1, G_MAXUINT, &n);
  } else {
    index_text = g_getenv (from = "SLURM_ARRAY_TASK_ID");
    if (index_text == NULL)
      index_text = g_getenv (from = "JOB_COMPLETION_INDEX");
    ok = parse_number (text, G_MAXUINT, &n);
  }
  if (!ok || n == 0) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--shard takes K/N (shard K of N, counted from 0) or N, not \"%s\"",
        text);
    g_free (head);
    return FALSE;
  }
  if (index_text == NULL) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--shard %s: which shard? Give K/N, or set SLURM_ARRAY_TASK_ID or "
        "JOB_COMPLETION_INDEX", text);
    return FALSE;
  }
  if (!parse_number (index_text, n - 1, &k)) {
    if (from != NULL)
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--shard %s: %s is \"%s\", not a shard from 0 to %" G_GUINT64_FORMAT
          " (give the array indices 0-%" G_GUINT64_FORMAT ")", text, from,
          index_text, n - 1, n - 1);
    else
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--shard %s: K must be from 0 to %" G_GUINT64_FORMAT, text, n - 1);
    g_free (head);
    return FALSE;
  }
  *index = k;
  *count = n;
  g_free (head);
  return TRUE;
}

gboolean
film_key_in_shard (const gchar * name, guint index, guint count)
{
  guint8 sum[32];
  guint64 value = 0;
  guint i;

  digest (name, sum);
  for (i = 0; i < 8; i++)
    value = (value << 8) | sum[i];
  return value % count == index;
}

gchar *
film_key_file_stem (const gchar * name)
{
  gchar *shown = g_utf8_make_valid (name, -1);
  GString *stem = g_string_new (NULL);
  guint8 sum[32];
  const gchar *p;
  guint i;

  for (p = shown; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    gsize before = stem->len;

    if (c == '/' || c == '\\' || g_unichar_iscntrl (c) ||
        (stem->len == 0 && c == '.'))
      g_string_append_c (stem, '_');
    else
      g_string_append_unichar (stem, c);
    /* whole characters only */
    if (stem->len > STEM_READABLE_BYTES) {
      g_string_truncate (stem, before);
      break;
    }
  }
  digest (name, sum);
  g_string_append_c (stem, '.');
  for (i = 0; i < 8; i++)
    g_string_append_printf (stem, "%02x", sum[i]);
  g_free (shown);
  return g_string_free (stem, FALSE);
}
