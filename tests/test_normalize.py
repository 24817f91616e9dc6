from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from collector.engine.normalize import MalformedItem, normalize, tags_to_dict, to_utc
from collector.records import Scope
from collector.registry import REGISTRY

ACCOUNT = "111122223333"


def test_tags_from_either_shape() -> None:
    assert tags_to_dict([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": None}]) == {
        "a": "1",
        "b": "",
    }
    assert tags_to_dict([{"TagKey": "k", "TagValue": "v"}]) == {"k": "v"}
    assert tags_to_dict({"x": "y"}) == {"x": "y"}
    assert tags_to_dict(None) == {} and tags_to_dict([]) == {}


def test_times_become_utc() -> None:
    plus2 = timezone(timedelta(hours=2))
    assert to_utc(datetime(2024, 5, 1, 12, tzinfo=plus2)) == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert to_utc("2024-05-01T10:00:00.000Z") == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert to_utc("1700000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert to_utc(1700000000000) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert to_utc("not a date") is None


def test_instance_record() -> None:
    item = {
        "InstanceId": "i-0abc",
        "LaunchTime": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "Tags": [{"Key": "Name", "Value": "web-1"}, {"Key": "env", "Value": "prod"}],
    }
    r = normalize(REGISTRY["AWS::EC2::Instance"], Scope(ACCOUNT, "eu-west-1"), item)
    assert r.arn == f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0abc"
    assert (r.resource_id, r.name, r.region, r.scope_region) == (
        "i-0abc",
        "web-1",
        "eu-west-1",
        "eu-west-1",
    )
    assert r.tags == {"Name": "web-1", "env": "prod"}
    assert r.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert r.raw["LaunchTime"] == "2024-01-02T03:04:05Z"


def test_bucket_lives_in_its_own_region() -> None:
    item = {"Name": "logs", "BucketRegion": "eu-west-1", "TagSet": []}
    r = normalize(REGISTRY["AWS::S3::Bucket"], Scope(ACCOUNT, "global"), item)
    assert (r.arn, r.region, r.scope_region, r.tags) == (
        "arn:aws:s3:::logs",
        "eu-west-1",
        "global",
        {},
    )


def test_partitions_in_templates() -> None:
    r = normalize(REGISTRY["AWS::EC2::VPC"], Scope(ACCOUNT, "cn-north-1"), {"VpcId": "vpc-1"})
    assert r.arn == f"arn:aws-cn:ec2:cn-north-1:{ACCOUNT}:vpc/vpc-1"


def test_digest_ignores_key_order_but_not_values() -> None:
    rtype, scope = REGISTRY["AWS::EC2::VPC"], Scope(ACCOUNT, "us-east-1")
    a = normalize(rtype, scope, {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": False})
    b = normalize(rtype, scope, {"IsDefault": False, "CidrBlock": "10.0.0.0/16", "VpcId": "vpc-1"})
    c = normalize(rtype, scope, {"IsDefault": False, "CidrBlock": "10.1.0.0/16", "VpcId": "vpc-1"})
    assert a.digest == b.digest != c.digest


def test_item_without_id_is_malformed() -> None:
    with pytest.raises(MalformedItem):
        normalize(REGISTRY["AWS::EC2::Volume"], Scope(ACCOUNT, "us-east-1"), {"Size": 8})


def test_derived_ids() -> None:
    queue = {
        "QueueUrl": f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/jobs",
        "Attributes": {"QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs"},
    }
    r = normalize(REGISTRY["AWS::SQS::Queue"], Scope(ACCOUNT, "us-east-1"), queue)
    assert (r.resource_id, r.name, r.arn) == (
        "jobs",
        "jobs",
        f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs",
    )
    zone = {"Id": "/hostedzone/Z123", "Name": "example.com."}
    r = normalize(REGISTRY["AWS::Route53::HostedZone"], Scope(ACCOUNT, "global"), zone)
    assert (r.resource_id, r.arn, r.region) == (
        "Z123",
        "arn:aws:route53:::hostedzone/Z123",
        "global",
    )


def test_lambda_environment_values_are_redacted_but_changes_show() -> None:
    from collector.engine.redact import MARKER

    rtype, scope = REGISTRY["AWS::Lambda::Function"], Scope(ACCOUNT, "us-east-1")
    base = {
        "FunctionName": "f",
        "FunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f",
        "Environment": {"Variables": {"DB_PASSWORD": "hunter2", "MODE": "prod"}},
    }
    a = normalize(rtype, scope, base)
    # botocore flags the variable names sensitive too: the whole map becomes one marker.
    assert a.raw["Environment"]["Variables"].startswith(MARKER)
    assert "hunter2" not in repr(a.raw)
    changed = {**base, "Environment": {"Variables": {"DB_PASSWORD": "hunter3", "MODE": "prod"}}}
    b = normalize(rtype, scope, changed)
    assert a.digest != b.digest
    assert normalize(rtype, scope, base).digest == a.digest


def test_list_paths_and_extra_rules() -> None:
    from collector.engine.redact import MARKER, Redactor

    redactor = Redactor.with_defaults({"AWS::X::Y": ["secret"]})
    task = {"containerDefinitions": [{"environment": [{"name": "K", "value": "v"}]}]}
    out = redactor("AWS::ECS::TaskDefinition", task)
    [env] = out["containerDefinitions"][0]["environment"]
    assert env["name"] == "K" and env["value"].startswith(MARKER)
    assert task["containerDefinitions"][0]["environment"][0]["value"] == "v"  # input untouched
    assert redactor("AWS::X::Y", {"secret": 1, "open": 2})["open"] == 2
    assert redactor("AWS::X::Y", {"secret": 1})["secret"].startswith(MARKER)
    assert Redactor.with_defaults(defaults=False).applies_to("AWS::Lambda::Function") is False


def test_volatile_fields_do_not_change_the_digest() -> None:
    rtype, scope = REGISTRY["AWS::RDS::DBInstance"], Scope(ACCOUNT, "us-east-1")
    base = {
        "DBInstanceIdentifier": "db",
        "DBInstanceArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:db:db",
        "LatestRestorableTime": "2026-11-27T10:00:00Z",
        "DBInstanceClass": "db.t3.micro",
    }
    a = normalize(rtype, scope, base)
    b = normalize(rtype, scope, {**base, "LatestRestorableTime": "2026-11-27T10:05:00Z"})
    c = normalize(rtype, scope, {**base, "DBInstanceClass": "db.t3.large"})
    assert a.digest == b.digest != c.digest
    assert b.raw["LatestRestorableTime"] == "2026-11-27T10:05:00Z"
