#ifndef RUNBOOK_CCMARK_SHIM_H
#define RUNBOOK_CCMARK_SHIM_H
#include <stdlib.h>
#include <cmark.h>

/// Frees a string that cmark allocated (cmark_render_* results).
static inline void runbook_cmark_free_string(char *text) { free(text); }
#endif
