/*
 * html.c - the HTML that real Markdown carries (ps.h): the raw HTML that
 * libcmark-gfm leaves in a part (HTML nodes, one a tag inline, one a
 * block of lines) made the elements it stands for, or reported.
 *
 * - <div>, <span> and <section> (any class) only wrap their content:
 *   they are unwrapped, their id kept as a link target (an ANCHOR), and
 *   one warning a part counts them;
 * - <br>, <em>/<i>, <strong>/<b>, <code>, <s>/<del>/<strike>, <sup>,
 *   <sub> are the Markdown forms' nodes; <small>, <abbr>, <kbd>, <q>,
 *   <cite>, <dfn> PHRASE nodes; <img>, <figure>/<figcaption> and <a id>
 *   as pandoc's GitHub writer emits them images, figures and anchors;
 * - anything else (a script, a style, a frame, a form, an event
 *   attribute, an HTML table, an unknown tag) is an error at the tag,
 *   with the Markdown to write instead.
 *
 * An open tag is matched with its closing tag among the siblings of one
 * block (inline) or of one block container (<div> ... </div> around
 * blocks).  HTML comments are ignored.  The tags are read, and each
 * element's role looked up, by htmltag.c.
 */
#include "source/ps.h"

#include "source/htmltag.h"
#include "source/quotes.h"
#include <string.h>

/* ---- the pass ---- */

typedef gb_html_tag tag;
typedef gb_html_element element;

typedef struct html_ctx {
	parse_ctx *c;
	bool quiet;           /* within a refused element: reported already */
	int unwrapped;        /* wrappers unwrapped in the part */
	gb_loc first;         /* where the first was */
} html_ctx;

/* The start of s's first line, at most 40 bytes, for messages. */
static char *quoted(const char *s)
{
	size_t n = strcspn(s, "\n");
	if (n > 40) {
		const char *end = g_utf8_find_prev_char(s, s + 40);
		n = end ? (size_t)(end - s) : 40;
		return g_strdup_printf("%.*s...", (int)n, s);
	}
	return g_strndup(s, n);
}

/* The error for n, tag t of an element a book cannot hold. */
static void report_refused(html_ctx *h, const gb_node *n, const gb_html_tag *t)
{
	const gb_html_element *e = gb_html_element_of(t->name);
	char *q = quoted(n->text);
	if (e && e->role == GB_HTML_REFUSED)
		gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed: %s", q, e->hint);
	else
		gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed: <%s> is not "
			 "an element a book can set; write it in Markdown", q, t->name);
	g_free(q);
}

/*
 * Whether tag t (the HTML node n's) may stand in a book: an error at n
 * when not.  Closing tags of refused elements are dropped in silence:
 * their opening tag is reported.
 */
static const gb_html_element *allowed(html_ctx *h, const gb_node *n, const gb_html_tag *t)
{
	const gb_html_element *e = gb_html_element_of(t->name);
	for (guint i = 0; t->attrs && i + 1 < t->attrs->len; i += 2) {
		const char *a = t->attrs->pdata[i];
		if (g_str_has_prefix(a, "on")) {
			if (h->quiet)
				return NULL;
			char *q = quoted(n->text);
			gb_error(h->c->d, n->loc, "raw HTML '%s' has an event attribute, '%s': "
				 "a book runs no scripts; leave it out", q, a);
			g_free(q);
			return NULL;
		}
	}
	if (e && e->role != GB_HTML_REFUSED)
		return e;
	if (!t->close && !h->quiet)
		report_refused(h, n, t);
	return NULL;
}

/* An <a>: one with only an id is an anchor (GB_HTML_WRAPPER); one with an href is refused. */
static const gb_html_element a_anchor = { "a", GB_HTML_WRAPPER, 0, NULL };

static const gb_html_element *element_for(html_ctx *h, const gb_node *n, const gb_html_tag *t)
{
	if (strcmp(t->name, "a"))
		return allowed(h, n, t);
	if (!t->close && gb_html_attr(t, "href")) {
		if (h->quiet)
			return NULL;
		char *q = quoted(n->text);
		gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed: write a link "
			 "in Markdown, [text](address)", q);
		g_free(q);
		return NULL;
	}
	if (!t->close && !gb_html_attr(t, "id") && !gb_html_attr(t, "name")) {
		if (h->quiet)
			return NULL;
		char *q = quoted(n->text);
		gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed: an <a> without "
			 "an id is no anchor", q);
		g_free(q);
		return NULL;
	}
	for (guint i = 0; t->attrs && i + 1 < t->attrs->len; i += 2)
		if (g_str_has_prefix(t->attrs->pdata[i], "on"))
			return allowed(h, n, t);
	return &a_anchor;
}

