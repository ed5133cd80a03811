#!/usr/bin/env python3
"""Writes the seed inputs of one fuzz target into a folder, cut from ../shared/corpus and Runbooks/.

Usage: [FUZZ_SEEDS=N] seeds.py TARGET OUT_DIR. The seeds are generated at run time (never committed): pieces of the
corpus's Markdown that each target reads (heading attribute lists, fence info strings and bodies,
front matter, legacy metadata, raw HTML), whole files for the loader, and run logs for run-log.
"""
import hashlib
import json
import os
import re
import sys

target, out = sys.argv[1], sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sources = [os.path.join(root, "../shared/corpus"), os.path.join(root, "Runbooks")]
os.makedirs(out, exist_ok=True)
seen = set()
LIMIT = int(os.environ.get("FUZZ_SEEDS", "3000"))  # seeds per target (CI takes fewer: quicker to load)


def seed(text):
    data = text.encode() if isinstance(text, str) else text
    digest = hashlib.sha1(data).hexdigest()
    if digest in seen or len(seen) >= LIMIT or len(data) > 64 * 1024:
        return
    seen.add(digest)
    with open(os.path.join(out, digest), "wb") as f:
        f.write(data)


def markdown_files():
    for source in sources:
        for folder, _, names in sorted(os.walk(source)):
            for name in sorted(names):
                if name.endswith(".md") or name.endswith(".txt"):
                    with open(os.path.join(folder, name), "rb") as f:
                        yield f.read().decode("utf-8", "replace")


fence = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1", re.M | re.S)
for text in markdown_files():
    if len(seen) >= LIMIT:
        break
    if target == "attributes":
        for match in re.finditer(r"^#+ .*\{([^}\n]*)\}\s*$", text, re.M):
            seed(match.group(1))
        for match in fence.finditer(text):
            seed(match.group(2))
    elif target == "fence-info":
        for match in fence.finditer(text):
            seed(match.group(2) + "\n" + match.group(3))
    elif target == "front-matter":
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        if match:
            seed(match.group(1))
        for match in fence.finditer(text):
            if match.group(2).strip() in ("yaml", "yml") or match.group(2).startswith("check"):
                seed(match.group(3))
    elif target == "legacy-metadata":
        for match in re.finditer(r"<(properties|tags)\b[^>]*>", text, re.S):
            seed(match.group(0))
        seed(text[:4000])
    elif target == "loader":
        seed(text)
    elif target == "sanitizer":
        for match in re.finditer(r"^ {0,3}<[a-zA-Z!/][^\n]*(\n[^\n]+)*", text, re.M):
            seed(match.group(0))
    elif target == "run-log":
        break
    else:
        sys.exit(f"unknown target {target}")

if target == "run-log":
    # Logs in the form the runner writes (FORMAT.md section 5), with steps of the shipped runbooks.
    for folder in (os.path.join(root, "Tests/RunbookSiteTests/Fixtures"),):
        for name in os.listdir(folder):
            if name.endswith(".jsonl"):
                with open(os.path.join(folder, name), "rb") as f:
                    seed(f.read())
    for text in markdown_files():
        steps = re.findall(r"\{#([a-z0-9-]+)", text)[:8]
        if not steps or len(seen) > 200:
            continue
        lines = [{"v": 1, "ts": "2026-12-04T12:00:00.000Z", "event": "run-start", "run": "r1", "runbook": "fuzz",
                  "model": "a", "inputs": {"password": "hunter22", "host": "vm"}}]
        for n, step in enumerate(steps):
            lines.append({"v": 1, "ts": "2026-12-04T12:00:01.000Z", "event": "step", "run": "r1", "step": step,
                          "status": ["pass", "fail", "error", "skipped"][n % 4], "duration_ms": n,
                          "summary": "<b>x</b> hunter22", "evidence": {"stdout": "hunter22 & <i>"}})
        lines.append({"v": 1, "ts": "2026-12-04T12:00:02.000Z", "event": "run-end", "run": "r1",
                      "outcome": "diagnosed", "exit": 1, "causes": steps[:1]})
        seed("\n".join(json.dumps(line) for line in lines) + "\n")
print(f"{len(seen)} seeds for {target} in {out}")
