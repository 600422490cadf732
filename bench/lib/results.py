#!/usr/bin/env python3
"""Rows and tables of bench/local-copy.sh and bench/stores.sh (stdlib only).

  results.py add ROWS.jsonl key=value... [--skyplane-report FILE]
      appends one run (one tool, one route, one shape) to ROWS.jsonl; numbers stay numbers. With a
      skyplane report, copies its timing fields and the report file's modification time (the
      moment the report was written, just after the job ended).
  results.py machine OUT.json key=value...
      writes the machine facts the scripts collected.
  results.py render ROWS.jsonl MACHINE.json OUTDIR
      groups the runs by (route, shape, tool) -- the median of each metric when a case ran more
      than once; a case with any failed check is FAIL and has no figures --, computes the ratios of
      every skyplane variant to rclone in the same case, prints the tables and writes
      OUTDIR/summary.md, OUTDIR/results.json and OUTDIR/results.csv.

Units: MB/s = 10^6 bytes per wall second; GiB = 2^30 bytes; peak RSS in MiB (GNU time's %M / 1024).
"""
import csv
import json
import os
import statistics
import sys

REPORT_FIELDS = ["status", "durationSeconds", "startupSeconds", "transferSeconds", "firstByteSeconds",
                 "movingSeconds", "compressionRatio", "wireBytes", "bytes", "objects"]


def parse_value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_pairs(pairs):
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            sys.exit(f"results.py: expected key=value, got {pair!r}")
        out[key] = parse_value(value)
    return out


def add(args):
    rows_file, rest = args[0], args[1:]
    report = None
    if "--skyplane-report" in rest:
        i = rest.index("--skyplane-report")
        report = rest[i + 1]
        rest = rest[:i] + rest[i + 2:]
    row = parse_pairs(rest)
    if report is not None:
        if os.path.isfile(report) and os.path.getsize(report) > 0:
            with open(report) as f:
                data = json.load(f)
            row["report"] = {k: data.get(k) for k in REPORT_FIELDS}
            row["compression"] = (data.get("settings") or {}).get("compression")
            row["report_written_at"] = os.stat(report).st_mtime_ns / 1e9
        else:
            row["report"] = None
    with open(rows_file, "a") as f:
        f.write(json.dumps(row) + "\n")


def machine(args):
    with open(args[0], "w") as f:
        json.dump(parse_pairs(args[1:]), f, indent=2)
        f.write("\n")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def startup_split(run):
    """Where a skyplane run's wall time went, from the script's clocks and the report's:
    before the report's start (JVM, CLI, listing), the report's duration, after it (job end,
    MiniCluster shutdown, JVM exit). The report's start is the moment TransferRunner begins (after
    listing, before the MiniCluster starts); its end is taken as the report file's modification
    time, so "before" is over-estimated and "after" under-estimated by the time it took to write
    the report."""
    rep = run.get("report")
    if not rep or run.get("report_written_at") is None or rep.get("durationSeconds") is None:
        return None
    launched = run["launched_at"]
    ended = run["report_written_at"]
    before = ended - rep["durationSeconds"] - launched
    after = launched + run["wall_s"] - ended
    return {
        "pre_run_s": before,
        "report_startup_s": rep["startupSeconds"],
        "report_first_write_s": rep["firstByteSeconds"],
        "process_to_first_read_s": before + rep["startupSeconds"],
        "process_to_first_write_s": before + rep["firstByteSeconds"],
        "after_job_s": after,
        "wire_ratio": rep.get("compressionRatio"),
    }


def summarise(runs):
    """One case from its runs (same route, shape, tool)."""
    first = runs[0]
    case = {k: first.get(k) for k in ("route", "shape", "tool", "compression", "objects", "bytes")}
    case["runs"] = len(runs)
    failures = [r.get("check") for r in runs if r.get("check") != "ok"]
    case["status"] = "ok" if not failures else "FAIL"
    if failures:
        case["why"] = "; ".join(sorted(set(str(f) for f in failures)))
        return case
    gib = first["bytes"] / 2**30
    wall = median([r["wall_s"] for r in runs])
    cpu = median([r["user_s"] + r["sys_s"] for r in runs])
    case.update({
        "wall_s": wall,
        "in_job_s": median([(r.get("report") or {}).get("transferSeconds") for r in runs]),
        "mb_per_s": first["bytes"] / 1e6 / max(wall, 0.01),
        "mib_per_s": first["bytes"] / 2**20 / max(wall, 0.01),
        "objects_per_s": first["objects"] / max(wall, 0.01),
        "cpu_s": cpu,
        "user_s": median([r["user_s"] for r in runs]),
        "sys_s": median([r["sys_s"] for r in runs]),
        "cpu_s_per_gib": cpu / gib if gib > 0 else None,
        "peak_rss_mib": median([r["peak_rss_kib"] / 1024 for r in runs]),
        "server_cpu_s": median([r.get("server_cpu_s") for r in runs]),
    })
    splits = [s for s in (startup_split(r) for r in runs) if s]
    if splits:
        for key in splits[0]:
            case[key] = median([s[key] for s in splits])
    return case


