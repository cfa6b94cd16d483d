/*
 * itemize.c - a paragraph's text cut into items (runs of one font, script,
 * direction and attributes) as pango_itemize() cuts it, without its work
 * for the text that needs none of it (lb.h).
 *
 * pango_itemize() (Pango 1.50, pango/itemize.c) runs the bidirectional
 * algorithm, the script, emoji and width iterators and a font lookup for
 * every character, and cuts an item wherever an attribute range, a
 * direction, a script or a font changes.  For text of Latin letters and
 * common punctuation (below) set left to right and upright, none of them
 * cuts: the items are the attribute ranges, each in the one font that its
 * fontset gives all its characters but spaces.  gb_lb_itemize_plain() makes
 * those items as Pango does (the same attribute iterator, font description,
 * derived language and fontset, the same fields), and declines the rest,
 * which gb_lb_itemize() gives to pango_itemize().  tests/unit/itemize.c
 * compares the two on text of every kind.
 *
 * Ownership: the items returned are the caller's (pango_item_free); the
 * fonts found for characters are kept on each fontset (its qdata), as
 * Pango keeps its own, and freed with it.  Like Pango's itemising, it
 * must not be given one font map's fontsets from two threads at once (a
 * thread of its own needs a font map of its own).
 */
#include "typeset/lb.h"

/* the fonts of the characters below, in one fontset */
#define PLAIN_LOW 0x250          /* U+0000 to U+024F: Latin */
#define PLAIN_PUNCT 0x2000       /* U+2000 to U+205F: punctuation */
#define PLAIN_FONTS (PLAIN_LOW + 0x60)

typedef struct char_fonts {
	PangoFont *font[PLAIN_FONTS];   /* the fontset's, not referenced */
	guint8 known[PLAIN_FONTS];      /* 1: font[i] found; 2: none */
	PangoFont *ascii;               /* the font of every printable ASCII
					   character but the space, if one */
	bool ascii_known;               /* ascii found */
} char_fonts;

/*
 * The index of c among the characters the fast path takes, or -1: Latin
 * (no control character, no combining mark: U+0300 on is not taken) and
 * the general punctuation but the invisible controls of direction and
 * joining (U+200B to U+200F, U+2028 to U+202E, U+2060 on).  None of these
 * is right to left, none is a combining mark, none is an emoji without a
 * variation selector or keycap (not taken), and no tab nor line separator
 * forces a break.
 */
static int plain_index(gunichar c)
{
	if (c < PLAIN_LOW)
		return c < 0x20 || (c >= 0x7f && c < 0xa0) ? -1 : (int)c;
	if (c >= PLAIN_PUNCT && c < PLAIN_PUNCT + 0x60 &&
	    !(c >= 0x200b && c <= 0x200f) && !(c >= 0x2028 && c <= 0x202e))
		return (int)(c - PLAIN_PUNCT) + PLAIN_LOW;
	return -1;
}

/* Pango's consider_as_space() for the characters above. */
static bool as_space(gunichar c)
{
	if (c < 0x80)
		return c == ' ';
	GUnicodeType t = g_unichar_type(c);
	return t == G_UNICODE_FORMAT || t == G_UNICODE_SPACE_SEPARATOR ||
	       t == G_UNICODE_LINE_SEPARATOR || t == G_UNICODE_PARAGRAPH_SEPARATOR;
}

typedef struct font_of {
	gunichar c;
	PangoFont *font;
} font_of;

static gboolean first_with_char(PangoFontset *set, PangoFont *font, gpointer data)
{
	(void)set;
	font_of *f = data;
	if (font && pango_font_has_char(font, f->c)) {
		f->font = font;
		return TRUE;
	}
	return FALSE;
}

/* The quark named name, made once (g_once: threads may ask at once). */
#define ONCE_QUARK(name)                                                     \
	static gsize once_;                                                  \
	if (g_once_init_enter(&once_))                                       \
		g_once_init_leave(&once_, g_quark_from_static_string(name)); \
	GQuark q = (GQuark)once_

/* The fonts found for the characters in set, kept on it. */
static char_fonts *char_fonts_of(PangoFontset *set)
{
	ONCE_QUARK("gb-char-fonts");
	char_fonts *cf = g_object_get_qdata(G_OBJECT(set), q);
	if (!cf) {
		cf = g_new0(char_fonts, 1);
		g_object_set_qdata_full(G_OBJECT(set), q, cf, g_free);
	}
	return cf;
}

/* The font of set (its fonts cf) that Pango gives character c (index i):
   the first that has it; NULL when none has it (Pango then takes another
   way). */
