"""The registry against AWS Config's resource types (botocore's `config` model, read here
through tests/references.py, not through the package).

Every type AWS Config records is either curated (REGISTRY) or in NOT_COLLECTED with a reason
an operator understands; NOT_COLLECTED names only Config types that are not collected.
`python -m tests.test_coverage` prints the missing types grouped by service.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from collector.registry import NOT_COLLECTED, REGISTRY
from collector.registry.awsconfig import config_types as package_config_types
from tests.references import config_types


def missing() -> list[str]:
    """Config types neither collected nor explained."""
    return sorted(config_types() - set(REGISTRY) - set(NOT_COLLECTED))


def by_service(names: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[name.split("::")[1]].append(name)
    return dict(sorted(groups.items(), key=lambda kv: kv[0].lower()))


def report(names: list[str]) -> str:
    lines = [f"{len(names)} AWS Config types neither collected nor in NOT_COLLECTED:"]
    for service, types in by_service(names).items():
        lines.append(f"  {service} ({len(types)}): " + ", ".join(t.split("::")[2] for t in types))
    return "\n".join(lines)


@pytest.mark.coverage
def test_every_config_type_is_collected_or_explained() -> None:
    left = missing()
    assert not left, report(left)


def test_not_collected_names_config_types_that_are_not_collected() -> None:
    collected = sorted(set(NOT_COLLECTED) & set(REGISTRY))
    assert not collected, f"in NOT_COLLECTED but collected: {collected}"
    unknown = sorted(set(NOT_COLLECTED) - config_types())
    assert not unknown, f"in NOT_COLLECTED but not AWS Config types: {unknown}"
    empty = sorted(n for n, why in NOT_COLLECTED.items() if not why.strip())
    assert not empty, f"NOT_COLLECTED without a reason: {empty}"


def test_package_reads_config_types_from_botocore() -> None:
    """`inventory types` and docs/resources.md use the package's own reading of the model."""
    assert package_config_types() == config_types()
    assert len(config_types()) > 400 and "AWS::EC2::Instance" in config_types()


if __name__ == "__main__":
    left = missing()
    print(report(left))
    raise SystemExit(1 if left else 0)
