/* cover.c - the typographic cover: Pango and Cairo, the book's fonts only. */
#include "design/cover.h"
#include "design/barcode.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache.h"
#include "design/png8.h"

#include "source/meta.h"
#include "design/words.h"

/*
 * The cover's proportions, as fractions of its height, so that any
 * cover.width x cover.height gives the same design.  Type sizes are the em
 * in pixels; leadings are multiples of the font's own line height.
 */
static const struct {
	double margin;          /* left and right margins */
	double top;             /* from the top edge to the top rule */
	double bottom;          /* from the bottom edge to the publisher */
	double rule;            /* thickness of the thin rules */
	double title_top;       /* from the top edge to the title */
	double title_size;      /* the title's size before any shrinking */
	double title_min;       /* the smallest size the title shrinks to */
	double title_max;       /* the most height the title may take */
	double title_leading;
	double bar_gap;         /* between the title and the accent bar */
	double bar_width;       /* the short accent bar under the title */
	double bar_height;
	double subtitle_gap;    /* between the accent bar and the subtitle */
	double subtitle_size;
	double subtitle_min;
	double subtitle_leading;
	double author_size;
	double author_min;
	double author_leading;
	double author_max;      /* the most height the authors may take */
	double author_gap;      /* between the authors and the bottom rule */
	double publisher_gap;   /* between the bottom rule and the publisher */
	double publisher_size;
	double publisher_min;
	double publisher_max;   /* the most height the publisher may take */
	double block_gap;       /* the least space between the title's block
				   and the authors */
} P = {
	.margin = 0.0625,
	.top = 0.0625,
	.bottom = 0.0560,
	.rule = 0.0012,
	.title_top = 0.1500,
	.title_size = 0.0600,
	.title_min = 0.0240,
	.title_max = 0.4000,
	.title_leading = 0.95,
	.bar_gap = 0.0400,
	.bar_width = 0.0900,
	.bar_height = 0.0040,
	.subtitle_gap = 0.0350,
	.subtitle_size = 0.0270,
	.subtitle_min = 0.0160,
	.subtitle_leading = 1.05,
	.author_size = 0.0300,
	.author_min = 0.0160,
	.author_leading = 1.0,
	.author_max = 0.1500,
	.author_gap = 0.0300,
	.publisher_gap = 0.0220,
	.publisher_size = 0.0175,
	.publisher_min = 0.0090,
	.publisher_max = 0.0350,
	.block_gap = 0.0500,
};

/* Each step of shrinking text that does not fit multiplies its size by. */
#define SHRINK_STEP 0.94

/* Letter spacing, in ems, of the authors and of the publisher. */
#define AUTHOR_TRACKING 0.04
#define PUBLISHER_TRACKING 0.18

/* The whole number of pixels nearest fraction of h (no libm needed). */
static int px(double fraction, int h)
{
	return (int)(fraction * h + 0.5);
}

/*
 * Whether the font file at path, as fontconfig read it into fc, has every
 * printable character of text.
 */
static bool covers(FcConfig *fc, const char *path, const char *text)
{
	FcFontSet *fs = FcConfigGetFonts(fc, FcSetApplication);
	FcCharSet *cs = NULL;
	for (int i = 0; fs && i < fs->nfont; i++) {
		FcChar8 *file;
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) ==
			    FcResultMatch && !strcmp((const char *)file, path)) {
			if (FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0,
						&cs) != FcResultMatch)
				cs = NULL;
			break;
		}
	}
	if (!cs)
		return false;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_iscntrl(c) && !FcCharSetHasChar(cs, c))
			return false;
	}
	return true;
}

/*
 * The family for text in weight and slant: the first of families (NULL
 * ended) whose font has every character of it, else the first (Pango then
 * falls back within the set).  Returns NULL after reporting that the set
 * lacks the first family's font.  The string belongs to the set.
 */
static const char *pick_family(gb_fontset *set, FcConfig *fc,
			       const char *const *families, int weight,
			       bool italic, const char *text, gb_diag *d)
{
	const gb_font *first = gb_fontset_find(set, families[0], weight, italic);
	if (!first) {
		gb_error(d, gb_noloc(), "the cover needs font '%s' %s%s, which "
			 "is not in '%s/MANIFEST'", families[0],
			 weight >= 700 ? "bold" : "regular",
			 italic ? " italic" : "", set->dir);
		return NULL;
	}
	for (size_t i = 0; families[i]; i++) {
		const gb_font *f = gb_fontset_find(set, families[i], weight,
						   italic);
		if (f && covers(fc, f->path, text))
			return f->family;
	}
	return first->family;
}

