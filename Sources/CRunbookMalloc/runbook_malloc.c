// glibc's malloc, tuned once before main for how runbook allocates.
//
// Swift runs runbook's work on Dispatch worker threads, and glibc gives each such thread an arena
// of its own, a heap that grows with one mprotect call for nearly every new stretch of small
// allocations: cmark's nodes for a 50 MB file are millions of them. With one arena (the main one,
// grown with brk and a pad) a 50 MB render takes about a tenth less CPU time and no more memory
// (Benchmarks/big-inputs). Per-thread caches keep the parallel site build from contending on the
// one arena. A GLIBC_TUNABLES that names malloc settings is left to rule.
#include "runbook_malloc.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#include <string.h>

static int tuned = 0;

__attribute__((constructor)) static void runbook_tune_malloc(void) {
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables != NULL && strstr(tunables, "glibc.malloc.") != NULL) return;
    tuned = mallopt(M_ARENA_MAX, 1);
}

int runbook_malloc_tuned(void) { return tuned; }
#else
int runbook_malloc_tuned(void) { return 0; }
#endif
