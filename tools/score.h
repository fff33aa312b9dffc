/* gst-palette score: how well a palette covers a film's pixels. */
#ifndef GST_PALETTE_SCORE_H
#define GST_PALETTE_SCORE_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 frames_total;         /* the film's frames, from its duration */
  guint frames_sampled;
  guint64 pixels;
  /* CIEDE2000 from each sampled pixel to its nearest palette color */
  gdouble mean, p50, p95, max;
} ScoreResult;

/* The palette of a JSON file: a palette record ({"colors": [[r, g, b], ...]}),
 * or a list of [r, g, b] or "#rrggbb". Returns 0xRRGGBB colors. */
GArray *score_load_palette (const gchar * path, GError ** error);

/* Decodes FILE_OR_URI, takes N_FRAMES frames evenly spaced from the first
 * to the last, downscales each to 160x90 by area averaging, and measures
 * every pixel's CIEDE2000 to its nearest color of PALETTE (0xRRGGBB): the
 * metric of the project's benchmark (lower is better). */
gboolean score_film (const gchar * file_or_uri, GArray * palette,
    guint n_frames, ScoreResult * result, GError ** error);

G_END_DECLS

#endif
