-- (account, region, type) listings that failed in the latest finished run, and why
SELECT s.run_id, s.account_id, a.name AS account_name, s.region, s.resource_type,
       s.error_code, s.error_message
FROM scan_results s
LEFT JOIN accounts a ON a.account_id = s.account_id
WHERE s.run_id = (SELECT max(id) FROM runs WHERE status <> 'running')
  AND s.status = 'error'
ORDER BY s.account_id, s.region, s.resource_type
