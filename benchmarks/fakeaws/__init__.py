"""A fake AWS endpoint fast enough to benchmark an inventory collector against.

``async with FakeAWS(scenario) as fake:`` then point botocore/aiobotocore clients at
``endpoint_url=fake.url``. See ``benchmarks/fakeaws/README.md``.
"""

from .catalog import SPECS, TypeSpec
from .generic import GenericAWS, ListSpec
from .runner import FakeAWSProcess, FakeAWSThread
from .scenario import AccessRule, Account, Bucket, Faults, Scenario
from .server import FakeAWS
from .stats import OpStats, Stats
from .world import World

__all__ = [
    "SPECS",
    "AccessRule",
    "Account",
    "Bucket",
    "FakeAWS",
    "FakeAWSProcess",
    "FakeAWSThread",
    "Faults",
    "GenericAWS",
    "ListSpec",
    "OpStats",
    "Scenario",
    "Stats",
    "TypeSpec",
    "World",
]
