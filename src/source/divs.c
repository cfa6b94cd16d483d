/*
 * divs.c - pandoc's fenced divs ('::: {.epigraph #id}' ... ':::') and
 * line blocks ('| line'), as pandoc's manual defines them (ps.h).
 *
 * A fence is a line of at least three colons, at most three spaces in,
 * outside code (the lines of the part's code blocks, as cmark first read
 * them): an opening fence gives attributes ('{#id .class key=value}',
 * read by gb_ps_read_attrs) or one bare class word ('::: epigraph'), and
 * may end in more colons; a fence of colons alone closes the innermost
 * open div.  Each fence becomes a thematic break in the text cmark reads
 * again ('***', a block of its own: a fence ends the paragraph, list or
 * quotation before it, blank lines around it or not), and the blocks
 * between two fences are grouped into a DIV by their lines once the part
 * is converted.  A div never closed runs to the end of the file, as
 * pandoc has it, with a warning; a closing fence with no div open is text
 * (pandoc's too), with a warning.
 */
#include "source/ps.h"

#include <string.h>

#include "source/meta.h"

/* The classes the editions design (styles/style.yaml 'divs.*', epub.css). */
const char *const gb_ps_div_classes[] = {
	"epigraph", "attribution", "dedication", "verse", "letter",
	"salutation", "signature", "sidebar", "centered", "pull-quote", NULL,
};

typedef struct fence {
	int line;
	bool open;
	size_t off;               /* the first colon */
	gb_ps_attrs attrs;        /* an opening fence's */
	struct fence *opener;     /* a closing fence's opening one */
	bool skip;                /* not at the part's top level: not read */
} fence;

static void fence_free(gpointer p)
{
	fence *fc = p;
	gb_ps_attrs_clear(&fc->attrs);
	g_free(fc);
}

void gb_ps_div_fences_free(parse_ctx *c)
{
	if (c->fences)
		g_ptr_array_free(c->fences, TRUE);
	c->fences = NULL;
}

/* Marks the lines of doc's code and HTML blocks, at any depth. */
static guint8 *code_lines(const gb_file *f, cmark_node *doc)
{
	guint8 *code = g_new0(guint8, f->nlines + 2);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER ||
		    (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_HTML_BLOCK))
			continue;
		int from = cmark_node_get_start_line(n), to = cmark_node_get_end_line(n);
		for (int l = MAX(from, 1); l <= to && (size_t)l <= f->nlines; l++)
			code[l] = 1;
	}
	cmark_iter_free(it);
	return code;
}

static bool is_blank_char(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* A bare class word's length: letters and digits of any script, '-', '_'. */
static size_t class_word(const char *s, const char *end)
{
	const char *p = s;
	while (p < end) {
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2 ||
		    !(g_unichar_isalnum(u) || u == '-' || u == '_'))
			break;
		p = g_utf8_next_char(p);
	}
	return (size_t)(p - s);
}

/*
 * Reads the fence on line l (s to end, the line without its line end)
 * into fc; false when the line is no fence.
 */
