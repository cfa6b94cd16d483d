/* artifacts.c - unit test of src/pdf/artifacts.c: content streams marked */
#include "unit.h"
#include "pdf/pd.h"

/* The stream in marked, as a string (the caller frees it), or NULL with
   *why. */
static char *marked(const char *in, const char **why)
{
	*why = NULL;
	GByteArray *o = gb_pd_mark_artifacts((const guint8 *)in, strlen(in), why);
	if (!o)
		return NULL;
	g_byte_array_append(o, (const guint8 *)"", 1);
	return (char *)g_byte_array_free(o, FALSE);
}

/*
 * What lies outside structure content becomes an artifact: a folio's text
 * object after the last element, a rule (a path) before the first, an
 * ActualText span outside every element; the state operators before them
 * stay outside; a run ends before the Q of the q it began in; strings
 * holding operators' names, escaped parentheses and "EMC", dictionaries,
 * comments and inline images are read as such; a stream that cannot be
 * read is refused with why.
 */
void test_mark_artifacts(test_state *t)
{
	const char *why;
	char *s = marked("q\n/P << /MCID 0 >> BDC\nBT (a) Tj ET\nEMC\n"
			 "BT (iii) Tj ET\nQ\n", &why);
	CHECK_STR(t, s, "q\n/P << /MCID 0 >> BDC\nBT (a) Tj ET\nEMC\n"
		  "/Artifact BMC\nBT (iii) Tj ET\nEMC\nQ\n");
	g_free(s);
	s = marked("0 0 0 RG 1 w 10 10 m 20 10 l S\n/H1<</MCID 3>>BDC BT(x)Tj ET EMC",
		   &why);
	CHECK_STR(t, s, "0 0 0 RG 1 w /Artifact BMC\n10 10 m 20 10 l S\n"
		  "EMC\n/H1<</MCID 3>>BDC BT(x)Tj ET EMC");
	g_free(s);
	/* an ActualText span (no MCID) outside the elements is content */
	s = marked("BT /Span << /ActualText <feff0066> >> BDC <01> Tj EMC ET", &why);
	CHECK_STR(t, s, "/Artifact BMC\nBT /Span << /ActualText <feff0066> >> BDC "
		  "<01> Tj EMC ET\nEMC\n");
	g_free(s);
	/* strings and comments are not operators */
	s = marked("BT (\\(BDC\\) EMC) Tj [(q)(Q)] TJ ET % EMC BDC\n"
		   "/P << /MCID 1 /X (<<) >> BDC EMC", &why);
	CHECK_STR(t, s, "/Artifact BMC\nBT (\\(BDC\\) EMC) Tj [(q)(Q)] TJ ET % EMC BDC\n"
		  "EMC\n/P << /MCID 1 /X (<<) >> BDC EMC");
	g_free(s);
	/* an inline image's bytes are skipped; a nested q ... Q stays in */
	s = marked("q BI /W 1 /H 1 ID \x01" "EMC\x02 EI q 1 w Q Q", &why);
	CHECK_STR(t, s, "q /Artifact BMC\nBI /W 1 /H 1 ID \x01" "EMC\x02 EI q 1 w Q EMC\nQ");
	g_free(s);
	/* a page with nothing drawn is left as it is */
	s = marked("1 0 0 -1 0 595 cm q Q", &why);
	CHECK_STR(t, s, "1 0 0 -1 0 595 cm q Q");
	g_free(s);
	CHECK(t, marked("BT (a Tj ET", &why) == NULL && why);
	CHECK(t, marked("/P << /MCID 0 >> BDC BT (a) Tj ET", &why) == NULL && why);
	CHECK(t, marked("EMC", &why) == NULL && why);
	CHECK(t, marked("BI /W 1 ID \x01\x02", &why) == NULL && why);
}
