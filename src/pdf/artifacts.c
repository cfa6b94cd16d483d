/*
 * artifacts.c - PDF/UA's artifacts (pd.h): what a page draws outside its
 * structure (running heads, folios, rules, furniture) marked as such.
 *
 * Cairo 1.16 marks the content of structure elements (`/P << /MCID n >>
 * BDC ... EMC`) but cannot mark an artifact: a tag named Artifact breaks
 * its surface.  So everything drawn outside those sequences is left bare,
 * which PDF/UA forbids (every piece of content is tagged or an artifact).
 * The finish reads each page's content stream, and wraps every run of
 * graphics objects (text objects, paths, XObjects, shadings, inline
 * images) that lies outside a sequence with an MCID in `/Artifact <<
 * /Type /Pagination /Subtype /Header >> BDC ... EMC`.  The runs begin at a
 * graphics object (the state operators before it stay outside) and end
 * before the next structure sequence, before the Q that restores the state
 * saved before the run, or at the end of the stream.  What a run is (its
 * property list) the device says: where on the page it drew each artifact
 * and of what kind (pd.h, gb_pd_art); a run takes the kind of the place
 * nearest its first point (the origin of its first text, path or
 * picture, through the transformation matrix, followed here).  libqpdf's C API has no content-stream tokenizer, so
 * the stream is read here: numbers, names, strings, arrays, dictionaries,
 * comments and inline images, enough to find the operators.
 */
#include "pdf/pd.h"
#include <zlib.h>

/* A content stream being read. */
typedef struct lexer {
	const guint8 *s;
	gsize n, at;
} lexer;

static bool is_space(guint8 c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == 0;
}

static bool is_delim(guint8 c)
{
	return strchr("()<>[]{}/%", c) != NULL && c != 0;
}

/* Skips white space and comments. */
static void skip_space(lexer *x)
{
	while (x->at < x->n) {
		if (is_space(x->s[x->at])) {
			x->at++;
		} else if (x->s[x->at] == '%') {
			while (x->at < x->n && x->s[x->at] != '\n' && x->s[x->at] != '\r')
				x->at++;
		} else {
			break;
		}
	}
}

/* A token's kind. */
typedef enum tok {
	TOK_END, TOK_OPERAND, TOK_DICT_OPEN, TOK_DICT_CLOSE, TOK_NAME,
	TOK_OPERATOR, TOK_BAD,
} tok;

/*
 * The next token from x->at, its bytes s[*from, x->at).  Strings, hex
 * strings, numbers, array brackets, booleans and null are all operands.
 */
static tok next(lexer *x, gsize *from)
{
	skip_space(x);
	*from = x->at;
	if (x->at >= x->n)
		return TOK_END;
	guint8 c = x->s[x->at];
	if (c == '(') {
		int depth = 0;
		for (; x->at < x->n; x->at++) {
			guint8 d = x->s[x->at];
			if (d == '\\')
				x->at++;
			else if (d == '(')
				depth++;
			else if (d == ')' && --depth == 0)
				break;
		}
		if (x->at >= x->n)
			return TOK_BAD;
		x->at++;
		return TOK_OPERAND;
	}
	if (c == '<' && x->at + 1 < x->n && x->s[x->at + 1] == '<') {
		x->at += 2;
		return TOK_DICT_OPEN;
	}
	if (c == '>' && x->at + 1 < x->n && x->s[x->at + 1] == '>') {
		x->at += 2;
		return TOK_DICT_CLOSE;
	}
	if (c == '<') {
		while (x->at < x->n && x->s[x->at] != '>')
			x->at++;
		if (x->at >= x->n)
			return TOK_BAD;
		x->at++;
		return TOK_OPERAND;
	}
	if (c == '[' || c == ']' || c == '{' || c == '}') {
		x->at++;
		return TOK_OPERAND;
	}
	if (c == ')' || c == '>')
		return TOK_BAD;
	bool name = c == '/';
	if (name)
		x->at++;
	while (x->at < x->n && !is_space(x->s[x->at]) && !is_delim(x->s[x->at]))
		x->at++;
	if (name)
		return TOK_NAME;
	guint8 f = x->s[*from];
	if ((f >= '0' && f <= '9') || f == '+' || f == '-' || f == '.')
		return TOK_OPERAND;
	gsize len = x->at - *from;
	if ((len == 4 && !memcmp(x->s + *from, "true", 4)) ||
	    (len == 5 && !memcmp(x->s + *from, "false", 5)) ||
	    (len == 4 && !memcmp(x->s + *from, "null", 4)))
		return TOK_OPERAND;
	return TOK_OPERATOR;
}

