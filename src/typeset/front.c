/* front.c - the front matter: title page, copyright page, contents (ts.h) */
#include "typeset/ts.h"

/*
 * The title page's lines into t->galley, the title at title_scale of the
 * text's size; returns where the publisher's line starts (-1: none).
 */
static gint title_lines(ts *t, double title_scale)
{
	const gb_meta *m = &t->book->meta;
	setting s = gb_ts_body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	s.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
			      PANGO_STYLE_NORMAL, m->title);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * title_scale;
	s.leading = s.size * t->heading_leading;
	s.tag = "H1";
	gb_ts_line_of(t, m->title, &s);
	gb_ts_add_space(t, t->leading * 1.5);
	s = gb_ts_body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	if (m->subtitle) {
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->h_scale[2];
		s.leading = s.size * 1.3;
		gb_ts_line_of(t, m->subtitle, &s);
		gb_ts_add_space(t, t->leading * 3);
	}
	/* the people, as the EPUB's title page lists them: a contributor
	   with the role, in the book's words */
	GArray *people = gb_people(m);
	for (guint i = 0; i < people->len; i++) {
		const gb_person *p = &g_array_index(people, gb_person, i);
		const gb_creator *a = p->who;
		s = gb_ts_body_setting(t);
		s.justify = false;
		s.align = PANGO_ALIGN_CENTER;
		s.size = t->size * t->h_scale[3];
		s.leading = s.size * 1.4;
		gb_ts_line_of(t, p->label, &s);
		if (a->affiliation) {
			s.style = PANGO_STYLE_ITALIC;
			s.size = t->size;
			s.leading = t->leading;
			gb_ts_line_of(t, a->affiliation, &s);
		}
		gb_ts_add_space(t, t->leading);
	}
	gb_people_free(people);
	if (!m->publisher)
		return -1;
	/* the publisher at the foot of the page */
	gint at = (gint)t->galley->len;
	s = gb_ts_body_setting(t);
	s.justify = false;
	s.align = PANGO_ALIGN_CENTER;
	gb_ts_line_of(t, m->publisher, &s);
	return at;
}

/* Where book.yaml gives key (at the start of a line), for a message. */
gb_loc gb_ts_meta_key_loc(const ts *t, const char *key)
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
void gb_ts_title_page(ts *t, pager *pg)
{
	const gb_meta *m = &t->book->meta;
	double sunk = t->body_h * (1 - t->opener_sink), whole = t->body_h;
	double scale = t->title_scale;
	bool sink = true;
	gint at;
	for (;;) {
		t->galley = g_ptr_array_new();
		at = title_lines(t, scale);
		double h = gb_ts_galley_height(t->galley);
		if (h <= sunk + 0.01)
			break;
		if (scale > t->title_min_scale + 1e-9) {
			gb_ts_free_galley(t->galley);
			scale = MAX(scale - 0.1, t->title_min_scale);
			continue;
		}
		sink = false;
		if (h > whole + 0.01)
			gb_warning(t->d, gb_ts_meta_key_loc(t, "title"),
				   "the title page does not fit on one page, even with the title "
				   "at %.1f pt (print.title-min-scale): shorten 'title'%s%s",
				   t->size * scale, m->subtitle ? ", 'subtitle'" : "",
				   m->authors->len > 1 ? " or the contributors under 'author'" : "");
		break;
	}
	if (at >= 0) {
		/* the publisher at the foot: a space before it fills the page */
		double cap = sink ? sunk : whole;
		vitem *fill = gb_ts_vitem_new(V_LINE, MAX(0, cap - gb_ts_galley_height(t->galley) - 0.01));
		g_ptr_array_insert(t->galley, at, fill);
	}
	/* the opener's sink (see gb_ts_paginate) puts the title down the page */
	gb_ts_paginate(pg, t->galley, sink, NULL, false);
	gb_ts_free_galley(t->galley);
}

