/* parse.c - converting libcmark-gfm's tree into the document tree. */
#include "source/parse.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <string.h>

#include "source/paths.h"
#include "source/ps.h"
#include "source/quotes.h"

static gb_loc cm_loc(const parse_ctx *c, cmark_node *n)
{
	int line = cmark_node_get_start_line(n);
	int col = cmark_node_get_start_column(n);
	if (line < 1)
		return gb_loc_at(c->file, GB_NOPOS);
	return gb_loc_at(c->file, gb_file_offset(c->file, line, col));
}

static bool is_type(cmark_node *n, const char *name)
{
	return strcmp(cmark_node_get_type_string(n), name) == 0;
}

static bool is_html_comment(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (strncmp(s, "<!--", 4) != 0)
		return false;
	const char *end = strstr(s + 4, "-->");
	if (!end)
		return false;
	for (end += 3; *end; end++)
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
			return false;
	return true;
}

/*
 * Raw HTML: an HTML node of the tree, which source/html.c makes the
 * element it stands for or reports; an HTML comment is left out.
 */
static gb_node *raw_html(parse_ctx *c, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	if (!lit || is_html_comment(lit))
		return NULL;
	/* An HTML block's literal keeps the spaces before its '<' (up to
	 * three, more inside a list item), but its position is the '<':
	 * read it from there. */
	lit += strspn(lit, " \t");
	gb_node *g = gb_node_new(GB_NODE_HTML, cm_loc(c, n));
	g->text = g_strdup(lit);
	return g;
}

/*
 * The label of a footnote written "[^label]" at offset off of the part's
 * source, or NULL.
 */
static char *label_at(const gb_file *f, size_t off)
{
	if (off == GB_NOPOS || off + 2 > f->len || f->data[off] != '[' ||
	    f->data[off + 1] != '^')
		return NULL;
	const char *start = f->data + off + 2;
	size_t n = strcspn(start, "]\n");
	if (!n || start[n] != ']')
		return NULL;
	return g_strndup(start, n);
}

/* The offset of a footnote definition "[^label]:" on line (1-based). */
static size_t definition_offset(const gb_file *f, int line)
{
	size_t off = gb_file_offset(f, line, 1);
	for (int i = 0; i < 3 && off < f->len && f->data[off] == ' '; i++)
		off++;
	return off;
}

static void set_string(char **field, const char *s)
{
	g_free(*field);
	*field = s ? g_strdup(s) : NULL;
}

/* Appends the plain text of a cmark subtree (an image's alt text). */
static void cm_plain_text(cmark_node *n, GString *out)
{
	for (cmark_node *ch = cmark_node_first_child(n); ch;
	     ch = cmark_node_next(ch)) {
		cmark_node_type t = cmark_node_get_type(ch);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			g_string_append(out, cmark_node_get_literal(ch));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			g_string_append_c(out, ' ');
		else
			cm_plain_text(ch, out);
	}
}

static bool is_remote(const char *url)
{
	return strstr(url, "://") || g_str_has_prefix(url, "//") ||
	       g_str_has_prefix(url, "data:") || g_str_has_prefix(url, "mailto:");
}

static void check_image(parse_ctx *c, gb_node *img)
{
	if (!img->url || !*img->url) {
		gb_error(c->d, img->loc, "image has no file name");
		return;
	}
	if (!img->text || !*g_strstrip(img->text))
		gb_error(c->d, img->loc,
			 "image '%s' has no alt text: describe it between the brackets, ![like this](%s)",
			 img->url, img->url);
	if (is_remote(img->url)) {
		gb_error(c->d, img->loc,
			 "image '%s' is not a file in the book: a book carries its images",
			 img->url);
		return;
	}
	if (!gb_image_media_type(img->url))
		gb_error(c->d, img->loc,
			 "image '%s' is not PNG, JPEG, GIF or SVG, the formats every e-reader shows",
			 img->url);
	char *unescaped = g_uri_unescape_string(img->url, NULL);
	char *path = gb_book_path(c->book, c->base, unescaped ? unescaped : img->url,
				  "image", img->loc, c->d);
	if (path && gb_image_media_type(img->url))
		gb_book_check_image(path, img->url, "image", img->loc, c->d);
	g_free(path);
	g_free(unescaped);
}

