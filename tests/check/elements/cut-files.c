/* Files cut short, in every container and sampling mode (issue #17): the
 * palette of what was received is written, marked incomplete, and the
 * container check tells whole files from cut ones. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "file-end.h"

typedef struct
{
  const gchar *name;            /* file extension */
  const gchar *encoder;
  const gchar *muxer;
  gboolean seekable_when_cut;   /* the demuxer takes framedecimate's seek */
} Container;

/* Encoders from plugins-base, -good and -libav, which CI installs; a
 * container whose elements are missing is skipped with a message. */
static const Container containers[] = {
  {"webm", "vp8enc keyframe-max-dist=10 deadline=1", "webmmux", TRUE},
  {"mkv", "jpegenc", "matroskamux", TRUE},
  {"mp4", "avenc_mpeg4 gop-size=10", "mp4mux faststart=true", TRUE},
  /* with the index at the end, a cut QuickTime file has none: decodebin
   * then may drop qtdemux's error (tools/analyze.c works around it) */
  {"mov", "jpegenc", "qtmux faststart=true", TRUE},
  {"avi", "jpegenc", "avimux", TRUE},
  {"ogg", "theoraenc keyframe-force=10", "oggmux", TRUE},
  /* (gst-libav 1.22's MPEG-2 encoder refuses every frame rate) */
  {"mpg", "avenc_mpeg4 gop-size=10 ! mpeg4videoparse", "mpegpsmux",
      /* GStreamer 1.22's mpegpsdemux fails a critical assertion
       * (gst_util_uint64_scale, denom != 0) seeking in a cut file */
      FALSE},
  {"ts", "avenc_mpeg4 gop-size=10 ! mpeg4videoparse", "mpegtsmux", TRUE},
};

static gchar *tmp_dir;

static gboolean
have_factories (const gchar * description)
{
  gchar **words = g_strsplit (description, " ", -1);
  gboolean have = TRUE;

  /* the first word of each element description is its factory */
  have = gst_registry_check_feature_version (gst_registry_get (), words[0],
      1, 0, 0);
  g_strfreev (words);
  return have;
}

/* Runs DESCRIPTION to EOS or an error; TRUE at EOS. */
static gboolean
run (const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstMessage *message;
  gboolean eos;

  fail_unless (pipeline != NULL, "%s: %s", description,
      error ? error->message : "?");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (message != NULL, "%s did not end within 60 s", description);
  eos = GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS;
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return eos;
}

/* 60 frames of blue then 60 of red at 160×90, 25 fps; NULL when the
 * container's elements are missing. */
static gchar *
make_clip (const Container * c)
{
  gchar *path, *description;

  if (!have_factories (c->encoder) || !have_factories (c->muxer)) {
    g_print ("%s: no %s or %s, not tested\n", c->name, c->encoder, c->muxer);
    return NULL;
  }
  path = g_strdup_printf ("%s/whole.%s", tmp_dir, c->name);
  description = g_strdup_printf ("videotestsrc num-buffers=120 "
      "pattern=solid-color foreground-color=0xff0000ff ! "
      "video/x-raw,width=160,height=90,framerate=25/1 ! videoconvert ! %s ! "
      "%s ! filesink location=\"%s\"", c->encoder, c->muxer, path);
  fail_unless (run (description), "could not make %s", path);
  g_free (description);
  return path;
}

static gchar *
cut_copy (const gchar * whole, const gchar * name, guint percent)
{
  gchar *contents, *path = g_strdup_printf ("%s/cut-%u.%s", tmp_dir, percent,
      name);
  gsize length;

  fail_unless (g_file_get_contents (whole, &contents, &length, NULL));
  /* a few bytes past the round figure: a transport stream cut exactly
   * between two of its 188-byte packets looks whole (docs/robustness.md) */
  fail_unless (g_file_set_contents (path, contents,
          length * percent / 100 + 7, NULL));
  g_free (contents);
  return path;
}

typedef enum
{
  PALETTE_FAILED,               /* an error, no record: nothing claimed */
  PALETTE_INCOMPLETE,
  PALETTE_COMPLETE,
} Outcome;

static const gchar *outcome_names[] = { "failed", "incomplete", "complete" };

/* What the record says after FILE went through framedecimate MODE. */
static Outcome
palette_outcome (const gchar * file, const gchar * mode)
{
  gchar *record = g_build_filename (tmp_dir, "palette.json", NULL);
  gchar *uri = gst_filename_to_uri (file, NULL);
  /* uridecodebin, as gst-palette uses: filesrc ! decodebin can hang on a
   * file whose demuxer finds no streams (GStreamer 1.22's decodebin) */
  gchar *description = g_strdup_printf ("uridecodebin uri=\"%s\" ! "
      "videoconvert ! framedecimate mode=%s ! palettesink location=\"%s\"",
      uri, mode, record);
  JsonParser *parser = json_parser_new ();
  Outcome outcome = PALETTE_FAILED;
  gboolean eos;

  g_unlink (record);
  eos = run (description);
  if (json_parser_load_from_file (parser, record, NULL))
    outcome = json_object_get_boolean_member (json_node_get_object
        (json_parser_get_root (parser)), "complete") ? PALETTE_COMPLETE :
        PALETTE_INCOMPLETE;
  else
    fail_if (eos, "%s (%s) ended without a record", file, mode);
  g_print ("%s, %s: %s\n", file, mode, outcome_names[outcome]);
  g_object_unref (parser);
  g_free (description);
  g_free (record);
  g_free (uri);
  return outcome;
}

