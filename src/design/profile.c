/* profile.c - printer profiles, read from styles/profiles.yaml. */
#include "design/profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *value(const gb_style *s, const char *name, const char *key,
			 gb_diag *d)
{
	char *full = g_strconcat(name, ".", key, NULL);
	const char *v = gb_style_need(s, full, d);
	g_free(full);
	return v;
}

static double length(const gb_style *s, const char *name, const char *key,
		     gb_diag *d, bool *ok)
{
	char *full = g_strconcat(name, ".", key, NULL);
	double x = gb_style_length(s, full, 0, d);
	g_free(full);
	if (isnan(x))
		*ok = false;
	return x;
}

static bool yes(const gb_style *s, const char *name, const char *key,
		gb_diag *d, bool *ok)
{
	const char *v = value(s, name, key, d);
	if (!v) {
		*ok = false;
		return false;
	}
	if (strcmp(v, "yes") && strcmp(v, "no")) {
		gb_error(d, gb_noloc(), "profile '%s': '%s' must be yes or no, not '%s'",
			 name, key, v);
		*ok = false;
	}
	return !strcmp(v, "yes");
}

/*
 * Reads the ICC profile file named by profile name's key (output-intent,
 * rgb-profile): its bytes (*icc), its colour components (*components,
 * from its header: the size, the colour space at byte 16, 'acsp' at 36)
 * and the class of device it describes (*class, 4 bytes at 12: prtr,
 * mntr...).  False after reporting, at the key, why it cannot be used.
 */
static bool load_icc(const gb_style *s, const char *name, const char *what,
		     const char *file, GBytes **icc, int *components,
		     char class[5], gb_diag *d)
{
	char *key = g_strconcat(name, ".", what, NULL);
	gb_loc at = gb_style_loc(s, key, -1);
	g_free(key);
	gchar *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(file, &data, &len, &err)) {
		gb_error(d, at, "cannot read the %s's ICC profile "
			 "(Debian's libgs-common has /usr/share/color/icc/"
			 "ghostscript/default_cmyk.icc, icc-profiles-free "
			 "/usr/share/color/icc/sRGB.icc): %s",
			 !strcmp(what, "output-intent") ? "output intent" : what,
			 err->message);
		g_error_free(err);
		return false;
	}
	const guint8 *h = (const guint8 *)data;
	int n = 0;
	if (len >= 128 && !memcmp(h + 36, "acsp", 4) &&
	    ((guint32)h[0] << 24 | (guint32)h[1] << 16 | (guint32)h[2] << 8 | h[3]) == len)
		n = !memcmp(h + 16, "GRAY", 4) ? 1 : !memcmp(h + 16, "RGB ", 4) ? 3
			: !memcmp(h + 16, "CMYK", 4) ? 4 : 0;
	if (!n) {
		gb_error(d, at, "'%s' is not an ICC profile of gray, RGB or CMYK "
			 "colour", file);
		g_free(data);
		return false;
	}
	memcpy(class, h + 12, 4);
	class[4] = 0;
	*icc = g_bytes_new_take(data, len);
	*components = n;
	return true;
}

/*
 * The ICC profiles of profile name's PDF/X into p: its output intent's
 * (file, an output device's, class prtr, as PDF/X-4 wants), and, when
 * that is not RGB, rgb-profile's (an RGB one: the colour space of RGB
 * pictures and colours, DefaultRGB).  False after reporting why.
 */
