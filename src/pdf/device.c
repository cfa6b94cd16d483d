/* device.c - drawing a layout's pages with Cairo: the tags' scan, boxes (their glyphs: glyphs.c), pictures, links, where artifacts lie, the outline (pd.h) */
#include "pdf/pd.h"

/* Frees e (NULL too): GPtrArray's free function. */
void gb_pd_extra_free(void *p)
{
	elem_extra *e = p;
	if (!e)
		return;
	g_free(e->alt);
	g_free(e->lang);
	g_free(e->actual);
	g_free(e->id);
	g_free(e);
}

/* Appends cairo's output to the GByteArray closure. */
cairo_status_t gb_pd_write_bytes(void *closure, const unsigned char *data,
				  unsigned int length)
{
	g_byte_array_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Whether text drawn right inside an element of cairo structure type name
 * that has children is furniture, not content: running heads and folios
 * drawn while a section is open, table headers repeated on a later page.
 */
static bool is_grouping(const char *name)
{
	static const char *const groups[] = {
		"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "TOC",
		"Index", "NonStruct", "Private", "L", "Table", "THead", "TBody",
		"TFoot", "TR",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(groups); i++)
		if (!strcmp(name, groups[i]))
			return true;
	return false;
}

/*
 * The cairo name of a layout's structure type and how it is drawn: the
 * types cairo 1.16 knows as they are, PDF 2.0 types it refuses (they put
 * the surface in an error state) mapped to PDF 1.7 ones, "Artifact" and
 * "Document" (the device opens the one Document itself) to none.  Returns
 * NULL for an unknown type.  The string is static.
 */
static const char *cairo_tag(const char *type, tag_use *use)
{
	static const char *const known[] = {
		"Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC",
		"TOCI", "Index", "NonStruct", "Private", "H", "H1", "H2", "H3",
		"H4", "H5", "H6", "P", "L", "LI", "Lbl", "LBody", "Table", "TR",
		"TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
		"Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB",
		"RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
	};
	static const char *const mapped[][2] = {
		{ "Title", "P" }, { "FENote", "Note" }, { "Aside", "Div" },
		{ "Sub", "Span" }, { "Em", "Span" }, { "Strong", "Span" },
		{ "DocumentFragment", "Part" },
	};
	*use = TAG_OPEN;
	for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
		if (!strcmp(type, known[i]))
			return known[i];
	for (size_t i = 0; i < G_N_ELEMENTS(mapped); i++)
		if (!strcmp(type, mapped[i][0]))
			return mapped[i][1];
	if (!strcmp(type, "Document")) {
		*use = TAG_TRANSPARENT;
		return "Document";
	}
	if (!strcmp(type, "Artifact")) {
		*use = TAG_ARTIFACT;
		return "Artifact";
	}
	return NULL;
}

void gb_pd_scan_init(scan *s)
{
	s->parents = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->stack = g_ptr_array_new();
	s->artifacts = 0;
	s->in_artifact = g_array_new(FALSE, FALSE, sizeof(bool));
	s->bad = 0;
	s->ua = false;
}

void gb_pd_scan_free(scan *s)
{
	g_hash_table_destroy(s->parents);
	g_ptr_array_free(s->stack, TRUE);
	g_array_free(s->in_artifact, TRUE);
}

/* Walks the tags of page p, the next page, reporting what is wrong. */
void gb_pd_scan_page(scan *s, const gb_page *p, gb_diag *d)
{
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		tag_use use = TAG_ARTIFACT;
		if (b->kind == GB_BOX_TAG_END) {
			if (s->stack->len == 0) {
				gb_error(d, gb_noloc(), "page %d: a "
					 "structure element is closed but "
					 "not open", p->number);
				s->bad++;
				continue;
			}
			g_ptr_array_set_size(s->stack, s->stack->len - 1);
			if (g_array_index(s->in_artifact, bool,
					  s->in_artifact->len - 1))
				s->artifacts--;
			g_array_set_size(s->in_artifact, s->in_artifact->len - 1);
			continue;
		}
		if (b->kind == GB_BOX_TAG_BEGIN &&
		    (!b->text || !cairo_tag(b->text, &use))) {
			gb_error(d, gb_noloc(), "page %d: unknown "
				 "structure type '%s'", p->number,
				 b->text ? b->text : "");
			s->bad++;
		}
		bool child = (b->kind == GB_BOX_TAG_BEGIN && use == TAG_OPEN &&
			      !s->artifacts) || b->kind == GB_BOX_LINK ||
			     (b->kind == GB_BOX_TAG_BEGIN && use == TAG_ARTIFACT &&
			      !s->artifacts && s->ua);
		/* the innermost element gets a child */
		for (guint k = s->stack->len; child && k-- > 0; ) {
			if (s->stack->pdata[k]) {
				g_hash_table_add(s->parents, s->stack->pdata[k]);
				break;
			}
		}
		if (b->kind == GB_BOX_TAG_BEGIN) {
			bool art = use == TAG_ARTIFACT;
			g_ptr_array_add(s->stack, use == TAG_OPEN && !s->artifacts
					? (gpointer)b : NULL);
			g_array_append_val(s->in_artifact, art);
			s->artifacts += art;
		}
	}
}

