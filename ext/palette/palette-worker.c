/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* palettesink's analysis thread (see palette-worker.h). One mutex and one
 * condition guard the queue and its counters; the thread alone touches the
 * analyzer and the converter. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "palette-worker.h"
#include "matrix-guess.h"

#include <math.h>

GST_DEBUG_CATEGORY_EXTERN (gst_palette_sink_debug);
#define GST_CAT_DEFAULT gst_palette_sink_debug

/* Frames waiting for the thread. They are upstream's buffers, so keep few
 * of them; bytes bound them for large frames. */
#define MAX_PENDING_FRAMES 8
#define MAX_PENDING_BYTES (64 * 1024 * 1024)

/* The largest reduction, per axis, downscaled with linear (see
 * ensure_converter) */
#define LINEAR_MAX_RATIO 16

/* Downscaled frames of a stream that does not state its YCbCr matrix are
 * held until they have chosen it (matrix-guess.h): at least a few, so that
 * one frame does not decide, and at most as many frames or bytes as these
 * (7.4 MB at 160×90), then the convention unless they chose otherwise.
 * Holding is needed at all because a film may open on black or gray
 * (big_buck_bunny_10s.mp4's first 32 frames of 240 decide nothing). */
#define GUESS_MIN_FRAMES 8
#define GUESS_MAX_FRAMES 128
#define GUESS_MAX_BYTES (16 * 1024 * 1024)

/* A frame to analyse, or (frame NULL) a task. */
typedef struct
{
  GstBuffer *frame;
  GstVideoInfo info;
  GstClockTime timestamp;
  gsize size;
  gboolean matrix_stated;

  gpointer task;
  GDestroyNotify free_task;
  gboolean waited;              /* the pusher waits, and frees the job */
  gboolean ran;
  gboolean ok;
} Job;

/* A downscaled AYUV frame waiting for the matrix */
typedef struct
{
  GstBuffer *yuv;
  GstClockTime timestamp;
} HeldFrame;

struct _PaletteWorker
{
  GstElement *element;
  PaletteWorkerTaskFunc run_task;
  gpointer user_data;

  /* the thread's own */
  PaletteAnalyzer *analyzer;
  guint width;
  guint height;
  GstVideoResamplerMethod method;
  GstVideoConverter *converter;
  GstVideoInfo converter_in;
  gboolean converter_matrix_stated;
  GstVideoInfo converter_out;   /* AYUV for YUV input, else RGB */
  GstBuffer *yuv_buffer;        /* NULL: the converter gives RGB */
  GstVideoInfo rgb_info;
  GstBuffer *rgb_buffer;
  /* AYUV to RGB, exact (see yuv_tables_init): 16.16 fixed point of
   * 255·(R, G, B), by Y, Cb and Cr */
  gint32 y_term[256];
  gint32 cr_r[256];
  gint32 cb_g[256];
  gint32 cr_g[256];
  gint32 cb_b[256];
  /* the matrix frames are converted with (RGB: none needed), and whether
   * the stream stated it */
  GstVideoColorMatrix matrix;
  gboolean matrix_stated;
  /* a stream without a stated matrix: its first frames, held until they
   * have chosen it */
  gboolean guessing;
  MatrixGuess guess;
  GQueue held;

  GThread *thread;
  GMutex lock;
  GCond cond;
  /* lock */
  GQueue jobs;
  guint pending;
  gsize pending_bytes;
  gboolean quit;
  gboolean failed;
};

static void
held_frame_free (HeldFrame * held)
{
  gst_buffer_unref (held->yuv);
  g_free (held);
}

static void
job_free (Job * job)
{
  gst_clear_buffer (&job->frame);
  if (job->task && job->free_task)
    job->free_task (job->task);
  g_free (job);
}

