/* kobo.c - the Kobo edition (kepub): sentence spans and the body's wrappers (ep.h) */
#include "epub/ep.h"
#include <pango/pango.h>

struct gb_kobo {
	int p, s;            /* the current block and its last span */
	GHashTable *at;      /* text node of the block -> its byte offset in
				the block's text */
	GArray *starts;      /* size_t: the block's sentence starts, bytes */
};

gb_kobo *gb_kobo_new(void)
{
	gb_kobo *k = g_new0(gb_kobo, 1);
	k->at = g_hash_table_new(g_direct_hash, g_direct_equal);
	k->starts = g_array_new(FALSE, FALSE, sizeof(size_t));
	return k;
}

void gb_kobo_free(gb_kobo *k)
{
	if (!k)
		return;
	g_hash_table_destroy(k->at);
	g_array_free(k->starts, TRUE);
	g_free(k);
}

void gb_ep_kobo_doc(epub *e)
{
	if (!e->kobo)
		return;
	e->kobo->p = e->kobo->s = 0;
	g_hash_table_remove_all(e->kobo->at);
	g_array_set_size(e->kobo->starts, 0);
}

/*
 * The text of block n's inline content to s, in the order the writer
 * writes it, each text node's offset in it to at: a break is a space (a
 * line of verse does not end its sentence), a picture or a note mark
 * U+FFFC, an object in the text.
 */
static void block_text(const gb_node *n, GString *s, GHashTable *at)
{
	for (const gb_node *c = n->first; c; c = c->next) {
		if (!gb_node_is_inline(c))
			continue;
		switch (c->kind) {
		case GB_NODE_TEXT:
		case GB_NODE_CODE:
			g_hash_table_insert(at, (gpointer)c, GSIZE_TO_POINTER(s->len));
			g_string_append(s, c->text ? c->text : "");
			break;
		case GB_NODE_SOFTBREAK:
		case GB_NODE_LINEBREAK:
			g_string_append_c(s, ' ');
			break;
		case GB_NODE_IMAGE:
		case GB_NODE_NOTEREF:
			g_string_append(s, "\xef\xbf\xbc");
			break;
		default:
			block_text(c, s, at);
			break;
		}
	}
}

/* The sentence starts of text (its bytes) to starts, by Pango's rules
   for lang. */
static void sentence_starts(const char *text, const char *lang, GArray *starts)
{
	size_t len = strlen(text);
	glong chars = g_utf8_strlen(text, (gssize)len);
	PangoLogAttr *attrs = g_new0(PangoLogAttr, chars + 1);
	pango_get_log_attrs(text, (int)len, -1,
			    pango_language_from_string(lang ? lang : "und"),
			    attrs, (int)chars + 1);
	const char *p = text;
	for (glong i = 0; i < chars; i++, p = g_utf8_next_char(p)) {
		if (attrs[i].is_sentence_start) {
			size_t off = (size_t)(p - text);
			g_array_append_val(starts, off);
		}
	}
	g_free(attrs);
}

void gb_ep_kobo_next_block(epub *e)
{
	if (!e->kobo)
		return;
	e->kobo->p++;
	e->kobo->s = 0;
	g_hash_table_remove_all(e->kobo->at);
	g_array_set_size(e->kobo->starts, 0);
}

GArray *gb_ep_kobo_text(epub *e, const char *text, const char *lang, bool new_block)
{
	if (!e->kobo)
		return NULL;
	if (new_block)
		gb_ep_kobo_next_block(e);
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
	size_t zero = 0;
	g_array_append_val(cuts, zero);
	GArray *starts = g_array_new(FALSE, FALSE, sizeof(size_t));
	sentence_starts(text, lang, starts);
	for (guint i = 0; i < starts->len; i++)
		if (g_array_index(starts, size_t, i) > 0)
			g_array_append_val(cuts, g_array_index(starts, size_t, i));
	g_array_free(starts, TRUE);
	return cuts;
}

void gb_ep_kobo_block(epub *e, const gb_node *n, const char *lang)
{
	gb_kobo *k = e->kobo;
	if (!k || gb_node_is_inline(n))
		return;
	bool has_text = false;
	for (const gb_node *c = n->first; c && !has_text; c = c->next)
		has_text = gb_node_is_inline(c);
	if (!has_text)
		return;
	gb_ep_kobo_next_block(e);
	GString *s = g_string_new(NULL);
	block_text(n, s, k->at);
	sentence_starts(s->str, lang, k->starts);
	g_string_free(s, TRUE);
}

GArray *gb_ep_kobo_cuts(epub *e, const gb_node *n)
{
	gb_kobo *k = e->kobo;
	if (!k)
		return NULL;
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
	size_t zero = 0;
	g_array_append_val(cuts, zero);
	gpointer v;
	if (!n->text || !g_hash_table_lookup_extended(k->at, n, NULL, &v))
		return cuts;
	size_t from = GPOINTER_TO_SIZE(v), len = strlen(n->text);
	for (guint i = 0; i < k->starts->len; i++) {
		size_t at = g_array_index(k->starts, size_t, i);
		if (at > from && at < from + len) {
			size_t off = at - from;
			g_array_append_val(cuts, off);
		}
	}
	return cuts;
}

void gb_ep_kobo_open(epub *e, GString *o)
{
	gb_kobo *k = e->kobo;
	k->s++;
	g_string_append_printf(o, "<span class=\"koboSpan\" id=\"kobo.%d.%d\">", k->p, k->s);
}

void gb_ep_kobo_head(epub *e, GString *o)
{
	/* Kobo's own: its pages' margins are the engine's */
	if (e->kobo)
		g_string_append(o, "<style type=\"text/css\" id=\"kobostylehacks\">"
				   "div#book-inner { margin-top: 0; margin-bottom: 0; }</style>\n");
}

void gb_ep_kobo_body_begin(epub *e, GString *o)
{
	if (e->kobo)
		g_string_append(o, "<div id=\"book-columns\"><div id=\"book-inner\">\n");
}

void gb_ep_kobo_body_end(epub *e, GString *o)
{
	if (e->kobo)
		g_string_append(o, "</div></div>\n");
}
