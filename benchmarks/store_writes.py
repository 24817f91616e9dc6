"""Store throughput: N new records, the same N again unchanged, then N modified (seconds of
wall and of this process's CPU). Each record has the edges of an EC2 instance (its VPC,
subnet, security group and key pair), as a real record does.

    python -m benchmarks.store_writes sqlite:////tmp/bench.db 20000
    python -m benchmarks.store_writes postgresql://postgres@127.0.0.1:5432/bench 20000

Use an empty database: the first pass must find every ARN new.
"""

from __future__ import annotations

import asyncio
import sys
import time

from collector.records import Edge, Record, ScanResult, Status
from collector.store import Store, make_engine, upgrade
from collector.store.rawjson import jsonable

ACCOUNT = "111111111111"
REGION = "us-east-1"
TYPE = "AWS::EC2::Instance"


def record(n: int, version: int) -> Record:
    ident = f"i-{n:08d}"
    return Record(
        arn=f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{ident}",
        account_id=ACCOUNT,
        region=REGION,
        scope_region=REGION,
        service="ec2",
        resource_type=TYPE,
        resource_id=ident,
        name=ident,
        tags={"Name": ident, "env": "prod", "v": str(version)},
        created_at=None,
        # As normalize makes it: the raw item carries its canonical JSON text.
        raw=jsonable(
            {"InstanceId": ident, "State": {"Name": "running"}, "v": version, "pad": "x" * 200}
        )[0],
        digest=f"{n:032d}{version:032d}",
        links=(
            Edge("in_vpc", f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-{n % 7:08d}", "AWS::EC2::VPC"),
            Edge("in_subnet", f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/subnet-{n % 21:08d}",
                 "AWS::EC2::Subnet"),
            Edge("uses_security_group", f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-{n % 50:08d}",
                 "AWS::EC2::SecurityGroup"),
            Edge("uses_key_pair", f"arn:aws:ec2:{REGION}:{ACCOUNT}:key-pair/key-{n % 3}", "AWS::EC2::KeyPair"),
        ),
    )


async def main(url: str, count: int) -> list[tuple[float, float]]:
    engine = make_engine(url)
    await upgrade(engine)
    seconds = []
    try:
        for version in (0, 0, 1):  # new, unchanged, modified
            store = Store(engine, batch_size=1000)
            run_id = await store.start_run(config_summary={})
            started, cpu = time.perf_counter(), time.process_time()
            async with store:
                for n in range(count):
                    await store.put(record(n, version))
                await store.put_result(
                    ScanResult(ACCOUNT, REGION, TYPE, "ec2", Status.OK, item_count=count)
                )
            seconds.append(
                (round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2))
            )
            await store.finish_run(run_id, "succeeded")
    finally:
        await engine.dispose()
    return seconds


if __name__ == "__main__":
    new, unchanged, modified = asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    print(f"(wall s, CPU s): new {new}, unchanged {unchanged}, modified {modified}")
