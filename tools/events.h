/* gst-palette --events: progress as JSON Lines, for the engine that drives
 * the runs (a job log, a dashboard). One line per event, written with one
 * write() to a file opened for appending, so that workers sharing a file
 * never mix their lines. */
#ifndef GST_PALETTE_EVENTS_H
#define GST_PALETTE_EVENTS_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _Events Events;

/* PATH "-" is standard output. A symbolic link is not followed. */
Events *events_open (const gchar * path, GError ** error);
void events_close (Events * events);

/* Writes {"event": EVENT, "film": FILM, ...DETAILS, "host", "pid", "time"}.
 * FILM (UTF-8) and DETAILS (taken) may be NULL. A failed write is reported
 * once on standard error and does not stop the run. */
void events_write (Events * events, const gchar * event, const gchar * film,
    JsonObject * details);

G_END_DECLS

#endif
