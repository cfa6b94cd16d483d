/*
 * main.c - the gsi-book command: options, then one row of commands[] per
 * subcommand, as in git.c.
 */
#include <errno.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "serve.h"
#include "base/diag.h"
#include "source/meta.h"

#ifndef GB_VERSION
#define GB_VERSION "unknown"
#endif

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct command {
	const char *name;
	int (*fn)(gb_run *r);
	const char *summary;
	const char *options;  /* extra option lines for --help */
	bool writes;          /* takes -o FILE */
	bool has_text;        /* takes --text */
	bool prints;          /* takes --paper and --dump-layout */
} command;


static const command commands[] = {
	{ "check", gb_cmd_check,
	  "parse and validate a book, then summarize it", "", false, false, false },
	{ "dump", gb_cmd_dump,
	  "print the document tree as indented text",
	  "  -o, --output FILE  write to FILE (through a temporary file) instead of\n"
	  "                     standard output\n"
	  "      --text         print only the text, a block a line, in reading order\n",
	  true, true, false },
	{ "epub", gb_cmd_epub,
	  "write the EPUB 3 edition (default: dist/<title>.epub)",
	  "  -o, --output FILE  write to FILE (through a temporary file); into FILE\n"
	  "                     as <title>.epub when FILE is a directory or ends in /\n"
	  "      --kobo         write a kepub for Kobo readers, <title>.kepub.epub:\n"
	  "                     the EPUB with Kobo's sentence spans and wrappers\n"
	  "                     (pop-up notes, page numbers, reading statistics)\n",
	  true, false, false },
	{ "pdf", gb_cmd_pdf,
	  "write the print edition, a typeset PDF (default: dist/<title>.pdf)",
	  "  -o, --output FILE  write to FILE (through a temporary file); into FILE\n"
	  "                     as <title>.pdf when FILE is a directory or ends in /\n"
	  "      --paper NAME   trim size: a5, b5, a4, letter, 6x9in, 5.5x8.5in,\n"
	  "                     or WxH in mm or in (default: styles/style.yaml)\n"
	  "      --dump-layout  print the pages' boxes as text instead (for tests)\n"
	  "      --stats        print the line breaking's figures and the pages'\n"
	  "                     (those of tests/measure.py), and first-fit's\n"
	  "      --profile NAME printer profile: screen (default), kdp, ingram, lulu,\n"
	  "                     office (styles/profiles.yaml)\n"
	  "      --marks        crop marks in registration colour outside the bleed\n"
	  "                     (a booklet: trim and fold marks), where the profile\n"
	  "                     allows\n"
	  "      --gray         every colour to gray\n"
	  "      --pad          blank pages at the end up to the printer's least\n"
	  "                     page count (styles/profiles.yaml: pages)\n"
	  "      --bleed        pages with the printer's bleed, where it takes a\n"
	  "                     file without (a picture meant to bleed asks for it\n"
	  "                     too; styles/profiles.yaml: bleed)\n"
	  "      --no-bleed     pages of the trim's size, where the printer takes\n"
	  "                     them (KDP: choose \"No bleed\" at the upload)\n"
	  "      --booklet      impose two up for saddle stitching\n"
	  "      --sheet NAME   the booklet's sheet: a4 (default) or letter\n",
	  true, false, true },
	{ "all", gb_cmd_all,
	  "typeset once, write the PDF and the EPUB with the PDF's page numbers",
	  "  -o, --output DIR   write both into DIR (default: dist)\n"
	  "      --paper NAME   trim size, as for pdf\n"
	  "      --profile NAME printer profile, as for pdf\n"
	  "      --marks, --gray  as for pdf\n"
	  "      --bleed, --no-bleed  as for pdf\n",
	  true, false, true },
	{ "cover", gb_cmd_cover,
	  "write the full-wrap paperback cover, one PDF page",
	  "  -o, --output FILE  write to FILE (through a temporary file; default:\n"
	  "                     dist/<title>.cover.pdf)\n"
	  "      --profile NAME printer: kdp (default), ingram or lulu\n"
	  "                     (styles/profiles.yaml)\n"
	  "      --paper NAME   the interior's paper: white (default), cream or color;\n"
	  "                     with the page count it sets the spine's width\n"
	  "      --trim NAME    the interior's trim, as pdf's --paper (default: the\n"
	  "                     profile's or the style's)\n"
	  "      --pad          as for pdf: the cover of the interior padded to the\n"
	  "                     printer's least page count\n"
	  "      --bleed, --no-bleed  as for pdf: the cover of that interior (the\n"
	  "                     cover itself always has bleed)\n"
	  "      --ebook        write the store's marketing cover instead: the front,\n"
	  "                     1600 x 2560 pixels, as a JPEG (<title>.cover.jpg)\n",
	  true, false, true },
	{ "preview", gb_cmd_preview,
	  "render pages as PNG pictures, with spreads and a contact sheet",
	  "  -o, --output DIR   write into DIR (default: dist/preview)\n"
	  "      --pages A-B    only pages A to B (from 1), or one page A\n"
	  "      --dpi N        resolution of pages and spreads (default: 100)\n"
	  "      --paper NAME   trim size, as for pdf\n",
	  true, false, true },
	{ "serve", gb_cmd_serve,
	  "a live preview: serve the pages on 127.0.0.1, rebuilt on every save",
	  "      --port N       listen on 127.0.0.1:N (default: 8100; 0: any free\n"
	  "                     port, printed)\n",
	  false, false, false },
};

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_main_help(FILE *fp)
{
	fprintf(fp,
		"usage: gsi-book <command> [options] [BOOKDIR]\n"
		"       gsi-book --help | --version\n"
		"\n"
		"Builds a book from BOOKDIR (default: ./book, or the current directory\n"
		"when it holds book.yaml), a directory holding book.yaml and the\n"
		"Markdown files it lists.\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
		"\n"
		"'gsi-book <command> --help' describes a command's options.\n"
		"Exit status: 0 success, 1 bad input, 2 bad usage.\n");
}

