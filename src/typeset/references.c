/*
 * references.c - links in print (ts.h): a reader of paper cannot follow a
 * link, so the print edition says where it goes.
 *
 *  - links.page-numbers: an internal link ([the timeline](#timeline)) is
 *    followed by its target's page, ", p. 7" (the word in the language
 *    of the part the link is set in, gb_words.page, a no-break space
 *    before the number; checked again in the same words), unless
 *    the link ends on the page where its target is.  The numbers are
 *    those of the pass before; typeset.c sets the book again until they
 *    are those the pass found (gb_ts_links_end).
 *  - links.print-urls: an external link's address, "footnote": in a note
 *    of its own at the page's foot, marked * † ‡ § ‖ ¶ (then doubled),
 *    counted from the page's first such note, so that the book's numbered
 *    notes keep the EPUB's numbers; "inline": " (https://...)" after its
 *    text, the address in the code face and broken as addresses are
 *    (so in "footnote" too for a link in a note: a note of a note is not
 *    set); "none".  A link whose text is its address (an autolink) gets
 *    nothing, and mailto: shows the address alone.  A link in a heading
 *    gets nothing either: a title is not a reference.
 *
 * The EPUB is untouched: it links.  Made-up nodes (the notes, the
 * addresses) belong to the ts (t->made) and have no parent: no page starts
 * in them (page->source is a node of the book).
 */
#include "typeset/ts.h"

enum { URLS_NONE, URLS_FOOTNOTE, URLS_INLINE };

/* The marks of the notes of addresses, the k-th on a page: "*", "†", ...,
   "**", "††", ... */
char *gb_ts_url_mark(guint k)
{
	static const char *const marks[] = { "*", "\u2020", "\u2021", "\u00A7", "\u2016", "\u00B6" };
	G_STATIC_ASSERT(G_N_ELEMENTS(marks) == GB_TS_SINGLE_MARKS);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i <= k / G_N_ELEMENTS(marks); i++)
		g_string_append(s, marks[k % G_N_ELEMENTS(marks)]);
	return g_string_free(s, FALSE);
}

bool gb_ts_read_links(ts *t)
{
	const gb_style *s = t->opt->style;
	gb_diag *d = t->d;
	const char *pages = gb_style_need(s, "links.page-numbers", d);
	const char *urls = gb_style_need(s, "links.print-urls", d);
	if (!pages || !urls)
		return false;
	if (strcmp(pages, "true") && strcmp(pages, "false")) {
		gb_error(d, gb_style_loc(s, "links.page-numbers", -1),
			 "style 'links.page-numbers' must be true or false, not '%s'", pages);
		return false;
	}
	t->link_pages = !strcmp(pages, "true");
	if (!strcmp(urls, "footnote"))
		t->print_urls = URLS_FOOTNOTE;
	else if (!strcmp(urls, "inline"))
		t->print_urls = URLS_INLINE;
	else if (!strcmp(urls, "none"))
		t->print_urls = URLS_NONE;
	else {
		gb_error(d, gb_style_loc(s, "links.print-urls", -1),
			 "style 'links.print-urls' must be footnote, inline or none, not '%s'", urls);
		return false;
	}
	return true;
}

/* The made-up nodes of a link (t->made's value). */
typedef struct made {
	gb_node *code;          /* the address, as a CODE node */
	gb_node *ref, *note;    /* the NOTEREF and FOOTNOTE of its note */
	guint seq;              /* its note's place among all notes of addresses */
} made;

static void made_free(made *m)
{
	gb_node_free(m->code);
	gb_node_free(m->ref);
	gb_node_free(m->note);
	g_free(m);
}

/* Whether n is inside a heading (a title is not a reference). */
static bool in_heading(const gb_node *n)
{
	for (; n; n = n->parent)
		if (n->kind == GB_NODE_HEADING)
			return true;
	return false;
}

/* The link's text, plain. */
static void plain(const gb_node *n, GString *out)
{
	if (n->kind == GB_NODE_TEXT || n->kind == GB_NODE_CODE)
		g_string_append(out, n->text);
	for (const gb_node *c = n->first; c; c = c->next)
		plain(c, out);
}

/*
 * What link adds after itself when the link is on page here (a folio, or
 * NULL unknown) and the folios are those of pages (dest -> folio), in the
 * words w of the language of the part it is set in.  A link
 * that has had a number keeps it on its target's page (t->link_kept):
 * else a number that pushes its link onto that page takes itself away,
 * and the link goes back, pass after pass.
 */
static char *page_words(const ts *t, const gb_words *w, const gb_node *link,
			GHashTable *pages, const char *here)
{
	const char *folio = g_hash_table_lookup(pages, link->url + 1);
	bool kept = t->link_kept && g_hash_table_contains(t->link_kept, link);
	if (!folio || !*folio || (here && !strcmp(here, folio) && !kept))
		return g_strdup("");
	return g_strdup_printf(", %s\u00A0%s", w->page, folio);
}

