/* gst-palette
 * Copyright (C) 2026 gst-palette contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file-end.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Top-level elements walked at most: a file of more is left unknown
 * rather than read for long. */
#define MAX_STEPS 100000
/* The tail read for the formats checked from their end: an Ogg page is
 * at most 65,307 bytes, an MPEG-PS pack far less. */
#define TAIL_SIZE (96 * 1024)

typedef struct
{
  gint fd;
  guint64 size;
} MediaFile;

static gboolean
read_at (const MediaFile * file, guint64 offset, guint8 * data, gsize length)
{
  gsize done = 0;

  if (offset > file->size || length > file->size - offset)
    return FALSE;
  while (done < length) {
    ssize_t n = pread (file->fd, data + done, length - done, offset + done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    done += n;
  }
  return TRUE;
}

static guint32
be32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | (p[2] << 8) | p[3];
}

static guint32
le32 (const guint8 * p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | (p[1] << 8) | p[0];
}

static PaletteFileEnd
cut (gchar ** detail, const gchar * what, guint64 declared, guint64 size)
{
  if (detail)
    *detail = g_strdup_printf ("%s ends at byte %" G_GUINT64_FORMAT
        " but the file has %" G_GUINT64_FORMAT " bytes", what, declared, size);
  return PALETTE_FILE_END_CUT;
}

/* ISO base media (MP4, QuickTime): a chain of sized top-level boxes. */
static PaletteFileEnd
check_isobmff (const MediaFile * file, gchar ** detail)
{
  guint64 offset = 0;
  guint steps;

  for (steps = 0; steps < MAX_STEPS && offset < file->size; steps++) {
    guint8 header[16];
    guint64 box_size;

    if (!read_at (file, offset, header, 8))
      return cut (detail, "the last box header", offset + 8, file->size);
    box_size = be32 (header);
    if (box_size == 1) {
      if (!read_at (file, offset + 8, header + 8, 8))
        return cut (detail, "the last box header", offset + 16, file->size);
      box_size = ((guint64) be32 (header + 8) << 32) | be32 (header + 12);
    } else if (box_size == 0) {
      return PALETTE_FILE_END_WHOLE;    /* the last box runs to the end */
    }
    if (box_size < 8)
      return PALETTE_FILE_END_UNKNOWN;
    if (box_size > file->size - offset) {
      gchar what[64];

      g_snprintf (what, sizeof (what), "the '%.4s' box", header + 4);
      return cut (detail, what, offset + box_size, file->size);
    }
    offset += box_size;
  }
  return offset == file->size ? PALETTE_FILE_END_WHOLE :
      PALETTE_FILE_END_UNKNOWN;
}

/* RIFF (AVI, with its AVIX extensions past 1 GiB): sized chunks. */
static PaletteFileEnd
check_riff (const MediaFile * file, gchar ** detail)
{
  guint64 offset = 0;
  guint steps;

  for (steps = 0; steps < MAX_STEPS && offset + 8 <= file->size; steps++) {
    guint8 header[8];
    guint64 chunk_end;

    if (!read_at (file, offset, header, 8))
      return PALETTE_FILE_END_UNKNOWN;
    chunk_end = offset + 8 + le32 (header + 4);
    if (chunk_end > file->size)
      return cut (detail, "the RIFF chunk", chunk_end, file->size);
    offset = chunk_end + (chunk_end & 1);
  }
  /* a padding byte or a few bytes of junk after the last chunk is common */
  return PALETTE_FILE_END_WHOLE;
}

/* EBML variable-size integer at P (LEN bytes available): its value, or
 * G_MAXUINT64 for "unknown size"; 0 length when malformed. */
static guint64
ebml_vint (const guint8 * p, gsize available, guint * length, gboolean mask)
{
  guint n = 1, i;
  guint64 value, all_ones;

  while (n <= 8 && !(p[0] & (0x80 >> (n - 1))))
    n++;
  if (n > 8 || n > available) {
    *length = 0;
    return 0;
  }
  value = mask ? (p[0] & (0xff >> n)) : p[0];
  for (i = 1; i < n; i++)
    value = (value << 8) | p[i];
  all_ones = (G_GUINT64_CONSTANT (1) << (7 * n)) - 1;
  *length = n;
  return mask && value == all_ones ? G_MAXUINT64 : value;
}

