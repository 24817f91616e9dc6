"""More databases and analytics: DMS, Keyspaces, MemoryDB, Aurora global clusters, Redshift
event subscriptions, OpenSearch Serverless, Athena data catalogs, Glue ML transforms,
QuickSight data sources, templates and themes."""

from __future__ import annotations

from collector.registry._common import (
    arn_tags_detail,
    encrypted_with,
    in_subnet,
    in_vpc,
    lower_tags,
    role,
    tags_detail,
)
from collector.registry.base import Detail, Grant, Link, ResourceType

_DMS = "arn:{partition}:dms:{region}:{account}:"
# Keyspaces every account has, owned by the service (ListKeyspaces returns them too).
_SYSTEM_KEYSPACES = "['system', 'system_schema', 'system_schema_mcs', 'system_multiregion_info']"
# Keyspaces has no List* actions: listing keyspaces is cassandra:Select on the system
# keyspaces, reading a keyspace's tags is cassandra:Select on the keyspace. A keyspace's ARN
# ends with "/" and a table's does not, so ".../keyspace/*/" grants no read of table data.
_KEYSPACES_LIST = (Grant("cassandra:Select", "arn:{partition}:cassandra:*:*:/keyspace/system*"),)
_KEYSPACE_TAGS = (Grant("cassandra:Select", "arn:{partition}:cassandra:*:*:/keyspace/*/"),)

TYPES = (
    # CloudFormation does not tag certificates.
    ResourceType(
        "AWS::DMS::Certificate", "dms", "describe_certificates", "Certificates[]",
        id="CertificateIdentifier", arn="CertificateArn", name="CertificateIdentifier",
        created="CertificateCreationDate", page_size=100,
    ),
    # DMS ListTagsForResource takes a list of ARNs but answers one flat list of tags: one
    # call per endpoint keeps each tag with its resource.
    ResourceType(
        "AWS::DMS::Endpoint", "dms", "describe_endpoints", "Endpoints[]",
        id="EndpointIdentifier", arn="EndpointArn", name="EndpointIdentifier", page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "EndpointArn",
                             "TagList"),),
        tags="Tags",
        links=(
            encrypted_with("KmsKeyId"), role("ServiceAccessRoleArn", "uses_role"),
            Link("uses_certificate", "AWS::DMS::Certificate", "CertificateArn"),
        ),
    ),
    ResourceType(
        "AWS::DMS::EventSubscription", "dms", "describe_event_subscriptions",
        "EventSubscriptionsList[]", id="CustSubscriptionId",
        arn_template=_DMS + "es:{CustSubscriptionId}", name="CustSubscriptionId",
        created="SubscriptionCreationTime", page_size=100,
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn", "TagList"),),
        tags="Tags",
        links=(
            Link("notifies", "AWS::SNS::Topic", "SnsTopicArn"),
        ),
    ),
    ResourceType(
        "AWS::DMS::ReplicationSubnetGroup", "dms", "describe_replication_subnet_groups",
        "ReplicationSubnetGroups[]", id="ReplicationSubnetGroupIdentifier",
        arn_template=_DMS + "subgrp:{ReplicationSubnetGroupIdentifier}",
        name="ReplicationSubnetGroupIdentifier", page_size=100,
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn", "TagList"),),
        tags="Tags",
        links=(
            in_vpc(), in_subnet("Subnets[].SubnetIdentifier"),
        ),
    ),
    ResourceType(
        "AWS::Cassandra::Keyspace", "keyspaces", "list_keyspaces", "keyspaces[]",
        id="keyspaceName", arn="resourceArn", name="keyspaceName",
        where=f"!contains({_SYSTEM_KEYSPACES}, keyspaceName)", iam=_KEYSPACES_LIST,
        details=(
            Detail("list_tags_for_resource", lambda i: {"resourceArn": i["resourceArn"]}, "tags",
                   into="Tags", iam=_KEYSPACE_TAGS),
        ),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::MemoryDB::SubnetGroup", "memorydb", "describe_subnet_groups", "SubnetGroups[]",
        id="Name", arn="ARN", name="Name", page_size=100,
        details=(tags_detail("list_tags", "ResourceArn", "ARN", "TagList"),), tags="Tags",
        links=(
            in_vpc(), in_subnet("Subnets[].Identifier"),
        ),
    ),
    # A global cluster is not in one region: DescribeGlobalClusters answers every one of the
    # account's from any region (only its "region" filter narrows it to clusters with a member
    # there), so they are listed once per account; their ARNs have no region.
    ResourceType(
        "AWS::RDS::GlobalCluster", "rds", "describe_global_clusters", "GlobalClusters[]",
        id="GlobalClusterIdentifier", arn="GlobalClusterArn", name="GlobalClusterIdentifier",
        tags="TagList", page_size=100, global_=True,
        links=(
            Link("has_member", "AWS::RDS::DBCluster", "GlobalClusterMembers[].DBClusterArn"),
        ),
    ),
    ResourceType(
        "AWS::Redshift::EventSubscription", "redshift", "describe_event_subscriptions",
        "EventSubscriptionsList[]", id="CustSubscriptionId",
        arn_template="arn:{partition}:redshift:{region}:{account}:eventsubscription:"
                     "{CustSubscriptionId}",
        name="CustSubscriptionId", created="SubscriptionCreationTime", tags="Tags",
        page_size=100,
        links=(
            Link("notifies", "AWS::SNS::Topic", "SnsTopicArn"),
        ),
    ),
    ResourceType(
        "AWS::OpenSearchServerless::Collection", "opensearchserverless", "list_collections",
        "collectionSummaries[]", id="id", arn="arn", name="name", next_token="nextToken",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::Athena::DataCatalog", "athena", "list_data_catalogs", "DataCatalogsSummary[]",
        id="CatalogName",
        arn_template="arn:{partition}:athena:{region}:{account}:datacatalog/{CatalogName}",
        name="CatalogName", page_size=50,
        details=(arn_tags_detail("list_tags_for_resource", "ResourceARN"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Glue::MLTransform", "glue", "get_ml_transforms", "Transforms[]",
        id="TransformId",
        arn_template="arn:{partition}:glue:{region}:{account}:mlTransform/{TransformId}",
        name="Name", created="CreatedOn", next_token="NextToken",
        details=(arn_tags_detail("get_tags", "ResourceArn"),), tags="Tags",
        links=(
            role("Role"),
        ),
    ),
    *(
        # Every QuickSight call names the account in its path (AwsAccountId). An account that
        # never signed up answers ResourceNotFoundException; a Standard edition one refuses
        # templates and themes (Enterprise only) with UnsupportedUserEditionException.
        ResourceType(
            f"AWS::QuickSight::{kind}", "quicksight", operation, f"{items}[]", id=ident,
            arn="Arn", name="Name", created="CreatedTime", account_param="AwsAccountId",
            skip_codes=("ResourceNotFoundException", "UnsupportedUserEditionException"),
            details=(tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),), tags="Tags",
            links=links,
        )
        for kind, operation, items, ident, links in (
            ("DataSource", "list_data_sources", "DataSources", "DataSourceId",
             (Link("uses_secret", "AWS::SecretsManager::Secret", "SecretArn"),)),
            ("Template", "list_templates", "TemplateSummaryList", "TemplateId", ()),
            ("Theme", "list_themes", "ThemeSummaryList", "ThemeId", ()),
        )
    ),
)  # fmt: skip