/* What the converter depends on; strides and offsets come with each frame. */
static gboolean
converter_input_matches (const GstVideoInfo * a, const GstVideoInfo * b)
{
  return GST_VIDEO_INFO_FORMAT (a) == GST_VIDEO_INFO_FORMAT (b)
      && GST_VIDEO_INFO_WIDTH (a) == GST_VIDEO_INFO_WIDTH (b)
      && GST_VIDEO_INFO_HEIGHT (a) == GST_VIDEO_INFO_HEIGHT (b)
      && GST_VIDEO_INFO_INTERLACE_MODE (a) == GST_VIDEO_INFO_INTERLACE_MODE (b)
      && GST_VIDEO_INFO_CHROMA_SITE (a) == GST_VIDEO_INFO_CHROMA_SITE (b)
      && gst_video_colorimetry_is_equal (&a->colorimetry, &b->colorimetry);
}

/* One converter downscales: GstVideoConverter scales down before its
 * matrix conversion, and with nearest it only unpacks the rows it samples
 * (1280×720 I420 to 160×90 RGB: 0.10 ms). YCbCr frames are downscaled to
 * AYUV and converted to RGB by yuv_to_rgb() with exact coefficients: the
 * converter's 8-bit path uses low-precision ones (a fit gives a Y gain of
 * 1.154 instead of 1.164; the grays 128 and 28 of BT.601 come out 126 and
 * 26, its red 253 for 254, tests/check/elements/palettesink.c), and its
 * 16-bit path, exact otherwise, expands 8-bit chroma by bit replication
 * (128 to 32896 instead of 32768), which tints every gray: chaplin.mp4's
 * mean saturation went from 0 to 0.24. Other formats (RGB, gray) are
 * converted by the converter alone, without a matrix.
 *
 * The tables: 16.16 fixed point of 255·(R, G, B) from the matrix's Kr and
 * Kb and the range's offsets and scales. FALSE: a matrix without
 * coefficients. */
static gboolean
yuv_tables_init (PaletteWorker * worker, GstVideoColorMatrix matrix,
    GstVideoColorRange range)
{
  gint offset[GST_VIDEO_MAX_COMPONENTS], scale[GST_VIDEO_MAX_COMPONENTS];
  gdouble kr, kb, kg, unit = 255.0 * 65536.0;
  gint i;

  if (!gst_video_color_matrix_get_Kr_Kb (matrix, &kr, &kb))
    return FALSE;
  kg = 1.0 - kr - kb;
  gst_video_color_range_offsets (range,
      gst_video_format_get_info (GST_VIDEO_FORMAT_AYUV), offset, scale);
  /* AYUV's components: 0 Y, 1 U, 2 V */
  for (i = 0; i < 256; i++) {
    gdouble y = (i - offset[0]) / (gdouble) scale[0];
    gdouble pb = (i - offset[1]) / (gdouble) scale[1];
    gdouble pr = (i - offset[2]) / (gdouble) scale[2];

    /* + 0.5: the sum is rounded by truncation */
    worker->y_term[i] = (gint32) lround ((y * unit) + 32768.0);
    worker->cr_r[i] = (gint32) lround (2.0 * (1.0 - kr) * pr * unit);
    worker->cb_b[i] = (gint32) lround (2.0 * (1.0 - kb) * pb * unit);
    worker->cb_g[i] = (gint32) lround (-2.0 * kb * (1.0 - kb) / kg * pb * unit);
    worker->cr_g[i] = (gint32) lround (-2.0 * kr * (1.0 - kr) / kg * pr * unit);
  }
  return TRUE;
}

static inline guint8
clamp_fixed (gint32 v)
{
  /* v: 16.16 fixed point, the 0.5 of rounding added */
  return v <= 0 ? 0 : v >= (255 << 16) ? 255 : (guint8) (v >> 16);
}

