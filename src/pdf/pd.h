/*
 * pd.h - the PDF device's private types, shared by its files: device.c (the
 * structure tags' scan, drawing boxes, pictures, links, marks and the
 * outline with Cairo), glyphs.c (a shaped line's glyphs, underlines and
 * strike-throughs), artifacts.c (PDF/UA's artifacts marked in the content
 * streams), early.c (those content streams rewritten while cairo draws
 * the next pages, on a thread of its own), finish.c (the finish with libqpdf: catalog,
 * XMP, structure fixes, boxes, written by pdfcopy.c), booklet.c (a page
 * drawn alone, booklet imposition, metadata) and pdf.c (a layout drawn,
 * at once or while the book is set in a thread, gb_pdf_render).
 *
 * Ownership: a render context and a doc are one drawing's; the finished
 * bytes are the caller's.
 */
#ifndef GB_PD_H
#define GB_PD_H

/*
 * pdf.c - the Cairo PDF device: a gb_layout drawn with Cairo, then
 * finished with libqpdf.
 *
 * Cairo 1.16 draws the pages, the structure tree, the links, the named
 * destinations, the outline and the page labels.  What it gets wrong or
 * cannot do is mended afterwards with libqpdf, in memory:
 *
 *   - its Info dates lack the "D:" prefix: they are written again;
 *   - it gives the outline root a negative /Count: counted again;
 *   - pages with links lack /Tabs /S, URI links a /Contents, and (in
 *     some builds) link structure elements an OBJR to their annotation;
 *   - structure elements cannot carry /Alt, /Lang or /ActualText: they are
 *     taken from the tags' attributes (alt='...') and set on the elements;
 *   - no /Lang, /ViewerPreferences or XMP metadata in the catalog;
 *   - no trailer /ID: one is derived from the content, and the XMP's
 *     document and instance IDs from the content as drawn;
 *   - for PDF/X-4 (and --gray), every colour is DeviceRGB: black and
 *     grays are rewritten as DeviceGray in the content streams
 *     (colour.c), and under a CMYK or gray output intent each page's
 *     resources give DeviceRGB an ICC profile (/DefaultRGB).
 *
 * libqpdf reads cairo's file and changes what needs changing; the edition
 * is then written by pdfcopy.h: the objects changed as libqpdf has them,
 * the others copied as cairo wrote them.
 *
 * Cairo 1.16 marks content only inside leaf structure elements: the text
 * of a paragraph that holds a link (a Link child) would be left out of the
 * structure.  So the content an element with children draws itself goes
 * into Span (text) and Figure (images) children, except text right inside
 * grouping elements (Sect, Table), which is taken for furniture and stays
 * unmarked, as does content outside every element and in Artifact tags:
 * cairo 1.16 cannot mark artifacts as such.  An Artifact met where its
 * content would be marked is drawn later on the page, where it is not.
 * For PDF/UA (the screen profile), the finish then marks all that
 * unmarked content /Artifact in the content streams (artifacts.c).
 */
#include "pdf/pdf.h"
#include "source/meta.h"
#include "pdf/pdfcopy.h"
#include "typeset/picture.h"
#include <qpdf/qpdf-c.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <math.h>
#include <string.h>

#ifndef GB_VERSION

#define GB_VERSION "unknown"

#endif

/* The pages a book needs before it is drawn in two parts, on two threads
   (pdf.c, join.c): below it the gain (~40 ms at 150 pages, with two
   cores free) is lost in the noise and not worth the second set of font
   subsets, and a book keeps one surface and its bytes (README). */
#define GB_PD_SPLIT_PAGES 250

/* How a structure type of the layout is drawn. */
typedef enum tag_use {
	TAG_OPEN,           /* a cairo structure element */
	TAG_TRANSPARENT,    /* none: its content belongs to its parent */
	TAG_ARTIFACT,       /* none, and its content is never wrapped */
} tag_use;

/* What a structure element gets in the post-processing. */
typedef struct elem_extra {
	char *alt, *lang, *actual;
	char *id;           /* its /ID (a Note's, as PDF/UA wants), or NULL */
} elem_extra;

