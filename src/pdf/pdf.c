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
 *   - no trailer /ID: one is derived from the content.
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

/* How a structure type of the layout is drawn. */
typedef enum tag_use {
	TAG_OPEN,           /* a cairo structure element */
	TAG_TRANSPARENT,    /* none: its content belongs to its parent */
	TAG_ARTIFACT,       /* none, and its content is never wrapped */
} tag_use;

/* What a structure element gets in the post-processing. */
typedef struct elem_extra {
	char *alt, *lang, *actual;
} elem_extra;

/* A tag open on the stack while drawing. */
typedef struct open_tag {
	const char *name;   /* the cairo tag it opened, or NULL */
	const char *type;   /* the element its content belongs to ("P") */
	bool parent;        /* that element has structure children */
	int elem;           /* its index in render.elems, or -1 */
	bool artifact;      /* inside an Artifact */
} open_tag;

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
} render;

/* Frees e (NULL too): GPtrArray's free function. */
static void extra_free(void *p)
{
	elem_extra *e = p;
	if (!e)
		return;
	g_free(e->alt);
	g_free(e->lang);
	g_free(e->actual);
	g_free(e);
}

/* Appends cairo's output to the GByteArray closure. */
static cairo_status_t write_bytes(void *closure, const unsigned char *data,
				  unsigned int length)
{
	g_byte_array_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Whether text drawn right inside an element of cairo structure type name
 * that has children is furniture, not content: running heads and folios
 * drawn while a section is open, table headers repeated on a later page.
 */
static bool is_grouping(const char *name)
{
	static const char *const groups[] = {
		"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "TOC",
		"Index", "NonStruct", "Private", "L", "Table", "THead", "TBody",
		"TFoot", "TR",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(groups); i++)
		if (!strcmp(name, groups[i]))
			return true;
	return false;
}

/*
 * The cairo name of a layout's structure type and how it is drawn: the
 * types cairo 1.16 knows as they are, PDF 2.0 types it refuses (they put
 * the surface in an error state) mapped to PDF 1.7 ones, "Artifact" and
 * "Document" (the device opens the one Document itself) to none.  Returns
 * NULL for an unknown type.  The string is static.
 */
static const char *cairo_tag(const char *type, tag_use *use)
{
	static const char *const known[] = {
		"Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC",
		"TOCI", "Index", "NonStruct", "Private", "H", "H1", "H2", "H3",
		"H4", "H5", "H6", "P", "L", "LI", "Lbl", "LBody", "Table", "TR",
		"TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
		"Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB",
		"RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
	};
	static const char *const mapped[][2] = {
		{ "Title", "P" }, { "FENote", "Note" }, { "Aside", "Div" },
		{ "Sub", "Span" }, { "Em", "Span" }, { "Strong", "Span" },
		{ "DocumentFragment", "Part" },
	};
	*use = TAG_OPEN;
	for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
		if (!strcmp(type, known[i]))
			return known[i];
	for (size_t i = 0; i < G_N_ELEMENTS(mapped); i++)
		if (!strcmp(type, mapped[i][0]))
			return mapped[i][1];
	if (!strcmp(type, "Document")) {
		*use = TAG_TRANSPARENT;
		return "Document";
	}
	if (!strcmp(type, "Artifact")) {
		*use = TAG_ARTIFACT;
		return "Artifact";
	}
	return NULL;
}

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
	GArray *began;          /* per open tag: the index of its page */
	guint artifacts;        /* open Artifact tags */
	GArray *in_artifact;    /* per open tag: whether it is one */
	guint pages;            /* pages walked */
	int bad;                /* errors reported */
} scan;

static void scan_init(scan *s)
{
	s->parents = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->stack = g_ptr_array_new();
	s->began = g_array_new(FALSE, FALSE, sizeof(guint));
	s->artifacts = 0;
	s->in_artifact = g_array_new(FALSE, FALSE, sizeof(bool));
	s->pages = 0;
	s->bad = 0;
}

static void scan_free(scan *s)
{
	g_hash_table_destroy(s->parents);
	g_ptr_array_free(s->stack, TRUE);
	g_array_free(s->began, TRUE);
	g_array_free(s->in_artifact, TRUE);
}

/* Walks the tags of page p, the next page, reporting what is wrong. */
static void scan_page(scan *s, const gb_page *p, gb_diag *d)
{
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		tag_use use = TAG_ARTIFACT;
		if (b->kind == GB_BOX_TAG_END) {
			if (s->stack->len == 0) {
				gb_error(d, gb_noloc(), "page %d: a "
					 "structure element is closed but "
					 "not open", p->number);
				s->bad++;
				continue;
			}
			g_ptr_array_set_size(s->stack, s->stack->len - 1);
			g_array_set_size(s->began, s->began->len - 1);
			if (g_array_index(s->in_artifact, bool,
					  s->in_artifact->len - 1))
				s->artifacts--;
			g_array_set_size(s->in_artifact, s->in_artifact->len - 1);
			continue;
		}
		if (b->kind == GB_BOX_TAG_BEGIN &&
		    (!b->text || !cairo_tag(b->text, &use))) {
			gb_error(d, gb_noloc(), "page %d: unknown "
				 "structure type '%s'", p->number,
				 b->text ? b->text : "");
			s->bad++;
		}
		bool child = (b->kind == GB_BOX_TAG_BEGIN && use == TAG_OPEN &&
			      !s->artifacts) || b->kind == GB_BOX_LINK;
		/* the innermost element gets a child */
		for (guint k = s->stack->len; child && k-- > 0; ) {
			if (s->stack->pdata[k]) {
				g_hash_table_add(s->parents, s->stack->pdata[k]);
				break;
			}
		}
		if (b->kind == GB_BOX_TAG_BEGIN) {
			bool art = use == TAG_ARTIFACT;
			g_ptr_array_add(s->stack, use == TAG_OPEN && !s->artifacts
					? (gpointer)b : NULL);
			g_array_append_val(s->began, s->pages);
			g_array_append_val(s->in_artifact, art);
			s->artifacts += art;
		}
	}
	s->pages++;
}

/* After the last page: false after reporting what is wrong. */
static bool scan_end(scan *s, gb_diag *d)
{
	if (s->stack->len > 0) {
		gb_error(d, gb_noloc(), "the layout leaves %u structure "
			 "element%s open", s->stack->len, s->stack->len == 1 ? "" : "s");
		s->bad++;
	}
	return !s->bad;
}

/*
 * The pages walked that can be drawn: those before the first page of the
 * outermost element open with no child found yet (it may find one later).
 */
static guint scan_ready(const scan *s)
{
	for (guint k = 0; k < s->stack->len; k++)
		if (s->stack->pdata[k] && !g_hash_table_contains(s->parents, s->stack->pdata[k]))
			return g_array_index(s->began, guint, k);
	return s->pages;
}

static bool read_attr(const char **p, GString *key, GString *val)
{
	const char *s = *p;
	g_string_truncate(key, 0);
	g_string_truncate(val, 0);
	while (g_ascii_isalnum(*s) || *s == '_')
		g_string_append_c(key, *s++);
	if (key->len == 0 || *s++ != '=' || *s++ != '\'')
		return false;
	while (*s && *s != '\'') {
		if (*s == '\\' && (s[1] == '\'' || s[1] == '\\'))
			s++;
		g_string_append_c(val, *s++);
	}
	if (*s++ != '\'')
		return false;
	*p = s;
	return true;
}

/*
 * Reads the attributes of a structure tag of type on page:
 * alt='A picture of \'x\'' lang='en' actualtext='...'.  Returns them
 * (NULL when there are none; the caller frees them with extra_free()),
 * setting *ok to false after reporting a bad one.
 */
