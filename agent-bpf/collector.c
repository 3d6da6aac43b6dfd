// SPDX-License-Identifier: Apache-2.0
/* Tracehound collector: loads the BPF programs the running kernel accepts and writes the
 * events as JSON lines (see shared/PROTOCOL.md). */
#define _GNU_SOURCE
#include <argp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "collector.h"
#include "collector.skel.h"
#include "containers.h"
#include "json.h"
#include "procfs.h"

#ifndef COLLECTOR_VERSION
#define COLLECTOR_VERSION "0.1.0"
#endif
#define PROTO_VERSION	1

/* Exit codes, also listed in --help. */
enum {
	EXIT_OK = 0,		/* stopped by signal, stdin EOF or --duration */
	EXIT_RUNTIME = 1,	/* output failed or the ring buffer broke */
	EXIT_USAGE = 2,
	EXIT_PRIV = 3,		/* not root */
	EXIT_KERNEL = 4,	/* no BTF, no ring buffer, programs refused */
	EXIT_PROBE = 5,		/* fork/exec/exit could not be attached */
};

static const char *kind_names[K_MAX] = {
	[K_FORK] = "fork", [K_EXEC] = "exec", [K_EXIT] = "exit", [K_OPEN] = "open",
	[K_NET] = "net", [K_CRED] = "cred", [K_PTRACE] = "ptrace", [K_MODULE] = "module",
	[K_MOUNT] = "mount", [K_NS] = "ns", [K_CAP] = "cap", [K_SYSCALLS] = "syscalls",
};

/* ---- command line -------------------------------------------------------------------- */

static struct env {
	bool verbose;
	long duration;		/* seconds, 0 = until stopped */
	uint32_t kinds;		/* bit per enum kind */
	uint64_t cgroup;
	const char *cgroup_arg;
	const char *container;
	uint32_t pid;
	const char *output;
	const char *open_exclude;
	unsigned long ringbuf_mb;
	bool no_snapshot;
} env = {
	.kinds = (1u << K_MAX) - 1,
	.open_exclude = "/proc,/sys,/dev",
	.ringbuf_mb = 64,
};

const char *argp_program_version = "tracehound-collector " COLLECTOR_VERSION;
static const char argp_doc[] =
"Tracehound collector: process, file, network, credential, namespace, mount, module,\n"
"capability and per-container syscall events from eBPF, as JSON lines on stdout.\n"
"\n"
"Runs as root. Stops on SIGTERM/SIGINT/SIGHUP, when stdin (a pipe or socket) reaches EOF, or\n"
"after --duration; every BPF program is detached on the way out.\n"
"\n"
"KINDS: fork exec exit open net cred ptrace module mount ns cap syscalls. --kinds=exec,exit\n"
"keeps only those; --kinds=-open,-syscalls turns those off.\n"
"\n"
"EXAMPLES:\n"
"    tracehound-collector                      # everything, until stopped\n"
"    tracehound-collector -d 60 -o /tmp/t.jsonl\n"
"    tracehound-collector --pid 1234           # pid 1234 and its descendants\n"
"    tracehound-collector --container 3f2a --kinds=-open\n"
"    tracehound-collector --open-exclude=/proc,/sys,/dev,/usr/lib\n"
"\n"
"EXIT STATUS: 0 stopped normally, 1 runtime error (output closed, ring buffer), 2 usage,\n"
"3 not root, 4 kernel unsupported (no BTF or ring buffer, programs refused),\n"
"5 fork/exec/exit probes could not be attached.";

enum { OPT_OPEN_EXCLUDE = 256, OPT_RINGBUF, OPT_NO_SNAPSHOT };

