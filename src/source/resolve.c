/* resolve.c - ids, numbering, labels and the contents. */
#include "source/resolve.h"
#include "source/index.h"

#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm/houdini.h>

#include "source/meta.h"
#include "source/translit.h"

/* The longest id, in bytes: a PDF's names are strings of bounded length. */
enum { SLUG_MAX = 64 };

/*
 * Whether u is one of the symbols (category So) that Unicode counts as
 * Alphabetic (Other_Alphabetic): circled and squared Latin letters, which
 * github-slugger keeps ("some overlap between letters and Other Symbol").
 */
static bool alphabetic_symbol(gunichar u)
{
	return (u >= 0x24b6 && u <= 0x24e9) || (u >= 0x1f130 && u <= 0x1f149) ||
	       (u >= 0x1f150 && u <= 0x1f169) || (u >= 0x1f170 && u <= 0x1f189);
}

/*
 * Whether a GitHub slug keeps u: letters, marks, decimal and letter
 * numbers and connector punctuation ('_') of every script, '-' and the
 * space; every other character (other numbers, punctuation, symbols,
 * controls, format characters, other separators) is removed.
 */
static bool slug_keeps(gunichar u)
{
	if (u == ' ' || u == '-')
		return true;
	switch (g_unichar_type(u)) {
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_SPACING_MARK:
	case G_UNICODE_ENCLOSING_MARK:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_DECIMAL_NUMBER:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_CONNECT_PUNCTUATION:
		return true;
	default:
		return alphabetic_symbol(u);
	}
}

char *gb_slugify(const char *text)
{
	/* g_utf8_strdown lowercases as JavaScript's toLowerCase does (final
	   sigma, U+0130 to "i" and a combining dot): gsi-book sets no locale */
	char *low = g_utf8_strdown(text, -1);
	GString *s = g_string_new(NULL);
	for (const char *p = low; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		/* GLib lowercases letters only; JavaScript also the capital
		   roman numerals (Nl) and circled letters (So) */
		if (u >= 0x2160 && u <= 0x216f)
			u += 0x10;
		else if (u >= 0x24b6 && u <= 0x24cf)
			u += 26;
		if (u == ' ')
			g_string_append_c(s, '-');
		else if (slug_keeps(u))
			g_string_append_unichar(s, u);
	}
	g_free(low);
	return g_string_free(s, FALSE);
}

/* slug cut to SLUG_MAX bytes: at the last '-' that fits, or inside a word. */
static char *cap_slug(const char *slug)
{
	size_t len = strlen(slug);
	if (len <= SLUG_MAX)
		return g_strdup(slug);
	size_t cut = SLUG_MAX;
	if (slug[SLUG_MAX] != '-') {
		const char *dash = g_strrstr_len(slug, SLUG_MAX, "-");
		if (dash && dash > slug)
			cut = (size_t)(dash - slug);
		else
			cut = (size_t)(g_utf8_find_prev_char(slug, slug + SLUG_MAX + 1) - slug);
	}
	return g_strndup(slug, cut);
}

/*
 * The letters appendices are labelled with, in order, by the script of
 * the part's language: one table, read by both editions through the
 * label resolve gives each appendix.
 *
 *  - Latin: A to Z (the English and European convention: all 26).
 *  - Russian: GOST 2.105-95 (and GOST 7.32-2017): "Приложения
 *    обозначают заглавными буквами русского алфавита, начиная с А, за
 *    исключением букв Ё, З, Й, О, Ч, Ь, Ы, Ъ": З, О and Ч are taken for
 *    the digits 3, 0 and 4, the others for letters that start no word.
 *  - Kazakh: the Kazakh Cyrillic alphabet in its order, less the letters
 *    GOST 2.105 leaves out and Ө and І, which are taken for О and 0 and
 *    for the Latin I and 1, as GOST leaves I and O out of Latin labels.
 *  - Ukrainian: DSTU 3008-2015, "великими літерами української абетки,
 *    за винятком літер Ґ, Є, З, І, Ї, Й, О, Ч, Ь".
 *
 * Past the last letter come two: AA, AB, ... (GOST's АА, АБ, ...).
 */
