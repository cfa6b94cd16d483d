/* pages.c - the book's own pages: cover, title page, nav, NCX, colophon, font licences (ep.h) */
#include "epub/ep.h"

/* ---- the book's own pages ---- */

void gb_ep_write_cover(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GBytes *png = NULL;
	const char *type = "image/png";
	char *href = NULL;
	if (m->cover_image) {
		char *path = g_build_filename(e->book->dir, m->cover_image, NULL);
		char *why = NULL;
		type = gb_image_media_type(m->cover_image);
		/* without its metadata (image.h) */
		if (type)
			png = gb_image_read(path, type, NULL, &why);
		g_free(path);
		if (!png) {
			gb_error(e->d, gb_noloc(), "cannot read the cover image '%s'%s%s",
				 m->cover_image, why ? ": it " : "", why ? why : "");
			g_free(why);
			e->ok = 0;
			return;
		}
		href = g_strdup_printf("images/cover%s", strrchr(m->cover_image, '.'));
	} else {
		png = gb_cover_cached(m, e->opt->style, e->opt->fonts, e->d);
		if (!png) {
			e->ok = 0;
			return;
		}
		href = g_strdup("images/cover.png");
	}
	gb_ep_add_item(e, "cover-image", href, type, "cover-image", png);

	GString *o = g_string_new(NULL);
	gb_ep_doc_begin(e, o, m->lang, e->w->cover, "cover");
	char *alt = gb_cover_alt(m);
	g_string_append(o, "<section epub:type=\"cover\" class=\"cover\">\n");
	if (e->kobo) {
		gb_ep_kobo_next_block(e);
		gb_ep_kobo_open(e, o);
	}
	g_string_append(o, "<img role=\"doc-cover\" src=\"../");
	gb_ep_esc(o, href);
	g_string_append(o, "\" alt=\"");
	gb_ep_esc(o, alt);
	g_string_append(o, e->kobo ? "\"/></span>\n</section>\n" : "\"/>\n</section>\n");
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "cover", "text/cover.xhtml",
			      "application/xhtml+xml", NULL, gb_ep_string_bytes(o)), true);
	g_free(alt);
	g_free(href);
}

/* the people, as the print title page lists them: an author's name, a
   contributor's with the role, in the book's words */
static void authors_line(epub *e, GString *o, const gb_meta *m)
{
	GArray *people = gb_people(m);
	for (guint i = 0; i < people->len; i++) {
		const gb_person *p = &g_array_index(people, gb_person, i);
		const gb_creator *a = p->who;
		g_string_append(o, p->author ? "<p class=\"author\">" :
				"<p class=\"contributor\">");
		gb_ep_esc_text(e, o, p->label, m->lang, false, false);
		g_string_append(o, "</p>\n");
		if (a->affiliation) {
			g_string_append(o, "<p class=\"affiliation\">");
			gb_ep_esc_text(e, o, a->affiliation, m->lang, false, false);
			g_string_append(o, "</p>\n");
		}
	}
	gb_people_free(people);
}

void gb_ep_write_titlepage(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	gb_ep_doc_begin(e, o, m->lang, m->title, "frontmatter");
	g_string_append(o, "<section epub:type=\"titlepage\" class=\"titlepage\" aria-labelledby=\"book-title\">\n");
	/* the print edition's title page, then its copyright page */
	if (e->front && e->front->len)
		gb_ep_page_break(o, g_ptr_array_index(e->front, 0));
	g_string_append(o, "<h1 id=\"book-title\" class=\"title\">");
	gb_ep_esc_text(e, o, m->title, m->lang, true, false);
	g_string_append(o, "</h1>\n");
	if (m->subtitle) {
		g_string_append(o, "<p class=\"subtitle\">");
		gb_ep_esc_text(e, o, m->subtitle, m->lang, true, false);
		g_string_append(o, "</p>\n");
	}
	authors_line(e, o, m);
	if (m->publisher) {
		g_string_append(o, "<p class=\"publisher\">");
		gb_ep_esc_text(e, o, m->publisher, m->lang, true, false);
		g_string_append(o, "</p>\n");
	}
	if (e->front && e->front->len > 1) {
		g_string_append(o, "<p>");
		gb_ep_page_break(o, g_ptr_array_index(e->front, 1));
		g_string_append(o, "</p>\n");
	}
	g_string_append(o, "</section>\n");
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "titlepage", "text/titlepage.xhtml",
			      "application/xhtml+xml", NULL, gb_ep_string_bytes(o)), true);
}

