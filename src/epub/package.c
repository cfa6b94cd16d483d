/* package.c - the stylesheet and the fonts (subset, with fallbacks), and the package document (ep.h) */
#include "epub/ep.h"

/* ---- style and fonts ---- */

/*
 * The name of font f's subset in the e-book: its file's name, but a face
 * of a collection (.ttc) is a font of its own, named by its family and
 * style in safe ASCII ("NotoSerifCJKSC-Bold.otf"), with the extension of
 * what data holds: 'OTTO' is OpenType with CFF outlines, else TrueType.
 */
static char *subset_name(const gb_font *f, GBytes *data)
{
	if (!g_str_has_suffix(f->file, ".ttc"))
		return g_strdup(f->file);
	gsize len;
	const char *p = g_bytes_get_data(data, &len);
	bool cff = len >= 4 && !memcmp(p, "OTTO", 4);
	GString *name = g_string_new(NULL);
	for (const char *c = f->family; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(name, *c);
	g_string_append_c(name, '-');
	for (const char *c = f->style; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(name, *c);
	g_string_append(name, cff ? ".otf" : ".ttf");
	return g_string_free(name, FALSE);
}

/*
 * The characters each fallback draws in the e-book: e->needs (what
 * gb_coverage_needs() found in the book), to which this adds those of the
 * e-book's own pages (its words, the licences) that none of the body,
 * heading and mono faces has.  Element i is fallback i's set, or NULL when
 * nothing needs it; e owns the array.
 */
static GPtrArray *fallback_chars(epub *e, const gb_coverage *c)
{
	GPtrArray *sets = e->needs;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, e->chars);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		gunichar u = GPOINTER_TO_UINT(key);
		/* (a character drawn as nothing, such as the word joiner
		   some texts put before a dash, needs no face) */
		if (u < 0x80 || gb_coverage_invisible(u) ||
		    gb_coverage_has(c, GB_FACE_BODY, u) ||
		    gb_coverage_has(c, GB_FACE_HEADING, u) ||
		    gb_coverage_has(c, GB_FACE_MONO, u))
			continue;
		for (guint f = GB_FACE_FALLBACK; f < c->n; f++) {
			if (!gb_coverage_has(c, f, u))
				continue;
			guint i = f - GB_FACE_FALLBACK;
			if (!sets->pdata[i])
				sets->pdata[i] = g_hash_table_new(NULL, NULL);
			g_hash_table_add(sets->pdata[i], key);
			break;
		}
	}
	return sets;
}

/* Embeds the subset of font f to chars as the font-N item, with its
   @font-face rule in css.  False after reporting why. */
static bool embed_font(epub *e, const gb_font *f, guint n, GHashTable *chars,
		       const char *const *features, bool collection, GString *css)
{
	char *key = NULL;
	GBytes *sub = gb_subset_cached(f->path, f->sha256, collection ? f->family : NULL,
				       chars, features, &key, e->d);
	if (!sub)
		return false;
	char *file = subset_name(f, sub);
	char *href = g_strconcat("fonts/", file, NULL);
	char *id = g_strdup_printf("font-%u", n);
	gb_ep_add_item(e, id, href, g_str_has_suffix(file, ".ttf") ? "font/ttf" : "font/otf",
		 NULL, sub);
	((entry *)g_ptr_array_index(e->entries, e->entries->len - 1))->key = key;
	g_string_append(css, "@font-face {\n  font-family: \"");
	g_string_append(css, f->family);
	g_string_append_printf(css, "\";\n  font-weight: %d;\n  font-style: %s;\n"
			       "  src: url(\"../%s\");\n}\n",
			       f->weight, f->italic ? "italic" : "normal", href);
	g_free(file);
	g_free(href);
	g_free(id);
	return true;
}

