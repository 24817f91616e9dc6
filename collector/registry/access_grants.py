"""Who may sign in and what they may reach (issue 17, CloudFormation-only types): IAM Identity
Center instances, permission sets, applications and identity-store groups; IAM Roles Anywhere
trust anchors and profiles; Verified Permissions policy stores; RAM resource shares; EKS pod
identity associations; Transfer Family users; Verified Access instances, groups, endpoints and
trust providers."""

from __future__ import annotations

from typing import Any

from collector.registry._common import joined, lower_tags, role, tags_detail
from collector.registry.base import Detail, Item, Link, ResourceType

_SSO = "AWS::SSO::Instance"
_EC2 = "arn:{partition}:ec2:{region}:{account}:"


def _sso_tags(arn_member: str) -> tuple[Detail, ...]:
    """Identity Center's ListTagsForResource wants the instance's ARN beside the resource's."""

    def params(item: Item) -> dict[str, Any]:
        return {"InstanceArn": item["InstanceArn"], "ResourceArn": item[arn_member]}

    return (Detail("list_tags_for_resource", params, "Tags", into="Tags"),)


def _sso_child(kind: str, operation: str, items: str, **extra: Any) -> ResourceType:
    # Identity Center answers in its home region only; elsewhere ListInstances is empty.
    return ResourceType(
        f"AWS::SSO::{kind}", "sso-admin", operation, items, parent=_SSO,
        parent_params={"InstanceArn": "InstanceArn"},
        parent_absent_codes=("ResourceNotFoundException",), tags="Tags", **extra,
    )  # fmt: skip


def _verified_access(kind: str, items: str, id_member: str, arn_kind: str, **extra: Any
                     ) -> ResourceType:
    return ResourceType(
        f"AWS::EC2::VerifiedAccess{kind}", "ec2", f"describe_verified_access_{items}",
        f"VerifiedAccess{kind}s[]", id=id_member,
        arn_template=_EC2 + f"verified-access-{arn_kind}/{{{id_member}}}", tags="Tags",
        created="CreationTime", name="Description", page_size=200, **extra,
    )  # fmt: skip


_LOWER = lower_tags("Tags")

