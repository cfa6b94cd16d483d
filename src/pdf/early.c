/*
 * early.c - the pages' contents rewritten while cairo draws (pd.h).
 *
 * The finish rewrites every page's content stream (PDF/UA's artifacts,
 * PDF/X's grays: artifacts.c) and compresses it again.  Done there, after
 * the last page, it is time on one core while the other waits.  So once
 * cairo has shown a page, its content stream is found in cairo's output
 * (the page object cairo wrote names it), copied, and rewritten and
 * compressed on a thread of its own while cairo draws the next pages.
 * The finish then takes the result for each page whose /Contents is the
 * object found; any page not found here (cairo writing otherwise than
 * 1.16 does), or whose rewrite failed, it rewrites itself as before, and
 * reports why if it fails: the same bytes either way.
 *
 * Ownership: the gb_pd_early is its caller's (gb_pd_early_free); a job is
 * the thread's once queued; the results are the thread's until joined.
 */
#include "pdf/pd.h"
#include <zlib.h>

/* A page's content stream to rewrite (the worker's once queued). */
typedef struct job {
	guint page;         /* G_MAXUINT: no more pages */
	int id;             /* its object number */
	guint8 *z;          /* the stream's data, as cairo compressed it */
	gsize zlen;
	GArray *arts;       /* the page's artifacts' places, or NULL (a ref) */
} job;

struct gb_pd_early {
	gb_pd_rewrite rw;   /* what is done to each page (arts unused) */
	GAsyncQueue *jobs;  /* job *, to the worker */
	GThread *worker;
	GPtrArray *out;     /* per page: its compressed content (GBytes *) or
			       NULL; the worker's until joined */
	GArray *ids;        /* per page: the object it came from, or 0 */
};

/* data[0, n) inflated, or NULL if zlib cannot. */
static GByteArray *inflated(const guint8 *data, gsize n)
{
	GByteArray *o = g_byte_array_sized_new((guint)(n * 4 + 64));
	z_stream zs = { 0 };
	if (inflateInit(&zs) != Z_OK) {
		g_byte_array_unref(o);
		return NULL;
	}
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	int st = Z_OK;
	while (st == Z_OK) {
		if (o->len == UINT_MAX)   /* never: a page's content is small */
			break;
		guint have = o->len, room = MAX(4096u, have);
		g_byte_array_set_size(o, have + room);
		zs.next_out = o->data + have;
		zs.avail_out = room;
		st = inflate(&zs, Z_NO_FLUSH);
		g_byte_array_set_size(o, have + room - zs.avail_out);
	}
	inflateEnd(&zs);
	if (st != Z_STREAM_END || zs.avail_in) {
		g_byte_array_unref(o);
		return NULL;
	}
	return o;
}

/* Rewrites the pages queued, until told there are no more. */
static gpointer work(gpointer data)
{
	gb_pd_early *e = data;
	for (;;) {
		job *j = g_async_queue_pop(e->jobs);
		if (j->page == G_MAXUINT) {
			g_free(j);
			return NULL;
		}
		GByteArray *plain = inflated(j->z, j->zlen);
		const char *why = NULL;
		GByteArray *m = plain ? gb_pd_rewrite_page(plain->data, plain->len, &e->rw,
							   j->arts, &why) : NULL;
		GBytes *z = m ? gb_pd_deflate(m) : NULL;
		if (z) {
			if (e->out->len <= j->page) {
				g_ptr_array_set_size(e->out, (gint)j->page + 1);
				g_array_set_size(e->ids, j->page + 1);
			}
			e->out->pdata[j->page] = z;
			g_array_index(e->ids, int, j->page) = j->id;
		}
		if (m)
			g_byte_array_unref(m);
		if (plain)
			g_byte_array_unref(plain);
		if (j->arts)
			g_array_unref(j->arts);
		g_free(j->z);
		g_free(j);
	}
}

gb_pd_early *gb_pd_early_new(const gb_pd_rewrite *rw)
{
	gb_pd_early *e = g_new0(gb_pd_early, 1);
	e->rw = *rw;
	e->rw.arts = NULL;
	e->rw.early = NULL;
	e->jobs = g_async_queue_new();
	e->out = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	e->ids = g_array_new(FALSE, TRUE, sizeof(int));
	e->worker = g_thread_new("rewrite", work, e);
	return e;
}

/* Where pat first occurs in [s, end), or NULL. */
static const guint8 *find(const guint8 *s, const guint8 *end, const char *pat)
{
	gsize n = strlen(pat);
	while (s && (gsize)(end - s) >= n) {
		s = memchr(s, pat[0], (gsize)(end - s) - n + 1);
		if (!s)
			return NULL;
		if (!memcmp(s, pat, n))
			return s;
		s++;
	}
	return NULL;
}

