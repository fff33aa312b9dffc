# tests/cluster/catalog-check.sh: sourced (bash) by the cluster tests.
# Checks of a SQLite catalog with the sqlite3 command line, on the schema
# of tools/catalog-db.c (movies, palettes; gp_films, gp_palettes,
# gp_fingerprints).

# hex_of STRING: its bytes in upper-case hex, as sqlite3's hex() gives them
hex_of () { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | tr a-f A-F; }

q () { sqlite3 -batch -noheader "$1" "$2"; }

# library_files LIB: hex of every "Folder/file" of the library, sorted
library_files () {
  local f
  find "$1" -mindepth 2 -maxdepth 2 -type f -printf '%P\0' |
    while IFS= read -r -d '' f; do hex_of "$f"; echo; done | LC_ALL=C sort
}

# check_catalog DB LIB BROKEN: every film of LIB in DB once; every film but
# the folder BROKEN with exactly one palette (and its gp_palettes and
# gp_fingerprints rows), BROKEN with its error and no palette.
check_catalog () {
  local db=$1 lib=$2 broken=$3 n_films expected got bad
  expected=$(library_files "$lib")
  n_films=$(printf '%s\n' "$expected" | grep -c .)
  got=$(q "$db" "SELECT hex(file) FROM gp_films ORDER BY 1" | LC_ALL=C sort)
  if [ "$got" != "$expected" ]; then
    diff <(echo "$expected") <(echo "$got") >&2 || true
    cluster_fail "$db: gp_films.file is not the library's films (< library, > catalog)"
  fi
  [ "$(q "$db" "SELECT count(*) FROM movies")" = "$n_films" ] ||
    cluster_fail "$db: $(q "$db" "SELECT count(*) FROM movies") movies, not $n_films"
  bad=$(q "$db" "SELECT m.path FROM movies m JOIN gp_films f ON f.movie_id = m.id
    WHERE hex(f.file) NOT LIKE '$(hex_of "$broken/")%'
      AND (SELECT count(*) FROM palettes p WHERE p.movie_id = m.id) != 1")
  [ -z "$bad" ] || cluster_fail "$db: good films without exactly one palette: $bad"
  bad=$(q "$db" "SELECT p.id FROM palettes p
    WHERE NOT EXISTS (SELECT 1 FROM gp_palettes g WHERE g.palette_id = p.id)
       OR NOT EXISTS (SELECT 1 FROM gp_fingerprints g WHERE g.palette_id = p.id)")
  [ -z "$bad" ] || cluster_fail "$db: palettes without gp_palettes/gp_fingerprints: $bad"
  got=$(q "$db" "SELECT count(*) FROM movies m JOIN gp_films f ON f.movie_id = m.id
    WHERE hex(f.file) LIKE '$(hex_of "$broken/")%' AND coalesce(f.error, '') != ''
      AND NOT EXISTS (SELECT 1 FROM palettes p WHERE p.movie_id = m.id)")
  [ "$got" = 1 ] || cluster_fail "$db: $broken has no error, or has a palette"
  cluster_log "$db: $((n_films - 1)) films with one palette each, $broken failed: $(q "$db" \
    "SELECT f.error FROM gp_films f WHERE hex(f.file) LIKE '$(hex_of "$broken/")%'")"
}

# palette_dump DB: the films and their palettes, one line each in SQL
# quoting, ordered by the film's file bytes; without what differs between
# two computations of one palette (its id, movie ids, dates, durations,
# attempts) and with everything else (colors, weights, hex, fingerprints
# as bytes, black and white, settings, source, folder fields, error or not).
palette_dump () {
  sqlite3 -batch -noheader -cmd '.mode quote' "$1" "
    SELECT hex(f.file), m.title, m.year, m.director, m.path, m.status,
      m.type, m.length, m.frames, f.ours, f.frames, f.length,
      f.error IS NOT NULL, f.retry,
      p.active, p.is_black_and_white, p.colors, p.clusters_nb, p.frame_skip,
      p.resize_width, p.resize_height, p.batch_size, p.clustering_method,
      p.saturation_factor, p.saturation_threshold, p.runtime,
      g.weights, g.hex, g.color_space, g.sampling, g.seed, g.bw_threshold,
      g.complete, g.frames_analyzed, g.mean_saturation, g.source,
      g.engine_version, g.extra,
      x.n_samples, x.n_colors, hex(x.timestamps), hex(x.colors),
      hex(x.weights)
    FROM movies m JOIN gp_films f ON f.movie_id = m.id
      LEFT JOIN palettes p ON p.movie_id = m.id
      LEFT JOIN gp_palettes g ON g.palette_id = p.id
      LEFT JOIN gp_fingerprints x ON x.palette_id = p.id
    ORDER BY hex(f.file), p.colors, g.weights"
}

# catalog_content DB: every row of every table, movie ids replaced by the
# film's file bytes and movies.added (the merge's own date) left out;
# everything else as it is, palette ids and dates included.
catalog_content () {
  sqlite3 -batch -noheader -cmd '.mode quote' "$1" "
    SELECT 'movie', hex(f.file), m.title, m.type, m.status, m.path,
      m.director, m.year, m.length, m.frames
      FROM movies m LEFT JOIN gp_films f ON f.movie_id = m.id
      ORDER BY 2, 3;
    SELECT 'film', hex(f.file), f.ours, f.frames, f.length, f.error, f.retry,
      f.attempts, f.last_attempt, f.extra FROM gp_films f ORDER BY 2;
    SELECT 'palette', hex(f.file), p.id, p.active, p.calculation_date,
      p.calculation_duration_seconds, p.is_black_and_white, p.colors,
      p.clusters_nb, p.frame_skip, p.resize_width, p.resize_height,
      p.batch_size, p.clustering_method, p.saturation_factor,
      p.saturation_threshold, p.runtime
      FROM palettes p LEFT JOIN gp_films f ON f.movie_id = p.movie_id
      ORDER BY 3;
    SELECT 'gp_palette', * FROM gp_palettes ORDER BY palette_id;
    SELECT 'fingerprint', palette_id, n_samples, n_colors, hex(timestamps),
      hex(colors), hex(weights) FROM gp_fingerprints ORDER BY palette_id;
    SELECT 'setting', * FROM gp_catalog ORDER BY key;
    SELECT 'schema', type, name, sql FROM sqlite_schema ORDER BY 2, 3;
    PRAGMA user_version;"
}

# same_or_fail WHAT FILE1 FILE2
same_or_fail () {
  if ! cmp -s "$2" "$3"; then
    diff -u "$2" "$3" | head -n 40 >&2
    cluster_fail "$1 differ ($2, $3)"
  fi
}
