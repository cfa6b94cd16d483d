/* inline.c - inline text: a block's characters and attributes, fonts and fallbacks, small capitals, the lines of a block and of its notes (ts.h) */
#include "typeset/ts.h"

static void add_attr(inl *in, PangoAttribute *a, guint start, guint end)
{
	a->start_index = start;
	a->end_index = end;
	pango_attr_list_insert(in->attrs, a);
}

/*
 * Superscript (^x^) or subscript (~x~) over [start, end): set at 65% of
 * the size, raised by a third of the size or lowered by a sixth (pango's
 * rise; Linux Libertine's sups and subs cover figures only, not the
 * letters a superscript may hold, so one rule serves every character).
 */
static void script_attrs(inl *in, bool super, guint start, guint end)
{
	if (end <= start)
		return;
	add_attr(in, pango_attr_scale_new(0.65), start, end);
	double rise = super ? in->size * 0.33 : -in->size * 0.16;
	add_attr(in, pango_attr_rise_new((int)(rise * PANGO_SCALE)), start, end);
}

bool gb_ts_inline_fn(const gb_node *n, bool entering, void *ctx)
{
	inl *in = ctx;
	guint at = (guint)in->text->len;
	switch (n->kind) {
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
		if (!entering)
			break;
		g_string_append(in->text, n->text);
		g_array_append_val(in->segs, ((seg){ at, (guint)in->text->len - at, n->loc, n }));
		if (n->kind == GB_NODE_CODE) {
			/* a tab in code within a line is a space, as HTML shows
			   it (and as prose has it already) */
			for (char *p = in->text->str + at; *p; p++)
				if (*p == '\t')
					*p = ' ';
			add_attr(in, pango_attr_family_new(in->t->mono_list), at,
				 (guint)in->text->len);
			/* at the code's scale: a monospaced face's letters are
			   larger than a book face's at one size */
			add_attr(in, pango_attr_size_new_absolute((int)(in->size * in->t->code_scale *
									PANGO_SCALE)),
				 at, (guint)in->text->len);
		}
		break;
	case GB_NODE_SOFTBREAK:
		if (entering)
			g_string_append_c(in->text, ' ');
		break;
	case GB_NODE_LINEBREAK:
		if (entering)
			g_string_append(in->text, "\u2028");
		break;
	case GB_NODE_EMPH:
	case GB_NODE_STRONG:
	case GB_NODE_STRIKE:
	case GB_NODE_SUPERSCRIPT:
	case GB_NODE_SUBSCRIPT:
	case GB_NODE_LINK:
		if (entering) {
			g_array_append_val(in->stack, at);
			break;
		}
		guint start = g_array_index(in->stack, guint, in->stack->len - 1);
		g_array_set_size(in->stack, in->stack->len - 1);
		if (n->kind == GB_NODE_EMPH)
			add_attr(in, pango_attr_style_new(PANGO_STYLE_ITALIC), start, at);
		else if (n->kind == GB_NODE_STRONG)
			add_attr(in, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, at);
		else if (n->kind == GB_NODE_STRIKE)
			add_attr(in, pango_attr_strikethrough_new(TRUE), start, at);
		else if (n->kind == GB_NODE_SUPERSCRIPT || n->kind == GB_NODE_SUBSCRIPT)
			script_attrs(in, n->kind == GB_NODE_SUPERSCRIPT, start, at);
		else
			gb_ts_link_end(in, n, start, at);
		break;
	case GB_NODE_SPAN: return gb_ts_span_fn(in, n, entering, at);
	case GB_NODE_NOTEREF:
		if (!entering || !n->target)
			break;
		/* superscript digits as characters, so that text extraction
		   shows a note mark, not a digit glued to the word */
		for (const char *p = n->label; *p; p++) {
			static const gunichar sup[10] = {
				0x2070, 0x00B9, 0x00B2, 0x00B3, 0x2074,
				0x2075, 0x2076, 0x2077, 0x2078, 0x2079,
			};
			if (g_ascii_isdigit(*p))
				g_string_append_unichar(in->text, sup[*p - '0']);
			else
				g_string_append_c(in->text, *p);
		}
		g_array_append_val(in->spans, ((span){ at, (guint)in->text->len, n }));
		break;
	case GB_NODE_IMAGE:  /* drawn in the line (inlineimage.c) */
		if (entering)
			gb_ts_inline_image(in, n);
		return false;
	default:
		return gb_ts_phrase_fn(in, n, entering);
	}
	return true;
}

void gb_ts_inl_init(inl *in, ts *t, double size)
{
	in->text = g_string_new(NULL);
	in->attrs = pango_attr_list_new();
	in->spans = g_array_new(FALSE, FALSE, sizeof(span));
	in->segs = g_array_new(FALSE, FALSE, sizeof(seg));
	in->stack = g_array_new(FALSE, FALSE, sizeof(guint));
	in->t = t;
	in->size = size;
	in->images = NULL;
}

