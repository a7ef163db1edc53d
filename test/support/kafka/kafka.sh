#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft) broker for the tests, from Maven Central jars.
#
#   kafka.sh fetch            resolve the jars into the cache (once; later runs reuse it)
#   kafka.sh start            fetch, write config (first start only), format storage, start, wait for the port
#   kafka.sh stop             SIGTERM, wait for a clean shutdown (SIGKILL after KAFKA_STOP_TIMEOUT s)
#   kafka.sh kill             SIGKILL (a crash; the next start reuses the same log dirs and ports)
#   kafka.sh status           "running <pid> <bootstrap>" (exit 0) or "stopped" (exit 3)
#   kafka.sh clean            stop and delete the state dir
#   kafka.sh cache-dir        print the jar cache dir
#
# Environment:
#   KAFKA_VERSION     org.apache.kafka:kafka_2.13 version (default 4.1.2; Maven Central serves 4.0.0-4.4.0)
#   KAFKA_CACHE       jar cache, outside the repo (default $HOME/.cache/toc-hub/kafka-$KAFKA_VERSION)
#   KAFKA_STATE_DIR   config, log dirs, pid, ports and output of one broker (default /tmp/toc-hub-kafka-$USER)
#   KAFKA_HEAP        JVM heap flags (default "-Xms256m -Xmx512m")
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
KAFKA_CACHE="${KAFKA_CACHE:-$HOME/.cache/toc-hub/kafka-$KAFKA_VERSION}"
STATE="${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/toc-hub-kafka-${USER:-$(id -un 2>/dev/null || echo user)}}"
HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
LIB="$KAFKA_CACHE/lib"

say() { echo "[kafka.sh] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH"; }

# ---- jars ----------------------------------------------------------------------------------------
pom() { # $1 = dependencies XML
  cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>toc-hub.test</groupId><artifactId>kafka-runtime</artifactId><version>0</version>
  <packaging>pom</packaging>
  <dependencies>$1</dependencies>
</project>
POM
}

mvn_copy() { # $1 = pom file
  mvn -q -B -f "$1" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB.partial" >"$KAFKA_CACHE/mvn.log" 2>&1 ||
    { tail -n 40 "$KAFKA_CACHE/mvn.log" >&2; die "mvn dependency:copy-dependencies failed (see $KAFKA_CACHE/mvn.log)"; }
}

