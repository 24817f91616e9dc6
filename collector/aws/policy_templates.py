"""The policies of `collector.aws.policy` as something to deploy: a JSON summary, a
CloudFormation template (StackSet-ready) and the equivalent Terraform.

Both templates create, in a member account, a dedicated read-only role trusted by the
collector's principal (a parameter / variable), with an optional ExternalId condition, and the
member managed policies attached to it. Deployed in the management account with the name of
the collector's own role (`CollectorRoleName` / `collector_role_name`), they create no role
but attach the management policies and the member policies (it collects its own account) to
that role instead.
"""

from __future__ import annotations

import json
from typing import Any

from collector.aws.policy import Policy, PolicySet
from collector.registry.base import ResourceType
from collector.registry.permissions import calls, derived, operation_name, type_grants

DEFAULT_ROLE_NAME = "InventoryReadOnly"
_TRUST_NOTE = "Trusted by the collector's principal only; never OrganizationAccountAccessRole."


def as_json(policies: PolicySet) -> dict[str, Any]:
    def listed(items: list[Policy]) -> list[dict[str, Any]]:
        return [{"name": p.name, "size": p.size, "document": p.document} for p in items]

    return {
        "management": {
            "attach_to": "the collector's principal (role or user) in the management account",
            "policies": listed(policies.management),
        },
        "member": {
            "role_name": policies.role_name,
            "attach_to": "the role the collector assumes in every member account; "
            "also the collector's principal, which collects its own account",
            "policies": listed(policies.member),
        },
    }


def _role_default(policies: PolicySet) -> str:
    return policies.role_name or DEFAULT_ROLE_NAME


_CFN_PARAMETERS: dict[str, Any] = {
    "CollectorPrincipalArn": {
        "Type": "String",
        "Description": "ARN of the role or user the collector runs as (management account).",
        "AllowedPattern": "arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:.+",
    },
    "ExternalId": {
        "Type": "String",
        "Default": "",
        "Description": "ExternalId the collector sends ([accounts] external_id); empty: none.",
    },
    "RoleName": {"Type": "String", "Description": "Name of the role ([accounts] role_name)."},
    "CollectorRoleName": {
        "Type": "String",
        "Default": "",
        "Description": "Only in the management account: the collector's own role, to attach "
        "the management and read-only policies to (no role is created then).",
    },
}
_CFN_CONDITIONS = {
    "HasExternalId": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExternalId"}, ""]}]},
    "InManagement": {"Fn::Not": [{"Fn::Equals": [{"Ref": "CollectorRoleName"}, ""]}]},
    "InMember": {"Fn::Not": [{"Condition": "InManagement"}]},
}


def _cfn_policy(policy: Policy, description: str, roles: Any) -> dict[str, Any]:
    properties = {"Description": description, "PolicyDocument": policy.document, "Roles": roles}
    return {"Type": "AWS::IAM::ManagedPolicy", "Properties": properties}


def _cfn_role(member_refs: list[dict[str, str]]) -> dict[str, Any]:
    trust: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": {"Ref": "CollectorPrincipalArn"}},
        "Action": "sts:AssumeRole",
        "Condition": {
            "Fn::If": [
                "HasExternalId",
                {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
                {"Ref": "AWS::NoValue"},
            ]
        },
    }
    return {
        "Type": "AWS::IAM::Role",
        "Condition": "InMember",
        "Properties": {
            "RoleName": {"Ref": "RoleName"},
            "Description": "Read-only inventory collector. " + _TRUST_NOTE,
            "MaxSessionDuration": 3600,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "ManagedPolicyArns": member_refs,
        },
    }


def cloudformation(policies: PolicySet) -> dict[str, Any]:
    # In the management account the member policies go to the collector's own role.
    collector_role = {
        "Fn::If": ["InManagement", [{"Ref": "CollectorRoleName"}], {"Ref": "AWS::NoValue"}]
    }
    resources: dict[str, Any] = {}
    count = len(policies.member)
    for i, policy in enumerate(policies.member, 1):
        description = f"Inventory collector, read-only ({i}/{count})"
        resources[f"MemberPolicy{i}"] = _cfn_policy(policy, description, collector_role)
    for i, policy in enumerate(policies.management, 1):
        description = "Inventory collector: STS, Organizations, AssumeRole"
        resources[f"ManagementPolicy{i}"] = {
            **_cfn_policy(policy, description, [{"Ref": "CollectorRoleName"}]),
            "Condition": "InManagement",
        }
    resources["InventoryRole"] = _cfn_role([{"Ref": f"MemberPolicy{i}"} for i in range(1, count + 1)])
    parameters = json.loads(json.dumps(_CFN_PARAMETERS))
    parameters["RoleName"]["Default"] = _role_default(policies)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Least-privilege role of the AWS inventory collector "
        "(generated by `inventory iam-policy --format cloudformation`).",
        "Parameters": parameters,
        "Conditions": _CFN_CONDITIONS,
        "Resources": resources,
        "Outputs": {
            "RoleArn": {"Condition": "InMember", "Value": {"Fn::GetAtt": ["InventoryRole", "Arn"]}}
        },
    }


