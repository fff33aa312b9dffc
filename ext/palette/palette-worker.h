/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* palettesink's analysis thread: the one owner of the analyzer. The
 * streaming thread hands it frames and tasks (a palette to publish), which
 * it runs in order, so that decoding and analysis use two cores and the
 * analyzer is never touched by two threads. */
#ifndef __PALETTE_WORKER_H__
#define __PALETTE_WORKER_H__

#include <gst/gst.h>
#include <gst/video/video.h>

#include "analyzer.h"

G_BEGIN_DECLS

typedef struct _PaletteWorker PaletteWorker;

typedef enum
{
  PALETTE_WORKER_QUEUED,
  PALETTE_WORKER_DROPPED,       /* no room, and the caller may not wait */
  PALETTE_WORKER_FAILED,        /* the worker failed before (and posted why) */
} PaletteWorkerResult;

/* Runs in the worker with its analyzer; FALSE when it failed (and posted
 * why on the bus). */
typedef gboolean (*PaletteWorkerTaskFunc) (PaletteAnalyzer * analyzer,
    gpointer task, gpointer user_data);

/* Takes ANALYZER. Frames are downscaled to at most WIDTH × HEIGHT RGB with
 * METHOD; ELEMENT gets the error messages. */
PaletteWorker *palette_worker_new (GstElement * element,
    PaletteAnalyzer * analyzer, guint width, guint height,
    GstVideoResamplerMethod method, PaletteWorkerTaskFunc run_task,
    gpointer user_data);

/* Queues FRAME (a new reference is taken) of INFO at stream time
 * TIMESTAMP; MATRIX_STATED: the caps stated INFO's YCbCr matrix, else the
 * first frames choose it (matrix-guess.h). When frames are waiting
 * already, MAY_DROP drops it rather than wait for room (a live source is
 * never held up). */
PaletteWorkerResult palette_worker_push_frame (PaletteWorker * worker,
    GstBuffer * frame, const GstVideoInfo * info, gboolean matrix_stated,
    GstClockTime timestamp, gboolean may_drop);

/* Queues TASK, run after the frames queued before it and never dropped;
 * FREE_TASK frees it once run (or not run, the worker having failed). With
 * WAIT, returns once it ran: FALSE when it or the worker failed. */
gboolean palette_worker_push_task (PaletteWorker * worker, gpointer task,
    GDestroyNotify free_task, gboolean wait);

/* The YCbCr matrix the last frames were converted with
 * (GST_VIDEO_COLOR_MATRIX_RGB: RGB input, none needed), and whether the
 * stream stated it. From a task: the worker's thread. */
GstVideoColorMatrix palette_worker_get_color_matrix (PaletteWorker * worker,
    gboolean * stated);

/* Stops the thread once what is queued ran, and frees the analyzer. */
void palette_worker_free (PaletteWorker * worker);

G_END_DECLS

#endif /* __PALETTE_WORKER_H__ */
