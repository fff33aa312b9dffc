/* Checks a reference page in docs/ against the element it documents, so that
 * the docs cannot rot:
 *
 *   test-docs-reference ELEMENT PAGE.md [--message [--example FILE]...]
 *       [--record]
 *
 * - every property the element class declares (not the inherited GstObject,
 *   GstElement, GstBaseSink or GstBaseTransform ones) has a row in the
 *   page's "## Properties" table, and every row names a real property; the
 *   row's type, range, default and "set in" cells agree with the GParamSpec;
 * - every value (nick) of each enum property appears on the page;
 * - --message: the fields of the `palette` message, as palette_message_new()
 *   builds them (the schema's one home, ext/palette/palette-message.c), each
 *   have a row in "## Message" whose type cell names their type, and every
 *   row is a field; gst-inspect's "message" metadata names every field; and
 *   the message the element posts in a short pipeline has the same fields;
 *   and every field that the page's code or an --example FILE reads by name
 *   is one of them;
 * - --record: the JSON record the element writes has every member (nested
 *   ones as `source.uri`) documented in "## JSON record", and every row is a
 *   member.
 *
 * Table rows look like "| `name` | type | range | default | set in | meaning |";
 * the name is the first cell, in backticks. */
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include "palette-message.h"
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static gint failures = 0;

static void
fail (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

static void
fail (const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  g_printerr ("FAIL: ");
  g_vfprintf (stderr, format, args);
  g_printerr ("\n");
  va_end (args);
  failures++;
}

/* The rows of the table under the first "## " heading starting with
 * section: name -> array of trimmed cells (the name's included). */
static GHashTable *
read_table (const gchar * page, const gchar * section)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_strfreev);
  gchar **lines = g_strsplit (page, "\n", -1);
  gboolean inside = FALSE, found = FALSE;
  guint i, c;

  for (i = 0; lines[i]; i++) {
    const gchar *line = lines[i];

    if (g_str_has_prefix (line, "#")) {
      inside = g_str_has_prefix (line, "## ")
          && g_str_has_prefix (line + 3, section);
      found |= inside;
      continue;
    }
    if (inside && g_str_has_prefix (line, "| `")) {
      gchar **cells = g_strsplit (line + 1, "|", -1);
      const gchar *start, *end;

      for (c = 0; cells[c]; c++)
        g_strstrip (cells[c]);
      start = strchr (cells[0], '`') + 1;
      end = strchr (start, '`');
      if (end == NULL) {
        fail ("unterminated name in row: %s", line);
        g_strfreev (cells);
        continue;
      }
      g_hash_table_insert (rows, g_strndup (start, end - start), cells);
    }
  }
  if (!found)
    fail ("no \"## %s\" section", section);
  g_strfreev (lines);
  return rows;
}

