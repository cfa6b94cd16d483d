/*
 * measure.c - the figures of issue 21 from the layout (measure.h): the
 * definitions of tests/measure.py, over words taken from the glyphs of
 * the text boxes instead of pdftotext's word boxes.
 */
#include "typeset/measure.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "typeset/linebreak.h"

#define TOL 0.5

typedef struct mword {
	double x0, x1;
	char *t;
} mword;

typedef struct mline {
	int page;
	double x0, x1, base;
	GQuark key;            /* face and size, "Family@10.50" */
	double size;
	GArray *words;         /* mword */
	double edge;           /* its measure's right end, when known (a
				  paragraph broken without pages), else 0 */
	bool gap, body;
} mline;

/* The lines of a book or of paragraphs, and what is known of them. */
typedef struct mset {
	GPtrArray *lines;      /* mline *, in reading order per page */
	int pages;
	bool pages_known;
	const gb_layout *lay;
} mset;

struct gb_measure_lines {
	mset s;
	double next_base;
};

static void mline_free(gpointer p)
{
	mline *l = p;
	for (guint i = 0; i < l->words->len; i++)
		g_free(g_array_index(l->words, mword, i).t);
	g_array_free(l->words, TRUE);
	g_free(l);
}

/* The key of the font of a run. */
static GQuark run_key(const PangoGlyphItem *gi, double *size)
{
	PangoFontDescription *fd = pango_font_describe(gi->item->analysis.font);
	/* the size in points of the page: the font matrix's (the
	   description's is at the font map's resolution) */
	cairo_matrix_t fm;
	cairo_scaled_font_get_font_matrix(
		pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(gi->item->analysis.font)), &fm);
	*size = fm.yy;
	char *k = g_strdup_printf("%s@%.2f", pango_font_description_get_family(fd), *size);
	GQuark q = g_quark_from_string(k);
	g_free(k);
	pango_font_description_free(fd);
	return q;
}

typedef struct keycount {
	GQuark key;
	double size;
	int n;
} keycount;

static void count_key(GArray *kc, GQuark key, double size, int n)
{
	for (guint i = 0; i < kc->len; i++) {
		keycount *k = &g_array_index(kc, keycount, i);
		if (k->key == key) {
			k->n += n;
			return;
		}
	}
	keycount k = { key, size, n };
	g_array_append_val(kc, k);
}

static const keycount *top_key(const GArray *kc)
{
	const keycount *best = NULL;
	for (guint i = 0; i < kc->len; i++) {
		const keycount *k = &g_array_index(kc, keycount, i);
		if (!best || k->n > best->n)
			best = k;
	}
	return best;
}

/*
 * The words of a shaped line drawn from x: runs of glyphs between space
 * characters, their advances scaled as the line is drawn (font
 * expansion: gb_glyphs.expand).  Adds each glyph's characters to kc under
 * its font's key.
 */
static void glyph_words(const gb_glyphs *g, double x, GArray *words, GArray *kc)
{
	GString *t = g_string_new(NULL);
	double x0 = 0, pen = x;
	bool in_word = false;
	GPtrArray *runs = gb_glyphs_runs(g);
	for (guint r = 0; r < runs->len; r++) {
		const PangoGlyphItem *gi = runs->pdata[r];
		double size;
		GQuark key = run_key(gi, &size);
		const PangoGlyphString *gs = gi->glyphs;
		int end = gi->item->offset + gi->item->length;
		int last_c = -1;
		for (int k = 0; k < gs->num_glyphs; k++) {
			int c = gi->item->offset + gs->log_clusters[k];
			double adv = gs->glyphs[k].geometry.width / (double)PANGO_SCALE *
				     (1 + g->expand);
			/* a space, a no-break space, a thin space: pdftotext
			   ends a word at each */
			bool space = g_unichar_isspace(g_utf8_get_char(g->text + c));
			if (space) {
				if (in_word) {
					mword w = { x0, pen, g_string_free(t, FALSE) };
					g_array_append_val(words, w);
					t = g_string_new(NULL);
					in_word = false;
				}
			} else {
				if (!in_word) {
					x0 = pen;
					in_word = true;
				}
				if (c != last_c) {
					int ce = end;
					for (int j = k + 1; j < gs->num_glyphs; j++) {
						int cj = gi->item->offset + gs->log_clusters[j];
						if (cj != c) {
							ce = cj > c ? cj : c + 1;
							break;
						}
					}
					if (ce > c) {
						g_string_append_len(t, g->text + c, ce - c);
						count_key(kc, key, size, (int)g_utf8_strlen(g->text + c, ce - c));
					}
				}
			}
			last_c = c;
			pen += adv;
		}
	}
	g_ptr_array_unref(runs);
	if (in_word) {
		mword w = { x0, pen, g_string_free(t, FALSE) };
		g_array_append_val(words, w);
	} else {
		g_string_free(t, TRUE);
	}
}