static bool read_fence(parse_ctx *c, const char *s, const char *end, fence *fc)
{
	const char *p = s;
	for (int i = 0; i < 3 && p < end && *p == ' '; i++)
		p++;
	const char *colons = p;
	while (p < end && *p == ':')
		p++;
	if (p - colons < 3)
		return false;
	fc->off = (size_t)(colons - c->file->data);
	while (p < end && is_blank_char(*p))
		p++;
	if (p == end) {
		fc->open = false;
		return true;
	}
	gb_ps_attrs_init(&fc->attrs);
	fc->open = true;
	if (*p == '{') {
		const char *close = p + 1;
		char q = 0;
		for (; close < end; close++) {
			if (q) {
				if (*close == '\\')
					close++;
				else if (*close == q)
					q = 0;
			} else if (*close == '"' || *close == '\'') {
				q = *close;
			} else if (*close == '}') {
				break;
			}
		}
		bool two_ids = false;
		if (close >= end || !gb_ps_read_attrs(p + 1, close, &fc->attrs, &two_ids))
			goto text;
		if (two_ids)
			gb_error(c->d, gb_loc_at(c->file, (size_t)(p - c->file->data)),
				 "div attributes give two ids: write one '#id'");
		p = close + 1;
	} else {
		size_t n = class_word(p, end);
		if (!n)
			goto text;
		g_ptr_array_add(fc->attrs.classes, g_strndup(p, n));
		p += n;
	}
	while (p < end && is_blank_char(*p))
		p++;
	while (p < end && *p == ':')
		p++;
	while (p < end && is_blank_char(*p))
		p++;
	if (p == end)
		return true;
text:
	gb_ps_attrs_clear(&fc->attrs);
	return false;
}

char *gb_ps_strip_div_fences(parse_ctx *c, cmark_node *doc, char *data)
{
	const gb_file *f = c->file;
	if (!g_strstr_len(f->data, (gssize)f->len, ":::"))
		return data;
	guint8 *code = code_lines(f, doc);
	GPtrArray *fences = g_ptr_array_new_with_free_func(fence_free);
	GPtrArray *open = g_ptr_array_new();  /* fence *, borrowed */
	for (size_t l = 1; l <= f->nlines; l++) {
		if (code[l])
			continue;
		size_t ls = gb_file_offset(f, (int)l, 1), le = ls;
		while (le < f->len && f->data[le] != '\n' && f->data[le] != '\r')
			le++;
		fence *fc = g_new0(fence, 1);
		fc->line = (int)l;
		if (!read_fence(c, f->data + ls, f->data + le, fc)) {
			g_free(fc);
			continue;
		}
		if (!fc->open && !open->len) {
			gb_warning(c->d, gb_loc_at(f, fc->off), "':::' closes no div: "
				   "no fenced div is open here (it is set as text)");
			g_free(fc);
			continue;
		}
		if (fc->open) {
			g_ptr_array_add(open, fc);
		} else {
			fc->opener = g_ptr_array_index(open, open->len - 1);
			g_ptr_array_set_size(open, open->len - 1);
		}
		g_ptr_array_add(fences, fc);
		if (!data)
			data = g_strndup(f->data, f->len);
		memset(data + ls, ' ', le - ls);
		memcpy(data + fc->off, "***", 3);
	}
	for (guint i = 0; i < open->len; i++) {
		const fence *fc = g_ptr_array_index(open, i);
		gb_warning(c->d, gb_loc_at(f, fc->off), "fenced div is never closed: "
			   "it runs to the end of the file; close it with a line ':::'");
	}
	g_ptr_array_free(open, TRUE);
	g_free(code);
	if (fences->len)
		c->fences = fences;
	else
		g_ptr_array_free(fences, TRUE);
	return data;
}

static int line_of(const gb_node *n)
{
	int line = 0, col = 0;
	gb_file_linecol(n->loc, &line, &col);
	return line;
}

static bool fence_line(const parse_ctx *c, int line)
{
	for (guint i = 0; i < c->fences->len; i++)
		if (((const fence *)g_ptr_array_index(c->fences, i))->line == line)
			return true;
	return false;
}

static gb_node *new_div(parse_ctx *c, fence *fc)
{
	gb_node *div = gb_node_new(GB_NODE_DIV, gb_loc_at(c->file, fc->off));
	div->id = g_steal_pointer(&fc->attrs.id);
	div->id_given = div->id != NULL;
	GString *cls = g_string_new(NULL);
	for (guint i = 0; i < fc->attrs.classes->len; i++)
		g_string_append_printf(cls, "%s%s", cls->len ? " " : "",
				       (const char *)g_ptr_array_index(fc->attrs.classes, i));
	div->classes = cls->len ? g_string_free(cls, FALSE) :
		       (g_string_free(cls, TRUE), NULL);
	return div;
}

