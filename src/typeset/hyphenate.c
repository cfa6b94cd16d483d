/* hyphenate.c - hyphenation: libhyphen's dictionaries found by language, loaded and kept; the letters kept per language; which words of a paragraph are hyphenated (not names) and where (lb.h) */
#include "typeset/lb.h"
#include "design/words.h"

static void hdict_free(gpointer p)
{
	hdict *e = p;
	if (e->d)
		hnj_hyphen_free(e->d);
	if (e->conv != (GIConv)-1)
		g_iconv_close(e->conv);
	g_hash_table_destroy(e->words);
	g_free(e);
}

gb_hyphenator *gb_hyphenator_new(void)
{
	gb_hyphenator *h = g_new0(gb_hyphenator, 1);
	h->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, hdict_free);
	h->langs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	h->key = g_string_new(NULL);
	return h;
}

static char *dict_candidate(const char *name)
{
	char *file = g_strdup_printf(HYPHEN_DIR "/hyph_%s.dic", name);
	if (g_file_test(file, G_FILE_TEST_IS_REGULAR))
		return file;
	g_free(file);
	return NULL;
}

/*
 * The dictionary file for a language tag (BCP 47), or NULL when no
 * hyphen-* package has one: the language and region's (en-GB:
 * hyph_en_GB.dic), else the language's own (hyph_en.dic, which Debian
 * links to en_US; hyph_de.dic, hyph_fr.dic, hyph_pt.dic...), else the
 * language's in its own country (hyph_ru_RU.dic, hyph_pl_PL.dic,
 * hyph_es_ES.dic), else the first of the language's in any region.
 */
static char *find_dict_file(const char *lang)
{
	char **sub = g_strsplit(lang, "-", -1);
	char *primary = g_ascii_strdown(sub[0], -1);
	char *file = NULL;
	if (!*primary || strspn(primary, "abcdefghijklmnopqrstuvwxyz") != strlen(primary))
		goto done;
	/* the region: the first subtag of two letters after the language */
	for (int i = 1; sub[i]; i++) {
		size_t n = strlen(sub[i]);
		if (n == 2 && g_ascii_isalpha(sub[i][0]) && g_ascii_isalpha(sub[i][1])) {
			char *region = g_ascii_strup(sub[i], -1);
			char *name = g_strdup_printf("%s_%s", primary, region);
			file = dict_candidate(name);
			g_free(name);
			g_free(region);
			break;
		}
	}
	if (!file)
		file = dict_candidate(primary);
	if (!file) {
		char *region = g_ascii_strup(primary, -1);
		char *name = g_strdup_printf("%s_%s", primary, region);
		file = dict_candidate(name);
		g_free(name);
		g_free(region);
	}
	if (!file) {
		GDir *dir = g_dir_open(HYPHEN_DIR, 0, NULL);
		char *prefix = g_strdup_printf("hyph_%s_", primary);
		GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
		for (const char *n; dir && (n = g_dir_read_name(dir));)
			if (g_str_has_prefix(n, prefix) && g_str_has_suffix(n, ".dic"))
				g_ptr_array_add(found, g_strdup(n));
		if (found->len) {
			const char *first = found->pdata[0];
			for (guint i = 1; i < found->len; i++)
				if (strcmp(found->pdata[i], first) < 0)
					first = found->pdata[i];
			file = g_build_filename(HYPHEN_DIR, first, NULL);
		}
		g_ptr_array_free(found, TRUE);
		g_free(prefix);
		if (dir)
			g_dir_close(dir);
	}
done:
	g_free(primary);
	g_strfreev(sub);
	return file;
}

/* The dictionary file for lang (remembered), or NULL. */
static const char *dict_file(gb_hyphenator *h, const char *lang)
{
	char *key = g_ascii_strdown(lang, -1);
	gpointer file = NULL;
	if (g_hash_table_lookup_extended(h->langs, key, NULL, &file)) {
		g_free(key);
		return file;
	}
	file = find_dict_file(key);
	g_hash_table_insert(h->langs, key, file);
	return file;
}

static gpointer load_dict(gpointer file)
{
	return gb_hyph_dict_load(file);
}

