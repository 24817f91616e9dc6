"""S3 beyond general purpose buckets: S3 Express One Zone directory buckets; and the S3
Control types the collector cannot list yet."""

from __future__ import annotations

from collector.registry.base import Grant, ResourceType

TYPES = (
    # Listed region by region (each region's S3 Express endpoint answers for its own buckets).
    # IAM names the call after S3 Express: s3express:ListAllMyDirectoryBuckets.
    ResourceType(
        "AWS::S3Express::DirectoryBucket", "s3", "list_directory_buckets", "Buckets[]",
        id="Name", arn="BucketArn",
        arn_template="arn:{partition}:s3express:{region}:{account}:bucket/{Name}", name="Name",
        created="CreationDate", iam=(Grant("s3express:ListAllMyDirectoryBuckets"),),
    ),
)  # fmt: skip

_ACCOUNT_ID = (
    "needs engine support: S3 Control's {} takes the account id as a required parameter "
    "(AccountId), which a declaration cannot pass"
)
NOT_COLLECTED: dict[str, str] = {
    "AWS::S3::AccessPoint": _ACCOUNT_ID.format("ListAccessPoints"),
    "AWS::S3::MultiRegionAccessPoint": _ACCOUNT_ID.format("ListMultiRegionAccessPoints"),
    "AWS::S3::StorageLens": _ACCOUNT_ID.format("ListStorageLensConfigurations"),
    "AWS::S3::StorageLensGroup": _ACCOUNT_ID.format("ListStorageLensGroups"),
    "AWS::S3::AccountPublicAccessBlock": "an account setting (S3 Control GetPublicAccessBlock "
    "answers one object, and wants the account id): needs engine support for settings",
    "AWS::S3Express::BucketPolicy": "a policy document per directory bucket (GetBucketPolicy "
    "answers one string, not a list): needs engine support for per-item documents",
}

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::S3Express::DirectoryBucket": "moto does not implement ListDirectoryBuckets",
}  # fmt: skip