/* A tag open on the stack while drawing. */
typedef struct open_tag {
	const char *name;   /* the cairo tag it opened, or NULL */
	const char *type;   /* the element its content belongs to ("P") */
	bool parent;        /* that element has structure children */
	int elem;           /* its index in render.elems, or -1 */
	bool artifact;      /* inside an Artifact */
	const char *art;    /* that Artifact's property list (static), or NULL */
} open_tag;

/*
 * Where a page drew something its structure does not hold (in an Artifact,
 * a rule, text right inside a grouping element, crop marks), and what the
 * finish marks it as: each artifact in the content stream takes the
 * property list of the place nearest its first point (artifacts.c).
 */
typedef struct gb_pd_art {
	double x0, y0, x1, y1;  /* on the sheet, from its top left, in pt */
	const char *props;      /* "<< /Type /Pagination ... >>" (static) or
				   NULL: as the content is (text: Pagination,
				   else Layout) */
} gb_pd_art;

/* The state of one gb_pdf_render(). */
typedef struct render {
	const gb_layout *lay;
	const gb_pdf_options *opt;
	gb_diag *d;
	cairo_surface_t *surface;
	cairo_t *cr;
	GHashTable *parents;/* the TAG_BEGIN boxes of elements with children */
	GArray *stack;      /* open_tag, the innermost last */
	const char *wrap;   /* the automatic element open ("Span"), or NULL */
	GHashTable *dests;  /* names of the destinations drawn */
	GHashTable *targets;/* names linked to */
	GPtrArray *elems;   /* elem_extra * or NULL, per structure element in
			       the order cairo creates them */
	GPtrArray *arts;    /* PDF/UA: per page drawn, a GArray of gb_pd_art;
			       else NULL */
} render;

/*
 * A walk over the layout's tags, page by page, before they are drawn:
 * checks that every type is known and that they nest, and finds the
 * elements that have structure children (a Link for each LINK box), which
 * cairo must know before the element's first page.  Everything inside an
 * Artifact is an artifact.
 */
typedef struct scan {
	GHashTable *parents;    /* the TAG_BEGIN boxes of those elements */
	GPtrArray *stack;       /* per open tag: its TAG_BEGIN box if an
				   element, else NULL */
	guint artifacts;        /* open Artifact tags */
	bool ua;                /* PDF/UA: an element an Artifact is met in
				   has children, so that what it draws itself
				   goes into them and the Artifact, drawn
				   later in it, is left unmarked */
	GArray *in_artifact;    /* per open tag: whether it is one */
	int bad;                /* errors reported */
} scan;

/* ---- drawing a layout ---- */

/* One PDF being drawn: the walk over its tags, the drawing, cairo's output. */
typedef struct doc {
	render r;
	scan sc;
	GByteArray *raw;
	qpdf_data q;            /* libqpdf's work on raw, or NULL */
	char iso[32], pdf_date[32];
	bool drawn;             /* no page failed to draw */
	bool stopped;           /* drawing has stopped */
	guint pages;            /* pages drawn */
	struct gb_pd_early *early;  /* their contents rewritten meanwhile, or NULL */
} doc;

void gb_pd_extra_free(void *p);
cairo_status_t gb_pd_write_bytes(void *closure, const unsigned char *data, unsigned int length);
void gb_pd_scan_init(scan *s);
void gb_pd_scan_free(scan *s);
void gb_pd_scan_page(scan *s, const gb_page *p, gb_diag *d);
bool gb_pd_scan_end(scan *s, gb_diag *d);
int gb_pd_add_elem(render *r, elem_extra *extra);
bool gb_pd_draw_image(render *r, const gb_box *b);
void gb_pd_show_glyphs(cairo_t *cr, const gb_glyphs *g, double x, double y);
void gb_pd_turn(cairo_t *cr, const gb_page *p);
void gb_pd_trim_origin(const gb_pdf_options *o, const gb_page *p, double *x, double *y);
void gb_pd_media_size(const gb_pdf_options *o, const gb_layout *lay, double *w, double *h);
/* Room for marks around the bleed (a booklet's sheet), on each side. */
double gb_pd_mark_room(const gb_pdf_options *o);
bool gb_pd_draw_page(render *r, const gb_page *p);
bool gb_pd_add_outline(render *r);
bool gb_pd_check_targets(render *r);
bool gb_pd_format_dates(gint64 t, char iso[32], char pdf[32]);
GBytes *gb_pd_finish_pdf(const gb_layout *lay, const gb_pdf_options *opt, const GByteArray *raw, const GPtrArray *elems, const char *iso, const char *pdf_date, gb_diag *d, qpdf_data *keep);
/* gb_pd_finish_pdf() with where each page drew its artifacts (render.arts:
   what PDF/UA's artifacts are marked as) and the pages rewritten while
   drawn (early, joined, or NULL) */
