-- EBS volumes attached to nothing (state available): paid for, used by nobody
SELECT v.account_id, v.region, v.volume_id, v.name, v.volume_type, v.size_gib,
       v.encrypted, v.create_time, v.snapshot_id
FROM ec2_volumes v
WHERE v.state = 'available'
ORDER BY v.size_gib DESC, v.account_id, v.region, v.volume_id
