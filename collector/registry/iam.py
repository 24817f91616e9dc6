"""IAM resource types (global: one scope per account).

Users, roles and groups come from GetAccountAuthorizationDetails (GAAD), one job a type, 1000
entities a page: their tags, attached managed policies and inline policies in the listing,
where ListUsers/ListRoles/ListGroups needed 3 calls a user, 2 a role and 1 a group (issue
15). Every GAAD listing here is declared alike (`_GAAD_FILTER`: users, roles and groups at
once), so the engine reads it once an account for all of them (`collector.engine.shared`),
not once a type; a run collecting only one of them still gets all three (more pages only in
accounts with thousands of principals). What GAAD leaves out is joined from one more listing of the scope
(`ListingDetail`), never from a call per item:
- a user's groups come as names; the `member_of` edges need ARNs, and a group's ARN holds its
  path, so the names are looked up in GAAD's groups of the same account (the same listing);
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
# Each type keeps its own entities (`<Entity>DetailList`) of the one listing of them all.
_GAAD_FILTER = {"Filter": ["User", "Role", "Group"]}
_HAS_POLICY = Link("has_policy", _POLICY, "AttachedManagedPolicies[].PolicyArn")


def _gaad(
    entity: str,
    *,
    details: tuple[Details, ...] = (),
    tags: str | None = None,
    volatile: tuple[str, ...] = (),
    links: tuple[Link, ...] = (),
) -> ResourceType:
    """AWS::IAM::<entity> from GAAD's <entity>DetailList (of the listing shared by all three)."""
    return ResourceType(
        f"AWS::IAM::{entity}", "iam", _GAAD, f"{entity}DetailList[]", id=f"{entity}Name",
        arn="Arn", name=f"{entity}Name", created="CreateDate", global_=True,
        params=_GAAD_FILTER, page_size=1000, details=details, tags=tags,
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
                _GAAD, _GAAD_FILTER, "GroupDetailList[]", key="GroupName",
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