/* Whether the operator s[from, to) is op. */
static bool op_is(const lexer *x, gsize from, const char *op)
{
	gsize len = strlen(op);
	return x->at - from == len && !memcmp(x->s + from, op, len);
}

/*
 * Skips an inline image's data, from just after its ID operator to just
 * after its EI (an EI between white space).  False if there is none.
 */
static bool skip_inline_image(lexer *x)
{
	for (gsize i = x->at + 1; i + 2 <= x->n; i++) {
		if (x->s[i] == 'E' && x->s[i + 1] == 'I' && is_space(x->s[i - 1]) &&
		    (i + 2 == x->n || is_space(x->s[i + 2]))) {
			x->at = i + 2;
			return true;
		}
	}
	return false;
}

/* Whether operator s[from, x->at) begins a graphics object. */
static bool begins_object(const lexer *x, gsize from)
{
	static const char *const ops[] = {
		"BT", "m", "re", "Do", "sh", "BI", "d0", "d1", NULL,
	};
	for (int i = 0; ops[i]; i++)
		if (op_is(x, from, ops[i]))
			return true;
	return false;
}

const char *gb_pd_art_props(const char *attrs)
{
	/* ISO 32000-1, 14.8.2.2.2: running heads and folios are
	   Pagination (Header at the top, Footer at the foot), rules and
	   other cosmetic marks Layout, crop marks Page */
	static const char *const kinds[][2] = {
		{ "Pagination Header", "<< /Type /Pagination /Subtype /Header >>" },
		{ "Pagination Footer", "<< /Type /Pagination /Subtype /Footer >>" },
		{ "Pagination", "<< /Type /Pagination >>" },
		{ "Layout", "<< /Type /Layout >>" },
		{ "Page", "<< /Type /Page >>" },
	};
	for (size_t i = 0; attrs && i < G_N_ELEMENTS(kinds); i++)
		if (!strcmp(attrs, kinds[i][0]))
			return kinds[i][1];
	return NULL;
}

/* The current transformation matrix, [a b c d e f]. */
typedef struct ctm {
	double m[6];
} ctm;

/* Sets c to m x c (the operator cm). */
static void concat(ctm *c, const double m[6])
{
	const double *k = c->m;
	double r[6] = {
		m[0] * k[0] + m[1] * k[2], m[0] * k[1] + m[1] * k[3],
		m[2] * k[0] + m[3] * k[2], m[2] * k[1] + m[3] * k[3],
		m[4] * k[0] + m[5] * k[2] + k[4], m[4] * k[1] + m[5] * k[3] + k[5],
	};
	memcpy(c->m, r, sizeof r);
}

/*
 * The property list for content first drawn at x, y (PDF user space): the
 * one of the nearest of arts (on the sheet, from the top left of a sheet
 * sheet_h tall); without any, by the content (text: Pagination, else
 * Layout).
 */
