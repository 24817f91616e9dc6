"""File transfer: DataSync locations and tasks, Transfer Family servers and AS2 resources.

Tags are read per item (ListTagsForResource): neither service returns them in its lists or
has a batch tag call.
"""

from __future__ import annotations

from collector.registry._common import joined, role, tags_detail
from collector.registry.base import ResourceType

_DATASYNC_TAGS = (tags_detail("list_tags_for_resource", "ResourceArn", "LocationArn"),)
_TRANSFER_TAGS = (tags_detail("list_tags_for_resource", "Arn", "Arn"),)

# ListLocations returns every kind of location; the scheme of LocationUri tells them apart
# (TYPE://GLOBAL_ID/SUBDIR, AWS's API reference for LocationListEntry).
_LOCATIONS = (
    ("LocationEFS", "efs"), ("LocationFSxLustre", "fsxl"), ("LocationFSxWindows", "fsxw"),
    ("LocationHDFS", "hdfs"), ("LocationNFS", "nfs"),
    ("LocationObjectStorage", "object-storage"), ("LocationS3", "s3"), ("LocationSMB", "smb"),
)  # fmt: skip

TYPES = (
    *(
        ResourceType(
            f"AWS::DataSync::{kind}", "datasync", "list_locations", "Locations[]",
            id="LocationArn", arn="LocationArn", name="LocationUri",
            where=f"starts_with(LocationUri, '{scheme}://')",
            details=_DATASYNC_TAGS, tags="Tags",
        )
        for kind, scheme in _LOCATIONS
    ),
    ResourceType(
        "AWS::DataSync::Task", "datasync", "list_tasks", "Tasks[]", id="TaskArn", arn="TaskArn",
        name="Name", details=(tags_detail("list_tags_for_resource", "ResourceArn", "TaskArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Transfer::Server", "transfer", "list_servers", "Servers[]", id="ServerId",
        arn="Arn", details=_TRANSFER_TAGS, tags="Tags",
        links=(role("LoggingRole", "uses_service_role"),),
    ),
    ResourceType(
        "AWS::Transfer::Agreement", "transfer", "list_agreements", "Agreements[]",
        id=joined("ServerId", "AgreementId"), arn="Arn", name="AgreementId",
        parent="AWS::Transfer::Server", parent_params={"ServerId": "ServerId"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=_TRANSFER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::Transfer::Certificate", "transfer", "list_certificates", "Certificates[]",
        id="CertificateId", arn="Arn", name="CertificateId", details=_TRANSFER_TAGS,
        tags="Tags",
    ),
    ResourceType(
        "AWS::Transfer::Connector", "transfer", "list_connectors", "Connectors[]",
        id="ConnectorId", arn="Arn", name="ConnectorId", details=_TRANSFER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::Transfer::Profile", "transfer", "list_profiles", "Profiles[]", id="ProfileId",
        arn="Arn", name="As2Id", details=_TRANSFER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::Transfer::Workflow", "transfer", "list_workflows", "Workflows[]",
        id="WorkflowId", arn="Arn", name="WorkflowId", details=_TRANSFER_TAGS, tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    **{
        t.resource_type: "moto does not implement DataSync ListTagsForResource"
        for t in TYPES
        if t.service == "datasync"
    },
    **{
        t.resource_type: "moto does not implement Transfer ListTagsForResource"
        for t in TYPES
        if t.service == "transfer"
    },
}
