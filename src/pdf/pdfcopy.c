/* pdfcopy.c - the finished PDF: cairo's objects copied, the changed ones unparsed by libqpdf. */
#include "pdf/pdfcopy.h"

#include <string.h>

/* What becomes of an object of cairo's file. */
typedef enum state {
	ABSENT,     /* free in the table, or not where the table says */
	COPIED,     /* its bytes, as cairo wrote them */
	TOUCHED,    /* as libqpdf has it now */
	DROPPED,    /* left out */
} state;

typedef struct entry {
	guint64 off, end;   /* its bytes in raw */
	int gen;
	state st;
} entry;

/* A key gb_pdf_copy_link() adds. */
typedef struct link {
	int id, target;
	char *key;
} link;

struct gb_pdf_copy {
	qpdf_data q;
	const GByteArray *raw;
	GArray *entries;        /* entry, by object number */
	GArray *order;          /* guint: the objects cairo wrote, in the order it did */
	guint64 body;           /* where the first object starts */
	guint64 xref;           /* where cairo's table starts */
	GPtrArray *added;       /* GBytes: the new objects, numbered on */
	GArray *links;          /* link */
	int bad;                /* an object touched that cairo did not write, or 0 */
};

/* Reads the digits at *p (at most max of them) into *v. */
static bool digits(const guint8 **p, const guint8 *end, int max, guint64 *v)
{
	const guint8 *s = *p;
	guint64 n = 0;
	while (*p < end && **p >= '0' && **p <= '9' && *p - s < max)
		n = n * 10 + (guint64)(*(*p)++ - '0');
	*v = n;
	return *p > s;
}

static void skip_space(const guint8 **p, const guint8 *end)
{
	while (*p < end && (**p == ' ' || **p == '\r' || **p == '\n'))
		(*p)++;
}

/* Whether raw has "id gen obj" at off. */
static bool object_at(const GByteArray *raw, guint64 off, int id, int gen)
{
	const guint8 *p = raw->data + off, *end = raw->data + raw->len;
	guint64 n, g;
	if (!digits(&p, end, 10, &n) || n != (guint64)id || p >= end || *p++ != ' ' ||
	    !digits(&p, end, 5, &g) || g != (guint64)gen)
		return false;
	return end - p >= 4 && !memcmp(p, " obj", 4);
}

/* Where the last "startxref" of raw points, or 0. */
static guint64 start_xref(const GByteArray *raw)
{
	static const char key[] = "startxref";
	gsize n = sizeof key - 1;
	gsize from = raw->len > 1024 ? raw->len - 1024 : 0;
	for (gsize i = raw->len >= n ? raw->len - n + 1 : 0; i-- > from;) {
		if (memcmp(raw->data + i, key, n))
			continue;
		const guint8 *p = raw->data + i + n, *end = raw->data + raw->len;
		guint64 v;
		skip_space(&p, end);
		return digits(&p, end, 19, &v) ? v : 0;
	}
	return 0;
}

/* Reads cairo's table (one section, classic) into c->entries. */
static bool read_table(gb_pdf_copy *c)
{
	const GByteArray *raw = c->raw;
	const guint8 *end = raw->data + raw->len;
	c->xref = start_xref(raw);
	if (c->xref == 0 || c->xref + 4 > raw->len || memcmp(raw->data + c->xref, "xref", 4))
		return false;
	const guint8 *p = raw->data + c->xref + 4;
	for (;;) {
		skip_space(&p, end);
		if (end - p >= 7 && !memcmp(p, "trailer", 7))
			break;
		guint64 first, count;
		if (!digits(&p, end, 10, &first) || p >= end || *p++ != ' ' ||
		    !digits(&p, end, 10, &count) || (guint64)(end - p) / 20 < count)
			return false;
		skip_space(&p, end);
		if (first + count > G_MAXINT || (guint64)(end - p) < count * 20)
			return false;
		if (c->entries->len < first + count)
			g_array_set_size(c->entries, (guint)(first + count));
		for (guint64 i = 0; i < count; i++, p += 20) {
			const guint8 *f = p;
			guint64 off, gen;
			if (!digits(&f, end, 10, &off) || f - p != 10 || *f++ != ' ' ||
			    !digits(&f, end, 5, &gen) || f - p != 16 || *f++ != ' ' ||
			    (*f != 'n' && *f != 'f'))
				return false;
			entry *e = &g_array_index(c->entries, entry, first + i);
			*e = (entry){ off, 0, (int)gen, ABSENT };
			/* an entry cairo never wrote the object of (a link
			   outside every structure element) stays free */
			if (*f == 'n' && off < c->xref &&
			    object_at(raw, off, (int)(first + i), (int)gen))
				e->st = COPIED;
		}
	}
	return true;
}

