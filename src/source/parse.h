/*
 * parse.h - Markdown parts into the document tree, with libcmark-gfm.
 *
 * The dialect is CommonMark with GitHub's table and footnote extensions.
 * Conventions on top of it, all expressible in plain CommonMark:
 *  - paragraphs before a part's first heading are its standfirst;
 *  - a paragraph starting "Table: " right after (or before) a table is its
 *    caption;
 *  - a paragraph holding only an image is a figure; the image's title, if
 *    any, is its caption;
 *  - pandoc's heading attributes ('# Title {#id .class .unnumbered
 *    .unlisted}', '{-}') at the end of a heading's line are read into the
 *    HEADING (id, id_given, classes, unnumbered, unlisted) and are no
 *    text; a block pandoc would not read as attributes stays text.
 *  - pandoc's definition lists ('Term' then ':   Definition') are
 *    DEFLIST, DEF_TERM and DEF_DESC nodes (deflist.c); a marker with no
 *    term before it stays text.
 * Raw HTML is an error (HTML comments are allowed and dropped).  Lists and
 * block quotes nest at most GB_MAX_NESTING deep (each level indents the
 * text, and a page holds only so many); deeper ones are an error.
 */
#ifndef GB_PARSE_H
#define GB_PARSE_H

#include "base/diag.h"
#include "source/tree.h"

#define GB_MAX_NESTING 8

/*
 * A book holds at most GB_MAX_ELEMENTS elements (paragraphs, words in
 * emphasis, links, list items...: the document tree's nodes), counted in
 * *elements over its parts: each costs about a kilobyte by the time the
 * PDF is written, so markup packed tight in a few megabytes would take
 * gigabytes.  The first one past it is an error; the rest are dropped.
 */
#define GB_MAX_ELEMENTS 1000000

/*
 * Parses the part src, whose text is f, into a new PART node that the
 * caller owns (normally appended to book->root).  Reports every problem to
 * d.  Never returns NULL.
 */
gb_node *gb_parse_part(const gb_book *book, const gb_part_src *src,
		       const gb_file *f, size_t *elements, gb_diag *d);

#endif