static const char *const latin_letters[] = {
	"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
	"N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", NULL,
};
static const char *const russian_letters[] = {
	"А", "Б", "В", "Г", "Д", "Е", "Ж", "И", "К", "Л", "М", "Н", "П",
	"Р", "С", "Т", "У", "Ф", "Х", "Ц", "Ш", "Щ", "Э", "Ю", "Я", NULL,
};
static const char *const kazakh_letters[] = {
	"А", "Ә", "Б", "В", "Г", "Ғ", "Д", "Е", "Ж", "И", "К", "Қ", "Л",
	"М", "Н", "Ң", "П", "Р", "С", "Т", "У", "Ұ", "Ү", "Ф", "Х", "Һ",
	"Ц", "Ш", "Щ", "Э", "Ю", "Я", NULL,
};
static const char *const ukrainian_letters[] = {
	"А", "Б", "В", "Г", "Д", "Е", "Ж", "И", "К", "Л", "М", "Н", "П",
	"Р", "С", "Т", "У", "Ф", "Х", "Ц", "Ш", "Щ", "Ю", "Я", NULL,
};

static const struct {
	const char *lang;
	const char *word;
	const char *const *letters;
	const char *figure;   /* a numbered figure's label: "Figure 3" */
} appendix_words[] = {
	{ "en", "Appendix", latin_letters, "Figure" },
	{ "kk", "Қосымша", kazakh_letters, "Сурет" },
	{ "ru", "Приложение", russian_letters, "Рисунок" },
	{ "fr", "Annexe", latin_letters, "Figure" },
	{ "de", "Anhang", latin_letters, "Abbildung" },
	{ "es", "Apéndice", latin_letters, "Figura" },
	{ "it", "Appendice", latin_letters, "Figura" },
	{ "zh", "附录", latin_letters, "图" },
	{ "uk", "Додаток", ukrainian_letters, "Рисунок" },
};

/* The entry of appendix_words for lang (English's when it has none). */
static size_t words_of(const char *lang)
{
	size_t w = 0;
	size_t primary = lang ? strcspn(lang, "-") : 0;
	for (size_t i = 0; i < G_N_ELEMENTS(appendix_words); i++)
		if (strlen(appendix_words[i].lang) == primary &&
		    !g_ascii_strncasecmp(lang, appendix_words[i].lang, primary))
			w = i;
	return w;
}

char *gb_figure_label(int n, const char *lang)
{
	return g_strdup_printf("%s %d", appendix_words[words_of(lang)].figure, n);
}

const char *gb_appendix_word(const char *lang)
{
	return appendix_words[words_of(lang)].word;
}

char *gb_appendix_label(int n, const char *lang)
{
	char *ordinal = gb_appendix_ordinal(n, lang);
	char *label = g_strconcat(gb_appendix_word(lang), " ", ordinal, NULL);
	g_free(ordinal);
	return label;
}

char *gb_appendix_ordinal(int n, const char *lang)
{
	size_t w = words_of(lang);
	const char *const *letters = appendix_words[w].letters;
	int count = 0;
	while (letters[count])
		count++;
	/* A..Z, then AA, AB, ... (bijective base count) */
	const char *digits[16];
	int len = 0;
	for (int k = n; k > 0 && len < (int)G_N_ELEMENTS(digits); k = (k - 1) / count)
		digits[len++] = letters[(k - 1) % count];
	GString *s = g_string_new(NULL);
	while (len > 0)
		g_string_append(s, digits[--len]);
	return g_string_free(s, FALSE);
}

/*
 * GitHub's slugs of the headings of one source file, as GitHub makes
 * them (github-slugger): a slug taken already gets "-1", "-2", ... after
 * it, counted for the slug it repeats, until the result is new.
 */
