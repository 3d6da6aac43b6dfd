/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup v2 id -> cgroup path -> container id, and the one-time `container` line. */
#ifndef __CONTAINERS_H
#define __CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>
#include "json.h"

/* Finds the cgroup v2 mount; returns its path or NULL when there is none. */
const char *containers_init(void);
void containers_free(void);
/* Container id of a cgroup, or NULL for host cgroups. The first time a container is seen its
 * `container` line is written to o (before the caller starts its own line). now_ns paces the
 * retries for cgroups not recognised yet (a runtime writes its state after moving the init
 * process in); retry forces a new look now, for execs: by the time a runtime lets the workload
 * exec, its state is written. */
const char *containers_cid(uint64_t cgroup, struct out *o, uint64_t now_ns, bool retry);
/* cgroup v2 id of a path relative to the v2 mount (e.g. from /proc/<pid>/cgroup), 0 if gone. */
uint64_t containers_cgroup_id(const char *relpath);

#endif /* __CONTAINERS_H */
