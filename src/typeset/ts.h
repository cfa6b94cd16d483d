/*
 * ts.h - the typesetter's private state and galley, shared by its files:
 * state.c (the galley's items, the state, the style read into it),
 * inline.c (inline text, fonts, small capitals, lines of a block, notes),
 * blocks.c (headings, paragraphs, lists, quotations, code, figures),
 * tables.c, pages.c (the page builder: pagination, running heads, notes),
 * front.c (title page, copyright page, contents), typeset.c (the
 * passes and gb_typeset) and parts.c (the parts set on all cores, each on
 * a copy of the ts with pages of its own, joined in order).
 *
 * Ownership: a ts is the typesetter's for one gb_typeset() call; the
 * galley's vitems are owned by the galley (free_galley) or by the page
 * they are placed on (their boxes move to it); nothing here outlives
 * gb_typeset().
 */
#ifndef GB_TS_H
#define GB_TS_H

#include "typeset/typeset.h"
#include "design/coverage.h"
#include "typeset/picture.h"
#include <cairo-pdf.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include "source/book.h"
#include "typeset/linebreak.h"
#include "base/file.h"
#include "base/cache.h"
#include "source/meta.h"
#include "design/profile.h"
#include "design/words.h"

/* ---- the galley: a vertical list of lines, spaces and marks ---- */

typedef enum vkind { V_LINE, V_SPACE, V_MARK } vkind;

typedef struct vitem {
	vkind kind;
	double height;
	bool keep;              /* no page break right after this item */
	double penalty;         /* the cost of a page break right after it,
				   when it is allowed (TeX's \brokenpenalty
				   for a hyphenated line): pages.c weighs it
				   with the page's badness */
	bool grid;              /* a line of body text: it sits on the
				   page's baseline grid (its top at a whole
				   number of leadings from the text block's
				   top), the space before it rounded up */
	int stretch;            /* a space that may grow by whole lines to
				   make a page's foot flush: 1 around blocks
				   and before headings, 2 between two
				   paragraphs (a last resort); 0 none */
	guint float_len;        /* the first item of a figure or a table
				   that fits a page: it and the float_len - 1
				   after it may move to the top of the next
				   page, the text after them moving up */
	GPtrArray *boxes;       /* gb_box *, relative to the item's top-left */
	GPtrArray *notes;       /* vitem *: the lines of notes referenced here */
	struct vitem *header;   /* a table row: its header row, to repeat */
	bool after_heading;     /* the space that ends a heading */
	bool turned;            /* on a page turned a quarter (a table too
				   wide for the measure), in its frame */
} vitem;

/* ---- the typesetter's state ---- */

/* The design of fenced divs (style.yaml's divs.*, read by divs.c): shares
   of the measure, scales of the text, lines, lengths in points. */
typedef struct gb_ts_divs {
	double epi_indent, epi_scale, ded_scale, ded_space, verse_indent;
	double turnover, stanza, keep_lines, sig_indent, side_scale;
	double pq_scale, pq_rule;
} gb_ts_divs;

