/* SPDX-License-Identifier: Apache-2.0 */
/* Event records shared by collector.bpf.c (producer) and collector.c (JSON encoder).
 * Plain C types only: this header is included both with vmlinux.h and with libc headers. */
#ifndef __COLLECTOR_H
#define __COLLECTOR_H

#define TASK_COMM_LEN	16
#define FILENAME_LEN	512	/* exec filename */
#define CWD_LEN		512	/* exec cwd, built from dentries */
#define CWD_DEPTH	24	/* path components walked for cwd */
#define ARGS_LEN	4096	/* exec argv bytes, NUL separated */
#define PATH_LEN	1024	/* open path; power of two (used as a mask) */
#define MNT_STR_LEN	256	/* mount source/target/fstype */
#define NR_SYSCALLS	512	/* syscall bitmap width (x86_64 numbers stay below) */

enum kind {
	K_FORK = 0,
	K_EXEC,
	K_EXIT,
	K_OPEN,
	K_NET,
	K_CRED,
	K_PTRACE,
	K_MODULE,
	K_MOUNT,
	K_NS,
	K_CAP,
	K_SYSCALLS,	/* aggregated in maps, not sent through the ring buffer */
	K_MAX,
};

/* Per-syscall role: what sys_exit does with the arguments saved at sys_enter. */
enum sysop {
	SOP_NONE = 0,
	SOP_OPENAT, SOP_OPENAT2, SOP_OPEN,
	SOP_CONNECT, SOP_ACCEPT, SOP_ACCEPT4, SOP_BIND, SOP_LISTEN,
	SOP_SENDTO, SOP_SENDMSG, SOP_SENDMMSG,
	SOP_SETUID, SOP_SETGID, SOP_SETREUID, SOP_SETRESUID, SOP_SETREGID, SOP_SETRESGID, SOP_CAPSET,
	SOP_PTRACE,
	SOP_INIT_MODULE, SOP_FINIT_MODULE,
	SOP_MOUNT, SOP_UMOUNT, SOP_MOVE_MOUNT, SOP_FSMOUNT,
	SOP_SETNS, SOP_UNSHARE, SOP_CLONE, SOP_CLONE3,
	SOP_MAX,
};

/* Common process context, first in every ring-buffer record. */
struct hdr {
	__u8 kind;
	__u8 op;	/* enum sysop for syscall kinds */
	__u16 flags;	/* HF_* */
	__u32 pid;	/* tgid */
	__u32 tid;
	__u32 ppid;
	__u64 ts;	/* boot-time ns */
	__u64 start;	/* group leader start_boottime */
	__u64 pstart;
	__u64 cgroup;
	__u32 uid;
	__u32 gid;
	__u32 mntns;
	__u32 pidns;
	__u32 netns;
	__u32 _pad;
	char comm[TASK_COMM_LEN];
};

#define HF_ARGV_TRUNC	(1 << 0)
#define HF_FILE_TRUNC	(1 << 1)
#define HF_CWD_TRUNC	(1 << 2)
#define HF_PATH_TRUNC	(1 << 3)
#define HF_EXE_UPPER	(1 << 4)
#define HF_AUID		(1 << 5)	/* auid is meaningful */
#define HF_CORE		(1 << 6)
#define HF_EXE_TRUNC	(1 << 7)
#define HF_OVERLAY	(1 << 8)	/* the binary is on overlayfs: exe_upper is meaningful */

struct ev_exec {
	struct hdr h;
	__u32 euid;
	__u32 egid;
	__u32 auid;
	__u16 filename_len;
	__u16 cwd_len;
	__u32 args_len;
	__u16 exe_len;	/* 0 when filename already names the binary */
	__u16 _pad;
	char filename[FILENAME_LEN];
	char cwd[CWD_LEN];
	char exe[CWD_LEN];
	char args[ARGS_LEN];	/* last: the record is cut after args_len bytes */
};

struct ev_exit {
	struct hdr h;
	__u32 code;
	__u32 signal;
};

struct ev_open {
	struct hdr h;
	__s64 ret;
	__u32 oflags;
	__u32 path_len;
	char path[PATH_LEN];	/* last: the record is cut after path_len bytes */
};

struct ev_net {
	struct hdr h;
	__s64 ret;
	__u8 proto;	/* IPPROTO_TCP, IPPROTO_UDP, or 255 for raw */
	__u8 family;	/* 4 or 6 */
	__u16 sport;	/* host order */
	__u16 dport;
	__u16 _pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

struct ev_sys {	/* cred, ptrace, module, ns */
	struct hdr h;
	__s64 ret;
	__u64 args[4];
	__u64 cap_eff;
	__u64 cap_perm;
};

struct ev_mount {
	struct hdr h;
	__s64 ret;
	__u64 mflags;
	char source[MNT_STR_LEN];
	char target[MNT_STR_LEN];
	char fstype[MNT_STR_LEN];
};

struct ev_cap {
	struct hdr h;
	__s32 cap;
	__s32 ret;	/* 0 = allowed */
	__u32 audit;	/* 1 = audited, 0 = not, 2 = unknown */
	__u32 _pad;
};

/* Syscall bitmap key: one set per (cgroup, phase). */
struct sc_key {
	__u64 cgroup;
	__u32 phase;	/* 0 = runtime setup, 1 = workload */
	__u32 _pad;
};

struct sc_val {
	__u64 bits[NR_SYSCALLS / 64];
};

/* Per-CPU counters, indexed by kind; STAT_RB_USED holds the ring-buffer fill high mark. */
#define STAT_RB_USED	K_MAX
#define STAT_SLOTS	(K_MAX + 1)

#endif /* __COLLECTOR_H */
