#!/usr/bin/env bash
# Supabase-aware backup (through the bin/lifeboat launcher) against pg_dump -Fc of the same Supabase-shaped database.
# Usage: benchmarks/run-supabase.sh [--rows N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.supabase.SupabaseBackupBenchmark --launcher $(pwd)/cli/target/bin/lifeboat $*"
