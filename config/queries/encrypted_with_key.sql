-- Everything encrypted with each KMS key: what breaks if the key is disabled or deleted
SELECT l.target_arn AS kms_key,
       CASE WHEN k.arn IS NULL THEN 'not_collected'
            WHEN k.deleted_at IS NOT NULL THEN 'deleted' ELSE 'live' END AS key_state,
       r.account_id, r.region, r.resource_type, r.arn, r.name
FROM resource_links AS l
JOIN resources AS r ON r.arn = l.source_arn AND r.deleted_at IS NULL
LEFT JOIN resources AS k ON k.arn = l.target_arn
WHERE l.kind = 'encrypted_with' AND l.deleted_at IS NULL
ORDER BY kms_key, r.resource_type, r.arn
