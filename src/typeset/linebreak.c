/* linebreak.c - total-fit paragraph breaking over Pango-shaped text. */
#include "typeset/linebreak.h"

#include <hyphen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "typeset/hyphdict.h"
#include "base/cache.h"

/* ---- hyphenation ---- */

/*
 * A dictionary file, loaded: libhyphen's machine, and the converter from
 * UTF-8 to the charset its first line names (hyph_ru_RU.dic is KOI8-R,
 * hyph_de_DE.dic ISO8859-1, hyph_pl_PL.dic ISO8859-2): libhyphen matches
 * bytes, so a word must reach it in the dictionary's charset.
 */
typedef struct hdict {
	HyphenDict *d;          /* NULL: the file could not be read */
	GIConv conv;            /* UTF-8 -> d->cset; (GIConv)-1 for UTF-8
				   or a charset iconv does not know */
	bool usable;            /* d, and its words can reach it */
	GHashTable *words;      /* word -> libhyphen's marks for it, one a
				   character (NULL: not hyphenated) */
} hdict;

struct gb_hyphenator {
	GHashTable *files;   /* dictionary file -> hdict * */
	GHashTable *langs;   /* language tag, lowercased -> its file (or
				NULL: none) */
	GString *key;
	GThread *loading;    /* loading the dictionary of ... */
	char *loading_file;  /* ... this file */
};

/* Where Debian's hyphen-* packages install their dictionaries. */
#define HYPHEN_DIR "/usr/share/hyphen"

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
static hdict *dict_for(gb_hyphenator *h, const char *lang)
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

static void hyphenate_word(gb_hyphenator *h, hdict *e, const char *text,
			   guint a, guint b, const gb_break_params *p, guint8 *hyph)
{
	hyphen_points(h, e, text + a, b - a, p->left_min, p->right_min, mark_point, hyph + a);
}

typedef struct shown {
	GString *out;
	const char *word;
	gsize done;
} shown;

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
	hdict *e = dict_for(h, lang);
	if (!e)
		return NULL;
	shown s = { g_string_new(NULL), word, 0 };
	hyphen_points(h, e, word, strlen(word), left_min, right_min, show_point, &s);
	g_string_append(s.out, word + s.done);
	return g_string_free(s.out, FALSE);
}

/* ---- the paragraph as boxes, glue and penalties ---- */

enum { BOX, GLUE, PENALTY };

#define INF_PENALTY 10000.0

typedef struct item {
	int type;
	double w, y, z;       /* width, stretch, shrink */
	double p;             /* penalty */
	bool flagged;         /* a hyphen */
	bool letter;          /* between two letters of a word wider than
				 the line: no hyphen, the last resort */
	bool ragged;          /* a line may end here unstretched (inside
				 code, an address, a word wider than the
				 line), as bad as it is short */
	guint end;            /* a break here ends the line before this byte */
	guint next;           /* ... and the next line starts here */
	bool narrow;          /* between two letters of a word no wider than
				 the line (the last pass) */
	double pre, post;     /* a break here: what the line ending here and
				 the line starting after it gain, as
				 set_line() shapes the word broken (its part
				 before on its own, with its hyphen; its part
				 after on its own) or the last word before a
				 space (without its kern with the space),
				 over their widths in the paragraph's one
				 shaping (a ligature across the break, a
				 kern) */
	guint word_end;       /* post_due: post is the rest of the word up
				 to here, measured when a line first starts
				 after this break (few breaks are feasible) */
	bool post_due;
} item;

typedef struct para {
	PangoContext *pc;
	const gb_para_spec *s;
	const char *text;
	guint len;
	double *x;            /* x[i]: width of text[0, i), unbroken */
	double space, hyphen; /* widths */
	GArray *items;
	gb_glyphs *shaped;    /* the paragraph on one line (a reference) */
	GPtrArray *runs;      /* its runs, in text order; NULL when lines
				 cannot be cut from them (right-to-left text,
				 tabs) */
	struct word_cache *words;  /* the context's shaped words */
	double *pre;          /* pre[i]: the pre of a space at i or of a
				 break inside a word before i, NAN until
				 measured: each pass builds the items again */
	guint8 *cjk;          /* cjk[i]: a line may break before byte i,
				 between two characters of Chinese or
				 Japanese (gb_cjk_breaks(), at a cluster's
				 start, outside code); NULL when the
				 paragraph has none */
} para;

/*
 * The widths of a space and a hyphen in font, kept on the context: every
 * paragraph asks, and most share a font.
 */
static void space_and_hyphen(PangoContext *pc, const PangoFontDescription *font,
			     double *space, double *hyphen)
{
	GHashTable *cache = g_object_get_data(G_OBJECT(pc), "gb-space-hyphen");
	if (!cache) {
		cache = g_hash_table_new_full((GHashFunc)pango_font_description_hash,
					      (GEqualFunc)pango_font_description_equal,
					      (GDestroyNotify)pango_font_description_free,
					      g_free);
		g_object_set_data_full(G_OBJECT(pc), "gb-space-hyphen", cache,
				       (GDestroyNotify)g_hash_table_destroy);
	}
	double *w = g_hash_table_lookup(cache, font);
	if (!w) {
		/* their advances, as shaped: no glyph outline is loaded */
		w = g_new(double, 2);
		gb_glyphs *g = gb_shape_text(pc, " ", NULL, font);
		w[0] = gb_glyphs_width(g);
		gb_glyphs_unref(g);
		g = gb_shape_text(pc, "-", NULL, font);
		w[1] = gb_glyphs_width(g);
		gb_glyphs_unref(g);
		g_hash_table_insert(cache, pango_font_description_copy(font), w);
	}
	*space = w[0];
	*hyphen = w[1];
}

/*
 * Whether byte i of the run's item starts one of its clusters.  A left to
 * right run's clusters go up, so a binary search finds it: a paragraph of
 * megabytes has runs of megabytes, cut at every line.
 */
static bool starts_cluster(const PangoGlyphItem *gi, int i)
{
	const PangoGlyphString *gs = gi->glyphs;
	if (gi->item->analysis.level % 2) {
		for (int g = 0; g < gs->num_glyphs; g++)
			if (gs->log_clusters[g] == i)
				return true;
		return false;
	}
	int g = gb_glyphs_first_at(gs, i);
	return g < gs->num_glyphs && gs->log_clusters[g] == i;
}

/* The first of the paragraph's runs that ends after byte a (runs go in
   text order). */
