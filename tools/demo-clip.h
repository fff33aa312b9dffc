/* gst-palette: the built-in demo clip, drawn in-process */
#ifndef GST_PALETTE_DEMO_CLIP_H
#define GST_PALETTE_DEMO_CLIP_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define DEMO_CLIP_WIDTH 320
#define DEMO_CLIP_HEIGHT 180
#define DEMO_CLIP_FPS 25
#define DEMO_CLIP_SHOT_FRAMES 50
#define DEMO_CLIP_N_SHOTS 5

/* An appsrc that plays five 2-second "shots" of flat, known colors. */
GstElement *demo_clip_source_new (void);
/* Names the shots for the banner: "dawn, sea, ...". */
const gchar *demo_clip_describe (void);

G_END_DECLS

#endif
