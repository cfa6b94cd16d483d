/* table.c - a part's tables in XHTML: numeric columns, dates as <time> (ep.h) */
#include "epub/ep.h"

#include <math.h>

#include "design/textwidth.h"
#include "design/words.h"

static const char *const align_classes[] = { NULL, "left", "center", "right" };

/*
 * The widths of column below which the stylesheet stacks a table, in ems
 * of the text: a table is marked with the least of them above its
 * narrowest (class "stack-N": stacked in a column narrower than N ems),
 * "stack-always" when it is wider than the widest (no reading screen's
 * column is that wide), and left alone when its narrowest fits the
 * narrowest phone's column (320 CSS pixels less a reading system's
 * margins, at 16 px).  The stylesheet asks both the column's width
 * (a container query on body: in a reading system that lays pages out
 * as the columns of one wide document, foliate-js, epub.js, body is one
 * column wide) and the screen's (a media query, where the viewport is
 * the page).
 */
#define NARROWEST_MEASURE_EM 16.0
#define STACK_STEP_EM 10
#define STACK_WIDEST_EM 80
/* what the measure leaves out (cell borders, small capitals...): a
   browser lays a table out up to about an em wider than its narrowest
   measured here (seen in Chromium: 36.4 ems for 35.3 measured, the
   8-column table of tests/books/tables) */
#define STACK_SLACK_EM 1.5
/* a table's text, in ems of the text (the stylesheet's table font-size) */
#define TABLE_SCALE 0.9

/* The widest piece of text that cannot break: a word (breaks at spaces
   and after hyphens and dashes), or all of it when nowrap. */
static double min_width(gb_textwidth *w, const char *text, bool nowrap)
{
	if (nowrap)
		return gb_textwidth_em(w, text);
	double widest = 0;
	GString *word = g_string_new(NULL);
	for (const char *p = text;; p = g_utf8_next_char(p)) {
		gunichar u = *p ? g_utf8_get_char(p) : 0;
		/* (no break at a no-break space) */
		bool space = !u || (g_unichar_isspace(u) && u != 0x00a0 && u != 0x202f);
		if (!space)
			g_string_append_unichar(word, u);
		if (space || u == '-' || u == 0x2013 || u == 0x2014) {
			if (word->len) {
				double x = gb_textwidth_em(w, word->str);
				widest = x > widest ? x : widest;
			}
			g_string_truncate(word, 0);
		}
		if (!u)
			break;
	}
	g_string_free(word, TRUE);
	return widest;
}

/* A measurer of the body family's face (the header row: its italic). */
static gb_textwidth *body_face(const epub *e, bool italic)
{
	const char *family = gb_style_get(e->opt->style, "fonts.body");
	const gb_font *f = family && e->opt->fonts ?
		gb_fontset_find(e->opt->fonts, family, 400, italic) : NULL;
	return f ? gb_textwidth_new(f->path, 0) : NULL;
}

/*
 * The headers of table's columns when the narrowest the table can be - the
 * widest unbreakable word of each column, a numeric column's or a date's
 * whole text, and the padding between the columns - is wider than the
 * narrowest phone's measure, and in *below the width of column below
 * which it is stacked (0: always); NULL when it fits (or has one column,
 * which is as narrow as its widest word anyway).
 */