static guint run_after(const para *pa, guint a)
{
	guint lo = 0, hi = pa->runs->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const PangoGlyphItem *r = pa->runs->pdata[mid];
		if ((guint)(r->item->offset + r->item->length) <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Shaped words, kept on the context: a book says the same words again and
 * again, and HarfBuzz need shape each only once per font and features.
 * A word is shaped with the spaces after it; the last space gains the kern
 * the font makes between a space and the next word's first letter (from a
 * space and that letter shaped once), so the glyphs are those of the whole
 * paragraph.  Right-to-left runs are shaped whole.
 */
typedef struct shaped_word {
	PangoGlyphString *glyphs;
	bool used;              /* in this run */
} shaped_word;

/*
 * The words of one item key (font, size, features, ...), kept in the
 * user's cache between runs when the context has an identity
 * (gb_shape_cache_keep): a book is built again and again after edits, and
 * its words are shaped once.  The file holds the words the last run used.
 */
typedef struct word_file {
	char *prefix;           /* the item key */
	gsize prefix_len;
	char *path;             /* the cache entry, or NULL */
	GHashTable *words;      /* word key (what follows the item key) ->
				   shaped_word * */
	GPtrArray *keys;        /* its word keys in the order shaped (the
				   table's) */
	guint loaded, used;     /* words read from the entry; used this run */
	bool grew;              /* words were shaped this run */
	GHashTable *widths;     /* what the line breaker measured of these
				   words (width key -> measured *): a part of
				   a word set on its own, a last letter's
				   kern with a space; kept with the words */
	guint wloaded, wused;   /* widths read from the entry; used this run */
	bool wgrew;             /* widths were measured this run */
} word_file;

typedef struct measured {
	double w;
	bool used;              /* in this run */
} measured;

/* An analysis lately met, and the words of its item key. */
typedef struct recent {
	PangoFont *font;
	PangoLanguage *lang;
	int level, script, gravity, flags;
	char *features;         /* its font features, each followed by ';' */
	word_file *file;
} recent;

#define RECENT 8

struct word_cache {
	GHashTable *files;      /* item key -> word_file * */
	GHashTable *font_names; /* PangoFont * -> its description */
	recent recent[RECENT];  /* the analyses last met, newest first */
	GString *key;           /* scratch for a word key */
	char *id;               /* the identity of the files, or NULL */
	gsize bytes;            /* about what it holds */
};
typedef struct word_cache word_cache;

#define WORD_CACHE_MAX (16u << 20)

static void word_free(shaped_word *w)
{
	pango_glyph_string_free(w->glyphs);
	g_free(w);
}

static const char words_magic[] = "gsi-book shaped words 3";

/* About what a word takes in the cache. */
static gsize word_bytes(gsize key_len, int glyphs)
{
	return key_len + (gsize)glyphs * 24 + 64;
}

/* Writes the words of f used in this run to its entry, if they changed. */
static void word_file_save(word_file *f)
{
	if (!f->path || (!f->grew && f->used == f->loaded && !f->wgrew && f->wused == f->wloaded))
		return;
	GByteArray *o = gb_sealed_new(words_magic);
	for (guint i = 0; i < f->keys->len; i++) {
		const char *key = f->keys->pdata[i];
		const shaped_word *w = g_hash_table_lookup(f->words, key);
		if (!w || !w->used)
			continue;
		const PangoGlyphString *g = w->glyphs;
		guint32 klen = (guint32)strlen(key);
		gb_le32_append(o, klen);
		g_byte_array_append(o, (const guint8 *)key, klen);
		gb_le32_append(o, (guint32)g->num_glyphs);
		for (int k = 0; k < g->num_glyphs; k++) {
			const PangoGlyphInfo *gi = &g->glyphs[k];
			guint32 attr = gi->attr.is_cluster_start | (guint32)gi->attr.is_color << 1;
			gb_le32_append(o, gi->glyph);
			gb_le32_append(o, (guint32)gi->geometry.width);
			gb_le32_append(o, (guint32)gi->geometry.x_offset);
			gb_le32_append(o, (guint32)gi->geometry.y_offset);
			gb_le32_append(o, attr);
			gb_le32_append(o, (guint32)g->log_clusters[k]);
		}
	}
	/* then the widths used, after a length no key has */
	gb_le32_append(o, G_MAXUINT32);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, f->widths);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const measured *m = v;
		if (!m->used)
			continue;
		guint32 klen = (guint32)strlen(k);
		gb_le32_append(o, klen);
		g_byte_array_append(o, (const guint8 *)k, klen);
		guint64 bits;
		memcpy(&bits, &m->w, sizeof bits);
		gb_le32_append(o, (guint32)bits);
		gb_le32_append(o, (guint32)(bits >> 32));
	}
	gb_sealed_close(o, words_magic);
	gb_cache_put(f->path, o->data, o->len);
	g_byte_array_free(o, TRUE);
}

/* Reads f's entry into the cache; an entry that does not hold together is left out. */
static void word_file_load(word_cache *c, word_file *f)
{
	GBytes *b = gb_cache_get(f->path, 1);
	const guint8 *p = NULL;
	gsize len = 0;
	if (!b || !gb_sealed_open(b, words_magic, &p, &len)) {
		if (b)
			g_bytes_unref(b);
		return;
	}
	const guint8 *end = p + len;
	GString *key = g_string_new(NULL);
	bool widths = false;
	while (p < end) {
		guint32 klen = 0, n = 0;
		if (!gb_le32_take(&p, end, &klen))
			break;
		if (klen == G_MAXUINT32 && !widths) {
			widths = true;
			continue;
		}
		if ((gsize)(end - p) < klen)
			break;
		if (widths) {
			guint32 lo = 0, hi = 0;
			g_string_truncate(key, 0);
			g_string_append_len(key, (const char *)p, klen);
			p += klen;
			if (!gb_le32_take(&p, end, &lo) || !gb_le32_take(&p, end, &hi) ||
			    strlen(key->str) != klen || g_hash_table_contains(f->widths, key->str))
				break;
			guint64 bits = (guint64)hi << 32 | lo;
			measured *m = g_new0(measured, 1);
			memcpy(&m->w, &bits, sizeof m->w);
			g_hash_table_insert(f->widths, g_strdup(key->str), m);
			c->bytes += klen + 48;
			f->wloaded++;
			continue;
		}
		g_string_truncate(key, 0);
		g_string_append_len(key, (const char *)p, klen);
		p += klen;
		if (!gb_le32_take(&p, end, &n) || n > (guint32)((end - p) / 24))
			break;
		PangoGlyphString *g = pango_glyph_string_new();
		pango_glyph_string_set_size(g, (int)n);
		bool ok = true;
		for (guint32 k = 0; k < n && ok; k++) {
			guint32 v[6];
			for (int j = 0; j < 6 && ok; j++)
				ok = gb_le32_take(&p, end, &v[j]);
			g->glyphs[k].glyph = v[0];
			g->glyphs[k].geometry.width = (gint32)v[1];
			g->glyphs[k].geometry.x_offset = (gint32)v[2];
			g->glyphs[k].geometry.y_offset = (gint32)v[3];
			g->glyphs[k].attr.is_cluster_start = v[4] & 1;
			g->glyphs[k].attr.is_color = (v[4] >> 1) & 1;
			g->log_clusters[k] = (gint)v[5];
			ok = ok && (gint)v[5] >= 0 && v[5] <= klen;
		}
		if (!ok || strlen(key->str) != klen ||
		    g_hash_table_contains(f->words, key->str)) {
			pango_glyph_string_free(g);
			break;
		}
		shaped_word *w = g_new0(shaped_word, 1);
		w->glyphs = g;
		char *k = g_strdup(key->str);
		g_hash_table_insert(f->words, k, w);
		g_ptr_array_add(f->keys, k);
		c->bytes += word_bytes(f->prefix_len + key->len, (int)n);
		f->loaded++;
	}
	g_string_free(key, TRUE);
	g_bytes_unref(b);
}

static void word_file_free(word_file *f)
{
	g_free(f->prefix);
	g_free(f->path);
	g_ptr_array_free(f->keys, TRUE);
	g_hash_table_destroy(f->words);
	g_hash_table_destroy(f->widths);
	g_free(f);
}

static void word_cache_free(word_cache *c)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, c->files);
	while (g_hash_table_iter_next(&it, NULL, &v))
		word_file_save(v);
	g_hash_table_destroy(c->files);
	g_hash_table_destroy(c->font_names);
	for (int i = 0; i < RECENT; i++)
		g_free(c->recent[i].features);
	g_string_free(c->key, TRUE);
	g_free(c->id);
	g_free(c);
}

static word_cache *word_cache_of(PangoContext *pc)
{
	word_cache *c = g_object_get_data(G_OBJECT(pc), "gb-words");
	if (!c) {
		c = g_new0(word_cache, 1);
		c->key = g_string_new(NULL);
		c->files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
						 (GDestroyNotify)word_file_free);
		c->font_names = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		g_object_set_data_full(G_OBJECT(pc), "gb-words", c,
				       (GDestroyNotify)word_cache_free);
	}
	return c;
}

void gb_shape_cache_keep(PangoContext *pc, const char *id)
{
	word_cache *c = word_cache_of(pc);
	g_free(c->id);
	c->id = id ? g_strdup(id) : NULL;
}

/* The words of item key prefix, read from the user's cache the first time. */
static word_file *word_file_of(word_cache *c, const char *prefix)
{
	word_file *f = g_hash_table_lookup(c->files, prefix);
	if (f)
		return f;
	f = g_new0(word_file, 1);
	f->prefix = g_strdup(prefix);
	f->prefix_len = strlen(prefix);
	f->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 (GDestroyNotify)word_free);
	f->keys = g_ptr_array_new();
	f->widths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_insert(c->files, f->prefix, f);
	if (c->id) {
		char *both = g_strconcat(words_magic, "\n", c->id, "\n", prefix, NULL);
		char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, both, -1);
		f->path = gb_cache_path("words", sum);
		g_free(sum);
		g_free(both);
		word_file_load(c, f);
	}
	return f;
}

