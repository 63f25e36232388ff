"""Measures: pure functions, frames in and frames out, for every figure a briefing shows."""
