/* shape.c - shaping a paragraph's text, with the cache of shaped words kept on disk between runs (lb.h) */
#include "typeset/lb.h"

/* ---- the paragraph as boxes, glue and penalties ---- */


/*
 * The widths of a space and a hyphen in font, kept on the context: every
 * paragraph asks, and most share a font.
 */
void gb_lb_space_and_hyphen(PangoContext *pc, const PangoFontDescription *font,
			     double *space, double *hyphen)
{
	GHashTable *cache = g_object_get_data(G_OBJECT(pc), "gb-space-hyphen");
	if (!cache) {
		cache = g_hash_table_new_full((GHashFunc)pango_font_description_hash,
					      (GEqualFunc)pango_font_description_equal,
					      (GDestroyNotify)pango_font_description_free,
					      g_free);
		g_object_set_data_full(G_OBJECT(pc), "gb-space-hyphen", cache,
				       (GDestroyNotify)g_hash_table_destroy);
	}
	double *w = g_hash_table_lookup(cache, font);
	if (!w) {
		/* their advances, as shaped: no glyph outline is loaded */
		w = g_new(double, 2);
		gb_glyphs *g = gb_shape_text(pc, " ", NULL, font);
		w[0] = gb_glyphs_width(g);
		gb_glyphs_unref(g);
		g = gb_shape_text(pc, "-", NULL, font);
		w[1] = gb_glyphs_width(g);
		gb_glyphs_unref(g);
		g_hash_table_insert(cache, pango_font_description_copy(font), w);
	}
	*space = w[0];
	*hyphen = w[1];
}

/*
 * Whether byte i of the run's item starts one of its clusters.  A left to
 * right run's clusters go up, so a binary search finds it: a paragraph of
 * megabytes has runs of megabytes, cut at every line.
 */
bool gb_lb_starts_cluster(const PangoGlyphItem *gi, int i)
{
	const PangoGlyphString *gs = gi->glyphs;
	if (gi->item->analysis.level % 2) {
		for (int g = 0; g < gs->num_glyphs; g++)
			if (gs->log_clusters[g] == i)
				return true;
		return false;
	}
	int g = gb_glyphs_first_at(gs, i);
	return g < gs->num_glyphs && gs->log_clusters[g] == i;
}

/* The first of the paragraph's runs that ends after byte a (runs go in
   text order). */
guint gb_lb_run_after(const para *pa, guint a)
{
	guint lo = 0, hi = pa->runs->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const PangoGlyphItem *r = pa->runs->pdata[mid];
		if ((guint)(r->item->offset + r->item->length) <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* (the word itself is its file's arena's) */
static void word_free(shaped_word *w)
{
	if (w->shaped)
		pango_glyph_string_free(w->glyphs);
}

static const char words_magic[] = "gsi-book shaped words 3";

/* About what a word takes in the cache. */
static gsize word_bytes(gsize key_len, int glyphs)
{
	return key_len + (gsize)glyphs * 24 + 64;
}

/* Writes the words of f used in this run to its entry, if they changed. */
static void word_file_save(word_file *f)
{
	if (!f->path || (!f->grew && f->used == f->loaded && !f->wgrew && f->wused == f->wloaded))
		return;
	GByteArray *o = gb_sealed_new(words_magic);
	for (guint i = 0; i < f->keys->len; i++) {
		const char *key = f->keys->pdata[i];
		const shaped_word *w = g_hash_table_lookup(f->words, key);
		if (!w || !w->used)
			continue;
		const PangoGlyphString *g = w->glyphs;
		guint32 klen = (guint32)strlen(key);
		gb_le32_append(o, klen);
		g_byte_array_append(o, (const guint8 *)key, klen);
		gb_le32_append(o, (guint32)g->num_glyphs);
		for (int k = 0; k < g->num_glyphs; k++) {
			const PangoGlyphInfo *gi = &g->glyphs[k];
			guint32 attr = gi->attr.is_cluster_start | (guint32)gi->attr.is_color << 1;
			gb_le32_append(o, gi->glyph);
			gb_le32_append(o, (guint32)gi->geometry.width);
			gb_le32_append(o, (guint32)gi->geometry.x_offset);
			gb_le32_append(o, (guint32)gi->geometry.y_offset);
			gb_le32_append(o, attr);
			gb_le32_append(o, (guint32)g->log_clusters[k]);
		}
	}
	/* then the widths used, after a length no key has */
	gb_le32_append(o, G_MAXUINT32);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, f->widths);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const measured *m = v;
		if (!m->used)
			continue;
		guint32 klen = (guint32)strlen(k);
		gb_le32_append(o, klen);
		g_byte_array_append(o, (const guint8 *)k, klen);
		guint64 bits;
		memcpy(&bits, &m->w, sizeof bits);
		gb_le32_append(o, (guint32)bits);
		gb_le32_append(o, (guint32)(bits >> 32));
	}
	gb_sealed_close(o, words_magic);
	gb_cache_put(f->path, o->data, o->len);
	g_byte_array_free(o, TRUE);
}

