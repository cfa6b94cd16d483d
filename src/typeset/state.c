/* state.c - the galley's items, the typesetter's state, and the style read into it (ts.h) */
#include "typeset/ts.h"
#include "typeset/microtype.h"

void gb_ts_vitem_free(vitem *v)
{
	if (!v)
		return;
	if (v->boxes) {
		g_ptr_array_foreach(v->boxes, (GFunc)(void (*)(void))gb_box_free, NULL);
		g_ptr_array_free(v->boxes, TRUE);
	}
	if (v->notes) {
		g_ptr_array_foreach(v->notes, (GFunc)(void (*)(void))gb_ts_vitem_free, NULL);
		g_ptr_array_free(v->notes, TRUE);
	}
	g_free(v);
}

vitem *gb_ts_vitem_new(vkind kind, double height)
{
	vitem *v = g_new0(vitem, 1);
	v->kind = kind;
	v->height = height;
	v->boxes = g_ptr_array_new();
	return v;
}

gb_box *gb_ts_vbox(vitem *v, gb_box_kind kind, double x, double y, double w,
		    double h, const char *text)
{
	gb_box *b = gb_box_new(kind, x, y, w, h, text);
	g_ptr_array_add(v->boxes, b);
	return b;
}

gb_box *gb_ts_clone_box(const gb_box *b)
{
	gb_box *c = g_new0(gb_box, 1);
	*c = *b;
	c->text = g_strdup(b->text);
	c->attrs = g_strdup(b->attrs);
	if (c->glyphs)
		gb_glyphs_ref(c->glyphs);
	return c;
}

static bool style_ok(double x)
{
	return !isnan(x);
}

