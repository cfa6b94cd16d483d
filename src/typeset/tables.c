/* tables.c - tables: measuring, planning (scaled or turned) and setting them (ts.h) */
#include "typeset/ts.h"

/* ---- tables ---- */

/*
 * How a cell is set at size (the table's text, maybe made smaller): flush
 * left, or as the table aligns its column; a numeric column
 * (gb_numeric_columns()) in lining tabular figures, to the right unless
 * the table aligns it otherwise; the header row in the body face's
 * italic, which sets it apart in every script the body face has (small
 * capitals would be scaled capitals in Cyrillic).  A cell breaks at its
 * spaces only (and between two characters of Chinese or Japanese):
 * never inside a number, a date or a word.
 */
static setting cell_setting(ts *t, const gb_node *cell, bool header, bool numeric,
			    double size)
{
	setting s = gb_ts_body_setting(t);
	s.size = size;
	s.leading = t->leading * size / t->size;
	s.justify = false;
	s.whole_words = true;
	s.tag = NULL;
	gb_align align = gb_cell_align(cell->align, numeric);
	s.align = align == GB_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT :
		  align == GB_ALIGN_CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
	s.figures = numeric && !header ? "lnum, tnum" : NULL;
	if (header) {
		s.style = PANGO_STYLE_ITALIC;
		char *text = gb_node_text(cell);
		s.family = gb_ts_family_for(t, t->body_family, s.weight, s.style, text);
		g_free(text);
	}
	return s;
}

/* Sets the inlines of cell into lines of width w, as cell_setting()
   says; returns the vitems. */
static GPtrArray *cell_lines(ts *t, const gb_node *cell, double w, bool header,
			     bool numeric, double size)
{
	GPtrArray *out = g_ptr_array_new();
	setting s = cell_setting(t, cell, header, numeric, size);
	gb_ts_set_lines(t, cell, &s, NULL, out, w, 0);
	return out;
}

/*
 * The widths of a cell at size: nat, its text on one line (its widest
 * line, at hard breaks); min, its widest word (a run between spaces: a
 * number, a date, a word with its hyphens; a character of Chinese or
 * Japanese), which a cell never breaks; tail, for a number in a numeric
 * column's body, its width from its decimal mark (gb_decimal_anchor()) to
 * its end (-1: not a number).
 */
static void cell_widths(ts *t, const gb_node *cell, bool header, bool numeric,
			double size, double *nat, double *min, double *tail)
{
	inl in;
	gb_ts_inl_init(&in, t, size);
	for (const gb_node *c = cell->first; c; c = c->next)
		gb_node_walk(c, gb_ts_inline_fn, &in);
	/* shaped as it is set: its face, figures and small capitals */
	setting s = cell_setting(t, cell, header, numeric, size);
	gb_ts_text_features(t, &in, &s);
	PangoFontDescription *fd = gb_ts_font_desc(t, s.family, size, s.weight, s.style);
	gb_glyphs *g = gb_shape_text(t->pc, in.text->str, in.attrs, fd);
	double dash_min;
	gb_text_widths(g, nat, &dash_min);
	*min = 0;
	const char *text = in.text->str;
	guint len = (guint)in.text->len;
	/* (Chinese and Japanese break between characters) */
	guint8 *cjk = gb_cjk_breaks(text, len, t->lang);
	for (guint i = 0; i < len;) {
		while (i < len && (text[i] == ' ' || !strncmp(text + i, "\u2028", 3)))
			i += text[i] == ' ' ? 1 : 3;
		guint j = i;
		while (j < len && text[j] != ' ' && strncmp(text + j, "\u2028", 3) &&
		       !(cjk && j > i && cjk[j]))
			j++;
		double x0, x1;
		if (j > i && gb_glyphs_x_range(g, i, j, &x0, &x1))
			*min = MAX(*min, x1 - x0);
		i = j;
	}
	*min = MAX(*min, dash_min);
	/* a number's width after its decimal mark (or its last digit): what
	   decimal alignment lines up */
	*tail = -1;
	long anchor = numeric && !header ? gb_decimal_anchor(text, t->lang) : -1;
	double x0, x1, e0, e1;
	if (anchor >= 0 && gb_glyphs_x_range(g, 0, len, &e0, &e1)) {
		*tail = 0;
		if ((guint)anchor < len && gb_glyphs_x_range(g, (guint)anchor, len, &x0, &x1))
			*tail = x1 - x0;
	}
	g_free(cjk);
	gb_glyphs_unref(g);
	pango_font_description_free(fd);
	gb_ts_inl_release(&in);
}

