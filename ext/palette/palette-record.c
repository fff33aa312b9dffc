/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "palette-record.h"

#include "atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

void
palette_record_info_init (PaletteRecordInfo * info)
{
  memset (info, 0, sizeof (*info));
  info->duration_seconds = -1.0;
  info->frame_skip = -1;
  info->color_space = "cielab";
  info->clusters_nb = 10;
  info->resize_width = 160;
  info->resize_height = 90;
  info->batch_size = 32;
  info->complete = TRUE;
  info->seed = -1;
  info->bw_threshold = -1.0;
  info->color_matrix_stated = -1;
}

static void
add_sampling (JsonBuilder * builder, const PaletteRecordInfo * info)
{
  const gchar *mode = info->sampling_mode;

  json_builder_set_member_name (builder, "sampling");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  if (g_str_equal (mode, "every-nth")) {
    json_builder_set_member_name (builder, "step");
    json_builder_add_int_value (builder, info->sampling_step);
    /* step is lower than requested_step where min_frames lowered it */
    json_builder_set_member_name (builder, "requested_step");
    json_builder_add_int_value (builder, info->sampling_requested_step ?
        info->sampling_requested_step : info->sampling_step);
    json_builder_set_member_name (builder, "min_frames");
    json_builder_add_int_value (builder, info->sampling_min_frames);
  } else if (g_str_equal (mode, "interval")) {
    json_builder_set_member_name (builder, "interval_seconds");
    json_builder_add_double_value (builder, info->sampling_interval_seconds);
  } else if (g_str_equal (mode, "count") || g_str_equal (mode, "seek")) {
    /* seek keeps count frames too, reached by seeking */
    json_builder_set_member_name (builder, "count");
    json_builder_add_int_value (builder, info->sampling_count);
  } else if (g_str_equal (mode, "scene")) {
    json_builder_set_member_name (builder, "scene_threshold");
    json_builder_add_double_value (builder, info->sampling_scene_threshold);
  }
  json_builder_end_object (builder);
}

/* As the seed notebook: the first 6 hex digits of md5("title_date"). */
gchar *
palette_record_make_id (const gchar * title, const gchar * calculation_date)
{
  gchar *text, *digest, *id;

  text = g_strdup_printf ("%s_%s", title ? title : "None",
      calculation_date ? calculation_date : "");
  digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
  id = g_strndup (digest, 6);
  g_free (digest);
  g_free (text);
  return id;
}

static void
add_rgb_array (JsonBuilder * builder, const double rgb[3])
{
  guint c;

  json_builder_begin_array (builder);
  for (c = 0; c < 3; c++)
    json_builder_add_int_value (builder, palette_rgb_clamp8 (rgb[c]));
  json_builder_end_array (builder);
}

/* Shares are rounded to 6 decimals so the file stays readable; the exact
 * values are in the bus message. */
static gdouble
round_share (gdouble share)
{
  return round (share * 1e6) / 1e6;
}

/* One side of the crop, from analysed pixels (of size analysed) to source
 * pixels (of size source; 0: unknown, left as it is). */
static gint64
crop_to_source (guint side, guint analysed, guint source)
{
  if (source == 0 || analysed == 0)
    return side;
  return (gint64) (((guint64) side * source + analysed / 2) / analysed);
}

/* "crop": the bars left out of the palette (borders.h), in source pixels;
 * null when none were. */
static void
add_crop (JsonBuilder * builder, const PaletteRecordInfo * info,
    const PaletteCrop * crop)
{
  json_builder_set_member_name (builder, "crop");
  if (crop->width == 0 || crop->height == 0) {
    json_builder_add_null_value (builder);
    return;
  }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "left");
  json_builder_add_int_value (builder,
      crop_to_source (crop->left, crop->width, info->source_width));
  json_builder_set_member_name (builder, "right");
  json_builder_add_int_value (builder,
      crop_to_source (crop->right, crop->width, info->source_width));
  json_builder_set_member_name (builder, "top");
  json_builder_add_int_value (builder,
      crop_to_source (crop->top, crop->height, info->source_height));
  json_builder_set_member_name (builder, "bottom");
  json_builder_add_int_value (builder,
      crop_to_source (crop->bottom, crop->height, info->source_height));
  json_builder_end_object (builder);
}

