/*
 * fuzz_typeset.c - libFuzzer target: the typesetter on small trees.  A
 * book that loads without errors (fuzzbook.h) is typeset with the
 * repository's style and fonts (shaping, line breaking, pagination), and
 * the layout goes through the text device.  Every box must lie on its
 * page: nothing is drawn over the paper's edge.
 */
#include "fuzzbook.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "typeset/layout.h"
#include "typeset/typeset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts when a box of lay lies off its page. */
static void check_boxes(const gb_layout *lay)
{
	const double slack = 0.5;   /* points */
	for (guint i = 0; i < lay->pages->len; i++) {
		const gb_page *p = lay->pages->pdata[i];
		for (guint j = 0; j < p->boxes->len; j++) {
			const gb_box *b = p->boxes->pdata[j];
			if (b->kind == GB_BOX_TAG_BEGIN || b->kind == GB_BOX_TAG_END ||
			    b->kind == GB_BOX_DEST || b->kind == GB_BOX_LINK)
				continue;
			/* a line of text: its baseline, from x to x + w */
			if (b->x < -slack || b->y < -slack ||
			    b->x + b->w > lay->width + slack ||
			    b->y + b->h > lay->height + slack) {
				fprintf(stderr, "fuzz: page %u: a box at %.1f,%.1f (%.1f x %.1f) is off the %.1f x %.1f page\n",
					i + 1, b->x, b->y, b->w, b->h, lay->width, lay->height);
				abort();
			}
		}
	}
}

static void typeset(const fuzz_fixture *f, const gb_book *book, gb_diag *d)
{
	gb_typeset_options opt = { f->style, f->fonts, NULL, 1700000000,
				   NULL, NULL, 0, 0, false, NULL, 0, 0, 0 };
	gb_layout *lay = gb_typeset(book, &opt, d);
	if (lay) {
		check_boxes(lay);
		GString *text = g_string_new(NULL);
		gb_layout_dump(lay, text);
		g_string_free(text, TRUE);
		gb_layout_free(lay);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, typeset);
}