static elem_extra *parse_attrs(const char *type, const char *attrs,
			       int page, gb_diag *d, bool *ok)
{
	elem_extra *ret = NULL;
	elem_extra *e = g_new0(elem_extra, 1);
	GString *key = g_string_new(NULL), *val = g_string_new(NULL);
	bool any = false;
	const char *p = attrs ? attrs : "";
	*ok = false;
	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (!*p)
			break;
		if (!read_attr(&p, key, val)) {
			gb_error(d, gb_noloc(), "page %d: cannot read the "
				 "attributes of structure type '%s': '%s'",
				 page, type, attrs);
			goto out;
		}
		char **slot = !strcmp(key->str, "alt") ? &e->alt :
			      !strcmp(key->str, "lang") ? &e->lang :
			      !strcmp(key->str, "actualtext") ? &e->actual : NULL;
		if (!slot) {
			gb_error(d, gb_noloc(), "page %d: structure type '%s' "
				 "has unknown attribute '%s'", page, type,
				 key->str);
			goto out;
		}
		if (!g_utf8_validate(val->str, -1, NULL)) {
			gb_error(d, gb_noloc(), "page %d: attribute '%s' of "
				 "structure type '%s' is not UTF-8", page,
				 key->str, type);
			goto out;
		}
		g_free(*slot);
		*slot = g_strdup(val->str);
		any = true;
	}
	*ok = true;
	if (any) {
		ret = e;
		e = NULL;
	}
out:
	extra_free(e);
	g_string_free(key, TRUE);
	g_string_free(val, TRUE);
	return ret;
}

/*
 * Appends name as cairo 1.16 can write it both as a key of the /Dests
 * name tree (verbatim between parentheses) and as a link's /Dest (which it
 * converts): letters, digits, '-', '.' and '_' as they are, every other
 * byte as %XX, so that different names stay different.
 */
static void append_dest_name(GString *s, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (g_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_')
			g_string_append_c(s, (char)*p);
		else
			g_string_append_printf(s, "%%%02X", *p);
	}
}

/*
 * Appends uri as the value of a cairo link attribute.  Cairo 1.16 writes
 * the URI verbatim into a PDF string, so the bytes that would break it
 * (parentheses, backslash) or that a PDF URI cannot hold (controls,
 * spaces, non-ASCII) are percent-encoded; then ' is escaped for cairo.
 */
static void append_uri(GString *s, const char *uri)
{
	for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '(' || *p == ')' ||
		    *p == '\\') {
			g_string_append_printf(s, "%%%02X", *p);
		} else {
			if (*p == '\'')
				g_string_append_c(s, '\\');
			g_string_append_c(s, (char)*p);
		}
	}
}

/* Appends v to s as a number in cairo's attribute syntax (any locale). */
static void append_number(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.3f", v));
}

/* The innermost entry of r's tag stack. */
static open_tag *top(render *r)
{
	return &g_array_index(r->stack, open_tag, r->stack->len - 1);
}

/* Records a new cairo structure element with extra (taken; or NULL). */
static int add_elem(render *r, elem_extra *extra)
{
	g_ptr_array_add(r->elems, extra);
	return (int)r->elems->len - 1;
}

/* Closes the automatic element open, if any. */
static void close_wrap(render *r)
{
	if (!r->wrap)
		return;
	cairo_tag_end(r->cr, r->wrap);
	r->wrap = NULL;
}

/*
 * Whether content drawn now would be marked as the content of an element:
 * cairo marks what leaf elements draw, and enter_content() wraps what any
 * other element but a grouping one draws.
 */
static bool marking(render *r)
{
	const open_tag *t = top(r);
	return !t->parent || !is_grouping(t->type);
}

/*
 * Before drawing a box of kind: makes sure its content lands in a leaf
 * element, as cairo 1.16 marks no other.  In an element with children an
 * image goes into a Figure (which takes the element's alt text), text into
 * a Span, except that text right inside a grouping element stays unmarked
 * (is_grouping()).  Rules go wherever they are drawn.
 */
static void enter_content(render *r, gb_box_kind kind)
{
	open_tag *t = top(r);
	const char *want = NULL;
	if (kind == GB_BOX_RULE || t->artifact || !t->parent)
		return;
	if (kind == GB_BOX_IMAGE)
		want = "Figure";
	else if (!is_grouping(t->type))
		want = "Span";
	if (r->wrap && (!want || strcmp(r->wrap, want)))
		close_wrap(r);
	if (!want || r->wrap)
		return;
	cairo_tag_begin(r->cr, want, NULL);
	r->wrap = want;
	elem_extra *extra = NULL;
	elem_extra *outer = t->elem >= 0 ? g_ptr_array_index(r->elems, t->elem)
					 : NULL;
	if (kind == GB_BOX_IMAGE && outer && outer->alt) {
		extra = g_new0(elem_extra, 1);
		extra->alt = outer->alt;
		outer->alt = NULL;
	}
	add_elem(r, extra);
}

/*
 * Opens the structure element of TAG_BEGIN box b, or only notes the tag
 * (Artifact, Document, anything inside an Artifact).  False after
 * reporting why.
 */
static bool begin_tag(render *r, const gb_page *page, const gb_box *b)
{
	tag_use use;
	const char *name = cairo_tag(b->text, &use);
	open_tag t = *top(r);
	bool ok = true;
	close_wrap(r);
	t.name = NULL;
	if (use == TAG_ARTIFACT) {
		t.artifact = true;
	} else if (use == TAG_OPEN && !t.artifact) {
		bool link = !strcmp(name, CAIRO_TAG_LINK);
		elem_extra *extra = link ? NULL : parse_attrs(b->text, b->attrs,
							      page->number,
							      r->d, &ok);
		if (!ok)
			return false;
		cairo_tag_begin(r->cr, name, link && b->attrs ? b->attrs : "");
		t.name = name;
		t.type = name;
		t.parent = g_hash_table_contains(r->parents, b);
		t.elem = add_elem(r, extra);
	}
	g_array_append_val(r->stack, t);
	return true;
}

/* Closes the innermost tag (the layout was checked to nest). */
static void end_tag(render *r)
{
	close_wrap(r);
	if (top(r)->name)
		cairo_tag_end(r->cr, top(r)->name);
	g_array_set_size(r->stack, r->stack->len - 1);
}

/* A link annotation over b's rectangle to b->text: a URL or "#name". */
static void draw_link(render *r, const gb_box *b)
{
	GString *a = g_string_new("rect=[");
	close_wrap(r);
	append_number(a, b->x);
	g_string_append_c(a, ' ');
	append_number(a, b->y);
	g_string_append_c(a, ' ');
	append_number(a, b->w);
	g_string_append_c(a, ' ');
	append_number(a, b->h);
	g_string_append(a, "] ");
	if (b->text[0] == '#') {
		g_string_append(a, "dest='");
		append_dest_name(a, b->text + 1);
		g_hash_table_add(r->targets, g_strdup(b->text + 1));
	} else {
		g_string_append(a, "uri='");
		append_uri(a, b->text);
	}
	g_string_append_c(a, '\'');
	cairo_tag_begin(r->cr, CAIRO_TAG_LINK, a->str);
	add_elem(r, NULL);
	cairo_tag_end(r->cr, CAIRO_TAG_LINK);
	g_string_free(a, TRUE);
}

/* The named destination of b, unless one of its name was drawn before. */
static void draw_dest(render *r, const gb_box *b)
{
	if (g_hash_table_contains(r->dests, b->text))
		return;
	g_hash_table_add(r->dests, g_strdup(b->text));
	GString *a = g_string_new("name='");
	append_dest_name(a, b->text);
	g_string_append(a, "' x=");
	append_number(a, b->x);
	g_string_append(a, " y=");
	append_number(a, b->y);
	cairo_tag_begin(r->cr, CAIRO_TAG_DEST, a->str);
	cairo_tag_end(r->cr, CAIRO_TAG_DEST);
	g_string_free(a, TRUE);
}

/* Draws the picture at b->text into b's box.  False after reporting. */
static bool draw_image(render *r, const gb_box *b)
{
	char *why = NULL;
	gb_picture *pic = gb_picture_load(b->text, &why);
	bool ok = pic && gb_picture_draw(r->cr, pic, b->x, b->y, b->w, b->h,
					  r->opt->gray, &why);
	if (!ok)
		gb_error(r->d, gb_noloc(), "image '%s' %s", b->text, why ? why : "cannot be drawn");
	g_free(why);
	gb_picture_free(pic);
	return ok;
}

