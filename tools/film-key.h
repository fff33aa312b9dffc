/* gst-palette: a film's key, from its folder name relative to the library
 * root: which shard works on it and what its result file is called. Both
 * come from the name alone, so adding films never moves old ones and every
 * machine computes the same. */
#ifndef GST_PALETTE_FILM_KEY_H
#define GST_PALETTE_FILM_KEY_H

#include <glib.h>

G_BEGIN_DECLS

/* Parses "K/N" (0 <= K < N), or "N" with K from $SLURM_ARRAY_TASK_ID or
 * else $JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). */
gboolean film_key_parse_shard (const gchar * text, guint * index,
    guint * count, GError ** error);

/* TRUE when the film of folder NAME is in shard INDEX of COUNT: the first
 * 8 bytes of SHA-256 (NAME's bytes), big-endian, modulo COUNT. */
gboolean film_key_in_shard (const gchar * name, guint index, guint count);

/* The name of NAME's files in a results folder, without extension: up to
 * 80 bytes of NAME made safe (valid UTF-8, no '/', no control characters,
 * no leading '.'), a '.', and the first 16 hex digits of SHA-256 (NAME). */
gchar *film_key_file_stem (const gchar * name);

G_END_DECLS

#endif
