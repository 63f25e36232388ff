"""Presentation: number formats, tables (Styler), charts (Figure) and sentences (Markdown)."""
