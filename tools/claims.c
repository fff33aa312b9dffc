/* gst-palette: claims, so that several runs on one catalog split its films
 * (see claims.h). */
#include "claims.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void
claim_holder_clear (ClaimHolder * holder)
{
  g_clear_pointer (&holder->host, g_free);
  holder->pid = 0;
  holder->expires = 0;
}

void
claim_holder_init_self (ClaimHolder * holder)
{
  holder->host = g_strdup (g_get_host_name ());
  holder->pid = getpid ();
  holder->expires = g_get_real_time () / G_USEC_PER_SEC + CLAIM_LEASE_SECONDS;
}

gboolean
claim_holder_is_self (const ClaimHolder * holder)
{
  return holder->host != NULL && holder->pid == getpid () &&
      g_str_equal (holder->host, g_get_host_name ());
}

/* Only a process of this host can be asked; one of another host is taken
 * at its lease's word. A process id used again by another program keeps
 * the film until the lease ends, no longer. */
gboolean
claim_holder_is_live (const ClaimHolder * holder, gint64 now)
{
  if (holder->host == NULL || holder->expires <= now)
    return FALSE;
  if (!g_str_equal (holder->host, g_get_host_name ()))
    return TRUE;
  if (holder->pid <= 0 || holder->pid > G_MAXINT)
    return FALSE;
  return kill ((pid_t) holder->pid, 0) == 0 || errno == EPERM;
}

gchar *
claim_holder_describe (const ClaimHolder * holder)
{
  return g_strdup_printf ("%s pid %" G_GINT64_FORMAT, holder->host,
      holder->pid);
}

gchar *
claim_film_state (const CatalogFilm * film)
{
  return g_strdup_printf ("%u palettes, %u failures, last %s",
      film->n_palettes, film->attempts,
      film->last_attempt ? film->last_attempt : "never");
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* --- claim files of a JSON catalog --------------------------------------- */

gchar *
claim_dir_for_catalog (const gchar * catalog_filename)
{
  gchar *base = g_str_has_suffix (catalog_filename, ".json") ?
      g_strndup (catalog_filename, strlen (catalog_filename) - 5) :
      g_strdup (catalog_filename);
  gchar *dir = g_strconcat (base, ".claims", NULL);

  g_free (base);
  return dir;
}

static gchar *
claim_path (const gchar * dir, const gchar * key)
{
  gchar *name = g_strconcat (key, ".claim", NULL);
  gchar *path = g_build_filename (dir, name, NULL);

  g_free (name);
  return path;
}

/* "host\npid\nexpires\n"; FALSE when there is no such file or it is not
 * one of ours (then it holds nothing). */
static gboolean
read_claim_file (const gchar * path, ClaimHolder * holder)
{
  gchar *data = NULL;
  gchar **lines;
  gboolean ok;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return FALSE;
  lines = g_strsplit (data, "\n", 4);
  ok = g_strv_length (lines) >= 3 && lines[0][0] != '\0' &&
      g_ascii_string_to_signed (lines[1], 10, 1, G_MAXINT64, &holder->pid,
      NULL) && g_ascii_string_to_signed (lines[2], 10, 0, G_MAXINT64,
      &holder->expires, NULL);
  if (ok)
    holder->host = g_strdup (lines[0]);
  g_strfreev (lines);
  g_free (data);
  return ok;
}

static gboolean
write_claim_file (const gchar * path, GError ** error)
{
  ClaimHolder self = { 0, };
  gchar *data;
  gboolean ok;

  claim_holder_init_self (&self);
  data = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n",
      self.host, self.pid, self.expires);
  /* a temporary file and a rename: a reader sees the old claim or the new */
  ok = g_file_set_contents (path, data, -1, error);
  g_free (data);
  claim_holder_clear (&self);
  return ok;
}

ClaimOutcome
claim_dir_take (const gchar * dir, const gchar * key, ClaimHolder * other,
    GError ** error)
{
  gchar *path;
  ClaimHolder holder = { 0, };
  ClaimOutcome outcome = CLAIM_TAKEN;

  if (g_mkdir_with_parents (dir, 0755) != 0) {
    gint saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
        "cannot make the claims folder %s: %s", dir, g_strerror (saved_errno));
    return CLAIM_ERROR;
  }
  path = claim_path (dir, key);
  if (read_claim_file (path, &holder) && !claim_holder_is_self (&holder) &&
      claim_holder_is_live (&holder, now_seconds ())) {
    outcome = CLAIM_HELD;
    *other = holder;
    holder.host = NULL;
  } else if (!write_claim_file (path, error)) {
    outcome = CLAIM_ERROR;
  }
  claim_holder_clear (&holder);
  g_free (path);
  return outcome;
}