/* Reads every print value of the style; false after reporting. */
bool gb_ts_read_style(ts *t)
{
	const gb_style *s = t->opt->style;
	gb_diag *d = t->d;
	const char *paper = t->opt->paper ? t->opt->paper : gb_style_need(s, "print.paper", d);
	if (!paper)
		return false;
	if (!gb_paper_size(paper, &t->pw, &t->ph)) {
		gb_error(d, gb_noloc(),
			 "unknown paper '%s' (a5, b5, a4, letter, 6x9in, 5.5x8.5in, or WxH with mm or in)",
			 paper);
		return false;
	}
	t->size = gb_style_length(s, "print.size", 0, d);
	double em = style_ok(t->size) ? t->size : 10;
	t->leading = gb_style_number(s, "text.leading", d) * em;
	t->indent = gb_style_length(s, "text.indent", em, d);
	t->inner = gb_style_length(s, "print.margins.inner", em, d);
	t->outer = gb_style_length(s, "print.margins.outer", em, d);
	t->top = gb_style_length(s, "print.margins.top", em, d);
	t->bottom = gb_style_length(s, "print.margins.bottom", em, d);
	t->head_gap = gb_style_length(s, "print.head-gap", em, d);
	t->folio_gap = gb_style_length(s, "print.folio-gap", em, d);
	t->opener_sink = gb_style_number(s, "print.opener-sink", d);
	t->note_rule = gb_style_number(s, "print.note-rule", d);
	t->note_gap = gb_style_length(s, "print.note-gap", em, d);
	t->list_indent = gb_style_length(s, "print.list-indent", em, d);
	t->quote_indent = gb_style_length(s, "print.quote-indent", em, d);
	t->para_space = gb_style_length(s, "print.paragraph-space", em, d);
	t->code_scale = gb_style_number(s, "print.code-scale", d);
	t->head_scale = gb_style_number(s, "print.head-scale", d);
	t->note_scale = gb_style_number(s, "text.note-scale", d);
	t->caption_scale = gb_style_number(s, "text.caption-scale", d);
	/* in ems of a table's text (its caption's size), as the EPUB's
	   padding of a cell is */
	t->cell_pad = gb_style_length(s, "print.cell-padding", em * t->caption_scale, d);
	t->standfirst_scale = gb_style_number(s, "text.standfirst-scale", d);
	t->label_scale = gb_style_number(s, "headings.label-scale", d);
	t->heading_leading = gb_style_number(s, "headings.leading", d);
	t->rule = gb_style_length(s, "print.rule", em, d);
	t->table_rule = gb_style_length(s, "print.table-rule", em, d);
	t->row_space = gb_style_number(s, "print.row-space", d);
	t->label_gap = gb_style_length(s, "print.label-gap", em, d);
	t->break_width = gb_style_number(s, "print.break-width", d);
	t->figure_height = gb_style_number(s, "print.figure-height", d);
	t->image_resolution = gb_style_number(s, "print.image-resolution", d);
	t->head_width = gb_style_number(s, "print.head-width", d);
	t->folio_width = gb_style_length(s, "print.folio-width", em, d);
	t->title_scale = gb_style_number(s, "print.title-scale", d);
	t->table_min_scale = gb_style_number(s, "print.table-min-scale", d);
	t->title_min_scale = gb_style_number(s, "print.title-min-scale", d);
	gb_break_params *bp = &t->breaking;
	bp->pretolerance = gb_style_number(s, "breaking.pretolerance", d);
	bp->tolerance = gb_style_number(s, "breaking.tolerance", d);
	bp->emergency = gb_style_number(s, "breaking.emergency", d);
	bp->line_penalty = gb_style_number(s, "breaking.line-penalty", d);
	bp->hyphen_penalty = gb_style_number(s, "breaking.hyphen-penalty", d);
	bp->double_hyphen_demerits = gb_style_number(s, "breaking.double-hyphen-demerits", d);
	bp->fitness_demerits = gb_style_number(s, "breaking.fitness-demerits", d);
	bp->last_line_demerits = gb_style_number(s, "breaking.last-line-demerits", d);
	bp->min_last_line = gb_style_number(s, "breaking.min-last-line", d);
	bp->stretch = gb_style_number(s, "breaking.stretch", d);
	bp->shrink = gb_style_number(s, "breaking.shrink", d);
	bp->last_word_demerits = gb_style_number(s, "breaking.last-word-demerits", d);
	bp->ragged_above = gb_style_number(s, "breaking.ragged-above", d);
	bp->loosest = gb_style_number(s, "breaking.loosest", d);
	bp->ragged_demerits = gb_style_number(s, "breaking.ragged-demerits", d);
	bp->fallback_hyphen_penalty = gb_style_number(s, "breaking.fallback-hyphen-penalty", d);
	bp->short_measure = gb_style_number(s, "breaking.short-measure", d);
	const char *caps = gb_style_need(s, "breaking.capitalised", d);
	if (!caps)
		return false;
	if (strcmp(caps, "true") && strcmp(caps, "false")) {
		gb_error(d, gb_style_loc(s, "breaking.capitalised", -1),
			 "style 'breaking.capitalised' must be true or false, not '%s'", caps);
		return false;
	}
	bp->capitalised = !strcmp(caps, "true");
	bp->hyphen_mins = gb_style_get(s, "breaking.hyphen-mins");
	char **mins = gb_style_list(s, "breaking.hyphen-mins");
	for (int i = 0; mins[i]; i++) {
		char name[32];
		int a, b;
		if (!*mins[i])
			continue;
		if (!gb_hyphen_mins_item(mins[i], name, &a, &b)) {
			gb_error(d, gb_style_loc(s, "breaking.hyphen-mins", i),
				 "each item of style 'breaking.hyphen-mins' must be a language and two "
				 "counts of letters, 'en 2 3', not '%s'", mins[i]);
			g_strfreev(mins);
			return false;
		}
	}
	g_strfreev(mins);
	double run = gb_style_number(s, "breaking.max-hyphen-run", d);
	double lmin = gb_style_number(s, "breaking.left-min", d);
	double rmin = gb_style_number(s, "breaking.right-min", d);
	double bvals[] = { bp->pretolerance, bp->tolerance, bp->emergency,
			   bp->line_penalty, bp->hyphen_penalty,
			   bp->double_hyphen_demerits, bp->fitness_demerits,
			   bp->last_line_demerits, bp->min_last_line, bp->stretch,
			   bp->shrink, run, lmin, rmin, bp->last_word_demerits,
			   bp->ragged_above, bp->loosest, bp->ragged_demerits,
			   bp->fallback_hyphen_penalty, bp->short_measure };
	for (size_t i = 0; i < G_N_ELEMENTS(bvals); i++)
		if (!style_ok(bvals[i]))
			return false;
	if (!gb_style_in_range(s, "breaking.last-word-demerits", bp->last_word_demerits, 0, INFINITY,
				   "a cost of 0 or more", d) ||
	    !gb_style_in_range(s, "breaking.ragged-demerits", bp->ragged_demerits, 0, INFINITY,
				   "a cost of 0 or more", d) ||
	    !gb_style_in_range(s, "breaking.short-measure", bp->short_measure, 0, INFINITY,
				   "a number of ems, 0 or more", d) ||
	    !gb_style_in_range(s, "breaking.loosest", bp->loosest, 1, INFINITY,
				   "a number of normal spaces, 1 or more", d))
		return false;
	if (bp->ragged_above != 0 &&
	    !gb_style_in_range(s, "breaking.ragged-above", bp->ragged_above, 1, INFINITY,
				   "0 (never ragged) or a number of normal spaces, 1 or more", d))
		return false;
	if (!gb_read_microtype(s, bp, d))
		return false;
	bp->max_hyphen_run = (int)run;
	bp->left_min = (int)lmin;
	bp->right_min = (int)rmin;
	for (int l = 1; l <= 3; l++) {
		char key[64];
		snprintf(key, sizeof key, "headings.h%d.scale", l);
		t->h_scale[l] = gb_style_number(s, key, d);
		snprintf(key, sizeof key, "headings.h%d.space-before", l);
		t->h_before[l] = gb_style_length(s, key, em, d);
		snprintf(key, sizeof key, "headings.h%d.space-after", l);
		t->h_after[l] = gb_style_length(s, key, em, d);
	}
	const char *figures = gb_style_need(s, "text.figures", d);
	const char *abbrev = gb_style_need(s, "text.abbreviations", d);
	if (!figures || !abbrev)
		return false;
	t->oldstyle = !strcmp(figures, "oldstyle-nums");
	t->abbrev_caps = !strcmp(abbrev, "small-caps");
	/* in ems of the small capitals' size, as the EPUB's letter-spacing
	   is (a length in points would be another in each edition) */
	t->caps_spacing = gb_style_length(s, "text.caps-spacing", 1, d);
	if (!style_ok(t->caps_spacing))
		return false;
	if (!g_str_has_suffix(gb_style_get(s, "text.caps-spacing"), "em"))
		t->caps_spacing = NAN;
	if (!gb_style_in_range(s, "text.caps-spacing", t->caps_spacing, 0, 0.5,
			       "a length in ems from 0em to 0.5em", d))
		return false;
	t->body_family = gb_style_need(s, "fonts.body", d);
	t->heading_family = gb_style_need(s, "fonts.heading", d);
	t->mono_family = gb_style_need(s, "fonts.mono", d);
	double all[] = { t->size, t->leading, t->indent, t->inner, t->outer, t->top,
			 t->bottom, t->head_gap, t->folio_gap, t->opener_sink,
			 t->note_rule, t->note_gap, t->list_indent, t->quote_indent,
			 t->para_space, t->cell_pad, t->code_scale, t->head_scale,
			 t->note_scale, t->caption_scale, t->standfirst_scale,
			 t->label_scale, t->h_scale[1], t->h_scale[2], t->h_scale[3],
			 t->h_before[1], t->h_before[2], t->h_before[3],
			 t->h_after[1], t->h_after[2], t->h_after[3],
			 t->heading_leading, t->rule, t->table_rule, t->row_space,
			 t->label_gap, t->break_width, t->figure_height,
			 t->image_resolution, t->head_width, t->folio_width,
			 t->title_scale, t->table_min_scale, t->title_min_scale };
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
		if (!style_ok(all[i]))
			return false;
	if (!t->body_family || !t->heading_family || !t->mono_family || !gb_ts_read_links(t))
		return false;
	if (!gb_ts_read_deflist_style(t, em))
		return false;
	/* every face is asked for with the fallbacks after it, in the
	   style's order, not in the order fontconfig sorts the others */
	t->fallbacks = gb_style_list(s, "fonts.fallbacks");
	GString *tail = g_string_new(NULL);
	t->listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(t->listed, (gpointer)t->body_family);
	g_hash_table_add(t->listed, (gpointer)t->heading_family);
	g_hash_table_add(t->listed, (gpointer)t->mono_family);
	for (char **f = t->fallbacks; *f; f++) {
		g_string_append_printf(tail, ",%s", *f);
		g_hash_table_add(t->listed, *f);
	}
	t->fallback_tail = g_string_free(tail, FALSE);
	t->mono_list = g_strconcat(t->mono_family, t->fallback_tail, NULL);
	/* a printer's profile: its inside margin and its safety margin are
	   minimums, so each margin is the larger of the style's and the
	   printer's (KDP's 0.375 in gutter does not narrow a 20 mm one) */
	t->inner = MAX(t->inner, t->opt->gutter);
	double *margins[] = { &t->inner, &t->outer, &t->top, &t->bottom };
	for (size_t i = 0; i < G_N_ELEMENTS(margins); i++)
		*margins[i] = MAX(*margins[i], MAX(t->opt->min_margin, t->opt->safety));
	t->measure = t->pw - t->inner - t->outer;
	t->body_h = t->ph - t->top - t->bottom;
	if (t->measure < 10 * t->size || t->body_h < 10 * t->leading) {
		gb_error(d, gb_noloc(), "the page is too small for its margins and type size");
		return false;
	}
	if (!gb_ts_read_divs_style(t))  /* divs.c */
		return false;
	return true;
}

