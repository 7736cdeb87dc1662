#!/usr/bin/env bash
# The cost of --encrypt-to: backup and restore through the launcher with and without encryption, same database.
# Usage: benchmarks/run-encryption.sh [--rows N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.crypto.EncryptionOverheadBenchmark --cli-jar $(pwd)/cli/target/lifeboat.jar $*"
