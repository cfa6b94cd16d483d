/* split.c - a book drawn in two parts on two threads (pdf.c, join.c): the
   joined PDF has the pages, structure, parent tree, labels, destinations,
   links and outline that one surface gives */
#include "unit.h"
#include "pdf/pdf.h"
#include <qpdf/qpdf-c.h>

/* Eight pages: two parts (Sect) of four, the second's first page
   starting with nothing open; links both ways across them, an element
   with a language in the second, roman then arabic labels. */
static gb_layout *two_parts(bool wrapped, bool late)
{
	gb_layout *lay = gb_layout_new(420, 595);
	/* the second part's first label "1": a range cairo writes in one
	   surface but not in the second part's own */
	const char *labels[] = { "i", "ii", "iii", "iv", "1", "2", "3", "4" };
	for (int i = 0; i < 8; i++) {
		gb_page *p = gb_layout_add_page(lay, i % 2 == 0);
		p->label = g_strdup(labels[i]);
		if (wrapped && i == 0)   /* an element open over both parts */
			gb_page_add_tag(p, "Div", NULL);
		if (i == 0 || i == 4)
			gb_page_add_tag(p, "Sect", NULL);
		gb_page_add_tag(p, "P", i == 5 ? "lang='fr'" : NULL);
		/* late: every destination in the second part */
		if (i == (late ? 6 : 1))
			gb_page_add_dest(p, 60, 80, "one");
		if (i == 5)
			gb_page_add_dest(p, 60, 80, "two");
		gb_page_add_rule(p, 60, 100 + 10 * i, 200, 1);
		if (i == 2)
			gb_page_add_link(p, 60, 120, 50, 12, "#two");
		if (i == 6)
			gb_page_add_link(p, 60, 120, 50, 12, "#one");
		gb_page_end_tag(p);
		if (i == 3 || i == 7)
			gb_page_end_tag(p);
		if (wrapped && i == 7)
			gb_page_end_tag(p);
	}
	gb_layout_add_outline(lay, 1, "One", "one");
	gb_layout_add_outline(lay, 1, "Two", "two");
	return lay;
}

/* The structure elements under k, depth first: their types (and /Lang),
   their pages' indexes, appended to s. */
static void elements(qpdf_data q, qpdf_oh k, GString *s, int depth)
{
	if (depth > 50)
		return;
	if (qpdf_oh_is_array(q, k)) {
		for (int i = 0; i < qpdf_oh_get_array_n_items(q, k); i++)
			elements(q, qpdf_oh_get_array_item(q, k, i), s, depth + 1);
		return;
	}
	if (!qpdf_oh_is_dictionary(q, k) || !qpdf_oh_has_key(q, k, "/S"))
		return;
	g_string_append_printf(s, "%s", qpdf_oh_get_name(q, qpdf_oh_get_key(q, k, "/S")));
	qpdf_oh lang = qpdf_oh_get_key(q, k, "/Lang");
	if (qpdf_oh_is_string(q, lang))
		g_string_append_printf(s, "[%s]", qpdf_oh_get_utf8_value(q, lang));
	qpdf_oh pg = qpdf_oh_get_key(q, k, "/Pg");
	if (qpdf_oh_is_dictionary(q, pg))
		g_string_append_printf(s, "@%d", qpdf_find_page_by_oh(q, pg));
	g_string_append_c(s, '(');
	elements(q, qpdf_oh_get_key(q, k, "/K"), s, depth + 1);
	g_string_append(s, ") ");
}

/* What a reader sees of pdf: pages, labels, destinations (name and page),
   links (page, destination), outline, structure, and whether each page's
   and link's parent tree key leads back to it. */
