/*
 * faces.c - which face of the book's fonts each character of the e-book is
 * drawn in (ep.h): the written documents read with libxml2, each
 * element's font-family, font-weight and font-style cascaded from the
 * stylesheet's rules as a reading system does, each character given to
 * the first family of its element's list that has it, and to that
 * family's face the reading system would pick for the weight and style.
 * A face no text is set in is not embedded; a face is cut down to its
 * own characters.  Selectors read: types, classes, attributes (= ~= |=
 * ^= $= *=), :first-child, :last-child, the descendant, child and
 * next-sibling combinators; a rule with another pseudo-class, or inside
 * an @-block (@media), is not read.
 */
#include "epub/ep.h"

#include <fontconfig/fontconfig.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* ---- the stylesheet's font rules ---- */

/* One compound selector: a type, classes, attribute values, :first-child,
   :last-child; joined to the one before it (to its left) by comb. */
typedef struct compound {
	char *type;          /* NULL: any */
	GPtrArray *classes;  /* char * */
	GPtrArray *attrs;    /* char *: "name" or "name=value" */
	bool first, last;
	bool never;          /* a pseudo-element or class this cannot match */
	char comb;           /* ' ', '>', '+', or 0 for the first */
} compound;

typedef struct rule {
	GPtrArray *parts;    /* compound *, left to right */
	guint spec;          /* specificity: classes << 8 | types */
	guint order;
	char *family;        /* the font-family list as written, or NULL */
	char *weight, *style;
	char *transform;     /* text-transform, or NULL */
} rule;

static void compound_free(gpointer p)
{
	compound *c = p;
	g_free(c->type);
	g_ptr_array_unref(c->classes);
	g_ptr_array_unref(c->attrs);
	g_free(c);
}

static void rule_free(gpointer p)
{
	rule *r = p;
	g_ptr_array_unref(r->parts);
	g_free(r->family);
	g_free(r->weight);
	g_free(r->style);
	g_free(r->transform);
	g_free(r);
}

static bool name_char(char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_';
}

/* The selector sel parsed into r->parts and r->spec; false when it is
   not one this reads (then the rule is left out). */
static bool parse_selector(const char *sel, rule *r)
{
	r->parts = g_ptr_array_new_with_free_func(compound_free);
	const char *p = sel;
	char comb = 0;
	guint classes = 0, types = 0;
	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (*p == '>' || *p == '+') {
			comb = *p++;
			continue;
		}
		if (!*p)
			break;
		compound *c = g_new0(compound, 1);
		c->classes = g_ptr_array_new_with_free_func(g_free);
		c->attrs = g_ptr_array_new_with_free_func(g_free);
		c->comb = r->parts->len ? (comb ? comb : ' ') : 0;
		comb = 0;
		g_ptr_array_add(r->parts, c);
		if (*p == '*')
			p++;
		const char *s = p;
		while (name_char(*p))
			p++;
		if (p > s) {
			c->type = g_ascii_strdown(s, p - s);
			types++;
		}
		while (*p && *p != ' ' && *p != '>' && *p != '+' && *p != '\n') {
			if (*p == '.') {
				s = ++p;
				while (name_char(*p))
					p++;
				g_ptr_array_add(c->classes, g_strndup(s, p - s));
				classes++;
			} else if (*p == '[') {
				s = ++p;
				while (*p && *p != ']')
					p++;
				if (!*p)
					return false;
				GString *a = g_string_new(NULL);
				for (const char *q = s; q < p; q++)
					if (*q != '"' && *q != '\'')
						g_string_append_c(a, *q);
				g_ptr_array_add(c->attrs, g_string_free(a, FALSE));
				p++;
				classes++;
			} else if (*p == ':') {
				bool element = p[1] == ':';
				s = p += element ? 2 : 1;
				while (name_char(*p))
					p++;
				if (!element && p - s == 11 && !strncmp(s, "first-child", 11))
					c->first = true;
				else if (!element && p - s == 10 && !strncmp(s, "last-child", 10))
					c->last = true;
				else if (!element && p - s == 5 && (!strncmp(s, "hover", 5) ||
								    !strncmp(s, "focus", 5)))
					c->never = true;
				else if (element || !strncmp(s, "after", 5) ||
					 !strncmp(s, "before", 6))
					c->never = true;  /* generated text: not the element's */
				else
					return false;
				classes++;
			} else {
				return false;
			}
		}
	}
	r->spec = classes << 8 | types;
	return r->parts->len > 0;
}

