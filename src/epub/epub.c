/* epub.c - the EPUB 3 edition: XHTML, OPF, nav, NCX, then libzip. */
#include "epub/epub.h"
#include "design/coverage.h"
#include "source/image.h"

#include <string.h>
#include <zlib.h>

#include "base/cache.h"

#include "source/book.h"
#include "source/paths.h"
#include "design/cover.h"
#include "design/subset.h"
#include "source/meta.h"
#include "source/resolve.h"
#include "design/words.h"
#include <zip.h>

/* ---- the build context ---- */

typedef struct entry {
	char *name;       /* path in the zip */
	GBytes *data;
	bool store;       /* stored, not deflated (mimetype) */
	char *key;        /* names data's exact bytes, for the cache; or NULL */
	GBytes *packed;   /* data deflated (raw), once zip_all() made it */
	guint32 crc;      /* data's CRC-32, with packed */
} entry;

typedef struct item {
	char *id, *href, *media_type, *properties;
	bool spine, linear;
} item;

typedef struct epub {
	const gb_book *book;
	const gb_epub_options *opt;
	gb_diag *d;
	const gb_words *w;
	GPtrArray *entries;      /* entry *, in zip order */
	GPtrArray *items;        /* item *, manifest order */
	GPtrArray *spine;        /* item *, spine order (not owned) */
	GHashTable *doc_of_id;   /* element id -> href of its document */
	GHashTable *images;      /* source path -> href in the package */
	GHashTable *docs;        /* PART node -> its document, "text/NAME.xhtml" */
	GHashTable *chars;       /* code points the documents use */
	gb_coverage *coverage;   /* which family draws each character */
	GPtrArray *needs;        /* what each fallback is needed for
				    (gb_coverage_needs) */
	char **fallbacks;        /* the fallback families the book needs
				    (gb_fallbacks_of), NULL-ended */
	guint64 ascii[2];        /* which ASCII ones chars holds already */
	bool has_images;         /* images besides the cover */
	GHashTable *marks;       /* text node -> GArray of page_mark */
	GPtrArray *page_list;    /* page_ref *, in reading order */
	GPtrArray *front;        /* labels of the front matter's pages */
	int ok;
} epub;

/* A print page's start in a text node: the page breaks before byte off. */
typedef struct page_mark {
	size_t off;
	const char *label;
} page_mark;

typedef struct page_ref {
	char *label, *href;
} page_ref;

static void entry_free(entry *e)
{
	g_free(e->name);
	g_bytes_unref(e->data);
	g_free(e->key);
	if (e->packed)
		g_bytes_unref(e->packed);
	g_free(e);
}

static void item_free(item *it)
{
	g_free(it->id);
	g_free(it->href);
	g_free(it->media_type);
	g_free(it->properties);
	g_free(it);
}

/* Adds a file to the zip (the EPUB/ prefix is added for package files). */
static void add_entry(epub *e, const char *name, GBytes *data, bool store)
{
	entry *en = g_new0(entry, 1);
	en->name = g_strdup(name);
	en->data = data;
	en->store = store;
	g_ptr_array_add(e->entries, en);
}

/* Adds a package file: to the zip under EPUB/ and to the manifest. */
static item *add_item(epub *e, const char *id, const char *href,
		      const char *media_type, const char *properties,
		      GBytes *data)
{
	item *it = g_new0(item, 1);
	it->id = g_strdup(id);
	it->href = g_strdup(href);
	it->media_type = g_strdup(media_type);
	it->properties = properties ? g_strdup(properties) : NULL;
	g_ptr_array_add(e->items, it);
	char *name = g_strconcat("EPUB/", href, NULL);
	add_entry(e, name, data, false);
	g_free(name);
	return it;
}

static void add_spine(epub *e, item *it, bool linear)
{
	it->spine = true;
	it->linear = linear;
	g_ptr_array_add(e->spine, it);
}

static GBytes *string_bytes(GString *s)
{
	return g_string_free_to_bytes(s);
}

/* ---- XML text ---- */

static void esc(GString *out, const char *s)
{
	char *x = g_markup_escape_text(s, -1);
	g_string_append(out, x);
	g_free(x);
}

/* s escaped, its line feeds as <br/>: metadata written over several lines. */
static void esc_lines(GString *out, const char *s)
{
	char **lines = g_strsplit(s, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (i)
			g_string_append(out, "<br/>\n");
		esc(out, g_strchomp(lines[i]));
	}
	g_strfreev(lines);
}

/* Records the code points of s, for font subsetting. */
static void use_chars(epub *e, const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		/* most are ASCII, and seen already */
		if (u < 128 && e->ascii[u >> 6] & (G_GUINT64_CONSTANT(1) << (u & 63)))
			continue;
		if (u < 128)
			e->ascii[u >> 6] |= G_GUINT64_CONSTANT(1) << (u & 63);
		g_hash_table_add(e->chars, GUINT_TO_POINTER(u));
	}
}

