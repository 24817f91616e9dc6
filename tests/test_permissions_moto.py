"""The generated policies, enforced: a collection under exactly `inventory iam-policy`'s
policies on a moto server that checks IAM, then again with one action taken away.

moto enforces IAM in server mode once `INITIAL_NO_AUTH_ACTION_COUNT` requests have been served
(its `/moto-api/reset-auth` endpoint sets that count on a running server). It then checks the
signature of every request against the IAM users' access keys and the roles' STS sessions, and
evaluates the caller's identity policies (inline and attached) for `<signing name>:<Operation>`
with the request's resource where moto knows it (the role ARN of sts:AssumeRole, SQS queue
ARNs; "*" elsewhere), S3 with its own action names (ListAllMyBuckets, GetBucketTagging, ...).

So this checks end to end, for the types below: the principal (an IAM user in the management
account) runs GetCallerIdentity, Organizations ListAccounts and AssumeRole on the member role
(scoped by ARN); the member role (a real role in the member account, trusted by the user)
answers DescribeRegions and every list and detail call of the types; the management account is
collected by the user itself with the member policies attached too.

What moto cannot check, and is left to tests/test_permissions.py (the Service Authorization
Reference): services whose IAM prefix is not their signing name (CloudWatch signs as
`monitoring`, moto asks for monitoring:DescribeAlarms); API Gateway and Lambda (moto's
signature check fails on their REST calls, SignatureDoesNotMatch whatever the policy; and moto
would ask for apigateway:GetRestApis where IAM wants apigateway:GET on a path); Organizations'
errors in member accounts (moto answers an XML AccessDenied, read as "403", where AWS answers
AccessDeniedException, which the registry treats as "not the management account"), so the
Organizations types stay out; trust policies of
roles in another account (moto lets the user assume a role that does not trust it);
resource-level scoping except where moto knows the resource (sts:AssumeRole's role ARN is
checked); conditions and SCPs.

The server is this module's own ThreadedMotoServer. moto keeps its backends and the auth
setting in module globals, shared with any other moto server of the process, so the fixture
resets the backends first and turns enforcement off again when the module is done.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from collector.aws.policy import PolicySet, build
from collector.config import parse
from collector.demo.seed import management_session, member_session, seed_organization
from collector.engine.plan import choose_types
from collector.run.collect import Collector

REGION = "us-east-1"
ROLE = "InventoryReadOnly"
USER = "inventory-collector"
OTHER = "SomeOtherRole"
TYPES = [
    "AWS::EC2::VPC", "AWS::EC2::SecurityGroup", "AWS::EC2::Instance", "AWS::S3::Bucket",
    "AWS::IAM::Role", "AWS::IAM::User", "AWS::SQS::Queue", "AWS::SNS::Topic",
    "AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::RDS::DBInstance",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
]  # fmt: skip


def _post(url: str, path: str, body: bytes = b"") -> None:
    # text/plain: a form body would be parsed away before moto reads it.
    request = urllib.request.Request(
        f"{url}{path}", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(request).close()


def _enforce(url: str, on: bool) -> None:
    """IAM checked from the next request on (0 unauthenticated requests left), or never."""
    _post(url, "/moto-api/reset-auth", b"0" if on else b"inf")


@dataclass
class Org:
    url: str
    management: str
    member: str
    keys: tuple[str, str]
    policies: PolicySet
    tmp: Path


def _config(endpoint: str, db: str, role_name: str = ROLE) -> Any:
    session = boto3.session.Session()
    # moto's DescribeRegions answers the regions of every partition.
    others = sorted({r for p in session.get_available_partitions()
                     for r in session.get_available_regions("ec2", p)})  # fmt: skip
    return parse(
        {
            "database": {"url": db},
            "aws": {"endpoint_url": endpoint, "region": REGION, "max_attempts": 1},
            "accounts": {"source": "organizations", "role_name": role_name},
            # "enabled": DescribeRegions in every account, then every region but one left out.
            "regions": {"include": ["enabled"], "exclude": [r for r in others if r != REGION]},
            "resources": {"include": TYPES},
        }
    )


# Where moto asks for another action than IAM does (the generated policy has IAM's, checked
# against the Service Authorization Reference in tests/test_permissions.py): moto's S3 has no
# name for GET ?encryption and falls back to s3:ListBucket, where IAM's action is
# s3:GetEncryptionConfiguration. Granted on the side, to moto only, so that its misnaming does
# not read as a missing grant; the generated policy never has s3:ListBucket (it lists objects).
MOTO_NAMES = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "*"}]}  # fmt: skip


def _attach(iam: Any, documents: list[dict[str, Any]], prefix: str, **target: str) -> None:
    for i, document in enumerate(documents, 1):
        arn = iam.create_policy(PolicyName=f"{prefix}{i}", PolicyDocument=json.dumps(document))[
            "Policy"
        ]["Arn"]
        if "UserName" in target:
            iam.attach_user_policy(PolicyArn=arn, **target)
        else:
            iam.attach_role_policy(PolicyArn=arn, **target)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    _post(url, "/moto-api/reset")
    try:
        manifest = seed_organization(url, members=1, regions=[REGION], per_type=1)
        management, member = manifest.management_account_id, manifest.member_account_ids[0]
        cfg = _config(url, "sqlite://")
        policies = build(cfg, choose_types(cfg))
        iam = management_session().client("iam", endpoint_url=url)
        user_arn = iam.create_user(UserName=USER)["User"]["Arn"]
        key = iam.create_access_key(UserName=USER)["AccessKey"]
        _attach(iam, [p.document for p in policies.management], "collector", UserName=USER)
        _attach(iam, [p.document for p in policies.member], "collector-read", UserName=USER)
        _attach(iam, [MOTO_NAMES], "moto-names", UserName=USER)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action":
                 "sts:AssumeRole", "Principal": {"AWS": user_arn}}]}  # fmt: skip
        member_iam = member_session(url, member, REGION).client("iam", endpoint_url=url)
        member_iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
        # Trusts the collector too, but is not the role its policy names.
        member_iam.create_role(RoleName=OTHER, AssumeRolePolicyDocument=json.dumps(trust))
        _attach(member_iam, [p.document for p in policies.member], "read", RoleName=ROLE)
        _attach(member_iam, [MOTO_NAMES], "moto-names", RoleName=ROLE)
        yield Org(url, management, member, (key["AccessKeyId"], key["SecretAccessKey"]),
                  policies, tmp_path_factory.mktemp("perm"))  # fmt: skip
    finally:
        _enforce(url, False)
        _post(url, "/moto-api/reset")
        server.stop()


def _collect(
    org: Org, name: str, role_name: str = ROLE
) -> tuple[int, list[tuple[str, str, str, Any, Any]]]:
    """One run as the collector's user with IAM enforced: the exit code and the ledger."""
    db = org.tmp / f"{name}.db"
    url = f"sqlite:///{db}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", org.keys[0])
        env.setenv("AWS_SECRET_ACCESS_KEY", org.keys[1])
        _enforce(org.url, True)
        try:
            cfg = _config(org.url, url, role_name)
            summary = asyncio.run(Collector(cfg, url).run())
        finally:
            _enforce(org.url, False)
    with sqlite3.connect(db) as conn:
        ledger = conn.execute(
            "SELECT account_id, resource_type, status, error_code, error_message FROM scan_results"
        ).fetchall()
    return summary.exit_code, ledger


