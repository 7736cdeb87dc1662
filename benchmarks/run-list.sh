#!/usr/bin/env bash
# CLI start-up: `lifeboat list` of a 100-snapshot file target, launcher (with its CDS archive) vs java -jar.
# Usage: benchmarks/run-list.sh [--snapshots N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.pg.ListBenchmark --cli-jar $(pwd)/cli/target/lifeboat.jar $*"
