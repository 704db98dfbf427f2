package org.unitpath.seg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.Torch;

/**
 * An image that {@link TiledInference} reads rectangle by rectangle, so that a whole slide
 * never has to be in memory. Pixels are RGB normalised to [-1, 1] ((v - 127.5) / 127.5, S's
 * pixel normalisation).
 */
public interface TileSource {
    int width();

    int height();

    /** The rectangle (x, y, w, h), which lies inside the image, as a 3 x h x w float tensor. */
    Tensor read(int x, int y, int w, int h);

    /** Interleaved 8-bit RGB of a rectangle, row-major ({@code 3 * w * h} bytes), e.g. from a slide reader. */
    @FunctionalInterface
    interface RgbReader {
        byte[] read(int x, int y, int w, int h) throws IOException;
    }

    /** An image in memory: 3 x H x W or 1 x 3 x H x W, already in [-1, 1]. */
    static TileSource of(Tensor image) {
        Tensor chw = image.dim() == 4 && image.size(0) == 1 ? image.select(0, 0) : image;
        if (chw.dim() != 3 || chw.size(0) != 3) {
            throw new IllegalArgumentException("image must be 3 x H x W or 1 x 3 x H x W, got " + Arrays.toString(image.shape()));
        }
        int width = (int) chw.size(2);
        int height = (int) chw.size(1);
        return new TileSource() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public Tensor read(int x, int y, int w, int h) {
                return chw.narrow(1, y, h).narrow(2, x, w);
            }
        };
    }

    /**
     * An image read by a callback that returns 8-bit RGB, for example
     * {@code TileSource.ofRgb(slide.width(0), slide.height(0), (x, y, w, h) -> slide.read(0, x, y, w, h).rgb())}.
     * I/O errors surface as {@link UncheckedIOException}.
     */
    static TileSource ofRgb(int width, int height, RgbReader reader) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        return new TileSource() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public Tensor read(int x, int y, int w, int h) {
                byte[] rgb;
                try {
                    rgb = reader.read(x, y, w, h);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + w + "x" + h + "+" + x + "+" + y + ": " + e.getMessage(), e);
                }
                if (rgb.length != 3L * w * h) {
                    throw new IllegalStateException("RGB reader returned " + rgb.length + " bytes for " + w + "x" + h);
                }
                Torch.init();
                Tensor hwc = torch.empty(new long[] {h, w, 3}, new TensorOptions(ScalarType.Byte),
                        new org.bytedeco.pytorch.MemoryFormatOptional());
                new BytePointer(hwc.data_ptr()).capacity(rgb.length).put(rgb);
                return hwc.permute(2, 0, 1).to(ScalarType.Float).sub(F.scalar(127.5)).div(F.scalar(127.5));
            }
        };
    }
}
