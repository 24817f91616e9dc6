-- Live resources of taggable types missing a tag of [report] required_tags: one row per missing tag
SELECT r.account_id, r.region, r.resource_type, r.resource_id, r.name, q.key AS missing_tag
FROM resources r
JOIN resource_types t ON t.resource_type = r.resource_type AND t.taggable = 1
CROSS JOIN required_tags q
WHERE r.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM resource_tags g WHERE g.arn = r.arn AND g.key = q.key)
ORDER BY r.account_id, r.region, r.resource_type, r.resource_id, q.key
