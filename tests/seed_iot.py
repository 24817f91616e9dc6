"""Seeders for the IoT and media family (collector/registry/iot*.py, media.py, ...): the types
moto can create, list and tag. Appended to tests/seed_more.py's SEEDERS.

The expected ARNs are moto's answers. A MediaConnect VPC interface is not seeded: its ARN
(flow:<id>:<name>/vpcInterface/<name>) has a "/" that moto's tag routes do not accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.seed_more import Seeder

_TAGS = {"env": "prod", "family": "media", "n": "0"}


def seed_media(s: Seeder) -> None:
    net = s.vpc()
    mc = s.client("mediaconnect")
    role = "arn:aws:iam::123456789012:role/seed-mediaconnect"
    flow = mc.create_flow(
        Name="seed-flow",
        Source={"Name": "seed-src", "Protocol": "rtp", "WhitelistCidr": "10.0.0.0/16"},
        Entitlements=[{"Name": "seed-ent", "Subscribers": ["111122223333"]}],
        VpcInterfaces=[{"Name": "seed-vpci", "RoleArn": role, "SecurityGroupIds": [net["sg"]],
                        "SubnetId": net["subnets"][0]}],
    )["Flow"]  # fmt: skip
    flow_arn = flow["FlowArn"]
    entitlement = flow["Entitlements"][0]["EntitlementArn"]
    source = flow["Source"]["SourceArn"]
    for arn in (flow_arn, entitlement, source):
        mc.tag_resource(ResourceArn=arn, Tags=_TAGS)
    s.add("AWS::MediaConnect::Flow", flow_arn, flow_arn, _TAGS, "seed-flow")
    s.add("AWS::MediaConnect::FlowEntitlement", entitlement, entitlement, _TAGS, "seed-ent")
    s.add("AWS::MediaConnect::FlowSource", source, source, _TAGS, "seed-src")

    ivs = s.client("ivs")
    for name in ("seed-channel-a", "seed-channel-b"):
        channel = ivs.create_channel(name=name, tags=_TAGS)["channel"]["arn"]
        s.add("AWS::IVS::Channel", channel, channel, _TAGS, name)


def seed_workspaces(s: Seeder) -> None:
    """A WorkSpace needs a registered directory of moto's Directory Service. Its ARN, which
    no call returns, is written in the Service Authorization Reference's format."""
    net = s.vpc()
    directory = s.client("ds").create_directory(
        Name="seed-ws.example.com", Password="Seed-Passw0rd", Size="Small",
        VpcSettings={"VpcId": net["vpc"], "SubnetIds": net["subnets"]},
    )["DirectoryId"]  # fmt: skip
    s.add("AWS::DirectoryService::SimpleAD", directory,
          f"arn:aws:ds:us-east-1:123456789012:directory/{directory}", None, "seed-ws.example.com")  # fmt: skip
    ws = s.client("workspaces")
    ws.register_workspace_directory(DirectoryId=directory)
    tag_list = [{"Key": k, "Value": v} for k, v in _TAGS.items()]
    answer = ws.create_workspaces(Workspaces=[
        {"DirectoryId": directory, "UserName": "seed-user", "BundleId": "wsb-seed0001",
         "WorkspaceName": "seed-workspace", "Tags": tag_list},
    ])  # fmt: skip
    assert not answer["FailedRequests"], answer["FailedRequests"]
    workspace = answer["PendingRequests"][0]["WorkspaceId"]
    arn = f"arn:aws:workspaces:us-east-1:123456789012:workspace/{workspace}"
    # No name: moto does not keep WorkspaceName.
    s.add("AWS::WorkSpaces::Workspace", workspace, arn, _TAGS)
