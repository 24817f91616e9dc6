"""Seed helpers for the network family's types moto implements (collector/registry/ec2_extra.py,
route53_more.py, network_services.py, waf_shield.py): appended to SEEDERS in seed_more.py.

Expected ids, ARNs and tags are what moto answered to the create calls, or what the test
itself chose; never the registry's templates.
"""

from __future__ import annotations

from typing import Any

from tests.seed_more import ACCOUNT, REGION, Seeder, tag_list, tag_spec, tags

_EC2 = f"arn:aws:ec2:{REGION}:{ACCOUNT}:"


def seed_net_ec2(s: Seeder) -> None:
    ec2, net = s.client("ec2"), s.vpc()
    t = tags(0, "net-extra")

    cagw = ec2.create_carrier_gateway(
        VpcId=net["vpc"], TagSpecifications=tag_spec("carrier-gateway", t)
    )["CarrierGateway"]["CarrierGatewayId"]
    s.add("AWS::EC2::CarrierGateway", cagw, _EC2 + f"carrier-gateway/{cagw}", t)

    host = ec2.allocate_hosts(
        AvailabilityZone="us-east-1a", InstanceType="m5.large", Quantity=1,
        TagSpecifications=tag_spec("dedicated-host", t),
    )["HostIds"][0]  # fmt: skip
    s.add("AWS::EC2::Host", host, _EC2 + f"dedicated-host/{host}", t)

    source, mirror = (
        ec2.create_network_interface(SubnetId=net["subnets"][0])["NetworkInterface"][
            "NetworkInterfaceId"
        ]
        for _ in range(2)
    )
    flt = ec2.create_traffic_mirror_filter(
        Description="seed", TagSpecifications=tag_spec("traffic-mirror-filter", t)
    )["TrafficMirrorFilter"]["TrafficMirrorFilterId"]
    s.add("AWS::EC2::TrafficMirrorFilter", flt, _EC2 + f"traffic-mirror-filter/{flt}", t)
    target = ec2.create_traffic_mirror_target(
        NetworkInterfaceId=mirror, TagSpecifications=tag_spec("traffic-mirror-target", t)
    )["TrafficMirrorTarget"]["TrafficMirrorTargetId"]
    s.add("AWS::EC2::TrafficMirrorTarget", target, _EC2 + f"traffic-mirror-target/{target}", t)
    session = ec2.create_traffic_mirror_session(
        NetworkInterfaceId=source, TrafficMirrorTargetId=target, TrafficMirrorFilterId=flt,
        SessionNumber=1, TagSpecifications=tag_spec("traffic-mirror-session", t),
    )["TrafficMirrorSession"]["TrafficMirrorSessionId"]  # fmt: skip
    s.add(
        "AWS::EC2::TrafficMirrorSession", session, _EC2 + f"traffic-mirror-session/{session}", t
    )


def seed_net_fleets(s: Seeder) -> None:
    """An EC2 Fleet (from a launch template of its own, recorded too), a Spot Fleet and an
    endpoint service in front of a Network Load Balancer (a core type, not checked here).
    The fleets launch instances: core types as well."""
    ec2, net = s.client("ec2"), s.vpc()
    t = tags(4, "net-extra")
    lt = ec2.create_launch_template(
        LaunchTemplateName="seed-net-fleet",
        LaunchTemplateData={"ImageId": "ami-1e749f67", "InstanceType": "t3.micro"},
        TagSpecifications=tag_spec("launch-template", t),
    )["LaunchTemplate"]["LaunchTemplateId"]  # fmt: skip
    s.add("AWS::EC2::LaunchTemplate", lt, _EC2 + f"launch-template/{lt}", t, "seed-net-fleet")
    fleet = ec2.create_fleet(
        Type="maintain", TagSpecifications=tag_spec("fleet", t),
        LaunchTemplateConfigs=[
            {"LaunchTemplateSpecification": {"LaunchTemplateId": lt, "Version": "1"}}
        ],
        TargetCapacitySpecification={
            "TotalTargetCapacity": 1, "DefaultTargetCapacityType": "on-demand"
        },
    )["FleetId"]  # fmt: skip
    s.add("AWS::EC2::EC2Fleet", fleet, _EC2 + f"fleet/{fleet}", t)
    spot = ec2.request_spot_fleet(
        SpotFleetRequestConfig={
            "AllocationStrategy": "lowestPrice", "TargetCapacity": 1,
            "IamFleetRole": s.role("spotfleet.amazonaws.com"),
            "LaunchSpecifications": [{"ImageId": "ami-1e749f67", "InstanceType": "t3.micro"}],
            "TagSpecifications": tag_spec("spot-fleet-request", t),
        }
    )["SpotFleetRequestId"]  # fmt: skip
    s.add("AWS::EC2::SpotFleet", spot, _EC2 + f"spot-fleet-request/{spot}", t)

    nlb = s.client("elbv2").create_load_balancer(
        Name="seed-net-nlb", Subnets=net["subnets"], Type="network"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    service = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[nlb], TagSpecifications=tag_spec("vpc-endpoint-service", t)
    )["ServiceConfiguration"]
    sid = service["ServiceId"]
    s.add("AWS::EC2::VPCEndpointService", sid, _EC2 + f"vpc-endpoint-service/{sid}", t,
          service["ServiceName"])  # fmt: skip