/* The width measured under width key key in f, or NULL. */
static const double *width_known(word_file *f, const char *key)
{
	measured *m = g_hash_table_lookup(f->widths, key);
	if (m && !m->used) {
		m->used = true;
		f->wused++;
	}
	return m ? &m->w : NULL;
}

/* Keeps width w under width key key in f. */
static void width_keep(word_cache *c, word_file *f, const char *key, double w)
{
	if (c->bytes >= WORD_CACHE_MAX)
		return;
	measured *m = g_new0(measured, 1);
	m->w = w;
	m->used = true;
	c->bytes += strlen(key) + 48;
	g_hash_table_insert(f->widths, g_strdup(key), m);
	f->wused++;
	f->wgrew = true;
}

/* A font as keys name it: its description, the same from run to run. */
static const char *font_name(word_cache *c, PangoFont *font)
{
	const char *name = g_hash_table_lookup(c->font_names, font);
	if (!name) {
		PangoFontDescription *d = pango_font_describe_with_absolute_size(font);
		char *s = pango_font_description_to_string(d);
		pango_font_description_free(d);
		g_hash_table_insert(c->font_names, font, s);
		name = s;
	}
	return name;
}

/*
 * The font features of a's extra attributes, each followed by ';' (""
 * for none); NULL when a has another kind, which the cache leaves alone.
 */
static char *features_of(const PangoAnalysis *a)
{
	GString *k = g_string_new(NULL);
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		const PangoAttribute *at = l->data;
		if (at->klass->type != PANGO_ATTR_FONT_FEATURES) {
			g_string_free(k, TRUE);
			return NULL;
		}
		g_string_append(k, ((const PangoAttrFontFeatures *)at)->features);
		g_string_append_c(k, ';');
	}
	return g_string_free(k, FALSE);
}

/* Whether a's features are those of r. */
static bool same_features(const recent *r, const PangoAnalysis *a)
{
	const char *p = r->features;
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		const PangoAttribute *at = l->data;
		if (at->klass->type != PANGO_ATTR_FONT_FEATURES)
			return false;
		const char *f = ((const PangoAttrFontFeatures *)at)->features;
		size_t n = strlen(f);
		if (strncmp(p, f, n) || p[n] != ';')
			return false;
		p += n + 1;
	}
	return !*p;
}

/*
 * The words of a's item key: what besides its text decides an item's
 * glyphs.  NULL when unsure.  The analyses last met are remembered, for
 * the items of a book share a few.
 */
static word_file *file_of(word_cache *c, const PangoAnalysis *a)
{
	for (int i = 0; i < RECENT; i++) {
		recent *r = &c->recent[i];
		if (r->file && r->font == a->font && r->lang == a->language &&
		    r->level == a->level && r->script == a->script &&
		    r->gravity == a->gravity && r->flags == a->flags &&
		    same_features(r, a)) {
			if (i > 0) {
				recent hit = *r;
				memmove(c->recent + 1, c->recent, (size_t)i * sizeof *r);
				c->recent[0] = hit;
			}
			return c->recent[0].file;
		}
	}
	char *features = features_of(a);
	if (!features)
		return NULL;
	char *key = g_strdup_printf("%s|%d|%d|%d|%d|%s|%s|", font_name(c, a->font), a->level,
				    a->script, a->gravity, a->flags,
				    pango_language_to_string(a->language), features);
	word_file *f = word_file_of(c, key);
	g_free(key);
	g_free(c->recent[RECENT - 1].features);
	memmove(c->recent + 1, c->recent, (RECENT - 1) * sizeof *c->recent);
	c->recent[0] = (recent){ a->font, a->language, a->level, a->script, a->gravity,
				 a->flags, features, f };
	return f;
}

/*
 * The glyphs of t[0, n) shaped alone with analysis a, from the cache under
 * word key key in f (a's item key's words); *temp is set when the cache is
 * full and the caller must free the glyphs.
 */
/*
 * Shapes t[0, n), a part of text (len bytes), as a says.  Pango applies
 * each font-features attribute of a->extra_attrs (small capitals, old-style
 * figures) to the bytes of text between its start and end indices, which
 * are those of the paragraph the item was made from.  An item has one set
 * of attributes throughout, so they apply to all of t, whatever text t is
 * in: a word set again on its own at a line's end, a letter and a space in
 * a scratch buffer.  (With the paragraph's indices, GSI at a line's end
 * lost its small capitals, a word wider than the breaker had measured.)
 */
static void shape_run(const char *t, int n, const char *text, int len,
		      const PangoAnalysis *a, PangoGlyphString *g)
{
	PangoAnalysis whole = *a;
	GSList *attrs = NULL;
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		PangoAttribute *at = pango_attribute_copy(l->data);
		at->start_index = PANGO_ATTR_INDEX_FROM_TEXT_BEGINNING;
		at->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
		attrs = g_slist_prepend(attrs, at);
	}
	whole.extra_attrs = g_slist_reverse(attrs);
	pango_shape_with_flags(t, n, text, len, &whole, g, PANGO_SHAPE_NONE);
	g_slist_free_full(whole.extra_attrs, (GDestroyNotify)pango_attribute_destroy);
}

static PangoGlyphString *cached(word_cache *c, word_file *f, const GString *key,
				const char *t, int n, const char *text, int len,
				const PangoAnalysis *a, bool *temp)
{
	*temp = false;
	shaped_word *w = g_hash_table_lookup(f->words, key->str);
	if (w) {
		if (!w->used) {
			w->used = true;
			f->used++;
		}
		return w->glyphs;
	}
	PangoGlyphString *g = pango_glyph_string_new();
	shape_run(t, n, text, len, a, g);
	if (c->bytes < WORD_CACHE_MAX) {
		c->bytes += word_bytes(f->prefix_len + key->len, g->num_glyphs);
		w = g_new0(shaped_word, 1);
		w->glyphs = g;
		w->used = true;
		char *k = g_strdup(key->str);
		g_hash_table_insert(f->words, k, w);
		g_ptr_array_add(f->keys, k);
		f->used++;
		f->grew = true;
	} else {
		*temp = true;
	}
	return g;
}

/*
 * What a space's advance gains before the character at t (a kern of the
 * pair): a space before it shaped, less a space alone.  False when the
 * pair does not shape as two glyphs of their own.
 */
static bool space_kern(word_cache *c, word_file *f, const char *t, const PangoAnalysis *a,
		       int *delta)
{
	int n = (int)(g_utf8_next_char(t) - t);
	char pair[8] = " ";
	memcpy(pair + 1, t, (size_t)n);
	bool t1, t2;
	GString *key = c->key;
	g_string_assign(key, "\x01 ");
	PangoGlyphString *lone = cached(c, f, key, pair, 1, pair, 1, a, &t1);
	g_string_append_len(key, t, n);
	PangoGlyphString *two = cached(c, f, key, pair, 1 + n, pair, 1 + n, a, &t2);
	bool ok = lone->num_glyphs == 1 && two->num_glyphs >= 2 &&
		  two->log_clusters[0] == 0 && two->log_clusters[1] == 1;
	if (ok)
		*delta = two->glyphs[0].geometry.width - lone->glyphs[0].geometry.width;
	if (t1)
		pango_glyph_string_free(lone);
	if (t2)
		pango_glyph_string_free(two);
	return ok;
}

/*
 * Shapes t[0, n) of text (len bytes) with analysis a into gs, whole, from
 * the cache when its key is sure (a word's part before a break, which ends
 * in a hyphen: the hyphen goes at the end of what is shaped).
 */
