/* quotes.c - real punctuation, by language (see quotes.h). */
#include "source/quotes.h"
#include "source/ps.h"

#include <string.h>

#define NNBSP "\u202f"  /* NARROW NO-BREAK SPACE */

/*
 * The one table of quotation marks: outer pair, inner pair, and the space
 * set inside the outer marks.  From CLDR's delimiters (ICU 72, CLDR 42)
 * except where a typesetter of the language does otherwise: Kazakh nests
 * „…“ as Russian does (CLDR: “…”), and French nests “…” inside « … »
 * (CLDR: « » again), with a narrow no-break space inside the guillemets.
 * A language not listed gets English's.
 */
static const gb_quote_style styles[] = {
	/* lang     outer        inner        space */
	{ "en",    "“", "”", "‘", "’", "" },
	{ "ru",    "«", "»", "„", "“", "" },
	{ "kk",    "«", "»", "„", "“", "" },
	{ "be",    "«", "»", "„", "“", "" },
	{ "uk",    "«", "»", "„", "“", "" },
	{ "de",    "„", "“", "‚", "‘", "" },
	{ "fr",    "«", "»", "“", "”", NNBSP },
	{ "pl",    "„", "”", "«", "»", "" },
	{ "es",    "«", "»", "“", "”", "" },
	{ "it",    "«", "»", "“", "”", "" },
	{ "pt",    "“", "”", "‘", "’", "" },
	{ "pt-PT", "«", "»", "“", "”", "" },
	{ "el",    "«", "»", "“", "”", "" },
	{ "nb",    "«", "»", "‘", "’", "" },
	{ "no",    "«", "»", "‘", "’", "" },
	{ "cs",    "„", "“", "‚", "‘", "" },
	{ "sk",    "„", "“", "‚", "‘", "" },
	{ "hr",    "„", "“", "‚", "‘", "" },
	{ "sl",    "„", "“", "‚", "‘", "" },
	{ "et",    "„", "“", "‚", "‘", "" },
	{ "bg",    "„", "“", "„", "“", "" },
	{ "lt",    "„", "“", "„", "“", "" },
	{ "ro",    "„", "”", "«", "»", "" },
	{ "hu",    "„", "”", "»", "«", "" },
	{ "sv",    "”", "”", "’", "’", "" },
	{ "fi",    "”", "”", "’", "’", "" },
	{ "da",    "“", "”", "‘", "’", "" },
	{ "tr",    "“", "”", "‘", "’", "" },
	{ "zh",    "“", "”", "‘", "’", "" },
	{ "zh-Hant", "「", "」", "『", "』", "" },
	{ "zh-TW", "「", "」", "『", "』", "" },
	{ "zh-HK", "「", "」", "『", "』", "" },
	{ "zh-MO", "「", "」", "『", "』", "" },
	{ "ja",    "「", "」", "『", "』", "" },
	{ "ko",    "“", "”", "‘", "’", "" },
};

const gb_quote_style *gb_quote_style_for(const char *lang)
{
	char *tag = g_strdup(lang ? lang : "en");
	g_strdelimit(tag, "_", '-');
	const gb_quote_style *found = NULL;
	while (!found && *tag) {
		for (size_t i = 0; i < G_N_ELEMENTS(styles) && !found; i++)
			if (!g_ascii_strcasecmp(styles[i].lang, tag))
				found = &styles[i];
		char *dash = strrchr(tag, '-');
		if (dash)
			*dash = '\0';
		else
			break;
	}
	g_free(tag);
	return found ? found : &styles[0];
}

/* ---- pairing the quotes of one paragraph ---- */

enum { Q_SINGLE, Q_DOUBLE };
enum { R_OPEN, R_OPEN_WEAK, R_CLOSE, R_APOS };

typedef struct quote {
	size_t off;      /* in the run's smart text; 3 bytes long */
	int kind;        /* Q_SINGLE, Q_DOUBLE */
	int role;        /* R_*; after pairing R_OPEN, R_CLOSE or R_APOS */
	int partner;     /* the index of the other quote of its pair, or -1 */
	int level;       /* its marks: 1 outer, 2 inner */
} quote;

/* A text node of a run and where its text is in the run's smart text. */
typedef struct segment {
	cmark_node *node;
	size_t start, end;
} segment;

/*
 * A run: the inline text of one block (a paragraph, a heading, a cell) or
 * of an image's description, flattened.  Code is "x" (a word), a break a
 * space and a note's reference "." in both texts.
 */
