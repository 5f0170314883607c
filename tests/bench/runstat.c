// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * runstat: run a command and report its cost.
 *
 *   runstat [-o FILE] COMMAND ARGS...
 *
 * Runs COMMAND with standard output to FILE (default /dev/null), waits
 * for it with wait4(2) and prints one line on standard output:
 *
 *   wall=SECONDS user=SECONDS sys=SECONDS maxrss_kib=N status=N
 *
 * maxrss_kib is the child's peak resident set (getrusage's ru_maxrss,
 * the kernel's VmHWM of that process alone).  status is the exit status,
 * or 128 + the signal that killed it.  GNU time is not installed
 * everywhere; this is all the benchmark needs of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null";
	struct rusage ru;
	double t0, t1;
	int a = 1, status, fd;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		a = 3;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: runstat [-o FILE] COMMAND ARGS...\n");
		return 2;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "runstat: %s: %s\n", out, strerror(errno));
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		if (dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		close(fd);
		execvp(argv[a], argv + a);
		fprintf(stderr, "runstat: %s: %s\n", argv[a], strerror(errno));
		_exit(127);
	}
	close(fd);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
			return 1;
		}
	t1 = now();
	printf("wall=%.4f user=%.4f sys=%.4f maxrss_kib=%ld status=%d\n",
	       t1 - t0, tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
