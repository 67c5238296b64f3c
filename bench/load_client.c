/* load_client.c — reference load clients for the wsc benchmark: what a server and loopback can do.
 *
 *   load_client ws  --port P --count N --size S [--connections C] [--tls CAFILE]
 *       Opens C connections (default 1) one after the other and upgrades each, then on every one sends N
 *       text frames of S payload bytes, each masked with its own key, as fast as the socket takes them
 *       (pipelined, no waiting for echoes) while reading and checking every byte of every echo; sends
 *       Close 1000 after a connection's last echo (or answers the server's Close) and waits for the closing
 *       handshake. A round trip is timed from when a message is queued for writing to when its echo is read.
 *       --pipeline K: at most K messages in flight on each connection (the next goes out as an echo comes back).
 *       --rate R: R messages per second in all, by the clock, spread over the connections; a round trip is
 *       timed from when its message was due (no coordinated omission), and -count is per connection.
 *   load_client raw --port P --bytes B
 *       Plain TCP: writes B bytes to an `echo_server --raw` while reading them back.
 *
 * Prints one JSON object on stdout: {"connections", "messages", "bytes", "seconds", "p50_ms", "p99_ms",
 * "lost", "errors"}: messages and bytes count only what came back; seconds run from the first connect to
 * the last closing handshake; lost is messages sent or due that never came back, errors the connections
 * that failed (each described on stderr). Exits non-zero when anything was lost or failed; gives up after
 * 120 s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wsframe.h"

#define IO_CHUNK (256 * 1024)
#define TIME_LIMIT_SECONDS 120
#define MAX_STEP_ROUNDS 64 /* reads and writes on one connection before the others get a turn */
#define REPORTED_ERRORS 5  /* failed connections described on stderr; the rest are only counted */

/* One WebSocket connection and where it stands. */
struct lconn {
    int id; /* 1, 2, …, in connecting order */
    int fd;
    SSL *ssl;
    struct buf in, out;
    long queued, echoed; /* messages put in `out` / whose echo came back */
    double *queued_at;   /* when each message was queued (or, with --rate, due): the start of its round trip */
    double first_due;    /* with --rate: when this connection's first message is due */
    int close_sent, close_received, done;
    uint32_t events; /* current epoll interest */
};

static SSL_CTX *tls_ctx;
static long pipeline_limit;  /* --pipeline: most messages in flight per connection; 0 for no limit */
static double rate_interval; /* --rate: seconds between one connection's messages; 0 without --rate */
static long errors;
static double *rtts; /* every round trip, in seconds */
static long nrtts;