/* A piece of the cover's text and how to set it. */
typedef struct text_spec {
	const char *text;
	const char *family;
	PangoWeight weight;
	PangoStyle style;
	double size;            /* pixels, before any shrinking */
	double min;             /* the smallest size it shrinks to */
	const char *features;   /* OpenType features ("smcp") or NULL */
	double tracking;        /* letter spacing, in ems */
	double leading;         /* as pango_layout_set_line_spacing() */
	const char *tail;       /* the fallbacks after family: ",A,B" */
} text_spec;

/* Sets l's font and letter spacing to t at size pixels. */
static void set_size(PangoLayout *l, const text_spec *t, double size)
{
	PangoFontDescription *fd = pango_font_description_new();
	PangoAttrList *attrs = pango_attr_list_new();
	char *families = g_strconcat(t->family, t->tail ? t->tail : "", NULL);
	pango_font_description_set_family(fd, families);
	g_free(families);
	pango_font_description_set_weight(fd, t->weight);
	pango_font_description_set_style(fd, t->style);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	if (t->features)
		pango_attr_list_insert(attrs,
				       pango_attr_font_features_new(t->features));
	if (t->tracking > 0)
		pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
			(int)(t->tracking * size * PANGO_SCALE + 0.5)));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	pango_font_description_free(fd);
}

/* The size in pixels of l's logical extents. */
static PangoRectangle extents(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_pixel_extents(l, NULL, &r);
	return r;
}

/*
 * Balances l's lines: narrows it to the least width (down to half of width)
 * that keeps its number of lines, so that its last line is not a stray word.
 */
static void balance(PangoLayout *l, int width)
{
	int lines = pango_layout_get_line_count(l);
	if (lines < 2)
		return;
	int lo = width / 2, hi = width;   /* hi always keeps the lines */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;
		pango_layout_set_width(l, mid * PANGO_SCALE);
		if (pango_layout_get_line_count(l) == lines &&
		    extents(l).width <= mid)
			hi = mid;
		else
			lo = mid;
	}
	pango_layout_set_width(l, hi * PANGO_SCALE);
}

/*
 * A layout of t wrapped at words to width pixels, shrunk step by step from
 * t->size down to t->min until it is at most max_h pixels high and width
 * wide, then balanced.  A word wider than width even at t->min is broken.
 * Sets *height to its height in pixels.  The caller unrefs it.
 */
