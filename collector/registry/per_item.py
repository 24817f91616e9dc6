"""Why each remaining per-item detail call has no cheaper form (issue 15: the fewest calls).

A `Detail` costs one call per item. Every one the registry declares is named here, by
(service, operation), with the reason AWS leaves no alternative: the list call's answer lacks
the value, and no call of the service answers for several items at once. Where one does, the
type declares a `BatchDetail` instead (ELB DescribeTags, ECS Describe*, CloudTrail ListTags,
Route 53 ListTagsForResources, CodeBuild BatchGetProjects, CodeCommit BatchGetRepositories,
OpenSearch DescribeDomains), and where the list call carries the value the type reads it
inline (EC2, RDS instances/clusters/snapshots, Auto Scaling, EFS, Redshift, MSK, Secrets
Manager). tests/test_per_item_calls.py holds every per-item detail to this table and checks
the reasons that botocore's models can check; docs/resources.md prints it.

IAM users, roles and groups come from GetAccountAuthorizationDetails (1000 a page, with their
tags, group memberships and attached and inline policies): no per-item call is left for them
(collector/registry/iam.py says what it joins in, and how). Its managed policies carry no
tags, so AWS::IAM::ManagedPolicy keeps ListPolicyTags.

One alternative exists and is deliberately not used:
- The Resource Groups Tagging API (tag:GetResources, 100 ARNs a call) returns the tags of
  most services, but it is a separate, eventually consistent index (fresh tags lag behind),
  needs another permission, and its coverage differs per service and region.
"""

from __future__ import annotations

_NO_TAGS = "the list call's items carry no tags; the tag call takes one resource"
_IAM_OMITS = (
    "the list call leaves Tags out (its API reference says so, though its shape has them); "
    "one resource a call"
)
_NAMES_ONLY = "the list call returns names or ids only, and the describe call takes one"

