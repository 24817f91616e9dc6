"""How CloudFront reaches its origins and what edge code reads, and VPC Lattice's services
(issue 17, CloudFormation-only types): origin access controls and identities (who may read a
private bucket), key value stores, VPC Lattice services, listeners and target groups.

CloudFront is global: its ARNs carry no region (arn:aws:cloudfront::<account>:...).
"""

from __future__ import annotations

from collector.registry._common import joined, tags_detail
from collector.registry.base import Detail, Link, ResourceType

_CF = "arn:{partition}:cloudfront::{account}:"
_LATTICE_SERVICE = "AWS::VpcLattice::Service"


def _lattice_tags(arn_member: str = "arn") -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "resourceArn", arn_member, "tags"),)


TYPES = (
    ResourceType(
        "AWS::CloudFront::OriginAccessControl", "cloudfront", "list_origin_access_controls",
        "OriginAccessControlList.Items[]", id="Id", arn_template=_CF + "origin-access-control/{Id}",
        name="Name", global_=True, page_size=100,
    ),
    ResourceType(
        "AWS::CloudFront::CloudFrontOriginAccessIdentity", "cloudfront",
        "list_cloud_front_origin_access_identities",
        "CloudFrontOriginAccessIdentityList.Items[]", id="Id",
        arn_template=_CF + "origin-access-identity/{Id}", name="Comment", global_=True,
        page_size=100,
    ),
    ResourceType(
        "AWS::CloudFront::KeyValueStore", "cloudfront", "list_key_value_stores",
        "KeyValueStoreList.Items[]", id="Name", arn="ARN", name="Name",
        created="LastModifiedTime", global_=True, page_size=100,
        details=(tags_detail("list_tags_for_resource", "Resource", "ARN", "Tags.Items"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::VpcLattice::Service", "vpc-lattice", "list_services", "items[]", id="id",
        arn="arn", name="name", created="createdAt", page_size=100, details=_lattice_tags(),
        tags="Tags",
    ),
    ResourceType(
        "AWS::VpcLattice::Listener", "vpc-lattice", "list_listeners", "items[]",
        id=joined("serviceIdentifier", "id"),
        arn="arn", name="name", created="createdAt", page_size=100, details=_lattice_tags(),
        tags="Tags", parent=_LATTICE_SERVICE, parent_params={"serviceIdentifier": "id"},
        parent_absent_codes=("ResourceNotFoundException",),
        links=(Link("member_of", _LATTICE_SERVICE, "serviceIdentifier"),),
    ),
    ResourceType(
        "AWS::VpcLattice::TargetGroup", "vpc-lattice", "list_target_groups", "items[]",
        id="id", arn="arn", name="name", created="createdAt", page_size=100,
        details=_lattice_tags(), tags="Tags",
        links=(
            Link("in_vpc", "AWS::EC2::VPC", "vpcIdentifier"),
            Link("serves", _LATTICE_SERVICE, "serviceArns"),
        ),
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::CloudFront::CloudFrontOriginAccessIdentity": "moto does not implement "
    "ListCloudFrontOriginAccessIdentities",
}
