// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Tracehound collector, kernel side.
 *
 * Each event kind has several programs, one per attach type, best first; the loader keeps the
 * best one the running kernel accepts (see probes in collector.c) and disables the others with
 * bpf_program__set_autoload(false). Bodies are shared and read kernel memory with CO-RE only, so
 * the same code is valid under tp_btf, raw_tp and classic tracepoints.
 *
 * Syscall-level kinds (open, net, cred, ptrace, module, mount, ns) hang off one sys_enter and one
 * sys_exit program: sys_enter saves the arguments of the syscalls of interest (a per-number table
 * in rodata), sys_exit emits one record with the result. The same sys_enter feeds the per-cgroup
 * syscall bitmaps used for seccomp drafts.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "collector.h"

#define AF_INET		2
#define AF_INET6	10
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define SOCK_RAW	3
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define EINPROGRESS	115
#define TS_COMPAT	0x0002
#define CLONE_NEW_MASK	(0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | \
			 0x20000000 | 0x40000000 | 0x00000080)
#define MAX_PREFIXES	8
#define PREFIX_LEN	64

/* Knobs, set by the loader before load. */
const volatile __u32 self_tgid = 0;
const volatile __u32 kinds_on = 0;		/* bit per enum kind */
const volatile __u64 filter_cgroup = 0;		/* 0 = all */
const volatile bool filter_pid = false;		/* only tgids in tracked */
const volatile __u64 wakeup_bytes = 1 << 20;	/* force a wakeup above this fill */
const volatile __u8 sys_ops[NR_SYSCALLS] = {};	/* syscall number -> enum sysop */
const volatile __u32 n_prefixes = 0;		/* open paths excluded by prefix */
const volatile __u32 prefix_len[MAX_PREFIXES] = {};
const volatile char prefixes[MAX_PREFIXES][PREFIX_LEN] = {};

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);	/* resized by the loader */
} rb SEC(".maps");

/* Failed reserves per kind, and the ring-buffer fill high mark (slot STAT_RB_USED). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Syscall arguments saved at sys_enter, keyed by thread id. */
struct pending {
	__u64 args[6];
	__u32 nr;
	__u32 _pad;
};

/* LRU: threads parked in accept() or connect() for hours must not make later inserts fail */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct pending);
} pend SEC(".maps");

/* Process subtree followed with --pid (tgid -> 1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct sc_key);
	__type(value, struct sc_val);
} sc_sets SEC(".maps");

/* UDP peers already reported per process, and capabilities already reported per process. */
struct peer_key {
	__u32 tgid;
	__u16 dport;
	__u8 family;
	__u8 failed;
	__u8 daddr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct peer_key);
	__type(value, __u8);
} udp_peers SEC(".maps");

struct cap_key {
	__u32 tgid;
	__s32 cap;
	__s32 denied;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct cap_key);
	__type(value, __u8);
} caps_seen SEC(".maps");

static __always_inline bool kind_on(int k)
{
	return kinds_on & (1u << k);
}

static __always_inline void count_drop(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&drops, &k);

	if (v)
		*v += 1;
}

static __always_inline void *reserve(__u32 k, __u64 size)
{
	void *e = bpf_ringbuf_reserve(&rb, size, 0);

	if (!e)
		count_drop(k);
	return e;
}

/* Wakeups are batched: userspace drains on a short timer and is woken early only when the
 * buffer is filling up. The fill high mark feeds the `stats` line. */
