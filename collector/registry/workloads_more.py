"""Where data sits and code runs, beyond the families before (issue 17, CloudFormation-only
types): FSx file systems, volumes and storage virtual machines, Directory Service directories,
Batch job definitions, SageMaker endpoints and pipelines, ELB trust stores (mutual TLS), security group rules, Redshift snapshot copy grants and usage
limits."""

from __future__ import annotations

from typing import Any

from collector.registry._common import (
    elbv2_tags,
    encrypted_with,
    network,
    role,
    tags_detail,
)
from collector.registry.base import Link, ResourceType

_REDSHIFT = "arn:{partition}:redshift:{region}:{account}:"


def _fsx(kind: str, operation: str, items: str, id_member: str, **extra: Any) -> ResourceType:
    return ResourceType(
        f"AWS::FSx::{kind}", "fsx", operation, items, id=id_member, arn="ResourceARN",
        tags="Tags", created="CreationTime", page_size=100, **extra,
    )  # fmt: skip


def _directory(kind: str) -> ResourceType:
    # One DescribeDirectories answers every kind (AD Connector too): each type keeps its own.
    # The tags take a call per directory (ListTagsForResource).
    return ResourceType(
        f"AWS::DirectoryService::{kind}", "ds", "describe_directories",
        "DirectoryDescriptions[]", id="DirectoryId", name="Name", created="LaunchTime",
        arn_template="arn:{partition}:ds:{region}:{account}:directory/{DirectoryId}",
        where=f"Type == '{kind}'",
        details=(tags_detail("list_tags_for_resource", "ResourceId", "DirectoryId"),),
        tags="Tags",
        links=network("VpcSettings.VpcId", "VpcSettings.SubnetIds", "VpcSettings.SecurityGroupId"),
    )  # fmt: skip


def _sagemaker(kind: str, operation: str, items: str, prefix: str, **extra: Any) -> ResourceType:
    return ResourceType(
        f"AWS::SageMaker::{kind}", "sagemaker", operation, items, id=f"{prefix}Name",
        arn=f"{prefix}Arn", name=f"{prefix}Name", created="CreationTime", page_size=100,
        details=(tags_detail("list_tags", "ResourceArn", f"{prefix}Arn"),), tags="Tags",
        **extra,
    )  # fmt: skip


def _security_group_rules(kind: str, egress: bool) -> ResourceType:
    return ResourceType(
        f"AWS::EC2::SecurityGroup{kind}", "ec2", "describe_security_group_rules",
        "SecurityGroupRules[]", id="SecurityGroupRuleId", arn="SecurityGroupRuleArn",
        arn_template="arn:{partition}:ec2:{region}:{account}:"
        "security-group-rule/{SecurityGroupRuleId}",
        name="Description", tags="Tags", page_size=1000,
        where="IsEgress" if egress else "!IsEgress",
        links=(
            Link("rule_of", "AWS::EC2::SecurityGroup", "GroupId"),
            Link("allows_group", "AWS::EC2::SecurityGroup", "ReferencedGroupInfo.GroupId"),
        ),
    )  # fmt: skip


TYPES = (
    _fsx("FileSystem", "describe_file_systems", "FileSystems[]", "FileSystemId",
         name="DNSName", owner="OwnerId",
         links=(*network("VpcId", "SubnetIds", None), encrypted_with("KmsKeyId"))),
    _fsx("Volume", "describe_volumes", "Volumes[]", "VolumeId", name="Name",
         links=(Link("on_file_system", "AWS::FSx::FileSystem", "FileSystemId"),)),
    _fsx("StorageVirtualMachine", "describe_storage_virtual_machines",
         "StorageVirtualMachines[]", "StorageVirtualMachineId", name="Name",
         links=(Link("on_file_system", "AWS::FSx::FileSystem", "FileSystemId"),)),
    _directory("MicrosoftAD"),
    _directory("SimpleAD"),
    ResourceType(
        # Every active revision is its own resource (name:revision), as its ARN says.
        "AWS::Batch::JobDefinition", "batch", "describe_job_definitions", "jobDefinitions[]",
        id="jobDefinitionArn", arn="jobDefinitionArn", name="jobDefinitionName",
        params={"status": "ACTIVE"}, page_size=100, tags="tags",
        links=(
            role("containerProperties.jobRoleArn"),
            role("containerProperties.executionRoleArn", "executes_as"),
        ),
    ),
    _sagemaker("Endpoint", "list_endpoints", "Endpoints[]", "Endpoint"),
    _sagemaker("EndpointConfig", "list_endpoint_configs", "EndpointConfigs[]", "EndpointConfig"),
    _sagemaker("Pipeline", "list_pipelines", "PipelineSummaries[]", "Pipeline",
               links=(role("RoleArn"),)),
    ResourceType(
        # The certificate authorities an ALB trusts for mutual TLS.
        "AWS::ElasticLoadBalancingV2::TrustStore", "elbv2", "describe_trust_stores",
        "TrustStores[]", id="Name", arn="TrustStoreArn", name="Name", page_size=400,
        details=(elbv2_tags("TrustStoreArn"),), tags="Tags",
    ),
    _security_group_rules("Ingress", egress=False),
    _security_group_rules("Egress", egress=True),
    ResourceType(
        # Lets Redshift use a KMS key of this region for snapshots copied from another.
        "AWS::Redshift::SnapshotCopyGrant", "redshift", "describe_snapshot_copy_grants",
        "SnapshotCopyGrants[]", id="SnapshotCopyGrantName", name="SnapshotCopyGrantName",
        arn_template=_REDSHIFT + "snapshotcopygrant:{SnapshotCopyGrantName}", tags="Tags",
        page_size=100, links=(encrypted_with("KmsKeyId"),),
    ),
    ResourceType(
        "AWS::Redshift::UsageLimit", "redshift", "describe_usage_limits", "UsageLimits[]",
        id="UsageLimitId", arn_template=_REDSHIFT + "usagelimit:{UsageLimitId}", tags="Tags",
        page_size=100,
        links=(Link("limits", "AWS::Redshift::Cluster", "ClusterIdentifier"),),
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::FSx::Volume": "moto does not implement DescribeVolumes (fsx)",
    "AWS::FSx::StorageVirtualMachine": "moto does not implement "
    "DescribeStorageVirtualMachines",
    "AWS::ElasticLoadBalancingV2::TrustStore": "moto does not implement DescribeTrustStores",
    "AWS::Redshift::UsageLimit": "moto does not implement DescribeUsageLimits",
    **{
        f"AWS::EC2::SecurityGroup{kind}": "every security group the other seed helpers make "
        "brings rules none of them records (a default egress rule at least): the exact set "
        "is not known to a seed helper"
        for kind in ("Ingress", "Egress")
    },
}