/* What a footnote's number hangs into the margin (hang_note_number,
   inline.c): the widest of the book's note labels, set at the note's
   size in the text's figures, and the note's label gap.  The notes of
   addresses (references.c) are made while the book is set, and their
   marks count on each page: the margins make room for the first six,
   the single marks "*" to "\u00B6" (as many as the book has addresses in
   notes); a doubled mark wider than the room is set run-in (inline.c). */
typedef struct note_hang {
	ts *t;
	PangoFontDescription *fd;
	PangoAttrList *al;
	double widest;
	int in_note;            /* depth in the book's footnotes */
	guint addresses;        /* links whose addresses get notes of their own */
} note_hang;

static double label_width(note_hang *h, const char *label)
{
	double lx;
	gb_glyphs *g = gb_ts_one_line(h->t, label, h->fd, h->al, 0, PANGO_ALIGN_LEFT, false, &lx);
	double w = gb_glyphs_width(g);
	gb_glyphs_unref(g);
	return w;
}

static bool widest_label(const gb_node *n, bool entering, void *ctx)
{
	note_hang *h = ctx;
	if (n->kind == GB_NODE_FOOTNOTE)
		h->in_note += entering ? 1 : -1;
	if (entering && n->kind == GB_NODE_FOOTNOTE && n->label)
		h->widest = MAX(h->widest, label_width(h, n->label));
	if (entering && n->kind == GB_NODE_LINK && !h->in_note &&
	    gb_ts_link_has_note(h->t, n))
		h->addresses++;
	return true;
}

