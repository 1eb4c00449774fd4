"""Benchmark of the matching engine (issue 4, item 7). Prints everything in one run.

    python bench/matching.py            # full run: 10k, 100k, 1M students (several minutes)
    python bench/matching.py --quick    # 10k and 100k, library comparison at 2k

For every size x popularity (uniform, skewed) x model (placements, supervisors), a fresh child
process reads the instance JSON, validates it, solves, verifies and writes the result JSON;
we report each step, the end-to-end time (read to write, inside the process), the child's wall
time including interpreter start-up, and its peak memory (the child's own VmHWM, so cases do not
pollute each other). Each child first solves a tiny instance so that loading
the compiled kernels from Numba's on-disk cache is not counted as solving; the cold compile time
(empty cache) is measured once, separately. Then welfare mode at 100k, and a 20k instance solved
by the PyPI ``matching`` library (construction plus solve) against ours, with the ratio and an
identical-assignment check.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# This file is called matching.py; keep its folder off the path so that ``import matching``
# finds the PyPI library, not this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARMUP = {
    "students": [{"id": "a", "preferences": ["p", "q"]}, {"id": "b", "preferences": ["p"]}],
    "placements": [
        {"id": "p", "capacity": 1, "supervisor": "v"},
        {"id": "q", "capacity": 1, "supervisor": "v"},
        {"id": "r", "capacity": 1},
    ],
    "supervisors": [{"id": "v", "capacity": 1, "preferences": ["b", "a"]}],
}


# ----------------------------------------------------------------------------- child processes


def _warm_up() -> float:
    """Touch every compiled function once (loads them from the cache, or compiles them)."""
    from stagebrug.matching.engine import load_instance, solve, verify
    from stagebrug.matching.engine._fastjson import fast_parse_instance
    from stagebrug.matching.engine.generate import dump_instance, generate_instance

    started = time.perf_counter()
    for data in (WARMUP, {k: v for k, v in WARMUP.items() if k != "supervisors"}):
        if "supervisors" not in data:
            data = {
                **data,
                "placements": [{"id": p["id"], "capacity": 1} for p in WARMUP["placements"]],
            }
        instance = load_instance(data)
        result = solve(instance)
        verify(instance, result)
        result.to_json_bytes()
    small = generate_instance(50, supervisors=True, placement_rankings=False, seed=1)
    fast_parse_instance(dump_instance(small), force=True)
    ranked = generate_instance(50, placement_rankings=True, seed=1)
    verify(ranked, solve(ranked))
    return time.perf_counter() - started


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; reset at exec, unlike wait4's maxrss,
    which on Linux inherits the forking parent's high-water mark)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_e2e(instance_path: str, result_path: str, mode: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    from stagebrug.matching.engine import read_instance, solve
    from stagebrug.matching.engine.verify import verify_assignment

    imported = time.perf_counter() - t0
    warm = _warm_up()
    t = time.perf_counter()
    instance = read_instance(instance_path)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    result = solve(instance, mode=mode)
    t_call = time.perf_counter() - t
    t = time.perf_counter()
    report = result.verification or verify_assignment(
        instance, result.placement_of, seed=result.seed
    )
    # Welfare mode verifies inside solve() to count its blocking pairs; book that as verify.
    t_solve = result.seconds
    t_verify = time.perf_counter() - t + (t_call - t_solve)
    result.blocking_pairs = report.blocking_pairs
    t = time.perf_counter()
    Path(result_path).write_bytes(result.to_json_bytes())
    t_write = time.perf_counter() - t
    return {
        "import": imported,
        "warmup": warm,
        "read": t_read,
        "solve": t_solve,
        "peak_mb": _peak_mb(),
        "verify": t_verify,
        "write": t_write,
        "e2e": t_read + t_solve + t_verify + t_write,
        "assigned": result.assigned,
        "students": instance.n_students,
        "blocking": len(report.blocking_pairs),
        "valid": report.valid,
        "proposals": result.proposals,
        "by_choice_1": result.by_choice.get(1, 0),
    }


def child_dicts(instance_path: str) -> dict[str, Any]:
    """Ours from the same Python dicts the library gets: validate + solve."""
    from stagebrug.matching.engine import load_instance, solve

    _warm_up()
    data = json.loads(Path(instance_path).read_bytes())
    t = time.perf_counter()
    result = solve(load_instance(data))
    return {
        "dicts_to_result": time.perf_counter() - t,
        "assigned": result.assigned,
        "peak_mb": _peak_mb(),
    }


def child_compile() -> dict[str, Any]:
    """Run with an empty NUMBA_CACHE_DIR: the warm-up then includes every compilation."""
    t0 = time.perf_counter()
    import stagebrug.matching.engine  # noqa: F401

    imported = time.perf_counter() - t0
    return {"import": imported, "cold_compile": _warm_up()}


def child_library(instance_path: str, out_path: str) -> dict[str, Any]:
    import threading
    import warnings

    from matching.games import HospitalResident

    from stagebrug.matching.engine import read_instance
    from stagebrug.matching.engine.instance import lottery_ranks

    instance = read_instance(instance_path)
    assert not instance.has_supervisors and not instance.placement_ranked.any()
    lottery = lottery_ranks(instance.effective_seed(), instance.n_students).tolist()
    sids, pids = instance.student_ids, instance.placement_ids
    resident_prefs: dict[str, list[str]] = {}
    applicants: dict[str, list[int]] = {p: [] for p in pids}
    choices = instance.choices.tolist()
    ptr = instance.choice_ptr.tolist()
    for s in range(instance.n_students):
        row = [j for j in choices[ptr[s] : ptr[s + 1]] if instance.capacity[j] > 0]
        if row:
            resident_prefs[sids[s]] = [pids[j] for j in row]
            for j in row:
                applicants[pids[j]].append(s)
    # "Accepts everyone who chose it, in lottery order" = the lottery-ordered applicant list.
    hospital_prefs = {
        p: [sids[s] for s in sorted(a, key=lottery.__getitem__)] for p, a in applicants.items()
    }
    capacities = {p: int(c) for p, c in zip(pids, instance.capacity.tolist(), strict=True)}
    out: dict[str, Any] = {}

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities
            )
            out["construct"] = time.perf_counter() - t
            t = time.perf_counter()
            matching = game.solve(optimal="resident")
            out["solve"] = time.perf_counter() - t
        out["assignment"] = {r.name: h.name for h, rs in matching.items() for r in rs}

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    Path(out_path).write_text(json.dumps(out.pop("assignment")))
    out["peak_mb"] = _peak_mb()
    return out


# ----------------------------------------------------------------------------- parent


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one case in a fresh process; returns its JSON report plus wall time and peak RSS."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", *args], stdout=out, env=env, cwd=ROOT
        )
        proc.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed with status {proc.returncode}:\n{text}")
    report = json.loads(text.strip().splitlines()[-1])
    report["wall"] = wall
    return report


def make_instance(workdir: Path, n: int, popularity: str, supervisors: bool) -> Path:
    from stagebrug.matching.engine.generate import dump_instance, generate_instance

    model = "supervisors" if supervisors else "placements"
    path = workdir / f"instance-{n}-{popularity}-{model}.json"
    if not path.exists():
        instance = generate_instance(n, popularity=popularity, supervisors=supervisors, seed=n)
        path.write_bytes(dump_instance(instance))
    return path


def fmt(seconds: float) -> str:
    return f"{seconds:8.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k only; library at 2k")
    parser.add_argument("--sizes", help="comma-separated student counts (overrides defaults)")
    parser.add_argument("--library-students", type=int, help="size of the library comparison")
    parser.add_argument("--welfare-students", type=int, help="size of the welfare runs")
    parser.add_argument("--no-welfare", action="store_true", help="skip the welfare runs")
    parser.add_argument("--no-library", action="store_true", help="skip the library comparison")
    parser.add_argument("--workdir", help="where instances are kept (default: a temp dir)")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        report = {
            "e2e": lambda: child_e2e(*rest),
            "dicts": lambda: child_dicts(*rest),
            "compile": child_compile,
            "library": lambda: child_library(*rest),
        }[kind]()
        print(json.dumps(report))
        return

    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
    lib_n = args.library_students or (2_000 if args.quick else 20_000)
    welfare_n = args.welfare_students or (10_000 if args.quick else 100_000)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="stagebrug-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    def load() -> str:
        one, five, _ = os.getloadavg()
        return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"

    print(
        f"# stagebrug matching engine benchmark; python {sys.version.split()[0]}; {load()};"
        f" {os.cpu_count()} cores; instances in {workdir}"
    )
    with tempfile.TemporaryDirectory() as cache:
        cold = run_child(["compile"], env={**os.environ, "NUMBA_CACHE_DIR": cache})
    warm = run_child(["compile"])
    print(
        f"import engine: {cold['import']:.3f} s; first-call compile with an empty Numba cache:"
        f" {cold['cold_compile']:.2f} s; the same calls loading the on-disk cache:"
        f" {warm['cold_compile']:.2f} s"
    )
    print()
    print(
        "stable mode, 10 choices over N/2 placements (capacity 1-3); times in seconds;"
        " e2e = read+validate, solve, verify, write; wall = whole child process"
    )
    header = (
        f"{'students':>9} {'popularity':>10} {'model':>11} {'MB json':>8} {'read':>8}"
        f" {'solve':>8} {'verify':>8} {'write':>8} {'e2e':>8} {'wall':>8} {'peak MB':>8}"
        f" {'placed':>8} {'1st':>6} {'blocking':>8}"
    )
    print(header)
    for n in sizes:
        for popularity in ("uniform", "skewed"):
            for supervisors in (False, True):
                path = make_instance(workdir, n, popularity, supervisors)
                out = workdir / "result.json"
                r = run_child(["e2e", str(path), str(out), "stable"])
                model = "supervisors" if supervisors else "placements"
                print(
                    f"{n:>9} {popularity:>10} {model:>11} {path.stat().st_size / 1e6:8.1f}"
                    f" {fmt(r['read'])} {fmt(r['solve'])} {fmt(r['verify'])} {fmt(r['write'])}"
                    f" {fmt(r['e2e'])} {fmt(r['wall'])} {r['peak_mb']:8.0f}"
                    f" {r['assigned'] / r['students']:8.1%}"
                    f" {r['by_choice_1'] / r['students']:6.1%} {r['blocking']:>8}"
                    + ("" if r["valid"] else "  INVALID"),
                    flush=True,
                )
    print(f"# {load()}")
    if not args.no_welfare:
        print()
        print(
            f"welfare mode (max placed, then min sum of ranks; SciPy LAPJVsp) at {welfare_n}"
            " students, against stable mode on the same instance"
        )
        print(
            f"{'popularity':>10} {'model':>11} {'solve':>8} {'verify':>8} {'e2e':>8} {'peak MB':>8}"
            f" {'placed':>8} {'stable placed':>13} {'blocking':>8}"
        )
        for popularity in ("uniform", "skewed"):
            for supervisors in (False, True):
                path = make_instance(workdir, welfare_n, popularity, supervisors)
                w = run_child(["e2e", str(path), str(workdir / "welfare.json"), "welfare"])
                s = run_child(["e2e", str(path), str(workdir / "stable.json"), "stable"])
                model = "supervisors" if supervisors else "placements"
                print(
                    f"{popularity:>10} {model:>11} {fmt(w['solve'])} {fmt(w['verify'])}"
                    f" {fmt(w['e2e'])} {w['peak_mb']:8.0f} {w['assigned']:>8}"
                    f" {s['assigned']:>13} {w['blocking']:>8}",
                    flush=True,
                )
    if not args.no_library:
        print(f"# {load()}")
        print()
        path = make_instance(workdir, lib_n, "uniform", False)
        print(f"{lib_n} students, placements model (lottery): PyPI matching 1.4 vs ours")
        lib = run_child(["library", str(path), str(workdir / "library.json")])
        ours = run_child(["e2e", str(path), str(workdir / "ours.json"), "stable"])
        dicts = run_child(["dicts", str(path)])
        theirs = json.loads((workdir / "library.json").read_text())
        mine = json.loads((workdir / "ours.json").read_text())["assignment"]
        lib_total = lib["construct"] + lib["solve"]
        print(
            f"  matching library: construct {lib['construct']:.3f} s + solve {lib['solve']:.3f} s"
            f" = {lib_total:.3f} s (peak {lib['peak_mb']:.0f} MB)"
        )
        print(
            f"  ours end to end (read+validate, solve, verify, write): {ours['e2e']:.4f} s"
            f" (solve {ours['solve']:.4f} s, peak {ours['peak_mb']:.0f} MB)"
        )
        print(f"  ours from the same dicts (validate + solve): {dicts['dicts_to_result']:.4f} s")
        print(
            f"  ratio library / ours end to end: {lib_total / ours['e2e']:,.0f}x;"
            f" library / ours from dicts: {lib_total / dicts['dicts_to_result']:,.0f}x"
        )
        print(
            f"  identical assignment: {'yes' if theirs == mine else 'NO'} ({len(mine)} students placed)"
        )
    print(f"# {load()}")


if __name__ == "__main__":
    main()
