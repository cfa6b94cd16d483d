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
 * The set's FcConfig, created on the first call: only the set's files,
 * added one by one, with no configuration read (no <include>, so no
 * system configuration; no <dir>, so no system fonts) and no cache of
 * their descriptions (fontconfig's cache of the fonts' directory, kept
 * under ~/.cache/gsi-book/fontconfig/ until issue 20, saved no measurable
 * time: 84 ms of CPU for book/'s PDF with it and without it, 739 and 750
 * ms for the 300-page bench book).  Returns NULL after reporting why; the
 * set owns it.
 */
FcConfig *gb_fontset_fc(gb_fontset *set, gb_diag *d)
{
	if (set->fc)
		return set->fc;
	FcConfig *ret = NULL;
	FcConfig *fc = FcConfigCreate();
	if (!fc) {
		gb_error(d, gb_noloc(), "cannot create a fontconfig configuration");
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
	return ret;
}
