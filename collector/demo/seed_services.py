"""Seed the regional services other than EC2 in one account and region.

Lambda functions, RDS instances, DynamoDB tables, SQS queues, SNS topics, KMS keys and
CloudFormation stacks, ``n`` of each, created in that order.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache

from collector.demo.seeder import PARTITION, Seeder, tag_list


@cache
def _lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def seed_services(seeder: Seeder, region: str, lambda_role_arn: str) -> None:
    """Every regional non-EC2 service; Lambda functions run as ``lambda_role_arn``."""
    _seed_lambda(seeder, region, lambda_role_arn)
    _seed_rds(seeder, region)
    _seed_dynamodb(seeder, region)
    _seed_sqs(seeder, region)
    _seed_sns(seeder, region)
    _seed_kms(seeder, region)
    _seed_cloudformation(seeder, region)


def _seed_lambda(seeder: Seeder, region: str, lambda_role_arn: str) -> None:
    p = seeder.prefix
    lam = seeder.client("lambda", region)
    for i in range(seeder.n):
        name = f"{p}-function-{i}"
        tags = seeder.tags(i)
        fn = lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=lambda_role_arn,
            Handler="handler.handler",
            Code={"ZipFile": _lambda_zip()},
            Description=f"{p} function {i}",
            Tags=tags,
        )
        seeder.add(region, "AWS::Lambda::Function", name, fn["FunctionArn"], tags, name)


def _seed_rds(seeder: Seeder, region: str) -> None:
    rds = seeder.client("rds", region)
    for i in range(seeder.n):
        name = f"{seeder.prefix}-db-{i}"
        tags = seeder.tags(i)
        db = rds.create_db_instance(
            DBInstanceIdentifier=name,
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="demo",
            MasterUserPassword="demo-password-1",
            Tags=tag_list(tags),
        )["DBInstance"]
        seeder.add(region, "AWS::RDS::DBInstance", name, db["DBInstanceArn"], tags, name)


def _seed_dynamodb(seeder: Seeder, region: str) -> None:
    ddb = seeder.client("dynamodb", region)
    for i in range(seeder.n):
        name = f"{seeder.prefix}-table-{i}"
        tags = seeder.tags(i)
        table = ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            Tags=tag_list(tags),
        )["TableDescription"]
        seeder.add(region, "AWS::DynamoDB::Table", name, table["TableArn"], tags, name)


def _seed_sqs(seeder: Seeder, region: str) -> None:
    sqs = seeder.client("sqs", region)
    for i in range(seeder.n):
        name = f"{seeder.prefix}-queue-{i}"
        tags = seeder.tags(i)
        sqs.create_queue(QueueName=name, tags=tags)
        arn = f"arn:{PARTITION}:sqs:{region}:{seeder.account_id}:{name}"
        seeder.add(region, "AWS::SQS::Queue", name, arn, tags, name)


def _seed_sns(seeder: Seeder, region: str) -> None:
    sns = seeder.client("sns", region)
    for i in range(seeder.n):
        name = f"{seeder.prefix}-topic-{i}"
        tags = seeder.tags(i)
        arn = sns.create_topic(Name=name, Tags=tag_list(tags))["TopicArn"]
        seeder.add(region, "AWS::SNS::Topic", name, arn, tags, name)


def _seed_kms(seeder: Seeder, region: str) -> None:
    p = seeder.prefix
    kms = seeder.client("kms", region)
    for i in range(seeder.n):
        name = f"{p}-key-{i}"
        tags = seeder.tags(i, name)
        # Odd keys are ECC signing keys: moto makes an RSA-2048 private key for every
        # symmetric key (~70 ms each), an ECC one is cheap.
        spec: dict[str, str] = (
            {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"} if i % 2 else {}
        )
        meta = kms.create_key(
            Description=f"{p} key {i}",
            Tags=[{"TagKey": k, "TagValue": v} for k, v in tags.items()],
            **spec,
        )["KeyMetadata"]
        seeder.add(region, "AWS::KMS::Key", meta["KeyId"], meta["Arn"], tags, name)


def _seed_cloudformation(seeder: Seeder, region: str) -> None:
    p = seeder.prefix
    cfn = seeder.client("cloudformation", region)
    for i in range(seeder.n):
        name = f"{p}-stack-{i}"
        tags = seeder.tags(i)
        # The stack's only resource is an SSM parameter, which is not a core type.
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"{p} stack {i}",
            "Resources": {
                "Parameter": {
                    "Type": "AWS::SSM::Parameter",
                    "Properties": {
                        "Name": f"/{p}/stack-{i}",
                        "Type": "String",
                        "Value": f"{p}-{i}",
                    },
                }
            },
        }
        stack_id = cfn.create_stack(
            StackName=name, TemplateBody=json.dumps(template), Tags=tag_list(tags)
        )["StackId"]
        seeder.add(region, "AWS::CloudFormation::Stack", name, stack_id, tags, name)
