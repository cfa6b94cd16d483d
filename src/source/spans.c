/* spans.c - pandoc's bracketed spans '[text]{#id .class key=value}',
   found among the inline siblings of the converted tree (ps.h), and the
   attributes after a link ('[text](url){.class}': a link with attributes,
   as pandoc reads it). */
#include "source/ps.h"
#include "source/meta.h"

#include <string.h>

static guint8 *escaped_marks(const parse_ctx *c, const gb_node *t)
{
	return gb_ps_escaped_marks(c, t, "[]{}", NULL);
}

/* Collects each node whose children are inlines (ctx: a GPtrArray). */
static bool containers_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && gb_node_holds_inlines(n))
		g_ptr_array_add(ctx, (gb_node *)n);
	return true;
}

/*
 * The attribute block '{...}' that starts at byte i of TEXT node t (no
 * '{' nor '}' escaped in it), read into a; its '}' at *close.  False when
 * there is none, or pandoc would read it as text.
 */
static bool attrs_at(const parse_ctx *c, const gb_node *t, size_t i,
		     gb_ps_attrs *a, size_t *close, size_t *src_close)
{
	if (!t || t->kind != GB_NODE_TEXT || !t->text || t->text[i] != '{')
		return false;
	size_t *src = g_new(size_t, strlen(t->text) + 1);
	guint8 *esc = gb_ps_escaped_marks(c, t, "[]{}", src);
	const char *e = strchr(t->text + i + 1, '}');
	bool ok = !esc[i] && e && !esc[e - t->text] &&
		  !memchr(t->text + i + 1, '{', (size_t)(e - t->text) - i - 1);
	/* the block as written: smart punctuation made its quotes curly
	   in the text ('entry="a b"') */
	const char *from = t->text + i + 1, *to = e;
	*src_close = GB_NOPOS;
	if (ok && src[i] != GB_NOPOS && e && src[e - t->text] != GB_NOPOS &&
	    src[e - t->text] > src[i]) {
		from = c->file->data + src[i] + 1;
		to = c->file->data + src[e - t->text];
		*src_close = src[e - t->text];
	}
	g_free(esc);
	g_free(src);
	if (!ok)
		return false;
	gb_ps_attrs_init(a);
	if (!gb_ps_read_attrs(from, to, a, NULL)) {
		gb_ps_attrs_clear(a);
		return false;
	}
	*close = (size_t)(e - t->text);
	return true;
}

/* Sets the span's fields from its attributes (tree.h); a language tag
   that is none is an error (the EPUB's lang must be BCP 47). */
static void span_from_attrs(const parse_ctx *c, gb_node *sp, const gb_ps_attrs *a)
{
	sp->id = g_strdup(a->id);
	sp->id_given = a->id != NULL;
	const char *lang = gb_ps_attrs_value(a, "lang");
	if (lang && !gb_lang_tag_valid(lang)) {
		gb_error(c->d, sp->loc, "invalid language tag '%s' (expected BCP 47, "
			 "such as 'ru', 'kk' or 'en-GB')", lang);
		lang = NULL;
	}
	sp->lang = g_strdup(lang);
	const char *entry = gb_ps_attrs_value(a, "entry");
	sp->title = g_strdup(entry);
	sp->label = g_strdup(gb_ps_attrs_value(a, "range"));
	if (a->classes->len) {
		GString *cls = g_string_new(NULL);
		for (guint k = 0; k < a->classes->len; k++)
			g_string_append_printf(cls, "%s%s", k ? " " : "",
					       (const char *)a->classes->pdata[k]);
		sp->classes = g_string_free(cls, FALSE);
	}
}

/* Removes byte range [from, to) of t's text. */
static void cut(gb_node *t, size_t from, size_t to)
{
	memmove(t->text + from, t->text + to, strlen(t->text + to) + 1);
}

static void insert_after(gb_node *at, gb_node *n)
{
	if (at->next)
		gb_node_insert_before(at->next, n);
	else
		gb_node_append(at->parent, n);
}

/*
 * A span opened by the '[' at byte i of TEXT node t: its ']' (at byte *at
 * of TEXT node *end, t or a later sibling; brackets nest, escaped ones do
 * not count) followed at once by an attribute block.  Non-TEXT siblings
 * (emphasis, code, links) are the span's content.
 */
static bool span_close(const parse_ctx *c, gb_node *t, size_t i, gb_node **end,
		       size_t *at)
{
	int depth = 0;
	for (gb_node *k = t; k; k = k->next) {
		if (k->kind != GB_NODE_TEXT || !k->text)
			continue;
		guint8 *esc = escaped_marks(c, k);
		for (size_t j = k == t ? i : 0; k->text[j]; j++) {
			if (esc[j] || (k->text[j] != '[' && k->text[j] != ']'))
				continue;
			depth += k->text[j] == '[' ? 1 : -1;
			if (depth == 0) {
				g_free(esc);
				*end = k;
				*at = j;
				return true;
			}
		}
		g_free(esc);
	}
	return false;
}

/*
 * Makes the span opened at byte i of t and closed at byte at of end, its
 * attribute block read (a) and ending at byte close of end: a SPAN node
 * in their place, holding what is between the brackets.
 */
