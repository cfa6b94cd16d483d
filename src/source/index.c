/* index.c - the book's index: its entries, their order in the book's
   language, their locators (index.h). */
#include "source/index.h"

#include <stdlib.h>
#include <string.h>

/* ---- collation by the language's alphabet ---- */

static const struct {
	const char *lang;
	const char *letters;   /* small letters, in order */
} alphabets[] = {
	{ "en", "abcdefghijklmnopqrstuvwxyz" },
	/* Russian sorts ё as е (Russian dictionaries' order, CLDR's: ё
	   differs from е only where all else is equal), under Е */
	{ "ru", "абвгдежзийклмнопрстуфхцчшщъыьэюя" },
	{ "kk", "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя" },
};

/* The alphabet of lang's primary subtag; English's (Latin) for others. */
static const char *alphabet_of(const char *lang)
{
	for (size_t i = 0; lang && i < G_N_ELEMENTS(alphabets); i++) {
		size_t n = strlen(alphabets[i].lang);
		if (!g_ascii_strncasecmp(lang, alphabets[i].lang, n) &&
		    (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_'))
			return alphabets[i].letters;
	}
	return alphabets[0].letters;
}

/* The position of small letter u in the alphabet, or -1. */
static int letter_index(const char *alphabet, gunichar u)
{
	int k = 0;
	for (const char *p = alphabet; *p; p = g_utf8_next_char(p), k++)
		if (g_utf8_get_char(p) == u)
			return k;
	return -1;
}

enum { W_SPACE = 0x10, W_DIGIT = 0x100, W_LETTER = 0x1000, W_OTHER = 0x10000 };

/* The primary weight of character u (0: ignored), and its letter in *base. */
static guint32 weight_of(const char *alphabet, gunichar u, gunichar *base)
{
	gunichar low = g_unichar_tolower(u);
	*base = low;
	int k = letter_index(alphabet, low);
	if (k >= 0)
		return W_LETTER + (guint32)k;
	/* a letter with a diacritic the alphabet lacks: its base letter */
	gunichar d[8];
	gsize n = g_unichar_fully_decompose(low, FALSE, d, G_N_ELEMENTS(d));
	if (n > 0 && (k = letter_index(alphabet, d[0])) >= 0) {
		*base = d[0];
		return W_LETTER + (guint32)k;
	}
	if (g_unichar_isdigit(u))
		return W_DIGIT + (guint32)g_unichar_digit_value(u);
	if (g_unichar_isspace(u))
		return W_SPACE;
	if (!g_unichar_isalnum(u))
		return 0;   /* punctuation and symbols are ignored */
	*base = n > 0 ? d[0] : low;
	return W_OTHER + *base;
}

char *gb_collate_key(const char *s, const char *lang)
{
	const char *alphabet = alphabet_of(lang);
	GString *key = g_string_new(NULL);
	bool space = true;   /* no space first, none twice */
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar base;
		guint32 w = weight_of(alphabet, g_utf8_get_char(p), &base);
		if (!w || (w == W_SPACE && space))
			continue;
		space = w == W_SPACE;
		g_string_append_printf(key, "%06x", w);
	}
	while (key->len >= 6 && !strcmp(key->str + key->len - 6, "000010"))
		g_string_truncate(key, key->len - 6);
	return g_string_free(key, FALSE);
}

char *gb_collate_group(const char *s, const char *lang)
{
	const char *alphabet = alphabet_of(lang);
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar base;
		guint32 w = weight_of(alphabet, g_utf8_get_char(p), &base);
		if (w >= W_LETTER) {
			char buf[8] = { 0 };
			g_unichar_to_utf8(g_unichar_toupper(base), buf);
			return g_strdup(buf);
		}
		if (w >= W_DIGIT)
			return g_strdup("0\u20139");
	}
	return g_strdup("#");
}

/* ---- the entries ---- */

static bool is_index_mark(const gb_node *n)
{
	return n->kind == GB_NODE_SPAN && gb_node_has_class(n, "index");
}

static bool marks_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && is_index_mark(n))
		g_ptr_array_add(ctx, (gpointer)n);
	return true;
}