typedef struct run {
	GString *smart, *plain;
	GArray *segments;        /* segment */
	cmark_node *heading;     /* the heading it is the text of, or NULL */
	GString *slug;           /* the heading's TEXT and CODE as written */
	bool image;              /* an image's description */
} run;

static run *run_new(void)
{
	run *r = g_new0(run, 1);
	r->smart = g_string_new(NULL);
	r->plain = g_string_new(NULL);
	r->segments = g_array_new(FALSE, FALSE, sizeof(segment));
	r->slug = g_string_new(NULL);
	return r;
}

static void run_reset(run *r)
{
	g_string_truncate(r->smart, 0);
	g_string_truncate(r->plain, 0);
	g_array_set_size(r->segments, 0);
	g_string_truncate(r->slug, 0);
	r->heading = NULL;
}

static void run_free(gpointer p)
{
	run *r = p;
	g_string_free(r->smart, TRUE);
	g_string_free(r->plain, TRUE);
	g_array_free(r->segments, TRUE);
	g_string_free(r->slug, TRUE);
	g_free(r);
}

static bool word_char(const char *s, const char *p)
{
	if (!p || p < s || !*p)
		return false;
	gunichar u = g_utf8_get_char(p);
	return g_unichar_isalnum(u) || g_unichar_ismark(u);
}

static bool space_char(const char *s, const char *p)
{
	return !p || p < s || !*p || g_unichar_isspace(g_utf8_get_char(p));
}

/* The character before s + off, or NULL. */
static const char *before(const char *s, size_t off)
{
	return off ? g_utf8_find_prev_char(s, s + off) : NULL;
}

/*
 * The quotes cmark made from straight ones in r (the author's own curly
 * quotes are not among them), found by reading its smart and plain texts
 * side by side.  False if they do not match.
 */
static bool find_quotes(const run *r, GArray *quotes)
{
	const char *s = r->smart->str, *p = r->plain->str;
	size_t i = 0, j = 0;
	while (i < r->smart->len && j < r->plain->len) {
		const char *cs = s + i;
		size_t n = (size_t)(g_utf8_next_char(cs) - cs);
		if (n == 1 || strncmp(cs, p + j, n) == 0) {
			if (strncmp(cs, p + j, n))
				return false;
			i += n;
			j += n;
		} else if ((!strncmp(cs, "‘", 3) || !strncmp(cs, "’", 3)) && p[j] == '\'') {
			quote q = { i, Q_SINGLE, cs[2] == '\x98' ? R_OPEN : R_CLOSE, -1, 0 };
			g_array_append_val(quotes, q);
			i += 3;
			j++;
		} else if ((!strncmp(cs, "“", 3) || !strncmp(cs, "”", 3)) && p[j] == '"') {
			quote q = { i, Q_DOUBLE, cs[2] == '\x9c' ? R_OPEN : R_CLOSE, -1, 0 };
			g_array_append_val(quotes, q);
			i += 3;
			j++;
		} else if (!strncmp(cs, "–", 3) && !strncmp(p + j, "--", 2)) {
			i += 3;
			j += 2;
		} else if (!strncmp(cs, "—", 3) && !strncmp(p + j, "---", 3)) {
			i += 3;
			j += 3;
		} else if (!strncmp(cs, "…", 3) && !strncmp(p + j, "...", 3)) {
			i += 3;
			j += 3;
		} else {
			return false;
		}
	}
	return i == r->smart->len && j == r->plain->len;
}

/* The closest opener of kind on the stack, not past a double; or -1. */
static int find_opener(GArray *stack, const quote *qs, int kind)
{
	for (int k = (int)stack->len - 1; k >= 0; k--) {
		const quote *o = &qs[g_array_index(stack, int, k)];
		if (o->kind == kind)
			return k;
		if (o->kind == Q_DOUBLE)
			return -1;
	}
	return -1;
}

/*
 * Pairs the quotes of a run: a single quote between two letters or digits
 * is an apostrophe (it’s, GSI’s, d’Artagnan); a closing one closes the
 * nearest open single quote inside the innermost open double quote, else
 * it is an apostrophe (the boys’ toys); an opening one that nothing closes
 * is an apostrophe too (’tis, the ’90s).  A double quote left open stays
 * an opening mark (a quotation running over paragraphs).  Then each quote
 * gets its marks, outer or inner.
 */