/* The loaded form of libhyphen's machine d (or NULL) for file. */
static hdict *keep_dict(gb_hyphenator *h, const char *file, HyphenDict *d)
{
	hdict *e = g_new0(hdict, 1);
	e->d = d;
	e->conv = (GIConv)-1;
	e->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (d) {
		e->usable = d->utf8 != 0;
		if (!d->utf8) {
			/* (libhyphen keeps the name as the file says it;
			   iconv knows ISO8859-1, KOI8-R, microsoft-cp1251...) */
			e->conv = g_iconv_open(d->cset, "UTF-8");
			e->usable = e->conv != (GIConv)-1;
		}
	}
	g_hash_table_insert(h->files, g_strdup(file), e);
	return e;
}

/* Waits for the dictionary being loaded, and keeps it. */
static void finish_loading(gb_hyphenator *h)
{
	if (!h->loading)
		return;
	keep_dict(h, h->loading_file, g_thread_join(h->loading));
	g_free(h->loading_file);
	h->loading = NULL;
	h->loading_file = NULL;
}

/*
 * The book's dictionary is parsed in a thread of its own while the style
 * and fonts are read; the hyphenator owns the thread and joins it when the
 * dictionary is first asked for, or when it is freed.  It pays: `pdf` of
 * a 300-page book took 671 ms at best with it, 839 ms without (7 runs of
 * each, in turn, on a shared 2-core machine).
 */
void gb_hyphenator_preload(gb_hyphenator *h, const char *lang)
{
	if (!h || !lang)
		return;
	finish_loading(h);
	const char *file = dict_file(h, lang);
	if (!file || g_hash_table_contains(h->files, file))
		return;
	h->loading_file = g_strdup(file);
	h->loading = g_thread_new("hyphenation", load_dict, h->loading_file);
}

void gb_hyphenator_free(gb_hyphenator *h)
{
	if (!h)
		return;
	finish_loading(h);
	g_hash_table_destroy(h->files);
	g_hash_table_destroy(h->langs);
	g_string_free(h->key, TRUE);
	g_free(h);
}

/* lang's dictionary, loaded on first use; NULL when it has none. */
hdict *gb_lb_dict_for(gb_hyphenator *h, const char *lang)
{
	if (!h || !lang)
		return NULL;
	const char *file = dict_file(h, lang);
	if (!file)
		return NULL;
	if (h->loading && !strcmp(file, h->loading_file))
		finish_loading(h);
	hdict *e = g_hash_table_lookup(h->files, file);
	if (!e)
		e = keep_dict(h, file, gb_hyph_dict_load(file));
	return e->usable ? e : NULL;
}

/*
 * libhyphen's marks for the word text[0, n) (UTF-8): one byte a
 * character, odd where a hyphen may follow it; remembered per word.  NULL
 * when the word cannot be hyphenated: a character the dictionary's
 * charset lacks, a replacement rule (a word that changes when broken).
 * The word is lowercased a character at a time, so that its characters
 * stay where they were.
 */
static const char *word_marks(gb_hyphenator *h, hdict *e, const char *text, gsize n)
{
	g_string_truncate(h->key, 0);
	g_string_append_len(h->key, text, (gssize)n);
	gpointer found;
	if (g_hash_table_lookup_extended(e->words, h->key->str, NULL, &found))
		return found;
	GString *lower = g_string_sized_new(n);
	glong chars = 0;
	for (const char *p = text; p < text + n; p = g_utf8_next_char(p), chars++)
		g_string_append_unichar(lower, g_unichar_tolower(g_utf8_get_char(p)));
	char *word = NULL;
	gsize len = 0;
	if (e->conv == (GIConv)-1) {
		word = g_strndup(lower->str, lower->len);
		len = lower->len;
	} else {
		gsize read = 0;
		word = g_convert_with_iconv(lower->str, (gssize)lower->len, e->conv, &read, &len, NULL);
		/* a single-byte charset: a byte a character, or nothing */
		if (word && (read != lower->len || len != (gsize)chars)) {
			g_free(word);
			word = NULL;
		}
	}
	char *marks = NULL;
	if (word && chars >= 2) {
		marks = g_malloc0(len + 5);
		char **rep = NULL;
		int *pos = NULL, *cut = NULL;
		if (hnj_hyphen_hyphenate2(e->d, word, (int)len, marks, NULL, &rep, &pos, &cut) != 0 ||
		    rep) {
			g_free(marks);
			marks = NULL;
		}
		if (rep) {
			for (gsize i = 0; i < len; i++)
				free(rep[i]);
			free(rep);
			free(pos);
			free(cut);
		}
	}
	g_free(word);
	g_string_free(lower, TRUE);
	g_hash_table_insert(e->words, g_strdup(h->key->str), marks);
	return marks;
}

