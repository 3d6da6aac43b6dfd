// SPDX-License-Identifier: Apache-2.0
/* Container attribution.
 *
 * The kernel gives each event a cgroup v2 id, which is the inode number of the cgroup
 * directory. open_by_handle_at() with a kernfs file handle turns the id back into the
 * directory while it exists; its path names the container for every common runtime:
 *   docker-<id>.scope, /docker/<id>       docker
 *   cri-containerd-<id>.scope, kubepods   containerd
 *   crio-<id>.scope                       CRI-O
 *   libpod-<id>.scope                     podman
 *   /<id> with /run/runc/<id>/state.json  plain runc
 * Results are cached by id: a container's cgroup disappears when it stops, and later events
 * from its last processes still resolve. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "containers.h"

#define FILEID_KERNFS	0xfe
#define CACHE_SLOTS	8192	/* power of two */
#define CID_LEN		80

struct centry {
	uint64_t cgroup;	/* 0 = free slot */
	uint64_t next_try;	/* boot ns; 0 = final */
	uint32_t tries;
	const char *runtime;
	char cid[CID_LEN];
};

static struct centry *cache;
static char v2root[512];
static int v2fd = -1;

const char *containers_init(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024];

	cache = calloc(CACHE_SLOTS, sizeof(*cache));
	if (!f || !cache)
		goto out;
	while (fgets(line, sizeof(line), f)) {
		char mnt[512], fstype[64];
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(sep, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1) {
			snprintf(v2root, sizeof(v2root), "%s", mnt);
			break;
		}
	}
out:
	if (f)
		fclose(f);
	if (!v2root[0])
		return NULL;
	v2fd = open(v2root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return v2fd >= 0 ? v2root : NULL;
}

void containers_free(void)
{
	if (v2fd >= 0)
		close(v2fd);
	v2fd = -1;
	free(cache);
	cache = NULL;
}

uint64_t containers_cgroup_id(const char *relpath)
{
	char p[1024];
	struct stat st;

	if (!v2root[0])
		return 0;
	snprintf(p, sizeof(p), "%s%s", v2root, relpath);
	return stat(p, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static bool cgroup_path(uint64_t id, char *buf, size_t size)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS } };
	char link[64];
	ssize_t n;
	int fd;

	if (v2fd < 0)
		return false;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(v2fd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return true;
}

static bool is_hexid(const char *s, size_t n)
{
	if (n < 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* The container runtime's state directory for a plain id, tried for runc and the runc shims. */
static const char *state_dirs[][2] = {
	{ "/run/runc", "runc" },
	{ "/run/containerd/runc/k8s.io", "containerd" },
	{ "/run/containerd/runc/default", "containerd" },
	{ "/run/docker/runtime-runc/moby", "docker" },
};

static bool state_file(const char *cid, char *buf, size_t size, const char **runtime)
{
	for (size_t i = 0; i < sizeof(state_dirs) / sizeof(state_dirs[0]); i++) {
		snprintf(buf, size, "%s/%s/state.json", state_dirs[i][0], cid);
		if (access(buf, R_OK) == 0) {
			if (runtime)
				*runtime = state_dirs[i][1];
			return true;
		}
	}
	return false;
}

static bool seg_match(const char *seg, size_t n, const char *pre, const char *suf,
		      const char **id, size_t *idn)
{
	size_t pl = strlen(pre), sl = strlen(suf);

	if (n <= pl + sl || strncmp(seg, pre, pl) || strncmp(seg + n - sl, suf, sl))
		return false;
	*id = seg + pl;
	*idn = n - pl - sl;
	return true;
}

/* Walks the path from its last component up; the innermost container cgroup wins. */
static void classify(struct centry *e, const char *path)
{
	const char *end = path + strlen(path);
	char tmp[CID_LEN + 64];

	while (end > path) {
		const char *seg = end, *id = NULL;
		size_t n, idn = 0;
		const char *rt = NULL;

		while (seg > path && seg[-1] != '/')
			seg--;
		n = end - seg;
		if (seg_match(seg, n, "docker-", ".scope", &id, &idn))
			rt = "docker";
		else if (seg_match(seg, n, "cri-containerd-", ".scope", &id, &idn))
			rt = "containerd";
		else if (seg_match(seg, n, "crio-", ".scope", &id, &idn) && strncmp(seg, "crio-conmon-", 12))
			rt = "crio";
		else if (seg_match(seg, n, "libpod-", ".scope", &id, &idn) && strncmp(seg, "libpod-conmon-", 14))
			rt = "podman";
		else if (is_hexid(seg, n) && n == 64 && (strstr(path, "/docker/") || strstr(path, "kubepods")))
			rt = strstr(path, "/docker/") ? "docker" : "containerd", id = seg, idn = n;
		if (!rt && n > 0 && n < CID_LEN && memchr(seg, '.', n) == NULL) {
			char sf[256];

			memcpy(tmp, seg, n);
			tmp[n] = 0;
			if (state_file(tmp, sf, sizeof(sf), &rt))
				id = seg, idn = n;
		}
		if (rt && id && idn < CID_LEN) {
			memcpy(e->cid, id, idn);
			e->cid[idn] = 0;
			e->runtime = rt;
			return;
		}
		end = seg > path ? seg - 1 : path;
	}
}

/* ---- a small JSON reader for state.json and config.json ---------------------------- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* Decodes the string at p (at its opening quote) into out; returns the position after it. */
static const char *jstr(const char *p, char *out, size_t cap)
{
	size_t n = 0;

	if (*p != '"')
		return NULL;
	p++;
	while (*p && *p != '"') {
		char c = *p++;

		if (c == '\\') {
			c = *p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned cp = 0;

				for (int i = 0; i < 4 && isxdigit((unsigned char)*p); i++, p++)
					cp = cp * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
				if (cp < 0x80) {
					c = cp;
				} else {	/* BMP only; surrogates end up as U+FFFD at output */
					char u[3];
					int k = cp < 0x800 ? 2 : 3;

					if (k == 2)
						u[0] = 0xc0 | (cp >> 6), u[1] = 0x80 | (cp & 0x3f);
					else
						u[0] = 0xe0 | (cp >> 12), u[1] = 0x80 | ((cp >> 6) & 0x3f),
						u[2] = 0x80 | (cp & 0x3f);
					for (int i = 0; i < k; i++)
						if (out && n + 1 < cap)
							out[n++] = u[i];
					continue;
				}
				break;
			}
			case 0:
				return NULL;
			default:
				break;
			}
		}
		if (out && n + 1 < cap)
			out[n++] = c;
	}
	if (*p != '"')
		return NULL;
	if (out && cap)
		out[n] = 0;
	return p + 1;
}