def with_ratios(cases):
    rclone = {(c["route"], c["shape"]): c for c in cases if c["tool"] == "rclone" and c["status"] == "ok"}
    for c in cases:
        peer = rclone.get((c["route"], c["shape"]))
        if not c["tool"].startswith("skyplane") or c["status"] != "ok" or peer is None:
            continue
        c["speed_vs_rclone"] = peer["wall_s"] / max(c["wall_s"], 0.01)
        c["cpu_vs_rclone"] = c["cpu_s"] / max(peer["cpu_s"], 0.01)
        c["rss_vs_rclone"] = c["peak_rss_mib"] / max(peer["peak_rss_mib"], 0.01)
    return cases


def size(n):
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} B"


MAIN = [  # (header, key, format, right-aligned)
    ("route", "route", "", False),
    ("shape", "shape", "", False),
    ("tool", "tool", "", False),
    ("objects", "objects", "d", True),
    ("size", "bytes", "size", True),
    ("wall s", "wall_s", ".2f", True),
    ("in-job s", "in_job_s", ".2f", True),
    ("MB/s", "mb_per_s", ".1f", True),
    ("CPU-s", "cpu_s", ".2f", True),
    ("CPU-s/GiB", "cpu_s_per_gib", ".2f", True),
    ("peak RSS MiB", "peak_rss_mib", ".0f", True),
    ("speed vs rclone", "speed_vs_rclone", "x", True),
    ("CPU vs rclone", "cpu_vs_rclone", "x", True),
    ("RSS vs rclone", "rss_vs_rclone", "x", True),
    ("check", "status", "", False),
]
STARTUP = [
    ("route", "route", "", False),
    ("shape", "shape", "", False),
    ("tool", "tool", "", False),
    ("wall s", "wall_s", ".2f", True),
    ("pre-run s", "pre_run_s", ".2f", True),
    ("report startupSeconds", "report_startup_s", ".2f", True),
    ("report firstByteSeconds", "report_first_write_s", ".2f", True),
    ("process -> first read s (est.)", "process_to_first_read_s", ".2f", True),
    ("in-job s", "in_job_s", ".2f", True),
    ("after job s", "after_job_s", ".2f", True),
    ("wire ratio", "wire_ratio", ".2f", True),
]
DETAIL = [
    ("route", "route", "", False),
    ("shape", "shape", "", False),
    ("tool", "tool", "", False),
    ("user s", "user_s", ".2f", True),
    ("sys s", "sys_s", ".2f", True),
    ("objects/s", "objects_per_s", ".1f", True),
    ("servers CPU-s", "server_cpu_s", ".2f", True),
    ("runs", "runs", "d", True),
]


def cell(case, key, spec):
    value = case.get(key)
    if case.get("status") == "FAIL" and key not in ("route", "shape", "tool", "objects", "bytes", "status", "runs"):
        return "FAIL" if key == "wall_s" else "-"
    if value is None:
        return "-"
    if spec == "size":
        return size(value)
    if spec == "x":
        return f"{value:.2f}x"
    return format(value, spec)


