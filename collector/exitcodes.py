"""Exit codes of `inventory collect` (a contract: cron wrappers depend on them)."""

EXIT_OK = 0
EXIT_PARTIAL = 1  # some scopes failed; see scan_results
EXIT_USAGE = 2  # bad options or config
EXIT_CANNOT_RUN = 3  # no credentials, database unreachable
EXIT_LOCKED = 75  # another run holds the lock (EX_TEMPFAIL)
EXIT_TERMINATED = 143  # stopped by SIGTERM (128 + 15, as a shell reports it); run interrupted
