/* safety.c - every mark of a typeset book inside a printer's safety margin. */
#include "typeset/typeset.h"

#include <string.h>

#include "source/tree.h"
#include "typeset/layout.h"

/* What box i of page p covers, points from the trim's top left: x0, y0,
   x1, y1.  False for a box that draws nothing. */
static bool extent(const gb_page *p, guint i, const gb_box *b, double r[4])
{
	double x0, y0, x1, y1;
	if (b->kind == GB_BOX_TEXT) {
		if (!b->glyphs || b->w <= 0)
			return false;
		double ascent, height;
		gb_glyphs_extents(b->glyphs, NULL, &ascent, &height);
		x0 = b->x;
		x1 = b->x + b->w;
		y0 = b->y - ascent;
		y1 = y0 + height;
	} else if (b->kind == GB_BOX_RULE || b->kind == GB_BOX_IMAGE) {
		x0 = b->x;
		x1 = b->x + b->w;
		y0 = b->y;
		y1 = b->y + b->h;
	} else {
		return false;
	}
	if (i < p->turned) {
		/* a frame turned a quarter: its x runs up the page from
		   (turn_x, turn_y), its y to the right */
		double tx0 = p->turn_x + y0, tx1 = p->turn_x + y1;
		double ty0 = p->turn_y - x1, ty1 = p->turn_y - x0;
		x0 = tx0;
		x1 = tx1;
		y0 = ty0;
		y1 = ty1;
	}
	r[0] = x0;
	r[1] = y0;
	r[2] = x1;
	r[3] = y1;
	return true;
}

/* The box, as a message names it: its text, a rule, a picture. */
static char *describe(const gb_box *b)
{
	if (b->kind == GB_BOX_RULE)
		return g_strdup("a rule");
	if (b->kind == GB_BOX_IMAGE)
		return g_strdup_printf("the picture %s", b->text ? b->text : "");
	const char *text = b->text ? b->text : "";
	if (g_utf8_strlen(text, -1) <= 30)
		return g_strdup_printf("'%s'", text);
	char *start = g_utf8_substring(text, 0, 29);
	char *s = g_strdup_printf("'%s\u2026'", start);
	g_free(start);
	return s;
}

bool gb_layout_check_safety(const gb_layout *lay, double safety, const char *printer,
			    const char *rule, gb_diag *d)
{
	if (safety <= 0)
		return true;
	bool ok = true;
	for (guint n = 0; n < lay->pages->len; n++) {
		const gb_page *p = g_ptr_array_index(lay->pages, n);
		for (guint i = 0; i < p->boxes->len; i++) {
			const gb_box *b = g_ptr_array_index(p->boxes, i);
			double r[4];
			if (!extent(p, i, b, r))
				continue;
			/* a picture meant to bleed ({.bleed}) runs to the trim */
			if (b->kind == GB_BOX_IMAGE && b->source && ((const gb_node *)b->source)->bleed)
				continue;
			double gap[4] = { r[0], r[1], lay->width - r[2], lay->height - r[3] };
			const char *edge[4] = { p->recto ? "inside" : "outside", "top",
						p->recto ? "outside" : "inside", "bottom" };
			int k = 0;
			for (int j = 1; j < 4; j++)
				if (gap[j] < gap[k])
					k = j;
			/* a hundredth of a point: the positions' own rounding */
			if (gap[k] >= safety - 0.01)
				continue;
			const gb_node *src = (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_IMAGE)
					     ? b->source : NULL;
			char *what = describe(b);
			gb_error(d, src ? src->loc : gb_noloc(),
				 "%s lies %.3g in from the %s trim on page %u, inside %s's "
				 "%.3g in safety margin (styles/profiles.yaml: %s)",
				 what, gap[k] / 72, edge[k], n + 1, printer, safety / 72, rule);
			g_free(what);
			ok = false;
			break;  /* one a page */
		}
	}
	return ok;
}