void gb_ep_write_css_and_fonts(epub *e)
{
	const gb_style *st = e->opt->style;
	const char *families[] = {
		gb_style_need(st, "fonts.body", e->d),
		gb_style_need(st, "fonts.heading", e->d),
		gb_style_need(st, "fonts.mono", e->d),
	};
	const gb_coverage *c = e->coverage;
	if (!c || !families[0] || !families[1] || !families[2]) {
		e->ok = 0;
		return;
	}
	/* the fallbacks the e-book embeds, after each family of the
	   stylesheet's font-family lists: @{fonts.fallbacks} */
	GPtrArray *sets = fallback_chars(e, c);
	GString *list = g_string_new(NULL);
	for (guint i = 0; i < sets->len; i++)
		if (sets->pdata[i])
			g_string_append_printf(list, ", \"%s\"", c->families[GB_FACE_FALLBACK + i]);
	GHashTable *extra = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(extra, (gpointer)"fonts.fallbacks", list->str);
	char *body = gb_style_expand(st, e->opt->css_template, extra, e->d);
	g_hash_table_destroy(extra);
	g_string_free(list, TRUE);
	if (!body) {
		e->ok = 0;
		return;
	}
	/* a heading's italic in the heading family's italic, at its weight,
	   when the family has no bold italic (Linux Biolinum): a reading
	   system would make one up by smearing the italic */
	if (!gb_fontset_find(e->opt->fonts, families[1], 700, true) &&
	    gb_fontset_find(e->opt->fonts, families[1], 400, true)) {
		GString *all = g_string_new(body);
		g_string_append(all, "\n/* the heading face has no bold italic: its italic */\n");
		for (int h = 1; h <= 6; h++)
			g_string_append_printf(all, "h%d em, h%d i, h%d cite, h%d dfn%s", h, h, h, h,
					       h < 6 ? ",\n" : " {\n  font-weight: normal;\n}\n");
		g_free(body);
		body = g_string_free(all, FALSE);
	}
	/* each face only when text is set in it, cut down to that text's
	   characters (faces.c) */
	GPtrArray *faces = gb_ep_face_chars(e, body);
	/* the layout features the stylesheet asks for, beyond the defaults */
	char **features = gb_css_features(body);
	GString *css = g_string_new("@charset \"UTF-8\";\n\n/* The book's fonts, subset to the characters it uses. */\n");
	GPtrArray *fonts = e->opt->fonts->fonts;
	for (guint i = 0; i < fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(fonts, i);
		GHashTable *chars = faces->pdata[i];
		if (!chars)
			continue;
		/* printable ASCII too in the body's regular face: what a
		   reading system may set in the book's face itself */
		if (!strcmp(f->family, families[0]) && f->weight == 400 && !f->italic)
			for (gunichar u = 0x20; u < 0x7f; u++)
				g_hash_table_add(chars, GUINT_TO_POINTER(u));
		if (!embed_font(e, f, i + 1, chars, (const char *const *)features,
				g_str_has_suffix(f->file, ".ttc"), css))
			e->ok = 0;
		g_hash_table_destroy(chars);
	}
	g_ptr_array_free(faces, TRUE);
	g_strfreev(features);
	g_string_append_c(css, '\n');
	g_string_append(css, body);
	g_free(body);
	gb_ep_add_item(e, "css", "css/book.css", "text/css", NULL, gb_ep_string_bytes(css));
}

/* ---- the package document ---- */

static void meta_el(GString *o, const char *el, const char *id, const char *value)
{
	if (!value)
		return;
	g_string_append_printf(o, "<%s", el);
	if (id)
		g_string_append_printf(o, " id=\"%s\"", id);
	g_string_append(o, ">");
	gb_ep_esc(o, value);
	g_string_append_printf(o, "</%s>\n", el);
}

static void meta_prop(GString *o, const char *property, const char *refines,
		      const char *value)
{
	g_string_append_printf(o, "<meta property=\"%s\"", property);
	if (refines)
		g_string_append_printf(o, " refines=\"#%s\"", refines);
	g_string_append(o, ">");
	gb_ep_esc(o, value);
	g_string_append(o, "</meta>\n");
}

/* What the accessibility metadata says of a book: counted in its tree. */
typedef struct a11y_facts {
	guint tables, captioned_tables, images, notes;
} a11y_facts;

static void count_facts(const gb_node *n, a11y_facts *f)
{
	for (const gb_node *c = n->first; c; c = c->next) {
		if (c->kind == GB_NODE_TABLE) {
			f->tables++;
			for (const gb_node *k = c->first; k; k = k->next)
				if (k->kind == GB_NODE_CAPTION) {
					f->captioned_tables++;
					break;
				}
		} else if (c->kind == GB_NODE_IMAGE) {
			f->images++;
		} else if (c->kind == GB_NODE_FOOTNOTE) {
			f->notes++;
		}
		count_facts(c, f);
	}
}