static const struct argp_option opts[] = {
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS", 0 },
	{ "kinds", 'k', "LIST", 0, "Event kinds on/off (see KINDS)", 0 },
	{ "cgroup", 'c', "ID|PATH", 0, "Only this cgroup v2 (id, or path under the v2 mount)", 0 },
	{ "container", 'C', "ID", 0, "Only events attributed to this container (id prefix)", 0 },
	{ "pid", 'p', "PID", 0, "Only this process and its descendants", 0 },
	{ "output", 'o', "FILE", 0, "Write the lines to FILE instead of stdout", 0 },
	{ "open-exclude", OPT_OPEN_EXCLUDE, "PREFIXES", 0,
	  "Comma-separated path prefixes not reported by open, filtered in the kernel (default "
	  "/proc,/sys,/dev; empty for none; at most 8, 63 bytes each)", 0 },
	{ "ringbuf-mb", OPT_RINGBUF, "MIB", 0, "Ring buffer size in MiB, power of two (default 64)", 0 },
	{ "no-snapshot", OPT_NO_SNAPSHOT, NULL, 0, "Skip the /proc snapshot of running processes", 0 },
	{ "verbose", 'v', NULL, 0, "libbpf debug output on stderr", 0 },
	{ "help", 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static int parse_kinds(const char *arg, uint32_t *out)
{
	char *s = strdup(arg), *tok, *save = NULL;
	uint32_t on = 0, off = 0;
	int err = 0;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool neg = tok[0] == '-';
		const char *name = neg ? tok + 1 : tok;
		int k;

		if (!strcmp(name, "all")) {
			if (neg)
				off |= (1u << K_MAX) - 1;
			else
				on |= (1u << K_MAX) - 1;
			continue;
		}
		for (k = 0; k < K_MAX; k++)
			if (!strcmp(name, kind_names[k]))
				break;
		if (k == K_MAX) {
			fprintf(stderr, "unknown event kind '%s'\n", name);
			err = -EINVAL;
			break;
		}
		if (neg)
			off |= 1u << k;
		else
			on |= 1u << k;
	}
	free(s);
	*out = (on ? on : (1u << K_MAX) - 1) & ~off;
	return err;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case 'v':
		env.verbose = true;
		break;
	case 'd':
		env.duration = strtol(arg, &end, 10);
		if (*end || env.duration <= 0)
			argp_error(state, "invalid duration '%s'", arg);
		break;
	case 'k':
		if (parse_kinds(arg, &env.kinds))
			argp_error(state, "invalid --kinds '%s'", arg);
		break;
	case 'c':
		env.cgroup_arg = arg;
		break;
	case 'C':
		env.container = arg;
		break;
	case 'p':
		env.pid = strtoul(arg, &end, 10);
		if (*end || !env.pid)
			argp_error(state, "invalid pid '%s'", arg);
		break;
	case 'o':
		env.output = arg;
		break;
	case OPT_OPEN_EXCLUDE:
		env.open_exclude = arg;
		break;
	case OPT_RINGBUF:
		env.ringbuf_mb = strtoul(arg, &end, 10);
		if (*end || !env.ringbuf_mb || (env.ringbuf_mb & (env.ringbuf_mb - 1)) ||
		    env.ringbuf_mb > 1024)
			argp_error(state, "--ringbuf-mb must be a power of two up to 1024");
		break;
	case OPT_NO_SNAPSHOT:
		env.no_snapshot = true;
		break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { .options = opts, .parser = parse_arg, .doc = argp_doc };

/* ---- probes: the best attach type per kind that this kernel accepts -------------------- */

enum ptype { PT_TP_BTF, PT_RAW_TP, PT_TRACEPOINT, PT_FEXIT, PT_KPROBE };
static const char *ptype_names[] = { "tp_btf", "raw_tp", "tracepoint", "fentry", "kprobe" };

struct cand {
	enum ptype type;
	const char *tp;		/* tracepoint or function name, for the probe */
	const char *attach;	/* as shown in hello */
	struct bpf_program *progs[2];
};

/* Program groups: kinds backed by the same programs share one group. */
enum { G_FORK, G_EXEC, G_EXIT, G_SYS, G_CAP, G_MAX };

struct group {
	struct cand cands[4];
	int n;
	int chosen;		/* index into cands, -1 = none */
	char reason[512];	/* why better candidates or the whole group are off */
};

static struct group groups[G_MAX];
static bool kind_live[K_MAX];
static char kind_reason[K_MAX][512];

static int kind_group(int k)
{
	switch (k) {
	case K_FORK: return G_FORK;
	case K_EXEC: return G_EXEC;
	case K_EXIT: return G_EXIT;
	case K_CAP: return G_CAP;
	default: return G_SYS;
	}
}

static struct btf *vmlinux_btf;

static int probe_tracing(enum bpf_attach_type at, const char *name, int btf_kind)
{
	struct bpf_insn insns[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = at);
	int id, fd;

	if (!vmlinux_btf)
		return -ENOENT;
	id = btf__find_by_name_kind(vmlinux_btf, name, btf_kind);
	if (id < 0)
		return -ENOENT;
	o.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "th_probe", "GPL", insns, 2, &o);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static bool tracefs_event(const char *tp)
{
	char p[256];

	snprintf(p, sizeof(p), "/sys/kernel/tracing/events/%s/id", tp);
	if (access(p, R_OK) == 0)
		return true;
	snprintf(p, sizeof(p), "/sys/kernel/debug/tracing/events/%s/id", tp);
	return access(p, R_OK) == 0;
}

/* 0 when the candidate can be used, else -errno with a short explanation in why. */
static int probe_cand(const struct cand *c, char *why, size_t n)
{
	char name[128];
	const char *base = strrchr(c->tp, '/') ? strrchr(c->tp, '/') + 1 : c->tp;
	int err;

	switch (c->type) {
	case PT_TP_BTF:
		snprintf(name, sizeof(name), "btf_trace_%s", base);
		err = probe_tracing(BPF_TRACE_RAW_TP, name, BTF_KIND_TYPEDEF);
		break;
	case PT_FEXIT:
		err = probe_tracing(BPF_TRACE_FEXIT, c->tp, BTF_KIND_FUNC);
		break;
	case PT_RAW_TP:
		snprintf(name, sizeof(name), "btf_trace_%s", base);
		if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) != 1)
			err = -EOPNOTSUPP;
		else if (vmlinux_btf && btf__find_by_name_kind(vmlinux_btf, name, BTF_KIND_TYPEDEF) < 0)
			err = -ENOENT;
		else
			err = 0;
		break;
	case PT_TRACEPOINT:
		if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL) != 1)
			err = -EOPNOTSUPP;
		else
			err = tracefs_event(c->tp) ? 0 : -ENOENT;
		break;
	case PT_KPROBE:
		/* the kprobe PMU is what libbpf attaches through */
		if (access("/sys/bus/event_source/devices/kprobe/type", R_OK) != 0) {
			snprintf(why, n, "kprobe: no kprobe support in this kernel");
			return -ENOENT;
		}
		snprintf(why, n, "kprobe: no kprobe variant built (fentry or tracepoint preferred)");
		return -EOPNOTSUPP;
	default:
		err = -EINVAL;
	}
	if (err)
		snprintf(why, n, "%s %s: %s", ptype_names[c->type], c->tp,
			 err == -ENOENT ? "not in this kernel" : strerror(-err));
	return err;
}

static void add_cand(int g, enum ptype t, const char *tp, const char *attach,
		     struct bpf_program *p0, struct bpf_program *p1)
{
	struct group *gr = &groups[g];

	gr->cands[gr->n++] = (struct cand){ t, tp, attach, { p0, p1 } };
}

