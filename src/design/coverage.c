/* coverage.c - which of the style's families draws each character. */
#include "design/coverage.h"
#include "base/file.h"
#include "base/cache.h"
#include "design/fontcover.h"

#include <glib.h>
#include <string.h>

/* Whether the ranges (first, last pairs, little-endian) hold u. */
static bool in_ranges(const guint8 *ranges, gsize n, gunichar u)
{
	gsize lo = 0, hi = n;
	while (lo < hi) {
		gsize mid = lo + (hi - lo) / 2;
		guint32 first = gb_le32_read(ranges + mid * 8);
		guint32 last = gb_le32_read(ranges + mid * 8 + 4);
		if (u < first)
			hi = mid;
		else if (u > last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool gb_coverage_has(const gb_coverage *c, guint family, gunichar u)
{
	if (family >= c->n)
		return false;
	if (u < 0x10000)
		return c->bmp[family][u >> 3] & (1u << (u & 7));
	return in_ranges(c->ranges[family], c->count[family], u);
}

/* Fills c's bitmaps from its ranges. */
static void fill_bitmaps(gb_coverage *c)
{
	c->bmp = g_new0(guint8 *, c->n);
	for (guint i = 0; i < c->n; i++) {
		c->bmp[i] = g_malloc0(0x10000 / 8);
		for (gsize r = 0; r < c->count[i]; r++) {
			guint32 first = gb_le32_read(c->ranges[i] + r * 8);
			guint32 last = gb_le32_read(c->ranges[i] + r * 8 + 4);
			for (guint32 u = first; u <= last && u < 0x10000; u++)
				c->bmp[i][u >> 3] |= (guint8)(1u << (u & 7));
		}
	}
}

/* Whether some family of c has u. */
static bool drawn(const gb_coverage *c, gunichar u)
{
	for (guint i = 0; i < c->n; i++)
		if (gb_coverage_has(c, i, u))
			return true;
	return false;
}

bool gb_coverage_invisible(gunichar u)
{
	GUnicodeType type = g_unichar_type(u);
	return u == 0x2028 || g_unichar_isspace(u) || type == G_UNICODE_CONTROL ||
	       type == G_UNICODE_FORMAT;
}

/* The cache key of the families' characters: the program's version, the
   fonts' sums, the families. */
static char *coverage_key(const gb_fontset *fonts, char **families)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)"coverage 2 " GB_VERSION, -1);
	for (guint i = 0; i < fonts->fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(fonts->fonts, i);
		g_checksum_update(sum, (const guchar *)"\x1f", 1);
		g_checksum_update(sum, (const guchar *)(f->sha256 ? f->sha256 : f->path), -1);
	}
	for (char **f = families; *f; f++) {
		g_checksum_update(sum, (const guchar *)"\x1e", 1);
		g_checksum_update(sum, (const guchar *)*f, -1);
	}
	char *key = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return key;
}

/* Splits data into c's blocks; false when it is not one block a family. */
static bool read_blocks(gb_coverage *c)
{
	gsize len;
	const guint8 *p = g_bytes_get_data(c->data, &len);
	const guint8 *end = p + len;
	for (guint i = 0; i < c->n; i++) {
		guint32 n;
		if (!gb_le32_take(&p, end, &n) || (gsize)(end - p) / 8 < n)
			return false;
		c->ranges[i] = p;
		c->count[i] = n;
		p += (gsize)n * 8;
	}
	return p == end;
}

void gb_coverage_free(gb_coverage *c)
{
	if (!c)
		return;
	g_strfreev(c->families);
	if (c->data)
		g_bytes_unref(c->data);
	g_free(c->ranges);
	g_free(c->count);
	for (guint i = 0; c->bmp && i < c->n; i++)
		g_free(c->bmp[i]);
	g_free(c->bmp);
	g_free(c);
}

