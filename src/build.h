/*
 * build.h - what a command line asked for (gb_run, filled by main.c from
 * the options), and the pipelines that carry it out (build.c; run.c the
 * usage errors, --verbose lines and text outputs of every command): each
 * gb_cmd_* function loads the book and what the command needs, makes the
 * output, writes it through a temporary file, frees what it loaded, and
 * returns the exit status (0, 1 bad input, 2 bad usage) after printing
 * every diagnostic.
 *
 * Ownership: gb_run's strings are borrowed from argv; d is the caller's.
 */
#ifndef GB_BUILD_H
#define GB_BUILD_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"

/* What the options of a run asked for. */
typedef struct gb_run {
	gb_diag *d;
	const char *out;      /* -o FILE, or NULL for stdout */
	const char *bookdir;
	bool quiet, verbose, strict, text, dump_layout, stats;
	bool marks, gray, booklet;
	int bleed;              /* --bleed 1, --no-bleed -1, neither 0 */
	bool pad;               /* --pad: blank pages up to the printer's least count */
	bool ebook;             /* cover --ebook: the store's JPEG cover */
	bool kobo;            /* epub --kobo: a kepub */
	const char *profile;  /* --profile NAME */
	const char *sheet;    /* --sheet a4|letter */
	const char *pages;    /* --pages A-B */
	const char *dpi;      /* --dpi N */
	const char *paper;    /* --paper NAME */
	const char *trim;     /* cover --trim NAME: the interior's --paper */
	const char *port;     /* serve --port N */
	FILE *err;            /* where the closing lines go (NULL: stderr), as
	                         d's messages: serve catches both */
	gint64 started;       /* monotonic microseconds */
	struct gb_parse_keep *parse_keep;  /* NULL, or the parts' parse kept
	                         from the last load (serve's: source/keep.h) */
} gb_run;

/* A book loaded and typeset, with what its layout was made from. */
typedef struct gb_typeset_book {
	struct gb_book *book;
	char *data;
	struct gb_style *style;
	struct gb_fontset *fonts;
	struct gb_layout *lay;
	bool borrowed;        /* data, style and fonts are another's */
	gint64 loaded;        /* when the book was read (monotonic µs) */
	struct gb_typeset_keep *keep;  /* a design's: what the builds made
				   with it keep for the next (the Pango
				   context and its words, the hyphenation
				   dictionaries) */
} gb_typeset_book;

/* Loads and typesets r's book (r->paper); NULL after the diagnostics are
   flushed.  Free it with gb_typeset_book_free(). */
gb_typeset_book *gb_typeset_book_new(gb_run *r);
/* The design alone (data, style, fonts; no book, no layout), or NULL
   after reporting; and a book typeset with a design so loaded, which it
   borrows (free the design after every book made with it), so that the
   fonts and their FcConfig are loaded once for many builds, and the
   Pango context with its shaped words and the hyphenation dictionaries
   are kept from one build to the next (serve). */
gb_typeset_book *gb_typeset_book_design(gb_run *r);
gb_typeset_book *gb_typeset_book_with(gb_run *r, const gb_typeset_book *design);
void gb_typeset_book_free(gb_typeset_book *t);

int gb_cmd_check(gb_run *r);
int gb_cmd_dump(gb_run *r);
int gb_cmd_epub(gb_run *r);
int gb_cmd_pdf(gb_run *r);
int gb_cmd_all(gb_run *r);
int gb_cmd_preview(gb_run *r);
int gb_cmd_cover(gb_run *r);

/* Reports a usage error (fmt with arg) and how to get help on cmd (NULL:
   any); returns 2, the exit status of bad usage. */
int gb_usage_error(gb_run *r, const char *fmt, const char *arg, const char *cmd);

/* With -v, says what was done and when (milliseconds since the start). */
void gb_verbose(const gb_run *r, const char *what);

/* Writes text to r->out (through a temporary file) or to stdout. */
int gb_emit(gb_run *r, const GString *text);

#endif
