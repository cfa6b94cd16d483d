/* typeset.c - from the document tree to pages of boxes. */
#include "typeset.h"
#include "coverage.h"
#include "picture.h"

#include <cairo-pdf.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "linebreak.h"
#include "load.h"
#include "meta.h"
#include "profile.h"
#include "warm.h"
#include "words.h"

/* ---- the galley: a vertical list of lines, spaces and marks ---- */

typedef enum vkind { V_LINE, V_SPACE, V_MARK } vkind;

typedef struct vitem {
	vkind kind;
	double height;
	bool keep;              /* no page break right after this item */
	GPtrArray *boxes;       /* gb_box *, relative to the item's top-left */
	GPtrArray *notes;       /* vitem *: the lines of notes referenced here */
	struct vitem *header;   /* a table row: its header row, to repeat */
	bool after_heading;     /* the space that ends a heading */
	bool turned;            /* on a page turned a quarter (a table too
				   wide for the measure), in its frame */
} vitem;

static void vitem_free(vitem *v)
{
	if (!v)
		return;
	if (v->boxes) {
		g_ptr_array_foreach(v->boxes, (GFunc)(void (*)(void))gb_box_free, NULL);
		g_ptr_array_free(v->boxes, TRUE);
	}
	if (v->notes) {
		g_ptr_array_foreach(v->notes, (GFunc)(void (*)(void))vitem_free, NULL);
		g_ptr_array_free(v->notes, TRUE);
	}
	g_free(v);
}

static vitem *vitem_new(vkind kind, double height)
{
	vitem *v = g_new0(vitem, 1);
	v->kind = kind;
	v->height = height;
	v->boxes = g_ptr_array_new();
	return v;
}

static gb_box *vbox(vitem *v, gb_box_kind kind, double x, double y, double w,
		    double h, const char *text)
{
	gb_box *b = gb_box_new(kind, x, y, w, h, text);
	g_ptr_array_add(v->boxes, b);
	return b;
}

static gb_box *clone_box(const gb_box *b)
{
	gb_box *c = g_new0(gb_box, 1);
	*c = *b;
	c->text = g_strdup(b->text);
	c->attrs = g_strdup(b->attrs);
	if (c->glyphs)
		gb_glyphs_ref(c->glyphs);
	return c;
}

/* ---- the typesetter's state ---- */

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
	gb_warmer *warm;        /* the glyphs of the lines set, loaded ahead */
	gb_break_params breaking;
	bool failed;
	bool in_note;           /* a note's blocks are being set */
	char *cache_id;         /* the book's identity in the cache, or NULL */
	bool streaming;         /* pages are handed out as they are set */
	guint handed;           /* pages handed out so far */
} ts;

/*
 * The glyphs of a line set, into cairo's caches ahead of drawing, by the
 * warmer's thread; not when the pages are drawn while they are set (the
 * drawing thread loads them as fast, and a third thread only gets in the
 * way of the two).
 */
static void warm(ts *t, const gb_glyphs *g)
{
	if (t->streaming)
		return;
	if (!t->warm)   /* its thread only when there is work for it */
		t->warm = gb_warmer_new();
	gb_warmer_add(t->warm, g);
}

/*
 * Hands out the pages before page upto that were not handed out yet: a
 * page is final once the next one is started.  The fonts they are drawn
 * with get their cairo fonts here, on the thread that owns them, so that
 * the drawing thread only reads them.
 */
static void hand_out(ts *t, guint upto)
{
	if (!t->streaming)
		return;
	const PangoFont *last = NULL;
	for (; t->handed < upto; t->handed++) {
		const gb_page *p = g_ptr_array_index(t->lay->pages, t->handed);
		for (guint i = 0; i < p->boxes->len; i++) {
			const gb_box *b = g_ptr_array_index(p->boxes, i);
			for (guint k = 0; b->glyphs && k < b->glyphs->runs->len; k++) {
				const PangoGlyphItem *gi = b->glyphs->runs->pdata[k];
				PangoFont *f = gi->item->analysis.font;
				if (f != last)
					pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f));
				last = f;
			}
		}
		t->opt->stream->page(t->opt->stream->ctx, t->lay, p);
	}
}

static bool style_ok(double x)
{
	return !isnan(x);
}

/* Reads every print value of the style; false after reporting. */
static bool read_style(ts *t)
{
	const gb_style *s = t->opt->style;
	gb_diag *d = t->d;
	const char *paper = t->opt->paper ? t->opt->paper : gb_style_need(s, "print.paper", d);
	if (!paper)
		return false;
	if (!gb_paper_size(paper, &t->pw, &t->ph)) {
		gb_error(d, gb_noloc(),
			 "unknown paper '%s' (a5, b5, a4, letter, 6x9in, 5.5x8.5in, or WxH with mm or in)",
			 paper);
		return false;
	}
	t->size = gb_style_length(s, "print.size", 0, d);
	double em = style_ok(t->size) ? t->size : 10;
	t->leading = gb_style_number(s, "text.leading", d) * em;
	t->indent = gb_style_length(s, "text.indent", em, d);
	t->inner = gb_style_length(s, "print.margins.inner", em, d);
	t->outer = gb_style_length(s, "print.margins.outer", em, d);
	t->top = gb_style_length(s, "print.margins.top", em, d);
	t->bottom = gb_style_length(s, "print.margins.bottom", em, d);
	t->head_gap = gb_style_length(s, "print.head-gap", em, d);
	t->folio_gap = gb_style_length(s, "print.folio-gap", em, d);
	t->opener_sink = gb_style_number(s, "print.opener-sink", d);
	t->note_rule = gb_style_number(s, "print.note-rule", d);
	t->note_gap = gb_style_length(s, "print.note-gap", em, d);
	t->list_indent = gb_style_length(s, "print.list-indent", em, d);
	t->quote_indent = gb_style_length(s, "print.quote-indent", em, d);
	t->para_space = gb_style_length(s, "print.paragraph-space", em, d);
	t->cell_pad = gb_style_length(s, "print.cell-padding", em, d);
	t->code_scale = gb_style_number(s, "print.code-scale", d);
	t->head_scale = gb_style_number(s, "print.head-scale", d);
	t->note_scale = gb_style_number(s, "text.note-scale", d);
	t->caption_scale = gb_style_number(s, "text.caption-scale", d);
	t->standfirst_scale = gb_style_number(s, "text.standfirst-scale", d);
	t->label_scale = gb_style_number(s, "headings.label-scale", d);
	t->heading_leading = gb_style_number(s, "headings.leading", d);
	t->rule = gb_style_length(s, "print.rule", em, d);
	t->table_rule = gb_style_length(s, "print.table-rule", em, d);
	t->row_space = gb_style_number(s, "print.row-space", d);
	t->label_gap = gb_style_length(s, "print.label-gap", em, d);
	t->break_width = gb_style_number(s, "print.break-width", d);
	t->figure_height = gb_style_number(s, "print.figure-height", d);
	t->image_resolution = gb_style_number(s, "print.image-resolution", d);
	t->head_width = gb_style_number(s, "print.head-width", d);
	t->folio_width = gb_style_length(s, "print.folio-width", em, d);
	t->title_scale = gb_style_number(s, "print.title-scale", d);
	t->table_min_scale = gb_style_number(s, "print.table-min-scale", d);
	t->title_min_scale = gb_style_number(s, "print.title-min-scale", d);
	gb_break_params *bp = &t->breaking;
	bp->pretolerance = gb_style_number(s, "breaking.pretolerance", d);
	bp->tolerance = gb_style_number(s, "breaking.tolerance", d);
	bp->emergency = gb_style_number(s, "breaking.emergency", d);
	bp->line_penalty = gb_style_number(s, "breaking.line-penalty", d);
	bp->hyphen_penalty = gb_style_number(s, "breaking.hyphen-penalty", d);
	bp->double_hyphen_demerits = gb_style_number(s, "breaking.double-hyphen-demerits", d);
	bp->fitness_demerits = gb_style_number(s, "breaking.fitness-demerits", d);
	bp->last_line_demerits = gb_style_number(s, "breaking.last-line-demerits", d);
	bp->min_last_line = gb_style_number(s, "breaking.min-last-line", d);
	bp->stretch = gb_style_number(s, "breaking.stretch", d);
	bp->shrink = gb_style_number(s, "breaking.shrink", d);
	double run = gb_style_number(s, "breaking.max-hyphen-run", d);
	double lmin = gb_style_number(s, "breaking.left-min", d);
	double rmin = gb_style_number(s, "breaking.right-min", d);
	double bvals[] = { bp->pretolerance, bp->tolerance, bp->emergency,
			   bp->line_penalty, bp->hyphen_penalty,
			   bp->double_hyphen_demerits, bp->fitness_demerits,
			   bp->last_line_demerits, bp->min_last_line, bp->stretch,
			   bp->shrink, run, lmin, rmin };
	for (size_t i = 0; i < G_N_ELEMENTS(bvals); i++)
		if (!style_ok(bvals[i]))
			return false;
	bp->max_hyphen_run = (int)run;
	bp->left_min = (int)lmin;
	bp->right_min = (int)rmin;
	for (int l = 1; l <= 3; l++) {
		char key[64];
		snprintf(key, sizeof key, "headings.h%d.scale", l);
		t->h_scale[l] = gb_style_number(s, key, d);
		snprintf(key, sizeof key, "headings.h%d.space-before", l);
		t->h_before[l] = gb_style_length(s, key, em, d);
		snprintf(key, sizeof key, "headings.h%d.space-after", l);
		t->h_after[l] = gb_style_length(s, key, em, d);
	}
	const char *figures = gb_style_need(s, "text.figures", d);
	const char *abbrev = gb_style_need(s, "text.abbreviations", d);
	if (!figures || !abbrev)
		return false;
	t->oldstyle = !strcmp(figures, "oldstyle-nums");
	t->abbrev_caps = !strcmp(abbrev, "small-caps");
	t->body_family = gb_style_need(s, "fonts.body", d);
	t->heading_family = gb_style_need(s, "fonts.heading", d);
	t->mono_family = gb_style_need(s, "fonts.mono", d);
	double all[] = { t->size, t->leading, t->indent, t->inner, t->outer, t->top,
			 t->bottom, t->head_gap, t->folio_gap, t->opener_sink,
			 t->note_rule, t->note_gap, t->list_indent, t->quote_indent,
			 t->para_space, t->cell_pad, t->code_scale, t->head_scale,
			 t->note_scale, t->caption_scale, t->standfirst_scale,
			 t->label_scale, t->h_scale[1], t->h_scale[2], t->h_scale[3],
			 t->h_before[1], t->h_before[2], t->h_before[3],
			 t->h_after[1], t->h_after[2], t->h_after[3],
			 t->heading_leading, t->rule, t->table_rule, t->row_space,
			 t->label_gap, t->break_width, t->figure_height,
			 t->image_resolution, t->head_width, t->folio_width,
			 t->title_scale, t->table_min_scale, t->title_min_scale };
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (!style_ok(all[i]))
			return false;
	if (!t->body_family || !t->heading_family || !t->mono_family)
		return false;
	/* every face is asked for with the fallbacks after it, in the
	   style's order, not in the order fontconfig sorts the others */
	t->fallbacks = gb_style_list(s, "fonts.fallbacks");
	GString *tail = g_string_new(NULL);
	t->listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(t->listed, (gpointer)t->body_family);
	g_hash_table_add(t->listed, (gpointer)t->heading_family);
	g_hash_table_add(t->listed, (gpointer)t->mono_family);
	for (char **f = t->fallbacks; *f; f++) {
		g_string_append_printf(tail, ",%s", *f);
		g_hash_table_add(t->listed, *f);
	}
	t->fallback_tail = g_string_free(tail, FALSE);
	t->mono_list = g_strconcat(t->mono_family, t->fallback_tail, NULL);
	/* a printer's profile: its gutter, and no text nearer the trim than
	   its safety margin */
	if (t->opt->gutter > 0)
		t->inner = t->opt->gutter;
	double *margins[] = { &t->inner, &t->outer, &t->top, &t->bottom };
	for (size_t i = 0; i < G_N_ELEMENTS(margins); i++)
		*margins[i] = MAX(*margins[i], t->opt->min_margin);
	t->measure = t->pw - t->inner - t->outer;
	t->body_h = t->ph - t->top - t->bottom;
	if (t->measure < 10 * t->size || t->body_h < 10 * t->leading) {
		gb_error(d, gb_noloc(), "the page is too small for its margins and type size");
		return false;
	}
	return true;
}

/* ---- inline text: the characters of a block, with their attributes ---- */

typedef struct span {
	guint start, end;       /* bytes in the text */
	const gb_node *node;    /* LINK or NOTEREF */
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
} inl;

static void add_attr(inl *in, PangoAttribute *a, guint start, guint end)
{
	a->start_index = start;
	a->end_index = end;
	pango_attr_list_insert(in->attrs, a);
}

static bool inline_fn(const gb_node *n, bool entering, void *ctx)
{
	inl *in = ctx;
	guint at = (guint)in->text->len;
	switch (n->kind) {
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
		if (!entering)
			break;
		g_string_append(in->text, n->text);
		g_array_append_val(in->segs, ((seg){ at, (guint)in->text->len - at, n->loc, n }));
		if (n->kind == GB_NODE_CODE) {
			/* a tab in code within a line is a space, as HTML shows
			   it (and as prose has it already) */
			for (char *p = in->text->str + at; *p; p++)
				if (*p == '\t')
					*p = ' ';
			add_attr(in, pango_attr_family_new(in->t->mono_list), at,
				 (guint)in->text->len);
			/* at the code's scale: a monospaced face's letters are
			   larger than a book face's at one size */
			add_attr(in, pango_attr_size_new_absolute((int)(in->size * in->t->code_scale *
									PANGO_SCALE)),
				 at, (guint)in->text->len);
		}
		break;
	case GB_NODE_SOFTBREAK:
		if (entering)
			g_string_append_c(in->text, ' ');
		break;
	case GB_NODE_LINEBREAK:
		if (entering)
			g_string_append(in->text, "\u2028");
		break;
	case GB_NODE_EMPH:
	case GB_NODE_STRONG:
	case GB_NODE_LINK:
		if (entering) {
			g_array_append_val(in->stack, at);
			break;
		}
		guint start = g_array_index(in->stack, guint, in->stack->len - 1);
		g_array_set_size(in->stack, in->stack->len - 1);
		if (n->kind == GB_NODE_EMPH)
			add_attr(in, pango_attr_style_new(PANGO_STYLE_ITALIC), start, at);
		else if (n->kind == GB_NODE_STRONG)
			add_attr(in, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, at);
		else if (at > start)
			g_array_append_val(in->spans, ((span){ start, at, n }));
		break;
	case GB_NODE_NOTEREF:
		if (!entering || !n->target)
			break;
		/* superscript digits as characters, so that text extraction
		   shows a note mark, not a digit glued to the word */
		for (const char *p = n->label; *p; p++) {
			static const gunichar sup[10] = {
				0x2070, 0x00B9, 0x00B2, 0x00B3, 0x2074,
				0x2075, 0x2076, 0x2077, 0x2078, 0x2079,
			};
			if (g_ascii_isdigit(*p))
				g_string_append_unichar(in->text, sup[*p - '0']);
			else
				g_string_append_c(in->text, *p);
		}
		g_array_append_val(in->spans, ((span){ at, (guint)in->text->len, n }));
		break;
	case GB_NODE_IMAGE:
		if (entering && n->text) {
			g_string_append(in->text, n->text);
			g_array_append_val(in->segs, ((seg){ at, (guint)in->text->len - at, n->loc, NULL }));
		}
		return false;
	default:
		break;
	}
	return true;
}

