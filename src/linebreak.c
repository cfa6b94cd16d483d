/* linebreak.c - paragraph lines, from Pango's wrapping (first-fit). */
#include "linebreak.h"

PangoLayout *gb_break_paragraph(PangoContext *pc, const gb_para_spec *spec)
{
	PangoLayout *layout = pango_layout_new(pc);
	pango_layout_set_font_description(layout, spec->font);
	pango_layout_set_text(layout, spec->text, -1);
	if (spec->attrs)
		pango_layout_set_attributes(layout, spec->attrs);
	pango_layout_set_width(layout, (int)(spec->measure * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_indent(layout, (int)(spec->indent * PANGO_SCALE));
	pango_layout_set_justify(layout, spec->justify);
	pango_layout_set_alignment(layout, spec->align);
	if (spec->lang) {
		PangoLanguage *lang = pango_language_from_string(spec->lang);
		pango_context_set_language(pc, lang);
		pango_layout_context_changed(layout);
	}
	return layout;
}