static void shape_whole(PangoContext *pc, const char *t, int n, const char *text,
			int len, const PangoAnalysis *a, PangoGlyphString *gs)
{
	word_cache *c = word_cache_of(pc);
	bool sure = !(a->flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE |
				  PANGO_ANALYSIS_FLAG_IS_ELLIPSIS)) && a->level % 2 == 0;
	word_file *f = sure ? file_of(c, a) : NULL;
	if (!f) {
		shape_run(t, n, text, len, a, gs);
		return;
	}
	GString *key = c->key;
	g_string_assign(key, "\x03");
	g_string_append_len(key, t, n);
	bool temp;
	PangoGlyphString *w = cached(c, f, key, t, n, text, len, a, &temp);
	pango_glyph_string_set_size(gs, w->num_glyphs);
	memcpy(gs->glyphs, w->glyphs, (size_t)w->num_glyphs * sizeof *w->glyphs);
	memcpy(gs->log_clusters, w->log_clusters, (size_t)w->num_glyphs * sizeof *w->log_clusters);
	if (temp)
		pango_glyph_string_free(w);
}

/*
 * Shapes item it of text (len bytes) into gs, word by word from the cache:
 * each word with the spaces after it; the last space then gains the kern
 * it makes with the next word's first letter.
 */
static void shape_item(PangoContext *pc, const char *text, int len, PangoItem *it,
		       PangoGlyphString *gs)
{
	/* (flags above these are Pango's own bookkeeping) */
	guint8 shaping = it->analysis.flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE |
					       PANGO_ANALYSIS_FLAG_IS_ELLIPSIS |
					       PANGO_ANALYSIS_FLAG_NEED_HYPHEN);
	if (shaping == PANGO_ANALYSIS_FLAG_NEED_HYPHEN) {
		shape_whole(pc, text + it->offset, it->length, text, len, &it->analysis, gs);
		return;
	}
	word_cache *c = word_cache_of(pc);
	word_file *f = it->analysis.level % 2 || shaping ? NULL : file_of(c, &it->analysis);
	if (!f) {
		shape_run(text + it->offset, it->length, text, len, &it->analysis, gs);
		return;
	}
	GString *key = c->key;
	const char *t = text + it->offset;
	int n = 0;
	for (int a = 0; a < it->length;) {
		int b = a;
		while (b < it->length && t[b] != ' ')
			b++;
		while (b < it->length && t[b] == ' ')
			b++;
		int delta = 0;
		bool kerned = b == it->length || b == a || t[b - 1] != ' ' ||
			      space_kern(c, f, t + b, &it->analysis, &delta);
		/* a pair that shapes otherwise: the word with the next letter */
		int e = kerned ? b : (int)(g_utf8_next_char(t + b) - t);
		g_string_assign(key, "\x02");
		g_string_append_len(key, t + a, e - a);
		bool temp;
		PangoGlyphString *w = cached(c, f, key, t + a, e - a, text, len, &it->analysis, &temp);
		int keep = w->num_glyphs;
		if (e > b) {
			keep = 0;
			while (keep < w->num_glyphs && w->log_clusters[keep] < b - a)
				keep++;
		}
		/* (Pango reallocates on every resize, growing or not) */
		if (n + keep > gs->space)
			pango_glyph_string_set_size(gs, n + keep);
		gs->num_glyphs = n + keep;
		memcpy(gs->glyphs + n, w->glyphs, (size_t)keep * sizeof *w->glyphs);
		for (int g = 0; g < keep; g++)
			gs->log_clusters[n + g] = w->log_clusters[g] + a;
		if (delta && keep > 0 && t[a + w->log_clusters[keep - 1]] == ' ')
			gs->glyphs[n + keep - 1].geometry.width += delta;
		n += keep;
		if (temp)
			pango_glyph_string_free(w);
		a = b;
	}
}

/*
 * Shapes g's text[p, q) on its own and appends its runs to g; the last
 * ends with a hyphen when hyphen (the text then ends in a soft hyphen, the
 * character the hyphen stands for).  attrs index g's text.
 */
static void shape_part(PangoContext *pc, const PangoFontDescription *font,
		       PangoAttrList *attrs, gb_glyphs *g, int p, int q, bool hyphen)
{
	if (q <= p)
		return;
	int len = (int)strlen(g->text);
	PangoFontDescription *saved = pango_font_description_copy(
		pango_context_get_font_description(pc));
	pango_context_set_font_description(pc, font);
	GList *items = pango_itemize(pc, g->text, p, q - p, attrs, NULL);
	pango_context_set_font_description(pc, saved);
	pango_font_description_free(saved);
	for (GList *l = items; l; l = l->next) {
		PangoItem *it = l->data;
		if (hyphen && !l->next)
			it->analysis.flags |= PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
		PangoGlyphString *gs = pango_glyph_string_new();
		shape_item(pc, g->text, len, it, gs);
		gb_glyphs_add_run(g, it, gs);
	}
	g_list_free(items);
}

gb_glyphs *gb_shape_text(PangoContext *pc, const char *text,
			 PangoAttrList *attrs, const PangoFontDescription *font)
{
	gb_glyphs *g = gb_glyphs_new(g_strdup(text));
	PangoAttrList *none = attrs ? NULL : pango_attr_list_new();
	shape_part(pc, font, attrs ? attrs : none, g, 0, (int)strlen(text), false);
	if (none)
		pango_attr_list_unref(none);
	return g;
}


/* ---- Chinese and Japanese ---- */

/*
 * Whether c is written in Chinese or Japanese, whose text has no spaces
 * and breaks between characters: ideographs, kana, bopomofo, and the
 * punctuation and full-width forms of their blocks (、。「」（）...).
 * Hangul is not (Korean breaks at its spaces), nor are emoji.
 */
static bool is_cjk(gunichar c)
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
	   character is_cjk() takes is three bytes or four, from 0xE2) */
	bool any = false;
	for (guint i = 0; i < len && !any; i++)
		if ((guchar)text[i] >= 0xE2)
			any = is_cjk(g_utf8_get_char(text + i));
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
		    prev != 0x2028 && c != 0x2028 && (is_cjk(prev) || is_cjk(c)))
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
static void measure_text(para *pa, PangoContext *pc)
{
	const gb_para_spec *s = pa->s;
	pa->shaped = s->shaped ? gb_glyphs_ref(s->shaped)
			       : gb_shape_text(pc, s->text, s->attrs, s->font);
	double *adv = advances(pa->shaped, pa->len);
	pa->runs = strchr(s->text, '\t') ? NULL : pa->shaped->runs;
	for (guint i = 0; pa->runs && i < pa->runs->len; i++)
		if (((const PangoGlyphItem *)pa->runs->pdata[i])->item->analysis.level % 2)
			pa->runs = NULL;
	pa->words = word_cache_of(pc);
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
		const PangoGlyphItem *run = pa->runs->pdata[run_after(pa, i)];
		if ((s->literal && (s->literal[i] || s->literal[prev])) ||
		    !starts_cluster(run, (int)(i - (guint)run->item->offset)))
			pa->cjk[i] = 0;
	}
	/* a space and a hyphen in the base font */
	space_and_hyphen(pc, s->font, &pa->space, &pa->hyphen);
}

static void para_free(para *pa)
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

/* Breaking inside a word wider than the line costs this much: where
   Unicode's line breaking allows it (after the '/' of an address), and
   between two letters.  Inline code and addresses break at their natural
   points (after '/', '.', '_', '=', ',') at LITERAL_PENALTY, whatever
   their width. */
#define WIDE_PENALTY 1000.0
#define LETTER_PENALTY 5000.0
#define LITERAL_PENALTY 500.0
/* A line set unstretched costs as a ratio of RAGGED times its share of
   the measure left empty. */
#define RAGGED 4.0

/* The glue between two characters of Chinese or Japanese (as xeCJK's and
   JIS X 4051's): no width, a stretch of CJK_STRETCH of a character's
   width (an em), and no shrink, but for the blank half of a full-width
   closing mark before it (、。，」）) or of an opening one after it
   (「（《), which may give CJK_PUNCT_SHRINK of an em. */
#define CJK_STRETCH 0.1
#define CJK_PUNCT_SHRINK 0.25

/*
 * The stretch and shrink (points) of the glue at the break between two
 * characters of Chinese or Japanese before byte i (pa->cjk[i]): in ems
 * of the character of the two that is Chinese or Japanese.
 */
