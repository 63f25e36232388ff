"""The ``engagement`` command line: build the data, run briefings, ingest exports.

Data and parameter problems are printed as one plain message (no traceback) and
give a non-zero exit code: 1 for bad data, 2 for bad parameters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers import config
from helpers.errors import DataError, PeriodError


def _cmd_data(args: argparse.Namespace) -> int:
    from helpers.dataset import build_dataset

    tidy = build_dataset(Path(args.raw), Path(args.out))
    print(
        f"data/processed: {len(tidy):,} tidy rows from "
        f"{tidy['source'].str.split(':').str[0].nunique()} raw files -> {args.out}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``engagement`` command."""
    parser = argparse.ArgumentParser(
        prog="engagement",
        description="Community engagement briefings from social, website and ITK data.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="build data/processed/ from data/raw/")
    data.add_argument("--raw", default=str(config.RAW_DIR), help="raw data folder")
    data.add_argument("--out", default=str(config.PROCESSED_DIR), help="processed folder")
    data.set_defaults(func=_cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("data/processed/ was left as it was.", file=sys.stderr)
        return 1
    except PeriodError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
