"""The benchmark's fake AWS endpoint, exercised with real aiobotocore clients."""

from __future__ import annotations

import asyncio
import math
import re
import textwrap
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import aiobotocore.session
import aiohttp
import boto3
import jmespath
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError

from benchmarks.fakeaws import (
    AccessRule,
    Account,
    Bucket,
    FakeAWS,
    FakeAWSProcess,
    FakeAWSThread,
    Faults,
    Scenario,
)

MEMBER = "200000000001"
SUSPENDED = "200000000009"

Client = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture(scope="module")
def session() -> Any:
    return aiobotocore.session.get_session()


def make_client(session: Any, fake: FakeAWS) -> Client:
    def client(
        service: str,
        region: str = "us-east-1",
        *,
        key: str | None = None,
        secret: str = "secret",
        token: str | None = None,
        attempts: int = 1,
        read_timeout: float = 10,
    ) -> AbstractAsyncContextManager[Any]:
        return session.create_client(  # type: ignore[no-any-return]
            service,
            region_name=region,
            endpoint_url=fake.url,
            aws_access_key_id=key or Scenario.access_key(fake.scenario.management.id),
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=Config(
                retries={"total_max_attempts": attempts, "mode": "standard"},
                read_timeout=read_timeout,
                connect_timeout=5,
            ),
        )

    return client


async def started(scenario: Scenario) -> FakeAWS:
    fake = FakeAWS(scenario)
    await fake.start()
    return fake


@pytest.fixture
async def fake() -> AsyncIterator[FakeAWS]:
    scenario = Scenario.simple(members=2, items={"AWS::EC2::Instance": 3, "AWS::EC2::Volume": 4})
    async with FakeAWS(scenario) as f:
        yield f


# -- paging --------------------------------------------------------------------------------------
# (resource type, service, paginator, page-size argument, items path, id of an item)
PAGED: list[tuple[str, str, str, dict[str, Any], str, Callable[[Any], str]]] = [
    ("AWS::EC2::Instance", "ec2", "describe_instances", {}, "Reservations[].Instances[]", lambda x: x["InstanceId"]),
    ("AWS::EC2::Volume", "ec2", "describe_volumes", {"PageSize": 6}, "Volumes", lambda x: x["VolumeId"]),
    ("AWS::EC2::SecurityGroup", "ec2", "describe_security_groups", {}, "SecurityGroups", lambda x: x["GroupId"]),
    ("AWS::EC2::Snapshot", "ec2", "describe_snapshots", {"OwnerIds": ["self"]}, "Snapshots", lambda x: x["SnapshotId"]),
    ("AWS::IAM::User", "iam", "list_users", {"PageSize": 6}, "Users", lambda x: x["UserName"]),
    ("AWS::IAM::ManagedPolicy", "iam", "list_policies", {"Scope": "Local"}, "Policies", lambda x: x["PolicyName"]),
    ("AWS::RDS::DBInstance", "rds", "describe_db_instances", {}, "DBInstances", lambda x: x["DBInstanceIdentifier"]),
    ("AWS::SNS::Topic", "sns", "list_topics", {}, "Topics", lambda x: x["TopicArn"].rsplit(":", 1)[1]),
    ("AWS::CloudFormation::Stack", "cloudformation", "describe_stacks", {}, "Stacks", lambda x: x["StackName"]),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "elbv2", "describe_load_balancers", {"PageSize": 6}, "LoadBalancers", lambda x: x["LoadBalancerName"]),
    ("AWS::DynamoDB::Table", "dynamodb", "list_tables", {"PageSize": 6}, "TableNames", lambda x: x),
    ("AWS::KMS::Key", "kms", "list_keys", {}, "Keys", lambda x: x["KeyId"]),
    ("AWS::SQS::Queue", "sqs", "list_queues", {"PageSize": 6}, "QueueUrls", lambda x: x.rsplit("/", 1)[1]),
    ("AWS::Lambda::Function", "lambda", "list_functions", {}, "Functions", lambda x: x["FunctionName"]),
    ("AWS::S3::Bucket", "s3", "list_buckets", {"PageSize": 6}, "Buckets", lambda x: x["Name"]),
    ("AWS::Route53::HostedZone", "route53", "list_hosted_zones", {"PageSize": 6}, "HostedZones", lambda x: x["Id"].split("/")[-1]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rtype", "service", "op", "args", "path", "ident"), PAGED, ids=[p[2] for p in PAGED]
)
async def test_paging_returns_every_item_exactly_once(
    session: Any,
    rtype: str,
    service: str,
    op: str,
    args: dict[str, Any],
    path: str,
    ident: Callable[[Any], str],
) -> None:
    n, cap = 23, 7
    scenario = Scenario.simple(members=1, items={rtype: n}, page_size={op_name(service, op): cap})
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        args = dict(args)
        page_size = args.pop("PageSize", None)
        config = {"PageSize": page_size} if page_size else {}
        async with client(service, "eu-west-1") as c:
            pages = [p async for p in c.get_paginator(op).paginate(**args, PaginationConfig=config)]
        got = [ident(x) for p in pages for x in _search(path, p)]
        region = (
            "global" if rtype.startswith(("AWS::S3", "AWS::IAM", "AWS::Route53")) else "eu-west-1"
        )
        expected = fake.world.resource_ids(scenario.management.id, region, rtype)
        assert len(expected) == n
        assert sorted(got) == sorted(expected)
        assert len(set(got)) == n
        per_page = min(page_size or cap, cap)
        assert len(pages) == math.ceil(n / per_page)
        st = fake.stats.ops[(scenario.management.id, "eu-west-1", service, op_name(service, op))]
        assert st.calls == len(pages)
        assert st.max_chain == len(pages)
        assert st.items == n


