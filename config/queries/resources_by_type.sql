-- Live resources per resource type, with the accounts and regions they are found in
SELECT r.resource_type, r.service, count(*) AS resources,
       count(DISTINCT r.account_id) AS accounts, count(DISTINCT r.region) AS regions
FROM resources r
WHERE r.deleted_at IS NULL
GROUP BY r.resource_type, r.service
ORDER BY resources DESC, r.resource_type
