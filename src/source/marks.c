/* marks.c - which marks of the converted tree's text were escaped in the
   source, and runs of neighbouring text read as one string (ps.h); the
   readers of pandoc's syntax (extensions.c, spans.c, refused.c) share
   them. */
#include "source/ps.h"

#include <string.h>

guint8 *gb_ps_escaped_marks(const parse_ctx *c, const gb_node *t, const char *marks,
			    size_t *src)
{
	const char *text = t->text ? t->text : "";
	size_t n = strlen(text), nmarks = strlen(marks);
	guint8 *esc = g_new0(guint8, n + 1);
	for (size_t i = 0; src && i <= n; i++)
		src[i] = GB_NOPOS;
	const gb_file *f = c->file;
	if (t->loc.off == GB_NOPOS || t->loc.file != f)
		return esc;
	/* where each mark's next occurrence is sought */
	size_t *from = g_new(size_t, nmarks + 1);
	for (size_t w = 0; w < nmarks; w++)
		from[w] = t->loc.off;
	for (size_t i = 0; i < n; i++) {
		const char *m = strchr(marks, text[i]);
		if (!m)
			continue;
		size_t w = (size_t)(m - marks);
		if (from[w] == GB_NOPOS || from[w] >= f->len)
			continue;
		const char *p = memchr(f->data + from[w], text[i], f->len - from[w]);
		if (!p) {
			from[w] = GB_NOPOS;
			continue;
		}
		size_t at = (size_t)(p - f->data), bs = 0;
		while (bs < at && f->data[at - bs - 1] == '\\')
			bs++;
		esc[i] = bs % 2;
		from[w] = at + 1;
		if (src)
			src[i] = at;
	}
	g_free(from);
	return esc;
}

void gb_ps_run_init(gb_ps_run *r)
{
	r->s = g_string_new(NULL);
	r->off = g_array_new(FALSE, FALSE, sizeof(size_t));
	r->esc = g_array_new(FALSE, FALSE, sizeof(guint8));
}

void gb_ps_run_clear(gb_ps_run *r)
{
	g_string_free(r->s, TRUE);
	g_array_free(r->off, TRUE);
	g_array_free(r->esc, TRUE);
}

void gb_ps_run_add(const parse_ctx *c, gb_ps_run *r, const gb_node *n, const char *marks)
{
	if (n->kind != GB_NODE_TEXT) {
		/* a line break within the run */
		size_t o = n->loc.off;
		guint8 e = 0;
		g_string_append_c(r->s, '\n');
		g_array_append_val(r->off, o);
		g_array_append_val(r->esc, e);
		return;
	}
	const char *text = n->text ? n->text : "";
	size_t len = strlen(text);
	size_t *src = g_new(size_t, len + 1);
	guint8 *esc = gb_ps_escaped_marks(c, n, marks, src);
	g_string_append(r->s, text);
	for (size_t i = 0; i < len; i++) {
		/* a byte that is no mark: its place counted from the node's
		   (the text may be longer than its source: entities, curly
		   quotes) */
		size_t o = src[i];
		if (o == GB_NOPOS && n->loc.off != GB_NOPOS)
			o = n->loc.off + i < c->file->len ? n->loc.off + i : n->loc.off;
		g_array_append_val(r->off, o);
		g_array_append_val(r->esc, esc[i]);
	}
	g_free(src);
	g_free(esc);
}
