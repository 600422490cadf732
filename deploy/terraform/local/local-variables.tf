# Local-only variables, all with defaults; set them with TF_VAR_<name> in the environment of
# `skyplane cp --deploy` / `skyplane deploy` (the cloud module ignores TF_VAR_* it does not declare).

variable "rest_port" {
  description = "JobManager REST port on 127.0.0.1."
  type        = number
  default     = 8081
}

variable "rpc_port" {
  description = "JobManager RPC port on 127.0.0.1."
  type        = number
  default     = 6123
}

variable "flink_lib" {
  description = "Directory with the Flink jars; \"\" = deploy/local/target/flink/lib (or $SKYPLANE_FLINK_LIB)."
  type        = string
  default     = ""
}

variable "state_dir" {
  description = "Configs, logs and pid files of the cluster; \"\" = /tmp/skyplane-deploy-<transfer_id>. Removed on destroy."
  type        = string
  default     = ""
}

variable "taskmanager_memory" {
  description = "taskmanager.memory.process.size of each TaskManager."
  type        = string
  default     = "1024m"
}

variable "taskmanager_slots" {
  description = "Task slots (and CPU cores) of each TaskManager."
  type        = number
  default     = 4
}

variable "jobmanager_memory" {
  description = "jobmanager.memory.process.size."
  type        = string
  default     = "1024m"
}

variable "job_jar" {
  description = "skyplane's job jar, installed on the JobManager's and every TaskManager's classpath (clients then submit without uploading it); \"\" = none. skyplane --deploy sets it (TF_VAR_job_jar)."
  type        = string
  default     = ""
}
