#ifndef WSC_CMALLOC_SHIM_H
#define WSC_CMALLOC_SHIM_H

// glibc's allocator controls (mallopt(3)), which the Glibc module does not bring into Swift.
#include <malloc.h>

#endif
