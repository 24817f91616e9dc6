"""Who may reach the data stores, and the stores the older families left out (issue 17,
CloudFormation-only types): ElastiCache and MemoryDB users and access lists, serverless caches,
MemoryDB clusters, Redshift Serverless, RDS Proxy, AppSync data sources and domains."""

from __future__ import annotations

from collector.registry._common import (
    encrypted_with,
    lower_tags,
    network,
    role,
    tags_detail,
)
from collector.registry.base import Detail, Link, ResourceType

_EC_TAGS: tuple[Detail, ...] = (tags_detail("list_tags_for_resource", "ResourceName", "ARN", "TagList"),)
_MDB_TAGS: tuple[Detail, ...] = (tags_detail("list_tags", "ResourceArn", "ARN", "TagList"),)


def _rds_tags(arn_member: str) -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "ResourceName", arn_member, "TagList"),)


def _rss_tags(arn_member: str) -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "resourceArn", arn_member, "tags"),)


TYPES = (
    # Users carry their access string (which commands on which keys) and how they
    # authenticate (a password count, never the passwords).
    ResourceType(
        "AWS::ElastiCache::User", "elasticache", "describe_users", "Users[]", id="UserId",
        arn="ARN", name="UserName", page_size=100, details=_EC_TAGS, tags="Tags",
        links=(Link("member_of", "AWS::ElastiCache::UserGroup", "UserGroupIds"),),
    ),
    ResourceType(
        "AWS::ElastiCache::UserGroup", "elasticache", "describe_user_groups", "UserGroups[]",
        id="UserGroupId", arn="ARN", name="UserGroupId", page_size=100, details=_EC_TAGS,
        tags="Tags",
        links=(Link("has_member", "AWS::ElastiCache::User", "UserIds"),),
    ),
    ResourceType(
        "AWS::ElastiCache::ServerlessCache", "elasticache", "describe_serverless_caches",
        "ServerlessCaches[]", id="ServerlessCacheName", arn="ARN", name="ServerlessCacheName",
        created="CreateTime", page_size=100, details=_EC_TAGS, tags="Tags",
        links=(
            *network(None, "SubnetIds", "SecurityGroupIds"),
            encrypted_with("KmsKeyId"),
            Link("uses_user_group", "AWS::ElastiCache::UserGroup", "UserGroupId"),
        ),
    ),
    ResourceType(
        "AWS::MemoryDB::Cluster", "memorydb", "describe_clusters", "Clusters[]", id="Name",
        arn="ARN", name="Name", page_size=100, details=_MDB_TAGS, tags="Tags",
        links=(
            Link("uses_acl", "AWS::MemoryDB::ACL", "ACLName"),
            Link("in_subnet_group", "AWS::MemoryDB::SubnetGroup", "SubnetGroupName"),
            Link("uses_security_group", "AWS::EC2::SecurityGroup", "SecurityGroups[].SecurityGroupId"),
            encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::MemoryDB::User", "memorydb", "describe_users", "Users[]", id="Name", arn="ARN",
        name="Name", page_size=100, details=_MDB_TAGS, tags="Tags",
        links=(Link("member_of", "AWS::MemoryDB::ACL", "ACLNames"),),
    ),
    ResourceType(
        "AWS::MemoryDB::ACL", "memorydb", "describe_acls", "ACLs[]", id="Name", arn="ARN",
        name="Name", page_size=50, details=_MDB_TAGS, tags="Tags",
        links=(Link("has_member", "AWS::MemoryDB::User", "UserNames"),),
    ),
    ResourceType(
        "AWS::RedshiftServerless::Namespace", "redshift-serverless", "list_namespaces",
        "namespaces[]", id="namespaceName", arn="namespaceArn", name="namespaceName",
        created="creationDate", page_size=100, details=_rss_tags("namespaceArn"),
        tags=lower_tags("Tags"),
        links=(
            encrypted_with("kmsKeyId"),
            role("iamRoles", "uses_role"),
            Link("stores_password_in", "AWS::SecretsManager::Secret", "adminPasswordSecretArn"),
        ),
    ),
    ResourceType(
        "AWS::RedshiftServerless::Workgroup", "redshift-serverless", "list_workgroups",
        "workgroups[]", id="workgroupName", arn="workgroupArn", name="workgroupName",
        created="creationDate", page_size=100, details=_rss_tags("workgroupArn"),
        tags=lower_tags("Tags"),
        links=(
            *network(None, "subnetIds", "securityGroupIds"),
            Link("serves_namespace", "AWS::RedshiftServerless::Namespace", "namespaceName"),
        ),
    ),
    ResourceType(
        # Auth names the secrets the proxy logs in with (ARNs), never their values.
        "AWS::RDS::DBProxy", "rds", "describe_db_proxies", "DBProxies[]", id="DBProxyName",
        arn="DBProxyArn", name="DBProxyName", created="CreatedDate", page_size=100,
        details=_rds_tags("DBProxyArn"), tags="Tags",
        links=(
            *network("VpcId", "VpcSubnetIds", "VpcSecurityGroupIds"),
            role("RoleArn"),
            Link("reads_secret", "AWS::SecretsManager::Secret", "Auth[].SecretArn"),
        ),
    ),
    ResourceType(
        # Every proxy has a default endpoint too (IsDefault): listed, it is a way in.
        "AWS::RDS::DBProxyEndpoint", "rds", "describe_db_proxy_endpoints", "DBProxyEndpoints[]",
        id="DBProxyEndpointName", arn="DBProxyEndpointArn", name="DBProxyEndpointName",
        created="CreatedDate", page_size=100, details=_rds_tags("DBProxyEndpointArn"),
        tags="Tags",
        links=(
            *network("VpcId", "VpcSubnetIds", "VpcSecurityGroupIds"),
            Link("endpoint_of", "AWS::RDS::DBProxy", "DBProxyName"),
        ),
    ),
    ResourceType(
        "AWS::AppSync::DataSource", "appsync", "list_data_sources", "dataSources[]",
        id="dataSourceArn", arn="dataSourceArn", name="name", page_size=25,
        parent="AWS::AppSync::GraphQLApi", parent_params={"apiId": "apiId"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("member_of", "AWS::AppSync::GraphQLApi", "apiId"),
            role("serviceRoleArn"),
            Link("reads_from", "AWS::DynamoDB::Table", "dynamodbConfig.tableName"),
            Link("invokes", "AWS::Lambda::Function", "lambdaConfig.lambdaFunctionArn"),
        ),
    ),
    ResourceType(
        "AWS::AppSync::DomainName", "appsync", "list_domain_names", "domainNameConfigs[]",
        id="domainName", arn="domainNameArn", name="domainName", tags="tags", page_size=25,
        arn_template="arn:{partition}:appsync:{region}:{account}:domainnames/{domainName}",
        links=(
            Link("uses_certificate", "AWS::CertificateManager::Certificate", "certificateArn"),
        ),
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::ElastiCache::UserGroup": "moto does not implement DescribeUserGroups",
    "AWS::ElastiCache::ServerlessCache": "moto does not implement DescribeServerlessCaches",
    "AWS::MemoryDB::ACL": "moto does not implement DescribeACLs",
    "AWS::RedshiftServerless::Namespace": "moto does not implement Redshift Serverless",
    "AWS::RedshiftServerless::Workgroup": "moto does not implement Redshift Serverless",
    "AWS::RDS::DBProxyEndpoint": "moto does not implement DescribeDBProxyEndpoints",
    "AWS::AppSync::DataSource": "moto does not implement ListDataSources",
    "AWS::AppSync::DomainName": "moto does not implement ListDomainNames (appsync)",
}
