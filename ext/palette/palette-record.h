/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The JSON palette record (INTERFACE.md, "JSON file"): built from an engine
 * palette plus what the caller knows about the stream, and written
 * atomically. GLib and json-glib only, no GStreamer types, so that the
 * command line can share it. */

#ifndef __PALETTE_RECORD_H__
#define __PALETTE_RECORD_H__

#include <glib.h>
#include <json-glib/json-glib.h>

#include "analyzer.h"

G_BEGIN_DECLS

typedef struct
{
  const gchar *title;               /* NULL: null */
  const gchar *uri;                 /* NULL: null */
  gdouble duration_seconds;         /* < 0: unknown, null */
  gint64 frame_skip;                /* <= 0: unknown, null */
  GDateTime *calculation_date;      /* NULL: now */
  gint64 calculation_duration_seconds;
  const gchar *clustering_method;   /* "kmeans", "kmedians"; NULL: kmeans */
  const gchar *color_space;         /* "rgb", "oklab", "cielab" */
  guint clusters_nb;                /* palette size asked for */
  guint resize_width;
  guint resize_height;
  guint batch_size;
  /* the frames' size before downscaling, to give the palette's crop in
   * source pixels (0: unknown, the crop is then in analysed pixels) */
  guint source_width;
  guint source_height;
  gboolean complete;                /* FALSE: the stream ended early */
  /* How the record was made, so that a palette can be made again or told
   * apart from one made otherwise. Sampling: framedecimate's mode (NULL: no
   * "sampling" member) and the one parameter that mode uses. */
  const gchar *sampling_mode;
  guint sampling_step;              /* every-nth: the step in use */
  guint sampling_requested_step;    /* every-nth: the step asked for */
  guint sampling_min_frames;        /* every-nth: the floor, 0: none */
  gdouble sampling_interval_seconds;        /* interval */
  guint sampling_count;             /* count, seek */
  gdouble sampling_scene_threshold; /* scene */
  gint64 seed;                      /* < 0: no member */
  gdouble bw_threshold;             /* < 0: no member */
  /* the YCbCr to RGB matrix frames were decoded with: "bt601", "bt709",
   * ..., "none" for RGB and gray input; NULL: no member */
  const gchar *color_matrix;
  /* YCbCr: TRUE when the stream stated the matrix, FALSE when its frames
   * chose it (matrix-guess.h); < 0: no member */
  gint color_matrix_stated;
  const gchar *engine_version;      /* NULL: no member */
} PaletteRecordInfo;

void palette_record_info_init (PaletteRecordInfo * info);

/* The URI's file name without its extension, for streams without a title;
 * NULL when it has none. */
gchar *palette_record_title_from_uri (const gchar * uri);

gchar *palette_record_make_id (const gchar * title, const gchar * calculation_date);

/* The record without its fingerprint, which is printed straight from the
 * analyzer by palette_record_to_string() and palette_record_write(). */
JsonNode *palette_record_build (const PaletteRecordInfo * info,
    const PalettePalette * palette);

/* analyzer != NULL adds its fingerprint as the last member. */
gchar *palette_record_to_string (JsonNode * record,
    const PaletteAnalyzer * analyzer);

/* TEXT as a JSON string, quoted and escaped; text that is not UTF-8 (a
 * title from a file name in another encoding) is made valid first, since
 * JSON is UTF-8. */
void palette_record_append_string (GString * out, const gchar * text);

/* VALUE as the records write numbers: the shortest form that reads back as
 * the same double (as Python's repr; 0.3, not 0.30000000000000004), null
 * when not finite; AS_FLOAT: whole numbers keep a fraction (2.0, not 2) so
 * they read back as floats. */
void palette_record_append_double (GString * out, gdouble value,
    gboolean as_float);

/* NODE (a JSON_NODE_VALUE) as the records write it: strings and doubles as
 * above (AS_FLOAT for doubles), whole numbers and booleans plainly. */
void palette_record_append_value (GString * out, JsonNode * node,
    gboolean as_float);

/* Checks that path can be written: its folder exists and is writable, and
 * the path is not a folder or another non-regular file. */
gboolean palette_record_check_location (const gchar * path, GError ** error);

/* Writes to a temporary file in the same folder, then renames it over path:
 * an existing file is replaced whole or left as it was. */
gboolean palette_record_write (JsonNode * record,
    const PaletteAnalyzer * analyzer, const gchar * path, GError ** error);

G_END_DECLS

#endif /* __PALETTE_RECORD_H__ */
