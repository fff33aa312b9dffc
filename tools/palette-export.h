/* gst-palette: the palette and the fingerprint as files for other tools */
#ifndef GST_PALETTE_EXPORT_H
#define GST_PALETTE_EXPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  PALETTE_FORMAT_GPL,           /* GIMP, Inkscape, Krita: .gpl */
  PALETTE_FORMAT_CSS,           /* CSS custom properties: .css */
  PALETTE_FORMAT_ASE,           /* Adobe Swatch Exchange: .ase */
  PALETTE_FORMAT_PNG,           /* one 32 × 32 square per color, in a row */
  PALETTE_FORMAT_PALETTEGEN     /* ffmpeg palettegen's 16 × 16 image */
} PaletteFormat;

/* The format of a --export-palette argument, [FORMAT:]FILE, FORMAT one of
 * gpl, css, ase, png, palettegen, else from FILE's suffix; FILE is set to
 * the path alone. */
gboolean palette_export_parse (const gchar * spec, PaletteFormat * format,
    const gchar ** file, GError ** error);

/* Writes the record's palette to FILE in FORMAT, replacing it atomically.
 * NAME is the palette's name where the record has no source title. */
gboolean palette_export_write (JsonObject * record, PaletteFormat format,
    const gchar * file, const gchar * name, GError ** error);

/* The fingerprint as CSV, one row per color of each sampled frame:
 *   frame,time,rank,hex,red,green,blue,share
 * frame from 0, time in seconds, rank from 1 (most dominant first). */
gchar *palette_export_csv_text (JsonObject * record, GError ** error);
gboolean palette_export_csv (JsonObject * record, const gchar * file,
    GError ** error);

/* Before the analysis starts: can FILE be written (its folder exists and
 * takes new files)? */
gboolean palette_export_check_path (const gchar * file, GError ** error);

G_END_DECLS

#endif