/*
 * The accessibility metadata (schema.org, EPUB Accessibility 1.1), each
 * claim computed from the book: what it holds (images, tables and their
 * captions, a page list), never a sentence that could be false of it.
 * The cover is an image whose text alternative is the title; the others
 * must have alt text (the parser requires it), so images mean
 * "alternativeText".  The book has no sound, video, animation or
 * mathematics: no "captions", "describedMath" or hazards to claim.
 */
static void write_accessibility(epub *e, GString *o)
{
	const gb_meta *m = &e->book->meta;
	a11y_facts f = { 0 };
	count_facts(e->book->root, &f);
	bool images = e->has_images || f.images;
	bool pages = e->page_list && e->page_list->len;
	meta_prop(o, "schema:accessMode", NULL, "textual");
	if (images)
		meta_prop(o, "schema:accessMode", NULL, "visual");
	/* every image has a text alternative: the text alone suffices */
	meta_prop(o, "schema:accessModeSufficient", NULL, "textual");
	if (images)
		meta_prop(o, "schema:accessModeSufficient", NULL, "textual,visual");
	meta_prop(o, "schema:accessibilityFeature", NULL, "structuralNavigation");
	meta_prop(o, "schema:accessibilityFeature", NULL, "tableOfContents");
	meta_prop(o, "schema:accessibilityFeature", NULL, "readingOrder");
	if (images)
		meta_prop(o, "schema:accessibilityFeature", NULL, "alternativeText");
	if (pages) {
		meta_prop(o, "schema:accessibilityFeature", NULL, "printPageNumbers");
		meta_prop(o, "schema:accessibilityFeature", NULL, "pageNavigation");
	}
	meta_prop(o, "schema:accessibilityHazard", NULL, "none");
	GString *sum = g_string_new("This publication meets the requirements of EPUB "
				    "Accessibility 1.1 and WCAG 2.2 Level AA. Its text is "
				    "structured with headings in order, a table of contents "
				    "and landmarks");
	if (pages)
		g_string_append(sum, ", with the print edition’s page numbers");
	if (f.notes)
		g_string_append(sum, "; footnotes link to their references and back");
	if (f.tables && f.captioned_tables == f.tables)
		g_string_append(sum, "; tables have captions and header cells");
	else if (f.tables)
		g_string_append(sum, "; tables have header cells");
	g_string_append(sum, images ? "; every image, including the cover, has a text alternative" :
			"; the cover’s text alternative is the title, and the book holds no other image");
	g_string_append(sum, "; the reading order follows the text. It holds no "
			"flashing content, sound or motion.");
	meta_prop(o, "schema:accessibilitySummary", NULL, sum->str);
	g_string_free(sum, TRUE);
	meta_prop(o, "dcterms:conformsTo", NULL, "EPUB Accessibility 1.1 - WCAG 2.2 Level AA");
	/*
	 * Who certified the claim: only one book.yaml names ('accessibility:
	 * certified-by'); gsi-book's own checks are no certification.
	 */
	if (m->certified_by) {
		meta_prop(o, "a11y:certifiedBy", NULL, m->certified_by);
		if (m->certifier_credential)
			meta_prop(o, "a11y:certifierCredential", NULL, m->certifier_credential);
	}
}

/* Adds lang to langs (char *, borrowed) unless it is there, whatever
   its case. */
static void add_lang(GPtrArray *langs, const char *lang)
{
	if (!lang || !*lang)
		return;
	for (guint i = 0; i < langs->len; i++)
		if (!g_ascii_strcasecmp(g_ptr_array_index(langs, i), lang))
			return;
	g_ptr_array_add(langs, (gpointer)lang);
}

static void span_langs(const gb_node *n, GPtrArray *langs)
{
	for (const gb_node *c = n->first; c; c = c->next) {
		if (c->kind == GB_NODE_PART || c->kind == GB_NODE_SPAN)
			add_lang(langs, c->lang);
		span_langs(c, langs);
	}
}