def test_the_generated_policy_is_enough(org: Org) -> None:
    code, ledger = _collect(org, "full")
    bad = sorted({(a, t, c) for a, t, s, c, *_ in ledger if s != "ok"})
    assert bad == [], bad[:40]
    assert code == 0
    # Every type in both accounts, and the member role was really used.
    assert {(a, t) for a, t, *_ in ledger} == {
        (a, t) for a in (org.management, org.member) for t in TYPES
    }


def _without(org: Org, action: str) -> None:
    """Take `action` out of the member role's and the user's policies."""
    for session in (member_session(org.url, org.member, REGION), management_session()):
        iam = session.client("iam", endpoint_url=org.url)
        for policy in iam.list_policies(Scope="Local")["Policies"]:
            if not policy["PolicyName"].startswith(("read", "collector")):
                continue
            version = iam.get_policy_version(
                PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"]
            )["PolicyVersion"]["Document"]
            document = json.loads(version) if isinstance(version, str) else version
            for statement in document["Statement"]:
                statement["Action"] = [a for a in statement["Action"] if a != action]
            document["Statement"] = [st for st in document["Statement"] if st["Action"]]
            iam.create_policy_version(
                PolicyArn=policy["Arn"], PolicyDocument=json.dumps(document), SetAsDefault=True
            )