static void cjk_glue(const para *pa, guint i, double *y, double *z)
{
	const char *t = pa->text;
	guint prev = (guint)(g_utf8_prev_char(t + i) - t);
	guint next = (guint)(g_utf8_next_char(t + i) - t);
	gunichar a = g_utf8_get_char(t + prev), b = g_utf8_get_char(t + i);
	double em = is_cjk(a) ? pa->x[i] - pa->x[prev] : pa->x[next] - pa->x[i];
	em = MAX(em, 0);
	GUnicodeBreakType ta = g_unichar_break_type(a), tb = g_unichar_break_type(b);
	bool blank = (is_cjk(a) && (ta == G_UNICODE_BREAK_CLOSE_PUNCTUATION ||
				    ta == G_UNICODE_BREAK_CLOSE_PARENTHESIS)) ||
		     (is_cjk(b) && tb == G_UNICODE_BREAK_OPEN_PUNCTUATION);
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
	guint r = run_after(pa, a);
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
		if (!starts_cluster(run, (int)(i - (guint)run->item->offset)))
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

static void reshape_runs(PangoContext *pc, const para *pa, gb_glyphs *g, guint base,
			 guint x, guint y, bool hyphen, bool next);

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
	guint r = run_after(pa, from);
	if (r < pa->runs->len) {
		const PangoGlyphItem *run = pa->runs->pdata[r];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro <= from && end <= re)
			f = file_of(c, &run->item->analysis);
	}
	if (f) {
		g_string_assign(c->key, hyphen ? "\x04h" : "\x04-");
		g_string_append_c(c->key, end > to ? 'n' : '-');
		g_string_append_len(c->key, pa->text + from, (gssize)(end - from));
		const double *known = width_known(f, c->key->str);
		if (known)
			return *known;
	}
	GString *text = g_string_new_len(pa->text + from, (gssize)(end - from));
	if (hyphen)
		g_string_append(text, "\u00AD");
	gb_glyphs *g = gb_glyphs_new(g_string_free(text, FALSE));
	reshape_runs(pa->pc, pa, g, from, from, to, hyphen, next);
	double w = gb_glyphs_width(g);
	gb_glyphs_unref(g);
	if (f) {
		/* (reshape_runs used the scratch key: the key again) */
		g_string_assign(c->key, hyphen ? "\x04h" : "\x04-");
		g_string_append_c(c->key, end > to ? 'n' : '-');
		g_string_append_len(c->key, pa->text + from, (gssize)(end - from));
		width_keep(c, f, c->key->str, w);
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
	const PangoGlyphItem *run = pa->runs->pdata[run_after(pa, last)];
	const PangoAnalysis *a = &run->item->analysis;
	guint ro = (guint)run->item->offset;
	word_cache *c = pa->words;
	word_file *f = NULL;
	if (ro + (guint)run->item->length > we && ro <= last && a->level % 2 == 0 &&
	    !(a->flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE | PANGO_ANALYSIS_FLAG_IS_ELLIPSIS |
			  PANGO_ANALYSIS_FLAG_NEED_HYPHEN)) &&
	    starts_cluster(run, (int)(last - ro)))
		f = file_of(c, a);
	if (f) {
		int n = (int)(we - last);
		/* measured once a run for each last letter */
		g_string_assign(c->key, "\x05");
		g_string_append_len(c->key, t + last, n);
		const double *known = width_known(f, c->key->str);
		if (known && !isnan(*known))
			return *known;
		if (known)
			return piece_width(pa, ws, we, false, false) - (pa->x[we] - pa->x[ws]);
		char *wkey = g_strdup(c->key->str);
		char pair[8];
		memcpy(pair, t + last, (size_t)n);
		pair[n] = ' ';
		bool t1, t2;
		g_string_assign(c->key, "\x03");
		g_string_append_len(c->key, pair, n);
		PangoGlyphString *lone = cached(c, f, c->key, pair, n, pair, n, a, &t1);
		g_string_append_c(c->key, ' ');
		PangoGlyphString *two = cached(c, f, c->key, pair, n + 1, pair, n + 1, a, &t2);
		bool ok = lone->num_glyphs == 1 && two->num_glyphs == 2 &&
			  two->log_clusters[0] == 0 && two->log_clusters[1] == n;
		double gain = ok ? (lone->glyphs[0].geometry.width -
				    two->glyphs[0].geometry.width) / (double)PANGO_SCALE : 0;
		if (t1)
			pango_glyph_string_free(lone);
		if (t2)
			pango_glyph_string_free(two);
		double v = ok ? gain : NAN;
		width_keep(c, f, wkey, v);
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
static double post_of(const para *pa, item *it)
{
	if (it->post_due) {
		it->post = post_gain(pa, it->next, it->word_end);
		it->post_due = false;
	}
	return it->post;
}

static bool is_separator(const char *p)
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
static void build_items(para *pa, const guint8 *hyph, bool letters)
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
		if (is_separator(t + i)) {
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
		while (we < len && !is_space(t + we) && !is_separator(t + we) &&
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
					    .ragged = wide || in_lit, .end = next, .next = next };
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
			cjk_glue(pa, i, &y, &z);
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

/* ---- Knuth and Plass ---- */

typedef struct node {
	guint pos;            /* the item broken at (the start: 0) */
	int line;
	int fitness;
	int hyphen_run;
	double total_w, total_y, total_z;  /* sums after the break */
	double demerits;
	double ratio;
	struct node *prev;
	bool active;
	bool ragged;          /* the line ending here is set unstretched */
} node;

static int fitness_of(double r)
{
	return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

/*
 * Runs total-fit over the items with the given tolerance.  Returns the
 * best final node (in nodes, which owns them), or NULL when none fits.
 */
static node *knuth_plass(para *pa, double tolerance, GPtrArray *nodes,
			 bool allow_overfull)
{
	const gb_break_params *bp = pa->s->params;
	GArray *items = pa->items;
	double measure = pa->s->measure;
	double min_last = bp->min_last_line * measure;
	GPtrArray *active = g_ptr_array_new();
	node *start = g_new0(node, 1);
	start->active = true;
	start->fitness = 1;
	g_ptr_array_add(nodes, start);
	g_ptr_array_add(active, start);
	double sw = 0, sy = 0, sz = 0;   /* sums before item b */
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
			for (guint k = 0; k < active->len; k++) {
				node *a = g_ptr_array_index(active, k);
				double L = sw - a->total_w + (it->type == PENALTY ? it->w : 0) + it->pre;
				double Y = sy - a->total_y, Z = sz - a->total_z;
				double r;
				/* (a line that ends inside code, an address
				   or a word wider than the line, and cannot
				   stretch to the measure, may be set
				   unstretched, as bad as it is short: a
				   quarter short, as bad as a space stretched
				   by its stretch) */
				bool ragged = false;
				if (L < measure) {
					r = Y > 0 ? (measure - L) / Y : INFINITY;
					double rr = RAGGED * (measure - L) / measure;
					if (it->ragged && r > tolerance && rr < r) {
						r = rr;
						ragged = true;
					}
				}
				else if (L > measure)
					r = Z > 0 ? (measure - L) / Z : -INFINITY;
				else
					r = 0;
				bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
				if (r < -1 || forced) {
					a->active = false;
					if (r < -1 && allow_overfull && -r < fallback_bad) {
						fallback = a;
						fallback_bad = -r;
						fallback_r = r;
					}
				}
				if (r < -1 || r > tolerance)
					continue;
				int run = it->flagged && it->type == PENALTY && !forced ? a->hyphen_run + 1 : 0;
				if (run > bp->max_hyphen_run)
					continue;
				double badness = 100 * fabs(r) * fabs(r) * fabs(r);
				double d = (bp->line_penalty + badness) * (bp->line_penalty + badness);
				if (it->type == PENALTY && it->p >= 0)
					d += it->p * it->p;
				else if (it->type == PENALTY && it->p > -INF_PENALTY)
					d -= it->p * it->p;
				if (it->type == PENALTY && it->flagged && a->hyphen_run > 0 && !forced)
					d += bp->double_hyphen_demerits;
				int f = fitness_of(r);
				if (abs(f - a->fitness) > 1)
					d += bp->fitness_demerits;
				if (forced && L - (it->type == PENALTY ? it->w : 0) < min_last && a->line > 0)
					d += bp->last_line_demerits;
				d += a->demerits;
				if (d < cand_d[f]) {
					cand_d[f] = d;
					cand[f] = a;
					cand_r[f] = r;
					cand_ragged[f] = ragged;
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
				nn->total_w = aw - post_of(pa, it);
				nn->total_y = ay;
				nn->total_z = az;
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

/* ---- lines ---- */

void gb_lines_free(GArray *lines)
{
	if (!lines)
		return;
	for (guint i = 0; i < lines->len; i++)
		gb_glyphs_unref(g_array_index(lines, gb_line, i).glyphs);
	g_array_free(lines, TRUE);
}

/* The attributes of text[a, b), moved to start at 0 (and on past b). */
static PangoAttrList *slice_attrs(PangoAttrList *attrs, guint a, guint b)
{
	PangoAttrList *out = pango_attr_list_new();
	if (!attrs)
		return out;
	GSList *list = pango_attr_list_get_attributes(attrs);
	for (GSList *l = list; l; l = l->next) {
		PangoAttribute *at = l->data;
		if (at->end_index <= a || at->start_index >= b) {
			pango_attribute_destroy(at);
			continue;
		}
		at->start_index = at->start_index > a ? at->start_index - a : 0;
		at->end_index = at->end_index >= b ? G_MAXUINT : at->end_index - a;
		pango_attr_list_insert(out, at);
	}
	g_slist_free(list);
	return out;
}

/*
 * Appends to g the paragraph's glyphs for text[a, b), their items moved
 * to index g's text, which starts at byte base.  False when a or b would
 * cut a cluster (a ligature, a letter and its marks).
 */
static bool cut_runs(const para *pa, guint a, guint b, guint base, gb_glyphs *g)
{
	for (guint i = run_after(pa, a); i < pa->runs->len; i++) {
		PangoGlyphItem *run = pa->runs->pdata[i];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro >= b)
			break;
		if ((a > ro && !starts_cluster(run, (int)(a - ro))) ||
		    (b < re && !starts_cluster(run, (int)(b - ro))))
			return false;
		gb_glyphs_add_slice(g, run, pa->text, (int)MAX(a, ro), (int)MIN(b, re), (int)base);
	}
	return true;
}

/*
 * Shapes text[x, y) again, on its own, with the items (fonts, script,
 * features) the paragraph's shaping gave it, and appends its runs to g,
 * whose text starts at byte base.  With a hyphen at the end when hyphen (g's
 * text then goes on with a soft hyphen, which the last run takes in).
 * With the character after y when next (a space: the last letter keeps
 * its kern with it), then cut before it.  No itemizing: the items are
 * known.
 */
static void reshape_runs(PangoContext *pc, const para *pa, gb_glyphs *g, guint base,
			 guint x, guint y, bool hyphen, bool next)
{
	int glen = (int)strlen(g->text);
	guint end = next && y < pa->len ? (guint)(g_utf8_next_char(pa->text + y) - pa->text) : y;
	for (guint i = run_after(pa, x); i < pa->runs->len; i++) {
		const PangoGlyphItem *run = pa->runs->pdata[i];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro >= end)
			break;
		guint from = MAX(x, ro), to = MIN(end, re);
		bool last = to >= y;
		PangoItem *pi = pango_item_copy(run->item);
		pi->offset = (int)(from - base);
		pi->length = (int)(to - from);
		if (last && hyphen && to == y) {
			pi->length += 2;    /* the soft hyphen */
			pi->analysis.flags |= PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
		}
		pi->num_chars = (int)g_utf8_strlen(g->text + pi->offset, pi->length);
		PangoGlyphString *gs = pango_glyph_string_new();
		shape_whole(pc, g->text + pi->offset, pi->length, g->text, glen, &pi->analysis, gs);
		PangoGlyphItem made = { .item = pi, .glyphs = gs };
		if (to > y && starts_cluster(&made, (int)(y - from))) {
			/* without the next character */
			if (y > from)
				gb_glyphs_add_slice(g, &made, g->text, pi->offset,
						    pi->offset + (int)(y - from), 0);
			pango_glyph_string_free(gs);
			pango_item_free(pi);
		} else {
			gb_glyphs_add_run(g, pi, gs);
		}
		if (last)
			break;
	}
}

static bool spreads(const gb_glyphs *g, const PangoGlyphItem *gi, int k, guint limit)
{
	guint at = (guint)(gi->item->offset + gi->glyphs->log_clusters[k]);
	return at < limit && g->text[at] == ' ';
}

/*
 * Widens (or narrows) the spaces of g (those before byte limit of its
 * text), natural points wide, so that it is width wide; a space never
 * gives more than shrink of its width.  Returns the width g has then.
 */
static double spread(gb_glyphs *g, double natural, double width, double shrink, guint limit)
{
	int spaces = 0, least = G_MAXINT;
	double room = 0;   /* the most the spaces may give */
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++)
			if (spreads(g, gi, k, limit)) {
				int w = MAX(gi->glyphs->glyphs[k].geometry.width, 0);
				spaces++;
				room += floor(w * shrink);
				least = MIN(least, (int)floor(w * shrink));
			}
	}
	if (!spaces)
		return natural;
	int total = (int)lround((width - natural) * PANGO_SCALE);
	/* never past the limit: what is left runs past the measure */
	if (total < 0 && -total > (int)room)
		total = -(int)room;
	int each = total / spaces, extra = total - each * spaces;
	if (total < 0 && -each + (extra ? 1 : 0) > least) {
		/* spaces of several widths (code among words), narrowed
		   evenly, would take a narrow one past its limit: each gives
		   by its share of the room */
		double given = 0, so_far = 0;
		for (guint r = 0; r < g->runs->len; r++) {
			PangoGlyphItem *gi = g->runs->pdata[r];
			for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
				if (!spreads(g, gi, k, limit))
					continue;
				int *w = &gi->glyphs->glyphs[k].geometry.width;
				so_far += floor(MAX(*w, 0) * shrink);
				double to = lround(-total * so_far / room);
				*w -= (int)(to - given);
				given = to;
			}
		}
		return natural + total / (double)PANGO_SCALE;
	}
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
			if (!spreads(g, gi, k, limit))
				continue;
			int d = each + (extra > 0 ? 1 : extra < 0 ? -1 : 0);
			extra -= extra > 0 ? 1 : extra < 0 ? -1 : 0;
			gi->glyphs->glyphs[k].geometry.width += d;
		}
	}
	return natural + total / (double)PANGO_SCALE;
}

