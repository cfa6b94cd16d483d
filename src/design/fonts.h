/*
 * fonts.h - the book's font set: fonts/MANIFEST and the files beside it,
 * and a private fontconfig configuration holding only them, so that no
 * system font ever leaks into an edition.
 *
 * Ownership: gb_fontset_load() returns a set (or NULL after reporting why)
 * that the caller frees with gb_fontset_free(), which also releases its
 * FcConfig and the manifest's text.  Strings and fonts returned belong to
 * the set.
 *
 * What is checked when: gb_fontset_load() reads the manifest and finds
 * every file and licence it names; gb_fontset_verify() reads the files a
 * build draws with (fontreach.h: the families the book reaches) and
 * compares their SHA-256 with the manifest's, before anything is written.
 */
#ifndef GB_FONTS_H
#define GB_FONTS_H

#include <fontconfig/fontconfig.h>
#include <glib.h>

#include "base/diag.h"
#include "design/style.h"

typedef struct gb_font {
	char *family;    /* "Linux Libertine O" */
	char *style;     /* "Regular", "Italic", "Bold", "Bold Italic", "Mono" */
	char *file;      /* "LinLibertine_R.otf" */
	char *path;      /* the file in the fonts directory */
	char *package;   /* Debian package */
	char *sha256;
	char *licence;   /* SPDX expression */
	int weight;      /* CSS weight: 400, 700 */
	bool italic;
	gb_loc loc;      /* its line in the manifest (the set's manifest) */
} gb_font;

typedef struct gb_fontset {
	char *dir;           /* the fonts directory */
	GPtrArray *fonts;    /* gb_font *, in MANIFEST order */
	GPtrArray *licences; /* char *: paths of the licence files in dir */
	FcConfig *fc;        /* only these fonts; NULL until gb_fontset_fc() */
	void (*fc_destroy)(FcConfig *);  /* how gb_fontset_free() frees fc */
	gb_file *manifest;   /* dir/MANIFEST, where the fonts' locs point */
} gb_fontset;

/*
 * Reads dir/MANIFEST, checks that every file it names is there, and finds
 * the licence files (dir/PACKAGE.copyright).  Reports problems at the
 * manifest's line.  It reads no font: gb_fontset_verify() checks the sums.
 */
gb_fontset *gb_fontset_load(const char *dir, gb_diag *d);
void gb_fontset_free(gb_fontset *set);

/*
 * Checks that every font of the families (NULL-ended; NULL: every font of
 * the set) has the manifest's SHA-256: "font '...' does not match its
 * sha256 in the manifest", at the font's line, for each that does not.
 * A file whose sum was found before, unchanged since, is not read again
 * (a marker in the user's cache; not with GSI_BOOK_NO_CACHE); the others
 * are read on up to as many threads as there are cores.  Returns false
 * after reporting (printed at once).
 */
bool gb_fontset_verify(gb_fontset *set, char *const *families, gb_diag *d);

/* The font of family with weight (400, 700) and slant, or NULL. */
const gb_font *gb_fontset_find(const gb_fontset *set, const char *family,
			       int weight, bool italic);

/*
 * Reports, at its place in the style file, each family of style's
 * fonts.body, .heading, .mono and each of .fallbacks that no font of the
 * set has.  False if there is one.
 */
bool gb_fontset_check_style(const gb_fontset *set, const gb_style *style,
			    gb_diag *d);

/*
 * The set's private FcConfig (created on first use: only the set's files,
 * a cache directory of its own), or NULL after reporting why.  Defined
 * in fontconfig.c.
 */
FcConfig *gb_fontset_fc(gb_fontset *set, gb_diag *d);

#endif
