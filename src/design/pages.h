/*
 * pages.h - where each printed page starts in the text: what the EPUB's
 * page list and page-break marks take from the print edition, without
 * either edition knowing the other (the typesetter makes the list:
 * gb_layout_page_starts() in typeset/layout.h; build.c hands it to the
 * EPUB writer).
 *
 * Ownership: a GArray of gb_page_start, freed with g_array_unref(); its
 * labels and nodes are borrowed from the layout and the book, which must
 * outlive it.
 */
#ifndef GB_PAGES_H
#define GB_PAGES_H

#include <glib.h>
#include <stddef.h>

#include "source/tree.h"

typedef struct gb_page_start {
	const char *label;      /* the folio as printed: "iii", "7" */
	const gb_node *source;  /* the node whose text the page starts in
				   (text, inline code or a code block), or
				   NULL: no text of the book on it */
	size_t source_off;      /* ... and the byte in that node's text */
} gb_page_start;

#endif