/*
 * The line g, text[a, b) of the paragraph, made width wide as spread()
 * does, over its spaces and its breaks between two characters of Chinese
 * or Japanese (the glue build_items() gave them): each takes its share of
 * the adjustment by its stretch (or shrink), a break on the advance of
 * the last glyph before it.  NAN when the line has no such break.
 */
static double spread_cjk(const para *pa, gb_glyphs *g, guint a, guint b, double natural,
			 double width)
{
	const gb_break_params *bp = pa->s->params;
	double stretch = bp ? bp->stretch : 0, shrink = bp ? bp->shrink : 0;
	int total = (int)lround((width - natural) * PANGO_SCALE);
	GArray *at = g_array_new(FALSE, FALSE, sizeof(int *));
	GArray *weight = g_array_new(FALSE, FALSE, sizeof(double));
	double sum = 0;
	bool any = false;
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		const PangoGlyphString *gs = gi->glyphs;
		if (gi->item->analysis.level % 2)
			continue;
		for (int k = 0; k < gs->num_glyphs; k++) {
			guint c = (guint)(gi->item->offset + gs->log_clusters[k]);
			int *w = &gs->glyphs[k].geometry.width;
			double v;
			if (g->text[c] == ' ') {
				v = total > 0 ? MAX(*w, 0) * stretch : floor(MAX(*w, 0) * shrink);
			} else {
				/* the last glyph of a cluster before a break */
				bool last = k + 1 == gs->num_glyphs ||
					    gs->log_clusters[k + 1] != gs->log_clusters[k];
				guint e = k + 1 < gs->num_glyphs ?
					  (guint)(gi->item->offset + gs->log_clusters[k + 1]) :
					  (guint)(gi->item->offset + gi->item->length);
				if (!last || e == 0 || a + e >= b || !pa->cjk[a + e])
					continue;
				double y, z;
				cjk_glue(pa, a + e, &y, &z);
				v = total > 0 ? y * PANGO_SCALE : floor(z * PANGO_SCALE);
				any = true;
			}
			g_array_append_val(at, w);
			g_array_append_val(weight, v);
			sum += v;
		}
	}
	double set = NAN;
	if (any) {
		/* never past the limit: what is left runs past the measure */
		if (total < 0 && -total > sum)
			total = -(int)sum;
		double given = 0, so_far = 0;
		for (guint i = 0; i < at->len && sum > 0; i++) {
			so_far += g_array_index(weight, double, i);
			double to = lround(total * so_far / sum);
			*g_array_index(at, int *, i) += (int)(to - given);
			given = to;
		}
		set = natural + given / PANGO_SCALE;
	}
	g_array_free(at, TRUE);
	g_array_free(weight, TRUE);
	return set;
}

