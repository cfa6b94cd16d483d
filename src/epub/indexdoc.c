/* indexdoc.c - the EPUB's index (epub:type="index", role="doc-index"):
   the entries of book->index (source/index.h) under their letters, each
   locator a link to its mark's place; the locators are the print
   edition's page numbers when the EPUB is made with it (gsi-book all:
   gb_epub_options.dest_pages), else the title of the part the mark is
   in (ep.h). */
#include "epub/ep.h"
#include "source/index.h"

static const char *page_of(const char *id, void *ctx)
{
	return id && ctx ? g_hash_table_lookup(ctx, id) : NULL;
}

static const gb_node *part_of(const gb_node *n)
{
	while (n && n->kind != GB_NODE_PART)
		n = n->parent;
	return n;
}

/* The locators of e, each a link to its mark: "<a href>12</a>". */
static void locators(epub *e, GString *o, const gb_index_entry *en, GHashTable *pages)
{
	GPtrArray *locs = gb_index_locators(en, page_of, pages);
	const gb_node *last_part = NULL;
	int nth = 0;
	for (guint i = 0; i < locs->len; i++) {
		const gb_index_locator *l = locs->pdata[i];
		const char *doc = g_hash_table_lookup(e->doc_of_id, l->mark->id);
		if (!doc)
			continue;
		g_string_append(o, ", <a href=\"");
		/* the documents are all in text/ */
		gb_ep_esc(o, g_str_has_prefix(doc, "text/") ? doc + 5 : doc);
		g_string_append(o, "#");
		gb_ep_esc(o, l->mark->id);
		g_string_append(o, "\">");
		if (l->text) {
			gb_ep_esc(o, l->text);
		} else {
			/* no pages: the part's title, and the part's next
			   marks of the entry "(2)", "(3)" */
			const gb_node *part = part_of(l->mark);
			nth = part == last_part ? nth + 1 : 1;
			last_part = part;
			char *title = nth > 1 ? g_strdup_printf("(%d)", nth) :
				      part && part->target ? gb_node_text(part->target) :
				      g_strdup("\u2192");
			gb_ep_esc_caps(e, o, title);
			g_free(title);
		}
		g_string_append(o, "</a>");
	}
	g_ptr_array_unref(locs);
}

void gb_ep_write_index(epub *e)
{
	const gb_book *b = e->book;
	if (!b->has_index || !b->index || !b->index->len)
		return;
	/* the print edition's pages, when it was made with the EPUB */
	GHashTable *pages = e->opt->dest_pages;
	const char *title = e->w->index;
	GString *o = g_string_new(NULL);
	gb_ep_doc_begin(e, o, b->meta.lang, title, "backmatter");
	g_string_append(o, "<section epub:type=\"index\" role=\"doc-index\" class=\"index\" "
			   "aria-labelledby=\"index-title\">\n<h1 id=\"index-title\">");
	gb_ep_esc_text(e, o, title, b->meta.lang, false, false);
	g_string_append(o, "</h1>\n");
	const char *group = NULL;
	bool sub_open = false;
	for (guint i = 0; i < b->index->len; i++) {
		const gb_index_entry *en = b->index->pdata[i];
		if (!group || strcmp(group, en->group)) {
			if (sub_open)
				g_string_append(o, "</ul>\n");
			if (group)
				g_string_append(o, "</li>\n</ul>\n</section>\n");
			sub_open = false;
			group = en->group;
			g_string_append_printf(o, "<section class=\"index-group\" aria-labelledby=\"index-%u\">\n"
					       "<h2 id=\"index-%u\">", i, i);
			gb_ep_esc_text(e, o, group, b->meta.lang, false, false);
			g_string_append(o, "</h2>\n<ul>\n");
		} else if (!en->sub) {
			if (sub_open)
				g_string_append(o, "</ul>\n");
			sub_open = false;
			g_string_append(o, "</li>\n");
		}
		if (en->sub) {
			if (!sub_open)
				g_string_append(o, "\n<ul>\n");
			sub_open = true;
			g_string_append(o, "<li>");
			gb_ep_esc_text(e, o, en->sub, b->meta.lang, false, true);
			locators(e, o, en, pages);
			g_string_append(o, "</li>\n");
		} else {
			g_string_append(o, "<li>");
			gb_ep_esc_text(e, o, en->term, b->meta.lang, false, true);
			locators(e, o, en, pages);
		}
	}
	if (sub_open)
		g_string_append(o, "</ul>\n");
	g_string_append(o, "</li>\n</ul>\n</section>\n</section>\n");
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "index", "text/index.xhtml",
			      "application/xhtml+xml", NULL, gb_ep_string_bytes(o)), true);
}
