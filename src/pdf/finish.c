/* finish.c - finishing cairo's PDF with libqpdf: catalog, XMP metadata, tags, links, trim and bleed boxes (pd.h) */
#include "pdf/pd.h"

/* ---- the post-processing with libqpdf ---- */

/*
 * Reports qpdf's error and its warnings, if any, as errors.  Returns true
 * if there was one.
 */
static bool qpdf_failed(qpdf_data q, gb_diag *d)
{
	bool ret = false;
	while (qpdf_more_warnings(q)) {
		qpdf_error w = qpdf_next_warning(q);
		gb_error(d, gb_noloc(), "cannot finish the PDF: %s",
			 qpdf_get_error_full_text(q, w));
		ret = true;
	}
	if (qpdf_has_error(q)) {
		qpdf_error e = qpdf_get_error(q);
		gb_error(d, gb_noloc(), "cannot finish the PDF: %s",
			 qpdf_get_error_full_text(q, e));
		ret = true;
	}
	return ret;
}

/* The value of key in oh, or null when oh is no dictionary (no warning). */
static qpdf_oh get(qpdf_data q, qpdf_oh oh, const char *key)
{
	if (!qpdf_oh_is_dictionary(q, oh))
		return qpdf_oh_new_null(q);
	return qpdf_oh_get_key(q, oh, key);
}

/*
 * Sets key of dictionary oh, an object of the file or one inside object
 * home, to value (NULL: removes it), and notes the object changed: what
 * pdfcopy.h writes again.
 */
static void put(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		const char *key, const qpdf_oh *value)
{
	if (value)
		qpdf_oh_replace_key(q, oh, key, *value);
	else if (qpdf_oh_has_key(q, oh, key))
		qpdf_oh_remove_key(q, oh, key);
	gb_pdf_copy_touch(c, gb_pdf_copy_home(c, oh, home));
}

/* put() with a name. */
static void put_name(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		     const char *key, const char *name)
{
	qpdf_oh n = qpdf_oh_new_name(q, name);
	put(q, c, oh, home, key, &n);
}

/* put() with the text string utf8. */
static void set_text(qpdf_data q, gb_pdf_copy *c, qpdf_oh oh, int home,
		     const char *key, const char *utf8)
{
	qpdf_oh s = qpdf_oh_new_unicode_string(q, utf8);
	put(q, c, oh, home, key, &s);
	qpdf_oh_release(q, s);
}

/* Appends to s an XMP property holding text (XML-escaped). */
static void xmp_prop(GString *s, const char *name, const char *wrap,
		     const char *text)
{
	if (!text || !g_utf8_validate(text, -1, NULL))
		return;
	char *esc = g_markup_escape_text(text, -1);
	if (!wrap)
		g_string_append_printf(s, "   <%s>%s</%s>\n", name, esc, name);
	else if (!strcmp(wrap, "Alt"))
		g_string_append_printf(s, "   <%s><rdf:Alt><rdf:li xml:lang="
				       "\"x-default\">%s</rdf:li></rdf:Alt></%s>\n",
				       name, esc, name);
	else
		g_string_append_printf(s, "   <%s><rdf:%s><rdf:li>%s</rdf:li>"
				       "</rdf:%s></%s>\n", name, wrap, esc, wrap,
				       name);
	g_free(esc);
}

/* Appends to s an XMP property holding an rdf:Seq of items (XML-escaped),
   one rdf:li each, on one line; nothing when items is empty. */
static void xmp_seq(GString *s, const char *name, char *const *items)
{
	GString *lis = g_string_new(NULL);
	for (; items && *items; items++) {
		if (!g_utf8_validate(*items, -1, NULL))
			continue;
		char *esc = g_markup_escape_text(*items, -1);
		g_string_append_printf(lis, "<rdf:li>%s</rdf:li>", esc);
		g_free(esc);
	}
	if (lis->len)
		g_string_append_printf(s, "   <%s><rdf:Seq>%s</rdf:Seq></%s>\n",
				       name, lis->str, name);
	g_string_free(lis, TRUE);
}

/*
 * The XMP metadata packet, matching the Info dictionary (producer: its
 * /Producer, or NULL), its document and instance uuid (PDF/X-4 wants
 * both), claiming PDF/X-4 when pdfx, PDF/UA-1 when pdfua.  The caller
 * frees it.
 */