static gint by_offset(gconstpointer a, gconstpointer b, gpointer data)
{
	const GArray *entries = data;
	guint64 x = g_array_index(entries, entry, *(const guint *)a).off;
	guint64 y = g_array_index(entries, entry, *(const guint *)b).off;
	return x < y ? -1 : x > y;
}

/* The objects of cairo's file in the order it wrote them. */
static GArray *in_file_order(const gb_pdf_copy *c)
{
	GArray *order = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < c->entries->len; i++)
		if (g_array_index(c->entries, entry, i).st != ABSENT)
			g_array_append_val(order, i);
	g_array_sort_with_data(order, by_offset, c->entries);
	return order;
}

gb_pdf_copy *gb_pdf_copy_new(qpdf_data q,
			     const GByteArray *raw, gb_diag *d)
{
	gb_pdf_copy *c = g_new0(gb_pdf_copy, 1);
	c->q = q;
	c->raw = raw;
	c->entries = g_array_new(FALSE, TRUE, sizeof(entry));
	c->added = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	c->links = g_array_new(FALSE, FALSE, sizeof(link));
	if (raw->len < 8 || memcmp(raw->data, "%PDF-", 5) || !read_table(c)) {
		gb_error(d, gb_noloc(), "cannot finish the PDF: cairo's "
			 "cross-reference table cannot be read");
		gb_pdf_copy_free(c);
		return NULL;
	}
	/* each object ends where the next begins, the last at the table */
	GArray *order = c->order = in_file_order(c);
	c->body = c->xref;
	for (guint i = 0; i < order->len; i++) {
		entry *e = &g_array_index(c->entries, entry, g_array_index(order, guint, i));
		e->end = i + 1 < order->len ? g_array_index(c->entries, entry,
			g_array_index(order, guint, i + 1)).off : c->xref;
		if (i == 0)
			c->body = e->off;
	}
	return c;
}

void gb_pdf_copy_free(gb_pdf_copy *c)
{
	if (!c)
		return;
	for (guint i = 0; i < c->links->len; i++)
		g_free(g_array_index(c->links, link, i).key);
	g_array_free(c->links, TRUE);
	g_ptr_array_free(c->added, TRUE);
	g_array_free(c->entries, TRUE);
	if (c->order)
		g_array_free(c->order, TRUE);
	g_free(c);
}

int gb_pdf_copy_home(const gb_pdf_copy *c, qpdf_oh oh, int outer)
{
	return qpdf_oh_is_indirect(c->q, oh)
		? qpdf_oh_get_object_id(c->q, oh) : outer;
}

/* The entry of object id of cairo's file, or NULL. */
static entry *cairos(gb_pdf_copy *c, int id)
{
	if (id <= 0 || (guint)id >= c->entries->len)
		return NULL;
	entry *e = &g_array_index(c->entries, entry, id);
	return e->st == ABSENT ? NULL : e;
}

const guint8 *gb_pdf_copy_bytes(const gb_pdf_copy *c, int id, gsize *len)
{
	if (id <= 0 || (guint)id >= c->entries->len)
		return NULL;
	const entry *e = &g_array_index(c->entries, entry, id);
	if (e->st == ABSENT || e->end <= e->off)
		return NULL;
	*len = (gsize)(e->end - e->off);
	return c->raw->data + e->off;
}

