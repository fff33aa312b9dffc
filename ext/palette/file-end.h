/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Whether a media file ends where its container says it does. Demuxers of
 * AVI, Ogg and MPEG-PS (and every demuxer in key-unit trick modes) end a
 * file cut short with a plain EOS and report the shortened duration, so
 * the stream alone cannot tell; the sizes the container declares can. */
#ifndef __FILE_END_H__
#define __FILE_END_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PALETTE_FILE_END_UNKNOWN,     /* not a container we check, or unreadable */
  PALETTE_FILE_END_WHOLE,       /* the declared structure ends at the end */
  PALETTE_FILE_END_CUT,         /* it declares more bytes than the file has */
} PaletteFileEnd;

/* Checks the file at PATH (MP4/QuickTime, Matroska/WebM, AVI and other
 * RIFF, Ogg, MPEG program and transport streams); for a cut file, DETAIL
 * (if not NULL) gets a sentence saying what is missing. */
PaletteFileEnd palette_file_end_check (const gchar * path, gchar ** detail);

G_END_DECLS

#endif /* __FILE_END_H__ */
