#!/usr/bin/env bash
# MongoDB: archive export against a raw driver drain (client heap 128 MB), and the PostgreSQL JSONB
# standby load against batched INSERT loaders.
# Usage: benchmarks/run-mongo.sh [collections docsPerCollection [standbyDocuments]]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
cp=$(mktemp)
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cp"
classpath="benchmarks/target/classes:$(cat "$cp")"
java -Xmx128m -cp "$classpath" dev.lifeboat.benchmarks.mongo.ArchiveExportBenchmark "${1:-4}" "${2:-250000}"
java -Xmx128m -cp "$classpath" dev.lifeboat.benchmarks.mongo.JsonbLoadBenchmark "${3:-200000}"
rm -f "$cp"
