/*
 * unit.c - unit tests of the tree and its helpers; with those in
 * tests/unit/ (Knuth and Plass, the page builder; unit/unit.h).
 *
 * Prints "ok - NAME" or "not ok - NAME: WHY" per test (read by
 * tests/run.sh) and exits 1 if any failed.
 */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "source/book.h"
#include "source/paths.h"
#include "base/diag.h"
#include "typeset/hyphdict.h"
#include "source/image.h"
#include "typeset/linebreak.h"
#include "source/meta.h"
#include "source/parse.h"
#include "pdf/pdf.h"
#include "pdf/pdfcopy.h"
#include <qpdf/qpdf-c.h>
#include "source/quotes.h"
#include "source/resolve.h"
#include "source/translit.h"
#include "source/tree.h"
#include "unit/unit.h"
#include "design/words.h"
#include "design/licence.h"

/* Quotation marks by language (quotes.h): the table, the pairing, and
   text that is not Markdown (a title) read as text. */
static void test_quotes(test_state *t)
{
	struct { const char *lang, *open, *inner_close; } styles[] = {
		{ "en", "“", "’" }, { "en-GB", "“", "’" }, { "ru", "«", "“" },
		{ "kk", "«", "“" }, { "uk", "«", "“" }, { "de-AT", "„", "‘" },
		{ "fr-CA", "«", "”" }, { "pl", "„", "»" }, { "es", "«", "”" },
		{ "pt-BR", "“", "’" }, { "pt-PT", "«", "”" }, { "zh", "“", "’" },
		{ "zh-Hant-TW", "「", "』" }, { "zh-TW", "「", "』" },
		{ "ja", "「", "』" }, { "xx", "“", "’" }, { NULL, "“", "’" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(styles); i++) {
		const gb_quote_style *st = gb_quote_style_for(styles[i].lang);
		CHECK_STR(t, st->open, styles[i].open);
		CHECK_STR(t, st->inner_close, styles[i].inner_close);
	}
	CHECK_STR(t, gb_quote_style_for("fr")->space, "\u202f");
	CHECK_STR(t, gb_quote_style_for("en")->space, "");
	struct { const char *lang, *in, *out; } cases[] = {
		{ "en", "the '90s and 'tis", "the ’90s and ’tis" },
		{ "en", "the boys' toys, GSI's, d'Artagnan", "the boys’ toys, GSI’s, d’Artagnan" },
		{ "en", "'it's fine'", "‘it’s fine’" },
		{ "en", "\"a 'b' c\" -- d --- e...", "“a ‘b’ c” – d — e…" },
		{ "en", "\"a \"b\" c\"", "“a ‘b’ c”" },
		{ "en", "*not* `code` & <x> [y](z) \\'", "*not* `code` & <x> [y](z) \\’" },
		{ "en", "  two\n'lines' ", "  two\n‘lines’ " },
		{ "en", "typed ‘as is’ and „this“", "typed ‘as is’ and „this“" },
		{ "ru", "\"a \"b\" c\" and 'd'", "«a „b“ c» and „d“" },
		{ "kk", "\"a 'b'\"", "«a „b“»" },
		{ "de", "\"Geht's 'so'?\"", "„Geht’s ‚so‘?“" },
		{ "fr", "\"C'est 'vrai'\"", "«\u202fC’est “vrai”\u202f»" },
		{ "fr", "typed « oui »", "typed « oui »" },
		{ "ja", "\"a 'b'\"", "「a 『b』」" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = gb_quotes_string(cases[i].in, cases[i].lang);
		CHECK_STR(t, got, cases[i].out);
		g_free(got);
	}
}

static void test_slugify(test_state *t)
{
	/* GitHub's slugs, as github-slugger's fixtures give them */
	struct { const char *in, *out; } cases[] = {
		{ "Hello, World!", "hello-world" },
		{ "A Strong Partnership: China and Kazakhstan",
		  "a-strong-partnership-china-and-kazakhstan" },
		{ "China’s vision", "chinas-vision" },
		{ "en–dash", "endash" },
		{ "heading with a - dash", "heading-with-a---dash" },
		{ "heading with an _ underscore", "heading-with-an-_-underscore" },
		{ "heading with a period.txt", "heading-with-a-periodtxt" },
		{ "exchange.bind_headers(exchange, routing [, bindCallback])",
		  "exchangebind_headersexchange-routing--bindcallback" },
		{ "I ♥ unicode", "i--unicode" },
		{ "😄 unicode emoji", "-unicode-emoji" },
		{ "Привет non-latin 你好", "привет-non-latin-你好" },
		{ "Қазақстан Республикасы", "қазақстан-республикасы" },
		{ "2025: a year", "2025-a-year" },
		{ "x_y", "x_y" },
		{ "bravoCharlieDelta", "bravocharliedelta" },
		{ "a\u00a0b x\u00b2", "ab-x" },
		{ "Ⅻ Ⓐ", "ⅻ-ⓐ" },
		{ "ΟΔΟΣ ΣΑ", "οδος-σα" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = gb_slugify(cases[i].in);
		CHECK_STR(t, s, cases[i].out);
		g_free(s);
	}
}

static void test_translit(test_state *t)
{
	/* ids in ASCII: every Kazakh letter, Russian, Greek, Latin folded */
	struct { const char *in, *out; } cases[] = {
		{ "қала-туралы-қысқаша", "qala-turaly-qysqasha" },
		{ "ә ғ қ ң ө ұ ү һ і", "a gh q ng o u u h i" },
		{ "Ә Ғ Қ Ң Ө Ұ Ү Һ І", "A Gh Q Ng O U U H I" },
		{ "щука-и-ёж-съезд", "shchuka-i-yozh-sezd" },
		{ "Їжак ґанок", "Yizhak ganok" },
		{ "οδος-σα", "odos-sa" },
		{ "café-naïve-straße-þing-đ", "cafe-naive-strasse-thing-d" },
		{ "x_y:1.2", "x_y:1.2" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = gb_translit_ascii(cases[i].in);
		CHECK_STR(t, s, cases[i].out);
		g_free(s);
	}
	/* an id keeps only what an id may hold: other scripts are left out */
	char *id = gb_ascii_id("привет-non-latin-你好");
	CHECK_STR(t, id, "privet-non-latin");
	g_free(id);
	id = gb_ascii_id("你好-world-");
	CHECK_STR(t, id, "world-");
	g_free(id);
	id = gb_ascii_id("-你好");  /* nothing left: the caller's fallback */
	CHECK_STR(t, id, "");
	g_free(id);
}

static void test_href_escape(test_state *t)
{
	/* cmark-gfm's href escaping, but an http(s) address's host is
	   its ASCII name and an IPv6 address keeps its brackets */
	struct { const char *in, *out; } cases[] = {
		{ "https://пример.рф/путь",
		  "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C" },
		{ "https://[::1]:80/a b", "https://[::1]:80/a%20b" },
		{ "http://us er@Bücher.example:8080/x?q=[1]#f|g",
		  "http://us%20er@xn--bcher-kva.example:8080/x?q=%5B1%5D#f%7Cg" },
		{ "https://example.com/a'b&c", "https://example.com/a'b&c" },
		{ "HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM" },
		{ "mailto:ä@example.com", "mailto:%C3%A4@example.com" },
		{ "https://example.com", "https://example.com" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = gb_href_escape(cases[i].in);
		CHECK_STR(t, s, cases[i].out);
		g_free(s);
	}
}

static void test_lang_tags(test_state *t)
{
	const char *good[] = { "en", "kk", "en-GB", "kk-Cyrl-KZ", "zh-Hant-TW",
			       "sl-rozaj-biske", "de-CH-1901", "en-a-bbb-x-a-ccc",
			       "x-private", "es-419", "zh-yue-HK" };
	const char *bad[] = { "", "e", "en_US", "english1", "en-", "-en",
			      "toolongtag", "en--GB", "en-x", "en-a", "1en" };
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		if (!gb_lang_tag_valid(good[i]))
			g_string_append_printf(t->why, "'%s' rejected; ", good[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		if (gb_lang_tag_valid(bad[i]))
			g_string_append_printf(t->why, "'%s' accepted; ", bad[i]);
}

static void test_dates(test_state *t)
{
	const char *good[] = { "2025", "2025-07", "2025-07-31", "2024-02-29",
			       "2025-07-31T10:00:00Z", "2025-07-31T10:00+06:00",
			       "1818", "0001", "0001-01-01", "9999-12-31" };
	const char *bad[] = { "", "25", "2025-13", "2025-02-30", "2023-02-29",
			      "2025/07/31", "July 2025", "2025-07-31T25:00:00Z",
			      "2025-7-1", "2025-07-31 10:00", "0000", "0000-01", "0000-01-01" };
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		if (!gb_date_valid(good[i]))
			g_string_append_printf(t->why, "'%s' rejected; ", good[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		if (gb_date_valid(bad[i]))
			g_string_append_printf(t->why, "'%s' accepted; ", bad[i]);
}

/* dates written for people (gb_date_iso through gb_cell_date, every
   language of the words table), a bare year only in a column of dates */
static void test_date_words(test_state *t)
{
	const char *cases[][2] = {
		{ "April 2022", "2022-04" }, { "February 2023", "2023-02" },
		{ "12 March 1818", "1818-03-12" }, { "March 12, 1818", "1818-03-12" },
		{ " Sept. 2001 ", "2001-09" }, { "2024-01-15", "2024-01-15" },
		{ "12 марта 1818 г.", "1818-03-12" }, { "Апрель 2022", "2022-04" },
		{ "1 мая 2020 года", "2020-05-01" }, { "2022 жылғы 12 наурыз", "2022-03-12" },
		{ "Қыркүйек 2023", "2023-09" }, { "12\u00a0марта\u00a01818", "1818-03-12" },
		{ "2025", NULL }, { "May", NULL }, { "12 Foo 2020", NULL },
		{ "31 February 2023", NULL }, { "April 2022 and May 2023", NULL },
		{ "12 2022", NULL }, { "April 22", NULL }, { "", NULL },
		{ "2025-07-31T10:00:00Z", NULL }, { "1 200", NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *iso = gb_cell_date(cases[i][0], false);
		if (g_strcmp0(iso, cases[i][1]))
			g_string_append_printf(t->why, "'%s' is %s, not %s; ", cases[i][0],
					       iso ? iso : "no date", cases[i][1] ? cases[i][1] : "no date");
		g_free(iso);
	}
	char *year = gb_cell_date("2025", true);
	CHECK(t, !g_strcmp0(year, "2025"));
	g_free(year);
	year = gb_cell_date("0000", true);
	CHECK(t, year == NULL);
	g_free(year);
}

/* a copyright file into its structure (design/licence.c): stanzas,
   fields, licences' texts in paragraphs, titles, in the file's order */
static void test_licence(test_state *t)
{
	gb_licence *l = gb_licence_parse(
		"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
		"Upstream-Name: Some Font\n"
		"\n"
		"Files: *\n"
		"Copyright: 2001 A\n"
		"           2002 B\n"
		"License: OFL-1.1\n"
		"\n"
		"License: OFL-1.1\n"
		" ----------\n"
		" PREAMBLE\n"
		" The goals of the\n"
		" licence.\n"
		" .\n"
		" Second paragraph.\n"
		"Comment: a reserved name.\n");
	CHECK(t, l->name && !strcmp(l->name, "Some Font"));
	CHECK(t, l->parts->len == 3);
	if (l->parts->len == 3) {
		const gb_licence_part *files = g_ptr_array_index(l->parts, 1);
		const gb_licence_part *lic = g_ptr_array_index(l->parts, 2);
		CHECK(t, !files->heading && files->items->len == 3);
		const gb_licence_item *c = g_ptr_array_index(files->items, 1);
		CHECK(t, !strcmp(c->name, "Copyright") && !strcmp(c->text, "2001 A\n2002 B"));
		CHECK(t, lic->heading && !strcmp(lic->heading, "OFL-1.1"));
		CHECK(t, lic->items->len == 4);
		if (lic->items->len == 4) {
			const gb_licence_item *a = g_ptr_array_index(lic->items, 0),
				*b = g_ptr_array_index(lic->items, 1),
				*d = g_ptr_array_index(lic->items, 3);
			CHECK(t, a->title && !strcmp(a->text, "PREAMBLE"));
			CHECK(t, !b->title && !b->name && !strcmp(b->text, "The goals of the licence."));
			CHECK(t, d->name && !strcmp(d->name, "Comment"));
		}
	}
	gb_licence_free(l);
	l = gb_licence_parse("Upstream Author:\n\n    Someone\n    Else\n\nLicense:\n  free.\n");
	CHECK(t, l->parts->len == 1);
	if (l->parts->len == 1) {
		const gb_licence_part *p = g_ptr_array_index(l->parts, 0);
		CHECK(t, p->items->len == 3);
		const gb_licence_item *it = p->items->len > 1 ? g_ptr_array_index(p->items, 1) : NULL;
		CHECK(t, it && !strcmp(it->text, "Someone Else"));
	}
	gb_licence_free(l);
}

static void test_edit_distance(test_state *t)
{
	CHECK(t, gb_edit_distance("title", "title") == 0);
	CHECK(t, gb_edit_distance("titel", "title") == 2);
	CHECK(t, gb_edit_distance("", "abc") == 3);
	CHECK(t, gb_edit_distance("kitten", "sitting") == 3);
}

static void test_identifier(test_state *t)
{
	GPtrArray *authors = g_ptr_array_new();
	gb_creator a = { (char *)"Jiang Wei", (char *)"aut", NULL, NULL, { NULL, 0 } };
	g_ptr_array_add(authors, &a);
	char *id1 = gb_derive_identifier("A Title", authors);
	char *id2 = gb_derive_identifier("A Title", authors);
	char *id3 = gb_derive_identifier("Another Title", authors);
	CHECK_STR(t, id1, id2);                 /* stable */
	CHECK(t, strcmp(id1, id3) != 0);        /* depends on the title */
	CHECK(t, g_str_has_prefix(id1, "urn:uuid:") && strlen(id1) == 45);
	CHECK(t, id1[9 + 14] == '5');           /* version 5 */
	CHECK(t, strchr("89ab", id1[9 + 19]) != NULL);  /* RFC 4122 variant */
	g_free(id1);
	g_free(id2);
	g_free(id3);
	g_ptr_array_free(authors, TRUE);
}

/* One list of people (design/words.h): every language's table names every
   role book.yaml accepts and has its "and" and "by"; the authors are the
   role "aut" only, joined in the book's words; the others carry their
   role in the book's words. */
static void test_people(test_state *t)
{
	for (size_t l = 0; gb_words_for_index(l); l++) {
		const gb_words *w = gb_words_for_index(l);
		CHECK(t, w->and_ && w->by && w->roles && w->page && w->pages);
		for (size_t i = 0; gb_role_code(i); i++) {
			const char *code = gb_role_code(i);
			bool found = false;
			for (const gb_role_word *r = w->roles; r && r->code; r++)
				found |= !strcmp(r->code, code) && r->word && r->word[0];
			if (!found)
				g_string_append_printf(t->why, "%s'%s' has no word for the role '%s'",
						       t->why->len ? "; " : "", w->lang, code);
		}
	}
	gb_creator a = { (char *)"Абай", (char *)"aut", NULL, NULL, { NULL, 0 } };
	gb_creator b = { (char *)"Мұхтар", (char *)"aut", NULL, NULL, { NULL, 0 } };
	gb_creator c = { (char *)"Ғалия", (char *)"trl", NULL, NULL, { NULL, 0 } };
	gb_creator e = { (char *)"Ed", (char *)"edt", NULL, NULL, { NULL, 0 } };
	GPtrArray *people = g_ptr_array_new();
	g_ptr_array_add(people, &a);
	g_ptr_array_add(people, &c);
	g_ptr_array_add(people, &b);
	gb_meta m = { 0 };
	m.title = (char *)"Дала";
	m.lang = (char *)"kk";
	m.authors = people;
	char *names = gb_author_names(&m);
	CHECK_STR(t, names, "Абай және Мұхтар");
	g_free(names);
	char **list = gb_author_list(&m);
	CHECK(t, g_strv_length(list) == 2);
	CHECK_STR(t, list[0], "Абай");
	CHECK_STR(t, list[1], "Мұхтар");
	g_strfreev(list);
	GArray *ps = gb_people(&m);
	CHECK(t, ps->len == 3);
	if (ps->len == 3) {
		CHECK_STR(t, g_array_index(ps, gb_person, 0).label, "Абай");
		CHECK(t, g_array_index(ps, gb_person, 0).author);
		CHECK_STR(t, g_array_index(ps, gb_person, 1).label, "Ғалия, аудармашы");
		CHECK(t, !g_array_index(ps, gb_person, 1).author);
	}
	gb_people_free(ps);
	char *alt = gb_cover_alt(&m);
	CHECK_STR(t, alt, "Мұқаба: Дала — Абай және Мұхтар.");
	g_free(alt);
	m.lang = (char *)"ru-RU";
	names = gb_author_names(&m);
	CHECK_STR(t, names, "Абай и Мұхтар");
	g_free(names);
	/* English, and a language without a table, keep the English words */
	m.lang = (char *)"xx";
	alt = gb_cover_alt(&m);
	CHECK_STR(t, alt, "Cover: Дала, by Абай and Мұхтар.");
	g_free(alt);
	/* a book without an author: no /Author, no dc:creator */
	g_ptr_array_set_size(people, 0);
	g_ptr_array_add(people, &e);
	names = gb_author_names(&m);
	CHECK(t, names == NULL);
	list = gb_author_list(&m);
	CHECK(t, list && !list[0]);
	g_strfreev(list);
	m.lang = (char *)"en";
	ps = gb_people(&m);
	CHECK(t, ps->len == 1 && !strcmp(g_array_index(ps, gb_person, 0).label, "Ed, editor"));
	gb_people_free(ps);
	g_ptr_array_free(people, TRUE);
}

/* The rules both editions read (design/words.c, issue 21): a word in
   capitals, and a number in a table's cell. */
static void test_caps_and_numbers(test_state *t)
{
	/* roman numerals keep their capitals (Chapter I as Chapter II),
	   but among words in capitals; CIVIL, IIII, VX, WWII are no numerals;
	   a plural's s stays out (GSIs, PDFs: GSI, PDF; not As, Ms) */
	const char *text = "NATO, the SCO and World War II; A, I, GSIs, НАТО, ҚР, COVID-19, "
			   "Chapter XIV, Henry VIII, CHAPTER XIV, XC MODELS, CIVIL, IIII, VX, WWII, "
			   "As Ms PDFs";
	const char *want[] = { "NATO", "SCO", "GSI", "НАТО", "ҚР", "COVID", "CHAPTER", "XIV",
			       "XC", "MODELS", "CIVIL", "IIII", "VX", "WWII", "PDF" };
	size_t at = 0, a, z, n = 0, len = strlen(text);
	while (gb_caps_word_next(text, len, &at, &a, &z)) {
		char *w = g_strndup(text + a, z - a);
		if (n < G_N_ELEMENTS(want))
			CHECK_STR(t, w, want[n]);
		g_free(w);
		n++;
	}
	CHECK(t, n == G_N_ELEMENTS(want));
	/* the same rule for one word, which hyphenation reads too (a
	   titlecase letter counts as a capital: Greek's with iota) */
	CHECK(t, gb_caps_word("NATO", 4));
	CHECK(t, gb_caps_word("ҢҰ", strlen("ҢҰ")));
	CHECK(t, gb_caps_word("ᾼΑ", strlen("ᾼΑ")));
	CHECK(t, !gb_caps_word("Nato", 4));
	CHECK(t, !gb_caps_word("A", 1));
	CHECK(t, gb_is_number("1949"));
	CHECK(t, gb_is_number("12.5%"));
	CHECK(t, gb_is_number("\u22123,75"));
	CHECK(t, gb_is_number("2024-01-15"));
	CHECK(t, gb_is_number("$1,200"));
	CHECK(t, gb_is_number("\u20b8 1\u00a0200"));
	CHECK(t, gb_is_number("(3.5)"));
	CHECK(t, !gb_is_number("April 2022"));
	CHECK(t, !gb_is_number("\u2014"));
	CHECK(t, !gb_is_number(""));
	CHECK(t, !gb_is_number("G20"));
	CHECK(t, gb_decimal_anchor("12.5%", "en") == 2);
	CHECK(t, gb_decimal_anchor("12%", "en") == 2);
	CHECK(t, gb_decimal_anchor("1,200.75", "en-GB") == 5);
	CHECK(t, gb_decimal_anchor("3,75", "ru") == 1);
	CHECK(t, gb_decimal_anchor("3.75", "kk") == 4);
	CHECK(t, gb_decimal_anchor("\u2014", "en") == -1);
}

static void test_linecol(test_state *t)
{
	const char text[] = "ab\nçé\xffx\n\nlast";
	gb_file *f = gb_file_new("t.md", text, sizeof text - 1);
	int line = 0, col = 0;
	CHECK(t, f->nlines == 4);
	CHECK(t, gb_file_linecol(gb_loc_at(f, 0), &line, &col) && line == 1 && col == 1);
	CHECK(t, gb_file_linecol(gb_loc_at(f, 1), &line, &col) && line == 1 && col == 2);
	/* "çé" are 2 bytes each: the invalid byte 0xff is column 3 */
	CHECK(t, gb_file_linecol(gb_loc_at(f, 7), &line, &col) && line == 2 && col == 3);
	CHECK(t, gb_file_linecol(gb_loc_at(f, 8), &line, &col) && line == 2 && col == 4);
	CHECK(t, gb_file_linecol(gb_loc_at(f, 11), &line, &col) && line == 4 && col == 1);
	CHECK(t, !gb_file_linecol(gb_loc_at(f, GB_NOPOS), &line, &col));
	CHECK(t, gb_file_offset(f, 2, 3) == 5);
	CHECK(t, gb_file_offset(f, 99, 1) == f->len);
	gb_file_free(f);
}

static void test_appendix_labels(test_state *t)
{
	struct { int n; const char *lang, *want; } cases[] = {
		{ 1, "en", "Appendix A" }, { 26, "en-GB", "Appendix Z" },
		{ 27, "en", "Appendix AA" }, { 28, "en", "Appendix AB" },
		{ 1, "kk", "Қосымша А" }, { 2, "kk", "Қосымша Ә" },
		{ 13, "kk", "Қосымша Л" }, { 32, "kk", "Қосымша Я" },
		{ 33, "kk", "Қосымша АА" },
		{ 1, "ru", "Приложение А" }, { 2, "ru-RU", "Приложение Б" },
		{ 7, "ru", "Приложение Ж" }, { 8, "ru", "Приложение И" },
		{ 9, "ru", "Приложение К" }, { 13, "ru", "Приложение П" },
		{ 20, "ru", "Приложение Ц" }, { 21, "ru", "Приложение Ш" },
		{ 25, "ru", "Приложение Я" }, { 26, "ru", "Приложение АА" },
		{ 27, "ru", "Приложение АБ" }, { 8, "uk", "Додаток И" },
		{ 3, "xx", "Appendix C" }, { 1, NULL, "Appendix A" },
		{ 2, "fr", "Annexe B" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = gb_appendix_label(cases[i].n, cases[i].lang);
		CHECK_STR(t, s, cases[i].want);
		g_free(s);
	}
}

static gb_node *text_node(const char *s)
{
	gb_node *n = gb_node_new(GB_NODE_TEXT, (gb_loc){ NULL, GB_NOPOS });
	n->text = g_strdup(s);
	return n;
}

static void test_tree_links(test_state *t)
{
	gb_loc none = { NULL, GB_NOPOS };
	gb_node *p = gb_node_new(GB_NODE_PARAGRAPH, none);
	gb_node *a = text_node("one "), *b = text_node("two "), *c = text_node("three");
	gb_node_append(p, a);
	gb_node_append(p, c);
	gb_node_insert_before(c, b);
	CHECK(t, p->first == a && a->next == b && b->next == c && p->last == c);
	CHECK(t, c->prev == b && b->prev == a && !a->prev);
	GString *s = g_string_new(NULL);
	gb_node_plain_text(p, s);
	CHECK_STR(t, s->str, "one two three");
	CHECK(t, gb_node_word_count(p) == 3);
	gb_node_unlink(b);
	CHECK(t, a->next == c && c->prev == a && !b->parent);
	gb_node_free(b);
	gb_node_unlink(a);
	gb_node_free(a);
	CHECK(t, p->first == c && p->last == c && !c->prev);
	gb_node_free(p);
	g_string_free(s, TRUE);
}

static void test_tree_check(test_state *t)
{
	gb_loc none = { NULL, GB_NOPOS };
	gb_book *book = gb_book_new("x");
	gb_file *f = gb_file_new("x/a.md", "# A\n", 4);
	gb_book_add_file(book, f);
	gb_node *part = gb_node_new(GB_NODE_PART, gb_loc_at(f, 0));
	part->file = f;
	gb_node_append(book->root, part);
	gb_node *h = gb_node_new(GB_NODE_HEADING, gb_loc_at(f, 0));
	h->level = 1;
	gb_node_append(part, h);
	gb_node_append(h, text_node("A"));
	char *why = gb_tree_check(book->root, false);
	CHECK(t, why == NULL);
	g_free(why);
	/* resolved trees need ids */
	why = gb_tree_check(book->root, true);
	CHECK(t, why && strstr(why, "no id"));
	g_free(why);
	/* an inline directly in a part is not allowed */
	gb_node_append(part, text_node("stray"));
	why = gb_tree_check(book->root, false);
	CHECK(t, why && strstr(why, "not allowed"));
	g_free(why);
	gb_node_free(part->last);
	/* a broken sibling link is found */
	gb_node *p2 = gb_node_new(GB_NODE_PARAGRAPH, none);
	gb_node_append(part, p2);
	p2->prev = NULL;
	why = gb_tree_check(book->root, false);
	CHECK(t, why != NULL);
	g_free(why);
	p2->prev = h;
	gb_book_free(book);
}

static void test_deep_tree(test_state *t)
{
	/* freeing and walking a very deep tree must not use the C stack */
	gb_loc none = { NULL, GB_NOPOS };
	gb_node *root = gb_node_new(GB_NODE_BLOCKQUOTE, none);
	gb_node *cur = root;
	for (int i = 0; i < 200000; i++) {
		gb_node *q = gb_node_new(GB_NODE_BLOCKQUOTE, none);
		gb_node_append(cur, q);
		cur = q;
	}
	gb_node *para = gb_node_new(GB_NODE_PARAGRAPH, none);
	gb_node_append(cur, para);
	gb_node_append(para, text_node("deep words here"));
	CHECK(t, gb_node_word_count(root) == 3);
	gb_node_free(root);
}

/* Parses a one-part book held in memory; the caller frees the book. */
static gb_book *parse_text(const char *md, gb_diag *d)
{
	gb_book *book = gb_book_new(".");
	book->meta.lang = g_strdup("en");
	gb_file *f = gb_file_new("t.md", md, strlen(md));
	gb_book_add_file(book, f);
	gb_part_src src = { (char *)"t.md", NULL, GB_PART_CHAPTER, NULL, gb_loc_at(f, 0), NULL };
	size_t elements = 0;
	gb_node_append(book->root, gb_parse_part(book, &src, f, &elements, d));
	gb_resolve(book, d);
	return book;
}

static char *diag_text(const char *md, int *errors)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *d = gb_diag_new("gsi-book", mem);
	gb_book *book = parse_text(md, d);
	gb_diag_flush(d);
	*errors = gb_diag_errors(d);
	gb_diag_free(d);
	gb_book_free(book);
	fclose(mem);
	return buf;
}

static void test_parse_footnotes(test_state *t)
{
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	gb_book *book = parse_text("# T\n\nA[^b] and B[^a] and A again[^b].\n\n"
				   "[^a]: Note a.\n[^b]: Note b.\n", d);
	CHECK(t, gb_diag_errors(d) == 0);
	gb_node *part = book->root->first;
	gb_node *fa = NULL, *fb = NULL;
	for (gb_node *n = part->first; n; n = n->next)
		if (n->kind == GB_NODE_FOOTNOTE) {
			if (n->text && !strcmp(n->text, "a"))
				fa = n;
			else if (n->text && !strcmp(n->text, "b"))
				fb = n;
		}
	/* numbered in order of first reference: b is 1, a is 2 */
	CHECK(t, fb && fa && fb->number == 1 && fa->number == 2);
	CHECK(t, fb && fb->refs == 2 && fa && fa->refs == 1);
	CHECK(t, fb && !strcmp(fb->id, "fn-1"));
	char *why = gb_tree_check(book->root, true);
	CHECK(t, why == NULL);
	g_free(why);
	gb_book_free(book);
	gb_diag_free(d);
}

static void test_parse_diagnostics(test_state *t)
{
	int errors = 0;
	char *out = diag_text("# T\n\nSee[^x] and \\[^y] here.\n\n[^z]: never used.\n", &errors);
	CHECK(t, errors == 2);
	CHECK(t, strstr(out, "t.md:3:4: error: footnote [^x] is never defined") != NULL);
	CHECK(t, strstr(out, "[^y]") == NULL);  /* escaped: not a reference */
	CHECK(t, strstr(out, "t.md:5:1: error: footnote [^z] is defined but never referenced") != NULL);
	free(out);

	/* HTML a book cannot hold, at its tag (its closing tag is not
	   reported again); a comment is left out */
	out = diag_text("# T\n\n### Deep\n\n<table>x</table>\n\nok <!-- fine --> <font>no</font>\n", &errors);
	CHECK(t, errors == 3);
	CHECK(t, strstr(out, "t.md:3:1: error: heading level 3 skips level 2") != NULL);
	CHECK(t, strstr(out, "t.md:5:1: error: raw HTML '<table>' is not allowed: write a GitHub table") != NULL);
	CHECK(t, strstr(out, "t.md:7:18: error: raw HTML '<font>'") != NULL);
	CHECK(t, strstr(out, "</font>") == NULL);
	CHECK(t, strstr(out, "fine") == NULL);
	free(out);
}

static void test_parse_structure(test_state *t)
{
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	gb_book *book = parse_text("Intro.\n\n# Title\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n"
				   "Table: The *caption*\n", d);
	gb_node *part = book->root->first;
	CHECK(t, part->first && part->first->kind == GB_NODE_STANDFIRST);
	CHECK(t, part->target && part->target->kind == GB_NODE_HEADING);
	gb_node *table = part->target ? part->target->next : NULL;
	CHECK(t, table && table->kind == GB_NODE_TABLE && !table->next);
	gb_node *cap = table ? table->first : NULL;
	CHECK(t, cap && cap->kind == GB_NODE_CAPTION);
	if (cap) {
		GString *s = g_string_new(NULL);
		gb_node_plain_text(cap, s);
		CHECK_STR(t, s->str, "The caption");
		g_string_free(s, TRUE);
	}
	gb_node *row = cap ? cap->next : NULL;
	CHECK(t, row && row->header && row->first->align == GB_ALIGN_LEFT &&
		 row->last->align == GB_ALIGN_RIGHT);
	CHECK(t, gb_diag_errors(d) == 0 && gb_diag_warnings(d) == 0);
	gb_book_free(book);
	gb_diag_free(d);
}

static void test_diag_order(test_state *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *d = gb_diag_new("gsi-book", mem);
	gb_file *a = gb_file_new("a.md", "x\ny\nz\n", 6);
	gb_file *b = gb_file_new("b.md", "x\n", 2);
	a->index = 0;
	b->index = 1;
	gb_error(d, gb_loc_at(b, 0), "in b");
	gb_warning(d, gb_loc_at(a, 4), "late in a");
	gb_note(d, gb_loc_at(a, 0), "note of late");
	gb_error(d, gb_loc_at(a, 2), "early in a");
	gb_error(d, gb_noloc(), "no place");
	gb_diag_flush(d);
	int errors = gb_diag_errors(d), warnings = gb_diag_warnings(d);
	gb_diag_free(d);
	fclose(mem);
	CHECK_STR(t, buf,
		  "gsi-book: error: no place\n"
		  "gsi-book: a.md:2:1: error: early in a\n"
		  "gsi-book: a.md:3:1: warning: late in a\n"
		  "gsi-book: a.md:1:1: note: note of late\n"
		  "gsi-book: b.md:1:1: error: in b\n");
	CHECK(t, errors == 3 && warnings == 1);
	gb_file_free(a);
	gb_file_free(b);
	free(buf);
}

/* Messages reported apart (a part set on a worker) and replayed into the
   run's: as if reported there in their order, a warning the run has said
   already at the same place dropped with its notes (gb_diag_replay). */
static void test_diag_replay(test_state *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *d = gb_diag_new("gsi-book", mem);
	gb_diag *w1 = gb_diag_new("gsi-book", mem), *w2 = gb_diag_new("gsi-book", mem);
	gb_file *a = gb_file_new("a.md", "x\ny\nz\n", 6);
	a->index = 0;
	gb_warning(d, gb_loc_at(a, 0), "said before");
	gb_warning(w1, gb_loc_at(a, 0), "said before");
	gb_note(w1, gb_loc_at(a, 0), "its note, dropped with it");
	gb_warning(w1, gb_noloc(), "first apart");
	gb_warning(w2, gb_noloc(), "second apart");
	gb_warning(w2, gb_loc_at(a, 2), "in both");
	gb_note(w2, gb_noloc(), "note of the second in both, dropped with it");
	gb_warning(w1, gb_loc_at(a, 2), "in both");
	gb_note(w1, gb_noloc(), "note of the first in both");
	gb_error(w2, gb_noloc(), "an error apart");
	gb_diag_replay(d, w1);
	gb_diag_replay(d, w2);
	CHECK(t, gb_diag_errors(w2) == 0 && gb_diag_warnings(w1) == 0);
	gb_diag_free(w1);
	gb_diag_free(w2);
	int errors = gb_diag_errors(d), warnings = gb_diag_warnings(d);
	gb_diag_free(d);
	fclose(mem);
	CHECK_STR(t, buf,
		  "gsi-book: warning: first apart\n"
		  "gsi-book: warning: second apart\n"
		  "gsi-book: error: an error apart\n"
		  "gsi-book: a.md:1:1: warning: said before\n"
		  "gsi-book: a.md:2:1: warning: in both\n"
		  "gsi-book: note: note of the first in both\n");
	CHECK(t, errors == 1 && warnings == 4);
	gb_file_free(a);
	free(buf);
}

static void test_utf8_check(test_state *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *d = gb_diag_new("gsi-book", mem);
	const char text[] = "ok\né\xff\xfe!\n\xc3";
	gb_file *f = gb_file_new("u.md", text, sizeof text - 1);
	CHECK(t, gb_file_check_utf8(f, d) == 3);
	CHECK(t, g_utf8_validate(f->data, (gssize)f->len, NULL));
	CHECK(t, f->len == sizeof text - 1);
	gb_diag_free(d);
	fclose(mem);
	CHECK(t, strstr(buf, "u.md:2:2: error: invalid UTF-8 byte 0xFF") != NULL);
	CHECK(t, strstr(buf, "u.md:2:3: error: invalid UTF-8 byte 0xFE") != NULL);
	CHECK(t, strstr(buf, "u.md:3:1: error: invalid UTF-8 byte 0xC3") != NULL);
	gb_file_free(f);
	free(buf);
}

/* A PNG of w x h grey pixels, chunk by chunk, with right checksums. */
static GByteArray *make_png(guint32 w, guint32 h)
{
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (const guint8 *)"\x89PNG\r\n\x1a\n", 8);
	guint8 ihdr[13] = { (guint8)(w >> 24), (guint8)(w >> 16), (guint8)(w >> 8), (guint8)w,
			    (guint8)(h >> 24), (guint8)(h >> 16), (guint8)(h >> 8), (guint8)h,
			    8, 0, 0, 0, 0 };
	guint8 idat[] = { 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 };
	const struct { const char *type; const guint8 *data; guint32 n; } chunks[] = {
		{ "IHDR", ihdr, 13 }, { "IDAT", idat, sizeof idat }, { "IEND", NULL, 0 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(chunks); i++) {
		guint32 n = chunks[i].n;
		guint8 len[4] = { (guint8)(n >> 24), (guint8)(n >> 16), (guint8)(n >> 8), (guint8)n };
		g_byte_array_append(b, len, 4);
		guint at = b->len;
		g_byte_array_append(b, (const guint8 *)chunks[i].type, 4);
		if (n)
			g_byte_array_append(b, chunks[i].data, n);
		guint32 crc = (guint32)crc32(0L, b->data + at, n + 4);
		guint8 c[4] = { (guint8)(crc >> 24), (guint8)(crc >> 16), (guint8)(crc >> 8), (guint8)crc };
		g_byte_array_append(b, c, 4);
	}
	return b;
}

/* Whether gb_image_check() says data is fine (want NULL) or says want. */
static bool image_says(const void *data, size_t len, const char *type, const char *want)
{
	char *why = NULL;
	bool ok = gb_image_check(data, len, type, &why);
	bool right = want ? !ok && why && strstr(why, want) : ok && !why;
	if (!right)
		fprintf(stderr, "image check: %s\n", why ? why : "fine");
	g_free(why);
	return right;
}

static void test_image_check(test_state *t)
{
	GByteArray *png = make_png(3, 2);
	CHECK(t, image_says(png->data, png->len, "image/png", NULL));
	CHECK(t, image_says(png->data, png->len - 5, "image/png", "cut short"));
	CHECK(t, image_says(png->data, 20, "image/png", "cut short"));
	png->data[30] ^= 1;   /* in IHDR */
	CHECK(t, image_says(png->data, png->len, "image/png", "fails its checksum"));
	g_byte_array_free(png, TRUE);
	png = make_png(100000, 4);
	CHECK(t, image_says(png->data, png->len, "image/png", "100000 x 4 pixels"));
	g_byte_array_free(png, TRUE);
	png = make_png(6000, 6000);  /* each side fine, but 36 million */
	CHECK(t, image_says(png->data, png->len, "image/png", "6000 x 6000 pixels"));
	g_byte_array_free(png, TRUE);

	/* JPEG: SOI, a baseline frame of 40 x 30, a scan, EOI */
	static const guint8 jpeg[] = {
		0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 30, 0x00, 40, 0x01,
		0x01, 0x11, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f,
		0x00, 0x12, 0x34, 0xff, 0xd9,
	};
	CHECK(t, image_says(jpeg, sizeof jpeg, "image/jpeg", NULL));
	CHECK(t, image_says(jpeg, sizeof jpeg - 2, "image/jpeg", "no end-of-image marker"));
	CHECK(t, image_says(jpeg, 10, "image/jpeg", "cut short"));
	CHECK(t, image_says(jpeg, sizeof jpeg, "image/png", "is a JPEG image, but its name says PNG"));

	static const guint8 gif[] = "GIF89a\x05\x00\x07\x00\x80\x00\x00\x00\x00\x00;";
	CHECK(t, image_says(gif, sizeof gif - 1, "image/gif", NULL));
	CHECK(t, image_says(gif, sizeof gif - 2, "image/gif", "no trailer"));

	const char *svg = "<?xml version=\"1.0\"?>\n<!-- a dot -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	CHECK(t, image_says(svg, strlen(svg), "image/svg+xml", NULL));
	CHECK(t, image_says("<html></html>", 13, "image/svg+xml", "does not start with <svg>"));
	CHECK(t, image_says("text", 4, "image/png", "is not a PNG image"));
	CHECK(t, image_says("", 0, "image/jpeg", "is empty"));
}

static void test_booklet(test_state *t)
{
	int *order = NULL;
	int sides = gb_booklet_order(10, &order);
	/* 10 pages pad to 12: 3 sheets, 6 sides; first sheet 12|1 and 2|11 */
	static const int want[12] = { 12, 1, 2, 11, 10, 3, 4, 9, 8, 5, 6, 7 };
	CHECK(t, sides == 6);
	for (int i = 0; i < 12 && sides == 6; i++)
		if (order[i] != want[i])
			g_string_append_printf(t->why, "slot %d is page %d, not %d; ", i, order[i], want[i]);
	g_free(order);
	sides = gb_booklet_order(4, &order);
	CHECK(t, sides == 2 && order[0] == 4 && order[1] == 1 && order[2] == 2 && order[3] == 3);
	g_free(order);
}

/*
 * Each language's dictionary breaks words where the language allows (each
 * expected break checked by hand), whatever the dictionary's charset:
 * hyph_ru_RU.dic is KOI8-R, hyph_de_DE.dic and hyph_pt_PT.dic ISO8859-1,
 * hyph_pl_PL.dic ISO8859-2, the others UTF-8.  A word with a character its
 * dictionary's charset lacks is not hyphenated; a language without a
 * dictionary (Kazakh) has none.
 */
static void test_hyphenate(test_state *t)
{
	static const struct {
		const char *lang, *word, *want;
	} cases[] = {
		{ "en", "hyphenation", "hy-phen-ation" },
		{ "en", "typography", "ty-pog-ra-phy" },
		{ "en", "programming", "pro-gram-ming" },
		{ "en-GB", "hyphenation", "hy-phen-a-tion" },
		{ "en-GB", "typography", "ty-po-graphy" },
		{ "ru", "программирования", "программи-ро-ва-ния" },
		{ "ru", "разработчика", "раз-ра-бот-чика" },
		{ "ru", "обеспечение", "обес-пе-че-ние" },
		{ "ru", "университет", "уни-вер-си-тет" },
		{ "ru", "Инструментов", "Инструмен-тов" },
		{ "ru", "ёлочный", "ёлоч-ный" },
		{ "ru", "Қазақстанский", "Қазақстанский" },
		{ "de", "Silbentrennung", "Sil-ben-tren-nung" },
		{ "de", "Wörterbuch", "Wör-ter-buch" },
		{ "de", "Übersetzung", "Über-set-zung" },
		{ "de", "Bücherregal", "Bü-cher-re-gal" },
		{ "de", "Erdőszámítás", "Erdőszámítás" },
		{ "fr", "électricité", "élec-tri-cité" },
		{ "fr", "développement", "dé-ve-lop-pe-ment" },
		{ "fr", "ordinateur", "or-di-na-teur" },
		{ "fr", "bibliothèque", "bi-blio-thèque" },
		{ "es", "programación", "pro-gra-ma-ción" },
		{ "es", "electricidad", "elec-tri-ci-dad" },
		{ "es", "desarrollo", "de-sa-rro-llo" },
		{ "es", "independencia", "in-de-pen-den-cia" },
		{ "it", "programmazione", "pro-gram-ma-zione" },
		{ "it", "elettricità", "elet-tri-cità" },
		{ "it", "indipendenza", "in-di-pen-denza" },
		{ "it", "bicicletta", "bi-ci-cletta" },
		{ "pt", "programação", "pro-gra-ma-ção" },
		{ "pt", "desenvolvimento", "de-sen-vol-vi-mento" },
		{ "pt", "português", "por-tu-guês" },
		{ "pl", "programowanie", "pro-gra-mo-wa-nie" },
		{ "pl", "rozwiązanie", "roz-wią-za-nie" },
		{ "pl", "niepodległość", "nie-pod-le-głość" },
		{ "pl", "uniwersytet", "uni-wer-sy-tet" },
		{ "uk", "розробник", "роз-робник" },
		{ "uk", "університет", "уні-верси-тет" },
		{ "uk", "бібліотека", "бібліо-тека" },
		{ "uk", "література", "лі-те-ратура" },
	};
	gb_hyphenator *h = gb_hyphenator_new();
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = gb_hyphenate(h, cases[i].lang, cases[i].word, 2, 3);
		CHECK_STR(t, got, cases[i].want);
		g_free(got);
	}
	CHECK(t, gb_hyphenate(h, "kk", "бағдарламалау", 2, 3) == NULL);
	gb_hyphenator_free(h);
}

/* The letters kept before and after a hyphen, by language: TeX's
   (hyph-utf8's) table, the style's lines over it, the floors under it. */
static void test_hyphen_mins(test_state *t)
{
	static const struct { const char *lang; int left, right; } cases[] = {
		{ "en", 2, 3 }, { "en-GB", 2, 3 }, { "pt-PT", 2, 3 }, { "ru", 2, 2 },
		{ "de-CH", 2, 2 }, { "fr", 2, 2 }, { "kk", 2, 2 }, { "uk", 2, 2 },
		{ "xx", 2, 3 }, { NULL, 2, 3 },
	};
	gb_break_params bp = { .left_min = 1, .right_min = 1 };
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		int l = 0, r = 0;
		gb_hyphen_mins(&bp, cases[i].lang, &l, &r);
		CHECK(t, l == cases[i].left && r == cases[i].right);
	}
	/* the style's lines: for the tag, else for its language */
	bp.hyphen_mins = "ru 3 4\nen-GB 2 2";
	int l = 0, r = 0;
	gb_hyphen_mins(&bp, "ru-RU", &l, &r);
	CHECK(t, l == 3 && r == 4);
	gb_hyphen_mins(&bp, "en-GB", &l, &r);
	CHECK(t, l == 2 && r == 2);
	gb_hyphen_mins(&bp, "en-US", &l, &r);
	CHECK(t, l == 2 && r == 3);
	/* never fewer than the floors */
	bp.left_min = 3;
	bp.right_min = 3;
	gb_hyphen_mins(&bp, "en-GB", &l, &r);
	CHECK(t, l == 3 && r == 3);
	/* Russian keeps two letters after a hyphen: "пере-нос-ка" breaks
	   before "ка", which English's 3 would forbid */
	gb_hyphenator *h = gb_hyphenator_new();
	bp.left_min = bp.right_min = 1;
	bp.hyphen_mins = NULL;
	gb_hyphen_mins(&bp, "ru", &l, &r);
	char *got = gb_hyphenate(h, "ru", "переноска", l, r);
	CHECK(t, got && g_str_has_suffix(got, "-ка"));
	g_free(got);
	got = gb_hyphenate(h, "ru", "переноска", 2, 3);
	CHECK(t, got && !g_str_has_suffix(got, "-ка"));
	g_free(got);
	CHECK(t, gb_lang_capitalises_nouns("de-AT") && !gb_lang_capitalises_nouns("en") &&
	      !gb_lang_capitalises_nouns(NULL));
	gb_hyphenator_free(h);
}

/* The width of the spaces of a line's glyphs, points, and their number. */
static double space_widths(const gb_line *ln, int *n)
{
	double w = 0;
	*n = 0;
	for (guint r = 0; r < ln->glyphs->runs->len; r++) {
		const PangoGlyphItem *gi = ln->glyphs->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++)
			if (ln->glyphs->text[gi->item->offset + gi->glyphs->log_clusters[k]] == ' ') {
				w += gi->glyphs->glyphs[k].geometry.width / (double)PANGO_SCALE;
				(*n)++;
			}
	}
	return w;
}

/*
 * Justified paragraphs, total-fit and Pango's first-fit alike: a line that
 * ends at a forced line break is set at its natural width (its letters
 * and spaces as shaped), no line is wider than the measure, and no space
 * narrower than the shrink limit allows; inline code (literal) is broken
 * at its natural points, never hyphenated.
 */
static void test_break_lines(test_state *t)
{
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(fm);
	PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans 10");
	gb_break_params bp = { .tolerance = 2, .pretolerance = 1, .emergency = 10,
			       .line_penalty = 10, .hyphen_penalty = 50,
			       .double_hyphen_demerits = 3000, .fitness_demerits = 3000,
			       .last_line_demerits = 5000, .min_last_line = 0.12,
			       .stretch = 0.5, .shrink = 0.333, .max_hyphen_run = 2,
			       .left_min = 2, .right_min = 3 };
	gb_hyphenator *h = gb_hyphenator_new();
	const char *text = "The default value of the option is set as follows, and it is\u2028"
			   "false]\u2028and then the next line goes on and on for a while, "
			   "with https://example.com/a/very/long/path/to/some/documentation/"
			   "page_with_underscores_and_more.html in it, to fill out the measure.";
	/* the address is literal, as the typesetter marks it */
	guint len = (guint)strlen(text);
	guint8 *lit = g_new0(guint8, len + 1);
	const char *url = strstr(text, "https://");
	memset(lit + (url - text), 1, strcspn(url, " "));
	for (int pass = 0; pass < 2; pass++) {
		gb_para_spec spec = { .text = text, .font = fd, .measure = 200, .justify = true,
				      .align = PANGO_ALIGN_LEFT, .lang = "en", .hyph = h,
				      .params = &bp, .first_fit = pass == 1, .literal = lit };
		GArray *lines = gb_break_paragraph(pc, &spec, NULL);
		bool found = false;
		for (guint i = 0; i < lines->len; i++) {
			const gb_line *ln = &g_array_index(lines, gb_line, i);
			char *s = g_strndup(text + ln->start, ln->end - ln->start);
			CHECK(t, ln->x + ln->width <= 200 + 0.1);
			CHECK(t, ln->over == 0);
			if (g_str_has_prefix(s, "false]")) {
				/* its natural width: the word shaped alone */
				gb_glyphs *g = gb_shape_text(pc, "false]", NULL, fd);
				/* (Pango's layout rounds its positions) */
				CHECK(t, fabs(ln->width - gb_glyphs_width(g)) < 0.5);
				gb_glyphs_unref(g);
				found = true;
			}
			if (g_str_has_suffix(s, "it is\u2028")) {
				/* its spaces as shaped */
				int n;
				double w = space_widths(ln, &n);
				gb_glyphs *g = gb_shape_text(pc, " ", NULL, fd);
				CHECK(t, n > 0 && fabs(w - n * gb_glyphs_width(g)) < 0.5);
				gb_glyphs_unref(g);
			}
			/* the address breaks after '/', '.', '_', never with a
			   hyphen */
			if (ln->end > (guint)(url - text) && ln->end < (guint)(url - text) + 80 &&
			    text[ln->end] != ' ') {
				CHECK(t, !ln->hyphenated);
				CHECK(t, strchr("/._", text[ln->end - 1]) != NULL);
			}
			g_free(s);
		}
		CHECK(t, found);
		gb_lines_free(lines);
	}
	g_free(lit);
	gb_hyphenator_free(h);
	pango_font_description_free(fd);
	g_object_unref(pc);
	g_object_unref(fm);
}

/*
 * Chinese and Japanese break between characters where UAX #14 allows
 * (gb_cjk_breaks: '|' marks each break): never before a closing mark, a
 * small kana, a prolonged sound mark or an ellipsis, never after an
 * opening mark, never inside a Latin word or a number; text without
 * Chinese or Japanese (Latin, Cyrillic, curly quotes, Hangul, emoji) has
 * none.  A justified paragraph of Chinese fills each line but its last
 * to the measure, and no line starts with a closing mark.
 */
static void test_cjk_breaks(test_state *t)
{
	static const char *const cases[] = {
		"中|国|的|安|全",
		"倡|议|（GSI）|是|于|2022|年",
		"ちょっ|と|キャッ|シュ|の|アー。|「共|通」|ボ|ア|オ・|ア|ジ|ア",
		"そ|れ|は……|違|う",
		"全|球，|安|全。|GSI|和|gsi-book|是",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GString *text = g_string_new(NULL);
		for (const char *p = cases[i]; *p; p++)
			if (*p != '|')
				g_string_append_c(text, *p);
		guint8 *b = gb_cjk_breaks(text->str, (guint)text->len, "zh");
		GString *got = g_string_new(NULL);
		for (gsize k = 0; k < text->len; k++) {
			if (b && b[k])
				g_string_append_c(got, '|');
			g_string_append_c(got, text->str[k]);
		}
		CHECK_STR(t, got->str, cases[i]);
		g_free(b);
		g_string_free(got, TRUE);
		g_string_free(text, TRUE);
	}
	static const char *const none[] = {
		"The “quoted” word — and a dash", "Перенос слов, «кавычки»",
		"한국어 문장입니다", "good 👍 emoji", "",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(none); i++)
		CHECK(t, gb_cjk_breaks(none[i], (guint)strlen(none[i]), "en") == NULL);

	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(fm);
	PangoFontDescription *fd = pango_font_description_from_string("Noto Serif CJK SC 10");
	gb_break_params bp = { .tolerance = 2, .pretolerance = 1, .emergency = 10,
			       .line_penalty = 10, .hyphen_penalty = 50,
			       .double_hyphen_demerits = 3000, .fitness_demerits = 3000,
			       .last_line_demerits = 5000, .min_last_line = 0.12,
			       .stretch = 0.5, .shrink = 0.333, .max_hyphen_run = 2,
			       .left_min = 2, .right_min = 3 };
	const char *text = "全球安全倡议（GSI）是中国国家主席习近平于2022年4月21日在博鳌亚洲论坛年会"
			   "开幕式上提出的。倡议主张坚持共同、综合、合作、可持续的安全观，坚持尊重各国"
			   "主权、领土完整，坚持遵守联合国宪章宗旨和原则，坚持重视各国合理安全关切。";
	/* a measure that is no whole number of characters */
	gb_para_spec spec = { .text = text, .font = fd, .measure = 123.4, .justify = true,
			      .align = PANGO_ALIGN_LEFT, .lang = "zh", .params = &bp };
	GArray *lines = gb_break_paragraph(pc, &spec, NULL);
	CHECK(t, lines->len >= 8);
	for (guint i = 0; i < lines->len; i++) {
		const gb_line *ln = &g_array_index(lines, gb_line, i);
		if (i + 1 < lines->len)
			CHECK(t, fabs(ln->x + ln->width - 123.4) < 0.01);
		CHECK(t, ln->width <= 123.4 + 0.01 && !ln->broken && !ln->hyphenated);
		CHECK(t, strncmp(text + ln->start, "。", 3) && strncmp(text + ln->start, "，", 3) &&
			 strncmp(text + ln->start, "、", 3) && strncmp(text + ln->start, "）", 3));
		if (i > 0)
			CHECK(t, ln->start == g_array_index(lines, gb_line, i - 1).end);
	}
	gb_lines_free(lines);
	pango_font_description_free(fd);
	g_object_unref(pc);
	g_object_unref(fm);
}

/* A hyphenation machine read back from its cached form hyphenates as the
   parsed one does; a damaged form is refused. */
static void test_hyph_cache(test_state *t)
{
	HyphenDict *d = hnj_hyphen_load("/usr/share/hyphen/hyph_en_US.dic");
	CHECK(t, d != NULL);
	if (!d)
		return;
	GByteArray *a = gb_hyph_dict_save(d);
	GBytes *ab = g_bytes_new(a->data, a->len);
	HyphenDict *r = gb_hyph_dict_read(ab);
	CHECK(t, r != NULL);
	if (r) {
		GByteArray *b = gb_hyph_dict_save(r);
		CHECK(t, b->len == a->len && !memcmp(a->data, b->data, a->len));
		g_byte_array_free(b, TRUE);
		static const char *words[] = { "international", "hyphenation", "security",
					       "co-operation", "people\u2019s", "safeguarding" };
		for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
			int n = (int)strlen(words[i]);
			char h1[64] = { 0 }, h2[64] = { 0 };
			char **rep = NULL;
			int *pos = NULL, *cut = NULL;
			hnj_hyphen_hyphenate2(d, words[i], n, h1, NULL, &rep, &pos, &cut);
			hnj_hyphen_hyphenate2(r, words[i], n, h2, NULL, &rep, &pos, &cut);
			CHECK(t, !memcmp(h1, h2, (size_t)n));
		}
		hnj_hyphen_free(r);
	}
	/* damaged: a byte changed, cut short, another format */
	guint8 *c = g_memdup2(a->data, a->len);
	c[a->len / 2] ^= 0x55;
	GBytes *cb = g_bytes_new_take(c, a->len);
	CHECK(t, gb_hyph_dict_read(cb) == NULL);
	GBytes *shortb = g_bytes_new(a->data, a->len - 10);
	CHECK(t, gb_hyph_dict_read(shortb) == NULL);
	GBytes *other = g_bytes_new_static("gsi-book hyphenation machine 0", 31);
	CHECK(t, gb_hyph_dict_read(other) == NULL);
	g_bytes_unref(cb);
	g_bytes_unref(shortb);
	g_bytes_unref(other);
	g_bytes_unref(ab);
	g_byte_array_free(a, TRUE);
	hnj_hyphen_free(d);
}


/*
 * A small PDF as cairo writes one: objects 1 to 8, of which 4 is listed
 * but never written (a dangling entry) and 8 is referred to by nothing.
 */
static GByteArray *small_pdf(void)
{
	static const char *const objs[] = {
		"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
		"<< /Type /Catalog\n   /Pages 1 0 R\n>>",
		"<< /Type /Page\n   /Parent 1 0 R\n   /MediaBox [ 0 0 100 100 ]\n   /Contents 5 0 R\n>>",
		NULL,
		"<< /Length 6 0 R >>\nstream\nq Q\nendstream",
		"   3",
		"<< /Producer (cairo) >>",
		"<< /Unused true >>",
	};
	GByteArray *o = g_byte_array_new();
	guint offs[9] = { 0 };
	GString *s = g_string_new("%PDF-1.5\n%\xb5\xed\xae\xfb\n");
	for (int i = 1; i <= 8; i++) {
		if (!objs[i - 1])
			continue;
		offs[i] = (guint)s->len;
		g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i, objs[i - 1]);
	}
	gsize xref = s->len;
	g_string_append(s, "xref\n0 9\n0000000000 65535 f \n");
	for (int i = 1; i <= 8; i++)
		g_string_append_printf(s, "%010u 00000 n \n", offs[i]);
	g_string_append_printf(s, "trailer\n<< /Size 9\n   /Root 2 0 R\n   /Info 7 0 R\n>>\n"
			       "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
	g_byte_array_append(o, (const guint8 *)s->str, (guint)s->len);
	g_string_free(s, TRUE);
	return o;
}

/* Whether the bytes of b hold text. */
static bool holds(GBytes *b, const char *text)
{
	gsize n;
	const char *p = g_bytes_get_data(b, &n);
	return g_strstr_len(p, (gssize)n, text) != NULL;
}

/*
 * The finished PDF: the page changed through libqpdf, the rest of cairo's
 * objects byte for byte, a new object linked from the catalog, the
 * dropped and dangling ones free; libqpdf reads it back without a
 * warning; the same input gives the same bytes; a file whose table
 * cannot be read is refused.
 */
static void test_pdf_copy(test_state *t)
{
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	GByteArray *raw = small_pdf();
	GBytes *out[2] = { NULL, NULL };
	for (int round = 0; round < 2; round++) {
		qpdf_data q = qpdf_init();
		qpdf_silence_errors(q);
		qpdf_read_memory(q, "small.pdf", (const char *)raw->data, raw->len, NULL);
		gb_pdf_copy *c = gb_pdf_copy_new(q, raw, d);
		CHECK(t, c != NULL);
		if (!c) {
			qpdf_cleanup(&q);
			break;
		}
		qpdf_oh page = qpdf_get_page_n(q, 0);
		qpdf_oh_replace_key(q, page, "/TrimBox", qpdf_oh_parse(q, "[ 1 2 99 98 ]"));
		gb_pdf_copy_touch(c, gb_pdf_copy_home(c, page, 0));
		gb_pdf_copy_drop(c, 8);
		int xmp = gb_pdf_copy_add(c, "<< /Type /Metadata /Subtype /XML >>", "<x/>", 4);
		CHECK(t, xmp == 9);
		gb_pdf_copy_link(c, 2, "/Metadata", xmp);
		out[round] = gb_pdf_copy_write(c, "1.7", 2, 7, d);
		CHECK(t, out[round] != NULL);
		gb_pdf_copy_free(c);
		qpdf_cleanup(&q);
	}
	CHECK(t, out[0] && out[1] && g_bytes_equal(out[0], out[1]));
	if (out[0]) {
		gsize n;
		const char *p = g_bytes_get_data(out[0], &n);
		CHECK(t, n > 9 && !memcmp(p, "%PDF-1.7\n", 9));
		CHECK(t, holds(out[0], "5 0 obj\n<< /Length 6 0 R >>\nstream\nq Q\nendstream\nendobj\n"));
		CHECK(t, holds(out[0], "/Info 7 0 R /ID [<"));
		CHECK(t, !holds(out[0], "/Unused"));

		qpdf_data q = qpdf_init();
		qpdf_silence_errors(q);
		qpdf_read_memory(q, "out.pdf", p, n, NULL);
		qpdf_oh page = qpdf_get_page_n(q, 0);
		CHECK_STR(t, qpdf_oh_unparse_resolved(q, qpdf_oh_get_key(q, page, "/TrimBox")),
			  "[ 1 2 99 98 ]");
		qpdf_oh meta = qpdf_oh_get_key(q, qpdf_get_root(q), "/Metadata");
		CHECK(t, qpdf_oh_is_stream(q, meta));
		CHECK(t, qpdf_oh_get_object_id(q, meta) == 9);
		for (int id = 4; id <= 8; id += 4)
			CHECK(t, qpdf_oh_is_null(q, qpdf_get_object_by_id(q, id, 0)));
		CHECK(t, !qpdf_has_error(q) && !qpdf_more_warnings(q));
		qpdf_cleanup(&q);
	}

	/* no table where startxref says: refused */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *quiet = gb_diag_new("gsi-book", mem);
	GByteArray *cut = g_byte_array_new();
	g_byte_array_append(cut, raw->data, raw->len / 2);
	g_byte_array_append(cut, (const guint8 *)"\nstartxref\n60\n%%EOF\n", 20);
	qpdf_data q = qpdf_init();
	CHECK(t, gb_pdf_copy_new(q, cut, quiet) == NULL);
	qpdf_cleanup(&q);
	gb_diag_flush(quiet);
	gb_diag_free(quiet);    /* it flushes mem: before mem is closed */
	fclose(mem);
	CHECK(t, buf && strstr(buf, "cross-reference table cannot be read"));
	free(buf);
	g_byte_array_free(cut, TRUE);

	for (int i = 0; i < 2; i++)
		if (out[i])
			g_bytes_unref(out[i]);
	g_byte_array_free(raw, TRUE);
	gb_diag_free(d);
}

static const struct {
	const char *name;
	void (*fn)(test_state *t);
} tests[] = {
	{ "slugify", test_slugify },
	{ "translit", test_translit },
	{ "href-escape", test_href_escape },
	{ "lang-tags", test_lang_tags },
	{ "dates", test_dates },
	{ "date-words", test_date_words },
	{ "licence", test_licence },
	{ "edit-distance", test_edit_distance },
	{ "identifier", test_identifier },
	{ "people", test_people },
	{ "caps-and-numbers", test_caps_and_numbers },
	{ "linecol", test_linecol },
	{ "appendix-labels", test_appendix_labels },
	{ "tree-links", test_tree_links },
	{ "tree-check", test_tree_check },
	{ "deep-tree", test_deep_tree },
	{ "parse-footnotes", test_parse_footnotes },
	{ "parse-diagnostics", test_parse_diagnostics },
	{ "parse-structure", test_parse_structure },
	{ "diag-order", test_diag_order },
	{ "diag-replay", test_diag_replay },
	{ "utf8-check", test_utf8_check },
	{ "image-check", test_image_check },
	{ "booklet-order", test_booklet },
	{ "hyphenation-cache", test_hyph_cache },
	{ "hyphenation-languages", test_hyphenate },
	{ "hyphenation-minimums", test_hyphen_mins },
	{ "break-lines", test_break_lines },
	{ "cjk-breaks", test_cjk_breaks },
	{ "itemize-plain", test_itemize_plain },
	{ "arena", test_arena },
	{ "parse-keep", test_parse_keep },
	{ "pdf-copy", test_pdf_copy },
	{ "pdf-artifacts", test_mark_artifacts },
	{ "pdf-gray-colours", test_gray_colours },
	{ "pdf-artifact-kinds", test_artifact_kinds },
	{ "quotes", test_quotes },
	{ "knuth-plass-total-fit", test_kp_total_fit },
	{ "knuth-plass-fitness", test_kp_fitness },
	{ "knuth-plass-hyphens", test_kp_hyphens },
	{ "knuth-plass-last-line", test_kp_last_line },
	{ "knuth-plass-forced", test_kp_forced },
	{ "knuth-plass-overfull", test_kp_overfull },
	{ "knuth-plass-ragged-fallback", test_kp_ragged_fallback },
	{ "knuth-plass-fallback-hyphen", test_kp_fallback_hyphen },
	{ "knuth-plass-ragged-run", test_kp_ragged_run },
	{ "microtype-expand-of", test_mt_expand_of },
	{ "microtype-kp-expansion", test_mt_kp_expansion },
	{ "microtype-kp-hang", test_mt_kp_hang },
	{ "attrs-read", test_attrs_read },
	{ "attrs-text", test_attrs_text },
	{ "safety-edges", test_safety_edges },
	{ "glyphs-pack", test_glyphs_pack },
	{ "pdf-freeing", test_pdf_freeing },
	{ "pdf-early", test_pdf_early },
	{ "pdf-raw-elements", test_pdf_raw_elements },
	{ "pdf-early-finish", test_pdf_early_finish },
	{ "parts-on-cores", test_parts_on_cores },
	{ "pdf-split", test_pdf_split },
	{ "pages-keeps", test_pages_keeps },
	{ "pages-widows", test_pages_widows },
	{ "pages-heading", test_pages_heading },
	{ "pages-note", test_pages_note },
	{ "pages-long-note", test_pages_long_note },
	{ "pages-broken-penalty", test_pages_broken_penalty },
	{ "pages-flush", test_pages_flush },
	{ "pages-grid", test_pages_grid },
	{ "pages-heading-grid", test_pages_heading_grid },
	{ "pages-float", test_pages_float },
	{ "image-size", test_image_size },
	{ "figure-label", test_figure_label },
	{ "index-collate", test_index_collate },
	{ "index-locators", test_index_locators },
	{ "subset-small-caps", test_subset_small_caps },
};

int main(void)
{
	int failed = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++) {
		test_state t = { g_string_new(NULL) };
		tests[i].fn(&t);
		if (t.why->len) {
			printf("not ok - %s: %s\n", tests[i].name, t.why->str);
			failed++;
		} else {
			printf("ok - %s\n", tests[i].name);
		}
		g_string_free(t.why, TRUE);
	}
	return failed ? 1 : 0;
}