/*
 * Calls point(at, data) for each byte at of the word text[0, n) after
 * which a hyphen may go: left_min letters before, right_min after (or
 * more, when the dictionary asks).
 */
static void hyphen_points(gb_hyphenator *h, hdict *e, const char *text, gsize n,
			  int left_min, int right_min, void (*point)(gsize, void *), void *data)
{
	const char *marks = word_marks(h, e, text, n);
	if (!marks)
		return;
	left_min = MAX(left_min, MAX(e->d->lhmin, 1));
	right_min = MAX(right_min, MAX(e->d->rhmin, 1));
	glong total = g_utf8_strlen(text, (gssize)n), seen = 0;
	for (const char *p = text; p < text + n; seen++) {
		p = g_utf8_next_char(p);
		/* marks[seen]: after the character that ends at p */
		if ((marks[seen] & 1) && seen + 1 >= left_min && total - seen - 1 >= right_min)
			point((gsize)(p - text), data);
	}
}

static void mark_point(gsize at, void *data)
{
	((guint8 *)data)[at] = 1;
}

void gb_lb_hyphenate_word(gb_hyphenator *h, hdict *e, const char *text,
			   guint a, guint b, int left, int right, guint8 *hyph)
{
	hyphen_points(h, e, text + a, b - a, left, right, mark_point, hyph + a);
}

/*
 * The letters TeX keeps before and after a hyphen, by language (hyph-utf8's
 * language.dat.lua, as babel loads them): the one table; the style's
 * breaking.hyphen-mins overrides it.
 */
static const struct { const char *lang; int left, right; } hyphen_mins[] = {
	{ "en", 2, 3 }, { "pt", 2, 3 }, { "cs", 2, 3 }, { "sk", 2, 3 },
	{ "et", 2, 3 }, { "ga", 2, 3 },
	{ "ru", 2, 2 }, { "uk", 2, 2 }, { "be", 2, 2 }, { "bg", 2, 2 },
	{ "kk", 2, 2 }, { "de", 2, 2 }, { "fr", 2, 2 }, { "es", 2, 2 },
	{ "it", 2, 2 }, { "pl", 2, 2 }, { "nl", 2, 2 }, { "da", 2, 2 },
	{ "fi", 2, 2 }, { "hu", 2, 2 }, { "hr", 2, 2 }, { "ca", 2, 2 },
};

/* lang's primary language subtag ("en-GB" -> "en"), in buf. */
static const char *primary(const char *lang, char *buf, size_t n)
{
	size_t k = 0;
	while (lang[k] && lang[k] != '-' && lang[k] != '_' && k + 1 < n) {
		buf[k] = (char)g_ascii_tolower(lang[k]);
		k++;
	}
	buf[k] = 0;
	return buf;
}

bool gb_hyphen_mins_item(const char *text, char lang[32], int *left, int *right)
{
	char rest[2];
	return sscanf(text, "%31s %d %d %1s", lang, left, right, rest) == 3 &&
	       *left >= 1 && *right >= 1;
}

/* The style's line for tag in mins ("LANG LEFT RIGHT" lines). */
static bool style_mins(const char *mins, const char *tag, int *left, int *right)
{
	if (!mins)
		return false;
	bool found = false;
	char **lines = g_strsplit(mins, "\n", -1);
	for (char **l = lines; *l && !found; l++) {
		char name[32];
		int a, b;
		if (gb_hyphen_mins_item(*l, name, &a, &b) &&
		    !g_ascii_strcasecmp(name, tag)) {
			*left = a;
			*right = b;
			found = true;
		}
	}
	g_strfreev(lines);
	return found;
}

