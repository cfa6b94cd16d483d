/* typeset.c - from the document tree to pages of boxes: the passes, gb_typeset (ts.h) */
#include "typeset/ts.h"

/* Sets part p onto pg's pages: a new recto, its galley laid out as it is
   set (typeset.c; a worker of parts.c calls it too, on pages of its own). */
void gb_ts_set_part(ts *t, pager *pg, const gb_node *p)
{
	t->part = p;
	t->lang = p->lang;
	t->left = t->right = 0;
	t->galley = g_ptr_array_new();
	gb_ts_add_mark(t->galley, true, "Sect", false);
	/* links to the part itself land on its first page */
	vitem *sect = g_ptr_array_index(t->galley, 0);
	/* a part in another language says so (/Lang): a reader
	   reads its text in that language */
	if (p->lang && g_ascii_strcasecmp(p->lang, t->book->meta.lang))
		((gb_box *)g_ptr_array_index(sect->boxes, 0))->attrs =
			g_strdup_printf("lang='%s'", p->lang);
	gb_ts_vbox(sect, GB_BOX_DEST, 0, 0, 0, 0, p->id);
	char *head = gb_ts_part_head(p);
	const char *fitted = head ? gb_ts_fit_head(t, head, p->target->loc,
						   "for this part in book.yaml") : NULL;
	pagination z;
	gb_ts_paginate_start(&z, pg, t->galley, true, fitted, true, true);
	gb_ts_set_blocks(t, p->first, &z);
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_paginate_some(&z, true);
	g_free(head);
	gb_ts_free_galley(t->galley);
	t->galley = NULL;
}

/* One pass over the book; the layout is t->lay. */
static void one_pass(ts *t)
{
	pager pg = { t, 0, 0, false, NULL, NULL };
	gb_ts_title_page(t, &pg);
	gb_ts_copyright_page(t, &pg);
	t->contents_first = t->lay->pages->len;
	t->contents_roman = pg.roman;
	gb_ts_contents_pages(t, &pg);
	t->contents_end = t->lay->pages->len;
	for (const gb_node *p = t->book->root->first; p; p = p->next) {
		if (p->part_kind != GB_PART_FRONTMATTER && !pg.body) {
			pg.body = true;
			/* arabic 1 is a recto: finish the front matter on a verso */
			if (t->lay->pages->len % 2 == 1) {
				gb_page *blank = gb_layout_add_page(t->lay, false);
				blank->label = gb_ts_roman(++pg.roman);
				blank->left = t->outer;
			}
		}
		/* the parts of arabic folios, on all cores (parts.c) */
		if (pg.body && gb_ts_set_parts(t, &pg, p)) {
			t->passes_on_cores++;
			break;
		}
		gb_ts_set_part(t, &pg, p);
	}
	gb_ts_index_pages(t, &pg);
	if (pg.note_open)
		g_ptr_array_free(pg.note_open, TRUE);
	if (pg.carried) {
		g_ptr_array_foreach(pg.carried, (GFunc)(void (*)(void))gb_ts_vitem_free, NULL);
		g_ptr_array_free(pg.carried, TRUE);
	}
}

/*
 * Sets the contents again, with the page numbers of the pass just done,
 * into a layout of their own, and if they take the same pages as in
 * t->lay, moves them into t->lay.  Returns false when they do not (the
 * caller runs a full pass).
 */
