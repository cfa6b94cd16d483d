/*
 * build.c - the commands' pipelines: check, dump, epub, preview, and the
 * print pipeline that pdf and all share (build.h).
 */
#include "build.h"
#include "source/keep.h"

#include <errno.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "source/book.h"
#include "base/data.h"
#include "base/diag.h"
#include "design/coverage.h"
#include "source/dump.h"
#include "epub/epub.h"
#include "design/fontreach.h"
#include "design/fonts.h"
#include "design/profile.h"
#include "design/wrap.h"
#include "typeset/layout.h"
#include "pdf/pdf.h"
#include "pdf/preview.h"
#include "typeset/typeset.h"
#include "source/resolve.h"
#include "design/style.h"
#include "source/meta.h"
#include "source/tree.h"

#ifndef GB_VERSION
#define GB_VERSION "unknown"
#endif

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

/*
 * Whether what was reported so far stops the build: an error, or a
 * warning with --strict.  Then says how many of each there were.
 */
static bool refused(gb_run *r)
{
	gb_diag_flush(r->d);
	int errors = gb_diag_errors(r->d), warnings = gb_diag_warnings(r->d);
	if (!errors && !(r->strict && warnings))
		return false;
	fprintf(r->err ? r->err : stderr, "gsi-book: %d error%s, %d warning%s%s\n", errors,
		errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
		!errors ? " (--strict)" : "");
	return true;
}

/*
 * The last line of a failed build: what was not written (what).  Every
 * step that fails reports why; one that did not, a bug in gsi-book, is
 * reported here as one, so that no run ends with "no EPUB written" alone.
 */
static void not_written(gb_run *r, const char *what)
{
	gb_diag_flush(r->d);
	if (gb_diag_errors(r->d) == 0 && !(r->strict && gb_diag_warnings(r->d))) {
		gb_error(r->d, gb_noloc(),
			 "BUG: the build failed without saying why; please report it with the book");
		gb_diag_flush(r->d);
	}
	fprintf(r->err ? r->err : stderr, "gsi-book: %s\n", what);
}

/* Loads and resolves the book, reporting problems; NULL on any error. */
static gb_book *load(gb_run *r)
{
	gb_book *book = gb_book_load_kept(r->bookdir, r->parse_keep, r->d);
	if (r->verbose) {
		char *what = g_strdup_printf("read '%s': %u files, %u parts",
					     r->bookdir, book->files->len,
					     book->part_srcs->len);
		gb_verbose(r, what);
		g_free(what);
	}
	char *broken = gb_tree_check(book->root, gb_diag_errors(r->d) == 0);
	if (broken) {
		/* a bug in gsi-book, not in the book */
		fprintf(stderr, "gsi-book: BUG: the document tree is inconsistent:\n%s",
			broken);
		g_free(broken);
		abort();
	}
	if (refused(r)) {
		gb_book_free(book);
		return NULL;
	}
	return book;
}

/*
 * Whether the fonts book reaches (its families and the fallbacks its text
 * needs) have their manifest's sums; false after saying which does not.
 */
static bool fonts_reached_ok(gb_run *r, const gb_book *book, const gb_style *style,
			     gb_fontset *fonts)
{
	char **reached = gb_families_reached(book, fonts, style, r->d);
	bool ok = reached && gb_fontset_verify(fonts, reached, r->d);
	g_strfreev(reached);
	gb_diag_flush(r->d);
	return ok;
}

/*
 * The design and fonts of the editions of book, from gsi-book's data
 * directory, the fonts book reaches checked against their sums
 * (fontreach.h; none when book is NULL: the caller checks them for each
 * book it sets, fonts_reached_ok).  Returns false after reporting what is missing or wrong;
 * *style and *fonts are then NULL.
 */
static bool load_design(gb_run *r, const gb_book *book, char **data, gb_style **style,
			gb_fontset **fonts)
{
	*style = NULL;
	*fonts = NULL;
	*data = gb_data_dir();
	if (!*data) {
		gb_error(r->d, gb_noloc(),
			 "cannot find gsi-book's fonts and styles: run 'make' in the source tree, 'make install', or set GSI_BOOK_DATA");
		gb_diag_flush(r->d);
		return false;
	}
	char *style_path = g_build_filename(*data, "styles", "style.yaml", NULL);
	char *fonts_dir = g_build_filename(*data, "fonts", NULL);
	*style = gb_style_load(style_path, r->d);
	*fonts = gb_fontset_load(fonts_dir, r->d);
	g_free(style_path);
	g_free(fonts_dir);
	bool ok = *style && *fonts && gb_fontset_check_style(*fonts, *style, r->d);
	gb_diag_flush(r->d);
	if (ok && (!book || fonts_reached_ok(r, book, *style, *fonts)))
		return true;
	gb_style_free(*style);
	gb_fontset_free(*fonts);
	*style = NULL;
	*fonts = NULL;
	return false;
}

