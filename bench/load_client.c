/* load_client.c — reference load clients for the wsc benchmark: what the echo server and loopback can do.
 *
 *   load_client ws  --port P --count N --size S [--tls CAFILE]
 *       Connects, upgrades, then sends N text frames of S payload bytes, each masked with its own key, as
 *       fast as the socket takes them while reading and checking the echoes; sends Close 1000 after the
 *       last echo (or answers the server's Close) and waits for the closing handshake.
 *   load_client raw --port P --bytes B
 *       Plain TCP: writes B bytes to an `echo_server --raw` while reading them back.
 *
 * Prints one JSON object on stdout: {"messages": N, "bytes": B, "seconds": T}. Counts only what came back.
 * Exits non-zero on any protocol error or short echo; gives up after 120 s.
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wsframe.h"

#define IO_CHUNK (256 * 1024)
#define TIME_LIMIT_SECONDS 120

static int fd = -1;
static SSL *ssl;

static void fatal(const char *msg) {
    fprintf(stderr, "load_client: %s\n", msg);
    exit(1);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void connect_to(int port) {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fatal("socket failed");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) fatal("connect failed");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void start_tls(const char *cafile) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) fatal("cannot load the CA file");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    ssl = SSL_new(ctx);
    if (!ssl || !SSL_set_fd(ssl, fd) || !SSL_set1_host(ssl, "localhost")) fatal("SSL_new failed");
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (SSL_connect(ssl) != 1) {
        ERR_print_errors_fp(stderr);
        fatal("TLS handshake failed");
    }
}

/* Non-blocking I/O through TLS or the plain socket: >0 bytes, 0 would block, -1 EOF or error. */
static ssize_t io_read(void *p, size_t n) {
    if (ssl) {
        int r = SSL_read(ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
        if (r > 0) return r;
        int e = SSL_get_error(ssl, r);
        return (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) ? 0 : -1;
    }
    ssize_t r = read(fd, p, n);
    if (r > 0) return r;
    return (r < 0 && (errno == EAGAIN || errno == EINTR)) ? 0 : -1;
}

static ssize_t io_write(const void *p, size_t n) {
    if (ssl) {
        int r = SSL_write(ssl, p, n > (1 << 20) ? (1 << 20) : (int)n);
        if (r > 0) return r;
        int e = SSL_get_error(ssl, r);
        return (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) ? 0 : -1;
    }
    ssize_t r = write(fd, p, n);
    if (r >= 0) return r;
    return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

static void set_nonblocking(void) {
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) fatal("fcntl failed");
}

/* Waits until the socket is readable, or writable too when `want_write`. */
static void wait_io(int want_write) {
    if (ssl && SSL_pending(ssl) > 0) return;
    struct pollfd p = {.fd = fd, .events = POLLIN | (want_write ? POLLOUT : 0)};
    if (poll(&p, 1, 1000) < 0 && errno != EINTR) fatal("poll failed");
}

static uint32_t rng_state = 0x9e3779b9;
static uint32_t next_random(void) { /* xorshift32: a fresh masking key per frame, cheaply */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Sends the upgrade request and checks the 101 response; bytes after its head stay in `in`. */
static void upgrade(int port, struct buf *in) {
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     port);
    for (int off = 0; off < n;) {
        int w = ssl ? SSL_write(ssl, req + off, n - off) : (int)write(fd, req + off, (size_t)(n - off));
        if (w <= 0) fatal("writing the upgrade request failed");
        off += w;
    }
    for (;;) {
        unsigned char *dst = buf_reserve(in, 4096);
        int r = ssl ? SSL_read(ssl, dst, 4096) : (int)read(fd, dst, 4096);
        if (r <= 0) fatal("connection closed during the upgrade");
        in->end += (size_t)r;
        unsigned char *end = memmem(buf_head(in), buf_len(in), "\r\n\r\n", 4);
        if (!end) continue;
        /* RFC 6455 §1.3 sample: this key's accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
        if (buf_len(in) < 12 || memcmp(buf_head(in), "HTTP/1.1 101", 12) != 0 ||
            !memmem(buf_head(in), (size_t)(end - buf_head(in)), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", 28))
            fatal("the server refused the upgrade");
        buf_consume(in, (size_t)(end + 4 - buf_head(in)));
        return;
    }
}

/* Appends as many masked frames as fit in IO_CHUNK (at least one) to `out`. */
static long fill_frames(struct buf *out, const unsigned char *payload, size_t size, long remaining) {
    long made = 0;
    while (made < remaining && (made == 0 || buf_len(out) + size + 14 <= IO_CHUNK)) {
        uint32_t r = next_random();
        unsigned char key[4];
        memcpy(key, &r, 4);
        unsigned char *dst = buf_reserve(out, size + 14);
        size_t h = ws_put_header(dst, 1, WS_TEXT, size, key);
        ws_mask_copy(dst + h, payload, size, key, 0);
        out->end += h + size;
        made++;
    }
    return made;
}

static int run_ws(int port, long count, size_t size, const char *cafile) {
    unsigned char *payload = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++) payload[i] = (unsigned char)('a' + i % 26);
    struct buf in = {0}, out = {0};
    double t0 = now();
    connect_to(port);
    if (cafile) start_tls(cafile);
    upgrade(port, &in);
    set_nonblocking();

    long queued = 0, echoed = 0;
    unsigned long long echoed_bytes = 0;
    int close_sent = 0, close_received = 0;
    while (!(close_received && close_sent && buf_len(&out) == 0)) {
        if (now() - t0 > TIME_LIMIT_SECONDS) fatal("timed out");
        if (buf_len(&out) == 0 && queued < count) queued += fill_frames(&out, payload, size, count - queued);
        if (!close_sent && (echoed == count || close_received)) {
            /* Close 1000 after the last echo, or the answer to the server's Close (RFC 6455 §5.5.1). */
            unsigned char key[4] = {1, 2, 3, 4}, code[2] = {0x03, 0xe8};
            unsigned char *dst = buf_reserve(&out, 8);
            size_t h = ws_put_header(dst, 1, WS_CLOSE, 2, key);
            ws_mask_copy(dst + h, code, 2, key, 0);
            out.end += h + 2;
            close_sent = 1;
        }
        int progress = 0;
        if (buf_len(&out)) {
            ssize_t w = io_write(buf_head(&out), buf_len(&out));
            if (w < 0) fatal("write failed");
            if (w > 0) buf_consume(&out, (size_t)w), progress = 1;
        }
        if (!close_received) {
            ssize_t r = io_read(buf_reserve(&in, IO_CHUNK), IO_CHUNK);
            if (r < 0) fatal("connection closed before the closing handshake");
            if (r > 0) in.end += (size_t)r, progress = 1;
        }
        struct ws_header h;
        while (!close_received && ws_parse_header(buf_head(&in), buf_len(&in), &h) &&
               buf_len(&in) >= h.header_len + h.len) {
            const unsigned char *p = buf_head(&in) + h.header_len;
            if (h.masked || h.rsv) fatal("server frame masked or with RSV bits");
            if (h.opcode == WS_CLOSE) {
                close_received = 1;
            } else if (h.opcode == WS_TEXT && h.fin) {
                if (h.len != size || (size && memcmp(p, payload, size) != 0))
                    fatal("echo differs from what was sent");
                echoed++;
                echoed_bytes += h.len;
            } else if (h.opcode != WS_PONG) {
                fatal("unexpected frame from the server");
            }
            buf_consume(&in, h.header_len + h.len);
        }
        if (!progress) wait_io(buf_len(&out) > 0);
    }
    double secs = now() - t0;
    if (echoed != count) {
        fprintf(stderr, "load_client: %ld of %ld messages echoed\n", echoed, count);
        return 1;
    }
    printf("{\"messages\": %ld, \"bytes\": %llu, \"seconds\": %.6f}\n", echoed, echoed_bytes, secs);
    return 0;
}

static int run_raw(int port, unsigned long long total) {
    unsigned char *chunk = malloc(IO_CHUNK), *sink = malloc(IO_CHUNK);
    for (size_t i = 0; i < IO_CHUNK; i++) chunk[i] = (unsigned char)('a' + i % 26);
    double t0 = now();
    connect_to(port);
    set_nonblocking();
    unsigned long long sent = 0, got = 0;
    while (got < total) {
        if (now() - t0 > TIME_LIMIT_SECONDS) fatal("timed out");
        int progress = 0;
        if (sent < total) {
            size_t n = total - sent < IO_CHUNK ? (size_t)(total - sent) : IO_CHUNK;
            ssize_t w = io_write(chunk, n);
            if (w < 0) fatal("write failed");
            sent += (unsigned long long)w;
            progress |= w > 0;
        }
        ssize_t r = io_read(sink, IO_CHUNK);
        if (r < 0) fatal("connection closed early");
        got += (unsigned long long)r;
        progress |= r > 0;
        if (!progress) wait_io(sent < total);
    }
    double secs = now() - t0;
    close(fd);
    printf("{\"messages\": 0, \"bytes\": %llu, \"seconds\": %.6f}\n", got, secs);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: load_client ws --port P --count N --size S [--tls CAFILE]\n"
                    "       load_client raw --port P --bytes B\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    int port = 0;
    long count = 0;
    size_t size = 0;
    unsigned long long bytes = 0;
    const char *cafile = NULL;
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "--port")) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--count")) count = atol(argv[++i]);
        else if (!strcmp(argv[i], "--size")) size = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--bytes")) bytes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--tls")) cafile = argv[++i];
        else usage();
    }
    signal(SIGPIPE, SIG_IGN);
    alarm(TIME_LIMIT_SECONDS + 10); /* a last resort if a blocking call never returns */
    if (!port) usage();
    if (!strcmp(argv[1], "ws")) return run_ws(port, count, size, cafile);
    if (!strcmp(argv[1], "raw")) return run_raw(port, bytes);
    usage();
    return 2;
}
