/* freeing.c - gb_pdf_render_freeing(): a page's boxes go once it is drawn,
   and the PDF is the same bytes as gb_pdf_render() gives */
#include "unit.h"
#include "pdf/pdf.h"

/* Three pages: a section open across them (an element with children on
   a page already drawn when its last child is), a destination, a link to
   it from a later page, rules, labels. */
static gb_layout *three_pages(void)
{
	gb_layout *lay = gb_layout_new(420, 595);
	const char *labels[] = { "i", "1", "2" };
	for (int i = 0; i < 3; i++) {
		gb_page *p = gb_layout_add_page(lay, i % 2 == 0);
		p->label = g_strdup(labels[i]);
		if (i == 0)
			gb_page_add_tag(p, "Sect", NULL);
		gb_page_add_tag(p, "P", NULL);
		if (i == 1)
			gb_page_add_dest(p, 60, 80, "n1");
		gb_page_add_rule(p, 60, 100 + 10 * i, 200, 1);
		if (i == 2)
			gb_page_add_link(p, 60, 120, 50, 12, "#n1");
		gb_page_end_tag(p);
		if (i == 2)
			gb_page_end_tag(p);
	}
	gb_layout_add_outline(lay, 1, "One", "n1");
	return lay;
}

void test_pdf_freeing(test_state *t)
{
	gb_pdf_options o = { 0 };
	o.links = o.outline = o.pdfua = true;
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	gb_layout *kept = three_pages(), *freed = three_pages();
	GHashTable *dests = gb_layout_dest_pages(freed);
	GBytes *a = gb_pdf_render(kept, &o, d);
	GBytes *b = gb_pdf_render_freeing(freed, &o, d);
	CHECK(t, a && b);
	CHECK(t, a && b && g_bytes_equal(a, b));
	for (guint i = 0; i < 3; i++) {
		const gb_page *k = g_ptr_array_index(kept->pages, i);
		const gb_page *f = g_ptr_array_index(freed->pages, i);
		CHECK(t, k->boxes->len > 0);   /* gb_pdf_render changes nothing */
		CHECK(t, f->boxes->len == 0);  /* the drawn boxes are gone */
		CHECK_STR(t, f->label, k->label);
		CHECK(t, f->number == (int)i + 1 && f->recto == k->recto);
	}
	/* the destinations' pages outlive the boxes they were found in */
	CHECK_STR(t, g_hash_table_lookup(dests, "n1"), "1");
	/* a booklet frees them too, once it is done */
	gb_layout *booklet = three_pages();
	o.booklet = true;
	o.pdfua = false;
	o.sheet_w = 842;
	o.sheet_h = 595;
	GBytes *c = gb_pdf_render_freeing(booklet, &o, d);
	CHECK(t, c != NULL);
	for (guint i = 0; i < 3; i++)
		CHECK(t, ((gb_page *)g_ptr_array_index(booklet->pages, i))->boxes->len == 0);
	CHECK(t, gb_diag_errors(d) == 0);
	if (c)
		g_bytes_unref(c);
	if (a)
		g_bytes_unref(a);
	if (b)
		g_bytes_unref(b);
	g_hash_table_destroy(dests);
	gb_layout_free(kept);
	gb_layout_free(freed);
	gb_layout_free(booklet);
	gb_diag_free(d);
}