int gb_pdf_copy_count(const gb_pdf_copy *c)
{
	return (int)c->entries->len;
}

const GArray *gb_pdf_copy_order(const gb_pdf_copy *c)
{
	return c->order;
}

void gb_pdf_copy_touch(gb_pdf_copy *c, int id)
{
	entry *e = cairos(c, id);
	if (e && e->st == COPIED)
		e->st = TOUCHED;
	else if (!e && !c->bad)
		c->bad = id ? id : -1;
}

void gb_pdf_copy_drop(gb_pdf_copy *c, int id)
{
	entry *e = cairos(c, id);
	if (e)
		e->st = DROPPED;
}

/* s, a dictionary, with more inside it before its closing ">>". */
static bool splice(GString *s, gsize from, const char *more)
{
	gsize n = s->len;
	while (n > from && (s->str[n - 1] == ' ' || s->str[n - 1] == '\n'))
		n--;
	if (n < from + 4 || memcmp(s->str + from, "<<", 2) || memcmp(s->str + n - 2, ">>", 2))
		return false;
	g_string_insert(s, (gssize)(n - 2), more);
	return true;
}

int gb_pdf_copy_add(gb_pdf_copy *c, const char *dict, const void *stream,
		    gsize len)
{
	GString *s = g_string_new(dict);
	if (stream) {
		char *length = g_strdup_printf(" /Length %" G_GSIZE_FORMAT " ", len);
		splice(s, 0, length);
		g_free(length);
		g_string_append(s, "\nstream\n");
		g_string_append_len(s, stream, (gssize)len);
		g_string_append(s, "\nendstream");
	}
	gsize n = s->len;
	g_ptr_array_add(c->added, g_bytes_new_take(g_string_free(s, FALSE), n));
	return (int)(c->entries->len + c->added->len - 1);
}

int gb_pdf_copy_linked(const gb_pdf_copy *c, int id, const char *key)
{
	for (guint i = 0; i < c->links->len; i++) {
		const link *l = &g_array_index(c->links, link, i);
		if (l->id == id && !strcmp(l->key, key))
			return l->target;
	}
	return 0;
}

void gb_pdf_copy_link(gb_pdf_copy *c, int id, const char *key, int target)
{
	for (guint i = 0; i < c->links->len; i++) {
		link *l = &g_array_index(c->links, link, i);
		if (l->id == id && !strcmp(l->key, key)) {
			l->target = target;
			return;
		}
	}
	link l = { id, target, g_strdup(key) };
	g_array_append_val(c->links, l);
	gb_pdf_copy_touch(c, id);
}

static void append(GByteArray *o, const char *s)
{
	g_byte_array_append(o, (const guint8 *)s, (guint)strlen(s));
}

/* Writes object id as libqpdf has it now.  False if it cannot be. */
static bool write_touched(gb_pdf_copy *c, GByteArray *o, int id, int gen)
{
	qpdf_oh h = qpdf_get_object_by_id(c->q, id, gen);
	bool ok = !qpdf_oh_is_stream(c->q, h);
	GString *s = g_string_new(NULL);
	g_string_printf(s, "%d %d obj\n", id, gen);
	gsize from = s->len;
	if (ok)
		g_string_append(s, qpdf_oh_unparse_resolved(c->q, h));
	qpdf_oh_release(c->q, h);
	for (guint i = 0; ok && i < c->links->len; i++) {
		const link *l = &g_array_index(c->links, link, i);
		if (l->id != id)
			continue;
		char *more = g_strdup_printf(" %s %d 0 R ", l->key, l->target);
		ok = splice(s, from, more);
		g_free(more);
	}
	g_string_append(s, "\nendobj\n");
	g_byte_array_append(o, (const guint8 *)s->str, (guint)s->len);
	g_string_free(s, TRUE);
	return ok;
}

/* One line of the table: 20 bytes. */
static void xref_line(GByteArray *o, guint64 off, int gen, char type)
{
	char line[32];
	g_snprintf(line, sizeof line, "%010" G_GUINT64_FORMAT " %05d %c \n", off, gen, type);
	append(o, line);
}