/* The text of a contents entry: "Appendix A: Title" or "Title". */
static char *toc_text(const gb_toc_entry *t)
{
	return t->label ? g_strdup_printf("%s: %s", t->label, t->title)
			: g_strdup(t->title);
}

/*
 * The language of a contents entry's whole text: a title that is one
 * span in another language alone ('# [Война и мир]{lang=ru}') is in
 * that language; else its part's.
 */
static const char *entry_lang(const gb_toc_entry *t)
{
	const char *part = t->part ? t->part->lang : NULL;
	if (t->label || !t->heading)
		return part;
	const gb_node *only = NULL;
	for (const gb_node *c = t->heading->first; c; c = c->next) {
		if (c->kind == GB_NODE_NOTEREF)
			continue;
		if (only)
			return part;
		only = c;
	}
	return only && only->kind == GB_NODE_SPAN && only->lang ? only->lang : part;
}

/* The language around n inside a heading: its nearest span's with a
   lang, else base. */
static const char *lang_around(const gb_node *n, const char *base)
{
	for (const gb_node *a = n->parent; a && a->kind != GB_NODE_HEADING; a = a->parent)
		if (a->kind == GB_NODE_SPAN && a->lang)
			return a->lang;
	return base;
}

typedef struct nav_text {
	epub *e;
	GString *o, *plain;
	const char *lang;     /* the entry's language (its <a>'s) */
} nav_text;

/* A span in a language other than the text around it: it keeps it. */
static bool other_lang(const gb_node *n, const char *base)
{
	return n->kind == GB_NODE_SPAN && n->lang &&
	       g_ascii_strcasecmp(n->lang, lang_around(n, base));
}

static bool nav_text_fn(const gb_node *n, bool entering, void *ctx)
{
	nav_text *c = ctx;
	switch (n->kind) {
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
		if (entering) {
			gb_ep_esc_caps(c->e, c->o, n->text);
			g_string_append(c->plain, n->text);
		}
		break;
	case GB_NODE_SOFTBREAK:
	case GB_NODE_LINEBREAK:
		if (entering) {
			g_string_append_c(c->o, ' ');
			g_string_append_c(c->plain, ' ');
		}
		break;
	case GB_NODE_NOTEREF:
	case GB_NODE_FOOTNOTE:
		return false;
	case GB_NODE_SPAN:
		if (!other_lang(n, c->lang))
			break;
		if (!entering) {
			g_string_append(c->o, "</span>");
			break;
		}
		g_string_append(c->o, "<span lang=\"");
		gb_ep_esc(c->o, n->lang);
		g_string_append(c->o, "\" xml:lang=\"");
		gb_ep_esc(c->o, n->lang);
		g_string_append(c->o, "\">");
		break;
	default:
		break;
	}
	return true;
}

/*
 * A contents entry's text in the nav: toc_text's, with each span of its
 * heading in another language than the entry's marked with its lang, so
 * that a reading system reads it in its language ('## On [мир]{lang=ru}');
 * other markup is left out (the nav's <a> holds text).  The text alone
 * is the same as toc_text's (and the NCX's, whose navLabel holds no
 * markup).
 */
static void nav_entry_text(epub *e, GString *o, const gb_toc_entry *t, const char *lang)
{
	char *want = toc_text(t);
	nav_text c = { e, g_string_new(NULL), g_string_new(NULL), lang };
	if (t->label) {
		g_string_append(c.plain, t->label);
		g_string_append(c.plain, ": ");
		gb_ep_esc_caps(e, c.o, c.plain->str);
	}
	if (t->heading)
		for (const gb_node *i = t->heading->first; i; i = i->next)
			gb_node_walk(i, nav_text_fn, &c);
	/* the text as toc_text has it, stripped, or that text unmarked */
	if (!strcmp(g_strstrip(c.plain->str), want) &&
	    !g_ascii_isspace(c.o->str[0]) && !(c.o->len && g_ascii_isspace(c.o->str[c.o->len - 1])))
		g_string_append(o, c.o->str);
	else
		gb_ep_esc_caps(e, o, want);
	g_string_free(c.o, TRUE);
	g_string_free(c.plain, TRUE);
	g_free(want);
}

