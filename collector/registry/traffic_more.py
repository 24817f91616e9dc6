"""What routes and inspects traffic, and who may enter a cluster (issue 17, CloudFormation-only
types): VPC Route Servers (BGP into route tables), their endpoints and peers, Network Firewall
TLS inspection configurations, EKS access entries, CodeBuild fleets."""

from __future__ import annotations

from typing import Any

from collector.registry._common import joined, lower_tags, network, role
from collector.registry.base import BatchDetail, Detail, Item, Link, ResourceType

_EC2 = "arn:{partition}:ec2:{region}:{account}:"
_SERVER = "AWS::EC2::RouteServer"


def _route_server(kind: str, operation: str, items: str, id_member: str, arn_kind: str,
                  **extra: Any) -> ResourceType:
    return ResourceType(
        f"AWS::EC2::RouteServer{kind}", "ec2", operation, items, id=id_member,
        arn_template=_EC2 + f"{arn_kind}/{{{id_member}}}", tags="Tags", page_size=1000,
        where="State != 'deleted'", **extra,
    )  # fmt: skip


def _access_entry(item: Item) -> dict[str, Any]:
    return {"clusterName": item["clusterName"], "principalArn": item["principalArn"]}


def _fleets(items: list[Item]) -> dict[str, Any]:
    return {"names": [i["arn"] for i in items]}


TYPES = (
    _route_server("", "describe_route_servers", "RouteServers[]", "RouteServerId",
                  "route-server"),
    _route_server("Endpoint", "describe_route_server_endpoints", "RouteServerEndpoints[]",
                  "RouteServerEndpointId", "route-server-endpoint",
                  links=(Link("member_of", _SERVER, "RouteServerId"),
                         *network("VpcId", "SubnetId", None))),
    _route_server("Peer", "describe_route_server_peers", "RouteServerPeers[]",
                  "RouteServerPeerId", "route-server-peer",
                  links=(Link("member_of", _SERVER, "RouteServerId"),
                         Link("peers_with", "AWS::EC2::RouteServerEndpoint",
                              "RouteServerEndpointId"))),
    ResourceType(
        # Which certificate authority the firewall re-signs decrypted TLS with. The list
        # answers names and ARNs only; the tags are in the description.
        "AWS::NetworkFirewall::TLSInspectionConfiguration", "network-firewall",
        "list_tls_inspection_configurations", "TLSInspectionConfigurations[]", id="Name",
        arn="Arn", name="Name", page_size=100,
        details=(
            Detail("describe_tls_inspection_configuration",
                   lambda i: {"TLSInspectionConfigurationArn": i["Arn"]},
                   "TLSInspectionConfigurationResponse.Tags", into="Tags",
                   absent_codes=("ResourceNotFoundException",)),
        ),
        tags="Tags",
    ),
    ResourceType(
        # Which IAM principal gets which Kubernetes groups in a cluster. ListAccessEntries
        # answers principal ARNs only.
        "AWS::EKS::AccessEntry", "eks", "list_access_entries", "accessEntries[]",
        item_key="principalArn", id=joined("clusterName", "principalArn"),
        arn="accessEntryArn", name="username", created="createdAt", page_size=100,
        parent="AWS::EKS::Cluster", parent_params={"clusterName": "name"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(
            Detail("describe_access_entry", _access_entry, "accessEntry", into=None,
                   absent_codes=("ResourceNotFoundException",)),
        ),
        tags="tags",
        links=(
            Link("member_of", "AWS::EKS::Cluster", "clusterName"),
            role("[principalArn][?contains(@, ':role/')]", "grants_access_to"),
        ),
    ),
    ResourceType(
        # Reserved build hosts; ListFleets answers ARNs, BatchGetFleets 100 at a time.
        "AWS::CodeBuild::Fleet", "codebuild", "list_fleets", "fleets[]", item_key="arn",
        id="arn", arn="arn", name="name", created="created", next_token="nextToken",
        details=(
            BatchDetail("batch_get_fleets", _fleets, size=100, result="fleets", key="arn",
                        item_key="arn", into=None, drop_missing=True),
        ),
        tags=lower_tags("tags"),
        links=(
            *network("vpcConfig.vpcId", "vpcConfig.subnets", "vpcConfig.securityGroupIds"),
            role("fleetServiceRole"),
        ),
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    **{
        f"AWS::EC2::RouteServer{kind}": f"moto does not implement DescribeRouteServer{kind}s"
        for kind in ("", "Endpoint", "Peer")
    },
    "AWS::NetworkFirewall::TLSInspectionConfiguration": "moto does not implement "
    "ListTLSInspectionConfigurations",
    "AWS::EKS::AccessEntry": "moto does not implement ListAccessEntries",
    "AWS::CodeBuild::Fleet": "moto does not implement ListFleets (codebuild)",
}
