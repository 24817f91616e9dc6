"""S3 beyond general purpose buckets: S3 Express One Zone directory buckets, and the S3 Control
types (access points, Multi-Region Access Points, Storage Lens), whose calls all take the
account id as a parameter (`account_param`)."""

from __future__ import annotations

from collector.registry._common import in_vpc
from collector.registry.base import Detail, Grant, Link, ResourceType

_BUCKET = "AWS::S3::Bucket"


def _control_tags(arn_field: str) -> Detail:
    """S3 Control ListTagsForResource: one ARN a call, and the account id as a header."""
    return Detail(
        "list_tags_for_resource", lambda i: {"ResourceArn": i[arn_field]}, "Tags", into="Tags",
        account_param="AccountId",
    )  # fmt: skip


TYPES = (
    # Listed region by region (each region's S3 Express endpoint answers for its own buckets).
    # IAM names the call after S3 Express: s3express:ListAllMyDirectoryBuckets.
    ResourceType(
        "AWS::S3Express::DirectoryBucket", "s3", "list_directory_buckets", "Buckets[]",
        id="Name", arn="BucketArn",
        arn_template="arn:{partition}:s3express:{region}:{account}:bucket/{Name}", name="Name",
        created="CreationDate", iam=(Grant("s3express:ListAllMyDirectoryBuckets"),),
    ),
    # Every access point of the region, whatever its bucket (or FSx volume) and its owner.
    ResourceType(
        "AWS::S3::AccessPoint", "s3control", "list_access_points", "AccessPointList[]",
        id="Name", arn="AccessPointArn",
        arn_template="arn:{partition}:s3:{region}:{account}:accesspoint/{Name}", name="Name",
        next_token="NextToken", account_param="AccountId",
        details=(_control_tags("AccessPointArn"),), tags="Tags",
        links=(Link("access_point_of", _BUCKET, "Bucket"), in_vpc("VpcConfiguration.VpcId")),
    ),
    # Multi-Region Access Points are managed in us-west-2 only, for the whole account; their
    # ARN is named by the alias, not the name.
    ResourceType(
        "AWS::S3::MultiRegionAccessPoint", "s3control", "list_multi_region_access_points",
        "AccessPoints[]", id="Name",
        arn_template="arn:{partition}:s3::{account}:accesspoint/{Alias}", name="Name",
        created="CreatedAt", next_token="NextToken", account_param="AccountId",
        global_=True, home_region="us-west-2",
        links=(Link("access_point_of", _BUCKET, "Regions[].Bucket"),),
    ),
    # Listed once per account: its answer names each dashboard's HomeRegion (where it is
    # recorded), and AWS does not document it as per region, unlike ListStorageLensGroups.
    ResourceType(
        "AWS::S3::StorageLens", "s3control", "list_storage_lens_configurations",
        "StorageLensConfigurationList[]", id="Id", arn="StorageLensArn",
        arn_template="arn:{partition}:s3:{region}:{account}:storage-lens/{Id}", name="Id",
        next_token="NextToken", account_param="AccountId", global_=True, region="HomeRegion",
        details=(
            Detail("get_storage_lens_configuration_tagging", lambda i: {"ConfigId": i["Id"]},
                   "Tags", into="Tags", account_param="AccountId"),
        ),
        tags="Tags",
    ),
    # ListStorageLensGroups answers the groups whose home region is the endpoint's.
    ResourceType(
        "AWS::S3::StorageLensGroup", "s3control", "list_storage_lens_groups",
        "StorageLensGroupList[]", id="Name", arn="StorageLensGroupArn",
        arn_template="arn:{partition}:s3:{region}:{account}:storage-lens-group/{Name}",
        name="Name", next_token="NextToken", account_param="AccountId",
        details=(_control_tags("StorageLensGroupArn"),), tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::S3::AccountPublicAccessBlock": "an account setting (S3 Control GetPublicAccessBlock "
    "answers one object, and wants the account id): needs engine support for settings",
    "AWS::S3Express::BucketPolicy": "a policy document per directory bucket (GetBucketPolicy "
    "answers one string, not a list): needs engine support for per-item documents",
}

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::S3Express::DirectoryBucket": "moto does not implement ListDirectoryBuckets",
    "AWS::S3::StorageLensGroup": "moto does not implement ListStorageLensGroups",
    # moto serves them too (tests/seed_acct.py seeds access points); not seeded yet.
    "AWS::S3::MultiRegionAccessPoint": "not seeded in moto yet (its create call is asynchronous)",
    "AWS::S3::StorageLens": "not seeded in moto yet",
}  # fmt: skip