static char *xmp_packet(const gb_layout *lay, const char *iso,
			const char *producer, const char *uuid, bool pdfx,
			bool pdfua)
{
	GString *s = g_string_new(
		"<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		"  <rdf:Description rdf:about=\"\"\n"
		"    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		"    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		"    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
		"    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"");
	if (pdfx)
		g_string_append(s, "\n    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"");
	/* PDF/UA-1's identification schema (ISO 14289-1, 5) */
	if (pdfua)
		g_string_append(s, "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
	g_string_append(s, ">\n");
	if (pdfua)
		xmp_prop(s, "pdfuaid:part", NULL, "1");
	xmp_prop(s, "dc:format", NULL, "application/pdf");
	xmp_prop(s, "dc:title", "Alt", lay->title);
	xmp_seq(s, "dc:creator", lay->authors);
	xmp_prop(s, "dc:description", "Alt", lay->subject);
	xmp_prop(s, "dc:language", "Bag", lay->lang);
	xmp_prop(s, "pdf:Keywords", NULL, lay->keywords);
	xmp_prop(s, "pdf:Producer", NULL, producer);
	xmp_prop(s, "xmp:CreatorTool", NULL, "gsi-book " GB_VERSION);
	xmp_prop(s, "xmp:CreateDate", NULL, iso);
	xmp_prop(s, "xmp:ModifyDate", NULL, iso);
	xmp_prop(s, "xmp:MetadataDate", NULL, iso);
	/* one file, one instance: the document's first */
	xmp_prop(s, "xmpMM:DocumentID", NULL, uuid);
	xmp_prop(s, "xmpMM:InstanceID", NULL, uuid);
	if (pdfx) {
		xmp_prop(s, "pdf:Trapped", NULL, "False");
		xmp_prop(s, "pdfxid:GTS_PDFXVersion", NULL, "PDF/X-4");
	}
	g_string_append(s, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
			"<?xpacket end=\"r\"?>");
	return g_string_free(s, FALSE);
}

/*
 * The Info dictionary's dates (and with pdfx, PDF/X-4's /GTS_PDFXVersion
 * and /Trapped /False), and the catalog's /Lang, /ViewerPreferences,
 * /PageMode and /Metadata (uuid: the XMP's document and instance ID).
 * Returns the number of the catalog and sets
 * *info_id to that of the Info dictionary.
 */
static int fix_catalog(qpdf_data q, gb_pdf_copy *c,
		       const gb_layout *lay, const char *iso, const char *pdf_date,
		       const char *uuid, bool pdfx, bool pdfua, int *info_id)
{
	qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
	qpdf_oh root = qpdf_get_root(q);
	int root_id = gb_pdf_copy_home(c, root, 0);
	/* cairo's Info is an object of its own; else it is a new one */
	bool own = qpdf_oh_is_dictionary(q, info) && qpdf_oh_is_indirect(q, info);
	if (own)
		gb_pdf_copy_touch(c, *info_id = qpdf_oh_get_object_id(q, info));
	else if (!qpdf_oh_is_dictionary(q, info))
		info = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, info, "/CreationDate",
			    qpdf_oh_new_string(q, pdf_date));
	qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, pdf_date));
	if (pdfx) {
		qpdf_oh_replace_key(q, info, "/GTS_PDFXVersion",
				    qpdf_oh_new_string(q, "PDF/X-4"));
		qpdf_oh_replace_key(q, info, "/Trapped", qpdf_oh_new_name(q, "/False"));
	}
	if (lay->lang && lay->lang[0] && g_utf8_validate(lay->lang, -1, NULL))
		set_text(q, c, root, 0, "/Lang", lay->lang);
	qpdf_oh prefs = qpdf_oh_parse(q, "<< /DisplayDocTitle true >>");
	put(q, c, root, 0, "/ViewerPreferences", &prefs);
	if (qpdf_oh_has_key(q, root, "/Outlines"))
		put_name(q, c, root, 0, "/PageMode", "/UseOutlines");

	qpdf_oh prod = qpdf_oh_get_key(q, info, "/Producer");
	char *producer = qpdf_oh_is_string(q, prod)
		? g_strdup(qpdf_oh_get_utf8_value(q, prod)) : NULL;
	if (!own)
		*info_id = gb_pdf_copy_add(c, qpdf_oh_unparse_resolved(q, info), NULL, 0);
	/* the packet stays uncompressed, for what reads it without PDF */
	char *xmp = xmp_packet(lay, iso, producer, uuid, pdfx, pdfua);
	put(q, c, root, 0, "/Metadata", NULL);
	gb_pdf_copy_link(c, root_id, "/Metadata",
			 gb_pdf_copy_add(c, "<< /Type /Metadata /Subtype /XML >>", xmp, strlen(xmp)));
	g_free(xmp);
	g_free(producer);
	return root_id;
}

