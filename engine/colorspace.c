/* gst-palette color engine: color spaces and color difference.
 *
 * Scales: sRGB is gamma-encoded 0..255 throughout. CIELAB is the usual L*
 * 0..100 with D65 white; the sRGB->XYZ matrix is the one scikit-image uses
 * (tools/palette_quality.py measures with it) and the white point is that
 * matrix applied to sRGB white, so grays come out exactly neutral. OKLab is
 * Ottosson's, with L, a and b all multiplied by 100: L runs 0..100 and a
 * distance of 1 is about one just-noticeable difference, as in CIELAB, so
 * distances (and k-means errors) in the two spaces are comparable. */
#include "colorspace.h"
#include "engine-private.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Generated once: the sRGB decoding of each 8-bit value (IEC 61966-2-1),
 * v/255 <= 0.04045 ? v/255/12.92 : ((v/255 + 0.055)/1.055)^2.4. */
static const double srgb8_to_linear_table[256] = {
  0, 0.00030352698354883752, 0.00060705396709767503, 0.00091058095064651249,
  0.0012141079341953501, 0.0015176349177441874, 0.001821161901293025, 0.0021246888848418626,
  0.0024282158683907001, 0.0027317428519395373, 0.0030352698354883748, 0.0033465357638991608,
  0.0036765073240474359, 0.0040247170184963066, 0.0043914420374102934, 0.0047769534806937292,
  0.005181516702338386, 0.0056053916242027229, 0.0060488330228570539, 0.0065120907925944752,
  0.0069954101872653869, 0.0074990320432261753, 0.0080231929853849943, 0.0085681256180693069,
  0.0091340587022207872, 0.0097212173202378491, 0.010329823029626936, 0.010960094006488246,
  0.011612245179743885, 0.012286488356915872, 0.012983032342173012, 0.013702083047289686,
  0.014443843596092545, 0.015208514422912709, 0.015996293365509631, 0.016807375752887384,
  0.017641954488384078, 0.018500220128379697, 0.019382360956935723, 0.020288563056652401,
  0.021219010376003555, 0.022173884793387381, 0.02315336617811041, 0.024157632448504756,
  0.02518685962736163, 0.026241221894849898, 0.027320891639074894, 0.028426039504420793,
  0.0295568344378088, 0.030713443732993635, 0.031896033073011532, 0.033104766570885055,
  0.03433980680868217, 0.035601314875020343, 0.036889450401100039, 0.038204371595346502,
  0.039546235276732837, 0.040915196906853191, 0.042311410620809675, 0.043735029256973465,
  0.045186204385675541, 0.046665086336880095, 0.048171824226889419, 0.049706565984127232,
  0.051269458374043238, 0.052860647023180246, 0.054480276442442369, 0.056128490049600091,
  0.057805430191067229, 0.059511238162981199, 0.061246054231617608, 0.063010017653167674,
  0.064803266692905773, 0.066625938643772892, 0.068478169844400166, 0.070360095696595876,
  0.072271850682317479, 0.074213568380149628, 0.076185381481307851, 0.078187421805186327,
  0.080219820314468324, 0.082282707129814794, 0.084376211544148816, 0.086500462036549763,
  0.088655586285772942, 0.090841711183407683, 0.093058962846687451, 0.095307466630964705,
  0.097587347141862457, 0.099898728247113891, 0.10224173308810132, 0.10461648409110419,
  0.10702310297826761, 0.10946171077829933, 0.1119324278369056, 0.11443537382697373,
  0.11697066775851084, 0.11953842798834562, 0.12213877222960187, 0.12477181756095049,
  0.12743768043564743, 0.13013647669036429, 0.13286832155381798, 0.13563332965520566,
  0.13843161503245183, 0.14126329114027164, 0.14412847085805777, 0.14702726649759498,
  0.14995978981060856, 0.15292615199615017, 0.1559264637078274, 0.15896083506088041,
  0.16202937563911099, 0.16513219450166761, 0.16826940018969075, 0.17144110073282259,
  0.17464740365558504, 0.17788841598362912, 0.18116424424986022, 0.184474994500441,
  0.18782077230067787, 0.19120168274079138, 0.1946178304415758, 0.19806931955994886,
  0.20155625379439707, 0.20507873639031693, 0.20863687014525575, 0.21223075741405523,
  0.21586050011389926, 0.21952619972926921, 0.2232279573168085, 0.22696587351009836,
  0.23074004852434915, 0.23455058216100522, 0.238397573812271, 0.24228112246555486,
  0.24620132670783548, 0.25015828472995344, 0.25415209433082675, 0.25818285292159582,
  0.26225065752969623, 0.26635560480286247, 0.27049779101306581, 0.27467731206038465,
  0.2788942634768104, 0.28314874042999211, 0.28744083772691748, 0.29177064981753587,
  0.29613827079832111, 0.3005437944157765, 0.30498731406988627, 0.30946892281750854,
  0.31398871337571754, 0.31854677812509186, 0.32314320911295075, 0.32777809805654218,
  0.33245153634617935, 0.33716361504833037, 0.34191442490866092, 0.3467040563550296,
  0.35153259950043936, 0.35640014414594351, 0.3613067797835095, 0.36625259559883949,
  0.37123768047414912, 0.3762621229909065, 0.38132601143253014, 0.38642943378704903,
  0.39157247774972326, 0.39675523072562685, 0.40197777983219579, 0.4072402119017367,
  0.41254261348390375, 0.41788507084813747, 0.42326766998607168, 0.42869049661390662,
  0.43415363617474895, 0.43965717384091879, 0.44520119451622786, 0.45078578283822346,
  0.45641102318040466, 0.46207699965440707, 0.46778379611215898, 0.47353149614800955,
  0.4793201831008268, 0.48514994005607037, 0.49102084984783562, 0.49693299506087041,
  0.50288645803256871, 0.50888132085493376, 0.51491766537652139, 0.5209955732043543,
  0.52711512570581309, 0.53327640401050524, 0.53947948901210718, 0.5457244613701866,
  0.55201140151200012, 0.55834038963426791, 0.56471150570492923, 0.57112482946487308,
  0.57758044042965062, 0.5840784178911641, 0.59061884091933692, 0.59720178836376336,
  0.60382733885533779, 0.61049557080786476, 0.61720656241965111, 0.62396039167507611,
  0.63075713634614683, 0.63759687399403264, 0.64447968197058214, 0.65140563741982416,
  0.65837481727944847, 0.66538729828227205, 0.67244315695768753, 0.67954246963309384,
  0.6866853124353135, 0.69387176129198991, 0.70110189193297312, 0.70837577989168676,
  0.71569350050648073, 0.72305512892196933, 0.73046074009035367, 0.73791040877273084,
  0.74540420954038744, 0.75294221677607787, 0.76052450467529242, 0.76815114724750699,
  0.7758222183174236, 0.78353779152619352, 0.79129794033263023, 0.79910273801440901,
  0.8069522576692516, 0.81484657221610124, 0.82278575439628354, 0.83076987677465464,
  0.83879901174074001, 0.84687323150985805, 0.85499260812423383, 0.86315721345410235,
  0.87136711919879717, 0.87962239688783173, 0.88792311788196632, 0.89626935337426639,
  0.90466117439114957, 0.9130986517934192, 0.92158185627729461, 0.93011085837542373,
  0.938685728457888, 0.94730653673319987, 0.95597335324928612, 0.96468624789446511,
  0.97344529039841254, 0.98225055033311715, 0.99110209711382979, 1,
};

