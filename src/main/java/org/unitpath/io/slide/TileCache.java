package org.unitpath.io.slide;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.unitpath.io.Futures;

/**
 * The most recently used decoded tiles (or frames) of one slide, up to a byte budget: tiling,
 * segmentation and embedding read overlapping regions and cells smaller than a tile, which
 * would otherwise decode the same tile again and again. A tile several threads ask for at once
 * is decoded once. Budget: {@value #DEFAULT_MB} MB, or the system property {@value #PROPERTY}.
 */
final class TileCache {
    static final String PROPERTY = "unitpath.slide.cache.mb";
    static final int DEFAULT_MB = 64;

    /** Decodes one tile. */
    interface Loader {
        BufferedImage load() throws IOException;
    }

    private final long budget;
    private final LinkedHashMap<Long, BufferedImage> recent = new LinkedHashMap<>(64, 0.75f, true);
    private final ConcurrentHashMap<Long, CompletableFuture<BufferedImage>> loading = new ConcurrentHashMap<>();
    private long used;

    TileCache() {
        this(Long.getLong(PROPERTY, DEFAULT_MB) << 20);
    }

    TileCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** Tile {@code index} of {@code level}, from the cache or from {@code loader}. */
    BufferedImage get(int level, long index, Loader loader) throws IOException {
        long key = ((long) level << 48) | index;
        synchronized (this) {
            BufferedImage hit = recent.get(key);
            if (hit != null) {
                return hit;
            }
        }
        CompletableFuture<BufferedImage> mine = new CompletableFuture<>();
        CompletableFuture<BufferedImage> other = loading.putIfAbsent(key, mine);
        if (other != null) {
            return await(other);
        }
        try {
            BufferedImage tile = loader.load();
            put(key, tile);
            mine.complete(tile);
            return tile;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key);
        }
    }

    private synchronized void put(long key, BufferedImage tile) {
        long size = bytes(tile);
        if (size > budget || recent.containsKey(key)) {
            return;
        }
        recent.put(key, tile);
        used += size;
        for (Iterator<Map.Entry<Long, BufferedImage>> it = recent.entrySet().iterator(); used > budget && it.hasNext(); ) {
            used -= bytes(it.next().getValue());
            it.remove();
        }
    }

    synchronized void clear() {
        recent.clear();
        used = 0;
    }

    private static long bytes(BufferedImage tile) {
        var buffer = tile.getRaster().getDataBuffer();
        return (long) buffer.getSize() * buffer.getNumBanks() * Math.max(1, java.awt.image.DataBuffer.getDataTypeSize(buffer.getDataType()) / 8);
    }

    private static BufferedImage await(CompletableFuture<BufferedImage> other) throws IOException {
        return Futures.get(other, "another thread decoded the tile");
    }
}