enum { RUN_STACK = 256 };

/*
 * Draws run gi at the current point as pango_cairo_show_glyph_item() does,
 * making the very same cairo calls, without Pango's renderer around them
 * (its set-up, colours and cluster iterator were 5% of drawing a
 * page).  Only a left-to-right run of known glyphs whose clusters go
 * forward, on a surface that keeps text (PDF); false for any other, which
 * the caller leaves to Pango.
 */
static bool show_run(cairo_t *cr, const char *text, const PangoGlyphItem *gi)
{
	const PangoItem *it = gi->item;
	const PangoGlyphString *gs = gi->glyphs;
	int n = gs->num_glyphs;
	if (it->analysis.level % 2 || n == 0 || gs->log_clusters[0] != 0 ||
	    !cairo_surface_has_show_text_glyphs(cairo_get_target(cr)))
		return false;
	for (int i = 0; i < n; i++)
		if ((gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY &&
		     (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) ||
		    (i > 0 && gs->log_clusters[i] < gs->log_clusters[i - 1]) ||
		    gs->log_clusters[i] >= it->length)
			return false;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(
		PANGO_CAIRO_FONT(it->analysis.font));
	if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
		return false;
	cairo_glyph_t stack_glyphs[RUN_STACK];
	cairo_text_cluster_t stack_clusters[RUN_STACK];
	cairo_glyph_t *glyphs = n > RUN_STACK ? g_new(cairo_glyph_t, n) : stack_glyphs;
	cairo_text_cluster_t *clusters = n > RUN_STACK ? g_new(cairo_text_cluster_t, n)
						      : stack_clusters;
	double bx, by;
	cairo_get_current_point(cr, &bx, &by);
	int count = 0, x = 0;
	for (int i = 0; i < n; i++) {
		const PangoGlyphInfo *g = &gs->glyphs[i];
		if (g->glyph != PANGO_GLYPH_EMPTY) {
			glyphs[count].index = g->glyph;
			glyphs[count].x = bx + (double)(x + g->geometry.x_offset) / PANGO_SCALE;
			glyphs[count].y = g->geometry.y_offset == 0 ? by :
				by + (double)g->geometry.y_offset / PANGO_SCALE;
			count++;
		}
		x += g->geometry.width;
	}
	/* the clusters: glyphs of one log cluster, less the empty ones */
	int nc = 0;
	for (int a = 0; a < n;) {
		int b = a + 1;
		while (b < n && gs->log_clusters[b] == gs->log_clusters[a])
			b++;
		int end = b < n ? gs->log_clusters[b] : it->length;
		int shown = 0;
		for (int i = a; i < b; i++)
			shown += gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY;
		clusters[nc].num_bytes = end - gs->log_clusters[a];
		clusters[nc].num_glyphs = shown;
		nc++;
		a = b;
	}
	cairo_save(cr);
	cairo_set_scaled_font(cr, sf);
	cairo_show_text_glyphs(cr, text + it->offset, it->length, glyphs, count,
			       clusters, nc, 0);
	cairo_restore(cr);
	if (glyphs != stack_glyphs)
		g_free(glyphs);
	if (clusters != stack_clusters)
		g_free(clusters);
	return true;
}

/* Draws the runs of a line, its baseline starting at (x, y). */
static void show_glyphs(cairo_t *cr, const gb_glyphs *g, double x, double y)
{
	for (guint i = 0; i < g->runs->len; i++) {
		PangoGlyphItem *gi = g->runs->pdata[i];
		cairo_move_to(cr, x, y);
		if (!show_run(cr, g->text, gi))
			pango_cairo_show_glyph_item(cr, g->text, gi);
		x += gb_run_width(gi) / (double)PANGO_SCALE;
	}
	cairo_new_path(cr);
}

/* Turns cr's user space into the turned frame of p (layout.h). */
static void turn(cairo_t *cr, const gb_page *p)
{
	cairo_translate(cr, p->turn_x, p->turn_y);
	cairo_rotate(cr, -G_PI / 2);
}

/* Draws box i of page p.  False after reporting why. */
static bool draw_box(render *r, const gb_page *p, guint i)
{
	const gb_box *b = g_ptr_array_index(p->boxes, i);
	gb_box up;
	if (i < p->turned) {
		/* a link's rectangle and a destination's point are given on
		   the page (cairo takes them in its default user space);
		   what is drawn is drawn in the turned frame */
		up = *b;
		double x0, y0, x1, y1;
		gb_page_point(p, i, b->x, b->y, &x0, &y0);
		gb_page_point(p, i, b->x + b->w, b->y + b->h, &x1, &y1);
		up.x = MIN(x0, x1);
		up.y = MIN(y0, y1);
		up.w = fabs(x1 - x0);
		up.h = fabs(y1 - y0);
		if (b->kind == GB_BOX_DEST)
			up.y = y0;
		if (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_RULE || b->kind == GB_BOX_IMAGE) {
			cairo_save(r->cr);
			turn(r->cr, p);
			gb_page tp = *p;
			tp.turned = 0;
			bool ok = draw_box(r, &tp, i);
			cairo_restore(r->cr);
			return ok;
		}
		b = &up;
	}
	switch (b->kind) {
	case GB_BOX_TEXT:
		if (!b->glyphs)
			break;
		enter_content(r, b->kind);
		show_glyphs(r->cr, b->glyphs, b->x, b->y);
		break;
	case GB_BOX_RULE:
		enter_content(r, b->kind);
		cairo_rectangle(r->cr, b->x, b->y, b->w, b->h);
		cairo_fill(r->cr);
		break;
	case GB_BOX_LINK:
		if (!r->opt->links)
			break;
		if (!b->text || !b->text[0] || !strcmp(b->text, "#")) {
			gb_error(r->d, gb_noloc(), "page %d: a link has no "
				 "target", p->number);
			return false;
		}
		draw_link(r, b);
		break;
	case GB_BOX_DEST:
		if (r->opt->links && b->text && b->text[0])
			draw_dest(r, b);
		break;
	case GB_BOX_TAG_BEGIN:
		return begin_tag(r, p, b);
	case GB_BOX_TAG_END:
		end_tag(r);
		break;
	case GB_BOX_IMAGE:
		enter_content(r, b->kind);
		return draw_image(r, b);
	}
	return true;
}

/*
 * The index of the TAG_END closing the Artifact that box from of p opens,
 * if the Artifact can be drawn later on the page: it ends on the page and
 * holds no link (which would become a child of wherever it is drawn).
 * Returns 0 otherwise.
 */
static guint artifact_end(const gb_page *p, guint from)
{
	guint depth = 0;
	for (guint j = from; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		if (b->kind == GB_BOX_LINK)
			return 0;
		if (b->kind == GB_BOX_TAG_BEGIN)
			depth++;
		else if (b->kind == GB_BOX_TAG_END && --depth == 0)
			return j;
	}
	return 0;
}

/* Draws the boxes of p in the ranges held (first, last), then forgets them. */
static bool draw_held(render *r, const gb_page *p, GArray *held)
{
	for (guint i = 0; i + 1 < held->len; i += 2) {
		guint last = g_array_index(held, guint, i + 1);
		for (guint j = g_array_index(held, guint, i); j <= last; j++)
			if (!draw_box(r, p, j))
				return false;
	}
	g_array_set_size(held, 0);
	return true;
}

/* Room for crop marks around the bleed, on each side. */
static double mark_room(const gb_pdf_options *o)
{
	return o->marks > 0 ? o->mark_offset + o->marks : 0;
}

/* Where the trim's top left corner lies on the sheet of page p. */
static void trim_origin(const gb_pdf_options *o, const gb_page *p, double *x,
			double *y)
{
	*x = mark_room(o) + (p->recto ? o->bleed_inside : o->bleed_outside);
	*y = mark_room(o) + o->bleed_top;
}

static void media_size(const gb_pdf_options *o, const gb_layout *lay,
		       double *w, double *h)
{
	*w = lay->width + o->bleed_inside + o->bleed_outside + 2 * mark_room(o);
	*h = lay->height + o->bleed_top + o->bleed_bottom + 2 * mark_room(o);
}

/*
 * Crop marks at the trim's corners, in the room outside the bleed: thin
 * lines that a cutter lines up with.  Untagged.
 */
static void crop_marks(cairo_t *cr, const gb_pdf_options *o,
		       const gb_layout *lay, double ox, double oy)
{
	if (o->marks <= 0)
		return;
	double xs[2] = { ox, ox + lay->width }, ys[2] = { oy, oy + lay->height };
	double bx[2] = { ox - (o->bleed_inside > o->bleed_outside ? o->bleed_inside : o->bleed_outside),
			 ox + lay->width + (o->bleed_inside > o->bleed_outside ? o->bleed_inside : o->bleed_outside) };
	double by[2] = { oy - o->bleed_top, oy + lay->height + o->bleed_bottom };
	cairo_save(cr);
	cairo_set_line_width(cr, o->mark_weight);
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 2; j++) {
			/* a horizontal mark beyond the bleed at each trim edge */
			double hx = i == 0 ? bx[0] - o->mark_offset : bx[1] + o->mark_offset;
			cairo_move_to(cr, hx, ys[j]);
			cairo_line_to(cr, i == 0 ? hx - o->marks : hx + o->marks, ys[j]);
			double vy = j == 0 ? by[0] - o->mark_offset : by[1] + o->mark_offset;
			cairo_move_to(cr, xs[i], vy);
			cairo_line_to(cr, xs[i], j == 0 ? vy - o->marks : vy + o->marks);
		}
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/*
 * Draws one page and shows it.  An Artifact (running heads, folios) met
 * while its content would be marked as part of an element, say in a
 * paragraph going on to the next page, is held back and drawn at the first
 * place on the page where it would not, else at the end of the page.
 * False after reporting why.
 */
static bool draw_page(render *r, const gb_page *p)
{
	bool ret = false;
	GArray *held = g_array_new(FALSE, FALSE, sizeof(guint));
	if (p->label)
		cairo_pdf_surface_set_page_label(r->surface, p->label);
	/* the trim sits inside the bleed: the inside edge is left on rectos */
	double ox, oy;
	trim_origin(r->opt, p, &ox, &oy);
	cairo_save(r->cr);
	cairo_translate(r->cr, ox, oy);
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		tag_use use;
		if (held->len && !marking(r) && !draw_held(r, p, held))
			goto out;
		if (b->kind == GB_BOX_TAG_BEGIN && b->text &&
		    cairo_tag(b->text, &use) && use == TAG_ARTIFACT &&
		    !top(r)->artifact && marking(r)) {
			guint last = artifact_end(p, j);
			if (last) {
				g_array_append_val(held, j);
				g_array_append_val(held, last);
				j = last;
				continue;
			}
		}
		if (!draw_box(r, p, j))
			goto out;
	}
	if (!draw_held(r, p, held))
		goto out;
	close_wrap(r);
	cairo_restore(r->cr);
	crop_marks(r->cr, r->opt, r->lay, ox, oy);
	cairo_show_page(r->cr);
	ret = true;
out:
	g_array_free(held, TRUE);
	return ret;
}