static __always_inline void submit(void *e)
{
	__u32 slot = STAT_RB_USED;
	__u64 used = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	__u64 *v = bpf_map_lookup_elem(&drops, &slot);

	if (v && used > *v)
		*v = used;
	bpf_ringbuf_submit(e, used >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline __u64 task_cgroup(struct task_struct *t)
{
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
}

/* Own activity and the command-line filters, decided before any record is reserved. */
static __always_inline bool wanted(__u32 tgid, __u64 cgroup)
{
	if (tgid == self_tgid)
		return false;
	if (filter_cgroup && cgroup != filter_cgroup)
		return false;
	if (filter_pid && !bpf_map_lookup_elem(&tracked, &tgid))
		return false;
	return true;
}

static __always_inline __u32 task_pidns(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &p->numbers[level & 31]);
	return BPF_CORE_READ(up.ns, ns.inum);
}

static __always_inline void fill_hdr(struct hdr *h, struct task_struct *t, __u8 kind, __u64 cgroup)
{
	struct task_struct *leader = BPF_CORE_READ(t, group_leader);
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);

	h->kind = kind;
	h->op = 0;
	h->flags = 0;
	h->pid = BPF_CORE_READ(t, tgid);
	h->tid = BPF_CORE_READ(t, pid);
	h->ppid = BPF_CORE_READ(parent, tgid);
	h->ts = bpf_ktime_get_boot_ns();
	h->start = BPF_CORE_READ(leader, start_boottime);
	h->pstart = BPF_CORE_READ(parent, group_leader, start_boottime);
	h->cgroup = cgroup;
	h->uid = BPF_CORE_READ(t, real_cred, uid.val);
	h->gid = BPF_CORE_READ(t, real_cred, gid.val);
	h->mntns = BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
	h->netns = BPF_CORE_READ(t, nsproxy, net_ns, ns.inum);
	h->pidns = task_pidns(t);
	h->_pad = 0;
	BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
}

