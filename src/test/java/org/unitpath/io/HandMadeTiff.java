package org.unitpath.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.PixelType;

/** Classic TIFFs built tag by tag, for layouts the project's writer never produces (SubIFD pyramids, odd tags). */
public final class HandMadeTiff {
    private HandMadeTiff() {}

    /**
     * 256-px tiles of {@code base} with the given compression and photometric tag, and
     * optionally {@code sub} as a SubIFD of the first page (an OME-style pyramid level).
     */
    public static Path tiled(Path out, Compression compression, int photometric, RgbImage base, RgbImage sub)
            throws IOException {
        int code = compression == Compression.JPEG ? Tiff.COMPRESSION_JPEG : Tiff.COMPRESSION_ADOBE_DEFLATE;
        return tiled(out, compression, code, photometric, base, sub);
    }

    /** As above, but the compression tag says {@code code} whatever the tiles hold. */
    public static Path tiled(Path out, Compression compression, int code, int photometric, RgbImage base, RgbImage sub)
            throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[16]);
        long[][] subTiles = sub == null ? null : tiles(sub, compression, file);
        long[][] baseTiles = tiles(base, compression, file);
        long subAt = file.size();
        if (sub != null) {
            file.write(array(ifd(sub, code, photometric, subTiles).encode(subAt, false)));
        }
        long at = file.size();
        TiffIfd first = ifd(base, code, photometric, baseTiles);
        if (sub != null) {
            first.longs(Tiff.SUB_IFDS, subAt);
        }
        file.write(array(first.encode(at, false)));
        byte[] bytes = file.toByteArray();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) at);
        Files.write(out, bytes);
        return out;
    }

    /** A w x h RGB page of 256-px tiles whose encoded bytes are given, under compression tag {@code code}. */
    public static Path encodedTiles(Path out, int code, int photometric, int w, int h, java.util.List<byte[]> payloads)
            throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[16]);
        long[][] at = new long[2][payloads.size()];
        for (int i = 0; i < payloads.size(); i++) {
            at[0][i] = file.size();
            at[1][i] = payloads.get(i).length;
            file.write(payloads.get(i));
        }
        long ifdAt = file.size();
        file.write(array(ifd(RgbImage.blank(w, h), code, photometric, at).encode(ifdAt, false)));
        byte[] bytes = file.toByteArray();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I').putShort((short) 42)
                .putInt((int) ifdAt);
        Files.write(out, bytes);
        return out;
    }

    private static long[][] tiles(RgbImage img, Compression compression, ByteArrayOutputStream file) throws IOException {
        int across = img.width() / 256;
        int n = across * (img.height() / 256);
        long[][] at = new long[2][n];
        try (TileEncoder enc = new TileEncoder(new Options(256, PixelType.RGB8, compression, false, 0.95f))) {
            for (int i = 0; i < n; i++) {
                byte[] payload = enc.encode(img.crop(i % across * 256, i / across * 256, 256, 256).rgb());
                at[0][i] = file.size();
                at[1][i] = payload.length;
                file.write(payload);
            }
        }
        return at;
    }

    private static TiffIfd ifd(RgbImage img, int compression, int photometric, long[][] tiles) {
        return new TiffIfd().longs(Tiff.IMAGE_WIDTH, img.width()).longs(Tiff.IMAGE_LENGTH, img.height())
                .shorts(Tiff.BITS_PER_SAMPLE, 8, 8, 8).shorts(Tiff.COMPRESSION, compression)
                .shorts(Tiff.PHOTOMETRIC, photometric).shorts(Tiff.SAMPLES_PER_PIXEL, 3)
                .shorts(Tiff.TILE_WIDTH, 256).shorts(Tiff.TILE_LENGTH, 256)
                .offsets(Tiff.TILE_OFFSETS, tiles[0]).offsets(Tiff.TILE_BYTE_COUNTS, tiles[1]);
    }

    private static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
