-- RDS instances reachable from outside their VPC (PubliclyAccessible), and whether storage is encrypted
SELECT d.account_id, d.region, d.db_instance_identifier, d.engine, d.engine_version,
       d.instance_class, d.endpoint_address, d.endpoint_port, d.storage_encrypted
FROM rds_instances d
WHERE d.publicly_accessible IS TRUE
ORDER BY d.account_id, d.region, d.db_instance_identifier
