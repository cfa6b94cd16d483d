/* words.c - the words gsi-book's own pages say, by language (words.h). */
#include "words.h"

#include <glib.h>
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