static bool redo_contents(ts *t)
{
	gb_layout *whole = t->lay;
	gb_layout *part = gb_layout_new(t->pw, t->ph);
	/* the pages before, as empty stand-ins: the same recto and verso */
	for (guint i = 0; i < t->contents_first; i++)
		gb_layout_add_page(part, i % 2 == 0);
	t->lay = part;
	t->found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	pager pg = { t, t->contents_roman, 0, false, NULL, NULL };
	gb_ts_contents_pages(t, &pg);
	bool same = part->pages->len == t->contents_end;
	for (guint i = t->contents_first; same && i < t->contents_end; i++) {
		gb_page *old = g_ptr_array_index(whole->pages, i);
		gb_page *now = g_ptr_array_index(part->pages, i);
		same = !g_strcmp0(old->label, now->label) && old->recto == now->recto;
	}
	for (guint i = t->contents_first; same && i < t->contents_end; i++) {
		gb_page *old = g_ptr_array_index(whole->pages, i);
		gb_page *now = g_ptr_array_index(part->pages, i);
		GPtrArray *tmp = old->boxes;
		old->boxes = now->boxes;
		now->boxes = tmp;
	}
	g_hash_table_destroy(t->found);
	t->found = NULL;
	t->lay = whole;
	gb_layout_free(part);
	return same;
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
char *gb_ts_cache_id(ts *t)
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
	t->lay->author = gb_author_names(m);
	t->lay->authors = gb_author_list(m);
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
	if (t->opt->first_fit_lines)
		gb_measure_lines_clear(t->opt->first_fit_lines);
	t->clones = g_ptr_array_new_with_free_func((GDestroyNotify)gb_ts_vitem_free);
	t->notes_set = g_hash_table_new(g_str_hash, g_str_equal);
}

/* One pass over the book; true when its page numbers are those it was set with. */
static bool full_pass(ts *t)
{
	t->passes++;
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
		gb_ts_links_begin(t);
		bool stable = full_pass(t);
		/* what links print after them (their targets' pages, the marks
		   of their addresses' notes) is what this pass found, else the
		   text moves: set it all again */
		bool links = gb_ts_links_end(t, t->page_of, pass == 3);
		if ((stable && links) || t->failed)
			break;
		/* only the contents' page numbers moved: set the contents again
		   with them, and if they take the same pages, nothing else
		   moves - no second pass over the whole book */
		if (links && !t->book->has_index && redo_contents(t))
			break;  /* (the index's numbers need a whole pass) */
		/* diagnostics of a pass are the same in the next: report once */
		if (gb_diag_errors(t->d))
			break;
	}
}

/* The font map and context text is measured and shaped with, on fc. */
/* Frees what gb_ts_read_style() made of the fonts. */
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

