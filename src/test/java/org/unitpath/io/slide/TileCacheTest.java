package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TileCacheTest {
    private static BufferedImage tile() {
        return new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR); // 768 bytes
    }

    @Test
    void keepsTheMostRecentTilesWithinItsBudget() throws IOException {
        TileCache cache = new TileCache(2 * 768);
        AtomicInteger decodes = new AtomicInteger();
        TileCache.Loader loader = () -> {
            decodes.incrementAndGet();
            return tile();
        };
        BufferedImage a = cache.get(0, 1, loader);
        assertSame(a, cache.get(0, 1, loader), "a hit");
        cache.get(0, 2, loader);
        cache.get(0, 1, loader);
        cache.get(1, 1, loader);
        assertEquals(3, decodes.get(), "the same index on another level is another tile");
        cache.get(0, 2, loader);
        assertEquals(4, decodes.get(), "the least recently used tile was dropped");
        cache.get(0, 1, loader);
        assertEquals(5, decodes.get());
    }

    @Test
    void aTileAskedForByManyThreadsAtOnceIsDecodedOnce() throws Exception {
        TileCache cache = new TileCache(1 << 20);
        AtomicInteger decodes = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BufferedImage>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return cache.get(0, 7, () -> {
                        decodes.incrementAndGet();
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return tile();
                    });
                }));
            }
            start.countDown();
            BufferedImage first = got.get(0).get();
            for (Future<BufferedImage> f : got) {
                assertSame(first, f.get());
            }
            assertEquals(1, decodes.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedDecodeIsNotCachedAndIsTriedAgain() throws IOException {
        TileCache cache = new TileCache(1 << 20);
        assertThrows(IOException.class, () -> cache.get(0, 3, () -> {
            throw new IOException("damaged");
        }));
        assertEquals(16, cache.get(0, 3, TileCacheTest::tile).getWidth());
    }
}
