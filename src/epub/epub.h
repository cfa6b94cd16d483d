/*
 * epub.h - the EPUB 3 edition, packaged with libzip.
 *
 * Reads the resolved document tree (never changes it) and writes one XHTML
 * document per part (a <section> of the part, and in it a nested
 * <section aria-labelledby> per heading of its text) plus a cover, a title page, the contents (nav.xhtml),
 * a colophon and the font licences; the OPF package, the EPUB 2 NCX, the
 * stylesheet (styles/epub.css with styles/style.yaml's values), the book's
 * fonts subset to the characters used, and the images.
 */
#ifndef GB_EPUB_H
#define GB_EPUB_H

#include <glib.h>

#include "base/diag.h"
#include "design/fonts.h"
#include "design/pages.h"
#include "design/style.h"
#include "source/tree.h"

typedef struct gb_epub_options {
	const gb_style *style;
	gb_fontset *fonts;
	const char *css_template;   /* styles/epub.css */
	gint64 timestamp;           /* dcterms:modified and zip times (UTC) */
	const GArray *pages;        /* gb_page_start: the print edition's
				       pages, for page numbers; NULL for none */
	const char *pages_from;     /* which print edition: "A5, screen" */
	GHashTable *dest_pages;     /* an id -> the print page it is on (the
				       index's locators), or NULL */
	bool kobo;                  /* a kepub: Kobo's sentence spans and
				       wrappers (epub/ep.h) */
} gb_epub_options;

/*
 * Builds the EPUB of book.  Returns its bytes (the caller unrefs them), or
 * NULL after reporting why.  The same book and options give the same bytes.
 */
GBytes *gb_epub_build(const gb_book *book, const gb_epub_options *opt,
		      gb_diag *d);

#endif