/* The most that any character hangs into a margin by protrusion: its
   share of its width, at the largest size text is set in (a title, a
   heading), in the body's and the headings' faces. */
static double protrusion_hang(ts *t)
{
	double scale = MAX(1.0, MAX(t->title_scale, t->standfirst_scale));
	for (int l = 0; l < 4; l++)
		scale = MAX(scale, t->h_scale[l]);
	const char *families[] = { t->body_family, t->heading_family };
	double most = 0;
	for (int i = 0; i < t->breaking.hangs; i++) {
		double share = MAX(t->breaking.hang[i].left, t->breaking.hang[i].right);
		char c[7] = { 0 };
		g_unichar_to_utf8(t->breaking.hang[i].c, c);
		for (size_t f = 0; f < G_N_ELEMENTS(families) && share > 0; f++) {
			PangoFontDescription *fd = gb_ts_font_desc(t, families[f], t->size * scale,
								   PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
			double lx;
			gb_glyphs *g = gb_ts_one_line(t, c, fd, NULL, 0, PANGO_ALIGN_LEFT, false, &lx);
			most = MAX(most, share * gb_glyphs_width(g));
			gb_glyphs_unref(g);
			pango_font_description_free(fd);
		}
	}
	return most;
}

bool gb_ts_keep_hangs_safe(ts *t)
{
	double s = t->opt->safety;
	if (s <= 0)
		return true;
	note_hang h = { .t = t };
	h.fd = gb_ts_font_desc(t, t->body_family, t->size * t->note_scale,
			       PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	h.al = gb_ts_text_figures(t);
	gb_node_walk(t->book->root, widest_label, &h);
	for (guint k = 0; k < MIN(h.addresses, GB_TS_SINGLE_MARKS); k++) {
		char *mark = gb_ts_url_mark(k);
		h.widest = MAX(h.widest, label_width(&h, mark));
		g_free(mark);
	}
	if (h.al)
		pango_attr_list_unref(h.al);
	pango_font_description_free(h.fd);
	double notes = h.widest > 0 ? h.widest + t->label_gap * t->note_scale : 0;
	double hang = MAX(notes, protrusion_hang(t));
	/* the inside margin is the left one on a recto, the outside one on
	   a verso: both keep the safety margin beyond the hang, either side */
	t->inner = MAX(t->inner, s + hang);
	t->outer = MAX(t->outer, s + hang);
	t->measure = t->pw - t->inner - t->outer;
	if (t->measure < 10 * t->size) {
		gb_error(t->d, gb_noloc(), "the page is too small for its margins and type size "
			 "with the printer's %.3g in safety margin", s / 72);
		return false;
	}
	return true;
}
