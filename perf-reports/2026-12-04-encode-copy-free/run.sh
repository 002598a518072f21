#!/usr/bin/env bash
# usage: run.sh LABEL  -- encode 100k rows, sparse and dense, JFR allocation totals
set -u
label=$1; root=${ROOT:-/work/main}; d=/tmp/encbench
for mode in sparse dense; do
  ext=safetensors; [ $mode = dense ] && ext=npy
  out=$d/out-$label-$mode.$ext
  rm -f $out $d/$label-$mode.jfr
  start=$(date +%s.%N)
  SAE4J_JAVA_OPTS="-XX:StartFlightRecording=filename=$d/$label-$mode.jfr,settings=default" \
    $root/bin/sae4j encode --sae $d/w/sae --input $d/x100k.npy --output $out --$mode --json --no-progress > $d/$label-$mode.json 2>$d/$label-$mode.err
  rc=$?
  end=$(date +%s.%N)
  jfr=$(ls /usr/lib/jvm/*25*/bin/jfr | head -1)
  alloc=$($d/alloc.sh $d/$label-$mode.jfr)
  echo "$label $mode rc=$rc wall=$(echo "$end - $start" | bc) s alloc=$alloc $(tail -1 $d/$label-$mode.json)"
  rm -f $out
done
