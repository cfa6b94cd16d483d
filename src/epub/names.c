/* names.c - the names of the package's files: parts' documents and pictures (ep.h) */
#include "epub/ep.h"
#include "source/translit.h"

/*
 * A name for a file of the package made from s: lowercase ASCII letters
 * and digits, '.', '_' and '-' (transliterated: gb_translit_ascii, any
 * other character a '-'), so that every name inside the EPUB is safe ASCII whatever the
 * book's file names (EPUBCheck warns of spaces, PKG-010, and of
 * non-ASCII names, PKG-012); fallback when nothing of s is left.
 */
static char *safe_name(const char *s, const char *fallback)
{
	char *ascii = gb_translit_ascii(s);
	GString *out = g_string_new(NULL);
	for (const char *p = ascii; *p; p++) {
		char ch = g_ascii_tolower(*p);
		bool ok = g_ascii_isalnum(ch) || ch == '.' || ch == '_' || ch == '-';
		if (!ok)
			ch = '-';
		if (ch == '-' && (!out->len || out->str[out->len - 1] == '-'))
			continue;
		g_string_append_c(out, ch);
	}
	g_free(ascii);
	while (out->len && (out->str[out->len - 1] == '-' || out->str[out->len - 1] == '.'))
		g_string_truncate(out, out->len - 1);
	bool alnum = false;
	for (gsize i = 0; i < out->len; i++)
		alnum = alnum || g_ascii_isalnum(out->str[i]);
	if (!alnum || out->str[0] == '.')
		g_string_assign(out, fallback);
	return g_string_free(out, FALSE);
}

/* safe_name of a file name's stem, then its extension, made safe too. */
char *gb_ep_safe_file_name(const char *base, const char *fallback)
{
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return safe_name(base, fallback);
	char *stem = g_strndup(base, (gsize)(dot - base));
	char *s = safe_name(stem, fallback);
	char *ext = safe_name(dot + 1, "");
	char *name = *ext ? g_strconcat(s, ".", ext, NULL) : g_strdup(s);
	g_free(ext);
	g_free(s);
	g_free(stem);
	return name;
}

/*
 * Names each part's document, once: "text/" the part's id made safe
 * (safe_name), unique (a "-2", "-3"... after a name taken), stable while
 * the book's files and their order are; "part-N" for an id with nothing
 * ASCII in it.
 */
void gb_ep_name_docs(epub *e)
{
	GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* the book's own documents */
	const char *own[] = { "cover", "titlepage", "colophon", "licences", "nav", "toc", "index" };
	for (size_t i = 0; i < G_N_ELEMENTS(own); i++)
		g_hash_table_add(taken, g_strdup(own[i]));
	int n = 0;
	for (const gb_node *p = e->book->root->first; p; p = p->next) {
		char *fallback = g_strdup_printf("part-%d", ++n);
		char *base = safe_name(p->id, fallback);
		char *name = g_strdup(base);
		for (int k = 2; g_hash_table_contains(taken, name); k++) {
			g_free(name);
			name = g_strdup_printf("%s-%d", base, k);
		}
		g_hash_table_add(taken, name);
		g_hash_table_insert(e->docs, (gpointer)p, g_strdup_printf("text/%s.xhtml", name));
		g_free(base);
		g_free(fallback);
	}
	g_hash_table_destroy(taken);
}

char *gb_ep_part_href(const epub *e, const gb_node *part)
{
	return g_strdup(g_hash_table_lookup(e->docs, part));
}
