"""CloudFormation-only types people ask for in an inventory that the registry does not collect,
and why (issue 17). No types of its own: the reasons are gathered into
`collector.registry.LEFT_OUT` (NOT_COLLECTED is the AWS Config types') and docs/resources.md.

Most lack an ARN, and every record is keyed by its ARN (the engine cannot key a record by its
parent's ARN plus an id yet); the rest are parts of a resource the registry already lists, or
answers that would store what must not be stored.
"""

from __future__ import annotations

from collector.registry.base import ResourceType

TYPES: tuple[ResourceType, ...] = ()

_NO_ARN = "needs engine support: AWS gives {} no ARN, and every record is keyed by its ARN"
_NESTED_MARKER = (
    "needs engine support: {} has no paginator in botocore and answers its next marker inside "
    "the list object ({}.NextMarker), which next_token cannot follow"
)

LEFT_OUT: dict[str, str] = {
    "AWS::IAM::AccessKey": _NO_ARN.format("an access key (ListAccessKeys per user answers id, "
                                          "status and creation date)"),
    **{
        f"AWS::IAM::{kind}Policy": _NO_ARN.format(
            f"an inline policy (List{kind}Policies per {kind.lower()} answers its names only)"
        )
        for kind in ("User", "Role", "Group")
    },
    "AWS::IAM::ServiceLinkedRole": "a service-linked role is a role: AWS::IAM::Role lists it "
    "(path /aws-service-role/)",
    "AWS::KMS::ReplicaKey": "a replica key is a key: AWS::KMS::Key lists it in its own region",
    "AWS::Route53::RecordSet": _NO_ARN.format("a record set (ListResourceRecordSets per zone)"),
    "AWS::Logs::MetricFilter": _NO_ARN.format("a metric filter"),
    "AWS::Logs::SubscriptionFilter": _NO_ARN.format("a subscription filter"),
    "AWS::Logs::QueryDefinition": _NO_ARN.format("a saved query definition"),
    "AWS::EFS::MountTarget": _NO_ARN.format("a mount target (the reference documents file "
                                            "systems and access points only)"),
    "AWS::Lambda::Url": _NO_ARN.format("a function URL of its own (its FunctionArn is the "
                                       "function's or alias's, already a record)"),
    "AWS::Lambda::Permission": "a statement of the function's resource policy (GetPolicy per "
    "function), not a listed resource",
    "AWS::Cognito::UserPoolIdentityProvider": _NO_ARN.format("a user pool's identity provider"),
    "AWS::Cognito::UserPoolResourceServer": _NO_ARN.format("a user pool's resource server"),
    "AWS::Cognito::UserPoolDomain": "no list call: DescribeUserPoolDomain wants the domain, "
    "which the user pool's own description names",
    "AWS::GuardDuty::Member": _NO_ARN.format("a member account of a detector"),
    "AWS::EC2::NetworkInterfacePermission": _NO_ARN.format("a network interface permission"),
    "AWS::ECR::RepositoryCreationTemplate": _NO_ARN.format("a repository creation template"),
    "AWS::CloudFront::PublicKey": _NO_ARN.format("a CloudFront public key"),
    **{
        f"AWS::CloudFront::{kind}": _NESTED_MARKER.format(f"List{plural}", f"{list_name}List")
        for kind, plural, list_name in (
            ("Function", "Functions", "Function"),
            ("CachePolicy", "CachePolicies", "CachePolicy"),
            ("ResponseHeadersPolicy", "ResponseHeadersPolicies", "ResponseHeadersPolicy"),
            ("KeyGroup", "KeyGroups", "KeyGroup"),
        )
    },
    "AWS::Glue::Connection": "GetConnections answers connection properties that may hold "
    "credentials: a data read the policy never grants (glue:GetConnections)",
    "AWS::AppSync::ApiKey": "an API key's id is the key itself (ListApiKeys): a secret",
    "AWS::ApiGatewayV2::DomainName": "REST and HTTP APIs share one set of custom domain names: "
    "AWS::ApiGateway::DomainName lists them (same ARN)",
    **{
        f"AWS::Bedrock::{kind}": "needs engine support: botocore's endpoint data lists no "
        "regions for bedrock-agent (ListAgents, ListFlows, ListPrompts), so no scope is planned"
        for kind in ("Agent", "Flow", "Prompt")
    },
    **{
        f"AWS::SES::MailManager{kind}": "needs engine support: botocore's endpoint data lists "
        "no regions for mailmanager, so no scope is planned"
        for kind in ("IngressPoint", "Relay", "Archive")
    },
    "AWS::SNS::TopicPolicy": "the topic's Policy attribute, not a listed resource",
    "AWS::SQS::QueuePolicy": "the queue's Policy attribute, not a listed resource",
    "AWS::SecretsManager::RotationSchedule": "the secret's rotation settings (ListSecrets "
    "answers RotationEnabled and RotationRules), not a listed resource",
    "AWS::SecretsManager::ResourcePolicy": "the secret's resource policy (GetResourcePolicy per "
    "secret), not a listed resource",
}
