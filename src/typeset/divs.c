/*
 * divs.c - pandoc's fenced divs and line blocks in print (ts.h): the
 * book's elements as styles/style.yaml's divs.* design them.
 *
 *   epigraph    to the right of the measure, smaller, in italic, ragged;
 *               its attribution (a last paragraph starting with a dash, or
 *               a '::: attribution' div) roman, right-aligned
 *   dedication  centred lines, in italic, with space above and below
 *   verse       indented; each line a line (line blocks and hard breaks),
 *               a line too long going on further in; each paragraph a
 *               stanza, a line's space between two; never justified,
 *               never indented as prose
 *   letter      indented on both sides; its '::: salutation' flush, its
 *               '::: signature' from the middle of the measure
 *   sidebar     between rules, indented on both sides, smaller
 *   centered    centred lines
 *   pull-quote  larger, in italic, centred between short rules
 *
 * An epigraph, a dedication, a pull quote or a stanza of at most
 * divs.keep-lines lines is never broken across pages.  A div of any other
 * class is set as its blocks are, without a design (the parser warned).
 */
#include "typeset/ts.h"

#include "design/style.h"

typedef struct divs_style {
	double epi_indent, epi_scale, ded_scale, ded_space, verse_indent;
	double turnover, stanza, keep_lines, sig_indent, side_scale;
	double pq_scale, pq_rule;
} divs_style;

/* How the paragraphs of a div are set. */
typedef struct look {
	setting s;
	bool verse;               /* each line a line, turnovers further in */
	bool prose;               /* a paragraph after a paragraph is indented */
} look;

static bool read_style(ts *t, divs_style *k)
{
	const gb_style *s = t->opt->style;
	double em = t->size;
	k->epi_indent = gb_style_number(s, "divs.epigraph-indent", t->d);
	k->epi_scale = gb_style_number(s, "divs.epigraph-scale", t->d);
	k->ded_scale = gb_style_number(s, "divs.dedication-scale", t->d);
	k->ded_space = gb_style_number(s, "divs.dedication-space", t->d);
	k->verse_indent = gb_style_length(s, "divs.verse-indent", em, t->d);
	k->turnover = gb_style_length(s, "divs.verse-turnover", em, t->d);
	k->stanza = gb_style_number(s, "divs.stanza-space", t->d);
	k->keep_lines = gb_style_number(s, "divs.keep-lines", t->d);
	k->sig_indent = gb_style_number(s, "divs.signature-indent", t->d);
	k->side_scale = gb_style_number(s, "divs.sidebar-scale", t->d);
	k->pq_scale = gb_style_number(s, "divs.pull-quote-scale", t->d);
	k->pq_rule = gb_style_number(s, "divs.pull-quote-rule", t->d);
	double all[] = { k->epi_indent, k->epi_scale, k->ded_scale, k->ded_space,
			 k->verse_indent, k->turnover, k->stanza, k->keep_lines,
			 k->sig_indent, k->side_scale, k->pq_scale, k->pq_rule };
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (!isfinite(all[i]) || all[i] < 0) {
			t->failed = true;
			return false;
		}
	/* shares of the measure: less than all of it */
	k->epi_indent = MIN(k->epi_indent, 0.8);
	k->sig_indent = MIN(k->sig_indent, 0.8);
	k->pq_rule = MIN(MAX(k->pq_rule, 0.2), 1.0);
	return true;
}

/* Whether inline n is the first of a line: at its paragraph's start or
   after a hard break. */
static bool after_break(const gb_node *n)
{
	while (n && !n->prev && n->parent && gb_node_is_inline(n->parent))
		n = n->parent;
	return n && (!n->prev || n->prev->kind == GB_NODE_LINEBREAK);
}

static gb_box *text_box(const vitem *v)
{
	for (guint b = 0; b < v->boxes->len; b++) {
		gb_box *x = g_ptr_array_index(v->boxes, b);
		if (x->kind == GB_BOX_TEXT)
			return x;
	}
	return NULL;
}

/* Items from..end of the galley keep together (no page break after any
   but the last line) when they hold at most keep_lines lines. */
static void keep_together(ts *t, guint from, double keep_lines)
{
	guint lines = 0, last = from;
	for (guint k = from; k < t->galley->len; k++)
		if (((vitem *)g_ptr_array_index(t->galley, k))->kind == V_LINE) {
			lines++;
			last = k;
		}
	if (!lines || lines > keep_lines || t->in_note)
		return;
	for (guint k = from; k < last; k++)
		((vitem *)g_ptr_array_index(t->galley, k))->keep = true;
}

