/*
 * deflist.c - pandoc's definition lists (ps.h):
 *
 *   Term *with markup*
 *   :   A definition: its first block on the marker's line, the others
 *       indented four spaces (or a tab).
 *
 *       A second paragraph of the same definition.
 *   ~   A second definition of the same term.
 *
 * libcmark-gfm does not know them.  Its first tree of the part says which
 * lines are paragraphs (never code, HTML or a fence's contents); there
 * each definition marker (':' or '~', indented 0-2 spaces, then a space or
 * a tab) that follows a term, as pandoc's manual has it, is made a '+'
 * bullet in a copy of the part's text, which cmark parses again: the
 * definition's body is then that bullet's item, its blocks parsed as
 * Markdown in their own right, every position where it is in the source
 * (one character changed, on the same column).  The paragraphs
 * that are terms and the lists of those items then become DEFLIST,
 * DEF_TERM and DEF_DESC nodes.
 *
 * A term is one line: the first of a paragraph whose next line is a
 * marker (a compact definition), or a paragraph of one line followed by
 * one blank line and a marker.  After a definition, a line indented four
 * spaces is its next block, a marker its term's next definition, and a
 * term with its definitions the list's next entry.  A marker with no term
 * before it is text, as pandoc reads it.  Lists are found in the part's
 * block quotes and lists' items too (past their '>' and indents), and in
 * definitions: a definition's body is code to cmark until its marker is a
 * bullet, so the part is parsed again while a pass finds new markers.
 */
#include "source/ps.h"

#include <string.h>

/*
 * Where the text of container (the document, a block quote, a list's
 * item) begins on 1-based line of data: past the '>' of its block quotes
 * and its items' indents.  GB_NOPOS when the line lacks one (a lazy line).
 */
static size_t content_start(const parse_ctx *c, const char *data, int line,
			    cmark_node *container)
{
	const gb_file *f = c->file;
	if (line < 1 || (size_t)line > f->nlines)
		return GB_NOPOS;
	cmark_node *chain[4 * GB_MAX_NESTING];
	int n = 0;
	for (cmark_node *p = container; p && cmark_node_get_type(p) != CMARK_NODE_DOCUMENT;
	     p = cmark_node_parent(p)) {
		if (n == (int)G_N_ELEMENTS(chain))
			return GB_NOPOS;
		chain[n++] = p;
	}
	size_t bol = gb_file_offset(f, line, 1), p = bol;
	for (int i = n - 1; i >= 0; i--) {
		if (cmark_node_get_type(chain[i]) == CMARK_NODE_BLOCK_QUOTE) {
			size_t s = p;
			while (p < f->len && data[p] == ' ' && p - s < 3)
				p++;
			if (p >= f->len || data[p] != '>')
				return GB_NOPOS;
			p++;
			if (p < f->len && data[p] == ' ')
				p++;
		} else if (cmark_node_get_type(chain[i]) == CMARK_NODE_ITEM) {
			cmark_node *first = cmark_node_first_child(chain[i]);
			if (!first || cmark_node_get_start_column(first) < 1)
				return GB_NOPOS;
			size_t want = bol + (size_t)cmark_node_get_start_column(first) - 1;
			while (p < want && p < f->len && data[p] == ' ')
				p++;
			if (p != want)
				return GB_NOPOS;
		}
	}
	return p;
}

/*
 * The offset of a definition's marker on a line whose container's text
 * begins at from (content_start), or GB_NOPOS.
 */
static size_t marker_at(const gb_file *f, const char *data, size_t from)
{
	if (from == GB_NOPOS)
		return GB_NOPOS;
	size_t p = from;
	while (p < f->len && data[p] == ' ' && p - from < 2)
		p++;
	if (p + 1 >= f->len || (data[p] != ':' && data[p] != '~'))
		return GB_NOPOS;
	if (data[p + 1] != ' ' && data[p + 1] != '\t')
		return GB_NOPOS;
	/* and a definition after it */
	size_t q = p + 1;
	while (q < f->len && (data[q] == ' ' || data[q] == '\t'))
		q++;
	if (q >= f->len || data[q] == '\n' || data[q] == '\r')
		return GB_NOPOS;
	return p;
}

