# The static external IPs of one GCP region's cluster VMs, allocated before anything else so every
# region's firewall can admit exactly the cluster's own addresses (no cycle). Labels come from the
# provider's default_labels (skyplane-transfer).
terraform {
  required_providers {
    google = { source = "hashicorp/google" }
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

variable "network_tier" {
  description = "PREMIUM or STANDARD; the VMs' access configs use the same tier."
  type        = string
}

resource "google_compute_address" "gateway" {
  count        = var.region.vms
  name         = "${var.name_prefix}-${var.region.name}-gw${count.index}"
  region       = var.region.name
  address_type = "EXTERNAL"
  network_tier = var.network_tier
}

resource "google_compute_address" "jobmanager" {
  count        = var.jobmanager ? 1 : 0
  name         = "${var.name_prefix}-${var.region.name}-jm"
  region       = var.region.name
  address_type = "EXTERNAL"
  network_tier = var.network_tier
}

output "region" {
  value = var.region.region
}

output "gateway_ips" {
  value = google_compute_address.gateway[*].address
}

output "gateway_ids" {
  value = google_compute_address.gateway[*].self_link
}

output "jobmanager_ip" {
  value = one(google_compute_address.jobmanager[*].address)
}

output "jobmanager_id" {
  value = one(google_compute_address.jobmanager[*].self_link)
}