/* Drops the breaks the fences became wherever they are (a fence indented
   into a list's item is read there). */
static void drop_fence_breaks(parse_ctx *c, gb_node *n)
{
	for (gb_node *b = n->first, *next; b; b = next) {
		next = b->next;
		if (b->kind == GB_NODE_THEMATIC_BREAK && fence_line(c, line_of(b))) {
			gb_node_unlink(b);
			gb_node_free(b);
		} else if (!gb_node_is_inline(b) && b->kind != GB_NODE_PARAGRAPH &&
			   b->kind != GB_NODE_HEADING) {
			drop_fence_breaks(c, b);
		}
	}
}

/*
 * An epigraph's or a pull quote's last paragraph that starts with a dash
 * ('--- Author', '— Author', as converted books write it) is its
 * attribution, as a '::: attribution' div in it is.
 */
static void mark_attributions(gb_node *n)
{
	for (gb_node *b = n->first; b; b = b->next) {
		if (b->kind != GB_NODE_DIV)
			continue;
		mark_attributions(b);
		const gb_node *p = b->last;
		if ((gb_node_has_class(b, "epigraph") || gb_node_has_class(b, "pull-quote")) &&
		    p && p != b->first && p->kind == GB_NODE_PARAGRAPH && !p->classes &&
		    p->first && p->first->kind == GB_NODE_TEXT &&
		    (g_str_has_prefix(p->first->text, "—") ||
		     g_str_has_prefix(p->first->text, "―")))
			b->last->classes = g_strdup("attribution");
	}
}

/*
 * Fences whose break is not one of the part's blocks (a fence indented
 * into a list's item or a quotation, which the div's blocks would cross)
 * are not read, with their div's other fence, once warned of.
 */
static void nested_fences(parse_ctx *c, gb_node *part)
{
	GHashTable *top = g_hash_table_new(NULL, NULL);
	for (gb_node *b = part->first; b; b = b->next)
		if (b->kind == GB_NODE_THEMATIC_BREAK)
			g_hash_table_add(top, GINT_TO_POINTER(line_of(b)));
	for (guint i = 0; i < c->fences->len; i++) {
		fence *fc = g_ptr_array_index(c->fences, i);
		if (g_hash_table_contains(top, GINT_TO_POINTER(fc->line)))
			continue;
		fence *o = fc->open ? fc : fc->opener;
		if (!o->skip)
			gb_warning(c->d, gb_loc_at(c->file, fc->off), "a fenced div in a "
				   "list's item or a quotation is not read (fences stand at "
				   "the margin, around lists and quotations): its blocks "
				   "are set without it");
		o->skip = fc->skip = true;
	}
	for (guint i = 0; i < c->fences->len; i++) {
		fence *fc = g_ptr_array_index(c->fences, i);
		if (!fc->open && fc->opener && fc->opener->skip)
			fc->skip = true;
	}
	g_hash_table_destroy(top);
}

/* Whether div holds a level-1 heading, in it or in a div in it. */
static bool holds_title(const gb_node *div)
{
	for (const gb_node *b = div->first; b; b = b->next)
		if ((b->kind == GB_NODE_HEADING && b->level == 1) ||
		    (b->kind == GB_NODE_DIV && holds_title(b)))
			return true;
	return false;
}

/*
 * A div of the part holding a level-1 heading (a chapter wrapped whole,
 * '::: {.chapter}', as books converted by pandoc have it) is read as its
 * blocks, with a warning: a part's title, and the parts a file of several
 * titles is cut into, are the part's own blocks.
 */