static void fatal(const char *msg) {
    fprintf(stderr, "load_client: %s\n", msg);
    exit(1);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A failed connection: counted, described on stderr while few, closed. */
static void conn_fail(struct lconn *c, const char *why) {
    if (errors++ < REPORTED_ERRORS) fprintf(stderr, "load_client: connection %d: %s\n", c->id, why);
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->done = 1;
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void make_tls_context(const char *cafile) {
    tls_ctx = SSL_CTX_new(TLS_client_method());
    if (!tls_ctx || SSL_CTX_load_verify_locations(tls_ctx, cafile, NULL) != 1) fatal("cannot load the CA file");
    SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

static int start_tls(struct lconn *c) {
    c->ssl = SSL_new(tls_ctx);
    if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) || !SSL_set1_host(c->ssl, "localhost")) fatal("SSL_new failed");
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    if (SSL_connect(c->ssl) == 1) return 0;
    ERR_print_errors_fp(stderr);
    return -1;
}

/* Non-blocking I/O through TLS or the plain socket: >0 bytes, 0 would block, -1 EOF or error. */
static ssize_t io_read(struct lconn *c, void *p, size_t n) {
    if (c->ssl) {
        int r = SSL_read(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
        if (r > 0) return r;
        int e = SSL_get_error(c->ssl, r);
        return (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) ? 0 : -1;
    }
    ssize_t r = read(c->fd, p, n);
    if (r > 0) return r;
    return (r < 0 && (errno == EAGAIN || errno == EINTR)) ? 0 : -1;
}

static ssize_t io_write(struct lconn *c, const void *p, size_t n) {
    if (c->ssl) {
        int r = SSL_write(c->ssl, p, n > (1 << 20) ? (1 << 20) : (int)n);
        if (r > 0) return r;
        int e = SSL_get_error(c->ssl, r);
        return (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) ? 0 : -1;
    }
    ssize_t r = write(c->fd, p, n);
    if (r >= 0) return r;
    return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

static void set_nonblocking(int fd) {
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) fatal("fcntl failed");
}

static uint32_t rng_state = 0x9e3779b9;
static uint32_t next_random(void) { /* xorshift32: a fresh masking key per frame, cheaply */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Sends the upgrade request on the still blocking socket and checks the 101 response; bytes after its head
 * stay in `in`. Returns NULL, or what went wrong. */
static const char *upgrade(struct lconn *c, int port) {
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     port);
    for (int off = 0; off < n;) {
        int w = c->ssl ? SSL_write(c->ssl, req + off, n - off) : (int)write(c->fd, req + off, (size_t)(n - off));
        if (w <= 0) return "writing the upgrade request failed";
        off += w;
    }
    for (;;) {
        unsigned char *dst = buf_reserve(&c->in, 4096);
        int r = c->ssl ? SSL_read(c->ssl, dst, 4096) : (int)read(c->fd, dst, 4096);
        if (r <= 0) return "connection closed during the upgrade";
        c->in.end += (size_t)r;
        unsigned char *end = memmem(buf_head(&c->in), buf_len(&c->in), "\r\n\r\n", 4);
        if (!end) continue;
        /* RFC 6455 §1.3 sample: this key's accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
        if (buf_len(&c->in) < 12 || memcmp(buf_head(&c->in), "HTTP/1.1 101", 12) != 0 ||
            !memmem(buf_head(&c->in), (size_t)(end - buf_head(&c->in)), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", 28))
            return "the server refused the upgrade";
        buf_consume(&c->in, (size_t)(end + 4 - buf_head(&c->in)));
        return NULL;
    }
}

/* Connects, starts TLS when asked, upgrades. Returns NULL, or what went wrong. */
static const char *conn_open(struct lconn *c, int port) {
    c->fd = connect_to(port);
    if (c->fd < 0) return "connect failed";
    if (tls_ctx && start_tls(c) < 0) return "TLS handshake failed";
    return upgrade(c, port);
}

/* Appends as many masked frames as fit in IO_CHUNK (at least one) to `out`, noting when each was queued. */
static void fill_frames(struct lconn *c, const unsigned char *payload, size_t size, long count) {
    double t = now();
    long made = 0, limit = count;
    if (pipeline_limit && c->echoed + pipeline_limit < limit) limit = c->echoed + pipeline_limit;
    if (rate_interval > 0) {
        long due = t < c->first_due ? 0 : (long)((t - c->first_due) / rate_interval) + 1;
        if (due < limit) limit = due;
    }
    while (c->queued < limit && (made == 0 || buf_len(&c->out) + size + 14 <= IO_CHUNK)) {
        uint32_t r = next_random();
        unsigned char key[4];
        memcpy(key, &r, 4);
        unsigned char *dst = buf_reserve(&c->out, size + 14);
        size_t h = ws_put_header(dst, 1, WS_TEXT, size, key);
        ws_mask_copy(dst + h, payload, size, key, 0);
        c->out.end += h + size;
        c->queued_at[c->queued] = rate_interval > 0 ? c->first_due + (double)c->queued * rate_interval : t;
        c->queued++;
        made++;
    }
}

static void queue_close(struct lconn *c) {
    /* Close 1000 after the last echo, or the answer to the server's Close (RFC 6455 §5.5.1). */
    unsigned char key[4] = {1, 2, 3, 4}, code[2] = {0x03, 0xe8};
    unsigned char *dst = buf_reserve(&c->out, 8);
    size_t h = ws_put_header(dst, 1, WS_CLOSE, 2, key);
    ws_mask_copy(dst + h, code, 2, key, 0);
    c->out.end += h + 2;
    c->close_sent = 1;
}

/* Checks and counts every complete frame in `in`. Returns NULL, or what was wrong. */
static const char *take_frames(struct lconn *c, const unsigned char *payload, size_t size) {
    struct ws_header h;
    while (!c->close_received && ws_parse_header(buf_head(&c->in), buf_len(&c->in), &h) &&
           buf_len(&c->in) >= h.header_len + h.len) {
        const unsigned char *p = buf_head(&c->in) + h.header_len;
        if (h.masked || h.rsv) return "server frame masked or with RSV bits";
        if (h.opcode == WS_CLOSE) {
            c->close_received = 1;
        } else if (h.opcode == WS_TEXT && h.fin) {
            if (h.len != size || (size && memcmp(p, payload, size) != 0)) return "echo differs from what was sent";
            if (c->echoed >= c->queued) return "an echo of a message never sent";
            rtts[nrtts++] = now() - c->queued_at[c->echoed++];
        } else if (h.opcode != WS_PONG) {
            return "unexpected frame from the server";
        }
        buf_consume(&c->in, h.header_len + h.len);
    }
    return NULL;
}

/* Does what the socket allows now. Returns 1 if the connection should get another turn without waiting for
 * epoll (round limit reached, or decrypted bytes left inside OpenSSL), else 0. */
static int conn_step(struct lconn *c, int epfd, const unsigned char *payload, size_t size, long count) {
    for (int round = 0; round < MAX_STEP_ROUNDS; round++) {
        if (buf_len(&c->out) == 0 && c->queued < count) fill_frames(c, payload, size, count);
        if (!c->close_sent && (c->echoed == count || c->close_received)) queue_close(c);
        int progress = 0;
        if (buf_len(&c->out)) {
            ssize_t w = io_write(c, buf_head(&c->out), buf_len(&c->out));
            if (w < 0) return conn_fail(c, "write failed"), 0;
            if (w > 0) buf_consume(&c->out, (size_t)w), progress = 1;
        }
        if (!c->close_received) {
            ssize_t r = io_read(c, buf_reserve(&c->in, IO_CHUNK), IO_CHUNK);
            if (r < 0) return conn_fail(c, "connection closed before the closing handshake"), 0;
            if (r > 0) c->in.end += (size_t)r, progress = 1;
        }
        const char *wrong = take_frames(c, payload, size);
        if (wrong) return conn_fail(c, wrong), 0;
        if (c->close_received && c->close_sent && buf_len(&c->out) == 0) {
            close(c->fd); /* also leaves the epoll set */
            c->fd = -1;
            c->done = 1;
            return 0;
        }
        if (!progress) break;
        if (round == MAX_STEP_ROUNDS - 1) return 1;
    }
    uint32_t ev = EPOLLIN | (buf_len(&c->out) ? EPOLLOUT : 0);
    if (ev != c->events) {
        struct epoll_event e = {.events = ev, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e) < 0) fatal("epoll_ctl failed");
        c->events = ev;
    }
    return c->ssl && SSL_pending(c->ssl) > 0;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile_ms(double q) {
    return nrtts ? rtts[(long)((double)(nrtts - 1) * q)] * 1000 : 0;
}

/* How long until the next message of any connection falls due (--rate); a second at the most. */
static struct timespec until_next_due(const struct lconn *conns, int nconns, long count) {
    double next = now() + 1, t = now();
    for (int i = 0; i < nconns; i++) {
        const struct lconn *c = &conns[i];
        if (c->done || c->queued >= count) continue;
        double due = c->first_due + (double)c->queued * rate_interval;
        if (due < next) next = due;
    }
    double wait = next > t ? next - t : 0;
    return (struct timespec){.tv_sec = (time_t)wait, .tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9)};
}

static int run_ws(int port, long count, size_t size, int nconns) {
    unsigned char *payload = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++) payload[i] = (unsigned char)('a' + i % 26);
    struct lconn *conns = calloc((size_t)nconns, sizeof *conns);
    struct lconn **again = calloc((size_t)nconns, sizeof *again), **next = calloc((size_t)nconns, sizeof *next);
    rtts = malloc(sizeof *rtts * (size_t)(count * nconns + 1));
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!payload || !conns || !again || !next || !rtts || epfd < 0) fatal("out of memory");

    double t0 = now();
    int active = 0, nagain = 0;
    for (int i = 0; i < nconns; i++) {
        struct lconn *c = &conns[i];
        c->id = i + 1;
        c->queued_at = malloc(sizeof *c->queued_at * (size_t)(count + 1));
        if (!c->queued_at) fatal("out of memory");
        const char *why = conn_open(c, port);
        if (why) {
            conn_fail(c, why);
            continue;
        }
        set_nonblocking(c->fd);
        c->first_due = now() + rate_interval * i / nconns; /* the connections' phases spread over an interval */
        c->events = EPOLLIN | EPOLLOUT;
        struct epoll_event e = {.events = c->events, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e) < 0) fatal("epoll_ctl failed");
        active++;
    }
    while (active > 0) {
        if (now() - t0 > TIME_LIMIT_SECONDS) {
            for (int i = 0; i < nconns; i++)
                if (!conns[i].done) conn_fail(&conns[i], "timed out");
            break;
        }
        struct epoll_event evs[256];
        /* With --rate, messages fall due by the clock: wait no longer than until the next one is due (to the
         * nanosecond: epoll_wait's milliseconds would make every round trip up to a millisecond late). */
        struct timespec wait = {.tv_sec = nagain ? 0 : 1, .tv_nsec = 0};
        if (rate_interval > 0 && !nagain) wait = until_next_due(conns, nconns, count);
        int n = epoll_pwait2(epfd, evs, 256, &wait, NULL);
        if (n < 0 && errno != EINTR) fatal("epoll_wait failed");
        int nnext = 0;
        for (int i = 0; i < n; i++) {
            struct lconn *c = evs[i].data.ptr;
            if (c->done) continue;
            if (conn_step(c, epfd, payload, size, count)) next[nnext++] = c;
            active -= c->done;
        }
        for (int i = 0; rate_interval > 0 && i < nconns; i++) {
            struct lconn *c = &conns[i];
            if (c->done || c->queued >= count || buf_len(&c->out)) continue;
            if (conn_step(c, epfd, payload, size, count) && nnext < nconns) next[nnext++] = c;
            active -= c->done;
        }
        for (int i = 0; i < nagain; i++) {
            struct lconn *c = again[i];
            if (c->done) continue; /* also stepped by an event above: one more turn does no harm */
            if (conn_step(c, epfd, payload, size, count) && nnext < nconns) next[nnext++] = c;
            active -= c->done;
        }
        struct lconn **swap = again;
        again = next, next = swap, nagain = nnext;
    }
    double secs = now() - t0;
    unsigned long long echoed = 0;
    for (int i = 0; i < nconns; i++) echoed += (unsigned long long)conns[i].echoed;
    qsort(rtts, (size_t)nrtts, sizeof *rtts, compare_doubles);
    long lost = count * nconns - (long)echoed;
    printf("{\"connections\": %d, \"messages\": %llu, \"bytes\": %llu, \"seconds\": %.6f, \"p50_ms\": %.4f, "
           "\"p99_ms\": %.4f, \"lost\": %ld, \"errors\": %ld}\n",
           nconns, echoed, echoed * size, secs, percentile_ms(0.50), percentile_ms(0.99), lost, errors);
    return lost || errors ? 1 : 0;
}