/*
 * Whether the host of an http or https address, url (after its scheme
 * and ':'), is one a reader can reach: after '//', an optional 'user@',
 * then a name whose labels (letters of any script, digits, '-' and '_')
 * stand between single dots, an IPv4 address being one, or an IPv6
 * address in brackets; then an optional ':port'.  Reading systems and
 * EPUBCheck cannot parse any other host ('https://../',
 * 'https://foo.bar.`baz').
 */
static bool has_host(const char *url)
{
	if (strncmp(url, "//", 2) != 0)
		return false;
	url += 2;
	size_t len = strcspn(url, "/?#");
	const char *at = memchr(url, '@', len);
	while (at) {  /* the last '@' ends the user information */
		len -= (size_t)(at + 1 - url);
		url = at + 1;
		at = memchr(url, '@', len);
	}
	const char *end = url + len, *p = url;
	if (p < end && *p == '[') {
		for (p++; p < end && (g_ascii_isxdigit(*p) || *p == ':' || *p == '.'); p++)
			;
		if (p == url + 1 || p == end || *p != ']')
			return false;
		p++;
	} else {
		size_t label = 0, labels = 0;
		for (; p < end && *p != ':'; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch == '.') {
				if (!label)
					return false;
				labels++;
				label = 0;
			} else if (g_ascii_isalnum(ch) || ch == '-' || ch == '_' || ch >= 0x80)
				label++;
			else
				return false;
		}
		if (!label && !labels)
			return false;  /* no name at all (a trailing dot is fine) */
	}
	if (p < end && *p++ != ':')
		return false;
	for (; p < end; p++)
		if (!g_ascii_isdigit(*p))
			return false;
	return true;
}

/*
 * A link goes to a web or mail address, or to an id in the book ('#id',
 * checked once the ids are known): a book is read on devices where
 * nothing else exists, and a script or data address runs or hides code.
 */
static void check_link(parse_ctx *c, const gb_node *link)
{
	if (link->url[0] == '#')
		return;
	const char *scheme = g_uri_peek_scheme(link->url);  /* lowercase, interned */
	if (!scheme)
		gb_error(c->d, link->loc, "link to '%s' goes nowhere in a book: "
			 "link to an address (https://...) or to a heading "
			 "('#its-id')", link->url);
	else if (strcmp(scheme, "http") && strcmp(scheme, "https") &&
		 strcmp(scheme, "mailto"))
		gb_error(c->d, link->loc, "link to a '%s:' address is refused: "
			 "links go to http, https and mailto addresses, or to a "
			 "heading ('#its-id')", scheme);
	else if (strcmp(scheme, "mailto") &&
		 !has_host(link->url + strlen(scheme) + 1))
		gb_error(c->d, link->loc, "link to '%s' names no host a reader "
			 "can reach: write 'https://' and a host name, such as "
			 "'https://example.com/'", link->url);
}

/*
 * A control character in text comes from a character reference (the file
 * itself was checked for them): XML cannot carry it, so it is an error at
 * the node, and it becomes U+FFFD.
 */
static void control_refs(parse_ctx *c, gb_node *g)
{
	GString *fixed = NULL;
	for (const char *p = g->text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (u >= 0x20 && (u < 0x7f || u > 0x9f))
			continue;
		gb_error(c->d, g->loc, "control character U+%04X (from a character "
			 "reference) in the text: XML cannot carry it", u);
		if (!fixed)
			fixed = g_string_new_len(g->text, p - g->text);
		g_string_append(fixed, "\xEF\xBF\xBD");
		g_string_append(fixed, g_utf8_next_char(p));
		g_free(g->text);
		g->text = g_string_free(fixed, FALSE);
		fixed = NULL;
		p = g->text;  /* start again: the text moved */
	}
}

