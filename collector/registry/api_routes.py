"""API Gateway's routing pieces (issue 17, CloudFormation-only types): what an API does with a
request (routes, integrations, authorizers), how it reaches private networks (VPC links) and
which custom domain serves it (API mappings), plus the client certificates REST APIs present
to their backends.

API Gateway ARNs carry no account: arn:aws:apigateway:<region>::/apis/<id>/routes/<id>.
"""

from __future__ import annotations

from collector.registry._common import joined, role
from collector.registry.base import Grant, Item, Link, ResourceType

_ARN = "arn:{partition}:apigateway:{region}::"
_V2_API, _REST_API = "AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi"


def _get(path: str) -> tuple[Grant, ...]:
    """API Gateway authorizes HTTP verbs on resource paths, not operations (GetRoutes is
    apigateway:GET on /apis/<id>/routes): scoped to the listed path."""
    return (Grant("apigateway:GET", "arn:{partition}:apigateway:*::" + path),)


def _v2_child(kind: str, operation: str, path: str, id_member: str, **extra: object) -> ResourceType:
    """A child of an HTTP or WebSocket API, unique within its API (CloudFormation's
    primaryIdentifier is ApiId plus the child's own id)."""
    return ResourceType(
        f"AWS::ApiGatewayV2::{kind}", "apigatewayv2", operation, "Items[]",
        id=joined("ApiId", id_member), iam=_get(f"/apis/*/{path}"),
        arn_template=_ARN + f"/apis/{{ApiId}}/{path}/{{{id_member}}}", page_size=500,
        parent=_V2_API, parent_params={"ApiId": "ApiId"},
        parent_absent_codes=("NotFoundException",),
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _authorizer_id(item: Item) -> str:
    """restApiId/authorizers/id"""
    return f"{item['restApiId']}/authorizers/{item['id']}"


TYPES = (
    _v2_child(
        "Route", "get_routes", "routes", "RouteId", name="RouteKey",
        links=(Link("member_of", _V2_API, "ApiId"),),
    ),
    _v2_child(
        "Integration", "get_integrations", "integrations", "IntegrationId", name="Description",
        links=(
            Link("member_of", _V2_API, "ApiId"),
            role("CredentialsArn"),
            Link("invokes", "AWS::Lambda::Function",
                 "[IntegrationUri][?starts_with(@, 'arn:') && contains(@, ':function:')]"),
        ),
    ),
    _v2_child(
        "Authorizer", "get_authorizers", "authorizers", "AuthorizerId", name="Name",
        links=(Link("member_of", _V2_API, "ApiId"),
               role("AuthorizerCredentialsArn")),
    ),
    ResourceType(
        # No paginator in botocore; the answer carries its tags (a map).
        "AWS::ApiGatewayV2::VpcLink", "apigatewayv2", "get_vpc_links", "Items[]",
        id="VpcLinkId", iam=_get("/vpclinks"),
        arn_template=_ARN + "/vpclinks/{VpcLinkId}", name="Name", created="CreatedDate",
        tags="Tags", next_token="NextToken",
        links=(
            Link("in_subnet", "AWS::EC2::Subnet", "SubnetIds"),
            Link("uses_security_group", "AWS::EC2::SecurityGroup", "SecurityGroupIds"),
        ),
    ),
    ResourceType(
        # HTTP and REST APIs share one set of custom domain names: GetDomainNames of either API
        # lists them all, so the mappings hang off the REST API's AWS::ApiGateway::DomainName
        # (listing ApiGatewayV2::DomainName too would give every domain twice, same ARN).
        "AWS::ApiGatewayV2::ApiMapping", "apigatewayv2", "get_api_mappings", "Items[]",
        id=joined("DomainName", "ApiMappingId"), iam=_get("/domainnames/*/apimappings"),
        arn_template=_ARN + "/domainnames/{DomainName}/apimappings/{ApiMappingId}",
        name="ApiMappingKey", next_token="NextToken",
        parent="AWS::ApiGateway::DomainName", parent_params={"DomainName": "domainName"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("maps_to", _V2_API, "ApiId"),
            Link("served_by", "AWS::ApiGateway::DomainName", "DomainName"),
        ),
    ),
    ResourceType(
        # The item's own `id` is taken by the template's {id} (the resource id), so the id is
        # the ARN's path below /restapis/: <restApiId>/authorizers/<id>.
        "AWS::ApiGateway::Authorizer", "apigateway", "get_authorizers", "items[]",
        id=_authorizer_id, iam=_get("/restapis/*/authorizers"),
        arn_template=_ARN + "/restapis/{id}", name="name",
        page_size=500, parent=_REST_API, parent_params={"restApiId": "id"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("member_of", _REST_API, "restApiId"),
            role("authorizerCredentials"),
            Link("uses_user_pool", "AWS::Cognito::UserPool", "providerARNs"),
        ),
    ),
    ResourceType(
        "AWS::ApiGateway::VpcLink", "apigateway", "get_vpc_links", "items[]", id="id",
        iam=_get("/vpclinks"), arn_template=_ARN + "/vpclinks/{id}", name="name",
        tags="tags", page_size=500,
        links=(Link("targets", "AWS::ElasticLoadBalancingV2::LoadBalancer", "targetArns"),),
    ),
    ResourceType(
        # The certificate is public (pemEncodedCertificate); its private key never leaves AWS.
        "AWS::ApiGateway::ClientCertificate", "apigateway", "get_client_certificates",
        "items[]", id="clientCertificateId", iam=_get("/clientcertificates"),
        arn_template=_ARN + "/clientcertificates/{clientCertificateId}",
        name="description", created="createdDate", tags="tags", page_size=500,
    ),
)  # fmt: skip


NOT_IN_MOTO: dict[str, str] = {
    "AWS::ApiGatewayV2::Authorizer": "moto does not implement GetAuthorizers (apigatewayv2)",
    "AWS::ApiGateway::ClientCertificate": "moto does not implement GenerateClientCertificate/"
    "GetClientCertificates",
}
