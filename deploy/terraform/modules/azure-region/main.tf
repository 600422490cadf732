# One Azure region of the cluster: a virtual network of its own, a network security group admitting
# Flink traffic from the cluster's own public IPs only, managed identities limited to the transfer's
# containers (and to deallocating the cluster's VMs), the gateway VMs (TaskManagers) and, in the
# JobManager's region, the JobManager VM.
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
    tls     = { source = "hashicorp/tls" }
  }
}

locals {
  name = "${var.name_prefix}-${var.region.name}"
  k    = var.region.taskmanagers_per_vm
  # The JobManager runs the split enumerator and the REST API, not the transfer: a small VM will do.
  jobmanager_size = "Standard_D4s_v5"
  subnet_cidr     = "10.20.0.0/24"
  # Static, so the REST rule can name the JobManager alone.
  jobmanager_private_ip = cidrhost(local.subnet_cidr, 10)
}

# ---- network -------------------------------------------------------------------------------------

resource "azurerm_virtual_network" "this" {
  name                = local.name
  resource_group_name = var.resource_group_name
  location            = var.region.name
  address_space       = ["10.20.0.0/16"]
  tags                = var.tags
}

resource "azurerm_subnet" "this" {
  name                 = local.name
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [local.subnet_cidr]
}

# Besides the rules below only Azure's defaults apply: inbound from this virtual network (the
# cluster's VMs of this region) and from Azure's load balancer probe, everything else denied.
resource "azurerm_network_security_group" "this" {
  name                = local.name
  resource_group_name = var.resource_group_name
  location            = var.region.name
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "this" {
  subnet_id                 = azurerm_subnet.this.id
  network_security_group_id = azurerm_network_security_group.this.id
}

# Flink ports (pinned in cloud-init): 6123 JobManager RPC, 6124 blob server, 6125 JobManager
# metrics query service, 6200-6299 TaskManager RPC, 6300-6399 data, 6400-6499 metrics query.
resource "azurerm_network_security_rule" "flink" {
  name                        = "skyplane-flink"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.this.name
  description                 = "Flink ports from the cluster's own VMs"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  source_address_prefixes     = var.cluster_cidrs
  destination_port_range      = "6123-6499"
  destination_address_prefix  = "VirtualNetwork"
}

# The JobManager connects to a collect sink's server socket, which Flink opens on a random port of
# the TaskManager (the client's event stream): admit the ephemeral range from the JobManager only.
resource "azurerm_network_security_rule" "collect_sink" {
  name                        = "skyplane-collect-sink"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.this.name
  description                 = "Flink collect sink sockets, from the JobManager only"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  source_address_prefix       = "${var.node.jobmanager_ip}/32"
  destination_port_range      = "32768-60999"
  destination_address_prefix  = "VirtualNetwork"
}

resource "azurerm_network_security_rule" "rest" {
  count                       = var.jobmanager ? 1 : 0
  name                        = "skyplane-rest"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.this.name
  description                 = "Flink REST API and dashboard, from the operator only"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  source_address_prefix       = var.operator_cidr
  destination_port_range      = "8081"
  destination_address_prefix  = local.jobmanager_private_ip
}

# ---- identity ------------------------------------------------------------------------------------

locals {
  roles = { for role, a in {
    gateway    = { read = var.access.gateway_read, write = var.access.gateway_write }
    jobmanager = { read = var.access.jobmanager_read, write = [] }
  } : role => a if role == "gateway" || var.jobmanager }
  # "account[/container[/prefix]]": the grant's scope is the container, or the account without one.
  # Read: Storage Blob Data Reader. Write: Storage Blob Data Contributor (the narrowest built-in role
  # that writes blobs; it can also delete them).
  grant_list = flatten([for role, a in local.roles : concat(
    [for p in distinct(a.read) : { role = role, path = p, iam = "Storage Blob Data Reader" }],
    [for p in distinct(a.write) : { role = role, path = p, iam = "Storage Blob Data Contributor" }],
  )])
  grants   = { for g in local.grant_list : "${g.role}/${g.iam}/${g.path}" => g }
  accounts = toset([for g in local.grant_list : split("/", g.path)[0]])
}

resource "azurerm_user_assigned_identity" "node" {
  for_each            = local.roles
  name                = "${local.name}-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.region.name
  tags                = var.tags
}

resource "azurerm_role_assignment" "self_stop" {
  for_each           = local.roles
  scope              = var.resource_group_id
  role_definition_id = var.self_stop_role_id
  principal_id       = azurerm_user_assigned_identity.node[each.key].principal_id
  principal_type     = "ServicePrincipal"
}

# Storage accounts are found by name, in whatever resource group they live.
data "azurerm_resources" "account" {
  for_each = local.accounts
  name     = each.key
  type     = "Microsoft.Storage/storageAccounts"
}

resource "azurerm_role_assignment" "storage" {
  for_each = local.grants
  scope = length(split("/", each.value.path)) > 1 ? (
    "${data.azurerm_resources.account[split("/", each.value.path)[0]].resources[0].id}/blobServices/default/containers/${split("/", each.value.path)[1]}"
  ) : data.azurerm_resources.account[split("/", each.value.path)[0]].resources[0].id
  role_definition_name = each.value.iam
  principal_id         = azurerm_user_assigned_identity.node[each.value.role].principal_id
  principal_type       = "ServicePrincipal"
}

# ---- VMs -----------------------------------------------------------------------------------------

# Azure insists on an admin credential. This key is thrown away: no rule admits SSH (port 22), and
# its private half exists only in Terraform state.
resource "tls_private_key" "admin" {
  algorithm = "RSA"
  rsa_bits  = 3072
}

locals {
  cloud_init = "${path.module}/../../cloud-init"
  setup = { for role, identity in azurerm_user_assigned_identity.node : role => templatefile("${local.cloud_init}/node-setup.sh.tftpl", {
    role            = role == "gateway" ? "taskmanager" : "jobmanager"
    cloud           = "azure"
    ttl_minutes     = var.node.ttl_minutes
    flink_version   = var.node.flink_version
    taskmanagers    = local.k
    azure_client_id = identity.client_id # DefaultAzureCredential picks the user-assigned identity by it
  }) }
  gateway_user_data = [for i in range(var.region.vms) : templatefile("${local.cloud_init}/taskmanager.tftpl", {
    node         = var.node
    setup        = local.setup["gateway"]
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

resource "azurerm_network_interface" "gateway" {
  count                          = var.region.vms
  name                           = "${local.name}-gw${count.index}"
  resource_group_name            = var.resource_group_name
  location                       = var.region.name
  accelerated_networking_enabled = true
  tags                           = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.this.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = var.addresses.gateway_ids[count.index]
  }
}

# TTL: cloud-init deallocates the VM through the ARM API after ttl_minutes (a VM shut down from
# inside stays allocated and billed on Azure) and shuts it down 5 minutes later should that fail.
# Spot VMs are deleted when evicted.
resource "azurerm_linux_virtual_machine" "gateway" {
  count                 = var.region.vms
  name                  = "${local.name}-gw${count.index}"
  resource_group_name   = var.resource_group_name
  location              = var.region.name
  size                  = var.region.instance_type
  admin_username        = "skyplane"
  network_interface_ids = [azurerm_network_interface.gateway[count.index].id]
  custom_data           = base64encode(local.gateway_user_data[count.index])
  priority              = var.spot ? "Spot" : "Regular"
  eviction_policy       = var.spot ? "Delete" : null
  max_bid_price         = var.spot ? -1 : null
  tags                  = var.tags

  admin_ssh_key {
    username   = "skyplane"
    public_key = tls_private_key.admin.public_key_openssh
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.node["gateway"].id]
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  depends_on = [azurerm_role_assignment.storage, azurerm_subnet_network_security_group_association.this]
}

resource "azurerm_network_interface" "jobmanager" {
  count               = var.jobmanager ? 1 : 0
  name                = "${local.name}-jm"
  resource_group_name = var.resource_group_name
  location            = var.region.name
  tags                = var.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.this.id
    private_ip_address_allocation = "Static"
    private_ip_address            = local.jobmanager_private_ip
    public_ip_address_id          = var.addresses.jobmanager_id
  }
}

resource "azurerm_linux_virtual_machine" "jobmanager" {
  count                 = var.jobmanager ? 1 : 0
  name                  = "${local.name}-jm"
  resource_group_name   = var.resource_group_name
  location              = var.region.name
  size                  = local.jobmanager_size
  admin_username        = "skyplane"
  network_interface_ids = [azurerm_network_interface.jobmanager[0].id]
  custom_data           = base64encode(local.jobmanager_user_data[0])
  tags                  = var.tags

  admin_ssh_key {
    username   = "skyplane"
    public_key = tls_private_key.admin.public_key_openssh
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.node["jobmanager"].id]
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  depends_on = [azurerm_role_assignment.storage, azurerm_subnet_network_security_group_association.this]
}

output "region" {
  value = var.region.region
}

output "gateway_instance_ids" {
  value = azurerm_linux_virtual_machine.gateway[*].id
}

output "jobmanager_instance_id" {
  value = one(azurerm_linux_virtual_machine.jobmanager[*].id)
}
