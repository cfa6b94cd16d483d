/*
 * linebreak.h - breaking a paragraph into lines: the one entry point.
 *
 * Justified paragraphs are broken as a whole (Knuth and Plass's total-fit
 * algorithm, as in TeX) over Pango-shaped text: boxes are the shaped
 * widths, glue the spaces (stretch 1/2, shrink 1/3 of a space), penalties
 * the hyphenation points of libhyphen (for the paragraph's language) and
 * the breaks after explicit hyphens; between two characters of Chinese or
 * Japanese, where Unicode's line breaking allows (gb_cjk_breaks), a glue
 * of no width that stretches by 0.1 em (and shrinks beside the blank half
 * of a full-width mark), over which a justified line is spread as over
 * its spaces.  Demerits follow TeX: line penalty,
 * hyphen penalty, consecutive hyphens, fitness classes.  A first pass
 * tries without hyphens, a second with them, an emergency pass accepts
 * loose lines and marks them; none accepts an overfull line.  A word
 * wider than the line can be broken inside: where Unicode's line breaking
 * allows, else between two clusters (gb_line.broken), both at a high
 * penalty.  Inline code and addresses (gb_para_spec.literal) are never
 * hyphenated and break only after '/', '.', '_', '=', ','; a line that
 * ends there or inside a wide word, and cannot stretch to the measure,
 * may be set unstretched.  When nothing else sets the paragraph, a last
 * pass lets any word break between two letters (gb_line.squeezed): so no
 * line runs over the margin, and no space shrinks past its limit.  A line
 * that ends at a forced break (U+2028) keeps its natural width.  No more
 * than two hyphenated
 * lines in a row; hyphenating the last word costs last_word_demerits
 * (chosen only when the alternative is worse); words in capitals and
 * capitalised words not at a sentence's start are not hyphenated (but in
 * German, which capitalises nouns), unless params->capitalised; a last
 * line shorter than the minimum is avoided where the paragraph allows it.
 * When no justified setting keeps every line within the tolerance, a
 * pass lets a line that would be looser than ragged_above normal spaces
 * be set ragged (unstretched, gb_line.ragged) instead, at a cost that
 * grows with the room it leaves: so the fewest, fullest lines go ragged,
 * and the paragraph's other lines stay justified; in a part with a
 * dictionary, at a wide measure, a ragged line costs ragged_demerits more
 * and a hyphen is broken at fallback_hyphen_penalty, so that the pass
 * sets the fewest hyphens and ragged lines first, the spacing after.
 *
 * Each justified line is cut from the paragraph's one shaping: only a
 * word broken at a hyphen or a dash is shaped again, each part on its own
 * line (a hyphen is drawn at a soft hyphen, so text extraction sees
 * U+00AD); the breaker counts each line's width as it will be set so:
 * a word's part before a break and after it (a ligature across the
 * break, a kern) and a last word without its kern with the space after
 * it are measured as set on their own.  The line's spaces are then widened or narrowed to fill the
 * measure exactly (a space by its share when they differ in width, never
 * past the shrink limit).  Margin kerning and font expansion, as pdfTeX's
 * (microtype.c, the style's microtype keys): a line whose last character
 * (first, at the left margin) may hang into the margin has that much more
 * room, and is set so, x moved left by its left hang; a justified line's
 * glyphs stretch and shrink with its spaces, up to the style's limit, and
 * its ratio sets both (gb_glyphs.expand, in steps).  Code is left alone.  Ragged and centred text take as many words on each
 * line as fit, over the same items.  The first-fit comparison, right-to-
 * left text and text with tabs use Pango's own wrapping (justified on
 * the spaces here, not by Pango).
 *
 * Ownership: gb_break_paragraph() returns an array the caller frees with
 * gb_lines_free(); each line holds a reference to its glyphs.
 */
#ifndef GB_LINEBREAK_H
#define GB_LINEBREAK_H

#include <glib.h>
#include <pango/pango.h>
#include <stdbool.h>

#include "typeset/layout.h"

typedef struct gb_hyphenator gb_hyphenator;

/*
 * Hyphenation dictionaries (libhyphen's, of Debian's hyphen-* packages),
 * loaded on first use per language: a language tag picks its file as
 * hyph_<lang>_<REGION>.dic (en-GB), else hyph_<lang>.dic (en: en_US, de,
 * fr, pt: pt_PT, it, uk), else hyph_<lang>_<LANG>.dic (ru, pl, es), else
 * the language's in another region; a language without one (Kazakh) is
 * not hyphenated.  Each word is converted to the charset the dictionary
 * names on its first line (KOI8-R, ISO8859-1, ISO8859-2, UTF-8), and its
 * breaks mapped back; a word with a character the charset lacks is not
 * hyphenated.
 */