static PangoLayout *fitted_layout(PangoContext *pc, const text_spec *t,
				  int width, int max_h, int *height)
{
	PangoLayout *l = pango_layout_new(pc);
	pango_layout_set_text(l, t->text, -1);
	pango_layout_set_width(l, width * PANGO_SCALE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_line_spacing(l, (float)t->leading);
	PangoRectangle r;
	for (double size = t->size; ; size *= SHRINK_STEP) {
		set_size(l, t, size);
		r = extents(l);
		if ((r.height <= max_h && r.width <= width) ||
		    size * SHRINK_STEP < t->min)
			break;
	}
	if (r.width > width)
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	else
		balance(l, width);
	*height = extents(l).height;
	return l;
}

/* Warns when a part of the cover has characters that no font can draw. */
static void check_glyphs(PangoLayout *l, const char *what, const gb_fontset *set,
			 gb_diag *d)
{
	int n = pango_layout_get_unknown_glyphs_count(l);
	if (n > 0)
		gb_warning(d, gb_noloc(), "the cover's %s has %d character%s that "
			   "no font in '%s' can draw", what, n, n == 1 ? "" : "s",
			   set->dir);
}

/* Paints with rgb (0..1 each) from now on. */
static void set_colour(cairo_t *cr, const double rgb[3])
{
	cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* Draws l with its top left corner at x, y. */
static void show(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

/* What the cover takes from the style: colours and families. */
typedef struct cover_look {
	double background[3], text[3], accent[3];
	const char *body, *heading;     /* belong to the style */
	char **fallbacks;               /* fonts.fallbacks */
	char *tail;                     /* ",Fallback1,Fallback2" */
} cover_look;

/*
 * The names the cover shows, one a line: the authors (design/words.h), or,
 * in a book without an author (an anthology), everyone with their role in
 * the book's words ("Name, editor").  NULL when there is no one.  The
 * caller frees it.
 */
static char *cover_names(const gb_meta *meta)
{
	char **authors = gb_author_list(meta);
	char *names = authors[0] ? g_strjoinv("\n", authors) : NULL;
	g_strfreev(authors);
	if (names)
		return names;
	GArray *people = gb_people(meta);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < people->len; i++)
		g_string_append_printf(s, "%s%s", i ? "\n" : "",
				       g_array_index(people, gb_person, i).label);
	gb_people_free(people);
	return s->len ? g_string_free(s, FALSE) : (g_string_free(s, TRUE), NULL);
}

/*
 * Draws the cover on cr, w x h pixels, in look, with the fonts of pc
 * (those of set, read by fc).  Returns false after reporting why.
 */
static bool draw(cairo_t *cr, PangoContext *pc, int w, int h,
		 const gb_meta *meta, const cover_look *look, gb_fontset *set,
		 FcConfig *fc, gb_diag *d)
{
	bool ret = false;
	PangoLayout *title = NULL, *subtitle = NULL, *authors = NULL,
		    *publisher = NULL;
	char *names = cover_names(meta);
	/* each line in the first face that draws all of it, the fallbacks
	   last */
	guint nf = g_strv_length(look->fallbacks);
	const char **heading_first = g_new0(const char *, nf + 3);
	const char **body_first = g_new0(const char *, nf + 3);
	heading_first[0] = body_first[1] = look->heading;
	heading_first[1] = body_first[0] = look->body;
	for (guint i = 0; i < nf; i++)
		heading_first[i + 2] = body_first[i + 2] = look->fallbacks[i];
	const int margin = px(P.margin, h);
	const int text_w = w - 2 * margin;
	const int rule = px(P.rule, h) > 0 ? px(P.rule, h) : 1;
	int height;
	if (text_w < 1) {
		gb_error(d, gb_noloc(), "the cover is too narrow: 'cover.width' "
			 "%d leaves no room for text within its margins", w);
		goto out;
	}

	/* the background and the top rule */
	set_colour(cr, look->background);
	cairo_paint(cr);
	set_colour(cr, look->accent);
	cairo_rectangle(cr, margin, px(P.top, h), text_w, rule);
	cairo_fill(cr);

	/* the bottom block, upwards from the bottom margin */
	int bottom = h - px(P.bottom, h);
	if (meta->publisher) {
		text_spec t = {
			.tail = look->tail,
			.text = meta->publisher, .weight = PANGO_WEIGHT_NORMAL,
			.style = PANGO_STYLE_NORMAL,
			.size = P.publisher_size * h,
			.min = P.publisher_min * h,
			.features = "c2sc, smcp",
			.tracking = PUBLISHER_TRACKING,
		};
		t.family = pick_family(set, fc, heading_first, 400, false,
				       t.text, d);
		if (!t.family)
			goto out;
		publisher = fitted_layout(pc, &t, text_w,
					  px(P.publisher_max, h), &height);
		check_glyphs(publisher, "publisher", set, d);
		bottom -= height;
		set_colour(cr, look->accent);
		show(cr, publisher, margin, bottom);
		bottom -= px(P.publisher_gap, h);
	}
	set_colour(cr, look->accent);
	cairo_rectangle(cr, margin, bottom - rule, text_w, rule);
	cairo_fill(cr);
	bottom -= rule;
	if (names) {
		text_spec t = {
			.tail = look->tail,
			.text = names, .weight = PANGO_WEIGHT_NORMAL,
			.style = PANGO_STYLE_NORMAL,
			.size = P.author_size * h, .min = P.author_min * h,
			.features = "smcp", .tracking = AUTHOR_TRACKING,
			.leading = P.author_leading,
		};
		t.family = pick_family(set, fc, body_first, 400, false, t.text,
				       d);
		if (!t.family)
			goto out;
		bottom -= px(P.author_gap, h);
		authors = fitted_layout(pc, &t, text_w,
					px(P.author_max, h), &height);
		check_glyphs(authors, "authors", set, d);
		bottom -= height;
		set_colour(cr, look->text);
		show(cr, authors, margin, bottom);
	}
	bottom -= px(P.block_gap, h);

	/* the title, the accent bar and the subtitle, downwards */
	int y = px(P.title_top, h);
	text_spec tt = {
			.tail = look->tail,
		.text = meta->title, .weight = PANGO_WEIGHT_BOLD,
		.style = PANGO_STYLE_NORMAL,
		.size = P.title_size * h, .min = P.title_min * h,
		.leading = P.title_leading,
	};
	tt.family = pick_family(set, fc, heading_first, 700, false, tt.text, d);
	if (!tt.family)
		goto out;
	int title_max = px(P.title_max, h) < bottom - y ? px(P.title_max, h)
						       : bottom - y;
	title = fitted_layout(pc, &tt, text_w, title_max, &height);
	check_glyphs(title, "title", set, d);
	set_colour(cr, look->text);
	show(cr, title, margin, y);
	y += height + px(P.bar_gap, h);
	set_colour(cr, look->accent);
	cairo_rectangle(cr, margin, y, px(P.bar_width, h),
			px(P.bar_height, h));
	cairo_fill(cr);
	y += px(P.bar_height, h);
	if (meta->subtitle) {
		text_spec t = {
			.tail = look->tail,
			.text = meta->subtitle, .weight = PANGO_WEIGHT_NORMAL,
			.style = PANGO_STYLE_ITALIC,
			.size = P.subtitle_size * h, .min = P.subtitle_min * h,
			.leading = P.subtitle_leading,
		};
		t.family = pick_family(set, fc, body_first, 400, true, t.text,
				       d);
		if (!t.family)
			goto out;
		y += px(P.subtitle_gap, h);
		subtitle = fitted_layout(pc, &t, text_w, bottom - y,
					 &height);
		check_glyphs(subtitle, "subtitle", set, d);
		set_colour(cr, look->text);
		show(cr, subtitle, margin, y);
	}
	ret = true;
out:
	if (title)
		g_object_unref(title);
	if (subtitle)
		g_object_unref(subtitle);
	if (authors)
		g_object_unref(authors);
	if (publisher)
		g_object_unref(publisher);
	g_free(names);
	g_free(heading_first);
	g_free(body_first);
	return ret;
}

/*
 * A Pango context drawing with only the fonts of fc, without hinting or
 * rounding, so that the output depends on nothing but the inputs.  The
 * caller unrefs it (and with it the font map).
 */
static PangoContext *private_context(FcConfig *fc, const char *lang)
{
	PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (!map)
		return NULL;
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), fc);
	PangoContext *pc = pango_font_map_create_context(map);
	g_object_unref(map);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	if (lang)
		pango_context_set_language(pc, pango_language_from_string(lang));
	return pc;
}

