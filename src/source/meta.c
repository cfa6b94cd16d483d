/* meta.c - reading book.yaml with libyaml. */
#include "source/meta.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct meta_ctx {
	gb_book *book;
	const gb_file *file;
	gb_diag *d;
	yaml_document_t *doc;
} meta_ctx;

/* The location of a libyaml mark (0-based line, column in characters). */
static gb_loc mark_loc(const meta_ctx *c, yaml_mark_t mark)
{
	const gb_file *f = c->file;
	if (mark.line >= f->nlines)
		return gb_loc_at(f, f->len);
	const char *p = f->data + f->lines[mark.line];
	const char *end = f->data + f->len;
	for (size_t i = 0; i < mark.column && p < end && *p != '\n'; i++)
		p = g_utf8_next_char(p);
	return gb_loc_at(f, (size_t)(p - f->data));
}

static gb_loc node_loc(const meta_ctx *c, const yaml_node_t *n)
{
	return mark_loc(c, n->start_mark);
}

static const char *node_kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a string";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "empty";
	}
}

/* Whether a scalar is YAML's null: empty, "~" or "null", unquoted. */
static bool scalar_is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return false;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/*
 * The string value of n, stripped of surrounding blanks, or NULL with an
 * error when n is not a non-empty string.
 */
static char *get_string(meta_ctx *c, const char *key, const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE) {
		gb_error(c->d, node_loc(c, n), "'%s' must be a string, not %s",
			 key, node_kind_name(n));
		return NULL;
	}
	if (scalar_is_null(n)) {
		gb_error(c->d, node_loc(c, n), "'%s' is empty", key);
		return NULL;
	}
	char *s = g_strstrip(g_strdup((const char *)n->data.scalar.value));
	if (!*s) {
		gb_error(c->d, node_loc(c, n), "'%s' is empty", key);
		g_free(s);
		return NULL;
	}
	return s;
}

size_t gb_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = g_new(size_t, lb + 1);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t r = row[lb];
	g_free(row);
	return r;
}

/* The known name nearest to s, or NULL when none is close. */
static const char *nearest(const char *s, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; known[i]; i++) {
		size_t dist = gb_edit_distance(s, known[i]);
		if (dist < best_d) {
			best_d = dist;
			best = known[i];
		}
	}
	size_t len = strlen(s);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	return best_d <= limit ? best : NULL;
}

const char *gb_nearest_name(const char *s, const char *const *known)
{
	return nearest(s, known);
}

static void unknown_key(meta_ctx *c, const yaml_node_t *k, const char *where,
			const char *const *known)
{
	const char *key = (const char *)k->data.scalar.value;
	const char *near = nearest(key, known);
	if (near)
		gb_warning(c->d, node_loc(c, k),
			   "unknown key '%s'%s; did you mean '%s'?", key, where,
			   near);
	else
		gb_warning(c->d, node_loc(c, k), "unknown key '%s'%s", key,
			   where);
}

/*
 * Calls fn for each key of a mapping, after reporting keys that are not
 * strings and keys given twice.  Returns false if n is not a mapping.
 */
typedef void (*pair_fn)(meta_ctx *c, const char *key, const yaml_node_t *k,
			const yaml_node_t *v, void *arg);

static bool each_pair(meta_ctx *c, const yaml_node_t *n, const char *what,
		      pair_fn fn, void *arg)
{
	if (n->type != YAML_MAPPING_NODE) {
		gb_error(c->d, node_loc(c, n), "%s must be a mapping, not %s",
			 what, node_kind_name(n));
		return false;
	}
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			gb_error(c->d, node_loc(c, k), "a key in %s is %s, not a string",
				 what, node_kind_name(k));
			continue;
		}
		const char *key = (const char *)k->data.scalar.value;
		const yaml_node_t *first = g_hash_table_lookup(seen, key);
		if (first) {
			gb_error(c->d, node_loc(c, k), "duplicate key '%s'", key);
			gb_note(c->d, node_loc(c, first), "'%s' is first given here", key);
			continue;
		}
		g_hash_table_insert(seen, (gpointer)key, (gpointer)k);
		fn(c, key, k, v, arg);
	}
	g_hash_table_destroy(seen);
	return true;
}

/* ---- identifiers ---- */