static void choose_programs(struct collector_bpf *skel)
{
	typeof(skel->progs) *p = &skel->progs;
	uint32_t sys_kinds = (1u << K_OPEN) | (1u << K_NET) | (1u << K_CRED) | (1u << K_PTRACE) |
			     (1u << K_MODULE) | (1u << K_MOUNT) | (1u << K_NS) | (1u << K_SYSCALLS);

	add_cand(G_FORK, PT_TP_BTF, "sched_process_fork", "sched/sched_process_fork", p->th_fork_btf, NULL);
	add_cand(G_FORK, PT_RAW_TP, "sched_process_fork", "sched/sched_process_fork", p->th_fork_raw, NULL);
	add_cand(G_EXEC, PT_TP_BTF, "sched_process_exec", "sched/sched_process_exec", p->th_exec_btf, NULL);
	add_cand(G_EXEC, PT_RAW_TP, "sched_process_exec", "sched/sched_process_exec", p->th_exec_raw, NULL);
	add_cand(G_EXIT, PT_TP_BTF, "sched_process_exit", "sched/sched_process_exit", p->th_exit_btf, NULL);
	add_cand(G_EXIT, PT_RAW_TP, "sched_process_exit", "sched/sched_process_exit", p->th_exit_raw, NULL);
	add_cand(G_SYS, PT_TP_BTF, "sys_enter", "sys_enter+sys_exit", p->th_sysenter_btf, p->th_sysexit_btf);
	add_cand(G_SYS, PT_RAW_TP, "sys_enter", "sys_enter+sys_exit", p->th_sys_enter, p->th_sys_exit);
	add_cand(G_SYS, PT_TRACEPOINT, "raw_syscalls/sys_enter", "raw_syscalls/sys_enter+sys_exit",
		 p->th_sys_enter_tp, p->th_sys_exit_tp);
	add_cand(G_CAP, PT_FEXIT, "cap_capable", "cap_capable", p->th_cap_fexit, NULL);
	add_cand(G_CAP, PT_KPROBE, "cap_capable", "cap_capable", NULL, NULL);
	add_cand(G_CAP, PT_TP_BTF, "cap_capable", "capability/cap_capable", p->th_cap_btf, NULL);
	add_cand(G_CAP, PT_TRACEPOINT, "capability/cap_capable", "capability/cap_capable", p->th_cap_tp, NULL);

	for (int g = 0; g < G_MAX; g++) {
		struct group *gr = &groups[g];
		bool wanted = false;

		for (int k = 0; k < K_MAX; k++)
			wanted |= kind_group(k) == g && (env.kinds & (1u << k));
		if (g == G_SYS)
			wanted = env.kinds & sys_kinds;
		gr->chosen = -1;
		for (int i = 0; i < gr->n; i++) {
			char why[256];
			size_t len = strlen(gr->reason);

			if (wanted && gr->chosen < 0) {
				if (probe_cand(&gr->cands[i], why, sizeof(why)) == 0) {
					gr->chosen = i;
				} else {
					snprintf(gr->reason + len, sizeof(gr->reason) - len, "%s%s",
						 len ? "; " : "", why);
					if (env.verbose)
						fprintf(stderr, "probe: %s\n", why);
				}
			}
			for (int j = 0; j < 2; j++)
				if (gr->cands[i].progs[j])
					bpf_program__set_autoload(gr->cands[i].progs[j], gr->chosen == i);
		}
	}
}

/* ---- output -------------------------------------------------------------------------- */

static struct out out;
static uint64_t sent[K_MAX + 2];	/* + proc, container */
#define SENT_PROC	K_MAX
#define SENT_CONTAINER	(K_MAX + 1)
static struct collector_bpf *skel;
static size_t rb_size;
static uint64_t now_ns;

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void emit_error(const char *msg, bool fatal)
{
	fprintf(stderr, "tracehound-collector: %s\n", msg);
	if (!out.buf)
		return;
	out_begin(&out);
	out_lit(&out, "{\"kind\":\"error\",\"ts\":");
	out_u64(&out, boot_ns());
	out_key(&out, "message");
	out_cstr(&out, msg);
	out_key(&out, "fatal");
	if (fatal)
		out_lit(&out, "true}\n");
	else
		out_lit(&out, "false}\n");
	out_flush(&out);
}

static void out_comm(struct out *o, const char *comm)
{
	out_str(o, comm, strnlen(comm, TASK_COMM_LEN));
}

/* Container id of a cgroup (may write the `container` line first); false when the event does
 * not pass --container. */
static bool attribute(uint64_t cgroup, const char **cid, bool retry)
{
	size_t before = out.len;

	*cid = containers_cid(cgroup, &out, now_ns, retry);
	if (out.len != before)
		sent[SENT_CONTAINER]++;
	if (env.container && (!*cid || strncmp(*cid, env.container, strlen(env.container))))
		return false;
	return true;
}

static void line_start(const char *kind, const struct hdr *h, const char *cid)
{
	out_begin(&out);
	out_lit(&out, "{\"kind\":\"");
	out_raw(&out, kind, strlen(kind));
	out_lit(&out, "\",\"ts\":");
	out_u64(&out, h->ts);
	out_key(&out, "pid");
	out_u64(&out, h->pid);
	out_key(&out, "tid");
	out_u64(&out, h->tid);
	out_key(&out, "ppid");
	out_u64(&out, h->ppid);
	out_key(&out, "start");
	out_u64(&out, h->start);
	out_key(&out, "pstart");
	out_u64(&out, h->pstart);
	out_key(&out, "uid");
	out_u64(&out, h->uid);
	out_key(&out, "gid");
	out_u64(&out, h->gid);
	out_key(&out, "comm");
	out_comm(&out, h->comm);
	out_key(&out, "cgroup");
	out_u64(&out, h->cgroup);
	if (cid) {
		out_key(&out, "cid");
		out_cstr(&out, cid);
	}
	out_key(&out, "mntns");
	out_u64(&out, h->mntns);
	out_key(&out, "pidns");
	out_u64(&out, h->pidns);
	out_key(&out, "netns");
	out_u64(&out, h->netns);
}

static void line_end(void)
{
	out_lit(&out, "}\n");
}

/* NUL-separated argv bytes as a JSON array; a missing final NUL means the last one was cut. */
static void out_argv(const char *a, size_t n)
{
	size_t i = 0;
	bool first = true;

	out_lit(&out, "[");
	if (n && a[n - 1] == 0)
		n--;
	while (n && i <= n) {
		const char *e = memchr(a + i, 0, n - i);
		size_t len = e ? (size_t)(e - (a + i)) : n - i;

		if (!first)
			out_lit(&out, ",");
		first = false;
		out_str(&out, a + i, len);
		i += len + 1;
	}
	out_lit(&out, "]");
}

static void out_addr(int family, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	out_cstr(&out, buf);
}

static const char *op_names[SOP_MAX] = {
	[SOP_CONNECT] = "connect", [SOP_ACCEPT] = "accept", [SOP_ACCEPT4] = "accept",
	[SOP_BIND] = "bind", [SOP_LISTEN] = "listen", [SOP_SENDTO] = "send",
	[SOP_SENDMSG] = "send", [SOP_SENDMMSG] = "send",
	[SOP_SETUID] = "setuid", [SOP_SETGID] = "setgid", [SOP_SETREUID] = "setreuid",
	[SOP_SETRESUID] = "setresuid", [SOP_SETREGID] = "setregid", [SOP_SETRESGID] = "setresgid",
	[SOP_CAPSET] = "capset", [SOP_INIT_MODULE] = "init_module",
	[SOP_FINIT_MODULE] = "finit_module", [SOP_MOUNT] = "mount", [SOP_UMOUNT] = "umount",
	[SOP_MOVE_MOUNT] = "move_mount", [SOP_FSMOUNT] = "fsmount", [SOP_SETNS] = "setns",
	[SOP_UNSHARE] = "unshare", [SOP_CLONE] = "clone", [SOP_CLONE3] = "clone",
};