/* Makes the gb_node for cmark node n, or NULL to drop n and its children. */
static gb_node *convert_node(parse_ctx *c, cmark_node *n)
{
	gb_loc loc = cm_loc(c, n);
	gb_node *g = NULL;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		return gb_node_new(GB_NODE_PARAGRAPH, loc);
	case CMARK_NODE_HEADING:
		g = gb_node_new(GB_NODE_HEADING, loc);
		g->level = cmark_node_get_heading_level(n);
		g_hash_table_steal_extended(c->headings, n, NULL,
					    (gpointer *)&g->slug_text);
		heading_attrs *a = g_hash_table_lookup(c->attrs,
			GINT_TO_POINTER(cmark_node_get_start_line(n)));
		if (a) {
			g->id = g_strdup(a->id);
			g->id_given = a->id != NULL;
			g->classes = g_strdup(a->classes);
			g->unnumbered = a->unnumbered;
			g->unlisted = a->unlisted;
		}
		return g;
	case CMARK_NODE_LIST:
		g = gb_node_new(GB_NODE_LIST, loc);
		g->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
		g->number = g->ordered ? cmark_node_get_list_start(n) : 0;
		g->tight = cmark_node_get_list_tight(n);
		return g;
	case CMARK_NODE_ITEM:
		g = gb_node_new(GB_NODE_ITEM, loc);
		/* GitHub's task list item "- [ ]" / "- [x]" */
		if (is_type(n, "tasklist"))
			g->task = cmark_gfm_extensions_get_tasklist_item_checked(n) ?
				  GB_TASK_DONE : GB_TASK_OPEN;
		return g;
	case CMARK_NODE_BLOCK_QUOTE:
		return gb_node_new(GB_NODE_BLOCKQUOTE, loc);
	case CMARK_NODE_CODE_BLOCK:
		g = gb_node_new(GB_NODE_CODE_BLOCK, loc);
		set_string(&g->text, cmark_node_get_literal(n));
		if (cmark_node_get_fence_info(n) && *cmark_node_get_fence_info(n))
			set_string(&g->title, cmark_node_get_fence_info(n));
		return g;
	case CMARK_NODE_THEMATIC_BREAK:
		return gb_node_new(GB_NODE_THEMATIC_BREAK, loc);
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		return raw_html(c, n);
	case CMARK_NODE_FOOTNOTE_DEFINITION: {
		g = gb_node_new(GB_NODE_FOOTNOTE, loc);
		size_t off = definition_offset(c->file, cmark_node_get_start_line(n));
		g->text = label_at(c->file, off);
		if (g->text)
			g->loc = gb_loc_at(c->file, off);
		g_ptr_array_add(c->footnotes, g);
		return g;
	}
	case CMARK_NODE_TEXT:
		g = gb_node_new(GB_NODE_TEXT, loc);
		set_string(&g->text, cmark_node_get_literal(n));
		/* a tab in prose is a space, as in HTML: no tab stops in a
		   paragraph (one would widen a line past the margin); so are
		   a line feed, carriage return and form feed that a character
		   reference put there (foo&#10;bar) */
		if (g->text) {
			g_strdelimit(g->text, "\t\n\r\f", ' ');
			control_refs(c, g);
		}
		return g;
	case CMARK_NODE_SOFTBREAK:
		return gb_node_new(GB_NODE_SOFTBREAK, loc);
	case CMARK_NODE_LINEBREAK:
		return gb_node_new(GB_NODE_LINEBREAK, loc);
	case CMARK_NODE_CODE:
		/* cmark points inside the backticks: point at the first one */
		if (loc.off != GB_NOPOS && loc.off > 1 &&
		    c->file->data[loc.off - 1] == ' ' &&
		    c->file->data[loc.off - 2] == '`')
			loc.off--;  /* `` `a` ``: a space may pad the code */
		while (loc.off != GB_NOPOS && loc.off > 0 &&
		       c->file->data[loc.off - 1] == '`')
			loc.off--;
		g = gb_node_new(GB_NODE_CODE, loc);
		set_string(&g->text, cmark_node_get_literal(n));
		return g;
	case CMARK_NODE_EMPH:
		return gb_node_new(GB_NODE_EMPH, loc);
	case CMARK_NODE_STRONG:
		return gb_node_new(GB_NODE_STRONG, loc);
	case CMARK_NODE_LINK:
		g = gb_node_new(GB_NODE_LINK, loc);
		set_string(&g->url, cmark_node_get_url(n));
		if (cmark_node_get_title(n) && *cmark_node_get_title(n))
			g->title = gb_quotes_string(cmark_node_get_title(n), c->lang);
		if (!g->url || !*g->url)
			gb_warning(c->d, loc, "link has no target");
		else
			check_link(c, g);
		return g;
	case CMARK_NODE_IMAGE: {
		g = gb_node_new(GB_NODE_IMAGE, loc);
		set_string(&g->url, cmark_node_get_url(n));
		/* a title is text (a figure's caption): cmark leaves it as
		   written */
		if (cmark_node_get_title(n) && *cmark_node_get_title(n))
			g->title = gb_quotes_string(cmark_node_get_title(n), c->lang);
		GString *alt = g_string_new(NULL);
		cm_plain_text(n, alt);
		g->text = g_string_free(alt, FALSE);
		check_image(c, g);
		return g;
	}
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		g = gb_node_new(GB_NODE_NOTEREF, loc);
		/* cmark gives the note's index; the label is in the source */
		set_string(&g->label, cmark_node_get_literal(n));
		g->text = label_at(c->file, loc.off);
		g_ptr_array_add(c->noterefs, g);
		return g;
	default:
		break;
	}
	if (is_type(n, "strikethrough"))
		return gb_node_new(GB_NODE_STRIKE, loc);
	if (is_type(n, "table")) {
		g = gb_node_new(GB_NODE_TABLE, loc);
		g->number = cmark_gfm_extensions_get_table_columns(n);
		return g;
	}
	if (is_type(n, "table_header") || is_type(n, "table_row")) {
		g = gb_node_new(GB_NODE_TABLE_ROW, loc);
		g->header = cmark_gfm_extensions_get_table_row_is_header(n);
		return g;
	}
	if (is_type(n, "table_cell")) {
		g = gb_node_new(GB_NODE_TABLE_CELL, loc);
		cmark_node *row = cmark_node_parent(n);
		cmark_node *table = row ? cmark_node_parent(row) : NULL;
		int col = 0;
		for (cmark_node *p = cmark_node_previous(n); p; p = cmark_node_previous(p))
			col++;
		uint8_t *al = table ? cmark_gfm_extensions_get_table_alignments(table) : NULL;
		int ncols = table ? cmark_gfm_extensions_get_table_columns(table) : 0;
		if (al && col < ncols) {
			g->align = al[col] == 'l' ? GB_ALIGN_LEFT :
				   al[col] == 'c' ? GB_ALIGN_CENTER :
				   al[col] == 'r' ? GB_ALIGN_RIGHT : GB_ALIGN_NONE;
		}
		return g;
	}
	gb_error(c->d, loc, "unsupported Markdown element '%s'",
		 cmark_node_get_type_string(n));
	return NULL;
}

