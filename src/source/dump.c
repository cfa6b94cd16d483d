/* dump.c - printing the document tree. */
#include "source/dump.h"

/* Appends s in double quotes, escaping quotes, backslashes and controls. */
static void quote(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				g_string_append_printf(out, "\\x%02x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

static void meta_line(GString *out, const char *key, const char *value)
{
	if (!value)
		return;
	g_string_append_printf(out, "meta %s ", key);
	quote(out, value);
	g_string_append_c(out, '\n');
}

static void dump_meta(const gb_meta *m, GString *out)
{
	meta_line(out, "title", m->title);
	meta_line(out, "subtitle", m->subtitle);
	for (guint i = 0; i < m->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(m->authors, i);
		g_string_append(out, "meta author ");
		quote(out, a->name);
		g_string_append_printf(out, " role=%s", a->role);
		if (a->affiliation) {
			g_string_append(out, " affiliation=");
			quote(out, a->affiliation);
		}
		g_string_append_c(out, '\n');
	}
	meta_line(out, "lang", m->lang);
	meta_line(out, "date", m->date);
	meta_line(out, "publisher", m->publisher);
	meta_line(out, "rights", m->rights);
	meta_line(out, "description", m->description);
	for (guint i = 0; i < m->subjects->len; i++)
		meta_line(out, "subject", g_ptr_array_index(m->subjects, i));
	meta_line(out, "source", m->source);
	if (m->identifier)
		g_string_append_printf(out, "meta identifier \"%s\"%s\n",
				       m->identifier,
				       m->identifier_derived ? " derived" : "");
	meta_line(out, "cover-image", m->cover_image);
}

typedef struct dump_ctx {
	GString *out;
	int depth;
} dump_ctx;

static const char *const align_names[] = { "none", "left", "center", "right" };

static bool dump_fn(const gb_node *n, bool entering, void *ctx)
{
	dump_ctx *c = ctx;
	GString *out = c->out;
	if (n->kind == GB_NODE_BOOK)
		return true;
	if (!entering) {
		c->depth--;
		return true;
	}
	for (int i = 0; i < c->depth; i++)
		g_string_append(out, "  ");
	g_string_append(out, gb_node_kind_name(n->kind));
	switch (n->kind) {
	case GB_NODE_PART:
		g_string_append_printf(out, " %s ", gb_part_kind_name(n->part_kind));
		quote(out, n->text);
		if (n->number)
			g_string_append_printf(out, " number=%d", n->number);
		if (n->label) {
			g_string_append(out, " label=");
			quote(out, n->label);
		}
		g_string_append_printf(out, " lang=%s", n->lang ? n->lang : "-");
		break;
	case GB_NODE_HEADING:
		g_string_append_printf(out, " %d", n->level);
		/* pandoc's attributes, when the heading has them */
		if (n->unnumbered)
			g_string_append(out, " unnumbered");
		if (n->unlisted)
			g_string_append(out, " unlisted");
		if (n->classes)
			g_string_append_printf(out, " class=\"%s\"", n->classes);
		break;
	case GB_NODE_LIST:
		g_string_append(out, n->ordered ? " ordered" : " bullet");
		if (n->ordered)
			g_string_append_printf(out, " start=%d", n->number);
		g_string_append(out, n->tight ? " tight" : " loose");
		break;
	case GB_NODE_TABLE:
		g_string_append_printf(out, " columns=%d", n->number);
		break;
	case GB_NODE_TABLE_ROW:
		if (n->header)
			g_string_append(out, " header");
		break;
	case GB_NODE_TABLE_CELL:
		if (n->align)
			g_string_append_printf(out, " align=%s", align_names[n->align]);
		break;
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
	case GB_NODE_CODE_BLOCK:
		g_string_append_c(out, ' ');
		quote(out, n->text);
		break;
	case GB_NODE_LINK:
	case GB_NODE_IMAGE:
		g_string_append(out, " url=");
		quote(out, n->url);
		if (n->kind == GB_NODE_IMAGE) {
			g_string_append(out, " alt=");
			quote(out, n->text ? n->text : "");
			if (n->width)
				g_string_append_printf(out, " width=%s", n->width);
			if (n->height)
				g_string_append_printf(out, " height=%s", n->height);
		}
		break;
	case GB_NODE_FOOTNOTE:
		g_string_append_printf(out, " %s", n->label ? n->label : "?");
		if (n->text)
			g_string_append_printf(out, " [^%s]", n->text);
		g_string_append_printf(out, " refs=%d", n->refs);
		break;
	case GB_NODE_NOTEREF:
		g_string_append_printf(out, " %s -> %s", n->label ? n->label : "?",
				       n->target && n->target->id ? n->target->id : "?");
		break;
	case GB_NODE_FIGURE:
		if (n->label) {
			g_string_append(out, " label=");
			quote(out, n->label);
		}
		break;
	case GB_NODE_DIV:
	case GB_NODE_PARAGRAPH:
		if (n->classes)
			g_string_append_printf(out, " class=\"%s\"", n->classes);
		break;
	case GB_NODE_DEF_DESC:
		g_string_append(out, n->tight ? " tight" : " loose");
		break;
	case GB_NODE_PHRASE:
		g_string_append_printf(out, " <%s>", n->tag ? n->tag : "?");
		break;
	case GB_NODE_SPAN:
		if (n->classes)
			g_string_append_printf(out, " class=\"%s\"", n->classes);
		if (n->lang)
			g_string_append_printf(out, " lang=%s", n->lang);
		break;
	default:
		break;
	}
	if (n->title && n->kind != GB_NODE_PART) {
		g_string_append(out, n->kind == GB_NODE_CODE_BLOCK ? " info=" : " title=");
		quote(out, n->title);
	}
	if (n->id)
		g_string_append_printf(out, " #%s", n->id);
	int line, col;
	if (gb_file_linecol(n->loc, &line, &col))
		g_string_append_printf(out, " @%d:%d", line, col);
	g_string_append_c(out, '\n');
	c->depth++;
	return true;
}

void gb_dump_tree(const gb_book *book, GString *out)
{
	dump_meta(&book->meta, out);
	dump_ctx c = { out, 0 };
	gb_node_walk(book->root, dump_fn, &c);
	for (guint i = 0; i < book->toc->len; i++) {
		const gb_toc_entry *e = g_ptr_array_index(book->toc, i);
		g_string_append_printf(out, "toc %d ", e->level);
		if (e->label) {
			quote(out, e->label);
			g_string_append_c(out, ' ');
		}
		quote(out, e->title);
		g_string_append_printf(out, " -> %s#%s\n", e->part->id,
				       e->heading->id);
	}
}

/* Blocks whose text is written as one line. */
static bool is_text_block(const gb_node *n)
{
	switch (n->kind) {
	case GB_NODE_HEADING:
	case GB_NODE_PARAGRAPH:
	case GB_NODE_TABLE_CELL:
	case GB_NODE_CAPTION:
	case GB_NODE_DEF_TERM:
		return true;
	default:
		return false;
	}
}

static bool text_fn(const gb_node *n, bool entering, void *ctx)
{
	GString *out = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_PART && n->label) {
		g_string_append(out, n->label);
		g_string_append_c(out, '\n');
	} else if (n->kind == GB_NODE_FOOTNOTE) {
		g_string_append_printf(out, "[%s] ", n->label ? n->label : "?");
	} else if (is_text_block(n)) {
		gb_node_plain_text(n, out);
		g_string_append_c(out, '\n');
		return false;
	} else if (n->kind == GB_NODE_CODE_BLOCK) {
		g_string_append(out, n->text);
	} else if (n->kind == GB_NODE_IMAGE) {
		g_string_append(out, n->text ? n->text : "");
		g_string_append_c(out, '\n');
	}
	return true;
}

void gb_dump_text(const gb_book *book, GString *out)
{
	gb_node_walk(book->root, text_fn, out);
}