/* AYUV (8 bits) to packed RGB with the tables */
static void
yuv_to_rgb (PaletteWorker * worker, const GstVideoFrame * yuv, guint8 * rgb,
    gint rgb_stride)
{
  gint width = GST_VIDEO_FRAME_WIDTH (yuv);
  gint height = GST_VIDEO_FRAME_HEIGHT (yuv);
  gint x, y;

  for (y = 0; y < height; y++) {
    const guint8 *in = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (yuv, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (yuv, 0);
    guint8 *out = rgb + y * rgb_stride;

    for (x = 0; x < width; x++, in += 4, out += 3) {
      gint32 luma = worker->y_term[in[1]];

      out[0] = clamp_fixed (luma + worker->cr_r[in[3]]);
      out[1] = clamp_fixed (luma + worker->cb_g[in[2]] + worker->cr_g[in[3]]);
      out[2] = clamp_fixed (luma + worker->cb_b[in[2]]);
    }
  }
}

static gboolean
converter_is_for (PaletteWorker * worker, const GstVideoInfo * in_info,
    gboolean matrix_stated)
{
  return worker->converter && worker->converter_matrix_stated == matrix_stated
      && converter_input_matches (&worker->converter_in, in_info);
}

/* Chooses the matrix of frames of IN_INFO: the stated one, or (not stated,
 * BT.601 or BT.709 assumed) the one their first frames choose. */
static void
choose_matrix (PaletteWorker * worker, const GstVideoInfo * in_info,
    gboolean matrix_stated)
{
  GstVideoColorMatrix matrix = in_info->colorimetry.matrix;

  worker->matrix = matrix;
  worker->matrix_stated = matrix_stated;
  worker->guessing = !matrix_stated
      && (matrix == GST_VIDEO_COLOR_MATRIX_BT601
      || matrix == GST_VIDEO_COLOR_MATRIX_BT709);
  if (worker->guessing)
    matrix_guess_init (&worker->guess, in_info->colorimetry.range);
  else
    yuv_tables_init (worker, matrix, in_info->colorimetry.range);
}

/* Called with no frame held (flush_held) */
static gboolean
ensure_converter (PaletteWorker * worker, const GstVideoInfo * in_info,
    gboolean matrix_stated)
{
  guint out_width, out_height;
  gboolean use_yuv;
  GstVideoResamplerMethod method;
  gdouble kr, kb;

  if (converter_is_for (worker, in_info, matrix_stated))
    return TRUE;

  g_clear_pointer (&worker->converter, gst_video_converter_free);
  gst_clear_buffer (&worker->rgb_buffer);
  gst_clear_buffer (&worker->yuv_buffer);

  /* never upscale: a 7×5 frame gives 35 samples */
  out_width = MIN ((guint) GST_VIDEO_INFO_WIDTH (in_info), worker->width);
  out_height = MIN ((guint) GST_VIDEO_INFO_HEIGHT (in_info), worker->height);
  /* YCbCr: the converter only downscales (to AYUV, with the input's
   * colorimetry: no matrix), yuv_to_rgb() converts exactly. Not frames
   * that keep their size: the converter takes a fast path there, and
   * GStreamer 1.22's UYVY to AYUV one crashes on odd widths; frames that
   * small are left to the converter's own RGB conversion. */
  use_yuv = GST_VIDEO_INFO_IS_YUV (in_info)
      && (out_width != (guint) GST_VIDEO_INFO_WIDTH (in_info)
      || out_height != (guint) GST_VIDEO_INFO_HEIGHT (in_info))
      && gst_video_color_matrix_get_Kr_Kb (in_info->colorimetry.matrix, &kr,
      &kb);
  if (use_yuv) {
    choose_matrix (worker, in_info, matrix_stated);
  } else {
    /* the converter's own: the caps' matrix, none for RGB */
    worker->matrix = GST_VIDEO_INFO_IS_YUV (in_info) ?
        in_info->colorimetry.matrix : GST_VIDEO_COLOR_MATRIX_RGB;
    worker->matrix_stated = matrix_stated;
    worker->guessing = FALSE;
  }
  /* the converter scales interlaced frames field by field */
  gst_video_info_set_interlaced_format (&worker->converter_out,
      use_yuv ? GST_VIDEO_FORMAT_AYUV : GST_VIDEO_FORMAT_RGB,
      GST_VIDEO_INFO_INTERLACE_MODE (in_info), out_width, out_height);
  if (use_yuv) {
    worker->converter_out.colorimetry = in_info->colorimetry;
    worker->converter_out.chroma_site = in_info->chroma_site;
  }
  gst_video_info_set_interlaced_format (&worker->rgb_info,
      GST_VIDEO_FORMAT_RGB, GST_VIDEO_INFO_INTERLACE_MODE (in_info),
      out_width, out_height);
  GST_VIDEO_INFO_FPS_N (&worker->converter_out) =
      GST_VIDEO_INFO_FPS_N (in_info);
  GST_VIDEO_INFO_FPS_D (&worker->converter_out) =
      GST_VIDEO_INFO_FPS_D (in_info);

  /* GStreamer 1.22's linear resampler gets solid frames wrong beyond a
   * 17x reduction (a 0x2f70b0 frame of 640x1710 comes out 0x3570b9 over
   * 92 % of its 160x90 copy; 3840x2160 over 3 %): there, and for larger
   * frames, nearest */
  method = worker->method;
  if (method == GST_VIDEO_RESAMPLER_METHOD_LINEAR
      && ((guint) GST_VIDEO_INFO_WIDTH (in_info) > LINEAR_MAX_RATIO * out_width
          || (guint) GST_VIDEO_INFO_HEIGHT (in_info) >
          LINEAR_MAX_RATIO * out_height))
    method = GST_VIDEO_RESAMPLER_METHOD_NEAREST;

  worker->converter = gst_video_converter_new (in_info,
      &worker->converter_out, gst_structure_new ("GstVideoConverter",
          GST_VIDEO_CONVERTER_OPT_THREADS, G_TYPE_UINT, 1,
          GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
          GST_TYPE_VIDEO_RESAMPLER_METHOD, method,
          GST_VIDEO_CONVERTER_OPT_CHROMA_MODE, GST_TYPE_VIDEO_CHROMA_MODE,
          GST_VIDEO_CHROMA_MODE_NONE,
          GST_VIDEO_CONVERTER_OPT_DITHER_METHOD,
          GST_TYPE_VIDEO_DITHER_METHOD, GST_VIDEO_DITHER_NONE, NULL));
  if (!worker->converter)
    return FALSE;

  worker->converter_in = *in_info;
  worker->converter_matrix_stated = matrix_stated;
  if (use_yuv)
    worker->yuv_buffer = gst_buffer_new_allocate (NULL,
        GST_VIDEO_INFO_SIZE (&worker->converter_out), NULL);
  worker->rgb_buffer = gst_buffer_new_allocate (NULL,
      GST_VIDEO_INFO_SIZE (&worker->rgb_info), NULL);
  GST_DEBUG_OBJECT (worker->element, "converting %s %dx%d to RGB %ux%u",
      GST_VIDEO_INFO_NAME (in_info), GST_VIDEO_INFO_WIDTH (in_info),
      GST_VIDEO_INFO_HEIGHT (in_info), out_width, out_height);
  return TRUE;
}

/* Adds the frame in rgb_buffer (RGB_INFO) to the analyzer */
static gboolean
add_rgb_frame (PaletteWorker * worker, const GstVideoInfo * rgb_info,
    GstClockTime timestamp)
{
  GstElement *self = worker->element;
  GstVideoFrame rgb_frame;
  PaletteStatus status;

  if (!gst_video_frame_map (&rgb_frame, rgb_info, worker->rgb_buffer,
          GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("Could not map the RGB frame"));
    return FALSE;
  }
  status = palette_analyzer_add_frame (worker->analyzer,
      GST_VIDEO_FRAME_PLANE_DATA (&rgb_frame, 0),
      GST_VIDEO_FRAME_WIDTH (&rgb_frame), GST_VIDEO_FRAME_HEIGHT (&rgb_frame),
      GST_VIDEO_FRAME_PLANE_STRIDE (&rgb_frame, 0), 3, timestamp);
  gst_video_frame_unmap (&rgb_frame);

  /* a palette that silently misses frames would be worse than none */
  if (status == PALETTE_OUT_OF_MEMORY) {
    GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, (NULL),
        ("Could not analyse a frame: %s", palette_status_to_string (status)));
    return FALSE;
  }
  /* the converter's frames are never empty: a refusal is our bug */
  if (status != PALETTE_OK) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, (NULL),
        ("The color engine refused a %ux%u RGB frame: %s",
            GST_VIDEO_INFO_WIDTH (rgb_info), GST_VIDEO_INFO_HEIGHT (rgb_info),
            palette_status_to_string (status)));
    return FALSE;
  }
  return TRUE;
}