static void inl_init(inl *in, ts *t, double size)
{
	in->text = g_string_new(NULL);
	in->attrs = pango_attr_list_new();
	in->spans = g_array_new(FALSE, FALSE, sizeof(span));
	in->segs = g_array_new(FALSE, FALSE, sizeof(seg));
	in->stack = g_array_new(FALSE, FALSE, sizeof(guint));
	in->t = t;
	in->size = size;
}

static void inl_release(inl *in)
{
	g_string_free(in->text, TRUE);
	pango_attr_list_unref(in->attrs);
	g_array_free(in->spans, TRUE);
	g_array_free(in->segs, TRUE);
	g_array_free(in->stack, TRUE);
}

/* The source position of byte index i of the text. */
static gb_loc loc_of(const inl *in, guint i)
{
	gb_loc loc = { NULL, GB_NOPOS };
	for (guint k = 0; k < in->segs->len; k++) {
		const seg *s = &g_array_index(in->segs, seg, k);
		if (s->start > i)
			break;
		loc = s->loc;
		if (loc.off != GB_NOPOS)
			loc.off += i - s->start;
	}
	return loc;
}

/*
 * Whether font is of a family the style lists (body, heading, mono, the
 * fallbacks): fontconfig may find a character in another face of fonts/
 * after them, which the style did not ask for and check does not count.
 * Asked once a font.
 */
static bool listed_font(ts *t, PangoFont *font)
{
	if (!font)
		return false;
	if (!t->font_listed)
		t->font_listed = g_hash_table_new_full(NULL, NULL, g_object_unref, NULL);
	gpointer v = g_hash_table_lookup(t->font_listed, font);
	if (v)
		return GPOINTER_TO_INT(v) == 1;
	PangoFontDescription *got = pango_font_describe(font);
	const char *name = pango_font_description_get_family(got);
	bool ok = name && g_hash_table_contains(t->listed, name);
	pango_font_description_free(got);
	g_hash_table_insert(t->font_listed, g_object_ref(font), GINT_TO_POINTER(ok ? 1 : 2));
	return ok;
}

/* Reports every character of the shaped text that no font can draw. */
static void check_glyphs(ts *t, const gb_glyphs *shaped, const inl *in)
{
	const char *text = shaped->text;
	for (guint r = 0; r < shaped->runs->len; r++) {
		const PangoGlyphItem *run = shaped->runs->pdata[r];
		const PangoGlyphString *gs = run->glyphs;
		bool listed = listed_font(t, run->item->analysis.font);
		gint last = -1;
		for (int g = 0; g < gs->num_glyphs; g++) {
			if (listed && !(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
				continue;
			guint idx = (guint)(run->item->offset + gs->log_clusters[g]);
			gunichar u = g_utf8_get_char(text + idx);
			GUnicodeType type = g_unichar_type(u);
			if (u == 0x2028 || g_unichar_isspace(u) || (gint)idx == last ||
			    (!listed && (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)))
				continue;
			last = (gint)idx;
			char utf8[8] = { 0 };
			g_unichar_to_utf8(u, utf8);
			gb_error(t->d, loc_of(in, idx),
				 "character U+%04X '%s' cannot be drawn: no font in fonts/ has it",
				 u, utf8);
			t->failed = true;
		}
	}
}

/* A description of family alone: no fallbacks. */
static PangoFontDescription *face_desc(const char *family, double size,
				       PangoWeight weight, PangoStyle style)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, weight);
	pango_font_description_set_style(fd, style);
	return fd;
}

/*
 * A description of family followed by the style's fallbacks (Pango reads
 * "A,B,C" as families to try in that order), so that a character family
 * lacks is drawn by the first fallback that has it.
 */
static PangoFontDescription *font_desc(const ts *t, const char *family, double size,
				       PangoWeight weight, PangoStyle style)
{
	char *list = g_strconcat(family, t->fallback_tail, NULL);
	PangoFontDescription *fd = face_desc(list, size, weight, style);
	g_free(list);
	return fd;
}

/*
 * Whether the face of family in weight and style draws every character of
 * text.  A fallback may be of another weight or slant (Symbola has one
 * face); the style's own faces must be the one asked for: fontconfig
 * ranks a language's letters above weight and slant, so a face of another
 * weight or slant is a face that lacks letters.
 */
static bool draws_all(ts *t, const char *family, bool fallback, PangoWeight weight,
		      PangoStyle style, const char *text)
{
	PangoFontDescription *fd = face_desc(family, t->size, weight, style);
	PangoFont *font = pango_context_load_font(t->pc, fd);
	pango_font_description_free(fd);
	if (!font)
		return false;
	PangoFontDescription *got = pango_font_describe(font);
	const char *name = pango_font_description_get_family(got);
	bool ok = name && !strcmp(name, family) &&
		  (fallback || (pango_font_description_get_weight(got) == weight &&
				pango_font_description_get_style(got) == style));
	pango_font_description_free(got);
	for (const char *p = text; ok && *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		GUnicodeType type = g_unichar_type(u);
		if (g_unichar_isspace(u) || type == G_UNICODE_CONTROL ||
		    type == G_UNICODE_FORMAT)
			continue;
		ok = pango_font_has_char(font, u);
	}
	g_object_unref(font);
	return ok;
}

/*
 * The face a line of text (a heading, a running head, an entry of the
 * contents, the title) is set in: the first of family, the body's family
 * and the fallbacks whose face draws every character of it, so that a
 * heading is never a mixture of typefaces (Linux Biolinum has no Ғ, Қ,
 * Ң, Һ: a heading in Kazakh is set in the body's face; one in Chinese in
 * Noto Serif CJK).  When none draws them all, family: Pango then draws
 * each character the first face that has it.
 */
static const char *family_for(ts *t, const char *family, PangoWeight weight,
			      PangoStyle style, const char *text)
{
	if (!text)
		return family;
	if (draws_all(t, family, false, weight, style, text))
		return family;
	if (strcmp(family, t->body_family) &&
	    draws_all(t, t->body_family, false, weight, style, text))
		return t->body_family;
	for (char **f = t->fallbacks; *f; f++)
		if (draws_all(t, *f, true, weight, style, text))
			return *f;
	return family;
}

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
	bool running;           /* running text: old-style figures, small caps */
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

static void small_caps_free(gpointer p)
{
	small_caps *sc = p;
	g_hash_table_destroy(sc->has);
	g_free(sc);
}

/* The first glyph of text shaped in the body's font, with features. */
static PangoGlyph first_glyph(ts *t, const char *text, const char *features,
			      PangoFont **font)
{
	PangoFontDescription *fd = face_desc(t->body_family, t->size, PANGO_WEIGHT_NORMAL,
					     PANGO_STYLE_NORMAL);
	PangoAttrList *al = pango_attr_list_new();
	if (features)
		pango_attr_list_insert(al, pango_attr_font_features_new(features));
	gb_glyphs *g = gb_shape_text(t->pc, text, al, fd);
	PangoGlyph glyph = PANGO_GLYPH_EMPTY;
	if (g->runs->len) {
		const PangoGlyphItem *run = g->runs->pdata[0];
		if (run->glyphs->num_glyphs) {
			glyph = run->glyphs->glyphs[0].glyph;
			if (font)
				*font = g_object_ref(run->item->analysis.font);
		}
	}
	gb_glyphs_unref(g);
	pango_attr_list_unref(al);
	pango_font_description_free(fd);
	return glyph;
}

static small_caps *small_caps_of(ts *t)
{
	small_caps *sc = g_object_get_data(G_OBJECT(t->pc), "gb-small-caps");
	if (sc)
		return sc;
	sc = g_new0(small_caps, 1);
	sc->has = g_hash_table_new(NULL, NULL);
	/* the height of the font's small H over its H */
	sc->scale = 0.75;
	PangoFont *f1 = NULL, *f2 = NULL;
	PangoGlyph cap = first_glyph(t, "H", NULL, &f1), small = first_glyph(t, "H", "c2sc", &f2);
	if (f1 && f2 && cap != small) {
		PangoRectangle a, b;
		pango_font_get_glyph_extents(f1, cap, &a, NULL);
		pango_font_get_glyph_extents(f2, small, &b, NULL);
		if (a.height > 0 && b.height > 0.5 * a.height && b.height < a.height)
			sc->scale = (double)b.height / a.height;
	}
	if (f1)
		g_object_unref(f1);
	if (f2)
		g_object_unref(f2);
	g_object_set_data_full(G_OBJECT(t->pc), "gb-small-caps", sc, small_caps_free);
	return sc;
}

/* Whether the body's font has a small capital for letter u under feature
   (c2sc for a capital, smcp for a small letter). */
static bool has_small_cap(ts *t, gunichar u, bool smcp)
{
	small_caps *sc = small_caps_of(t);
	gpointer key = GUINT_TO_POINTER(u | (smcp ? 0x80000000u : 0));
	guint known = GPOINTER_TO_UINT(g_hash_table_lookup(sc->has, key));
	if (!known) {
		char s[8] = { 0 };
		g_unichar_to_utf8(u, s);
		known = first_glyph(t, s, NULL, NULL) != first_glyph(t, s, smcp ? "smcp" : "c2sc", NULL)
			? 1 : 2;
		g_hash_table_insert(sc->has, key, GUINT_TO_POINTER(known));
	}
	return known == 1;
}

/*
 * The OpenType features of running text, from the style: old-style
 * figures throughout, small capitals for words written in capitals (GSI,
 * BRICS, НАТО) - real small caps from the font; the capitals of a script
 * it has none for, scaled to their height.
 */
static void running_features(ts *t, inl *in)
{
	const char *text = in->text->str;
	if (t->oldstyle)
		add_attr(in, pango_attr_font_features_new("onum"), 0, (guint)in->text->len);
	if (!t->abbrev_caps)
		return;
	const char *p = text;
	while (*p) {
		gunichar u = g_utf8_get_char(p);
		if (!g_unichar_isalpha(u)) {
			p = g_utf8_next_char(p);
			continue;
		}
		const char *w = p;
		int letters = 0, upper = 0;
		while (*p && g_unichar_isalpha(g_utf8_get_char(p))) {
			letters++;
			upper += g_unichar_isupper(g_utf8_get_char(p)) ? 1 : 0;
			p = g_utf8_next_char(p);
		}
		if (letters < 2 || upper != letters)
			continue;
		bool real = true;
		for (const char *q = w; q < p && real; q = g_utf8_next_char(q))
			real = has_small_cap(t, g_utf8_get_char(q), false);
		add_attr(in, real ? pango_attr_font_features_new("c2sc")
				  : pango_attr_scale_new(small_caps_of(t)->scale),
			 (guint)(w - text), (guint)(p - text));
	}
}

/*
 * text in font fd (with attrs, or NULL) as one line in width points (0:
 * any), aligned by align, cut with an ellipsis if it is wider and
 * ellipsize is set: as a one-line PangoLayout sets it, *x is the line's
 * offset.  The caller unrefs the glyphs.  The text is shaped through the
 * word cache, not in a layout, unless it must be cut or wrapped or runs
 * right to left: a layout loads every glyph's outline to measure its line
 * (the glyph warmer loads them off this thread).
 */
static gb_glyphs *one_line(ts *t, const char *text, const PangoFontDescription *fd,
			   PangoAttrList *attrs, double width, PangoAlignment align,
			   bool ellipsize, double *x)
{
	gb_glyphs *g = gb_shape_text(t->pc, text, attrs, fd);
	int lw = width > 0 ? (int)(width * PANGO_SCALE) : -1, w = 0;
	bool rtl = false;
	for (guint i = 0; i < g->runs->len; i++) {
		const PangoGlyphItem *gi = g->runs->pdata[i];
		rtl |= gi->item->analysis.level % 2;
		w += gb_run_width(gi);
	}
	if (!rtl && (lw < 0 || w <= lw)) {
		/* Pango's alignment, in its units */
		int off = 0;
		if (lw > 0 && align == PANGO_ALIGN_RIGHT)
			off = lw - w;
		else if (lw > 0 && align == PANGO_ALIGN_CENTER) {
			off = (lw - w) / 2;
			if (((lw | w) & (PANGO_SCALE - 1)) == 0)
				off = PANGO_UNITS_ROUND(off);
		}
		*x = off / (double)PANGO_SCALE;
		return g;
	}
	gb_glyphs_unref(g);
	PangoLayout *l = pango_layout_new(t->pc);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, text, -1);
	if (attrs)
		pango_layout_set_attributes(l, attrs);
	pango_layout_set_width(l, lw);
	if (ellipsize)
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, align);
	PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
	PangoRectangle logical;
	pango_layout_line_get_extents(line, NULL, &logical);
	*x = logical.x / (double)PANGO_SCALE;
	g = gb_glyphs_from_line(line);
	g_object_unref(l);
	return g;
}

/* The typesetter's sizes and indents saved while a note's blocks are set. */
typedef struct note_state {
	double size, leading, para_space, left, right;
	double list_indent, quote_indent, label_gap;
	bool in_note;
} note_state;

/* A note's blocks are set at the note's size, at the full measure. */
static void note_enter(ts *t, note_state *s)
{
	*s = (note_state){ t->size, t->leading, t->para_space, t->left, t->right,
			   t->list_indent, t->quote_indent, t->label_gap, t->in_note };
	t->in_note = true;
	t->size *= t->note_scale;
	t->leading *= t->note_scale;
	t->para_space *= t->note_scale;
	t->list_indent *= t->note_scale;
	t->quote_indent *= t->note_scale;
	t->label_gap *= t->note_scale;
	t->left = t->right = 0;
}

static void note_leave(ts *t, const note_state *s)
{
	t->size = s->size;
	t->leading = s->leading;
	t->para_space = s->para_space;
	t->left = s->left;
	t->right = s->right;
	t->list_indent = s->list_indent;
	t->quote_indent = s->quote_indent;
	t->label_gap = s->label_gap;
	t->in_note = s->in_note;
}

/* The label of a list's item numbered n: "n." or a bullet; the caller
   frees it. */
static char *item_label(const gb_node *list, int n)
{
	return list->ordered ? g_strdup_printf("%d.", n) : g_strdup("\u2022");
}

/*
 * How far a list's items are indented: the style's list-indent, or more
 * when the list's widest label and the gap after it need more (an ordered
 * list numbered from 123456789 hangs its labels in the indent, never in
 * the margin).
 */
