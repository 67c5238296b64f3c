#ifndef WSC_COPENSSL_SHIM_H
#define WSC_COPENSSL_SHIM_H

// The system OpenSSL (libssl 3; WSEngine uses its SHA-1 for the WebSocket accept key). Swift cannot call C macros or see through OpenSSL's type-checked stack
// macros, so each one used by WSTLS is wrapped below as a static inline function of the same meaning.
// Names keep OpenSSL's spelling behind a `wsc_` prefix so that the OpenSSL man page is the documentation.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

// OPENSSL_init_crypto(3) with OPENSSL_INIT_NO_ATEXIT, called before each first use of OpenSSL (a TLS context, a
// SHA-1): by default OpenSSL frees its locks and tables in an atexit handler, which `exit` runs while an event loop
// may still be freeing a TLS context or hashing a key; that thread then crashes on a freed lock. Calls after the
// first only check that it was done.
static inline void wsc_OPENSSL_init_without_cleanup_at_exit(void) {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}

// SSL_set_tlsext_host_name(3): the SNI extension (RFC 6066 section 3).
static inline int wsc_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// SSL_CTX_set_min_proto_version(3).
static inline int wsc_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

// SSL_CTX_set_max_proto_version(3): --tls-max, and the tests' TLS 1.2 server.
static inline int wsc_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

// BIO_pending(3): bytes waiting to be read from a memory BIO.
static inline int wsc_BIO_pending(BIO *bio) {
    return BIO_pending(bio);
}

// BIO_set_retry_read(3) and BIO_clear_retry_flags(3), for the network BIO's callbacks.
static inline void wsc_BIO_set_retry_read(BIO *bio) {
    BIO_set_retry_read(bio);
}

static inline void wsc_BIO_clear_retry_flags(BIO *bio) {
    BIO_clear_retry_flags(bio);
}

// SSL_set_app_data(3): the client certificate callback leaves its mark here (see TLSClientContext).
static inline int wsc_SSL_set_app_data(SSL *ssl, void *data) {
    return SSL_set_app_data(ssl, data);
}

static inline void *wsc_SSL_get_app_data(const SSL *ssl) {
    return SSL_get_app_data(ssl);
}

// sk_X509_num(3) and sk_X509_value(3) over the chain the peer sent.
static inline int wsc_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

static inline X509 *wsc_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

// X509_get_ext_d2i(3) for the subjectAltName extension, typed; free with GENERAL_NAMES_free.
static inline GENERAL_NAMES *wsc_X509_get_subject_alt_names(const X509 *certificate) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
}

static inline int wsc_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline GENERAL_NAME *wsc_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

// XN_FLAG_ONELINE (X509_NAME_print_ex(3)): "C = US, O = Example, CN = example.com".
static inline unsigned long wsc_XN_FLAG_ONELINE(void) {
    return XN_FLAG_ONELINE;
}

// ERR_GET_LIB(3) and ERR_GET_REASON(3), which are inline functions or macros depending on the version.
static inline int wsc_ERR_GET_LIB(unsigned long error) {
    return ERR_GET_LIB(error);
}

static inline int wsc_ERR_GET_REASON(unsigned long error) {
    return ERR_GET_REASON(error);
}

#endif