gb_coverage *gb_coverage_load(gb_fontset *fonts, const gb_style *style,
			      gb_diag *d)
{
	const char *body = gb_style_need(style, "fonts.body", d);
	const char *heading = gb_style_need(style, "fonts.heading", d);
	const char *mono = gb_style_need(style, "fonts.mono", d);
	if (!body || !heading || !mono)
		return NULL;
	char **fallbacks = gb_style_list(style, "fonts.fallbacks");
	guint n = GB_FACE_FALLBACK + g_strv_length(fallbacks);
	char **families = g_new0(char *, n + 1);
	families[GB_FACE_BODY] = g_strdup(body);
	families[GB_FACE_HEADING] = g_strdup(heading);
	families[GB_FACE_MONO] = g_strdup(mono);
	for (guint i = GB_FACE_FALLBACK; i < n; i++)
		families[i] = g_strdup(fallbacks[i - GB_FACE_FALLBACK]);
	g_strfreev(fallbacks);
	return gb_coverage_of(fonts, families, d);
}

gb_coverage *gb_coverage_of(gb_fontset *fonts, char **families, gb_diag *d)
{
	gb_coverage *c = g_new0(gb_coverage, 1);
	c->n = g_strv_length(families);
	c->families = families;
	c->ranges = g_new0(const guint8 *, c->n);
	c->count = g_new0(gsize, c->n);

	char *key = gb_cache_on() ? coverage_key(fonts, c->families) : NULL;
	char *path = key ? gb_cache_path("coverage", key) : NULL;
	c->data = gb_cache_get(path, 4);
	if (c->data && !read_blocks(c)) {
		g_bytes_unref(c->data);
		c->data = NULL;
	}
	if (!c->data) {
		c->data = gb_font_coverage(fonts, (const char *const *)c->families, d);
		if (c->data && !read_blocks(c)) {
			gb_error(d, gb_noloc(), "the fonts' characters cannot be read");
			g_bytes_unref(c->data);
			c->data = NULL;
		}
		if (c->data && path)
			gb_cache_put(path, g_bytes_get_data(c->data, NULL),
				     g_bytes_get_size(c->data));
	}
	g_free(path);
	g_free(key);
	if (!c->data) {
		gb_coverage_free(c);
		return NULL;
	}
	fill_bitmaps(c);
	return c;
}

/* ---- what the book needs ---- */

typedef struct needs {
	const gb_coverage *c;
	GPtrArray *sets;        /* per fallback: GHashTable *, or NULL */
} needs;

/* Records the characters of s that face lacks against the first fallback
   that has them. */
static void need_text(needs *nd, guint face, const char *s)
{
	for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (gb_coverage_invisible(u) || gb_coverage_has(nd->c, face, u))
			continue;
		for (guint f = GB_FACE_FALLBACK; f < nd->c->n; f++) {
			if (!gb_coverage_has(nd->c, f, u))
				continue;
			guint i = f - GB_FACE_FALLBACK;
			if (!nd->sets->pdata[i])
				nd->sets->pdata[i] = g_hash_table_new(NULL, NULL);
			g_hash_table_add(nd->sets->pdata[i], GUINT_TO_POINTER(u));
			break;
		}
	}
}

static bool needs_fn(const gb_node *n, bool entering, void *ctx)
{
	needs *nd = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_IMAGE && n->parent && n->parent->kind == GB_NODE_FIGURE)
		return false;
	/* a task list item's box (☐, ☑) is drawn in the text's face */
	if (n->kind == GB_NODE_ITEM)
		need_text(nd, GB_FACE_BODY, gb_task_mark(n));
	bool code = n->kind == GB_NODE_CODE || n->kind == GB_NODE_CODE_BLOCK;
	if (n->text && (code || n->kind == GB_NODE_TEXT || n->kind == GB_NODE_IMAGE))
		need_text(nd, code ? GB_FACE_MONO : GB_FACE_BODY, n->text);
	return true;
}

static void free_set(gpointer p)
{
	if (p)
		g_hash_table_destroy(p);
}

GPtrArray *gb_coverage_needs(const gb_coverage *c, const gb_book *book)
{
	needs nd = { c, g_ptr_array_new_with_free_func(free_set) };
	g_ptr_array_set_size(nd.sets, (gint)(c->n - GB_FACE_FALLBACK));
	const gb_meta *m = &book->meta;
	const char *meta[] = { m->title, m->subtitle, m->publisher, m->rights,
			       m->description, m->source, m->date };
	for (size_t i = 0; i < G_N_ELEMENTS(meta); i++)
		need_text(&nd, GB_FACE_BODY, meta[i]);
	for (guint i = 0; m->authors && i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		need_text(&nd, GB_FACE_BODY, a->name);
		need_text(&nd, GB_FACE_BODY, a->affiliation);
	}
	for (guint i = 0; m->subjects && i < m->subjects->len; i++)
		need_text(&nd, GB_FACE_BODY, g_ptr_array_index(m->subjects, i));
	gb_node_walk(book->root, needs_fn, &nd);
	return nd.sets;
}

