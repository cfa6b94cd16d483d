/*
 * tree.h - the document tree, shared by every edition.
 *
 * One gb_book holds the metadata, the source files and one tree of gb_node:
 *
 *   BOOK
 *     PART (one per entry of book.yaml's parts, in order)
 *       STANDFIRST? HEADING PARAGRAPH LIST TABLE BLOCKQUOTE CODE_BLOCK
 *       THEMATIC_BREAK FIGURE DEFLIST (DEF_TERM, its DEF_DESCs: blocks) ...
 *       FOOTNOTE* (the part's notes, in the order of first reference)
 *
 * Inline nodes (TEXT, EMPH, STRONG, STRIKE, SUPERSCRIPT, SUBSCRIPT, SPAN,
 * CODE, LINK, IMAGE, NOTEREF, SOFTBREAK, LINEBREAK: gb_node_is_inline) sit inside HEADING, PARAGRAPH, TABLE_CELL and CAPTION.
 * Every node keeps its position in the source (gb_loc).
 *
 * The parser (parse.h) builds the tree; resolve (resolve.h) computes ids,
 * numbers, labels and the contents once.  The writers only read it.
 *
 * Ownership: a gb_book owns its files, metadata, nodes and contents; free it
 * all with gb_book_free().  gb_node_new() returns a detached node that the
 * caller appends (the parent then owns it) or frees with gb_node_free().
 * Strings in nodes are owned by the node (g_free).
 */
#ifndef GB_TREE_H
#define GB_TREE_H

#include <glib.h>
#include <stdbool.h>

#include "base/file.h"

typedef enum gb_node_kind {
	GB_NODE_BOOK,
	GB_NODE_PART,
	/* blocks */
	GB_NODE_STANDFIRST,
	GB_NODE_HEADING,
	GB_NODE_PARAGRAPH,
	GB_NODE_LIST,
	GB_NODE_ITEM,
	GB_NODE_BLOCKQUOTE,
	GB_NODE_CODE_BLOCK,
	GB_NODE_THEMATIC_BREAK,
	GB_NODE_TABLE,
	GB_NODE_CAPTION,
	GB_NODE_TABLE_ROW,
	GB_NODE_TABLE_CELL,
	GB_NODE_FIGURE,
	GB_NODE_FOOTNOTE,
	/* inlines */
	GB_NODE_TEXT,
	GB_NODE_SOFTBREAK,
	GB_NODE_LINEBREAK,
	GB_NODE_EMPH,
	GB_NODE_STRONG,
	GB_NODE_CODE,
	GB_NODE_LINK,
	GB_NODE_IMAGE,
	GB_NODE_NOTEREF,
	GB_NODE_STRIKE,       /* ~~x~~ (GitHub's strikethrough) */
	GB_NODE_SUPERSCRIPT,  /* ^x^ (pandoc's superscript) */
	GB_NODE_SUBSCRIPT,    /* ~x~ (pandoc's subscript) */
	GB_NODE_SPAN,         /* [x]{.smallcaps lang=ru}, <u>, <span lang> */
	GB_NODE_DIV,          /* ::: {.epigraph #id} (pandoc's fenced div) */
	/* blocks of pandoc's definition lists (deflist.c): DEFLIST holds
	   DEF_TERM (inlines) and DEF_DESC (blocks), each term followed by
	   its definitions */
	GB_NODE_DEFLIST,
	GB_NODE_DEF_TERM,
	GB_NODE_DEF_DESC,
	/*
	 * Raw HTML as libcmark-gfm gives it (text: the literal): inside the
	 * parser only (source/html.c makes each the element it stands for,
	 * or reports it); never in a resolved tree
	 */
	GB_NODE_HTML,
	/* an empty place with an id, a link target (HTML's <span id>,
	   <div id>, <section id>, <a id>) */
	GB_NODE_ANCHOR,
	/* HTML's <small>, <abbr title>, <kbd>, <q>, <cite>, <dfn>: tag */
	GB_NODE_PHRASE,
	/* new kinds go here; an inline one is listed in gb_node_is_inline() */
	GB_NODE_KIND_COUNT
} gb_node_kind;

typedef enum gb_part_kind {
	GB_PART_FRONTMATTER,
	GB_PART_CHAPTER,
	GB_PART_APPENDIX,
	GB_PART_BACKMATTER,
	GB_PART_KIND_COUNT
} gb_part_kind;

typedef enum gb_align {
	GB_ALIGN_NONE,
	GB_ALIGN_LEFT,
	GB_ALIGN_CENTER,
	GB_ALIGN_RIGHT,
} gb_align;

typedef struct gb_node gb_node;

enum { GB_TASK_NONE, GB_TASK_OPEN, GB_TASK_DONE };

struct gb_node {
	gb_node_kind kind;
	gb_loc loc;
	gb_node *parent, *first, *last, *prev, *next;