static bool is_para(cmark_node *n)
{
	return n && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH;
}

/* An indented code block: to pandoc, the next block of a definition. */
static bool is_indented_code(cmark_node *n)
{
	int length = 0, offset = 0;
	char ch = 0;
	return cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK &&
	       !cmark_node_get_fenced(n, &length, &offset, &ch);
}

/* What deflist_lines records of a line: its kind, and for a marker the
   marker's offset as written (GSIZE_TO_POINTER(offset << 2 | kind)). */
enum { LINE_TERM = 1, LINE_MARKER = 2, LINE_MARKER_AFTER_BLANK = 3 };

static void record(parse_ctx *c, int line, int kind, size_t off)
{
	g_hash_table_replace(c->deflist_lines, GINT_TO_POINTER(line),
			     GSIZE_TO_POINTER(off << 2 | (size_t)kind));
}

/*
 * Records the marker at m (on line, in a container whose text begins at
 * from) and makes it a '+' in data.  Pandoc takes any spaces after the
 * marker, cmark at most four after a bullet (more begin code): with five
 * or more, the bullet moves right, to one space before the text (at most
 * three spaces in, a bullet's farthest).
 */
static void take_marker(parse_ctx *c, char *data, int line, size_t from,
			size_t m, bool after_blank)
{
	record(c, line, after_blank ? LINE_MARKER_AFTER_BLANK : LINE_MARKER, m);
	size_t t = m + 1;
	while (data[t] == ' ')
		t++;
	if (data[t] != '\t' && t - m > 5) {
		data[m] = ' ';
		m = t - 2 - from > 3 ? from + 3 : t - 2;
	}
	data[m] = '+';
}

/* The markers of paragraph n (in container) from its line from on. */
static void take_markers(parse_ctx *c, char *data, cmark_node *container,
			 cmark_node *n, int from)
{
	int last = cmark_node_get_end_line(n);
	for (int l = from; l <= last; l++) {
		size_t s = content_start(c, data, l, container);
		size_t m = marker_at(c->file, data, s);
		if (m != GB_NOPOS)
			take_marker(c, data, l, s, m, false);
	}
}

/* The definition lists among container's blocks, and in its block quotes
   and lists' items, depth containers deep. */
static void mark_in(parse_ctx *c, char *data, cmark_node *container, int depth)
{
	const gb_file *f = c->file;
	bool in_list = false;   /* the block before continues a definition */
	cmark_node *prev = NULL;
	for (cmark_node *n = cmark_node_first_child(container); n;
	     prev = n, n = cmark_node_next(n)) {
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_BLOCK_QUOTE && depth < GB_MAX_NESTING)
			mark_in(c, data, n, depth + 1);
		for (cmark_node *it = cmark_node_first_child(n);
		     type == CMARK_NODE_LIST && depth < GB_MAX_NESTING && it;
		     it = cmark_node_next(it))
			mark_in(c, data, it, depth + 1);
		if (!is_para(n)) {
			in_list = in_list && is_indented_code(n);
			continue;
		}
		int first = cmark_node_get_start_line(n);
		int last = cmark_node_get_end_line(n);
		size_t s = content_start(c, data, first, container);
		size_t m = marker_at(f, data, s);
		if (first < last &&
		    marker_at(f, data, content_start(c, data, first + 1, container)) != GB_NOPOS) {
			/* Term\n: Definition */
			record(c, first, LINE_TERM, 0);
			take_markers(c, data, container, n, first + 1);
			in_list = true;
		} else if (m != GB_NOPOS &&
			   (in_list || (is_para(prev) &&
					cmark_node_get_start_line(prev) ==
					cmark_node_get_end_line(prev) &&
					cmark_node_get_end_line(prev) == first - 2))) {
			/* Term\n\n: Definition, or the term's next one */
			if (!in_list)
				record(c, cmark_node_get_start_line(prev), LINE_TERM, 0);
			take_marker(c, data, first, s, m, true);
			take_markers(c, data, container, n, first + 1);
			in_list = true;
		} else {
			in_list = false;
		}
	}
}

