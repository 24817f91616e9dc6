"""The collection engine: the fetcher (every declared type through one engine), normalization,
redaction, progress, and :class:`~collector.engine.account.AccountCollector`, which collects one
account into a store and is used by every way of running.

May import: the value modules, ``collector.registry``, ``collector.aws``, ``collector.store``.
Never ``history``, ``reporting``, ``run`` or ``cli``.
"""