static gboolean
is_word_char (gchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

/* text appears in the cell as a whole word: "1" is not found in "10" */
static gboolean
cell_has (gchar ** cells, guint index, const gchar * text)
{
  const gchar *cell, *found;
  gsize len = strlen (text);

  if (g_strv_length (cells) <= index)
    return FALSE;
  cell = cells[index];
  for (found = strstr (cell, text); found; found = strstr (found + 1, text)) {
    gboolean starts = found == cell || !is_word_char (found[-1]);
    gboolean ends = !is_word_char (found[len]) || (found[len] == '.'
        && !g_ascii_isdigit (found[len + 1]));

    if (starts && ends)
      return TRUE;
  }
  return FALSE;
}

/* Numbers as the page writes them: decimal, or the GLib limit's name. */
static gchar *
integer_text (guint64 value, GType type)
{
  if (type == G_TYPE_UINT64 && value == G_MAXUINT64)
    return g_strdup ("G_MAXUINT64");
  if (type == G_TYPE_UINT && value == G_MAXUINT)
    return g_strdup ("G_MAXUINT");
  if ((type == G_TYPE_UINT || type == G_TYPE_INT) && value == G_MAXINT)
    return g_strdup ("G_MAXINT");
  return g_strdup_printf ("%" G_GUINT64_FORMAT, value);
}

static void
check_number_cells (GParamSpec * pspec, gchar ** cells, gchar * min_text,
    gchar * max_text, gchar * def_text)
{
  if (!cell_has (cells, 2, min_text) || !cell_has (cells, 2, max_text))
    fail ("%s: range cell \"%s\" should say %s–%s", pspec->name,
        cells[2], min_text, max_text);
  if (!cell_has (cells, 3, def_text))
    fail ("%s: default cell \"%s\" should contain %s", pspec->name, cells[3],
        def_text);
  g_free (min_text);
  g_free (max_text);
  g_free (def_text);
}

#define CHECK_INTEGER(p, type) \
  check_number_cells (pspec, cells, integer_text (p->minimum, type), \
      integer_text (p->maximum, type), integer_text (p->default_value, type))

static void
check_property (GParamSpec * pspec, gchar ** cells, const gchar * page)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  const gchar *type_word = NULL, *set_in;

  if (g_strv_length (cells) < 6) {
    fail ("%s: row needs 6 cells (name, type, range, default, set in, "
        "meaning)", pspec->name);
    return;
  }

  if (G_IS_PARAM_SPEC_UINT (pspec)) {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
    type_word = "uint";
    CHECK_INTEGER (p, G_TYPE_UINT);
  } else if (G_IS_PARAM_SPEC_INT (pspec)) {
    GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
    type_word = "int";
    if (p->minimum < 0)
      fail ("%s: negative ranges: extend the test", pspec->name);
    CHECK_INTEGER (p, G_TYPE_INT);
  } else if (G_IS_PARAM_SPEC_UINT64 (pspec)) {
    GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
    type_word = "uint64";
    CHECK_INTEGER (p, G_TYPE_UINT64);
  } else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) {
    GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
    type_word = "double";
    check_number_cells (pspec, cells, g_strdup_printf ("%.15g", p->minimum),
        g_strdup_printf ("%.15g", p->maximum),
        g_strdup_printf ("%.15g", p->default_value));
  } else if (G_IS_PARAM_SPEC_BOOLEAN (pspec)) {
    type_word = "boolean";
    if (!cell_has (cells, 3, G_PARAM_SPEC_BOOLEAN (pspec)->default_value ?
            "true" : "false"))
      fail ("%s: default cell \"%s\" should say %s", pspec->name, cells[3],
          G_PARAM_SPEC_BOOLEAN (pspec)->default_value ? "true" : "false");
  } else if (G_IS_PARAM_SPEC_STRING (pspec)) {
    const gchar *def = G_PARAM_SPEC_STRING (pspec)->default_value;
    type_word = "string";
    if (!cell_has (cells, 3, def ? def : "NULL"))
      fail ("%s: default cell \"%s\" should say %s", pspec->name, cells[3],
          def ? def : "NULL");
  } else if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GParamSpecEnum *p = G_PARAM_SPEC_ENUM (pspec);
    GEnumValue *def = g_enum_get_value (p->enum_class, p->default_value);
    guint i;

    type_word = "enum";
    if (def == NULL || !cell_has (cells, 3, def->value_nick))
      fail ("%s: default cell \"%s\" should name the default value",
          pspec->name, cells[3]);
    for (i = 0; i < p->enum_class->n_values; i++) {
      gchar *quoted = g_strdup_printf ("`%s`",
          p->enum_class->values[i].value_nick);
      if (strstr (page, quoted) == NULL)
        fail ("%s: value %s is not on the page", pspec->name, quoted);
      g_free (quoted);
    }
  } else {
    fail ("%s: the test does not know type %s; extend it", pspec->name,
        g_type_name (type));
  }
  if (type_word && !g_str_has_prefix (cells[1], type_word))
    fail ("%s: type cell \"%s\" should start with \"%s\"", pspec->name,
        cells[1], type_word);

  if (!(pspec->flags & G_PARAM_WRITABLE))
    set_in = "read-only";
  else if (pspec->flags & GST_PARAM_MUTABLE_PLAYING)
    set_in = "any state";
  else if (pspec->flags & GST_PARAM_MUTABLE_PAUSED)
    set_in = "up to PAUSED";
  else if (pspec->flags & GST_PARAM_MUTABLE_READY)
    set_in = "NULL or READY";
  else
    set_in = "any state";
  if (!cell_has (cells, 4, set_in))
    fail ("%s: \"set in\" cell \"%s\" should say \"%s\"", pspec->name,
        cells[4], set_in);
  if (strlen (cells[5]) < 10)
    fail ("%s: the meaning cell is empty", pspec->name);
}

