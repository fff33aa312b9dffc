/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <math.h>

#include "seek-plan.h"

void
seek_plan_init (SeekPlan * plan, GstClockTime begin, GstClockTime end,
    guint count, guint min_frames)
{
  g_return_if_fail (count > 0 && end > begin);

  plan->begin = begin;
  plan->end = end;
  plan->count = count;
  plan->next_slot = 0;
  plan->last_kept = GST_CLOCK_TIME_NONE;
  plan->prev_seen = GST_CLOCK_TIME_NONE;
  plan->key_gap = GST_CLOCK_TIME_NONE;
  plan->landed = FALSE;
  plan->sought = GST_CLOCK_TIME_NONE;
  plan->min_frames = MIN (min_frames, count);
  plan->keys = 0;
  plan->first_key = GST_CLOCK_TIME_NONE;
  plan->last_key = GST_CLOCK_TIME_NONE;
  plan->top_up_planned = 0;
  plan->top_up_kept = 0;
  plan->top_up_left = 0;
  plan->top_up_next = GST_CLOCK_TIME_NONE;
  plan->top_up_step = 0;
  plan->after_top_up = FALSE;
  plan->accurate = FALSE;
}

void
seek_plan_flushed (SeekPlan * plan)
{
  plan->prev_seen = GST_CLOCK_TIME_NONE;
  plan->landed = TRUE;
  /* the plan is as it was when the element sought (no plan: a seek of
   * another mode) */
  plan->sought = plan->count > 0 ? seek_plan_target (plan) :
      GST_CLOCK_TIME_NONE;
}

static guint
seek_plan_slot (const SeekPlan * plan, GstClockTime t)
{
  if (t <= plan->begin)
    return 0;
  return MIN (gst_util_uint64_scale (t - plan->begin, plan->count,
          plan->end - plan->begin), plan->count);
}

gboolean
seek_plan_sparse (const SeekPlan * plan)
{
  return GST_CLOCK_TIME_IS_VALID (plan->key_gap) && plan->key_gap >=
      (plan->end - plan->begin) / plan->count;
}

GstClockTime
seek_plan_target (const SeekPlan * plan)
{
  if (plan->accurate)
    return plan->top_up_next;
  /* past the last top-up frame: SNAP_AFTER lands on the next key frame */
  if (plan->after_top_up)
    return plan->last_kept + 1;
  return plan->begin + gst_util_uint64_scale (plan->next_slot,
      plan->end - plan->begin, plan->count);
}

gboolean
seek_plan_target_accurate (const SeekPlan * plan)
{
  return plan->accurate;
}

guint
seek_plan_top_up_kept (const SeekPlan * plan)
{
  return plan->top_up_kept;
}

/* Plans the top-up frames of the gap that starts at the key frame just
 * kept (@gap long, or the rest of the film): TRUE when there are any */
static gboolean
seek_plan_top_up_gap (SeekPlan * plan, GstClockTime gap, guint owed)
{
  GstClockTime key = plan->last_kept;

  if (owed <= plan->top_up_planned || gap < 2)
    return FALSE;
  plan->top_up_left = owed - plan->top_up_planned;
  plan->top_up_planned = owed;
  /* in the first half of the gap: the decode from the key frame on is the
   * cost, and it stays under half the gap */
  plan->top_up_step = MAX (gap / (2 * plan->top_up_left), 1);
  plan->top_up_next = key + plan->top_up_step;
  if (plan->top_up_next >= plan->end) {
    plan->top_up_left = 0;
    return FALSE;
  }
  plan->accurate = TRUE;
  return TRUE;
}

/* After the key frame just kept: the top-up frames owed by the gaps up to
 * the one it opens, when the film's key frames fall short of min_frames.
 * TRUE when that gap gets some. */
static gboolean
seek_plan_top_up (SeekPlan * plan)
{
  GstClockTime span = plan->end - plan->begin, gap;
  gdouble projected, owed;

  if (plan->keys < 2 || plan->min_frames == 0)
    return FALSE;
  gap = (plan->last_key - plan->first_key) / (plan->keys - 1);
  if (gap == 0)
    return FALSE;
  /* the key frames of a film with this mean gap */
  projected = (gdouble) span / gap;
  if (projected >= plan->min_frames)
    return FALSE;
  /* the missing frames shared by the gaps, the first (from the first key
   * frame, passed before any gap was known) included: the gap of the
   * keys-th key frame is the keys-th */
  owed = (plan->min_frames - projected) * MIN (plan->keys,
      projected) / MAX (projected, 1.0);
  return seek_plan_top_up_gap (plan, gap, (guint) floor (owed + 0.5));
}

