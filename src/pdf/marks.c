/*
 * marks.c - printer's marks in registration colour (pd.h): the crop marks
 * of each page, and on a booklet's sheets the trim marks of the folded
 * spread and a fold mark at the sheet's centre line.
 *
 * A registration mark prints on every plate.  PDF says so with the
 * colour space [/Separation /All ...] at tint 1; cairo 1.16 draws in
 * DeviceRGB and DeviceGray only, so the finish draws the marks itself: a
 * content stream of its own, put before cairo's in each page's /Contents
 * (drawn first, in the page's default space, in a q ... Q of its own),
 * marked as an artifact of type Page (cut marks), the colour space in
 * the page's resources (/GBAll).  Its alternate space is DeviceCMYK (all
 * four inks), or DeviceGray with --gray.
 */
#include "pdf/pd.h"

/* A mark: a line from (x0, y0) to (x1, y1), points, from the media's top
   left, y down (cairo's space). */
typedef struct seg {
	double x0, y0, x1, y1;
} seg;

static void add(GArray *a, double x0, double y0, double x1, double y1)
{
	seg s = { x0, y0, x1, y1 };
	g_array_append_val(a, s);
}

/*
 * Crop marks at the corners of the trim [x0, x1] x [y0, y1], beyond the
 * bleed (bx on each side across, top and bottom up and down) and the
 * marks' offset: two lines at each corner, continuing the trim's edges
 * outwards.
 */
static void corner_marks(GArray *a, const gb_pdf_options *o, double x0, double y0,
			 double x1, double y1, double bx, double top, double bottom)
{
	double xs[2] = { x0, x1 }, ys[2] = { y0, y1 };
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 2; j++) {
			double hx = i == 0 ? x0 - bx - o->mark_offset : x1 + bx + o->mark_offset;
			add(a, hx, ys[j], i == 0 ? hx - o->marks : hx + o->marks, ys[j]);
			double vy = j == 0 ? y0 - top - o->mark_offset : y1 + bottom + o->mark_offset;
			add(a, xs[i], vy, xs[i], j == 0 ? vy - o->marks : vy + o->marks);
		}
	}
}

void gb_pd_booklet_place(const gb_pdf_options *o, const gb_layout *lay, double *scale,
			 double *x0, double *y0)
{
	double half = o->sheet_w / 2;
	*scale = MIN(half / lay->width, o->sheet_h / lay->height);
	*x0 = gb_pd_mark_room(o) + (half - lay->width * *scale) / 2;
	*y0 = gb_pd_mark_room(o) + (o->sheet_h - lay->height * *scale) / 2;
}

/*
 * The marks of page i of the PDF of lay: an interior page's crop marks;
 * on a booklet's sheet, the folded spread's trim marks (the two pages as
 * one trim) and the fold mark, the sheet's centre line continued beyond
 * the spread at its top and bottom.
 */
static GArray *marks_of(const gb_layout *lay, const gb_pdf_options *o, int i)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(seg));
	if (o->booklet) {
		double s, x0, y0;
		gb_pd_booklet_place(o, lay, &s, &x0, &y0);
		double room = gb_pd_mark_room(o);
		double x1 = room + o->sheet_w - (x0 - room), y1 = y0 + lay->height * s;
		corner_marks(a, o, x0, y0, x1, y1, 0, 0, 0);
		double fold = room + o->sheet_w / 2;
		add(a, fold, y0 - o->mark_offset, fold, y0 - o->mark_offset - o->marks);
		add(a, fold, y1 + o->mark_offset, fold, y1 + o->mark_offset + o->marks);
		return a;
	}
	const gb_page *p = g_ptr_array_index(lay->pages, i);
	double ox, oy;
	gb_pd_trim_origin(o, p, &ox, &oy);
	corner_marks(a, o, ox, oy, ox + lay->width, oy + lay->height,
		     MAX(o->bleed_inside, o->bleed_outside), o->bleed_top, o->bleed_bottom);
	return a;
}

static void num(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(buf, sizeof buf, "%.4f", fabs(v) < 5e-5 ? 0 : v);
	/* trailing zeros go: the same marks, the same bytes */
	char *e = buf + strlen(buf);
	while (e > buf && strchr(buf, '.') && (e[-1] == '0' || e[-1] == '.')) {
		bool dot = e[-1] == '.';
		*--e = '\0';
		if (dot)
			break;
	}
	g_string_append_printf(s, "%s ", buf);
}

/* The content stream that draws marks a on a media mh high. */
static char *stream_of(const GArray *a, const gb_pdf_options *o, double mh)
{
	GString *s = g_string_new("/Artifact <</Type /Page>> BDC\nq\n"
				  "/GBAll CS 1 SCN\n");
	num(s, o->mark_weight);
	g_string_append(s, "w 0 J [] 0 d\n");
	for (guint k = 0; k < a->len; k++) {
		const seg *sg = &g_array_index(a, seg, k);
		num(s, sg->x0);
		num(s, mh - sg->y0);
		g_string_append(s, "m ");
		num(s, sg->x1);
		num(s, mh - sg->y1);
		g_string_append(s, "l\n");
	}
	g_string_append(s, "S\nQ\nEMC\n");
	return g_string_free(s, FALSE);
}