static char *toc_href(const epub *e, const gb_toc_entry *t)
{
	char *doc = gb_ep_part_href(e, t->part);
	char *h = g_strdup_printf("%s#%s", doc, t->heading->id);
	g_free(doc);
	return h;
}

static void add_landmark(GPtrArray *list, const char *type, const char *guide_type,
			 const char *href, const char *title)
{
	landmark *l = g_new0(landmark, 1);
	l->type = type;
	l->guide_type = guide_type;
	l->href = g_strdup(href);
	l->title = g_strdup(title);
	g_ptr_array_add(list, l);
}

void gb_ep_write_nav(epub *e, const char *bodymatter_href)
{
	const gb_book *b = e->book;
	/* nav.xhtml sits beside text/, not in it: its own head */
	GString *o = g_string_new(NULL);
	g_string_append(o,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		"xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
	gb_ep_esc(o, b->meta.lang);
	g_string_append(o, "\" xml:lang=\"");
	gb_ep_esc(o, b->meta.lang);
	g_string_append(o, "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	gb_ep_esc(o, e->w->contents);
	g_string_append(o, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"css/book.css\"/>\n");
	gb_ep_kobo_head(e, o);
	g_string_append(o, "</head>\n<body epub:type=\"frontmatter\">\n");
	gb_ep_kobo_body_begin(e, o);
	/* the print edition's contents pages start here: before the toc
	   nav (whose content EPUB restricts to a heading and a list), never
	   in its heading's name; in a section, as every child of the body
	   is one (SE's lint, s-075) */
	if (e->front && e->front->len > 2) {
		g_string_append(o, "<section class=\"pages\">");
		for (guint i = 2; i < e->front->len; i++)
			gb_ep_page_break(o, g_ptr_array_index(e->front, i));
		g_string_append(o, "</section>\n");
	}
	g_string_append(o, "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n"
			   "<h1 id=\"toc-title\">");
	gb_ep_esc(o, e->w->contents);
	g_string_append(o, "</h1>\n<ol>\n");
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *t = g_ptr_array_index(b->toc, i);
		const gb_toc_entry *next = i + 1 < b->toc->len ? g_ptr_array_index(b->toc, i + 1) : NULL;
		char *href = toc_href(e, t);
		g_string_append(o, "<li><a href=\"");
		gb_ep_esc(o, href);
		g_string_append(o, "\"");
		/* the title of a part in another language is in that
		   language (a reading system reads it so) */
		const char *lang = t->part ? t->part->lang : NULL;
		if (lang && g_ascii_strcasecmp(lang, b->meta.lang)) {
			g_string_append(o, " lang=\"");
			gb_ep_esc(o, lang);
			g_string_append(o, "\" xml:lang=\"");
			gb_ep_esc(o, lang);
			g_string_append(o, "\"");
		}
		g_string_append(o, ">");
		nav_entry_text(e, o, t, lang ? lang : b->meta.lang);
		g_string_append(o, "</a>");
		if (t->level == 1 && next && next->level == 2)
			g_string_append(o, "\n<ol>\n");
		else
			g_string_append(o, "</li>\n");
		if (t->level == 2 && (!next || next->level == 1))
			g_string_append(o, "</ol>\n</li>\n");
		g_free(href);
	}
	if (b->has_index && b->index && b->index->len) {
		/* the index, after the parts */
		g_string_append(o, "<li><a href=\"text/index.xhtml\">");
		gb_ep_esc(o, e->w->index);
		g_string_append(o, "</a></li>\n");
	}
	/* the book's own back pages, last, as print has them */
	g_string_append(o, "<li><a href=\"text/colophon.xhtml\">");
	gb_ep_esc(o, e->w->colophon);
	g_string_append(o, "</a></li>\n<li><a href=\"text/licences.xhtml\">");
	gb_ep_esc(o, e->w->licences);
	g_string_append(o, "</a></li>\n");
	g_string_append(o, "</ol>\n</nav>\n"
			   "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\" aria-labelledby=\"landmarks-title\">\n"
			   "<h2 id=\"landmarks-title\">");
	gb_ep_esc(o, e->w->landmarks);
	g_string_append(o, "</h2>\n<ol>\n");
	GPtrArray *marks = g_ptr_array_new_with_free_func((GDestroyNotify)gb_ep_landmark_free);
	add_landmark(marks, "cover", "cover", "text/cover.xhtml", e->w->cover);
	add_landmark(marks, "titlepage", "title-page", "text/titlepage.xhtml", e->w->title_page);
	add_landmark(marks, "toc", "toc", "nav.xhtml#toc", e->w->contents);
	if (bodymatter_href)
		add_landmark(marks, "bodymatter", "text", bodymatter_href, e->w->start);
	gb_ep_glossary_landmark(e, marks);
	if (b->has_index && b->index && b->index->len)
		add_landmark(marks, "index", "index", "text/index.xhtml", e->w->index);
	add_landmark(marks, "colophon", "colophon", "text/colophon.xhtml", e->w->colophon);
	for (guint i = 0; i < marks->len; i++) {
		const landmark *l = g_ptr_array_index(marks, i);
		g_string_append_printf(o, "<li><a epub:type=\"%s\" href=\"", l->type);
		gb_ep_esc(o, l->href);
		g_string_append(o, "\">");
		gb_ep_esc(o, l->title);
		g_string_append(o, "</a></li>\n");
	}
	g_string_append(o, "</ol>\n</nav>\n");
	if (e->landmarks)
		g_ptr_array_free(e->landmarks, TRUE);
	e->landmarks = marks;
	if (e->page_list && e->page_list->len) {
		/* the print edition's pages, in reading order */
		g_string_append(o, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" hidden=\"hidden\" aria-label=\"");
		gb_ep_esc(o, e->w->pages);
		g_string_append(o, "\">\n<ol>\n");
		for (guint i = 0; i < e->page_list->len; i++) {
			const page_ref *p = g_ptr_array_index(e->page_list, i);
			g_string_append(o, "<li><a href=\"");
			gb_ep_esc(o, p->href);
			g_string_append(o, "#page-");
			gb_ep_esc(o, p->label);
			g_string_append(o, "\">");
			gb_ep_esc(o, p->label);
			g_string_append(o, "</a></li>\n");
		}
		g_string_append(o, "</ol>\n</nav>\n");
	}
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "nav", "nav.xhtml", "application/xhtml+xml",
			      "nav", gb_ep_string_bytes(o)), true);
}