/*
 * Cairo 1.16 counts the outline root down for each entry: gives it the
 * number of entries shown when the document opens, as the PDF wants.
 */
static void fix_outline_count(qpdf_data q, gb_pdf_copy *c, int root)
{
	qpdf_oh outlines = qpdf_oh_get_key(q, qpdf_get_root(q), "/Outlines");
	if (!qpdf_oh_is_dictionary(q, outlines))
		return;
	long long count = 0;
	qpdf_oh item = qpdf_oh_get_key(q, outlines, "/First");
	for (int guard = 0; qpdf_oh_is_dictionary(q, item) && guard < 1000000;
	     guard++) {
		qpdf_oh shown = qpdf_oh_get_key(q, item, "/Count");
		int n = qpdf_oh_is_integer(q, shown) ? qpdf_oh_get_int_value_as_int(q, shown) : 0;
		count += 1 + (n > 0 ? n : 0);
		item = qpdf_oh_get_key(q, item, "/Next");
	}
	qpdf_oh n = qpdf_oh_new_integer(q, count);
	put(q, c, outlines, root, "/Count", &n);
}

/* Gives the structure element k (in object home) the extras of e, if any. */
static void give_extras(qpdf_data q, gb_pdf_copy *c, qpdf_oh k, int home,
			const elem_extra *e)
{
	if (e && e->alt)
		set_text(q, c, k, home, "/Alt", e->alt);
	if (e && e->lang)
		set_text(q, c, k, home, "/Lang", e->lang);
	if (e && e->actual)
		set_text(q, c, k, home, "/ActualText", e->actual);
	if (e && e->id) {
		/* a byte string, as the PDF wants an element's /ID */
		qpdf_oh id = qpdf_oh_new_string(q, e->id);
		put(q, c, k, home, "/ID", &id);
		qpdf_oh_release(q, id);
	}
}

/* Whether s[0, n) begins with pat. */
static bool starts(const guint8 *s, gsize n, const char *pat)
{
	gsize l = strlen(pat);
	return n >= l && !memcmp(s, pat, l);
}

/* Skips spaces in [*p, end). */
static void skip_white(const guint8 **p, const guint8 *end)
{
	while (*p < end && (**p == ' ' || **p == '\n' || **p == '\r'))
		(*p)++;
}

/* The number at *p, moving past it; -1 if none. */
static gint64 read_int(const guint8 **p, const guint8 *end)
{
	gint64 v = -1;
	while (*p < end && **p >= '0' && **p <= '9' && v < G_MAXINT)
		v = (v < 0 ? 0 : v * 10) + (*(*p)++ - '0');
	return v;
}

static bool walk_raw(const gb_pdf_copy *c, int id, bool root, GArray *ids, int depth);

/*
 * The kids at *p (an element's /K: a marked-content id, a reference, a
 * marked-content or object reference dictionary, or an array of them),
 * their elements appended to ids as walk_raw() does.
 */
static bool walk_kids(const gb_pdf_copy *c, const guint8 *p, const guint8 *end,
		      GArray *ids, int depth)
{
	skip_white(&p, end);
	bool array = p < end && *p == '[';
	if (array)
		p++;
	for (;;) {
		skip_white(&p, end);
		if (p >= end)
			return false;
		if (array && *p == ']')
			return true;
		if (starts(p, (gsize)(end - p), "<<")) {
			/* an MCR or OBJR written in place: no element */
			const guint8 *close = p + 2;
			while (close + 1 < end && !(close[0] == '>' && close[1] == '>') &&
			       *close != '<')
				close++;
			if (close + 1 >= end || *close == '<' ||
			    !(starts(p, (gsize)(close - p), "<< /Type /MCR") ||
			      starts(p, (gsize)(close - p), "<< /Type /OBJR")))
				return false;
			p = close + 2;
		} else {
			gint64 a = read_int(&p, end);
			if (a < 0)
				return false;
			const guint8 *r = p;
			skip_white(&r, end);
			gint64 gen = read_int(&r, end);
			skip_white(&r, end);
			if (gen == 0 && r < end && *r == 'R') {
				if (!walk_raw(c, (int)a, false, ids, depth + 1))
					return false;
				p = r + 1;
			}   /* else a marked-content id */
		}
		if (!array)
			return true;
	}
}