static bool load_pdfx(const gb_style *s, const char *name, const char *file,
		      gb_profile *p, gb_diag *d)
{
	char class[5];
	if (!load_icc(s, name, "output-intent", file, &p->icc,
		      &p->icc_components, class, d))
		return false;
	char *key = g_strconcat(name, ".output-intent", NULL);
	gb_loc at = gb_style_loc(s, key, -1);
	g_free(key);
	if (strcmp(class, "prtr")) {
		gb_error(d, at, "'%s' is an ICC profile of class '%s', and PDF/X "
			 "wants an output device's (prtr) for its output intent",
			 file, class);
		return false;
	}
	p->icc_name = g_path_get_basename(file);
	char *dot = strrchr(p->icc_name, '.');
	if (dot && dot != p->icc_name)
		*dot = '\0';
	if (p->icc_components == 3)
		return true;
	key = g_strconcat(name, ".rgb-profile", NULL);
	const char *rgb = gb_style_get(s, key);
	g_free(key);
	int n = 0;
	if (!rgb || !*rgb) {
		gb_error(d, at, "profile '%s': an output intent in %s needs an "
			 "'rgb-profile', the ICC profile RGB pictures are in "
			 "(/usr/share/color/icc/sRGB.icc)", name,
			 p->icc_components == 4 ? "CMYK" : "gray");
		return false;
	}
	if (!load_icc(s, name, "rgb-profile", rgb, &p->rgb_icc, &n, class, d))
		return false;
	if (n != 3) {
		key = g_strconcat(name, ".rgb-profile", NULL);
		gb_error(d, gb_style_loc(s, key, -1), "'%s' is not an ICC profile "
			 "of RGB colour", rgb);
		g_free(key);
		return false;
	}
	return true;
}

static const char *const bleed_rules[] = {
	[GB_BLEED_ALWAYS] = "always", [GB_BLEED_BY_DEFAULT] = "by-default",
	[GB_BLEED_WHEN_NEEDED] = "when-needed", [GB_BLEED_NEVER] = "never",
	[GB_BLEED_UNTRIMMED] = "untrimmed",
};

/* Profile name's bleed rule into *rule; false after reporting, at its
   place, a value that is none. */
static bool bleed_rule(const gb_style *s, const char *name, gb_bleed_rule *rule,
		       gb_diag *d)
{
	const char *v = value(s, name, "bleed", d);
	if (!v)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(bleed_rules); i++) {
		if (!strcmp(v, bleed_rules[i])) {
			*rule = (gb_bleed_rule)i;
			return true;
		}
	}
	char *key = g_strconcat(name, ".bleed", NULL);
	gb_error(d, gb_style_loc(s, key, -1), "profile '%s': 'bleed' must be always, "
		 "by-default, when-needed, never or untrimmed, not '%s'", name, v);
	g_free(key);
	return false;
}

bool gb_profile_choose_bleed(gb_profile *p, int ask, const gb_loc *picture,
			     gb_diag *d)
{
	const char *rule = bleed_rules[p->bleed_rule];
	bool ok = true;
	if (ask < 0 && p->bleed_rule == GB_BLEED_ALWAYS) {
		gb_error(d, gb_noloc(), "%s takes interiors with bleed only "
			 "(styles/profiles.yaml: %s.bleed: %s): leave out --no-bleed",
			 p->name, p->name, rule);
		ok = false;
	} else if (ask < 0 && picture && p->bleed_rule <= GB_BLEED_WHEN_NEEDED) {
		gb_error(d, *picture, "the picture is meant to bleed ({.bleed}) and "
			 "needs pages with bleed, and --no-bleed asks for %s's "
			 "without: leave out one or the other", p->name);
		ok = false;
	}
	if (p->bleed_rule >= GB_BLEED_NEVER && ask > 0) {
		gb_error(d, gb_noloc(), p->bleed_rule == GB_BLEED_NEVER ?
			 "%s takes no bleed (styles/profiles.yaml: %s.bleed: %s): "
			 "leave out --bleed" : "%s's pages are not trimmed, and have "
			 "no bleed (styles/profiles.yaml: %s.bleed: %s): leave out "
			 "--bleed", p->name, p->name, rule);
		ok = false;
	}
	if (p->bleed_rule == GB_BLEED_NEVER && picture) {
		gb_error(d, *picture, "the picture is meant to bleed ({.bleed}), and "
			 "%s takes no bleed (styles/profiles.yaml: %s.bleed: %s): "
			 "leave out {.bleed}", p->name, p->name, rule);
		ok = false;
	}
	switch (p->bleed_rule) {
	case GB_BLEED_ALWAYS: p->bleeds = true; break;
	case GB_BLEED_BY_DEFAULT: p->bleeds = ask >= 0; break;
	case GB_BLEED_WHEN_NEEDED: p->bleeds = ask > 0 || picture; break;
	default: p->bleeds = false; break;
	}
	if (!p->bleeds)
		p->bleed_top = p->bleed_bottom = p->bleed_inside = p->bleed_outside = 0;
	p->safety = p->bleeds ? p->safety_bleed : p->safety_plain;
	return ok;
}

