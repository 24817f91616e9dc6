"""Create resources of the curated (non-core) types in a moto server, one helper per family.

Every helper creates a few resources through plain boto3 and records what a collector must
find: (type, id, ARN, tags, name) as docs/CONVENTIONS.md and the registry define them. The
helpers run in one account and region (moto's default account, ``us-east-1``); the global
types (IAM, CloudFront, Route 53, Organizations) are created in the same account.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3

from tests import seed_data
from tests.seed_iot import seed_media, seed_workspaces

ACCOUNT = "123456789012"
REGION = "us-east-1"
P = "arn:aws"


@dataclass(frozen=True)
class Expected:
    resource_type: str
    resource_id: str
    arn: str
    tags: dict[str, str] = field(hash=False, default_factory=dict)
    name: str | None = None


def tags(i: int, family: str) -> dict[str, str]:
    return {"env": ("prod", "dev")[i % 2], "family": family, "n": str(i)}


def tag_list(t: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in t.items()]


def lower_tag_list(t: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in t.items()]


def tag_spec(kind: str, t: dict[str, str]) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tag_list(t)}]


TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


@cache
def lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    return buf.getvalue()


class Seeder:
    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        self.out: list[Expected] = []
        self._clients: dict[str, Any] = {}
        self._shared: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, endpoint_url=self.endpoint_url)
        return self._clients[service]

    def add(
        self, rtype: str, rid: str, arn: str, t: dict[str, str] | None = None, name: str | None = None
    ) -> None:
        self.out.append(Expected(rtype, rid, arn, dict(t or {}), name))

    # ---- shared building blocks --------------------------------------------------------

    def vpc(self) -> dict[str, Any]:
        """One VPC with two subnets in two AZs and a security group (made once)."""
        if "vpc" not in self._shared:
            ec2 = self.client("ec2")
            vpc_id = ec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
            subnets = [
                ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.90.{i}.0/24", AvailabilityZone=az)[
                    "Subnet"
                ]["SubnetId"]
                for i, az in enumerate(("us-east-1a", "us-east-1b"))
            ]
            sg = ec2.create_security_group(GroupName="seed-more", Description="x", VpcId=vpc_id)
            self._shared["vpc"] = {"vpc": vpc_id, "subnets": subnets, "sg": sg["GroupId"]}
            self.default_acl(vpc_id)
        return dict(self._shared["vpc"])

    def default_acl(self, vpc_id: str) -> None:
        """Every new VPC comes with a default network ACL: a resource the collector lists."""
        acls = self.client("ec2").describe_network_acls(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}]
        )["NetworkAcls"]
        for acl in acls:
            acl_id = acl["NetworkAclId"]
            self.add("AWS::EC2::NetworkAcl", acl_id, f"{P}:ec2:{REGION}:{ACCOUNT}:network-acl/{acl_id}")

    def role(self, service: str = "ec2.amazonaws.com") -> str:
        key = f"role:{service}"
        if key not in self._shared:
            doc = json.loads(TRUST)
            doc["Statement"][0]["Principal"]["Service"] = service
            name = "seed-more-" + service.split(".")[0]
            role = self.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))
            self._shared[key] = role["Role"]["Arn"]
        return str(self._shared[key])

    def lb(self) -> str:
        if "lb" not in self._shared:
            net = self.vpc()
            lb = self.client("elbv2").create_load_balancer(
                Name="seed-more-alb", Subnets=net["subnets"], SecurityGroups=[net["sg"]]
            )["LoadBalancers"][0]
            self._shared["lb"] = lb["LoadBalancerArn"]
        return str(self._shared["lb"])

    # ---- network -----------------------------------------------------------------------

    def seed_ec2_network(self) -> None:
        ec2, net = self.client("ec2"), self.vpc()
        arn = f"{P}:ec2:{REGION}:{ACCOUNT}:"
        vpc2 = ec2.create_vpc(CidrBlock="10.91.0.0/16")["Vpc"]["VpcId"]
        self.default_acl(vpc2)
        t = tags(0, "net")

        endpoint = ec2.create_vpc_endpoint(
            VpcId=net["vpc"], ServiceName="com.amazonaws.us-east-1.s3",
            TagSpecifications=tag_spec("vpc-endpoint", t),
        )["VpcEndpoint"]["VpcEndpointId"]  # fmt: skip
        self.add("AWS::EC2::VPCEndpoint", endpoint, arn + f"vpc-endpoint/{endpoint}", t)

        pcx = ec2.create_vpc_peering_connection(
            VpcId=net["vpc"], PeerVpcId=vpc2, TagSpecifications=tag_spec("vpc-peering-connection", t)
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        self.add("AWS::EC2::VPCPeeringConnection", pcx, arn + f"vpc-peering-connection/{pcx}", t)

        tgw = ec2.create_transit_gateway(
            Description="seed", TagSpecifications=tag_spec("transit-gateway", t)
        )["TransitGateway"]
        self.add("AWS::EC2::TransitGateway", tgw["TransitGatewayId"], tgw["TransitGatewayArn"], t)
        # A transit gateway comes with its default association route table.
        for table in ec2.describe_transit_gateway_route_tables(
            Filters=[{"Name": "transit-gateway-id", "Values": [tgw["TransitGatewayId"]]}]
        )["TransitGatewayRouteTables"]:
            rid = table["TransitGatewayRouteTableId"]
            self.add("AWS::EC2::TransitGatewayRouteTable", rid, arn + f"transit-gateway-route-table/{rid}")
        att = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=tgw["TransitGatewayId"], VpcId=net["vpc"], SubnetIds=net["subnets"][:1],
            TagSpecifications=tag_spec("transit-gateway-attachment", t),
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]  # fmt: skip
        ec2.create_tags(Resources=[att], Tags=tag_list(t))  # moto ignores the TagSpecifications
        self.add(
            "AWS::EC2::TransitGatewayAttachment", att, arn + f"transit-gateway-attachment/{att}", t
        )
        rtb = ec2.create_transit_gateway_route_table(
            TransitGatewayId=tgw["TransitGatewayId"],
            TagSpecifications=tag_spec("transit-gateway-route-table", t),
        )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        self.add(
            "AWS::EC2::TransitGatewayRouteTable", rtb, arn + f"transit-gateway-route-table/{rtb}", t
        )

        acl = ec2.create_network_acl(VpcId=net["vpc"], TagSpecifications=tag_spec("network-acl", t))
        acl_id = acl["NetworkAcl"]["NetworkAclId"]
        self.add("AWS::EC2::NetworkAcl", acl_id, arn + f"network-acl/{acl_id}", t)

        dopt = ec2.create_dhcp_options(
            DhcpConfigurations=[{"Key": "domain-name", "Values": ["seed.internal"]}],
            TagSpecifications=tag_spec("dhcp-options", t),
        )["DhcpOptions"]["DhcpOptionsId"]
        ec2.create_tags(Resources=[dopt], Tags=tag_list(t))  # moto ignores the TagSpecifications
        self.add("AWS::EC2::DHCPOptions", dopt, arn + f"dhcp-options/{dopt}", t)

        self.client("s3").create_bucket(Bucket="seed-more-flow-logs")
        fl = ec2.create_flow_logs(
            ResourceIds=[net["vpc"]], ResourceType="VPC", TrafficType="ALL",
            LogDestinationType="s3", LogDestination="arn:aws:s3:::seed-more-flow-logs",
            TagSpecifications=tag_spec("vpc-flow-log", t),
        )["FlowLogIds"][0]  # fmt: skip
        self.add("AWS::EC2::FlowLog", fl, arn + f"vpc-flow-log/{fl}", t)

        vgw = ec2.create_vpn_gateway(Type="ipsec.1", TagSpecifications=tag_spec("vpn-gateway", t))[
            "VpnGateway"
        ]["VpnGatewayId"]
        self.add("AWS::EC2::VPNGateway", vgw, arn + f"vpn-gateway/{vgw}", t)
        cgw = ec2.create_customer_gateway(
            Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65000,
            TagSpecifications=tag_spec("customer-gateway", t),
        )["CustomerGateway"]["CustomerGatewayId"]  # fmt: skip
        self.add("AWS::EC2::CustomerGateway", cgw, arn + f"customer-gateway/{cgw}", t)
        vpn = ec2.create_vpn_connection(
            Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw,
            TagSpecifications=tag_spec("vpn-connection", t),
        )["VpnConnection"]["VpnConnectionId"]  # fmt: skip
        self.add("AWS::EC2::VPNConnection", vpn, arn + f"vpn-connection/{vpn}", t)

        pl = ec2.create_managed_prefix_list(
            PrefixListName="seed-pl", MaxEntries=5, AddressFamily="IPv4",
            TagSpecifications=tag_spec("prefix-list", t),
        )["PrefixList"]  # fmt: skip
        self.add("AWS::EC2::PrefixList", pl["PrefixListId"], pl["PrefixListArn"], t, "seed-pl")

        eigw = ec2.create_egress_only_internet_gateway(
            VpcId=net["vpc"], TagSpecifications=tag_spec("egress-only-internet-gateway", t)
        )["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
        self.add(
            "AWS::EC2::EgressOnlyInternetGateway", eigw, arn + f"egress-only-internet-gateway/{eigw}", t
        )

    def seed_load_balancing(self) -> None:
        net, lb_arn = self.vpc(), self.lb()
        elb, elbv2 = self.client("elb"), self.client("elbv2")
        t = tags(1, "lb")
        elb.create_load_balancer(
            LoadBalancerName="seed-classic", AvailabilityZones=["us-east-1a"], Tags=tag_list(t),
            Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        )  # fmt: skip
        self.add(
            "AWS::ElasticLoadBalancing::LoadBalancer", "seed-classic",
            f"{P}:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/seed-classic", t, "seed-classic",
        )  # fmt: skip
        tg = elbv2.create_target_group(
            Name="seed-tg", Protocol="HTTP", Port=80, VpcId=net["vpc"], Tags=tag_list(t)
        )["TargetGroups"][0]["TargetGroupArn"]
        self.add("AWS::ElasticLoadBalancingV2::TargetGroup", "seed-tg", tg, t, "seed-tg")
        for port in (80, 8080):
            listener = elbv2.create_listener(
                LoadBalancerArn=lb_arn, Protocol="HTTP", Port=port, Tags=tag_list(t),
                DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
            )["Listeners"][0]["ListenerArn"]  # fmt: skip
            self.add("AWS::ElasticLoadBalancingV2::Listener", listener, listener, t)
            rule = elbv2.create_rule(
                ListenerArn=listener, Priority=10, Tags=tag_list(t),
                Conditions=[{"Field": "path-pattern", "Values": ["/seed/*"]}],
                Actions=[{"Type": "forward", "TargetGroupArn": tg}],
            )["Rules"][0]["RuleArn"]  # fmt: skip
            self.add("AWS::ElasticLoadBalancingV2::ListenerRule", rule, rule, t)
            # The default rule of every listener is a rule of its own.
            for r in elbv2.describe_rules(ListenerArn=listener)["Rules"]:
                if r["IsDefault"]:
                    self.add("AWS::ElasticLoadBalancingV2::ListenerRule", r["RuleArn"], r["RuleArn"])

    def seed_edge(self) -> None:
        t = tags(0, "edge")
        cf = self.client("cloudfront")
        dist = cf.create_distribution_with_tags(
            DistributionConfigWithTags={
                "DistributionConfig": {
                    "CallerReference": "seed-more",
                    "Comment": "seed",
                    "Enabled": True,
                    "Origins": {
                        "Quantity": 1,
                        "Items": [
                            {"Id": "o1", "DomainName": "example.com",
                             "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                                    "OriginProtocolPolicy": "https-only"}}
                        ],
                    },
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "o1",
                        "ViewerProtocolPolicy": "allow-all",
                        "MinTTL": 0,
                        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                        "TrustedSigners": {"Enabled": False, "Quantity": 0},
                    },
                },
                "Tags": {"Items": tag_list(t)},
            }
        )["Distribution"]
        self.add("AWS::CloudFront::Distribution", dist["Id"], dist["ARN"], t, dist["DomainName"])

        r53 = self.client("route53")
        hc = r53.create_health_check(
            CallerReference="seed-more-hc",
            HealthCheckConfig={"Type": "HTTP", "FullyQualifiedDomainName": "example.com", "Port": 80},
        )["HealthCheck"]["Id"]
        r53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=hc, AddTags=tag_list(t))
        self.add("AWS::Route53::HealthCheck", hc, f"{P}:route53:::healthcheck/{hc}", t)

        net = self.vpc()
        ep = self.client("route53resolver").create_resolver_endpoint(
            CreatorRequestId="seed-more", Name="seed-resolver", SecurityGroupIds=[net["sg"]],
            Direction="INBOUND", Tags=tag_list(t),
            IpAddresses=[{"SubnetId": s} for s in net["subnets"]],
        )["ResolverEndpoint"]  # fmt: skip
        self.add("AWS::Route53Resolver::ResolverEndpoint", ep["Id"], ep["Arn"], t, "seed-resolver")

    def seed_api_gateway(self) -> None:
        t = tags(1, "api")
        apigw = self.client("apigateway")
        api = apigw.create_rest_api(name="seed-rest", tags=t)["id"]
        base = f"{P}:apigateway:{REGION}::"
        self.add("AWS::ApiGateway::RestApi", api, f"{base}/restapis/{api}", t, "seed-rest")
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        dep = apigw.create_deployment(restApiId=api)["id"]
        apigw.create_stage(restApiId=api, stageName="prod", deploymentId=dep, tags=t)
        self.add("AWS::ApiGateway::Stage", f"{api}/prod", f"{base}/restapis/{api}/stages/prod", t, "prod")
        key = apigw.create_api_key(name="seed-key", tags=t)["id"]
        self.add("AWS::ApiGateway::ApiKey", key, f"{base}/apikeys/{key}", t, "seed-key")
        plan = apigw.create_usage_plan(name="seed-plan", tags=t)["id"]
        self.add("AWS::ApiGateway::UsagePlan", plan, f"{base}/usageplans/{plan}", t, "seed-plan")
        apigw.create_domain_name(domainName="api.seed.example.com", tags=t)
        self.add(
            "AWS::ApiGateway::DomainName", "api.seed.example.com",
            f"{base}/domainnames/api.seed.example.com", t, "api.seed.example.com",
        )  # fmt: skip

        v2 = self.client("apigatewayv2")
        api2 = v2.create_api(Name="seed-http", ProtocolType="HTTP", Tags=t)["ApiId"]
        self.add("AWS::ApiGatewayV2::Api", api2, f"{base}/apis/{api2}", t, "seed-http")
        v2.create_stage(ApiId=api2, StageName="live", Tags=t)
        self.add("AWS::ApiGatewayV2::Stage", f"{api2}/live", f"{base}/apis/{api2}/stages/live", t, "live")

    # ---- compute and containers -------------------------------------------------------

    def seed_compute(self) -> None:
        ec2, asg = self.client("ec2"), self.client("autoscaling")
        t = tags(0, "compute")
        lt = ec2.create_launch_template(
            LaunchTemplateName="seed-lt", LaunchTemplateData={"ImageId": "ami-1e749f67"},
            TagSpecifications=tag_spec("launch-template", t),
        )["LaunchTemplate"]["LaunchTemplateId"]  # fmt: skip
        self.add("AWS::EC2::LaunchTemplate", lt, f"{P}:ec2:{REGION}:{ACCOUNT}:launch-template/{lt}", t, "seed-lt")

        asg.create_launch_configuration(
            LaunchConfigurationName="seed-lc", ImageId="ami-1e749f67", InstanceType="t3.micro"
        )
        lc = asg.describe_launch_configurations()["LaunchConfigurations"][0]
        self.add("AWS::AutoScaling::LaunchConfiguration", "seed-lc", lc["LaunchConfigurationARN"], None, "seed-lc")
        net = self.vpc()
        asg.create_auto_scaling_group(
            AutoScalingGroupName="seed-asg", LaunchConfigurationName="seed-lc", MinSize=0,
            MaxSize=1, DesiredCapacity=0, VPCZoneIdentifier=net["subnets"][0],
            Tags=[{**tg, "PropagateAtLaunch": False} for tg in tag_list(t)],
        )  # fmt: skip
        group = asg.describe_auto_scaling_groups()["AutoScalingGroups"][0]
        self.add("AWS::AutoScaling::AutoScalingGroup", "seed-asg", group["AutoScalingGroupARN"], t, "seed-asg")
        # moto keys policies by name alone: one name in two groups cannot be seeded.
        asg.put_scaling_policy(
            AutoScalingGroupName="seed-asg", PolicyName="seed-scale-out",
            AdjustmentType="ChangeInCapacity", ScalingAdjustment=1,
        )  # fmt: skip
        pol = asg.describe_policies()["ScalingPolicies"][0]["PolicyARN"]
        self.add("AWS::AutoScaling::ScalingPolicy", "seed-asg/seed-scale-out", pol, None, "seed-scale-out")

    def seed_lambda(self) -> None:
        lam = self.client("lambda")
        role = self.role("lambda.amazonaws.com")
        for _ in (1, 2):
            lam.publish_layer_version(LayerName="seed-layer", Content={"ZipFile": lambda_zip()})
        layer = f"{P}:lambda:{REGION}:{ACCOUNT}:layer:seed-layer"
        self.add("AWS::Lambda::Layer", "seed-layer", layer, None, "seed-layer")
        for v in (1, 2):
            self.add("AWS::Lambda::LayerVersion", f"{layer}:{v}", f"{layer}:{v}", None, "seed-layer")
        fn = lam.create_function(
            FunctionName="seed-more-fn", Runtime="python3.12", Role=role, Handler="handler.handler",
            Code={"ZipFile": lambda_zip()}, Publish=True,
        )["FunctionArn"]  # fmt: skip
        self.add("AWS::Lambda::Function", "seed-more-fn", fn, None, "seed-more-fn")
        alias = lam.create_alias(FunctionName="seed-more-fn", Name="live", FunctionVersion="1")
        self.add("AWS::Lambda::Alias", alias["AliasArn"], alias["AliasArn"], None, "live")
        queue = self.client("sqs").create_queue(QueueName="seed-more-esm")["QueueUrl"]
        qarn = self.client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        self.add("AWS::SQS::Queue", "seed-more-esm", qarn["Attributes"]["QueueArn"], None, "seed-more-esm")
        esm_tags = tags(0, "esm")
        esm = lam.create_event_source_mapping(
            EventSourceArn=qarn["Attributes"]["QueueArn"], FunctionName="seed-more-fn",
            Tags=esm_tags,
        )  # fmt: skip
        self.add(
            "AWS::Lambda::EventSourceMapping", esm["UUID"],
            esm.get("EventSourceMappingArn")
            or f"{P}:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{esm['UUID']}",
            esm_tags,
        )  # fmt: skip

    def seed_ecs(self) -> None:
        ecs = self.client("ecs")
        t = tags(1, "ecs")
        for c in ("seed-ecs-a", "seed-ecs-b"):
            arn = ecs.create_cluster(clusterName=c, tags=lower_tag_list(t))["cluster"]["clusterArn"]
            self.add("AWS::ECS::Cluster", c, arn, t, c)
        td = ecs.register_task_definition(
            family="seed-task", tags=lower_tag_list(t),
            containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}],
        )["taskDefinition"]  # fmt: skip
        self.add("AWS::ECS::TaskDefinition", "seed-task:1", td["taskDefinitionArn"], t, "seed-task")
        for c, s in (("seed-ecs-a", "web"), ("seed-ecs-a", "worker"), ("seed-ecs-b", "web")):
            svc = ecs.create_service(
                cluster=c, serviceName=s, taskDefinition="seed-task", desiredCount=0,
                tags=lower_tag_list(t),
            )["service"]  # fmt: skip
            self.add("AWS::ECS::Service", f"{c}/{s}", svc["serviceArn"], t, s)

    def seed_eks(self) -> None:
        eks, net = self.client("eks"), self.vpc()
        role = self.role("eks.amazonaws.com")
        t = tags(0, "eks")
        cluster = eks.create_cluster(
            name="seed-eks", roleArn=role, resourcesVpcConfig={"subnetIds": net["subnets"]}, tags=t
        )["cluster"]
        self.add("AWS::EKS::Cluster", "seed-eks", cluster["arn"], t, "seed-eks")
        for ng in ("ng-a", "ng-b"):
            arn = eks.create_nodegroup(
                clusterName="seed-eks", nodegroupName=ng, subnets=net["subnets"], nodeRole=role, tags=t
            )["nodegroup"]["nodegroupArn"]
            self.add("AWS::EKS::Nodegroup", f"seed-eks/{ng}", arn, t, ng)
        fp = eks.create_fargate_profile(
            clusterName="seed-eks", fargateProfileName="fp", podExecutionRoleArn=role,
            selectors=[{"namespace": "default"}], tags=t,
        )["fargateProfile"]["fargateProfileArn"]  # fmt: skip
        self.add("AWS::EKS::FargateProfile", "seed-eks/fp", fp, t, "fp")

    def seed_ecr(self) -> None:
        t = tags(1, "ecr")
        repo = self.client("ecr").create_repository(repositoryName="seed/app", tags=tag_list(t))
        self.add("AWS::ECR::Repository", "seed/app", repo["repository"]["repositoryArn"], t, "seed/app")

    def seed_beanstalk(self) -> None:
        eb = self.client("elasticbeanstalk")
        t = tags(0, "eb")
        app = eb.create_application(ApplicationName="seed-eb", Tags=tag_list(t))["Application"]
        # moto answers ResourceNotFoundException to ListTagsForResource on an application.
        self.add("AWS::ElasticBeanstalk::Application", "seed-eb", app["ApplicationArn"], {}, "seed-eb")
        env = eb.create_environment(
            ApplicationName="seed-eb", EnvironmentName="seed-eb-env", Tags=tag_list(t),
            SolutionStackName="64bit Amazon Linux 2023 v4.0.0 running Python 3.11",
        )  # fmt: skip
        self.add("AWS::ElasticBeanstalk::Environment", "seed-eb-env", env["EnvironmentArn"], t, "seed-eb-env")

    def seed_sagemaker(self) -> None:
        t = tags(1, "sm")
        nb = self.client("sagemaker").create_notebook_instance(
            NotebookInstanceName="seed-nb", InstanceType="ml.t3.medium",
            RoleArn=self.role("sagemaker.amazonaws.com"), Tags=tag_list(t),
        )["NotebookInstanceArn"]  # fmt: skip
        self.add("AWS::SageMaker::NotebookInstance", "seed-nb", nb, t, "seed-nb")

    # ---- data ----------------------------------------------------------------------------

    def seed_efs_backup(self) -> None:
        efs = self.client("efs")
        t = tags(0, "efs")
        fs = efs.create_file_system(CreationToken="seed-fs", Tags=tag_list({**t, "Name": "seed-fs"}))
        self.add("AWS::EFS::FileSystem", fs["FileSystemId"], fs["FileSystemArn"], {**t, "Name": "seed-fs"}, "seed-fs")
        ap = efs.create_access_point(FileSystemId=fs["FileSystemId"], Tags=tag_list({**t, "Name": "seed-ap"}))
        self.add("AWS::EFS::AccessPoint", ap["AccessPointId"], ap["AccessPointArn"], {**t, "Name": "seed-ap"}, "seed-ap")

        backup = self.client("backup")
        vault = backup.create_backup_vault(BackupVaultName="seed-vault", BackupVaultTags=t)
        self.add("AWS::Backup::BackupVault", "seed-vault", vault["BackupVaultArn"], t, "seed-vault")
        plan = backup.create_backup_plan(
            BackupPlan={"BackupPlanName": "seed-plan",
                        "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "seed-vault"}]},
            BackupPlanTags=t,
        )  # fmt: skip
        self.add("AWS::Backup::BackupPlan", plan["BackupPlanId"], plan["BackupPlanArn"], t, "seed-plan")

    def seed_rds(self) -> None:
        rds, net = self.client("rds"), self.vpc()
        t = tags(1, "rds")
        sg = rds.create_db_subnet_group(
            DBSubnetGroupName="seed-dbsg", DBSubnetGroupDescription="x", SubnetIds=net["subnets"],
            Tags=tag_list(t),
        )["DBSubnetGroup"]  # fmt: skip
        self.add("AWS::RDS::DBSubnetGroup", "seed-dbsg", sg["DBSubnetGroupArn"], t, "seed-dbsg")
        pg = rds.create_db_parameter_group(
            DBParameterGroupName="seed-pg", DBParameterGroupFamily="postgres16", Description="x",
            Tags=tag_list(t),
        )["DBParameterGroup"]  # fmt: skip
        self.add("AWS::RDS::DBParameterGroup", "seed-pg", pg["DBParameterGroupArn"], t, "seed-pg")
        cpg = rds.create_db_cluster_parameter_group(
            DBClusterParameterGroupName="seed-cpg", DBParameterGroupFamily="aurora-postgresql16",
            Description="x", Tags=tag_list(t),
        )["DBClusterParameterGroup"]  # fmt: skip
        self.add(
            "AWS::RDS::DBClusterParameterGroup", "seed-cpg", cpg["DBClusterParameterGroupArn"], t, "seed-cpg"
        )
        cluster = rds.create_db_cluster(
            DBClusterIdentifier="seed-aurora", Engine="aurora-postgresql", MasterUsername="admin",
            MasterUserPassword="password-1234", Tags=tag_list(t),
        )["DBCluster"]  # fmt: skip
        self.add("AWS::RDS::DBCluster", "seed-aurora", cluster["DBClusterArn"], t, "seed-aurora")
        cs = rds.create_db_cluster_snapshot(
            DBClusterIdentifier="seed-aurora", DBClusterSnapshotIdentifier="seed-aurora-snap",
            Tags=tag_list(t),
        )["DBClusterSnapshot"]  # fmt: skip
        self.add(
            "AWS::RDS::DBClusterSnapshot", "seed-aurora-snap", cs["DBClusterSnapshotArn"], t, "seed-aurora-snap"
        )
        db = rds.create_db_instance(
            DBInstanceIdentifier="seed-more-db", Engine="postgres", DBInstanceClass="db.t3.micro",
            AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="password-1234",
        )["DBInstance"]  # fmt: skip
        self.add("AWS::RDS::DBInstance", "seed-more-db", db["DBInstanceArn"], None, "seed-more-db")
        snap = rds.create_db_snapshot(
            DBInstanceIdentifier="seed-more-db", DBSnapshotIdentifier="seed-db-snap", Tags=tag_list(t)
        )["DBSnapshot"]
        self.add("AWS::RDS::DBSnapshot", "seed-db-snap", snap["DBSnapshotArn"], t, "seed-db-snap")
        topic = self.client("sns").create_topic(Name="seed-rds-events")["TopicArn"]
        self.add("AWS::SNS::Topic", "seed-rds-events", topic, None, "seed-rds-events")
        # Automated snapshots and default parameter groups come with instances and clusters.
        for s in rds.describe_db_snapshots(SnapshotType="automated")["DBSnapshots"]:
            self.add("AWS::RDS::DBSnapshot", s["DBSnapshotIdentifier"], s["DBSnapshotArn"])
        for s in rds.describe_db_cluster_snapshots(SnapshotType="automated")["DBClusterSnapshots"]:
            self.add("AWS::RDS::DBClusterSnapshot", s["DBClusterSnapshotIdentifier"], s["DBClusterSnapshotArn"])
        for g in rds.describe_db_parameter_groups()["DBParameterGroups"]:
            if g["DBParameterGroupName"].startswith("default."):
                self.add("AWS::RDS::DBParameterGroup", g["DBParameterGroupName"], g["DBParameterGroupArn"])
        sub = rds.create_event_subscription(
            SubscriptionName="seed-events", SnsTopicArn=topic, Tags=tag_list(t)
        )["EventSubscription"]
        self.add("AWS::RDS::EventSubscription", "seed-events", sub["EventSubscriptionArn"], t, "seed-events")

    def seed_elasticache(self) -> None:
        ec, net = self.client("elasticache"), self.vpc()
        t = tags(0, "cache")
        sg = ec.create_cache_subnet_group(
            CacheSubnetGroupName="seed-csg", CacheSubnetGroupDescription="x",
            SubnetIds=net["subnets"], Tags=tag_list(t),
        )["CacheSubnetGroup"]  # fmt: skip
        self.add("AWS::ElastiCache::SubnetGroup", "seed-csg", sg["ARN"], t, "seed-csg")
        cc = ec.create_cache_cluster(
            CacheClusterId="seed-redis", Engine="redis", CacheNodeType="cache.t3.micro",
            NumCacheNodes=1, Tags=tag_list(t),
        )["CacheCluster"]  # fmt: skip
        self.add("AWS::ElastiCache::CacheCluster", "seed-redis", cc["ARN"], t, "seed-redis")
        rg = ec.create_replication_group(
            ReplicationGroupId="seed-rg", ReplicationGroupDescription="x", Engine="redis",
            CacheNodeType="cache.t3.micro", NumCacheClusters=1, Tags=tag_list(t),
        )["ReplicationGroup"]  # fmt: skip
        self.add("AWS::ElastiCache::ReplicationGroup", "seed-rg", rg["ARN"], t, "seed-rg")

    def seed_redshift(self) -> None:
        rs, net = self.client("redshift"), self.vpc()
        t = tags(1, "redshift")
        base = f"{P}:redshift:{REGION}:{ACCOUNT}:"
        rs.create_cluster_subnet_group(
            ClusterSubnetGroupName="seed-rsg", Description="x", SubnetIds=net["subnets"], Tags=tag_list(t)
        )
        self.add("AWS::Redshift::ClusterSubnetGroup", "seed-rsg", base + "subnetgroup:seed-rsg", t, "seed-rsg")
        rs.create_cluster_parameter_group(
            ParameterGroupName="seed-rpg", ParameterGroupFamily="redshift-1.0", Description="x",
            Tags=tag_list(t),
        )  # fmt: skip
        self.add("AWS::Redshift::ClusterParameterGroup", "seed-rpg", base + "parametergroup:seed-rpg", t, "seed-rpg")
        rs.create_cluster(
            ClusterIdentifier="seed-rs", NodeType="dc2.large", MasterUsername="admin",
            MasterUserPassword="Password1234", ClusterType="single-node", Tags=tag_list(t),
        )  # fmt: skip
        self.add("AWS::Redshift::Cluster", "seed-rs", base + "cluster:seed-rs", t, "seed-rs")
        rs.create_cluster_snapshot(SnapshotIdentifier="seed-rs-snap", ClusterIdentifier="seed-rs", Tags=tag_list(t))
        self.add("AWS::Redshift::ClusterSnapshot", "seed-rs-snap", base + "snapshot:seed-rs/seed-rs-snap", t, "seed-rs-snap")

    def seed_search_and_cache(self) -> None:
        t = tags(0, "search")
        os_ = self.client("opensearch")
        for name in ("seed-search-a", "seed-search-b"):
            d = os_.create_domain(DomainName=name, TagList=tag_list(t))["DomainStatus"]
            self.add("AWS::OpenSearchService::Domain", name, d["ARN"], t, name)
        dax = self.client("dax")
        c = dax.create_cluster(
            ClusterName="seed-dax", NodeType="dax.t3.small", ReplicationFactor=1,
            IamRoleArn=self.role("dax.amazonaws.com"), Tags=tag_list(t),
        )["Cluster"]  # fmt: skip
        self.add("AWS::DAX::Cluster", "seed-dax", c["ClusterArn"], t, "seed-dax")

    def seed_analytics(self) -> None:
        t = tags(1, "analytics")
        glue = self.client("glue")
        g = f"{P}:glue:{REGION}:{ACCOUNT}:"
        for db in ("seed_db_a", "seed_db_b"):
            glue.create_database(DatabaseInput={"Name": db}, Tags=t)
            self.add("AWS::Glue::Database", db, g + f"database/{db}", t, db)
        for db, table in (("seed_db_a", "events"), ("seed_db_a", "users"), ("seed_db_b", "events")):
            glue.create_table(DatabaseName=db, TableInput={"Name": table})
            self.add("AWS::Glue::Table", f"{db}/{table}", g + f"table/{db}/{table}", None, table)
        role = self.role("glue.amazonaws.com")
        glue.create_crawler(
            Name="seed-crawler", Role=role, DatabaseName="seed_db_a", Tags=t,
            Targets={"S3Targets": [{"Path": "s3://seed-more/data"}]},
        )  # fmt: skip
        self.add("AWS::Glue::Crawler", "seed-crawler", g + "crawler/seed-crawler", t, "seed-crawler")
        glue.create_job(Name="seed-job", Role=role, Command={"Name": "glueetl"}, Tags=t)
        self.add("AWS::Glue::Job", "seed-job", g + "job/seed-job", t, "seed-job")

        self.client("athena").create_work_group(Name="seed-wg", Tags=tag_list(t))
        self.add("AWS::Athena::WorkGroup", "seed-wg", f"{P}:athena:{REGION}:{ACCOUNT}:workgroup/seed-wg", t, "seed-wg")

        kin = self.client("kinesis")
        kin.create_stream(StreamName="seed-stream", ShardCount=1)
        kin.add_tags_to_stream(StreamName="seed-stream", Tags=t)
        arn = kin.describe_stream_summary(StreamName="seed-stream")["StreamDescriptionSummary"]["StreamARN"]
        self.add("AWS::Kinesis::Stream", "seed-stream", arn, t, "seed-stream")
        fh = self.client("firehose").create_delivery_stream(
            DeliveryStreamName="seed-firehose", Tags=tag_list(t),
            ExtendedS3DestinationConfiguration={
                "RoleARN": self.role("firehose.amazonaws.com"), "BucketARN": "arn:aws:s3:::seed-more-fh"
            },
        )["DeliveryStreamARN"]  # fmt: skip
        self.add("AWS::KinesisFirehose::DeliveryStream", "seed-firehose", fh, t, "seed-firehose")

        emr = self.client("emr")
        cluster = emr.run_job_flow(
            Name="seed-emr", ReleaseLabel="emr-6.15.0", Tags=tag_list(t),
            Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1,
                       "KeepJobFlowAliveWhenNoSteps": True},
            JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole",
        )  # fmt: skip
        self.add("AWS::EMR::Cluster", cluster["JobFlowId"], cluster["ClusterArn"], t, "seed-emr")

        net = self.vpc()
        msk = self.client("kafka").create_cluster_v2(
            ClusterName="seed-msk", Tags=t,
            Provisioned={"KafkaVersion": "3.6.0", "NumberOfBrokerNodes": 2,
                         "BrokerNodeGroupInfo": {"InstanceType": "kafka.t3.small",
                                                 "ClientSubnets": net["subnets"]}},
        )  # fmt: skip
        self.add("AWS::MSK::Cluster", "seed-msk", msk["ClusterArn"], t, "seed-msk")

    # ---- messaging -------------------------------------------------------------------------

    def seed_messaging(self) -> None:
        t = tags(0, "msg")
        sns, sqs = self.client("sns"), self.client("sqs")
        for n in ("seed-sub-a", "seed-sub-b"):
            topic = sns.create_topic(Name=n)["TopicArn"]
            self.add("AWS::SNS::Topic", n, topic, None, n)
            for q in ("q1", "q2"):
                url = sqs.create_queue(QueueName=f"{n}-{q}")["QueueUrl"]
                qarn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                self.add("AWS::SQS::Queue", f"{n}-{q}", qarn, None, f"{n}-{q}")
                sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
                self.add("AWS::SNS::Subscription", sub, sub)

        ev = self.client("events")
        bus = ev.create_event_bus(Name="seed-bus", Tags=tag_list(t))["EventBusArn"]
        self.add("AWS::Events::EventBus", "seed-bus", bus, t, "seed-bus")
        for b in ("default", "seed-bus"):
            # Schedules run on the default bus only; other buses match event patterns.
            how = (
                {"ScheduleExpression": "rate(1 day)"}
                if b == "default"
                else {"EventPattern": json.dumps({"source": ["seed.app"]})}
            )
            # One rule name on two buses: two rules (a name is unique per bus).
            r = ev.put_rule(Name="seed-rule", EventBusName=b, Tags=tag_list(t), **how)["RuleArn"]
            self.add("AWS::Events::Rule", f"{b}/seed-rule", r, t, "seed-rule")
        ev.create_archive(ArchiveName="seed-archive", EventSourceArn=bus)
        # An archive replays through a managed rule on its bus.
        managed = "Events-Archive-seed-archive"
        self.add("AWS::Events::Rule", f"seed-bus/{managed}", f"{P}:events:{REGION}:{ACCOUNT}:rule/seed-bus/{managed}", None, managed)
        self.add("AWS::Events::Archive", "seed-archive", f"{P}:events:{REGION}:{ACCOUNT}:archive/seed-archive", None, "seed-archive")
        conn = ev.create_connection(
            Name="seed-conn", AuthorizationType="API_KEY",
            AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v"}},
        )["ConnectionArn"]  # fmt: skip
        self.add("AWS::Events::Connection", "seed-conn", conn, None, "seed-conn")
        # A connection keeps its credentials in a secret of its own (events!connection/...).
        for secret in self.client("secretsmanager").list_secrets()["SecretList"]:
            if secret["Name"].startswith("events!connection/seed-conn/"):
                owned = {x["Key"]: x["Value"] for x in secret.get("Tags", [])}  # owningService
                self.add("AWS::SecretsManager::Secret", secret["Name"], secret["ARN"], owned, secret["Name"])
        dest = ev.create_api_destination(
            Name="seed-dest", ConnectionArn=conn, InvocationEndpoint="https://example.com/hook",
            HttpMethod="POST",
        )["ApiDestinationArn"]  # fmt: skip
        self.add("AWS::Events::ApiDestination", "seed-dest", dest, None, "seed-dest")

        sfn = self.client("stepfunctions")
        sm = sfn.create_state_machine(
            name="seed-sm", roleArn=self.role("states.amazonaws.com"), tags=lower_tag_list(t),
            definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
        )["stateMachineArn"]  # fmt: skip
        self.add("AWS::StepFunctions::StateMachine", "seed-sm", sm, t, "seed-sm")
        act = sfn.create_activity(name="seed-activity", tags=lower_tag_list(t))["activityArn"]
        self.add("AWS::StepFunctions::Activity", "seed-activity", act, t, "seed-activity")

        mq = self.client("mq")
        broker = mq.create_broker(
            BrokerName="seed-mq", EngineType="ACTIVEMQ", EngineVersion="5.17.6",
            HostInstanceType="mq.t3.micro", DeploymentMode="SINGLE_INSTANCE",
            PubliclyAccessible=False, AutoMinorVersionUpgrade=True, Tags=t,
            Users=[{"Username": "admin", "Password": "password-1234"}],
        )  # fmt: skip
        self.add("AWS::AmazonMQ::Broker", broker["BrokerId"], broker["BrokerArn"], t, "seed-mq")

        ses = self.client("sesv2")
        ses.create_email_identity(EmailIdentity="seed.example.com")
        identity = f"{P}:ses:{REGION}:{ACCOUNT}:identity/seed.example.com"
        ses.tag_resource(ResourceArn=identity, Tags=tag_list(t))
        self.add("AWS::SES::EmailIdentity", "seed.example.com",
                 f"{P}:ses:{REGION}:{ACCOUNT}:identity/seed.example.com", t, "seed.example.com")
        ses.create_configuration_set(ConfigurationSetName="seed-cs", Tags=tag_list(t))
        self.add("AWS::SES::ConfigurationSet", "seed-cs",
                 f"{P}:ses:{REGION}:{ACCOUNT}:configuration-set/seed-cs", t, "seed-cs")

    # ---- security ----------------------------------------------------------------------

    def seed_security(self) -> None:
        t = tags(1, "sec")
        acm = self.client("acm")
        cert = acm.request_certificate(DomainName="seed.example.com", Tags=tag_list(t))["CertificateArn"]
        self.add("AWS::CertificateManager::Certificate", cert.rsplit("/", 1)[-1], cert, t, "seed.example.com")

        kms = self.client("kms")
        key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
        self.add("AWS::KMS::Key", key["KeyId"], key["Arn"])
        kms.create_alias(AliasName="alias/seed-more", TargetKeyId=key["KeyId"])
        self.add("AWS::KMS::Alias", "alias/seed-more", f"{P}:kms:{REGION}:{ACCOUNT}:alias/seed-more", None, "alias/seed-more")

        sm = self.client("secretsmanager")
        secret = sm.create_secret(Name="seed/db-password", SecretString="never-collected", Tags=tag_list(t))
        self.add("AWS::SecretsManager::Secret", "seed/db-password", secret["ARN"], t, "seed/db-password")
        ssm = self.client("ssm")
        ssm.put_parameter(Name="/seed/flag", Value="never-collected", Type="SecureString", Tags=tag_list(t))
        self.add("AWS::SSM::Parameter", "/seed/flag", f"{P}:ssm:{REGION}:{ACCOUNT}:parameter/seed/flag", t, "/seed/flag")

        iam = self.client("iam")
        oidc = iam.create_open_id_connect_provider(
            Url="https://oidc.seed.example.com", ClientIDList=["sts.amazonaws.com"],
            ThumbprintList=["a" * 40], Tags=tag_list(t),
        )["OpenIDConnectProviderArn"]  # fmt: skip
        self.add("AWS::IAM::OIDCProvider", "oidc.seed.example.com", oidc, t)

        idp = self.client("cognito-idp")
        pool = idp.create_user_pool(PoolName="seed-pool", UserPoolTags=t)["UserPool"]
        self.add("AWS::Cognito::UserPool", pool["Id"], pool["Arn"], t, "seed-pool")
        ident = self.client("cognito-identity").create_identity_pool(
            IdentityPoolName="seed_identity", AllowUnauthenticatedIdentities=False, IdentityPoolTags=t
        )["IdentityPoolId"]
        self.add(
            "AWS::Cognito::IdentityPool", ident,
            f"{P}:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{ident}", t, "seed_identity",
        )  # fmt: skip

        waf = self.client("wafv2")
        vis = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "m"}
        acl = waf.create_web_acl(
            Name="seed-acl", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=vis,
            Tags=tag_list(t),
        )["Summary"]  # fmt: skip
        self.add("AWS::WAFv2::WebACL", acl["Id"], acl["ARN"], t, "seed-acl")
        ips = waf.create_ip_set(
            Name="seed-ips", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=["203.0.113.0/24"],
            Tags=tag_list(t),
        )["Summary"]  # fmt: skip
        self.add("AWS::WAFv2::IPSet", ips["Id"], ips["ARN"], t, "seed-ips")
        rg = waf.create_rule_group(
            Name="seed-rg", Scope="REGIONAL", Capacity=10, VisibilityConfig=vis, Tags=tag_list(t)
        )["Summary"]
        self.add("AWS::WAFv2::RuleGroup", rg["Id"], rg["ARN"], t, "seed-rg")
        rx = waf.create_regex_pattern_set(
            Name="seed-rx", Scope="REGIONAL", RegularExpressionList=[{"RegexString": "^seed"}],
            Tags=tag_list(t),
        )["Summary"]  # fmt: skip
        self.add("AWS::WAFv2::RegexPatternSet", rx["Id"], rx["ARN"], t, "seed-rx")

        det = self.client("guardduty").create_detector(Enable=True, Tags=t)["DetectorId"]
        self.add("AWS::GuardDuty::Detector", det, f"{P}:guardduty:{REGION}:{ACCOUNT}:detector/{det}", t)

    # ---- management ----------------------------------------------------------------------

    def seed_management(self) -> None:
        t = tags(0, "mgmt")
        s3 = self.client("s3")
        s3.create_bucket(Bucket="seed-more-trail")
        self.add("AWS::S3::Bucket", "seed-more-trail", f"{P}:s3:::seed-more-trail", None, "seed-more-trail")
        trail = self.client("cloudtrail").create_trail(
            Name="seed-trail", S3BucketName="seed-more-trail", TagsList=tag_list(t)
        )["TrailARN"]
        self.add("AWS::CloudTrail::Trail", "seed-trail", trail, t, "seed-trail")

        cw = self.client("cloudwatch")
        cw.put_metric_alarm(
            AlarmName="seed-alarm", MetricName="CPUUtilization", Namespace="AWS/EC2",
            Statistic="Average", Period=60, EvaluationPeriods=1, Threshold=90,
            ComparisonOperator="GreaterThanThreshold", Tags=tag_list(t),
        )  # fmt: skip
        a = f"{P}:cloudwatch:{REGION}:{ACCOUNT}:alarm:"
        self.add("AWS::CloudWatch::Alarm", "seed-alarm", a + "seed-alarm", t, "seed-alarm")
        cw.put_dashboard(DashboardName="seed-dash", DashboardBody=json.dumps({"widgets": []}))
        self.add("AWS::CloudWatch::Dashboard", "seed-dash",
                 f"{P}:cloudwatch::{ACCOUNT}:dashboard/seed-dash", None, "seed-dash")

        logs = self.client("logs")
        logs.create_log_group(logGroupName="/seed/app", tags=t)
        self.add("AWS::Logs::LogGroup", "/seed/app", f"{P}:logs:{REGION}:{ACCOUNT}:log-group:/seed/app", t, "/seed/app")

        ssm = self.client("ssm")
        ssm.create_document(
            Name="seed-doc", DocumentType="Command", Tags=tag_list(t),
            Content=json.dumps({"schemaVersion": "2.2", "description": "x", "mainSteps": [
                {"action": "aws:runShellScript", "name": "run", "inputs": {"runCommand": ["true"]}}]}),
        )  # fmt: skip
        s = f"{P}:ssm:{REGION}:{ACCOUNT}:"
        self.add("AWS::SSM::Document", "seed-doc", s + "document/seed-doc", t, "seed-doc")
        mw = ssm.create_maintenance_window(
            Name="seed-mw", Schedule="cron(0 2 ? * SUN *)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=False, Tags=tag_list(t),
        )["WindowId"]  # fmt: skip
        self.add("AWS::SSM::MaintenanceWindow", mw, s + f"maintenancewindow/{mw}", t, "seed-mw")

        cb = self.client("codebuild").create_project(
            name="seed-build", source={"type": "S3", "location": "seed-more-trail/src.zip"},
            artifacts={"type": "NO_ARTIFACTS"}, serviceRole=self.role("codebuild.amazonaws.com"),
            environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                         "computeType": "BUILD_GENERAL1_SMALL"},
            tags=lower_tag_list(t),
        )["project"]  # fmt: skip
        self.add("AWS::CodeBuild::Project", "seed-build", cb["arn"], t, "seed-build")
        self.client("codepipeline").create_pipeline(
            pipeline={
                "name": "seed-pipeline", "roleArn": self.role("codepipeline.amazonaws.com"),
                "artifactStore": {"type": "S3", "location": "seed-more-trail"},
                "stages": [
                    {"name": "Source", "actions": [{"name": "S", "actionTypeId": {
                        "category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
                        "configuration": {"S3Bucket": "seed-more-trail", "S3ObjectKey": "k"},
                        "outputArtifacts": [{"name": "src"}]}]},
                    {"name": "Build", "actions": [{"name": "B", "actionTypeId": {
                        "category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
                        "configuration": {"ProjectName": "seed-build"},
                        "inputArtifacts": [{"name": "src"}]}]},
                ],
            },
            tags=lower_tag_list(t),
        )  # fmt: skip
        self.add("AWS::CodePipeline::Pipeline", "seed-pipeline",
                 f"{P}:codepipeline:{REGION}:{ACCOUNT}:seed-pipeline", t, "seed-pipeline")

        sd = self.client("servicediscovery")
        vpc = self.vpc()["vpc"]
        for kind, create, extra in (
            ("HttpNamespace", sd.create_http_namespace, {}),
            ("PrivateDnsNamespace", sd.create_private_dns_namespace, {"Vpc": vpc}),
            ("PublicDnsNamespace", sd.create_public_dns_namespace, {}),
        ):
            name = f"seed-{kind.lower()}.example.com"
            ns = create(Name=name, Tags=tag_list(t), **extra)
            op = sd.get_operation(OperationId=ns["OperationId"])["Operation"]
            ns_id = op["Targets"]["NAMESPACE"]
            arn = sd.get_namespace(Id=ns_id)["Namespace"]["Arn"]
            self.add(f"AWS::ServiceDiscovery::{kind}", ns_id, arn, t, name)

    def seed_organizations(self) -> None:
        t = tags(1, "org")
        org = self.client("organizations")
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]
        self.add("AWS::Organizations::Root", root["Id"], root["Arn"], None, root["Name"])
        for a in org.list_accounts()["Accounts"]:  # the management account itself
            self.add("AWS::Organizations::Account", a["Id"], a["Arn"], None, a["Name"])
        status = org.create_account(Email="member@example.com", AccountName="member", Tags=tag_list(t))
        member = org.describe_create_account_status(
            CreateAccountRequestId=status["CreateAccountStatus"]["Id"]
        )["CreateAccountStatus"]["AccountId"]
        acct = org.describe_account(AccountId=member)["Account"]
        self.add("AWS::Organizations::Account", member, acct["Arn"], t, "member")
        parent = root["Id"]
        for name in ("workloads", "prod", "eu"):  # nested three deep
            ou = org.create_organizational_unit(ParentId=parent, Name=name, Tags=tag_list(t))
            ou = ou["OrganizationalUnit"]
            self.add("AWS::Organizations::OrganizationalUnit", ou["Id"], ou["Arn"], t, name)
            parent = ou["Id"]
        sandbox = org.create_organizational_unit(ParentId=root["Id"], Name="sandbox")["OrganizationalUnit"]
        self.add("AWS::Organizations::OrganizationalUnit", sandbox["Id"], sandbox["Arn"], None, "sandbox")
        policy = org.create_policy(
            Name="seed-scp", Description="x", Type="SERVICE_CONTROL_POLICY", Tags=tag_list(t),
            Content=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}),
        )["Policy"]["PolicySummary"]  # fmt: skip
        self.add("AWS::Organizations::Policy", policy["Id"], policy["Arn"], t, "seed-scp")


# Every helper, in the order they run; a helper that raises fails the types it was seeding.
from tests.seed_ops import OPS_SEEDERS  # noqa: E402  (it needs Seeder, defined above)

SEEDERS: tuple[Callable[[Seeder], None], ...] = (
    Seeder.seed_ec2_network,
    Seeder.seed_load_balancing,
    Seeder.seed_edge,
    Seeder.seed_api_gateway,
    Seeder.seed_compute,
    Seeder.seed_lambda,
    Seeder.seed_ecs,
    Seeder.seed_eks,
    Seeder.seed_ecr,
    Seeder.seed_beanstalk,
    Seeder.seed_sagemaker,
    Seeder.seed_efs_backup,
    Seeder.seed_rds,
    Seeder.seed_elasticache,
    Seeder.seed_redshift,
    Seeder.seed_search_and_cache,
    Seeder.seed_analytics,
    Seeder.seed_messaging,
    Seeder.seed_security,
    Seeder.seed_management,
    Seeder.seed_organizations,
    seed_media,
    seed_workspaces,
    *OPS_SEEDERS,
    *seed_data.SEEDERS,
)

from tests.seed_net import SEEDERS as NET_SEEDERS  # noqa: E402 (it imports this module)

SEEDERS += NET_SEEDERS
from tests.seed_acct import SEEDERS as ACCT_SEEDERS  # noqa: E402 (it imports this module)

SEEDERS += ACCT_SEEDERS

from tests.seed_cfn import SEEDERS as CFN_SEEDERS  # noqa: E402 (it imports this module)

SEEDERS += CFN_SEEDERS
