/* parts.c - the book's parts set on all cores (typeset/parts.c): the
   same pages, boxes and page numbers as one core sets, and the parts
   shaped on other threads, each with its own font map */
#include "unit.h"
#include "build.h"
#include "typeset/layout.h"
#include <pango/pango.h>

/* The layout of tests/props/pdf/parts-on-cores/book as threads set it, dumped; *maps: how
   many font maps its lines' fonts come from (one a thread that shaped). */
static GString *parts_dump(const char *threads, guint *maps, int *errors)
{
	g_setenv("GSI_BOOK_THREADS", threads, TRUE);
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	gb_diag_set_quiet(d, true);
	gb_run r = { .d = d, .bookdir = "tests/props/pdf/parts-on-cores/book", .quiet = true };
	gb_typeset_book *tb = gb_typeset_book_new(&r);
	GString *s = g_string_new(NULL);
	GHashTable *seen = g_hash_table_new(NULL, NULL);
	if (tb) {
		gb_layout_dump(tb->lay, s);
		for (guint i = 0; i < tb->lay->pages->len; i++) {
			const gb_page *p = tb->lay->pages->pdata[i];
			for (guint k = 0; k < p->boxes->len; k++) {
				const gb_box *b = p->boxes->pdata[k];
				for (guint n = 0; b->kind == GB_BOX_TEXT && b->glyphs &&
				     n < gb_glyphs_n_runs(b->glyphs); n++)
					g_hash_table_add(seen, pango_font_get_font_map(
						gb_glyphs_item(b->glyphs, n)->analysis.font));
			}
		}
		gb_typeset_book_free(tb);
	}
	*maps = g_hash_table_size(seen);
	*errors = gb_diag_errors(d);
	g_hash_table_destroy(seen);
	gb_diag_free(d);
	g_unsetenv("GSI_BOOK_THREADS");
	return s;
}

void test_parts_on_cores(test_state *t)
{
	guint one_maps = 0, maps = 0;
	int errors = 0;
	GString *one = parts_dump("1", &one_maps, &errors);
	CHECK(t, errors == 0);
	CHECK(t, one->len > 1000);
	CHECK(t, one_maps == 1);
	/* which thread takes which part is the scheduler's: try a few times
	   for the parts to be spread (the pages must be the same each time) */
	for (int tries = 0; tries < 5 && maps < 2; tries++) {
		GString *three = parts_dump("3", &maps, &errors);
		CHECK(t, errors == 0);
		CHECK(t, g_string_equal(one, three));
		g_string_free(three, TRUE);
	}
	CHECK(t, maps >= 2);
	g_string_free(one, TRUE);
}