char *gb_derive_identifier(const char *title, const GPtrArray *authors)
{
	/* RFC 4122 version 5, in the URL namespace, of a gsi-book name */
	static const guint8 ns_url[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	GString *name = g_string_new("gsi-book:");
	g_string_append(name, title ? title : "");
	for (guint i = 0; authors && i < authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(authors, i);
		g_string_append_c(name, '\n');
		g_string_append(name, a->name);
	}
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(sum, ns_url, sizeof ns_url);
	g_checksum_update(sum, (const guchar *)name->str, name->len);
	guint8 h[20];
	gsize hlen = sizeof h;
	g_checksum_get_digest(sum, h, &hlen);
	g_checksum_free(sum);
	g_string_free(name, TRUE);
	h[6] = (guint8)((h[6] & 0x0f) | 0x50);
	h[8] = (guint8)((h[8] & 0x3f) | 0x80);
	return g_strdup_printf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			       "%02x%02x-%02x%02x%02x%02x%02x%02x",
			       h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
			       h[8], h[9], h[10], h[11], h[12], h[13], h[14],
			       h[15]);
}

/* ---- authors ---- */

static const struct {
	const char *name;
	const char *code;
} roles[] = {
	{ "author", "aut" },      { "editor", "edt" },
	{ "translator", "trl" },  { "illustrator", "ill" },
	{ "contributor", "ctb" }, { "compiler", "com" },
	{ "photographer", "pht" }, { "introduction", "aui" },
	{ "foreword", "wfw" },    { "afterword", "aft" },
	{ "narrator", "nrt" },    { "designer", "dsr" },
};

const char *gb_role_code(size_t i)
{
	return i < G_N_ELEMENTS(roles) ? roles[i].code : NULL;
}

static const char *const role_names[] = {
	"author", "editor", "translator", "illustrator", "contributor",
	"compiler", "photographer", "introduction", "foreword", "afterword",
	"narrator", "designer", NULL,
};

static const char *const author_keys[] = { "name", "role", "affiliation", "file-as", NULL };

/* An author being read, and whether it gave a 'name' (right or wrong). */
typedef struct author_parse {
	gb_creator *a;
	bool named;
} author_parse;

static void author_pair(meta_ctx *c, const char *key, const yaml_node_t *k,
			const yaml_node_t *v, void *arg)
{
	author_parse *ap = arg;
	gb_creator *a = ap->a;
	if (!strcmp(key, "name")) {
		ap->named = true;
		a->name = get_string(c, "name", v);
	} else if (!strcmp(key, "affiliation")) {
		a->affiliation = get_string(c, "affiliation", v);
	} else if (!strcmp(key, "file-as")) {
		g_free(a->file_as);
		a->file_as = get_string(c, "file-as", v);
		if (a->file_as && !*g_strstrip(a->file_as)) {
			gb_error(c->d, node_loc(c, v),
				 "empty 'file-as' (the name as sorted, such as 'Jiang, Wei')");
			g_clear_pointer(&a->file_as, g_free);
		}
	} else if (!strcmp(key, "role")) {
		char *r = get_string(c, "role", v);
		if (!r)
			return;
		for (size_t i = 0; i < G_N_ELEMENTS(roles); i++)
			if (!g_ascii_strcasecmp(r, roles[i].name) ||
			    !g_ascii_strcasecmp(r, roles[i].code))
				a->role = g_strdup(roles[i].code);
		if (!a->role) {
			const char *near = nearest(r, role_names);
			if (near)
				gb_error(c->d, node_loc(c, v),
					 "unknown role '%s'; did you mean '%s'?",
					 r, near);
			else
				gb_error(c->d, node_loc(c, v),
					 "unknown role '%s' (known: author, editor, translator, illustrator, contributor, ...)",
					 r);
		}
		g_free(r);
	} else {
		unknown_key(c, k, " in an author", author_keys);
	}
}

