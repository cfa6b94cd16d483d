/*
 * ep.h - the EPUB writer's private build context, shared by its files: xhtml.c
 * (XML text, the parts' XHTML documents, images), pages.c (cover, title
 * page, nav, NCX, colophon, licences), package.c (the stylesheet, the
 * fonts and the OPF), zip.c (entries and items, deflating, libzip),
 * names.c (the package's file names, safe ASCII), kobo.c (a kepub's spans
 * and wrappers) and epub.c (the page list from the print edition,
 * gb_epub_build).
 *
 * Ownership: an epub context is gb_epub_build()'s for one call; it owns
 * its entries, items and names, and borrows the book and the options.
 */
#ifndef GB_EP_H
#define GB_EP_H

#include "epub/epub.h"
#include "design/coverage.h"
#include "source/image.h"
#include <string.h>
#include <zlib.h>
#include "base/cache.h"
#include "source/book.h"
#include "source/paths.h"
#include "design/cover.h"
#include "design/subset.h"
#include "source/meta.h"
#include "source/resolve.h"
#include "design/words.h"
#include <zip.h>

/* ---- the build context ---- */

typedef struct gb_kobo gb_kobo;

typedef struct entry {
	char *name;       /* path in the zip */
	GBytes *data;
	bool store;       /* stored, not deflated (mimetype) */
	char *key;        /* names data's exact bytes, for the cache; or NULL */
	GBytes *packed;   /* data deflated (raw), once zip_all() made it */
	guint32 crc;      /* data's CRC-32, with packed */
} entry;

typedef struct item {
	char *id, *href, *media_type, *properties;
	bool spine, linear;
} item;

typedef struct epub {
	const gb_book *book;
	const gb_epub_options *opt;
	gb_diag *d;
	const gb_words *w;
	GPtrArray *entries;      /* entry *, in zip order */
	GPtrArray *items;        /* item *, manifest order */
	GPtrArray *spine;        /* item *, spine order (not owned) */
	GHashTable *doc_of_id;   /* element id -> href of its document */
	GHashTable *images;      /* source path -> href in the package */
	GHashTable *docs;        /* PART node -> its document, "text/NAME.xhtml" */
	GHashTable *chars;       /* code points the documents use */
	gb_coverage *coverage;   /* which family draws each character */
	GPtrArray *needs;        /* what each fallback is needed for
				    (gb_coverage_needs) */
	char **fallbacks;        /* the fallback families the book needs
				    (gb_fallbacks_of), NULL-ended */
	guint64 ascii[2];        /* which ASCII ones chars holds already */
	bool has_images;         /* images besides the cover */
	GHashTable *marks;       /* text node -> GArray of page_mark */
	GPtrArray *page_list;    /* page_ref *, in reading order */
	GPtrArray *front;        /* labels of the front matter's pages */
	GPtrArray *landmarks;    /* landmark *, the nav's landmarks (and the
				    OPF's guide), gb_ep_write_nav */
	bool caps;               /* words in capitals in small capitals
				    (text.abbreviations: small-caps) */
	gb_kobo *kobo;           /* the kepub's sentence spans (kobo.c), or
				    NULL for a plain EPUB */
	int ok;
} epub;

/* A print page's start in a text node: the page breaks before byte off. */
typedef struct page_mark {
	size_t off;
	const char *label;
} page_mark;

/* A landmark: the nav's (its epub:type) and the EPUB 2 guide's (its
   reference type) entry of a place in the book. */
typedef struct landmark {
	const char *type, *guide_type;
	char *href, *title;
} landmark;

void gb_ep_landmark_free(landmark *l);

typedef struct page_ref {
	char *label, *href;
} page_ref;

/* ---- parts ---- */

typedef struct render {
	epub *e;
	GString *out;
	const gb_node *part;
	char *href;              /* this document, e.g. "text/article.xhtml" */
	bool *numeric;           /* the table being written: its numeric
				    columns (gb_numeric_columns), owned */
	bool *dates;             /* ... and its columns of dates
				    (gb_date_columns), owned */
	char **heads;            /* ... and, when it is too wide for a
				    narrow column, its columns' headers,
				    which its cells repeat there when it is
				    stacked (table.c), owned */
} render;

/* A libzip source giving an entry's deflated data, as it is. */
typedef struct packed_src {
	const entry *en;
	gsize off;
	zip_error_t error;
} packed_src;

void gb_ep_entry_free(entry *e);
void gb_ep_item_free(item *it);
void gb_ep_add_entry(epub *e, const char *name, GBytes *data, bool store);
item *gb_ep_add_item(epub *e, const char *id, const char *href, const char *media_type, const char *properties, GBytes *data);
void gb_ep_add_spine(epub *e, item *it, bool linear);
GBytes *gb_ep_string_bytes(GString *s);
void gb_ep_esc(GString *out, const char *s);
void gb_ep_esc_lines(GString *out, const char *s);
void gb_ep_esc_caps(epub *e, GString *out, const char *s);
void gb_ep_use_chars(epub *e, const char *s);
void gb_ep_doc_begin(epub *e, GString *out, const char *lang, const char *title, const char *body_type);
void gb_ep_doc_end(epub *e, GString *out);
void gb_ep_page_break(GString *o, const char *label);
void gb_ep_name_docs(epub *e);
/* names.c: a file name made safe ASCII for the package, its stem and its
   extension ("Pasted image 5.png" is "pasted-image-5.png"); fallback
   for a stem with nothing left.  The caller frees it. */
