/* The built gst-palette against a hostile user and a flaky source (issue
 * #17): a FIFO given as a film, a signal while the film's open() blocks, a
 * source that stops delivering mid-file, films of one name written to one
 * folder, names too long for a file name, terminal escapes in names, and
 * temporaries a killed run left. Every run is bounded: a hang fails the
 * test instead of holding it up. */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>
#include "test-files.h"
#include "cli-run.h"

static gchar *tmp_dir;

/* What a bounded run did. */
typedef struct
{
  gint status;                  /* exit code, or 128 + signal */
  gchar *out;
  gchar *err;
  gdouble seconds;              /* from start, or from the signal if sent */
} Bounded;

static void
bounded_clear (Bounded * b)
{
  g_free (b->out);
  g_free (b->err);
}

static gboolean
drain (gint fd, GString * into)
{
  gchar buf[4096];
  gssize n = read (fd, buf, sizeof buf);

  if (n > 0)
    g_string_append_len (into, buf, n);
  return n > 0 || (n < 0 && errno == EAGAIN);
}

/* Runs gst-palette with ARGS (NULL-terminated). With SIGNUM > 0, sends it
 * SIGNAL_AFTER_MS after SIGNAL_WHEN returned TRUE for the process (NULL:
 * after its start). A run still alive LIMIT seconds after its start (or
 * its signal) is killed and fails the test: a hang. */
static Bounded
run_bounded (guint limit, gint signum, guint signal_after_ms,
    gboolean (*signal_when) (GPid pid), const gchar * first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  GString *out = g_string_new (NULL), *err = g_string_new (NULL);
  GError *error = NULL;
  Bounded b = { 0, };
  const gchar *arg;
  gint out_fd, err_fd, wait_status = 0;
  gint64 start, signalled = 0, ready = 0;
  gboolean out_open = TRUE, err_open = TRUE, exited = FALSE;
  gchar *command;
  va_list args;
  GPid pid;

  g_ptr_array_add (argv, (gpointer) gst_palette_bin);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const gchar *))
      g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out_fd,
          &err_fd, &error));
  g_assert_no_error (error);
  g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (err_fd, TRUE, NULL);
  start = g_get_monotonic_time ();

  while (!exited || out_open || err_open) {
    struct pollfd fds[2] = { {out_fd, POLLIN, 0}, {err_fd, POLLIN, 0} };
    gint64 now = g_get_monotonic_time ();
    gint64 since = signalled ? signalled : start;

    poll (fds, 2, 50);
    if (out_open && fds[0].revents)
      out_open = drain (out_fd, out);
    if (err_open && fds[1].revents)
      err_open = drain (err_fd, err);
    if (!exited && waitpid (pid, &wait_status, WNOHANG) == pid) {
      exited = TRUE;
      b.seconds = (g_get_monotonic_time () - since) / 1e6;
    }
    if (!exited && signum > 0 && ready == 0 &&
        (signal_when == NULL || signal_when (pid)))
      ready = now;
    if (!exited && signum > 0 && signalled == 0 && ready > 0 &&
        now - ready >= signal_after_ms * (gint64) 1000) {
      kill (pid, signum);
      signalled = g_get_monotonic_time ();
    }
    /* Before the signal, a slow start (a sanitizer's build scanning the
     * plugins) is not a hang. */
    if (!exited && now - since > (signum > 0 && signalled == 0 ? 120 :
            limit) * G_TIME_SPAN_SECOND) {
      kill (pid, SIGKILL);
      waitpid (pid, &wait_status, 0);
      g_test_message ("stderr so far:\n%s", err->str);
      g_error ("gst-palette hung: still running %u s after %s", limit,
          signalled ? "the signal" : "its start");
    }
  }
  close (out_fd);
  close (err_fd);
  g_spawn_close_pid (pid);
  b.status = exit_code (wait_status);
  b.out = g_string_free (out, FALSE);
  b.err = g_string_free (err, FALSE);
  command = g_strjoinv (" ", (gchar **) argv->pdata);
  g_test_message ("%s: status %d after %.1f s\nstdout:\n%.2000s\nstderr:\n"
      "%.2000s", command, b.status, b.seconds, b.out, b.err);
  g_free (command);
  g_ptr_array_unref (argv);
  return b;
}