/* Ottosson's matrices; the inverses are the exact inverses of the forward
 * ones so that round trips close to 1e-12. */
static const double oklab_m1[3][3] = {
  {0.4122214708, 0.5363325363, 0.0514459929},
  {0.2119034982, 0.6806995451, 0.1073969566},
  {0.0883024619, 0.2817188376, 0.6299787005},
};
static const double oklab_m2[3][3] = {
  {0.2104542553, 0.7936177850, -0.0040720468},
  {1.9779984951, -2.4285922050, 0.4505937099},
  {0.0259040371, 0.7827717662, -0.8086757660},
};
static const double oklab_m1_inv[3][3] = {
  {4.0767416613479943, -3.3077115904081933, 0.23096992872942795},
  {-1.2684380040921763, 2.6097574006633715, -0.34131939631021962},
  {-0.0041960865418370743, -0.70341861445944953, 1.7076147009309446},
};
static const double oklab_m2_inv[3][3] = {
  {0.99999999845051968, 0.3963377921737678, 0.21580375806075883},
  {1.0000000088817607, -0.10556134232365633, -0.063854174771705893},
  {1.0000000546724106, -0.089484182094965739, -1.2914855378640917},
};

static const double srgb_to_xyz[3][3] = {
  {0.412453, 0.357580, 0.180423},
  {0.212671, 0.715160, 0.072169},
  {0.019334, 0.119193, 0.950227},
};
static const double xyz_to_srgb[3][3] = {
  {3.2404813432005271, -1.5371515162713185, -0.49853632616888788},
  {-0.96925494999656836, 1.8759900014898907, 0.041555926558292849},
  {0.055646639135177152, -0.20404133836651123, 1.0573110696453443},
};
/* D65 white as the matrix rows' sums (sRGB white -> exactly L* 100, a* b* 0) */
static const double white_x = 0.950456, white_y = 1.0, white_z = 1.088754;