char *gb_ps_mark_deflists(parse_ctx *c, cmark_node *doc, const char *text)
{
	const gb_file *f = c->file;
	if (!memchr(text, ':', f->len) && !memchr(text, '~', f->len))
		return NULL;
	char *data = g_strndup(text, f->len);
	guint before = g_hash_table_size(c->deflist_lines);
	mark_in(c, data, doc, 0);
	if (g_hash_table_size(c->deflist_lines) == before) {
		g_free(data);
		return NULL;
	}
	return data;
}

static int line_of(const gb_node *n)
{
	int line = 0, col = 0;
	gb_file_linecol(n->loc, &line, &col);
	return line;
}

static int line_kind(const parse_ctx *c, const gb_node *n)
{
	return n ? (int)(GPOINTER_TO_SIZE(g_hash_table_lookup(c->deflist_lines,
							     GINT_TO_POINTER(line_of(n)))) & 3) : 0;
}

/* Moves the children of from to the end of to. */
static void move_children(gb_node *from, gb_node *to)
{
	while (from->first) {
		gb_node *ch = from->first;
		gb_node_unlink(ch);
		gb_node_append(to, ch);
	}
}

/*
 * The items of list that are definitions, from its first, moved into dl
 * as DEF_DESC; list is freed when none is left (a '+' list after them
 * stays a list, after dl).
 */
static void take_definitions(const parse_ctx *c, gb_node *dl, gb_node *list)
{
	while (list->first && line_kind(c, list->first) >= LINE_MARKER) {
		gb_node *item = list->first;
		/* at the marker as written (the bullet may have moved) */
		size_t m = GPOINTER_TO_SIZE(g_hash_table_lookup(c->deflist_lines,
					GINT_TO_POINTER(line_of(item)))) >> 2;
		gb_node *desc = gb_node_new(GB_NODE_DEF_DESC, gb_loc_at(c->file, m));
		move_children(item, desc);
		/* pandoc's compact definition: no blank line before its
		   marker, and one paragraph */
		desc->tight = line_kind(c, item) == LINE_MARKER && desc->first &&
			      desc->first == desc->last &&
			      desc->first->kind == GB_NODE_PARAGRAPH;
		gb_node_append(dl, desc);
		gb_node_unlink(item);
		gb_node_free(item);
	}
	if (!list->first) {
		gb_node_unlink(list);
		gb_node_free(list);
	}
}

/* The definition lists among container's blocks, and in its block quotes,
   lists' items and definitions. */
static void make_in(parse_ctx *c, gb_node *container)
{
	gb_node *dl = NULL;     /* the list that the next entry joins */
	gb_node *g = container->first;
	while (g) {
		gb_node *next = g->next;
		bool term = g->kind == GB_NODE_PARAGRAPH && line_kind(c, g) == LINE_TERM &&
			    next && next->kind == GB_NODE_LIST &&
			    line_kind(c, next->first) >= LINE_MARKER;
		bool more = dl && g->prev == dl && g->kind == GB_NODE_LIST &&
			    line_kind(c, g->first) >= LINE_MARKER;
		if (!term && !more) {
			dl = NULL;
			g = next;
			continue;
		}
		if (!dl) {
			dl = gb_node_new(GB_NODE_DEFLIST, g->loc);
			gb_node_insert_before(g, dl);
		}
		gb_node *list = g;
		if (term) {
			gb_node *dt = gb_node_new(GB_NODE_DEF_TERM, g->loc);
			move_children(g, dt);
			gb_node_append(dl, dt);
			gb_node_unlink(g);
			gb_node_free(g);
			list = next;
		}
		next = list->next;
		take_definitions(c, dl, list);
		g = dl->next;
		if (g != next)
			dl = NULL;  /* a list of its own came after the definitions */
	}
	for (g = container->first; g; g = g->next) {
		if (g->kind == GB_NODE_BLOCKQUOTE)
			make_in(c, g);
		for (gb_node *it = g->first; (g->kind == GB_NODE_LIST ||
					      g->kind == GB_NODE_DEFLIST) && it; it = it->next)
			if (it->kind != GB_NODE_DEF_TERM)
				make_in(c, it);
	}
}

void gb_ps_make_deflists(parse_ctx *c, gb_node *part)
{
	if (g_hash_table_size(c->deflist_lines))
		make_in(c, part);
}