void gb_ts_copyright_page(ts *t, pager *pg)
{
	const gb_meta *m = &t->book->meta;
	t->galley = g_ptr_array_new();
	setting s = gb_ts_body_setting(t);
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
		gb_ts_line_of(t, g_ptr_array_index(lines, i), &s);
		gb_ts_add_space(t, s.leading / 2);
	}
	g_ptr_array_free(lines, TRUE);
	/* set at the foot of the page */
	double h = 0;
	for (guint i = 0; i < t->galley->len; i++)
		h += ((vitem *)g_ptr_array_index(t->galley, i))->height;
	vitem *sink = gb_ts_vitem_new(V_LINE, MAX(0, t->body_h - h));
	g_ptr_array_insert(t->galley, 0, sink);
	gb_ts_paginate(pg, t->galley, false, NULL, false);
	gb_ts_free_galley(t->galley);
}

/*
 * One entry of the contents: text at indent, then dot leaders and the
 * page of the destination id (the last pass's), the whole entry a link
 * to it.
 */
static void contents_line(ts *t, setting *es, const char *text, const char *id,
			  double indent, double num_w)
{
	es->family = gb_ts_family_for(t, es->family, es->weight, es->style, text);
	fake f;
	guint before = t->galley->len;
	gb_ts_set_lines(t, gb_ts_fake_para(&f, text), es, NULL, t->galley,
		  t->measure - indent - num_w, indent);
	/* the last line gets the leaders and the page number */
	gint last = -1;
	for (guint k = before; k < t->galley->len; k++)
		if (((vitem *)g_ptr_array_index(t->galley, k))->kind == V_LINE)
			last = (gint)k;
	if (last < 0)
		return;
	vitem *v = g_ptr_array_index(t->galley, (guint)last);
	gb_box *tb = g_ptr_array_index(v->boxes, 0);
	const char *folio = g_hash_table_lookup(t->page_of, id);
	char *num = g_strdup(folio ? folio : "");
	PangoFontDescription *fd = gb_ts_font_desc(t, t->body_family, t->size,
					     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	/* dot leaders on a grid, so that they line up entry to entry */
	double x;
	gb_glyphs *dg = gb_ts_one_line(t, ". ", fd, NULL, 0, PANGO_ALIGN_LEFT, false, &x);
	double unit = gb_glyphs_width(dg);
	gb_glyphs_unref(dg);
	double from = ceil((tb->x + tb->w + unit) / unit) * unit;
	double to = t->measure - num_w + unit;
	int count = unit > 0 ? (int)((to - from) / unit) : 0;
	if (count > 0) {
		GString *dots = g_string_new(NULL);
		for (int k = 0; k < count; k++)
			g_string_append(dots, ". ");
		gb_box *db = gb_ts_vbox(v, GB_BOX_TEXT, from, tb->y, count * unit, 0, dots->str);
		db->glyphs = gb_ts_one_line(t, dots->str, fd, NULL, 0, PANGO_ALIGN_LEFT, false, &x);
		g_string_free(dots, TRUE);
	}
	gb_glyphs *ng = gb_ts_one_line(t, num, fd, NULL, num_w, PANGO_ALIGN_RIGHT, false, &x);
	gb_box *nb = gb_ts_vbox(v, GB_BOX_TEXT, t->measure - num_w + x, tb->y, 0, 0, num);
	nb->glyphs = ng;
	nb->w = gb_glyphs_width(nb->glyphs);
	pango_font_description_free(fd);
	/* the whole entry links to its heading */
	char *dest = g_strconcat("#", id, NULL);
	for (guint k = before; k < t->galley->len; k++) {
		vitem *lv = g_ptr_array_index(t->galley, k);
		if (lv->kind == V_LINE)
			gb_ts_vbox(lv, GB_BOX_LINK, indent, 0, t->measure - indent, lv->height, dest);
	}
	g_free(dest);
	g_free(num);
}

/*
 * The title of one of the book's own pages (the contents, the index) on
 * t's galley: set as a chapter's heading, in one face ("Мазмұны":
 * Biolinum has no Ұ), with the named destination dest, in the PDF's
 * outline when outline is set, and the space after a heading below it
 * (the grid's rounding goes above the title, not between it and what
 * follows: pages.c).
 */
void gb_ts_page_title(ts *t, const char *title, const char *dest, bool outline)
{
	setting s = gb_ts_body_setting(t);
	s.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
				    PANGO_STYLE_NORMAL, title);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * t->h_scale[1];
	s.leading = s.size * t->heading_leading;
	s.justify = false;
	s.tag = "H1";
	s.dest = dest;
	if (outline) {
		s.outline = title;
		s.outline_level = 1;
	}
	gb_ts_line_of(t, title, &s);
	vitem *after = gb_ts_vitem_new(V_SPACE, t->h_after[1]);
	after->keep = true;
	after->after_heading = true;
	g_ptr_array_add(t->galley, after);
}