/* A style key that is a whole number of pixels, 1..max, or -1. */
static int pixels(const gb_style *style, const char *key, int max, gb_diag *d)
{
	double v = gb_style_number(style, key, d);
	if (isnan(v))
		return -1;
	if (v < 1 || v > max || v != (double)(long)v) {
		gb_error(d, gb_noloc(), "style '%s' must be a whole number of "
			 "pixels from 1 to %d, not '%s'", key, max,
			 gb_style_get(style, key));
		return -1;
	}
	return (int)v;
}

/*
 * Reads the cover's colours and families from style into look; false
 * after reporting why (a missing title too).  look_free frees it.
 */
static bool look_load(const gb_meta *meta, const gb_style *style,
		      cover_look *look, gb_diag *d)
{
	bool ok = true;
	ok = gb_style_colour(style, "colours.cover-background", look->background,
			     d) && ok;
	ok = gb_style_colour(style, "colours.cover-text", look->text, d) && ok;
	ok = gb_style_colour(style, "colours.cover-accent", look->accent, d) && ok;
	look->body = gb_style_need(style, "fonts.body", d);
	look->heading = gb_style_need(style, "fonts.heading", d);
	look->fallbacks = gb_style_list(style, "fonts.fallbacks");
	GString *tail = g_string_new(NULL);
	for (char **f = look->fallbacks; *f; f++)
		g_string_append_printf(tail, ",%s", *f);
	look->tail = g_string_free(tail, FALSE);
	ok = look->body && look->heading && ok;
	if (!meta->title) {
		gb_error(d, gb_noloc(), "cannot draw the cover: the book has no "
			 "title");
		ok = false;
	}
	return ok;
}

