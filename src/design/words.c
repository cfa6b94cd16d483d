/* words.c - the words gsi-book's own pages say, by language (words.h). */
#include "design/words.h"

#include "source/meta.h"

#include <stdbool.h>
#include <string.h>

/* The roles book.yaml accepts (source/meta.c, gb_role_codes()), as a
   person is named with them: "NAME, ROLE".  Every language names every
   role (tests/unit.c checks it). */
static const gb_role_word en_roles[] = {
	{ "aut", "author" },       { "edt", "editor" },
	{ "trl", "translator" },   { "ill", "illustrator" },
	{ "ctb", "contributor" },  { "com", "compiler" },
	{ "pht", "photographer" }, { "aui", "introduction" },
	{ "wfw", "foreword" },     { "aft", "afterword" },
	{ "nrt", "narrator" },     { "dsr", "designer" },
	{ NULL, NULL },
};
static const gb_role_word ru_roles[] = {
	{ "aut", "автор" },          { "edt", "редактор" },
	{ "trl", "переводчик" },     { "ill", "иллюстратор" },
	{ "ctb", "участник" },       { "com", "составитель" },
	{ "pht", "фотограф" },       { "aui", "автор введения" },
	{ "wfw", "автор предисловия" }, { "aft", "автор послесловия" },
	{ "nrt", "чтец" },           { "dsr", "дизайнер" },
	{ NULL, NULL },
};
static const gb_role_word kk_roles[] = {
	{ "aut", "автор" },          { "edt", "редактор" },
	{ "trl", "аудармашы" },      { "ill", "суретші" },
	{ "ctb", "қатысушы" },       { "com", "құрастырушы" },
	{ "pht", "фотограф" },       { "aui", "кіріспе авторы" },
	{ "wfw", "алғысөз авторы" }, { "aft", "соңғы сөз авторы" },
	{ "nrt", "диктор" },         { "dsr", "безендіруші" },
	{ NULL, NULL },
};

static const char *const en_months[] = {
	"january|jan", "february|feb", "march|mar", "april|apr", "may",
	"june|jun", "july|jul", "august|aug", "september|sep|sept",
	"october|oct", "november|nov", "december|dec", NULL,
};
static const char *const ru_months[] = {
	"январь|января|янв", "февраль|февраля|фев|февр", "март|марта|мар",
	"апрель|апреля|апр", "май|мая", "июнь|июня|июн", "июль|июля|июл",
	"август|августа|авг", "сентябрь|сентября|сен|сент",
	"октябрь|октября|окт", "ноябрь|ноября|ноя|нояб",
	"декабрь|декабря|дек", NULL,
};
static const char *const ru_date_words[] = { "г.", "г", "год", "года", "году", NULL };
static const char *const kk_months[] = {
	"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде",
	"тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан", NULL,
};
static const char *const kk_date_words[] = { "ж.", "ж", "жыл", "жылы", "жылғы", NULL };

/* One entry a language: add a language by adding an entry (and its
   roles).  English comes first: it is the words of a language without
   an entry. */
static const gb_words all_words[] = {
	{ .lang = "en", .contents = "Contents", .landmarks = "Landmarks",
	  .cover = "Cover", .title_page = "Title page", .colophon = "Colophon",
	  .start = "Start of content", .licences = "Font licences",
	  .notes = "Notes", .back = "Back to the text",
	  .identifier = "Identifier", .source = "Source", .fonts = "Fonts",
	  .date = "Date", .rights = "Rights", .published_by = "Publisher",
	  .and_ = " and ", .by = ", by ", .roles = en_roles, .index = "Index",
	  .page = "p.", .pages = "Pages",
	  .months = en_months },
	{ .lang = "ru", .contents = "Содержание", .landmarks = "Ориентиры",
	  .cover = "Обложка", .title_page = "Титульный лист",
	  .colophon = "Выходные сведения", .start = "Начало текста",
	  .licences = "Лицензии шрифтов", .notes = "Примечания",
	  .back = "Назад к тексту", .identifier = "Идентификатор",
	  .source = "Источник", .fonts = "Шрифты", .date = "Дата",
	  .rights = "Права", .published_by = "Издатель",
	  .and_ = " и ", .by = " — ", .roles = ru_roles, .index = "Предметный указатель",
	  .page = "с.", .pages = "Страницы",
	  .months = ru_months, .date_words = ru_date_words },
	{ .lang = "kk", .contents = "Мазмұны", .landmarks = "Бағдарлар",
	  .cover = "Мұқаба", .title_page = "Титул беті",
	  .colophon = "Шығу деректері", .start = "Мәтіннің басы",
	  .licences = "Қаріп лицензиялары", .notes = "Ескертпелер",
	  .back = "Мәтінге оралу", .identifier = "Сәйкестендіргіш",
	  .source = "Дереккөз", .fonts = "Қаріптер", .date = "Күні",
	  .rights = "Құқықтар", .published_by = "Баспа",
	  .and_ = " және ", .by = " — ", .roles = kk_roles, .index = "Көрсеткіш",
	  .page = "б.", .pages = "Беттер",
	  .months = kk_months, .date_words = kk_date_words },
};

