"""S3: buckets are listed once per account but live in a region of their own."""

from __future__ import annotations

from typing import Any

from collector.registry._common import encrypted_with
from collector.registry.base import Detail, Grant, ResourceType


def _region_of(location: Any) -> str:
    # GetBucketLocation answers None for us-east-1 and the legacy "EU" for eu-west-1.
    if location in (None, ""):
        return "us-east-1"
    if location == "EU":
        return "eu-west-1"
    return str(location)


TYPES = (
    ResourceType(
        "AWS::S3::Bucket",
        "s3",
        "list_buckets",
        "Buckets[]",
        id="Name",
        arn_template="arn:{partition}:s3:::{Name}",
        name="Name",
        created="CreationDate",
        global_=True,
        region="BucketRegion",
        # IAM names the ListBuckets call after what it returns: every bucket of the account.
        iam=(Grant("s3:ListAllMyBuckets"),),
        details=(
            Detail(
                "get_bucket_location",
                lambda i: {"Bucket": i["Name"]},
                "LocationConstraint",
                into="BucketRegion",
                absent_codes=("NoSuchBucket",),
                transform=_region_of,
                skip_if_present=True,
            ),
            # A bucket with no tags answers NoSuchTagSet: that is an empty tag set, not an error.
            Detail(
                "get_bucket_tagging",
                lambda i: {"Bucket": i["Name"]},
                "TagSet",
                into="TagSet",
                absent_codes=("NoSuchTagSet", "NoSuchBucket"),
                default=[],
            ),
            # Default encryption: which KMS key new objects are encrypted with. IAM calls the
            # GetBucketEncryption call s3:GetEncryptionConfiguration.
            Detail(
                "get_bucket_encryption",
                lambda i: {"Bucket": i["Name"]},
                "ServerSideEncryptionConfiguration",
                into="ServerSideEncryptionConfiguration",
                absent_codes=("ServerSideEncryptionConfigurationNotFoundError", "NoSuchBucket"),
                default={},
                iam=(Grant("s3:GetEncryptionConfiguration"),),
            ),
        ),
        tags="TagSet",
        links=(
            encrypted_with(
                "ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault"
                ".KMSMasterKeyID"
            ),
        ),
    ),
)
