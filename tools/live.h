/* gst-palette live URI…: palettes of live streams, kept running, sent over
 * MQTT and/or as JSON Lines (docs/live.md). */
#ifndef GST_PALETTE_LIVE_H
#define GST_PALETTE_LIVE_H

#include <glib.h>

G_BEGIN_DECLS

/* ARGV[0] is "live". Returns the exit status: 0 after --duration, 2 on
 * bad usage, 75 when the broker's name does not resolve (yet), 128+N after
 * signal N (SIGINT, SIGTERM). */
gint live_main (gint argc, gchar ** argv);

G_END_DECLS

#endif