fetch() {
  [[ -f "$LIB/.complete" ]] && return 0
  need mvn
  mkdir -p "$KAFKA_CACHE"
  rm -rf "$LIB.partial"
  say "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central into $KAFKA_CACHE (first run only)"
  pom "<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>" >"$KAFKA_CACHE/pom.xml"
  mvn_copy "$KAFKA_CACHE/pom.xml"

  # No logging back end comes with the POM: add log4j2 and the SLF4J binding matching slf4j-api's major.
  local slf4j log4j binding
  slf4j="$(ls "$LIB.partial" | sed -n 's/^slf4j-api-\([0-9.]*\)\.jar$/\1/p' | head -n1)"
  [[ -n "$slf4j" ]] || die "no slf4j-api in the resolved jars"
  log4j="$(ls "$LIB.partial" | sed -n 's/^log4j-api-\([0-9.]*\)\.jar$/\1/p' | head -n1)"
  log4j="${log4j:-2.24.3}"
  case "$slf4j" in
    1.*) binding=log4j-slf4j-impl ;;
    *) binding=log4j-slf4j2-impl ;;
  esac
  say "slf4j-api $slf4j -> $binding $log4j"
  pom "<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$log4j</version></dependency>
       <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>$binding</artifactId><version>$log4j</version></dependency>" \
    >"$KAFKA_CACHE/pom-logging.xml"
  mvn_copy "$KAFKA_CACHE/pom-logging.xml"

  # Check the main classes against the resolved jars before relying on them.
  local cls listing=""
  for jar in "$LIB.partial"/*.jar; do listing+="$(unzip -Z1 "$jar" 2>/dev/null || true)"$'\n'; done
  for cls in kafka/Kafka.class kafka/tools/StorageTool.class; do
    grep -qx "$cls" <<<"$listing" || die "main class ${cls%.class} not found in the resolved jars"
  done
  touch "$LIB.partial/.complete"
  rm -rf "$LIB" && mv "$LIB.partial" "$LIB"
  say "resolved $(ls "$LIB"/*.jar | wc -l) jars"
}

# ---- broker --------------------------------------------------------------------------------------
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

pid_alive() { [[ -f "$STATE/kafka.pid" ]] && kill -0 "$(cat "$STATE/kafka.pid")" 2>/dev/null; }

java_cmd() { # sets JAVA_CMD: java with heap, log4j2 config and the cached classpath
  # shellcheck disable=SC2206
  JAVA_CMD=(java $HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$STATE/log4j2.properties" -Dkafka.logs.dir="$STATE/logs" \
    -cp "$LIB/*")
}
java_run() { java_cmd; "${JAVA_CMD[@]}" "$@"; }

configure() { # first start only: ports, properties, cluster id
  [[ -f "$STATE/server.properties" ]] && return 0
  mkdir -p "$STATE/data" "$STATE/logs"
  local broker controller
  broker="$(free_port)"
  controller="$(free_port)"
  while [[ "$controller" == "$broker" ]]; do controller="$(free_port)"; done
  cat >"$STATE/log4j2.properties" <<PROPS
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
PROPS
  cat >"$STATE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$broker,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$broker
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Kafka 4 waits up to 5 ms per offset commit by default; tests commit after every message.
group.coordinator.append.linger.ms=0
# After a SIGKILL the controller keeps the old broker registration until its session times out (9 s by
# default) and the restarted broker waits for that: shorten it for fast restarts in tests.
broker.session.timeout.ms=3000
broker.heartbeat.interval.ms=500
auto.create.topics.enable=false
log.retention.hours=24
PROPS
  echo "127.0.0.1:$broker" >"$STATE/bootstrap"
}

format() {
  [[ -f "$STATE/data/meta.properties" ]] && return 0
  local id
  id="$(java_run kafka.tools.StorageTool random-uuid | tail -n1)"
  # A static controller.quorum.voters: no --standalone.
  java_run kafka.tools.StorageTool format -t "$id" -c "$STATE/server.properties" >"$STATE/logs/format.log" 2>&1 ||
    { cat "$STATE/logs/format.log" >&2; die "storage format failed"; }
}

wait_port() {
  local hostport port deadline
  hostport="$(cat "$STATE/bootstrap")"
  port="${hostport##*:}"
  deadline=$((SECONDS + START_TIMEOUT))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    pid_alive || { tail -n 40 "$STATE/kafka.out" >&2; die "broker exited during start-up"; }
    ((SECONDS < deadline)) || { tail -n 40 "$STATE/kafka.out" >&2; die "broker not listening after ${START_TIMEOUT}s"; }
    sleep 0.2
  done
}

start() {
  need java
  fetch
  if pid_alive; then say "already running (pid $(cat "$STATE/kafka.pid"))"; status; return 0; fi
  configure
  format
  java_cmd
  "${JAVA_CMD[@]}" kafka.Kafka "$STATE/server.properties" >>"$STATE/kafka.out" 2>&1 </dev/null &
  echo $! >"$STATE/kafka.pid"
  wait_port
  status
}

stop() { # $1 = signal
  local sig="${1:-TERM}" pid deadline
  pid_alive || { rm -f "$STATE/kafka.pid"; say "not running"; return 0; }
  pid="$(cat "$STATE/kafka.pid")"
  kill "-$sig" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then say "no clean stop after ${STOP_TIMEOUT}s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.1
  done
  rm -f "$STATE/kafka.pid"
}

status() {
  if pid_alive; then echo "running $(cat "$STATE/kafka.pid") $(cat "$STATE/bootstrap")"; else echo "stopped"; return 3; fi
}

# java_run is used under setsid, which needs an executable: export it through bash.
if [[ "${1:-}" == "__java_run" ]]; then shift; java_run "$@"; exit; fi
setsid() { command setsid bash "$0" __java_run "${@:2}"; }

case "${1:-}" in
  fetch) need java; fetch; echo "$LIB" ;;
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;
  status) status ;;
  cache-dir) echo "$KAFKA_CACHE" ;;
  clean) stop TERM; rm -rf "$STATE" ;;
  *) echo "usage: $0 fetch|start|stop|kill|status|clean|cache-dir" >&2; exit 2 ;;
esac