/* Reads f's entry into the cache; an entry that does not hold together is left out. */
static void word_file_load(word_cache *c, word_file *f)
{
	GBytes *b = gb_cache_get(f->path, 1);
	const guint8 *p = NULL;
	gsize len = 0;
	if (!b || !gb_sealed_open(b, words_magic, &p, &len)) {
		if (b)
			g_bytes_unref(b);
		return;
	}
	const guint8 *end = p + len;
	bool widths = false;
	while (p < end) {
		guint32 klen = 0, n = 0;
		if (!gb_le32_take(&p, end, &klen))
			break;
		if (klen == G_MAXUINT32 && !widths) {
			widths = true;
			continue;
		}
		if ((gsize)(end - p) < klen)
			break;
		char *key = gb_arena_strndup(f->arena, (const char *)p, klen);
		bool nul = memchr(p, 0, klen);
		p += klen;
		if (widths) {
			guint32 lo = 0, hi = 0;
			if (!gb_le32_take(&p, end, &lo) || !gb_le32_take(&p, end, &hi) ||
			    nul || g_hash_table_contains(f->widths, key))
				break;
			guint64 bits = (guint64)hi << 32 | lo;
			measured *m = gb_arena_alloc0(f->arena, sizeof *m);
			memcpy(&m->w, &bits, sizeof m->w);
			g_hash_table_insert(f->widths, key, m);
			c->bytes += klen + 48;
			f->wloaded++;
			continue;
		}
		if (!gb_le32_take(&p, end, &n) || n > (guint32)((end - p) / 24))
			break;
		/* (the word, its glyphs and their clusters in the arena) */
		PangoGlyphString *g = gb_arena_alloc(f->arena, sizeof *g);
		g->num_glyphs = g->space = (gint)n;
		g->glyphs = gb_arena_alloc(f->arena, n * sizeof *g->glyphs + 1);
		g->log_clusters = gb_arena_alloc(f->arena, n * sizeof *g->log_clusters + 1);
		bool ok = true;
		for (guint32 k = 0; k < n && ok; k++) {
			guint32 v[6];
			for (int j = 0; j < 6 && ok; j++)
				ok = gb_le32_take(&p, end, &v[j]);
			memset(&g->glyphs[k].attr, 0, sizeof g->glyphs[k].attr);
			g->glyphs[k].glyph = v[0];
			g->glyphs[k].geometry.width = (gint32)v[1];
			g->glyphs[k].geometry.x_offset = (gint32)v[2];
			g->glyphs[k].geometry.y_offset = (gint32)v[3];
			g->glyphs[k].attr.is_cluster_start = v[4] & 1;
			g->glyphs[k].attr.is_color = (v[4] >> 1) & 1;
			g->log_clusters[k] = (gint)v[5];
			ok = ok && (gint)v[5] >= 0 && v[5] <= klen;
		}
		if (!ok || nul || g_hash_table_contains(f->words, key))
			break;
		shaped_word *w = gb_arena_alloc0(f->arena, sizeof *w);
		w->glyphs = g;
		g_hash_table_insert(f->words, key, w);
		g_ptr_array_add(f->keys, key);
		c->bytes += word_bytes(f->prefix_len + klen, (int)n);
		f->loaded++;
	}
	g_bytes_unref(b);
}

static void word_file_free(word_file *f)
{
	g_free(f->prefix);
	g_free(f->path);
	g_ptr_array_free(f->keys, TRUE);
	g_hash_table_destroy(f->words);
	g_hash_table_destroy(f->widths);
	gb_arena_free(f->arena);
	g_free(f);
}

