"""A collection run, however it is spread: in this process (``collect``), over N local worker
processes (``processes``, ``worker``, ``forkserver``), as one shard of N (``shard``), or as one
of any number of queue workers (``queue_worker``, ``work_queue``).

May import everything below it (``aws``, ``engine``, ``store``, ``registry``, the value
modules); only ``cli`` and ``demo`` import it. Keep this file free of imports: the forkserver
must start before the SDK and SQLAlchemy are imported.
"""