static void entry_free(gpointer p)
{
	gb_index_entry *e = p;
	g_free(e->term);
	g_free(e->sub);
	g_free(e->group);
	g_ptr_array_free(e->marks, TRUE);
	g_ptr_array_free(e->ends, TRUE);
	g_free(e);
}

/* A mark's entry and subentry, white space trimmed and collapsed. */
static void entry_of(const gb_node *mark, char **term, char **sub)
{
	char *text = mark->title ? g_strdup(mark->title) : gb_node_text(mark);
	char *bang = strchr(text, '!');
	*sub = NULL;
	if (bang) {
		*bang = '\0';
		*sub = g_strstrip(g_strdup(bang + 1));
		if (!**sub) {
			g_free(*sub);
			*sub = NULL;
		}
	}
	*term = g_strstrip(g_strdup(text));
	g_free(text);
	for (char **s = term; s; s = s == term ? sub : NULL) {
		if (!*s)
			continue;
		GString *o = g_string_new(NULL);
		for (const char *p = *s; *p; p++)
			if (!(g_ascii_isspace(*p) && (o->len == 0 || o->str[o->len - 1] == ' ')))
				g_string_append_c(o, g_ascii_isspace(*p) ? ' ' : *p);
		g_free(*s);
		*s = g_string_free(o, FALSE);
	}
}

typedef struct sort_item {
	gb_index_entry *e;
	char *tkey, *skey;
} sort_item;

static int sort_cmp(gconstpointer a, gconstpointer b)
{
	const sort_item *x = *(sort_item *const *)a, *y = *(sort_item *const *)b;
	int c = strcmp(x->tkey, y->tkey);
	if (!c)
		c = strcmp(x->e->term, y->e->term);
	if (!c)
		c = (x->e->sub != NULL) - (y->e->sub != NULL);
	if (!c && x->e->sub)
		c = strcmp(x->skey, y->skey);
	if (!c && x->e->sub)
		c = strcmp(x->e->sub, y->e->sub);
	return c;
}

static gb_index_entry *entry_for(GHashTable *by_name, const char *term, const char *sub)
{
	char *name = g_strconcat(term, "\x01", sub ? sub : "", NULL);
	gb_index_entry *e = g_hash_table_lookup(by_name, name);
	if (!e) {
		e = g_new0(gb_index_entry, 1);
		e->term = g_strdup(term);
		e->sub = g_strdup(sub);
		e->marks = g_ptr_array_new();
		e->ends = g_ptr_array_new();
		g_hash_table_insert(by_name, name, e);
	} else {
		g_free(name);
	}
	return e;
}

