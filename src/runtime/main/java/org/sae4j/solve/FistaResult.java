package org.sae4j.solve;

import org.sae4j.solve.FistaOptions.GradientRoute;

/**
 * Outcome of one {@link Fista#solve} call.
 *
 * @param iterations        iterations performed, 1 ≤ iterations ≤ the budget
 * @param converged         whether the relative objective change fell to the tolerance before the budget ran out
 * @param initialObjective  objective of the first iterate (after the warm start's projection)
 * @param objective         objective of the returned codes
 * @param stepSize          proximal-gradient step used (given, or 1/L from the power-iteration bound)
 * @param route             gradient route used ({@link GradientRoute#RESIDUAL} or {@link GradientRoute#GRAM})
 * @param setupFlops        FLOPs spent before the first iteration ({@link Fista#setupFlops})
 * @param flopsPerIteration FLOPs of each iteration ({@link Fista#iterationFlops})
 */
public record FistaResult(int iterations, boolean converged, double initialObjective, double objective,
                          float stepSize, GradientRoute route, long setupFlops, long flopsPerIteration) {

    /**
     * Total FLOPs of the solve: {@code setupFlops + iterations·flopsPerIteration}.
     *
     * @return FLOPs for the whole batch
     * @throws ArithmeticException if the total overflows a long
     */
    public long totalFlops() {
        return Math.addExact(setupFlops, Math.multiplyExact(flopsPerIteration, (long) iterations));
    }
}
