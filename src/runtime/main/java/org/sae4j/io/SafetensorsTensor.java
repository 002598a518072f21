package org.sae4j.io;

import java.util.List;

/**
 * One validated header entry of a safetensors file.
 *
 * @param name        tensor name (any string except {@code __metadata__})
 * @param dtype       element type
 * @param shape       dimensions, row-major; empty for a 0-rank tensor holding one element
 * @param beginOffset first byte, relative to the start of the data buffer
 * @param endOffset   one past the last byte, relative to the start of the data buffer
 */
public record SafetensorsTensor(String name, SafetensorsDType dtype, List<Long> shape, long beginOffset,
        long endOffset) {

    /**
     * Copies {@code shape} so that the record is immutable.
     *
     * @throws NullPointerException if {@code shape} is null or holds a null dimension
     */
    public SafetensorsTensor {
        shape = List.copyOf(shape);
    }

    /**
     * Number of elements: the product of the shape (1 for a 0-rank tensor).
     *
     * @return the element count; readers have checked that it does not overflow
     */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    /**
     * Bytes of data: {@code endOffset - beginOffset}.
     *
     * @return the tensor's size in the data buffer
     */
    public long byteSize() {
        return endOffset - beginOffset;
    }

    /**
     * The shape as a fresh {@code long[]}.
     *
     * @return a new array of the dimensions, row-major
     */
    public long[] shapeArray() {
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i);
        }
        return dims;
    }
}