static void add_author(meta_ctx *c, const yaml_node_t *n)
{
	gb_creator *a = g_new0(gb_creator, 1);
	a->loc = node_loc(c, n);
	if (n->type == YAML_SCALAR_NODE) {
		a->name = get_string(c, "author", n);
	} else {
		author_parse ap = { a, false };
		if (each_pair(c, n, "an author", author_pair, &ap) && !ap.named)
			gb_error(c->d, a->loc, "author has no 'name'");
	}
	if (!a->name) {
		g_free(a->role);
		g_free(a->affiliation);
		g_free(a->file_as);
		g_free(a);
		return;
	}
	if (!a->role)
		a->role = g_strdup("aut");
	g_ptr_array_add(c->book->meta.authors, a);
}

static void parse_authors(meta_ctx *c, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		add_author(c, v);
		return;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++)
		add_author(c, yaml_document_get_node(c->doc, *it));
}

static void parse_subjects(meta_ctx *c, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		char *s = get_string(c, "subject", v);
		if (s)
			g_ptr_array_add(c->book->meta.subjects, s);
		return;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		char *s = get_string(c, "subject",
				     yaml_document_get_node(c->doc, *it));
		if (s)
			g_ptr_array_add(c->book->meta.subjects, s);
	}
}

/* ---- parts ---- */

static const char *const part_keys[] = { "file", "kind", "lang", "short-title", NULL };
static const char *const kind_names[] = {
	"frontmatter", "chapter", "appendix", "backmatter", "index", NULL,
};

typedef struct part_parse {
	gb_part_src *part;
	bool kind_ok;
	bool index;               /* '- kind: index': the generated index */
} part_parse;

static void check_lang(meta_ctx *c, const char *tag, const yaml_node_t *v)
{
	if (gb_lang_tag_valid(tag))
		return;
	if (strchr(tag, '_')) {
		char *fixed = g_strdelimit(g_strdup(tag), "_", '-');
		gb_error(c->d, node_loc(c, v),
			 "invalid language tag '%s'; did you mean '%s'?", tag,
			 fixed);
		g_free(fixed);
	} else {
		gb_error(c->d, node_loc(c, v),
			 "invalid language tag '%s' (expected BCP 47, such as 'en', 'kk' or 'en-GB')",
			 tag);
	}
}

static void part_pair(meta_ctx *c, const char *key, const yaml_node_t *k,
		      const yaml_node_t *v, void *arg)
{
	part_parse *pp = arg;
	gb_part_src *p = pp->part;
	if (!strcmp(key, "file")) {
		p->file = get_string(c, "file", v);
		p->loc = node_loc(c, v);  /* messages point at the name */
	} else if (!strcmp(key, "kind")) {
		char *kind = get_string(c, "kind", v);
		if (!kind) {
			pp->kind_ok = false;
			return;
		}
		int kk = gb_part_kind_from_name(kind);
		if (!strcmp(kind, "index")) {
			pp->index = true;
		} else if (kk < 0) {
			const char *near = nearest(kind, kind_names);
			pp->kind_ok = false;
			if (near)
				gb_error(c->d, node_loc(c, v),
					 "unknown part kind '%s'; did you mean '%s'?",
					 kind, near);
			else
				gb_error(c->d, node_loc(c, v),
					 "unknown part kind '%s' (expected frontmatter, chapter, appendix, backmatter or index)",
					 kind);
		} else {
			p->kind = (gb_part_kind)kk;
		}
		g_free(kind);
	} else if (!strcmp(key, "lang")) {
		char *lang = get_string(c, "lang", v);
		if (lang)
			check_lang(c, lang, v);
		p->lang = lang;
	} else if (!strcmp(key, "short-title")) {
		g_free(p->short_title);
		p->short_title = get_string(c, "short-title", v);
	} else {
		unknown_key(c, k, " in a part", part_keys);
	}
}

/*
 * '- kind: index': the index gsi-book makes of the text's marks
 * ('[term]{.index}'), after every other part: it has no file.
 */
static void index_part(meta_ctx *c, gb_part_src *p, bool more)
{
	if (p->file)
		gb_error(c->d, p->loc, "the index part has no file: gsi-book makes the "
			 "index of the entries the text marks ([term]{.index}); remove 'file'");
	else if (more)
		gb_error(c->d, p->loc, "the index part must be the last of 'parts'");
	else if (c->book->has_index)
		gb_error(c->d, p->loc, "the book has one index part");
	/* (asked for, even when wrongly: the marks are no news) */
	if (!c->book->has_index)
		c->book->index_loc = p->loc;
	c->book->has_index = true;
	g_free(p->file);
	p->file = NULL;  /* not read as a part */
}

