#!/usr/bin/env bash
# bench.sh - loopback comparison of a firmware-staging HTTP(S) server.
# (smartupdate's copy, run by bench/bench-status; it adds --post-bearer-file.)
# Deps: bash, curl, wrk, awk, ps (procps); optional: dd + iperf3 for --limits.
# Prints one line per figure:  LABEL  METRIC  MEDIAN  UNIT  runs=a/b/c  spread=%
#   (median of --runs; spread = (max-min)/median).  MB = 10^6 bytes.
# Every load loop is bounded: wrk -d, curl --max-time, iperf3 -t.
#
# Example (server must serve big.bin, mid.bin, small.bin at the base URL and
# accept POST at --post-path, answering 2xx):
#   ./bench.sh --label nginx --http http://127.0.0.1:18080 --https https://127.0.0.1:18443 \
#              --pids "$(cat $PEERS/nginx/nginx.pid)" --fw-dir $PEERS/fw
#   ./bench.sh --label python --http http://127.0.0.1:18000 --pids "$(cat $PEERS/py/pid)" --wait-idle 15
#   ./bench.sh --label vsftpd --ftp ftp://127.0.0.1:18021 --pids "$(cat $PEERS/ftp/pid)"
#   ./bench.sh --label limits --limits --fw-dir $PEERS/fw
# Notes: --pids feeds peak RSS and bg% for every protocol in that call, so test each server in
# its own call. listen_overflows = delta of the system-wide TcpExt ListenOverflows counter.
# Peer servers: ./peers.sh start|stop|status (PEERS=${PEERS:-${TMPDIR:-/tmp}/smartupdate-peers}).  Help: ./bench.sh -h
set -u
export LC_ALL=C

HTTP=""; HTTPS=""; FTP=""; LABEL=server; RUNS=3; DUR=15; CONC=64; THREADS=2
POST_PATH=/status; BIG=/big.bin; MID=/mid.bin; SMALL=/small.bin
POST_TOKEN_FILE=""; FW_DIR=""; PIDS=""; LIMITS=0; SKIP=""; RAW=""; IPERF_PORT=15201; WAIT_IDLE=0; WAIT_MAX=300

usage() { sed -n '2,16p' "$0"; cat <<EOF
Options:
  --http URL        plain-HTTP base URL (e.g. http://127.0.0.1:18080)
  --https URL       HTTPS base URL (self-signed OK; curl -k / wrk do not verify)
  --ftp URL         FTP base URL: single-stream download of --big only (e.g. ftp://127.0.0.1:18021)
  --label NAME      label printed in column 1                  [$LABEL]
  --runs N          repetitions per figure (median reported)   [$RUNS]
  --dur S           wrk duration per run, seconds              [$DUR]
  --conc C          wrk connections                            [$CONC]
  --threads T       wrk threads                                [$THREADS]
  --post-path P     path for JSON POST test; "" = skip         [$POST_PATH]
  --post-bearer-file F   send the token in file F as "Authorization: Bearer" with the POSTs
  --big/--mid/--small PATH   file paths under the base URL     [$BIG $MID $SMALL]
  --pids "P..."     server PIDs (children included) for peak RSS (VmHWM reset via clear_refs)
  --fw-dir DIR      local copy of the files: content check of Range replies; needed for --limits
  --skip "a b"      skip tests: single conc small post range
  --limits          run machine limits (dd memory, dd page cache, iperf3 loopback)
  --raw DIR         keep raw tool output here (default: temp dir, deleted)
  --wait-idle PCT   before each run wait (max --wait-max s) until whole-box CPU busy < PCT over 3 s
  --wait-max S      bound for --wait-idle                      [$WAIT_MAX]
EOF
}
while [ $# -gt 0 ]; do
  case "$1" in
    --http) HTTP=${2%/}; shift;; --ftp) FTP=${2%/}; shift;; --https) HTTPS=${2%/}; shift;;
    --label) LABEL=$2; shift;; --runs) RUNS=$2; shift;; --dur) DUR=$2; shift;;
    --conc) CONC=$2; shift;; --threads) THREADS=$2; shift;;
    --post-path) POST_PATH=$2; shift;;
    --post-bearer-file) POST_TOKEN_FILE=$2; shift;;
    --big) BIG=$2; shift;; --mid) MID=$2; shift;; --small) SMALL=$2; shift;;
    --pids) PIDS=$2; shift;; --fw-dir) FW_DIR=$2; shift;; --skip) SKIP=$2; shift;;
    --limits) LIMITS=1;; --wait-idle) WAIT_IDLE=$2; shift;; --wait-max) WAIT_MAX=$2; shift;; --raw) RAW=$2; shift;; --iperf-port) IPERF_PORT=$2; shift;;
    -h|--help) usage; exit 0;;
    *) echo "unknown arg $1" >&2; usage >&2; exit 2;;
  esac; shift
