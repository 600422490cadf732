#!/usr/bin/env python3
"""Overlay benchmark on sky-in-a-box: rclone over the direct path vs skyplane (direct plan, planned
overlay), on random and on compressible (about 3:1) data, in one run on one emulated WAN.

    bench/overlay.py [--topology FILE] [--source REGION] [--destination REGION]
                     [--mib 256] [--files 8] [--chunk-size 8MiB] [--profile-seconds 4]
                     [--results DIR] [--keep]

Needs root (network namespaces), Java 17, Maven, rclone, python3; deploy/local/bin/testbed installs
the rest. Steps, all in one run on the same testbed:
  1. testbed up (a region per network namespace, shaped and delayed links, a store server and one
     TaskManager per region, the JobManager in the router namespace);
  2. skyplane profile: every pair's throughput and RTT measured by our own Flink job -> grid.csv,
     compared with the configured rates;
  3. plans from the profiled grid, one VM per region: the direct plan and the fastest (max-throughput);
  4. per dataset (random bytes; compressible, ~3:1 under zstd): rclone copy run in the source region
     (the direct path, rclone's defaults), skyplane with the direct plan, skyplane with the planned
     overlay. Every copy is verified (rclone hashsum sha256 --download of the destination against the
     source files) before its figures count; the destination prefix is purged between runs.
For each run: wall time, throughput, the plan's predicted throughput, achieved/predicted (skyplane:
its report's moving time, first chunk read to last object committed; wall time is shown next to it), bytes on every link read from the testbed's htb class counters
(not from our own metrics), their egress cost under the planner's price book, and time ratios against
rclone. Results: RESULTS/results.csv, RESULTS/results.json, RESULTS/summary.md (default
bench/results/overlay-<UTC time>/).
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTBED = ROOT / "deploy/local/bin/testbed"
FLINK = ROOT / "deploy/local/bin/flink"
SKYPLANE = ROOT / "bin/skyplane"
JOB_JAR = ROOT / "job/target/skyplane-job.jar"


def log(message):
    print(f"[overlay {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def run(command, env=None, capture=True, check=True, timeout=3600):
    started = time.monotonic()
    result = subprocess.run([str(c) for c in command], env=env, text=True, timeout=timeout,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    elapsed = time.monotonic() - started
    if check and result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, command[:6]))} ... failed with exit {result.returncode}:\n"
                         f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}")
    return result, elapsed


class Testbed:
    def __init__(self, name, state):
        self.name, self.state = name, state
        self.env = {}
        self.regions = []  # dicts: region, ns, ip, store, endpoint, index

    def cmd(self, *args):
        return [TESTBED, *args, "--name", self.name, "--state", self.state]

    def up(self, topology):
        run(self.cmd("down"), check=False)
        _, elapsed = run(self.cmd("up", "--topology", topology), timeout=900)
        self.parse(Path(self.state, "env").read_text())
        log(f"testbed up in {elapsed:.0f} s: {len(self.regions)} regions")

    def parse(self, text):
        for line in text.splitlines():
            if not line.startswith("TESTBED_") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            self.env[key] = value
            if key.startswith("TESTBED_REGION_") and key[len("TESTBED_REGION_"):].isdigit():
                fields = value.split()
                region = {"region": fields[0], "index": int(key[len("TESTBED_REGION_"):])}
                for field in fields[1:]:
                    k, _, v = field.partition("=")
                    region[k] = v
                self.regions.append(region)

    def region(self, name):
        for r in self.regions:
            if r["region"] == name:
                return r
        raise SystemExit(f"bench: region {name} is not in the topology")

    def show(self):
        return {"regions": self.regions}

    def exec(self, where, command, **kwargs):
        return run([TESTBED, "exec", where, "--state", self.state, "--", *command], **kwargs)

    def counters(self):
        result, _ = run(self.cmd("counters", "--json"))
        return json.loads(result.stdout)

    def down(self):
        run(self.cmd("down"), check=False)


def pair_bytes(counters):
    """{'src->dst': bytes} from testbed counters --json (a list or a dict of pairs)."""
    pairs = counters.get("pairs", counters) if isinstance(counters, dict) else counters
    out = {}
    if isinstance(pairs, dict):
        for key, value in pairs.items():
            out[key] = int(value["bytes"] if isinstance(value, dict) else value)
    else:
        for item in pairs:
            out[f"{item['src']}->{item['dst']}"] = int(item["bytes"])
    return out


def diff(after, before):
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0) > 0}


def make_dataset(directory, kind, files, mib):
    """random: os.urandom; compressible: per 64 KiB block one third random bytes, the rest a
    repeated phrase (zstd -1 gets about 3:1)."""
    directory.mkdir(parents=True, exist_ok=True)
    size = mib * (1 << 20) // files
    rng = random.Random(7)
    phrase = b"skyplane sky-in-a-box compressible payload "
    for i in range(files):
        with open(directory / f"part-{i:03d}.bin", "wb") as out:
            left = size
            while left > 0:
                n = min(left, 1 << 16)
                if kind == "random":
                    block = os.urandom(n)
                else:
                    noise = rng.randbytes(n // 3)
                    block = (noise + phrase * (n // len(phrase) + 1))[:n]
                out.write(block)
                left -= n


def sha256_tree(directory):
    digests = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            digests[str(path.relative_to(directory))] = h.hexdigest()
    return digests


def store_env(region):
    """The local store's KEY=VALUE file the testbed wrote (its endpoint and test identity)."""
    values = {}
    for line in Path(region["env_file"]).read_text().splitlines():
        key, _, value = line.partition("=")
        if key and not key.startswith("#"):
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def rclone_remote(region):
    """rclone.conf section for a region's store (the testbed's endpoint, its local test identity)."""
    name = f"r{region['index']}"
    env = store_env(region)
    if region["store"] == "s3":
        return name, (f"[{name}]\ntype = s3\nprovider = Other\nendpoint = {region['endpoint']}\n"
                      f"access_key_id = {env['S3_ACCESS_KEY']}\nsecret_access_key = {env['S3_SECRET_KEY']}\n"
                      f"region = us-east-1\nforce_path_style = true\n")
    if region["store"] == "gcs":
        return name, (f"[{name}]\ntype = google cloud storage\nanonymous = true\nproject_number = local-project\n"
                      f"endpoint = {region['endpoint']}/storage/v1/\n")
    raise SystemExit(f"bench: region {region['region']} has store {region['store']}; the overlay bench "
                     f"supports s3 and gcs at the source and the destination")