def _heredoc(document: dict[str, Any]) -> str:
    return "<<-EOT\n" + json.dumps(document, indent=2) + "\nEOT"


_TF_HEAD = """\
# Least-privilege role of the AWS inventory collector
# (generated by `inventory iam-policy --format terraform`).
# In a member account: creates the role. In the management account: set
# collector_role_name to the collector's own role; no role is created then.

variable "collector_principal_arn" {{
  type        = string
  description = "ARN of the role or user the collector runs as (management account)."
}}

variable "external_id" {{
  type        = string
  default     = ""
  description = "ExternalId the collector sends ([accounts] external_id); empty: none."
}}

variable "role_name" {{
  type    = string
  default = "{role_name}"
}}

variable "collector_role_name" {{
  type        = string
  default     = ""
  description = "Only in the management account: the collector's own role."
}}

locals {{
  in_management = var.collector_role_name != ""
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "AWS"
      identifiers = [var.collector_principal_arn]
    }}
    dynamic "condition" {{
      for_each = var.external_id == "" ? [] : [var.external_id]
      content {{
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }}
    }}
  }}
}}

resource "aws_iam_role" "inventory" {{
  count                = local.in_management ? 0 : 1
  name                 = var.role_name
  description          = "Read-only inventory collector. {note}"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}}
"""


def terraform(policies: PolicySet) -> str:
    parts = [_TF_HEAD.format(role_name=_role_default(policies), note=_TRUST_NOTE)]
    for i, policy in enumerate(policies.member, 1):
        parts.append(
            f'resource "aws_iam_policy" "member_{i}" {{\n'
            f'  name_prefix = "{policy.name}-"\n'
            f"  policy      = {_heredoc(policy.document)}\n}}\n\n"
            f'resource "aws_iam_role_policy_attachment" "member_{i}" {{\n'
            f"  role       = local.in_management ? var.collector_role_name : "
            f"one(aws_iam_role.inventory[*].name)\n"
            f"  policy_arn = aws_iam_policy.member_{i}.arn\n}}\n"
        )
    for i, policy in enumerate(policies.management, 1):
        parts.append(
            f'resource "aws_iam_policy" "management_{i}" {{\n'
            f"  count       = local.in_management ? 1 : 0\n"
            f'  name_prefix = "{policy.name}-"\n'
            f"  policy      = {_heredoc(policy.document)}\n}}\n\n"
            f'resource "aws_iam_role_policy_attachment" "management_{i}" {{\n'
            f"  count      = local.in_management ? 1 : 0\n"
            f"  role       = var.collector_role_name\n"
            f"  policy_arn = aws_iam_policy.management_{i}[0].arn\n}}\n"
        )
    return "\n".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def markdown(policies: PolicySet, types: list[ResourceType], command: str) -> str:
    """docs/permissions.md: the policies, the calls IAM names differently, and each type's
    actions."""
    member = sorted({a for p in policies.member for a in p.actions}, key=str.lower)
    lines = [
        "# Permissions",
        "",
        f"Generated by `{command}`; do not edit (tests/test_permissions.py checks it is current).",
        "",
        f"{len(types)} resource types; {len(member)} actions for the member role "
        f"({_count(len(policies.member), 'managed policy', 'managed policies')}), "
        f"{len({a for p in policies.management for a in p.actions})} for the collector's "
        "principal in the management account.",
        "",
        "## Calls whose IAM permission is not `<prefix>:<Operation>`",
        "",
        "| resource type | call | IAM permission |",
        "|---|---|---|",
    ]
    for call in (c for t in types for c in calls(t) if c.role != "parent"):
        if call.grants == derived(call.service, call.operation):
            continue
        granted = ", ".join(f"`{g.action}` on `{g.resource}`" for g in call.grants)
        lines.append(
            f"| {call.resource_type} | {call.service} `{operation_name(call.service, call.operation)}`"
            f" | {granted or 'none: not granted (see its declaration)'} |"
        )
    for title, items in (("management account", policies.management), ("member role", policies.member)):
        lines += ["", f"## The {title}", ""]
        for policy in items:
            lines += [f"### {policy.name} ({policy.size} of 6144 characters)", "", "```json",
                      json.dumps(policy.document, indent=2), "```", ""]  # fmt: skip
    lines += ["## Actions per resource type", "", "| resource type | actions |", "|---|---|"]
    for rtype in types:
        actions = ", ".join(f"`{g.action}`" for g in type_grants(rtype))
        lines.append(f"| {rtype.resource_type} | {actions} |")
    return "\n".join(lines) + "\n"
