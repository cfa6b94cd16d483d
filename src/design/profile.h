/*
 * profile.h - printer profiles (styles/profiles.yaml): trim, bleed,
 * margins, page count rules and what the PDF may carry, as data.
 *
 * Ownership: gb_profile_load() returns a profile (or NULL after reporting
 * why) that the caller frees with gb_profile_free().
 */
#ifndef GB_PROFILE_H
#define GB_PROFILE_H

#include <glib.h>
#include <stdbool.h>

#include "base/diag.h"
#include "design/style.h"

typedef struct gb_gutter {
	int max_pages;          /* this inside margin up to this page count */
	double inner;           /* points */
} gb_gutter;

/* The page counts a printer binds a binding in: min to max. */
typedef struct gb_page_range {
	char *binding;          /* paperback (perfect bound), booklet (saddle
				   stitched) */
	int min, max;
} gb_page_range;

/* Trims from min_w x min_h to max_w x max_h, points (one size: min =
   max). */
typedef struct gb_trim_range {
	double min_w, min_h, max_w, max_h;
} gb_trim_range;

/* When a printer's file bleeds (profiles.yaml: bleed). */
typedef enum gb_bleed_rule {
	GB_BLEED_ALWAYS,        /* always: the printer takes files with bleed only */
	GB_BLEED_BY_DEFAULT,    /* by-default: with bleed unless --no-bleed */
	GB_BLEED_WHEN_NEEDED,   /* when-needed: with --bleed or a picture meant
				   to bleed */
	GB_BLEED_NEVER,         /* never: the printer takes no bleed */
	GB_BLEED_UNTRIMMED,     /* untrimmed: nothing is cut (screen, office):
				   no bleed, a picture meant to bleed runs to
				   the page's edge */
} gb_bleed_rule;

typedef struct gb_profile {
	char *name;
	char *paper;            /* NULL: the style's */
	gb_bleed_rule bleed_rule;
	bool bleeds;            /* the file has bleed (gb_profile_choose_bleed);
				   false: bleed_* are 0 */
	double bleed_top, bleed_bottom, bleed_inside, bleed_outside;
				/* points: the bleed of a file with bleed;
				   after gb_profile_choose_bleed(), the file's */
	double min_margin;      /* points; 0: none */
	double safety;          /* every mark this far inside the trim, points:
				   the file's (after gb_profile_choose_bleed(),
				   safety_plain or safety_bleed) */
	double safety_plain;    /* the printer's, for a file without bleed */
	double safety_bleed;    /* the printer's, for a file with bleed */
	GArray *gutters;        /* gb_gutter, by page count; may be empty */
	GArray *trims;          /* gb_trim_range: the trims the printer
				   cuts, points; empty: any */
	GArray *pages;          /* gb_page_range, by binding; a binding not
				   listed has no limit */
	bool even_pages, links, outline, marks, gray;
	bool pdf_ua;            /* writes PDF/UA-1 */
	double mark_length, mark_offset, mark_weight;
	GBytes *icc;            /* the ICC profile of the PDF/X-4 output
				   intent (output-intent), or NULL: no PDF/X */
	int icc_components;     /* its colour's: 1, 3 or 4 */
	char *icc_name;         /* its file's name less the extension */
	GBytes *rgb_icc;        /* with a gray or CMYK intent, the RGB ICC
				   profile of RGB content (rgb-profile), else
				   NULL */
	double image_dpi;       /* a raster image printing below it is a
				   warning; 0: none (screen) */
} gb_profile;

/* The profile name of profiles (styles/profiles.yaml). */
gb_profile *gb_profile_load(const gb_style *profiles, const char *name,
			    gb_diag *d);
void gb_profile_free(gb_profile *p);

/*
 * Whether the file bleeds, from p's rule, what the user asked (ask: 1
 * --bleed, -1 --no-bleed, 0 neither) and picture, the place of the book's
 * first picture meant to bleed ({.bleed}; NULL: none): p->bleeds, and
 * p's bleed and safety margin set for it.  False after reporting, at the
 * picture's place when it is one, the rule that refuses what was asked.
 */
bool gb_profile_choose_bleed(gb_profile *p, int ask, const gb_loc *picture,
			     gb_diag *d);

/*
 * Whether p's printer cuts a trim of w x h points (to its hundredths of
 * an inch: KDP's A4 is 8.27 x 11.69 in): true for a profile with no
 * trims.  *cuts (may be NULL): what it cuts, as a message says it
 * ("trims from 4 x 6 in to 8.5 x 11.69 in", "the trims 6 x 9 in, ..."),
 * the caller frees it.
 */
bool gb_profile_cuts(const gb_profile *p, double w, double h, char **cuts);

/* The inside margin the profile asks for pages pages, or 0 for none. */
double gb_profile_gutter(const gb_profile *p, int pages);

/*
 * The page counts p binds binding (paperback, booklet) in: true and *min,
 * *max when it names them, false for no limit.
 */
bool gb_profile_pages(const gb_profile *p, const char *binding, int *min, int *max);

/*
 * The trim size named by name, in points: a5, b5, a4, letter, 6x9in,
 * 5.5x8.5in, or WxH with a unit (210x297mm, 6x9in).  False if unknown.
 */
bool gb_paper_size(const char *name, double *width, double *height);

#endif
