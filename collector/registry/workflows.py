"""Published code and what runs it on a schedule or a stream (issue 17, CloudFormation-only
types): Lambda versions, Step Functions versions and aliases, EventBridge Scheduler schedules
and groups, EventBridge Pipes."""

from __future__ import annotations

from collector.registry._common import joined, role, tags_detail
from collector.registry.base import Link, ResourceType

_SM = "AWS::StepFunctions::StateMachine"

TYPES = (
    ResourceType(
        # A published version is immutable code that aliases and triggers may still call after
        # the function moved on. $LATEST is the function itself (AWS::Lambda::Function).
        "AWS::Lambda::Version", "lambda", "list_versions_by_function", "Versions[]",
        id="FunctionArn", arn="FunctionArn", name=joined("FunctionName", "Version"),
        where="Version != '$LATEST'", page_size=50, parent="AWS::Lambda::Function",
        parent_params={"FunctionName": "FunctionName"},
        parent_absent_codes=("ResourceNotFoundException",),
        links=(
            Link("version_of", "AWS::Lambda::Function", "MasterArn"),
            role("Role", "runs_as"),
        ),
    ),
    ResourceType(
        "AWS::StepFunctions::StateMachineVersion", "stepfunctions",
        "list_state_machine_versions", "stateMachineVersions[]", id="stateMachineVersionArn",
        arn="stateMachineVersionArn", created="creationDate", next_token="nextToken",
        parent=_SM, parent_params={"stateMachineArn": "stateMachineArn"},
        parent_absent_codes=("StateMachineDoesNotExist",),
        links=(Link("version_of", _SM, "stateMachineArn"),),
    ),
    ResourceType(
        "AWS::StepFunctions::StateMachineAlias", "stepfunctions", "list_state_machine_aliases",
        "stateMachineAliases[]", id="stateMachineAliasArn", arn="stateMachineAliasArn",
        created="creationDate", next_token="nextToken",
        parent=_SM, parent_params={"stateMachineArn": "stateMachineArn"},
        parent_absent_codes=("StateMachineDoesNotExist",),
        links=(Link("alias_of", _SM, "stateMachineArn"),),
    ),
    ResourceType(
        # A schedule's name is unique within its group.
        "AWS::Scheduler::Schedule", "scheduler", "list_schedules", "Schedules[]",
        id=joined("GroupName", "Name"), arn="Arn", name="Name", created="CreationDate",
        links=(Link("in_group", "AWS::Scheduler::ScheduleGroup", "GroupName"),),
    ),
    ResourceType(
        "AWS::Scheduler::ScheduleGroup", "scheduler", "list_schedule_groups", "ScheduleGroups[]",
        id="Name", arn="Arn", name="Name", created="CreationDate",
        arn_template="arn:{partition}:scheduler:{region}:{account}:schedule-group/{Name}",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Pipes::Pipe", "pipes", "list_pipes", "Pipes[]", id="Name", arn="Arn",
        name="Name", created="CreationTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "Arn", "tags"),),
        tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::StepFunctions::StateMachineVersion": "moto does not implement "
    "ListStateMachineVersions",
}
