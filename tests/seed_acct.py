"""Seeders for the types whose calls take the account id as a parameter (QuickSight), in the
style of tests/seed_more.py. ARNs come from moto's answers, never from the registry.

S3 Control's types cannot be served here: with an endpoint_url, botocore's S3 Control
endpoint rules put the account id in front of the host (123456789012.127.0.0.1), which a
local moto server cannot answer (see NOT_IN_MOTO in collector/registry/s3_more.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.seed_more import ACCOUNT, Seeder, tag_list, tags


def seed_quicksight(s: Seeder) -> None:
    t = tags(0, "quicksight")
    source = s.client("quicksight").create_data_source(
        AwsAccountId=ACCOUNT, DataSourceId="seed-source", Name="seed source", Type="ATHENA",
        DataSourceParameters={"AthenaParameters": {"WorkGroup": "primary"}}, Tags=tag_list(t),
    )  # fmt: skip
    s.add("AWS::QuickSight::DataSource", "seed-source", source["Arn"], t, "seed source")


SEEDERS: tuple[Callable[[Seeder], None], ...] = (seed_quicksight,)
