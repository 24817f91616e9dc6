"""Security and resilience services beyond the basics: GuardDuty's lists, Private CA, Access
Analyzer, Audit Manager, Detective, Inspector, Security Hub standards, Resilience Hub."""

from __future__ import annotations

from typing import Any

from collector.registry._common import arn_tags_detail, joined, last_segment, tags_detail
from collector.registry.base import Detail, Item, ResourceType

_GUARDDUTY = "arn:{partition}:guardduty:{region}:{account}:detector/{DetectorId}/"


def _guardduty_get(operation: str, param: str, source: str) -> Detail:
    """GuardDuty's lists hold ids or names only: the Get call gives name, status and tags."""

    def params(item: Item) -> dict[str, Any]:
        return {"DetectorId": item["DetectorId"], param: item[source]}

    return Detail(operation, params, "@", into=None)


def _guardduty(kind: str, operation: str, items: str, key: str, arn: str, get: str,
               name: str = "Name") -> ResourceType:
    return ResourceType(
        f"AWS::GuardDuty::{kind}", "guardduty", operation, items, item_key=key,
        id=joined("DetectorId", key), name=name, arn_template=_GUARDDUTY + arn,
        parent="AWS::GuardDuty::Detector", parent_params={"DetectorId": "DetectorId"},
        parent_absent_codes=("BadRequestException",),
        details=(_guardduty_get(get, key, key),), tags="Tags",
    )  # fmt: skip


TYPES = (
    _guardduty("Filter", "list_filters", "FilterNames[]", "FilterName", "filter/{FilterName}",
               "get_filter", name="FilterName"),
    _guardduty("IPSet", "list_ip_sets", "IpSetIds[]", "IpSetId", "ipset/{IpSetId}",
               "get_ip_set"),
    _guardduty("ThreatIntelSet", "list_threat_intel_sets", "ThreatIntelSetIds[]",
               "ThreatIntelSetId", "threatintelset/{ThreatIntelSetId}",
               "get_threat_intel_set"),
    ResourceType(
        "AWS::ACMPCA::CertificateAuthority", "acm-pca", "list_certificate_authorities",
        "CertificateAuthorities[]", id=last_segment("/", "Arn"), arn="Arn",
        created="CreatedAt", owner="OwnerAccount",
        details=(tags_detail("list_tags", "CertificateAuthorityArn", "Arn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::AccessAnalyzer::Analyzer", "accessanalyzer", "list_analyzers", "analyzers[]",
        id="name", arn="arn", name="name", created="createdAt", tags="tags",
    ),
    ResourceType(
        "AWS::AuditManager::Assessment", "auditmanager", "list_assessments",
        "assessmentMetadata[]", id="id", name="name", created="creationTime",
        arn_template="arn:{partition}:auditmanager:{region}:{account}:assessment/{id}",
        next_token="nextToken",
        details=(arn_tags_detail("list_tags_for_resource", "resourceArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Detective::Graph", "detective", "list_graphs", "GraphList[]",
        id=last_segment(":", "Arn"), arn="Arn", created="CreatedTime", next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::InspectorV2::Filter", "inspector2", "list_filters", "filters[]",
        id=last_segment("/", "arn"), arn="arn", name="name", created="createdAt",
        tags="tags", owner="ownerId",
    ),
    # The account's subscriptions to standards; Security Hub answers InvalidAccessException
    # where the account has not enabled it.
    ResourceType(
        "AWS::SecurityHub::Standard", "securityhub", "get_enabled_standards",
        "StandardsSubscriptions[]", id="StandardsSubscriptionArn",
        arn="StandardsSubscriptionArn", skip_codes=("InvalidAccessException",),
    ),
    ResourceType(
        "AWS::ResilienceHub::App", "resiliencehub", "list_apps", "appSummaries[]",
        id=last_segment("/", "appArn"), arn="appArn", name="name", created="creationTime",
        next_token="nextToken",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "appArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::ResilienceHub::ResiliencyPolicy", "resiliencehub", "list_resiliency_policies",
        "resiliencyPolicies[]", id=last_segment("/", "policyArn"), arn="policyArn",
        name="policyName", created="creationTime", tags="tags", next_token="nextToken",
    ),
)  # fmt: skip

_NO_ARN = "; needs engine support for resources without an ARN"
NOT_COLLECTED = {
    "AWS::ACM::Certificate": "collected as AWS::CertificateManager::Certificate, "
    "CloudFormation's name for the same certificates",
    "AWS::ACMPCA::CertificateAuthorityActivation": "the installation of a private CA's "
    "certificate, not a listed resource (its state is the CA's Status)",
    "AWS::Cognito::UserPoolClient": "has no ARN (AWS documents none; ListUserPoolClients per "
    "user pool)" + _NO_ARN,
    "AWS::Cognito::UserPoolGroup": "has no ARN (AWS documents none; ListGroups per user pool)"
    + _NO_ARN,
    "AWS::Config::ConformancePackCompliance": "AWS Config's evaluation results, not a resource "
    "of the account",
    "AWS::Config::ResourceCompliance": "AWS Config's evaluation results, not a resource of the "
    "account",
    "AWS::IAM::Policy": "inline policies of users, groups and roles have no ARN and three kinds "
    "of parent" + _NO_ARN,
    "AWS::FIS::ExperimentTemplate": "needs engine support: botocore's endpoint data lists no "
    "region for fis",
    "AWS::InspectorV2::Activation": "the account's Inspector status (BatchGetAccountStatus), "
    "not a listed resource",
}

NOT_IN_MOTO = {
    "AWS::GuardDuty::Filter": "moto does not implement ListFilters",
    "AWS::GuardDuty::IPSet": "moto does not implement ListIPSets/GetIPSet",
    "AWS::GuardDuty::ThreatIntelSet": (
        "moto does not implement ListThreatIntelSets/GetThreatIntelSet"
    ),
    "AWS::AccessAnalyzer::Analyzer": "moto does not implement ListAnalyzers",
    "AWS::AuditManager::Assessment": "moto does not implement ListAssessments/ListTagsForResource",
    "AWS::Detective::Graph": "moto does not implement ListGraphs/ListTagsForResource",
    "AWS::SecurityHub::Standard": "moto does not implement GetEnabledStandards",
}
