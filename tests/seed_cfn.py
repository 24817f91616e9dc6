"""Seed helpers for the CloudFormation-only types moto implements (collector/registry/
{api_routes,workflows,automation,audit_trails,data_access,edge_access}.py): appended to SEEDERS
in seed_more.py.

Expected ids, ARNs and tags are what moto answered to the create calls, or what the test
itself chose; never the registry's templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.seed_more import ACCOUNT, REGION, Seeder, lambda_zip, tag_list, tags

_API = f"arn:aws:apigateway:{REGION}::"
_SSM = f"arn:aws:ssm:{REGION}:{ACCOUNT}:"


def seed_cfn_api_routes(s: Seeder) -> None:
    t = tags(0, "cfn-api")
    v2, net = s.client("apigatewayv2"), s.vpc()
    api = v2.create_api(Name="seed-cfn-http", ProtocolType="HTTP")["ApiId"]
    s.add("AWS::ApiGatewayV2::Api", api, f"{_API}/apis/{api}", None, "seed-cfn-http")
    integration = v2.create_integration(
        ApiId=api, IntegrationType="HTTP_PROXY", IntegrationUri="https://example.com",
        IntegrationMethod="GET", PayloadFormatVersion="1.0", Description="seed-cfn-backend",
    )["IntegrationId"]  # fmt: skip
    s.add(
        "AWS::ApiGatewayV2::Integration", f"{api}/{integration}",
        f"{_API}/apis/{api}/integrations/{integration}", None, "seed-cfn-backend",
    )  # fmt: skip
    route = v2.create_route(ApiId=api, RouteKey="GET /items", Target=f"integrations/{integration}")
    s.add(
        "AWS::ApiGatewayV2::Route", f"{api}/{route['RouteId']}",
        f"{_API}/apis/{api}/routes/{route['RouteId']}", None, "GET /items",
    )  # fmt: skip
    v2.create_stage(ApiId=api, StageName="live")
    s.add("AWS::ApiGatewayV2::Stage", f"{api}/live", f"{_API}/apis/{api}/stages/live", None, "live")
    link = v2.create_vpc_link(
        Name="seed-cfn-link", SubnetIds=net["subnets"], SecurityGroupIds=[net["sg"]], Tags=t
    )["VpcLinkId"]
    s.add("AWS::ApiGatewayV2::VpcLink", link, f"{_API}/vpclinks/{link}", t, "seed-cfn-link")

    # AWS keeps one set of custom domain names for both APIs; moto keeps one per API: the
    # domain is made in both, and listed (as the mappings' parent) through the REST API's.
    domain = "cfn.seed.example.com"
    s.client("apigateway").create_domain_name(domainName=domain)
    s.add("AWS::ApiGateway::DomainName", domain, f"{_API}/domainnames/{domain}", None, domain)
    v2.create_domain_name(DomainName=domain)
    mapping = v2.create_api_mapping(DomainName=domain, ApiId=api, Stage="live", ApiMappingKey="v1")
    s.add(
        "AWS::ApiGatewayV2::ApiMapping", f"{domain}/{mapping['ApiMappingId']}",
        f"{_API}/domainnames/{domain}/apimappings/{mapping['ApiMappingId']}", None, "v1",
    )  # fmt: skip

    apigw = s.client("apigateway")
    rest = apigw.create_rest_api(name="seed-cfn-rest")["id"]
    s.add("AWS::ApiGateway::RestApi", rest, f"{_API}/restapis/{rest}", None, "seed-cfn-rest")
    auth = apigw.create_authorizer(
        restApiId=rest, name="seed-cfn-auth", type="TOKEN",
        identitySource="method.request.header.Authorization",
        authorizerUri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:auth/invocations",
    )["id"]  # fmt: skip
    s.add(
        "AWS::ApiGateway::Authorizer", f"{rest}/authorizers/{auth}",
        f"{_API}/restapis/{rest}/authorizers/{auth}", None, "seed-cfn-auth",
    )  # fmt: skip
    vpc_link = apigw.create_vpc_link(name="seed-cfn-nlb-link", targetArns=[s.lb()], tags=t)["id"]
    s.add("AWS::ApiGateway::VpcLink", vpc_link, f"{_API}/vpclinks/{vpc_link}", t, "seed-cfn-nlb-link")


def seed_cfn_workflows(s: Seeder) -> None:
    t = tags(1, "cfn-workflows")
    lam = s.client("lambda")
    lam.create_function(
        FunctionName="seed-cfn-fn", Runtime="python3.12", Role=s.role("lambda.amazonaws.com"),
        Handler="handler.handler", Code={"ZipFile": lambda_zip()},
    )  # fmt: skip
    version = lam.publish_version(FunctionName="seed-cfn-fn")
    s.add("AWS::Lambda::Version", version["FunctionArn"], version["FunctionArn"], None,
          f"seed-cfn-fn/{version['Version']}")  # fmt: skip
    # seed_lambda's function was created with Publish=True: its version 1 is listed too.
    first = lam.get_function(FunctionName="seed-more-fn", Qualifier="1")["Configuration"]
    s.add("AWS::Lambda::Version", first["FunctionArn"], first["FunctionArn"], None, "seed-more-fn/1")

    sfn = s.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="seed-cfn-sm", roleArn=s.role("states.amazonaws.com"), publish=True,
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
    )  # fmt: skip
    s.add("AWS::StepFunctions::StateMachine", "seed-cfn-sm", machine["stateMachineArn"], None,
          "seed-cfn-sm")  # fmt: skip
    alias = sfn.create_state_machine_alias(
        name="live",
        routingConfiguration=[
            {"stateMachineVersionArn": machine["stateMachineVersionArn"], "weight": 100}
        ],
    )["stateMachineAliasArn"]
    s.add("AWS::StepFunctions::StateMachineAlias", alias, alias)

    sqs = s.client("sqs")
    queues = []
    for name in ("seed-cfn-source", "seed-cfn-target"):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        queues.append(
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
        )
    role = s.role("scheduler.amazonaws.com")
    scheduler = s.client("scheduler")
    group = scheduler.create_schedule_group(Name="seed-cfn-group", Tags=tag_list(t))
    s.add("AWS::Scheduler::ScheduleGroup", "seed-cfn-group", group["ScheduleGroupArn"], t,
          "seed-cfn-group")  # fmt: skip
    schedule = scheduler.create_schedule(
        Name="seed-cfn-schedule", GroupName="seed-cfn-group", ScheduleExpression="rate(1 hour)",
        FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": queues[1], "RoleArn": role},
    )["ScheduleArn"]  # fmt: skip
    s.add("AWS::Scheduler::Schedule", "seed-cfn-group/seed-cfn-schedule", schedule, None,
          "seed-cfn-schedule")  # fmt: skip
    pipe = s.client("pipes").create_pipe(
        Name="seed-cfn-pipe", RoleArn=s.role("pipes.amazonaws.com"), Source=queues[0],
        Target=queues[1], Tags=t,
    )["Arn"]  # fmt: skip
    s.add("AWS::Pipes::Pipe", "seed-cfn-pipe", pipe, t, "seed-cfn-pipe")


def seed_cfn_automation(s: Seeder) -> None:
    t = tags(2, "cfn-automation")
    ssm = s.client("ssm")
    window = ssm.create_maintenance_window(
        Name="seed-cfn-mw", Schedule="cron(0 3 ? * SUN *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True,
    )["WindowId"]  # fmt: skip
    s.add("AWS::SSM::MaintenanceWindow", window, _SSM + f"maintenancewindow/{window}", None,
          "seed-cfn-mw")  # fmt: skip
    target = ssm.register_target_with_maintenance_window(
        WindowId=window, ResourceType="INSTANCE", Name="seed-cfn-target",
        Targets=[{"Key": "tag:env", "Values": ["prod"]}],
    )["WindowTargetId"]  # fmt: skip
    s.add("AWS::SSM::MaintenanceWindowTarget", f"{window}/{target}",
          _SSM + f"windowtarget/{target}", None, "seed-cfn-target")  # fmt: skip
    task = ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}], Name="seed-cfn-task",
        MaxConcurrency="1", MaxErrors="1",
    )["WindowTaskId"]  # fmt: skip
    s.add("AWS::SSM::MaintenanceWindowTask", f"{window}/{task}", _SSM + f"windowtask/{task}",
          None, "seed-cfn-task")  # fmt: skip

    s.client("glue").create_trigger(
        Name="seed-cfn-trigger", Type="ON_DEMAND", Actions=[{"JobName": "seed-cfn-job"}], Tags=t
    )
    s.add("AWS::Glue::Trigger", "seed-cfn-trigger",
          f"arn:aws:glue:{REGION}:{ACCOUNT}:trigger/seed-cfn-trigger", t, "seed-cfn-trigger")  # fmt: skip


def seed_cfn_audit(s: Seeder) -> None:
    t = tags(3, "cfn-audit")
    logs = s.client("logs")
    logs.create_log_group(logGroupName="seed-cfn-vended")
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:seed-cfn-vended"
    s.add("AWS::Logs::LogGroup", "seed-cfn-vended", group, None, "seed-cfn-vended")
    source = logs.put_delivery_source(
        name="seed-cfn-source", logType="APPLICATION_LOGS", tags=t,
        resourceArn=f"arn:aws:bedrock:{REGION}:{ACCOUNT}:knowledge-base/SEEDKB0001",
    )["deliverySource"]  # fmt: skip
    s.add("AWS::Logs::DeliverySource", "seed-cfn-source", source["arn"], t, "seed-cfn-source")
    dest = logs.put_delivery_destination(
        name="seed-cfn-dest", tags=t,
        deliveryDestinationConfiguration={"destinationResourceArn": group},
    )["deliveryDestination"]  # fmt: skip
    s.add("AWS::Logs::DeliveryDestination", "seed-cfn-dest", dest["arn"], t, "seed-cfn-dest")
    delivery = logs.create_delivery(
        deliverySourceName="seed-cfn-source", deliveryDestinationArn=dest["arn"], tags=t
    )["delivery"]
    s.add("AWS::Logs::Delivery", delivery["id"], delivery["arn"], t)


def seed_cfn_data_access(s: Seeder) -> None:
    t, net = tags(4, "cfn-data"), s.vpc()
    user = s.client("elasticache").create_user(
        UserId="seed-cfn-user", UserName="seed-cfn-user", Engine="redis",
        AccessString="on ~app:* +@read", NoPasswordRequired=True, Tags=tag_list(t),
    )  # fmt: skip
    s.add("AWS::ElastiCache::User", "seed-cfn-user", user["ARN"], t, "seed-cfn-user")

    mdb = s.client("memorydb")
    mdb_user = mdb.create_user(
        UserName="seed-cfn-mdb-user", AccessString="on ~* &* +@all",
        AuthenticationMode={"Type": "password", "Passwords": ["a-long-enough-password-1"]},
        Tags=tag_list(t),
    )["User"]  # fmt: skip
    s.add("AWS::MemoryDB::User", "seed-cfn-mdb-user", mdb_user["ARN"], t, "seed-cfn-mdb-user")
    cluster = mdb.create_cluster(
        ClusterName="seed-cfn-mdb", NodeType="db.t4g.small", ACLName="open-access",
        Tags=tag_list(t),
    )["Cluster"]  # fmt: skip
    s.add("AWS::MemoryDB::Cluster", "seed-cfn-mdb", cluster["ARN"], t, "seed-cfn-mdb")

    proxy = s.client("rds").create_db_proxy(
        DBProxyName="seed-cfn-proxy", EngineFamily="MYSQL", RoleArn=s.role("rds.amazonaws.com"),
        Auth=[{"AuthScheme": "SECRETS",
               "SecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:seed-AbCdEf"}],
        VpcSubnetIds=net["subnets"], Tags=tag_list(t),
    )["DBProxy"]  # fmt: skip
    s.add("AWS::RDS::DBProxy", "seed-cfn-proxy", proxy["DBProxyArn"], t, "seed-cfn-proxy")


def seed_cfn_edge(s: Seeder) -> None:
    t, net = tags(5, "cfn-edge"), s.vpc()
    cf = s.client("cloudfront")
    oac = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "seed-cfn-oac", "SigningProtocol": "sigv4", "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]  # fmt: skip
    s.add("AWS::CloudFront::OriginAccessControl", oac,
          f"arn:aws:cloudfront::{ACCOUNT}:origin-access-control/{oac}", None, "seed-cfn-oac")  # fmt: skip
    kvs = cf.create_key_value_store(Name="seed-cfn-kvs")["KeyValueStore"]
    s.add("AWS::CloudFront::KeyValueStore", "seed-cfn-kvs", kvs["ARN"], None, "seed-cfn-kvs")

    lattice = s.client("vpc-lattice")
    service = lattice.create_service(name="seed-cfn-svc", tags=t)
    s.add("AWS::VpcLattice::Service", service["id"], service["arn"], t, "seed-cfn-svc")
    listener = lattice.create_listener(
        serviceIdentifier=service["id"], name="seed-cfn-listener", protocol="HTTP", port=80,
        defaultAction={"fixedResponse": {"statusCode": 404}}, tags=t,
    )  # fmt: skip
    s.add("AWS::VpcLattice::Listener", f"{service['id']}/{listener['id']}", listener["arn"], t,
          "seed-cfn-listener")  # fmt: skip
    group = lattice.create_target_group(
        name="seed-cfn-tg", type="IP", tags=t,
        config={"port": 80, "protocol": "HTTP", "vpcIdentifier": net["vpc"]},
    )  # fmt: skip
    s.add("AWS::VpcLattice::TargetGroup", group["id"], group["arn"], t, "seed-cfn-tg")


def seed_cfn_access(s: Seeder) -> None:
    # moto starts with one Identity Center instance; its identity store holds the groups.
    store = s.client("sso-admin").list_instances()["Instances"][0]["IdentityStoreId"]
    group = s.client("identitystore").create_group(
        IdentityStoreId=store, DisplayName="seed-cfn-admins"
    )["GroupId"]
    s.add("AWS::IdentityStore::Group", f"{store}/{group}",
          f"arn:aws:identitystore:::group/{group}", None, "seed-cfn-admins")  # fmt: skip
    # moto keeps no tags of resource shares.
    share = s.client("ram").create_resource_share(
        name="seed-cfn-share", allowExternalPrincipals=False
    )["resourceShare"]["resourceShareArn"]
    s.add("AWS::RAM::ResourceShare", share, share, None, "seed-cfn-share")


def seed_cfn_governance(s: Seeder) -> None:
    t = tags(7, "cfn-governance")
    config = s.client("config")
    config.put_config_rule(
        ConfigRule={
            "ConfigRuleName": "seed-cfn-versioning",
            "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
        }
    )
    rule = config.describe_config_rules(ConfigRuleNames=["seed-cfn-versioning"])["ConfigRules"][0]
    s.add("AWS::Config::ConfigRule", "seed-cfn-versioning", rule["ConfigRuleArn"], None,
          "seed-cfn-versioning")  # fmt: skip
    aggregator = config.put_configuration_aggregator(
        ConfigurationAggregatorName="seed-cfn-aggregator", Tags=tag_list(t),
        AccountAggregationSources=[{"AccountIds": [ACCOUNT], "AllAwsRegions": True}],
    )["ConfigurationAggregator"]["ConfigurationAggregatorArn"]  # fmt: skip
    s.add("AWS::Config::ConfigurationAggregator", "seed-cfn-aggregator", aggregator, t,
          "seed-cfn-aggregator")  # fmt: skip

    stack_set = s.client("cloudformation").create_stack_set(
        StackSetName="seed-cfn-stackset", Tags=tag_list(t),
        TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}),
    )["StackSetId"]  # fmt: skip
    s.add("AWS::CloudFormation::StackSet", stack_set.rsplit(":", 1)[-1],
          f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stackset/{stack_set}", t,
          "seed-cfn-stackset")  # fmt: skip

    zone = s.client("route53").create_hosted_zone(
        Name="logged.seed.example.com", CallerReference="seed-cfn-qlc"
    )["HostedZone"]["Id"].rsplit("/", 1)[-1]
    logs = s.client("logs")
    logs.create_log_group(logGroupName="/aws/route53/logged.seed.example.com")
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/route53/logged.seed.example.com"
    s.add("AWS::Logs::LogGroup", "/aws/route53/logged.seed.example.com", group, None,
          "/aws/route53/logged.seed.example.com")  # fmt: skip
    qlc = s.client("route53").create_query_logging_config(
        HostedZoneId=zone, CloudWatchLogsLogGroupArn=group + ":*"
    )["QueryLoggingConfig"]["Id"]
    s.add("AWS::Route53::QueryLoggingConfig", qlc,
          f"arn:aws:route53:::queryloggingconfig/{qlc}")  # fmt: skip


def seed_cfn_workloads(s: Seeder) -> None:
    t, net = tags(8, "cfn-workloads"), s.vpc()
    fs = s.client("fsx").create_file_system(
        FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[net["subnets"][0]],
        Tags=tag_list(t),
    )["FileSystem"]  # fmt: skip
    s.add("AWS::FSx::FileSystem", fs["FileSystemId"], fs["ResourceARN"], t, fs.get("DNSName"))

    ds = s.client("ds")
    vpc = {"VpcId": net["vpc"], "SubnetIds": net["subnets"]}
    simple = ds.create_directory(
        Name="simple.seed.example.com", Password="Seed-Passw0rd!", Size="Small",
        VpcSettings=vpc, Tags=tag_list(t),
    )["DirectoryId"]  # fmt: skip
    s.add("AWS::DirectoryService::SimpleAD", simple,
          f"arn:aws:ds:{REGION}:{ACCOUNT}:directory/{simple}", t, "simple.seed.example.com")  # fmt: skip
    managed = ds.create_microsoft_ad(
        Name="corp.seed.example.com", Password="Seed-Passw0rd!", VpcSettings=vpc,
        Edition="Standard", Tags=tag_list(t),
    )["DirectoryId"]  # fmt: skip
    s.add("AWS::DirectoryService::MicrosoftAD", managed,
          f"arn:aws:ds:{REGION}:{ACCOUNT}:directory/{managed}", t, "corp.seed.example.com")  # fmt: skip

    job = s.client("batch").register_job_definition(
        jobDefinitionName="seed-cfn-job", type="container", tags=t,
        containerProperties={"image": "busybox", "vcpus": 1, "memory": 128},
    )["jobDefinitionArn"]  # fmt: skip
    s.add("AWS::Batch::JobDefinition", job, job, t, "seed-cfn-job")

    sm = s.client("sagemaker")
    model = sm.create_model(
        ModelName="seed-cfn-model", ExecutionRoleArn=s.role("sagemaker.amazonaws.com"),
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"},
    )["ModelArn"]  # fmt: skip
    s.add("AWS::SageMaker::Model", "seed-cfn-model", model, None, "seed-cfn-model")
    config = sm.create_endpoint_config(
        EndpointConfigName="seed-cfn-config", Tags=tag_list(t),
        ProductionVariants=[{"VariantName": "main", "ModelName": "seed-cfn-model",
                             "InitialInstanceCount": 1, "InstanceType": "ml.t2.medium"}],
    )["EndpointConfigArn"]  # fmt: skip
    s.add("AWS::SageMaker::EndpointConfig", "seed-cfn-config", config, t, "seed-cfn-config")
    endpoint = sm.create_endpoint(
        EndpointName="seed-cfn-endpoint", EndpointConfigName="seed-cfn-config", Tags=tag_list(t)
    )["EndpointArn"]
    s.add("AWS::SageMaker::Endpoint", "seed-cfn-endpoint", endpoint, t, "seed-cfn-endpoint")
    pipeline = sm.create_pipeline(
        PipelineName="seed-cfn-pipeline", RoleArn=s.role("sagemaker.amazonaws.com"),
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}),
        ClientRequestToken="seed-cfn-pipeline-client-token-0001", Tags=tag_list(t),
    )["PipelineArn"]  # fmt: skip
    s.add("AWS::SageMaker::Pipeline", "seed-cfn-pipeline", pipeline, t, "seed-cfn-pipeline")

    # moto drops the tags given to CreateSnapshotCopyGrant.
    s.client("redshift").create_snapshot_copy_grant(SnapshotCopyGrantName="seed-cfn-grant")
    s.add("AWS::Redshift::SnapshotCopyGrant", "seed-cfn-grant",
          f"arn:aws:redshift:{REGION}:{ACCOUNT}:snapshotcopygrant:seed-cfn-grant", None,
          "seed-cfn-grant")  # fmt: skip


SEEDERS: tuple[Callable[[Seeder], None], ...] = (
    seed_cfn_api_routes,
    seed_cfn_workflows,
    seed_cfn_automation,
    seed_cfn_audit,
    seed_cfn_data_access,
    seed_cfn_edge,
    seed_cfn_access,
    seed_cfn_governance,
    seed_cfn_workloads,
)