/* Converts YUV (downscaled AYUV) to RGB with the tables and adds it */
static gboolean
add_yuv_frame (PaletteWorker * worker, GstBuffer * yuv,
    GstClockTime timestamp)
{
  GstVideoFrame yuv_frame, rgb_frame;

  if (!gst_video_frame_map (&yuv_frame, &worker->converter_out, yuv,
          GST_MAP_READ)) {
    GST_ELEMENT_ERROR (worker->element, RESOURCE, FAILED, (NULL),
        ("Could not map the downscaled frame"));
    return FALSE;
  }
  if (!gst_video_frame_map (&rgb_frame, &worker->rgb_info, worker->rgb_buffer,
          GST_MAP_WRITE)) {
    gst_video_frame_unmap (&yuv_frame);
    GST_ELEMENT_ERROR (worker->element, RESOURCE, FAILED, (NULL),
        ("Could not map the RGB frame"));
    return FALSE;
  }
  yuv_to_rgb (worker, &yuv_frame, GST_VIDEO_FRAME_PLANE_DATA (&rgb_frame, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (&rgb_frame, 0));
  gst_video_frame_unmap (&rgb_frame);
  gst_video_frame_unmap (&yuv_frame);
  return add_rgb_frame (worker, &worker->rgb_info, timestamp);
}

/* Lets the frames held so far choose the matrix, then analyses them: before
 * a task (a palette covers every frame queued before it) and before the
 * converter changes. */
static gboolean
flush_held (PaletteWorker * worker)
{
  HeldFrame *held;
  gboolean ok = TRUE;

  if (!worker->guessing)
    return TRUE;
  worker->guessing = FALSE;
  worker->matrix = matrix_guess_decide (&worker->guess, worker->matrix,
      NULL);
  GST_INFO_OBJECT (worker->element, "no matrix stated: %s (outside the RGB "
      "cube: %" G_GUINT64_FORMAT " pixels as BT.601, %" G_GUINT64_FORMAT
      " as BT.709, of %" G_GUINT64_FORMAT ")",
      worker->matrix == GST_VIDEO_COLOR_MATRIX_BT601 ? "BT.601" : "BT.709",
      worker->guess.outside_bt601, worker->guess.outside_bt709,
      worker->guess.pixels);
  yuv_tables_init (worker, worker->matrix, worker->guess.range);
  while ((held = g_queue_pop_head (&worker->held)) != NULL) {
    if (ok)
      ok = add_yuv_frame (worker, held->yuv, held->timestamp);
    held_frame_free (held);
  }
  return ok;
}

/* Keeps the downscaled frame in yuv_buffer until the matrix is chosen */
static gboolean
hold_frame (PaletteWorker * worker, GstClockTime timestamp)
{
  GstVideoFrame yuv_frame;
  HeldFrame *held;
  gboolean sure;
  guint n_held;

  if (!gst_video_frame_map (&yuv_frame, &worker->converter_out,
          worker->yuv_buffer, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (worker->element, RESOURCE, FAILED, (NULL),
        ("Could not map the downscaled frame"));
    return FALSE;
  }
  matrix_guess_add_ayuv (&worker->guess, &yuv_frame);
  gst_video_frame_unmap (&yuv_frame);

  held = g_new (HeldFrame, 1);
  held->yuv = worker->yuv_buffer;
  held->timestamp = timestamp;
  g_queue_push_tail (&worker->held, held);
  worker->yuv_buffer = gst_buffer_new_allocate (NULL,
      GST_VIDEO_INFO_SIZE (&worker->converter_out), NULL);

  n_held = g_queue_get_length (&worker->held);
  matrix_guess_decide (&worker->guess, worker->matrix, &sure);
  if ((sure && n_held >= GUESS_MIN_FRAMES) || n_held >= GUESS_MAX_FRAMES
      || n_held * GST_VIDEO_INFO_SIZE (&worker->converter_out) >=
      GUESS_MAX_BYTES)
    return flush_held (worker);
  return TRUE;
}

static gboolean
analyse (PaletteWorker * worker, Job * job)
{
  GstElement *self = worker->element;
  GstVideoFrame in_frame, out_frame;
  gboolean ok;

  if (!gst_video_frame_map (&in_frame, &job->info, job->frame, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("Could not map a %s frame", GST_VIDEO_INFO_NAME (&job->info)));
    return FALSE;
  }
  /* frame.info, not the caps: a field of an alternate-interlaced stream is
   * half as high */
  if (!converter_is_for (worker, &in_frame.info, job->matrix_stated)
      && !flush_held (worker)) {
    gst_video_frame_unmap (&in_frame);
    return FALSE;
  }
  if (!ensure_converter (worker, &in_frame.info, job->matrix_stated)) {
    gst_video_frame_unmap (&in_frame);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("Cannot convert %s to RGB", GST_VIDEO_INFO_NAME (&job->info)));
    return FALSE;
  }
  if (!gst_video_frame_map (&out_frame, &worker->converter_out,
          worker->yuv_buffer ? worker->yuv_buffer : worker->rgb_buffer,
          GST_MAP_WRITE)) {
    gst_video_frame_unmap (&in_frame);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("Could not map the downscaled frame"));
    return FALSE;
  }
  gst_video_converter_frame (worker->converter, &in_frame, &out_frame);
  gst_video_frame_unmap (&out_frame);
  gst_video_frame_unmap (&in_frame);

  if (!worker->yuv_buffer)
    ok = add_rgb_frame (worker, &worker->converter_out, job->timestamp);
  else if (worker->guessing)
    ok = hold_frame (worker, job->timestamp);
  else
    ok = add_yuv_frame (worker, worker->yuv_buffer, job->timestamp);
  return ok;
}