/* A place the NCX points to: a navPoint of the navMap or a pageTarget of
   the pageList. */
typedef struct ncx_target {
	char *href, *text;
	const char *lang;     /* a part's title in another language: its
			         language (the navLabel's xml:lang), else NULL */
	int level;            /* 1 or 2; 0 for a page */
	guint64 pos;          /* its place in reading order (reading_pos) */
	int order;            /* its playOrder */
} ncx_target;

static void ncx_target_free(ncx_target *t)
{
	g_free(t->href);
	g_free(t->text);
	g_free(t);
}

/* The place of href ("text/doc.xhtml#id" or "text/doc.xhtml") in reading
   order: its document's place in the spine, then its id's in the
   document. */
static guint64 reading_pos(const epub *e, const char *href)
{
	const char *hash = strchr(href, '#');
	char *doc = hash ? g_strndup(href, (gsize)(hash - href)) : g_strdup(href);
	guint64 si = G_MAXUINT32, off = 0;
	for (guint i = 0; i < e->spine->len; i++)
		if (!strcmp(((const item *)g_ptr_array_index(e->spine, i))->href, doc)) {
			si = i;
			break;
		}
	char *name = g_strconcat("EPUB/", doc, NULL);
	for (guint i = 0; hash && i < e->entries->len; i++) {
		const entry *en = g_ptr_array_index(e->entries, i);
		if (strcmp(en->name, name))
			continue;
		gsize len = 0;
		const char *data = g_bytes_get_data(en->data, &len);
		char *pat = g_strdup_printf(" id=\"%s\"", hash + 1);
		const char *at = data ? g_strstr_len(data, (gssize)len, pat) : NULL;
		off = at ? (guint64)(at - data) : 0;
		g_free(pat);
		break;
	}
	g_free(name);
	g_free(doc);
	return si << 32 | off;
}

static ncx_target *ncx_add(const epub *e, GPtrArray *all, char *href, char *text, int level)
{
	ncx_target *t = g_new0(ncx_target, 1);
	t->href = href;
	t->text = text;
	t->level = level;
	t->pos = reading_pos(e, href);
	g_ptr_array_add(all, t);
	return t;
}

