-- Security group blast radius: the live resources that use each security group, busiest group first
SELECT sg.account_id, sg.region, sg.arn AS security_group, sg.name AS group_name,
       count(*) OVER (PARTITION BY sg.arn) AS users,
       r.resource_type AS used_by_type, r.arn AS used_by, r.name AS used_by_name
FROM resources AS sg
JOIN resource_links AS l
  ON l.target_arn = sg.arn AND l.kind = 'uses_security_group' AND l.deleted_at IS NULL
JOIN resources AS r ON r.arn = l.source_arn AND r.deleted_at IS NULL
WHERE sg.resource_type = 'AWS::EC2::SecurityGroup' AND sg.deleted_at IS NULL
ORDER BY users DESC, security_group, used_by
