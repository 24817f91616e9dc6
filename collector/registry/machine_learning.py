"""Machine learning and AI services: SageMaker, Personalize, Forecast, Fraud Detector, Kendra,
Lex, Bedrock, HealthLake.

None of their list calls returns tags and none has a batch tag call: tags cost one call per
resource (ListTags / ListTagsForResource).
"""

from __future__ import annotations

from typing import Any

from collector.registry._common import arn_tags_detail, joined, lower_tags, role, tags_detail
from collector.registry.base import Link, ResourceType

_SM = "arn:{partition}:sagemaker:{region}:{account}:"


def _sagemaker(
    name: str, operation: str, items: str, prefix: str, *, created: str = "CreationTime",
    **kw: Any,
) -> ResourceType:
    """A SageMaker type whose summary has `<prefix>Name` and `<prefix>Arn`."""
    return ResourceType(
        f"AWS::SageMaker::{name}", "sagemaker", operation, items, id=f"{prefix}Name",
        arn=f"{prefix}Arn", name=f"{prefix}Name", created=created,
        details=(tags_detail("list_tags", "ResourceArn", f"{prefix}Arn"),), tags="Tags", **kw,
    )  # fmt: skip


def _personalize(name: str, operation: str, items: str, arn: str) -> ResourceType:
    return ResourceType(
        f"AWS::Personalize::{name}", "personalize", operation, items, id=arn, arn=arn,
        name="name", created="creationDateTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", arn, "tags"),),
        tags="Tags[].{Key: tagKey, Value: tagValue}",
    )  # fmt: skip


def _fraud(name: str, operation: str, items: str) -> ResourceType:
    # Names are unique per account and region; the create time is ISO 8601 text.
    return ResourceType(
        f"AWS::FraudDetector::{name}", "frauddetector", operation, items, id="name", arn="arn",
        name="name", created="createdTime", next_token="nextToken",
        details=(tags_detail("list_tags_for_resource", "resourceARN", "arn", "tags"),),
        tags=lower_tags("Tags"),
    )  # fmt: skip


TYPES = (
    _sagemaker("AppImageConfig", "list_app_image_configs", "AppImageConfigs[]",
               "AppImageConfig"),
    _sagemaker("CodeRepository", "list_code_repositories", "CodeRepositorySummaryList[]",
               "CodeRepository"),
    ResourceType(
        "AWS::SageMaker::Domain", "sagemaker", "list_domains", "Domains[]", id="DomainId",
        arn="DomainArn", name="DomainName", created="CreationTime",
        details=(tags_detail("list_tags", "ResourceArn", "DomainArn"),), tags="Tags",
    ),
    _sagemaker("FeatureGroup", "list_feature_groups", "FeatureGroupSummaries[]",
               "FeatureGroup"),
    _sagemaker("Image", "list_images", "Images[]", "Image"),
    # The summary has no ARN; the name is unique per account and region.
    ResourceType(
        "AWS::SageMaker::InferenceExperiment", "sagemaker", "list_inference_experiments",
        "InferenceExperiments[]", id="Name", arn_template=_SM + "inference-experiment/{Name}",
        name="Name", created="CreationTime",
        details=(arn_tags_detail("list_tags", "ResourceArn"),), tags="Tags",
        links=(role("RoleArn", "uses_role"),),
    ),
    _sagemaker("Model", "list_models", "Models[]", "Model"),
    _sagemaker("NotebookInstanceLifecycleConfig", "list_notebook_instance_lifecycle_configs",
               "NotebookInstanceLifecycleConfigs[]", "NotebookInstanceLifecycleConfig"),
    _sagemaker("Workteam", "list_workteams", "Workteams[]", "Workteam", created="CreateDate"),
    _personalize("DatasetGroup", "list_dataset_groups", "datasetGroups[]", "datasetGroupArn"),
    _personalize("Dataset", "list_datasets", "datasets[]", "datasetArn"),
    _personalize("Schema", "list_schemas", "schemas[]", "schemaArn"),
    _personalize("Solution", "list_solutions", "solutions[]", "solutionArn"),
    ResourceType(
        "AWS::Forecast::DatasetGroup", "forecast", "list_dataset_groups", "DatasetGroups[]",
        id="DatasetGroupArn", arn="DatasetGroupArn", name="DatasetGroupName",
        created="CreationTime",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "DatasetGroupArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Forecast::Dataset", "forecast", "list_datasets", "Datasets[]", id="DatasetArn",
        arn="DatasetArn", name="DatasetName", created="CreationTime",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "DatasetArn"),),
        tags="Tags",
    ),
    _fraud("EntityType", "get_entity_types", "entityTypes[]"),
    _fraud("Label", "get_labels", "labels[]"),
    _fraud("Outcome", "get_outcomes", "outcomes[]"),
    _fraud("Variable", "get_variables", "variables[]"),
    ResourceType(
        "AWS::Kendra::Index", "kendra", "list_indices", "IndexConfigurationSummaryItems[]",
        id="Id", arn_template="arn:{partition}:kendra:{region}:{account}:index/{Id}",
        name="Name", created="CreatedAt", next_token="NextToken",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceARN"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Lex::Bot", "lexv2-models", "list_bots", "botSummaries[]", id="botId",
        arn_template="arn:{partition}:lex:{region}:{account}:bot/{botId}", name="botName",
        next_token="nextToken",
        details=(arn_tags_detail("list_tags_for_resource", "resourceARN", "tags"),),
        tags="Tags",
    ),
    # An alias id is unique within its bot only (CloudFormation: BotAliasId + BotId).
    ResourceType(
        "AWS::Lex::BotAlias", "lexv2-models", "list_bot_aliases", "botAliasSummaries[]",
        id=joined("botId", "botAliasId"),
        arn_template="arn:{partition}:lex:{region}:{account}:bot-alias/{botId}/{botAliasId}",
        name="botAliasName", created="creationDateTime", next_token="nextToken",
        parent="AWS::Lex::Bot", parent_params={"botId": "botId"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(arn_tags_detail("list_tags_for_resource", "resourceARN", "tags"),),
        tags="Tags",
        links=(
            Link("alias_of", "AWS::Lex::Bot", "botId"),
        ),
    ),
    ResourceType(
        "AWS::Bedrock::Guardrail", "bedrock", "list_guardrails", "guardrails[]", id="id",
        arn="arn", name="name", created="createdAt",
        details=(tags_detail("list_tags_for_resource", "resourceARN", "arn", "tags"),),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::HealthLake::FHIRDatastore", "healthlake", "list_fhir_datastores",
        "DatastorePropertiesList[]", id="DatastoreId", arn="DatastoreArn",
        name="DatastoreName", created="CreatedAt", next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "DatastoreArn"),),
        tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::Bedrock::KnowledgeBase": "needs engine support: botocore's endpoint data lists no "
    "region for bedrock-agent (ListKnowledgeBases), so the engine cannot tell where it runs",
    "AWS::LookoutMetrics::Alert": "Amazon Lookout for Metrics was discontinued (October 2025); "
    "botocore no longer has its API",
    "AWS::LookoutVision::Project": "Amazon Lookout for Vision was discontinued (October 2025); "
    "botocore no longer has its API",
}

