"""Seeds moto with resources that reference each other, and writes down the edges they make.

The expected edges come from what the seed created (the ids and ARNs AWS answered), written
with AWS's documented ARN formats, never from the registry's declarations.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
Edges = dict[str, set[tuple[str, str]]]


def ec2_arn(kind: str, ident: str) -> str:
    return f"arn:aws:ec2:{REGION}:{ACCOUNT}:{kind}/{ident}"


@dataclass
class Seeded:
    edges: Edges = field(default_factory=dict)  # source ARN -> {(kind, target ARN)}
    ids: dict[str, str] = field(default_factory=dict)  # names the tests use later

    def add(self, source: str, kind: str, *targets: str) -> None:
        self.edges.setdefault(source, set()).update((kind, t) for t in targets)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buf.getvalue()


def _client(url: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=url, region_name=REGION)


def seed(url: str) -> Seeded:
    out = Seeded()
    ec2, iam = _client(url, "ec2"), _client(url, "iam")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    vpc2 = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)[
            "Subnet"
        ]["SubnetId"]
        for i, zone in ((1, "us-east-1a"), (2, "us-east-1b"))
    ]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
             "UserIdGroupPairs": [{"GroupId": web}]}
        ],
    )  # fmt: skip
    A = {  # the ARNs, by what they are
        "vpc": ec2_arn("vpc", vpc), "vpc2": ec2_arn("vpc", vpc2),
        "s1": ec2_arn("subnet", subnets[0]), "s2": ec2_arn("subnet", subnets[1]),
        "web": ec2_arn("security-group", web), "db": ec2_arn("security-group", db),
    }  # fmt: skip
    for subnet in ("s1", "s2"):
        out.add(A[subnet], "in_vpc", A["vpc"])
    out.add(A["web"], "in_vpc", A["vpc"])
    out.add(A["db"], "in_vpc", A["vpc"])
    out.add(A["db"], "allows_from_security_group", A["web"])
    out.ids.update(vpc=vpc, web=web, db=db, subnet=subnets[0], vpc_arn=A["vpc"])
    out.ids.update(web_arn=A["web"], db_arn=A["db"])

    # IAM: a role, an instance profile holding it.
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    profile = iam.create_instance_profile(InstanceProfileName="app-profile")
    profile_arn = profile["InstanceProfile"]["Arn"]
    iam.add_role_to_instance_profile(InstanceProfileName="app-profile", RoleName="app")
    out.add(profile_arn, "contains_role", role)
    policy_doc = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:List*",
                                                  "Resource": "*"}]}
    )  # fmt: skip
    policy = iam.create_policy(PolicyName="read", PolicyDocument=policy_doc)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=policy)
    # A path: GAAD names a user's groups without it, so the edge must come from the group's ARN.
    group = iam.create_group(GroupName="devs", Path="/teams/")["Group"]["Arn"]
    iam.attach_group_policy(GroupName="devs", PolicyArn=policy)
    user = iam.create_user(UserName="alice")["User"]["Arn"]
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=policy)
    out.add(role, "has_policy", policy)
    out.add(group, "has_policy", policy)
    out.add(user, "has_policy", policy)
    out.add(user, "member_of", group)

    # EC2: an instance with everything an instance references.
    ec2.create_key_pair(KeyName="ops")
    ami = "ami-1e749f67"
    inst = ec2.run_instances(
        ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0],
        SecurityGroupIds=[web], KeyName="ops", IamInstanceProfile={"Arn": profile_arn},
    )["Instances"][0]  # fmt: skip
    iid = inst["InstanceId"]
    volume = ec2.create_volume(Size=1, AvailabilityZone="us-east-1a")["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=iid, Device="/dev/sdf")
    root = [b["Ebs"]["VolumeId"] for b in inst["BlockDeviceMappings"]]
    enis = [e["NetworkInterfaceId"] for e in inst["NetworkInterfaces"]]
    inst_arn = ec2_arn("instance", iid)
    out.add(inst_arn, "in_vpc", A["vpc"])
    out.add(inst_arn, "in_subnet", A["s1"])
    out.add(inst_arn, "uses_security_group", A["web"])
    out.add(inst_arn, "attached_volume", *(ec2_arn("volume", v) for v in [*root, volume]))
    out.add(inst_arn, "has_network_interface", *(ec2_arn("network-interface", e) for e in enis))
    out.add(inst_arn, "launched_from_image", f"arn:aws:ec2:{REGION}::image/{ami}")
    out.add(inst_arn, "uses_key_pair", ec2_arn("key-pair", "ops"))
    out.add(inst_arn, "has_instance_profile", profile_arn)
    out.add(ec2_arn("volume", volume), "attached_to", inst_arn)
    for eni in enis:
        e = ec2_arn("network-interface", eni)
        out.add(e, "in_vpc", A["vpc"])
        out.add(e, "in_subnet", A["s1"])
        out.add(e, "uses_security_group", A["web"])
        out.add(e, "attached_to", inst_arn)
    out.ids.update(instance=iid, instance_arn=inst_arn, image_arn=f"arn:aws:ec2:{REGION}::image/{ami}")

    # VPC networking: gateway, routes, peering, endpoint.
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rt, SubnetId=subnets[0])
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=vpc2)
    pcx_id = pcx["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", RouteTableIds=[rt]
    )["VpcEndpoint"]["VpcEndpointId"]
    out.add(ec2_arn("internet-gateway", igw), "attached_to_vpc", A["vpc"])
    R = ec2_arn("route-table", rt)
    out.add(R, "in_vpc", A["vpc"])
    out.add(R, "associated_with_subnet", A["s1"])
    out.add(R, "routes_to", ec2_arn("internet-gateway", igw))
    out.add(ec2_arn("vpc-peering-connection", pcx_id), "peers_vpc", A["vpc"], A["vpc2"])
    E = ec2_arn("vpc-endpoint", endpoint)
    out.ids.update(pcx=pcx_id, pcx_arn=ec2_arn("vpc-peering-connection", pcx_id))
    out.add(E, "in_vpc", A["vpc"])
    out.add(E, "associated_with_route_table", R)

    # Load balancing: a load balancer, a target group, a listener forwarding to it.
    elb = _client(url, "elbv2")
    lb = elb.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[web])
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    listener = elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
    )["Listeners"][0]["ListenerArn"]  # fmt: skip
    out.add(lb_arn, "in_vpc", A["vpc"])
    out.add(lb_arn, "in_subnet", A["s1"], A["s2"])
    out.add(lb_arn, "uses_security_group", A["web"])
    out.add(tg_arn, "in_vpc", A["vpc"])
    out.add(tg_arn, "serves_load_balancer", lb_arn)
    out.add(listener, "member_of", lb_arn)
    out.add(listener, "forwards_to", tg_arn)

    # KMS and what it encrypts.
    kms = _client(url, "kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    out.add(f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/app", "alias_of", key["Arn"])
    queue = _client(url, "sqs").create_queue(
        QueueName="jobs", Attributes={"KmsMasterKeyId": key["KeyId"]}
    )
    assert queue["QueueUrl"]
    out.add(f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs", "encrypted_with", key["Arn"])
    topic = _client(url, "sns").create_topic(
        Name="alerts", Attributes={"KmsMasterKeyId": key["Arn"]}
    )["TopicArn"]
    out.add(topic, "encrypted_with", key["Arn"])
    s3 = _client(url, "s3")
    s3.create_bucket(Bucket="inventory-links-sealed")
    s3.put_bucket_encryption(
        Bucket="inventory-links-sealed",
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["KeyId"]}}]},
    )  # fmt: skip
    out.add("arn:aws:s3:::inventory-links-sealed", "encrypted_with", key["Arn"])
    s3.create_bucket(Bucket="inventory-links-plain")  # no key: no edge
    out.ids.update(key_arn=key["Arn"])

    # Lambda: role, VPC placement, a layer, a key.
    lam = _client(url, "lambda")
    layer = lam.publish_layer_version(LayerName="libs", Content={"ZipFile": _zip()})
    fn = lam.create_function(
        FunctionName="worker", Runtime="python3.12", Role=role, Handler="app.handler",
        Code={"ZipFile": _zip()}, KMSKeyArn=key["Arn"], Layers=[layer["LayerVersionArn"]],
        VpcConfig={"SubnetIds": [subnets[0]], "SecurityGroupIds": [web]},
    )["FunctionArn"]  # fmt: skip
    # Real Lambda reports the subnets' VPC; moto a fixed placeholder: the edge follows the
    # answer, whatever it is.
    vpc_of_fn = lam.get_function(FunctionName="worker")["Configuration"]["VpcConfig"]["VpcId"]
    out.add(fn, "in_vpc", ec2_arn("vpc", vpc_of_fn))
    out.add(fn, "assumes_role", role)
    out.add(fn, "in_subnet", A["s1"])
    out.add(fn, "uses_security_group", A["web"])
    out.add(fn, "uses_layer", layer["LayerVersionArn"])
    out.add(fn, "encrypted_with", key["Arn"])
    out.ids.update(function_arn=fn)
    return out


def seed_databases_and_containers(url: str, out: Seeded) -> None:
    """RDS, ECS and EKS, on the network :func:`seed` made."""
    ids = out.ids
    ec2 = _client(url, "ec2")
    subnets = [
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [ids["vpc"]]}])[
            "Subnets"
        ]
    ]
    subnet_arns = {ec2_arn("subnet", s) for s in subnets}
    role = f"arn:aws:iam::{ACCOUNT}:role/app"
    rds = _client(url, "rds")
    rds.create_db_subnet_group(
        DBSubnetGroupName="dbs", DBSubnetGroupDescription="db", SubnetIds=subnets
    )
    db = rds.create_db_instance(
        DBInstanceIdentifier="db1", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="password123",
        DBSubnetGroupName="dbs", VpcSecurityGroupIds=[ids["db"]], StorageEncrypted=True,
        KmsKeyId=ids["key_arn"],
    )["DBInstance"]  # fmt: skip
    D = db["DBInstanceArn"]
    subgrp = f"arn:aws:rds:{REGION}:{ACCOUNT}:subgrp:dbs"
    out.add(D, "in_vpc", ids["vpc_arn"])
    out.add(D, "in_subnet", *subnet_arns)
    out.add(D, "uses_security_group", ids["db_arn"])
    out.add(D, "in_subnet_group", subgrp)
    out.add(D, "encrypted_with", ids["key_arn"])
    out.add(
        D, "uses_parameter_group",
        *(f"arn:aws:rds:{REGION}:{ACCOUNT}:pg:{p['DBParameterGroupName']}"
          for p in db["DBParameterGroups"]),
    )  # fmt: skip
    out.add(subgrp, "in_vpc", ids["vpc_arn"])
    out.add(subgrp, "in_subnet", *subnet_arns)

    ecs = _client(url, "ecs")
    cluster = ecs.create_cluster(clusterName="apps")["cluster"]["clusterArn"]
    td = ecs.register_task_definition(
        family="api", taskRoleArn=role, executionRoleArn=role, networkMode="awsvpc",
        containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}],
    )["taskDefinition"]["taskDefinitionArn"]  # fmt: skip
    service = ecs.create_service(
        cluster="apps", serviceName="api", taskDefinition=td, desiredCount=0,
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [ids["subnet"]], "securityGroups": [ids["web"]]}
        },
    )["service"]["serviceArn"]  # fmt: skip
    out.add(td, "assumes_role", role)
    out.add(td, "executes_with_role", role)
    out.add(service, "member_of", cluster)
    out.add(service, "runs_task_definition", td)
    out.add(service, "in_subnet", ec2_arn("subnet", ids["subnet"]))
    out.add(service, "uses_security_group", ids["web_arn"])

    eks = _client(url, "eks")
    eks_cluster = eks.create_cluster(
        name="k8s", roleArn=role,
        resourcesVpcConfig={"subnetIds": subnets, "securityGroupIds": [ids["web"]]},
    )["cluster"]["arn"]  # fmt: skip
    out.add(eks_cluster, "assumes_role", role)
    out.add(eks_cluster, "in_subnet", *subnet_arns)
    out.add(eks_cluster, "uses_security_group", ids["web_arn"])


LINK_TYPES = [
    "AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::NetworkInterface", "AWS::EC2::VPC",
    "AWS::EC2::Subnet", "AWS::EC2::SecurityGroup", "AWS::EC2::KeyPair",
    "AWS::EC2::InternetGateway", "AWS::EC2::RouteTable", "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::VPCEndpoint", "AWS::IAM::Role", "AWS::IAM::InstanceProfile",
    "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::ManagedPolicy",
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener", "AWS::KMS::Key", "AWS::KMS::Alias",
    "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::S3::Bucket", "AWS::Lambda::Function", "AWS::RDS::DBInstance", "AWS::RDS::DBSubnetGroup",
    "AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::EKS::Cluster",
]  # fmt: skip
