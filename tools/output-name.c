/* gst-palette: the names of a run's -o files (see output-name.h). */
#include "output-name.h"

#include <string.h>

struct _OutputNames
{
  GHashTable *taken;            /* case-folded names */
};

#define HASH_SUFFIX_LENGTH 9    /* "~" and 8 hex digits */

OutputNames *
output_names_new (void)
{
  OutputNames *names = g_new0 (OutputNames, 1);

  names->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  return names;
}

void
output_names_free (OutputNames * names)
{
  if (names == NULL)
    return;
  g_hash_table_unref (names->taken);
  g_free (names);
}

/* The longest start of TEXT of at most MAX bytes that does not end inside
 * a UTF-8 character (TEXT need not be UTF-8: file names are bytes). */
static gsize
cut_length (const gchar * text, gsize max)
{
  gsize n = max;

  /* step back over continuation bytes 10xxxxxx to a character's start */
  while (n > 0 && ((guchar) text[n] & 0xc0) == 0x80)
    n--;
  return n;
}

/* WANTED cut to MAX bytes, ending in a hash of the whole of it. */
static gchar *
shorten (const gchar * wanted, gsize max)
{
  gchar *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, wanted,
      -1);
  gsize keep = cut_length (wanted, max - HASH_SUFFIX_LENGTH);
  gchar *name = g_strdup_printf ("%.*s~%.8s", (int) keep, wanted, digest);

  g_free (digest);
  return name;
}

static gchar *
fold (const gchar * name)
{
  if (g_utf8_validate (name, -1, NULL))
    return g_utf8_casefold (name, -1);
  return g_ascii_strdown (name, -1);
}

/* Claims NAME if free; TRUE when it was. */
static gboolean
try_claim (OutputNames * names, const gchar * name)
{
  gchar *key = fold (name);

  if (g_hash_table_contains (names->taken, key)) {
    g_free (key);
    return FALSE;
  }
  g_hash_table_add (names->taken, key);
  return TRUE;
}

gchar *
output_names_claim (OutputNames * names, const gchar * wanted,
    gboolean * renamed)
{
  gchar *safe = g_strdup (*wanted != '\0' ? wanted : "film");
  gchar *name;
  guint n;

  g_strdelimit (safe, "/\\:", '_');
  name = strlen (safe) > OUTPUT_NAME_MAX ? shorten (safe, OUTPUT_NAME_MAX) :
      g_strdup (safe);
  for (n = 2; !try_claim (names, name); n++) {
    gchar *suffix = g_strdup_printf ("-%u", n);
    gsize room = OUTPUT_NAME_MAX - strlen (suffix);
    gchar *base = strlen (safe) > room ? shorten (safe, room) :
        g_strdup (safe);

    g_free (name);
    name = g_strconcat (base, suffix, NULL);
    g_free (base);
    g_free (suffix);
  }
  if (renamed)
    *renamed = strcmp (name, safe) != 0;
  g_free (safe);
  return name;
}
