-- S3 buckets that look public from what was collected: public policy, public access block off, or named/tagged public
SELECT b.account_id, b.bucket_region AS region, b.bucket_name,
       CASE
         WHEN b.policy_is_public IS TRUE THEN 'bucket policy is public'
         WHEN b.block_public_acls IS FALSE OR b.ignore_public_acls IS FALSE
              OR b.block_public_policy IS FALSE OR b.restrict_public_buckets IS FALSE
           THEN 'public access block not fully on'
         WHEN EXISTS (SELECT 1 FROM resource_tags t WHERE t.arn = b.arn
                      AND lower(t.key) IN ('public', 'access', 'exposure', 'visibility')
                      AND lower(t.value) IN ('public', 'true', 'yes', 'internet'))
           THEN 'tagged as public'
         ELSE 'named like a public bucket'
       END AS why,
       b.creation_date
FROM s3_buckets b
WHERE b.policy_is_public IS TRUE
   OR b.block_public_acls IS FALSE OR b.ignore_public_acls IS FALSE
   OR b.block_public_policy IS FALSE OR b.restrict_public_buckets IS FALSE
   OR EXISTS (SELECT 1 FROM resource_tags t WHERE t.arn = b.arn
              AND lower(t.key) IN ('public', 'access', 'exposure', 'visibility')
              AND lower(t.value) IN ('public', 'true', 'yes', 'internet'))
   OR lower(b.bucket_name) LIKE '%public%' OR lower(b.bucket_name) LIKE '%www%'
   OR lower(b.bucket_name) LIKE '%website%' OR lower(b.bucket_name) LIKE '%static%'
   OR lower(b.bucket_name) LIKE '%cdn%'
ORDER BY b.account_id, b.bucket_name
