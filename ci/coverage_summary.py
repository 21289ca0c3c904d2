#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Reads `llvm-cov export` JSON (ci/coverage) and prints the one-screen summary:
# lines and branches per file, regions and branches per ported function, the
# port's totals (also written to PORT_TOTAL as "LINES% BRANCHES%"), and every
# errno-returning line of the port inside a region nothing executed.
# Usage: coverage_summary.py EXPORT.json PORT_TOTAL PORT_FILE...
import json
import os
import re
import subprocess
import sys

export, port_total, port_files = sys.argv[1], sys.argv[2], sys.argv[3:]
data = json.load(open(export))["data"][0]


def rel(path):
    """The path relative to the repository (ci/coverage runs from its root)."""
    return os.path.relpath(os.path.normpath(path))


def pct(covered, count):
    return "%6.2f%%" % (100.0 * covered / count) if count else "    -  "


def is_port(path):
    return any(rel(path) == p for p in port_files)


print("== coverage per file (lines, branches)")
for f in sorted(data["files"], key=lambda f: rel(f["filename"])):
    if not rel(f["filename"]).startswith("core/"):
        continue
    s = f["summary"]
    print("  %-30s lines %s  branches %s" % (rel(f["filename"]), pct(s["lines"]["covered"], s["lines"]["count"]),
                                             pct(s["branches"]["covered"], s["branches"]["count"])))
t = data["totals"]
print("  %-30s lines %s  branches %s" % ("TOTAL", pct(t["lines"]["covered"], t["lines"]["count"]),
                                         pct(t["branches"]["covered"], t["branches"]["count"])))

# Functions: the same function may come from several binaries; keep the best record per name.
funcs = {}
for fn in data.get("functions", []):
    if not fn["filenames"] or not is_port(fn["filenames"][0]):
        continue
    code = [r for r in fn["regions"] if r[7] == 0]  # kind 0: code regions
    regions = (sum(1 for r in code if r[4] > 0), len(code))
    # A branch counts twice, as llvm-cov does: its true and its false side.
    br = fn.get("branches", [])
    branches = (sum((b[4] > 0) + (b[5] > 0) for b in br), 2 * len(br))
    key = fn["name"]
    old = funcs.get(key)
    if old is None or regions[0] + branches[0] > old[1][0] + old[2][0]:
        funcs[key] = (rel(fn["filenames"][0]), regions, branches, code)
names = sorted(funcs)
demangled = subprocess.run(["llvm-cxxfilt"], input="\n".join(names), capture_output=True, text=True,
                           check=True).stdout.splitlines() if names else []
print("== ported functions (regions, branches)")
rows = []
for mangled, pretty in zip(names, demangled):
    short = re.sub(r"\(.*", "", pretty)
    if "gupfuzz::port::" not in short:
        continue
    short = short.split("gupfuzz::port::", 1)[1]
    f, regions, branches, _ = funcs[mangled]
    rows.append("  %-28s %-16s regions %s  branches %s" % (short, f.split("/")[-1], pct(*regions), pct(*branches)))
print("\n".join(sorted(rows)))

lines = [0, 0]
branches = [0, 0]
for f in data["files"]:
    if is_port(f["filename"]):
        s = f["summary"]
        lines[0] += s["lines"]["covered"]; lines[1] += s["lines"]["count"]
        branches[0] += s["branches"]["covered"]; branches[1] += s["branches"]["count"]
port_lines, port_branches = pct(*lines).strip(), pct(*branches).strip()
print("  port total: lines %s, branches %s" % (port_lines, port_branches))
with open(port_total, "w") as out:
    out.write("%s %s\n" % (port_lines, port_branches))

print("== errno-returning lines of the port that nothing reached")
errno = re.compile(r"-E[A-Z]+|ERR_PTR|BUG|return i \? i")
sources = {}
unreached = set()
for mangled, (f, _, _, code) in funcs.items():
    for r in code:
        if r[4] != 0:
            continue
        if f not in sources:
            sources[f] = open(f).read().split("\n")
        for line in range(r[0], r[2] + 1):
            text = sources[f][line - 1] if line - 1 < len(sources[f]) else ""
            if errno.search(text):
                unreached.add((f, line, " ".join(text.split())))
for f, line, text in sorted(unreached):
    print("  %s:%d %s" % (f, line, text))