char *gb_ep_safe_file_name(const char *base, const char *fallback);
char *gb_ep_part_href(const epub *e, const gb_node *part);
/* Whether part is the book's glossary: its title has the class 'glossary'
   ('# Glossary {.glossary}'). */
bool gb_ep_is_glossary(const gb_node *part);
/* The landmark of the book's first glossary part, if any, added to list. */
void gb_ep_glossary_landmark(epub *e, GPtrArray *list);
void gb_ep_write_part(epub *e, const gb_node *part);
/* A table's and a cell's tags, opening (entering) or closing (table.c). */
void gb_ep_table(render *r, const gb_node *n, bool entering);
void gb_ep_table_cell(render *r, const gb_node *n, bool entering);
void gb_ep_write_cover(epub *e);
void gb_ep_write_titlepage(epub *e);
void gb_ep_write_nav(epub *e, const char *bodymatter_href);
void gb_ep_write_ncx(epub *e);
void gb_ep_write_colophon(epub *e);
/* The index (text/index.xhtml, indexdoc.c), when book.yaml asks for one. */
void gb_ep_write_index(epub *e);
void gb_ep_write_licences(epub *e);
/* A font package's copyright file (text) as a section of the licences
   page, under an h2 of title, its ids "licence-N..." (licences.c). */
void gb_ep_licence_section(GString *o, const char *text, const char *title, int n);
void gb_ep_write_css_and_fonts(epub *e);
/*
 * The characters each font of e's set is drawn in (faces.c): the
 * documents written so far read back, each element's font cascaded from
 * css's font-family, -weight and -style rules.  Element i is font i's set
 * (a GHashTable of gunichar), NULL when no text is set in it; the caller
 * frees the array and the sets.
 */
GPtrArray *gb_ep_face_chars(epub *e, const char *css);
void gb_ep_write_opf(epub *e);
GBytes *gb_ep_zip_all(epub *e);

/* ---- the Kobo edition (kobo.c) ----
 *
 * A kepub (gb_epub_options.kobo) is the EPUB with what Kobo's reading
 * engine expects, as Kobo's own kepubs and kepubify have it: each
 * document's body inside <div id="book-columns"><div id="book-inner">,
 * and each sentence of the text in <span class="koboSpan"
 * id="kobo.P.S">, P counting the document's blocks of text (a heading,
 * a paragraph, a table cell, a caption, a figure...) from 1 and S the
 * spans of a block from 1.  A span never crosses an element: a sentence
 * with emphasis in it is three spans, as in kepubify.  Sentences are
 * where Pango's log attributes start them (is_sentence_start), found in
 * the whole text of the block, in the part's language.  The spans wrap
 * the plain EPUB's bytes and add none: without them and the two divs,
 * each document is the plain one's.  Code blocks keep their text as it is
 * (no spans in <pre>); a picture is in a span of its own.
 *
 * gb_kobo_new: the state of one EPUB's spans (freed by gb_kobo_free).
 */
gb_kobo *gb_kobo_new(void);
void gb_kobo_free(gb_kobo *k);
/* A new document: its blocks count from 1 again. */
void gb_ep_kobo_doc(epub *e);
/* Node n, entered in reading order: when it is a block with text of its
   own (inline children), its text's sentences are found and it is the
   block the next spans are numbered in.  Nothing without e->kobo. */
void gb_ep_kobo_block(epub *e, const gb_node *n, const char *lang);
/* The byte offsets in text node n (TEXT or CODE, a child of the current
   block) where each of its spans starts: 0 first, then each sentence
   start inside it; NULL without e->kobo (the caller frees the array). */
GArray *gb_ep_kobo_cuts(epub *e, const gb_node *n);
/* The next block of text starts (the pages' texts, the cover's picture);
   nothing without e->kobo. */
void gb_ep_kobo_next_block(epub *e);
/* gb_ep_kobo_cuts for a text of the pages (a title, a fact of the
   colophon), in the current block or, with new_block, a new one. */
GArray *gb_ep_kobo_text(epub *e, const char *text, const char *lang, bool new_block);
/* s as a text of the pages: escaped as by gb_ep_esc, its lines apart
   (<br/>) with lines as by gb_ep_esc_lines, its words in capitals in small
   capitals with caps as by gb_ep_esc_caps; in a kepub a block of text of
   its own, each sentence in a Kobo span (xhtml.c). */
void gb_ep_esc_text(epub *e, GString *out, const char *s, const char *lang, bool lines, bool caps);
/* Opens the next span of the current block: <span class="koboSpan"
   id="kobo.P.S">. */
void gb_ep_kobo_open(epub *e, GString *o);
/* What a document has after <head>'s stylesheet (Kobo's style tweaks) and
   after <body ...> (the wrappers), and before </body>: nothing in a plain
   EPUB. */
void gb_ep_kobo_head(epub *e, GString *o);
void gb_ep_kobo_body_begin(epub *e, GString *o);
void gb_ep_kobo_body_end(epub *e, GString *o);

#endif
