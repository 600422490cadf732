# Nothing secret here: the TLS key stays in state only, credentials never pass through Terraform.

output "jobmanager_rest_url" {
  description = "Flink REST API and dashboard (reachable from operator_cidr only)."
  value       = "http://${local.jobmanager_ip}:8081"
}

output "taskmanagers" {
  description = "TaskManagers per region id (vms * taskmanagers_per_vm)."
  value       = { for r in var.regions : r.region => r.vms * r.taskmanagers_per_vm }
}

output "transfer_id" {
  description = "The transfer these resources belong to (label/tag skyplane-transfer)."
  value       = var.transfer_id
}