static void look_free(cover_look *look)
{
	g_strfreev(look->fallbacks);
	g_free(look->tail);
}

/*
 * A layout of t on one line at the largest size, from t->size down to
 * t->min, no more than room high and along long; NULL when none fits.
 */
static PangoLayout *spine_line(PangoContext *pc, text_spec *t, double room,
			       double along, PangoRectangle *r)
{
	PangoLayout *l = pango_layout_new(pc);
	pango_layout_set_text(l, t->text, -1);
	/* from the spine's size down to the least: a spine whose room
	   starts below the least is tried at the least */
	for (double size = MAX(t->size, t->min); size >= t->min; size *= SHRINK_STEP) {
		set_size(l, t, size);
		*r = extents(l);
		if (r->height <= room && r->width <= along)
			return l;
	}
	g_object_unref(l);
	return NULL;
}

/*
 * Draws the spine on cr: title and authors on one line, running top to
 * bottom, centred in a spine thick wide and len long (the axes of cr
 * before the turn), no nearer its folds than margin nor its ends than
 * safety.  What does not fit even at the smallest size gives way: the
 * authors first, then the title to the book's short-title; when even
 * that does not fit, it is an error.
 */
static bool draw_spine(cairo_t *cr, PangoContext *pc, double len,
		       double thick, double margin, double safety,
		       const gb_meta *meta,
		       const cover_look *look, gb_fontset *set, FcConfig *fc,
		       gb_diag *d)
{
	char *lines = cover_names(meta);
	gchar **each = lines ? g_strsplit(lines, "\n", -1) : NULL;
	char *names = each ? g_strjoinv(", ", each) : NULL;
	g_strfreev(each);
	g_free(lines);
	const char *titles[] = { meta->title, meta->short_title };
	GPtrArray *tries = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < 2; i++) {
		if (!titles[i] || (i && !strcmp(titles[1], titles[0])))
			continue;
		if (names)
			g_ptr_array_add(tries, g_strdup_printf(
				"%s \u2002\u00b7\u2002 %s", titles[i], names));
		g_ptr_array_add(tries, g_strdup(titles[i]));
	}
	const char *first[] = { look->heading, look->body, NULL };
	double room = thick - 2 * margin;
	/* no more than 90% of its length, and within the safety margin */
	double along = MIN(len * 0.9, len - 2 * safety);
	bool ok = true;
	PangoLayout *l = NULL;
	PangoRectangle r = { 0 };
	for (guint i = 0; ok && !l && i < tries->len; i++) {
		text_spec t = {
			.tail = look->tail, .text = tries->pdata[i],
			.weight = PANGO_WEIGHT_BOLD, .style = PANGO_STYLE_NORMAL,
			.size = room * 0.7, .min = 4,
		};
		t.family = pick_family(set, fc, first, 700, false, t.text, d);
		ok = t.family != NULL;
		if (ok && room > 0)
			l = spine_line(pc, &t, room, along, &r);
	}
	if (ok && !l) {
		/* too thin for a line of 4 pt: the spine stays bare; too
		   short for the title: the book needs a shorter one */
		PangoLayout *probe = pango_layout_new(pc);
		text_spec t = { .tail = look->tail, .text = "Hg",
				.family = look->heading, .weight = PANGO_WEIGHT_BOLD,
				.style = PANGO_STYLE_NORMAL };
		pango_layout_set_text(probe, t.text, -1);
		set_size(probe, &t, 4);
		if (extents(probe).height > room) {
			gb_warning(d, gb_noloc(), "the spine (%.3f in) is too thin "
				   "for text within the printer's spine margins: it "
				   "is left bare", thick / 72);
		} else {
			gb_error(d, gb_noloc(), "the title does not fit on the "
				 "spine (%.2f in long within its margins), even at "
				 "4 pt: give the book a shorter 'short-title'",
				 along / 72);
			ok = false;
		}
		g_object_unref(probe);
	}
	if (l) {
		check_glyphs(l, "spine", set, d);
		cairo_save(cr);
		/* down the spine: x along it, y across it */
		cairo_translate(cr, thick, 0);
		cairo_rotate(cr, M_PI / 2);
		set_colour(cr, look->text);
		show(cr, l, (len - r.width) / 2.0, (thick - r.height) / 2.0);
		cairo_restore(cr);
		g_object_unref(l);
	}
	g_ptr_array_free(tries, TRUE);
	g_free(names);
	return ok;
}

