/*
 * microtype.c - margin kerning (character protrusion) and font expansion,
 * as pdfTeX's and LuaTeX's microtype package do them: the style's keys
 * read into the breaking parameters, what the line breaker asks of them
 * (lb.h).
 *
 * Protrusion: a line whose last character is a hyphen, a full stop, a
 * comma, a quote or a dash lets it hang into the right margin by a share
 * of its width (microtype's default set), and one whose first character
 * is an opening quote lets it hang into the left one, so that the edge
 * looks straight; the breaker counts the room so gained.  Expansion: the
 * boxes of a justified line stretch and shrink as its spaces do, by up to
 * microtype.expansion of their width, so that the line's ratio sets both
 * the glyphs' horizontal scale (in whole steps) and its spaces.
 */
#include "typeset/lb.h"
#include "typeset/microtype.h"

/* The style's protrusion entry for character c (a hyphen's serves the
   hyphen drawn at a hyphenation point too), or NULL. */
static const struct gb_hang *hang_of(const gb_break_params *bp, gunichar c)
{
	for (int i = 0; bp && i < bp->hangs; i++)
		if (bp->hang[i].c == c)
			return &bp->hang[i];
	return NULL;
}

/* The width of the character at byte i of the paragraph, points. */
static double char_width(const para *pa, guint i)
{
	guint j = (guint)(g_utf8_next_char(pa->text + i) - pa->text);
	return pa->x[MIN(j, pa->len)] - pa->x[i];
}

/* Whether byte i is inline code or an address: a monospaced face, which
   neither hangs nor is expanded (as microtype leaves such faces alone). */
static bool literal(const para *pa, guint i)
{
	return pa->s && (pa->s->monospace || (pa->s->literal && pa->s->literal[i]));
}

double gb_lb_hang_at(const para *pa, guint i)
{
	const gb_break_params *bp = pa->s ? pa->s->params : NULL;
	if (!bp || !bp->hangs || !pa->text || !pa->x || i >= pa->len || literal(pa, i))
		return 0;
	const struct gb_hang *h = hang_of(bp, g_utf8_get_char(pa->text + i));
	return h ? h->left * char_width(pa, i) : 0;
}

double gb_lb_hang_left(const para *pa, const item *it)
{
	if (!it)
		return pa->s && pa->s->indent != 0 ? 0 : gb_lb_hang_at(pa, 0);
	return gb_lb_hang_at(pa, it->next);
}

double gb_lb_hang_right(const para *pa, const item *it)
{
	const gb_break_params *bp = pa->s ? pa->s->params : NULL;
	if (!bp || !bp->hangs || !pa->text || !pa->x || !it)
		return 0;
	if (it->type == PENALTY && it->flagged && it->w > 0) {
		/* the hyphen the line ends with */
		const struct gb_hang *h = hang_of(bp, '-');
		return h ? h->right * it->w : 0;
	}
	guint e = MIN(it->end, pa->len);
	while (e > 0 && pa->text[e - 1] == ' ')
		e--;
	if (e == 0)
		return 0;
	guint i = (guint)(g_utf8_prev_char(pa->text + e) - pa->text);
	if (literal(pa, i))
		return 0;
	const struct gb_hang *h = hang_of(bp, g_utf8_get_char(pa->text + i));
	return h ? h->right * char_width(pa, i) : 0;
}

bool gb_lb_expands(const para *pa, guint a, guint b)
{
	const gb_break_params *bp = pa->s ? pa->s->params : NULL;
	if (!bp || bp->expansion <= 0 || pa->s->monospace)
		return false;
	if (!pa->literal_sum)
		return true;
	a = MIN(a, pa->len);
	b = MIN(MAX(a, b), pa->len);
	return pa->literal_sum[b] == pa->literal_sum[a];
}

double gb_lb_expansion_room(const para *pa, guint a, guint b, double w)
{
	return gb_lb_expands(pa, a, b) ? pa->s->params->expansion * w : 0;
}

