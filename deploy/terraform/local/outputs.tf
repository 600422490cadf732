# The cloud root module's outputs, for the cluster on this machine.

output "jobmanager_rest_url" {
  description = "Flink REST API and dashboard on 127.0.0.1."
  value       = "http://127.0.0.1:${var.rest_port}"
  depends_on  = [terraform_data.taskmanager]
}

output "taskmanagers" {
  description = "TaskManagers per region id (vms * taskmanagers_per_vm)."
  value       = { for r in var.regions : r.region => r.vms * r.taskmanagers_per_vm }
}

output "transfer_id" {
  description = "The transfer this cluster belongs to."
  value       = var.transfer_id
}