/*
 * Appends to ids the structure elements at object id (the tree's root,
 * if root, else a kid), in the order cairo created them, as apply_extras()
 * visits them, read in cairo's bytes (libqpdf would parse each: 5 % of a
 * build).  False if an object is not written as cairo 1.16 writes it.
 */
static bool walk_raw(const gb_pdf_copy *c, int id, bool root, GArray *ids, int depth)
{
	gsize n;
	const guint8 *s = gb_pdf_copy_bytes(c, id, &n);
	const guint8 *dict = s ? memchr(s, '\n', MIN(n, 32)) : NULL;
	if (!dict || depth > 1000)
		return false;
	dict++;
	gsize left = n - (gsize)(dict - s);
	if (!root && (starts(dict, left, "<< /Type /MCR") || starts(dict, left, "<< /Type /OBJR")))
		return true;
	if (!starts(dict, left, root ? "<< /Type /StructTreeRoot\n" : "<< /Type /StructElem\n"))
		return false;
	if (!root)
		g_array_append_val(ids, id);
	/* its keys one a line, the last ">>" */
	const guint8 *end = s + n, *p = dict;
	while ((p = memchr(p, '\n', (gsize)(end - p)))) {
		p++;
		if (starts(p, (gsize)(end - p), "   /K "))
			return walk_kids(c, p + 6, end, ids, depth);
		if (starts(p, (gsize)(end - p), ">>"))
			return true;
	}
	return false;
}

bool gb_pd_raw_elements(const gb_pdf_copy *c, int tree, GArray *ids)
{
	return walk_raw(c, tree, true, ids, 0);
}

/*
 * Visits the structure elements under kids (an element, or an array of
 * them, marked-content ids and references; lying in object outer unless
 * indirect) in the order cairo created them, giving the n-th the /Alt,
 * /Lang, /ActualText and /ID of elems[n], up to element upto (those after
 * it get nothing).
 */
static void apply_extras(qpdf_data q, gb_pdf_copy *c, qpdf_oh kids,
			 int outer, const GPtrArray *elems, guint *n, guint upto, int depth)
{
	bool array = qpdf_oh_is_array(q, kids);
	int len = array ? qpdf_oh_get_array_n_items(q, kids) : 1;
	int home = gb_pdf_copy_home(c, kids, outer);
	if (depth > 1000)
		return;
	/* (each handle is given back: libqpdf keeps every one in a map) */
	for (int i = 0; i < len && *n < upto; i++) {
		qpdf_oh k = array ? qpdf_oh_get_array_item(q, kids, i) : kids;
		if (qpdf_oh_is_dictionary(q, k) && qpdf_oh_has_key(q, k, "/S")) {
			const elem_extra *e = *n < elems->len ? elems->pdata[*n] : NULL;
			int at = gb_pdf_copy_home(c, k, home);
			(*n)++;
			give_extras(q, c, k, home, e);
			if (qpdf_oh_has_key(q, k, "/K")) {
				qpdf_oh sub = qpdf_oh_get_key(q, k, "/K");
				apply_extras(q, c, sub, at, elems, n, upto, depth + 1);
				qpdf_oh_release(q, sub);
			}
		}
		if (array)
			qpdf_oh_release(q, k);
	}
}

/* Whether the kids k of a structure element hold an OBJR to annot. */
static bool has_objr(qpdf_data q, qpdf_oh k, qpdf_oh annot)
{
	int id = qpdf_oh_get_object_id(q, annot);
	int n = qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_n_items(q, k) : 1;
	for (int i = 0; i < n; i++) {
		qpdf_oh item = qpdf_oh_is_array(q, k)
			? qpdf_oh_get_array_item(q, k, i) : k;
		qpdf_oh obj = get(q, item, "/Obj");
		if (qpdf_oh_is_name_and_equals(q, get(q, item, "/Type"), "/OBJR") &&
		    qpdf_oh_is_indirect(q, obj) &&
		    qpdf_oh_get_object_id(q, obj) == id)
			return true;
	}
	return false;
}

/*
 * Links every link annotation and its structure element both ways: the
 * element gets an OBJR to the annotation unless cairo gave it one (Debian's
 * cairo 1.16 does), the page /Tabs /S, and a URI link its URI as
 * /Contents.
 */