gb_profile *gb_profile_load(const gb_style *s, const char *name, gb_diag *d)
{
	char *probe = g_strconcat(name, ".links", NULL);
	bool known = gb_style_get(s, probe) != NULL;
	g_free(probe);
	if (!known || !strcmp(name, "marks")) {
		gb_error(d, gb_noloc(),
			 "unknown profile '%s' (screen, kdp, ingram, lulu or office)", name);
		return NULL;
	}
	bool ok = true;
	gb_profile *p = g_new0(gb_profile, 1);
	p->name = g_strdup(name);
	const char *paper = value(s, name, "paper", d);
	p->paper = paper && *paper ? g_strdup(paper) : NULL;
	if (!bleed_rule(s, name, &p->bleed_rule, d))
		ok = false;
	p->bleed_top = length(s, name, "bleed-top", d, &ok);
	p->bleed_bottom = length(s, name, "bleed-bottom", d, &ok);
	p->bleed_inside = length(s, name, "bleed-inside", d, &ok);
	p->bleed_outside = length(s, name, "bleed-outside", d, &ok);
	p->min_margin = length(s, name, "min-margin", d, &ok);
	p->safety_plain = length(s, name, "safety", d, &ok);
	p->safety_bleed = length(s, name, "safety-bleed", d, &ok);
	/* until gb_profile_choose_bleed(): as the rule's default */
	p->bleeds = p->bleed_rule <= GB_BLEED_BY_DEFAULT;
	p->safety = p->bleeds ? p->safety_bleed : p->safety_plain;
	p->even_pages = yes(s, name, "even-pages", d, &ok);
	p->links = yes(s, name, "links", d, &ok);
	p->outline = yes(s, name, "outline", d, &ok);
	p->marks = yes(s, name, "marks", d, &ok);
	p->gray = yes(s, name, "gray", d, &ok);
	const char *oi = value(s, name, "output-intent", d);
	if (!oi)
		ok = false;
	else if (*oi && !load_pdfx(s, name, oi, p, d))
		ok = false;
	if (p->icc && (p->links || p->outline)) {
		gb_error(d, gb_noloc(), "profile '%s': a PDF/X file (its 'output-intent') "
			 "has no annotations or bookmarks: set 'links' and 'outline' to no",
			 name);
		ok = false;
	}
	p->pdf_ua = yes(s, name, "pdf-ua", d, &ok);
	const char *dpi = value(s, name, "image-dpi", d);
	char *end = NULL;
	p->image_dpi = dpi ? g_ascii_strtod(dpi, &end) : NAN;
	if (!dpi || end == dpi || *end || !(p->image_dpi >= 0 && p->image_dpi <= 10000)) {
		if (dpi)
			gb_error(d, gb_noloc(), "profile '%s': 'image-dpi' must be a number "
				 "from 0 to 10000, not '%s'", name, dpi);
		ok = false;
	}
	p->mark_length = length(s, "marks", "length", d, &ok);
	p->mark_offset = length(s, "marks", "offset", d, &ok);
	p->mark_weight = length(s, "marks", "weight", d, &ok);
	p->gutters = g_array_new(FALSE, FALSE, sizeof(gb_gutter));
	const char *g = value(s, name, "gutters", d);
	gchar **rows = g_strsplit(g ? g : "", " ", -1);
	for (gchar **r = rows; *r; r++) {
		if (!**r)
			continue;
		char *colon = strchr(*r, ':');
		gb_gutter gt = { colon ? atoi(*r) : 0,
				 colon ? gb_parse_length(colon + 1, 0) : NAN };
		if (gt.max_pages <= 0 || isnan(gt.inner)) {
			gb_error(d, gb_noloc(), "profile '%s': bad gutter '%s' (PAGES:MARGIN)",
				 name, *r);
			ok = false;
			continue;
		}
		g_array_append_val(p->gutters, gt);
	}
	g_strfreev(rows);
	/* trims: "WxHin-WxHin" (the smallest and the largest) or "WxHin"
	   (that size), as many as the printer has, by spaces */
	p->trims = g_array_new(FALSE, FALSE, sizeof(gb_trim_range));
	const char *tr = value(s, name, "trims", d);
	rows = g_strsplit(tr ? tr : "", " ", -1);
	for (gchar **r = rows; *r; r++) {
		if (!**r)
			continue;
		gchar **ends = g_strsplit(*r, "-", 3);
		guint n = g_strv_length(ends);
		gb_trim_range t = { 0 };
		if (n < 1 || n > 2 ||
		    !gb_paper_size(ends[0], &t.min_w, &t.min_h) ||
		    !gb_paper_size(ends[n - 1], &t.max_w, &t.max_h) ||
		    t.max_w < t.min_w || t.max_h < t.min_h) {
			char *key = g_strconcat(name, ".trims", NULL);
			gb_error(d, gb_style_loc(s, key, -1), "profile '%s': bad trims '%s' "
				 "(the smallest and the largest, 4x6in-8.5x11.69in, or one "
				 "size, 6x9in, by spaces)", name, *r);
			g_free(key);
			ok = false;
		} else {
			g_array_append_val(p->trims, t);
		}
		g_strfreev(ends);
	}
	g_strfreev(rows);
	p->pages = g_array_new(FALSE, FALSE, sizeof(gb_page_range));
	const char *pg = value(s, name, "pages", d);
	rows = g_strsplit(pg ? pg : "", " ", -1);
	for (gchar **r = rows; *r; r++) {
		if (!**r)
			continue;
		char *colon = strchr(*r, ':'), *dash = colon ? strchr(colon, '-') : NULL;
		gb_page_range pr = { NULL, colon ? atoi(colon + 1) : 0,
				     dash ? atoi(dash + 1) : 0 };
		bool named = colon && (!strncmp(*r, "paperback:", 10) ||
				       !strncmp(*r, "booklet:", 8));
		if (!named || !dash || pr.min < 1 || pr.max < pr.min) {
			char *key = g_strconcat(name, ".pages", NULL);
			gb_error(d, gb_style_loc(s, key, -1), "profile '%s': bad page range '%s' "
				 "(paperback:MIN-MAX or booklet:MIN-MAX)", name, *r);
			g_free(key);
			ok = false;
			continue;
		}
		pr.binding = g_strndup(*r, (gsize)(colon - *r));
		g_array_append_val(p->pages, pr);
	}
	g_strfreev(rows);
	if (!ok) {
		gb_profile_free(p);
		return NULL;
	}
	return p;
}