/* DIR/<slug of the title>.EXT. Caller frees. */
static char *named_in(const char *dir, const gb_book *book, const char *ext)
{
	char *slug = gb_slugify(book->meta.title);
	char *name = g_strdup_printf("%s.%s", *slug ? slug : "book", ext);
	char *path = g_build_filename(dir, name, NULL);
	g_free(name);
	g_free(slug);
	return path;
}

/* The default output path: dist/<slug of the title>.EXT. Caller frees. */
static char *default_output(const gb_book *book, const char *ext)
{
	return named_in("dist", book, ext);
}

/* Whether path names a folder: one that exists, or a name ending in '/'. */
static bool names_folder(const char *path)
{
	size_t n = strlen(path);
	return (n && path[n - 1] == '/') || g_file_test(path, G_FILE_TEST_IS_DIR);
}

/*
 * Where an edition with extension ext goes: -o FILE; into -o DIR, under
 * the default name, when DIR names a folder (*make_dir: it may be made);
 * else dist/<slug>.EXT, dist made when missing.  Caller frees.
 */
static char *edition_path(const gb_run *r, const gb_book *book, const char *ext,
			  bool *make_dir)
{
	bool folder = r->out && names_folder(r->out);
	*make_dir = !r->out || folder;
	if (!r->out)
		return default_output(book, ext);
	return folder ? named_in(r->out, book, ext) : g_strdup(r->out);
}

/* Whether name ends in an edition's extension, ".pdf" or ".epub". */
static bool edition_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && !strchr(dot, '/') &&
	       (!g_ascii_strcasecmp(dot, ".pdf") || !g_ascii_strcasecmp(dot, ".epub"));
}

/* Writes bytes to path through a temporary file; reports failure. */
static int write_edition(gb_run *r, const char *path, GBytes *bytes, bool make_dir)
{
	if (make_dir) {
		char *dir = g_path_get_dirname(path);
		g_mkdir_with_parents(dir, 0777);
		g_free(dir);
	}
	gsize len = 0;
	const void *data = g_bytes_get_data(bytes, &len);
	int e = 0;
	if (!gb_file_write_atomic(path, data, len, &e)) {
		gb_error(r->d, gb_noloc(), "cannot write '%s': %s", path, g_strerror(e));
		gb_diag_flush(r->d);
		return EXIT_INPUT;
	}
	if (!r->quiet)
		printf("wrote %s (%zu KiB)\n", path, (len + 1023) / 1024);
	gb_verbose(r, "wrote the edition");
	return 0;
}

int gb_cmd_epub(gb_run *r)
{
	int ret = EXIT_INPUT;
	char *data = NULL;
	gb_style *style = NULL;
	gb_fontset *fonts = NULL;
	GBytes *bytes = NULL;
	char *out = NULL;
	gb_book *book = load(r);
	if (!book)
		goto out;
	if (!load_design(r, book, &data, &style, &fonts))
		goto out;
	char *css = g_build_filename(data, "styles", "epub.css", NULL);
	gb_epub_options opt = { style, fonts, css, 0, NULL, NULL, NULL, r->kobo };
	if (gb_meta_timestamp(book, r->d, &opt.timestamp))
		bytes = gb_epub_build(book, &opt, r->d);
	g_free(css);
	gb_diag_flush(r->d);
	gb_verbose(r, "built the EPUB");
	if (!bytes)
		goto out;
	bool make_dir;
	out = edition_path(r, book, r->kobo ? "kepub.epub" : "epub", &make_dir);
	ret = write_edition(r, out, bytes, make_dir);
out:
	if (ret)
		not_written(r, "no EPUB written");
	g_free(out);
	if (bytes)
		g_bytes_unref(bytes);
	gb_style_free(style);
	gb_fontset_free(fonts);
	g_free(data);
	gb_book_free(book);
	return ret;
}

/* The printer profile named by --profile (default: screen), or NULL. */
static gb_profile *load_profile(gb_run *r, const char *data)
{
	char *path = g_build_filename(data, "styles", "profiles.yaml", NULL);
	gb_style *profiles = gb_style_load(path, r->d);
	g_free(path);
	gb_profile *p = profiles ? gb_profile_load(profiles, r->profile ? r->profile : "screen", r->d) : NULL;
	gb_diag_flush(r->d);
	gb_style_free(profiles);
	return p;
}

/*
 * The book typeset for profile: its trim, margins and page count rules;
 * set again when the profile's gutter depends on the page count it gives.
 * NULL after reporting why.
 */