static mline *mline_new(int page, double base)
{
	mline *l = g_new0(mline, 1);
	l->page = page;
	l->base = base;
	l->words = g_array_new(FALSE, FALSE, sizeof(mword));
	return l;
}

static int by_x(const void *a, const void *b)
{
	const mword *p = a, *q = b;
	return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/* Sets a line's extent and key from its words and kc. */
static void mline_finish(mline *l, GArray *kc)
{
	g_array_sort(l->words, by_x);
	l->x0 = l->words->len ? g_array_index(l->words, mword, 0).x0 : 0;
	l->x1 = 0;
	for (guint i = 0; i < l->words->len; i++)
		l->x1 = MAX(l->x1, g_array_index(l->words, mword, i).x1);
	const keycount *k = top_key(kc);
	l->key = k ? k->key : 0;
	l->size = k ? k->size : 0;
}

/* The line of glyphs g drawn from x at baseline base of page, with its
   words; NULL when it has none (the caller frees it with mline_free). */
static mline *glyph_line(const gb_glyphs *g, double x, int page, double base)
{
	mline *l = mline_new(page, base);
	GArray *kc = g_array_new(FALSE, FALSE, sizeof(keycount));
	glyph_words(g, x, l->words, kc);
	if (l->words->len)
		mline_finish(l, kc);
	g_array_free(kc, TRUE);
	if (!l->words->len) {
		mline_free(l);
		return NULL;
	}
	return l;
}

/* Joins words that touch (less than 0.08 em apart) and splits l at column
   gaps (1.5 em or more), as the script does; appends to out. */
static void join_split(mline *l, double em, GPtrArray *out)
{
	GArray *ws = l->words;
	GArray *joined = g_array_new(FALSE, FALSE, sizeof(mword));
	for (guint i = 0; i < ws->len; i++) {
		mword w = g_array_index(ws, mword, i);
		if (joined->len) {
			mword *p = &g_array_index(joined, mword, joined->len - 1);
			if (w.x0 - p->x1 < 0.08 * em) {
				char *t = g_strconcat(p->t, w.t, NULL);
				g_free(p->t);
				g_free(w.t);
				p->t = t;
				p->x1 = MAX(p->x1, w.x1);
				continue;
			}
		}
		g_array_append_val(joined, w);
	}
	g_array_set_size(ws, 0);
	GPtrArray *parts = g_ptr_array_new();
	mline *cur = NULL;
	for (guint i = 0; i < joined->len; i++) {
		mword w = g_array_index(joined, mword, i);
		if (!cur || w.x0 - g_array_index(cur->words, mword, cur->words->len - 1).x1 >= 1.5 * em) {
			cur = mline_new(l->page, l->base);
			cur->key = l->key;
			cur->size = l->size;
			g_ptr_array_add(parts, cur);
		}
		g_array_append_val(cur->words, w);
	}
	g_array_free(joined, TRUE);
	for (guint i = 0; i < parts->len; i++) {
		mline *p = parts->pdata[i];
		p->x0 = g_array_index(p->words, mword, 0).x0;
		p->x1 = g_array_index(p->words, mword, p->words->len - 1).x1;
		p->gap = parts->len > 1;
		g_ptr_array_add(out, p);
	}
	g_ptr_array_free(parts, TRUE);
	mline_free(l);
}

/* ---- characters of words ---- */

static gunichar last_char(const mline *l)
{
	const char *t = g_array_index(l->words, mword, l->words->len - 1).t;
	if (!*t)
		return 0;
	return g_utf8_get_char(g_utf8_find_prev_char(t, t + strlen(t)));
}

static bool is_hyphen(gunichar c)
{
	return c == '-' || c == 0xad || c == 0x2010;
}

static bool is_hanging(gunichar c)
{
	return is_hyphen(c) || (c && strchr(".,;:!?'\")", (int)c) && c < 128) ||
	       c == 0x2019 || c == 0x201d || c == 0x2013 || c == 0x2014;
}

static bool hyphen_end(const mline *l)
{
	const char *t = g_array_index(l->words, mword, l->words->len - 1).t;
	return g_utf8_strlen(t, -1) > 1 && is_hyphen(last_char(l));
}

/* ---- modes and quantiles ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double round_to(double v, int decimals)
{
	double f = pow(10, decimals);
	return round(v * f) / f;
}

/* The most common value (the smallest of equals); def when none. */
static double mode_of(GArray *v, double def)
{
	if (!v->len)
		return def;
	g_array_sort(v, cmp_double);
	double best = def;
	int best_n = 0;
	for (guint i = 0; i < v->len;) {
		guint j = i;
		while (j < v->len && g_array_index(v, double, j) == g_array_index(v, double, i))
			j++;
		if ((int)(j - i) > best_n) {
			best_n = (int)(j - i);
			best = g_array_index(v, double, i);
		}
		i = j;
	}
	return best;
}

static int count_of(GArray *v, double x)
{
	int n = 0;
	for (guint i = 0; i < v->len; i++)
		n += g_array_index(v, double, i) == x;
	return n;
}

static void push(GArray *v, double x)
{
	g_array_append_val(v, x);
}

/* ---- the figures ---- */

typedef struct pinfo {
	GPtrArray *heads, *rest, *cand;  /* mline *, borrowed */
	double left, edge;
	GArray *edges;                   /* double, ascending */
	bool has_head;
	double ink_bottom;               /* lowest rule or image in the block */
	double ink_top;
} pinfo;

static double allowance(const mline *l, double em)
{
	return TOL + (is_hanging(last_char(l)) ? 0.5 * em : 0);
}

static double edge_of(const pinfo *pi, const mline *l, double em)
{
	if (l->edge > 0)
		return l->edge;
	for (guint i = 0; i < pi->edges->len; i++) {
		double e = g_array_index(pi->edges, double, i);
		if (l->x1 <= e + allowance(l, em))
			return e;
	}
	return pi->edge;
}

static bool at_edge(const pinfo *pi, const mline *l, double em)
{
	double e = edge_of(pi, l, em);
	return e - TOL <= l->x1 && l->x1 <= e + allowance(l, em);
}

static bool is_leaders(const mline *l)
{
	int dots = 0;
	for (guint i = 0; i < l->words->len; i++) {
		const char *t = g_array_index(l->words, mword, i).t;
		if (*t && strspn(t, ".") == strlen(t))
			dots++;
	}
	return dots >= 3;
}

/* A list label: a bullet or dash, "1." "1)" "a." "iv)" */
static bool is_label(const char *t)
{
	static const char *const bullets[] = { "\u2022", "\u25e6", "\u25aa", "\u2023",
					       "\u2013", "\u2014", "*", "-" };
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (!strcmp(t, bullets[i]))
			return true;
	size_t n = strlen(t);
	if (n < 2 || (t[n - 1] != '.' && t[n - 1] != ')'))
		return false;
	if (strspn(t, "0123456789") == n - 1)
		return true;
	if (n == 2 && g_ascii_isalpha(t[0]))
		return true;
	return strspn(t, "ivxlcdm") == n - 1;
}

static bool opener(gunichar c)
{
	return c == '\'' || c == '"' || c == '(' || c == '[' || c == 0x2018 || c == 0x201c;
}

/* s without the opening marks at its start */
static const char *skip_openers(const char *s)
{
	while (*s && opener(g_utf8_get_char(s)))
		s = g_utf8_next_char(s);
	return s;
}

static bool strip_char(gunichar c)
{
	return (c < 128 && c && strchr(".,;:!?'\"()[]", (int)c)) ||
	       c == 0x2018 || c == 0x2019 || c == 0x201c || c == 0x201d;
}

/* A word as the vocabulary keeps it: without marks at its ends, lower case. */
static char *vocab_word(const char *t, gssize len)
{
	const char *a = t, *b = len < 0 ? t + strlen(t) : t + len;
	while (a < b && strip_char(g_utf8_get_char(a)))
		a = g_utf8_next_char(a);
	while (b > a) {
		const char *p = g_utf8_find_prev_char(a, b);
		if (!p || !strip_char(g_utf8_get_char(p)))
			break;
		b = p;
	}
	return g_utf8_strdown(a, b - a);
}

static bool sentence_end(const char *t)
{
	/* an abbreviation, "Dr." "Mrs." "St.", ends none */
	size_t n = strlen(t);
	if (n >= 2 && n <= 4 && g_ascii_isupper(t[0]) && t[n - 1] == '.') {
		bool abbr = true;
		for (size_t i = 1; i + 1 < n; i++)
			abbr &= g_ascii_islower(t[i]) != 0;
		if (abbr)
			return false;
	}
	const char *e = t + strlen(t);
	while (e > t) {
		const char *p = g_utf8_find_prev_char(t, e);
		gunichar c = g_utf8_get_char(p);
		if (c == '\'' || c == '"' || c == 0x2019 || c == 0x201d || c == ')' || c == ']') {
			e = p;
			continue;
		}
		return c == '.' || c == '!' || c == '?' || c == ':';
	}
	return false;
}

static bool all_upper(const char *s)
{
	bool cased = false;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_islower(c))
			return false;
		if (g_unichar_isupper(c))
			cased = true;
	}
	return cased;
}

