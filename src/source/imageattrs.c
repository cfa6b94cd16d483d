/* imageattrs.c - pandoc's attributes right after an image,
   '![alt](x.png){#fig:id width=60% height=3cm}', read with the one reader
   of attribute blocks (attrs.c) and blanked before cmark parses the part
   again (ps.h). */
#include "source/ps.h"
#include "source/image.h"

#include <string.h>

typedef struct image_attrs {
	char *id, *width, *height;   /* width, height: CSS lengths */
	bool bleed;                  /* {.bleed} */
	size_t len;                  /* the bytes blanked after the image */
} image_attrs;

static void image_attrs_free(gpointer p)
{
	image_attrs *a = p;
	g_free(a->id);
	g_free(a->width);
	g_free(a->height);
	g_free(a);
}

/* The end of the block that opens at data[open] ('{'): its '}', past
   quoted values, on the same line; 0 when there is none. */
static size_t block_end(const char *data, size_t len, size_t open)
{
	bool quoted = false;
	for (size_t i = open + 1; i < len; i++) {
		char ch = data[i];
		if (ch == '\n' || ch == '\r')
			return 0;
		if (quoted && ch == '\\' && i + 1 < len)
			i++;
		else if (ch == '"')
			quoted = !quoted;
		else if (ch == '}' && !quoted)
			return i;
	}
	return 0;
}

/* The size key (width or height) of a, checked, as a CSS length; NULL
   when absent or bad (an error at key's place in the block). */
static char *size_of(parse_ctx *c, const gb_ps_attrs *a, const char *key,
		     const char *data, size_t open, size_t close)
{
	const char *v = gb_ps_attrs_value(a, key);
	if (!v)
		return NULL;
	double x;
	gb_size_unit unit;
	if (gb_image_size(v, &x, &unit)) {
		/* a bare number is pixels, as pandoc's HTML writer says */
		return g_ascii_isdigit(v[strlen(v) - 1]) ? g_strconcat(v, "px", NULL)
							 : g_ascii_strdown(v, -1);
	}
	const char *at = g_strstr_len(data + open, (gssize)(close - open), key);
	gb_loc loc = gb_loc_at(c->file, at ? (size_t)(at - data) : open);
	if (g_str_has_suffix(v, "%") &&
	    g_ascii_strtod(v, NULL) > 100)
		gb_error(c->d, loc, "image %s '%s' is more than the whole: a share is "
			 "at most 100%%", key, v);
	else
		gb_error(c->d, loc, "image %s '%s' is not a size: write a number above 0 "
			 "with %%, px, cm, mm, in, pt or em, as {%s=60%%}", key, v, key);
	return NULL;
}

char *gb_ps_strip_image_attrs(parse_ctx *c, cmark_node *doc, const char *data)
{
	const gb_file *f = c->file;
	char *out = NULL;
	if (!memchr(data, '{', f->len))
		return NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		cmark_node *next = cmark_node_next(n);
		int line = cmark_node_get_start_line(n);
		int end_line = cmark_node_get_end_line(n);
		if (!next || cmark_node_get_type(next) != CMARK_NODE_TEXT || line < 1)
			continue;
		size_t start = gb_file_offset(f, line, cmark_node_get_start_column(n));
		size_t open = gb_file_offset(f, end_line, cmark_node_get_end_column(n)) + 1;
		if (open >= f->len || data[open] != '{')
			continue;  /* pandoc's attributes follow the image at once */
		size_t close = block_end(data, f->len, open);
		if (!close)
			continue;
		gb_ps_attrs a;
		gb_ps_attrs_init(&a);
		bool two_ids = false;
		if (!gb_ps_read_attrs(data + open + 1, data + close, &a, &two_ids)) {
			gb_ps_attrs_clear(&a);
			continue;  /* pandoc reads it as text */
		}
		if (two_ids)
			gb_error(c->d, gb_loc_at(f, open),
				 "image attributes give two ids: write one '#id'");
		image_attrs *ia = g_new0(image_attrs, 1);
		ia->id = g_steal_pointer(&a.id);
		ia->width = size_of(c, &a, "width", data, open, close);
		ia->height = size_of(c, &a, "height", data, open, close);
		ia->bleed = gb_ps_attrs_has_class(&a, "bleed");
		ia->len = close + 1 - open;
		gb_ps_attrs_clear(&a);
		if (!out)
			out = g_strndup(data, f->len);
		memset(out + open, ' ', ia->len);
		if (!c->image_attrs)
			c->image_attrs = g_hash_table_new_full(NULL, NULL, NULL, image_attrs_free);
		g_hash_table_replace(c->image_attrs, GSIZE_TO_POINTER(start), ia);
	}
	cmark_iter_free(it);
	return out;
}

static bool apply_fn(const gb_node *node, bool entering, void *ctx)
{
	parse_ctx *c = ctx;
	if (!entering || node->kind != GB_NODE_IMAGE || node->loc.off == GB_NOPOS)
		return entering;
	image_attrs *ia = g_hash_table_lookup(c->image_attrs, GSIZE_TO_POINTER(node->loc.off));
	if (!ia)
		return false;
	gb_node *img = (gb_node *)node;
	img->width = g_steal_pointer(&ia->width);
	img->height = g_steal_pointer(&ia->height);
	img->bleed = ia->bleed;
	if (ia->id) {
		g_free(img->id);
		img->id = g_steal_pointer(&ia->id);
		img->id_given = true;
	}
	/* the blanks in the text after it */
	gb_node *t = img->next;
	if (t && t->kind == GB_NODE_TEXT && t->text) {
		size_t n = 0;
		while (n < ia->len && t->text[n] == ' ')
			n++;
		memmove(t->text, t->text + n, strlen(t->text + n) + 1);
		if (t->loc.off != GB_NOPOS)
			t->loc = gb_loc_at(t->loc.file, t->loc.off + n);
		if (!*t->text)
			gb_node_free((gb_node_unlink(t), t));
	}
	return false;
}

void gb_ps_apply_image_attrs(parse_ctx *c, gb_node *part)
{
	if (!c->image_attrs)
		return;
	gb_node_walk(part, apply_fn, c);
	g_hash_table_destroy(c->image_attrs);
	c->image_attrs = NULL;
}