static gb_layout *typeset_for(gb_run *r, const gb_book *book, const gb_style *style,
			      gb_fontset *fonts, const gb_profile *profile,
			      gb_break_stats *stats, gb_break_stats *first_fit,
			      gb_measure_lines *first_fit_lines)
{
	gb_typeset_options opt = {
		style, fonts, r->paper ? r->paper : profile->paper,
		0, stats, first_fit,
		profile->min_margin, gb_profile_gutter(profile, 0),
		profile->even_pages, first_fit_lines, profile->image_dpi, 0,
		profile->safety, profile->bleed_inside, profile->bleed_outside, NULL, NULL,
	};
	int lo, hi;
	const char *binding = r->booklet ? "booklet" : "paperback";
	bool ranged = gb_profile_pages(profile, binding, &lo, &hi);
	if (r->pad && ranged)
		opt.min_pages = lo;
	if (!gb_meta_timestamp(book, r->d, &opt.timestamp)) {
		gb_diag_flush(r->d);
		return NULL;
	}
	gb_typeset_passes passes = { 0 };
	opt.passes = &passes;
	gb_layout *lay = gb_typeset(book, &opt, r->d);
	if (lay && gb_profile_gutter(profile, (int)lay->pages->len) != opt.gutter) {
		opt.gutter = gb_profile_gutter(profile, (int)lay->pages->len);
		gb_layout_free(lay);
		lay = gb_typeset(book, &opt, r->d);
	}
	if (r->verbose)
		fprintf(stderr, "gsi-book: %u passes over the book, %u with the parts on "
			"several threads\n", passes.passes, passes.on_cores);
	/* the printer's page count for the binding */
	if (lay && ranged && ((int)lay->pages->len < lo || (int)lay->pages->len > hi))
		gb_error(r->d, gb_noloc(), "the book has %u pages, and %s binds a %s "
			 "of %d to %d pages (styles/profiles.yaml: %s.pages)%s",
			 lay->pages->len, profile->name, binding, lo, hi, profile->name,
			 (int)lay->pages->len < lo ? "; --pad adds blank pages at the end" : "");
	/* a trim the printer cuts */
	char *cuts = NULL;
	if (lay && !gb_profile_cuts(profile, lay->width, lay->height, &cuts))
		gb_error(r->d, gb_noloc(), "the trim is %.4g x %.4g in, and %s cuts %s "
			 "(styles/profiles.yaml: %s.trims)", lay->width / 72, lay->height / 72,
			 profile->name, cuts, profile->name);
	g_free(cuts);
	/* every mark inside the printer's safety margin */
	if (lay) {
		char *rule = g_strconcat(profile->name, profile->bleeds ? ".safety-bleed"
					 : ".safety", NULL);
		gb_layout_check_safety(lay, profile->safety, profile->name, rule, r->d);
		g_free(rule);
	}
	/* the typesetter's own warnings (a word broken between letters),
	   with --strict (a layout comes only without errors) */
	if (lay && refused(r)) {
		gb_layout_free(lay);
		return NULL;
	}
	return lay;
}

/* How the PDF goes onto paper: the profile's, and --marks, --gray, --booklet. */
static gb_pdf_options pdf_options(const gb_run *r, const gb_profile *p,
				  double sheet_w, double sheet_h)
{
	gb_pdf_options o = {
		p->bleed_top, p->bleed_bottom, p->bleed_inside, p->bleed_outside,
		r->marks ? p->mark_length : 0, p->mark_offset, p->mark_weight,
		p->links && !r->booklet, p->outline && !r->booklet,
		p->gray || r->gray, r->booklet, sheet_w, sheet_h,
		NULL, 0, NULL,          /* PDF/X: below */
		p->pdf_ua && !r->booklet,
		NULL, NULL,
		0,                      /* the pages drawn on two threads: below */
	};
	/* GSI_BOOK_SPLIT_PAGES: from how many pages the PDF is drawn on two
	   threads (tests; -1: never), else the default */
	const char *split = g_getenv("GSI_BOOK_SPLIT_PAGES");
	if (split && *split)
		o.split_pages = (int)g_ascii_strtoll(split, NULL, 10);
	/* a booklet is not PDF/X */
	gb_pdf_options_pdfx(&o, r->booklet ? NULL : p);
	return o;
}

/* The line breaker's figures, as --stats prints them. */
static void print_stats(const char *name, const gb_break_stats *s, int widows,
			int orphans)
{
	printf("%s:\n", name);
	printf("  paragraphs %d, lines %d, hyphenated %d, longest hyphen run %d\n",
	       s->paragraphs, s->lines, s->hyphenated, s->max_hyphen_run);
	printf("  adjustment ratio: mean |r| %.3f, max |r| %.3f (over %d lines)\n",
	       s->ratio_lines ? s->sum_abs_ratio / s->ratio_lines : 0.0,
	       s->max_abs_ratio, s->ratio_lines);
	printf("  overfull lines %d, emergency lines %d\n", s->overfull, s->emergency);
	if (widows >= 0)
		printf("  widows %d, orphans %d\n", widows, orphans);
}

