/* Names from the file system (issue #17): escaped for the terminal, made
 * into unique -o names that fit a file name, and the temporaries of a
 * killed run told from everything else. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "escape.h"
#include "output-name.h"
#include "stale-files.h"
#include "test-files.h"

static void
assert_escaped (const gchar * text, const gchar * expected)
{
  gchar *shown = escape_for_terminal (text);

  g_assert_cmpstr (shown, ==, expected);
  g_free (shown);
}

static void
test_escape (void)
{
  gchar *line;

  assert_escaped ("Amélie (2001)", "Amélie (2001)");
  assert_escaped ("x\033[2J\a", "x\\e[2J\\a");
  assert_escaped ("t\033]0;pwn\007", "t\\e]0;pwn\\a");
  assert_escaped ("a\nb\tc\rd\x01\x7f", "a\\nb\\tc\\rd\\x01\\x7f");
  /* C1 CSI as UTF-8, and a lone byte that is not UTF-8 */
  assert_escaped ("\xc2\x9b" "31m", "\\u009b31m");
  assert_escaped ("caf\xe9", "caf\\xe9");
  line = escape_line_for_terminal ("gst-palette: a\nb: failed\n");
  g_assert_cmpstr (line, ==, "gst-palette: a\\nb: failed\n");
  g_free (line);
}

static void
test_output_names (void)
{
  OutputNames *names = output_names_new ();
  gchar *long_a = g_strnfill (300, 'a');
  gchar *long_b = g_strconcat (long_a, "b", NULL);
  gchar *name, *first, *second;
  gboolean renamed;

  name = output_names_claim (names, "x", &renamed);
  g_assert_cmpstr (name, ==, "x");
  g_assert_false (renamed);
  g_free (name);
  name = output_names_claim (names, "x", &renamed);
  g_assert_cmpstr (name, ==, "x-2");
  g_assert_true (renamed);
  g_free (name);
  /* case-folded: X collides with x */
  name = output_names_claim (names, "X", &renamed);
  g_assert_cmpstr (name, ==, "X-3");
  g_free (name);
  /* "x-2" as a name of its own is taken by the second x */
  name = output_names_claim (names, "x-2", &renamed);
  g_assert_cmpstr (name, ==, "x-2-2");
  g_free (name);
  name = output_names_claim (names, "a/b\\c:d", &renamed);
  g_assert_cmpstr (name, ==, "a_b_c_d");
  g_assert_false (renamed);
  g_free (name);

  first = output_names_claim (names, long_a, &renamed);
  g_assert_true (renamed);
  g_assert_cmpuint (strlen (first), ==, OUTPUT_NAME_MAX);
  g_assert_cmpint (first[OUTPUT_NAME_MAX - 9], ==, '~');
  second = output_names_claim (names, long_b, &renamed);
  g_assert_cmpuint (strlen (second), ==, OUTPUT_NAME_MAX);
  /* the same start, another hash */
  g_assert_cmpstr (first, !=, second);
  g_assert_true (strncmp (first, second, OUTPUT_NAME_MAX - 9) == 0);
  g_free (second);
  /* the same long name again: shortened further to fit "-2" */
  second = output_names_claim (names, long_a, &renamed);
  g_assert_cmpuint (strlen (second), ==, OUTPUT_NAME_MAX);
  g_assert_true (g_str_has_suffix (second, "-2"));
  g_free (second);
  g_free (first);

  /* never cut inside a UTF-8 character: 2-byte "é" × 150 */
  {
    GString *accents = g_string_new (NULL);
    guint i;

    for (i = 0; i < 150; i++)
      g_string_append (accents, "é");
    name = output_names_claim (names, accents->str, NULL);
    g_assert_true (g_utf8_validate (name, -1, NULL));
    g_assert_cmpuint (strlen (name), <=, OUTPUT_NAME_MAX);
    g_free (name);
    g_string_free (accents, TRUE);
  }
  g_free (long_b);
  g_free (long_a);
  output_names_free (names);
}

static void
test_stale_files (void)
{
  gchar *dir = g_dir_make_tmp ("gst-palette-stale-XXXXXX", NULL);
  static const gchar *const stale[] = { "a.json.Ab12Cd", "a.json.abcde1",
    "Film (1999).fingerprint.png.QWERTY", "b.swatch.png.a1b2c3",
    "c.failed.json.zz9zzz", ".gst-palette-probe-Ab12Cd"
  };
  static const gchar *const kept[] = { "a.json", "a.json.backup",
    "a.json.Ab12C", "a.json.Ab12Cde", "a.txt.Ab12Cd", "a.png.Ab12Cd",
    "a.json.Ab-2Cd", "sub.json.Ab12Cd"
  };
  gchar *sub, *link;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (stale); i++)
    make_aged_file (dir, stale[i], 2 * 3600);
  for (i = 0; i < G_N_ELEMENTS (kept) - 1; i++)
    make_aged_file (dir, kept[i], 2 * 3600);
  /* a folder of that name is not ours to remove */
  sub = g_build_filename (dir, "sub.json.Ab12Cd", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  /* a link of that name is never followed nor removed */
  link = g_build_filename (dir, "l.json.Ab12Cd", NULL);
  g_assert_cmpint (symlink ("a.json", link), ==, 0);
  {
    struct timeval times[2] = { {time (NULL) - 7200, 0},
    {time (NULL) - 7200, 0}
    };
    g_assert_cmpint (lutimes (link, times), ==, 0);
  }
  /* fresh: may be another run's file being written */
  make_aged_file (dir, "fresh.json.Ab12Cd", 60);

  g_assert_cmpuint (stale_files_remove (dir, STALE_FILES_OUTPUT_PATTERN,
          STALE_FILES_MIN_AGE_SECONDS), ==, G_N_ELEMENTS (stale));
  for (i = 0; i < G_N_ELEMENTS (stale); i++)
    g_assert_false (exists_in (dir, stale[i]));
  for (i = 0; i < G_N_ELEMENTS (kept); i++)
    g_assert_true (exists_in (dir, kept[i]));
  g_assert_true (exists_in (dir, "l.json.Ab12Cd"));
  g_assert_true (exists_in (dir, "fresh.json.Ab12Cd"));
  /* a folder that is not there has nothing stale */
  {
    gchar *gone = g_build_filename (dir, "gone", NULL);

    g_assert_cmpuint (stale_files_remove (gone, STALE_FILES_OUTPUT_PATTERN,
            0), ==, 0);
    g_free (gone);
  }
  remove_tree (dir);
  g_free (link);
  g_free (sub);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/names/escape", test_escape);
  g_test_add_func ("/names/output-names", test_output_names);
  g_test_add_func ("/names/stale-files", test_stale_files);
  return g_test_run ();
}