typedef struct ts {
	const gb_book *book;
	const gb_typeset_options *opt;
	gb_diag *d;
	PangoFontMap *map;
	PangoContext *pc;
	gb_layout *lay;
	/* page */
	double pw, ph, inner, outer, top, bottom, measure, body_h;
	double head_gap, folio_gap, opener_sink;
	/* type, all in points or ratios, from the style */
	double size, leading, indent, para_space, list_indent, quote_indent;
	double cell_pad, note_gap, note_rule;
	double note_scale, head_scale, caption_scale, standfirst_scale;
	double code_scale, label_scale, heading_leading;
	double rule, table_rule, row_space, label_gap, break_width;
	double figure_height, image_resolution, head_width, folio_width;
	double title_scale, title_min_scale, table_min_scale;
	double h_scale[4], h_before[4], h_after[4];
	const char *body_family, *heading_family, *mono_family;
	char **fallbacks;       /* fonts.fallbacks, in order */
	char *fallback_tail;    /* ",Fallback1,Fallback2": after every family */
	char *mono_list;        /* the mono family and the fallbacks */
	GHashTable *listed;     /* the families above: the faces text may use */
	GHashTable *font_listed; /* PangoFont * (a reference) -> 1 listed, 2 not */
	bool oldstyle, abbrev_caps;   /* OpenType features of running text */
	double caps_spacing;    /* small capitals' letterspacing, in ems */
	/* the flow being built */
	GPtrArray *galley;
	const gb_node *part;
	const char *lang;
	double left, right;     /* current indents of the text block */
	GHashTable *page_of;    /* dest -> folio, from the previous pass */
	GHashTable *found;      /* dest -> folio, in this pass */
	GPtrArray *clones;      /* vitem *: header rows to repeat, owned */
	GHashTable *notes_set;  /* ids of the footnotes set in this pass */
	guint contents_first, contents_end;  /* the contents' pages */
	int contents_roman;     /* the roman folio before them */
	gb_hyphenator *hyph;
	gb_break_params breaking;
	bool failed;
	bool in_note;           /* a note's blocks are being set */
	char *cache_id;         /* the book's identity in the cache, or NULL */
	GHashTable *heads;      /* running head -> what fits its line (for
				   every pass: each too long is reported once) */
	gb_ts_divs divs;        /* fenced divs' design (divs.c) */
	/* definition lists (deflist.c): the style's definitions.* */
	double def_indent;
	PangoWeight term_weight;
	PangoStyle term_style;
	bool term_run_in;
	/* links in print (references.c) */
	bool link_pages;        /* links.page-numbers */
	int print_urls;         /* links.print-urls */
	GHashTable *made;       /* LINK -> its made-up nodes (references.c);
				   a worker's (parts.c): those it made, with
				   stand-in ids until joined */
	guint url_count;        /* notes of addresses made (a worker's: by it) */
	GHashTable *made_shared;/* a worker's: the book's made, read only
				   while the parts are set */
	GHashTable *made_joined;/* LINK -> made: the workers' joined, into
				   made once all parts are (gb_ts_made_settle) */
	guint made_part;        /* a worker's: its part's place from 1, for its
				   stand-in ids; 0: not a worker */
	GHashTable *link_said;  /* LINK -> what this pass set after it */
	GHashTable *link_words; /* LINK -> the gb_words (of the language of
				   the part it was set in) its page is said
				   in, this pass */
	GHashTable *link_found; /* LINK -> the folio it ends on, this pass */
	GHashTable *link_page;  /* ... the pass before */
	GHashTable *link_kept;  /* LINKs that have had a page number */
	GHashTable *url_placed; /* a note of an address's id -> its place in
				   the order of placing, from 1, this pass */
	/* parts set on all cores (parts.c) */
	struct gb_ts_par *par;  /* the workers, or NULL: one core */
	guint passes, passes_on_cores;  /* full passes run, and those whose
				   parts were set on several threads */
	GPtrArray *part_keys;   /* char *, or NULL for a part that cannot be
				   kept: the keys of this pass's parts set on
				   all cores, in order (parts.c, partkeys.c); only for a
				   build with opt->keep (serve), else NULL */
	GArray *folios;         /* a worker's: gb_ts_folio, the folios its
				   pages print, set when its pages are joined
				   to the book's and their numbers known;
				   NULL: folios are set with their pages */
} ts;

/* A folio of a worker's page, left to set (pages.c, parts.c): its box is
   a stand-in at index box of the page's boxes. */
typedef struct gb_ts_folio {
	guint page, box;        /* the page's index in the worker's layout */
	double x, y, width;
	PangoAlignment align;
	PangoLanguage *lang;    /* the context's language where it stands */
} gb_ts_folio;

/* ---- inline text: the characters of a block, with their attributes ---- */

typedef struct span {
	guint start, end;       /* bytes in the text */
	const gb_node *node;    /* LINK, NOTEREF or SPAN with an id, ANCHOR */
} span;

typedef struct seg {
	guint start;            /* byte in the text where a source node starts */
	guint len;              /* its length in bytes */
	gb_loc loc;
	const gb_node *node;    /* that node (a book's, or one made up) */
} seg;

typedef struct inl {
	GString *text;
	PangoAttrList *attrs;
	GArray *spans;          /* span: links and note marks */
	GArray *segs;           /* seg: where text came from */
	GArray *stack;          /* guint: start of the open EMPH/STRONG/LINK */
	ts *t;
	double size;
	GArray *images;         /* images in the text (inlineimage.c), or NULL */
} inl;

