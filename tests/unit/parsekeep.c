/*
 * parsekeep.c - unit test of the parts' parse kept across loads
 * (src/source/keep.c, gsi-book serve's): after an edit of one part, only
 * that part is parsed again, and the book (its tree dumped with every
 * node, position, id, number and the contents) equals a fresh load's;
 * a part whose parse warned, or which holds an image, is parsed every time.
 */
#include "unit.h"

#include <glib/gstdio.h>

#include "base/diag.h"
#include "source/book.h"
#include "source/dump.h"
#include "source/keep.h"

static void put(const char *dir, const char *name, const char *text)
{
	char *p = g_build_filename(dir, name, NULL);
	g_file_set_contents(p, text, -1, NULL);
	g_free(p);
}

static char *dumped(const char *dir, gb_parse_keep *k)
{
	FILE *null = fopen("/dev/null", "w");
	gb_diag *d = gb_diag_new("gsi-book", null);
	gb_book *b = gb_book_load_kept(dir, k, d);
	GString *out = g_string_new(NULL);
	gb_dump_tree(b, out);
	g_string_append_printf(out, "errors %d warnings %d\n",
			       gb_diag_errors(d), gb_diag_warnings(d));
	gb_diag_flush(d);
	gb_book_free(b);
	gb_diag_free(d);
	fclose(null);
	return g_string_free(out, FALSE);
}

/* k's load equals a fresh one */
static void same_as_fresh(test_state *t, const char *dir, gb_parse_keep *k)
{
	char *fresh = dumped(dir, NULL), *kept = dumped(dir, k);
	CHECK(t, !strcmp(fresh, kept));
	g_free(fresh);
	g_free(kept);
}

void test_parse_keep(test_state *t)
{
	char *dir = g_dir_make_tmp("gb-parsekeep-XXXXXX", NULL);
	put(dir, "book.yaml", "title: Kept\nauthor: A\nlang: en\nparts:\n"
	    "  - file: a.md\n  - file: b.md\n  - file: c.md\n  - file: d.md\n");
	put(dir, "a.md", "# One\n\nText[^n] and \"quotes\" -- see [two](#two).\n\n"
	    "[^n]: A note.\n");
	put(dir, "b.md", "# Two {#two}\n\n## Sub\n\n- item\n- item[^m]\n\n[^m]: Its note.\n");
	put(dir, "c.md", "# Three\n\nA paragraph.\n");
	/* a heading skipped: a warning, so d.md is parsed every time */
	put(dir, "d.md", "# Four\n\n### Skipped\n\nText.\n");
	gb_parse_keep *k = gb_parse_keep_new();
	same_as_fresh(t, dir, k);
	CHECK(t, gb_parse_keep_reused(k) == 0);
	CHECK(t, gb_parse_keep_parsed(k) == 4);
	same_as_fresh(t, dir, k);
	CHECK(t, gb_parse_keep_parsed(k) == 1);
	CHECK(t, gb_parse_keep_reused(k) == 3);
	/* an edit that adds a note and a heading: only b.md is parsed again */
	put(dir, "b.md", "# Two {#two}\n\n## Sub\n\n## Added\n\n- item\n- item[^m] and[^o]\n\n"
	    "[^m]: Its note.\n\n[^o]: Another.\n");
	same_as_fresh(t, dir, k);
	CHECK(t, gb_parse_keep_reused(k) == 2);
	CHECK(t, gb_parse_keep_parsed(k) == 2);
	/* a part listed in another language: parsed again (its quotes) */
	put(dir, "book.yaml", "title: Kept\nauthor: A\nlang: en\nparts:\n"
	    "  - file: a.md\n    lang: de\n  - file: b.md\n  - file: c.md\n  - file: d.md\n");
	same_as_fresh(t, dir, k);
	CHECK(t, gb_parse_keep_reused(k) == 2);
	/* an image: its file is checked as it is parsed, so never kept */
	put(dir, "c.md", "# Three\n\n![x](missing.png)\n");
	same_as_fresh(t, dir, k);
	same_as_fresh(t, dir, k);
	CHECK(t, gb_parse_keep_reused(k) == 2);
	CHECK(t, gb_parse_keep_parsed(k) == 2);
	gb_parse_keep_free(k);
	const char *names[] = { "book.yaml", "a.md", "b.md", "c.md", "d.md" };
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *p = g_build_filename(dir, names[i], NULL);
		g_unlink(p);
		g_free(p);
	}
	g_rmdir(dir);
	g_free(dir);
}