static gint by_reading_pos(gconstpointer a, gconstpointer b)
{
	const ncx_target *x = *(ncx_target *const *)a, *y = *(ncx_target *const *)b;
	return x->pos < y->pos ? -1 : x->pos > y->pos ? 1 : 0;
}

/* A print page's type in the NCX: "normal" (arabic, its value the
   number), "front" (roman) or "special". */
static const char *page_type(const char *label, long *value)
{
	*value = 0;
	if (*label && strspn(label, "0123456789") == strlen(label)) {
		*value = strtol(label, NULL, 10);
		return "normal";
	}
	if (*label && strspn(label, "ivxlcdmIVXLCDM") == strlen(label))
		return "front";
	return "special";
}

static void ncx_label(GString *o, const char *text, const char *src, const char *lang)
{
	g_string_append(o, "<navLabel");
	if (lang) {
		g_string_append(o, " xml:lang=\"");
		gb_ep_esc(o, lang);
		g_string_append(o, "\"");
	}
	g_string_append(o, "><text>");
	gb_ep_esc(o, text);
	g_string_append(o, "</text></navLabel><content src=\"");
	gb_ep_esc(o, src);
	g_string_append(o, "\"/>");
}

/*
 * The NCX, for EPUB 2 reading systems: the contents as the nav's (a
 * navMap), and the print edition's pages as the nav's page-list (a
 * pageList, with dtb:totalPageCount and dtb:maxPageNumber; 0 without
 * one).  playOrder follows reading order across both.
 */
void gb_ep_write_ncx(epub *e)
{
	const gb_book *b = e->book;
	GPtrArray *points = g_ptr_array_new_with_free_func((GDestroyNotify)ncx_target_free);
	GPtrArray *pages = g_ptr_array_new_with_free_func((GDestroyNotify)ncx_target_free);
	int depth = 1;
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *t = g_ptr_array_index(b->toc, i);
		depth = MAX(depth, t->level);
		ncx_target *n = ncx_add(e, points, toc_href(e, t), toc_text(t), t->level);
		/* as in the nav: the title of a part in another language is in
		   that language (the NCX's navLabel takes xml:lang) */
		const char *lang = entry_lang(t);
		if (lang && g_ascii_strcasecmp(lang, b->meta.lang))
			n->lang = lang;
	}
	if (b->has_index && b->index && b->index->len)
		ncx_add(e, points, g_strdup("text/index.xhtml"), g_strdup(e->w->index), 1);
	ncx_add(e, points, g_strdup("text/colophon.xhtml"), g_strdup(e->w->colophon), 1);
	ncx_add(e, points, g_strdup("text/licences.xhtml"), g_strdup(e->w->licences), 1);
	long max_page = 0;
	for (guint i = 0; e->page_list && i < e->page_list->len; i++) {
		const page_ref *p = g_ptr_array_index(e->page_list, i);
		long v;
		page_type(p->label, &v);
		max_page = MAX(max_page, v);
		ncx_add(e, pages, g_strdup_printf("%s#page-%s", p->href, p->label),
			g_strdup(p->label), 0);
	}
	/* playOrder: reading order, navPoints and pageTargets together */
	GPtrArray *all = g_ptr_array_new();
	for (guint i = 0; i < points->len; i++)
		g_ptr_array_add(all, g_ptr_array_index(points, i));
	for (guint i = 0; i < pages->len; i++)
		g_ptr_array_add(all, g_ptr_array_index(pages, i));
	g_ptr_array_sort(all, by_reading_pos);  /* stable */
	for (guint i = 0; i < all->len; i++)
		((ncx_target *)g_ptr_array_index(all, i))->order = (int)i + 1;
	g_ptr_array_free(all, TRUE);

	GString *o = g_string_new(NULL);
	g_string_append(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"");
	gb_ep_esc(o, b->meta.lang);
	g_string_append(o, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
	gb_ep_esc(o, b->meta.identifier);
	g_string_append_printf(o, "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
			       "<meta name=\"dtb:totalPageCount\" content=\"%u\"/>\n"
			       "<meta name=\"dtb:maxPageNumber\" content=\"%ld\"/>\n"
			       "</head>\n<docTitle><text>", depth, pages->len, max_page);
	gb_ep_esc(o, b->meta.title);
	g_string_append(o, "</text></docTitle>\n<navMap>\n");
	for (guint i = 0; i < points->len; i++) {
		const ncx_target *t = g_ptr_array_index(points, i);
		const ncx_target *next = i + 1 < points->len ? g_ptr_array_index(points, i + 1) : NULL;
		g_string_append_printf(o, "<navPoint id=\"nav-%u\" playOrder=\"%d\">", i + 1, t->order);
		ncx_label(o, t->text, t->href, t->lang);
		if (t->level == 1 && next && next->level == 2)
			g_string_append_c(o, '\n');
		else
			g_string_append(o, "</navPoint>\n");
		if (t->level == 2 && (!next || next->level == 1))
			g_string_append(o, "</navPoint>\n");
	}
	g_string_append(o, "</navMap>\n");
	if (pages->len) {
		g_string_append(o, "<pageList>\n");
		for (guint i = 0; i < pages->len; i++) {
			const ncx_target *t = g_ptr_array_index(pages, i);
			long v;
			const char *type = page_type(t->text, &v);
			g_string_append_printf(o, "<pageTarget id=\"page-%u\" type=\"%s\"", i + 1, type);
			if (v > 0)
				g_string_append_printf(o, " value=\"%ld\"", v);
			g_string_append_printf(o, " playOrder=\"%d\">", t->order);
			ncx_label(o, t->text, t->href, t->lang);
			g_string_append(o, "</pageTarget>\n");
		}
		g_string_append(o, "</pageList>\n");
	}
	g_string_append(o, "</ncx>\n");
	g_ptr_array_free(points, TRUE);
	g_ptr_array_free(pages, TRUE);
	gb_ep_add_item(e, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL,
		 gb_ep_string_bytes(o));
}