static void print_command_help(const command *c, FILE *fp)
{
	fprintf(fp, "usage: gsi-book %s [options] [BOOKDIR]\n\n", c->name);
	fprintf(fp, "%c%s.\n\n", g_ascii_toupper(c->summary[0]), c->summary + 1);
	fprintf(fp, "options:\n%s", c->options);
	fprintf(fp,
		"      --strict       fail (exit 1) on warnings too\n"
		"  -q, --quiet        print errors only\n"
		"  -v, --verbose      say what is read and how long it takes\n"
		"  -h, --help         show this help\n"
		"\n"
		"BOOKDIR defaults to ./book, or to the current directory when it holds\n"
		"book.yaml.\n");
}

/*
 * The book when no BOOKDIR is given: ./book when it holds a book.yaml;
 * else the current folder when it holds one (gsi-book run inside a book);
 * else ./book when it exists at all (the loader says what it lacks); else
 * NULL: there is no book here.
 */
static const char *default_bookdir(void)
{
	if (g_file_test("book/book.yaml", G_FILE_TEST_EXISTS))
		return "book";
	if (g_file_test("book.yaml", G_FILE_TEST_EXISTS))
		return ".";
	if (g_file_test("book", G_FILE_TEST_EXISTS))
		return "book";
	return NULL;
}

enum { OPT_STRICT = 256, OPT_TEXT, OPT_PAPER, OPT_DUMP_LAYOUT, OPT_STATS,
       OPT_PROFILE, OPT_MARKS, OPT_GRAY, OPT_BOOKLET, OPT_SHEET, OPT_PAGES,
       OPT_DPI, OPT_KOBO, OPT_PAD, OPT_EBOOK, OPT_TRIM,
       OPT_BLEED, OPT_NO_BLEED, OPT_PORT };

