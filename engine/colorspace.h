/* gst-palette color engine: color spaces and color difference.
 * Free of GStreamer types; plain C99. All functions are pure and thread-safe. */
#ifndef PALETTE_COLORSPACE_H
#define PALETTE_COLORSPACE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The space k-means measures distances and averages in. */
typedef enum {
  PALETTE_SPACE_RGB = 0,   /* gamma-encoded sRGB 0..255, as the seed notebook */
  PALETTE_SPACE_OKLAB,     /* Björn Ottosson's OKLab, scaled so L is 0..100 */
  PALETTE_SPACE_CIELAB     /* CIE L*a*b*, D65 white */
} PaletteColorSpace;

/* "rgb", "oklab", "cielab" (the names the JSON record uses) */
const char *palette_color_space_name (PaletteColorSpace space);

/* sRGB transfer function. The 8-bit direction is a lookup table. */
double palette_srgb8_to_linear (uint8_t value);          /* 0..1 */
double palette_srgb_to_linear (double value);            /* 0..255 in, 0..1 out */
double palette_linear_to_srgb (double linear);           /* 0..1 in, 0..255 out, unclamped */

/* rgb is gamma-encoded sRGB on 0..255 (fractions allowed, as bin means are).
 * The inverse conversions return unclamped sRGB; use palette_rgb_clamp8(). */
void palette_srgb_to_oklab (const double rgb[3], double lab[3]);
void palette_oklab_to_srgb (const double lab[3], double rgb[3]);
void palette_srgb_to_cielab (const double rgb[3], double lab[3]);
void palette_cielab_to_srgb (const double lab[3], double rgb[3]);

/* Dispatch on space; PALETTE_SPACE_RGB copies. */
void palette_srgb_to_space (PaletteColorSpace space, const double rgb[3], double out[3]);
void palette_space_to_srgb (PaletteColorSpace space, const double in[3], double rgb[3]);

/* Round and clamp one sRGB 0..255 channel value. */
uint8_t palette_rgb_clamp8 (double value);

/* A color packed as 0xRRGGBB (each channel through palette_rgb_clamp8), as
 * the fingerprint stores it and the palette message carries it, and back
 * (the channels come back as the integers 0..255). */
uint32_t palette_rgb_pack (const double rgb[3]);
void palette_rgb_unpack (uint32_t packed, double rgb[3]);

/* CIEDE2000 color difference of two CIELAB colors (kL = kC = kH = 1). */
double palette_ciede2000 (const double lab1[3], const double lab2[3]);

/* HSV saturation on 0..1 as OpenCV computes it for 8-bit input
 * (round((max-min)*255/max)/255; 0 for black). */
double palette_hsv_saturation8 (uint8_t r, uint8_t g, uint8_t b);
/* The same as the 0..255 integer OpenCV stores (what histograms sum exactly). */
uint8_t palette_hsv_saturation8_u8 (uint8_t r, uint8_t g, uint8_t b);

/* Luma as OpenCV's BGR2GRAY computes it for 8-bit input (0.299 R + 0.587 G + 0.114 B, rounded). */
uint8_t palette_luma8 (uint8_t r, uint8_t g, uint8_t b);
/* Its 15-bit fixed-point coefficients (OpenCV 4's, checked against cv2) */
#define PALETTE_LUMA_SHIFT 15
#define PALETTE_LUMA_R 9798
#define PALETTE_LUMA_G 19235
#define PALETTE_LUMA_B 3735

#ifdef __cplusplus
}
#endif
#endif