static void parse_parts(meta_ctx *c, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		gb_error(c->d, node_loc(c, v), "'parts' must be a list, not %s",
			 node_kind_name(v));
		return;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		const yaml_node_t *n = yaml_document_get_node(c->doc, *it);
		gb_part_src *p = g_new0(gb_part_src, 1);
		part_parse pp = { p, true, false };
		p->kind = GB_PART_CHAPTER;
		p->loc = node_loc(c, n);
		if (n->type == YAML_SCALAR_NODE)
			p->file = get_string(c, "file", n);
		else if (each_pair(c, n, "a part", part_pair, &pp) && !p->file && !pp.index)
			gb_error(c->d, p->loc, "part has no 'file'");
		if (pp.index)
			index_part(c, p, it + 1 < v->data.sequence.items.top);
		if (!p->file || !pp.kind_ok) {
			g_free(p->file);
			g_free(p->lang);
			g_free(p);
			continue;
		}
		g_ptr_array_add(c->book->part_srcs, p);
	}
	if (v->data.sequence.items.start == v->data.sequence.items.top)
		gb_error(c->d, node_loc(c, v), "'parts' is empty: list the book's files");
}

/* ---- ISBNs (gb_isbn_digits: values.c) ---- */

static void read_isbn(meta_ctx *c, const char *key, const yaml_node_t *v,
		      char **digits, char **text)
{
	*text = get_string(c, key, v);
	if (!*text)
		return;
	const char *why = NULL;
	*digits = gb_isbn_digits(*text, &why);
	if (!*digits)
		gb_error(c->d, node_loc(c, v), "invalid %s '%s': %s", key, *text, why);
}

/* ---- the top level ---- */

/* 'modified': YYYY-MM-DDThh:mm[:ss[.f]] and a zone (Z, +hh:mm), into *t
   (seconds, UTC) */
static bool parse_modified(const char *s, gint64 *t)
{
	size_t len = strlen(s);
	if (len <= 16 || (s[10] != 'T' && s[10] != 't') || !gb_date_valid(s))
		return false;
	GDateTime *dt = g_date_time_new_from_iso8601(s, NULL);
	if (!dt && s[13] == ':' && s[16] != ':') {
		char *full = g_strdup_printf("%.16s:00%s", s, s + 16);
		dt = g_date_time_new_from_iso8601(full, NULL);
		g_free(full);
	}
	if (!dt)
		return false;
	gint64 v = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	if (v < GB_TIME_MIN || v > GB_TIME_MAX)
		return false;
	*t = v;
	return true;
}

/*
 * Whether s is a version as Apple Books reads ibooks:version: one to three
 * whole numbers separated by dots ("1", "1.0", "2.1.3"), each of at most
 * nine digits.
 */
static bool version_valid(const char *s)
{
	int parts = 0;
	for (const char *p = s;; p++) {
		const char *start = p;
		while (g_ascii_isdigit(*p))
			p++;
		if (p == start || p - start > 9 || ++parts > 3)
			return false;
		if (!*p)
			return true;
		if (*p != '.')
			return false;
	}
}

static const char *const book_keys[] = {
	"title", "subtitle", "short-title", "author", "lang", "date", "publisher", "rights",
	"description", "subject", "identifier", "source", "cover-image",
	"accessibility", "modified", "isbn", "print-isbn", "version", "parts", NULL,
};

static const char *const accessibility_keys[] = {
	"certified-by", "certifier-credential", NULL,
};

/* A key of 'accessibility': who certified the e-book (a11y:certifiedBy)
   and their credential (a11y:certifierCredential). */
static void accessibility_pair(meta_ctx *c, const char *key, const yaml_node_t *k,
			       const yaml_node_t *v, void *arg)
{
	gb_meta *m = arg;
	char **field = !strcmp(key, "certified-by") ? &m->certified_by :
		       !strcmp(key, "certifier-credential") ? &m->certifier_credential : NULL;
	if (!field) {
		unknown_key(c, k, " in 'accessibility'", accessibility_keys);
		return;
	}
	*field = get_string(c, key, v);
}