/* After the last page: false after reporting what is wrong. */
bool gb_pd_scan_end(scan *s, gb_diag *d)
{
	if (s->stack->len > 0) {
		gb_error(d, gb_noloc(), "the layout leaves %u structure "
			 "element%s open", s->stack->len, s->stack->len == 1 ? "" : "s");
		s->bad++;
	}
	return !s->bad;
}

static bool read_attr(const char **p, GString *key, GString *val)
{
	const char *s = *p;
	g_string_truncate(key, 0);
	g_string_truncate(val, 0);
	while (g_ascii_isalnum(*s) || *s == '_')
		g_string_append_c(key, *s++);
	if (key->len == 0 || *s++ != '=' || *s++ != '\'')
		return false;
	while (*s && *s != '\'') {
		if (*s == '\\' && (s[1] == '\'' || s[1] == '\\'))
			s++;
		g_string_append_c(val, *s++);
	}
	if (*s++ != '\'')
		return false;
	*p = s;
	return true;
}

/*
 * Reads the attributes of a structure tag of type on page:
 * alt='A picture of \'x\'' lang='en' actualtext='...'.  Returns them
 * (NULL when there are none; the caller frees them with gb_pd_extra_free()),
 * setting *ok to false after reporting a bad one.
 */
static elem_extra *parse_attrs(const char *type, const char *attrs,
			       int page, gb_diag *d, bool *ok)
{
	elem_extra *ret = NULL;
	elem_extra *e = g_new0(elem_extra, 1);
	GString *key = g_string_new(NULL), *val = g_string_new(NULL);
	bool any = false;
	const char *p = attrs ? attrs : "";
	*ok = false;
	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (!*p)
			break;
		if (!read_attr(&p, key, val)) {
			gb_error(d, gb_noloc(), "page %d: cannot read the "
				 "attributes of structure type '%s': '%s'",
				 page, type, attrs);
			goto out;
		}
		char **slot = !strcmp(key->str, "alt") ? &e->alt :
			      !strcmp(key->str, "lang") ? &e->lang :
			      !strcmp(key->str, "actualtext") ? &e->actual : NULL;
		if (!slot) {
			gb_error(d, gb_noloc(), "page %d: structure type '%s' "
				 "has unknown attribute '%s'", page, type,
				 key->str);
			goto out;
		}
		if (!g_utf8_validate(val->str, -1, NULL)) {
			gb_error(d, gb_noloc(), "page %d: attribute '%s' of "
				 "structure type '%s' is not UTF-8", page,
				 key->str, type);
			goto out;
		}
		g_free(*slot);
		*slot = g_strdup(val->str);
		any = true;
	}
	*ok = true;
	if (any) {
		ret = e;
		e = NULL;
	}
out:
	gb_pd_extra_free(e);
	g_string_free(key, TRUE);
	g_string_free(val, TRUE);
	return ret;
}

/*
 * Appends name as cairo 1.16 can write it both as a key of the /Dests
 * name tree (verbatim between parentheses) and as a link's /Dest (which it
 * converts): letters, digits, '-', '.' and '_' as they are, every other
 * byte as %XX, so that different names stay different.
 */
static void append_dest_name(GString *s, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (g_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_')
			g_string_append_c(s, (char)*p);
		else
			g_string_append_printf(s, "%%%02X", *p);
	}
}