static void fix_links(qpdf_data q, gb_pdf_copy *c, qpdf_oh tree)
{
	/* the parent tree, a flat /Nums array from cairo: key -> element
	   (an element, or a page's array of them: looked at only when an
	   annotation names its key, as libqpdf parses what is looked at) */
	GHashTable *parents = g_hash_table_new(g_direct_hash, g_direct_equal);
	qpdf_oh ptree = get(q, tree, "/ParentTree");
	qpdf_oh nums = get(q, ptree, "/Nums");
	int nums_home = gb_pdf_copy_home(c, nums, gb_pdf_copy_home(c, ptree,
						gb_pdf_copy_home(c, tree, 0)));
	int nnums = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
	for (int k = 0; k + 1 < nnums; k += 2) {
		qpdf_oh key = qpdf_oh_get_array_item(q, nums, k);
		qpdf_oh elem = qpdf_oh_get_array_item(q, nums, k + 1);
		if (qpdf_oh_is_integer(q, key))
			g_hash_table_insert(parents, GINT_TO_POINTER(
				qpdf_oh_get_int_value_as_int(q, key)),
				GUINT_TO_POINTER(elem));
	}
	int pages = qpdf_get_num_pages(q);
	for (int i = 0; i < pages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		qpdf_oh annots = get(q, page, "/Annots");
		int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
		if (n > 0)
			put_name(q, c, page, 0, "/Tabs", "/S");
		for (int j = 0; j < n; j++) {
			qpdf_oh a = qpdf_oh_get_array_item(q, annots, j);
			if (!qpdf_oh_is_indirect(q, a) || !qpdf_oh_is_dictionary(q, a))
				continue;
			qpdf_oh uri = get(q, get(q, a, "/A"), "/URI");
			if (qpdf_oh_is_string(q, uri) && !qpdf_oh_has_key(q, a, "/Contents"))
				put(q, c, a, 0, "/Contents", &uri);
			qpdf_oh sp = get(q, a, "/StructParent");
			gpointer found;
			if (!qpdf_oh_is_integer(q, sp) ||
			    !g_hash_table_lookup_extended(parents, GINT_TO_POINTER(
				    qpdf_oh_get_int_value_as_int(q, sp)), NULL, &found))
				continue;
			qpdf_oh elem = GPOINTER_TO_UINT(found);
			if (!qpdf_oh_is_dictionary(q, elem))
				continue;
			qpdf_oh k = get(q, elem, "/K");
			if (has_objr(q, k, a))
				continue;
			int at = gb_pdf_copy_home(c, elem, nums_home);
			qpdf_oh objr = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, objr, "/Type", qpdf_oh_new_name(q, "/OBJR"));
			qpdf_oh_replace_key(q, objr, "/Obj", a);
			qpdf_oh_replace_key(q, objr, "/Pg", page);
			if (qpdf_oh_is_null(q, k)) {
				put(q, c, elem, at, "/K", &objr);
				if (!qpdf_oh_has_key(q, elem, "/Pg"))
					put(q, c, elem, at, "/Pg", &page);
			} else {
				bool array = qpdf_oh_is_array(q, k);
				qpdf_oh arr = array ? k : qpdf_oh_wrap_in_array(q, k);
				qpdf_oh_append_item(q, arr, objr);
				if (array)  /* an array object of its own, changed */
					gb_pdf_copy_touch(c, gb_pdf_copy_home(c, arr, at));
				put(q, c, elem, at, "/K", &arr);
			}
		}
	}
	g_hash_table_destroy(parents);
}

/*
 * v as libqpdf writes a real of 3 decimals (QUtil::double_to_string():
 * fixed, trailing zeros and point dropped), in any locale.
 */
static void append_real(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(buf, sizeof buf, "%.3f", v == 0 ? 0.0 : v);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		n--;
	if (n > 1 && buf[n - 1] == '.')
		n--;
	g_string_append_len(s, buf, (gssize)n);
}

/* A PDF rectangle [x0 y0 x1 y1] from a box given from the top left. */
static qpdf_oh rect(qpdf_data q, double mh, double x, double y, double w,
		    double h)
{
	/* one parse, not an object for each number: libqpdf formats a
	   number through a C++ stream, which took 12,000 instructions */
	GString *s = g_string_new("[");
	double v[4] = { x, mh - y - h, x + w, mh - y };
	for (int i = 0; i < 4; i++) {
		append_real(s, v[i]);
		g_string_append_c(s, i < 3 ? ' ' : ']');
	}
	qpdf_oh a = qpdf_oh_parse(q, s->str);
	g_string_free(s, TRUE);
	return a;
}

