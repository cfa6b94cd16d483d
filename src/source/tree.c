/* tree.c - the document tree: nodes, the book, walking and checking. */
#include "source/tree.h"

#include <string.h>

static const char *const kind_names[GB_NODE_KIND_COUNT] = {
	[GB_NODE_BOOK] = "book",
	[GB_NODE_PART] = "part",
	[GB_NODE_STANDFIRST] = "standfirst",
	[GB_NODE_HEADING] = "heading",
	[GB_NODE_PARAGRAPH] = "paragraph",
	[GB_NODE_LIST] = "list",
	[GB_NODE_ITEM] = "item",
	[GB_NODE_BLOCKQUOTE] = "blockquote",
	[GB_NODE_CODE_BLOCK] = "code_block",
	[GB_NODE_THEMATIC_BREAK] = "thematic_break",
	[GB_NODE_TABLE] = "table",
	[GB_NODE_CAPTION] = "caption",
	[GB_NODE_TABLE_ROW] = "row",
	[GB_NODE_TABLE_CELL] = "cell",
	[GB_NODE_FIGURE] = "figure",
	[GB_NODE_FOOTNOTE] = "footnote",
	[GB_NODE_TEXT] = "text",
	[GB_NODE_SOFTBREAK] = "softbreak",
	[GB_NODE_LINEBREAK] = "linebreak",
	[GB_NODE_EMPH] = "emph",
	[GB_NODE_STRONG] = "strong",
	[GB_NODE_STRIKE] = "strike",
	[GB_NODE_SUPERSCRIPT] = "superscript",
	[GB_NODE_SUBSCRIPT] = "subscript",
	[GB_NODE_SPAN] = "span",
	[GB_NODE_CODE] = "code",
	[GB_NODE_LINK] = "link",
	[GB_NODE_IMAGE] = "image",
	[GB_NODE_NOTEREF] = "noteref",
	[GB_NODE_DIV] = "div",
	[GB_NODE_DEFLIST] = "deflist",
	[GB_NODE_DEF_TERM] = "term",
	[GB_NODE_DEF_DESC] = "definition",
	[GB_NODE_HTML] = "html",
	[GB_NODE_ANCHOR] = "anchor",
	[GB_NODE_PHRASE] = "phrase",
};

static const char *const part_kind_names[GB_PART_KIND_COUNT] = {
	[GB_PART_FRONTMATTER] = "frontmatter",
	[GB_PART_CHAPTER] = "chapter",
	[GB_PART_APPENDIX] = "appendix",
	[GB_PART_BACKMATTER] = "backmatter",
};

const char *gb_node_kind_name(gb_node_kind kind)
{
	return kind < GB_NODE_KIND_COUNT ? kind_names[kind] : "?";
}

const char *gb_part_kind_name(gb_part_kind kind)
{
	return kind < GB_PART_KIND_COUNT ? part_kind_names[kind] : "?";
}

int gb_part_kind_from_name(const char *name)
{
	for (int k = 0; k < GB_PART_KIND_COUNT; k++)
		if (strcmp(part_kind_names[k], name) == 0)
			return k;
	return -1;
}

bool gb_link_has_target(const gb_node *link)
{
	return link->url && link->url[0];
}

const char *gb_task_mark(const gb_node *item)
{
	if (item->kind != GB_NODE_ITEM)
		return NULL;
	return item->task == GB_TASK_OPEN ? "\u2610" :
	       item->task == GB_TASK_DONE ? "\u2611" : NULL;
}

bool gb_node_is_inline(const gb_node *node)
{
	switch (node->kind) {
	case GB_NODE_TEXT:
	case GB_NODE_SOFTBREAK:
	case GB_NODE_LINEBREAK:
	case GB_NODE_EMPH:
	case GB_NODE_STRONG:
	case GB_NODE_CODE:
	case GB_NODE_LINK:
	case GB_NODE_IMAGE:
	case GB_NODE_NOTEREF:
	case GB_NODE_STRIKE:
	case GB_NODE_SUPERSCRIPT:
	case GB_NODE_SUBSCRIPT:
	case GB_NODE_SPAN:
	case GB_NODE_HTML:
	case GB_NODE_ANCHOR:
	case GB_NODE_PHRASE:
		return true;
	default:
		return false;  /* blocks, whatever their place in the enum */
	}
}

bool gb_node_is_deflist(const gb_node *node)
{
	return node->kind == GB_NODE_DEFLIST || node->kind == GB_NODE_DEF_TERM ||
	       node->kind == GB_NODE_DEF_DESC;
}

