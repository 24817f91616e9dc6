"""Seeders for the data, analytics and ML family (collector/registry/data_stores.py,
streaming.py, machine_learning.py, contact_center.py): the types moto can create and list.

Each function takes the shared `tests.seed_more.Seeder` and records what must be collected;
ARNs come from moto's answers or are written out here, never from the registry's templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.seed_more import Seeder

ACCOUNT = "123456789012"
REGION = "us-east-1"
P = "arn:aws"


def _tags(i: int, family: str) -> dict[str, str]:
    return {"env": ("prod", "dev")[i % 2], "family": family, "n": str(i)}


def _tag_list(t: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in t.items()]


def seed_data_stores(s: Seeder) -> None:
    net = s.vpc()
    dms = s.client("dms")
    t = _tags(0, "dms")
    endpoint = dms.create_endpoint(
        EndpointIdentifier="seed-dms-src", EndpointType="source", EngineName="mysql",
        ServerName="db.example.com", Port=3306, Username="u", Password="p", Tags=_tag_list(t),
    )["Endpoint"]  # fmt: skip
    s.add("AWS::DMS::Endpoint", "seed-dms-src", endpoint["EndpointArn"], t, "seed-dms-src")
    dms.create_replication_subnet_group(
        ReplicationSubnetGroupIdentifier="seed-dms-subnets",
        ReplicationSubnetGroupDescription="x", SubnetIds=net["subnets"],
    )  # fmt: skip
    # Untagged: moto files a subnet group's tags under its name, not its ARN, and has no
    # AddTagsToResource.
    group_arn = f"{P}:dms:{REGION}:{ACCOUNT}:subgrp:seed-dms-subnets"
    s.add("AWS::DMS::ReplicationSubnetGroup", "seed-dms-subnets", group_arn, {}, "seed-dms-subnets")

    t = _tags(1, "memorydb")
    group = s.client("memorydb").create_subnet_group(
        SubnetGroupName="seed-mdb-subnets", SubnetIds=net["subnets"], Tags=_tag_list(t)
    )["SubnetGroup"]
    s.add("AWS::MemoryDB::SubnetGroup", "seed-mdb-subnets", group["ARN"], t, "seed-mdb-subnets")

    # Untagged: moto's DescribeGlobalClusters leaves out TagList.
    glob = s.client("rds").create_global_cluster(
        GlobalClusterIdentifier="seed-global", Engine="aurora-postgresql"
    )["GlobalCluster"]
    s.add("AWS::RDS::GlobalCluster", "seed-global", glob["GlobalClusterArn"], {}, "seed-global")

    t = _tags(1, "aoss")
    aoss = s.client("opensearchserverless")
    aoss.create_security_policy(  # a collection needs an encryption policy that names it
        name="seed-enc", type="encryption",
        policy='{"Rules":[{"ResourceType":"collection","Resource":["collection/seed-coll"]}],'
               '"AWSOwnedKey":false,"KmsARN":"arn:aws:kms:us-east-1:123456789012:key/seed"}',
    )  # fmt: skip
    coll = aoss.create_collection(
        name="seed-coll", type="SEARCH", tags=[{"key": k, "value": v} for k, v in t.items()]
    )["createCollectionDetail"]
    s.add("AWS::OpenSearchServerless::Collection", coll["id"], coll["arn"], t, "seed-coll")

    t = _tags(0, "athena")
    s.client("athena").create_data_catalog(
        Name="seed_catalog", Type="GLUE", Parameters={"catalog-id": ACCOUNT}, Tags=_tag_list(t)
    )
    s.add("AWS::Athena::DataCatalog", "seed_catalog",
          f"{P}:athena:{REGION}:{ACCOUNT}:datacatalog/seed_catalog", t, "seed_catalog")  # fmt: skip

    t = _tags(1, "glue-ml")
    transform = s.client("glue").create_ml_transform(
        Name="seed-transform", Role=s.role("glue.amazonaws.com"), GlueVersion="1.0",
        InputRecordTables=[{"DatabaseName": "db", "TableName": "t"}],
        Parameters={"TransformType": "FIND_MATCHES",
                    "FindMatchesParameters": {"PrimaryKeyColumnName": "id"}},
        Tags=t,
    )["TransformId"]  # fmt: skip
    s.add("AWS::Glue::MLTransform", transform,
          f"{P}:glue:{REGION}:{ACCOUNT}:mlTransform/{transform}", t, "seed-transform")  # fmt: skip


def seed_streaming_ml(s: Seeder) -> None:
    t = _tags(0, "flink")
    app = s.client("kinesisanalyticsv2").create_application(
        ApplicationName="seed-flink", RuntimeEnvironment="FLINK-1_18",
        ServiceExecutionRole=s.role("kinesisanalytics.amazonaws.com"), Tags=_tag_list(t),
    )["ApplicationDetail"]  # fmt: skip
    s.add("AWS::KinesisAnalyticsV2::Application", "seed-flink", app["ApplicationARN"], t,
          "seed-flink")  # fmt: skip

    sm = s.client("sagemaker")
    t = _tags(1, "sm-more")
    model = sm.create_model(
        ModelName="seed-model", ExecutionRoleArn=s.role("sagemaker.amazonaws.com"),
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"},
        Tags=_tag_list(t),
    )["ModelArn"]  # fmt: skip
    s.add("AWS::SageMaker::Model", "seed-model", model, t, "seed-model")
    net = s.vpc()
    domain = sm.create_domain(
        DomainName="seed-domain", AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": s.role("sagemaker.amazonaws.com")},
        SubnetIds=net["subnets"], VpcId=net["vpc"], Tags=_tag_list(t),
    )  # fmt: skip
    domain_id = domain["DomainArn"].rsplit("/", 1)[-1]
    s.add("AWS::SageMaker::Domain", domain_id, domain["DomainArn"], t, "seed-domain")

    lex = s.client("lexv2-models")
    t = _tags(0, "lex")
    bot_id = lex.create_bot(
        botName="seed-bot", roleArn=s.role("lexv2.amazonaws.com"),
        dataPrivacy={"childDirected": False}, idleSessionTTLInSeconds=300, botTags=t,
    )["botId"]  # fmt: skip
    s.add("AWS::Lex::Bot", bot_id, f"{P}:lex:{REGION}:{ACCOUNT}:bot/{bot_id}", t, "seed-bot")

    t = _tags(1, "connect")
    instance = s.client("connect").create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias="seed-connect",
        InboundCallsEnabled=True, OutboundCallsEnabled=False, Tags=t,
    )  # fmt: skip
    s.add("AWS::Connect::Instance", instance["Id"], instance["Arn"], t, "seed-connect")


SEEDERS = (seed_data_stores, seed_streaming_ml)
