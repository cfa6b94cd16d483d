/*
 * tests/corpus/hyphen-allowed DICT LEFT-MIN RIGHT-MIN - reads lines
 * "HEAD<TAB>TAIL" (UTF-8: the letters before and after a hyphenation
 * break of a word, as the PDF shows it) on standard input and prints
 * "not allowed: HEAD-TAIL" for each break that the libhyphen dictionary
 * DICT (a /usr/share/hyphen/hyph_*.dic file) does not allow, with at least
 * LEFT-MIN letters before it and RIGHT-MIN after (or more, when the
 * dictionary asks).  The word is lowercased and converted to the
 * dictionary's charset (named on its first line) as the typesetter does,
 * but independently of it: the corpus check (tests/corpus/check.sh)
 * compares gsi-book's breaks with the dictionary, not with itself.
 * Exits 1 if any break is not allowed, 2 on bad usage or a dictionary
 * that cannot be read.
 */
#include <glib.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 if the break after head's letters is allowed in head+tail */
static int allowed(HyphenDict *d, GIConv conv, const char *head, const char *tail,
		   int left_min, int right_min)
{
	char *both = g_strconcat(head, tail, NULL);
	char *lower = g_utf8_strdown(both, -1);
	glong nhead = g_utf8_strlen(head, -1), ntail = g_utf8_strlen(tail, -1);
	gsize len = 0, read = 0;
	char *word;
	if (conv == (GIConv)-1) {
		word = g_strdup(lower);
		len = strlen(word);
	} else {
		word = g_convert_with_iconv(lower, -1, conv, &read, &len, NULL);
		if (word && len != (gsize)(nhead + ntail)) {
			g_free(word);
			word = NULL;
		}
	}
	int ok = 0;
	if (word && nhead >= MAX(left_min, d->lhmin) && ntail >= MAX(right_min, d->rhmin)) {
		char *marks = g_malloc0(len + 5);
		char **rep = NULL;
		int *pos = NULL, *cut = NULL;
		if (hnj_hyphen_hyphenate2(d, word, (int)len, marks, NULL, &rep, &pos, &cut) == 0) {
			/* in UTF-8 dictionaries marks are a byte a character too
			   (libhyphen counts characters), index: the head's last */
			ok = (marks[nhead - 1] & 1) != 0;
		}
		if (rep) {
			for (gsize i = 0; i < len; i++)
				free(rep[i]);
			free(rep);
			free(pos);
			free(cut);
		}
		g_free(marks);
	}
	g_free(word);
	g_free(lower);
	g_free(both);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: hyphen-allowed DICT LEFT-MIN RIGHT-MIN\n");
		return 2;
	}
	HyphenDict *d = hnj_hyphen_load(argv[1]);
	if (!d) {
		fprintf(stderr, "hyphen-allowed: cannot read %s\n", argv[1]);
		return 2;
	}
	GIConv conv = (GIConv)-1;
	if (!d->utf8) {
		conv = g_iconv_open(d->cset, "UTF-8");
		if (conv == (GIConv)-1) {
			fprintf(stderr, "hyphen-allowed: %s: unknown charset %s\n", argv[1], d->cset);
			return 2;
		}
	}
	int left_min = atoi(argv[2]), right_min = atoi(argv[3]), bad = 0;
	char line[4096];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (!g_utf8_validate(line, -1, NULL) || !g_utf8_validate(tab + 1, -1, NULL) ||
		    !allowed(d, conv, line, tab + 1, left_min, right_min)) {
			printf("not allowed: %s-%s\n", line, tab + 1);
			bad = 1;
		}
	}
	if (conv != (GIConv)-1)
		g_iconv_close(conv);
	hnj_hyphen_free(d);
	return bad;
}