static const char *cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

static void encode_sys(const struct ev_sys *e, int kind)
{
	uint8_t op = e->h.op;
	int nargs = 0;

	switch (kind) {
	case K_CRED:
		out_key(&out, "op");
		out_cstr(&out, op_names[op]);
		nargs = (op == SOP_SETUID || op == SOP_SETGID) ? 1 :
			(op == SOP_SETREUID || op == SOP_SETREGID) ? 2 :
			(op == SOP_CAPSET) ? 0 : 3;
		out_key(&out, "args");
		out_lit(&out, "[");
		for (int i = 0; i < nargs; i++) {
			if (i)
				out_lit(&out, ",");
			out_i64(&out, (int32_t)e->args[i]);
		}
		out_lit(&out, "]");
		if (op == SOP_CAPSET) {
			out_key(&out, "effective");
			out_hex64(&out, e->cap_eff);
			out_key(&out, "permitted");
			out_hex64(&out, e->cap_perm);
		}
		break;
	case K_PTRACE:
		out_key(&out, "request");
		out_i64(&out, (int64_t)e->args[0]);
		out_key(&out, "target");
		out_i64(&out, (int32_t)e->args[1]);
		break;
	case K_MODULE:
		out_key(&out, "op");
		out_cstr(&out, op_names[op]);
		if (op == SOP_FINIT_MODULE) {
			out_key(&out, "fd");
			out_i64(&out, (int32_t)e->args[0]);
		}
		break;
	case K_NS:
		out_key(&out, "op");
		out_cstr(&out, op_names[op]);
		if (op == SOP_SETNS) {
			out_key(&out, "nstype");
			out_u64(&out, (uint32_t)e->args[1]);
		} else {
			out_key(&out, "flags");
			out_u64(&out, op == SOP_CLONE3 ? e->args[1] : e->args[0]);
		}
		break;
	}
	out_key(&out, "ret");
	out_i64(&out, e->ret);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct hdr *h = data;
	const char *cid;
	int k = h->kind;

	if (size < sizeof(*h) || k >= K_MAX)
		return 0;
	if (!attribute(h->cgroup, &cid, k == K_EXEC))
		return 0;
	line_start(kind_names[k], h, cid);
	switch (k) {
	case K_EXEC: {
		const struct ev_exec *e = data;

		out_key(&out, "filename");
		out_str(&out, e->filename, e->filename_len < FILENAME_LEN ? e->filename_len : FILENAME_LEN);
		if (h->flags & HF_FILE_TRUNC)
			out_lit(&out, ",\"filename_trunc\":true");
		out_key(&out, "argv");
		out_argv(e->args, e->args_len < ARGS_LEN ? e->args_len : ARGS_LEN);
		if (h->flags & HF_ARGV_TRUNC)
			out_lit(&out, ",\"argv_trunc\":true");
		if (e->cwd_len) {
			out_key(&out, "cwd");
			out_str(&out, e->cwd, strnlen(e->cwd, e->cwd_len < CWD_LEN ? e->cwd_len : CWD_LEN));
			if (h->flags & HF_CWD_TRUNC)
				out_lit(&out, ",\"cwd_trunc\":true");
		}
		if (e->exe_len) {
			out_key(&out, "exe");
			out_str(&out, e->exe, strnlen(e->exe, e->exe_len < CWD_LEN ? e->exe_len : CWD_LEN));
			if (h->flags & HF_EXE_TRUNC)
				out_lit(&out, ",\"exe_trunc\":true");
		}
		if (h->flags & HF_OVERLAY) {
			if (h->flags & HF_EXE_UPPER)
				out_lit(&out, ",\"exe_upper\":true");
			else
				out_lit(&out, ",\"exe_upper\":false");
		}
		out_key(&out, "euid");
		out_u64(&out, e->euid);
		out_key(&out, "egid");
		out_u64(&out, e->egid);
		if (h->flags & HF_AUID) {
			out_key(&out, "auid");
			out_u64(&out, e->auid);
		}
		break;
	}
	case K_EXIT: {
		const struct ev_exit *e = data;

		out_key(&out, "code");
		out_u64(&out, e->code);
		out_key(&out, "signal");
		out_u64(&out, e->signal);
		if (h->flags & HF_CORE)
			out_lit(&out, ",\"core\":true");
		break;
	}
	case K_OPEN: {
		const struct ev_open *e = data;

		out_key(&out, "path");
		out_str(&out, e->path, e->path_len < PATH_LEN ? e->path_len : PATH_LEN);
		if (h->flags & HF_PATH_TRUNC)
			out_lit(&out, ",\"path_trunc\":true");
		out_key(&out, "flags");
		out_u64(&out, e->oflags);
		out_key(&out, "ret");
		out_i64(&out, e->ret);
		break;
	}
	case K_NET: {
		const struct ev_net *e = data;

		out_key(&out, "op");
		out_cstr(&out, op_names[h->op] ? op_names[h->op] : "?");
		out_key(&out, "proto");
		out_cstr(&out, e->proto == 6 ? "tcp" : e->proto == 17 ? "udp" : "raw");
		out_key(&out, "family");
		out_u64(&out, e->family);
		out_key(&out, "saddr");
		out_addr(e->family, e->saddr);
		out_key(&out, "sport");
		out_u64(&out, e->sport);
		out_key(&out, "daddr");
		out_addr(e->family, e->daddr);
		out_key(&out, "dport");
		out_u64(&out, e->dport);
		out_key(&out, "ret");
		out_i64(&out, e->ret);
		break;
	}
	case K_MOUNT: {
		const struct ev_mount *e = data;

		out_key(&out, "op");
		out_cstr(&out, op_names[h->op]);
		if (e->source[0]) {
			out_key(&out, "source");
			out_str(&out, e->source, strnlen(e->source, MNT_STR_LEN));
		}
		if (e->target[0]) {
			out_key(&out, "target");
			out_str(&out, e->target, strnlen(e->target, MNT_STR_LEN));
		}
		if (e->fstype[0]) {
			out_key(&out, "fstype");
			out_str(&out, e->fstype, strnlen(e->fstype, MNT_STR_LEN));
		}
		out_key(&out, "flags");
		out_u64(&out, e->mflags);
		out_key(&out, "ret");
		out_i64(&out, e->ret);
		break;
	}
	case K_CAP: {
		const struct ev_cap *e = data;

		out_key(&out, "cap");
		out_i64(&out, e->cap);
		out_key(&out, "cap_name");
		if (e->cap >= 0 && e->cap < (int)(sizeof(cap_names) / sizeof(cap_names[0])))
			out_cstr(&out, cap_names[e->cap]);
		else
			out_lit(&out, "\"CAP_UNKNOWN\"");
		if (e->audit != 2) {
			out_key(&out, "audit");
			if (e->audit)
				out_lit(&out, "true");
			else
				out_lit(&out, "false");
		}
		out_key(&out, "verdict");
		if (e->ret == 0)
			out_lit(&out, "\"allow\"");
		else
			out_lit(&out, "\"deny\"");
		break;
	}
	case K_CRED:
	case K_PTRACE:
	case K_MODULE:
	case K_NS:
		encode_sys(data, k);
		break;
	}
	line_end();
	sent[k]++;
	return 0;
}

