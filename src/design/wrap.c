/* wrap.c - the full-wrap cover's geometry, from styles/profiles.yaml. */
#include "design/wrap.h"

#include <glib.h>
#include <math.h>
#include <string.h>

static double length(const gb_style *s, const char *block, const char *key,
		     gb_diag *d, bool *ok)
{
	char *full = g_strconcat(block, ".", key, NULL);
	double x = gb_style_length(s, full, 0, d);
	if (!isnan(x) && x < 0) {
		gb_error(d, gb_style_loc(s, full, -1), "'%s' must not be negative",
			 full);
		x = NAN;
	}
	g_free(full);
	if (isnan(x))
		*ok = false;
	return x;
}

/* "2x1.2in": two lengths sharing the unit at the end; false if not. */
static bool area(const char *text, double *w, double *h)
{
	const char *x = strchr(text, 'x');
	const char *unit = text + strlen(text);
	while (unit > text && g_ascii_isalpha(unit[-1]))
		unit--;
	if (!x || unit <= x + 1)
		return false;
	char *a = g_strdup_printf("%.*s%s", (int)(x - text), text, unit);
	char *b = g_strdup(x + 1);
	*w = gb_parse_length(a, 0);
	*h = gb_parse_length(b, 0);
	g_free(a);
	g_free(b);
	return *w > 0 && *h > 0;
}

bool gb_wrap_size(const gb_style *s, const char *printer, const char *paper,
		  int pages, double trim_w, double trim_h, gb_wrap *w,
		  gb_diag *d)
{
	char *block = g_strconcat("cover-", printer, NULL);
	char *probe = g_strconcat(block, ".bleed", NULL);
	bool known = gb_style_get(s, probe) != NULL;
	g_free(probe);
	bool ok = true;
	memset(w, 0, sizeof *w);
	if (!known) {
		gb_error(d, gb_noloc(), "profile '%s' has no paperback cover "
			 "(styles/profiles.yaml has no '%s' block): use --profile "
			 "kdp, ingram or lulu", printer, block);
		ok = false;
		goto out;
	}
	if (strcmp(paper, "white") && strcmp(paper, "cream") &&
	    strcmp(paper, "color")) {
		gb_error(d, gb_noloc(), "unknown paper '%s' for the cover "
			 "(white, cream or color)", paper);
		ok = false;
		goto out;
	}
	double per_page = length(s, block, paper, d, &ok);
	double add = length(s, block, "spine-add", d, &ok);
	w->bleed = length(s, block, "bleed", d, &ok);
	w->spine_margin = length(s, block, "spine-margin", d, &ok);
	w->safety = length(s, block, "safety", d, &ok);
	char *key = g_strconcat(block, ".spine-text-pages", NULL);
	double min_pages = gb_style_number(s, key, d);
	g_free(key);
	key = g_strconcat(block, ".barcode", NULL);
	const char *barcode = gb_style_need(s, key, d);
	double bw = 0, bh = 0;
	if (barcode && !area(barcode, &bw, &bh)) {
		gb_error(d, gb_style_loc(s, key, -1), "'%s' must be WxH with a "
			 "unit (2x1.2in), not '%s'", key, barcode);
		ok = false;
	}
	g_free(key);
	key = g_strconcat(block, ".isbn-barcode", NULL);
	const char *want = gb_style_need(s, key, d);
	if (want && strcmp(want, "yes") && strcmp(want, "no")) {
		gb_error(d, gb_style_loc(s, key, -1), "'%s' must be yes or no, "
			 "not '%s'", key, want);
		ok = false;
	}
	g_free(key);
	if (isnan(min_pages) || !barcode || !want)
		ok = false;
	if (!ok)
		goto out;
	w->pages = pages;
	w->trim_w = trim_w;
	w->trim_h = trim_h;
	w->spine = pages * per_page + add;
	w->spine_text = pages >= min_pages;
	w->barcode_w = bw;
	w->barcode_h = bh;
	w->isbn_barcode = !strcmp(want, "yes");
	w->back_x = w->bleed;
	w->spine_x = w->back_x + trim_w;
	w->front_x = w->spine_x + w->spine;
	w->trim_y = w->bleed;
	w->width = w->front_x + trim_w + w->bleed;
	w->height = trim_h + 2 * w->bleed;
out:
	g_free(block);
	return ok;
}