/*
 * Adds the layout's outline as bookmarks, each under the last entry of a
 * higher level, the first level open.  False after reporting why.
 */
static bool add_outline(render *r)
{
	enum { MAX_LEVEL = 16 };
	bool ret = false;
	int ids[MAX_LEVEL + 1] = { CAIRO_PDF_OUTLINE_ROOT };
	int last = 0;   /* the level of the entry before */
	for (guint i = 0; i < r->lay->outline->len; i++) {
		const gb_outline *o = g_ptr_array_index(r->lay->outline, i);
		int level = CLAMP(o->level, 1, last + 1);
		if (!o->title || !o->dest || !g_utf8_validate(o->title, -1, NULL)) {
			gb_error(r->d, gb_noloc(), "outline entry %u has no "
				 "title or no destination", i + 1);
			goto out;
		}
		level = MIN(level, MAX_LEVEL);
		GString *a = g_string_new("dest='");
		append_dest_name(a, o->dest);
		g_string_append_c(a, '\'');
		g_hash_table_add(r->targets, g_strdup(o->dest));
		ids[level] = cairo_pdf_surface_add_outline(r->surface,
			ids[level - 1], o->title, a->str,
			level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
		g_string_free(a, TRUE);
		last = level;
	}
	ret = true;
out:
	return ret;
}

/* Orders the strings a and b point to: g_ptr_array_sort's function. */
static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Reports every link or outline target that no destination has.  False
 * if there is one.
 */
static bool check_targets(render *r)
{
	GPtrArray *missing = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, r->targets);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(r->dests, key))
			g_ptr_array_add(missing, key);
	g_ptr_array_sort(missing, compare_strings);
	for (guint i = 0; i < missing->len; i++)
		gb_error(r->d, gb_noloc(), "the PDF links to destination '%s', "
			 "which no page has", (const char *)missing->pdata[i]);
	bool ret = missing->len == 0;
	g_ptr_array_free(missing, TRUE);
	return ret;
}

/*
 * The creation time t as ISO 8601 ("2025-07-31T10:00:00Z") and as a PDF
 * date ("D:20250731100000Z"), each into 32 bytes.  False if out of range.
 */
static bool format_dates(gint64 t, char iso[32], char pdf[32])
{
	return gb_time_iso8601(t, iso) && gb_time_pdf(t, pdf);
}

/* ---- the post-processing with libqpdf ---- */

/*
 * Reports qpdf's error and its warnings, if any, as errors.  Returns true
 * if there was one.
 */
static bool qpdf_failed(qpdf_data q, gb_diag *d)
{
	bool ret = false;
	while (qpdf_more_warnings(q)) {
		qpdf_error w = qpdf_next_warning(q);
		gb_error(d, gb_noloc(), "cannot finish the PDF: %s",
			 qpdf_get_error_full_text(q, w));
		ret = true;
	}
	if (qpdf_has_error(q)) {
		qpdf_error e = qpdf_get_error(q);
		gb_error(d, gb_noloc(), "cannot finish the PDF: %s",
			 qpdf_get_error_full_text(q, e));
		ret = true;
	}
	return ret;
}

/* The value of key in oh, or null when oh is no dictionary (no warning). */
static qpdf_oh get(qpdf_data q, qpdf_oh oh, const char *key)
{
	if (!qpdf_oh_is_dictionary(q, oh))
		return qpdf_oh_new_null(q);
	return qpdf_oh_get_key(q, oh, key);
}

/*
 * Sets key of dictionary oh, an object of the file or one inside object
 * home, to value (NULL: removes it), and notes the object changed: what
 * pdfcopy.h writes again.
 */
static void put(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		const char *key, const qpdf_oh *value)
{
	if (value)
		qpdf_oh_replace_key(q, oh, key, *value);
	else if (qpdf_oh_has_key(q, oh, key))
		qpdf_oh_remove_key(q, oh, key);
	gb_pdf_copy_touch(c, gb_pdf_copy_home(c, oh, home));
}

/* put() with a name. */
static void put_name(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		     const char *key, const char *name)
{
	qpdf_oh n = qpdf_oh_new_name(q, name);
	put(q, c, oh, home, key, &n);
}

/* put() with the text string utf8. */
static void set_text(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		     const char *key, const char *utf8)
{
	qpdf_oh s = qpdf_oh_new_unicode_string(q, utf8);
	put(q, c, oh, home, key, &s);
	qpdf_oh_release(q, s);
}

