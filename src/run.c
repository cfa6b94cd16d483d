/*
 * run.c - what every command of a run says and writes (build.h): a usage
 * error, the --verbose lines, a text output to -o FILE or the standard
 * output.
 */
#include "build.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/file.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

int gb_usage_error(gb_run *r, const char *fmt, const char *arg, const char *cmd)
{
	gb_diag_report(r->d, GB_ERROR, gb_noloc(), fmt, arg);
	gb_diag_flush(r->d);
	fprintf(stderr, "usage: gsi-book %s [options] [BOOKDIR]\n"
		"Try 'gsi-book %s%s--help' for more information.\n",
		cmd ? cmd : "<command>", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

void gb_verbose(const gb_run *r, const char *what)
{
	if (r->verbose)
		fprintf(stderr, "gsi-book: %s (%.1f ms)\n", what,
			(double)(g_get_monotonic_time() - r->started) / 1000.0);
}

int gb_emit(gb_run *r, const GString *text)
{
	if (!r->out) {
		fwrite(text->str, 1, text->len, stdout);
		if (fflush(stdout) == 0 && !ferror(stdout))
			return 0;
		gb_error(r->d, gb_noloc(), "cannot write to the standard output: %s",
			 g_strerror(errno));
		gb_diag_flush(r->d);
		return EXIT_INPUT;
	}
	int e = 0;
	if (!gb_file_write_atomic(r->out, text->str, text->len, &e)) {
		gb_error(r->d, gb_noloc(), "cannot write '%s': %s", r->out,
			 g_strerror(e));
		gb_diag_flush(r->d);
		return EXIT_INPUT;
	}
	gb_verbose(r, "wrote the output");
	return 0;
}
