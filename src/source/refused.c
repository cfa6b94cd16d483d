/* refused.c - pandoc's constructs that gsi-book does not set (citations,
   TeX math, grid tables): each is an error at its place that names it,
   never its marks printed as typed (ps.h). */
#include "source/ps.h"

#include <string.h>

/* Runs of text (gb_ps_run) with their '$', '@', '[' and ']' placed in
   the source and marked when escaped ("\$"). */
static bool esc_at(const gb_ps_run *r, size_t i)
{
	return g_array_index(r->esc, guint8, i);
}

static gb_loc loc_at(const parse_ctx *c, const gb_ps_run *r, size_t i)
{
	return gb_loc_at(c->file, g_array_index(r->off, size_t, i));
}

/* The text from i to j (inclusive) as written (from the source when both
   ends are placed in it), shortened for a message. */
static char *excerpt(const parse_ctx *c, const gb_ps_run *r, size_t i, size_t j)
{
	size_t a = g_array_index(r->off, size_t, i), b = g_array_index(r->off, size_t, j);
	const char *s = r->s->str + i;
	size_t n = j - i + 1;
	if (a != GB_NOPOS && b != GB_NOPOS && a < b && b < c->file->len &&
	    c->file->data[a] == r->s->str[i] && c->file->data[b] == r->s->str[j]) {
		s = c->file->data + a;
		n = b - a + 1;
	}
	GString *o = g_string_new(NULL);
	for (size_t k = 0; k < n; k++)
		if (s[k] == '\n' || s[k] == '\r' || s[k] == '\t')
			o->len && o->str[o->len - 1] == ' ' ? (void)0 : (void)g_string_append_c(o, ' ');
		else
			g_string_append_c(o, s[k]);
	if (g_utf8_strlen(o->str, -1) > 40) {
		const char *cut = g_utf8_offset_to_pointer(o->str, 36);
		g_string_truncate(o, (gsize)(cut - o->str));
		g_string_append(o, "...");
	}
	return g_string_free(o, FALSE);
}

static bool key_char(char ch)
{
	return g_ascii_isalnum(ch) || ch == '_' || (ch & 0x80);
}

/*
 * Pandoc's bracketed citation from the '[' at i: an '@' at the start of a
 * word in the brackets (after '[', a space, ';' or '-'), before a key's
 * first character.  Its ']', or 0.
 */
static size_t citation_end(const gb_ps_run *r, size_t i)
{
	const char *s = r->s->str;
	bool cite = false;
	for (size_t j = i + 1; j < r->s->len; j++) {
		if (s[j] == '[' && !esc_at(r, j))
			return 0;
		if (s[j] == ']' && !esc_at(r, j))
			return cite ? j : 0;
		if (s[j] == '@' && !esc_at(r, j) && j + 1 < r->s->len &&
		    key_char(s[j + 1]) && strchr("[ \n;-", s[j - 1]))
			cite = true;
	}
	return 0;
}

/*
 * Pandoc's TeX math from the '$' at i (tex_math_dollars): "$$...$$", or
 * "$x$" where the opening '$' has a non-space on its right and the
 * closing one a non-space on its left and no digit after it.  The last
 * '$', or 0.
 */
static size_t math_end(const gb_ps_run *r, size_t i)
{
	const char *s = r->s->str;
	size_t n = r->s->len;
	if (i + 1 < n && s[i + 1] == '$') {
		for (size_t j = i + 2; j + 1 < n; j++)
			if (s[j] == '$' && s[j + 1] == '$' && !esc_at(r, j))
				return j > i + 2 ? j + 1 : 0;
		return 0;
	}
	if (i + 1 >= n || g_ascii_isspace(s[i + 1]))
		return 0;
	for (size_t j = i + 1; j < n; j++) {
		if (s[j] != '$' || esc_at(r, j))
			continue;
		if (!g_ascii_isspace(s[j - 1]) && !(j + 1 < n && g_ascii_isdigit(s[j + 1])))
			return j;
	}
	return 0;
}

static void refuse_in_run(const parse_ctx *c, const gb_ps_run *r)
{
	const char *s = r->s->str;
	for (size_t i = 0; i < r->s->len; i++) {
		if (esc_at(r, i))
			continue;
		size_t j;
		if (s[i] == '[' && (j = citation_end(r, i))) {
			char *ex = excerpt(c, r, i, j);
			gb_error(c->d, loc_at(c, r, i),
				 "citation '%s' is not supported: gsi-book keeps no "
				 "bibliography; write the reference out (a footnote), "
				 "or write '\\@' to keep the '@'", ex);
			g_free(ex);
			i = j;
		} else if (s[i] == '$' && (j = math_end(r, i))) {
			char *ex = excerpt(c, r, i, j);
			gb_error(c->d, loc_at(c, r, i),
				 "TeX math '%s' is not supported: write it as text "
				 "(x^2^ and H~2~O set superscripts and subscripts) or "
				 "as a picture, or write '\\$' for a dollar sign", ex);
			g_free(ex);
			i = j;
		}
	}
}

/* "+---+---+" or "+===+:==+": a grid table's rule line, as written (its
   dashes are not yet smart punctuation) */
static bool grid_rule(const gb_file *f, size_t off)
{
	if (off == GB_NOPOS || off >= f->len)
		return false;
	const char *s = f->data + off;
	if (*s++ != '+')
		return false;
	int cells = 0;
	const char *end = f->data + f->len;
	while (s < end && (*s == '-' || *s == '=' || *s == ':')) {
		while (s < end && (*s == '-' || *s == '=' || *s == ':'))
			s++;
		if (s >= end || *s++ != '+')
			return false;
		cells++;
	}
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return cells > 0 && (s == f->data + f->len || *s == '\n' || *s == '\r');
}

static bool refuse_fn(const gb_node *n, bool entering, void *ctx)
{
	const parse_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_CODE_BLOCK)
		return false;
	if (n->kind == GB_NODE_PARAGRAPH && n->first &&
	    n->first->kind == GB_NODE_TEXT && grid_rule(c->file, n->first->loc.off)) {
		gb_error(c->d, n->loc,
			 "grid tables are not supported: write a GitHub table "
			 "('| a | b |' over a '|---|---|' line)");
		return false;
	}
	/* each run of text in an inline container, once */
	for (const gb_node *k = n->first; k;) {
		if (k->kind != GB_NODE_TEXT) {
			k = k->next;
			continue;
		}
		gb_ps_run r;
		gb_ps_run_init(&r);
		for (; k && (k->kind == GB_NODE_TEXT || k->kind == GB_NODE_SOFTBREAK); k = k->next)
			gb_ps_run_add(c, &r, k, "$@[]");
		if (strpbrk(r.s->str, "$@"))
			refuse_in_run(c, &r);
		gb_ps_run_clear(&r);
	}
	return true;
}

void gb_ps_refuse_unsupported(const parse_ctx *c, const gb_node *part)
{
	gb_node_walk(part, refuse_fn, (void *)c);
}
