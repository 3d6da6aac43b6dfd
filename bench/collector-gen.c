// SPDX-License-Identifier: Apache-2.0
/* Load generator for the collector benchmarks: a known number of events at a given rate.
 *
 *   collector-gen MODE RATE SECONDS [WORKERS]
 *     MODE  open   openat+close of one file (one `open` event each)
 *           udp    UDP sendto a new peer each time (one `net` event each)
 *           mix    70% open, 29% udp, 1% fork+exec of a static binary (fork, exec, exit)
 *     RATE  events per second over all workers; 0 = as fast as possible
 *
 * Waits for a byte (or EOF) on stdin before starting, so that the collector can be attached to
 * its pid first. Prints what it generated as one JSON line on stdout. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counts {
	unsigned long opens, udp, execs;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void worker(int id, const char *mode, double rate, double secs, struct counts *c)
{
	char path[64];
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned long i = 0, peer = (unsigned long)id << 24;
	double t0 = now(), end = t0 + secs;
	const char *exe = access("/bin/busybox", X_OK) == 0 ? "/bin/busybox" : "/bin/true";

	snprintf(path, sizeof(path), "/tmp/th-gen-%d-%d", getppid(), id);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	c->opens++;	/* this open is an event too */
	for (;;) {
		/* pace in batches of 64 events */
		if ((i & 63) == 0) {
			double t = now();

			if (t >= end)
				break;
			if (rate > 0) {
				double due = t0 + i / rate;

				if (due > t) {
					struct timespec ts = { 0, (long)((due - t) * 1e9) };

					nanosleep(&ts, NULL);
				}
			}
		}
		unsigned r = i % 100;

		if (!strcmp(mode, "open") || (!strcmp(mode, "mix") && r < 70)) {
			int fd = open(path, O_RDONLY);

			if (fd >= 0)
				close(fd);
			c->opens++;
		} else if (!strcmp(mode, "udp") || (!strcmp(mode, "mix") && r < 99)) {
			struct sockaddr_in sa = { .sin_family = AF_INET };

			peer++;
			sa.sin_port = htons(1024 + peer % 60000);
			sa.sin_addr.s_addr = htonl(0x7f000000 | ((peer / 60000) & 0xffffff));
			sendto(u, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
			c->udp++;
		} else {
			pid_t p = fork();

			if (p == 0) {
				execl(exe, "true", (char *)NULL);
				_exit(127);
			}
			waitpid(p, NULL, 0);
			c->execs++;
		}
		i++;
	}
	unlink(path);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "open";
	double rate = argc > 2 ? atof(argv[2]) : 0;
	double secs = argc > 3 ? atof(argv[3]) : 5;
	int workers = argc > 4 ? atoi(argv[4]) : 1;
	struct counts *c = mmap(NULL, sizeof(*c) * workers, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct counts tot = { 0 };
	char go;
	double t0;

	if (read(0, &go, 1) < 0)
		return 1;
	t0 = now();
	for (int w = 0; w < workers; w++) {
		if (fork() == 0) {
			worker(w, mode, rate / workers, secs, &c[w]);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	for (int w = 0; w < workers; w++) {
		tot.opens += c[w].opens;
		tot.udp += c[w].udp;
		tot.execs += c[w].execs;
	}
	printf("{\"mode\":\"%s\",\"rate\":%.0f,\"workers\":%d,\"seconds\":%.3f,\"open\":%lu,\"udp\":%lu,"
	       "\"exec\":%lu,\"events_per_s\":%.0f}\n", mode, rate, workers, now() - t0, tot.opens,
	       tot.udp, tot.execs, (tot.opens + tot.udp + tot.execs * 3) / (now() - t0));
	return 0;
}