/* ---- snapshot, syscall sets, stats --------------------------------------------------- */

static uint32_t *snap_pids;
static int snap_npids;

static void on_proc(const struct proc_snap *p, void *ctx)
{
	const char *cid;
	bool keep = !env.pid;

	for (int i = 0; !keep && i < snap_npids; i++)
		keep = snap_pids[i] == p->h.pid;
	if (!keep || p->h.pid == (uint32_t)getpid())
		return;
	if (env.cgroup && p->h.cgroup != env.cgroup)
		return;
	if (!attribute(p->h.cgroup, &cid, false))
		return;
	line_start("proc", &p->h, cid);
	out_key(&out, "exe");
	out_cstr(&out, p->exe);
	out_key(&out, "argv");
	out_argv(p->args, p->args_len);
	if (p->args_trunc)
		out_lit(&out, ",\"argv_trunc\":true");
	out_key(&out, "cwd");
	out_cstr(&out, p->cwd);
	out_key(&out, "euid");
	out_u64(&out, p->euid);
	out_key(&out, "egid");
	out_u64(&out, p->egid);
	if (p->has_auid) {
		out_key(&out, "auid");
		out_u64(&out, p->auid);
	}
	line_end();
	sent[SENT_PROC]++;
}

/* What userspace already reported per (cgroup, phase); the kernel map only grows. */
#define SC_SLOTS 8192
static struct sc_seen {
	struct sc_key key;
	struct sc_val val;
	bool used;
} *sc_seen;

static struct sc_seen *sc_slot(const struct sc_key *k)
{
	uint64_t h = ((k->cgroup * 2 + k->phase) * 0x9e3779b97f4a7c15ULL) >> 40;

	for (int i = 0; i < SC_SLOTS; i++) {
		struct sc_seen *s = &sc_seen[(h + i) & (SC_SLOTS - 1)];

		if (!s->used || (s->key.cgroup == k->cgroup && s->key.phase == k->phase))
			return s;
	}
	return NULL;
}

static void flush_syscalls(void)
{
	int fd = bpf_map__fd(skel->maps.sc_sets);
	struct sc_key key, next, *prev = NULL;
	struct sc_val val;

	if (!kind_live[K_SYSCALLS])
		return;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct sc_seen *s;
		const char *cid;
		bool any = false;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;
		s = sc_slot(&key);
		if (!s)
			continue;
		if (!s->used) {
			memset(s, 0, sizeof(*s));
			s->used = true;
			s->key = key;
		}
		for (int w = 0; w < NR_SYSCALLS / 64; w++)
			any |= (val.bits[w] & ~s->val.bits[w]) != 0;
		if (!any)
			continue;
		if (!attribute(key.cgroup, &cid, true))
			continue;
		out_begin(&out);
		out_lit(&out, "{\"kind\":\"syscalls\",\"ts\":");
		out_u64(&out, now_ns);
		out_key(&out, "cgroup");
		out_u64(&out, key.cgroup);
		if (cid) {
			out_key(&out, "cid");
			out_cstr(&out, cid);
		}
		out_lit(&out, ",\"arch\":\"x86_64\",\"phase\":");
		if (key.phase)
			out_lit(&out, "\"workload\"");
		else
			out_lit(&out, "\"runtime\"");
		out_key(&out, "nr");
		out_lit(&out, "[");
		any = false;
		for (int nr = 0; nr < NR_SYSCALLS; nr++) {
			uint64_t bit = 1ULL << (nr & 63);

			if (!(val.bits[nr / 64] & bit) || (s->val.bits[nr / 64] & bit))
				continue;
			if (any)
				out_lit(&out, ",");
			any = true;
			out_u64(&out, nr);
		}
		out_lit(&out, "]}\n");
		s->val = val;
		sent[K_SYSCALLS]++;
	}
}

static uint64_t drops_total[STAT_SLOTS];
static uint64_t rb_used_max;

static void read_drops(void)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[ncpu > 0 ? ncpu : 1];
	int fd = bpf_map__fd(skel->maps.drops);

	for (uint32_t k = 0; k < STAT_SLOTS; k++) {
		uint64_t sum = 0, max = 0;

		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++) {
			sum += vals[c];
			max = vals[c] > max ? vals[c] : max;
		}
		if (k == STAT_RB_USED) {
			/* high mark per interval: reset after reading */
			rb_used_max = max;
			memset(vals, 0, sizeof(uint64_t) * ncpu);
			bpf_map_update_elem(fd, &k, vals, BPF_ANY);
		} else {
			drops_total[k] = sum;
		}
	}
}