const gb_words *gb_words_for_index(size_t i)
{
	return i < G_N_ELEMENTS(all_words) ? &all_words[i] : NULL;
}

/* Whether the BCP 47 tag lang (or NULL) is of the language primary:
   "en-GB" is of "en". */
static bool lang_is(const char *lang, const char *primary)
{
	size_t n = lang ? strcspn(lang, "-") : 0;
	return lang && strlen(primary) == n && !g_ascii_strncasecmp(lang, primary, n);
}

const gb_words *gb_words_for(const char *lang)
{
	for (size_t i = 0; i < G_N_ELEMENTS(all_words); i++)
		if (lang_is(lang, all_words[i].lang))
			return &all_words[i];
	return &all_words[0];
}

static void add_fact(GArray *facts, const char *key, const char *value)
{
	if (!value)
		return;
	gb_fact f = { key, g_strdup(value) };
	g_array_append_val(facts, f);
}

static bool named(const char *const *families, const char *family)
{
	for (; families && *families; families++)
		if (!strcmp(*families, family))
			return true;
	return false;
}

GArray *gb_colophon_facts(const gb_meta *m, const gb_fontset *fonts,
			  const char *const *families)
{
	const gb_words *w = gb_words_for(m->lang);
	GArray *facts = g_array_new(FALSE, FALSE, sizeof(gb_fact));
	add_fact(facts, w->published_by, m->publisher);
	add_fact(facts, w->date, m->date);
	add_fact(facts, w->source, m->source);
	/* the ISBNs as written, each edition named by its format (words no
	   language translates), and the identifier unless it is the ISBN */
	if (m->isbn_text && m->isbn) {
		char *v = g_strdup_printf("%s (EPUB)", m->isbn_text);
		add_fact(facts, "ISBN", v);
		g_free(v);
	}
	if (m->print_isbn_text && m->print_isbn) {
		char *v = g_strdup_printf("%s (PDF)", m->print_isbn_text);
		add_fact(facts, "ISBN", v);
		g_free(v);
	}
	if (!(m->identifier && m->isbn && !strncmp(m->identifier, "urn:isbn:", 9) &&
	      !strcmp(m->identifier + 9, m->isbn)))
		add_fact(facts, w->identifier, m->identifier);
	GString *list = g_string_new(NULL);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; fonts && i < fonts->fonts->len; i++) {
		const gb_font *f = g_ptr_array_index(fonts->fonts, i);
		if (!named(families, f->family) || !g_hash_table_add(seen, f->family))
			continue;
		g_string_append_printf(list, "%s%s (%s)", list->len ? ", " : "",
				       f->family, f->licence);
	}
	g_hash_table_destroy(seen);
	if (list->len)
		add_fact(facts, w->fonts, list->str);
	g_string_free(list, TRUE);
	return facts;
}

void gb_facts_free(GArray *facts)
{
	if (!facts)
		return;
	for (guint i = 0; i < facts->len; i++)
		g_free(g_array_index(facts, gb_fact, i).value);
	g_array_free(facts, TRUE);
}

/* ---- people ---- */

static const char *role_in(const gb_words *w, const char *code)
{
	for (const gb_role_word *r = w->roles; r && r->code; r++)
		if (!strcmp(r->code, code))
			return r->word;
	return NULL;
}

const char *gb_role_word_of(const gb_words *w, const char *code)
{
	const char *word = role_in(w, code);
	if (!word)
		word = role_in(&all_words[0], code);
	return word ? word : code;
}

