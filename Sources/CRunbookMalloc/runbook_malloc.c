// glibc's mallopt for Swift, which cannot import malloc.h: see Sources/runbook/MallocTuning.swift for
// when runbook limits malloc to one arena, and why.
#include "runbook_malloc.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

int runbook_malloc_one_arena(void) { return mallopt(M_ARENA_MAX, 1); }
#else
int runbook_malloc_one_arena(void) { return 0; }
#endif
