"""Every curated type moto cannot serve, collected from the simulated endpoint.

benchmarks/fakeaws in its generic mode (generic.py, shapes.py) answers each type's list call
with three items generated from botocore's output shape (two to a page, with the operation's
own token), and every describe, get and tag call that names one of them from that call's
output shape, with the same item's values. The collector's real engine (Fetcher, Sessions)
collects one scope; every record is then checked against what the fake served, never against
the collector's formulas: one record per served item, its id a value served for it (or its
parent's, for ids joined from both), its name, tags and creation time as served, and its ARN
in a format of the Service Authorization Reference (the served ARN members are made from
those formats; the collector's templates must agree), ending with the name where the format
ends with a name.
"""

from __future__ import annotations

import asyncio
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import botocore.session
import pytest
from botocore import xform_name

from benchmarks.fakeaws import FakeAWSThread, Scenario
from benchmarks.fakeaws.generic import GenericAWS, ListSpec
from benchmarks.fakeaws.shapes import TOKEN, Item
from benchmarks.fakeaws.wire import service_model
from collector.engine.plan import plan_jobs
from collector.records import Record, ScanResult, Status
from collector.registry import CORE_TYPES, REGISTRY, ResourceType
from collector.registry.docs import NOT_IN_MOTO
from collector.registry.references import UNDOCUMENTED_ARNS
from tests.fetching import fetch_all
from tests.references import documented_match, sar

ACCOUNT = Scenario().management.id  # the fake's account of any unknown access key
REGION = "us-east-1"
CORE_SERVED = CORE_TYPES  # the fake's hand-written handlers serve these as parents

# Types the generic mode cannot serve, with the reason: not collected here, each reported as
# an expected failure with its reason (none so far: a type whose items path is not plain, or
# whose list call the fake cannot answer, fails alone and says to be listed here).
NOT_SIMULATED: dict[str, str] = {}

# Member values a type's items must have to be of that type, where one list call answers for
# several types that the declarations tell apart (`where`, a filtered detail): what AWS would
# answer for an item of the type, set on the generated items.
_LB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/0123456789abcdef"
ITEM_VALUES: dict[str, dict[str, object]] = {
    "AWS::Cloud9::EnvironmentEC2": {"type": "ec2"},
    **{
        f"AWS::DataSync::Location{kind}": {"LocationUri": f"{scheme}://example/path/"}
        for kind, scheme in (("EFS", "efs"), ("FSxLustre", "fsxl"), ("FSxWindows", "fsxw"),
                             ("HDFS", "hdfs"), ("NFS", "nfs"), ("ObjectStorage", "object-storage"),
                             ("S3", "s3"), ("SMB", "smb"))
    },
    "AWS::Route53Resolver::FirewallDomainList": {"ManagedOwnerName": None},  # not AWS-managed
    "AWS::Shield::Protection": {"ResourceArn": "arn:aws:cloudfront::111111111111:distribution/E1"},
    "AWS::ShieldRegional::Protection": {"ResourceArn": _LB},
    "AWS::ServiceDiscovery::HttpNamespace": {"Type": "HTTP"},
    "AWS::Redshift::ClusterSnapshot": {"SnapshotType": "manual"},
    "AWS::ServiceCatalog::CloudFormationProvisionedProduct": {"Type": "CFN_STACK"},
    # ListTags answers per trail, event data store or channel ARN; an OIDC provider's URL is
    # its ARN's last part.
    **{f"AWS::CloudTrail::{kind}": {"ResourceId": "{arn}"}
       for kind in ("Trail", "EventDataStore", "Channel")},
    # One DescribeSecurityGroupRules answers both directions.
    "AWS::EC2::SecurityGroupIngress": {"IsEgress": False},
    "AWS::EC2::SecurityGroupEgress": {"IsEgress": True},
    "AWS::IAM::OIDCProvider": {"Url": "{name}"},
    "AWS::RDS::EventSubscription": {"CustSubscriptionId": "{name}"},  # its name, in its ARN
    "AWS::ServiceDiscovery::PrivateDnsNamespace": {"Type": "DNS_PRIVATE"},
    "AWS::ServiceDiscovery::PublicDnsNamespace": {"Type": "DNS_PUBLIC"},
}  # fmt: skip

# Items a list call answers where AWS allows fewer than the default three: one S3 Access
# Grants instance a region (its ARN, `access-grants/default`, says so).
ITEM_COUNTS = {"AWS::S3::AccessGrantsInstance": 1}

TESTED = sorted(n for n in NOT_IN_MOTO if n in REGISTRY)
_PATH = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\[\]$")


def _ancestors(rtype: ResourceType) -> list[ResourceType]:
    out = []
    while rtype.parent is not None:
        rtype = REGISTRY[rtype.parent]
        out.append(rtype)
    return out


def _operation(rtype: ResourceType) -> str:
    names = {xform_name(op): op for op in service_model(rtype.service).operation_names}
    return str(names[rtype.operation])


