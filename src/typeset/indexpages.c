/* indexpages.c - the print edition's index, after the last part: the
   entries of book->index (source/index.h) under their letters, each with
   the pages of its marks from the last pass's pagination (ts.h). */
#include "typeset/ts.h"
#include "source/index.h"

#include <math.h>
#include <string.h>

/* The page label of a mark's id in the pass before (t->page_of). */
static const char *page_of(const char *id, void *ctx)
{
	ts *t = ctx;
	return id ? g_hash_table_lookup(t->page_of, id) : NULL;
}

/* A locator's place in its entry's text, and the mark it links to. */
typedef struct loc_at {
	guint start, end;
	const char *id;
} loc_at;

/* An entry's line: "Security, 4–6, 12" (its subentry's, indented); where
   each locator is in it, in at. */
static char *entry_text(ts *t, const gb_index_entry *e, GArray *at)
{
	GString *s = g_string_new(e->sub ? e->sub : e->term);
	GPtrArray *locs = gb_index_locators(e, page_of, t);
	for (guint i = 0; i < locs->len; i++) {
		const gb_index_locator *l = locs->pdata[i];
		/* (no page yet on the first pass: the next one has them) */
		if (!l->text)
			continue;
		g_string_append(s, ", ");
		loc_at a = { (guint)s->len, 0, l->mark->id };
		g_string_append(s, l->text);
		a.end = (guint)s->len;
		g_array_append_val(at, a);
	}
	g_ptr_array_unref(locs);
	return g_string_free(s, FALSE);
}

/*
 * Each locator of the entry set in the galley's lines from before on (its
 * text: text) a link to its mark: the page number leads to the place.
 */
static void link_locators(ts *t, guint before, const char *text, const GArray *at)
{
	size_t done = 0;
	for (guint k = before; k < t->galley->len; k++) {
		vitem *v = g_ptr_array_index(t->galley, k);
		if (v->kind != V_LINE || !v->boxes->len)
			continue;
		const gb_box *tb = g_ptr_array_index(v->boxes, 0);
		if (tb->kind != GB_BOX_TEXT || !tb->glyphs || !tb->text)
			continue;
		/* the line's place in the entry (its text, less a hyphen) */
		size_t n = strlen(tb->text);
		if (n >= 2 && !strcmp(tb->text + n - 2, "\u00AD"))
			n -= 2;
		const char *found = text + done;
		for (const char *p = text + done; *p; p++)
			if (!strncmp(p, tb->text, n)) {
				found = p;
				break;
			}
		guint ls = (guint)(found - text), le = ls + (guint)n;
		done = le;
		for (guint i = 0; i < at->len; i++) {
			const loc_at *a = &g_array_index(at, loc_at, i);
			guint s0 = MAX(a->start, ls), s1 = MIN(a->end, le);
			double x0, x1;
			if (s0 >= s1 || !gb_glyphs_x_range(tb->glyphs, s0 - ls, s1 - ls, &x0, &x1))
				continue;
			char *dest = g_strconcat("#", a->id, NULL);
			gb_ts_vbox(v, GB_BOX_LINK, tb->x + x0, 0, x1 - x0, v->height, dest);
			g_free(dest);
		}
	}
}

/* Moves v's boxes into block, dx right and dy down; frees v. */
static void move_into(vitem *block, vitem *v, double dx, double dy)
{
	for (guint k = 0; k < v->boxes->len; k++) {
		gb_box *b = g_ptr_array_index(v->boxes, k);
		b->x += dx;
		b->y += dy;
		g_ptr_array_add(block->boxes, b);
	}
	g_ptr_array_set_size(v->boxes, 0);
	gb_ts_vitem_free(v);
}

/*
 * The entries' items (lines set a column wide, spaces, marks) in two
 * columns: a block a page, its left column then its right one, first_cap
 * high on the first page (below the title) and cap on the next; the last
 * page's columns balanced.  A column never ends after an item kept with
 * the next (a letter, a line of an entry that goes on), nor starts with
 * a space.  The blocks go to t->galley, in order: the page builder puts
 * each on a page of its own.
 */