static void doc_begin(epub *e, GString *out, const char *lang,
		      const char *title, const char *body_type)
{
	(void)e;
	g_string_append(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		"xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
	esc(out, lang);
	g_string_append(out, "\" xml:lang=\"");
	esc(out, lang);
	g_string_append(out, "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	esc(out, title);
	g_string_append(out, "</title>\n"
		"<link rel=\"stylesheet\" type=\"text/css\" href=\"../css/book.css\"/>\n"
		"</head>\n<body");
	if (body_type)
		g_string_append_printf(out, " epub:type=\"%s\"", body_type);
	g_string_append(out, ">\n");
}

static void doc_end(GString *out)
{
	g_string_append(out, "</body>\n</html>\n");
}

/* ---- parts ---- */

typedef struct render {
	epub *e;
	GString *out;
	const gb_node *part;
	char *href;              /* this document, e.g. "text/article.xhtml" */
} render;

static void page_break(GString *o, const char *label)
{
	g_string_append(o, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-");
	esc(o, label);
	g_string_append(o, "\" aria-label=\"");
	esc(o, label);
	g_string_append(o, "\"/>");
}

/*
 * The text of a node (TEXT, CODE, CODE_BLOCK), with the print edition's
 * page breaks in it, each before the byte where its page starts (or the
 * character that byte is in).
 */
static void text_with_marks(epub *e, GString *o, const gb_node *n)
{
	GArray *marks = e->marks ? g_hash_table_lookup(e->marks, n) : NULL;
	size_t at = 0, len = strlen(n->text);
	for (guint i = 0; marks && i < marks->len; i++) {
		const page_mark *m = &g_array_index(marks, page_mark, i);
		size_t off = MIN(m->off, len);
		while (off > at && (n->text[off] & 0xc0) == 0x80)
			off--;  /* never inside a character */
		if (off > at) {
			char *part = g_strndup(n->text + at, off - at);
			esc(o, part);
			g_free(part);
			at = off;
		}
		page_break(o, m->label);
	}
	esc(o, n->text + at);
}

/* The page breaks of a node drawn without text of its own (a note mark). */
static void marks_before(epub *e, GString *o, const gb_node *n)
{
	GArray *marks = e->marks ? g_hash_table_lookup(e->marks, n) : NULL;
	for (guint i = 0; marks && i < marks->len; i++)
		page_break(o, g_array_index(marks, page_mark, i).label);
}

static const char *heading_tags[] = { "h1", "h1", "h2", "h3", "h4", "h5", "h6" };

static void link_href(render *r, const char *url)
{
	if (url[0] == '#') {
		const char *doc = g_hash_table_lookup(r->e->doc_of_id, url + 1);
		if (doc && strcmp(doc, r->href) != 0) {
			/* both documents are in text/ */
			esc(r->out, doc + strlen("text/"));
		}
	}
	esc(r->out, url);
}

static const char *image_href(epub *e, const gb_node *part, const gb_node *img);

static bool in_tight_item(const gb_node *n)
{
	return n->parent && n->parent->kind == GB_NODE_ITEM &&
	       n->parent->parent && n->parent->parent->tight;
}

static const char *const align_classes[] = { NULL, "left", "center", "right" };

static bool render_fn(const gb_node *n, bool entering, void *ctx)
{
	render *r = ctx;
	GString *o = r->out;
	switch (n->kind) {
	case GB_NODE_BOOK:
	case GB_NODE_PART:
		break;
	case GB_NODE_STANDFIRST:
		g_string_append(o, entering ? "<div class=\"standfirst\">\n" : "</div>\n");
		break;
	case GB_NODE_HEADING:
		if (entering) {
			g_string_append_printf(o, "<%s id=\"", heading_tags[n->level]);
			esc(o, n->id);
			g_string_append(o, "\">");
			if (n == r->part->target && r->part->label) {
				g_string_append(o, "<span class=\"label\">");
				esc(o, r->part->label);
				g_string_append(o, "</span> ");
			}
		} else {
			g_string_append_printf(o, "</%s>\n", heading_tags[n->level]);
		}
		break;
	case GB_NODE_PARAGRAPH:
		if (!in_tight_item(n))
			g_string_append(o, entering ? "<p>" : "</p>\n");
		break;
	case GB_NODE_LIST:
		if (entering) {
			if (n->ordered && n->number != 1)
				g_string_append_printf(o, "<ol start=\"%d\">\n", n->number);
			else
				g_string_append(o, n->ordered ? "<ol>\n" : "<ul>\n");
		} else {
			g_string_append(o, n->ordered ? "</ol>\n" : "</ul>\n");
		}
		break;
	case GB_NODE_ITEM:
		g_string_append(o, entering ? "<li>" : "</li>\n");
		break;
	case GB_NODE_BLOCKQUOTE:
		g_string_append(o, entering ? "<blockquote>\n" : "</blockquote>\n");
		break;
	case GB_NODE_CODE_BLOCK:
		if (entering) {
			g_string_append(o, "<pre><code");
			if (n->title) {
				char *lang = g_strndup(n->title, strcspn(n->title, " \t"));
				g_string_append(o, " class=\"language-");
				esc(o, lang);
				g_string_append(o, "\"");
				g_free(lang);
			}
			g_string_append(o, ">");
			text_with_marks(r->e, o, n);
			g_string_append(o, "</code></pre>\n");
		}
		break;
	case GB_NODE_THEMATIC_BREAK:
		if (entering)
			g_string_append(o, "<hr/>\n");
		break;
	case GB_NODE_TABLE:
		g_string_append(o, entering ? "<table>\n" : "</tbody>\n</table>\n");
		break;
	case GB_NODE_CAPTION:
		if (n->parent->kind == GB_NODE_TABLE)
			g_string_append(o, entering ? "<caption>" : "</caption>\n");
		else
			g_string_append(o, entering ? "<figcaption>" : "</figcaption>\n");
		break;
	case GB_NODE_TABLE_ROW:
		if (entering) {
			if (n->header)
				g_string_append(o, "<thead>\n");
			else if (!n->prev || n->prev->header)
				g_string_append(o, "<tbody>\n");
			g_string_append(o, "<tr>");
		} else {
			g_string_append(o, "</tr>\n");
			if (n->header)
				g_string_append(o, "</thead>\n");
			if (n->header && !n->next)
				g_string_append(o, "<tbody>\n");
		}
		break;
	case GB_NODE_TABLE_CELL: {
		const char *tag = n->parent->header ? "th" : "td";
		if (entering) {
			g_string_append_printf(o, "<%s", tag);
			if (n->parent->header)
				g_string_append(o, " scope=\"col\"");
			if (align_classes[n->align])
				g_string_append_printf(o, " class=\"%s\"", align_classes[n->align]);
			g_string_append(o, ">");
		} else {
			g_string_append_printf(o, "</%s>", tag);
		}
		break;
	}
	case GB_NODE_FIGURE:
		g_string_append(o, entering ? "<figure>\n" : "</figure>\n");
		break;
	case GB_NODE_FOOTNOTE:
		return false;  /* written at the end of the document */
	case GB_NODE_TEXT:
		if (entering)
			text_with_marks(r->e, o, n);
		break;
	case GB_NODE_SOFTBREAK:
		if (entering)
			g_string_append_c(o, '\n');
		break;
	case GB_NODE_LINEBREAK:
		if (entering)
			g_string_append(o, "<br/>\n");
		break;
	case GB_NODE_EMPH:
		g_string_append(o, entering ? "<em>" : "</em>");
		break;
	case GB_NODE_STRONG:
		g_string_append(o, entering ? "<strong>" : "</strong>");
		break;
	case GB_NODE_CODE:
		if (entering) {
			g_string_append(o, "<code>");
			text_with_marks(r->e, o, n);
			g_string_append(o, "</code>");
		}
		break;
	case GB_NODE_LINK:
		/* a link without a target is its text, as in print: an
		   empty href would point back at the chapter */
		if (!gb_link_has_target(n))
			break;
		if (entering) {
			g_string_append(o, "<a href=\"");
			link_href(r, n->url);
			g_string_append(o, "\"");
			if (n->title) {
				g_string_append(o, " title=\"");
				esc(o, n->title);
				g_string_append(o, "\"");
			}
			g_string_append(o, ">");
		} else {
			g_string_append(o, "</a>");
		}
		break;
	case GB_NODE_IMAGE:
		if (entering) {
			marks_before(r->e, o, n);
			g_string_append(o, "<img src=\"../");
			esc(o, image_href(r->e, r->part, n));
			g_string_append(o, "\" alt=\"");
			esc(o, n->text ? n->text : "");
			g_string_append(o, "\"");
			if (n->title && n->parent->kind != GB_NODE_FIGURE) {
				g_string_append(o, " title=\"");
				esc(o, n->title);
				g_string_append(o, "\"");
			}
			g_string_append(o, "/>");
			if (n->parent->kind == GB_NODE_FIGURE)
				g_string_append_c(o, '\n');
		}
		break;
	case GB_NODE_NOTEREF:
		if (entering && n->target) {
			marks_before(r->e, o, n);
			g_string_append(o, "<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"");
			esc(o, n->id);
			g_string_append(o, "\" href=\"");
			/* a note is with its first reference: a later one may be
			   in another chapter of the same file */
			char *to = g_strconcat("#", n->target->id, NULL);
			link_href(r, to);
			g_free(to);
			g_string_append(o, "\">");
			esc(o, n->label);
			g_string_append(o, "</a>");
		}
		break;
	case GB_NODE_KIND_COUNT:
		break;
	}
	return true;
}

static void render_footnotes(render *r)
{
	for (const gb_node *fn = r->part->first; fn; fn = fn->next) {
		if (fn->kind != GB_NODE_FOOTNOTE)
			continue;
		GString *o = r->out;
		g_string_append(o, "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"");
		esc(o, fn->id);
		g_string_append(o, "\">\n");
		bool first = true;
		for (const gb_node *b = fn->first; b; b = b->next) {
			if (first && b->kind == GB_NODE_PARAGRAPH) {
				/* the note starts with its number, a link back */
				g_string_append(o, "<p><a href=\"#");
				/* back to the first reference */
				char *ref = g_strdup_printf("fnref-%d", fn->number);
				esc(o, ref);
				g_free(ref);
				g_string_append(o, "\" role=\"doc-backlink\" title=\"");
				esc(o, r->e->w->back);
				g_string_append(o, "\">");
				esc(o, fn->label);
				g_string_append(o, ".</a> ");
				for (const gb_node *i = b->first; i; i = i->next)
					gb_node_walk(i, render_fn, r);
				g_string_append(o, "</p>\n");
			} else {
				gb_node_walk(b, render_fn, r);
			}
			first = false;
		}
		g_string_append(o, "</aside>\n");
	}
}

static const char *section_type(gb_part_kind kind, const char **role)
{
	switch (kind) {
	case GB_PART_CHAPTER:
		*role = "doc-chapter";
		return "chapter";
	case GB_PART_APPENDIX:
		*role = "doc-appendix";
		return "appendix";
	default:
		*role = NULL;
		return NULL;
	}
}

static const char *matter_of(gb_part_kind kind)
{
	switch (kind) {
	case GB_PART_FRONTMATTER: return "frontmatter";
	case GB_PART_BACKMATTER: return "backmatter";
	default: return "bodymatter";
	}
}

/* A part's title, or the book's for a part without one (a dedication). */
static char *part_title(const gb_book *book, const gb_node *part)
{
	GString *s = g_string_new(NULL);
	if (part->target)
		gb_node_plain_text(part->target, s);
	else
		g_string_append(s, book->meta.title);
	return g_strstrip(g_string_free(s, FALSE));
}

/*
 * A name for a file of the package made from s: lowercase ASCII letters
 * and digits, '.', '_' and '-' (accents dropped, any other character a
 * '-'), so that every name inside the EPUB is safe ASCII whatever the
 * book's file names (EPUBCheck warns of spaces, PKG-010, and of
 * non-ASCII names, PKG-012); fallback when nothing of s is left.
 */
static char *safe_name(const char *s, const char *fallback)
{
	char *ascii = g_str_to_ascii(s, "C");
	GString *out = g_string_new(NULL);
	for (const char *p = ascii; *p; p++) {
		char ch = g_ascii_tolower(*p);
		bool ok = g_ascii_isalnum(ch) || ch == '.' || ch == '_' || ch == '-';
		if (!ok)
			ch = '-';
		if (ch == '-' && (!out->len || out->str[out->len - 1] == '-'))
			continue;
		g_string_append_c(out, ch);
	}
	g_free(ascii);
	while (out->len && (out->str[out->len - 1] == '-' || out->str[out->len - 1] == '.'))
		g_string_truncate(out, out->len - 1);
	bool alnum = false;
	for (gsize i = 0; i < out->len; i++)
		alnum = alnum || g_ascii_isalnum(out->str[i]);
	if (!alnum || out->str[0] == '.')
		g_string_assign(out, fallback);
	return g_string_free(out, FALSE);
}

/* safe_name of a file name's stem, then its extension, made safe too. */
static char *safe_file_name(const char *base, const char *fallback)
{
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return safe_name(base, fallback);
	char *stem = g_strndup(base, (gsize)(dot - base));
	char *s = safe_name(stem, fallback);
	char *ext = safe_name(dot + 1, "");
	char *name = *ext ? g_strconcat(s, ".", ext, NULL) : g_strdup(s);
	g_free(ext);
	g_free(s);
	g_free(stem);
	return name;
}

/*
 * Names each part's document, once: "text/" the part's id made safe
 * (safe_name), unique (a "-2", "-3"... after a name taken), stable while
 * the book's files and their order are; "part-N" for an id with nothing
 * ASCII in it.
 */
static void name_docs(epub *e)
{
	GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* the book's own documents */
	const char *own[] = { "cover", "titlepage", "colophon", "licences", "nav", "toc" };
	for (size_t i = 0; i < G_N_ELEMENTS(own); i++)
		g_hash_table_add(taken, g_strdup(own[i]));
	int n = 0;
	for (const gb_node *p = e->book->root->first; p; p = p->next) {
		char *fallback = g_strdup_printf("part-%d", ++n);
		char *base = safe_name(p->id, fallback);
		char *name = g_strdup(base);
		for (int k = 2; g_hash_table_contains(taken, name); k++) {
			g_free(name);
			name = g_strdup_printf("%s-%d", base, k);
		}
		g_hash_table_add(taken, name);
		g_hash_table_insert(e->docs, (gpointer)p, g_strdup_printf("text/%s.xhtml", name));
		g_free(base);
		g_free(fallback);
	}
	g_hash_table_destroy(taken);
}

static char *part_href(const epub *e, const gb_node *part)
{
	return g_strdup(g_hash_table_lookup(e->docs, part));
}

static void write_part(epub *e, const gb_node *part)
{
	render r = { e, g_string_new(NULL), part, part_href(e, part) };
	char *title = part_title(e->book, part);
	doc_begin(e, r.out, part->lang, title, matter_of(part->part_kind));
	const char *role = NULL;
	const char *type = section_type(part->part_kind, &role);
	g_string_append(r.out, "<section id=\"");
	esc(r.out, part->id);
	g_string_append(r.out, "\"");
	if (type)
		g_string_append_printf(r.out, " epub:type=\"%s\" role=\"%s\"", type, role);
	if (part->target) {
		g_string_append(r.out, " aria-labelledby=\"");
		esc(r.out, part->target->id);
		g_string_append(r.out, "\"");
	}
	g_string_append(r.out, ">\n");
	for (const gb_node *b = part->first; b; b = b->next)
		gb_node_walk(b, render_fn, &r);
	render_footnotes(&r);
	g_string_append(r.out, "</section>\n");
	doc_end(r.out);
	use_chars(e, r.out->str);
	/* the manifest's id, an XML name: from the document's safe name */
	char *id = g_strndup(r.href + strlen("text/"), strlen(r.href) - strlen("text/.xhtml"));
	char *named = g_strconcat("part-", id, NULL);
	g_free(id);
	id = named;
	item *it = add_item(e, id, r.href, "application/xhtml+xml", NULL,
			    string_bytes(r.out));
	add_spine(e, it, true);
	g_free(id);
	g_free(title);
	g_free(r.href);
}

/* ---- images ---- */

/* The package path of an image of part, added to the package once. */
static const char *image_href(epub *e, const gb_node *part, const gb_node *img)
{
	char *dir = g_path_get_dirname(part->text);
	char *rel = g_uri_unescape_string(img->url, NULL);
	char *src = strcmp(dir, ".") ? g_build_filename(dir, rel ? rel : img->url, NULL)
				     : g_strdup(rel ? rel : img->url);
	g_free(dir);
	g_free(rel);
	const char *href = g_hash_table_lookup(e->images, src);
	if (href) {
		g_free(src);
		return href;
	}
	char *path = g_build_filename(e->book->dir, src, NULL);
	const char *type = gb_image_media_type(src);
	char *base = g_path_get_basename(src);
	char *safe = safe_file_name(base, "image");
	char *name = g_strdup_printf("images/%u-%s", g_hash_table_size(e->images) + 1, safe);
	g_free(safe);
	/* without its metadata, an SVG made inert (image.h) */
	char *why = NULL;
	GBytes *data = type ? gb_image_read(path, type, NULL, &why) : NULL;
	if (!data) {
		gb_error(e->d, img->loc, "cannot put image '%s' in the EPUB%s%s", img->url,
			 why ? ": it " : "", why ? why : "");
		e->ok = 0;
	} else {
		char *id = g_strdup_printf("image-%u", g_hash_table_size(e->images) + 1);
		add_item(e, id, name, type, NULL, data);
		g_free(id);
		e->has_images = true;
	}
	g_free(why);
	g_free(path);
	g_free(base);
	g_hash_table_insert(e->images, src, name);
	return name;
}

/* ---- the book's own pages ---- */

static void write_cover(epub *e)
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
	add_item(e, "cover-image", href, type, "cover-image", png);

	GString *o = g_string_new(NULL);
	doc_begin(e, o, m->lang, e->w->cover, "cover");
	char *alt = gb_cover_alt(m);
	g_string_append(o, "<section epub:type=\"cover\" class=\"cover\">\n<img role=\"doc-cover\" src=\"../");
	esc(o, href);
	g_string_append(o, "\" alt=\"");
	esc(o, alt);
	g_string_append(o, "\"/>\n</section>\n");
	doc_end(o);
	use_chars(e, o->str);
	add_spine(e, add_item(e, "cover", "text/cover.xhtml",
			      "application/xhtml+xml", NULL, string_bytes(o)), true);
	g_free(alt);
	g_free(href);
}

static void authors_line(GString *o, const gb_meta *m)
{
	for (guint i = 0; i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		g_string_append(o, "<p class=\"author\">");
		esc(o, a->name);
		g_string_append(o, "</p>\n");
		if (a->affiliation) {
			g_string_append(o, "<p class=\"affiliation\">");
			esc(o, a->affiliation);
			g_string_append(o, "</p>\n");
		}
	}
}

static void write_titlepage(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	doc_begin(e, o, m->lang, m->title, "frontmatter");
	g_string_append(o, "<section epub:type=\"titlepage\" class=\"titlepage\" aria-labelledby=\"book-title\">\n");
	/* the print edition's title page, then its copyright page */
	if (e->front && e->front->len)
		page_break(o, g_ptr_array_index(e->front, 0));
	g_string_append(o, "<h1 id=\"book-title\" class=\"title\">");
	esc_lines(o, m->title);
	g_string_append(o, "</h1>\n");
	if (m->subtitle) {
		g_string_append(o, "<p class=\"subtitle\">");
		esc_lines(o, m->subtitle);
		g_string_append(o, "</p>\n");
	}
	authors_line(o, m);
	if (m->publisher) {
		g_string_append(o, "<p class=\"publisher\">");
		esc_lines(o, m->publisher);
		g_string_append(o, "</p>\n");
	}
	if (e->front && e->front->len > 1) {
		g_string_append(o, "<p>");
		page_break(o, g_ptr_array_index(e->front, 1));
		g_string_append(o, "</p>\n");
	}
	g_string_append(o, "</section>\n");
	doc_end(o);
	use_chars(e, o->str);
	add_spine(e, add_item(e, "titlepage", "text/titlepage.xhtml",
			      "application/xhtml+xml", NULL, string_bytes(o)), true);
}

/* The text of a contents entry: "Appendix A: Title" or "Title". */
static char *toc_text(const gb_toc_entry *t)
{
	return t->label ? g_strdup_printf("%s: %s", t->label, t->title)
			: g_strdup(t->title);
}

static char *toc_href(const epub *e, const gb_toc_entry *t)
{
	char *doc = part_href(e, t->part);
	char *h = g_strdup_printf("%s#%s", doc, t->heading->id);
	g_free(doc);
	return h;
}

static void write_nav(epub *e, const char *bodymatter_href)
{
	const gb_book *b = e->book;
	/* nav.xhtml sits beside text/, not in it: its own head */
	GString *o = g_string_new(NULL);
	g_string_append(o,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		"xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
	esc(o, b->meta.lang);
	g_string_append(o, "\" xml:lang=\"");
	esc(o, b->meta.lang);
	g_string_append(o, "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	esc(o, e->w->contents);
	g_string_append(o, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"css/book.css\"/>\n"
			   "</head>\n<body epub:type=\"frontmatter\">\n"
			   "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n"
			   "<h1 id=\"toc-title\">");
	/* the print edition's contents pages start here */
	for (guint i = 2; e->front && i < e->front->len; i++)
		page_break(o, g_ptr_array_index(e->front, i));
	esc(o, e->w->contents);
	g_string_append(o, "</h1>\n<ol>\n");
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *t = g_ptr_array_index(b->toc, i);
		const gb_toc_entry *next = i + 1 < b->toc->len ? g_ptr_array_index(b->toc, i + 1) : NULL;
		char *href = toc_href(e, t), *text = toc_text(t);
		g_string_append(o, "<li><a href=\"");
		esc(o, href);
		g_string_append(o, "\"");
		/* the title of a part in another language is in that
		   language (a reading system reads it so) */
		const char *lang = t->part ? t->part->lang : NULL;
		if (lang && g_ascii_strcasecmp(lang, b->meta.lang)) {
			g_string_append(o, " lang=\"");
			esc(o, lang);
			g_string_append(o, "\" xml:lang=\"");
			esc(o, lang);
			g_string_append(o, "\"");
		}
		g_string_append(o, ">");
		esc(o, text);
		g_string_append(o, "</a>");
		if (t->level == 1 && next && next->level == 2)
			g_string_append(o, "\n<ol>\n");
		else
			g_string_append(o, "</li>\n");
		if (t->level == 2 && (!next || next->level == 1))
			g_string_append(o, "</ol>\n</li>\n");
		g_free(href);
		g_free(text);
	}
	g_string_append(o, "</ol>\n</nav>\n"
			   "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\" aria-labelledby=\"landmarks-title\">\n"
			   "<h2 id=\"landmarks-title\">");
	esc(o, e->w->landmarks);
	g_string_append(o, "</h2>\n<ol>\n<li><a epub:type=\"cover\" href=\"text/cover.xhtml\">");
	esc(o, e->w->cover);
	g_string_append(o, "</a></li>\n<li><a epub:type=\"titlepage\" href=\"text/titlepage.xhtml\">");
	esc(o, e->w->title_page);
	g_string_append(o, "</a></li>\n<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">");
	esc(o, e->w->contents);
	g_string_append(o, "</a></li>\n");
	if (bodymatter_href) {
		g_string_append(o, "<li><a epub:type=\"bodymatter\" href=\"");
		esc(o, bodymatter_href);
		g_string_append(o, "\">");
		esc(o, e->w->start);
		g_string_append(o, "</a></li>\n");
	}
	g_string_append(o, "<li><a epub:type=\"colophon\" href=\"text/colophon.xhtml\">");
	esc(o, e->w->colophon);
	g_string_append(o, "</a></li>\n</ol>\n</nav>\n");
	if (e->page_list && e->page_list->len) {
		/* the print edition's pages, in reading order */
		g_string_append(o, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" hidden=\"hidden\" aria-label=\"Pages\">\n<ol>\n");
		for (guint i = 0; i < e->page_list->len; i++) {
			const page_ref *p = g_ptr_array_index(e->page_list, i);
			g_string_append(o, "<li><a href=\"");
			esc(o, p->href);
			g_string_append(o, "#page-");
			esc(o, p->label);
			g_string_append(o, "\">");
			esc(o, p->label);
			g_string_append(o, "</a></li>\n");
		}
		g_string_append(o, "</ol>\n</nav>\n");
	}
	doc_end(o);
	use_chars(e, o->str);
	add_spine(e, add_item(e, "nav", "nav.xhtml", "application/xhtml+xml",
			      "nav", string_bytes(o)), true);
}

static void ncx_point(const epub *e, GString *o, const gb_toc_entry *t, int order)
{
	char *href = toc_href(e, t), *text = toc_text(t);
	g_string_append_printf(o, "<navPoint id=\"nav-%d\" playOrder=\"%d\">"
			       "<navLabel><text>", order, order);
	esc(o, text);
	g_string_append(o, "</text></navLabel><content src=\"");
	esc(o, href);
	g_string_append(o, "\"/>");
	g_free(href);
	g_free(text);
}

static void write_ncx(epub *e)
{
	const gb_book *b = e->book;
	GString *o = g_string_new(NULL);
	int depth = 1;
	for (guint i = 0; i < b->toc->len; i++)
		depth = MAX(depth, ((gb_toc_entry *)g_ptr_array_index(b->toc, i))->level);
	g_string_append(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"");
	esc(o, b->meta.lang);
	g_string_append(o, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
	esc(o, b->meta.identifier);
	g_string_append_printf(o, "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
			       "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
			       "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n"
			       "</head>\n<docTitle><text>", depth);
	esc(o, b->meta.title);
	g_string_append(o, "</text></docTitle>\n<navMap>\n");
	for (guint i = 0; i < b->toc->len; i++) {
		const gb_toc_entry *t = g_ptr_array_index(b->toc, i);
		const gb_toc_entry *next = i + 1 < b->toc->len ? g_ptr_array_index(b->toc, i + 1) : NULL;
		ncx_point(e, o, t, (int)i + 1);
		if (t->level == 1 && next && next->level == 2)
			g_string_append_c(o, '\n');
		else
			g_string_append(o, "</navPoint>\n");
		if (t->level == 2 && (!next || next->level == 1))
			g_string_append(o, "</navPoint>\n");
	}
	g_string_append(o, "</navMap>\n</ncx>\n");
	add_item(e, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL,
		 string_bytes(o));
}

static void colophon_row(GString *o, const char *what, const char *value)
{
	if (!value)
		return;
	g_string_append(o, "<p><span class=\"key\">");
	esc(o, what);
	g_string_append(o, ":</span> ");
	esc_lines(o, value);
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

static void write_colophon(epub *e)
{
	const gb_meta *m = &e->book->meta;
	const gb_words *w = e->w;
	GString *o = g_string_new(NULL);
	doc_begin(e, o, m->lang, w->colophon, "backmatter");
	g_string_append(o, "<section epub:type=\"colophon\" role=\"doc-colophon\" class=\"colophon\" aria-labelledby=\"colophon-title\">\n<h1 id=\"colophon-title\">");
	esc(o, w->colophon);
	g_string_append(o, "</h1>\n<p class=\"book-title\">");
	esc_lines(o, m->title);
	g_string_append(o, "</p>\n");
	if (m->rights) {
		g_string_append(o, "<p class=\"rights\">");
		esc_lines(o, m->rights);
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
			colophon_row(o, f->key, f->value);
			continue;
		}
		/* the fonts, with a link to their licences */
		g_string_append(o, "<p><span class=\"key\">");
		esc(o, f->key);
		g_string_append(o, ":</span> ");
		esc(o, f->value);
		fonts = true;
	}
	gb_facts_free(facts);
	if (!fonts) {
		g_string_append(o, "<p><span class=\"key\">");
		esc(o, w->fonts);
		g_string_append(o, ":</span> ");
	}
	g_string_append(o, ". <a href=\"licences.xhtml\">");
	esc(o, w->licences);
	g_string_append(o, "</a></p>\n</section>\n");
	doc_end(o);
	use_chars(e, o->str);
	add_spine(e, add_item(e, "colophon", "text/colophon.xhtml",
			      "application/xhtml+xml", NULL, string_bytes(o)), true);
}

static void write_licences(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	/* licence texts are English, whatever the book's language */
	doc_begin(e, o, "en", e->w->licences, "backmatter");
	g_string_append(o, "<section class=\"licences\" aria-labelledby=\"licences-title\">\n<h1 id=\"licences-title\"");
	if (strcmp(m->lang, "en"))
		g_string_append_printf(o, " lang=\"%s\" xml:lang=\"%s\"", m->lang, m->lang);
	g_string_append(o, ">");
	esc(o, e->w->licences);
	g_string_append(o, "</h1>\n");
	/* the licence of each package of a face the e-book uses, once */
	GPtrArray *lic = g_ptr_array_new_with_free_func(g_free);
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
		g_string_append(o, "<pre class=\"licence\">");
		esc(o, text);
		g_string_append(o, "</pre>\n");
		g_free(text);
	}
	g_ptr_array_free(lic, TRUE);
	g_string_append(o, "</section>\n");
	doc_end(o);
	use_chars(e, o->str);
	add_spine(e, add_item(e, "licences", "text/licences.xhtml",
			      "application/xhtml+xml", NULL, string_bytes(o)), false);
}

/* ---- style and fonts ---- */

/*
 * The name of font f's subset in the e-book: its file's name, but a face
 * of a collection (.ttc) is a font of its own, named by its family and
 * style in safe ASCII ("NotoSerifCJKSC-Bold.otf"), with the extension of
 * what data holds: 'OTTO' is OpenType with CFF outlines, else TrueType.
 */
static char *subset_name(const gb_font *f, GBytes *data)
{
	if (!g_str_has_suffix(f->file, ".ttc"))
		return g_strdup(f->file);
	gsize len;
	const char *p = g_bytes_get_data(data, &len);
	bool cff = len >= 4 && !memcmp(p, "OTTO", 4);
	GString *name = g_string_new(NULL);
	for (const char *c = f->family; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(name, *c);
	g_string_append_c(name, '-');
	for (const char *c = f->style; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(name, *c);
	g_string_append(name, cff ? ".otf" : ".ttf");
	return g_string_free(name, FALSE);
}

/*
 * The characters each fallback draws in the e-book: e->needs (what
 * gb_coverage_needs() found in the book), to which this adds those of the
 * e-book's own pages (its words, the licences) that none of the body,
 * heading and mono faces has.  Element i is fallback i's set, or NULL when
 * nothing needs it; e owns the array.
 */
static GPtrArray *fallback_chars(epub *e, const gb_coverage *c)
{
	GPtrArray *sets = e->needs;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, e->chars);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		gunichar u = GPOINTER_TO_UINT(key);
		if (u < 0x80 || gb_coverage_has(c, GB_FACE_BODY, u) ||
		    gb_coverage_has(c, GB_FACE_HEADING, u) ||
		    gb_coverage_has(c, GB_FACE_MONO, u))
			continue;
		for (guint f = GB_FACE_FALLBACK; f < c->n; f++) {
			if (!gb_coverage_has(c, f, u))
				continue;
			guint i = f - GB_FACE_FALLBACK;
			if (!sets->pdata[i])
				sets->pdata[i] = g_hash_table_new(NULL, NULL);
			g_hash_table_add(sets->pdata[i], key);
			break;
		}
	}
	return sets;
}

/* Embeds the subset of font f to chars as the font-N item, with its
   @font-face rule in css.  False after reporting why. */
static bool embed_font(epub *e, const gb_font *f, guint n, GHashTable *chars,
		       bool collection, GString *css)
{
	char *key = NULL;
	GBytes *sub = gb_subset_cached(f->path, f->sha256, collection ? f->family : NULL,
				       chars, &key, e->d);
	if (!sub)
		return false;
	char *file = subset_name(f, sub);
	char *href = g_strconcat("fonts/", file, NULL);
	char *id = g_strdup_printf("font-%u", n);
	add_item(e, id, href, g_str_has_suffix(file, ".ttf") ? "font/ttf" : "font/otf",
		 NULL, sub);
	((entry *)g_ptr_array_index(e->entries, e->entries->len - 1))->key = key;
	g_string_append(css, "@font-face {\n  font-family: \"");
	g_string_append(css, f->family);
	g_string_append_printf(css, "\";\n  font-weight: %d;\n  font-style: %s;\n"
			       "  src: url(\"../%s\");\n}\n",
			       f->weight, f->italic ? "italic" : "normal", href);
	g_free(file);
	g_free(href);
	g_free(id);
	return true;
}

static void write_css_and_fonts(epub *e)
{
	const gb_style *st = e->opt->style;
	const char *families[] = {
		gb_style_need(st, "fonts.body", e->d),
		gb_style_need(st, "fonts.heading", e->d),
		gb_style_need(st, "fonts.mono", e->d),
	};
	const gb_coverage *c = e->coverage;
	if (!c || !families[0] || !families[1] || !families[2]) {
		e->ok = 0;
		return;
	}
	/* the fallbacks the e-book embeds, after each family of the
	   stylesheet's font-family lists: @{fonts.fallbacks} */
	GPtrArray *sets = fallback_chars(e, c);
	GString *list = g_string_new(NULL);
	for (guint i = 0; i < sets->len; i++)
		if (sets->pdata[i])
			g_string_append_printf(list, ", \"%s\"", c->families[GB_FACE_FALLBACK + i]);
	GHashTable *extra = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(extra, (gpointer)"fonts.fallbacks", list->str);
	char *body = gb_style_expand(st, e->opt->css_template, extra, e->d);
	g_hash_table_destroy(extra);
	g_string_free(list, TRUE);
	if (!body) {
		e->ok = 0;
		return;
	}
	/* printable ASCII too: readers generate text (page numbers, ...) */
	for (gunichar u = 0x20; u < 0x7f; u++)
		g_hash_table_add(e->chars, GUINT_TO_POINTER(u));
	GString *css = g_string_new("@charset \"UTF-8\";\n\n/* The book's fonts, subset to the characters it uses. */\n");
	GPtrArray *fonts = e->opt->fonts->fonts;
	for (guint i = 0; i < fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(fonts, i);
		bool used = false;
		for (size_t k = 0; k < G_N_ELEMENTS(families); k++)
			used = used || !strcmp(f->family, families[k]);
		GHashTable *chars = used ? e->chars : NULL;
		/* a fallback: only to the characters it is needed for */
		for (guint k = 0; !chars && k < sets->len; k++)
			if (sets->pdata[k] && !strcmp(f->family, c->families[GB_FACE_FALLBACK + k]))
				chars = sets->pdata[k];
		if (chars && !embed_font(e, f, i + 1, chars,
					 g_str_has_suffix(f->file, ".ttc"), css))
			e->ok = 0;
	}
	g_string_append_c(css, '\n');
	g_string_append(css, body);
	g_free(body);
	add_item(e, "css", "css/book.css", "text/css", NULL, string_bytes(css));
}

/* ---- the package document ---- */

static void meta_el(GString *o, const char *el, const char *id, const char *value)
{
	if (!value)
		return;
	g_string_append_printf(o, "<%s", el);
	if (id)
		g_string_append_printf(o, " id=\"%s\"", id);
	g_string_append(o, ">");
	esc(o, value);
	g_string_append_printf(o, "</%s>\n", el);
}

static void meta_prop(GString *o, const char *property, const char *refines,
		      const char *value)
{
	g_string_append_printf(o, "<meta property=\"%s\"", property);
	if (refines)
		g_string_append_printf(o, " refines=\"#%s\"", refines);
	g_string_append(o, ">");
	esc(o, value);
	g_string_append(o, "</meta>\n");
}

static void write_opf(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	g_string_append(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
			   "unique-identifier=\"book-id\" "
			   "prefix=\"ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/\" "
			   "xml:lang=\"");
	esc(o, m->lang);
	g_string_append(o, "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
	meta_el(o, "dc:identifier", "book-id", m->identifier);
	meta_el(o, "dc:title", "title", m->title);
	meta_prop(o, "title-type", "title", "main");
	if (m->subtitle) {
		meta_el(o, "dc:title", "subtitle", m->subtitle);
		meta_prop(o, "title-type", "subtitle", "subtitle");
	}
	for (guint i = 0; i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		char *id = g_strdup_printf("creator-%u", i + 1);
		meta_el(o, strcmp(a->role, "aut") ? "dc:contributor" : "dc:creator", id, a->name);
		g_string_append_printf(o, "<meta property=\"role\" refines=\"#%s\" scheme=\"marc:relators\">", id);
		esc(o, a->role);
		g_string_append(o, "</meta>\n");
		g_free(id);
	}
	meta_el(o, "dc:language", NULL, m->lang);
	meta_el(o, "dc:date", NULL, m->date);
	meta_el(o, "dc:publisher", NULL, m->publisher);
	meta_el(o, "dc:rights", NULL, m->rights);
	meta_el(o, "dc:description", NULL, m->description);
	for (guint i = 0; i < m->subjects->len; i++)
		meta_el(o, "dc:subject", NULL, g_ptr_array_index(m->subjects, i));
	meta_el(o, "dc:source", NULL, m->source);
	if (e->page_list && e->page_list->len) {
		/* the print edition the page numbers follow */
		char *src = g_strdup_printf("%s, print edition (%s)", m->identifier,
					    e->opt->pages_from ? e->opt->pages_from : "PDF");
		meta_el(o, "dc:source", "print-edition", src);
		meta_prop(o, "source-of", "print-edition", "pagination");
		g_free(src);
	}
	char modified[GB_TIME_LEN];
	if (!gb_time_iso8601(e->opt->timestamp, modified)) {
		gb_error(e->d, gb_noloc(), "cannot date the EPUB %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", e->opt->timestamp);
		e->ok = 0;
	}
	meta_prop(o, "dcterms:modified", NULL, modified);
	/* accessibility (schema.org, EPUB Accessibility 1.1) */
	meta_prop(o, "schema:accessMode", NULL, "textual");
	meta_prop(o, "schema:accessMode", NULL, "visual");
	meta_prop(o, "schema:accessModeSufficient", NULL, "textual");
	meta_prop(o, "schema:accessibilityFeature", NULL, "structuralNavigation");
	meta_prop(o, "schema:accessibilityFeature", NULL, "tableOfContents");
	meta_prop(o, "schema:accessibilityFeature", NULL, "readingOrder");
	meta_prop(o, "schema:accessibilityFeature", NULL, "alternativeText");
	if (e->page_list && e->page_list->len) {
		meta_prop(o, "schema:accessibilityFeature", NULL, "printPageNumbers");
		meta_prop(o, "schema:accessibilityFeature", NULL, "pageNavigation");
	}
	meta_prop(o, "schema:accessibilityHazard", NULL, "none");
	meta_prop(o, "schema:accessibilitySummary", NULL,
		  "This publication meets the requirements of EPUB Accessibility 1.1 "
		  "and WCAG 2.2 Level AA. Its text is structured with headings in "
		  "order, a table of contents and landmarks; footnotes link to their "
		  "references and back; tables have captions and header cells; every "
		  "image, including the cover, has a text alternative; the reading "
		  "order follows the text. It holds no flashing content, sound or motion.");
	meta_prop(o, "dcterms:conformsTo", NULL, "EPUB Accessibility 1.1 - WCAG 2.2 Level AA");
	/*
	 * Who stands behind the claim: the publisher, who evaluates the book
	 * with gsi-book's checks.  No credential or report is claimed: there
	 * is none to name.
	 */
	meta_prop(o, "a11y:certifiedBy", NULL, m->publisher ? m->publisher : "gsi-book");
	/* Apple Books uses embedded fonts only when told to */
	meta_prop(o, "ibooks:specified-fonts", NULL, "true");
	/* EPUB 2 readers (and Kindle's converter) find the cover by name */
	g_string_append(o, "<meta name=\"cover\" content=\"cover-image\"/>\n</metadata>\n<manifest>\n");
	for (guint i = 0; i < e->items->len; i++) {
		const item *it = g_ptr_array_index(e->items, i);
		g_string_append(o, "<item id=\"");
		esc(o, it->id);
		g_string_append(o, "\" href=\"");
		esc(o, it->href);
		g_string_append(o, "\" media-type=\"");
		esc(o, it->media_type);
		g_string_append(o, "\"");
		if (it->properties)
			g_string_append_printf(o, " properties=\"%s\"", it->properties);
		g_string_append(o, "/>\n");
	}
	g_string_append(o, "</manifest>\n<spine toc=\"ncx\">\n");
	for (guint i = 0; i < e->spine->len; i++) {
		const item *it = g_ptr_array_index(e->spine, i);
		g_string_append(o, "<itemref idref=\"");
		esc(o, it->id);
		g_string_append(o, it->linear ? "\"/>\n" : "\" linear=\"no\"/>\n");
	}
	g_string_append(o, "</spine>\n</package>\n");
	/* the OPF is not in its own manifest */
	add_entry(e, "EPUB/package.opf", string_bytes(o), false);
}

/* ---- the zip ---- */

/* The DOS date and time of t (UTC), clamped to what zip can hold. */
static void dos_time(gint64 t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(MAX(t, 315532800));
	int y = g_date_time_get_year(dt);
	if (y > 2107) {
		g_date_time_unref(dt);
		dt = g_date_time_new_utc(2107, 12, 31, 23, 59, 58);
		y = 2107;
	}
	*ddate = (zip_uint16_t)(((y - 1980) << 9) | (g_date_time_get_month(dt) << 5) |
				g_date_time_get_day_of_month(dt));
	*dtime = (zip_uint16_t)((g_date_time_get_hour(dt) << 11) |
				(g_date_time_get_minute(dt) << 5) |
				(g_date_time_get_second(dt) / 2));
	g_date_time_unref(dt);
}

/*
 * Deflating.  The entries are deflated here, on all cores at once, with
 * zlib at the settings libzip uses at level 1 (raw deflate, 32 KiB window,
 * memory level 9), so the bytes are those libzip would write itself; libzip
 * then takes the deflated data as it is (packed_source).  An entry whose
 * bytes have a name (a font subset) is deflated once: the result is kept
 * in the user's cache under that name and zlib's version.
 */

enum { DEFLATE_LEVEL = 1 };

static bool to_deflate(const entry *en)
{
	/* pictures are compressed already: stored, they cost nothing */
	return !en->store && !g_str_has_suffix(en->name, ".png") &&
	       !g_str_has_suffix(en->name, ".jpg") && !g_str_has_suffix(en->name, ".jpeg") &&
	       !g_str_has_suffix(en->name, ".gif");
}

static char *deflated_path(const entry *en)
{
	char *id = g_strdup_printf("%s\nzlib %s, raw deflate, level %d, memory level %d, 2",
				   en->key, zlibVersion(), DEFLATE_LEVEL, MAX_MEM_LEVEL);
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, id, -1);
	char *path = gb_cache_path("deflated", sum);
	g_free(sum);
	g_free(id);
	return path;
}

/*
 * A cached deflated entry: the CRC-32 and size of what it holds, the
 * CRC-32 of the deflated data (little-endian), then the deflated data.
 */
enum { DEFLATED_HEAD = 16 };

static bool deflated_from_cache(entry *en, const char *path, gsize len)
{
	GBytes *c = gb_cache_get(path, DEFLATED_HEAD + 1);
	if (!c)
		return false;
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(c, &n);
	guint32 crc = gb_le32_read(p);
	guint64 size = 0;
	for (int i = 0; i < 8; i++)
		size |= (guint64)p[4 + i] << (8 * i);
	const void *data = g_bytes_get_data(en->data, NULL);
	bool ok = size == len && crc == crc32_z(0, data, len) &&
		  gb_le32_read(p + 12) == crc32_z(0, p + DEFLATED_HEAD, n - DEFLATED_HEAD);
	if (ok) {
		en->crc = crc;
		en->packed = g_bytes_new_from_bytes(c, DEFLATED_HEAD, n - DEFLATED_HEAD);
	}
	g_bytes_unref(c);
	return ok;
}

/* What the deflating threads share: the entries, and the next one to take. */
typedef struct deflater {
	GPtrArray *todo;        /* entry *, to deflate */
	gint next;              /* the index of the next one, taken atomically */
} deflater;

/*
 * Deflates en with z, a stream set up by deflateInit2() and reset for
 * each entry (zlib allocates and clears some 400 KiB for a stream: once
 * per thread, not once per entry).
 */
static void deflate_entry(entry *en, z_stream *z)
{
	gsize len = 0;
	const Bytef *data = g_bytes_get_data(en->data, &len);
	char *path = en->key ? deflated_path(en) : NULL;
	if (path && deflated_from_cache(en, path, len)) {
		g_free(path);
		return;
	}
	if (len > G_MAXUINT / 2 || deflateReset(z) != Z_OK) {
		g_free(path);
		return; /* libzip deflates it */
	}
	uLong bound = deflateBound(z, (uLong)len);
	guint8 *out = g_malloc(DEFLATED_HEAD + bound);
	z->next_in = (Bytef *)data;
	z->avail_in = (uInt)len;
	z->next_out = out + DEFLATED_HEAD;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, Z_FINISH);
	gsize zlen = z->total_out;
	if (rc != Z_STREAM_END) {
		g_free(out);
		g_free(path);
		return;
	}
	en->crc = (guint32)crc32_z(0, data, len);
	gb_le32_write(out, en->crc);
	for (int i = 0; i < 8; i++)
		out[4 + i] = (guint8)((guint64)len >> (8 * i));
	guint32 zcrc = (guint32)crc32_z(0, out + DEFLATED_HEAD, zlen);
	gb_le32_write(out + 12, zcrc);
	if (path)
		gb_cache_put(path, out, DEFLATED_HEAD + zlen);
	GBytes *all = g_bytes_new_take(out, DEFLATED_HEAD + zlen);
	en->packed = g_bytes_new_from_bytes(all, DEFLATED_HEAD, zlen);
	g_bytes_unref(all);
	g_free(path);
}

/* A deflating thread: takes entries until none is left. */
static gpointer deflate_some(gpointer p)
{
	deflater *df = p;
	z_stream z;
	memset(&z, 0, sizeof z);
	bool ready = deflateInit2(&z, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS,
				  MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY) == Z_OK;
	for (;;) {
		gint i = g_atomic_int_add(&df->next, 1);
		if (i >= (gint)df->todo->len)
			break;
		entry *en = df->todo->pdata[i];
		if (ready)
			deflate_entry(en, &z);
	}
	if (ready)
		deflateEnd(&z);
	return NULL;
}

/* Deflates the entries that are deflated, on as many threads as cores. */
static void deflate_entries(epub *e)
{
	deflater df = { g_ptr_array_new(), 0 };
	for (guint i = 0; i < e->entries->len; i++) {
		entry *en = g_ptr_array_index(e->entries, i);
		if (to_deflate(en))
			g_ptr_array_add(df.todo, en);
	}
	/* this thread deflates too */
	guint helpers = MIN(MIN(g_get_num_processors(), 8), df.todo->len) - 1;
	if (df.todo->len == 0)
		helpers = 0;
	GThread *t[8];
	for (guint i = 0; i < helpers; i++)
		t[i] = g_thread_new("deflate", deflate_some, &df);
	deflate_some(&df);
	for (guint i = 0; i < helpers; i++)
		g_thread_join(t[i]);
	g_ptr_array_free(df.todo, TRUE);
}

/* A libzip source giving an entry's deflated data, as it is. */
typedef struct packed_src {
	const entry *en;
	gsize off;
	zip_error_t error;
} packed_src;

static zip_int64_t packed_source(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	packed_src *s = user;
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(s->en->packed, &n);
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		gsize k = MIN(n - s->off, (gsize)len);
		memcpy(data, p + s->off, k);
		s->off += k;
		return (zip_int64_t)k;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
			    ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD;
		st->size = g_bytes_get_size(s->en->data);
		st->comp_size = n;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = s->en->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof *st;
	}
	case ZIP_SOURCE_GET_FILE_ATTRIBUTES: {
		/* what libzip's own deflate says of level 1: "fast" */
		zip_file_attributes_t *a = data;
		zip_file_attributes_init(a);
		a->valid = ZIP_FILE_ATTRIBUTES_VERSION_NEEDED |
			   ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS;
		a->version_needed = 20;
		a->general_purpose_bit_flags = 2 << 1;
		a->general_purpose_bit_mask = 0x0006;
		return sizeof *a;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&s->error);
		g_free(s);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
			ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
			ZIP_SOURCE_SUPPORTS, ZIP_SOURCE_GET_FILE_ATTRIBUTES, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *entry_source(zip_t *za, const entry *en)
{
	if (en->packed) {
		packed_src *s = g_new0(packed_src, 1);
		s->en = en;
		zip_error_init(&s->error);
		zip_source_t *src = zip_source_function(za, packed_source, s);
		if (!src) {
			zip_error_fini(&s->error);
			g_free(s);
		}
		return src;
	}
	gsize len = 0;
	const void *data = g_bytes_get_data(en->data, &len);
	return zip_source_buffer(za, data, len, 0);
}

static GBytes *zip_all(epub *e)
{
	GBytes *ret = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = NULL;
	if (!buf)
		goto fail;
	zip_source_keep(buf);
	za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
	if (!za)
		goto fail;
	zip_uint16_t dtime, ddate;
	dos_time(e->opt->timestamp, &dtime, &ddate);
	deflate_entries(e);
	for (guint i = 0; i < e->entries->len; i++) {
		entry *en = g_ptr_array_index(e->entries, i);
		zip_source_t *s = entry_source(za, en);
		zip_int64_t ix = s ? zip_file_add(za, en->name, s, ZIP_FL_ENC_UTF_8) : -1;
		if (ix < 0) {
			zip_source_free(s);
			goto fail_archive;
		}
		bool deflated = to_deflate(en);
		if (zip_set_file_compression(za, (zip_uint64_t)ix,
					     deflated ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
					     deflated ? DEFLATE_LEVEL : 0) < 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)ix, dtime, ddate, 0) < 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)ix, 0,
						     ZIP_OPSYS_UNIX, 0100644u << 16) < 0)
			goto fail_archive;
	}
	if (zip_close(za) < 0)
		goto fail_archive;
	za = NULL;
	zip_stat_t st;
	if (zip_source_stat(buf, &st) < 0 || zip_source_open(buf) < 0)
		goto fail;
	guint8 *data = g_malloc(st.size ? st.size : 1);
	zip_int64_t got = zip_source_read(buf, data, st.size);
	zip_source_close(buf);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		g_free(data);
		goto fail;
	}
	ret = g_bytes_new_take(data, st.size);
	zip_source_free(buf);
	return ret;
fail_archive:
	gb_error(e->d, gb_noloc(), "cannot build the EPUB archive: %s",
		 zip_strerror(za));
	zip_discard(za);
	zip_source_free(buf);
	return NULL;
fail:
	gb_error(e->d, gb_noloc(), "cannot build the EPUB archive: %s",
		 zip_error_strerror(&ze));
	if (za)
		zip_discard(za);
	if (buf)
		zip_source_free(buf);
	zip_error_fini(&ze);
	return NULL;
}

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
		char *href = part ? part_href(e, part) : g_strdup("");
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
		g_hash_table_insert(e->doc_of_id, n->id, part_href(e, part));
	return true;
}