static void unwrap_titles(parse_ctx *c, gb_node *part)
{
	for (gb_node *b = part->first, *next; b; b = next) {
		next = b->next;
		if (b->kind != GB_NODE_DIV || !holds_title(b))
			continue;
		gb_warning(c->d, b->loc, "this div holds a part's title (a level-1 "
			   "heading): its blocks are read without it (and its classes)");
		/* its id, a link's target, goes to the title it starts with */
		if (b->id && b->first && b->first->kind == GB_NODE_HEADING &&
		    !b->first->id_given) {
			g_free(b->first->id);
			b->first->id = g_steal_pointer(&b->id);
			b->first->id_given = true;
		}
		next = b->first ? b->first : b->next;
		while (b->first) {
			gb_node *ch = b->first;
			gb_node_unlink(ch);
			gb_node_insert_before(b, ch);
		}
		gb_node_unlink(b);
		gb_node_free(b);
	}
}

/*
 * Warns of the classes of n's divs that no edition designs, each at its
 * name in its fence's line.
 */
static void unknown_classes(parse_ctx *c, const gb_node *n)
{
	const gb_file *f = c->file;
	for (const gb_node *b = n->first; b; b = b->next) {
		if (gb_node_is_inline(b) || b->kind == GB_NODE_PARAGRAPH ||
		    b->kind == GB_NODE_HEADING)
			continue;
		unknown_classes(c, b);
		if (b->kind != GB_NODE_DIV || !b->classes)
			continue;
		size_t end = b->loc.off;
		while (end < f->len && f->data[end] != '\n' && f->data[end] != '\r')
			end++;
		char **cls = g_strsplit(b->classes, " ", -1);
		for (char **k = cls; *k; k++) {
			if (g_strv_contains(gb_ps_div_classes, *k))
				continue;
			const char *at = g_strstr_len(f->data + b->loc.off,
						      (gssize)(end - b->loc.off), *k);
			gb_loc loc = gb_loc_at(f, at ? (size_t)(at - f->data) : b->loc.off);
			const char *near = gb_nearest_name(*k, gb_ps_div_classes);
			if (near)
				gb_warning(c->d, loc, "div class '%s' has no design: it is "
					   "kept as a class in the EPUB and set as plain text "
					   "in print; did you mean '%s'?", *k, near);
			else
				gb_warning(c->d, loc, "div class '%s' has no design: it is "
					   "kept as a class in the EPUB and set as plain text "
					   "in print", *k);
		}
		g_strfreev(cls);
	}
}

void gb_ps_make_divs(parse_ctx *c, gb_node *part)
{
	if (!c->fences)
		return;
	nested_fences(c, part);
	GPtrArray *stack = g_ptr_array_new();  /* gb_node *: the open divs */
	guint fi = 0;
	for (gb_node *b = part->first, *next; b; b = next) {
		next = b->next;
		if (b->kind == GB_NODE_FOOTNOTE)
			continue;
		int line = line_of(b);
		while (fi < c->fences->len &&
		       ((fence *)g_ptr_array_index(c->fences, fi))->line <= line) {
			fence *fc = g_ptr_array_index(c->fences, fi++);
			if (fc->skip)
				continue;
			if (!fc->open) {
				if (stack->len)
					g_ptr_array_set_size(stack, stack->len - 1);
				continue;
			}
			gb_node *div = new_div(c, fc);
			if (stack->len)
				gb_node_append(g_ptr_array_index(stack, stack->len - 1), div);
			else
				gb_node_insert_before(b, div);
			g_ptr_array_add(stack, div);
		}
		if (stack->len && !(b->kind == GB_NODE_THEMATIC_BREAK &&
				    fence_line(c, line))) {
			gb_node_unlink(b);
			gb_node_append(g_ptr_array_index(stack, stack->len - 1), b);
		}
	}
	g_ptr_array_free(stack, TRUE);
	drop_fence_breaks(c, part);
	unwrap_titles(c, part);
	unknown_classes(c, part);
	mark_attributions(part);
}

/* ---- line blocks ---- */