#define OKLAB_SCALE 100.0

static void
mat3_apply (const double m[3][3], const double in[3], double out[3])
{
  double x = in[0], y = in[1], z = in[2];

  out[0] = m[0][0] * x + m[0][1] * y + m[0][2] * z;
  out[1] = m[1][0] * x + m[1][1] * y + m[1][2] * z;
  out[2] = m[2][0] * x + m[2][1] * y + m[2][2] * z;
}

const char *
palette_color_space_name (PaletteColorSpace space)
{
  switch (space) {
    case PALETTE_SPACE_RGB:
      return "rgb";
    case PALETTE_SPACE_OKLAB:
      return "oklab";
    case PALETTE_SPACE_CIELAB:
      return "cielab";
  }
  return "unknown";
}

double
palette_srgb8_to_linear (uint8_t value)
{
  return srgb8_to_linear_table[value];
}

double
palette_srgb_to_linear (double value)
{
  double c = value / 255.0;

  if (c <= 0.04045 && c >= -0.04045)
    return c / 12.92;
  /* odd extension keeps out-of-gamut values invertible */
  if (c < 0)
    return -pow ((-c + 0.055) / 1.055, 2.4);
  return pow ((c + 0.055) / 1.055, 2.4);
}

double
palette_linear_to_srgb (double linear)
{
  double c;

  if (linear <= 0.0031308 && linear >= -0.0031308)
    c = linear * 12.92;
  else if (linear < 0)
    c = -(1.055 * pow (-linear, 1.0 / 2.4) - 0.055);
  else
    c = 1.055 * pow (linear, 1.0 / 2.4) - 0.055;
  return c * 255.0;
}

static void
srgb_to_linear3 (const double rgb[3], double lin[3])
{
  int i;

  for (i = 0; i < 3; i++) {
    double v = rgb[i];
    /* integral 0..255 values (histogram inputs are often integral) take the table */
    if (v >= 0 && v <= 255 && v == (double) (int) v)
      lin[i] = srgb8_to_linear_table[(int) v];
    else
      lin[i] = palette_srgb_to_linear (v);
  }
}

void
palette_srgb_to_oklab (const double rgb[3], double lab[3])
{
  double lin[3], lms[3];

  srgb_to_linear3 (rgb, lin);
  mat3_apply (oklab_m1, lin, lms);
  lms[0] = cbrt (lms[0]);
  lms[1] = cbrt (lms[1]);
  lms[2] = cbrt (lms[2]);
  mat3_apply (oklab_m2, lms, lab);
  lab[0] *= OKLAB_SCALE;
  lab[1] *= OKLAB_SCALE;
  lab[2] *= OKLAB_SCALE;
}

