/*
 * htmltag.h - reading HTML's tags (htmltag.c), for the parser's pass over
 * the raw HTML a part carries (html.c): a tag's name and attributes, its
 * character references, and what each element is in a book.
 *
 * Ownership: a gb_html_tag's name and attributes are its own, freed by
 * gb_html_tag_clear(); the element table is static.
 */
#ifndef GB_HTMLTAG_H
#define GB_HTMLTAG_H

#include <glib.h>
#include <stdbool.h>

#include "source/tree.h"

typedef struct gb_html_tag {
	char *name;          /* lowercase; NULL: a comment */
	bool close, empty;   /* "</x>"; "<x/>" */
	GPtrArray *attrs;    /* name, value, name, value... (values decoded) */
} gb_html_tag;

typedef enum gb_html_role {
	GB_HTML_REFUSED,   /* an error, with its hint */
	GB_HTML_WRAPPER,   /* unwrapped, its id kept */
	GB_HTML_NODE,      /* a node of the tree around its content */
	GB_HTML_PHRASE,    /* a PHRASE around its content */
	GB_HTML_BREAK,     /* <br> */
	GB_HTML_IMAGE,     /* <img> */
	GB_HTML_FIGURE,    /* <figure>, <figcaption>: in an HTML block only */
	GB_HTML_UNDERLINE, /* <u>: a SPAN of class underline */
} gb_html_role;

typedef struct gb_html_element {
	const char *name;
	gb_html_role role;
	gb_node_kind kind;   /* GB_HTML_NODE's */
	const char *hint;    /* GB_HTML_REFUSED's: what to write instead */
} gb_html_element;

/* Frees t's name and attributes (t is then empty). */
void gb_html_tag_clear(gb_html_tag *t);
/* The value of t's attribute name (lowercase), or NULL. */
const char *gb_html_attr(const gb_html_tag *t, const char *name);
/* Appends s[0, n) with its character references decoded. */
void gb_html_decode(GString *out, const char *s, size_t n);
/* Reads the tag or comment at s (s[0] == '<'): its length, 0 when none. */
size_t gb_html_read_tag(const char *s, gb_html_tag *t);
/* The length of markup at s that is no tag (see htmltag.c). */
size_t gb_html_markup_len(const char *s, size_t n);
/* What the element name (lowercase) is, or NULL for one unknown. */
const gb_html_element *gb_html_element_of(const char *name);

#endif