void gb_hyphen_mins(const gb_break_params *p, const char *lang, int *left, int *right)
{
	char buf[16];
	const char *prim = primary(lang ? lang : "", buf, sizeof buf);
	*left = 2;
	*right = 3;   /* TeX's own, for a language the table lacks */
	if (!lang || !style_mins(p->hyphen_mins, lang, left, right)) {
		if (!style_mins(p->hyphen_mins, prim, left, right)) {
			for (size_t i = 0; i < G_N_ELEMENTS(hyphen_mins); i++)
				if (!strcmp(hyphen_mins[i].lang, prim)) {
					*left = hyphen_mins[i].left;
					*right = hyphen_mins[i].right;
				}
		}
	}
	*left = MAX(*left, p->left_min);
	*right = MAX(*right, p->right_min);
}

bool gb_lang_capitalises_nouns(const char *lang)
{
	char buf[16];
	const char *prim = primary(lang ? lang : "", buf, sizeof buf);
	return !strcmp(prim, "de") || !strcmp(prim, "lb") || !strcmp(prim, "gsw");
}

/* Whether the full stop at dot ends an abbreviation (see proper()). */
static bool abbreviation(const char *text, const char *dot)
{
	/* a capitalised word of at most three letters before the full stop
	   (Mr, Mrs, Dr, St, M, J), after a space or the paragraph's start */
	const char *q = dot;
	int n = 0;
	while (q > text && g_unichar_isalpha(g_utf8_get_char(g_utf8_prev_char(q)))) {
		q = g_utf8_prev_char(q);
		n++;
	}
	if (n < 1 || n > 3 || !g_unichar_isupper(g_utf8_get_char(q)))
		return false;
	return q == text || g_utf8_get_char(g_utf8_prev_char(q)) == ' ' ||
	       g_utf8_get_char(g_utf8_prev_char(q)) == 0xA0;
}

/*
 * Whether the word text[a, b) (letters) is a proper name's, as far as the
 * text shows: in capitals (gb_caps_word(): NATO, ҚР),
 * or capitalised (its first letter a capital) where no sentence starts:
 * after a letter, a hyphen or an apostrophe (Sino-Kazakh, O'Brien), or
 * after a space that no '.', '!', '?', '…' (nor the paragraph's start)
 * comes before, across quotes and brackets; a full stop after a
 * capitalised word of three letters or fewer (Dr., St., J.) ends an
 * abbreviation, not a sentence.
 */
static bool proper(const char *text, guint a, guint b, bool nouns)
{
	if (gb_caps_word(text + a, b - a))
		return true;
	gunichar first = g_utf8_get_char(text + a);
	if (nouns || !(g_unichar_isupper(first) || (first >= 0x1c5 && g_unichar_istitle(first))))
		return false;
	/* a sentence's start? back over opening marks and spaces */
	const char *q = text + a;
	bool spaced = false;
	while (q > text) {
		const char *pq = g_utf8_prev_char(q);
		gunichar c = g_utf8_get_char(pq);
		if (c == ' ' || c == 0xA0 || c == 0x2028) {
			spaced = true;
		} else if (g_unichar_type(c) == G_UNICODE_INITIAL_PUNCTUATION ||
			   g_unichar_type(c) == G_UNICODE_OPEN_PUNCTUATION ||
			   c == '"' || c == '\'' || c == 0xAB || c == 0xBF || c == 0xA1 ||
			   c == 0x2014 || c == 0x2013) {
			/* (an opening quote, bracket, ¿, ¡, or a dash that
			   opens a line of dialogue) */
			if (!spaced && (c == '\'' || c == 0x2013 || c == 0x2014))
				return true;   /* O'Brien, a word after a dash */
		} else if (spaced && (g_unichar_type(c) == G_UNICODE_FINAL_PUNCTUATION ||
				      g_unichar_type(c) == G_UNICODE_CLOSE_PUNCTUATION ||
				      c == 0xBB || c == '*' || c == '_')) {
			/* a closing quote or bracket after a sentence's end:
			   'said.” Then' */
		} else {
			if (!spaced)
				return true;   /* after a letter or a hyphen */
			if (c == '.' && abbreviation(text, pq))
				return true;   /* Dr. Darwin, St. Petersburg, J. S. Mill */
			return !(c == '.' || c == '!' || c == '?' || c == 0x2026 ||
				 c == 0x3002);
		}
		q = pq;
	}
	return false;   /* the paragraph's start */
}

/* The language attributes of s (a span's '{lang=ru}'), in order: the
   caller frees the list (the attributes are s's). */