@pytest.mark.parametrize(
    ("action", "failing", "listing"),
    [
        ("sqs:ListQueues", "AWS::SQS::Queue", True),
        ("ec2:DescribeSecurityGroups", "AWS::EC2::SecurityGroup", True),
        ("s3:GetBucketTagging", "AWS::S3::Bucket", False),  # S3's own action names
        ("elasticloadbalancing:DescribeTags", "AWS::ElasticLoadBalancingV2::LoadBalancer", False),
        # A global type; ListRoles is now a listing detail of GAAD's roles (their Description
        # and MaxSessionDuration): denied, it costs those fields only.
        ("iam:ListRoles", "AWS::IAM::Role", False),
    ],
)
def test_one_action_less_fails_exactly_its_type(
    org: Org, action: str, failing: str, listing: bool
) -> None:
    assert action in {a for p in org.policies.member for a in p.actions}
    _without(org, action)
    try:
        code, ledger = _collect(org, action.replace(":", "-"))
    finally:
        _restore(org)
    # Affected: an error row, or an ok row carrying an error (a denied detail call is meant to
    # cost only the item's detail fields, not the type: issue 12).
    affected = {(a, t) for a, t, status, c, _ in ledger if status != "ok" or c is not None}
    assert affected == {(org.management, failing), (org.member, failing)}
    # SQS speaks JSON and moto answers its AccessDenied in XML: botocore keeps the status (403)
    # as the code and the body as the message.
    errors = {f"{c} {m}" for a, t, _, c, m in ledger if (a, t) in affected}
    assert all("AccessDenied" in e for e in errors), errors
    if listing:  # the type could not be listed: the run is partial
        assert code == 1


def _restore(org: Org) -> None:
    """Back to the generated policies: the first version of each is the generated one."""
    for session in (member_session(org.url, org.member, REGION), management_session()):
        iam = session.client("iam", endpoint_url=org.url)
        for policy in iam.list_policies(Scope="Local")["Policies"]:
            if policy["DefaultVersionId"] == "v1":
                continue
            iam.set_default_policy_version(PolicyArn=policy["Arn"], VersionId="v1")
            for version in iam.list_policy_versions(PolicyArn=policy["Arn"])["Versions"]:
                if version["VersionId"] != "v1":  # IAM keeps five versions at most
                    iam.delete_policy_version(
                        PolicyArn=policy["Arn"], VersionId=version["VersionId"]
                    )


def test_the_principal_assumes_only_the_member_role(org: Org) -> None:
    """sts:AssumeRole is scoped to the role's name: another role that trusts the collector is
    refused (the account gets one error row, the run goes on); without the action, the member
    role too."""
    for name, role in (("other", OTHER), ("no-assume", ROLE)):
        if name == "no-assume":
            _without(org, "sts:AssumeRole")
        try:
            code, ledger = _collect(org, name, role_name=role)
        finally:
            _restore(org)
        failed = {(a, t, c, "sts:AssumeRole" in m) for a, t, s, c, m in ledger if s != "ok"}
        assert failed == {(org.member, "*", "AccessDenied", True)}, name
        assert {a for a, t, s, *_ in ledger if s == "ok"} == {org.management}
        assert code == 1
