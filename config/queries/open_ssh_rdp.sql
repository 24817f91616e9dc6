-- Security groups that let the whole internet (0.0.0.0/0 or ::/0) reach SSH (22) or RDP (3389)
SELECT g.account_id, g.region, g.group_id, g.group_name, g.vpc_id,
       CASE
         WHEN g.protocol = '-1' THEN 'all traffic'
         WHEN g.from_port <= 22 AND g.to_port >= 22
              AND g.from_port <= 3389 AND g.to_port >= 3389 THEN 'SSH and RDP'
         WHEN g.from_port <= 22 AND g.to_port >= 22 THEN 'SSH'
         ELSE 'RDP'
       END AS exposed,
       g.protocol, g.from_port, g.to_port, g.source
FROM ec2_security_group_rules g
WHERE g.direction = 'ingress'
  AND g.source IN ('0.0.0.0/0', '::/0')
  AND (g.protocol = '-1'
       OR (g.protocol IN ('tcp', '6')
           AND ((g.from_port <= 22 AND g.to_port >= 22)
                OR (g.from_port <= 3389 AND g.to_port >= 3389))))
ORDER BY g.account_id, g.region, g.group_id, g.source
