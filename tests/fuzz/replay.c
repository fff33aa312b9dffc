/* Runs a fuzz target without libFuzzer, so that every build (gcc too) and
 * `meson test` exercise it: each file of the given corpus folders (or
 * files), then --random N inputs made from them by a fixed-seed mutator
 * (bit flips, byte changes, truncation, splices, interesting values and
 * random bytes). A crash or a failed check aborts, naming the input.
 *
 *   replay-json [--random N] [--seed S] [--max-len L] CORPUS_DIR|FILE...
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz-common.h"

typedef struct
{
  guint8 *data;
  gsize size;
} Input;

static void
add_input (GPtrArray * inputs, const gchar * path)
{
  Input *input = g_new0 (Input, 1);
  GError *error = NULL;

  if (!g_file_get_contents (path, (gchar **) & input->data, &input->size,
          &error)) {
    fprintf (stderr, "replay: %s\n", error->message);
    exit (2);
  }
  g_ptr_array_add (inputs, input);
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

static void
add_path (GPtrArray * inputs, GPtrArray * names, const gchar * path)
{
  GDir *dir;
  GPtrArray *entries;
  const gchar *entry;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    add_input (inputs, path);
    g_ptr_array_add (names, g_strdup (path));
    return;
  }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL) {
    fprintf (stderr, "replay: cannot open %s\n", path);
    exit (2);
  }
  entries = g_ptr_array_new_with_free_func (g_free);
  while ((entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (entries, g_build_filename (path, entry, NULL));
  g_dir_close (dir);
  /* the same order on every machine, for the same mutations */
  g_ptr_array_sort (entries, compare_paths);
  for (i = 0; i < entries->len; i++)
    if (g_file_test (entries->pdata[i], G_FILE_TEST_IS_REGULAR))
      add_path (inputs, names, entries->pdata[i]);
  g_ptr_array_unref (entries);
}

static const gchar *const interesting[] = {
  "0", "-1", "1e308", "-1e308", "1e999", "9223372036854775807",
  "18446744073709551616", "-9223372036854775809", "NaN", "null", "true",
  "\"\"", "[]", "{}", "[[[[[[[[", "]]]]", "\"\\u0000\"", "\"\\ud800\"",
  "\xff\xfe", "\xc0\x80", "\xed\xa0\x80", "%s%n%x", "(", ")", " (1999)",
  " (2001, X)", ", ",
};

static void
insert_bytes (GByteArray * array, guint pos, const guint8 * data, guint len)
{
  guint old = array->len;

  g_byte_array_set_size (array, old + len);
  memmove (array->data + pos + len, array->data + pos, old - pos);
  memcpy (array->data + pos, data, len);
}

/* One mutation of base (or of nothing) into out, at most max_len bytes. */
static void
mutate (GRand * rand, const Input * base, const Input * other,
    GByteArray * out, gsize max_len)
{
  guint n, i;

  g_byte_array_set_size (out, 0);
  if (base)
    g_byte_array_append (out, base->data, base->size);
  n = g_rand_int_range (rand, 1, 8);
  for (i = 0; i < n; i++) {
    guint op = g_rand_int_range (rand, 0, 7);
    guint pos = out->len ? g_rand_int_range (rand, 0, out->len) : 0;

    switch (op) {
      case 0:                  /* flip a bit */
        if (out->len)
          out->data[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
        break;
      case 1:                  /* set a byte */
        if (out->len)
          out->data[pos] = g_rand_int_range (rand, 0, 256);
        break;
      case 2:                  /* truncate */
        g_byte_array_set_size (out, pos);
        break;
      case 3:{                 /* insert an interesting token */
        const gchar *token = interesting[g_rand_int_range (rand, 0,
                G_N_ELEMENTS (interesting))];
        insert_bytes (out, pos, (const guint8 *) token,
            strlen (token));
        break;
      }
      case 4:{                 /* splice in part of another input */
        if (other && other->size) {
          guint from = g_rand_int_range (rand, 0, other->size);
          guint len = g_rand_int_range (rand, 1, other->size - from + 1);
          insert_bytes (out, pos, other->data + from, len);
        }
        break;
      }
      case 5:{                 /* random bytes */
        guint len = g_rand_int_range (rand, 1, 64), j;
        for (j = 0; j < len; j++) {
          guint8 b = g_rand_int_range (rand, 0, 256);
          insert_bytes (out, pos, &b, 1);
        }
        break;
      }
      default:                 /* delete a run */
        if (out->len) {
          guint len = g_rand_int_range (rand, 1, MIN (out->len - pos, 32) + 1);
          g_byte_array_remove_range (out, pos, len);
        }
        break;
    }
  }
  if (out->len > max_len)
    g_byte_array_set_size (out, max_len);
}

static void
run_one (const guint8 * data, gsize size)
{
  /* a copy of exactly size bytes: AddressSanitizer sees overreads */
  guint8 *copy = g_memdup2 (data, size);

  LLVMFuzzerTestOneInput (copy ? copy : (const guint8 *) "", size);
  g_free (copy);
}

int
main (int argc, char **argv)
{
  gint random_runs = 0, seed = 1, max_len = 4096;
  gchar **paths = NULL;
  GOptionEntry entries[] = {
    {"random", 'r', 0, G_OPTION_ARG_INT, &random_runs,
        "Mutated inputs to run after the corpus", "N"},
    {"seed", 's', 0, G_OPTION_ARG_INT, &seed, "Mutator seed", "S"},
    {"max-len", 'm', 0, G_OPTION_ARG_INT, &max_len,
        "Longest mutated input", "BYTES"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL,
        "CORPUS..."},
    {NULL}
  };
  GOptionContext *context = g_option_context_new ("CORPUS...");
  GError *error = NULL;
  GPtrArray *inputs = g_ptr_array_new (), *names =
      g_ptr_array_new_with_free_func (g_free);
  GByteArray *buffer = g_byte_array_new ();
  GRand *rand;
  gchar **p;
  guint i;
  gint r;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    fprintf (stderr, "replay: %s\n", error->message);
    return 2;
  }
  g_option_context_free (context);
  for (p = paths; p && *p; p++)
    add_path (inputs, names, *p);

  for (i = 0; i < inputs->len; i++) {
    const Input *input = inputs->pdata[i];

    /* named first, so a crash says which */
    fprintf (stderr, "replay: %s (%" G_GSIZE_FORMAT " bytes)\n",
        (const gchar *) names->pdata[i], input->size);
    run_one (input->data, input->size);
  }

  rand = g_rand_new_with_seed (seed);
  for (r = 0; r < random_runs; r++) {
    const Input *base = inputs->len && g_rand_int_range (rand, 0, 8) ?
        inputs->pdata[g_rand_int_range (rand, 0, inputs->len)] : NULL;
    const Input *other = inputs->len ?
        inputs->pdata[g_rand_int_range (rand, 0, inputs->len)] : NULL;

    mutate (rand, base, other, buffer, max_len);
    run_one (buffer->data, buffer->len);
  }
  printf ("replay: %u corpus inputs and %d mutated inputs (seed %d), "
      "no crash\n", inputs->len, random_runs, seed);

  g_rand_free (rand);
  g_byte_array_unref (buffer);
  for (i = 0; i < inputs->len; i++) {
    Input *input = inputs->pdata[i];
    g_free (input->data);
    g_free (input);
  }
  g_ptr_array_unref (inputs);
  g_ptr_array_unref (names);
  g_strfreev (paths);
  return 0;
}