typedef struct gb_pd_early gb_pd_early;
GBytes *gb_pd_finish_tagged(const gb_layout *lay, const gb_pdf_options *opt, const GByteArray *raw, const GPtrArray *elems, const GPtrArray *arts, gb_pd_early *early, const char *iso, const char *pdf_date, gb_diag *d, qpdf_data *keep);
GBytes *gb_pd_render_booklet(const gb_layout *lay, const gb_pdf_options *opt, gb_diag *d);
void gb_pd_set_metadata(cairo_surface_t *s, const gb_layout *lay, const char *iso);

/* The property list of an Artifact tag's attributes ("Pagination
   Header", "Layout", ...: layout.h), or NULL if they name none. */
const char *gb_pd_art_props(const char *attrs);
/*
 * artifacts.c: the content stream s[0, n) of a page sheet_h pt tall with
 * every graphics object outside structure content (a marked-content
 * sequence with an MCID) wrapped in `/Artifact <<...>> BDC ... EMC`, the
 * property list that of the place of arts[0, narts) nearest the run's
 * first point; the caller unrefs it.  NULL, with *why, if the stream
 * cannot be read.
 */
GByteArray *gb_pd_mark_artifacts(const guint8 *s, gsize n, const gb_pd_art *arts,
				 guint narts, double sheet_h, const char **why);
/* What gb_pd_rewrite_contents() does to each page's content stream. */
typedef struct gb_pd_rewrite {
	bool artifacts;     /* PDF/UA: unmarked content marked /Artifact */
	bool gray;          /* neutral colours (r = g = b) in DeviceGray */
	const GPtrArray *arts;  /* the artifacts' places, per page (as
				   render.arts), or NULL */
	double sheet_h;     /* the pages' height, pt */
	gb_pd_early *early; /* the pages rewritten while drawn, or NULL */
} gb_pd_rewrite;

/* finish.c: appends to ids the numbers of the structure elements under
   tree (the StructTreeRoot's object), in the order cairo created them (the
   tree's, depth first), read in cairo's bytes as c has them; false if an
   object is not written as cairo 1.16 writes it (ids then partial). */
bool gb_pd_raw_elements(const gb_pdf_copy *c, int tree, GArray *ids);
/* What the finish does to opt's pages (lay's height): false if it leaves
   their content as cairo wrote it (rw->arts and rw->early: NULL). */
bool gb_pd_rewrite_of(const gb_pdf_options *opt, const gb_layout *lay, gb_pd_rewrite *rw);
/* artifacts.c: the content s[0, n) of a page rewritten as rw says (a: the
   page's artifacts' places, or NULL); NULL, with *why, if it cannot be
   read.  The caller unrefs it. */
GByteArray *gb_pd_rewrite_page(const guint8 *s, gsize n, const gb_pd_rewrite *rw,
			       const GArray *a, const char **why);
/* m compressed as cairo compresses (zlib's default level: the same input
   gives the same bytes), or NULL if zlib fails; the caller unrefs it. */
GBytes *gb_pd_deflate(const GByteArray *m);

/*
 * early.c: the pages' contents rewritten (gb_pd_rewrite_page) and
 * compressed on a thread of its own while cairo draws the next pages.
 * gb_pd_early_new() starts the thread (rw is copied; its arts unused);
 * after cairo has shown page i, gb_pd_early_page() finds the page's
 * content stream in raw[from, raw->len), cairo's output since the page
 * began, and hands a copy of it and the page's artifacts' places a (a
 * reference taken) to the thread.  gb_pd_early_join() waits for it;
 * then gb_pd_early_done() says whether page i, whose content is object
 * id in the file, was rewritten (a page whose stream was not found, or
 * that failed, is left to the finish, which reports why), and
 * gb_pd_early_take() gives that page's compressed content (the caller's).
 * gb_pd_early_free() (joining first) frees the rest.
 */