static const char *props_at(const gb_pd_art *arts, guint narts, double sheet_h,
			    double x, double y, bool text)
{
	const char *best = NULL;
	double best_d = G_MAXDOUBLE;
	y = sheet_h - y;
	for (guint i = 0; i < narts; i++) {
		const gb_pd_art *a = &arts[i];
		double dx = MAX(MAX(a->x0 - x, x - a->x1), 0);
		double dy = MAX(MAX(a->y0 - y, y - a->y1), 0);
		double d = dx * dx + dy * dy;
		if (d < best_d) {
			best_d = d;
			best = a->props;
		}
	}
	if (best)
		return best;
	return text ? gb_pd_art_props("Pagination") : gb_pd_art_props("Layout");
}

/* Inserts str into o at byte at. */
static void insert_at(GByteArray *o, gsize at, const char *str)
{
	gsize len = strlen(str), old = o->len;
	g_byte_array_set_size(o, (guint)(old + len));
	memmove(o->data + at + len, o->data + at, old - at);
	memcpy(o->data + at, str, len);
}

/* An artifact run whose property list waits for its first point. */
typedef struct pending {
	bool open;          /* waiting */
	gsize at;           /* where its BDC goes in the output */
	bool text;          /* it begins with a text object */
} pending;

/* Writes the BDC of the run p waits for, as for content drawn at x, y. */
static void settle(GByteArray *o, pending *p, const gb_pd_art *arts,
		   guint narts, double sheet_h, double x, double y)
{
	if (!p->open)
		return;
	char *bdc = g_strdup_printf("/Artifact %s BDC\n",
				    props_at(arts, narts, sheet_h, x, y, p->text));
	insert_at(o, p->at, bdc);
	g_free(bdc);
	p->open = false;
}

/* The number s[from, to), or false. */
static bool number(const guint8 *s, gsize from, gsize to, double *v)
{
	char buf[64];
	if (to - from >= sizeof buf)
		return false;
	memcpy(buf, s + from, to - from);
	buf[to - from] = 0;
	char *end;
	*v = g_ascii_strtod(buf, &end);
	return end != buf && !*end;
}

