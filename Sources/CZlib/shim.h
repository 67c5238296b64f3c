#ifndef WSC_CZLIB_SHIM_H
#define WSC_CZLIB_SHIM_H

#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass zlib's version string and sizeof(z_stream) to the real
// functions; Swift cannot import function-like macros, so these wrappers expand them in C.

/// deflateInit2 with method fixed to Z_DEFLATED, the only method zlib has.
static inline int CZlib_deflateInit2(z_streamp stream, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, strategy);
}

/// inflateInit2; a negative windowBits selects raw deflate (no zlib header or checksum).
static inline int CZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
