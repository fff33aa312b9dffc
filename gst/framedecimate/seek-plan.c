/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "seek-plan.h"

void
seek_plan_init (SeekPlan * plan, GstClockTime begin, GstClockTime end,
    guint count)
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
}

void
seek_plan_flushed (SeekPlan * plan)
{
  plan->prev_seen = GST_CLOCK_TIME_NONE;
  plan->landed = TRUE;
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
  return plan->begin + gst_util_uint64_scale (plan->next_slot,
      plan->end - plan->begin, plan->count);
}

SeekPlanVerdict
seek_plan_frame (SeekPlan * plan, GstClockTime t, gboolean key_frames_only)
{
  gboolean landed = plan->landed;
  guint slot;

  plan->landed = FALSE;
  if (key_frames_only && GST_CLOCK_TIME_IS_VALID (plan->prev_seen)
      && t > plan->prev_seen && (!GST_CLOCK_TIME_IS_VALID (plan->key_gap)
          || t - plan->prev_seen < plan->key_gap))
    plan->key_gap = t - plan->prev_seen;
  plan->prev_seen = t;

  if (t >= plan->end || plan->next_slot >= plan->count)
    return SEEK_PLAN_DONE;

  slot = seek_plan_slot (plan, t);
  if (GST_CLOCK_TIME_IS_VALID (plan->last_kept) && (t <= plan->last_kept
          || slot < plan->next_slot)) {
    /* A landing on a slot that has its frame: the key frame nearest the
     * target was that one, so the next key frame lies past the target and
     * reading on reaches it without another seek. Otherwise the frames
     * are denser than the slots: seek over them. */
    return landed ? SEEK_PLAN_DROP_READ_ON : SEEK_PLAN_DROP_SEEK;
  }

  plan->last_kept = t;
  plan->next_slot = slot + 1;
  if (plan->next_slot >= plan->count)
    return SEEK_PLAN_KEEP_LAST;
  return seek_plan_sparse (plan) ? SEEK_PLAN_KEEP_READ_ON : SEEK_PLAN_KEEP_SEEK;
}