/* Appends to s an XMP property holding text (XML-escaped). */
static void xmp_prop(GString *s, const char *name, const char *wrap,
		     const char *text)
{
	if (!text || !g_utf8_validate(text, -1, NULL))
		return;
	char *esc = g_markup_escape_text(text, -1);
	if (!wrap)
		g_string_append_printf(s, "   <%s>%s</%s>\n", name, esc, name);
	else if (!strcmp(wrap, "Alt"))
		g_string_append_printf(s, "   <%s><rdf:Alt><rdf:li xml:lang="
				       "\"x-default\">%s</rdf:li></rdf:Alt></%s>\n",
				       name, esc, name);
	else
		g_string_append_printf(s, "   <%s><rdf:%s><rdf:li>%s</rdf:li>"
				       "</rdf:%s></%s>\n", name, wrap, esc, wrap,
				       name);
	g_free(esc);
}

/*
 * The XMP metadata packet, matching the Info dictionary (producer: its
 * /Producer, or NULL).  The caller frees it.
 */
static char *xmp_packet(const gb_layout *lay, const char *iso,
			const char *producer)
{
	GString *s = g_string_new(
		"<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		"  <rdf:Description rdf:about=\"\"\n"
		"    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		"    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		"    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	xmp_prop(s, "dc:format", NULL, "application/pdf");
	xmp_prop(s, "dc:title", "Alt", lay->title);
	xmp_prop(s, "dc:creator", "Seq", lay->author);
	xmp_prop(s, "dc:description", "Alt", lay->subject);
	xmp_prop(s, "dc:language", "Bag", lay->lang);
	xmp_prop(s, "pdf:Keywords", NULL, lay->keywords);
	xmp_prop(s, "pdf:Producer", NULL, producer);
	xmp_prop(s, "xmp:CreatorTool", NULL, "gsi-book " GB_VERSION);
	xmp_prop(s, "xmp:CreateDate", NULL, iso);
	xmp_prop(s, "xmp:ModifyDate", NULL, iso);
	xmp_prop(s, "xmp:MetadataDate", NULL, iso);
	g_string_append(s, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
			"<?xpacket end=\"r\"?>");
	return g_string_free(s, FALSE);
}

/*
 * The Info dictionary's dates, and the catalog's /Lang, /ViewerPreferences,
 * /PageMode and /Metadata.  Returns the number of the catalog and sets
 * *info_id to that of the Info dictionary.
 */
static int fix_catalog(qpdf_data q, gb_pdf_copy *c,
		       const gb_layout *lay, const char *iso, const char *pdf_date,
		       int *info_id)
{
	qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
	qpdf_oh root = qpdf_get_root(q);
	int root_id = gb_pdf_copy_home(c, root, 0);
	/* cairo's Info is an object of its own; else it is a new one */
	bool own = qpdf_oh_is_dictionary(q, info) && qpdf_oh_is_indirect(q, info);
	if (own)
		gb_pdf_copy_touch(c, *info_id = qpdf_oh_get_object_id(q, info));
	else if (!qpdf_oh_is_dictionary(q, info))
		info = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, info, "/CreationDate",
			    qpdf_oh_new_string(q, pdf_date));
	qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, pdf_date));
	if (lay->lang && lay->lang[0] && g_utf8_validate(lay->lang, -1, NULL))
		set_text(q, c, root, 0, "/Lang", lay->lang);
	qpdf_oh prefs = qpdf_oh_parse(q, "<< /DisplayDocTitle true >>");
	put(q, c, root, 0, "/ViewerPreferences", &prefs);
	if (qpdf_oh_has_key(q, root, "/Outlines"))
		put_name(q, c, root, 0, "/PageMode", "/UseOutlines");

	qpdf_oh prod = qpdf_oh_get_key(q, info, "/Producer");
	char *producer = qpdf_oh_is_string(q, prod)
		? g_strdup(qpdf_oh_get_utf8_value(q, prod)) : NULL;
	if (!own)
		*info_id = gb_pdf_copy_add(c, qpdf_oh_unparse_resolved(q, info), NULL, 0);
	/* the packet stays uncompressed, for what reads it without PDF */
	char *xmp = xmp_packet(lay, iso, producer);
	put(q, c, root, 0, "/Metadata", NULL);
	gb_pdf_copy_link(c, root_id, "/Metadata",
			 gb_pdf_copy_add(c, "<< /Type /Metadata /Subtype /XML >>", xmp, strlen(xmp)));
	g_free(xmp);
	g_free(producer);
	return root_id;
}

/*
 * Cairo 1.16 counts the outline root down for each entry: gives it the
 * number of entries shown when the document opens, as the PDF wants.
 */
static void fix_outline_count(qpdf_data q, gb_pdf_copy *c, int root)
{
	qpdf_oh outlines = qpdf_oh_get_key(q, qpdf_get_root(q), "/Outlines");
	if (!qpdf_oh_is_dictionary(q, outlines))
		return;
	long long count = 0;
	qpdf_oh item = qpdf_oh_get_key(q, outlines, "/First");
	for (int guard = 0; qpdf_oh_is_dictionary(q, item) && guard < 1000000;
	     guard++) {
		qpdf_oh shown = qpdf_oh_get_key(q, item, "/Count");
		int n = qpdf_oh_is_integer(q, shown) ? qpdf_oh_get_int_value_as_int(q, shown) : 0;
		count += 1 + (n > 0 ? n : 0);
		item = qpdf_oh_get_key(q, item, "/Next");
	}
	qpdf_oh n = qpdf_oh_new_integer(q, count);
	put(q, c, outlines, root, "/Count", &n);
}

/*
 * Visits the structure elements under kids (an element, or an array of
 * them, marked-content ids and references; lying in object outer unless
 * indirect) in the order cairo created them, giving the n-th the /Alt,
 * /Lang and /ActualText of elems[n], up to element upto (those after it
 * get nothing).
 */
static void apply_extras(qpdf_data q, gb_pdf_copy *c, qpdf_oh kids,
			 int outer, const GPtrArray *elems, guint *n, guint upto, int depth)
{
	bool array = qpdf_oh_is_array(q, kids);
	int len = array ? qpdf_oh_get_array_n_items(q, kids) : 1;
	int home = gb_pdf_copy_home(c, kids, outer);
	if (depth > 1000)
		return;
	/* (each handle is given back: libqpdf keeps every one in a map) */
	for (int i = 0; i < len && *n < upto; i++) {
		qpdf_oh k = array ? qpdf_oh_get_array_item(q, kids, i) : kids;
		if (qpdf_oh_is_dictionary(q, k) && qpdf_oh_has_key(q, k, "/S")) {
			const elem_extra *e = *n < elems->len ? elems->pdata[*n] : NULL;
			int at = gb_pdf_copy_home(c, k, home);
			(*n)++;
			if (e && e->alt)
				set_text(q, c, k, home, "/Alt", e->alt);
			if (e && e->lang)
				set_text(q, c, k, home, "/Lang", e->lang);
			if (e && e->actual)
				set_text(q, c, k, home, "/ActualText", e->actual);
			if (qpdf_oh_has_key(q, k, "/K")) {
				qpdf_oh sub = qpdf_oh_get_key(q, k, "/K");
				apply_extras(q, c, sub, at, elems, n, upto, depth + 1);
				qpdf_oh_release(q, sub);
			}
		}
		if (array)
			qpdf_oh_release(q, k);
	}
}

/* Whether the kids k of a structure element hold an OBJR to annot. */
static bool has_objr(qpdf_data q, qpdf_oh k, qpdf_oh annot)
{
	int id = qpdf_oh_get_object_id(q, annot);
	int n = qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_n_items(q, k) : 1;
	for (int i = 0; i < n; i++) {
		qpdf_oh item = qpdf_oh_is_array(q, k)
			? qpdf_oh_get_array_item(q, k, i) : k;
		qpdf_oh obj = get(q, item, "/Obj");
		if (qpdf_oh_is_name_and_equals(q, get(q, item, "/Type"), "/OBJR") &&
		    qpdf_oh_is_indirect(q, obj) &&
		    qpdf_oh_get_object_id(q, obj) == id)
			return true;
	}
	return false;
}