void gb_ts_inl_release(inl *in)
{
	g_string_free(in->text, TRUE);
	pango_attr_list_unref(in->attrs);
	g_array_free(in->spans, TRUE);
	g_array_free(in->segs, TRUE);
	g_array_free(in->stack, TRUE);
	gb_ts_inline_images_free(in);
}

/* The source position of byte index i of the text. */
static gb_loc loc_of(const inl *in, guint i)
{
	gb_loc loc = { NULL, GB_NOPOS };
	for (guint k = 0; k < in->segs->len; k++) {
		const seg *s = &g_array_index(in->segs, seg, k);
		if (s->start > i)
			break;
		loc = s->loc;
		if (loc.off != GB_NOPOS)
			loc.off += i - s->start;
	}
	return loc;
}

/*
 * Whether font is of a family the style lists (body, heading, mono, the
 * fallbacks): fontconfig may find a character in another face of fonts/
 * after them, which the style did not ask for and check does not count.
 * Asked once a font.
 */
static bool listed_font(ts *t, PangoFont *font)
{
	if (!font)
		return false;
	if (!t->font_listed)
		t->font_listed = g_hash_table_new_full(NULL, NULL, g_object_unref, NULL);
	gpointer v = g_hash_table_lookup(t->font_listed, font);
	if (v)
		return GPOINTER_TO_INT(v) == 1;
	PangoFontDescription *got = pango_font_describe(font);
	const char *name = pango_font_description_get_family(got);
	bool ok = name && g_hash_table_contains(t->listed, name);
	pango_font_description_free(got);
	g_hash_table_insert(t->font_listed, g_object_ref(font), GINT_TO_POINTER(ok ? 1 : 2));
	return ok;
}

/* Reports every character of the shaped text that no font can draw. */
static void check_glyphs(ts *t, const gb_glyphs *shaped, const inl *in)
{
	const char *text = shaped->text;
	for (guint r = 0; r < shaped->runs->len; r++) {
		const PangoGlyphItem *run = shaped->runs->pdata[r];
		const PangoGlyphString *gs = run->glyphs;
		bool listed = listed_font(t, run->item->analysis.font);
		gint last = -1;
		for (int g = 0; g < gs->num_glyphs; g++) {
			if ((listed && !(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) ||
			    gs->glyphs[g].glyph == PANGO_GLYPH_EMPTY)  /* (an image) */
				continue;
			guint idx = (guint)(run->item->offset + gs->log_clusters[g]);
			gunichar u = g_utf8_get_char(text + idx);
			GUnicodeType type = g_unichar_type(u);
			if (u == 0x2028 || g_unichar_isspace(u) || (gint)idx == last ||
			    (!listed && (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)))
				continue;
			last = (gint)idx;
			char utf8[8] = { 0 };
			g_unichar_to_utf8(u, utf8);
			gb_error(t->d, loc_of(in, idx),
				 "character U+%04X '%s' cannot be drawn: no font in fonts/ has it",
				 u, utf8);
			t->failed = true;
		}
	}
}

/* A description of family alone: no fallbacks. */
static PangoFontDescription *face_desc(const char *family, double size,
				       PangoWeight weight, PangoStyle style)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, weight);
	pango_font_description_set_style(fd, style);
	return fd;
}

/*
 * A description of family followed by the style's fallbacks (Pango reads
 * "A,B,C" as families to try in that order), so that a character family
 * lacks is drawn by the first fallback that has it.
 */
PangoFontDescription *gb_ts_font_desc(const ts *t, const char *family, double size,
				       PangoWeight weight, PangoStyle style)
{
	char *list = g_strconcat(family, t->fallback_tail, NULL);
	PangoFontDescription *fd = face_desc(list, size, weight, style);
	g_free(list);
	return fd;
}

/*
 * Whether the face of family in weight and style draws every character of
 * text.  A fallback may be of another weight or slant (Symbola has one
 * face); the style's own faces must be the one asked for: fontconfig
 * ranks a language's letters above weight and slant, so a face of another
 * weight or slant is a face that lacks letters.
 */
static bool draws_all(ts *t, const char *family, bool fallback, PangoWeight weight,
		      PangoStyle style, const char *text)
{
	PangoFontDescription *fd = face_desc(family, t->size, weight, style);
	PangoFont *font = pango_context_load_font(t->pc, fd);
	pango_font_description_free(fd);
	if (!font)
		return false;
	PangoFontDescription *got = pango_font_describe(font);
	const char *name = pango_font_description_get_family(got);
	bool ok = name && !strcmp(name, family) &&
		  (fallback || (pango_font_description_get_weight(got) == weight &&
				pango_font_description_get_style(got) == style));
	pango_font_description_free(got);
	for (const char *p = text; ok && *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		GUnicodeType type = g_unichar_type(u);
		if (g_unichar_isspace(u) || type == G_UNICODE_CONTROL ||
		    type == G_UNICODE_FORMAT)
			continue;
		ok = pango_font_has_char(font, u);
	}
	g_object_unref(font);
	return ok;
}

