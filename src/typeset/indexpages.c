/* indexpages.c - the print edition's index, after the last part: the
   entries of book->index (source/index.h) under their letters, each with
   the pages of its marks from the last pass's pagination (ts.h). */
#include "typeset/ts.h"
#include "source/index.h"

/* The page label of a mark's id in the pass before (t->page_of). */
static const char *page_of(const char *id, void *ctx)
{
	ts *t = ctx;
	return id ? g_hash_table_lookup(t->page_of, id) : NULL;
}

/* An entry's line: "Security, 4–6, 12" (its subentry's, indented). */
static char *entry_text(ts *t, const gb_index_entry *e)
{
	GString *s = g_string_new(e->sub ? e->sub : e->term);
	GPtrArray *locs = gb_index_locators(e, page_of, t);
	for (guint i = 0; i < locs->len; i++) {
		const gb_index_locator *l = locs->pdata[i];
		/* (no page yet on the first pass: the next one has them) */
		if (l->text)
			g_string_append_printf(s, ", %s", l->text);
	}
	g_ptr_array_unref(locs);
	return g_string_free(s, FALSE);
}

void gb_ts_index_pages(ts *t, pager *pg)
{
	const gb_book *b = t->book;
	if (!b->has_index || !b->index || !b->index->len)
		return;
	t->lang = b->meta.lang;
	t->galley = g_ptr_array_new();
	const char *title = gb_words_for(b->meta.lang)->index;
	setting s = gb_ts_body_setting(t);
	s.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
				    PANGO_STYLE_NORMAL, title);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * t->h_scale[1];
	s.leading = s.size * t->heading_leading;
	s.justify = false;
	s.tag = "H1";
	s.dest = "index";
	s.outline = title;
	s.outline_level = 1;
	gb_ts_line_of(t, title, &s);
	vitem *after = gb_ts_vitem_new(V_SPACE, t->h_after[1]);
	after->keep = true;
	after->after_heading = true;
	g_ptr_array_add(t->galley, after);
	gb_ts_add_mark(t->galley, true, "Sect", false);
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
		char *text = entry_text(t, e);
		es.family = gb_ts_family_for(t, es.family, es.weight, es.style, text);
		fake f;
		gb_ts_set_lines(t, gb_ts_fake_para(&f, text), &es, NULL, t->galley,
				t->measure - indent, indent);
		g_free(text);
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_paginate(pg, t->galley, true, title, true);
	gb_ts_free_galley(t->galley);
	t->galley = NULL;
}