# (service, botocore operation of the detail) -> why it stays one call per item.
PER_ITEM: dict[tuple[str, str], str] = {
    ("iam", "list_policy_tags"): (
        "ListPolicies leaves Tags out, and so does GetAccountAuthorizationDetails' "
        "ManagedPolicyDetail; one policy a call"
    ),
    ("iam", "list_instance_profile_tags"): _IAM_OMITS,
    ("iam", "list_mfa_device_tags"): _IAM_OMITS,
    ("iam", "list_saml_provider_tags"): _IAM_OMITS,
    ("iam", "list_server_certificate_tags"): _IAM_OMITS,
    ("iam", "get_open_id_connect_provider"): (
        "ListOpenIDConnectProviders returns ARNs only; GetOpenIDConnectProvider takes one"
    ),
    ("s3", "get_bucket_location"): (
        "only for a bucket ListBuckets answered without its BucketRegion (skip_if_present)"
    ),
    ("s3", "get_bucket_tagging"): "ListBuckets carries no tags; S3 reads one bucket's tag set",
    ("s3", "get_bucket_encryption"): "S3 reads one bucket's default encryption a call",
    ("lambda", "list_tags"): _NO_TAGS,
    ("dynamodb", "describe_table"): _NAMES_ONLY,
    ("dynamodb", "list_tags_of_resource"): "DescribeTable carries no tags; one table a call",
    ("sqs", "get_queue_attributes"): "ListQueues returns URLs only; one queue a call",
    ("sqs", "list_queue_tags"): "ListQueues returns URLs only; one queue a call",
    ("sns", "get_topic_attributes"): "ListTopics returns ARNs only; one topic a call",
    ("sns", "list_tags_for_resource"): _NO_TAGS,
    ("kms", "describe_key"): "ListKeys returns ids and ARNs only; one key a call",
    ("kms", "list_resource_tags"): (
        "ListKeys and DescribeKey carry no tags; one key a call, customer managed keys only "
        "(AWS managed keys cannot be tagged)"
    ),
    ("cloudfront", "list_tags_for_resource"): _NO_TAGS,
    ("route53resolver", "list_tags_for_resource"): _NO_TAGS,
    ("ecs", "describe_task_definition"): (
        "ListTaskDefinitions returns ARNs only; DescribeTaskDefinition takes one revision"
    ),
    ("eks", "describe_cluster"): _NAMES_ONLY,
    ("eks", "describe_nodegroup"): _NAMES_ONLY,
    ("eks", "describe_fargate_profile"): _NAMES_ONLY,
    ("eks", "describe_addon"): _NAMES_ONLY,
    ("ecr", "list_tags_for_resource"): _NO_TAGS,
    ("elasticbeanstalk", "list_tags_for_resource"): _NO_TAGS,
    ("sagemaker", "list_tags"): _NO_TAGS,
    ("backup", "list_tags"): _NO_TAGS,
    ("rds", "list_tags_for_resource"): (
        "subnet groups, parameter groups, option groups and event subscriptions come without "
        "TagList (instances, clusters and snapshots have it, read inline); one ARN a call"
    ),
    ("elasticache", "list_tags_for_resource"): _NO_TAGS,
    ("opensearch", "list_tags"): "DescribeDomains (5 a call) carries no tags; one ARN a call",
    ("dax", "list_tags"): _NO_TAGS,
    ("glue", "get_tags"): (
        "GetDatabases/GetCrawlers/GetJobs (and BatchGet*) carry no tags; one ARN a call"
    ),
    ("athena", "list_tags_for_resource"): _NO_TAGS,
    ("kinesis", "list_tags_for_stream"): _NO_TAGS,
    ("firehose", "describe_delivery_stream"): _NAMES_ONLY,
    ("firehose", "list_tags_for_delivery_stream"): _NO_TAGS,
    ("emr", "describe_cluster"): (
        "ListClusters' summaries carry no tags; DescribeCluster (one cluster) is where they are"
    ),
    ("events", "list_tags_for_resource"): _NO_TAGS,
    ("stepfunctions", "list_tags_for_resource"): _NO_TAGS,
    ("mq", "list_tags"): _NO_TAGS,
    ("sesv2", "list_tags_for_resource"): _NO_TAGS,
    ("acm", "list_tags_for_certificate"): _NO_TAGS,
    ("ssm", "get_parameter"): (
        "only for a parameter DescribeParameters answered without its ARN (skip_if_present)"
    ),
    ("ssm", "list_tags_for_resource"): _NO_TAGS,
    ("cognito-idp", "describe_user_pool"): (
        "ListUserPools carries no tags or settings; one pool a call"
    ),
    ("cognito-identity", "describe_identity_pool"): (
        "ListIdentityPools returns ids and names only; one pool a call"
    ),
    ("wafv2", "list_tags_for_resource"): _NO_TAGS,
    ("guardduty", "get_detector"): "ListDetectors returns ids only (one detector a region)",
    ("cloudwatch", "list_tags_for_resource"): _NO_TAGS,
    ("logs", "list_tags_log_group"): _NO_TAGS,
    ("organizations", "list_tags_for_resource"): _NO_TAGS,
    ("codepipeline", "list_tags_for_resource"): _NO_TAGS,
    ("codecommit", "list_tags_for_resource"): (
        "BatchGetRepositories (100 a call) carries no tags; one ARN a call"
    ),
    ("servicediscovery", "list_tags_for_resource"): _NO_TAGS,
    # IoT, media and desktop families (collector/registry/{iot,iot_industrial,transfer,media,
    # desktops,app_platforms}.py).
    **{
        (service, "list_tags_for_resource"): _NO_TAGS
        for service in (
            "appstream", "cloud9", "datasync", "devicefarm", "greengrassv2", "groundstation",
            "iot", "iotanalytics", "iotevents", "iotsitewise", "iottwinmaker", "iotwireless",
            "kinesisvideo", "m2", "mediaconnect", "transfer",
        )
    },
    ("kinesisvideo", "list_tags_for_stream"): _NO_TAGS,
    ("workspaces", "describe_tags"): "DescribeWorkspaces carries no tags; DescribeTags takes one "
    "resource id",
    # Network family (collector/registry/{ec2_extra,route53_more,network_services,waf_shield,
    # s3_more}.py).
    **{
        (service, "list_tags_for_resource"): _NO_TAGS
        for service in (
            "globalaccelerator", "route53profiles", "route53-recovery-control-config", "shield",
        )
    },
    ("network-firewall", "describe_firewall"): _NAMES_ONLY,
    ("network-firewall", "describe_firewall_policy"): _NAMES_ONLY,
    ("network-firewall", "describe_rule_group"): _NAMES_ONLY,
    # Ops, data and ML families (collector/registry/{appconfig,devtools,containers,
    # security_ops,observability,integration,governance,data_stores,streaming,
    # machine_learning,contact_center}.py).
    **{
        (service, "list_tags_for_resource"): _NO_TAGS
        for service in (
            "appconfig", "appintegrations", "apprunner", "auditmanager", "bedrock",
            "codeartifact", "codedeploy", "codeguru-reviewer", "connect", "detective",
            "dms", "ecr-public", "forecast", "frauddetector", "healthlake",
            "kafka", "kafkaconnect", "kendra", "keyspaces", "kinesis",
            "kinesisanalyticsv2", "lexv2-models", "logs", "opensearchserverless", "personalize",
            "resiliencehub", "rum",
        )
    },
    **{(service, "list_tags"): _NO_TAGS for service in ("acm-pca", "memorydb")},
    # CloudFormation-only types (collector/registry/{api_routes,workflows,automation,
    # audit_trails,data_access,edge_access}.py).
    **{
        (service, "list_tags_for_resource"): _NO_TAGS
        for service in (
            "codestar-connections", "config", "ds", "eks", "macie2", "pipes",
            "redshift-serverless", "rolesanywhere", "scheduler", "securityhub", "sso-admin",
            "ssm-incidents", "verifiedpermissions", "vpc-lattice",
        )
    },
    ("eks", "describe_access_entry"): _NAMES_ONLY,
    ("network-firewall", "describe_tls_inspection_configuration"): _NAMES_ONLY,
    ("cloudformation", "describe_stack_set"): (
        "ListStackSets' summaries carry no tags; DescribeStackSet takes one stack set"
    ),
    ("eks", "describe_identity_provider_config"): _NAMES_ONLY,
    ("guardduty", "get_filter"): _NAMES_ONLY,
    ("guardduty", "get_ip_set"): _NAMES_ONLY,
    ("guardduty", "get_threat_intel_set"): _NAMES_ONLY,
    ("servicecatalog", "describe_portfolio"): _NAMES_ONLY,
    ("servicecatalog", "describe_product_as_admin"): _NAMES_ONLY,
    ("s3control", "list_tags_for_resource"): _NO_TAGS,
    ("s3control", "get_storage_lens_configuration_tagging"): _NO_TAGS,
    ("budgets", "list_tags_for_resource"): _NO_TAGS,
    ("quicksight", "list_tags_for_resource"): _NO_TAGS,
}
