/*
 * checktables.c - check's verdict on the tables (gb_typeset_check_tables),
 * kept in the user's cache (typeset.h: gb_check_tables_cached).
 */
#include "typeset/typeset.h"

#include <string.h>

#include "base/cache.h"

/* Adds node and what it holds (everything that is measured) to sum. */
static void table_gb_cache_key_add(GChecksum *sum, const gb_node *n)
{
	char head[64];
	g_snprintf(head, sizeof head, "(%d %d %d %d", (int)n->kind, (int)n->align,
		   (int)n->header, n->number);
	gb_cache_key_add(sum, head);
	gb_cache_key_add(sum, n->text);
	gb_cache_key_add(sum, n->label);
	for (const gb_node *c = n->first; c; c = c->next)
		table_gb_cache_key_add(sum, c);
	gb_cache_key_add(sum, ")");
}

typedef struct tables_key {
	GChecksum *sum;
	int tables;
} tables_key;

static bool tables_key_fn(const gb_node *n, bool entering, void *ctx)
{
	tables_key *k = ctx;
	if (!entering || n->kind != GB_NODE_TABLE)
		return entering && !gb_node_is_inline(n);
	/* where it stands: its part's language, the blocks it is in */
	for (const gb_node *a = n->parent; a; a = a->parent) {
		char kind[16];
		g_snprintf(kind, sizeof kind, "<%d", (int)a->kind);
		gb_cache_key_add(k->sum, kind);
		if (a->kind == GB_NODE_PART)
			gb_cache_key_add(k->sum, a->lang);
	}
	table_gb_cache_key_add(k->sum, n);
	k->tables++;
	return false;
}

bool gb_check_tables_cached(const gb_book *book, const gb_typeset_options *opt,
			    gb_diag *d)
{
	tables_key k = { g_checksum_new(G_CHECKSUM_SHA256), 0 };
	gb_node_walk(book->root, tables_key_fn, &k);
	if (!k.tables) {
		g_checksum_free(k.sum);
		return true;
	}
	char *path = NULL;
	if (gb_cache_on() && gb_cache_key_program(k.sum)) {
		gb_cache_key_add(k.sum, "tables 1");
		gb_cache_key_add(k.sum, gb_style_text(opt->style));
		for (guint i = 0; i < opt->fonts->fonts->len; i++) {
			const gb_font *f = g_ptr_array_index(opt->fonts->fonts, i);
			gb_cache_key_add(k.sum, f->sha256 ? f->sha256 : f->path);
		}
		char margins[96];
		g_snprintf(margins, sizeof margins, "%.17g %.17g", opt->min_margin, opt->gutter);
		gb_cache_key_add(k.sum, opt->paper);
		gb_cache_key_add(k.sum, margins);
		path = gb_cache_path("tables", g_checksum_get_string(k.sum));
	}
	g_checksum_free(k.sum);
	GBytes *fits = gb_cache_get(path, 4);
	bool ok = fits != NULL;
	if (fits) {
		g_bytes_unref(fits);
	} else {
		ok = gb_typeset_check_tables(book, opt, d);
		/* only what fits is kept: a refusal is told again */
		if (ok && path)
			gb_cache_put(path, "fits", 4);
	}
	g_free(path);
	return ok;
}
