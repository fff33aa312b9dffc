/* gst-palette: the built-in demo clip. Five 2-second shots of a few flat
 * colors each, drawn with cairo straight into the buffers of an appsrc, so
 * that a bare `gst-palette` shows a palette with no file and no encoder. */
#include "demo-clip.h"

#include <cairo.h>
#include <colorspace.h>
#include <gst/app/gstappsrc.h>

typedef struct
{
  guint frame;
} DemoClipState;

static void
set_rgb (cairo_t * cr, guint32 packed)
{
  double rgb[3];

  palette_rgb_unpack (packed, rgb);
  cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
}

static void
fill_rect (cairo_t * cr, guint32 rgb, double x, double y, double w, double h)
{
  set_rgb (cr, rgb);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
}

static void
fill_circle (cairo_t * cr, guint32 rgb, double x, double y, double r)
{
  set_rgb (cr, rgb);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* T runs from 0 to 1 over the shot: things move a little, as in a film. */
static void
draw_shot (cairo_t * cr, guint shot, double t)
{
  const double w = DEMO_CLIP_WIDTH, h = DEMO_CLIP_HEIGHT;
  guint i;

  switch (shot) {
    case 0:                    /* dawn */
      fill_rect (cr, 0xf4a259, 0, 0, w, h);
      fill_circle (cr, 0xffe66d, w * 0.6, h * (0.7 - 0.2 * t), h * 0.18);
      fill_rect (cr, 0x5b3758, 0, h * 0.66, w, h * 0.34);
      break;
    case 1:                    /* sea */
      fill_rect (cr, 0x9ad1d4, 0, 0, w, h * 0.35);
      fill_rect (cr, 0x1b4f72, 0, h * 0.35, w, h * 0.65);
      fill_rect (cr, 0xffffff, w * (0.1 + 0.5 * t), h * 0.3, w * 0.08, h * 0.1);
      break;
    case 2:                    /* forest */
      fill_rect (cr, 0x2d6a4f, 0, 0, w, h);
      for (i = 0; i < 5; i++)
        fill_rect (cr, 0x6b4226, w * (0.08 + 0.2 * i) - 10 * t, 0, w * 0.05,
            h);
      break;
    case 3:                    /* night */
      fill_rect (cr, 0x0b132b, 0, 0, w, h);
      fill_circle (cr, 0xf2f2f2, w * (0.2 + 0.1 * t), h * 0.3, h * 0.12);
      break;
    default:                   /* desert */
      fill_rect (cr, 0x4ea8de, 0, 0, w, h * 0.5);
      fill_rect (cr, 0xe9c46a, 0, h * 0.5, w, h * 0.5);
      break;
  }
}

static void
demo_clip_need_data (GstAppSrc * src, guint length, gpointer user_data)
{
  DemoClipState *state = user_data;
  const guint total = DEMO_CLIP_N_SHOTS * DEMO_CLIP_SHOT_FRAMES;
  const gint stride = cairo_format_stride_for_width (CAIRO_FORMAT_RGB24,
      DEMO_CLIP_WIDTH);
  GstBuffer *buffer;
  GstMapInfo map;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint shot;

  if (state->frame >= total) {
    gst_app_src_end_of_stream (src);
    return;
  }

  buffer = gst_buffer_new_allocate (NULL, (gsize) stride * DEMO_CLIP_HEIGHT,
      NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  surface = cairo_image_surface_create_for_data (map.data, CAIRO_FORMAT_RGB24,
      DEMO_CLIP_WIDTH, DEMO_CLIP_HEIGHT, stride);
  cr = cairo_create (surface);
  /* Hard edges: no anti-aliased in-between colors in the palette. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  shot = state->frame / DEMO_CLIP_SHOT_FRAMES;
  draw_shot (cr, shot,
      (state->frame % DEMO_CLIP_SHOT_FRAMES) / (double) DEMO_CLIP_SHOT_FRAMES);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buffer, &map);

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (state->frame, GST_SECOND,
      DEMO_CLIP_FPS);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (1, GST_SECOND,
      DEMO_CLIP_FPS);
  GST_BUFFER_OFFSET (buffer) = state->frame;
  state->frame++;
  gst_app_src_push_buffer (src, buffer);
}

GstElement *
demo_clip_source_new (void)
{
  GstElement *src = gst_element_factory_make ("appsrc", "demo-clip");
  GstAppSrcCallbacks callbacks = { demo_clip_need_data, NULL, NULL, {NULL} };
  GstCaps *caps;

  if (src == NULL)
    return NULL;
  /* cairo's RGB24 is a native-endian 32-bit word: BGRx in memory on
   * little-endian machines, xRGB on big-endian ones. */
  caps = gst_caps_new_simple ("video/x-raw",
      "format", G_TYPE_STRING,
      G_BYTE_ORDER == G_LITTLE_ENDIAN ? "BGRx" : "xRGB",
      "width", G_TYPE_INT, DEMO_CLIP_WIDTH,
      "height", G_TYPE_INT, DEMO_CLIP_HEIGHT,
      "framerate", GST_TYPE_FRACTION, DEMO_CLIP_FPS, 1,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME,
      "duration", gst_util_uint64_scale (DEMO_CLIP_N_SHOTS *
          DEMO_CLIP_SHOT_FRAMES, GST_SECOND, DEMO_CLIP_FPS), NULL);
  gst_caps_unref (caps);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks,
      g_new0 (DemoClipState, 1), g_free);
  return src;
}

const gchar *
demo_clip_describe (void)
{
  return "dawn, sea, forest, night, desert";
}
