/* table.c - a part's tables in XHTML: numeric columns, dates as <time> (ep.h) */
#include "epub/ep.h"

#include "design/words.h"

static const char *const align_classes[] = { NULL, "left", "center", "right" };

void gb_ep_table(render *r, const gb_node *n, bool entering)
{
	g_string_append(r->out, entering ? "<table>\n" : "</tbody>\n</table>\n");
	g_free(r->numeric);
	g_free(r->dates);
	r->numeric = entering ? gb_numeric_columns(n, n->number) : NULL;
	r->dates = entering ? gb_date_columns(n, n->number) : NULL;
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
	g_string_append(o, ">");
	if (iso)
		g_string_append_printf(o, "<time datetime=\"%s\">", iso);
	g_free(iso);
}