/* The address a reader types: mailto:'s without the scheme. */
static const char *shown_address(const gb_node *link)
{
	return g_str_has_prefix(link->url, "mailto:") ? link->url + 7 : link->url;
}

/* Gives m's note its number seq: its id, its number and its reference's
   id (ids and numbers no note of the book has: a book holds at most
   10,000 notes, and its ids are fn-N and fnref-N). */
static void made_number(made *m, guint seq)
{
	m->seq = seq;
	g_free(m->note->id);
	m->note->id = g_strdup_printf("url-note-%u", seq + 1);
	m->note->number = 100001 + (int)seq;
	g_free(m->ref->id);
	m->ref->id = g_strdup_printf("fnref-%d", m->note->number);
}

static made *made_of(ts *t, const gb_node *link)
{
	made *m = t->made_shared ? g_hash_table_lookup(t->made_shared, link) : NULL;
	if (m)
		return m;
	if (!t->made)
		t->made = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
						(GDestroyNotify)made_free);
	m = g_hash_table_lookup(t->made, link);
	if (m)
		return m;
	m = g_new0(made, 1);
	m->code = gb_node_new(GB_NODE_CODE, link->loc);
	m->code->text = g_strdup(shown_address(link));
	m->seq = t->url_count++;
	m->note = gb_node_new(GB_NODE_FOOTNOTE, link->loc);
	m->ref = gb_node_new(GB_NODE_NOTEREF, link->loc);
	if (t->made_part) {
		/* a worker's: stand-ins no other part's have, renamed when
		   its part is joined (gb_ts_made_join) */
		m->note->id = g_strdup_printf("url-note-p%u-%u", t->made_part, m->seq);
		m->note->number = -(int)(t->made_part * 1000000u + m->seq + 1);
		m->ref->id = g_strdup_printf("fnref-%d", m->note->number);
	} else {
		made_number(m, m->seq);
	}
	m->note->label = gb_ts_url_mark(0);
	gb_node *para = gb_node_new(GB_NODE_PARAGRAPH, link->loc);
	gb_node_append(m->note, para);
	gb_node *code = gb_node_new(GB_NODE_CODE, link->loc);
	code->text = g_strdup(shown_address(link));
	para->first = para->last = code;  /* no parent: no page starts here */
	m->ref->target = m->note;
	m->ref->label = g_strdup(m->note->label);
	g_hash_table_insert(t->made, (gpointer)link, m);
	return m;
}

/* A mark in the text set as a note's number is, smaller and raised ('*'
   is drawn high already); in the margin, beside its note, at full size. */
static void raise_mark(inl *in, guint start, guint end)
{
	if (strspn(in->text->str + start, "*") >= end - start)
		return;
	PangoAttribute *a[2] = {
		pango_attr_scale_new(0.7),
		pango_attr_rise_new((int)(in->size * 0.3 * PANGO_SCALE)),
	};
	for (int i = 0; i < 2; i++) {
		a[i]->start_index = start;
		a[i]->end_index = end;
		pango_attr_list_insert(in->attrs, a[i]);
	}
}

bool gb_ts_link_has_note(const ts *t, const gb_node *link)
{
	if (t->print_urls != URLS_FOOTNOTE || !gb_link_has_target(link) ||
	    link->url[0] == '#' || in_heading(link))
		return false;
	GString *text = g_string_new(NULL);
	plain(link, text);
	bool address = !strcmp(text->str, link->url) ||
		       !strcmp(text->str, shown_address(link));
	g_string_free(text, TRUE);
	return !address;
}

void gb_ts_link_end(inl *in, const gb_node *link, guint start, guint end)
{
	ts *t = in->t;
	if (end > start)
		g_array_append_val(in->spans, ((span){ start, end, link }));
	if (!gb_link_has_target(link) || in_heading(link))
		return;
	char *said = NULL;
	if (link->url[0] == '#') {
		if (!t->link_pages)
			return;
		/* the words of the part being set: gb_ts_links_end() says
		   them again in these, not in the last part's */
		const gb_words *w = gb_words_for(t->lang ? t->lang : t->book->meta.lang);
		if (!t->link_words)
			t->link_words = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_replace(t->link_words, (gpointer)link, (gpointer)w);
		said = page_words(t, w, link, t->page_of,
				  t->link_page ? g_hash_table_lookup(t->link_page, link) : NULL);
		g_string_append(in->text, said);
		if (*said) {
			if (!t->link_kept)
				t->link_kept = g_hash_table_new(g_direct_hash, g_direct_equal);
			g_hash_table_add(t->link_kept, (gpointer)link);
		}
	} else if (t->print_urls != URLS_NONE) {
		GString *text = g_string_new(NULL);
		plain(link, text);
		bool address = !strcmp(text->str, link->url) ||
			       !strcmp(text->str, shown_address(link));
		g_string_free(text, TRUE);
		if (address)
			return;
		made *m = made_of(t, link);
		/* a note's link: its address after it (a note of a note is
		   not set) */
		if (t->print_urls == URLS_INLINE || t->in_note) {
			g_string_append(in->text, " (");
			gb_ts_inline_fn(m->code, true, in);
			g_string_append(in->text, ")");
			return;
		}
		g_free(m->ref->label);
		m->ref->label = g_strdup(m->note->label);
		guint at = (guint)in->text->len;
		gb_ts_inline_fn(m->ref, true, in);
		raise_mark(in, at, (guint)in->text->len);
		said = g_strdup(m->note->label);
	}
	if (!said)
		return;
	if (!t->link_said)
		t->link_said = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_hash_table_replace(t->link_said, (gpointer)link, said);
}