static int run_command(const command *cmd, gb_run *r, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ "dump-layout", no_argument, NULL, OPT_DUMP_LAYOUT },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "marks", no_argument, NULL, OPT_MARKS },
		{ "gray", no_argument, NULL, OPT_GRAY },
		{ "booklet", no_argument, NULL, OPT_BOOKLET },
		{ "pad", no_argument, NULL, OPT_PAD },
		{ "sheet", required_argument, NULL, OPT_SHEET },
		{ "pages", required_argument, NULL, OPT_PAGES },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "kobo", no_argument, NULL, OPT_KOBO },
		{ "ebook", no_argument, NULL, OPT_EBOOK },
		{ "trim", required_argument, NULL, OPT_TRIM },
		{ "bleed", no_argument, NULL, OPT_BLEED },
		{ "no-bleed", no_argument, NULL, OPT_NO_BLEED },
		{ "port", required_argument, NULL, OPT_PORT },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd_name = cmd->name;
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, ":ho:qv", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			print_command_help(cmd, stdout);
			return 0;
		case 'o':
			if (!cmd->writes)
				return gb_usage_error(r, "'%s' writes no file: -o is not an option of it",
						   cmd->name, cmd_name);
			r->out = optarg;
			break;
		case 'q': r->quiet = true; break;
		case 'v': r->verbose = true; break;
		case OPT_STRICT: r->strict = true; break;
		case OPT_KOBO:
			if (cmd->fn != gb_cmd_epub)
				return gb_usage_error(r, "unknown option '%s'", "--kobo", cmd_name);
			r->kobo = true;
			break;
		case OPT_EBOOK:
		case OPT_TRIM:
			if (cmd->fn != gb_cmd_cover)
				return gb_usage_error(r, "unknown option '%s'",
						   opt == OPT_EBOOK ? "--ebook" : "--trim", cmd_name);
			if (opt == OPT_EBOOK)
				r->ebook = true;
			else
				r->trim = optarg;
			break;
		case OPT_BLEED:
		case OPT_NO_BLEED:
			if (cmd->fn != gb_cmd_pdf && cmd->fn != gb_cmd_all &&
			    cmd->fn != gb_cmd_cover)
				return gb_usage_error(r, "unknown option '%s'",
						   argv[optind - 1], cmd_name);
			if (r->bleed == (opt == OPT_BLEED ? -1 : 1))
				return gb_usage_error(r, "%s", "--bleed and --no-bleed "
						   "cannot be used together", cmd_name);
			r->bleed = opt == OPT_BLEED ? 1 : -1;
			break;
		case OPT_PORT:
			if (cmd->fn != gb_cmd_serve)
				return gb_usage_error(r, "unknown option '%s'", "--port", cmd_name);
			r->port = optarg;
			break;
		case OPT_TEXT:
			if (!cmd->has_text)
				return gb_usage_error(r, "unknown option '%s'", "--text", cmd_name);
			r->text = true;
			break;
		case OPT_PAPER:
		case OPT_DUMP_LAYOUT:
		case OPT_STATS:
		case OPT_PROFILE:
		case OPT_MARKS:
		case OPT_GRAY:
		case OPT_BOOKLET:
		case OPT_PAD:
		case OPT_SHEET:
		case OPT_PAGES:
		case OPT_DPI:
			if (!cmd->prints ||
			    ((opt == OPT_PAGES || opt == OPT_DPI) != (cmd->fn == gb_cmd_preview)))
				return gb_usage_error(r, "unknown option '%s'",
						   argv[optind - 1], cmd_name);
			switch (opt) {
			case OPT_PAPER: r->paper = optarg; break;
			case OPT_STATS: r->stats = true; break;
			case OPT_PROFILE: r->profile = optarg; break;
			case OPT_MARKS: r->marks = true; break;
			case OPT_GRAY: r->gray = true; break;
			case OPT_BOOKLET: r->booklet = true; break;
			case OPT_PAD: r->pad = true; break;
			case OPT_SHEET: r->sheet = optarg; break;
			case OPT_PAGES: r->pages = optarg; break;
			case OPT_DPI: r->dpi = optarg; break;
			default: r->dump_layout = true; break;
			}
			break;
		case ':':
			return gb_usage_error(r, "option '%s' needs a value",
					   argv[optind - 1], cmd_name);
		default: {
			char shortopt[3] = { '-', (char)optopt, '\0' };
			return gb_usage_error(r, "unknown option '%s'",
					   optopt ? shortopt : argv[optind - 1],
					   cmd_name);
		}
		}
	}
	if (argc - optind > 1)
		return gb_usage_error(r, "too many arguments: '%s'", argv[optind + 1],
				   cmd_name);
	r->bookdir = optind < argc ? argv[optind] : default_bookdir();
	if (!r->bookdir)
		return gb_usage_error(r, "%s", "no book here: the current folder holds neither "
				   "'book/' nor 'book.yaml' (name the book's folder: BOOKDIR)",
				   cmd_name);
	if (r->quiet && r->verbose)
		return gb_usage_error(r, "%s", "-q and -v cannot be used together",
				   cmd_name);
	gb_diag_set_quiet(r->d, r->quiet);
	return cmd->fn(r);
}

static int dispatch(gb_run *r, int argc, char **argv)
{
	if (argc < 2) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		print_main_help(stdout);
		return 0;
	}
	if (!strcmp(name, "--version")) {
		printf("gsi-book %s\n", GB_VERSION);
		return 0;
	}
	if (!strcmp(name, "help")) {
		const command *c = argc > 2 ? find_command(argv[2]) : NULL;
		if (argc > 2 && !c)
			return gb_usage_error(r, "unknown command '%s'", argv[2], NULL);
		if (c)
			print_command_help(c, stdout);
		else
			print_main_help(stdout);
		return 0;
	}
	const command *cmd = find_command(name);
	if (!cmd) {
		const char *best = NULL;
		size_t best_d = 3;
		for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
			size_t dist = gb_edit_distance(name, commands[i].name);
			if (dist < best_d) {
				best_d = dist;
				best = commands[i].name;
			}
		}
		if (name[0] == '-')
			return gb_usage_error(r, "unknown option '%s' (options come after the command)",
					   name, NULL);
		if (best) {
			gb_error(r->d, gb_noloc(), "unknown command '%s'; did you mean '%s'?",
				 name, best);
			gb_diag_flush(r->d);
			fprintf(stderr, "Try 'gsi-book --help' for the list of commands.\n");
			return EXIT_USAGE;
		}
		return gb_usage_error(r, "unknown command '%s'", name, NULL);
	}
	return run_command(cmd, r, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	gb_run r = { 0 };
	r.started = g_get_monotonic_time();
	r.d = gb_diag_new("gsi-book", stderr);
	int ret = dispatch(&r, argc, argv);
	gb_diag_free(r.d);
	gb_verbose(&r, "done");
	return ret;
}