/*
 * Appends uri as the value of a cairo link attribute.  Cairo 1.16 writes
 * the URI verbatim into a PDF string, so the bytes that would break it
 * (parentheses, backslash) or that a PDF URI cannot hold (controls,
 * spaces, non-ASCII) are percent-encoded; then ' is escaped for cairo.
 */
static void append_uri(GString *s, const char *uri)
{
	for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '(' || *p == ')' ||
		    *p == '\\') {
			g_string_append_printf(s, "%%%02X", *p);
		} else {
			if (*p == '\'')
				g_string_append_c(s, '\\');
			g_string_append_c(s, (char)*p);
		}
	}
}

/* Appends v to s as a number in cairo's attribute syntax (any locale). */
static void append_number(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.3f", v));
}

/* The innermost entry of r's tag stack. */
static open_tag *top(render *r)
{
	return &g_array_index(r->stack, open_tag, r->stack->len - 1);
}

/* Records a new cairo structure element with extra (taken; or NULL). */
int gb_pd_add_elem(render *r, elem_extra *extra)
{
	g_ptr_array_add(r->elems, extra);
	return (int)r->elems->len - 1;
}

/* Closes the automatic element open, if any. */
static void close_wrap(render *r)
{
	if (!r->wrap)
		return;
	cairo_tag_end(r->cr, r->wrap);
	r->wrap = NULL;
}

/*
 * Whether content drawn now would be marked as the content of an element:
 * cairo marks what leaf elements draw, and enter_content() wraps what any
 * other element but a grouping one draws.
 */
static bool marking(render *r)
{
	const open_tag *t = top(r);
	return !t->parent || !is_grouping(t->type);
}

/*
 * Before drawing a box of kind: makes sure its content lands in a leaf
 * element, as cairo 1.16 marks no other.  In an element with children an
 * image goes into a Figure (which takes the element's alt text), text into
 * a Span, except that text right inside a grouping element stays unmarked
 * (is_grouping()).  Rules go wherever they are drawn.
 */
static void enter_content(render *r, gb_box_kind kind)
{
	open_tag *t = top(r);
	const char *want = NULL;
	if (kind == GB_BOX_RULE || t->artifact || !t->parent)
		return;
	if (kind == GB_BOX_IMAGE)
		want = "Figure";
	else if (!is_grouping(t->type))
		want = "Span";
	if (r->wrap && (!want || strcmp(r->wrap, want)))
		close_wrap(r);
	if (!want || r->wrap)
		return;
	cairo_tag_begin(r->cr, want, NULL);
	r->wrap = want;
	elem_extra *extra = NULL;
	elem_extra *outer = t->elem >= 0 ? g_ptr_array_index(r->elems, t->elem)
					 : NULL;
	if (kind == GB_BOX_IMAGE && outer && outer->alt) {
		extra = g_new0(elem_extra, 1);
		extra->alt = outer->alt;
		outer->alt = NULL;
	}
	gb_pd_add_elem(r, extra);
}

/*
 * Opens the structure element of TAG_BEGIN box b, or only notes the tag
 * (Artifact, Document, anything inside an Artifact).  False after
 * reporting why.
 */
static bool begin_tag(render *r, const gb_page *page, const gb_box *b)
{
	tag_use use;
	const char *name = cairo_tag(b->text, &use);
	open_tag t = *top(r);
	bool ok = true;
	close_wrap(r);
	t.name = NULL;
	if (use == TAG_ARTIFACT) {
		t.artifact = true;
		if (b->attrs && !(t.art = gb_pd_art_props(b->attrs))) {
			gb_error(r->d, gb_noloc(), "page %d: an Artifact of no known "
				 "kind: '%s'", page->number, b->attrs);
			return false;
		}
	} else if (use == TAG_OPEN && !t.artifact) {
		bool link = !strcmp(name, CAIRO_TAG_LINK);
		elem_extra *extra = link ? NULL : parse_attrs(b->text, b->attrs,
							      page->number,
							      r->d, &ok);
		if (!ok)
			return false;
		if (r->opt->pdfua && !strcmp(name, "Note")) {
			/* PDF/UA-1 7.9: a Note has an /ID, unique in the file
			   (its element's number: cairo 1.16 cannot write one) */
			if (!extra)
				extra = g_new0(elem_extra, 1);
			extra->id = g_strdup_printf("note-%u", r->elems->len);
		}
		t.parent = g_hash_table_contains(r->parents, b);
		/* a figure with children (its caption) is a Div holding them
		   and the picture's own Figure, which takes the alt text: every
		   Figure element has one (PDF/UA-1, 7.3) */
		if (t.parent && !strcmp(name, "Figure"))
			name = "Div";
		cairo_tag_begin(r->cr, name, link && b->attrs ? b->attrs : "");
		t.name = name;
		t.type = name;
		t.elem = gb_pd_add_elem(r, extra);
	}
	g_array_append_val(r->stack, t);
	return true;
}

