"""IAM resource types (global: one scope per account).

Users, roles and groups come from GetAccountAuthorizationDetails (GAAD), one job a type with
its own `Filter`, 1000 a page: their tags, attached managed policies and inline policies in
the listing, where ListUsers/ListRoles/ListGroups needed 3 calls a user, 2 a role and 1 a
group (issue 15). What GAAD leaves out is joined from one more listing of the scope
(`ListingDetail`), never from a call per item:
- a user's groups come as names; the `member_of` edges need ARNs, and a group's ARN holds its
  path, so the names are looked up in GAAD's groups (Filter=Group) of the same account;
- ListUsers' PasswordLastUsed and ListRoles' Description and MaxSessionDuration (columns of
  the iam_users/iam_roles views) are not in GAAD: the type's old listing is merged in.
Inline policy documents (UserPolicyList, RolePolicyList, GroupPolicyList) are stored decoded,
as JSON objects, like AssumeRolePolicyDocument: botocore decodes every IAM policy document
member. RoleLastUsed (GAAD has it, ListRoles had not) moves on every use of the role: volatile.
"""

from __future__ import annotations

from collector.registry.base import Detail, Details, Link, ListingDetail, ResourceType

_POLICY = "AWS::IAM::ManagedPolicy"
_GAAD = "get_account_authorization_details"
_HAS_POLICY = Link("has_policy", _POLICY, "AttachedManagedPolicies[].PolicyArn")


def _gaad(
    entity: str,
    *,
    details: tuple[Details, ...] = (),
    tags: str | None = None,
    volatile: tuple[str, ...] = (),
    links: tuple[Link, ...] = (),
) -> ResourceType:
    """AWS::IAM::<entity> from GAAD's <entity>DetailList, asking for that entity only."""
    return ResourceType(
        f"AWS::IAM::{entity}", "iam", _GAAD, f"{entity}DetailList[]", id=f"{entity}Name",
        arn="Arn", name=f"{entity}Name", created="CreateDate", global_=True,
        params={"Filter": [entity]}, page_size=1000, details=details, tags=tags,
        volatile=volatile, links=links,
    )  # fmt: skip


def _old_listing(operation: str, items: str, key: str) -> ListingDetail:
    """The fields of the type's own listing that GAAD lacks, merged by name."""
    return ListingDetail(operation, {}, items, key=key, item_key=key, into=None, page_size=1000)


TYPES = (
    _gaad(
        "User",
        details=(
            ListingDetail(
                _GAAD, {"Filter": ["Group"]}, "GroupDetailList[]", key="GroupName",
                item_key="GroupList", into="GroupArns", value="Arn", default=[], page_size=1000,
            ),
            _old_listing("list_users", "Users[]", "UserName"),
        ),
        tags="Tags",
        links=(Link("member_of", "AWS::IAM::Group", "GroupArns[]"), _HAS_POLICY),
    ),
    _gaad(
        "Role",
        details=(_old_listing("list_roles", "Roles[]", "RoleName"),),
        tags="Tags",
        volatile=("RoleLastUsed",),
        links=(_HAS_POLICY,),
    ),
    _gaad("Group", links=(_HAS_POLICY,)),
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
        # GAAD's ManagedPolicyDetail has no Tags: ListPolicyTags stays.
        details=(
            Detail("list_policy_tags", lambda i: {"PolicyArn": i["Arn"]}, "Tags", into="Tags"),
        ),
        tags="Tags",
    ),
)
