// glibc's malloc, tuned before main for `runbook render FILE`.
//
// Swift runs runbook's work on Dispatch worker threads, and glibc gives each such thread an arena
// of its own, a heap that grows with one mprotect call for nearly every new stretch of small
// allocations: cmark's nodes for a 50 MB file are millions of them. With one arena (the main one,
// grown with brk and a pad) rendering one 50 MB file takes about a tenth less CPU time and no more
// memory (Benchmarks/big-inputs). Commands that work on both cores (`render --bench`, `site`,
// `index`) keep an arena per thread: on one arena `render --bench` over the corpus took 1.8 times
// as long. A GLIBC_TUNABLES that names malloc settings is left to rule.
#include "runbook_malloc.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc
#include <string.h>

/// Whether the command line is `runbook render ...` for one file (no `--bench`).
static int renders_one_file(int argc, char **argv) {
    if (argc < 2 || argv == NULL || strcmp(argv[1], "render") != 0) return 0;
    for (int index = 2; index < argc; index++) {
        if (strcmp(argv[index], "--") == 0) break;
        if (strncmp(argv[index], "--bench", 7) == 0) return 0;
    }
    return 1;
}

#if defined(__GLIBC__)
#include <malloc.h>

static int tuned = 0;

// glibc calls constructors with main's arguments.
__attribute__((constructor)) static void runbook_tune_malloc(int argc, char **argv, char **envp) {
    (void)envp;
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables != NULL && strstr(tunables, "glibc.malloc.") != NULL) return;
    if (!renders_one_file(argc, argv)) return;
    tuned = mallopt(M_ARENA_MAX, 1);
}

int runbook_malloc_tuned(void) { return tuned; }
#else
int runbook_malloc_tuned(void) { (void)renders_one_file; return 0; }
#endif