static gb_node *anchor_new(gb_loc loc, const char *id)
{
	gb_node *a = gb_node_new(GB_NODE_ANCHOR, loc);
	a->id = g_strdup(id);
	a->id_given = true;
	return a;
}

static void count_wrapper(html_ctx *h, const gb_html_tag *t, gb_loc loc)
{
	if (!strcmp(t->name, "a"))
		return;
	if (!h->unwrapped++)
		h->first = loc;
}

static const char *id_of(const gb_html_tag *t)
{
	const char *id = gb_html_attr(t, "id");
	if (!id)
		id = gb_html_attr(t, "name");
	return id && *id ? id : NULL;
}

/* The width written on an <img>: its width attribute, else its style's. */
static char *img_width(const gb_html_tag *t)
{
	const char *w = gb_html_attr(t, "width");
	if (w && *w)
		return g_strdup(w);
	const char *style = gb_html_attr(t, "style");
	const char *p = style ? strstr(style, "width") : NULL;
	if (!p || (p > style && (p[-1] == '-' || g_ascii_isalpha(p[-1]))))
		return NULL;
	p += 5;
	while (*p == ' ' || *p == ':')
		p++;
	size_t n = strcspn(p, "; ");
	if (!n)
		return NULL;
	/* pandoc writes "50.0%": the width as the Markdown had it */
	char *v = g_strndup(p, n);
	char *dot = strstr(v, ".0%");
	if (dot && (dot == v || g_ascii_isdigit(dot[-1])))
		memmove(dot, dot + 2, strlen(dot + 2) + 1);
	return v;
}

static gb_node *image_of(html_ctx *h, const gb_html_tag *t, gb_loc loc)
{
	gb_node *img = gb_node_new(GB_NODE_IMAGE, loc);
	const char *src = gb_html_attr(t, "src"), *alt = gb_html_attr(t, "alt"), *title = gb_html_attr(t, "title");
	img->url = g_strdup(src ? src : "");
	img->text = g_strdup(alt ? alt : "");
	if (title && *title)
		img->title = g_strdup(title);
	img->width = img_width(t);
	gb_ps_check_image(h->c, img);
	return img;
}

/* Moves the siblings strictly between from and to into el. */
static void adopt(gb_node *el, gb_node *from, gb_node *to)
{
	while (from->next != to) {
		gb_node *n = from->next;
		gb_node_unlink(n);
		gb_node_append(el, n);
	}
}

/*
 * The classes of a <span>'s class attribute that a bracketed span sets
 * (smallcaps, underline), space-separated, or NULL: the others are
 * dropped with the wrapper.
 */
static char *span_classes(const char *cls)
{
	if (!cls)
		return NULL;
	GString *out = g_string_new(NULL);
	char **v = g_strsplit_set(cls, " \t\n", -1);
	for (char **p = v; *p; p++)
		if (!strcmp(*p, "smallcaps") || !strcmp(*p, "underline"))
			g_string_append_printf(out, "%s%s", out->len ? " " : "", *p);
	g_strfreev(v);
	return out->len ? g_string_free(out, FALSE) : (g_string_free(out, TRUE), NULL);
}

/*
 * The element made of open (a PHRASE's, or an GB_HTML_NODE's) around the
 * siblings up to close, which both go.
 */
static void make_element(html_ctx *h, const gb_html_element *e, const gb_html_tag *t,
			 gb_node *open, gb_node *close)
{
	gb_node *el;
	const char *id = id_of(t), *lang = gb_html_attr(t, "lang");
	if (!lang)
		lang = gb_html_attr(t, "xml:lang");
	if (id && (e->role == GB_HTML_WRAPPER || e->role == GB_HTML_UNDERLINE))
		gb_node_insert_before(open, anchor_new(open->loc, id));
	char *classes = e->role == GB_HTML_UNDERLINE ? g_strdup("underline") :
			!strcmp(e->name, "span") ? span_classes(gb_html_attr(t, "class")) : NULL;
	if (classes || (!strcmp(e->name, "span") && lang && *lang)) {
		/* what pandoc writes for [text]{.underline} (<u>),
		   [text]{.smallcaps} and [text]{lang=ru} */
		el = gb_node_new(GB_NODE_SPAN, open->loc);
		el->classes = classes;
		if (lang && *lang)
			el->lang = g_strdup(lang);
		adopt(el, open, close);
		gb_node_insert_before(open, el);
		gb_node_free(open);
		gb_node_free(close);
		return;
	}
	if (e->role == GB_HTML_WRAPPER) {
		count_wrapper(h, t, open->loc);
		gb_node_free(open);
		gb_node_free(close);
		return;
	}
	el = gb_node_new(e->role == GB_HTML_PHRASE ? GB_NODE_PHRASE : e->kind, open->loc);
	if (e->kind == GB_NODE_CODE && e->role == GB_HTML_NODE) {
		GString *s = g_string_new(NULL);
		while (open->next != close) {
			gb_node_plain_text(open->next, s);
			gb_node_free(open->next);
		}
		el->text = g_string_free(s, FALSE);
	} else {
		adopt(el, open, close);
	}
	if (e->role == GB_HTML_PHRASE) {
		el->tag = g_strdup(e->name);
		const char *title = gb_html_attr(t, "title");
		if (title && *title)
			el->title = g_strdup(title);
	}
	gb_node_insert_before(open, el);
	gb_node_free(open);
	gb_node_free(close);
}

