/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* framedecimate mode=seek: which frames to keep and where to seek next.
 *
 * The span [begin, end) of stream time is cut into count equal slots; at
 * most one frame is kept per slot. After each kept frame the element seeks
 * (KEY_UNIT | SNAP_NEAREST with the key-unit trick mode) to the middle of
 * the next empty slot, so that upstream decodes one frame, the key frame
 * nearest to it. Key frames sparser than the slots would bring the same
 * frame twice: a landing in a slot that already has its frame is dropped and
 * the stream read on (in the trick mode the next frame is the next key
 * frame, which lies in a later slot); once two consecutive key frames were
 * seen further apart than a slot, the plan stops seeking and reads on, key
 * frame by key frame. No element or pad here: the element feeds it the
 * stream time of each frame. */
#ifndef __FRAME_DECIMATE_SEEK_PLAN_H__
#define __FRAME_DECIMATE_SEEK_PLAN_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  SEEK_PLAN_DROP_READ_ON,       /* drop it, and take the next frame upstream sends */
  SEEK_PLAN_DROP_SEEK,          /* drop it, and seek to seek_plan_target() */
  SEEK_PLAN_KEEP_READ_ON,       /* keep it, then take the next frame */
  SEEK_PLAN_KEEP_SEEK,          /* keep it, then seek to seek_plan_target() */
  SEEK_PLAN_KEEP_LAST,          /* keep it: every slot is done */
  SEEK_PLAN_DONE,               /* past the span or every slot done: end */
} SeekPlanVerdict;

typedef struct
{
  GstClockTime begin;
  GstClockTime end;
  guint count;
  guint next_slot;              /* first slot that may still get a frame */
  GstClockTime last_kept;       /* NONE before the first */
  GstClockTime prev_seen;       /* previous frame since the last flush */
  GstClockTime key_gap;         /* smallest gap seen between key frames */
  gboolean landed;              /* the next frame is the first after a seek */
} SeekPlan;

void seek_plan_init (SeekPlan * plan, GstClockTime begin, GstClockTime end,
    guint count);

/* Our seek flushed the stream: the next frame is where it landed */
void seek_plan_flushed (SeekPlan * plan);

/* The frame at @stream_time; @key_frames_only: upstream sends key frames
 * only (a key-unit trick-mode segment), so that the gap to the previous
 * frame is a gap between key frames */
SeekPlanVerdict seek_plan_frame (SeekPlan * plan, GstClockTime stream_time,
    gboolean key_frames_only);

/* Stream time to seek to for the next empty slot: its middle */
GstClockTime seek_plan_target (const SeekPlan * plan);

/* Key frames were seen further apart than a slot */
gboolean seek_plan_sparse (const SeekPlan * plan);

G_END_DECLS

#endif /* __FRAME_DECIMATE_SEEK_PLAN_H__ */