static int run_raw(int port, unsigned long long total) {
    unsigned char *chunk = malloc(IO_CHUNK), *sink = malloc(IO_CHUNK);
    for (size_t i = 0; i < IO_CHUNK; i++) chunk[i] = (unsigned char)('a' + i % 26);
    double t0 = now();
    struct lconn c = {.fd = connect_to(port)};
    if (c.fd < 0) fatal("connect failed");
    set_nonblocking(c.fd);
    unsigned long long sent = 0, got = 0;
    while (got < total) {
        if (now() - t0 > TIME_LIMIT_SECONDS) fatal("timed out");
        int progress = 0;
        if (sent < total) {
            size_t n = total - sent < IO_CHUNK ? (size_t)(total - sent) : IO_CHUNK;
            ssize_t w = io_write(&c, chunk, n);
            if (w < 0) fatal("write failed");
            sent += (unsigned long long)w;
            progress |= w > 0;
        }
        ssize_t r = io_read(&c, sink, IO_CHUNK);
        if (r < 0) fatal("connection closed early");
        got += (unsigned long long)r;
        progress |= r > 0;
        if (!progress) {
            struct pollfd p = {.fd = c.fd, .events = POLLIN | (sent < total ? POLLOUT : 0)};
            if (poll(&p, 1, 1000) < 0 && errno != EINTR) fatal("poll failed");
        }
    }
    double secs = now() - t0;
    close(c.fd);
    printf("{\"connections\": 1, \"messages\": 0, \"bytes\": %llu, \"seconds\": %.6f, \"p50_ms\": 0, \"p99_ms\": 0, "
           "\"lost\": 0, \"errors\": 0}\n",
           got, secs);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: load_client ws --port P --count N --size S [--connections C] [--pipeline K] [--rate R]\n"
                    "                     [--tls CAFILE]\n"
                    "       load_client raw --port P --bytes B\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    int port = 0, nconns = 1;
    long count = 0;
    size_t size = 0;
    unsigned long long bytes = 0;
    const char *cafile = NULL;
    double rate = 0;
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "--port")) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--count")) count = atol(argv[++i]);
        else if (!strcmp(argv[i], "--size")) size = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--connections")) nconns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--bytes")) bytes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--tls")) cafile = argv[++i];
        else if (!strcmp(argv[i], "--pipeline")) pipeline_limit = atol(argv[++i]);
        else if (!strcmp(argv[i], "--rate")) rate = atof(argv[++i]);
        else usage();
    }
    signal(SIGPIPE, SIG_IGN);
    alarm(TIME_LIMIT_SECONDS + 10); /* a last resort if a blocking call never returns */
    if (!port || nconns < 1 || count < 0 || pipeline_limit < 0 || rate < 0) usage();
    if (rate > 0) rate_interval = nconns / rate;
    /* Timed waits wake up to the thread's timer slack late (50 µs by default): with --rate that lateness would
     * count in every round trip. */
    if (rate > 0) prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (cafile) make_tls_context(cafile);
    if (!strcmp(argv[1], "ws")) return run_ws(port, count, size, nconns);
    if (!strcmp(argv[1], "raw")) return run_raw(port, bytes);
    usage();
    return 2;
}
