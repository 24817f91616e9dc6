"""Storage, databases and analytics: EFS, Backup, RDS extras, ElastiCache, Redshift, OpenSearch,
DAX, Glue, Athena, Kinesis, Firehose, EMR, MSK."""

from __future__ import annotations

from typing import Any

from collector.registry._common import (
    arn_tags_detail,
    describe,
    encrypted_with,
    in_subnet,
    in_vpc,
    network,
    role,
    tags_detail,
    uses_sg,
)
from collector.registry.base import BatchDetail, Detail, Item, Link, ResourceType


def _rds_tags(arn_field: str) -> Detail:
    return tags_detail("list_tags_for_resource", "ResourceName", arn_field, "TagList")


def _redshift(
    name: str, operation: str, items: str, id_: str, kind: str, **kw: Any
) -> ResourceType:
    return ResourceType(
        f"AWS::Redshift::{name}", "redshift", operation, items, id=id_, name=id_,
        arn_template="arn:{partition}:redshift:{region}:{account}:" + kind, tags="Tags",
        page_size=100, **kw,
    )  # fmt: skip


def _glue_table_id(item: Item) -> str:
    """DatabaseName/Name"""
    return f"{item['DatabaseName']}/{item['Name']}"


_GLUE = "arn:{partition}:glue:{region}:{account}:"

