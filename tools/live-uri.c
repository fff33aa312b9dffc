/* gst-palette live: stream arguments (see live-uri.h) */
#include "live-uri.h"

#include <gst/gst.h>
#include <string.h>
#include <sys/stat.h>

/* a name that every MQTT subscriber's wildcard handles: no level
 * separators, no wildcards, no control characters */
static gboolean
name_is_valid (const gchar * name, GError ** error)
{
  const gchar *p;

  if (name == NULL || *name == '\0') {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "empty stream name");
    return FALSE;
  }
  if (name[0] == '_') {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "stream name \"%s\": names starting with '_' are kept for the "
        "process's own topics", name);
    return FALSE;
  }
  if (!g_utf8_validate (name, -1, NULL)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "stream name is not UTF-8");
    return FALSE;
  }
  for (p = name; *p; p++) {
    if (*p == '/' || *p == '+' || *p == '#' || g_ascii_iscntrl (*p)) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "stream name \"%s\": '/', '+', '#' and control characters "
          "cannot be in an MQTT topic level", name);
      return FALSE;
    }
  }
  return TRUE;
}

/* letters, digits, '-', '_' and '.' kept; anything else becomes '-' */
static gchar *
sanitize (const gchar * text)
{
  gchar *name = g_strdup (text);
  gchar *p;

  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      *p = '-';
  while (name[0] == '_' || name[0] == '-' || name[0] == '.')
    memmove (name, name + 1, strlen (name));
  return name;
}

static gchar *
name_from_uri (const gchar * uri)
{
  GUri *parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS, NULL);
  gchar *name = NULL;

  if (parsed != NULL) {
    const gchar *path = g_uri_get_path (parsed);
    gchar *base = NULL;

    if (path != NULL && strlen (path) > 1 && !g_str_has_suffix (path, "/"))
      base = g_path_get_basename (path);
    if (base != NULL) {
      gchar *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      name = sanitize (base);
    } else if (g_uri_get_host (parsed) != NULL) {
      gchar *host_port = g_uri_get_port (parsed) > 0 ?
          g_strdup_printf ("%s-%d", g_uri_get_host (parsed),
          g_uri_get_port (parsed)) : g_strdup (g_uri_get_host (parsed));

      name = sanitize (host_port);
      g_free (host_port);
    }
    g_free (base);
    g_uri_unref (parsed);
  }
  if (name != NULL && *name == '\0')
    g_clear_pointer (&name, g_free);
  return name;
}

static gchar *
uri_from_location (const gchar * location, GError ** error)
{
  struct stat st;
  gchar *absolute, *uri;

  if (gst_uri_is_valid (location))
    return g_strdup (location);
  if (stat (location, &st) == 0 && S_ISCHR (st.st_mode))
    return g_strconcat ("v4l2://", location, NULL);
  absolute = g_canonicalize_filename (location, NULL);
  if (g_str_has_suffix (absolute, ".sdp"))
    uri = g_strconcat ("sdp://", absolute, NULL);
  else
    uri = g_filename_to_uri (absolute, NULL, error);
  g_free (absolute);
  return uri;
}

gboolean
live_uri_parse (const gchar * arg, LiveUri * out, GError ** error)
{
  const gchar *equals = strchr (arg, '=');
  gchar *name = NULL, *uri;

  memset (out, 0, sizeof (*out));
  /* NAME=URI when what comes before the first '=' is neither a URI's
   * scheme nor a path ("./a=b.mp4" names a file) */
  if (equals != NULL && strcspn (arg, ":/") > (gsize) (equals - arg)) {
    name = g_strndup (arg, equals - arg);
    arg = equals + 1;
  }
  if (*arg == '\0') {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "stream \"%s\": no URI", name ? name : "");
    g_free (name);
    return FALSE;
  }
  uri = uri_from_location (arg, error);
  if (uri == NULL) {
    g_free (name);
    return FALSE;
  }
  if (name == NULL) {
    name = name_from_uri (uri);
    if (name == NULL) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "%s: cannot name the stream from its URI; give it as NAME=URI", arg);
      g_free (uri);
      return FALSE;
    }
  }
  if (!name_is_valid (name, error)) {
    g_free (name);
    g_free (uri);
    return FALSE;
  }
  out->name = name;
  out->uri = uri;
  return TRUE;
}

void
live_uri_clear (LiveUri * uri)
{
  g_clear_pointer (&uri->name, g_free);
  g_clear_pointer (&uri->uri, g_free);
}

gchar *
live_uri_redact (const gchar * uri)
{
  GUri *parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD |
      G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  gchar *shown;

  if (parsed == NULL || g_uri_get_password (parsed) == NULL) {
    if (parsed != NULL)
      g_uri_unref (parsed);
    return g_strdup (uri);
  }
  shown = g_uri_to_string_partial (parsed, G_URI_HIDE_PASSWORD);
  g_uri_unref (parsed);
  return shown;
}

gboolean
live_uri_is_file (const gchar * uri)
{
  return g_str_has_prefix (uri, "file:");
}