/* Whether inline n starts a line of a line block: '|' in the source. */
static bool starts_bar(const parse_ctx *c, const gb_node *n)
{
	return n && n->kind == GB_NODE_TEXT && n->text[0] == '|' &&
	       n->loc.file == c->file && n->loc.off < c->file->len &&
	       c->file->data[n->loc.off] == '|';
}

/* Whether inline n starts a line that begins with a space (in the source):
   it goes on with the line before. */
static bool continues(const parse_ctx *c, const gb_node *n)
{
	return n && n->loc.file == c->file && n->loc.off != GB_NOPOS &&
	       n->loc.off > 0 && n->loc.off < c->file->len &&
	       is_blank_char(c->file->data[n->loc.off - 1]);
}

static bool is_line_block(const parse_ctx *c, const gb_node *p)
{
	if (!starts_bar(c, p->first))
		return false;
	for (const gb_node *i = p->first; i; i = i->next)
		if ((i->kind == GB_NODE_SOFTBREAK || i->kind == GB_NODE_LINEBREAK) &&
		    i->next && !starts_bar(c, i->next) && !continues(c, i->next))
			return false;
	return true;
}

/* '|' and the space after it taken off t; the spaces after them, which
   pandoc keeps, made no-break spaces. */
static void unbar(gb_node *t)
{
	const char *s = t->text + 1;
	if (*s == ' ')
		s++;
	GString *out = g_string_new(NULL);
	for (; *s == ' '; s++)
		g_string_append(out, "\u00A0");
	g_string_append(out, s);
	g_free(t->text);
	t->text = g_string_free(out, FALSE);
	if (t->loc.off != GB_NOPOS)
		t->loc.off += 1;
}

static void line_block(gb_node *p)
{
	gb_node *prev_break = NULL;
	for (gb_node *i = p->first, *next; i; i = next) {
		next = i->next;
		if (i->kind == GB_NODE_SOFTBREAK || i->kind == GB_NODE_LINEBREAK) {
			prev_break = i;
			continue;
		}
		bool first = i == p->first || (prev_break && prev_break->next == i);
		if (!first || i->kind != GB_NODE_TEXT || i->text[0] != '|')
			continue;
		if (prev_break)
			prev_break->kind = GB_NODE_LINEBREAK;
		unbar(i);
		if (!*i->text) {
			gb_node_unlink(i);
			gb_node_free(i);
		}
	}
	g_free(p->classes);
	p->classes = g_strdup("line-block");
}

static void line_blocks_in(parse_ctx *c, gb_node *n)
{
	for (gb_node *b = n->first; b; b = b->next) {
		if (b->kind == GB_NODE_PARAGRAPH) {
			if (is_line_block(c, b))
				line_block(b);
		} else if (!gb_node_is_inline(b) && b->kind != GB_NODE_HEADING) {
			line_blocks_in(c, b);
		}
	}
}

/*
 * In a verse div each line of the source is a line: a paragraph's soft
 * breaks are hard ones (a poem typed as it reads, without '\\' or two
 * spaces at each line's end).
 */
static void verse_lines_in(gb_node *n, bool verse)
{
	for (gb_node *b = n->first; b; b = b->next) {
		if (b->kind == GB_NODE_PARAGRAPH && verse && !b->classes) {
			for (gb_node *i = b->first; i; i = i->next)
				if (i->kind == GB_NODE_SOFTBREAK)
					i->kind = GB_NODE_LINEBREAK;
		} else if (b->kind == GB_NODE_DIV) {
			verse_lines_in(b, verse || gb_node_has_class(b, "verse"));
		} else if (!gb_node_is_inline(b) && b->kind != GB_NODE_PARAGRAPH &&
			   b->kind != GB_NODE_HEADING) {
			verse_lines_in(b, false);
		}
	}
}

void gb_ps_make_line_blocks(parse_ctx *c, gb_node *part)
{
	line_blocks_in(c, part);
	if (c->fences)
		verse_lines_in(part, false);
}