/*
 * Links every link annotation and its structure element both ways: the
 * element gets an OBJR to the annotation unless cairo gave it one (Debian's
 * cairo 1.16 does), the page /Tabs /S, and a URI link its URI as
 * /Contents.
 */
static void fix_links(qpdf_data q, gb_pdf_copy *c, qpdf_oh tree)
{
	/* the parent tree, a flat /Nums array from cairo: key -> element
	   (an element, or a page's array of them: looked at only when an
	   annotation names its key, as libqpdf parses what is looked at) */
	GHashTable *parents = g_hash_table_new(g_direct_hash, g_direct_equal);
	qpdf_oh ptree = get(q, tree, "/ParentTree");
	qpdf_oh nums = get(q, ptree, "/Nums");
	int nums_home = gb_pdf_copy_home(c, nums, gb_pdf_copy_home(c, ptree,
						gb_pdf_copy_home(c, tree, 0)));
	int nnums = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
	for (int k = 0; k + 1 < nnums; k += 2) {
		qpdf_oh key = qpdf_oh_get_array_item(q, nums, k);
		qpdf_oh elem = qpdf_oh_get_array_item(q, nums, k + 1);
		if (qpdf_oh_is_integer(q, key))
			g_hash_table_insert(parents, GINT_TO_POINTER(
				qpdf_oh_get_int_value_as_int(q, key)),
				GUINT_TO_POINTER(elem));
	}
	int pages = qpdf_get_num_pages(q);
	for (int i = 0; i < pages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		qpdf_oh annots = get(q, page, "/Annots");
		int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
		if (n > 0)
			put_name(q, c, page, 0, "/Tabs", "/S");
		for (int j = 0; j < n; j++) {
			qpdf_oh a = qpdf_oh_get_array_item(q, annots, j);
			if (!qpdf_oh_is_indirect(q, a) || !qpdf_oh_is_dictionary(q, a))
				continue;
			qpdf_oh uri = get(q, get(q, a, "/A"), "/URI");
			if (qpdf_oh_is_string(q, uri) && !qpdf_oh_has_key(q, a, "/Contents"))
				put(q, c, a, 0, "/Contents", &uri);
			qpdf_oh sp = get(q, a, "/StructParent");
			gpointer found;
			if (!qpdf_oh_is_integer(q, sp) ||
			    !g_hash_table_lookup_extended(parents, GINT_TO_POINTER(
				    qpdf_oh_get_int_value_as_int(q, sp)), NULL, &found))
				continue;
			qpdf_oh elem = GPOINTER_TO_UINT(found);
			if (!qpdf_oh_is_dictionary(q, elem))
				continue;
			qpdf_oh k = get(q, elem, "/K");
			if (has_objr(q, k, a))
				continue;
			int at = gb_pdf_copy_home(c, elem, nums_home);
			qpdf_oh objr = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, objr, "/Type", qpdf_oh_new_name(q, "/OBJR"));
			qpdf_oh_replace_key(q, objr, "/Obj", a);
			qpdf_oh_replace_key(q, objr, "/Pg", page);
			if (qpdf_oh_is_null(q, k)) {
				put(q, c, elem, at, "/K", &objr);
				if (!qpdf_oh_has_key(q, elem, "/Pg"))
					put(q, c, elem, at, "/Pg", &page);
			} else {
				bool array = qpdf_oh_is_array(q, k);
				qpdf_oh arr = array ? k : qpdf_oh_wrap_in_array(q, k);
				qpdf_oh_append_item(q, arr, objr);
				if (array)  /* an array object of its own, changed */
					gb_pdf_copy_touch(c, gb_pdf_copy_home(c, arr, at));
				put(q, c, elem, at, "/K", &arr);
			}
		}
	}
	g_hash_table_destroy(parents);
}

/*
 * v as libqpdf writes a real of 3 decimals (QUtil::double_to_string():
 * fixed, trailing zeros and point dropped), in any locale.
 */
static void append_real(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(buf, sizeof buf, "%.3f", v == 0 ? 0.0 : v);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		n--;
	if (n > 1 && buf[n - 1] == '.')
		n--;
	g_string_append_len(s, buf, (gssize)n);
}

/* A PDF rectangle [x0 y0 x1 y1] from a box given from the top left. */
static qpdf_oh rect(qpdf_data q, double mh, double x, double y, double w,
		    double h)
{
	/* one parse, not an object for each number: libqpdf formats a
	   number through a C++ stream, which took 12,000 instructions */
	GString *s = g_string_new("[");
	double v[4] = { x, mh - y - h, x + w, mh - y };
	for (int i = 0; i < 4; i++) {
		append_real(s, v[i]);
		g_string_append_c(s, i < 3 ? ' ' : ']');
	}
	qpdf_oh a = qpdf_oh_parse(q, s->str);
	g_string_free(s, TRUE);
	return a;
}

/*
 * Every page's TrimBox (the trim) and BleedBox (the trim and its bleed),
 * which cairo cannot write.
 */
static void set_boxes(qpdf_data q, gb_pdf_copy *c,
		      const gb_layout *lay, const gb_pdf_options *o)
{
	double mw, mh;
	media_size(o, lay, &mw, &mh);
	int n = qpdf_get_num_pages(q);
	for (int i = 0; i < n && i < (int)lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		double ox, oy;
		trim_origin(o, p, &ox, &oy);
		qpdf_oh trim = rect(q, mh, ox, oy, lay->width, lay->height);
		put(q, c, page, 0, "/TrimBox", &trim);
		double bl = p->recto ? o->bleed_inside : o->bleed_outside;
		double br = p->recto ? o->bleed_outside : o->bleed_inside;
		qpdf_oh bleed = rect(q, mh, ox - bl, oy - o->bleed_top,
				     lay->width + bl + br,
				     lay->height + o->bleed_top + o->bleed_bottom);
		put(q, c, page, 0, "/BleedBox", &bleed);
	}
}

/*
 * Mends cairo's PDF raw with libqpdf (see the top of this file), applies
 * elems (cairo's structure elements in order), and writes the edition:
 * cairo's objects, the ones changed written again (pdfcopy.h), an /ID
 * derived from the content.  Returns the bytes (the caller unrefs them),
 * or NULL after reporting why.  With keep, libqpdf's data stays for the
 * caller to clean up (*keep), else it goes.
 */
static GBytes *finish_pdf(const gb_layout *lay, const gb_pdf_options *opt,
			  const GByteArray *raw, const GPtrArray *elems,
			  const char *iso, const char *pdf_date, gb_diag *d,
			  qpdf_data *keep)
{
	GBytes *ret = NULL;
	qpdf_data q = qpdf_init();
	gb_pdf_copy *c = NULL;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	qpdf_read_memory(q, "book.pdf", (const char *)raw->data, raw->len, NULL);
	if (qpdf_failed(q, d) || !(c = gb_pdf_copy_new(q, raw, d)))
		goto out;

	int info = 0;
	int root = fix_catalog(q, c, lay, iso, pdf_date, &info);
	fix_outline_count(q, c, root);
	if (!opt->booklet)
		set_boxes(q, c, lay, opt);
	qpdf_oh catalog = qpdf_get_root(q);
	qpdf_oh outlines = qpdf_oh_get_key(q, catalog, "/Outlines");
	if ((!opt->outline || !opt->links) && qpdf_oh_is_dictionary(q, outlines)) {
		/* no bookmarks at all: some printers refuse even an empty
		   root, which is left out of the file too */
		if (qpdf_oh_is_indirect(q, outlines) &&
		    !qpdf_oh_has_key(q, outlines, "/First"))
			gb_pdf_copy_drop(c, qpdf_oh_get_object_id(q, outlines));
		put(q, c, catalog, 0, "/Outlines", NULL);
		put(q, c, catalog, 0, "/PageMode", NULL);
	}
	qpdf_oh tree = qpdf_oh_get_key(q, catalog, "/StructTreeRoot");
	if (qpdf_oh_is_dictionary(q, tree)) {
		/* the walk ends at the last element given something: in a
		   long book few are, and libqpdf parses each element walked */
		guint n = 0, upto = 0;
		for (guint i = 0; i < elems->len; i++) {
			const elem_extra *e = elems->pdata[i];
			if (e && (e->alt || e->lang || e->actual))
				upto = i + 1;
		}
		apply_extras(q, c, qpdf_oh_get_key(q, tree, "/K"),
			     gb_pdf_copy_home(c, tree, 0), elems, &n, upto, 0);
		if (n != upto) {
			gb_error(d, gb_noloc(), "cannot finish the PDF: its "
				 "structure tree has %u elements, where %u were "
				 "drawn", n, elems->len);
			goto out;
		}
		fix_links(q, c, tree);
	}
	if (qpdf_failed(q, d))
		goto out;
	/* PDF 1.7: the tagged PDF and its /Lang, as PDF/UA wants */
	ret = gb_pdf_copy_write(c, "1.7", root, info, d);
	if (ret && qpdf_failed(q, d))
		g_clear_pointer(&ret, g_bytes_unref);
	if (ret && keep) {
		/* the caller frees it when it likes */
		gb_pdf_copy_free(c);
		*keep = q;
		return ret;
	}
out:
	gb_pdf_copy_free(c);
	qpdf_cleanup(&q);
	return ret;
}