	/*
	 * text: TEXT, CODE and CODE_BLOCK contents; IMAGE alt text (plain);
	 *       PART source file name as listed in book.yaml
	 * url:  LINK target, IMAGE source (relative to the book directory)
	 * title: LINK and IMAGE title; CODE_BLOCK info string; PART its
	 *       running head (book.yaml's short-title), or NULL
	 * id:   HEADING, FOOTNOTE, NOTEREF and PART: unique in the book
	 * label: PART "Appendix A"; FOOTNOTE and NOTEREF "1", "2", ...
	 * lang: PART language (its own or the book's)
	 */
	char *text, *url, *title, *id, *label, *lang;

	/*
	 * level: HEADING 1-6
	 * number: PART chapter/appendix number; FOOTNOTE number; LIST start
	 * ordered, tight: LIST; tight: DEF_DESC (pandoc's compact
	 *       definition: no blank line before it, one paragraph)
	 * header: TABLE_ROW is the header row
	 * align: TABLE_CELL alignment
	 * part_kind: PART
	 */
	int level;
	int number;
	bool ordered, tight, header;
	gb_align align;
	gb_part_kind part_kind;
	/* ITEM of a task list ("- [ ]", "- [x]"): GB_TASK_OPEN or GB_TASK_DONE */
	int task;

	const gb_file *file;  /* PART: its source file */
	/*
	 * NOTEREF: its FOOTNOTE; PART: its title HEADING; LINK to '#id': the
	 * node it goes to (set by resolve, which also sets url to "#" and
	 * that node's id: the id as written may be a heading's GitHub slug
	 * in its own file, which the book's ids are not)
	 */
	gb_node *target;
	int refs;             /* FOOTNOTE: number of references to it */
	/*
	 * HEADING whose punctuation quotes.h changed: its TEXT and CODE as
	 * written ("It's -- here"), which its GitHub slug is made of; else
	 * NULL
	 */
	char *slug_text;
	/*
	 * HEADING with pandoc's attributes ('# Title {#id .a .unlisted}'):
	 * id_given: its id was written ('#id', set in id by the parser);
	 * classes: its other classes, space-separated, for the EPUB, or NULL;
	 * unnumbered ('.unnumbered' or '-'): a title takes no number or
	 * appendix letter; unlisted: not in the contents
	 */
	bool id_given, unnumbered, unlisted;
	char *classes;
	/*
	 * PHRASE: its HTML element's name ("small", "abbr", "kbd", "q",
	 * "cite", "dfn"); an ABBR's title is in title; a Q's quotation
	 * marks are its first and last TEXT, the part's language's
	 */
	char *tag;
	/*
	 * SPAN (pandoc's bracketed span, or an HTML <u>/<span lang>): its
	 * classes (space-separated: "smallcaps", "underline", ...) in classes,
	 * its language (lang=ru) in lang, its id in id (id_given set: a
	 * link's target, '[x](#id)'), an index entry's other form
	 * ('{.index entry="Security, collective"}') in title and its
	 * range=start or range=end in label; its content inlines.
	 * IMAGE: width as written in '{width=60%}' or <img width> ("60%",
	 * "3in", "200"), or NULL.
	 * DIV (pandoc's fenced div, divs.c): its classes in classes, its id
	 * in id (id_given); its content blocks.  PARAGRAPH of pandoc's line
	 * block ('| line'): classes "line-block", its lines apart by
	 * LINEBREAKs.
	 */
	char *width;
	/*
	 * IMAGE: its height as written in '{height=3cm}', or NULL; with
	 * width, a CSS length after source/imageattrs.c read it ("200" is
	 * "200px").  An IMAGE's '{#fig:id}' is its id (id_given); resolve
	 * moves it to its FIGURE, which also gets number and label
	 * ("Figure 3") when it has a caption.
	 */
	char *height;
	/*
	 * IMAGE: '{.bleed}': in print, a picture meant to bleed: set as wide
	 * as the page and its bleed on both sides, edge to edge (the safety
	 * margin does not apply to it).  The EPUB shows it as any picture.
	 */
	bool bleed;
};

/* One entry of the contents, computed by resolve. */
typedef struct gb_toc_entry {
	int level;            /* 1: part title, 2: section */
	const gb_node *part;
	const gb_node *heading;
	char *label;          /* "Appendix A", or NULL */
	char *title;          /* plain text of the heading */
} gb_toc_entry;

typedef struct gb_creator {
	char *name;
	char *role;           /* MARC relator code, e.g. "aut" */
	char *affiliation;    /* or NULL */
	char *file_as;        /* 'file-as', the name sorted by, or NULL */
	gb_loc loc;
} gb_creator;

