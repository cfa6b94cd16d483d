/*
 * fonts.h - the book's font set: fonts/MANIFEST and the files beside it,
 * and a private fontconfig configuration holding only them, so that no
 * system font ever leaks into an edition.
 *
 * Ownership: gb_fontset_load() returns a set (or NULL after reporting why)
 * that the caller frees with gb_fontset_free(), which also releases its
 * FcConfig.  Strings and fonts returned belong to the set.
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
} gb_font;

typedef struct gb_fontset {
	char *dir;           /* the fonts directory */
	GPtrArray *fonts;    /* gb_font *, in MANIFEST order */
	GPtrArray *licences; /* char *: paths of the licence files in dir */
	FcConfig *fc;        /* only these fonts; NULL until gb_fontset_fc() */
	void (*fc_destroy)(FcConfig *);  /* how gb_fontset_free() frees fc */
} gb_fontset;

/*
 * Reads dir/MANIFEST, checks that every file is there with its SHA-256, and
 * finds the licence files (dir/PACKAGE.copyright).  Reports problems at the
 * manifest's line.
 */
gb_fontset *gb_fontset_load(const char *dir, gb_diag *d);
void gb_fontset_free(gb_fontset *set);

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