/*
 * The face a line of text (a heading, a running head, an entry of the
 * contents, the title) is set in: the first of family, the body's family
 * and the fallbacks whose face draws every character of it, so that a
 * heading is never a mixture of typefaces (Linux Biolinum has no Ғ, Қ,
 * Ң, Һ: a heading in Kazakh is set in the body's face; one in Chinese in
 * Noto Serif CJK).  When none draws them all, family: Pango then draws
 * each character the first face that has it.
 */
const char *gb_ts_family_for(ts *t, const char *family, PangoWeight weight,
			      PangoStyle style, const char *text)
{
	if (!text)
		return family;
	if (draws_all(t, family, false, weight, style, text))
		return family;
	if (strcmp(family, t->body_family) &&
	    draws_all(t, t->body_family, false, weight, style, text))
		return t->body_family;
	for (char **f = t->fallbacks; *f; f++)
		if (draws_all(t, *f, true, weight, style, text))
			return *f;
	return family;
}

static void small_caps_free(gpointer p)
{
	small_caps *sc = p;
	g_hash_table_destroy(sc->has);
	g_free(sc);
}

/* The first glyph of text shaped in family's face (weight, style), with
   features. */
static PangoGlyph first_glyph(ts *t, const char *family, PangoWeight weight, PangoStyle style,
			      const char *text, const char *features, PangoFont **font)
{
	PangoFontDescription *fd = face_desc(family, t->size, weight, style);
	PangoAttrList *al = pango_attr_list_new();
	if (features)
		pango_attr_list_insert(al, pango_attr_font_features_new(features));
	gb_glyphs *g = gb_shape_text(t->pc, text, al, fd);
	PangoGlyph glyph = PANGO_GLYPH_EMPTY;
	if (g->runs->len) {
		const PangoGlyphItem *run = g->runs->pdata[0];
		if (run->glyphs->num_glyphs) {
			glyph = run->glyphs->glyphs[0].glyph;
			if (font)
				*font = g_object_ref(run->item->analysis.font);
		}
	}
	gb_glyphs_unref(g);
	pango_attr_list_unref(al);
	pango_font_description_free(fd);
	return glyph;
}

small_caps *gb_ts_small_caps_of(ts *t)
{
	small_caps *sc = g_object_get_data(G_OBJECT(t->pc), "gb-small-caps");
	if (sc)
		return sc;
	sc = g_new0(small_caps, 1);
	sc->has = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* the height of the font's small H over its H */
	sc->scale = 0.75;
	PangoFont *f1 = NULL, *f2 = NULL;
	PangoGlyph cap = first_glyph(t, t->body_family, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL,
				     "H", NULL, &f1);
	PangoGlyph small = first_glyph(t, t->body_family, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL,
				       "H", "c2sc", &f2);
	if (f1 && f2 && cap != small) {
		PangoRectangle a, b;
		pango_font_get_glyph_extents(f1, cap, &a, NULL);
		pango_font_get_glyph_extents(f2, small, &b, NULL);
		if (a.height > 0 && b.height > 0.5 * a.height && b.height < a.height)
			sc->scale = (double)b.height / a.height;
	}
	if (f1)
		g_object_unref(f1);
	if (f2)
		g_object_unref(f2);
	g_object_set_data_full(G_OBJECT(t->pc), "gb-small-caps", sc, small_caps_free);
	return sc;
}

/* Whether family's face in weight and style has a small capital for
   letter u under feature (c2sc for a capital, smcp for a small letter):
   Linux Biolinum Bold has them for Latin, as Libertine has, and neither
   for Cyrillic. */
bool gb_ts_face_has_small_cap(ts *t, const char *family, PangoWeight weight, PangoStyle style,
			      gunichar u, bool smcp)
{
	small_caps *sc = gb_ts_small_caps_of(t);
	char *key = g_strdup_printf("%s|%d|%d|%x|%d", family, (int)weight, (int)style, u, smcp);
	guint known = GPOINTER_TO_UINT(g_hash_table_lookup(sc->has, key));
	if (!known) {
		char s[8] = { 0 };
		g_unichar_to_utf8(u, s);
		known = first_glyph(t, family, weight, style, s, NULL, NULL) !=
			first_glyph(t, family, weight, style, s, smcp ? "smcp" : "c2sc", NULL)
			? 1 : 2;
		g_hash_table_insert(sc->has, key, GUINT_TO_POINTER(known));
	} else {
		g_free(key);
	}
	return known == 1;
}

/* Whether the body's font has a small capital for letter u. */
bool gb_ts_has_small_cap(ts *t, gunichar u, bool smcp)
{
	return gb_ts_face_has_small_cap(t, t->body_family, PANGO_WEIGHT_NORMAL,
					PANGO_STYLE_NORMAL, u, smcp);
}

/*
 * The OpenType features of a block's text: old-style figures throughout
 * running text (s->running, from text.figures) or the figures s->figures
 * asks for (a numeric column's lining tabular ones), and small capitals for
 * every word in capitals (gb_caps_word_next(): GSI, BRICS, II, НАТО) in
 * every block but code (s->caps, from text.abbreviations): in text,
 * tables, headings and the contents alike.  They are the face's own small
 * capitals (c2sc) where it has them for every letter of the word; else
 * its capitals scaled to the height of its small capitals (Cyrillic).
 * Either way letterspaced by text.caps-spacing of the size, as small
 * capitals want.  Inline code keeps its letters.
 */