void
palette_oklab_to_srgb (const double lab[3], double rgb[3])
{
  double unscaled[3], lms[3], lin[3];
  int i;

  unscaled[0] = lab[0] / OKLAB_SCALE;
  unscaled[1] = lab[1] / OKLAB_SCALE;
  unscaled[2] = lab[2] / OKLAB_SCALE;
  mat3_apply (oklab_m2_inv, unscaled, lms);
  lms[0] = lms[0] * lms[0] * lms[0];
  lms[1] = lms[1] * lms[1] * lms[1];
  lms[2] = lms[2] * lms[2] * lms[2];
  mat3_apply (oklab_m1_inv, lms, lin);
  for (i = 0; i < 3; i++)
    rgb[i] = palette_linear_to_srgb (lin[i]);
}

/* CIE's exact constants: epsilon = (6/29)^3, kappa = (29/3)^3 */
#define LAB_EPSILON (216.0 / 24389.0)
#define LAB_KAPPA (24389.0 / 27.0)

static double
lab_f (double t)
{
  if (t > LAB_EPSILON)
    return cbrt (t);
  return (LAB_KAPPA * t + 16.0) / 116.0;
}

static double
lab_f_inv (double f)
{
  double t = f * f * f;

  if (t > LAB_EPSILON)
    return t;
  return (116.0 * f - 16.0) / LAB_KAPPA;
}

void
palette_srgb_to_cielab (const double rgb[3], double lab[3])
{
  double lin[3], xyz[3], fx, fy, fz;

  srgb_to_linear3 (rgb, lin);
  mat3_apply (srgb_to_xyz, lin, xyz);
  fx = lab_f (xyz[0] / white_x);
  fy = lab_f (xyz[1] / white_y);
  fz = lab_f (xyz[2] / white_z);
  lab[0] = 116.0 * fy - 16.0;
  lab[1] = 500.0 * (fx - fy);
  lab[2] = 200.0 * (fy - fz);
}

void
palette_cielab_to_srgb (const double lab[3], double rgb[3])
{
  double fy = (lab[0] + 16.0) / 116.0;
  double fx = fy + lab[1] / 500.0;
  double fz = fy - lab[2] / 200.0;
  double xyz[3], lin[3];
  int i;

  xyz[0] = lab_f_inv (fx) * white_x;
  xyz[1] = lab_f_inv (fy) * white_y;
  xyz[2] = lab_f_inv (fz) * white_z;
  mat3_apply (xyz_to_srgb, xyz, lin);
  for (i = 0; i < 3; i++)
    rgb[i] = palette_linear_to_srgb (lin[i]);
}

void
palette_srgb_to_space (PaletteColorSpace space, const double rgb[3], double out[3])
{
  switch (space) {
    case PALETTE_SPACE_OKLAB:
      palette_srgb_to_oklab (rgb, out);
      break;
    case PALETTE_SPACE_CIELAB:
      palette_srgb_to_cielab (rgb, out);
      break;
    case PALETTE_SPACE_RGB:
    default:
      out[0] = rgb[0];
      out[1] = rgb[1];
      out[2] = rgb[2];
      break;
  }
}

void
palette_space_to_srgb (PaletteColorSpace space, const double in[3], double rgb[3])
{
  switch (space) {
    case PALETTE_SPACE_OKLAB:
      palette_oklab_to_srgb (in, rgb);
      break;
    case PALETTE_SPACE_CIELAB:
      palette_cielab_to_srgb (in, rgb);
      break;
    case PALETTE_SPACE_RGB:
    default:
      rgb[0] = in[0];
      rgb[1] = in[1];
      rgb[2] = in[2];
      break;
  }
}

uint8_t
palette_rgb_clamp8 (double value)
{
  if (!(value > 0))             /* also catches NaN */
    return 0;
  if (value >= 255)
    return 255;
  return (uint8_t) floor (value + 0.5);
}

