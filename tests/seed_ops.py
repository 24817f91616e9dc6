"""Seeders for the operations families (collector/registry: devtools, containers, security_ops,
observability, integration, governance), in the style of tests/seed_more.py: each creates a
few resources through plain boto3 and records what a collector must find. ARNs come from
moto's answers, or are written out from AWS's documented formats, never from the registry.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.seed_more import ACCOUNT, REGION, Seeder, lower_tag_list, tag_list, tags


def seed_codedeploy(s: Seeder) -> None:
    cd, t = s.client("codedeploy"), tags(0, "codedeploy")
    role = s.role("codedeploy.amazonaws.com")
    cd.create_application(applicationName="seed-deploy", tags=tag_list(t))
    s.add("AWS::CodeDeploy::Application", "seed-deploy",
          f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:application:seed-deploy", t, "seed-deploy")
    for group in ("blue", "green"):
        cd.create_deployment_group(applicationName="seed-deploy", deploymentGroupName=group,
                                   serviceRoleArn=role, tags=tag_list(t))
        s.add("AWS::CodeDeploy::DeploymentGroup", f"seed-deploy/{group}",
              f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:seed-deploy/{group}", t,
              group)


def seed_batch(s: Seeder) -> None:
    batch, t = s.client("batch"), tags(1, "batch")
    env = batch.create_compute_environment(
        computeEnvironmentName="seed-ce", type="UNMANAGED", tags=t,
        serviceRole=s.role("batch.amazonaws.com"),
    )  # fmt: skip
    s.add("AWS::Batch::ComputeEnvironment", "seed-ce", env["computeEnvironmentArn"], t, "seed-ce")
    # moto runs the environment on an ECS cluster of its own making (untagged).
    cluster = batch.describe_compute_environments(computeEnvironments=["seed-ce"])[
        "computeEnvironments"][0]["ecsClusterArn"]
    name = cluster.rsplit("/", 1)[1]
    s.add("AWS::ECS::Cluster", name, cluster, None, name)
    queue = batch.create_job_queue(
        jobQueueName="seed-queue", state="ENABLED", priority=1, tags=t,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env["computeEnvironmentArn"]}],
    )  # fmt: skip
    s.add("AWS::Batch::JobQueue", "seed-queue", queue["jobQueueArn"], t, "seed-queue")
    policy = batch.create_scheduling_policy(name="seed-fair", tags=t)
    s.add("AWS::Batch::SchedulingPolicy", "seed-fair", policy["arn"], t, "seed-fair")


def seed_ecs_ops(s: Seeder) -> None:
    ecs, t = s.client("ecs"), tags(0, "ecs-ops")
    # Task sets belong to services with the EXTERNAL deployment controller.
    cluster = ecs.create_cluster(clusterName="seed-ops", tags=lower_tag_list(t))["cluster"]
    s.add("AWS::ECS::Cluster", "seed-ops", cluster["clusterArn"], t, "seed-ops")
    ecs.register_task_definition(
        family="seed-ops-task", tags=lower_tag_list(t),
        containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}],
    )  # fmt: skip
    task_def = ecs.describe_task_definition(taskDefinition="seed-ops-task")["taskDefinition"]
    s.add("AWS::ECS::TaskDefinition", "seed-ops-task:1", task_def["taskDefinitionArn"], t,
          "seed-ops-task")
    service = ecs.create_service(
        cluster="seed-ops", serviceName="ext", taskDefinition="seed-ops-task", desiredCount=0,
        deploymentController={"type": "EXTERNAL"}, tags=lower_tag_list(t),
    )["service"]  # fmt: skip
    s.add("AWS::ECS::Service", "seed-ops/ext", service["serviceArn"], t, "ext")
    task_set = ecs.create_task_set(
        cluster="seed-ops", service="ext", taskDefinition="seed-ops-task", tags=lower_tag_list(t)
    )["taskSet"]
    s.add("AWS::ECS::TaskSet", f"seed-ops/ext/{task_set['id']}", task_set["taskSetArn"], t)


def seed_security_ops(s: Seeder) -> None:
    t = tags(1, "security-ops")
    ca = s.client("acm-pca").create_certificate_authority(
        CertificateAuthorityType="ROOT", Tags=tag_list(t),
        CertificateAuthorityConfiguration={
            "KeyAlgorithm": "RSA_2048", "SigningAlgorithm": "SHA256WITHRSA",
            "Subject": {"CommonName": "seed.example.com"},
        },
    )["CertificateAuthorityArn"]  # fmt: skip
    s.add("AWS::ACMPCA::CertificateAuthority", ca.rsplit("/", 1)[1], ca, t)
    found = s.client("inspector2").create_filter(
        action="SUPPRESS", name="seed-filter", tags=t,
        filterCriteria={"severity": [{"comparison": "EQUALS", "value": "LOW"}]},
    )["arn"]  # fmt: skip
    s.add("AWS::InspectorV2::Filter", found.rsplit("/", 1)[1], found, t, "seed-filter")
    hub = s.client("resiliencehub")
    app = hub.create_app(name="seed-app", tags=t)["app"]["appArn"]
    s.add("AWS::ResilienceHub::App", app.rsplit("/", 1)[1], app, t, "seed-app")
    target = {"rpoInSecs": 60, "rtoInSecs": 60}
    policy = hub.create_resiliency_policy(
        policyName="seed-policy", tier="NonCritical", tags=t,
        policy={"AZ": target, "Hardware": target, "Software": target, "Region": target},
    )["policy"]["policyArn"]  # fmt: skip
    s.add("AWS::ResilienceHub::ResiliencyPolicy", policy.rsplit("/", 1)[1], policy, t,
          "seed-policy")


def seed_observability(s: Seeder) -> None:
    t = tags(0, "observability")
    amp = s.client("amp")
    workspace = amp.create_workspace(alias="seed-prom", tags=t)
    s.add("AWS::APS::Workspace", workspace["workspaceId"], workspace["arn"], t, "seed-prom")
    namespace = amp.create_rule_groups_namespace(
        workspaceId=workspace["workspaceId"], name="seed-rules", tags=t,
        data=b"groups:\n- name: seed\n  rules: []\n",
    )["arn"]  # fmt: skip
    s.add("AWS::APS::RuleGroupsNamespace", namespace, namespace, t, "seed-rules")
    logs = s.client("logs")
    destination = logs.put_destination(
        destinationName="seed-destination", roleArn=s.role("logs.amazonaws.com"), tags=t,
        targetArn=f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/seed-destination-target",
    )["destination"]["arn"]  # fmt: skip
    s.add("AWS::Logs::Destination", "seed-destination", destination, t, "seed-destination")


def seed_integration(s: Seeder) -> None:
    t = tags(1, "integration")
    appsync = s.client("appsync")
    api = appsync.create_graphql_api(name="seed-graphql", authenticationType="API_KEY", tags=t)
    api_id, api_arn = api["graphqlApi"]["apiId"], api["graphqlApi"]["arn"]
    s.add("AWS::AppSync::GraphQLApi", api_id, api_arn, t, "seed-graphql")
    sd = s.client("servicediscovery")
    namespace = sd.list_namespaces()["Namespaces"][0]["Id"]  # one of seed_management's
    service = sd.create_service(Name="seed-service", NamespaceId=namespace, Tags=tag_list(t))
    s.add("AWS::ServiceDiscovery::Service", service["Service"]["Id"], service["Service"]["Arn"],
          t, "seed-service")
    s.client("sesv2").create_contact_list(ContactListName="seed-contacts", Tags=tag_list(t))
    s.add("AWS::SES::ContactList", "seed-contacts",
          f"arn:aws:ses:{REGION}:{ACCOUNT}:contact-list/seed-contacts", t, "seed-contacts")


def seed_governance(s: Seeder) -> None:
    t = tags(0, "governance")
    portfolio = s.client("servicecatalog").create_portfolio(
        DisplayName="seed-portfolio", ProviderName="seed", IdempotencyToken="seed-portfolio",
        Tags=tag_list(t),
    )["PortfolioDetail"]  # fmt: skip
    s.add("AWS::ServiceCatalog::Portfolio", portfolio["Id"], portfolio["ARN"], t,
          "seed-portfolio")


OPS_SEEDERS: tuple[Callable[[Seeder], None], ...] = (
    seed_codedeploy, seed_batch, seed_ecs_ops, seed_security_ops, seed_observability,
    seed_integration, seed_governance,
)  # fmt: skip