static void out_counts(void)
{
	out_key(&out, "sent");
	out_lit(&out, "{");
	for (int k = 0; k < K_MAX; k++) {
		if (k)
			out_lit(&out, ",");
		out_lit(&out, "\"");
		out_raw(&out, kind_names[k], strlen(kind_names[k]));
		out_lit(&out, "\":");
		out_u64(&out, sent[k]);
	}
	out_lit(&out, ",\"proc\":");
	out_u64(&out, sent[SENT_PROC]);
	out_lit(&out, ",\"container\":");
	out_u64(&out, sent[SENT_CONTAINER]);
	out_lit(&out, "}");
	out_key(&out, "dropped");
	out_lit(&out, "{");
	for (int k = 0; k < K_MAX; k++) {
		if (k)
			out_lit(&out, ",");
		out_lit(&out, "\"");
		out_raw(&out, kind_names[k], strlen(kind_names[k]));
		out_lit(&out, "\":");
		out_u64(&out, drops_total[k]);
	}
	out_lit(&out, "}");
	out_key(&out, "ringbuf");
	out_lit(&out, "{\"size\":");
	out_u64(&out, rb_size);
	out_lit(&out, ",\"used_max\":");
	out_u64(&out, rb_used_max);
	out_lit(&out, "}");
}

static void emit_stats(void)
{
	read_drops();
	out_begin(&out);
	out_lit(&out, "{\"kind\":\"stats\",\"ts\":");
	out_u64(&out, boot_ns());
	out_counts();
	out_lit(&out, "}\n");
}

static void emit_bye(const char *reason)
{
	read_drops();
	out_begin(&out);
	out_lit(&out, "{\"kind\":\"bye\",\"ts\":");
	out_u64(&out, boot_ns());
	out_key(&out, "reason");
	out_cstr(&out, reason);
	out_counts();
	out_lit(&out, "}\n");
	out_flush(&out);
}

static void read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, n, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
}

static void emit_hello(void)
{
	struct utsname u;
	char boot_id[64], host[256];
	const char *sep = "";

	uname(&u);
	read_line("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = 0;

	out_begin(&out);
	out_lit(&out, "{\"kind\":\"hello\",\"proto\":");
	out_u64(&out, PROTO_VERSION);
	out_key(&out, "collector");
	out_cstr(&out, COLLECTOR_VERSION);
	out_key(&out, "kernel");
	out_cstr(&out, u.release);
	out_key(&out, "arch");
	out_cstr(&out, u.machine);
	out_key(&out, "boot_id");
	out_cstr(&out, boot_id);
	out_key(&out, "hostname");
	out_cstr(&out, host);
	out_key(&out, "clock");
	out_lit(&out, "{\"boot_ns\":");
	out_u64(&out, boot_ns());
	out_lit(&out, ",\"wall_ns\":");
	out_u64(&out, wall_ns());
	out_lit(&out, "}");
	out_key(&out, "self_pid");
	out_u64(&out, getpid());
	out_key(&out, "probes");
	out_lit(&out, "{");
	for (int k = 0; k < K_MAX; k++) {
		struct group *g = &groups[kind_group(k)];

		out_raw(&out, sep, strlen(sep));
		sep = ",";
		out_lit(&out, "\"");
		out_raw(&out, kind_names[k], strlen(kind_names[k]));
		out_lit(&out, "\":{\"live\":");
		if (kind_live[k]) {
			const struct cand *c = &g->cands[g->chosen];

			out_lit(&out, "true,\"type\":");
			out_cstr(&out, c->type == PT_FEXIT ? "fentry" : ptype_names[c->type]);
			out_key(&out, "attach");
			out_cstr(&out, c->type == PT_FEXIT ? "fexit/cap_capable" : c->attach);
		} else {
			out_lit(&out, "false");
		}
		if (kind_reason[k][0]) {
			out_key(&out, "reason");
			out_cstr(&out, kind_reason[k]);
		}
		out_lit(&out, "}");
	}
	out_lit(&out, "}");
	out_key(&out, "config");
	out_lit(&out, "{\"duration\":");
	out_u64(&out, env.duration);
	out_key(&out, "kinds");
	out_lit(&out, "[");
	sep = "";
	for (int k = 0; k < K_MAX; k++) {
		if (!(env.kinds & (1u << k)))
			continue;
		out_raw(&out, sep, strlen(sep));
		sep = ",";
		out_cstr(&out, kind_names[k]);
	}
	out_lit(&out, "]");
	if (env.cgroup) {
		out_key(&out, "cgroup");
		out_u64(&out, env.cgroup);
	}
	if (env.container) {
		out_key(&out, "container");
		out_cstr(&out, env.container);
	}
	if (env.pid) {
		out_key(&out, "pid");
		out_u64(&out, env.pid);
	}
	if (env.output) {
		out_key(&out, "output");
		out_cstr(&out, env.output);
	}
	out_key(&out, "open_exclude");
	out_cstr(&out, env.open_exclude);
	out_key(&out, "ringbuf_bytes");
	out_u64(&out, rb_size);
	out_lit(&out, "}}\n");
	out_flush(&out);
}

/* ---- setup helpers ------------------------------------------------------------------- */

static volatile sig_atomic_t exiting;

static void sig_handler(int sig)
{
	exiting = sig;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void ensure_tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) == 0)
		return;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		fprintf(stderr, "tracehound-collector: mounted tracefs on /sys/kernel/tracing\n");
	else
		fprintf(stderr, "tracehound-collector: tracefs not mounted and mount failed: %s "
			"(tracepoint fallbacks unavailable)\n", strerror(errno));
}

