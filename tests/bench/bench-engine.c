/* Benchmark of the color engine (not a test: run it by hand, see README.md).
 *
 *   bench-engine                 speed on procedural 160x90 frames
 *   bench-engine --quality CLIP  also palette quality on CLIP's frames
 *                                (decoded by ffmpeg at run time): mean
 *                                CIEDE2000 from each pixel to its nearest
 *                                palette color, per film method and space */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "palette-engine.h"
#include "monochrome.h"

#define W 160
#define H 90
#define FRAME_BYTES (W * H * 3)

static double
now_seconds (void)
{
  struct timespec ts;

  /* CPU time of this thread: the figures stay meaningful on a busy machine */
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A failed call would make the figures meaningless: stop instead. */
static void
expect_ok (PaletteStatus status, const char *what)
{
  if (status != PALETTE_OK) {
    fprintf (stderr, "bench-engine: %s: %s\n", what, palette_status_to_string (status));
    exit (1);
  }
}

static uint64_t
next_random (uint64_t *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

/* Film-like content: two drifting smooth gradients, a bright disc, sensor
 * noise; each frame differs a little from the last, scenes change every 50. */
static void
make_frame (uint8_t *f, unsigned index, uint64_t *rng)
{
  unsigned scene = index / 50, x, y;
  double t = index * 0.05;
  double hue = scene * 1.7;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      double u = x / (double) W, v = y / (double) H;
      double base = 0.5 + 0.5 * sin (hue + 3 * u + t);
      double r = 60 + 150 * base * v + 40 * sin (hue * 2 + 4 * v);
      double g = 40 + 120 * (1 - v) * (0.5 + 0.5 * cos (hue + 2 * u - t));
      double b = 50 + 160 * u * (0.5 + 0.5 * sin (hue * 3 + t));
      double dx = u - 0.5 - 0.2 * sin (t), dy = v - 0.4;
      uint8_t *p = f + (y * W + x) * 3;
      unsigned c;
      double rgb[3];

      if (dx * dx + dy * dy < 0.02) {
        r += 80;
        g += 70;
        b += 40;
      }
      rgb[0] = r;
      rgb[1] = g;
      rgb[2] = b;
      for (c = 0; c < 3; c++) {
        double n = (double) (next_random (rng) % 13) - 6;
        double value = rgb[c] + n;
        p[c] = (uint8_t) (value < 0 ? 0 : value > 255 ? 255 : value);
      }
    }
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The final palette's time over n_added frames (cycling through n_frames),
 * median of 5 calls, for each film method. */
static void
bench_final_palette (const char *what, const uint8_t *frames, unsigned n_frames,
    unsigned n_added)
{
  static const PaletteFilmMethod methods[] = { PALETTE_FILM_KMEDIANS, PALETTE_FILM_MERGE };
  static const char *names[] = { "k-medians of the film's bins", "merge of batch centers + refinement" };
  unsigned m, i, run;

  for (m = 0; m < 2; m++) {
    PaletteAnalyzerParams ap;
    PaletteAnalyzer *analyzer;
    PalettePalette palette;
    double times[5];

    palette_analyzer_params_init (&ap);
    ap.fingerprint_colors = 0;
    ap.film_method = methods[m];
    analyzer = palette_analyzer_new (&ap);
    for (i = 0; i < n_added; i++)
      expect_ok (palette_analyzer_add_frame (analyzer,
              frames + (size_t) (i % n_frames) * FRAME_BYTES, W, H, W * 3, 3,
              i * 40000000ull), "add_frame");
    for (run = 0; run < 5; run++) {
      double t0 = now_seconds ();
      expect_ok (palette_analyzer_get_palette (analyzer, &palette), "get_palette");
      times[run] = (now_seconds () - t0) * 1e3;
    }
    qsort (times, 5, sizeof (double), compare_double);
    printf ("final palette, %s (%s, %u colors, %s): median %.2f ms (min %.2f)\n", what,
        names[m], palette.n_colors, palette_color_space_name (ap.space), times[2], times[0]);
    palette_analyzer_free (analyzer);
  }
}

/* Constant borders (borders.c): the same film-like frames letterboxed (12
 * black rows above and below), with crop_borders off and on, interleaved:
 * add_frame's cost, the final palette's, and the memory that grows. */
static void
bench_borders_of (const char *what, const uint8_t *boxed, unsigned n_frames)
{
  enum { N_ADDED = 2048, ROUNDS = 3 };
  double add_ns[2][ROUNDS], final_ms[2][ROUNDS];
  size_t memory[2] = { 0, 0 };
  unsigned i, round, crop;
  PalettePalette palette;

  for (round = 0; round < ROUNDS; round++)
    for (crop = 0; crop < 2; crop++) {
      PaletteAnalyzerParams ap;
      PaletteAnalyzer *analyzer;
      double t0;

      palette_analyzer_params_init (&ap);
      ap.fingerprint_colors = 0;
      ap.crop_borders = crop;
      analyzer = palette_analyzer_new (&ap);
      t0 = now_seconds ();
      for (i = 0; i < N_ADDED; i++)
        expect_ok (palette_analyzer_add_frame (analyzer,
                boxed + (size_t) (i % n_frames) * FRAME_BYTES, W, H, W * 3, 3,
                i * 40000000ull), "add_frame");
      add_ns[crop][round] = (now_seconds () - t0) / N_ADDED * 1e9;
      t0 = now_seconds ();
      expect_ok (palette_analyzer_get_palette (analyzer, &palette), "get_palette");
      final_ms[crop][round] = (now_seconds () - t0) * 1e3;
      memory[crop] = palette_analyzer_memory (analyzer);
      if (crop && round == 0)
        printf ("%s: crop found top %u bottom %u left %u right %u\n", what,
            palette.crop.top, palette.crop.bottom, palette.crop.left, palette.crop.right);
      palette_analyzer_free (analyzer);
    }
  for (crop = 0; crop < 2; crop++) {
    qsort (add_ns[crop], ROUNDS, sizeof (double), compare_double);
    qsort (final_ms[crop], ROUNDS, sizeof (double), compare_double);
  }
  printf ("%s, fingerprint 0, crop_borders off / on: add_frame %.1f / %.1f us "
      "(x%.2f), final palette %.2f / %.2f ms (x%.2f), memory %zu / %zu KiB "
      "(medians of %u rounds, interleaved)\n", what,
      add_ns[0][ROUNDS / 2] / 1e3, add_ns[1][ROUNDS / 2] / 1e3,
      add_ns[1][ROUNDS / 2] / add_ns[0][ROUNDS / 2], final_ms[0][ROUNDS / 2],
      final_ms[1][ROUNDS / 2], final_ms[1][ROUNDS / 2] / final_ms[0][ROUNDS / 2],
      memory[0] / 1024, memory[1] / 1024, ROUNDS);
}

static void
bench_borders (const uint8_t *frames, unsigned n_frames)
{
  enum { BAR = 12 };
  uint8_t *boxed = malloc ((size_t) n_frames * FRAME_BYTES);
  unsigned i;

  bench_borders_of ("film-like frames without bars", frames, n_frames);
  memcpy (boxed, frames, (size_t) n_frames * FRAME_BYTES);
  for (i = 0; i < n_frames; i++) {
    uint8_t *f = boxed + (size_t) i * FRAME_BYTES;
    memset (f, 0, (size_t) BAR * W * 3);
    memset (f + (size_t) (H - BAR) * W * 3, 0, (size_t) BAR * W * 3);
  }
  bench_borders_of ("letterboxed (12 black rows above and below)", boxed, n_frames);
  free (boxed);
}

static void
bench_speed (void)
{
  enum { N_FRAMES = 256, RUNS = 15 };
  uint8_t *frames = malloc ((size_t) N_FRAMES * FRAME_BYTES);
  PaletteHistogram *hist = palette_histogram_new ();
  PaletteColor *bins = malloc (32768 * sizeof (PaletteColor)), centers[10];
  PaletteKMeansParams kp;
  PaletteAnalyzerParams ap;
  PaletteAnalyzer *analyzer;
  double t0, t1, tk, times[RUNS], kmeans_times[RUNS];
  uint64_t rng = 0x9e3779b97f4a7c15ull;
  unsigned i, run, rep;
  size_t n_bins;

  for (i = 0; i < N_FRAMES; i++)
    make_frame (frames + (size_t) i * FRAME_BYTES, i, &rng);

  /* 1. histogram accumulation */
  t0 = now_seconds ();
  for (rep = 0; rep < 20; rep++)
    for (i = 0; i < N_FRAMES; i++)
      palette_histogram_add_rgb (hist, frames + (size_t) i * FRAME_BYTES, W, H, W * 3, 3);
  t1 = now_seconds ();
  printf ("histogram accumulate: %.0f Mpixel/s (%u frames of %ux%u)\n",
      20.0 * N_FRAMES * W * H / (t1 - t0) / 1e6, 20 * N_FRAMES, W, H);

  /* 2. one batch of 32 frames clustered into 10 colors */
  palette_analyzer_params_init (&ap);
  palette_kmeans_params_init (&kp);
  kp.k = 10;
  kp.space = ap.space;
  for (run = 0; run < RUNS; run++) {
    palette_histogram_clear (hist);
    t0 = now_seconds ();
    for (i = 0; i < 32; i++)
      palette_histogram_add_rgb (hist, frames + (size_t) ((run * 32 + i) % N_FRAMES) * FRAME_BYTES,
          W, H, W * 3, 3);
    tk = now_seconds ();
    n_bins = palette_histogram_get_colors (hist, bins, 32768);
    kp.seed = run;
    palette_kmeans (bins, n_bins, &kp, centers, NULL);
    t1 = now_seconds ();
    times[run] = (t1 - t0) * 1e3;
    kmeans_times[run] = (t1 - tk) * 1e3;
  }
  qsort (times, RUNS, sizeof (double), compare_double);
  qsort (kmeans_times, RUNS, sizeof (double), compare_double);
  printf ("batch of 32 frames -> 10 colors (%s): median %.2f ms (min %.2f, max %.2f), "
      "of which k-means on the bins %.2f ms; %zu bins in the last batch\n",
      palette_color_space_name (kp.space), times[RUNS / 2], times[0], times[RUNS - 1],
      kmeans_times[RUNS / 2], n_bins);

  /* 3. analyzer per frame, 4. final palette (median of 5 calls: the
   * analyzer's state does not change) */
  for (rep = 0; rep < 2; rep++) {
    palette_analyzer_params_init (&ap);
    ap.fingerprint_colors = rep == 0 ? 5 : 0;
    analyzer = palette_analyzer_new (&ap);
    t0 = now_seconds ();
    for (i = 0; i < 2048; i++)
      expect_ok (palette_analyzer_add_frame (analyzer,
              frames + (size_t) (i % N_FRAMES) * FRAME_BYTES, W, H, W * 3, 3,
              i * 40000000ull), "add_frame");
    t1 = now_seconds ();
    printf ("analyzer add_frame (fingerprint %u): %.0f ns/frame (%.1f us), 2048 frames\n",
        ap.fingerprint_colors, (t1 - t0) / 2048 * 1e9, (t1 - t0) / 2048 * 1e6);
    palette_analyzer_free (analyzer);
  }
  bench_final_palette ("2048 film-like frames", frames, N_FRAMES, 2048);
  bench_borders (frames, N_FRAMES);
  /* the worst case: every one of the 32,768 histogram bins occupied */
  {
    uint8_t *all = malloc ((size_t) 3 * FRAME_BYTES);
    size_t px;
    for (px = 0; px < (size_t) 3 * W * H; px++) {
      unsigned bin = px % 32768;
      all[px * 3] = (uint8_t) ((bin >> 10) << 3 | (next_random (&rng) & 7));
      all[px * 3 + 1] = (uint8_t) (((bin >> 5) & 31) << 3 | (next_random (&rng) & 7));
      all[px * 3 + 2] = (uint8_t) ((bin & 31) << 3 | (next_random (&rng) & 7));
    }
    bench_final_palette ("every bin occupied (worst case)", all, 3, 3);
    free (all);
  }

  free (frames);
  free (bins);
  palette_histogram_free (hist);
}

/* ---- quality on a real clip ---- */

static uint8_t *
decode_clip (const char *path, unsigned n_wanted, unsigned *n_frames)
{
  char cmd[4096];
  FILE *pipe;
  uint8_t *frames = malloc ((size_t) n_wanted * FRAME_BYTES);
  unsigned n = 0;

  /* evenly spaced frames: thumbnail-free select on the frame number */
  snprintf (cmd, sizeof (cmd), "ffprobe -v error -count_packets -select_streams v:0 "
      "-show_entries stream=nb_read_packets -of csv=p=0 '%s'", path);
  pipe = popen (cmd, "r");
  {
    unsigned total = 0, step;
    if (!pipe || fscanf (pipe, "%u", &total) != 1)
      total = n_wanted;
    if (pipe)
      pclose (pipe);
    step = total / n_wanted ? total / n_wanted : 1;
    snprintf (cmd, sizeof (cmd), "ffmpeg -v error -i '%s' -vf \"select=not(mod(n\\,%u)),"
        "scale=%u:%u:flags=area\" -vsync vfr -frames:v %u -f rawvideo -pix_fmt rgb24 -",
        path, step, W, H, n_wanted);
  }
  pipe = popen (cmd, "r");
  if (!pipe)
    return NULL;
  while (n < n_wanted && fread (frames + (size_t) n * FRAME_BYTES, FRAME_BYTES, 1, pipe) == 1)
    n++;
  pclose (pipe);
  *n_frames = n;
  return frames;
}

/* mean CIEDE2000 from every pixel to its nearest palette color */
static double
mean_delta_e (const uint8_t *frames, unsigned n_frames, const PalettePalette *p, float *cache)
{
  double labs[64][3], sum = 0;
  size_t i, n = (size_t) n_frames * W * H;
  unsigned c;

  for (c = 0; c < p->n_colors; c++) {
    double rgb[3] = { palette_rgb_clamp8 (p->colors[c].rgb[0]),
      palette_rgb_clamp8 (p->colors[c].rgb[1]), palette_rgb_clamp8 (p->colors[c].rgb[2]) };
    palette_srgb_to_cielab (rgb, labs[c]);
  }
  for (i = 0; i < (size_t) 1 << 24; i++)
    cache[i] = -1;
  for (i = 0; i < n; i++) {
    const uint8_t *px = frames + i * 3;
    uint32_t key = (uint32_t) px[0] << 16 | px[1] << 8 | px[2];
    if (cache[key] < 0) {
      double rgb[3] = { px[0], px[1], px[2] }, lab[3], best = INFINITY;
      palette_srgb_to_cielab (rgb, lab);
      for (c = 0; c < p->n_colors; c++) {
        double d = palette_ciede2000 (lab, labs[c]);
        if (d < best)
          best = d;
      }
      cache[key] = (float) best;
    }
    sum += cache[key];
  }
  return sum / n;
}

static void
bench_quality (const char *clip)
{
  static const struct {
    PaletteFilmMethod method;
    PaletteColorSpace space;
    unsigned refine;
    const char *name;
  } configs[] = {
    {PALETTE_FILM_KMEDIANS, PALETTE_SPACE_CIELAB, 0, "k-medians, CIELAB warped to CIEDE2000"},
    {PALETTE_FILM_KMEDIANS, PALETTE_SPACE_OKLAB, 0, "k-medians, OKLab"},
    {PALETTE_FILM_KMEDIANS, PALETTE_SPACE_RGB, 0, "k-medians, RGB"},
    {PALETTE_FILM_MERGE, PALETTE_SPACE_CIELAB, 10, "merge + refine 10, CIELAB"},
    {PALETTE_FILM_MERGE, PALETTE_SPACE_OKLAB, 10, "merge + refine 10, OKLab"},
  };
  unsigned n_frames = 0, k, seed, i;
  uint8_t *frames = decode_clip (clip, 100, &n_frames);
  float *cache = malloc (((size_t) 1 << 24) * sizeof (float));

  if (!frames || n_frames == 0 || !cache) {
    fprintf (stderr, "cannot decode %s (needs ffmpeg)\n", clip);
    free (frames);
    free (cache);
    return;
  }
  {
    /* what the black-and-white decision sees besides the saturation */
    PaletteHistogram *film = palette_histogram_new ();
    PaletteColor *bins = malloc (32768 * sizeof (PaletteColor));
    PaletteChromaStats stats;
    size_t n_bins;
    for (i = 0; i < n_frames; i++)
      palette_histogram_add_rgb (film, frames + (size_t) i * FRAME_BYTES, W, H, W * 3, 3);
    n_bins = palette_histogram_get_colors (film, bins, 32768);
    palette_chroma_stats (bins, n_bins, &stats);
    printf ("%s: mean saturation %.3f, mean chroma %.2f, chroma unexplained by lightness "
        "%.2f (monochrome below %.1f, color above %.1f)\n", clip,
        palette_histogram_mean_saturation (film), stats.chroma, stats.residual,
        PALETTE_MONOCHROME_RESIDUAL, PALETTE_COLOR_RESIDUAL);
    palette_histogram_free (film);
    free (bins);
  }
  printf ("quality on %s, %u frames at %ux%u, 10 colors (4 grays if B&W), batch 32;\n"
      "mean CIEDE2000 pixel -> nearest palette color, averaged over seeds 0-4 [range]:\n",
      clip, n_frames, W, H);
  for (k = 0; k < sizeof (configs) / sizeof (configs[0]); k++) {
    double total = 0, t_total = 0, lo = INFINITY, hi = 0;
    int bw = 0;
    for (seed = 0; seed < 5; seed++) {
      PaletteAnalyzerParams ap;
      PaletteAnalyzer *a;
      PalettePalette p;
      double t0, q;
      palette_analyzer_params_init (&ap);
      ap.space = configs[k].space;
      ap.film_method = configs[k].method;
      ap.refine_iterations = configs[k].refine;
      ap.seed = seed;
      ap.fingerprint_colors = 0;
      a = palette_analyzer_new (&ap);
      t0 = now_seconds ();
      for (i = 0; i < n_frames; i++)
        expect_ok (palette_analyzer_add_frame (a, frames + (size_t) i * FRAME_BYTES,
                W, H, W * 3, 3, i), "add_frame");
      expect_ok (palette_analyzer_get_palette (a, &p), "get_palette");
      t_total += now_seconds () - t0;
      bw = p.black_and_white;
      q = mean_delta_e (frames, n_frames, &p, cache);
      total += q;
      lo = q < lo ? q : lo;
      hi = q > hi ? q : hi;
      palette_analyzer_free (a);
    }
    printf ("  %-40s %.3f [%.3f-%.3f]  (%s, %.0f ms per film)\n", configs[k].name, total / 5,
        lo, hi, bw ? "B&W" : "color", t_total / 5 * 1e3);
    if (bw)
      break;                    /* gray palettes do not depend on these */
  }
  free (frames);
  free (cache);
}

int
main (int argc, char **argv)
{
  int i;

  for (i = 1; i < argc; i++)
    if (strcmp (argv[i], "--quality") == 0 && i + 1 < argc) {
      while (i + 1 < argc)
        bench_quality (argv[++i]);
      return 0;
    }
  bench_speed ();
  return 0;
}
