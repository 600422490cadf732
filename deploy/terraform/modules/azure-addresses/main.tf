# The static public IPs of one Azure region's cluster VMs, allocated before anything else so every
# region's firewall can admit exactly the cluster's own addresses (no cycle).
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
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

variable "resource_group_name" {
  type = string
}

variable "tags" {
  type = map(string)
}

resource "azurerm_public_ip" "gateway" {
  count               = var.region.vms
  name                = "${var.name_prefix}-${var.region.name}-gw${count.index}"
  resource_group_name = var.resource_group_name
  location            = var.region.name
  allocation_method   = "Static"
  sku                 = "Standard" # closed to inbound traffic unless a network security group admits it
  tags                = var.tags
}

resource "azurerm_public_ip" "jobmanager" {
  count               = var.jobmanager ? 1 : 0
  name                = "${var.name_prefix}-${var.region.name}-jm"
  resource_group_name = var.resource_group_name
  location            = var.region.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = var.tags
}

output "region" {
  value = var.region.region
}

output "gateway_ips" {
  value = azurerm_public_ip.gateway[*].ip_address
}

output "gateway_ids" {
  value = azurerm_public_ip.gateway[*].id
}

output "jobmanager_ip" {
  value = one(azurerm_public_ip.jobmanager[*].ip_address)
}

output "jobmanager_id" {
  value = one(azurerm_public_ip.jobmanager[*].id)
}