static void
add_nullable_string (JsonBuilder * builder, const gchar * name,
    const gchar * value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
palette_record_build (const PaletteRecordInfo * info,
    const PalettePalette * palette)
{
  JsonBuilder *builder;
  JsonNode *root;
  GDateTime *date;
  gchar *date_string, *id;
  unsigned i;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (palette != NULL, NULL);

  date = info->calculation_date ? g_date_time_ref (info->calculation_date) :
      g_date_time_new_now_utc ();
  /* Python's datetime.isoformat() shape, as the seed's catalog has it;
   * microseconds, because the web frontend takes a film's newest palette
   * by comparing these as text: two palettes of one second would tie */
  date_string = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S.%f+00:00");
  id = palette_record_make_id (info->title, date_string);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "calculation_date");
  json_builder_add_string_value (builder, date_string);
  json_builder_set_member_name (builder, "calculation_duration_seconds");
  json_builder_add_int_value (builder, info->calculation_duration_seconds);
  json_builder_set_member_name (builder, "runtime");
  json_builder_add_string_value (builder, "CPU");
  json_builder_set_member_name (builder, "clustering_method");
  json_builder_add_string_value (builder, info->clustering_method ?
      info->clustering_method : "kmeans");
  json_builder_set_member_name (builder, "color_space");
  json_builder_add_string_value (builder, info->color_space);
  json_builder_set_member_name (builder, "is_black_and_white");
  json_builder_add_boolean_value (builder, palette->black_and_white != 0);
  json_builder_set_member_name (builder, "clusters_nb");
  json_builder_add_int_value (builder, info->clusters_nb);

  json_builder_set_member_name (builder, "frame_skip");
  if (info->frame_skip > 0)
    json_builder_add_int_value (builder, info->frame_skip);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "resize");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, info->resize_width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, info->resize_height);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "batch_size");
  json_builder_add_int_value (builder, info->batch_size);

  add_crop (builder, info, &palette->crop);

  json_builder_set_member_name (builder, "colors");
  json_builder_begin_array (builder);
  for (i = 0; i < palette->n_colors; i++)
    add_rgb_array (builder, palette->colors[i].rgb);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "weights");
  json_builder_begin_array (builder);
  for (i = 0; i < palette->n_colors; i++)
    json_builder_add_double_value (builder,
        round_share (palette->colors[i].weight));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "hex");
  json_builder_begin_array (builder);
  for (i = 0; i < palette->n_colors; i++) {
    gchar hex[8];

    g_snprintf (hex, sizeof (hex), "#%02x%02x%02x",
        palette_rgb_clamp8 (palette->colors[i].rgb[0]),
        palette_rgb_clamp8 (palette->colors[i].rgb[1]),
        palette_rgb_clamp8 (palette->colors[i].rgb[2]));
    json_builder_add_string_value (builder, hex);
  }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "frames_analyzed");
  json_builder_add_int_value (builder, (gint64) palette->frames);
  json_builder_set_member_name (builder, "mean_saturation");
  json_builder_add_double_value (builder,
      round_share (palette->mean_saturation));
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, info->complete);

  json_builder_set_member_name (builder, "source");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "uri", info->uri);
  add_nullable_string (builder, "title", info->title);
  json_builder_set_member_name (builder, "duration_seconds");
  if (info->duration_seconds >= 0)
    json_builder_add_double_value (builder,
        round (info->duration_seconds * 1e3) / 1e3);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  if (info->sampling_mode != NULL)
    add_sampling (builder, info);
  if (info->seed >= 0) {
    json_builder_set_member_name (builder, "seed");
    json_builder_add_int_value (builder, info->seed);
  }
  if (info->bw_threshold >= 0) {
    json_builder_set_member_name (builder, "bw_threshold");
    json_builder_add_double_value (builder, info->bw_threshold);
  }
  if (info->color_matrix != NULL) {
    json_builder_set_member_name (builder, "color_matrix");
    json_builder_add_string_value (builder, info->color_matrix);
  }
  if (info->color_matrix_stated >= 0) {
    json_builder_set_member_name (builder, "color_matrix_stated");
    json_builder_add_boolean_value (builder, info->color_matrix_stated);
  }
  if (info->engine_version != NULL) {
    json_builder_set_member_name (builder, "engine_version");
    json_builder_add_string_value (builder, info->engine_version);
  }

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  g_object_unref (builder);
  g_free (id);
  g_free (date_string);
  g_date_time_unref (date);
  return root;
}

void
palette_record_append_string (GString * out, const gchar * text)
{
  const guchar *p;
  gchar *valid = NULL;

  /* a title made from a file name in another encoding: JSON is UTF-8 */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (p = (const guchar *) text; *p; p++) {
    switch (*p) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, *p);
        break;
    }
  }
  g_string_append_c (out, '"');
  g_free (valid);
}

void
palette_record_append_double (GString * out, gdouble value, gboolean as_float)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  gint precision;

  if (!isfinite (value)) {
    g_string_append (out, "null");
    return;
  }
  for (precision = 15; precision <= 17; precision++) {
    gchar format[8];

    g_snprintf (format, sizeof (format), "%%.%dg", precision);
    g_ascii_formatd (buf, sizeof (buf), format, value);
    if (g_ascii_strtod (buf, NULL) == value)
      break;
  }
  g_string_append (out, buf);
  if (as_float && !strpbrk (buf, ".eE"))
    g_string_append (out, ".0");
}