/* The dictionary at key of dict, made (empty) if it is none; the caller
   releases it. */
static qpdf_oh dict_at(qpdf_data q, qpdf_oh dict, const char *key)
{
	qpdf_oh v = qpdf_oh_get_key(q, dict, key);
	if (qpdf_oh_is_dictionary(q, v))
		return v;
	qpdf_oh fresh = qpdf_oh_parse(q, "<< >>");
	qpdf_oh_replace_key(q, dict, key, fresh);
	qpdf_oh_release(q, fresh);
	qpdf_oh_release(q, v);
	return qpdf_oh_get_key(q, dict, key);
}

/* /GBAll in the resources of page (home: the page's object number). */
static void add_colour_space(qpdf_data q, gb_pdf_copy *c, qpdf_oh page, int home,
			     bool gray)
{
	const char *all = gray
		? "[/Separation /All /DeviceGray << /FunctionType 2 /Domain [0 1] "
		  "/C0 [1] /C1 [0] /N 1 >>]"
		: "[/Separation /All /DeviceCMYK << /FunctionType 2 /Domain [0 1] "
		  "/C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>]";
	qpdf_oh res = dict_at(q, page, "/Resources");
	int rhome = gb_pdf_copy_home(c, res, home);
	qpdf_oh cs = dict_at(q, res, "/ColorSpace");
	int chome = gb_pdf_copy_home(c, cs, rhome);
	qpdf_oh sep = qpdf_oh_parse(q, all);
	qpdf_oh_replace_key(q, cs, "/GBAll", sep);
	gb_pdf_copy_touch(c, chome);
	gb_pdf_copy_touch(c, rhome);
	gb_pdf_copy_touch(c, home);
	qpdf_oh_release(q, cs);
	qpdf_oh_release(q, res);
}

/* A booklet sheet's TrimBox and BleedBox: the folded spread, the two
   pages side by side (no bleed), on a media mh high. */
static void spread_boxes(qpdf_data q, gb_pdf_copy *c, const gb_layout *lay,
			 const gb_pdf_options *o, qpdf_oh page, int home, double mh)
{
	double s, x0, y0;
	gb_pd_booklet_place(o, lay, &s, &x0, &y0);
	double x1 = 2 * gb_pd_mark_room(o) + o->sheet_w - x0, y1 = y0 + lay->height * s;
	GString *r = g_string_new("[");
	num(r, x0);
	num(r, mh - y1);
	num(r, x1);
	num(r, mh - y0);
	g_string_append(r, "]");
	const char *keys[] = { "/TrimBox", "/BleedBox" };
	for (int k = 0; k < 2; k++) {
		qpdf_oh box = qpdf_oh_parse(q, r->str);
		qpdf_oh_replace_key(q, page, keys[k], box);
		qpdf_oh_release(q, box);
	}
	g_string_free(r, TRUE);
	gb_pdf_copy_touch(c, home);
}

bool gb_pd_add_marks(qpdf_data q, gb_pdf_copy *c, const gb_layout *lay,
		     const gb_pdf_options *o)
{
	if (o->marks <= 0 || o->wrap)
		return true;
	int n = qpdf_get_num_pages(q);
	double mw, mh;
	if (o->booklet)
		mh = o->sheet_h + 2 * gb_pd_mark_room(o);
	else
		gb_pd_media_size(o, lay, &mw, &mh);
	for (int i = 0; i < n && (o->booklet || i < (int)lay->pages->len); i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		int home = gb_pdf_copy_home(c, page, 0);
		GArray *a = marks_of(lay, o, i);
		char *text = stream_of(a, o, mh);
		int marks = gb_pdf_copy_add(c, "<< >>", text, strlen(text));
		g_free(text);
		g_array_free(a, TRUE);
		/* the page's content as it stands: a stream the finish
		   wrote again (PDF/UA's artifacts), or cairo's */
		int now = gb_pdf_copy_linked(c, home, "/Contents");
		char *was;
		if (now) {
			was = g_strdup_printf("%d 0 R", now);
		} else {
			qpdf_oh old = qpdf_oh_get_key(q, page, "/Contents");
			was = qpdf_oh_is_array(q, old)
			      ? g_strndup(qpdf_oh_unparse(q, old) + 1,
					  strlen(qpdf_oh_unparse(q, old)) - 2)
			      : g_strdup(qpdf_oh_unparse(q, old));
			qpdf_oh_release(q, old);
			qpdf_oh_remove_key(q, page, "/Contents");
		}
		char *array = g_strdup_printf("[%d 0 R %s]", marks, was);
		g_free(was);
		gb_pdf_copy_link(c, home, "/Contents", gb_pdf_copy_add(c, array, NULL, 0));
		g_free(array);
		add_colour_space(q, c, page, home, o->gray);
		if (o->booklet)
			spread_boxes(q, c, lay, o, page, home, mh);
		qpdf_oh_release(q, page);
	}
	return true;
}
