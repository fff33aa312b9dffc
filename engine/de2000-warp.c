/* gst-palette color engine: CIELAB warped so that Euclidean distance
 * follows CIEDE2000.
 *
 * CIEDE2000 divides each difference by a weight that depends on where the
 * colors are; integrating 1/weight along each axis gives coordinates whose
 * plain differences carry those weights (as DIN99 does for CIE94):
 *   - a* is first stretched by CIEDE2000's (1 + G), G from the color's own
 *     chroma (the formula uses the pair's mean chroma: for the close colors
 *     a cluster gathers, the same);
 *   - lightness: the integral of 1 / S_L, S_L = 1 + 0.015 (L - 50)^2 /
 *     sqrt(20 + (L - 50)^2) (tabulated: it has no closed form);
 *   - chroma: the integral of 1 / S_C, S_C = 1 + 0.045 C', that is
 *     ln(1 + 0.045 C') / 0.045, keeping the hue angle h'; a hue step at
 *     chroma C' then measures about C' dh / (1 + 0.0225 C'), between
 *     CIEDE2000's C' dh / S_H for its hue weights T of 0.5 and 1.5.
 * The rotation term of the blue region is left out. Against Sharma, Wu and
 * Dalal's test pairs the Euclidean distance here follows CIEDE2000 several
 * times closer than CIELAB's does (tests/engine/test-de2000-warp.c). */
#include "de2000-warp.h"

#include <math.h>

#define KC 0.045
#define L_NODES 101

/* integral from 50 to L of dL / S_L at L = 0, 1, ..., 100 (Simpson, 4000
 * steps); between nodes a cubic Hermite with the exact slopes 1 / S_L */
static const double lightness_integral[L_NODES] = {
  -37.576593208888, -37.001707821292, -36.421801257972, -35.836784166628,
  -35.246564733305, -34.651048586439, -34.050138695672, -33.443735265050,
  -32.831735620150, -32.214034088638, -31.590521873683, -30.961086919628,
  -30.325613769169, -29.683983411274, -29.036073118897, -28.381756275465,
  -27.720902188913, -27.053375891888, -26.379037926512, -25.697744111805,
  -25.009345291575, -24.313687060133, -23.610609462766, -22.899946667225,
  -22.181526601796, -21.455170554558, -20.720692727302, -19.977899736117,
  -19.226590048864, -18.466553347500, -17.697569800434, -16.919409226646,
  -16.131830129193, -15.334578570981, -14.527386860569, -13.709972011393,
  -12.882033936339, -12.043253346472, -11.193289349702, -10.331776817912,
  -9.458323765692, -8.572509383045, -7.673884257537, -6.761976297244,
  -5.836310180724, -4.896457308783, -3.942151212123, -2.973532140360,
  -1.991603951243, -0.998900468933, 0.000000000000, 0.998900468933,
  1.991603951243, 2.973532140360, 3.942151212123, 4.896457308783,
  5.836310180724, 6.761976297244, 7.673884257537, 8.572509383045,
  9.458323765692, 10.331776817912, 11.193289349702, 12.043253346472,
  12.882033936339, 13.709972011393, 14.527386860569, 15.334578570981,
  16.131830129193, 16.919409226646, 17.697569800434, 18.466553347500,
  19.226590048864, 19.977899736117, 20.720692727302, 21.455170554558,
  22.181526601796, 22.899946667225, 23.610609462766, 24.313687060133,
  25.009345291575, 25.697744111805, 26.379037926512, 27.053375891888,
  27.720902188913, 28.381756275465, 29.036073118897, 29.683983411274,
  30.325613769169, 30.961086919628, 31.590521873683, 32.214034088638,
  32.831735620150, 33.443735265050, 34.050138695672, 34.651048586439,
  35.246564733305, 35.836784166628, 36.421801257972, 37.001707821292,
  37.576593208888,
};

static double
inverse_sl (double l)
{
  double x = l - 50.0;

  return 1.0 / (1.0 + 0.015 * x * x / sqrt (20.0 + x * x));
}

static double
warp_lightness (double l)
{
  double t, h00, h10, h01, h11, y0, y1;
  int i;

  /* outside the table (out of gamut): straight on with the end slope */
  if (l <= 0)
    return 50.0 + lightness_integral[0] + l * inverse_sl (0);
  if (l >= 100)
    return 50.0 + lightness_integral[100] + (l - 100) * inverse_sl (100);
  i = (int) l;
  if (i >= L_NODES - 1)
    i = L_NODES - 2;
  t = l - i;
  y0 = lightness_integral[i];
  y1 = lightness_integral[i + 1];
  h00 = (1 + 2 * t) * (1 - t) * (1 - t);
  h10 = t * (1 - t) * (1 - t);
  h01 = t * t * (3 - 2 * t);
  h11 = t * t * (t - 1);
  return 50.0 + h00 * y0 + h10 * inverse_sl (i) + h01 * y1 + h11 * inverse_sl (i + 1);
}

static double
unwarp_lightness (double lw)
{
  double l = 50.0 + (lw - 50.0) * 1.33;   /* about right everywhere */
  int iter;

  /* Newton: warp_lightness is smooth and increasing, its slope 1 / S_L */
  for (iter = 0; iter < 30; iter++) {
    double step = (warp_lightness (l) - lw) / inverse_sl (l);
    l -= step;
    if (fabs (step) < 1e-12)
      break;
  }
  return l;
}

/* CIEDE2000's a* stretch for a color of chroma c */
static double
a_stretch (double c)
{
  double c7 = pow (c, 7.0);

  return 1.0 + 0.5 * (1.0 - sqrt (c7 / (c7 + 6103515625.0)));   /* 25^7 */
}

void
palette_de2000_warp (const double lab[3], double warped[3])
{
  double a = lab[1] * a_stretch (hypot (lab[1], lab[2])), b = lab[2];
  double c = hypot (a, b), cw;

  warped[0] = warp_lightness (lab[0]);
  if (c == 0) {
    warped[1] = warped[2] = 0;
    return;
  }
  cw = log1p (KC * c) / KC;
  warped[1] = a * (cw / c);
  warped[2] = b * (cw / c);
}

void
palette_de2000_unwarp (const double warped[3], double lab[3])
{
  double cw = hypot (warped[1], warped[2]), c, a, b, a_lab;
  int iter;

  lab[0] = unwarp_lightness (warped[0]);
  if (cw == 0) {
    lab[1] = lab[2] = 0;
    return;
  }
  c = expm1 (KC * cw) / KC;
  a = warped[1] * (c / cw);
  b = warped[2] * (c / cw);
  /* a = a* (1 + G(C*)) with C* = hypot (a*, b): a fixed point, contracting
   * because G changes slowly with a* */
  a_lab = a / 1.5;
  for (iter = 0; iter < 100; iter++) {
    double next = a / a_stretch (hypot (a_lab, b));
    if (fabs (next - a_lab) < 1e-13)
      break;
    a_lab = next;
  }
  lab[1] = a_lab;
  lab[2] = b;
}