typedef struct file_slugs {
	GHashTable *count;    /* slug -> times repeated (owned keys) */
	GHashTable *heading;  /* slug -> its heading (keys owned by count) */
} file_slugs;

static void file_slugs_free(gpointer p)
{
	file_slugs *f = p;
	g_hash_table_destroy(f->heading);
	g_hash_table_destroy(f->count);
	g_free(f);
}

/* The unique slug GitHub gives the next heading of f whose slug is base. */
static const char *file_slug(file_slugs *f, const char *base, gb_node *heading)
{
	char *slug = g_strdup(base);
	while (g_hash_table_contains(f->count, slug)) {
		int n = GPOINTER_TO_INT(g_hash_table_lookup(f->count, base)) + 1;
		g_hash_table_insert(f->count, g_strdup(base), GINT_TO_POINTER(n));
		g_free(slug);
		slug = g_strdup_printf("%s-%d", base, n);
	}
	g_hash_table_insert(f->count, slug, GINT_TO_POINTER(0));
	g_hash_table_insert(f->heading, slug, heading);
	return slug;
}

typedef struct resolve_ctx {
	gb_book *book;
	gb_diag *d;
	GHashTable *ids;      /* id -> node, not owned */
	GHashTable *files;    /* gb_file * -> file_slugs * */
	GHashTable *slugs;    /* GitHub slug -> GPtrArray of headings, book order */
	GPtrArray *given;     /* ids given outside ASCII, as written (owned) */
	const gb_node *part;  /* the part walked */
	int footnotes;
} resolve_ctx;

/*
 * Gives node an id unique in the book: base in ASCII (gb_ascii_id:
 * "қала-туралы" is "qala-turaly"; fallback when nothing is left), or
 * when that is taken, base-1, base-2, ...
 */
static void assign_id(resolve_ctx *c, gb_node *node, const char *base,
		      const char *fallback)
{
	char *ascii = gb_ascii_id(base);
	char *stem = *ascii ? cap_slug(ascii) : g_strdup(fallback);
	g_free(ascii);
	char *id = g_strdup(stem);
	for (int k = 1; g_hash_table_contains(c->ids, id); k++) {
		g_free(id);
		id = g_strdup_printf("%s-%d", stem, k);
	}
	g_free(stem);
	g_free(node->id);
	node->id = id;
	g_hash_table_insert(c->ids, id, node);
}

/*
 * A heading's text as GitHub slugs it: the text content of its HTML,
 * where a line break is a line feed (removed with the other controls).
 */
static bool slug_text_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && (n->kind == GB_NODE_TEXT || n->kind == GB_NODE_CODE))
		g_string_append(ctx, n->text);
	return n->kind != GB_NODE_NOTEREF;
}

static bool heading_ids_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_PART)
		c->part = n;
	if (n->kind == GB_NODE_HEADING && n->id_given)
		return false;  /* its id is given (given_ids_fn) */
	if (n->kind == GB_NODE_HEADING) {
		GString *text = g_string_new(NULL);
		gb_node_walk(n, slug_text_fn, text);
		/* GitHub sets no smart punctuation: the text as written */
		char *base = gb_slugify(n->slug_text ? n->slug_text : text->str);
		g_string_free(text, TRUE);
		const gb_file *f = c->part->file;
		file_slugs *fs = g_hash_table_lookup(c->files, f);
		if (!fs) {
			fs = g_new0(file_slugs, 1);
			fs->count = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
			fs->heading = g_hash_table_new(g_str_hash, g_str_equal);
			g_hash_table_insert(c->files, (gpointer)f, fs);
		}
		const char *slug = file_slug(fs, base, (gb_node *)n);
		GPtrArray *same = g_hash_table_lookup(c->slugs, slug);
		if (!same) {
			same = g_ptr_array_new();
			g_hash_table_insert(c->slugs, g_strdup(slug), same);
		}
		g_ptr_array_add(same, (gpointer)n);
		/* the id is GitHub's slug where no other file of the book has
		   taken it, so that the first file keeps GitHub's ids */
		assign_id(c, (gb_node *)n, slug, "section");
		g_free(base);
		return false;
	}
	return !gb_node_is_inline(n);
}