void gb_ts_text_features(ts *t, inl *in, const setting *s)
{
	const char *text = in->text->str;
	size_t len = in->text->len;
	if (s->figures)
		add_attr(in, pango_attr_font_features_new(s->figures), 0, (guint)len);
	else if (s->running && t->oldstyle)
		add_attr(in, pango_attr_font_features_new("onum"), 0, (guint)len);
	if (!s->caps || !t->abbrev_caps)
		return;
	/* the bytes of inline code */
	guint8 *code = g_new0(guint8, len + 1);
	for (guint k = 0; k < in->segs->len; k++) {
		const seg *sg = &g_array_index(in->segs, seg, k);
		if (sg->node && sg->node->kind == GB_NODE_CODE)
			memset(code + sg->start, 1, MIN(sg->len, len - sg->start));
	}
	size_t at = 0, w, e;
	while (gb_caps_word_next(text, len, &at, &w, &e)) {
		if (code[w])
			continue;
		bool real = true;
		for (const char *q = text + w; q < text + e && real; q = g_utf8_next_char(q))
			real = gb_ts_face_has_small_cap(t, s->family, s->weight, s->style,
							g_utf8_get_char(q), false);
		add_attr(in, real ? pango_attr_font_features_new("c2sc")
				  : pango_attr_scale_new(gb_ts_small_caps_of(t)->scale),
			 (guint)w, (guint)e);
		PangoAttribute *ls = gb_ts_caps_spacing(t, s->size);
		if (ls)
			add_attr(in, ls, (guint)w, (guint)e);
	}
	g_free(code);
}

PangoAttribute *gb_ts_caps_spacing(const ts *t, double size)
{
	if (t->caps_spacing <= 0)
		return NULL;
	return pango_attr_letter_spacing_new((int)lround(t->caps_spacing * size * PANGO_SCALE));
}

/*
 * text in font fd (with attrs, or NULL) as one line in width points (0:
 * any), aligned by align, cut with an ellipsis if it is wider and
 * ellipsize is set: as a one-line PangoLayout sets it, *x is the line's
 * offset.  The caller unrefs the glyphs.  The text is shaped through the
 * word cache, not in a layout, unless it must be cut or wrapped or runs
 * right to left: a layout loads every glyph's outline to measure its line.
 */
gb_glyphs *gb_ts_one_line(ts *t, const char *text, const PangoFontDescription *fd,
			   PangoAttrList *attrs, double width, PangoAlignment align,
			   bool ellipsize, double *x)
{
	gb_glyphs *g = gb_shape_text(t->pc, text, attrs, fd);
	int lw = width > 0 ? (int)(width * PANGO_SCALE) : -1, w = 0;
	bool rtl = false;
	for (guint i = 0; i < g->runs->len; i++) {
		const PangoGlyphItem *gi = g->runs->pdata[i];
		rtl |= gi->item->analysis.level % 2;
		w += gb_run_width(gi);
	}
	if (!rtl && (lw < 0 || w <= lw)) {
		/* Pango's alignment, in its units */
		int off = 0;
		if (lw > 0 && align == PANGO_ALIGN_RIGHT)
			off = lw - w;
		else if (lw > 0 && align == PANGO_ALIGN_CENTER) {
			off = (lw - w) / 2;
			if (((lw | w) & (PANGO_SCALE - 1)) == 0)
				off = PANGO_UNITS_ROUND(off);
		}
		*x = off / (double)PANGO_SCALE;
		return g;
	}
	gb_glyphs_unref(g);
	PangoLayout *l = pango_layout_new(t->pc);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, text, -1);
	if (attrs)
		pango_layout_set_attributes(l, attrs);
	pango_layout_set_width(l, lw);
	if (ellipsize)
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, align);
	PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
	PangoRectangle logical;
	pango_layout_line_get_extents(line, NULL, &logical);
	*x = logical.x / (double)PANGO_SCALE;
	g = gb_glyphs_from_line(line);
	g_object_unref(l);
	return g;
}

/* A note's blocks are set at the note's size, at the full measure. */
void gb_ts_note_enter(ts *t, note_state *s)
{
	*s = (note_state){ t->size, t->leading, t->para_space, t->left, t->right,
			   t->list_indent, t->quote_indent, t->label_gap, t->in_note };
	t->in_note = true;
	t->size *= t->note_scale;
	t->leading *= t->note_scale;
	t->para_space *= t->note_scale;
	t->list_indent *= t->note_scale;
	t->quote_indent *= t->note_scale;
	t->label_gap *= t->note_scale;
	t->left = t->right = 0;
}

void gb_ts_note_leave(ts *t, const note_state *s)
{
	t->size = s->size;
	t->leading = s->leading;
	t->para_space = s->para_space;
	t->left = s->left;
	t->right = s->right;
	t->list_indent = s->list_indent;
	t->quote_indent = s->quote_indent;
	t->label_gap = s->label_gap;
	t->in_note = s->in_note;
}

