/* gst-palette color engine: CIELAB warped so that Euclidean distance
 * follows CIEDE2000.
 *
 * Clustering minimises Euclidean distances; viewers (and the quality metric)
 * judge by CIEDE2000. Warping CIELAB by CIEDE2000's own weights lets plain
 * k-means and k-medians work in a space whose distances are close to
 * CIEDE2000's, at the price of one conversion per point. */
#ifndef PALETTE_DE2000_WARP_H
#define PALETTE_DE2000_WARP_H

#ifdef __cplusplus
extern "C" {
#endif

/* lab: CIE L*a*b* (L 0..100). warped: lightness, then a Cartesian chroma
 * plane; its Euclidean distances approximate CIEDE2000 (kL = kC = kH = 1). */
void palette_de2000_warp (const double lab[3], double warped[3]);
/* The inverse (round trips close to 1e-9 on the sRGB gamut). */
void palette_de2000_unwarp (const double warped[3], double lab[3]);

#ifdef __cplusplus
}
#endif
#endif