/* value of the declaration prop in decls (one rule's body), or NULL */
static char *decl(const char *decls, const char *prop)
{
	char **all = g_strsplit(decls, ";", -1);
	char *ret = NULL;
	for (char **d = all; *d; d++) {
		char *colon = strchr(*d, ':');
		if (!colon)
			continue;
		char *name = g_strstrip(g_strndup(*d, colon - *d));
		if (!strcmp(name, prop)) {
			g_free(ret);
			ret = g_strstrip(g_strdup(colon + 1));
		}
		g_free(name);
	}
	g_strfreev(all);
	return ret;
}

/* The rules of css that set a font's family, weight or style, in order;
   @-blocks (@font-face, @media) left out. */
static GPtrArray *font_rules(const char *css)
{
	GPtrArray *rules = g_ptr_array_new_with_free_func(rule_free);
	GString *clean = g_string_new(NULL);
	for (const char *p = css; *p; p++) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			if (!end)
				break;
			p = end + 1;
			continue;
		}
		g_string_append_c(clean, *p);
	}
	const char *p = clean->str;
	guint order = 0;
	while (*p) {
		const char *open = strchr(p, '{');
		if (!open)
			break;
		char *prelude = g_strstrip(g_strndup(p, open - p));
		/* the block's end, past any block inside it */
		int depth = 0;
		const char *q = open;
		for (; *q; q++) {
			if (*q == '{')
				depth++;
			else if (*q == '}' && --depth == 0)
				break;
		}
		char *body = g_strndup(open + 1, q - open - 1);
		if (prelude[0] != '@' && !strchr(body, '{')) {
			char *family = decl(body, "font-family");
			char *weight = decl(body, "font-weight");
			char *style = decl(body, "font-style");
			char *transform = decl(body, "text-transform");
			char **sels = (family || weight || style || transform) ?
				g_strsplit(prelude, ",", -1) : NULL;
			for (char **s = sels; s && *s; s++) {
				rule *r = g_new0(rule, 1);
				r->order = order++;
				if (!parse_selector(g_strstrip(*s), r)) {
					rule_free(r);
					continue;
				}
				r->family = g_strdup(family);
				r->weight = g_strdup(weight);
				r->style = g_strdup(style);
				r->transform = g_strdup(transform);
				g_ptr_array_add(rules, r);
			}
			g_strfreev(sels);
			g_free(family);
			g_free(weight);
			g_free(style);
			g_free(transform);
		}
		g_free(body);
		g_free(prelude);
		p = *q ? q + 1 : q;
	}
	g_string_free(clean, TRUE);
	return rules;
}

/* ---- matching ---- */

static bool has_class(xmlNode *n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	bool ret = false;
	if (v) {
		char **words = g_strsplit_set((const char *)v, " \t\n", -1);
		for (char **w = words; *w && !ret; w++)
			ret = !strcmp(*w, cls);
		g_strfreev(words);
		xmlFree(v);
	}
	return ret;
}

/* Whether value v meets [name OP want]: =, ~= (a word), |= (it or its
   start before a hyphen), ^=, $=, *=. */
static bool attr_value(const char *v, char op, const char *want)
{
	size_t vl = strlen(v), wl = strlen(want);
	switch (op) {
	case '~': {
		char **words = g_strsplit_set(v, " \t\n", -1);
		bool ok = g_strv_contains((const char *const *)words, want);
		g_strfreev(words);
		return ok;
	}
	case '|':
		return !strcmp(v, want) || (!strncmp(v, want, wl) && v[wl] == '-');
	case '^':
		return wl && !strncmp(v, want, wl);
	case '$':
		return wl && vl >= wl && !strcmp(v + vl - wl, want);
	case '*':
		return wl && strstr(v, want);
	default:
		return !strcmp(v, want);
	}
}

