/*
 * diag.h - diagnostics in git's style.
 *
 *   gsi-book: book/article.md:12:3: error: footnote [^2] is never defined
 *
 * Messages are collected in a gb_diag and printed, sorted by file and
 * position, by gb_diag_flush(), so that a run reports every problem at once
 * and in reading order.  Message text follows git's CodingGuidelines:
 * lowercase, no full stop, the subject quoted.
 *
 * Ownership: gb_diag_new() returns a context the caller frees with
 * gb_diag_free().  The gb_file of every gb_loc reported must stay alive until
 * the next gb_diag_flush().
 */
#ifndef GB_DIAG_H
#define GB_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/file.h"

typedef enum gb_severity {
	GB_NOTE,
	GB_WARNING,
	GB_ERROR,
} gb_severity;

typedef struct gb_diag gb_diag;

/* A context printing to out (normally stderr), prog being "gsi-book". */
gb_diag *gb_diag_new(const char *prog, FILE *out);
void gb_diag_free(gb_diag *d);

/* Quiet: warnings and notes are counted but not printed. */
void gb_diag_set_quiet(gb_diag *d, bool quiet);

/* Records a message at loc (loc.file NULL: no position). */
void gb_diag_report(gb_diag *d, gb_severity sev, gb_loc loc,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define gb_error(d, loc, ...) gb_diag_report((d), GB_ERROR, (loc), __VA_ARGS__)
#define gb_warning(d, loc, ...) gb_diag_report((d), GB_WARNING, (loc), __VA_ARGS__)
#define gb_note(d, loc, ...) gb_diag_report((d), GB_NOTE, (loc), __VA_ARGS__)

/* A location with no file: the message is about the run itself. */
gb_loc gb_noloc(void);

/* Prints the recorded messages in file order, then forgets them. */
void gb_diag_flush(gb_diag *d);

/*
 * Moves the messages recorded in from (not printed yet) to the end of to,
 * with their counts: work done on trial reports only if it is kept.  A NULL
 * to drops them.
 */
void gb_diag_move(gb_diag *to, gb_diag *from);

/*
 * Moves the messages recorded in from (not printed yet) to the end of to,
 * as if they had been reported to to in their order: a warning to already
 * had at the same place is dropped, with its notes.  Work done apart (a
 * part set on a worker) reports as if done in to's order.
 */
void gb_diag_replay(gb_diag *to, gb_diag *from);

int gb_diag_errors(const gb_diag *d);
int gb_diag_warnings(const gb_diag *d);

#endif
