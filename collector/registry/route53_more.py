"""Route 53 beyond hosted zones: Resolver DNS Firewall, query logging and rules, Profiles, and
Application Recovery Controller (routing control and readiness)."""

from __future__ import annotations

from typing import Any

from collector.registry._common import in_vpc, tags_detail
from collector.registry.base import Detail, Item, Link, ResourceType

_ABSENT = ("ResourceNotFoundException",)
_RESOLVER_TAGS = (tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),)
# Application Recovery Controller's APIs answer from us-west-2 only; its ARNs carry no region.
_ARC = "us-west-2"


def _resolver(name: str, operation: str, items: str, **kw: Any) -> ResourceType:
    """A Route 53 Resolver type: Id, Arn and Name in the list, tags by ListTagsForResource."""
    return ResourceType(
        f"AWS::Route53Resolver::{name}", "route53resolver", operation, items, id="Id",
        arn="Arn", name="Name", details=_RESOLVER_TAGS, tags="Tags", **kw,
    )  # fmt: skip


def _arc_tags(arn_field: str) -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "ResourceArn", arn_field),)


# A safety rule is either an assertion rule or a gating rule: the list item has one of both.
_RULE_ARN = "ASSERTION.SafetyRuleArn || GATING.SafetyRuleArn"


def _rule_arn(item: Item) -> dict[str, str]:
    rule = item.get("ASSERTION") or item.get("GATING") or {}
    return {"ResourceArn": rule["SafetyRuleArn"]}


def _readiness(name: str, operation: str, items: str, stem: str) -> ResourceType:
    """A Route 53 Recovery Readiness type: named, with its ARN and tags (a map) in the list."""
    return ResourceType(
        f"AWS::Route53RecoveryReadiness::{name}", "route53-recovery-readiness", operation, items,
        id=stem + "Name", arn=stem + "Arn", name=stem + "Name", tags="Tags", global_=True,
        home_region=_ARC,
    )  # fmt: skip


