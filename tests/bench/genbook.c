/*
 * genbook.c - writes a synthetic book of about PAGES printed pages (A5)
 * into DIR, deterministic from SEED: chapters of sections, paragraphs of
 * varied length over a vocabulary of 6,000 words drawn as in real text,
 * lists, tables and footnotes.
 *
 *   genbook [--typst FILE] DIR PAGES SEED [NOTES]
 *
 * --typst FILE (make bench: tests/bench/typst.sh) writes the same book as
 * Typst markup into FILE too, one file for the whole book: the body only
 * ("= Chapter 1", lists, tables as figures with their caption, notes as
 * #footnote[...] where they are referenced), which tests/bench/book.typ
 * (the design matched to gsi-book's default) includes.  The Markdown is the
 * same bytes with or without it: the same random draws make both.
 *
 * NOTES (make stress: tests/stress/) adds a footnote to every NOTES-th
 * paragraph of text besides the few drawn at random, and begins every
 * note with "Note N." (N its number), so that a note is found in the
 * editions' text; 3 puts a note or more on every page.  Without it the
 * book is the same bytes as before the option.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

/* The words every text uses most, then made-up ones (vocab_init). */
static const char *const common[] = {
	"the", "of", "and", "to", "in", "a", "for", "with", "on", "as", "by",
	"is", "that", "its", "from", "between", "towards", "through", "all",
	"security", "cooperation", "development", "international", "global",
	"dialogue", "principles", "community", "initiative", "partnership",
	"countries", "stability", "peace", "shared", "commitment", "region",
	"future", "common", "comprehensive", "sustainable", "respect",
	"sovereignty", "integrity", "consultation", "challenges", "framework",
	"platforms", "mechanism", "governance", "multilateral", "responsible",
	"new", "long-term", "non-traditional", "well-being", "everyday",
	"understanding", "constructive", "consensus", "practical", "growing",
};

static const char *const syllables[] = {
	"pro", "con", "tion", "al", "de", "vel", "op", "ment", "na", "tur",
	"gov", "ern", "sec", "ur", "par", "tic", "ul", "ar", "re", "sta",
	"bil", "ity", "in", "ter", "com", "mun", "ca", "ble", "or", "ga",
	"ni", "za", "ex", "pe", "ri", "ence", "mo", "lo", "gy", "ver",
	"sal", "struc", "ture", "fi", "nan", "cial", "ma", "te", "ri", "ous",
};

#define VOCAB 6000

/*
 * A vocabulary as a book's: the common words, then made-up words of two
 * to four syllables; words are drawn with a Zipf-like skew (vocab_word),
 * so that they repeat as in real text - a few very often, most rarely.
 */
static char **vocab_init(GRand *r)
{
	char **v = g_new0(char *, VOCAB + 1);
	int n = 0;
	for (; n < (int)G_N_ELEMENTS(common); n++)
		v[n] = g_strdup(common[n]);
	while (n < VOCAB) {
		GString *w = g_string_new(NULL);
		int k = g_rand_int_range(r, 2, 5);
		for (int i = 0; i < k; i++)
			g_string_append(w, syllables[g_rand_int_range(r, 0, G_N_ELEMENTS(syllables))]);
		v[n++] = g_string_free(w, FALSE);
	}
	return v;
}

static const char *vocab_word(GRand *r, char **v)
{
	double u = g_rand_double(r);
	return v[(int)(VOCAB * u * u * u * u)];
}

static void sentence(GRand *r, char **v, GString *s)
{
	int n = g_rand_int_range(r, 6, 22);
	for (int i = 0; i < n; i++) {
		const char *w = vocab_word(r, v);
		if (i == 0)
			g_string_append_printf(s, "%c%s", g_ascii_toupper(w[0]), w + 1);
		else
			g_string_append_printf(s, " %s", w);
	}
	g_string_append(s, ". ");
}

/* the Typst copy of a sentence, paragraph or cell: genbook's words are
 * letters and hyphens only, so nothing in them needs escaping */
static void typ_add(GString *typ, const char *text)
{
	if (typ)
		g_string_append(typ, text);
}