GByteArray *gb_pd_mark_artifacts(const guint8 *s, gsize n, const gb_pd_art *arts,
				 guint narts, double sheet_h, const char **why)
{
	static const char close_art[] = "EMC\n";
	lexer x = { s, n, 0 };
	GByteArray *o = g_byte_array_sized_new((guint)n + 64);
	GArray *saved = g_array_new(FALSE, FALSE, sizeof(ctm));
	ctm cur = { { 1, 0, 0, 1, 0, 0 } };
	double num[6];         /* the last numbers among the operands */
	int nums = 0;
	pending pend = { false, 0, false };
	gsize copied = 0;      /* s[0, copied) is in o */
	gsize first = n;       /* the first operand of this operator */
	bool mcid = false;     /* the operands name an /MCID */
	int depth = 0;         /* marked-content sequences open */
	bool art = false;      /* an artifact run is open */
	bool text = false;     /* inside BT ... ET */
	int saves = 0, art_saves = 0;   /* q open; q open at the run's start */
	int dicts = 0;
	for (;;) {
		gsize from;
		tok t = next(&x, &from);
		if (t == TOK_END)
			break;
		if (t == TOK_BAD) {
			*why = "a string or dictionary does not end";
			goto bad;
		}
		if (first == n) {
			first = from;
			nums = 0;
		}
		if (t == TOK_DICT_OPEN)
			dicts++;
		else if (t == TOK_DICT_CLOSE)
			dicts--;
		else if (t == TOK_NAME && dicts > 0 && x.at - from == 5 &&
			 !memcmp(s + from, "/MCID", 5))
			mcid = true;
		else if (t == TOK_OPERAND) {
			double v;
			if (!number(s, from, x.at, &v))
				v = 0;
			if (nums == 6)
				memmove(num, num + 1, 5 * sizeof *num);
			num[nums < 6 ? nums++ : 5] = v;
		}
		if (t != TOK_OPERATOR)
			continue;
		if (dicts != 0) {
			*why = "a dictionary does not end";
			goto bad;
		}
		bool closes = false, object = false;
		if (op_is(&x, from, "BDC") || op_is(&x, from, "BMC")) {
			closes = depth == 0 && mcid;
			object = depth == 0 && !mcid;
			depth++;
		} else if (op_is(&x, from, "EMC")) {
			if (--depth < 0) {
				*why = "an EMC closes no marked content";
				goto bad;
			}
		} else if (depth == 0 && begins_object(&x, from)) {
			object = true;
		} else if (op_is(&x, from, "q")) {
			saves++;
			g_array_append_val(saved, cur);
		} else if (op_is(&x, from, "Q")) {
			/* the run ends inside the q ... Q it began in */
			closes = saves-- == art_saves;
			if (saved->len) {
				cur = g_array_index(saved, ctm, saved->len - 1);
				g_array_set_size(saved, saved->len - 1);
			}
		} else if (op_is(&x, from, "cm") && nums == 6) {
			concat(&cur, num);
		}
		if (closes && art) {
			if (text) {
				*why = "structure content begins inside an artifact's text object";
				goto bad;
			}
			settle(o, &pend, arts, narts, sheet_h, cur.m[4], cur.m[5]);
			g_byte_array_append(o, s + copied, (guint)(first - copied));
			g_byte_array_append(o, (const guint8 *)close_art, sizeof close_art - 1);
			copied = first;
			art = false;
		} else if (object && !art) {
			g_byte_array_append(o, s + copied, (guint)(first - copied));
			copied = first;
			art = true;
			art_saves = saves;
			pend = (pending){ true, o->len, op_is(&x, from, "BT") };
		}
		if (pend.open) {
			/* the run's first point: where its text or path begins,
			   or its picture's or shading's origin */
			double px = 0, py = 0;
			bool at = true;
			if ((op_is(&x, from, "Tm") && nums == 6) ||
			    ((op_is(&x, from, "m") || op_is(&x, from, "re")) && nums >= 2)) {
				int k = op_is(&x, from, "Tm") ? 4 : op_is(&x, from, "re") ? nums - 4 : nums - 2;
				if (k < 0)
					k = 0;
				px = num[k];
				py = num[k + 1];
			} else if ((op_is(&x, from, "Td") || op_is(&x, from, "TD")) && nums >= 2) {
				px = num[nums - 2];
				py = num[nums - 1];
			} else if (!(op_is(&x, from, "Do") || op_is(&x, from, "sh") ||
				     op_is(&x, from, "BI") || op_is(&x, from, "Tj") ||
				     op_is(&x, from, "TJ") || op_is(&x, from, "'") ||
				     op_is(&x, from, "\""))) {
				at = false;
			}
			if (at) {
				const double *m = cur.m;
				settle(o, &pend, arts, narts, sheet_h,
				       m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]);
			}
		}
		if (op_is(&x, from, "BT"))
			text = true;
		else if (op_is(&x, from, "ET"))
			text = false;
		else if (op_is(&x, from, "ID") && !skip_inline_image(&x)) {
			*why = "an inline image does not end";
			goto bad;
		}
		first = n;
		mcid = false;
	}
	if (depth != 0 || first != n) {
		*why = depth ? "marked content does not end" : "operands without an operator";
		goto bad;
	}
	g_byte_array_append(o, s + copied, (guint)(n - copied));
	if (art) {
		settle(o, &pend, arts, narts, sheet_h, cur.m[4], cur.m[5]);
		if (n && s[n - 1] != '\n')
			g_byte_array_append(o, (const guint8 *)"\n", 1);
		g_byte_array_append(o, (const guint8 *)close_art, sizeof close_art - 1);
	}
	g_array_free(saved, TRUE);
	return o;
bad:
	g_array_free(saved, TRUE);
	g_byte_array_unref(o);
	return NULL;
}

