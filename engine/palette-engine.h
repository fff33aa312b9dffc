/* gst-palette color engine: everything, for callers that want one include. */
#ifndef PALETTE_ENGINE_H
#define PALETTE_ENGINE_H
#include "colorspace.h"
#include "histogram.h"
#include "kmeans.h"
#include "analyzer.h"
#include "scene.h"
#endif
