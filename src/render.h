/*
 * render.h - the render module: everything that needs Pango, Cairo,
 * HarfBuzz, fontconfig or libhyphen, loaded only when a command needs it.
 *
 * Those libraries (and what they pull in: GIO, X11, libmount, ...) take
 * the dynamic linker longer to load than gsi-book takes to build an EPUB.
 * So the program links only what reading a book and packing an EPUB need
 * (libcmark-gfm, libyaml, GLib, libzip, zlib), and the typesetter, the PDF
 * and preview devices, the cover and font subsetting live in
 * gsi-book-render.so, which exports one table, gb_render_table.  The print
 * commands start loading it in a thread of their own once the book is read
 * (gb_render_preload), while its design is; an EPUB build loads it only
 * when the cache does not already hold its cover and font subsets.
 *
 * A program linked with the module's objects (the unit tests, the
 * sanitizer build) uses them directly: gb_render_table is then a symbol
 * of its own, and nothing is loaded.
 *
 * The module is looked for beside the program, as build/gsi-book-render.so
 * (a build tree), then as ../lib/gsi-book/gsi-book-render.so (where make
 * install puts it, for any PREFIX), then in GB_LIBDIR.
 *
 * Ownership: the table is loaded once per process and never freed.
 */
#ifndef GB_RENDER_H
#define GB_RENDER_H

#include <glib.h>

#include "cover.h"
#include "fontcover.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "pdf.h"
#include "preview.h"
#include "subset.h"
#include "typeset.h"

/* The module's functions, under their own names and types. */
#define GB_RENDER_FUNCTIONS(X) \
	X(gb_typeset) \
	X(gb_typeset_check_tables) \
	X(gb_layout_free) \
	X(gb_layout_stop) \
	X(gb_layout_widows) \
	X(gb_layout_dump) \
	X(gb_pdf_render) \
	X(gb_pdf_stream_new) \
	X(gb_pdf_stream_pages) \
	X(gb_pdf_stream_finish) \
	X(gb_pdf_stream_free) \
	X(gb_preview) \
	X(gb_cover_png) \
	X(gb_font_subset) \
	X(gb_font_coverage)

typedef struct gb_render_api {
	const char *version;    /* GB_VERSION, checked against the program's */
#define GB_RENDER_FIELD(f) __typeof__(f) *f;
	GB_RENDER_FUNCTIONS(GB_RENDER_FIELD)
#undef GB_RENDER_FIELD
} gb_render_api;

/* Starts loading the module in a thread, if it is not loaded yet. */
void gb_render_preload(void);

/*
 * The module's functions, or NULL when it cannot load (reported to d the
 * first time it is asked for).
 */
const gb_render_api *gb_render_load(gb_diag *d);

/*
 * The cover of the book as a PNG (gb_cover_png), from the user's cache
 * when it holds one made from the same inputs by the same program and
 * module.  The caller unrefs it; NULL after reporting why.
 */
GBytes *gb_render_cover(const gb_meta *meta, const gb_style *style,
			gb_fontset *fonts, gb_diag *d);

/*
 * The face of family (NULL: the first) in the font file at path cut down
 * to the code points in chars (gb_font_subset), from the user's cache when it holds the same cut.
 * font_id names the font's exact bytes (its SHA-256; NULL: the path): the
 * result is cached under it, the characters and HarfBuzz's version.
 * Returns the font's bytes (the caller unrefs them), or NULL after
 * reporting why.  When name is not NULL, *name is set to a string naming
 * the result's exact bytes (for caching what is made of them; the caller
 * frees it), or NULL when there is none (no font_id, or the cache is off).
 */
GBytes *gb_render_subset(const char *path, const char *font_id, const char *family,
			 GHashTable *chars, char **name, gb_diag *d);

/*
 * Reports the tables of book that the print edition would refuse
 * (gb_typeset_check_tables(), the typesetter's own decision), for check.
 * A book without tables loads nothing; when every table fits, that is
 * kept in the user's cache under everything the decision reads (the
 * program and module, the style, the fonts' sums, the paper and margins,
 * each table's text and where it stands), so that checking the book again
 * loads no print library.  False when one is refused, or after reporting
 * why it cannot be told.
 */
bool gb_render_check_tables(const gb_book *book, const gb_typeset_options *opt,
			    gb_diag *d);

#endif