void gb_profile_free(gb_profile *p)
{
	if (!p)
		return;
	g_free(p->name);
	g_free(p->paper);
	if (p->icc)
		g_bytes_unref(p->icc);
	if (p->rgb_icc)
		g_bytes_unref(p->rgb_icc);
	g_free(p->icc_name);
	if (p->gutters)
		g_array_free(p->gutters, TRUE);
	if (p->trims)
		g_array_free(p->trims, TRUE);
	for (guint i = 0; p->pages && i < p->pages->len; i++)
		g_free(g_array_index(p->pages, gb_page_range, i).binding);
	if (p->pages)
		g_array_free(p->pages, TRUE);
	g_free(p);
}

bool gb_profile_cuts(const gb_profile *p, double w, double h, char **cuts)
{
	const double cut = 0.005 * 72;
	bool ok = !p || !p->trims || !p->trims->len;
	GString *s = g_string_new(NULL);
	for (guint i = 0; p && p->trims && i < p->trims->len; i++) {
		const gb_trim_range *t = &g_array_index(p->trims, gb_trim_range, i);
		if (w >= t->min_w - cut && h >= t->min_h - cut &&
		    w <= t->max_w + cut && h <= t->max_h + cut)
			ok = true;
		if (i)
			g_string_append(s, i + 1 == p->trims->len ? " or " : ", ");
		if (t->min_w == t->max_w && t->min_h == t->max_h)
			g_string_append_printf(s, "%.4g x %.4g in", t->min_w / 72, t->min_h / 72);
		else
			g_string_append_printf(s, "%s%.4g x %.4g in to %.4g x %.4g in",
					       p->trims->len == 1 ? "trims from " : "from ",
					       t->min_w / 72, t->min_h / 72,
					       t->max_w / 72, t->max_h / 72);
	}
	if (p && p->trims && p->trims->len > 1)
		g_string_prepend(s, "the trims ");
	else if (p && p->trims && p->trims->len == 1 &&
		 g_array_index(p->trims, gb_trim_range, 0).min_w ==
		 g_array_index(p->trims, gb_trim_range, 0).max_w &&
		 g_array_index(p->trims, gb_trim_range, 0).min_h ==
		 g_array_index(p->trims, gb_trim_range, 0).max_h)
		g_string_prepend(s, "the trim ");
	if (cuts)
		*cuts = g_string_free(s, FALSE);
	else
		g_string_free(s, TRUE);
	return ok;
}