typedef struct opened {
	gb_node *node;
	const gb_html_element *e;
	tag t;
} opened;

static void report_unclosed(html_ctx *h, opened *o, const char *where)
{
	char *q = quoted(o->node->text);
	gb_error(h->c->d, o->node->loc, "raw HTML '%s' is not closed %s: close it "
		 "with '</%s>'", q, where, o->t.name);
	g_free(q);
}

/* Whether the innermost elements open hold a refused one (NULL element). */
static bool in_refused(const GArray *stack)
{
	for (guint k = 0; k < stack->len; k++)
		if (!g_array_index(stack, opened, k).e)
			return true;
	return false;
}

/*
 * A refused tag t (of length len, 0: not a tag): an opening tag stays on
 * the stack (no element) so that its end and what it holds are not
 * reported again; the stack takes t, else it is cleared.
 */
static void refuse(GArray *stack, tag *t, size_t len)
{
	static const char *const empty[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr",
	};
	bool is_empty = !len || !t->name || t->close || t->empty;
	for (size_t i = 0; !is_empty && i < G_N_ELEMENTS(empty); i++)
		is_empty = !strcmp(t->name, empty[i]);
	if (is_empty) {
		gb_html_tag_clear(t);
		return;
	}
	opened o = { NULL, NULL, *t };
	g_array_append_val(stack, o);
}

/* A refused element's end, t: the stack down to its start goes. */
static bool end_refused(GArray *stack, const gb_html_tag *t)
{
	guint k = stack->len;
	while (k > 0 && (g_array_index(stack, opened, k - 1).e ||
			 strcmp(g_array_index(stack, opened, k - 1).t.name, t->name)))
		k--;
	if (!k)
		return false;
	while (stack->len >= k) {
		opened *o = &g_array_index(stack, opened, stack->len - 1);
		gb_node_free(o->node);
		gb_html_tag_clear(&o->t);
		g_array_set_size(stack, stack->len - 1);
	}
	return true;
}