_NO_ARN = "needs engine support: AWS gives {} no ARN, and every record is keyed by its ARN"
_SAME_DOMAINS = (
    "collected as AWS::OpenSearchService::Domain (the same domains: OpenSearch and legacy "
    "Elasticsearch ones, listed once by ListDomainNames)"
)

NOT_COLLECTED: dict[str, str] = {
    "AWS::Athena::PreparedStatement": _NO_ARN.format("prepared statements"),
    "AWS::EMR::SecurityConfiguration": _NO_ARN.format("EMR security configurations"),
    "AWS::Glue::Classifier": _NO_ARN.format("Glue classifiers"),
    "AWS::OpenSearchServerless::VpcEndpoint": _NO_ARN.format(
        "OpenSearch Serverless VPC endpoints"
    ),
    "AWS::Redshift::EndpointAccess": _NO_ARN.format("Redshift-managed VPC endpoints"),
    "AWS::Redshift::EndpointAuthorization": _NO_ARN.format("endpoint authorizations"),
    "AWS::Redshift::ScheduledAction": _NO_ARN.format("Redshift scheduled actions"),
    "AWS::RDS::DBSecurityGroup": "DB security groups belonged to EC2-Classic, retired in 2023: "
    "no account can have one",
    "AWS::Redshift::ClusterSecurityGroup": "cluster security groups belonged to EC2-Classic, "
    "retired in 2023: no account can have one",
    "AWS::OpenSearch::Domain": _SAME_DOMAINS,
    "AWS::Elasticsearch::Domain": _SAME_DOMAINS,
    "AWS::QLDB::Ledger": "Amazon QLDB was discontinued (July 2025); botocore no longer has its "
    "API",
}

NOT_IN_MOTO: dict[str, str] = {
    "AWS::DMS::Certificate": "moto does not implement DescribeCertificates",
    "AWS::DMS::EventSubscription": "moto does not implement DescribeEventSubscriptions",
    "AWS::Cassandra::Keyspace": "moto does not implement ListKeyspaces/ListTagsForResource",
    "AWS::Redshift::EventSubscription": "moto does not implement DescribeEventSubscriptions",
    **{
        f"AWS::QuickSight::{kind}": f"moto does not implement List{kind}s"
        for kind in ("Template", "Theme")
    },
}
