# The contract with the Java planner: it writes terraform.tfvars.json with exactly these names and
# types (a Java test parses this file). One variable block per variable; change both sides together.

variable "transfer_id" {
  description = "Identifies the transfer; every resource carries the label/tag skyplane-transfer = transfer_id."
  type        = string

  validation {
    # A GCP label value: lower-case letters, digits, '-' and '_', at most 63 characters.
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{0,62}$", var.transfer_id))
    error_message = "transfer_id must be 1-63 characters of lower-case letters, digits, '-' and '_', starting with a letter or digit."
  }
}

variable "regions" {
  description = "Regions of the plan: per region, how many gateway VMs of which type, each running taskmanagers_per_vm TaskManagers."
  type        = list(object({ region = string, cloud = string, name = string, role = string, vms = number, instance_type = string, taskmanagers_per_vm = number }))

  validation {
    condition     = length(var.regions) > 0 && length(distinct([for r in var.regions : r.region])) == length(var.regions)
    error_message = "regions must list at least one region, each region id once."
  }
  validation {
    condition     = alltrue([for r in var.regions : contains(["aws", "gcp", "azure"], r.cloud) && r.region == "${r.cloud}:${r.name}"])
    error_message = "Each region needs cloud aws, gcp or azure and region = \"<cloud>:<name>\", e.g. { region = \"aws:us-east-1\", cloud = \"aws\", name = \"us-east-1\" }."
  }
  validation {
    condition     = alltrue([for r in var.regions : contains(["source", "relay", "destination"], r.role)])
    error_message = "Each region's role must be source, relay or destination."
  }
  validation {
    # TaskManager k of a VM uses ports 6200+k, 6300+k and 6400+k (see locals.tf), hence at most 100.
    condition     = alltrue([for r in var.regions : r.vms >= 1 && floor(r.vms) == r.vms && r.taskmanagers_per_vm >= 1 && r.taskmanagers_per_vm <= 100 && floor(r.taskmanagers_per_vm) == r.taskmanagers_per_vm])
    error_message = "Each region needs a whole number of vms >= 1 and of taskmanagers_per_vm between 1 and 100."
  }
}

variable "jobmanager_region" {
  description = "Region id (one of regions[*].region) of the JobManager VM."
  type        = string

  validation {
    condition     = contains([for r in var.regions : r.region], var.jobmanager_region)
    error_message = "jobmanager_region must be one of the region ids in regions."
  }
}

variable "gcp_network_tier" {
  description = "Network tier of the GCP VMs' public IPs."
  type        = string
  default     = "PREMIUM"

  validation {
    condition     = contains(["PREMIUM", "STANDARD"], var.gcp_network_tier)
    error_message = "gcp_network_tier must be PREMIUM or STANDARD."
  }
}

variable "spot" {
  description = "Rent spot (AWS, Azure) or Spot/preemptible (GCP) VMs; they may be taken back at any time."
  type        = bool
  default     = false
}

variable "ttl_minutes" {
  description = "Every VM shuts itself down this many minutes after boot (AWS terminates it, GCP stops it, Azure deallocates it)."
  type        = number
  default     = 120

  validation {
    condition     = var.ttl_minutes >= 10 && floor(var.ttl_minutes) == var.ttl_minutes
    error_message = "ttl_minutes must be a whole number of at least 10."
  }
}

variable "operator_cidr" {
  description = "The only IPv4 range admitted to the JobManager's REST port 8081, e.g. your address/32."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.operator_cidr)) && var.operator_cidr != "0.0.0.0/0"
    error_message = "operator_cidr must be an IPv4 CIDR such as 203.0.113.7/32, and not 0.0.0.0/0 (that would open the REST port to the world)."
  }
  validation {
    # Refuses any other /0 too, and host bits (clouds reject 203.0.113.7/24).
    condition     = can(cidrnetmask(var.operator_cidr)) && try(tonumber(split("/", var.operator_cidr)[1]) > 0, false) && try(cidrsubnet(var.operator_cidr, 0, 0) == var.operator_cidr, false)
    error_message = "operator_cidr must have a prefix length above 0 and no host bits, e.g. 203.0.113.0/24 or 203.0.113.7/32."
  }
}

variable "source_bucket" {
  description = "Bucket the source regions' VMs may read (S3 bucket, GCS bucket or Azure ACCOUNT/CONTAINER, optionally as s3://, gs://, azure:// URI); \"\" = no grant."
  type        = string
  default     = ""
}

variable "destination_bucket" {
  description = "Bucket the destination regions' VMs may write (same forms as source_bucket); \"\" = no grant."
  type        = string
  default     = ""
}

variable "flink_version" {
  description = "Apache Flink release whose binary distribution the VMs install."
  type        = string
  default     = "2.3.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.flink_version))
    error_message = "flink_version must look like 2.3.0."
  }
}

variable "gcp_project" {
  description = "GCP project; \"\" = the provider's default (GOOGLE_CLOUD_PROJECT, gcloud config)."
  type        = string
  default     = ""
}

variable "azure_subscription_id" {
  description = "Azure subscription; \"\" = the provider's default (ARM_SUBSCRIPTION_ID, az login)."
  type        = string
  default     = ""
}