/* Whether body line i, ending in a hyphen, splits a capitalised word by
   hyphenation (tests/measure.py's rule). */
static bool capitalised_break(GPtrArray *body, guint i, GHashTable *vocab)
{
	const mline *l = body->pdata[i];
	const char *w = g_array_index(l->words, mword, l->words->len - 1).t;
	const char *hy = g_utf8_find_prev_char(w, w + strlen(w));
	gunichar hc = g_utf8_get_char(hy);
	/* the word: after any hyphen, dash or slash of the text before the break */
	const char *part = w;
	for (const char *p = w; p < hy; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '-' || c == 0x2010 || c == 0x2013 || c == 0x2014 || c == '/')
			part = g_utf8_next_char(p);
	}
	part = skip_openers(part);
	if (part >= hy || !g_unichar_isupper(g_utf8_get_char(part)))
		return false;
	char *pw = g_strndup(part, hy - part);
	bool allcaps = all_upper(pw) && g_utf8_strlen(pw, -1) > 1;
	const char *prev = ".";
	if (l->words->len > 1)
		prev = g_array_index(l->words, mword, l->words->len - 2).t;
	else if (i > 0) {
		const mline *pl = body->pdata[i - 1];
		prev = g_array_index(pl->words, mword, pl->words->len - 1).t;
	}
	if (!allcaps && sentence_end(prev) && part == skip_openers(w)) {
		g_free(pw);
		return false;
	}
	char *next = g_strdup("");
	if (i + 1 < body->len) {
		const mline *nl = body->pdata[i + 1];
		const char *n = g_array_index(nl->words, mword, 0).t;
		const char *e = n;
		while (*e) {
			gunichar c = g_utf8_get_char(e);
			if (g_unichar_isspace(c) || (c < 128 && strchr(".,;:!?)]'\"", (int)c)) ||
			    c == 0x2019 || c == 0x201d)
				break;
			e = g_utf8_next_char(e);
		}
		g_free(next);
		next = g_strndup(n, e - n);
	}
	bool broken;
	if (hc == 0xad) {
		broken = true;
	} else {
		char *j = g_strconcat(pw, next, NULL), *h = g_strconcat(pw, "-", next, NULL);
		char *jl = g_utf8_strdown(j, -1), *hl = g_utf8_strdown(h, -1);
		if (g_hash_table_contains(vocab, jl))
			broken = true;
		else if (g_hash_table_contains(vocab, hl))
			broken = false;
		else
			broken = *next && g_unichar_islower(g_utf8_get_char(next));
		g_free(j);
		g_free(h);
		g_free(jl);
		g_free(hl);
	}
	g_free(pw);
	g_free(next);
	return broken;
}


