/* Unit tests of gst-palette's film analysis (tools/analyze.c, runner.c) on
 * clips made here with GStreamer: the failure class and reason of each
 * kind of bad film, and that a damaged film after a good one in the same
 * process fails at once instead of stalling. */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "runner.h"
#include "test-files.h"

static gchar *tmp_dir;

/* What the runner said of one film. */
typedef struct
{
  const gchar *name;
  gboolean done;
  gboolean had_analysis;
  gboolean had_record;
  gchar *error;
  AnalysisFailure failure;      /* as the runner hands it over */
  AnalysisFailure analysis_failure;     /* analysis_get_failure (), if any */
  gint64 done_time;             /* monotonic, µs */
} Outcome;

typedef struct
{
  /* Closed when a film is done: the writing end of a FIFO that keeps a
   * film stalled, so that its pipeline can stop. -1: none. */
  gint fifo_fd;
} RunData;

static void
on_film_done (Runner * runner, gpointer film, Analysis * analysis,
    JsonObject * record, const gchar * error, AnalysisFailure failure,
    gpointer user_data)
{
  Outcome *outcome = film;
  RunData *data = user_data;

  outcome->done = TRUE;
  outcome->done_time = g_get_monotonic_time ();
  outcome->had_analysis = analysis != NULL;
  outcome->had_record = record != NULL;
  outcome->error = g_strdup (error);
  outcome->failure = failure;
  outcome->analysis_failure = analysis != NULL ?
      analysis_get_failure (analysis) : ANALYSIS_FAILURE_NONE;
  g_test_message ("%s: %s (class %d)", outcome->name,
      error ? error : "palette", outcome->failure);
  if (data->fifo_fd >= 0) {
    close (data->fifo_fd);
    data->fifo_fd = -1;
  }
}

/* Runs the films one at a time in one Runner, as `gst-palette -j 1`. */
static void
run_films (const gchar * const *paths, Outcome * outcomes, guint n,
    guint stall_timeout, gint fifo_fd)
{
  /* FIFOs are allowed: the stall test needs one. */
  AnalysisSettings settings = { NULL, NULL, stall_timeout, TRUE };
  RunData data = { fifo_fd };
  Runner *runner = runner_new (&settings, 1, FALSE, on_film_done, &data);
  guint i;

  for (i = 0; i < n; i++) {
    memset (&outcomes[i], 0, sizeof outcomes[i]);
    outcomes[i].name = g_path_get_basename (paths[i]);
    runner_add (runner, outcomes[i].name, paths[i], &outcomes[i], NULL);
  }
  g_assert_cmpint (runner_run (runner), ==, 0);
  for (i = 0; i < n; i++)
    g_assert_true (outcomes[i].done);
  runner_free (runner);
}

static void
outcome_clear (Outcome * outcome)
{
  g_free ((gchar *) outcome->name);
  g_free (outcome->error);
}

static void
assert_failed (const Outcome * outcome, AnalysisFailure failure,
    const gchar * reason)
{
  g_assert_nonnull (outcome->error);
  g_assert_false (outcome->had_record);
  if (reason != NULL && strstr (outcome->error, reason) == NULL)
    g_error ("%s: \"%s\" does not say \"%s\"", outcome->name,
        outcome->error, reason);
  g_assert_cmpint (outcome->failure, ==, failure);
  /* The analysis, when there is one, tells the same class. */
  if (outcome->had_analysis)
    g_assert_cmpint (outcome->analysis_failure, ==, failure);
}