static gpointer
worker_thread (gpointer data)
{
  PaletteWorker *worker = data;
  Job *job;
  gboolean failed, ok;

  g_mutex_lock (&worker->lock);
  while (TRUE) {
    while (g_queue_is_empty (&worker->jobs) && !worker->quit)
      g_cond_wait (&worker->cond, &worker->lock);
    job = g_queue_pop_head (&worker->jobs);
    if (!job)
      break;
    failed = worker->failed;
    g_mutex_unlock (&worker->lock);

    if (failed)
      ok = FALSE;
    else if (job->frame)
      ok = analyse (worker, job);
    else
      ok = flush_held (worker)
          && worker->run_task (worker->analyzer, job->task,
          worker->user_data);

    g_mutex_lock (&worker->lock);
    if (!ok)
      worker->failed = TRUE;
    worker->pending--;
    worker->pending_bytes -= job->size;
    job->ok = ok;
    job->ran = TRUE;
    g_cond_broadcast (&worker->cond);
    if (!job->waited) {
      /* release upstream's buffer outside our lock */
      g_mutex_unlock (&worker->lock);
      job_free (job);
      g_mutex_lock (&worker->lock);
    }
  }
  g_mutex_unlock (&worker->lock);
  return NULL;
}

PaletteWorker *
palette_worker_new (GstElement * element, PaletteAnalyzer * analyzer,
    guint width, guint height, GstVideoResamplerMethod method,
    PaletteWorkerTaskFunc run_task, gpointer user_data)
{
  PaletteWorker *worker = g_new0 (PaletteWorker, 1);

  worker->element = element;
  worker->analyzer = analyzer;
  worker->width = width;
  worker->height = height;
  worker->method = method;
  worker->run_task = run_task;
  worker->user_data = user_data;
  g_mutex_init (&worker->lock);
  g_cond_init (&worker->cond);
  g_queue_init (&worker->jobs);
  g_queue_init (&worker->held);
  worker->matrix = GST_VIDEO_COLOR_MATRIX_UNKNOWN;
  worker->thread = g_thread_new ("palettesink", worker_thread, worker);
  return worker;
}

