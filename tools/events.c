/* gst-palette --events (see events.h) */
#include "events.h"

#include "catalog.h"
#include "json-line.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct _Events
{
  gint fd;
  gboolean own_fd;
  gchar *host;
  gboolean warned;
};

Events *
events_open (const gchar * path, GError ** error)
{
  Events *events;
  gint fd = STDOUT_FILENO;

  if (strcmp (path, "-") != 0) {
    fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
        0644);
    if (fd < 0) {
      gint saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
          "--events %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  }
  events = g_new0 (Events, 1);
  events->fd = fd;
  events->own_fd = fd != STDOUT_FILENO;
  events->host = g_strdup (g_get_host_name ());
  return events;
}

void
events_close (Events * events)
{
  if (events == NULL)
    return;
  if (events->own_fd)
    close (events->fd);
  g_free (events->host);
  g_free (events);
}

static gboolean
write_all (gint fd, const gchar * data, gsize length)
{
  while (length > 0) {
    gssize n = write (fd, data, length);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    length -= n;
  }
  return TRUE;
}

void
events_write (Events * events, const gchar * event, const gchar * film,
    JsonObject * details)
{
  JsonObject *line = json_object_new ();
  GList *members, *l;
  gchar *now, *text, *line_text, *shown = NULL;

  if (events == NULL) {
    if (details != NULL)
      json_object_unref (details);
    return;
  }
  json_object_set_string_member (line, "event", event);
  if (film != NULL) {
    shown = g_utf8_make_valid (film, -1);
    json_object_set_string_member (line, "film", shown);
  }
  if (details != NULL) {
    members = json_object_get_members (details);
    for (l = members; l != NULL; l = l->next)
      json_object_set_member (line, l->data,
          json_object_dup_member (details, l->data));
    g_list_free (members);
    json_object_unref (details);
  }
  now = catalog_now_iso8601 ();
  json_object_set_string_member (line, "host", events->host);
  json_object_set_int_member (line, "pid", getpid ());
  json_object_set_string_member (line, "time", now);

  text = json_line_to_string (line);
  /* one write() per line, newline included: O_APPEND keeps lines whole */
  line_text = g_strconcat (text, "\n", NULL);
  if (!write_all (events->fd, line_text, strlen (line_text))
      && !events->warned) {
    events->warned = TRUE;
    g_printerr ("gst-palette: warning: cannot write events: %s\n",
        g_strerror (errno));
  }
  g_free (line_text);
  g_free (text);
  g_free (now);
  g_free (shown);
}
