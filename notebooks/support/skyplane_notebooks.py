"""Shared plumbing of the notebooks: where things are, reading the project's files, asking the
planner (through its own code, never re-implemented here) and saving figures.

Everything the notebooks show comes from files the project writes (conf/planner/*.csv,
bench/results/*, `skyplane plan --json`) or from Skyplane's measured data next to the checkout
(../shared/reference/skyplane-data, optional).
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless; Jupyter still shows the figures through display()
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import Image, Markdown, display  # noqa: E402


def _find_root():
    """The checkout this file is in (notebooks/support/ -> the root), or $SKYPLANE_ROOT."""
    root = Path(os.environ.get("SKYPLANE_ROOT", Path(__file__).resolve().parents[2]))
    if not (root / "conf" / "planner" / "regions.csv").is_file():
        raise RuntimeError(f"{root} is not a skyplane-flink checkout (no conf/planner/regions.csv); set SKYPLANE_ROOT")
    return root


ROOT = _find_root()
CONF = ROOT / "conf" / "planner"
BENCH_RESULTS = Path(os.environ.get("SKYPLANE_BENCH_RESULTS", ROOT / "bench" / "results"))
REFERENCE = Path(os.environ.get("SKYPLANE_REFERENCE_DATA", ROOT.parent / "shared" / "reference" / "skyplane-data"))
OUT = Path(os.environ.get("SKYPLANE_NOTEBOOKS_OUT", ROOT / "target" / "notebooks"))
SUPPORT = Path(__file__).resolve().parent

CLOUD_COLOURS = {"aws": "#ff9900", "azure": "#0078d4", "gcp": "#34a853"}

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "axes.grid": False,
})


def message(text):
    """A message in the notebook (Markdown), e.g. why a cell has nothing to show."""
    display(Markdown(text))


class Figures:
    """Figures of one notebook, written as PNG under target/notebooks/NOTEBOOK/."""

    def __init__(self, notebook):
        self.dir = OUT / notebook
        self.dir.mkdir(parents=True, exist_ok=True)

    def save(self, fig, name):
        path = self.dir / f"{name}.png"
        fig.savefig(path, bbox_inches="tight")
        plt.close(fig)
        display(Image(filename=str(path)))
        return path


# ---------------------------------------------------------------------------------------------
# Reading the project's files


def read_csv(path):
    """One of our CSV files: header row, '#' comment lines."""
    return pd.read_csv(path, comment="#", skip_blank_lines=True)


def regions():
    """conf/planner/regions.csv with a 'cloud' column."""
    frame = read_csv(CONF / "regions.csv")
    frame["cloud"] = frame["region"].str.split(":").str[0]
    return frame.set_index("region")


def region_order(names):
    """Regions sorted by cloud, then continent, then name (how the heatmaps lay them out)."""
    table = regions()
    def key(name):
        if name in table.index:
            return (name.split(":")[0], table.loc[name, "continent"], name)
        return (name.split(":")[0], "~", name)
    return sorted(names, key=key)


def grid_matrix(frame, value="gbps"):
    """A src,dst,VALUE table as a square matrix (rows: source, columns: destination)."""
    names = region_order(set(frame["src"]) | set(frame["dst"]))
    return frame.pivot_table(index="src", columns="dst", values=value, aggfunc="first").reindex(index=names, columns=names)


def result_sets(prefix):
    """Directories bench/results/PREFIX-*, newest first (their names end in a UTC time stamp)."""
    if not BENCH_RESULTS.is_dir():
        return []
    return sorted((d for d in BENCH_RESULTS.iterdir() if d.is_dir() and d.name.startswith(prefix + "-")),
                  key=lambda d: d.name.split("-", 1)[1], reverse=True)


def reference(name):
    """A file of Skyplane's measured data next to the checkout, or None when it is not there."""
    path = REFERENCE / name
    return path if path.is_file() else None


# ---------------------------------------------------------------------------------------------
# Asking the planner: its own code in one JVM (notebooks/support/PlannerData.java)


def _java():
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise RuntimeError("java is not on the PATH (the planner runs on Java 17)")
    return java


def _classpath():
    jar = ROOT / "job" / "target" / "skyplane-job.jar"
    lib = ROOT / "job" / "target" / "lib"
    if not jar.is_file() or not lib.is_dir():
        # bin/skyplane builds the jar on first use, as for any user
        subprocess.run([str(ROOT / "bin" / "skyplane"), "plan", "--help"], check=True,
                       stdout=subprocess.DEVNULL)
    return f"{jar}{os.pathsep}{lib}{os.sep}*"