/*
 * Sets text[a, b) as a line, with a hyphen when hyphenated, and spreads
 * its spaces so that it is width wide when justify.  The glyphs come from
 * the paragraph's one shaping; a word broken at either end (at a hyphen
 * or after a dash) is shaped again, its part on this line on its own.
 */
static gb_line set_line(PangoContext *pc, const para *pa, guint a, guint b,
			bool hyphenated, bool justify, double width, double x)
{
	const gb_para_spec *s = pa->s;
	const char *t = pa->text;
	gb_line ln = { 0 };
	ln.start = a;
	ln.end = b;
	ln.x = x;
	ln.hyphenated = hyphenated;
	GString *text = g_string_new_len(t + a, (gssize)(b - a));
	if (hyphenated)
		g_string_append(text, "\u00AD");
	int tlen = (int)text->len;
	gb_glyphs *g = gb_glyphs_new(g_string_free(text, FALSE));
	/* a word broken at the start: [a, head) is shaped again; at the
	   end: [tail, b) is; [head, tail) is cut from the paragraph's (a
	   word ends at a space, or at a break between two characters of
	   Chinese or Japanese, where a line is cut as at a space) */
	const guint8 *cjk = pa->cjk;
	bool mid_start = a > 0 && t[a - 1] != ' ' && !(a >= 3 && is_separator(t + a - 3)) &&
			 !(cjk && cjk[a]);
	bool mid_end = b < pa->len && t[b] != ' ' && !is_separator(t + b) && !(cjk && cjk[b]);
	guint head = a, tail = b;
	if (mid_start)
		while (head < b && t[head] != ' ' && !(cjk && head > a && cjk[head]))
			head++;
	/* the last word too when a space follows (or a break in Chinese or
	   Japanese): its last glyph's advance would hold a kern with that
	   space (that next character), which is not on the line */
	if (mid_end || (b < pa->len && (t[b] == ' ' || (cjk && cjk[b]))))
		while (tail > head && t[tail - 1] != ' ' && !(cjk && tail < b && cjk[tail]))
			tail--;
	bool cut = head < tail;
	if (cut) {
		/* (with the space after it, as post_gain() measures it; not
		   with the character after a break in Chinese or Japanese) */
		reshape_runs(pc, pa, g, a, a, head, false, head == a || t[head] == ' ');
		cut = cut_runs(pa, head, tail, a, g);
	}
	if (cut) {
		reshape_runs(pc, pa, g, a, tail, b, hyphenated, false);
	} else {
		/* (only here: slicing walks all of the paragraph's attributes) */
		PangoAttrList *al = slice_attrs(s->attrs, a, b);
		g_ptr_array_set_size(g->runs, 0);
		shape_part(pc, s->font, al, g, 0, tlen, hyphenated);
		pango_attr_list_unref(al);
	}
	gb_glyphs_merge_runs(g);
	double natural = gb_glyphs_width(g);
	ln.width = natural;
	/* a line the breaker could only overfill has its spaces narrowed
	   to fit, the last line too, but never below the limit
	   (breaking.shrink): what still runs past the measure is told */
	if (justify || (width > 0 && natural > width + 1e-3)) {
		ln.width = pa->cjk ? spread_cjk(pa, g, a, b, natural, width) : NAN;
		if (isnan(ln.width))
			ln.width = spread(g, natural, width, s->params ? s->params->shrink : 0,
					  G_MAXUINT);
		if (width > 0 && ln.width > width + 0.1)
			ln.over = ln.width - width;
	}
	ln.glyphs = g;
	return ln;
}

static void count(gb_break_stats *st, GArray *lines, const double *ratios)
{
	if (!st)
		return;
	st->paragraphs++;
	int run = 0;
	for (guint i = 0; i < lines->len; i++) {
		gb_line *l = &g_array_index(lines, gb_line, i);
		st->lines++;
		if (l->hyphenated) {
			st->hyphenated++;
			run++;
			st->max_hyphen_run = MAX(st->max_hyphen_run, run);
		} else {
			run = 0;
		}
		if (l->emergency)
			st->emergency++;
		if (i + 1 < lines->len && ratios) {
			double r = fabs(ratios[i]);
			st->ratio_lines++;
			st->sum_abs_ratio += r;
			st->max_abs_ratio = MAX(st->max_abs_ratio, r);
			if (ratios[i] < -1)
				st->overfull++;
		}
	}
}

