import re, collections, subprocess, sys, glob
jfr = sorted(glob.glob('/usr/lib/jvm/*25*/bin/jfr'))[0]
for path in sys.argv[1:]:
    out = subprocess.run([jfr, 'print', '--events', 'jdk.ObjectAllocationSample', '--stack-depth', '3', path],
                         capture_output=True, text=True).stdout
    vec = other = 0.0
    for e in out.split('jdk.ObjectAllocationSample {')[1:]:
        w = re.search(r'weight = ([\d.]+) (\w+)', e)
        if not w:
            continue
        v = float(w.group(1)) * {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}.get(w.group(2), 1)
        top = re.findall(r'^\s+([\w.$<>]+)\(', e, re.M)
        if top and top[0].startswith(('jdk.incubator.vector', 'jdk.internal.vm.vector', 'jdk.internal.misc.ScopedMemoryAccess')):
            vec += v
        else:
            other += v
    print(f"{path.split('/')[-1]}: sampled vector-fallback {vec/1e9:.2f} GB, everything else {other/1e9:.2f} GB")