/* How a block of text is set. */
typedef struct setting {
	const char *family;
	double size;
	double leading;         /* baseline to baseline */
	PangoWeight weight;
	PangoStyle style;
	double first_indent;
	bool justify;
	PangoAlignment align;
	const char *tag;        /* structure type, or NULL */
	bool keep_all;          /* keep every line with the next (headings) */
	const char *dest;       /* a destination at the first line */
	const char *outline;    /* ... and an outline entry with this title */
	int outline_level;
	bool running;           /* running text: old-style figures */
	const char *figures;    /* OpenType figures instead ("lnum, tnum"), or NULL */
	bool caps;              /* words in capitals in small capitals (all
				   but code: gb_caps_word_next()) */
	bool whole_words;       /* broken at spaces only (table cells) */
	/*
	 * Text made up for a node of the book (a code block's line, its tabs
	 * expanded): its lines' boxes point at origin's text, the made-up
	 * text's byte 0 at origin_off, so that a page starting there starts
	 * in the book's tree.  origin_line is the line as origin holds it,
	 * before its tabs were expanded (NULL: the same as the text set).
	 */
	const gb_node *origin;
	size_t origin_off;
	const char *origin_line;
} setting;

/*
 * Small capitals the body's font lacks: Linux Libertine has them for
 * Latin and Greek, not for Cyrillic (НАТО, ОДКБ, ҚР).  Those letters are
 * set as its capitals, scaled to the height of its own small capitals, so
 * that a word in capitals looks the same in every script.  What the font
 * has is asked once a letter and kept on the context.
 */
typedef struct small_caps {
	GHashTable *has;        /* letter | feature bit -> 1 has, 2 lacks */
	double scale;           /* small capital height / capital height */
} small_caps;

/* The typesetter's sizes and indents saved while a note's blocks are set. */
typedef struct note_state {
	double size, leading, para_space, left, right;
	double list_indent, quote_indent, label_gap;
	bool in_note;
} note_state;

/* A fake paragraph holding text, for the book's own pages. */
typedef struct fake {
	gb_node para, text;
} fake;

/* ---- blocks ---- */
typedef struct pagination pagination;

/* The cells' widths of a table at one size (cell_widths), row by row. */
typedef struct table_measure {
	int cols, rows;
	double *cell_nat;       /* rows x cols, without padding */
	double *nat, *min, *text;  /* per column, without padding */
	bool *numeric;          /* per column: gb_numeric_columns() */
} table_measure;

/*
 * How a table is set: its size (a scale of the caption size, the padding
 * with it), its columns' widths, and whether it is turned.
 */
typedef struct table_plan {
	double scale, size, pad;
	double avail;           /* the width it is set in */
	double *w;              /* cols widths, with padding; the caller frees it */
	bool landscape;         /* on a page of its own, turned a quarter */
} table_plan;

typedef struct pager {
	ts *t;
	int roman, arabic;
	bool body;              /* arabic folios from the first chapter on */
	GPtrArray *carried;     /* note lines that did not fit */
	GPtrArray *note_open;   /* gb_box *: the tags of the notes' foot still
				   open where the page ended (a note that
				   goes on: Note, and L, LI... within it),
				   opened again on the next page; owned */
} pager;

/* A galley being laid out on pages as it is set (paginate_some). */
struct pagination {
	pager *pg;
	GPtrArray *galley;
	bool opener;            /* a new recto first, the first page sunk */
	bool furnish;           /* running heads and folios */
	const char *recto_head;
	bool headings;          /* a chapter's galley: what follows a heading
				   keeps with it, and body lines sit on the
				   page's grid */
	guint kept;             /* the items looked at for that so far */
	bool keeping;           /* the last of them follow a heading */
	guint i;                /* the first item not on a page yet */
	bool first;             /* no page made yet */
	gb_page *last_page;
	GPtrArray *open;        /* const gb_box *: the TAG_BEGIN boxes of the
				   structure elements open after the items
				   placed so far (borrowed from the pages) */
};

/*
 * Where the next page of z would go, found without changing anything: the
 * items past spaces from z->i, the notes it takes from those carried, the
 * header row it repeats.  known: an item that does not fit was met, so
 * items set later cannot change the page.
 */