/* Pango's wrapping: the lines of one layout. */
static GArray *first_fit(PangoContext *pc, const gb_para_spec *s,
			 gb_break_stats *stats, para *pa)
{
	PangoLayout *layout = pango_layout_new(pc);
	pango_layout_set_font_description(layout, s->font);
	pango_layout_set_text(layout, s->text, -1);
	if (s->attrs)
		pango_layout_set_attributes(layout, s->attrs);
	pango_layout_set_width(layout, (int)(s->measure * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_indent(layout, (int)(s->indent * PANGO_SCALE));
	/* (justified here, on the spaces: Pango 1.50 also spreads a line
	   that ends at a forced break, over its letters when it has no
	   space) */
	pango_layout_set_alignment(layout, s->align);
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	double *ratios = g_new0(double, pango_layout_get_line_count(layout) + 1);
	guint text_len = (guint)strlen(s->text);
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		gb_line ln = { 0 };
		ln.glyphs = gb_glyphs_from_line(line);
		ln.start = (guint)line->start_index;
		ln.end = (guint)(line->start_index + line->length);
		ln.x = logical.x / (double)PANGO_SCALE;
		ln.width = logical.width / (double)PANGO_SCALE;
		/* justified: a line that ends at a forced break or the
		   paragraph's end is set at its natural width */
		guint e = ln.end;
		while (e > ln.start && s->text[e - 1] == ' ')
			e--;
		bool forced = e >= ln.start + 3 && is_separator(s->text + e - 3);
		if (s->justify && !forced && ln.end < text_len &&
		    s->align == PANGO_ALIGN_LEFT) {
			gb_glyphs *g = ln.glyphs;
			for (guint r = 0; r < g->runs->len; r++) {
				PangoGlyphItem *gi = g->runs->pdata[r];
				for (int k = 0; k < gi->glyphs->num_glyphs; k++)
					if ((guint)(gi->item->offset + gi->glyphs->log_clusters[k]) >=
					    e - ln.start)
						gi->glyphs->glyphs[k].geometry.width = 0;
			}
			double x = lines->len ? 0 : MAX(s->indent, 0);
			ln.width = spread(g, gb_glyphs_width(g), s->measure - x,
					  s->params ? s->params->shrink : 0, e - ln.start);
		}
		if (pa && s->justify) {
			/* the adjustment the justified line needed */
			double natural = pa->x[e] - pa->x[ln.start] + (lines->len ? 0 : s->indent);
			int spaces = 0;
			for (guint k = ln.start; k < e; k++)
				spaces += s->text[k] == ' ';
			double sp = spaces * pa->space;
			double avail = s->measure;
			ratios[lines->len] = natural <= avail ?
				(sp > 0 ? (avail - natural) / (sp * s->params->stretch) : 0) :
				(sp > 0 ? (avail - natural) / (sp * s->params->shrink) : -INFINITY);
		}
		g_array_append_val(lines, ln);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(layout);
	count(stats, lines, pa && s->justify ? ratios : NULL);
	g_free(ratios);
	return lines;
}

/* The item a line starts with after a break at item b. */
static guint after_break(const para *pa, guint b)
{
	GArray *items = pa->items;
	guint j = b + 1;
	while (j < items->len && g_array_index(items, item, j).type != BOX &&
	       !(g_array_index(items, item, j).type == PENALTY &&
		 g_array_index(items, item, j).p <= -INF_PENALTY))
		j++;
	return j;
}

/*
 * Ragged (left, right or centred) text: as many words on each line as fit,
 * as Pango wraps, over the paragraph's one shaping; the first line is
 * shorter by the indent.  NULL when a word is wider than its line: Pango
 * then breaks inside it.
 */
static GArray *ragged(PangoContext *pc, para *pa)
{
	const gb_para_spec *s = pa->s;
	build_items(pa, NULL, false);
	GArray *items = pa->items;
	GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
	double width = 0, avail = s->measure - MAX(s->indent, 0);
	int fit = -1;       /* the last break that fits */
	bool overfull = false;
	for (guint b = 0; b < items->len;) {
		const item *it = &g_array_index(items, item, b);
		bool legal = (it->type == PENALTY && it->p < INF_PENALTY) ||
			     (it->type == GLUE && b > 0 &&
			      g_array_index(items, item, b - 1).type == BOX);
		if (legal) {
			bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
			double L = width + (it->type == PENALTY ? it->w : 0) + it->pre;
			bool over = L > avail + 1e-3;
			if (over && fit < 0) {
				overfull = true;
				break;
			}
			if (!over)
				fit = (int)b;
			if (over || forced) {
				/* the line ends at the last break that fits (this
				   one when forced); the next goes on from there */
				guint at = (guint)fit;
				g_array_append_val(ends, at);
				b = after_break(pa, at);
				width = post_of(pa, &g_array_index(items, item, at));
				fit = -1;
				avail = s->measure;
				continue;
			}
		}
		if (it->type == BOX || it->type == GLUE)
			width += it->w;
		b++;
	}
	if (overfull) {
		g_array_free(ends, TRUE);
		g_array_free(pa->items, TRUE);
		pa->items = NULL;
		return NULL;
	}
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	guint start = 0;
	for (guint i = 0; i < ends->len; i++) {
		const item *it = &g_array_index(items, item, g_array_index(ends, guint, i));
		gb_line ln = set_line(pc, pa, start, it->end, false, false, 0, 0);
		ln.broken = it->type == PENALTY && it->letter;
		/* where Pango puts it, to its unit */
		int room = (int)(s->measure * PANGO_SCALE);
		int w = (int)lround(ln.width * PANGO_SCALE);
		int indent = i == 0 ? (int)(MAX(s->indent, 0) * PANGO_SCALE) : 0;
		int x = s->align == PANGO_ALIGN_CENTER ? (room - w) / 2 :
			s->align == PANGO_ALIGN_RIGHT ? room - w - indent : indent;
		ln.x = x / (double)PANGO_SCALE;
		g_array_append_val(lines, ln);
		start = it->next;
	}
	g_array_free(ends, TRUE);
	g_array_free(pa->items, TRUE);
	pa->items = NULL;
	return lines;
}

GArray *gb_break_paragraph(PangoContext *pc, const gb_para_spec *s,
			   gb_break_stats *stats)
{
	if (s->lang) {
		pango_context_set_language(pc, pango_language_from_string(s->lang));
	}
	para pa = { .pc = pc, .s = s, .text = s->text, .len = (guint)strlen(s->text) };
	if (!s->justify) {
		measure_text(&pa, pc);
		GArray *lines = pa.runs ? ragged(pc, &pa) : NULL;
		if (!lines)
			lines = first_fit(pc, s, stats, NULL);
		para_free(&pa);
		return lines;
	}
	if (!s->params)
		return first_fit(pc, s, stats, NULL);
	measure_text(&pa, pc);
	if (s->first_fit || !pa.runs) {
		/* the comparison, or text the lines cannot be cut from */
		GArray *lines = first_fit(pc, s, stats, &pa);
		para_free(&pa);
		return lines;
	}
	const gb_break_params *bp = s->params;
	/* hyphenation points, the last word apart */
	guint8 *hyph = NULL;
	hdict *dict = dict_for(s->hyph, s->lang);
	GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
	node *best = NULL;
	bool emergency = false;
	build_items(&pa, NULL, false);
	best = knuth_plass(&pa, bp->pretolerance, nodes, false);
	if (!best) {
		if (dict) {
			hyph = g_new0(guint8, pa.len + 1);
			guint last_word = pa.len;
			while (last_word > 0 && s->text[last_word - 1] != ' ' &&
			       !(pa.cjk && pa.cjk[last_word]))
				last_word--;
			/* (words of letters: not Chinese nor Japanese) */
			for (guint i = 0; i < last_word;) {
				gunichar c = g_utf8_get_char(s->text + i);
				if (!g_unichar_isalpha(c) || (pa.cjk && is_cjk(c)) ||
				    (s->literal && s->literal[i])) {
					i = (guint)(g_utf8_next_char(s->text + i) - s->text);
					continue;
				}
				guint j = i;
				while (j < last_word && g_unichar_isalpha(c = g_utf8_get_char(s->text + j)) &&
				       !(pa.cjk && is_cjk(c)))
					j = (guint)(g_utf8_next_char(s->text + j) - s->text);
				hyphenate_word(s->hyph, dict, s->text, i, j, bp, hyph);
				i = j;
			}
		}
		g_array_free(pa.items, TRUE);
		build_items(&pa, hyph, false);
		best = knuth_plass(&pa, bp->tolerance, nodes, false);
		if (!best) {
			emergency = true;
			best = knuth_plass(&pa, bp->emergency, nodes, false);
		}
		if (!best) {
			/* a line nothing else sets within the rules (words run
			   together, a long address after a short word): any
			   word may break between two letters, a warning */
			g_array_free(pa.items, TRUE);
			build_items(&pa, hyph, true);
			best = knuth_plass(&pa, bp->emergency, nodes, false);
			/* the least overfull lines, reported */
			if (!best)
				best = knuth_plass(&pa, bp->emergency, nodes, true);
		}
	}
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	if (!best) {
		/* not even an emergency break: leave it to Pango */
		g_array_free(lines, TRUE);
		lines = first_fit(pc, s, stats, &pa);
	} else {
		GPtrArray *path = g_ptr_array_new();
		for (node *n = best; n && n->prev; n = n->prev)
			g_ptr_array_add(path, n);
		for (guint i = 0; i < path->len / 2; i++) {
			gpointer tmp = path->pdata[i];
			path->pdata[i] = path->pdata[path->len - 1 - i];
			path->pdata[path->len - 1 - i] = tmp;
		}
		double *ratios = g_new0(double, path->len + 1);
		guint start = 0;
		for (guint i = 0; i < path->len; i++) {
			node *n = g_ptr_array_index(path, i);
			item *it = &g_array_index(pa.items, item, n->pos);
			bool last = i + 1 == path->len;
			bool hyphenated = it->type == PENALTY && it->flagged && !last && it->w > 0;
			guint end = it->end;
			double x = i == 0 ? s->indent : 0;
			bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
			gb_line ln = set_line(pc, &pa, start, end, hyphenated,
					      !last && !forced && !n->ragged, s->measure - x, x);
			ln.ratio = n->ratio;
			ln.broken = it->type == PENALTY && it->letter;
			ln.squeezed = it->type == PENALTY && it->narrow;
			ln.emergency = emergency && fabs(n->ratio) > bp->tolerance;
			ratios[i] = n->ratio;
			g_array_append_val(lines, ln);
			start = it->next;
		}
		count(stats, lines, ratios);
		g_free(ratios);
		g_ptr_array_free(path, TRUE);
	}
	g_ptr_array_free(nodes, TRUE);
	g_array_free(pa.items, TRUE);
	para_free(&pa);
	g_free(hyph);
	return lines;
}