static void colophon_row(epub *e, GString *o, const char *what, const char *value)
{
	if (!value)
		return;
	const char *lang = e->book->meta.lang;
	g_string_append(o, "<p><span class=\"key\">");
	char *k = g_strconcat(what, ":", NULL);
	gb_ep_esc_text(e, o, k, lang, false, false);
	g_free(k);
	g_string_append(o, "</span> ");
	gb_ep_esc_text(e, o, value, lang, true, false);
	g_string_append(o, "</p>\n");
}

/*
 * The families the e-book uses, NULL-ended: the style's body, heading and
 * mono families and the fallbacks the book needs.  Its colophon names only
 * these, and its licences page gives only their packages' licences.  The
 * caller frees the array (not the names).
 */
static GPtrArray *families_shown(const epub *e)
{
	GPtrArray *families = g_ptr_array_new();
	static const char *const keys[] = { "fonts.body", "fonts.heading", "fonts.mono" };
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *v = gb_style_get(e->opt->style, keys[i]);
		if (v)
			g_ptr_array_add(families, (gpointer)v);
	}
	for (char **f = e->fallbacks; f && *f; f++)
		g_ptr_array_add(families, *f);
	g_ptr_array_add(families, NULL);
	return families;
}

void gb_ep_write_colophon(epub *e)
{
	const gb_meta *m = &e->book->meta;
	const gb_words *w = e->w;
	GString *o = g_string_new(NULL);
	gb_ep_doc_begin(e, o, m->lang, w->colophon, "backmatter");
	g_string_append(o, "<section epub:type=\"colophon\" role=\"doc-colophon\" class=\"colophon\" aria-labelledby=\"colophon-title\">\n<h1 id=\"colophon-title\">");
	gb_ep_esc_text(e, o, w->colophon, m->lang, false, false);
	g_string_append(o, "</h1>\n<p class=\"book-title\">");
	gb_ep_esc_text(e, o, m->title, m->lang, true, false);
	g_string_append(o, "</p>\n");
	if (m->rights) {
		g_string_append(o, "<p class=\"rights\">");
		gb_ep_esc_text(e, o, m->rights, m->lang, true, false);
		g_string_append(o, "</p>\n");
	}
	/* the same facts as the print edition's copyright page */
	GPtrArray *families = families_shown(e);
	GArray *facts = gb_colophon_facts(m, e->opt->fonts,
					  (const char *const *)families->pdata);
	g_ptr_array_free(families, TRUE);
	bool fonts = false;
	for (guint i = 0; i < facts->len; i++) {
		const gb_fact *f = &g_array_index(facts, gb_fact, i);
		if (f->key != w->fonts) {
			colophon_row(e, o, f->key, f->value);
			continue;
		}
		/* the fonts, with a link to their licences */
		g_string_append(o, "<p><span class=\"key\">");
		char *k = g_strconcat(f->key, ":", NULL);
		gb_ep_esc_text(e, o, k, m->lang, false, false);
		g_free(k);
		g_string_append(o, "</span> ");
		char *v = g_strconcat(f->value, ".", NULL);
		gb_ep_esc_text(e, o, v, m->lang, false, false);
		g_free(v);
		fonts = true;
	}
	gb_facts_free(facts);
	if (!fonts) {
		g_string_append(o, "<p><span class=\"key\">");
		char *k = g_strconcat(w->fonts, ":", NULL);
		gb_ep_esc_text(e, o, k, m->lang, false, false);
		g_free(k);
		g_string_append(o, "</span> ");
		gb_ep_esc_text(e, o, ".", m->lang, false, false);
	}
	g_string_append(o, " <a href=\"licences.xhtml\">");
	gb_ep_esc_text(e, o, w->licences, m->lang, false, false);
	g_string_append(o, "</a></p>\n</section>\n");
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "colophon", "text/colophon.xhtml",
			      "application/xhtml+xml", NULL, gb_ep_string_bytes(o)), true);
}

