-- Accounts not collected recently: no successful listing for [report] stale_after_days (default 7), or never
SELECT a.account_id, a.name, a.status, ok.last_ok_at, ok.last_ok_run_id, a.last_seen_at
FROM accounts a
LEFT JOIN (
  SELECT s.account_id, max(u.started_at) AS last_ok_at, max(u.id) AS last_ok_run_id
  FROM scan_results s
  JOIN runs u ON u.id = s.run_id
  WHERE s.status = 'ok'
  GROUP BY s.account_id
) ok ON ok.account_id = a.account_id
CROSS JOIN query_params p
WHERE ok.last_ok_at IS NULL OR ok.last_ok_at < p.stale_before
ORDER BY ok.last_ok_at, a.account_id
