/* epub.c - the EPUB 3 edition: the page list from the print edition's page starts, and gb_epub_build (ep.h) */
#include "epub/ep.h"

/* ---- all of it ---- */

static void marks_free(gpointer p)
{
	g_array_free(p, TRUE);
}

static void page_ref_free(page_ref *p)
{
	g_free(p->label);
	g_free(p->href);
	g_free(p);
}

static void add_page_ref(epub *e, const char *label, const char *href)
{
	page_ref *p = g_new0(page_ref, 1);
	p->label = g_strdup(label);
	p->href = g_strdup(href);
	g_ptr_array_add(e->page_list, p);
}

/*
 * Whether a page starting in node n can have its marker there, in the
 * reading order of the EPUB: in text, code, a note mark or a picture of
 * the running text.  A page that starts inside a note (one carried over
 * from the page before, at its foot) has its marker where the next page
 * starts, as a blank page has: the notes are at the end of their
 * document in the EPUB.
 */
static bool marks_in_flow(const gb_node *n)
{
	if (n->kind != GB_NODE_TEXT && n->kind != GB_NODE_CODE &&
	    n->kind != GB_NODE_CODE_BLOCK && n->kind != GB_NODE_NOTEREF &&
	    n->kind != GB_NODE_IMAGE)
		return false;
	for (const gb_node *a = n; a; a = a->parent)
		if (a->kind == GB_NODE_FOOTNOTE)
			return false;
	return true;
}

/*
 * Where each printed page starts in the text: at the node (text, inline
 * code or a code block) and byte of
 * its first line.  A page with no text of the book (a blank page) starts
 * where the next one does; the front matter's pages start on the title
 * page (the title page and the copyright page) and the contents.
 */
static void map_pages(epub *e, const GArray *pages)
{
	e->marks = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, marks_free);
	e->page_list = g_ptr_array_new_with_free_func((GDestroyNotify)page_ref_free);
	e->front = g_ptr_array_new();
	GPtrArray *pending = g_ptr_array_new();
	bool body = false;
	for (guint i = 0; i < pages->len; i++) {
		const gb_page_start *p = &g_array_index(pages, gb_page_start, i);
		if (!p->source || !marks_in_flow(p->source)) {
			g_ptr_array_add(body ? pending : e->front, (gpointer)p->label);
			continue;
		}
		if (!body) {
			body = true;
			for (guint k = 0; k < e->front->len; k++)
				add_page_ref(e, g_ptr_array_index(e->front, k),
					     k < 2 ? "text/titlepage.xhtml" : "nav.xhtml");
		}
		g_ptr_array_add(pending, (gpointer)p->label);
		const gb_node *n = p->source;
		const gb_node *part = n;
		while (part && part->kind != GB_NODE_PART)
			part = part->parent;
		char *href = part ? gb_ep_part_href(e, part) : g_strdup("");
		GArray *marks = g_hash_table_lookup(e->marks, n);
		if (!marks) {
			marks = g_array_new(FALSE, FALSE, sizeof(page_mark));
			g_hash_table_insert(e->marks, (gpointer)n, marks);
		}
		for (guint k = 0; k < pending->len; k++) {
			page_mark m = { p->source_off, g_ptr_array_index(pending, k) };
			g_array_append_val(marks, m);
			add_page_ref(e, m.label, href);
		}
		g_ptr_array_set_size(pending, 0);
		g_free(href);
	}
	/* blank pages at the end start where the text ends: on the last
	   page that was marked */
	const gb_node *n = NULL;
	for (guint i = pages->len; i-- > 0 && !n;) {
		const gb_node *src = g_array_index(pages, gb_page_start, i).source;
		if (src && marks_in_flow(src))
			n = src;
	}
	for (guint k = 0; n && k < pending->len && e->page_list->len; k++) {
		GArray *marks = g_hash_table_lookup(e->marks, n);
		page_mark m = { n->text ? strlen(n->text) : 0, g_ptr_array_index(pending, k) };
		g_array_append_val(marks, m);
		page_ref *prev = g_ptr_array_index(e->page_list, e->page_list->len - 1);
		add_page_ref(e, m.label, prev->href);
	}
	g_ptr_array_free(pending, TRUE);
}

static bool ids_fn(const gb_node *n, bool entering, void *ctx)
{
	epub *e = ctx;
	if (!entering || !n->id)
		return true;
	const gb_node *part = n;
	while (part && part->kind != GB_NODE_PART)
		part = part->parent;
	if (part)
		g_hash_table_insert(e->doc_of_id, n->id, gb_ep_part_href(e, part));
	/* a kepub's wrappers and spans have these ids in every document */
	if (e->kobo && (!strcmp(n->id, "book-columns") || !strcmp(n->id, "book-inner") ||
			g_str_has_prefix(n->id, "kobo."))) {
		gb_error(e->d, n->loc, "the id '%s' is Kobo's in a kepub (its wrappers "
			 "'book-columns', 'book-inner' and its spans 'kobo.P.S'): give "
			 "this element another ({#name})", n->id);
		e->ok = 0;
	}
	return true;
}