static double list_indent_of(ts *t, const gb_node *list)
{
	if (!list->ordered)
		return t->list_indent;
	double widest = 0;
	PangoFontDescription *fd = font_desc(t, t->body_family, t->size,
					     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	int n = list->number;
	for (const gb_node *item = list->first; item; item = item->next, n++) {
		char *label = item_label(list, n);
		double lx;
		gb_glyphs *g = one_line(t, label, fd, NULL, 0, PANGO_ALIGN_LEFT, false, &lx);
		widest = MAX(widest, gb_glyphs_width(g));
		gb_glyphs_unref(g);
		g_free(label);
	}
	pango_font_description_free(fd);
	return MAX(t->list_indent, widest + t->label_gap);
}

/* A quotation's blocks are indented on both sides (dir 1: entering, -1:
   leaving). */
static void indent_quote(ts *t, int dir)
{
	t->left += dir * t->quote_indent;
	t->right += dir * t->quote_indent;
}

static void note_lines(ts *t, const gb_node *fn, GPtrArray *out);

/* The first of lines (in text order) that ends after byte at. */
static guint line_after(const GArray *lines, guint at)
{
	guint lo = 0, hi = lines->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(lines, gb_line, mid).end <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The spans (links, note marks) of in on each of lines, in their order:
 * line i's are (*list)[r[i]] to (*list)[r[i + 1] - 1], where r is what
 * this returns.  Each span is found once, not once a line: a paragraph
 * may hold thousands on thousands of lines.  The caller frees both.
 */
static guint *spans_by_line(const inl *in, const GArray *lines, guint **list)
{
	guint n = lines->len, total = 0;
	guint *r = g_new0(guint, n + 1);
	for (int pass = 0; pass < 2; pass++) {
		guint *at = pass ? g_memdup2(r, (n + 1) * sizeof *r) : NULL;
		for (guint k = 0; k < in->spans->len; k++) {
			const span *sp = &g_array_index(in->spans, span, k);
			for (guint i = line_after(lines, sp->start);
			     i < n && g_array_index(lines, gb_line, i).start < sp->end; i++) {
				if (!pass)
					r[i + 1]++;
				else
					(*list)[at[i]++] = k;
			}
		}
		if (!pass) {
			for (guint i = 0; i < n; i++)
				r[i + 1] += r[i];
			total = r[n];
			*list = g_new(guint, MAX(total, 1));
		}
		g_free(at);
	}
	return r;
}

/* Whether text[0, n), a link's text, is an address (to url). */
static bool is_address(const char *text, size_t n, const char *url)
{
	if (url && (strlen(url) == n && !strncmp(text, url, n)))
		return true;
	if (url && g_str_has_prefix(url, "mailto:") && strlen(url) - 7 == n &&
	    !strncmp(text, url + 7, n))
		return true;
	return g_strstr_len(text, (gssize)n, "://") || (n > 4 && !strncmp(text, "www.", 4));
}

/*
 * The bytes of in's text that are set as they are, never hyphenated and
 * broken only at their natural points (gb_para_spec.literal): inline
 * code, a link whose text is an address, a word that is one
 * ("https://...", "www..."), its closing punctuation apart.
 */
static guint8 *literal_bytes(const inl *in)
{
	const char *t = in->text->str;
	guint len = (guint)in->text->len;
	guint8 *m = g_new0(guint8, len + 1);
	for (guint k = 0; k < in->segs->len; k++) {
		const seg *s = &g_array_index(in->segs, seg, k);
		if (s->node && s->node->kind == GB_NODE_CODE)
			memset(m + s->start, 1, MIN(s->len, len - s->start));
	}
	for (guint k = 0; k < in->spans->len; k++) {
		const span *sp = &g_array_index(in->spans, span, k);
		if (sp->node->kind == GB_NODE_LINK &&
		    is_address(t + sp->start, sp->end - sp->start, sp->node->url))
			memset(m + sp->start, 1, sp->end - sp->start);
	}
	for (guint i = 0; i < len;) {
		guint e = i;
		while (e < len && t[e] != ' ' && strncmp(t + e, "\u2028", 3))
			e++;
		if (e > i && is_address(t + i, e - i, NULL)) {
			guint b = i, f = e;
			while (b < f && strchr("(\"'<[", t[b]))
				b++;
			while (f > b && strchr(".,;:!?)\"'>]", t[f - 1]))
				f--;
			memset(m + b, 1, f - b);
		}
		i = e < len ? e + (t[e] == ' ' ? 1 : 3) : e;
	}
	return m;
}

/*
 * The byte of line (as the book holds it) where byte off of the text set
 * for it, its tabs expanded as expand_tabs() does, comes from: the first
 * character that starts at or after off (a tab when off is where its
 * spaces start).  line NULL: the text set is the book's own.
 */
static size_t origin_byte(const char *line, size_t off)
{
	if (!line)
		return off;
	size_t len = strlen(line);
	if (!strchr(line, '\t'))
		return MIN(off, len);  /* (an empty line is set as one space) */
	size_t at = 0;  /* byte in set */
	long col = 0;
	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		if (at >= off)
			return (size_t)(p - line);
		if (*p == '\t') {
			do
				at++;
			while (++col % 8);
		} else {
			at += (size_t)(g_utf8_next_char(p) - p);
			col++;
		}
	}
	return len;
}

/*
 * Sets the inlines of block (a paragraph, heading, cell, caption) as lines
 * at the current indents and appends them to the galley out.  Returns the
 * number of lines.
 */
static int set_lines(ts *t, const gb_node *block, const setting *s,
		     const char *prefix, GPtrArray *out, double width,
		     double left)
{
	inl in;
	inl_init(&in, t, s->size);
	if (prefix)
		g_string_append(in.text, prefix);
	for (const gb_node *c = block->first; c; c = c->next)
		gb_node_walk(c, inline_fn, &in);
	if (!in.text->len) {
		inl_release(&in);
		return 0;
	}
	if (s->running)
		running_features(t, &in);
	PangoFontDescription *fd = font_desc(t, s->family, s->size, s->weight, s->style);
	gb_para_spec spec = {
		.text = in.text->str, .attrs = in.attrs, .font = fd,
		.measure = width, .indent = s->first_indent,
		.justify = s->justify, .align = s->align, .lang = t->lang,
		.hyph = t->hyph, .params = &t->breaking,
		.whole_words = s->whole_words,
	};
	guint8 *literal = literal_bytes(&in);
	spec.literal = literal;
	/* the whole paragraph shaped once: for characters no font can draw,
	   and for the line breaker's widths */
	if (t->lang)
		pango_context_set_language(t->pc, pango_language_from_string(t->lang));
	gb_glyphs *whole = gb_shape_text(t->pc, in.text->str, in.attrs, fd);
	check_glyphs(t, whole, &in);
	spec.shaped = whole;
	if (s->justify && t->opt->first_fit) {
		/* the same paragraph, broken first-fit, for the comparison */
		spec.first_fit = true;
		gb_lines_free(gb_break_paragraph(t->pc, &spec, t->opt->first_fit));
		spec.first_fit = false;
	}
	GArray *lines = gb_break_paragraph(t->pc, &spec, s->justify ? t->opt->stats : NULL);
	gb_glyphs_unref(whole);
	g_free(literal);
	if (s->tag) {
		vitem *m = vitem_new(V_MARK, 0);
		vbox(m, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, s->tag);
		m->keep = true;
		g_ptr_array_add(out, m);
	}
	int n = (int)lines->len;
	guint *line_spans = NULL;
	guint *first_span = spans_by_line(&in, lines, &line_spans);
	guint first_seg = 0;
	bool warned = false;
	for (int i = 0; i < n; i++) {
		const gb_line *ln = &g_array_index(lines, gb_line, i);
		if (ln->broken && !warned) {
			/* once a paragraph, where it first happens */
			gb_warning(t->d, loc_of(&in, ln->end),
				   ln->squeezed ? "a line that cannot be set within the rules "
						  "is broken between two letters, without a hyphen"
						: "a word wider than the line is broken between two "
						  "letters, without a hyphen");
			warned = true;
		}
		if (ln->over > 0)
			gb_warning(t->d, loc_of(&in, ln->start),
				   "a line runs %.1f pt past the measure: nothing sets it "
				   "within the rules", ln->over);
		double ascent, h;
		gb_glyphs_extents(ln->glyphs, t->fallbacks, &ascent, &h);
		double lh = MAX(s->leading, h);
		vitem *v = vitem_new(V_LINE, lh);
		double baseline = (lh - h) / 2 + ascent;
		GString *text = g_string_new_len(in.text->str + ln->start, (gssize)(ln->end - ln->start));
		if (ln->hyphenated)
			g_string_append(text, "\u00AD");
		gb_box *b = vbox(v, GB_BOX_TEXT, left + ln->x, baseline, 0, 0, text->str);
		g_string_free(text, TRUE);
		b->w = ln->width;
		b->glyphs = gb_glyphs_ref(ln->glyphs);
		warm(t, ln->glyphs);
		/* where the line's text comes from, in the book's own nodes
		   (made-up ones, for the book's own pages, have no file) */
		while (first_seg < in.segs->len &&
		       g_array_index(in.segs, seg, first_seg).start +
		       g_array_index(in.segs, seg, first_seg).len <= ln->start)
			first_seg++;  /* (ended before this line: never again) */
		for (guint k = first_seg; k < in.segs->len; k++) {
			const seg *sg = &g_array_index(in.segs, seg, k);
			if (sg->start > ln->start)
				break;
			if (sg->node && sg->node->parent && sg->node->text &&
			    ln->start < sg->start + sg->len) {
				b->source = sg->node;
				b->source_off = ln->start - sg->start;
			}
		}
		if (!b->source && s->origin) {
			b->source = s->origin;
			b->source_off = s->origin_off +
					origin_byte(s->origin_line, ln->start);
		}
		if (i == 0 && s->dest)
			vbox(v, GB_BOX_DEST, left, 0, 0, 0, s->dest);
		/* links and note marks on this line: x ranges in the line's own
		   text, which starts at ln->start */
		guint ls = ln->start, le = ln->end;
		double x0 = left + ln->x;
		for (guint j = first_span[i]; j < first_span[i + 1]; j++) {
			const span *sp = &g_array_index(in.spans, span, line_spans[j]);
			guint a = MAX(sp->start, ls), z = MIN(sp->end, le);
			if (a >= z)
				continue;
			double rx0, rx1;
			bool nr = gb_glyphs_x_range(ln->glyphs, a - ls, z - ls, &rx0, &rx1);
			const gb_node *target = sp->node;
			char *dest = NULL;
			if (target->kind == GB_NODE_NOTEREF) {
				dest = g_strconcat("#", target->target->id, NULL);
				if (sp->start >= ls)
					vbox(v, GB_BOX_DEST, nr ? x0 + rx0 : left + ln->x,
					     0, 0, 0, target->id);
				if (!v->notes)
					v->notes = g_ptr_array_new();
				/* a note is set once, at its first reference */
				if (sp->start >= ls && g_hash_table_add(t->notes_set, target->target->id))
					note_lines(t, target->target, v->notes);
			} else if (gb_link_has_target(target)) {
				dest = g_strdup(target->url);
			}
			/* a link without a target (warned of when the book is
			   read) is set as its text, as the EPUB shows it */
			if (nr && rx1 > rx0 && dest)
				vbox(v, GB_BOX_LINK, x0 + rx0, 0, rx1 - rx0, lh, dest);
			g_free(dest);
		}
		/* a line stays with the next: headings, and the first and the
		   last-but-one lines of a paragraph (no orphans, no widows) */
		v->keep = s->keep_all || (n >= 2 && i == 0) || (n >= 3 && i == n - 2) ||
			  (s->tag && i == n - 1) ||
			  ln->hyphenated;  /* a page never ends on a hyphen */
		g_ptr_array_add(out, v);
	}
	if (s->tag) {
		vitem *m = vitem_new(V_MARK, 0);
		vbox(m, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
		m->keep = s->keep_all;
		g_ptr_array_add(out, m);
	}
	if (s->outline && s->dest)
		gb_layout_add_outline(t->lay, s->outline_level, s->outline, s->dest);
	g_free(first_span);
	g_free(line_spans);
	gb_lines_free(lines);
	pango_font_description_free(fd);
	inl_release(&in);
	return n;
}

static void add_space(ts *t, double h)
{
	if (h <= 0)
		return;
	vitem *v = vitem_new(V_SPACE, h);
	g_ptr_array_add(t->galley, v);
}

static void add_mark(GPtrArray *out, bool begin, const char *tag, bool keep)
{
	vitem *m = vitem_new(V_MARK, 0);
	vbox(m, begin ? GB_BOX_TAG_BEGIN : GB_BOX_TAG_END, 0, 0, 0, 0, begin ? tag : NULL);
	m->keep = keep;
	g_ptr_array_add(out, m);
}

/* A fake paragraph holding text, for the book's own pages. */
typedef struct fake {
	gb_node para, text;
} fake;

static const gb_node *fake_para(fake *f, const char *text)
{
	memset(f, 0, sizeof *f);
	f->text.kind = GB_NODE_TEXT;
	f->text.text = (char *)text;
	f->text.loc = (gb_loc){ NULL, GB_NOPOS };
	f->para.kind = GB_NODE_PARAGRAPH;
	f->para.first = f->para.last = &f->text;
	return &f->para;
}

static setting body_setting(ts *t)
{
	setting s = {
		.family = t->body_family, .size = t->size, .leading = t->leading,
		.weight = PANGO_WEIGHT_NORMAL, .style = PANGO_STYLE_NORMAL,
		.justify = true, .align = PANGO_ALIGN_LEFT, .tag = "P",
		.running = true,
	};
	return s;
}

static void set_block(ts *t, const gb_node *b, const gb_node *prev);

/*
 * The lines of footnote fn, at the foot's size, appended to out: every
 * block the note holds (paragraphs, lists, quotations, code, tables), as
 * the text sets them, at the note's size and at the full measure.  Its
 * paragraphs have no indent; the number opens the first of them.
 */
static void note_lines(ts *t, const gb_node *fn, GPtrArray *out)
{
	setting s = body_setting(t);
	s.size = t->size * t->note_scale;
	s.leading = t->leading * t->note_scale;
	s.tag = NULL;
	add_mark(out, true, "Note", false);
	/* the blocks of the note are set as the text's, at the note's size
	   and into out: the typesetter's sizes and flow are the note's while
	   they are set */
	GPtrArray *galley = t->galley;
	note_state saved;
	note_enter(t, &saved);
	t->galley = out;
	bool first = true;
	const gb_node *prev = NULL;
	for (const gb_node *b = fn->first; b; prev = b, b = b->next) {
		guint before = out->len;
		if (first && b->kind != GB_NODE_PARAGRAPH) {
			/* a note that opens with a list, a quotation or code:
			   its number on a line of its own */
			fake f;
			s.dest = fn->id;
			set_lines(t, fake_para(&f, fn->label), &s, NULL, out, t->measure, 0);
		}
		if (b->kind == GB_NODE_PARAGRAPH) {
			char *prefix = first ? g_strdup_printf("%s ", fn->label) : NULL;
			s.dest = first ? fn->id : NULL;
			set_lines(t, b, &s, prefix, out, t->measure, 0);
			g_free(prefix);
		} else {
			set_block(t, b, prev);
		}
		/* the number links back to the reference */
		if (first && out->len > before) {
			for (guint i = before; i < out->len; i++) {
				vitem *v = g_ptr_array_index(out, i);
				if (v->kind != V_LINE)
					continue;
				gb_box *tb = g_ptr_array_index(v->boxes, 0);
				double rx0, rx1;
				char *back = g_strdup_printf("#fnref-%d", fn->number);
				if (tb->glyphs &&
				    gb_glyphs_x_range(tb->glyphs, 0, (guint)strlen(fn->label), &rx0, &rx1))
					vbox(v, GB_BOX_LINK, tb->x + rx0, 0, rx1 - rx0, v->height, back);
				g_free(back);
				break;
			}
		}
		first = false;
	}
	t->galley = galley;
	note_leave(t, &saved);
	add_mark(out, false, NULL, false);
}

/* ---- blocks ---- */
typedef struct pagination pagination;
static void paginate_some(pagination *z, bool all);

/* Sets the blocks from first on; with z, makes the pages each completes. */
static void set_blocks(ts *t, const gb_node *first, pagination *z)
{
	const gb_node *prev = NULL;
	for (const gb_node *b = first; b; b = b->next) {
		if (b->kind == GB_NODE_FOOTNOTE)
			continue;
		set_block(t, b, prev);
		prev = b;
		if (z)
			paginate_some(z, false);
	}
}

static char *heading_text(const gb_node *h)
{
	GString *s = g_string_new(NULL);
	gb_node_plain_text(h, s);
	return g_strstrip(g_string_free(s, FALSE));
}

static void set_heading(ts *t, const gb_node *h)
{
	int l = h->level < 3 ? h->level : 3;
	bool title = h == t->part->target;
	if (!title)
		add_space(t, t->h_before[l]);
	char *text = heading_text(h);
	char tag[4] = { 'H', (char)('0' + l), '\0' };
	if (title && t->part->label) {
		setting ls = body_setting(t);
		ls.family = family_for(t, t->heading_family, PANGO_WEIGHT_NORMAL,
				       PANGO_STYLE_NORMAL, t->part->label);
		ls.size = t->size * t->h_scale[1] * t->label_scale;
		ls.leading = ls.size * t->heading_leading;
		ls.justify = false;
		ls.tag = NULL;
		ls.keep_all = true;
		gb_node label_para = { 0 };
		gb_node label_text = { 0 };
		label_text.kind = GB_NODE_TEXT;
		label_text.text = t->part->label;
		label_text.loc = h->loc;
		label_para.first = label_para.last = &label_text;
		add_mark(t->galley, true, tag, true);
		set_lines(t, &label_para, &ls, NULL, t->galley, t->measure, t->left);
	}
	/* the heading itself: inside the label's element for an appendix */
	bool labelled = title && t->part->label;
	setting s = body_setting(t);
	s.family = family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
			      PANGO_STYLE_NORMAL, text);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * t->h_scale[l];
	s.leading = s.size * t->heading_leading;
	s.justify = false;
	s.tag = labelled ? NULL : tag;
	s.keep_all = true;
	s.running = false;
	s.dest = h->id;
	char *full = labelled ? g_strdup_printf("%s: %s", t->part->label, text) : NULL;
	s.outline = labelled ? full : text;
	s.outline_level = labelled ? 1 : h->level;
	set_lines(t, h, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
	if (labelled)
		add_mark(t->galley, false, NULL, true);
	g_free(full);
	g_hash_table_insert(t->found, g_strdup(h->id), NULL);
	vitem *sp = vitem_new(V_SPACE, t->h_after[l]);
	sp->keep = true;
	sp->after_heading = true;
	g_ptr_array_add(t->galley, sp);
	g_free(text);
}

static void set_paragraph(ts *t, const gb_node *p, const gb_node *prev,
			  const setting *base)
{
	setting s = base ? *base : body_setting(t);
	s.first_indent = prev && prev->kind == GB_NODE_PARAGRAPH ? t->indent : 0;
	set_lines(t, p, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
}

static void set_list(ts *t, const gb_node *list)
{
	add_space(t, t->para_space / 2);
	add_mark(t->galley, true, "L", false);
	int n = list->number;
	double indent = list_indent_of(t, list);
	for (const gb_node *item = list->first; item; item = item->next, n++) {
		add_mark(t->galley, true, "LI", false);
		double old = t->left;
		t->left += indent;
		char *label = item_label(list, n);
		guint first_line = t->galley->len;
		const gb_node *prev = NULL;
		for (const gb_node *b = item->first; b; b = b->next) {
			if (b->kind == GB_NODE_PARAGRAPH) {
				setting s = body_setting(t);
				s.tag = prev ? "P" : "LBody";
				s.first_indent = 0;
				set_lines(t, b, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
			} else {
				set_block(t, b, prev);
			}
			prev = b;
		}
		/* the hanging label, right-aligned before the text */
		for (guint i = first_line; i < t->galley->len; i++) {
			vitem *v = g_ptr_array_index(t->galley, i);
			if (v->kind != V_LINE)
				continue;
			gb_box *tb = g_ptr_array_index(v->boxes, 0);
			PangoFontDescription *fd = font_desc(t, t->body_family, t->size,
							     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
			gb_box *lb = g_new0(gb_box, 1);
			double lx;
			lb->glyphs = one_line(t, label, fd, NULL, 0, PANGO_ALIGN_LEFT, false, &lx);
			double w = gb_glyphs_width(lb->glyphs);
			lb->kind = GB_BOX_TEXT;
			lb->x = t->left - t->label_gap - w;
			lb->y = tb->y;
			lb->w = w;
			lb->text = g_strdup(label);
			warm(t, lb->glyphs);
			/* Lbl before the body's text in the structure */
			gb_box *open = g_new0(gb_box, 1);
			open->kind = GB_BOX_TAG_BEGIN;
			open->text = g_strdup("Lbl");
			gb_box *close = g_new0(gb_box, 1);
			close->kind = GB_BOX_TAG_END;
			/* Lbl and LBody are siblings: the label goes into the
			   mark that opens LBody, before it; that mark has no
			   height and no break after it, so the label's baseline
			   is the line's */
			vitem *mark = i > first_line ? g_ptr_array_index(t->galley, i - 1) : NULL;
			vitem *into = mark && mark->kind == V_MARK ? mark : v;
			g_ptr_array_insert(into->boxes, 0, close);
			g_ptr_array_insert(into->boxes, 0, lb);
			g_ptr_array_insert(into->boxes, 0, open);
			pango_font_description_free(fd);
			break;
		}
		g_free(label);
		t->left = old;
		add_mark(t->galley, false, NULL, false);
	}
	add_mark(t->galley, false, NULL, false);
	add_space(t, t->para_space / 2);
}

static void set_quote(ts *t, const gb_node *q)
{
	add_space(t, t->para_space / 2);
	add_mark(t->galley, true, "BlockQuote", false);
	indent_quote(t, 1);
	set_blocks(t, q->first, NULL);
	indent_quote(t, -1);
	add_mark(t->galley, false, NULL, false);
	add_space(t, t->para_space / 2);
}

/*
 * line with each tab taken to the next tab stop, every 8 columns, as the
 * EPUB's readers show a tab in code; NULL when it has none.  (Without
 * tabs, a line is broken by gsi-book's own line breaker, not Pango's.)
 */
static char *expand_tabs(const char *line)
{
	if (!strchr(line, '\t'))
		return NULL;
	GString *s = g_string_new(NULL);
	long col = 0;
	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		if (*p == '\t') {
			do
				g_string_append_c(s, ' ');
			while (++col % 8);
		} else {
			g_string_append_len(s, p, g_utf8_next_char(p) - p);
			col++;
		}
	}
	return g_string_free(s, FALSE);
}

/* Byte column of the line after the one at byte at in f (f->len past the
   last line). */
static size_t next_line(const gb_file *f, size_t at, size_t column)
{
	const char *nl = memchr(f->data + at, '\n', f->len - at);
	return nl ? (size_t)(nl - f->data) + 1 + column : f->len;
}

static void set_code(ts *t, const gb_node *c)
{
	add_space(t, t->para_space / 2);
	add_mark(t->galley, true, "P", false);
	setting s = body_setting(t);
	s.family = t->mono_family;
	s.size = t->size * t->code_scale;
	s.leading = t->leading * t->code_scale;
	s.justify = false;
	s.tag = NULL;
	s.running = false;       /* no old-style figures or small capitals in code */
	gchar **lines = g_strsplit(c->text, "\n", -1);
	guint n = g_strv_length(lines);
	if (n && !*lines[n - 1])
		n--;
	/* where each line is in the source: a fenced block's first line is
	   the one after its fence, at the fence's column */
	const gb_file *f = c->loc.file;
	size_t at = c->loc.off, column = 0;
	bool placed = f && at != GB_NOPOS && at < f->len;
	if (placed) {
		size_t bol = at;
		while (bol > 0 && f->data[bol - 1] != '\n')
			bol--;
		column = at - bol;
		if (!strncmp(f->data + at, "```", 3) || !strncmp(f->data + at, "~~~", 3))
			at = next_line(f, at, column);
	}
	/* a line wider than the measure goes on on the next, after a
	   continuation mark in the indent that the mark and a space take
	   (an artifact: not part of the text) */
	double avail = t->measure - t->left - t->right;
	PangoFontDescription *fd = font_desc(t, s.family, s.size, s.weight, s.style);
	double mark_x;
	gb_glyphs *mark = one_line(t, "\u21AA", fd, NULL, 0, PANGO_ALIGN_LEFT, false, &mark_x);
	gb_glyphs *mark_space = gb_shape_text(t->pc, "\u21AA ", NULL, fd);
	double mark_w = gb_glyphs_width(mark_space);
	gb_glyphs_unref(mark_space);
	guint first_item = t->galley->len;
	/* each line's boxes point into the block's own text, where the
	   line starts in it, so that a page that starts inside the block
	   starts there (the EPUB's page marker goes into the code) */
	s.origin = c;
	s.origin_off = 0;
	for (guint i = 0; i < n; s.origin_off += strlen(lines[i]) + 1, i++) {
		gb_node line = { 0 }, text = { 0 };
		text.kind = GB_NODE_TEXT;
		s.origin_line = lines[i];
		char *expanded = expand_tabs(lines[i]);
		text.text = expanded ? expanded : *lines[i] ? lines[i] : (char *)" ";
		text.loc = placed && at < f->len ? gb_loc_at(f, at) : c->loc;
		if (placed && at < f->len)
			at = next_line(f, at, column);
		line.first = line.last = &text;
		gb_glyphs *whole = gb_shape_text(t->pc, text.text, NULL, fd);
		bool wraps = gb_glyphs_width(whole) > avail + 0.001 && avail > 4 * mark_w;
		gb_glyphs_unref(whole);
		if (!wraps) {
			set_lines(t, &line, &s, NULL, t->galley, avail, t->left);
			g_free(expanded);
			continue;
		}
		guint from = t->galley->len;
		set_lines(t, &line, &s, NULL, t->galley, avail - mark_w, t->left + mark_w);
		bool first = true;
		for (guint k = from; k < t->galley->len; k++) {
			vitem *v = g_ptr_array_index(t->galley, k);
			if (v->kind != V_LINE || !v->boxes->len)
				continue;
			if (first) {
				/* the first line at the left of the measure */
				for (guint b = 0; b < v->boxes->len; b++)
					((gb_box *)g_ptr_array_index(v->boxes, b))->x -= mark_w;
				first = false;
				continue;
			}
			const gb_box *tb = g_ptr_array_index(v->boxes, 0);
			gb_box *open = gb_box_new(GB_BOX_TAG_BEGIN, 0, 0, 0, 0, "Artifact");
			gb_box *mb = gb_box_new(GB_BOX_TEXT, t->left + mark_x, tb->y, 0, 0, "\u21AA");
			mb->glyphs = gb_glyphs_ref(mark);
			mb->w = gb_glyphs_width(mark);
			warm(t, mark);
			gb_box *close = gb_box_new(GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
			g_ptr_array_insert(v->boxes, 0, close);
			g_ptr_array_insert(v->boxes, 0, mb);
			g_ptr_array_insert(v->boxes, 0, open);
		}
		g_free(expanded);
	}
	gb_glyphs_unref(mark);
	pango_font_description_free(fd);
	/* a block leaves at least two lines at the foot of a page and takes
	   at least two to the next, or moves whole */
	GArray *at_line = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint k = first_item; k < t->galley->len; k++)
		if (((vitem *)g_ptr_array_index(t->galley, k))->kind == V_LINE)
			g_array_append_val(at_line, k);
	if (at_line->len >= 2)
		((vitem *)g_ptr_array_index(t->galley, g_array_index(at_line, guint, 0)))->keep = true;
	if (at_line->len >= 3)
		((vitem *)g_ptr_array_index(t->galley,
					    g_array_index(at_line, guint, at_line->len - 2)))->keep = true;
	g_array_free(at_line, TRUE);
	g_strfreev(lines);
	add_mark(t->galley, false, NULL, false);
	add_space(t, t->para_space / 2);
}

static void set_break(ts *t)
{
	/* a short rule in a space of two lines */
	vitem *v = vitem_new(V_LINE, t->leading * 2);
	double w = t->measure * t->break_width;
	vbox(v, GB_BOX_RULE, (t->measure - w) / 2, t->leading, w, t->rule, NULL);
	g_ptr_array_add(t->galley, v);
}

static void set_table(ts *t, const gb_node *table);
static void set_figure(ts *t, const gb_node *fig);

static void set_block(ts *t, const gb_node *b, const gb_node *prev)
{
	switch (b->kind) {
	case GB_NODE_STANDFIRST: {
		setting s = body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->standfirst_scale;
		s.leading = t->leading * t->standfirst_scale;
		s.justify = false;
		for (const gb_node *p = b->first; p; p = p->next)
			set_paragraph(t, p, NULL, &s);
		add_space(t, t->h_before[2]);
		break;
	}
	case GB_NODE_HEADING:
		set_heading(t, b);
		break;
	case GB_NODE_PARAGRAPH:
		set_paragraph(t, b, prev, NULL);
		break;
	case GB_NODE_LIST:
		set_list(t, b);
		break;
	case GB_NODE_BLOCKQUOTE:
		set_quote(t, b);
		break;
	case GB_NODE_CODE_BLOCK:
		set_code(t, b);
		break;
	case GB_NODE_THEMATIC_BREAK:
		set_break(t);
		break;
	case GB_NODE_TABLE:
		set_table(t, b);
		break;
	case GB_NODE_FIGURE:
		set_figure(t, b);
		break;
	default:
		break;
	}
}

/* ---- tables ---- */

/* Sets the inlines of cell into lines of width w at size (the table's
   text, maybe made smaller); returns the vitems.  A cell breaks at its
   spaces only (and between two characters of Chinese or Japanese): never
   inside a number, a date or a word. */
static GPtrArray *cell_lines(ts *t, const gb_node *cell, double w, bool header,
			     double size)
{
	GPtrArray *out = g_ptr_array_new();
	setting s = body_setting(t);
	s.size = size;
	s.leading = t->leading * size / t->size;
	s.justify = false;
	s.whole_words = true;
	s.tag = NULL;
	s.align = cell->align == GB_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT :
		  cell->align == GB_ALIGN_CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
	if (header)
		s.family = t->heading_family;
	set_lines(t, cell, &s, NULL, out, w, 0);
	return out;
}

/*
 * The widths of a cell at size: nat, its text on one line (its widest
 * line, at hard breaks); min, its widest word (a run between spaces: a
 * number, a date, a word with its hyphens; a character of Chinese or
 * Japanese), which a cell never breaks.
 */
static void cell_widths(ts *t, const gb_node *cell, bool header, double size,
			double *nat, double *min)
{
	inl in;
	inl_init(&in, t, size);
	for (const gb_node *c = cell->first; c; c = c->next)
		gb_node_walk(c, inline_fn, &in);
	PangoFontDescription *fd = font_desc(t, header ? t->heading_family : t->body_family,
					     size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	gb_glyphs *g = gb_shape_text(t->pc, in.text->str, in.attrs, fd);
	double dash_min;
	gb_text_widths(g, nat, &dash_min);
	*min = 0;
	const char *text = in.text->str;
	guint len = (guint)in.text->len;
	/* (Chinese and Japanese break between characters) */
	guint8 *cjk = gb_cjk_breaks(text, len, t->lang);
	for (guint i = 0; i < len;) {
		while (i < len && (text[i] == ' ' || !strncmp(text + i, "\u2028", 3)))
			i += text[i] == ' ' ? 1 : 3;
		guint j = i;
		while (j < len && text[j] != ' ' && strncmp(text + j, "\u2028", 3) &&
		       !(cjk && j > i && cjk[j]))
			j++;
		double x0, x1;
		if (j > i && gb_glyphs_x_range(g, i, j, &x0, &x1))
			*min = MAX(*min, x1 - x0);
		i = j;
	}
	*min = MAX(*min, dash_min);
	g_free(cjk);
	gb_glyphs_unref(g);
	pango_font_description_free(fd);
	inl_release(&in);
}

static vitem *rule_item(double x, double w, double thick, double space)
{
	vitem *v = vitem_new(V_LINE, space);
	vbox(v, GB_BOX_RULE, x, (space - thick) / 2, w, thick, NULL);
	return v;
}

/*
 * Shares avail out between cols columns into w: each at least min (its
 * widest word or number), at most nat (its widest cell on one line), and
 * the room left in proportion to the text each holds (text); what no
 * column can take goes to all.  False when the minimums do not fit.
 */
static bool share_widths(int cols, const double *nat, const double *min,
			 const double *text, double avail, double *w)
{
	double sum_nat = 0, sum_min = 0;
	for (int c = 0; c < cols; c++) {
		sum_nat += nat[c];
		sum_min += min[c];
	}
	if (sum_min > avail + 0.001)
		return false;
	if (sum_nat <= avail) {
		/* every cell on one line: the room left in proportion too */
		for (int c = 0; c < cols; c++)
			w[c] = nat[c] + (avail - sum_nat) * nat[c] / sum_nat;
		return true;
	}
	/* a column narrower than a fair share keeps its natural width when
	   the others' minimums leave room for it (a date is not wrapped to
	   give a description a few points more) */
	bool *full = g_new0(bool, cols);
	double with_fixed = 0;
	for (int c = 0; c < cols; c++)
		with_fixed += nat[c] <= avail / cols ? nat[c] : min[c];
	for (int c = 0; c < cols; c++) {
		full[c] = with_fixed <= avail && nat[c] <= avail / cols;
		w[c] = full[c] ? nat[c] : min[c];
	}
	double rest = avail - (with_fixed <= avail ? with_fixed : sum_min);
	for (int round = 0; round < cols && rest > 0.001; round++) {
		double weight = 0;
		for (int c = 0; c < cols; c++)
			if (!full[c])
				weight += MAX(text[c], 0.001);
		if (weight <= 0)
			break;
		double given = 0;
		for (int c = 0; c < cols; c++) {
			if (full[c])
				continue;
			double add = rest * MAX(text[c], 0.001) / weight;
			if (w[c] + add >= nat[c]) {
				add = MAX(0, nat[c] - w[c]);
				full[c] = true;
			}
			w[c] += add;
			given += add;
		}
		rest -= given;
	}
	for (int c = 0; c < cols && rest > 0.001; c++)
		w[c] += rest / cols;
	g_free(full);
	return true;
}

/* The cells' widths of a table at one size (cell_widths), row by row. */
typedef struct table_measure {
	int cols, rows;
	double *cell_nat;       /* rows x cols, without padding */
	double *nat, *min, *text;  /* per column, without padding */
} table_measure;

static void measure_table(ts *t, const gb_node *table, int cols, double size,
			  table_measure *m)
{
	m->cols = cols;
	m->rows = 0;
	for (const gb_node *row = table->first; row; row = row->next)
		m->rows += row->kind == GB_NODE_TABLE_ROW;
	m->cell_nat = g_new0(double, (gsize)MAX(m->rows, 1) * (gsize)cols);
	m->nat = g_new0(double, cols);
	m->min = g_new0(double, cols);
	m->text = g_new0(double, cols);
	int r = 0;
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			double n, mn;
			cell_widths(t, cell, row->header, size, &n, &mn);
			m->cell_nat[r * cols + c] = n;
			m->nat[c] = MAX(m->nat[c], n);
			m->min[c] = MAX(m->min[c], mn);
			m->text[c] += n;
		}
		r++;
	}
}

static void measure_free(table_measure *m)
{
	g_free(m->cell_nat);
	g_free(m->nat);
	g_free(m->min);
	g_free(m->text);
}

/*
 * The widths of m's columns at scale (of the size m was measured at;
 * widths grow with the size) with padding pad, into w; false when its
 * widest words do not fit in avail (*need: what they take).
 */
static bool widths_at(const table_measure *m, double scale, double pad,
		      double avail, double *w, double *need)
{
	int cols = m->cols;
	double *nat = g_new(double, cols), *min = g_new(double, cols);
	double *text = g_new(double, cols);
	*need = 0;
	for (int c = 0; c < cols; c++) {
		nat[c] = m->nat[c] * scale + pad;
		min[c] = m->min[c] * scale + pad;
		text[c] = m->text[c] * scale;
		*need += min[c];
	}
	bool ok = share_widths(cols, nat, min, text, avail, w);
	g_free(nat);
	g_free(min);
	g_free(text);
	return ok;
}

/* About how deep m is set at scale in widths w: the lines of its deepest
   cell, row by row. */
static double table_depth(const table_measure *m, double scale, double pad,
			  const double *w, double leading, double row_space)
{
	double depth = 0;
	for (int r = 0; r < m->rows; r++) {
		double lines = 1;
		for (int c = 0; c < m->cols; c++) {
			double room = MAX(w[c] - pad, 1);
			lines = MAX(lines, ceil(m->cell_nat[r * m->cols + c] * scale / room - 0.001));
		}
		depth += (lines + row_space) * leading * scale;
	}
	return depth;
}

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

/*
 * The largest scale, down to print.table-min-scale, at which the widest
 * words of m fit in avail, among those that set the table not much deeper
 * than the smallest would (just past the size where the widest words fit,
 * the columns of long text would get no more than their widest word, and
 * a row many lines); -1 when they do not fit even at the smallest (*need:
 * what they take there).
 */
static double table_scale(ts *t, const table_measure *m, double avail,
			  double base_leading, double *w, double *need)
{
	if (widths_at(m, 1, t->cell_pad, avail, w, need))
		return 1;
	double best = -1, best_depth = 0;
	double depth[64], scales[64];
	int n = 0;
	for (double s = 1; n < 64; s -= 0.05) {
		if (s < t->table_min_scale + 1e-9)
			s = t->table_min_scale;
		double nd;
		if (widths_at(m, s, t->cell_pad * s, avail, w, &nd)) {
			scales[n] = s;
			depth[n] = table_depth(m, s, t->cell_pad * s, w, base_leading, t->row_space);
			if (best < 0 || depth[n] < best_depth)
				best_depth = depth[n];
			best = 1;
			n++;
		}
		if (s <= t->table_min_scale + 1e-9)
			break;
	}
	if (best < 0) {
		widths_at(m, t->table_min_scale, t->cell_pad * t->table_min_scale, avail, w, need);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (depth[i] <= best_depth * 1.15)
			return scales[i];
	return scales[n - 1];
}

/*
 * Plans table (cols columns) at the typesetter's current indents and
 * size: in the measure, smaller down to print.table-min-scale when its
 * widest words do not fit; else turned on a page of its own, when they
 * fit the text block's height there; else it is refused, reported at its
 * position.  The one decision both print and check make.  False when
 * refused (p->w is then NULL).
 */
static bool plan_table(ts *t, const gb_node *table, int cols, table_plan *p)
{
	*p = (table_plan){ 0 };
	if (t->lang)
		pango_context_set_language(t->pc, pango_language_from_string(t->lang));
	double avail = t->measure - t->left - t->right;
	double base = t->size * t->caption_scale;
	double base_leading = t->leading * t->caption_scale;
	double *w = g_new0(double, cols);
	table_measure m;
	measure_table(t, table, cols, base, &m);
	double need = 0;
	double scale = table_scale(t, &m, avail, base_leading, w, &need);
	/* turned, the table's width is the text block's height (not in a
	   note, which is set at the foot of the text's page) */
	bool landscape = false;
	double turned = t->body_h, turned_need = 0;
	if (scale < 0 && !t->in_note) {
		scale = table_scale(t, &m, turned, base_leading, w, &turned_need);
		landscape = scale > 0;
		if (landscape)
			avail = turned;
	}
	measure_free(&m);
	if (scale < 0) {
		if (t->in_note)
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt (print.table-min-scale %g), "
				 "the measure is %.0f pt; give it fewer columns, shorter words, or "
				 "a wider paper",
				 cols, need, base * t->table_min_scale, t->table_min_scale, avail);
		else
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt (print.table-min-scale %g), "
				 "the measure is %.0f pt, and %.0f pt on a page of its own turned "
				 "a quarter; give it fewer columns, shorter words, or a wider paper",
				 cols, need, base * t->table_min_scale, t->table_min_scale, avail,
				 turned);
		t->failed = true;
		g_free(w);
		return false;
	}
	/* the widths at that size, from the text shaped at it (at the base
	   size, table_scale() has just found them) */
	double size = base * scale, pad = t->cell_pad * scale;
	for (int tries = 0; scale < 1; tries++) {
		measure_table(t, table, cols, size, &m);
		bool ok = widths_at(&m, 1, pad, avail, w, &need);
		measure_free(&m);
		if (ok)
			break;
		if (tries == 10) {
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt, the measure is %.0f pt",
				 cols, need, size, avail);
			t->failed = true;
			g_free(w);
			return false;
		}
		/* (the widths at the smaller size, a hair off the estimate) */
		scale *= 0.995;
		size = base * scale;
		pad = t->cell_pad * scale;
	}
	*p = (table_plan){ scale, size, pad, avail, w, landscape };
	return true;
}

static void set_table(ts *t, const gb_node *table)
{
	int cols = table->number;
	if (cols <= 0)
		return;
	const gb_node *caption = NULL;
	for (const gb_node *row = table->first; row; row = row->next)
		if (row->kind == GB_NODE_CAPTION)
			caption = row;
	table_plan plan;
	if (!plan_table(t, table, cols, &plan))
		return;
	double scale = plan.scale, size = plan.size, pad = plan.pad;
	double avail = plan.avail, *w = plan.w;
	/* turned, the table is set in the frame of its pages, from its
	   left edge */
	double left = plan.landscape ? 0 : t->left;
	double row_leading = t->leading * t->caption_scale * scale;
	add_space(t, t->para_space);
	guint first = t->galley->len;
	add_mark(t->galley, true, "Table", true);
	if (caption) {
		setting s = body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->caption_scale;
		s.leading = t->leading * t->caption_scale;
		s.justify = false;
		s.tag = "Caption";
		s.keep_all = true;
		set_lines(t, caption, &s, NULL, t->galley, avail, left);
	}
	vitem *top = rule_item(left, avail, t->table_rule, t->leading / 2);
	top->keep = true;
	g_ptr_array_add(t->galley, top);
	vitem *header = NULL;
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		vitem *v = vitem_new(V_LINE, 0);
		vbox(v, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, "TR");
		double x = left, h = 0;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			vbox(v, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, row->header ? "TH" : "TD");
			GPtrArray *lines = cell_lines(t, cell, w[c] - pad, row->header, size);
			double y = 0;
			for (guint i = 0; i < lines->len; i++) {
				vitem *l = g_ptr_array_index(lines, i);
				for (guint k = 0; k < l->boxes->len; k++) {
					gb_box *b = g_ptr_array_index(l->boxes, k);
					b->x += x;
					b->y += y;
					g_ptr_array_add(v->boxes, b);
				}
				g_ptr_array_set_size(l->boxes, 0);
				if (l->notes) {
					if (!v->notes)
						v->notes = g_ptr_array_new();
					for (guint k = 0; k < l->notes->len; k++)
						g_ptr_array_add(v->notes, g_ptr_array_index(l->notes, k));
					g_ptr_array_set_size(l->notes, 0);
				}
				y += l->height;
				vitem_free(l);
			}
			g_ptr_array_free(lines, TRUE);
			vbox(v, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
			h = MAX(h, y);
			x += w[c];
		}
		vbox(v, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
		v->height = h + row_leading * t->row_space;
		if (row->header) {
			v->keep = true;
			g_ptr_array_add(t->galley, v);
			/* a copy to repeat on later pages: text and rules only,
			   outside the structure (the header is tagged once) */
			header = vitem_new(V_LINE, v->height);
			for (guint k = 0; k < v->boxes->len; k++) {
				const gb_box *b = g_ptr_array_index(v->boxes, k);
				if (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_RULE)
					g_ptr_array_add(header->boxes, clone_box(b));
			}
			g_ptr_array_add(t->clones, header);
			vitem *mid = rule_item(left, avail, t->rule, t->leading / 3);
			mid->keep = true;
			g_ptr_array_add(t->galley, mid);
		} else {
			v->header = header;
			g_ptr_array_add(t->galley, v);
		}
	}
	g_ptr_array_add(t->galley, rule_item(left, avail, t->table_rule, t->leading / 2));
	add_mark(t->galley, false, NULL, false);
	for (guint i = first; plan.landscape && i < t->galley->len; i++)
		((vitem *)g_ptr_array_index(t->galley, i))->turned = true;
	add_space(t, t->para_space);
	g_free(w);
}

/* ---- figures ---- */

static void set_figure(ts *t, const gb_node *fig)
{
	const gb_node *img = fig->first;
	if (!img || img->kind != GB_NODE_IMAGE)
		return;
	char *dir = g_path_get_dirname(t->part->text);
	char *rel = g_uri_unescape_string(img->url, NULL);
	char *path = g_build_filename(t->book->dir, dir, rel ? rel : img->url, NULL);
	g_free(dir);
	g_free(rel);
	char *why = NULL;
	double w, h;
	if (!gb_picture_measure(path, &w, &h, &why)) {
		gb_error(t->d, img->loc, "image '%s' %s", img->url, why);
		t->failed = true;
		g_free(why);
		g_free(path);
		return;
	}
	/* at the style's resolution (an SVG: at its size, 96 pixels an
	   inch), at most the measure and most of the page */
	double avail = t->measure - t->left - t->right;
	double dpi = g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG")
		? 96.0 : t->image_resolution;
	w *= 72.0 / dpi;
	h *= 72.0 / dpi;
	double scale = MIN(1.0, MIN(avail / w, t->body_h * t->figure_height / h));
	w *= scale;
	h *= scale;
	add_space(t, t->para_space);
	add_mark(t->galley, true, "Figure", true);
	/* the alt text, in cairo's attribute quoting */
	GString *alt = g_string_new("alt='");
	for (const char *p = img->text ? img->text : ""; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c(alt, '\\');
		g_string_append_c(alt, *p);
	}
	g_string_append_c(alt, '\'');
	gb_box *fig_tag = g_ptr_array_index(((vitem *)g_ptr_array_index(t->galley, t->galley->len - 1))->boxes, 0);
	fig_tag->attrs = g_string_free(alt, FALSE);
	vitem *v = vitem_new(V_LINE, h);
	/* the picture is where a page starting with the figure starts */
	gb_box *pic = vbox(v, GB_BOX_IMAGE, t->left + (avail - w) / 2, 0, w, h, path);
	pic->source = img;
	v->keep = fig->last && fig->last->kind == GB_NODE_CAPTION;
	g_ptr_array_add(t->galley, v);
	g_free(path);
	if (fig->last && fig->last->kind == GB_NODE_CAPTION) {
		setting s = body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->caption_scale;
		s.leading = t->leading * t->caption_scale;
		s.justify = false;
		s.align = PANGO_ALIGN_CENTER;
		s.tag = "Caption";
		set_lines(t, fig->last, &s, NULL, t->galley, avail, t->left);
	}
	add_mark(t->galley, false, NULL, false);
	add_space(t, t->para_space);
}

/* ---- pages ---- */

static char *roman(int n)
{
	static const struct { int v; const char *s; } digits[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" },
		{ 100, "c" }, { 90, "xc" }, { 50, "l" }, { 40, "xl" },
		{ 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(digits); i++)
		for (; n >= digits[i].v; n -= digits[i].v)
			g_string_append(s, digits[i].s);
	return g_string_free(s, FALSE);
}

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

static gb_page *new_page(pager *pg, bool recto_only)
{
	gb_layout *lay = pg->t->lay;
	hand_out(pg->t, lay->pages->len);
	bool next_recto = lay->pages->len % 2 == 0;
	if (recto_only && !next_recto) {
		/* a blank verso: a label, nothing printed */
		gb_page *blank = gb_layout_add_page(lay, false);
		blank->label = pg->body ? g_strdup_printf("%d", ++pg->arabic) : roman(++pg->roman);
		blank->left = pg->t->outer;
		next_recto = true;
	}
	gb_page *p = gb_layout_add_page(lay, next_recto);
	p->label = pg->body ? g_strdup_printf("%d", ++pg->arabic) : roman(++pg->roman);
	p->left = next_recto ? pg->t->inner : pg->t->outer;
	return p;
}

/* Moves the boxes of v onto page at (x, y). */
static void place(ts *t, gb_page *page, vitem *v, double x, double y)
{
	for (guint i = 0; i < v->boxes->len; i++) {
		gb_box *b = g_ptr_array_index(v->boxes, i);
		b->x += x;
		b->y += y;
		if ((b->kind == GB_BOX_TEXT || b->kind == GB_BOX_IMAGE) && b->source &&
		    !page->source) {
			page->source = b->source;
			page->source_off = b->source_off;
		}
		if (b->kind == GB_BOX_DEST && !g_hash_table_contains(t->found, b->text))
			g_hash_table_insert(t->found, g_strdup(b->text), g_strdup(page->label));
		else if (b->kind == GB_BOX_DEST)
			g_hash_table_replace(t->found, g_strdup(b->text), g_strdup(page->label));
		g_ptr_array_add(page->boxes, b);
	}
	g_ptr_array_set_size(v->boxes, 0);
}

/* A line of small text (running heads, folios) at baseline y. */
static void small_text(ts *t, gb_page *page, const char *text, double x,
		       double y, double width, PangoAlignment align, bool caps)
{
	/* in one face, as a heading is */
	PangoFontDescription *fd = font_desc(t, family_for(t, t->body_family, PANGO_WEIGHT_NORMAL,
							   PANGO_STYLE_NORMAL, text),
					     t->size * t->head_scale,
					     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	PangoAttrList *al = NULL;
	GString *shown = g_string_new(NULL);
	if (caps) {
		al = pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_font_features_new("smcp, c2sc"));
		/* a letter the font has no small capital for: its capital,
		   scaled (running heads are not part of the text) */
		double scale = small_caps_of(t)->scale;
		for (const char *p = text; *p; p = g_utf8_next_char(p)) {
			gunichar u = g_utf8_get_char(p);
			guint at = (guint)shown->len;
			bool lower = g_unichar_islower(u);
			if (g_unichar_isalpha(u) && (lower || g_unichar_isupper(u)) &&
			    !has_small_cap(t, u, lower)) {
				g_string_append_unichar(shown, lower ? g_unichar_toupper(u) : u);
				PangoAttribute *a = pango_attr_scale_new(scale);
				a->start_index = at;
				a->end_index = (guint)shown->len;
				pango_attr_list_insert(al, a);
			} else {
				g_string_append_len(shown, p, g_utf8_next_char(p) - p);
			}
		}
	} else {
		g_string_assign(shown, text);
	}
	double lx;
	gb_glyphs *g = one_line(t, shown->str, fd, al, width, align, true, &lx);
	if (al)
		pango_attr_list_unref(al);
	warm(t, g);
	gb_page_add_text(page, x + lx, y, g, shown->str);
	gb_glyphs_unref(g);
	g_string_free(shown, TRUE);
	pango_font_description_free(fd);
}

static double left_margin(const ts *t, const gb_page *p)
{
	return p->recto ? t->inner : t->outer;
}

static void furniture(ts *t, gb_page *page, bool opener, const char *recto_head)
{
	double x = left_margin(t, page);
	/* running heads and folios are not part of the text */
	gb_page_add_tag(page, "Artifact", NULL);
	if (opener) {
		small_text(t, page, page->label, x, t->ph - t->bottom + t->folio_gap,
			   t->measure, PANGO_ALIGN_CENTER, false);
		gb_page_end_tag(page);
		return;
	}
	double y = t->top - t->head_gap;
	/* the book's title on one line (its line feeds as spaces) */
	char *title = page->recto ? NULL : gb_meta_one_line(t->book->meta.title);
	const char *head = page->recto ? recto_head : title;
	if (head)
		small_text(t, page, head, x, y, t->measure * t->head_width, PANGO_ALIGN_CENTER, true);
	g_free(title);
	small_text(t, page, page->label, x, y, t->measure,
		   page->recto ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, false);
	/* the running head is centred on the measure, not on 80% of it */
	gb_box *hb = head ? g_ptr_array_index(page->boxes, page->boxes->len - 2) : NULL;
	if (hb)
		hb->x += t->measure * (1 - t->head_width) / 2;
	gb_page_end_tag(page);
}

static double notes_height(const GPtrArray *notes)
{
	double h = 0;
	for (guint i = 0; notes && i < notes->len; i++)
		h += ((vitem *)g_ptr_array_index(notes, i))->height;
	return h;
}

/* A galley being laid out on pages as it is set (paginate_some). */
struct pagination {
	pager *pg;
	GPtrArray *galley;
	bool opener;            /* a new recto first, the first page sunk */
	bool furnish;           /* running heads and folios */
	const char *recto_head;
	bool headings;          /* what follows a heading keeps with it */
	guint kept;             /* the items looked at for that so far */
	bool keeping;           /* the last of them follow a heading */
	guint i;                /* the first item not on a page yet */
	bool first;             /* no page made yet */
	gb_page *last_page;
};

static void paginate_start(pagination *z, pager *pg, GPtrArray *galley, bool opener,
			   const char *recto_head, bool furnish, bool headings)
{
	*z = (pagination){ .pg = pg, .galley = galley, .opener = opener,
			   .furnish = furnish, .recto_head = recto_head,
			   .headings = headings, .first = true };
}

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
	bool turned;            /* a page of a turned table: its items only,
				   across the text block's height, no notes */
} extent;

static extent page_extent(const pagination *z)
{
	const ts *t = z->pg->t;
	const GPtrArray *galley = z->galley, *carried = z->pg->carried;
	double sep = t->note_gap * 2;
	guint n = galley->len;
	extent e = { 0 };
	guint i = z->i;
	while (i < n && ((vitem *)g_ptr_array_index(galley, i))->kind == V_SPACE)
		i++;
	e.turned = i < n && ((vitem *)g_ptr_array_index(galley, i))->turned;
	e.sink = z->first && z->opener && !e.turned ? t->body_h * t->opener_sink : 0;
	double cap = e.turned ? t->measure : t->body_h - e.sink;
	/* notes carried from the page before come first (on the next
	   upright page) */
	double foot_h = 0;
	for (; carried && !e.turned && e.carried < carried->len; e.carried++) {
		vitem *v = g_ptr_array_index(carried, e.carried);
		if (foot_h + v->height + sep > cap && e.carried)
			break;
		foot_h += v->height;
	}
	e.start = i;
	/* a table row at the top of a page repeats its header row */
	e.repeat = i < n ? ((vitem *)g_ptr_array_index(galley, i))->header : NULL;
	if (e.repeat && !z->first)
		cap -= e.repeat->height;
	else
		e.repeat = NULL;
	/* how far this page goes */
	double h = 0, fh = foot_h;
	guint j = i;
	gint last_good = -1;
	bool foot_full = false, turn = false;
	for (; j < n; j++) {
		vitem *v = g_ptr_array_index(galley, j);
		if (v->turned != e.turned) {
			/* a turned table starts or ends: a new page */
			e.known = turn = true;
			break;
		}
		double base = h + v->height + fh + (fh ? sep : 0);
		double nh = v->notes && !e.turned ? notes_height(v->notes) + (fh ? 0 : sep) : 0;
		if (base - (fh ? sep : 0) + (fh && !nh ? sep : 0) + nh <= cap + 0.01) {
			h += v->height;
			fh += nh;
			if (!v->keep)
				last_good = (gint)j;
			continue;
		}
		e.known = true;
		/* a note too long for the rest of the page: its first line
		   here, with its reference, the rest at the next foot */
		double first_line = 0;
		for (guint q = 0; v->notes && q < v->notes->len && !first_line; q++)
			first_line = ((vitem *)g_ptr_array_index(v->notes, q))->height;
		if (first_line && h + v->height + fh + sep + first_line <= cap + 0.01) {
			h += v->height;
			j++;
			foot_full = true;
		}
		break;
	}
	e.end = j == n || foot_full || (turn && j > i) ? j :
		last_good >= (gint)i ? (guint)last_good + 1 :
		j > i ? j : i + 1;
	if (e.end > n)
		e.end = n;
	return e;
}

/*
 * A heading stays with what follows it: whatever comes between it and the
 * next line of text (a rule, an image, the start of a table) keeps with
 * what follows too.  The text's own first line keeps with its second.
 * Each item is looked at once, as the galley grows.
 */
static void keep_after_headings(pagination *z)
{
	for (; z->kept < z->galley->len; z->kept++) {
		vitem *v = g_ptr_array_index(z->galley, z->kept);
		if (v->after_heading) {
			z->keeping = true;
			continue;
		}
		if (!z->keeping)
			continue;
		bool text = false;
		for (guint k = 0; k < v->boxes->len && !text; k++)
			text = ((gb_box *)g_ptr_array_index(v->boxes, k))->kind == GB_BOX_TEXT;
		if (text)
			z->keeping = false;
		else
			v->keep = true;
	}
}

/*
 * Lays the galley out on pages, as far as it goes: the pages that items
 * set later cannot change, or (all: the galley is complete) every page.
 * Each page is handed out when the next one is started, so a long part is
 * drawn while the rest of it is set.
 */
static void paginate_some(pagination *z, bool all)
{
	pager *pg = z->pg;
	ts *t = pg->t;
	GPtrArray *galley = z->galley;
	double sep = t->note_gap * 2;
	if (z->headings)
		keep_after_headings(z);
	while (z->i < galley->len || (pg->carried && pg->carried->len)) {
		guint n = galley->len;
		/* only spaces and marks left: no page for them; the marks (tag
		   ends) go on the last page */
		bool content = pg->carried && pg->carried->len;
		for (guint k = z->i; k < n && !content; k++)
			content = ((vitem *)g_ptr_array_index(galley, k))->kind == V_LINE;
		if (!content && !all)
			return;
		if (!content && z->last_page) {
			for (guint k = z->i; k < n; k++)
				place(t, z->last_page, g_ptr_array_index(galley, k), 0, t->top);
			z->i = n;
			break;
		}
		extent e = page_extent(z);
		if (!e.known && !all)
			return;
		gb_page *page = new_page(pg, z->first && z->opener);
		z->last_page = page;
		double x0 = left_margin(t, page);
		GPtrArray *foot = g_ptr_array_new();
		for (guint k = 0; k < e.carried; k++)
			g_ptr_array_add(foot, g_ptr_array_steal_index(pg->carried, 0));
		double y = t->top + e.sink;
		if (e.turned) {
			/* in the frame of the turned page (layout.h) */
			x0 = 0;
			y = 0;
		}
		if (e.repeat) {
			for (guint b = 0; b < e.repeat->boxes->len; b++) {
				gb_box *c = clone_box(g_ptr_array_index(e.repeat->boxes, b));
				c->x += x0;
				c->y += y;
				g_ptr_array_add(page->boxes, c);
			}
			y += e.repeat->height;
		}
		for (guint k = e.start; k < e.end; k++) {
			vitem *v = g_ptr_array_index(galley, k);
			place(t, page, v, x0, y);
			y += v->height;
			if (v->notes && e.turned) {
				/* a turned page has no foot: its notes go to
				   the foot of the next upright page */
				if (!pg->carried)
					pg->carried = g_ptr_array_new();
				for (guint q = 0; q < v->notes->len; q++)
					g_ptr_array_add(pg->carried, g_ptr_array_index(v->notes, q));
				g_ptr_array_set_size(v->notes, 0);
			} else if (v->notes) {
				for (guint q = 0; q < v->notes->len; q++)
					g_ptr_array_add(foot, g_ptr_array_index(v->notes, q));
				g_ptr_array_set_size(v->notes, 0);
			}
		}
		if (e.turned) {
			page->turned = page->boxes->len;
			page->turn_x = left_margin(t, page);
			page->turn_y = t->top + t->body_h;
			x0 = left_margin(t, page);
		}
		/* the foot: a short rule, then the notes, at the bottom */
		double total = notes_height(foot);
		if (foot->len) {
			double ftop = t->top + t->body_h - total;
			/* notes that do not fit wait for the next page */
			while (ftop < y + sep && foot->len > 1) {
				vitem *last = g_ptr_array_steal_index(foot, foot->len - 1);
				if (!pg->carried)
					pg->carried = g_ptr_array_new();
				g_ptr_array_insert(pg->carried, 0, last);
				total -= last->height;
				ftop = t->top + t->body_h - total;
			}
			/* ... with what opens the first of them (a list item's
			   mark holds its label) */
			while (foot->len > 1 && pg->carried && pg->carried->len) {
				vitem *last = g_ptr_array_index(foot, foot->len - 1);
				bool opens = last->kind == V_SPACE;
				for (guint k = 0; k < last->boxes->len && last->kind == V_MARK; k++)
					opens |= ((gb_box *)g_ptr_array_index(last->boxes, k))->kind == GB_BOX_TAG_BEGIN;
				if (!opens)
					break;
				g_ptr_array_insert(pg->carried, 0, g_ptr_array_steal_index(foot, foot->len - 1));
				total -= last->height;
				ftop = t->top + t->body_h - total;
			}
			gb_page_add_rule(page, x0, ftop - sep / 2, t->measure * t->note_rule, t->rule);
			/* a note split over two pages is two Note elements, each
			   closed on its page, so that structure tags nest: the
			   elements open where the page ends (the note, and a
			   list or a quotation within it) are closed there and
			   opened again on the next page */
			if (!pg->note_open)
				pg->note_open = g_ptr_array_new_with_free_func((GDestroyNotify)gb_box_free);
			for (guint q = 0; q < pg->note_open->len; q++) {
				const gb_box *o = g_ptr_array_index(pg->note_open, q);
				gb_page_add_tag(page, o->text, o->attrs);
			}
			double fy = ftop;
			for (guint q = 0; q < foot->len; q++) {
				vitem *v = g_ptr_array_index(foot, q);
				for (guint k = 0; k < v->boxes->len; k++) {
					const gb_box *b = g_ptr_array_index(v->boxes, k);
					if (b->kind == GB_BOX_TAG_BEGIN)
						g_ptr_array_add(pg->note_open, clone_box(b));
					else if (b->kind == GB_BOX_TAG_END && pg->note_open->len)
						g_ptr_array_set_size(pg->note_open, pg->note_open->len - 1);
				}
				place(t, page, v, x0, fy);
				fy += v->height;
				vitem_free(v);
			}
			for (guint q = 0; q < pg->note_open->len; q++)
				gb_page_end_tag(page);
		}
		g_ptr_array_free(foot, TRUE);
		if (z->furnish)
			furniture(t, page, z->first && z->opener, z->recto_head);
		z->first = false;
		z->i = e.end;
	}
}

/* Lays a complete galley out on pages (see paginate_some). */
static void paginate(pager *pg, GPtrArray *galley, bool opener,
		     const char *recto_head, bool furnish)
{
	pagination z;
	paginate_start(&z, pg, galley, opener, recto_head, furnish, false);
	paginate_some(&z, true);
}

static void free_galley(GPtrArray *g)
{
	g_ptr_array_foreach(g, (GFunc)(void (*)(void))vitem_free, NULL);
	g_ptr_array_free(g, TRUE);
}

/*
 * Sets text, metadata (a title, the rights), as a paragraph of its own.
 * Its line feeds ('rights: |' over two lines) are hard line breaks, as
 * <br/> in the EPUB, not characters Pango draws as a return symbol.
 */
static void line_of(ts *t, const char *text, setting *s)
{
	char **lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);
	gb_node para = { .kind = GB_NODE_PARAGRAPH, .loc = { NULL, GB_NOPOS } };
	gb_node *kids = g_new0(gb_node, 2 * (gsize)n);
	gb_node *prev = NULL;
	for (guint i = 0, k = 0; i < n; i++) {
		g_strchomp(lines[i]);   /* and a CR before the LF */
		for (int kind = i ? 0 : 1; kind < 2; kind++, k++) {
			gb_node *c = &kids[k];
			c->kind = kind ? GB_NODE_TEXT : GB_NODE_LINEBREAK;
			c->text = kind ? lines[i] : NULL;
			c->loc = (gb_loc){ NULL, GB_NOPOS };
			/* (no parent: made-up nodes are no page's source) */
			c->prev = prev;
			if (prev)
				prev->next = c;
			else
				para.first = c;
			para.last = prev = c;
		}
	}
	set_lines(t, &para, s, NULL, t->galley, t->measure, 0);
	g_free(kids);
	g_strfreev(lines);
}