def _planner_data_class():
    """PlannerData.java compiled once into target/notebooks/planner-data/ (a JVM that compiles the
    source itself spends ~1.3 s of CPU on it at every start)."""
    source = SUPPORT / "PlannerData.java"
    target = OUT / "planner-data" / "PlannerData.class"
    classpath = _classpath()
    jar = ROOT / "job" / "target" / "skyplane-job.jar"
    if not target.is_file() or target.stat().st_mtime < max(source.stat().st_mtime, jar.stat().st_mtime):
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            javac = str(Path(_java()).with_name("javac"))
            done = subprocess.run([javac if Path(javac).is_file() else "javac", "-nowarn", "-d", tmp,
                                   "-cp", classpath, str(source)], capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"cannot compile {source} (exit {done.returncode}):\n{done.stderr}")
            os.replace(Path(tmp) / "PlannerData.class", target)
    return f"{target.parent}{os.pathsep}{classpath}"


def _planner_data(*args):
    OUT.mkdir(parents=True, exist_ok=True)
    command = [_java(), "-XX:TieredStopAtLevel=1",
               f"-Dlog4j2.configurationFile={ROOT / 'conf' / 'log4j2-cli.properties'}",
               f"-Dskyplane.log.file={OUT / 'planner.log'}",
               "-cp", _planner_data_class(), "PlannerData", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"PlannerData {' '.join(map(str, args))} failed (exit {done.returncode}):\n{done.stderr}")


def planner_grid(path):
    """A throughput grid as the planner reads it with --grid PATH (src,dst,gbps)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "grid.csv"
        _planner_data("grid", path, out)
        return pd.read_csv(out)


def egress_prices(tier="premium"):
    """USD per GB for every ordered pair of conf/planner/regions.csv, as the planner charges it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prices.csv"
        _planner_data("prices", tier, out)
        return pd.read_csv(out)


class PlanResult:
    """One `skyplane plan ... --json`: its arguments, exit code, the plan (a dict) or the error line."""

    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.err = args, rc, err.strip()
        self.plan = json.loads(out) if rc == 0 and "--json" in args else None

    @property
    def ok(self):
        return self.plan is not None

    def __repr__(self):
        return f"PlanResult({' '.join(self.args)}: exit {self.rc}{', ' + self.err if self.err else ''})"


def plan_many(requests):
    """Runs `skyplane plan ARGS --json` for each list of arguments, all in one JVM."""
    requests = [[str(a) for a in args] + ([] if "--json" in args else ["--json"]) for args in requests]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "requests").write_text("".join("\t".join(args) + "\n" for args in requests))
        _planner_data("plans", tmp / "requests", tmp / "out")
        return [PlanResult(args, int((tmp / "out" / f"{i}.rc").read_text()),
                           (tmp / "out" / f"{i}.out").read_text(), (tmp / "out" / f"{i}.err").read_text())
                for i, args in enumerate(requests)]


def plan(*args):
    """One `skyplane plan ARGS --json`."""
    return plan_many([list(args)])[0]


# ---------------------------------------------------------------------------------------------
# Drawing


def heatmap(ax, matrix, label, cmap="viridis", vmin=None, vmax=None, annotate=None):
    """A src x dst heatmap; missing cells are grey; tick labels coloured by cloud, clouds separated
    by lines and named above the columns; `annotate` (a format) writes each value in its cell."""
    data = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    cmap = plt.get_cmap(cmap).copy()
    cmap.set_bad("#dddddd")
    image = ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax, aspect="equal", interpolation="nearest")
    n = len(matrix.index)
    size = 9 if n <= 12 else 7
    ax.set_xticks(range(len(matrix.columns)))
    ax.set_xticklabels(matrix.columns, rotation=90, fontsize=size)
    ax.set_yticks(range(n))
    ax.set_yticklabels(matrix.index, fontsize=size)
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        tick.set_color(CLOUD_COLOURS.get(tick.get_text().split(":")[0], "black"))
    ax.set_xlabel("destination region")
    ax.set_ylabel("source region")
    if n > 12:
        clouds = [name.split(":")[0] for name in matrix.columns]
        starts = [i for i in range(len(clouds)) if i == 0 or clouds[i] != clouds[i - 1]]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(clouds)
            if start:
                ax.axhline(start - 0.5, color="white", linewidth=1.5)
                ax.axvline(start - 0.5, color="white", linewidth=1.5)
            ax.text((start + end - 1) / 2, -1.5, clouds[start].upper(), ha="center", va="bottom", fontsize=11,
                    fontweight="bold", color=CLOUD_COLOURS.get(clouds[start], "black"))
    if annotate:
        for i in range(n):
            for j in range(len(matrix.columns)):
                value = matrix.iat[i, j]
                if value == value:  # not NaN
                    red, green, blue, _ = cmap(image.norm(value))
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                    ax.text(j, i, annotate.format(value), ha="center", va="center", fontsize=10,
                            color="white" if dark else "black")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    bar.set_label(label)
    return image


