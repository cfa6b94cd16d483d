/* spanstyle.c - a bracketed span's look in print ('[text]{.smallcaps}',
   '{.underline}', '{lang=ru}', '{#id}'): its attributes over its text
   (ts.h). */
#include "typeset/ts.h"

#include <string.h>

static void add_attr(inl *in, PangoAttribute *a, guint start, guint end)
{
	a->start_index = start;
	a->end_index = end;
	pango_attr_list_insert(in->attrs, a);
}

/*
 * Small capitals over [start, end): the face's own (OpenType smcp) for
 * every small letter it has one for; a small letter it has none for
 * (Linux Libertine's Cyrillic) is its capital scaled to the small
 * capitals' height, as words in capitals are (gb_ts_text_features).
 * Capitals stay capitals, as pandoc's smallcaps has them.
 */
static void set_small_caps(inl *in, guint start, guint end)
{
	const char *text = in->text->str;
	add_attr(in, pango_attr_font_features_new("smcp"), start, end);
	for (const char *p = text + start; p < text + end;) {
		gunichar u = g_utf8_get_char(p);
		const char *q = g_utf8_next_char(p);
		if (g_unichar_islower(u) && !gb_ts_has_small_cap(in->t, u, true)) {
			/* a run of such letters */
			while (q < text + end && g_unichar_islower(g_utf8_get_char(q)) &&
			       !gb_ts_has_small_cap(in->t, g_utf8_get_char(q), true))
				q = g_utf8_next_char(q);
			guint a = (guint)(p - text), z = (guint)(q - text);
			add_attr(in, pango_attr_text_transform_new(PANGO_TEXT_TRANSFORM_UPPERCASE), a, z);
			add_attr(in, pango_attr_scale_new(gb_ts_small_caps_of(in->t)->scale), a, z);
		}
		p = q;
	}
}

bool gb_ts_span_fn(inl *in, const gb_node *n, bool entering, guint at)
{
	if (entering) {
		g_array_append_val(in->stack, at);
		return true;
	}
	guint start = g_array_index(in->stack, guint, in->stack->len - 1);
	g_array_set_size(in->stack, in->stack->len - 1);
	if (at <= start) {
		/* an empty span with an id (an index range's end mark): its
		   place is the character before it, or the first */
		if (n->id && at > 0) {
			guint prev = (guint)(g_utf8_prev_char(in->text->str + at) - in->text->str);
			g_array_append_val(in->spans, ((span){ prev, at, n }));
		} else if (n->id) {
			g_array_append_val(in->spans, ((span){ 0, 1, n }));
		}
		return true;
	}
	if (gb_node_has_class(n, "smallcaps"))
		set_small_caps(in, start, at);
	if (gb_node_has_class(n, "underline"))
		add_attr(in, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, at);
	if (n->lang)
		add_attr(in, pango_attr_language_new(pango_language_from_string(n->lang)),
			 start, at);
	/* a place links reach: a destination where it starts */
	if (n->id)
		g_array_append_val(in->spans, ((span){ start, at, n }));
	return true;
}