static void fill_sys_ops(struct collector_bpf *s)
{
	static const struct { int nr; uint8_t op; } tbl[] = {
		{ SYS_openat, SOP_OPENAT }, { SYS_openat2, SOP_OPENAT2 }, { SYS_open, SOP_OPEN },
		{ SYS_connect, SOP_CONNECT }, { SYS_accept, SOP_ACCEPT }, { SYS_accept4, SOP_ACCEPT4 },
		{ SYS_bind, SOP_BIND }, { SYS_listen, SOP_LISTEN }, { SYS_sendto, SOP_SENDTO },
		{ SYS_sendmsg, SOP_SENDMSG }, { SYS_sendmmsg, SOP_SENDMMSG },
		{ SYS_setuid, SOP_SETUID }, { SYS_setgid, SOP_SETGID }, { SYS_setreuid, SOP_SETREUID },
		{ SYS_setresuid, SOP_SETRESUID }, { SYS_setregid, SOP_SETREGID },
		{ SYS_setresgid, SOP_SETRESGID }, { SYS_capset, SOP_CAPSET },
		{ SYS_ptrace, SOP_PTRACE }, { SYS_init_module, SOP_INIT_MODULE },
		{ SYS_finit_module, SOP_FINIT_MODULE }, { SYS_mount, SOP_MOUNT },
		{ SYS_umount2, SOP_UMOUNT }, { SYS_move_mount, SOP_MOVE_MOUNT },
		{ SYS_fsmount, SOP_FSMOUNT }, { SYS_setns, SOP_SETNS }, { SYS_unshare, SOP_UNSHARE },
		{ SYS_clone, SOP_CLONE }, { SYS_clone3, SOP_CLONE3 },
	};
	static const int kinds_of[] = {
		[SOP_OPENAT] = K_OPEN, [SOP_OPENAT2] = K_OPEN, [SOP_OPEN] = K_OPEN,
		[SOP_CONNECT] = K_NET, [SOP_ACCEPT] = K_NET, [SOP_ACCEPT4] = K_NET, [SOP_BIND] = K_NET,
		[SOP_LISTEN] = K_NET, [SOP_SENDTO] = K_NET, [SOP_SENDMSG] = K_NET, [SOP_SENDMMSG] = K_NET,
		[SOP_SETUID] = K_CRED, [SOP_SETGID] = K_CRED, [SOP_SETREUID] = K_CRED,
		[SOP_SETRESUID] = K_CRED, [SOP_SETREGID] = K_CRED, [SOP_SETRESGID] = K_CRED,
		[SOP_CAPSET] = K_CRED, [SOP_PTRACE] = K_PTRACE, [SOP_INIT_MODULE] = K_MODULE,
		[SOP_FINIT_MODULE] = K_MODULE, [SOP_MOUNT] = K_MOUNT, [SOP_UMOUNT] = K_MOUNT,
		[SOP_MOVE_MOUNT] = K_MOUNT, [SOP_FSMOUNT] = K_MOUNT, [SOP_SETNS] = K_NS,
		[SOP_UNSHARE] = K_NS, [SOP_CLONE] = K_NS, [SOP_CLONE3] = K_NS,
	};

	for (size_t i = 0; i < sizeof(tbl) / sizeof(tbl[0]); i++)
		if (env.kinds & (1u << kinds_of[tbl[i].op]))
			s->rodata->sys_ops[tbl[i].nr] = tbl[i].op;
}

static int set_open_exclude(struct collector_bpf *s)
{
	char *list = strdup(env.open_exclude), *tok, *save = NULL;
	uint32_t n = 0;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);

		if (!len)
			continue;
		if (n == 8 || len >= 64) {
			free(list);
			return -EINVAL;
		}
		memcpy((char *)s->rodata->prefixes[n], tok, len);
		s->rodata->prefix_len[n++] = len;
	}
	s->rodata->n_prefixes = n;
	free(list);
	return 0;
}

/* --cgroup: an id, a directory of the v2 hierarchy, or a path relative to its mount. */
static int resolve_cgroup(const char *arg, uint64_t *id)
{
	char rel[1024], *end;
	struct stat st;

	*id = strtoull(arg, &end, 10);
	if (!*end && *id)
		return 0;
	if (arg[0] == '/' && stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		*id = st.st_ino;
		return 0;
	}
	snprintf(rel, sizeof(rel), "%s%s", arg[0] == '/' ? "" : "/", arg);
	*id = containers_cgroup_id(rel);
	return *id ? 0 : -ENOENT;
}