/* The tags among the children of box (a block holding inlines). */
static void inline_html(html_ctx *h, gb_node *box)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(opened));
	gb_node *next;
	for (gb_node *n = box->first; n; n = next) {
		next = n->next;
		if (n->kind != GB_NODE_HTML)
			continue;
		tag t;
		size_t len = gb_html_read_tag(n->text, &t);
		if (len && !t.name) {
			gb_node_free(n);  /* a comment */
			continue;
		}
		bool quiet = in_refused(stack);
		h->quiet = quiet;
		const gb_html_element *e = len ? element_for(h, n, &t) : NULL;
		h->quiet = false;
		if (!len && !quiet) {
			char *q = quoted(n->text);
			gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed: write it in Markdown", q);
			g_free(q);
		}
		if (e && e->role == GB_HTML_FIGURE && !quiet) {
			char *q = quoted(n->text);
			gb_error(h->c->d, n->loc, "raw HTML '%s' is not allowed within a "
				 "paragraph: a figure is an image alone in its paragraph, "
				 "![caption](file.png)", q);
			g_free(q);
			e = NULL;
		}
		if (e && e->role == GB_HTML_FIGURE)
			e = NULL;
		if (!e) {
			/* the end of a refused element, or one of its own */
			if (len && t.name && t.close && !end_refused(stack, &t) && !quiet &&
			    (!gb_html_element_of(t.name) || gb_html_element_of(t.name)->role == GB_HTML_REFUSED))
				report_refused(h, n, &t);
			refuse(stack, &t, len);
			gb_node_free(n);
			continue;
		}
		if (e->role == GB_HTML_BREAK || e->role == GB_HTML_IMAGE) {
			gb_node *g = e->role == GB_HTML_BREAK ? gb_node_new(GB_NODE_LINEBREAK, n->loc) :
				     image_of(h, &t, n->loc);
			if (!t.close)
				gb_node_insert_before(n, g);
			else
				gb_node_free(g);
			/* "<br>" at a line's end breaks the line once, as a
			   Markdown hard break does */
			if (e->role == GB_HTML_BREAK && next && next->kind == GB_NODE_SOFTBREAK) {
				gb_node *sb = next;
				next = next->next;
				gb_node_free(sb);
			}
			gb_node_free(n);
			gb_html_tag_clear(&t);
			continue;
		}
		if (!t.close && !t.empty) {
			opened o = { n, e, t };
			g_array_append_val(stack, o);
			continue;
		}
		if (t.empty) {
			/* <span id="x"/>: open and closed */
			gb_node *close = gb_node_new(GB_NODE_HTML, n->loc);
			if (next)
				gb_node_insert_before(next, close);
			else
				gb_node_append(box, close);
			make_element(h, e, &t, n, close);
			gb_html_tag_clear(&t);
			continue;
		}
		guint k = stack->len;
		while (k > 0 && strcmp(g_array_index(stack, opened, k - 1).t.name, t.name))
			k--;
		if (!k) {
			char *q = quoted(n->text);
			gb_error(h->c->d, n->loc, "raw HTML '%s' closes nothing: no '<%s>' "
				 "opens it before it in this paragraph", q, t.name);
			g_free(q);
			gb_html_tag_clear(&t);
			gb_node_free(n);
			continue;
		}
		while (stack->len > k) {
			opened *o = &g_array_index(stack, opened, stack->len - 1);
			if (o->node && !in_refused(stack))
				report_unclosed(h, o, "before the tag that closes the one around it");
			gb_node_free(o->node);
			gb_html_tag_clear(&o->t);
			g_array_set_size(stack, stack->len - 1);
		}
		opened *o = &g_array_index(stack, opened, k - 1);
		if (o->e)
			make_element(h, o->e, &o->t, o->node, n);
		else
			gb_node_free(n);  /* a refused element's end */
		gb_html_tag_clear(&o->t);
		g_array_set_size(stack, k - 1);
		gb_html_tag_clear(&t);
	}
	for (guint k = stack->len; k > 0; k--) {
		g_array_set_size(stack, k);
		opened *o = &g_array_index(stack, opened, k - 1);
		if (o->node && !in_refused(stack))
			report_unclosed(h, o, "in this paragraph");
		gb_node_free(o->node);
		gb_html_tag_clear(&o->t);
	}
	g_array_free(stack, TRUE);
}

/* ---- HTML blocks ---- */

static bool is_block_wrapper(const gb_html_tag *t)
{
	return t->name && (!strcmp(t->name, "div") || !strcmp(t->name, "section"));
}

/* The offset of s (its first line) in the file, from *from on. */
static gb_loc find_in_file(const parse_ctx *c, size_t *from, const char *s, size_t n)
{
	const gb_file *f = c->file;
	size_t line = MIN(strcspn(s, "\n"), n);
	if (*from == GB_NOPOS || *from > f->len || !line)
		return gb_loc_at(f, *from);
	char *want = g_strndup(s, line);
	const char *p = g_strstr_len(f->data + *from, (gssize)(f->len - *from), want);
	g_free(want);
	if (!p)
		return gb_loc_at(f, *from);
	*from = (size_t)(p - f->data);
	return gb_loc_at(f, *from);
}

static gb_node *html_node(const char *s, size_t n, gb_loc loc)
{
	gb_node *g = gb_node_new(GB_NODE_HTML, loc);
	g->text = g_strndup(s, n);
	return g;
}

/*
 * The inline tokens of an HTML block, s[0, n), made a paragraph's
 * children: text (its references decoded, its white space one space)
 * and one HTML node a tag.
 */
