# Sourced by both launchers (bin/smartupdate in a clone, bin/smartupdate of the tarball and the .deb):
# which Java runs the server, and the start-up cache it reuses. POSIX sh. Sets $java, $feature, $jvm_opts.
#   su_jvm CACHE_DIR CLASSPATH_NEWEST LAUNCHER "$(su_mode "$@")"; ...; su_exec "$java" ... "$@"
# CACHE_DIR holds the class-data archive and the unpacked native libraries ("" = none);
# CLASSPATH_NEWEST is a file that changes with any jar of the class path (an archive older than it
# is stale); LAUNCHER is the launcher itself (the training run is "LAUNCHER train").

# The feature release of the java binary $1 from its release file (no JVM start), or 0.
su_java_feature() {
  su_bin=$(command -v "$1" 2>/dev/null) || { echo 0; return; }
  su_rel=$(dirname "$(dirname "$(readlink -f "$su_bin")")")/release
  # A wrapper script has no release file beside it: sed fails, and under set -e that must not end the launcher.
  su_v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$su_rel" 2>/dev/null || true)
  echo "${su_v:-0}"
}

# Java: SMARTUPDATE_JAVA, then JAVA, then JAVA_HOME/bin/java when one is set; otherwise the newest
# Java, 17 or later, among java on the PATH and /usr/lib/jvm/* (JDK 25 served small requests
# 13-15% faster than 17 and starts from its ahead-of-time cache). --version says which one ran.
su_pick_java() {
  java=${SMARTUPDATE_JAVA:-${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}}
  if [ -n "$java" ]; then feature=$(su_java_feature "$java"); return; fi
  java=java; feature=$(su_java_feature java)
  for su_candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$su_candidate" ] || continue
    su_f=$(su_java_feature "$su_candidate")
    if [ "$su_f" -gt "$feature" ]; then java=$su_candidate; feature=$su_f; fi
  done
}

# Start-up cache, kept only while the class path is unchanged:
# - JDK 25+: the ahead-of-time cache (JEP 483/514/515: classes loaded and linked, method profiles);
# - JDK 17-24: a class-data archive of the application's classes (AppCDS).
# It comes from a training run, `smartupdate train` (cli/TrainCommand: a loopback server with
# temporary state and a few hundred requests): postinst runs it, and a server that starts without a
# cache runs it in the background, niced, one at a time. The run writes under a temporary name and the
# file is renamed into place only when complete, so a run cut short leaves nothing that is used; a
# serving JVM never dumps anything at its exit. SMARTUPDATE_CDS=off leaves all this out.
su_cache_opts() { # cache-dir newest launcher mode(serve|train|other|brief)
  su_dir=$1; su_newest=$2; su_launcher=$3; su_mode=$4; su_training=""
  # --version and --help: the AOT cache would load and link its ~7,000 classes for two lines of text
  [ "$su_mode" = brief ] && return 0
  [ "${SMARTUPDATE_CDS:-on}" != off ] && [ "$feature" -ge 17 ] && [ -n "$su_dir" ] && [ -d "$su_dir" ] || return 0
  if [ "$feature" -ge 25 ]; then su_archive=$su_dir/smartupdate-java$feature.aot; else su_archive=$su_dir/smartupdate-java$feature.jsa; fi
  su_writable=""; [ -w "$su_dir" ] && su_writable=1
  su_lock=$su_dir/training.pid; su_busy=""
  [ -f "$su_lock" ] && kill -0 "$(cat "$su_lock" 2>/dev/null)" 2>/dev/null && su_busy=1
  if [ -n "$su_writable" ] && [ -z "$su_busy" ]; then
    for su_old in "$su_dir"/smartupdate-java*; do
      [ -f "$su_old" ] || continue
      case $su_old in *.tmp|*.tmp.*) rm -f "$su_old";; *) [ "$su_newest" -nt "$su_old" ] && rm -f "$su_old";; esac
    done
  fi
  if [ "$su_mode" = train ]; then
    [ -n "$su_writable" ] || { echo "smartupdate: $su_dir is not writable: no start-up cache to write" >&2; exit 1; }
    su_training=$su_archive.$$.tmp
    if [ "$feature" -ge 25 ]; then jvm_opts="$jvm_opts -XX:AOTCacheOutput=$su_training -Xlog:aot=off -Xlog:cds=off"
    else jvm_opts="$jvm_opts -XX:ArchiveClassesAtExit=$su_training -Xlog:cds=off -Xlog:cds+dynamic=off"; fi
  elif [ -s "$su_archive" ]; then
    if [ "$feature" -ge 25 ]; then jvm_opts="$jvm_opts -XX:AOTCache=$su_archive -Xlog:aot=off -Xlog:cds=off"
    else jvm_opts="$jvm_opts -XX:SharedArchiveFile=$su_archive -Xlog:cds=off -Xlog:cds+dynamic=off"; fi
  elif [ "$su_mode" = serve ] && [ -n "$su_writable" ] && [ -z "$su_busy" ]; then
    nice -n 19 "$su_launcher" train </dev/null >/dev/null 2>&1 &
    echo $! > "$su_lock"
  fi
  return 0
}