gb_book *gb_book_new(const char *dir)
{
	gb_book *book = g_new0(gb_book, 1);
	book->dir = g_strdup(dir);
	book->files = g_ptr_array_new_with_free_func((GDestroyNotify)gb_file_free);
	book->meta.authors = g_ptr_array_new();
	book->meta.subjects = g_ptr_array_new_with_free_func(g_free);
	book->part_srcs = g_ptr_array_new();
	book->toc = g_ptr_array_new();
	book->root = gb_node_new(GB_NODE_BOOK, (gb_loc){ NULL, GB_NOPOS });
	return book;
}

static void creator_free(gb_creator *c)
{
	g_free(c->name);
	g_free(c->role);
	g_free(c->affiliation);
	g_free(c->file_as);
	g_free(c);
}

static void part_src_free(gb_part_src *p)
{
	g_free(p->file);
	g_free(p->path);
	g_free(p->lang);
	g_free(p->short_title);
	g_free(p);
}

static void toc_entry_free(gb_toc_entry *e)
{
	g_free(e->label);
	g_free(e->title);
	g_free(e);
}

void gb_book_free(gb_book *book)
{
	if (!book)
		return;
	gb_meta *m = &book->meta;
	char **strings[] = { &m->title, &m->subtitle, &m->short_title, &m->lang, &m->date,
			     &m->publisher, &m->rights, &m->description,
			     &m->source, &m->identifier, &m->cover_image,
			     &m->certified_by, &m->certifier_credential, &m->modified,
			     &m->isbn, &m->isbn_text, &m->print_isbn, &m->print_isbn_text,
			     &m->version };
	for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
		g_free(*strings[i]);
	g_ptr_array_foreach(m->authors, (GFunc)(void (*)(void))creator_free, NULL);
	g_ptr_array_free(m->authors, TRUE);
	g_ptr_array_free(m->subjects, TRUE);
	g_ptr_array_foreach(book->part_srcs, (GFunc)(void (*)(void))part_src_free, NULL);
	g_ptr_array_free(book->part_srcs, TRUE);
	g_ptr_array_foreach(book->toc, (GFunc)(void (*)(void))toc_entry_free, NULL);
	g_ptr_array_free(book->toc, TRUE);
	if (book->index)
		g_ptr_array_free(book->index, TRUE);
	gb_node_free(book->root);
	g_ptr_array_free(book->files, TRUE);
	g_free(book->dir);
	g_free(book);
}

const gb_file *gb_book_add_file(gb_book *book, gb_file *f)
{
	f->index = (int)book->files->len;
	g_ptr_array_add(book->files, f);
	return f;
}

gb_node *gb_node_new(gb_node_kind kind, gb_loc loc)
{
	gb_node *n = g_new0(gb_node, 1);
	n->kind = kind;
	n->loc = loc;
	return n;
}

void gb_node_free(gb_node *node)
{
	if (!node)
		return;
	gb_node_unlink(node);
	/*
	 * Without recursion, so that deep nesting cannot overflow the stack:
	 * the children of each node are spliced onto the end of the list
	 * being freed.
	 */
	gb_node *tail = node;
	while (node) {
		if (node->first) {
			tail->next = node->first;
			tail = node->last;
		}
		gb_node *next = node->next;
		g_free(node->text);
		g_free(node->url);
		g_free(node->title);
		g_free(node->id);
		g_free(node->label);
		g_free(node->lang);
		g_free(node->slug_text);
		g_free(node->classes);
		g_free(node->tag);
		g_free(node->width);
		g_free(node->height);
		g_free(node);
		node = next;
	}
}