static void fill_paragraph(html_ctx *h, gb_node *p, const char *s, size_t n, size_t *from)
{
	size_t i = 0;
	while (i < n) {
		tag t;
		size_t len = s[i] == '<' ? gb_html_read_tag(s + i, &t) : 0;
		if (!len && s[i] == '<' && i + 1 < n &&
		    (g_ascii_isalpha(s[i + 1]) || strchr("/!?", s[i + 1])))
			len = gb_html_markup_len(s + i, n - i);  /* no tag: reported */
		else if (len)
			gb_html_tag_clear(&t);
		if (len) {
			gb_node_append(p, html_node(s + i, len, find_in_file(h->c, from, s + i, len)));
			i += len;
			continue;
		}
		size_t j = i + 1;
		while (j < n && s[j] != '<')
			j++;
		GString *raw = g_string_new(NULL);
		gb_html_decode(raw, s + i, j - i);
		GString *text = g_string_new(NULL);
		for (const char *q = raw->str; *q; q++) {
			if (g_ascii_isspace(*q)) {
				/* white space is one space, none at the start */
				if (text->len ? text->str[text->len - 1] != ' ' : p->first != NULL)
					g_string_append_c(text, ' ');
			} else {
				g_string_append_c(text, *q);
			}
		}
		if (!p->first && text->len && text->str[0] == ' ')
			g_string_erase(text, 0, 1);
		if (j == n && text->len && text->str[text->len - 1] == ' ')
			g_string_truncate(text, text->len - 1);
		size_t lead = strspn(s + i, " \t\n");
		gb_loc at = find_in_file(h->c, from, s + i + lead, j - i - lead);
		if (text->len) {
			gb_node *tx = gb_node_new(GB_NODE_TEXT, at);
			tx->text = g_string_free(text, FALSE);
			gb_node_append(p, tx);
		} else {
			g_string_free(text, TRUE);
		}
		g_string_free(raw, TRUE);
		i = j;
	}
}

/*
 * pandoc's figure: <figure>, <img>, <figcaption>caption</figcaption>,
 * </figure>, or an <img> alone: a FIGURE, or NULL when p (a paragraph
 * made of an HTML block) is not one.
 */
static gb_node *figure_of(html_ctx *h, gb_node *p)
{
	gb_node *img = NULL, *cap = NULL, *fig = NULL;
	int state = 0;  /* 0 before the image, 1 after it, 2 in the caption, 3 after it */
	for (gb_node *n = p->first; n; n = n->next) {
		tag t = { 0 };
		bool end = n->kind == GB_NODE_HTML && gb_html_read_tag(n->text, &t) && t.name &&
			   !strcmp(t.name, "figcaption") && t.close;
		gb_html_tag_clear(&t);
		if (n->kind == GB_NODE_TEXT && state != 2 && !n->text[strspn(n->text, " ")])
			continue;  /* white space between the tags */
		if (n->kind != GB_NODE_HTML || (state == 2 && !end)) {
			/* the caption's text and tags (<em>...), read as a
			   paragraph's */
			if (state != 2)
				goto not_one;
			gb_node *tx = gb_node_new(n->kind, n->loc);
			tx->text = g_strdup(n->text);
			if (!cap)
				cap = gb_node_new(GB_NODE_CAPTION, n->loc);
			gb_node_append(cap, tx);
			continue;
		}
		if (!gb_html_read_tag(n->text, &t) || !t.name) {
			gb_html_tag_clear(&t);
			goto not_one;
		}
		bool ok = true;
		if (!strcmp(t.name, "figure"))
			ok = t.close ? state != 2 : (state == 0 && n == p->first);
		else if (!strcmp(t.name, "img") && state == 0 && !t.close) {
			img = image_of(h, &t, n->loc);
			state = 1;
		} else if (!strcmp(t.name, "figcaption") && !t.close && state == 1)
			state = 2;
		else if (!strcmp(t.name, "figcaption") && t.close && state == 2)
			state = 3;
		else
			ok = false;
		gb_html_tag_clear(&t);
		if (!ok)
			goto not_one;
	}
	if (!img)
		return NULL;
	fig = gb_node_new(GB_NODE_FIGURE, img->loc);
	gb_node_append(fig, img);
	if (cap)
		gb_node_append(fig, cap);
	return fig;
not_one:
	gb_node_free(img);
	gb_node_free(cap);
	return NULL;
}

/*
 * An HTML block: its <div>/<section> tags become HTML nodes of their
 * own in box (matched by block_html), the rest a paragraph or a figure.
 */