static void parse_accessibility(meta_ctx *c, const yaml_node_t *v)
{
	gb_meta *m = &c->book->meta;
	if (!each_pair(c, v, "'accessibility'", accessibility_pair, m))
		return;
	if (m->certifier_credential && !m->certified_by)
		gb_error(c->d, node_loc(c, v), "'accessibility' has a 'certifier-credential' "
			 "but no 'certified-by' (who certified the book)");
}

typedef struct top_parse {
	bool have_title, have_lang, have_parts;  /* given, right or wrong */
} top_parse;

static void top_pair(meta_ctx *c, const char *key, const yaml_node_t *k,
		     const yaml_node_t *v, void *arg)
{
	top_parse *tp = arg;
	gb_meta *m = &c->book->meta;
	struct {
		const char *key;
		char **field;
	} strings[] = {
		{ "title", &m->title },
		{ "subtitle", &m->subtitle },
		{ "short-title", &m->short_title },
		{ "publisher", &m->publisher },
		{ "rights", &m->rights },
		{ "description", &m->description },
		{ "identifier", &m->identifier },
		{ "source", &m->source },
		{ "cover-image", &m->cover_image },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(strings); i++) {
		if (!strcmp(key, strings[i].key)) {
			*strings[i].field = get_string(c, key, v);
			tp->have_title |= !strcmp(key, "title");
			return;
		}
	}
	if (!strcmp(key, "lang")) {
		tp->have_lang = true;
		m->lang = get_string(c, key, v);
		if (m->lang)
			check_lang(c, m->lang, v);
	} else if (!strcmp(key, "date")) {
		m->date = get_string(c, key, v);
		if (m->date && !gb_date_valid(m->date))
			gb_error(c->d, node_loc(c, v),
				 !strncmp(m->date, "0000", 4) ?
				 "invalid date '%s' (years run from 0001 to 9999)" :
				 "invalid date '%s' (expected ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD)",
				 m->date);
	} else if (!strcmp(key, "modified")) {
		m->modified = get_string(c, key, v);
		if (m->modified) {
			m->have_modified = parse_modified(m->modified, &m->modified_time);
			if (!m->have_modified)
				gb_error(c->d, node_loc(c, v),
					 "invalid modified '%s' (expected an ISO 8601 date and time with its zone, "
					 "such as 2026-03-01T12:00:00Z, in the years 0001 to 9999)",
					 m->modified);
		}
	} else if (!strcmp(key, "version")) {
		m->version = get_string(c, key, v);
		if (m->version && !version_valid(m->version)) {
			gb_error(c->d, node_loc(c, v),
				 "invalid version '%s' (expected whole numbers separated by dots, "
				 "such as 1.0 or 2.1.3: Apple Books compares them)", m->version);
			g_clear_pointer(&m->version, g_free);
		}
	} else if (!strcmp(key, "isbn")) {
		read_isbn(c, key, v, &m->isbn, &m->isbn_text);
	} else if (!strcmp(key, "print-isbn")) {
		read_isbn(c, key, v, &m->print_isbn, &m->print_isbn_text);
	} else if (!strcmp(key, "author")) {
		parse_authors(c, v);
	} else if (!strcmp(key, "subject")) {
		parse_subjects(c, v);
	} else if (!strcmp(key, "accessibility")) {
		parse_accessibility(c, v);
	} else if (!strcmp(key, "parts")) {
		tp->have_parts = true;
		parse_parts(c, v);
	} else {
		unknown_key(c, k, "", book_keys);
	}
}

static void report_yaml_error(meta_ctx *c, const yaml_parser_t *p)
{
	/*
	 * A scanner error names what it was scanning ("a quoted scalar") and
	 * where that started, which is where the mistake is (an unclosed
	 * quote); a parser error is best shown where it was found.
	 */
	yaml_mark_t mark = p->error == YAML_SCANNER_ERROR && p->context ?
			   p->context_mark : p->problem_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->context)
		gb_error(c->d, mark_loc(c, mark), "invalid YAML: %s %s", problem,
			 p->context);
	else
		gb_error(c->d, mark_loc(c, mark), "invalid YAML: %s", problem);
}

/*
 * Reports each YAML alias (*name) in the file: book.yaml has no use for
 * them, and an alias of an alias of a list can stand for billions of
 * values.  True when there is one (or the events cannot be read, which
 * the loader then reports).
 */
