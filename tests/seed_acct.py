"""Seeders for the types whose calls take the account id as a parameter (QuickSight), in the
style of tests/seed_more.py. ARNs come from moto's answers, never from the registry.

S3 Control's endpoint rules put the account id in front of the host, with an endpoint_url too
(123456789012.127.0.0.1): the seeder's client keeps the endpoint's host as the collector's
does (collector.aws.sessions), so moto answers both."""

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


def seed_s3_control(s: Seeder) -> None:
    from collector.aws.sessions import _no_account_host

    control = s.client("s3control")
    control.meta.events.register("before-sign", _no_account_host)
    s.client("s3").create_bucket(Bucket="seed-ap-bucket")
    made = control.create_access_point(AccountId=ACCOUNT, Name="seed-ap", Bucket="seed-ap-bucket")
    s.add("AWS::S3::AccessPoint", "seed-ap", made["AccessPointArn"], None, "seed-ap")


SEEDERS: tuple[Callable[[Seeder], None], ...] = (seed_quicksight, seed_s3_control)