/* The figures of issue 21 (tests/measure.py's), of the book as set and of
   first-fit's lines. */
static void print_figures(const gb_layout *lay, const gb_measure_lines *ff)
{
	gb_figures f;
	GString *out = g_string_new("figures of the book as set (as tests/measure.py):\n");
	gb_measure_layout(lay, &f);
	gb_figures_print(&f, out);
	g_string_append(out, "figures of first-fit's lines (as tests/measure.py; no pages):\n");
	gb_measure_lines_figures(ff, &f);
	gb_figures_print(&f, out);
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
}

/* The first picture of n meant to bleed ({.bleed}), outside the notes
   (where it is set in the text block), or NULL. */
static const gb_node *bleed_picture(const gb_node *n)
{
	if (n->kind == GB_NODE_FOOTNOTE)
		return NULL;
	if (n->kind == GB_NODE_IMAGE && n->bleed)
		return n;
	for (const gb_node *c = n->first; c; c = c->next) {
		const gb_node *b = bleed_picture(c);
		if (b)
			return b;
	}
	return NULL;
}

/* Whether profile's file bleeds, for book and --bleed/--no-bleed; false
   after reporting the rule refusing what was asked. */
static bool choose_bleed(gb_run *r, const gb_book *book, gb_profile *profile)
{
	const gb_node *pic = bleed_picture(book->root);
	bool ok = gb_profile_choose_bleed(profile, r->bleed, pic ? &pic->loc : NULL, r->d);
	gb_diag_flush(r->d);
	return ok;
}

/*
 * What the print commands start from: the book, its design and the printer
 * profile, --marks and the bleed checked against it.  False after reporting why;
 * whatever was loaded is set all the same, for the caller to free.
 */
static bool load_print(gb_run *r, gb_book **book, char **data, gb_style **style,
		       gb_fontset **fonts, gb_profile **profile)
{
	*book = load(r);
	if (!*book)
		return false;
	if (!load_design(r, *book, data, style, fonts))
		return false;
	*profile = load_profile(r, *data);
	if (!*profile || !choose_bleed(r, *book, *profile))
		return false;
	if (r->marks && !(*profile)->marks) {
		gb_error(r->d, gb_noloc(), "profile '%s' allows no crop marks", (*profile)->name);
		gb_diag_flush(r->d);
		return false;
	}
	return true;
}

/* What a print build holds to its end; any may be NULL. */
typedef struct held {
	gb_book *book;
	char *data;
	gb_style *style;
	gb_fontset *fonts;
	gb_profile *profile;
	gb_layout *lay;
} held;

/*
 * Frees what h holds.  Once the editions are written, a long book's layout
 * and what drew its PDF (libqpdf's objects, cairo's) are left to the
 * process's exit, which frees them at once (one by one they took 40 ms of
 * a 300-page build), as compilers leave theirs, unless the program looks
 * for leaks: built with AddressSanitizer, or run with GSI_BOOK_FREE_AT_EXIT
 * set (for valgrind).  written: the editions are.
 */
static void release(held *h, bool written)
{
	bool leak_check = g_getenv("GSI_BOOK_FREE_AT_EXIT") != NULL;
#if defined(__SANITIZE_ADDRESS__)
	leak_check = true;
#endif
	if (written && !leak_check)
		h->lay = NULL;
	if (h->lay)
		gb_layout_free(h->lay);
	gb_profile_free(h->profile);
	gb_style_free(h->style);
	gb_fontset_free(h->fonts);
	g_free(h->data);
	gb_book_free(h->book);
}

/* The EPUB of book, built in a thread of its own. */
typedef struct epub_job {
	const gb_book *book;
	const gb_epub_options *opt;
	gb_diag *d;
	GBytes *epub;
} epub_job;

static gpointer build_epub(gpointer p)
{
	epub_job *job = p;
	job->epub = gb_epub_build(job->book, job->opt, job->d);
	return NULL;
}

/*
 * The print pipeline, of pdf and of all (both): the book, its design and
 * the printer profile; the book set, then drawn; with both, the EPUB built meanwhile with the PDF's
 * page numbers; then the editions written.  One cleanup path; the PDF's
 * messages are flushed before the EPUB's.
 */
