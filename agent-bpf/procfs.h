/* SPDX-License-Identifier: Apache-2.0 */
/* Processes already running at start, read from /proc. */
#ifndef __PROCFS_H
#define __PROCFS_H

#include <stdint.h>
#include <stdbool.h>
#include <linux/types.h>
#include "collector.h"

struct proc_snap {
	struct hdr h;	/* same context as kernel events; start in ns at tick resolution */
	uint32_t euid, egid, auid;
	bool has_auid;
	char exe[512];
	char cwd[512];
	char args[ARGS_LEN];
	uint32_t args_len;
	bool args_trunc;
};

typedef void (*proc_cb)(const struct proc_snap *p, void *ctx);

/* Calls cb for every process (not kernel threads' children filtering: all of /proc). */
int procfs_snapshot(uint64_t ts, proc_cb cb, void *ctx);
/* Appends pid's descendants (found in /proc) to the array; returns the new count. */
int procfs_descendants(uint32_t pid, uint32_t *out, int max);

#endif /* __PROCFS_H */
