/*
 * fontconfig.c - the font set's private FcConfig (fonts.h), in the render
 * module: only what draws text needs fontconfig.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "design/fonts.h"
#include "base/cache.h"

/*
 * A directory for fontconfig's cache of set that this user can write:
 * under the user's cache directory, else under the temporary directory,
 * named by the set's directory and its fonts' SHA-256 (which the set
 * checked), so that fontconfig never reads what it found in other fonts.
 * Returns NULL when neither works.  The caller frees the result.
 */
static char *cache_dir(const gb_fontset *set)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)set->dir, -1);
	for (guint i = 0; i < set->fonts->len; i++) {
		const gb_font *f = set->fonts->pdata[i];
		g_checksum_update(sum, (const guchar *)"\n", 1);
		g_checksum_update(sum, (const guchar *)f->path, -1);
		g_checksum_update(sum, (const guchar *)" ", 1);
		g_checksum_update(sum, (const guchar *)(f->sha256 ? f->sha256 : "-"), -1);
	}
	char *name = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	char *dir = g_build_filename(g_get_user_cache_dir(), "gsi-book",
				     "fontconfig", name, NULL);
	if (g_mkdir_with_parents(dir, 0700) == 0 && g_access(dir, W_OK) == 0)
		goto out;
	g_free(dir);
	char *mine = g_strconcat("gsi-book-", g_get_user_name(), NULL);
	dir = g_build_filename(g_get_tmp_dir(), mine, "fontconfig", name, NULL);
	g_free(mine);
	if (g_mkdir_with_parents(dir, 0700) == 0 && g_access(dir, W_OK) == 0)
		goto out;
	g_free(dir);
	dir = NULL;
out:
	g_free(name);
	return dir;
}

/* A configuration with only a cache directory (none when cache is NULL). */
static FcConfig *new_config(const char *cache)
{
	FcConfig *fc = FcConfigCreate();
	if (!fc || !cache)
		return fc;
	/* no <include>, so no system configuration, no <dir>, so no system
	   fonts */
	char *conf = g_markup_printf_escaped(
		"<?xml version=\"1.0\"?>\n"
		"<fontconfig><cachedir>%s</cachedir></fontconfig>\n", cache);
	bool ok = FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)conf, FcTrue);
	g_free(conf);
	if (!ok) {
		FcConfigDestroy(fc);
		return NULL;
	}
	return fc;
}

/*
 * Whether the application fonts of fc are the faces of the files of set:
 * every face's file is one of the set's, and every file of the set gave a
 * face (a collection, .ttc, gives several: Noto Serif CJK's JP, KR, SC, TC
 * and HK).
 */
static bool just_the_set(FcConfig *fc, const gb_fontset *set)
{
	FcFontSet *fs = FcConfigGetFonts(fc, FcSetApplication);
	if (!fs || fs->nfont < (int)set->fonts->len)
		return false;
	GHashTable *files = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < set->fonts->len; i++)
		g_hash_table_insert(files, ((const gb_font *)set->fonts->pdata[i])->path,
				    GINT_TO_POINTER(0));
	bool ok = true;
	for (int i = 0; ok && i < fs->nfont; i++) {
		FcChar8 *file;
		ok = FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) == FcResultMatch &&
		     g_hash_table_contains(files, file);
		if (ok)
			g_hash_table_insert(files, file, GINT_TO_POINTER(1));
	}
	GHashTableIter it;
	gpointer seen;
	g_hash_table_iter_init(&it, files);
	while (ok && g_hash_table_iter_next(&it, NULL, &seen))
		ok = GPOINTER_TO_INT(seen);
	g_hash_table_destroy(files);
	return ok;
}

/*
 * The set's FcConfig, created on the first call: only the set's files, a
 * cache directory of its own (none when no directory is writable: adding
 * files one by one never writes a cache anyway).  Returns NULL after
 * reporting why; the set owns it.
 */
FcConfig *gb_fontset_fc(gb_fontset *set, gb_diag *d)
{
	if (set->fc)
		return set->fc;
	FcConfig *ret = NULL;
	char *cache = cache_dir(set);
	/*
	 * The set's directory, whose fonts fontconfig keeps in its cache
	 * (scanning the eight fonts took 10 million instructions a build),
	 * when it holds just the set's files and caches are on; else the
	 * files one by one, which fontconfig never caches.
	 */
	FcConfig *fc = gb_cache_on() ? new_config(cache) : NULL;
	if (fc && FcConfigAppFontAddDir(fc, (const FcChar8 *)set->dir) &&
	    just_the_set(fc, set))
		goto current;
	if (fc)
		FcConfigDestroy(fc);
	fc = new_config(cache);
	if (!fc) {
		gb_error(d, gb_noloc(), "cannot create a fontconfig "
			 "configuration with its cache in '%s'", cache ? cache : "(none)");
		goto out;
	}
	for (guint i = 0; i < set->fonts->len; i++) {
		const gb_font *f = set->fonts->pdata[i];
		if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)f->path)) {
			gb_error(d, gb_noloc(), "fontconfig cannot read font '%s'",
				 f->path);
			goto out;
		}
	}
	FcFontSet *fs = FcConfigGetFonts(fc, FcSetApplication);
	int n = fs ? fs->nfont : 0;
	if (n < (int)set->fonts->len) {
		gb_error(d, gb_noloc(), "fontconfig found %d of the %u fonts in "
			 "'%s'", n, set->fonts->len, set->dir);
		goto out;
	}
current:
	/*
	 * Pango's font maps run FcInit() in a thread and wait for it, which
	 * loads the system's configuration, fonts and caches (slow, and it
	 * may warn on stderr) unless a configuration is already current: make
	 * it this one, so that nothing in the process sees the system fonts.
	 */
	if (!FcConfigSetCurrent(fc)) {
		gb_error(d, gb_noloc(), "cannot make fontconfig use only the "
			 "fonts of '%s'", set->dir);
		goto out;
	}
	set->fc = fc;
	set->fc_destroy = (void (*)(FcConfig *))FcConfigDestroy;
	fc = NULL;
	ret = set->fc;
out:
	if (fc)
		FcConfigDestroy(fc);
	g_free(cache);
	return ret;
}
