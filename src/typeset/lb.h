/*
 * lb.h - the line breaker's private types, shared by its files: hyphenate.c
 * (libhyphen's dictionaries by language, gb_hyphenate), shape.c (a
 * paragraph's text shaped, with the on-disk cache of shaped words),
 * items.c (Chinese and Japanese breaks, the paragraph as boxes, glue and
 * penalties), knuthplass.c (total-fit breaking) and linebreak.c (the lines
 * set from the breaks, first-fit and ragged setting, gb_break_paragraph).
 *
 * Ownership: a para and its items are the breaker's for one
 * gb_break_paragraph() call; the word cache is kept on the PangoContext
 * (gb_shape_cache_keep) and freed with it.
 */
#ifndef GB_LB_H
#define GB_LB_H

#include "typeset/linebreak.h"
#include <hyphen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "typeset/hyphdict.h"
#include "base/cache.h"
#include "base/arena.h"

/* ---- hyphenation ---- */

/*
 * A dictionary file, loaded: libhyphen's machine, and the converter from
 * UTF-8 to the charset its first line names (hyph_ru_RU.dic is KOI8-R,
 * hyph_de_DE.dic ISO8859-1, hyph_pl_PL.dic ISO8859-2): libhyphen matches
 * bytes, so a word must reach it in the dictionary's charset.
 */
/* the kinds of a paragraph's items */
enum { BOX, GLUE, PENALTY };

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

typedef struct shown {
	GString *out;
	const char *word;
	gsize done;
} shown;

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
	bool last_word;       /* a hyphenation point of the paragraph's last
				 word (last_word_demerits) */
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
	bool fallback;        /* any line may be set ragged instead of looser
				 than ragged_above (the pass after the
				 tolerance's) ... */
	double ragged_demerits;  /* ... at this cost more */
	double hyphen_penalty;   /* ... and a hyphen at this penalty, over
				    its item's (0: its item's) */
	guint8 *cjk;          /* cjk[i]: a line may break before byte i,
				 between two characters of Chinese or
				 Japanese (gb_cjk_breaks(), at a cluster's
				 start, outside code); NULL when the
				 paragraph has none */
	guint *literal_sum;   /* literal_sum[i]: the bytes of inline code or
				 an address before byte i, or NULL when there
				 are none (microtype.c: a line that holds any
				 is not expanded) */
} para;

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
	bool shaped;            /* glyphs are Pango's (shaped this run), freed
				   with the word; else the file's arena's */
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
	gb_arena *arena;        /* its words and keys, its widths and their
				   keys, and the glyphs read from the entry */
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

/* Sets k to tag (tl bytes) then t[0, n): a word key, built without
   GString's measuring of tag and its insert (a hot path: every word). */
static inline void gb_lb_key_set(GString *k, const char *tag, gsize tl, const char *t, gsize n)
{
	g_string_set_size(k, tl + n);
	memcpy(k->str, tag, tl);
	memcpy(k->str + tl, t, n);
}

#define WORD_CACHE_MAX (16u << 20)

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

/* The pass that lets any line be set ragged (para.fallback): a ragged
   line costs as a justified one of the tolerance's ratio plus RAGGED
   times its share of the measure left empty, and leaves at most
   FALLBACK_ROOM of it. */
#define FALLBACK_ROOM 0.25

/* The glue between two characters of Chinese or Japanese (as xeCJK's and
   JIS X 4051's): no width, a stretch of CJK_STRETCH of a character's
   width (an em), and no shrink, but for the blank half of a full-width
   closing mark before it (、。，」）) or of an opening one after it
   (「（《), which may give CJK_PUNCT_SHRINK of an em. */
#define CJK_STRETCH 0.1

#define CJK_PUNCT_SHRINK 0.25

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
	double total_b;       /* the boxes' widths, summed after the break
				 (what font expansion stretches) */
	double hang;          /* how far the line after it may hang into
				 the left margin (microtype.c) */
} node;

hdict *gb_lb_dict_for(gb_hyphenator *h, const char *lang);
void gb_lb_hyphenate_word(gb_hyphenator *h, hdict *e, const char *text, guint a, guint b, int left, int right, guint8 *hyph);
/*
 * The hyphenation points of the paragraph's words (not inside code or an
 * address, not Chinese nor Japanese): hyph[i] 1 where a hyphen may go
 * before byte i, 2 inside the last word; none in words in capitals nor in
 * capitalised words not at a sentence's start, unless capitalised (the
 * style's, or the language's nouns).
 */
void gb_lb_mark_hyphens(gb_hyphenator *h, hdict *e, const para *pa, guint8 *hyph);
/* Whether the paragraph has runs in a language of their own (a span's
   '{lang=ru}': a Pango language attribute); gb_lb_mark_hyphens() takes
   each word's language's dictionary (e is the paragraph's, or NULL), and
   leaves a word in a language with none unhyphenated. */
