package org.unitpath.io.slide;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.unitpath.io.ImageFormatException;

/** Opens whole-slide and ordinary images as {@link Slide}s, choosing the reader from the file's first bytes. */
public final class Slides {
    static {
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Slides() {}

    /** Which library reads a slide: {@code AUTO} chooses by format, {@code OPENSLIDE} forces libopenslide. */
    public enum Backend { AUTO, OPENSLIDE }

    /** System property that sets the backend of {@link #open(Path)}: {@code auto} (default) or {@code openslide}. */
    public static final String BACKEND_PROPERTY = "unitpath.slide.backend";

    /**
     * Opens a TIFF / BigTIFF / Aperio SVS (every compression TwelveMonkeys decodes, and JPEG 2000),
     * PNG or JPEG file, the DICOM whole-slide series of a DICOM file or folder, and through OpenSlide
     * (when installed) Hamamatsu, MIRAX, Leica, Ventana, Philips and Sakura slides; anything else, or
     * a damaged file, is an {@link ImageFormatException}. The backend is the one {@link #BACKEND_PROPERTY} names.
     */
    public static Slide open(Path file) throws IOException {
        String name = System.getProperty(BACKEND_PROPERTY, "auto").trim().toUpperCase(java.util.Locale.ROOT);
        if (!name.equals("AUTO") && !name.equals("OPENSLIDE")) {
            throw new IllegalArgumentException(BACKEND_PROPERTY + "=" + System.getProperty(BACKEND_PROPERTY)
                    + ": expected auto or openslide");
        }
        return open(file, Backend.valueOf(name));
    }

    /** Opens {@code file} as {@link #open(Path)} does, with the given backend. */
    public static Slide open(Path file, Backend backend) throws IOException {
        if (Files.isDirectory(file)) {
            return DicomSlide.open(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String openSlideFormat = OpenSlideSlide.claims(file);
        if (openSlideFormat != null || backend == Backend.OPENSLIDE) {
            return OpenSlideSlide.open(file, openSlideFormat);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(132);
        }
        if (head.length == 0) {
            throw new ImageFormatException(file, "empty file");
        }
        if (DicomFile.hasMagic(head)) {
            return DicomSlide.open(file); // before TIFF: a dual-personality file's series may span several files
        }
        if (isTiff(head)) {
            try {
                return TiffSlide.open(file);
            } catch (TiffSlide.VendorTiff e) {
                return OpenSlideSlide.open(file, e.format);
            }
        }
        boolean png = head.length >= 4 && head[0] == (byte) 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        boolean jpeg = head.length >= 3 && head[0] == (byte) 0xFF && head[1] == (byte) 0xD8 && head[2] == (byte) 0xFF;
        if (png || jpeg) {
            return ImageIoSlide.open(file);
        }
        throw new ImageFormatException(file, "not a readable image (TIFF, SVS, DICOM, PNG or JPEG expected)");
    }

    /**
     * {@code files} with one file kept per DICOM whole-slide series (the first in the list), since
     * {@link #open} reads a series' files as one slide; all other files are kept, in order.
     */
    public static List<Path> distinctSlides(List<Path> files) {
        return DicomSlide.distinct(files);
    }

    /** Whether the first bytes are a TIFF or BigTIFF header. */
    static boolean isTiff(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        boolean ii = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean mm = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return ii || mm;
    }

    // microscope scans are finer than ~20 µm/px; coarser values are screen or print defaults (72 or 96 dpi)
    private static final double MAX_PLAUSIBLE_MPP = 50;

    /** {@code mpp} when it can be a microscope's resolution, else empty (the file's resolution is a default). */
    static OptionalDouble plausibleMpp(double mpp) {
        return mpp > 0 && mpp < MAX_PLAUSIBLE_MPP ? OptionalDouble.of(mpp) : OptionalDouble.empty();
    }
}