static bool is_author(const gb_creator *c)
{
	return !c->role || !strcmp(c->role, "aut");
}

GArray *gb_people(const gb_meta *m)
{
	const gb_words *w = gb_words_for(m->lang);
	GArray *people = g_array_new(FALSE, FALSE, sizeof(gb_person));
	for (guint i = 0; m->authors && i < m->authors->len; i++) {
		const gb_creator *c = g_ptr_array_index(m->authors, i);
		gb_person p = { c, is_author(c), NULL };
		p.label = p.author ? g_strdup(c->name) :
			  g_strdup_printf("%s, %s", c->name,
					  gb_role_word_of(w, c->role));
		g_array_append_val(people, p);
	}
	return people;
}

void gb_people_free(GArray *people)
{
	if (!people)
		return;
	for (guint i = 0; i < people->len; i++)
		g_free(g_array_index(people, gb_person, i).label);
	g_array_free(people, TRUE);
}

char **gb_author_list(const gb_meta *m)
{
	GPtrArray *names = g_ptr_array_new();
	for (guint i = 0; m->authors && i < m->authors->len; i++) {
		const gb_creator *c = g_ptr_array_index(m->authors, i);
		if (is_author(c))
			g_ptr_array_add(names, g_strdup(c->name));
	}
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

char *gb_author_names(const gb_meta *m)
{
	const gb_words *w = gb_words_for(m->lang);
	char **names = gb_author_list(m);
	char *ret = NULL;
	if (names[0]) {
		GString *s = g_string_new(names[0]);
		for (guint i = 1; names[i]; i++) {
			g_string_append(s, names[i + 1] ? ", " : w->and_);
			g_string_append(s, names[i]);
		}
		ret = g_string_free(s, FALSE);
	}
	g_strfreev(names);
	return ret;
}

char *gb_cover_alt(const gb_meta *m)
{
	const gb_words *w = gb_words_for(m->lang);
	GString *s = g_string_new(w->cover);
	g_string_append(s, ": ");
	g_string_append(s, m->title ? m->title : "");
	if (m->subtitle) {
		g_string_append(s, ": ");
		g_string_append(s, m->subtitle);
	}
	char *names = gb_author_names(m);
	if (names) {
		g_string_append(s, w->by);
		g_string_append(s, names);
	}
	g_free(names);
	/* a sentence, ended as one (SE's t-026; a title may end it already) */
	const char *end = s->len ? g_utf8_prev_char(s->str + s->len) : s->str;
	if (!s->len || (!strchr(".!?", *end) && g_utf8_get_char(end) != 0x2026))
		g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

/* The character at p, an ASCII one without GLib's decoding (a hot path:
   every word of every paragraph). */
static inline gunichar char_at(const char *p)
{
	return (guchar)*p < 0x80 ? (gunichar)(guchar)*p : g_utf8_get_char(p);
}

/* Whether c is a capital or a title-case letter, as g_unichar_isupper()
   || g_unichar_istitle(): ASCII at once, and no title-case letter before
   U+01C5 (GLib's istitle searches a table for each character). */
static inline bool capital(gunichar c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	return g_unichar_isupper(c) || (c >= 0x1c5 && g_unichar_istitle(c));
}

/* Whether c is a letter, as g_unichar_isalpha(): ASCII at once. */
static inline bool letter(gunichar c)
{
	return c < 0x80 ? g_ascii_isalpha((char)c) : g_unichar_isalpha(c);
}

bool gb_caps_word(const char *w, size_t len)
{
	size_t letters = 0, upper = 0;
	for (const char *p = w; p < w + len; p = g_utf8_next_char(p)) {
		letters++;
		upper += capital(char_at(p));
	}
	return letters >= 2 && upper == letters;
}

/* Whether [w, e) is a word in capitals: two letters or more, all capitals. */
static bool all_caps(const char *w, const char *e)
{
	size_t letters = 0;
	for (const char *p = w; p < e; p = g_utf8_next_char(p), letters++)
		if (!g_unichar_isupper(g_utf8_get_char(p)))
			return false;
	return letters >= 2;
}

/* Whether [w, e) is a roman numeral in capitals of I, V, X, L and C, in
   its standard form (II, IV, XIV, XL, XCIX; not IIII, VX, IC). */
static bool roman(const char *w, const char *e)
{
	static const char *const tens[] = { "XC", "XL", "LXXX", "LXX", "LX", "L",
					    "XXX", "XX", "X", "" };
	static const char *const ones[] = { "IX", "IV", "VIII", "VII", "VI", "V",
					    "III", "II", "I", "" };
	size_t n = (size_t)(e - w);
	const char *p = w;
	for (int c = 0; c < 3 && p < e && *p == 'C'; c++)
		p++;
	for (size_t i = 0; i < G_N_ELEMENTS(tens); i++) {
		size_t l = strlen(tens[i]);
		if (l <= (size_t)(e - p) && !strncmp(p, tens[i], l)) {
			p += l;
			break;
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(ones); i++) {
		size_t l = strlen(ones[i]);
		if (l == (size_t)(e - p) && !strncmp(p, ones[i], l))
			return n > 0;
	}
	return false;
}

/* The word of letters next to [w, e) in text[0, len): before it (dir < 0)
   or after it, across spaces only; [*nw, *ne) or false. */
static bool next_word(const char *text, size_t len, const char *w, const char *e, int dir,
		      const char **nw, const char **ne)
{
	const char *stop = text + len;
	if (dir > 0) {
		const char *p = e;
		while (p < stop && g_unichar_isspace(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		if (p >= stop || p == e || !g_unichar_isalpha(g_utf8_get_char(p)))
			return false;
		*nw = p;
		while (p < stop && g_unichar_isalpha(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		*ne = p;
		return true;
	}
	const char *p = w;
	while (p > text && g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(p))))
		p = g_utf8_prev_char(p);
	if (p <= text || p == w || !g_unichar_isalpha(g_utf8_get_char(g_utf8_prev_char(p))))
		return false;
	*ne = p;
	while (p > text && g_unichar_isalpha(g_utf8_get_char(g_utf8_prev_char(p))))
		p = g_utf8_prev_char(p);
	*nw = p;
	return true;
}

/* Whether the word of letters next to [w, e) in either direction is a
   word in capitals (and no roman numeral itself). */
static bool beside_caps(const char *text, size_t len, const char *w, const char *e)
{
	for (int dir = -1; dir <= 1; dir += 2) {
		const char *nw, *ne;
		if (next_word(text, len, w, e, dir, &nw, &ne) && all_caps(nw, ne) &&
		    !roman(nw, ne))
			return true;
	}
	return false;
}

bool gb_caps_word_next(const char *text, size_t len, size_t *at,
		       size_t *start, size_t *end)
{
	const char *p = text + *at, *stop = text + len;
	while (p < stop) {
		if (!letter(char_at(p))) {
			p = g_utf8_next_char(p);
			continue;
		}
		const char *w = p;
		size_t letters = 0, upper = 0;
		gunichar c;
		while (p < stop && letter(c = char_at(p))) {
			letters++;
			upper += capital(c);
			p = g_utf8_next_char(p);
		}
		/* a plural's s after capitals (PDFs, URLs, GSIs) stays a
		   small letter after the small capitals: the word is its
		   capitals */
		const char *e = p;
		if (letters >= 3 && upper == letters - 1 && p[-1] == 's') {
			e = p - 1;
			letters--;
		}
		/* a roman numeral keeps its capitals (Chapter II as Chapter
		   I, World War II), but among words in capitals (CHAPTER II) */
		if (letters >= 2 && upper == letters &&
		    (!roman(w, e) || beside_caps(text, len, w, e))) {
			*start = (size_t)(w - text);
			*end = (size_t)(e - text);
			*at = (size_t)(p - text);
			return true;
		}
	}
	*at = len;
	return false;
}

bool gb_is_number(const char *text)
{
	bool digit = false;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_isdigit(u)) {
			digit = true;
			continue;
		}
		if (g_unichar_isspace(u) || g_unichar_type(u) == G_UNICODE_SPACE_SEPARATOR ||
		    g_unichar_type(u) == G_UNICODE_CURRENCY_SYMBOL)
			continue;
		if (!strchr("+-.,:/%()", (int)(u < 128 ? u : 1)) &&
		    u != 0x2212 && u != 0x2013 && u != 0x2030)
			return false;
	}
	return digit;
}

/* Whether a cell's text is empty for the numeric rule: nothing, or a
   dash alone. */
static bool empty_cell(const char *text)
{
	char *s = g_strstrip(g_strdup(text));
	bool empty = !*s || !strcmp(s, "\u2014") || !strcmp(s, "\u2013") || !strcmp(s, "-");
	g_free(s);
	return empty;
}

bool *gb_numeric_columns(const gb_node *table, int cols)
{
	bool *numeric = g_new0(bool, cols > 0 ? cols : 1);
	bool *other = g_new0(bool, cols > 0 ? cols : 1);
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW || row->header)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			char *text = gb_node_text(cell);
			if (!empty_cell(text)) {
				if (gb_is_number(text))
					numeric[c] = true;
				else
					other[c] = true;
			}
			g_free(text);
		}
	}
	for (int c = 0; c < cols; c++)
		numeric[c] = numeric[c] && !other[c];
	g_free(other);
	return numeric;
}