def draw_plan(ax, plan, title=None):
    """A plan (`skyplane plan --json`) over the regions' positions (conf/planner/regions.csv):
    every known region as a faint dot, the plan's regions labelled with their role and VMs, each
    overlay edge an arrow whose width is its flow in Gbps. The map is centred on the longitude that
    keeps the plan's edges shortest (an edge across the Pacific is drawn across the Pacific)."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.ticker import FixedLocator, FuncFormatter
    table = regions()
    lon = lambda name: table.loc[name, "longitude"]
    lat = lambda name: table.loc[name, "latitude"]
    def shift(longitude, centre):
        return (longitude - centre + 180) % 360 - 180
    centre = min(range(-180, 180, 10), key=lambda c: sum(
        abs(shift(lon(e["src"]), c) - shift(lon(e["dst"]), c)) for e in plan["edges"]))
    for cloud, group in table.groupby("cloud"):
        ax.scatter(shift(group["longitude"], centre), group["latitude"], s=18, alpha=0.35,
                   color=CLOUD_COLOURS.get(cloud, "grey"), label=f"{cloud} regions", zorder=1)
    widest = max((edge["gbps"] for edge in plan["edges"]), default=1.0) or 1.0
    rad = 0.12
    for edge in plan["edges"]:
        x1, y1 = shift(lon(edge["src"]), centre), lat(edge["src"])
        x2, y2 = shift(lon(edge["dst"]), centre), lat(edge["dst"])
        width = 1 + 7 * edge["gbps"] / widest
        ax.add_patch(FancyArrowPatch((x1, y1), (x2, y2), arrowstyle="-|>", mutation_scale=10 + 2 * width,
                                     linewidth=width, color="#444444", alpha=0.75, shrinkA=6, shrinkB=6,
                                     connectionstyle=f"arc3,rad={rad}", zorder=2))
        # the middle of matplotlib's arc3 curve (equal aspect: data and display directions agree)
        mx, my = (x1 + x2) / 2 + rad / 2 * (y2 - y1), (y1 + y2) / 2 - rad / 2 * (x2 - x1)
        gbps = edge["gbps"]
        text = f"{gbps:.1f} Gbps" if gbps >= 1 else f"{gbps:.2f} Gbps" if gbps >= 0.01 else "<0.01 Gbps"
        ax.annotate(text, (mx, my), fontsize=9,
                    ha="center", va="center", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    for node in plan["regions"]:
        name = node["region"]
        x, y = shift(lon(name), centre), lat(name)
        ax.scatter([x], [y], s=120, color=CLOUD_COLOURS.get(name.split(":")[0], "grey"), edgecolor="black",
                   zorder=3)
        ax.annotate(f"{name}\n{node['role']}, {node['vms']} VM{'s' if node['vms'] != 1 else ''}", (x, y),
                    fontsize=9, xytext=(6, -16), textcoords="offset points", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
    xs = [shift(lon(node["region"]), centre) for node in plan["regions"]]
    ys = [lat(node["region"]) for node in plan["regions"]]
    ax.set_aspect("equal")
    ax.set_xlim(max(-180, min(xs) - 35), min(180, max(xs) + 45))
    ax.set_ylim(max(-60, min(ys) - 20), min(75, max(ys) + 20))
    ax.xaxis.set_major_locator(FixedLocator(range(-180, 181, 20)))
    def degrees(x, _):
        value = shift(x + centre, 0)
        return f"{abs(value):.0f}°{'E' if value > 0 else 'W' if value < 0 else ''}"
    ax.xaxis.set_major_formatter(FuncFormatter(degrees))
    ax.set_xlabel(f"longitude (degrees; map centred on {degrees(0, None)})")
    ax.set_ylabel("latitude (degrees north)")
    ax.grid(True, color="#eeeeee")
    ax.legend(loc="lower left", fontsize=8)
    figures = plan["figures"]
    ax.set_title(title or f"{plan['source']} -> {', '.join(plan['destinations'])}: "
                 f"{figures['throughputGbps']:.1f} Gbps, ${figures['totalUsd']:.2f} for {plan['volumeGb']:g} GB; "
                 "edge width = flow")


# ---------------------------------------------------------------------------------------------
# Benchmark result sets (bench/results/KIND-TIME/results.csv)

# Known columns of the local and store benchmarks' results.csv, first match wins:
# (axis label, candidate columns, factor to the unit of the label)
BENCH_METRICS = [
    ("wall time (s)", [("wall_s", 1), ("seconds", 1), ("wall_seconds", 1), ("time_s", 1)]),
    ("throughput (MiB/s)", [("mib_per_s", 1), ("mib_s", 1), ("mibs", 1), ("MiB/s", 1)]),
    ("CPU time (s, user + system)", [("cpu_s", 1), ("cpu_seconds", 1)]),
    ("peak memory (MiB, RSS)", [("peak_rss_mib", 1), ("rss_mib", 1), ("peak_rss_kib", 1 / 1024), ("peak_rss_kb", 1 / 1024)]),
]
BENCH_CASES = ["route", "shape", "dataset", "case"]


def read_results(directory):
    """A result set's rows: results.csv, else results.json as a list of records (or under 'rows')."""
    if (directory / "results.csv").is_file():
        return read_csv(directory / "results.csv")
    if (directory / "results.json").is_file():
        data = json.loads((directory / "results.json").read_text())
        return pd.DataFrame(data.get("rows", []) if isinstance(data, dict) else data)
    return pd.DataFrame()