/*
 * cmark keeps no position for line breaks: a break is where the line of
 * the node before it ends.
 */
static void place_break(const parse_ctx *c, gb_node *g)
{
	const gb_node *prev = g->prev;
	if (!prev || prev->loc.off == GB_NOPOS)
		return;
	const char *nl = memchr(c->file->data + prev->loc.off, '\n',
				c->file->len - prev->loc.off);
	g->loc.off = nl ? (size_t)(nl - c->file->data) : c->file->len;
	if (g->kind == GB_NODE_LINEBREAK) {
		/* at the backslash or the first of the trailing spaces */
		size_t off = g->loc.off;
		if (off > 0 && c->file->data[off - 1] == '\r')
			off--;
		if (off > 0 && c->file->data[off - 1] == '\\')
			off--;
		else
			while (off > 0 && c->file->data[off - 1] == ' ')
				off--;
		g->loc.off = off;
	}
}

/* Whether n nests: a block quote or a list. */
static bool nests(const gb_node *n)
{
	return n->kind == GB_NODE_BLOCKQUOTE || n->kind == GB_NODE_LIST;
}

/*
 * Converts the children of cmark node from into children of to, without
 * recursion: cmark allows deep nesting (of which GB_MAX_NESTING levels of
 * lists and block quotes are kept).
 */

