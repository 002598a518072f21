#!/usr/bin/env bash
# before/after encode of 100,000 rows (768 -> 24,576), sparse and dense, alternating, JFR allocation totals
set -u
d=/tmp/encbench
out=${1:-$d/compare.log}
: > $out
for round in 1 2; do
  for label in before after; do
    root=/tmp/after-wt; [ $label = before ] && root=/tmp/before-wt
    ROOT=$root $d/run.sh $label-r$round >> $out 2>&1
  done
done
cat $out
