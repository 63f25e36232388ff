"""Tidy layer: the dataset build (atomic) from the ingest readers; series and windows."""
