"""Networking beyond the core EC2 types: VPC plumbing, load balancing, edge and API front doors."""

from __future__ import annotations

from typing import Any

from collector.registry._common import (
    SUBNET,
    VPC,
    elbv2_tags,
    in_vpc,
    network,
    role,
    route53_tags,
    tags_detail,
    uses_sg,
)
from collector.registry.base import BatchDetail, Grant, Item, Link, ResourceType

_ARN = "arn:{partition}:ec2:{region}:{account}:"
_GONE = "!contains(['deleted', 'deleting'], State)"


def _ec2(name: str, operation: str, items: str, id_: str, kind: str, **kw: Any) -> ResourceType:
    """An EC2 type whose items carry Tags and whose ARN is {kind}/{id} in the account."""
    return ResourceType(
        f"AWS::EC2::{name}",
        "ec2",
        operation,
        items,
        id=id_,
        arn_template=_ARN + kind + "/{" + id_ + "}",
        tags="Tags",
        **kw,
    )


def _get(path: str) -> tuple[Grant, ...]:
    """API Gateway authorizes HTTP verbs on resource paths, not operations: GetRestApis is
    apigateway:GET on /restapis. Scoped to the listed path, so that the role cannot export API
    definitions or SDKs. (GET /apikeys may still ask for the keys' values, includeValues=true:
    IAM cannot tell the two apart; exclude AWS::ApiGateway::ApiKey if that matters.)"""
    return (Grant("apigateway:GET", "arn:{partition}:apigateway:*::" + path),)


def _stage_id(item: Item) -> str:
    """restApiId/stageName"""
    return f"{item['restApiId']}/{item['stageName']}"


def _health_check_id(item: Item) -> str:
    """Id"""
    return str(item["Id"])


def _v2_stage_id(item: Item) -> str:
    """ApiId/StageName"""
    return f"{item['ApiId']}/{item['StageName']}"


