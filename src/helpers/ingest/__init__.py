"""Every reader of ``data/raw``: raw files to tidy rows and checked frames."""