static gboolean
is_full (PaletteWorker * worker, const Job * job)
{
  /* always let one in; tasks are tiny and never wait */
  return job->frame && worker->pending > 0
      && (worker->pending >= MAX_PENDING_FRAMES
      || worker->pending_bytes + job->size > MAX_PENDING_BYTES);
}

/* Takes JOB unless it is waited for. */
static PaletteWorkerResult
push (PaletteWorker * worker, Job * job, gboolean may_drop)
{
  PaletteWorkerResult result = PALETTE_WORKER_QUEUED;
  /* once queued, a job not waited for is the thread's, and may be gone */
  gboolean waited = job->waited;

  g_mutex_lock (&worker->lock);
  if (may_drop) {
    if (!worker->failed && is_full (worker, job))
      result = PALETTE_WORKER_DROPPED;
  } else {
    while (!worker->failed && is_full (worker, job))
      g_cond_wait (&worker->cond, &worker->lock);
  }
  if (worker->failed)
    result = PALETTE_WORKER_FAILED;
  if (result == PALETTE_WORKER_QUEUED) {
    g_queue_push_tail (&worker->jobs, job);
    worker->pending++;
    worker->pending_bytes += job->size;
    g_cond_broadcast (&worker->cond);
    if (waited) {
      while (!job->ran)
        g_cond_wait (&worker->cond, &worker->lock);
      if (!job->ok)
        result = PALETTE_WORKER_FAILED;
    }
  }
  g_mutex_unlock (&worker->lock);

  if (result != PALETTE_WORKER_QUEUED || waited)
    job_free (job);
  return result;
}

