import ArgumentParser
import CRunbookMalloc
import Foundation

/// glibc's malloc, tuned for `runbook render FILE` once ArgumentParser has parsed the command line.
///
/// Swift runs runbook's work on Dispatch worker threads, and glibc gives each such thread an arena
/// of its own, a heap that grows with one mprotect call for nearly every new stretch of small
/// allocations: cmark's nodes for a 50 MB file are millions of them. With one arena (the main one,
/// grown with brk and a pad) rendering one 50 MB file takes about a tenth less CPU time and no more
/// memory (Benchmarks/big-inputs). Commands that work on both cores (`render --bench`, `site`,
/// `index`) keep an arena per thread: on one arena `render --bench` over the corpus took 1.8 times
/// as long. A GLIBC_TUNABLES that names malloc settings is left to rule.
///
/// It used to be a C constructor that matched `render` in argv before main. Deciding here, on the
/// parsed command, changes nothing glibc sees: the limit is set while the main thread is the only
/// thread (no worker has allocated, so no second arena exists yet), as it was before main.
enum MallocTuning {
    /// Limits malloc to one arena when `command` renders one file; returns whether it did.
    @discardableResult
    static func apply(for command: any ParsableCommand, environment: [String: String]) -> Bool {
        guard let render = command as? RunbookCommand.Render, render.bench == nil else { return false }
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("glibc.malloc.") { return false }
        return runbook_malloc_one_arena() == 1
    }
}