TYPES = (
    _ec2("VPCEndpoint", "describe_vpc_endpoints", "VpcEndpoints[]", "VpcEndpointId",
         "vpc-endpoint", created="CreationTimestamp", page_size=1000,
         where="!contains(['deleted', 'deleting', 'rejected', 'failed', 'expired'], State)",
         links=(
             *network("VpcId", "SubnetIds[]", "Groups[].GroupId"),
             Link("associated_with_route_table", "AWS::EC2::RouteTable", "RouteTableIds[]"),
             Link("has_network_interface", "AWS::EC2::NetworkInterface", "NetworkInterfaceIds[]"),
         )),
    _ec2("VPCPeeringConnection", "describe_vpc_peering_connections", "VpcPeeringConnections[]",
         "VpcPeeringConnectionId", "vpc-peering-connection", page_size=1000,
         where="!contains(['deleted', 'deleting', 'rejected', 'failed', 'expired'], Status.Code)",
         links=(
             Link("peers_vpc", VPC, "RequesterVpcInfo.VpcId"),
             Link("peers_vpc", VPC, "AccepterVpcInfo.VpcId"),
         )),
    ResourceType(
        "AWS::EC2::TransitGateway", "ec2", "describe_transit_gateways", "TransitGateways[]",
        id="TransitGatewayId", arn="TransitGatewayArn",
        arn_template=_ARN + "transit-gateway/{TransitGatewayId}",
        tags="Tags", created="CreationTime", page_size=1000, where=_GONE,
    ),
    _ec2("TransitGatewayAttachment", "describe_transit_gateway_attachments",
         "TransitGatewayAttachments[]", "TransitGatewayAttachmentId",
         "transit-gateway-attachment", created="CreationTime", page_size=1000, where=_GONE,
         links=(
             Link("attached_to", "AWS::EC2::TransitGateway", "TransitGatewayId"),
             Link("attaches_vpc", VPC, "[@][?ResourceType == 'vpc'].ResourceId"),
         )),
    _ec2("TransitGatewayRouteTable", "describe_transit_gateway_route_tables",
         "TransitGatewayRouteTables[]", "TransitGatewayRouteTableId",
         "transit-gateway-route-table", created="CreationTime", page_size=1000, where=_GONE,
         links=(
             Link("member_of", "AWS::EC2::TransitGateway", "TransitGatewayId"),
         )),
    _ec2("NetworkAcl", "describe_network_acls", "NetworkAcls[]", "NetworkAclId", "network-acl",
         page_size=1000,
         links=(
             in_vpc(),
             Link("associated_with_subnet", SUBNET, "Associations[].SubnetId"),
         )),
    _ec2("DHCPOptions", "describe_dhcp_options", "DhcpOptions[]", "DhcpOptionsId",
         "dhcp-options", page_size=1000),
    _ec2("FlowLog", "describe_flow_logs", "FlowLogs[]", "FlowLogId", "vpc-flow-log",
         created="CreationTime", page_size=1000,
         links=(
             Link("logs_vpc", VPC, "[ResourceId][?starts_with(@, 'vpc-')]"),
             Link("logs_subnet", SUBNET, "[ResourceId][?starts_with(@, 'subnet-')]"),
             Link("logs_network_interface", "AWS::EC2::NetworkInterface",
                  "[ResourceId][?starts_with(@, 'eni-')]"),
             role("DeliverLogsPermissionArn", "delivers_with_role"),
             Link("delivers_to_log_group", "AWS::Logs::LogGroup", "LogGroupName"),
         )),
    # The VPN calls have no paging at all (and keep deleted items for a while).
    _ec2("VPNGateway", "describe_vpn_gateways", "VpnGateways[]", "VpnGatewayId", "vpn-gateway",
         where=_GONE,
         links=(
             Link("attached_to_vpc", VPC, "VpcAttachments[].VpcId"),
         )),
    _ec2("CustomerGateway", "describe_customer_gateways", "CustomerGateways[]",
         "CustomerGatewayId", "customer-gateway", where=_GONE),
    _ec2("VPNConnection", "describe_vpn_connections", "VpnConnections[]", "VpnConnectionId",
         "vpn-connection", where=_GONE,
         links=(
             Link("uses_vpn_gateway", "AWS::EC2::VPNGateway", "VpnGatewayId"),
             Link("uses_customer_gateway", "AWS::EC2::CustomerGateway", "CustomerGatewayId"),
             Link("attached_to", "AWS::EC2::TransitGateway", "TransitGatewayId"),
         )),
    # AWS-managed prefix lists (OwnerId "AWS") are in every region; only the account's own.
    ResourceType(
        "AWS::EC2::PrefixList", "ec2", "describe_managed_prefix_lists", "PrefixLists[]",
        id="PrefixListId", arn="PrefixListArn", arn_template=_ARN + "prefix-list/{PrefixListId}",
        name="PrefixListName", tags="Tags", where="OwnerId != 'AWS'", page_size=100,
    ),
    _ec2("EgressOnlyInternetGateway", "describe_egress_only_internet_gateways",
         "EgressOnlyInternetGateways[]", "EgressOnlyInternetGatewayId",
         "egress-only-internet-gateway", page_size=255,
         links=(
             Link("attached_to_vpc", VPC, "Attachments[].VpcId"),
         )),
    ResourceType(
        "AWS::ElasticLoadBalancing::LoadBalancer", "elb", "describe_load_balancers",
        "LoadBalancerDescriptions[]", id="LoadBalancerName", name="LoadBalancerName",
        arn_template="arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/{id}",
        created="CreatedTime", page_size=400, tags="Tags",
        details=(
            BatchDetail(
                "describe_tags",
                lambda items: {"LoadBalancerNames": [i["LoadBalancerName"] for i in items]},
                size=20, result="TagDescriptions", key="LoadBalancerName",
                item_key="LoadBalancerName", value="Tags", into="Tags", default=[],
            ),
        ),
        links=(
            *network("VPCId", "Subnets[]", "SecurityGroups[]"),
            Link("balances_instance", "AWS::EC2::Instance", "Instances[].InstanceId"),
        ),
    ),
    ResourceType(
        "AWS::ElasticLoadBalancingV2::TargetGroup", "elbv2", "describe_target_groups",
        "TargetGroups[]", id="TargetGroupName", arn="TargetGroupArn", name="TargetGroupName",
        page_size=400, details=(elbv2_tags("TargetGroupArn"),), tags="Tags",
        links=(
            in_vpc(),
            Link("serves_load_balancer", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                 "LoadBalancerArns[]"),
        ),
    ),
    ResourceType(
        "AWS::ElasticLoadBalancingV2::Listener", "elbv2", "describe_listeners", "Listeners[]",
        id="ListenerArn", arn="ListenerArn", page_size=400,
        parent="AWS::ElasticLoadBalancingV2::LoadBalancer",
        parent_params={"LoadBalancerArn": "LoadBalancerArn"},
        parent_absent_codes=("LoadBalancerNotFound",),
        details=(elbv2_tags("ListenerArn"),), tags="Tags",
        links=(
            Link("member_of", "AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerArn"),
            Link("forwards_to", "AWS::ElasticLoadBalancingV2::TargetGroup",
                 "DefaultActions[].TargetGroupArn"),
            Link("uses_certificate", "AWS::CertificateManager::Certificate",
                 "Certificates[].CertificateArn"),
        ),
    ),
    ResourceType(
        "AWS::ElasticLoadBalancingV2::ListenerRule", "elbv2", "describe_rules", "Rules[]",
        id="RuleArn", arn="RuleArn", page_size=400,
        parent="AWS::ElasticLoadBalancingV2::Listener",
        parent_params={"ListenerArn": "ListenerArn"},
        parent_absent_codes=("ListenerNotFound", "LoadBalancerNotFound"),
        details=(elbv2_tags("RuleArn"),), tags="Tags",
        links=(
            Link("forwards_to", "AWS::ElasticLoadBalancingV2::TargetGroup",
                 "Actions[].TargetGroupArn"),
        ),
    ),
    ResourceType(
        "AWS::CloudFront::Distribution", "cloudfront", "list_distributions",
        "DistributionList.Items[]", id="Id", arn="ARN", name="DomainName", global_=True,
        page_size=1000,
        details=(tags_detail("list_tags_for_resource", "Resource", "ARN", "Tags.Items"),),
        tags="Tags",
        links=(
            Link("protected_by", "AWS::WAFv2::WebACL", "[WebACLId][?starts_with(@, 'arn:')]"),
            Link("uses_certificate", "AWS::CertificateManager::Certificate",
                 "ViewerCertificate.ACMCertificateArn"),
        ),
    ),
    ResourceType(
        "AWS::Route53::HealthCheck", "route53", "list_health_checks", "HealthChecks[]",
        id="Id", arn_template="arn:{partition}:route53:::healthcheck/{Id}", global_=True,
        page_size=1000,
        details=(route53_tags("healthcheck", _health_check_id),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Route53Resolver::ResolverEndpoint", "route53resolver", "list_resolver_endpoints",
        "ResolverEndpoints[]", id="Id", arn="Arn", name="Name", created="CreationTime",
        page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),), tags="Tags",
        links=(
            in_vpc("HostVPCId"), uses_sg("SecurityGroupIds[]"),
        ),
    ),
    # API Gateway ARNs carry no account: arn:aws:apigateway:<region>::/restapis/<id>.
    ResourceType(
        "AWS::ApiGateway::RestApi", "apigateway", "get_rest_apis", "items[]", id="id",
        iam=_get("/restapis"),
        arn_template="arn:{partition}:apigateway:{region}::/restapis/{id}", name="name",
        tags="tags", created="createdDate", page_size=500,
    ),
    ResourceType(
        "AWS::ApiGateway::Stage", "apigateway", "get_stages", "item[]", id=_stage_id,
        iam=_get("/restapis/*/stages"),
        arn_template="arn:{partition}:apigateway:{region}::/restapis/{restApiId}/stages/{stageName}",
        name="stageName", tags="tags", created="createdDate",
        parent="AWS::ApiGateway::RestApi", parent_params={"restApiId": "id"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("member_of", "AWS::ApiGateway::RestApi", "restApiId"),
        ),
    ),
    ResourceType(
        "AWS::ApiGateway::ApiKey", "apigateway", "get_api_keys", "items[]", id="id",
        iam=_get("/apikeys"),
        arn_template="arn:{partition}:apigateway:{region}::/apikeys/{id}", name="name",
        tags="tags", created="createdDate", page_size=500,
    ),
    ResourceType(
        "AWS::ApiGateway::UsagePlan", "apigateway", "get_usage_plans", "items[]", id="id",
        iam=_get("/usageplans"),
        arn_template="arn:{partition}:apigateway:{region}::/usageplans/{id}", name="name",
        tags="tags", page_size=500,
    ),
    ResourceType(
        "AWS::ApiGateway::DomainName", "apigateway", "get_domain_names", "items[]",
        iam=_get("/domainnames"),
        id="domainName", arn="domainNameArn",
        arn_template="arn:{partition}:apigateway:{region}::/domainnames/{domainName}",
        name="domainName", tags="tags", page_size=500,
    ),
    ResourceType(
        "AWS::ApiGatewayV2::Api", "apigatewayv2", "get_apis", "Items[]", id="ApiId",
        iam=_get("/apis"),
        arn_template="arn:{partition}:apigateway:{region}::/apis/{ApiId}", name="Name",
        tags="Tags", created="CreatedDate", page_size=500,
    ),
    ResourceType(
        "AWS::ApiGatewayV2::Stage", "apigatewayv2", "get_stages", "Items[]",
        iam=_get("/apis/*/stages"),
        id=_v2_stage_id, name="StageName",
        arn_template="arn:{partition}:apigateway:{region}::/apis/{ApiId}/stages/{StageName}",
        tags="Tags", created="CreatedDate", page_size=500,
        parent="AWS::ApiGatewayV2::Api", parent_params={"ApiId": "ApiId"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("member_of", "AWS::ApiGatewayV2::Api", "ApiId"),
        ),
    ),
)  # fmt: skip
