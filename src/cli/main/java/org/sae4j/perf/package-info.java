/**
 * End-to-end timing of loaded SAEs (open, batch-1 latency percentiles, batch throughput, refinement, watch-lists),
 * for the {@code bench-sae} command and the PyTorch comparison under {@code bench/peers}.
 */
package org.sae4j.perf;