TYPES = (
    ResourceType(
        _SSO, "sso-admin", "list_instances", "Instances[]", id="InstanceArn",
        arn="InstanceArn", name="Name", created="CreatedDate", page_size=100,
        details=_sso_tags("InstanceArn"), tags="Tags",
    ),
    _sso_child(
        # ListPermissionSets answers ARNs only; each permission set's name and policies take
        # a call (DescribePermissionSet) the inventory does not make.
        "PermissionSet", "list_permission_sets", "PermissionSets[]",
        item_key="PermissionSetArn", id="PermissionSetArn", arn="PermissionSetArn",
        page_size=100, details=_sso_tags("PermissionSetArn"),
        links=(Link("member_of", _SSO, "InstanceArn"),),
    ),
    _sso_child(
        "Application", "list_applications", "Applications[]", id="ApplicationArn",
        arn="ApplicationArn", name="Name", created="CreatedDate", page_size=100,
        details=_sso_tags("ApplicationArn"),
        links=(Link("member_of", _SSO, "InstanceArn"),),
    ),
    ResourceType(
        # Group ids are unique within their identity store (CloudFormation pairs the two).
        "AWS::IdentityStore::Group", "identitystore", "list_groups", "Groups[]",
        id=joined("IdentityStoreId", "GroupId"), name="DisplayName",
        arn_template="arn:{partition}:identitystore:::group/{GroupId}", page_size=100,
        parent=_SSO, parent_params={"IdentityStoreId": "IdentityStoreId"},
        parent_absent_codes=("ResourceNotFoundException",),
    ),
    ResourceType(
        # Workloads outside AWS get IAM credentials from certificates these anchors trust.
        "AWS::RolesAnywhere::TrustAnchor", "rolesanywhere", "list_trust_anchors",
        "trustAnchors[]", id="trustAnchorId", arn="trustAnchorArn", name="name",
        created="createdAt",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "trustAnchorArn",
                             "tags"),),
        tags=_LOWER,
    ),
    ResourceType(
        "AWS::RolesAnywhere::Profile", "rolesanywhere", "list_profiles", "profiles[]",
        id="profileId", arn="profileArn", name="name", created="createdAt",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "profileArn", "tags"),),
        tags=_LOWER, links=(role("roleArns", "grants_role"),),
    ),
    ResourceType(
        "AWS::VerifiedPermissions::PolicyStore", "verifiedpermissions", "list_policy_stores",
        "policyStores[]", id="policyStoreId", arn="arn", created="createdDate", page_size=50,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        # The account's own shares (resourceOwner SELF); deleted ones linger a while.
        "AWS::RAM::ResourceShare", "ram", "get_resource_shares", "resourceShares[]",
        id="resourceShareArn", arn="resourceShareArn", name="name", created="creationTime",
        params={"resourceOwner": "SELF"}, where="status != 'DELETED'", page_size=500,
        tags=lower_tags("tags"),
    ),
    ResourceType(
        # Which Kubernetes service account gets which IAM role.
        "AWS::EKS::PodIdentityAssociation", "eks", "list_pod_identity_associations",
        "associations[]", id=joined("clusterName", "associationId"), arn="associationArn",
        name="serviceAccount", page_size=100, parent="AWS::EKS::Cluster",
        parent_params={"clusterName": "name"}, parent_absent_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "resourceArn", "associationArn",
                             "tags"),),
        tags="Tags",
        links=(Link("member_of", "AWS::EKS::Cluster", "clusterName"),),
    ),
    ResourceType(
        # SFTP/FTPS/AS2 users: their home directory and the role their sessions assume.
        "AWS::Transfer::User", "transfer", "list_users", "Users[]",
        id=joined("ServerId", "UserName"), arn="Arn", name="UserName", page_size=1000,
        parent="AWS::Transfer::Server", parent_params={"ServerId": "ServerId"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "Arn", "Arn"),), tags="Tags",
        links=(Link("member_of", "AWS::Transfer::Server", "ServerId"), role("Role")),
    ),
    _verified_access("Instance", "instances", "VerifiedAccessInstanceId", "instance",
                     links=(Link("trusts", "AWS::EC2::VerifiedAccessTrustProvider",
                                 "VerifiedAccessTrustProviders[].VerifiedAccessTrustProviderId"),)),
    _verified_access("Group", "groups", "VerifiedAccessGroupId", "group",
                     arn="VerifiedAccessGroupArn",
                     links=(Link("member_of", "AWS::EC2::VerifiedAccessInstance",
                                 "VerifiedAccessInstanceId"),)),
    _verified_access("Endpoint", "endpoints", "VerifiedAccessEndpointId", "endpoint",
                     links=(Link("member_of", "AWS::EC2::VerifiedAccessGroup",
                                 "VerifiedAccessGroupId"),
                            Link("uses_security_group", "AWS::EC2::SecurityGroup",
                                 "SecurityGroupIds"))),
    _verified_access("TrustProvider", "trust_providers", "VerifiedAccessTrustProviderId",
                     "trust-provider"),
)  # fmt: skip

_SSO_TAGS = "moto does not implement ListTagsForResource (sso-admin)"
NOT_IN_MOTO: dict[str, str] = {
    _SSO: _SSO_TAGS + ", and its one instance exists before any seeding",
    "AWS::SSO::PermissionSet": _SSO_TAGS,
    "AWS::SSO::Application": "moto does not implement ListApplications (sso-admin)",
    "AWS::RolesAnywhere::TrustAnchor": "moto does not implement IAM Roles Anywhere",
    "AWS::RolesAnywhere::Profile": "moto does not implement IAM Roles Anywhere",
    "AWS::VerifiedPermissions::PolicyStore": "moto does not implement Verified Permissions",
    "AWS::EKS::PodIdentityAssociation": "moto does not implement ListPodIdentityAssociations",
    "AWS::Transfer::User": "moto does not implement ListUsers (transfer)",
    **{
        f"AWS::EC2::VerifiedAccess{kind}": f"moto does not implement DescribeVerifiedAccess{kind}s"
        for kind in ("Instance", "Group", "Endpoint", "TrustProvider")
    },
}
