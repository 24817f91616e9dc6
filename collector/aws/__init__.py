"""AWS access: sessions and credentials, client setup, throttles, paced calls, and which
accounts and regions a run covers.

May import: the shared value modules (``collector.config``, ``collector.records``) and
``collector.registry``. Never the store, the engine, or anything above them.
"""