void gb_ts_link_placed(ts *t, const gb_box *b, const gb_page *page)
{
	/* the notes of addresses in the order they are placed: the order of
	   the page's foot, which their marks count in */
	if (b->kind == GB_BOX_DEST && (t->made || t->made_shared) &&
	    g_str_has_prefix(b->text, "url-note-")) {
		if (!t->url_placed)
			t->url_placed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		if (!g_hash_table_contains(t->url_placed, b->text))
			g_hash_table_insert(t->url_placed, g_strdup(b->text),
					    GUINT_TO_POINTER(g_hash_table_size(t->url_placed) + 1));
		return;
	}
	if (!b->source || ((const gb_node *)b->source)->kind != GB_NODE_LINK)
		return;
	if (!t->link_found)
		t->link_found = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_hash_table_replace(t->link_found, (gpointer)b->source, g_strdup(page->label));
}

/* Gives the notes of addresses their marks as pages says they are placed
   (dest -> folio): the k-th on a page is gb_ts_url_mark(k).  True when no
   mark changed. */
static bool mark_notes(ts *t, GHashTable *pages, bool apply)
{
	if (!t->made)
		return true;
	/* the notes placed, in the order they were */
	guint placed = t->url_placed ? g_hash_table_size(t->url_placed) : 0;
	GPtrArray *notes = g_ptr_array_new();
	g_ptr_array_set_size(notes, placed);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, t->made);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		guint at = placed ? GPOINTER_TO_UINT(g_hash_table_lookup(t->url_placed,
							((made *)v)->note->id)) : 0;
		if (at)
			notes->pdata[at - 1] = v;
	}
	bool same = true;
	const char *last = NULL;
	guint rank = 0;
	for (guint i = 0; i < notes->len; i++) {
		made *m = notes->pdata[i];
		const char *folio = m ? g_hash_table_lookup(pages, m->note->id) : NULL;
		if (!folio)
			continue;
		rank = last && !strcmp(last, folio) ? rank + 1 : 0;
		last = folio;
		char *mark = gb_ts_url_mark(rank);
		if (strcmp(mark, m->note->label))
			same = false;
		if (!same && apply && strcmp(mark, m->note->label)) {
			g_free(m->note->label);
			m->note->label = mark;
		} else {
			g_free(mark);
		}
	}
	g_ptr_array_free(notes, TRUE);
	return same;
}

void gb_ts_links_begin(ts *t)
{
	if (t->link_said)
		g_hash_table_remove_all(t->link_said);
	if (t->link_words)
		g_hash_table_remove_all(t->link_words);
	if (t->link_found)
		g_hash_table_remove_all(t->link_found);
	if (t->url_placed)
		g_hash_table_remove_all(t->url_placed);
}

bool gb_ts_links_end(ts *t, GHashTable *pages, bool warn)
{
	bool stable = true;
	if (t->link_said) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, t->link_said);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const gb_node *link = k;
			if (link->url[0] != '#')
				continue;
			const gb_words *w = t->link_words ?
				g_hash_table_lookup(t->link_words, link) : NULL;
			char *now = page_words(t, w ? w : gb_words_for(t->book->meta.lang),
					       link, pages, t->link_found ?
					       g_hash_table_lookup(t->link_found, link) : NULL);
			if (strcmp(now, v)) {
				stable = false;
				if (warn)
					gb_warning(t->d, link->loc,
						   "the page after this link (#%s) is not settled after "
						   "4 passes: printed '%s', now '%s'",
						   link->url + 1, (char *)v, now);
			}
			g_free(now);
		}
	}
	if (!mark_notes(t, pages, !warn)) {
		stable = false;
		if (warn)
			gb_warning(t->d, gb_noloc(), "the marks of the notes of addresses are "
				   "not settled after 4 passes");
	}
	/* the links' pages found: those the next pass reads */
	GHashTable *tmp = t->link_page;
	t->link_page = t->link_found;
	t->link_found = tmp;
	return stable;
}