static double galley_height(const GPtrArray *g)
{
	double h = 0;
	for (guint i = 0; i < g->len; i++)
		h += ((vitem *)g_ptr_array_index(g, i))->height;
	return h;
}

/*
 * The title page's lines into t->galley, the title at title_scale of the
 * text's size; returns where the publisher's line starts (-1: none).
 */
static gint title_lines(ts *t, double title_scale)
{
	const gb_meta *m = &t->book->meta;
	setting s = body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	s.family = family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
			      PANGO_STYLE_NORMAL, m->title);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * title_scale;
	s.leading = s.size * t->heading_leading;
	s.tag = "H1";
	line_of(t, m->title, &s);
	add_space(t, t->leading * 1.5);
	s = body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	if (m->subtitle) {
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->h_scale[2];
		s.leading = s.size * 1.3;
		line_of(t, m->subtitle, &s);
		add_space(t, t->leading * 3);
	}
	for (guint i = 0; i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		s = body_setting(t);
		s.justify = false;
		s.align = PANGO_ALIGN_CENTER;
		s.size = t->size * t->h_scale[3];
		s.leading = s.size * 1.4;
		/* the role, when it is not the author's */
		char *name = strcmp(a->role, "aut") ?
			     g_strdup_printf("%s, %s", a->name, gb_role_name(a->role)) :
			     g_strdup(a->name);
		line_of(t, name, &s);
		g_free(name);
		if (a->affiliation) {
			s.style = PANGO_STYLE_ITALIC;
			s.size = t->size;
			s.leading = t->leading;
			line_of(t, a->affiliation, &s);
		}
		add_space(t, t->leading);
	}
	if (!m->publisher)
		return -1;
	/* the publisher at the foot of the page */
	gint at = (gint)t->galley->len;
	s = body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	line_of(t, m->publisher, &s);
	return at;
}

