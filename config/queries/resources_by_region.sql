-- Live resources per region (global = IAM, Route 53 and other global services)
SELECT r.region, count(*) AS resources, count(DISTINCT r.account_id) AS accounts,
       count(DISTINCT r.resource_type) AS types
FROM resources r
WHERE r.deleted_at IS NULL
GROUP BY r.region
ORDER BY resources DESC, r.region
