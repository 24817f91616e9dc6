"""IAM resource types (global: one scope per account)."""

from __future__ import annotations

from collector.registry.base import Detail, ResourceType

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
        ),
        tags="Tags",
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
        ),
        tags="Tags",
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
