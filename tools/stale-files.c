/* gst-palette: temporaries a killed run left behind (see stale-files.h). */
#include "stale-files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

guint
stale_files_remove (const gchar * dir, const gchar * pattern,
    gint64 min_age_seconds)
{
  GRegex *regex = g_regex_new (pattern, G_REGEX_RAW, 0, NULL);
  GDir *folder;
  const gchar *name;
  time_t now = time (NULL);
  guint removed = 0;
  gint dir_fd;

  g_return_val_if_fail (regex != NULL, 0);
  folder = g_dir_open (dir, 0, NULL);
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  while (folder != NULL && dir_fd >= 0 &&
      (name = g_dir_read_name (folder)) != NULL) {
    struct stat st;

    if (!g_regex_match (regex, name, 0, NULL))
      continue;
    /* lstat: a link is not ours to follow. */
    if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG (st.st_mode) || st.st_uid != getuid () ||
        (gint64) (now - st.st_mtime) <= min_age_seconds)
      continue;
    if (unlinkat (dir_fd, name, 0) == 0)
      removed++;
  }
  if (dir_fd >= 0)
    close (dir_fd);
  if (folder != NULL)
    g_dir_close (folder);
  g_regex_unref (regex);
  return removed;
}
