/* attrs.c - pandoc's attribute blocks '{#id .class key=value}' (one reader
   for every construct that takes them), and the heading attributes
   '# Title {#id .class .unnumbered .unlisted}' and '{-}', read from the
   part's text (ps.h). */
#include "source/ps.h"

#include <string.h>

void gb_ps_heading_attrs_free(gpointer p)
{
	heading_attrs *a = p;
	g_free(a->id);
	g_free(a->classes);
	g_free(a);
}

/* pandoc's identifier characters: letters and digits of any script, -_:. */
static size_t attr_name(const char *s, const char *end, bool letter_first)
{
	const char *p = s;
	while (p < end) {
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2)
			break;
		bool ok = p == s && letter_first ? g_unichar_isalpha(u) :
			  g_unichar_isalnum(u) || (u && strchr("-_:.", (int)u));
		if (!ok)
			break;
		p = g_utf8_next_char(p);
	}
	return (size_t)(p - s);
}

void gb_ps_attrs_init(gb_ps_attrs *a)
{
	memset(a, 0, sizeof *a);
	a->classes = g_ptr_array_new_with_free_func(g_free);
	a->keys = g_ptr_array_new_with_free_func(g_free);
	a->values = g_ptr_array_new_with_free_func(g_free);
}

void gb_ps_attrs_clear(gb_ps_attrs *a)
{
	g_free(a->id);
	if (a->classes)
		g_ptr_array_free(a->classes, TRUE);
	if (a->keys)
		g_ptr_array_free(a->keys, TRUE);
	if (a->values)
		g_ptr_array_free(a->values, TRUE);
	memset(a, 0, sizeof *a);
}

bool gb_ps_attrs_has_class(const gb_ps_attrs *a, const char *cls)
{
	for (guint i = 0; a->classes && i < a->classes->len; i++)
		if (!strcmp(g_ptr_array_index(a->classes, i), cls))
			return true;
	return false;
}

const char *gb_ps_attrs_value(const gb_ps_attrs *a, const char *key)
{
	const char *v = NULL;
	for (guint i = 0; a->keys && i < a->keys->len; i++)
		if (!strcmp(g_ptr_array_index(a->keys, i), key))
			v = g_ptr_array_index(a->values, i);
	return v;  /* the last, as pandoc keeps it */
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

bool gb_ps_read_attrs(const char *s, const char *end, gb_ps_attrs *a,
		      bool *two_ids)
{
	const char *p = s;
	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return true;
		size_t n;
		if (*p == '#' && (n = attr_name(p + 1, end, false)) > 0) {
			if (two_ids)
				*two_ids |= a->id != NULL;
			g_free(a->id);
			a->id = g_strndup(p + 1, n);
			p += 1 + n;
		} else if (*p == '.' && (n = attr_name(p + 1, end, true)) > 0) {
			g_ptr_array_add(a->classes, g_strndup(p + 1, n));
			p += 1 + n;
		} else if (*p == '-' && (p + 1 == end || is_space(p[1]))) {
			g_ptr_array_add(a->classes, g_strdup("unnumbered"));
			p++;
		} else if ((n = attr_name(p, end, true)) > 0 && p + n < end && p[n] == '=') {
			char *key = g_strndup(p, n);
			GString *v = g_string_new(NULL);
			p += n + 1;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;
				while (p < end && *p != q) {
					if (*p == '\\' && p + 1 < end)
						p++;
					g_string_append_c(v, *p++);
				}
				bool closed = p < end;
				p += closed;
				if (!closed) {
					g_free(key);
					g_string_free(v, TRUE);
					return false;
				}
			} else {
				while (p < end && !is_space(*p) && *p != '"' && *p != '\'')
					g_string_append_c(v, *p++);
				if (!v->len) {
					g_free(key);
					g_string_free(v, TRUE);
					return false;
				}
			}
			g_ptr_array_add(a->keys, key);
			g_ptr_array_add(a->values, g_string_free(v, FALSE));
		} else {
			return false;
		}
		if (p < end && !is_space(*p))
			return false;
	}
}

/*
 * Reads the heading attribute block between '{' and '}' (s to end, without
 * the braces) into h; false when pandoc would not read it as attributes
 * (it is then text).
 */
