"""Tidy layer: the schema, the dataset build (atomic) and selection of series and windows."""
