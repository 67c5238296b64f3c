/* echo_server.c — single-threaded epoll WebSocket echo server for the wsc benchmark.
 *
 *   echo_server [--port N] [--close-after N] [--tls CERT KEY] [--raw]
 *
 * Binds 127.0.0.1:N (0 = any free port) and prints the port on stdout. Echoes every text/binary frame back
 * unmasked, frame by frame (so fragmented messages come back fragmented the same way), answers pings, and
 * answers the client's Close (RFC 6455 §5.5.1). With --close-after N it sends Close 1000 after the N-th
 * complete message of a connection, so clients end by themselves. --raw echoes plain TCP bytes with no
 * WebSocket at all (the machine's loopback limit). --tls serves the same over TLS (OpenSSL).
 *
 * It is meant never to be the bottleneck: large buffers, many frames per read, one write per batch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wsframe.h"

#define READ_CHUNK (256 * 1024)
#define OUT_HIGH_WATER (16 * 1024 * 1024) /* stop reading while this much echo is unsent */
#define MAX_PAYLOAD ((uint64_t)1 << 30)   /* frames larger than this get Close 1009 */
#define MAX_REQUEST 16384
#define MAX_PUMP_ROUNDS 1024

struct conn {
    int fd;
    SSL *ssl;
    int tls_done;    /* TLS handshake finished (or not TLS) */
    int upgraded;    /* HTTP upgrade answered */
    int in_message;  /* a fragmented message is open, continuation frames expected */
    int close_sent, close_received;
    int peer_eof;    /* nothing more will be read (EOF, Close, error): flush, then drop */
    int want_write;  /* TLS needs the socket writable to make progress */
    uint32_t events; /* current epoll interest */
    long messages;   /* complete data messages received */
    struct buf in, out;
};

static long close_after;
static int raw_mode;
static SSL_CTX *tls_ctx;
static int epfd;
static volatile sig_atomic_t stopping;

static void on_signal(int sig) {
    (void)sig;
    stopping = 1;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* --- HTTP upgrade (RFC 6455 §4.2) ----------------------------------------------------------------------- */

/* Finds header `name` in the request head; copies its trimmed value into `out`. */
static int find_header(const char *head, const char *name, char *out, size_t outlen) {
    size_t nlen = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ' || *v == '\t') v++;
            const char *e = strstr(v, "\r\n");
            if (!e) return 0;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--;
            size_t n = (size_t)(e - v);
            if (n >= outlen) return 0;
            memcpy(out, v, n);
            out[n] = 0;
            return 1;
        }
    }
    return 0;
}

/* Answers the upgrade request if its head is complete. Returns bytes consumed, 0 if incomplete. */
static size_t handle_upgrade(struct conn *c) {
    unsigned char *p = buf_head(&c->in);
    size_t n = buf_len(&c->in);
    unsigned char *end = memmem(p, n, "\r\n\r\n", 4);
    if (!end) {
        if (n > MAX_REQUEST) c->peer_eof = 1;
        return 0;
    }
    size_t head_len = (size_t)(end - p) + 4;
    char head[MAX_REQUEST + 1];
    if (head_len > MAX_REQUEST) {
        c->peer_eof = 1;
        return 0;
    }
    memcpy(head, p, head_len);
    head[head_len] = 0;

    char key[128], upgrade[64];
    if (strncmp(head, "GET ", 4) != 0 || !find_header(head, "Sec-WebSocket-Key", key, sizeof key) ||
        !find_header(head, "Upgrade", upgrade, sizeof upgrade) || strcasecmp(upgrade, "websocket") != 0) {
        static const char bad[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        buf_append(&c->out, bad, sizeof bad - 1);
        c->peer_eof = 1;
        return head_len;
    }
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    char joined[sizeof key + sizeof guid];
    snprintf(joined, sizeof joined, "%s%s", key, guid);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)joined, strlen(joined), digest);
    char accept[64];
    EVP_EncodeBlock((unsigned char *)accept, digest, SHA_DIGEST_LENGTH);
    char resp[256];
    int len = snprintf(resp, sizeof resp,
                       "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: %s\r\n\r\n",
                       accept);
    buf_append(&c->out, resp, (size_t)len);
    c->upgraded = 1;
    return head_len;
}

/* --- frames (RFC 6455 §5) --------------------------------------------------------------------------------- */

static void queue_frame(struct conn *c, int fin, int opcode, const unsigned char *payload, uint64_t len,
                        const unsigned char *mask) {
    unsigned char *dst = buf_reserve(&c->out, 14 + len);
    size_t h = ws_put_header(dst, fin, opcode, len, NULL);
    if (mask) ws_mask_copy(dst + h, payload, len, mask, 0);
    else if (len) memcpy(dst + h, payload, len);
    c->out.end += h + len;
}

