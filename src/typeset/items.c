/* items.c - a paragraph as boxes, glue and penalties: measuring, Chinese and Japanese breaks, hyphenation points (lb.h) */
#include "typeset/lb.h"

/* ---- Chinese and Japanese ---- */

/*
 * Whether c is written in Chinese or Japanese, whose text has no spaces
 * and breaks between characters: ideographs, kana, bopomofo, and the
 * punctuation and full-width forms of their blocks (、。「」（）...).
 * Hangul is not (Korean breaks at its spaces), nor are emoji.
 */
bool gb_lb_is_cjk(gunichar c)
{
	if (c < 0x2E80)
		return false;
	if ((c >= 0x3000 && c <= 0x303F) ||     /* CJK symbols and punctuation */
	    (c >= 0x3040 && c <= 0x30FF) ||     /* hiragana, katakana */
	    (c >= 0x31F0 && c <= 0x31FF) ||     /* katakana extensions */
	    (c >= 0xFE30 && c <= 0xFE4F) ||     /* CJK compatibility forms */
	    (c >= 0xFF00 && c <= 0xFFEF))       /* half- and full-width forms */
		return true;
	GUnicodeScript sc = g_unichar_get_script(c);
	return sc == G_UNICODE_SCRIPT_HAN || sc == G_UNICODE_SCRIPT_HIRAGANA ||
	       sc == G_UNICODE_SCRIPT_KATAKANA || sc == G_UNICODE_SCRIPT_BOPOMOFO;
}

guint8 *gb_cjk_breaks(const char *text, guint len, const char *lang)
{
	/* most paragraphs have none: a look at the bytes first (every
	   character gb_lb_is_cjk() takes is three bytes or four, from 0xE2) */
	bool any = false;
	for (guint i = 0; i < len && !any; i++)
		if ((guchar)text[i] >= 0xE2)
			any = gb_lb_is_cjk(g_utf8_get_char(text + i));
	if (!any)
		return NULL;
	int nchars = (int)g_utf8_strlen(text, (gssize)len);
	PangoLogAttr *la = g_new0(PangoLogAttr, nchars + 1);
	pango_get_log_attrs(text, (int)len, -1,
			    lang ? pango_language_from_string(lang) : pango_language_get_default(),
			    la, nchars + 1);
	guint8 *cjk = g_new0(guint8, len + 1);
	gunichar prev = 0;
	int k = 0;
	for (const char *p = text; p < text + len; p = g_utf8_next_char(p), k++) {
		gunichar c = g_utf8_get_char(p);
		/* (not at a space nor a forced break: those are breaks of
		   their own) */
		if (k > 0 && la[k].is_line_break && prev != ' ' && c != ' ' &&
		    prev != 0x2028 && c != 0x2028 && (gb_lb_is_cjk(prev) || gb_lb_is_cjk(c)))
			cjk[p - text] = 1;
		prev = c;
	}
	g_free(la);
	return cjk;
}

static bool is_dash(const char *p)
{
	return *p == '-' || !strncmp(p, "\u2013", 3) || !strncmp(p, "\u2014", 3);
}

/* Each byte's advance (points, on the first byte of its cluster) in g. */
static double *advances(const gb_glyphs *g, guint len)
{
	double *adv = g_new0(double, len + 1);
	for (guint r = 0; r < g->runs->len; r++) {
		const PangoGlyphItem *run = g->runs->pdata[r];
		for (int k = 0; k < run->glyphs->num_glyphs; k++) {
			guint at = (guint)(run->item->offset + run->glyphs->log_clusters[k]);
			if (at < len)
				adv[at] += run->glyphs->glyphs[k].geometry.width / (double)PANGO_SCALE;
		}
	}
	return adv;
}

void gb_text_widths(const gb_glyphs *g, double *nat, double *min)
{
	guint len = (guint)strlen(g->text);
	double *adv = advances(g, len);
	const char *t = g->text;
	guint8 *cjk = gb_cjk_breaks(t, len, NULL);
	double line = 0, word = 0;
	*nat = *min = 0;
	for (guint i = 0; i < len;) {
		guint next = (guint)(g_utf8_next_char(t + i) - t);
		if (cjk && cjk[i]) {
			/* a character of Chinese or Japanese: a word */
			*min = MAX(*min, word);
			word = 0;
		}
		if (!strncmp(t + i, "\u2028", 3)) {
			*nat = MAX(*nat, line);
			*min = MAX(*min, word);
			line = word = 0;
		} else if (t[i] == ' ') {
			*min = MAX(*min, word);
			word = 0;
			line += adv[i];
		} else {
			word += adv[i];
			line += adv[i];
			if (is_dash(t + i) && next < len && t[next] != ' ') {
				*min = MAX(*min, word);
				word = 0;
			}
		}
		for (guint k = i + 1; k < next; k++) {
			line += adv[k];
			word += adv[k];
		}
		i = next;
	}
	*nat = MAX(*nat, line);
	*min = MAX(*min, word);
	g_free(adv);
	g_free(cjk);
}

