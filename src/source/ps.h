/*
 * ps.h - the parser's private types, shared by its files: parse.c
 * (libcmark-gfm's tree into the document tree, gb_parse_part), attrs.c
 * (pandoc's heading attributes, read and blanked before cmark parses
 * the part), extensions.c (pandoc's superscript, subscript and inline
 * notes, found in the converted tree's text) and deflist.c (pandoc's
 * definition lists, their markers made bullets before cmark parses the
 * part again).
 *
 * Ownership: a parse_ctx is gb_parse_part()'s for one part; c->attrs owns
 * its heading_attrs (freed by gb_ps_heading_attrs_free).
 */
#ifndef GB_PS_H
#define GB_PS_H

#include "source/parse.h"

#include <cmark-gfm.h>

typedef struct parse_ctx {
	const gb_book *book;
	const gb_part_src *src;
	const gb_file *file;
	gb_diag *d;
	char *base;               /* directory of the part, for images */
	GPtrArray *footnotes;     /* FOOTNOTE nodes in cmark's index order */
	GPtrArray *noterefs;      /* NOTEREF nodes, with their index in label */
	size_t *elements;         /* in the book so far */
	const char *lang;         /* the part's */
	GHashTable *headings;     /* cmark heading -> its text as written */
	GHashTable *attrs;        /* a heading's first line -> heading_attrs */
	GHashTable *deflist_lines; /* line -> a term or a definition's marker
				      (deflist.c) */
} parse_ctx;

/*
 * Pandoc's heading attributes ('# Title {#id .class .unnumbered .unlisted}',
 * '{-}' for '.unnumbered', key=value pairs read and dropped), read from
 * the end of a heading's (last) line, as pandoc's manual defines them.
 */
typedef struct heading_attrs {
	char *id, *classes;
	bool unnumbered, unlisted;
	size_t off;               /* the '{' in the file */
} heading_attrs;

void gb_ps_heading_attrs_free(gpointer p);
/* Reads the attribute blocks of doc's headings into c->attrs; the part's
   text with them blanked (the caller frees it), or NULL when it has none. */
char *gb_ps_strip_heading_attrs(parse_ctx *c, cmark_node *doc);
/* Pandoc's superscript ^x^ and subscript ~x~ in root's text. */
void gb_ps_make_scripts(const parse_ctx *c, gb_node *root);
/* Pandoc's inline notes ^[...] in part's text, made footnotes. */
void gb_ps_make_inline_notes(parse_ctx *c, gb_node *part);

/*
 * Pandoc's definition lists (deflist.c): the markers of definitions in
 * doc's paragraphs, each made a '+' bullet in a copy of text (the part's,
 * perhaps already changed) that the caller frees and parses again, the
 * terms' and markers' lines recorded in c->deflist_lines; NULL when no
 * marker is new.  A definition's body is code to cmark until its marker
 * is a bullet: a list in it is found when the text is parsed again.
 */
char *gb_ps_mark_deflists(parse_ctx *c, cmark_node *doc, const char *text);
/* The part's terms and the bullets made of the markers, made DEFLIST,
   DEF_TERM and DEF_DESC nodes. */
void gb_ps_make_deflists(parse_ctx *c, gb_node *part);

#endif