static gb_node *make_span(const parse_ctx *c, gb_node *t, size_t i, gb_node *end,
			  size_t at, size_t close, size_t src_close, const gb_ps_attrs *a)
{
	size_t base = t->loc.off;
	gb_node *sp = gb_node_new(GB_NODE_SPAN,
				  gb_loc_at(c->file, base == GB_NOPOS ? GB_NOPOS : base + i));
	span_from_attrs(c, sp, a);
	/* what follows the block: the rest of end */
	size_t eoff = end->loc.off;
	gb_node *after = gb_node_new(GB_NODE_TEXT, gb_loc_at(c->file,
			src_close != GB_NOPOS ? src_close + 1 :
			eoff == GB_NOPOS ? GB_NOPOS : eoff + close + 1));
	after->text = g_strdup(end->text + close + 1);
	insert_after(end, after);
	/* what is between the brackets */
	if (end == t) {
		gb_node *in = gb_node_new(GB_NODE_TEXT, gb_loc_at(c->file,
				base == GB_NOPOS ? GB_NOPOS : base + i + 1));
		in->text = g_strndup(t->text + i + 1, at - i - 1);
		gb_node_append(sp, in);
		t->text[i] = '\0';
	} else {
		gb_node *in = gb_node_new(GB_NODE_TEXT, gb_loc_at(c->file,
				base == GB_NOPOS ? GB_NOPOS : base + i + 1));
		in->text = g_strdup(t->text + i + 1);
		gb_node_append(sp, in);
		for (gb_node *k = t->next, *next; k != end; k = next) {
			next = k->next;
			gb_node_unlink(k);
			gb_node_append(sp, k);
		}
		end->text[at] = '\0';
		gb_node_unlink(end);
		gb_node_append(sp, end);
		t->text[i] = '\0';
	}
	insert_after(t, sp);
	/* empty texts left by the cut go */
	for (gb_node *p = sp->first, *next; p; p = next) {
		next = p->next;
		if (p->kind == GB_NODE_TEXT && (!p->text || !*p->text)) {
			gb_node_unlink(p);
			gb_node_free(p);
		}
	}
	return after;
}

/*
 * A link followed by an attribute block ('[text](url){.smallcaps}', or
 * '[text]{.x}' where a link reference definition named text makes
 * '[text]' a link): pandoc's link with attributes.  The block goes; the
 * link's content is a span with those attributes (its classes and
 * language style the text; its id is a place links reach).
 */
static void link_attrs(const parse_ctx *c, gb_node *link)
{
	gb_node *t = link->next;
	gb_ps_attrs a;
	size_t close, src_close;
	if (!attrs_at(c, t, 0, &a, &close, &src_close))
		return;
	gb_node *sp = gb_node_new(GB_NODE_SPAN, link->loc);
	span_from_attrs(c, sp, &a);
	gb_ps_attrs_clear(&a);
	while (link->first) {
		gb_node *k = link->first;
		gb_node_unlink(k);
		gb_node_append(sp, k);
	}
	gb_node_append(link, sp);
	cut(t, 0, close + 1);
	if (src_close != GB_NOPOS)
		t->loc.off = src_close + 1;
	else if (t->loc.off != GB_NOPOS)
		t->loc.off += close + 1;
}

/* Makes every bracketed span of the part's text (not escaped, not in
   code: code is a node of its own) a SPAN node. */
void gb_ps_make_spans(parse_ctx *c, gb_node *part)
{
	GPtrArray *todo = g_ptr_array_new();
	gb_node_walk(part, containers_fn, todo);
	for (guint n = 0; n < todo->len; n++) {
		gb_node *box = todo->pdata[n];
		for (gb_node *k = box->first; k; k = k->next) {
			if (k->kind == GB_NODE_LINK) {
				link_attrs(c, k);
				continue;
			}
			if (k->kind != GB_NODE_TEXT || !k->text || !strchr(k->text, '['))
				continue;
			guint8 *esc = escaped_marks(c, k);
			for (size_t i = 0; k->text[i]; i++) {
				gb_node *end;
				size_t at, close, src_close;
				gb_ps_attrs a;
				if (k->text[i] != '[' || esc[i] || !span_close(c, k, i, &end, &at) ||
				    !attrs_at(c, end, at + 1, &a, &close, &src_close))
					continue;
				gb_node *after = make_span(c, k, i, end, at, close, src_close, &a);
				gb_ps_attrs_clear(&a);
				g_ptr_array_add(todo, after->prev);  /* spans within it */
				break;  /* k ends at the span: what follows is next */
			}
			g_free(esc);
		}
	}
	/* the texts the spans emptied go */
	for (guint n = 0; n < todo->len; n++) {
		gb_node *box = todo->pdata[n];
		for (gb_node *k = box->first, *next; k; k = next) {
			next = k->next;
			if (k->kind == GB_NODE_TEXT && (!k->text || !*k->text)) {
				gb_node_unlink(k);
				gb_node_free(k);
			}
		}
	}
	g_ptr_array_free(todo, TRUE);
}
