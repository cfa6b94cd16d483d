/* pages.c - the page builder: galleys onto pages, each break chosen by its cost (best fit), on the baseline grid, with flush bottoms and floats; keeps, notes, running heads and folios (ts.h) */
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
		/* a picture meant to bleed: edge to edge, into the bleed */
		if (b->kind == GB_BOX_IMAGE && b->source && ((const gb_node *)b->source)->bleed &&
		    b->w > t->pw)
			b->x = -(page->recto ? t->opt->bleed_inside : t->opt->bleed_outside);
		if ((b->kind == GB_BOX_TEXT || b->kind == GB_BOX_IMAGE) && b->source &&
		    !page->source) {
			page->source = b->source;
			page->source_off = b->source_off;
		}
		if (b->kind == GB_BOX_DEST && !g_hash_table_contains(t->found, b->text))
			g_hash_table_insert(t->found, g_strdup(b->text), g_strdup(page->label));
		else if (b->kind == GB_BOX_DEST)
			g_hash_table_replace(t->found, g_strdup(b->text), g_strdup(page->label));
		gb_ts_link_placed(t, b, page);
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
		PangoAttribute *ls = gb_ts_caps_spacing(t, t->size * t->head_scale);
		if (ls)
			pango_attr_list_insert(al, ls);
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

bool gb_ts_keep_furniture_safe(ts *t)
{
	double s = t->opt->safety;
	if (s <= 0)
		return true;
	/* the running heads' and folios' line: its ascent above the
	   baseline and its descent below, as Pango gives a line's */
	double lx, ascent, height;
	char *shown;
	gb_glyphs *g = small_glyphs(t, "Hg0123456789", 1e6, PANGO_ALIGN_LEFT, false, &lx, &shown);
	gb_glyphs_extents(g, t->fallbacks, &ascent, &height);
	gb_glyphs_unref(g);
	g_free(shown);
	/* a running head's top (its baseline head-gap above the text
	   block) and an opener's folio's foot (folio-gap below it) */
	t->top = MAX(t->top, s + t->head_gap + ascent);
	t->bottom = MAX(t->bottom, s + t->folio_gap + (height - ascent));
	t->body_h = t->ph - t->top - t->bottom;
	if (t->body_h < 10 * t->leading) {
		gb_error(t->d, gb_noloc(), "the page is too small for its margins and type size "
			 "with the printer's %.3g in safety margin", s / 72);
		return false;
	}
	return true;
}

static double left_margin(const ts *t, const gb_page *p)
{
	return p->recto ? t->inner : t->outer;
}

/* The page's folio at baseline y; on a worker's page (t->folios), a
   stand-in, set when the page's number is known (gb_ts_folio_set). */
static void folio(ts *t, gb_page *page, double x, double y, double width, PangoAlignment align)
{
	if (!t->folios) {
		small_text(t, page, page->label, x, y, width, align, false);
		return;
	}
	gb_ts_folio f = { (guint)page->number - 1, page->boxes->len, x, y, width, align,
			  pango_context_get_language(t->pc) };
	g_array_append_val(t->folios, f);
	gb_page_add_rule(page, 0, 0, 0, 0);
}

void gb_ts_folio_set(ts *t, gb_page *page, const gb_ts_folio *f)
{
	PangoLanguage *was = pango_context_get_language(t->pc);
	pango_context_set_language(t->pc, f->lang);
	small_text(t, page, page->label, f->x, f->y, f->width, f->align, false);
	pango_context_set_language(t->pc, was);
	gb_box *b = g_ptr_array_steal_index(page->boxes, page->boxes->len - 1);
	gb_box_free(page->boxes->pdata[f->box]);
	page->boxes->pdata[f->box] = b;
}

