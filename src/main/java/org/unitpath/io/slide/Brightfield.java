package org.unitpath.io.slide;

import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFormatException;

/**
 * Which TIFF pages are brightfield images the pipeline can use: RGB, YCbCr, palette or greyscale,
 * 2 to 32 bits per sample. Greyscale and wide samples are converted (and said so in the log);
 * fluorescence, multispectral, CMYK, bilevel and floating-point data are refused by name.
 */
final class Brightfield {
    private static final Logger LOG = LoggerFactory.getLogger(Brightfield.class);
    /** Compressions TwelveMonkeys decodes, and the JPEG 2000 ones decoded with jai-imageio. */
    private static final Set<Integer> CODECS = Set.of(1, 5, 6, 7, 8, 32773, 32946, 50013, TiffPage.COMPRESSION_APERIO_J2K_YCBCR,
            TiffPage.COMPRESSION_APERIO_J2K_RGB, TiffPage.COMPRESSION_J2K);
    private static final Pattern OME_CHANNELS = Pattern.compile("<Pixels[^>]*\\bSizeC=\"(\\d+)\"");

    private Brightfield() {}

    static void check(Path file, TiffPage page) throws ImageFormatException {
        String problem = problem(page);
        if (problem != null) {
            throw new ImageFormatException(file, problem);
        }
    }

    /** Why {@code page} cannot be read as a brightfield image, or null when it can. */
    static String problem(TiffPage p) {
        if (p.width() <= 0 || p.height() <= 0 || p.tileWidth() <= 0 || p.tileHeight() <= 0) {
            return "invalid image or tile size " + p.width() + "x" + p.height() + " / " + p.tileWidth() + "x" + p.tileHeight();
        }
        if (p.compression() >= 2 && p.compression() <= 4) {
            return "is a bilevel fax image (" + compressionName(p.compression()) + "), not a brightfield image";
        }
        if (!CODECS.contains(p.compression())) {
            return compressionName(p.compression()) + "-compressed TIFF (compression " + p.compression() + ") is not supported;"
                    + " convert it to a JPEG-, deflate- or LZW-compressed tiled TIFF first (e.g. vips tiffsave)";
        }
        if (p.sampleFormat() == 3) {
            return "has floating-point samples (measurements such as fluorescence intensities, not brightfield colours)";
        }
        if (p.bits() == 1 && p.photometric() != 3) {
            return "is a bilevel (1-bit) image, not a brightfield image";
        }
        int colours = p.samples() - extraSamples(p, false);
        String layout = switch (p.photometric()) {
            case 0, 1 -> p.samples() - extraSamples(p, true) == 1 ? null : "has " + p.samples() + " channels of intensity (" + (p.photometric() == 1
                    ? "MinIsBlack" : "MinIsWhite") + "): multichannel fluorescence or multispectral data, not a brightfield"
                    + " RGB or greyscale image";
            case 2, 6 -> colours == 3 ? null : "has " + colours + " colour channels where RGB needs 3";
            case 3 -> null;
            case 4 -> "is a transparency mask, not an image";
            case 5 -> "has " + p.samples() + " separated ink channels (CMYK print data), not a brightfield image";
            case 8, 9, 10 -> "is in CIELab colour (photometric " + p.photometric() + "); unitpath reads RGB, YCbCr, palette and"
                    + " greyscale brightfield images";
            case -1 -> colours == 1 || colours == 3 ? null : "has " + p.samples() + " channels and no photometric"
                    + " interpretation: not a brightfield RGB or greyscale image";
            default -> "photometric interpretation " + p.photometric() + " (" + (p.photometric() == 32844 || p.photometric() == 32845
                    ? "LogLuv high dynamic range" : "unknown") + ") is not a brightfield colour layout";
        };
        if (layout != null) {
            return layout;
        }
        Matcher ome = OME_CHANNELS.matcher(p.description());
        if (colours == 1 && ome.find() && Integer.parseInt(ome.group(1)) > 1) {
            return "is an OME-TIFF of " + ome.group(1) + " greyscale channels (fluorescence), not a brightfield RGB image";
        }
        if (p.jpeg2000() && p.bits() != 8) {
            return p.bits() + "-bit JPEG 2000 tiles are not supported, 8-bit RGB is expected";
        }
        return null;
    }

    /** Logs the conversions a brightfield page needs (greyscale to RGB, wide samples to 8 bits). */
    static void note(Path file, TiffPage p) {
        if (p.samples() - extraSamples(p, false) == 1 && p.photometric() != 3) {
            LOG.info("{}: greyscale image, read as RGB with R = G = B", file);
        }
        if (p.bits() > 8) {
            LOG.info("{}: {}-bit samples, scaled to 8 bits (v * 255 / {})", file, p.bits(), (1L << Math.min(p.bits(), 32)) - 1);
        }
    }

    /** Extra samples beyond the colours (or only the alpha ones: a grey page with other extras is a channel stack). */
    private static int extraSamples(TiffPage p, boolean alphaOnly) {
        long[] extra = TiffPage.longs(p.ifd(), TIFF.TAG_EXTRA_SAMPLES);
        return extra == null ? 0 : (int) java.util.Arrays.stream(extra).filter(e -> !alphaOnly || e == 1 || e == 2).count();
    }

    static String compressionName(int code) {
        return switch (code) {
            case 2 -> "CCITT RLE";
            case 3 -> "CCITT Group 3 fax";
            case 4 -> "CCITT Group 4 fax";
            case 5 -> "LZW";
            case 6 -> "old-style JPEG";
            case 7 -> "JPEG";
            case 8, 32946, 50013 -> "deflate";
            case 32773 -> "PackBits";
            case 33003, 33005, 34712 -> "JPEG 2000";
            case 34887 -> "LERC";
            case 34925 -> "LZMA";
            case 34933 -> "PNG";
            case 34934 -> "JPEG XR";
            case 50000 -> "Zstandard";
            case 50001 -> "WebP";
            case 50002, 52546 -> "JPEG XL";
            default -> "unknown";
        };
    }
}