/* ---- main ---------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	struct bpf_link *links[16] = {};
	struct ring_buffer *rb = NULL;
	const char *reason = "signal";
	int nlinks = 0, err, ep = -1, out_fd = STDOUT_FILENO, code = EXIT_OK;
	bool watch_stdin = false, no_cgroup2 = false;
	uint64_t next_stats, deadline = 0;
	struct sigaction sa = { .sa_handler = sig_handler };
	struct stat st;
	char msg[1024];

	/* 1. Command line; output first so that every later failure can be reported as a line. */
	argp_err_exit_status = EXIT_USAGE;
	err = argp_parse(&argp, argc, argv, ARGP_NO_HELP, NULL, NULL);
	if (err)
		return EXIT_USAGE;
	if (env.output) {
		out_fd = open(env.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out_fd < 0) {
			fprintf(stderr, "tracehound-collector: cannot open %s: %s\n", env.output, strerror(errno));
			return EXIT_USAGE;
		}
	}
	if (out_init(&out, out_fd, 4 << 20)) {
		fprintf(stderr, "tracehound-collector: out of memory\n");
		return EXIT_RUNTIME;
	}

	/* 2. Privileges and kernel prerequisites. */
	if (geteuid() != 0) {
		emit_error("must run as root: loading eBPF programs needs CAP_BPF, CAP_PERFMON and "
			   "CAP_SYS_ADMIN (try sudo)", true);
		code = EXIT_PRIV;
		goto cleanup;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		emit_error("kernel BTF missing (/sys/kernel/btf/vmlinux): a kernel built with "
			   "CONFIG_DEBUG_INFO_BTF is required", true);
		code = EXIT_KERNEL;
		goto cleanup;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		emit_error("kernel lacks BPF ring buffers (Linux 5.8 or newer is required)", true);
		code = EXIT_KERNEL;
		goto cleanup;
	}
	ensure_tracefs();
	libbpf_set_print(libbpf_print_fn);
	vmlinux_btf = btf__load_vmlinux_btf();
	no_cgroup2 = !containers_init();	/* reported after hello, which must come first */
	if (env.cgroup_arg && resolve_cgroup(env.cgroup_arg, &env.cgroup)) {
		snprintf(msg, sizeof(msg), "unknown cgroup '%s'", env.cgroup_arg);
		emit_error(msg, true);
		code = EXIT_USAGE;
		goto cleanup;
	}

	/* 3. Open the skeleton, pick a program per kind, set the knobs. */
	skel = collector_bpf__open();
	if (!skel) {
		emit_error("failed to open the BPF object", true);
		code = EXIT_KERNEL;
		goto cleanup;
	}
	choose_programs(skel);
	rb_size = (size_t)env.ringbuf_mb << 20;
	bpf_map__set_max_entries(skel->maps.rb, rb_size);
	skel->rodata->self_tgid = getpid();
	skel->rodata->kinds_on = env.kinds;
	skel->rodata->filter_cgroup = env.cgroup;
	skel->rodata->filter_pid = env.pid != 0;
	skel->rodata->wakeup_bytes = rb_size / 8;
	fill_sys_ops(skel);
	if (set_open_exclude(skel)) {
		emit_error("--open-exclude: at most 8 prefixes of at most 63 bytes", true);
		code = EXIT_USAGE;
		goto cleanup;
	}

	/* 4. Load. */
	err = collector_bpf__load(skel);
	if (err) {
		snprintf(msg, sizeof(msg), "the kernel refused the BPF programs: %s (run with -v "
			 "for the verifier log)", strerror(-err));
		emit_error(msg, true);
		code = EXIT_KERNEL;
		goto cleanup;
	}
	if (env.pid) {
		uint32_t *pids = calloc(65536, sizeof(uint32_t));
		uint8_t one = 1;

		snap_npids = pids ? procfs_descendants(env.pid, pids, 65536) : 0;
		snap_pids = pids;
		for (int i = 0; i < snap_npids; i++)
			bpf_map_update_elem(bpf_map__fd(skel->maps.tracked), &pids[i], &one, BPF_ANY);
	}

	/* 5. Attach, one program at a time: a failure turns off its kinds, not the collector. */
	for (int g = 0; g < G_MAX; g++) {
		struct group *gr = &groups[g];
		const char *why = gr->reason;

		if (gr->chosen >= 0) {
			for (int j = 0; j < 2 && gr->chosen >= 0; j++) {
				struct bpf_program *p = gr->cands[gr->chosen].progs[j];

				if (!p)
					continue;
				links[nlinks] = bpf_program__attach(p);
				if (!links[nlinks]) {
					size_t len = strlen(gr->reason);

					snprintf(gr->reason + len, sizeof(gr->reason) - len, "%sattach %s: %s",
						 len ? "; " : "", bpf_program__name(p), strerror(errno));
					gr->chosen = -1;
					break;
				}
				nlinks++;
			}
		}
		for (int k = 0; k < K_MAX; k++) {
			if (kind_group(k) != g)
				continue;
			if (!(env.kinds & (1u << k))) {
				snprintf(kind_reason[k], sizeof(kind_reason[k]), "disabled on the command line");
				continue;
			}
			kind_live[k] = gr->chosen >= 0;
			snprintf(kind_reason[k], sizeof(kind_reason[k]), "%s", why);
		}
	}
	if (!kind_live[K_FORK] || !kind_live[K_EXEC] || !kind_live[K_EXIT]) {
		for (int k = K_FORK; k <= K_EXIT; k++) {
			if (!kind_live[k] && (env.kinds & (1u << k))) {
				snprintf(msg, sizeof(msg), "required probe for %s failed: %s", kind_names[k],
					 kind_reason[k]);
				emit_error(msg, true);
				code = EXIT_PROBE;
				goto cleanup;
			}
		}
	}

	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), handle_event, NULL, NULL);
	if (!rb) {
		emit_error("failed to create the ring buffer reader", true);
		code = EXIT_RUNTIME;
		goto cleanup;
	}
	sc_seen = calloc(SC_SLOTS, sizeof(*sc_seen));

	/* 6. Stop conditions: signals, stdin EOF (when stdin is a pipe or socket), duration. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ep = epoll_create1(EPOLL_CLOEXEC);
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 };

		epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev);
		if (fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
			ev.data.u32 = 0;
			ev.events = EPOLLIN | EPOLLHUP;
			watch_stdin = epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) == 0;
		}
	}

	/* 7. hello, then the processes already running. */
	emit_hello();
	if (no_cgroup2)
		emit_error("no cgroup v2 mount found: container attribution is off", false);
	now_ns = boot_ns();
	if (!env.no_snapshot)
		procfs_snapshot(now_ns, on_proc, NULL);
	out_flush(&out);
	next_stats = boot_ns() + 1000000000ULL;
	if (env.duration)
		deadline = boot_ns() + env.duration * 1000000000ULL;

	/* 8. Drain on a short timer (producers skip most wakeups) until told to stop. */
	while (!exiting) {
		struct epoll_event evs[4];
		int n = epoll_wait(ep, evs, 4, 10);

		if (n < 0 && errno != EINTR) {
			reason = "error";
			code = EXIT_RUNTIME;
			break;
		}
		for (int i = 0; i < n; i++) {
			char buf[4096];
			ssize_t r;

			if (evs[i].data.u32 != 0 || !watch_stdin)
				continue;
			r = read(STDIN_FILENO, buf, sizeof(buf));
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				reason = "stdin";
				exiting = -1;
			}
		}
		now_ns = boot_ns();
		err = ring_buffer__consume(rb);
		if (err < 0 && err != -EINTR) {
			snprintf(msg, sizeof(msg), "ring buffer: %s", strerror(-err));
			emit_error(msg, true);
			reason = "error";
			code = EXIT_RUNTIME;
			break;
		}
		if (now_ns >= next_stats) {
			flush_syscalls();
			emit_stats();
			next_stats += 1000000000ULL;
			if (next_stats < now_ns)
				next_stats = now_ns + 1000000000ULL;
		}
		if (out_flush(&out)) {
			fprintf(stderr, "tracehound-collector: output: %s\n", strerror(out.err));
			reason = "error";
			code = EXIT_RUNTIME;
			break;
		}
		if (deadline && now_ns >= deadline) {
			reason = "duration";
			break;
		}
	}

	/* 9. Drain what is left, the last syscall sets, and say goodbye. */
	if (!out.err) {
		now_ns = boot_ns();
		ring_buffer__consume(rb);
		flush_syscalls();
		emit_bye(reason);
	}

cleanup:
	if (ep >= 0)
		close(ep);
	ring_buffer__free(rb);
	for (int i = nlinks - 1; i >= 0; i--)
		bpf_link__destroy(links[i]);
	collector_bpf__destroy(skel);
	btf__free(vmlinux_btf);
	containers_free();
	free(sc_seen);
	free(snap_pids);
	out_flush(&out);
	out_free(&out);
	if (out_fd != STDOUT_FILENO)
		close(out_fd);
	return code;
}
