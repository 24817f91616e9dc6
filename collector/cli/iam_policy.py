"""`inventory iam-policy`: the least-privilege IAM policies for the types a config selects."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from collector.cli.common import ConfigOption, config_failed, fail, load_config
from collector.config import ConfigError
from collector.exitcodes import EXIT_USAGE

FORMATS = ("json", "cloudformation", "terraform", "markdown")
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def iam_policy(
    config: ConfigOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json (the policies), cloudformation (a StackSet-ready template), "
            "terraform (HCL) or markdown (docs/permissions.md).",
        ),
    ] = "json",
    partition: Annotated[
        str, typer.Option("--partition", help="aws, aws-cn or aws-us-gov (in ARNs).")
    ] = "aws",
) -> None:
    """Print the least-privilege IAM policies (and the role to deploy) for the configured types."""
    from collector.aws.policy import build
    from collector.aws.policy_templates import as_json, cloudformation, markdown, terraform
    from collector.engine.plan import choose_types

    if fmt not in FORMATS:
        raise fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if partition not in PARTITIONS:
        raise fail(EXIT_USAGE, f"--partition must be one of {', '.join(PARTITIONS)}")
    cfg = load_config(config)
    try:
        types = choose_types(cfg)
    except ConfigError as e:
        raise config_failed(config or "config", e) from None
    policies = build(cfg, types, partition=partition)
    if fmt == "json":
        text = json.dumps(as_json(policies), indent=2) + "\n"
    elif fmt == "cloudformation":
        text = json.dumps(cloudformation(policies), indent=2) + "\n"
    elif fmt == "terraform":
        text = terraform(policies)
    else:
        given = f" --config {config}" if config else ""
        command = f"inventory iam-policy{given} --format markdown"
        text = markdown(policies, types, command)
    sys.stdout.write(text)
