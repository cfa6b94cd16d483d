/* colour.c - unit test of src/pdf/colour.c: neutral colours in DeviceGray */
#include "unit.h"
#include "pdf/pd.h"

/* The stream in grayed, as a string (the caller frees it), or NULL with
   *why. */
static char *grayed(const char *in, const char **why)
{
	*why = NULL;
	GByteArray *o = gb_pd_gray_colours((const guint8 *)in, strlen(in), why);
	if (!o)
		return NULL;
	g_byte_array_append(o, (const guint8 *)"", 1);
	return (char *)g_byte_array_free(o, FALSE);
}

/*
 * Black, white and grays set in RGB (rg, RG with three equal components,
 * however written) become g and G; colours stay; strings, inline images
 * and operators with other operands are left alone; a stream that cannot
 * be read is refused with why.
 */
void test_gray_colours(test_state *t)
{
	const char *why;
	char *s = grayed("0 0 0 rg /a0 gs\nBT (x) Tj ET 0.5 .5 0.50 RG 1 w", &why);
	CHECK_STR(t, s, "0 g /a0 gs\nBT (x) Tj ET 0.5 G 1 w");
	g_free(s);
	s = grayed("1 0 0 rg 0 0.2 0.4 RG 1 1 1 rg", &why);
	CHECK_STR(t, s, "1 0 0 rg 0 0.2 0.4 RG 1 g");
	g_free(s);
	/* a string holding operators, an inline image's bytes */
	s = grayed("BT (0 0 0 rg) Tj ET BI /W 1 ID \x01 0 0 0 rg EI 0 0 0 RG", &why);
	CHECK_STR(t, s, "BT (0 0 0 rg) Tj ET BI /W 1 ID \x01 0 0 0 rg EI 0 G");
	g_free(s);
	/* four operands, a name among three: not a colour to gray */
	s = grayed("1 0 0 0 rg /X 0 0 rg", &why);
	CHECK_STR(t, s, "1 0 0 0 rg /X 0 0 rg");
	g_free(s);
	CHECK(t, grayed("BT (a Tj ET", &why) == NULL && why);
	CHECK(t, grayed("BI /W 1 ID \x01\x02", &why) == NULL && why);
}
