/* blocks.c - blocks: headings, paragraphs, lists, quotations, code, breaks and figures (ts.h) */
#include "typeset/ts.h"

/* Sets the blocks from first on; with z, makes the pages each completes. */
void gb_ts_set_blocks(ts *t, const gb_node *first, pagination *z)
{
	const gb_node *prev = NULL;
	for (const gb_node *b = first; b; b = b->next) {
		if (b->kind == GB_NODE_FOOTNOTE)
			continue;
		gb_ts_set_block(t, b, prev);
		prev = b;
		if (z)
			gb_ts_paginate_some(z, false);
	}
}

/*
 * How far a list's items are indented: the style's list-indent, or more
 * when the list's widest label and the gap after it need more (an ordered
 * list numbered from 123456789 hangs its labels in the indent, never in
 * the margin).
 */
double gb_ts_list_indent_of(ts *t, const gb_node *list)
{
	if (!list->ordered)
		return t->list_indent;
	double widest = 0;
	PangoFontDescription *fd = gb_ts_font_desc(t, t->body_family, t->size,
					     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
	int n = list->number;
	PangoAttrList *al = gb_ts_text_figures(t);
	for (const gb_node *item = list->first; item; item = item->next, n++) {
		char *label = gb_ts_item_label(list, item, n);
		double lx;
		gb_glyphs *g = gb_ts_one_line(t, label, fd, al, 0, PANGO_ALIGN_LEFT, false, &lx);
		widest = MAX(widest, gb_glyphs_width(g));
		gb_glyphs_unref(g);
		g_free(label);
	}
	if (al)
		pango_attr_list_unref(al);
	pango_font_description_free(fd);
	return MAX(t->list_indent, widest + t->label_gap);
}

/* A quotation's blocks are indented on both sides (dir 1: entering, -1:
   leaving). */
void gb_ts_indent_quote(ts *t, int dir)
{
	t->left += dir * t->quote_indent;
	t->right += dir * t->quote_indent;
}

/*
 * A space around a block (a list, a quotation, code, a table, a figure)
 * or before a heading: h high, and on a page that would end short, one
 * of the spaces the page builder may grow by whole lines (flush bottoms,
 * pages.c).  The text after it returns to the grid there: its first line
 * goes to the next grid line.
 */
void gb_ts_add_block_space(ts *t, double h)
{
	/* right after a heading (its marks aside), the two spaces are one,
	   the larger, as LaTeX's \addvspace makes them: a list, a
	   quotation or a heading that follows a heading is as far from it
	   as a paragraph is */
	for (guint k = t->galley->len; k > 0; k--) {
		vitem *last = g_ptr_array_index(t->galley, k - 1);
		if (last->kind == V_MARK)
			continue;
		if (last->kind == V_SPACE && last->after_heading) {
			if (h > last->height)
				last->height = h;
			return;
		}
		break;
	}
	vitem *v = gb_ts_vitem_new(V_SPACE, h > 0 ? h : 0);
	v->stretch = t->in_note ? 0 : 1;
	g_ptr_array_add(t->galley, v);
}

/*
 * Between two paragraphs or two list items: no space, but the page
 * builder may open a line here when nothing else can make a page's foot
 * flush (a last resort: stretch 2, pages.c).
 */
static void add_paragraph_gap(ts *t)
{
	vitem *v = gb_ts_vitem_new(V_SPACE, 0);
	v->stretch = 2;
	g_ptr_array_add(t->galley, v);
}

static void set_heading(ts *t, const gb_node *h)
{
	int l = h->level < 3 ? h->level : 3;
	bool title = h == t->part->target;
	if (!title)
		gb_ts_add_block_space(t, t->h_before[l]);
	char *text = gb_node_text(h);
	char tag[4] = { 'H', (char)('0' + l), '\0' };
	if (title && t->part->label) {
		setting ls = gb_ts_body_setting(t);
		ls.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_NORMAL,
				       PANGO_STYLE_NORMAL, t->part->label);
		ls.size = t->size * t->h_scale[1] * t->label_scale;
		ls.leading = ls.size * t->heading_leading;
		ls.justify = false;
		ls.tag = NULL;
		ls.keep_all = true;
		gb_node label_para = { 0 };
		gb_node label_text = { 0 };
		label_text.kind = GB_NODE_TEXT;
		label_text.text = t->part->label;
		label_text.loc = h->loc;
		label_para.first = label_para.last = &label_text;
		gb_ts_add_mark(t->galley, true, tag, true);
		gb_ts_set_lines(t, &label_para, &ls, NULL, t->galley, t->measure, t->left);
	}
	/* the heading itself: inside the label's element for an appendix */
	bool labelled = title && t->part->label;
	setting s = gb_ts_body_setting(t);
	s.family = gb_ts_family_for(t, t->heading_family, PANGO_WEIGHT_BOLD,
			      PANGO_STYLE_NORMAL, text);
	s.weight = PANGO_WEIGHT_BOLD;
	s.size = t->size * t->h_scale[l];
	s.leading = s.size * t->heading_leading;
	s.justify = false;
	s.tag = labelled ? NULL : tag;
	s.keep_all = true;
	s.running = false;
	s.dest = h->id;
	char *full = labelled ? g_strdup_printf("%s: %s", t->part->label, text) : NULL;
	s.outline = labelled ? full : text;
	s.outline_level = labelled ? 1 : h->level;
	gb_ts_set_lines(t, h, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
	if (labelled)
		gb_ts_add_mark(t->galley, false, NULL, true);
	g_free(full);
	g_hash_table_insert(t->found, g_strdup(h->id), NULL);
	vitem *sp = gb_ts_vitem_new(V_SPACE, t->h_after[l]);
	sp->keep = true;
	sp->after_heading = true;
	g_ptr_array_add(t->galley, sp);
	g_free(text);
}

static void set_paragraph(ts *t, const gb_node *p, const gb_node *prev,
			  const setting *base)
{
	setting s = base ? *base : gb_ts_body_setting(t);
	s.first_indent = prev && prev->kind == GB_NODE_PARAGRAPH ? t->indent : 0;
	if (prev && prev->kind == GB_NODE_PARAGRAPH && !t->in_note && !base)
		add_paragraph_gap(t);
	gb_ts_set_lines(t, p, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
}

static void set_list(ts *t, const gb_node *list)
{
	/* a list within a list's item follows its item's text line by line,
	   with no space around it (on the grid, any would be a whole line) */
	bool nested = list->parent && list->parent->kind == GB_NODE_ITEM;
	if (!nested)
		gb_ts_add_block_space(t, t->para_space / 2);
	gb_ts_add_mark(t->galley, true, "L", false);
	int n = list->number;
	double indent = gb_ts_list_indent_of(t, list);
	for (const gb_node *item = list->first; item; item = item->next, n++) {
		if (item != list->first && !t->in_note)
			add_paragraph_gap(t);   /* as between two paragraphs */
		gb_ts_add_mark(t->galley, true, "LI", false);
		double old = t->left;
		t->left += indent;
		char *label = gb_ts_item_label(list, item, n);
		/* the item's body, all its blocks, in one LBody (PDF/UA-1
		   7.6: LI holds Lbl and LBody) */
		guint body_mark = t->galley->len;
		gb_ts_add_mark(t->galley, true, "LBody", true);
		guint first_line = t->galley->len;
		const gb_node *prev = NULL;
		for (const gb_node *b = item->first; b; b = b->next) {
			if (b->kind == GB_NODE_PARAGRAPH) {
				setting s = gb_ts_body_setting(t);
				s.tag = "P";
				s.first_indent = 0;
				gb_ts_set_lines(t, b, &s, NULL, t->galley, t->measure - t->left - t->right, t->left);
			} else {
				gb_ts_set_block(t, b, prev);
			}
			prev = b;
		}
		bool empty = true;
		for (guint i = first_line; i < t->galley->len && empty; i++)
			empty = ((vitem *)g_ptr_array_index(t->galley, i))->kind != V_LINE;
		if (empty) {
			/* an empty item: its label on a line of its own, as the
			   EPUB's reader shows it */
			fake f;
			setting s = gb_ts_body_setting(t);
			s.tag = "P";
			s.first_indent = 0;
			gb_ts_set_lines(t, gb_ts_fake_para(&f, "\u00a0"), &s, NULL, t->galley,
					t->measure - t->left - t->right, t->left);
		}
		/* the hanging label, right-aligned before the text */
		for (guint i = first_line; i < t->galley->len; i++) {
			vitem *v = g_ptr_array_index(t->galley, i);
			if (v->kind != V_LINE)
				continue;
			gb_box *tb = g_ptr_array_index(v->boxes, 0);
			PangoFontDescription *fd = gb_ts_font_desc(t, t->body_family, t->size,
							     PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
			gb_box *lb = g_new0(gb_box, 1);
			double lx;
			/* in the text's figures: old-style beside old-style */
			PangoAttrList *al = gb_ts_text_figures(t);
			lb->glyphs = gb_ts_one_line(t, label, fd, al, 0, PANGO_ALIGN_LEFT, false, &lx);
			if (al)
				pango_attr_list_unref(al);
			double w = gb_glyphs_width(lb->glyphs);
			lb->kind = GB_BOX_TEXT;
			lb->x = t->left - t->label_gap - w;
			lb->y = tb->y;
			/* (what stands between the body's mark and its first
			   line: a quotation's space) */
			for (guint k = first_line; k < i; k++)
				lb->y += ((vitem *)g_ptr_array_index(t->galley, k))->height;
			lb->w = w;
			lb->text = g_strdup(label);
			/* Lbl before the body's text in the structure */
			gb_box *open = g_new0(gb_box, 1);
			open->kind = GB_BOX_TAG_BEGIN;
			open->text = g_strdup("Lbl");
			gb_box *close = g_new0(gb_box, 1);
			close->kind = GB_BOX_TAG_END;
			/* Lbl and LBody are siblings: the label goes into the
			   mark that opens LBody, before it; that mark has no
			   height and no break after it, so the label's baseline
			   is the line's */
			vitem *into = g_ptr_array_index(t->galley, body_mark);
			g_ptr_array_insert(into->boxes, 0, close);
			g_ptr_array_insert(into->boxes, 0, lb);
			g_ptr_array_insert(into->boxes, 0, open);
			pango_font_description_free(fd);
			break;
		}
		g_free(label);
		t->left = old;
		gb_ts_add_mark(t->galley, false, NULL, false);   /* LBody */
		gb_ts_add_mark(t->galley, false, NULL, false);   /* LI */
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	if (!nested)
		gb_ts_add_block_space(t, t->para_space / 2);
}

static void set_quote(ts *t, const gb_node *q)
{
	gb_ts_add_block_space(t, t->para_space / 2);
	gb_ts_add_mark(t->galley, true, "BlockQuote", false);
	gb_ts_indent_quote(t, 1);
	gb_ts_set_blocks(t, q->first, NULL);
	gb_ts_indent_quote(t, -1);
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_add_block_space(t, t->para_space / 2);
}

/*
 * line with each tab taken to the next tab stop, every 8 columns, as the
 * EPUB's readers show a tab in code; NULL when it has none.  (Without
 * tabs, a line is broken by gsi-book's own line breaker, not Pango's.)
 */
static char *expand_tabs(const char *line)
{
	if (!strchr(line, '\t'))
		return NULL;
	GString *s = g_string_new(NULL);
	long col = 0;
	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		if (*p == '\t') {
			do
				g_string_append_c(s, ' ');
			while (++col % 8);
		} else {
			g_string_append_len(s, p, g_utf8_next_char(p) - p);
			col++;
		}
	}
	return g_string_free(s, FALSE);
}

/* Byte column of the line after the one at byte at in f (f->len past the
   last line). */
static size_t next_line(const gb_file *f, size_t at, size_t column)
{
	const char *nl = memchr(f->data + at, '\n', f->len - at);
	return nl ? (size_t)(nl - f->data) + 1 + column : f->len;
}

static void set_code(ts *t, const gb_node *c)
{
	gb_ts_add_block_space(t, t->para_space / 2);
	gb_ts_add_mark(t->galley, true, "P", false);
	setting s = gb_ts_body_setting(t);
	s.family = t->mono_family;
	s.size = t->size * t->code_scale;
	s.leading = t->leading * t->code_scale;
	s.justify = false;
	s.tag = NULL;
	s.running = false;       /* no old-style figures or small capitals in code */
	s.caps = false;
	gchar **lines = g_strsplit(c->text, "\n", -1);
	guint n = g_strv_length(lines);
	if (n && !*lines[n - 1])
		n--;
	/* where each line is in the source: a fenced block's first line is
	   the one after its fence, at the fence's column */
	const gb_file *f = c->loc.file;
	size_t at = c->loc.off, column = 0;
	bool placed = f && at != GB_NOPOS && at < f->len;
	if (placed) {
		size_t bol = at;
		while (bol > 0 && f->data[bol - 1] != '\n')
			bol--;
		column = at - bol;
		if (!strncmp(f->data + at, "```", 3) || !strncmp(f->data + at, "~~~", 3))
			at = next_line(f, at, column);
	}
	/* a line wider than the measure goes on on the next, after a
	   continuation mark in the indent that the mark and a space take
	   (an artifact: not part of the text) */
	double avail = t->measure - t->left - t->right;
	PangoFontDescription *fd = gb_ts_font_desc(t, s.family, s.size, s.weight, s.style);
	double mark_x;
	gb_glyphs *mark = gb_ts_one_line(t, "\u21AA", fd, NULL, 0, PANGO_ALIGN_LEFT, false, &mark_x);
	gb_glyphs *mark_space = gb_shape_text(t->pc, "\u21AA ", NULL, fd);
	double mark_w = gb_glyphs_width(mark_space);
	gb_glyphs_unref(mark_space);
	guint first_item = t->galley->len;
	/* each line's boxes point into the block's own text, where the
	   line starts in it, so that a page that starts inside the block
	   starts there (the EPUB's page marker goes into the code) */
	s.origin = c;
	s.origin_off = 0;
	for (guint i = 0; i < n; s.origin_off += strlen(lines[i]) + 1, i++) {
		gb_node line = { 0 }, text = { 0 };
		text.kind = GB_NODE_TEXT;
		s.origin_line = lines[i];
		char *expanded = expand_tabs(lines[i]);
		text.text = expanded ? expanded : *lines[i] ? lines[i] : (char *)" ";
		text.loc = placed && at < f->len ? gb_loc_at(f, at) : c->loc;
		if (placed && at < f->len)
			at = next_line(f, at, column);
		line.first = line.last = &text;
		gb_glyphs *whole = gb_shape_text(t->pc, text.text, NULL, fd);
		bool wraps = gb_glyphs_width(whole) > avail + 0.001 && avail > 4 * mark_w;
		gb_glyphs_unref(whole);
		if (!wraps) {
			gb_ts_set_lines(t, &line, &s, NULL, t->galley, avail, t->left);
			g_free(expanded);
			continue;
		}
		guint from = t->galley->len;
		gb_ts_set_lines(t, &line, &s, NULL, t->galley, avail - mark_w, t->left + mark_w);
		bool first = true;
		for (guint k = from; k < t->galley->len; k++) {
			vitem *v = g_ptr_array_index(t->galley, k);
			if (v->kind != V_LINE || !v->boxes->len)
				continue;
			if (first) {
				/* the first line at the left of the measure */
				for (guint b = 0; b < v->boxes->len; b++)
					((gb_box *)g_ptr_array_index(v->boxes, b))->x -= mark_w;
				first = false;
				continue;
			}
			const gb_box *tb = g_ptr_array_index(v->boxes, 0);
			gb_box *open = gb_box_new(GB_BOX_TAG_BEGIN, 0, 0, 0, 0, "Artifact");
			open->attrs = g_strdup("Layout");
			gb_box *mb = gb_box_new(GB_BOX_TEXT, t->left + mark_x, tb->y, 0, 0, "\u21AA");
			mb->glyphs = gb_glyphs_ref(mark);
			mb->w = gb_glyphs_width(mark);
			gb_box *close = gb_box_new(GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
			g_ptr_array_insert(v->boxes, 0, close);
			g_ptr_array_insert(v->boxes, 0, mb);
			g_ptr_array_insert(v->boxes, 0, open);
		}
		g_free(expanded);
	}
	gb_glyphs_unref(mark);
	pango_font_description_free(fd);
	/* a block leaves at least two lines at the foot of a page and takes
	   at least two to the next, or moves whole */
	GArray *at_line = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint k = first_item; k < t->galley->len; k++)
		if (((vitem *)g_ptr_array_index(t->galley, k))->kind == V_LINE)
			g_array_append_val(at_line, k);
	if (at_line->len >= 2)
		((vitem *)g_ptr_array_index(t->galley, g_array_index(at_line, guint, 0)))->keep = true;
	if (at_line->len >= 3)
		((vitem *)g_ptr_array_index(t->galley,
					    g_array_index(at_line, guint, at_line->len - 2)))->keep = true;
	/* a blank line of code never opens a page (a page starting with a
	   blank looks a line short at its head): the line before it keeps
	   with it, and the page ends after the blank */
	for (guint q = 1; q < at_line->len; q++) {
		const vitem *v = g_ptr_array_index(t->galley, g_array_index(at_line, guint, q));
		bool blank = true;
		for (guint b = 0; b < v->boxes->len && blank; b++) {
			const gb_box *x = g_ptr_array_index(v->boxes, b);
			if (x->kind == GB_BOX_TEXT && x->text)
				for (const char *ch = x->text; *ch && blank; ch++)
					blank = *ch == ' ' || *ch == '\t';
		}
		if (blank)
			((vitem *)g_ptr_array_index(t->galley, g_array_index(at_line, guint, q - 1)))->keep = true;
	}
	g_array_free(at_line, TRUE);
	g_strfreev(lines);
	gb_ts_add_mark(t->galley, false, NULL, false);
	gb_ts_add_block_space(t, t->para_space / 2);
}

static void set_break(ts *t)
{
	/* a short rule in a space of two lines */
	vitem *v = gb_ts_vitem_new(V_LINE, t->leading * 2);
	double w = t->measure * t->break_width;
	gb_ts_vbox(v, GB_BOX_RULE, (t->measure - w) / 2, t->leading, w, t->rule, NULL);
	g_ptr_array_add(t->galley, v);
}

static void set_figure(ts *t, const gb_node *fig);

void gb_ts_set_block(ts *t, const gb_node *b, const gb_node *prev)
{
	switch (b->kind) {
	case GB_NODE_STANDFIRST: {
		setting s = gb_ts_body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->standfirst_scale;
		s.leading = t->leading * t->standfirst_scale;
		s.justify = false;
		for (const gb_node *p = b->first; p; p = p->next)
			set_paragraph(t, p, NULL, &s);
		gb_ts_add_space(t, t->h_before[2]);
		break;
	}
	case GB_NODE_HEADING:
		set_heading(t, b);
		break;
	case GB_NODE_PARAGRAPH:
		if (gb_node_has_class(b, "line-block"))
			gb_ts_set_line_block(t, b);  /* divs.c */
		else
			set_paragraph(t, b, prev, NULL);
		break;
	case GB_NODE_LIST:
		set_list(t, b);
		break;
	case GB_NODE_BLOCKQUOTE:
		set_quote(t, b);
		break;
	case GB_NODE_CODE_BLOCK:
		set_code(t, b);
		break;
	case GB_NODE_THEMATIC_BREAK:
		set_break(t);
		break;
	case GB_NODE_TABLE:
		gb_ts_set_table(t, b);
		break;
	case GB_NODE_FIGURE:
		set_figure(t, b);
		break;
	case GB_NODE_DIV:
		gb_ts_set_div(t, b);  /* divs.c */
		break;
	case GB_NODE_DEFLIST:
		gb_ts_set_deflist(t, b);
		break;
	default:
		break;
	}
}

/* ---- figures ---- */

static void set_figure(ts *t, const gb_node *fig)
{
	const gb_node *img = fig->first;
	if (!img || img->kind != GB_NODE_IMAGE)
		return;
	char *path = gb_ts_image_path(t, img);
	/* at most the measure and most of the page (all of it when its
	   attributes give its size); a picture meant to bleed, as wide as
	   the page and its bleed (pages.c puts it edge to edge), at most
	   the text block's height */
	bool bleed = img->bleed && !t->in_note;
	double avail = t->measure - t->left - t->right;
	double w, h;
	double max_h = img->width || img->height || bleed ? t->body_h : t->body_h * t->figure_height;
	double full = t->pw + t->opt->bleed_inside + t->opt->bleed_outside;
	if (!gb_ts_image_size(t, img, path, bleed ? full : avail, max_h, t->size, 0, &w, &h)) {
		g_free(path);
		return;
	}
	if (bleed && w < full - 0.01) {
		gb_error(t->d, img->loc, "the picture meant to bleed is %.3g in wide at the text "
			 "block's height, not the page's %.3g in and its bleed: give it a wider shape, "
			 "or leave out {.bleed}", w / 72, full / 72);
		g_free(path);
		return;
	}
	gb_ts_add_block_space(t, t->para_space);
	guint first = t->galley->len;
	gb_ts_add_mark(t->galley, true, "Figure", true);
	gb_box *fig_tag = g_ptr_array_index(((vitem *)g_ptr_array_index(t->galley, t->galley->len - 1))->boxes, 0);
	fig_tag->attrs = gb_ts_alt_attr(img->text);
	vitem *v = gb_ts_vitem_new(V_LINE, h);
	/* the picture is where a page starting with the figure starts */
	gb_box *pic = gb_ts_vbox(v, GB_BOX_IMAGE, t->left + (avail - w) / 2, 0, w, h, path);
	pic->source = img;
	if (fig->id)  /* '{#fig:id}': a link's destination */
		gb_ts_vbox(v, GB_BOX_DEST, t->left, 0, 0, 0, fig->id);
	v->keep = fig->last && fig->last->kind == GB_NODE_CAPTION;
	g_ptr_array_add(t->galley, v);
	g_free(path);
	if (fig->last && fig->last->kind == GB_NODE_CAPTION) {
		setting s = gb_ts_body_setting(t);
		s.style = PANGO_STYLE_ITALIC;
		s.size = t->size * t->caption_scale;
		s.leading = t->leading * t->caption_scale;
		s.justify = false;
		s.align = PANGO_ALIGN_CENTER;
		s.tag = "Caption";
		char *label = gb_figure_caption_label(t->opt->style, fig, t->d);
		gb_ts_set_lines(t, fig->last, &s, label, t->galley, avail, t->left);
		g_free(label);
	}
	gb_ts_add_mark(t->galley, false, NULL, false);
	/* a figure that does not fit where it is floats to the top of the
	   next page (pages.c); not in a note, whose lines stay together */
	if (!t->in_note)
		((vitem *)g_ptr_array_index(t->galley, first))->float_len = t->galley->len - first;
	gb_ts_add_block_space(t, t->para_space);
}