static int print_editions(gb_run *r, bool both)
{
	int ret = EXIT_INPUT;
	char *data = NULL, *css = NULL, *from = NULL, *pdf_path = NULL, *epub_path = NULL;
	gb_style *style = NULL;
	gb_fontset *fonts = NULL;
	gb_layout *lay = NULL;
	gb_profile *profile = NULL;
	GBytes *pdf = NULL, *epub = NULL;
	gb_book *book = NULL;
	GArray *starts = NULL;
	gb_epub_options eopt = { 0 };
	epub_job job = { 0 };
	if (!load_print(r, &book, &data, &style, &fonts, &profile))
		goto out;
	if (both)
		gb_verbose(r, "loaded the fonts and the style");
	gb_pdf_options popt = pdf_options(r, profile, 0, 0);
	gb_break_stats stats = { 0 }, first_fit = { 0 };
	gb_measure_lines *ff_lines = r->stats ? gb_measure_lines_new() : NULL;
	lay = typeset_for(r, book, style, fonts, profile,
			  r->stats ? &stats : NULL, r->stats ? &first_fit : NULL, ff_lines);
	gb_diag_flush(r->d);
	gb_verbose(r, "typeset the book");
	if (!lay) {
		gb_measure_lines_free(ff_lines);
		goto out;
	}
	if (r->stats) {
		int widows, orphans;
		gb_layout_widows(lay, &widows, &orphans);
		print_stats("total-fit", &stats, widows, orphans);
		print_stats("first-fit (Pango, same text and measure)", &first_fit, -1, -1);
		print_figures(lay, ff_lines);
	}
	gb_measure_lines_free(ff_lines);
	ff_lines = NULL;
	if (r->dump_layout) {
		GString *text = g_string_new(NULL);
		gb_layout_dump(lay, text);
		ret = gb_emit(r, text);
		g_string_free(text, TRUE);
		goto out;
	}
	double sw = 0, sh = 0;
	if (r->booklet && !gb_paper_size(r->sheet ? r->sheet : "a4", &sh, &sw)) {
		gb_error(r->d, gb_noloc(), "unknown sheet '%s' (a4 or letter)", r->sheet);
		gb_diag_flush(r->d);
		goto out;
	}
	if (r->booklet)
		popt = pdf_options(r, profile, sw, sh);
	GThread *worker = NULL;
	if (both) {
		css = g_build_filename(data, "styles", "epub.css", NULL);
		/* which print edition the page numbers follow */
		from = g_strdup_printf("%s, %.0f x %.0f mm, profile %s",
				       r->paper ? r->paper : profile->paper ? profile->paper :
				       gb_style_get(style, "print.paper"),
				       lay->width * 25.4 / 72, lay->height * 25.4 / 72,
				       profile->name);
		starts = gb_layout_page_starts(lay);
		eopt = (gb_epub_options){ style, fonts, css, lay->created, starts, from, NULL, false };
		eopt.dest_pages = gb_layout_dest_pages(lay);
		/* the EPUB is built in a thread of its own while the PDF is
		   drawn: both only read the book, and the EPUB of the layout
		   only starts and dest_pages (what the pages keep when the PDF
		   frees their boxes, gb_pdf_render_freeing); each reports
		   to its own diagnostics, printed PDF's first.  This function
		   starts and joins it.  It pays: `all` of a 300-page book took
		   783 ms at best with it, 1023 ms without (7 runs of each, in
		   turn, on a shared 2-core machine) */
		job = (epub_job){ book, &eopt, gb_diag_new("gsi-book", stderr), NULL };
		gb_diag_set_quiet(job.d, r->quiet);
		worker = g_thread_new("epub", build_epub, &job);
	}
	pdf = gb_pdf_render_freeing(lay, &popt, r->d);
	if (both) {
		gb_verbose(r, "drew the PDF");
		g_thread_join(worker);
		epub = job.epub;
		gb_verbose(r, "built the EPUB");
	}
	/* the PDF's messages first, then the EPUB's, counted as the run's */
	gb_diag_flush(r->d);
	if (both) {
		gb_diag_move(r->d, job.d);
		gb_diag_flush(r->d);
	} else {
		gb_verbose(r, "wrote the PDF");
	}
	if (!pdf || (both && !epub))
		goto out;
	if (both) {
		epub_path = named_in(r->out ? r->out : "dist", book, "epub");
		pdf_path = named_in(r->out ? r->out : "dist", book, "pdf");
		ret = write_edition(r, pdf_path, pdf, true);
		if (!ret)
			ret = write_edition(r, epub_path, epub, true);
	} else {
		bool make_dir;
		pdf_path = edition_path(r, book, "pdf", &make_dir);
		ret = write_edition(r, pdf_path, pdf, make_dir);
	}
out:
	if (ret)
		not_written(r, both ? "the editions were not both written" : "no PDF written");
	if (job.d)
		gb_diag_free(job.d);
	if (starts)
		g_array_unref(starts);
	if (eopt.dest_pages)
		g_hash_table_destroy(eopt.dest_pages);
	g_free(from);
	g_free(css);
	g_free(epub_path);
	g_free(pdf_path);
	if (pdf)
		g_bytes_unref(pdf);
	if (epub)
		g_bytes_unref(epub);
	release(&(held){ book, data, style, fonts, profile, lay },
		!ret);
	return ret;
}

