/*
 * attrs.c - unit tests of pandoc's attribute blocks (src/source/attrs.c,
 * gb_ps_read_attrs), the one reader that headings, spans, divs and
 * images share: what pandoc's manual reads as attributes, and what it
 * leaves as text.
 */
#include "unit.h"

#include "source/ps.h"

static bool read(const char *s, gb_ps_attrs *a, bool *two)
{
	gb_ps_attrs_init(a);
	return gb_ps_read_attrs(s, s + strlen(s), a, two);
}

void test_attrs_read(test_state *t)
{
	gb_ps_attrs a;
	bool two = false;
	CHECK(t, read("#intro .a .b lang=ru title=\"a \\\"b\\\" c\" w='x y'", &a, &two));
	CHECK_STR(t, a.id, "intro");
	CHECK(t, !two);
	CHECK(t, a.classes->len == 2);
	CHECK(t, gb_ps_attrs_has_class(&a, "a") && gb_ps_attrs_has_class(&a, "b"));
	CHECK(t, !gb_ps_attrs_has_class(&a, "c"));
	CHECK_STR(t, gb_ps_attrs_value(&a, "lang"), "ru");
	CHECK_STR(t, gb_ps_attrs_value(&a, "title"), "a \"b\" c");
	CHECK_STR(t, gb_ps_attrs_value(&a, "w"), "x y");
	CHECK(t, gb_ps_attrs_value(&a, "width") == NULL);
	gb_ps_attrs_clear(&a);

	/* '-' is .unnumbered; an empty quoted value is a value; the last of
	   a key counts, as pandoc keeps it */
	CHECK(t, read(" - k=\"\" k=2 ", &a, NULL));
	CHECK(t, gb_ps_attrs_has_class(&a, "unnumbered"));
	CHECK_STR(t, gb_ps_attrs_value(&a, "k"), "2");
	gb_ps_attrs_clear(&a);

	CHECK(t, read("width=60%", &a, NULL));
	CHECK_STR(t, gb_ps_attrs_value(&a, "width"), "60%");
	gb_ps_attrs_clear(&a);

	CHECK(t, read("#a #b", &a, &two));
	CHECK(t, two);
	CHECK_STR(t, a.id, "b");
	gb_ps_attrs_clear(&a);
}

void test_attrs_text(test_state *t)
{
	/* blocks pandoc reads as text, not attributes */
	static const char *const text[] = {
		"a, b", "#", ".", ".1a", "k=", "k=\"open", "#a.b.c,", "k='x'y",
		"x", "-x",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(text); i++) {
		gb_ps_attrs a;
		bool ok = read(text[i], &a, NULL);
		if (ok)
			g_string_append_printf(t->why, "%s{%s} read as attributes",
					       t->why->len ? "; " : "", text[i]);
		gb_ps_attrs_clear(&a);
	}
}
