/* inlineimage.c - an image in a line of text (an icon): an object
   replacement character as wide as the picture in the line's text, the
   picture drawn over it on the baseline, in a Figure with its alt text
   (ts.h) */
#include "typeset/ts.h"

#include <string.h>

typedef struct image_at {
	guint at;               /* its U+FFFC in the block's text */
	const gb_node *img;
	char *path;
	double w, h;
} image_at;

#define OBJECT "\xEF\xBF\xBC"  /* U+FFFC OBJECT REPLACEMENT CHARACTER */

char *gb_ts_alt_attr(const char *alt)
{
	/* the alt text, in cairo's attribute quoting */
	GString *a = g_string_new("alt='");
	for (const char *p = alt ? alt : ""; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c(a, '\\');
		g_string_append_c(a, *p);
	}
	g_string_append_c(a, '\'');
	return g_string_free(a, FALSE);
}

void gb_ts_inline_image(inl *in, const gb_node *img)
{
	ts *t = in->t;
	char *path = gb_ts_image_path(t, img);
	/* the style's height (about the capitals'), or its own size; at most
	   the measure wide and a line high */
	double em = in->size;
	double line = t->leading * in->size / t->size;
	double def = gb_style_number(t->opt->style, "figure.inline-height", t->d) * em;
	double w, h;
	if (!gb_ts_image_size(t, img, path, t->measure, line, em, def > 0 ? def : em, &w, &h)) {
		g_free(path);
		return;
	}
	guint at = (guint)in->text->len;
	g_string_append(in->text, OBJECT);
	PangoRectangle r = { 0, -(int)(h * PANGO_SCALE), (int)(w * PANGO_SCALE),
			     (int)(h * PANGO_SCALE) };
	PangoAttribute *a = pango_attr_shape_new(&r, &r);
	a->start_index = at;
	a->end_index = (guint)in->text->len;
	pango_attr_list_insert(in->attrs, a);
	if (!in->images)
		in->images = g_array_new(FALSE, FALSE, sizeof(image_at));
	image_at ia = { at, img, path, w, h };
	g_array_append_val(in->images, ia);
}

void gb_ts_line_images(const inl *in, vitem *v, guint ls, guint le,
		       const gb_glyphs *glyphs, double x0, double baseline)
{
	for (guint i = 0; in->images && i < in->images->len; i++) {
		const image_at *ia = &g_array_index(in->images, image_at, i);
		double rx0, rx1;
		if (ia->at < ls || ia->at >= le ||
		    !gb_glyphs_x_range(glyphs, ia->at - ls, ia->at - ls + strlen(OBJECT), &rx0, &rx1))
			continue;
		gb_box *tag = gb_ts_vbox(v, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, "Figure");
		tag->attrs = gb_ts_alt_attr(ia->img->text);
		/* on the baseline, in the middle of its character's place (a
		   line set with font expansion widens or narrows the place,
		   never the picture) */
		gb_ts_vbox(v, GB_BOX_IMAGE, x0 + (rx0 + rx1 - ia->w) / 2, baseline - ia->h,
			   ia->w, ia->h, ia->path);
		gb_ts_vbox(v, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
	}
}

void gb_ts_inline_images_free(inl *in)
{
	for (guint i = 0; in->images && i < in->images->len; i++)
		g_free(g_array_index(in->images, image_at, i).path);
	if (in->images)
		g_array_free(in->images, TRUE);
	in->images = NULL;
}