/*
 * Every page's TrimBox (the trim) and BleedBox (the trim and its bleed),
 * which cairo cannot write.
 */
static void set_boxes(qpdf_data q, gb_pdf_copy *c,
		      const gb_layout *lay, const gb_pdf_options *o)
{
	if (o->wrap) {
		/* the cover: back, spine and front are one trim */
		const gb_wrap *w = o->wrap;
		qpdf_oh page = qpdf_get_page_n(q, 0);
		qpdf_oh trim = rect(q, w->height, w->bleed, w->bleed,
				    w->width - 2 * w->bleed, w->height - 2 * w->bleed);
		put(q, c, page, 0, "/TrimBox", &trim);
		qpdf_oh bleed = rect(q, w->height, 0, 0, w->width, w->height);
		put(q, c, page, 0, "/BleedBox", &bleed);
		return;
	}
	double mw, mh;
	gb_pd_media_size(o, lay, &mw, &mh);
	int n = qpdf_get_num_pages(q);
	for (int i = 0; i < n && i < (int)lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		double ox, oy;
		gb_pd_trim_origin(o, p, &ox, &oy);
		qpdf_oh trim = rect(q, mh, ox, oy, lay->width, lay->height);
		put(q, c, page, 0, "/TrimBox", &trim);
		double bl = p->recto ? o->bleed_inside : o->bleed_outside;
		double br = p->recto ? o->bleed_outside : o->bleed_inside;
		qpdf_oh bleed = rect(q, mh, ox - bl, oy - o->bleed_top,
				     lay->width + bl + br,
				     lay->height + o->bleed_top + o->bleed_bottom);
		put(q, c, page, 0, "/BleedBox", &bleed);
	}
}

/*
 * PDF/X-4's output intent: the profile's ICC profile (o->icc) embedded,
 * under /OutputIntents of the catalog root.
 */
static void add_output_intent(gb_pdf_copy *c, int root, const gb_pdf_options *o)
{
	gsize len = 0;
	const void *data = g_bytes_get_data(o->icc, &len);
	char *dict = g_strdup_printf("<< /N %d >>", o->icc_components);
	int prof = gb_pdf_copy_add(c, dict, data, len);
	g_free(dict);
	/* a PDF string of the name: letters, digits and - _ . kept */
	char *name = g_strdup(o->icc_name ? o->icc_name : "Custom");
	for (char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("-_.", *p))
			*p = '_';
	char *intent = g_strdup_printf(
		"<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier "
		"(Custom) /OutputCondition (%s) /Info (%s) /DestOutputProfile %d 0 R >>",
		name, name, prof);
	int oi = gb_pdf_copy_add(c, intent, NULL, 0);
	g_free(intent);
	g_free(name);
	char *array = g_strdup_printf("[%d 0 R]", oi);
	gb_pdf_copy_link(c, root, "/OutputIntents", gb_pdf_copy_add(c, array, NULL, 0));
	g_free(array);
}

/*
 * With a gray or CMYK output intent, RGB content (pictures, coloured
 * drawings) is given its colour space: o->rgb_icc, as every page's
 * /DefaultRGB (PDF/X-4 takes DeviceRGB so made device independent).
 * False after reporting why.
 */