void gb_node_append(gb_node *parent, gb_node *child)
{
	child->parent = parent;
	child->next = NULL;
	child->prev = parent->last;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void gb_node_insert_before(gb_node *sibling, gb_node *child)
{
	gb_node *parent = sibling->parent;
	child->parent = parent;
	child->next = sibling;
	child->prev = sibling->prev;
	if (sibling->prev)
		sibling->prev->next = child;
	else if (parent)
		parent->first = child;
	sibling->prev = child;
}

void gb_node_unlink(gb_node *node)
{
	if (node->prev)
		node->prev->next = node->next;
	else if (node->parent)
		node->parent->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else if (node->parent)
		node->parent->last = node->prev;
	node->parent = node->prev = node->next = NULL;
}

void gb_node_walk(const gb_node *node, gb_walk_fn fn, void *ctx)
{
	/* iterative, like cmark's iterator: enter, children, exit */
	const gb_node *root = node, *cur = node;
	bool entering = true;
	while (cur) {
		if (entering) {
			bool descend = fn(cur, true, ctx);
			if (descend && cur->first) {
				cur = cur->first;
				continue;
			}
		}
		fn(cur, false, ctx);
		if (cur == root)
			break;
		if (cur->next) {
			cur = cur->next;
			entering = true;
		} else {
			cur = cur->parent;
			entering = false;
		}
	}
}

static bool plain_text_fn(const gb_node *n, bool entering, void *ctx)
{
	GString *out = ctx;
	if (!entering)
		return true;
	switch (n->kind) {
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
		g_string_append(out, n->text);
		break;
	case GB_NODE_SOFTBREAK:
	case GB_NODE_LINEBREAK:
		g_string_append_c(out, ' ');
		break;
	case GB_NODE_NOTEREF:
	case GB_NODE_FOOTNOTE:
		return false;  /* a note is not part of the text it marks */
	default:
		break;
	}
	return true;
}

void gb_node_plain_text(const gb_node *node, GString *out)
{
	gb_node_walk(node, plain_text_fn, out);
}

char *gb_node_text(const gb_node *node)
{
	GString *s = g_string_new(NULL);
	gb_node_plain_text(node, s);
	return g_strstrip(g_string_free(s, FALSE));
}

typedef struct word_count {
	size_t words;
	bool in_word;
} word_count;

static void count_words_in(word_count *wc, const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		bool space = g_unichar_isspace(u);
		if (!space && !wc->in_word)
			wc->words++;
		wc->in_word = !space;
	}
}

static bool word_count_fn(const gb_node *n, bool entering, void *ctx)
{
	word_count *wc = ctx;
	if (!entering)
		return true;
	if (!gb_node_is_inline(n) || n->kind == GB_NODE_SOFTBREAK ||
	    n->kind == GB_NODE_LINEBREAK) {
		wc->in_word = false;  /* blocks and breaks end a word */
		return true;
	}
	if ((n->kind == GB_NODE_TEXT || n->kind == GB_NODE_CODE) && n->text)
		count_words_in(wc, n->text);
	return true;
}

size_t gb_node_word_count(const gb_node *node)
{
	word_count wc = { 0, false };
	if (node->kind == GB_NODE_CODE_BLOCK && node->text)
		count_words_in(&wc, node->text);
	else
		gb_node_walk(node, word_count_fn, &wc);
	return wc.words;
}

bool gb_node_holds_inlines(const gb_node *node)
{
	switch (node->kind) {
	case GB_NODE_HEADING:
	case GB_NODE_PARAGRAPH:
	case GB_NODE_TABLE_CELL:
	case GB_NODE_CAPTION:
	case GB_NODE_DEF_TERM:
	case GB_NODE_EMPH:
	case GB_NODE_STRONG:
	case GB_NODE_STRIKE:
	case GB_NODE_SUPERSCRIPT:
	case GB_NODE_SUBSCRIPT:
	case GB_NODE_SPAN:
	case GB_NODE_LINK:
	case GB_NODE_PHRASE:
		return true;
	default:
		return false;
	}
}

/* What each kind of node may contain. */
static bool may_contain(const gb_node *parent, const gb_node *child)
{
	bool inl = gb_node_is_inline(child);
	if (gb_node_holds_inlines(parent))
		return inl;
	switch (parent->kind) {
	case GB_NODE_BOOK:
		return child->kind == GB_NODE_PART;
	case GB_NODE_PART:
	case GB_NODE_ITEM:
	case GB_NODE_BLOCKQUOTE:
	case GB_NODE_FOOTNOTE:
	case GB_NODE_DIV:
	case GB_NODE_DEF_DESC:
		return !inl && child->kind != GB_NODE_PART &&
		       child->kind != GB_NODE_DEF_TERM &&
		       child->kind != GB_NODE_DEF_DESC &&
		       child->kind != GB_NODE_BOOK &&
		       child->kind != GB_NODE_ITEM &&
		       child->kind != GB_NODE_TABLE_ROW &&
		       child->kind != GB_NODE_TABLE_CELL &&
		       child->kind != GB_NODE_CAPTION &&
		       (child->kind != GB_NODE_STANDFIRST ||
			parent->kind == GB_NODE_PART) &&
		       (child->kind != GB_NODE_FOOTNOTE ||
			parent->kind == GB_NODE_PART);
	case GB_NODE_STANDFIRST:
		return child->kind == GB_NODE_PARAGRAPH ||
		       child->kind == GB_NODE_BLOCKQUOTE ||
		       child->kind == GB_NODE_LIST;
	case GB_NODE_LIST:
		return child->kind == GB_NODE_ITEM;
	case GB_NODE_TABLE:
		return child->kind == GB_NODE_TABLE_ROW ||
		       child->kind == GB_NODE_CAPTION;
	case GB_NODE_TABLE_ROW:
		return child->kind == GB_NODE_TABLE_CELL;
	case GB_NODE_FIGURE:
		return child->kind == GB_NODE_IMAGE ||
		       child->kind == GB_NODE_CAPTION;
	case GB_NODE_DEFLIST:
		return child->kind == GB_NODE_DEF_TERM ||
		       child->kind == GB_NODE_DEF_DESC;
	case GB_NODE_IMAGE:
		return false;  /* alt text is kept as plain text */
	default:
		return false;  /* leaves */
	}
}

