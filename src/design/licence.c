/* licence.c - a font package's copyright file into its structure (licence.h) */
#include "design/licence.h"

#include <stdbool.h>
#include <string.h>

static void item_free(gpointer p)
{
	gb_licence_item *it = p;
	g_free(it->name);
	g_free(it->text);
	g_free(it);
}

static void part_free(gpointer p)
{
	gb_licence_part *part = p;
	g_free(part->heading);
	g_ptr_array_unref(part->items);
	g_free(part);
}

static gb_licence_part *part_new(gb_licence *l)
{
	gb_licence_part *part = g_new0(gb_licence_part, 1);
	part->items = g_ptr_array_new_with_free_func(item_free);
	g_ptr_array_add(l->parts, part);
	return part;
}

void gb_licence_free(gb_licence *l)
{
	if (!l)
		return;
	g_free(l->name);
	g_ptr_array_unref(l->parts);
	g_free(l);
}

static bool blank(const char *line)
{
	for (; *line; line++)
		if (!g_ascii_isspace(*line))
			return false;
	return true;
}

/* A line that is only a rule: three or more of - = _ * ~, spaces around. */
static bool rule(const char *line)
{
	size_t n = 0;
	for (; *line; line++) {
		if (strchr("-=_*~", *line))
			n++;
		else if (!g_ascii_isspace(*line))
			return false;
	}
	return n >= 3;
}

/* A title: a short line of capitals (five words at most, a letter at
   least, none small). */
static bool title(const char *line)
{
	bool upper = false;
	int words = 1;
	for (const char *p = line; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_islower(u))
			return false;
		upper = upper || g_unichar_isupper(u);
		words += *p == ' ';
	}
	return upper && words <= 5;
}

static void add_item(GPtrArray *items, const char *name, const char *text, bool is_title)
{
	gb_licence_item *it = g_new0(gb_licence_item, 1);
	it->name = g_strdup(name);
	it->text = g_strdup(text);
	it->title = is_title;
	g_ptr_array_add(items, it);
}

/* Text lines into paragraphs: a blank line (or DEP-5's ".") or a rule
   ends one; a paragraph's lines are joined with a space; a block's first
   line that is a title, more lines after it, is a paragraph of its own,
   a title. */
static void add_paragraphs(GPtrArray *paragraphs, char **lines, size_t n, bool dep5)
{
	GString *p = g_string_new(NULL);
	for (size_t i = 0; i <= n; i++) {
		char *line = i < n ? g_strstrip(g_strdup(lines[i])) : NULL;
		bool end = !line || !*line || (dep5 && !strcmp(line, ".")) || rule(line);
		if (end) {
			if (p->len)
				add_item(paragraphs, NULL, p->str, false);
			g_string_truncate(p, 0);
		} else if (!p->len && i + 1 < n && title(line)) {
			char *next = g_strstrip(g_strdup(lines[i + 1]));
			if (*next && strcmp(next, ".") && !rule(next))
				add_item(paragraphs, NULL, line, true);
			else
				g_string_append(p, line);
			g_free(next);
		} else {
			if (p->len)
				g_string_append_c(p, ' ');
			g_string_append(p, line);
		}
		g_free(line);
	}
	g_string_free(p, TRUE);
}

/* One DEP-5 stanza (lines[0, n)) into a part of l. */
static void stanza(gb_licence *l, char **lines, size_t n)
{
	gb_licence_part *part = NULL;
	for (size_t i = 0; i < n;) {
		const char *colon = strchr(lines[i], ':');
		if (!colon || g_ascii_isspace(lines[i][0])) {
			i++;   /* a stray line: kept as a paragraph below */
			if (!part)
				part = part_new(l);
			add_paragraphs(part->items, lines + i - 1, 1, true);
			continue;
		}
		char *name = g_strndup(lines[i], (gsize)(colon - lines[i]));
		char *first = g_strstrip(g_strdup(colon + 1));
		size_t j = i + 1;
		while (j < n && (lines[j][0] == ' ' || lines[j][0] == '\t'))
			j++;
		if (!strcmp(name, "Format")) {
			/* the file's syntax, nothing of the licence */
		} else if (!strcmp(name, "License") && i == 0) {
			part = part_new(l);
			part->heading = g_strdup(first);
			add_paragraphs(part->items, lines + i + 1, j - i - 1, true);
		} else {
			if (!part)
				part = part_new(l);
			if (!strcmp(name, "Upstream-Name") && !l->name)
				l->name = g_strdup(first);
			if (!strcmp(name, "License")) {
				/* its name; any text under it paragraphs after it */
				add_item(part->items, name, first, false);
				add_paragraphs(part->items, lines + i + 1, j - i - 1, true);
			} else {
				GString *v = g_string_new(first);
				for (size_t k = i + 1; k < j; k++) {
					char *line = g_strstrip(g_strdup(lines[k]));
					if (strcmp(line, ".")) {
						if (v->len)
							g_string_append_c(v, '\n');
						g_string_append(v, line);
					}
					g_free(line);
				}
				add_item(part->items, name, v->str, false);
				g_string_free(v, TRUE);
			}
		}
		g_free(name);
		g_free(first);
		i = j;
	}
}

gb_licence *gb_licence_parse(const char *text)
{
	gb_licence *l = g_new0(gb_licence, 1);
	l->parts = g_ptr_array_new_with_free_func(part_free);
	char **lines = g_strsplit(text, "\n", -1);
	size_t n = g_strv_length(lines);
	for (size_t i = 0; i < n; i++)
		g_strchomp(lines[i]);   /* trailing spaces and a CR */
	bool dep5 = n && g_str_has_prefix(lines[0], "Format:") &&
		    strstr(lines[0], "copyright-format");
	if (!dep5) {
		add_paragraphs(part_new(l)->items, lines, n, false);
	} else {
		for (size_t i = 0; i < n;) {
			while (i < n && blank(lines[i]))
				i++;
			size_t j = i;
			while (j < n && !blank(lines[j]))
				j++;
			if (j > i)
				stanza(l, lines + i, j - i);
			i = j;
		}
	}
	g_strfreev(lines);
	return l;
}
