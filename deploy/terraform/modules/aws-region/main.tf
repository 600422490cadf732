# One AWS region of the cluster: a VPC, a security group admitting Flink traffic from the cluster's
# own public IPs only, IAM roles limited to the transfer's buckets, the gateway VMs (TaskManagers)
# and, in the JobManager's region, the JobManager VM. The provider (region) comes from the caller.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

locals {
  name = "${var.name_prefix}-${var.region.name}"
  k    = var.region.taskmanagers_per_vm
  # The JobManager runs the split enumerator and the REST API, not the transfer: a small VM will do.
  jobmanager_instance_type = "m5.xlarge"
  # Used for the default route and for egress only, never as an ingress source.
  internet = "0.0.0.0/0"
  # Flink ports (pinned in cloud-init): 6123 JobManager RPC, 6124 blob server, 6125 JobManager
  # metrics query service, 6200-6299 TaskManager RPC, 6300-6399 data, 6400-6499 metrics query.
  flink_from = 6123
  flink_to   = 6499

  gateway_arch = contains(data.aws_ec2_instance_type.gateway.supported_architectures, "arm64") ? "arm64" : "amd64"
  zone         = sort(data.aws_ec2_instance_type_offerings.gateway.locations)[0]
}

data "aws_ec2_instance_type" "gateway" {
  instance_type = var.region.instance_type
}

data "aws_ec2_instance_type_offerings" "gateway" {
  location_type = "availability-zone"
  filter {
    name   = "instance-type"
    values = [var.region.instance_type]
  }
}

data "aws_ami" "ubuntu" {
  for_each    = toset(distinct(["amd64", local.gateway_arch]))
  most_recent = true
  owners      = ["099720109477"] # Canonical
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${each.key}-server-*"]
  }
  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

# ---- network -------------------------------------------------------------------------------------

resource "aws_vpc" "this" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = local.name }
}

resource "aws_subnet" "this" {
  vpc_id                  = aws_vpc.this.id
  cidr_block              = "10.20.0.0/24"
  availability_zone       = local.zone
  map_public_ip_on_launch = false # the VMs get their Elastic IPs instead
  tags                    = { Name = local.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = local.name }
}

