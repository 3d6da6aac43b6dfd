/* SPDX-License-Identifier: Apache-2.0 */
/* Output buffer and JSON encoding for the collector's line protocol.
 * Lines are assembled in one large buffer that is written out once per poll batch. */
#ifndef __JSON_H
#define __JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#define LINE_MAX_BYTES	(64 * 1024)	/* protocol bound for one line */

struct out {
	char *buf;
	size_t len;
	size_t cap;
	int fd;
	int err;	/* errno of the first failed write; output stops after it */
};

int out_init(struct out *o, int fd, size_t cap);
void out_free(struct out *o);
int out_flush(struct out *o);

/* Starts a line, flushing first when less than one maximal line is free. */
static inline void out_begin(struct out *o)
{
	if (o->cap - o->len < LINE_MAX_BYTES)
		out_flush(o);
}

static inline void out_raw(struct out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

#define out_lit(o, s) out_raw((o), (s), sizeof(s) - 1)

void out_u64(struct out *o, uint64_t v);
void out_i64(struct out *o, int64_t v);
void out_hex64(struct out *o, uint64_t v);	/* as a JSON string "0x…" */
/* A JSON string from untrusted bytes: escaped, invalid UTF-8 bytes as U+FFFD, at most max
 * input bytes (the caller bounds max so one line stays under LINE_MAX_BYTES). */
void out_str(struct out *o, const char *s, size_t n);
static inline void out_cstr(struct out *o, const char *s)
{
	out_str(o, s, strlen(s));
}

/* ,"key": */
#define out_key(o, k) out_lit((o), ",\"" k "\":")

#endif /* __JSON_H */