static char *seen(GBytes *pdf, bool *keys_ok)
{
	gsize n;
	const char *data = g_bytes_get_data(pdf, &n);
	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	GString *s = g_string_new(NULL);
	if (qpdf_read_memory(q, "t.pdf", data, n, NULL) & QPDF_ERRORS) {
		qpdf_cleanup(&q);
		*keys_ok = false;
		return g_string_free(s, FALSE);
	}
	qpdf_oh root = qpdf_get_root(q);
	int pages = qpdf_get_num_pages(q);
	g_string_append_printf(s, "pages %d\nlabels %s\n", pages,
			       qpdf_oh_unparse_resolved(q, qpdf_oh_get_key(q, root, "/PageLabels")));
	qpdf_oh names = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/Names"),
								"/Dests"), "/Names");
	for (int i = 0; i + 1 < qpdf_oh_get_array_n_items(q, names); i += 2) {
		qpdf_oh dest = qpdf_oh_get_array_item(q, names, i + 1);
		g_string_append_printf(s, "dest %s p%d\n",
			qpdf_oh_get_utf8_value(q, qpdf_oh_get_array_item(q, names, i)),
			qpdf_find_page_by_oh(q, qpdf_oh_get_array_item(q, dest, 0)));
	}
	qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
	qpdf_oh nums = qpdf_oh_get_key(q, qpdf_oh_get_key(q, tree, "/ParentTree"), "/Nums");
	GHashTable *keys = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (int i = 0; i + 1 < qpdf_oh_get_array_n_items(q, nums); i += 2)
		g_hash_table_insert(keys, GINT_TO_POINTER(qpdf_oh_get_int_value_as_int(
			q, qpdf_oh_get_array_item(q, nums, i))),
			GUINT_TO_POINTER(qpdf_oh_get_array_item(q, nums, i + 1)));
	*keys_ok = g_hash_table_size(keys) > 0 &&
		   (int)g_hash_table_size(keys) * 2 == qpdf_oh_get_array_n_items(q, nums);
	for (int i = 0; i < pages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		qpdf_oh sp = qpdf_oh_get_key(q, page, "/StructParents");
		gpointer v;
		if (qpdf_oh_is_integer(q, sp)) {
			/* the page's marked content's elements are on it */
			bool found = g_hash_table_lookup_extended(keys, GINT_TO_POINTER(
				qpdf_oh_get_int_value_as_int(q, sp)), NULL, &v);
			qpdf_oh arr = found ? GPOINTER_TO_UINT(v) : 0;
			*keys_ok &= found && qpdf_oh_is_array(q, arr);
			for (int j = 0; found && j < qpdf_oh_get_array_n_items(q, arr); j++)
				*keys_ok &= qpdf_find_page_by_oh(q, qpdf_oh_get_key(q,
					qpdf_oh_get_array_item(q, arr, j), "/Pg")) == i;
		}
		qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
		for (int j = 0; j < qpdf_oh_get_array_n_items(q, annots); j++) {
			qpdf_oh a = qpdf_oh_get_array_item(q, annots, j);
			qpdf_oh key = qpdf_oh_get_key(q, a, "/StructParent");
			bool found = qpdf_oh_is_integer(q, key) &&
				g_hash_table_lookup_extended(keys, GINT_TO_POINTER(
					qpdf_oh_get_int_value_as_int(q, key)), NULL, &v);
			qpdf_oh link = found ? GPOINTER_TO_UINT(v) : 0;
			*keys_ok &= found && qpdf_oh_is_name_and_equals(q,
				qpdf_oh_get_key(q, link, "/S"), "/Link");
			g_string_append_printf(s, "link p%d %s\n", i,
				qpdf_oh_unparse(q, qpdf_oh_get_key(q, a, "/Dest")));
		}
	}
	g_hash_table_destroy(keys);
	qpdf_oh ol = qpdf_oh_get_key(q, root, "/Outlines");
	g_string_append_printf(s, "outline %s", qpdf_oh_unparse(q, qpdf_oh_get_key(q, ol, "/Count")));
	for (qpdf_oh it = qpdf_oh_get_key(q, ol, "/First"); qpdf_oh_is_dictionary(q, it);
	     it = qpdf_oh_get_key(q, it, "/Next"))
		g_string_append_printf(s, " %s->%s", qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, it, "/Title")),
				       qpdf_oh_unparse(q, qpdf_oh_get_key(q, it, "/Dest")));
	g_string_append(s, "\nstructure ");
	elements(q, qpdf_oh_get_key(q, tree, "/K"), s, 0);
	qpdf_cleanup(&q);
	return g_string_free(s, FALSE);
}

void test_pdf_split(test_state *t)
{
	gb_pdf_options o = { 0 };
	o.links = o.outline = o.pdfua = true;
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	gb_layout *one = two_parts(false, false), *two = two_parts(false, false),
		  *again = two_parts(false, false);
	o.split_pages = -1;
	GBytes *a = gb_pdf_render(one, &o, d);
	o.split_pages = 4;
	GBytes *b = gb_pdf_render_freeing(two, &o, d);
	GBytes *c = gb_pdf_render(again, &o, d);
	CHECK(t, a && b && c);
	if (a && b && c) {
		/* drawn otherwise: two surfaces, joined */
		CHECK(t, !g_bytes_equal(a, b));
		/* the same bytes every time, whatever the threads' timing */
		CHECK(t, g_bytes_equal(b, c));
		bool ka = false, kb = false;
		char *sa = seen(a, &ka), *sb = seen(b, &kb);
		CHECK_STR(t, sb, sa);
		CHECK(t, ka && kb);
		CHECK(t, strstr(sb, "pages 8") && strstr(sb, "P[fr]@5"));
		g_free(sa);
		g_free(sb);
	}
	/* the first part with no destination: the second's named */
	gb_layout *l1 = two_parts(false, true), *l2 = two_parts(false, true);
	o.split_pages = -1;
	GBytes *g = gb_pdf_render(l1, &o, d);
	o.split_pages = 4;
	GBytes *h = gb_pdf_render(l2, &o, d);
	CHECK(t, g && h);
	if (g && h) {
		bool kg = false, kh = false;
		char *sg = seen(g, &kg), *sh = seen(h, &kh);
		CHECK_STR(t, sh, sg);
		CHECK(t, kg && kh && strstr(sh, "dest one p6"));
		g_free(sg);
		g_free(sh);
	}
	if (g)
		g_bytes_unref(g);
	if (h)
		g_bytes_unref(h);
	gb_layout_free(l1);
	gb_layout_free(l2);
	/* a book with no boundary free of open elements stays on one surface */
	gb_layout *w1 = two_parts(true, false), *w2 = two_parts(true, false);
	o.split_pages = -1;
	GBytes *e = gb_pdf_render(w1, &o, d);
	o.split_pages = 4;
	GBytes *f = gb_pdf_render(w2, &o, d);
	CHECK(t, e && f && g_bytes_equal(e, f));
	if (e)
		g_bytes_unref(e);
	if (f)
		g_bytes_unref(f);
	gb_layout_free(w1);
	gb_layout_free(w2);
	CHECK(t, gb_diag_errors(d) == 0);
	if (a)
		g_bytes_unref(a);
	if (b)
		g_bytes_unref(b);
	if (c)
		g_bytes_unref(c);
	gb_layout_free(one);
	gb_layout_free(two);
	gb_layout_free(again);
	gb_diag_free(d);
}
