# Sourced by bench/bench-deploy and bench/bench-analyze (from the project's directory): builds the
# programs and their class path, raises the open-files limit, and writes bin/smartupdate's start-up
# cache, so that the commands they run through bin/smartupdate start as shipped and no training
# run starts in the background mid-benchmark. Prints the header line NAME: commit, cores, load.
bench_prepare() { # name
  mvn -B -q -o -Dstyle.color=never -Ddist.skip=true -DskipTests -Pbench package test-compile >&2
  mvn -B -q -o -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
  ulimit -n 65536 2>/dev/null || true
  bin/smartupdate train 2>&1 | sed "/^Picked up JAVA_TOOL_OPTIONS/d" >&2
  echo "$1: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
