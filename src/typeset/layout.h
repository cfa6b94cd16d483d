/*
 * layout.h - the typeset book: pages of positioned boxes.
 *
 * The typesetter (typeset.h) turns the document tree into a gb_layout; a
 * device draws it: the Cairo PDF device (pdf.h) for the edition, the text
 * dump (gb_layout_dump) for tests.  Layout never draws and devices never
 * lay out, as in mandoc's term.h.
 *
 * Units are PostScript points; y grows downwards from the top of the trim
 * box.  Boxes come in drawing order; TAG_BEGIN/TAG_END boxes nest (across
 * pages too) and give the PDF its logical structure.
 *
 * Ownership: a gb_layout owns its pages, boxes and strings; a text box
 * holds a reference to its gb_glyphs.  Free it with gb_layout_free().
 */
#ifndef GB_LAYOUT_H
#define GB_LAYOUT_H

#include <glib.h>
#include <pango/pango.h>
#include <stdbool.h>

#include "design/pages.h"

typedef enum gb_box_kind {
	GB_BOX_TEXT,       /* a shaped line of text, drawn at its baseline */
	GB_BOX_RULE,       /* a filled rectangle: rules, table lines */
	GB_BOX_LINK,       /* a clickable rectangle: url, or "#name" inside */
	GB_BOX_DEST,       /* a named destination at (x, y) */
	GB_BOX_TAG_BEGIN,  /* opens a structure element: tag, attributes */
	GB_BOX_TAG_END,    /* closes the innermost open element */
	GB_BOX_IMAGE,      /* a PNG image scaled into (x, y, w, h) */
} gb_box_kind;

/*
 * A shaped line: runs of glyphs (PangoGlyphItem, in visual order) over the
 * line's own characters, drawn left to right from the left end of its
 * baseline.  It keeps no PangoLayout alive, only the runs' fonts.
 * Reference counted: gb_glyphs_new() and gb_glyphs_from_line() return one
 * reference, gb_glyphs_unref() drops one (atomically: pages drawn on two
 * threads share lines).
 */
typedef struct gb_glyphs {
	int refs;
	char *text;            /* the characters the runs' items index */
	GPtrArray *runs;       /* PangoGlyphItem *, owned; NULL once packed:
				  read them with gb_glyphs_runs() */
	/* packed (gb_glyphs_pack): one block (owned) of each run's
	   PangoItem * (owned), n_items of them, then the runs' glyphs in a
	   few bytes each; NULL while not packed */
	guint8 *packed;
	guint n_items;
	/* as the line breaker set it (linebreak.h, margin kerning and font
	   expansion): the line is drawn scaled horizontally by 1 + expand
	   from its left end (its glyphs' advances are the font's, unscaled;
	   gb_glyphs_width() and gb_glyphs_x_range() give them scaled), and
	   its first and last characters hang hang_left and hang_right
	   points into the margins (the box starts hang_left before the
	   measure).  0: not so. */
	double expand;
	double hang_left, hang_right;
} gb_glyphs;

/* An empty line over text (taken: freed with the line). */
gb_glyphs *gb_glyphs_new(char *text);
/* Appends a run of item and glyphs (both taken). */
void gb_glyphs_add_run(gb_glyphs *g, PangoItem *item, PangoGlyphString *glyphs);
/* The first glyph of gs (left to right: its clusters go up) whose cluster
   starts at byte i of its item or later; gs->num_glyphs when none does. */
int gb_glyphs_first_at(const PangoGlyphString *gs, int i);
/* Appends the glyphs of bytes [a, b) of run, a left-to-right run over
   text; a and b lie on cluster boundaries.  The new run's item indexes g's
   text, which starts at byte base of text. */
void gb_glyphs_add_slice(gb_glyphs *g, const PangoGlyphItem *run, const char *text,
			 int a, int b, int base);
/* Joins neighbouring runs of the same font and features into one (the
   device then draws a line in fewer pieces). */
