"""Messaging and integration: SNS subscriptions, EventBridge, Step Functions, MQ, SES."""

from __future__ import annotations

from collector.registry._common import (
    arn_tags_detail,
    joined,
    lower_tags,
    role,
    tags_detail,
)
from collector.registry.base import Link, ResourceType

TYPES = (
    # Unconfirmed subscriptions have no ARN yet ("PendingConfirmation"): nothing to identify.
    ResourceType(
        "AWS::SNS::Subscription", "sns", "list_subscriptions_by_topic", "Subscriptions[]",
        id="SubscriptionArn", arn="SubscriptionArn", where="starts_with(SubscriptionArn, 'arn:')",
        parent="AWS::SNS::Topic", parent_params={"TopicArn": "TopicArn"},
        parent_absent_codes=("NotFound",),
        links=(
            Link("subscribed_to", "AWS::SNS::Topic", "TopicArn"),
            Link("delivers_to", "AWS::SQS::Queue", "[@][?Protocol == 'sqs'].Endpoint"),
        ),
    ),
    ResourceType(
        "AWS::Events::EventBus", "events", "list_event_buses", "EventBuses[]", id="Name",
        arn="Arn", name="Name", created="CreationTime", next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "Arn"),), tags="Tags",
    ),
    ResourceType(
        # A rule name is unique within its event bus only.
        "AWS::Events::Rule", "events", "list_rules", "Rules[]", arn="Arn",
        id=joined("EventBusName", "Name"),
        name="Name", page_size=100, parent="AWS::Events::EventBus",
        parent_params={"EventBusName": "Name"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "Arn"),), tags="Tags",
        links=(
            Link("on_event_bus", "AWS::Events::EventBus", "EventBusName",
                 "arn:{partition}:events:{region}:{account}:event-bus/{name}"),
            role("RoleArn"),
        ),
    ),
    ResourceType(
        "AWS::Events::Archive", "events", "list_archives", "Archives[]", id="ArchiveName",
        arn_template="arn:{partition}:events:{region}:{account}:archive/{ArchiveName}",
        name="ArchiveName", created="CreationTime", next_token="NextToken",
    ),
    ResourceType(
        "AWS::Events::Connection", "events", "list_connections", "Connections[]", id="Name",
        arn="ConnectionArn", name="Name", created="CreationTime", next_token="NextToken",
    ),
    ResourceType(
        "AWS::Events::ApiDestination", "events", "list_api_destinations", "ApiDestinations[]",
        id="Name", arn="ApiDestinationArn", name="Name", created="CreationTime",
        next_token="NextToken",
    ),
    ResourceType(
        "AWS::StepFunctions::StateMachine", "stepfunctions", "list_state_machines",
        "stateMachines[]", id="name", arn="stateMachineArn", name="name",
        created="creationDate", page_size=1000,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "stateMachineArn",
                             "tags"),),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::StepFunctions::Activity", "stepfunctions", "list_activities", "activities[]",
        id="name", arn="activityArn", name="name", created="creationDate", page_size=1000,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "activityArn", "tags"),),
        tags=lower_tags("Tags"),
    ),
    ResourceType(
        "AWS::AmazonMQ::Broker", "mq", "list_brokers", "BrokerSummaries[]", id="BrokerId",
        arn="BrokerArn", name="BrokerName", created="Created", page_size=100,
        details=(tags_detail("list_tags", "ResourceArn", "BrokerArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::SES::EmailIdentity", "sesv2", "list_email_identities", "EmailIdentities[]",
        id="IdentityName", name="IdentityName",
        arn_template="arn:{partition}:ses:{region}:{account}:identity/{IdentityName}",
        next_token="NextToken",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::SES::ConfigurationSet", "sesv2", "list_configuration_sets", "ConfigurationSets[]",
        item_key="Name", id="Name", name="Name",
        arn_template="arn:{partition}:ses:{region}:{account}:configuration-set/{Name}",
        next_token="NextToken",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
    ),
)  # fmt: skip