/* Whether n has the attribute spec selects: "name", or "name=value" with
   = ~= |= ^= $= *=; a namespace prefix (epub|type) by the local name. */
static bool has_attr(xmlNode *n, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char op = eq && eq > spec && strchr("~|^$*", eq[-1]) ? eq[-1] : '=';
	size_t len = eq ? (size_t)(eq - spec) - (op != '=') : strlen(spec);
	char *name = g_strndup(spec, len);
	const char *local = strrchr(name, '|') ? strrchr(name, '|') + 1 : name;
	bool ret = false;
	for (xmlAttr *a = n->properties; a && !ret; a = a->next) {
		if (strcmp((const char *)a->name, local))
			continue;
		xmlChar *v = xmlNodeGetContent((xmlNode *)a);
		ret = !eq || (v && attr_value((const char *)v, op, eq + 1));
		xmlFree(v);
	}
	g_free(name);
	return ret;
}

static xmlNode *prev_element(xmlNode *n)
{
	for (n = n->prev; n; n = n->prev)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static xmlNode *next_element(xmlNode *n)
{
	for (n = n->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static bool match_compound(const compound *c, xmlNode *n)
{
	if (!n || n->type != XML_ELEMENT_NODE || c->never)
		return false;
	if (c->type && strcmp(c->type, (const char *)n->name))
		return false;
	for (guint i = 0; i < c->classes->len; i++)
		if (!has_class(n, c->classes->pdata[i]))
			return false;
	for (guint i = 0; i < c->attrs->len; i++)
		if (!has_attr(n, c->attrs->pdata[i]))
			return false;
	if (c->first && prev_element(n))
		return false;
	if (c->last && next_element(n))
		return false;
	return true;
}

/* Whether parts[0..i] match with parts[i] at n. */
static bool match_from(GPtrArray *parts, guint i, xmlNode *n)
{
	const compound *c = parts->pdata[i];
	if (!match_compound(c, n))
		return false;
	if (i == 0)
		return true;
	switch (c->comb) {
	case '>':
		return n->parent && n->parent->type == XML_ELEMENT_NODE &&
		       match_from(parts, i - 1, n->parent);
	case '+':
		return match_from(parts, i - 1, prev_element(n));
	default:
		for (xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
			if (match_from(parts, i - 1, a))
				return true;
		return false;
	}
}

/* ---- the cascade ---- */

typedef struct font_state {
	char *family;  /* the font-family list as written */
	int weight;
	bool italic;
	char transform;  /* text-transform: 'u'ppercase, 'l'owercase, or 0 */
} font_state;

typedef struct walk {
	epub *e;
	GPtrArray *rules;
	GPtrArray *sets;     /* per font of the set: GHashTable of gunichar */
	GHashTable *lists;   /* family list -> guint array of coverage
			        families, -1 ended */
	FcCharSet **has;     /* per font of the set: its characters */
} walk;

static gint by_cascade(gconstpointer a, gconstpointer b)
{
	const rule *x = *(rule *const *)a, *y = *(rule *const *)b;
	if (x->spec != y->spec)
		return x->spec < y->spec ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The font n's text is set in, its parent's being up. */
static font_state cascade(walk *w, xmlNode *n, font_state up)
{
	const char *name = (const char *)n->name;
	font_state s = up;
	/* the reading system's own styles, below the book's */
	if (strlen(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
		s.weight = 700;
	else if (!strcmp(name, "th") || !strcmp(name, "strong") || !strcmp(name, "b"))
		s.weight = 700;
	else if (!strcmp(name, "em") || !strcmp(name, "i") || !strcmp(name, "cite") ||
		 !strcmp(name, "dfn") || !strcmp(name, "var"))
		s.italic = true;
	GPtrArray *hit = g_ptr_array_new();
	for (guint i = 0; i < w->rules->len; i++) {
		rule *r = w->rules->pdata[i];
		if (match_from(r->parts, r->parts->len - 1, n))
			g_ptr_array_add(hit, r);
	}
	g_ptr_array_sort(hit, by_cascade);
	for (guint i = 0; i < hit->len; i++) {
		const rule *r = hit->pdata[i];
		if (r->family && strcmp(r->family, "inherit"))
			s.family = r->family;
		if (r->weight) {
			if (!strcmp(r->weight, "bold") || !strcmp(r->weight, "bolder"))
				s.weight = 700;
			else if (!strcmp(r->weight, "normal") || !strcmp(r->weight, "lighter"))
				s.weight = 400;
			else if (strcmp(r->weight, "inherit"))
				s.weight = atoi(r->weight) >= 600 ? 700 : 400;
			else
				s.weight = up.weight;
		}
		if (r->style) {
			if (!strcmp(r->style, "inherit"))
				s.italic = up.italic;
			else
				s.italic = strcmp(r->style, "normal") != 0;
		}
		if (r->transform && strcmp(r->transform, "inherit"))
			s.transform = !strcmp(r->transform, "uppercase") ? 'u' :
				      !strcmp(r->transform, "lowercase") ? 'l' : 0;
	}
	g_ptr_array_free(hit, TRUE);
	return s;
}

/* The coverage's families in the list as written ('"A", "B", serif'). */
static const int *families_of(walk *w, const char *list)
{
	int *got = g_hash_table_lookup(w->lists, list);
	if (got)
		return got;
	const gb_coverage *c = w->e->coverage;
	char **names = g_strsplit(list, ",", -1);
	GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
	for (char **p = names; *p; p++) {
		char *name = g_strstrip(*p);
		size_t len = strlen(name);
		if (len >= 2 && (name[0] == '"' || name[0] == '\'')) {
			name[len - 1] = 0;
			name++;
		}
		for (guint k = 0; k < c->n; k++)
			if (!strcmp(c->families[k], name)) {
				int v = (int)k;
				g_array_append_val(a, v);
				break;
			}
	}
	int end = -1;
	g_array_append_val(a, end);
	g_strfreev(names);
	got = (int *)(void *)g_array_free(a, FALSE);
	g_hash_table_insert(w->lists, g_strdup(list), got);
	return got;
}

/* The font of the set a reading system draws family in at weight and
   slant: the face itself, else (synthesising what it lacks) the same
   slant at the other weight, else the other slant. */
static int face_of(const gb_fontset *set, const char *family, int weight, bool italic)
{
	const int tries[4][2] = { { weight, italic }, { weight == 700 ? 400 : 700, italic },
				  { weight, !italic }, { weight == 700 ? 400 : 700, !italic } };
	for (int t = 0; t < 4; t++) {
		const gb_font *f = gb_fontset_find(set, family, tries[t][0], tries[t][1]);
		if (f)
			for (guint i = 0; i < set->fonts->len; i++)
				if (set->fonts->pdata[i] == f)
					return (int)i;
	}
	return -1;
}

/*
 * Gives each character of text to the face that draws it: of each family
 * of s's list in turn, the face for s's weight and slant, the first that
 * has it (a reading system looks in that face, not in its family's
 * others: Linux Biolinum's italic has Қ, its bold does not).
 */
static void add_char(walk *w, const int *fams, gunichar u, font_state s)
{
	const gb_coverage *c = w->e->coverage;
	for (const int *f = fams; *f >= 0; f++) {
		int i = face_of(w->e->opt->fonts, c->families[*f], s.weight, s.italic);
		if (i < 0 || !w->has[i] || !FcCharSetHasChar(w->has[i], u))
			continue;
		if (!w->sets->pdata[i])
			w->sets->pdata[i] = g_hash_table_new(NULL, NULL);
		g_hash_table_add(w->sets->pdata[i], GUINT_TO_POINTER(u));
		break;
	}
}

static void add_text(walk *w, const char *text, font_state s)
{
	if (!s.family)
		return;
	const int *fams = families_of(w, s.family);
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_isspace(u) && u != 0xa0)
			continue;
		add_char(w, fams, u, s);
		/* and the letter a text-transform draws ("Қосымша" in a
		   label is drawn ҚОСЫМША; a reading system without
		   text-transform draws it as written) */
		if (s.transform == 'u' && g_unichar_toupper(u) != u)
			add_char(w, fams, g_unichar_toupper(u), s);
		else if (s.transform == 'l' && g_unichar_tolower(u) != u)
			add_char(w, fams, g_unichar_tolower(u), s);
	}
}

/* Each font's characters, as the set's fontconfig read them (a face of
   a collection by its family), or NULL after reporting why. */
static FcCharSet **charsets(epub *e)
{
	gb_fontset *set = e->opt->fonts;
	FcConfig *fc = gb_fontset_fc(set, e->d);
	if (!fc)
		return NULL;
	FcFontSet *fs = FcConfigGetFonts(fc, FcSetApplication);
	FcCharSet **has = g_new0(FcCharSet *, set->fonts->len);
	for (guint i = 0; i < set->fonts->len; i++) {
		const gb_font *f = set->fonts->pdata[i];
		for (int k = 0; fs && k < fs->nfont && !has[i]; k++) {
			FcChar8 *file, *family;
			FcCharSet *cs;
			bool same = FcPatternGetString(fs->fonts[k], FC_FILE, 0, &file) == FcResultMatch &&
				    !strcmp((const char *)file, f->path);
			bool named = false;
			for (int n = 0; same && !named &&
			     FcPatternGetString(fs->fonts[k], FC_FAMILY, n, &family) == FcResultMatch; n++)
				named = !strcmp((const char *)family, f->family);
			if (same && named &&
			    FcPatternGetCharSet(fs->fonts[k], FC_CHARSET, 0, &cs) == FcResultMatch)
				has[i] = cs;
		}
	}
	return has;
}

/* What a numbered list's markers are made of, in any list-style-type of
   Latin letters, digits or Roman numerals. */
#define MARKERS "0123456789.)abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

static void walk_node(walk *w, xmlNode *n, font_state up)
{
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			add_text(w, (const char *)k->content, up);
		} else if (k->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)k->name;
			/* not drawn: the head, scripts and styles */
			if (!strcmp(name, "head") || !strcmp(name, "script") ||
			    !strcmp(name, "style"))
				continue;
			font_state s = cascade(w, k, up);
			/* a numbered item's marker (1., a., iv.) is drawn in
			   its font */
			if (!strcmp(name, "li") && !strcmp((const char *)n->name, "ol"))
				add_text(w, MARKERS, s);
			walk_node(w, k, s);
		}
	}
}

GPtrArray *gb_ep_face_chars(epub *e, const char *css)
{
	walk w = { e, font_rules(css), g_ptr_array_new(),
		   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		   charsets(e) };
	g_ptr_array_set_size(w.sets, (gint)e->opt->fonts->fonts->len);
	if (!w.has)
		e->ok = 0;
	for (guint i = 0; i < e->entries->len; i++) {
		const entry *en = e->entries->pdata[i];
		if (!g_str_has_suffix(en->name, ".xhtml"))
			continue;
		gsize len;
		const char *data = g_bytes_get_data(en->data, &len);
		xmlDoc *doc = xmlReadMemory(data, (int)len, en->name, "UTF-8",
					    XML_PARSE_NONET | XML_PARSE_NOERROR |
					    XML_PARSE_NOWARNING);
		if (!doc) {
			gb_error(e->d, gb_noloc(), "cannot read back '%s' to find its fonts",
				 en->name);
			e->ok = 0;
			continue;
		}
		xmlNode *root = w.has ? xmlDocGetRootElement(doc) : NULL;
		font_state s = { NULL, 400, false, 0 };
		if (root) {
			s = cascade(&w, root, s);
			walk_node(&w, root, s);
		}
		xmlFreeDoc(doc);
	}
	g_ptr_array_free(w.rules, TRUE);
	g_hash_table_destroy(w.lists);
	g_free(w.has);  /* (the charsets are fontconfig's) */
	return w.sets;
}