/* Where book.yaml gives key (at the start of a line), for a message. */
static gb_loc meta_key_loc(const ts *t, const char *key)
{
	const gb_file *f = t->book->files->len ? g_ptr_array_index(t->book->files, 0) : NULL;
	size_t n = strlen(key);
	for (size_t at = 0; f && at < f->len;) {
		if (!strncmp(f->data + at, key, n) && f->data[at + n] == ':')
			return gb_loc_at(f, at);
		const char *nl = memchr(f->data + at, '\n', f->len - at);
		at = nl ? (size_t)(nl - f->data) + 1 : f->len;
	}
	return gb_noloc();
}

/*
 * The title page: the title, the subtitle, the contributors, and the
 * publisher at the foot, one page.  A title too long for the page at the
 * style's size is set smaller, down to print.title-min-scale; if it still
 * does not fit, the page starts at the top of the text block instead of
 * the opener's sink; if even that does not fit, a warning names the keys
 * to shorten.
 */
static void title_page(ts *t, pager *pg)
{
	const gb_meta *m = &t->book->meta;
	double sunk = t->body_h * (1 - t->opener_sink), whole = t->body_h;
	double scale = t->title_scale;
	bool sink = true;
	gint at;
	for (;;) {
		t->galley = g_ptr_array_new();
		at = title_lines(t, scale);
		double h = galley_height(t->galley);
		if (h <= sunk + 0.01)
			break;
		if (scale > t->title_min_scale + 1e-9) {
			free_galley(t->galley);
			scale = MAX(scale - 0.1, t->title_min_scale);
			continue;
		}
		sink = false;
		if (h > whole + 0.01)
			gb_warning(t->d, meta_key_loc(t, "title"),
				   "the title page does not fit on one page, even with the title "
				   "at %.1f pt (print.title-min-scale): shorten 'title'%s%s",
				   t->size * scale, m->subtitle ? ", 'subtitle'" : "",
				   m->authors->len > 1 ? " or the contributors under 'author'" : "");
		break;
	}
	if (at >= 0) {
		/* the publisher at the foot: a space before it fills the page */
		double cap = sink ? sunk : whole;
		vitem *fill = vitem_new(V_LINE, MAX(0, cap - galley_height(t->galley) - 0.01));
		g_ptr_array_insert(t->galley, at, fill);
	}
	/* the opener's sink (see paginate) puts the title down the page */
	paginate(pg, t->galley, sink, NULL, false);
	free_galley(t->galley);
}

