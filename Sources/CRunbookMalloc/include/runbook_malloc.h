#ifndef RUNBOOK_MALLOC_H
#define RUNBOOK_MALLOC_H

/// 1 when glibc's malloc was tuned for runbook at start (see runbook_malloc.c), else 0.
int runbook_malloc_tuned(void);

#endif
