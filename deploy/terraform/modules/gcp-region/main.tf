# One GCP region of the cluster: a VPC network of its own, firewall rules admitting Flink traffic
# from the cluster's own public IPs only, service accounts limited to the transfer's buckets, the
# gateway VMs (TaskManagers) and, in the JobManager's region, the JobManager VM.
terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

locals {
  name = "${var.name_prefix}-${var.region.name}"
  k    = var.region.taskmanagers_per_vm
  # Network tags the firewall rules target.
  tag    = "${local.name}-node"
  jm_tag = "${local.name}-jm"
  # The JobManager runs the split enumerator and the REST API, not the transfer: a small VM will do.
  jobmanager_machine_type = "n2-standard-4"
  image                   = "ubuntu-os-cloud/ubuntu-2404-lts-amd64"
  zone                    = sort(data.google_compute_zones.up.names)[0]
}

data "google_compute_zones" "up" {
  region = var.region.name
  status = "UP"
}

# ---- network -------------------------------------------------------------------------------------

# A custom-mode network has no firewall rule but GCP's implied ones (deny all ingress, allow egress)
# and the default route to the internet.
resource "google_compute_network" "this" {
  name                    = local.name
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "this" {
  name          = local.name
  region        = var.region.name
  network       = google_compute_network.this.id
  ip_cidr_range = "10.20.0.0/24"
}

# Flink ports (pinned in cloud-init): 6123 JobManager RPC, 6124 blob server, 6125 JobManager
# metrics query service, 6200-6299 TaskManager RPC, 6300-6399 data, 6400-6499 metrics query.
resource "google_compute_firewall" "flink" {
  name          = "${local.name}-flink"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  description   = "skyplane-flink: Flink ports from the cluster's own VMs"
  source_ranges = var.cluster_cidrs
  target_tags   = [local.tag]

  allow {
    protocol = "tcp"
    ports    = ["6123-6499"]
  }
}

# The JobManager connects to a collect sink's server socket, which Flink opens on a random port of
# the TaskManager (the client's event stream): admit the ephemeral range from the JobManager only.
resource "google_compute_firewall" "collect_sink" {
  name          = "${local.name}-collect"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  description   = "skyplane-flink: collect sink sockets, from the JobManager only"
  source_ranges = ["${var.node.jobmanager_ip}/32"]
  target_tags   = [local.tag]

  allow {
    protocol = "tcp"
    ports    = ["32768-60999"]
  }
}

resource "google_compute_firewall" "rest" {
  count         = var.jobmanager ? 1 : 0
  name          = "${local.name}-rest"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  description   = "skyplane-flink: JobManager REST API from the operator only"
  source_ranges = [var.operator_cidr]
  target_tags   = [local.jm_tag]

  allow {
    protocol = "tcp"
    ports    = ["8081"]
  }
}

# ---- identity ------------------------------------------------------------------------------------

locals {
  roles = { for role, a in {
    gateway    = { read = var.access.gateway_read, write = var.access.gateway_write }
    jobmanager = { read = var.access.jobmanager_read, write = [] }
  } : role => a if role == "gateway" || var.jobmanager }
  # GCS bucket names: the first segment of "bucket[/prefix]". Read: get and list objects; write:
  # create objects (incl. multipart/resumable uploads), no delete, no overwrite of others' objects.
  grants = merge([for role, a in local.roles : merge(
    { for b in distinct([for p in a.read : split("/", p)[0]]) : "${role}/read/${b}" => { role = role, bucket = b, iam = "roles/storage.objectViewer" } },
    { for b in distinct([for p in a.write : split("/", p)[0]]) : "${role}/write/${b}" => { role = role, bucket = b, iam = "roles/storage.objectCreator" } },
  )]...)
}

resource "google_service_account" "node" {
  for_each     = local.roles
  account_id   = "sky-${substr(sha1("${var.name_prefix}/${var.region.region}"), 0, 10)}-${each.key == "gateway" ? "gw" : "jm"}"
  display_name = "skyplane-flink ${each.key} VMs of ${var.region.region} (${var.name_prefix})"
}

resource "google_storage_bucket_iam_member" "node" {
  for_each = local.grants
  bucket   = each.value.bucket
  role     = each.value.iam
  member   = "serviceAccount:${google_service_account.node[each.value.role].email}"
}

# ---- VMs -----------------------------------------------------------------------------------------

locals {
  cloud_init = "${path.module}/../../cloud-init"
  setup = { for role in ["taskmanager", "jobmanager"] : role => templatefile("${local.cloud_init}/node-setup.sh.tftpl", {
    role            = role
    cloud           = "gcp"
    ttl_minutes     = var.node.ttl_minutes
    flink_version   = var.node.flink_version
    taskmanagers    = local.k
    azure_client_id = ""
  }) }
  gateway_user_data = [for i in range(var.region.vms) : templatefile("${local.cloud_init}/taskmanager.tftpl", {
    node         = var.node
    setup        = local.setup["taskmanager"]
    region       = var.region.region
    first_index  = i * local.k
    taskmanagers = local.k
    public_ip    = var.addresses.gateway_ips[i]
  })]
  # Lists of zero or one: a conditional would render the template (with a null IP) either way.
  jobmanager_ips = var.jobmanager ? [var.addresses.jobmanager_ip] : []
  jobmanager_user_data = [for ip in local.jobmanager_ips : templatefile("${local.cloud_init}/jobmanager.tftpl", {
    node      = var.node
    setup     = local.setup["jobmanager"]
    region    = var.region.region
    public_ip = ip
  })]
}

resource "google_compute_instance" "gateway" {
  count                     = var.region.vms
  name                      = "${local.name}-gw${count.index}"
  zone                      = local.zone
  machine_type              = var.region.instance_type
  tags                      = [local.tag]
  labels                    = var.labels
  allow_stopping_for_update = true

  boot_disk {
    auto_delete = true
    initialize_params {
      image  = local.image
      size   = 30
      labels = var.labels
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.this.id
    access_config {
      nat_ip       = var.addresses.gateway_ips[count.index]
      network_tier = var.network_tier
    }
  }

  metadata = {
    user-data              = local.gateway_user_data[count.index]
    block-project-ssh-keys = "TRUE"
  }

  service_account {
    email  = google_service_account.node["gateway"].email
    scopes = ["cloud-platform"] # access is what the service account's IAM grants, nothing more
  }

  # TTL: cloud-init runs `shutdown -h +ttl_minutes`; GCP then stops the VM (no CPU/memory charges;
  # disk and IP are billed until `terraform destroy`). Spot VMs are deleted when preempted.
  scheduling {
    provisioning_model          = var.spot ? "SPOT" : "STANDARD"
    preemptible                 = var.spot
    automatic_restart           = !var.spot
    on_host_maintenance         = var.spot ? "TERMINATE" : "MIGRATE"
    instance_termination_action = var.spot ? "DELETE" : null
  }
}

resource "google_compute_instance" "jobmanager" {
  count                     = var.jobmanager ? 1 : 0
  name                      = "${local.name}-jm"
  zone                      = local.zone
  machine_type              = local.jobmanager_machine_type
  tags                      = [local.tag, local.jm_tag]
  labels                    = var.labels
  allow_stopping_for_update = true

  boot_disk {
    auto_delete = true
    initialize_params {
      image  = local.image
      size   = 30
      labels = var.labels
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.this.id
    access_config {
      nat_ip       = var.addresses.jobmanager_ip
      network_tier = var.network_tier
    }
  }

  metadata = {
    user-data              = local.jobmanager_user_data[0]
    block-project-ssh-keys = "TRUE"
  }

  service_account {
    email  = google_service_account.node["jobmanager"].email
    scopes = ["cloud-platform"]
  }

  scheduling {
    provisioning_model  = "STANDARD"
    preemptible         = false
    automatic_restart   = true
    on_host_maintenance = "MIGRATE"
  }
}

output "region" {
  value = var.region.region
}

output "gateway_instance_ids" {
  value = google_compute_instance.gateway[*].id
}

output "jobmanager_instance_id" {
  value = one(google_compute_instance.jobmanager[*].id)
}
