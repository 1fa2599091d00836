"""`ordinance batch`: decide every case of a JSONL/CSV file or a directory, streaming."""

from __future__ import annotations

import argparse
import sys

from engine.commands import summary
from engine.commands.options import add_reading_option, add_rules_option, readings, seconds
from engine.core.errors import EngineError, FailureFound
from engine.core.suggest import known_ordinance_id
from engine.core.rulebase import RuleBase
from engine.core.solve import check_readings

NAME = "batch"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=summary(NAME),
        description="Decide every case of a JSON Lines file, a CSV file (docs/batch.md) or a "
                    "directory of case files. Rows come out in input order; a bad case gives "
                    "an error row and the batch goes on.",
        epilog="Example: ordinance batch cases.jsonl --out results.jsonl --explain")
    parser.add_argument("cases", help="a .jsonl/.ndjson or .csv file, a directory of "
                                      ".json/.yaml case files, or - for JSON Lines on standard input")
    parser.add_argument("--out", metavar="FILE", help="where to write rows (.jsonl or .csv); "
                                                      "default: standard output")
    parser.add_argument("--format", choices=("jsonl", "csv"),
                        help="output format; default: from --out's suffix, else jsonl")
    parser.add_argument("--ordinance", action="append", metavar="ID",
                        help="rule under this ordinance only (repeatable); overrides each "
                             "case's own 'ordinances'; default: every local ordinance")
    parser.add_argument("--explain", action="store_true",
                        help="each row carries the ids of the rule instances behind each result, into a "
                             "table written once beside --out (OUT.trace.jsonl); `ordinance explain "
                             "--from-batch OUT CASE_ID ORDINANCE ACTION` draws and words them")
    parser.add_argument("--explain-format", choices=("compact", "firings"), metavar="compact|firings",
                        help="--explain: ids into the table (compact, the default) or every rule instance "
                             "written in full in each row (firings, the form before; rows ~8x larger)")
    parser.add_argument("--all", action="store_true",
                        help="also write silent pairs (as `decide --format json` does)")
    parser.add_argument("--resume", action="store_true",
                        help="skip the cases already in --out and append the rest")
    parser.add_argument("--time-limit", type=seconds, default=10.0, metavar="SECONDS",
                        help="per-case limit; a case over it gets an error row (default: 10)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: one per core)")
    parser.add_argument("--fail-on-error", action="store_true",
                        help="exit 1 if any case gives an error row (the rows are written all the same)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.add_argument("--verbose", action="store_true",
                        help="also say how cases were evaluated: compiled, or solved one by one and why")
    add_reading_option(parser)
    add_rules_option(parser)


#: The request counts --verbose reports the evaluation of (generated cases hold up to 3).
VERBOSE_REQUEST_COUNTS = range(4)


def _evaluation_paths(rules: RuleBase, options: object) -> str:
    """Per number of requests in a case, how cases are evaluated: compiled (the ground program
    as Python over chunks of cases) or multi-shot (one solve per case), with the reason."""
    from engine.batch.solver import evaluation_path

    return "".join(f"ordinance batch: cases with {count} request{'' if count == 1 else 's'}: "
                   f"{evaluation_path(rules, count, options)}\n" for count in VERBOSE_REQUEST_COUNTS)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def run(rules: RuleBase, args: argparse.Namespace) -> str:
    # Imported here: the batch machinery (multiprocessing, tracing) would otherwise
    # add to the start-up of every command, `decide` included.
    from engine.batch.solver import COMPACT, BatchOptions
    from engine.batch.io import STDIN, count_inputs, output_format, read_inputs
    from engine.batch.run import default_jobs, run_batch
    from engine.render.progress import Progress

    if args.jobs is None:
        args.jobs = default_jobs()
    if args.resume and not args.out:
        raise EngineError("--resume needs --out (the file to continue). Fix: add --out FILE.")
    if args.resume and args.cases == STDIN:
        raise EngineError("--resume needs the cases in a file: what came on standard input before "
                          "cannot be checked to be the same. Fix: save the cases to a file and give its name.")
    if args.jobs < 1:
        raise EngineError(f"--jobs {args.jobs}: must be at least 1. Fix: pass --jobs 1 or more.")
    for public_id in args.ordinance or ():
        known_ordinance_id(rules.catalog, public_id)
    chosen = tuple(sorted(check_readings(rules, readings(args)).items()))
    if args.explain_format and not args.explain:
        raise EngineError(f"--explain-format {args.explain_format} shapes what --explain writes. Fix: add --explain.")
    options = BatchOptions(tuple(args.ordinance) if args.ordinance else None, chosen,
                           args.explain, args.all, args.time_limit,
                           explain_format=args.explain_format or COMPACT)
    if options.compact and not args.out:
        raise EngineError("--explain writes the table of its rule instances beside --out (OUT.trace.jsonl), "
                          "and rows on standard output have no file to put it beside. Fix: add --out FILE, "
                          "or --explain-format firings (rows that hold their derivation in full).")
    fmt = output_format(args.out, args.format)
    inputs = read_inputs(args.cases)
    progress = None if args.quiet else Progress(count_inputs(args.cases))
    summary = run_batch(inputs, args.out, rules_dirs=args.rules, options=options, fmt=fmt,
                        jobs=args.jobs, resume=args.resume, progress=progress,
                        source=None if args.cases == STDIN else args.cases)
    if not args.quiet:  # also into a log file or a notebook: the one record of what happened
        sys.stderr.write(f"ordinance batch: {_count(summary.decided, 'case')} decided, "
                         f"{_count(summary.errors, 'error row')}"
                         + (f", {summary.skipped:,} already done (--resume)" if summary.skipped else "")
                         + f", {summary.seconds:.1f} s; rows in {args.out or 'standard output'}\n")
    if args.verbose:
        sys.stderr.write(_evaluation_paths(rules, options))
    if summary.decided and summary.errors == summary.decided:
        raise EngineError(f"every case ({summary.decided:,}) gave an error row; the first: {summary.first_error} "
                          "(Fix: make the input follow docs/batch.md, \"Inputs\"; a CSV header with other "
                          "column names makes every row an error.)")
    if args.fail_on_error and summary.errors:
        raise FailureFound(f"{summary.errors:,} of {summary.decided:,} cases gave an error row "
                           f"(--fail-on-error); the first: {summary.first_error}")
    return ""
