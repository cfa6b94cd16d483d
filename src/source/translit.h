/*
 * translit.h - text in ASCII letters: the ids and file names written
 * into the EPUB (Kindle's converter and older Adobe readers trouble over
 * ids outside ASCII), while the text the reader sees stays as written.
 *
 *  - Cyrillic (Russian, Kazakh with Ә Ғ Қ Ң Ө Ұ Ү Һ І, Ukrainian,
 *    Belarusian, Serbian, Macedonian) and Greek by a table of BGN/PCGN's
 *    romanizations in ASCII: "жұлдыз" is "zhuldyz", "щука" "shchuka",
 *    "қала" "qala";
 *  - Latin letters with diacritics folded by GLib (g_str_to_ascii: "é"
 *    "e", "ß" "ss", "æ" "ae"), and by the table where GLib has no
 *    answer ("þ" "th", "đ" "d", "ŋ" "ng", "ə" "e");
 *  - ASCII as it is; a capital's romanization starts with a capital
 *    ("Щ" is "Shch");
 *  - any other character (a script without a table: Chinese, Arabic...)
 *    is '?'.
 * The caller frees the result.
 */
#ifndef GB_TRANSLIT_H
#define GB_TRANSLIT_H

char *gb_translit_ascii(const char *text);

/*
 * An id for the EPUB made from id: gb_translit_ascii of it with only
 * ASCII letters, digits, '-', '_', '.' and ':' kept (the rest dropped),
 * without the dashes this leaves at an end where id had none
 * ("привет-non-latin-你好" is "privet-non-latin").  May be empty.  The
 * caller frees it.
 */
char *gb_ascii_id(const char *id);

#endif