GBytes *gb_epub_build(const gb_book *book, const gb_epub_options *opt,
		      gb_diag *d)
{
	GBytes *ret = NULL;
	epub e = {
		.book = book, .opt = opt, .d = d, .w = gb_words_for(book->meta.lang),
		.entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free),
		.items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free),
		.spine = g_ptr_array_new(),
		.doc_of_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free),
		.images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		.docs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
		.chars = g_hash_table_new(g_direct_hash, g_direct_equal),
		.ok = 1,
	};
	add_entry(&e, "mimetype", g_bytes_new_static("application/epub+zip", 20), true);
	GString *container = g_string_new(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
		"<rootfiles>\n"
		"<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
		"</rootfiles>\n</container>\n");
	add_entry(&e, "META-INF/container.xml", string_bytes(container), false);

	e.coverage = gb_coverage_load(opt->fonts, opt->style, d);
	if (e.coverage) {
		e.needs = gb_coverage_needs(e.coverage, book);
		e.fallbacks = gb_fallbacks_of(e.coverage, e.needs);
	} else {
		e.ok = 0;
	}
	name_docs(&e);
	gb_node_walk(book->root, ids_fn, &e);
	if (opt->pages)
		map_pages(&e, opt->pages);
	write_cover(&e);
	write_titlepage(&e);
	const char *bodymatter = NULL;
	guint nav_at = e.spine->len;
	for (const gb_node *p = book->root->first; p; p = p->next) {
		write_part(&e, p);
		if (!bodymatter && p->part_kind != GB_PART_FRONTMATTER)
			bodymatter = ((item *)g_ptr_array_index(e.spine, e.spine->len - 1))->href;
	}
	write_colophon(&e);
	write_licences(&e);
	write_nav(&e, bodymatter);
	/* the contents come right after the title page */
	item *nav = g_ptr_array_steal_index(e.spine, e.spine->len - 1);
	g_ptr_array_insert(e.spine, (gint)nav_at, nav);
	write_ncx(&e);
	write_css_and_fonts(&e);
	write_opf(&e);
	/* the package document right after the container, for readers that stream */
	entry *opf = g_ptr_array_steal_index(e.entries, e.entries->len - 1);
	g_ptr_array_insert(e.entries, 2, opf);
	if (e.ok && gb_diag_errors(d) == 0)
		ret = zip_all(&e);

	g_ptr_array_free(e.entries, TRUE);
	g_ptr_array_free(e.items, TRUE);
	g_ptr_array_free(e.spine, TRUE);
	g_hash_table_destroy(e.doc_of_id);
	g_hash_table_destroy(e.images);
	g_hash_table_destroy(e.docs);
	g_hash_table_destroy(e.chars);
	g_strfreev(e.fallbacks);
	if (e.needs)
		g_ptr_array_unref(e.needs);
	gb_coverage_free(e.coverage);
	if (e.marks)
		g_hash_table_destroy(e.marks);
	if (e.page_list)
		g_ptr_array_free(e.page_list, TRUE);
	if (e.front)
		g_ptr_array_free(e.front, TRUE);
	return ret;
}
