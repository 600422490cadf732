# The local target: the cluster of a plan on this machine, built only from Terraform's built-in
# terraform_data resource and local-exec provisioners, so `terraform init` needs no provider and
# no registry. It takes exactly the cloud root module's variables (variables.tf is a link to
# ../variables.tf: the operator-only ones are accepted and unused) plus the local-only ones in
# local-variables.tf.
terraform {
  required_version = ">= 1.9"
}