gb_hyphenator *gb_hyphenator_new(void);
/* Starts loading lang's dictionary in a thread of its own: the first use
   waits for it.  One language at a time. */
void gb_hyphenator_preload(gb_hyphenator *h, const char *lang);
void gb_hyphenator_free(gb_hyphenator *h);
/*
 * word (UTF-8, one word) with '-' at each point where lang's dictionary
 * allows a hyphen, left_min letters or more before it and right_min after
 * ("hy-phen-ation"); NULL when lang has no dictionary.  The caller frees
 * it with g_free().
 */
char *gb_hyphenate(gb_hyphenator *h, const char *lang, const char *word,
		   int left_min, int right_min);

/* The most characters the style's microtype.protrusion may name. */
#define GB_HANGS 64

/* What the line breaker did, added up over paragraphs. */
typedef struct gb_break_stats {
	int paragraphs, lines, hyphenated, max_hyphen_run;
	int overfull, emergency;
	int ragged;                 /* justified lines set ragged instead
				       (gb_line.ragged) */
	int ratio_lines;            /* justified lines, last lines apart */
	double sum_abs_ratio, max_abs_ratio;
} gb_break_stats;

typedef struct gb_break_params {
	double tolerance;           /* largest adjustment ratio, hyphenating */
	double pretolerance;        /* ... without hyphenating (first pass) */
	double emergency;           /* ... for the emergency pass */
	double line_penalty, hyphen_penalty;
	double double_hyphen_demerits, fitness_demerits;
	double last_line_demerits;  /* for a last line shorter than the minimum */
	double min_last_line;       /* shortest last line, a share of the measure */
	double stretch, shrink;     /* of a space, as shares of its width */
	int max_hyphen_run;         /* hyphenated lines in a row */
	int left_min, right_min;    /* letters kept before and after a hyphen,
				       at least, in every language */
	const char *hyphen_mins;    /* the style's letters kept per language,
				       over gb_hyphen_mins()'s table: "LANG
				       LEFT RIGHT" a line, or NULL */
	double last_word_demerits;  /* for hyphenating a paragraph's last word */
	bool capitalised;           /* hyphenate words in capitals, and
				       capitalised words not at a sentence's
				       start (proper names) */
	double ragged_above;        /* a justified line would be looser than
				       this many normal spaces: the last pass
				       may set it ragged instead (0: never) */
	double loosest;             /* ... or, in a part with a dictionary and
				       a measure of short_measure ems or more,
				       justified up to this many spaces */
	double ragged_demerits;     /* ... there, a ragged line costs this */
	double fallback_hyphen_penalty;  /* ... and a hyphen this penalty
				       (hyphen_penalty elsewhere): the pass
				       weighs hyphens against ragged lines
				       first, the spacing after (0: as
				       elsewhere) */
	double short_measure;       /* a measure shorter than this many ems
				       (of the text's size) goes ragged
				       rather than loose, as a part without
				       a dictionary */
	/* margin kerning and font expansion (microtype.c, the style's
	   microtype keys), as pdfTeX's: characters that hang into the
	   margin at a line's left or right end, by shares of their width
	   (justified lines hang at both ends, ragged-right ones at the
	   left), and the most a justified line's glyphs may widen or
	   narrow (a share of their width: 0 never), in steps of
	   expansion_step */
	int hangs;
	struct gb_hang { gunichar c; double left, right; } hang[GB_HANGS];
	double expansion, expansion_step;
} gb_break_params;

/*
 * The letters kept before and after a hyphen in lang (BCP 47): the
 * style's line for the tag or its language (p->hyphen_mins), else TeX's
 * (hyph-utf8's) for the language: English and Portuguese 2 and 3, most
 * others 2 and 2; never fewer than p->left_min and p->right_min.
 */
void gb_hyphen_mins(const gb_break_params *p, const char *lang, int *left, int *right);

/*
 * Reads text, an item of the style's breaking.hyphen-mins, "LANG LEFT RIGHT"
 * (counts of 1 or more, nothing after them), into lang, *left, *right;
 * false when it is not one.
 */
bool gb_hyphen_mins_item(const char *text, char lang[32], int *left, int *right);

/*
 * Whether lang capitalises every noun (German, Luxembourgish): there a
 * capitalised word is a common noun, hyphenated as any other.
 */
bool gb_lang_capitalises_nouns(const char *lang);