/* The label of a list's item numbered n: "n." or a bullet; the caller
   frees it. */
char *gb_ts_item_label(const gb_node *list, const gb_node *li, int n)
{
	if (li && gb_task_mark(li))
		return g_strdup(gb_task_mark(li));
	return list->ordered ? g_strdup_printf("%d.", n) : g_strdup("\u2022");
}

static void note_lines(ts *t, const gb_node *fn, GPtrArray *out);

/* The first of lines (in text order) that ends after byte at. */
static guint line_after(const GArray *lines, guint at)
{
	guint lo = 0, hi = lines->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(lines, gb_line, mid).end <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The spans (links, note marks) of in on each of lines, in their order:
 * line i's are (*list)[r[i]] to (*list)[r[i + 1] - 1], where r is what
 * this returns.  Each span is found once, not once a line: a paragraph
 * may hold thousands on thousands of lines.  The caller frees both.
 */
static guint *spans_by_line(const inl *in, const GArray *lines, guint **list)
{
	guint n = lines->len, total = 0;
	guint *r = g_new0(guint, n + 1);
	for (int pass = 0; pass < 2; pass++) {
		guint *at = pass ? g_memdup2(r, (n + 1) * sizeof *r) : NULL;
		for (guint k = 0; k < in->spans->len; k++) {
			const span *sp = &g_array_index(in->spans, span, k);
			for (guint i = line_after(lines, sp->start);
			     i < n && g_array_index(lines, gb_line, i).start < sp->end; i++) {
				if (!pass)
					r[i + 1]++;
				else
					(*list)[at[i]++] = k;
			}
		}
		if (!pass) {
			for (guint i = 0; i < n; i++)
				r[i + 1] += r[i];
			total = r[n];
			*list = g_new(guint, MAX(total, 1));
		}
		g_free(at);
	}
	return r;
}

/* Whether text[0, n), a link's text, is an address (to url). */
static bool is_address(const char *text, size_t n, const char *url)
{
	if (url && (strlen(url) == n && !strncmp(text, url, n)))
		return true;
	if (url && g_str_has_prefix(url, "mailto:") && strlen(url) - 7 == n &&
	    !strncmp(text, url + 7, n))
		return true;
	return g_strstr_len(text, (gssize)n, "://") || (n > 4 && !strncmp(text, "www.", 4));
}

/*
 * The bytes of in's text that are set as they are, never hyphenated and
 * broken only at their natural points (gb_para_spec.literal): inline
 * code, a link whose text is an address, a word that is one
 * ("https://...", "www..."), its closing punctuation apart.
 */
static guint8 *literal_bytes(const inl *in)
{
	const char *t = in->text->str;
	guint len = (guint)in->text->len;
	guint8 *m = g_new0(guint8, len + 1);
	for (guint k = 0; k < in->segs->len; k++) {
		const seg *s = &g_array_index(in->segs, seg, k);
		if (s->node && s->node->kind == GB_NODE_CODE)
			memset(m + s->start, 1, MIN(s->len, len - s->start));
	}
	for (guint k = 0; k < in->spans->len; k++) {
		const span *sp = &g_array_index(in->spans, span, k);
		if (sp->node->kind == GB_NODE_LINK &&
		    is_address(t + sp->start, sp->end - sp->start, sp->node->url))
			memset(m + sp->start, 1, sp->end - sp->start);
	}
	for (guint i = 0; i < len;) {
		guint e = i;
		while (e < len && t[e] != ' ' && strncmp(t + e, "\u2028", 3))
			e++;
		if (e > i && is_address(t + i, e - i, NULL)) {
			guint b = i, f = e;
			while (b < f && strchr("(\"'<[", t[b]))
				b++;
			while (f > b && strchr(".,;:!?)\"'>]", t[f - 1]))
				f--;
			memset(m + b, 1, f - b);
		}
		i = e < len ? e + (t[e] == ' ' ? 1 : 3) : e;
	}
	return m;
}

/*
 * The byte of line (as the book holds it) where byte off of the text set
 * for it, its tabs expanded as expand_tabs() does, comes from: the first
 * character that starts at or after off (a tab when off is where its
 * spaces start).  line NULL: the text set is the book's own.
 */
static size_t origin_byte(const char *line, size_t off)
{
	if (!line)
		return off;
	size_t len = strlen(line);
	if (!strchr(line, '\t'))
		return MIN(off, len);  /* (an empty line is set as one space) */
	size_t at = 0;  /* byte in set */
	long col = 0;
	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		if (at >= off)
			return (size_t)(p - line);
		if (*p == '\t') {
			do
				at++;
			while (++col % 8);
		} else {
			at += (size_t)(g_utf8_next_char(p) - p);
			col++;
		}
	}
	return len;
}

/*
 * Sets the inlines of block (a paragraph, heading, cell, caption) as lines
 * at the current indents and appends them to the galley out.  Returns the
 * number of lines.
 */
