# The static public IPs (Elastic IPs) of one AWS region's cluster VMs, allocated before anything
# else so every region's firewall can admit exactly the cluster's own addresses (no cycle).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name_prefix" {
  type = string
}

variable "region" {
  type = object({ region = string, cloud = string, name = string, role = string, vms = number, instance_type = string, taskmanagers_per_vm = number })
}

variable "jobmanager" {
  description = "Whether the JobManager VM runs in this region."
  type        = bool
}

# Tags: the provider's default_tags (skyplane-transfer) plus a Name.
resource "aws_eip" "gateway" {
  count  = var.region.vms
  domain = "vpc"
  tags   = { Name = "${var.name_prefix}-${var.region.name}-gw${count.index}" }
}

resource "aws_eip" "jobmanager" {
  count  = var.jobmanager ? 1 : 0
  domain = "vpc"
  tags   = { Name = "${var.name_prefix}-${var.region.name}-jm" }
}

output "region" {
  value = var.region.region
}

output "gateway_ips" {
  value = aws_eip.gateway[*].public_ip
}

output "gateway_ids" {
  description = "Allocation ids, in VM order."
  value       = aws_eip.gateway[*].allocation_id
}

output "jobmanager_ip" {
  value = one(aws_eip.jobmanager[*].public_ip)
}

output "jobmanager_id" {
  value = one(aws_eip.jobmanager[*].allocation_id)
}
