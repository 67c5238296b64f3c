/* timed_exec.c — runs one client and measures it without the benchmark driver's own weight.
 *
 *   timed_exec RESULT_FILE TIMEOUT_SECONDS COMMAND [ARGS...]
 *
 * Forks, execs COMMAND with this process's stdin/stdout/stderr, waits for it, and writes one JSON object to
 * RESULT_FILE: {"seconds": wall time from fork to reaping, "exit_code": N or -SIGNAL, "timed_out": 0|1,
 * "max_rss_kib": peak resident set of the command}.
 *
 * Why not Python's own fork: Linux carries the peak RSS of the pre-exec process into the child's
 * ru_maxrss, so every client spawned by a 20 MiB Python would report at least 20 MiB. Forked from this small
 * program, the floor is about a megabyte. The command is killed after TIMEOUT_SECONDS, and when this program
 * is terminated or its parent dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig) {
    (void)sig;
    timed_out = 1;
    if (child > 0) kill(child, SIGKILL);
}

static void on_term(int sig) {
    if (child > 0) kill(child, SIGKILL);
    _exit(128 + sig);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: timed_exec RESULT_FILE TIMEOUT_SECONDS COMMAND [ARGS...]\n");
        return 2;
    }
    unsigned timeout = (unsigned)atoi(argv[2]);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("timed_exec: fork");
        return 1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execvp(argv[3], argv + 3);
        fprintf(stderr, "timed_exec: cannot run %s: ", argv[3]);
        perror(NULL);
        _exit(127);
    }
    child = pid;
    alarm(timeout ? timeout : 1);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("timed_exec: wait4");
            return 1;
        }
    }
    double seconds = now() - start;
    alarm(0);
    child = 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);

    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror("timed_exec: result file");
        return 1;
    }
    fprintf(f, "{\"seconds\": %.6f, \"exit_code\": %d, \"timed_out\": %d, \"max_rss_kib\": %ld}\n", seconds, code,
            (int)timed_out, ru.ru_maxrss);
    return fclose(f) == 0 ? 0 : 1;
}