/*
 * Draws the back on cr, whose origin is the back's trim corner: the
 * book's description in the body face, from the top margin down, within
 * the larger of the design's margin and the printer's safety margin, and
 * above the barcode area, which stays empty.
 */
static bool draw_back(cairo_t *cr, PangoContext *pc, const gb_wrap *w,
		      const gb_meta *meta, const cover_look *look,
		      gb_fontset *set, FcConfig *fc, gb_diag *d)
{
	if (!meta->description || !*meta->description)
		return true;
	int h = (int)lround(w->trim_h);
	double margin = MAX(px(P.margin, h), w->safety);
	double top = MAX(px(P.title_top, h), w->safety);
	double bottom = w->trim_h - MAX(px(P.bottom, h), w->safety) -
			w->barcode_h - px(P.block_gap, h);
	int width = (int)(w->trim_w - 2 * margin);
	if (width < 1 || bottom - top < 1) {
		gb_error(d, gb_noloc(), "the cover's back leaves no room for the "
			 "description within the printer's safety margin");
		return false;
	}
	const char *first[] = { look->body, look->heading, NULL };
	text_spec t = {
		.tail = look->tail, .text = meta->description,
		.weight = PANGO_WEIGHT_NORMAL, .style = PANGO_STYLE_NORMAL,
		.size = P.subtitle_size * h, .min = P.publisher_size * h,
		.leading = 1.3,
	};
	t.family = pick_family(set, fc, first, 400, false, t.text, d);
	if (!t.family)
		return false;
	int height;
	PangoLayout *l = fitted_layout(pc, &t, width, (int)(bottom - top), &height);
	check_glyphs(l, "description", set, d);
	bool ok = height <= bottom - top;
	if (!ok)
		gb_error(d, gb_noloc(), "the book's description is too long for "
			 "the cover's back, even at its smallest size: shorten it");
	else {
		set_colour(cr, look->text);
		show(cr, l, margin, top);
	}
	g_object_unref(l);
	return ok;
}

bool gb_cover_draw_wrap(cairo_t *cr, const gb_meta *meta,
			const gb_style *style, gb_fontset *fonts,
			const gb_wrap *w, bool front, gb_diag *d)
{
	cover_look look = { 0 };
	bool ok = look_load(meta, style, &look, d);
	FcConfig *fc = ok ? gb_fontset_fc(fonts, d) : NULL;
	PangoContext *pc = fc ? private_context(fc, meta->lang) : NULL;
	if (fc && !pc)
		gb_error(d, gb_noloc(), "cannot draw the cover: Pango has no "
			 "FreeType font map");
	ok = pc != NULL;
	if (ok) {
		pango_cairo_update_context(cr, pc);
		/* the background across back, spine and front, bleed included */
		set_colour(cr, look.background);
		cairo_paint(cr);
	}
	if (ok && front) {
		/* the front, the typographic cover; its background to the bleed */
		cairo_save(cr);
		cairo_rectangle(cr, w->front_x, 0, w->width - w->front_x, w->height);
		cairo_clip(cr);
		cairo_translate(cr, w->front_x, w->trim_y);
		ok = draw(cr, pc, (int)lround(w->trim_w), (int)lround(w->trim_h),
			  meta, &look, fonts, fc, d);
		cairo_restore(cr);
	}
	if (ok) {
		cairo_save(cr);
		cairo_translate(cr, w->back_x, w->trim_y);
		ok = draw_back(cr, pc, w, meta, &look, fonts, fc, d);
		cairo_restore(cr);
	}
	if (ok && w->isbn_barcode && meta->print_isbn) {
		/* the print ISBN's barcode in the barcode area, inside the
		   safety margin at the back's bottom right */
		ok = gb_barcode_draw_isbn(cr, pc, meta->print_isbn,
					  meta->print_isbn_text, look.body,
					  w->back_x + w->trim_w - w->safety - w->barcode_w,
					  w->trim_y + w->trim_h - w->safety - w->barcode_h,
					  w->barcode_w, w->barcode_h, d);
	}
	if (ok && w->spine_text) {
		cairo_save(cr);
		cairo_translate(cr, w->spine_x, w->trim_y);
		ok = draw_spine(cr, pc, w->trim_h, w->spine, w->spine_margin,
				w->safety, meta, &look, fonts, fc, d);
		cairo_restore(cr);
	}
	if (ok && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the cover: %s",
			 cairo_status_to_string(cairo_status(cr)));
		ok = false;
	}
	if (pc)
		g_object_unref(pc);
	look_free(&look);
	return ok;
}