/* The pages' marked contents, compressed by a few threads. */
typedef struct squeeze {
	GPtrArray *in;          /* GByteArray *, a page's content, or NULL
				   (rewritten while drawn: early.c) */
	GPtrArray *out;         /* GBytes *, compressed, or NULL on failure */
	guint from, step;       /* this thread's pages: from, from + step... */
} squeeze;

GBytes *gb_pd_deflate(const GByteArray *m)
{
	uLongf zlen = compressBound(m->len);
	guint8 *z = g_malloc(zlen);
	if (compress2(z, &zlen, m->data, m->len, Z_DEFAULT_COMPRESSION) != Z_OK) {
		g_free(z);
		return NULL;
	}
	return g_bytes_new_take(g_realloc(z, zlen ? zlen : 1), zlen);
}

/* Compresses a thread's pages (those not done while drawing). */
static gpointer compress_pages(gpointer data)
{
	squeeze *sq = data;
	for (guint i = sq->from; i < sq->in->len; i += sq->step)
		if (sq->in->pdata[i])
			sq->out->pdata[i] = gb_pd_deflate(sq->in->pdata[i]);
	return NULL;
}

GByteArray *gb_pd_rewrite_page(const guint8 *buf, gsize len, const gb_pd_rewrite *rw,
			       const GArray *a, const char **why)
{
	GByteArray *m = rw->artifacts
		? gb_pd_mark_artifacts(buf, len, a ? (const gb_pd_art *)(void *)a->data : NULL,
				       a ? a->len : 0, rw->sheet_h, why)
		: g_byte_array_append(g_byte_array_new(), buf, (guint)len);
	if (m && rw->gray) {
		GByteArray *g = gb_pd_gray_colours(m->data, m->len, why);
		g_byte_array_unref(m);
		m = g;
	}
	return m;
}

/* The object number of page's content stream, or 0 if it is none. */
static int contents_id(qpdf_data q, qpdf_oh page)
{
	qpdf_oh old = qpdf_oh_get_key(q, page, "/Contents");
	int id = qpdf_oh_is_indirect(q, old) && qpdf_oh_is_stream(q, old)
		? qpdf_oh_get_object_id(q, old) : 0;
	qpdf_oh_release(q, old);
	return id;
}

static void unref_marked(gpointer m)
{
	if (m)
		g_byte_array_unref(m);
}

/*
 * Every page's content of q, read and rewritten by rw, or NULL where
 * early.c has it; NULL after reporting why.  The caller unrefs the array.
 */
static GPtrArray *marked_pages(qpdf_data q, const gb_pd_rewrite *rw, gb_diag *d)
{
	int pages = qpdf_get_num_pages(q);
	bool done = rw->early != NULL;
	GPtrArray *marked = g_ptr_array_new_with_free_func(unref_marked);
	for (int i = 0; i < pages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		if (done && gb_pd_early_done(rw->early, (guint)i, contents_id(q, page))) {
			/* rewritten while cairo drew (early.c) */
			qpdf_oh_release(q, page);
			g_ptr_array_add(marked, NULL);
			continue;
		}
		unsigned char *buf = NULL;
		size_t len = 0;
		QPDF_ERROR_CODE e = qpdf_oh_get_page_content_data(q, page, &buf, &len);
		qpdf_oh_release(q, page);
		if (e != QPDF_SUCCESS) {
			gb_error(d, gb_noloc(), "cannot rewrite the content of page "
				 "%d: libqpdf cannot read it", i + 1);
			g_ptr_array_unref(marked);
			return NULL;   /* and libqpdf's error: the caller's */
		}
		const char *why = NULL;
		const GArray *a = rw->arts && (guint)i < rw->arts->len ? rw->arts->pdata[i] : NULL;
		GByteArray *m = gb_pd_rewrite_page(buf, len, rw, a, &why);
		free(buf);
		if (!m) {
			gb_error(d, gb_noloc(), "cannot rewrite the content of page "
				 "%d: it cannot be read: %s", i + 1, why);
			g_ptr_array_unref(marked);
			return NULL;
		}
		g_ptr_array_add(marked, m);
	}
	return marked;
}