/* dc:language: every language of the book, the book's first, then the
   parts' ('lang' in book.yaml) and the spans' ('[x]{lang=ru}') in the
   order they come. */
static void write_languages(epub *e, GString *o)
{
	GPtrArray *langs = g_ptr_array_new();
	add_lang(langs, e->book->meta.lang);
	span_langs(e->book->root, langs);
	for (guint i = 0; i < langs->len; i++)
		meta_el(o, "dc:language", NULL, g_ptr_array_index(langs, i));
	g_ptr_array_free(langs, TRUE);
}

/*
 * The name a creator is sorted by (file-as): the author's 'file-as', else
 * "Last, First" for a name of two words in Latin or Cyrillic script
 * ("Ғалия Сәрсенқызы": "Сәрсенқызы, Ғалия"), else the name as written
 * (a family name may come first, a name may have more parts: only the
 * book can say).  The caller frees it.
 */
static char *file_as(const gb_creator *a)
{
	if (a->file_as)
		return g_strdup(a->file_as);
	char **w = g_strsplit_set(a->name, " ", -1);
	GPtrArray *words = g_ptr_array_new();
	for (char **p = w; *p; p++)
		if (**p)
			g_ptr_array_add(words, *p);
	bool latin_or_cyrillic = g_utf8_validate(a->name, -1, NULL);
	for (const char *p = a->name; latin_or_cyrillic && *p; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		GUnicodeScript sc = g_unichar_get_script(ch);
		if (g_unichar_isalpha(ch) && sc != G_UNICODE_SCRIPT_LATIN &&
		    sc != G_UNICODE_SCRIPT_CYRILLIC)
			latin_or_cyrillic = false;
	}
	char *r = words->len == 2 && latin_or_cyrillic ?
		  g_strdup_printf("%s, %s", (char *)words->pdata[1], (char *)words->pdata[0]) :
		  g_strdup(a->name);
	g_ptr_array_free(words, TRUE);
	g_strfreev(w);
	return r;
}

/*
 * Apple Books' ibooks:version, which it compares to tell a newer upload
 * of the book: book.yaml's 'version' as written, else made of the time
 * the edition is stamped with (dcterms:modified, "2026-03-01T09:05:00Z"),
 * as year.monthday.hourminute ("2026.301.905"), which grows with every
 * revision a minute or more later.  The caller frees it.
 */
