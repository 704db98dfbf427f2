package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceMapFilesTest {
    @TempDir
    Path dir;

    /** 3 x 2 label ids shared by the cases: sparse and unordered on purpose. */
    private static final long[] IDS = {0, 70_000, 70_000, 5, 0, 2_000_000_000L};
    private static final int[] LABELS = {0, 2, 2, 1, 0, 3};

    private static void assertMap(InstanceMap m, long... sourceIds) {
        assertEquals(3, m.width());
        assertEquals(2, m.height());
        assertEquals(sourceIds.length, m.count());
        for (int k = 0; k < sourceIds.length; k++) {
            assertEquals(sourceIds[k], m.sourceIds()[k + 1]);
        }
    }

    @Test
    void npyAndGreyTiffsOfEveryWidthKeepTheIds() throws IOException {
        int[] ids = new int[6];
        for (int i = 0; i < 6; i++) {
            ids[i] = (int) IDS[i];
        }
        Path npy = dir.resolve("a.npy");
        Npy.writeInt32(npy, new Npy.IntMap(2, 3, ids));
        InstanceMap m = InstanceMapFiles.read(npy);
        assertArrayEquals(LABELS, m.labels());
        assertMap(m, 5, 70_000, 2_000_000_000);

        assertMap(InstanceMapFiles.read(tiff("u32.tif", 32, 1, IDS)), 5, 70_000, 2_000_000_000);
        assertMap(InstanceMapFiles.read(tiff("u16.tif", 16, 1, new long[] {0, 60_000, 60_000, 5, 0, 7})), 5, 7, 60_000);
        assertMap(InstanceMapFiles.read(tiff("u8.tiff", 8, 1, new long[] {0, 200, 200, 5, 0, 7})), 5, 7, 200);
    }

    @Test
    void sixteenBitPngLabels() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = {0, 65_535, 65_535, 5, 0, 300};
        img.getRaster().setSamples(0, 0, 3, 2, 0, v);
        Path f = dir.resolve("g16.png");
        ImageIO.write(img, "png", f.toFile());
        InstanceMap m = InstanceMapFiles.read(f);
        assertArrayEquals(new int[] {0, 3, 3, 1, 0, 2}, m.labels());
        assertMap(m, 5, 300, 65_535);
    }

    @Test
    void colourCodedRgbaIgnoresAlpha() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        int[] argb = {0xff000000, 0x80ff0000, 0xffff0000, 0xff00ff00, 0x00000000, 0xff0000ff};
        img.setRGB(0, 0, 3, 2, argb, 0, 3);
        Path f = dir.resolve("c.png");
        ImageIO.write(img, "png", f.toFile());
        InstanceMap m = InstanceMapFiles.read(f);
        // packed RGB order: blue 0x0000ff, green 0x00ff00, red 0xff0000
        assertArrayEquals(new int[] {0, 3, 3, 2, 0, 1}, m.labels());
    }

    @Test
    void unusableFilesAreRefusedWithTheReason() throws IOException {
        Path floats = tiff("f32.tif", 32, 3, new long[] {0, 9, 9, 5, 0, 7});
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> InstanceMapFiles.read(floats));
        assertTrue(e.getMessage().contains("floating-point label images are not supported"), e.getMessage());
        Path huge = tiff("huge.tif", 32, 1, new long[] {0, 0, 0, 0, 0, 3_000_000_000L});
        e = assertThrows(ImageFormatException.class, () -> InstanceMapFiles.read(huge));
        assertTrue(e.getMessage().contains("label 3000000000 at row 1, column 2 is larger than"), e.getMessage());
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not a png");
        e = assertThrows(ImageFormatException.class, () -> InstanceMapFiles.read(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
        Path txt = dir.resolve("x.txt");
        Files.writeString(txt, "");
        assertThrows(ImageFormatException.class, () -> InstanceMapFiles.read(txt));
    }

    /** A one-strip little-endian grey TIFF, 3 x 2; sampleFormat 1 = unsigned, 3 = float. */
    private Path tiff(String name, int bits, int sampleFormat, long[] values) throws IOException {
        int bytes = bits / 8;
        int entries = 10;
        int dataAt = 8 + 2 + entries * 12 + 4;
        ByteBuffer b = ByteBuffer.allocate(dataAt + 6 * bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) entries);
        entry(b, 256, 4, 3);
        entry(b, 257, 4, 2);
        entry(b, 258, 3, bits);
        entry(b, 259, 3, 1);
        entry(b, 262, 3, 1);
        entry(b, 273, 4, dataAt);
        entry(b, 277, 3, 1);
        entry(b, 278, 4, 2);
        entry(b, 279, 4, 6 * bytes);
        entry(b, 339, 3, sampleFormat);
        b.putInt(0);
        for (long v : values) {
            if (sampleFormat == 3) {
                b.putFloat(v);
            } else if (bytes == 1) {
                b.put((byte) v);
            } else if (bytes == 2) {
                b.putShort((short) v);
            } else {
                b.putInt((int) v);
            }
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