static void split_block(html_ctx *h, gb_node *b)
{
	const char *s = b->text;
	size_t from = b->loc.off, i = 0, seg = 0;
	size_t n = strlen(s);
	while (i <= n) {
		tag t = { 0 };
		size_t len = i < n && s[i] == '<' ? gb_html_read_tag(s + i, &t) : 0;
		bool wrap = len && is_block_wrapper(&t);
		gb_html_tag_clear(&t);
		if (!wrap && i < n) {
			i += len ? len : 1;
			continue;
		}
		/* the text from seg to i */
		size_t a = seg, z = i;
		while (a < z && g_ascii_isspace(s[a]))
			a++;
		if (a < z) {
			gb_node *p = gb_node_new(GB_NODE_PARAGRAPH, b->loc);
			size_t at = from;
			fill_paragraph(h, p, s + a, z - a, &at);
			if (p->first)
				p->loc = p->first->loc;
			bool only_comments = true;
			for (gb_node *k = p->first; k; k = k->next)
				if (k->kind != GB_NODE_HTML || strncmp(k->text, "<!--", 4))
					only_comments = false;
			gb_node *fig = only_comments ? NULL : figure_of(h, p);
			if (fig || only_comments)
				gb_node_free(p);
			if (!only_comments)
				gb_node_insert_before(b, fig ? fig : p);
		}
		if (wrap) {
			gb_node_insert_before(b, html_node(s + i, len, find_in_file(h->c, &from, s + i, len)));
			i += len;
		} else {
			i++;
		}
		seg = i;
	}
	gb_node_free(b);
}

/* The first block holding inlines from n on (n itself, or inside it). */
static gb_node *first_inline_box(gb_node *n, gb_node *stop)
{
	for (; n && n != stop; n = n->next) {
		if (n->kind == GB_NODE_HEADING || n->kind == GB_NODE_PARAGRAPH ||
		    n->kind == GB_NODE_CAPTION || n->kind == GB_NODE_TABLE_CELL)
			return n;
		gb_node *in = n->first && !gb_node_is_inline(n->first) ?
			      first_inline_box(n->first, NULL) : NULL;
		if (in)
			return in;
	}
	return NULL;
}

/* The <div>s and <section>s among the children of box (a block container). */
static void block_html(html_ctx *h, gb_node *box)
{
	gb_node *next;
	for (gb_node *n = box->first; n; n = next) {
		next = n->next;
		if (n->kind == GB_NODE_HTML && n->text)
			split_block(h, n);
	}
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(opened));
	for (gb_node *n = box->first; n; n = next) {
		next = n->next;
		if (n->kind != GB_NODE_HTML)
			continue;
		tag t;
		gb_html_read_tag(n->text, &t);
		const gb_html_element *e = allowed(h, n, &t);
		if (!e) {
			refuse(stack, &t, 1);  /* its end is not reported again */
			gb_node_free(n);
			continue;
		}
		if (!t.close && !t.empty) {
			opened o = { n, e, t };
			g_array_append_val(stack, o);
			continue;
		}
		guint k = stack->len;
		while (!t.empty && k > 0 && strcmp(g_array_index(stack, opened, k - 1).t.name, t.name))
			k--;
		if (!k && !t.empty) {
			char *q = quoted(n->text);
			gb_error(h->c->d, n->loc, "raw HTML '%s' closes nothing: no '<%s>' "
				 "opens it before it here", q, t.name);
			g_free(q);
			gb_html_tag_clear(&t);
			gb_node_free(n);
			continue;
		}
		while (!t.empty && stack->len > k) {
			opened *o = &g_array_index(stack, opened, stack->len - 1);
			if (o->node)
				report_unclosed(h, o, "before the tag that closes the one around it");
			gb_node_free(o->node);
			gb_html_tag_clear(&o->t);
			g_array_set_size(stack, stack->len - 1);
		}
		if (!t.empty && !g_array_index(stack, opened, k - 1).e) {
			/* a refused element's end */
			gb_html_tag_clear(&g_array_index(stack, opened, k - 1).t);
			g_array_set_size(stack, k - 1);
			gb_html_tag_clear(&t);
			gb_node_free(n);
			continue;
		}
		opened *o = t.empty ? NULL : &g_array_index(stack, opened, k - 1);
		gb_node *open = o ? o->node : n;
		const gb_html_tag *ot = o ? &o->t : &t;
		count_wrapper(h, ot, open->loc);
		const char *id = id_of(ot);
		if (id) {
			/* the id is the first text's within it, or after it */
			gb_node *in = first_inline_box(open->next, n);
			if (!in)
				in = first_inline_box(n->next, NULL);
			if (in && in->first)
				gb_node_insert_before(in->first, anchor_new(open->loc, id));
			else if (in)
				gb_node_append(in, anchor_new(open->loc, id));
			else
				gb_warning(h->c->d, open->loc, "the id '%s' is dropped: "
					   "nothing follows it to link to", id);
		}
		if (o) {
			gb_html_tag_clear(&o->t);
			g_array_set_size(stack, k - 1);
			gb_node_free(open);
		}
		gb_html_tag_clear(&t);
		gb_node_free(n);
	}
	for (guint k = 0; k < stack->len; k++) {
		opened *o = &g_array_index(stack, opened, k);
		if (o->node)
			report_unclosed(h, o, "before the end of its container");
		gb_node_free(o->node);
		gb_html_tag_clear(&o->t);
	}
	g_array_free(stack, TRUE);
}

