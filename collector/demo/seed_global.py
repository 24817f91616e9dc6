"""Seed the resources created once per account: IAM, Route53 hosted zones and S3 buckets.

IAM and Route53 are global (recorded with region ``"global"``); S3 buckets are spread over the
seeded regions (bucket ``i`` in ``regions[i % len(regions)]``) and recorded in their own region.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from collector.demo.seeder import HOME_REGION, PARTITION, Seeder, tag_list

_LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def seed_iam(seeder: Seeder) -> str:
    """IAM users, roles, groups, policies; returns role 0's ARN (Lambda execution role)."""
    iam = seeder.client("iam", HOME_REGION)
    p, g = seeder.prefix, "global"
    role_arns: list[str] = []
    for i in range(seeder.n):
        name = f"{p}-role-{i}"
        role = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(_LAMBDA_TRUST),
            Description=f"{p} role {i}",
            Tags=tag_list(seeder.tags(i)),
        )["Role"]
        role_arns.append(str(role["Arn"]))
        seeder.add(g, "AWS::IAM::Role", name, role["Arn"], seeder.tags(i), name)
    for i in range(seeder.n):
        name = f"{p}-user-{i}"
        user = iam.create_user(UserName=name, Tags=tag_list(seeder.tags(i)))["User"]
        seeder.add(g, "AWS::IAM::User", name, user["Arn"], seeder.tags(i), name)
    for i in range(seeder.n):
        name = f"{p}-group-{i}"
        group = iam.create_group(GroupName=name)["Group"]  # groups cannot be tagged
        seeder.add(g, "AWS::IAM::Group", name, group["Arn"], {}, name)
    for i in range(seeder.n):
        name = f"{p}-policy-{i}"
        doc = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": f"arn:aws:s3:::{p}-{i}",
                }
            ],
        }
        policy = iam.create_policy(
            PolicyName=name, PolicyDocument=json.dumps(doc), Tags=tag_list(seeder.tags(i))
        )["Policy"]
        seeder.add(g, "AWS::IAM::ManagedPolicy", name, policy["Arn"], seeder.tags(i), name)
    return role_arns[0]


def seed_route53(seeder: Seeder) -> None:
    """Route53 hosted zones, one per index, each in its own ``a<account>.example.com`` domain."""
    r53 = seeder.client("route53", HOME_REGION)
    for i in range(seeder.n):
        zone = r53.create_hosted_zone(
            Name=f"{seeder.prefix}-{i}.a{seeder.account_id}.example.com",
            CallerReference=f"{seeder.prefix}-{seeder.account_id}-{i}",
        )["HostedZone"]
        zone_id = str(zone["Id"]).removeprefix("/hostedzone/")
        tags = seeder.tags(i)
        r53.change_tags_for_resource(
            ResourceType="hostedzone", ResourceId=zone_id, AddTags=tag_list(tags)
        )
        seeder.add(
            "global",
            "AWS::Route53::HostedZone",
            zone_id,
            f"arn:{PARTITION}:route53:::hostedzone/{zone_id}",
            tags,
            zone["Name"],
        )


def seed_s3(seeder: Seeder, regions: Sequence[str]) -> None:
    """S3 buckets spread over ``regions``; the last bucket of every account has no tags."""
    for i in range(seeder.n):
        region = regions[i % len(regions)]
        s3 = seeder.client("s3", region)
        name = f"{seeder.prefix}-{seeder.account_id}-{i}-{region}"
        kwargs: dict[str, Any] = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**kwargs)
        tags: dict[str, str] = {}
        if i != seeder.n - 1:  # the last bucket of every account stays untagged
            tags = seeder.tags(i)
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(tags)})
        seeder.add(region, "AWS::S3::Bucket", name, f"arn:{PARTITION}:s3:::{name}", tags, name)
