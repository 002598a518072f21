#!/usr/bin/env bash
jfr=$(ls /usr/lib/jvm/*25*/bin/jfr | head -1)
$jfr print --events jdk.ThreadAllocationStatistics "$1" | awk '/allocated = /{v=$3; u=$4} /thread = /{last[$0]=v" "u} END{for(t in last){split(last[t],a," "); m=1; if(a[2]=="kB")m=1e3; if(a[2]=="MB")m=1e6; if(a[2]=="GB")m=1e9; s+=a[1]*m}; printf "%.3f GB\n", s/1e9}'