/* Closes the innermost tag (the layout was checked to nest). */
static void end_tag(render *r)
{
	close_wrap(r);
	if (top(r)->name)
		cairo_tag_end(r->cr, top(r)->name);
	g_array_set_size(r->stack, r->stack->len - 1);
}

/* A link annotation over b's rectangle to b->text: a URL or "#name". */
static void draw_link(render *r, const gb_box *b)
{
	GString *a = g_string_new("rect=[");
	close_wrap(r);
	append_number(a, b->x);
	g_string_append_c(a, ' ');
	append_number(a, b->y);
	g_string_append_c(a, ' ');
	append_number(a, b->w);
	g_string_append_c(a, ' ');
	append_number(a, b->h);
	g_string_append(a, "] ");
	if (b->text[0] == '#') {
		g_string_append(a, "dest='");
		append_dest_name(a, b->text + 1);
		g_hash_table_add(r->targets, g_strdup(b->text + 1));
	} else {
		g_string_append(a, "uri='");
		append_uri(a, b->text);
	}
	g_string_append_c(a, '\'');
	cairo_tag_begin(r->cr, CAIRO_TAG_LINK, a->str);
	gb_pd_add_elem(r, NULL);
	cairo_tag_end(r->cr, CAIRO_TAG_LINK);
	g_string_free(a, TRUE);
}

/* The named destination of b, unless one of its name was drawn before. */
static void draw_dest(render *r, const gb_box *b)
{
	if (g_hash_table_contains(r->dests, b->text))
		return;
	g_hash_table_add(r->dests, g_strdup(b->text));
	GString *a = g_string_new("name='");
	append_dest_name(a, b->text);
	g_string_append(a, "' x=");
	append_number(a, b->x);
	g_string_append(a, " y=");
	append_number(a, b->y);
	cairo_tag_begin(r->cr, CAIRO_TAG_DEST, a->str);
	cairo_tag_end(r->cr, CAIRO_TAG_DEST);
	g_string_free(a, TRUE);
}

/* Draws the picture at b->text into b's box.  False after reporting. */
bool gb_pd_draw_image(render *r, const gb_box *b)
{
	char *why = NULL;
	gb_picture *pic = gb_picture_load(b->text, &why);
	bool ok = pic && gb_picture_draw(r->cr, pic, b->x, b->y, b->w, b->h,
					  r->opt->gray, &why);
	if (!ok)
		gb_error(r->d, gb_noloc(), "image '%s' %s", b->text, why ? why : "cannot be drawn");
	g_free(why);
	gb_picture_free(pic);
	return ok;
}

/* Turns cr's user space into the turned frame of p (layout.h). */
void gb_pd_turn(cairo_t *cr, const gb_page *p)
{
	cairo_translate(cr, p->turn_x, p->turn_y);
	cairo_rotate(cr, -G_PI / 2);
}

/* Notes where on the sheet r draws x, y, w, h (in user space) as an
   artifact of property list props (pd.h). */
static void note_art(render *r, double x, double y, double w, double h,
		     const char *props)
{
	if (!r->arts || !r->arts->len)
		return;
	double xs[4] = { x, x + w, x, x + w }, ys[4] = { y, y, y + h, y + h };
	gb_pd_art a = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, props };
	for (int k = 0; k < 4; k++) {
		cairo_user_to_device(r->cr, &xs[k], &ys[k]);
		a.x0 = MIN(a.x0, xs[k]);
		a.y0 = MIN(a.y0, ys[k]);
		a.x1 = MAX(a.x1, xs[k]);
		a.y1 = MAX(a.y1, ys[k]);
	}
	g_array_append_val(r->arts->pdata[r->arts->len - 1], a);
}

/*
 * For PDF/UA: notes box b, about to be drawn, if the finish will find it
 * outside structure content: in an Artifact (as its attributes say), a
 * rule (Layout), text right inside a grouping element (a table header
 * repeated: Pagination).
 */
