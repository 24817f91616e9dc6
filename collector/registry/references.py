"""Where the registry knowingly departs from AWS's own references, and why.

tests/test_references_*.py check every curated type against the Service Authorization
Reference (ARN formats), CloudFormation's resource schemas (type names, `taggable`) and AWS
Config's resource types; each exception is listed here with its reason, and each is checked
to still be needed. docs/resources.md shows them per type.
"""

from __future__ import annotations

# Curated names that are not CloudFormation types: (status, reason). Status is "AWS Config"
# when AWS Config uses the name, else "neither".
NOT_CLOUDFORMATION: dict[str, tuple[str, str]] = {
    "AWS::EC2::Image": (
        "neither",
        "AMIs are made by CreateImage/RegisterImage, never by a template; the name follows EC2's "
        "resource type `image`",
    ),
    "AWS::EC2::Snapshot": (
        "neither",
        "EBS snapshots have no CloudFormation or Config type; the name follows EC2's `snapshot`",
    ),
    **{
        f"AWS::DeviceFarm::{kind}": (
            "AWS Config",
            "AWS Config records it; cfn-lint's CloudFormation schemas carry no Device Farm type",
        )
        for kind in ("InstanceProfile", "Project", "TestGridProject")
    },
    "AWS::GreengrassV2::Component": (
        "neither",
        "the parent of AWS::GreengrassV2::ComponentVersion (ListComponents); CloudFormation "
        "only has versions",
    ),
    **{
        f"AWS::IoTEvents::{kind}": (
            "AWS Config",
            "AWS Config records it; cfn-lint's CloudFormation schemas no longer carry IoT Events",
        )
        for kind in ("AlarmModel", "DetectorModel", "Input")
    },
    "AWS::Lambda::Layer": (
        "neither",
        "the parent of AWS::Lambda::LayerVersion (ListLayers); CloudFormation only has versions",
    ),
    "AWS::Organizations::Root": (
        "neither",
        "the root exists with the organization; the parent of organizational units",
    ),
    "AWS::Backup::RecoveryPoint": (
        "AWS Config",
        "recovery points are made by backup jobs, not by templates",
    ),
    "AWS::RDS::DBClusterSnapshot": ("AWS Config", "snapshots are not made by templates"),
    "AWS::Redshift::ClusterSnapshot": ("AWS Config", "snapshots are not made by templates"),
    "AWS::ShieldRegional::Protection": (
        "AWS Config",
        "Config's name for Shield protections of regional resources; CloudFormation has one "
        "AWS::Shield::Protection for all",
    ),
    "AWS::WAFv2::ManagedRuleSet": (
        "AWS Config",
        "managed rule sets are made by vendors of managed rules through the WAF API only",
    ),
}

# Former type names (renamed in migration 0005_type_names) and the types they stand for in
# `[resources] include/exclude` patterns, so that existing configurations keep working.
ALIASES: dict[str, tuple[str, ...]] = {
    "AWS::ServiceDiscovery::Namespace": (
        "AWS::ServiceDiscovery::HttpNamespace",
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "AWS::ServiceDiscovery::PublicDnsNamespace",
    ),
}

# Types where CloudFormation's `taggable` and whether the collector reads tags differ.
TAGS_DIFFER: dict[str, str] = {
    "AWS::EC2::LaunchTemplate": "the launch template itself is tagged (DescribeLaunchTemplates "
    "returns Tags); CloudFormation only tags it through TagSpecifications",
    "AWS::ElasticBeanstalk::Application": "ListTagsForResource answers for applications; "
    "CloudFormation's schema has no Tags",
    "AWS::Glue::Database": "Glue GetTags answers for database ARNs; CloudFormation's schema "
    "has no Tags",
    "AWS::IAM::InstanceProfile": "ListInstanceProfileTags; CloudFormation's schema has no Tags",
    "AWS::IAM::ManagedPolicy": "ListPolicyTags; CloudFormation's schema has no Tags",
    "AWS::EC2::ClientVpnEndpoint": "DescribeClientVpnEndpoints returns the endpoint's Tags; "
    "CloudFormation only tags it through TagSpecifications",
    "AWS::EC2::EC2Fleet": "DescribeFleets returns the fleet's Tags; CloudFormation only tags it "
    "through TagSpecifications",
    "AWS::DirectoryService::MicrosoftAD": "ListTagsForResource answers for every directory "
    "(SimpleAD's schema has Tags); CloudFormation's MicrosoftAD schema has none",
    **{
        f"AWS::EC2::SecurityGroup{kind}": "DescribeSecurityGroupRules returns each rule's Tags "
        "(rules are tagged through the EC2 API); CloudFormation's schema has none"
        for kind in ("Ingress", "Egress")
    },
    "AWS::EC2::SpotFleet": "DescribeSpotFleetRequests returns the request's Tags; "
    "CloudFormation only tags it through TagSpecifications",
    "AWS::S3Express::DirectoryBucket": "its tags are read through S3 Control "
    "ListTagsForResource, another service than its listing's (S3): needs engine support for "
    "a detail call to another service",
    "AWS::ResourceExplorer2::Index": "ListIndexes answers every region's index from one "
    "region, without tags; each index's tags would take a call in that index's own region",
}

# Real ARNs the Service Authorization Reference does not document: the AWS API page that
# shows them.
UNDOCUMENTED_ARNS: dict[str, str] = {
    "AWS::AutoScaling::ScalingPolicy": "scalingPolicy:<uuid>:autoScalingGroupName/<group>:"
    "policyName/<name>, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/"
    "API_PutScalingPolicy.html",
    "AWS::AutoScaling::ScheduledAction": "scheduledUpdateGroupAction:<uuid>:autoScalingGroupName/"
    "<group>:scheduledActionName/<name>, https://docs.aws.amazon.com/autoscaling/ec2/"
    "APIReference/API_DescribeScheduledActions.html",
    "AWS::CodeBuild::SourceCredential": "token/<server type> (one per source provider), "
    "https://docs.aws.amazon.com/cli/latest/reference/codebuild/list-source-credentials.html",
    "AWS::DMS::Certificate": "cert:<generated id> (the reference only has cert:*), "
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_Certificate.html",
    "AWS::DMS::Endpoint": "endpoint:<generated id> (the reference only has endpoint:*), "
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_Endpoint.html",
    "AWS::DMS::EventSubscription": "es:<name> (the reference only has es:*), "
    "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Introduction.AWS.ARN.html",
    "AWS::DMS::ReplicationSubnetGroup": "subgrp:<name> (the reference only has subgrp:*), "
    "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Introduction.AWS.ARN.html",
    "AWS::Events::ApiDestination": "api-destination/<name>/<uuid> (the reference stops at the "
    "name), https://docs.aws.amazon.com/eventbridge/latest/APIReference/"
    "API_CreateApiDestination.html",
    "AWS::Events::Connection": "connection/<name>/<uuid> (the reference stops at the name), "
    "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateConnection.html",
    "AWS::SNS::Subscription": "<topic ARN>:<uuid>, https://docs.aws.amazon.com/sns/latest/api/"
    "API_Subscribe.html",
}