static vitem *rule_item(double x, double w, double thick, double space)
{
	vitem *v = gb_ts_vitem_new(V_LINE, space);
	gb_ts_vbox(v, GB_BOX_RULE, x, (space - thick) / 2, w, thick, NULL);
	return v;
}

/*
 * Shares avail out between cols columns into w: each at least min (its
 * widest word or number), at most nat (its widest cell on one line), and
 * the room left in proportion to the text each holds (text); what no
 * column can take goes to all (to the columns that are not numeric when
 * every cell is on one line).  False when the minimums do not fit.
 */
static bool share_widths(int cols, const double *nat, const double *min,
			 const double *text, const bool *numeric, double avail, double *w)
{
	double sum_nat = 0, sum_min = 0, sum_words = 0;
	for (int c = 0; c < cols; c++) {
		sum_nat += nat[c];
		sum_min += min[c];
		sum_words += numeric[c] ? 0 : nat[c];
	}
	if (sum_min > avail + 0.001)
		return false;
	if (sum_nat <= avail) {
		/* every cell on one line: the room left in proportion too, to
		   the columns of words only when there are some (a column of
		   numbers keeps its width, its figures beside their header,
		   not flush right across a wide column) */
		for (int c = 0; c < cols; c++)
			w[c] = nat[c] + (sum_words > 0 ? (numeric[c] ? 0 : (avail - sum_nat) * nat[c] / sum_words)
						       : (avail - sum_nat) * nat[c] / sum_nat);
		return true;
	}
	/* a column narrower than a fair share keeps its natural width when
	   the others' minimums leave room for it (a date is not wrapped to
	   give a description a few points more) */
	bool *full = g_new0(bool, cols);
	double with_fixed = 0;
	for (int c = 0; c < cols; c++)
		with_fixed += nat[c] <= avail / cols ? nat[c] : min[c];
	for (int c = 0; c < cols; c++) {
		full[c] = with_fixed <= avail && nat[c] <= avail / cols;
		w[c] = full[c] ? nat[c] : min[c];
	}
	double rest = avail - (with_fixed <= avail ? with_fixed : sum_min);
	for (int round = 0; round < cols && rest > 0.001; round++) {
		double weight = 0;
		for (int c = 0; c < cols; c++)
			if (!full[c])
				weight += MAX(text[c], 0.001);
		if (weight <= 0)
			break;
		double given = 0;
		for (int c = 0; c < cols; c++) {
			if (full[c])
				continue;
			double add = rest * MAX(text[c], 0.001) / weight;
			if (w[c] + add >= nat[c]) {
				add = MAX(0, nat[c] - w[c]);
				full[c] = true;
			}
			w[c] += add;
			given += add;
		}
		rest -= given;
	}
	for (int c = 0; c < cols && rest > 0.001; c++)
		w[c] += rest / cols;
	g_free(full);
	return true;
}

static void measure_table(ts *t, const gb_node *table, int cols, double size,
			  table_measure *m)
{
	m->cols = cols;
	m->rows = 0;
	for (const gb_node *row = table->first; row; row = row->next)
		m->rows += row->kind == GB_NODE_TABLE_ROW;
	m->cell_nat = g_new0(double, (gsize)MAX(m->rows, 1) * (gsize)cols);
	m->nat = g_new0(double, cols);
	m->min = g_new0(double, cols);
	m->text = g_new0(double, cols);
	bool *numeric = m->numeric = gb_numeric_columns(table, cols);
	double *head = g_new0(double, cols), *tails = g_new0(double, cols);
	int r = 0;
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			double n, mn, tail;
			cell_widths(t, cell, row->header, numeric[c], size, &n, &mn, &tail);
			m->cell_nat[r * cols + c] = n;
			m->nat[c] = MAX(m->nat[c], n);
			m->min[c] = MAX(m->min[c], mn);
			m->text[c] += n;
			if (tail >= 0 && cell->align == GB_ALIGN_NONE) {
				head[c] = MAX(head[c], n - tail);
				tails[c] = MAX(tails[c], tail);
			}
		}
		r++;
	}
	/* a column aligned on its decimal marks is as wide as its widest
	   part before them and its widest after them */
	for (int c = 0; c < cols; c++) {
		m->nat[c] = MAX(m->nat[c], head[c] + tails[c]);
		m->min[c] = MAX(m->min[c], head[c] + tails[c]);
	}
	g_free(head);
	g_free(tails);
}

