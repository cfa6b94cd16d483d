/*
 * fontconfig.c - the font set's private FcConfig (fonts.h), in the render
 * module: only what draws text needs fontconfig.
 */
#include <glib/gstdio.h>
#include <unistd.h>

#include "fonts.h"

/*
 * A directory for fontconfig's cache that this user can write: under the
 * user's cache directory, else under the temporary directory.  Returns NULL
 * when neither works.  The caller frees the result.
 */
static char *cache_dir(void)
{
	char *dir = g_build_filename(g_get_user_cache_dir(), "gsi-book",
				     "fontconfig", NULL);
	if (g_mkdir_with_parents(dir, 0700) == 0 && g_access(dir, W_OK) == 0)
		return dir;
	g_free(dir);
	char *mine = g_strconcat("gsi-book-", g_get_user_name(), NULL);
	dir = g_build_filename(g_get_tmp_dir(), mine, "fontconfig", NULL);
	g_free(mine);
	if (g_mkdir_with_parents(dir, 0700) == 0 && g_access(dir, W_OK) == 0)
		return dir;
	g_free(dir);
	return NULL;
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
	char *conf = NULL;
	char *cache = cache_dir();
	FcConfig *fc = FcConfigCreate();
	if (!fc) {
		gb_error(d, gb_noloc(), "cannot create a fontconfig "
			 "configuration: out of memory");
		goto out;
	}
	/*
	 * Only a cache directory: no <include>, so no system configuration,
	 * no <dir>, so no system fonts.  The fonts are added file by file.
	 */
	if (cache) {
		conf = g_markup_printf_escaped(
			"<?xml version=\"1.0\"?>\n"
			"<fontconfig><cachedir>%s</cachedir></fontconfig>\n",
			cache);
		if (!FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)conf,
						    FcTrue)) {
			gb_error(d, gb_noloc(), "cannot set fontconfig's cache "
				 "directory to '%s'", cache);
			goto out;
		}
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
	g_free(conf);
	g_free(cache);
	return ret;
}