TYPES = (
    ResourceType(
        "AWS::EFS::FileSystem", "efs", "describe_file_systems", "FileSystems[]",
        id="FileSystemId", arn="FileSystemArn",
        arn_template="arn:{partition}:elasticfilesystem:{region}:{account}:file-system/{id}",
        name="Name", tags="Tags", created="CreationTime", page_size=100,
        links=(
            encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::EFS::AccessPoint", "efs", "describe_access_points", "AccessPoints[]",
        id="AccessPointId", arn="AccessPointArn", name="Name", tags="Tags", page_size=100,
        links=(
            Link("member_of", "AWS::EFS::FileSystem", "FileSystemId"),
        ),
    ),
    ResourceType(
        "AWS::Backup::BackupVault", "backup", "list_backup_vaults", "BackupVaultList[]",
        id="BackupVaultName", arn="BackupVaultArn", name="BackupVaultName",
        created="CreationDate", page_size=1000,
        details=(tags_detail("list_tags", "ResourceArn", "BackupVaultArn"),), tags="Tags",
        links=(
            encrypted_with("EncryptionKeyArn"),
        ),
    ),
    ResourceType(
        "AWS::Backup::BackupPlan", "backup", "list_backup_plans", "BackupPlansList[]",
        id="BackupPlanId", arn="BackupPlanArn", name="BackupPlanName", created="CreationDate",
        page_size=1000,
        details=(tags_detail("list_tags", "ResourceArn", "BackupPlanArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::RDS::DBCluster", "rds", "describe_db_clusters", "DBClusters[]",
        id="DBClusterIdentifier", arn="DBClusterArn", name="DBClusterIdentifier",
        tags="TagList", created="ClusterCreateTime", page_size=100,
        volatile=("LatestRestorableTime",),
        links=(
            uses_sg("VpcSecurityGroups[].VpcSecurityGroupId"),
            Link("in_subnet_group", "AWS::RDS::DBSubnetGroup", "DBSubnetGroup",
                 "arn:{partition}:rds:{region}:{account}:subgrp:{name}"),
            Link("has_member", "AWS::RDS::DBInstance", "DBClusterMembers[].DBInstanceIdentifier",
                 "arn:{partition}:rds:{region}:{account}:db:{name}"),
            encrypted_with("KmsKeyId"),
            role("AssociatedRoles[].RoleArn", "uses_role"),
        ),
    ),
    ResourceType(
        "AWS::RDS::DBSnapshot", "rds", "describe_db_snapshots", "DBSnapshots[]",
        id="DBSnapshotIdentifier", arn="DBSnapshotArn", name="DBSnapshotIdentifier",
        tags="TagList", created="SnapshotCreateTime", page_size=100,
        links=(
            Link("snapshot_of", "AWS::RDS::DBInstance", "DBInstanceIdentifier",
                 "arn:{partition}:rds:{region}:{account}:db:{name}"),
            in_vpc(), encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::RDS::DBClusterSnapshot", "rds", "describe_db_cluster_snapshots",
        "DBClusterSnapshots[]", id="DBClusterSnapshotIdentifier", arn="DBClusterSnapshotArn",
        name="DBClusterSnapshotIdentifier", tags="TagList", created="SnapshotCreateTime",
        page_size=100,
        links=(
            Link("snapshot_of", "AWS::RDS::DBCluster", "DBClusterIdentifier",
                 "arn:{partition}:rds:{region}:{account}:cluster:{name}"),
            in_vpc(), encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::RDS::DBSubnetGroup", "rds", "describe_db_subnet_groups", "DBSubnetGroups[]",
        id="DBSubnetGroupName", arn="DBSubnetGroupArn", name="DBSubnetGroupName",
        page_size=100, details=(_rds_tags("DBSubnetGroupArn"),), tags="Tags",
        links=(
            in_vpc(), in_subnet("Subnets[].SubnetIdentifier"),
        ),
    ),
    ResourceType(
        "AWS::RDS::DBParameterGroup", "rds", "describe_db_parameter_groups",
        "DBParameterGroups[]", id="DBParameterGroupName", arn="DBParameterGroupArn",
        name="DBParameterGroupName", page_size=100,
        details=(_rds_tags("DBParameterGroupArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::RDS::DBClusterParameterGroup", "rds", "describe_db_cluster_parameter_groups",
        "DBClusterParameterGroups[]", id="DBClusterParameterGroupName",
        arn="DBClusterParameterGroupArn", name="DBClusterParameterGroupName", page_size=100,
        details=(_rds_tags("DBClusterParameterGroupArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::RDS::OptionGroup", "rds", "describe_option_groups", "OptionGroupsList[]",
        id="OptionGroupName", arn="OptionGroupArn", name="OptionGroupName", page_size=100,
        details=(_rds_tags("OptionGroupArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::RDS::EventSubscription", "rds", "describe_event_subscriptions",
        "EventSubscriptionsList[]", id="CustSubscriptionId", arn="EventSubscriptionArn",
        name="CustSubscriptionId", created="SubscriptionCreationTime", page_size=100,
        details=(_rds_tags("EventSubscriptionArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::ElastiCache::CacheCluster", "elasticache", "describe_cache_clusters",
        "CacheClusters[]", id="CacheClusterId", arn="ARN", name="CacheClusterId",
        created="CacheClusterCreateTime", page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceName", "ARN", "TagList"),),
        tags="Tags",
        links=(
            uses_sg("SecurityGroups[].SecurityGroupId"),
            Link("member_of", "AWS::ElastiCache::ReplicationGroup", "ReplicationGroupId",
                 "arn:{partition}:elasticache:{region}:{account}:replicationgroup:{name}"),
            Link("in_subnet_group", "AWS::ElastiCache::SubnetGroup", "CacheSubnetGroupName",
                 "arn:{partition}:elasticache:{region}:{account}:subnetgroup:{name}"),
        ),
    ),
    ResourceType(
        "AWS::ElastiCache::ReplicationGroup", "elasticache", "describe_replication_groups",
        "ReplicationGroups[]", id="ReplicationGroupId", arn="ARN", name="ReplicationGroupId",
        created="ReplicationGroupCreateTime", page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceName", "ARN", "TagList"),),
        tags="Tags",
        links=(
            Link("has_member", "AWS::ElastiCache::CacheCluster", "MemberClusters[]",
                 "arn:{partition}:elasticache:{region}:{account}:cluster:{name}"),
            encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::ElastiCache::SubnetGroup", "elasticache", "describe_cache_subnet_groups",
        "CacheSubnetGroups[]", id="CacheSubnetGroupName", arn="ARN",
        name="CacheSubnetGroupName", page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceName", "ARN", "TagList"),),
        tags="Tags",
        links=(
            in_vpc(), in_subnet("Subnets[].SubnetIdentifier"),
        ),
    ),
    _redshift("Cluster", "describe_clusters", "Clusters[]", "ClusterIdentifier",
              "cluster:{ClusterIdentifier}", created="ClusterCreateTime",
              links=(
                  in_vpc(), uses_sg("VpcSecurityGroups[].VpcSecurityGroupId"),
                  Link("in_subnet_group", "AWS::Redshift::ClusterSubnetGroup",
                       "ClusterSubnetGroupName"),
                  encrypted_with("KmsKeyId"),
                  role("IamRoles[].IamRoleArn", "uses_role"),
              )),
    _redshift("ClusterSubnetGroup", "describe_cluster_subnet_groups", "ClusterSubnetGroups[]",
              "ClusterSubnetGroupName", "subnetgroup:{ClusterSubnetGroupName}",
              links=(
                  in_vpc(), in_subnet("Subnets[].SubnetIdentifier"),
              )),
    _redshift("ClusterParameterGroup", "describe_cluster_parameter_groups", "ParameterGroups[]",
              "ParameterGroupName", "parametergroup:{ParameterGroupName}"),
    # Manual snapshots only: automated ones come and go with the retention period.
    _redshift("ClusterSnapshot", "describe_cluster_snapshots", "Snapshots[]",
              "SnapshotIdentifier", "snapshot:{ClusterIdentifier}/{SnapshotIdentifier}",
              created="SnapshotCreateTime", params={"SnapshotType": "manual"},
              where="SnapshotType == 'manual'"),
    ResourceType(
        "AWS::OpenSearchService::Domain", "opensearch", "list_domain_names", "DomainNames[]",
        id="DomainName", arn="ARN", name="DomainName",
        details=(
            # DescribeDomains takes five names at a time.
            BatchDetail(
                "describe_domains",
                lambda items: {"DomainNames": [i["DomainName"] for i in items]},
                size=5, result="DomainStatusList", key="DomainName", item_key="DomainName",
                into=None, drop_missing=True,
            ),
            tags_detail("list_tags", "ARN", "ARN", "TagList"),
        ),
        tags="Tags",
        links=(
            *network("VPCOptions.VPCId", "VPCOptions.SubnetIds[]", "VPCOptions.SecurityGroupIds[]"),
            encrypted_with("EncryptionAtRestOptions.KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::DAX::Cluster", "dax", "describe_clusters", "Clusters[]", id="ClusterName",
        arn="ClusterArn", name="ClusterName", page_size=100,
        details=(tags_detail("list_tags", "ResourceName", "ClusterArn"),), tags="Tags",
        links=(
            role("IamRoleArn"), uses_sg("SecurityGroups[].SecurityGroupIdentifier"),
        ),
    ),
    ResourceType(
        "AWS::Glue::Database", "glue", "get_databases", "DatabaseList[]", id="Name",
        arn_template=_GLUE + "database/{Name}", name="Name", created="CreateTime",
        page_size=100, details=(arn_tags_detail("get_tags", "ResourceArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Glue::Table", "glue", "get_tables", "TableList[]", id=_glue_table_id,
        arn_template=_GLUE + "table/{DatabaseName}/{Name}", name="Name", created="CreateTime",
        page_size=100, parent="AWS::Glue::Database", parent_params={"DatabaseName": "Name"},
        parent_absent_codes=("EntityNotFoundException",),
        links=(
            Link("member_of", "AWS::Glue::Database", "DatabaseName"),
        ),
    ),
    ResourceType(
        "AWS::Glue::Crawler", "glue", "get_crawlers", "Crawlers[]", id="Name",
        arn_template=_GLUE + "crawler/{Name}", name="Name", created="CreationTime",
        page_size=1000, details=(arn_tags_detail("get_tags", "ResourceArn"),), tags="Tags",
        links=(
            role("Role"),
            Link("crawls_into", "AWS::Glue::Database", "DatabaseName"),
        ),
    ),
    ResourceType(
        "AWS::Glue::Job", "glue", "get_jobs", "Jobs[]", id="Name",
        arn_template=_GLUE + "job/{Name}", name="Name", created="CreatedOn", page_size=1000,
        details=(arn_tags_detail("get_tags", "ResourceArn"),), tags="Tags",
        links=(
            role("Role"),
        ),
    ),
    ResourceType(
        "AWS::Athena::WorkGroup", "athena", "list_work_groups", "WorkGroups[]", id="Name",
        arn_template="arn:{partition}:athena:{region}:{account}:workgroup/{Name}", name="Name",
        created="CreationTime", next_token="NextToken", params={"MaxResults": 50},
        details=(arn_tags_detail("list_tags_for_resource", "ResourceARN"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Kinesis::Stream", "kinesis", "list_streams", "StreamSummaries[]",
        id="StreamName", arn="StreamARN", name="StreamName",
        created="StreamCreationTimestamp", page_size=1000,
        details=(tags_detail("list_tags_for_stream", "StreamName", "StreamName"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::KinesisFirehose::DeliveryStream", "firehose", "list_delivery_streams",
        "DeliveryStreamNames[]", item_key="DeliveryStreamName", id="DeliveryStreamName",
        arn="DeliveryStreamARN", name="DeliveryStreamName", created="CreateTimestamp",
        params={"Limit": 10000},
        details=(
            describe("describe_delivery_stream", "DeliveryStreamName", "DeliveryStreamName",
                     "DeliveryStreamDescription"),
            tags_detail("list_tags_for_delivery_stream", "DeliveryStreamName",
                        "DeliveryStreamName"),
        ),
        tags="Tags",
        links=(
            encrypted_with("DeliveryStreamEncryptionConfiguration.KeyARN"),
        ),
    ),
    # Terminated clusters stay listed for two months; only the live ones are inventory.
    ResourceType(
        "AWS::EMR::Cluster", "emr", "list_clusters", "Clusters[]", id="Id", arn="ClusterArn",
        name="Name", created="Status.Timeline.CreationDateTime",
        params={"ClusterStates": ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING",
                                  "TERMINATING"]},
        details=(
            Detail("describe_cluster", lambda i: {"ClusterId": i["Id"]}, "Cluster.Tags",
                   into="Tags"),
        ),
        tags="Tags",
    ),
    ResourceType(
        "AWS::MSK::Cluster", "kafka", "list_clusters_v2", "ClusterInfoList[]",
        id="ClusterName", arn="ClusterArn", name="ClusterName", tags="Tags",
        created="CreationTime", page_size=100,
    ),
)  # fmt: skip
