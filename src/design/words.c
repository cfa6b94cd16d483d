/* words.c - the words gsi-book's own pages say, by language (words.h). */
#include "design/words.h"

#include <stdbool.h>
#include <string.h>

static const gb_words all_words[] = {
	{ "en", "Contents", "Landmarks", "Cover", "Title page", "Colophon",
	  "Start of content", "Font licences", "Notes", "Back to the text",
	  "Identifier", "Source", "Fonts", "Date", "Rights", "Publisher" },
	{ "ru", "Содержание", "Ориентиры", "Обложка", "Титульный лист",
	  "Выходные сведения", "Начало текста", "Лицензии шрифтов", "Примечания",
	  "Назад к тексту", "Идентификатор", "Источник", "Шрифты", "Дата",
	  "Права", "Издатель" },
	{ "kk", "Мазмұны", "Бағдарлар", "Мұқаба", "Титул беті",
	  "Шығу деректері", "Мәтіннің басы", "Қаріп лицензиялары", "Ескертпелер",
	  "Мәтінге оралу", "Сәйкестендіргіш", "Дереккөз", "Қаріптер", "Күні",
	  "Құқықтар", "Баспа" },
};

const gb_words *gb_words_for(const char *lang)
{
	size_t primary = lang ? strcspn(lang, "-") : 0;
	for (size_t i = 0; i < G_N_ELEMENTS(all_words); i++)
		if (strlen(all_words[i].lang) == primary &&
		    !g_ascii_strncasecmp(lang, all_words[i].lang, primary))
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
