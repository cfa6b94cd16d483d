/*
 * deflist.c - definition lists in print (ts.h): a hanging layout.  Each
 * term at the left of the measure, set as the style's definitions.term-
 * weight and term-style say; its definitions' lines indented by
 * definitions.indent.  A term of one line narrower than that indent (less
 * print.label-gap) runs in: it starts its definition's first line, as a
 * list's label does (definitions.run-in), when every term of the list
 * can: a list has one form.  Otherwise each term has a line of its own,
 * kept with its definition's first lines: never a term at a page's
 * foot.
 *
 * The structure: L, an LI per term with its definitions, the term its
 * Lbl, the definitions its LBody (a P per paragraph).
 */
#include "typeset/ts.h"

static bool one_of(const char *v, const char *a, const char *b)
{
	return v && (!strcmp(v, a) || !strcmp(v, b));
}

bool gb_ts_read_deflist_style(ts *t, double em)
{
	const gb_style *s = t->opt->style;
	gb_diag *d = t->d;
	t->def_indent = gb_style_length(s, "definitions.indent", em, d);
	if (isnan(t->def_indent))
		return false;
	if (!gb_style_in_range(s, "definitions.indent", t->def_indent, 0, t->size * 20,
			       "a length from 0em to 20em", d))
		return false;
	const char *keys[] = { "definitions.term-weight", "definitions.term-style",
			       "definitions.run-in" };
	const char *allowed[][2] = { { "bold", "normal" }, { "italic", "normal" },
				     { "true", "false" } };
	const char *v[3];
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		v[i] = gb_style_need(s, keys[i], d);
		if (!v[i])
			return false;
		if (!one_of(v[i], allowed[i][0], allowed[i][1])) {
			gb_error(d, gb_style_loc(s, keys[i], -1),
				 "style '%s' must be %s or %s, not '%s'", keys[i],
				 allowed[i][0], allowed[i][1], v[i]);
			return false;
		}
	}
	t->term_weight = !strcmp(v[0], "bold") ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL;
	t->term_style = !strcmp(v[1], "italic") ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL;
	t->term_run_in = !strcmp(v[2], "true");
	return true;
}

/* The first item of galley from i on that is a line, or NULL. */
static vitem *line_from(GPtrArray *galley, guint i)
{
	for (; i < galley->len; i++) {
		vitem *v = g_ptr_array_index(galley, i);
		if (v->kind == V_LINE)
			return v;
	}
	return NULL;
}

static const gb_box *text_box(const vitem *v)
{
	for (guint i = 0; v && i < v->boxes->len; i++) {
		const gb_box *b = g_ptr_array_index(v->boxes, i);
		if (b->kind == GB_BOX_TEXT)
			return b;
	}
	return NULL;
}

/*
 * Whether the term set in term (its Lbl mark, one line, its end mark)
 * runs in before a definition whose text starts indent from the left.
 */
static bool runs_in(const ts *t, GPtrArray *term, const gb_node *desc)
{
	if (!desc || desc->kind != GB_NODE_DEF_DESC ||
	    !desc->first || desc->first->kind != GB_NODE_PARAGRAPH)
		return false;
	int lines = 0;
	const vitem *line = NULL;
	for (guint i = 0; i < term->len; i++) {
		const vitem *v = g_ptr_array_index(term, i);
		if (v->kind == V_LINE) {
			lines++;
			line = v;
		}
	}
	const gb_box *b = lines == 1 ? text_box(line) : NULL;
	return b && b->x - t->left + b->w + t->label_gap <= t->def_indent + 0.001;
}

/*
 * Moves the term's boxes (its Lbl tag, its text, links, destinations) and
 * notes into the galley's item at (the LBody mark before the definition's
 * first line), on that line's baseline; frees term's items.
 */
static void run_in(ts *t, GPtrArray *term, guint at_mark)
{
	guint at = 0;
	vitem *mark = g_ptr_array_index(t->galley, at_mark);
	vitem *def_line = line_from(t->galley, at_mark + 1);
	const gb_box *def_text = text_box(def_line);
	for (guint i = 0; i < term->len; i++) {
		vitem *v = g_ptr_array_index(term, i);
		const gb_box *tb = v->kind == V_LINE ? text_box(v) : NULL;
		double dy = tb && def_text ? def_text->y - tb->y : 0;
		while (v->boxes->len) {
			gb_box *b = g_ptr_array_steal_index(v->boxes, 0);
			if (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_DEST)
				b->y += dy;
			g_ptr_array_insert(mark->boxes, (gint)at++, b);
		}
		/* the term's notes go with the line it is set on */
		vitem *with = def_line ? def_line : mark;
		if (v->notes) {
			if (!with->notes)
				with->notes = g_ptr_array_new();
			while (v->notes->len)
				g_ptr_array_add(with->notes, g_ptr_array_steal_index(v->notes, 0));
		}
		gb_ts_vitem_free(v);
	}
	g_ptr_array_set_size(term, 0);
}

