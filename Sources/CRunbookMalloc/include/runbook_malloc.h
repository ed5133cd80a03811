#ifndef RUNBOOK_MALLOC_H
#define RUNBOOK_MALLOC_H

/// Limits glibc's malloc to one arena (mallopt M_ARENA_MAX 1); 1 when done, 0 elsewhere or on failure.
/// Whether to call it is decided in Swift (Sources/runbook/MallocTuning.swift); malloc.h has no Swift module.
int runbook_malloc_one_arena(void);

#endif