static void note_box(render *r, const gb_box *b)
{
	const open_tag *t = top(r);
	const char *props = NULL;
	if (t->artifact)
		props = t->art;
	else if (b->kind == GB_BOX_RULE)
		props = gb_pd_art_props("Layout");
	else if (b->kind == GB_BOX_TEXT && !marking(r))
		props = gb_pd_art_props("Pagination");
	else
		return;
	if (b->kind == GB_BOX_TEXT)   /* from the baseline: above and below */
		note_art(r, b->x, b->y - MAX(b->h, 1), b->w, 1.5 * MAX(b->h, 1), props);
	else
		note_art(r, b->x, b->y, b->w, b->h, props);
}

/* Draws box i of page p.  False after reporting why. */
static bool draw_box(render *r, const gb_page *p, guint i)
{
	const gb_box *b = g_ptr_array_index(p->boxes, i);
	gb_box up;
	if (i < p->turned) {
		/* a link's rectangle and a destination's point are given on
		   the page (cairo takes them in its default user space);
		   what is drawn is drawn in the turned frame */
		up = *b;
		double x0, y0, x1, y1;
		gb_page_point(p, i, b->x, b->y, &x0, &y0);
		gb_page_point(p, i, b->x + b->w, b->y + b->h, &x1, &y1);
		up.x = MIN(x0, x1);
		up.y = MIN(y0, y1);
		up.w = fabs(x1 - x0);
		up.h = fabs(y1 - y0);
		if (b->kind == GB_BOX_DEST)
			up.y = y0;
		if (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_RULE || b->kind == GB_BOX_IMAGE) {
			cairo_save(r->cr);
			gb_pd_turn(r->cr, p);
			gb_page tp = *p;
			tp.turned = 0;
			bool ok = draw_box(r, &tp, i);
			cairo_restore(r->cr);
			return ok;
		}
		b = &up;
	}
	if (b->kind == GB_BOX_TEXT || b->kind == GB_BOX_RULE || b->kind == GB_BOX_IMAGE)
		note_box(r, b);
	switch (b->kind) {
	case GB_BOX_TEXT:
		if (!b->glyphs)
			break;
		enter_content(r, b->kind);
		gb_pd_show_glyphs(r->cr, b->glyphs, b->x, b->y);
		break;
	case GB_BOX_RULE:
		enter_content(r, b->kind);
		cairo_rectangle(r->cr, b->x, b->y, b->w, b->h);
		cairo_fill(r->cr);
		break;
	case GB_BOX_LINK:
		if (!r->opt->links)
			break;
		if (!b->text || !b->text[0] || !strcmp(b->text, "#")) {
			gb_error(r->d, gb_noloc(), "page %d: a link has no "
				 "target", p->number);
			return false;
		}
		draw_link(r, b);
		break;
	case GB_BOX_DEST:
		if (r->opt->links && b->text && b->text[0])
			draw_dest(r, b);
		break;
	case GB_BOX_TAG_BEGIN:
		return begin_tag(r, p, b);
	case GB_BOX_TAG_END:
		end_tag(r);
		break;
	case GB_BOX_IMAGE:
		enter_content(r, b->kind);
		return gb_pd_draw_image(r, b);
	}
	return true;
}

/*
 * The index of the TAG_END closing the Artifact that box from of p opens,
 * if the Artifact can be drawn later on the page: it ends on the page and
 * holds no link (which would become a child of wherever it is drawn).
 * Returns 0 otherwise.
 */
static guint artifact_end(const gb_page *p, guint from)
{
	guint depth = 0;
	for (guint j = from; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		if (b->kind == GB_BOX_LINK)
			return 0;
		if (b->kind == GB_BOX_TAG_BEGIN)
			depth++;
		else if (b->kind == GB_BOX_TAG_END && --depth == 0)
			return j;
	}
	return 0;
}

/* Draws the boxes of p in the ranges held (first, last), then forgets them. */
static bool draw_held(render *r, const gb_page *p, GArray *held)
{
	for (guint i = 0; i + 1 < held->len; i += 2) {
		guint last = g_array_index(held, guint, i + 1);
		for (guint j = g_array_index(held, guint, i); j <= last; j++)
			if (!draw_box(r, p, j))
				return false;
	}
	g_array_set_size(held, 0);
	return true;
}

