/* translit.c - text in ASCII letters (translit.h). */
#include "source/translit.h"

#include <string.h>

#include <glib.h>

/*
 * The romanization of each small letter GLib cannot fold: Cyrillic and
 * Greek (BGN/PCGN, with its diacritics dropped: Kazakh "ә" is "ä" there,
 * "a" here) and the Latin letters without a decomposition.  Sorted by
 * code point (bsearch).
 */
static const struct {
	gunichar u;
	const char *ascii;
} table[] = {
	{ 0x00f0, "d" },    /* ð */
	{ 0x00fe, "th" },   /* þ */
	{ 0x0111, "d" },    /* đ */
	{ 0x0127, "h" },    /* ħ */
	{ 0x0131, "i" },    /* ı */
	{ 0x0138, "q" },    /* ĸ */
	{ 0x0140, "l" },    /* ŀ */
	{ 0x014b, "ng" },   /* ŋ */
	{ 0x0167, "t" },    /* ŧ */
	{ 0x0180, "b" },    /* ƀ */
	{ 0x0192, "f" },    /* ƒ */
	{ 0x01dd, "e" },    /* ǝ */
	{ 0x0259, "e" },    /* ə (Azerbaijani) */
	{ 0x03ac, "a" }, { 0x03ad, "e" }, { 0x03ae, "i" }, { 0x03af, "i" },
	{ 0x03b0, "y" },
	{ 0x03b1, "a" }, { 0x03b2, "v" }, { 0x03b3, "g" }, { 0x03b4, "d" },
	{ 0x03b5, "e" }, { 0x03b6, "z" }, { 0x03b7, "i" }, { 0x03b8, "th" },
	{ 0x03b9, "i" }, { 0x03ba, "k" }, { 0x03bb, "l" }, { 0x03bc, "m" },
	{ 0x03bd, "n" }, { 0x03be, "x" }, { 0x03bf, "o" }, { 0x03c0, "p" },
	{ 0x03c1, "r" }, { 0x03c2, "s" }, { 0x03c3, "s" }, { 0x03c4, "t" },
	{ 0x03c5, "y" }, { 0x03c6, "f" }, { 0x03c7, "ch" }, { 0x03c8, "ps" },
	{ 0x03c9, "o" }, { 0x03ca, "i" }, { 0x03cb, "y" }, { 0x03cc, "o" },
	{ 0x03cd, "y" }, { 0x03ce, "o" },
	/* Cyrillic: Russian */
	{ 0x0430, "a" }, { 0x0431, "b" }, { 0x0432, "v" }, { 0x0433, "g" },
	{ 0x0434, "d" }, { 0x0435, "e" }, { 0x0436, "zh" }, { 0x0437, "z" },
	{ 0x0438, "i" }, { 0x0439, "y" }, { 0x043a, "k" }, { 0x043b, "l" },
	{ 0x043c, "m" }, { 0x043d, "n" }, { 0x043e, "o" }, { 0x043f, "p" },
	{ 0x0440, "r" }, { 0x0441, "s" }, { 0x0442, "t" }, { 0x0443, "u" },
	{ 0x0444, "f" }, { 0x0445, "kh" }, { 0x0446, "ts" }, { 0x0447, "ch" },
	{ 0x0448, "sh" }, { 0x0449, "shch" }, { 0x044a, "" }, { 0x044b, "y" },
	{ 0x044c, "" }, { 0x044d, "e" }, { 0x044e, "yu" }, { 0x044f, "ya" },
	/* Cyrillic: ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */
	{ 0x0450, "e" }, { 0x0451, "yo" }, { 0x0452, "dj" }, { 0x0453, "gj" },
	{ 0x0454, "ye" }, { 0x0455, "dz" }, { 0x0456, "i" }, { 0x0457, "yi" },
	{ 0x0458, "j" }, { 0x0459, "lj" }, { 0x045a, "nj" }, { 0x045b, "c" },
	{ 0x045c, "kj" }, { 0x045d, "i" }, { 0x045e, "u" }, { 0x045f, "dz" },
	{ 0x0491, "g" },    /* ґ */
	{ 0x0493, "gh" },   /* ғ */
	{ 0x0497, "zh" },   /* җ (Tatar) */
	{ 0x049b, "q" },    /* қ */
	{ 0x04a3, "ng" },   /* ң */
	{ 0x04af, "u" },    /* ү */
	{ 0x04b1, "u" },    /* ұ */
	{ 0x04bb, "h" },    /* һ */
	{ 0x04cf, "i" },    /* ӏ */
	{ 0x04d9, "a" },    /* ә */
	{ 0x04e9, "o" },    /* ө */
};

/* The romanization of the small letter u, or NULL. */
static const char *lookup(gunichar u)
{
	size_t lo = 0, hi = G_N_ELEMENTS(table);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (table[mid].u == u)
			return table[mid].ascii;
		if (table[mid].u < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Appends the ASCII of the one character u to out ('?' when none). */
static void append_ascii(GString *out, gunichar u)
{
	if (u < 0x80) {
		g_string_append_c(out, (char)u);
		return;
	}
	gunichar low = g_unichar_tolower(u);
	const char *r = lookup(low);
	if (!r && low != u)
		r = lookup(u);
	if (r) {
		size_t at = out->len;
		g_string_append(out, r);
		if (low != u && out->len > at)
			out->str[at] = g_ascii_toupper(out->str[at]);
		return;
	}
	/* a Latin letter with diacritics (or ß, æ, œ...): GLib's table */
	char buf[8] = { 0 };
	g_unichar_to_utf8(u, buf);
	char *folded = g_str_to_ascii(buf, "C");
	if (strchr(folded, '?')) {
		/* a letter with a mark GLib has no entry for: its base
		   letter (Greek's tonos, Cyrillic's breve...) */
		gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
		gsize n = g_unichar_fully_decompose(u, FALSE, d, G_N_ELEMENTS(d));
		if (n > 1 && d[0] != u) {
			append_ascii(out, d[0]);
			g_free(folded);
			return;
		}
	}
	g_string_append(out, folded);
	g_free(folded);
}

char *gb_translit_ascii(const char *text)
{
	GString *out = g_string_new(NULL);
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		append_ascii(out, g_utf8_get_char(p));
	return g_string_free(out, FALSE);
}

char *gb_ascii_id(const char *id)
{
	char *ascii = gb_translit_ascii(id);
	size_t k = 0;
	for (size_t i = 0; ascii[i]; i++)
		if (g_ascii_isalnum(ascii[i]) || strchr("-_.:", ascii[i]))
			ascii[k++] = ascii[i];
	ascii[k] = '\0';
	/* the dashes that the words left out leave at either end, where
	   id had none ("привет-你好" is "privet", not "privet-") */
	size_t n = strlen(id);
	while (k && ascii[k - 1] == '-' && n && id[n - 1] != '-')
		ascii[--k] = '\0';
	size_t lead = 0;
	while (ascii[lead] == '-' && id[0] != '-')
		lead++;
	memmove(ascii, ascii + lead, k - lead + 1);
	return ascii;
}