def seed_net_resolver(s: Seeder) -> None:
    resolver = s.client("route53resolver")
    arn = f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:"
    t = tags(1, "net-extra")
    rule = resolver.create_resolver_rule(
        CreatorRequestId="seed-net-rule", Name="seed-net-rule", RuleType="SYSTEM",
        DomainName="seed-net.example.com", Tags=tag_list(t),
    )["ResolverRule"]["Id"]  # fmt: skip
    s.add("AWS::Route53Resolver::ResolverRule", rule, arn + f"resolver-rule/{rule}", t,
          "seed-net-rule")  # fmt: skip
    # moto keeps no tags for query log configs (it drops them, and TagResource does not know
    # the ARN): the record must have none.
    qlc = resolver.create_resolver_query_log_config(
        Name="seed-net-qlc", DestinationArn="arn:aws:s3:::seed-net-query-logs",
        CreatorRequestId="seed-net-qlc",
    )["ResolverQueryLogConfig"]["Id"]  # fmt: skip
    s.add("AWS::Route53Resolver::ResolverQueryLoggingConfig", qlc,
          arn + f"resolver-query-log-config/{qlc}", {}, "seed-net-qlc")  # fmt: skip


def seed_net_manager(s: Seeder) -> None:
    """A global network with a site, a device and a link. Network Manager answers from
    us-west-2 (the registry's home region for it). moto's ARNs are taken as moto gives them
    (tests/test_types_moto.py MOTO_ARNS_DIFFER says how they differ from AWS's)."""
    nm = s.session.client("networkmanager", endpoint_url=s.endpoint_url, region_name="us-west-2")
    t = tags(2, "net-extra")
    network = nm.create_global_network(Description="seed", Tags=tag_list(t))["GlobalNetwork"]
    gid = network["GlobalNetworkId"]
    s.add("AWS::NetworkManager::GlobalNetwork", gid, network["GlobalNetworkArn"], t)
    site = nm.create_site(GlobalNetworkId=gid, Description="seed", Tags=tag_list(t))["Site"]
    s.add("AWS::NetworkManager::Site", f"{gid}/{site['SiteId']}", site["SiteArn"], t)
    device: dict[str, Any] = nm.create_device(
        GlobalNetworkId=gid, SiteId=site["SiteId"], Tags=tag_list(t)
    )["Device"]
    s.add("AWS::NetworkManager::Device", f"{gid}/{device['DeviceId']}", device["DeviceArn"], t)
    link = nm.create_link(
        GlobalNetworkId=gid, SiteId=site["SiteId"], Tags=tag_list(t),
        Bandwidth={"UploadSpeed": 50, "DownloadSpeed": 100},
    )["Link"]  # fmt: skip
    s.add("AWS::NetworkManager::Link", f"{gid}/{link['LinkId']}", link["LinkArn"], t)


def seed_net_firewall_shield(s: Seeder) -> None:
    net = s.vpc()
    t = tags(3, "net-extra")
    fw = s.client("network-firewall").create_firewall(
        FirewallName="seed-net-fw", VpcId=net["vpc"],
        FirewallPolicyArn=f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:firewall-policy/seed",
        SubnetMappings=[{"SubnetId": net["subnets"][0]}], Tags=tag_list(t),
    )["Firewall"]  # fmt: skip
    s.add("AWS::NetworkFirewall::Firewall", "seed-net-fw", fw["FirewallArn"], t, "seed-net-fw")

    shield = s.client("shield")
    shield.create_subscription()
    protected = {
        "AWS::Shield::Protection": f"arn:aws:cloudfront::{ACCOUNT}:distribution/ESEEDNET",
        "AWS::ShieldRegional::Protection": f"arn:aws:ec2:{REGION}:{ACCOUNT}:"
        "eip-allocation/eipalloc-0seednet",
    }
    for i, (rtype, resource) in enumerate(protected.items()):
        name = f"seed-net-protection-{i}"
        pid = shield.create_protection(Name=name, ResourceArn=resource, Tags=tag_list(t))[
            "ProtectionId"
        ]
        s.add(rtype, pid, f"arn:aws:shield::{ACCOUNT}:protection/{pid}", t, name)


SEEDERS = (seed_net_ec2, seed_net_fleets, seed_net_resolver, seed_net_manager, seed_net_firewall_shield)
