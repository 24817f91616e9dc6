"""History over the store: the inventory as of a past run, diffs between runs, pruning, and the
typed views (compiled from ``collector.registry.views``).

May import: the value modules, ``collector.registry``, ``collector.store``. Never AWS code.
"""