/*
 * The ids written in headings' attributes ('# Title {#id}'), before any
 * other: the author chose them.  One given twice is an error.
 */
static bool given_ids_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	/* (a figure's, a div's, an HTML anchor's too: <span id>, <div id>, <a id>) */
	if (!entering || (n->kind != GB_NODE_HEADING && n->kind != GB_NODE_FIGURE &&
			  n->kind != GB_NODE_DIV && n->kind != GB_NODE_ANCHOR) ||
	    !n->id_given)
		return entering && (!gb_node_is_inline(n) || n->first);
	const gb_node *other = g_hash_table_lookup(c->ids, n->id);
	if (other) {
		int line = 0, col = 0;
		gb_file_linecol(other->loc, &line, &col);
		gb_error(c->d, n->kind == GB_NODE_FIGURE ? n->first->loc : n->loc,
			 "%s id '#%s' is given already, at %s:%d:%d: an id names one place of the book",
			 n->kind == GB_NODE_FIGURE ? "figure" : n->kind == GB_NODE_DIV ? "div" :
			 n->kind == GB_NODE_HEADING ? "heading" : "HTML",
			 n->id, other->loc.file ? other->loc.file->path : "?", line, col);
	} else {
		g_hash_table_insert(c->ids, n->id, (gpointer)n);
	}
	return n->kind == GB_NODE_DIV;  /* a div's blocks may give ids */
}

/*
 * An id its author gave outside ASCII ('{#қала}', <a id="қала">) is
 * written into the EPUB in ASCII (assign_id's way, "-1"... when taken);
 * a link still finds the node by the id as written, which stays a key
 * of c->ids (kept alive in c->given).
 */
static bool given_ascii_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering || !n->id || !n->id_given)
		return true;
	for (const char *p = n->id; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			gb_node *node = (gb_node *)n;
			const char *written = node->id;
			g_ptr_array_add(c->given, node->id);
			node->id = NULL;
			assign_id(c, node, written, "id");
			break;
		}
	return true;
}

static bool footnotes_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_FOOTNOTE) {
		gb_node *fn = (gb_node *)n;
		fn->number = ++c->footnotes;
		if (fn->number == GB_MAX_NOTES + 1)
			gb_error(c->d, fn->loc,
				 "footnote [^%s] is one too many: a book holds at most %d notes",
				 fn->text ? fn->text : "?", GB_MAX_NOTES);
		fn->label = g_strdup_printf("%d", fn->number);
		char *base = g_strdup_printf("fn-%d", fn->number);
		assign_id(c, fn, base, "fn");
		g_free(base);
		fn->refs = 0;  /* counted again below, in reading order */
	}
	return true;
}

static bool noterefs_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering || n->kind != GB_NODE_NOTEREF || !n->target)
		return true;
	gb_node *ref = (gb_node *)n;
	gb_node *fn = ref->target;
	fn->refs++;
	ref->label = g_strdup(fn->label);
	char *base = fn->refs == 1 ? g_strdup_printf("fnref-%d", fn->number) :
		     g_strdup_printf("fnref-%d-%d", fn->number, fn->refs);
	assign_id(c, ref, base, "fnref");
	g_free(base);
	return true;
}

/*
 * The length of the host (with its ':port') of an http or https address
 * url, and at *start its offset; 0 when url is no such address.
 */
