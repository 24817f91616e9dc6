-- Most connected resources: live edges in and out per resource, the 50 with the most
WITH ends AS (
    SELECT source_arn AS arn, 1 AS outgoing, 0 AS incoming
    FROM resource_links WHERE deleted_at IS NULL
    UNION ALL
    SELECT target_arn, 0, 1 FROM resource_links WHERE deleted_at IS NULL
)
SELECT r.account_id, r.region, r.resource_type, r.arn, r.name,
       sum(e.outgoing) AS outgoing, sum(e.incoming) AS incoming,
       sum(e.outgoing) + sum(e.incoming) AS edges
FROM ends AS e
JOIN resources AS r ON r.arn = e.arn AND r.deleted_at IS NULL
GROUP BY r.account_id, r.region, r.resource_type, r.arn, r.name
ORDER BY edges DESC, r.arn
LIMIT 50
