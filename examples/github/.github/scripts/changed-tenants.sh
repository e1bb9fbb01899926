#!/usr/bin/env bash
# Prints, as a JSON array, the ids of the tenants a change between two commits touches:
#   - tenants/<id>.yaml added or changed (a deleted tenant file is left alone: stoicprov stops managing it);
#   - rosters/<file> changed: every tenant whose file names that roster;
#   - stoicprov.yaml changed, or BASE unknown (a new branch, a first push): every tenant.
# Usage: changed-tenants.sh BASE HEAD [WORKSPACE]   (run from the repository root)
set -euo pipefail
base=$1
head=$2
workspace=${3:-.}
prefix=""
[ "$workspace" = "." ] || prefix="${workspace%/}/"

all_tenants() {
  for file in "$workspace"/tenants/*.yaml "$workspace"/tenants/*.yml; do
    if [ -f "$file" ]; then basename "${file%.*}"; fi
  done
}

if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  ids=$(all_tenants)
else
  changed=$(git diff --name-only "$base" "$head" -- "${prefix:-.}")
  if grep -qxF "${prefix}stoicprov.yaml" <<<"$changed"; then
    ids=$(all_tenants)
  else
    ids=$(
      while IFS= read -r path; do
        case "$path" in
          "${prefix}"tenants/*.yaml | "${prefix}"tenants/*.yml)
            if [ -f "$path" ]; then basename "${path%.*}"; fi ;;
          "${prefix}"rosters/*)
            { grep -lF -- "$(basename "$path")" "$workspace"/tenants/*.y*ml 2>/dev/null || true; } |
              while IFS= read -r file; do basename "${file%.*}"; done ;;
        esac
      done <<<"$changed"
    )
  fi
fi

# One JSON array of unique, sorted ids (ids are [a-z0-9-], so no escaping is needed).
printf '%s\n' $ids | { grep -v '^$' || true; } | sort -u | awk 'BEGIN { printf "[" } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 } END { print "]" }'
