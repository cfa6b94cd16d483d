/* textwidth.c - a text's width in a font, shaped with HarfBuzz (textwidth.h) */
#include "design/textwidth.h"

#include <glib.h>
#include <hb.h>

struct gb_textwidth {
	hb_font_t *font;
	unsigned int upem;
};

gb_textwidth *gb_textwidth_new(const char *path, unsigned int index)
{
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	if (!blob)
		return NULL;
	hb_face_t *face = hb_face_create(blob, index);
	hb_blob_destroy(blob);
	gb_textwidth *w = g_new0(gb_textwidth, 1);
	w->upem = hb_face_get_upem(face);
	w->font = hb_font_create(face);
	hb_face_destroy(face);
	if (!w->upem)
		w->upem = 1000;
	return w;
}

void gb_textwidth_free(gb_textwidth *w)
{
	if (!w)
		return;
	hb_font_destroy(w->font);
	g_free(w);
}

double gb_textwidth_em(gb_textwidth *w, const char *text)
{
	hb_buffer_t *buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, text, -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);
	hb_shape(w->font, buf, NULL, 0);
	unsigned int n = 0;
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
	double x = 0;
	for (unsigned int i = 0; i < n; i++)
		x += pos[i].x_advance;
	hb_buffer_destroy(buf);
	return x / w->upem;
}