static void
check_properties (GstElement * element, const gchar * page)
{
  GHashTable *rows = read_table (page, "Properties");
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  GType own = G_OBJECT_TYPE (element);
  GParamSpec **specs;
  GHashTableIter iter;
  gpointer name;
  guint n, i, checked = 0;

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    gchar **cells;

    /* the element's own properties, shadowed base class ones included */
    if (specs[i]->owner_type != own)
      continue;
    cells = g_hash_table_lookup (rows, specs[i]->name);
    if (cells == NULL) {
      fail ("property %s (\"%s\") is not in the Properties table",
          specs[i]->name, g_param_spec_get_blurb (specs[i]));
      continue;
    }
    check_property (specs[i], cells, page);
    checked++;
  }

  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &name, NULL)) {
    GParamSpec *pspec = g_object_class_find_property (klass, name);
    if (pspec == NULL || pspec->owner_type != own)
      fail ("the Properties table documents %s, which %s does not declare",
          (gchar *) name, GST_OBJECT_NAME (element));
  }
  g_print ("%u properties checked\n", checked);
  g_free (specs);
  g_hash_table_unref (rows);
}

/* Runs a few frames through the element and returns its palette message
 * structure; writes the JSON record to location. */
static GstStructure *
run_element (const gchar * factory, const gchar * location)
{
  /* behind framedecimate, as the docs show it: the record then says how
   * the frames were sampled */
  GstElementFactory *decimate = gst_element_factory_find ("framedecimate");
  /* YCbCr larger than the downscale: the record then names the matrix */
  gchar *description = g_strdup_printf ("videotestsrc num-buffers=8 ! "
      "video/x-raw,format=I420,width=320,height=180 ! %s%s name=sink "
      "location=\"%s\"",
      decimate ? "framedecimate step=2 ! " : "", factory, location);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstStructure *result = NULL;
  GstBus *bus;
  gboolean done = FALSE;

  g_free (description);
  if (decimate)
    gst_object_unref (decimate);
  if (pipeline == NULL) {
    fail ("cannot run %s: %s", factory, error->message);
    g_clear_error (&error);
    return NULL;
  }
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    if (msg == NULL) {
      fail ("%s: no EOS within 60 s", factory);
      break;
    }
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_message_has_name (msg, "palette") && result == NULL)
          result = gst_structure_copy (gst_message_get_structure (msg));
        break;
      case GST_MESSAGE_ERROR:
        gst_message_parse_error (msg, &error, NULL);
        fail ("%s: %s", factory, error->message);
        g_clear_error (&error);
        done = TRUE;
        break;
      default:
        done = TRUE;
        break;
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  if (result == NULL)
    fail ("%s posted no palette message", factory);
  return result;
}

static gboolean
add_field_name (GQuark field, const GValue * value, gpointer user_data)
{
  g_hash_table_add (user_data, g_strdup (g_quark_to_string (field)));
  return TRUE;
}

/* Every name in names has a row, and every row is in names. */
static void
compare_names (GHashTable * names, const gchar * page, const gchar * section,
    const gchar * what)
{
  GHashTable *rows = read_table (page, section);
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (rows, name))
      fail ("%s %s is not in the \"%s\" table", what, (gchar *) name, section);
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (names, name))
      fail ("the \"%s\" table documents %s, which is no %s", section,
          (gchar *) name, what);
  g_print ("%u %ss checked\n", g_hash_table_size (names), what);
  g_hash_table_unref (rows);
}

/* A message from the builder itself, of a two-color palette: the test
 * compares the page with what the code builds, not with a list of its own. */
static GstStructure *
built_message (void)
{
  PalettePalette palette = { 0 };
  PaletteSpan span = { 0, 0, 0, GST_SECOND };
  GstMessage *message;
  GstStructure *s;

  palette.n_colors = 2;
  palette.colors[0].rgb[0] = 200;
  palette.colors[0].weight = 0.75;
  palette.colors[1].rgb[2] = 200;
  palette.colors[1].weight = 0.25;
  palette.frames = 8;
  message = palette_message_new (NULL, &palette, &span, TRUE, TRUE);
  s = gst_structure_copy (gst_message_get_structure (message));
  gst_message_unref (message);
  return s;
}

/* The type as the page writes it: "`gboolean`", "`GstValueArray` of
 * `guint`" (an array's values all have the first one's type). */