/* Whether body line l of page q begins a paragraph: a list label, or the
   line above it in the block is not one leading above, or is no body line
   and short of its edge (a heading, a caption), or l is
   indented from it or starts left of it, but for the line after an
   indented first line (the block's first line: false,
   seen from the page before).  A line above ending short is no sign: a
   line ends short inside a paragraph at an address it cannot stretch. */
static bool starts_paragraph(const pinfo *q, const mline *l, double leading, double em)
{
	if (is_label(g_array_index(l->words, mword, 0).t))
		return true;
	const mline *a = NULL;
	for (guint i = 0; i < q->rest->len; i++) {
		const mline *r = q->rest->pdata[i];
		if (r->base < l->base - 0.1 && (!a || r->base >= a->base))
			a = r;
	}
	if (!a)
		return false;
	/* (a list item's first line: its text starts after the label) */
	double ax = a->x0;
	if (a->words->len > 1 && is_label(g_array_index(a->words, mword, 0).t))
		ax = g_array_index(a->words, mword, 1).x0;
	/* (a line mostly of inline code is no body line, but one of the
	   paragraph when it reaches the edge) */
	if (fabs(l->base - a->base - leading) > 0.5 || (!a->body && !at_edge(q, a, em)) ||
	    l->x0 > ax + 1)
		return true;
	/* indented from the page's left edge after a line that ends short
	   (one-line paragraphs, each indented, as a play's) */
	if (l->x0 > q->left + 1 && a->x1 < edge_of(q, a, em) - TOL)
		return true;
	/* left of the line above: after a list or a quote, not after a
	   paragraph's indented first line */
	return l->x0 < a->x0 - 1 && (is_label(g_array_index(a->words, mword, 0).t) ||
				     !starts_paragraph(q, a, leading, em));
}

