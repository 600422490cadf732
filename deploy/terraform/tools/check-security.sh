#!/usr/bin/env bash
# Static security check of deploy/terraform (no providers, no network; bash + awk):
#   - ingress rules open to the whole internet (0.0.0.0/0, ::/0, Azure "*"/Internet/Any, a local
#     holding one of those, or a GCP ingress firewall without any source, which GCP reads as 0.0.0.0/0);
#   - rules admitting an operator port (REST 8081, SSH 22, RDP 3389) from anything but var.operator_cidr;
#   - variables and outputs whose names look like credentials;
#   - outputs exposing a private key, password or secret without `sensitive = true`.
# One line per finding, exit 1 if any. Understands the block layout `terraform fmt` writes (one
# attribute per line, lists on one line or spread over lines), which is what this directory holds.
#
#   deploy/terraform/tools/check-security.sh [DIR]   # default: deploy/terraform, minus tools/testdata
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${1:-$here/..}"
[[ -d "$root" ]] || { echo "check-security.sh: no directory $root" >&2; exit 2; }
root="$(cd "$root" && pwd)"

# The bad fixtures under tools/testdata are skipped unless asked for by name.
mapfile -t files < <(find "$root" \( -name .terraform -o -path "$here/testdata" \) -prune -o -name '*.tf' -print | sort)
if [[ "$root" == "$here/testdata"* ]]; then
  mapfile -t files < <(find "$root" -name .terraform -prune -o -name '*.tf' -print | sort)