int gb_cmd_pdf(gb_run *r)
{
	double w, h;
	if (r->paper && !gb_paper_size(r->paper, &w, &h)) {
		int ret = gb_usage_error(r, "unknown paper '%s' (a5, b5, a4, letter, 6x9in, 5.5x8.5in, or WxH in mm or in)",
					 r->paper, "pdf");
		r->paper = NULL;
		return ret;
	}
	return print_editions(r, false);
}

/*
 * gsi-book cover: the print edition typeset for the profile (default:
 * kdp) for its trim and real page count, then the full-wrap cover sized
 * from them and the paper (--paper white, cream or color: the stock, not
 * the trim), written to dist/<title>.cover.pdf.
 */
/*
 * gsi-book cover --ebook: the store's marketing cover, the front as a
 * JPEG (gb_cover_store_jpeg), to dist/<title>.cover.jpg.
 */
static int store_cover(gb_run *r)
{
	int ret = EXIT_INPUT;
	char *data = NULL, *path = NULL, *image = NULL;
	gb_style *style = NULL;
	gb_fontset *fonts = NULL;
	GBytes *jpeg = NULL;
	gb_book *book = load(r);
	if (!book || !load_design(r, book, &data, &style, &fonts))
		goto out;
	image = book->meta.cover_image ?
		g_build_filename(book->dir, book->meta.cover_image, NULL) : NULL;
	gb_loc image_loc = gb_loc_at(g_ptr_array_index(book->files, 0), 0);
	jpeg = gb_cover_store_jpeg(&book->meta, style, fonts, image, image_loc, r->d);
	gb_diag_flush(r->d);
	if (!jpeg || refused(r))
		goto out;
	bool make_dir;
	path = edition_path(r, book, "cover.jpg", &make_dir);
	ret = write_edition(r, path, jpeg, make_dir);
out:
	if (ret)
		not_written(r, "no cover written");
	if (jpeg)
		g_bytes_unref(jpeg);
	g_free(image);
	g_free(path);
	gb_style_free(style);
	gb_fontset_free(fonts);
	g_free(data);
	gb_book_free(book);
	return ret;
}

int gb_cmd_cover(gb_run *r)
{
	if (r->ebook && (r->paper || r->pad || r->profile || r->trim))
		return gb_usage_error(r, "option '%s' is not for gsi-book cover --ebook "
				      "(the store's cover is the front alone)",
				      r->paper ? "--paper" : r->pad ? "--pad" :
				      r->profile ? "--profile" : "--trim", "cover");
	double tw, th;
	if (r->trim && !gb_paper_size(r->trim, &tw, &th))
		return gb_usage_error(r, "unknown trim '%s' (a5, b5, a4, letter, 6x9in, "
				      "5.5x8.5in, or WxH in mm or in)", r->trim, "cover");
	if (r->booklet || r->stats || r->dump_layout || r->marks || r->gray || r->sheet)
		return gb_usage_error(r, "option '%s' is not for gsi-book cover",
				      r->booklet ? "--booklet" : r->stats ? "--stats" :
				      r->dump_layout ? "--dump-layout" : r->marks ? "--marks" :
				      r->gray ? "--gray" : "--sheet", "cover");
	if (r->ebook)
		return store_cover(r);
	const char *stock = r->paper ? r->paper : "white";
	if (strcmp(stock, "white") && strcmp(stock, "cream") && strcmp(stock, "color"))
		return gb_usage_error(r, "unknown paper '%s' (white, cream or color: "
				      "the stock; a trim is --trim SIZE)", stock, "cover");
	/* the interior is set on the trim --trim names, as pdf --paper */
	r->paper = r->trim;
	if (!r->profile)
		r->profile = "kdp";
	int ret = EXIT_INPUT;
	gb_book *book = NULL;
	char *data = NULL, *path = NULL, *image = NULL;
	gb_style *style = NULL, *profiles = NULL;
	gb_fontset *fonts = NULL;
	gb_profile *profile = NULL;
	gb_layout *lay = NULL;
	GBytes *pdf = NULL;
	gb_wrap w;
	if (!load_print(r, &book, &data, &style, &fonts, &profile))
		goto out;
	char *ppath = g_build_filename(data, "styles", "profiles.yaml", NULL);
	profiles = gb_style_load(ppath, r->d);
	g_free(ppath);
	/* the printer's cover data checked before the book is set */
	if (!profiles || !gb_wrap_size(profiles, profile->name, stock, 0, 0, 0, &w, r->d))
		goto out;
	lay = typeset_for(r, book, style, fonts, profile, NULL, NULL, NULL);
	gb_diag_flush(r->d);
	if (!lay)
		goto out;
	if (!gb_wrap_size(profiles, profile->name, stock, (int)lay->pages->len,
			  lay->width, lay->height, &w, r->d))
		goto out;
	image = book->meta.cover_image ?
		g_build_filename(book->dir, book->meta.cover_image, NULL) : NULL;
	/* where book.yaml names it, as the loader's messages say */
	gb_loc image_loc = gb_loc_at(g_ptr_array_index(book->files, 0), 0);
	if (w.isbn_barcode && !book->meta.print_isbn)
		gb_warning(r->d, image_loc, "%s's cover carries the print ISBN's "
			   "barcode, and the book has no 'print-isbn': the barcode "
			   "area is left empty", profile->name);
	/* the cover is finished as the interior is: PDF/X-4 from the
	   printer's profile */
	gb_pdf_options popt = pdf_options(r, profile, 0, 0);
	pdf = gb_pdf_cover(lay, &popt, &book->meta, style, fonts, &w, image,
			   profile->image_dpi, image_loc, r->d);
	gb_diag_flush(r->d);
	if (!pdf || refused(r))
		goto out;
	bool make_dir;
	path = edition_path(r, book, "cover.pdf", &make_dir);
	ret = write_edition(r, path, pdf, make_dir);
out:
	if (ret)
		not_written(r, "no cover written");
	if (pdf)
		g_bytes_unref(pdf);
	g_free(image);
	g_free(path);
	gb_style_free(profiles);
	release(&(held){ book, data, style, fonts, profile, lay }, false);
	return ret;
}

