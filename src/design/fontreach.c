/* fontreach.c - the font families a build may draw with (fontreach.h). */
#include "design/fontreach.h"
#include "design/coverage.h"
#include "design/fontcover.h"
#include "design/words.h"
#include "source/index.h"

#include <string.h>

/*
 * The characters the typesetter draws of its own in the text's faces: a
 * list's bullet, the notes' and links' marks, the dashes of page ranges,
 * an ellipsis, the digits (a task's boxes only with a task: see_node());
 * and in the mono face alone (a
 * fallback draws it only when that face lacks it): the continuation mark
 * of a code line (blocks.c).
 */
#define OWN_MARKS "\u2022*\u2020\u2021\u00a7\u2016\u00b6#" \
	"\u2013\u2014\u2026-\u2010.,:;()[]0123456789"
#define MONO_MARKS "\u21aa"

/* Every character seen: a bit each, U+0000 to U+10FFFF. */
typedef struct seen {
	guint8 *bits;
	GHashTable *words;  /* the gb_words * of the languages seen */
} seen;

/* Marks the fallbacks of c that have u, unless every face of face has it. */
static void reach(const gb_coverage *c, guint face, gunichar u, bool *reached)
{
	if (gb_coverage_invisible(u) || gb_coverage_has(c, face, u))
		return;
	for (guint f = GB_FACE_FALLBACK; f < c->n; f++)
		if (gb_coverage_has(c, f, u))
			reached[f] = true;
}

/* Marks the characters of s (n bytes; -1: to its NUL), skipping bytes
   that are not UTF-8. */
static void see_n(seen *s, const char *text, gssize n)
{
	if (!text)
		return;
	const char *end = text + (n < 0 ? (gssize)strlen(text) : n);
	for (const char *p = text; p < end;) {
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			p++;
			continue;
		}
		if (u < 0x110000)
			s->bits[u >> 3] |= (guint8)(1u << (u & 7));
		p = g_utf8_next_char(p);
	}
}

static void see(seen *s, const char *text)
{
	see_n(s, text, -1);
}

static bool see_node(const gb_node *n, bool entering, void *ctx)
{
	seen *s = ctx;
	if (!entering)
		return true;
	see(s, n->text);
	see(s, n->url);
	see(s, n->title);
	see(s, n->label);
	if (n->kind == GB_NODE_ITEM)
		see(s, gb_task_mark(n));
	if (n->lang)
		g_hash_table_add(s->words, (gpointer)gb_words_for(n->lang));
	return true;
}

static void see_meta(seen *s, const gb_meta *m)
{
	const char *one[] = { m->title, m->subtitle, m->lang, m->date, m->publisher,
			      m->rights, m->short_title, m->description, m->source,
			      m->identifier, m->certified_by, m->certifier_credential,
			      m->modified, m->isbn_text, m->print_isbn_text, m->version };
	for (size_t i = 0; i < G_N_ELEMENTS(one); i++)
		see(s, one[i]);
	for (guint i = 0; m->authors && i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		see(s, a->name);
		see(s, a->affiliation);
		see(s, a->file_as);
	}
	for (guint i = 0; m->subjects && i < m->subjects->len; i++)
		see(s, g_ptr_array_index(m->subjects, i));
}

static void see_words(seen *s, const gb_words *w)
{
	const char *one[] = { w->contents, w->landmarks, w->cover, w->title_page,
			      w->colophon, w->start, w->licences, w->notes, w->back,
			      w->identifier, w->source, w->fonts, w->date, w->rights,
			      w->published_by, w->and_, w->by, w->index, w->page,
			      w->pages };
	for (size_t i = 0; i < G_N_ELEMENTS(one); i++)
		see(s, one[i]);
	for (const gb_role_word *r = w->roles; r && r->code; r++)
		see(s, r->word);
	for (const char *const *m = w->months; m && *m; m++)
		see(s, *m);
	for (const char *const *m = w->date_words; m && *m; m++)
		see(s, *m);
}