void gb_glyphs_merge_runs(gb_glyphs *g);
/* A copy of a line of a PangoLayout (the layout can go). */
gb_glyphs *gb_glyphs_from_line(PangoLayoutLine *line);
gb_glyphs *gb_glyphs_ref(gb_glyphs *g);
/*
 * Packs a finished line's glyphs (a PangoGlyphInfo and a cluster are 24
 * bytes; packed, a glyph takes about 6): a book's set lines are its
 * largest holder of memory until they are drawn.  The line reads the
 * same afterwards, through gb_glyphs_runs() and the functions below;
 * nothing may add to or change its runs any more.  A line whose runs
 * carry offsets of their own (PangoGlyphItem's) stays as it is.
 */
void gb_glyphs_pack(gb_glyphs *g);
/* The runs of g (PangoGlyphItem *, as g->runs): a reference the caller
   drops with g_ptr_array_unref(); made anew from the packed form, glyph
   for glyph the same, when g is packed (their items are still g's). */
GPtrArray *gb_glyphs_runs(const gb_glyphs *g);
/* The number of runs of g, and run i's item (g's: not to be freed), without
   unpacking its glyphs (e.g. to find the fonts a page uses). */
guint gb_glyphs_n_runs(const gb_glyphs *g);
const PangoItem *gb_glyphs_item(const gb_glyphs *g, guint i);
void gb_glyphs_unref(gb_glyphs *g);
/* The advance width, points, as drawn (scaled by 1 + expand). */
double gb_glyphs_width(const gb_glyphs *g);
/* The advance of one run, Pango units. */
int gb_run_width(const PangoGlyphItem *gi);
/* The logical extents, as Pango gives a line's: the ascent above the
   baseline and the height, points.  The runs in a face of the family list
   fallbacks (NULL-terminated, or NULL) count only when every run is in one:
   a character the line's own face lacks does not move its baseline. */
void gb_glyphs_extents(const gb_glyphs *g, char *const *fallbacks,
		       double *ascent, double *height);
/* Where the characters text[start, end) lie: x0 and x1 from the line's
   left end, points.  False when none of them has a glyph. */
bool gb_glyphs_x_range(const gb_glyphs *g, guint start, guint end,
		       double *x0, double *x1);

typedef struct gb_box {
	gb_box_kind kind;
	double x, y;           /* TEXT: left end of the baseline; others: top left */
	double w, h;           /* TEXT: advance width, 0; RULE, LINK, IMAGE: size */
	gb_glyphs *glyphs;     /* TEXT: the shaped line (a reference held) */
	char *text;            /* TEXT: its characters, for the dump and tests;
				  LINK: the target; DEST: the name;
				  TAG_BEGIN: the structure type ("P", "H1");
				  IMAGE: the file's path */
	char *attrs;           /* TAG_BEGIN: cairo tag attributes, or NULL */
	const void *source;    /* TEXT: the node (gb_node) of the book whose
				  text its first character comes from (TEXT,
				  CODE, or the CODE_BLOCK a line of code is
				  in), or NULL; IMAGE: the figure's IMAGE node */
	size_t source_off;     /* ... and the byte in that node's text */
} gb_box;

/* One entry of the PDF outline (bookmarks). */
typedef struct gb_outline {
	int level;             /* 1, 2, 3 */
	char *title;
	char *dest;            /* the named destination it opens */
} gb_outline;

typedef struct gb_page {
	int number;            /* physical, from 1 */
	char *label;           /* the folio as printed and as page label: "iii", "7" */
	bool recto;
	double left;           /* the text block's left edge */
	const void *source;    /* where the page starts: the source of its
				  first TEXT or IMAGE box that has one (the
				  one place that decides it), or NULL */
	size_t source_off;     /* ... and the byte in that node's text */
	GPtrArray *boxes;      /* gb_box *, owned */
	/*
	 * A page whose content is turned a quarter (a table too wide for
	 * the measure, set across the text block's height): its first
	 * `turned` boxes lie in a frame turned a quarter counterclockwise,
	 * so that the reader turns the book clockwise to read it; the
	 * frame's x runs up the page from (turn_x, turn_y), its y to the
	 * right.  The page itself stays upright, and so do the boxes after
	 * those (running head and folio).  0: nothing is turned.
	 */
	guint turned;
	double turn_x, turn_y;
} gb_page;