done
if [ -z "$RAW" ]; then RAW=$(mktemp -d); trap 'rm -rf "$RAW"' EXIT; else mkdir -p "$RAW"; fi
skip() { case " $SKIP " in *" $1 "*) return 0;; esac; return 1; }

# ---------- helpers ----------
# stats "v1 v2 v3" -> "median min max spread%"
stats() { echo "$1" | tr ' ' '\n' | awk 'NF&&$1!="NA"{v[n++]=$1+0} END{
  if(!n){print "NA NA NA NA";exit}
  for(i=0;i<n;i++)for(j=i+1;j<n;j++)if(v[j]<v[i]){t=v[i];v[i]=v[j];v[j]=t}
  m=(n%2)?v[int(n/2)]:(v[n/2-1]+v[n/2])/2; s=(m>0)?100*(v[n-1]-v[0])/m:0
  printf "%.6g %.6g %.6g %.1f\n",m,v[0],v[n-1],s}'; }
emit() { # metric unit "values" [note]
  local st med sp runs; st=$(stats "$3"); med=${st%% *}; sp=${st##* }
  runs=$(echo "$3" | awk '{for(i=1;i<=NF;i++){x=$i; if(x!="NA")x=(x+0>=1000?sprintf("%.0f",x):sprintf("%.4g",x)); printf "%s%s",(i>1?"/":""),x}}')
  printf '%-8s %-26s %12s %-7s runs=%s spread=%s%%%s\n' "$LABEL" "$1" "$med" "$2" "$runs" "$sp" "${4:+  $4}"; }
note() { printf '%-8s %-26s %s\n' "$LABEL" "$1" "$2"; }

# wrk units -> numbers
wrk_bytes() { awk -v s="$1" 'BEGIN{u=s;gsub(/[0-9.]/,"",u);v=s+0;m=1
  if(u=="KB")m=1024;else if(u=="MB")m=1048576;else if(u=="GB")m=1073741824;else if(u=="TB")m=1099511627776
  printf "%.0f\n",v*m}'; }
wrk_ms() { awk -v s="$1" 'BEGIN{u=s;gsub(/[0-9.]/,"",u);v=s+0;m=1
  if(u=="us")m=0.001;else if(u=="ms")m=1;else if(u=="s")m=1000;else if(u=="m")m=60000;else if(u=="h")m=3600000
  printf "%.3f\n",v*m}'; }
# parse a wrk --latency output file -> "rps MBps p99ms errors non2xx"
wrk_parse() { local f=$1 rps tps p99 err n2
  rps=$(awk '/^Requests\/sec:/{print $2}' "$f"); tps=$(awk '/^Transfer\/sec:/{print $2}' "$f")
  p99=$(awk '$1=="99%"{print $2}' "$f")
  err=$(awk '/Socket errors:/{gsub(/,/,"");print $4+$6+$8+$10}' "$f")
  n2=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$f")
  [ -n "$tps" ] && tps=$(awk -v b="$(wrk_bytes "$tps")" 'BEGIN{printf "%.1f",b/1e6}')
  [ -n "$p99" ] && p99=$(wrk_ms "$p99")
  echo "${rps:-NA} ${tps:-NA} ${p99:-NA} ${err:-0} ${n2:-0}"; }

# peak RSS via /proc/PID/status VmHWM (reset with clear_refs=5 before each test)
allpids() { local p c; for p in $PIDS; do echo "$p"; for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do echo "$c"; done; done; }
rss_reset() { local p; for p in $(allpids); do echo 5 > /proc/"$p"/clear_refs 2>/dev/null; done; }
rss_peak_mib() { local f=() p; for p in $(allpids); do f+=(/proc/"$p"/status); done
  [ ${#f[@]} -eq 0 ] && { echo NA; return; }
  awk '/^VmHWM:/{t+=$2} END{printf "%.1f\n",t/1024}' "${f[@]}" 2>/dev/null; }

# background CPU: busy CPU on the whole box minus the server (--pids + children) minus this script's
# own children (curl/wrk), as % of all CPUs over the run. High bg% = another workload was competing.
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100); NCPU=$(nproc 2>/dev/null || echo 1)
cpu_snap() { local s=0 p t
  for p in $(allpids); do t=$(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12+$13}'); s=$((s+${t:-0})); done
  echo "$(awk '/^cpu /{print $2+$3+$4+$9}' /proc/stat) $s $(sed 's/.*) //' /proc/$$/stat | awk '{print $12+$13+$14+$15}') $(date +%s.%N)"; }
cpu_bg() { awk -v a="$1" -v b="$2" -v hz="$HZ" -v n="$NCPU" 'BEGIN{split(a,x," ");split(b,y," ")
  w=(y[4]-x[4])*hz*n; if(w<=0){print "NA";exit}; v=100*((y[1]-x[1])-(y[2]-x[2])-(y[3]-x[3]))/w; if(v<0)v=0; printf "%.0f\n",v}'; }

box_busy() { local a b; a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat); sleep "${1:-3}"
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
  echo "$a $b" | awk '{u=$3-$1; i=$4-$2; printf "%.0f", (u+i>0)?100*u/(u+i):0}'; }
wait_idle() { [ "$WAIT_IDLE" -gt 0 ] || return 0; local t0=$SECONDS b
  while [ $((SECONDS-t0)) -lt "$WAIT_MAX" ]; do b=$(box_busy 3); [ "$b" -lt "$WAIT_IDLE" ] && return 0; done
  echo "# warn: box still busy (${b}%) after ${WAIT_MAX}s wait" >&2; }

# kernel counter: SYNs/ACKs dropped because the server's accept queue (listen backlog) was full
listen_ovf() { awk '/^TcpExt:/{if(!h){for(i=1;i<=NF;i++)k[i]=$i;h=1}else{for(i=1;i<=NF;i++)if(k[i]=="ListenOverflows")print $i}}' /proc/net/netstat; }

run_wrk() { # name url [lua] ; appends parsed results to global arrays
  local name=$1 url=$2 lua=${3:-} i out r
  W_RPS=""; W_MBPS=""; W_P99=""; W_ERR=""; W_RSS=""; W_BG=""; W_LOV=""; local c0 l0
  for i in $(seq 1 "$RUNS"); do
    wait_idle; out=$RAW/$LABEL.$name.$i.txt; rss_reset; c0=$(cpu_snap); l0=$(listen_ovf)
    if [ -n "$lua" ]; then wrk -t"$THREADS" -c"$CONC" -d"${DUR}s" --timeout 60s --latency -s "$lua" "$url" > "$out" 2>&1
    else wrk -t"$THREADS" -c"$CONC" -d"${DUR}s" --timeout 60s --latency "$url" > "$out" 2>&1; fi
    W_BG+="$(cpu_bg "$c0" "$(cpu_snap)")/"; W_LOV+="$(( $(listen_ovf) - l0 ))/"; r=($(wrk_parse "$out"))
    W_RPS+="${r[0]} "; W_MBPS+="${r[1]} "; W_P99+="${r[2]} "; W_ERR+="$((r[3]+r[4])) "
    W_RSS+="$(rss_peak_mib) "; sleep 1
  done; }

curl_single() { # name url -> median MB/s of one-stream download
  local name=$1 url=$2 i v vals="" exp got code rss="" bg="" c0
  exp=$(curl -sk -I --max-time 10 "$url" | awk 'tolower($1)=="content-length:"{print $2+0}')
  for i in $(seq 1 "$RUNS"); do
    wait_idle; rss_reset; c0=$(cpu_snap)
    read -r v got code < <(curl -sk --max-time 300 -o /dev/null -w '%{speed_download} %{size_download} %{http_code}\n' "$url")
    wait 2>/dev/null; bg+="$(cpu_bg "$c0" "$(cpu_snap)")/"
    case "$code" in 200|226) [ "${exp:-$got}" = "$got" ] || v=NA;; *) v=NA;; esac
    vals+="$(awk -v b="$v" 'BEGIN{if(b=="NA")print "NA";else printf "%.1f",b/1e6}') "; rss+="$(rss_peak_mib) "; sleep 1
  done
  emit "${name}_MBps" MB/s "$vals" "(size=$got code=$code) bg%=${bg%/}"
  [ -n "$PIDS" ] && emit "${name}_peakRSS" MiB "$rss"; }