/* ---- after the tags: anchors and quotations ---- */

/*
 * A <q>'s quotation marks, its first and last text: the part's
 * language's, its inner ones within another <q>.
 */
static void quote_marks(const parse_ctx *c, gb_node *q)
{
	int depth = 0;
	for (const gb_node *p = q->parent; p; p = p->parent)
		depth += p->kind == GB_NODE_PHRASE && p->tag && !strcmp(p->tag, "q");
	const gb_quote_style *st = gb_quote_style_for(c->lang);
	gb_node *open = gb_node_new(GB_NODE_TEXT, q->loc);
	gb_node *close = gb_node_new(GB_NODE_TEXT, q->loc);
	open->text = g_strconcat(depth % 2 ? st->inner_open : st->open,
				 depth % 2 ? "" : st->space, NULL);
	close->text = g_strconcat(depth % 2 ? "" : st->space,
				  depth % 2 ? st->inner_close : st->close, NULL);
	if (q->first)
		gb_node_insert_before(q->first, open);
	else
		gb_node_append(q, open);
	gb_node_append(q, close);
}

/* The first node of n's subtree that print sets something of: a text
   or code with a character not a space, an image, a note's mark. */
static gb_node *visible_in(gb_node *n)
{
	if (((n->kind == GB_NODE_TEXT || n->kind == GB_NODE_CODE) && n->text &&
	     n->text[strspn(n->text, " ")]) ||
	    n->kind == GB_NODE_IMAGE || n->kind == GB_NODE_NOTEREF)
		return n;
	for (gb_node *c = n->first; c; c = c->next) {
		gb_node *v = visible_in(c);
		if (v)
			return v;
	}
	return NULL;
}

/* The first such node after n (past its subtree) in its block, or NULL. */
static gb_node *visible_after(gb_node *n)
{
	for (;;) {
		while (!n->next) {
			n = n->parent;
			if (!n || !gb_node_is_inline(n))
				return NULL;
		}
		n = n->next;
		gb_node *v = visible_in(n);
		if (v)
			return v;
	}
}

/* Whether n is a block that holds inlines (a heading, a paragraph...). */
static bool is_text_block(const gb_node *n)
{
	return n->kind == GB_NODE_HEADING || n->kind == GB_NODE_PARAGRAPH ||
	       n->kind == GB_NODE_CAPTION || n->kind == GB_NODE_TABLE_CELL;
}

/*
 * An anchor is where text is (print marks the place on a line, at a
 * character): it goes right before the next character print sets in its
 * block, else before the block's first; one in a block that has none
 * (<span id="x"></span> on a line of its own) before the first of the
 * next block that has (boxes: the part's blocks that hold inlines, in
 * order), else of the last before it, and the block it leaves, empty,
 * goes (in emptied).
 */
static void place_anchor(gb_node *a, GPtrArray *boxes, GPtrArray *emptied)
{
	gb_node *box = a->parent;
	while (box && gb_node_is_inline(box))
		box = box->parent;
	if (!box)
		return;
	gb_node *to = visible_after(a);
	if (!to)
		to = visible_in(box);
	if (!to) {
		guint at = 0;
		while (at < boxes->len && boxes->pdata[at] != box)
			at++;
		for (guint j = at + 1; !to && j < boxes->len; j++)
			to = visible_in(boxes->pdata[j]);
		for (guint j = at; !to && j-- > 0;)
			to = visible_in(boxes->pdata[j]);
		if (!to)
			return;  /* a part without a word: nothing to mark */
		g_ptr_array_add(emptied, box);
	}
	/* right before the character: spaces before it stay before it */
	size_t sp = to->kind == GB_NODE_TEXT ? strspn(to->text, " ") : 0;
	if (sp) {
		gb_node *lead = gb_node_new(GB_NODE_TEXT, to->loc);
		lead->text = g_strndup(to->text, sp);
		memmove(to->text, to->text + sp, strlen(to->text + sp) + 1);
		if (to->loc.off != GB_NOPOS)
			to->loc.off += sp;
		gb_node_insert_before(to, lead);
	}
	if (a->next == to)
		return;
	gb_node_unlink(a);
	gb_node_insert_before(to, a);
}

