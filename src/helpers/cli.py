"""The ``engagement`` command line: build the data, run briefings, ingest exports.

Data and parameter problems are printed as one plain message (no traceback) and
give a non-zero exit code: 1 for bad data, 2 for bad parameters. So are faults of
the machine (a read-only folder, a full disk) and anything unexpected; ``--debug``
shows the traceback instead. Warnings are printed as one line each, after the
command's own output, and not at all when the command fails.

A stop asked by the system (SIGTERM: a scheduler's timeout, a shutdown) is handled
as Ctrl-C is: the run stops its kernels, removes its staging folder and publishes
nothing, and the exit code is 143.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers import config
from helpers.briefing.run_errors import ParameterError, RunError
from helpers.errors import DataError, PeriodError, display_path, printable
from helpers.fileio import atomic_path, check_replaceable, is_inside
from helpers.layout import MAPPING_FILE, DataLayout
from helpers.tidy.periods import parse_month

if TYPE_CHECKING:
    from helpers.ingest.results import ExportResult


def _check_paths(raw: Path, out: Path, what: str) -> None:
    """Refuse a raw folder that does not exist and an output inside a raw folder.

    Raises:
        ParameterError: Before anything is read or written.
    """
    if not raw.is_dir():
        raise ParameterError(
            f"the raw data folder {display_path(raw)} does not exist; give --raw the "
            "folder that holds report_2015/ and exports/ (nothing was changed)"
        )
    for folder in dict.fromkeys((raw, config.RAW_DIR)):
        if is_inside(out, folder):
            raise ParameterError(
                f"{what} {display_path(out)} is inside the raw data folder "
                f"{display_path(folder)}, which is never written; choose a folder outside it"
            )


def _data_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    """The raw and processed folders ``engagement data`` reads and writes.

    ``--raw`` and ``--out`` where given, else those of ``--data`` (default: ``data/``).
    """
    layout = DataLayout.from_data_dir(args.data)
    return Path(args.raw or layout.raw), Path(args.out or layout.processed)


def _cmd_data(args: argparse.Namespace) -> int:
    from helpers.tidy.dataset import build_dataset, processed_is_current

    if args.data and (args.raw or args.out):
        raise ParameterError("--data names raw/ and processed/ together: leave out --raw and --out")
    raw, out = _data_folders(args)
    if args.data and not raw.is_dir():
        raise ParameterError(f"data folder {display_path(args.data)} has no raw/ folder")
    _check_paths(raw, out, "--out" if args.out else "--data")
    if args.if_changed and processed_is_current(raw, out):
        print(f"{display_path(out)}/ is up to date with {display_path(raw)}/")
        return 0
    problems: list[DataError] = []
    exports: list = []
    tidy = build_dataset(raw, out, problems=problems, exports=exports)
    if not problems:
        files = tidy["source"].str.replace(r":.*$", "", regex=True).nunique()
        print(f"{len(tidy):,} tidy rows from {files} raw files -> {display_path(out)}")
    code = _report_exports(exports[0] if exports else None, problems, None)
    if problems:
        print(
            f"{display_path(out)}/ was left as it was: fix or remove the file(s) above "
            "and run again (briefings are refused until it is rebuilt).",
            file=sys.stderr,
        )
    return code


def _report_exports(
    result: ExportResult | None, problems: list[DataError], built: str | None
) -> int:
    """Print the export overlaps and problems (one line each); 1 if a file was skipped.

    ``built`` says what was made from the other files (None: nothing was).
    """
    if result is not None:
        for line in result.overlap_lines():
            print(f"overlap: {line}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        read = sum(1 for f in result.files if not f.error) if result is not None else 0
        if built is None:
            print(f"{len(problems)} export file(s) failed.", file=sys.stderr)
        elif read or len(problems) > 1:
            rest = f"; {built} from the other {read:,}" if read else ""
            print(f"{len(problems)} export file(s) skipped{rest}.", file=sys.stderr)
        return 1
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from helpers.ingest.exports import read_exports
    from helpers.schema import coerce_tidy, validate_tidy
    from helpers.tidy.dataset import write_tidy_csv

    folder = Path(args.exports)
    mapping = Path(args.accounts) if args.accounts else folder / MAPPING_FILE
    files = [Path(f) for f in args.files]
    if args.csv:
        out = Path(args.csv)
        # the exports folder and, for <data>/raw/exports, the whole raw folder
        raw = folder.parent if folder.parent.name == "raw" else folder
        for inner in (config.RAW_DIR, raw, *files):
            if is_inside(out, inner):
                raise ParameterError(
                    f"--csv {display_path(out)} is inside the raw data "
                    f"({display_path(inner)}), which is never written; choose a file "
                    "outside it, e.g. /tmp/check.csv"
                )
        check_replaceable(out)
    placed = _placed(args.placed, files, folder)
    for path, relpath in placed.items():
        print(f"{path}: checked as exports/{relpath}")
    result = read_exports(
        folder, files=files, mapping_path=mapping, placed=placed, entry=_ingest_entry(args)
    )
    for item in result.files:
        if not item.error:  # refusals are printed once, below
            print(item.describe())
    tidy = validate_tidy(coerce_tidy(result.rows))
    if args.csv:
        out = Path(args.csv)
        with atomic_path(out) as tmp:
            write_tidy_csv(tidy, tmp)
        print(f"{len(tidy):,} tidy rows -> {out}")
    return _report_exports(result, result.problems, "the rows come")


def _ingest_entry(args: argparse.Namespace) -> dict[str, str]:
    """What ``--account``, ``--channel``, ``--start`` and ``--end`` give, as a ``files`` entry.

    Raises:
        ParameterError: For an unknown channel, a date that does not exist, or an end
            before the start.
    """
    import datetime as dt

    entry = {k: getattr(args, k) for k in ("account", "channel", "start", "end")}
    entry = {k: v for k, v in entry.items() if v}
    if "channel" in entry and entry["channel"] not in config.CHANNELS:
        raise ParameterError(
            f"--channel is one of {', '.join(config.CHANNELS)}, not {entry['channel']}"
        )
    days = {}
    for key in ("start", "end"):
        if key in entry:
            try:
                days[key] = dt.date.fromisoformat(entry[key])
            except ValueError:
                raise ParameterError(f"--{key} is a day YYYY-MM-DD, not {entry[key]}") from None
    if len(days) == 2 and days["end"] < days["start"]:
        raise ParameterError(f"--end {entry['end']} is before --start {entry['start']}")
    return entry


def _placed(where: str | None, files: list[Path], folder: Path) -> dict[Path, str]:
    """``--as``: the one file given and the path it will have under the exports folder.

    ``exports/facebook/overview/Reach.csv``, ``facebook/overview/Reach.csv`` and
    ``data/raw/exports/facebook/overview/Reach.csv`` name the same place.

    Raises:
        ParameterError: For several files, or a path that is not inside the folder.
    """
    from pathlib import PurePosixPath

    if not where:
        return {}
    if len(files) != 1:
        raise ParameterError("--as gives the place of one file: give one FILE with it")
    path = PurePosixPath(where.replace("\\", "/"))
    if path.is_absolute():
        try:
            path = PurePosixPath(Path(where).resolve().relative_to(folder.resolve()).as_posix())
        except ValueError:
            raise ParameterError(
                f"--as is a path under the exports folder ({display_path(folder)}), not {where}"
            ) from None
    parts = list(path.parts)
    for prefix in (["data", "raw", "exports"], ["exports"]):
        if parts[: len(prefix)] == prefix and len(parts) > len(prefix):
            parts = parts[len(prefix) :]
            break
    if not parts or ".." in parts or parts == ["."]:
        raise ParameterError(f"--as is a file's path under the exports folder, not {where}")
    return {files[0]: "/".join(p for p in parts if p != ".")}


def _add_ingest_parser(sub: Any) -> None:
    ingest = sub.add_parser(
        "ingest",
        help="check platform export files and write their tidy rows",
        description="Read the given export files, print what was recognised in each "
        "(format, account, date range, rows) and optionally write the tidy rows.",
    )
    ingest.add_argument("files", nargs="+", metavar="FILE", help="export files to read")
    ingest.add_argument("--csv", help="write the tidy rows to this CSV file")
    ingest.add_argument(
        "--exports",
        default=str(DataLayout.from_data_dir().exports),
        help="exports folder the sources are named relative to (default: data/raw/exports)",
    )
    ingest.add_argument("--accounts", help="account mapping (default: <exports>/accounts.yml)")
    entry = ingest.add_argument_group(
        "checking a download before it is placed",
        "what a 'files' entry in accounts.yml would give the files (it comes before the "
        "mapping's own entries), or the place the file will have, so that the mapping "
        "applies by it",
    )
    entry.add_argument("--account", help="the account of the rows (overview downloads...)")
    entry.add_argument("--channel", help="the channel: " + ", ".join(config.CHANNELS))
    entry.add_argument("--start", help="first day YYYY-MM-DD (YouTube Table data's range)")
    entry.add_argument("--end", help="last day YYYY-MM-DD (YouTube Table data's range)")
    entry.add_argument(
        "--as",
        dest="placed",
        metavar="PATH",
        help="the path the file will have under the exports folder, such as "
        "exports/facebook/overview/Reach.csv (one FILE)",
    )
    ingest.set_defaults(func=_cmd_ingest)


def _cmd_run(args: argparse.Namespace) -> int:
    from helpers.briefing.runner import run_all, run_period

    if args.timeout is not None:
        if args.timeout != int(args.timeout):  # the kernel client counts whole seconds
            raise ParameterError(
                f"--timeout is whole seconds (1 or more), not {args.timeout:g}; "
                f"e.g. --timeout {max(1, round(args.timeout))}"
            )
        args.timeout = int(args.timeout)
    if args.since and not args.all:
        raise ParameterError("--since limits --all; give --all too, or --period for one month")
    if args.all:
        if args.period or args.start:
            raise ParameterError("--all builds every period; leave out --period and --start")
        if args.since:
            parse_month(args.since)
        run_all(
            jobs=args.jobs,
            channels=args.channels,
            out_dir=args.out,
            data_dir=args.data,
            timeout=args.timeout,
            force=args.force,
            pdf=args.pdf,
            drop_pdf=args.drop_pdf,
            since=args.since,
        )
    else:
        run_period(
            args.period,
            args.start,
            channels=args.channels,
            out_dir=args.out,
            data_dir=args.data,
            jobs=args.jobs,
            timeout=args.timeout,
            force=args.force,
            pdf=args.pdf,
            drop_pdf=args.drop_pdf,
        )
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text}")
    return value


def _add_run_parser(sub: Any) -> None:
    run = sub.add_parser(
        "run",
        help="run the briefing notebooks and write outputs/<period>/",
        description="Run the briefing notebooks for a period (default: the latest with "
        "data) and publish outputs/<period>/ only when every notebook succeeded.",
    )
    run.add_argument("--period", help="reporting month YYYY-MM (default: latest with data)")
    run.add_argument("--start", help="first month YYYY-MM (default: 12 months to --period)")
    run.add_argument(
        "--channels",
        help="comma-separated briefings: " + ",".join(spec.name for spec in config.CHANNEL_SPECS),
    )
    run.add_argument("--out", help="folder for <period>/ folders (default: outputs/)")
    run.add_argument("--data", help="data folder with raw/ and processed/ (default: data/)")
    run.add_argument("--all", action="store_true", help="build every period that has data")
    run.add_argument(
        "--since", help="with --all, the first month YYYY-MM to build (default: the earliest)"
    )
    run.add_argument(
        "--jobs", type=_positive_int, help="notebooks run at once (default: CPU cores)"
    )
    run.add_argument(
        "--timeout",
        type=_positive_float,
        help="whole seconds one cell may run (default: no limit)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="rebuild even the periods whose inputs have not changed since they were built",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="also print each period into briefing.pdf (A4 board paper; needs Chromium)",
    )
    run.add_argument(
        "--drop-pdf",
        action="store_true",
        help="without --pdf, remove the published briefing.pdf of a rebuilt period "
        "(by default it is kept)",
    )
    run.set_defaults(func=_cmd_run)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``engagement`` command."""
    parser = argparse.ArgumentParser(
        prog="engagement",
        description="Community engagement briefings from social, website and ITK data.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (for developers)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="build data/processed/ from data/raw/")
    data.add_argument("--data", help="data folder with raw/ and processed/ (default: data/)")
    data.add_argument("--raw", help="raw data folder (default: data/raw/)")
    data.add_argument("--out", help="processed folder (default: data/processed/)")
    data.add_argument(
        "--if-changed",
        action="store_true",
        help="do nothing when the processed table was built from the raw files there now",
    )
    data.set_defaults(func=_cmd_data)
    _add_ingest_parser(sub)
    _add_run_parser(sub)
    for command in sub.choices.values():  # `engagement run --debug` works too
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _os_error(exc: OSError) -> str:
    """One line for a fault of the machine: what, and on which file."""
    what = exc.strerror or str(exc)
    where = f" ({display_path(exc.filename)})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full{where}; free some space and run again"
    return f"{what}{where}"


class Terminated(KeyboardInterrupt):
    """The system asked the command to stop (SIGTERM); it stops as after Ctrl-C."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated(signal.Signals(signum).name)


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught, _stop_on_sigterm():
        warnings.simplefilter("default")
        code = _run(args)
    if code == 0:
        for warning in dict.fromkeys(str(w.message) for w in caught):
            print(f"warning: {' '.join(warning.split())}", file=sys.stderr)
    return code


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command; errors become one line and an exit code."""
    processed = _data_folders(args)[1] if args.command == "data" else None
    processed = processed or DataLayout.from_data_dir().processed
    left_as_it_was = f"{display_path(processed)}/ was left as it was."
    try:
        return int(args.func(args))
    except DataError as exc:
        _debug(args)
        print(f"error: {exc}", file=sys.stderr)
        if args.command == "data":
            print(left_as_it_was, file=sys.stderr)
        return 1
    except (PeriodError, ParameterError) as exc:
        _debug(args)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunError as exc:
        _debug(args)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Terminated:
        print("stopped: nothing was published; earlier outputs are unchanged", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("interrupted: nothing was published; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        _debug(args)
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        if args.command == "data":
            print(left_as_it_was, file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line, the traceback with --debug
        _debug(args)
        print(
            f"error: unexpected {type(exc).__name__}: {printable(' '.join(str(exc).split()))} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


def _debug(args: argparse.Namespace) -> None:
    if getattr(args, "debug", False):
        traceback.print_exc()


if __name__ == "__main__":
    sys.exit(main())