static void word_cache_free(word_cache *c)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, c->files);
	while (g_hash_table_iter_next(&it, NULL, &v))
		word_file_save(v);
	g_hash_table_destroy(c->files);
	g_hash_table_destroy(c->font_names);
	for (int i = 0; i < RECENT; i++)
		g_free(c->recent[i].features);
	g_string_free(c->key, TRUE);
	g_free(c->id);
	g_free(c);
}

word_cache *gb_lb_word_cache_of(PangoContext *pc)
{
	word_cache *c = g_object_get_data(G_OBJECT(pc), "gb-words");
	if (!c) {
		c = g_new0(word_cache, 1);
		c->key = g_string_new(NULL);
		c->files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
						 (GDestroyNotify)word_file_free);
		c->font_names = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		g_object_set_data_full(G_OBJECT(pc), "gb-words", c,
				       (GDestroyNotify)word_cache_free);
	}
	return c;
}

void gb_shape_cache_keep(PangoContext *pc, const char *id)
{
	word_cache *c = gb_lb_word_cache_of(pc);
	g_free(c->id);
	c->id = id ? g_strdup(id) : NULL;
}

/* The words of item key prefix, read from the user's cache the first time. */
static word_file *word_file_of(word_cache *c, const char *prefix)
{
	word_file *f = g_hash_table_lookup(c->files, prefix);
	if (f)
		return f;
	f = g_new0(word_file, 1);
	f->prefix = g_strdup(prefix);
	f->prefix_len = strlen(prefix);
	f->arena = gb_arena_new(64 << 10);
	/* (keys and values in the arena) */
	f->words = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					 (GDestroyNotify)word_free);
	f->keys = g_ptr_array_new();
	f->widths = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(c->files, f->prefix, f);
	if (c->id) {
		char *both = g_strconcat(words_magic, "\n", c->id, "\n", prefix, NULL);
		char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, both, -1);
		f->path = gb_cache_path("words", sum);
		g_free(sum);
		g_free(both);
		word_file_load(c, f);
	}
	return f;
}

static void file_merge(word_cache *c, word_file *into, word_file *from)
{
	for (guint i = 0; i < from->keys->len; i++) {
		const char *key = from->keys->pdata[i];
		shaped_word *w = g_hash_table_lookup(from->words, key);
		if (!w || !w->used)
			continue;
		shaped_word *had = g_hash_table_lookup(into->words, key);
		if (had) {
			if (!had->used) {
				had->used = true;
				into->used++;
			}
			continue;
		}
		if (c->bytes >= WORD_CACHE_MAX)
			continue;
		/* from's key and word are its arena's, freed with it: into
		   gets its own; the glyphs Pango made are taken, those read
		   from from's file (its arena's) copied */
		size_t n = strlen(key);
		shaped_word *now = gb_arena_alloc0(into->arena, sizeof *now);
		now->used = true;
		now->shaped = true;
		if (w->shaped) {
			now->glyphs = w->glyphs;
			w->glyphs = NULL;
			w->shaped = false;
		} else {
			now->glyphs = pango_glyph_string_copy(w->glyphs);
		}
		char *k = gb_arena_strndup(into->arena, key, n);
		c->bytes += word_bytes(into->prefix_len + n, now->glyphs->num_glyphs);
		g_hash_table_insert(into->words, k, now);
		g_ptr_array_add(into->keys, k);
		into->used++;
		into->grew = true;
	}
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, from->widths);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const measured *m = v;
		if (!m->used)
			continue;
		measured *had = g_hash_table_lookup(into->widths, k);
		if (had) {
			if (!had->used) {
				had->used = true;
				into->wused++;
			}
		} else if (c->bytes < WORD_CACHE_MAX) {
			gb_lb_width_keep(c, into, k, m->w);
		}
	}
}

void gb_shape_cache_merge(PangoContext *into, PangoContext *from)
{
	word_cache *a = gb_lb_word_cache_of(into), *b = gb_lb_word_cache_of(from);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, b->files);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		word_file *f = v;
		file_merge(a, word_file_of(a, f->prefix), f);
		/* written once, by into */
		g_free(f->path);
		f->path = NULL;
	}
}