static GSList *lang_runs(const gb_para_spec *s)
{
	GSList *out = NULL;
	if (!s->attrs)
		return NULL;
	GSList *all = pango_attr_list_get_attributes(s->attrs);
	for (GSList *l = all; l; l = l->next) {
		PangoAttribute *a = l->data;
		if (a->klass->type == PANGO_ATTR_LANGUAGE)
			out = g_slist_prepend(out, a);
		else
			pango_attribute_destroy(a);
	}
	g_slist_free(all);
	return g_slist_reverse(out);
}

bool gb_lb_has_lang_runs(const gb_para_spec *s)
{
	GSList *runs = lang_runs(s);
	bool any = runs != NULL;
	g_slist_free_full(runs, (GDestroyNotify)pango_attribute_destroy);
	return any;
}

/* The language of the word starting at byte i: the innermost span's
   over it, else the paragraph's. */
static const char *lang_at(const gb_para_spec *s, GSList *runs, guint i)
{
	const char *lang = s->lang;
	for (GSList *l = runs; l; l = l->next) {
		const PangoAttribute *a = l->data;
		if (a->start_index <= i && i < a->end_index)
			lang = pango_language_to_string(((const PangoAttrLanguage *)a)->value);
	}
	return lang;
}

void gb_lb_mark_hyphens(gb_hyphenator *h, hdict *para_dict, const para *pa, guint8 *hyph)
{
	const gb_para_spec *s = pa->s;
	const gb_break_params *bp = s->params;
	GSList *runs = lang_runs(s);
	/* the last word starts after the last space */
	guint last_word = pa->len;
	while (last_word > 0 && s->text[last_word - 1] != ' ' &&
	       !(pa->cjk && pa->cjk[last_word]))
		last_word--;
	const char *mins_lang = NULL;
	bool mins_known = false, nouns = false;
	int left = 0, right = 0;
	/* (words of letters: not Chinese nor Japanese) */
	for (guint i = 0; i < pa->len;) {
		gunichar c = g_utf8_get_char(s->text + i);
		if (!g_unichar_isalpha(c) || (pa->cjk && gb_lb_is_cjk(c)) ||
		    (s->literal && s->literal[i])) {
			i = (guint)(g_utf8_next_char(s->text + i) - s->text);
			continue;
		}
		guint j = i;
		while (j < pa->len && g_unichar_isalpha(c = g_utf8_get_char(s->text + j)) &&
		       !(pa->cjk && gb_lb_is_cjk(c)))
			j = (guint)(g_utf8_next_char(s->text + j) - s->text);
		/* each word by its own language's dictionary: a span's
		   (lang=ru) or the paragraph's; none, no hyphen */
		const char *lang = lang_at(s, runs, i);
		hdict *e = lang == s->lang ? para_dict : gb_lb_dict_for(h, lang);
		/* (the minimums and nouns of the last word's language, read
		   again only for another: the style's table is text) */
		if (!mins_known || lang != mins_lang) {
			gb_hyphen_mins(bp, lang, &left, &right);
			nouns = gb_lang_capitalises_nouns(lang);
			mins_lang = lang;
			mins_known = true;
		}
		if (e && (bp->capitalised || !proper(s->text, i, j, nouns))) {
			gb_lb_hyphenate_word(h, e, s->text, i, j, left, right, hyph);
			if (i >= last_word)
				for (guint k = i; k <= j; k++)
					if (hyph[k])
						hyph[k] = 2;
		}
		i = j;
	}
	g_slist_free_full(runs, (GDestroyNotify)pango_attribute_destroy);
}

static void show_point(gsize at, void *data)
{
	shown *s = data;
	g_string_append_len(s->out, s->word + s->done, (gssize)(at - s->done));
	g_string_append_c(s->out, '-');
	s->done = at;
}

char *gb_hyphenate(gb_hyphenator *h, const char *lang, const char *word,
		   int left_min, int right_min)
{
	hdict *e = gb_lb_dict_for(h, lang);
	if (!e)
		return NULL;
	shown s = { g_string_new(NULL), word, 0 };
	hyphen_points(h, e, word, strlen(word), left_min, right_min, show_point, &s);
	g_string_append(s.out, word + s.done);
	return g_string_free(s.out, FALSE);
}
