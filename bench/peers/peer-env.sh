# Sourced by the peer runners. Sets peer_env, an env(1) prefix for the PyTorch peer, and coretype.
#
# The shell may export a core type for another CPU (a Haswell value caps the kernels at AVX2) and an L2 size that goes
# with it. Drop both and let OpenBLAS detect the CPU; only when it falls back to the generic Prescott kernels on an
# AVX-512 CPU (Debian's 0.3.21 does on some Xeons) name SkylakeX, whose kernels every AVX-512 CPU runs.
# PEER_OPENBLAS_CORETYPE forces a family. Needs $python (the peer's interpreter).
pick_openblas_coretype() {
    if [ -n "${PEER_OPENBLAS_CORETYPE:-}" ]; then
        printf '%s\n' "$PEER_OPENBLAS_CORETYPE"
        return
    fi
    local detected
    detected="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" -c '
import ctypes, torch
for line in open("/proc/self/maps"):
    fields = line.split()
    if len(fields) >= 6 and "openblas" in fields[-1]:
        lib = ctypes.CDLL(fields[-1]); lib.openblas_get_corename.restype = ctypes.c_char_p
        print(lib.openblas_get_corename().decode()); break
' 2>/dev/null || true)"
    if [ "$detected" = "Prescott" ] && grep -qw avx512f /proc/cpuinfo; then
        printf '%s\n' SkylakeX
    fi
}
coretype="$(pick_openblas_coretype)"
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [ -n "$coretype" ]; then
    peer_env+=("OPENBLAS_CORETYPE=$coretype")
fi