char *gb_cell_date(const char *text, bool date_column)
{
	for (size_t i = 0; i < G_N_ELEMENTS(all_words); i++) {
		char *iso = gb_date_iso(text, all_words[i].months, all_words[i].date_words);
		if (iso && (date_column || strlen(iso) > 4))
			return iso;
		g_free(iso);
	}
	return NULL;
}

/* Whether text (a header cell's) is "Date" in a language of the table. */
static bool date_header(const char *text)
{
	char *t = g_strstrip(g_strdup(text));
	char *s = g_utf8_casefold(t, -1);
	bool is = false;
	for (size_t i = 0; i < G_N_ELEMENTS(all_words) && !is; i++) {
		char *w = g_utf8_casefold(all_words[i].date, -1);
		is = !strcmp(w, s);
		g_free(w);
	}
	g_free(s);
	g_free(t);
	return is;
}

bool *gb_date_columns(const gb_node *table, int cols)
{
	bool *dates = g_new0(bool, cols > 0 ? cols : 1);
	bool *month = g_new0(bool, cols > 0 ? cols : 1);
	bool *other = g_new0(bool, cols > 0 ? cols : 1);
	bool *header = g_new0(bool, cols > 0 ? cols : 1);
	for (const gb_node *row = table->first; row; row = row->next) {
		if (row->kind != GB_NODE_TABLE_ROW)
			continue;
		int c = 0;
		for (const gb_node *cell = row->first; cell && c < cols; cell = cell->next, c++) {
			char *text = gb_node_text(cell);
			if (row->header) {
				header[c] = date_header(text);
			} else if (!empty_cell(text)) {
				char *iso = gb_cell_date(text, true);
				if (!iso)
					other[c] = true;
				else if (strlen(iso) > 4)
					month[c] = true;
				g_free(iso);
			}
			g_free(text);
		}
	}
	for (int c = 0; c < cols; c++)
		dates[c] = !other[c] && (month[c] || header[c]);
	g_free(month);
	g_free(other);
	g_free(header);
	return dates;
}