GBytes *gb_epub_build(const gb_book *book, const gb_epub_options *opt,
		      gb_diag *d)
{
	GBytes *ret = NULL;
	epub e = {
		.book = book, .opt = opt, .d = d, .w = gb_words_for(book->meta.lang),
		.entries = g_ptr_array_new_with_free_func((GDestroyNotify)gb_ep_entry_free),
		.items = g_ptr_array_new_with_free_func((GDestroyNotify)gb_ep_item_free),
		.spine = g_ptr_array_new(),
		.doc_of_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free),
		.images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		.docs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
		.chars = g_hash_table_new(g_direct_hash, g_direct_equal),
		.kobo = opt->kobo ? gb_kobo_new() : NULL,
		.ok = 1,
	};
	gb_ep_add_entry(&e, "mimetype", g_bytes_new_static("application/epub+zip", 20), true);
	GString *container = g_string_new(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
		"<rootfiles>\n"
		"<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
		"</rootfiles>\n</container>\n");
	gb_ep_add_entry(&e, "META-INF/container.xml", gb_ep_string_bytes(container), false);
	/* Apple Books sets a book in its own fonts unless told here (the
	   OPF's ibooks:specified-fonts is the newer way; older versions and
	   the store read only this file) */
	GString *apple = g_string_new(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<display_options>\n"
		"<platform name=\"*\">\n"
		"<option name=\"specified-fonts\">true</option>\n"
		"</platform>\n</display_options>\n");
	gb_ep_add_entry(&e, "META-INF/com.apple.ibooks.display-options.xml",
			gb_ep_string_bytes(apple), false);

	const char *abbrev = opt->style ? gb_style_get(opt->style, "text.abbreviations") : NULL;
	e.caps = abbrev && !strcmp(abbrev, "small-caps");
	e.coverage = gb_coverage_load(opt->fonts, opt->style, d);
	if (e.coverage) {
		e.needs = gb_coverage_needs(e.coverage, book);
		e.fallbacks = gb_fallbacks_of(e.coverage, e.needs);
	} else {
		e.ok = 0;
	}
	gb_ep_name_docs(&e);
	gb_node_walk(book->root, ids_fn, &e);
	if (opt->pages)
		map_pages(&e, opt->pages);
	gb_ep_write_cover(&e);
	gb_ep_write_titlepage(&e);
	const char *bodymatter = NULL;
	guint nav_at = e.spine->len;
	for (const gb_node *p = book->root->first; p; p = p->next) {
		gb_ep_write_part(&e, p);
		if (!bodymatter && p->part_kind != GB_PART_FRONTMATTER)
			bodymatter = ((item *)g_ptr_array_index(e.spine, e.spine->len - 1))->href;
	}
	gb_ep_write_index(&e);
	gb_ep_write_colophon(&e);
	gb_ep_write_licences(&e);
	gb_ep_write_nav(&e, bodymatter);
	/* the contents come right after the title page */
	item *nav = g_ptr_array_steal_index(e.spine, e.spine->len - 1);
	g_ptr_array_insert(e.spine, (gint)nav_at, nav);
	gb_ep_write_ncx(&e);
	gb_ep_write_css_and_fonts(&e);
	gb_ep_write_opf(&e);
	/* the package document right after the container, for readers that stream */
	entry *opf = g_ptr_array_steal_index(e.entries, e.entries->len - 1);
	g_ptr_array_insert(e.entries, 2, opf);
	if (e.ok && gb_diag_errors(d) == 0)
		ret = gb_ep_zip_all(&e);

	g_ptr_array_free(e.entries, TRUE);
	g_ptr_array_free(e.items, TRUE);
	g_ptr_array_free(e.spine, TRUE);
	g_hash_table_destroy(e.doc_of_id);
	g_hash_table_destroy(e.images);
	g_hash_table_destroy(e.docs);
	g_hash_table_destroy(e.chars);
	gb_kobo_free(e.kobo);
	g_strfreev(e.fallbacks);
	if (e.needs)
		g_ptr_array_unref(e.needs);
	gb_coverage_free(e.coverage);
	if (e.marks)
		g_hash_table_destroy(e.marks);
	if (e.page_list)
		g_ptr_array_free(e.page_list, TRUE);
	if (e.landmarks)
		g_ptr_array_free(e.landmarks, TRUE);
	if (e.front)
		g_ptr_array_free(e.front, TRUE);
	return ret;
}