double gb_pd_mark_room(const gb_pdf_options *o)
{
	return o->marks > 0 ? o->mark_offset + o->marks : 0;
}

/* Where the trim's top left corner lies on the sheet of page p. */
void gb_pd_trim_origin(const gb_pdf_options *o, const gb_page *p, double *x,
			double *y)
{
	*x = gb_pd_mark_room(o) + (p->recto ? o->bleed_inside : o->bleed_outside);
	*y = gb_pd_mark_room(o) + o->bleed_top;
}

void gb_pd_media_size(const gb_pdf_options *o, const gb_layout *lay,
		       double *w, double *h)
{
	*w = lay->width + o->bleed_inside + o->bleed_outside + 2 * gb_pd_mark_room(o);
	*h = lay->height + o->bleed_top + o->bleed_bottom + 2 * gb_pd_mark_room(o);
}

/* Whether an element of cairo type name may hold only certain kinds of
   element (a list its items, a table its rows, a row its cells), not a
   Note (PDF/UA-1 7.6, 7.5). */
static bool restricted(const char *name)
{
	static const char *const types[] = { "L", "Table", "TR", "THead", "TBody", "TFoot" };
	for (size_t i = 0; name && i < G_N_ELEMENTS(types); i++)
		if (!strcmp(name, types[i]))
			return true;
	return false;
}

/*
 * The page's notes that would be drawn where a list or a table is the
 * innermost element open (the page ends between its items or rows, and its
 * notes are drawn after the text): each is drawn earlier instead, just
 * before the end of the last list item's body or table cell on the page,
 * whose child it becomes.  Adds to moves, for each, three indices: where
 * it is drawn, its first box and its last.
 */
static void plan_notes(render *r, const gb_page *p, GArray *moves)
{
	GPtrArray *types = g_ptr_array_new();   /* open: cairo types */
	GArray *depth = g_array_new(FALSE, TRUE, sizeof(guint)); /* per box */
	GPtrArray *closed = g_ptr_array_new();  /* per box: the type it ends */
	for (guint k = 0; k < r->stack->len; k++)
		g_ptr_array_add(types, (gpointer)g_array_index(r->stack, open_tag, k).type);
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		g_array_append_val(depth, types->len);
		g_ptr_array_add(closed, NULL);
		tag_use use;
		const char *name = b->kind == GB_BOX_TAG_BEGIN && b->text ? cairo_tag(b->text, &use) : NULL;
		if (name && !strcmp(name, "Note") && types->len &&
		    restricted(types->pdata[types->len - 1])) {
			guint end = 0, open = 0;   /* its TAG_END */
			for (guint e = j; e < p->boxes->len && !end; e++) {
				const gb_box *eb = g_ptr_array_index(p->boxes, e);
				open += eb->kind == GB_BOX_TAG_BEGIN;
				if (eb->kind == GB_BOX_TAG_END && --open == 0)
					end = e;
			}
			guint k = j;
			while (end && k-- > 0) {
				const char *c = closed->pdata[k];
				if (c && g_array_index(depth, guint, k) > types->len &&
				    (!strcmp(c, "LBody") || !strcmp(c, "TD") || !strcmp(c, "TH")))
					break;
			}
			if (end && k < j) {
				guint m[3] = { k, j, end };
				g_array_append_vals(moves, m, 3);
				for (; j < end; j++) {
					g_array_append_val(depth, types->len);
					g_ptr_array_add(closed, NULL);
				}
				continue;
			}
		}
		if (b->kind == GB_BOX_TAG_BEGIN)
			g_ptr_array_add(types, (gpointer)(name ? name : ""));
		else if (b->kind == GB_BOX_TAG_END && types->len) {
			closed->pdata[j] = types->pdata[types->len - 1];
			g_ptr_array_set_size(types, types->len - 1);
		}
	}
	g_ptr_array_free(types, TRUE);
	g_ptr_array_free(closed, TRUE);
	g_array_free(depth, TRUE);
}

/*
 * Draws one page and shows it.  An Artifact (running heads, folios) met
 * while its content would be marked as part of an element, say in a
 * paragraph going on to the next page, is held back and drawn at the first
 * place on the page where it would not, else at the end of the page.
 * False after reporting why.
 */
