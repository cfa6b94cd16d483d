/* early.c - unit test of src/pdf/early.c: pages' contents rewritten while drawn */
#include "unit.h"
#include "pdf/pd.h"

/* Draws page i of cr: a paragraph (structure content) and a folio and a
   rule outside every element (artifacts). */
static void draw(cairo_t *cr, int i)
{
	cairo_tag_begin(cr, "P", "");
	cairo_move_to(cr, 20, 40);
	cairo_show_text(cr, i ? "Second page" : "First page");
	cairo_tag_end(cr, "P");
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_rectangle(cr, 20, 50, 100, 1);
	cairo_fill(cr);
	cairo_move_to(cr, 90, 190);
	cairo_show_text(cr, i ? "2" : "1");
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_show_page(cr);
}

/*
 * Each page cairo has shown is found in its output and rewritten on the
 * thread (PDF/UA's artifacts marked, grays in DeviceGray) to the very
 * bytes the finish would make of the content libqpdf reads: the page's
 * /Contents object is the one found; a page whose output holds no page
 * (here, the part of it before it was shown) is left to the finish, as
 * is a page asked for by another object number.
 */
void test_pdf_early(test_state *t)
{
	GByteArray *raw = g_byte_array_new();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(gb_pd_write_bytes, raw, 200, 200);
	cairo_t *cr = cairo_create(s);
	gb_pd_rewrite rw = { true, true, NULL, 200, NULL };
	gb_pd_early *e = gb_pd_early_new(&rw);
	cairo_tag_begin(cr, "Document", "");
	for (guint i = 0; i < 3; i++) {
		gsize from = raw->len;
		draw(cr, (int)i);
		/* page 2: only what cairo wrote before it began (nothing) */
		gb_pd_early_page(e, raw, i == 2 ? raw->len : from, i, NULL);
	}
	cairo_tag_end(cr, "Document");
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	gb_pd_early_join(e);

	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_read_memory(q, "early.pdf", (const char *)raw->data, raw->len, NULL);
	CHECK(t, !qpdf_has_error(q) && qpdf_get_num_pages(q) == 3);
	for (guint i = 0; i < 3 && !qpdf_has_error(q); i++) {
		qpdf_oh page = qpdf_get_page_n(q, i);
		qpdf_oh c = qpdf_oh_get_key(q, page, "/Contents");
		int id = qpdf_oh_get_object_id(q, c);
		unsigned char *buf = NULL;
		size_t len = 0;
		CHECK(t, qpdf_oh_get_page_content_data(q, page, &buf, &len) == QPDF_SUCCESS);
		CHECK(t, !gb_pd_early_done(e, i, id + 1000));
		if (i == 2) {
			CHECK(t, !gb_pd_early_done(e, i, id));
			CHECK(t, gb_pd_early_take(e, i) == NULL);
		} else {
			CHECK(t, gb_pd_early_done(e, i, id));
			const char *why = NULL;
			GByteArray *m = gb_pd_rewrite_page(buf, len, &rw, NULL, &why);
			/* the finish's rewrite marks the folio and the rule */
			CHECK(t, m && g_strstr_len((const char *)m->data, m->len, "/Artifact"));
			CHECK(t, m && g_strstr_len((const char *)m->data, m->len, "0.5 g"));
			GBytes *want = m ? gb_pd_deflate(m) : NULL;
			GBytes *got = gb_pd_early_take(e, i);
			CHECK(t, want && got && g_bytes_equal(want, got));
			CHECK(t, !gb_pd_early_done(e, i, id));   /* taken */
			if (want)
				g_bytes_unref(want);
			if (got)
				g_bytes_unref(got);
			if (m)
				g_byte_array_unref(m);
		}
		free(buf);
		qpdf_oh_release(q, c);
		qpdf_oh_release(q, page);
	}
	qpdf_cleanup(&q);
	gb_pd_early_free(e);
	g_byte_array_free(raw, TRUE);
}

/* Appends to ids the elements under kids as libqpdf reads them: each
   dictionary with /S, then its own, depth first. */
static void qpdf_elements(qpdf_data q, qpdf_oh kids, GArray *ids)
{
	bool array = qpdf_oh_is_array(q, kids);
	int len = array ? qpdf_oh_get_array_n_items(q, kids) : 1;
	for (int i = 0; i < len; i++) {
		qpdf_oh k = array ? qpdf_oh_get_array_item(q, kids, i) : kids;
		if (qpdf_oh_is_dictionary(q, k) && qpdf_oh_has_key(q, k, "/S")) {
			int id = qpdf_oh_get_object_id(q, k);
			g_array_append_val(ids, id);
			if (qpdf_oh_has_key(q, k, "/K"))
				qpdf_elements(q, qpdf_oh_get_key(q, k, "/K"), ids);
		}
	}
}

/*
 * The structure elements read in cairo's bytes come in the order libqpdf
 * walks the tree (the order cairo created them): sections holding
 * paragraphs, a paragraph over two pages, a link (an OBJR among its
 * kids), elements with one kid and with many.
 */
