/*
 * join.c - two PDFs cairo drew of one book's consecutive pages made one,
 * as cairo would have written it (pd.h).
 *
 * The second file b is drawn on a thread of its own into a cairo surface
 * of its own, from a part boundary where no structure element but the
 * Document is open.  The joined file is a's objects, the few that gather
 * the book changed (its page tree, its Document element, the parent
 * tree, the page labels, the named destinations), then b's objects
 * renumbered after a's, less those of b's own catalog (catalog, Info, page
 * tree root, structure tree root and Document element, parent tree,
 * outline root, page labels, names): b's pages join a's page tree, b's
 * Document's kids a's Document, b's parent tree keys (each page's
 * /StructParents, each annotation's /StructParent) follow a's.  Every
 * object is written in cairo's own layout, so the finish reads the joined
 * file as it reads one surface's.  b's fonts stay objects of their own.
 *
 * Ownership: the joined bytes are the caller's.
 */
#include "pdf/pd.h"

/* One of the two files: its objects and the catalog's own. */
typedef struct side {
	const GByteArray *raw;
	gb_pdf_copy *c;
	int root, info, pages, tree, ptree, doc, outlines, labels, names, dests;
	int holder;         /* doc, or tree when cairo wrote no Document */
} side;

/* Whether c is a PDF delimiter or white space (or the end: 0). */
static bool delim(int c)
{
	return c == 0 || strchr(" \t\r\n\f/[]<>()%{}", c) != NULL;
}

/* The bytes of object id of s (its header, "id 0 obj\n", skipped), *n. */
static const guint8 *body(const side *s, int id, gsize *n)
{
	gsize len;
	const guint8 *p = id > 0 ? gb_pdf_copy_bytes(s->c, id, &len) : NULL;
	const guint8 *nl = p ? memchr(p, '\n', MIN(len, 32)) : NULL;
	if (!nl)
		return NULL;
	*n = len - (gsize)(nl + 1 - p);
	return nl + 1;
}

/* The number N of "key N 0 R" in s[0, n) (key followed by a delimiter),
   or 0. */
static int ref_of(const guint8 *s, gsize n, const char *key)
{
	gsize kl = strlen(key);
	for (const guint8 *p = s; p && (gsize)(s + n - p) > kl;
	     p = memchr(p + 1, '/', (gsize)(s + n - p - 1))) {
		if (memcmp(p, key, kl) || p[kl] != ' ')
			continue;
		const guint8 *q = p + kl, *end = s + n;
		while (q < end && *q == ' ')
			q++;
		int v = 0;
		while (q < end && *q >= '0' && *q <= '9' && v < G_MAXINT / 10)
			v = v * 10 + (*q++ - '0');
		return (end - q >= 4 && !memcmp(q, " 0 R", 4)) ? v : 0;
	}
	return 0;
}

/* ref_of() in object id's dictionary. */
static int obj_ref(const side *s, int id, const char *key)
{
	gsize n;
	const guint8 *b = body(s, id, &n);
	return b ? ref_of(b, n, key) : 0;
}

/* Reads the trailer and catalog of s.  False if not as cairo writes them. */
static bool side_read(side *s, const GByteArray *raw, gb_diag *d)
{
	memset(s, 0, sizeof *s);
	s->raw = raw;
	if (!(s->c = gb_pdf_copy_new(NULL, raw, d)))
		return false;
	gsize from = raw->len > 512 ? raw->len - 512 : 0;
	const guint8 *t = raw->data + from;
	gsize tn = raw->len - from;
	for (gsize i = 0; i + 7 < tn; i++)
		if (!memcmp(t + i, "trailer", 7)) {
			s->root = ref_of(t + i, tn - i, "/Root");
			s->info = ref_of(t + i, tn - i, "/Info");
			break;
		}
	s->pages = obj_ref(s, s->root, "/Pages");
	s->tree = obj_ref(s, s->root, "/StructTreeRoot");
	s->outlines = obj_ref(s, s->root, "/Outlines");
	s->labels = obj_ref(s, s->root, "/PageLabels");
	s->names = obj_ref(s, s->root, "/Names");
	s->dests = obj_ref(s, s->names, "/Dests");
	s->ptree = obj_ref(s, s->tree, "/ParentTree");
	gsize n;
	const guint8 *k = body(s, s->tree, &n);
	/* "/K [ D 0 R ]": the Document element */
	const guint8 *at = k ? (const guint8 *)g_strstr_len((const char *)k, (gssize)n, "/K [ ") : NULL;
	if (at) {
		int v = 0;
		for (at += 5; *at >= '0' && *at <= '9' && v < G_MAXINT / 10; at++)
			v = v * 10 + (*at - '0');
		s->doc = v;
	}
	/* the elements' holder: the Document element, or the tree's root
	   when cairo left the Document out (a part whose first page is
	   blank), its kids then the root's */
	gsize dn;
	const guint8 *db = s->doc ? body(s, s->doc, &dn) : NULL;
	if (db && !g_strstr_len((const char *)db, (gssize)dn, "   /S /Document\n"))
		s->doc = 0;
	s->holder = s->doc ? s->doc : s->tree;
	/* a part with no structure (blank pages) has no tree */
	return s->root && s->info && s->pages && (!s->tree || (s->ptree && at));
}

