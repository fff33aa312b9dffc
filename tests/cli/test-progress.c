/* The progress display in a terminal (issue #18): gst-palette runs on a
 * pseudo-terminal of 80, then 60 columns, and no row it writes may reach the
 * last column (where a terminal wraps, and each redraw would leave a line
 * behind). The terminal is then narrowed while the block is shown: the
 * block is redrawn to the new width, and cleared by the rows its old lines
 * take once the terminal rewrapped them. */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test-files.h"
#include "cli-run.h"

static gchar *tmp_dir;
static gchar *clip;             /* a long name, more than the title column */

static void
make_clip (const gchar * path, guint n_frames)
{
  gchar *description = g_strdup_printf ("videotestsrc num-buffers=%u "
      "pattern=ball ! video/x-raw,width=160,height=120,framerate=25/1 ! "
      "videoconvert ! vp8enc deadline=1 ! webmmux ! filesink "
      "location=\"%s\"", n_frames, path);

  run_pipeline_to_eos (description, 60 * GST_SECOND);
  g_free (description);
}

typedef struct
{
  pid_t pid;
  gint master;
  GString *output;
} Pty;

/* Starts gst-palette ARGV on a terminal of COLUMNS x 24. */
static Pty
pty_spawn (const gchar * const *argv, gushort columns)
{
  struct winsize size = { 24, columns, 0, 0 };
  Pty pty = { 0, };

  pty.output = g_string_new (NULL);
  pty.pid = forkpty (&pty.master, NULL, NULL, &size);
  g_assert_cmpint (pty.pid, >=, 0);
  if (pty.pid == 0) {
    execv (argv[0], (gchar **) argv);
    _exit (127);
  }
  return pty;
}

/* Reads what the terminal shows for up to TIMEOUT_MS, or until UNTIL has
 * appeared after offset FROM (UNTIL NULL: until the end). FALSE at the
 * end of the output. */
static gboolean
pty_read (Pty * pty, gint timeout_ms, gsize from, const gchar * until)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gchar buffer[4096];

  while (g_get_monotonic_time () < deadline) {
    struct pollfd fd = { pty->master, POLLIN, 0 };
    gssize n;

    if (until != NULL && strstr (pty->output->str + from, until) != NULL)
      return TRUE;
    if (poll (&fd, 1, 50) <= 0)
      continue;
    n = read (pty->master, buffer, sizeof (buffer));
    if (n <= 0)
      return FALSE;             /* EIO: the program has ended */
    g_string_append_len (pty->output, buffer, n);
  }
  return until == NULL || strstr (pty->output->str + from, until) != NULL;
}

/* Waits for the end, at most 30 s (then kills it: the test fails). */
static gint
pty_finish (Pty * pty)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  gint wait_status;

  while (pty_read (pty, 500, 0, NULL)) {
    if (g_get_monotonic_time () > deadline) {
      kill (pty->pid, SIGKILL);
      g_error ("gst-palette did not end within 30 s");
    }
  }
  g_assert_cmpint (waitpid (pty->pid, &wait_status, 0), ==, pty->pid);
  close (pty->master);
  g_test_message ("terminal output:\n%s", pty->output->str);
  return exit_code (wait_status);
}

/* The widest row of the progress block in TEXT, in columns: the rows that
 * end with an erase to the end of the line (ESC [ K), as each of the
 * block's does; messages (a failed film's reason) may wrap. Escape
 * sequences take no column, a carriage return or a newline starts a row,
 * a UTF-8 character takes one. */
static guint
widest_row (const gchar * text, gsize length)
{
  guint column = 0, widest = 0;
  gsize i;

  for (i = 0; i < length; i++) {
    guchar c = text[i];

    if (c == '\033' && i + 1 < length && text[i + 1] == '[') {
      for (i += 2; i < length && !(text[i] >= 0x40 && text[i] <= 0x7e); i++);
      if (i < length && text[i] == 'K')
        widest = MAX (widest, column);
      continue;
    }
    if (c == '\r' || c == '\n')
      column = 0;
    else if ((c & 0xc0) != 0x80 && c >= 0x20)
      column++;
  }
  return widest;
}

static gchar *
make_fifo (void)
{
  gchar *fifo = g_build_filename (tmp_dir,
      "A Film That Never Sends A Frame, With A Long Title (2024).mkv", NULL);

  if (!g_file_test (fifo, G_FILE_TEST_EXISTS))
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  return fifo;
}

/* Keeps FIFO open for writing, in this process only: once closed, the film
 * reading it sees its end (gst-palette cannot stop a file source blocked in
 * a read of a FIFO nobody writes to). */
