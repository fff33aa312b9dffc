/* gst-palette: claims, so that several runs on one catalog split its films
 * instead of each analysing them all.
 *
 * Just before a film starts, a run claims it: the claim names the run (host
 * and process id) and holds for a lease that the run renews while it works.
 * Another run finds the claim and leaves the film alone; a claim whose
 * lease ran out, or whose process is gone from this host, is taken over, so
 * a run killed outright (SIGKILL, a machine gone) locks nothing for ever.
 * The claim also checks that the film still needs what the run chose it
 * for: a palette or a failure that another run stored since is not redone.
 *
 * An SQLite catalog keeps the claims in its table gp_claims; a JSON catalog
 * in files beside it, NAME.claims/KEY.claim, written under the catalog's
 * lock. */
#ifndef GST_PALETTE_CLAIMS_H
#define GST_PALETTE_CLAIMS_H

#include "catalog-db.h"
#include "catalog-json.h"

#include <glib.h>

G_BEGIN_DECLS

/* A claim holds this long unless renewed: the time after which the films
 * of a run that vanished (a machine switched off) are free again. */
#define CLAIM_LEASE_SECONDS 600
/* How often a run renews the claims of the films it is analysing. */
#define CLAIM_RENEW_SECONDS 60

typedef enum
{
  CLAIM_ERROR,                  /* could not tell: the catalog said why */
  CLAIM_TAKEN,                  /* ours: analyse it */
  CLAIM_HELD,                   /* another run is analysing it */
  CLAIM_DONE                    /* another run stored a palette or a failure
                                 * for it since this run chose it */
} ClaimOutcome;

/* Who holds a claim, and until when (Unix time, seconds). */
typedef struct
{
  gchar *host;
  gint64 pid;
  gint64 expires;
} ClaimHolder;

void claim_holder_clear (ClaimHolder * holder);
/* This process. */
void claim_holder_init_self (ClaimHolder * holder);
gboolean claim_holder_is_self (const ClaimHolder * holder);
/* TRUE while HOLDER's claim holds at NOW (Unix seconds): its lease runs
 * and, when it is of this host, its process is alive. */
gboolean claim_holder_is_live (const ClaimHolder * holder, gint64 now);
/* "host pid 1234" */
gchar *claim_holder_describe (const ClaimHolder * holder);

/* What a film's catalog row said when the run chose it: its palettes and
 * its failures. Another run's palette or failure changes it. */
gchar *claim_film_state (const CatalogFilm * film);

/* The claim files of a JSON catalog: the caller holds the catalog's lock.
 * KEY is a file name (film_key_file_stem). */
gchar *claim_dir_for_catalog (const gchar * catalog_filename);
ClaimOutcome claim_dir_take (const gchar * dir, const gchar * key,
    ClaimHolder * other, GError ** error);
void claim_dir_release (const gchar * dir, const gchar * key);
gboolean claim_dir_renew (const gchar * dir, const gchar * key,
    GError ** error);

/* The claims of one run on its catalog: an SQLite catalog (JSON_FILE NULL)
 * or the JSON catalog JSON_FILE with its scratch database DB. */
typedef struct _Claims Claims;

/* SINCE: when the run began, before it read the catalog (ISO 8601 UTC
 * with microseconds, catalog_now_iso8601): palettes made since are not
 * redone. */
Claims *claims_new (CatalogDb * db, CatalogJsonFile * json_file,
    const gchar * since);
/* Claims MOVIE_ID, whose files are named KEY, chosen when its state was
 * CHOSEN_STATE. OTHER (CLAIM_HELD) gets the other run. */
ClaimOutcome claims_take (Claims * claims, gint64 movie_id, const gchar * key,
    const gchar * chosen_state, ClaimHolder * other, GError ** error);
/* After the film's result is stored (or not: a failure, a stop). */
void claims_release (Claims * claims, gint64 movie_id);
/* Pushes the lease of every claim held forward. */
gboolean claims_renew (Claims * claims, GError ** error);
/* Releases every claim still held (a run stopped by a signal). */
void claims_release_all (Claims * claims);
guint claims_get_n_held (Claims * claims);
void claims_free (Claims * claims);

G_END_DECLS

#endif
