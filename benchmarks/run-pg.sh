#!/usr/bin/env bash
# PostgreSQL backup and restore: Lifeboat (CLI and library, 64 MB heap) against pg_dump -Fc / pg_restore.
# Usage: benchmarks/run-pg.sh [--rows N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.pg.PgBackupBenchmark --cli-jar $(pwd)/cli/target/lifeboat.jar $*"
