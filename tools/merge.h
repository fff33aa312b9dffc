/* gst-palette merge: results folders and shard catalogs into one catalog */
#ifndef GST_PALETTE_MERGE_H
#define GST_PALETTE_MERGE_H

#include "catalog-db.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_results;              /* result files or films read */
  guint n_films;                /* films new to the catalog */
  guint n_palettes;             /* palettes new to the catalog */
  GPtrArray *damaged;           /* one message per source file that could
                                 * not be read (skipped), or NULL */
} MergeCounts;

void merge_counts_clear (MergeCounts * counts);

/* Merges SOURCE, a results folder (results.h) or another SQLite catalog,
 * into DB, a film per transaction: films are matched as a scan matches
 * them, palettes by id, failures by date, so that merging twice changes
 * nothing and sources merged in any order end the same. A damaged result
 * file is skipped and named in COUNTS; an error (the catalog busy or full,
 * SOURCE unreadable) stops the merge, with every film merged before kept. */
gboolean merge_source (CatalogDb * db, const gchar * source,
    MergeCounts * counts, GError ** error);

G_END_DECLS

#endif