static void
append_double (GString * out, gdouble value)
{
  palette_record_append_double (out, value, TRUE);
}

/* How deep arrays nest in node, counted up to max (an object counts as
 * max): all the layout needs, in at most max levels of recursion, so that
 * deeply nested input costs no more than a record. */
static guint
node_depth (JsonNode * node, guint max)
{
  guint depth = 0, i, n;
  JsonArray *array;

  if (max == 0)
    return 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return max;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (i = 0; i < n && depth < max - 1; i++) {
    /* measured once: MAX() would measure it twice, 2^depth calls */
    guint child = node_depth (json_array_get_element (array, i), max - 1);
    depth = MAX (depth, child);
  }
  return depth + 1;
}

static void append_node (GString * out, JsonNode * node, guint indent,
    gboolean in_array);

void
palette_record_append_value (GString * out, JsonNode * node,
    gboolean as_float)
{
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT,
          json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      palette_record_append_double (out, json_node_get_double (node),
          as_float);
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      palette_record_append_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
  }
}

static void
append_newline (GString * out, guint indent)
{
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%*s", indent * 2, "");
}

/* OBJECT's members, each on a line of its own at INDENT + 1 and after a
 * comma unless *FIRST; members keep their insertion order. */
static void
append_members (GString * out, JsonObject * object, guint indent,
    gboolean * first)
{
  GList *members = json_object_get_members (object), *l;

  for (l = members; l; l = l->next) {
    if (!*first)
      g_string_append_c (out, ',');
    *first = FALSE;
    append_newline (out, indent + 1);
    palette_record_append_string (out, l->data);
    g_string_append (out, ": ");
    append_node (out, json_object_get_member (object, l->data), indent + 1,
        FALSE);
  }
  g_list_free (members);
}

static void
append_node (GString * out, JsonNode * node, guint indent, gboolean in_array)
{
  guint i, n;

  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      palette_record_append_value (out, node, TRUE);
      break;
    case JSON_NODE_ARRAY:{
      JsonArray *array = json_node_get_array (node);
      guint depth = node_depth (node, 3);
      /* [r, g, b] and a frame's list of them stay on one line */
      gboolean inline_array = depth <= 1 || (depth == 2 && in_array);

      n = json_array_get_length (array);
      g_string_append_c (out, '[');
      for (i = 0; i < n; i++) {
        if (i > 0)
          g_string_append (out, inline_array ? ", " : ",");
        if (!inline_array)
          append_newline (out, indent + 1);
        append_node (out, json_array_get_element (array, i), indent + 1, TRUE);
      }
      if (!inline_array && n > 0)
        append_newline (out, indent);
      g_string_append_c (out, ']');
      break;
    }
    case JSON_NODE_OBJECT:{
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      append_members (out, json_node_get_object (node), indent, &first);
      if (!first)
        append_newline (out, indent);
      g_string_append_c (out, '}');
      break;
    }
  }
}

/* The fingerprint is printed straight from the analyzer rather than built
 * as nodes: a JsonNode tree costs some 3 KiB per sampled frame, the text
 * about 100 bytes. The layout is the one append_node() gives. */
/* Where a record being written goes: text is sent to fd whenever it has
 * grown past FLUSH_BYTES, so that a long fingerprint never sits in memory as
 * text (some 100 bytes a sample, beside the 49 the analyzer keeps). */
#define FLUSH_BYTES (64 * 1024)

static void
flush_text (GString * out, AtomicFile * file)
{
  atomic_file_write (file, out->str, out->len);
  g_string_truncate (out, 0);
}

static inline void
maybe_flush (GString * out, AtomicFile * file)
{
  if (file && out->len >= FLUSH_BYTES)
    flush_text (out, file);
}

static void
append_colors_row (GString * out, const PaletteFingerprintEntry * entry)
{
  unsigned c;

  for (c = 0; c < entry->n_colors; c++)
    g_string_append_printf (out, "%s[%u, %u, %u]", c > 0 ? ", " : "",
        palette_rgb_clamp8 (entry->colors[c].rgb[0]),
        palette_rgb_clamp8 (entry->colors[c].rgb[1]),
        palette_rgb_clamp8 (entry->colors[c].rgb[2]));
}

static void
append_weights_row (GString * out, const PaletteFingerprintEntry * entry)
{
  unsigned c;

  for (c = 0; c < entry->n_colors; c++) {
    if (c > 0)
      g_string_append (out, ", ");
    append_double (out, round_share (entry->colors[c].weight));
  }
}

