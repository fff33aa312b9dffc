/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One way of writing an output file, for the record, the images and the
 * catalogs: written to a new temporary file beside it ("PATH.XXXXXX",
 * created with O_EXCL, so never through a link planted there), flushed to
 * disk, then renamed over PATH. A reader, a crash or a full disk leaves the
 * old file or the new one, never half of one; a link at PATH is replaced,
 * not followed. GLib only, so that the command line shares it. */
#ifndef __ATOMIC_FILE_H__
#define __ATOMIC_FILE_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AtomicFile AtomicFile;

/* Creates the temporary file for PATH; NULL (and ERROR) when its folder
 * cannot take one. */
AtomicFile *atomic_file_new (const gchar * path, GError ** error);

/* Appends; the first failure is kept and reported by commit. */
void atomic_file_write (AtomicFile * file, const void *data, gsize length);

/* Flushes, closes and renames over PATH, and frees FILE; on failure removes
 * the temporary file and leaves PATH as it was. */
gboolean atomic_file_commit (AtomicFile * file, GError ** error);

/* Removes the temporary file and frees FILE. */
void atomic_file_abort (AtomicFile * file);

/* The whole of it at once: new, write, commit. */
gboolean atomic_file_set_contents (const gchar * path, const gchar * data,
    gsize length, GError ** error);

G_END_DECLS

#endif /* __ATOMIC_FILE_H__ */