static void measure_free(table_measure *m)
{
	g_free(m->numeric);
	g_free(m->cell_nat);
	g_free(m->nat);
	g_free(m->min);
	g_free(m->text);
}

/*
 * The widths of m's columns at scale (of the size m was measured at;
 * widths grow with the size) with padding pad, into w; false when its
 * widest words do not fit in avail (*need: what they take).  Each width
 * holds its column's text and the gap after it (pad: print.cell-padding,
 * at least an em of the table's text); they add up to avail and a pad.
 */
static bool widths_at(const table_measure *m, double scale, double pad,
		      double avail, double *w, double *need)
{
	int cols = m->cols;
	double *nat = g_new(double, cols), *min = g_new(double, cols);
	double *text = g_new(double, cols);
	*need = 0;
	for (int c = 0; c < cols; c++) {
		nat[c] = m->nat[c] * scale + pad;
		min[c] = m->min[c] * scale + pad;
		text[c] = m->text[c] * scale;
		*need += min[c];
	}
	/* the padding is the gap after a column's text: the last column's
	   text ends at the table's right edge, with its rules */
	*need -= pad;
	bool ok = share_widths(cols, nat, min, text, m->numeric, avail + pad, w);
	g_free(nat);
	g_free(min);
	g_free(text);
	return ok;
}

/* About how deep m is set at scale in widths w: the lines of its deepest
   cell, row by row. */
static double table_depth(const table_measure *m, double scale, double pad,
			  const double *w, double leading, double row_space)
{
	double depth = 0;
	for (int r = 0; r < m->rows; r++) {
		double lines = 1;
		for (int c = 0; c < m->cols; c++) {
			double room = MAX(w[c] - pad, 1);
			lines = MAX(lines, ceil(m->cell_nat[r * m->cols + c] * scale / room - 0.001));
		}
		depth += (lines + row_space) * leading * scale;
	}
	return depth;
}

/*
 * The largest scale, down to print.table-min-scale, at which the widest
 * words of m fit in avail, among those that set the table not much deeper
 * than the smallest would (just past the size where the widest words fit,
 * the columns of long text would get no more than their widest word, and
 * a row many lines); -1 when they do not fit even at the smallest (*need:
 * what they take there).
 */