static void queue_close(struct conn *c, int code) {
    unsigned char p[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    queue_frame(c, 1, WS_CLOSE, p, 2, NULL);
    c->close_sent = 1;
}

/* A protocol violation: Close with `code` (RFC 6455 §7.4.1), read nothing more, drop after flushing. */
static void fail(struct conn *c, int code) {
    if (!c->close_sent) queue_close(c, code);
    c->peer_eof = 1;
}

/* Handles one complete frame. Returns 0 to stop reading frames. */
static int handle_frame(struct conn *c, const struct ws_header *h, const unsigned char *payload) {
    if (h->rsv || !h->masked) return fail(c, 1002), 0; /* no extensions negotiated; clients must mask (§5.1) */
    switch (h->opcode) {
    case WS_TEXT:
    case WS_BINARY:
    case WS_CONT:
        if ((h->opcode == WS_CONT) != (c->in_message != 0)) return fail(c, 1002), 0; /* §5.4 */
        c->in_message = !h->fin;
        if (!c->close_sent) { /* after our Close, data is discarded (§5.5.1) */
            queue_frame(c, h->fin, h->opcode, payload, h->len, h->mask);
            if (h->fin && ++c->messages == close_after) queue_close(c, 1000);
        }
        return 1;
    case WS_CLOSE:
    case WS_PING:
    case WS_PONG:
        if (!h->fin || h->len > 125) return fail(c, 1002), 0; /* §5.5 */
        if (h->opcode == WS_PING && !c->close_sent) {
            queue_frame(c, 1, WS_PONG, payload, h->len, h->mask);
        } else if (h->opcode == WS_CLOSE) {
            c->close_received = 1;
            c->peer_eof = 1;
            if (!c->close_sent) { /* echo the status code back (§5.5.1) */
                unsigned char code[2];
                if (h->len >= 2) {
                    ws_mask_copy(code, payload, 2, h->mask, 0);
                    queue_frame(c, 1, WS_CLOSE, code, 2, NULL);
                } else {
                    queue_frame(c, 1, WS_CLOSE, NULL, 0, NULL);
                }
                c->close_sent = 1;
            }
            return 0;
        }
        return 1;
    default:
        return fail(c, 1002), 0;
    }
}

/* Consumes every complete request head and frame in the input buffer. */
static void process_input(struct conn *c) {
    if (raw_mode) {
        buf_append(&c->out, buf_head(&c->in), buf_len(&c->in));
        buf_consume(&c->in, buf_len(&c->in));
        return;
    }
    if (!c->upgraded) {
        size_t used = handle_upgrade(c);
        buf_consume(&c->in, used);
        if (!c->upgraded) return;
    }
    while (!c->peer_eof) {
        struct ws_header h;
        size_t n = buf_len(&c->in);
        if (!ws_parse_header(buf_head(&c->in), n, &h)) return;
        if (h.len > MAX_PAYLOAD) return fail(c, 1009);
        if (n < h.header_len + h.len) {
            buf_reserve(&c->in, h.header_len + h.len - n); /* so the next read can take the whole frame */
            return;
        }
        int go_on = handle_frame(c, &h, buf_head(&c->in) + h.header_len);
        buf_consume(&c->in, h.header_len + h.len);
        if (!go_on) return;
    }
}

/* --- socket I/O --------------------------------------------------------------------------------------------- */

/* A TLS call failed with `ret`: returns 1 to wait (want read/write recorded), 0 for a dead connection. */
static int tls_should_wait(struct conn *c, int ret) {
    switch (SSL_get_error(c->ssl, ret)) {
    case SSL_ERROR_WANT_READ:
        return 1;
    case SSL_ERROR_WANT_WRITE:
        c->want_write = 1;
        return 1;
    default:
        ERR_clear_error();
        return 0;
    }
}

/* One read and the processing of what it brought. Returns 1 on progress, 0 if nothing to read, -1 dead. */
static int read_once(struct conn *c) {
    unsigned char *dst = buf_reserve(&c->in, READ_CHUNK);
    size_t room = c->in.cap - c->in.end;
    ssize_t n;
    if (c->ssl) {
        int r = SSL_read(c->ssl, dst, room > INT32_MAX ? INT32_MAX : (int)room);
        if (r <= 0) {
            if (SSL_get_error(c->ssl, r) == SSL_ERROR_ZERO_RETURN) return c->peer_eof = 1, 1;
            return tls_should_wait(c, r) ? 0 : -1;
        }
        n = r;
    } else {
        n = read(c->fd, dst, room);
        if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
        if (n == 0) return c->peer_eof = 1, 1;
    }
    c->in.end += (size_t)n;
    process_input(c);
    return 1;
}

/* One write of queued output. Returns 1 on progress, 0 if the socket is full, -1 dead. */
static int write_once(struct conn *c) {
    size_t len = buf_len(&c->out);
    ssize_t n;
    if (c->ssl) {
        int r = SSL_write(c->ssl, buf_head(&c->out), len > (1 << 20) ? (1 << 20) : (int)len);
        if (r <= 0) return tls_should_wait(c, r) ? 0 : -1;
        n = r;
    } else {
        n = write(c->fd, buf_head(&c->out), len);
        if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    }
    buf_consume(&c->out, (size_t)n);
    return 1;
}

static void conn_drop(struct conn *c) {
    if (c->ssl) {
        if (c->tls_done) SSL_shutdown(c->ssl); /* best effort close_notify */
        SSL_free(c->ssl);
    }
    close(c->fd);
    buf_free(&c->in);
    buf_free(&c->out);
    free(c);
}

/* Does all the work the socket allows now. Returns 0 when the connection is finished and was dropped. */
static int conn_pump(struct conn *c) {
    for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
        int progress = 0, r;
        c->want_write = 0;
        if (!c->tls_done) {
            r = SSL_accept(c->ssl);
            if (r == 1) {
                c->tls_done = 1;
                progress = 1;
            } else if (!tls_should_wait(c, r)) {
                conn_drop(c);
                return 0;
            } else {
                break;
            }
        }
        if (buf_len(&c->out)) {
            if ((r = write_once(c)) < 0) {
                conn_drop(c);
                return 0;
            }
            progress |= r;
        }
        if (!c->peer_eof && buf_len(&c->out) < OUT_HIGH_WATER) {
            if ((r = read_once(c)) < 0) {
                c->peer_eof = 1; /* reset by peer: still try to flush, then drop */
            } else {
                progress |= r;
            }
        }
        if (!progress) break;
    }
    if (c->peer_eof && buf_len(&c->out) == 0) { /* nothing more to read, everything sent */
        conn_drop(c);
        return 0;
    }
    uint32_t ev = 0;
    if (!c->peer_eof && buf_len(&c->out) < OUT_HIGH_WATER) ev |= EPOLLIN;
    if (buf_len(&c->out) || c->want_write) ev |= EPOLLOUT;
    if (c->ssl && !c->tls_done && !c->want_write) ev |= EPOLLIN;
    if (ev != c->events) {
        struct epoll_event e = {.events = ev, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e) < 0) die("epoll_ctl");
        c->events = ev;
    }
    /* Bytes already decrypted inside OpenSSL do not make the socket readable: pump again soon. */
    return (c->ssl && (ev & EPOLLIN) && SSL_pending(c->ssl) > 0) ? 2 : 1;
}