/* A landing on a key frame already kept: none lies past the target. A film
 * that showed a single key frame gets its missing frames from the rest of
 * it (with two or more, the gap after the last was planned at its key
 * frame). */
static gboolean
seek_plan_top_up_tail (SeekPlan * plan)
{
  if (plan->keys != 1 || plan->min_frames == 0 || plan->after_top_up
      || plan->top_up_planned > 0 || plan->last_kept >= plan->end)
    return FALSE;
  return seek_plan_top_up_gap (plan, plan->end - plan->last_kept,
      plan->min_frames - 1);
}

/* A frame of an ACCURATE top-up segment */
static SeekPlanVerdict
seek_plan_top_up_frame (SeekPlan * plan, GstClockTime t)
{
  guint slot;

  if (t < plan->top_up_next || (GST_CLOCK_TIME_IS_VALID (plan->last_kept)
          && t <= plan->last_kept))
    return SEEK_PLAN_DROP_READ_ON;

  slot = seek_plan_slot (plan, t);
  plan->last_kept = t;
  plan->next_slot = MAX (plan->next_slot, slot + 1);
  plan->top_up_kept++;
  plan->top_up_left--;
  plan->after_top_up = TRUE;
  if (plan->next_slot >= plan->count)
    return SEEK_PLAN_KEEP_LAST;
  if (plan->top_up_left > 0) {
    plan->top_up_next += plan->top_up_step;
    if (plan->top_up_next < plan->end)
      return SEEK_PLAN_KEEP_READ_ON;
    plan->top_up_left = 0;
  }
  return SEEK_PLAN_KEEP_SEEK;
}

SeekPlanVerdict
seek_plan_frame (SeekPlan * plan, GstClockTime t, gboolean key_frames_only)
{
  gboolean landed = plan->landed, first;
  guint slot;

  plan->landed = FALSE;
  plan->accurate = FALSE;
  if (key_frames_only && GST_CLOCK_TIME_IS_VALID (plan->prev_seen)
      && t > plan->prev_seen && (!GST_CLOCK_TIME_IS_VALID (plan->key_gap)
          || t - plan->prev_seen < plan->key_gap))
    plan->key_gap = t - plan->prev_seen;
  plan->prev_seen = t;

  if (t >= plan->end || plan->next_slot >= plan->count)
    return SEEK_PLAN_DONE;

  if (plan->top_up_left > 0 && !key_frames_only)
    return seek_plan_top_up_frame (plan, t);
  plan->top_up_left = 0;

  first = !GST_CLOCK_TIME_IS_VALID (plan->last_kept);
  slot = seek_plan_slot (plan, t);
  if (!first && (t <= plan->last_kept || (slot < plan->next_slot
              && !plan->after_top_up))) {
    /* A landing on a slot that has its frame: the key frame nearest the
     * target was that one, so the next key frame lies past the target and
     * reading on reaches it without another seek (when the landing is the
     * last key frame and the film had one only, top it up first).
     * Otherwise the frames are denser than the slots: seek over them. */
    if (landed && key_frames_only && t <= plan->last_kept
        && seek_plan_top_up_tail (plan))
      return SEEK_PLAN_DROP_SEEK_ACCURATE;
    if (landed)
      return SEEK_PLAN_DROP_READ_ON;
    /* A seek to where the last one went lands where it did: with no key
     * frame at or after the target (a file cut short) the demuxer snaps
     * back before it, and seeking again would loop for ever. Read on to
     * the end instead. */
    if (GST_CLOCK_TIME_IS_VALID (plan->sought)
        && seek_plan_target (plan) <= plan->sought)
      return SEEK_PLAN_DROP_READ_ON;
    return SEEK_PLAN_DROP_SEEK;
  }

  plan->last_kept = t;
  plan->next_slot = MAX (plan->next_slot, slot + 1);
  plan->after_top_up = FALSE;
  /* key frames: the first frame, and every frame in the key-unit trick
   * mode; past a top-up, a frame of an ACCURATE segment is none */
  if (first || key_frames_only) {
    if (!GST_CLOCK_TIME_IS_VALID (plan->first_key))
      plan->first_key = t;
    plan->last_key = t;
    plan->keys++;
  }
  if (plan->next_slot >= plan->count)
    return SEEK_PLAN_KEEP_LAST;
  if ((first || key_frames_only) && seek_plan_top_up (plan))
    return SEEK_PLAN_KEEP_SEEK_ACCURATE;
  return seek_plan_sparse (plan) ? SEEK_PLAN_KEEP_READ_ON : SEEK_PLAN_KEEP_SEEK;
}