gb_align gb_cell_align(gb_align align, bool numeric)
{
	return align == GB_ALIGN_NONE && numeric ? GB_ALIGN_RIGHT : align;
}

long gb_decimal_anchor(const char *text, const char *lang)
{
	static const char *const point[] = { "en", "zh", "ja", "ko", "th", "hi", "ms", "ga", "he" };
	char mark = lang ? ',' : '.';
	for (size_t i = 0; i < G_N_ELEMENTS(point); i++)
		if (lang_is(lang, point[i]))
			mark = '.';
	long last_digit = -1, at_mark = -1;
	for (const char *p = text; *p; p++) {
		if (g_ascii_isdigit(*p))
			last_digit = p - text;
		else if (*p == mark && g_ascii_isdigit(p[1]) && last_digit >= 0 && last_digit == p - text - 1)
			at_mark = p - text;
	}
	if (at_mark >= 0)
		return at_mark;
	return last_digit >= 0 ? last_digit + 1 : -1;
}

char *gb_figure_caption_label(const gb_style *s, const gb_node *fig, gb_diag *d)
{
	if (!fig || !fig->label || !s)
		return NULL;
	const char *v = gb_style_need(s, "figure.numbered", d);
	if (!v)
		return NULL;
	if (strcmp(v, "true") && strcmp(v, "false")) {
		gb_error(d, gb_style_loc(s, "figure.numbered", -1),
			 "style 'figure.numbered' must be true or false, not '%s'", v);
		return NULL;
	}
	return !strcmp(v, "true") ? g_strconcat(fig->label, ": ", NULL) : NULL;
}