int gb_cmd_all(gb_run *r)
{
	if (r->booklet || r->stats || r->dump_layout)
		return gb_usage_error(r, "option '%s' is for gsi-book pdf only",
				      r->booklet ? "--booklet" : r->stats ? "--stats" : "--dump-layout",
				      "all");
	/* -o names the folder both go into: 'x.pdf' is a slip for pdf -o */
	if (r->out && edition_name(r->out) && !g_file_test(r->out, G_FILE_TEST_IS_DIR))
		return gb_usage_error(r, "'all' writes two files into the folder -o names, not one file: '%s' "
				      "(for one edition: gsi-book pdf -o FILE or gsi-book epub -o FILE)",
				      r->out, "all");
	return print_editions(r, true);
}

gb_typeset_book *gb_typeset_book_new(gb_run *r)
{
	return gb_typeset_book_with(r, NULL);
}

gb_typeset_book *gb_typeset_book_design(gb_run *r)
{
	gb_typeset_book *t = g_new0(gb_typeset_book, 1);
	if (!load_design(r, NULL, &t->data, &t->style, &t->fonts)) {
		g_free(t);
		return NULL;
	}
	t->keep = g_new0(gb_typeset_keep, 1);
	return t;
}

gb_typeset_book *gb_typeset_book_with(gb_run *r, const gb_typeset_book *design)
{
	gb_typeset_book *t = g_new0(gb_typeset_book, 1);
	t->book = load(r);
	t->loaded = g_get_monotonic_time();
	if (t->book && design) {
		t->data = design->data;
		t->style = design->style;
		t->fonts = design->fonts;
		t->borrowed = true;
	}
	/* a borrowed design's fonts are checked for what this book reaches:
	   an edit can bring in a fallback */
	if (t->book && (design ? fonts_reached_ok(r, t->book, t->style, t->fonts) :
			load_design(r, t->book, &t->data, &t->style, &t->fonts))) {
		gb_typeset_options opt = { t->style, t->fonts, r->paper, 0,
					   NULL, NULL, 0, 0, false, NULL, 0, 0, 0, 0, 0,
					   design ? design->keep : NULL, NULL };
		if (gb_meta_timestamp(t->book, r->d, &opt.timestamp))
			t->lay = gb_typeset(t->book, &opt, r->d);
	}
	gb_diag_flush(r->d);
	if (!t->lay) {
		gb_typeset_book_free(t);
		return NULL;
	}
	return t;
}

void gb_typeset_book_free(gb_typeset_book *t)
{
	if (!t)
		return;
	if (t->lay)
		gb_layout_free(t->lay);
	if (t->keep) {
		gb_typeset_keep_clear(t->keep);
		g_free(t->keep);
	}
	if (!t->borrowed) {
		gb_style_free(t->style);
		gb_fontset_free(t->fonts);
		g_free(t->data);
	}
	gb_book_free(t->book);
	g_free(t);
}

