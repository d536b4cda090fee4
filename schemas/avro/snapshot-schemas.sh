#!/usr/bin/env bash
# Releases every changed event contract: copies each src/main/avro/*.avsc that differs from its latest
# src/main/avro-history/<FullName>/v<N>.avsc to v<N+1>.avsc, and refuses changes that are not BACKWARD
# compatible. SchemaEvolutionTest fails the build until this has been run and the new files committed.
# Usage: schemas/avro/snapshot-schemas.sh [extra Maven options, e.g. -o]
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classpath_file="$module_dir/target/snapshot-schemas.classpath"

mvn -q "$@" -f "$module_dir/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$classpath_file"
java -cp "$module_dir/target/classes:$(cat "$classpath_file")" \
  io.channelstream.schemas.evolution.SnapshotSchemas "$module_dir/src/main/avro" "$module_dir/src/main/avro-history"
