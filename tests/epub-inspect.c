/*
 * epub-inspect.c - checks an EPUB's package the way the tests need, with
 * libzip and GLib's XML parser, independently of the writer's code.
 *
 *   epub-inspect check FILE   the zip layout, manifest, spine, nav and NCX
 *   epub-inspect text FILE    the text of the spine's documents, a block a
 *                             line, without note marks and notes
 *   epub-inspect list FILE    "SIZE NAME" for every entry
 *   epub-inspect cat FILE NAME  the entry NAME
 *   epub-inspect pages FILE   each page-break marker in reading order:
 *                             "LABEL<TAB>the next words of text"
 *
 * check prints one line per problem and exits 1 if there is any.
 */
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

typedef struct inspect {
	zip_t *za;
	int problems;
} inspect;

static void problem(inspect *in, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(inspect *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	printf("%s\n", s);
	g_free(s);
	in->problems++;
}

static char *read_entry(inspect *in, const char *name)
{
	zip_stat_t st;
	if (zip_stat(in->za, name, 0, &st) < 0)
		return NULL;
	zip_file_t *f = zip_fopen(in->za, name, 0);
	if (!f)
		return NULL;
	char *buf = g_malloc(st.size + 1);
	zip_int64_t n = zip_fread(f, buf, st.size);
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		g_free(buf);
		return NULL;
	}
	buf[st.size] = '\0';
	return buf;
}

/* ---- a tiny DOM over GMarkup, enough for these checks ---- */

typedef struct el {
	char *name;
	char **attr_names, **attr_values;
	GString *text;          /* all text inside, children included */
	GPtrArray *children;    /* struct el * */
	struct el *parent;
	int child_elements;
} el;

static void el_free(el *e)
{
	if (!e)
		return;
	g_free(e->name);
	g_strfreev(e->attr_names);
	g_strfreev(e->attr_values);
	g_string_free(e->text, TRUE);
	g_ptr_array_free(e->children, TRUE);
	g_free(e);
}

static const char *attr(const el *e, const char *name)
{
	for (int i = 0; e->attr_names[i]; i++)
		if (!strcmp(e->attr_names[i], name))
			return e->attr_values[i];
	return NULL;
}

typedef struct build {
	el *root, *cur;
} build;

static void on_start(GMarkupParseContext *c, const char *name, const char **an,
		     const char **av, gpointer data, GError **error)
{
	(void)c;
	(void)error;
	build *b = data;
	el *e = g_new0(el, 1);
	e->name = g_strdup(name);
	e->attr_names = g_strdupv((char **)an);
	e->attr_values = g_strdupv((char **)av);
	e->text = g_string_new(NULL);
	e->children = g_ptr_array_new_with_free_func((GDestroyNotify)el_free);
	e->parent = b->cur;
	if (b->cur) {
		g_ptr_array_add(b->cur->children, e);
		b->cur->child_elements++;
	} else {
		b->root = e;
	}
	b->cur = e;
}

static void on_end(GMarkupParseContext *c, const char *name, gpointer data,
		   GError **error)
{
	(void)c;
	(void)name;
	(void)error;
	build *b = data;
	b->cur = b->cur->parent;
}

static void on_text(GMarkupParseContext *c, const char *text, gsize len,
		    gpointer data, GError **error)
{
	(void)c;
	(void)error;
	build *b = data;
	for (el *e = b->cur; e; e = e->parent)
		g_string_append_len(e->text, text, (gssize)len);
}

static el *parse_xml(inspect *in, const char *name, const char *xml)
{
	static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
	build b = { NULL, NULL };
	GError *error = NULL;
	GMarkupParseContext *c = g_markup_parse_context_new(&parser, 0, &b, NULL);
	if (!g_markup_parse_context_parse(c, xml, -1, &error) ||
	    !g_markup_parse_context_end_parse(c, &error)) {
		problem(in, "%s: not well-formed: %s", name, error->message);
		g_error_free(error);
		g_markup_parse_context_free(c);
		el_free(b.root);
		return NULL;
	}
	g_markup_parse_context_free(c);
	return b.root;
}