def op_name(service: str, op: str) -> str:
    return "".join(w.capitalize() for w in op.split("_")).replace("Db", "DB")


def _search(path: str, page: dict[str, Any]) -> list[Any]:
    return jmespath.search(path, page) or []


async def test_a_bad_token_is_refused(session: Any, fake: FakeAWS) -> None:
    async with make_client(session, fake)("ec2") as ec2:
        with pytest.raises(ClientError) as e:
            await ec2.describe_volumes(MaxResults=5, NextToken="bm90LWEtdG9rZW4")
    assert e.value.response["Error"]["Code"] == "InvalidPaginationToken"


async def test_instances_look_real(session: Any) -> None:
    scenario = Scenario.simple(members=0, items={"AWS::EC2::Instance": 30, "AWS::EC2::VPC": 2})
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2", "eu-west-1") as ec2:
        resp = await ec2.describe_instances()
        size = int(resp["ResponseMetadata"]["HTTPHeaders"]["content-length"])
    instances = [i for r in resp["Reservations"] for i in r["Instances"]]
    assert len(instances) == 30
    assert len(resp["Reservations"]) < 30  # a few reservations hold two instances
    assert 2500 < size / 30 < 6000  # bytes of XML per instance
    vpcs = set(fake.world.resource_ids(scenario.management.id, "eu-west-1", "AWS::EC2::VPC"))
    for inst in instances:
        assert re.fullmatch(r"i-0[0-9a-f]{16}", inst["InstanceId"])
        assert inst["VpcId"] in vpcs
        assert inst["Placement"]["AvailabilityZone"] == "eu-west-1a"
        assert inst["NetworkInterfaces"][0]["NetworkInterfaceId"].startswith("eni-")
        assert inst["NetworkInterfaces"][0]["PrivateIpAddress"] == inst["PrivateIpAddress"]
        assert inst["LaunchTime"].year >= 2023
        assert inst["State"]["Name"] in ("running", "stopped")
    tagged = [i for i in instances if i.get("Tags")]
    assert 0 < len(tagged) < len(instances)
    assert all(any(t["Key"] == "Name" for t in i["Tags"]) for i in tagged)


async def test_items_are_deterministic_from_the_seed() -> None:
    def ids(seed: int) -> list[str]:
        sc = Scenario.simple(members=0, items={"AWS::EC2::Volume": 5}, seed=seed)
        return FakeAWS(sc).world.resource_ids(sc.management.id, "us-east-1", "AWS::EC2::Volume")

    assert ids(1) == ids(1)
    assert ids(1) != ids(2)