TYPES = (
    # AWS-managed domain lists (ManagedOwnerName "Route 53 Resolver DNS Firewall") are in
    # every region of every account: only the account's own.
    _resolver("FirewallDomainList", "list_firewall_domain_lists", "FirewallDomainLists[]",
              where="!ManagedOwnerName"),
    # Rule groups shared with the account through RAM are listed too: only its own.
    _resolver("FirewallRuleGroup", "list_firewall_rule_groups", "FirewallRuleGroups[]",
              owner="OwnerId"),
    _resolver("FirewallRuleGroupAssociation", "list_firewall_rule_group_associations",
              "FirewallRuleGroupAssociations[]", created="CreationTime",
              links=(
                  in_vpc(),
                  Link("uses_rule_group", "AWS::Route53Resolver::FirewallRuleGroup",
                       "FirewallRuleGroupId",
                       "arn:{partition}:route53resolver:{region}:{account}:"
                       "firewall-rule-group/{id}"),
              )),
    _resolver("ResolverQueryLoggingConfig", "list_resolver_query_log_configs",
              "ResolverQueryLogConfigs[]", created="CreationTime", owner="OwnerId"),
    # The autodefined "Internet Resolver" system rule is owned by "Route 53 Resolver".
    _resolver("ResolverRule", "list_resolver_rules", "ResolverRules[]", created="CreationTime",
              owner="OwnerId",
              links=(
                  Link("uses_endpoint", "AWS::Route53Resolver::ResolverEndpoint",
                       "ResolverEndpointId",
                       "arn:{partition}:route53resolver:{region}:{account}:"
                       "resolver-endpoint/{id}"),
              )),
    ResourceType(
        "AWS::Route53Profiles::Profile", "route53profiles", "list_profiles", "ProfileSummaries[]",
        id="Id", arn="Arn", name="Name",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Route53RecoveryControl::Cluster", "route53-recovery-control-config",
        "list_clusters", "Clusters[]", id="ClusterArn", arn="ClusterArn", name="Name",
        owner="Owner", global_=True, home_region=_ARC,
        details=_arc_tags("ClusterArn"), tags="Tags",
    ),
    ResourceType(
        "AWS::Route53RecoveryControl::ControlPanel", "route53-recovery-control-config",
        "list_control_panels", "ControlPanels[]", id="ControlPanelArn", arn="ControlPanelArn",
        name="Name", owner="Owner", global_=True, home_region=_ARC,
        details=_arc_tags("ControlPanelArn"), tags="Tags",
        links=(
            Link("member_of", "AWS::Route53RecoveryControl::Cluster", "ClusterArn"),
        ),
    ),
    ResourceType(
        "AWS::Route53RecoveryControl::RoutingControl", "route53-recovery-control-config",
        "list_routing_controls", "RoutingControls[]", id="RoutingControlArn",
        arn="RoutingControlArn", name="Name", owner="Owner", global_=True, home_region=_ARC,
        parent="AWS::Route53RecoveryControl::ControlPanel",
        parent_params={"ControlPanelArn": "ControlPanelArn"}, parent_absent_codes=_ABSENT,
        links=(
            Link("member_of", "AWS::Route53RecoveryControl::ControlPanel", "ControlPanelArn"),
        ),
    ),
    ResourceType(
        "AWS::Route53RecoveryControl::SafetyRule", "route53-recovery-control-config",
        "list_safety_rules", "SafetyRules[]", id=_RULE_ARN, arn=_RULE_ARN,
        name="ASSERTION.Name || GATING.Name", global_=True, home_region=_ARC,
        parent="AWS::Route53RecoveryControl::ControlPanel",
        parent_params={"ControlPanelArn": "ControlPanelArn"}, parent_absent_codes=_ABSENT,
        details=(Detail("list_tags_for_resource", _rule_arn, "Tags", into="Tags"),),
        tags="Tags",
        links=(
            Link("member_of", "AWS::Route53RecoveryControl::ControlPanel", "ControlPanelArn"),
        ),
    ),
    _readiness("Cell", "list_cells", "Cells[]", "Cell"),
    _readiness("ReadinessCheck", "list_readiness_checks", "ReadinessChecks[]", "ReadinessCheck"),
    _readiness("RecoveryGroup", "list_recovery_groups", "RecoveryGroups[]", "RecoveryGroup"),
    _readiness("ResourceSet", "list_resource_sets", "ResourceSets[]", "ResourceSet"),
)  # fmt: skip

_NO_ARN = (
    "has no ARN (AWS names it by its id only, and the Service Authorization Reference has no "
    "format for it); needs engine support for types without an ARN"
)
NOT_COLLECTED: dict[str, str] = {
    "AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation": _NO_ARN,
    "AWS::Route53Resolver::ResolverRuleAssociation": _NO_ARN,
}

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::Route53Resolver::FirewallDomainList": "moto does not implement ListFirewallDomainLists",
    "AWS::Route53Resolver::FirewallRuleGroup": "moto does not implement ListFirewallRuleGroups",
    "AWS::Route53Resolver::FirewallRuleGroupAssociation": "moto does not implement ListFirewallRuleGroupAssociations",
    "AWS::Route53Profiles::Profile": "moto does not implement route53profiles (ListProfiles)",
    "AWS::Route53RecoveryControl::Cluster": "moto does not implement route53-recovery-control-config (ListClusters)",
    "AWS::Route53RecoveryControl::ControlPanel": "moto does not implement route53-recovery-control-config (ListControlPanels)",
    "AWS::Route53RecoveryControl::RoutingControl": "moto does not implement route53-recovery-control-config (ListRoutingControls)",
    "AWS::Route53RecoveryControl::SafetyRule": "moto does not implement route53-recovery-control-config (ListSafetyRules)",
    "AWS::Route53RecoveryReadiness::Cell": "moto does not implement route53-recovery-readiness (ListCells)",
    "AWS::Route53RecoveryReadiness::ReadinessCheck": "moto does not implement route53-recovery-readiness (ListReadinessChecks)",
    "AWS::Route53RecoveryReadiness::RecoveryGroup": "moto does not implement route53-recovery-readiness (ListRecoveryGroups)",
    "AWS::Route53RecoveryReadiness::ResourceSet": "moto does not implement route53-recovery-readiness (ListResourceSets)",
}  # fmt: skip
