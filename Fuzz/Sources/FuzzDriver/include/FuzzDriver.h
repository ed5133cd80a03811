// Starts libFuzzer's driver from a target's main: SwiftPM renames an executable's `main`, so
// libFuzzer's own `main` cannot be used.
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line's options on `callback`, then exits with its status.
__attribute__((noreturn))
void runFuzzer(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));