void gb_ts_links_free(ts *t)
{
	if (t->made)
		g_hash_table_destroy(t->made);
	if (t->link_said)
		g_hash_table_destroy(t->link_said);
	if (t->link_words)
		g_hash_table_destroy(t->link_words);
	if (t->link_found)
		g_hash_table_destroy(t->link_found);
	if (t->link_page)
		g_hash_table_destroy(t->link_page);
	if (t->url_placed)
		g_hash_table_destroy(t->url_placed);
	if (t->link_kept)
		g_hash_table_destroy(t->link_kept);
}

/* The string of the stand-in name of to (a destination or, after '#', a
   link to one) renamed by names (old -> new), or NULL. */
static char *renamed(GHashTable *names, const char *to)
{
	const char *name = g_hash_table_lookup(names, to[0] == '#' ? to + 1 : to);
	return name ? g_strconcat(to[0] == '#' ? "#" : "", name, NULL) : NULL;
}

/* Renames the keys of table (of strings; owned: free_keys) by names. */
static void rename_keys(GHashTable *table, GHashTable *names, bool free_keys,
			GHashTable *new_ids)
{
	if (!table)
		return;
	GPtrArray *keys = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, table);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (g_hash_table_contains(names, k))
			g_ptr_array_add(keys, k);
	for (guint i = 0; i < keys->len; i++) {
		k = keys->pdata[i];
		const char *name = g_hash_table_lookup(names, k);
		gpointer old_key;
		g_hash_table_lookup_extended(table, k, &old_key, &v);
		g_hash_table_steal(table, k);
		/* a set of the nodes' own ids (notes_set) gets theirs */
		gpointer key = new_ids ? g_hash_table_lookup(new_ids, name) : g_strdup(name);
		g_hash_table_insert(table, key, v);
		if (free_keys)
			g_free(old_key);
	}
	g_ptr_array_free(keys, TRUE);
}

void gb_ts_made_join(ts *t, ts *w)
{
	if (!w->made || !g_hash_table_size(w->made))
		goto done;
	/* in the order the worker made them, numbered on from t's */
	guint n = g_hash_table_size(w->made);
	made **order = g_new0(made *, n);
	const gb_node **links = g_new0(const gb_node *, n);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->made);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		made *m = v;
		order[m->seq] = m;
		links[m->seq] = k;
	}
	/* old name -> new; new id -> the node's own string */
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *old = g_ptr_array_new_with_free_func(g_free);
	if (!t->made_joined)
		t->made_joined = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < n; i++) {
		made *m = order[i];
		char *note_id = m->note->id, *ref_id = m->ref->id;
		m->note->id = m->ref->id = NULL;
		made_number(m, t->url_count++);
		g_hash_table_insert(names, g_strdup(note_id), g_strdup(m->note->id));
		g_hash_table_insert(names, g_strdup(ref_id), g_strdup(m->ref->id));
		g_hash_table_insert(ids, m->note->id, m->note->id);
		g_hash_table_insert(ids, m->ref->id, m->ref->id);
		g_ptr_array_add(old, note_id);
		g_ptr_array_add(old, ref_id);
		g_hash_table_insert(t->made_joined, (gpointer)links[i], m);
	}
	g_hash_table_steal_all(w->made);
	/* the names in the worker's pages: its notes' destinations, the
	   links to them and back */
	for (guint i = 0; i < w->lay->pages->len; i++) {
		gb_page *p = w->lay->pages->pdata[i];
		for (guint j = 0; j < p->boxes->len; j++) {
			gb_box *b = p->boxes->pdata[j];
			char *name = (b->kind == GB_BOX_DEST || b->kind == GB_BOX_LINK) && b->text ?
				     renamed(names, b->text) : NULL;
			if (name) {
				g_free(b->text);
				b->text = name;
			}
		}
	}
	rename_keys(w->found, names, true, NULL);
	rename_keys(w->url_placed, names, true, NULL);
	rename_keys(w->notes_set, names, false, ids);
	g_hash_table_destroy(names);
	g_hash_table_destroy(ids);
	g_ptr_array_free(old, TRUE);
	g_free(order);
	g_free(links);
done:
	if (w->made)
		g_hash_table_destroy(w->made);
	w->made = NULL;
}

void gb_ts_made_settle(ts *t)
{
	if (!t->made_joined)
		return;
	if (!t->made)
		t->made = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
						(GDestroyNotify)made_free);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, t->made_joined);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_insert(t->made, k, v);
	g_hash_table_destroy(t->made_joined);
	t->made_joined = NULL;
}