static gchar *
type_text (const GValue * value)
{
  if (GST_VALUE_HOLDS_ARRAY (value) && gst_value_array_get_size (value) > 0)
    return g_strdup_printf ("`%s` of `%s`", G_VALUE_TYPE_NAME (value),
        G_VALUE_TYPE_NAME (gst_value_array_get_value (value, 0)));
  return g_strdup_printf ("`%s`", G_VALUE_TYPE_NAME (value));
}

typedef struct
{
  GHashTable *rows;             /* the page's "Message" table */
  const gchar *summary;         /* gst-inspect's "message" metadata */
  const GstStructure *posted;   /* the element's message, or NULL */
} MessageCheck;

static gboolean
check_message_field (GQuark field, const GValue * value, gpointer user_data)
{
  MessageCheck *check = user_data;
  const gchar *name = g_quark_to_string (field);
  gchar **cells = g_hash_table_lookup (check->rows, name);
  gchar *type = type_text (value);
  gchar *word = g_strdup_printf ("%s (", name);
  gchar *listed = g_strdup_printf ("%s,", name);
  const GValue *posted;

  if (cells != NULL && (g_strv_length (cells) < 2
          || !g_str_has_prefix (cells[1], type)))
    fail ("message field %s: type cell \"%s\" should start with %s", name,
        g_strv_length (cells) < 2 ? "" : cells[1], type);
  if (check->summary == NULL || (!strstr (check->summary, word)
          && !strstr (check->summary, listed)))
    fail ("message field %s is not in gst-inspect's \"message\" metadata",
        name);
  if (check->posted != NULL) {
    posted = gst_structure_id_get_value (check->posted, field);
    if (posted == NULL)
      fail ("the element's message has no field %s", name);
    else if (G_VALUE_TYPE (posted) != G_VALUE_TYPE (value))
      fail ("the element's message field %s is a %s, not a %s", name,
          G_VALUE_TYPE_NAME (posted), G_VALUE_TYPE_NAME (value));
  }
  g_free (type);
  g_free (word);
  g_free (listed);
  return TRUE;
}

/* How readers name a field, in C and in Python (where the examples and the
 * page call the structure `structure`); group 1 is the name. */
static const gchar *const field_read_patterns[] = {
  /* gst_structure_get_value (s, "x"), gst_structure_get_uint64 (s, "x", &x) */
  "gst_structure_get_\\w+\\s*\\(\\s*\\w+\\s*,\\s*\"([^\"]+)\"",
  /* gst_structure_get (s, "x", G_TYPE_BOOLEAN, &x, …) */
  "\"([^\"]+)\"\\s*,\\s*G_TYPE_\\w+\\s*,\\s*&",
  /* structure.get_value("x") */
  "structure\\.get_\\w+\\(\\s*\"([^\"]+)\"",
  /* helpers: value_array(structure, "x") */
  "\\(\\s*structure\\s*,\\s*\"([^\"]+)\"",
};

/* Every field that text (an example, the page) reads is one the builder
 * builds: an example may spell the names out, but cannot drift. */
static void
check_fields_read (const gchar * path, const gchar * text,
    const GstStructure * built)
{
  guint i, n = 0;

  for (i = 0; i < G_N_ELEMENTS (field_read_patterns); i++) {
    GRegex *regex = g_regex_new (field_read_patterns[i], 0, 0, NULL);
    GMatchInfo *match;

    g_regex_match (regex, text, 0, &match);
    for (; g_match_info_matches (match); g_match_info_next (match, NULL)) {
      gchar *name = g_match_info_fetch (match, 1);

      if (!gst_structure_has_field (built, name))
        fail ("%s reads message field %s, which palette_message_new() does "
            "not build", path, name);
      g_free (name);
      n++;
    }
    g_match_info_free (match);
    g_regex_unref (regex);
  }
  /* none found: the patterns no longer see how the file reads fields */
  if (n == 0)
    fail ("%s reads no message field that the test can see", path);
  g_print ("%u message field reads in %s checked\n", n, path);
}

/* The page, the element's metadata and the message it posted (NULL if it
 * posted none, already reported) against the builder's fields. */