/* The widths of every prefix of the text, from one unbroken shaping. */
void gb_lb_measure_text(para *pa, PangoContext *pc)
{
	const gb_para_spec *s = pa->s;
	pa->shaped = s->shaped ? gb_glyphs_ref(s->shaped)
			       : gb_shape_text(pc, s->text, s->attrs, s->font);
	double *adv = advances(pa->shaped, pa->len);
	pa->runs = strchr(s->text, '\t') ? NULL : pa->shaped->runs;
	for (guint i = 0; pa->runs && i < pa->runs->len; i++)
		if (((const PangoGlyphItem *)pa->runs->pdata[i])->item->analysis.level % 2)
			pa->runs = NULL;
	pa->words = gb_lb_word_cache_of(pc);
	pa->pre = g_new(double, pa->len + 1);
	for (guint i = 0; i <= pa->len; i++)
		pa->pre[i] = NAN;
	pa->x = g_new0(double, pa->len + 1);
	for (guint i = 0; i < pa->len; i++)
		pa->x[i + 1] = pa->x[i] + adv[i];
	g_free(adv);
	pa->cjk = pa->runs ? gb_cjk_breaks(s->text, pa->len, s->lang) : NULL;
	for (guint i = 0; pa->cjk && i < pa->len; i++) {
		if (!pa->cjk[i])
			continue;
		/* never inside code or an address, nor inside a cluster */
		guint prev = (guint)(g_utf8_prev_char(s->text + i) - s->text);
		const PangoGlyphItem *run = pa->runs->pdata[gb_lb_run_after(pa, i)];
		if ((s->literal && (s->literal[i] || s->literal[prev])) ||
		    !gb_lb_starts_cluster(run, (int)(i - (guint)run->item->offset)))
			pa->cjk[i] = 0;
	}
	/* a space and a hyphen in the base font */
	gb_lb_space_and_hyphen(pc, s->font, &pa->space, &pa->hyphen);
}

void gb_lb_para_free(para *pa)
{
	g_free(pa->x);
	g_free(pa->pre);
	g_free(pa->cjk);
	gb_glyphs_unref(pa->shaped);
}

static void add_item(para *pa, int type, double w, double y, double z,
		     double p, bool flagged, guint end, guint next)
{
	item it = { .type = type, .w = w, .y = y, .z = z, .p = p, .flagged = flagged,
		    .end = end, .next = next };
	g_array_append_val(pa->items, it);
}

/*
 * The stretch and shrink (points) of the glue at the break between two
 * characters of Chinese or Japanese before byte i (pa->cjk[i]): in ems
 * of the character of the two that is Chinese or Japanese.
 */
void gb_lb_cjk_glue(const para *pa, guint i, double *y, double *z)
{
	const char *t = pa->text;
	guint prev = (guint)(g_utf8_prev_char(t + i) - t);
	guint next = (guint)(g_utf8_next_char(t + i) - t);
	gunichar a = g_utf8_get_char(t + prev), b = g_utf8_get_char(t + i);
	double em = gb_lb_is_cjk(a) ? pa->x[i] - pa->x[prev] : pa->x[next] - pa->x[i];
	em = MAX(em, 0);
	GUnicodeBreakType ta = g_unichar_break_type(a), tb = g_unichar_break_type(b);
	bool blank = (gb_lb_is_cjk(a) && (ta == G_UNICODE_BREAK_CLOSE_PUNCTUATION ||
				    ta == G_UNICODE_BREAK_CLOSE_PARENTHESIS)) ||
		     (gb_lb_is_cjk(b) && tb == G_UNICODE_BREAK_OPEN_PUNCTUATION);
	*y = CJK_STRETCH * em;
	*z = blank ? CJK_PUNCT_SHRINK * em : 0;
}

/*
 * The box of text[a, b), a word or a piece of one.  When split (a word
 * wider than the line, a long address, a line of code; or any word, in
 * the last pass), it can be broken where Unicode's line breaking rules
 * allow (Pango's; not inside code or an address, literal), else between
 * any two of its clusters, as Typst does; so no line ever runs over the
 * margin.
 */