/* Calls fn on every element under e, in document order. */
static void each(el *e, void (*fn)(el *, void *), void *ctx)
{
	fn(e, ctx);
	for (guint i = 0; i < e->children->len; i++)
		each(g_ptr_array_index(e->children, i), fn, ctx);
}

static el *find(el *e, const char *name)
{
	if (!strcmp(e->name, name))
		return e;
	for (guint i = 0; i < e->children->len; i++) {
		el *f = find(g_ptr_array_index(e->children, i), name);
		if (f)
			return f;
	}
	return NULL;
}

/* ---- the package ---- */

typedef struct package {
	char *opf_path, *dir;            /* "EPUB/package.opf", "EPUB/" */
	el *opf;
	GHashTable *hrefs;               /* zip name -> item el */
	GPtrArray *spine;                /* zip names, in order */
	char *nav;                       /* zip name of the nav document */
	char *ncx;
} package;

static char *resolve_href(const char *base_dir, const char *href)
{
	char *noanchor = g_strndup(href, strcspn(href, "#"));
	char *joined = g_strconcat(base_dir, noanchor, NULL);
	g_free(noanchor);
	/* fold "x/../" */
	gchar **parts = g_strsplit(joined, "/", -1);
	GPtrArray *out = g_ptr_array_new();
	for (gchar **p = parts; *p; p++) {
		if (!strcmp(*p, "..") && out->len)
			g_ptr_array_remove_index(out, out->len - 1);
		else if (strcmp(*p, "."))
			g_ptr_array_add(out, *p);
	}
	g_ptr_array_add(out, NULL);
	char *r = g_strjoinv("/", (gchar **)out->pdata);
	g_ptr_array_free(out, TRUE);
	g_strfreev(parts);
	g_free(joined);
	return r;
}

static char *dir_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? g_strndup(name, (gsize)(slash - name + 1)) : g_strdup("");
}

static bool load_package(inspect *in, package *p)
{
	char *container = read_entry(in, "META-INF/container.xml");
	if (!container) {
		problem(in, "no META-INF/container.xml");
		return false;
	}
	el *c = parse_xml(in, "container.xml", container);
	g_free(container);
	el *rf = c ? find(c, "rootfile") : NULL;
	if (!rf || !attr(rf, "full-path")) {
		problem(in, "container.xml names no rootfile");
		el_free(c);
		return false;
	}
	p->opf_path = g_strdup(attr(rf, "full-path"));
	el_free(c);
	p->dir = dir_of(p->opf_path);
	char *opf = read_entry(in, p->opf_path);
	p->opf = opf ? parse_xml(in, p->opf_path, opf) : NULL;
	g_free(opf);
	if (!p->opf) {
		problem(in, "cannot read the package document %s", p->opf_path);
		return false;
	}
	p->hrefs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p->spine = g_ptr_array_new_with_free_func(g_free);
	GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
	el *manifest = find(p->opf, "manifest");
	for (guint i = 0; manifest && i < manifest->children->len; i++) {
		el *it = g_ptr_array_index(manifest->children, i);
		const char *href = attr(it, "href"), *id = attr(it, "id");
		if (!href || !id) {
			problem(in, "manifest item without href or id");
			continue;
		}
		char *name = resolve_href(p->dir, href);
		if (!g_hash_table_insert(p->hrefs, g_strdup(name), it))
			problem(in, "manifest lists %s twice", name);
		g_hash_table_insert(by_id, (gpointer)id, it);
		const char *props = attr(it, "properties");
		if (props && strstr(props, "nav"))
			p->nav = g_strdup(name);
		if (!strcmp(attr(it, "media-type"), "application/x-dtbncx+xml"))
			p->ncx = g_strdup(name);
		g_free(name);
	}
	el *spine = find(p->opf, "spine");
	for (guint i = 0; spine && i < spine->children->len; i++) {
		el *ref = g_ptr_array_index(spine->children, i);
		el *it = g_hash_table_lookup(by_id, attr(ref, "idref"));
		if (!it) {
			problem(in, "spine names %s, which is not in the manifest", attr(ref, "idref"));
			continue;
		}
		g_ptr_array_add(p->spine, resolve_href(p->dir, attr(it, "href")));
	}
	g_hash_table_destroy(by_id);
	return true;
}

