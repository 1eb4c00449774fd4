"""``stagebrug-match``: solve, verify, explain and generate matching rounds from the shell.

Exit status: 0 on success; 1 when ``verify`` finds the result invalid or, in stable mode,
blocked; 2 for bad input (the message names the offending entry; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and use our exit status for bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _nonnegative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stagebrug-match",
        description="Stable allocation of students to internship placements (Stagebrug C5).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    solve = sub.add_parser("solve", help="allocate students; writes the result JSON")
    solve.add_argument("instance", help="instance JSON file")
    solve.add_argument("-o", "--output", help="result file (default: standard output)")
    solve.add_argument(
        "--mode",
        choices=["stable", "welfare"],
        default="stable",
        help="stable (student-optimal stable matching, default) or welfare"
        " (most students placed, then lowest sum of choice ranks)",
    )
    solve.add_argument(
        "--seed",
        type=_nonnegative,
        help="lottery seed (overrides the instance's 'seed'; default 0)",
    )
    solve.add_argument(
        "--no-verify", action="store_true", help="skip the independent verification of the result"
    )

    verify = sub.add_parser(
        "verify",
        help="check a result: capacities, acceptability, blocking pairs (exit 0 only if it passes)",
    )
    verify.add_argument("instance", help="instance JSON file")
    verify.add_argument("result", help="result JSON file")
    verify.add_argument(
        "--seed",
        type=_nonnegative,
        help="lottery seed (default: the result's, else the instance's)",
    )
    verify.add_argument("--all", action="store_true", help="list every finding, not just 20")

    explain = sub.add_parser("explain", help="explain a student's outcome")
    explain.add_argument("instance", help="instance JSON file")
    explain.add_argument("result", help="result JSON file")
    explain.add_argument(
        "--student", required=True, action="append", help="student id (repeatable)"
    )
    explain.add_argument("--json", action="store_true", help="print JSON instead of text")

    gen = sub.add_parser("generate", help="write a random instance")
    gen.add_argument("--students", type=_nonnegative, required=True, help="number of students")
    gen.add_argument("--choices", type=_nonnegative, default=10, help="choices per student")
    gen.add_argument("--placements", type=_nonnegative, help="number of placements (N/2)")
    gen.add_argument("--popularity", choices=["uniform", "skewed"], default="uniform")
    gen.add_argument("--skew", type=float, default=1.0, help="Zipf exponent for skewed")
    gen.add_argument("--min-capacity", type=_nonnegative, default=1)
    gen.add_argument("--max-capacity", type=_nonnegative, default=3)
    gen.add_argument(
        "--supervisors",
        action="store_true",
        help="supervisor model: 1-4 placements per supervisor, who ranks students",
    )
    gen.add_argument(
        "--placement-rankings",
        action="store_true",
        help="placements rank their applicants (default: the lottery does)",
    )
    gen.add_argument(
        "--duos",
        type=_fraction,
        default=0.0,
        help="fraction of placements paired into MBO+HBO duos (W21)",
    )
    gen.add_argument("--seed", type=_nonnegative, default=0, help="random seed")
    gen.add_argument("-o", "--output", help="instance file (default: standard output)")
    return parser


def _write(data: bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data + b"\n")


def _cmd_solve(args: argparse.Namespace) -> int:
    from stagebrug.matching.engine import read_instance, solve
    from stagebrug.matching.engine.verify import verify_assignment

    started = time.perf_counter()
    instance = read_instance(args.instance)
    result = solve(instance, mode=args.mode, seed=args.seed)
    status = EXIT_OK
    if not args.no_verify:
        report = result.verification or verify_assignment(
            instance, result.placement_of, seed=result.seed
        )
        result.blocking_pairs = report.blocking_pairs
        if not report.passes(args.mode):
            for line in report.messages(instance):
                print(f"stagebrug-match: {line}", file=sys.stderr)
            status = EXIT_REJECTED
    _write(result.to_json_bytes(), args.output)
    by_choice = ", ".join(f"{k}: {v}" for k, v in result.by_choice.items())
    print(
        f"{instance.model} model, {args.mode} mode: placed {result.assigned} of"
        f" {instance.n_students} students (by choice {by_choice or '-'});"
        f" {len(result.blocking_pairs)} blocking pairs; {len(result.half_filled_duos)}"
        f" half-filled duos; solve {result.seconds:.3f} s,"
        f" total {time.perf_counter() - started:.3f} s",
        file=sys.stderr,
    )
    return status


def _cmd_verify(args: argparse.Namespace) -> int:
    from stagebrug.matching.engine import read_instance
    from stagebrug.matching.engine.verify import check_claims, read_result, verify_assignment

    instance = read_instance(args.instance)
    stored = read_result(args.result, instance)
    seed = args.seed if args.seed is not None else stored.seed
    report = verify_assignment(instance, stored.placement_of, seed=seed)
    report.problems += stored.problems + check_claims(report, stored.claimed)
    passes = report.passes(stored.mode)
    by_choice = ", ".join(f"{k}: {v}" for k, v in report.by_choice.items())
    print(f"mode: {stored.mode}")
    print(f"valid: {'yes' if report.valid else 'no'}")
    print(f"blocking pairs: {len(report.blocking_pairs)}")
    print(f"placed: {report.assigned} of {report.students} students")
    print(f"by choice: {by_choice or '-'}")
    for line in report.messages(instance, limit=None if args.all else 20):
        print(line)
    print("result passes" if passes else "result REJECTED")
    return EXIT_OK if passes else EXIT_REJECTED


def _cmd_explain(args: argparse.Namespace) -> int:
    from stagebrug.matching.engine import read_instance
    from stagebrug.matching.engine.api import result_from_assignment
    from stagebrug.matching.engine.explain import Explainer
    from stagebrug.matching.engine.verify import read_result

    instance = read_instance(args.instance)
    stored = read_result(args.result, instance)
    result = result_from_assignment(
        instance,
        stored.placement_of,
        mode=stored.mode,
        seed=instance.effective_seed(stored.seed),
    )
    explainer = Explainer(instance, result)
    explanations = [explainer.explain(sid) for sid in args.student]
    if args.json:
        out: Any = [e.to_dict() for e in explanations]
        print(json.dumps(out if len(out) > 1 else out[0], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(f"{e.student}: {e.text()}" for e in explanations))
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    from stagebrug.matching.engine.generate import dump_instance, generate_instance

    if args.min_capacity > args.max_capacity:
        raise ValueError("--min-capacity must not exceed --max-capacity")
    instance = generate_instance(
        args.students,
        choices=args.choices,
        placements=args.placements,
        popularity=args.popularity,
        skew=args.skew,
        min_capacity=args.min_capacity,
        max_capacity=args.max_capacity,
        supervisors=args.supervisors,
        placement_rankings=args.placement_rankings,
        duo_fraction=args.duos,
        seed=args.seed,
    )
    _write(dump_instance(instance), args.output)
    return EXIT_OK


_COMMANDS = {
    "solve": _cmd_solve,
    "verify": _cmd_verify,
    "explain": _cmd_explain,
    "generate": _cmd_generate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``stagebrug-match`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from stagebrug.matching.engine.instance import InstanceError

    try:
        return _COMMANDS[args.command](args)
    except InstanceError as exc:
        print(f"stagebrug-match: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as exc:
        text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        name = getattr(exc, "filename", None)
        print(f"stagebrug-match: error: {text}" + (f": {name}" if name else ""), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