static void copyright_page(ts *t, pager *pg)
{
	const gb_meta *m = &t->book->meta;
	t->galley = g_ptr_array_new();
	setting s = body_setting(t);
	s.justify = false;
	s.size = t->size * t->note_scale;
	s.leading = t->leading * t->note_scale;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(lines, g_strdup(m->title));
	if (m->rights)
		g_ptr_array_add(lines, g_strdup(m->rights));
	/* the facts of the EPUB's colophon, in its order and the book's
	   words: the publisher, date, source, identifier and fonts (the
	   families in use and the fallbacks the book needs) */
	char **used = gb_fallbacks_used(t->book, t->opt->fonts, t->opt->style, t->d);
	GPtrArray *fam = g_ptr_array_new();
	g_ptr_array_add(fam, (gpointer)t->body_family);
	g_ptr_array_add(fam, (gpointer)t->heading_family);
	g_ptr_array_add(fam, (gpointer)t->mono_family);
	for (char **f = used; f && *f; f++)
		g_ptr_array_add(fam, *f);
	g_ptr_array_add(fam, NULL);
	GArray *facts = gb_colophon_facts(m, t->opt->fonts, (const char *const *)fam->pdata);
	g_ptr_array_free(fam, TRUE);
	g_strfreev(used);
	const gb_words *w = gb_words_for(m->lang);
	for (guint i = 0; i < facts->len; i++) {
		const gb_fact *f = &g_array_index(facts, gb_fact, i);
		g_ptr_array_add(lines, g_strdup_printf("%s: %s%s", f->key, f->value,
						       f->key == w->fonts ? "." : ""));
	}
	gb_facts_free(facts);
	for (guint i = 0; i < lines->len; i++) {
		line_of(t, g_ptr_array_index(lines, i), &s);
		add_space(t, s.leading / 2);
	}
	g_ptr_array_free(lines, TRUE);
	/* set at the foot of the page */
	double h = 0;
	for (guint i = 0; i < t->galley->len; i++)
		h += ((vitem *)g_ptr_array_index(t->galley, i))->height;
	vitem *sink = vitem_new(V_LINE, MAX(0, t->body_h - h));
	g_ptr_array_insert(t->galley, 0, sink);
	paginate(pg, t->galley, false, NULL, false);
	free_galley(t->galley);
}