def table(cases, columns, markdown):
    rows = [[cell(c, key, spec) for _, key, spec, _ in columns] for c in cases]
    heads = [h for h, _, _, _ in columns]
    if markdown:
        lines = ["| " + " | ".join(heads) + " |",
                 "|" + "|".join("---:" if right else "---" for _, _, _, right in columns) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
    def line(values):
        return "  ".join(v.rjust(w) if col[3] else v.ljust(w) for v, w, col in zip(values, widths, columns))
    return "\n".join([line(heads), line(["-" * w for w in widths])] + [line(r) for r in rows])


NOTES = """\
- wall s, CPU-s (user + sys) and peak RSS come from GNU time (`/usr/bin/time -f "%e %U %S %M"`) of
  the tool's own process (skyplane: the JVM with its embedded MiniCluster; rclone; cp). The store
  servers' CPU is not in CPU-s; the stores benchmark shows it apart ("servers CPU-s": user + sys of
  all the servers' processes over the run).
- MB/s = bytes / 10^6 / wall s. CPU-s/GiB = CPU-s / (bytes / 2^30).
- in-job s: skyplane's report, transferSeconds (first chunk read to the end of the job).
- speed vs rclone = rclone wall / skyplane wall (> 1: skyplane faster); CPU vs rclone = skyplane
  CPU-s / rclone CPU-s; RSS vs rclone = skyplane peak RSS / rclone peak RSS (< 1: skyplane uses less).
- check: every copy was read back by an independent client (sha256 of every object) and compared
  with the source's checksums before its figures count; FAIL rows have no figures.
- Start-up: the report has no time relative to process start. Its startupSeconds (to the first
  chunk read) and firstByteSeconds (to the first chunk written) count from the start of the job
  runner, after the JVM started and the source was listed, before the MiniCluster starts.
  "pre-run s" (process start to the runner's start) is derived: the report file's modification
  time minus durationSeconds minus the moment the script launched the process, so it and
  "process -> first read s (est.)" are over-estimated by the time it took to write the report;
  "after job s" is the rest of the wall time (MiniCluster shutdown, JVM exit)."""


def render(args):
    rows_file, machine_file, outdir = args
    with open(rows_file) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    with open(machine_file) as f:
        facts = json.load(f)
    groups = {}
    for run in runs:
        groups.setdefault((run["route"], run["shape"], run["tool"]), []).append(run)
    cases = with_ratios([summarise(g) for g in groups.values()])
    skyplane = [c for c in cases if c["tool"].startswith("skyplane") and c["status"] == "ok"
                and c.get("pre_run_s") is not None]
    facts_lines = [f"- {k}: {v}" for k, v in facts.items()]

    print()
    print("\n".join(line[2:] for line in facts_lines))
    print()
    print(table(cases, MAIN, markdown=False))
    if skyplane:
        print()
        print("skyplane start-up (seconds; see the notes in summary.md):")
        print(table(skyplane, STARTUP, markdown=False))
    detail = [col for col in DETAIL if col[1] in ("route", "shape", "tool")
              or any(c.get(col[1]) is not None for c in cases)]
    print()
    print(table(cases, detail, markdown=False))
    for c in cases:
        if c["status"] == "FAIL":
            print(f"FAIL {c['route']} {c['shape']} {c['tool']}: {c['why']}")

    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write(f"# {facts.get('benchmark', 'benchmark')} {facts.get('started_utc', '')}\n\n")
        f.write("\n".join(facts_lines) + "\n\n")
        f.write(table(cases, MAIN, markdown=True) + "\n\n")
        if skyplane:
            f.write("skyplane start-up:\n\n" + table(skyplane, STARTUP, markdown=True) + "\n\n")
        f.write(table(cases, detail, markdown=True) + "\n\n")
        for c in cases:
            if c["status"] == "FAIL":
                f.write(f"- FAIL {c['route']} {c['shape']} {c['tool']}: {c['why']}\n")
        f.write("\nNotes:\n\n" + NOTES + "\n")
    with open(os.path.join(outdir, "results.json"), "w") as f:
        rounded = [{k: round(v, 4) if isinstance(v, float) else v for k, v in c.items()} for c in cases]
        json.dump({"machine": facts, "rows": rounded, "runs": runs}, f, indent=2)
        f.write("\n")
    columns = ["route", "shape", "tool", "compression", "objects", "bytes", "status", "runs", "wall_s", "in_job_s",
               "mb_per_s", "mib_per_s", "objects_per_s", "cpu_s", "user_s", "sys_s", "cpu_s_per_gib",
               "peak_rss_mib", "speed_vs_rclone", "cpu_vs_rclone", "rss_vs_rclone", "server_cpu_s",
               "pre_run_s", "report_startup_s", "report_first_write_s", "process_to_first_read_s",
               "after_job_s", "wire_ratio"]
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for c in cases:
            writer.writerow(["" if c.get(k) is None else (round(c[k], 3) if isinstance(c[k], float) else c[k])
                             for k in columns])
    print(f"\nresults: {outdir}/summary.md, results.json, results.csv")


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("add", "machine", "render"):
        sys.exit(__doc__)
    {"add": add, "machine": machine, "render": render}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
