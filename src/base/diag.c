/* diag.c - collecting and printing diagnostics. */
#include "base/diag.h"

#include <glib.h>
#include <stdarg.h>

typedef struct message {
	gb_severity sev;
	gb_loc loc;
	unsigned seq;      /* order of reporting, to keep the sort stable */
	char *text;
} message;

struct gb_diag {
	char *prog;
	FILE *out;
	bool quiet;
	GArray *pending;   /* message */
	unsigned seq;
	int errors;
	int warnings;
	GHashTable *warned;  /* "file:offset:text" of each warning reported */
	bool dropping;       /* the last warning was one again: its notes go */
};

static const char *const severity_names[] = {
	[GB_NOTE] = "note",
	[GB_WARNING] = "warning",
	[GB_ERROR] = "error",
};

gb_diag *gb_diag_new(const char *prog, FILE *out)
{
	gb_diag *d = g_new0(gb_diag, 1);
	d->prog = g_strdup(prog);
	d->out = out;
	d->pending = g_array_new(FALSE, FALSE, sizeof(message));
	d->warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return d;
}

void gb_diag_free(gb_diag *d)
{
	if (!d)
		return;
	gb_diag_flush(d);
	g_array_free(d->pending, TRUE);
	g_hash_table_destroy(d->warned);
	g_free(d->prog);
	g_free(d);
}

void gb_diag_set_quiet(gb_diag *d, bool quiet)
{
	d->quiet = quiet;
}

gb_loc gb_noloc(void)
{
	gb_loc loc = { NULL, GB_NOPOS };
	return loc;
}

void gb_diag_report(gb_diag *d, gb_severity sev, gb_loc loc,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message m = { sev, loc, d->seq, g_strdup_vprintf(fmt, ap) };
	va_end(ap);
	/* a warning said again at the same place (the typesetter sets a book
	   more than once: its passes, a printer's gutter) is said once, with
	   its notes */
	if (sev == GB_NOTE && d->dropping) {
		g_free(m.text);
		return;
	}
	d->dropping = false;
	if (sev == GB_WARNING) {
		char *key = g_strdup_printf("%d:%zu:%s", loc.file ? loc.file->index : -1,
					    loc.off, m.text);
		if (!g_hash_table_add(d->warned, key)) {
			d->dropping = true;
			g_free(m.text);
			return;
		}
	}
	d->seq++;
	if (sev == GB_ERROR)
		d->errors++;
	else if (sev == GB_WARNING)
		d->warnings++;
	g_array_append_val(d->pending, m);
}

void gb_diag_move(gb_diag *to, gb_diag *from)
{
	for (guint i = 0; i < from->pending->len; i++) {
		message m = g_array_index(from->pending, message, i);
		if (!to) {
			g_free(m.text);
			continue;
		}
		m.seq = to->seq++;
		g_array_append_val(to->pending, m);
	}
	g_array_set_size(from->pending, 0);
	if (to) {
		to->errors += from->errors;
		to->warnings += from->warnings;
	}
	from->errors = from->warnings = 0;
}

void gb_diag_replay(gb_diag *to, gb_diag *from)
{
	for (guint i = 0; i < from->pending->len; i++) {
		message m = g_array_index(from->pending, message, i);
		if (m.sev == GB_NOTE && to->dropping) {
			g_free(m.text);
			continue;
		}
		to->dropping = false;
		if (m.sev == GB_WARNING) {
			char *key = g_strdup_printf("%d:%zu:%s", m.loc.file ? m.loc.file->index : -1,
						    m.loc.off, m.text);
			if (!g_hash_table_add(to->warned, key)) {
				to->dropping = true;
				g_free(m.text);
				continue;
			}
		}
		m.seq = to->seq++;
		if (m.sev == GB_ERROR)
			to->errors++;
		else if (m.sev == GB_WARNING)
			to->warnings++;
		g_array_append_val(to->pending, m);
	}
	g_array_set_size(from->pending, 0);
	from->errors = from->warnings = 0;
}

/*
 * Messages without a file come first; then by file, offset and the order
 * they were reported in.  A note stays right after the message it follows.
 */
static int compare_messages(const void *pa, const void *pb)
{
	const message *a = pa, *b = pb;
	int ia = a->loc.file ? a->loc.file->index : -1;
	int ib = b->loc.file ? b->loc.file->index : -1;
	if (ia != ib)
		return ia < ib ? -1 : 1;
	if (a->loc.off != b->loc.off)
		return a->loc.off < b->loc.off ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void print_message(gb_diag *d, const message *m)
{
	if (d->quiet && m->sev != GB_ERROR)
		return;
	fprintf(d->out, "%s: ", d->prog);
	if (m->loc.file) {
		int line, col;
		if (gb_file_linecol(m->loc, &line, &col))
			fprintf(d->out, "%s:%d:%d: ", m->loc.file->path, line, col);
		else
			fprintf(d->out, "%s: ", m->loc.file->path);
	}
	fprintf(d->out, "%s: %s\n", severity_names[m->sev], m->text);
}

void gb_diag_flush(gb_diag *d)
{
	GArray *pend = d->pending;
	/* A note belongs to the message before it: sort groups, not notes. */
	GArray *groups = g_array_new(FALSE, FALSE, sizeof(message));
	for (guint i = 0; i < pend->len; i++) {
		message m = g_array_index(pend, message, i);
		if (m.sev != GB_NOTE || i == 0)
			g_array_append_val(groups, m);
	}
	g_array_sort(groups, compare_messages);
	for (guint g = 0; g < groups->len; g++) {
		message *head = &g_array_index(groups, message, g);
		print_message(d, head);
		/* then the notes reported right after it */
		guint first = g_array_index(pend, message, 0).seq;
		for (guint j = head->seq - first + 1; j < pend->len; j++) {
			message *n = &g_array_index(pend, message, j);
			if (n->sev != GB_NOTE)
				break;
			print_message(d, n);
		}
	}
	for (guint i = 0; i < pend->len; i++)
		g_free(g_array_index(pend, message, i).text);
	g_array_set_size(pend, 0);
	g_array_free(groups, TRUE);
	fflush(d->out);
}

int gb_diag_errors(const gb_diag *d)
{
	return d->errors;
}

int gb_diag_warnings(const gb_diag *d)
{
	return d->warnings;
}
