/* resolve.c - ids, numbering, labels and the contents. */
#include "resolve.h"

#include <string.h>

enum { SLUG_MAX = 64 };

char *gb_slugify(const char *text)
{
	GString *s = g_string_new(NULL);
	bool gap = false;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_isalnum(u)) {
			if (gap && s->len)
				g_string_append_c(s, '-');
			gap = false;
			g_string_append_unichar(s, g_unichar_tolower(u));
		} else if (g_unichar_isspace(u) || u == '-' || u == '_' ||
			   g_unichar_type(u) == G_UNICODE_DASH_PUNCTUATION ||
			   u == '/' || u == '.' || u == ':') {
			gap = true;
		}
		/* other punctuation (apostrophes, commas, quotes) is dropped */
	}
	if (s->len > SLUG_MAX) {
		/* cut at the last word boundary that fits, or inside the word */
		gsize cut = SLUG_MAX;
		if (s->str[SLUG_MAX] != '-') {
			char *dash = g_strrstr_len(s->str, SLUG_MAX, "-");
			if (dash)
				cut = (gsize)(dash - s->str);
			else
				cut = (gsize)(g_utf8_find_prev_char(s->str, s->str + SLUG_MAX + 1) - s->str);
		}
		g_string_truncate(s, cut);
	}
	return g_string_free(s, FALSE);
}

static const struct {
	const char *lang;
	const char *word;
} appendix_words[] = {
	{ "en", "Appendix" },  { "kk", "Қосымша" }, { "ru", "Приложение" },
	{ "fr", "Annexe" },    { "de", "Anhang" },  { "es", "Apéndice" },
	{ "it", "Appendice" }, { "zh", "附录" },     { "uk", "Додаток" },
};

char *gb_appendix_label(int n, const char *lang)
{
	const char *word = appendix_words[0].word;
	size_t primary = lang ? strcspn(lang, "-") : 0;
	for (size_t i = 0; i < G_N_ELEMENTS(appendix_words); i++)
		if (strlen(appendix_words[i].lang) == primary &&
		    !g_ascii_strncasecmp(lang, appendix_words[i].lang, primary))
			word = appendix_words[i].word;
	/* A..Z, then AA, AB, ... (bijective base 26) */
	char letters[16];
	int len = 0;
	for (int k = n; k > 0 && len < (int)sizeof letters - 1; k = (k - 1) / 26)
		letters[len++] = (char)('A' + (k - 1) % 26);
	GString *s = g_string_new(word);
	g_string_append_c(s, ' ');
	while (len > 0)
		g_string_append_c(s, letters[--len]);
	return g_string_free(s, FALSE);
}

typedef struct resolve_ctx {
	gb_book *book;
	gb_diag *d;
	GHashTable *ids;      /* id -> node, not owned */
	int footnotes;
} resolve_ctx;

/* Gives node a unique id made from base (or fallback when base is empty). */
static void assign_id(resolve_ctx *c, gb_node *node, const char *base,
		      const char *fallback)
{
	char *stem = *base ? g_strdup(base) : g_strdup(fallback);
	/* an XML id starts with a letter */
	if (!g_unichar_isalpha(g_utf8_get_char(stem))) {
		char *s = g_strconcat(fallback, "-", stem, NULL);
		g_free(stem);
		stem = s;
	}
	char *id = g_strdup(stem);
	for (int k = 2; g_hash_table_contains(c->ids, id); k++) {
		g_free(id);
		id = g_strdup_printf("%s-%d", stem, k);
	}
	g_free(stem);
	g_free(node->id);
	node->id = id;
	g_hash_table_insert(c->ids, id, node);
}

static char *plain(const gb_node *n)
{
	GString *s = g_string_new(NULL);
	gb_node_plain_text(n, s);
	return g_strstrip(g_string_free(s, FALSE));
}

static bool heading_ids_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_HEADING) {
		char *text = plain(n);
		char *slug = gb_slugify(text);
		assign_id(c, (gb_node *)n, slug, "section");
		g_free(slug);
		g_free(text);
		return false;
	}
	return !gb_node_is_inline(n);
}

static bool footnotes_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_FOOTNOTE) {
		gb_node *fn = (gb_node *)n;
		fn->number = ++c->footnotes;
		if (fn->number == GB_MAX_NOTES + 1)
			gb_error(c->d, fn->loc,
				 "footnote [^%s] is one too many: a book holds at most %d notes",
				 fn->text ? fn->text : "?", GB_MAX_NOTES);
		fn->label = g_strdup_printf("%d", fn->number);
		char *base = g_strdup_printf("fn-%d", fn->number);
		assign_id(c, fn, base, "fn");
		g_free(base);
		fn->refs = 0;  /* counted again below, in reading order */
	}
	return true;
}

static bool noterefs_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering || n->kind != GB_NODE_NOTEREF || !n->target)
		return true;
	gb_node *ref = (gb_node *)n;
	gb_node *fn = ref->target;
	fn->refs++;
	ref->label = g_strdup(fn->label);
	char *base = fn->refs == 1 ? g_strdup_printf("fnref-%d", fn->number) :
		     g_strdup_printf("fnref-%d-%d", fn->number, fn->refs);
	assign_id(c, ref, base, "fnref");
	g_free(base);
	return true;
}

static bool links_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (entering && n->kind == GB_NODE_LINK && n->url && n->url[0] == '#' &&
	    !g_hash_table_contains(c->ids, n->url + 1))
		gb_error(c->d, n->loc, "link target '%s' matches no heading or note",
			 n->url);
	return true;
}

static void add_toc(gb_book *book, int level, const gb_node *part,
		    const gb_node *heading)
{
	gb_toc_entry *e = g_new0(gb_toc_entry, 1);
	e->level = level;
	e->part = part;
	e->heading = heading;
	e->label = level == 1 && part->label ? g_strdup(part->label) : NULL;
	e->title = plain(heading);
	g_ptr_array_add(book->toc, e);
}

void gb_resolve(gb_book *book, gb_diag *d)
{
	resolve_ctx c = { book, d, g_hash_table_new(g_str_hash, g_str_equal), 0 };
	int chapters = 0, appendices = 0;

	/* part ids first: they are file names, the most stable of all */
	for (gb_node *p = book->root->first; p; p = p->next) {
		char *base = g_path_get_basename(p->text);
		char *dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = '\0';
		char *slug = gb_slugify(base);
		assign_id(&c, p, slug, "part");
		g_free(slug);
		g_free(base);
		if (p->part_kind == GB_PART_CHAPTER) {
			p->number = ++chapters;
		} else if (p->part_kind == GB_PART_APPENDIX) {
			p->number = ++appendices;
			p->label = gb_appendix_label(p->number, p->lang);
		}
	}
	gb_node_walk(book->root, heading_ids_fn, &c);
	gb_node_walk(book->root, footnotes_fn, &c);
	gb_node_walk(book->root, noterefs_fn, &c);
	gb_node_walk(book->root, links_fn, &c);

	for (gb_node *p = book->root->first; p; p = p->next) {
		if (!p->target)
			continue;
		add_toc(book, 1, p, p->target);
		for (gb_node *b = p->target->next; b; b = b->next)
			if (b->kind == GB_NODE_HEADING && b->level == 2)
				add_toc(book, 2, p, b);
	}
	g_hash_table_destroy(c.ids);
}
