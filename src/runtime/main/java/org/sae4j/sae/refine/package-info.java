/**
 * Sparse inference on a loaded SAE's own decoder: the amortised encoder as a warm start, then proximal-gradient
 * (FISTA) steps or greedy pursuits, and the amortisation-gap report that prices each extra step in reconstruction
 * error and time.
 */
package org.sae4j.sae.refine;