/* Sets desc's blocks, at the definitions' indent (t->left). */
static void set_desc(ts *t, const gb_node *desc)
{
	const gb_node *prev = NULL;
	for (const gb_node *b = desc->first; b; b = b->next) {
		if (b->kind == GB_NODE_PARAGRAPH) {
			if (prev) {
				vitem *gap = gb_ts_vitem_new(V_SPACE, 0);
				gap->stretch = t->in_note ? 0 : 2;
				g_ptr_array_add(t->galley, gap);
			}
			setting s = gb_ts_body_setting(t);
			s.first_indent = 0;
			gb_ts_set_lines(t, b, &s, NULL, t->galley,
					t->measure - t->left - t->right, t->left);
		} else {
			gb_ts_set_block(t, b, prev);
		}
		prev = b;
	}
}

/* Sets term (a DEF_TERM) into a new array of items, the caller's. */
static GPtrArray *set_term(ts *t, const gb_node *term)
{
	GPtrArray *out = g_ptr_array_new();
	setting s = gb_ts_body_setting(t);
	s.weight = t->term_weight;
	s.style = t->term_style;
	s.justify = false;
	s.first_indent = 0;
	s.tag = "Lbl";
	s.keep_all = true;   /* with its definition */
	gb_ts_set_lines(t, term, &s, NULL, out, t->measure - t->left - t->right, t->left);
	return out;
}

void gb_ts_set_deflist(ts *t, const gb_node *dl)
{
	gb_ts_add_block_space(t, t->para_space / 2);
	gb_ts_add_mark(t->galley, true, "L", false);
	/* the terms first: they run in when every one of them can, so that
	   the list has one form */
	GPtrArray *terms = g_ptr_array_new();
	bool in = t->term_run_in;
	for (const gb_node *n = dl->first; n; n = n->next) {
		if (n->kind != GB_NODE_DEF_TERM)
			continue;
		GPtrArray *term = set_term(t, n);
		in = in && runs_in(t, term, n->next);
		g_ptr_array_add(terms, term);
	}
	guint k = 0;
	const gb_node *n = dl->first;
	while (n) {
		if (n != dl->first && !t->in_note) {
			vitem *gap = gb_ts_vitem_new(V_SPACE, 0);
			gap->stretch = 2;   /* as between two paragraphs */
			g_ptr_array_add(t->galley, gap);
		}
		gb_ts_add_mark(t->galley, true, "LI", false);
		GPtrArray *term = NULL;
		if (n->kind == GB_NODE_DEF_TERM) {
			term = g_ptr_array_index(terms, k++);
			n = n->next;
			if (!in) {
				for (guint i = 0; i < term->len; i++)
					g_ptr_array_add(t->galley, g_ptr_array_index(term, i));
				g_ptr_array_set_size(term, 0);
			}
		}
		gb_ts_add_mark(t->galley, true, "LBody", true);
		guint body = t->galley->len - 1;   /* (items are only added here) */
		double old = t->left;
		t->left += t->def_indent;
		for (; n && n->kind == GB_NODE_DEF_DESC; n = n->next) {
			if (n->prev && n->prev->kind == GB_NODE_DEF_DESC) {
				vitem *gap = gb_ts_vitem_new(V_SPACE, 0);
				gap->stretch = t->in_note ? 0 : 2;
				g_ptr_array_add(t->galley, gap);
			}
			set_desc(t, n);
		}
		t->left = old;
		if (term && term->len)
			run_in(t, term, body);
		if (term)
			g_ptr_array_free(term, TRUE);
		gb_ts_add_mark(t->galley, false, NULL, false);   /* LBody */
		gb_ts_add_mark(t->galley, false, NULL, false);   /* LI */
	}
	g_ptr_array_free(terms, TRUE);
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_add_block_space(t, t->para_space / 2);
}

/* Plans the tables of dl's definitions, at their indent (typeset.c). */
void gb_ts_deflist_indent(ts *t, int dir)
{
	t->left += dir * t->def_indent;
}
