/* wsframe.h — byte buffers and RFC 6455 frame helpers shared by echo_server.c and load_client.c.
 *
 * Header-only on purpose: each benchmark program is one compile command with no library to build.
 */
#ifndef WSFRAME_H
#define WSFRAME_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* RFC 6455 §5.2 opcodes. */
enum {
    WS_CONT = 0x0,
    WS_TEXT = 0x1,
    WS_BINARY = 0x2,
    WS_CLOSE = 0x8,
    WS_PING = 0x9,
    WS_PONG = 0xA,
};

/* A growable byte queue: bytes live in data[start, end). Appends go at end, consumers advance start. */
struct buf {
    unsigned char *data;
    size_t start, end, cap;
};

static inline size_t buf_len(const struct buf *b) { return b->end - b->start; }

static inline unsigned char *buf_head(const struct buf *b) { return b->data + b->start; }

static inline void buf_consume(struct buf *b, size_t n) {
    b->start += n;
    if (b->start == b->end) b->start = b->end = 0;
}

/* Makes room for at least `n` more bytes after `end`; moves the live bytes to the front before growing. */
static inline unsigned char *buf_reserve(struct buf *b, size_t n) {
    if (b->cap - b->end >= n) return b->data + b->end;
    if (b->start > 0) {
        memmove(b->data, b->data + b->start, buf_len(b));
        b->end -= b->start;
        b->start = 0;
        if (b->cap - b->end >= n) return b->data + b->end;
    }
    size_t cap = b->cap ? b->cap : 65536;
    while (cap - b->end < n) cap *= 2;
    unsigned char *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "out of memory growing a buffer to %zu bytes\n", cap);
        exit(70);
    }
    b->data = p;
    b->cap = cap;
    return b->data + b->end;
}

static inline void buf_append(struct buf *b, const void *src, size_t n) {
    memcpy(buf_reserve(b, n), src, n);
    b->end += n;
}

static inline void buf_free(struct buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* XORs `n` bytes of `src` with the 4-byte masking key into `dst` (RFC 6455 §5.3), eight bytes at a time.
 * `dst` may equal `src`. `phase` is the key offset of src[0], for payloads unmasked in pieces. */
static inline void ws_mask_copy(unsigned char *dst, const unsigned char *src, size_t n, const unsigned char key[4],
                                size_t phase) {
    unsigned char k[4];
    for (int i = 0; i < 4; i++) k[i] = key[(phase + i) & 3];
    uint32_t k32;
    memcpy(&k32, k, 4);
    uint64_t k64 = ((uint64_t)k32 << 32) | k32;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, src + i, 8);
        v ^= k64;
        memcpy(dst + i, &v, 8);
    }
    for (; i < n; i++) dst[i] = src[i] ^ k[i & 3];
}

/* Writes a frame header (RFC 6455 §5.2) into `out` (room for 14 bytes); returns its length.
 * A non-NULL `mask` sets the MASK bit and appends the key. */
static inline size_t ws_put_header(unsigned char *out, int fin, int opcode, uint64_t len, const unsigned char *mask) {
    size_t n = 0;
    out[n++] = (unsigned char)((fin ? 0x80 : 0) | (opcode & 0x0f));
    unsigned char mbit = mask ? 0x80 : 0;
    if (len < 126) {
        out[n++] = mbit | (unsigned char)len;
    } else if (len <= 0xffff) {
        out[n++] = mbit | 126;
        out[n++] = (unsigned char)(len >> 8);
        out[n++] = (unsigned char)len;
    } else {
        out[n++] = mbit | 127;
        for (int s = 56; s >= 0; s -= 8) out[n++] = (unsigned char)(len >> s);
    }
    if (mask) {
        memcpy(out + n, mask, 4);
        n += 4;
    }
    return n;
}

/* A parsed frame header. */
struct ws_header {
    int fin, rsv, opcode, masked;
    unsigned char mask[4];
    uint64_t len;     /* payload length */
    size_t header_len;
};

/* Parses a frame header from `p` (`n` bytes available). Returns 1 when complete, 0 when more bytes are needed. */
static inline int ws_parse_header(const unsigned char *p, size_t n, struct ws_header *h) {
    if (n < 2) return 0;
    h->fin = p[0] >> 7;
    h->rsv = (p[0] >> 4) & 7;
    h->opcode = p[0] & 0x0f;
    h->masked = p[1] >> 7;
    uint64_t len = p[1] & 0x7f;
    size_t need = 2;
    if (len == 126) need += 2;
    else if (len == 127) need += 8;
    if (h->masked) need += 4;
    if (n < need) return 0;
    size_t at = 2;
    if (len == 126) {
        len = ((uint64_t)p[2] << 8) | p[3];
        at = 4;
    } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = (len << 8) | p[2 + i];
        at = 10;
    }
    if (h->masked) memcpy(h->mask, p + at, 4);
    h->len = len;
    h->header_len = need;
    return 1;
}

#endif