static void contents_pages(ts *t, pager *pg)
{
	const gb_book *b = t->book;
	t->galley = g_ptr_array_new();
	/* titled in the book's language, as the EPUB's nav; in one face, as
	   a heading ("Мазмұны": Biolinum has no Ұ) */
	const char *title = gb_words_for(b->meta.lang)->contents;
	setting s = body_setting(t);
	s.family = family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
			      PANGO_STYLE_NORMAL, title);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * t->h_scale[1];
	s.leading = s.size * t->heading_leading;
	s.justify = false;
	s.tag = "H1";
	s.dest = "contents";
	line_of(t, title, &s);
	add_space(t, t->h_after[1]);
	add_mark(t->galley, true, "TOC", false);
	double num_w = t->folio_width;
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *e = g_ptr_array_index(b->toc, i);
		setting es = body_setting(t);
		es.justify = false;
		es.tag = "TOCI";
		if (e->level == 1) {
			add_space(t, t->leading / 3);
			es.weight = PANGO_WEIGHT_NORMAL;
		}
		double indent = e->level == 1 ? 0 : t->list_indent;
		char *text = e->label ? g_strdup_printf("%s: %s", e->label, e->title)
				      : g_strdup(e->title);
		es.family = family_for(t, es.family, es.weight, es.style, text);
		fake f;
		guint before = t->galley->len;
		set_lines(t, fake_para(&f, text), &es, NULL, t->galley,
			  t->measure - indent - num_w, indent);
		g_free(text);
		/* the last line gets the leaders and the page number */
		gint last = -1;
		for (guint k = before; k < t->galley->len; k++)
			if (((vitem *)g_ptr_array_index(t->galley, k))->kind == V_LINE)
				last = (gint)k;
		if (last < 0)
			continue;
		vitem *v = g_ptr_array_index(t->galley, (guint)last);
		gb_box *tb = g_ptr_array_index(v->boxes, 0);
		const char *folio = g_hash_table_lookup(t->page_of, e->heading->id);
		char *num = g_strdup(folio ? folio : "");
		PangoFontDescription *fd = font_desc(t, t->body_family, t->size,
						     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
		/* dot leaders on a grid, so that they line up entry to entry */
		double x;
		gb_glyphs *dg = one_line(t, ". ", fd, NULL, 0, PANGO_ALIGN_LEFT, false, &x);
		double unit = gb_glyphs_width(dg);
		gb_glyphs_unref(dg);
		double from = ceil((tb->x + tb->w + unit) / unit) * unit;
		double to = t->measure - num_w + unit;
		int count = unit > 0 ? (int)((to - from) / unit) : 0;
		if (count > 0) {
			GString *dots = g_string_new(NULL);
			for (int k = 0; k < count; k++)
				g_string_append(dots, ". ");
			gb_box *db = vbox(v, GB_BOX_TEXT, from, tb->y, count * unit, 0, dots->str);
			db->glyphs = one_line(t, dots->str, fd, NULL, 0, PANGO_ALIGN_LEFT, false, &x);
			warm(t, db->glyphs);
			g_string_free(dots, TRUE);
		}
		gb_glyphs *ng = one_line(t, num, fd, NULL, num_w, PANGO_ALIGN_RIGHT, false, &x);
		gb_box *nb = vbox(v, GB_BOX_TEXT, t->measure - num_w + x, tb->y, 0, 0, num);
		nb->glyphs = ng;
		warm(t, nb->glyphs);
		nb->w = gb_glyphs_width(nb->glyphs);
		pango_font_description_free(fd);
		/* the whole entry links to its heading */
		char *dest = g_strconcat("#", e->heading->id, NULL);
		for (guint k = before; k < t->galley->len; k++) {
			vitem *lv = g_ptr_array_index(t->galley, k);
			if (lv->kind == V_LINE)
				vbox(lv, GB_BOX_LINK, indent, 0, t->measure - indent, lv->height, dest);
		}
		g_free(dest);
		g_free(num);
	}
	add_mark(t->galley, false, NULL, false);
	paginate(pg, t->galley, true, title, true);
	free_galley(t->galley);
}