/* The number b's object id takes in the joined file (0: none). */
static int mapped(const int *map, int count, gint64 id)
{
	return id > 0 && id < count ? map[id] : 0;
}

/*
 * Appends s[0, n), some of an object of b, to o with its references
 * renumbered through map (count entries) and its parent tree keys
 * (/StructParents, /StructParent) shifted by keys; a stream's data after
 * the keyword `stream` is copied as it is.  False if a reference has no
 * number in the joined file.
 */
static bool renumber(GString *o, const guint8 *s, gsize n, const int *map, int count,
		     int keys)
{
	gsize i = 0;
	bool shift = false;
	while (i < n) {
		guint8 ch = s[i];
		if (ch == '(') {
			gsize j = i + 1;
			for (int depth = 1; j < n && depth; j++) {
				if (s[j] == '\\')
					j++;
				else if (s[j] == '(')
					depth++;
				else if (s[j] == ')')
					depth--;
			}
			g_string_append_len(o, (const char *)s + i, (gssize)(MIN(j, n) - i));
			i = j;
		} else if (ch == '%') {
			gsize j = i;
			while (j < n && s[j] != '\n' && s[j] != '\r')
				j++;
			g_string_append_len(o, (const char *)s + i, (gssize)(j - i));
			i = j;
		} else if (ch == '<' && i + 1 < n && s[i + 1] == '<') {
			g_string_append(o, "<<");
			i += 2;
		} else if (ch == '<') {
			gsize j = i;
			while (j < n && s[j] != '>')
				j++;
			g_string_append_len(o, (const char *)s + i, (gssize)(MIN(j + 1, n) - i));
			i = j + 1;
		} else if (ch == '/') {
			gsize j = i + 1;
			while (j < n && !delim(s[j]))
				j++;
			gsize l = j - i;
			shift = (l == 14 && !memcmp(s + i, "/StructParents", 14)) ||
				(l == 13 && !memcmp(s + i, "/StructParent", 13));
			g_string_append_len(o, (const char *)s + i, (gssize)l);
			i = j;
			continue;
		} else if (ch >= '0' && ch <= '9' && (i == 0 || delim(s[i - 1]))) {
			gsize j = i;
			gint64 v = 0;
			while (j < n && s[j] >= '0' && s[j] <= '9' && v < G_MAXINT)
				v = v * 10 + (s[j++] - '0');
			if (j < n && !delim(s[j])) {   /* a real */
				while (j < n && !delim(s[j]))
					j++;
				g_string_append_len(o, (const char *)s + i, (gssize)(j - i));
			} else if (j + 4 <= n && !memcmp(s + j, " 0 R", 4) &&
				   (j + 4 == n || delim(s[j + 4]))) {
				int to = mapped(map, count, v);
				if (!to)
					return false;
				g_string_append_printf(o, "%d 0 R", to);
				j += 4;
			} else if (shift) {
				g_string_append_printf(o, "%" G_GINT64_FORMAT, v + keys);
			} else {
				g_string_append_len(o, (const char *)s + i, (gssize)(j - i));
			}
			shift = false;
			i = j;
			continue;
		} else if (ch >= 'a' && ch <= 'z') {
			gsize j = i;
			while (j < n && !delim(s[j]))
				j++;
			if (j - i == 6 && !memcmp(s + i, "stream", 6)) {
				g_string_append_len(o, (const char *)s + i, (gssize)(n - i));
				return true;
			}
			g_string_append_len(o, (const char *)s + i, (gssize)(j - i));
			i = j;
		} else {
			g_string_append_c(o, (char)ch);
			i++;
		}
		if (ch != ' ' && ch != '\n' && ch != '\r')
			shift = false;
	}
	return true;
}

