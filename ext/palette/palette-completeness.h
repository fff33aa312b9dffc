/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Whether a palette covers the whole stream: the two ways palettesink
 * learns that an EOS ended less than the stream (an upstream error, a file
 * cut short). */
#ifndef __PALETTE_COMPLETENESS_H__
#define __PALETTE_COMPLETENESS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _PaletteErrorWatch PaletteErrorWatch;

/* Notes the errors that elements other than ELEMENT post on the top-level
 * bus of ELEMENT's pipeline, from start (READY→PAUSED) to stop. */
PaletteErrorWatch *palette_error_watch_new (GstElement * element);

/* Whether an error was posted since the watch began (any thread). */
gboolean palette_error_watch_saw_error (PaletteErrorWatch * watch);

void palette_error_watch_free (PaletteErrorWatch * watch);

/* Whether the stream behind SINKPAD, at its EOS in SEGMENT, ended well
 * short of its announced end: then POSITION and END tell where. */
gboolean palette_stream_was_cut (GstPad * sinkpad, const GstSegment * segment,
    GstClockTime * position, GstClockTime * end);

G_END_DECLS

#endif /* __PALETTE_COMPLETENESS_H__ */