static void convert_tree(parse_ctx *c, cmark_node *from, gb_node *to)
{
	cmark_node *cur = cmark_node_first_child(from);
	gb_node *parent = to;
	int depth = 0;          /* block quotes and lists around parent */
	bool too_deep = false;  /* reported */
	while (cur) {
		/* past the book's elements, nothing more is converted (not
		   converted, not dropped: notes and references are listed as
		   they are made), once reported */
		gb_node *g = NULL;
		if (*c->elements < GB_MAX_ELEMENTS)
			g = convert_node(c, cur);
		else if ((*c->elements)++ == GB_MAX_ELEMENTS)
			gb_error(c->d, cm_loc(c, cur), "the book holds more than %d elements "
				 "(paragraphs, emphasis, links, items...), the most a "
				 "book may hold: this one is past it", GB_MAX_ELEMENTS);
		bool descend = false;
		if (g && nests(g) && depth >= GB_MAX_NESTING) {
			/* deeper nesting is left out, once reported: no page
			   is that wide, and no reader shows it */
			if (!too_deep)
				gb_error(c->d, g->loc, "lists and block quotes are nested "
					 "more than %d deep here", GB_MAX_NESTING);
			too_deep = true;
			gb_node_free(g);
			g = NULL;
		}
		if (g) {
			++*c->elements;
			gb_node_append(parent, g);
			if (g->loc.off == GB_NOPOS)
				place_break(c, g);
			/* an image's alt text is kept as text, not as nodes */
			descend = g->kind != GB_NODE_IMAGE &&
				  cmark_node_first_child(cur) != NULL;
		}
		if (descend) {
			parent = g;
			depth += nests(g);
			cur = cmark_node_first_child(cur);
			continue;
		}
		while (cur && !cmark_node_next(cur)) {
			cur = cmark_node_parent(cur);
			if (cur == from) {
				cur = NULL;
				break;
			}
			depth -= nests(parent);
			parent = parent->parent;
		}
		if (cur)
			cur = cmark_node_next(cur);
	}
}

/* ---- footnotes ---- */

/*
 * Links each reference to its note, by the index cmark gave it.  complete:
 * every note of the part was converted (not cut at the book's size limit),
 * so a reference without its note is an error, never dropped in silence.
 */
static void link_noterefs(parse_ctx *c, bool complete)
{
	for (guint i = 0; i < c->noterefs->len; i++) {
		gb_node *ref = g_ptr_array_index(c->noterefs, i);
		guint64 ix = 0;
		if (ref->label && c->footnotes->len &&
		    g_ascii_string_to_unsigned(ref->label, 10, 1, c->footnotes->len, &ix, NULL)) {
			ref->target = g_ptr_array_index(c->footnotes, ix - 1);
			ref->target->refs++;
		}
		if (!ref->target && complete)
			gb_error(c->d, ref->loc, "footnote reference %s lost its note "
				 "(cmark numbered it '%s' of %u notes): this is a bug, "
				 "please report it with the book",
				 ref->text ? ref->text : "", ref->label ? ref->label : "",
				 c->footnotes->len);
		g_clear_pointer(&ref->label, g_free);  /* numbered by resolve */
		if (!ref->target) {
			/* its note was past the book's elements, not converted */
			gb_node_unlink(ref);
			gb_node_free(ref);
			c->noterefs->pdata[i] = NULL;
		}
	}
}

/* A footnote reference "[^x]" that cmark left as text: x is undefined. */
static void undefined_refs_in(parse_ctx *c, const gb_node *text)
{
	const char *s = text->text;
	for (const char *p = strstr(s, "[^"); p; p = strstr(p + 2, "[^")) {
		size_t n = strcspn(p + 2, "] \t\n");
		if (!n || p[2 + n] != ']')
			continue;
		char *ref = g_strndup(p, n + 3);
		/* find it in the source, where an escaped one is "\[^x]" */
		size_t off = text->loc.off;
		const gb_file *f = c->file;
		bool escaped = false;
		if (off != GB_NOPOS) {
			const char *found = g_strstr_len(f->data + off,
				(gssize)MIN(f->len - off, 4096), ref);
			if (found) {
				off = (size_t)(found - f->data);
				escaped = off > 0 && f->data[off - 1] == '\\';
			}
		}
		if (!escaped)
			gb_error(c->d, gb_loc_at(f, off),
				 "footnote %s is never defined", ref);
		g_free(ref);
	}
}

static bool undefined_refs_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && n->kind == GB_NODE_TEXT)
		undefined_refs_in(ctx, n);
	return true;
}

/*
 * cmark drops the definitions of notes that nothing references.  They are
 * found on the lines that no block of the document covers: such a line that
 * starts "[^label]:" is a definition cmark took out.
 */