static void add_box(para *pa, guint a, guint b, bool split, bool literal, bool narrow)
{
	double w = pa->x[b] - pa->x[a];
	if (!split || !pa->runs) {
		add_item(pa, BOX, w, 0, 0, 0, false, 0, 0);
		return;
	}
	int nchars = (int)g_utf8_strlen(pa->text + a, (gssize)(b - a));
	PangoLogAttr *la = g_new0(PangoLogAttr, nchars + 1);
	pango_get_log_attrs(pa->text + a, (int)(b - a), -1,
			    pa->s->lang ? pango_language_from_string(pa->s->lang)
					: pango_language_get_default(),
			    la, nchars + 1);
	guint from = a;
	guint r = gb_lb_run_after(pa, a);
	int k = 1;
	for (guint i = (guint)(g_utf8_next_char(pa->text + a) - pa->text); i < b;
	     i = (guint)(g_utf8_next_char(pa->text + i) - pa->text), k++) {
		while (r < pa->runs->len) {
			const PangoGlyphItem *run = pa->runs->pdata[r];
			if ((guint)(run->item->offset + run->item->length) > i)
				break;
			r++;
		}
		if (r >= pa->runs->len)
			break;
		const PangoGlyphItem *run = pa->runs->pdata[r];
		if (!gb_lb_starts_cluster(run, (int)(i - (guint)run->item->offset)))
			continue;
		bool opportunity = la[k].is_line_break && !literal;
		add_item(pa, BOX, pa->x[i] - pa->x[from], 0, 0, 0, false, 0, 0);
		item it = { .type = PENALTY, .p = opportunity ? WIDE_PENALTY : LETTER_PENALTY,
			    .letter = !opportunity, .ragged = true, .end = i, .next = i,
			    .narrow = narrow && !opportunity };
		g_array_append_val(pa->items, it);
		from = i;
	}
	add_item(pa, BOX, pa->x[b] - pa->x[from], 0, 0, 0, false, 0, 0);
	g_free(la);
}

static bool is_space(const char *p)
{
	return *p == ' ';
}

/*
 * The width of text[from, to) as set_line() sets it at a line's end or
 * start: shaped again on its own, with a hyphen when hyphen, with the
 * character after it when next (then cut before it).
 */
static double piece_width(const para *pa, guint from, guint to, bool hyphen, bool next)
{
	if (to <= from)
		return 0;
	guint end = next && to < pa->len ? (guint)(g_utf8_next_char(pa->text + to) - pa->text) : to;
	/* a piece inside one run: its width follows from its text and the
	   run's item key alone, and is measured once a run (a word is
	   broken at the same points in every paragraph and pass) */
	word_file *f = NULL;
	word_cache *c = pa->words;
	guint r = gb_lb_run_after(pa, from);
	if (r < pa->runs->len) {
		const PangoGlyphItem *run = pa->runs->pdata[r];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro <= from && end <= re)
			f = gb_lb_file_of(c, &run->item->analysis);
	}
	if (f) {
		char tag[3] = { '\x04', hyphen ? 'h' : '-', end > to ? 'n' : '-' };
		gb_lb_key_set(c->key, tag, 3, pa->text + from, (gsize)(end - from));
		const double *known = gb_lb_width_known(f, c->key->str);
		if (known)
			return *known;
	}
	GString *text = g_string_new_len(pa->text + from, (gssize)(end - from));
	if (hyphen)
		g_string_append(text, "\u00AD");
	gb_glyphs *g = gb_glyphs_new(g_string_free(text, FALSE));
	gb_lb_reshape_runs(pa->pc, pa, g, from, from, to, hyphen, next);
	double w = gb_glyphs_width(g);
	gb_glyphs_unref(g);
	if (f) {
		/* (gb_lb_reshape_runs used the scratch key: the key again) */
		char tag[3] = { '\x04', hyphen ? 'h' : '-', end > to ? 'n' : '-' };
		gb_lb_key_set(c->key, tag, 3, pa->text + from, (gsize)(end - from));
		gb_lb_width_keep(c, f, c->key->str, w);
	}
	return w;
}

/*
 * What a line ending at the space after the word text[ws, we) gains: the
 * word set on its own (set_line() shapes it so) loses the kern its last
 * letter makes with the space.  Asked of the letter alone and the letter
 * with a space, both from the cache of shaped words, when the letter is a
 * cluster of its own in the paragraph's run and the space in the same run;
 * else of the word set again.
 */
