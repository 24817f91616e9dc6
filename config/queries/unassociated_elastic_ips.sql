-- Elastic IPs associated with no instance or network interface (AWS bills idle addresses)
SELECT e.account_id, e.region, e.allocation_id, e.public_ip, e.name, e.domain
FROM ec2_elastic_ips e
WHERE COALESCE(e.association_id, '') = ''
  AND COALESCE(e.instance_id, '') = ''
  AND COALESCE(e.network_interface_id, '') = ''
ORDER BY e.account_id, e.region, e.public_ip