static inline PangoFont *font_for(PangoFontset *set, char_fonts *cf, gunichar c, int i)
{
	if (G_UNLIKELY(!cf->known[i])) {
		font_of f = { c, NULL };
		pango_fontset_foreach(set, first_with_char, &f);
		cf->font[i] = f.font;
		cf->known[i] = f.font ? 1 : 2;
	}
	return cf->font[i];
}

/* The one font of set that Pango gives every printable ASCII character
   but the space, or NULL. */
static PangoFont *ascii_font(PangoFontset *set, char_fonts *cf)
{
	if (!cf->ascii_known) {
		cf->ascii_known = true;
		cf->ascii = font_for(set, cf, '!', '!');
		for (gunichar c = '"'; c < 0x7f && cf->ascii; c++)
			if (font_for(set, cf, c, (int)c) != cf->ascii)
				cf->ascii = NULL;
	}
	return cf->ascii;
}

/* Whether Pango leaves font's items whole (its variant needs no split). */
static bool plain_variant(PangoFont *font)
{
	ONCE_QUARK("gb-plain-variant");
	gpointer v = g_object_get_qdata(G_OBJECT(font), q);
	if (!v) {
		PangoFontDescription *d = pango_font_describe(font);
		PangoVariant var = pango_font_description_get_variant(d);
		pango_font_description_free(d);
		v = GINT_TO_POINTER(var == PANGO_VARIANT_NORMAL ||
				    var == PANGO_VARIANT_TITLE_CAPS ? 1 : 2);
		g_object_set_qdata(G_OBJECT(font), q, v);
	}
	return GPOINTER_TO_INT(v) == 1;
}

/* Pango's compute_derived_language(). */
static PangoLanguage *derived_language(PangoLanguage *lang, PangoScript script)
{
	if (lang && pango_language_includes_script(lang, script))
		return lang;
	PangoLanguage *d = pango_script_get_sample_language(script);
	return d ? d : pango_language_from_string("xx");
}

/* Whether extra holds an attribute that pango_itemize() reads. */
static bool itemize_reads(GSList *extra)
{
	for (GSList *l = extra; l; l = l->next)
		switch ((int)((const PangoAttribute *)l->data)->klass->type) {
		case PANGO_ATTR_FALLBACK:
		case PANGO_ATTR_GRAVITY:
		case PANGO_ATTR_GRAVITY_HINT:
		case PANGO_ATTR_FONT_SCALE:
		case PANGO_ATTR_TEXT_TRANSFORM:
			return true;
		default:
			break;
		}
	return false;
}

/*
 * The item of text[a, b), an attribute range, with font description desc
 * (the attributes' font on font, which it owns), language lang (NULL: the
 * context's) and extra attributes extra (which it owns), as Pango makes it;
 * NULL (desc and extra freed) when Pango would make it otherwise.
 */
static PangoItem *plain_item(PangoContext *pc, const char *text, int a, int b,
			     bool ascii, PangoScript script, PangoFontDescription *desc,
			     PangoLanguage *lang, GSList *extra)
{
	PangoItem *it = NULL;
	PangoFontset *set = NULL;
	if (itemize_reads(extra) ||
	    (pango_font_description_get_set_fields(desc) & PANGO_FONT_MASK_GRAVITY))
		goto out;
	if (!lang)
		lang = pango_context_get_language(pc);
	if (!lang)  /* (the context's language when none is set) */
		lang = pango_language_get_default();
	/* (the gravity resolved for the run is set on its description) */
	pango_font_description_set_gravity(desc, PANGO_GRAVITY_SOUTH);
	PangoLanguage *derived = derived_language(lang, script);
	set = pango_font_map_load_fontset(pango_context_get_font_map(pc), pc, desc, derived);
	if (!set)
		goto out;
	char_fonts *cf = char_fonts_of(set);
	PangoFont *font = NULL;
	int chars = 0;
	const char *s = text + a, *e = text + b;
	if (ascii && ascii_font(set, cf)) {
		/* (ASCII text in a font of all ASCII: its font, unless it is
		   all spaces) */
		chars = b - a;
		while (s < e && *s == ' ')
			s++;
		if (s < e)
			font = cf->ascii;
		s = e;
	}
	for (; s < e; chars++) {
		gunichar c = (guchar)*s;
		if (c < 0x80) {
			s++;
			if (c == ' ')
				continue;
		} else {
			c = g_utf8_get_char(s);
			s = g_utf8_next_char(s);
			if (as_space(c))
				continue;
		}
		int i = plain_index(c);
		if (i < 0)  /* (a range that starts inside a character) */
			goto out;
		PangoFont *f = font_for(set, cf, c, i);
		if (!f || (font && f != font))
			goto out;
		font = f;
	}
	if (!font)
		font = font_for(set, cf, ' ', ' ');
	if (!font || !plain_variant(font))
		goto out;
	it = pango_item_new();
	it->offset = a;
	it->length = b - a;
	it->num_chars = chars;
	it->analysis.font = g_object_ref(font);
	it->analysis.level = 0;
	it->analysis.gravity = PANGO_GRAVITY_SOUTH;
	/* (flags: pango_item_new's, PANGO_ANALYSIS_FLAG_HAS_CHAR_OFFSET) */
	it->analysis.script = (guint8)script;
	it->analysis.language = derived;
	it->analysis.extra_attrs = extra;
	extra = NULL;
out:
	if (set)
		g_object_unref(set);
	pango_font_description_free(desc);
	g_slist_free_full(extra, (GDestroyNotify)pango_attribute_destroy);
	return it;
}

