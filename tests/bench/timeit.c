/*
 * timeit.c - runs a command once, and prints its wall time and peak RSS.
 *
 *     timeit COMMAND [ARG...]
 *
 * prints "MILLISECONDS KILOBYTES" on a line: the wall time from starting
 * the command to its end, and its peak resident set size (that of the
 * command and of the processes it waited for, as wait4 reports it).  The
 * command's input is /dev/null and its output goes to /dev/null, so no
 * terminal or pipe slows it.  Exit status: the command's, or 1 when it
 * could not start or was killed.  Used by bench.sh, which runs the tools
 * it compares in turn, round after round.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: timeit COMMAND [ARG...]\n");
		return 2;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	double t0 = now_ms();
	int err = posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(err));
		return 1;
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno == EINTR)
			continue;
		perror("timeit: wait4");
		return 1;
	}
	double t = now_ms() - t0;
	printf("%.2f %ld\n", t, ru.ru_maxrss);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 1;
}
