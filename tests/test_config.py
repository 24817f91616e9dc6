from __future__ import annotations

from pathlib import Path

import pytest

from collector.config import ConfigError, load, parse


def problems(data: dict[str, object]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(data)
    return info.value.problems


def test_defaults_need_no_file() -> None:
    cfg = load(None)
    assert cfg.database.url == "sqlite:///inventory.db"
    assert cfg.accounts.source == "current"
    assert cfg.regions.include == ["enabled"]
    assert cfg.resources.include == ["*"]


def test_unknown_key_suggests_the_right_one() -> None:
    assert problems({"acounts": {}}) == [
        "unknown key 'acounts' in the top level; did you mean 'accounts'?"
    ]
    [line] = problems({"accounts": {"rol_name": "x"}})
    assert "'rol_name'" in line and "did you mean 'role_name'" in line


def test_bad_value_names_key_value_and_allowed() -> None:
    [line] = problems({"accounts": {"source": "org"}})
    assert line.startswith("[accounts] source:")
    assert "'organizations'" in line and "'org'" in line


def test_account_ids_are_checked() -> None:
    [line] = problems({"accounts": {"source": "list", "list": ["12345"]}})
    assert "'12345' is not a 12-digit AWS account id" in line
    [line] = problems({"accounts": {"include": ["prod"]}})
    assert "'prod'" in line and "OU id" in line


def test_list_source_needs_accounts() -> None:
    [line] = problems({"accounts": {"source": "list"}})
    assert 'source = "list" needs accounts.list' in line


def test_list_entries_accept_ids_and_tables() -> None:
    cfg = parse(
        {
            "accounts": {
                "source": "list",
                "list": [
                    "111122223333",
                    {"id": "444455556666", "role_arn": "arn:aws:iam::444455556666:role/Audit"},
                    {"id": "777788889999", "profile": "prod"},
                ],
            }
        }
    )
    entries = cfg.accounts.entries()
    assert [e.id for e in entries] == ["111122223333", "444455556666", "777788889999"]
    assert entries[1].role_arn == "arn:aws:iam::444455556666:role/Audit"
    assert entries[2].profile == "prod"


def test_numbers_are_bounded() -> None:
    [line] = problems({"aws": {"max_attempts": 0}})
    assert line == "[aws] max_attempts: Input should be greater than or equal to 1 (got 0)"


def test_malformed_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[accounts\nsource = 1\n")
    with pytest.raises(ConfigError) as info:
        load(bad)
    assert info.value.problems[0].startswith("not valid TOML")
    with pytest.raises(ConfigError) as info:
        load(tmp_path / "nope.toml")
    assert info.value.problems == ["file not found"]


def test_example_configs_are_valid() -> None:
    root = Path(__file__).resolve().parent.parent / "config"
    files = sorted(root.glob("*.toml"))
    assert {f.name for f in files} >= {"example.toml", "demo.toml"}
    for f in files:
        load(f)
