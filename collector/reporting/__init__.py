"""What people read: query execution and its output formats, saved queries, helper tables,
report data, rendering and charts.

May import: the value modules, ``collector.registry``, ``collector.store``,
``collector.history``. Never AWS code or the collection engine.
"""
