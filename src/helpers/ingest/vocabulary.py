"""The column names a platform writes, declared once per reader: a file with another was edited.

A column that no version of a platform's export writes (``is_thread_start`` and
``thread_id`` on an X content export) was added after the download, by a person or
a script: such a file is refused in one line naming those columns, since its
figures may have been changed too. Columns the platform writes but the reader does
not use are still accepted and named in the ``columns not read`` note.

Each reader declares its platform's column names in one :class:`Columns`: the names
it knows (any case) and, where a platform's names form an open family, the pattern
every one of them follows (Facebook's ``Lifetime ...`` / ``Daily ...`` columns and
API keys, X's capitalised words, YouTube Studio's names, which never hold an
underscore). Google Analytics is not checked: a property's own custom dimensions
and metrics carry whatever names its owner gave them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from helpers.ingest.common import ExportFile

#: Names pandas gives a header cell that is empty, or a name's second copy (``Views.1``).
_BLANK = re.compile(r"^Unnamed: \d+$")
_COPY = re.compile(r"\.\d+$")


@dataclass
class Columns:
    """The column names a platform's exports write.

    Attributes:
        platform: What a person calls the platform (for messages).
        names: Names it writes (compared in any case, whitespace collapsed).
        patterns: Regular expressions (matched in full) for families of names.
    """

    platform: str
    names: Iterable[str]
    patterns: Iterable[str] = ()
    _names: frozenset[str] = field(init=False, repr=False)
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = frozenset(" ".join(n.split()).lower() for n in self.names)
        self._patterns = tuple(re.compile(p) for p in self.patterns)

    def knows(self, name: str) -> bool:
        """Whether the platform writes a column of this name (an empty header cell too)."""
        clean = " ".join(str(name).replace("\ufeff", "").split())
        if not clean or _BLANK.match(clean):
            return True
        base = _COPY.sub("", clean)
        return any(
            n.lower() in self._names or any(p.fullmatch(n) for p in self._patterns)
            for n in dict.fromkeys((clean, base))
        )

    def check(self, file: ExportFile, header: Iterable[str], line: int) -> None:
        """Refuse a header holding a column the platform never writes.

        Raises:
            DataError: Naming (up to three of) the columns, at the header's line.
        """
        unknown = [str(h) for h in dict.fromkeys(header) if not self.knows(str(h))]
        if not unknown:
            return
        shown = ", ".join(f"'{n}'" for n in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise file.error(
            f"only columns {self.platform} writes: {shown}{more} "
            f"{'is' if len(unknown) == 1 else 'are'} not {self.platform}'s, so the file "
            "was edited after download (download the export again)",
            line=line,
        )
