/*
 * warm.h - loading glyphs into cairo's caches ahead of drawing.
 *
 * Cairo loads each glyph's outline from FreeType the first time a PDF
 * draws it, once for the font at its size and once for the font's subset;
 * with CFF fonts that costs more than setting the text.  A warmer does
 * that work in a thread of its own while the typesetter sets the rest of
 * the book: the typesetter hands it each line as it is set, the warmer
 * asks cairo for the glyphs it has not seen, and the PDF device then finds
 * them loaded.  Nothing drawn depends on it: only when the work is done.
 *
 * Ownership: gb_warmer_new() returns a warmer the caller frees with
 * gb_warmer_free(), which waits for the thread.  gb_warmer_add() is called
 * from the thread that owns the Pango fonts of g.
 */
#ifndef GB_WARM_H
#define GB_WARM_H

#include "typeset/layout.h"

typedef struct gb_warmer gb_warmer;

gb_warmer *gb_warmer_new(void);
/* Queues the glyphs of g that were not queued before. */
void gb_warmer_add(gb_warmer *w, const gb_glyphs *g);
void gb_warmer_free(gb_warmer *w);

#endif
