"""Check that committed notebooks carry no outputs and keep a literal parameters cell.

Run as ``python -m tools.nbcheck notebooks``; exits non-zero naming each
notebook that has outputs, execution counts or a missing ``parameters`` cell.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat


def notebook_problems(path: Path) -> list[str]:
    """Return what is wrong with a committed notebook (empty when it is clean).

    Args:
        path: An ``.ipynb`` file.

    Returns:
        One message per problem.
    """
    nb = nbformat.read(path, as_version=4)
    problems: list[str] = []
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(params) != 1:
        problems.append(f"{path}: expected one cell tagged 'parameters', found {len(params)}")
    else:
        for node in ast.parse(params[0].source).body:
            literal = isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
            if literal:
                try:
                    ast.literal_eval(node.value)
                except ValueError:
                    literal = False
            if not literal:
                problems.append(f"{path}: the parameters cell may hold only literal assignments")
                break
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(f"{path}: cell {number} has outputs; run `make format` (nbstripout)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check every notebook under the given folders; return the exit code."""
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [Path("notebooks")]
    problems = [
        p for f in folders for nb in sorted(f.glob("*.ipynb")) for p in notebook_problems(nb)
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