static size_t web_host(const char *url, size_t *start)
{
	const char *scheme = g_uri_peek_scheme(url);  /* lowercase, interned */
	if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https")))
		return 0;
	const char *h = url + strlen(scheme) + 1;
	if (strncmp(h, "//", 2) != 0)
		return 0;
	h += 2;
	size_t len = strcspn(h, "/?#");
	for (const char *at = memchr(h, '@', len); at; at = memchr(h, '@', len)) {
		len -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	*start = (size_t)(h - url);
	return len;
}

static void escape_href(cmark_strbuf *b, const char *s, size_t n)
{
	houdini_escape_href(b, (const uint8_t *)s, (bufsize_t)n);
}

char *gb_href_escape(const char *url)
{
	cmark_strbuf b;
	cmark_strbuf_init(cmark_get_default_mem_allocator(), &b, 0);
	size_t start = 0, len = web_host(url, &start);
	const char *port = len ? memchr(url + start, ':', len) : NULL;
	char *ascii = NULL;
	if (len && url[start] != '[') {
		/* a name not in ASCII: its ASCII form (IDNA, 'xn--...'),
		   which reading systems parse, where a percent-encoded one
		   is no host */
		size_t name = port ? (size_t)(port - url - start) : len;
		char *host = g_strndup(url + start, name);
		if (g_hostname_is_non_ascii(host))
			ascii = g_hostname_to_ascii(host);
		g_free(host);
		if (ascii)
			port = url + start + name;
	}
	if (ascii) {
		escape_href(&b, url, start);
		cmark_strbuf_puts(&b, ascii);
		escape_href(&b, port, strlen(port));
	} else if (len && url[start] == '[') {
		/* an IPv6 address keeps its brackets */
		escape_href(&b, url, start);
		cmark_strbuf_put(&b, (const uint8_t *)url + start, (bufsize_t)len);
		escape_href(&b, url + start + len, strlen(url + start + len));
	} else {
		escape_href(&b, url, strlen(url));
	}
	g_free(ascii);
	/* houdini writes '&' and '\'' as HTML ("&amp;", "&#x27;"), ready
	   for an attribute: the address itself has them as they are (every
	   '&' of its output starts one of the two) */
	GString *s = g_string_sized_new((gsize)b.size);
	for (bufsize_t i = 0; i < b.size;) {
		const char *p = (const char *)b.ptr + i;
		if (b.size - i >= 5 && !strncmp(p, "&amp;", 5)) {
			g_string_append_c(s, '&');
			i += 5;
		} else if (b.size - i >= 6 && !strncmp(p, "&#x27;", 6)) {
			g_string_append_c(s, '\'');
			i += 6;
		} else {
			g_string_append_c(s, *p);
			i++;
		}
	}
	cmark_strbuf_free(&b);
	return g_string_free(s, FALSE);
}

/* The shown name of the file that holds heading h. */
static const char *file_of(const gb_node *h)
{
	return h->loc.file ? h->loc.file->path : "?";
}

/* The existing id or slug nearest to want, or NULL when none is close. */
static const char *nearest_target(resolve_ctx *c, const file_slugs *own,
				  const char *want)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	GHashTable *tables[] = { own ? own->heading : NULL, c->slugs, c->ids };
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		if (!tables[i])
			continue;
		GHashTableIter it;
		gpointer key;
		g_hash_table_iter_init(&it, tables[i]);
		while (g_hash_table_iter_next(&it, &key, NULL)) {
			size_t dist = gb_edit_distance(want, key);
			/* ties: the same file first, then the smaller name */
			if (dist < best_d || (dist == best_d && i == 0 &&
					      strcmp(key, best) < 0)) {
				best_d = dist;
				best = key;
			}
		}
		if (best_d == 0)
			break;
	}
	size_t len = strlen(want);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : len <= 12 ? 3 : len / 4;
	return best && best_d <= limit ? best : NULL;
}

/*
 * The ids written in spans' attributes ('[text]{#id}'), after the
 * headings': an id given twice is an error, as a heading's is.
 */
