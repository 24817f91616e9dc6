-- EC2 instances that are stopped or stopping, with why and since when AWS says so
SELECT i.account_id, i.region, i.instance_id, i.name, i.instance_type, i.state,
       i.state_reason, i.launch_time
FROM ec2_instances i
WHERE i.state IN ('stopped', 'stopping')
ORDER BY i.account_id, i.region, i.instance_id
