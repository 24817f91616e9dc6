-- Dangling references: live resources pointing at something deleted or never collected ("uses a deleted security group")
SELECT d.reason, r.account_id, r.region, r.resource_type AS source_type, d.source_arn,
       d.kind, d.target_type, d.target_arn, d.target_deleted_at
FROM resource_links_dangling AS d
JOIN resources AS r ON r.arn = d.source_arn AND r.deleted_at IS NULL
ORDER BY d.reason, d.target_type, d.source_arn, d.kind, d.target_arn