static bool has_aliases(meta_ctx *c)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)c->file->data, c->file->len);
	guint found = 0;
	gb_loc first = gb_noloc();
	char *name = NULL;
	for (bool done = false; !done;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e))
			break;
		if (e.type == YAML_ALIAS_EVENT && !found++) {
			first = mark_loc(c, e.start_mark);
			name = g_strdup((const char *)e.data.alias.anchor);
		}
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	if (found == 1)
		gb_error(c->d, first, "YAML alias '*%s': book.yaml takes no aliases, "
			 "write the value out", name);
	else if (found > 1)
		gb_error(c->d, first, "YAML alias '*%s' and %u more: book.yaml takes "
			 "no aliases, write the values out", name, found - 1);
	g_free(name);
	return found > 0;
}

bool gb_meta_parse(gb_book *book, const gb_file *f, gb_diag *d)
{
	bool ok = false;
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc = false;
	meta_ctx c = { book, f, d, &doc };

	if (!yaml_parser_initialize(&parser)) {
		gb_error(d, gb_loc_at(f, GB_NOPOS), "cannot start the YAML parser");
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	if (has_aliases(&c))
		goto out;
	if (!yaml_parser_load(&parser, &doc)) {
		report_yaml_error(&c, &parser);
		goto out;
	}
	have_doc = true;
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		gb_error(d, gb_loc_at(f, GB_NOPOS),
			 "book.yaml is empty: it needs at least 'title', 'lang' and 'parts'");
		goto out;
	}
	/* a second document would be silently ignored: say so */
	yaml_document_t extra;
	if (yaml_parser_load(&parser, &extra)) {
		const yaml_node_t *r2 = yaml_document_get_root_node(&extra);
		if (r2)
			gb_error(d, mark_loc(&c, r2->start_mark),
				 "book.yaml holds a second YAML document; put everything in one");
		yaml_document_delete(&extra);
	} else {
		report_yaml_error(&c, &parser);
		goto out;
	}
	top_parse tp = { 0 };
	if (!each_pair(&c, root, "book.yaml", top_pair, &tp))
		goto out;
	gb_meta *m = &book->meta;
	gb_loc top = node_loc(&c, root);
	/* (a key given with a wrong value was reported where it is) */
	if (!tp.have_title)
		gb_error(d, top, "book.yaml has no 'title'");
	if (!tp.have_lang)
		gb_error(d, top, "book.yaml has no 'lang' (the book's language, such as 'en')");
	if (!tp.have_parts)
		gb_error(d, top, "book.yaml has no 'parts' (the list of the book's files)");
	if (!m->identifier && m->isbn) {
		/* the EPUB's ISBN is its unique identifier */
		m->identifier = g_strconcat("urn:isbn:", m->isbn, NULL);
	}
	if (!m->identifier && m->title) {
		m->identifier = gb_derive_identifier(m->title, m->authors);
		m->identifier_derived = true;
	}
	ok = true;
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ok;
}

/* The time of the last commit touching dir, when dir lies in a git work
   tree and git is installed: git is run with an argv, without a shell */
static bool git_commit_time(const char *dir, gint64 *t)
{
	const char *argv[] = { "git", "-C", dir && *dir ? dir : ".", "log", "-1",
			 "--format=%ct", "--", ".", NULL };
	char *out = NULL;
	int status = 0;
	bool ok = false;
	if (g_spawn_sync(NULL, (char **)(void *)argv, NULL,
			 G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			 NULL, NULL, &out, NULL, &status, NULL) &&
	    g_spawn_check_wait_status(status, NULL) && out) {
		g_strstrip(out);
		gint64 v = 0;
		ok = *out && g_ascii_string_to_signed(out, 10, GB_TIME_MIN, GB_TIME_MAX,
						      &v, NULL);
		if (ok)
			*t = v;
	}
	g_free(out);
	return ok;
}