/*
 * Paragraph p set as verse: each of its lines (apart by hard breaks) at
 * the left of the measure, the rest of a line too long for it (a
 * turnover) further in; ragged.
 */
static void set_verse_lines(ts *t, const gb_node *p, const setting *s,
			    const divs_style *k)
{
	double avail = t->measure - t->left - t->right;
	double turn = MIN(k->turnover, avail / 3);
	guint from = t->galley->len;
	gb_ts_set_lines(t, p, s, NULL, t->galley, avail - turn, t->left + turn);
	const gb_box *prev = NULL;
	for (guint i = from; i < t->galley->len; i++) {
		vitem *v = g_ptr_array_index(t->galley, i);
		gb_box *tb = v->kind == V_LINE ? text_box(v) : NULL;
		if (!tb)
			continue;
		bool start = !prev ||
			     (prev->text && g_str_has_suffix(prev->text, "\u2028")) ||
			     (tb->text && g_str_has_prefix(tb->text, "\u2028")) ||
			     (tb->source && tb->source_off == 0 && after_break(tb->source));
		if (start)
			for (guint b = 0; b < v->boxes->len; b++) {
				gb_box *x = g_ptr_array_index(v->boxes, b);
				if (x->kind == GB_BOX_TEXT || x->kind == GB_BOX_LINK ||
				    x->kind == GB_BOX_DEST)
					x->x -= turn;
			}
		prev = tb;
	}
	keep_together(t, from, k->keep_lines);
}

static void set_div_in(ts *t, const gb_node *div, const look *outer,
		       const divs_style *k);

static void set_para(ts *t, const gb_node *p, const gb_node *prev,
		     const look *l, const divs_style *k)
{
	setting s = l->s;
	bool verse = l->verse || gb_div_has_class(p, "line-block");
	s.first_indent = 0;
	if (gb_div_has_class(p, "attribution")) {
		s.align = PANGO_ALIGN_RIGHT;
		s.style = PANGO_STYLE_NORMAL;
		s.justify = false;
		gb_ts_add_space(t, s.leading / 3);
	} else if (prev && prev->kind == GB_NODE_PARAGRAPH && l->verse) {
		/* a stanza: a line's space before it, on the grid */
		gb_ts_add_block_space(t, k->stanza * t->leading);
	} else if (prev && prev->kind == GB_NODE_PARAGRAPH && l->prose &&
		   !gb_div_has_class(prev, "line-block")) {
		s.first_indent = t->indent;
	}
	if (verse) {
		s.justify = false;
		set_verse_lines(t, p, &s, k);
	} else {
		gb_ts_set_lines(t, p, &s, NULL, t->galley,
				t->measure - t->left - t->right, t->left);
	}
}

static void set_children(ts *t, const gb_node *div, const look *l,
			 const divs_style *k)
{
	const gb_node *prev = NULL;
	for (const gb_node *b = div->first; b; b = b->next) {
		if (b->kind == GB_NODE_PARAGRAPH)
			set_para(t, b, prev, l, k);
		else if (b->kind == GB_NODE_DIV)
			set_div_in(t, b, l, k);
		else
			gb_ts_set_block(t, b, prev);
		prev = b;
	}
}

/* A rule w wide, centred between the current indents, in a space h high. */
static void add_rule(ts *t, double w, double h)
{
	double avail = t->measure - t->left - t->right;
	vitem *v = gb_ts_vitem_new(V_LINE, h);
	gb_ts_vbox(v, GB_BOX_RULE, t->left + (avail - w) / 2, (h - t->rule) / 2,
		   w, t->rule, NULL);
	g_ptr_array_add(t->galley, v);
}