/* Frees each block of emptied that holds no more than blanks. */
static void drop_emptied(GPtrArray *emptied)
{
	for (guint i = 0; i < emptied->len; i++) {
		gb_node *b = emptied->pdata[i];
		bool blank = true;
		for (gb_node *n = b ? b->first : NULL; n && blank; n = n->next)
			blank = n->kind == GB_NODE_SOFTBREAK || n->kind == GB_NODE_LINEBREAK ||
				(n->kind == GB_NODE_TEXT && (!n->text || !n->text[strspn(n->text, " ")]));
		if (!blank)
			continue;
		for (guint j = i + 1; j < emptied->len; j++)
			if (emptied->pdata[j] == b)
				emptied->pdata[j] = NULL;  /* (listed once an anchor) */
		gb_node_free(b);
	}
}

typedef struct found {
	GPtrArray *inline_boxes, *block_boxes, *quotes, *anchors;
} found;

static bool find_fn(const gb_node *n, bool entering, void *ctx)
{
	found *f = ctx;
	if (!entering)
		return true;
	switch (n->kind) {
	case GB_NODE_HEADING:
	case GB_NODE_PARAGRAPH:
	case GB_NODE_CAPTION:
	case GB_NODE_TABLE_CELL:
		g_ptr_array_add(f->inline_boxes, (gpointer)n);
		break;
	case GB_NODE_PART:
	case GB_NODE_BLOCKQUOTE:
	case GB_NODE_ITEM:
	case GB_NODE_FOOTNOTE:
		g_ptr_array_add(f->block_boxes, (gpointer)n);
		break;
	default:
		/* emphasis, a link...: tags within it */
		if (gb_node_is_inline(n) && n->first)
			g_ptr_array_add(f->inline_boxes, (gpointer)n);
		break;
	}
	return !gb_node_is_inline(n) || n->first;
}

static bool after_fn(const gb_node *n, bool entering, void *ctx)
{
	found *f = ctx;
	if (entering && n->kind == GB_NODE_PHRASE && n->tag && !strcmp(n->tag, "q"))
		g_ptr_array_add(f->quotes, (gpointer)n);
	if (entering && n->kind == GB_NODE_ANCHOR)
		g_ptr_array_add(f->anchors, (gpointer)n);
	return true;
}

/* Whether the part holds raw HTML at all. */
static bool html_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && n->kind == GB_NODE_HTML)
		*(bool *)ctx = true;
	return true;
}

void gb_ps_html(parse_ctx *c, gb_node *part)
{
	bool any = false;
	gb_node_walk(part, html_fn, &any);
	if (!any)
		return;
	html_ctx h = { .c = c };
	found f = { g_ptr_array_new(), g_ptr_array_new(), g_ptr_array_new(), g_ptr_array_new() };
	/* blocks first: an HTML block's text becomes a paragraph of inlines */
	gb_node_walk(part, find_fn, &f);
	for (guint i = 0; i < f.block_boxes->len; i++)
		block_html(&h, f.block_boxes->pdata[i]);
	g_ptr_array_set_size(f.inline_boxes, 0);
	g_ptr_array_set_size(f.block_boxes, 0);
	gb_node_walk(part, find_fn, &f);
	for (guint i = 0; i < f.inline_boxes->len; i++)
		inline_html(&h, f.inline_boxes->pdata[i]);
	gb_node_walk(part, after_fn, &f);
	for (guint i = 0; i < f.quotes->len; i++)
		quote_marks(c, f.quotes->pdata[i]);
	GPtrArray *boxes = g_ptr_array_new(), *emptied = g_ptr_array_new();
	for (guint i = 0; i < f.inline_boxes->len; i++)
		if (is_text_block(f.inline_boxes->pdata[i]))
			g_ptr_array_add(boxes, f.inline_boxes->pdata[i]);
	for (guint i = 0; i < f.anchors->len; i++)
		place_anchor(f.anchors->pdata[i], boxes, emptied);
	drop_emptied(emptied);
	g_ptr_array_free(boxes, TRUE);
	g_ptr_array_free(emptied, TRUE);
	if (h.unwrapped)
		gb_warning(c->d, h.first, "%d HTML wrapper%s (<div>, <span>, <section>) "
			   "unwrapped in this file: the content is kept, an id as a link "
			   "target, classes and other attributes dropped", h.unwrapped,
			   h.unwrapped == 1 ? "" : "s");
	g_ptr_array_free(f.inline_boxes, TRUE);
	g_ptr_array_free(f.block_boxes, TRUE);
	g_ptr_array_free(f.quotes, TRUE);
	g_ptr_array_free(f.anchors, TRUE);
}
