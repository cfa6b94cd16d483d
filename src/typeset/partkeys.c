/*
 * partkeys.c - what a part set on all cores is made of, and what it set
 * (ts.h): serve's builds key each part (parts.c), so that the parts an
 * edit left as they were are known (gb_typeset_keep: /status parts_same),
 * and check the keys with a digest of what each part set.
 *
 * Ownership: the keys and digests are the caller's strings (g_free);
 * gb_ts_par_keys_keep() frees t->part_keys and owns k->part_keys' table.
 */
#include "typeset/ts.h"

/*
 * A part's key: all that its pages are made of, besides the style and
 * fonts (gb_typeset_keep is cleared when those change), as a hash of
 * its resolved tree (every node's kind, fields and place: the ids,
 * numbers and labels resolve gave it, which change when a part before it
 * gains a chapter), what its links go to (the target's number, label and
 * page, the link's own page in the pass before and whether it has had
 * one), the notes it refers to (their text, and whether a part before
 * sets them), the context's language at its start, the running heads it
 * was given and the links' settings.  A part with a picture (its file
 * may change) has none, nor has any part of a book whose links' addresses
 * become notes (numbered across parts).
 */
/* A hash of 128 bits in two lanes (a key, or what a part set): many
   small fields, cheaply (SHA-256 took 0.4 s a build at 1,600 pages). */
typedef struct hsum {
	guint64 a, b;
} hsum;

#define HSUM_INIT { 0xcbf29ce484222325u, 0x84222325cbf29ce4u }

typedef struct keyer {
	const ts *t;
	hsum *sum;
	GHashTable *noted;      /* the notes set before the part */
	GHashTable *seen;       /* the notes walked */
	bool none;              /* cannot be kept */
	bool url_notes;         /* a link's address becomes a note */
} keyer;


static void h_word(hsum *h, guint64 w)
{
	h->a = (h->a ^ w) * 0x100000001b3u;
	h->a ^= h->a >> 32;
	h->b = (h->b ^ w) * 0x9e3779b97f4a7c15u;
	h->b ^= h->b >> 29;
}

static void h_bytes(hsum *h, const void *p, gsize n)
{
	const guchar *c = p;
	h_word(h, n);
	for (; n >= 8; n -= 8, c += 8) {
		guint64 w;
		memcpy(&w, c, 8);
		h_word(h, w);
	}
	guint64 w = 0;
	memcpy(&w, c, n);
	h_word(h, w);
}

static char *h_string(const hsum *h)
{
	return g_strdup_printf("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
			       h->a, h->b);
}

static void key_str(hsum *s, const char *str)
{
	if (!str) {
		h_word(s, 0x6e);
		return;
	}
	h_word(s, 0x73);
	h_bytes(s, str, strlen(str));
}

static void key_int(hsum *s, gint64 v)
{
	h_word(s, (guint64)v);
}

static void key_node(keyer *k, const gb_node *n)
{
	hsum *s = k->sum;
	const ts *t = k->t;
	key_int(s, n->kind);
	key_int(s, (gint64)n->loc.off);
	key_int(s, n->level);
	key_int(s, n->number);
	key_int(s, n->ordered | n->tight << 1 | n->header << 2 | n->id_given << 3 |
		n->unnumbered << 4 | n->unlisted << 5 | n->bleed << 6);
	key_int(s, n->align);
	key_int(s, n->part_kind);
	key_int(s, n->task);
	key_int(s, n->refs);
	const char *strs[] = { n->text, n->url, n->title, n->id, n->label, n->lang,
			       n->slug_text, n->classes, n->tag, n->width, n->height };
	for (guint i = 0; i < G_N_ELEMENTS(strs); i++)
		key_str(s, strs[i]);
	if (n->kind == GB_NODE_IMAGE)
		k->none = true;
	const gb_node *to = n->target;
	if (to) {
		key_int(s, to->kind);
		key_int(s, to->number);
		key_int(s, to->level);
		key_str(s, to->id);
		key_str(s, to->label);
	}
	if (n->kind == GB_NODE_NOTEREF && to) {
		key_int(s, to->id && g_hash_table_contains(k->noted, to->id));
		if (g_hash_table_add(k->seen, (gpointer)to))
			for (const gb_node *c = to->first; c; c = c->next)
				key_node(k, c);
	}
	if (n->kind == GB_NODE_LINK) {
		if (gb_ts_link_has_note(t, n))
			k->url_notes = true;
		if (to && to->id)
			key_str(s, g_hash_table_lookup(t->page_of, to->id));
		if (n->url && n->url[0] == '#')
			key_str(s, g_hash_table_lookup(t->page_of, n->url + 1));
		key_str(s, t->link_page ? g_hash_table_lookup(t->link_page, n) : NULL);
		key_int(s, t->link_kept && g_hash_table_contains(t->link_kept, n));
	}
	key_int(s, -1);   /* its children */
	for (const gb_node *c = n->first; c; c = c->next)
		key_node(k, c);
	key_int(s, -2);
}

/* Part p's key, starting in language lang; *url_notes set when a link of
   it makes a note of its address. */
