"""What runs on the fleet and the data (issue 17, CloudFormation-only types): Systems Manager
associations and maintenance window targets and tasks, Glue triggers, and the
links from build services to source providers (CodeStar connections, CodeBuild source
credentials)."""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, joined, role, tags_detail
from collector.registry.base import Link, ResourceType

_SSM = "arn:{partition}:ssm:{region}:{account}:"
_GLUE = "arn:{partition}:glue:{region}:{account}:"
_WINDOW = "AWS::SSM::MaintenanceWindow"


def _window_child(kind: str, operation: str, items: str, id_member: str, arn_kind: str,
                  **extra: object) -> ResourceType:
    # Window target and task ids are UUIDs; CloudFormation's primaryIdentifier pairs them with
    # the window's id, and so does the id here.
    return ResourceType(
        f"AWS::SSM::MaintenanceWindow{kind}", "ssm", operation, items,
        id=joined("WindowId", id_member), arn_template=_SSM + f"{arn_kind}/{{{id_member}}}",
        name="Name", page_size=100, parent=_WINDOW, parent_params={"WindowId": "WindowId"},
        parent_absent_codes=("DoesNotExistException",),
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


TYPES = (
    ResourceType(
        # What a document does to which instances, on what schedule (State Manager).
        "AWS::SSM::Association", "ssm", "list_associations", "Associations[]",
        id="AssociationId", arn_template=_SSM + "association/{AssociationId}",
        name="AssociationName", page_size=50,
        details=(
            tags_detail("list_tags_for_resource", "ResourceId", "AssociationId", "TagList",
                        extra={"ResourceType": "Association"}),
        ),
        tags="Tags",
        links=(
            Link("runs_document", "AWS::SSM::Document", "[Name][?!starts_with(@, 'arn:')]"),
            Link("targets", "AWS::EC2::Instance", "InstanceId"),
        ),
    ),
    _window_child(
        "Target", "describe_maintenance_window_targets", "Targets[]", "WindowTargetId",
        "windowtarget", links=(Link("member_of", _WINDOW, "WindowId"),),
    ),
    _window_child(
        # TaskParameters may hold values; botocore marks them sensitive (redacted).
        "Task", "describe_maintenance_window_tasks", "Tasks[]", "WindowTaskId", "windowtask",
        links=(Link("member_of", _WINDOW, "WindowId"), role("ServiceRoleArn")),
    ),
    ResourceType(
        "AWS::Glue::Trigger", "glue", "get_triggers", "Triggers[]", id="Name",
        arn_template=_GLUE + "trigger/{Name}", name="Name", page_size=200,
        details=(arn_tags_detail("get_tags", "ResourceArn"),), tags="Tags",
        links=(
            Link("starts_job", "AWS::Glue::Job", "Actions[].JobName"),
        ),
    ),
    ResourceType(
        # The OAuth grant to GitHub, Bitbucket or GitLab that pipelines pull source through.
        "AWS::CodeStarConnections::Connection", "codestar-connections", "list_connections",
        "Connections[]", id="ConnectionArn", arn="ConnectionArn", name="ConnectionName",
        next_token="NextToken", owner="OwnerAccountId",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "ConnectionArn"),),
        tags="Tags",
    ),
    ResourceType(
        # Which source providers CodeBuild holds a token for; the token is never returned.
        "AWS::CodeBuild::SourceCredential", "codebuild", "list_source_credentials",
        "sourceCredentialsInfos[]", id="arn", arn="arn", name="serverType",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::SSM::Association": "moto does not implement ListAssociations",
    "AWS::CodeStarConnections::Connection": "moto does not implement CodeStar Connections",
    "AWS::CodeBuild::SourceCredential": "moto does not implement ImportSourceCredentials/"
    "ListSourceCredentials",
}
