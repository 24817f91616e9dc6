"""Why a run could not start (each maps to an exit code in the CLI)."""


class CannotRun(Exception):
    """The run could not start at all (no credentials, database unreachable): exit 3."""


class UsageError(Exception):
    """Options that do not work together, or not with this database: exit 2."""