int main(int argc, char **argv)
{
	const char *typst = NULL;
	if (argc >= 3 && g_str_equal(argv[1], "--typst")) {
		typst = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: genbook [--typst FILE] DIR PAGES SEED [NOTES]\n");
		return 2;
	}
	int notes_every = argc == 5 ? atoi(argv[4]) : 0;
	int text_paras = 0;
	const char *dir = argv[1];
	int pages = atoi(argv[2]);
	GRand *r = g_rand_new_with_seed((guint32)atoi(argv[3]));
	char **v = vocab_init(r);
	g_mkdir_with_parents(dir, 0777);
	GString *typ = typst ? g_string_new(NULL) : NULL;
	/* about 265 words a page, 16 paragraphs a section, 6 sections a chapter */
	int words_left = pages * 265;
	int chapters = MAX(1, pages / 25);
	GString *yaml = g_string_new("title: A Synthetic Book\nauthor: Gen Erator\nlang: en\ndate: 2025-01-01\nparts:\n");
	int note = 0;
	for (int c = 1; c <= chapters; c++) {
		GString *md = g_string_new(NULL);
		g_string_append_printf(md, "# Chapter %d\n\n", c);
		if (typ)
			g_string_append_printf(typ, "= Chapter %d\n\n", c);
		GString *notes = g_string_new(NULL);
		GString *s = g_string_new(NULL);
		int budget = words_left / (chapters - c + 1);
		words_left -= budget;
		for (int sec = 1; budget > 0; sec++) {
			g_string_append_printf(md, "## Section %d.%d\n\n", c, sec);
			if (typ)
				g_string_append_printf(typ, "== Section %d.%d\n\n", c, sec);
			for (int p = 0; p < 16 && budget > 0; p++) {
				int kind = g_rand_int_range(r, 0, 20);
				GString *para = g_string_new(NULL);
				if (kind == 0) {
					for (int i = 0; i < 4; i++) {
						g_string_append(para, "- ");
						g_string_truncate(s, 0);
						sentence(r, v, s);
						g_string_append(para, s->str);
						g_string_append_c(para, '\n');
						typ_add(typ, "- ");
						typ_add(typ, s->str);
						typ_add(typ, "\n");
					}
				} else if (kind == 1) {
					g_string_append(para, "| Year | Event | Count |\n|:--|:--|--:|\n");
					typ_add(typ, "#figure(kind: table, caption: [Events by year], table(\n"
						"  columns: 3, align: (left, left, right),\n"
						"  table.header([Year], [Event], [Count]),\n");
					for (int i = 0; i < 5; i++) {
						int year = 2000 + g_rand_int_range(r, 0, 25);
						g_string_append_printf(para, "| %d | ", year);
						GString *cell = g_string_new(NULL);
						sentence(r, v, cell);
						int count = g_rand_int_range(r, 1, 999);
						g_string_append_printf(para, "%s| %d |\n", cell->str, count);
						if (typ)
							g_string_append_printf(typ, "  [%d], [%s], [%d],\n", year, cell->str, count);
						g_string_free(cell, TRUE);
					}
					g_string_append(para, "\nTable: Events by year\n");
					typ_add(typ, "))\n");
				} else {
					int n = g_rand_int_range(r, 2, 8);
					for (int i = 0; i < n; i++)
						sentence(r, v, para);
					typ_add(typ, para->str);
					text_paras++;
					if (kind == 2 || (notes_every > 0 && text_paras % notes_every == 0)) {
						note++;
						g_string_append_printf(para, "A note.[^n%d]", note);
						g_string_append_printf(notes, "[^n%d]: ", note);
						g_string_truncate(s, 0);
						if (notes_every > 0)
							g_string_append_printf(s, "Note %d. ", note);
						sentence(r, v, s);
						g_string_append(notes, s->str);
						g_string_append(notes, "\n\n");
						typ_add(typ, "A note.#footnote[");
						typ_add(typ, s->str);
						typ_add(typ, "]");
					}
					typ_add(typ, "\n");
				}
				typ_add(typ, "\n");
				budget -= (int)(para->len / 7);
				g_string_append(md, para->str);
				g_string_append(md, "\n\n");
				g_string_free(para, TRUE);
			}
		}
		g_string_append(md, notes->str);
		char *name = g_strdup_printf("chapter-%03d.md", c);
		char *path = g_build_filename(dir, name, NULL);
		g_file_set_contents(path, md->str, (gssize)md->len, NULL);
		g_string_append_printf(yaml, "  - file: %s\n", name);
		g_free(path);
		g_free(name);
		g_string_free(md, TRUE);
		g_string_free(notes, TRUE);
		g_string_free(s, TRUE);
	}
	char *path = g_build_filename(dir, "book.yaml", NULL);
	g_file_set_contents(path, yaml->str, (gssize)yaml->len, NULL);
	g_free(path);
	g_string_free(yaml, TRUE);
	if (typ) {
		GError *err = NULL;
		if (!g_file_set_contents(typst, typ->str, (gssize)typ->len, &err)) {
			fprintf(stderr, "genbook: %s\n", err->message);
			return 1;
		}
		g_string_free(typ, TRUE);
	}
	g_strfreev(v);
	g_rand_free(r);
	return 0;
}