static void package_free(package *p)
{
	g_free(p->opf_path);
	g_free(p->dir);
	g_free(p->nav);
	g_free(p->ncx);
	el_free(p->opf);
	if (p->hrefs)
		g_hash_table_destroy(p->hrefs);
	if (p->spine)
		g_ptr_array_free(p->spine, TRUE);
}

/* ---- checks ---- */

static void check_zip_layout(inspect *in)
{
	zip_stat_t st;
	if (zip_stat_index(in->za, 0, 0, &st) < 0 || strcmp(st.name, "mimetype")) {
		problem(in, "entry 0 is not mimetype");
		return;
	}
	if (st.comp_method != ZIP_CM_STORE)
		problem(in, "mimetype is compressed");
	if (zip_file_extra_fields_count(in->za, 0, ZIP_FL_LOCAL) != 0 ||
	    zip_file_extra_fields_count(in->za, 0, ZIP_FL_CENTRAL) != 0)
		problem(in, "mimetype has an extra field");
	char *m = read_entry(in, "mimetype");
	if (!m || strcmp(m, "application/epub+zip"))
		problem(in, "mimetype does not say application/epub+zip");
	g_free(m);
	zip_int64_t n = zip_get_num_entries(in->za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(in->za, (zip_uint64_t)i, 0);
		if (g_str_has_suffix(name, "/"))
			problem(in, "directory entry %s", name);
	}
}

static void check_manifest(inspect *in, package *p)
{
	zip_int64_t n = zip_get_num_entries(in->za, 0);
	GHashTable *in_zip = g_hash_table_new(g_str_hash, g_str_equal);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(in->za, (zip_uint64_t)i, 0);
		g_hash_table_add(in_zip, (gpointer)name);
		if (!strcmp(name, "mimetype") || g_str_has_prefix(name, "META-INF/") ||
		    !strcmp(name, p->opf_path))
			continue;
		if (!g_hash_table_contains(p->hrefs, name))
			problem(in, "%s is in the zip but not in the manifest", name);
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, p->hrefs);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(in_zip, key))
			problem(in, "%s is in the manifest but not in the zip", (char *)key);
	g_hash_table_destroy(in_zip);
	if (!p->nav)
		problem(in, "no manifest item has the nav property");
}

typedef struct toc_collect {
	GPtrArray *labels, *hrefs;
	const char *want_type;     /* "toc" or "landmarks" */
	int depth;
} toc_collect;

static void collect_links(el *e, GPtrArray *labels, GPtrArray *hrefs)
{
	if (!strcmp(e->name, "a")) {
		char *t = g_strstrip(g_strdup(e->text->str));
		g_ptr_array_add(labels, t);
		g_ptr_array_add(hrefs, g_strdup(attr(e, "href")));
	}
	for (guint i = 0; i < e->children->len; i++)
		collect_links(g_ptr_array_index(e->children, i), labels, hrefs);
}

static el *find_nav(el *e, const char *type)
{
	const char *t = attr(e, "epub:type");
	if (!strcmp(e->name, "nav") && t && !strcmp(t, type))
		return e;
	for (guint i = 0; i < e->children->len; i++) {
		el *f = find_nav(g_ptr_array_index(e->children, i), type);
		if (f)
			return f;
	}
	return NULL;
}

static void collect_ncx(el *e, GPtrArray *labels, GPtrArray *hrefs)
{
	if (!strcmp(e->name, "navPoint")) {
		el *label = find(e, "text");
		el *content = find(e, "content");
		g_ptr_array_add(labels, g_strstrip(g_strdup(label ? label->text->str : "")));
		g_ptr_array_add(hrefs, g_strdup(content ? attr(content, "src") : ""));
	}
	for (guint i = 0; i < e->children->len; i++)
		collect_ncx(g_ptr_array_index(e->children, i), labels, hrefs);
}

