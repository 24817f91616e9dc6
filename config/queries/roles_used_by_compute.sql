-- IAM roles used by compute (Lambda, ECS, EKS, Glue, CodeBuild, ... and EC2 through instance profiles)
SELECT l.target_arn AS role_arn, l.kind AS how, r.resource_type AS used_by_type,
       r.arn AS used_by, r.name AS used_by_name
FROM resource_links AS l
JOIN resources AS r ON r.arn = l.source_arn AND r.deleted_at IS NULL
WHERE l.deleted_at IS NULL AND l.target_type = 'AWS::IAM::Role'
  AND l.kind <> 'contains_role'
UNION ALL
SELECT p.target_arn, 'instance_profile', r.resource_type, r.arn, r.name
FROM resource_links AS i
JOIN resource_links AS p
  ON p.source_arn = i.target_arn AND p.kind = 'contains_role' AND p.deleted_at IS NULL
JOIN resources AS r ON r.arn = i.source_arn AND r.deleted_at IS NULL
WHERE i.kind = 'has_instance_profile' AND i.deleted_at IS NULL
ORDER BY 1, 3, 4, 2
