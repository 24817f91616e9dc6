"""Typed SQL views over ``resources``: declarations, one per view (data, not SQL).

Each view selects the live resources (``deleted_at IS NULL``) of one resource type and turns
fields of their ``raw`` JSON into real columns, so that people write
``SELECT instance_type, count(*) FROM ec2_instances GROUP BY 1`` instead of JSON paths.
``collector.history.views`` compiles the declarations into ``CREATE VIEW`` statements for SQLite and
PostgreSQL with SQLAlchemy's JSON expressions; the migrations create them (and must be given a
new revision that recreates the views whenever a declaration here changes).

A column's ``path`` is dotted, with ``[n]`` for a list index: ``"State.Name"``,
``"Attachments[0].InstanceId"``. ``level`` says what the path starts from: 0 the resource's
``raw``, 1 the element of the view's first ``each`` array, 2 the element of the second.
A view with ``each`` has one row per array element (per pair of elements with two levels);
a view with several :class:`Part` s is their ``UNION ALL`` (every part has the same columns).

Every view starts with the columns in :data:`BASE_COLUMNS`, taken from ``resources``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["BASE_COLUMNS", "VIEWS", "Column", "Part", "TypedView", "parse_path"]

ColumnType = Literal["text", "integer", "float", "boolean"]

# The columns of ``resources`` every typed view starts with.
BASE_COLUMNS = (
    "arn",
    "account_id",
    "region",
    "resource_id",
    "name",
    "tags",
    "first_seen_at",
    "last_seen_at",
)


@dataclass(frozen=True)
class Column:
    name: str
    # Dotted JSON path (see the module docstring), or None with `constant` set.
    path: str | None
    type: ColumnType = "text"
    level: int = 0
    # A fixed text value instead of a path (which branch of a UNION a row came from).
    constant: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Part:
    columns: tuple[Column, ...]
    # Arrays to expand, outermost first: ("IpPermissions", "IpRanges") gives one row per
    # (permission, range) pair; paths are relative to the previous level's element.
    each: tuple[str, ...] = ()


@dataclass(frozen=True)
class TypedView:
    name: str
    resource_type: str
    description: str
    parts: tuple[Part, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The view's column names, in order."""
        return (*BASE_COLUMNS, *(c.name for c in self.parts[0].columns))


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> tuple[str | int, ...]:
    """``"Attachments[0].InstanceId"`` -> ``("Attachments", 0, "InstanceId")``."""
    out: list[str | int] = []
    for match in _SEGMENT.finditer(path):
        key, index = match.groups()
        out.append(int(index) if index is not None else key)
    return tuple(out)


def _view(name: str, resource_type: str, description: str, *columns: Column) -> TypedView:
    return TypedView(name, resource_type, description, (Part(columns),))


C = Column


def _sg_rules() -> TypedView:
    """Security group rules, one row per (direction, rule, source): IPv4 and IPv6 ranges and
    source security groups."""

    def part(direction: str, permissions: str, sources: str, source: Column) -> Part:
        return Part(
            (
                C("group_id", "GroupId"),
                C("group_name", "GroupName"),
                C("vpc_id", "VpcId"),
                C("direction", None, constant=direction),
                C("protocol", "IpProtocol", level=1, description="tcp, udp, icmp or -1 (all)"),
                C("from_port", "FromPort", "integer", level=1),
                C("to_port", "ToPort", "integer", level=1),
                C("source_kind", None, constant=sources),
                source,
                C("rule_description", "Description", level=2),
            ),
            each=(permissions, sources),
        )

    parts = []
    for direction, permissions in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
        parts += [
            part(direction, permissions, "IpRanges", C("source", "CidrIp", level=2)),
            part(direction, permissions, "Ipv6Ranges", C("source", "CidrIpv6", level=2)),
            part(direction, permissions, "UserIdGroupPairs", C("source", "GroupId", level=2)),
            part(direction, permissions, "PrefixListIds", C("source", "PrefixListId", level=2)),
        ]
    return TypedView(
        "ec2_security_group_rules",
        "AWS::EC2::SecurityGroup",
        "Security group rules: one row per direction, rule and source (CIDR, IPv6 CIDR, "
        "security group or prefix list); source_kind says which.",
        tuple(parts),
    )


