locals {
  bin   = abspath("${path.module}/../../local/bin")
  state = var.state_dir != "" ? var.state_dir : "/tmp/skyplane-deploy-${var.transfer_id}"
  # "<region>/<index>" => region, index: vms * taskmanagers_per_vm TaskManagers per plan region.
  taskmanagers = merge([
    for r in var.regions : {
      for i in range(r.vms * r.taskmanagers_per_vm) : "${r.region}/${i}" => { region = r.region, index = i }
    }
  ]...)
}

# The state dir, and the sweep that stops every process of the cluster on destroy. It is created
# first and destroyed last, and its creation cannot half-fail, so its destroy provisioner also runs
# after a failed JobManager or TaskManager start (Terraform skips the destroy provisioners of a
# resource whose own creation failed).
resource "terraform_data" "cluster" {
  input = {
    bin   = local.bin
    state = local.state
  }

  provisioner "local-exec" {
    command = "mkdir -p \"$STATE/pids\" && touch \"$STATE/.skyplane-local-cluster\""
    environment = {
      STATE = self.input.state
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "\"$BIN/local-cluster\" down --state \"$STATE\""
    environment = {
      BIN   = self.input.bin
      STATE = self.input.state
    }
  }
}

# setsid: the cluster's JVMs leave the terminal's process group, so a Ctrl-C reaches the skyplane
# client (which cancels the job, then destroys) and not the cluster under it.
resource "terraform_data" "jobmanager" {
  depends_on = [terraform_data.cluster]
  input = {
    bin   = local.bin
    state = local.state
  }

  provisioner "local-exec" {
    command = join(" ", concat(
      ["setsid -w \"$BIN/jobmanager\" start --state \"$STATE\" --rest-port ${var.rest_port} --rpc-port ${var.rpc_port} --memory ${var.jobmanager_memory}"],
      var.job_jar == "" ? [] : ["--job-jar \"$JOB_JAR\""],
    ))
    environment = {
      BIN                = self.input.bin
      STATE              = self.input.state
      SKYPLANE_FLINK_LIB = var.flink_lib
      JOB_JAR            = var.job_jar
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "\"$BIN/jobmanager\" stop --state \"$STATE\""
    environment = {
      BIN   = self.input.bin
      STATE = self.input.state
    }
  }
}

resource "terraform_data" "taskmanager" {
  for_each   = local.taskmanagers
  depends_on = [terraform_data.jobmanager]
  input = {
    bin   = local.bin
    state = local.state
    name  = "tm-${replace(lower(each.value.region), "/[^a-z0-9]/", "-")}-${each.value.index}"
  }

  provisioner "local-exec" {
    command = join(" ", concat(
      ["setsid -w \"$BIN/taskmanager-bootstrap\" --region \"$REGION\" --index ${each.value.index}"],
      ["--jobmanager 127.0.0.1:${var.rpc_port} --slots ${var.taskmanager_slots} --memory ${var.taskmanager_memory}"],
      ["--state \"$STATE\""],
      var.flink_lib == "" ? [] : ["--flink-lib \"$FLINK_LIB\""],
      var.job_jar == "" ? [] : ["--job-jar \"$JOB_JAR\""],
    ))
    environment = {
      BIN       = self.input.bin
      STATE     = self.input.state
      REGION    = each.value.region
      FLINK_LIB = var.flink_lib
      JOB_JAR   = var.job_jar
    }
  }

  # TERM, up to 10 s, then KILL; nothing to do when it is not running.
  provisioner "local-exec" {
    when        = destroy
    interpreter = ["bash", "-c"]
    command     = <<-EOT
      pid_file="$STATE/pids/$NAME.pid"
      [[ -f "$pid_file" ]] || exit 0
      pid="$(cat "$pid_file")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$pid_file"
    EOT
    environment = {
      STATE = self.input.state
      NAME  = self.input.name
    }
  }
}
