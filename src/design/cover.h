/*
 * cover.h - a typographic cover, drawn from the book's metadata with Pango
 * and Cairo, in the book's fonts and colours (styles/style.yaml: colours.*,
 * fonts.*, cover.width and cover.height).
 */
#ifndef GB_COVER_H
#define GB_COVER_H

#include <cairo.h>
#include <glib.h>

#include "base/diag.h"
#include "design/fonts.h"
#include "design/style.h"
#include "design/wrap.h"
#include "source/tree.h"

/*
 * Renders the cover of book as an 8-bit palette PNG (flat colours and
 * type: the 256 colours most of its pixels have).  Returns its bytes (the
 * caller unrefs them), or NULL after reporting why.  The same inputs always give
 * the same bytes; gb_cover_cached (cached.h) keeps them in the cache.
 */
GBytes *gb_cover_png(const gb_meta *meta, const gb_style *style,
		     gb_fontset *fonts, gb_diag *d);

/*
 * Draws the typographic cover of gb_cover_png on cr, w x h of cr's units
 * from its origin (pixels of an image surface, or points): the front of
 * the full-wrap cover and the store's marketing cover draw it so.  False
 * after reporting why.
 */
bool gb_cover_draw_front(cairo_t *cr, int w, int h, const gb_meta *meta,
			 const gb_style *style, gb_fontset *fonts, gb_diag *d);

/*
 * The cover of the book as a PNG (gb_cover_png), from the user's cache
 * when it holds one made from the same inputs by the same program.  The
 * caller unrefs it; NULL after reporting why.
 */
GBytes *gb_cover_cached(const gb_meta *meta, const gb_style *style,
			gb_fontset *fonts, gb_diag *d);

/*
 * Draws the full-wrap paperback cover w on cr (a cairo PDF surface's, in
 * points, its page w->width x w->height): the background across it, the
 * front as the typographic cover of gb_cover_png drawn again as vectors,
 * (unless front is false: the caller draws it), the spine's title and
 * authors running top to bottom when w allows spine text, the back's
 * description, its barcode area left empty.  False after reporting why.
 */
bool gb_cover_draw_wrap(cairo_t *cr, const gb_meta *meta,
			const gb_style *style, gb_fontset *fonts,
			const gb_wrap *w, bool front, gb_diag *d);

#endif