async def test_malformed_items_lack_their_id(session: Any) -> None:
    scenario = Scenario.simple(
        members=0,
        items={"AWS::EC2::Volume": 10},
        faults=Faults(malformed_items={"AWS::EC2::Volume": 2}),
    )
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2") as ec2:
        vols = (await ec2.describe_volumes())["Volumes"]
    assert len(vols) == 10
    assert sum("VolumeId" not in v for v in vols) == 2


async def test_detail_calls(session: Any) -> None:
    items = {
        "AWS::S3::Bucket": 4,
        "AWS::DynamoDB::Table": 2,
        "AWS::KMS::Key": 2,
        "AWS::SQS::Queue": 2,
    }
    scenario = Scenario.simple(members=0, items=items, regions=["us-east-1", "eu-west-1"])
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        async with client("s3") as s3:
            buckets = (await s3.list_buckets())["Buckets"]
            regions = [
                (await s3.get_bucket_location(Bucket=b["Name"]))["LocationConstraint"]
                for b in buckets
            ]
            assert regions == [
                None if b["BucketRegion"] == "us-east-1" else b["BucketRegion"] for b in buckets
            ]
            assert {b["BucketRegion"] for b in buckets} == {"us-east-1", "eu-west-1"}
            with pytest.raises(ClientError) as e:
                await s3.get_bucket_tagging(Bucket=buckets[3]["Name"])  # every 4th is untagged
            assert e.value.response["Error"]["Code"] == "NoSuchTagSet"
            tags = (await s3.get_bucket_tagging(Bucket=buckets[0]["Name"]))["TagSet"]
            assert {"Key": "Name", "Value": buckets[0]["Name"]} in tags
        async with client("dynamodb") as ddb:
            name = (await ddb.list_tables())["TableNames"][1]
            table = (await ddb.describe_table(TableName=name))["Table"]
            assert table["TableName"] == name
            assert table["TableArn"].endswith(f":table/{name}")
        async with client("kms") as kms:
            key = (await kms.list_keys())["Keys"][0]
            meta = (await kms.describe_key(KeyId=key["KeyArn"]))["KeyMetadata"]
            assert (meta["KeyId"], meta["Arn"]) == (key["KeyId"], key["KeyArn"])
        async with client("sqs") as sqs:
            url = (await sqs.list_queues())["QueueUrls"][0]
            attrs = (await sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]))[
                "Attributes"
            ]
            assert attrs["QueueArn"].endswith(url.rsplit("/", 1)[1])
            with pytest.raises(ClientError) as e:
                await sqs.get_queue_attributes(QueueUrl=url + "-nope", AttributeNames=["All"])
            assert e.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