/* Whether l, the first line of page q's block, goes on with a paragraph:
   no label, not indented from the page's left edge or the line below. */
static bool continues_paragraph(const pinfo *q, const mline *l)
{
	if (is_label(g_array_index(l->words, mword, 0).t))
		return false;
	double x = q->left;
	for (guint i = 0; i < q->cand->len; i++) {
		const mline *b = q->cand->pdata[i];
		if (b->body && b->base > l->base + 0.1) {
			x = MIN(x, b->x0);
			break;
		}
	}
	return l->x0 <= x + 1;
}


static void figures_of(mset *s, gb_figures *f)
{
	memset(f, 0, sizeof *f);
	f->pages_known = s->pages_known;
	f->pages = s->pages;
	GPtrArray *lines = s->lines;
	/* the body's face and size: the most common line's */
	GArray *kc = g_array_new(FALSE, FALSE, sizeof(keycount));
	for (guint i = 0; i < lines->len; i++) {
		mline *l = lines->pdata[i];
		count_key(kc, l->key, l->size, 1);
	}
	const keycount *bk = top_key(kc);
	GQuark body_key = bk ? bk->key : 0;
	double size = bk ? bk->size : 10;
	g_array_free(kc, TRUE);
	double em = size, space = 0.25 * em;
	int np = MAX(s->pages, 1);
	pinfo *pi = g_new0(pinfo, np);
	for (int p = 0; p < np; p++) {
		pi[p].heads = g_ptr_array_new();
		pi[p].rest = g_ptr_array_new();
		pi[p].cand = g_ptr_array_new();
		pi[p].edges = g_array_new(FALSE, FALSE, sizeof(double));
		pi[p].ink_top = G_MAXDOUBLE;
	}
	const gb_layout *lay = s->lay;
	for (guint i = 0; i < lines->len; i++) {
		mline *l = lines->pdata[i];
		pinfo *q = &pi[l->page];
		if (lay && l->base < lay->block_top) {
			g_ptr_array_add(q->heads, l);
			q->has_head = true;
		} else if (lay && l->base > lay->block_bottom + 0.5) {
			/* a folio: at the foot, outside the block */
		} else {
			g_ptr_array_add(q->rest, l);
			if (l->key == body_key && !l->gap)
				g_ptr_array_add(q->cand, l);
		}
	}
	/* the left and right edges */
	GArray *v = g_array_new(FALSE, FALSE, sizeof(double));
	for (int p = 0; p < np; p++) {
		g_array_set_size(v, 0);
		for (guint i = 0; i < pi[p].cand->len; i++)
			push(v, round_to(((mline *)pi[p].cand->pdata[i])->x0, 1));
		pi[p].left = mode_of(v, 0);
		pi[p].edge = lay ? ((gb_page *)lay->pages->pdata[p])->left + lay->measure : 0;
		g_array_set_size(v, 0);
		for (guint i = 0; i < pi[p].cand->len; i++) {
			mline *l = pi[p].cand->pdata[i];
			if (g_unichar_isalpha(last_char(l)))
				push(v, round_to(l->x1, 1));
		}
		if (lay)
			push(pi[p].edges, pi[p].edge);
		for (guint i = 0; i < v->len; i++) {
			double e = g_array_index(v, double, i);
			bool seen = false;
			for (guint j = 0; j < pi[p].edges->len; j++)
				seen |= g_array_index(pi[p].edges, double, j) == e;
			if (!seen && count_of(v, e) >= 2 && (!lay || e < pi[p].edge - TOL))
				push(pi[p].edges, e);
		}
		g_array_sort(pi[p].edges, cmp_double);
	}
	/* the body lines */
	GPtrArray *body = g_ptr_array_new();
	for (guint i = 0; i < lines->len; i++) {
		mline *l = lines->pdata[i];
		pinfo *q = &pi[l->page];
		bool in = false;
		for (guint j = 0; j < q->cand->len && !in; j++)
			in = q->cand->pdata[j] == l;
		if (!in || is_leaders(l))
			continue;
		if (lay) {
			double lg = l->x0 - q->left, rg = q->edge - l->x1;
			if (lg > 2 * em && rg > 2 * em && fabs(lg - rg) < 1)
				continue;
		}
		l->body = true;
		g_ptr_array_add(body, l);
	}
#define EDGE_PAGE(l) (&pi[(l)->page])
	/* the leading */
	g_array_set_size(v, 0);
	for (guint i = 0; i + 1 < body->len; i++) {
		mline *a = body->pdata[i], *b = body->pdata[i + 1];
		if (a->page == b->page)
			push(v, round_to(b->base - a->base, 2));
	}
	double leading = mode_of(v, size * 1.4);
	/* spaces */
	GArray *means = g_array_new(FALSE, FALSE, sizeof(double));
	for (guint i = 0; i < body->len; i++) {
		mline *l = body->pdata[i];
		const pinfo *q = EDGE_PAGE(l);
		if (l->words->len < 4 || !at_edge(q, l, em))
			continue;
		double sum = 0, mx = 0;
		for (guint j = 0; j + 1 < l->words->len; j++) {
			double g = (g_array_index(l->words, mword, j + 1).x0 -
				    g_array_index(l->words, mword, j).x1) / space;
			sum += g;
			mx = MAX(mx, g);
		}
		double m = sum / (l->words->len - 1);
		push(means, m);
		f->widest_space = MAX(f->widest_space, mx);
		f->loose_lines += m > 1.5;
	}
	f->justified_lines = (int)means->len;
	if (means->len) {
		g_array_sort(means, cmp_double);
		double k = 0.95 * (means->len - 1);
		guint a = (guint)k, b = MIN(a + 1, means->len - 1);
		double ma = g_array_index(means, double, a), mb = g_array_index(means, double, b);
		f->space_p95 = ma + (mb - ma) * (k - a);
		f->lowest_mean_space = g_array_index(means, double, 0);
	}
	/* hyphens, the edge, ragged lines */
	GArray *hangs = g_array_new(FALSE, FALSE, sizeof(double));
	int run = 0;
	for (guint i = 0; i < body->len; i++) {
		mline *l = body->pdata[i];
		const pinfo *q = EDGE_PAGE(l);
		double edge = edge_of(q, l, em);
		if (hyphen_end(l)) {
			f->hyphenated_lines++;
			run++;
			f->hyphen_run = MAX(f->hyphen_run, run);
			if (at_edge(q, l, em))
				push(hangs, l->x1 - edge);
		} else {
			run = 0;
		}
		if (l->x1 > edge + TOL && !is_hanging(last_char(l)))
			f->past_edge++;
		if (l->x1 > edge + allowance(l, em))
			f->overfull++;
		if (l->words->len >= 4 && edge - 4 * em < l->x1 && l->x1 < edge - TOL &&
		    i + 1 < body->len) {
			mline *n = body->pdata[i + 1];
			if (n->page == l->page && fabs(n->base - l->base - leading) < 0.5 &&
			    fabs(n->x0 - l->x0) < 0.5 && !is_label(g_array_index(n->words, mword, 0).t))
				f->ragged_lines++;
		}
	}
	if (hangs->len) {
		g_array_sort(hangs, cmp_double);
		guint n = hangs->len;
		f->hyphen_hang_median = n % 2 ? g_array_index(hangs, double, n / 2) :
			(g_array_index(hangs, double, n / 2 - 1) + g_array_index(hangs, double, n / 2)) / 2;
	}
	/* capitalised words hyphenated */
	GHashTable *vocab = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < body->len; i++) {
		mline *l = body->pdata[i];
		guint n = l->words->len - (hyphen_end(l) ? 1 : 0);
		for (guint j = 0; j < n; j++)
			g_hash_table_add(vocab, vocab_word(g_array_index(l->words, mword, j).t, -1));
	}
	for (guint i = 0; i < body->len; i++)
		if (hyphen_end(body->pdata[i]) && capitalised_break(body, i, vocab)) {
			f->capitalised_hyphenated++;
		}
	g_hash_table_destroy(vocab);
	if (s->pages_known) {
		/* running heads cut */
		for (int p = 0; p < np; p++)
			for (guint i = 0; i < pi[p].heads->len; i++) {
				mline *h = pi[p].heads->pdata[i];
				const char *t = g_array_index(h->words, mword, h->words->len - 1).t;
				if (g_str_has_suffix(t, "\u2026") || g_str_has_suffix(t, "..."))
					f->heads_cut++;
			}
		/* the grid */
		g_array_set_size(v, 0);
		for (int p = 0; p < np; p++)
			if (pi[p].cand->len && ((mline *)pi[p].cand->pdata[0])->body)
				push(v, round_to(((mline *)pi[p].cand->pdata[0])->base, 1));
		double y0 = mode_of(v, 0);
		int on = 0;
		double bottom = 0;
		for (guint i = 0; i < body->len; i++) {
			mline *l = body->pdata[i];
			double k = round((l->base - y0) / leading);
			on += fabs(l->base - (y0 + k * leading)) <= TOL;
			bottom = MAX(bottom, l->base);
		}
		f->grid_percent = body->len ? 100.0 * on / body->len : 0;
		/* widows and orphans */
		for (int p = 0; p + 1 < np; p++) {
			const mline *last = NULL, *first = NULL, *second = NULL;
			for (guint i = 0; i < pi[p].cand->len; i++)
				if (((mline *)pi[p].cand->pdata[i])->body)
					last = pi[p].cand->pdata[i];
			for (guint i = 0; i < pi[p + 1].cand->len; i++) {
				const mline *l = pi[p + 1].cand->pdata[i];
				if (!l->body)
					continue;
				if (!first)
					first = l;
				else if (!second)
					second = l;
			}
			if (!last || !first || !at_edge(&pi[p], last, em) ||
			    pi[p + 1].rest->pdata[0] != first ||
			    !continues_paragraph(&pi[p + 1], first))
				continue;
			if (starts_paragraph(&pi[p], last, leading, em))
				f->orphans++;
			if (!at_edge(&pi[p + 1], first, em) &&
			    (!second || starts_paragraph(&pi[p + 1], second, leading, em)))
				f->widows++;
		}
		/* pages that end short */
		for (int p = 0; p + 1 < np; p++) {
			bool has_body = false, next_body = false;
			for (guint i = 0; i < pi[p].cand->len; i++)
				has_body |= ((mline *)pi[p].cand->pdata[i])->body;
			for (guint i = 0; i < pi[p + 1].cand->len; i++)
				next_body |= ((mline *)pi[p + 1].cand->pdata[i])->body;
			if (!has_body || !pi[p + 1].has_head || !next_body)
				continue;
			f->mid_chapter_pages++;
			double last = 0;
			for (guint i = 0; i < pi[p].rest->len; i++)
				last = MAX(last, ((mline *)pi[p].rest->pdata[i])->base);
			double short_by = (bottom - last) / leading;
			/* a figure or a rule below the last line */
			const gb_page *pg = lay->pages->pdata[p];
			for (guint i = pg->turned; i < pg->boxes->len && short_by >= 1.5; i++) {
				const gb_box *b = pg->boxes->pdata[i];
				if ((b->kind == GB_BOX_RULE || b->kind == GB_BOX_IMAGE) &&
				    b->y + b->h > last + 3.5 && b->y < bottom - 0.5 * leading)
					short_by = 0;
			}
			if (short_by >= 1.5)
				f->short_pages++;
			f->most_short = MAX(f->most_short, short_by);
		}
	}
	f->body_size = size;
	f->leading = leading;
	f->body_lines = (int)body->len;
	f->loose_percent = f->justified_lines ? 100.0 * f->loose_lines / f->justified_lines : 0;
	f->hyphenated_percent = body->len ? 100.0 * f->hyphenated_lines / body->len : 0;
	f->ragged_percent = body->len ? 100.0 * f->ragged_lines / body->len : 0;
	g_array_free(means, TRUE);
	g_array_free(hangs, TRUE);
	g_array_free(v, TRUE);
	g_ptr_array_free(body, TRUE);
	for (int p = 0; p < np; p++) {
		g_ptr_array_free(pi[p].heads, TRUE);
		g_ptr_array_free(pi[p].rest, TRUE);
		g_ptr_array_free(pi[p].cand, TRUE);
		g_array_free(pi[p].edges, TRUE);
	}
	g_free(pi);
