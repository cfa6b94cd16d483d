/* style.c - styles/style.yaml and the templates that take its values. */
#include "design/style.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct gb_style {
	gb_file *file;
	GHashTable *values;   /* "a.b.c" -> value; both owned */
	GHashTable *where;    /* "a.b.c" -> offset of the value in file */
};

static gb_loc mark_to_loc(const gb_file *f, yaml_mark_t m)
{
	if (m.line >= f->nlines)
		return gb_loc_at(f, f->len);
	const char *p = f->data + f->lines[m.line];
	for (size_t i = 0; i < m.column && *p && *p != '\n'; i++)
		p = g_utf8_next_char(p);
	return gb_loc_at(f, (size_t)(p - f->data));
}

/*
 * Adds the list v (a YAML sequence of values, such as fonts.fallbacks) at
 * key: its items, joined by newlines, as the key's value (gb_style_list()
 * splits them), each item's position at "key[N]".
 */
static bool add_list(gb_style *s, yaml_document_t *doc, yaml_node_t *k,
		     yaml_node_t *v, const char *key, gb_diag *d)
{
	bool ok = true;
	if (g_hash_table_contains(s->values, key)) {
		gb_error(d, mark_to_loc(s->file, k->start_mark),
			 "duplicate style key '%s'", key);
		ok = false;
	}
	GString *joined = g_string_new(NULL);
	int n = 0;
	for (yaml_node_item_t *i = v->data.sequence.items.start;
	     i < v->data.sequence.items.top; i++, n++) {
		yaml_node_t *item = yaml_document_get_node(doc, *i);
		if (!item || item->type != YAML_SCALAR_NODE ||
		    strchr((char *)item->data.scalar.value, '\n') ||
		    !*item->data.scalar.value) {
			gb_error(d, mark_to_loc(s->file, item ? item->start_mark : v->start_mark),
				 "each item of style key '%s' must be a value on one line", key);
			ok = false;
			continue;
		}
		if (joined->len)
			g_string_append_c(joined, '\n');
		g_string_append(joined, (char *)item->data.scalar.value);
		gb_loc at = mark_to_loc(s->file, item->start_mark);
		g_hash_table_insert(s->where, g_strdup_printf("%s[%d]", key, n),
				    GSIZE_TO_POINTER(at.off));
	}
	gb_loc at = mark_to_loc(s->file, v->start_mark);
	g_hash_table_insert(s->where, g_strdup(key), GSIZE_TO_POINTER(at.off));
	g_hash_table_insert(s->values, g_strdup(key), g_string_free(joined, FALSE));
	return ok;
}

/* Flattens mapping n under prefix into s->values. */
static bool flatten(gb_style *s, yaml_document_t *doc, yaml_node_t *n,
		    const char *prefix, gb_diag *d)
{
	bool ok = true;
	if (n->type != YAML_MAPPING_NODE) {
		gb_error(d, mark_to_loc(s->file, n->start_mark),
			 "'%s' must be a mapping", *prefix ? prefix : "the style");
		return false;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE) {
			gb_error(d, mark_to_loc(s->file, n->start_mark),
				 "a key in the style is not a string");
			ok = false;
			continue;
		}
		char *key = *prefix ? g_strconcat(prefix, ".", (char *)k->data.scalar.value, NULL)
				    : g_strdup((char *)k->data.scalar.value);
		if (v->type == YAML_MAPPING_NODE) {
			ok = flatten(s, doc, v, key, d) && ok;
			g_free(key);
		} else if (v->type == YAML_SCALAR_NODE) {
			if (g_hash_table_contains(s->values, key)) {
				gb_error(d, mark_to_loc(s->file, k->start_mark),
					 "duplicate style key '%s'", key);
				ok = false;
			}
			gb_loc at = mark_to_loc(s->file, v->start_mark);
			g_hash_table_insert(s->where, g_strdup(key), GSIZE_TO_POINTER(at.off));
			g_hash_table_insert(s->values, key,
					    g_strdup((char *)v->data.scalar.value));
		} else if (v->type == YAML_SEQUENCE_NODE) {
			ok = add_list(s, doc, k, v, key, d) && ok;
			g_free(key);
		} else {
			gb_error(d, mark_to_loc(s->file, v->start_mark),
				 "style key '%s' must be a value or a mapping", key);
			g_free(key);
			ok = false;
		}
	}
	return ok;
}

GList *gb_style_values(const gb_style *s)
{
	return g_hash_table_get_values(s->values);
}

gb_style *gb_style_load(const char *path, gb_diag *d)
{
	int e = 0;
	gb_file *f = gb_file_read(path, path, &e);
	if (!f) {
		gb_error(d, gb_noloc(), "cannot read the style '%s': %s", path,
			 g_strerror(e));
		return NULL;
	}
	f->index = 1000;  /* after the book's files */
	gb_style *s = g_new0(gb_style, 1);
	s->file = f;
	s->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->where = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	yaml_parser_t parser;
	yaml_document_t doc;
	bool ok = false;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
	if (!yaml_parser_load(&parser, &doc)) {
		gb_error(d, mark_to_loc(f, parser.problem_mark), "invalid YAML: %s",
			 parser.problem ? parser.problem : "syntax error");
	} else {
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		ok = root && flatten(s, &doc, root, "", d);
		if (!root)
			gb_error(d, gb_loc_at(f, GB_NOPOS), "the style is empty");
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (!ok) {
		/* the messages point into the file: print them before it goes */
		gb_diag_flush(d);
		gb_style_free(s);
		return NULL;
	}
	return s;
}

void gb_style_free(gb_style *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->values);
	g_hash_table_destroy(s->where);
	gb_file_free(s->file);
	g_free(s);
}