typedef struct extent {
	guint start, end;       /* its items */
	guint carried;          /* how many of the notes carried it takes */
	double sink;            /* the opener's sink */
	vitem *repeat;          /* the header row it repeats, or NULL */
	bool known;
	guint float_at;         /* a float met where the page is full and
				   not at its top (its first item), or 0 */
	int stretch_lines;      /* whole lines added to the page's stretchable
				   spaces to make its foot flush */
	double stretch_frac;    /* and points added to the last of them, when
				   no line of the grid follows it */
	bool turned;            /* a page of a turned table: its items only,
				   across the text block's height, no notes */
} extent;

void gb_ts_vitem_free(vitem *v);
vitem *gb_ts_vitem_new(vkind kind, double height);
gb_box *gb_ts_vbox(vitem *v, gb_box_kind kind, double x, double y, double w, double h, const char *text);
gb_box *gb_ts_clone_box(const gb_box *b);
bool gb_ts_read_style(ts *t);
bool gb_ts_inline_fn(const gb_node *n, bool entering, void *ctx);
/* HTML's PHRASE (<small>, <kbd>, <cite>...) and ANCHOR (phrase.c) */
bool gb_ts_phrase_fn(inl *in, const gb_node *n, bool entering);
/*
 * A bracketed span (spanstyle.c), on entering and leaving it (at: the
 * text's length): small capitals (the face's smcp), an underline, its
 * language (hyphenation follows it), and a destination at its start when
 * it has an id (in->spans).  Unknown classes change nothing in print.
 */
bool gb_ts_span_fn(inl *in, const gb_node *n, bool entering, guint at);
void gb_ts_inl_init(inl *in, ts *t, double size);
void gb_ts_inl_release(inl *in);
/* The OpenType features (figures, small capitals) of a block set as s
   says, added to in's attributes (inline.c). */
void gb_ts_text_features(ts *t, inl *in, const struct setting *s);
/* The letterspacing of small capitals set at size (text.caps-spacing of
   it), a new attribute over every byte, or NULL for none; the caller
   inserts it in a list, which then owns it (inline.c). */
PangoAttribute *gb_ts_caps_spacing(const ts *t, double size);
PangoFontDescription *gb_ts_font_desc(const ts *t, const char *family, double size, PangoWeight weight, PangoStyle style);
const char *gb_ts_family_for(ts *t, const char *family, PangoWeight weight, PangoStyle style, const char *text);
small_caps *gb_ts_small_caps_of(ts *t);
bool gb_ts_has_small_cap(ts *t, gunichar u, bool smcp);
bool gb_ts_face_has_small_cap(ts *t, const char *family, PangoWeight weight, PangoStyle style,
			      gunichar u, bool smcp);
gb_glyphs *gb_ts_one_line(ts *t, const char *text, const PangoFontDescription *fd, PangoAttrList *attrs, double width, PangoAlignment align, bool ellipsize, double *x);
void gb_ts_note_enter(ts *t, note_state *s);
void gb_ts_note_leave(ts *t, const note_state *s);
char *gb_ts_item_label(const gb_node *list, const gb_node *item, int n);
/* The text's figures (onum when text.figures is oldstyle-nums) for a
   label set alone, or NULL; the caller unrefs it (inline.c). */
PangoAttrList *gb_ts_text_figures(ts *t);
/* A list's items' indent; a quotation's both sides indented (dir 1) or
   back (-1) (blocks.c). */
double gb_ts_list_indent_of(ts *t, const gb_node *list);
void gb_ts_indent_quote(ts *t, int dir);
/* Whether line i of a block's n lines keeps with the next (inline.c): the
   rule against orphans and widows that the page builder obeys. */
bool gb_ts_keeps_with_next(const setting *s, int i, int n);
/* The cost of a page break after a line that ends in a hyphen (TeX's
   \brokenpenalty): allowed, but weighed as a page one line short. */
#define GB_TS_BROKEN_PENALTY 100.0
int gb_ts_set_lines(ts *t, const gb_node *block, const setting *s, const char *prefix, GPtrArray *out, double width, double left);
void gb_ts_add_space(ts *t, double h);
void gb_ts_add_block_space(ts *t, double h);
void gb_ts_add_mark(GPtrArray *out, bool begin, const char *tag, bool keep);
const gb_node *gb_ts_fake_para(fake *f, const char *text);
setting gb_ts_body_setting(ts *t);
void gb_ts_set_blocks(ts *t, const gb_node *first, pagination *z);
void gb_ts_set_block(ts *t, const gb_node *b, const gb_node *prev);
/* Pandoc's fenced divs and line blocks (divs.c): their design read from
   the style into t->divs (false, told, when a value is out of range). */