static void set_metadata(cairo_surface_t *s, const gb_layout *lay,
			 const char *iso);

bool gb_draw_page(cairo_t *cr, const gb_page *p, bool gray, gb_diag *d)
{
	gb_pdf_options o = { 0 };
	o.gray = gray;
	render r = { .opt = &o, .d = d, .cr = cr };
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		bool ok = true;
		cairo_save(cr);
		if (j < p->turned)
			turn(cr, p);
		if (b->kind == GB_BOX_TEXT && b->glyphs) {
			show_glyphs(cr, b->glyphs, b->x, b->y);
		} else if (b->kind == GB_BOX_RULE) {
			cairo_rectangle(cr, b->x, b->y, b->w, b->h);
			cairo_fill(cr);
		} else if (b->kind == GB_BOX_IMAGE) {
			ok = draw_image(&r, b);
		}
		cairo_restore(cr);
		if (!ok)
			return false;
	}
	return true;
}

int gb_booklet_order(int pages, int **order)
{
	int n = (pages + 3) / 4 * 4;
	if (n == 0)
		n = 4;
	int sides = n / 2;
	int *o = g_new(int, 2 * sides);
	for (int sheet = 0; sheet < n / 4; sheet++) {
		/* the front: the last and the first; the back: the second and
		   the last but one, counting in from both ends */
		o[4 * sheet + 0] = n - 2 * sheet;
		o[4 * sheet + 1] = 2 * sheet + 1;
		o[4 * sheet + 2] = 2 * sheet + 2;
		o[4 * sheet + 3] = n - 2 * sheet - 1;
	}
	*order = o;
	return sides;
}

/*
 * The book imposed two up on landscape sheets, folded in the middle and
 * stitched: pages scaled to half a sheet, in booklet order, blanks at the
 * end.  No structure, links or bookmarks: it is a printing form.
 */
static GBytes *render_booklet(const gb_layout *lay, const gb_pdf_options *opt,
			      gb_diag *d)
{
	GBytes *ret = NULL;
	GByteArray *raw = g_byte_array_new();
	char iso[32], pdf_date[32];
	int *order = NULL;
	if (!format_dates(lay->created, iso, pdf_date)) {
		gb_error(d, gb_noloc(), "cannot write a PDF dated %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", lay->created);
		g_byte_array_free(raw, TRUE);
		return NULL;
	}
	int sides = gb_booklet_order((int)lay->pages->len, &order);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		write_bytes, raw, opt->sheet_w, opt->sheet_h);
	cairo_t *cr = cairo_create(surface);
	set_metadata(surface, lay, iso);
	double half = opt->sheet_w / 2;
	double scale = MIN(half / lay->width, opt->sheet_h / lay->height);
	for (int s = 0; s < sides; s++) {
		for (int slot = 0; slot < 2; slot++) {
			int n = order[2 * s + slot];
			if (n < 1 || n > (int)lay->pages->len)
				continue;   /* a blank */
			const gb_page *p = g_ptr_array_index(lay->pages, n - 1);
			cairo_save(cr);
			cairo_translate(cr, slot * half + (half - lay->width * scale) / 2,
					(opt->sheet_h - lay->height * scale) / 2);
			cairo_scale(cr, scale, scale);
			bool ok = gb_draw_page(cr, p, opt->gray, d);
			cairo_restore(cr);
			if (!ok)
				goto out;
		}
		cairo_show_page(cr);
	}
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the booklet: %s",
			 cairo_status_to_string(cairo_surface_status(surface)));
		goto out;
	}
	GPtrArray *none = g_ptr_array_new();
	ret = finish_pdf(lay, opt, raw, none, iso, pdf_date, d, NULL);
	g_ptr_array_free(none, TRUE);
out:
	g_free(order);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	g_byte_array_free(raw, TRUE);
	return ret;
}

/* Sets Info metadata key of s to utf8, if it is set and valid UTF-8. */
static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key,
		     const char *utf8)
{
	if (utf8 && g_utf8_validate(utf8, -1, NULL))
		cairo_pdf_surface_set_metadata(s, key, utf8);
}

/* Sets the Info metadata cairo writes (its dates are mended later). */
static void set_metadata(cairo_surface_t *s, const gb_layout *lay,
			 const char *iso)
{
	set_meta(s, CAIRO_PDF_METADATA_TITLE, lay->title);
	set_meta(s, CAIRO_PDF_METADATA_AUTHOR, lay->author);
	set_meta(s, CAIRO_PDF_METADATA_SUBJECT, lay->subject);
	set_meta(s, CAIRO_PDF_METADATA_KEYWORDS, lay->keywords);
	set_meta(s, CAIRO_PDF_METADATA_CREATOR, "gsi-book " GB_VERSION);
	set_meta(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	set_meta(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
}

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
} doc;

/*
 * Starts the PDF of lay, whose pages are yet to come: its size, dates and
 * metadata, the Document element.  False after reporting why.
 */
static bool doc_begin(doc *x, const gb_layout *lay, const gb_pdf_options *opt,
		      gb_diag *d)
{
	memset(x, 0, sizeof *x);
	x->raw = g_byte_array_new();
	x->r = (render){
		.lay = lay, .opt = opt, .d = d,
		.stack = g_array_new(FALSE, FALSE, sizeof(open_tag)),
		.dests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.elems = g_ptr_array_new_with_free_func(extra_free),
	};
	scan_init(&x->sc);
	x->r.parents = x->sc.parents;
	x->drawn = true;
	if (!format_dates(lay->created, x->iso, x->pdf_date)) {
		gb_error(d, gb_noloc(), "cannot write a PDF dated %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", lay->created);
		return false;
	}
	double mw, mh;
	media_size(opt, lay, &mw, &mh);
	x->r.surface = cairo_pdf_surface_create_for_stream(write_bytes, x->raw, mw, mh);
	x->r.cr = cairo_create(x->r.surface);
	set_metadata(x->r.surface, lay, x->iso);
	cairo_set_source_rgb(x->r.cr, 0, 0, 0);
	/* cairo 1.16 writes a tagged PDF (/MarkInfo) under a Document only */
	cairo_tag_begin(x->r.cr, "Document", "");
	open_tag root = { "Document", "Document", true, add_elem(&x->r, NULL), false };
	g_array_append_val(x->r.stack, root);
	return true;
}

/*
 * Draws page p (its tags walked); false once drawing has stopped.  Cairo
 * draws a page when it is shown: an error it meets is reported here, with
 * the page, and nothing after it is drawn or checked (a page left undrawn
 * would only make the later checks report what is missing because of it).
 */
static bool doc_page(doc *x, const gb_page *p)
{
	if (x->stopped)
		return false;
	x->drawn = draw_page(&x->r, p);
	cairo_status_t st = cairo_status(x->r.cr);
	if (x->drawn && st != CAIRO_STATUS_SUCCESS) {
		gb_error(x->r.d, gb_noloc(), "page %d: cannot draw the PDF: %s",
			 p->number, cairo_status_to_string(st));
		x->drawn = false;
	}
	x->stopped = !x->drawn;
	return !x->stopped;
}

/* Ends cairo's PDF after its last page, with its outline.  False after reporting why. */
static bool doc_close(doc *x, gb_diag *d)
{
	render *r = &x->r;
	r->d = d;
	if (!x->drawn)
		return false;
	cairo_tag_end(r->cr, "Document");
	if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the PDF: %s",
			 cairo_status_to_string(cairo_status(r->cr)));
		return false;
	}
	if ((r->opt->outline && r->opt->links && !add_outline(r)) ||
	    (r->opt->links && !check_targets(r)))
		return false;
	cairo_status_t st = cairo_status(r->cr);
	cairo_surface_finish(r->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(r->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the PDF: %s",
			 cairo_status_to_string(st));
		return false;
	}
	return true;
}