void test_pdf_raw_elements(test_state *t)
{
	GByteArray *raw = g_byte_array_new();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(gb_pd_write_bytes, raw, 200, 200);
	cairo_t *cr = cairo_create(s);
	cairo_tag_begin(cr, "Document", "");
	for (int sect = 0; sect < 2; sect++) {
		cairo_tag_begin(cr, "Sect", "");
		cairo_tag_begin(cr, "H1", "");
		cairo_move_to(cr, 20, 20);
		cairo_show_text(cr, "Heading");
		cairo_tag_end(cr, "H1");
		cairo_tag_begin(cr, "P", "");
		cairo_move_to(cr, 20, 40);
		cairo_show_text(cr, "A paragraph with ");
		cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='https://example.org'");
		cairo_show_text(cr, "a link");
		cairo_tag_end(cr, CAIRO_TAG_LINK);
		cairo_show_page(cr);
		cairo_move_to(cr, 20, 20);
		cairo_show_text(cr, "over two pages.");
		cairo_tag_end(cr, "P");
		cairo_tag_end(cr, "Sect");
		cairo_show_page(cr);
	}
	cairo_tag_end(cr, "Document");
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);

	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_read_memory(q, "tree.pdf", (const char *)raw->data, raw->len, NULL);
	gb_diag *d = gb_diag_new("unit", NULL);
	gb_pdf_copy *c = gb_pdf_copy_new(q, raw, d);
	qpdf_oh tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
	GArray *got = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *want = g_array_new(FALSE, FALSE, sizeof(int));
	CHECK(t, c && qpdf_oh_is_indirect(q, tree));
	if (c) {
		CHECK(t, gb_pd_raw_elements(c, qpdf_oh_get_object_id(q, tree), got));
		qpdf_elements(q, qpdf_oh_get_key(q, tree, "/K"), want);
		/* Document, and Sect, H1, P, Link twice */
		CHECK(t, want->len == 9);
		CHECK(t, got->len == want->len &&
		      !memcmp(got->data, want->data, want->len * sizeof(int)));
		/* not the root: no tree under it */
		GArray *none = g_array_new(FALSE, FALSE, sizeof(int));
		CHECK(t, !gb_pd_raw_elements(c, g_array_index(want, int, 0), none));
		g_array_free(none, TRUE);
		gb_pdf_copy_free(c);
	}
	g_array_free(got, TRUE);
	g_array_free(want, TRUE);
	gb_diag_free(d);
	qpdf_cleanup(&q);
	g_byte_array_free(raw, TRUE);
}

/* The file of raw with its pages' contents rewritten by the finish
   (gb_pd_rewrite_contents), what early.c did taken; NULL if it failed. */
static GBytes *finished(const GByteArray *raw, gb_pd_rewrite *rw)
{
	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_read_memory(q, "early.pdf", (const char *)raw->data, raw->len, NULL);
	gb_diag *d = gb_diag_new("unit", NULL);
	gb_pdf_copy *c = gb_pdf_copy_new(q, raw, d);
	GBytes *ret = NULL;
	if (c && gb_pd_rewrite_contents(q, c, rw, d)) {
		qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
		ret = gb_pdf_copy_write(c, "1.7", qpdf_oh_get_object_id(q, qpdf_get_root(q)),
					qpdf_oh_get_object_id(q, info), d);
	}
	if (c)
		gb_pdf_copy_free(c);
	gb_diag_free(d);
	qpdf_cleanup(&q);
	return ret;
}

/*
 * The finish gives the same file whether early.c rewrote every page, some
 * (here the first and the last: the middle one is left to the finish, as
 * a page whose stream was not found is) or none.
 */
void test_pdf_early_finish(test_state *t)
{
	GByteArray *raw = g_byte_array_new();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(gb_pd_write_bytes, raw, 200, 200);
	cairo_t *cr = cairo_create(s);
	gb_pd_rewrite rw = { true, true, NULL, 200, NULL };
	gb_pd_early *all = gb_pd_early_new(&rw), *some = gb_pd_early_new(&rw);
	cairo_tag_begin(cr, "Document", "");
	for (guint i = 0; i < 3; i++) {
		gsize from = raw->len;
		draw(cr, (int)i);
		gb_pd_early_page(all, raw, from, i, NULL);
		if (i != 1)
			gb_pd_early_page(some, raw, from, i, NULL);
	}
	cairo_tag_end(cr, "Document");
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	gb_pd_early_join(all);
	gb_pd_early_join(some);

	GBytes *none_f = finished(raw, &rw);
	rw.early = all;
	GBytes *all_f = finished(raw, &rw);
	rw.early = some;
	GBytes *some_f = finished(raw, &rw);
	CHECK(t, none_f && all_f && some_f);
	CHECK(t, none_f && all_f && g_bytes_equal(none_f, all_f));
	CHECK(t, none_f && some_f && g_bytes_equal(none_f, some_f));
	/* what early.c made was used, and given up */
	for (guint i = 0; i < 3; i++)
		CHECK(t, gb_pd_early_take(all, i) == NULL);
	if (none_f)
		g_bytes_unref(none_f);
	if (all_f)
		g_bytes_unref(all_f);
	if (some_f)
		g_bytes_unref(some_f);
	gb_pd_early_free(all);
	gb_pd_early_free(some);
	g_byte_array_free(raw, TRUE);
}