GBytes *gb_pdf_copy_write(gb_pdf_copy *c, const char *version, int root,
			  int info, gb_diag *d)
{
	const GByteArray *raw = c->raw;
	int size = (int)(c->entries->len + c->added->len);
	bool new_info = info >= (int)c->entries->len && info < size;
	int bad = c->bad ? c->bad : !cairos(c, root) ? root : !cairos(c, info) && !new_info ? info : 0;
	if (bad) {
		gb_error(d, gb_noloc(), "cannot finish the PDF: object %d is "
			 "not in cairo's file", bad);
		return NULL;
	}
	guint64 *offs = g_new0(guint64, (gsize)size);
	GByteArray *o = g_byte_array_sized_new(raw->len + raw->len / 8 + 4096);

	/* the header, with the version; cairo's binary comment after it */
	const guint8 *eol = raw->data + 5;
	while (eol < raw->data + c->body && *eol != '\n' && *eol != '\r')
		eol++;
	append(o, "%PDF-");
	append(o, version);
	g_byte_array_append(o, eol, (guint)(raw->data + c->body - eol));

	bool ok = true;
	for (guint i = 0; ok && i < c->order->len; i++) {
		int id = (int)g_array_index(c->order, guint, i);
		const entry *e = &g_array_index(c->entries, entry, id);
		if (e->st == DROPPED)
			continue;
		offs[id] = o->len;
		if (e->st == TOUCHED)
			ok = write_touched(c, o, id, e->gen);
		else
			g_byte_array_append(o, raw->data + e->off, (guint)(e->end - e->off));
	}
	for (guint i = 0; i < c->added->len; i++) {
		int id = (int)(c->entries->len + i);
		char head[32];
		gsize n;
		const guint8 *body = g_bytes_get_data(c->added->pdata[i], &n);
		offs[id] = o->len;
		g_snprintf(head, sizeof head, "%d 0 obj\n", id);
		append(o, head);
		g_byte_array_append(o, body, (guint)n);
		append(o, "\nendobj\n");
	}
	if (!ok) {
		gb_error(d, gb_noloc(), "cannot finish the PDF: an object changed "
			 "cannot be written again");
		g_byte_array_free(o, TRUE);
		g_free(offs);
		return NULL;
	}

	/* the table: the objects left out are free, in a chain from 0 */
	guint64 xref = o->len;
	char line[64];
	g_snprintf(line, sizeof line, "xref\n0 %d\n", size);
	append(o, line);
	int *next_free = g_new0(int, (gsize)size);
	for (int id = size - 1, after = 0; id >= 0; id--) {
		next_free[id] = after;
		if (!offs[id])
			after = id;
	}
	xref_line(o, (guint64)next_free[0], 65535, 'f');
	for (int id = 1; id < size; id++) {
		int gen = id < (int)c->entries->len ? g_array_index(c->entries, entry, id).gen : 0;
		if (offs[id])
			xref_line(o, offs[id], gen, 'n');
		else
			xref_line(o, (guint64)next_free[id], MIN(gen + 1, 65535), 'f');
	}
	g_free(next_free);
	g_free(offs);

	/* the ID: the MD5 of all the above, as qpdf's deterministic one */
	GChecksum *md5 = g_checksum_new(G_CHECKSUM_MD5);
	g_checksum_update(md5, o->data, o->len);
	char *trailer = g_strdup_printf(
		"trailer\n<< /Size %d /Root %d %d R /Info %d %d R /ID [<%s> <%s>] >>\n"
		"startxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n", size,
		root, g_array_index(c->entries, entry, root).gen,
		info, new_info ? 0 : g_array_index(c->entries, entry, info).gen,
		g_checksum_get_string(md5), g_checksum_get_string(md5), xref);
	g_checksum_free(md5);
	append(o, trailer);
	g_free(trailer);
	return g_byte_array_free_to_bytes(o);
}
