"""Readers that turn raw files into tidy rows (one module per kind of source)."""
