"""Who may read the data, and what guards it (issue 17, CloudFormation-only types): S3 Access
Grants (instances, locations, grants), Macie allow lists, custom data identifiers and findings
filters, Backup audit frameworks, restore testing plans and legal holds, Inspector CIS scan
configurations, OpenSearch applications."""

from __future__ import annotations

from collector.registry._common import role, tags_detail
from collector.registry.base import Detail, Link, ResourceType

# Without an Access Grants instance in the region, its grants and locations do not apply.
_NO_INSTANCE = ("AccessGrantsInstanceNotExistsError",)


def _control_tags(arn_member: str) -> tuple[Detail, ...]:
    """S3 Control ListTagsForResource: one ARN a call, and the account id as a parameter."""
    return (
        Detail("list_tags_for_resource", lambda i: {"ResourceArn": i[arn_member]}, "Tags",
               into="Tags", account_param="AccountId"),
    )  # fmt: skip


# An account (or region) without Macie answers every call so; a missing permission answers
# the same code with "... is not authorized to perform ...", which stays an error.
_MACIE_OFF = (("AccessDeniedException", "Macie is not enabled"),)


def _macie_tags(arn_member: str = "arn") -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "resourceArn", arn_member, "tags"),)


def _backup_tags(arn_member: str) -> tuple[Detail, ...]:
    return (tags_detail("list_tags", "ResourceArn", arn_member),)


TYPES = (
    ResourceType(
        "AWS::S3::AccessGrantsInstance", "s3control", "list_access_grants_instances",
        "AccessGrantsInstancesList[]", id="AccessGrantsInstanceId",
        arn="AccessGrantsInstanceArn", created="CreatedAt", next_token="NextToken",
        account_param="AccountId", details=_control_tags("AccessGrantsInstanceArn"),
        tags="Tags",
    ),
    ResourceType(
        # Which S3 prefix an IAM role lends to grantees.
        "AWS::S3::AccessGrantsLocation", "s3control", "list_access_grants_locations",
        "AccessGrantsLocationsList[]", id="AccessGrantsLocationId",
        arn="AccessGrantsLocationArn", name="LocationScope", created="CreatedAt",
        next_token="NextToken", account_param="AccountId", skip_codes=_NO_INSTANCE,
        details=_control_tags("AccessGrantsLocationArn"), tags="Tags",
        links=(role("IAMRoleArn"),),
    ),
    ResourceType(
        # Who (an IAM principal or an Identity Center user or group) may read or write where.
        "AWS::S3::AccessGrant", "s3control", "list_access_grants", "AccessGrantsList[]",
        id="AccessGrantId", arn="AccessGrantArn", name="GrantScope", created="CreatedAt",
        next_token="NextToken", account_param="AccountId", skip_codes=_NO_INSTANCE,
        details=_control_tags("AccessGrantArn"), tags="Tags",
        links=(Link("at_location", "AWS::S3::AccessGrantsLocation", "AccessGrantsLocationId",
                    "arn:{partition}:s3:{region}:{account}:access-grants/default/location/{id}"),),
    ),
    # Where Macie is not enabled its lists answer AccessDeniedException, as a missing
    # permission does: left an error, never skipped.
    ResourceType(
        "AWS::Macie::AllowList", "macie2", "list_allow_lists", "allowLists[]", id="id",
        arn="arn", name="name", created="createdAt", page_size=25, details=_macie_tags(),
        tags="Tags", skip_errors=_MACIE_OFF,
    ),
    ResourceType(
        "AWS::Macie::CustomDataIdentifier", "macie2", "list_custom_data_identifiers", "items[]",
        id="id", arn="arn", name="name", created="createdAt", page_size=25,
        details=_macie_tags(), tags="Tags", skip_errors=_MACIE_OFF,
    ),
    ResourceType(
        # A filter that archives (suppresses) the findings it matches is worth seeing.
        "AWS::Macie::FindingsFilter", "macie2", "list_findings_filters",
        "findingsFilterListItems[]", id="id", arn="arn", name="name", page_size=25,
        tags="tags", skip_errors=_MACIE_OFF,
    ),
    ResourceType(
        "AWS::Backup::Framework", "backup", "list_frameworks", "Frameworks[]",
        id="FrameworkName", arn="FrameworkArn", name="FrameworkName", created="CreationTime",
        next_token="NextToken", details=_backup_tags("FrameworkArn"), tags="Tags",
    ),
    ResourceType(
        "AWS::Backup::RestoreTestingPlan", "backup", "list_restore_testing_plans",
        "RestoreTestingPlans[]", id="RestoreTestingPlanName", arn="RestoreTestingPlanArn",
        name="RestoreTestingPlanName", created="CreationTime", page_size=100,
        details=_backup_tags("RestoreTestingPlanArn"), tags="Tags",
    ),
    ResourceType(
        # Recovery points under a legal hold cannot be deleted.
        "AWS::Backup::LegalHold", "backup", "list_legal_holds", "LegalHolds[]",
        id="LegalHoldId", arn="LegalHoldArn", name="Title", created="CreationDate",
        page_size=100, details=_backup_tags("LegalHoldArn"), tags="Tags",
    ),
    ResourceType(
        "AWS::InspectorV2::CisScanConfiguration", "inspector2", "list_cis_scan_configurations",
        "scanConfigurations[]", id="scanConfigurationArn", arn="scanConfigurationArn",
        name="scanName", owner="ownerId", page_size=100, tags="tags",
    ),
    ResourceType(
        "AWS::OpenSearchService::Application", "opensearch", "list_applications",
        "ApplicationSummaries[]", id="id", arn="arn", name="name", created="createdAt",
        page_size=100,
        details=(tags_detail("list_tags", "ARN", "arn", "TagList"),), tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    **{
        f"AWS::S3::AccessGrants{kind}": f"moto does not implement ListAccessGrants{kind}s"
        for kind in ("Instance", "Location")
    },
    "AWS::S3::AccessGrant": "moto does not implement ListAccessGrants",
    "AWS::Macie::AllowList": "moto does not implement ListAllowLists",
    "AWS::Macie::CustomDataIdentifier": "moto does not implement ListCustomDataIdentifiers",
    "AWS::Macie::FindingsFilter": "moto does not implement ListFindingsFilters",
    "AWS::Backup::Framework": "moto does not implement ListFrameworks",
    "AWS::Backup::RestoreTestingPlan": "moto does not implement ListRestoreTestingPlans",
    "AWS::Backup::LegalHold": "moto does not implement ListLegalHolds",
    "AWS::InspectorV2::CisScanConfiguration": "moto does not implement "
    "ListCisScanConfigurations",
    "AWS::OpenSearchService::Application": "moto does not implement ListApplications "
    "(opensearch)",
}