static void unreferenced_notes(parse_ctx *c, cmark_node *doc)
{
	const gb_file *f = c->file;
	guint8 *covered = g_new0(guint8, f->nlines + 2);
	for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
		int from = cmark_node_get_start_line(b);
		int to = cmark_node_get_end_line(b);
		for (int l = MAX(from, 1); l <= to && (size_t)l <= f->nlines; l++)
			covered[l] = 1;
	}
	for (size_t l = 1; l <= f->nlines; l++) {
		if (covered[l])
			continue;
		size_t off = definition_offset(f, (int)l);
		char *label = label_at(f, off);
		size_t n = label ? strlen(label) : 0;
		if (label && off + n + 3 < f->len + 1 && f->data[off + n + 3] == ':')
			gb_error(c->d, gb_loc_at(f, off),
				 "footnote [^%s] is defined but never referenced",
				 label);
		g_free(label);
	}
	g_free(covered);
}

/* ---- conventions on top of CommonMark ---- */

static bool is_blank(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isspace(*s))
			return false;
	return true;
}

/*
 * A paragraph holding one image (and blanks) becomes a figure.  The tree is
 * changed under the walk only below the node being entered, which the walk
 * then skips.
 */
static bool figure_fn(const gb_node *node, bool entering, void *ctx)
{
	(void)ctx;
	if (!entering || node->kind != GB_NODE_PARAGRAPH)
		return entering && !gb_node_is_inline(node);
	gb_node *b = (gb_node *)node;
	gb_node *img = NULL;
	bool only = true;
	for (gb_node *i = b->first; i; i = i->next) {
		if (i->kind == GB_NODE_IMAGE && !img)
			img = i;
		else if (!(i->kind == GB_NODE_TEXT && is_blank(i->text)) &&
			 i->kind != GB_NODE_SOFTBREAK)
			only = false;
	}
	if (!img || !only)
		return false;
	b->kind = GB_NODE_FIGURE;
	gb_node_unlink(img);
	while (b->first)
		gb_node_free(b->first);
	gb_node_append(b, img);
	if (img->title) {
		/* point at the title in the source, if it is written as is */
		gb_loc at = img->loc;
		if (at.off != GB_NOPOS) {
			const gb_file *f = at.file;
			const char *nl = memchr(f->data + at.off, '\n', f->len - at.off);
			size_t end = nl ? (size_t)(nl - f->data) : f->len;
			const char *found = g_strstr_len(f->data + at.off,
				(gssize)(end - at.off), img->title);
			if (found)
				at.off = (size_t)(found - f->data);
		}
		gb_node *cap = gb_node_new(GB_NODE_CAPTION, at);
		gb_node *t = gb_node_new(GB_NODE_TEXT, at);
		t->text = g_strdup(img->title);
		gb_node_append(cap, t);
		gb_node_append(b, cap);
	}
	return false;
}

/* Whether p is a paragraph starting "Table: ". */
static bool is_caption_paragraph(const gb_node *p)
{
	return p && p->kind == GB_NODE_PARAGRAPH && p->first &&
	       p->first->kind == GB_NODE_TEXT &&
	       g_str_has_prefix(p->first->text, "Table: ");
}

/*
 * A "Table: " paragraph next to a table moves into it as its caption.  The
 * walk is on the table; the paragraph moved is its sibling, which the walk
 * has either passed or not reached (it then goes to the new next sibling).
 */
static bool caption_fn(const gb_node *node, bool entering, void *ctx)
{
	parse_ctx *c = ctx;
	if (!entering || node->kind != GB_NODE_TABLE)
		return entering && !gb_node_is_inline(node) &&
		       node->kind != GB_NODE_PARAGRAPH &&
		       node->kind != GB_NODE_HEADING;
	gb_node *b = (gb_node *)node;
	gb_node *p = is_caption_paragraph(b->next) ? b->next :
		     is_caption_paragraph(b->prev) ? b->prev : NULL;
	if (!p) {
		gb_warning(c->d, b->loc,
			   "table has no caption: add a paragraph 'Table: ...' after it");
		return false;
	}
	gb_node_unlink(p);
	p->kind = GB_NODE_CAPTION;
	gb_node *t = p->first;
	memmove(t->text, t->text + 7, strlen(t->text + 7) + 1);
	if (t->loc.off != GB_NOPOS)
		t->loc.off += 7;
	if (!*t->text)
		gb_node_free(t);
	if (!p->first) {
		gb_error(c->d, p->loc, "table caption is empty");
		gb_node_free(p);
		return false;
	}
	/* the caption comes first in the table */
	if (b->first)
		gb_node_insert_before(b->first, p);
	else
		gb_node_append(b, p);
	return false;
}

