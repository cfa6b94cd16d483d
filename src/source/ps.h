/*
 * ps.h - the parser's private types, shared by its files: parse.c
 * (libcmark-gfm's tree into the document tree, gb_parse_part), attrs.c
 * (the one reader of attribute blocks; pandoc's heading attributes, read
 * and blanked before cmark parses the part), extensions.c (pandoc's
 * superscript, subscript and inline notes, found in the converted tree's
 * text) and refused.c (what pandoc reads that gsi-book does not set:
 * citations, math, grid tables).
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
} parse_ctx;

/*
 * A pandoc attribute block, '{#id .class key=value key="a value"}', as
 * pandoc's manual defines it: id (the last '#id'), classes in order ('-'
 * is "unnumbered"), key=value pairs in order with quoted values unquoted
 * (backslash escapes read).  Ownership: the struct's owner; init, then
 * clear frees its contents.
 */
typedef struct gb_ps_attrs {
	char *id;                 /* or NULL */
	GPtrArray *classes;       /* char *, owned */
	GPtrArray *keys, *values; /* char *, owned, the same length */
} gb_ps_attrs;

void gb_ps_attrs_init(gb_ps_attrs *a);
void gb_ps_attrs_clear(gb_ps_attrs *a);
/*
 * Reads the block between '{' and '}' (s to end, without the braces) into
 * a (initialised); false when pandoc would not read it as attributes (it
 * is then text; a may hold part of it: clear it).  *two_ids (may be NULL)
 * is set when the block gives two '#id's.
 */
bool gb_ps_read_attrs(const char *s, const char *end, gb_ps_attrs *a,
		      bool *two_ids);
bool gb_ps_attrs_has_class(const gb_ps_attrs *a, const char *cls);
/* The value of key (the last given), or NULL. */
const char *gb_ps_attrs_value(const gb_ps_attrs *a, const char *key);

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
/* refused.c: pandoc's citations ('[@key]'), TeX math ('$x$', '$$x$$')
   and grid tables in part: each an error at its place. */
void gb_ps_refuse_unsupported(const parse_ctx *c, const gb_node *part);
/* Pandoc's inline notes ^[...] in part's text, made footnotes. */
void gb_ps_make_inline_notes(parse_ctx *c, gb_node *part);
/* Pandoc's bracketed spans '[text]{.class lang=ru}' in part's text (and
   a link's attributes, '[text](url){.class}'), made SPAN nodes (spans.c). */
void gb_ps_make_spans(parse_ctx *c, gb_node *part);

/*
 * The raw HTML of part (HTML nodes, html.c): the elements it stands for,
 * wrappers unwrapped (one warning), anything else an error at its tag.
 */
void gb_ps_html(parse_ctx *c, gb_node *part);
/* Checks an image's file and alt text (parse.c), as Markdown's images. */
void gb_ps_check_image(parse_ctx *c, gb_node *img);

#endif