char *gb_ts_part_key(const ts *t, const gb_node *p, PangoLanguage *lang,
		     GHashTable *noted, bool *url_notes)
{
	hsum sum = HSUM_INIT;
	keyer k = { t, &sum, noted,
		    g_hash_table_new(g_direct_hash, g_direct_equal), false, false };
	key_str(k.sum, lang ? pango_language_to_string(lang) : NULL);
	key_int(k.sum, t->link_pages);
	key_int(k.sum, t->print_urls);
	/* its running heads: its own and the book's title (what fits of
	   them on their line follows from them and the style; a part that
	   shortens one says so, and is set again) */
	const gb_meta *m = &t->book->meta;
	char *heads[2] = { gb_ts_part_head(p),
			   gb_meta_one_line(m->short_title ? m->short_title : m->title) };
	for (guint i = 0; i < 2; i++) {
		key_str(k.sum, heads[i]);
		g_free(heads[i]);
	}
	key_node(&k, p);
	char *ret = k.none ? NULL : h_string(k.sum);
	if (k.url_notes)
		*url_notes = true;
	g_hash_table_destroy(k.seen);
	return ret;
}

/* A font's description as a number (fonts, describe: the font -> it). */
static guint font_hash(GHashTable *fonts, PangoFont *f)
{
	gpointer v;
	if (!f)
		return 0;
	if (g_hash_table_lookup_extended(fonts, f, NULL, &v))
		return GPOINTER_TO_UINT(v);
	PangoFontDescription *d = pango_font_describe(f);
	guint h = pango_font_description_hash(d);
	pango_font_description_free(d);
	g_hash_table_insert(fonts, f, GUINT_TO_POINTER(h));
	return h;
}

static guint string_pair_hash(const char *a, const char *b)
{
	return g_str_hash(a) * 31 + (b ? g_str_hash(b) : 0);
}

/*
 * What a worker set, as a hash: its pages (every box's kind, place,
 * size, text, attributes, and its line's characters, scaling, hangs and
 * runs: their places in the text and fonts), the destinations it found
 * and its outline.  Two parts of the same key set the same (the key
 * misses nothing) when their digests are equal: /status counts those
 * that do not (parts_same_differ), which must be none.
 */
char *gb_ts_part_digest(const ts *w)
{
	hsum sum = HSUM_INIT, *s = &sum;
	GHashTable *fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < w->lay->pages->len; i++) {
		const gb_page *pg = w->lay->pages->pdata[i];
		key_str(s, pg->label);
		key_int(s, pg->recto | (gint64)pg->turned << 1);
		double d[] = { pg->left, pg->turn_x, pg->turn_y };
		h_bytes(s, d, sizeof d);
		for (guint j = 0; j < pg->boxes->len; j++) {
			const gb_box *b = pg->boxes->pdata[j];
			double xy[] = { b->x, b->y, b->w, b->h };
			key_int(s, b->kind);
			h_bytes(s, xy, sizeof xy);
			key_str(s, b->text);
			key_str(s, b->attrs);
			const gb_glyphs *g = b->glyphs;
			if (!g)
				continue;
			double e[] = { g->expand, g->hang_left, g->hang_right };
			h_bytes(s, e, sizeof e);
			key_str(s, g->text);
			for (guint r = 0; r < gb_glyphs_n_runs(g); r++) {
				const PangoItem *it = gb_glyphs_item(g, r);
				key_int(s, it->offset);
				key_int(s, it->length);
				key_int(s, it->analysis.level);
				key_int(s, font_hash(fonts, it->analysis.font));
			}
		}
	}
	g_hash_table_destroy(fonts);
	for (guint i = 0; i < w->lay->outline->len; i++) {
		const gb_outline *o = w->lay->outline->pdata[i];
		key_int(s, o->level);
		key_str(s, o->title);
		key_str(s, o->dest);
	}
	/* the destinations, in no order: a sum */
	guint found = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->found);
	while (g_hash_table_iter_next(&it, &k, &v))
		found += string_pair_hash(k, v);
	key_int(s, found);
	key_int(s, w->folios->len);
	return h_string(s);
}

void gb_ts_par_keys_keep(ts *t, gb_typeset_keep *k)
{
	GPtrArray *keys = t->part_keys;
	t->part_keys = NULL;
	if (!k) {
		if (keys)
			g_ptr_array_free(keys, TRUE);
		return;
	}
	GHashTable *was = k->part_keys;
	/* key -> digest */
	GHashTable *now = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	k->parts_keyed = k->parts_same = k->parts_same_differ = 0;
	for (guint i = 0; keys && i < keys->len; i++) {
		char *key = keys->pdata[i];   /* "KEY DIGEST" */
		if (!key)
			continue;
		char *copy = g_strdup(key);
		char *digest = strchr(copy, ' ');
		*digest++ = '\0';
		k->parts_keyed++;
		const char *had = was ? g_hash_table_lookup(was, copy) : NULL;
		if (had) {
			k->parts_same++;
			if (strcmp(had, digest))
				k->parts_same_differ++;
		}
		g_hash_table_replace(now, copy, digest);
	}
	if (was)
		g_hash_table_destroy(was);
	k->part_keys = now;
	if (keys)
		g_ptr_array_free(keys, TRUE);
}

