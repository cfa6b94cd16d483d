/* knuthplass.c - Knuth and Plass's total-fit line breaking over a paragraph's items (lb.h) */
#include "typeset/lb.h"

static int fitness_of(double r)
{
	return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

double gb_lb_ratio_of_spaces(const gb_break_params *bp, double spaces)
{
	return bp->stretch > 0 ? (spaces - 1) / bp->stretch : 0;
}

/*
 * In the fallback pass (pa->fallback): a line of natural width L and
 * adjustment ratio r that would be looser than ragged_above normal spaces
 * may be set ragged instead, as bad as a line of that looseness plus
 * RAGGED times the share of the measure it leaves empty (at most
 * FALLBACK_ROOM of it), and pa->ragged_demerits more; NAN when it may
 * not.  The line may also stay justified, up to the pass's tolerance.
 */
static double fallback_ratio(const para *pa, double r, double L)
{
	const gb_break_params *bp = pa->s->params;
	double limit = gb_lb_ratio_of_spaces(bp, bp->ragged_above);
	double room = (pa->s->measure - L) / pa->s->measure;
	if (r <= limit || room > FALLBACK_ROOM)
		return NAN;
	return limit + RAGGED * room;
}

/*
 * The room of the line from a to item it (microtype.c): the measure, and
 * what its first and last characters may hang into the margins; its
 * boxes (sb, their sum before it, and the hyphen it ends with) stretch
 * and shrink by font expansion besides the spaces (*Y, *Z).
 */
static double line_room(const para *pa, const node *a, const item *it, double hang_right,
			double sb, double *Y, double *Z)
{
	double boxes = sb - a->total_b + (it->type == PENALTY ? it->w : 0);
	guint start = a->prev ? g_array_index(pa->items, item, a->pos).next : 0;
	if (!a->prev && pa->s->indent > 0 && pa->s->justify)
		boxes -= pa->s->indent;  /* (the first line's indent is no glyph) */
	/* (a line that ends at a forced break, the paragraph's last, is set
	   at its natural width: it is not expanded) */
	bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
	double e = forced ? 0 : gb_lb_expansion_room(pa, start, it->end, boxes);
	*Y += e;
	*Z += e;
	return pa->s->measure + a->hang + hang_right;
}

/*
 * Runs total-fit over the items with the given tolerance.  Returns the
 * best final node (in nodes, which owns them), or NULL when none fits.
 */
node *gb_lb_knuth_plass(para *pa, double tolerance, GPtrArray *nodes,
			 bool allow_overfull)
{
	const gb_break_params *bp = pa->s->params;
	GArray *items = pa->items;
	double min_last = bp->min_last_line * pa->s->measure;
	GPtrArray *active = g_ptr_array_new();
	node *start = g_new0(node, 1);
	start->active = true;
	start->fitness = 1;
	start->hang = gb_lb_hang_left(pa, NULL);
	g_ptr_array_add(nodes, start);
	g_ptr_array_add(active, start);
	double sw = 0, sy = 0, sz = 0;   /* sums before item b */
	double sb = 0;                   /* ... of the boxes' widths */
	node *best_final = NULL;
	for (guint b = 0; b < items->len; b++) {
		item *it = &g_array_index(items, item, b);
		bool legal = (it->type == PENALTY && it->p < INF_PENALTY) ||
			     (it->type == GLUE && b > 0 &&
			      g_array_index(items, item, b - 1).type == BOX);
		if (legal && active->len) {
			node *cand[4] = { NULL, NULL, NULL, NULL };
			double cand_d[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
			double cand_r[4] = { 0 };
			bool cand_ragged[4] = { false, false, false, false };
			node *fallback = NULL;
			double fallback_bad = INFINITY, fallback_r = 0;
			double hang = gb_lb_hang_right(pa, it);
			for (guint k = 0; k < active->len; k++) {
				node *a = g_ptr_array_index(active, k);
				double L = sw - a->total_w + (it->type == PENALTY ? it->w : 0) + it->pre;
				double Y = sy - a->total_y, Z = sz - a->total_z;
				double measure = line_room(pa, a, it, hang, sb, &Y, &Z);
				double r;
				/* (a line that ends inside code, an address
				   or a word wider than the line, and cannot
				   stretch to the measure, may be set
				   unstretched, as bad as it is short: a
				   quarter short, as bad as a space stretched
				   by its stretch) */
				bool ragged_line = false;
				double rag_r = NAN;  /* a line set ragged instead */
				bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
				if (L < measure) {
					r = Y > 0 ? (measure - L) / Y : INFINITY;
					double rr = RAGGED * (measure - L) / measure;
					if (it->ragged && r > tolerance && rr < r) {
						r = rr;
						ragged_line = true;
					}
					/* (never at a hyphen: a short line that
					   ends in one looks broken off) */
					if (pa->fallback && !ragged_line && !forced &&
					    !(it->type == PENALTY && it->flagged && it->w > 0))
						rag_r = fallback_ratio(pa, r, L);
				}
				else if (L > measure)
					r = Z > 0 ? (measure - L) / Z : -INFINITY;
				else
					r = 0;
				if (r < -1 || forced) {
					a->active = false;
					if (r < -1 && allow_overfull && -r < fallback_bad) {
						fallback = a;
						fallback_bad = -r;
						fallback_r = r;
					}
				}
				/* the line set justified, and (the fallback)
				   ragged instead: as bad as a line of the
				   ratio rag_r, plus ragged_demerits; it keeps
				   its natural spaces, a decent fitness */
				double opt_r[2], opt_bad[2];
				bool opt_rag[2], opt_fb[2];
				int nopt = 0;
				if (r >= -1 && r <= tolerance) {
					opt_r[nopt] = opt_bad[nopt] = r;
					opt_rag[nopt] = ragged_line;
					opt_fb[nopt++] = false;
				}
				if (!isnan(rag_r)) {
					opt_r[nopt] = 0;
					opt_bad[nopt] = rag_r;
					opt_rag[nopt] = opt_fb[nopt] = true;
					nopt++;
				}
				int run = it->flagged && it->type == PENALTY && !forced ? a->hyphen_run + 1 : 0;
				/* (the fallback pass's penalty for a hyphen: a
				   flagged break at the hyphen penalty) */
				double p = it->type == PENALTY ? it->p : 0;
				if (pa->fallback && pa->hyphen_penalty > 0 && it->type == PENALTY &&
				    it->flagged && !forced && p == bp->hyphen_penalty)
					p = pa->hyphen_penalty;
				if (!nopt || run > bp->max_hyphen_run)
					continue;
				for (int o = 0; o < nopt; o++) {
					double badness = 100 * fabs(opt_bad[o]) * fabs(opt_bad[o]) * fabs(opt_bad[o]);
					double d = (bp->line_penalty + badness) * (bp->line_penalty + badness);
					if (it->type == PENALTY && p >= 0)
						d += p * p;
					else if (it->type == PENALTY && p > -INF_PENALTY)
						d -= p * p;
					if (it->type == PENALTY && it->flagged && a->hyphen_run > 0 && !forced)
						d += bp->double_hyphen_demerits;
					if (it->type == PENALTY && it->last_word)
						d += bp->last_word_demerits;
					/* (twice after a ragged line: two in a row
					   show a paragraph broken off) */
					if (opt_fb[o])
						d += pa->ragged_demerits * (a->ragged ? 2 : 1);
					int f = fitness_of(opt_r[o]);
					if (abs(f - a->fitness) > 1)
						d += bp->fitness_demerits;
					if (forced && L - (it->type == PENALTY ? it->w : 0) < min_last && a->line > 0)
						d += bp->last_line_demerits;
					d += a->demerits;
					if (d < cand_d[f]) {
						cand_d[f] = d;
						cand[f] = a;
						cand_r[f] = opt_r[o];
						cand_ragged[f] = opt_rag[o];
					}
				}
			}
			/* drop the nodes made inactive */
			for (guint k = active->len; k-- > 0;)
				if (!((node *)g_ptr_array_index(active, k))->active)
					g_ptr_array_remove_index(active, k);
			bool any = false;
			for (int f = 0; f < 4; f++)
				any = any || cand[f];
			if (!any && fallback && !active->len) {
				/* nothing fits: take the least overfull line */
				cand[1] = fallback;
				cand_d[1] = fallback->demerits + 1e9;
				cand_r[1] = fallback_r;
			}
			/* the sums after this break: skip glue and penalties */
			double aw = sw, ay = sy, az = sz;
			for (guint j = b; j < items->len; j++) {
				item *n = &g_array_index(items, item, j);
				if (n->type == BOX || (n->type == PENALTY && n->p <= -INF_PENALTY && j > b))
					break;
				if (n->type == GLUE) {
					aw += n->w;
					ay += n->y;
					az += n->z;
				}
			}
			for (int f = 0; f < 4; f++) {
				if (!cand[f])
					continue;
				node *nn = g_new0(node, 1);
				nn->pos = b;
				nn->line = cand[f]->line + 1;
				nn->fitness = f;
				nn->hyphen_run = it->type == PENALTY && it->flagged &&
						 it->p > -INF_PENALTY ? cand[f]->hyphen_run + 1 : 0;
				/* (the next line's first word, set on its own) */
				nn->total_w = aw - gb_lb_post_of(pa, it);
				nn->total_y = ay;
				nn->total_z = az;
				nn->total_b = sb;
				nn->hang = gb_lb_hang_left(pa, it);
				nn->demerits = cand_d[f];
				nn->ratio = cand_r[f];
				nn->ragged = cand_ragged[f];
				nn->prev = cand[f];
				nn->active = true;
				g_ptr_array_add(nodes, nn);
				if (it->type == PENALTY && it->p <= -INF_PENALTY && b + 1 == items->len) {
					if (!best_final || nn->demerits < best_final->demerits)
						best_final = nn;
				} else {
					g_ptr_array_add(active, nn);
				}
			}
		}
		if (it->type == BOX)
			sb += it->w;
		if (it->type == BOX || it->type == GLUE) {
			sw += it->w;
			if (it->type == GLUE) {
				sy += it->y;
				sz += it->z;
			}
		}
	}
	g_ptr_array_free(active, TRUE);
	return best_final;
}
