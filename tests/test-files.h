/* Temporary files of the tests: removing what a test made. */
#ifndef PALETTE_TEST_FILES_H
#define PALETTE_TEST_FILES_H

#include <glib.h>
#include <glib/gstdio.h>

/* Removes path and, if it is a folder, everything in it. A symbolic link is
 * removed, never followed: a test's links may point out of its folder. */
static inline void
remove_tree (const gchar * path)
{
  GDir *dir = g_file_test (path, G_FILE_TEST_IS_SYMLINK) ? NULL :
      g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir == NULL) {
    g_remove (path);
    return;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *child = g_build_filename (path, name, NULL);

    remove_tree (child);
    g_free (child);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

#endif
