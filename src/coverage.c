/* coverage.c - characters no font in fonts/ has. */
#include "coverage.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>

typedef struct cover {
	FcFontSet *fs;
	gb_diag *d;
	bool ok;
	GHashTable *known;  /* code point -> 1 (drawn) or 2 (not) */
} cover;

/* Whether some font of the set has u. */
static bool drawn(cover *c, gunichar u)
{
	gpointer v = g_hash_table_lookup(c->known, GUINT_TO_POINTER(u));
	if (v)
		return GPOINTER_TO_UINT(v) == 1;
	bool has = false;
	for (int i = 0; c->fs && i < c->fs->nfont && !has; i++) {
		FcCharSet *cs;
		if (FcPatternGetCharSet(c->fs->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch)
			has = FcCharSetHasChar(cs, u);
	}
	g_hash_table_insert(c->known, GUINT_TO_POINTER(u), GUINT_TO_POINTER(has ? 1 : 2));
	return has;
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

bool gb_check_glyphs(const gb_book *book, gb_fontset *fonts, gb_diag *d)
{
	FcConfig *fc = gb_fontset_fc(fonts, d);
	if (!fc)
		return false;
	cover c = { FcConfigGetFonts(fc, FcSetApplication), d, true,
		    g_hash_table_new(g_direct_hash, g_direct_equal) };
	gb_node_walk(book->root, check_fn, &c);
	g_hash_table_destroy(c.known);
	return c.ok;
}