void
claim_dir_release (const gchar * dir, const gchar * key)
{
  gchar *path = claim_path (dir, key);
  ClaimHolder holder = { 0, };

  /* A claim of ours that another run took over when our lease ran out is
   * theirs now. */
  if (read_claim_file (path, &holder) && claim_holder_is_self (&holder))
    g_unlink (path);
  claim_holder_clear (&holder);
  g_free (path);
}

gboolean
claim_dir_renew (const gchar * dir, const gchar * key, GError ** error)
{
  gchar *path = claim_path (dir, key);
  ClaimHolder holder = { 0, };
  gboolean ok = TRUE;

  if (read_claim_file (path, &holder) && claim_holder_is_self (&holder))
    ok = write_claim_file (path, error);
  claim_holder_clear (&holder);
  g_free (path);
  return ok;
}

/* --- the claims of a run ------------------------------------------------- */

struct _Claims
{
  CatalogDb *db;
  CatalogJsonFile *json_file;   /* NULL: DB is the SQLite catalog */
  gchar *dir;                   /* a JSON catalog's claim files */
  ClaimHolder self;
  GHashTable *held;             /* movie id -> key */
  gchar *since;                 /* when the run began (ISO 8601, UTC) */
};

Claims *
claims_new (CatalogDb * db, CatalogJsonFile * json_file, const gchar * since)
{
  Claims *claims = g_new0 (Claims, 1);

  claims->since = g_strdup (since);

  claims->db = db;
  claims->json_file = json_file;
  if (json_file != NULL)
    claims->dir = claim_dir_for_catalog (catalog_json_file_get_filename
        (json_file));
  claim_holder_init_self (&claims->self);
  claims->held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  return claims;
}

void
claims_free (Claims * claims)
{
  if (claims == NULL)
    return;
  g_hash_table_unref (claims->held);
  claim_holder_clear (&claims->self);
  g_free (claims->since);
  g_free (claims->dir);
  g_free (claims);
}

guint
claims_get_n_held (Claims * claims)
{
  return g_hash_table_size (claims->held);
}

/* Whether the film still is as the run chose it; CLAIM_ERROR with ERROR
 * set when it cannot be read. */
static ClaimOutcome
check_film (Claims * claims, gint64 movie_id, const gchar * chosen_state,
    GError ** error)
{
  CatalogFilm *film = catalog_db_get_film (claims->db, movie_id, error);
  gchar *state;
  gboolean same;

  if (film == NULL)
    return CLAIM_ERROR;
  state = claim_film_state (film);
  /* A palette made since this run began is another run's work of this
   * round even when the run read the catalog after it was stored (runs
   * started together with --recalc: one of them slower to start). Our
   * dates and the run's are both UTC with microseconds: they sort as
   * text. */
  same = g_str_equal (state, chosen_state) && !(film->last_palette_date
      && claims->since
      && strcmp (film->last_palette_date, claims->since) >= 0);
  g_free (state);
  catalog_film_free (film);
  return same ? CLAIM_TAKEN : CLAIM_DONE;
}

static ClaimOutcome
take_in_db (Claims * claims, gint64 movie_id, const gchar * chosen_state,
    ClaimHolder * other, GError ** error)
{
  ClaimHolder holder = { 0, };
  ClaimOutcome outcome;

  /* IMMEDIATE (catalog_db_begin): the check and the claim are one step
   * that no other writer comes between; the busy timeout bounds the
   * wait. */
  if (!catalog_db_begin (claims->db, error))
    return CLAIM_ERROR;
  outcome = check_film (claims, movie_id, chosen_state, error);
  if (outcome == CLAIM_TAKEN && !catalog_db_get_claim (claims->db, movie_id,
          &holder.host, &holder.pid, &holder.expires, error))
    outcome = CLAIM_ERROR;
  if (outcome == CLAIM_TAKEN && !claim_holder_is_self (&holder) &&
      claim_holder_is_live (&holder, now_seconds ())) {
    outcome = CLAIM_HELD;
    *other = holder;
    holder.host = NULL;
  }
  if (outcome == CLAIM_TAKEN) {
    claims->self.expires = now_seconds () + CLAIM_LEASE_SECONDS;
    if (!catalog_db_put_claim (claims->db, movie_id, claims->self.host,
            claims->self.pid, claims->self.expires, error))
      outcome = CLAIM_ERROR;
  }
  claim_holder_clear (&holder);
  if (outcome == CLAIM_ERROR) {
    catalog_db_rollback (claims->db);
    return CLAIM_ERROR;
  }
  if (!catalog_db_commit (claims->db, error)) {
    claim_holder_clear (other);
    return CLAIM_ERROR;
  }
  return outcome;
}

