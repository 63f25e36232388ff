"""A briefing run (notebooks faked, no kernels) killed at one step of its publishing.

``python -m tests.factories.killed_run OUT NOTEBOOKS K`` runs the briefings of
:data:`PERIOD` into ``OUT`` with ``force`` and sends itself SIGKILL just before the
K-th *publishing step*: a rename of, or into, a folder or file directly in ``OUT``
(the period folder set aside, the new one moved in, the archive written) or the
removal of a folder directly in ``OUT``. Python's audit events (``os.rename``,
``shutil.rmtree``) fire before the operation, so the process dies with the step not
done, exactly as a power cut or ``kill -9`` would leave it. ``K`` = 0 kills nothing;
the steps seen are printed, one per line, as ``step <n> <event> <names>``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

from helpers.briefing import build as runner_module
from helpers.briefing.runner import run_period
from tests.factories.fake_notebooks import channel_page, fake_execute, headline_record

#: The period built.
PERIOD = "2015-09"
#: The channel pages built (the two summary pages follow).
CHANNELS = ("website", "itk")
#: Events that are publishing steps when they touch an entry directly in the output folder.
STEP_EVENTS = ("os.rename", "shutil.rmtree")


def _record(job: object) -> dict[str, object]:
    """A headline whose value differs from run to run, so that each run writes the archive."""
    return headline_record(float(os.getpid()))


def install_kill(out: Path, kill_at: int) -> None:
    """Count publishing steps in ``out``; SIGKILL this process before step ``kill_at``."""
    out = out.resolve()
    seen = [0]

    def hook(event: str, args: tuple) -> None:
        if event not in STEP_EVENTS:
            return
        paths = [Path(os.fsdecode(a)) for a in args[:2] if isinstance(a, str | bytes | os.PathLike)]
        if not any(p.is_absolute() and p.parent == out for p in paths):
            return
        seen[0] += 1
        names = " ".join(p.name for p in paths)
        print(f"step {seen[0]} {event} {names}", flush=True)
        if seen[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)


def main(argv: list[str]) -> int:
    """Run the period into ``OUT`` from the notebooks in ``NOTEBOOKS``, killed at step K."""
    out, notebooks, kill_at = Path(argv[0]).resolve(), Path(argv[1]), int(argv[2])
    runner_module.execute_notebook = fake_execute(lambda job: channel_page(job, _record(job)))
    runner_module.check_kernel = lambda name: None
    runner_module.kernel_pool = lambda *a, **k: SimpleNamespace(close=dict)
    install_kill(out, kill_at)
    run_period(
        PERIOD,
        channels=",".join(CHANNELS),
        out_dir=out,
        notebooks_dir=notebooks,
        console=Console(file=sys.stdout, width=200, force_terminal=False),
        force=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
