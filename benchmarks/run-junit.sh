#!/usr/bin/env bash
# lifeboat-junit: a per-test template copy against a full restore per test.
# Usage: benchmarks/run-junit.sh [--rows N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.junit.TemplateCopyBenchmark $*"
