/* timed_exec.c — runs one client (or server) and measures it without the benchmark driver's own weight.
 *
 *   timed_exec RESULT_FILE TIMEOUT_SECONDS COMMAND [ARGS...]
 *
 * Forks, execs COMMAND with this process's stdin/stdout/stderr, waits for it, and writes one JSON object to
 * RESULT_FILE: {"seconds": wall time from fork to reaping, "exit_code": N or -SIGNAL, "timed_out": 0|1,
 * "max_rss_kib": peak resident set of the command, "max_anon_kib": peak anonymous resident memory,
 * "samples": how many times /proc/PID/status was read}.
 *
 * Why not Python's own fork: Linux carries the peak RSS of the pre-exec process into the child's
 * ru_maxrss, so every client spawned by a 20 MiB Python would report at least 20 MiB. Forked from this small
 * program, the floor is about a megabyte.
 *
 * Peak RSS is the kernel's own high-water mark (wait4's ru_maxrss, the same as VmHWM). The kernel keeps no
 * high-water mark of anonymous memory (heap, stacks, buffers: what the program allocated, as opposed to its
 * mapped binary and libraries), so RssAnon is sampled from /proc/PID/status every SAMPLE_NS while the command
 * runs, and the largest value kept; a spike shorter than that can be missed. The wait for the child is a
 * sigtimedwait on SIGCHLD, so its exit is seen at once and the timing does not depend on the sampling.
 *
 * The command is killed after TIMEOUT_SECONDS, and when this program's parent dies. SIGTERM, SIGINT and
 * SIGHUP are passed on to it, and the result is still written when it exits: that is how a server run under
 * timed_exec is stopped and measured.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_NS 1000000L /* 1 ms */

static volatile pid_t child;
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig) {
    (void)sig;
    timed_out = 1;
    if (child > 0) kill(child, SIGKILL);
}

static void on_term(int sig) {
    if (child > 0) kill(child, sig);
    else _exit(128 + sig);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The value in kB of `field` ("RssAnon:") in a /proc/PID/status text, or -1. */
static long status_field(const char *text, const char *field) {
    const char *p = strstr(text, field);
    return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

/* Reads the child's VmRSS and RssAnon once and raises the maxima; quiet once it has exited. */
static void sample(pid_t pid, long *max_rss, long *max_anon) {
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return;
    text[n] = 0;
    long rss = status_field(text, "\nVmRSS:"), anon = status_field(text, "\nRssAnon:");
    if (rss > *max_rss) *max_rss = rss;
    if (anon > *max_anon) *max_anon = anon;
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
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL); /* taken by sigtimedwait below, never delivered */

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
        sigprocmask(SIG_UNBLOCK, &chld, NULL);
        execvp(argv[3], argv + 3);
        fprintf(stderr, "timed_exec: cannot run %s: ", argv[3]);
        perror(NULL);
        _exit(127);
    }
    child = pid;
    alarm(timeout ? timeout : 1);
    int status;
    struct rusage ru;
    long max_rss = 0, max_anon = 0, samples = 0;
    const struct timespec tick = {0, SAMPLE_NS};
    for (;;) {
        pid_t done = wait4(pid, &status, WNOHANG, &ru);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) {
            perror("timed_exec: wait4");
            return 1;
        }
        sample(pid, &max_rss, &max_anon);
        samples++;
        sigtimedwait(&chld, NULL, &tick); /* returns at the child's exit, a signal, or the next tick */
    }
    double seconds = now() - start;
    alarm(0);
    child = 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    if (ru.ru_maxrss > max_rss) max_rss = ru.ru_maxrss;

    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror("timed_exec: result file");
        return 1;
    }
    fprintf(f,
            "{\"seconds\": %.6f, \"exit_code\": %d, \"timed_out\": %d, \"max_rss_kib\": %ld, \"max_anon_kib\": %ld, "
            "\"samples\": %ld}\n",
            seconds, code, (int)timed_out, max_rss, max_anon, samples);
    return fclose(f) == 0 ? 0 : 1;
}