double gb_profile_gutter(const gb_profile *p, int pages)
{
	if (!p || !p->gutters->len)
		return 0;
	for (guint i = 0; i < p->gutters->len; i++) {
		const gb_gutter *g = &g_array_index(p->gutters, gb_gutter, i);
		if (pages <= g->max_pages)
			return g->inner;
	}
	return g_array_index(p->gutters, gb_gutter, p->gutters->len - 1).inner;
}

bool gb_profile_pages(const gb_profile *p, const char *binding, int *min, int *max)
{
	for (guint i = 0; p && i < p->pages->len; i++) {
		const gb_page_range *r = &g_array_index(p->pages, gb_page_range, i);
		if (!strcmp(r->binding, binding)) {
			*min = r->min;
			*max = r->max;
			return true;
		}
	}
	return false;
}

/* ---- paper ---- */

static const struct {
	const char *name;
	double w, h;          /* millimetres */
} papers[] = {
	{ "a5", 148, 210 }, { "b5", 176, 250 }, { "a4", 210, 297 },
	{ "letter", 215.9, 279.4 }, { "6x9in", 152.4, 228.6 },
	{ "5.5x8.5in", 139.7, 215.9 },
};

bool gb_paper_size(const char *name, double *width, double *height)
{
	for (size_t i = 0; i < G_N_ELEMENTS(papers); i++) {
		if (!g_ascii_strcasecmp(name, papers[i].name)) {
			*width = papers[i].w * 72.0 / 25.4;
			*height = papers[i].h * 72.0 / 25.4;
			return true;
		}
	}
	/* WxH with one unit at the end: 150x220mm, 6x9in */
	const char *x = strchr(name, 'x');
	if (!x)
		return false;
	size_t ulen = strlen(name);
	const char *unit = name + ulen;
	while (unit > x && g_ascii_isalpha(unit[-1]))
		unit--;
	if (strcmp(unit, "mm") && strcmp(unit, "in"))
		return false;
	char *w = g_strndup(name, (gsize)(x - name));
	char *h = g_strndup(x + 1, (gsize)(unit - x - 1));
	char *we = g_strconcat(w, unit, NULL), *he = g_strconcat(h, unit, NULL);
	*width = gb_parse_length(we, 0);
	*height = gb_parse_length(he, 0);
	g_free(w);
	g_free(h);
	g_free(we);
	g_free(he);
	/* something a printer can bind: between 50 mm and 600 mm */
	double lo = 50 * 72.0 / 25.4, hi = 600 * 72.0 / 25.4;
	return !isnan(*width) && !isnan(*height) && *width >= lo &&
	       *height >= lo && *width <= hi && *height <= hi;
}
