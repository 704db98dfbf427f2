package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class ReplayBufferTest {
    /** A batch of 1 x 2 x 4 x 4 images filled with the given values. */
    private static Tensor images(int... values) {
        Tensor out = Tensors.zeros(values.length, 2, 4, 4);
        for (int i = 0; i < values.length; i++) {
            out.select(0, i).fill_(F.scalar((double) values[i]));
        }
        return out;
    }

    /** The fill value of each image of a batch. */
    private static int[] values(Tensor batch) {
        int[] out = new int[(int) batch.size(0)];
        for (int i = 0; i < out.length; i++) {
            Tensor image = batch.select(0, i);
            assertEquals(image.min().item_double(), image.max().item_double(), "image " + i + " is not uniform");
            out[i] = (int) image.min().item_double();
        }
        return out;
    }

    private static Set<Integer> storedValues(ReplayBuffer pool) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < pool.size(); i++) {
            out.add(values(pool.storedAt(i))[0]);
        }
        return out;
    }

    @Test
    void returnsItsInputsUntilFull() {
        try (ReplayBuffer pool = new ReplayBuffer(5, 1); MemoryScope s = MemoryScope.open()) {
            assertArrayEquals(new int[] {0, 1, 2}, values(pool.pushAndPop(images(0, 1, 2))));
            assertEquals(3, pool.size());
            assertArrayEquals(new int[] {3, 4}, values(pool.pushAndPop(images(3, 4))));
            assertEquals(5, pool.size());
            assertEquals(Set.of(0, 1, 2, 3, 4), storedValues(pool));
            assertEquals(50, new ReplayBuffer(7).capacity);
        }
    }

    @Test
    void onceFullSwapsHalfOfTheImagesWithStoredOnes() {
        try (ReplayBuffer pool = new ReplayBuffer(5, 2)) {
            try (MemoryScope s = MemoryScope.open()) {
                pool.pushAndPop(images(0, 1, 2, 3, 4));
            }
            Set<Integer> model = new HashSet<>(Set.of(0, 1, 2, 3, 4));
            int swaps = 0;
            int pushes = 1000;
            for (int v = 5; v < 5 + pushes; v += 2) {
                try (MemoryScope s = MemoryScope.open()) {
                    int[] returned = values(pool.pushAndPop(images(v, v + 1)));
                    for (int k = 0; k < 2; k++) {
                        if (returned[k] != v + k) {
                            assertTrue(model.remove(returned[k]), "returned " + returned[k] + ", which the pool did not hold");
                            model.add(v + k);
                            swaps++;
                        }
                    }
                }
            }
            assertEquals(5, pool.size());
            try (MemoryScope s = MemoryScope.open()) {
                assertEquals(model, storedValues(pool), "the pool holds exactly the images it did not hand back");
            }
            assertEquals(0.5, swaps / (double) pushes, 0.07, swaps + " swaps in " + pushes);
        }
    }

    @Test
    void storedImagesAreDetachedCopiesThatOutliveScopes() {
        try (ReplayBuffer pool = new ReplayBuffer(3, 3)) {
            Tensor input;
            try (MemoryScope s = MemoryScope.open()) {
                input = MemoryScope.keep(images(7, 8).requires_grad_(true));
                Tensor out = pool.pushAndPop(input);
                assertFalse(out.requires_grad(), "the discriminator must not back-propagate into G");
            }
            System.gc();
            try (MemoryScope s = MemoryScope.open()) {
                input.detach().fill_(F.scalar(99.0));
                assertEquals(Set.of(7, 8), storedValues(pool));
                assertFalse(pool.storedAt(0).requires_grad());
            }
        }
    }

    @Test
    void imagesPushedOutOfThePoolAreFreed() {
        Set<Tensor> everStored = Collections.newSetFromMap(new IdentityHashMap<>());
        try (ReplayBuffer pool = new ReplayBuffer(3, 4)) {
            // outside any scope on purpose: stored images must be freed on eviction either way
            pool.pushAndPop(images(0, 1, 2));
            for (int v = 3; v < 60; v++) {
                try (MemoryScope s = MemoryScope.open()) {
                    pool.pushAndPop(images(v));
                    for (int i = 0; i < pool.size(); i++) {
                        everStored.add(pool.storedAt(i));
                    }
                }
            }
            Set<Tensor> current = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < pool.size(); i++) {
                current.add(pool.storedAt(i));
            }
            assertTrue(everStored.size() > 10, "images were replaced");
            for (Tensor t : everStored) {
                assertEquals(!current.contains(t), t.isNull(), "an image is freed exactly when it left the pool");
            }
            List<Tensor> kept = new ArrayList<>(current);
            pool.clear();
            assertEquals(0, pool.size());
            assertTrue(kept.stream().allMatch(t -> t.isNull()), "clear frees the stored images");
        }
    }

    @Test
    void theSeedFixesTheSequence() {
        List<int[]> a = run(11);
        List<int[]> b = run(11);
        List<int[]> c = run(12);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !Arrays.equals(a.get(i), c.get(i));
        }
        assertTrue(differs, "another seed gives another sequence");
    }

    private static List<int[]> run(long seed) {
        List<int[]> out = new ArrayList<>();
        try (ReplayBuffer pool = new ReplayBuffer(4, seed)) {
            for (int v = 0; v < 80; v += 2) {
                try (MemoryScope s = MemoryScope.open()) {
                    out.add(values(pool.pushAndPop(images(v, v + 1))));
                }
            }
        }
        return out;
    }

    @Test
    void rejectsBadBatchesAndCapacities() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(0, 1));
        try (ReplayBuffer pool = new ReplayBuffer(2, 1); MemoryScope s = MemoryScope.open()) {
            pool.pushAndPop(images(1));
            assertThrows(IllegalArgumentException.class, () -> pool.pushAndPop(Tensors.zeros(1, 3, 4, 4)));
            assertThrows(IllegalArgumentException.class, () -> pool.pushAndPop(Tensors.zeros(0, 2, 4, 4)));
            assertNotEquals(0, pool.size());
        }
    }
}