/* Runs a gst-launch description that ends in a filesink to EOS. */
static void
make_file (const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstBus *bus;
  GstMessage *message;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_message_unref (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

static gchar *
tmp_file (const gchar * name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A short colour-bar clip, MJPEG in QuickTime: plugins-good only. qtmux
 * writes the moov box (the index) last, as big_buck_bunny_10s.mp4 has it. */
static gchar *
make_good_clip (void)
{
  gchar *path = tmp_file ("good.mov");
  gchar *description;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  description = g_strdup_printf ("videotestsrc num-buffers=40 pattern=smpte "
      "! video/x-raw,width=160,height=120,framerate=10/1 ! jpegenc ! qtmux "
      "! filesink location=\"%s\"", path);
  make_file (description);
  g_free (description);
  return path;
}

/* The first half of the good clip: the moov box is lost, as in the shared
 * media's truncated.mp4, and qtdemux finds no stream. */
static gchar *
make_cut_clip (void)
{
  gchar *good = make_good_clip ();
  gchar *path = tmp_file ("cut.mov");
  gchar *contents;
  gsize length;

  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
  g_free (contents);
  g_free (good);
  return path;
}

static void
test_failure_from_error (void)
{
  static const struct
  {
    const gchar *domain;
    gint code;
    AnalysisFailure failure;
  } cases[] = {
    {"stream", GST_STREAM_ERROR_DECODE, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_DEMUX, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_TYPE_NOT_FOUND, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_WRONG_TYPE, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_CODEC_NOT_FOUND, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_FORMAT, ANALYSIS_FAILURE_BAD_MEDIA},
    {"stream", GST_STREAM_ERROR_FAILED, ANALYSIS_FAILURE_BAD_MEDIA},
    {"resource", GST_RESOURCE_ERROR_READ, ANALYSIS_FAILURE_TRANSIENT},
    {"resource", GST_RESOURCE_ERROR_OPEN_READ, ANALYSIS_FAILURE_TRANSIENT},
    {"resource", GST_RESOURCE_ERROR_NOT_FOUND, ANALYSIS_FAILURE_TRANSIENT},
    {"resource", GST_RESOURCE_ERROR_SEEK, ANALYSIS_FAILURE_TRANSIENT},
    {"resource", GST_RESOURCE_ERROR_NO_SPACE_LEFT,
        ANALYSIS_FAILURE_TRANSIENT},
    {"core", GST_CORE_ERROR_MISSING_PLUGIN, ANALYSIS_FAILURE_TRANSIENT},
    {"core", GST_CORE_ERROR_STATE_CHANGE, ANALYSIS_FAILURE_TRANSIENT},
    {"library", GST_LIBRARY_ERROR_INIT, ANALYSIS_FAILURE_TRANSIENT},
    {"file", G_FILE_ERROR_NOENT, ANALYSIS_FAILURE_TRANSIENT},
    {"file", G_FILE_ERROR_NOMEM, ANALYSIS_FAILURE_TRANSIENT},
  };
  guint i;

  g_assert_cmpint (analysis_failure_from_error (NULL), ==,
      ANALYSIS_FAILURE_NONE);
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GQuark domain = g_str_equal (cases[i].domain, "stream") ?
        GST_STREAM_ERROR : g_str_equal (cases[i].domain, "resource") ?
        GST_RESOURCE_ERROR : g_str_equal (cases[i].domain, "core") ?
        GST_CORE_ERROR : g_str_equal (cases[i].domain, "library") ?
        GST_LIBRARY_ERROR : G_FILE_ERROR;
    GError *error = g_error_new_literal (domain, cases[i].code, "test");

    g_test_message ("%s error %d", cases[i].domain, cases[i].code);
    g_assert_cmpint (analysis_failure_from_error (error), ==, cases[i].failure);
    g_error_free (error);
  }
}

/* The file vanished before its turn: analysis_new_for_file() fails, and
 * its error is classified by the caller. */
static void
test_new_for_file_error (void)
{
  gchar *path = tmp_file ("never-there.mp4");
  GError *error = NULL;
  Analysis *analysis = analysis_new_for_file (path, NULL, &error);

  g_assert_null (analysis);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpint (analysis_failure_from_error (error), ==,
      ANALYSIS_FAILURE_TRANSIENT);
  g_error_free (error);
  g_free (path);
}

enum
{
  GOOD, CUT, RANDOM, TEXT, AUDIO, READ_ERROR, VANISHED, FOLDER, N_FILMS
};

static void
test_failure_classes (void)
{
  gchar *paths[N_FILMS];
  Outcome outcomes[N_FILMS];
  GRand *rand = g_rand_new_with_seed (3);
  guint8 bytes[65536];
  gchar *description;
  GString *text = g_string_new (NULL);
  guint i;

  paths[GOOD] = make_good_clip ();
  paths[CUT] = make_cut_clip ();

  paths[RANDOM] = tmp_file ("random.mp4");
  for (i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (paths[RANDOM], (gchar *) bytes,
          sizeof bytes, NULL));

  paths[TEXT] = tmp_file ("notes.mp4");
  for (i = 0; i < 200; i++)
    g_string_append_printf (text, "Line %u of a text file that is named "
        "like a film but holds only words.\n", i);
  g_assert_true (g_file_set_contents (paths[TEXT], text->str, text->len, NULL));

  paths[AUDIO] = tmp_file ("audio.ogg");
  description = g_strdup_printf ("audiotestsrc num-buffers=20 ! "
      "audioconvert ! vorbisenc ! oggmux ! filesink location=\"%s\"",
      paths[AUDIO]);
  make_file (description);
  g_free (description);

  /* Root reads whatever the permissions say, but reading /proc/self/mem at
   * offset 0 fails for anyone with EIO: a read error of filesrc. */
  paths[READ_ERROR] = tmp_file ("unreadable.mp4");
  g_assert_cmpint (symlink ("/proc/self/mem", paths[READ_ERROR]), ==, 0);

  /* Removed after it was queued: gone when its turn comes. */
  paths[VANISHED] = tmp_file ("vanished.mp4");
  g_assert_true (g_file_set_contents (paths[VANISHED], "", 0, NULL));
  g_assert_cmpint (g_unlink (paths[VANISHED]), ==, 0);

  paths[FOLDER] = tmp_file ("folder.mp4");
  g_assert_cmpint (g_mkdir (paths[FOLDER], 0700), ==, 0);

  run_films ((const gchar * const *) paths, outcomes, N_FILMS, 20, -1);

  g_assert_null (outcomes[GOOD].error);
  g_assert_true (outcomes[GOOD].had_record);
  g_assert_cmpint (outcomes[GOOD].failure, ==, ANALYSIS_FAILURE_NONE);
  g_assert_cmpint (outcomes[GOOD].analysis_failure, ==, ANALYSIS_FAILURE_NONE);

  assert_failed (&outcomes[CUT], ANALYSIS_FAILURE_BAD_MEDIA,
      "This file contains no playable streams.");
  /* Which typefinder gives up first on noise depends on the version. */
  assert_failed (&outcomes[RANDOM], ANALYSIS_FAILURE_BAD_MEDIA, NULL);
  assert_failed (&outcomes[TEXT], ANALYSIS_FAILURE_BAD_MEDIA,
      "This appears to be a text file");
  assert_failed (&outcomes[AUDIO], ANALYSIS_FAILURE_BAD_MEDIA,
      "no video stream found");
  assert_failed (&outcomes[READ_ERROR], ANALYSIS_FAILURE_TRANSIENT,
      "Could not read from resource.");
  assert_failed (&outcomes[VANISHED], ANALYSIS_FAILURE_TRANSIENT,
      "vanished.mp4: no such file");
  g_assert_false (outcomes[VANISHED].had_analysis);
  assert_failed (&outcomes[FOLDER], ANALYSIS_FAILURE_TRANSIENT,
      "folder.mp4: no such file");
  g_assert_false (outcomes[FOLDER].had_analysis);

  for (i = 0; i < N_FILMS; i++) {
    outcome_clear (&outcomes[i]);
    g_free (paths[i]);
  }
  g_string_free (text, TRUE);
  g_rand_free (rand);
}

/* A FIFO held open with no data: the source never delivers, the stall
 * timeout gives the film up, and another try may pass. */
static void
test_stall_is_transient (void)
{
  gchar *path = tmp_file ("stuck.mkv");
  const gchar *paths[] = { path };
  Outcome outcome;
  gint fd;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  /* Read-write: opening does not block, and the reader never sees EOF
   * until on_film_done() closes it. */
  fd = g_open (path, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  run_films (paths, &outcome, 1, 1, fd);
  assert_failed (&outcome, ANALYSIS_FAILURE_TRANSIENT,
      "stalled prerolling: no video frame decoded in 1 s");
  outcome_clear (&outcome);
  g_unlink (path);
  g_free (path);
}

static gint stop_load;

static gpointer
spin (gpointer unused)
{
  while (!g_atomic_int_get (&stop_load));
  return NULL;
}

/* Regression: decodebin throws away an error that qtdemux posts while
 * decodebin is still setting it to PAUSED; the pipeline then waited for
 * ever, here until the 20 s stall timeout. The window is widest for the
 * second film of a process, whose demuxer gets an idle thread of the task
 * pool at once, and when the plugging thread is preempted: busy threads on
 * every processor make that likely (the bug stalled 3 to 10 runs in 20
 * this way). A bound far below the stall timeout only detects the hang. */
static void
test_damaged_after_good (void)
{
  gchar *good = make_good_clip ();
  gchar *cut = make_cut_clip ();
  const gchar *paths[] = { good, cut };
  guint n_threads = g_get_num_processors ();
  GThread **threads = g_new (GThread *, n_threads);
  guint i, run;

  g_atomic_int_set (&stop_load, 0);
  for (i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("load", spin, NULL);

  for (run = 0; run < 10; run++) {
    Outcome outcomes[2];
    gdouble seconds;

    run_films (paths, outcomes, 2, 20, -1);
    seconds = (outcomes[1].done_time - outcomes[0].done_time) / 1e6;
    g_test_message ("run %u: the cut film failed after %.2f s", run, seconds);
    g_assert_null (outcomes[0].error);
    assert_failed (&outcomes[1], ANALYSIS_FAILURE_BAD_MEDIA,
        "This file contains no playable streams.");
    g_assert_cmpfloat (seconds, <, 10.0);
    outcome_clear (&outcomes[0]);
    outcome_clear (&outcomes[1]);
  }

  g_atomic_int_set (&stop_load, 1);
  for (i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  g_free (threads);
  g_free (good);
  g_free (cut);
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  int status;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  if (!analysis_ensure_plugins (&error))
    g_error ("%s", error->message);
  tmp_dir = g_dir_make_tmp ("gst-palette-analyze-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/analyze/failure-from-error", test_failure_from_error);
  g_test_add_func ("/analyze/new-for-file-error", test_new_for_file_error);
  g_test_add_func ("/analyze/failure-classes", test_failure_classes);
  g_test_add_func ("/analyze/stall-is-transient", test_stall_is_transient);
  g_test_add_func ("/analyze/damaged-after-good", test_damaged_after_good);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  /* Ends the task pool's threads before LeakSanitizer looks at them. */
  if (analysis_wait_for_teardowns (10))
    gst_deinit ();
  return status;
}