async def test_tag_calls_of_every_service(session: Any) -> None:
    types = [
        "AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::Lambda::Function",
        "AWS::Route53::HostedZone", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::SNS::Topic",
        "AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::SQS::Queue", "AWS::EC2::Instance",
    ]  # fmt: skip
    scenario = Scenario.simple(members=0, items=dict.fromkeys(types, 4))
    acct = scenario.management.id
    got: dict[tuple[str, str], dict[str, str]] = {}

    def put(
        rtype: str, ident: str, tags: list[dict[str, str]], k: str = "Key", v: str = "Value"
    ) -> None:
        got[(rtype, ident)] = {t[k]: t[v] for t in tags}

    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        async with client("iam") as iam:
            for u in (await iam.list_users())["Users"]:
                put(
                    "AWS::IAM::User",
                    u["UserName"],
                    (await iam.list_user_tags(UserName=u["UserName"]))["Tags"],
                )
            for r in (await iam.list_roles())["Roles"]:
                put(
                    "AWS::IAM::Role",
                    r["RoleName"],
                    (await iam.list_role_tags(RoleName=r["RoleName"]))["Tags"],
                )
            for p in (await iam.list_policies(Scope="Local"))["Policies"]:
                put(
                    "AWS::IAM::ManagedPolicy",
                    p["PolicyName"],
                    (await iam.list_policy_tags(PolicyArn=p["Arn"]))["Tags"],
                )
        async with client("lambda") as lam:
            for f in (await lam.list_functions())["Functions"]:
                tags = (await lam.list_tags(Resource=f["FunctionArn"]))["Tags"]
                got[("AWS::Lambda::Function", f["FunctionName"])] = tags
        async with client("route53") as r53:
            for z in (await r53.list_hosted_zones())["HostedZones"]:
                zid = z["Id"].split("/")[-1]
                r = await r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zid)
                put("AWS::Route53::HostedZone", zid, r["ResourceTagSet"].get("Tags", []))
        async with client("elbv2") as elb:
            lbs = {
                lb["LoadBalancerArn"]: lb["LoadBalancerName"]
                for lb in (await elb.describe_load_balancers())["LoadBalancers"]
            }
            for d in (await elb.describe_tags(ResourceArns=list(lbs)))["TagDescriptions"]:
                put("AWS::ElasticLoadBalancingV2::LoadBalancer", lbs[d["ResourceArn"]], d["Tags"])
        async with client("sns") as sns:
            for t in (await sns.list_topics())["Topics"]:
                arn = t["TopicArn"]
                put(
                    "AWS::SNS::Topic",
                    arn.rsplit(":", 1)[1],
                    (await sns.list_tags_for_resource(ResourceArn=arn))["Tags"],
                )
        async with client("dynamodb") as ddb:
            for name in (await ddb.list_tables())["TableNames"]:
                arn = (await ddb.describe_table(TableName=name))["Table"]["TableArn"]
                put(
                    "AWS::DynamoDB::Table",
                    name,
                    (await ddb.list_tags_of_resource(ResourceArn=arn))["Tags"],
                )
        async with client("kms") as kms:
            for k in (await kms.list_keys())["Keys"]:
                r = await kms.list_resource_tags(KeyId=k["KeyId"])
                put("AWS::KMS::Key", k["KeyId"], r["Tags"], "TagKey", "TagValue")
        async with client("sqs") as sqs:
            for url in (await sqs.list_queues())["QueueUrls"]:
                got[("AWS::SQS::Queue", url.rsplit("/", 1)[1])] = (
                    await sqs.list_queue_tags(QueueUrl=url)
                ).get("Tags", {})
        async with client("ec2") as ec2:
            for r in (await ec2.describe_instances())["Reservations"]:
                for inst in r["Instances"]:
                    put("AWS::EC2::Instance", inst["InstanceId"], inst.get("Tags", []))
        expected = {
            (t, rid): fake.world.tags_of(acct, region, t, rid)
            for t in types
            for region in ["global" if t.startswith(("AWS::IAM", "AWS::Route53")) else "us-east-1"]
            for rid in fake.world.resource_ids(acct, region, t)
        }
    assert got == expected
    assert len(got) == 4 * len(types)
    assert sum(not tags for tags in got.values()) == len(types)  # the 4th of every 4 is untagged


async def test_route53_tags_ten_zones_a_call(session: Any) -> None:
    """ListTagsForResources (what the collector calls) answers up to 10 zones by bare id, each
    with its own tags, and refuses 11 as Route 53 does (InvalidInput)."""
    scenario = Scenario.simple(members=0, items={"AWS::Route53::HostedZone": 23})
    acct = scenario.management.id
    async with FakeAWS(scenario) as fake, make_client(session, fake)("route53") as r53:
        ids = [
            z["Id"].split("/")[-1]
            for page in [await r53.list_hosted_zones(MaxItems="100")]
            for z in page["HostedZones"]
        ]
        assert len(ids) == 23
        got: dict[str, dict[str, str]] = {}
        for n in range(0, len(ids), 10):
            r = await r53.list_tags_for_resources(ResourceType="hostedzone", ResourceIds=ids[n : n + 10])
            assert [s["ResourceId"] for s in r["ResourceTagSets"]] == ids[n : n + 10]
            for tag_set in r["ResourceTagSets"]:
                assert tag_set["ResourceType"] == "hostedzone"
                got[tag_set["ResourceId"]] = {t["Key"]: t["Value"] for t in tag_set.get("Tags", [])}
        assert got == {z: fake.world.tags_of(acct, "global", "AWS::Route53::HostedZone", z) for z in ids}
        assert any(got.values())
        with pytest.raises(ClientError) as e:
            await r53.list_tags_for_resources(ResourceType="hostedzone", ResourceIds=ids[:11])
        assert e.value.response["Error"]["Code"] == "InvalidInput"