static void pair_quotes(const char *s, quote *qs, int n)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
	for (int i = 0; i < n; i++) {
		quote *q = &qs[i];
		if (q->kind == Q_SINGLE) {
			const char *prev = before(s, q->off);
			const char *next = s + q->off + 3;
			if (word_char(s, prev) && word_char(s, next))
				q->role = R_APOS;
			else if (q->role == R_CLOSE && word_char(s, next) && !word_char(s, prev))
				q->role = R_OPEN_WEAK;
		}
		if (q->role == R_OPEN || q->role == R_OPEN_WEAK) {
			g_array_append_val(stack, i);
		} else if (q->role == R_CLOSE) {
			int k = find_opener(stack, qs, q->kind);
			if (k < 0) {
				if (q->kind == Q_SINGLE)
					q->role = R_APOS;
				continue;
			}
			for (guint m = (guint)k + 1; m < stack->len; m++)
				qs[g_array_index(stack, int, m)].role = R_APOS;  /* singles */
			int o = g_array_index(stack, int, k);
			qs[o].role = R_OPEN;
			qs[o].partner = i;
			q->partner = o;
			g_array_set_size(stack, (guint)k);
		}
	}
	for (guint m = 0; m < stack->len; m++) {
		quote *o = &qs[g_array_index(stack, int, m)];
		o->role = o->kind == Q_SINGLE ? R_APOS : R_OPEN;
	}
	g_array_free(stack, TRUE);

	/* the marks: a pair typed with double quotes takes the outer
	   marks, one typed with single quotes the inner ones, except
	   inside a pair that has these: then the others */
	GArray *open = g_array_new(FALSE, FALSE, sizeof(int));
	for (int i = 0; i < n; i++) {
		quote *q = &qs[i];
		int parent = open->len ? qs[g_array_index(open, int, open->len - 1)].level : 0;
		int want = q->kind == Q_DOUBLE ? 1 : 2;
		if (q->role == R_OPEN) {
			q->level = parent == want ? 3 - want : want;
			g_array_append_val(open, i);
		} else if (q->role == R_CLOSE && q->partner >= 0) {
			q->level = qs[q->partner].level;
			while (open->len && g_array_index(open, int, open->len - 1) != q->partner)
				g_array_set_size(open, open->len - 1);
			if (open->len)
				g_array_set_size(open, open->len - 1);
		} else if (q->role == R_CLOSE) {
			q->level = parent == want ? 3 - want : want;
		}
	}
	g_array_free(open, TRUE);
}

/* What quote q of text s becomes in style st. */
static void set_quote(GString *out, const char *s, const quote *q,
		      const gb_quote_style *st)
{
	if (q->role == R_APOS) {
		g_string_append(out, "’");
		return;
	}
	bool outer = q->level == 1;
	const char *space = outer ? st->space : "";
	if (q->role == R_OPEN) {
		g_string_append(out, outer ? st->open : st->inner_open);
		if (*space && !space_char(s, s + q->off + 3))
			g_string_append(out, space);
	} else {
		if (*space && !space_char(s, before(s, q->off)))
			g_string_append(out, space);
		g_string_append(out, outer ? st->close : st->inner_close);
	}
}

typedef struct apply_ctx {
	const gb_quote_style *style;
	GHashTable *headings;
} apply_ctx;

/* A language span of a run's text: '[' at start, '}' at end. */
typedef struct lang_span {
	size_t start, end;
	char *lang;
} lang_span;

/*
 * The bracketed spans '[text]{lang=ru}' of text s (as written: cmark
 * leaves them text), so that the quotes inside one take its language's
 * marks.  The caller frees the array and its languages.
 */
static GArray *lang_spans(const char *s)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(lang_span));
	GArray *open = g_array_new(FALSE, FALSE, sizeof(size_t));
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '[') {
			g_array_append_val(open, i);
		} else if (s[i] == ']' && open->len) {
			size_t o = g_array_index(open, size_t, open->len - 1);
			g_array_set_size(open, open->len - 1);
			const char *e = s[i + 1] == '{' ? strchr(s + i + 2, '}') : NULL;
			if (!e)
				continue;
			gb_ps_attrs a;
			gb_ps_attrs_init(&a);
			if (gb_ps_read_attrs(s + i + 2, e, &a, NULL) && gb_ps_attrs_value(&a, "lang")) {
				lang_span sp = { o, (size_t)(e - s),
						 g_strdup(gb_ps_attrs_value(&a, "lang")) };
				g_array_append_val(out, sp);
			}
			gb_ps_attrs_clear(&a);
		}
	}
	g_array_free(open, TRUE);
	return out;
}

/* The quotation marks at byte off: the innermost language span's there,
   else def. */