VIEWS: tuple[TypedView, ...] = (
    _view(
        "ec2_instances",
        "AWS::EC2::Instance",
        "EC2 instances (terminated ones are not collected).",
        C("instance_id", "InstanceId"),
        C("instance_type", "InstanceType"),
        C("state", "State.Name", description="pending, running, stopping, stopped, ..."),
        C("vpc_id", "VpcId"),
        C("subnet_id", "SubnetId"),
        C("availability_zone", "Placement.AvailabilityZone"),
        C("private_ip", "PrivateIpAddress"),
        C("public_ip", "PublicIpAddress"),
        C("image_id", "ImageId"),
        C("key_name", "KeyName"),
        C("platform", "PlatformDetails"),
        C("architecture", "Architecture"),
        C("launch_time", "LaunchTime", description="ISO 8601, UTC"),
        C("iam_instance_profile_arn", "IamInstanceProfile.Arn"),
        C("monitoring", "Monitoring.State"),
        C("state_reason", "StateTransitionReason"),
    ),
    _view(
        "ec2_volumes",
        "AWS::EC2::Volume",
        "EBS volumes; state 'available' means attached to nothing.",
        C("volume_id", "VolumeId"),
        C("volume_type", "VolumeType"),
        C("size_gib", "Size", "integer"),
        C("state", "State", description="creating, available, in-use, deleting, ..."),
        C("availability_zone", "AvailabilityZone"),
        C("encrypted", "Encrypted", "boolean"),
        C("kms_key_id", "KmsKeyId"),
        C("iops", "Iops", "integer"),
        C("throughput", "Throughput", "integer"),
        C("snapshot_id", "SnapshotId"),
        C("create_time", "CreateTime", description="ISO 8601, UTC"),
        C("attached_instance_id", "Attachments[0].InstanceId"),
        C("attached_device", "Attachments[0].Device"),
        C("delete_on_termination", "Attachments[0].DeleteOnTermination", "boolean"),
    ),
    _view(
        "ec2_security_groups",
        "AWS::EC2::SecurityGroup",
        "Security groups (their rules: ec2_security_group_rules).",
        C("group_id", "GroupId"),
        C("group_name", "GroupName"),
        C("description", "Description"),
        C("vpc_id", "VpcId"),
        C("owner_id", "OwnerId"),
    ),
    _sg_rules(),
    _view(
        "ec2_elastic_ips",
        "AWS::EC2::EIP",
        "Elastic IP addresses; association_id is NULL when the address is not in use.",
        C("allocation_id", "AllocationId"),
        C("public_ip", "PublicIp"),
        C("domain", "Domain"),
        C("association_id", "AssociationId"),
        C("instance_id", "InstanceId"),
        C("network_interface_id", "NetworkInterfaceId"),
        C("private_ip", "PrivateIpAddress"),
        C("network_border_group", "NetworkBorderGroup"),
    ),
    _view(
        "s3_buckets",
        "AWS::S3::Bucket",
        "S3 buckets with their own region. The policy / public-access columns are filled only "
        "when the collector fetched those details, else NULL.",
        C("bucket_name", "Name"),
        C("bucket_region", "BucketRegion"),
        C("creation_date", "CreationDate", description="ISO 8601, UTC"),
        C("policy_is_public", "PolicyStatus.IsPublic", "boolean"),
        C("block_public_acls", "PublicAccessBlockConfiguration.BlockPublicAcls", "boolean"),
        C("ignore_public_acls", "PublicAccessBlockConfiguration.IgnorePublicAcls", "boolean"),
        C("block_public_policy", "PublicAccessBlockConfiguration.BlockPublicPolicy", "boolean"),
        C(
            "restrict_public_buckets",
            "PublicAccessBlockConfiguration.RestrictPublicBuckets",
            "boolean",
        ),
    ),
    _view(
        "iam_users",
        "AWS::IAM::User",
        "IAM users.",
        C("user_name", "UserName"),
        C("user_id", "UserId"),
        C("path", "Path"),
        C("create_date", "CreateDate", description="ISO 8601, UTC"),
        C("password_last_used", "PasswordLastUsed", description="ISO 8601, UTC"),
        C("permissions_boundary_arn", "PermissionsBoundary.PermissionsBoundaryArn"),
    ),
    _view(
        "iam_roles",
        "AWS::IAM::Role",
        "IAM roles.",
        C("role_name", "RoleName"),
        C("role_id", "RoleId"),
        C("path", "Path"),
        C("description", "Description"),
        C("create_date", "CreateDate", description="ISO 8601, UTC"),
        C("max_session_duration", "MaxSessionDuration", "integer"),
        C("last_used_date", "RoleLastUsed.LastUsedDate", description="ISO 8601, UTC"),
        C("last_used_region", "RoleLastUsed.Region"),
        C("permissions_boundary_arn", "PermissionsBoundary.PermissionsBoundaryArn"),
    ),
    _view(
        "lambda_functions",
        "AWS::Lambda::Function",
        "Lambda functions (environment values are redacted at collection).",
        C("function_name", "FunctionName"),
        C("runtime", "Runtime"),
        C("handler", "Handler"),
        C("package_type", "PackageType"),
        C("architecture", "Architectures[0]"),
        C("memory_size_mb", "MemorySize", "integer"),
        C("timeout_s", "Timeout", "integer"),
        C("code_size_bytes", "CodeSize", "integer"),
        C("role_arn", "Role"),
        C("last_modified", "LastModified"),
        C("vpc_id", "VpcConfig.VpcId"),
        C("state", "State"),
    ),
    _view(
        "rds_instances",
        "AWS::RDS::DBInstance",
        "RDS database instances.",
        C("db_instance_identifier", "DBInstanceIdentifier"),
        C("engine", "Engine"),
        C("engine_version", "EngineVersion"),
        C("instance_class", "DBInstanceClass"),
        C("status", "DBInstanceStatus"),
        C("allocated_storage_gib", "AllocatedStorage", "integer"),
        C("storage_type", "StorageType"),
        C("multi_az", "MultiAZ", "boolean"),
        C("publicly_accessible", "PubliclyAccessible", "boolean"),
        C("storage_encrypted", "StorageEncrypted", "boolean"),
        C("endpoint_address", "Endpoint.Address"),
        C("endpoint_port", "Endpoint.Port", "integer"),
        C("vpc_id", "DBSubnetGroup.VpcId"),
        C("availability_zone", "AvailabilityZone"),
        C("instance_create_time", "InstanceCreateTime", description="ISO 8601, UTC"),
        C("backup_retention_days", "BackupRetentionPeriod", "integer"),
    ),
)