/* The width measured under width key key in f, or NULL. */
const double *gb_lb_width_known(word_file *f, const char *key)
{
	measured *m = g_hash_table_lookup(f->widths, key);
	if (m && !m->used) {
		m->used = true;
		f->wused++;
	}
	return m ? &m->w : NULL;
}

/* Keeps width w under width key key in f. */
void gb_lb_width_keep(word_cache *c, word_file *f, const char *key, double w)
{
	if (c->bytes >= WORD_CACHE_MAX)
		return;
	measured *m = gb_arena_alloc0(f->arena, sizeof *m);
	m->w = w;
	m->used = true;
	size_t n = strlen(key);
	c->bytes += n + 48;
	g_hash_table_insert(f->widths, gb_arena_strndup(f->arena, key, n), m);
	f->wused++;
	f->wgrew = true;
}

/* A font as keys name it: its description, the same from run to run. */
static const char *font_name(word_cache *c, PangoFont *font)
{
	const char *name = g_hash_table_lookup(c->font_names, font);
	if (!name) {
		PangoFontDescription *d = pango_font_describe_with_absolute_size(font);
		char *s = pango_font_description_to_string(d);
		pango_font_description_free(d);
		g_hash_table_insert(c->font_names, font, s);
		name = s;
	}
	return name;
}

/* Appends at to k when it is a font feature or letterspacing (the kinds
   of attributes the cache keeps apart), with ';' after it; false when it
   is another kind. */
static bool attr_key(GString *k, const PangoAttribute *at)
{
	if (at->klass->type == PANGO_ATTR_FONT_FEATURES)
		g_string_append(k, ((const PangoAttrFontFeatures *)at)->features);
	else if (at->klass->type == PANGO_ATTR_LETTER_SPACING)
		g_string_append_printf(k, "ls=%d", ((const PangoAttrInt *)at)->value);
	else
		return false;
	g_string_append_c(k, ';');
	return true;
}

/*
 * The font features and letterspacing of a's extra attributes, each
 * followed by ';' ("" for none); NULL when a has another kind, which the
 * cache leaves alone.
 */
static char *features_of(const PangoAnalysis *a)
{
	GString *k = g_string_new(NULL);
	for (GSList *l = a->extra_attrs; l; l = l->next)
		if (!attr_key(k, l->data)) {
			g_string_free(k, TRUE);
			return NULL;
		}
	return g_string_free(k, FALSE);
}

/* Whether a's features are those of r: features_of(a) is r->features,
   compared as it would be written, without writing it (a hot path). */
static bool same_features(const recent *r, const PangoAnalysis *a)
{
	const char *s = r->features;
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		const PangoAttribute *at = l->data;
		char buf[32];
		const char *k = buf;
		if (at->klass->type == PANGO_ATTR_FONT_FEATURES)
			k = ((const PangoAttrFontFeatures *)at)->features;
		else if (at->klass->type == PANGO_ATTR_LETTER_SPACING)
			snprintf(buf, sizeof buf, "ls=%d", ((const PangoAttrInt *)at)->value);
		else
			return false;
		size_t n = strlen(k);
		if (strncmp(s, k, n) || s[n] != ';')
			return false;
		s += n + 1;
	}
	return !*s;
}

/*
 * The words of a's item key: what besides its text decides an item's
 * glyphs.  NULL when unsure.  The analyses last met are remembered, for
 * the items of a book share a few.
 */
word_file *gb_lb_file_of(word_cache *c, const PangoAnalysis *a)
{
	for (int i = 0; i < RECENT; i++) {
		recent *r = &c->recent[i];
		if (r->file && r->font == a->font && r->lang == a->language &&
		    r->level == a->level && r->script == a->script &&
		    r->gravity == a->gravity && r->flags == a->flags &&
		    same_features(r, a)) {
			if (i > 0) {
				recent hit = *r;
				memmove(c->recent + 1, c->recent, (size_t)i * sizeof *r);
				c->recent[0] = hit;
			}
			return c->recent[0].file;
		}
	}
	char *features = features_of(a);
	if (!features)
		return NULL;
	char *key = g_strdup_printf("%s|%d|%d|%d|%d|%s|%s|", font_name(c, a->font), a->level,
				    a->script, a->gravity, a->flags,
				    pango_language_to_string(a->language), features);
	word_file *f = word_file_of(c, key);
	g_free(key);
	g_free(c->recent[RECENT - 1].features);
	memmove(c->recent + 1, c->recent, (RECENT - 1) * sizeof *c->recent);
	c->recent[0] = (recent){ a->font, a->language, a->level, a->script, a->gravity,
				 a->flags, features, f };
	return f;
}