/* What libqpdf makes of cairo's PDF, once closed: the edition. */
static GBytes *doc_finish(doc *x, gb_diag *d)
{
	render *r = &x->r;
	return finish_pdf(r->lay, r->opt, x->raw, r->elems, x->iso, x->pdf_date, d, &x->q);
}

static void doc_free(doc *x)
{
	if (x->r.cr)
		cairo_destroy(x->r.cr);
	if (x->r.surface)
		cairo_surface_destroy(x->r.surface);
	scan_free(&x->sc);
	g_array_free(x->r.stack, TRUE);
	g_hash_table_destroy(x->r.dests);
	g_hash_table_destroy(x->r.targets);
	g_ptr_array_free(x->r.elems, TRUE);
	g_byte_array_free(x->raw, TRUE);
	if (x->q)   /* libqpdf is loaded, since it made q */
		qpdf_cleanup(&x->q);
}

GBytes *gb_pdf_render(const gb_layout *lay, const gb_pdf_options *opt,
		      gb_diag *d)
{
	if (opt->booklet)
		return render_booklet(lay, opt, d);
	if (lay->pages->len == 0) {
		gb_error(d, gb_noloc(), "cannot write a PDF of no pages");
		return NULL;
	}
	GBytes *ret = NULL;
	doc x;
	if (!doc_begin(&x, lay, opt, d))
		goto out;
	/* the tags first: cairo must know which elements have children
	   before it draws them */
	for (guint i = 0; i < lay->pages->len; i++)
		scan_page(&x.sc, g_ptr_array_index(lay->pages, i), d);
	if (!scan_end(&x.sc, d))
		goto out;
	for (guint i = 0; i < lay->pages->len; i++)
		if (!doc_page(&x, g_ptr_array_index(lay->pages, i)))
			break;
	if (doc_close(&x, d))
		ret = doc_finish(&x, d);
out:
	doc_free(&x);
	return ret;
}

/* ---- drawing while the book is set ---- */

struct gb_pdf_stream {
	gb_page_stream pages;   /* what gb_typeset() calls */
	const gb_pdf_options *opt;
	const gb_layout *lay;   /* the layout its pages come from */
	GAsyncQueue *queue;     /* gb_page *, or one of the marks below */
	GThread *thread;        /* drawing, or NULL */
	char end, stop;         /* marks: all pages are in; forget them */
	gb_diag *scan_d;        /* what the walk over the tags found */
	gb_diag *draw_d;        /* what drawing found */
	doc x;                  /* the PDF, the drawing thread's until it ends */
	bool begun;             /* the PDF could be started */
	bool scanned;           /* the walk found nothing wrong */
	bool closed;            /* cairo's PDF is complete */
};

/*
 * The drawing thread: walks each page's tags as it comes, draws the pages
 * whose elements are known, and closes cairo's PDF at the end mark.  As
 * gb_pdf_render(), it draws nothing once the walk finds an error.
 */
static gpointer stream_thread(gpointer p)
{
	gb_pdf_stream *s = p;
	doc *x = &s->x;
	bool begun = s->begun = doc_begin(x, s->lay, s->opt, s->draw_d);
	GPtrArray *waiting = g_ptr_array_new();
	guint drawn = 0;        /* pages drawn (or skipped, after an error) */
	for (;;) {
		gpointer item = g_async_queue_pop(s->queue);
		if (item == &s->stop)
			break;
		if (item == &s->end) {
			s->scanned = scan_end(&x->sc, s->scan_d);
			if (begun && s->scanned) {
				for (; drawn < waiting->len; drawn++)
					if (!doc_page(x, waiting->pdata[drawn]))
						break;
				s->closed = doc_close(x, s->draw_d);
			}
			break;
		}
		g_ptr_array_add(waiting, item);
		scan_page(&x->sc, item, s->scan_d);
		if (!begun || x->sc.bad)
			continue;
		for (guint ready = scan_ready(&x->sc); drawn < ready; drawn++)
			if (!doc_page(x, waiting->pdata[drawn]))
				break;
	}
	g_ptr_array_free(waiting, TRUE);
	return NULL;
}

static void stream_page(void *ctx, const gb_layout *lay, const gb_page *p)
{
	gb_pdf_stream *s = ctx;
	if (!s->thread) {
		s->lay = lay;
		s->thread = g_thread_new("pdf", stream_thread, s);
	}
	g_async_queue_push(s->queue, (gpointer)p);
}

/* Ends the thread after its last item (mark), keeping no message. */
static void stream_stop(gb_pdf_stream *s, gpointer mark)
{
	if (!s->thread)
		return;
	g_async_queue_push(s->queue, mark);
	g_thread_join(s->thread);
	s->thread = NULL;
	if (mark == &s->stop) {
		gb_diag_move(NULL, s->scan_d);
		gb_diag_move(NULL, s->draw_d);
	}
}

/* Forgets the PDF drawn so far, if any. */
static void stream_forget(gb_pdf_stream *s)
{
	if (s->lay)
		doc_free(&s->x);
	s->lay = NULL;
	s->closed = false;
}

static void stream_abort(void *ctx)
{
	gb_pdf_stream *s = ctx;
	stream_stop(s, &s->stop);
	stream_forget(s);
}

gb_pdf_stream *gb_pdf_stream_new(const gb_pdf_options *opt)
{
	gb_pdf_stream *s = g_new0(gb_pdf_stream, 1);
	s->pages = (gb_page_stream){ stream_page, stream_abort, s, false };
	s->opt = opt;
	s->queue = g_async_queue_new();
	s->scan_d = gb_diag_new("gsi-book", stderr);
	s->draw_d = gb_diag_new("gsi-book", stderr);
	return s;
}

gb_page_stream *gb_pdf_stream_pages(gb_pdf_stream *s)
{
	return &s->pages;
}

GBytes *gb_pdf_stream_finish(gb_pdf_stream *s, gb_diag *d)
{
	if (!s->pages.done || !s->thread) {
		gb_error(d, gb_noloc(), "cannot finish the PDF: no page was drawn while the book was set");
		return NULL;
	}
	stream_stop(s, &s->end);
	/* as gb_pdf_render(): a bad date, else what the walk found, else
	   what drawing did */
	bool walk = s->begun && !s->scanned;
	gb_diag_move(d, walk ? s->scan_d : s->draw_d);
	gb_diag_move(NULL, walk ? s->draw_d : s->scan_d);
	/* libqpdf works here, in the heap the typesetter has just given
	   back, not in the drawing thread's; what was drawn is freed with s
	   (gb_pdf_stream_free), which may be in another thread */
	return s->closed ? doc_finish(&s->x, d) : NULL;
}

void gb_pdf_stream_free(gb_pdf_stream *s)
{
	if (!s)
		return;
	stream_abort(s);
	g_async_queue_unref(s->queue);
	gb_diag_free(s->scan_d);
	gb_diag_free(s->draw_d);
	g_free(s);
}
