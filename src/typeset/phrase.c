/*
 * phrase.c - HTML's own inline elements in print (ts.h): a PHRASE set as
 * a book sets it (<small> smaller, <kbd> in the code face, <cite> and
 * <dfn> in italics, <abbr> and <q> as their text: a <q>'s quotation
 * marks are its text already), an ANCHOR a destination where it stands.
 */
#include "typeset/ts.h"

#include <string.h>

static void phrase_attr(inl *in, PangoAttribute *a, guint start, guint end)
{
	a->start_index = start;
	a->end_index = end;
	pango_attr_list_insert(in->attrs, a);
}

bool gb_ts_phrase_fn(inl *in, const gb_node *n, bool entering)
{
	guint at = (guint)in->text->len;
	if (n->kind == GB_NODE_ANCHOR) {
		/* one byte from the place: the line it is on marks it */
		if (entering)
			g_array_append_val(in->spans, ((span){ at, at + 1, n }));
		return false;
	}
	if (n->kind != GB_NODE_PHRASE)
		return true;
	if (entering) {
		g_array_append_val(in->stack, at);
		return true;
	}
	guint start = g_array_index(in->stack, guint, in->stack->len - 1);
	g_array_set_size(in->stack, in->stack->len - 1);
	if (at <= start || !n->tag)
		return true;
	if (!strcmp(n->tag, "small")) {
		phrase_attr(in, pango_attr_scale_new(0.83), start, at);
	} else if (!strcmp(n->tag, "kbd")) {
		phrase_attr(in, pango_attr_family_new(in->t->mono_list), start, at);
		phrase_attr(in, pango_attr_size_new_absolute((int)(in->size * in->t->code_scale *
								  PANGO_SCALE)), start, at);
	} else if (!strcmp(n->tag, "cite") || !strcmp(n->tag, "dfn")) {
		phrase_attr(in, pango_attr_style_new(PANGO_STYLE_ITALIC), start, at);
	}
	return true;
}