static void furniture(ts *t, gb_page *page, bool opener, const char *recto_head)
{
	double x = left_margin(t, page);
	/* running heads and folios are not part of the text: an opener's
	   folio is at the foot, a running head and its folio at the top */
	gb_page_add_tag(page, "Artifact", opener ? "Pagination Footer" : "Pagination Header");
	if (opener) {
		folio(t, page, x, t->ph - t->bottom + t->folio_gap, t->measure, PANGO_ALIGN_CENTER);
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
	folio(t, page, x, y, t->measure, page->recto ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
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

/* The grid's step: the body's leading (a unit test's ts may have none). */
static double grid_step(const ts *t)
{
	return t->leading > 0 ? t->leading : 0;
}

/* y (from the text block's top) moved down to the next line of the grid. */
static double on_grid(const ts *t, double y)
{
	double g = grid_step(t);
	if (g <= 0)
		return y;
	double k = ceil(y / g - 0.001);
	return k * g;
}

/* Whether the items from k to the next line of the grid hold a heading
   (the space that ends one). */
static bool heading_run(const GPtrArray *galley, guint k)
{
	for (; k < galley->len; k++) {
		const vitem *w = g_ptr_array_index(galley, k);
		if (w->grid && w->kind == V_LINE)
			return false;
		if (w->after_heading)
			return true;
	}
	return false;
}

/*
 * Where the top of item k of galley goes on a page whose last item ended
 * at y: a grid line on the grid, and so are the marks before one (a list
 * item's label lies in the mark that opens its body, at its first line's
 * baseline).  grid: the page has one (a chapter's or the contents', not
 * the title page, the copyright page or a page turned for a table).
 */
static double item_top(const ts *t, const GPtrArray *galley, guint k, double y, bool grid,
		       guint start)
{
	if (!grid)
		return y;
	/* the first item of a run off the grid after a line of the grid on
	   this page (a figure's, a table's, code's space before it) */
	bool first = false;
	if (k > start && ((const vitem *)g_ptr_array_index(galley, k))->kind != V_MARK) {
		guint q = k;
		while (q > start && ((const vitem *)g_ptr_array_index(galley, q - 1))->kind == V_MARK)
			q--;
		const vitem *p = q > start ? g_ptr_array_index(galley, q - 1) : NULL;
		first = p && p->kind == V_LINE && p->grid;
	}
	for (; k < galley->len; k++) {
		const vitem *v = g_ptr_array_index(galley, k);
		if (v->kind != V_MARK)
			break;
	}
	if (k >= galley->len)
		return y;
	const vitem *v = g_ptr_array_index(galley, k);
	if (v->grid)
		return on_grid(t, y);
	/*
	 * A heading belongs to the text after it: what the grid adds to
	 * bring that text back to it goes above the heading, not between
	 * the heading and its text, so that the space after a heading is the
	 * style's wherever it falls.  The items from k to the next grid
	 * line (spaces, a heading's lines, the space after it) are moved
	 * down together so that the line lands on the grid; the items after
	 * the first of them are then where they are (the rest is 0).  A run
	 * with no heading in it (a figure, code, a table) is centred in the
	 * lines it takes, half of what the grid adds above it, half below
	 * (moved at its first item, after a line of the grid; not at a
	 * page's top, where a float stands at the top); one longer than a
	 * page is left as it is.
	 */
	double h = 0;
	bool heading = false;
	/* the space before the heading may give up a third of itself, so
	   that the heading goes to the nearer line of the grid rather than
	   always the next one: the white above a heading stays near the
	   style's (18.9 pt before a section: 12.6 to 27.3, not 18.9 to 33.6);
	   less than half a line, so that the items after it, already on
	   their line, stay there */
	double give = v->kind == V_SPACE ? MIN(v->height / 3, grid_step(t) * 0.49) : 0;
	for (guint j = k; j < galley->len && h <= t->body_h; j++) {
		const vitem *w = g_ptr_array_index(galley, j);
		if (w->grid && w->kind == V_LINE) {
			if (heading)
				return on_grid(t, y + h - give) - h;
			return first ? y + (on_grid(t, y + h) - (y + h)) / 2 : y;
		}
		heading |= w->after_heading;
		h += w->height;
	}
	return y;
}

/* Whether v is a mark that opens a structure element: a page never ends
   right after one (its element would start on a page with nothing of it). */
static bool opens_element(const vitem *v)
{
	if (v->kind != V_MARK)
		return false;
	for (guint k = 0; k < v->boxes->len; k++)
		if (((const gb_box *)g_ptr_array_index(v->boxes, k))->kind == GB_BOX_TAG_BEGIN)
			return true;
	return false;
}

/* How many stretchable spaces of each kind (1, 2) may grow on a page. */
#define STRETCH_LINES_1 1       /* around a block, before a heading */
#define STRETCH_LINES_2 1       /* between two paragraphs */

/*
 * The cost of ending a page whose last line ends at bottom (from the text
 * block's top) where the text may go down to room: as TeX's page builder,
 * its badness (plus the break's penalty, the caller's), which grows as the
 * cube of the lines left empty (100 a line, 10000 at most).  The end of
 * the galley (a chapter's end) costs nothing.  Then, with n1 and n2 gaps
 * between the page's lines that may grow (1: a space around a block or
 * before a heading, 2 lines at most; 2: between paragraphs, 1 line, and
 * only when two lines or more would be left empty), *lines is how many
 * whole lines they take to make the foot flush; and when no line of the
 * grid follows the last of them (frac_ok: a table or a figure ends the
 * page), *frac the rest, in points, that it takes too.  The choice of the break
 * is by its text alone: a page is filled by its text first, its spaces
 * take what is left.
 */
static double page_cost(const ts *t, double bottom, double room, int n1, int n2,
			bool end, bool frac_ok, int *lines, double *frac)
{
	*lines = 0;
	*frac = 0;
	if (end)
		return 0;
	double g = grid_step(t);
	double unit = g > 0 ? g : 10;
	/* the last line of the grid the text can reach */
	double full = g > 0 ? floor(room / g + 0.001) * g : room;
	double short_lines = (full - bottom) / unit;
	if (short_lines < 0.001)
		return 0;
	int whole = (int)floor(short_lines + 0.001);
	int take1 = MIN(whole, n1 * STRETCH_LINES_1);
	int take2 = whole >= 2 ? MIN(whole - take1, n2 * STRETCH_LINES_2) : 0;
	*lines = take1 + take2;
	/* no text on the grid after the last gap (a table or a figure
	   ends the page): it may take the fraction of a line left too */
	if (frac_ok && *lines == whole && (n1 || n2))
		*frac = (short_lines - whole) * unit;
	double bad = 100 * short_lines * short_lines * short_lines;
	return MIN(bad, 10000);
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
	double cap = e.turned ? t->measure : t->body_h;
	/* notes carried from the page before come first (on the next
	   upright page) */
	double foot_h = 0;
	for (; carried && !e.turned && e.carried < carried->len; e.carried++) {
		vitem *v = g_ptr_array_index(carried, e.carried);
		if (foot_h + v->height + sep > cap - e.sink && e.carried)
			break;
		foot_h += v->height;
	}
	e.start = i;
	/* a table row at the top of a page repeats its header row */
	e.repeat = i < n ? ((vitem *)g_ptr_array_index(galley, i))->header : NULL;
	if (e.repeat && z->first)
		e.repeat = NULL;
	/* how far this page goes: y is where the last item ends, from the
	   text block's top; every break allowed on the way is weighed, and
	   the least costly one taken (the last of equal cost) */
	double y = e.sink + (e.repeat ? e.repeat->height : 0), fh = foot_h;
	double bottom = 0;      /* where the last line ends */
	guint j = i;
	gint best = -1;
	double best_cost = INFINITY;
	int best_lines = 0;
	int n1 = 0, n2 = 0, pend1 = 0, pend2 = 0;
	bool seen_line = false, foot_full = false, turn = false;
	bool grid_since_gap = true;     /* a grid line after the last gap */
	double best_frac = 0;
	guint float_from = 0, float_to = 0;   /* the float last met */
	for (; j < n; j++) {
		vitem *v = g_ptr_array_index(galley, j);
		if (v->turned != e.turned) {
			/* a turned table starts or ends: a new page */
			e.known = turn = true;
			break;
		}
		if (v->float_len) {
			float_from = j;
			float_to = j + v->float_len;
		}
		double top = item_top(t, galley, j, y, (z->headings || z->furnish) && !e.turned, i);
		/* the notes' lines, and once the gap and rule above them */
		double foot = fh + (v->notes && !e.turned ? notes_height(v->notes) : 0);
		if (top + v->height + foot + (foot > 0 ? sep : 0) <= cap + 0.01) {
			y = top + v->height;
			fh = foot;
			if (v->kind == V_LINE) {
				bottom = y;
				seen_line = true;
				/* the spaces between two lines are one gap,
				   of the better kind among them */
				bool gap = pend1 > 0 || pend2 > 0;
				n1 += pend1 > 0;
				n2 += pend1 <= 0 && pend2 > 0;
				pend1 = pend2 = 0;
				grid_since_gap = gap ? v->grid : grid_since_gap || v->grid;
			} else if (v->kind == V_SPACE && seen_line) {
				/* (never between a heading and its text) */
				if (v->after_heading)
					pend1 = pend2 = -1000;
				pend1 += v->stretch == 1;
				pend2 += v->stretch == 2;
			}
			if (!v->keep && !opens_element(v)) {
				int lines;
				double frac;
				double room = cap - (fh ? fh + sep : 0);
				double c = page_cost(t, bottom, room, n1, n2, j == n - 1,
						     !grid_since_gap && !e.turned, &lines, &frac) +
					   v->penalty;
				if (c <= best_cost) {
					best_cost = c;
					best = (gint)j;
					best_lines = lines;
					best_frac = frac;
				}
			}
			continue;
		}
		e.known = true;
		/* a float met where the page is full, not at its top */
		if (float_to > j && float_from > i)
			e.float_at = float_from;
		/* a note too long for the rest of the page: its first line
		   here, with its reference, the rest at the next foot */
		double first_line = 0;
		for (guint q = 0; v->notes && q < v->notes->len && !first_line; q++)
			first_line = ((vitem *)g_ptr_array_index(v->notes, q))->height;
		if (first_line && top + v->height + fh + sep + first_line <= cap + 0.01) {
			j++;
			foot_full = true;
		}
		break;
	}
	if (j == n || foot_full || (turn && j > i)) {
		e.end = j;
		e.stretch_lines = 0;
	} else if (best >= (gint)i) {
		e.end = (guint)best + 1;
		e.stretch_lines = best_lines;
		e.stretch_frac = best_frac;
	} else {
		e.end = j > i ? j : i + 1;
	}
	if (e.end > n)
		e.end = n;
	return e;
}

/* The structure elements open after v's boxes, in open (a stack). */
static void track_tags(GPtrArray *open, const vitem *v)
{
	for (guint k = 0; k < v->boxes->len; k++) {
		const gb_box *b = g_ptr_array_index(v->boxes, k);
		if (b->kind == GB_BOX_TAG_BEGIN)
			g_ptr_array_add(open, (gpointer)b);
		else if (b->kind == GB_BOX_TAG_END && open->len)
			g_ptr_array_set_size(open, open->len - 1);
	}
}

/* Whether a figure or a table may stand in an element of this type: a
   section, a quotation, not a paragraph, a list or a table. */
static bool holds_floats(const char *tag)
{
	static const char *const blocks[] = { "Document", "Part", "Sect", "Art", "Div",
					      "BlockQuote", "NonStruct", NULL };
	for (int i = 0; blocks[i]; i++)
		if (tag && !strcmp(tag, blocks[i]))
			return true;
	return false;
}

/*
 * A float (a figure or a table, float_len items from e->float_at) met
 * where the page is full: it goes to the top of the next page, and the
 * text after it moves up to fill this one, when that fills it better.
 * The items are moved in the galley, so the float's structure element
 * comes where it is drawn.  False: the text after it is not set yet (wait
 * for it).
 */
static bool try_float(pagination *z, extent *e, bool all)
{
	GPtrArray *galley = z->galley;
	guint fs = e->float_at;
	guint fe = fs + ((vitem *)g_ptr_array_index(galley, fs))->float_len;
	/* with the space after it */
	while (fe < galley->len && ((vitem *)g_ptr_array_index(galley, fe))->kind == V_SPACE)
		fe++;
	if (fe >= galley->len)
		return all;
	GPtrArray *held = g_ptr_array_new();
	for (guint k = fs; k < fe; k++)
		g_ptr_array_add(held, g_ptr_array_steal_index(galley, fs));
	extent f = page_extent(z);
	bool known = f.known || all;
	guint at = known && f.end > fs ? f.end : fs;
	bool cut = false;
	/* floats keep their order: the text after this one moves up before
	   it, not a figure or a table after it (that one waits behind it) */
	for (guint k = fs; k < at; k++) {
		if (!((vitem *)g_ptr_array_index(galley, k))->float_len)
			continue;
		/* the page ends at the last break allowed before it */
		at = fs;
		cut = true;
		for (guint q = k; q > fs; q--) {
			const vitem *w = g_ptr_array_index(galley, q - 1);
			if (w->kind == V_LINE && !w->keep) {
				at = q;
				break;
			}
		}
		break;
	}
	/* moved: the elements open where it goes that cannot hold it (a
	   paragraph, a list that goes on over the page) are closed before
	   it, on this page, and opened again after it, as two elements */
	vitem *close = NULL, *reopen = NULL;
	if (at != fs) {
		GPtrArray *open = g_ptr_array_new();
		for (guint k = 0; z->open && k < z->open->len; k++)
			g_ptr_array_add(open, g_ptr_array_index(z->open, k));
		for (guint k = z->i; k < at; k++)
			track_tags(open, g_ptr_array_index(galley, k));
		guint from = open->len;
		while (from > 0 && !holds_floats(((const gb_box *)g_ptr_array_index(open, from - 1))->text))
			from--;
		if (from < open->len) {
			close = gb_ts_vitem_new(V_MARK, 0);
			reopen = gb_ts_vitem_new(V_MARK, 0);
			reopen->keep = true;
			for (guint k = from; k < open->len; k++) {
				gb_ts_vbox(close, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
				g_ptr_array_add(reopen->boxes, gb_ts_clone_box(g_ptr_array_index(open, k)));
			}
		}
		g_ptr_array_free(open, TRUE);
	}
	guint ins = at;
	if (close)
		g_ptr_array_insert(galley, (gint)ins++, close);
	for (guint k = 0; k < held->len; k++)
		g_ptr_array_insert(galley, (gint)ins++, g_ptr_array_index(held, k));
	if (reopen)
		g_ptr_array_insert(galley, (gint)ins, reopen);
	/* (the items looked at for headings' keeps count the new marks) */
	if (z->kept >= at)
		z->kept += (close ? 1 : 0) + (reopen ? 1 : 0);
	g_ptr_array_free(held, TRUE);
	if (!known)
		return false;
	if (at != fs && cut) {
		/* a shorter page than f: weighed again, the float after it */
		f = page_extent(z);
		f.float_at = 0;
		*e = f;
	} else if (at != fs) {
		f.float_at = 0;
		f.end = at + (close ? 1 : 0);
		*e = f;
	}
	return true;
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
			for (guint k = z->i; k < n; k++) {
				if (z->open)
					track_tags(z->open, g_ptr_array_index(galley, k));
				place(t, z->last_page, g_ptr_array_index(galley, k), 0, t->top);
			}
			z->i = n;
			break;
		}
		extent e = page_extent(z);
		if (!e.known && !all)
			return;
		if (e.float_at && !try_float(z, &e, all))
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
		/* the gaps that grow, by whole lines, to make the foot flush:
		   those between the page's lines that hold a stretchable
		   space, the first such space of each (of the better kind)
		   growing, the first gaps taking the lines left over; of the
		   gaps around blocks and before headings, those before a
		   heading first (a line more there sets a section apart; a
		   list with two blank lines above it and one below looks
		   holey) */
		GArray *grow = g_array_new(FALSE, TRUE, sizeof(guint));
		GArray *tier = g_array_new(FALSE, TRUE, sizeof(int));
		if (e.stretch_lines > 0 || e.stretch_frac > 0) {
			gint first1 = -1, first2 = -1;
			bool seen = false;
			for (guint k = e.start; k < e.end; k++) {
				const vitem *v = g_ptr_array_index(galley, k);
				if (v->kind == V_LINE) {
					gint at = first1 >= 0 ? first1 : first1 == -2 ? -1 : first2;
					int kind = first1 >= 0 ? (heading_run(galley, k) ? 0 : 1) : 2;
					if (seen && at >= 0) {
						guint u = (guint)at;
						g_array_append_val(grow, u);
						g_array_append_val(tier, kind);
					}
					seen = true;
					first1 = first2 = -1;
				} else if (v->kind == V_SPACE && seen && v->after_heading) {
					/* never between a heading and its text */
					first1 = first2 = -2;
				} else if (v->kind == V_SPACE && seen && first1 != -2) {
					if (v->stretch == 1 && first1 < 0)
						first1 = (gint)k;
					if (v->stretch == 2 && first2 < 0)
						first2 = (gint)k;
				}
			}
		}
		int count[3] = { 0 }, lines[3] = { 0 }, done[3] = { 0 };
		for (guint q = 0; q < tier->len; q++)
			count[g_array_index(tier, int, q)]++;
		int around = MIN(e.stretch_lines, (count[0] + count[1]) * STRETCH_LINES_1);
		lines[0] = MIN(around, count[0] * STRETCH_LINES_1);
		lines[1] = around - lines[0];
		lines[2] = e.stretch_lines - around;
		guint next_gap = 0;
		double y_text = y;      /* where the page's last line ends (the
					   spaces after it are not drawn) */
		for (guint k = e.start; k < e.end; k++) {
			vitem *v = g_ptr_array_index(galley, k);
			y = t->top + item_top(t, galley, k, y - t->top,
					      (z->headings || z->furnish) && !e.turned, e.start);
			if (next_gap < grow->len && g_array_index(grow, guint, next_gap) == k) {
				int kind = g_array_index(tier, int, next_gap);
				int i = done[kind]++;
				int share = lines[kind] / count[kind] +
					    (i < lines[kind] % count[kind] ? 1 : 0);
				y += share * grid_step(t);
				next_gap++;
				/* the fraction to the last gap, before a table
				   or a figure that ends the page */
				if (next_gap == grow->len)
					y += e.stretch_frac;
			}
			if (!z->open)
				z->open = g_ptr_array_new();
			track_tags(z->open, v);
			place(t, page, v, x0, y);
			y += v->height;
			if (v->kind == V_LINE)
				y_text = y;
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
		g_array_free(grow, TRUE);
		g_array_free(tier, TRUE);
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
			while (ftop < y_text + sep - 0.01 && foot->len > 1) {
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
	if (all && z->open) {
		g_ptr_array_free(z->open, TRUE);
		z->open = NULL;
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