# -- throttling, faults ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("service", "call", "code", "status"),
    [
        ("ec2", lambda c: c.describe_vpcs(MaxResults=5), "RequestLimitExceeded", 503),
        ("iam", lambda c: c.list_users(), "Throttling", 400),
        ("dynamodb", lambda c: c.list_tables(), "ThrottlingException", 400),
        ("lambda", lambda c: c.list_functions(), "TooManyRequestsException", 429),
        ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
        ("sqs", lambda c: c.list_queues(), "RequestThrottled", 403),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
async def test_an_empty_bucket_answers_the_services_throttle_error(
    session: Any, service: str, call: Callable[[Any], Any], code: str, status: int
) -> None:
    scenario = Scenario.simple(members=0, throttle={service: Bucket(3, 0.001)})
    async with FakeAWS(scenario) as fake, make_client(session, fake)(service) as c:
        for _ in range(3):
            await call(c)
        with pytest.raises(ClientError) as e:
            await call(c)
        # the bucket is per (account, region, service): another region is not affected
        async with make_client(session, fake)(service, "eu-west-1") as other:
            await call(other)
    assert e.value.response["Error"]["Code"] == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert fake.stats.throttled(service=service) == 1
    assert fake.stats.calls(service=service) == 5


async def test_botocore_retries_through_throttling(session: Any) -> None:
    scenario = Scenario.simple(
        members=0, items={"AWS::EC2::Volume": 5}, throttle={"ec2": Bucket(2, 40)}
    )
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2", attempts=10) as ec2:
        results = await asyncio.gather(*(ec2.describe_volumes(MaxResults=5) for _ in range(12)))
    assert all(len(r["Volumes"]) == 5 for r in results)
    assert fake.stats.throttled(service="ec2") > 0
    assert fake.stats.calls(service="ec2") == 12 + fake.stats.throttled(service="ec2")
    assert sum(r["ResponseMetadata"]["RetryAttempts"] for r in results) > 0


async def test_unpaginated_ec2_describes_use_the_smaller_bucket(session: Any) -> None:
    scenario = Scenario.simple(
        members=0, throttle={"ec2": Bucket(100, 20), "ec2:unpaginated": Bucket(2, 0.001)}
    )
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2") as ec2:
        await ec2.describe_volumes()
        await ec2.describe_volumes()
        with pytest.raises(ClientError):
            await ec2.describe_volumes()
        await ec2.describe_volumes(MaxResults=5)  # paginated: the big bucket


async def test_server_errors_are_injected_and_retried(session: Any) -> None:
    scenario = Scenario.simple(members=0, faults=Faults(error_5xx_rate=0.3))
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        async with client("ec2") as ec2:
            codes = set()
            for _ in range(20):
                try:
                    await ec2.describe_vpcs(MaxResults=5)
                except ClientError as e:
                    codes.add(e.response["Error"]["Code"])
        assert codes <= {"InternalError", "Unavailable"} and codes
        async with client("ec2", attempts=8) as ec2:
            for _ in range(6):
                await ec2.describe_vpcs(MaxResults=5)
        async with client("sts") as sts:  # sts is spared unless named
            for _ in range(10):
                await sts.get_caller_identity()


async def test_slow_responses_pass_the_read_timeout(session: Any) -> None:
    scenario = Scenario.simple(members=0, faults=Faults(slow_rate=1.0, slow_delay_s=3))
    async with (
        FakeAWS(scenario) as fake,
        make_client(session, fake)("ec2", read_timeout=0.3) as ec2,
    ):
        with pytest.raises(ReadTimeoutError):
            await ec2.describe_vpcs(MaxResults=5)


async def test_latency_is_added_to_every_call(session: Any) -> None:
    scenario = Scenario.simple(members=0, latency_ms=150)
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2") as ec2:
        await ec2.describe_vpcs(MaxResults=5)
        t0 = asyncio.get_running_loop().time()
        await ec2.describe_vpcs(MaxResults=5)
        assert asyncio.get_running_loop().time() - t0 >= 0.15


async def test_access_denied_for_the_chosen_scope(session: Any) -> None:
    rules = [
        AccessRule(MEMBER, "ec2", region="eu-west-1"),
        AccessRule(MEMBER, "iam"),
        AccessRule(MEMBER, "dynamodb"),
        AccessRule(MEMBER, "sns"),
    ]
    scenario = Scenario.simple(members=2, faults=Faults(access_denied=rules))
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        member_key = Scenario.access_key(MEMBER)
        cases = [
            ("ec2", "eu-west-1", lambda c: c.describe_vpcs(MaxResults=5), "UnauthorizedOperation"),
            ("iam", "us-east-1", lambda c: c.list_roles(), "AccessDenied"),
            ("dynamodb", "us-east-1", lambda c: c.list_tables(), "AccessDeniedException"),
            ("sns", "us-east-1", lambda c: c.list_topics(), "AuthorizationError"),
        ]
        for service, region, call, code in cases:
            async with client(service, region, key=member_key) as c:
                with pytest.raises(ClientError) as e:
                    await call(c)
                assert e.value.response["Error"]["Code"] == code
            async with client(service, region) as c:  # the management account is not denied
                await call(c)
        async with client("ec2", "us-east-1", key=member_key) as c:  # other region
            await c.describe_vpcs(MaxResults=5)
        async with client("ec2", "ap-south-1") as c:  # a region that is not enabled
            with pytest.raises(ClientError) as e:
                await c.describe_vpcs(MaxResults=5)
            assert e.value.response["Error"]["Code"] == "AuthFailure"


# -- accounts and credentials -------------------------------------------------------------------------
async def test_account_comes_from_the_access_key_and_assume_role(session: Any) -> None:
    scenario = Scenario.simple(
        members=2,
        items={"AWS::EC2::Volume": 3},
        account_items={MEMBER: {"AWS::EC2::Volume": 5}},
        faults=Faults(assume_role_denied=["200000000002"]),
    )
    scenario.members.append(Account(SUSPENDED, "gone", status="SUSPENDED"))
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        async with client("sts", key="AKIAIOSFODNN7EXAMPLE") as sts:  # unknown key: management
            assert (await sts.get_caller_identity())["Account"] == scenario.management.id
            creds = (
                await sts.assume_role(
                    RoleArn=f"arn:aws:iam::{MEMBER}:role/Inventory", RoleSessionName="inv"
                )
            )["Credentials"]
            for denied in ("200000000002", SUSPENDED, "999999999999"):
                with pytest.raises(ClientError) as e:
                    await sts.assume_role(
                        RoleArn=f"arn:aws:iam::{denied}:role/Inventory", RoleSessionName="inv"
                    )
                assert e.value.response["Error"]["Code"] == "AccessDenied"
        assumed = {
            "key": creds["AccessKeyId"],
            "secret": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
        }
        async with client("sts", **assumed) as sts:
            ident = await sts.get_caller_identity()
        assert ident["Account"] == MEMBER
        assert ident["Arn"] == f"arn:aws:sts::{MEMBER}:assumed-role/Inventory/inv"
        async with client("ec2", **assumed) as ec2:
            vols = (await ec2.describe_volumes())["Volumes"]
        assert sorted(v["VolumeId"] for v in vols) == sorted(
            fake.world.resource_ids(MEMBER, "us-east-1", "AWS::EC2::Volume")
        )
        async with client("ec2", key=Scenario.access_key(MEMBER)) as ec2:  # static member key
            assert len((await ec2.describe_volumes())["Volumes"]) == 5
        assert fake.stats.calls(account=MEMBER, service="ec2") == 2


async def assumed_keys(client: Client) -> dict[str, str]:
    async with client("sts") as sts:
        creds = (
            await sts.assume_role(RoleArn=f"arn:aws:iam::{MEMBER}:role/r", RoleSessionName="inv")
        )["Credentials"]
    return {
        "key": creds["AccessKeyId"],
        "secret": creds["SecretAccessKey"],
        "token": creds["SessionToken"],
    }


async def test_assumed_credentials_expire(session: Any) -> None:
    scenario = Scenario.simple(members=1, faults=Faults(credential_ttl_s=2.0))
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        kw = await assumed_keys(client)
        async with client("ec2", **kw) as ec2, client("iam", **kw) as iam:
            await ec2.describe_vpcs(MaxResults=5)  # fine within the TTL (even on a busy machine)
            await asyncio.sleep(2.1)
            with pytest.raises(ClientError) as e:
                await ec2.describe_vpcs(MaxResults=5)
            assert e.value.response["Error"]["Code"] == "RequestExpired"
            with pytest.raises(ClientError) as e:
                await iam.list_roles()
            assert e.value.response["Error"]["Code"] == "ExpiredToken"


async def test_assumed_credentials_expire_after_a_number_of_calls(session: Any) -> None:
    scenario = Scenario.simple(members=1, faults=Faults(credential_ttl_calls=2))
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        kw = await assumed_keys(client)
        async with client("ec2", **kw) as ec2:
            for _ in range(2):
                await ec2.describe_vpcs(MaxResults=5)
            with pytest.raises(ClientError) as e:
                await ec2.describe_vpcs(MaxResults=5)
            assert e.value.response["Error"]["Code"] == "RequestExpired"
        fresh = await assumed_keys(client)  # a new key starts its own count
        async with client("ec2", **fresh) as ec2:
            await ec2.describe_vpcs(MaxResults=5)
        assert fake.stats.calls(account=MEMBER, service="ec2") == 3


async def test_organizations(session: Any) -> None:
    scenario = Scenario.simple(members=5, ous=["prod", "dev"])
    for i, a in enumerate(scenario.members):
        a.ou = ("prod", "dev", "")[i % 3]
    async with FakeAWS(scenario) as fake:
        client = make_client(session, fake)
        async with client("organizations") as org:
            pages = [
                p
                async for p in org.get_paginator("list_accounts").paginate(
                    PaginationConfig={"PageSize": 2}
                )
            ]
            assert len(pages) == 3
            ids = [a["Id"] for p in pages for a in p["Accounts"]]
            assert sorted(ids) == sorted(a.id for a in scenario.accounts)
            root = (await org.list_roots())["Roots"][0]["Id"]
            ous = (await org.list_organizational_units_for_parent(ParentId=root))[
                "OrganizationalUnits"
            ]
            assert [o["Name"] for o in ous] == ["prod", "dev"]
            prod = [
                a["Id"]
                for a in (await org.list_accounts_for_parent(ParentId=ous[0]["Id"]))["Accounts"]
            ]
            assert prod == [a.id for a in scenario.members if a.ou == "prod"]
            children = (await org.list_children(ParentId=root, ChildType="ACCOUNT"))["Children"]
            assert {c["Id"] for c in children} == {a.id for a in scenario.accounts if not a.ou}
            desc = (await org.describe_organization())["Organization"]
            assert desc["MasterAccountId"] == scenario.management.id
        async with client("organizations", key=Scenario.access_key(MEMBER)) as org:
            with pytest.raises(ClientError) as e:
                await org.list_accounts()
            assert e.value.response["Error"]["Code"] == "AccessDeniedException"


async def test_describe_regions(session: Any) -> None:
    scenario = Scenario.simple(members=0, regions=["us-east-1", "eu-west-1", "af-south-1"])
    async with FakeAWS(scenario) as fake, make_client(session, fake)("ec2") as ec2:
        enabled = (await ec2.describe_regions())["Regions"]
        every = (await ec2.describe_regions(AllRegions=True))["Regions"]
    assert [r["RegionName"] for r in enabled] == scenario.regions
    assert {r["RegionName"] for r in every} == set(scenario.regions) | set(
        scenario.not_opted_in_regions
    )
    assert {r["OptInStatus"] for r in every if r["RegionName"] == "ap-east-1"} == {"not-opted-in"}


# -- counters ----------------------------------------------------------------------------------------
async def test_stats_endpoint_and_reset(session: Any, fake: FakeAWS) -> None:
    async with make_client(session, fake)("ec2") as ec2:
        for _ in range(4):
            await ec2.describe_instances()
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.url}/_fake/stats") as r:
            data = await r.json()
        row = next(o for o in data["ops"] if o["operation"] == "DescribeInstances")
        assert row == {
            "account": fake.scenario.management.id,
            "region": "us-east-1",
            "service": "ec2",
            "operation": "DescribeInstances",
            "calls": 4,
            "throttled": 0,
            "errors": 0,
            "items": 12,
            "max_chain": 1,
        }
        assert data["max_rate"] == [
            {
                "account": fake.scenario.management.id,
                "region": "us-east-1",
                "service": "ec2",
                "max_rate_1s": 4,
            }
        ]
        assert data["process_cpu_s"] > 0
        async with http.post(f"{fake.url}/_fake/reset") as r:
            assert r.status == 200
        async with http.get(f"{fake.url}/_fake/stats") as r:
            assert (await r.json())["ops"] == []
    assert fake.stats.calls() == 0