def _spec(rtype: ResourceType) -> ListSpec:
    if not _PATH.match(rtype.items):
        raise ValueError(f"{rtype.resource_type}: items {rtype.items!r} is not a plain path")
    return ListSpec(rtype.resource_type, rtype.service, _operation(rtype), rtype.items[:-2],
                    dict(rtype.params), count=ITEM_COUNTS.get(rtype.resource_type, 3),
                    global_=rtype.global_, values=ITEM_VALUES.get(rtype.resource_type, {}))  # fmt: skip


# --- ARNs as AWS documents them: the served ARN members are made from the reference -----------
# The reference's resource of a type where its name does not say it.
ARN_RESOURCE = {
    "AWS::RDS::EventSubscription": "es",
    "AWS::EC2::SecurityGroupIngress": "security-group-rule",
    "AWS::EC2::SecurityGroupEgress": "security-group-rule",
}
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _arn_prefix(rtype: ResourceType) -> str | None:
    if rtype.arn_template is not None:
        return rtype.arn_template.split(":")[2]
    meta = service_model(rtype.service).metadata
    for prefix in (rtype.service, meta.get("signingName"), meta.get("endpointPrefix")):
        if prefix and isinstance(sar().get(prefix), dict):
            return str(prefix)
    return None


def _arn_format(rtype: ResourceType) -> str | None:
    prefix = _arn_prefix(rtype)
    if prefix is None or not isinstance(sar().get(prefix), dict):
        return None
    formats = {_norm(k): v["arn"] for k, v in sar()[prefix]["resources"].items()}
    noun = _norm(ARN_RESOURCE.get(rtype.resource_type, rtype.short_name.split("::")[-1]))
    inside = sorted((k for k in formats if len(k) > 3 and (k in noun or noun in k)), key=len,
                    reverse=True)  # fmt: skip
    best = formats.get(noun) or (formats[inside[0]] if inside else None)
    if best is None:
        close = difflib.get_close_matches(noun, list(formats), n=1, cutoff=0.0)
        best = formats[close[0]] if close else None
    return best


def _noun(text: str) -> str:
    return _norm(re.sub(r"(Name|Id|ID|Identifier|Arn)$", "", text.rsplit("::", 1)[-1]))


def _same_noun(a: str, b: str) -> bool:
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def make_arn(item: Item) -> str:
    """The item's ARN in the reference's format: a placeholder named for an ancestor type
    (`${ClusterName}`) is that ancestor's name; the item's own (named for its type, a
    `...Name` first, else the last `...Name`, else the last) its name."""
    fmt = _arn_format(REGISTRY[item.resource_type])
    if fmt is None:
        return f"arn:{item.partition}:unknown:{item.region}:{item.account}:x/{item.name}"
    fixed = ("Partition", "Region", "Account", "Vendor")
    names = [m for m in _PLACEHOLDER.findall(fmt) if m not in fixed]
    if not names:  # `endpoint:*`: the reference names no part (DMS)
        head, _, tail = fmt.rpartition(":")
        fmt, names = f"{head}:{tail.replace('*', '${Own}')}", ["Own"]
    ancestors = item.ancestors()
    kin = {m: next((a for a in ancestors if _same_noun(_noun(m), _noun(a.resource_type))), None)
           for m in names}  # fmt: skip
    mine = _noun(item.resource_type)
    free = [m for m in reversed(names) if kin[m] is None]
    named = [m for m in free if m.endswith("Name")]
    own = next(
        (m for m in [*named, *free] if _same_noun(_noun(m), mine)),
        named[0] if named else names[-1],
    )
    parents = [a.name for a in ancestors]
    values = {"Partition": item.partition, "Region": item.region, "Account": item.account,
              "Vendor": str(_arn_prefix(REGISTRY[item.resource_type]))}  # fmt: skip
    for m in names:
        found = kin[m]
        if m == own:
            values[m] = item.name
        elif found is not None:
            values[m] = found.name
        elif m.endswith("Name") and parents:
            values[m] = parents.pop(0)
        else:
            values[m] = f"x{item.token[2:]}"
    return _PLACEHOLDER.sub(lambda mm: values[mm.group(1)], fmt)


# --- one collection over the fake, shared by the module ---------------------------------------
@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    results: dict[str, ScanResult] = field(default_factory=dict)
    served: dict[str, list[Item]] = field(default_factory=dict)
    unservable: dict[str, str] = field(default_factory=dict)


@cache
def _offered(service: str) -> list[str]:
    return list(botocore.session.get_session().get_available_regions(service))


def region_of(rtype: ResourceType) -> str:
    """REGION, or the first region botocore offers the service in (Device Farm: us-west-2)."""
    if rtype.global_:
        return REGION
    offered = _offered(rtype.service)
    return REGION if REGION in offered or not offered else sorted(offered)[0]