/*
 * The glyphs of t[0, n) shaped alone with analysis a, from the cache under
 * word key key in f (a's item key's words); *temp is set when the cache is
 * full and the caller must free the glyphs.
 */
/*
 * The letterspacing of a (small capitals: typeset/inline.c), added after
 * every character of g but its last: between the letters of a word in
 * capitals, not before or after it, so that the word stays one word for
 * a PDF's text extraction beside a character it touches (`--from=`*FILE*
 * reads "--from=FILE").  pango_shape() leaves letterspacing to layouts.
 * The word is one item (its attributes are its own), shaped whole from
 * the cache or on a line.
 */
static void letter_space(const PangoAnalysis *a, PangoGlyphString *g)
{
	int space = 0;
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		const PangoAttribute *at = l->data;
		if (at->klass->type == PANGO_ATTR_LETTER_SPACING)
			space = ((const PangoAttrInt *)at)->value;
	}
	if (!space || !g->num_glyphs)
		return;
	int last = g->log_clusters[g->num_glyphs - 1];
	for (int i = 0; i < g->num_glyphs; i++)
		if (g->log_clusters[i] != last &&
		    (i + 1 == g->num_glyphs || g->log_clusters[i + 1] != g->log_clusters[i]))
			g->glyphs[i].geometry.width += space;
}

/*
 * Shapes t[0, n), a part of text (len bytes), as a says.  Pango applies
 * each font-features attribute of a->extra_attrs (small capitals, old-style
 * figures) to the bytes of text between its start and end indices, which
 * are those of the paragraph the item was made from.  An item has one set
 * of attributes throughout, so they apply to all of t, whatever text t is
 * in: a word set again on its own at a line's end, a letter and a space in
 * a scratch buffer.  (With the paragraph's indices, GSI at a line's end
 * lost its small capitals, a word wider than the breaker had measured.)
 */
/*
 * A shape attribute (an image in the line, inlineimage.c) gives each
 * character it covers (one U+FFFC) no glyph and its logical width, as
 * Pango's layouts do.  True when a has one.
 */
static bool imposed_shape(const char *t, int n, const PangoAnalysis *a,
			  PangoGlyphString *g)
{
	const PangoAttrShape *shape = NULL;
	for (GSList *l = a->extra_attrs; l; l = l->next)
		if (((const PangoAttribute *)l->data)->klass->type == PANGO_ATTR_SHAPE)
			shape = l->data;
	if (!shape)
		return false;
	int chars = (int)g_utf8_strlen(t, n);
	pango_glyph_string_set_size(g, chars);
	const char *p = t;
	for (int i = 0; i < chars; i++, p = g_utf8_next_char(p)) {
		g->glyphs[i].glyph = PANGO_GLYPH_EMPTY;
		g->glyphs[i].geometry.x_offset = 0;
		g->glyphs[i].geometry.y_offset = 0;
		g->glyphs[i].geometry.width = shape->logical_rect.width;
		memset(&g->glyphs[i].attr, 0, sizeof g->glyphs[i].attr);
		g->glyphs[i].attr.is_cluster_start = 1;
		g->log_clusters[i] = (int)(p - t);
	}
	return true;
}

static void shape_run(const char *t, int n, const char *text, int len,
		      const PangoAnalysis *a, PangoGlyphString *g)
{
	if (imposed_shape(t, n, a, g))
		return;
	PangoAnalysis whole = *a;
	GSList *attrs = NULL;
	for (GSList *l = a->extra_attrs; l; l = l->next) {
		PangoAttribute *at = pango_attribute_copy(l->data);
		at->start_index = PANGO_ATTR_INDEX_FROM_TEXT_BEGINNING;
		at->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
		attrs = g_slist_prepend(attrs, at);
	}
	whole.extra_attrs = g_slist_reverse(attrs);
	pango_shape_with_flags(t, n, text, len, &whole, g, PANGO_SHAPE_NONE);
	g_slist_free_full(whole.extra_attrs, (GDestroyNotify)pango_attribute_destroy);
	letter_space(a, g);
}


