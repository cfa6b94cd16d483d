/* xhtml.c - XML text and the parts' XHTML documents: blocks, inlines, notes, page-break marks, images (ep.h) */
#include "epub/ep.h"
#include "source/resolve.h"

/* ---- XML text ---- */

void gb_ep_esc(GString *out, const char *s)
{
	char *x = g_markup_escape_text(s, -1);
	g_string_append(out, x);
	g_free(x);
}

/* s escaped, its line feeds as <br/>: metadata written over several lines. */
void gb_ep_esc_lines(GString *out, const char *s)
{
	char **lines = g_strsplit(s, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (i)
			g_string_append(out, "<br/>\n");
		gb_ep_esc(out, g_strchomp(lines[i]));
	}
	g_strfreev(lines);
}

/* Records the code points of s, for font subsetting. */
void gb_ep_use_chars(epub *e, const char *s)
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

void gb_ep_doc_begin(epub *e, GString *out, const char *lang,
		      const char *title, const char *body_type)
{
	g_string_append(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		"xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
	gb_ep_esc(out, lang);
	g_string_append(out, "\" xml:lang=\"");
	gb_ep_esc(out, lang);
	g_string_append(out, "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	gb_ep_esc(out, title);
	g_string_append(out, "</title>\n"
		"<link rel=\"stylesheet\" type=\"text/css\" href=\"../css/book.css\"/>\n");
	gb_ep_kobo_head(e, out);
	g_string_append(out, "</head>\n<body");
	if (body_type)
		g_string_append_printf(out, " epub:type=\"%s\"", body_type);
	g_string_append(out, ">\n");
	gb_ep_kobo_body_begin(e, out);
	gb_ep_kobo_doc(e);
}

void gb_ep_doc_end(epub *e, GString *out)
{
	gb_ep_kobo_body_end(e, out);
	g_string_append(out, "</body>\n</html>\n");
}

void gb_ep_page_break(GString *o, const char *label)
{
	g_string_append(o, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-");
	gb_ep_esc(o, label);
	g_string_append(o, "\" aria-label=\"");
	gb_ep_esc(o, label);
	g_string_append(o, "\"/>");
}

/* text[a, b) escaped. */
static void esc_len(GString *o, const char *text, size_t a, size_t b)
{
	if (b <= a)
		return;
	char *part = g_strndup(text + a, b - a);
	gb_ep_esc(o, part);
	g_free(part);
}

/*
 * text escaped, each word in capitals (gb_caps_word_next(), the rule the
 * print edition sets in small capitals) in a <span class="caps">, which
 * the stylesheet sets in small capitals, letterspaced, when caps (the
 * style's text.abbreviations is small-caps).  With the print edition's
 * page breaks of marks (NULL: none), each before the byte where its page
 * starts; a span is closed around one.  With the kepub's cuts (NULL:
 * none; gb_ep_kobo_cuts), each piece from one cut to the next that has
 * more than spaces in a Kobo span of its own.
 */
static void esc_marked(epub *e, GString *o, const char *text, GArray *marks, bool caps,
		       const GArray *cuts)
{
	size_t len = strlen(text), at = 0, cat = 0, w = len, z = len;
	caps = caps && e->caps;
	if (!caps || !gb_caps_word_next(text, len, &cat, &w, &z))
		w = z = len;
	guint mi = 0, ci = 0;
	bool open = false;
	while (at < len || (marks && mi < marks->len)) {
		if (at >= z && z < len && !gb_caps_word_next(text, len, &cat, &w, &z))
			w = z = len;
		size_t cut = len;  /* where the next piece starts */
		if (cuts && ci < cuts->len && at >= g_array_index(cuts, size_t, ci) && at < len) {
			if (open)
				g_string_append(o, "</span>");
			size_t end = ci + 1 < cuts->len ? g_array_index(cuts, size_t, ci + 1) : len;
			open = false;
			for (size_t i = at; i < end && !open; i++)
				open = !g_ascii_isspace(text[i]);
			if (open)
				gb_ep_kobo_open(e, o);
			ci++;
		}
		if (cuts && ci < cuts->len)
			cut = g_array_index(cuts, size_t, ci);
		size_t moff = len + 1;
		if (marks && mi < marks->len) {
			moff = MIN(g_array_index(marks, page_mark, mi).off, len);
			while (moff > at && (text[moff] & 0xc0) == 0x80)
				moff--;  /* never inside a character */
			moff = MAX(moff, at);
		}
		bool in_word = at >= w && at < z;
		size_t stop = MIN(MIN(in_word ? z : w, len), cut);
		if (moff <= stop) {
			if (in_word && moff > at) {
				g_string_append(o, "<span class=\"caps\">");
				esc_len(o, text, at, moff);
				g_string_append(o, "</span>");
			} else {
				esc_len(o, text, at, moff);
			}
			at = MIN(moff, len);
			gb_ep_page_break(o, g_array_index(marks, page_mark, mi).label);
			mi++;
			continue;
		}
		if (in_word) {
			g_string_append(o, "<span class=\"caps\">");
			esc_len(o, text, at, z);
			g_string_append(o, "</span>");
			at = z;
		} else {
			esc_len(o, text, at, stop);
			at = stop;
		}
	}
	if (open)
		g_string_append(o, "</span>");
}

void gb_ep_esc_text(epub *e, GString *out, const char *s, const char *lang, bool lines, bool caps)
{
	char **ls = lines ? g_strsplit(s, "\n", -1) : NULL;
	for (guint i = 0; ls ? ls[i] != NULL : i < 1; i++) {
		if (i)
			g_string_append(out, "<br/>\n");
		const char *t = ls ? g_strchomp(ls[i]) : s;
		GArray *cuts = gb_ep_kobo_text(e, t, lang, i == 0);
		esc_marked(e, out, t, NULL, caps, cuts);
		if (cuts)
			g_array_free(cuts, TRUE);
	}
	g_strfreev(ls);
}

/* s escaped, its words in capitals in small capitals: a line of the
   contents (nav.xhtml). */
void gb_ep_esc_caps(epub *e, GString *out, const char *s)
{
	esc_marked(e, out, s, NULL, true, NULL);
}

/*
 * The text of a node (TEXT, CODE, CODE_BLOCK), with the print edition's
 * page breaks in it, each before the byte where its page starts (or the
 * character that byte is in); a TEXT node's words in capitals in small
 * capitals, as print sets them (code keeps its letters).
 */
static bool in_heading(const gb_node *n)
{
	for (const gb_node *a = n->parent; a; a = a->parent)
		if (a->kind == GB_NODE_HEADING)
			return true;
	return false;
}

/* The page breaks of node n: none in a heading, whose breaks go before
   it (heading_marks), so that a heading's name is its words alone. */
static GArray *marks_of(epub *e, const gb_node *n)
{
	if (!e->marks || in_heading(n))
		return NULL;
	return g_hash_table_lookup(e->marks, n);
}

/* The page breaks of the nodes inside heading n, in reading order, to o:
   before the heading element, never in its text. */
static void heading_marks(epub *e, GString *o, const gb_node *n)
{
	for (const gb_node *c = n->first; c && e->marks; c = c->next) {
		GArray *marks = g_hash_table_lookup(e->marks, c);
		for (guint i = 0; marks && i < marks->len; i++)
			gb_ep_page_break(o, g_array_index(marks, page_mark, i).label);
		heading_marks(e, o, c);
	}
}

static void text_with_marks(epub *e, GString *o, const gb_node *n)
{
	GArray *marks = marks_of(e, n);
	/* no Kobo spans in a code block: a <pre> keeps its text as it is */
	GArray *cuts = n->kind == GB_NODE_CODE_BLOCK ? NULL : gb_ep_kobo_cuts(e, n);
	esc_marked(e, o, n->text, marks, n->kind == GB_NODE_TEXT, cuts);
	if (cuts)
		g_array_free(cuts, TRUE);
}

/* The page breaks of a node drawn without text of its own (a note mark). */
static void marks_before(epub *e, GString *o, const gb_node *n)
{
	GArray *marks = marks_of(e, n);
	for (guint i = 0; marks && i < marks->len; i++)
		gb_ep_page_break(o, g_array_index(marks, page_mark, i).label);
}

static const char *heading_tags[] = { "h1", "h1", "h2", "h3", "h4", "h5", "h6" };

static void link_href(render *r, const char *url)
{
	if (url[0] == '#') {
		const char *doc = g_hash_table_lookup(r->e->doc_of_id, url + 1);
		if (doc && strcmp(doc, r->href) != 0) {
			/* both documents are in text/ */
			gb_ep_esc(r->out, doc + strlen("text/"));
		}
	}
	gb_ep_esc(r->out, url);
}

static const char *image_href(epub *e, const gb_node *part, const gb_node *img);

/* An image's size from '{width=60% height=3cm}' (CSS lengths already):
   a style attribute, the other side "auto" so that the stylesheet's
   height of an image in a line keeps its shape. */
static void image_size(GString *o, const gb_node *img)
{
	if (!img->width && !img->height)
		return;
	g_string_append_printf(o, " style=\"width:%s;height:%s\"",
			       img->width ? img->width : "auto",
			       img->height ? img->height : "auto");
}

/* A figure's caption opens, with its label when the style numbers
   figures (the print edition's words: gb_figure_caption_label). */
static void figcaption(render *r, const gb_node *fig)
{
	g_string_append(r->out, "<figcaption>");
	char *label = gb_figure_caption_label(r->e->opt->style, fig, r->e->d);
	if (label) {
		g_string_append(r->out, "<span class=\"figure-label\">");
		gb_ep_esc(r->out, label);
		g_string_append(r->out, "</span>");
	}
	g_free(label);
}

/*
 * HTML's own elements, kept: an ANCHOR an empty <span> with its id (a
 * link target); a PHRASE its element (<small>, <abbr title>, <kbd>,
 * <q>, <cite>, <dfn>).
 */
static void html_phrase(GString *o, const gb_node *n, bool entering)
{
	if (n->kind == GB_NODE_ANCHOR) {
		if (entering) {
			g_string_append(o, "<span id=\"");
			gb_ep_esc(o, n->id);
			g_string_append(o, "\"></span>");
		}
		return;
	}
	if (!entering) {
		g_string_append_printf(o, "</%s>", n->tag);
		return;
	}
	g_string_append_printf(o, "<%s", n->tag);
	if (n->title) {
		g_string_append(o, " title=\"");
		gb_ep_esc(o, n->title);
		g_string_append(o, "\"");
	}
	g_string_append(o, ">");
}

static bool in_tight_item(const gb_node *n)
{
	return n->parent && n->parent->kind == GB_NODE_ITEM &&
	       n->parent->parent && n->parent->parent->tight;
}

/* The paragraph of a compact definition, pandoc's "Term\n: text". */
static bool in_tight_definition(const gb_node *n)
{
	return n->parent && n->parent->kind == GB_NODE_DEF_DESC && n->parent->tight;
}

/*
 * A definition list: <dl>, each term a <dt> whose text is the term's
 * defining instance (<dfn>), each definition a <dd>.
 */
static void render_deflist(GString *o, const gb_node *n, bool entering)
{
	if (n->kind == GB_NODE_DEFLIST)
		g_string_append(o, entering ? "<dl>\n" : "</dl>\n");
	else if (n->kind == GB_NODE_DEF_TERM)
		g_string_append(o, entering ? "<dt><dfn>" : "</dfn></dt>\n");
	else
		g_string_append(o, entering ? (n->tight ? "<dd>" : "<dd>\n") : "</dd>\n");
}

/*
 * A task list item's box (☐ or ☑) in the place of its bullet (the CSS
 * hides the bullet of li.task): a character, not a disabled form control,
 * which is not content to read and which print cannot have.
 */
static void task_mark(GString *o, const gb_node *li)
{
	const char *mark = gb_task_mark(li);
	if (mark)
		g_string_append_printf(o, "<span class=\"task\">%s</span> ", mark);
}

/* Whether inline n holds a hard break. */
static bool holds_break(const gb_node *n)
{
	for (const gb_node *c = n->first; c; c = c->next)
		if (c->kind == GB_NODE_LINEBREAK || holds_break(c))
			return true;
	return false;
}

/*
 * Whether paragraph p is verse (a line block, or a paragraph of a verse
 * div) whose lines are each a <span class="line"> (a line too long for
 * the screen goes on further in, epub.css): its hard breaks are its own
 * children (one inside emphasis keeps a <br/> alone).
 */
static bool verse_lines(const gb_node *p)
{
	if (!p || p->kind != GB_NODE_PARAGRAPH ||
	    !(gb_node_has_class(p, "line-block") ||
	      (p->parent && p->parent->kind == GB_NODE_DIV &&
	       gb_node_has_class(p->parent, "verse"))))
		return false;
	for (const gb_node *c = p->first; c; c = c->next)
		if (c->kind != GB_NODE_LINEBREAK && holds_break(c))
			return false;
	return true;
}

/* An element's attribute name="value" (escaped), when value is set. */
static void attr(GString *o, const char *name, const char *value)
{
	if (!value)
		return;
	g_string_append_printf(o, " %s=\"", name);
	gb_ep_esc(o, value);
	g_string_append_c(o, '"');
}

/*
 * A fenced div: <div> with its classes and id; the book's elements with
 * their structural semantics (EPUB's epub:type, DPUB-ARIA's role).  A pull
 * quote repeats words of the text beside it: hidden from assistive
 * technology, which reads them once, in the text.
 */
static void render_div(GString *o, const gb_node *n, bool entering)
{
	if (!entering) {
		g_string_append(o, "</div>\n");
		return;
	}
	g_string_append(o, "<div");
	attr(o, "id", n->id);
	if (n->classes) {
		attr(o, "class", n->classes);
		char **cls = g_strsplit(n->classes, " ", -1);
		const char *sem = NULL;
		for (char **c = cls; *c && !sem; c++)
			sem = !strcmp(*c, "epigraph") ? " epub:type=\"epigraph\" role=\"doc-epigraph\"" :
			      !strcmp(*c, "dedication") ? " epub:type=\"dedication\" role=\"doc-dedication\"" :
			      !strcmp(*c, "pull-quote") ? " epub:type=\"pullquote\" role=\"doc-pullquote\" aria-hidden=\"true\"" :
			      NULL;
		if (sem)
			g_string_append(o, sem);
		g_strfreev(cls);
	}
	g_string_append(o, ">\n");
}

/*
 * An appendix's label before its title, its word and its ordinal marked
 * as Standard Ebooks marks them: <span epub:type="label">Appendix</span>
 * <span epub:type="ordinal">A</span>, the same text as the nav's.
 */
static void part_label(GString *o, const gb_node *part)
{
	g_string_append(o, "<span class=\"label\">");
	char *ordinal = part->part_kind == GB_PART_APPENDIX && part->number > 0 ?
			gb_appendix_ordinal(part->number, part->lang) : NULL;
	const char *word = ordinal ? gb_appendix_word(part->lang) : NULL;
	char *same = word ? g_strconcat(word, " ", ordinal, NULL) : NULL;
	if (same && !strcmp(same, part->label)) {
		g_string_append(o, "<span epub:type=\"label\">");
		gb_ep_esc(o, word);
		g_string_append(o, "</span> <span epub:type=\"ordinal\">");
		gb_ep_esc(o, ordinal);
		g_string_append(o, "</span>");
	} else {
		gb_ep_esc(o, part->label);
	}
	g_free(same);
	g_free(ordinal);
	g_string_append(o, "</span> ");
}

static bool render_fn(const gb_node *n, bool entering, void *ctx)
{
	render *r = ctx;
	GString *o = r->out;
	if (entering)
		gb_ep_kobo_block(r->e, n, r->part->lang);
	switch (n->kind) {
	case GB_NODE_BOOK:
	case GB_NODE_PART:
		break;
	case GB_NODE_STANDFIRST:
		g_string_append(o, entering ? "<div class=\"standfirst\">\n" : "</div>\n");
		break;
	case GB_NODE_HEADING:
		if (entering) {
			heading_marks(r->e, o, n);
			g_string_append_printf(o, "<%s id=\"", heading_tags[n->level]);
			gb_ep_esc(o, n->id);
			if (n->classes) {
				/* pandoc's '{.class}': for the reader's styles */
				g_string_append(o, "\" class=\"");
				gb_ep_esc(o, n->classes);
			}
			g_string_append(o, "\">");
			if (n == r->part->target && r->part->label)
				part_label(o, r->part);
		} else {
			g_string_append_printf(o, "</%s>\n", heading_tags[n->level]);
		}
		break;
	case GB_NODE_PARAGRAPH:
		if (!entering && verse_lines(n))
			g_string_append(o, "</span>");
		if (!in_tight_item(n) && !in_tight_definition(n) && entering && n->classes) {
			/* a line block's, an epigraph's attribution */
			g_string_append(o, "<p class=\"");
			gb_ep_esc(o, n->classes);
			g_string_append(o, "\">");
		} else if (!in_tight_item(n) && !in_tight_definition(n))
			g_string_append(o, entering ? "<p>" : "</p>\n");
		if (entering && n->parent && n == n->parent->first)
			task_mark(o, n->parent);
		if (entering && verse_lines(n))
			g_string_append(o, "<span class=\"line\">");
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
		if (!entering) {
			g_string_append(o, "</li>\n");
			break;
		}
		g_string_append(o, gb_task_mark(n) ? "<li class=\"task\">" : "<li>");
		/* an item without a paragraph first: its box here */
		if (!n->first || n->first->kind != GB_NODE_PARAGRAPH)
			task_mark(o, n);
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
				gb_ep_esc(o, lang);
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
		gb_ep_table(r, n, entering);
		break;
	case GB_NODE_CAPTION:
		if (n->parent->kind == GB_NODE_TABLE)
			g_string_append(o, entering ? "<caption>" : "</caption>\n");
		else if (!entering)
			g_string_append(o, "</figcaption>\n");
		else
			figcaption(r, n->parent);
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
	case GB_NODE_TABLE_CELL:
		gb_ep_table_cell(r, n, entering);
		break;
	case GB_NODE_FIGURE:
		if (!entering) {
			g_string_append(o, "</figure>\n");
		} else if (n->id) {
			g_string_append(o, "<figure id=\"");
			gb_ep_esc(o, n->id);
			g_string_append(o, "\">\n");
		} else {
			g_string_append(o, "<figure>\n");
		}
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
			g_string_append(o, verse_lines(n->parent) ?
					"</span><br/>\n<span class=\"line\">" : "<br/>\n");
		break;
	case GB_NODE_EMPH:
		g_string_append(o, entering ? "<em>" : "</em>");
		break;
	case GB_NODE_STRONG:
		g_string_append(o, entering ? "<strong>" : "</strong>");
		break;
	case GB_NODE_STRIKE:
		g_string_append(o, entering ? "<del>" : "</del>");
		break;
	case GB_NODE_SUPERSCRIPT:
		g_string_append(o, entering ? "<sup>" : "</sup>");
		break;
	case GB_NODE_SUBSCRIPT:
		g_string_append(o, entering ? "<sub>" : "</sub>");
		break;
	case GB_NODE_SPAN:
		if (!entering) {
			g_string_append(o, "</span>");
			break;
		}
		g_string_append(o, "<span");
		attr(o, "id", n->id);
		attr(o, "class", n->classes);
		attr(o, "lang", n->lang);
		attr(o, "xml:lang", n->lang);
		g_string_append(o, ">");
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
				gb_ep_esc(o, n->title);
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
			if (r->e->kobo)
				gb_ep_kobo_open(r->e, o);
			g_string_append(o, "<img src=\"../");
			gb_ep_esc(o, image_href(r->e, r->part, n));
			g_string_append(o, "\" alt=\"");
			gb_ep_esc(o, n->text ? n->text : "");
			g_string_append(o, "\"");
			image_size(o, n);
			if (n->title && n->parent->kind != GB_NODE_FIGURE) {
				g_string_append(o, " title=\"");
				gb_ep_esc(o, n->title);
				g_string_append(o, "\"");
			}
			g_string_append(o, r->e->kobo ? "/></span>" : "/>");
			if (n->parent->kind == GB_NODE_FIGURE)
				g_string_append_c(o, '\n');
		}
		break;
	case GB_NODE_NOTEREF:
		if (entering && n->target) {
			marks_before(r->e, o, n);
			g_string_append(o, "<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"");
			gb_ep_esc(o, n->id);
			g_string_append(o, "\" href=\"");
			/* a note is with its first reference: a later one may be
			   in another chapter of the same file */
			char *to = g_strconcat("#", n->target->id, NULL);
			link_href(r, to);
			g_free(to);
			g_string_append(o, "\">");
			gb_ep_esc(o, n->label);
			g_string_append(o, "</a>");
		}
		break;
	case GB_NODE_DIV:
		render_div(o, n, entering);
		break;
	case GB_NODE_DEFLIST:
	case GB_NODE_DEF_TERM:
	case GB_NODE_DEF_DESC:
		render_deflist(o, n, entering);
		break;
	case GB_NODE_HTML:  /* (made elements by the parser) */
		break;
	case GB_NODE_ANCHOR:
	case GB_NODE_PHRASE:
		html_phrase(o, n, entering);
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
		gb_ep_esc(o, fn->id);
		g_string_append(o, "\">\n");
		bool first = true;
		for (const gb_node *b = fn->first; b; b = b->next) {
			if (first && b->kind == GB_NODE_PARAGRAPH) {
				/* the note starts with its number, a link back */
				g_string_append(o, "<p><a href=\"#");
				/* back to the first reference */
				char *ref = g_strdup_printf("fnref-%d", fn->number);
				gb_ep_esc(o, ref);
				g_free(ref);
				g_string_append(o, "\" role=\"doc-backlink\" title=\"");
				gb_ep_esc(o, r->e->w->back);
				g_string_append(o, "\">");
				gb_ep_esc(o, fn->label);
				g_string_append(o, ".</a> ");
				gb_ep_kobo_block(r->e, b, r->part->lang);
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

static bool has_class(const char *classes, const char *cls);

static const char *section_type(const gb_node *part, const char **role)
{
	/* '# Glossary {.glossary}': the part is the book's glossary */
	if (gb_ep_is_glossary(part)) {
		*role = "doc-glossary";
		return "glossary";
	}
	switch (part->part_kind) {
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

/* Whether the space-separated classes hold cls. */
static bool has_class(const char *classes, const char *cls)
{
	if (!classes)
		return false;
	gchar **v = g_strsplit(classes, " ", -1);
	bool has = g_strv_contains((const gchar *const *)v, cls);
	g_strfreev(v);
	return has;
}

bool gb_ep_is_glossary(const gb_node *part)
{
	return part->target && has_class(part->target->classes, "glossary");
}

void gb_ep_landmark_free(landmark *l)
{
	g_free(l->href);
	g_free(l->title);
	g_free(l);
}

void gb_ep_glossary_landmark(epub *e, GPtrArray *list)
{
	for (const gb_node *p = e->book->root->first; p; p = p->next) {
		if (!gb_ep_is_glossary(p))
			continue;
		landmark *l = g_new0(landmark, 1);
		l->type = "glossary";
		l->guide_type = "glossary";
		l->href = gb_ep_part_href(e, p);
		l->title = gb_node_text(p->target);
		g_ptr_array_add(list, l);
		return;
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
 * Opens the section of heading h, inside the sections of the headings
 * chain[0..depth): named by h (aria-labelledby), a landmark whose name
 * must be unique in its document (Ace's landmark-unique); a name taken
 * already (a second "Exercises") is h's with its enclosing headings'
 * before it, nearest first, up to the part's title ("Mac
 * Troubleshooting"), and a section still without a name of its own has
 * none.  names: the names given, added to.
 */
static void open_section(GString *o, GHashTable *names, const gb_node *const *chain,
			 int depth, const gb_node *h)
{
	GString *ids = g_string_new(h->id);
	char *own = gb_node_text(h);
	GString *text = g_string_new(own);
	g_free(own);
	for (int k = depth;; k--) {
		if (!g_hash_table_contains(names, text->str)) {
			g_string_append(o, "<section aria-labelledby=\"");
			gb_ep_esc(o, ids->str);
			g_string_append(o, "\">\n");
			g_hash_table_add(names, g_string_free(text, FALSE));
			break;
		}
		if (k == 0) {
			g_string_append(o, "<section>\n");
			g_string_free(text, TRUE);
			break;
		}
		char *up = gb_node_text(chain[k - 1]);
		g_string_prepend_c(text, ' ');
		g_string_prepend(text, up);
		g_free(up);
		g_string_prepend_c(ids, ' ');
		g_string_prepend(ids, chain[k - 1]->id);
	}
	g_string_free(ids, TRUE);
}

void gb_ep_write_part(epub *e, const gb_node *part)
{
	render r = { .e = e, .out = g_string_new(NULL), .part = part,
		      .href = gb_ep_part_href(e, part) };
	char *title = part_title(e->book, part);
	gb_ep_doc_begin(e, r.out, part->lang, title, matter_of(part->part_kind));
	const char *role = NULL;
	const char *type = section_type(part, &role);
	g_string_append(r.out, "<section id=\"");
	gb_ep_esc(r.out, part->id);
	g_string_append(r.out, "\"");
	if (type)
		g_string_append_printf(r.out, " epub:type=\"%s\" role=\"%s\"", type, role);
	if (part->target) {
		g_string_append(r.out, " aria-labelledby=\"");
		gb_ep_esc(r.out, part->target->id);
		g_string_append(r.out, "\"");
	}
	g_string_append(r.out, ">\n");
	/* a section per heading of the part's own blocks (h2, h3...),
	   nested by level inside the part's, named by its heading */
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (part->target) {
		char *text = gb_node_text(part->target);
		g_hash_table_add(names, part->label ? g_strconcat(part->label, " ", text, NULL)
						    : g_strdup(text));
		g_free(text);
	}
	/* the headings whose sections are open, the part's title first */
	const gb_node *open[8];
	int base = 0, depth = 0;
	if (part->target)
		open[depth++] = part->target, base = 1;
	for (const gb_node *b = part->first; b; b = b->next) {
		if (b->kind == GB_NODE_HEADING && b != part->target && b->level >= 2) {
			while (depth > base && open[depth - 1]->level >= b->level) {
				g_string_append(r.out, "</section>\n");
				depth--;
			}
			open_section(r.out, names, open, depth, b);
			open[depth++] = b;
		}
		gb_node_walk(b, render_fn, &r);
	}
	for (; depth > base; depth--)
		g_string_append(r.out, "</section>\n");
	g_hash_table_destroy(names);
	render_footnotes(&r);
	g_string_append(r.out, "</section>\n");
	gb_ep_doc_end(e, r.out);
	gb_ep_use_chars(e, r.out->str);
	/* the manifest's id, an XML name: from the document's safe name */
	char *id = g_strndup(r.href + strlen("text/"), strlen(r.href) - strlen("text/.xhtml"));
	char *named = g_strconcat("part-", id, NULL);
	g_free(id);
	id = named;
	item *it = gb_ep_add_item(e, id, r.href, "application/xhtml+xml", NULL,
			    gb_ep_string_bytes(r.out));
	gb_ep_add_spine(e, it, true);
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
	char *safe = gb_ep_safe_file_name(base, "image");
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
		gb_ep_add_item(e, id, name, type, NULL, data);
		g_free(id);
		e->has_images = true;
	}
	g_free(why);
	g_free(path);
	g_free(base);
	g_hash_table_insert(e->images, src, name);
	return name;
}