const char *gb_style_text(const gb_style *s)
{
	return s->file->data;
}

const char *gb_style_get(const gb_style *s, const char *key)
{
	return g_hash_table_lookup(s->values, key);
}

const char *gb_style_need(const gb_style *s, const char *key, gb_diag *d)
{
	const char *v = gb_style_get(s, key);
	if (!v)
		gb_error(d, gb_loc_at(s->file, GB_NOPOS),
			 "the style has no '%s'", key);
	return v;
}

char **gb_style_list(const gb_style *s, const char *key)
{
	const char *v = gb_style_get(s, key);
	return g_strsplit(v ? v : "", "\n", -1);
}

gb_loc gb_style_loc(const gb_style *s, const char *key, int item)
{
	char *k = item >= 0 ? g_strdup_printf("%s[%d]", key, item) : g_strdup(key);
	gpointer off;
	gb_loc ret = gb_loc_at(s->file, GB_NOPOS);
	if (g_hash_table_lookup_extended(s->where, k, NULL, &off))
		ret = gb_loc_at(s->file, GPOINTER_TO_SIZE(off));
	g_free(k);
	return ret;
}

static gb_loc value_loc(const gb_style *s, const char *key)
{
	gpointer off;
	if (g_hash_table_lookup_extended(s->where, key, NULL, &off))
		return gb_loc_at(s->file, GPOINTER_TO_SIZE(off));
	return gb_loc_at(s->file, GB_NOPOS);
}

double gb_style_number(const gb_style *s, const char *key, gb_diag *d)
{
	const char *v = gb_style_need(s, key, d);
	if (!v)
		return NAN;
	char *end;
	double x = g_ascii_strtod(v, &end);
	if (end == v || !isfinite(x)) {
		gb_error(d, value_loc(s, key), "style '%s' must be a number, not '%s'",
			 key, v);
		return NAN;
	}
	return x;
}

bool gb_style_in_range(const gb_style *s, const char *key, double x, double lo,
		       double hi, const char *what, gb_diag *d)
{
	if (x >= lo && x <= hi)
		return true;
	gb_error(d, value_loc(s, key), "style '%s' must be %s, not '%s'", key, what,
		 gb_style_get(s, key));
	return false;
}

double gb_parse_length(const char *text, double em)
{
	static const struct {
		const char *unit;
		double points;   /* per unit; 0: ems */
	} units[] = {
		{ "pt", 1.0 }, { "mm", 72.0 / 25.4 }, { "cm", 72.0 / 2.54 },
		{ "in", 72.0 }, { "em", 0.0 }, { "", 1.0 },
	};
	char *end;
	double x = g_ascii_strtod(text, &end);
	if (end == text || !isfinite(x))
		return NAN;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (!strcmp(end, units[i].unit))
			return units[i].points ? x * units[i].points : x * em;
	return NAN;
}

double gb_style_length(const gb_style *s, const char *key, double em,
		       gb_diag *d)
{
	const char *v = gb_style_need(s, key, d);
	if (!v)
		return NAN;
	double x = gb_parse_length(v, em);
	if (isnan(x))
		gb_error(d, value_loc(s, key),
			 "style '%s' must be a length such as '12pt', '18mm', '0.5in' or '1.5em', not '%s'",
			 key, v);
	return x;
}

bool gb_style_colour(const gb_style *s, const char *key, double rgb[3],
		     gb_diag *d)
{
	const char *v = gb_style_need(s, key, d);
	if (!v)
		return false;
	bool ok = strlen(v) == 7 && v[0] == '#';
	for (int i = 1; ok && i < 7; i++)
		ok = g_ascii_isxdigit(v[i]);
	if (!ok) {
		gb_error(d, value_loc(s, key),
			 "style '%s' must be a colour '#rrggbb', not '%s'", key, v);
		return false;
	}
	for (int i = 0; i < 3; i++)
		rgb[i] = (g_ascii_xdigit_value(v[1 + 2 * i]) * 16 +
			  g_ascii_xdigit_value(v[2 + 2 * i])) / 255.0;
	return true;
}

char *gb_style_expand(const gb_style *s, const char *template_path,
		      GHashTable *extra, gb_diag *d)
{
	int e = 0;
	gb_file *t = gb_file_read(template_path, template_path, &e);
	if (!t) {
		gb_error(d, gb_noloc(), "cannot read '%s': %s", template_path,
			 g_strerror(e));
		return NULL;
	}
	t->index = 1001;
	GString *out = g_string_new(NULL);
	bool ok = true;
	const char *p = t->data;
	for (const char *at; (at = strstr(p, "@{")); ) {
		g_string_append_len(out, p, at - p);
		const char *end = strchr(at, '}');
		if (!end) {
			p = at;
			break;
		}
		char *key = g_strndup(at + 2, (gsize)(end - at - 2));
		const char *v = extra ? g_hash_table_lookup(extra, key) : NULL;
		if (!v)
			v = gb_style_get(s, key);
		if (v) {
			g_string_append(out, v);
		} else {
			gb_error(d, gb_loc_at(t, (size_t)(at - t->data)),
				 "unknown style key '%s'", key);
			ok = false;
		}
		g_free(key);
		p = end + 1;
	}
	g_string_append(out, p);
	/* report now: t is freed below */
	gb_diag_flush(d);
	gb_file_free(t);
	if (!ok) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}