static bool span_ids_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering || n->kind != GB_NODE_SPAN || !n->id_given || !n->id)
		return true;
	const gb_node *other = g_hash_table_lookup(c->ids, n->id);
	if (other) {
		int line = 0, col = 0;
		gb_file_linecol(other->loc, &line, &col);
		gb_error(c->d, n->loc,
			 "span id '#%s' is given already, at %s:%d:%d: an id names one place of the book",
			 n->id, other->loc.file ? other->loc.file->path : "?", line, col);
	} else {
		g_hash_table_insert(c->ids, n->id, (gpointer)n);
	}
	return true;
}

/*
 * The node a link to '#want' goes to (own: the slugs of the link's file): GitHub's slug of a heading
 * of the link's own file first (the file as GitHub shows it), then that
 * of a heading of another file (the first, with a warning when several
 * files have it), then an id of the book (a note's, a part's, a heading's
 * as 'gsi-book dump' shows them).
 */
static gb_node *link_target(resolve_ctx *c, const file_slugs *own, const gb_node *link,
			    const char *want)
{
	/* an id its author gave a heading ('{#id}') first */
	gb_node *t = g_hash_table_lookup(c->ids, want);
	if (t && (t->kind == GB_NODE_HEADING || t->kind == GB_NODE_FIGURE ||
		  t->kind == GB_NODE_DIV || t->kind == GB_NODE_SPAN ||
		  t->kind == GB_NODE_ANCHOR) && t->id_given)
		return t;
	t = own ? g_hash_table_lookup(own->heading, want) : NULL;
	if (t)
		return t;
	GPtrArray *elsewhere = g_hash_table_lookup(c->slugs, want);
	if (elsewhere && elsewhere->len) {
		t = g_ptr_array_index(elsewhere, 0);
		/* the files that have it (a file's headings are together) */
		GString *files = g_string_new(NULL);
		guint nfiles = 0;
		for (guint i = 0; i < elsewhere->len; i++) {
			const gb_node *h = g_ptr_array_index(elsewhere, i);
			if (i && file_of(h) == file_of(g_ptr_array_index(elsewhere, i - 1)))
				continue;
			g_string_append_printf(files, "%s'%s'", nfiles ? ", " : "", file_of(h));
			nfiles++;
		}
		if (nfiles > 1)
			gb_warning(c->d, link->loc,
				   "link target '#%s' is not a heading of this file but of %u "
				   "others: %s; it goes to the one in '%s'", want, nfiles,
				   files->str, file_of(t));
		g_string_free(files, TRUE);
		return t;
	}
	return g_hash_table_lookup(c->ids, want);
}

static bool links_fn(const gb_node *n, bool entering, void *ctx)
{
	resolve_ctx *c = ctx;
	if (!entering)
		return true;
	if (n->kind == GB_NODE_PART)
		c->part = n;
	if (n->kind != GB_NODE_LINK || !gb_link_has_target(n))
		return true;
	gb_node *link = (gb_node *)n;
	if (n->url[0] != '#') {
		/* an address: both editions take it percent-encoded */
		char *href = gb_href_escape(link->url);
		g_free(link->url);
		link->url = href;
		return true;
	}
	/* the headings of the link's own file */
	const file_slugs *own = c->part ? g_hash_table_lookup(c->files, c->part->file) : NULL;
	gb_node *t = link->url[1] ? link_target(c, own, link, link->url + 1) : NULL;
	if (!t && strchr(link->url, '%')) {
		/* written percent-encoded, as GitHub shows non-ASCII slugs */
		char *raw = g_uri_unescape_string(link->url + 1, NULL);
		if (raw)
			t = link_target(c, own, link, raw);
		g_free(raw);
	}
	if (!t) {
		const char *near = link->url[1] ? nearest_target(c, own, link->url + 1) : NULL;
		if (near)
			gb_error(c->d, link->loc, "link target '%s' matches no heading or "
				 "note; did you mean '#%s'?", link->url, near);
		else
			gb_error(c->d, link->loc, "link target '%s' matches no heading or note",
				 link->url);
		return true;
	}
	/* the link goes to that node's id, unique in the book */
	link->target = t;
	g_free(link->url);
	link->url = g_strconcat("#", t->id, NULL);
	return true;
}

