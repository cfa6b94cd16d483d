/* artifacts.c - unit test of src/pdf/artifacts.c: content streams marked */
#include "unit.h"
#include "pdf/pd.h"

/* The stream in marked, as a string (the caller frees it), or NULL with
   *why. */
static char *marked(const char *in, const char **why)
{
	*why = NULL;
	GByteArray *o = gb_pd_mark_artifacts((const guint8 *)in, strlen(in), NULL, 0, 595, why);
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
		  "/Artifact << /Type /Pagination >> BDC\nBT (iii) Tj ET\nEMC\nQ\n");
	g_free(s);
	s = marked("0 0 0 RG 1 w 10 10 m 20 10 l S\n/H1<</MCID 3>>BDC BT(x)Tj ET EMC",
		   &why);
	CHECK_STR(t, s, "0 0 0 RG 1 w /Artifact << /Type /Layout >> BDC\n10 10 m 20 10 l S\n"
		  "EMC\n/H1<</MCID 3>>BDC BT(x)Tj ET EMC");
	g_free(s);
	/* an ActualText span (no MCID) outside the elements is content */
	s = marked("BT /Span << /ActualText <feff0066> >> BDC <01> Tj EMC ET", &why);
	CHECK_STR(t, s, "/Artifact << /Type /Pagination >> BDC\nBT /Span << /ActualText <feff0066> >> BDC "
		  "<01> Tj EMC ET\nEMC\n");
	g_free(s);
	/* strings and comments are not operators */
	s = marked("BT (\\(BDC\\) EMC) Tj [(q)(Q)] TJ ET % EMC BDC\n"
		   "/P << /MCID 1 /X (<<) >> BDC EMC", &why);
	CHECK_STR(t, s, "/Artifact << /Type /Pagination >> BDC\nBT (\\(BDC\\) EMC) Tj [(q)(Q)] TJ ET % EMC BDC\n"
		  "EMC\n/P << /MCID 1 /X (<<) >> BDC EMC");
	g_free(s);
	/* an inline image's bytes are skipped; a nested q ... Q stays in */
	s = marked("q BI /W 1 /H 1 ID \x01" "EMC\x02 EI q 1 w Q Q", &why);
	CHECK_STR(t, s, "q /Artifact << /Type /Layout >> BDC\nBI /W 1 /H 1 ID \x01" "EMC\x02 EI q 1 w Q EMC\nQ");
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

/*
 * Each artifact takes the property list of the place nearest its first
 * point, through the page's transformation (cairo flips y: places are
 * given from the sheet's top left): a running head at the top is a
 * Header, a folio at the foot a Footer, a rule between them Layout, a
 * picture (its cm's origin, restored after Q) the place it lies in.
 */
void test_artifact_kinds(test_state *t)
{
	const gb_pd_art arts[] = {
		{ 40, 20, 300, 35, "<< /Type /Pagination /Subtype /Header >>" },
		{ 40, 560, 300, 575, "<< /Type /Pagination /Subtype /Footer >>" },
		{ 40, 400, 140, 401, "<< /Type /Layout >>" },
		{ 0, 0, 20, 20, "<< /Type /Page >>" },
	};
	const char *in =
		"1 0 0 -1 0 595 cm q\n"
		"BT 9 0 0 -9 150 32 Tm (Head) Tj ET\n"
		"/P << /MCID 0 >> BDC BT 10 0 0 -10 40 100 Tm (a) Tj ET EMC\n"
		"40 400 100 1 re f\n"
		"/P << /MCID 1 >> BDC BT 10 0 0 -10 40 500 Tm (b) Tj ET EMC\n"
		"BT 9 0 0 -9 160 570 Tm (7) Tj ET\n"
		"Q q 1 0 0 1 5 5 cm 10 0 0 10 0 0 cm /x1 Do Q\n";
	GByteArray *o = gb_pd_mark_artifacts((const guint8 *)in, strlen(in), arts,
					     G_N_ELEMENTS(arts), 595, &(const char *){ NULL });
	CHECK(t, o != NULL);
	if (!o)
		return;
	g_byte_array_append(o, (const guint8 *)"", 1);
	CHECK_STR(t, (const char *)o->data,
		  "1 0 0 -1 0 595 cm q\n"
		  "/Artifact << /Type /Pagination /Subtype /Header >> BDC\n"
		  "BT 9 0 0 -9 150 32 Tm (Head) Tj ET\nEMC\n"
		  "/P << /MCID 0 >> BDC BT 10 0 0 -10 40 100 Tm (a) Tj ET EMC\n"
		  "/Artifact << /Type /Layout >> BDC\n40 400 100 1 re f\nEMC\n"
		  "/P << /MCID 1 >> BDC BT 10 0 0 -10 40 500 Tm (b) Tj ET EMC\n"
		  "/Artifact << /Type /Pagination /Subtype /Footer >> BDC\n"
		  "BT 9 0 0 -9 160 570 Tm (7) Tj ET\nEMC\n"
		  "Q q 1 0 0 1 5 5 cm 10 0 0 10 0 0 cm /Artifact << /Type /Page >> BDC\n"
		  "/x1 Do EMC\nQ\n");
	g_byte_array_unref(o);
	CHECK_STR(t, gb_pd_art_props("Pagination Footer"),
		  "<< /Type /Pagination /Subtype /Footer >>");
	CHECK(t, gb_pd_art_props("Header") == NULL && gb_pd_art_props(NULL) == NULL);
}
