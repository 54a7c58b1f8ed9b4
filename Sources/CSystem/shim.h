#ifndef DRSIM_CSYSTEM_SHIM_H
#define DRSIM_CSYSTEM_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Swaps two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE, through syscall because
   Swift's Glibc module does not declare renameat2). Returns 0, or -1 with errno set: EINVAL or ENOSYS
   where the kernel or the file system cannot exchange, so that the caller falls back to two renames. */
static inline int drsim_exchange(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int) syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

#endif