#undef EDGE_PAGE
}

static int by_base_x(const void *a, const void *b)
{
	const mline *p = *(mline *const *)a, *q = *(mline *const *)b;
	double pb = round_to(p->base, 1), qb = round_to(q->base, 1);
	if (p->page != q->page)
		return p->page - q->page;
	if (pb != qb)
		return (pb > qb) - (pb < qb);
	return (p->x0 > q->x0) - (p->x0 < q->x0);
}

void gb_measure_layout(const gb_layout *lay, gb_figures *f)
{
	mset s = { g_ptr_array_new_with_free_func(mline_free), (int)lay->pages->len, true, lay };
	GPtrArray *raw = g_ptr_array_new();
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(keycount));
	/* a line a text box, with its words */
	for (guint p = 0; p < lay->pages->len; p++) {
		const gb_page *pg = lay->pages->pdata[p];
		for (guint i = pg->turned; i < pg->boxes->len; i++) {
			const gb_box *b = pg->boxes->pdata[i];
			if (b->kind != GB_BOX_TEXT || !b->glyphs)
				continue;
			mline *l = glyph_line(b->glyphs, b->x, (int)p, b->y);
			if (!l)
				continue;
			count_key(sizes, l->key, l->size, 1);
			g_ptr_array_add(raw, l);
		}
	}
	const keycount *bk = top_key(sizes);
	double em = bk ? bk->size : 10;
	g_array_free(sizes, TRUE);
	/* boxes on one baseline of one face and size are one line */
	g_ptr_array_sort(raw, by_base_x);
	for (guint i = 0; i < raw->len;) {
		mline *l = raw->pdata[i];
		guint j = i + 1;
		while (j < raw->len) {
			mline *n = raw->pdata[j];
			if (n->page != l->page || fabs(n->base - l->base) >= 0.1 || n->key != l->key)
				break;
			g_array_append_vals(l->words, n->words->data, n->words->len);
			g_array_set_size(n->words, 0);
			mline_free(n);
			j++;
		}
		g_array_sort(l->words, by_x);
		join_split(l, em, s.lines);
		i = j;
	}
	g_ptr_array_free(raw, TRUE);
	g_ptr_array_sort(s.lines, by_base_x);
	figures_of(&s, f);
	g_ptr_array_free(s.lines, TRUE);
}