static bool read_heading_attrs(const char *s, const char *end, heading_attrs *h,
			       bool *two_ids)
{
	gb_ps_attrs a;
	gb_ps_attrs_init(&a);
	bool ok = gb_ps_read_attrs(s, end, &a, two_ids);
	if (ok) {
		GString *classes = g_string_new(NULL);
		for (guint i = 0; i < a.classes->len; i++) {
			const char *cls = g_ptr_array_index(a.classes, i);
			if (!strcmp(cls, "unnumbered"))
				h->unnumbered = true;
			else if (!strcmp(cls, "unlisted"))
				h->unlisted = true;
			else
				g_string_append_printf(classes, "%s%s", classes->len ? " " : "", cls);
		}
		h->id = g_steal_pointer(&a.id);
		h->classes = classes->len ? g_string_free(classes, FALSE) :
			     (g_string_free(classes, TRUE), NULL);
	}
	gb_ps_attrs_clear(&a);
	return ok;
}

/*
 * Finds an attribute block at the end of the 1-based line of data (a
 * heading's last line; atx: it may end in closing '#'s), records it in
 * c->attrs under first (the heading's first line) and blanks it in data
 * (a copy of the file: columns stay where they are).
 */
static void heading_attrs_at(parse_ctx *c, char *data, int line, int first,
			     bool atx)
{
	const gb_file *f = c->file;
	size_t ls = gb_file_offset(f, line, 1), le = ls;
	while (le < f->len && data[le] != '\n' && data[le] != '\r')
		le++;
	size_t e = le;
	while (e > ls && (data[e - 1] == ' ' || data[e - 1] == '\t'))
		e--;
	if (atx) {
		size_t h = e;
		while (h > ls && data[h - 1] == '#')
			h--;
		if (h < e && h > ls && (data[h - 1] == ' ' || data[h - 1] == '\t')) {
			e = h;
			while (e > ls && (data[e - 1] == ' ' || data[e - 1] == '\t'))
				e--;
		}
	}
	if (e == ls || data[e - 1] != '}')
		return;
	size_t open = e - 1;
	while (open > ls && data[open] != '{')
		open--;
	if (data[open] != '{')
		return;
	size_t bs = 0;
	while (open - bs > ls && data[open - bs - 1] == '\\')
		bs++;
	if (bs % 2)
		return;  /* '\{': text */
	if (open > ls && data[open - 1] == ']' &&
	    !(open - 1 > ls && data[open - 2] == '\\'))
		return;  /* '[text]{.smallcaps}': a span's (spans.c), as pandoc
			    reads the span before the heading's end */
	heading_attrs *a = g_new0(heading_attrs, 1);
	bool two_ids = false;
	if (!read_heading_attrs(data + open + 1, data + e - 1, a, &two_ids)) {
		gb_ps_heading_attrs_free(a);
		return;  /* pandoc reads it as text */
	}
	a->off = open;
	if (two_ids)
		gb_error(c->d, gb_loc_at(f, open),
			 "heading attributes give two ids: write one '#id'");
	size_t from = open;
	while (from > ls && (data[from - 1] == ' ' || data[from - 1] == '\t'))
		from--;
	memset(data + from, ' ', e - from);
	g_hash_table_replace(c->attrs, GINT_TO_POINTER(first), a);
}

/*
 * The line of a setext heading's underline ('===' or '---'), between
 * lines first + 1 and last, or 0 for an atx heading ('# Title').
 */
static int setext_underline(const gb_file *f, int first, int last)
{
	for (int l = first + 1; l <= last; l++) {
		size_t p = gb_file_offset(f, l, 1);
		while (p < f->len && (f->data[p] == ' ' || f->data[p] == '\t' || f->data[p] == '>'))
			p++;
		char ch = p < f->len ? f->data[p] : 0;
		if (ch != '=' && ch != '-')
			continue;
		while (p < f->len && f->data[p] == ch)
			p++;
		while (p < f->len && (f->data[p] == ' ' || f->data[p] == '\t'))
			p++;
		if (p >= f->len || f->data[p] == '\n' || f->data[p] == '\r')
			return l;
	}
	return 0;
}

/*
 * Reads the attribute blocks of doc's headings into c->attrs.  Returns
 * the file's text without them (the caller frees it), or NULL when no
 * heading has one.
 */
char *gb_ps_strip_heading_attrs(parse_ctx *c, cmark_node *doc)
{
	char *data = NULL;
	if (!memchr(c->file->data, '}', c->file->len))
		return NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		int first = cmark_node_get_start_line(n);
		int under = setext_underline(c->file, first, cmark_node_get_end_line(n));
		if (!data)
			data = g_strndup(c->file->data, c->file->len);
		heading_attrs_at(c, data, under ? under - 1 : first, first, !under);
	}
	cmark_iter_free(it);
	if (data && !g_hash_table_size(c->attrs)) {
		g_free(data);
		data = NULL;
	}
	return data;
}
