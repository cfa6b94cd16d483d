/*
 * ps.h - the parser's private types, shared by its files: parse.c
 * (libcmark-gfm's tree into the document tree, gb_parse_part), attrs.c
 * (the one reader of attribute blocks; pandoc's heading attributes, read
 * and blanked before cmark parses the part), extensions.c (pandoc's
 * superscript, subscript and inline notes, found in the converted tree's
 * text) and refused.c (what pandoc reads that gsi-book does not set:
 * citations, math, grid tables) and deflist.c (pandoc's definition
 * lists, their markers made bullets before cmark parses the part again).
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
	GHashTable *image_attrs;  /* an image's offset -> its attributes
				     (imageattrs.c), or NULL */
	GPtrArray *fences;        /* divs.c: the fenced divs' fences, or NULL */
	GHashTable *deflist_lines; /* line -> a term or a definition's marker
				      (deflist.c) */
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

/*
 * Which bytes of TEXT node t's text are escaped marks (marks: the
 * characters asked about, such as "[]{}"): each mark of the text is
 * matched with the same character's next occurrence in the node's source
 * (cmark-gfm keeps no trace of "\[" in its text), escaped when an odd
 * number of backslashes comes before it.  src (may be NULL; strlen(text)
 * + 1 entries) gets each matched mark's source offset, GB_NOPOS for the
 * other bytes.  A text with no position has none escaped.  The caller
 * frees the result (strlen(text) + 1 bytes).
 */
guint8 *gb_ps_escaped_marks(const parse_ctx *c, const gb_node *t, const char *marks,
			    size_t *src);

/*
 * A run of neighbouring inline nodes read as one string: TEXT nodes' text,
 * and a '\n' for a SOFTBREAK or LINEBREAK; for each byte its source offset
 * (GB_NOPOS when the node has none) and whether it is an escaped mark.
 * The run owns its arrays: gb_ps_run_clear() frees them.
 */
typedef struct gb_ps_run {
	GString *s;
	GArray *off;    /* size_t a byte */
	GArray *esc;    /* guint8 a byte */
} gb_ps_run;

void gb_ps_run_init(gb_ps_run *r);
void gb_ps_run_clear(gb_ps_run *r);
void gb_ps_run_add(const parse_ctx *c, gb_ps_run *r, const gb_node *n, const char *marks);

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

/*
 * Pandoc's attributes right after an image ('![a](x.png){#fig:id
 * width=60% height=3cm}', imageattrs.c): read from data (the part's text,
 * maybe a copy already) for each image of doc into c->image_attrs.
 * Returns a copy of data with them blanked (the caller frees it), or
 * NULL when no image has them.  A block pandoc reads as text stays text;
 * a bad size is an error at its position.
 */
char *gb_ps_strip_image_attrs(parse_ctx *c, cmark_node *doc, const char *data);
/* Gives part's images the attributes read (width, height, id) and takes
   the blanks they left from the text after them; frees c->image_attrs. */
void gb_ps_apply_image_attrs(parse_ctx *c, gb_node *part);

/*
 * Pandoc's fenced divs (divs.c): the fences of the part's divs (lines of
 * at least three colons, outside code), read from its text (data, the
 * text as gb_ps_strip_heading_attrs left it, or NULL: the file's) and
 * each made a thematic break ('***' where its colons were: a block of
 * its own, whatever is around it, its line and the columns after it
 * unchanged).  Returns the text with them (data, or a copy the caller
 * frees), or data when there is none.
 */
char *gb_ps_strip_div_fences(parse_ctx *c, cmark_node *doc, char *data);
/* Groups the blocks between each div's fences into a DIV node (dropping
   the fences' breaks); then pandoc's line blocks ('| line') in part. */
void gb_ps_make_divs(parse_ctx *c, gb_node *part);
void gb_ps_make_line_blocks(parse_ctx *c, gb_node *part);
void gb_ps_div_fences_free(parse_ctx *c);
/* The classes of divs that have a design, NULL-terminated. */
extern const char *const gb_ps_div_classes[];

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