static double table_scale(ts *t, const table_measure *m, double avail,
			  double base_leading, double *w, double *need)
{
	if (widths_at(m, 1, t->cell_pad, avail, w, need))
		return 1;
	double best = -1, best_depth = 0;
	double depth[64], scales[64];
	int n = 0;
	for (double s = 1; n < 64; s -= 0.05) {
		if (s < t->table_min_scale + 1e-9)
			s = t->table_min_scale;
		double nd;
		if (widths_at(m, s, t->cell_pad * s, avail, w, &nd)) {
			scales[n] = s;
			depth[n] = table_depth(m, s, t->cell_pad * s, w, base_leading, t->row_space);
			if (best < 0 || depth[n] < best_depth)
				best_depth = depth[n];
			best = 1;
			n++;
		}
		if (s <= t->table_min_scale + 1e-9)
			break;
	}
	if (best < 0) {
		widths_at(m, t->table_min_scale, t->cell_pad * t->table_min_scale, avail, w, need);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (depth[i] <= best_depth * 1.15)
			return scales[i];
	return scales[n - 1];
}

/*
 * Plans table (cols columns) at the typesetter's current indents and
 * size: in the measure, smaller down to print.table-min-scale when its
 * widest words do not fit; else turned on a page of its own, when they
 * fit the text block's height there; else it is refused, reported at its
 * position.  The one decision both print and check make.  False when
 * refused (p->w is then NULL).
 */
bool gb_ts_plan_table(ts *t, const gb_node *table, int cols, table_plan *p)
{
	*p = (table_plan){ 0 };
	if (t->lang)
		pango_context_set_language(t->pc, pango_language_from_string(t->lang));
	double avail = t->measure - t->left - t->right;
	double base = t->size * t->caption_scale;
	double base_leading = t->leading * t->caption_scale;
	double *w = g_new0(double, cols);
	table_measure m;
	measure_table(t, table, cols, base, &m);
	double need = 0;
	double scale = table_scale(t, &m, avail, base_leading, w, &need);
	/* turned, the table's width is the text block's height (not in a
	   note, which is set at the foot of the text's page) */
	bool landscape = false;
	double turned = t->body_h, turned_need = 0;
	if (scale < 0 && !t->in_note) {
		scale = table_scale(t, &m, turned, base_leading, w, &turned_need);
		landscape = scale > 0;
		if (landscape)
			avail = turned;
	}
	measure_free(&m);
	if (scale < 0) {
		if (t->in_note)
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt (print.table-min-scale %g), "
				 "the measure is %.0f pt; give it fewer columns, shorter words, or "
				 "a wider paper",
				 cols, need, base * t->table_min_scale, t->table_min_scale, avail);
		else
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt (print.table-min-scale %g), "
				 "the measure is %.0f pt, and %.0f pt on a page of its own turned "
				 "a quarter; give it fewer columns, shorter words, or a wider paper",
				 cols, need, base * t->table_min_scale, t->table_min_scale, avail,
				 turned);
		t->failed = true;
		g_free(w);
		return false;
	}
	/* the widths at that size, from the text shaped at it (at the base
	   size, table_scale() has just found them) */
	double size = base * scale, pad = t->cell_pad * scale;
	for (int tries = 0; scale < 1; tries++) {
		measure_table(t, table, cols, size, &m);
		bool ok = widths_at(&m, 1, pad, avail, w, &need);
		measure_free(&m);
		if (ok)
			break;
		if (tries == 10) {
			gb_error(t->d, table->loc,
				 "a table of %d columns is too wide for the page: its widest words "
				 "and numbers take %.0f pt at %.1f pt, the measure is %.0f pt",
				 cols, need, size, avail);
			t->failed = true;
			g_free(w);
			return false;
		}
		/* (the widths at the smaller size, a hair off the estimate) */
		scale *= 0.995;
		size = base * scale;
		pad = t->cell_pad * scale;
	}
	*p = (table_plan){ scale, size, pad, avail, w, landscape };
	return true;
}