static void two_columns(ts *t, GPtrArray *items, double first_cap, double cap,
			double col_w, double gap)
{
	guint i = 0, n = items->len;
	bool first = true;
	while (i < n) {
		double c = first ? first_cap : cap, rest = 0;
		for (guint k = i; k < n; k++)
			rest += ((vitem *)items->pdata[k])->height;
		/* the last page: half in each column, on the lines */
		double target = rest <= 2 * c ? ceil(rest / 2 / t->leading) * t->leading : c;
		vitem *block = gb_ts_vitem_new(V_LINE, 0);
		for (int col = 0; col < 2 && i < n; col++) {
			double limit = col == 0 ? MIN(target, c) : c, y = 0;
			while (i < n && ((vitem *)items->pdata[i])->kind == V_SPACE)
				gb_ts_vitem_free(items->pdata[i++]);
			while (i < n) {
				/* the items from i to e go together: a column may
				   end only after an item not kept with the next
				   (as the page builder breaks pages: a letter
				   keeps its first entry, an entry its lines) */
				guint e = i;
				while (e + 1 < n && ((vitem *)items->pdata[e])->keep)
					e++;
				double h = 0;
				for (guint k = i; k <= e; k++)
					h += ((vitem *)items->pdata[k])->height;
				if (y > 0 && y + h > limit + 0.01)
					break;
				for (; i <= e; i++) {
					double vh = ((vitem *)items->pdata[i])->height;
					move_into(block, items->pdata[i], col * (col_w + gap), y);
					y += vh;
				}
			}
			block->height = MAX(block->height, y);
		}
		g_ptr_array_add(t->galley, block);
		first = false;
	}
	g_ptr_array_free(items, TRUE);
}

void gb_ts_index_pages(ts *t, pager *pg)
{
	const gb_book *b = t->book;
	if (!b->has_index || !b->index || !b->index->len)
		return;
	t->lang = b->meta.lang;
	t->galley = g_ptr_array_new();
	const char *title = gb_words_for(b->meta.lang)->index;
	gb_ts_page_title(t, title, "index", true);
	gb_ts_add_mark(t->galley, true, "Sect", false);
	/* the title's height, and the room under it on the first page
	   (sunk, as an opener's), less a line for the grid's rounding */
	double title_h = 0;
	for (guint k = 0; k < t->galley->len; k++)
		title_h += ((vitem *)g_ptr_array_index(t->galley, k))->height;
	double first_cap = t->body_h * (1 - t->opener_sink) - title_h - t->leading;
	double cap = t->body_h - t->leading;
	double gap = 1.5 * t->size, col_w = (t->measure - gap) / 2;
	GPtrArray *head = t->galley;
	t->galley = g_ptr_array_new();
	const char *group = NULL;
	for (guint i = 0; i < b->index->len; i++) {
		const gb_index_entry *e = b->index->pdata[i];
		if (!group || strcmp(group, e->group)) {
			/* the letter, a line apart from the letter before */
			if (group)
				gb_ts_add_space(t, t->leading);
			group = e->group;
			setting ls = gb_ts_body_setting(t);
			ls.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
						     PANGO_STYLE_NORMAL, group);
			ls.weight = PANGO_WEIGHT_BOLD;
			ls.justify = false;
			ls.tag = "H2";
			ls.keep_all = true;
			gb_ts_line_of(t, group, &ls);
		}
		setting es = gb_ts_body_setting(t);
		es.justify = false;
		es.first_indent = 0;
		es.tag = "P";
		double indent = e->sub ? t->list_indent : 0;
		GArray *at = g_array_new(FALSE, FALSE, sizeof(loc_at));
		char *text = entry_text(t, e, at);
		es.family = gb_ts_family_for(t, es.family, es.weight, es.style, text);
		fake f;
		guint before = t->galley->len;
		gb_ts_set_lines(t, gb_ts_fake_para(&f, text), &es, NULL, t->galley,
				col_w - indent, indent);
		link_locators(t, before, text, at);
		g_array_free(at, TRUE);
		g_free(text);
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	GPtrArray *items = t->galley;
	t->galley = head;
	if (first_cap < 3 * t->leading)
		first_cap = cap;  /* (a page too short for a title and columns) */
	two_columns(t, items, first_cap, cap, col_w, gap);
	gb_ts_paginate(pg, t->galley, true, title, true);
	gb_ts_free_galley(t->galley);
	t->galley = NULL;
}