static gint
hold_fifo (const gchar * fifo)
{
  /* read-write: opening does not block, and no end of file comes */
  gint fd = g_open (fifo, O_RDWR | O_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* A clip and a film that never delivers a frame (a FIFO held open): the
 * block shows both lines, then the waiting one alone until stopped. */
static void
check_width (gushort columns)
{
  gchar *fifo = make_fifo ();
  gint hold = hold_fifo (fifo);
  const gchar *argv[] = { gst_palette_bin, "--step=1", "--jobs=2",
    "--allow-special", clip,
    fifo, NULL
  };
  Pty pty;
  gint status;

  pty = pty_spawn (argv, columns);
  g_assert_true (pty_read (&pty, 60000, 0, "1 of 2 films done"));
  /* a few redraws of the waiting film alone */
  pty_read (&pty, 700, 0, NULL);
  kill (pty.pid, SIGINT);
  close (hold);
  status = pty_finish (&pty);
  /* stopped, or the waiting film failed first at the FIFO's end */
  g_assert_true (status == 128 + SIGINT || status == 3);

  /* the progress of both, then the palette of the clip, were shown */
  g_assert_true (g_regex_match_simple ("\\] +[0-9]+\\.[0-9] %",
          pty.output->str, G_REGEX_RAW, 0));
  assert_contains (pty.output->str, "  A Clip Whose");
  assert_contains (pty.output->str, "  A Film That");
  assert_contains (pty.output->str, " from 2500 frames");
  g_assert_cmpuint (widest_row (pty.output->str, pty.output->len), <,
      columns);
  /* the widest is near the width: the columns are used, not wasted */
  g_assert_cmpuint (widest_row (pty.output->str, pty.output->len), >=,
      columns - 6);
  g_string_free (pty.output, TRUE);
  g_free (fifo);
}

static void
test_80_columns (void)
{
  check_width (80);
}

static void
test_60_columns (void)
{
  check_width (60);
}

/* The terminal goes from 100 to 60 columns while the waiting film's line
 * is shown (77 columns wide). */
static void
test_resize (void)
{
  gchar *fifo = make_fifo ();
  gint hold = hold_fifo (fifo);
  const gchar *argv[] = { gst_palette_bin, "--allow-special", fifo, NULL };
  struct winsize narrow = { 24, 60, 0, 0 };
  const gchar *clear;
  gsize resized_at;
  gint status;
  Pty pty;

  pty = pty_spawn (argv, 100);
  g_assert_true (pty_read (&pty, 30000, 0, "0 of 1 film done"));
  pty_read (&pty, 300, 0, NULL);
  /* title 32, bar, "  ?", speed: 77 columns */
  g_assert_cmpuint (widest_row (pty.output->str, pty.output->len), ==, 77);

  /* Right after a redraw of the 4-a-second ticks, so that the next tick is
   * some 250 ms away: a redraw within 120 ms is the resize's own. */
  resized_at = pty.output->len;
  g_assert_true (pty_read (&pty, 2000, resized_at, "0 of 1 film done"));
  resized_at = pty.output->len;
  g_assert_cmpint (ioctl (pty.master, TIOCSWINSZ, &narrow), ==, 0);
  g_assert_true (pty_read (&pty, 120, resized_at, "0 of 1 film done"));
  pty_read (&pty, 600, 0, NULL);
  kill (pty.pid, SIGINT);
  close (hold);
  status = pty_finish (&pty);
  g_assert_true (status == 128 + SIGINT || status == 3);

  /* The first clear after the resize goes up the 2 rows the 77-column line
   * now takes, plus the count's row; a draw already under way when the
   * terminal was resized may come first, at the old width. */
  clear = strstr (pty.output->str + resized_at, "\033[3A\r\033[J");
  g_assert_nonnull (clear);
  g_assert_cmpuint (widest_row (clear, strlen (clear)), <, 60);
  g_string_free (pty.output, TRUE);
  g_free (fifo);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  /* debug logs on the terminal would be rows too */
  g_setenv ("GST_DEBUG", "*:0", TRUE);
  g_unsetenv ("NO_COLOR");
  g_unsetenv ("COLUMNS");
  find_gst_palette (argc, argv);

  tmp_dir = g_dir_make_tmp ("gst-palette-progress-XXXXXX", NULL);
  clip = g_build_filename (tmp_dir, "A Clip Whose Name Is Longer Than The "
      "Title Column (2001).webm", NULL);
  /* long enough (about a second at --step=1) that its progress is drawn
   * (every 250 ms) before it ends, however fast the machine */
  make_clip (clip, 2500);

  g_test_add_func ("/cli-progress/80-columns", test_80_columns);
  g_test_add_func ("/cli-progress/60-columns", test_60_columns);
  g_test_add_func ("/cli-progress/resize", test_resize);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (clip);
  g_free (tmp_dir);
  return status;
}