async def _collect(url: str, types: list[ResourceType]) -> Run:
    run = Run()
    jobs = [j for t in types for j in plan_jobs(ACCOUNT, [region_of(t)], [t])]
    run.records, results = await fetch_all(url, ACCOUNT, jobs, max_attempts=1)
    run.results = {r.resource_type: r for r in results}
    return run


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    # Some APIs are served from `api.<host>`, `monitor.<host>` (botocore's host prefixes); the
    # collector sends them to the custom endpoint's own host (collector.aws.sessions).
    yield from _run()


def _run() -> Iterator[Run]:
    wanted = [REGISTRY[n] for n in TESTED if n not in NOT_SIMULATED]
    chain = {t.resource_type: t for w in wanted for t in [w, *_ancestors(w)]}
    specs, unservable = [], {}
    for name, t in sorted(chain.items()):
        if name not in CORE_SERVED:
            try:
                specs.append(_spec(t))
            except (ValueError, KeyError) as e:  # that type fails alone, with the reason
                unservable[name] = str(e)
    chain = {n: t for n, t in chain.items() if n not in unservable}
    core = {n: 2 for n in chain if n in CORE_SERVED}
    # Global services are signed for their home region (Global Accelerator: us-west-2).
    regions = {t.home_region if t.global_ else region_of(t) for t in chain.values()}
    fake = FakeAWSThread(Scenario(regions=sorted(regions | {REGION}), items=core))
    fake.fake.generic = GenericAWS(specs, arn=make_arn)
    fake.start()
    try:
        out = asyncio.run(_collect(fake.url, list(chain.values())))
    finally:
        fake.stop()
    out.served = fake.fake.generic.items
    out.unservable = unservable
    yield out


def test_every_type_not_in_moto_is_simulated() -> None:
    assert set(TESTED) == set(NOT_IN_MOTO) & set(REGISTRY) - CORE_TYPES
    assert not set(NOT_SIMULATED) - set(TESTED), "NOT_SIMULATED names a type tested elsewhere"
    assert all(NOT_SIMULATED.values())


def _item_of(record: Record, served: list[Item]) -> Item:
    tokens = {i.token: i for i in served}
    for text in (record.resource_id, record.arn, record.name or ""):
        mine = [tokens[t] for t in TOKEN.findall(text) if t in tokens]
        if mine:
            return mine[-1]
    raise AssertionError(f"{record.resource_id} / {record.arn} names no served item")


def _id_served(resource_id: str, item: Item) -> bool:
    """The id is a value served for the item, or values served for it and its parents joined
    (`cluster/addon`, `family:revision`, `<flow ARN>/<name>`)."""
    values = {str(v) for i in [item, *item.ancestors()] for v in i.served.values()}
    values |= {i.name for i in [item, *item.ancestors()]}
    left = resource_id
    for value in sorted(values, key=len, reverse=True):
        if value and value in left:
            left = left.replace(value, "")
    return not left.strip("/:|")


@pytest.mark.parametrize("rtype", TESTED)
def test_type_collected_as_served(run: Run, rtype: str) -> None:
    if rtype in NOT_SIMULATED:
        pytest.xfail(NOT_SIMULATED[rtype])
    decl = REGISTRY[rtype]
    assert rtype not in run.unservable, (
        f"cannot be served generically ({run.unservable[rtype]}): list it in NOT_SIMULATED"
    )
    result = run.results[rtype]
    assert result.status is Status.OK, (result.error_code, result.error_message)
    assert (result.skipped_items, result.detail_errors) == (0, 0)
    served = run.served.get(rtype, [])
    assert served, "the fake served nothing: the list call never reached it"
    records = [r for r in run.records if r.resource_type == rtype]
    items = [_item_of(r, served) for r in records]
    assert sorted(i.token for i in items) == sorted(i.token for i in served)
    assert len({r.resource_id for r in records}) == len(records), "resource_id is not unique"
    for record, item in zip(records, items, strict=True):
        assert record.account_id == ACCOUNT
        if isinstance(decl.region, str):  # the resource's own region (S3's BucketRegion)
            assert record.region == item.served.get(decl.region)
        else:
            assert record.region == ("global" if decl.global_ else region_of(decl))
        assert _id_served(record.resource_id, item), f"{record.resource_id} was not served"
        # The name is what was served for the item under the member the type reads (an id
        # where the API has no name): checked as served, and below against the ARN's format.
        if decl.name is None:
            assert record.name is None
        else:
            assert record.name is not None and _id_served(record.name, item), record.name
        assert record.tags == (item.tags if decl.tags is not None else {})
        assert record.created_at == (item.created if decl.created is not None else None)
        fmt, why = documented_match(record.arn, "aws", record.name or record.resource_id)
        if rtype in UNDOCUMENTED_ARNS:
            # The served ARN members follow the reference; a real one does not (see the note).
            if decl.arn is not None:
                assert record.arn == item.arn
            else:
                assert fmt is None, f"{record.arn} is documented now: drop it from the list"
        else:
            assert fmt is not None, why
