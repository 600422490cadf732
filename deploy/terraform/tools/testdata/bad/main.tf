# A deliberately bad configuration: tools/check-security.sh must report every rule below (and skips
# this directory when it checks the real modules). Never deploy it; it is not even complete.

locals {
  anywhere = "0.0.0.0/0"
}

variable "db_password" {
  type = string
}

variable "operator_cidr" {
  type = string
}

output "admin_secret_key" {
  value = "not really"
}

output "cluster_key" {
  value = tls_private_key.internal.private_key_pem
}

resource "aws_vpc_security_group_ingress_rule" "ssh_world" {
  security_group_id = "sg-1"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "all_via_local" {
  security_group_id = "sg-1"
  cidr_ipv4         = local.anywhere
  ip_protocol       = "-1"
}

resource "aws_security_group" "inline" {
  name = "inline"

  ingress {
    from_port   = 8000
    to_port     = 9000
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port = 443
    to_port   = 443
    protocol  = "tcp"
    cidr_blocks = [
      "::/0",
    ]
  }
}

resource "google_compute_firewall" "rest_wide" {
  name          = "rest-wide"
  network       = "default"
  source_ranges = ["10.0.0.0/8"]

  allow {
    protocol = "tcp"
    ports    = ["8081"]
  }
}

resource "google_compute_firewall" "no_source" {
  name    = "no-source"
  network = "default"

  allow {
    protocol = "tcp"
    ports    = ["6123-6499"]
  }
}

resource "azurerm_network_security_rule" "star" {
  name                        = "star"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  source_address_prefix       = "*"
  destination_port_range      = "*"
  destination_address_prefix  = "*"
}

resource "azurerm_network_security_group" "inline" {
  name                = "inline"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