bool gb_lb_itemize_plain(PangoContext *pc, const PangoFontDescription *font,
			 const char *text, int p, int n, PangoAttrList *attrs,
			 GList **items)
{
	*items = NULL;
	if (n == 0 || !text[p])
		return true;
	PangoDirection dir = pango_context_get_base_dir(pc);
	if ((dir != PANGO_DIRECTION_LTR && dir != PANGO_DIRECTION_WEAK_LTR) ||
	    pango_context_get_gravity(pc) != PANGO_GRAVITY_SOUTH)
		return false;
	/* one script (Latin, or none but common), left to right */
	bool latin = false, ascii = true;
	for (const char *s = text + p, *e = text + p + n; s < e;) {
		guchar b = (guchar)*s;
		if (b < 0x80) {
			if (b < 0x20 || b == 0x7f)
				return false;
			latin |= g_ascii_isalpha(b);
			s++;
			continue;
		}
		gunichar c = g_utf8_get_char(s);
		if (plain_index(c) < 0)
			return false;
		ascii = false;
		GUnicodeScript sc = g_unichar_get_script(c);
		if (sc == G_UNICODE_SCRIPT_LATIN)
			latin = true;
		else if (sc != G_UNICODE_SCRIPT_COMMON)
			return false;
		s = g_utf8_next_char(s);
	}
	PangoScript script = latin ? PANGO_SCRIPT_LATIN : PANGO_SCRIPT_COMMON;
	GList *out = NULL;
	bool ok = true;
	if (!attrs) {
		PangoItem *it = plain_item(pc, text, p, p + n, ascii, script,
					   pango_font_description_copy(font), NULL, NULL);
		ok = it;
		if (it)
			out = g_list_prepend(out, it);
	} else {
		PangoAttrIterator *iter = pango_attr_list_get_iterator(attrs);
		/* (Pango's pango_attr_iterator_advance, private) */
		int end;
		pango_attr_iterator_range(iter, NULL, &end);
		while (p >= end && pango_attr_iterator_next(iter))
			pango_attr_iterator_range(iter, NULL, &end);
		for (int a = p; ok && a < p + n; pango_attr_iterator_next(iter)) {
			pango_attr_iterator_range(iter, NULL, &end);
			int b = end < p + n ? end : p + n;
			PangoFontDescription *desc = pango_font_description_copy(font);
			PangoLanguage *lang = NULL;
			GSList *extra = NULL;
			pango_attr_iterator_get_font(iter, desc, &lang, &extra);
			PangoItem *it = plain_item(pc, text, a, b, ascii, script, desc, lang, extra);
			ok = it;
			if (it)
				out = g_list_prepend(out, it);
			a = b;
		}
		pango_attr_iterator_destroy(iter);
	}
	if (!ok) {
		g_list_free_full(out, (GDestroyNotify)pango_item_free);
		return false;
	}
	*items = g_list_reverse(out);
	return true;
}

GList *gb_lb_itemize(PangoContext *pc, const PangoFontDescription *font,
		     const char *text, int p, int n, PangoAttrList *attrs)
{
	GList *items;
	if (gb_lb_itemize_plain(pc, font, text, p, n, attrs, &items))
		return items;
	PangoFontDescription *saved = pango_font_description_copy(
		pango_context_get_font_description(pc));
	pango_context_set_font_description(pc, font);
	items = pango_itemize(pc, text, p, n, attrs, NULL);
	pango_context_set_font_description(pc, saved);
	pango_font_description_free(saved);
	return items;
}
