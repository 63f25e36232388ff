"""Errors of the briefing runner, each with one message a person can act on."""

from __future__ import annotations


class ParameterError(ValueError):
    """A run request that cannot be carried out (refused before any kernel starts)."""


class RunError(RuntimeError):
    """A run that started but could not produce a complete set of briefings."""


class NotRun(RunError):
    """A notebook skipped because another notebook of the same period failed."""
