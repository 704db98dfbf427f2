package org.unitpath.gan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.MemoryScope;

/**
 * The pool of previously generated images a discriminator is trained on (CycleGAN's image
 * buffer, {@code ReplayBuffer.push_and_pop} of the release). For each image of a batch: while
 * fewer than {@code capacity} are stored it is stored and returned; afterwards, with
 * probability 0.5 it replaces a uniformly chosen stored image, which is returned instead, and
 * otherwise it is returned itself.
 *
 * <p>Stored images are detached copies that outlive the caller's {@link MemoryScope}s; an
 * image pushed out of the pool is freed at once (or when the scope it was stored in closes).
 * Not thread-safe.
 */
public final class ReplayBuffer implements AutoCloseable {
    public static final int DEFAULT_CAPACITY = 50;
    public final int capacity;
    private final List<Tensor> stored = new ArrayList<>();
    private SplittableRandom random;

    public ReplayBuffer(long seed) {
        this(DEFAULT_CAPACITY, seed);
    }

    public ReplayBuffer(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay buffer capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.random = new SplittableRandom(seed);
    }

    /** Images stored so far (at most {@code capacity}). */
    public int size() {
        return stored.size();
    }

    /**
     * Pushes the N images of {@code images} (N x ...) and returns N images to show the
     * discriminator, detached, on the device of the input.
     */
    public Tensor pushAndPop(Tensor images) {
        if (images.dim() < 1 || images.size(0) == 0) {
            throw new IllegalArgumentException("replay buffer needs a non-empty batch, got " + Arrays.toString(images.shape()));
        }
        Tensor batch = images.detach();
        TensorVector out = new TensorVector();
        for (long i = 0; i < batch.size(0); i++) {
            Tensor image = batch.narrow(0, i, 1);
            checkShape(image);
            if (stored.size() < capacity) {
                stored.add(MemoryScope.keep(image.clone()));
                out.push_back(image);
            } else if (random.nextDouble() < 0.5) {
                int j = random.nextInt(capacity);
                Tensor old = stored.get(j);
                out.push_back(old.clone());
                stored.set(j, MemoryScope.keep(image.clone()));
                old.releaseReference();
            } else {
                out.push_back(image);
            }
        }
        return torch.cat(out, 0);
    }

    private void checkShape(Tensor image) {
        if (!stored.isEmpty() && !Arrays.equals(stored.get(0).shape(), image.shape())) {
            throw new IllegalArgumentException("replay buffer holds images of shape " + Arrays.toString(stored.get(0).shape())
                    + ", got " + Arrays.toString(image.shape()));
        }
    }

    /** Restarts the swap decisions from {@code seed} (the loop reseeds each iteration, so a resumed run continues identically). */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The stored images (live tensors), for checkpoints. */
    public List<Tensor> contents() {
        return List.copyOf(stored);
    }

    /** Replaces the pool by copies of {@code images} (from a checkpoint). */
    public void restore(List<Tensor> images) {
        clear();
        for (Tensor t : images) {
            if (stored.size() < capacity) {
                stored.add(MemoryScope.keep(t.detach().clone()));
            }
        }
    }

    /** Frees every stored image; the buffer starts filling again. */
    public void clear() {
        for (Tensor t : stored) {
            t.releaseReference();
        }
        stored.clear();
    }

    @Override
    public void close() {
        clear();
    }

    /** The stored image at {@code index}, for tests. */
    Tensor storedAt(int index) {
        return stored.get(index);
    }
}
