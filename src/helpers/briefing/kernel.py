"""The project's Jupyter kernel and plain-tool defaults, set up once by ``make setup``.

- The kernel ``engagement-briefings`` starts through :class:`IpcProvisioner`, so every
  client of it (the runner, plain ``papermill``, JupyterLab, ``nbconvert --execute``)
  talks to the kernel over IPC (Unix sockets in Jupyter's runtime folder) where the
  platform has them, instead of unencrypted TCP on 127.0.0.1 (and without ipykernel's
  warning "Kernel is running over TCP without encryption"). Elsewhere it is
  jupyter_client's usual local kernel.
- The environment's Jupyter config makes plain ``jupyter nbconvert --to html`` use
  the offline briefing template (``engagement-briefing``) unless ``--template``
  names another.

``python -m helpers.briefing.kernel`` writes both into the running environment
(``sys.prefix``); ``make setup`` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from helpers import config

#: Name of the provisioner (entry point ``jupyter_client.kernel_provisioners``).
PROVISIONER = "engagement-ipc"
#: Template plain ``jupyter nbconvert`` uses in this environment.
DEFAULT_TEMPLATE = "engagement-briefing"


def ipc_available() -> bool:
    """Whether kernels can talk over IPC here (Unix domain sockets)."""
    return os.name == "posix"


#: Longest socket base path used (a Unix socket path holds 107 bytes; ``-ipc-NNNNN`` follows).
_MAX_IPC_BASE = 90


class IpcProvisioner(LocalProvisioner):  # type: ignore[misc]
    """A local kernel that talks over IPC where the platform allows it."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Switch the kernel manager to IPC before its connection file is written."""
        km = self.parent
        if km is not None and ipc_available() and km.transport == "tcp":
            if km.connection_file:
                base = os.path.splitext(km.connection_file)[0]
            else:
                from jupyter_core.paths import jupyter_runtime_dir

                runtime = Path(jupyter_runtime_dir())
                runtime.mkdir(parents=True, exist_ok=True)
                base = str(runtime / f"kernel-{uuid.uuid4()}")
            if len(base) > _MAX_IPC_BASE:
                # a Unix socket path holds at most 107 bytes: long runtime folders (a
                # test's tmp path) would stop the kernel binding, so use a short one
                base = os.path.join(tempfile.gettempdir(), f"ebk-{uuid.uuid4().hex[:12]}")
            km.transport = "ipc"
            km.cache_ports = False  # port numbers are socket file suffixes with IPC
            km.ip = f"{base}-ipc"
        return await super().pre_launch(**kwargs)


def kernel_json(prefix: str | Path | None = None) -> Path:
    """The ``kernel.json`` of the project's kernel in an environment."""
    root = Path(prefix) if prefix else Path(sys.prefix)
    return root / "share" / "jupyter" / "kernels" / config.KERNEL_NAME / "kernel.json"


def nbconvert_config(prefix: str | Path | None = None) -> Path:
    """The environment's ``jupyter_nbconvert_config.py``."""
    root = Path(prefix) if prefix else Path(sys.prefix)
    return root / "etc" / "jupyter" / "jupyter_nbconvert_config.py"


#: The environment's nbconvert config. HTMLExporter's own setting would outrank
#: ``--template`` (which sets TemplateExporter's), so it is made only when the command
#: line names no template; other formats (``--to script``...) keep their own.
NBCONVERT_CONFIG = f"""# Written by python -m helpers.briefing.kernel (make setup): plain
# `jupyter nbconvert --to html` uses the offline briefing template unless the
# command line names one (--template NAME).
import sys

_OPTIONS = ("--template", "--TemplateExporter.template_name", "--HTMLExporter.template_name")
if not any(arg.startswith(_OPTIONS) for arg in sys.argv[1:]):
    c.HTMLExporter.template_name = {DEFAULT_TEMPLATE!r}  # noqa: F821
"""


def _update_json(path: Path, update: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    update(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def install(prefix: str | Path | None = None) -> tuple[Path, Path]:
    """Point the project's kernel at :class:`IpcProvisioner` and set nbconvert's template.

    Args:
        prefix: The environment (default: the running Python's ``sys.prefix``); its
            kernel ``engagement-briefings`` must be installed already.

    Returns:
        The two files written: the kernel's ``kernel.json`` and nbconvert's config.

    Raises:
        FileNotFoundError: If the kernel is not installed in that environment.
    """
    spec = kernel_json(prefix)
    if not spec.is_file():
        raise FileNotFoundError(
            f"{spec}: the kernel {config.KERNEL_NAME!r} is not installed; run make setup"
        )

    def provision(data: dict[str, Any]) -> None:
        data.setdefault("metadata", {})["kernel_provisioner"] = {"provisioner_name": PROVISIONER}

    _update_json(spec, provision)
    settings = nbconvert_config(prefix)
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(NBCONVERT_CONFIG, encoding="utf-8")
    return spec, settings


def main(argv: list[str] | None = None) -> int:
    """Command line: set up the kernel and nbconvert defaults of this environment."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.briefing.kernel",
        description="Kernel over IPC and the briefing template as nbconvert's default.",
    )
    parser.add_argument("--prefix", help="environment to set up (default: this one)")
    args = parser.parse_args(argv)
    for path in install(args.prefix):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