gb_measure_lines *gb_measure_lines_new(void)
{
	gb_measure_lines *m = g_new0(gb_measure_lines, 1);
	m->s.lines = g_ptr_array_new_with_free_func(mline_free);
	m->s.pages = 1;
	return m;
}

void gb_measure_lines_free(gb_measure_lines *m)
{
	if (!m)
		return;
	g_ptr_array_free(m->s.lines, TRUE);
	g_free(m);
}

void gb_measure_lines_clear(gb_measure_lines *m)
{
	g_ptr_array_set_size(m->s.lines, 0);
	m->next_base = 0;
}

void gb_measure_lines_add(gb_measure_lines *m, const GArray *lines, double width)
{
	/* the lines of a paragraph one unit apart, paragraphs two */
	m->next_base += 2;
	for (guint i = 0; i < lines->len; i++) {
		const gb_line *ln = &g_array_index(lines, gb_line, i);
		if (!ln->glyphs)
			continue;
		double x = ln->x;  /* (Pango's: the first line's indent in it) */
		mline *l = glyph_line(ln->glyphs, x, 0, m->next_base);
		m->next_base += 1;
		if (!l)
			continue;
		l->edge = width;
		g_ptr_array_add(m->s.lines, l);
	}
}

void gb_measure_lines_figures(const gb_measure_lines *m, gb_figures *f)
{
	mset s = m->s;
	figures_of(&s, f);
}

