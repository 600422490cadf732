# Terraform 1.9+ (validation blocks refer to other variables). Providers take their credentials from
# the environment or a CLI login (aws configure / AWS_PROFILE, gcloud auth application-default
# login, az login); nothing here asks for a key.
#
# State: the cluster's internal TLS private key (tls_private_key.internal) is kept in Terraform
# state, so the state is as secret as the key. Keep it in a remote backend that encrypts at rest and
# limits who reads it (S3 with SSE-KMS and a bucket policy, GCS with CMEK, an Azure storage account
# with RBAC), e.g.:
#
#   terraform {
#     backend "s3" {
#       bucket = "my-terraform-state" key = "skyplane/<transfer_id>.tfstate" region = "us-east-1"
#       encrypt = true use_lockfile = true
#     }
#   }
terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}