/* Sets what follows in lang: t->lang (the lines' breaking) and the
   context's (their shaping). */
static void contents_lang(ts *t, const char *lang)
{
	t->lang = lang;
	pango_context_set_language(t->pc, pango_language_from_string(lang));
}

/*
 * The contents, in the book's language, each entry in its part's: not in
 * the language the part set last left (the contents are set again after
 * the parts: typeset.c's redo_contents).  What follows them is set in the
 * language it was before.
 */
void gb_ts_contents_pages(ts *t, pager *pg)
{
	const gb_book *b = t->book;
	const char *was = t->lang;
	PangoLanguage *was_pc = pango_context_get_language(t->pc);
	contents_lang(t, b->meta.lang);
	t->galley = g_ptr_array_new();
	/* titled in the book's language, as the EPUB's nav */
	const char *title = gb_words_for(b->meta.lang)->contents;
	gb_ts_page_title(t, title, "contents", false);
	gb_ts_add_mark(t->galley, true, "TOC", false);
	double num_w = t->folio_width;
	/* a space before each chapter's entry sets the chapters apart when
	   their sections are listed under them (on the grid: a line); a
	   list of chapters alone needs none */
	bool groups = false;
	for (guint i = 0; i < b->toc->len && !groups; i++)
		groups = ((const gb_toc_entry *)g_ptr_array_index(b->toc, i))->level > 1;
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *e = g_ptr_array_index(b->toc, i);
		setting es = gb_ts_body_setting(t);
		es.justify = false;
		es.tag = "TOCI";
		if (e->level == 1) {
			/* a chapter listed with its sections is set apart
			   from the entries around it; chapters listed alone
			   follow each other line by line (Frankenstein's one
			   section spaced all its 28 chapters); none before
			   the first: the title's space is there */
			bool sections = i + 1 < b->toc->len &&
				((const gb_toc_entry *)g_ptr_array_index(b->toc, i + 1))->level > 1;
			bool after_sections = i > 0 &&
				((const gb_toc_entry *)g_ptr_array_index(b->toc, i - 1))->level > 1;
			if (groups && i > 0 && (sections || after_sections))
				gb_ts_add_space(t, t->leading / 3);
			es.weight = PANGO_WEIGHT_NORMAL;
		}
		double indent = e->level == 1 ? 0 : t->list_indent;
		char *text = e->label ? g_strdup_printf("%s: %s", e->label, e->title)
				      : g_strdup(e->title);
		contents_lang(t, e->part && e->part->lang ? e->part->lang : b->meta.lang);
		contents_line(t, &es, text, e->heading->id, indent, num_w);
		g_free(text);
	}
	contents_lang(t, b->meta.lang);
	if (b->has_index && b->index && b->index->len) {
		/* the index, after the parts (indexpages.c) */
		setting es = gb_ts_body_setting(t);
		es.justify = false;
		es.tag = "TOCI";
		if (groups)
			gb_ts_add_space(t, t->leading / 3);
		contents_line(t, &es, gb_words_for(b->meta.lang)->index, "index", 0, num_w);
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_paginate(pg, t->galley, true, title, true);
	gb_ts_free_galley(t->galley);
	t->lang = was;
	pango_context_set_language(t->pc, was_pc);
}

char *gb_ts_part_head(const gb_node *part)
{
	if (!part->target)
		return NULL;
	/* book.yaml's short-title for the part, else its heading */
	char *title = part->title ? gb_meta_one_line(part->title) : gb_node_text(part->target);
	if (!part->label)
		return title;
	char *s = g_strdup_printf("%s: %s", part->label, title);
	g_free(title);
	return s;
}