range_check() { # name url localfile
  local name=$1 url=$2 lf=${3:-} code sz ok=""
  read -r code sz < <(curl -sk --max-time 30 --max-filesize 1000000 -r 100-199 -o "$RAW/range.bin" -w '%{http_code} %{size_download}\n' "$url")
  if [ "$code" = 206 ] && [ "$sz" = 100 ]; then ok=OK; else ok=FAIL; fi
  if [ "$ok" = OK ] && [ -n "$lf" ] && [ -f "$lf" ]; then
    cmp -s "$RAW/range.bin" <(dd if="$lf" bs=1 skip=100 count=100 2>/dev/null) || ok="FAIL(content)"; fi
  note "$name" "$ok http=$code bytes=$sz (expect 206/100)"; }

mk_post_lua() { local body pad
  # a status event as smartupdate's contract defines it (node, phase, progress, component, message), padded to ~300 bytes
  body='{"node":"ilo-10.0.0.42","phase":"downloading","progress":50,"component":"ilo5_281.bin","at":"2026-01-01T00:00:00Z","message":"'
  pad=$((300 - ${#body} - 2)); body+=$(printf '%*s' "$pad" '' | tr ' ' 'x')'"}'
  cat > "$RAW/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
EOF
  [ -z "$POST_TOKEN_FILE" ] || printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$(tr -d ' \n' < "$POST_TOKEN_FILE")" >> "$RAW/post.lua"
  echo "$RAW/post.lua"; }

# ---------- server tests ----------
server_tests() { # scheme base
  local s=$1 b=$2 r
  skip range || { range_check "range_${s}_small" "$b$SMALL" "${FW_DIR:+$FW_DIR/${SMALL#/}}"
                  range_check "range_${s}_big"   "$b$BIG"   "${FW_DIR:+$FW_DIR/${BIG#/}}"; }
  skip single || curl_single "single_${s}_big" "$b$BIG"
  if ! skip conc; then run_wrk "conc_${s}" "$b$MID"
    emit "conc${CONC}_${s}_mid_MBps" MB/s "$W_MBPS" "bg%=${W_BG%/}"; emit "conc${CONC}_${s}_mid_errs" count "$W_ERR" "listen_overflows=${W_LOV%/}"
    [ -n "$PIDS" ] && emit "conc${CONC}_${s}_peakRSS" MiB "$W_RSS"; fi
  if ! skip small; then run_wrk "small_${s}" "$b$SMALL"
    emit "small_${s}_rps" req/s "$W_RPS" "bg%=${W_BG%/}"; emit "small_${s}_p99" ms "$W_P99"; emit "small_${s}_errs" count "$W_ERR" "listen_overflows=${W_LOV%/}"; fi
  if [ -n "$POST_PATH" ] && ! skip post; then
    r=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' ${POST_TOKEN_FILE:+-H "Authorization: Bearer $(tr -d ' \n' < "$POST_TOKEN_FILE")"} --data-binary @<(awk -F"'" '/wrk.body/{print $2}' "$LUA") "$b$POST_PATH")
    run_wrk "post_${s}" "$b$POST_PATH" "$LUA"
    emit "post_${s}_rps" req/s "$W_RPS" "(probe status=$r) bg%=${W_BG%/}"; emit "post_${s}_p99" ms "$W_P99"; emit "post_${s}_errs" count "$W_ERR" "(socket errors + non-2xx/3xx) listen_overflows=${W_LOV%/}"; fi
}

limits() {
  local i v vals f
  vals=""; for i in $(seq 1 "$RUNS"); do wait_idle
    v=$(dd if=/dev/zero of=/dev/null bs=1M count=20000 2>&1 | sed -n 's/^\([0-9]*\) bytes.* copied, \([0-9.e-]*\) s,.*/\1 \2/p' | awk '{printf "%.0f",$1/$2/1e6}')
    vals+="${v:-NA} "; done; emit dd_zero_null_1M MB/s "$vals"
  if [ -n "$FW_DIR" ] && [ -f "$FW_DIR/${BIG#/}" ]; then f=$FW_DIR/${BIG#/}
    dd if="$f" iflag=nocache count=0 2>/dev/null   # evict this file only from page cache
    v=$(dd if="$f" of=/dev/null bs=1M 2>&1 | sed -n 's/^\([0-9]*\) bytes.* copied, \([0-9.e-]*\) s,.*/\1 \2/p' | awk '{printf "%.0f",$1/$2/1e6}')
    emit dd_bigfile_cold MB/s "${v:-NA}" "(after iflag=nocache evict; 1 run)"
    vals=""; for i in $(seq 1 "$RUNS"); do wait_idle
      v=$(dd if="$f" of=/dev/null bs=1M 2>&1 | sed -n 's/^\([0-9]*\) bytes.* copied, \([0-9.e-]*\) s,.*/\1 \2/p' | awk '{printf "%.0f",$1/$2/1e6}')
      vals+="${v:-NA} "; done; emit dd_bigfile_pagecache MB/s "$vals"
  fi
  if command -v iperf3 >/dev/null; then
    vals=""; for i in $(seq 1 "$RUNS"); do wait_idle
      iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" -1 > "$RAW/iperf_s.$i.txt" 2>&1 & local sp=$!; sleep 0.5
      v=$(timeout 30 iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t 10 -f m 2>&1 | tee "$RAW/iperf_c.$i.txt" | awk '/receiver/{for(k=1;k<=NF;k++)if($k=="Mbits/sec")printf "%.0f",$(k-1)/8}')  # iperf3 rate units are 10^6 bit
      v=${v:-NA}
      vals+="$v "; sleep 0.5; kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null; done
    emit iperf3_loopback_1stream MB/s "$vals"
  else note iperf3_loopback "iperf3 not installed"; fi
}

LUA=$(mk_post_lua)
IDLE=$(box_busy 2)
echo "# bench.sh label=$LABEL runs=$RUNS dur=${DUR}s conc=$CONC threads=$THREADS $(date -u +%FT%TZ) host=$(hostname) cpus=$NCPU busy_before=${IDLE}% load=$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$LIMITS" = 1 ] && limits
[ -n "$HTTP" ] && server_tests http "$HTTP"
[ -n "$HTTPS" ] && server_tests https "$HTTPS"
[ -n "$FTP" ] && curl_single "single_ftp_big" "$FTP$BIG"
exit 0
