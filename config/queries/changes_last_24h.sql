-- Resources created, modified or deleted in the last 24 hours, newest first, with the fields that changed
SELECT c.changed_at, c.change, c.account_id, c.region, c.resource_type, r.resource_id, r.name,
       c.changed_fields, c.run_id, c.arn
FROM resource_changes c
LEFT JOIN resources r ON r.arn = c.arn
CROSS JOIN query_params p
WHERE c.changed_at >= p.since_24h
ORDER BY c.changed_at DESC, c.id DESC