static void add_toc(gb_book *book, int level, const gb_node *part,
		    const gb_node *heading)
{
	gb_toc_entry *e = g_new0(gb_toc_entry, 1);
	e->level = level;
	e->part = part;
	e->heading = heading;
	e->label = level == 1 && part->label ? g_strdup(part->label) : NULL;
	e->title = gb_node_text(heading);
	g_ptr_array_add(book->toc, e);
}

/* ---- a file of several chapters ---- */

static bool noterefs_of_fn(const gb_node *n, bool entering, void *ctx)
{
	if (entering && n->kind == GB_NODE_NOTEREF && n->target)
		g_ptr_array_add(ctx, n->target);
	return true;
}

/*
 * Moves into part, after its blocks, the notes of notes (FOOTNOTE nodes,
 * detached) that its text references first, in the order of their first
 * reference (and the notes that those notes reference, after them).
 * Each note placed is removed from notes.
 */
static void place_notes(gb_node *part, GHashTable *notes)
{
	GPtrArray *refs = g_ptr_array_new();
	for (gb_node *b = part->first; b; b = b->next)
		gb_node_walk(b, noterefs_of_fn, refs);
	for (guint i = 0; i < refs->len; i++) {
		gb_node *fn = g_ptr_array_index(refs, i);
		if (!g_hash_table_remove(notes, fn))
			continue;  /* placed already */
		gb_node_append(part, fn);
		gb_node_walk(fn, noterefs_of_fn, refs);
	}
	g_ptr_array_free(refs, TRUE);
}

/*
 * A part whose file holds several level-1 headings (a manuscript
 * converted from a word processor, a chapter a '#') becomes a part per
 * level-1 heading, of the same file, kind and language, in order: each is
 * a chapter (or appendix...) of its own, in the contents, on a new page in
 * print and a document of its own in the EPUB.  What comes before the
 * second title stays with the first.  Each note goes with the part of its
 * first reference.
 */
static void split_part(gb_node *p)
{
	int titles = 0;
	for (gb_node *b = p->first; b; b = b->next)
		titles += b->kind == GB_NODE_HEADING && b->level == 1;
	if (titles < 2)
		return;
	GHashTable *notes = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *order = g_ptr_array_new();  /* the notes, as they were */
	for (gb_node *b = p->first, *next; b; b = next) {
		next = b->next;
		if (b->kind == GB_NODE_FOOTNOTE) {
			gb_node_unlink(b);
			g_hash_table_add(notes, b);
			g_ptr_array_add(order, b);
		}
	}
	gb_node *cur = p;
	bool titled = false;
	for (gb_node *b = p->first, *next; b; b = next) {
		next = b->next;
		if (b->kind == GB_NODE_HEADING && b->level == 1) {
			if (titled) {
				gb_node *q = gb_node_new(GB_NODE_PART, b->loc);
				q->part_kind = p->part_kind;
				q->file = p->file;
				q->text = g_strdup(p->text);
				q->lang = g_strdup(p->lang);
				q->target = b;
				if (cur->next)
					gb_node_insert_before(cur->next, q);
				else
					gb_node_append(p->parent, q);
				cur = q;
			}
			titled = true;
		}
		if (cur != p) {
			gb_node_unlink(b);
			gb_node_append(cur, b);
		}
	}
	for (gb_node *q = p;; q = q->next) {
		place_notes(q, notes);
		if (q == cur)
			break;
	}
	/* a note referenced nowhere (cut off past the book's limits) */
	for (guint i = 0; i < order->len; i++)
		if (g_hash_table_contains(notes, order->pdata[i]))
			gb_node_append(p, order->pdata[i]);
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(notes);
}