static const gb_quote_style *style_at(const GArray *spans, size_t off,
				      const gb_quote_style *def)
{
	const lang_span *best = NULL;
	for (guint k = 0; k < spans->len; k++) {
		const lang_span *sp = &g_array_index(spans, lang_span, k);
		if (sp->start < off && off < sp->end &&
		    (!best || sp->end - sp->start < best->end - best->start))
			best = sp;
	}
	return best ? gb_quote_style_for(best->lang) : def;
}

static void lang_spans_free(GArray *spans)
{
	for (guint k = 0; k < spans->len; k++)
		g_free(g_array_index(spans, lang_span, k).lang);
	g_array_free(spans, TRUE);
}

/* Gives r's quotes their marks, in its text nodes: a pair's marks are
   those of the language span its opening mark is in ('[...]{lang=ru}'),
   else the part's. */
static void finish_run(apply_ctx *c, run *r)
{
	GArray *quotes = g_array_new(FALSE, FALSE, sizeof(quote));
	if (find_quotes(r, quotes) && quotes->len) {
		const char *s = r->smart->str;
		quote *qs = (quote *)(void *)quotes->data;
		pair_quotes(s, qs, (int)quotes->len);
		GArray *spans = strchr(s, '{') ? lang_spans(s) : NULL;
		guint qi = 0;
		for (guint k = 0; k < r->segments->len; k++) {
			segment *seg = &g_array_index(r->segments, segment, k);
			while (qi < quotes->len && qs[qi].off < seg->start)
				qi++;
			if (qi == quotes->len || qs[qi].off >= seg->end)
				continue;
			GString *t = g_string_new(NULL);
			size_t at = seg->start;
			for (; qi < quotes->len && qs[qi].off < seg->end; qi++) {
				g_string_append_len(t, s + at, (gssize)(qs[qi].off - at));
				const quote *q = &qs[qi];
				const quote *opener = q->role == R_CLOSE && q->partner >= 0 ?
						      &qs[q->partner] : q;
				set_quote(t, s, q, spans ? style_at(spans, opener->off, c->style)
							 : c->style);
				at = qs[qi].off + 3;
			}
			g_string_append_len(t, s + at, (gssize)(seg->end - at));
			cmark_node_set_literal(seg->node, t->str);
			g_string_free(t, TRUE);
		}
		if (spans)
			lang_spans_free(spans);
	}
	if (c->headings && r->heading && strcmp(r->smart->str, r->plain->str))
		g_hash_table_insert(c->headings, r->heading,
				    g_strdelimit(g_strdup(r->slug->str), "\t", ' '));
	g_array_free(quotes, TRUE);
	run_reset(r);
}