typedef struct gb_layout {
	double width, height;  /* the trim size */
	double block_top, block_bottom;  /* the text block: running heads and
					    folios lie outside it */
	double measure;        /* the text block's width */
	GPtrArray *pages;      /* gb_page *, owned */
	GPtrArray *outline;    /* gb_outline *, owned, in order */
	/* document metadata, for the PDF's Info */
	char *title, *author, *subject, *keywords, *lang;
	char **authors;        /* the authors, one a string, NULL-ended (the
				  XMP's dc:creator: one rdf:li each); author
				  is them joined in the book's words */
	gint64 created;        /* seconds since the epoch (UTC) */
	void *fontmap;         /* the PangoFontMap of the glyphs' fonts, a
				  reference held: their extents need it after
				  the typesetter is gone (NULL: none) */
} gb_layout;

gb_layout *gb_layout_new(double width, double height);

/* A box not yet on a page (the caller owns it; text is copied). */
gb_box *gb_box_new(gb_box_kind kind, double x, double y, double w,
		   double h, const char *text);

/* Frees a box not (or no longer) on a page, with its glyphs' reference. */
void gb_box_free(gb_box *b);
void gb_layout_free(gb_layout *lay);

gb_page *gb_layout_add_page(gb_layout *lay, bool recto);

/*
 * Frees the boxes of p (and the references their glyphs held), once they
 * are drawn: the page keeps its number, label, side, left edge and start
 * (source), and takes boxes again as a new page would; nothing is turned.
 * gb_pdf_render_freeing() calls it on each page it has drawn, so that a
 * book's drawn lines do not stay in memory while the PDF is finished.
 */
void gb_page_free_boxes(gb_page *p);

/* Where the point (x, y) of a box of p lies on the page: turned when the
   box (index i) is one of p's turned ones. */
void gb_page_point(const gb_page *p, guint i, double x, double y, double *px,
		   double *py);

/* Boxes, appended to page; the page owns them.  Strings are copied;
   a text box takes a new reference to its glyphs. */
gb_box *gb_page_add_text(gb_page *page, double x, double y,
			 gb_glyphs *glyphs, const char *text);
gb_box *gb_page_add_rule(gb_page *page, double x, double y, double w, double h);
gb_box *gb_page_add_link(gb_page *page, double x, double y, double w,
			 double h, const char *target);
gb_box *gb_page_add_dest(gb_page *page, double x, double y, const char *name);
gb_box *gb_page_add_tag(gb_page *page, const char *tag, const char *attrs);
gb_box *gb_page_end_tag(gb_page *page);
gb_box *gb_page_add_image(gb_page *page, double x, double y, double w,
			  double h, const char *path);

void gb_layout_add_outline(gb_layout *lay, int level, const char *title,
			   const char *dest);

/*
 * Counts paragraphs ("P" elements: paragraphs and code blocks; "LBody":
 * a list item's first paragraph) that leave a single line at the foot of
 * a page (orphans) or carry a single line over to the next (widows).
 */
void gb_layout_widows(const gb_layout *lay, int *widows, int *orphans);

/*
 * The layout as text, for tests: a "page N LABEL recto|verso" line per
 * page, then a line per box with its kind, position and size (points, 2
 * decimals) and its text; a text line set expanded or hanging into the
 * margins says so before its text ("expand=+1.0%", "hang=0.00,1.64": left
 * and right, points).  Appended to out.
 */
void gb_layout_dump(const gb_layout *lay, GString *out);

/*
 * Where each page of lay starts in the text (design/pages.h), for the
 * EPUB's page list.  The caller frees the array (g_array_unref); it
 * borrows lay's labels and the book's nodes.
 */
GArray *gb_layout_page_starts(const gb_layout *lay);
/* The page label of each named destination of lay (id -> label, the
   last page it is on, as the passes count it; the ids are the table's own
   copies, so that the pages' boxes can go (gb_page_free_boxes); the labels
   are borrowed from lay: the caller destroys the table first): the EPUB's
   index takes its page numbers from it. */
GHashTable *gb_layout_dest_pages(const gb_layout *lay);

#endif
