/* keep.c - the parts' parse kept across loads of the same book (keep.h) */
#include "source/keep.h"

#include <string.h>

#include "source/parse.h"

typedef struct entry {
	char *data;              /* the file's bytes when parsed */
	size_t len;
	gb_part_kind kind;
	char *lang, *short_title, *book_lang;
	size_t elements;         /* the elements its parse counted */
	gb_node *tree;           /* its PART, positions in this entry */
	gb_file file;            /* what the positions point to (only its
	                            address is used) */
} entry;

struct gb_parse_keep {
	GHashTable *parts;       /* part file as listed -> entry *: the last load's */
	GHashTable *met;         /* ... and those of the load going on */
	guint reused, parsed;
};

static void entry_free(gpointer p)
{
	entry *e = p;
	g_free(e->data);
	g_free(e->lang);
	g_free(e->short_title);
	g_free(e->book_lang);
	gb_node_free(e->tree);
	g_free(e);
}

gb_parse_keep *gb_parse_keep_new(void)
{
	gb_parse_keep *k = g_new0(gb_parse_keep, 1);
	k->parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	k->met = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	return k;
}

void gb_parse_keep_free(gb_parse_keep *k)
{
	if (!k)
		return;
	g_hash_table_destroy(k->parts);
	g_hash_table_destroy(k->met);
	g_free(k);
}

void gb_parse_keep_start(gb_parse_keep *k)
{
	/* what the last load met is what this one may take */
	if (g_hash_table_size(k->met)) {
		GHashTable *old = k->parts;
		k->parts = k->met;
		k->met = old;
	}
	g_hash_table_remove_all(k->met);
	k->reused = k->parsed = 0;
}

guint gb_parse_keep_reused(const gb_parse_keep *k)
{
	return k->reused;
}

guint gb_parse_keep_parsed(const gb_parse_keep *k)
{
	return k->parsed;
}

typedef struct cloning {
	const gb_file *from, *to;
	GHashTable *made;        /* node -> its clone */
	GPtrArray *aimed;        /* clones whose target is the original's */
	bool ok;
} cloning;

static const gb_file *moved(cloning *c, const gb_file *f)
{
	if (f == c->from)
		return c->to;
	if (f)
		c->ok = false;   /* a position elsewhere: not kept */
	return f;
}

static gb_node *clone_node(cloning *c, const gb_node *o)
{
	gb_node *n = g_new(gb_node, 1);
	*n = *o;
	n->parent = n->first = n->last = n->prev = n->next = NULL;
	n->loc.file = moved(c, o->loc.file);
	n->file = moved(c, o->file);
	char **s[] = { &n->text, &n->url, &n->title, &n->id, &n->label, &n->lang,
		       &n->slug_text, &n->classes, &n->tag, &n->width, &n->height };
	for (size_t i = 0; i < G_N_ELEMENTS(s); i++)
		*s[i] = g_strdup(*s[i]);
	g_hash_table_insert(c->made, (gpointer)o, n);
	if (n->target)
		g_ptr_array_add(c->aimed, n);
	for (const gb_node *ch = o->first; ch; ch = ch->next)
		gb_node_append(n, clone_node(c, ch));
	return n;
}

/* A clone of tree, its positions in from moved to to; NULL when it points
   elsewhere (outside the tree or to another file). */
static gb_node *clone_tree(const gb_node *tree, const gb_file *from, const gb_file *to)
{
	cloning c = { from, to, g_hash_table_new(NULL, NULL), g_ptr_array_new(), true };
	gb_node *n = clone_node(&c, tree);
	for (guint i = 0; i < c.aimed->len; i++) {
		gb_node *a = g_ptr_array_index(c.aimed, i);
		a->target = g_hash_table_lookup(c.made, a->target);
		if (!a->target)
			c.ok = false;
	}
	g_hash_table_destroy(c.made);
	g_ptr_array_free(c.aimed, TRUE);
	if (!c.ok) {
		gb_node_free(n);
		return NULL;
	}
	return n;
}

static bool reads_image(const gb_node *n, bool entering, void *ctx)
{
	if (entering && n->kind == GB_NODE_IMAGE)
		*(bool *)ctx = true;
	return true;
}

gb_node *gb_parse_part_kept(gb_parse_keep *k, const gb_book *book,
			    const gb_part_src *src, const gb_file *f,
			    size_t *elements, gb_diag *d)
{
	entry *e = g_hash_table_lookup(k->parts, src->file);
	if (e && e->len == f->len && !memcmp(e->data, f->data, f->len) &&
	    e->kind == src->kind && !g_strcmp0(e->lang, src->lang) &&
	    !g_strcmp0(e->short_title, src->short_title) &&
	    !g_strcmp0(e->book_lang, book->meta.lang) &&
	    *elements + e->elements < GB_MAX_ELEMENTS &&
	    !g_hash_table_contains(k->met, src->file)) {
		gb_node *part = clone_tree(e->tree, &e->file, f);
		if (part) {
			*elements += e->elements;
			gpointer key;
			g_hash_table_steal_extended(k->parts, src->file, &key, NULL);
			g_free(key);
			g_hash_table_insert(k->met, g_strdup(src->file), e);
			k->reused++;
			return part;
		}
	}
	size_t before = *elements;
	int errors = gb_diag_errors(d), warnings = gb_diag_warnings(d);
	gb_node *part = gb_parse_part(book, src, f, elements, d);
	k->parsed++;
	bool image = false;
	gb_node_walk(part, reads_image, &image);
	if (*elements >= GB_MAX_ELEMENTS || image || g_hash_table_contains(k->met, src->file) ||
	    gb_diag_errors(d) != errors || gb_diag_warnings(d) != warnings)
		return part;
	e = g_new0(entry, 1);
	e->tree = clone_tree(part, f, &e->file);
	if (!e->tree) {
		g_free(e);
		return part;
	}
	e->data = g_memdup2(f->data, f->len + 1);
	e->len = f->len;
	e->kind = src->kind;
	e->lang = g_strdup(src->lang);
	e->short_title = g_strdup(src->short_title);
	e->book_lang = g_strdup(book->meta.lang);
	e->elements = *elements - before;
	g_hash_table_insert(k->met, g_strdup(src->file), e);
	return part;
}