bool gb_pd_rewrite_contents(qpdf_data q, gb_pdf_copy *c, const gb_pd_rewrite *rw,
			    gb_diag *d)
{
	GPtrArray *marked = marked_pages(q, rw, d);
	if (!marked)
		return false;
	/* compressing is most of the time (70 of 100 ms at 300 pages):
	   libqpdf is used on this thread only, zlib on up to four */
	guint threads = CLAMP(g_get_num_processors(), 1, 4);
	GPtrArray *z = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_ptr_array_set_size(z, (gint)marked->len);
	squeeze sq[4];
	GThread *worker[4] = { NULL };
	for (guint t = 0; t < threads; t++) {
		sq[t] = (squeeze){ marked, z, t, threads };
		if (t > 0)
			worker[t] = g_thread_new("deflate", compress_pages, &sq[t]);
	}
	compress_pages(&sq[0]);
	for (guint t = 1; t < threads; t++)
		g_thread_join(worker[t]);
	bool ok = true;
	for (guint i = 0; ok && i < z->len; i++) {
		if (!marked->pdata[i])
			z->pdata[i] = gb_pd_early_take(rw->early, i);
		if (!z->pdata[i]) {
			gb_error(d, gb_noloc(), "cannot rewrite the content of page "
				 "%u: zlib cannot compress it", i + 1);
			ok = false;
			break;
		}
		qpdf_oh page = qpdf_get_page_n(q, i);
		qpdf_oh old = qpdf_oh_get_key(q, page, "/Contents");
		if (qpdf_oh_is_indirect(q, old) && qpdf_oh_is_stream(q, old)) {
			/* cairo's stream and its /Length go */
			qpdf_oh dict = qpdf_oh_get_dict(q, old);
			qpdf_oh length = qpdf_oh_get_key(q, dict, "/Length");
			if (qpdf_oh_is_indirect(q, length))
				gb_pdf_copy_drop(c, qpdf_oh_get_object_id(q, length));
			gb_pdf_copy_drop(c, qpdf_oh_get_object_id(q, old));
			qpdf_oh_release(q, length);
			qpdf_oh_release(q, dict);
		}
		qpdf_oh_remove_key(q, page, "/Contents");
		gsize zlen;
		const void *zdata = g_bytes_get_data(z->pdata[i], &zlen);
		int id = gb_pdf_copy_add(c, "<< /Filter /FlateDecode >>", zdata, zlen);
		gb_pdf_copy_link(c, gb_pdf_copy_home(c, page, 0), "/Contents", id);
		qpdf_oh_release(q, old);
		qpdf_oh_release(q, page);
	}
	g_ptr_array_unref(z);
	g_ptr_array_unref(marked);
	return ok;
}

/* The reader's tokens, as pd.h names them. */
G_STATIC_ASSERT((int)TOK_END == (int)GB_PD_END && (int)TOK_OPERAND == (int)GB_PD_OPERAND &&
		(int)TOK_DICT_OPEN == (int)GB_PD_DICT_OPEN &&
		(int)TOK_DICT_CLOSE == (int)GB_PD_DICT_CLOSE &&
		(int)TOK_NAME == (int)GB_PD_NAME && (int)TOK_OPERATOR == (int)GB_PD_OPERATOR &&
		(int)TOK_BAD == (int)GB_PD_BAD);

gb_pd_tok gb_pd_next_token(const guint8 *s, gsize n, gsize *at, gsize *from)
{
	lexer x = { s, n, *at };
	tok t = next(&x, from);
	/* an inline image's data is no token: skipped after its ID */
	if (t == TOK_OPERATOR && op_is(&x, *from, "ID") && !skip_inline_image(&x))
		t = TOK_BAD;
	*at = x.at;
	return (gb_pd_tok)t;
}
