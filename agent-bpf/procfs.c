// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "containers.h"
#include "procfs.h"

struct pstat {
	uint32_t pid, ppid;
	uint64_t start_ticks;
	char comm[TASK_COMM_LEN];
};

/* /proc/<pid>/stat: "pid (comm) state ppid ... starttime(22)". comm may hold ") ". */
static bool read_stat(uint32_t pid, struct pstat *ps)
{
	char path[64], buf[1024], *l, *r;
	unsigned long long start = 0;
	int fd, ppid = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	if (!l || !r || r < l)
		return false;
	memset(ps->comm, 0, sizeof(ps->comm));
	memcpy(ps->comm, l + 1, (size_t)(r - l - 1) < TASK_COMM_LEN - 1 ? (size_t)(r - l - 1) : TASK_COMM_LEN - 1);
	if (sscanf(r + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &ppid, &start) != 2)
		return false;
	ps->pid = pid;
	ps->ppid = ppid;
	ps->start_ticks = start;
	return true;
}

static int load_all(struct pstat **out)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct pstat *v = NULL;
	int n = 0, cap = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (*end || !pid)
			continue;
		if (n == cap) {
			struct pstat *nv = realloc(v, (cap = cap ? cap * 2 : 512) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		if (read_stat(pid, &v[n]))
			n++;
	}
	closedir(d);
	*out = v;
	return n;
}

static uint64_t ns_inode(uint32_t pid, const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/ns/%s", pid, ns);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size && (n = read(fd, buf + total, size - total)) > 0)
		total += n;
	close(fd);
	return total;
}

static void read_status(uint32_t pid, struct proc_snap *p)
{
	char path[64], buf[4096], *l;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = 0;
	if ((l = strstr(buf, "\nUid:")))
		sscanf(l + 5, "%u %u", &p->h.uid, &p->euid);
	if ((l = strstr(buf, "\nGid:")))
		sscanf(l + 5, "%u %u", &p->h.gid, &p->egid);
}

static uint64_t read_cgroup(uint32_t pid)
{
	char path[64], buf[4096], *l, *e;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	l = strncmp(buf, "0::", 3) ? strstr(buf, "\n0::") : buf - 1;
	if (!l)
		return 0;
	l += 4;
	e = strchr(l, '\n');
	if (e)
		*e = 0;
	return containers_cgroup_id(l);
}

int procfs_snapshot(uint64_t ts, proc_cb cb, void *ctx)
{
	struct pstat *all = NULL;
	uint64_t tick_ns = 1000000000ULL / sysconf(_SC_CLK_TCK);
	struct proc_snap *p = malloc(sizeof(*p));
	int n = load_all(&all);

	if (n < 0 || !p) {
		free(p);
		free(all);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct pstat *ps = &all[i];
		char path[64], buf[64];
		ssize_t k;

		memset(p, 0, offsetof(struct proc_snap, args));
		p->h.kind = 0;
		p->h.pid = p->h.tid = ps->pid;
		p->h.ppid = ps->ppid;
		p->h.ts = ts;
		p->h.start = ps->start_ticks * tick_ns;
		for (int j = 0; j < n; j++)
			if (all[j].pid == ps->ppid) {
				p->h.pstart = all[j].start_ticks * tick_ns;
				break;
			}
		memcpy(p->h.comm, ps->comm, TASK_COMM_LEN);
		read_status(ps->pid, p);
		p->h.cgroup = read_cgroup(ps->pid);
		p->h.mntns = ns_inode(ps->pid, "mnt");
		p->h.pidns = ns_inode(ps->pid, "pid");
		p->h.netns = ns_inode(ps->pid, "net");
		snprintf(path, sizeof(path), "/proc/%u/loginuid", ps->pid);
		if ((k = read_file(path, buf, sizeof(buf) - 1)) > 0) {
			buf[k] = 0;
			p->auid = strtoul(buf, NULL, 10);
			p->has_auid = p->auid != (uint32_t)-1;
		}
		snprintf(path, sizeof(path), "/proc/%u/exe", ps->pid);
		k = readlink(path, p->exe, sizeof(p->exe) - 1);
		p->exe[k > 0 ? k : 0] = 0;
		snprintf(path, sizeof(path), "/proc/%u/cwd", ps->pid);
		k = readlink(path, p->cwd, sizeof(p->cwd) - 1);
		p->cwd[k > 0 ? k : 0] = 0;
		snprintf(path, sizeof(path), "/proc/%u/cmdline", ps->pid);
		k = read_file(path, p->args, ARGS_LEN);
		p->args_len = k > 0 ? k : 0;
		if (k == ARGS_LEN) {	/* more than the bound: say so, like exec does */
			char more;
			int fd = open(path, O_RDONLY | O_CLOEXEC);

			p->args_trunc = fd >= 0 && pread(fd, &more, 1, ARGS_LEN) == 1;
			if (fd >= 0)
				close(fd);
		}
		cb(p, ctx);
	}
	free(p);
	free(all);
	return n;
}

int procfs_descendants(uint32_t root, uint32_t *out, int max)
{
	struct pstat *all = NULL;
	int n = load_all(&all), cnt = 0, grew = 1;

	if (n < 0)
		return 0;
	out[cnt++] = root;
	while (grew && cnt < max) {	/* fixpoint: parents before children is not guaranteed */
		grew = 0;
		for (int i = 0; i < n && cnt < max; i++) {
			bool have = false, parent = false;

			for (int j = 0; j < cnt; j++) {
				have |= out[j] == all[i].pid;
				parent |= out[j] == all[i].ppid;
			}
			if (parent && !have) {
				out[cnt++] = all[i].pid;
				grew = 1;
			}
		}
	}
	free(all);
	return cnt;
}