/* Where the array after key starts in s[0, n) ("key [" : at '['), or NULL. */
static const guint8 *array_of(const guint8 *s, gsize n, const char *key)
{
	gchar *k = g_strconcat(key, " [", NULL);
	const guint8 *p = (const guint8 *)g_strstr_len((const char *)s, (gssize)n, k);
	if (p)
		p += strlen(key) + 1;
	g_free(k);
	return p;
}

/* The end of the array at a ('['): its ']', arrays inside it and strings
   skipped; NULL if it has none. */
static const guint8 *array_end(const guint8 *a, const guint8 *end)
{
	int depth = 0;
	for (const guint8 *p = a; p < end; p++) {
		if (*p == '(') {
			for (int in = 1; in && ++p < end;)
				if (*p == '\\')
					p++;
				else
					in += (*p == '(') - (*p == ')');
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/*
 * Object id of a written again into o with more items put at the end of
 * the array of key (before its ']'), and, if count_key, the number after
 * count_key plus add.  False if it has no such array.
 */
static bool grow_array(GString *o, const side *a, int id, const char *key,
		       const char *more, const char *count_key, int add)
{
	gsize n;
	const guint8 *s = body(a, id, &n);
	const guint8 *arr = s ? array_of(s, n, key) : NULL;
	const guint8 *close = arr ? array_end(arr, s + n) : NULL;
	if (!close)
		return false;
	/* before the ']': its items' own spacing ("  ]" after lines) */
	const guint8 *cut = close;
	while (cut > arr + 1 && (cut[-1] == ' ' || cut[-1] == '\n'))
		cut--;
	GString *t = g_string_new_len((const char *)s, (gssize)(cut - s));
	g_string_append(t, more);
	g_string_append_len(t, (const char *)cut, (gssize)(s + n - cut));
	if (count_key) {
		gchar *k = g_strconcat(count_key, " ", NULL);
		char *at = strstr(t->str, k);
		g_free(k);
		if (!at)
			return g_string_free(t, TRUE), false;
		char *num = at + strlen(count_key) + 1, *after = num;
		gint64 v = g_ascii_strtoll(num, &after, 10);
		gsize pos = (gsize)(num - t->str);
		g_string_erase(t, (gssize)pos, after - num);
		char buf[32];
		g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, v + add);
		g_string_insert(t, (gssize)pos, buf);
	}
	g_string_append_printf(o, "%d 0 obj\n", id);
	g_string_append_len(o, t->str, (gssize)t->len);
	g_string_free(t, TRUE);
	return true;
}

/* The items of the array of key in object id of s (between its brackets). */
static bool array_items(const side *s, int id, const char *key, const guint8 **from,
			const guint8 **to)
{
	gsize n;
	const guint8 *b = body(s, id, &n);
	const guint8 *arr = b ? array_of(b, n, key) : NULL;
	const guint8 *close = arr ? array_end(arr, b + n) : NULL;
	if (!close)
		return false;
	*from = arr + 1;
	*to = close;
	return true;
}

/*
 * The kids of the Document element id of s, as " N 0 R" items, into o: its
 * /K line an array of them or one reference.  False if it has none.
 */
static bool doc_kids(const side *s, int id, GString *o)
{
	gsize n;
	const guint8 *b = body(s, id, &n);
	const char *k = b ? g_strstr_len((const char *)b, (gssize)n, "\n   /K ") : NULL;
	if (!k)
		return false;
	k += 7;
	const char *e = memchr(k, '\n', (gsize)((const char *)b + n - k));
	if (!e)
		return false;
	if (*k == '[') {
		k++;
		while (e > k && (e[-1] == ' ' || e[-1] == ']'))
			e--;
		g_string_append_len(o, k, e - k);
	} else {
		g_string_append_c(o, ' ');
		g_string_append_len(o, k, e - k);
	}
	return true;
}

/* The Document element id of a written again into o, its kids items. */
static bool doc_again(GString *o, const side *a, int id, const char *items)
{
	gsize n;
	const guint8 *b = body(a, id, &n);
	const char *k = b ? g_strstr_len((const char *)b, (gssize)n, "\n   /K ") : NULL;
	const char *e = k ? memchr(k + 1, '\n', (gsize)((const char *)b + n - k - 1)) : NULL;
	if (!e)
		return false;
	g_string_append_printf(o, "%d 0 obj\n", id);
	g_string_append_len(o, (const char *)b, k + 7 - (const char *)b);
	g_string_append_printf(o, "[%s ]", items);
	g_string_append_len(o, e, (const char *)b + n - e);
	return true;
}

/* Splits s[from, to) into its lines that hold something. */
static GPtrArray *lines_of(const guint8 *from, const guint8 *to)
{
	GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
	while (from < to) {
		const guint8 *nl = memchr(from, '\n', (gsize)(to - from));
		const guint8 *e = nl ? nl : to;
		const guint8 *p = from;
		while (p < e && *p == ' ')
			p++;
		if (p < e)
			g_ptr_array_add(l, g_strndup((const char *)from, (gsize)(e - from)));
		from = e + 1;
	}
	return l;
}

/* The first integer of line s (a parent tree's key), *rest after it. */
static gint64 line_key(const char *s, const char **rest)
{
	while (*s == ' ')
		s++;
	gint64 v = -1;
	for (; *s >= '0' && *s <= '9' && v < G_MAXINT; s++)
		v = (v < 0 ? 0 : v * 10) + (*s - '0');
	*rest = s;
	return v;
}

/* A name tree's entry line "   (name) [...]": its name, for sorting. */
static gint by_name(gconstpointer x, gconstpointer y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	/* the names' bytes (ids: no escapes), then a longer one after */
	const char *ea = strstr(a, ") "), *eb = strstr(b, ") ");
	gsize la = ea ? (gsize)(ea - a) : strlen(a), lb = eb ? (gsize)(eb - b) : strlen(b);
	int r = memcmp(a, b, MIN(la, lb));
	return r ? r : la < lb ? -1 : la > lb;
}

/* The name of entry line s, up to and with its ')'. */
static char *entry_name(const char *s)
{
	while (*s == ' ')
		s++;
	const char *e = strstr(s, ") ");
	return g_strndup(s, e ? (gsize)(e - s + 1) : strlen(s));
}

/*
 * A page label range as cairo writes it, "   key << /S /D /St n /P (p) >>":
 * its key, its prefix (the string as written, or NULL: the caller's) and
 * its first number (0: none), as cairo's label of its first page splits.
 */
static gint64 label_range(const char *line, char **prefix, gint64 *num)
{
	const char *rest;
	gint64 key = line_key(line, &rest);
	const char *st = strstr(rest, "/S /D /St "), *p = strstr(rest, "/P ");
	const char *end = strrchr(rest, '>');
	*num = st ? g_ascii_strtoll(st + 10, NULL, 10) : 0;
	*prefix = p && end && end - 1 > p + 3 ? g_strndup(p + 3, (gsize)(end - 1 - (p + 3))) : NULL;
	if (*prefix)
		g_strchomp(*prefix);
	return key;
}

/* b's object id renumbered into o; false if it cannot be. */
static bool copy_b(GString *o, const side *b, int id, const int *map, int keys)
{
	gsize n;
	const guint8 *s = body(b, id, &n);
	int count = gb_pdf_copy_count(b->c);
	if (!s)
		return false;
	g_string_append_printf(o, "%d 0 obj\n", map[id]);
	return renumber(o, s, n, map, count, keys);
}

/* The rewritten objects of a, each "id 0 obj\n...endobj\n", by number. */
static bool changed_a(GHashTable *out, const side *a, const side *b, const int *map,
		      int keys, int pages_a)
{
	int count = gb_pdf_copy_count(b->c);
	const guint8 *f, *t;
	bool ok = true;
	/* the page tree */
	{
	int nb = 0;
	GString *more = g_string_new(NULL);
	ok = array_items(b, b->pages, "/Kids", &f, &t) &&
	     renumber(more, f, (gsize)(t - f), map, count, keys);
	for (const guint8 *p = f; ok && p + 1 < t; p++)
		nb += p[0] == ' ' && p[1] == 'R';
	while (more->len && more->str[more->len - 1] == ' ')
		g_string_truncate(more, more->len - 1);
	GString *o = g_string_new(NULL);
	ok = ok && grow_array(o, a, a->pages, "/Kids", more->str, "/Count", nb);
	g_hash_table_insert(out, GINT_TO_POINTER(a->pages), g_string_free(o, FALSE));
	/* the Document's kids */
	GString *kids = g_string_new(NULL), *kb = g_string_new(NULL);
	g_string_truncate(more, 0);
	if (b->tree) {
	ok = ok && doc_kids(a, a->holder, kids) && doc_kids(b, b->holder, kb) &&
	     renumber(more, (const guint8 *)kb->str, kb->len, map, count, keys);
	g_string_append(kids, more->str);
	o = g_string_new(NULL);
	ok = ok && doc_again(o, a, a->holder, kids->str);
	g_hash_table_insert(out, GINT_TO_POINTER(a->holder), g_string_free(o, FALSE));
	}
	g_string_free(kids, TRUE);
	g_string_free(kb, TRUE);
	g_string_free(more, TRUE);
	}
	/* the parent tree's keys after a's */
	if (ok && array_items(b, b->ptree, "/Nums", &f, &t)) {
		GPtrArray *l = lines_of(f, t);
		GString *more = g_string_new(NULL);
		for (guint i = 0; ok && i < l->len; i++) {
			const char *rest;
			gint64 k = line_key(l->pdata[i], &rest);
			g_string_append_printf(more, "\n   %" G_GINT64_FORMAT, k + keys);
			ok = k >= 0 && renumber(more, (const guint8 *)rest, strlen(rest), map,
						count, keys);
		}
		GString *o = g_string_new(NULL);
		if (ok && l->len)
			ok = grow_array(o, a, a->ptree, "/Nums", more->str, NULL, 0);
		if (ok && l->len)
			g_hash_table_insert(out, GINT_TO_POINTER(a->ptree), g_string_free(o, FALSE));
		else
			g_string_free(o, TRUE);
		g_string_free(more, TRUE);
		g_ptr_array_free(l, TRUE);
	}
	/* the page labels: b's ranges after a's pages, as one surface
	   numbers them: cairo starts a range where a page's label does not
	   go on from the one before (same prefix, the next number), and b's
	   first page went on from none (prefix none, number 0) */
	if (ok && b->labels) {
		const guint8 *fa, *ta;
		ok = a->labels && array_items(a, a->labels, "/Nums", &fa, &ta) &&
		     array_items(b, b->labels, "/Nums", &f, &t);
		GPtrArray *la = ok ? lines_of(fa, ta) : NULL, *lb = ok ? lines_of(f, t) : NULL;
		GString *more = g_string_new(NULL);
		char *pa = NULL, *pb = NULL;
		gint64 na = 0, nb = 1, kb = -1;
		ok = ok && la->len > 0;
		if (ok) {
			/* a's last page: its last range's prefix, numbered on */
			gint64 ka = label_range(la->pdata[la->len - 1], &pa, &na);
			if (na)
				na += pages_a - 1 - ka;
		}
		if (ok && lb->len)
			kb = label_range(lb->pdata[0], &pb, &nb);
		if (kb != 0) {   /* b's first page: "1", going on from none */
			g_free(pb);
			pb = NULL;
			nb = 1;
		}
		if (ok && !(g_strcmp0(pa, pb) == 0 && nb == na + 1)) {
			g_string_append_printf(more, "\n   %u << ", pages_a);
			if (nb)
				g_string_append_printf(more, "/S /D /St %" G_GINT64_FORMAT " ", nb);
			if (pb)
				g_string_append_printf(more, "/P %s ", pb);
			g_string_append(more, ">>");
		}
		g_free(pa);
		g_free(pb);
		for (guint i = kb == 0 ? 1 : 0; ok && i < lb->len; i++) {
			const char *rest;
			gint64 k = line_key(lb->pdata[i], &rest);
			g_string_append_printf(more, "\n   %" G_GINT64_FORMAT "%s", k + pages_a, rest);
		}
		GString *o = g_string_new(NULL);
		if (ok)
			ok = grow_array(o, a, a->labels, "/Nums", more->str, NULL, 0);
		if (ok)
			g_hash_table_insert(out, GINT_TO_POINTER(a->labels), g_string_free(o, FALSE));
		else
			g_string_free(o, TRUE);
		g_string_free(more, TRUE);
		if (la)
			g_ptr_array_free(la, TRUE);
		if (lb)
			g_ptr_array_free(lb, TRUE);
	}
	/* the named destinations: one sorted array, a's first where both
	   have a name */
	if (ok && b->dests && !a->names) {
		/* a's catalog names b's destinations, kept */
		gsize n;
		const guint8 *c = body(a, a->root, &n);
		const guint8 *close = NULL;
		for (const guint8 *p = c; c && p + 1 < c + n; p++)
			if (p[0] == '>' && p[1] == '>')
				close = p;
		ok = close != NULL;
		if (ok) {
			GString *o = g_string_new(NULL);
			g_string_append_printf(o, "%d 0 obj\n", a->root);
			g_string_append_len(o, (const char *)c, (gssize)(close - c));
			g_string_append_printf(o, "   /Names %d 0 R\n", map[b->names]);
			g_string_append_len(o, (const char *)close, (gssize)(c + n - close));
			g_hash_table_insert(out, GINT_TO_POINTER(a->root), g_string_free(o, FALSE));
		}
	} else if (ok && b->dests) {
		const guint8 *fa, *ta;
		ok = a->dests && array_items(a, a->dests, "/Names", &fa, &ta) &&
		     array_items(b, b->dests, "/Names", &f, &t);
		GPtrArray *la = ok ? lines_of(fa, ta) : NULL, *lb = ok ? lines_of(f, t) : NULL;
		GHashTable *have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (guint i = 0; ok && i < la->len; i++)
			g_hash_table_add(have, entry_name(la->pdata[i]));
		for (guint i = 0; ok && i < lb->len; i++) {
			char *name = entry_name(lb->pdata[i]);
			if (!g_hash_table_contains(have, name)) {
				GString *e = g_string_new(NULL);
				const char *s = lb->pdata[i];
				ok = renumber(e, (const guint8 *)s, strlen(s), map, count, keys);
				g_ptr_array_add(la, g_string_free(e, FALSE));
			}
			g_free(name);
		}
		GString *o = g_string_new(NULL);
		if (ok) {
			g_ptr_array_sort(la, by_name);
			gsize n;
			const guint8 *s = body(a, a->dests, &n);
			g_string_append_printf(o, "%d 0 obj\n", a->dests);
			g_string_append_len(o, (const char *)s, (gssize)(fa - s));
			for (guint i = 0; i < la->len; i++)
				g_string_append_printf(o, "\n%s", (const char *)la->pdata[i]);
			g_string_append(o, "\n  ");
			g_string_append_len(o, (const char *)ta, (gssize)(s + n - ta));
			g_hash_table_insert(out, GINT_TO_POINTER(a->dests), g_string_free(o, FALSE));
		} else {
			g_string_free(o, TRUE);
		}
		g_hash_table_destroy(have);
		if (la)
			g_ptr_array_free(la, TRUE);
		if (lb)
			g_ptr_array_free(lb, TRUE);
	}
	return ok;
}

/* The number of parent tree keys of s: one more than its last. */
static int tree_keys(const side *s)
{
	const guint8 *f, *t;
	if (!array_items(s, s->ptree, "/Nums", &f, &t))
		return -1;
	GPtrArray *l = lines_of(f, t);
	gint64 max = -1;
	for (guint i = 0; i < l->len; i++) {
		const char *rest;
		max = MAX(max, line_key(l->pdata[i], &rest));
	}
	g_ptr_array_free(l, TRUE);
	return (int)(max + 1);
}

GByteArray *gb_pd_join(const GByteArray *ra, const GByteArray *rb, guint pages_a,
		       int **map_out, int *count_out, gb_diag *d)
{
	side a, b;
	GByteArray *ret = NULL;
	int *map = NULL;
	GHashTable *changed = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	bool ok = side_read(&a, ra, d);
	ok = side_read(&b, rb, d) && ok;
	/* b's structure needs a's tree to join */
	int keys = !ok || (b.tree && !a.tree) ? -1 : a.tree ? tree_keys(&a) : 0;
	ok = ok && keys >= 0;
	int size_a = ok ? gb_pdf_copy_count(a.c) : 0, count_b = ok ? gb_pdf_copy_count(b.c) : 0;
	if (ok) {
		/* b's objects numbered on after a's, those of its catalog's
		   own left out */
		map = g_new0(int, (gsize)count_b);
		int drop[] = { b.root, b.info, b.pages, b.tree, b.ptree, b.doc,
			       b.outlines, b.labels,
			       /* b's names become the book's when a has none */
			       a.dests ? b.names : 0, a.dests ? b.dests : 0 };
		const GArray *order = gb_pdf_copy_order(b.c);
		int next = size_a;
		for (int id = 1; id < count_b; id++) {
			bool gone = false;
			for (guint k = 0; k < G_N_ELEMENTS(drop); k++)
				gone |= drop[k] == id;
			gsize n;
			if (!gone && gb_pdf_copy_bytes(b.c, id, &n))
				map[id] = next++;
		}
		/* what refers to them refers to a's */
		map[b.pages] = a.pages;
		if (b.tree) {
			map[b.tree] = a.holder;
			map[b.holder] = a.holder;
		}
		ok = changed_a(changed, &a, &b, map, keys, (int)pages_a);
		GString *o = g_string_sized_new(ra->len + rb->len);
		guint64 *offs = g_new0(guint64, (gsize)next);
		/* a's header and objects, then b's */
		const GArray *oa = gb_pdf_copy_order(a.c);
		gsize n0;
		const guint8 *first = oa->len ? gb_pdf_copy_bytes(a.c, (int)g_array_index(oa, guint, 0), &n0) : NULL;
		ok = ok && first;
		if (ok)
			g_string_append_len(o, (const char *)ra->data, (gssize)(first - ra->data));
		for (guint i = 0; ok && i < oa->len; i++) {
			int id = (int)g_array_index(oa, guint, i);
			offs[id] = o->len;
			const char *ch = g_hash_table_lookup(changed, GINT_TO_POINTER(id));
			gsize n;
			const guint8 *s = gb_pdf_copy_bytes(a.c, id, &n);
			if (ch)
				g_string_append(o, ch);
			else
				g_string_append_len(o, (const char *)s, (gssize)n);
		}
		for (guint i = 0; ok && i < order->len; i++) {
			int id = (int)g_array_index(order, guint, i);
			if (map[id] < size_a)
				continue;
			offs[map[id]] = o->len;
			ok = copy_b(o, &b, id, map, keys);
		}
		if (ok) {
			gsize xref = o->len;
			g_string_append_printf(o, "xref\n0 %d\n0000000000 65535 f \n", next);
			for (int id = 1; id < next; id++)
				if (offs[id])
					g_string_append_printf(o, "%010" G_GUINT64_FORMAT " 00000 n \n", offs[id]);
				else
					g_string_append(o, "0000000000 00000 f \n");
			g_string_append_printf(o, "trailer\n<< /Size %d\n   /Root %d 0 R\n"
					       "   /Info %d 0 R\n>>\nstartxref\n%" G_GSIZE_FORMAT
					       "\n%%%%EOF\n", next, a.root, a.info, xref);
			gsize len = o->len;
			ret = g_byte_array_new_take((guint8 *)g_string_free(o, FALSE), len);
		} else {
			g_string_free(o, TRUE);
		}
		g_free(offs);
	}
	if (!ret)
		gb_error(d, gb_noloc(), "cannot finish the PDF: the pages drawn on "
			 "two threads cannot be joined (cairo wrote them otherwise "
			 "than 1.16 does)");
	if (ret) {
		*map_out = g_steal_pointer(&map);
		*count_out = count_b;
	}
	g_free(map);
	g_hash_table_destroy(changed);
	gb_pdf_copy_free(a.c);
	gb_pdf_copy_free(b.c);
	return ret;
}