resource "aws_route_table" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = local.name }
  route {
    cidr_block = local.internet
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "this" {
  subnet_id      = aws_subnet.this.id
  route_table_id = aws_route_table.this.id
}

# ---- firewall ------------------------------------------------------------------------------------

# The cluster's public IPs as one prefix list: one rule however many VMs (each entry counts against
# the 60-rules-per-security-group quota, so about 55 VMs per cluster at most).
resource "aws_ec2_managed_prefix_list" "cluster" {
  name           = "${local.name}-cluster"
  address_family = "IPv4"
  max_entries    = length(var.cluster_cidrs)

  dynamic "entry" {
    for_each = var.cluster_cidrs
    content {
      cidr        = entry.value
      description = "skyplane-flink cluster VM"
    }
  }
}

resource "aws_security_group" "cluster" {
  name        = "${local.name}-cluster"
  description = "skyplane-flink: Flink traffic between the cluster's own VMs"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "flink" {
  security_group_id = aws_security_group.cluster.id
  description       = "Flink RPC, blob, data and metrics ports from the cluster's VMs"
  prefix_list_id    = aws_ec2_managed_prefix_list.cluster.id
  ip_protocol       = "tcp"
  from_port         = local.flink_from
  to_port           = local.flink_to
}

# The JobManager connects to a collect sink's server socket, which Flink opens on a random port of
# the TaskManager (the client's event stream): admit the ephemeral range from the JobManager only.
resource "aws_vpc_security_group_ingress_rule" "collect_sink" {
  security_group_id = aws_security_group.cluster.id
  description       = "Flink collect sink sockets, from the JobManager only"
  cidr_ipv4         = "${var.node.jobmanager_ip}/32"
  ip_protocol       = "tcp"
  from_port         = 32768
  to_port           = 60999
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.cluster.id
  description       = "Other regions and clouds, object stores, package mirrors"
  cidr_ipv4         = local.internet
  ip_protocol       = "-1"
}

resource "aws_security_group" "rest" {
  count       = var.jobmanager ? 1 : 0
  name        = "${local.name}-rest"
  description = "skyplane-flink: JobManager REST API from the operator only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "rest" {
  count             = var.jobmanager ? 1 : 0
  security_group_id = aws_security_group.rest[0].id
  description       = "Flink REST API and dashboard"
  cidr_ipv4         = var.operator_cidr
  ip_protocol       = "tcp"
  from_port         = 8081
  to_port           = 8081
}

# ---- identity ------------------------------------------------------------------------------------

locals {
  roles = { for role, a in {
    gateway    = { read = var.access.gateway_read, write = var.access.gateway_write }
    jobmanager = { read = var.access.jobmanager_read, write = [] }
  } : role => a if role == "gateway" || var.jobmanager }
  # S3 bucket names: the first segment of "bucket[/prefix]".
  role_buckets = { for role, a in local.roles : role => {
    read  = distinct([for b in a.read : split("/", b)[0]])
    write = distinct([for b in a.write : split("/", b)[0]])
  } if length(a.read) + length(a.write) > 0 }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  for_each           = local.roles
  name               = "${local.name}-${each.key}"
  description        = "skyplane-flink ${each.key} VMs of ${var.region.region}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "buckets" {
  for_each = local.role_buckets

  dynamic "statement" {
    for_each = length(each.value.read) > 0 ? [1] : []
    content {
      sid       = "ListRead"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [for b in each.value.read : "arn:aws:s3:::${b}"]
    }
  }
  dynamic "statement" {
    for_each = length(each.value.read) > 0 ? [1] : []
    content {
      sid       = "GetObjects"
      actions   = ["s3:GetObject"]
      resources = [for b in each.value.read : "arn:aws:s3:::${b}/*"]
    }
  }
  dynamic "statement" {
    for_each = length(each.value.write) > 0 ? [1] : []
    content {
      sid       = "ListUploads"
      actions   = ["s3:ListBucketMultipartUploads"]
      resources = [for b in each.value.write : "arn:aws:s3:::${b}"]
    }
  }
  dynamic "statement" {
    for_each = length(each.value.write) > 0 ? [1] : []
    content {
      sid       = "PutObjects"
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
      resources = [for b in each.value.write : "arn:aws:s3:::${b}/*"]
    }
  }
}

resource "aws_iam_role_policy" "buckets" {
  for_each = local.role_buckets
  name     = "skyplane-buckets"
  role     = aws_iam_role.node[each.key].id
  policy   = data.aws_iam_policy_document.buckets[each.key].json
}

resource "aws_iam_instance_profile" "node" {
  for_each = local.roles
  name     = "${local.name}-${each.key}"
  role     = aws_iam_role.node[each.key].name
}

# ---- VMs -----------------------------------------------------------------------------------------

locals {
  cloud_init = "${path.module}/../../cloud-init"
  setup = { for role in ["taskmanager", "jobmanager"] : role => templatefile("${local.cloud_init}/node-setup.sh.tftpl", {
    role            = role
    cloud           = "aws"
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
  # A list of zero or one: a conditional would render the template (with a null IP) either way.
  jobmanager_user_data = [for ip in(var.jobmanager ? [var.addresses.jobmanager_ip] : []) : templatefile("${local.cloud_init}/jobmanager.tftpl", {
    node      = var.node
    setup     = local.setup["jobmanager"]
    region    = var.region.region
    public_ip = ip
  })]
}

# The Elastic IP sits on the network interface before the VM boots, so cloud-init has the internet
# and the TaskManagers advertise an address that already routes to them.
resource "aws_network_interface" "gateway" {
  count           = var.region.vms
  subnet_id       = aws_subnet.this.id
  security_groups = [aws_security_group.cluster.id]
  tags            = { Name = "${local.name}-gw${count.index}" }
}

resource "aws_eip_association" "gateway" {
  count                = var.region.vms
  allocation_id        = var.addresses.gateway_ids[count.index]
  network_interface_id = aws_network_interface.gateway[count.index].id
}

resource "aws_instance" "gateway" {
  count                = var.region.vms
  ami                  = data.aws_ami.ubuntu[local.gateway_arch].id
  instance_type        = var.region.instance_type
  iam_instance_profile = aws_iam_instance_profile.node["gateway"].name
  # gzip: the bootstrap script and the certificate do not fit EC2's 16 KB of plain user data.
  user_data_base64            = base64gzip(local.gateway_user_data[count.index])
  user_data_replace_on_change = true
  # TTL: cloud-init runs `shutdown -h +ttl_minutes`; the VM then terminates (stops costing money).
  instance_initiated_shutdown_behavior = "terminate"

  network_interface {
    network_interface_id = aws_network_interface.gateway[count.index].id
    device_index         = 0
  }

  dynamic "instance_market_options" {
    for_each = var.spot ? [1] : []
    content {
      market_type = "spot"
      spot_options {
        spot_instance_type             = "one-time"
        instance_interruption_behavior = "terminate"
      }
    }
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = 30
    encrypted             = true
    delete_on_termination = true
  }

  tags        = { Name = "${local.name}-gw${count.index}" }
  volume_tags = merge(var.tags, { Name = "${local.name}-gw${count.index}" })

  depends_on = [aws_eip_association.gateway]
}

resource "aws_network_interface" "jobmanager" {
  count           = var.jobmanager ? 1 : 0
  subnet_id       = aws_subnet.this.id
  security_groups = [aws_security_group.cluster.id, aws_security_group.rest[0].id]
  tags            = { Name = "${local.name}-jm" }
}

resource "aws_eip_association" "jobmanager" {
  count                = var.jobmanager ? 1 : 0
  allocation_id        = var.addresses.jobmanager_id
  network_interface_id = aws_network_interface.jobmanager[0].id
}

resource "aws_instance" "jobmanager" {
  count                                = var.jobmanager ? 1 : 0
  ami                                  = data.aws_ami.ubuntu["amd64"].id
  instance_type                        = local.jobmanager_instance_type
  iam_instance_profile                 = aws_iam_instance_profile.node["jobmanager"].name
  user_data_base64                     = base64gzip(local.jobmanager_user_data[0])
  user_data_replace_on_change          = true
  instance_initiated_shutdown_behavior = "terminate"

  network_interface {
    network_interface_id = aws_network_interface.jobmanager[0].id
    device_index         = 0
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = 30
    encrypted             = true
    delete_on_termination = true
  }

  tags        = { Name = "${local.name}-jm" }
  volume_tags = merge(var.tags, { Name = "${local.name}-jm" })

  depends_on = [aws_eip_association.jobmanager]
}

output "region" {
  value = var.region.region
}

output "gateway_instance_ids" {
  value = aws_instance.gateway[*].id
}

output "jobmanager_instance_id" {
  value = one(aws_instance.jobmanager[*].id)
}
