/* gst-palette: films given by name (see film-list.h) */
#include "film-list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gboolean
read_stream (FILE * stream, GByteArray * bytes)
{
  guint8 buffer[65536];
  gsize n;

  while ((n = fread (buffer, 1, sizeof (buffer), stream)) > 0)
    g_byte_array_append (bytes, buffer, n);
  return !ferror (stream);
}

GPtrArray *
film_list_read (const gchar * filename, gboolean nul_separated,
    GError ** error)
{
  GByteArray *bytes = g_byte_array_new ();
  GPtrArray *names;
  const gchar *p, *end;
  gchar separator = nul_separated ? '\0' : '\n';

  if (strcmp (filename, "-") == 0) {
    if (!read_stream (stdin, bytes)) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
          "--films-from -: cannot read standard input: %s",
          g_strerror (errno));
      g_byte_array_unref (bytes);
      return NULL;
    }
  } else {
    gchar *data;
    gsize length;

    if (!g_file_get_contents (filename, &data, &length, error)) {
      g_prefix_error (error, "--films-from: ");
      g_byte_array_unref (bytes);
      return NULL;
    }
    g_byte_array_append (bytes, (const guint8 *) data, length);
    g_free (data);
  }

  names = g_ptr_array_new_with_free_func (g_free);
  p = (const gchar *) bytes->data;
  end = p + bytes->len;
  while (p < end) {
    const gchar *stop = memchr (p, separator, end - p);
    gsize length;

    if (stop == NULL)
      stop = end;
    length = stop - p;
    /* a list written on Windows, or by a shell's echo with CRLF */
    if (!nul_separated && length > 0 && p[length - 1] == '\r')
      length--;
    if (length > 0)
      g_ptr_array_add (names, g_strndup (p, length));
    p = stop + 1;
  }
  g_byte_array_unref (bytes);
  return names;
}

gchar *
film_list_name_in_library (const gchar * library_dir, const gchar * arg,
    GError ** error)
{
  gchar *name = g_strdup (arg);
  gsize length = strlen (name);
  gchar *parent, *parent_real, *library_real;
  gboolean inside;

  while (length > 1 && name[length - 1] == '/')
    name[--length] = '\0';
  if (strchr (name, '/') == NULL) {
    if (length == 0 || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
      goto not_a_film;
    return name;
  }
  parent = g_path_get_dirname (name);
  parent_real = realpath (parent, NULL);
  library_real = realpath (library_dir, NULL);
  inside = parent_real != NULL && library_real != NULL &&
      strcmp (parent_real, library_real) == 0;
  free (parent_real);
  free (library_real);
  g_free (parent);
  if (inside) {
    gchar *base = g_path_get_basename (name);

    g_free (name);
    return base;
  }

not_a_film:
  {
    gchar *shown = g_filename_display_name (arg);
    gchar *library_shown = g_filename_display_name (library_dir);

    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "\"%s\" is not a film folder of %s: give the folder's name, or its "
        "path in the library", shown, library_shown);
    g_free (shown);
    g_free (library_shown);
  }
  g_free (name);
  return NULL;
}