void gb_index_build(gb_book *book, gb_diag *d, gb_index_assign_fn assign, void *ctx)
{
	GPtrArray *marks = g_ptr_array_new();
	gb_node_walk(book->root, marks_fn, marks);
	const char *lang = book->meta.lang;
	if (book->has_index && !marks->len)
		gb_warning(d, book->index_loc,
			   "the index has no entries: mark them in the text with "
			   "[term]{.index} (or remove '- kind: index' from parts)");
	if (!book->has_index && marks->len)
		gb_warning(d, ((gb_node *)marks->pdata[0])->loc,
			   "the text has %u index mark%s but book.yaml sets no index: "
			   "add '- kind: index' as the last of its parts",
			   marks->len, marks->len == 1 ? "" : "s");
	GHashTable *by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < marks->len; i++) {
		gb_node *m = marks->pdata[i];
		char *term, *sub;
		entry_of(m, &term, &sub);
		if (!*term) {
			gb_error(d, m->loc, "index entry is empty: write the term in the "
				 "brackets or give it, {.index entry=\"term\"}");
			g_free(term);
			g_free(sub);
			continue;
		}
		if (!m->id && assign)
			assign(m, ctx);
		char *name = g_strconcat(term, "\x01", sub ? sub : "", NULL);
		const char *range = m->label;
		if (range && !strcmp(range, "end")) {
			gb_index_entry *e = g_hash_table_lookup(open, name);
			if (!e) {
				gb_error(d, m->loc, "index range end of '%s%s%s' closes no range: "
					 "mark its start with {.index range=start}", term,
					 sub ? "!" : "", sub ? sub : "");
			} else {
				e->ends->pdata[e->ends->len - 1] = m;
				g_hash_table_remove(open, name);
			}
			g_free(name);
		} else {
			if (range && strcmp(range, "start"))
				gb_error(d, m->loc, "index range '%s' is neither start nor end", range);
			gb_index_entry *e = entry_for(by_name, term, sub);
			g_ptr_array_add(e->marks, m);
			g_ptr_array_add(e->ends, NULL);
			if (range && !strcmp(range, "start")) {
				if (g_hash_table_contains(open, name))
					gb_error(d, m->loc, "index range of '%s' starts again before it ends", term);
				g_hash_table_replace(open, name, e);
			} else {
				g_free(name);
			}
		}
		/* an entry with subentries is listed, marked or not */
		if (sub)
			entry_for(by_name, term, NULL);
		g_free(term);
		g_free(sub);
	}
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, open);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		gb_index_entry *e = v;
		const gb_node *m = e->marks->pdata[e->marks->len - 1];
		gb_error(d, m->loc, "index range of '%s' is never closed: mark its end "
			 "with {.index range=end}", e->term);
	}
	g_hash_table_destroy(open);
	/* sorted */
	GPtrArray *items = g_ptr_array_new();
	g_hash_table_iter_init(&it, by_name);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		sort_item *s = g_new0(sort_item, 1);
		s->e = v;
		s->tkey = gb_collate_key(s->e->term, lang);
		s->skey = s->e->sub ? gb_collate_key(s->e->sub, lang) : NULL;
		s->e->group = gb_collate_group(s->e->term, lang);
		g_ptr_array_add(items, s);
	}
	g_ptr_array_sort(items, sort_cmp);
	if (book->index)
		g_ptr_array_free(book->index, TRUE);
	book->index = g_ptr_array_new_with_free_func(entry_free);
	for (guint i = 0; i < items->len; i++) {
		sort_item *s = items->pdata[i];
		g_ptr_array_add(book->index, s->e);
		g_free(s->tkey);
		g_free(s->skey);
		g_free(s);
	}
	g_ptr_array_free(items, TRUE);
	g_hash_table_destroy(by_name);
	g_ptr_array_free(marks, TRUE);
}

/* ---- locators ---- */

static bool number_of(const char *label, long *n)
{
	if (!label || !*label)
		return false;
	char *end;
	*n = strtol(label, &end, 10);
	return *end == '\0';
}

static void locator_free(gpointer p)
{
	gb_index_locator *l = p;
	g_free(l->text);
	g_free(l);
}

GPtrArray *gb_index_locators(const gb_index_entry *e, gb_index_page_fn page, void *ctx)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(locator_free);
	long from = 0, to = 0;          /* the numbered run being built */
	const gb_node *run_mark = NULL;
	for (guint i = 0; i <= e->marks->len; i++) {
		const gb_node *m = i < e->marks->len ? e->marks->pdata[i] : NULL;
		const gb_node *end = m ? e->ends->pdata[i] : NULL;
		const char *a = m ? page(m->id, ctx) : NULL;
		const char *z = end ? page(end->id, ctx) : a;
		long na, nz;
		bool numbered = m && number_of(a, &na) && number_of(z, &nz) && nz >= na;
		if (numbered && run_mark && na <= to + 1) {
			to = MAX(to, nz);  /* the run goes on */
			continue;
		}
		if (run_mark) {
			gb_index_locator *l = g_new0(gb_index_locator, 1);
			l->text = from == to ? g_strdup_printf("%ld", from)
					     : g_strdup_printf("%ld\u2013%ld", from, to);
			l->mark = run_mark;
			g_ptr_array_add(out, l);
			run_mark = NULL;
		}
		if (!m)
			break;
		if (numbered) {
			from = na;
			to = nz;
			run_mark = m;
			continue;
		}
		/* a page not numbered in arabic (roman), or none known */
		gb_index_locator *last = out->len ? out->pdata[out->len - 1] : NULL;
		if (a && last && !g_strcmp0(last->text, a))
			continue;
		gb_index_locator *l = g_new0(gb_index_locator, 1);
		l->text = a ? (z && strcmp(a, z) ? g_strdup_printf("%s\u2013%s", a, z) : g_strdup(a)) : NULL;
		l->mark = m;
		g_ptr_array_add(out, l);
	}
	return out;
}