NOT_IN_MOTO: dict[str, str] = {
    "AWS::SageMaker::AppImageConfig": "moto does not implement ListAppImageConfigs",
    "AWS::SageMaker::CodeRepository": "moto does not implement ListCodeRepositories",
    "AWS::SageMaker::FeatureGroup": "moto does not implement ListFeatureGroups",
    "AWS::SageMaker::Image": "moto does not implement ListImages",
    "AWS::SageMaker::InferenceExperiment": "moto does not implement ListInferenceExperiments",
    "AWS::SageMaker::NotebookInstanceLifecycleConfig": "moto does not implement "
    "ListNotebookInstanceLifecycleConfigs",
    "AWS::SageMaker::Workteam": "moto does not implement ListWorkteams",
    "AWS::Personalize::DatasetGroup": "moto does not implement ListDatasetGroups/"
    "ListTagsForResource",
    "AWS::Personalize::Dataset": "moto does not implement ListDatasets/ListTagsForResource",
    "AWS::Personalize::Schema": "moto does not implement ListTagsForResource",
    "AWS::Personalize::Solution": "moto does not implement ListSolutions/ListTagsForResource",
    "AWS::Forecast::DatasetGroup": "moto does not implement ListTagsForResource",
    "AWS::Forecast::Dataset": "moto does not implement ListDatasets/ListTagsForResource",
    "AWS::FraudDetector::EntityType": "moto does not implement GetEntityTypes/ListTagsForResource",
    "AWS::FraudDetector::Label": "moto does not implement GetLabels/ListTagsForResource",
    "AWS::FraudDetector::Outcome": "moto does not implement GetOutcomes/ListTagsForResource",
    "AWS::FraudDetector::Variable": "moto does not implement GetVariables/ListTagsForResource",
    "AWS::Kendra::Index": "moto does not implement ListIndices/ListTagsForResource",
    "AWS::Lex::BotAlias": "moto's ListTagsForResource does not know bot alias ARNs (404)",
    "AWS::Bedrock::Guardrail": "moto does not implement ListGuardrails",
    "AWS::HealthLake::FHIRDatastore": "moto does not implement ListFHIRDatastores/"
    "ListTagsForResource",
}