/* Matroska, WebM: the EBML header, then a Segment of declared size. */
static PaletteFileEnd
check_matroska (const MediaFile * file, gchar ** detail)
{
  guint8 data[64];
  gsize available = MIN (sizeof (data), file->size);
  guint64 offset = 0, size;
  guint id_length, size_length, element;

  if (!read_at (file, 0, data, available))
    return PALETTE_FILE_END_UNKNOWN;
  for (element = 0; element < 2; element++) {
    guint64 id = ebml_vint (data + offset, available - offset, &id_length,
        FALSE);

    if (id_length == 0)
      return PALETTE_FILE_END_UNKNOWN;
    size = ebml_vint (data + offset + id_length,
        available - offset - id_length, &size_length, TRUE);
    if (size_length == 0)
      return PALETTE_FILE_END_UNKNOWN;
    offset += id_length + size_length;
    if (element == 0) {
      if (id != 0x1A45DFA3 || size > available - offset)
        return PALETTE_FILE_END_UNKNOWN;
      offset += size;           /* past the EBML header */
    } else if (id != 0x18538067) {
      return PALETTE_FILE_END_UNKNOWN;
    }
  }
  /* a Segment of unknown size (a live recording) declares no end */
  if (size == G_MAXUINT64)
    return PALETTE_FILE_END_UNKNOWN;
  if (size > file->size - offset)
    return cut (detail, "the Matroska segment", offset + size, file->size);
  return PALETTE_FILE_END_WHOLE;
}

/* Ogg: the last page must be whole and end its logical stream. */
static PaletteFileEnd
check_ogg (const MediaFile * file, gchar ** detail)
{
  gsize length = MIN (TAIL_SIZE, file->size);
  guint64 start = file->size - length;
  guint8 *tail = g_malloc (length);
  PaletteFileEnd result = PALETTE_FILE_END_UNKNOWN;
  gssize i;

  if (!read_at (file, start, tail, length))
    goto done;
  for (i = (gssize) length - 4; i >= 0; i--) {
    guint segments, s;
    guint64 page_end;

    if (memcmp (tail + i, "OggS", 4) != 0)
      continue;
    if ((gsize) i + 27 > length) {
      result = cut (detail, "the last Ogg page header", start + i + 27,
          file->size);
      break;
    }
    if (tail[i + 4] != 0)
      continue;                 /* not a version 0 page header */
    segments = tail[i + 26];
    page_end = start + i + 27 + segments;
    if ((gsize) i + 27 + segments > length) {
      result = cut (detail, "the last Ogg page", page_end, file->size);
      break;
    }
    for (s = 0; s < segments; s++)
      page_end += tail[i + 27 + s];
    if (page_end > file->size)
      result = cut (detail, "the last Ogg page", page_end, file->size);
    else if (page_end < file->size) {
      gsize rest = file->size - page_end;

      /* the first bytes of the next page's "OggS", too few to be found */
      if (rest < 4 && memcmp (tail + (page_end - start), "OggS", rest) == 0) {
        result = cut (detail, "the last Ogg page header", page_end + 27,
            file->size);
        break;
      }
      continue;                 /* "OggS" inside a packet: look further back */
    }
    else if (!(tail[i + 5] & 0x04)) {
      if (detail)
        *detail = g_strdup ("the last Ogg page does not end its stream");
      result = PALETTE_FILE_END_CUT;
    } else
      result = PALETTE_FILE_END_WHOLE;
    break;
  }
done:
  g_free (tail);
  return result;
}

