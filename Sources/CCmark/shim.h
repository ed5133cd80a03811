#ifndef RUNBOOK_CCMARK_SHIM_H
#define RUNBOOK_CCMARK_SHIM_H
#include <stdlib.h>
#include <string.h>
#include <cmark.h>

/// Frees a string that cmark allocated (cmark_render_* results).
static inline void runbook_cmark_free_string(char *text) { free(text); }
/// The length of a string that cmark returned.
static inline size_t runbook_cmark_string_length(const char *text) { return strlen(text); }
#endif