char **gb_fallbacks_used(const gb_book *book, gb_fontset *fonts,
			 const gb_style *style, gb_diag *d)
{
	gb_coverage *c = gb_coverage_load(fonts, style, d);
	if (!c)
		return NULL;
	GPtrArray *sets = gb_coverage_needs(c, book);
	char **ret = gb_fallbacks_of(c, sets);
	g_ptr_array_unref(sets);
	gb_coverage_free(c);
	return ret;
}

char **gb_fallbacks_of(const gb_coverage *c, const GPtrArray *sets)
{
	GPtrArray *used = g_ptr_array_new();
	for (guint i = 0; i < sets->len; i++)
		if (sets->pdata[i])
			g_ptr_array_add(used, g_strdup(c->families[GB_FACE_FALLBACK + i]));
	g_ptr_array_add(used, NULL);
	return (char **)g_ptr_array_free(used, FALSE);
}

/* ---- characters no family draws ---- */

/* Byte column of the line after the one at byte at in f (f->len past the
   last line), as the typesetter places a code block's lines (set_code). */
static size_t next_line(const gb_file *f, size_t at, size_t column)
{
	const char *nl = memchr(f->data + at, '\n', f->len - at);
	return nl ? (size_t)(nl - f->data) + 1 + column : f->len;
}

/*
 * Where byte off of code block c's text is in its file: a fenced block's
 * first line is the one after its fence, each line at the fence's column.
 */
static gb_loc code_loc(const gb_node *c, size_t off)
{
	gb_loc loc = c->loc;
	const gb_file *f = loc.file;
	if (!f || loc.off == GB_NOPOS || loc.off >= f->len)
		return loc;
	size_t at = loc.off, bol = at;
	while (bol > 0 && f->data[bol - 1] != '\n')
		bol--;
	size_t column = at - bol;
	if (!strncmp(f->data + at, "```", 3) || !strncmp(f->data + at, "~~~", 3))
		at = next_line(f, at, column);
	size_t line_start = 0;
	for (size_t i = 0; i < off; i++) {
		if (c->text[i] == '\n') {
			at = next_line(f, at, column);
			line_start = i + 1;
		}
	}
	loc.off = MIN(at + (off - line_start), f->len);
	return loc;
}

typedef struct check {
	const gb_coverage *c;
	gb_diag *d;
	bool ok;
} check;

static bool check_fn(const gb_node *n, bool entering, void *ctx)
{
	check *ck = ctx;
	if (!entering)
		return true;
	/* a figure's image is a picture; its alt text is not set */
	if (n->kind == GB_NODE_IMAGE && n->parent && n->parent->kind == GB_NODE_FIGURE)
		return false;
	if ((n->kind != GB_NODE_TEXT && n->kind != GB_NODE_CODE &&
	     n->kind != GB_NODE_CODE_BLOCK && n->kind != GB_NODE_IMAGE) || !n->text)
		return n->kind != GB_NODE_IMAGE;
	for (const char *p = n->text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (gb_coverage_invisible(u) || drawn(ck->c, u))
			continue;
		gb_loc loc = n->loc;
		if (n->kind == GB_NODE_CODE_BLOCK)
			loc = code_loc(n, (size_t)(p - n->text));
		else if (loc.off != GB_NOPOS)
			loc.off += (size_t)(p - n->text);
		char utf8[8] = { 0 };
		g_unichar_to_utf8(u, utf8);
		gb_error(ck->d, loc,
			 "character U+%04X '%s' cannot be drawn: no font in fonts/ has it",
			 u, utf8);
		ck->ok = false;
	}
	return n->kind != GB_NODE_IMAGE;
}

bool gb_check_glyphs(const gb_book *book, gb_fontset *fonts,
		     const gb_style *style, gb_diag *d)
{
	gb_coverage *c = gb_coverage_load(fonts, style, d);
	if (!c)
		return false;
	check ck = { c, d, true };
	gb_node_walk(book->root, check_fn, &ck);
	gb_coverage_free(c);
	return ck.ok;
}
