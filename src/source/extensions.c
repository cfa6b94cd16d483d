/* extensions.c - pandoc's superscript ^x^, subscript ~x~ and inline
   notes ^[...], found in the converted tree's text (ps.h). */
#include "source/ps.h"

#include <string.h>

/* ---- pandoc's superscript ^x^ and subscript ~x~ ---- */

/* A TEXT node of the run's bytes from to to (gb_ps_run: runs of text
   with their '^' and '~' marked when escaped, "\^"). */
static gb_node *run_text(const parse_ctx *c, const gb_ps_run *r, size_t from, size_t to)
{
	gb_node *t = gb_node_new(GB_NODE_TEXT,
				 gb_loc_at(c->file, g_array_index(r->off, size_t, from)));
	t->text = g_strndup(r->s->str + from, to - from);
	return t;
}

/*
 * Where the script opened by s[i] (a '^' or '~' not escaped) closes: the
 * next same character, not escaped, with no white space between (pandoc's
 * rule; "\ " is a space within it); 0 when it does not close.
 */
static size_t script_end(const gb_ps_run *r, size_t i)
{
	const char *s = r->s->str;
	char ch = s[i];
	for (size_t j = i + 1; j < r->s->len; j++) {
		if (s[j] == ch && !g_array_index(r->esc, guint8, j))
			return j > i + 1 ? j : 0;
		if ((s[j] == ' ' && s[j - 1] != '\\') || s[j] == '\n' || s[j] == '\t')
			return 0;
	}
	return 0;
}

/*
 * Makes the superscripts and subscripts of the run of TEXT nodes from
 * first to last (children of one inline container) nodes of their own;
 * the run is replaced only when it holds one.  Their content is plain
 * text, as written between the marks ("\ " a no-break space, as pandoc
 * has it).
 */
static void scripts_in_run(const parse_ctx *c, gb_node *first, gb_node *last)
{
	gb_ps_run r;
	gb_ps_run_init(&r);
	for (gb_node *t = first;; t = t->next) {
		gb_ps_run_add(c, &r, t, "^~");
		if (t == last)
			break;
	}
	GPtrArray *made = g_ptr_array_new();
	size_t done = 0;
	const char *s = r.s->str;
	for (size_t i = 0; i < r.s->len; i++) {
		if ((s[i] != '^' && s[i] != '~') || g_array_index(r.esc, guint8, i))
			continue;
		if (i + 1 < r.s->len && s[i + 1] == s[i]) {
			i++;  /* "~~" or "^^": neither opens */
			continue;
		}
		size_t j = script_end(&r, i);
		if (!j)
			continue;
		if (i > done)
			g_ptr_array_add(made, run_text(c, &r, done, i));
		gb_node *sc = gb_node_new(s[i] == '^' ? GB_NODE_SUPERSCRIPT : GB_NODE_SUBSCRIPT,
					  gb_loc_at(c->file, g_array_index(r.off, size_t, i)));
		gb_node *t = run_text(c, &r, i + 1, j);
		GString *nb = g_string_new(NULL);
		for (const char *p = t->text; *p; p++)
			if (p[0] == '\\' && p[1] == ' ') {
				g_string_append(nb, "\u00A0");
				p++;
			} else {
				g_string_append_c(nb, *p);
			}
		g_free(t->text);
		t->text = g_string_free(nb, FALSE);
		gb_node_append(sc, t);
		g_ptr_array_add(made, sc);
		done = j + 1;
		i = j;
	}
	if (made->len) {
		if (done < r.s->len)
			g_ptr_array_add(made, run_text(c, &r, done, r.s->len));
		for (guint k = 0; k < made->len; k++)
			gb_node_insert_before(first, made->pdata[k]);
		for (gb_node *t = first, *next;; t = next) {
			next = t->next;
			bool end = t == last;
			gb_node_unlink(t);
			gb_node_free(t);
			if (end)
				break;
		}
	}
	g_ptr_array_free(made, TRUE);
	gb_ps_run_clear(&r);
}

/* The superscripts and subscripts of every inline container under root
   (never in code: code is a node of its own). */
void gb_ps_make_scripts(const parse_ctx *c, gb_node *root)
{
	gb_node *n = root;
	while (n) {
		if (n->kind != GB_NODE_SUPERSCRIPT && n->kind != GB_NODE_SUBSCRIPT) {
			for (gb_node *k = n->first; k;) {
				if (k->kind != GB_NODE_TEXT) {
					k = k->next;
					continue;
				}
				gb_node *last = k;
				while (last->next && last->next->kind == GB_NODE_TEXT)
					last = last->next;
				gb_node *after = last->next;
				scripts_in_run(c, k, last);
				k = after;
			}
		}
		/* the next node in document order, scripts' insides left out */
		if (n->first && n->kind != GB_NODE_SUPERSCRIPT && n->kind != GB_NODE_SUBSCRIPT) {
			n = n->first;
			continue;
		}
		while (n && n != root && !n->next)
			n = n->parent;
		n = n && n != root ? n->next : NULL;
	}
}

/* ---- pandoc's inline notes ^[a note] ---- */

static bool noterefs_in_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && n->kind == GB_NODE_NOTEREF && n->target)
		g_ptr_array_add(ctx, n->target);
	return true;
}


/* Collects each node whose children are inlines (ctx: a GPtrArray). */
static bool containers_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && gb_node_holds_inlines(n))
		g_ptr_array_add(ctx, (gb_node *)n);
	return true;
}

/* Where the note opened at byte i of t's text closes: *end (a TEXT node
   at or after t among its siblings) and the offset of its ']'; false when
   it does not close. */