uint32_t
palette_rgb_pack (const double rgb[3])
{
  return ((uint32_t) palette_rgb_clamp8 (rgb[0]) << 16)
      | ((uint32_t) palette_rgb_clamp8 (rgb[1]) << 8)
      | palette_rgb_clamp8 (rgb[2]);
}

void
palette_rgb_unpack (uint32_t packed, double rgb[3])
{
  rgb[0] = (packed >> 16) & 0xff;
  rgb[1] = (packed >> 8) & 0xff;
  rgb[2] = packed & 0xff;
}

#define DEG_TO_RAD (M_PI / 180.0)
#define RAD_TO_DEG (180.0 / M_PI)

/* Sharma, Wu, Dalal (2005), "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical
 * observations", equations 2-22. */
double
palette_ciede2000 (const double lab1[3], const double lab2[3])
{
  double l1 = lab1[0], a1 = lab1[1], b1 = lab1[2];
  double l2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
  double c1 = sqrt (a1 * a1 + b1 * b1), c2 = sqrt (a2 * a2 + b2 * b2);
  double c_mean = (c1 + c2) / 2.0;
  double c_mean7 = pow (c_mean, 7.0);
  double g = 0.5 * (1.0 - sqrt (c_mean7 / (c_mean7 + 6103515625.0)));  /* 25^7 */
  double a1p = (1.0 + g) * a1, a2p = (1.0 + g) * a2;
  double c1p = sqrt (a1p * a1p + b1 * b1), c2p = sqrt (a2p * a2p + b2 * b2);
  double h1p, h2p, dlp, dcp, dhp, dhp_big, lp_mean, cp_mean, hp_mean;
  double t, dtheta, rc, sl, sc, sh, rt, cp_mean7, lm50;
  double kl_sl, kc_sc, kh_sh;

  h1p = (b1 == 0 && a1p == 0) ? 0 : atan2 (b1, a1p) * RAD_TO_DEG;
  if (h1p < 0)
    h1p += 360.0;
  h2p = (b2 == 0 && a2p == 0) ? 0 : atan2 (b2, a2p) * RAD_TO_DEG;
  if (h2p < 0)
    h2p += 360.0;

  dlp = l2 - l1;
  dcp = c2p - c1p;
  if (c1p * c2p == 0)
    dhp = 0;
  else {
    dhp = h2p - h1p;
    if (dhp > 180.0)
      dhp -= 360.0;
    else if (dhp < -180.0)
      dhp += 360.0;
  }
  dhp_big = 2.0 * sqrt (c1p * c2p) * sin (dhp * DEG_TO_RAD / 2.0);

  lp_mean = (l1 + l2) / 2.0;
  cp_mean = (c1p + c2p) / 2.0;
  if (c1p * c2p == 0)
    hp_mean = h1p + h2p;
  else if (fabs (h1p - h2p) <= 180.0)
    hp_mean = (h1p + h2p) / 2.0;
  else if (h1p + h2p < 360.0)
    hp_mean = (h1p + h2p + 360.0) / 2.0;
  else
    hp_mean = (h1p + h2p - 360.0) / 2.0;

  t = 1.0 - 0.17 * cos ((hp_mean - 30.0) * DEG_TO_RAD)
      + 0.24 * cos (2.0 * hp_mean * DEG_TO_RAD)
      + 0.32 * cos ((3.0 * hp_mean + 6.0) * DEG_TO_RAD)
      - 0.20 * cos ((4.0 * hp_mean - 63.0) * DEG_TO_RAD);
  dtheta = 30.0 * exp (-((hp_mean - 275.0) / 25.0) * ((hp_mean - 275.0) / 25.0));
  cp_mean7 = pow (cp_mean, 7.0);
  rc = 2.0 * sqrt (cp_mean7 / (cp_mean7 + 6103515625.0));
  lm50 = (lp_mean - 50.0) * (lp_mean - 50.0);
  sl = 1.0 + 0.015 * lm50 / sqrt (20.0 + lm50);
  sc = 1.0 + 0.045 * cp_mean;
  sh = 1.0 + 0.015 * cp_mean * t;
  rt = -sin (2.0 * dtheta * DEG_TO_RAD) * rc;

  kl_sl = dlp / sl;
  kc_sc = dcp / sc;
  kh_sh = dhp_big / sh;
  return sqrt (kl_sl * kl_sl + kc_sc * kc_sc + kh_sh * kh_sh + rt * kc_sc * kh_sh);
}

