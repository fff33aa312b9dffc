/* Temporary files of the tests: removing what a test made. */
#ifndef PALETTE_TEST_FILES_H
#define PALETTE_TEST_FILES_H

#include <glib.h>
#include <glib/gstdio.h>
#include <time.h>
#include <utime.h>

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

/* DIR/NAME with a few bytes, last modified AGE seconds ago (stale-file
 * tests tell old temporaries from fresh ones by that). */
static inline void
make_aged_file (const gchar * dir, const gchar * name, gint64 age)
{
  gchar *path = g_build_filename (dir, name, NULL);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  times.actime = times.modtime = time (NULL) - age;
  g_assert_cmpint (utime (path, &times), ==, 0);
  g_free (path);
}

/* Whether DIR/NAME exists; a dangling symbolic link counts. */
static inline gboolean
exists_in (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gboolean exists = g_file_test (path, G_FILE_TEST_EXISTS |
      G_FILE_TEST_IS_SYMLINK);

  g_free (path);
  return exists;
}

#endif
