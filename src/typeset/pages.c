/* pages.c - the page builder: galleys onto pages, keeps, notes, running heads and folios (ts.h) */
#include "typeset/ts.h"

/* ---- pages ---- */

char *gb_ts_roman(int n)
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

static gb_page *new_page(pager *pg, bool recto_only)
{
	gb_layout *lay = pg->t->lay;
	bool next_recto = lay->pages->len % 2 == 0;
	if (recto_only && !next_recto) {
		/* a blank verso: a label, nothing printed */
		gb_page *blank = gb_layout_add_page(lay, false);
		blank->label = pg->body ? g_strdup_printf("%d", ++pg->arabic) : gb_ts_roman(++pg->roman);
		blank->left = pg->t->outer;
		next_recto = true;
	}
	gb_page *p = gb_layout_add_page(lay, next_recto);
	p->label = pg->body ? g_strdup_printf("%d", ++pg->arabic) : gb_ts_roman(++pg->roman);
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

/*
 * The glyphs of a line of small text (running heads, folios), width wide
 * (ellipsized past it), and where the line starts (*lx); *shown is the
 * text they draw (the caller frees it).
 */
static gb_glyphs *small_glyphs(ts *t, const char *text, double width, PangoAlignment align,
			       bool caps, double *lx, char **shown_text)
{
	/* in one face, as a heading is */
	PangoFontDescription *fd = gb_ts_font_desc(t, gb_ts_family_for(t, t->body_family, PANGO_WEIGHT_NORMAL,
							   PANGO_STYLE_NORMAL, text),
					     t->size * t->head_scale,
					     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	PangoAttrList *al = NULL;
	GString *shown = g_string_new(NULL);
	if (caps) {
		al = pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_font_features_new("smcp, c2sc"));
		/* letterspaced, as small capitals are in the text */
		if (t->caps_spacing > 0)
			pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)lround(
				t->caps_spacing * t->size * t->head_scale * PANGO_SCALE)));
		/* a letter the font has no small capital for: its capital,
		   scaled (running heads are not part of the text) */
		double scale = gb_ts_small_caps_of(t)->scale;
		for (const char *p = text; *p; p = g_utf8_next_char(p)) {
			gunichar u = g_utf8_get_char(p);
			guint at = (guint)shown->len;
			bool lower = g_unichar_islower(u);
			if (g_unichar_isalpha(u) && (lower || g_unichar_isupper(u)) &&
			    !gb_ts_has_small_cap(t, u, lower)) {
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
	gb_glyphs *g = gb_ts_one_line(t, shown->str, fd, al, width, align, true, lx);
	if (al)
		pango_attr_list_unref(al);
	*shown_text = g_string_free(shown, FALSE);
	pango_font_description_free(fd);
	return g;
}

/* A line of small text (running heads, folios) at baseline y. */
static void small_text(ts *t, gb_page *page, const char *text, double x,
		       double y, double width, PangoAlignment align, bool caps)
{
	double lx;
	char *shown;
	gb_glyphs *g = small_glyphs(t, text, width, align, caps, &lx, &shown);
	gb_page_add_text(page, x + lx, y, g, shown);
	gb_glyphs_unref(g);
	g_free(shown);
}

/* The width of a running head set in full. */
static double head_width(ts *t, const char *text)
{
	double lx;
	char *shown;
	gb_glyphs *g = small_glyphs(t, text, 1e6, PANGO_ALIGN_LEFT, true, &lx, &shown);
	double w = gb_glyphs_width(g);
	gb_glyphs_unref(g);
	g_free(shown);
	return w;
}

/*
 * What of the running head fits its line: the head, or as many of its
 * words as fit with an ellipsis after them, never part of a word (only a
 * first word wider than the line is cut, by Pango).  A head shortened is
 * reported once, at loc, naming what to set (where: "in book.yaml" or
 * "for this part in book.yaml").  The string is t->heads'.
 */
const char *gb_ts_fit_head(ts *t, const char *head, gb_loc loc, const char *where)
{
	const char *fitted = g_hash_table_lookup(t->heads, head);
	if (fitted)
		return fitted;
	double room = t->measure * t->head_width;
	char *fit = NULL;
	if (head_width(t, head) <= room) {
		fit = g_strdup(head);
	} else {
		char **words = g_strsplit(head, " ", -1);
		guint n = g_strv_length(words);
		for (guint k = n - 1; k >= 1 && !fit; k--) {
			GString *s = g_string_new(NULL);
			for (guint i = 0; i < k; i++) {
				if (i)
					g_string_append_c(s, ' ');
				g_string_append(s, words[i]);
			}
			/* no stop, comma, colon or dash before the ellipsis */
			while (s->len && strchr(",.:;-", s->str[s->len - 1]))
				g_string_truncate(s, s->len - 1);
			if (g_str_has_suffix(s->str, "\u2014") || g_str_has_suffix(s->str, "\u2013"))
				g_string_truncate(s, s->len - 3);
			g_string_append(s, "\u2026");
			if (head_width(t, s->str) <= room)
				fit = g_string_free(s, FALSE);
			else
				g_string_free(s, TRUE);
		}
		g_strfreev(words);
		if (!fit)
			fit = g_strdup(head);
		gb_warning(t->d, loc, "the running head '%s' is too long for its line: it is "
			   "shortened to '%s'; set 'short-title' %s to choose it",
			   head, fit, where);
	}
	g_hash_table_insert(t->heads, g_strdup(head), fit);
	return fit;
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
	/* the book's short title or title on one line (its line feeds as
	   spaces), as much of it as fits */
	const gb_meta *m = &t->book->meta;
	char *title = page->recto ? NULL : gb_meta_one_line(m->short_title ? m->short_title : m->title);
	const char *head = page->recto ? recto_head : !title ? NULL :
		gb_ts_fit_head(t, title, gb_ts_meta_key_loc(t, m->short_title ? "short-title" : "title"),
			       "in book.yaml");
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

void gb_ts_paginate_start(pagination *z, pager *pg, GPtrArray *galley, bool opener,
			   const char *recto_head, bool furnish, bool headings)
{
	*z = (pagination){ .pg = pg, .galley = galley, .opener = opener,
			   .furnish = furnish, .recto_head = recto_head,
			   .headings = headings, .first = true };
}

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
void gb_ts_paginate_some(pagination *z, bool all)
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
				gb_box *c = gb_ts_clone_box(g_ptr_array_index(e.repeat->boxes, b));
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
						g_ptr_array_add(pg->note_open, gb_ts_clone_box(b));
					else if (b->kind == GB_BOX_TAG_END && pg->note_open->len)
						g_ptr_array_set_size(pg->note_open, pg->note_open->len - 1);
				}
				place(t, page, v, x0, fy);
				fy += v->height;
				gb_ts_vitem_free(v);
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

/* Lays a complete galley out on pages (see gb_ts_paginate_some). */
void gb_ts_paginate(pager *pg, GPtrArray *galley, bool opener,
		     const char *recto_head, bool furnish)
{
	pagination z;
	gb_ts_paginate_start(&z, pg, galley, opener, recto_head, furnish, false);
	gb_ts_paginate_some(&z, true);
}

void gb_ts_free_galley(GPtrArray *g)
{
	g_ptr_array_foreach(g, (GFunc)(void (*)(void))gb_ts_vitem_free, NULL);
	g_ptr_array_free(g, TRUE);
}

/*
 * Sets text, metadata (a title, the rights), as a paragraph of its own.
 * Its line feeds ('rights: |' over two lines) are hard line breaks, as
 * <br/> in the EPUB, not characters Pango draws as a return symbol.
 */
void gb_ts_line_of(ts *t, const char *text, setting *s)
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
	gb_ts_set_lines(t, &para, s, NULL, t->galley, t->measure, 0);
	g_free(kids);
	g_strfreev(lines);
}

double gb_ts_galley_height(const GPtrArray *g)
{
	double h = 0;
	for (guint i = 0; i < g->len; i++)
		h += ((vitem *)g_ptr_array_index(g, i))->height;
	return h;
}