def skyplane_uri(region, bucket, prefix):
    scheme = {"s3": "s3", "gcs": "gs"}[region["store"]]
    return f"{scheme}://{bucket}/{prefix}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topology", default=str(ROOT / "bench/overlay.topology"))
    parser.add_argument("--source")
    parser.add_argument("--destination")
    parser.add_argument("--mib", type=int, default=256, help="MiB per dataset (default 256)")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--chunk-size", default="8MiB")
    parser.add_argument("--profile-seconds", type=int, default=4)
    parser.add_argument("--results")
    parser.add_argument("--name", default="skybench")
    parser.add_argument("--keep", action="store_true", help="leave the testbed up")
    parser.add_argument("--grid", help="use this profiled grid instead of running skyplane profile (experiments)")
    parser.add_argument("--datasets", default="random,compressible")
    parser.add_argument("--tools", default="rclone,skyplane-direct,skyplane-planned")
    parser.add_argument("--skyplane-arg", action="append", default=[],
                        help="extra argument for skyplane cp (repeat), e.g. --skyplane-arg=--tm-parallelism=4")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench: needs root (network namespaces)")
    for tool in ("rclone", "java", "mvn"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: needs {tool}")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results = Path(args.results or ROOT / f"bench/results/overlay-{stamp}")
    results.mkdir(parents=True, exist_ok=True)
    if not JOB_JAR.exists() or not (ROOT / "deploy/local/target/flink/lib").is_dir():
        log("building (mvn install -DskipTests)")
        run(["mvn", "-q", "-B", "-f", ROOT / "pom.xml", "install", "-DskipTests",
             "-pl", "planner,job,deploy/local,tests/servers,tests/gcs-server", "-am"], capture=False)

    work = Path(tempfile.mkdtemp(prefix="skyplane-overlay-"))
    bed = Testbed(args.name, str(work / "testbed"))
    try:
        bed.up(args.topology)
        stores = [r for r in bed.regions if r.get("store", "none") != "none"]
        source = bed.region(args.source) if args.source else stores[0]
        destination = bed.region(args.destination) if args.destination else stores[-1]
        for region in (source, destination):
            region["env_file"] = bed.env[f"TESTBED_REGION_{region['index']}_ENV"]
            region["bucket"] = f"bench-r{region['index']}"
        src_remote, src_conf = rclone_remote(source)
        dst_remote, dst_conf = rclone_remote(destination)
        rclone_conf = work / "rclone.conf"
        rclone_conf.write_text(src_conf + "\n" + dst_conf)
        src_bucket, dst_bucket = source["bucket"], destination["bucket"]
        for remote, bucket in ((src_remote, src_bucket), (dst_remote, dst_bucket)):
            bed.exec("router", ["env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rclone_conf, "mkdir", f"{remote}:{bucket}"])
        store_config = work / "stores.properties"
        lines = ["s3.path-style=true", "s3.region=us-east-1", "gs.anonymous=true", "gs.project=local-project"]
        for region in (source, destination):
            scheme = {"s3": "s3", "gcs": "gs"}[region["store"]]
            lines.append(f"{scheme}@{region['bucket']}.endpoint={region['endpoint']}")
        store_config.write_text("\n".join(lines) + "\n")
        client_env = {**os.environ, "SKYPLANE_STORE_CONFIG": str(store_config)}

        def flink_run(*job_args, check=True):
            return bed.exec("router", ["env", f"SKYPLANE_STORE_CONFIG={store_config}", FLINK, "run", JOB_JAR,
                                       *job_args], check=check, timeout=3600)

        # profile
        grid = results / "grid.csv"
        if args.grid:
            shutil.copy(args.grid, grid)
            profile_seconds = 0
        else:
            log("skyplane profile")
            _, profile_seconds = flink_run("profile", "--duration", f"{args.profile_seconds}s", "--output", grid)
        configured = {f"{p['src']}->{p['dst']}": p for p in bed.counters()["pairs"]}
        profiled = list(csv.DictReader(line for line in open(grid) if not line.startswith("#")))
        for p in profiled:
            c = configured[f"{p['src']}->{p['dst']}"]
            p["configured_mbps"] = c["rate_kbit"] / 1000
            p["configured_rtt_ms"] = c["rtt_us"] / 1000
            p["measured_over_configured"] = round(float(p["gbps"]) * 1000 / p["configured_mbps"], 3)
        worst = min(profiled, key=lambda p: p["measured_over_configured"])
        log(f"profiled {len(profiled)} pairs in {profile_seconds:.0f} s; lowest measured/configured "
            f"{worst['measured_over_configured']} ({worst['src']}->{worst['dst']})")
        for p in profiled:
            log(f"  {p['src']:>18s} -> {p['dst']:18s} configured {p['configured_mbps']:6.0f} Mbit/s "
                f"{p['configured_rtt_ms']:4.0f} ms, measured {float(p['gbps']) * 1000:6.1f} Mbit/s "
                f"{float(p['rtt_ms']):5.1f} ms ({p['measured_over_configured']})")

        # plans from the profiled grid, one VM per region
        volume_gb = args.mib * (1 << 20) / 1e9
        plans = {}
        for label, extra in (("direct", ["--direct"]), ("planned", [])):
            out, _ = run([SKYPLANE, "plan", source["region"], destination["region"], "--volume", f"{volume_gb:.6f}GB",
                          "--grid", grid, "--max-vms-per-region", "1", "--json", *extra], env=client_env)
            path = results / f"plan-{label}.json"
            path.write_text(out.stdout)
            plans[label] = json.loads(out.stdout)
            log(f"plan {label}: predicted {plans[label]['figures']['throughputGbps'] * 1000:.1f} Mbit/s via "
                + ", ".join("->".join(p["hops"]) + f" ({p['weight']:.2f})" for p in plans[label]["paths"]))

        prices = {}

        def usd_per_gb(pair):
            if pair not in prices:
                src, dst = pair.split("->")
                out, _ = run([SKYPLANE, "plan", src, dst, "--volume", "1GB", "--direct", "--json",
                              "--grid", grid, "--max-vms-per-region", "1"], env=client_env, check=False)
                try:
                    prices[pair] = json.loads(out.stdout)["edges"][0]["usdPerGb"]
                except (ValueError, KeyError, IndexError):
                    prices[pair] = float("nan")
            return prices[pair]

        rows = []
        for kind in args.datasets.split(","):
            data = work / "data" / kind
            make_dataset(data, kind, args.files, args.mib)
            expected = sha256_tree(data)
            size = sum((data / k).stat().st_size for k in expected)
            prefix = f"bench-{kind}"
            bed.exec(source["region"], ["env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rclone_conf, "copy", data,
                                        f"{src_remote}:{src_bucket}/{prefix}"], timeout=1800)
            log(f"{kind}: {size / 2**20:.0f} MiB in the source store")
            for tool in args.tools.split(","):
                target = f"{prefix}-{tool}"
                before = pair_bytes(bed.counters())
                report = results / f"report-{kind}-{tool}.json"
                if tool == "rclone":
                    _, wall = bed.exec(source["region"], ["env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rclone_conf, "copy",
                                                          f"{src_remote}:{src_bucket}/{prefix}",
                                                          f"{dst_remote}:{dst_bucket}/{target}"], timeout=3600)
                else:
                    plan = results / f"plan-{tool.split('-')[1]}.json"
                    _, wall = flink_run("cp", "-r", skyplane_uri(source, src_bucket, prefix),
                                        skyplane_uri(destination, dst_bucket, target), "--plan", plan,
                                        "--chunk-size", args.chunk_size, "--json", report, *args.skyplane_arg)
                links = diff(pair_bytes(bed.counters()), before)
                # verify with a peer tool before the figures count
                check, _ = bed.exec("router", ["env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rclone_conf, "hashsum", "sha256", "--download",
                                               f"{dst_remote}:{dst_bucket}/{target}"])
                got = {line.split()[1]: line.split()[0] for line in check.stdout.splitlines() if line.strip()}
                if got != expected:
                    raise SystemExit(f"bench: {tool} on {kind}: the destination differs from the source "
                                     f"({len(got)} objects, {len(expected)} expected)")
                row = {"dataset": kind, "tool": tool, "bytes": size, "wall_s": round(wall, 2)}
                if tool == "rclone":
                    row.update(transfer_s=round(wall, 2), predicted_mbps=None, plan="direct path, rclone defaults")
                else:
                    rep = json.loads(report.read_text())
                    plan = plans[tool.split("-")[1]]
                    row.update(transfer_s=round(rep["transferSeconds"], 2),
                               # first chunk read to last object committed (the job's own clocks)
                               moving_s=round(rep.get("movingSeconds") or rep["transferSeconds"], 2),
                               predicted_mbps=round(plan["figures"]["throughputGbps"] * 1000, 1),
                               compression_ratio=round(rep.get("compressionRatio", 1.0), 2),
                               # each overlay edge while it carried data (first to last frame), against its plan
                               edge_over_planned=round(min(e["gbps"] / e["plannedGbps"] for e in rep["plan"]["edges"]
                                                           if e["plannedGbps"] > 0), 3),
                               plan=" + ".join("->".join(p["hops"]) + f" ({p['weight']:.2f})" for p in plan["paths"]))
                row["mbps_wall"] = round(size * 8 / row["wall_s"] / 1e6, 1)
                row["mbps_transfer"] = round(size * 8 / row["transfer_s"] / 1e6, 1)
                # achieved against predicted on the wire: compressed bytes leave the source
                if row["predicted_mbps"]:
                    wire = sum(v for k, v in links.items() if k.startswith(source["region"] + "->"))
                    row["mbps_moving"] = round(size * 8 / row["moving_s"] / 1e6, 1)
                    row["achieved_over_predicted"] = round(size * 8 / row["moving_s"] / 1e6 / row["predicted_mbps"], 3)
                    row["wire_mbps_over_predicted"] = round(wire * 8 / row["moving_s"] / 1e6 / row["predicted_mbps"], 3)
                row["links"] = links
                row["link_bytes"] = sum(links.values())
                row["egress_usd"] = round(sum(b / 1e9 * usd_per_gb(pair) for pair, b in links.items()), 6)
                rows.append(row)
                log(f"{kind:12s} {tool:17s} wall {row['wall_s']:7.1f} s  {row['mbps_wall']:7.1f} Mbit/s  "
                    f"link bytes {row['link_bytes'] / 2**20:8.1f} MiB")
                bed.exec("router", ["env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rclone_conf, "purge", f"{dst_remote}:{dst_bucket}/{target}"],
                         check=False)
        for row in rows:
            peer = next((r for r in rows if r["dataset"] == row["dataset"] and r["tool"] == "rclone"), row)
            row["speedup_vs_rclone"] = round(peer["wall_s"] / row["wall_s"], 2)
            row["link_bytes_vs_rclone"] = round(row["link_bytes"] / peer["link_bytes"], 3) if peer["link_bytes"] else None
        write_results(results, rows, profiled, configured, plans, args)
        log(f"results in {results}")
    finally:
        if args.keep:
            log(f"testbed left up: {TESTBED} down --name {args.name} --state {bed.state}")
        else:
            bed.down()
            shutil.rmtree(work, ignore_errors=True)


def write_results(results, rows, profiled, configured, plans, args):
    columns = ["dataset", "tool", "bytes", "wall_s", "transfer_s", "moving_s", "mbps_wall", "mbps_transfer", "mbps_moving",
               "predicted_mbps",
               "achieved_over_predicted", "wire_mbps_over_predicted", "edge_over_planned", "compression_ratio", "link_bytes",
               "link_bytes_vs_rclone", "egress_usd", "speedup_vs_rclone", "plan"]
    with open(results / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns + ["links"], extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "links": ";".join(f"{k}={v}" for k, v in sorted(row["links"].items()))})
    (results / "results.json").write_text(json.dumps(
        {"topology": args.topology, "mib": args.mib, "files": args.files, "chunkSize": args.chunk_size,
         "skyplaneArgs": args.skyplane_arg, "profiled": profiled, "configured": configured, "runs": rows}, indent=2))
    lines = ["| dataset | tool | wall s | moving s | Mbit/s (wall) | predicted | achieved/pred. | link MiB | vs rclone bytes | egress $ | speed-up vs rclone |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['dataset']} | {r['tool']} | {r['wall_s']:.1f} | {r.get('moving_s', '-')} | {r['mbps_wall']:.1f} | "
                     f"{r['predicted_mbps'] or '-'} | {r.get('achieved_over_predicted', '-')} | "
                     f"{r['link_bytes'] / 2**20:.1f} | {r['link_bytes_vs_rclone']} | {r['egress_usd']:.5f} | "
                     f"{r['speedup_vs_rclone']:.2f}x |")
    lines += ["", "| pair | configured Mbit/s | measured Mbit/s | measured/configured | configured RTT ms | measured RTT ms |",
              "|---|---:|---:|---:|---:|---:|"]
    for p in profiled:
        lines.append(f"| {p['src']} -> {p['dst']} | {p['configured_mbps']:.0f} | {float(p['gbps']) * 1000:.1f} | "
                     f"{p['measured_over_configured']} | {p['configured_rtt_ms']:.0f} | {float(p['rtt_ms']):.1f} |")
    table = "\n".join(lines)
    (results / "summary.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