typedef struct gb_para_spec {
	const char *text;              /* UTF-8, the whole paragraph */
	PangoAttrList *attrs;          /* fonts, features, over byte ranges */
	const PangoFontDescription *font;  /* the base font */
	double measure;                /* line width, points */
	double indent;                 /* first-line indent, points */
	bool justify;
	PangoAlignment align;
	const char *lang;              /* BCP 47 */
	gb_hyphenator *hyph;           /* NULL: no hyphenation */
	const gb_break_params *params;
	bool first_fit;                /* Pango's wrapping instead */
	bool whole_words;              /* breaks at spaces only (table cells):
					  never after a dash, and inside a
					  word only when it is wider than the
					  measure */
	const guint8 *literal;         /* a byte a byte of text, 1 inside
					  inline code or an address: never
					  hyphenated, broken only after '/',
					  '.', '_', '=', ',' (then between
					  letters); or NULL */
	bool monospace;                /* set in a monospaced face (code): no
					  margin kerning, no font expansion
					  (as microtype leaves such faces
					  alone) */
	gb_glyphs *shaped;             /* the paragraph already shaped on one
					  line with this font and these
					  attributes, or NULL */
} gb_para_spec;

typedef struct gb_line {
	gb_glyphs *glyphs;       /* the line to draw (a reference); its text
				    is the paragraph's from start on */
	guint start, end;        /* bytes of the paragraph's text set here */
	double x;                /* from the left of the measure */
	double width;            /* advance, as set */
	double ratio;            /* adjustment ratio; 0 when not justified */
	bool hyphenated, emergency;
	bool broken;             /* ends inside a word wider than the line,
				    between two letters, without a hyphen */
	bool squeezed;           /* ... inside a word no wider than the
				    line: nothing else set the paragraph
				    within the rules */
	bool ragged;             /* set at its natural width, left-aligned,
				    in a justified paragraph: justified, it
				    would be looser than ragged_above */
	double over;             /* how far it runs past the measure, points
				    (0: it does not): a line nothing could
				    set within the rules */
	double hang_left, hang_right;  /* how far its first and last
				    characters hang into the margins,
				    points (x is hang_left further left; its
				    glyphs say so too) */
} gb_line;

/*
 * text shaped on one line in font, with attrs (NULL: none): its runs in
 * the text's order (a right-to-left run's glyphs stay in visual order).
 * The caller unrefs it.
 */
gb_glyphs *gb_shape_text(PangoContext *pc, const char *text,
			 PangoAttrList *attrs, const PangoFontDescription *font);

/*
 * Keeps the words pc shapes in the user's cache between runs
 * ($XDG_CACHE_HOME/gsi-book/words/), under id, which must name everything
 * besides a word's text and its item (font description, features,
 * language, ...) that decides its glyphs: the font files, Pango's and
 * HarfBuzz's versions.  Each entry holds the words a run used, so it is
 * rewritten only when they change.  Written when pc is freed.
 */
void gb_shape_cache_keep(PangoContext *pc, const char *id);
/*
 * Moves the words and widths that from's shaping used this run into
 * into's shaped words (those into has, marked used), so that into's
 * entries, written when into is freed, hold them; from's are then not
 * written.  For the contexts of workers that set parts of one book
 * (typeset/parts.c), each shaping apart: the main one keeps what all used.
 */
void gb_shape_cache_merge(PangoContext *into, PangoContext *from);

/*
 * The widths of shaped text (gb_shape_text) set on as few lines as it can
 * (nat: its widest forced line) and on as many as it can (min: its widest
 * word, words breaking at spaces, after dashes and between characters of
 * Chinese or Japanese), points.
 */
void gb_text_widths(const gb_glyphs *g, double *nat, double *min);

/*
 * Where text[0, len) (UTF-8) may break between two characters of Chinese
 * or Japanese, which have no spaces: a byte a byte, 1 before a character
 * where Unicode's line breaking rules (UAX #14, as Pango applies them for
 * lang, NULL: the default) allow a break and the character before it or
 * this one is Chinese or Japanese (ideographs, kana, their punctuation);
 * so never before 。，、」）or a small kana where those rules forbid it,
 * nor after 「（, nor inside a word of Latin letters.  Never at a space or
 * a forced break (U+2028).  NULL when the text has no Chinese or Japanese
 * at all.  The caller frees it with g_free().
 */
guint8 *gb_cjk_breaks(const char *text, guint len, const char *lang);

/*
 * Breaks the paragraph into lines (an array of gb_line).  Adds to *stats
 * when stats is not NULL.
 */
GArray *gb_break_paragraph(PangoContext *pc, const gb_para_spec *spec,
			   gb_break_stats *stats);
void gb_lines_free(GArray *lines);

#endif
