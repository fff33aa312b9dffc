/* gst-palette live's catch-up (issue #21): a decoder behind a live stream
 * skips delta units to the next key frame, so packets do not pile up before
 * it; key frames always pass; --keyframes-only drops every delta unit. The
 * probe sits on identity's sink pad, under a test clock. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "live-catchup.h"

#define MS (GST_MSECOND)

static GstHarness *
make_harness (gboolean keyframes_only, gint * skipped)
{
  GstHarness *h = gst_harness_new ("identity");
  GstPad *sink = gst_element_get_static_pad (h->element, "sink");

  live_catchup_attach (sink, LIVE_CATCHUP_MAX_LAG, keyframes_only, skipped);
  gst_object_unref (sink);
  gst_harness_use_testclock (h);
  gst_harness_set_src_caps_str (h, "video/x-h264, stream-format=byte-stream, "
      "alignment=au");
  return h;
}

static void
push (GstHarness * h, GstClockTime pts, gboolean delta)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, 16, NULL);

  GST_BUFFER_PTS (buffer) = pts;
  if (delta)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  fail_unless_equals_int (gst_harness_push (h, buffer), GST_FLOW_OK);
}

/* the time stamps of the buffers that passed, in ms */
static gchar *
passed (GstHarness * h)
{
  GString *out = g_string_new (NULL);
  GstBuffer *buffer;

  while ((buffer = gst_harness_try_pull (h)) != NULL) {
    if (GST_BUFFER_PTS_IS_VALID (buffer))
      g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, out->len ? " " : "",
          GST_BUFFER_PTS (buffer) / MS);
    else
      g_string_append_printf (out, "%snone", out->len ? " " : "");
    gst_buffer_unref (buffer);
  }
  return g_string_free (out, FALSE);
}

GST_START_TEST (test_behind_skips_to_next_key_frame)
{
  gint *skipped = g_atomic_rc_box_new0 (gint);
  GstHarness *h = make_harness (FALSE, skipped);
  gchar *kept;

  gst_harness_set_time (h, 10000 * MS);
  push (h, 9500 * MS, FALSE);   /* key frame, 0.5 s behind */
  push (h, 9600 * MS, TRUE);    /* 0.4 s: kept */
  push (h, 8000 * MS, TRUE);    /* exactly 2 s behind: kept */
  push (h, 7900 * MS, TRUE);    /* 2.1 s: skipped ... */
  push (h, 9900 * MS, TRUE);    /* ... and so is what follows it */
  push (h, 9950 * MS, TRUE);
  push (h, 5000 * MS, FALSE);   /* a key frame passes however late */
  push (h, 9990 * MS, TRUE);    /* back in time: kept */
  push (h, 7000 * MS, TRUE);    /* behind again */
  push (h, GST_CLOCK_TIME_NONE, TRUE);  /* no time: skipping goes on */
  push (h, 10000 * MS, FALSE);
  push (h, GST_CLOCK_TIME_NONE, TRUE);  /* no time: not behind */

  kept = passed (h);
  fail_unless_equals_string (kept, "9500 9600 8000 5000 9990 10000 none");
  fail_unless_equals_int (g_atomic_int_get (skipped), 5);
  g_free (kept);
  gst_harness_teardown (h);
  /* the probe's reference went with the pad */
  g_atomic_rc_box_release (skipped);
}

GST_END_TEST;

GST_START_TEST (test_keyframes_only)
{
  gint *skipped = g_atomic_rc_box_new0 (gint);
  GstHarness *h = make_harness (TRUE, skipped);
  gchar *kept;

  gst_harness_set_time (h, 1000 * MS);
  push (h, 0, FALSE);
  push (h, 33 * MS, TRUE);
  push (h, 66 * MS, TRUE);
  push (h, 100 * MS, FALSE);
  push (h, 133 * MS, TRUE);

  kept = passed (h);
  fail_unless_equals_string (kept, "0 100");
  /* dropped by choice, not for lateness */
  fail_unless_equals_int (g_atomic_int_get (skipped), 0);
  g_free (kept);
  gst_harness_teardown (h);
  g_atomic_rc_box_release (skipped);
}

GST_END_TEST;

GST_START_TEST (test_lag)
{
  GstHarness *h = make_harness (FALSE, NULL);
  GstPad *sink = gst_element_get_static_pad (h->element, "sink");
  GstBuffer *buffer = gst_buffer_new ();
  GstSegment segment;

  gst_harness_set_time (h, 10000 * MS);
  GST_BUFFER_PTS (buffer) = 9250 * MS;
  fail_unless_equals_int64 (live_catchup_lag (sink, buffer), 750 * MS);
  /* the decoding time stamp comes first: it is when the decoder needs it */
  GST_BUFFER_DTS (buffer) = 9000 * MS;
  fail_unless_equals_int64 (live_catchup_lag (sink, buffer), 1000 * MS);
  GST_BUFFER_DTS (buffer) = 10500 * MS;
  fail_unless_equals_int64 (live_catchup_lag (sink, buffer), -500 * MS);

  /* running time, not the time stamp: a segment starting at 5 s */
  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = 5000 * MS;
  segment.time = 5000 * MS;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  fail_unless_equals_int64 (live_catchup_lag (sink, buffer), 4500 * MS);

  GST_BUFFER_PTS (buffer) = GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  fail_unless_equals_int64 (live_catchup_lag (sink, buffer), 0);
  gst_buffer_unref (buffer);
  gst_object_unref (sink);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
live_catchup_suite (void)
{
  Suite *s = suite_create ("live-catchup");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_behind_skips_to_next_key_frame);
  tcase_add_test (tc, test_keyframes_only);
  tcase_add_test (tc, test_lag);
  return s;
}

GST_CHECK_MAIN (live_catchup);