static bool in_spine(package *p, const char *name)
{
	for (guint i = 0; i < p->spine->len; i++)
		if (!strcmp(g_ptr_array_index(p->spine, i), name))
			return true;
	return false;
}

static void check_nav(inspect *in, package *p)
{
	if (!p->nav || !p->ncx) {
		problem(in, "no nav document or no NCX");
		return;
	}
	char *navx = read_entry(in, p->nav), *ncxx = read_entry(in, p->ncx);
	el *nav = navx ? parse_xml(in, p->nav, navx) : NULL;
	el *ncx = ncxx ? parse_xml(in, p->ncx, ncxx) : NULL;
	g_free(navx);
	g_free(ncxx);
	el *toc = nav ? find_nav(nav, "toc") : NULL;
	el *landmarks = nav ? find_nav(nav, "landmarks") : NULL;
	if (!toc || !ncx) {
		problem(in, "no toc nav or no NCX navMap");
		el_free(nav);
		el_free(ncx);
		return;
	}
	const char *role = attr(toc, "role");
	if (!role || strcmp(role, "doc-toc"))
		problem(in, "the toc nav has no role doc-toc");
	GPtrArray *nl = g_ptr_array_new_with_free_func(g_free), *nh = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *xl = g_ptr_array_new_with_free_func(g_free), *xh = g_ptr_array_new_with_free_func(g_free);
	collect_links(toc, nl, nh);
	collect_ncx(ncx, xl, xh);
	if (nl->len != xl->len)
		problem(in, "the nav toc has %u entries, the NCX %u", nl->len, xl->len);
	char *nav_dir = dir_of(p->nav), *ncx_dir = dir_of(p->ncx);
	for (guint i = 0; i < MIN(nl->len, xl->len); i++) {
		char *a = resolve_href(nav_dir, g_ptr_array_index(nh, i));
		char *b = resolve_href(ncx_dir, g_ptr_array_index(xh, i));
		const char *fa = strchr(g_ptr_array_index(nh, i), '#');
		const char *fb = strchr(g_ptr_array_index(xh, i), '#');
		if (strcmp(g_ptr_array_index(nl, i), g_ptr_array_index(xl, i)) ||
		    strcmp(a, b) || g_strcmp0(fa, fb))
			problem(in, "toc entry %u differs: nav \"%s\" -> %s, NCX \"%s\" -> %s",
				i + 1, (char *)g_ptr_array_index(nl, i), (char *)g_ptr_array_index(nh, i),
				(char *)g_ptr_array_index(xl, i), (char *)g_ptr_array_index(xh, i));
		if (!in_spine(p, a))
			problem(in, "toc entry %s is not in the spine", a);
		g_free(a);
		g_free(b);
	}
	if (!nl->len)
		problem(in, "the toc is empty");
	/* landmarks: every target in the spine; cover, toc and bodymatter */
	if (!landmarks) {
		problem(in, "no landmarks nav");
	} else {
		const char *need[] = { "cover", "toc", "bodymatter" };
		for (size_t k = 0; k < G_N_ELEMENTS(need); k++) {
			bool found = false;
			for (guint i = 0; i < landmarks->children->len; i++) {
				el *ol = g_ptr_array_index(landmarks->children, i);
				for (guint j = 0; j < ol->children->len; j++) {
					el *li = g_ptr_array_index(ol->children, j);
					el *a = find(li, "a");
					if (!a)
						continue;
					const char *t = attr(a, "epub:type");
					char *target = resolve_href(nav_dir, attr(a, "href"));
					if (!in_spine(p, target))
						problem(in, "landmark %s points outside the spine: %s", t, target);
					if (t && !strcmp(t, need[k]))
						found = true;
					g_free(target);
				}
			}
			if (!found)
				problem(in, "no %s landmark", need[k]);
		}
	}
	g_free(nav_dir);
	g_free(ncx_dir);
	g_ptr_array_free(nl, TRUE);
	g_ptr_array_free(nh, TRUE);
	g_ptr_array_free(xl, TRUE);
	g_ptr_array_free(xh, TRUE);
	el_free(nav);
	el_free(ncx);
}

