variable "name_prefix" {
  description = "Prefix of resource names, unique per transfer."
  type        = string
}

variable "region" {
  type = object({ region = string, cloud = string, name = string, role = string, vms = number, instance_type = string, taskmanagers_per_vm = number })
}

variable "jobmanager" {
  description = "Whether the JobManager VM runs in this region."
  type        = bool
}

variable "addresses" {
  description = "This region's outputs of modules/azure-addresses."
  type        = object({ region = string, gateway_ips = list(string), gateway_ids = list(string), jobmanager_ip = string, jobmanager_id = string })
}

variable "cluster_cidrs" {
  description = "Public IP/32 of every VM of the cluster, all clouds: the only sources of Flink traffic."
  type        = list(string)
}

variable "operator_cidr" {
  description = "The only source admitted to the JobManager's REST port 8081."
  type        = string
}

variable "access" {
  description = "Containers (\"account[/container[/prefix]]\") the gateway VMs and the JobManager may read and write."
  type        = object({ gateway_read = list(string), gateway_write = list(string), jobmanager_read = list(string) })
}

variable "node" {
  description = "What every VM's cloud-init needs (see local.node in the root module); its TLS key stays marked sensitive."
  type        = any
}

variable "spot" {
  type = bool
}

variable "resource_group_name" {
  description = "The cluster's resource group (all Azure regions share it)."
  type        = string
}

variable "resource_group_id" {
  type = string
}

variable "self_stop_role_id" {
  description = "Role definition allowing to deallocate the resource group's VMs (the TTL's self-stop)."
  type        = string
}

variable "tags" {
  type = map(string)
}