/* Marks every character book may put on a page (fontreach.h). */
static void see_book(seen *s, const gb_book *book, const gb_style *style)
{
	for (guint i = 0; i < book->files->len; i++) {
		const gb_file *f = g_ptr_array_index(book->files, i);
		see_n(s, f->data, (gssize)f->len);
	}
	gb_node_walk(book->root, see_node, s);
	see_meta(s, &book->meta);
	for (guint i = 0; i < book->part_srcs->len; i++)
		see(s, ((const gb_part_src *)g_ptr_array_index(book->part_srcs, i))->short_title);
	for (guint i = 0; book->toc && i < book->toc->len; i++) {
		const gb_toc_entry *e = g_ptr_array_index(book->toc, i);
		see(s, e->label);
		see(s, e->title);
	}
	for (guint i = 0; book->index && i < book->index->len; i++) {
		const gb_index_entry *e = g_ptr_array_index(book->index, i);
		see(s, e->term);
		see(s, e->sub);
		see(s, e->group);
	}
	GList *values = gb_style_values(style);
	for (GList *l = values; l; l = l->next)
		see(s, l->data);
	g_list_free(values);
	/* the words of each language of the book, and English's, which
	   stand in for a word a language lacks */
	g_hash_table_add(s->words, (gpointer)gb_words_for(NULL));
	g_hash_table_add(s->words, (gpointer)gb_words_for(book->meta.lang));
	for (guint i = 0; i < book->part_srcs->len; i++) {
		const gb_part_src *p = g_ptr_array_index(book->part_srcs, i);
		if (p->lang)
			g_hash_table_add(s->words, (gpointer)gb_words_for(p->lang));
	}
	GHashTableIter it;
	gpointer w;
	g_hash_table_iter_init(&it, s->words);
	while (g_hash_table_iter_next(&it, &w, NULL))
		see_words(s, w);
	see(s, OWN_MARKS);
}

char **gb_families_reached(const gb_book *book, gb_fontset *fonts,
			   const gb_style *style, gb_diag *d)
{
	const char *face[] = { gb_style_need(style, "fonts.body", d),
			       gb_style_need(style, "fonts.heading", d),
			       gb_style_need(style, "fonts.mono", d) };
	if (!face[GB_FACE_BODY] || !face[GB_FACE_HEADING] || !face[GB_FACE_MONO])
		return NULL;
	/* the three families as what every face of each has (a bold face
	   may lack a character the regular has: gb_ts_family_for() then
	   sets a heading in a fallback), the fallbacks as what any face has */
	char **fallbacks = gb_style_list(style, "fonts.fallbacks");
	guint n = GB_FACE_FALLBACK + g_strv_length(fallbacks);
	char **families = g_new0(char *, n + 1);
	for (guint i = 0; i < GB_FACE_FALLBACK; i++)
		families[i] = g_strconcat(GB_EVERY_FACE, face[i], NULL);
	for (guint i = GB_FACE_FALLBACK; i < n; i++)
		families[i] = g_strdup(fallbacks[i - GB_FACE_FALLBACK]);
	g_strfreev(fallbacks);
	gb_coverage *c = gb_coverage_of(fonts, families, d);
	if (!c)
		return NULL;
	seen s = { g_malloc0(0x110000 / 8), g_hash_table_new(NULL, NULL) };
	see_book(&s, book, style);
	bool *reached = g_new0(bool, c->n);
	/* a character of the book may be set in any of the three faces */
	for (gunichar u = 0; u < 0x110000; u++) {
		if (!(s.bits[u >> 3] & (1u << (u & 7))))
			continue;
		for (guint k = GB_FACE_BODY; k < GB_FACE_FALLBACK; k++)
			reach(c, k, u, reached);
	}
	for (const char *p = MONO_MARKS; *p; p = g_utf8_next_char(p))
		reach(c, GB_FACE_MONO, g_utf8_get_char(p), reached);
	GPtrArray *out = g_ptr_array_new();
	for (guint f = 0; f < GB_FACE_FALLBACK; f++)
		g_ptr_array_add(out, g_strdup(face[f]));
	for (guint f = GB_FACE_FALLBACK; f < c->n; f++)
		if (reached[f])
			g_ptr_array_add(out, g_strdup(c->families[f]));
	g_ptr_array_add(out, NULL);
	g_free(reached);
	g_free(s.bits);
	g_hash_table_destroy(s.words);
	gb_coverage_free(c);
	return (char **)g_ptr_array_free(out, FALSE);
}
