"""engagement-briefings helper library.

Notebooks import from here; nothing here imports a notebook. See ``docs`` in the
README for the flow: raw tables -> tidy table -> metrics/analysis -> plots/narrative.
"""

__version__ = "0.1.0"