GST_START_TEST (test_file_end_check)
{
  guint i, tested = 0;

  for (i = 0; i < G_N_ELEMENTS (containers); i++) {
    gchar *whole = make_clip (&containers[i]);
    guint percent;

    if (!whole)
      continue;
    tested++;
    fail_unless_equals_int (palette_file_end_check (whole, NULL),
        PALETTE_FILE_END_WHOLE);
    for (percent = 30; percent <= 95; percent += 13) {
      gchar *cut = cut_copy (whole, containers[i].name, percent), *detail;

      fail_unless (palette_file_end_check (cut, &detail) ==
          PALETTE_FILE_END_CUT, "%s cut at %u %% not found cut",
          containers[i].name, percent);
      fail_unless (detail != NULL && detail[0] != '\0');
      g_free (detail);
      g_unlink (cut);
      g_free (cut);
    }
    g_unlink (whole);
    g_free (whole);
  }
  /* vp8enc, jpegenc, avimux, oggmux and the muxers of -good are in CI */
  fail_unless (tested >= 5, "only %u containers could be made", tested);
}

GST_END_TEST;

GST_START_TEST (test_not_containers)
{
  gchar *text = g_build_filename (tmp_dir, "notes.txt", NULL);
  gchar *fifo = g_build_filename (tmp_dir, "fifo.mp4", NULL);

  fail_unless (g_file_set_contents (text, "not a film\n", -1, NULL));
  fail_unless_equals_int (palette_file_end_check (text, NULL),
      PALETTE_FILE_END_UNKNOWN);
  fail_unless_equals_int (palette_file_end_check ("/nonexistent.mkv", NULL),
      PALETTE_FILE_END_UNKNOWN);
  /* a FIFO nobody writes to: answered at once, not read */
  fail_unless (mkfifo (fifo, 0600) == 0);
  fail_unless_equals_int (palette_file_end_check (fifo, NULL),
      PALETTE_FILE_END_UNKNOWN);
  g_unlink (fifo);
  g_unlink (text);
  g_free (fifo);
  g_free (text);
}

GST_END_TEST;

/* Every container, cut at 70 %, in every-nth, keyframes and seek modes: the
 * palette is written and says it is incomplete; the whole file says it is
 * complete. */
GST_START_TEST (test_cut_files_incomplete_in_every_mode)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (containers); i++) {
    gchar *whole = make_clip (&containers[i]), *cut;

    if (!whole)
      continue;
    cut = cut_copy (whole, containers[i].name, 70);
    fail_unless_equals_int (palette_outcome (whole, "every-nth"),
        PALETTE_COMPLETE);
    /* a palette of the frames before the cut, marked incomplete, or (an
     * index at the end, as qtmux writes it) an error: never "complete" */
    fail_if (palette_outcome (cut, "every-nth") == PALETTE_COMPLETE,
        "cut %s said complete (every-nth)", containers[i].name);
    if (containers[i].seekable_when_cut)
      fail_if (palette_outcome (cut, "keyframes") == PALETTE_COMPLETE,
          "cut %s said complete (keyframes)", containers[i].name);
    /* seek (gst-palette's default) with 30 frames a sample: it seeks, and
     * ends the stream itself after its last sample (the sampling event's
     * "ended"), which the whole file's palette must survive and the cut
     * file's must not hide */
    fail_unless_equals_int (palette_outcome (whole, "seek count=4"),
        PALETTE_COMPLETE);
    if (containers[i].seekable_when_cut)
      fail_if (palette_outcome (cut, "seek count=4") == PALETTE_COMPLETE,
          "cut %s said complete (seek)", containers[i].name);
    g_unlink (cut);
    g_unlink (whole);
    g_free (cut);
    g_free (whole);
  }
}

GST_END_TEST;

static Suite *
cut_files_suite (void)
{
  Suite *s = suite_create ("cut-files");
  TCase *tc = tcase_create ("general");

  tmp_dir = g_dir_make_tmp ("palette-cut-XXXXXX", NULL);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_file_end_check);
  tcase_add_test (tc, test_not_containers);
  tcase_add_test (tc, test_cut_files_incomplete_in_every_mode);
  return s;
}

GST_CHECK_MAIN (cut_files);
