/*
 * textwidth.h - how wide a text is in a font, in ems of its size, shaped
 * with HarfBuzz (kerning and ligatures as a browser sets them): for the
 * EPUB, which must know which tables cannot fit a phone's measure.
 *
 * Ownership: gb_textwidth_new() returns a measurer (NULL when the font
 * cannot be read) that the caller frees with gb_textwidth_free().
 */
#ifndef GB_TEXTWIDTH_H
#define GB_TEXTWIDTH_H

typedef struct gb_textwidth gb_textwidth;

/* A measurer for face index of the font file path. */
gb_textwidth *gb_textwidth_new(const char *path, unsigned int index);
void gb_textwidth_free(gb_textwidth *w);

/* The advance of the UTF-8 text, in ems. */
double gb_textwidth_em(gb_textwidth *w, const char *text);

#endif
