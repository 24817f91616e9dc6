"""Backup recovery points and report plans, Service Catalog portfolios, products and
provisioned products, Budgets actions."""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, encrypted_with, joined, role, tags_detail
from collector.registry.base import Detail, Link, ResourceType

TYPES = (
    # Every recovery point of every vault: AWS Config records them; no template makes them.
    ResourceType(
        "AWS::Backup::RecoveryPoint", "backup", "list_recovery_points_by_backup_vault",
        "RecoveryPoints[]", id="RecoveryPointArn", arn="RecoveryPointArn",
        name="ResourceName", created="CreationDate", parent="AWS::Backup::BackupVault",
        parent_params={"BackupVaultName": "BackupVaultName"},
        parent_absent_codes=("ResourceNotFoundException",),
        links=(
            Link("member_of", "AWS::Backup::BackupVault", "BackupVaultArn"),
            encrypted_with("EncryptionKeyArn"),
            role("IamRoleArn", "created_with_role"),
        ),
    ),
    ResourceType(
        "AWS::Backup::ReportPlan", "backup", "list_report_plans", "ReportPlans[]",
        id="ReportPlanName", arn="ReportPlanArn", name="ReportPlanName",
        created="CreationTime", next_token="NextToken",
        details=(tags_detail("list_tags", "ResourceArn", "ReportPlanArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::ServiceCatalog::Portfolio", "servicecatalog", "list_portfolios",
        "PortfolioDetails[]", id="Id", arn="ARN", name="DisplayName", created="CreatedTime",
        details=(tags_detail("describe_portfolio", "Id", "Id"),), tags="Tags",
    ),
    # The products the account administers, CloudFormation ones only (not Terraform or
    # Marketplace products, which are other types).
    ResourceType(
        "AWS::ServiceCatalog::CloudFormationProduct", "servicecatalog",
        "search_products_as_admin", "ProductViewDetails[]", id="ProductViewSummary.ProductId",
        arn="ProductARN", name="ProductViewSummary.Name", created="CreatedTime",
        where="ProductViewSummary.Type == 'CLOUD_FORMATION_TEMPLATE'",
        details=(
            Detail("describe_product_as_admin",
                   lambda i: {"Id": i["ProductViewSummary"]["ProductId"]}, "Tags", into="Tags",
                   absent_codes=("ResourceNotFoundException",), default=[]),
        ),
        tags="Tags",
    ),
    # Every provisioned product of the account, not only the caller's (AccessLevelFilter).
    # SearchProvisionedProducts, not ScanProvisionedProducts: only it returns the tags. It
    # has no LaunchRoleArn, so the product's launch role is not an edge any more.
    ResourceType(
        "AWS::ServiceCatalog::CloudFormationProvisionedProduct", "servicecatalog",
        "search_provisioned_products", "ProvisionedProducts[]", id="Id", arn="Arn",
        name="Name", created="CreatedTime", where="Type == 'CFN_STACK'", tags="Tags",
        params={"AccessLevelFilter": {"Key": "Account", "Value": "self"}},
        next_token=("PageToken", "NextPageToken"),
    ),
    # Budgets is global (us-east-1); its actions are listed for the whole account at once.
    ResourceType(
        "AWS::Budgets::BudgetsAction", "budgets", "describe_budget_actions_for_account",
        "Actions[]", id=joined("BudgetName", "ActionId"),
        arn_template="arn:{partition}:budgets::{account}:budget/{BudgetName}/action/{ActionId}",
        account_param="AccountId", global_=True,
        details=(arn_tags_detail("list_tags_for_resource", "ResourceARN", "ResourceTags"),),
        tags="Tags", links=(role("ExecutionRoleArn", "executes_with_role"),),
    ),
)  # fmt: skip

NOT_COLLECTED = {
    "AWS::Backup::BackupSelection": "has no ARN (AWS documents none; ListBackupSelections per "
    "plan); needs engine support for resources without an ARN",
    "AWS::SSM::AssociationCompliance": "compliance data of managed instances, not a resource",
    "AWS::SSM::PatchCompliance": "compliance data of managed instances, not a resource",
    "AWS::SSM::FileData": "inventory data gathered on managed instances, not a resource",
    "AWS::SSM::ManagedInstanceInventory": "inventory data gathered on managed instances, not "
    "a resource (the instances are AWS::EC2::Instance)",
}

NOT_IN_MOTO = {
    "AWS::Backup::RecoveryPoint": "moto does not implement ListRecoveryPointsByBackupVault",
    "AWS::Backup::ReportPlan": "moto's ListTags does not know report plans' tags",
    "AWS::ServiceCatalog::CloudFormationProduct": (
        "moto does not implement SearchProductsAsAdmin/DescribeProductAsAdmin"
    ),
    "AWS::ServiceCatalog::CloudFormationProvisionedProduct": (
        "moto does not implement SearchProvisionedProducts"
    ),
    "AWS::Budgets::BudgetsAction": "moto does not implement DescribeBudgetActionsForAccount",
}
