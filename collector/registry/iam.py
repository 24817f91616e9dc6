"""IAM resource types (global: one scope per account)."""

from __future__ import annotations

from collector.registry.base import Detail, Link, ResourceType

_POLICY = "AWS::IAM::ManagedPolicy"


def _attached(operation: str, param: str) -> Detail:
    """The managed policies attached to a principal (one call: IAM caps them at 20), as ARNs
    under "AttachedPolicyArns" for the `has_policy` edges."""
    return Detail(
        operation, lambda i: {param: i[param]}, "AttachedPolicies[].PolicyArn",
        into="AttachedPolicyArns", absent_codes=("NoSuchEntity",), default=[],
    )  # fmt: skip


_HAS_POLICY = Link("has_policy", _POLICY, "AttachedPolicyArns[]")

TYPES = (
    ResourceType(
        "AWS::IAM::User",
        "iam",
        "list_users",
        "Users[]",
        id="UserName",
        arn="Arn",
        name="UserName",
        created="CreateDate",
        global_=True,
        page_size=1000,
        # ListUsers omits tags.
        details=(
            Detail("list_user_tags", lambda i: {"UserName": i["UserName"]}, "Tags", into="Tags"),
            # A user is in at most 10 groups: one call.
            Detail(
                "list_groups_for_user", lambda i: {"UserName": i["UserName"]}, "Groups[].Arn",
                into="GroupArns", absent_codes=("NoSuchEntity",), default=[],
            ),
            _attached("list_attached_user_policies", "UserName"),
        ),
        tags="Tags",
        links=(Link("member_of", "AWS::IAM::Group", "GroupArns[]"), _HAS_POLICY),
    ),
    ResourceType(
        "AWS::IAM::Role",
        "iam",
        "list_roles",
        "Roles[]",
        id="RoleName",
        arn="Arn",
        name="RoleName",
        created="CreateDate",
        global_=True,
        page_size=1000,
        details=(
            Detail("list_role_tags", lambda i: {"RoleName": i["RoleName"]}, "Tags", into="Tags"),
            _attached("list_attached_role_policies", "RoleName"),
        ),
        tags="Tags",
        links=(_HAS_POLICY,),
    ),
    ResourceType(
        "AWS::IAM::Group",
        "iam",
        "list_groups",
        "Groups[]",
        id="GroupName",
        arn="Arn",
        name="GroupName",
        created="CreateDate",
        global_=True,
        page_size=1000,
        details=(_attached("list_attached_group_policies", "GroupName"),),
        links=(_HAS_POLICY,),
    ),
    ResourceType(
        "AWS::IAM::ManagedPolicy",
        "iam",
        "list_policies",
        "Policies[]",
        id="PolicyName",
        arn="Arn",
        name="PolicyName",
        created="CreateDate",
        global_=True,
        params={"Scope": "Local"},
        page_size=1000,
        details=(
            Detail("list_policy_tags", lambda i: {"PolicyArn": i["Arn"]}, "Tags", into="Tags"),
        ),
        tags="Tags",
    ),
)