void gb_ep_write_licences(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	/* licence texts are English, whatever the book's language */
	gb_ep_doc_begin(e, o, "en", e->w->licences, "backmatter");
	g_string_append(o, "<section class=\"licences\" aria-labelledby=\"licences-title\">\n<h1 id=\"licences-title\"");
	if (strcmp(m->lang, "en"))
		g_string_append_printf(o, " lang=\"%s\" xml:lang=\"%s\"", m->lang, m->lang);
	g_string_append(o, ">");
	gb_ep_esc(o, e->w->licences);
	g_string_append(o, "</h1>\n");
	/* the licence of each package of a face the e-book uses, once,
	   under the names of its families the e-book uses */
	GPtrArray *lic = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *titles = g_ptr_array_new_with_free_func(g_free);
	GHashTable *packages = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *families = families_shown(e);
	for (guint i = 0; i < e->opt->fonts->fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(e->opt->fonts->fonts, i);
		if (!g_strv_contains((const char *const *)families->pdata, f->family) ||
		    !g_hash_table_add(packages, f->package))
			continue;
		char *name = g_strconcat(f->package, ".copyright", NULL);
		g_ptr_array_add(lic, g_build_filename(e->opt->fonts->dir, name, NULL));
		g_free(name);
		GString *title = g_string_new(NULL);
		for (guint k = i; k < e->opt->fonts->fonts->len; k++) {
			const gb_font *g = g_ptr_array_index(e->opt->fonts->fonts, k);
			if (!strcmp(g->package, f->package) &&
			    g_strv_contains((const char *const *)families->pdata, g->family) &&
			    !strstr(title->str, g->family))
				g_string_append_printf(title, "%s%s", title->len ? ", " : "", g->family);
		}
		g_ptr_array_add(titles, g_string_free(title, FALSE));
	}
	g_hash_table_destroy(packages);
	g_ptr_array_free(families, TRUE);
	for (guint i = 0; i < lic->len; i++) {
		gchar *text = NULL;
		if (!g_file_get_contents(g_ptr_array_index(lic, i), &text, NULL, NULL) ||
		    !g_utf8_validate(text, -1, NULL)) {
			gb_error(e->d, gb_noloc(), "cannot read the font licence '%s'",
				 (char *)g_ptr_array_index(lic, i));
			e->ok = 0;
			g_free(text);
			continue;
		}
		gb_ep_licence_section(o, text, g_ptr_array_index(titles, i), (int)i + 1);
		g_free(text);
	}
	g_ptr_array_free(lic, TRUE);
	g_ptr_array_free(titles, TRUE);
	g_string_append(o, "</section>\n");
	gb_ep_doc_end(e, o);
	gb_ep_use_chars(e, o->str);
	gb_ep_add_spine(e, gb_ep_add_item(e, "licences", "text/licences.xhtml",
			      "application/xhtml+xml", NULL, gb_ep_string_bytes(o)), false);
}