static ClaimOutcome
take_in_dir (Claims * claims, gint64 movie_id, const gchar * key,
    const gchar * chosen_state, ClaimHolder * other, GError ** error)
{
  ClaimOutcome outcome;

  /* The lock brings in what other runs stored since: their palettes show
   * in the film's state. */
  if (!catalog_json_file_lock (claims->json_file, TRUE, error))
    return CLAIM_ERROR;
  outcome = check_film (claims, movie_id, chosen_state, error);
  if (outcome == CLAIM_TAKEN)
    outcome = claim_dir_take (claims->dir, key, other, error);
  catalog_json_file_unlock (claims->json_file);
  return outcome;
}

ClaimOutcome
claims_take (Claims * claims, gint64 movie_id, const gchar * key,
    const gchar * chosen_state, ClaimHolder * other, GError ** error)
{
  ClaimOutcome outcome;
  gint64 *id;

  outcome = claims->json_file == NULL ?
      take_in_db (claims, movie_id, chosen_state, other, error) :
      take_in_dir (claims, movie_id, key, chosen_state, other, error);
  if (outcome != CLAIM_TAKEN)
    return outcome;
  id = g_new (gint64, 1);
  *id = movie_id;
  g_hash_table_replace (claims->held, id, g_strdup (key));
  return outcome;
}

/* Releasing may fail (the catalog busy past its timeout): the claim then
 * ends with its lease, or at once for a run of this host, whose process is
 * gone by then. */
void
claims_release (Claims * claims, gint64 movie_id)
{
  const gchar *key = g_hash_table_lookup (claims->held, &movie_id);

  if (key == NULL)
    return;
  if (claims->json_file == NULL) {
    catalog_db_delete_claims (claims->db, movie_id, claims->self.host,
        claims->self.pid, NULL);
  } else if (catalog_json_file_lock (claims->json_file, FALSE, NULL)) {
    claim_dir_release (claims->dir, key);
    catalog_json_file_unlock (claims->json_file);
  }
  g_hash_table_remove (claims->held, &movie_id);
}

gboolean
claims_renew (Claims * claims, GError ** error)
{
  GHashTableIter iter;
  gpointer key;
  gboolean ok = TRUE;

  if (g_hash_table_size (claims->held) == 0)
    return TRUE;
  if (claims->json_file == NULL)
    return catalog_db_renew_claims (claims->db, claims->self.host,
        claims->self.pid, now_seconds () + CLAIM_LEASE_SECONDS, error);
  if (!catalog_json_file_lock (claims->json_file, FALSE, error))
    return FALSE;
  g_hash_table_iter_init (&iter, claims->held);
  while (ok && g_hash_table_iter_next (&iter, NULL, &key))
    ok = claim_dir_renew (claims->dir, key, error);
  catalog_json_file_unlock (claims->json_file);
  return ok;
}

void
claims_release_all (Claims * claims)
{
  GHashTableIter iter;
  gpointer key;

  if (claims->json_file == NULL) {
    if (g_hash_table_size (claims->held) > 0)
      catalog_db_delete_claims (claims->db, -1, claims->self.host,
          claims->self.pid, NULL);
  } else if (g_file_test (claims->dir, G_FILE_TEST_IS_DIR) &&
      catalog_json_file_lock (claims->json_file, FALSE, NULL)) {
    g_hash_table_iter_init (&iter, claims->held);
    while (g_hash_table_iter_next (&iter, NULL, &key))
      claim_dir_release (claims->dir, key);
    /* The last run to end leaves no folder behind (in a library it would
     * sit among the films); under the lock, so that no other run is
     * putting a claim in it meanwhile. Not empty: other runs work. */
    g_rmdir (claims->dir);
    catalog_json_file_unlock (claims->json_file);
  }
  g_hash_table_remove_all (claims->held);
}