/* OpenCV's RGB2HSV for 8-bit: S = (diff * round((255 << 12) / V) + 2048) >> 12 */
const int32_t palette_saturation_divisor[256] = {
  0, 1044480, 522240, 348160, 261120, 208896, 174080, 149211,
  130560, 116053, 104448, 94953, 87040, 80345, 74606, 69632,
  65280, 61440, 58027, 54973, 52224, 49737, 47476, 45412,
  43520, 41779, 40172, 38684, 37303, 36017, 34816, 33693,
  32640, 31651, 30720, 29842, 29013, 28229, 27486, 26782,
  26112, 25475, 24869, 24290, 23738, 23211, 22706, 22223,
  21760, 21316, 20890, 20480, 20086, 19707, 19342, 18991,
  18651, 18324, 18008, 17703, 17408, 17123, 16846, 16579,
  16320, 16069, 15825, 15589, 15360, 15137, 14921, 14711,
  14507, 14308, 14115, 13926, 13743, 13565, 13391, 13221,
  13056, 12895, 12738, 12584, 12434, 12288, 12145, 12006,
  11869, 11736, 11605, 11478, 11353, 11231, 11111, 10995,
  10880, 10768, 10658, 10550, 10445, 10341, 10240, 10141,
  10043, 9947, 9854, 9761, 9671, 9582, 9495, 9410,
  9326, 9243, 9162, 9082, 9004, 8927, 8852, 8777,
  8704, 8632, 8561, 8492, 8423, 8356, 8290, 8224,
  8160, 8097, 8034, 7973, 7913, 7853, 7795, 7737,
  7680, 7624, 7569, 7514, 7461, 7408, 7355, 7304,
  7253, 7203, 7154, 7105, 7057, 7010, 6963, 6917,
  6872, 6827, 6782, 6739, 6695, 6653, 6611, 6569,
  6528, 6487, 6447, 6408, 6369, 6330, 6292, 6254,
  6217, 6180, 6144, 6108, 6073, 6037, 6003, 5968,
  5935, 5901, 5868, 5835, 5803, 5771, 5739, 5708,
  5677, 5646, 5615, 5585, 5556, 5526, 5497, 5468,
  5440, 5412, 5384, 5356, 5329, 5302, 5275, 5249,
  5222, 5196, 5171, 5145, 5120, 5095, 5070, 5046,
  5022, 4998, 4974, 4950, 4927, 4904, 4881, 4858,
  4836, 4813, 4791, 4769, 4748, 4726, 4705, 4684,
  4663, 4642, 4622, 4601, 4581, 4561, 4541, 4522,
  4502, 4483, 4464, 4445, 4426, 4407, 4389, 4370,
  4352, 4334, 4316, 4298, 4281, 4263, 4246, 4229,
  4212, 4195, 4178, 4161, 4145, 4128, 4112, 4096,
};

uint8_t
palette_hsv_saturation8_u8 (uint8_t r, uint8_t g, uint8_t b)
{
  return palette_saturation8_inline (r, g, b);
}

double
palette_hsv_saturation8 (uint8_t r, uint8_t g, uint8_t b)
{
  return palette_hsv_saturation8_u8 (r, g, b) / 255.0;
}

/* OpenCV's RGB2GRAY for 8-bit uses 15-bit fixed point (checked exhaustively
 * against OpenCV 4.6 on random pixels; the 14-bit coefficients differ). */
uint8_t
palette_luma8 (uint8_t r, uint8_t g, uint8_t b)
{
  return palette_luma8_inline (r, g, b);
}
