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
 * (KEY_UNIT | SNAP_AFTER with the key-unit trick mode) to the start of the
 * next empty slot, so that upstream decodes one frame, the first key frame
 * at or after it. Key frames sparser than the slots would bring the same
 * frame twice: a landing in a slot that already has its frame is dropped and
 * the stream read on (in the trick mode the next frame is the next key
 * frame, which lies in a later slot); once two consecutive key frames were
 * seen further apart than a slot, the plan stops seeking and reads on, key
 * frame by key frame.
 *
 * Top-up: key frames so sparse that the pass would reach fewer than
 * min_frames distinct frames (a 3-minute film with a key frame every 10 s
 * has 18) make an unsound palette. From the second key frame on, the plan
 * projects how many key frames the film has (span / mean gap between the
 * key frames kept) and, when short, owes the missing frames to the gaps
 * between key frames, spread evenly over the film. A gap that owes m frames
 * gets them in its first half, at gap/2m steps after its key frame: one
 * ACCURATE seek to the first (upstream decodes from that key frame on),
 * reading on to the others, then a key-unit seek to just past the last,
 * which lands on the next key frame. The frames kept so stay in timeline
 * order, each key frame is still decoded once, and the top-up decodes at
 * most half of each gap it fills: at most half a full decode, about
 * (min_frames - key frames) / key frames / 2 of it. A film that shows a
 * single key frame (the key-unit seek lands back on it) gets its missing
 * frames from the first half of the rest of the film the same way.
 *
 * No element or pad here: the element feeds it the stream time of each
 * frame. */
#ifndef __FRAME_DECIMATE_SEEK_PLAN_H__
#define __FRAME_DECIMATE_SEEK_PLAN_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  SEEK_PLAN_DROP_READ_ON,       /* drop it, and take the next frame upstream sends */
  SEEK_PLAN_DROP_SEEK,          /* drop it, and seek (key unit) to seek_plan_target() */
  SEEK_PLAN_KEEP_READ_ON,       /* keep it, then take the next frame */
  SEEK_PLAN_KEEP_SEEK,          /* keep it, then seek (key unit) to seek_plan_target() */
  SEEK_PLAN_KEEP_SEEK_ACCURATE, /* keep it, then seek ACCURATE to seek_plan_target() */
  SEEK_PLAN_DROP_SEEK_ACCURATE, /* drop it, then seek ACCURATE to seek_plan_target() */
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
  GstClockTime sought;          /* target of the last seek (NONE: none) */
  /* top-up */
  guint min_frames;             /* distinct frames wanted at least (<= count) */
  guint keys;                   /* key frames kept */
  GstClockTime first_key;
  GstClockTime last_key;
  guint top_up_planned;         /* top-up frames planned so far */
  guint top_up_kept;            /* ... and kept */
  guint top_up_left;            /* still to keep in the current gap */
  GstClockTime top_up_next;     /* stream time of the next of them */
  GstClockTime top_up_step;
  gboolean after_top_up;        /* the last frame kept was a top-up frame */
  gboolean accurate;            /* the next seek is an ACCURATE one */
} SeekPlan;

/* @min_frames: top up to this many distinct frames (capped at @count; 0:
 * never) */
void seek_plan_init (SeekPlan * plan, GstClockTime begin, GstClockTime end,
    guint count, guint min_frames);

/* Our seek flushed the stream: the next frame is where it landed */
void seek_plan_flushed (SeekPlan * plan);

/* The frame at @stream_time; @key_frames_only: upstream sends key frames
 * only (a key-unit trick-mode segment), so that the gap to the previous
 * frame is a gap between key frames */
SeekPlanVerdict seek_plan_frame (SeekPlan * plan, GstClockTime stream_time,
    gboolean key_frames_only);

/* Stream time of the next seek: after a key frame, the start of the next
 * empty slot; within a top-up, the next top-up frame (ACCURATE); after the
 * last top-up frame of a gap, just past it (to the next key frame) */
GstClockTime seek_plan_target (const SeekPlan * plan);

/* The next seek is an ACCURATE one (a top-up frame), not a key-unit one */
gboolean seek_plan_target_accurate (const SeekPlan * plan);

/* Frames kept so far to top up sparse key frames */
guint seek_plan_top_up_kept (const SeekPlan * plan);

/* Key frames were seen further apart than a slot */
gboolean seek_plan_sparse (const SeekPlan * plan);

G_END_DECLS

#endif /* __FRAME_DECIMATE_SEEK_PLAN_H__ */