bool gb_pd_draw_page(render *r, const gb_page *p)
{
	bool ret = false;
	GArray *held = g_array_new(FALSE, FALSE, sizeof(guint));
	GArray *moves = g_array_new(FALSE, FALSE, sizeof(guint));
	if (p->label)
		cairo_pdf_surface_set_page_label(r->surface, p->label);
	/* the trim sits inside the bleed: the inside edge is left on rectos */
	double ox, oy;
	gb_pd_trim_origin(r->opt, p, &ox, &oy);
	if (r->arts)
		g_ptr_array_add(r->arts, g_array_new(FALSE, FALSE, sizeof(gb_pd_art)));
	cairo_save(r->cr);
	cairo_translate(r->cr, ox, oy);
	if (r->opt->pdfua)
		plan_notes(r, p, moves);
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		tag_use use;
		bool moved = false;
		for (guint m = 0; m < moves->len; m += 3) {
			const guint *mv = &g_array_index(moves, guint, m);
			if (mv[0] == j)   /* a note drawn here */
				for (guint k = mv[1]; k <= mv[2]; k++)
					if (!draw_box(r, p, k))
						goto out;
			if (mv[1] == j) { /* and not where it was */
				j = mv[2];
				moved = true;
			}
		}
		if (moved)
			continue;
		if (held->len && !marking(r) && !draw_held(r, p, held))
			goto out;
		if (b->kind == GB_BOX_TAG_BEGIN && b->text &&
		    cairo_tag(b->text, &use) && use == TAG_ARTIFACT &&
		    !top(r)->artifact && marking(r)) {
			guint last = artifact_end(p, j);
			if (last) {
				g_array_append_val(held, j);
				g_array_append_val(held, last);
				j = last;
				continue;
			}
		}
		if (!draw_box(r, p, j))
			goto out;
	}
	if (!draw_held(r, p, held))
		goto out;
	close_wrap(r);
	cairo_restore(r->cr);
	cairo_show_page(r->cr);
	ret = true;
out:
	g_array_free(moves, TRUE);
	g_array_free(held, TRUE);
	return ret;
}

/*
 * Adds the layout's outline as bookmarks, each under the last entry of a
 * higher level, the first level open.  False after reporting why.
 */
bool gb_pd_add_outline(render *r)
{
	enum { MAX_LEVEL = 16 };
	bool ret = false;
	int ids[MAX_LEVEL + 1] = { CAIRO_PDF_OUTLINE_ROOT };
	int last = 0;   /* the level of the entry before */
	for (guint i = 0; i < r->lay->outline->len; i++) {
		const gb_outline *o = g_ptr_array_index(r->lay->outline, i);
		int level = CLAMP(o->level, 1, last + 1);
		if (!o->title || !o->dest || !g_utf8_validate(o->title, -1, NULL)) {
			gb_error(r->d, gb_noloc(), "outline entry %u has no "
				 "title or no destination", i + 1);
			goto out;
		}
		level = MIN(level, MAX_LEVEL);
		GString *a = g_string_new("dest='");
		append_dest_name(a, o->dest);
		g_string_append_c(a, '\'');
		g_hash_table_add(r->targets, g_strdup(o->dest));
		ids[level] = cairo_pdf_surface_add_outline(r->surface,
			ids[level - 1], o->title, a->str,
			level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
		g_string_free(a, TRUE);
		last = level;
	}
	ret = true;
out:
	return ret;
}

/* Orders the strings a and b point to: g_ptr_array_sort's function. */
static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Reports every link or outline target that no destination has.  False
 * if there is one.
 */
bool gb_pd_check_targets(render *r)
{
	GPtrArray *missing = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, r->targets);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(r->dests, key))
			g_ptr_array_add(missing, key);
	g_ptr_array_sort(missing, compare_strings);
	for (guint i = 0; i < missing->len; i++)
		gb_error(r->d, gb_noloc(), "the PDF links to destination '%s', "
			 "which no page has", (const char *)missing->pdata[i]);
	bool ret = missing->len == 0;
	g_ptr_array_free(missing, TRUE);
	return ret;
}

/*
 * The creation time t as ISO 8601 ("2025-07-31T10:00:00Z") and as a PDF
 * date ("D:20250731100000Z"), each into 32 bytes.  False if out of range.
 */
bool gb_pd_format_dates(gint64 t, char iso[32], char pdf[32])
{
	return gb_time_iso8601(t, iso) && gb_time_pdf(t, pdf);
}
