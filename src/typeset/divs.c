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

#include <stddef.h>

/* How the paragraphs of a div are set. */
typedef struct look {
	setting s;
	bool verse;               /* each line a line, turnovers further in */
	bool prose;               /* a paragraph after a paragraph is indented */
} look;

bool gb_ts_read_divs_style(ts *t)
{
	const gb_style *s = t->opt->style;
	gb_ts_divs *k = &t->divs;
	double em = t->size;
	static const struct {
		const char *key;
		size_t at;
		bool length;
		double lo, hi;
		const char *what;
	} keys[] = {
#define AT(f) offsetof(gb_ts_divs, f)
		{ "divs.epigraph-indent", AT(epi_indent), false, 0, 0.8, "a share of the measure from 0 to 0.8" },
		{ "divs.epigraph-scale", AT(epi_scale), false, 0.5, 2, "a scale of the text from 0.5 to 2" },
		{ "divs.dedication-scale", AT(ded_scale), false, 0.5, 3, "a scale of the text from 0.5 to 3" },
		{ "divs.dedication-space", AT(ded_space), false, 0, 20, "a number of lines from 0 to 20" },
		{ "divs.verse-indent", AT(verse_indent), true, 0, 10, "a length from 0 to 10em" },
		{ "divs.verse-turnover", AT(turnover), true, 0, 10, "a length from 0 to 10em" },
		{ "divs.stanza-space", AT(stanza), false, 0, 5, "a number of lines from 0 to 5" },
		{ "divs.keep-lines", AT(keep_lines), false, 0, 100, "a number of lines from 0 to 100" },
		{ "divs.signature-indent", AT(sig_indent), false, 0, 0.8, "a share of the measure from 0 to 0.8" },
		{ "divs.sidebar-scale", AT(side_scale), false, 0.5, 2, "a scale of the text from 0.5 to 2" },
		{ "divs.pull-quote-scale", AT(pq_scale), false, 0.5, 3, "a scale of the text from 0.5 to 3" },
		{ "divs.pull-quote-rule", AT(pq_rule), false, 0.2, 1, "a share of the measure from 0.2 to 1" },
#undef AT
	};
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		double *v = (double *)((char *)k + keys[i].at);
		*v = keys[i].length ? gb_style_length(s, keys[i].key, em, t->d) :
		     gb_style_number(s, keys[i].key, t->d);
		if (isnan(*v))
			return false;
		/* a length in ems of the text, as the EPUB's is */
		double x = keys[i].length ? *v / em : *v;
		if (!gb_style_in_range(s, keys[i].key, x, keys[i].lo, keys[i].hi,
				       keys[i].what, t->d))
			return false;
	}
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
			    const gb_ts_divs *k)
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
		       const gb_ts_divs *k);

static void set_para(ts *t, const gb_node *p, const gb_node *prev,
		     const look *l, const gb_ts_divs *k)
{
	setting s = l->s;
	bool verse = l->verse || gb_node_has_class(p, "line-block");
	s.first_indent = 0;
	if (gb_node_has_class(p, "attribution")) {
		s.align = PANGO_ALIGN_RIGHT;
		s.style = PANGO_STYLE_NORMAL;
		s.justify = false;
		gb_ts_add_space(t, s.leading / 3);
	} else if (prev && prev->kind == GB_NODE_PARAGRAPH && l->verse) {
		/* a stanza: a line's space before it, on the grid */
		gb_ts_add_block_space(t, k->stanza * t->leading);
	} else if (prev && prev->kind == GB_NODE_PARAGRAPH && l->prose &&
		   !gb_node_has_class(prev, "line-block")) {
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
			 const gb_ts_divs *k)
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
		       const gb_ts_divs *k)
{
	look l = *outer;
	double old_left = t->left, old_right = t->right;
	double avail = t->measure - t->left - t->right;
	double space = 0, rule = 0;
	bool keep = false;
	bool has = div->classes != NULL;
	if (has && gb_node_has_class(div, "epigraph")) {
		t->left += avail * k->epi_indent;
		l.s.size = t->size * k->epi_scale;
		l.s.leading = t->leading * k->epi_scale;
		l.s.style = PANGO_STYLE_ITALIC;
		l.s.justify = false;
		l.prose = false;
		space = t->leading;
		keep = true;
	} else if (has && gb_node_has_class(div, "dedication")) {
		l.s.size = t->size * k->ded_scale;
		l.s.leading = t->leading * k->ded_scale;
		l.s.style = PANGO_STYLE_ITALIC;
		l.s.align = PANGO_ALIGN_CENTER;
		l.s.justify = false;
		l.prose = false;
		space = k->ded_space * t->leading;
		keep = true;
	} else if (has && gb_node_has_class(div, "verse")) {
		t->left += MIN(k->verse_indent, avail / 3);
		l.verse = true;
		l.prose = false;
		space = t->para_space;
	} else if (has && gb_node_has_class(div, "letter")) {
		gb_ts_indent_quote(t, 1);
		space = t->para_space;
	} else if (has && gb_node_has_class(div, "salutation")) {
		l.prose = false;
	} else if (has && gb_node_has_class(div, "signature")) {
		t->left += avail * k->sig_indent;
		l.s.justify = false;
		l.prose = false;
		gb_ts_add_space(t, t->leading / 2);
	} else if (has && gb_node_has_class(div, "sidebar")) {
		rule = avail;
		gb_ts_indent_quote(t, 1);
		l.s.size = t->size * k->side_scale;
		l.s.leading = t->leading * k->side_scale;
		l.s.justify = true;
		space = t->para_space;
	} else if (has && gb_node_has_class(div, "centered")) {
		l.s.align = PANGO_ALIGN_CENTER;
		l.s.justify = false;
		l.prose = false;
		space = t->para_space;
	} else if (has && gb_node_has_class(div, "pull-quote")) {
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
	} else if (has && gb_node_has_class(div, "attribution")) {
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
		if (gb_node_has_class(div, "sidebar")) {
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
	look l = { .s = gb_ts_body_setting(t), .prose = true };
	set_div_in(t, div, &l, &t->divs);
}

void gb_ts_set_line_block(ts *t, const gb_node *p)
{
	setting s = gb_ts_body_setting(t);
	s.justify = false;
	gb_ts_add_block_space(t, t->para_space / 2);
	set_verse_lines(t, p, &s, &t->divs);
	gb_ts_add_block_space(t, t->para_space / 2);
}