static void accept_all(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return;
            die("accept4");
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = calloc(1, sizeof *c);
        if (!c) die("calloc");
        c->fd = fd;
        c->tls_done = 1;
        if (tls_ctx) {
            c->ssl = SSL_new(tls_ctx);
            if (!c->ssl || !SSL_set_fd(c->ssl, fd)) die("SSL_new");
            c->tls_done = 0;
        }
        c->events = EPOLLIN;
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl");
    }
}

static SSL_CTX *make_tls(const char *cert, const char *key) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        ERR_print_errors_fp(stderr);
        fprintf(stderr, "echo_server: cannot load TLS certificate %s / key %s\n", cert, key);
        exit(1);
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

static void usage(void) {
    fprintf(stderr, "usage: echo_server [--port N] [--close-after N] [--tls CERT KEY] [--raw]\n");
    exit(2);
}

int main(int argc, char **argv) {
    int port = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--close-after") && i + 1 < argc) close_after = atol(argv[++i]);
        else if (!strcmp(argv[i], "--tls") && i + 2 < argc) tls_ctx = make_tls(argv[i + 1], argv[i + 2]), i += 2;
        else if (!strcmp(argv[i], "--raw")) raw_mode = 1;
        else usage();
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the benchmark driver */

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(lfd, 128) < 0) die("listen");
    socklen_t alen = sizeof addr;
    if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) die("getsockname");
    printf("%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &e) < 0) die("epoll_ctl");

    struct conn *again[64];
    int nagain = 0;
    while (!stopping) {
        struct epoll_event evs[64];
        int n = epoll_wait(epfd, evs, 64, nagain ? 0 : -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        /* Connections with decrypted bytes left from the last round; none of them can have been dropped since. */
        int pending = nagain;
        nagain = 0;
        for (int i = 0; i < pending; i++) {
            int seen = 0;
            for (int j = 0; j < n; j++) seen |= evs[j].data.ptr == again[i];
            if (!seen && conn_pump(again[i]) == 2 && nagain < 64) again[nagain++] = again[i];
        }
        for (int i = 0; i < n; i++) {
            if (!evs[i].data.ptr) {
                accept_all(lfd);
                continue;
            }
            if (conn_pump(evs[i].data.ptr) == 2 && nagain < 64) again[nagain++] = evs[i].data.ptr;
        }
    }
    return 0;
}