/* Paragraphs before a part's first heading are its standfirst. */
static void make_standfirst(gb_node *part)
{
	gb_node *b = part->first;
	while (b && b->kind == GB_NODE_PARAGRAPH)
		b = b->next;
	if (!b || b == part->first || b->kind != GB_NODE_HEADING)
		return;
	gb_node *sf = gb_node_new(GB_NODE_STANDFIRST, part->first->loc);
	gb_node_insert_before(part->first, sf);
	while (sf->next != b) {
		gb_node *p = sf->next;
		gb_node_unlink(p);
		gb_node_append(sf, p);
	}
}

static bool has_text(const gb_node *h)
{
	GString *s = g_string_new(NULL);
	gb_node_plain_text(h, s);
	bool r = !is_blank(s->str);
	g_string_free(s, TRUE);
	return r || (h->first && h->first->kind != GB_NODE_TEXT);
}

static void check_headings(parse_ctx *c, gb_node *part)
{
	int prev = 0;
	gb_node *title = NULL;
	bool misplaced = false;  /* the first heading is not level 1 */
	for (gb_node *b = part->first; b; b = b->next) {
		if (b->kind != GB_NODE_HEADING)
			continue;
		if (!has_text(b))
			gb_error(c->d, b->loc,
				 "heading is empty: write its title after the '#' marks");
		if (!prev && b->level != 1) {
			misplaced = true;
			gb_error(c->d, b->loc,
				 "the first heading of a part is its title, at level 1 ('# Title'), not level %d",
				 b->level);
		} else if (prev && b->level > prev + 1)
			gb_error(c->d, b->loc,
				 "heading level %d skips level %d: it follows a level-%d heading",
				 b->level, prev + 1, prev);
		if (!title && b->level == 1)
			title = b;
		prev = b->level;
	}
	part->target = title;
	if (!title && !misplaced && (part->part_kind == GB_PART_CHAPTER ||
		       part->part_kind == GB_PART_APPENDIX))
		gb_error(c->d, gb_loc_at(c->file, 0),
			 "%s '%s' has no title: start it with a level-1 heading ('# Title')",
			 gb_part_kind_name(part->part_kind), c->src->file);
}

/*
 * Whether f may hold what smart punctuation changes: a quote, "--" or
 * ".." (else the part is parsed once: a heading's text is as written).
 */
static bool has_double(const char *s, size_t n, char ch)
{
	for (const char *p = memchr(s, ch, n); p && p + 1 < s + n;
	     p = memchr(p + 1, ch, (size_t)(s + n - p - 1)))
		if (p[1] == ch)
			return true;
	return false;
}

static bool smart_source(const gb_file *f)
{
	return memchr(f->data, '\'', f->len) || memchr(f->data, '"', f->len) ||
	       has_double(f->data, f->len, '-') || has_double(f->data, f->len, '.');
}

/*
 * A part's source read by libcmark-gfm, with GitHub's tables, notes,
 * strikethrough (two tildes only: "H~2~O" is pandoc's subscript) and task
 * lists.
 */
static cmark_node *parse_markdown(const gb_file *f, int options)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_SOURCEPOS |
						CMARK_OPT_FOOTNOTES |
						CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE | options);
	static const char *const extensions[] = { "table", "strikethrough", "tasklist" };
	for (size_t i = 0; i < G_N_ELEMENTS(extensions); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, f->data, f->len);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

