/*
 * linebreak.h - breaking a paragraph into lines: the one entry point.
 *
 * Today the lines are Pango's (first-fit, justified by Pango); issue 5
 * replaces the algorithm with total-fit breaking behind this same call.
 */
#ifndef GB_LINEBREAK_H
#define GB_LINEBREAK_H

#include <pango/pango.h>
#include <stdbool.h>

typedef struct gb_para_spec {
	const char *text;              /* UTF-8, the whole paragraph */
	PangoAttrList *attrs;          /* fonts, features, over byte ranges */
	const PangoFontDescription *font;  /* the base font */
	double measure;                /* line width, points */
	double indent;                 /* first-line indent, points */
	double leading;                /* baseline to baseline, points */
	bool justify;
	PangoAlignment align;
	const char *lang;              /* BCP 47 */
} gb_para_spec;

/*
 * Breaks the paragraph into lines.  Returns a PangoLayout holding them (the
 * caller unrefs it); its lines are the paragraph's lines, in order.
 */
PangoLayout *gb_break_paragraph(PangoContext *pc, const gb_para_spec *spec);

#endif
