/*
 * serve.h - gsi-book serve: the live preview.  An HTTP server on
 * 127.0.0.1 only that answers only requests naming 127.0.0.1 or localhost
 * as their Host, shows the print edition's pages as pictures (through the
 * preview's device code), watches the book's folder and rebuilds on every
 * save (bursts and saves by rename debounced into one rebuild), and says
 * how the last rebuild went at GET /status:
 *
 *   {"build": 3, "ok": true, "pages": 13, "pages_changed": 1, "changed": [7],
 *    "ms": 41.2, "parts_parsed": 1, "parts_kept": 11,
 *    "parts_keyed": 11, "parts_same": 10, "parts_same_differ": 0,
 *    "errors": [{"file": "book/a.md", "line": 12, "col": 3,
 *                "severity": "error", "message": "..."}]}
 *
 * A rebuild that fails keeps the last good pages; its diagnostics are in
 * "errors" and in the page's panel.  The full editions (the PDF and the
 * EPUB, whose chapters the page shows) are written in the background by a
 * child process after each good build ("editions": the build they are
 * of), the child of an older build stopped when a new one starts.  SIGINT and SIGTERM stop the server
 * cleanly (its pictures, in a private temporary folder, are removed).
 *
 * The HTTP side (serve.c) and the building side (rebuild.c), at the top
 * of src/ beside build.c whose pipelines they run, share the
 * gb_serve state below, under its lock; the layout and the pictures are
 * the main thread's, which the HTTP threads ask for a picture.
 */
#ifndef GB_SERVE_H
#define GB_SERVE_H

#include <glib.h>
#include <stdbool.h>

#include "build.h"

/* Changed pages drawn before /status shows a rebuild; listed in it. */
enum { GB_SERVE_DRAWN = 4, GB_SERVE_LISTED = 100 };

typedef struct gb_serve {
	gb_run *r;            /* the command line: bookdir, paper */
	char *root;           /* private temporary folder of the builds */
	int port;
	GRWLock lock;         /* guards the fields below */
	int build;            /* rebuilds done, the first build included */
	bool ok;              /* the last rebuild succeeded */
	int pages;            /* pages of the last good build */
	int pages_changed;    /* pages whose layout the last rebuild changed */
	GArray *changed;      /* their indices (guint), from 0 */
	double ms;            /* how long the last rebuild took */
	double cpu_ms;        /* the CPU time it took (the main thread's) */
	double phases[4];     /* its wall time reading the book, laying it
	                         out, comparing the pages, drawing the
	                         changed ones (ms) */
	int parts_parsed;     /* part files the last rebuild parsed, and */
	int parts_kept;       /* those whose last parse it took again
	                         (unchanged: source/keep.h) */
	int parts_keyed;      /* parts the last rebuild set on all cores that
	                         have a key (typeset.h's gb_typeset_keep), */
	int parts_same;       /* and those whose key the build before had
	                         too: all their pages are made of unchanged */
	int parts_same_differ; /* of those, the ones whose pages differ all
	                         the same (a check of the keys: 0) */
	GString *errors;      /* JSON array of the last rebuild's diagnostics
	                         (and of its editions', when they failed) */
	/* the full editions, written in the background (a child `gsi-book
	   all`) after each good build, into a folder of root's */
	int editions;         /* the build whose PDF and EPUB these are (0: none yet) */
	char *editions_dir;   /* their folder, and their paths in it */
	char *pdf, *epub;
	/* the main thread's: the child writing the next editions (NULL: none) and
	   how many children have not yet been reaped (cancelled ones too) */
	struct gb_editions_job *job;
	int children;
	/* the main thread's only: the last good build's layout (the next
	   build's pages are compared with its pages) and each page's
	   picture (drawn when first asked for) */
	gb_typeset_book *design;  /* the design every build borrows */
	struct gb_parse_keep *parse_keep;  /* the parts' parse, kept (source/keep.h) */
	gb_typeset_book *tb;
	GPtrArray *pictures;  /* GBytes * or NULL, a page each */
	gint active;          /* requests being answered (atomic: the
	                         threads that answer them count them) */
} gb_serve;

/* Rebuilds the book's layout and updates s, then starts writing the full
   editions in the background (stopping the child still writing older
   ones).  The main thread's. */
void gb_serve_rebuild(gb_serve *s);

/* Page index i of the last good build as a PNG (a new reference), drawn
   when first asked for; NULL when there is no such page.  The main
   thread's. */
GBytes *gb_serve_picture(gb_serve *s, guint i);

/* Frees what the builds hold, stopping and reaping the editions' child
   (the main loop's context is iterated until it is reaped). */
void gb_serve_clear(gb_serve *s);

/* The answer to GET /status, under the lock (the caller frees it). */
char *gb_serve_status(gb_serve *s);

int gb_cmd_serve(gb_run *r);

#endif