void gb_ts_set_table(ts *t, const gb_node *table)
{
	int cols = table->number;
	if (cols <= 0)
		return;
	const gb_node *caption = NULL;
	for (const gb_node *row = table->first; row; row = row->next)
		if (row->kind == GB_NODE_CAPTION)
			caption = row;
	table_plan plan;
	if (!gb_ts_plan_table(t, table, cols, &plan))
		return;
	double scale = plan.scale, size = plan.size, pad = plan.pad;
	double avail = plan.avail, *w = plan.w;
	/* turned, the table is set in the frame of its pages, from its
	   left edge */
	double left = plan.landscape ? 0 : t->left;
	double row_leading = t->leading * t->caption_scale * scale;
	bool *numeric = gb_numeric_columns(table, cols);
	/* decimal alignment: each column's widest part after the decimal
	   marks of its numbers, at the size the table is set at; and each
	   such cell's own (cell_tail, in the order the rows are set) */
	double *tails = g_new0(double, cols);
	GArray *cell_tail = g_array_new(FALSE, FALSE, sizeof(double));
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW || row->header)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			double n, mn, tail;
			if (!numeric[c] || cell->align != GB_ALIGN_NONE)
				continue;
			cell_widths(t, cell, false, true, size, &n, &mn, &tail);
			tails[c] = MAX(tails[c], tail);
			g_array_append_val(cell_tail, tail);
		}
	}
	guint next_tail = 0;
	gb_ts_add_block_space(t, t->para_space);
	guint first = t->galley->len;
	gb_ts_add_mark(t->galley, true, "Table", true);
	if (caption) {
		setting s = gb_ts_body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->caption_scale;
		s.leading = t->leading * t->caption_scale;
		s.justify = false;
		s.tag = "Caption";
		s.keep_all = true;
		gb_ts_set_lines(t, caption, &s, NULL, t->galley, avail, left);
	}
	vitem *top = rule_item(left, avail, t->table_rule, t->leading / 2);
	top->keep = true;
	g_ptr_array_add(t->galley, top);
	vitem *header = NULL;
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		vitem *v = gb_ts_vitem_new(V_LINE, 0);
		gb_ts_vbox(v, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, "TR");
		double x = left, h = 0;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			gb_ts_vbox(v, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, row->header ? "TH" : "TD");
			GPtrArray *lines = cell_lines(t, cell, w[c] - pad, row->header, numeric[c],
						      size);
			/* a number set right, moved left by what its decimal
			   part lacks of the column's widest */
			double shift = 0;
			if (numeric[c] && !row->header && cell->align == GB_ALIGN_NONE) {
				double tail = g_array_index(cell_tail, double, next_tail++);
				if (tail >= 0)
					shift = tails[c] - tail;
			}
			double y = 0;
			for (guint i = 0; i < lines->len; i++) {
				vitem *l = g_ptr_array_index(lines, i);
				for (guint k = 0; k < l->boxes->len; k++) {
					gb_box *b = g_ptr_array_index(l->boxes, k);
					b->x += x - shift;
					b->y += y;
					g_ptr_array_add(v->boxes, b);
				}
				g_ptr_array_set_size(l->boxes, 0);
				if (l->notes) {
					if (!v->notes)
						v->notes = g_ptr_array_new();
					for (guint k = 0; k < l->notes->len; k++)
						g_ptr_array_add(v->notes, g_ptr_array_index(l->notes, k));
					g_ptr_array_set_size(l->notes, 0);
				}
				y += l->height;
				gb_ts_vitem_free(l);
			}
			g_ptr_array_free(lines, TRUE);
			gb_ts_vbox(v, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
			h = MAX(h, y);
			x += w[c];
		}
		gb_ts_vbox(v, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
		v->height = h + row_leading * t->row_space;
		if (row->header) {
			v->keep = true;
			g_ptr_array_add(t->galley, v);
			vitem *mid = rule_item(left, avail, t->rule, t->leading / 3);
			mid->keep = true;
			g_ptr_array_add(t->galley, mid);
			/* a copy to repeat on later pages, as the table opens:
			   its top rule, the header's text and the rule under
			   it, outside the structure (the header is tagged
			   once) */
			header = gb_ts_vitem_new(V_LINE, top->height + v->height + mid->height);
			double dy = 0;
			const vitem *parts[] = { top, v, mid };
			for (guint q = 0; q < G_N_ELEMENTS(parts); q++) {
				for (guint k = 0; k < parts[q]->boxes->len; k++) {
					const gb_box *b = g_ptr_array_index(parts[q]->boxes, k);
					if (b->kind != GB_BOX_TEXT && b->kind != GB_BOX_RULE)
						continue;
					gb_box *copy = gb_ts_clone_box(b);
					copy->y += dy;
					g_ptr_array_add(header->boxes, copy);
				}
				dy += parts[q]->height;
			}
			g_ptr_array_add(t->clones, header);
		} else {
			v->header = header;
			g_ptr_array_add(t->galley, v);
		}
	}
	g_ptr_array_add(t->galley, rule_item(left, avail, t->table_rule, t->leading / 2));
	gb_ts_add_mark(t->galley, false, NULL, false);
	for (guint i = first; plan.landscape && i < t->galley->len; i++)
		((vitem *)g_ptr_array_index(t->galley, i))->turned = true;
	/* a table that fits on a page and not where it is floats to the
	   top of the next (pages.c); a longer one is split between rows */
	double depth = 0;
	for (guint i = first; i < t->galley->len; i++)
		depth += ((vitem *)g_ptr_array_index(t->galley, i))->height;
	if (!plan.landscape && !t->in_note && depth <= t->body_h * 0.8)
		((vitem *)g_ptr_array_index(t->galley, first))->float_len = t->galley->len - first;
	gb_ts_add_block_space(t, t->para_space);
	g_free(numeric);
	g_free(tails);
	g_array_free(cell_tail, TRUE);
	g_free(w);
}