fi
[[ ${#files[@]} -gt 0 ]] || { echo "check-security.sh: no .tf files under $root" >&2; exit 2; }

awk -v root="$root/" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
# Brace depth change of a line, ignoring braces in strings and comments.
function delta(line,   i, c, d, instr) {
  d = 0; instr = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (instr) {
      if (c == "\\") { i++; continue }
      if (c == "\"") instr = 0
      continue
    }
    if (c == "\"") { instr = 1; continue }
    if (c == "#" || (c == "/" && substr(line, i + 1, 1) == "/")) break
    if (c == "{") d++
    if (c == "}") d--
  }
  return d
}
function report(msg) { findings++; print shortname ":" msg }
# The value of attribute `name` in unit text u ("" if absent); multi-line lists are joined.
function attr(u, name,   n, ls, i, v, m) {
  n = split(u, ls, "\n")
  for (i = 1; i <= n; i++) {
    if (ls[i] ~ "^[ \t]*" name "[ \t]*=") {
      v = ls[i]; sub("^[ \t]*" name "[ \t]*=[ \t]*", "", v)
      if (v ~ /^\[/ && v !~ /\]/) {
        while (++i <= n) { v = v " " trim(ls[i]); if (ls[i] ~ /\]/) break }
      }
      return trim(v)
    }
  }
  return ""
}
function has_world(v,   k) {
  if (v ~ /0\.0\.0\.0\/0|::\/0|"\*"|"Internet"|"Any"/) return 1
  for (k in worldlocal) if (v ~ ("local\\." k "([^a-zA-Z0-9_]|$)")) return 1
  return 0
}
# 1 if the unit admits TCP port p (aws from/to, gcp allow ports, azure destination ranges).
function covers(u, type, p,   v, a, n, i, lo, hi, proto) {
  if (type ~ /^aws_/) {
    proto = attr(u, "ip_protocol"); if (proto == "") proto = attr(u, "protocol")
    if (proto ~ /"-1"|"all"/) return 1
    lo = attr(u, "from_port") + 0; hi = attr(u, "to_port") + 0
    return (p >= lo && p <= hi)
  }
  if (type ~ /^google_/) {
    if (u !~ /allow[ \t]*\{/) return 0
    v = attr(u, "ports"); if (v == "") return 1
    gsub(/[\[\]" ]/, "", v); n = split(v, a, ",")
    for (i = 1; i <= n; i++) { lo = a[i]; hi = a[i]; if (a[i] ~ /-/) { split(a[i], r, "-"); lo = r[1]; hi = r[2] } if (p >= lo + 0 && p <= hi + 0) return 1 }
    return 0
  }
  v = attr(u, "destination_port_range") " " attr(u, "destination_port_ranges")
  if (v ~ /"\*"/) return 1
  gsub(/[\[\]"]/, "", v); gsub(/[ ,]+/, " ", v); n = split(trim(v), a, " ")
  for (i = 1; i <= n; i++) { lo = a[i]; hi = a[i]; if (a[i] ~ /-/) { split(a[i], r, "-"); lo = r[1]; hi = r[2] } if (p >= lo + 0 && p <= hi + 0) return 1 }
  return 0
}
function check_unit(u, type, name, line,   ingress, src, s, k, n, ports, pi, what) {
  what = type "." name " (line " line ")"
  if (type == "aws_vpc_security_group_ingress_rule") ingress = 1
  else if (type == "aws_security_group") ingress = 1  # an inline ingress block
  else if (type == "aws_security_group_rule") ingress = (attr(u, "type") ~ /ingress/)
  else if (type == "google_compute_firewall") ingress = (attr(u, "direction") == "" || attr(u, "direction") ~ /INGRESS/) && (u ~ /allow[ \t]*\{/)
  else if (type ~ /^azurerm_network_security_(rule|group)$/) ingress = (attr(u, "direction") ~ /Inbound/ && attr(u, "access") ~ /Allow/)
  else return
  if (!ingress) return
  src = ""
  n = split("cidr_ipv4 cidr_ipv6 cidr_blocks ipv6_cidr_blocks prefix_list_id prefix_list_ids referenced_security_group_id source_security_group_id security_groups source_ranges source_tags source_service_accounts source_address_prefix source_address_prefixes source_application_security_group_ids", ks, " ")
  for (k = 1; k <= n; k++) { s = attr(u, ks[k]); if (s != "") src = src (src == "" ? "" : " ") ks[k] "=" s }
  if (type == "google_compute_firewall" && src == "") { report(what " admits the whole internet: an ingress firewall without source_ranges/source_tags means 0.0.0.0/0"); return }
  if (has_world(src)) report(what " admits the whole internet: " src)
  split("8081 22 3389", ports, " ")
  for (pi = 1; pi <= 3; pi++) {
    if (!covers(u, type, ports[pi])) continue
    if (src !~ /^[a-z_0-9]+=\[?var\.operator_cidr\]?$/) report(what " admits operator port " ports[pi] " from " (src == "" ? "(no source)" : src) ", not var.operator_cidr only")
  }
}
function check_block(b, kind, type, name, line,   n, ls, i, d, u, ul, inunit) {
  if (kind == "variable" || kind == "output") {
    if (tolower(type) ~ /secret|passw|access_key|secret_key|private_key|api_key|token|credential|sas_/) report(kind " \"" type "\" (line " line ") has a credential-like name")
    if (kind == "output" && attr(b, "value") ~ /private_key|password|secret|access_key/ && attr(b, "sensitive") != "true")
      report("output \"" type "\" (line " line ") exposes " attr(b, "value") " without sensitive = true")
    return
  }
  if (kind != "resource") return
  if (type == "aws_security_group" || type == "azurerm_network_security_group") {
    # Inline rules: one unit per ingress / security_rule block.
    n = split(b, ls, "\n"); d = 0; inunit = 0
    for (i = 1; i <= n; i++) {
      if (!inunit && d == 1 && ls[i] ~ /^[ \t]*(ingress|security_rule)[ \t]*\{/) { inunit = 1; u = ""; ul = line + i - 1 }
      if (inunit) u = u ls[i] "\n"
      d += delta(ls[i])
      if (inunit && d == 1) { inunit = 0; check_unit(u, type, name, ul) }
    }
    return
  }
  check_unit(b, type, name, line)
}
FNR == 1 {
  shortname = FILENAME; sub("^" root, "", shortname)
  depth = 0; inblock = 0
  delete worldlocal
  # Pre-pass: locals holding a world CIDR (e.g. internet = "0.0.0.0/0").
  while ((getline l < FILENAME) > 0) if (l ~ /^[ \t]*[a-z_0-9]+[ \t]*=[ \t]*"(0\.0\.0\.0\/0|::\/0)"/) { k = l; sub(/^[ \t]*/, "", k); sub(/[ \t]*=.*/, "", k); worldlocal[k] = 1 }
  close(FILENAME)
}
{
  if (!inblock && depth == 0 && $0 ~ /^(resource|data|variable|output)[ \t]/) {
    inblock = 1; block = ""; bline = FNR
    kind = $1; t = $2; gsub(/"/, "", t); nm = $3; gsub(/"/, "", nm)
  }
  if (inblock) block = block $0 "\n"
  depth += delta($0)
  if (inblock && depth == 0) { inblock = 0; check_block(block, kind, t, nm, bline) }
}
END { exit(findings > 0 ? 1 : 0) }
' "${files[@]}"