void gb_ts_open_pango(ts *t, FcConfig *fc)
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
			if (b->number > 0 && gb_ts_plan_table(t, b, b->number, &p))
				g_free(p.w);
			break;
		}
		case GB_NODE_LIST: {
			double indent = gb_ts_list_indent_of(t, b);
			for (const gb_node *item = b->first; item; item = item->next) {
				double old = t->left;
				t->left += indent;
				plan_tables(t, item->first);
				t->left = old;
			}
			break;
		}
		case GB_NODE_BLOCKQUOTE:
			gb_ts_indent_quote(t, 1);
			plan_tables(t, b->first);
			gb_ts_indent_quote(t, -1);
			break;
		case GB_NODE_DEFLIST:
			gb_ts_deflist_indent(t, 1);
			for (const gb_node *d = b->first; d; d = d->next)
				plan_tables(t, d->first);
			gb_ts_deflist_indent(t, -1);
			break;
		case GB_NODE_FOOTNOTE: {
			note_state saved;
			gb_ts_note_enter(t, &saved);
			plan_tables(t, b->first);
			gb_ts_note_leave(t, &saved);
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
	FcConfig *fc = gb_ts_read_style(&t) ? gb_fontset_fc(opt->fonts, d) : NULL;
	if (!fc) {
		free_style(&t);
		return false;
	}
	gb_ts_open_pango(&t, fc);
	/* the measure the typesetter sets the tables at: with a printer's
	   safety margin, the margins grown as gb_typeset() grows them */
	if (!gb_ts_keep_furniture_safe(&t) || !gb_ts_keep_hangs_safe(&t))
		t.failed = true;
	for (const gb_node *p = book->root->first; p && !t.failed; p = p->next) {
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
	FcConfig *fc = gb_ts_read_style(&t) ? gb_fontset_fc(opt->fonts, d) : NULL;
	if (!fc) {
		free_style(&t);
		return NULL;
	}
	t.cache_id = gb_ts_cache_id(&t);
	gb_typeset_keep *keep = opt->keep;
	if (keep && keep->pc && (keep->fc != (void *)fc || g_strcmp0(keep->cache_id, t.cache_id)))
		gb_typeset_keep_clear(keep);   /* other fonts, or another book */
	if (keep && keep->pc) {
		t.map = keep->map;
		t.pc = keep->pc;
		t.hyph = keep->hyph;
		/* the language the last build left on it (parts.c) back to
		   a new context's, so that the book is set as a fresh run
		   sets it */
		pango_context_set_language(t.pc, pango_language_get_default());
	} else {
		t.hyph = gb_hyphenator_new();
		gb_ts_open_pango(&t, fc);
	}
	/* the book's hyphenation dictionary loads while the first pages are
	   set: few paragraphs need it before the body starts */
	gb_hyphenator_preload(t.hyph, book->meta.lang);
	bool safe = gb_ts_keep_furniture_safe(&t) &&   /* pages.c */
		    gb_ts_keep_hangs_safe(&t);          /* state.c */
	t.heads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gb_shape_cache_keep(t.pc, t.cache_id);
	t.page_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (safe) {
		gb_ts_par_new(&t, fc);  /* parts.c */
		passes(&t);
		gb_ts_par_free(&t);
	} else {
		t.failed = true;
	}
	if (!t.failed && gb_diag_errors(d) == 0) {
		ret = t.lay;
		t.lay = NULL;
		ret->fontmap = g_object_ref(t.map);
		/* blank pages up to a printer's least count (--pad), and an
		   even count whose last page is blank, for printers that
		   want one */
		while ((int)ret->pages->len < opt->min_pages ||
		       (opt->even_pages && (ret->pages->len % 2 ||
		       ((gb_page *)g_ptr_array_index(ret->pages, ret->pages->len - 1))->boxes->len))) {
			gb_page *last = g_ptr_array_index(ret->pages, ret->pages->len - 1);
			gb_page *blank = gb_layout_add_page(ret, !last->recto);
			int n = atoi(last->label);
			blank->label = n > 0 ? g_strdup_printf("%d", n + 1) : g_strdup("");
			blank->left = blank->recto ? t.inner : t.outer;
		}
	}
	if (opt->passes)
		*opt->passes = (gb_typeset_passes){ t.passes, t.passes_on_cores };
	gb_ts_par_keys_keep(&t, ret ? keep : NULL);  /* parts.c */
	g_hash_table_destroy(t.heads);
	gb_layout_free(t.lay);
	g_hash_table_destroy(t.page_of);
	gb_ts_links_free(&t);
	free_style(&t);
	if (keep) {
		keep->map = t.map;
		keep->pc = t.pc;
		keep->hyph = t.hyph;
		keep->fc = fc;
		g_free(keep->cache_id);
		keep->cache_id = g_strdup(t.cache_id);
	} else {
		gb_hyphenator_free(t.hyph);
		g_object_unref(t.pc);
		g_object_unref(t.map);
	}
	g_free(t.cache_id);
	return ret;
}

void gb_typeset_keep_clear(gb_typeset_keep *k)
{
	if (!k)
		return;
	gb_ts_par_slots_free(k);   /* parts.c: before the context they
				      give their words to */
	gb_hyphenator_free(k->hyph);
	if (k->pc)
		g_object_unref(k->pc);   /* its words written to the user's cache */
	if (k->map)
		g_object_unref(k->map);
	g_free(k->cache_id);
	if (k->part_keys)
		g_hash_table_destroy(k->part_keys);
	*k = (gb_typeset_keep){ 0 };
}