typedef struct doc_check {
	inspect *in;
	const char *name;
} doc_check;

static void check_element(el *e, void *ctx)
{
	doc_check *dc = ctx;
	const char *type = attr(e, "epub:type");
	if (!strcmp(e->name, "a") && type && strstr(type, "noteref") && e->child_elements)
		problem(dc->in, "%s: a noteref holds an element", dc->name);
	if (!strcmp(e->name, "img") && !attr(e, "alt"))
		problem(dc->in, "%s: an image without alt", dc->name);
	if (!strcmp(e->name, "th") && !attr(e, "scope"))
		problem(dc->in, "%s: a th without scope", dc->name);
	if (!strcmp(e->name, "table") && (!e->children->len ||
	    strcmp(((el *)g_ptr_array_index(e->children, 0))->name, "caption")))
		problem(dc->in, "%s: a table without a caption", dc->name);
}

static void check_documents(inspect *in, package *p)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, p->hrefs);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		el *item = value;
		if (strcmp(attr(item, "media-type"), "application/xhtml+xml"))
			continue;
		char *x = read_entry(in, key);
		el *doc = x ? parse_xml(in, key, x) : NULL;
		g_free(x);
		if (!doc)
			continue;
		if (!attr(doc, "lang") || !attr(doc, "xml:lang") ||
		    strcmp(attr(doc, "lang"), attr(doc, "xml:lang")))
			problem(in, "%s: lang and xml:lang missing or different", (char *)key);
		doc_check dc = { in, key };
		each(doc, check_element, &dc);
		el_free(doc);
	}
}

/* ---- text ---- */

static const char *const block_names[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "th", "td",
	"figcaption", "pre", "title", NULL,
};

static bool is_block(const char *name)
{
	for (int i = 0; block_names[i]; i++)
		if (!strcmp(block_names[i], name))
			return true;
	return false;
}

/* Text without note marks and notes: from the elements' own text nodes. */
typedef struct text_state {
	GString *out;
	int skip;        /* depth inside noteref, footnote or head */
	GQueue stack;    /* of skip flags */
	bool pages;      /* print page markers and the words after them */
	GPtrArray *marks;   /* "label\twords" being collected */
} text_state;

