/*
 * safety.c - unit tests of gb_layout_check_safety() (src/typeset/safety.c)
 * over layouts made by hand: rules placed near each edge of a 6 x 9 in
 * trim (432 x 648 pt) against a 0.375 in (27 pt) safety margin, upright
 * and in a frame turned a quarter.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "typeset/typeset.h"

/* What checking lay says, and how many errors; the caller frees it. */
static char *said(const gb_layout *lay, double safety, int *errors, bool *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	gb_diag *d = gb_diag_new("gsi-book", mem);
	*ok = gb_layout_check_safety(lay, safety, "kdp", "kdp.safety-bleed", d);
	gb_diag_flush(d);
	*errors = gb_diag_errors(d);
	gb_diag_free(d);
	fclose(mem);
	return buf;
}

void test_safety_edges(test_state *t)
{
	gb_layout *lay = gb_layout_new(432, 648);
	/* 1, recto: a rule 27.5 pt from the spine, well inside: no error */
	gb_page *p = gb_layout_add_page(lay, true);
	gb_page_add_rule(p, 27.5, 100, 100, 1);
	/* 2, verso: 18 pt from the left edge, its outside */
	p = gb_layout_add_page(lay, false);
	gb_page_add_rule(p, 18, 100, 100, 1);
	/* 3, recto: its foot 9 pt above the bottom; a second one on the
	   page is not said again */
	p = gb_layout_add_page(lay, true);
	gb_page_add_rule(p, 100, 638, 100, 1);
	gb_page_add_rule(p, 100, 2, 100, 1);
	/* 4, recto: a rule in a frame turned a quarter at (30, 600): frame
	   x 0-10 and y 0-400 lie on the page at x 30-430, y 590-600: 2 pt
	   from the right edge, the outside */
	p = gb_layout_add_page(lay, true);
	gb_page_add_rule(p, 0, 0, 10, 400);
	p->turned = 1;
	p->turn_x = 30;
	p->turn_y = 600;
	int errors;
	bool ok;
	char *s = said(lay, 27, &errors, &ok);
	CHECK(t, !ok);
	CHECK(t, errors == 3);
	CHECK_STR(t, s,
		  "gsi-book: error: a rule lies 0.25 in from the outside trim on page 2, "
		  "inside kdp's 0.375 in safety margin (styles/profiles.yaml: kdp.safety-bleed)\n"
		  "gsi-book: error: a rule lies 0.125 in from the bottom trim on page 3, "
		  "inside kdp's 0.375 in safety margin (styles/profiles.yaml: kdp.safety-bleed)\n"
		  "gsi-book: error: a rule lies 0.0278 in from the outside trim on page 4, "
		  "inside kdp's 0.375 in safety margin (styles/profiles.yaml: kdp.safety-bleed)\n");
	free(s);
	/* no safety margin: nothing is checked */
	s = said(lay, 0, &errors, &ok);
	CHECK(t, ok && errors == 0);
	free(s);
	gb_layout_free(lay);
}