bool gb_ts_read_divs_style(ts *t);
void gb_ts_set_div(ts *t, const gb_node *div);
void gb_ts_set_line_block(ts *t, const gb_node *p);
bool gb_ts_plan_table(ts *t, const gb_node *table, int cols, table_plan *p);
void gb_ts_set_table(ts *t, const gb_node *table);
char *gb_ts_roman(int n);
void gb_ts_paginate_start(pagination *z, pager *pg, GPtrArray *galley, bool opener, const char *recto_head, bool furnish, bool headings);
void gb_ts_paginate_some(pagination *z, bool all);
/*
 * The page builder (pages.c): a galley of vitems in, pages out (onto
 * pg->t->lay).  It reads the page geometry of the ts behind pg, so a
 * unit test needs one with the page fields set (pw, ph, top, bottom,
 * body_h, ...), not a book.
 */
void gb_ts_paginate(pager *pg, GPtrArray *galley, bool opener, const char *recto_head, bool furnish);
/* The folio f of a worker's page, set on page (now the book's, its label
   its own) with t's fonts, in place of its stand-in (pages.c). */
void gb_ts_folio_set(ts *t, gb_page *page, const gb_ts_folio *f);
/* Sets part p onto pg's pages, opening on a recto (typeset.c). */
void gb_ts_set_part(ts *t, pager *pg, const gb_node *p);
/*
 * Parts on all cores (parts.c).  gb_ts_par_new() makes t's workers (one
 * font map, Pango context and hyphenator each, on fc) when the book has
 * parts enough and the machine cores; gb_ts_par_free() merges the words
 * they shaped into t's shape cache and frees them (their font maps live on
 * with t->map's: the pages' glyphs hold their fonts).
 * gb_ts_set_parts() sets the parts from first on, each on a worker on
 * pages of its own, and joins them to pg's in order (folios, labels, what
 * the pass collects, diagnostics) as if set one after another; false,
 * having set none, when they are to be set here, one by one.
 */
/* The font map and context text is measured and shaped with, on fc, into
   t->map and t->pc (typeset.c). */
void gb_ts_open_pango(ts *t, FcConfig *fc);
void gb_ts_par_new(ts *t, FcConfig *fc);
void gb_ts_par_free(ts *t);
/* Frees k's workers (gb_typeset_keep_clear): their words to k->pc's,
   their font maps living as long as k->map. */
void gb_ts_par_slots_free(struct gb_typeset_keep *k);
bool gb_ts_set_parts(ts *t, pager *pg, const gb_node *first);
/*
 * gb_ts_par_keys_keep() gives k the keys of the last pass's parts set on
 * all cores (t->part_keys, which it frees), counting those the build
 * before had too (k->parts_same); k NULL: only frees them.
 */
void gb_ts_par_keys_keep(ts *t, struct gb_typeset_keep *k);
/*
 * partkeys.c: part p's key, as it starts in language lang with the notes
 * noted set before it (a string the caller frees, or NULL: its pages
 * cannot be kept); *url_notes set when a link of it makes a note of its
 * address.  The digest of what worker w set (a string the caller frees).
 */
char *gb_ts_part_key(const ts *t, const gb_node *p, PangoLanguage *lang,
		     GHashTable *noted, bool *url_notes);
char *gb_ts_part_digest(const ts *w);
/*
 * The notes of addresses a worker made (references.c): numbered in the
 * order one core meets them, one part after another, when its part is
 * joined: gb_ts_made_join() gives worker w's the numbers on from t's and
 * renames their stand-in ids in w's pages, found destinations, placed
 * notes and notes set (before parts.c's join moves them to t's), and keeps
 * them in t->made_joined; gb_ts_made_settle() moves those into t->made
 * once every part is joined (the workers read t->made until then).
 */
void gb_ts_made_join(ts *t, ts *w);
void gb_ts_made_settle(ts *t);
void gb_ts_free_galley(GPtrArray *g);
void gb_ts_line_of(ts *t, const char *text, setting *s);
double gb_ts_galley_height(const GPtrArray *g);
void gb_ts_title_page(ts *t, pager *pg);
void gb_ts_copyright_page(ts *t, pager *pg);
/* The title of the contents or the index, set as a chapter's heading on
   t's galley, with its destination (and outline entry: front.c). */
