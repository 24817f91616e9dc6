"""Every curated type that moto can serve: created in moto, collected, checked exactly.

One moto reset serves the whole module: the registry is collected once before seeding (what
moto creates by itself, e.g. a default VPC's network ACL or the default event bus), then every
helper of tests/seed_more.py runs, then the registry is collected again. For every tested type
the new records must be exactly the seeded ones: same ids, ARNs, names and tags; and every
(scope, type) must end ok. The types moto cannot serve are listed, with the reason, in
collector.registry.docs.NOT_IN_MOTO (and docs/resources.md).
"""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from collector.engine.plan import plan_jobs
from collector.records import Record, ScanResult, Status
from collector.registry import CORE_TYPES, REGISTRY, ResourceType, select_types
from collector.registry.docs import NOT_IN_MOTO
from collector.registry.references import UNDOCUMENTED_ARNS
from tests.fetching import fetch_all
from tests.references import documented_match
from tests.seed_more import ACCOUNT, REGION, SEEDERS, Expected, Seeder

PARENTS = {t.parent for t in REGISTRY.values() if t.parent}
TESTED = sorted(n for n in REGISTRY if n not in CORE_TYPES and n not in NOT_IN_MOTO)
# Core types are checked by test_collect_moto.py; they are collected here only as parents.
COLLECTED = [REGISTRY[n] for n in [*TESTED, *sorted(PARENTS & CORE_TYPES)]]


# Where moto's ARN differs from the real one (the item's own ARN member: not ours to fix).
MOTO_ARNS_DIFFER = {
    "AWS::AmazonMQ::Broker": "moto leaves the broker name out of broker:<name>:<id>",
    "AWS::MSK::Cluster": "moto leaves the cluster name out of cluster/<name>/<uuid>",
    **{
        f"AWS::NetworkManager::{kind}": "moto puts the account where the empty region goes "
        "(networkmanager:<account>:...) and leaves the global network id out of sites', "
        "devices' and links' ARNs"
        for kind in ("GlobalNetwork", "Site", "Device", "Link")
    },
}


# moto answers ListAccounts and ListPolicies with an empty list outside an organization.
ORGANIZATIONS_SKIPPED_BEFORE = {
    "AWS::Organizations::Root",
    "AWS::Organizations::OrganizationalUnit",
}


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    results: dict[str, ScanResult] = field(default_factory=dict)

    def of(self, rtype: str) -> dict[str, Record]:
        return {r.arn: r for r in self.records if r.resource_type == rtype}


async def _collect(url: str, types: list[ResourceType]) -> Run:
    run = Run()
    jobs = plan_jobs(ACCOUNT, [REGION], types)
    run.records, results = await fetch_all(url, ACCOUNT, jobs)
    run.results = {r.resource_type: r for r in results}
    return run


def collect(url: str, types: list[ResourceType]) -> Run:
    return asyncio.run(_collect(url, types))


@dataclass
class World:
    before: Run
    after: Run
    seeded: list[Expected]
    failures: dict[str, str]


@pytest.fixture(scope="module")
def world(moto_server: str) -> Iterator[World]:
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()
    before = collect(moto_server, COLLECTED)
    seeder = Seeder(moto_server)
    failures: dict[str, str] = {}
    for seed in SEEDERS:
        try:
            seed(seeder)
        except Exception as e:  # a broken helper fails its own types, not the whole module
            failures[seed.__name__] = f"{type(e).__name__}: {e}"
    after = collect(moto_server, COLLECTED)
    yield World(before, after, seeder.out, failures)


def test_every_type_is_tested_or_explained() -> None:
    assert set(TESTED) | set(NOT_IN_MOTO) >= set(REGISTRY) - CORE_TYPES
    assert not set(NOT_IN_MOTO) - set(REGISTRY), "NOT_IN_MOTO names unknown types"


def test_seed_helpers_ran(world: World) -> None:
    assert world.failures == {}
    assert {e.resource_type for e in world.seeded} >= set(TESTED)


@pytest.mark.parametrize("rtype", TESTED)
def test_type_collected_exactly(world: World, rtype: str) -> None:
    result = world.after.results[rtype]
    assert result.status is Status.OK, (result.error_code, result.error_message)
    assert result.skipped_items == 0
    # Before seeding, the Organizations types find no organization: skipped, never ok-with-zero.
    result = world.before.results[rtype]
    if rtype in ORGANIZATIONS_SKIPPED_BEFORE:
        assert (result.status, result.error_code) == (
            Status.SKIPPED,
            "AWSOrganizationsNotInUseException",
        )
    else:
        assert result.status is Status.OK, (result.error_code, result.error_message)
    before = world.before.of(rtype)
    after = world.after.of(rtype)
    new = {arn: r for arn, r in after.items() if arn not in before}
    assert set(before) <= set(after), "a default resource vanished"
    expected = {e.arn: e for e in world.seeded if e.resource_type == rtype}
    assert expected, "nothing seeded"
    assert set(new) == set(expected)
    for arn, e in expected.items():
        got = new[arn]
        assert (got.resource_id, got.tags) == (e.resource_id, e.tags), arn
        assert got.account_id == ACCOUNT
        assert got.region == ("global" if REGISTRY[rtype].global_ else REGION)
        if e.name is not None:
            assert got.name == e.name, arn
    assert world.after.results[rtype].item_count == len(after)


def test_ids_are_unique_within_scope_and_type(world: World) -> None:
    """Two resources never share (account, region, type, resource_id): ECS services `web` in
    two clusters and a rule name on two buses are seeded."""
    seen: dict[tuple[str, str, str, str], str] = {}
    for r in world.after.records:
        key = (r.account_id, r.region, r.resource_type, r.resource_id)
        assert seen.setdefault(key, r.arn) == r.arn, f"{key} is {seen[key]} and {r.arn}"
    assert len(seen) == len(world.after.records)


def test_arns_are_documented(world: World) -> None:
    """Every ARN collected from moto's answers (AWS's own ARN members and our templates)
    matches a format of the Service Authorization Reference; where the format ends with a
    name, the ARN carries the item's name."""
    wrong: dict[str, str] = {}
    for r in world.after.records:
        if r.resource_type in MOTO_ARNS_DIFFER:
            continue
        fmt, why = documented_match(r.arn, "aws", r.name or r.resource_id)
        if r.resource_type in UNDOCUMENTED_ARNS:
            if fmt is not None:
                wrong[r.resource_type] = f"{r.arn} is documented now: drop it from the list"
        elif fmt is None:
            wrong.setdefault(r.resource_type, why)
    assert wrong == {}


def test_generic_fallback_lists_what_no_curated_type_calls(world: World, moto_server: str) -> None:
    # SNS ListSubscriptions (account-wide) is not curated: subscriptions are listed per topic.
    generic = {t.resource_type: t for t in select_types(["AWS::SNS::*"], [], generic=True)}
    rtype = generic["generic:sns:ListSubscriptions"]
    assert rtype.resource_type not in REGISTRY
    run = collect(moto_server, [rtype])
    assert run.results[rtype.resource_type].status is Status.OK
    got = {(r.resource_id, r.arn, r.service) for r in run.records}
    subscriptions = {e.arn for e in world.seeded if e.resource_type == "AWS::SNS::Subscription"}
    assert got == {(arn, arn, "sns") for arn in subscriptions}
