/* htmltag.c - reading HTML's tags, and what each element is (htmltag.h). */
#include "source/htmltag.h"

#include <libxml/HTMLparser.h>
#include <string.h>

/* ---- reading tags ---- */

void gb_html_tag_clear(gb_html_tag *t)
{
	g_free(t->name);
	if (t->attrs)
		g_ptr_array_free(t->attrs, TRUE);
	memset(t, 0, sizeof *t);
}

const char *gb_html_attr(const gb_html_tag *t, const char *name)
{
	for (guint i = 0; t->attrs && i + 1 < t->attrs->len; i += 2)
		if (!strcmp(t->attrs->pdata[i], name))
			return t->attrs->pdata[i + 1];
	return NULL;
}

/* Appends s[0, n) with its character references decoded. */
void gb_html_decode(GString *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *semi = s[i] == '&' ? memchr(s + i, ';', MIN(n - i, 34)) : NULL;
		if (!semi || semi == s + i + 1) {
			g_string_append_c(out, s[i]);
			continue;
		}
		char *ref = g_strndup(s + i + 1, (size_t)(semi - s - i - 1));
		gunichar u = 0;
		if (ref[0] == '#') {
			char *end = NULL;
			guint64 v = (ref[1] == 'x' || ref[1] == 'X') ?
				    g_ascii_strtoull(ref + 2, &end, 16) :
				    g_ascii_strtoull(ref + 1, &end, 10);
			if (end && !*end && end != ref + 1 && v > 0 && v <= 0x10FFFF &&
			    g_unichar_validate((gunichar)v))
				u = (gunichar)v;
		} else {
			const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)ref);
			if (e)
				u = e->value;
		}
		g_free(ref);
		if (!u) {
			g_string_append_c(out, s[i]);
			continue;
		}
		g_string_append_unichar(out, u);
		i = (size_t)(semi - s);
	}
}

/*
 * Reads the tag (or comment) at s[0] == '<': its length in bytes, 0 when
 * s holds none there.
 */
size_t gb_html_read_tag(const char *s, gb_html_tag *t)
{
	memset(t, 0, sizeof *t);
	if (!strncmp(s, "<!--", 4)) {
		const char *end = strstr(s + 4, "-->");
		return end ? (size_t)(end + 3 - s) : 0;
	}
	size_t i = 1;
	if (s[i] == '/') {
		t->close = true;
		i++;
	}
	if (!g_ascii_isalpha(s[i]))
		return 0;
	size_t n0 = i;
	while (g_ascii_isalnum(s[i]) || s[i] == '-')
		i++;
	t->name = g_ascii_strdown(s + n0, (gssize)(i - n0));
	t->attrs = g_ptr_array_new_with_free_func(g_free);
	for (;;) {
		size_t ws = i;
		while (g_ascii_isspace(s[i]))
			i++;
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '/' && s[i + 1] == '>') {
			t->empty = true;
			return i + 2;
		}
		if (!s[i] || i == ws || t->close)
			break;
		size_t a0 = i;
		while (s[i] && !g_ascii_isspace(s[i]) && !strchr("\"'>/=", s[i]))
			i++;
		if (i == a0)
			break;
		g_ptr_array_add(t->attrs, g_ascii_strdown(s + a0, (gssize)(i - a0)));
		size_t j = i;
		while (g_ascii_isspace(s[j]))
			j++;
		GString *v = g_string_new(NULL);
		if (s[j] == '=') {
			j++;
			while (g_ascii_isspace(s[j]))
				j++;
			size_t v0 = j, v1;
			if (s[j] == '"' || s[j] == '\'') {
				const char *q = strchr(s + j + 1, s[j]);
				if (!q) {
					g_string_free(v, TRUE);
					break;
				}
				v0 = j + 1;
				v1 = (size_t)(q - s);
				j = v1 + 1;
			} else {
				while (s[j] && !g_ascii_isspace(s[j]) && !strchr("\"'=<>`", s[j]))
					j++;
				v1 = j;
			}
			gb_html_decode(v, s + v0, v1 - v0);
			i = j;
		}
		g_ptr_array_add(t->attrs, g_string_free(v, FALSE));
	}
	gb_html_tag_clear(t);
	return 0;
}

/* ---- what each element is ---- */



