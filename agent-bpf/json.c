// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "json.h"

int out_init(struct out *o, int fd, size_t cap)
{
	o->buf = malloc(cap);
	o->len = 0;
	o->cap = cap;
	o->fd = fd;
	o->err = 0;
	return o->buf ? 0 : -ENOMEM;
}

void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}

int out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->err = errno;
			break;
		}
		off += n;
	}
	o->len = 0;
	return o->err ? -o->err : 0;
}

void out_u64(struct out *o, uint64_t v)
{
	char tmp[20];
	int i = 0;

	do {
		tmp[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		o->buf[o->len++] = tmp[--i];
}

void out_i64(struct out *o, int64_t v)
{
	if (v < 0) {
		o->buf[o->len++] = '-';
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, v);
	}
}

static const char hexd[] = "0123456789abcdef";

void out_hex64(struct out *o, uint64_t v)
{
	char tmp[16];
	int i = 0;

	out_lit(o, "\"0x");
	do {
		tmp[i++] = hexd[v & 15];
		v >>= 4;
	} while (v);
	while (i)
		o->buf[o->len++] = tmp[--i];
	o->buf[o->len++] = '"';
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the lead byte is invalid here. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf)
		need = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4, cp = c & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

void out_str(struct out *o, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char *d = o->buf + o->len;
	size_t i = 0;

	*d++ = '"';
	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = c;
			i++;
		} else if (c == '"' || c == '\\') {
			*d++ = '\\';
			*d++ = c;
			i++;
		} else if (c < 0x80) {	/* control bytes and DEL */
			*d++ = '\\';
			*d++ = 'u';
			*d++ = '0';
			*d++ = '0';
			*d++ = hexd[c >> 4];
			*d++ = hexd[c & 15];
			i++;
		} else {
			size_t k = utf8_seq(s + i, n - i);

			if (k) {
				memcpy(d, s + i, k);
				d += k;
				i += k;
			} else {	/* U+FFFD per invalid byte */
				*d++ = (char)0xef;
				*d++ = (char)0xbf;
				*d++ = (char)0xbd;
				i++;
			}
		}
	}
	*d++ = '"';
	o->len = d - o->buf;
}