bool gb_lb_has_lang_runs(const gb_para_spec *s);
void gb_lb_space_and_hyphen(PangoContext *pc, const PangoFontDescription *font, double *space, double *hyphen);
bool gb_lb_starts_cluster(const PangoGlyphItem *gi, int i);
guint gb_lb_run_after(const para *pa, guint a);
word_cache *gb_lb_word_cache_of(PangoContext *pc);
const double *gb_lb_width_known(word_file *f, const char *key);
void gb_lb_width_keep(word_cache *c, word_file *f, const char *key, double w);
word_file *gb_lb_file_of(word_cache *c, const PangoAnalysis *a);
PangoGlyphString *gb_lb_cached(word_cache *c, word_file *f, const GString *key, const char *t, int n, const char *text, int len, const PangoAnalysis *a, bool *temp);
void gb_lb_shape_whole(PangoContext *pc, const char *t, int n, const char *text, int len, const PangoAnalysis *a, PangoGlyphString *gs);
void gb_lb_shape_part(PangoContext *pc, const PangoFontDescription *font, PangoAttrList *attrs, gb_glyphs *g, int p, int q, bool hyphen);

/* itemize.c: text[p, p + n) cut into items as pango_itemize() cuts it with
   pc's font description font (items the caller's, pango_item_free). */
GList *gb_lb_itemize(PangoContext *pc, const PangoFontDescription *font,
		     const char *text, int p, int n, PangoAttrList *attrs);
/* The same without Pango's itemising, true, for plain text (Latin and
   common punctuation, left to right, one font an attribute range); false
   (*items NULL) for other text. */
bool gb_lb_itemize_plain(PangoContext *pc, const PangoFontDescription *font,
			 const char *text, int p, int n, PangoAttrList *attrs,
			 GList **items);
bool gb_lb_is_cjk(gunichar c);
void gb_lb_measure_text(para *pa, PangoContext *pc);
void gb_lb_para_free(para *pa);
void gb_lb_cjk_glue(const para *pa, guint i, double *y, double *z);
double gb_lb_post_of(const para *pa, item *it);
bool gb_lb_is_separator(const char *p);
void gb_lb_build_items(para *pa, const guint8 *hyph, bool letters);
/*
 * Total-fit (knuthplass.c): items in, breaks out.  It reads only pa->s
 * (the measure and the parameters), pa->items, pa->fallback,
 * pa->ragged_demerits and pa->hyphen_penalty, so a unit test can call
 * it with a para holding just those (and pa->hyphen_penalty; items whose
 * post_due is false): the
 * node returned is the last break, and its prev chain the others.
 */
node *gb_lb_knuth_plass(para *pa, double tolerance, GPtrArray *nodes, bool allow_overfull);
void gb_lb_reshape_runs(PangoContext *pc, const para *pa, gb_glyphs *g, guint base, guint x, guint y, bool hyphen, bool next);
GArray *gb_lb_ragged(PangoContext *pc, para *pa);
/*
 * Margin kerning and font expansion (microtype.c).  How far the line that
 * ends at item it may hang into the right margin, and the line that starts
 * after it (it NULL: the paragraph's first, unless indented) into the left
 * one, points: its character's share (gb_break_params.hang) of its width.
 * 0 when the para has no text (a unit test's).
 */
double gb_lb_hang_right(const para *pa, const item *it);
double gb_lb_hang_left(const para *pa, const item *it);
/* How far the character at byte i hangs at a line's left end. */
double gb_lb_hang_at(const para *pa, guint i);
/* The stretch (and shrink) that font expansion gives boxes w wide, on
   the line text[a, b): none when it holds inline code or an address (as
   microtype expands no monospaced face). */
double gb_lb_expansion_room(const para *pa, guint a, guint b, double w);
/* Whether the line text[a, b) may be expanded. */
bool gb_lb_expands(const para *pa, guint a, guint b);
/* Counts the paragraph's literal bytes (pa->literal_sum; freed with
   gb_lb_microtype_free). */
void gb_lb_microtype_prepare(para *pa);
void gb_lb_microtype_free(para *pa);
/* The horizontal scale, less 1, of a justified line set at ratio r: the
   expansion r asks for, within the limit, in whole steps. */
double gb_lb_expand_of(const gb_break_params *bp, double r);
/* The step a line's expansion is rounded to (the style's, or the whole
   expansion when it sets none). */
double gb_lb_expansion_step(const gb_break_params *bp);
/* The adjustment ratio at which a space is spaces times its width (0
   when spaces do not stretch): ragged_above's and loosest's (knuthplass.c). */
double gb_lb_ratio_of_spaces(const gb_break_params *bp, double spaces);

#endif