static int word_count(const char *s)
{
	int n = 0;
	bool in = false;
	for (; *s; s++) {
		bool sp = *s == ' ' || *s == '\n' || *s == '\t';
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

static void t_start(GMarkupParseContext *c, const char *name, const char **an,
		    const char **av, gpointer data, GError **error)
{
	(void)c;
	(void)error;
	text_state *t = data;
	bool skip = !strcmp(name, "head");
	for (int i = 0; an[i]; i++)
		if (!strcmp(an[i], "epub:type") &&
		    (strstr(av[i], "noteref") || strstr(av[i], "footnote")))
			skip = true;
	for (int i = 0; t->pages && an[i]; i++)
		if (!strcmp(an[i], "epub:type") && !strcmp(av[i], "pagebreak"))
			for (int k = 0; an[k]; k++)
				if (!strcmp(an[k], "aria-label"))
					g_ptr_array_add(t->marks, g_string_new(av[k]));
	g_queue_push_tail(&t->stack, GINT_TO_POINTER(skip));
	t->skip += skip;
	if (is_block(name))
		g_string_append_c(t->out, '\n');
}

static void t_end(GMarkupParseContext *c, const char *name, gpointer data,
		  GError **error)
{
	(void)c;
	(void)error;
	text_state *t = data;
	t->skip -= GPOINTER_TO_INT(g_queue_pop_tail(&t->stack));
	if (is_block(name))
		g_string_append_c(t->out, '\n');
}

static void t_text(GMarkupParseContext *c, const char *text, gsize len,
		   gpointer data, GError **error)
{
	(void)c;
	(void)error;
	text_state *t = data;
	if (!t->skip)
		g_string_append_len(t->out, text, (gssize)len);
	/* the words after each marker that has fewer than three */
	for (guint i = 0; t->pages && !t->skip && i < t->marks->len; i++) {
		GString *m = g_ptr_array_index(t->marks, i);
		const char *tab = strchr(m->str, '\t');
		if (!tab) {
			g_string_append_c(m, '\t');
			tab = strchr(m->str, '\t');
		}
		if (word_count(tab + 1) < 4)
			g_string_append_len(m, text, (gssize)len);
	}
}

static void print_text(inspect *in, package *p, bool pages)
{
	static const GMarkupParser parser = { t_start, t_end, t_text, NULL, NULL };
	GPtrArray *marks = g_ptr_array_new();
	for (guint i = 0; i < p->spine->len; i++) {
		char *x = read_entry(in, g_ptr_array_index(p->spine, i));
		if (!x)
			continue;
		text_state t = { g_string_new(NULL), 0, G_QUEUE_INIT, pages, marks };
		GMarkupParseContext *c = g_markup_parse_context_new(&parser, 0, &t, NULL);
		if (g_markup_parse_context_parse(c, x, -1, NULL) &&
		    g_markup_parse_context_end_parse(c, NULL)) {
			if (!pages)
				fputs(t.out->str, stdout);
		}
		else
			problem(in, "%s: not well-formed", (char *)g_ptr_array_index(p->spine, i));
		g_markup_parse_context_free(c);
		g_queue_clear(&t.stack);
		g_string_free(t.out, TRUE);
		g_free(x);
	}
	for (guint i = 0; i < marks->len; i++) {
		GString *m = g_ptr_array_index(marks, i);
		/* one line: the label, a tab, the words on one line */
		for (char *c = m->str; *c; c++)
			if (*c == '\n')
				*c = ' ';
		if (!strchr(m->str, '\t'))
			g_string_append_c(m, '\t');
		printf("%s\n", m->str);
		g_string_free(m, TRUE);
	}
	g_ptr_array_free(marks, TRUE);
}

int main(int argc, char **argv)
{
	bool cat = argc == 4 && !strcmp(argv[1], "cat");
	if (!cat && (argc != 3 || (strcmp(argv[1], "check") && strcmp(argv[1], "text") &&
				   strcmp(argv[1], "list") && strcmp(argv[1], "pages")))) {
		fprintf(stderr, "usage: epub-inspect check|text|list FILE.epub\n"
				"       epub-inspect cat FILE.epub NAME\n");
		return 2;
	}
	int err = 0;
	inspect in = { zip_open(argv[2], ZIP_RDONLY, &err), 0 };
	if (!in.za) {
		fprintf(stderr, "epub-inspect: cannot open %s (libzip error %d)\n", argv[2], err);
		return 1;
	}
	if (cat) {
		char *text = read_entry(&in, argv[3]);
		if (text)
			fputs(text, stdout);
		g_free(text);
		zip_discard(in.za);
		return text ? 0 : 1;
	}
	if (!strcmp(argv[1], "list")) {
		zip_int64_t n = zip_get_num_entries(in.za, 0);
		for (zip_int64_t i = 0; i < n; i++) {
			zip_stat_t st;
			if (zip_stat_index(in.za, (zip_uint64_t)i, 0, &st) == 0)
				printf("%llu %s\n", (unsigned long long)st.size, st.name);
		}
		zip_discard(in.za);
		return 0;
	}
	package p = { 0 };
	if (load_package(&in, &p)) {
		if (!strcmp(argv[1], "check")) {
			check_zip_layout(&in);
			check_manifest(&in, &p);
			check_nav(&in, &p);
			check_documents(&in, &p);
		} else {
			print_text(&in, &p, !strcmp(argv[1], "pages"));
		}
	}
	package_free(&p);
	zip_discard(in.za);
	return in.problems ? 1 : 0;
}