gb_pd_early *gb_pd_early_new(const gb_pd_rewrite *rw);
void gb_pd_early_page(gb_pd_early *e, const GByteArray *raw, gsize from, guint i,
		      GArray *a);
void gb_pd_early_join(gb_pd_early *e);
bool gb_pd_early_done(const gb_pd_early *e, guint i, int id);
GBytes *gb_pd_early_take(gb_pd_early *e, guint i);
void gb_pd_early_free(gb_pd_early *e);
/* Joins e and from, then gives e from's pages as its pages at, at + 1,
   ...: their objects numbered through map (count entries; 0: none), as
   gb_pd_join() renumbered them (e's pages from at on are dropped). */
void gb_pd_early_adopt(gb_pd_early *e, gb_pd_early *from, guint at, const int *map,
		       int count);

/*
 * join.c: cairo's PDFs a (of pages_a pages) and b, drawn of one book's
 * consecutive pages from a part boundary, made one as cairo would have
 * written it: b's pages, structure, parent tree keys, labels and named
 * destinations after a's, b's objects renumbered after a's: *map, of
 * *count entries, b's object numbers in the joined file (0: left out; the
 * caller's, g_free).  NULL after reporting why; the caller frees the bytes.
 */
GByteArray *gb_pd_join(const GByteArray *a, const GByteArray *b, guint pages_a,
		       int **map, int *count, gb_diag *d);

/* Each page's content of q so rewritten, written again through c.  False
   after reporting why (libqpdf's own error: left to the caller). */
bool gb_pd_rewrite_contents(qpdf_data q, gb_pdf_copy *c, const gb_pd_rewrite *rw,
			    gb_diag *d);

/* artifacts.c's reader of content streams, for the other passes over them. */
typedef enum gb_pd_tok {
	GB_PD_END, GB_PD_OPERAND, GB_PD_DICT_OPEN, GB_PD_DICT_CLOSE, GB_PD_NAME,
	GB_PD_OPERATOR, GB_PD_BAD,
} gb_pd_tok;

/*
 * The token of s[0, n) from *at: its bytes s[*from, *at) after the call.
 * Strings, numbers, arrays' brackets, booleans and null are operands; an
 * inline image's data is skipped after its ID operator.  GB_PD_BAD when a
 * string, hex string or inline image does not end.
 */
gb_pd_tok gb_pd_next_token(const guint8 *s, gsize n, gsize *at, gsize *from);

/*
 * colour.c: the content stream s[0, n) with its neutral colour operators
 * (r g b rg, RG with r = g = b) as DeviceGray (r g, G); the caller unrefs
 * it.  NULL, with *why, if the stream cannot be read.
 */
GByteArray *gb_pd_gray_colours(const guint8 *s, gsize n, const char **why);

/*
 * marks.c: where a booklet's pages go on its sheet: their scale, and the
 * top left corner of the left page's trim, from the media's top left.
 */
void gb_pd_booklet_place(const gb_pdf_options *o, const gb_layout *lay, double *scale,
			 double *x0, double *y0);
/*
 * The printer's marks (o->marks) on every page of q, in registration
 * colour: an interior's crop marks; a booklet sheet's trim and fold
 * marks.  Each page's /Contents becomes [marks, content]: the finish's
 * last change to the pages' contents, after any that reads them through
 * libqpdf (which cannot see the new objects).
 */
bool gb_pd_add_marks(qpdf_data q, gb_pdf_copy *c, const gb_layout *lay,
		     const gb_pdf_options *o);

/* What gb_pd_fill_picture() drew. */
typedef struct gb_pd_fill {
	double pw, ph;      /* the picture's size: pixels (a raster) or pt */
	double scale;       /* drawn at scale times that */
	bool raster;        /* not a vector picture (SVG) */
} gb_pd_fill;

/*
 * wrap.c: draws the picture at path (named name in messages) over the
 * rectangle x, y, w, h of cr, scaled as one to fill it and centred, what
 * overflows cut off; *fill says how.  False after reporting why at loc.
 * Both covers' pictures: the print cover's front, the store's JPEG.
 */
bool gb_pd_fill_picture(cairo_t *cr, const char *path, const char *name,
			double x, double y, double w, double h, gb_loc loc,
			gb_pd_fill *fill, gb_diag *d);

#endif