/* "name": [ one line "[...]" per sample, printed by append_row ] */
static void
append_fingerprint_rows (GString * out, const PaletteAnalyzer * analyzer,
    AtomicFile * file, const gchar * name,
    void (*append_row) (GString *, const PaletteFingerprintEntry *))
{
  size_t i, n = palette_analyzer_n_fingerprint (analyzer);
  PaletteFingerprintEntry entry;

  append_newline (out, 2);
  g_string_append_printf (out, "\"%s\": [", name);
  for (i = 0; i < n; i++) {
    palette_analyzer_get_fingerprint (analyzer, i, &entry);
    maybe_flush (out, file);
    g_string_append (out, i > 0 ? "," : "");
    append_newline (out, 3);
    g_string_append_c (out, '[');
    append_row (out, &entry);
    g_string_append_c (out, ']');
  }
  if (n > 0)
    append_newline (out, 2);
  g_string_append_c (out, ']');
}

static void
append_fingerprint (GString * out, const PaletteAnalyzer * analyzer,
    AtomicFile * file)
{
  size_t i, n = palette_analyzer_n_fingerprint (analyzer);
  PaletteFingerprintEntry entry;

  g_string_append (out, "{");
  append_newline (out, 2);
  g_string_append (out, "\"timestamps\": [");
  for (i = 0; i < n; i++) {
    palette_analyzer_get_fingerprint (analyzer, i, &entry);
    maybe_flush (out, file);
    if (i > 0)
      g_string_append (out, ", ");
    /* milliseconds are enough for a bar per sampled frame */
    append_double (out, round (entry.timestamp / 1e6) / 1e3);
  }
  g_string_append (out, "],");

  append_fingerprint_rows (out, analyzer, file, "colors", append_colors_row);
  g_string_append_c (out, ',');
  append_fingerprint_rows (out, analyzer, file, "weights",
      append_weights_row);

  append_newline (out, 1);
  g_string_append_c (out, '}');
}

/* json-glib prints doubles with 17 digits (0.14965300000000001) and every
 * number of a color on a line of its own; this prints what a person would.
 * With an analyzer, its fingerprint is printed as the record's last member,
 * straight from the analyzer. */
static void
append_record (GString * out, JsonNode * record,
    const PaletteAnalyzer * analyzer, AtomicFile * file)
{
  gboolean first = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (record)) {
    append_node (out, record, 0, FALSE);
    g_string_append_c (out, '\n');
    return;
  }
  g_string_append_c (out, '{');
  append_members (out, json_node_get_object (record), 0, &first);
  if (analyzer) {
    if (!first)
      g_string_append_c (out, ',');
    first = FALSE;
    append_newline (out, 1);
    g_string_append (out, "\"fingerprint\": ");
    append_fingerprint (out, analyzer, file);
  }
  if (!first)
    append_newline (out, 0);
  g_string_append (out, "}\n");
}

gchar *
palette_record_to_string (JsonNode * record, const PaletteAnalyzer * analyzer)
{
  GString *out;

  g_return_val_if_fail (record != NULL, NULL);

  out = g_string_new (NULL);
  append_record (out, record, analyzer, NULL);
  return g_string_free (out, FALSE);
}

gboolean
palette_record_check_location (const gchar * path, GError ** error)
{
  AtomicFile *probe;
  gchar *folder;

  g_return_val_if_fail (path != NULL, FALSE);

  folder = g_path_get_dirname (path);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
        "folder \"%s\" does not exist", folder);
    g_free (folder);
    return FALSE;
  }
  g_free (folder);

  if (g_file_test (path, G_FILE_TEST_EXISTS)
      && !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
        "\"%s\" exists and is not a regular file", path);
    return FALSE;
  }

  /* The write at the end goes through a temporary file in the same folder:
   * creating one now is the only check that holds for root, read-only
   * mounts and ACLs alike. */
  probe = atomic_file_new (path, error);
  if (probe == NULL)
    return FALSE;
  atomic_file_abort (probe);
  return TRUE;
}

/* Printed into the temporary file as it goes (atomic-file.h), so that a
 * long fingerprint never sits in memory as text. */
gboolean
palette_record_write (JsonNode * record, const PaletteAnalyzer * analyzer,
    const gchar * path, GError ** error)
{
  AtomicFile *file;
  GString *out;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  out = g_string_sized_new (FLUSH_BYTES + 4096);
  append_record (out, record, analyzer, file);
  flush_text (out, file);
  g_string_free (out, TRUE);
  return atomic_file_commit (file, error);
}

/* The URI's file name without its extension, for streams without a title. */
gchar *
palette_record_title_from_uri (const gchar * uri)
{
  gchar *path, *base, *dot;

  if (!uri)
    return NULL;
  path = g_uri_unescape_string (uri, NULL);
  if (!path)
    return NULL;
  base = g_path_get_basename (path);
  g_free (path);
  dot = strrchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  if (base[0] == '\0' || strcmp (base, "/") == 0 || strcmp (base, ".") == 0) {
    g_free (base);
    return NULL;
  }
  return base;
}
