-- Resources in each VPC: placed there directly (in_vpc) or through a subnet they sit in
WITH placed AS (
    SELECT l.source_arn AS arn, l.target_arn AS vpc
    FROM resource_links AS l
    WHERE l.kind = 'in_vpc' AND l.deleted_at IS NULL
    UNION
    SELECT s.source_arn, v.target_arn
    FROM resource_links AS s
    JOIN resource_links AS v
      ON v.source_arn = s.target_arn AND v.kind = 'in_vpc' AND v.deleted_at IS NULL
    WHERE s.kind = 'in_subnet' AND s.deleted_at IS NULL
)
SELECT p.vpc, r.account_id, r.region, r.resource_type, r.arn, r.name
FROM placed AS p
JOIN resources AS r ON r.arn = p.arn AND r.deleted_at IS NULL
ORDER BY p.vpc, r.resource_type, r.arn
