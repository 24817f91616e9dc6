from __future__ import annotations

from collector.engine.fetch import _items_of
from collector.registry import REGISTRY


def test_snapshots_owned_by_other_accounts_are_left_out() -> None:
    # moto ignores OwnerIds=self and returns public snapshots; real AWS honours it. Either way
    # only the account's own snapshots are its inventory.
    page = {
        "Snapshots": [
            {"SnapshotId": "snap-mine", "OwnerId": "111122223333"},
            {"SnapshotId": "snap-amazon", "OwnerId": "801119661308"},
            {"SnapshotId": "snap-no-owner-field"},
        ]
    }
    items = _items_of(REGISTRY["AWS::EC2::Snapshot"], page, {}, "111122223333")
    assert [i["SnapshotId"] for i in items if i] == ["snap-mine", "snap-no-owner-field"]
    # Types without an owner field keep everything.
    vpcs = _items_of(REGISTRY["AWS::EC2::VPC"], {"Vpcs": [{"VpcId": "v", "OwnerId": "x"}]}, {}, "1")
    assert [i["VpcId"] for i in vpcs if i] == ["v"]
