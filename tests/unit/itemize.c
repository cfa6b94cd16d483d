/*
 * itemize.c - unit test of the line breaker's itemising without Pango
 * (src/typeset/itemize.c): on text of every kind, with attributes of every
 * kind the typesetter sets (and some it does not), over the whole text and
 * parts of it, gb_lb_itemize_plain() either declines or gives the very
 * items pango_itemize() gives (offsets, lengths, characters, font, level,
 * gravity, flags, script, language, attributes); and it takes plain text.
 */
#include "unit.h"

#include <pango/pangocairo.h>

#include "typeset/lb.h"

/* Whether the two lists of items are the same, field by field. */
static bool same_items(GList *a, GList *b)
{
	for (; a && b; a = a->next, b = b->next) {
		const PangoItem *x = a->data, *y = b->data;
		const PangoAnalysis *p = &x->analysis, *q = &y->analysis;
		if (x->offset != y->offset || x->length != y->length ||
		    x->num_chars != y->num_chars || p->font != q->font ||
		    p->level != q->level || p->gravity != q->gravity ||
		    p->flags != q->flags || p->script != q->script ||
		    p->language != q->language || p->shape_engine != q->shape_engine ||
		    p->lang_engine != q->lang_engine)
			return false;
		GSList *s = p->extra_attrs, *t = q->extra_attrs;
		for (; s && t; s = s->next, t = t->next) {
			const PangoAttribute *u = s->data, *v = t->data;
			if (!pango_attribute_equal(u, v) || u->start_index != v->start_index ||
			    u->end_index != v->end_index)
				return false;
		}
		if (s || t)
			return false;
	}
	return !a && !b;
}

/* The start of the character of s at or after byte i. */
static guint at_char(const char *s, int i)
{
	while (s[i] && ((guchar)s[i] & 0xc0) == 0x80)
		i++;
	return (guint)i;
}

static PangoAttrList *attrs_of(int kind, const char *s)
{
	int len = (int)strlen(s);
	if (kind == 0)
		return NULL;
	PangoAttrList *l = pango_attr_list_new();
	PangoAttribute *a = NULL, *b = NULL;
	switch (kind) {
	case 1: /* none */
		break;
	case 2: /* italic in the middle, bold over its end */
		a = pango_attr_style_new(PANGO_STYLE_ITALIC);
		b = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		break;
	case 3: /* small capitals and letterspacing, as inline.c sets them */
		a = pango_attr_font_features_new("smcp, c2sc");
		b = pango_attr_letter_spacing_new(512);
		break;
	case 4: /* another language, another size */
		a = pango_attr_language_new(pango_language_from_string("de"));
		b = pango_attr_size_new(14 * PANGO_SCALE);
		break;
	case 5: /* Hebrew's language over Latin; a family with no font */
		a = pango_attr_language_new(pango_language_from_string("he"));
		b = pango_attr_family_new("No Such Family Here");
		break;
	case 6: /* what Pango's itemising reads: declined */
		a = pango_attr_fallback_new(FALSE);
		b = pango_attr_gravity_new(PANGO_GRAVITY_EAST);
		break;
	default: /* small capitals as a variant */
		a = pango_attr_variant_new(PANGO_VARIANT_SMALL_CAPS);
		b = pango_attr_font_features_new("onum");
		break;
	}
	if (a) {
		a->start_index = at_char(s, len / 4);
		a->end_index = at_char(s, len / 2);
		pango_attr_list_insert(l, a);
	}
	if (b) {
		b->start_index = at_char(s, len / 3);
		b->end_index = (guint)len;
		pango_attr_list_insert(l, b);
	}
	return l;
}

