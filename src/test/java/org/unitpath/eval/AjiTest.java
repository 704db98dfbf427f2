package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AjiTest {
    @Test
    void handComputedCases() {
        assertEquals(1.0, Aji.of(new int[] {0, 1, 1, 2}, new int[] {0, 5, 5, 7}), 1e-12, "relabelled identical maps");
        assertEquals(1.0, Aji.of(new int[4], new int[4]), "both empty");
        assertEquals(0.0, Aji.of(new int[] {1, 1, 0, 0}, new int[4]), "nothing predicted");
        // gt 1 = {0,1}, gt 2 = {2,3}; one merged prediction covers all four pixels
        assertEquals(0.5, Aji.of(new int[] {1, 1, 2, 2}, new int[] {3, 3, 3, 3}), 1e-12, "the merged union counts twice");
        // gt 1 = {0,1,2,3}; split into predictions 1 = {0,1} and 2 = {2,3}: pair with 1, 2 unused
        assertEquals(2 / 6.0, Aji.of(new int[] {1, 1, 1, 1}, new int[] {1, 1, 2, 2}), 1e-12);
    }
}