/* The number at *p (spaces before it skipped), moving past it; -1 if none. */
static gint64 number(const guint8 **p, const guint8 *end)
{
	const guint8 *s = *p;
	while (s < end && (*s == ' ' || *s == '\n' || *s == '\r'))
		s++;
	gint64 v = 0;
	const guint8 *from = s;
	while (s < end && *s >= '0' && *s <= '9' && v < G_MAXINT)
		v = v * 10 + (*s++ - '0');
	*p = s;
	return s == from ? -1 : v;
}

/* Where "\nid 0 obj\n" begins object id's body in [s, end), or NULL. */
static const guint8 *object(const guint8 *s, const guint8 *end, gint64 id)
{
	char head[40];
	g_snprintf(head, sizeof head, "\n%" G_GINT64_FORMAT " 0 obj\n", id);
	const guint8 *at = find(s, end, head);
	return at ? at + strlen(head) : NULL;
}

/*
 * The page's content stream in cairo's output s[0, n) (from just before
 * the page began to just after it was shown): its object number, and its
 * data, compressed.  False if it is not found as cairo 1.16 writes it: a
 * page dictionary whose /Contents is one stream, `<< /Length m 0 R
 * /Filter /FlateDecode >> stream`, of m bytes.
 */
static bool content_stream(const guint8 *s, gsize n, int *id, const guint8 **data,
			   gsize *len)
{
	const guint8 *end = s + n, *page = s;
	while ((page = find(page, end, "<< /Type /Page")) &&
	       page + 14 < end && page[14] == 's')
		page += 14;
	const guint8 *dict_end = page ? find(page, end, ">>\nendobj") : NULL;
	const guint8 *c = dict_end ? find(page, dict_end, "/Contents ") : NULL;
	if (!c)
		return false;
	c += strlen("/Contents ");
	gint64 cid = number(&c, dict_end);
	if (cid <= 0 || !(c = object(s, end, cid)))
		return false;
	const guint8 *stream = find(c, end, ">>\nstream\n");
	const guint8 *len_key = find(c, stream ? stream : c, "/Length ");
	if (!stream || !len_key || !find(c, stream, "/Filter /FlateDecode") ||
	    find(c, stream, "/DecodeParms") || find(c, stream, "/Filter ") !=
	    find(c, stream, "/Filter /FlateDecode"))
		return false;
	len_key += strlen("/Length ");
	gint64 lid = number(&len_key, stream);
	const guint8 *lv = lid > 0 ? object(s, end, lid) : NULL;
	gint64 l = lv ? number(&lv, end) : -1;
	stream += strlen(">>\nstream\n");
	if (l < 0 || l > end - stream || !find(stream + l, MIN(end, stream + l + 12), "endstream"))
		return false;
	*id = (int)cid;
	*data = stream;
	*len = (gsize)l;
	return true;
}

void gb_pd_early_page(gb_pd_early *e, const GByteArray *raw, gsize from, guint i,
		      GArray *a)
{
	int id;
	const guint8 *data;
	gsize len;
	/* from the newline before the page's first object, if there is one */
	gsize at = from ? from - 1 : 0;
	if (!content_stream(raw->data + at, raw->len - at, &id, &data, &len))
		return;   /* the finish rewrites it */
	job *j = g_new(job, 1);
	*j = (job){ i, id, g_memdup2(data, len), len, a ? g_array_ref(a) : NULL };
	g_async_queue_push(e->jobs, j);
}

void gb_pd_early_join(gb_pd_early *e)
{
	if (!e->worker)
		return;
	job *j = g_new0(job, 1);
	j->page = G_MAXUINT;
	g_async_queue_push(e->jobs, j);
	g_thread_join(e->worker);
	e->worker = NULL;
}

bool gb_pd_early_done(const gb_pd_early *e, guint i, int id)
{
	return !e->worker && i < e->out->len && e->out->pdata[i] && id > 0 &&
	       g_array_index(e->ids, int, i) == id;
}

GBytes *gb_pd_early_take(gb_pd_early *e, guint i)
{
	if (e->worker || i >= e->out->len)
		return NULL;
	return g_steal_pointer(&e->out->pdata[i]);
}

void gb_pd_early_adopt(gb_pd_early *e, gb_pd_early *from, guint at, const int *map,
		       int count)
{
	gb_pd_early_join(e);
	gb_pd_early_join(from);
	g_ptr_array_set_size(e->out, (gint)at);
	g_array_set_size(e->ids, at);
	for (guint i = 0; i < from->out->len; i++) {
		int id = g_array_index(from->ids, int, i);
		int to = id > 0 && id < count ? map[id] : 0;
		g_ptr_array_add(e->out, to ? g_steal_pointer(&from->out->pdata[i]) : NULL);
		g_array_append_val(e->ids, to);
	}
}

void gb_pd_early_free(gb_pd_early *e)
{
	if (!e)
		return;
	gb_pd_early_join(e);
	g_async_queue_unref(e->jobs);
	g_ptr_array_free(e->out, TRUE);
	g_array_free(e->ids, TRUE);
	g_free(e);
}
