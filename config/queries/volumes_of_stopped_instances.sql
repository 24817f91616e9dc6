-- EBS volumes attached to stopped instances: storage paid for while nothing runs
SELECT i.account_id, i.region, i.instance_id, i.name AS instance_name, v.arn AS volume,
       v.name AS volume_name
FROM ec2_instances AS i
JOIN resource_links AS l
  ON l.source_arn = i.arn AND l.kind = 'attached_volume' AND l.deleted_at IS NULL
JOIN resources AS v ON v.arn = l.target_arn AND v.deleted_at IS NULL
WHERE i.state = 'stopped'
ORDER BY i.account_id, i.region, i.instance_id, volume