static bool note_close(gb_node *t, size_t i, gb_node **end, size_t *at)
{
	int depth = 1;
	for (gb_node *k = t; k; k = k->next) {
		if (k->kind != GB_NODE_TEXT || !k->text)
			continue;
		for (size_t j = k == t ? i + 2 : 0; k->text[j]; j++) {
			depth += k->text[j] == '[';
			depth -= k->text[j] == ']';
			if (depth == 0) {
				*end = k;
				*at = j;
				return true;
			}
		}
	}
	return false;
}

/*
 * Makes the inline note opened at byte i of TEXT node t ("^[") and closed
 * at byte at of end a FOOTNOTE of the part (a paragraph of what is between
 * the brackets) and a NOTEREF in its place.  Returns the note's paragraph.
 */
static gb_node *make_inline_note(parse_ctx *c, gb_node *part, gb_node *t, size_t i,
				 gb_node *end, size_t at)
{
	size_t base = t->loc.off;
	gb_loc loc = gb_loc_at(c->file, base == GB_NOPOS ? GB_NOPOS : base + i);
	gb_node *fn = gb_node_new(GB_NODE_FOOTNOTE, loc);
	gb_node *para = gb_node_new(GB_NODE_PARAGRAPH, loc);
	gb_node_append(fn, para);
	gb_node *ref = gb_node_new(GB_NODE_NOTEREF, loc);
	ref->target = fn;
	fn->refs = 1;
	/* what is between the brackets */
	if (end == t) {
		gb_node *in = gb_node_new(GB_NODE_TEXT, loc);
		in->text = g_strndup(t->text + i + 2, at - i - 2);
		gb_node_append(para, in);
	} else {
		gb_node *in = gb_node_new(GB_NODE_TEXT, loc);
		in->text = g_strdup(t->text + i + 2);
		gb_node_append(para, in);
		for (gb_node *k = t->next, *next; k != end; k = next) {
			next = k->next;
			gb_node_unlink(k);
			gb_node_append(para, k);
		}
		in = gb_node_new(GB_NODE_TEXT, end->loc);
		in->text = g_strndup(end->text, at);
		gb_node_append(para, in);
	}
	/* what follows the note: the rest of end */
	char *rest = g_strdup(end->text + at + 1);
	if (end == t) {
		gb_node *after = gb_node_new(GB_NODE_TEXT, gb_loc_at(c->file,
				base == GB_NOPOS ? GB_NOPOS : base + at + 1));
		after->text = rest;
		if (t->next)
			gb_node_insert_before(t->next, after);
		else
			gb_node_append(t->parent, after);
	} else {
		g_free(end->text);
		end->text = rest;
	}
	t->text[i] = '\0';  /* what comes before it */
	if (t->next)
		gb_node_insert_before(t->next, ref);
	else
		gb_node_append(t->parent, ref);
	for (gb_node *p = para->first, *next; p; p = next) {
		next = p->next;
		if (p->kind == GB_NODE_TEXT && (!p->text || !*p->text)) {
			gb_node_unlink(p);
			gb_node_free(p);
		}
	}
	gb_node_append(part, fn);
	return para;
}

/*
 * The part's notes (its FOOTNOTE children) in the order of their first
 * reference, as cmark orders the notes written [^x]: inline notes number
 * in order with them.  A note nothing references keeps its place after.
 */
static void order_notes(gb_node *part)
{
	GPtrArray *notes = g_ptr_array_new(), *refs = g_ptr_array_new();
	for (gb_node *b = part->first, *next; b; b = next) {
		next = b->next;
		if (b->kind == GB_NODE_FOOTNOTE) {
			gb_node_unlink(b);
			g_ptr_array_add(notes, b);
		}
	}
	for (gb_node *b = part->first; b; b = b->next)
		gb_node_walk(b, noterefs_in_fn, refs);
	for (guint i = 0; i < refs->len; i++) {
		gb_node *fn = refs->pdata[i];
		if (!g_ptr_array_remove(notes, fn))
			continue;
		gb_node_append(part, fn);
		gb_node_walk(fn, noterefs_in_fn, refs);
	}
	for (guint i = 0; i < notes->len; i++)
		gb_node_append(part, notes->pdata[i]);
	g_ptr_array_free(notes, TRUE);
	g_ptr_array_free(refs, TRUE);
}

/* Makes each "^[...]" of the part's text (not escaped, not in code) a
   note, then puts the notes in order. */
void gb_ps_make_inline_notes(parse_ctx *c, gb_node *part)
{
	GPtrArray *todo = g_ptr_array_new();
	gb_node_walk(part, containers_fn, todo);
	bool made = false;
	for (guint n = 0; n < todo->len; n++) {
		gb_node *box = todo->pdata[n];
		for (gb_node *k = box->first; k; k = k->next) {
			if (k->kind != GB_NODE_TEXT || !k->text || !strstr(k->text, "^["))
				continue;
			guint8 *esc = gb_ps_escaped_marks(c, k, "^", NULL);
			for (size_t i = 0; k->text[i] && k->text[i + 1]; i++) {
				gb_node *end;
				size_t at;
				if (k->text[i] != '^' || k->text[i + 1] != '[' || esc[i] ||
				    !note_close(k, i, &end, &at))
					continue;
				gb_node *para = make_inline_note(c, part, k, i, end, at);
				g_ptr_array_add(todo, para);  /* a note within it */
				made = true;
				break;  /* k ends at the note: what follows is next */
			}
			g_free(esc);
		}
	}
	g_ptr_array_free(todo, TRUE);
	if (made)
		order_notes(part);
}