void gb_ts_page_title(ts *t, const char *title, const char *dest, bool outline);
void gb_ts_contents_pages(ts *t, pager *pg);
/* The index after the last part, when book.yaml asks for one
   (indexpages.c): its page numbers are the last pass's. */
void gb_ts_index_pages(ts *t, pager *pg);
char *gb_ts_part_head(const gb_node *part);
const char *gb_ts_fit_head(ts *t, const char *head, gb_loc loc, const char *where);
/* The top and bottom margins grown so that running heads and folios lie
   inside the printer's safety margin (opt->safety).  False after
   reporting that the page is then too small. */
bool gb_ts_keep_furniture_safe(ts *t);
/* The inside and outside margins grown so that what hangs into them (a
   footnote's number, a protruding character) lies inside the printer's
   safety margin (state.c).  False after reporting that the page is then
   too small. */
bool gb_ts_keep_hangs_safe(ts *t);
gb_loc gb_ts_meta_key_loc(const ts *t, const char *key);
char *gb_ts_cache_id(ts *t);
/*
 * Images (imagesize.c): the file of img, the caller frees it; and its
 * printed size, in points: at the style's resolution (an SVG at 96
 * pixels an inch), default_h high if above 0, or as its attributes say
 * (width: % of avail; height: % of the text block; px at 96 an inch; em
 * of em), the other side keeping its shape; then scaled down as one to
 * at most avail wide and max_h high.  A raster image printing below the
 * printer profile's image-dpi is a warning.  False after an error (the
 * file cannot be read).
 */
char *gb_ts_image_path(const ts *t, const gb_node *img);
bool gb_ts_image_size(ts *t, const gb_node *img, const char *path, double avail,
		      double max_h, double em, double default_h, double *w, double *h);
/*
 * An image in a line of text (inlineimage.c): gb_ts_inline_image() puts
 * img into in's text (an object replacement character as wide as the
 * picture: figure.inline-height ems high, or its own size, at most a
 * line high); gb_ts_line_images() adds the pictures of the line of
 * in's text [ls, le) to v (Figure elements with their alt text), the
 * line's glyphs starting at x0, on its baseline.  The alt text as cairo's
 * tag attribute ("alt='...'"): the caller frees it.
 */
void gb_ts_inline_image(inl *in, const gb_node *img);
void gb_ts_line_images(const inl *in, vitem *v, guint ls, guint le,
		       const gb_glyphs *glyphs, double x0, double baseline);
void gb_ts_inline_images_free(inl *in);
char *gb_ts_alt_attr(const char *alt);
/* Definition lists (deflist.c): the style's definitions.* read (false
   after reporting), a DEFLIST set, and the definitions' indent taken
   (dir 1) or given back (dir -1) as tables are planned. */
bool gb_ts_read_deflist_style(ts *t, double em);
void gb_ts_set_deflist(ts *t, const gb_node *dl);
void gb_ts_deflist_indent(ts *t, int dir);
/*
 * Links in print (references.c): gb_ts_read_links() reads links.* of the
 * style; gb_ts_link_end() ends a link's span in in (its text [start,
 * end)) and sets what print adds after it (its target's page, its
 * address or its note's mark); gb_ts_link_placed() notes the page a LINK
 * box (its source the LINK) is placed on; gb_ts_links_begin() starts a
 * pass; gb_ts_links_end() after it: whether what the links said is what
 * the pass's pages (dest -> folio) say, warning of each that is not when
 * warn (the last pass); gb_ts_links_free() at the end.
 */
bool gb_ts_read_links(ts *t);
/* The mark of the k-th note of an address on a page ("*", "\u2020", ...,
   "**": GB_TS_SINGLE_MARKS single ones, then doubled; the caller frees
   it), and whether link's address is set in a
   note of its own (links.print-urls: footnote; but a link in a note
   prints its address after it). */
#define GB_TS_SINGLE_MARKS 6
char *gb_ts_url_mark(guint k);
bool gb_ts_link_has_note(const ts *t, const gb_node *link);
void gb_ts_link_end(inl *in, const gb_node *link, guint start, guint end);
void gb_ts_link_placed(ts *t, const gb_box *b, const gb_page *page);
void gb_ts_links_begin(ts *t);
bool gb_ts_links_end(ts *t, GHashTable *pages, bool warn);
void gb_ts_links_free(ts *t);

#endif