# Runs the java command line "$@": exec'd, so that signals reach the JVM; the training run instead
# runs to its end, then its archive, if complete, is renamed into place (the JDK writes its header,
# with the magic, last).
su_exec() {
  [ -n "$su_training" ] || exec "$@"
  "$@" >/dev/null || { su_status=$?; rm -f "$su_training"*; exit "$su_status"; }
  if [ "$(head -c4 "$su_training" 2>/dev/null | od -An -tx1 | tr -d ' \n' | cut -c3-8)" = ab0bf0 ]; then
    mv -f "$su_training" "$su_archive" && echo "smartupdate: start-up cache written: $su_archive"
  else
    rm -f "$su_training"*; echo "smartupdate: the training run wrote no start-up cache" >&2; exit 1
  fi
}

# Two malloc arenas, not 8 per core: the threads that malloc (TLS, SQLite, the JIT) are few, and
# every arena keeps what it once held (BENCHMARKS.md, "Issue 22: memory").
su_malloc_env() {
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}; export MALLOC_ARENA_MAX
}

su_jvm() { # cache-dir newest launcher mode
  jvm_opts=""
  su_pick_java
  su_malloc_env
  # Restricted native calls (SQLite's loader) warn on JDK 22+ unless allowed.
  [ "$feature" -ge 22 ] && jvm_opts="--enable-native-access=ALL-UNNAMED"
  # A cache directory that cannot be made (another user's, read-only) means no cache, never a failed start.
  [ -n "$1" ] && { [ -d "$1" ] || mkdir -p "$1" 2>/dev/null || true; }
  su_cache_opts "$1" "$2" "$3" "$4"
  # Two lines of output are not worth the optimising compiler's threads.
  [ "$4" = brief ] && jvm_opts="$jvm_opts -XX:TieredStopAtLevel=1"
  # Native libraries (SQLite's, BoringSSL's) unpacked once into the cache, not into /tmp at every
  # start (core/NativeLibraries.java); java.library.path is where netty-tcnative looks first.
  if [ -n "$1" ] && [ -d "$1" ]; then
    jvm_opts="$jvm_opts -Dsmartupdate.cache=$1 -Djava.library.path=$1/native"
  fi
  return 0
}

# The JVM options for the command line "$@" when SMARTUPDATE_JAVA_OPTS names none (measured in
# BENCHMARKS.md, "Issue 22: memory"; bench/ reads them from here). Call after su_jvm ($feature).
# A server streams files, it does not hold them: a live heap near 25 MiB, a fixed 12 MiB young
# generation (request garbage), and -Xmx128m so that SerialGC collects the tenured generation instead
# of growing it towards the cap under sustained posts (the 12 MiB nonce cache included). deploy and
# analyze hold a record per BMC and their HTTPS clients: a heap of their own, and C1 only (they wait on
# BMCs; without C2's arenas and code deploy peaked 50 MiB lower at the same CPU per BMC). On JDK 22+ (17.0.8 and
# older lack the flag) the JVM hands freed malloc memory (compiler arenas, TLS state) back every 5 s.
su_java_opts() {
  su_trim=""; [ "${feature:-0}" -ge 22 ] && su_trim=" -XX:TrimNativeHeapInterval=5000"
  for su_arg in "$@"; do
    case $su_arg in
      deploy|analyze) echo "-Xms16m -Xmx160m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1$su_trim"; return;;
    esac
  done
  echo "-Xms32m -Xmx128m -Xmn12m -XX:MaxDirectMemorySize=64m -XX:+UseSerialGC -Xss512k$su_trim"
}

# What the command line "$@" runs: serve (a server: it may start the training run), train, brief
# (--version, --help: no cache) or other (a subcommand: it uses the cache, never starts a training run).
su_mode() {
  [ "${1:-}" = train ] && { echo train; return; }
  for su_arg in "$@"; do
    case $su_arg in
      -V|--version|-h|--help|'/?') echo brief; return;;
      ports|deploy|status|analyze|import) echo other; return;;
    esac
  done
  echo serve
}