int gb_ts_set_lines(ts *t, const gb_node *block, const setting *s,
		     const char *prefix, GPtrArray *out, double width,
		     double left)
{
	inl in;
	gb_ts_inl_init(&in, t, s->size);
	if (prefix)
		g_string_append(in.text, prefix);
	for (const gb_node *c = block->first; c; c = c->next)
		gb_node_walk(c, gb_ts_inline_fn, &in);
	if (!in.text->len) {
		gb_ts_inl_release(&in);
		return 0;
	}
	gb_ts_text_features(t, &in, s);
	PangoFontDescription *fd = gb_ts_font_desc(t, s->family, s->size, s->weight, s->style);
	gb_para_spec spec = {
		.text = in.text->str, .attrs = in.attrs, .font = fd,
		.measure = width, .indent = s->first_indent,
		.justify = s->justify, .align = s->align, .lang = t->lang,
		.hyph = t->hyph, .params = &t->breaking,
		.whole_words = s->whole_words,
		.monospace = !g_strcmp0(s->family, t->mono_family),
	};
	guint8 *literal = literal_bytes(&in);
	spec.literal = literal;
	/* the whole paragraph shaped once: for characters no font can draw,
	   and for the line breaker's widths */
	if (t->lang)
		pango_context_set_language(t->pc, pango_language_from_string(t->lang));
	gb_glyphs *whole = gb_shape_text(t->pc, in.text->str, in.attrs, fd);
	check_glyphs(t, whole, &in);
	spec.shaped = whole;
	if (s->justify && t->opt->first_fit) {
		/* the same paragraph, broken first-fit, for the comparison */
		spec.first_fit = true;
		GArray *ff = gb_break_paragraph(t->pc, &spec, t->opt->first_fit);
		if (t->opt->first_fit_lines)
			gb_measure_lines_add(t->opt->first_fit_lines, ff, spec.measure);
		gb_lines_free(ff);
		spec.first_fit = false;
	}
	GArray *lines = gb_break_paragraph(t->pc, &spec, s->justify ? t->opt->stats : NULL);
	gb_glyphs_unref(whole);
	g_free(literal);
	if (s->tag) {
		vitem *m = gb_ts_vitem_new(V_MARK, 0);
		gb_ts_vbox(m, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, s->tag);
		m->keep = true;
		g_ptr_array_add(out, m);
	}
	int n = (int)lines->len;
	guint *line_spans = NULL;
	guint *first_span = spans_by_line(&in, lines, &line_spans);
	guint first_seg = 0;
	bool warned = false;
	for (int i = 0; i < n; i++) {
		const gb_line *ln = &g_array_index(lines, gb_line, i);
		if (ln->broken && !warned) {
			/* once a paragraph, where it first happens */
			gb_warning(t->d, loc_of(&in, ln->end),
				   ln->squeezed ? "a line that cannot be set within the rules "
						  "is broken between two letters, without a hyphen"
						: "a word wider than the line is broken between two "
						  "letters, without a hyphen");
			warned = true;
		}
		if (ln->over > 0)
			gb_warning(t->d, loc_of(&in, ln->start),
				   "a line runs %.1f pt past the measure: nothing sets it "
				   "within the rules", ln->over);
		double ascent, h;
		gb_glyphs_extents(ln->glyphs, t->fallbacks, &ascent, &h);
		double lh = MAX(s->leading, h);
		vitem *v = gb_ts_vitem_new(V_LINE, lh);
		double baseline = (lh - h) / 2 + ascent;
		GString *text = g_string_new_len(in.text->str + ln->start, (gssize)(ln->end - ln->start));
		if (ln->hyphenated)
			g_string_append(text, "\u00AD");
		gb_box *b = gb_ts_vbox(v, GB_BOX_TEXT, left + ln->x, baseline, 0, 0, text->str);
		g_string_free(text, TRUE);
		b->w = ln->width;
		b->glyphs = gb_glyphs_ref(ln->glyphs);
		/* where the line's text comes from, in the book's own nodes
		   (made-up ones, for the book's own pages, have no file) */
		while (first_seg < in.segs->len &&
		       g_array_index(in.segs, seg, first_seg).start +
		       g_array_index(in.segs, seg, first_seg).len <= ln->start)
			first_seg++;  /* (ended before this line: never again) */
		for (guint k = first_seg; k < in.segs->len; k++) {
			const seg *sg = &g_array_index(in.segs, seg, k);
			if (sg->start > ln->start)
				break;
			if (sg->node && sg->node->parent && sg->node->text &&
			    ln->start < sg->start + sg->len) {
				b->source = sg->node;
				b->source_off = ln->start - sg->start;
			}
		}
		if (!b->source && s->origin) {
			b->source = s->origin;
			b->source_off = s->origin_off +
					origin_byte(s->origin_line, ln->start);
		}
		if (i == 0 && s->dest)
			gb_ts_vbox(v, GB_BOX_DEST, left, 0, 0, 0, s->dest);
		/* links and note marks on this line: x ranges in the line's own
		   text, which starts at ln->start */
		guint ls = ln->start, le = ln->end;
		double x0 = left + ln->x;
		for (guint j = first_span[i]; j < first_span[i + 1]; j++) {
			const span *sp = &g_array_index(in.spans, span, line_spans[j]);
			guint a = MAX(sp->start, ls), z = MIN(sp->end, le);
			if (a >= z)
				continue;
			double rx0, rx1;
			bool nr = gb_glyphs_x_range(ln->glyphs, a - ls, z - ls, &rx0, &rx1);
			const gb_node *target = sp->node;
			char *dest = NULL;
			if (target->kind == GB_NODE_NOTEREF) {
				dest = g_strconcat("#", target->target->id, NULL);
				if (sp->start >= ls)
					gb_ts_vbox(v, GB_BOX_DEST, nr ? x0 + rx0 : left + ln->x,
					     0, 0, 0, target->id);
				if (!v->notes)
					v->notes = g_ptr_array_new();
				/* a note is set once, at its first reference */
				if (sp->start >= ls && g_hash_table_add(t->notes_set, target->target->id))
					note_lines(t, target->target, v->notes);
			} else if (gb_link_has_target(target)) {
				dest = g_strdup(target->url);
			} else if ((target->kind == GB_NODE_SPAN || target->kind == GB_NODE_ANCHOR) && sp->start >= ls)
				gb_ts_vbox(v, GB_BOX_DEST, nr ? x0 + rx0 : left + ln->x, 0, 0, 0, target->id);
			/* a link without a target (warned of when the book is
			   read) is set as its text, as the EPUB shows it */
			if (nr && rx1 > rx0 && dest)
				gb_ts_vbox(v, GB_BOX_LINK, x0 + rx0, 0, rx1 - rx0, lh, dest)->source = target;
			g_free(dest);
		}
		gb_ts_line_images(&in, v, ls, le, ln->glyphs, x0, baseline);
		/* (set: it stays packed until it is drawn) */
		gb_glyphs_pack(ln->glyphs);
		v->keep = gb_ts_keeps_with_next(s, i, n);
		v->penalty = ln->hyphenated ? GB_TS_BROKEN_PENALTY : 0;
		/* body text (not a note's, a heading's, code or a caption)
		   sits on the page's grid */
		v->grid = !t->in_note && s->leading == t->leading && s->size == t->size;
		g_ptr_array_add(out, v);
	}
	if (s->tag) {
		vitem *m = gb_ts_vitem_new(V_MARK, 0);
		gb_ts_vbox(m, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
		m->keep = s->keep_all;
		g_ptr_array_add(out, m);
	}
	if (s->outline && s->dest)
		gb_layout_add_outline(t->lay, s->outline_level, s->outline, s->dest);
	g_free(first_span);
	g_free(line_spans);
	gb_lines_free(lines);
	pango_font_description_free(fd);
	gb_ts_inl_release(&in);
	return n;
}

/*
 * Whether line i of the n lines a block is set in stays on the page of
 * the next: every line of a heading (keep_all), the first and the
 * last-but-one lines of a paragraph (no orphans, no widows), and the last
 * line of a tagged block (with its end tag).  A hyphenated line may end a
 * page, at a cost (GB_TS_BROKEN_PENALTY, the page builder's).
 */
bool gb_ts_keeps_with_next(const setting *s, int i, int n)
{
	return s->keep_all || (n >= 2 && i == 0) || (n >= 3 && i == n - 2) ||
	       (s->tag && i == n - 1);
}

void gb_ts_add_space(ts *t, double h)
{
	if (h <= 0)
		return;
	vitem *v = gb_ts_vitem_new(V_SPACE, h);
	g_ptr_array_add(t->galley, v);
}

void gb_ts_add_mark(GPtrArray *out, bool begin, const char *tag, bool keep)
{
	vitem *m = gb_ts_vitem_new(V_MARK, 0);
	gb_ts_vbox(m, begin ? GB_BOX_TAG_BEGIN : GB_BOX_TAG_END, 0, 0, 0, 0, begin ? tag : NULL);
	m->keep = keep;
	g_ptr_array_add(out, m);
}

const gb_node *gb_ts_fake_para(fake *f, const char *text)
{
	memset(f, 0, sizeof *f);
	f->text.kind = GB_NODE_TEXT;
	f->text.text = (char *)text;
	f->text.loc = (gb_loc){ NULL, GB_NOPOS };
	f->para.kind = GB_NODE_PARAGRAPH;
	f->para.first = f->para.last = &f->text;
	return &f->para;
}

setting gb_ts_body_setting(ts *t)
{
	setting s = {
		.family = t->body_family, .size = t->size, .leading = t->leading,
		.weight = PANGO_WEIGHT_NORMAL, .style = PANGO_STYLE_NORMAL,
		.justify = true, .align = PANGO_ALIGN_LEFT, .tag = "P",
		.running = true, .caps = true,
	};
	return s;
}

/*
 * The text's figures for a line of text set alone (a list's label, a
 * note's number): old-style when running text has them (text.figures).
 * NULL for the font's own; the caller unrefs it.
 */
PangoAttrList *gb_ts_text_figures(ts *t)
{
	if (!t->oldstyle)
		return NULL;
	PangoAttrList *al = pango_attr_list_new();
	pango_attr_list_insert(al, pango_attr_font_features_new("onum"));
	return al;
}

/* The glyphs of note fn's label, in the text's figures, at the size set. */
static gb_glyphs *note_label(ts *t, const gb_node *fn)
{
	PangoFontDescription *fd = gb_ts_font_desc(t, t->body_family, t->size,
						     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	PangoAttrList *al = gb_ts_text_figures(t);
	double lx;
	gb_glyphs *g = gb_ts_one_line(t, fn->label, fd, al, 0, PANGO_ALIGN_LEFT, false, &lx);
	if (al)
		pango_attr_list_unref(al);
	pango_font_description_free(fd);
	return g;
}

/*
 * The number of note fn (its glyphs g, which it takes), hung in the
 * margin beside the first line of its text (the first line of out from
 * before that holds text): right-aligned a label gap left of the text
 * block, so that the note's text keeps the measure and the numbers stand
 * out where the eye looks for them, in the text's figures, at the note's
 * size; run_in, at the line's start instead (the line indented by it).
 * It links back to the reference; with dest, the note's destination is
 * there too (a note that opens with a list, a quotation, code or a table).
 */
static void hang_note_number(ts *t, const gb_node *fn, GPtrArray *out, guint before,
			     bool dest, gb_glyphs *g, bool run_in)
{
	for (guint i = before; i < out->len; i++) {
		vitem *v = g_ptr_array_index(out, i);
		const gb_box *tb = NULL;
		for (guint k = 0; v->kind == V_LINE && k < v->boxes->len && !tb; k++) {
			const gb_box *b = g_ptr_array_index(v->boxes, k);
			if (b->kind == GB_BOX_TEXT)
				tb = b;
		}
		if (!tb)
			continue;
		gb_box *lb = g_new0(gb_box, 1);
		lb->glyphs = g;
		lb->kind = GB_BOX_TEXT;
		lb->w = gb_glyphs_width(lb->glyphs);
		lb->x = run_in ? 0 : -t->label_gap - lb->w;
		lb->y = tb->y;
		lb->text = g_strdup(fn->label);
		g_ptr_array_insert(v->boxes, 0, lb);
		char *back = g_strdup_printf("#fnref-%d", fn->number);
		gb_ts_vbox(v, GB_BOX_LINK, lb->x, 0, lb->w, v->height, back);
		g_free(back);
		if (dest)
			gb_ts_vbox(v, GB_BOX_DEST, lb->x, 0, 0, 0, fn->id);
		return;
	}
	gb_glyphs_unref(g);
}

/*
 * The lines of footnote fn, at the foot's size, appended to out: every
 * block the note holds (paragraphs, lists, quotations, code, tables), as
 * the text sets them, at the note's size and at the full measure.  Its
 * paragraphs have no indent; its number hangs in the margin beside its
 * first line.  With a printer's safety margin, a label the margins have
 * no room for (a doubled mark of an address's note: they make room for
 * the single ones, gb_ts_keep_hangs_safe()) is set run-in instead.
 */
static void note_lines(ts *t, const gb_node *fn, GPtrArray *out)
{
	setting s = gb_ts_body_setting(t);
	s.size = t->size * t->note_scale;
	s.leading = t->leading * t->note_scale;
	s.tag = NULL;
	gb_ts_add_mark(out, true, "Note", false);
	/* the blocks of the note are set as the text's, at the note's size
	   and into out: the typesetter's sizes and flow are the note's while
	   they are set */
	GPtrArray *galley = t->galley;
	note_state saved;
	gb_ts_note_enter(t, &saved);
	t->galley = out;
	bool first = true;
	const gb_node *prev = NULL;
	gb_glyphs *label = note_label(t, fn);
	double hang = gb_glyphs_width(label) + t->label_gap, safety = t->opt->safety;
	bool run_in = safety > 0 && fn->first && fn->first->kind == GB_NODE_PARAGRAPH &&
		      hang > MIN(t->inner, t->outer) - safety + 0.001;
	for (const gb_node *b = fn->first; b; prev = b, b = b->next) {
		guint before = out->len;
		if (b->kind == GB_NODE_PARAGRAPH) {
			s.dest = first ? fn->id : NULL;
			s.first_indent = first && run_in ? hang : 0;
			gb_ts_set_lines(t, b, &s, NULL, out, t->measure, 0);
		} else {
			gb_ts_set_block(t, b, prev);
		}
		if (first)
			hang_note_number(t, fn, out, before, b->kind != GB_NODE_PARAGRAPH,
					 label, run_in);
		first = false;
	}
	if (first)
		gb_glyphs_unref(label);  /* a note with no block */
	t->galley = galley;
	gb_ts_note_leave(t, &saved);
	gb_ts_add_mark(out, false, NULL, false);
}