static const char *jskip(const char *p)
{
	int depth = 0;

	p = ws(p);
	do {
		if (!*p)
			return NULL;
		if (*p == '"') {
			p = jstr(p, NULL, 0);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (depth == 0) {	/* scalar */
			while (*p && *p != ',' && *p != '}' && *p != ']')
				p++;
			return p;
		}
		p++;
	} while (depth > 0);
	return p;
}

/* Value of member key in the object at p, or NULL. */
static const char *jmember(const char *p, const char *key)
{
	char k[256];

	p = ws(p);
	if (*p != '{')
		return NULL;
	p = ws(p + 1);
	while (*p == '"') {
		p = jstr(p, k, sizeof(k));
		if (!p)
			return NULL;
		p = ws(p);
		if (*p != ':')
			return NULL;
		p = ws(p + 1);
		if (!strcmp(k, key))
			return p;
		p = jskip(p);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == ',')
			p = ws(p + 1);
	}
	return NULL;
}

static char *slurp(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	n = buf ? fread(buf, 1, max, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = 0;
	return buf;
}

struct annot {
	const char *key;
	const char *field;
};

/* Kubernetes context as CRI runtimes annotate it (dockershim/cri-o and containerd names). */
static const struct annot known[] = {
	{ "io.kubernetes.pod.name", "pod" },
	{ "io.kubernetes.cri.sandbox-name", "pod" },
	{ "io.kubernetes.pod.namespace", "namespace" },
	{ "io.kubernetes.cri.sandbox-namespace", "namespace" },
	{ "io.kubernetes.pod.uid", "pod_uid" },
	{ "io.kubernetes.cri.sandbox-uid", "pod_uid" },
	{ "io.kubernetes.cri.sandbox-id", "sandbox_id" },
	{ "io.kubernetes.container.name", "name" },
	{ "io.kubernetes.cri.container-name", "name" },
	{ "io.kubernetes.cri.image-name", "image" },
};

#define N_FIELDS 6
static const char *fields[N_FIELDS] = { "pod", "namespace", "pod_uid", "sandbox_id", "name", "image" };

static void emit_container(struct centry *e, struct out *o, uint64_t ts)
{
	char path[512], bundle[512] = "", *state = NULL, *config = NULL;
	char val[1024], key[256];
	char vals[N_FIELDS][256] = { { 0 } };
	const char *p, *ann = NULL;

	if (state_file(e->cid, path, sizeof(path), NULL) && (state = slurp(path, 1 << 20))) {
		/* runc keeps the bundle path among its labels: "bundle=/path" */
		p = jmember(state, "config");
		p = p ? jmember(p, "labels") : NULL;
		if (p && *p == '[') {
			p = ws(p + 1);
			while (p && *p == '"') {
				p = jstr(p, val, sizeof(val));
				if (p && !strncmp(val, "bundle=", 7))
					snprintf(bundle, sizeof(bundle), "%s", val + 7);
				p = p ? ws(p) : NULL;
				if (p && *p == ',')
					p = ws(p + 1);
			}
		}
	}
	if (bundle[0]) {
		snprintf(path, sizeof(path), "%s/config.json", bundle);
		config = slurp(path, 4 << 20);
		ann = config ? jmember(config, "annotations") : NULL;
		if (ann && *ann != '{')
			ann = NULL;
	}
	if (ann) {	/* first pass: the well-known fields */
		p = ws(ann + 1);
		while (p && *p == '"') {
			p = jstr(p, key, sizeof(key));
			p = p ? ws(p) : NULL;
			if (!p || *p != ':')
				break;
			p = ws(p + 1);
			if (*p == '"') {
				p = jstr(p, val, sizeof(val));
				for (size_t i = 0; p && i < sizeof(known) / sizeof(known[0]); i++) {
					if (strcmp(key, known[i].key))
						continue;
					for (int f = 0; f < N_FIELDS; f++)
						if (!strcmp(fields[f], known[i].field) && !vals[f][0])
							snprintf(vals[f], sizeof(vals[f]), "%s", val);
				}
			} else {
				p = jskip(p);
			}
			p = p ? ws(p) : NULL;
			if (p && *p == ',')
				p = ws(p + 1);
		}
	}

	out_begin(o);
	out_lit(o, "{\"kind\":\"container\",\"ts\":");
	out_u64(o, ts);
	out_key(o, "cid");
	out_cstr(o, e->cid);
	out_key(o, "cgroup");
	out_u64(o, e->cgroup);
	out_key(o, "runtime");
	out_cstr(o, e->runtime);
	for (int f = 0; f < N_FIELDS; f++) {
		if (!vals[f][0])
			continue;
		out_lit(o, ",\"");
		out_raw(o, fields[f], strlen(fields[f]));
		out_lit(o, "\":");
		out_cstr(o, vals[f]);
	}
	if (bundle[0]) {
		out_key(o, "bundle");
		out_cstr(o, bundle);
	}
	if (ann) {	/* all annotations, bounded so the line stays under the protocol limit */
		size_t budget = 8 * 1024;	/* escaped at most 6x: the line stays under 64 KiB */
		bool first = true;

		out_key(o, "annotations");
		out_lit(o, "{");
		p = ws(ann + 1);
		while (p && *p == '"') {
			p = jstr(p, key, sizeof(key));
			p = p ? ws(p) : NULL;
			if (!p || *p != ':')
				break;
			p = ws(p + 1);
			if (*p == '"') {
				p = jstr(p, val, sizeof(val));
				if (p && strlen(key) + strlen(val) < budget) {
					budget -= strlen(key) + strlen(val);
					if (!first)
						out_lit(o, ",");
					first = false;
					out_cstr(o, key);
					out_lit(o, ":");
					out_cstr(o, val);
				}
			} else {
				p = jskip(p);
			}
			p = p ? ws(p) : NULL;
			if (p && *p == ',')
				p = ws(p + 1);
		}
		out_lit(o, "}");
	}
	out_lit(o, "}\n");
	free(state);
	free(config);
}

const char *containers_cid(uint64_t cgroup, struct out *o, uint64_t now_ns, bool retry)
{
	uint64_t h = (cgroup * 0x9e3779b97f4a7c15ULL) >> 32;
	struct centry *e = NULL;
	char path[1024];
	const char *rel;

	if (!cache || !cgroup)
		return NULL;
	for (int i = 0; i < 64; i++) {
		struct centry *c = &cache[(h + i) & (CACHE_SLOTS - 1)];

		if (c->cgroup == cgroup || c->cgroup == 0) {
			e = c;
			break;
		}
	}
	if (!e)	/* probe chain full: evict the home slot */
		e = &cache[h & (CACHE_SLOTS - 1)], memset(e, 0, sizeof(*e));
	if (e->cgroup == cgroup && (e->cid[0] || !e->next_try || (now_ns < e->next_try && !retry)))
		return e->cid[0] ? e->cid : NULL;

	if (e->cgroup != cgroup) {
		memset(e, 0, sizeof(*e));
		e->cgroup = cgroup;
	}
	if (!cgroup_path(cgroup, path, sizeof(path))) {
		e->next_try = 0;	/* gone or unknown: stay unattributed */
		return NULL;
	}
	rel = path + (strncmp(path, v2root, strlen(v2root)) ? 0 : strlen(v2root));
	if (rel[0] == 0 || !strcmp(rel, "/")) {
		e->next_try = 0;	/* the root cgroup is the host */
		return NULL;
	}
	classify(e, rel);
	if (e->cid[0]) {
		e->next_try = 0;
		emit_container(e, o, now_ns);
		return e->cid;
	}
	/* A runtime moves its init process into the cgroup before it writes its state:
	 * look again soon, then less and less often. */
	e->tries++;
	e->next_try = now_ns + (e->tries < 50 ? 20000000ULL : 1000000000ULL);
	return NULL;
}