typedef struct check_ctx {
	bool resolved;
	GString *problems;
	GHashTable *ids;
} check_ctx;

static void problem(check_ctx *c, const gb_node *n, const char *what)
{
	int line = 0, col = 0;
	gb_file_linecol(n->loc, &line, &col);
	g_string_append_printf(c->problems, "%s at %s:%d:%d: %s\n",
			       gb_node_kind_name(n->kind),
			       n->loc.file ? n->loc.file->path : "-", line, col,
			       what);
}

static bool check_fn(const gb_node *n, bool entering, void *ctx)
{
	check_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind >= GB_NODE_KIND_COUNT) {
		problem(c, n, "unknown kind");
		return false;
	}
	for (const gb_node *ch = n->first; ch; ch = ch->next) {
		if (ch->parent != n)
			problem(c, ch, "wrong parent link");
		if (ch->next && ch->next->prev != ch)
			problem(c, ch, "broken sibling links");
		if (!may_contain(n, ch))
			problem(c, ch, "not allowed here");
	}
	if (n->first && n->first->prev)
		problem(c, n, "first child has a previous sibling");
	if (n->last && n->last->next)
		problem(c, n, "last child has a next sibling");
	switch (n->kind) {
	case GB_NODE_HEADING:
		if (n->level < 1 || n->level > 6)
			problem(c, n, "level out of range");
		break;
	case GB_NODE_TEXT:
	case GB_NODE_CODE:
	case GB_NODE_CODE_BLOCK:
		if (!n->text)
			problem(c, n, "no text");
		break;
	case GB_NODE_LINK:
	case GB_NODE_IMAGE:
		if (!n->url)
			problem(c, n, "no url");
		break;
	case GB_NODE_NOTEREF:
		if (!n->target || n->target->kind != GB_NODE_FOOTNOTE)
			problem(c, n, "no footnote");
		break;
	case GB_NODE_PART:
		if (!n->file)
			problem(c, n, "no file");
		break;
	default:
		break;
	}
	bool needs_id = n->kind == GB_NODE_HEADING || n->kind == GB_NODE_PART ||
			n->kind == GB_NODE_FOOTNOTE || n->kind == GB_NODE_NOTEREF;
	if (c->resolved && needs_id) {
		if (!n->id)
			problem(c, n, "no id");
		else if (!g_hash_table_add(c->ids, n->id))
			problem(c, n, "duplicate id");
	}
	return true;
}

char *gb_tree_check(const gb_node *root, bool resolved)
{
	check_ctx c = { resolved, g_string_new(NULL),
			g_hash_table_new(g_str_hash, g_str_equal) };
	if (root->kind != GB_NODE_BOOK || root->parent)
		problem(&c, root, "the root is not a book");
	gb_node_walk(root, check_fn, &c);
	g_hash_table_destroy(c.ids);
	if (c.problems->len == 0) {
		g_string_free(c.problems, TRUE);
		return NULL;
	}
	return g_string_free(c.problems, FALSE);
}

bool gb_node_has_class(const gb_node *node, const char *cls)
{
	if (!node->classes)
		return false;
	size_t k = strlen(cls);
	for (const char *p = node->classes; (p = strstr(p, cls)); p += k)
		if ((p == node->classes || p[-1] == ' ') && (p[k] == ' ' || !p[k]))
			return true;
	return false;
}