PangoGlyphString *gb_lb_cached(word_cache *c, word_file *f, const GString *key,
				const char *t, int n, const char *text, int len,
				const PangoAnalysis *a, bool *temp)
{
	*temp = false;
	shaped_word *w = g_hash_table_lookup(f->words, key->str);
	if (w) {
		if (!w->used) {
			w->used = true;
			f->used++;
		}
		return w->glyphs;
	}
	PangoGlyphString *g = pango_glyph_string_new();
	shape_run(t, n, text, len, a, g);
	if (c->bytes < WORD_CACHE_MAX) {
		c->bytes += word_bytes(f->prefix_len + key->len, g->num_glyphs);
		w = gb_arena_alloc0(f->arena, sizeof *w);
		w->glyphs = g;
		w->used = true;
		w->shaped = true;
		char *k = gb_arena_strndup(f->arena, key->str, key->len);
		g_hash_table_insert(f->words, k, w);
		g_ptr_array_add(f->keys, k);
		f->used++;
		f->grew = true;
	} else {
		*temp = true;
	}
	return g;
}

/*
 * What a space's advance gains before the character at t (a kern of the
 * pair): a space before it shaped, less a space alone.  False when the
 * pair does not shape as two glyphs of their own.
 */
static bool space_kern(word_cache *c, word_file *f, const char *t, const PangoAnalysis *a,
		       int *delta)
{
	int n = (int)(g_utf8_next_char(t) - t);
	char pair[8] = " ";
	memcpy(pair + 1, t, (size_t)n);
	bool t1, t2;
	GString *key = c->key;
	gb_lb_key_set(key, "\x01 ", 2, "", 0);
	PangoGlyphString *lone = gb_lb_cached(c, f, key, pair, 1, pair, 1, a, &t1);
	g_string_append_len(key, t, n);
	PangoGlyphString *two = gb_lb_cached(c, f, key, pair, 1 + n, pair, 1 + n, a, &t2);
	bool ok = lone->num_glyphs == 1 && two->num_glyphs >= 2 &&
		  two->log_clusters[0] == 0 && two->log_clusters[1] == 1;
	if (ok)
		*delta = two->glyphs[0].geometry.width - lone->glyphs[0].geometry.width;
	if (t1)
		pango_glyph_string_free(lone);
	if (t2)
		pango_glyph_string_free(two);
	return ok;
}

/*
 * Shapes t[0, n) of text (len bytes) with analysis a into gs, whole, from
 * the cache when its key is sure (a word's part before a break, which ends
 * in a hyphen: the hyphen goes at the end of what is shaped).
 */
void gb_lb_shape_whole(PangoContext *pc, const char *t, int n, const char *text,
			int len, const PangoAnalysis *a, PangoGlyphString *gs)
{
	word_cache *c = gb_lb_word_cache_of(pc);
	bool sure = !(a->flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE |
				  PANGO_ANALYSIS_FLAG_IS_ELLIPSIS)) && a->level % 2 == 0;
	word_file *f = sure ? gb_lb_file_of(c, a) : NULL;
	if (!f) {
		shape_run(t, n, text, len, a, gs);
		return;
	}
	GString *key = c->key;
	gb_lb_key_set(key, "\x03", 1, t, (gsize)n);
	bool temp;
	PangoGlyphString *w = gb_lb_cached(c, f, key, t, n, text, len, a, &temp);
	pango_glyph_string_set_size(gs, w->num_glyphs);
	memcpy(gs->glyphs, w->glyphs, (size_t)w->num_glyphs * sizeof *w->glyphs);
	memcpy(gs->log_clusters, w->log_clusters, (size_t)w->num_glyphs * sizeof *w->log_clusters);
	if (temp)
		pango_glyph_string_free(w);
}

/*
 * Shapes item it of text (len bytes) into gs, word by word from the cache:
 * each word with the spaces after it; the last space then gains the kern
 * it makes with the next word's first letter.
 */
