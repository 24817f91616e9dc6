"""The declaration of a resource type: what to call, where the items are, how to read them.

One engine (`collector.engine.fetch`) serves every declaration; a type is data, not code. The few
odd APIs get a small hook (`item_key`, `details`) instead of a new engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Item = dict[str, Any]
ParamsFn = Callable[[Item], dict[str, Any]]
# A field is a JMESPath expression into the item, or a function of the item for the few values
# that must be cut out of another (a queue's name from its URL).
Field = str | Callable[[Item], Any]


@dataclass(frozen=True)
class Grant:
    """An IAM permission a call needs, declared where it is not `<prefix>:<Operation>` on "*"
    (`collector.registry.permissions` derives every other one from the operation's name).

    `resource` is an ARN pattern with `{partition}`, or "*" where IAM has no resource-level
    scoping for the action (most List/Describe calls).
    """

    action: str
    resource: str = "*"


@dataclass(frozen=True)
class Detail:
    """A per-item call for types whose list call is thin (tags, location, full description).

    `params` builds the call's parameters from the item; the value found at `result` (JMESPath
    into the response) is stored in the item under `into`, or merged into it when `into` is
    None and the value is an object. Error codes in `absent_codes` mean "nothing here" (a
    bucket with no tag set) and store `default`. Any other failure of the call costs this
    item's detail fields only: they keep their last stored values (`collector.engine.details`).
    """

    operation: str
    params: ParamsFn
    result: str
    into: str | None
    absent_codes: tuple[str, ...] = ()
    default: Any = None
    # Applied to the value before it is stored (e.g. "EU" -> "eu-west-1").
    transform: Callable[[Any], Any] | None = None
    # Saves the call when the list response already carried the value (S3 BucketRegion).
    skip_if_present: bool = False
    # Saves the call where this JMESPath (into the item, earlier details merged) is truthy:
    # the answer is known to be `default` (AWS-managed KMS keys cannot be tagged). Written as
    # a reason to skip, so that an item whose earlier detail failed is still asked.
    skip_when: str | None = None
    # Sets this parameter to the resource's ARN as the type builds it (an `arn_template`), for
    # tag APIs that want an ARN the list call does not return (Glue, Athena, GuardDuty).
    arn_param: str | None = None
    # Sets this parameter to the scope's account id (S3 Control's tag calls want AccountId).
    account_param: str | None = None
    # The IAM permissions of the call when they are not the derived `<prefix>:<Operation>`;
    # an empty tuple grants nothing (a fallback call the policy deliberately leaves out).
    iam: tuple[Grant, ...] | None = None


@dataclass(frozen=True)
class BatchDetail:
    """A detail call that takes up to `size` items at once (ELB DescribeTags, ECS Describe*).

    `params` builds the call from a chunk of items; `result` (JMESPath into the response) is
    the list of answers, each matched back to its item by `key` (JMESPath into the answer)
    equal to `item_key` (a field of the item). The matched answer, or the value at `value`
    inside it, is stored under `into` (merged when None). An item with no answer keeps
    `default`, or is dropped when `drop_missing` (it was deleted between list and describe).
    """

    operation: str
    params: Callable[[list[Item]], dict[str, Any]]
    size: int
    result: str
    key: str
    item_key: Field
    into: str | None
    value: str | None = None
    default: Any = None
    drop_missing: bool = False
    absent_codes: tuple[str, ...] = ()
    # As Detail.iam.
    iam: tuple[Grant, ...] | None = None


@dataclass(frozen=True)
class ListingDetail:
    """A detail one listing answers for every item of the scope at once (IAM
    GetAccountAuthorizationDetails: a user's groups come as names, their ARNs in the groups'
    listing). The listing (`operation` with `params`, every page) is read once per job, when
    the first page's details are; its entries at `result` (JMESPath into a page) are matched
    to the items by `key` (JMESPath into an entry) equal to `item_key` (a field of the item).
    The entry, or the value at `value` inside it, is stored under `into` (merged when None);
    an item with no entry gets `default`. Where `item_key` gives a list (the names of a user's
    groups), `into` gets the list of their values in the same order, and a name the listing
    lacks (made since it was read) leaves `into` unread, as a failed call does: an edge is
    never guessed nor silently lost. A failed listing leaves `into` unread in every item.
    """

    operation: str
    params: Mapping[str, Any]
    result: str
    key: str
    item_key: Field
    into: str | None
    value: str | None = None
    default: Any = None
    page_size: int | None = None
    # As Detail.iam.
    iam: tuple[Grant, ...] | None = None


Details = Detail | BatchDetail | ListingDetail


@dataclass(frozen=True)
class Link:
    """A relationship: the item references other resources at `path` (JMESPath to an id or
    ARN, or a list of them), of type `target`, and the edge is of `kind` (`in_vpc`,
    `uses_security_group`, ...). An ARN is taken as it is; an id becomes an ARN through
    `template`, or the target type's own `arn_template`, with the source's partition, account
    and region (none for a global target): the one placeholder that is not one of those gets
    the id. `collector.engine.links` turns these into edges; no type has code of its own."""

    kind: str
    target: str
    path: str
    template: str | None = None


@dataclass(frozen=True)
class ResourceType:
    resource_type: str
    service: str
    operation: str
    items: str
    id: Field
    # `arn` (a field) wins when the item has it; else `arn_template` is formatted with the
    # item's top-level keys plus partition, region, account and id.
    arn: Field | None = None
    arn_template: str | None = None
    name: Field | None = None
    tags: str | None = None
    created: str | None = None
    global_: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    # For list calls that return bare strings (table names, queue URLs): wrap each as {key: s}.
    item_key: str | None = None
    details: tuple[Details, ...] = ()
    # JMESPath to the resource's own region when it differs from the scope's (S3 buckets).
    region: str | None = None
    # Sends no page size: moto (and some real APIs) truncate or misbehave when given one.
    page_size: int | None = None
    # The region whose endpoint serves a global service.
    home_region: str = "us-east-1"
    description: str = ""
    # Only items for which this JMESPath is truthy are kept (AWS-owned defaults left out).
    where: str | None = None
    # Top-level fields that change on their own (RDS LatestRestorableTime moves every few
    # minutes): kept in raw, left out of the digest, so they never make a `modified` change.
    volatile: tuple[str, ...] = ()
    # JMESPath to the owning account: items owned by another account are left out, whatever
    # the request filter did (moto ignores OwnerIds=self on DescribeSnapshots).
    owner: str | None = None
    # For list operations botocore has no paginator for: the token member, same name in the
    # request and the response (NextToken, NextMarker), or (request name, response name) where
    # they differ (Lightsail sends pageToken and answers nextPageToken).
    next_token: str | tuple[str, str] | None = None
    # A list parameter that must be the scope's own account id (S3 Control, QuickSight,
    # Budgets: their APIs take the account as a parameter, not from the credentials).
    account_param: str | None = None
    # A child type is listed once per item of its `parent` (a resource_type of the registry)
    # in the same scope: `parent_params` maps each list parameter to a field of the parent
    # item, and is also merged into every child item that lacks those keys (so that details
    # and ARN templates can use the parent's identity). Error codes in `parent_absent_codes`
    # mean the parent vanished meanwhile: no children, not a failure. `recursive` walks a
    # tree: every child is also listed as a parent (organizational units in units).
    parent: str | None = None
    parent_params: Mapping[str, Field] = field(default_factory=dict)
    parent_absent_codes: tuple[str, ...] = ()
    recursive: bool = False
    # Error codes meaning "this type does not apply to this scope" (Organizations APIs outside
    # the management account): the outcome is skipped with the code, never ok-with-zero.
    skip_codes: tuple[str, ...] = ()
    # (code, text in the message) meaning the same where the code alone would also cover real
    # refusals: Macie answers AccessDeniedException "Macie is not enabled" to every call of an
    # account without it, and the same code to a missing permission.
    skip_errors: tuple[tuple[str, str], ...] = ()
    # The IAM permissions of the list call when they are not the derived `<prefix>:<Operation>`
    # on "*" (S3 ListBuckets is s3:ListAllMyBuckets; API Gateway authorizes HTTP verbs on paths).
    iam: tuple[Grant, ...] | None = None
    # What the item references (`Link`): the edges of `resource_links`.
    links: tuple[Link, ...] = ()

    @property
    def short_name(self) -> str:
        return self.resource_type.removeprefix("AWS::")
