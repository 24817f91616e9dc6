"""AWS WAF managed rule sets and Shield Advanced protections (WAF Classic: not collected)."""

from __future__ import annotations

from typing import Any

from collector.registry._common import tags_detail
from collector.registry.base import Link, ResourceType

# AWS WAF Classic reached the end of its support on 30 September 2025 and AWS retires its
# endpoints region by region: calling them would put an error in every run. WAFv2's types are
# collected (collector/registry/security.py).
_RETIRED = "AWS WAF Classic reached end of support on 30 September 2025 (migrate to WAFv2)"
NOT_COLLECTED: dict[str, str] = {
    f"AWS::{family}::{name}": _RETIRED
    for family in ("WAF", "WAFRegional")
    for name in ("WebACL", "Rule", "RateBasedRule", "RuleGroup")
}


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
    "AWS::WAFv2::ManagedRuleSet": "moto does not implement ListManagedRuleSets",
}  # fmt: skip