int gb_cmd_preview(gb_run *r)
{
	int ret = EXIT_INPUT;
	int first = 0, last = 0;
	double dpi = 100;
	if (r->pages) {
		char *end;
		first = (int)strtol(r->pages, &end, 10);
		last = *end == '-' ? (int)strtol(end + 1, &end, 10) : first;
		if (*end || first < 1 || last < first)
			return gb_usage_error(r, "bad page range '%s' (A-B, from 1)", r->pages, "preview");
	}
	if (r->dpi) {
		char *end;
		dpi = g_ascii_strtod(r->dpi, &end);
		if (*end || dpi < 10 || dpi > 1200)
			return gb_usage_error(r, "bad resolution '%s' (10 to 1200 dpi)", r->dpi, "preview");
	}
	gb_typeset_book *t = gb_typeset_book_new(r);
	if (t) {
		gb_preview_options po = { r->out ? r->out : "dist/preview", first, last,
					  dpi, 24, 6, r->quiet };
		if (gb_preview(t->lay, &po, r->d))
			ret = 0;
		gb_diag_flush(r->d);
	}
	if (ret)
		not_written(r, "no preview written");
	gb_typeset_book_free(t);
	return ret;
}

typedef struct counts {
	size_t words, footnotes, tables, figures, noterefs;
} counts;

static bool count_fn(const gb_node *n, bool entering, void *ctx)
{
	counts *c = ctx;
	if (!entering)
		return true;
	switch (n->kind) {
	case GB_NODE_FOOTNOTE: c->footnotes++; break;
	case GB_NODE_TABLE: c->tables++; break;
	case GB_NODE_FIGURE: c->figures++; break;
	default: break;
	}
	return true;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * What the print edition would refuse that reading the book does not
 * find: characters no font can draw (coverage.h), tables too wide for the
 * page (cached.h), for the default printer profile, as `pdf` sets it.
 * False after reporting.
 */
static bool check_print(gb_run *r, const gb_book *book)
{
	char *data = NULL;
	gb_style *style = NULL;
	gb_fontset *fonts = NULL;
	if (!load_design(r, book, &data, &style, &fonts))
		return false;
	bool ok = gb_check_glyphs(book, fonts, style, r->d);
	gb_profile *profile = load_profile(r, data);
	if (profile && choose_bleed(r, book, profile)) {
		gb_typeset_options opt = {
			.style = style, .fonts = fonts, .paper = profile->paper,
			.min_margin = profile->min_margin,
			.gutter = gb_profile_gutter(profile, 0),
			.safety = profile->safety,
		};
		ok = gb_check_tables_cached(book, &opt, r->d) && ok;
		gb_diag_flush(r->d);
	} else {
		ok = false;
	}
	gb_profile_free(profile);
	gb_fontset_free(fonts);
	gb_style_free(style);
	g_free(data);
	return !refused(r) && ok;
}

int gb_cmd_check(gb_run *r)
{
	gb_book *book = load(r);
	if (!book)
		return EXIT_INPUT;
	if (!check_print(r, book)) {
		gb_book_free(book);
		return EXIT_INPUT;
	}
	if (!r->quiet) {
		counts c = { 0 };
		gb_node_walk(book->root, count_fn, &c);
		c.words = gb_node_word_count(book->root);
		size_t kinds[GB_PART_KIND_COUNT] = { 0 };
		size_t parts = 0;
		for (const gb_node *p = book->root->first; p; p = p->next) {
			kinds[p->part_kind]++;
			parts++;
		}
		static const char *const kind_plurals[GB_PART_KIND_COUNT] = {
			"frontmatter", "chapters", "appendices", "backmatter",
		};
		printf("%s: %s\n", r->bookdir, book->meta.title);
		printf("parts: %zu (", parts);
		const char *sep = "";
		for (int k = 0; k < GB_PART_KIND_COUNT; k++) {
			if (!kinds[k])
				continue;
			printf("%s%zu %s", sep, kinds[k],
			       kinds[k] == 1 ? gb_part_kind_name(k) : kind_plurals[k]);
			sep = ", ";
		}
		printf(")\n");
		printf("words: %zu\n", c.words);
		printf("footnotes: %zu\n", c.footnotes);
		printf("tables: %zu\n", c.tables);
		printf("figures: %zu\n", c.figures);
		printf("contents: %u %s\n", book->toc->len,
		       plural(book->toc->len, "entry", "entries"));
		int w = gb_diag_warnings(r->d);
		printf("0 errors, %d %s\n", w, plural((size_t)w, "warning", "warnings"));
	}
	gb_book_free(book);
	return 0;
}

int gb_cmd_dump(gb_run *r)
{
	gb_book *book = load(r);
	if (!book)
		return EXIT_INPUT;
	GString *out = g_string_new(NULL);
	if (r->text)
		gb_dump_text(book, out);
	else
		gb_dump_tree(book, out);
	int ret = gb_emit(r, out);
	g_string_free(out, TRUE);
	gb_book_free(book);
	return ret;
}
