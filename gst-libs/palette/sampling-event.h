/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The sampling event: how framedecimate chose the frames that reach the
 * elements downstream of it.
 *
 * framedecimate pushes it before the first buffer of each stream and again
 * whenever a property change takes effect, as a
 * GST_EVENT_CUSTOM_DOWNSTREAM_STICKY event (as curlhttpsrc passes its
 * "http-headers" downstream), so that it sits on every pad downstream and
 * any element can read it without looking outside its own pads. The event's
 * name and fields are written here only: framedecimate builds the event
 * with palette_sampling_event_new() and palettesink reads it with
 * palette_sampling_event_parse().
 *
 * Structure "framedecimate-sampling":
 *
 * * `mode` (string): the nick of framedecimate's mode
 * * and the parameters that mode uses, named as framedecimate's properties:
 *   * every-nth: `step` (guint), the step in use, and, optional (read as
 *     0 and `step` when absent), `min-frames` (guint) and `requested-step`
 *     (guint, the step property): with min-frames > 0 and a known duration
 *     too short for min-frames frames at the requested step, `step` is
 *     the smaller step that keeps them
 *   * interval: `interval` (guint64, ns of stream time)
 *   * count: `count` (guint), and `interval` (guint64, ns), used instead
 *     when the duration is unknown
 *   * scene: `scene-threshold` (gdouble), `min-scene-length` (guint)
 *   * keyframes: none
 *   * seek: `count` (guint) and `interval` (guint64, ns), as count
 * * `seek-seqnum` (guint, optional, any mode): the seqnum of the seeks
 *   framedecimate itself sends upstream to sample (mode=seek, and the
 *   key-unit seek of mode=keyframes). Their FLUSH_START, FLUSH_STOP and
 *   SEGMENT events carry it, so that an element downstream can tell those
 *   flushes, which are part of one sampling run, from an application's
 *   seek, which starts a new one. Absent (read as GST_SEQNUM_INVALID): the
 *   element sends no seeks of its own.
 * * `ended` (gboolean, optional, read as FALSE when absent): TRUE in the
 *   event framedecimate pushes just before the EOS it sends itself once
 *   every sample is taken (mode=seek): the stream ends there by design,
 *   short of its duration and not always in a trick-mode segment (count=1
 *   seeks nowhere; a top-up's accurate seek may be the last), so an element
 *   downstream must not take that EOS for a file cut short.
 */

#ifndef __PALETTE_SAMPLING_EVENT_H__
#define __PALETTE_SAMPLING_EVENT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define PALETTE_SAMPLING_EVENT_NAME "framedecimate-sampling"

/* framedecimate's GEnum takes its nicks from here, so that the event and the
 * property always spell a mode alike */
#define PALETTE_SAMPLING_MODE_EVERY_NTH "every-nth"
#define PALETTE_SAMPLING_MODE_INTERVAL "interval"
#define PALETTE_SAMPLING_MODE_COUNT "count"
#define PALETTE_SAMPLING_MODE_SCENE "scene"
#define PALETTE_SAMPLING_MODE_KEYFRAMES "keyframes"
#define PALETTE_SAMPLING_MODE_SEEK "seek"

#define PALETTE_SAMPLING_FIELD_MODE "mode"
#define PALETTE_SAMPLING_FIELD_STEP "step"
#define PALETTE_SAMPLING_FIELD_INTERVAL "interval"
#define PALETTE_SAMPLING_FIELD_COUNT "count"
#define PALETTE_SAMPLING_FIELD_SCENE_THRESHOLD "scene-threshold"
#define PALETTE_SAMPLING_FIELD_MIN_SCENE_LENGTH "min-scene-length"
#define PALETTE_SAMPLING_FIELD_SEEK_SEQNUM "seek-seqnum"
#define PALETTE_SAMPLING_FIELD_MIN_FRAMES "min-frames"
#define PALETTE_SAMPLING_FIELD_REQUESTED_STEP "requested-step"
#define PALETTE_SAMPLING_FIELD_ENDED "ended"

/* A plain value: mode is interned, so copies need no freeing. Parameters
 * the mode does not use are 0. */
typedef struct
{
  const gchar *mode;            /* NULL: no sampling event was seen */
  guint step;
  GstClockTime interval;
  guint count;
  gdouble scene_threshold;
  guint min_scene_length;
  guint32 seek_seqnum;          /* GST_SEQNUM_INVALID (0): no seeks of its own */
  /* every-nth: the floor of kept frames and the step asked for, of which
   * step may be lower on a short film */
  guint min_frames;
  guint requested_step;
  gboolean ended;               /* the EOS that follows is the element's own */
} PaletteSampling;

/* Whether @event (a FLUSH_START, FLUSH_STOP or SEGMENT) comes from one of
 * the sampling seeks of the framedecimate that @sampling describes */
static inline gboolean
palette_sampling_owns_event (const PaletteSampling * sampling,
    GstEvent * event)
{
  return sampling->mode != NULL && sampling->seek_seqnum != GST_SEQNUM_INVALID
      && gst_event_get_seqnum (event) == sampling->seek_seqnum;
}

static inline gboolean
palette_sampling_mode_is (const PaletteSampling * sampling, const gchar * mode)
{
  return sampling->mode != NULL && g_str_equal (sampling->mode, mode);
}

/* The event for @sampling, with the parameters its mode uses */
static inline GstEvent *
palette_sampling_event_new (const PaletteSampling * sampling)
{
  GstStructure *s;

  g_return_val_if_fail (sampling->mode != NULL, NULL);

  s = gst_structure_new (PALETTE_SAMPLING_EVENT_NAME,
      PALETTE_SAMPLING_FIELD_MODE, G_TYPE_STRING, sampling->mode, NULL);
  if (palette_sampling_mode_is (sampling, PALETTE_SAMPLING_MODE_EVERY_NTH)) {
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_STEP, G_TYPE_UINT,
        sampling->step, PALETTE_SAMPLING_FIELD_MIN_FRAMES, G_TYPE_UINT,
        sampling->min_frames, PALETTE_SAMPLING_FIELD_REQUESTED_STEP,
        G_TYPE_UINT, sampling->requested_step ? sampling->requested_step :
        sampling->step, NULL);
  } else if (palette_sampling_mode_is (sampling,
          PALETTE_SAMPLING_MODE_INTERVAL)) {
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_INTERVAL, G_TYPE_UINT64,
        sampling->interval, NULL);
  } else if (palette_sampling_mode_is (sampling, PALETTE_SAMPLING_MODE_COUNT)
      || palette_sampling_mode_is (sampling, PALETTE_SAMPLING_MODE_SEEK)) {
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_COUNT, G_TYPE_UINT,
        sampling->count, PALETTE_SAMPLING_FIELD_INTERVAL, G_TYPE_UINT64,
        sampling->interval, NULL);
  } else if (palette_sampling_mode_is (sampling, PALETTE_SAMPLING_MODE_SCENE)) {
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_SCENE_THRESHOLD,
        G_TYPE_DOUBLE, sampling->scene_threshold,
        PALETTE_SAMPLING_FIELD_MIN_SCENE_LENGTH, G_TYPE_UINT,
        sampling->min_scene_length, NULL);
  }
  if (sampling->seek_seqnum != GST_SEQNUM_INVALID)
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_SEEK_SEQNUM, G_TYPE_UINT,
        sampling->seek_seqnum, NULL);
  if (sampling->ended)
    gst_structure_set (s, PALETTE_SAMPLING_FIELD_ENDED, G_TYPE_BOOLEAN, TRUE,
        NULL);

  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, s);
}