static void
check_message_fields (GstElement * element, const gchar * page_path,
    const gchar * page, const GstStructure * posted, GPtrArray * examples)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GstStructure *built = built_message ();
  MessageCheck check;
  guint i;

  check.rows = read_table (page, "Message");
  check.summary = gst_element_class_get_metadata
      (GST_ELEMENT_GET_CLASS (element), "message");
  check.posted = posted;

  gst_structure_foreach (built, add_field_name, fields);
  compare_names (fields, page, "Message", "message field");
  gst_structure_foreach (built, check_message_field, &check);
  if (posted != NULL && !gst_structure_has_name (posted,
          gst_structure_get_name (built)))
    fail ("the element's message is named %s, not %s",
        gst_structure_get_name (posted), gst_structure_get_name (built));
  if (posted != NULL && gst_structure_n_fields (posted) !=
      gst_structure_n_fields (built))
    fail ("the element's message has %d fields, the builder's %d",
        gst_structure_n_fields (posted), gst_structure_n_fields (built));

  check_fields_read (page_path, page, built);
  for (i = 0; i < examples->len; i++) {
    const gchar *path = g_ptr_array_index (examples, i);
    gchar *text;
    GError *error = NULL;

    if (g_file_get_contents (path, &text, NULL, &error)) {
      check_fields_read (path, text, built);
      g_free (text);
    } else {
      fail ("%s", error->message);
      g_clear_error (&error);
    }
  }

  g_hash_table_unref (check.rows);
  gst_structure_free (built);
  g_hash_table_unref (fields);
}

static void
add_members (GHashTable * names, JsonObject * object, const gchar * prefix)
{
  GList *members = json_object_get_members (object), *l;

  for (l = members; l; l = l->next) {
    gchar *name = g_strconcat (prefix, l->data, NULL);
    JsonNode *node = json_object_get_member (object, l->data);

    if (JSON_NODE_HOLDS_OBJECT (node)) {
      gchar *nested = g_strconcat (name, ".", NULL);
      add_members (names, json_node_get_object (node), nested);
      g_free (nested);
    }
    g_hash_table_add (names, name);
  }
  g_list_free (members);
}

int
main (int argc, char **argv)
{
  gboolean check_message = FALSE, check_record = FALSE;
  GPtrArray *examples = g_ptr_array_new ();
  GstElement *element;
  gchar *page = NULL, *dir, *location;
  GError *error = NULL;
  gint i;

  gst_init (&argc, &argv);
  if (argc < 3) {
    g_printerr ("usage: %s ELEMENT PAGE.md [--message [--example FILE]...] "
        "[--record]\n", argv[0]);
    return 2;
  }
  for (i = 3; i < argc; i++) {
    check_message |= g_str_equal (argv[i], "--message");
    check_record |= g_str_equal (argv[i], "--record");
    if (g_str_equal (argv[i], "--example") && i + 1 < argc)
      g_ptr_array_add (examples, argv[++i]);
  }
  if (!g_file_get_contents (argv[2], &page, NULL, &error)) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  element = gst_element_factory_make (argv[1], NULL);
  if (element == NULL) {
    g_printerr ("element %s not found (GST_PLUGIN_PATH?)\n", argv[1]);
    return 1;
  }
  gst_object_ref_sink (element);
  check_properties (element, page);

  dir = g_dir_make_tmp ("docs-reference-XXXXXX", NULL);
  location = g_build_filename (dir, "record.json", NULL);
  if (check_message || check_record) {
    GstStructure *s = run_element (argv[1], location);

    if (check_message)
      check_message_fields (element, argv[2], page, s, examples);
    if (s)
      gst_structure_free (s);
  }
  if (check_record) {
    JsonParser *parser = json_parser_new ();

    if (json_parser_load_from_file (parser, location, &error)) {
      GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal,
          g_free, NULL);
      add_members (names, json_node_get_object (json_parser_get_root (parser)),
          "");
      compare_names (names, page, "JSON record", "record member");
      g_hash_table_unref (names);
    } else {
      fail ("no JSON record written: %s", error->message);
      g_clear_error (&error);
    }
    g_object_unref (parser);
  }
  g_unlink (location);
  g_rmdir (dir);
  g_free (location);
  g_free (dir);
  gst_object_unref (element);
  g_free (page);
  g_ptr_array_unref (examples);

  if (failures)
    g_printerr ("%d mismatches between %s and %s\n", failures, argv[2],
        argv[1]);
  return failures ? 1 : 0;
}