static bool is_inline(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

static void append_both(run *r, const char *s)
{
	g_string_append(r->smart, s);
	g_string_append(r->plain, s);
}

bool gb_quotes_apply(cmark_node *smart, cmark_node *plain, const char *lang,
		     GHashTable *headings)
{
	apply_ctx c = { gb_quote_style_for(lang), headings };
	/* first, check the shapes match: nothing is changed otherwise */
	cmark_iter *is = cmark_iter_new(smart), *ip = cmark_iter_new(plain);
	cmark_event_type ev;
	bool same = true;
	while (same && (ev = cmark_iter_next(is)) != CMARK_EVENT_DONE)
		same = cmark_iter_next(ip) == ev &&
		       cmark_node_get_type(cmark_iter_get_node(is)) ==
		       cmark_node_get_type(cmark_iter_get_node(ip));
	same = same && cmark_iter_next(ip) == CMARK_EVENT_DONE;
	cmark_iter_free(is);
	cmark_iter_free(ip);
	if (!same)
		return false;

	is = cmark_iter_new(smart);
	ip = cmark_iter_new(plain);
	GPtrArray *runs = g_ptr_array_new_with_free_func(run_free);
	g_ptr_array_add(runs, run_new());
	while ((ev = cmark_iter_next(is)) != CMARK_EVENT_DONE) {
		cmark_iter_next(ip);
		cmark_node *ns = cmark_iter_get_node(is);
		cmark_node *np = cmark_iter_get_node(ip);
		run *r = g_ptr_array_index(runs, runs->len - 1);
		if (!is_inline(ns)) {
			/* a block: the text before it and in it are runs */
			finish_run(&c, r);
			if (ev == CMARK_EVENT_ENTER &&
			    cmark_node_get_type(ns) == CMARK_NODE_HEADING)
				r->heading = ns;
			continue;
		}
		bool in_image = runs->len > 1;
		switch (cmark_node_get_type(ns)) {
		case CMARK_NODE_TEXT: {
			segment seg = { ns, r->smart->len, 0 };
			const char *ls = cmark_node_get_literal(ns);
			const char *lp = cmark_node_get_literal(np);
			g_string_append(r->smart, ls ? ls : "");
			g_string_append(r->plain, lp ? lp : "");
			seg.end = r->smart->len;
			g_array_append_val(r->segments, seg);
			if (!in_image)
				g_string_append(r->slug, lp ? lp : "");
			break;
		}
		case CMARK_NODE_CODE: {
			append_both(r, "x");
			const char *lp = cmark_node_get_literal(np);
			if (!in_image)
				g_string_append(r->slug, lp ? lp : "");
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			append_both(r, " ");
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			append_both(r, ".");
			break;
		case CMARK_NODE_IMAGE:
			if (ev == CMARK_EVENT_ENTER) {
				append_both(r, "x");
				run *alt = run_new();
				alt->image = true;
				g_ptr_array_add(runs, alt);
			} else {
				finish_run(&c, r);
				g_ptr_array_remove_index(runs, runs->len - 1);
			}
			break;
		default:
			break;
		}
	}
	finish_run(&c, g_ptr_array_index(runs, 0));
	g_ptr_array_free(runs, TRUE);
	cmark_iter_free(is);
	cmark_iter_free(ip);
	return true;
}

/* ---- plain text: titles ---- */

static cmark_node *parse_inline(const char *md, int options)
{
	return cmark_parse_document(md, strlen(md), options);
}

/* The text of one line, with the punctuation of style lang. */
static void quote_line(GString *out, const char *line, size_t len, const char *lang)
{
	size_t lead = 0, trail = len;
	while (lead < len && g_ascii_isspace(line[lead]))
		lead++;
	while (trail > lead && g_ascii_isspace(line[trail - 1]))
		trail--;
	g_string_append_len(out, line, (gssize)lead);
	if (trail > lead) {
		/* an ATX heading's text is inline only (no lists, no code
		   blocks); every ASCII punctuation but quotes, '-' and '.' is
		   escaped, so that nothing else is read as Markdown */
		GString *md = g_string_new("# ");
		for (size_t i = lead; i < trail; i++) {
			char ch = line[i];
			if (g_ascii_ispunct(ch) && !strchr("'\"-.", ch))
				g_string_append_c(md, '\\');
			g_string_append_c(md, ch);
		}
		cmark_node *smart = parse_inline(md->str, CMARK_OPT_SMART);
		cmark_node *plain = parse_inline(md->str, CMARK_OPT_DEFAULT);
		GString *text = g_string_new(NULL);
		if (gb_quotes_apply(smart, plain, lang, NULL)) {
			cmark_iter *it = cmark_iter_new(smart);
			cmark_event_type ev;
			while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
				cmark_node *n = cmark_iter_get_node(it);
				if (cmark_node_get_type(n) == CMARK_NODE_TEXT)
					g_string_append(text, cmark_node_get_literal(n));
			}
			cmark_iter_free(it);
		}
		/* (whitespace inside the line is kept as it is in a text node) */
		if (text->len)
			g_string_append(out, text->str);
		else
			g_string_append_len(out, line + lead, (gssize)(trail - lead));
		g_string_free(text, TRUE);
		cmark_node_free(smart);
		cmark_node_free(plain);
		g_string_free(md, TRUE);
	}
	g_string_append_len(out, line + trail, (gssize)(len - trail));
}

char *gb_quotes_string(const char *s, const char *lang)
{
	if (!s)
		return NULL;
	GString *out = g_string_new(NULL);
	for (const char *line = s;;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		quote_line(out, line, len, lang);
		if (!nl)
			break;
		g_string_append_c(out, '\n');
		line = nl + 1;
	}
	return g_string_free(out, FALSE);
}

static void requote(char **field, const char *lang)
{
	if (!*field)
		return;
	char *q = gb_quotes_string(*field, lang);
	g_free(*field);
	*field = q;
}

void gb_quotes_meta(gb_meta *m)
{
	const char *lang = m->lang;
	requote(&m->title, lang);
	requote(&m->subtitle, lang);
	requote(&m->publisher, lang);
	requote(&m->rights, lang);
	requote(&m->description, lang);
	for (guint i = 0; m->authors && i < m->authors->len; i++) {
		gb_creator *a = g_ptr_array_index(m->authors, i);
		requote(&a->name, lang);
		requote(&a->affiliation, lang);
	}
	for (guint i = 0; m->subjects && i < m->subjects->len; i++)
		requote((char **)&m->subjects->pdata[i], lang);
}