bool gb_meta_timestamp(const gb_book *book, gb_diag *d, gint64 *t)
{
	const gb_meta *m = &book->meta;
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		/* an integer as 'date +%s' prints it: before 1970 it is
		   negative */
		gint64 v = 0;
		GError *err = NULL;
		if (!g_ascii_string_to_signed(sde, 10, G_MININT64, G_MAXINT64, &v, &err)) {
			gb_error(d, gb_noloc(),
				 "SOURCE_DATE_EPOCH '%s' is not a number of seconds", sde);
			g_error_free(err);
			return false;
		}
		if (v < GB_TIME_MIN || v > GB_TIME_MAX) {
			gb_error(d, gb_noloc(),
				 "SOURCE_DATE_EPOCH '%s' lies outside the years 0001 to 9999 (%" G_GINT64_FORMAT
				 " to %" G_GINT64_FORMAT " seconds)", sde, GB_TIME_MIN, GB_TIME_MAX);
			return false;
		}
		*t = v;
		return true;
	}
	if (m->have_modified) {
		*t = m->modified_time;
		return true;
	}
	if (git_commit_time(book->dir, t))
		return true;
	int y = 1980, mo = 1, day = 1;
	if (m->date && gb_date_valid(m->date)) {
		y = atoi(m->date);
		if (strlen(m->date) >= 7)
			mo = atoi(m->date + 5);
		if (strlen(m->date) >= 10)
			day = atoi(m->date + 8);
	}
	GDateTime *dt = g_date_time_new_utc(y, mo, day, 0, 0, 0);
	if (!dt) {
		/* gb_date_valid() let through a day GLib cannot hold */
		gb_error(d, gb_noloc(), "cannot date the book '%s' (%04d-%02d-%02d)",
			 m->date ? m->date : "", y, mo, day);
		return false;
	}
	*t = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	gb_warning(d, book->files->len ? gb_loc_at(book->files->pdata[0], 0) : gb_noloc(),
		   "the editions are stamped as last modified on %04d-%02d-%02d, the book's date: "
		   "set 'modified' in book.yaml (2026-03-01T12:00:00Z), or SOURCE_DATE_EPOCH, "
		   "or keep the book in git, whose last commit then dates them", y, mo, day);
	return true;
}

/*
 * The calendar time of t (UTC) in the fields of fmt, a four-digit year
 * first; false when t lies outside the years 0001 to 9999.
 */
static bool format_time(gint64 t, const char *fmt, char out[GB_TIME_LEN])
{
	out[0] = '\0';
	if (t < GB_TIME_MIN || t > GB_TIME_MAX)
		return false;
	GDateTime *dt = g_date_time_new_from_unix_utc(t);
	if (!dt)
		return false;
	/* (g_date_time_format's %Y does not pad a year before 1000) */
	g_snprintf(out, GB_TIME_LEN, fmt, g_date_time_get_year(dt),
		   g_date_time_get_month(dt), g_date_time_get_day_of_month(dt),
		   g_date_time_get_hour(dt), g_date_time_get_minute(dt),
		   g_date_time_get_second(dt));
	g_date_time_unref(dt);
	return true;
}

bool gb_time_iso8601(gint64 t, char out[GB_TIME_LEN])
{
	return format_time(t, "%04d-%02d-%02dT%02d:%02d:%02dZ", out);
}

bool gb_time_pdf(gint64 t, char out[GB_TIME_LEN])
{
	/* Poppler (pdfinfo, Evince, Okular) takes a date of a year before
	   1930 longer than 14 digits for Distiller 3's year 2000 bug
	   ("D:191000101..." for 2000) and shows 1818-01-01 as 1980-10-10;
	   such a date goes without its zone, which the PDF's grammar lets
	   go (the XMP keeps it) */
	if (t < G_GINT64_CONSTANT(-1262304000))   /* 1930-01-01T00:00:00Z */
		return format_time(t, "D:%04d%02d%02d%02d%02d%02d", out);
	return format_time(t, "D:%04d%02d%02d%02d%02d%02dZ", out);
}

char *gb_meta_one_line(const char *s)
{
	if (!s)
		return NULL;
	char **lines = g_strsplit(s, "\n", -1);
	GString *o = g_string_new(NULL);
	for (guint i = 0; lines[i]; i++) {
		g_strstrip(lines[i]);
		if (!*lines[i])
			continue;
		if (o->len)
			g_string_append_c(o, ' ');
		g_string_append(o, lines[i]);
	}
	g_strfreev(lines);
	return g_string_free(o, FALSE);
}