void gb_figures_print(const gb_figures *f, GString *out)
{
	if (f->pages_known)
		g_string_append_printf(out, "  pages %d\n", f->pages);
	g_string_append_printf(out, "  body-size %.2f\n", f->body_size);
	if (f->pages_known)
		g_string_append_printf(out, "  leading %.2f\n", f->leading);
	g_string_append_printf(out,
		"  body-lines %d\n  justified-lines %d\n"
		"  widest-space %.2f\n  loose-lines %d\n  loose-percent %.2f\n"
		"  space-p95 %.2f\n  lowest-mean-space %.2f\n  hyphenated-lines %d\n"
		"  hyphenated-percent %.1f\n  hyphen-run %d\n  hyphen-hang-median %.2f\n"
		"  past-edge %d\n  overfull %d\n  ragged-lines %d\n  ragged-percent %.2f\n",
		f->body_lines, f->justified_lines, f->widest_space,
		f->loose_lines, f->loose_percent, f->space_p95, f->lowest_mean_space,
		f->hyphenated_lines, f->hyphenated_percent, f->hyphen_run,
		f->hyphen_hang_median, f->past_edge, f->overfull, f->ragged_lines,
		f->ragged_percent);
	if (f->pages_known)
		g_string_append_printf(out,
			"  mid-chapter-pages %d\n  short-pages %d\n  most-short %.2f\n"
			"  grid-percent %.1f\n  heads-cut %d\n",
			f->mid_chapter_pages, f->short_pages, f->most_short, f->grid_percent,
			f->heads_cut);
	g_string_append_printf(out, "  capitalised-hyphenated %d\n", f->capitalised_hyphenated);
	if (f->pages_known)
		g_string_append_printf(out, "  widow-lines %d\n  orphan-lines %d\n", f->widows, f->orphans);
}