static void set_div_in(ts *t, const gb_node *div, const look *outer,
		       const divs_style *k)
{
	look l = *outer;
	double old_left = t->left, old_right = t->right;
	double avail = t->measure - t->left - t->right;
	double space = 0, rule = 0;
	bool keep = false;
	bool has = div->classes != NULL;
	if (has && gb_div_has_class(div, "epigraph")) {
		t->left += avail * k->epi_indent;
		l.s.size = t->size * k->epi_scale;
		l.s.leading = t->leading * k->epi_scale;
		l.s.style = PANGO_STYLE_ITALIC;
		l.s.justify = false;
		l.prose = false;
		space = t->leading;
		keep = true;
	} else if (has && gb_div_has_class(div, "dedication")) {
		l.s.size = t->size * k->ded_scale;
		l.s.leading = t->leading * k->ded_scale;
		l.s.style = PANGO_STYLE_ITALIC;
		l.s.align = PANGO_ALIGN_CENTER;
		l.s.justify = false;
		l.prose = false;
		space = k->ded_space * t->leading;
		keep = true;
	} else if (has && gb_div_has_class(div, "verse")) {
		t->left += MIN(k->verse_indent, avail / 3);
		l.verse = true;
		l.prose = false;
		space = t->para_space;
	} else if (has && gb_div_has_class(div, "letter")) {
		gb_ts_indent_quote(t, 1);
		space = t->para_space;
	} else if (has && gb_div_has_class(div, "salutation")) {
		l.prose = false;
	} else if (has && gb_div_has_class(div, "signature")) {
		t->left += avail * k->sig_indent;
		l.s.justify = false;
		l.prose = false;
		gb_ts_add_space(t, t->leading / 2);
	} else if (has && gb_div_has_class(div, "sidebar")) {
		rule = avail;
		gb_ts_indent_quote(t, 1);
		l.s.size = t->size * k->side_scale;
		l.s.leading = t->leading * k->side_scale;
		l.s.justify = true;
		space = t->para_space;
	} else if (has && gb_div_has_class(div, "centered")) {
		l.s.align = PANGO_ALIGN_CENTER;
		l.s.justify = false;
		l.prose = false;
		space = t->para_space;
	} else if (has && gb_div_has_class(div, "pull-quote")) {
		rule = avail * k->pq_rule;
		t->left += (avail - rule) / 2;
		t->right += (avail - rule) / 2;
		l.s.size = t->size * k->pq_scale;
		l.s.leading = t->leading * k->pq_scale;
		l.s.style = PANGO_STYLE_ITALIC;
		l.s.align = PANGO_ALIGN_CENTER;
		l.s.justify = false;
		l.prose = false;
		space = t->leading;
		keep = true;
	} else if (has && gb_div_has_class(div, "attribution")) {
		l.s.align = PANGO_ALIGN_RIGHT;
		l.s.style = PANGO_STYLE_NORMAL;
		l.s.justify = false;
		l.prose = false;
		gb_ts_add_space(t, l.s.leading / 3);
	}
	if (space > 0)
		gb_ts_add_block_space(t, space);
	guint first = t->galley->len;
	gb_ts_add_mark(t->galley, true, "Div", false);
	if (div->id) {
		/* a link to the div's id goes to its first line */
		vitem *m = g_ptr_array_index(t->galley, t->galley->len - 1);
		gb_ts_vbox(m, GB_BOX_DEST, t->left, 0, 0, 0, div->id);
		g_hash_table_insert(t->found, g_strdup(div->id), NULL);
	}
	if (rule > 0) {
		double w = rule;
		double r_left = t->left, r_right = t->right;
		if (gb_div_has_class(div, "sidebar")) {
			t->left = old_left;  /* the rules span the measure */
			t->right = old_right;
		}
		add_rule(t, w, t->leading);
		t->left = r_left;
		t->right = r_right;
	}
	guint inside = t->galley->len;
	set_children(t, div, &l, k);
	if (rule > 0) {
		/* a heading first under the rule: the rule's space is its own */
		for (guint i = inside; i < t->galley->len; i++) {
			vitem *v = g_ptr_array_index(t->galley, i);
			if (v->kind == V_MARK)
				continue;
			if (v->kind == V_SPACE)
				v->height = 0;
			break;
		}
	}
	if (rule > 0) {
		t->left = old_left;
		t->right = old_right;
		double a = t->measure - t->left - t->right;
		add_rule(t, MIN(rule, a), t->leading);
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	if (keep)
		keep_together(t, first, k->keep_lines);
	t->left = old_left;
	t->right = old_right;
	if (space > 0)
		gb_ts_add_block_space(t, space);
}

void gb_ts_set_div(ts *t, const gb_node *div)
{
	divs_style k;
	if (!read_style(t, &k))
		return;
	look l = { .s = gb_ts_body_setting(t), .prose = true };
	set_div_in(t, div, &l, &k);
}

void gb_ts_set_line_block(ts *t, const gb_node *p)
{
	divs_style k;
	if (!read_style(t, &k))
		return;
	setting s = gb_ts_body_setting(t);
	s.justify = false;
	gb_ts_add_block_space(t, t->para_space / 2);
	set_verse_lines(t, p, &s, &k);
	gb_ts_add_block_space(t, t->para_space / 2);
}
