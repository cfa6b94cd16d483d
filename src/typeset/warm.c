/* warm.c - loading glyphs into cairo's caches in a thread of its own. */
#include "typeset/warm.h"

#include <cairo.h>
#include <pango/pangocairo.h>

/* Glyphs of one font to load. */
typedef struct job {
	cairo_scaled_font_t *font;   /* a reference */
	cairo_scaled_font_t *subset; /* the font of its subset, a reference */
	cairo_glyph_t *glyphs;
	int n;
} job;

struct gb_warmer {
	GThread *thread;
	GAsyncQueue *queue;          /* job *, or the stop mark */
	GHashTable *seen;            /* cairo_scaled_font_t * -> guint8 bits[8192] */
	GHashTable *subsets;         /* cairo_font_face_t * -> its subset font */
	GPtrArray *fonts;            /* the fonts seen and their subset fonts,
					a reference each */
	job stop;
};

static void job_free(job *j)
{
	cairo_scaled_font_destroy(j->font);
	cairo_scaled_font_destroy(j->subset);
	g_free(j->glyphs);
	g_free(j);
}

/*
 * The font cairo's PDF surface measures a subset's glyphs with: the face
 * at 1 unit, unhinted (cairo-scaled-font-subsets.c).
 */
static cairo_scaled_font_t *subset_font(cairo_scaled_font_t *font)
{
	cairo_matrix_t identity;
	cairo_matrix_init_identity(&identity);
	cairo_font_options_t *o = cairo_font_options_create();
	cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
	cairo_scaled_font_t *u = cairo_scaled_font_create(
		cairo_scaled_font_get_font_face(font), &identity, &identity, o);
	cairo_font_options_destroy(o);
	return u;
}

static gpointer warm(gpointer data)
{
	gb_warmer *w = data;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *cr = cairo_create(s);
	for (;;) {
		job *j = g_async_queue_pop(w->queue);
		if (j == &w->stop)
			break;
		/* the outlines, as the PDF surface asks for them */
		cairo_set_scaled_font(cr, j->font);
		cairo_glyph_path(cr, j->glyphs, j->n);
		cairo_new_path(cr);
		/* the widths of the subset */
		cairo_text_extents_t ext;
		cairo_scaled_font_glyph_extents(j->subset, j->glyphs, j->n, &ext);
		job_free(j);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return NULL;
}

gb_warmer *gb_warmer_new(void)
{
	gb_warmer *w = g_new0(gb_warmer, 1);
	w->queue = g_async_queue_new();
	w->seen = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	w->subsets = g_hash_table_new(NULL, NULL);
	w->fonts = g_ptr_array_new_with_free_func((GDestroyNotify)cairo_scaled_font_destroy);
	w->thread = g_thread_new("glyphs", warm, w);
	return w;
}

void gb_warmer_add(gb_warmer *w, const gb_glyphs *g)
{
	if (!w || !g)
		return;
	for (guint r = 0; r < g->runs->len; r++) {
		const PangoGlyphItem *gi = g->runs->pdata[r];
		PangoFont *pf = gi->item->analysis.font;
		if (!PANGO_IS_CAIRO_FONT(pf))
			continue;
		cairo_scaled_font_t *font = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pf));
		if (!font || cairo_scaled_font_status(font))
			continue;
		guint8 *bits = g_hash_table_lookup(w->seen, font);
		if (!bits) {
			bits = g_new0(guint8, 8192);
			g_hash_table_insert(w->seen, font, bits);
			g_ptr_array_add(w->fonts, cairo_scaled_font_reference(font));
		}
		/* fonts are made here, never in the thread: cairo resolves a
		   face's fontconfig pattern when it makes one */
		cairo_font_face_t *face = cairo_scaled_font_get_font_face(font);
		cairo_scaled_font_t *subset = g_hash_table_lookup(w->subsets, face);
		if (!subset) {
			subset = subset_font(font);
			g_hash_table_insert(w->subsets, face, subset);
			g_ptr_array_add(w->fonts, subset);
		}
		job *j = NULL;
		for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
			PangoGlyph id = gi->glyphs->glyphs[k].glyph;
			if (id & PANGO_GLYPH_UNKNOWN_FLAG || id == PANGO_GLYPH_EMPTY ||
			    id > 0xFFFF || bits[id >> 3] & (1u << (id & 7)))
				continue;
			bits[id >> 3] |= (guint8)(1u << (id & 7));
			if (!j) {
				j = g_new0(job, 1);
				j->font = cairo_scaled_font_reference(font);
				j->subset = cairo_scaled_font_reference(subset);
				j->glyphs = g_new0(cairo_glyph_t, gi->glyphs->num_glyphs);
			}
			j->glyphs[j->n++].index = id;
		}
		if (j)
			g_async_queue_push(w->queue, j);
	}
}

void gb_warmer_free(gb_warmer *w)
{
	if (!w)
		return;
	g_async_queue_push(w->queue, &w->stop);
	g_thread_join(w->thread);
	g_async_queue_unref(w->queue);
	g_hash_table_destroy(w->seen);
	g_hash_table_destroy(w->subsets);
	g_ptr_array_free(w->fonts, TRUE);
	g_free(w);
}