/* MPEG program stream: from the last pack header, the packets must fit. */
static PaletteFileEnd
check_mpeg_ps (const MediaFile * file, gchar ** detail)
{
  gsize length = MIN (TAIL_SIZE, file->size);
  guint64 start = file->size - length;
  guint8 *tail = g_malloc (length);
  PaletteFileEnd result = PALETTE_FILE_END_UNKNOWN;
  gssize pack = -1, i;
  gsize offset;

  if (!read_at (file, start, tail, length))
    goto done;
  for (i = (gssize) length - 4; i >= 0 && pack < 0; i--)
    if (tail[i] == 0 && tail[i + 1] == 0 && tail[i + 2] == 1
        && tail[i + 3] == 0xBA)
      pack = i;
  if (pack < 0)
    goto done;

  offset = pack;
  while (offset + 4 <= length) {
    guint8 code;
    gsize end;

    if (tail[offset] != 0 || tail[offset + 1] != 0 || tail[offset + 2] != 1) {
      /* padding after the last packet */
      while (offset < length && tail[offset] == 0xFF)
        offset++;
      result = offset == length ? PALETTE_FILE_END_WHOLE :
          PALETTE_FILE_END_UNKNOWN;
      goto done;
    }
    code = tail[offset + 3];
    if (code == 0xB9) {         /* program end code */
      result = PALETTE_FILE_END_WHOLE;
      goto done;
    } else if (code == 0xBA) {
      if (offset + 14 > length)
        end = offset + 14;
      else if ((tail[offset + 4] & 0xC0) == 0x40)       /* MPEG-2 */
        end = offset + 14 + (tail[offset + 13] & 0x07);
      else                      /* MPEG-1 */
        end = offset + 12;
    } else if (code >= 0xBB) {
      if (offset + 6 > length)
        end = offset + 6;
      else
        end = offset + 6 + ((tail[offset + 4] << 8) | tail[offset + 5]);
    } else {
      goto done;                /* not a system-level start code */
    }
    if (end > length) {
      result = cut (detail, "the last MPEG packet", start + end, file->size);
      goto done;
    }
    offset = end;
  }
  result = offset == length ? PALETTE_FILE_END_WHOLE : PALETTE_FILE_END_UNKNOWN;
done:
  g_free (tail);
  return result;
}

/* MPEG transport stream (188-byte packets, or 192 with a timecode). */
static PaletteFileEnd
check_mpeg_ts (const MediaFile * file, guint packet_size, gchar ** detail)
{
  if (file->size % packet_size == 0)
    return PALETTE_FILE_END_WHOLE;
  return cut (detail, "the last transport packet",
      file->size + packet_size - file->size % packet_size, file->size);
}

static gboolean
is_ts (const MediaFile * file, guint packet_size, guint sync_offset)
{
  guint8 byte;
  guint i;

  for (i = 0; i < 3; i++)
    if (!read_at (file, sync_offset + (guint64) i * packet_size, &byte, 1)
        || byte != 0x47)
      return FALSE;
  return TRUE;
}

PaletteFileEnd
palette_file_end_check (const gchar * path, gchar ** detail)
{
  MediaFile file;
  struct stat st;
  guint8 magic[12];
  PaletteFileEnd result = PALETTE_FILE_END_UNKNOWN;

  if (detail)
    *detail = NULL;
  file.fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (file.fd < 0)
    return PALETTE_FILE_END_UNKNOWN;
  /* only regular files have an end to check (a FIFO would block) */
  if (fstat (file.fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (file.fd);
    return PALETTE_FILE_END_UNKNOWN;
  }
  file.size = st.st_size;

  if (!read_at (&file, 0, magic, sizeof (magic)))
    result = PALETTE_FILE_END_UNKNOWN;
  else if (memcmp (magic + 4, "ftyp", 4) == 0
      || memcmp (magic + 4, "moov", 4) == 0
      || memcmp (magic + 4, "mdat", 4) == 0
      || memcmp (magic + 4, "wide", 4) == 0
      || memcmp (magic + 4, "free", 4) == 0
      || memcmp (magic + 4, "skip", 4) == 0
      || memcmp (magic + 4, "styp", 4) == 0)
    result = check_isobmff (&file, detail);
  else if (memcmp (magic, "RIFF", 4) == 0)
    result = check_riff (&file, detail);
  else if (be32 (magic) == 0x1A45DFA3)
    result = check_matroska (&file, detail);
  else if (memcmp (magic, "OggS", 4) == 0)
    result = check_ogg (&file, detail);
  else if (be32 (magic) == 0x000001BA)
    result = check_mpeg_ps (&file, detail);
  else if (is_ts (&file, 188, 0))
    result = check_mpeg_ts (&file, 188, detail);
  else if (is_ts (&file, 192, 4))
    result = check_mpeg_ts (&file, 192, detail);

  close (file.fd);
  return result;
}