void test_itemize_plain(test_state *t)
{
	static const char *const texts[] = {
		"The quick brown fox jumps over the lazy dog, again and again.",
		"1999. 2024 -- (42) [7] {x} #3 *4* 100% $5 & @home",
		"    ",
		"  leading and trailing spaces  ",
		"non\u00a0breaking, soft\u00adhyphen, thin\u2009space, narrow\u202fone",
		"“Quotes” and ‘single’ ones — dashes – and an ellipsis…",
		"Ærøskøbing, café, naïve, Łódź, Şişli, ©2024 ®, ‰ ‱ ‼ ⁉",
		"digits 0123456789 alone",
		"\u00ad",
		"mixed Ελληνικά and Latin",
		"Hebrew עברית inside",
		"an emoji \U0001F600 here",
		"a combining e\u0301 mark",
		"a tab\there",
		"a line\u2028separator",
		"keycap 1\u20e3 and 2\ufe0f",
		"rare ⸺ dash and ⁂ asterism",
		"Кириллица and Latin",
	};
	static const char *const fonts[] = { "DejaVu Sans 10", "DejaVu Serif Italic 12",
					     "No Such Family 9", "Monospace 8" };
	PangoFontMap *fm = pango_cairo_font_map_new();
	int plain = 0, declined = 0;
	for (int lang = 0; lang < 2; lang++) {
		PangoContext *pc = pango_font_map_create_context(fm);
		if (lang)
			pango_context_set_language(pc, pango_language_from_string("en"));
		for (size_t f = 0; f < G_N_ELEMENTS(fonts); f++) {
			PangoFontDescription *fd = pango_font_description_from_string(fonts[f]);
			for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
				const char *s = texts[i];
				int len = (int)strlen(s);
				for (int kind = 0; kind < 8; kind++) {
					PangoAttrList *attrs = attrs_of(kind, s);
					/* the whole text, and from a word to a word */
					int parts[2][2] = { { 0, len }, { 0, len } };
					const char *sp = strchr(s, ' ');
					const char *lsp = strrchr(s, ' ');
					if (sp && lsp > sp) {
						parts[1][0] = (int)(sp - s) + 1;
						parts[1][1] = (int)(lsp - s) - parts[1][0];
					}
					for (int k = 0; k < 2; k++) {
						int p = parts[k][0], n = parts[k][1];
						GList *mine;
						if (!gb_lb_itemize_plain(pc, fd, s, p, n, attrs, &mine)) {
							CHECK(t, !mine);
							declined++;
							continue;
						}
						plain++;
						pango_context_set_font_description(pc, fd);
						GList *theirs = pango_itemize(pc, s, p, n, attrs, NULL);
						if (!same_items(mine, theirs))
							g_string_append_printf(t->why, "%s\"%s\" [%d, %d) in %s, attributes %d, language %d: not Pango's items",
									       t->why->len ? "; " : "", s, p, p + n, fonts[f], kind, lang);
						g_list_free_full(theirs, (GDestroyNotify)pango_item_free);
						g_list_free_full(mine, (GDestroyNotify)pango_item_free);
					}
					if (attrs)
						pango_attr_list_unref(attrs);
				}
			}
			pango_font_description_free(fd);
		}
		/* right to left: declined */
		pango_context_set_base_dir(pc, PANGO_DIRECTION_RTL);
		PangoFontDescription *fd = pango_font_description_from_string(fonts[0]);
		GList *items;
		CHECK(t, !gb_lb_itemize_plain(pc, fd, texts[0], 0, 10, NULL, &items));
		/* plain text: taken */
		pango_context_set_base_dir(pc, PANGO_DIRECTION_WEAK_LTR);
		CHECK(t, gb_lb_itemize_plain(pc, fd, texts[0], 0, 10, NULL, &items));
		CHECK(t, items && !items->next);
		g_list_free_full(items, (GDestroyNotify)pango_item_free);
		/* nothing: no items, as Pango */
		CHECK(t, gb_lb_itemize_plain(pc, fd, texts[0], 3, 0, NULL, &items) && !items);
		pango_font_description_free(fd);
		g_object_unref(pc);
	}
	/* most of it is taken, the rest declined */
	CHECK(t, plain > 300);
	CHECK(t, declined > 100);
	g_object_unref(fm);
}