static bool add_default_rgb(qpdf_data q, gb_pdf_copy *c, const gb_pdf_options *o,
			    gb_diag *d)
{
	gsize len = 0;
	const void *data = g_bytes_get_data(o->rgb_icc, &len);
	int prof = gb_pdf_copy_add(c, "<< /N 3 >>", data, len);
	char *cs = g_strdup_printf("[/ICCBased %d 0 R]", prof);
	int space = gb_pdf_copy_add(c, cs, NULL, 0);
	g_free(cs);
	char *dict = g_strdup_printf("<< /DefaultRGB %d 0 R >>", space);
	int spaces = gb_pdf_copy_add(c, dict, NULL, 0);
	g_free(dict);
	GHashTable *done = g_hash_table_new(g_direct_hash, g_direct_equal);
	int n = qpdf_get_num_pages(q);
	bool ok = true;
	for (int i = 0; ok && i < n; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		qpdf_oh res = get(q, page, "/Resources");
		if (!qpdf_oh_is_indirect(q, res) || !qpdf_oh_is_dictionary(q, res)) {
			gb_error(d, gb_noloc(), "cannot finish the PDF: page %d's "
				 "resources are not an object of their own", i + 1);
			ok = false;
			break;
		}
		int id = qpdf_oh_get_object_id(q, res);
		if (g_hash_table_contains(done, GINT_TO_POINTER(id)))
			continue;
		g_hash_table_add(done, GINT_TO_POINTER(id));
		qpdf_oh old = get(q, res, "/ColorSpace");
		if (qpdf_oh_is_dictionary(q, old)) {
			/* the page's own colour spaces, and DefaultRGB */
			char *more = g_strdup_printf("<< /DefaultRGB %d 0 R ", space);
			GString *own = g_string_new(more);
			g_free(more);
			char *keys_of = g_strdup(qpdf_oh_unparse(q, old));
			/* "<< ... >>" less its brackets */
			size_t kl = strlen(keys_of);
			if (kl >= 4 && !strncmp(keys_of, "<<", 2))
				g_string_append_len(own, keys_of + 2, (gssize)(kl - 4));
			g_string_append(own, " >>");
			g_free(keys_of);
			put(q, c, res, id, "/ColorSpace", NULL);
			gb_pdf_copy_link(c, id, "/ColorSpace",
					 gb_pdf_copy_add(c, own->str, NULL, 0));
			g_string_free(own, TRUE);
		} else {
			gb_pdf_copy_link(c, id, "/ColorSpace", spaces);
		}
	}
	g_hash_table_destroy(done);
	return ok;
}

void gb_pdf_options_pdfx(gb_pdf_options *o, const gb_profile *p)
{
	bool on = p && p->icc;
	o->icc = on ? p->icc : NULL;
	o->icc_components = on ? p->icc_components : 0;
	o->icc_name = on ? p->icc_name : NULL;
	o->rgb_icc = on ? p->rgb_icc : NULL;
}

/* PDF/X-4's pages: no transparency group, where nothing is transparent. */
static void drop_page_groups(qpdf_data q, gb_pdf_copy *c)
{
	int n = qpdf_get_num_pages(q);
	for (int i = 0; i < n; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		if (qpdf_oh_has_key(q, page, "/Group"))
			put(q, c, page, 0, "/Group", NULL);
	}
}

/*
 * Mends cairo's PDF raw with libqpdf (see the top of this file), applies
 * elems (cairo's structure elements in order), and writes the edition:
 * cairo's objects, the ones changed written again (pdfcopy.h), an /ID
 * derived from the content.  Returns the bytes (the caller unrefs them),
 * or NULL after reporting why.  With keep, libqpdf's data stays for the
 * caller to clean up (*keep), else it goes.
 */
GBytes *gb_pd_finish_pdf(const gb_layout *lay, const gb_pdf_options *opt,
			  const GByteArray *raw, const GPtrArray *elems,
			  const char *iso, const char *pdf_date, gb_diag *d,
			  qpdf_data *keep)
{
	return gb_pd_finish_tagged(lay, opt, raw, elems, NULL, NULL, iso, pdf_date, d, keep);
}

bool gb_pd_rewrite_of(const gb_pdf_options *opt, const gb_layout *lay, gb_pd_rewrite *rw)
{
	double sheet_w, sheet_h;
	gb_pd_media_size(opt, lay, &sheet_w, &sheet_h);
	*rw = (gb_pd_rewrite){ opt->pdfua, opt->icc != NULL || opt->gray, NULL, sheet_h, NULL };
	return rw->artifacts || rw->gray;
}

