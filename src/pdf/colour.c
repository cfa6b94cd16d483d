/*
 * colour.c - PDF/X's colours (pd.h): neutral colours in DeviceGray.
 *
 * Cairo 1.16 sets every colour in DeviceRGB: black text and rules are
 * `0 0 0 rg` and `0 0 0 RG`.  A press separates such a black into four
 * inks; a printer wants it in black alone.  The finish reads each page's
 * content stream with artifacts.c's reader and writes every colour
 * operator whose three components are equal (a gray, black or white) as
 * the DeviceGray one: `r g b rg` becomes `r g`, `RG` `G`.  A colour (its
 * components differ) is left as it is.
 */
#include "pdf/pd.h"

/* At most this many operands are remembered before an operator. */
enum { KEPT = 3 };

/* Whether s[from, to) is a number, and its value in *v. */
static bool number(const guint8 *s, gsize from, gsize to, double *v)
{
	char buf[64];
	gsize len = to - from;
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s + from, len);
	buf[len] = 0;
	char *end = NULL;
	*v = g_ascii_strtod(buf, &end);
	return end == buf + len;
}

GByteArray *gb_pd_gray_colours(const guint8 *s, gsize n, const char **why)
{
	GByteArray *o = g_byte_array_sized_new((guint)n);
	gsize copied = 0;              /* s[0, copied) is in o */
	gsize from_[KEPT], to_[KEPT];  /* the last operands, the latest last */
	int operands = 0;              /* kept, since the last operator */
	int total = 0;                 /* all, since the last operator */
	gsize at = 0;
	for (;;) {
		gsize from;
		gb_pd_tok t = gb_pd_next_token(s, n, &at, &from);
		if (t == GB_PD_END)
			break;
		if (t == GB_PD_BAD) {
			*why = "a string or an inline image does not end";
			g_byte_array_unref(o);
			return NULL;
		}
		if (t != GB_PD_OPERATOR) {
			if (operands == KEPT) {
				memmove(from_, from_ + 1, sizeof from_[0] * (KEPT - 1));
				memmove(to_, to_ + 1, sizeof to_[0] * (KEPT - 1));
				operands--;
			}
			/* a dictionary's or an array's parts count too: an
			   rg after them has not three numbers before it */
			from_[operands] = from;
			to_[operands] = at;
			operands++;
			total++;
			continue;
		}
		gsize len = at - from;
		bool fill = len == 2 && !memcmp(s + from, "rg", 2);
		bool stroke = len == 2 && !memcmp(s + from, "RG", 2);
		double c[KEPT];
		if ((fill || stroke) && total == KEPT &&
		    number(s, from_[0], to_[0], &c[0]) &&
		    number(s, from_[1], to_[1], &c[1]) &&
		    number(s, from_[2], to_[2], &c[2]) &&
		    c[0] == c[1] && c[1] == c[2]) {
			/* "r g b rg" -> "r g": the first operand kept */
			g_byte_array_append(o, s + copied, (guint)(to_[0] - copied));
			g_byte_array_append(o, (const guint8 *)(fill ? " g" : " G"), 2);
			copied = at;
		}
		operands = total = 0;
	}
	g_byte_array_append(o, s + copied, (guint)(n - copied));
	return o;
}