static __always_inline struct task_struct *cur(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* The current task's context, for tp_btf programs: bpf_get_current_task_btf() gives a pointer the
 * verifier lets us walk with plain loads, which is much cheaper than a helper call per field. */
static __always_inline void fill_hdr_btf(struct hdr *h, __u8 kind, __u64 cgroup)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct task_struct *parent = t->real_parent;
	const struct cred *rc = t->real_cred;
	struct nsproxy *nsp = t->nsproxy;

	h->kind = kind;
	h->op = 0;
	h->flags = 0;
	h->pid = t->tgid;
	h->tid = t->pid;
	h->ppid = parent->tgid;
	h->ts = bpf_ktime_get_boot_ns();
	h->start = t->group_leader->start_boottime;
	h->pstart = parent->group_leader->start_boottime;
	h->cgroup = cgroup;
	h->uid = rc->uid.val;
	h->gid = rc->gid.val;
	h->mntns = nsp->mnt_ns->ns.inum;
	h->netns = nsp->net_ns->ns.inum;
	h->pidns = task_pidns(t);
	h->_pad = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/* btf is a constant at each call site: the unused branch is compiled out. */
static __always_inline void fill_cur(struct hdr *h, __u8 kind, __u64 cgroup, bool btf)
{
	if (btf)
		fill_hdr_btf(h, kind, cgroup);
	else
		fill_hdr(h, cur(), kind, cgroup);
}

/* ---- process lifecycle ---------------------------------------------------------------- */

static __always_inline int on_fork(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u64 cg;
	struct hdr *e;

	if (BPF_CORE_READ(child, pid) != ctgid)	/* a thread, not a process */
		return 0;
	if (filter_pid && bpf_map_lookup_elem(&tracked, &ptgid)) {
		__u8 one = 1;

		bpf_map_update_elem(&tracked, &ctgid, &one, BPF_ANY);
	}
	if (!kind_on(K_FORK))
		return 0;
	cg = task_cgroup(child);
	if (!wanted(ctgid, cg) || ptgid == self_tgid)
		return 0;
	e = reserve(K_FORK, sizeof(*e));
	if (!e)
		return 0;
	fill_hdr(e, child, K_FORK, cg);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(th_fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(th_fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

/* Paths from dentries (cwd, and the executable when execve was given /proc/self/exe or an fd):
 * collect component names up to the task's root (crossing mounts), then write them root first.
 * Both walks run under bpf_loop so the verifier checks one step. */
#define CWD_NAMES	32	/* >= CWD_DEPTH, power of two */

struct cwd_walk {
	struct dentry *d;
	struct dentry *root_d;
	struct vfsmount *vm;
	struct vfsmount *root_vm;
	struct mount *mnt;
	struct ev_exec *e;
	const unsigned char *names[CWD_NAMES];
	__u32 n;
	__u32 off;
	__u32 exe;	/* writing e->exe instead of e->cwd */
	__u32 trunc;
};

static long cwd_up(__u32 i, struct cwd_walk *c)
{
	struct dentry *d = c->d;
	struct vfsmount *vm = c->vm;
	struct mount *mnt = c->mnt, *parent;

	if (d == c->root_d && vm == c->root_vm)
		return 1;
	if (d == BPF_CORE_READ(vm, mnt_root)) {
		parent = BPF_CORE_READ(mnt, mnt_parent);
		if (parent == mnt)
			return 1;
		c->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		c->mnt = parent;
		c->vm = (struct vfsmount *)__builtin_preserve_access_index(&parent->mnt);
		return 0;
	}
	if (c->n >= CWD_DEPTH) {
		c->trunc = 1;
		return 1;
	}
	c->names[c->n & (CWD_NAMES - 1)] = BPF_CORE_READ(d, d_name.name);
	c->n++;
	c->d = BPF_CORE_READ(d, d_parent);
	return 0;
}

static long cwd_down(__u32 i, struct cwd_walk *c)
{
	struct ev_exec *e = c->e;
	char *dst = c->exe ? e->exe : e->cwd;
	__u32 off = c->off;
	long len;

	if (i >= c->n)
		return 1;
	if (off >= CWD_LEN - 2) {
		c->trunc = 1;
		return 1;
	}
	dst[off & (CWD_LEN - 1)] = '/';
	off++;
	len = bpf_probe_read_kernel_str(&dst[off & (CWD_LEN - 1)], CWD_LEN - (off & (CWD_LEN - 1)),
					c->names[(c->n - 1 - i) & (CWD_NAMES - 1)]);
	if (len > 1)
		off += len - 1;
	c->off = off;
	return 0;
}

/* Writes the path of (dentry, mnt) relative to the task's root into e->cwd or e->exe. */
static __always_inline __u32 walk_path(struct ev_exec *e, struct task_struct *t, struct path *start,
				       __u32 exe)
{
	struct cwd_walk c = {};
	struct path root = BPF_CORE_READ(t, fs, root);

	c.d = start->dentry;
	c.vm = start->mnt;
	/* container_of with a relocated offset: struct mount differs between kernels */
	c.mnt = (struct mount *)((void *)start->mnt - bpf_core_field_offset(struct mount, mnt));
	c.root_d = root.dentry;
	c.root_vm = root.mnt;
	c.e = e;
	c.exe = exe;
	bpf_loop(CWD_DEPTH + 8, cwd_up, &c, 0);
	if (c.n == 0) {
		if (exe)
			e->exe[0] = '/';
		else
			e->cwd[0] = '/';
		c.off = 1;
	} else {
		bpf_loop(CWD_DEPTH, cwd_down, &c, 0);
	}
	if (c.trunc)
		e->h.flags |= exe ? HF_EXE_TRUNC : HF_CWD_TRUNC;
	return c.off > CWD_LEN ? CWD_LEN : c.off;
}

/* A binary on overlayfs (a container's root) that lives in the upper layer was written or
 * changed after the container started: a strong drift signal for a responder. */
#define OVERLAYFS_SUPER_MAGIC	0x794c7630

static __always_inline void exe_layer(struct ev_exec *e, struct linux_binprm *bprm)
{
	struct inode *ino = BPF_CORE_READ(bprm, file, f_inode);
	struct ovl_inode *oi;

	if (BPF_CORE_READ(ino, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return;
	e->h.flags |= HF_OVERLAY;
	if (!bpf_core_type_exists(struct ovl_inode))
		return;
	oi = (struct ovl_inode *)((void *)ino - bpf_core_field_offset(struct ovl_inode, vfs_inode));
	if (BPF_CORE_READ(oi, __upperdentry))
		e->h.flags |= HF_EXE_UPPER;
}

static __always_inline int on_exec(struct task_struct *t, struct linux_binprm *bprm)
{
	__u64 cg = bpf_get_current_cgroup_id();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ev_exec *e;
	struct mm_struct *mm;
	struct path pwd;
	unsigned long as, ae, len;
	long n;

	if (!kind_on(K_EXEC) || !wanted(tgid, cg))
		return 0;
	e = reserve(K_EXEC, sizeof(*e));
	if (!e)
		return 0;
	t = cur();
	fill_hdr(&e->h, t, K_EXEC, cg);
	e->euid = BPF_CORE_READ(t, cred, euid.val);
	e->egid = BPF_CORE_READ(t, cred, egid.val);
	e->auid = (__u32)-1;
	if (bpf_core_field_exists(t->loginuid)) {
		e->auid = BPF_CORE_READ(t, loginuid.val);
		if (e->auid != (__u32)-1)
			e->h.flags |= HF_AUID;
	}
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	if (n < 1)
		n = 1, e->filename[0] = 0;
	if (n >= FILENAME_LEN)
		e->h.flags |= HF_FILE_TRUNC;
	e->filename_len = n - 1;

	mm = BPF_CORE_READ(t, mm);
	as = BPF_CORE_READ(mm, arg_start);
	ae = BPF_CORE_READ(mm, arg_end);
	len = ae > as ? ae - as : 0;
	if (len > ARGS_LEN) {
		len = ARGS_LEN;
		e->h.flags |= HF_ARGV_TRUNC;
	}
	if (bpf_probe_read_user(e->args, len & (ARGS_LEN * 2 - 1) & 0x1fff, (void *)as) < 0)
		len = 0;
	e->args_len = len;

	exe_layer(e, bprm);
	pwd = BPF_CORE_READ(t, fs, pwd);
	e->cwd_len = walk_path(e, t, &pwd, 0);
	/* execve("/proc/self/exe") (busybox applets), fexecve and relative names: the binary's
	 * own path says what really ran */
	e->exe_len = 0;
	if (e->filename[0] != '/' || (e->filename[1] == 'p' && e->filename[2] == 'r' &&
				      e->filename[3] == 'o' && e->filename[4] == 'c' &&
				      e->filename[5] == '/') ||
	    (e->filename[1] == 'd' && e->filename[2] == 'e' && e->filename[3] == 'v' &&
	     e->filename[4] == '/')) {
		struct path exe = BPF_CORE_READ(bprm, file, f_path);

		e->exe_len = walk_path(e, t, &exe, 1);
	}
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(th_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(p, bprm);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(th_exec_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(p, bprm);
}

static __always_inline int on_exit(void)
{
	struct task_struct *t = cur();
	__u64 cg = bpf_get_current_cgroup_id();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ev_exit *e;
	bool followed;
	__u32 code;

	/* One record per process: the last thread to leave sees signal->live at zero. */
	if (BPF_CORE_READ(t, signal, live.counter) != 0)
		return 0;
	followed = !filter_pid || bpf_map_lookup_elem(&tracked, &tgid);
	if (filter_pid)
		bpf_map_delete_elem(&tracked, &tgid);
	if (!kind_on(K_EXIT) || !followed || tgid == self_tgid)
		return 0;
	if (filter_cgroup && cg != filter_cgroup)
		return 0;
	e = reserve(K_EXIT, sizeof(*e));
	if (!e)
		return 0;
	fill_hdr(&e->h, t, K_EXIT, cg);
	code = BPF_CORE_READ(t, exit_code);
	e->code = (code >> 8) & 0xff;
	e->signal = code & 0x7f;
	if (code & 0x80)
		e->h.flags |= HF_CORE;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(th_exit_btf)
{
	return on_exit();
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(th_exit_raw)
{
	return on_exit();
}

/* ---- syscalls ----------------------------------------------------------------------- */

static __always_inline int op_kind(__u8 op)
{
	if (op <= SOP_NONE)
		return -1;
	if (op <= SOP_OPEN)
		return K_OPEN;
	if (op <= SOP_SENDMMSG)
		return K_NET;
	if (op <= SOP_CAPSET)
		return K_CRED;
	if (op == SOP_PTRACE)
		return K_PTRACE;
	if (op <= SOP_FINIT_MODULE)
		return K_MODULE;
	if (op <= SOP_FSMOUNT)
		return K_MOUNT;
	if (op <= SOP_CLONE3)
		return K_NS;
	return -1;
}

/* Per-CPU memo of (cgroup, phase, syscall) already set in sc_sets: the common case costs an
 * array read instead of a hash lookup. Bits are never cleared, so a stale memo is harmless. */
#define SC_MEMO 1024

struct sc_memo {
	__u64 tag[SC_MEMO];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sc_memo);
} sc_memo SEC(".maps");

static __always_inline void sc_record(__u32 nr, __u64 cg)
{
	__u32 zero = 0;
	struct sc_memo *memo;
	__u64 tag;
	__u32 slot;
	struct task_struct *t;
	struct sc_key key = { .cgroup = cg, .phase = 1 };
	struct sc_val *v;
	char comm[8];
	__u64 bit;

	if (nr >= NR_SYSCALLS)
		return;
	/* The runtime's own setup (runc:[0:PARENT], [1:CHILD], [2:INIT]) counts apart until the
	 * init process has installed the container's seccomp filter. */
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] == 'r' && comm[1] == 'u' && comm[2] == 'n' && comm[3] == 'c' && comm[4] == ':') {
		t = cur();
		if (BPF_CORE_READ(t, seccomp.mode) == 0)
			key.phase = 0;
	}
	tag = (cg ^ ((__u64)nr << 48) ^ ((__u64)key.phase << 63)) + 1;
	slot = (__u32)(cg * 0x9e3779b1u + nr * 31 + key.phase) & (SC_MEMO - 1);
	memo = bpf_map_lookup_elem(&sc_memo, &zero);
	if (memo && memo->tag[slot] == tag)
		return;
	v = bpf_map_lookup_elem(&sc_sets, &key);
	if (!v) {
		struct sc_val zero = {};

		bpf_map_update_elem(&sc_sets, &key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&sc_sets, &key);
		if (!v)
			return;
	}
	bit = 1ULL << (nr & 63);
	if (!(v->bits[(nr / 64) & 7] & bit))
		__sync_fetch_and_or(&v->bits[(nr / 64) & 7], bit);
	if (memo)
		memo->tag[slot] = tag;
}

static __always_inline int on_sys_enter(__u64 nr, __u64 a0, __u64 a1, __u64 a2, __u64 a3,
					__u64 a4, __u64 a5)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tgid = pt >> 32, tid = (__u32)pt;
	__u64 cg;
	struct pending p;
	__u8 op;

	if (tgid == self_tgid || nr >= NR_SYSCALLS)
		return 0;
	op = sys_ops[nr];
	if (!op && !kind_on(K_SYSCALLS))
		return 0;
	cg = bpf_get_current_cgroup_id();
	if (!wanted(tgid, cg))
		return 0;
	if (kind_on(K_SYSCALLS))
		sc_record(nr, cg);
	if (!op)
		return 0;
	/* 32-bit tasks number their syscalls differently (ia32 2 is fork, not open): the
	 * per-number table is for x86_64 only */
	if (BPF_CORE_READ(cur(), thread_info.status) & TS_COMPAT)
		return 0;
	/* clone is frequent: keep only the ones that create namespaces */
	if (op == SOP_CLONE && !(a0 & CLONE_NEW_MASK))
		return 0;
	if (op == SOP_CLONE3) {
		__u64 fl = 0;

		bpf_probe_read_user(&fl, sizeof(fl), (void *)a0);
		if (!(fl & CLONE_NEW_MASK))
			return 0;
		a1 = fl;
	}
	p.args[0] = a0;
	p.args[1] = a1;
	p.args[2] = a2;
	p.args[3] = a3;
	p.args[4] = a4;
	p.args[5] = a5;
	p.nr = nr;
	p._pad = 0;
	bpf_map_update_elem(&pend, &tid, &p, BPF_ANY);
	return 0;
}

static __always_inline struct sock *fd_sock(struct task_struct *t, __s64 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file *f = NULL;
	struct socket *so;

	if (fd < 0 || fd >= max)
		return NULL;
	bpf_core_read(&f, sizeof(f), &fds[fd & 0xfffff]);
	if (!f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	so = BPF_CORE_READ(f, private_data);
	return BPF_CORE_READ(so, sk);
}

/* Protocol, local and remote endpoints from the socket itself. */
static __always_inline bool sock_fill(struct ev_net *e, struct sock *sk)
{
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 type = BPF_CORE_READ(sk, sk_type);
	__u64 cg;

	if (fam == AF_INET) {
		e->family = 4;
		__builtin_memset(e->saddr, 0, 16);
		__builtin_memset(e->daddr, 0, 16);
		BPF_CORE_READ_INTO((__u32 *)e->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)e->daddr, sk, __sk_common.skc_daddr);
	} else if (fam == AF_INET6) {
		e->family = 6;
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		return false;
	}
	e->proto = type == SOCK_RAW ? 255 : BPF_CORE_READ(sk, sk_protocol);
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	/* the socket's own namespace and cgroup: a socket can outlive or travel between tasks */
	e->h.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	if (bpf_core_field_exists(sk->sk_cgrp_data)) {
		cg = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
		if (cg)
			e->h.cgroup = cg;
	}
	return true;
}

/* Overrides the remote (or, for bind, local) endpoint from a user sockaddr. */
static __always_inline bool sockaddr_fill(struct ev_net *e, void *uaddr, bool local)
{
	struct {
		__u16 family;
		__u16 port;
		__u32 v4_or_flow;
		__u8 v6[16];
	} sa = {};
	__u8 *dst = local ? e->saddr : e->daddr;

	if (!uaddr || bpf_probe_read_user(&sa, sizeof(sa), uaddr) < 0) {
		if (bpf_probe_read_user(&sa, 8, uaddr) < 0)
			return false;
	}
	if (sa.family == AF_INET) {
		e->family = 4;
		__builtin_memset(dst, 0, 16);
		*(__u32 *)dst = sa.v4_or_flow;
	} else if (sa.family == AF_INET6) {
		e->family = 6;
		__builtin_memcpy(dst, sa.v6, 16);
	} else {
		return false;
	}
	if (local)
		e->sport = __builtin_bswap16(sa.port);
	else
		e->dport = __builtin_bswap16(sa.port);
	return true;
}

static __always_inline void *user_msg_name(__u8 op, __u64 arg)
{
	/* struct user_msghdr starts with msg_name; struct mmsghdr starts with a user_msghdr */
	void *name = NULL;

	bpf_probe_read_user(&name, sizeof(name), (void *)arg);
	return name;
}

static __always_inline void emit_net(struct pending *p, __u8 op, __s64 ret, __u64 cg, bool btf)
{
	struct task_struct *t = cur();
	struct ev_net *e;
	struct sock *sk;
	__s64 fd = (__s64)p->args[0];
	void *ua = NULL;

	if ((op == SOP_ACCEPT || op == SOP_ACCEPT4) && ret < 0)
		return;	/* EAGAIN on non-blocking listeners is noise */
	if (op == SOP_ACCEPT || op == SOP_ACCEPT4)
		fd = ret;
	sk = fd_sock(t, fd);
	if (!sk)
		return;
	if (op >= SOP_SENDTO) {
		if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP ||
		    BPF_CORE_READ(sk, sk_type) == SOCK_RAW)
			return;
	}
	e = reserve(K_NET, sizeof(*e));
	if (!e)
		return;
	fill_cur(&e->h, K_NET, cg, btf);
	e->h.op = op;
	e->ret = ret;
	e->_pad = 0;
	if (!sock_fill(e, sk))
		goto discard;
	switch (op) {
	case SOP_CONNECT:
		sockaddr_fill(e, (void *)p->args[1], false);
		break;
	case SOP_BIND:
		/* after a successful bind the socket holds the port the kernel picked for port 0 */
		if (ret != 0)
			sockaddr_fill(e, (void *)p->args[1], true);
		break;
	case SOP_SENDTO:
		ua = (void *)p->args[4];
		break;
	case SOP_SENDMSG:
	case SOP_SENDMMSG:
		ua = user_msg_name(op, p->args[1]);
		break;
	}
	if (op >= SOP_SENDTO) {
		struct peer_key pk = {};
		__u8 one = 1;

		if (ua)
			sockaddr_fill(e, ua, false);
		pk.tgid = e->h.pid;
		pk.family = e->family;
		pk.dport = e->dport;
		pk.failed = ret < 0;
		__builtin_memcpy(pk.daddr, e->daddr, 16);
		if (bpf_map_update_elem(&udp_peers, &pk, &one, BPF_NOEXIST) != 0)
			goto discard;	/* already reported for this process */
	}
	submit(e);
	return;
discard:
	bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
}

static __always_inline bool excluded(const char *path, __u32 len)
{
	__u32 i, j;

	for (i = 0; i < MAX_PREFIXES; i++) {
		__u32 pl;
		bool match = true;

		if (i >= n_prefixes)
			break;
		pl = prefix_len[i];
		if (pl == 0 || pl > PREFIX_LEN || pl + 1 > len)
			continue;
		for (j = 0; j < PREFIX_LEN; j++) {
			if (j >= pl)
				break;
			if (path[j] != prefixes[i][j]) {
				match = false;
				break;
			}
		}
		if (!match)
			continue;
		/* "/proc" excludes "/proc" and "/proc/…", not "/process" */
		if (prefixes[i][(pl - 1) & (PREFIX_LEN - 1)] == '/')
			return true;
		if (path[pl & (PATH_LEN - 1)] == '/' || path[pl & (PATH_LEN - 1)] == 0)
			return true;
	}
	return false;
}

static __always_inline void emit_open(struct pending *p, __u8 op, __s64 ret, __u64 cg, bool btf)
{
	struct ev_open *e;
	const char *up;
	__u64 fl;
	long n;

	e = reserve(K_OPEN, sizeof(*e));
	if (!e)
		return;
	if (op == SOP_OPEN) {
		up = (const char *)p->args[0];
		fl = p->args[1];
	} else {
		up = (const char *)p->args[1];
		fl = p->args[2];
		if (op == SOP_OPENAT2) {	/* struct open_how starts with u64 flags */
			fl = 0;
			bpf_probe_read_user(&fl, sizeof(fl), (void *)p->args[2]);
		}
	}
	n = bpf_probe_read_user_str(e->path, PATH_LEN, up);
	if (n < 1) {
		n = 1;
		e->path[0] = 0;
	}
	if (n_prefixes && excluded(e->path, n)) {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		return;
	}
	fill_cur(&e->h, K_OPEN, cg, btf);
	e->h.op = op;
	if (n >= PATH_LEN)
		e->h.flags |= HF_PATH_TRUNC;
	e->ret = ret;
	e->oflags = fl;
	e->path_len = n - 1;
	submit(e);
}

static __always_inline void read_ustr(char *dst, __u32 size, __u64 up)
{
	dst[0] = 0;
	if (up && bpf_probe_read_user_str(dst, size, (void *)up) < 0)
		dst[0] = 0;
}

static __always_inline void emit_mount(struct pending *p, __u8 op, __s64 ret, __u64 cg, bool btf)
{
	struct ev_mount *e = reserve(K_MOUNT, sizeof(*e));

	if (!e)
		return;
	fill_cur(&e->h, K_MOUNT, cg, btf);
	e->h.op = op;
	e->ret = ret;
	e->source[0] = e->target[0] = e->fstype[0] = 0;
	e->mflags = 0;
	switch (op) {
	case SOP_MOUNT:
		read_ustr(e->source, MNT_STR_LEN, p->args[0]);
		read_ustr(e->target, MNT_STR_LEN, p->args[1]);
		read_ustr(e->fstype, MNT_STR_LEN, p->args[2]);
		e->mflags = p->args[3];
		break;
	case SOP_UMOUNT:
		read_ustr(e->target, MNT_STR_LEN, p->args[0]);
		e->mflags = p->args[1];
		break;
	case SOP_MOVE_MOUNT:
		read_ustr(e->source, MNT_STR_LEN, p->args[1]);
		read_ustr(e->target, MNT_STR_LEN, p->args[3]);
		e->mflags = p->args[4];
		break;
	case SOP_FSMOUNT:
		e->mflags = p->args[1];
		break;
	}
	submit(e);
}

static __always_inline void emit_sys(struct pending *p, __u8 op, int k, __s64 ret, __u64 cg, bool btf)
{
	struct ev_sys *e;

	/* ptrace: only requests that attach or write; PEEKs from a debugger would flood */
	if (op == SOP_PTRACE) {
		__u64 r = p->args[0];

		if (!(r == 0 || r == 4 || r == 5 || r == 6 || r == 13 || r == 15 || r == 16 ||
		      r == 0x4205 || r == 0x4206))
			return;
	}
	e = reserve(k, sizeof(*e));
	if (!e)
		return;
	fill_cur(&e->h, k, cg, btf);
	e->h.op = op;
	e->ret = ret;
	e->args[0] = p->args[0];
	e->args[1] = p->args[1];
	e->args[2] = p->args[2];
	e->args[3] = p->args[3];
	e->cap_eff = e->cap_perm = 0;
	if (op == SOP_CAPSET) {
		__u32 d[6] = {};	/* two struct __user_cap_data_struct {eff, perm, inh} */

		bpf_probe_read_user(d, sizeof(d), (void *)p->args[1]);
		e->cap_eff = d[0] | ((__u64)d[3] << 32);
		e->cap_perm = d[1] | ((__u64)d[4] << 32);
	}
	submit(e);
}

static __always_inline int on_sys_exit(__u64 nr, __s64 ret, bool btf)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt;
	struct pending *p;
	__u64 cg;
	__u8 op;
	int k;

	if (nr >= NR_SYSCALLS)
		return 0;
	op = sys_ops[nr];
	if (!op)
		return 0;
	p = bpf_map_lookup_elem(&pend, &tid);
	if (!p)
		return 0;	/* not saved at entry, or the child side of clone */
	if (p->nr != nr)
		goto out;
	cg = bpf_get_current_cgroup_id();
	k = op_kind(op);
	if (k == K_OPEN)
		emit_open(p, op, ret, cg, btf);
	else if (k == K_NET)
		emit_net(p, op, ret, cg, btf);
	else if (k == K_MOUNT)
		emit_mount(p, op, ret, cg, btf);
	else if (k >= 0)
		emit_sys(p, op, k, ret, cg, btf);
out:
	bpf_map_delete_elem(&pend, &tid);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(th_sysenter_btf, struct pt_regs *regs, long id)
{
	if (id < 0 || id >= NR_SYSCALLS)
		return 0;
	if (!sys_ops[id])
		return kind_on(K_SYSCALLS) ? on_sys_enter(id, 0, 0, 0, 0, 0, 0) : 0;
	return on_sys_enter(id, regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(th_sysexit_btf, struct pt_regs *regs, long ret)
{
	return on_sys_exit(regs->orig_ax, ret, true);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(th_sys_enter, struct pt_regs *regs, long id)
{
	if (id < 0 || id >= NR_SYSCALLS)
		return 0;
	/* most syscalls end here or only touch the bitmap: read the arguments only when saved */
	if (!sys_ops[id])
		return kind_on(K_SYSCALLS) ? on_sys_enter(id, 0, 0, 0, 0, 0, 0) : 0;
	return on_sys_enter(id, BPF_CORE_READ(regs, di), BPF_CORE_READ(regs, si),
			    BPF_CORE_READ(regs, dx), BPF_CORE_READ(regs, r10),
			    BPF_CORE_READ(regs, r8), BPF_CORE_READ(regs, r9));
}

SEC("raw_tp/sys_exit")
int BPF_PROG(th_sys_exit, struct pt_regs *regs, long ret)
{
	return on_sys_exit(BPF_CORE_READ(regs, orig_ax), ret, false);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int th_sys_enter_tp(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = ctx->id;

	if (id >= NR_SYSCALLS)
		return 0;
	return on_sys_enter(id, ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3],
			    ctx->args[4], ctx->args[5]);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int th_sys_exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_sys_exit(ctx->id, ctx->ret, false);
}

/* ---- capabilities ------------------------------------------------------------------- */

static __always_inline int on_cap(int cap, int ret, __u32 audit)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u64 cg = bpf_get_current_cgroup_id();
	struct cap_key ck = { .tgid = pt >> 32, .cap = cap, .denied = ret != 0 };
	struct ev_cap *e;
	__u8 one = 1;

	if (!wanted(ck.tgid, cg))
		return 0;
	/* cap_capable runs constantly: report each (process, capability, verdict) once */
	if (bpf_map_update_elem(&caps_seen, &ck, &one, BPF_NOEXIST) != 0)
		return 0;
	e = reserve(K_CAP, sizeof(*e));
	if (!e)
		return 0;
	fill_hdr(&e->h, cur(), K_CAP, cg);
	e->cap = cap;
	e->ret = ret;
	e->audit = audit;
	e->_pad = 0;
	submit(e);
	return 0;
}

/* cap_capable(cred, ns, cap, opts): opts bit 1 (CAP_OPT_NOAUDIT) says whether it is audited */
SEC("fexit/cap_capable")
int BPF_PROG(th_cap_fexit, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	return on_cap(cap, ret, (opts & 2) ? 0 : 1);
}

SEC("tp_btf/cap_capable")
int BPF_PROG(th_cap_btf, const struct cred *cred, struct user_namespace *tns,
	     const struct user_namespace *cns, int cap, int ret)
{
	return on_cap(cap, ret, 2);
}

struct cap_capable_args {
	__u64 common;
	const void *cred;
	const void *target_ns;
	const void *capable_ns;
	int cap;
	int ret;
};

SEC("tracepoint/capability/cap_capable")
int th_cap_tp(struct cap_capable_args *ctx)
{
	return on_cap(ctx->cap, ctx->ret, 2);
}
