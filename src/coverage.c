/* coverage.c - characters no font in fonts/ has. */
#include "coverage.h"
#include "load.h"
#include "render.h"

#include <glib.h>
#include <string.h>

typedef struct cover {
	const guint8 *ranges;   /* (first, last) pairs, little-endian */
	gsize n;                /* pairs */
	gb_diag *d;
	bool ok;
} cover;

/* Whether some font of the set has u: a binary search of the ranges. */
static bool drawn(const cover *c, gunichar u)
{
	gsize lo = 0, hi = c->n;
	while (lo < hi) {
		gsize mid = lo + (hi - lo) / 2;
		guint32 first = gb_le32_read(c->ranges + mid * 8);
		guint32 last = gb_le32_read(c->ranges + mid * 8 + 4);
		if (u < first)
			hi = mid;
		else if (u > last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static bool check_fn(const gb_node *n, bool entering, void *ctx)
{
	cover *c = ctx;
	if (!entering)
		return true;
	/* a figure's image is a picture; its alt text is not set */
	if (n->kind == GB_NODE_IMAGE && n->parent && n->parent->kind == GB_NODE_FIGURE)
		return false;
	if ((n->kind != GB_NODE_TEXT && n->kind != GB_NODE_CODE && n->kind != GB_NODE_IMAGE) ||
	    !n->text)
		return n->kind != GB_NODE_IMAGE;
	for (const char *p = n->text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		GUnicodeType type = g_unichar_type(u);
		/* what Pango shows as no glyph at all: spaces, breaks,
		   controls and format characters */
		if (u == 0x2028 || g_unichar_isspace(u) || type == G_UNICODE_CONTROL ||
		    type == G_UNICODE_FORMAT || drawn(c, u))
			continue;
		gb_loc loc = n->loc;
		if (loc.off != GB_NOPOS)
			loc.off += (size_t)(p - n->text);
		char utf8[8] = { 0 };
		g_unichar_to_utf8(u, utf8);
		gb_error(c->d, loc,
			 "character U+%04X '%s' cannot be drawn: no font in fonts/ has it",
			 u, utf8);
		c->ok = false;
	}
	return n->kind != GB_NODE_IMAGE;
}

/* The cache key of the set's characters: the program's version, the fonts' sums. */
static char *coverage_key(const gb_fontset *fonts)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)"coverage 1 " GB_VERSION, -1);
	for (guint i = 0; i < fonts->fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(fonts->fonts, i);
		g_checksum_update(sum, (const guchar *)"\x1f", 1);
		g_checksum_update(sum, (const guchar *)(f->sha256 ? f->sha256 : f->path), -1);
	}
	char *key = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return key;
}

bool gb_check_glyphs(const gb_book *book, gb_fontset *fonts, gb_diag *d)
{
	char *key = gb_cache_on() ? coverage_key(fonts) : NULL;
	char *path = key ? gb_cache_path("coverage", key) : NULL;
	GBytes *ranges = gb_cache_get(path, 8);
	if (ranges && g_bytes_get_size(ranges) % 8) {
		g_bytes_unref(ranges);
		ranges = NULL;
	}
	if (!ranges) {
		const gb_render_api *api = gb_render_load(d);
		ranges = api ? api->gb_font_coverage(fonts, d) : NULL;
		if (ranges && path)
			gb_cache_put(path, g_bytes_get_data(ranges, NULL), g_bytes_get_size(ranges));
	}
	g_free(path);
	g_free(key);
	if (!ranges)
		return false;
	gsize len;
	cover c = { g_bytes_get_data(ranges, &len), 0, d, true };
	c.n = len / 8;
	gb_node_walk(book->root, check_fn, &c);
	g_bytes_unref(ranges);
	return c.ok;
}