static double space_gain(const para *pa, guint ws, guint we)
{
	const char *t = pa->text;
	guint last = (guint)(g_utf8_prev_char(t + we) - t);
	const PangoGlyphItem *run = pa->runs->pdata[gb_lb_run_after(pa, last)];
	const PangoAnalysis *a = &run->item->analysis;
	guint ro = (guint)run->item->offset;
	word_cache *c = pa->words;
	word_file *f = NULL;
	if (ro + (guint)run->item->length > we && ro <= last && a->level % 2 == 0 &&
	    !(a->flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE | PANGO_ANALYSIS_FLAG_IS_ELLIPSIS |
			  PANGO_ANALYSIS_FLAG_NEED_HYPHEN)) &&
	    gb_lb_starts_cluster(run, (int)(last - ro)))
		f = gb_lb_file_of(c, a);
	if (f) {
		int n = (int)(we - last);
		/* measured once a run for each last letter */
		gb_lb_key_set(c->key, "\x05", 1, t + last, (gsize)n);
		const double *known = gb_lb_width_known(f, c->key->str);
		if (known && !isnan(*known))
			return *known;
		if (known)
			return piece_width(pa, ws, we, false, false) - (pa->x[we] - pa->x[ws]);
		char *wkey = g_strdup(c->key->str);
		char pair[8];
		memcpy(pair, t + last, (size_t)n);
		pair[n] = ' ';
		bool t1, t2;
		gb_lb_key_set(c->key, "\x03", 1, pair, (gsize)n);
		PangoGlyphString *lone = gb_lb_cached(c, f, c->key, pair, n, pair, n, a, &t1);
		g_string_append_c(c->key, ' ');
		PangoGlyphString *two = gb_lb_cached(c, f, c->key, pair, n + 1, pair, n + 1, a, &t2);
		bool ok = lone->num_glyphs == 1 && two->num_glyphs == 2 &&
			  two->log_clusters[0] == 0 && two->log_clusters[1] == n;
		double gain = ok ? (lone->glyphs[0].geometry.width -
				    two->glyphs[0].geometry.width) / (double)PANGO_SCALE : 0;
		if (t1)
			pango_glyph_string_free(lone);
		if (t2)
			pango_glyph_string_free(two);
		double v = ok ? gain : NAN;
		gb_lb_width_keep(c, f, wkey, v);
		g_free(wkey);
		if (ok)
			return gain;
	}
	return piece_width(pa, ws, we, false, false) - (pa->x[we] - pa->x[ws]);
}

/*
 * What a line ending at a break after byte at, inside the word text[ws,
 * we), gains over the paragraph's widths: its part there set on its own
 * (with a hyphen when hyphen, whose width the break's item already
 * holds), and what the next line gains, the rest of the word set on its
 * own.
 */
static double pre_gain(const para *pa, guint ws, guint at, bool hyphen)
{
	return piece_width(pa, ws, at, hyphen, false) - (pa->x[at] - pa->x[ws]) -
	       (hyphen ? pa->hyphen : 0);
}

static double post_gain(const para *pa, guint at, guint we)
{
	return piece_width(pa, at, we, false, we < pa->len && is_space(pa->text + we)) -
	       (pa->x[we] - pa->x[at]);
}

/* The post of the break it (see item). */
double gb_lb_post_of(const para *pa, item *it)
{
	if (it->post_due) {
		it->post = post_gain(pa, it->next, it->word_end);
		it->post_due = false;
	}
	return it->post;
}

bool gb_lb_is_separator(const char *p)
{
	return !strncmp(p, "\u2028", 3);
}

/*
 * Items for the paragraph; hyph marks the hyphenation points (or NULL).
 * letters: every word may be broken between two letters (the last pass,
 * for a line nothing else can set).  Inline code and addresses
 * (s->literal) are never hyphenated, nor broken after a dash: only at
 * their natural points, then between letters.
 */
