/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Output files replaced whole (see atomic-file.h). */
#include "atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _AtomicFile
{
  gchar *path;
  gchar *temporary;
  gint fd;
  gint saved_errno;             /* 0 while every write succeeded */
};

/* PATH.XXXXXX, in the same folder so that the rename is atomic; a name too
 * long for that (a file name has at most NAME_MAX bytes) is shortened, as
 * the temporary's name matters to nobody. */
static gchar *
atomic_file_temporary_name (const gchar * path)
{
  const gchar *base = strrchr (path, '/');
  gsize base_length = strlen (base ? base + 1 : path);
  const gsize suffix = strlen (".XXXXXX");

  if (base_length + suffix <= NAME_MAX)
    return g_strdup_printf ("%s.XXXXXX", path);
  return g_strdup_printf ("%.*s.XXXXXX",
      (gint) (strlen (path) - (base_length + suffix - NAME_MAX)), path);
}

AtomicFile *
atomic_file_new (const gchar * path, GError ** error)
{
  AtomicFile *file = g_new0 (AtomicFile, 1);

  file->path = g_strdup (path);
  file->temporary = atomic_file_temporary_name (path);
  file->fd = g_mkstemp_full (file->temporary, O_WRONLY | O_CLOEXEC, 0666);
  if (file->fd < 0) {
    gint saved_errno = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "cannot create a file next to \"%s\": %s", path,
        g_strerror (saved_errno));
    g_free (file->temporary);
    g_free (file->path);
    g_free (file);
    return NULL;
  }
  return file;
}

void
atomic_file_write (AtomicFile * file, const void *data, gsize length)
{
  const gchar *p = data;

  while (length > 0 && file->saved_errno == 0) {
    gssize n = write (file->fd, p, length);

    if (n < 0) {
      if (errno != EINTR)
        file->saved_errno = errno;
      continue;
    }
    p += n;
    length -= n;
  }
}

static void
atomic_file_free (AtomicFile * file)
{
  g_free (file->temporary);
  g_free (file->path);
  g_free (file);
}

gboolean
atomic_file_commit (AtomicFile * file, GError ** error)
{
  gint saved_errno = file->saved_errno;

  /* durable before it is visible: a crash after the rename must not leave
   * an empty file where the old one was */
  if (saved_errno == 0 && fsync (file->fd) != 0)
    saved_errno = errno;
  if (close (file->fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  if (saved_errno == 0 && g_rename (file->temporary, file->path) != 0)
    saved_errno = errno;
  if (saved_errno != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "cannot write \"%s\": %s", file->path, g_strerror (saved_errno));
    g_unlink (file->temporary);
  }
  atomic_file_free (file);
  return saved_errno == 0;
}

void
atomic_file_abort (AtomicFile * file)
{
  close (file->fd);
  g_unlink (file->temporary);
  atomic_file_free (file);
}

gboolean
atomic_file_set_contents (const gchar * path, const gchar * data,
    gsize length, GError ** error)
{
  AtomicFile *file = atomic_file_new (path, error);

  if (file == NULL)
    return FALSE;
  atomic_file_write (file, data, length);
  return atomic_file_commit (file, error);
}