def bench_metrics(frame):
    """[(label, Series)] for the known metric columns present in a result set."""
    found = []
    for label, candidates in BENCH_METRICS:
        for column, factor in candidates:
            if column in frame and pd.to_numeric(frame[column], errors="coerce").notna().any():
                found.append((label, pd.to_numeric(frame[column], errors="coerce") * factor))
                break
        else:
            if label.startswith("CPU") and {"user_s", "sys_s"} <= set(frame.columns):
                found.append((label, pd.to_numeric(frame["user_s"]) + pd.to_numeric(frame["sys_s"])))
    return found


def bench_figure(frame, title):
    """One panel per known metric: grouped bars, a group per case (route / shape), a bar per tool.
    Returns None when the set has no tool column or no known metric."""
    metrics = bench_metrics(frame)
    if "tool" not in frame or not metrics:
        return None
    case_columns = [c for c in BENCH_CASES if c in frame]
    cases = frame[case_columns].astype(str).agg(" / ".join, axis=1) if case_columns else pd.Series("all", index=frame.index)
    tools = list(dict.fromkeys(frame["tool"].astype(str)))
    case_names = list(dict.fromkeys(cases))
    panel = max(4.5, 0.3 * len(case_names) * len(tools) + 1.5)
    fig, axes = plt.subplots(1, len(metrics), figsize=(min(20, panel * len(metrics)), 4.8), squeeze=False)
    width = 0.8 / len(tools)
    for ax, (label, values) in zip(axes[0], metrics):
        for k, tool in enumerate(tools):
            heights = [values[(cases == case) & (frame["tool"].astype(str) == tool)].mean() for case in case_names]
            ax.bar(np.arange(len(case_names)) + (k - (len(tools) - 1) / 2) * width, heights, width, label=tool)
        ax.set_xticks(range(len(case_names)))
        ax.set_xticklabels(case_names, rotation=30, ha="right", fontsize=9)
        ax.set_ylabel(label)
        ax.set_xlabel(" / ".join(case_columns) or "case")
        ax.set_title(label.split(" (")[0])
        ax.grid(True, axis="y", color="#eeeeee")
        ax.set_axisbelow(True)
    axes[0][0].legend(fontsize=9)
    fig.suptitle(title, fontsize=13)
    fig.tight_layout()
    return fig