static char **stack_heads(const render *r, const gb_node *table, int *below)
{
	int cols = table->number;
	if (cols < 2)
		return NULL;
	gb_textwidth *roman = body_face(r->e, false), *italic = body_face(r->e, true);
	if (!roman || !italic) {
		gb_textwidth_free(roman);
		gb_textwidth_free(italic);
		return NULL;
	}
	double *col = g_new0(double, cols);
	char **heads = g_new0(char *, cols + 1);
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			char *text = gb_node_text(cell);
			char *iso = row->header ? NULL : gb_cell_date(text, r->dates[c]);
			/* a numeric column does not wrap, its header neither
			   (th.num) */
			bool nowrap = r->numeric[c] || iso;
			double x = min_width(row->header ? italic : roman, text, nowrap);
			col[c] = x > col[c] ? x : col[c];
			if (row->header && !heads[c])
				heads[c] = g_strstrip(text);
			else
				g_free(text);
			g_free(iso);
		}
	}
	for (int c = 0; c < cols; c++)
		if (!heads[c])
			heads[c] = g_strdup("");
	const char *pad = gb_style_get(r->e->opt->style, "print.cell-padding");
	double total = (cols - 1) * (pad ? g_ascii_strtod(pad, NULL) : 1.0);
	for (int c = 0; c < cols; c++)
		total += col[c];
	g_free(col);
	gb_textwidth_free(roman);
	gb_textwidth_free(italic);
	double need = total * TABLE_SCALE + STACK_SLACK_EM;
	if (need <= NARROWEST_MEASURE_EM) {
		g_strfreev(heads);
		return NULL;
	}
	int step = (int)ceil(need / STACK_STEP_EM) * STACK_STEP_EM;
	*below = step > STACK_WIDEST_EM ? 0 : step;
	return heads;
}

void gb_ep_table(render *r, const gb_node *n, bool entering)
{
	g_free(r->numeric);
	g_free(r->dates);
	g_strfreev(r->heads);
	r->numeric = entering ? gb_numeric_columns(n, n->number) : NULL;
	r->dates = entering ? gb_date_columns(n, n->number) : NULL;
	int below = 0;
	r->heads = entering ? stack_heads(r, n, &below) : NULL;
	if (!entering)
		g_string_append(r->out, "</tbody>\n</table>\n");
	else if (!r->heads)
		g_string_append(r->out, "<table>\n");
	else if (below)
		/* too wide for a column narrower than that: the stylesheet
		   stacks its cells there, each after its column's header
		   (data-label) */
		g_string_append_printf(r->out, "<table class=\"stack-%d\">\n", below);
	else
		g_string_append(r->out, "<table class=\"stack-always\">\n");
}

/* The date a body cell's whole text is (gb_cell_date), or NULL. */
static char *cell_date(const render *r, const gb_node *cell, int col)
{
	if (cell->parent->header)
		return NULL;
	char *text = gb_node_text(cell);
	char *iso = gb_cell_date(text, r->dates && col < cell->parent->parent->number &&
					r->dates[col]);
	g_free(text);
	return iso;
}

void gb_ep_table_cell(render *r, const gb_node *n, bool entering)
{
	GString *o = r->out;
	const char *tag = n->parent->header ? "th" : "td";
	int col = 0;
	for (const gb_node *c = n->parent->first; c && c != n; c = c->next)
		col++;
	/* a cell whose whole text is a date: a <time> with its ISO 8601
	   form, which the stylesheet keeps on one line */
	char *iso = cell_date(r, n, col);
	if (!entering) {
		if (iso)
			g_string_append(o, "</time>");
		g_string_append_printf(o, "</%s>", tag);
		g_free(iso);
		return;
	}
	g_string_append_printf(o, "<%s", tag);
	if (n->parent->header)
		g_string_append(o, " scope=\"col\"");
	/* a numeric column (the rule print sets by): lining tabular figures,
	   to the right unless the table aligns it */
	bool num = r->numeric && col < n->parent->parent->number && r->numeric[col];
	gb_align align = gb_cell_align(n->align, num);
	if (align_classes[align] || num)
		g_string_append_printf(o, " class=\"%s%s%s\"", num ? "num" : "",
				       num && align_classes[align] ? " " : "",
				       align_classes[align] ? align_classes[align] : "");
	if (r->heads && !n->parent->header && col < n->parent->parent->number &&
	    *r->heads[col]) {
		g_string_append(o, " data-label=\"");
		gb_ep_esc(o, r->heads[col]);
		g_string_append(o, "\"");
	}
	g_string_append(o, ">");
	if (iso)
		g_string_append_printf(o, "<time datetime=\"%s\">", iso);
	g_free(iso);
}
