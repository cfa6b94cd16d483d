/*
 * imagesize.c - unit tests of an image's size as pandoc's manual writes
 * it ('{width=60%}', src/source/image.c, gb_image_size), and of the
 * figure labels resolve gives in each language (gb_figure_label).
 */
#include "unit.h"

#include "source/image.h"
#include "source/resolve.h"

#include <math.h>

static bool size_is(const char *s, double want, gb_size_unit unit)
{
	double v = -1;
	gb_size_unit u = GB_SIZE_PX;
	return gb_image_size(s, &v, &u) && u == unit && fabs(v - want) < 1e-9;
}

void test_image_size(test_state *t)
{
	CHECK(t, size_is("60%", 60, GB_SIZE_PERCENT));
	CHECK(t, size_is("100%", 100, GB_SIZE_PERCENT));
	CHECK(t, size_is("200", 200, GB_SIZE_PX));
	CHECK(t, size_is("200px", 200, GB_SIZE_PX));
	CHECK(t, size_is("1in", 72, GB_SIZE_PT));
	CHECK(t, size_is("2.54cm", 72, GB_SIZE_PT));
	CHECK(t, size_is("25.4mm", 72, GB_SIZE_PT));
	CHECK(t, size_is("12pt", 12, GB_SIZE_PT));
	CHECK(t, size_is("1.5em", 1.5, GB_SIZE_EM));
	CHECK(t, size_is(".5in", 36, GB_SIZE_PT));
	double v;
	gb_size_unit u;
	const char *bad[] = { "", "abc", "0", "0%", "-3cm", "300%", "100.5%", "3 cm",
			      "3ft", "%", "in", "1e3", "nan", "3cmx", NULL };
	for (const char **b = bad; *b; b++)
		if (gb_image_size(*b, &v, &u))
			g_string_append_printf(t->why, "'%s' read as a size; ", *b);
}

void test_figure_label(test_state *t)
{
	struct { int n; const char *lang, *want; } cases[] = {
		{ 3, "en", "Figure 3" }, { 1, "en-GB", "Figure 1" },
		{ 2, "ru", "Рисунок 2" }, { 4, "kk", "Сурет 4" },
		{ 5, "de", "Abbildung 5" }, { 6, NULL, "Figure 6" },
		{ 7, "xx", "Figure 7" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = gb_figure_label(cases[i].n, cases[i].lang);
		CHECK_STR(t, got, cases[i].want);
		g_free(got);
	}
}