static char *ibooks_version(const gb_meta *m, const char *modified)
{
	if (m->version)
		return g_strdup(m->version);
	int y = 0, mo = 0, d = 0, h = 0, mi = 0;
	if (sscanf(modified, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5)
		return NULL;
	return g_strdup_printf("%d.%d.%d", y, mo * 100 + d, h * 100 + mi);
}

void gb_ep_write_opf(epub *e)
{
	const gb_meta *m = &e->book->meta;
	GString *o = g_string_new(NULL);
	g_string_append(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
			   "unique-identifier=\"book-id\" "
			   "prefix=\"ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/\" "
			   "xml:lang=\"");
	gb_ep_esc(o, m->lang);
	g_string_append(o, "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
	meta_el(o, "dc:identifier", "book-id", m->identifier);
	if (m->isbn) {
		/* the ISBN, when 'identifier' is another one */
		char *urn = g_strconcat("urn:isbn:", m->isbn, NULL);
		if (strcmp(urn, m->identifier))
			meta_el(o, "dc:identifier", "isbn", urn);
		g_free(urn);
	}
	meta_el(o, "dc:title", "title", m->title);
	meta_prop(o, "title-type", "title", "main");
	if (m->subtitle) {
		meta_el(o, "dc:title", "subtitle", m->subtitle);
		meta_prop(o, "title-type", "subtitle", "subtitle");
	}
	/* the authors are dc:creator, the others dc:contributor, each with
	   its MARC role (one list of people: design/words.h) */
	GArray *people = gb_people(m);
	for (guint i = 0; i < people->len; i++) {
		const gb_person *p = &g_array_index(people, gb_person, i);
		const gb_creator *a = p->who;
		char *id = g_strdup_printf("creator-%u", i + 1);
		meta_el(o, p->author ? "dc:creator" : "dc:contributor", id, a->name);
		g_string_append_printf(o, "<meta property=\"role\" refines=\"#%s\" scheme=\"marc:relators\">", id);
		gb_ep_esc(o, a->role);
		g_string_append(o, "</meta>\n");
		char *sort = file_as(a);
		g_string_append_printf(o, "<meta property=\"file-as\" refines=\"#%s\">", id);
		gb_ep_esc(o, sort);
		g_string_append(o, "</meta>\n");
		g_free(sort);
		g_free(id);
	}
	gb_people_free(people);
	write_languages(e, o);
	meta_el(o, "dc:date", NULL, m->date);
	meta_el(o, "dc:publisher", NULL, m->publisher);
	meta_el(o, "dc:rights", NULL, m->rights);
	meta_el(o, "dc:description", NULL, m->description);
	for (guint i = 0; i < m->subjects->len; i++)
		meta_el(o, "dc:subject", NULL, g_ptr_array_index(m->subjects, i));
	meta_el(o, "dc:source", NULL, m->source);
	if (e->page_list && e->page_list->len) {
		/* the print edition the page numbers follow */
		/* the print edition's ISBN names it, when the book has one */
		char *src = m->print_isbn ?
			    g_strconcat("urn:isbn:", m->print_isbn, NULL) :
			    g_strdup_printf("%s, print edition (%s)", m->identifier,
					    e->opt->pages_from ? e->opt->pages_from : "PDF");
		meta_el(o, "dc:source", "print-edition", src);
		meta_prop(o, "source-of", "print-edition", "pagination");
		g_free(src);
	}
	char modified[GB_TIME_LEN];
	if (!gb_time_iso8601(e->opt->timestamp, modified)) {
		gb_error(e->d, gb_noloc(), "cannot date the EPUB %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", e->opt->timestamp);
		e->ok = 0;
	}
	meta_prop(o, "dcterms:modified", NULL, modified);
	write_accessibility(e, o);
	/* Apple Books uses embedded fonts only when told to */
	meta_prop(o, "ibooks:specified-fonts", NULL, "true");
	char *version = e->ok ? ibooks_version(m, modified) : NULL;
	if (version)
		meta_prop(o, "ibooks:version", NULL, version);
	g_free(version);
	/* EPUB 2 readers (and Kindle's converter) find the cover by name */
	g_string_append(o, "<meta name=\"cover\" content=\"cover-image\"/>\n</metadata>\n<manifest>\n");
	for (guint i = 0; i < e->items->len; i++) {
		const item *it = g_ptr_array_index(e->items, i);
		g_string_append(o, "<item id=\"");
		gb_ep_esc(o, it->id);
		g_string_append(o, "\" href=\"");
		gb_ep_esc(o, it->href);
		g_string_append(o, "\" media-type=\"");
		gb_ep_esc(o, it->media_type);
		g_string_append(o, "\"");
		if (it->properties)
			g_string_append_printf(o, " properties=\"%s\"", it->properties);
		g_string_append(o, "/>\n");
	}
	g_string_append(o, "</manifest>\n<spine toc=\"ncx\">\n");
	for (guint i = 0; i < e->spine->len; i++) {
		const item *it = g_ptr_array_index(e->spine, i);
		g_string_append(o, "<itemref idref=\"");
		gb_ep_esc(o, it->id);
		g_string_append(o, it->linear ? "\"/>\n" : "\" linear=\"no\"/>\n");
	}
	g_string_append(o, "</spine>\n");
	/* the landmarks again, for EPUB 2 reading systems (and stores that
	   read them to open a book at its start) */
	if (e->landmarks && e->landmarks->len) {
		g_string_append(o, "<guide>\n");
		for (guint i = 0; i < e->landmarks->len; i++) {
			const landmark *l = g_ptr_array_index(e->landmarks, i);
			g_string_append_printf(o, "<reference type=\"%s\" title=\"", l->guide_type);
			gb_ep_esc(o, l->title);
			g_string_append(o, "\" href=\"");
			gb_ep_esc(o, l->href);
			g_string_append(o, "\"/>\n");
		}
		g_string_append(o, "</guide>\n");
	}
	g_string_append(o, "</package>\n");
	/* the OPF is not in its own manifest */
	gb_ep_add_entry(e, "EPUB/package.opf", gb_ep_string_bytes(o), false);
}
