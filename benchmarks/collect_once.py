"""One collector run against a fake endpoint, measured; prints one JSON object.

    python -m benchmarks.collect_once --url URL --db sqlite:///tmp/x.db --config '{"...": {}}'

The run is ``Collector(cfg, db_url).run()`` after ``tune_for_collection()``, exactly what
``inventory collect`` does after parsing its arguments. ``--config`` is a JSON object of config sections merged over the
benchmark's defaults (organizations source, the fake as endpoint, the 27 core types).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any

from benchmarks import plain
from benchmarks.measure import Measured


def config_data(url: str, overrides: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "aws": {"endpoint_url": url},
        "accounts": {"source": "organizations"},
        "resources": {"include": [t.resource_type for t in plain.core_types()]},
    }
    for section, values in overrides.items():
        data[section] = {**data.get(section, {}), **values}
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", default="{}")
    args = parser.parse_args(argv)
    # The fake takes any key as the management account's; these are not real credentials.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAFAKEMANAGEMENT00")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "fake")
    from collector.config import parse
    from collector.engine.gcsettings import tune_for_collection
    from collector.run.collect import Collector

    cfg = parse(config_data(args.url, json.loads(args.config)))
    collector = Collector(cfg, args.db)
    tune_for_collection()
    with Measured() as m:
        summary = asyncio.run(collector.run())
    out = {
        **m.result(),
        "status": summary.status,
        "resources": summary.resources,
        "scopes_ok": summary.scopes_ok,
        "scopes_error": summary.scopes_error,
        "errors": [f"{e.account_id}/{e.region}/{e.resource_type}: {e.error_code}"
                   for e in summary.errors[:5]],
    }
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