gb_node *gb_parse_part(const gb_book *book, const gb_part_src *src,
		       const gb_file *f, size_t *elements, gb_diag *d)
{
	parse_ctx c = {
		.book = book, .src = src, .file = f, .d = d, .elements = elements,
		.footnotes = g_ptr_array_new(), .noterefs = g_ptr_array_new(),
	};
	char *dir = g_path_get_dirname(src->file);
	c.base = strcmp(dir, ".") ? dir : NULL;

	gb_node *part = gb_node_new(GB_NODE_PART, gb_loc_at(f, 0));
	part->part_kind = src->kind;
	part->file = f;
	part->text = g_strdup(src->file);
	part->lang = g_strdup(src->lang ? src->lang : book->meta.lang);
	/* book.yaml's short-title: the running head of the file's first part */
	part->title = g_strdup(src->short_title);

	c.lang = part->lang;
	c.headings = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	c.attrs = g_hash_table_new_full(NULL, NULL, NULL, gb_ps_heading_attrs_free);
	c.deflist_lines = g_hash_table_new(NULL, NULL);
	cmark_node *doc = parse_markdown(f, CMARK_OPT_SMART);
	/* the text parsed again without the headings' attribute blocks */
	gb_file stripped = *f;
	stripped.data = gb_ps_strip_heading_attrs(&c, doc);
	/* and without the fenced divs' fences (divs.c) */
	stripped.data = gb_ps_strip_div_fences(&c, doc, stripped.data);
	if (stripped.data) {
		cmark_node_free(doc);
		doc = parse_markdown(&stripped, CMARK_OPT_SMART);
	} else {
		stripped.data = f->data;
	}
	/* ... and with pandoc's definition markers made bullets (again for
	   each level of lists in definitions, a few at most) */
	char *marked;
	for (int pass = 0; pass < GB_MAX_NESTING &&
	     (marked = gb_ps_mark_deflists(&c, doc, stripped.data)); pass++) {
		if (stripped.data != f->data)
			g_free(stripped.data);
		stripped.data = marked;
		cmark_node_free(doc);
		doc = parse_markdown(&stripped, CMARK_OPT_SMART);
	}
	/* and without the images' attribute blocks (in definitions too) */
	char *no_image_attrs = gb_ps_strip_image_attrs(&c, doc, stripped.data);
	if (no_image_attrs) {
		if (stripped.data != f->data)
			g_free(stripped.data);
		stripped.data = no_image_attrs;
		cmark_node_free(doc);
		doc = parse_markdown(&stripped, CMARK_OPT_SMART);
	}
	f = &stripped;
	/* quotes, dashes and ellipses as cmark made them, then each quote
	   paired and set as the part's language has it (quotes.h): cmark
	   made them from the quotes, "--" and "..." of the text parsed
	   without smart punctuation */
	if (smart_source(f)) {
		cmark_node *plain = parse_markdown(f, CMARK_OPT_DEFAULT);
		gb_quotes_apply(doc, plain, part->lang, c.headings);
		cmark_node_free(plain);
	}

	convert_tree(&c, doc, part);
	gb_ps_apply_image_attrs(&c, part);
	/* the HTML that Markdown carries: elements, or errors */
	gb_ps_html(&c, part);
	link_noterefs(&c, *elements <= GB_MAX_ELEMENTS);
	if (*elements <= GB_MAX_ELEMENTS) {
		/* (past the limit, notes and their references are cut apart) */
		gb_node_walk(part, undefined_refs_fn, &c);
		unreferenced_notes(&c, doc);
	}
	/* citations, TeX math and grid tables: errors, not text */
	gb_ps_refuse_unsupported(&c, part);
	/* pandoc's definition lists, from the bullets their markers became */
	gb_ps_make_deflists(&c, part);
	/* pandoc's inline notes, superscripts and subscripts */
	gb_ps_make_inline_notes(&c, part);
	gb_ps_make_spans(&c, part);
	gb_ps_make_scripts(&c, part);
	/* pandoc's fenced divs and line blocks */
	gb_ps_make_divs(&c, part);
	gb_ps_make_line_blocks(&c, part);
	/* an image alone is a figure, never part of a standfirst */
	gb_node_walk(part, figure_fn, NULL);
	make_standfirst(part);
	gb_node_walk(part, caption_fn, &c);
	check_headings(&c, part);

	cmark_node_free(doc);
	g_hash_table_destroy(c.headings);
	g_hash_table_destroy(c.attrs);
	gb_ps_div_fences_free(&c);
	g_hash_table_destroy(c.deflist_lines);
	if (stripped.data != c.file->data)
		g_free(stripped.data);
	g_ptr_array_free(c.footnotes, TRUE);
	g_ptr_array_free(c.noterefs, TRUE);
	g_free(dir);
	return part;
}

void gb_ps_check_image(parse_ctx *c, gb_node *img)
{
	check_image(c, img);
}