def test_scenario_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        textwrap.dedent(
            """
            seed = 7
            regions = ["us-east-1", "eu-central-1"]
            member_count = 3
            latency_ms = 5
            [management]
            id = "123456789012"
            name = "root"
            [items]
            "AWS::EC2::Instance" = 100
            [page_size]
            "ec2:DescribeInstances" = 50
            [throttle.ec2]
            capacity = 100
            refill_per_s = 20
            [throttle]
            iam = [10, 2]
            [faults]
            error_5xx_rate = 0.01
            credential_ttl_s = 900
            [[faults.access_denied]]
            account = "200000000001"
            service = "ec2"
            region = "eu-central-1"
            [faults.malformed_items]
            "AWS::EC2::Volume" = 1
            """
        )
    )
    sc = Scenario.load(path)
    assert sc.management.id == "123456789012"
    assert [a.id for a in sc.members] == ["200000000001", "200000000002", "200000000003"]
    assert sc.count("200000000002", "AWS::EC2::Instance") == 100
    assert sc.page_cap("ec2", "DescribeInstances") == 50
    assert sc.throttle["ec2"] == Bucket(100, 20) and sc.throttle["iam"] == Bucket(10, 2)
    assert sc.faults.access_denied == [AccessRule("200000000001", "ec2", "eu-central-1")]
    assert sc.faults.malformed_items == {"AWS::EC2::Volume": 1}
    with pytest.raises(ValueError, match="unknown scenario keys"):
        Scenario.from_dict({"regoins": ["us-east-1"]})
    assert Scenario.from_dict(sc.to_dict()) == sc


def test_thread_runner_with_a_sync_client() -> None:
    scenario = Scenario.simple(
        members=0, items={"AWS::EC2::Subnet": 12}, page_size={"DescribeSubnets": 5}
    )
    with FakeAWSThread(scenario) as fake:
        ec2 = boto3.client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=fake.url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="x",
        )
        subnets = [
            s for p in ec2.get_paginator("describe_subnets").paginate() for s in p["Subnets"]
        ]
        ec2.close()
        assert len(subnets) == 12
        st = fake.stats()
        assert (
            st.ops[(scenario.management.id, "us-east-1", "ec2", "DescribeSubnets")].max_chain == 3
        )
        fake.reset()
        assert fake.stats().calls() == 0


def test_process_runner() -> None:
    scenario = Scenario.simple(members=0, items={"AWS::IAM::Role": 3})
    with FakeAWSProcess(scenario) as fake:
        iam = boto3.client(
            "iam",
            region_name="us-east-1",
            endpoint_url=fake.url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="x",
        )
        assert len(iam.list_roles()["Roles"]) == 3
        iam.close()
        assert fake.stats().calls(service="iam", operation="ListRoles") == 1