void gb_lb_build_items(para *pa, const guint8 *hyph, bool letters)
{
	static const gb_break_params none = { 0 };
	const gb_break_params *bp = pa->s->params ? pa->s->params : &none;
	const guint8 *lit = pa->s->literal;
	const guint8 *cjk = pa->cjk;
	const char *t = pa->text;
	guint len = pa->len;
	double avail = pa->s->measure - MAX(pa->s->indent, 0);
	pa->items = g_array_new(FALSE, FALSE, sizeof(item));
	if (pa->s->indent > 0 && pa->s->justify)
		add_item(pa, BOX, pa->s->indent, 0, 0, 0, false, 0, 0);
	guint i = 0, word_start = len;
	while (i < len) {
		if (gb_lb_is_separator(t + i)) {
			/* a forced line break */
			add_item(pa, GLUE, 0, 1e6, 0, 0, false, i, i + 3);
			add_item(pa, PENALTY, 0, 0, 0, -INF_PENALTY, false, i, i + 3);
			i += 3;
			word_start = len;
			continue;
		}
		if (is_space(t + i)) {
			guint j = i;
			while (j < len && is_space(t + j))
				j++;
			double w = pa->x[j] - pa->x[i];
			/* (what set_line() can take from each space, in its
			   units) */
			double z = 0;
			for (guint k = i; k < j; k++)
				z += floor((pa->x[k + 1] - pa->x[k]) * PANGO_SCALE * bp->shrink);
			add_item(pa, GLUE, w, w * bp->stretch, MAX(z, 0) / PANGO_SCALE, 0, false, i, j);
			/* a line ending here sets its last word again,
			   without its kern with this space */
			if (word_start < i && (word_start == 0 || is_space(t + word_start - 1) ||
					       (cjk && cjk[word_start])) &&
			    pa->x[i] - pa->x[word_start] <= avail)
			{
				if (isnan(pa->pre[i]))
					pa->pre[i] = space_gain(pa, word_start, i);
				g_array_index(pa->items, item, pa->items->len - 1).pre = pa->pre[i];
			}
			i = j;
			continue;
		}
		/* a word: up to a space, a forced break or a break between
		   two characters of Chinese or Japanese */
		word_start = i;
		guint we = i;
		while (we < len && !is_space(t + we) && !gb_lb_is_separator(t + we) &&
		       !(cjk && we > i && cjk[we]))
			we = (guint)(g_utf8_next_char(t + we) - t);
		/* wider than the line: its breaks may end a line that cannot
		   stretch (a line of its pieces) */
		bool wide = pa->x[we] - pa->x[i] > avail;
		guint box_start = i;
		for (guint k = i; k < we;) {
			guint next = (guint)(g_utf8_next_char(t + k) - t);
			bool in_lit = lit && lit[k];
			bool point = false, flagged = false;
			double w = 0, p = 0;
			if (in_lit) {
				/* (not inside "//", "..", "__"..., nor after
				   the code's first character: ".pdfhref" would
				   leave a lone "." at the line's end) */
				if (next < we && lit[next] && strchr("/._=,", t[k]) &&
				    t[next] != t[k] && k > word_start && lit[k - 1]) {
					point = true;
					p = LITERAL_PENALTY;
				}
			} else if ((is_dash(t + k) && next < we && k > box_start &&
				    !pa->s->whole_words) ||
				   (hyph && hyph[next] && next < we && !(lit && lit[next]))) {
				/* a break after an explicit dash, or at a
				   hyphenation point */
				point = flagged = true;
				w = is_dash(t + k) ? 0 : pa->hyphen;
				p = bp->hyphen_penalty;
			}
			if (point) {
				double bw = pa->x[next] - pa->x[box_start];
				add_box(pa, box_start, next, letters || bw > avail, in_lit, !wide);
				item it = { .type = PENALTY, .w = w, .p = p, .flagged = flagged,
					    .ragged = wide || in_lit, .end = next, .next = next,
					    .last_word = hyph && hyph[next] == 2 && !is_dash(t + k) };
				if (!wide) {
					if (isnan(pa->pre[next]))
						pa->pre[next] = pre_gain(pa, i, next, w > 0);
					it.pre = pa->pre[next];
					it.word_end = we;
					it.post_due = true;
				}
				g_array_append_val(pa->items, it);
				box_start = next;
			}
			k = next;
		}
		double bw = pa->x[we] - pa->x[box_start];
		add_box(pa, box_start, we, letters || bw > avail,
			lit && lit[box_start], !wide);
		i = we;
		if (cjk && i < len && cjk[i]) {
			/* between two characters of Chinese or Japanese: a
			   glue of no width that stretches; a line ending here
			   sets its last word (its last character) again,
			   without its kern with the next (kana kern) */
			double y, z;
			gb_lb_cjk_glue(pa, i, &y, &z);
			add_item(pa, GLUE, 0, y, z, 0, false, i, i);
			if (!wide) {
				if (isnan(pa->pre[i]))
					pa->pre[i] = piece_width(pa, word_start, i, false, false) -
						     (pa->x[i] - pa->x[word_start]);
				g_array_index(pa->items, item, pa->items->len - 1).pre = pa->pre[i];
			}
		}
	}
	/* the end: \parfillskip and a forced break */
	add_item(pa, GLUE, 0, 1e6, 0, 0, false, len, len);
	add_item(pa, PENALTY, 0, 0, 0, -INF_PENALTY, true, len, len);
}
