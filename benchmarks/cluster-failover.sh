#!/usr/bin/env bash
# Failover through a gateway under load (docs/performance.md, "A gateway in front of three cluster members"):
# three members and a gateway on loopback, `meridian load` through the gateway, SIGKILL of the leader 8 s in. The
# load's max latency is the stall; its error count says whether any order went unanswered.
# Usage: benchmarks/cluster-failover.sh [RUNS]   (after `mvn -B -DskipTests package`; ports 32000-32299 and 18090)
set -euo pipefail
RUNS=${1:-5}
JAR=${JAR:-app/target/meridian.jar}
CONFIG=$(mktemp)
echo '{"auth":{"mode":"signed","signatureChecksPerSecond":1000000},"devMode":true,"ordersPerSecondPerAccount":1000000,"requestsPerSecondPerConnection":1000000}' > "$CONFIG"
JAVA=(java --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
for run in $(seq 1 "$RUNS"); do
  DIR=$(mktemp -d)
  PIDS=()
  for i in 0 1 2; do
    "${JAVA[@]}" -Xmx512m -jar "$JAR" cluster-node --id $i --members localhost,localhost,localhost --dir "$DIR/m$i" \
        --port-base 32000 --config "$CONFIG" > "$DIR/m$i.log" 2>&1 &
    PIDS+=($!)
  done
  sleep 12
  "${JAVA[@]}" -Xmx1g -jar "$JAR" node --cluster localhost,localhost,localhost --cluster-port-base 32000 \
      --config "$CONFIG" --http-port 18090 --data-dir "$DIR/gateway" --client-id 21 > "$DIR/gateway.log" 2>&1 &
  GATEWAY=$!
  sleep 10
  java -jar "$JAR" load --url http://127.0.0.1:18090 --warmup 2 --seconds 12 --window 16 > "$DIR/load.log" 2>&1 &
  LOAD=$!
  sleep 8
  LEADER=$(curl -s http://127.0.0.1:18090/health | grep -o '"leader":[0-9]*' | cut -d: -f2)
  kill -9 "${PIDS[$LEADER]}"
  wait "$LOAD" || true
  echo "run $run: killed leader $LEADER; $(grep -o 'max [0-9]* us; [0-9]* errors' "$DIR/load.log");" \
      "$(grep -o 'orders_per_s=[0-9]*' "$DIR/load.log")"
  kill "$GATEWAY" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$DIR"
done
rm -f "$CONFIG"
