"""Developer tools: CodeDeploy, CodeArtifact, CodeBuild report groups, CodeGuru, Signer, Lambda
code signing, ECR Public."""

from __future__ import annotations

from collector.registry._common import (
    arn_tags_detail,
    joined,
    last_segment,
    lower_tags,
    tags_detail,
)
from collector.registry.base import BatchDetail, Link, ResourceType

_CODEDEPLOY = "arn:{partition}:codedeploy:{region}:{account}:"
_CODEDEPLOY_APP = "AWS::CodeDeploy::Application"

TYPES = (
    ResourceType(
        _CODEDEPLOY_APP, "codedeploy", "list_applications", "applications[]",
        item_key="applicationName", id="applicationName", name="applicationName",
        arn_template=_CODEDEPLOY + "application:{applicationName}", created="createTime",
        details=(
            BatchDetail(
                "batch_get_applications",
                lambda items: {"applicationNames": [i["applicationName"] for i in items]},
                size=100, result="applicationsInfo", key="applicationName",
                item_key="applicationName", into=None, drop_missing=True,
            ),
            arn_tags_detail("list_tags_for_resource", "ResourceArn"),
        ),
        tags="Tags",
    ),
    ResourceType(
        "AWS::CodeDeploy::DeploymentGroup", "codedeploy", "list_deployment_groups",
        "deploymentGroups[]", item_key="deploymentGroupName",
        id=joined("applicationName", "deploymentGroupName"), name="deploymentGroupName",
        arn_template=_CODEDEPLOY + "deploymentgroup:{applicationName}/{deploymentGroupName}",
        parent=_CODEDEPLOY_APP, parent_params={"applicationName": "applicationName"},
        parent_absent_codes=("ApplicationDoesNotExistException",),
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
        links=(
            Link("member_of", _CODEDEPLOY_APP, "applicationName"),
        ),
    ),
    # AWS's own configurations (CodeDeployDefault.*) are listed too: not the account's.
    ResourceType(
        "AWS::CodeDeploy::DeploymentConfig", "codedeploy", "list_deployment_configs",
        "deploymentConfigsList[]", item_key="deploymentConfigName", id="deploymentConfigName",
        name="deploymentConfigName",
        arn_template=_CODEDEPLOY + "deploymentconfig:{deploymentConfigName}",
        where="!starts_with(deploymentConfigName, 'CodeDeployDefault.')",
    ),
    # A repository name is unique within its domain only.
    ResourceType(
        "AWS::CodeArtifact::Repository", "codeartifact", "list_repositories", "repositories[]",
        id=joined("domainName", "name"), arn="arn", name="name", created="createdTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::CodeBuild::ReportGroup", "codebuild", "list_report_groups", "reportGroups[]",
        item_key="arn", id=last_segment("/", "arn"), arn="arn", name=last_segment("/", "arn"),
        created="created", tags=lower_tags("tags"),
        details=(
            BatchDetail(
                "batch_get_report_groups",
                lambda items: {"reportGroupArns": [i["arn"] for i in items]},
                size=100, result="reportGroups", key="arn", item_key="arn", into=None,
                drop_missing=True,
            ),
        ),
    ),
    # Without includeDescription the answer holds names only.
    ResourceType(
        "AWS::CodeGuruProfiler::ProfilingGroup", "codeguruprofiler", "list_profiling_groups",
        "profilingGroups[]", id="name", arn="arn", name="name", created="createdAt",
        tags="tags", params={"includeDescription": True}, next_token="nextToken",
    ),
    ResourceType(
        "AWS::CodeGuruReviewer::RepositoryAssociation", "codeguru-reviewer",
        "list_repository_associations", "RepositoryAssociationSummaries[]",
        id="AssociationId", arn="AssociationArn", name="Name",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "AssociationArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Signer::SigningProfile", "signer", "list_signing_profiles", "profiles[]",
        id="profileName", arn="arn", name="profileName", tags="tags",
    ),
    ResourceType(
        "AWS::Lambda::CodeSigningConfig", "lambda", "list_code_signing_configs",
        "CodeSigningConfigs[]", id="CodeSigningConfigId", arn="CodeSigningConfigArn",
        details=(tags_detail("list_tags", "Resource", "CodeSigningConfigArn"),), tags="Tags",
    ),
    # ECR Public lives in us-east-1 only.
    ResourceType(
        "AWS::ECR::PublicRepository", "ecr-public", "describe_repositories", "repositories[]",
        id="repositoryName", arn="repositoryArn", name="repositoryName", created="createdAt",
        global_=True,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "repositoryArn",
                             "tags"),),
        tags="Tags",
    ),
)  # fmt: skip

# botocore's endpoint data (endpoints.json) lists no region for these services, and the engine
# runs a regional type only where that data lists the region (collector.aws.sessions).
_NO_ENDPOINTS = "needs engine support: botocore's endpoint data lists no region for {}"
NOT_COLLECTED = {
    **{
        f"AWS::ImageBuilder::{kind}": _NO_ENDPOINTS.format("imagebuilder")
        for kind in ("ImageRecipe", "ContainerRecipe", "InfrastructureConfiguration",
                     "DistributionConfiguration", "ImagePipeline")
    },
    "AWS::ECR::PullThroughCacheRule": "has no ARN (DescribePullThroughCacheRules returns none "
    "and AWS documents none); needs engine support for resources without an ARN",
    "AWS::ECR::RegistryPolicy": "one policy per registry (GetRegistryPolicy), not a listed "
    "resource, and it has no ARN",
}  # fmt: skip

NOT_IN_MOTO = {
    "AWS::CodeDeploy::DeploymentConfig": "moto does not implement ListDeploymentConfigs",
    "AWS::CodeArtifact::Repository": (
        "moto does not implement ListRepositories/ListTagsForResource"
    ),
    "AWS::CodeBuild::ReportGroup": "moto does not implement ListReportGroups/BatchGetReportGroups",
    "AWS::CodeGuruProfiler::ProfilingGroup": "moto does not implement ListProfilingGroups",
    "AWS::CodeGuruReviewer::RepositoryAssociation": (
        "moto does not implement ListRepositoryAssociations/ListTagsForResource"
    ),
    "AWS::Signer::SigningProfile": "moto does not implement ListSigningProfiles",
    "AWS::Lambda::CodeSigningConfig": "moto does not implement ListCodeSigningConfigs",
    "AWS::ECR::PublicRepository": (
        "moto does not implement DescribeRepositories/ListTagsForResource"
    ),
}