PaletteWorkerResult
palette_worker_push_frame (PaletteWorker * worker, GstBuffer * frame,
    const GstVideoInfo * info, gboolean matrix_stated, GstClockTime timestamp,
    gboolean may_drop)
{
  Job *job = g_new0 (Job, 1);

  job->frame = gst_buffer_ref (frame);
  job->info = *info;
  job->matrix_stated = matrix_stated;
  job->timestamp = timestamp;
  job->size = gst_buffer_get_size (frame);
  return push (worker, job, may_drop);
}

gboolean
palette_worker_push_task (PaletteWorker * worker, gpointer task,
    GDestroyNotify free_task, gboolean wait)
{
  Job *job = g_new0 (Job, 1);

  job->task = task;
  job->free_task = free_task;
  job->waited = wait;
  return push (worker, job, FALSE) == PALETTE_WORKER_QUEUED;
}

GstVideoColorMatrix
palette_worker_get_color_matrix (PaletteWorker * worker, gboolean * stated)
{
  *stated = worker->matrix_stated;
  return worker->matrix;
}

void
palette_worker_free (PaletteWorker * worker)
{
  if (worker == NULL)
    return;
  g_mutex_lock (&worker->lock);
  worker->quit = TRUE;
  g_cond_broadcast (&worker->cond);
  g_mutex_unlock (&worker->lock);
  g_thread_join (worker->thread);

  g_queue_clear_full (&worker->jobs, (GDestroyNotify) job_free);
  g_queue_clear_full (&worker->held, (GDestroyNotify) held_frame_free);
  g_clear_pointer (&worker->converter, gst_video_converter_free);
  gst_clear_buffer (&worker->rgb_buffer);
  gst_clear_buffer (&worker->yuv_buffer);
  g_clear_pointer (&worker->analyzer, palette_analyzer_free);
  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->cond);
  g_free (worker);
}