/* Reads @event into @sampling. FALSE when it is not a sampling event, or
 * one without the parameters its mode uses; @sampling is then untouched. A
 * mode this header does not know is read with its mode alone. */
static inline gboolean
palette_sampling_event_parse (GstEvent * event, PaletteSampling * sampling)
{
  const GstStructure *s;
  PaletteSampling parsed = { NULL, };
  const gchar *mode;
  gboolean ok = TRUE;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM_STICKY
      || !gst_event_has_name (event, PALETTE_SAMPLING_EVENT_NAME))
    return FALSE;
  s = gst_event_get_structure (event);
  mode = gst_structure_get_string (s, PALETTE_SAMPLING_FIELD_MODE);
  if (mode == NULL)
    return FALSE;
  parsed.mode = g_intern_string (mode);

  if (palette_sampling_mode_is (&parsed, PALETTE_SAMPLING_MODE_EVERY_NTH)) {
    ok = gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_STEP, &parsed.step);
    /* optional: older senders had no floor */
    if (!gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_MIN_FRAMES,
            &parsed.min_frames))
      parsed.min_frames = 0;
    if (!gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_REQUESTED_STEP,
            &parsed.requested_step))
      parsed.requested_step = parsed.step;
  } else if (palette_sampling_mode_is (&parsed,
          PALETTE_SAMPLING_MODE_INTERVAL)) {
    ok = gst_structure_get_uint64 (s, PALETTE_SAMPLING_FIELD_INTERVAL,
        &parsed.interval);
  } else if (palette_sampling_mode_is (&parsed, PALETTE_SAMPLING_MODE_COUNT)
      || palette_sampling_mode_is (&parsed, PALETTE_SAMPLING_MODE_SEEK)) {
    ok = gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_COUNT, &parsed.count)
        && gst_structure_get_uint64 (s, PALETTE_SAMPLING_FIELD_INTERVAL,
        &parsed.interval);
  } else if (palette_sampling_mode_is (&parsed, PALETTE_SAMPLING_MODE_SCENE)) {
    ok = gst_structure_get_double (s, PALETTE_SAMPLING_FIELD_SCENE_THRESHOLD,
        &parsed.scene_threshold)
        && gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_MIN_SCENE_LENGTH,
        &parsed.min_scene_length);
  }
  if (!ok)
    return FALSE;
  /* optional: older senders have no seeks of their own */
  if (!gst_structure_get_uint (s, PALETTE_SAMPLING_FIELD_SEEK_SEQNUM,
          &parsed.seek_seqnum))
    parsed.seek_seqnum = GST_SEQNUM_INVALID;
  if (!gst_structure_get_boolean (s, PALETTE_SAMPLING_FIELD_ENDED,
          &parsed.ended))
    parsed.ended = FALSE;

  *sampling = parsed;
  return TRUE;
}

G_END_DECLS

#endif /* __PALETTE_SAMPLING_EVENT_H__ */