GBytes *gb_pd_finish_tagged(const gb_layout *lay, const gb_pdf_options *opt,
			  const GByteArray *raw, const GPtrArray *elems,
			  const GPtrArray *arts, gb_pd_early *early, const char *iso,
			  const char *pdf_date, gb_diag *d, qpdf_data *keep)
{
	GBytes *ret = NULL;
	qpdf_data q = qpdf_init();
	gb_pdf_copy *c = NULL;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	qpdf_read_memory(q, "book.pdf", (const char *)raw->data, raw->len, NULL);
	if (qpdf_failed(q, d) || !(c = gb_pdf_copy_new(q, raw, d)))
		goto out;

	int info = 0;
	bool pdfx = opt->icc != NULL;
	/* the XMP's document ID, from the content as drawn: the same
	   content, the same ID */
	char *md5 = g_compute_checksum_for_data(G_CHECKSUM_MD5, raw->data, raw->len);
	char *uuid = g_strdup_printf("uuid:%.8s-%.4s-%.4s-%.4s-%.12s", md5,
				     md5 + 8, md5 + 12, md5 + 16, md5 + 20);
	g_free(md5);
	int root = fix_catalog(q, c, lay, iso, pdf_date, uuid, pdfx, opt->pdfua, &info);
	g_free(uuid);
	if (pdfx) {
		add_output_intent(c, root, opt);
		drop_page_groups(q, c);
		if (opt->rgb_icc && !add_default_rgb(q, c, opt, d))
			goto out;
	}
	fix_outline_count(q, c, root);
	if (!opt->booklet)
		set_boxes(q, c, lay, opt);
	qpdf_oh catalog = qpdf_get_root(q);
	qpdf_oh outlines = qpdf_oh_get_key(q, catalog, "/Outlines");
	if ((!opt->outline || !opt->links) && qpdf_oh_is_dictionary(q, outlines)) {
		/* no bookmarks at all: some printers refuse even an empty
		   root, which is left out of the file too */
		if (qpdf_oh_is_indirect(q, outlines) &&
		    !qpdf_oh_has_key(q, outlines, "/First"))
			gb_pdf_copy_drop(c, qpdf_oh_get_object_id(q, outlines));
		put(q, c, catalog, 0, "/Outlines", NULL);
		put(q, c, catalog, 0, "/PageMode", NULL);
	}
	qpdf_oh tree = qpdf_oh_get_key(q, catalog, "/StructTreeRoot");
	if (qpdf_oh_is_dictionary(q, tree)) {
		/* the walk ends at the last element given something: in a
		   long book few are, and libqpdf parses each element walked */
		guint n = 0, upto = 0;
		for (guint i = 0; i < elems->len; i++) {
			const elem_extra *e = elems->pdata[i];
			if (e && (e->alt || e->lang || e->actual || e->id))
				upto = i + 1;
		}
		GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
		if (upto && qpdf_oh_is_indirect(q, tree) &&
		    gb_pd_raw_elements(c, qpdf_oh_get_object_id(q, tree), ids) &&
		    ids->len >= upto) {
			for (; n < upto; n++) {
				const elem_extra *e = elems->pdata[n];
				if (!e || !(e->alt || e->lang || e->actual || e->id))
					continue;
				int id = g_array_index(ids, int, n);
				qpdf_oh k = qpdf_get_object_by_id(q, id, 0);
				give_extras(q, c, k, id, e);
				qpdf_oh_release(q, k);
			}
		} else {
			apply_extras(q, c, qpdf_oh_get_key(q, tree, "/K"),
				     gb_pdf_copy_home(c, tree, 0), elems, &n, upto, 0);
		}
		g_array_free(ids, TRUE);
		if (n != upto) {
			gb_error(d, gb_noloc(), "cannot finish the PDF: its "
				 "structure tree has %u elements, where %u were "
				 "drawn", n, elems->len);
			goto out;
		}
		fix_links(q, c, tree);
	}
	/* PDF/UA's artifacts; a print file's (and a gray one's) neutral
	   colours in DeviceGray */
	gb_pd_rewrite rw;
	bool rewrite = gb_pd_rewrite_of(opt, lay, &rw);
	rw.arts = arts;
	rw.early = early;
	if (rewrite && !gb_pd_rewrite_contents(q, c, &rw, d)) {
		qpdf_failed(q, d);
		goto out;
	}
	/* the printer's marks: last, as they change every page's contents */
	gb_pd_add_marks(q, c, lay, opt);
	if (qpdf_failed(q, d))
		goto out;
	/* PDF 1.7: the tagged PDF and its /Lang, as PDF/UA wants; PDF/X-4
	   is PDF 1.6 */
	ret = gb_pdf_copy_write(c, pdfx ? "1.6" : "1.7", root, info, d);
	if (ret && qpdf_failed(q, d))
		g_clear_pointer(&ret, g_bytes_unref);
	if (ret && keep) {
		/* the caller frees it when it likes */
		gb_pdf_copy_free(c);
		*keep = q;
		return ret;
	}
out:
	gb_pdf_copy_free(c);
	qpdf_cleanup(&q);
	return ret;
}