static void shape_item(PangoContext *pc, const char *text, int len, PangoItem *it,
		       PangoGlyphString *gs)
{
	/* (flags above these are Pango's own bookkeeping) */
	guint8 shaping = it->analysis.flags & (PANGO_ANALYSIS_FLAG_CENTERED_BASELINE |
					       PANGO_ANALYSIS_FLAG_IS_ELLIPSIS |
					       PANGO_ANALYSIS_FLAG_NEED_HYPHEN);
	if (shaping == PANGO_ANALYSIS_FLAG_NEED_HYPHEN) {
		gb_lb_shape_whole(pc, text + it->offset, it->length, text, len, &it->analysis, gs);
		return;
	}
	word_cache *c = gb_lb_word_cache_of(pc);
	word_file *f = it->analysis.level % 2 || shaping ? NULL : gb_lb_file_of(c, &it->analysis);
	if (!f) {
		shape_run(text + it->offset, it->length, text, len, &it->analysis, gs);
		return;
	}
	GString *key = c->key;
	const char *t = text + it->offset;
	int n = 0;
	/* (room for a glyph a byte at once: a glyph string grown word by
	   word was reallocated again and again) */
	if (it->length > gs->space)
		pango_glyph_string_set_size(gs, it->length);
	gs->num_glyphs = 0;
	for (int a = 0; a < it->length;) {
		int b = a;
		while (b < it->length && t[b] != ' ')
			b++;
		while (b < it->length && t[b] == ' ')
			b++;
		int delta = 0;
		bool kerned = b == it->length || b == a || t[b - 1] != ' ' ||
			      space_kern(c, f, t + b, &it->analysis, &delta);
		/* a pair that shapes otherwise: the word with the next letter */
		int e = kerned ? b : (int)(g_utf8_next_char(t + b) - t);
		gb_lb_key_set(key, "\x02", 1, t + a, (gsize)(e - a));
		bool temp;
		PangoGlyphString *w = gb_lb_cached(c, f, key, t + a, e - a, text, len, &it->analysis, &temp);
		int keep = w->num_glyphs;
		if (e > b) {
			keep = 0;
			while (keep < w->num_glyphs && w->log_clusters[keep] < b - a)
				keep++;
		}
		/* (Pango reallocates on every resize, growing or not) */
		if (n + keep > gs->space)
			pango_glyph_string_set_size(gs, n + keep);
		gs->num_glyphs = n + keep;
		memcpy(gs->glyphs + n, w->glyphs, (size_t)keep * sizeof *w->glyphs);
		for (int g = 0; g < keep; g++)
			gs->log_clusters[n + g] = w->log_clusters[g] + a;
		if (delta && keep > 0 && t[a + w->log_clusters[keep - 1]] == ' ')
			gs->glyphs[n + keep - 1].geometry.width += delta;
		n += keep;
		if (temp)
			pango_glyph_string_free(w);
		a = b;
	}
}

/*
 * Shapes g's text[p, q) on its own and appends its runs to g; the last
 * ends with a hyphen when hyphen (the text then ends in a soft hyphen, the
 * character the hyphen stands for).  attrs index g's text.
 */
void gb_lb_shape_part(PangoContext *pc, const PangoFontDescription *font,
		       PangoAttrList *attrs, gb_glyphs *g, int p, int q, bool hyphen)
{
	if (q <= p)
		return;
	int len = (int)strlen(g->text);
	GList *items = gb_lb_itemize(pc, font, g->text, p, q - p, attrs);
	for (GList *l = items; l; l = l->next) {
		PangoItem *it = l->data;
		if (hyphen && !l->next)
			it->analysis.flags |= PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
		PangoGlyphString *gs = pango_glyph_string_new();
		shape_item(pc, g->text, len, it, gs);
		gb_glyphs_add_run(g, it, gs);
	}
	g_list_free(items);
}

gb_glyphs *gb_shape_text(PangoContext *pc, const char *text,
			 PangoAttrList *attrs, const PangoFontDescription *font)
{
	gb_glyphs *g = gb_glyphs_new(g_strdup(text));
	PangoAttrList *none = attrs ? NULL : pango_attr_list_new();
	gb_lb_shape_part(pc, font, attrs ? attrs : none, g, 0, (int)strlen(text), false);
	if (none)
		pango_attr_list_unref(none);
	return g;
}