typedef struct gb_meta {
	char *title, *subtitle, *lang, *date, *publisher, *rights;
	char *short_title;        /* the print edition's running head, or NULL */
	char *description, *source, *identifier, *cover_image;
	bool identifier_derived;  /* no identifier in book.yaml: a UUID */
	/* book.yaml's 'accessibility': who certified the e-book's
	   accessibility, and their credential; or NULL */
	char *certified_by, *certifier_credential;
	/* 'modified': a date-time the editions were last changed, read
	   into modified_time (have_modified: given and valid) */
	char *modified;
	gint64 modified_time;
	bool have_modified;
	/* 'isbn' (this edition, the EPUB's) and 'print-isbn': as written
	   (isbn_text, print_isbn_text) and as digits (isbn, print_isbn:
	   "9780306406157", a check digit X kept), NULL when not given or
	   wrong */
	char *isbn, *isbn_text, *print_isbn, *print_isbn_text;
	/* 'version': the edition's version as written (numbers and dots:
	   "1.0", "2.1.3"), Apple Books' ibooks:version; or NULL */
	char *version;
	GPtrArray *authors;       /* gb_creator *, owned */
	GPtrArray *subjects;      /* char *, owned */
} gb_meta;

/* A part as listed in book.yaml, before it is read. */
typedef struct gb_part_src {
	char *file;               /* as written in book.yaml */
	char *path;               /* book directory joined with file */
	gb_part_kind kind;
	char *lang;               /* or NULL: the book's */
	gb_loc loc;               /* the entry in book.yaml */
	char *short_title;        /* its running head, or NULL */
} gb_part_src;

typedef struct gb_book {
	char *dir;                /* the book directory, as given */
	GPtrArray *files;         /* gb_file *, owned; [0] is book.yaml */
	gb_meta meta;
	GPtrArray *part_srcs;     /* gb_part_src *, owned */
	gb_node *root;            /* BOOK */
	GPtrArray *toc;           /* gb_toc_entry *, owned; set by resolve */
	/* book.yaml's parts end with '- kind: index' (index_loc: there) */
	bool has_index;
	gb_loc index_loc;
	GPtrArray *index;         /* gb_index_entry * (index.h), owned, sorted;
				     set by resolve */
} gb_book;

gb_book *gb_book_new(const char *dir);
void gb_book_free(gb_book *book);

/* Adds f to the book's files (the book frees it) and returns it. */
const gb_file *gb_book_add_file(gb_book *book, gb_file *f);

gb_node *gb_node_new(gb_node_kind kind, gb_loc loc);
void gb_node_free(gb_node *node);          /* with its children */
void gb_node_append(gb_node *parent, gb_node *child);
void gb_node_insert_before(gb_node *sibling, gb_node *child);
void gb_node_unlink(gb_node *node);

const char *gb_node_kind_name(gb_node_kind kind);
const char *gb_part_kind_name(gb_part_kind kind);
/* The part kind named name, or -1. */
int gb_part_kind_from_name(const char *name);

bool gb_node_is_inline(const gb_node *node);
/* Whether node's children are inlines (a paragraph, a heading, a cell, a
   caption, a definition's term, emphasis, a link, a span...). */
bool gb_node_holds_inlines(const gb_node *node);
/* Whether node is a DEFLIST, DEF_TERM or DEF_DESC (blocks). */
bool gb_node_is_deflist(const gb_node *node);

/*
 * Whether a LINK has a target: an empty link ([x]()) is warned of when the
 * book is read, and both editions set it as its text.
 */
bool gb_link_has_target(const gb_node *link);
/* A task list item's box, its label in both editions: "\u2610" (open) or
   "\u2611" (done); NULL for any other node.  Static. */
const char *gb_task_mark(const gb_node *item);

/* Whether node's classes (space-separated: a SPAN's, a HEADING's)
   include cls. */
bool gb_node_has_class(const gb_node *node, const char *cls);

/* Appends the plain text of node's inlines (no markup) to out. */
void gb_node_plain_text(const gb_node *node, GString *out);

/*
 * The plain text of node's inlines, without the white space at its ends
 * (a heading's text, as the contents, the running heads and the ids take
 * it).  The caller frees it.
 */
char *gb_node_text(const gb_node *node);

/* Counts the words of the text under node. */
size_t gb_node_word_count(const gb_node *node);

/*
 * Walks the tree in document order: calls fn on entering each node
 * (entering true) and on leaving it (entering false).  fn returns false to
 * skip a node's children (on entering).
 */
typedef bool (*gb_walk_fn)(const gb_node *node, bool entering, void *ctx);
void gb_node_walk(const gb_node *node, gb_walk_fn fn, void *ctx);

/*
 * Checks the tree's invariants (links, containment rules, ids present after
 * resolve).  Returns NULL when they hold, or a description the caller frees.
 */
char *gb_tree_check(const gb_node *root, bool resolved);

#endif
