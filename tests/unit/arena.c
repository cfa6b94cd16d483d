/*
 * arena.c - unit test of the bump allocator (src/base/arena.c): blocks
 * aligned and apart, kept until the arena is freed, a request larger
 * than a block, copies of strings.
 */
#include "unit.h"

#include <stdbool.h>

#include "base/arena.h"

void test_arena(test_state *t)
{
	gb_arena *a = gb_arena_new(300);
	char *prev[200];
	for (int i = 0; i < 200; i++) {
		prev[i] = gb_arena_alloc(a, (gsize)(i % 13) + 1);
		CHECK(t, ((guintptr)prev[i] & 15) == 0);
		memset(prev[i], i, (gsize)(i % 13) + 1);
	}
	/* each kept what was written to it */
	bool kept = true;
	for (int i = 0; i < 200; i++)
		for (int k = 0; k <= i % 13; k++)
			kept = kept && (guchar)prev[i][k] == (guchar)i;
	CHECK(t, kept);
	guint8 *big = gb_arena_alloc0(a, 5000);
	bool zero = true;
	for (int k = 0; k < 5000; k++)
		zero = zero && !big[k];
	CHECK(t, zero);
	char *s = gb_arena_strndup(a, "word and more", 4);
	CHECK_STR(t, s, "word");
	CHECK_STR(t, gb_arena_strndup(a, "", 0), "");
	gb_arena_free(a);
	gb_arena_free(NULL);
}