static const gb_html_element elements[] = {
	{ "div", GB_HTML_WRAPPER, 0, NULL },
	{ "span", GB_HTML_WRAPPER, 0, NULL },
	{ "section", GB_HTML_WRAPPER, 0, NULL },
	{ "em", GB_HTML_NODE, GB_NODE_EMPH, NULL },
	{ "i", GB_HTML_NODE, GB_NODE_EMPH, NULL },
	{ "strong", GB_HTML_NODE, GB_NODE_STRONG, NULL },
	{ "b", GB_HTML_NODE, GB_NODE_STRONG, NULL },
	{ "code", GB_HTML_NODE, GB_NODE_CODE, NULL },
	{ "s", GB_HTML_NODE, GB_NODE_STRIKE, NULL },
	{ "del", GB_HTML_NODE, GB_NODE_STRIKE, NULL },
	{ "strike", GB_HTML_NODE, GB_NODE_STRIKE, NULL },
	{ "sup", GB_HTML_NODE, GB_NODE_SUPERSCRIPT, NULL },
	{ "sub", GB_HTML_NODE, GB_NODE_SUBSCRIPT, NULL },
	{ "u", GB_HTML_UNDERLINE, 0, NULL },
	{ "small", GB_HTML_PHRASE, 0, NULL },
	{ "abbr", GB_HTML_PHRASE, 0, NULL },
	{ "kbd", GB_HTML_PHRASE, 0, NULL },
	{ "q", GB_HTML_PHRASE, 0, NULL },
	{ "cite", GB_HTML_PHRASE, 0, NULL },
	{ "dfn", GB_HTML_PHRASE, 0, NULL },
	{ "br", GB_HTML_BREAK, 0, NULL },
	{ "img", GB_HTML_IMAGE, 0, NULL },
	{ "figure", GB_HTML_FIGURE, 0, NULL },
	{ "figcaption", GB_HTML_FIGURE, 0, NULL },
	{ "script", GB_HTML_REFUSED, 0, "a book runs no scripts: leave it out" },
	{ "noscript", GB_HTML_REFUSED, 0, "a book runs no scripts: write its text as Markdown" },
	{ "style", GB_HTML_REFUSED, 0, "the book's design is its style (styles/ and book.yaml's style): leave it out" },
	{ "link", GB_HTML_REFUSED, 0, "the book's design is its style (styles/ and book.yaml's style): leave it out" },
	{ "iframe", GB_HTML_REFUSED, 0, "a book embeds no pages: link to it, [text](https://...), or show a picture, ![alt](file.png)" },
	{ "object", GB_HTML_REFUSED, 0, "a book embeds no objects: show a picture, ![alt](file.png)" },
	{ "embed", GB_HTML_REFUSED, 0, "a book embeds no objects: show a picture, ![alt](file.png)" },
	{ "video", GB_HTML_REFUSED, 0, "print has no video: show a still, ![alt](file.png), and link to it" },
	{ "audio", GB_HTML_REFUSED, 0, "print has no sound: link to it, [text](https://...)" },
	{ "canvas", GB_HTML_REFUSED, 0, "show a picture, ![alt](file.png)" },
	{ "svg", GB_HTML_REFUSED, 0, "put the drawing in a file: ![alt](drawing.svg)" },
	{ "form", GB_HTML_REFUSED, 0, "a book has no forms: write the questions as text or a list" },
	{ "input", GB_HTML_REFUSED, 0, "a book has no forms: for a check box, a task list '- [ ] item'" },
	{ "button", GB_HTML_REFUSED, 0, "a book has no forms: write the text" },
	{ "select", GB_HTML_REFUSED, 0, "a book has no forms: write the choices as a list" },
	{ "textarea", GB_HTML_REFUSED, 0, "a book has no forms: write the text" },
	{ "table", GB_HTML_REFUSED, 0, "write a GitHub table: '| a | b |', '|---|---|', one row a line" },
	{ "tr", GB_HTML_REFUSED, 0, "write a GitHub table: '| a | b |', '|---|---|', one row a line" },
	{ "td", GB_HTML_REFUSED, 0, "write a GitHub table: '| a | b |', '|---|---|', one row a line" },
	{ "th", GB_HTML_REFUSED, 0, "write a GitHub table: '| a | b |', '|---|---|', one row a line" },
	{ "p", GB_HTML_REFUSED, 0, "a paragraph is text between blank lines" },
	{ "h1", GB_HTML_REFUSED, 0, "write a heading: '# Title'" },
	{ "h2", GB_HTML_REFUSED, 0, "write a heading: '## Section'" },
	{ "h3", GB_HTML_REFUSED, 0, "write a heading: '### Section'" },
	{ "h4", GB_HTML_REFUSED, 0, "write a heading: '#### Section'" },
	{ "h5", GB_HTML_REFUSED, 0, "write a heading: '##### Section'" },
	{ "h6", GB_HTML_REFUSED, 0, "write a heading: '###### Section'" },
	{ "dl", GB_HTML_REFUSED, 0, "write a definition list: the term on a line, ':   its definition' on the next" },
	{ "dt", GB_HTML_REFUSED, 0, "write a definition list: the term on a line, ':   its definition' on the next" },
	{ "dd", GB_HTML_REFUSED, 0, "write a definition list: the term on a line, ':   its definition' on the next" },
	{ "ul", GB_HTML_REFUSED, 0, "write a list: '- item', one a line" },
	{ "ol", GB_HTML_REFUSED, 0, "write a list: '1. item', one a line" },
	{ "li", GB_HTML_REFUSED, 0, "write a list: '- item', one a line" },
	{ "blockquote", GB_HTML_REFUSED, 0, "write a block quote: '> text'" },
	{ "pre", GB_HTML_REFUSED, 0, "write a code block between lines of three backticks" },
	{ "hr", GB_HTML_REFUSED, 0, "write a thematic break: '---' on a line of its own" },
	{ "font", GB_HTML_REFUSED, 0, "the book's design is its style: write the text as it is" },
	{ "center", GB_HTML_REFUSED, 0, "the book's design is its style: write the text as it is" },
};

const gb_html_element *gb_html_element_of(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(elements); i++)
		if (!strcmp(elements[i].name, name))
			return &elements[i];
	return NULL;
}

/*
 * The length of markup at s[0] == '<' that is no tag gb_html_read_tag() reads (a
 * declaration, a processing instruction, CDATA, a tag cut short): to its
 * end, else to the end of the line.
 */
size_t gb_html_markup_len(const char *s, size_t n)
{
	const char *end = !strncmp(s, "<![CDATA[", 9) ? "]]>" : s[1] == '?' ? "?>" : ">";
	const char *p = g_strstr_len(s, (gssize)n, end);
	if (p)
		return (size_t)(p - s) + strlen(end);
	const char *nl = memchr(s, '\n', n);
	return nl ? (size_t)(nl - s) : n;
}