/* A WebM clip of N_FRAMES frames of videotestsrc PATTERN at 10 fps. */
static void
make_clip (const gchar * path, const gchar * pattern, gint width,
    gint height, guint n_frames)
{
  gchar *description = g_strdup_printf ("videotestsrc pattern=%s "
      "num-buffers=%u ! video/x-raw,width=%d,height=%d,framerate=10/1 ! "
      "videoconvert ! vp8enc deadline=1 keyframe-max-dist=10 ! webmmux ! "
      "filesink location=\"%s\"", pattern, n_frames, width, height, path);

  run_pipeline_to_eos (description, 60 * GST_SECOND);
  g_free (description);
}

static gchar *
tmp_path (const gchar * name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static gchar *
new_dir (const gchar * name)
{
  gchar *dir = tmp_path (name);

  remove_tree (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

/* The hex of the first color of the record at PATH. */
static gchar *
first_hex (const gchar * path)
{
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *record;
  gchar *hex;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  record = json_node_get_object (json_parser_get_root (parser));
  hex = g_strdup (json_array_get_string_element (json_object_get_array_member
          (record, "hex"), 0));
  g_object_unref (parser);
  return hex;
}

/* HEX ("#rrggbb") within 8 per channel of EXPECTED: a solid color comes
 * back from VP8 a step or two off. */
static void
assert_color_near (const gchar * hex, guint32 expected)
{
  guint32 got = (guint32) g_ascii_strtoull (hex + 1, NULL, 16);
  gint shift;

  for (shift = 0; shift <= 16; shift += 8)
    if (ABS ((gint) ((got >> shift) & 0xff) -
            (gint) ((expected >> shift) & 0xff)) > 8)
      g_error ("%s is not near #%06x", hex, expected);
}

/* The first color of DIR/NAME.json, near EXPECTED. */
static void
assert_output_color (const gchar * dir, const gchar * name, guint32 expected)
{
  gchar *file = g_strconcat (name, ".json", NULL);
  gchar *path = g_build_filename (dir, file, NULL);
  gchar *hex = first_hex (path);

  assert_color_near (hex, expected);
  g_free (hex);
  g_free (path);
  g_free (file);
}

static guint
count_files (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

/* A FIFO given as a film, with no writer: opening it would block for ever.
 * It is refused at once, for good (exit 3), and the next film still runs. */
static void
test_fifo_refused (void)
{
  gchar *dir = new_dir ("fifo");
  gchar *fifo = g_build_filename (dir, "f.mp4", NULL);
  gchar *good = g_build_filename (dir, "good.webm", NULL);
  Bounded b;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  make_clip (good, "red", 64, 48, 10);
  b = run_bounded (20, 0, 0, NULL, "-q", "-o", dir, fifo, good, NULL);
  g_assert_cmpint (b.status, ==, 3);
  assert_contains (b.err, "gst-palette: f: ");
  assert_contains (b.err, "f.mp4 is a FIFO (named pipe), not a film file "
      "(--allow-special reads it anyway)\n");
  assert_contains (b.err, "1 of 2 films failed (1 for good, 0 worth a "
      "retry)");
  /* the good film after it was analysed: one red palette */
  assert_output_color (dir, "good", 0xff0000);
  bounded_clear (&b);
  g_free (good);
  g_free (fifo);
  g_free (dir);
}

/* Whether PID has a thread named NAME. */
static gboolean
has_thread (GPid pid, const gchar * name)
{
  gchar *tasks = g_strdup_printf ("/proc/%d/task", (gint) pid);
  GDir *dir = g_dir_open (tasks, 0, NULL);
  const gchar *task;
  gboolean found = FALSE;

  while (!found && dir != NULL && (task = g_dir_read_name (dir)) != NULL) {
    gchar *comm_path = g_build_filename (tasks, task, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (comm_path, &comm, NULL, NULL))
      found = g_str_equal (g_strchomp (comm), name);
    g_free (comm);
    g_free (comm_path);
  }
  if (dir != NULL)
    g_dir_close (dir);
  g_free (tasks);
  return found;
}

/* The film's pipeline is being started (its open() is on that thread):
 * the signals are watched by then. */
static gboolean
is_opening (GPid pid)
{
  return has_thread (pid, "palette-start");
}

/* SIGTERM or SIGINT while the film's open() blocks (a FIFO without a
 * writer, read with --allow-special): the process ends within a few
 * seconds, 128 + N, and says the pipeline was left behind. */
static void
interrupt_blocked_open (gint signum)
{
  gchar *dir = new_dir (signum == SIGTERM ? "open-term" : "open-int");
  gchar *fifo = g_build_filename (dir, "f.webm", NULL);
  Bounded b;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* half a second into the open() that blocks */
  b = run_bounded (8, signum, 500, is_opening, "-q", "--allow-special",
      fifo, NULL);
  g_assert_cmpint (b.status, ==, 128 + signum);
  g_assert_cmpfloat (b.seconds, <, 6.0);
  assert_contains (b.err, signum == SIGTERM ? "interrupted by SIGTERM; "
      "0 of 1 film finished, 1 not done" : "interrupted by SIGINT (Ctrl+C); "
      "0 of 1 film finished, 1 not done");
  assert_contains (b.err, "gst-palette: f.webm: stalled tearing down: its "
      "pipeline did not stop in 3 s and was left behind");
  bounded_clear (&b);
  g_free (fifo);
  g_free (dir);
}

static void
test_sigterm_blocked_open (void)
{
  interrupt_blocked_open (SIGTERM);
}

static void
test_sigint_blocked_open (void)
{
  interrupt_blocked_open (SIGINT);
}

/* Without --allow-special the same FIFO would have been refused; with it
 * and a stall timeout, a film stuck in open() fails as "opening". */
static void
test_stall_opening (void)
{
  gchar *dir = new_dir ("stall-open");
  gchar *fifo = g_build_filename (dir, "f.webm", NULL);
  Bounded b;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  b = run_bounded (15, 0, 0, NULL, "-q", "--allow-special",
      "--stall-timeout", "1", fifo, NULL);
  g_assert_cmpint (b.status, ==, 75);
  assert_contains (b.err, "gst-palette: f: stalled opening the file: no "
      "progress in 1 s");
  bounded_clear (&b);
  g_free (fifo);
  g_free (dir);
}

typedef struct
{
  gint fd;
  const gchar *data;
  gsize length;
} Feeder;

static gpointer
feed (gpointer user_data)
{
  Feeder *feeder = user_data;
  gsize done = 0;

  while (done < feeder->length) {
    gssize n = write (feeder->fd, feeder->data + done, feeder->length - done);

    if (n <= 0)
      break;
    done += n;
  }
  return NULL;
}

/* A source that stops delivering mid-file: a FIFO fed the first half of a
 * clip, then nothing, its writer still open. The film fails after the
 * stall timeout, saying where it stalled, and the run goes on with the
 * next film. */
static void
test_stall_midfile (void)
{
  gchar *dir = new_dir ("stall-mid");
  gchar *clip = g_build_filename (dir, "clip.webm", NULL);
  gchar *fifo = g_build_filename (dir, "stalls.webm", NULL);
  gchar *good = g_build_filename (dir, "good.webm", NULL);
  gchar *data;
  gsize length;
  Feeder feeder;
  GThread *thread;
  Bounded b;

  /* snow: big frames, so that half the file is many frames */
  make_clip (clip, "snow", 320, 240, 100);
  make_clip (good, "blue", 64, 48, 10);
  g_assert_true (g_file_get_contents (clip, &data, &length, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* read-write: open() does not wait for the reader, and the reader never
   * sees the end of the file */
  feeder.fd = g_open (fifo, O_RDWR, 0);
  g_assert_cmpint (feeder.fd, >=, 0);
  feeder.data = data;
  feeder.length = length / 2;
  thread = g_thread_new ("feeder", feed, &feeder);

  b = run_bounded (30, 0, 0, NULL, "-q", "-j", "1", "-o", dir,
      "--allow-special", "--stall-timeout", "2", fifo, good, NULL);
  g_thread_join (thread);
  close (feeder.fd);
  g_assert_cmpint (b.status, ==, 75);
  assert_contains (b.err, "gst-palette: stalls: stalled decoding at 0:0");
  assert_contains (b.err, ": no progress in 2 s (a source that stopped "
      "delivering?)");
  assert_contains (b.err, "1 of 2 films failed (0 for good, 1 worth a "
      "retry)");
  /* the run went on: the next film's palette */
  assert_output_color (dir, "good", 0x0000ff);
  bounded_clear (&b);
  g_free (data);
  g_free (good);
  g_free (fifo);
  g_free (clip);
  g_free (dir);
}

/* Two films named x in two folders, written to one -o folder: the second
 * gets x-2, nothing is overwritten, and the user is told. The same command
 * again names them the same way. */
static void
test_same_stem (void)
{
  gchar *dir = new_dir ("same-stem");
  gchar *a = g_build_filename (dir, "a", "x.webm", NULL);
  gchar *b_path = g_build_filename (dir, "b", "X.webm", NULL);
  gchar *out = g_build_filename (dir, "out", NULL);
  gchar *x_json = g_build_filename (out, "x.json", NULL);
  gchar *x2_json = g_build_filename (out, "X-2.json", NULL);
  gchar *hex;
  guint round;

  {
    gchar *sub_a = g_build_filename (dir, "a", NULL);
    gchar *sub_b = g_build_filename (dir, "b", NULL);

    g_assert_cmpint (g_mkdir (sub_a, 0755), ==, 0);
    g_assert_cmpint (g_mkdir (sub_b, 0755), ==, 0);
    g_free (sub_b);
    g_free (sub_a);
  }
  make_clip (a, "red", 64, 48, 10);
  make_clip (b_path, "blue", 64, 48, 10);
  for (round = 0; round < 2; round++) {
    Bounded b = run_bounded (60, 0, 0, NULL, "-j", "2", "-o", out, a,
        b_path, NULL);

    g_assert_cmpint (b.status, ==, 0);
    /* case-folded: X and x collide on a case-insensitive file system */
    assert_contains (b.err, "X.webm: its files in ");
    assert_contains (b.err, " are named X-2 (another film of this run has "
        "its name)");
    g_assert_cmpuint (count_files (out), ==, 6);
    hex = first_hex (x_json);
    assert_color_near (hex, 0xff0000);
    g_free (hex);
    hex = first_hex (x2_json);
    assert_color_near (hex, 0x0000ff);
    g_free (hex);
    bounded_clear (&b);
  }
  g_free (x2_json);
  g_free (x_json);
  g_free (out);
  g_free (b_path);
  g_free (a);
  g_free (dir);
}

/* Film names of 240 bytes (the longest -o suffix and the temporary's would
 * need 263): the files are named with a cut name and a hash, two names
 * that differ only at their end stay apart, and every name fits. */
static void
test_long_names (void)
{
  gchar *dir = new_dir ("long");
  gchar *stem = g_strnfill (236, 'L');
  gchar *name_a = g_strconcat (stem, "a.webm", NULL);
  gchar *name_b = g_strconcat (stem, "b.webm", NULL);
  gchar *a = g_build_filename (dir, name_a, NULL);
  gchar *b_path = g_build_filename (dir, name_b, NULL);
  gchar *out = g_build_filename (dir, "out", NULL);
  GDir *d;
  const gchar *name;
  GHashTable *stems = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  Bounded b;

  make_clip (a, "red", 64, 48, 10);
  make_clip (b_path, "blue", 64, 48, 10);
  b = run_bounded (60, 0, 0, NULL, "-q", "-o", out, a, b_path, NULL);
  g_assert_cmpint (b.status, ==, 0);
  assert_contains (b.err, "(its name is too long for a file name)");
  g_assert_cmpuint (count_files (out), ==, 6);
  d = g_dir_open (out, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL) {
    const gchar *tilde = strchr (name, '~');

    g_assert_cmpuint (strlen (name), <=, 200 + strlen (".fingerprint.png"));
    /* 200 bytes: 191 of the name, "~", 8 hex digits */
    g_assert_cmpuint (strspn (name, "L"), ==, 191);
    /* ~ and 8 hex digits */
    g_assert_nonnull (tilde);
    g_assert_cmpuint (strspn (tilde + 1, "0123456789abcdef"), ==, 8);
    g_hash_table_add (stems, g_strndup (name, tilde + 9 - name));
  }
  g_dir_close (d);
  g_assert_cmpuint (g_hash_table_size (stems), ==, 2);
  bounded_clear (&b);
  g_hash_table_unref (stems);
  g_free (out);
  g_free (b_path);
  g_free (a);
  g_free (name_b);
  g_free (name_a);
  g_free (stem);
  g_free (dir);
}

/* Names with terminal escapes (clear screen, set the window title, bell):
 * printed escaped in messages and in the palette listing; --json keeps
 * the name, JSON-escaped. */
static void
test_escapes (void)
{
  gchar *dir = new_dir ("escapes");
  gchar *film = g_build_filename (dir, "x\033[2J\a.webm", NULL);
  gchar *bad = g_build_filename (dir, "bad\033]0;pwn\a.webm", NULL);
  gchar *out = g_build_filename (dir, "o\033]0;pwn\a", NULL);
  gchar *missing = g_build_filename (dir, "gone\033[31m.webm", NULL);
  Bounded b;

  make_clip (film, "red", 64, 48, 10);
  g_assert_true (g_file_set_contents (bad, "not a film", -1, NULL));
  b = run_bounded (60, 0, 0, NULL, "-j", "1", "-o", out, film, bad, NULL);
  g_assert_cmpint (b.status, ==, 3);
  g_assert_null (strchr (b.err, '\033'));
  g_assert_null (strchr (b.err, '\a'));
  g_assert_null (strchr (b.out, '\033'));
  assert_contains (b.out, "x\\e[2J\\a: 1 color from 10 frames");
  assert_contains (b.err, "gst-palette: bad\\e]0;pwn\\a: ");
  /* the files keep the name */
  {
    gchar *json = g_build_filename (out, "x\033[2J\a.json", NULL);

    g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
    g_free (json);
  }
  bounded_clear (&b);

  b = run_bounded (60, 0, 0, NULL, "-q", "--json", film, NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_null (strchr (b.out, '\033'));
  assert_contains (b.out, "\"title\": \"x\\u001b[2J\\u0007\"");
  bounded_clear (&b);

  b = run_bounded (20, 0, 0, NULL, "-q", missing, NULL);
  g_assert_cmpint (b.status, ==, 2);
  assert_contains (b.err, "gone\\e[31m.webm: no such file or folder\n");
  g_assert_null (strchr (b.err, '\033'));
  bounded_clear (&b);
  g_free (missing);
  g_free (out);
  g_free (bad);
  g_free (film);
  g_free (dir);
}

/* Temporaries a killed run left in the -o folder go at the start of the
 * next run: only ours (NAME.json.XXXXXX and the like), only untouched for
 * an hour, never a link, never a user's file of a like name. */
static void
test_stale_temporaries (void)
{
  gchar *dir = new_dir ("stale");
  gchar *out = g_build_filename (dir, "out", NULL);
  gchar *film = g_build_filename (dir, "film.webm", NULL);
  gchar *victim = g_build_filename (dir, "victim.txt", NULL);
  gchar *link = g_build_filename (out, "z.json.Qw12Er", NULL);
  gchar *text;
  Bounded b;

  make_clip (film, "red", 64, 48, 10);
  g_mkdir_with_parents (out, 0755);
  make_aged_file (out, "old.json.Ab12Cd", 3 * 3600);
  make_aged_file (out, "old.fingerprint.png.9fQ2xZ", 2 * 3600);
  make_aged_file (out, "fresh.json.Xy34Zw", 60);
  make_aged_file (out, "notes.json.backup", 3 * 3600);
  make_aged_file (out, "notes.txt.Ab12Cd", 3 * 3600);
  g_assert_true (g_file_set_contents (victim, "keep me", -1, NULL));
  g_assert_cmpint (symlink (victim, link), ==, 0);
  {
    struct timeval times[2] = { {time (NULL) - 3 * 3600, 0},
    {time (NULL) - 3 * 3600, 0}
    };
    g_assert_cmpint (lutimes (link, times), ==, 0);
  }

  b = run_bounded (60, 0, 0, NULL, "-o", out, film, NULL);
  g_assert_cmpint (b.status, ==, 0);
  assert_contains (b.err, "gst-palette: removed 2 temporary files left by "
      "an earlier run that was killed\n");
  g_assert_false (exists_in (out, "old.json.Ab12Cd"));
  g_assert_false (exists_in (out, "old.fingerprint.png.9fQ2xZ"));
  g_assert_true (exists_in (out, "fresh.json.Xy34Zw"));
  g_assert_true (exists_in (out, "notes.json.backup"));
  g_assert_true (exists_in (out, "notes.txt.Ab12Cd"));
  g_assert_true (exists_in (out, "z.json.Qw12Er"));
  g_assert_true (exists_in (out, "film.json"));
  g_assert_true (g_file_get_contents (victim, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "keep me");
  g_free (text);
  bounded_clear (&b);
  g_free (link);
  g_free (victim);
  g_free (film);
  g_free (out);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  find_gst_palette (argc, argv);
  tmp_dir = g_dir_make_tmp ("gst-palette-faults-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/faults/fifo-refused", test_fifo_refused);
  g_test_add_func ("/faults/sigterm-blocked-open", test_sigterm_blocked_open);
  g_test_add_func ("/faults/sigint-blocked-open", test_sigint_blocked_open);
  g_test_add_func ("/faults/stall-opening", test_stall_opening);
  g_test_add_func ("/faults/stall-midfile", test_stall_midfile);
  g_test_add_func ("/faults/same-stem", test_same_stem);
  g_test_add_func ("/faults/long-names", test_long_names);
  g_test_add_func ("/faults/escapes", test_escapes);
  g_test_add_func ("/faults/stale-temporaries", test_stale_temporaries);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  gst_deinit ();
  return status;
}