bool gb_cover_draw_front(cairo_t *cr, int w, int h, const gb_meta *meta,
			 const gb_style *style, gb_fontset *fonts, gb_diag *d)
{
	cover_look look = { 0 };
	PangoContext *pc = NULL;
	bool ok = look_load(meta, style, &look, d);
	FcConfig *fc = ok ? gb_fontset_fc(fonts, d) : NULL;
	if (fc) {
		pc = private_context(fc, meta->lang);
		if (!pc)
			gb_error(d, gb_noloc(), "cannot draw the cover: Pango has no "
				 "FreeType font map");
	}
	ok = pc != NULL;
	if (ok) {
		pango_cairo_update_context(cr, pc);
		ok = draw(cr, pc, w, h, meta, &look, fonts, fc, d);
	}
	if (ok && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the cover: %s",
			 cairo_status_to_string(cairo_status(cr)));
		ok = false;
	}
	if (pc)
		g_object_unref(pc);
	look_free(&look);
	return ok;
}

/*
 * Draws the cover in a cairo image surface and encodes it as an 8-bit
 * palette PNG in memory.
 * Returns NULL after reporting why; the caller unrefs the bytes.
 */
GBytes *gb_cover_png(const gb_meta *meta, const gb_style *style,
		     gb_fontset *fonts, gb_diag *d)
{
	/* cairo's image surfaces are at most 32767 pixels a side */
	const int max_side = 32767;
	GBytes *ret = NULL;
	int w = pixels(style, "cover.width", max_side, d);
	int h = pixels(style, "cover.height", max_side, d);
	if (w <= 0 || h <= 0)
		return NULL;
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(surface);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		gb_error(d, gb_noloc(), "cannot draw the cover: %s",
			 cairo_status_to_string(cairo_status(cr)));
	else if (gb_cover_draw_front(cr, w, h, meta, style, fonts, d)) {
		cairo_surface_flush(surface);
		ret = gb_encode_png8(surface, d);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return ret;
}

/* ---- the cover, cached ---- */

/*
 * The cover's cache key: everything it is drawn from - the program (by
 * its path, size and modification time), the metadata it
 * shows, the style and the fonts.  NULL when the program cannot be looked
 * at.
 */
static char *cover_key(const gb_meta *meta, const gb_style *style,
		       const gb_fontset *fonts)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	if (!gb_cache_key_program(sum)) {
		g_checksum_free(sum);
		return NULL;
	}
	gb_cache_key_add(sum, meta->title);
	gb_cache_key_add(sum, meta->subtitle);
	gb_cache_key_add(sum, meta->publisher);
	gb_cache_key_add(sum, meta->lang);
	for (guint i = 0; i < meta->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(meta->authors, i);
		gb_cache_key_add(sum, a->name);
		gb_cache_key_add(sum, a->role);
	}
	gb_cache_key_add(sum, gb_style_text(style));
	gb_cache_key_add(sum, "8-bit palette PNG");
	for (guint i = 0; i < fonts->fonts->len; i++)
		gb_cache_key_add(sum, ((const gb_font *)g_ptr_array_index(fonts->fonts, i))->sha256);
	char *key = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return key;
}

GBytes *gb_cover_cached(const gb_meta *meta, const gb_style *style,
			gb_fontset *fonts, gb_diag *d)
{
	/*
	 * Drawing and compressing a 1600 x 2560 picture is most of an EPUB
	 * build, and the same inputs always give the same bytes: keep them
	 * in the user's cache, keyed by everything they come from.
	 * GSI_BOOK_NO_CACHE turns this off.
	 */
	char *key = gb_cache_on() ? cover_key(meta, style, fonts) : NULL;
	char *path = key ? gb_cache_path("covers", key) : NULL;
	GBytes *png = gb_cache_get(path, 9);
	if (!png) {
		png = gb_cover_png(meta, style, fonts, d);
		gb_cache_keep(path, png);
	}
	g_free(path);
	g_free(key);
	return png;
}
