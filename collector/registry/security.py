"""Identity and security: ACM, KMS aliases, IAM extras, Cognito, WAFv2, GuardDuty, secrets."""

from __future__ import annotations

from collector.registry._common import (
    KMS_KEY,
    ROLE,
    describe,
    encrypted_with,
    last_segment,
    tags_detail,
)
from collector.registry.base import Detail, Link, ResourceType

_KEY_TYPES = [
    "RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1",
    "EC_secp521r1",
]  # fmt: skip
_WAF_ABSENT = ("WAFNonexistentItemException",)


def _wafv2(name: str, operation: str, items: str) -> ResourceType:
    """Regional WAFv2 entities (CloudFront-scope ones live in us-east-1 under Scope=CLOUDFRONT)."""
    return ResourceType(
        f"AWS::WAFv2::{name}", "wafv2", operation, items, id="Id", arn="ARN", name="Name",
        params={"Scope": "REGIONAL", "Limit": 100}, next_token="NextMarker",
        details=(
            tags_detail("list_tags_for_resource", "ResourceARN", "ARN",
                        "TagInfoForResource.TagList", absent_codes=_WAF_ABSENT, default=[]),
        ),
        tags="Tags",
    )  # fmt: skip


TYPES = (
    # ListCertificates returns only RSA 1024/2048 certificates unless asked for every key type.
    ResourceType(
        "AWS::CertificateManager::Certificate", "acm", "list_certificates",
        "CertificateSummaryList[]", id=last_segment("/", "CertificateArn"),
        arn="CertificateArn", name="DomainName", created="CreatedAt",
        params={"Includes": {"keyTypes": _KEY_TYPES}}, page_size=1000,
        details=(tags_detail("list_tags_for_certificate", "CertificateArn", "CertificateArn"),),
        tags="Tags",
    ),
    # AWS-managed aliases (alias/aws/...) exist in every region; only the account's own.
    ResourceType(
        "AWS::KMS::Alias", "kms", "list_aliases", "Aliases[]", id="AliasName", arn="AliasArn",
        name="AliasName", created="CreationDate", page_size=100,
        where="!starts_with(AliasName, 'alias/aws/')",
        links=(
            Link("alias_of", KMS_KEY, "TargetKeyId",
                 "arn:{partition}:kms:{region}:{account}:key/{KeyId}"),
        ),
    ),
    ResourceType(
        "AWS::SecretsManager::Secret", "secretsmanager", "list_secrets", "SecretList[]",
        id="Name", arn="ARN", name="Name", tags="Tags", created="CreatedDate", page_size=100,
        links=(
            encrypted_with("KmsKeyId"),
            Link("rotated_by", "AWS::Lambda::Function", "RotationLambdaARN"),
        ),
    ),
    # Metadata only: DescribeParameters never returns values. Older endpoints (and moto) leave
    # out its ARN: then GetParameter supplies it, and only the ARN is kept from the answer.
    ResourceType(
        "AWS::SSM::Parameter", "ssm", "describe_parameters", "Parameters[]", id="Name",
        arn="ARN", name="Name", page_size=50,
        details=(
            # Only for list answers without an ARN (moto's); AWS's DescribeParameters has it.
            # GetParameter reads the value (a String parameter's in clear), which an
            # inventory never needs: the policy leaves it out.
            Detail("get_parameter", lambda i: {"Name": i["Name"], "WithDecryption": False},
                   "Parameter.ARN", into="ARN", skip_if_present=True, iam=()),
            tags_detail("list_tags_for_resource", "ResourceId", "Name", "TagList",
                        extra={"ResourceType": "Parameter"}),
        ),
        tags="Tags",
        links=(
            encrypted_with("KeyId"),
        ),
    ),
    ResourceType(
        "AWS::IAM::InstanceProfile", "iam", "list_instance_profiles", "InstanceProfiles[]",
        id="InstanceProfileName", arn="Arn", name="InstanceProfileName", created="CreateDate",
        global_=True, page_size=1000,
        details=(tags_detail("list_instance_profile_tags", "InstanceProfileName",
                             "InstanceProfileName"),),
        tags="Tags",
        links=(
            Link("contains_role", ROLE, "Roles[].Arn"),
        ),
    ),
    ResourceType(
        "AWS::IAM::OIDCProvider", "iam", "list_open_id_connect_providers",
        "OpenIDConnectProviderList[]", id=last_segment("oidc-provider/", "Arn"), arn="Arn",
        name="Url", created="CreateDate", global_=True,
        details=(
            Detail("get_open_id_connect_provider",
                   lambda i: {"OpenIDConnectProviderArn": i["Arn"]},
                   "{Url: Url, ClientIDList: ClientIDList, ThumbprintList: ThumbprintList, "
                   "CreateDate: CreateDate, Tags: Tags}", into=None),
        ),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IAM::SAMLProvider", "iam", "list_saml_providers", "SAMLProviderList[]",
        id=last_segment("/", "Arn"), arn="Arn", name=last_segment("/", "Arn"),
        created="CreateDate", global_=True,
        details=(tags_detail("list_saml_provider_tags", "SAMLProviderArn", "Arn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IAM::ServerCertificate", "iam", "list_server_certificates",
        "ServerCertificateMetadataList[]", id="ServerCertificateName", arn="Arn",
        name="ServerCertificateName", created="UploadDate", global_=True, page_size=1000,
        details=(tags_detail("list_server_certificate_tags", "ServerCertificateName",
                             "ServerCertificateName"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IAM::VirtualMFADevice", "iam", "list_virtual_mfa_devices", "VirtualMFADevices[]",
        id=last_segment("/", "SerialNumber"), arn="SerialNumber", created="EnableDate",
        global_=True, page_size=1000,
        details=(tags_detail("list_mfa_device_tags", "SerialNumber", "SerialNumber"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Cognito::UserPool", "cognito-idp", "list_user_pools", "UserPools[]", id="Id",
        arn="Arn", name="Name", created="CreationDate", tags="UserPoolTags",
        params={"MaxResults": 60}, page_size=60,
        details=(describe("describe_user_pool", "UserPoolId", "Id", "UserPool"),),
    ),
    ResourceType(
        "AWS::Cognito::IdentityPool", "cognito-identity", "list_identity_pools",
        "IdentityPools[]", id="IdentityPoolId", name="IdentityPoolName",
        arn_template="arn:{partition}:cognito-identity:{region}:{account}:identitypool/{id}",
        params={"MaxResults": 60}, page_size=60, tags="IdentityPoolTags",
        details=(
            Detail("describe_identity_pool", lambda i: {"IdentityPoolId": i["IdentityPoolId"]},
                   "IdentityPoolTags", into="IdentityPoolTags", default={}),
        ),
    ),
    _wafv2("WebACL", "list_web_acls", "WebACLs[]"),
    _wafv2("IPSet", "list_ip_sets", "IPSets[]"),
    _wafv2("RuleGroup", "list_rule_groups", "RuleGroups[]"),
    _wafv2("RegexPatternSet", "list_regex_pattern_sets", "RegexPatternSets[]"),
    ResourceType(
        "AWS::GuardDuty::Detector", "guardduty", "list_detectors", "DetectorIds[]",
        item_key="DetectorId", id="DetectorId",
        arn_template="arn:{partition}:guardduty:{region}:{account}:detector/{DetectorId}",
        created="CreatedAt", tags="Tags", page_size=50,
        details=(
            Detail("get_detector", lambda i: {"DetectorId": i["DetectorId"]},
                   "{CreatedAt: CreatedAt, Status: Status, Tags: Tags, "
                   "FindingPublishingFrequency: FindingPublishingFrequency, "
                   "DataSources: DataSources, Features: Features}", into=None),
        ),
    ),
)  # fmt: skip