static char *part_head(const gb_node *part)
{
	if (!part->target)
		return NULL;
	char *title = heading_text(part->target);
	if (!part->label)
		return title;
	char *s = g_strdup_printf("%s: %s", part->label, title);
	g_free(title);
	return s;
}

/* One pass over the book; the layout is t->lay. */
static void one_pass(ts *t)
{
	pager pg = { t, 0, 0, false, NULL, NULL };
	title_page(t, &pg);
	copyright_page(t, &pg);
	t->contents_first = t->lay->pages->len;
	t->contents_roman = pg.roman;
	contents_pages(t, &pg);
	t->contents_end = t->lay->pages->len;
	for (const gb_node *p = t->book->root->first; p; p = p->next) {
		t->part = p;
		t->lang = p->lang;
		t->left = t->right = 0;
		if (p->part_kind != GB_PART_FRONTMATTER && !pg.body) {
			pg.body = true;
			/* arabic 1 is a recto: finish the front matter on a verso */
			if (t->lay->pages->len % 2 == 1) {
				hand_out(t, t->lay->pages->len);
				gb_page *blank = gb_layout_add_page(t->lay, false);
				blank->label = roman(++pg.roman);
				blank->left = t->outer;
			}
		}
		t->galley = g_ptr_array_new();
		add_mark(t->galley, true, "Sect", false);
		/* links to the part itself land on its first page */
		vitem *sect = g_ptr_array_index(t->galley, 0);
		/* a part in another language says so (/Lang): a reader
		   reads its text in that language */
		if (p->lang && g_ascii_strcasecmp(p->lang, t->book->meta.lang))
			((gb_box *)g_ptr_array_index(sect->boxes, 0))->attrs =
				g_strdup_printf("lang='%s'", p->lang);
		vbox(sect, GB_BOX_DEST, 0, 0, 0, 0, p->id);
		/* the pages go out as the blocks that fill them are set, to
		   be drawn while the rest is set */
		char *head = part_head(p);
		pagination z;
		paginate_start(&z, &pg, t->galley, true, head, true, true);
		set_blocks(t, p->first, &z);
		add_mark(t->galley, false, NULL, false);
		paginate_some(&z, true);
		g_free(head);
		free_galley(t->galley);
	}
	t->galley = NULL;
	if (pg.note_open)
		g_ptr_array_free(pg.note_open, TRUE);
	if (pg.carried) {
		g_ptr_array_foreach(pg.carried, (GFunc)(void (*)(void))vitem_free, NULL);
		g_ptr_array_free(pg.carried, TRUE);
	}
}

/*
 * Sets the contents again, with the page numbers in page_of, into a layout
 * of their own, and tells whether they take the same pages as in t->lay;
 * if so and swap is set, moves them into t->lay.
 */
static bool contents_match(ts *t, GHashTable *page_of, bool swap)
{
	gb_layout *whole = t->lay;
	GHashTable *was = t->page_of;
	gb_layout *part = gb_layout_new(t->pw, t->ph);
	/* the pages before, as empty stand-ins: the same recto and verso */
	for (guint i = 0; i < t->contents_first; i++)
		gb_layout_add_page(part, i % 2 == 0);
	t->lay = part;
	t->page_of = page_of;
	t->found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	bool streaming = t->streaming;
	t->streaming = false;
	pager pg = { t, t->contents_roman, 0, false, NULL, NULL };
	contents_pages(t, &pg);
	t->streaming = streaming;
	bool same = part->pages->len == t->contents_end;
	for (guint i = t->contents_first; same && i < t->contents_end; i++) {
		gb_page *old = g_ptr_array_index(whole->pages, i);
		gb_page *now = g_ptr_array_index(part->pages, i);
		same = !g_strcmp0(old->label, now->label) && old->recto == now->recto;
	}
	if (same && swap) {
		for (guint i = t->contents_first; i < t->contents_end; i++) {
			gb_page *old = g_ptr_array_index(whole->pages, i);
			gb_page *now = g_ptr_array_index(part->pages, i);
			GPtrArray *tmp = old->boxes;
			old->boxes = now->boxes;
			now->boxes = tmp;
		}
	}
	g_hash_table_destroy(t->found);
	t->found = NULL;
	t->lay = whole;
	t->page_of = was;
	gb_layout_free(part);
	return same;
}

/*
 * Sets the contents again, with the page numbers of the pass just done,
 * and moves them into t->lay if they take the same pages.  Returns false
 * when they do not (the caller runs a full pass).
 */
static bool redo_contents(ts *t)
{
	return contents_match(t, t->page_of, true);
}

static bool same_pages(GHashTable *a, GHashTable *b)
{
	if (g_hash_table_size(a) != g_hash_table_size(b))
		return false;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, a);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (g_strcmp0(v, g_hash_table_lookup(b, k)))
			return false;
	return true;
}

static char *keywords(const gb_meta *m)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < m->subjects->len; i++) {
		if (i)
			g_string_append(s, ", ");
		g_string_append(s, g_ptr_array_index(m->subjects, i));
	}
	return g_string_free(s, FALSE);
}

/*
 * The book's identity in the user's cache, under which the words its
 * paragraphs are shaped into are kept between runs (gb_shape_cache_keep):
 * what decides their glyphs besides their items - the font files (by their
 * sums), fontconfig (which file a description finds), Pango and HarfBuzz,
 * the font options set in gb_typeset() - and the book's identifier, so
 * that an entry holds one book's words.  NULL when the cache is off or a
 * font has no sum.  The caller frees it.
 */
static char *cache_id(ts *t)
{
	if (!gb_cache_on())
		return NULL;
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)"unhinted, no metrics hinting, unrounded", -1);
	g_checksum_update(sum, (const guchar *)pango_version_string(), -1);
	g_checksum_update(sum, (const guchar *)hb_version_string(), -1);
	char fc[16];
	g_snprintf(fc, sizeof fc, "fontconfig %d", FcGetVersion());
	g_checksum_update(sum, (const guchar *)fc, -1);
	for (guint i = 0; i < t->opt->fonts->fonts->len; i++) {
		const gb_font *f = t->opt->fonts->fonts->pdata[i];
		if (!f->sha256) {
			g_checksum_free(sum);
			return NULL;
		}
		g_checksum_update(sum, (const guchar *)f->sha256, -1);
	}
	g_checksum_update(sum, (const guchar *)t->fallback_tail, -1);
	const gb_meta *m = &t->book->meta;
	g_checksum_update(sum, (const guchar *)(m->identifier ? m->identifier : ""), -1);
	char *id = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return id;
}

/* ---- passes ---- */

/* A new layout for a pass, with the book's metadata. */
static void begin_pass(ts *t)
{
	gb_layout_free(t->lay);
	t->lay = gb_layout_new(t->pw, t->ph);
	t->lay->block_top = t->top;
	t->lay->block_bottom = t->ph - t->bottom;
	t->lay->measure = t->measure;
	const gb_meta *m = &t->book->meta;
	/* (on one line: the running heads and the Info dictionary) */
	t->lay->title = gb_meta_one_line(m->title);
	/* the authors, as the cover and the EPUB's dc:creator name them (an
	   editor or translator is a contributor, not an author) */
	t->lay->author = gb_meta_author_names(m, ", ", " and ");
	t->lay->subject = gb_meta_one_line(m->description ? m->description : m->subtitle);
	t->lay->keywords = keywords(m);
	t->lay->lang = g_strdup(m->lang);
	t->lay->created = t->opt->timestamp;
	t->found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	t->failed = false;
	/* figures count the last pass only */
	if (t->opt->stats)
		memset(t->opt->stats, 0, sizeof *t->opt->stats);
	if (t->opt->first_fit)
		memset(t->opt->first_fit, 0, sizeof *t->opt->first_fit);
	t->clones = g_ptr_array_new_with_free_func((GDestroyNotify)vitem_free);
	t->notes_set = g_hash_table_new(g_str_hash, g_str_equal);
}

/* One pass over the book; true when its page numbers are those it was set with. */
static bool full_pass(ts *t)
{
	begin_pass(t);
	one_pass(t);
	g_ptr_array_free(t->clones, TRUE);
	g_hash_table_destroy(t->notes_set);
	bool stable = same_pages(t->found, t->page_of);
	g_hash_table_destroy(t->page_of);
	t->page_of = t->found;
	t->found = NULL;
	return stable;
}

/*
 * The passes, from no page numbers: the contents need the pages, which
 * need the contents; repeat until the page numbers stop moving.
 */
static void passes(ts *t)
{
	for (int pass = 0; pass < 4; pass++) {
		bool stable = full_pass(t);
		if (stable || t->failed)
			break;
		/* only the contents' page numbers moved: set the contents again
		   with them, and if they take the same pages, nothing else
		   moves - no second pass over the whole book */
		if (redo_contents(t))
			break;
		/* diagnostics of a pass are the same in the next: report once */
		if (gb_diag_errors(t->d))
			break;
	}
}

/* The font map and context text is measured and shaped with, on fc. */
/* Frees what read_style() made of the fonts. */
static void free_style(ts *t)
{
	g_strfreev(t->fallbacks);
	g_free(t->fallback_tail);
	g_free(t->mono_list);
	if (t->listed)
		g_hash_table_destroy(t->listed);
	if (t->font_listed)
		g_hash_table_destroy(t->font_listed);
}

static void open_pango(ts *t, FcConfig *fc)
{
	t->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(t->map), fc);
	t->pc = pango_font_map_create_context(t->map);
	pango_context_set_round_glyph_positions(t->pc, FALSE);
	/* the PDF surface's own font options: the fonts Pango measures with
	   are then the very fonts cairo draws the PDF with, and each glyph
	   is loaded once, not once for each */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_surface_t *probe = cairo_pdf_surface_create_for_stream(NULL, NULL, 1, 1);
	cairo_surface_get_font_options(probe, fo);
	cairo_surface_destroy(probe);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(t->pc, fo);
	cairo_font_options_destroy(fo);
}

/* Plans every table of the blocks from first on, at the indents and size
   the typesetter sets them at. */
static void plan_tables(ts *t, const gb_node *first)
{
	for (const gb_node *b = first; b; b = b->next) {
		switch (b->kind) {
		case GB_NODE_TABLE: {
			table_plan p;
			if (b->number > 0 && plan_table(t, b, b->number, &p))
				g_free(p.w);
			break;
		}
		case GB_NODE_LIST: {
			double indent = list_indent_of(t, b);
			for (const gb_node *item = b->first; item; item = item->next) {
				double old = t->left;
				t->left += indent;
				plan_tables(t, item->first);
				t->left = old;
			}
			break;
		}
		case GB_NODE_BLOCKQUOTE:
			indent_quote(t, 1);
			plan_tables(t, b->first);
			indent_quote(t, -1);
			break;
		case GB_NODE_FOOTNOTE: {
			note_state saved;
			note_enter(t, &saved);
			plan_tables(t, b->first);
			note_leave(t, &saved);
			break;
		}
		default:
			break;
		}
	}
}

bool gb_typeset_check_tables(const gb_book *book, const gb_typeset_options *opt,
			     gb_diag *d)
{
	ts t = { .book = book, .opt = opt, .d = d };
	FcConfig *fc = read_style(&t) ? gb_fontset_fc(opt->fonts, d) : NULL;
	if (!fc) {
		free_style(&t);
		return false;
	}
	open_pango(&t, fc);
	for (const gb_node *p = book->root->first; p; p = p->next) {
		t.part = p;
		t.lang = p->lang;
		t.left = t.right = 0;
		plan_tables(&t, p->first);
	}
	free_style(&t);
	g_object_unref(t.pc);
	g_object_unref(t.map);
	return !t.failed;
}

gb_layout *gb_typeset(const gb_book *book, const gb_typeset_options *opt,
		      gb_diag *d)
{
	gb_layout *ret = NULL;
	ts t = { .book = book, .opt = opt, .d = d };
	if (opt->stream)
		opt->stream->done = false;
	FcConfig *fc = read_style(&t) ? gb_fontset_fc(opt->fonts, d) : NULL;
	if (!fc) {
		free_style(&t);
		return NULL;
	}
	/* the book's hyphenation dictionary loads while the first pages are
	   set: few paragraphs need it before the body starts */
	t.hyph = gb_hyphenator_new();
	gb_hyphenator_preload(t.hyph, book->meta.lang);
	open_pango(&t, fc);
	t.cache_id = cache_id(&t);
	gb_shape_cache_keep(t.pc, t.cache_id);
	t.page_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* (the page numbers of the last build, kept in the user's cache as a
	   first guess so that the pages could be drawn while the book was
	   set, were removed in issue 20: they saved less than 10 % of the
	   300-page bench book's build) */
	passes(&t);
	if (!t.failed && gb_diag_errors(d) == 0) {
		ret = t.lay;
		t.lay = NULL;
		ret->warmer = t.warm;    /* still loading while the PDF is drawn */
		t.warm = NULL;
		/* an even count whose last page is blank, for printers that
		   want one */
		while (opt->even_pages && (ret->pages->len % 2 ||
		       ((gb_page *)g_ptr_array_index(ret->pages, ret->pages->len - 1))->boxes->len)) {
			gb_page *last = g_ptr_array_index(ret->pages, ret->pages->len - 1);
			gb_page *blank = gb_layout_add_page(ret, !last->recto);
			int n = atoi(last->label);
			blank->label = n > 0 ? g_strdup_printf("%d", n + 1) : g_strdup("");
			blank->left = blank->recto ? t.inner : t.outer;
		}
		if (t.streaming) {
			t.lay = ret;
			hand_out(&t, ret->pages->len);
			t.lay = NULL;
			opt->stream->done = true;
		}
	} else if (t.streaming) {
		t.streaming = false;
		opt->stream->abort(opt->stream->ctx);
	}
	g_free(t.cache_id);
	gb_layout_free(t.lay);
	g_hash_table_destroy(t.page_of);
	gb_hyphenator_free(t.hyph);
	gb_warmer_free(t.warm);
	free_style(&t);
	g_object_unref(t.pc);
	g_object_unref(t.map);
	return ret;
}
