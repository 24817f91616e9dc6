-- Live resources per account, with the account's name and how many types and regions they span
SELECT r.account_id, a.name AS account_name, count(*) AS resources,
       count(DISTINCT r.resource_type) AS types, count(DISTINCT r.region) AS regions
FROM resources r
LEFT JOIN accounts a ON a.account_id = r.account_id
WHERE r.deleted_at IS NULL
GROUP BY r.account_id, a.name
ORDER BY resources DESC, r.account_id
