"""AWS WAF Classic (global and regional), AWS WAF managed rule sets, and Shield Advanced
protections."""

from __future__ import annotations

from typing import Any

from collector.registry._common import tags_detail
from collector.registry.base import Link, ResourceType

# WAF Classic is at its end of life (AWS WAF Classic support ended on 30 September 2025,
# region by region): what is left of it is listed until AWS removes it. Its list calls return
# ids and names only, and CloudFormation does not tag these types.
_CLASSIC = (
    ("WebACL", "list_web_acls", "WebACLs[]", "WebACLId", "webacl"),
    ("Rule", "list_rules", "Rules[]", "RuleId", "rule"),
    ("RateBasedRule", "list_rate_based_rules", "Rules[]", "RuleId", "ratebasedrule"),
    ("RuleGroup", "list_rule_groups", "RuleGroups[]", "RuleGroupId", "rulegroup"),
)


def _classic(name: str, operation: str, items: str, id_: str, kind: str) -> ResourceType:
    return ResourceType(
        f"AWS::WAF::{name}", "waf", operation, items, id=id_, name="Name", global_=True,
        arn_template="arn:{partition}:waf::{account}:" + kind + "/{" + id_ + "}",
    )  # fmt: skip


def _regional(name: str, operation: str, items: str, id_: str, kind: str) -> ResourceType:
    # WAF Classic Regional has no paginators in botocore: NextMarker by hand.
    return ResourceType(
        f"AWS::WAFRegional::{name}", "waf-regional", operation, items, id=id_, name="Name",
        arn_template="arn:{partition}:waf-regional:{region}:{account}:" + kind + "/{" + id_ + "}",
        next_token="NextMarker",
    )  # fmt: skip


# A protected resource's ARN has an empty region for the global services (CloudFront, Route 53,
# Global Accelerator). ListProtections filters on one resource type at a time only.
_GLOBAL_ARN = (
    "contains(ResourceArn, ':cloudfront::') || contains(ResourceArn, ':route53:::')"
    " || contains(ResourceArn, ':globalaccelerator::')"
)


def _protections(name: str, where: str, **kw: Any) -> ResourceType:
    """Shield Advanced protections. Shield answers from us-east-1 for the whole account
    (protections of regional resources too); ProtectionArn has no region."""
    return ResourceType(
        name, "shield", "list_protections", "Protections[]", id="Id", arn="ProtectionArn",
        arn_template="arn:{partition}:shield::{account}:protection/{Id}", name="Name",
        where=where, global_=True,
        # Without a Shield Advanced subscription: "The subscription does not exist."
        skip_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "ProtectionArn"),),
        tags="Tags", **kw,
    )  # fmt: skip


TYPES = (
    *(_classic(*spec) for spec in _CLASSIC),
    *(_regional(*spec) for spec in _CLASSIC),
    # The rule sets a vendor of managed rules offers (only sellers of AWS Marketplace managed
    # rule groups have any). Regional, as the other WAFv2 types.
    ResourceType(
        "AWS::WAFv2::ManagedRuleSet", "wafv2", "list_managed_rule_sets", "ManagedRuleSets[]",
        id="Id", arn="ARN", name="Name", params={"Scope": "REGIONAL"}, next_token="NextMarker",
    ),
    _protections(
        "AWS::Shield::Protection",
        _GLOBAL_ARN,
        links=(
            Link("protects", "AWS::CloudFront::Distribution",
                 "[ResourceArn][?contains(@, ':distribution/')]"),
            Link("protects", "AWS::GlobalAccelerator::Accelerator",
                 "[ResourceArn][?contains(@, ':accelerator/')]"),
        ),
    ),
    _protections(
        "AWS::ShieldRegional::Protection",
        f"!({_GLOBAL_ARN})",
        links=(
            Link("protects", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                 "[ResourceArn][?contains(@, ':loadbalancer/app/')]"),
        ),
    ),
)  # fmt: skip

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::WAF::WebACL": "moto does not implement waf (ListWebACLs)",
    "AWS::WAF::Rule": "moto does not implement waf (ListRules)",
    "AWS::WAF::RateBasedRule": "moto does not implement waf (ListRateBasedRules)",
    "AWS::WAF::RuleGroup": "moto does not implement waf (ListRuleGroups)",
    "AWS::WAFRegional::WebACL": "moto does not implement waf-regional (ListWebACLs)",
    "AWS::WAFRegional::Rule": "moto does not implement waf-regional (ListRules)",
    "AWS::WAFRegional::RateBasedRule": "moto does not implement waf-regional (ListRateBasedRules)",
    "AWS::WAFRegional::RuleGroup": "moto does not implement waf-regional (ListRuleGroups)",
    "AWS::WAFv2::ManagedRuleSet": "moto does not implement ListManagedRuleSets",
}  # fmt: skip