/*
 * Figures: the id written after a figure's image ('{#fig:map}') becomes
 * the figure's, and a figure with a caption gets its number through the
 * book and its label ("Figure 3") in its part's language; both editions
 * show the label when the style's figure.numbered asks.
 */
typedef struct figures_ctx {
	const gb_node *part;
	int count;
} figures_ctx;

static bool figures_fn(const gb_node *n, bool entering, void *ctx)
{
	figures_ctx *c = ctx;
	if (entering && n->kind == GB_NODE_PART)
		c->part = n;
	if (!entering || n->kind != GB_NODE_FIGURE)
		return entering && !gb_node_is_inline(n);
	gb_node *fig = (gb_node *)n, *img = fig->first;
	if (img && img->kind == GB_NODE_IMAGE && img->id_given && img->id) {
		g_free(fig->id);
		fig->id = g_steal_pointer(&img->id);
		fig->id_given = true;
		img->id_given = false;
	}
	if (fig->last && fig->last->kind == GB_NODE_CAPTION) {
		fig->number = ++c->count;
		g_free(fig->label);
		fig->label = gb_figure_label(fig->number, c->part ? c->part->lang : NULL);
	}
	return false;
}

/* An index mark's id ("ix", "ix-1", ...): the place the index links to. */
static void index_id(gb_node *mark, void *ctx)
{
	assign_id(ctx, mark, "ix", "ix");
}

void gb_resolve(gb_book *book, gb_diag *d)
{
	resolve_ctx c = {
		.book = book, .d = d,
		.ids = g_hash_table_new(g_str_hash, g_str_equal),
		.files = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					       file_slugs_free),
		.slugs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)g_ptr_array_unref),
		.given = g_ptr_array_new_with_free_func(g_free),
	};
	int chapters = 0, appendices = 0;

	for (gb_node *p = book->root->first; p; p = p->next)
		split_part(p);
	/* the ids that the headings' attributes give, then the parts':
	   file names, the most stable of the others */
	figures_ctx figures = { NULL, 0 };
	gb_node_walk(book->root, figures_fn, &figures);
	gb_node_walk(book->root, given_ids_fn, &c);
	gb_node_walk(book->root, span_ids_fn, &c);
	gb_node_walk(book->root, given_ascii_fn, &c);
	for (gb_node *p = book->root->first; p; p = p->next) {
		char *base = g_path_get_basename(p->text);
		char *dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = '\0';
		char *slug = gb_slugify(base);
		assign_id(&c, p, slug, "part");
		g_free(slug);
		g_free(base);
		if (p->target && p->target->unnumbered) {
			/* '{.unnumbered}' or '{-}': no number, no letter */
		} else if (p->part_kind == GB_PART_CHAPTER) {
			p->number = ++chapters;
		} else if (p->part_kind == GB_PART_APPENDIX) {
			p->number = ++appendices;
			p->label = gb_appendix_label(p->number, p->lang);
		}
	}
	gb_node_walk(book->root, heading_ids_fn, &c);
	gb_node_walk(book->root, footnotes_fn, &c);
	gb_node_walk(book->root, noterefs_fn, &c);
	gb_node_walk(book->root, links_fn, &c);
	gb_index_build(book, d, index_id, &c);

	for (gb_node *p = book->root->first; p; p = p->next) {
		/* '{.unlisted}' keeps a heading out of the contents (a
		   title, with its sections) */
		if (!p->target || p->target->unlisted)
			continue;
		add_toc(book, 1, p, p->target);
		for (gb_node *b = p->target->next; b; b = b->next)
			if (b->kind == GB_NODE_HEADING && b->level == 2 && !b->unlisted)
				add_toc(book, 2, p, b);
	}
	g_hash_table_destroy(c.ids);
	g_hash_table_destroy(c.files);
	g_hash_table_destroy(c.slugs);
	g_ptr_array_free(c.given, TRUE);
}