void gb_lb_microtype_prepare(para *pa)
{
	const guint8 *lit = pa->s->literal;
	pa->literal_sum = NULL;
	if (!lit)
		return;
	guint n = 0;
	for (guint i = 0; i < pa->len; i++)
		n += lit[i] != 0;
	if (!n)
		return;
	pa->literal_sum = g_new(guint, pa->len + 1);
	pa->literal_sum[0] = 0;
	for (guint i = 0; i < pa->len; i++)
		pa->literal_sum[i + 1] = pa->literal_sum[i] + (lit[i] != 0);
}

void gb_lb_microtype_free(para *pa)
{
	g_free(pa->literal_sum);
	pa->literal_sum = NULL;
}

double gb_lb_expansion_step(const gb_break_params *bp)
{
	return bp->expansion_step > 0 ? bp->expansion_step : bp->expansion;
}

double gb_lb_expand_of(const gb_break_params *bp, double r)
{
	if (!bp || bp->expansion <= 0 || isnan(r))
		return 0;
	double e = CLAMP(r, -1, 1) * bp->expansion;
	double step = gb_lb_expansion_step(bp);
	/* whole steps, at least as far as r asks, the spaces taking the
	   rest: so a line's spaces never grow past what its ratio asks (the
	   nearest step let them: 1.51 normal spaces at a ratio of 1) nor
	   shrink past their limit */
	double n = e > 0 ? ceil(e / step - 1e-9) : floor(e / step + 1e-9);
	return CLAMP(n * step, -bp->expansion, bp->expansion);
}

bool gb_read_microtype(const gb_style *s, gb_break_params *bp, gb_diag *d)
{
	bp->expansion = gb_style_number(s, "microtype.expansion", d);
	bp->expansion_step = gb_style_number(s, "microtype.expansion-step", d);
	if (isnan(bp->expansion) || isnan(bp->expansion_step))
		return false;
	bool ok = gb_style_in_range(s, "microtype.expansion", bp->expansion, 0, 0.1,
				    "a share of a glyph's width from 0 to 0.1 (0.02: 2 %)", d);
	ok &= gb_style_in_range(s, "microtype.expansion-step", bp->expansion_step, 0, 0.1,
				"a share of a glyph's width from 0 to 0.1 (0: any)", d);
	char **list = gb_style_list(s, "microtype.protrusion");
	bp->hangs = 0;
	for (int k = 0; list[k]; k++) {
		/* "CHARACTERS LEFT RIGHT" */
		char **f = g_strsplit_set(list[k], " \t", -1);
		char *w[3];
		int n = 0;
		for (int j = 0; f[j]; j++)
			if (f[j][0] && n < 3)
				w[n++] = f[j];
			else if (f[j][0])
				n = 4;
		char *end1 = NULL, *end2 = NULL;
		double left = n == 3 ? g_ascii_strtod(w[1], &end1) : NAN;
		double right = n == 3 ? g_ascii_strtod(w[2], &end2) : NAN;
		if (n != 3 || !g_utf8_validate(w[0], -1, NULL) || *end1 || *end2 ||
		    !(left >= 0 && left <= 1) || !(right >= 0 && right <= 1)) {
			gb_error(d, gb_style_loc(s, "microtype.protrusion", k),
				 "each item of style 'microtype.protrusion' must be CHARACTERS "
				 "LEFT RIGHT (shares of a character's width, from 0 to 1), "
				 "not '%s'", list[k]);
			ok = false;
		} else {
			for (const char *c = w[0]; *c; c = g_utf8_next_char(c)) {
				if (bp->hangs == GB_HANGS) {
					gb_error(d, gb_style_loc(s, "microtype.protrusion", k),
						 "style 'microtype.protrusion' names more than "
						 "%d characters", GB_HANGS);
					ok = false;
					break;
				}
				struct gb_hang *h = &bp->hang[bp->hangs++];
				h->c = g_utf8_get_char(c);
				h->left = left;
				h->right = right;
			}
		}
		g_strfreev(f);
	}
	g_strfreev(list);
	return ok;
}
