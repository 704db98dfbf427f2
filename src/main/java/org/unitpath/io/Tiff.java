package org.unitpath.io;

/** TIFF 6.0 / BigTIFF tag numbers, field types and compression codes shared by the reader and the writer. */
final class Tiff {
    static final int NEW_SUBFILE_TYPE = 254;
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_DESCRIPTION = 270;
    static final int STRIP_OFFSETS = 273;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int X_RESOLUTION = 282;
    static final int Y_RESOLUTION = 283;
    static final int PLANAR_CONFIGURATION = 284;
    static final int RESOLUTION_UNIT = 296;
    static final int SOFTWARE = 305;
    static final int PREDICTOR = 317;
    static final int TILE_WIDTH = 322;
    static final int TILE_LENGTH = 323;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int SUB_IFDS = 330;
    static final int SAMPLE_FORMAT = 339;
    static final int JPEG_TABLES = 347;
    static final int YCBCR_SUBSAMPLING = 530;

    static final int BYTE = 1;
    static final int ASCII = 2;
    static final int SHORT = 3;
    static final int LONG = 4;
    static final int RATIONAL = 5;
    static final int UNDEFINED = 7;
    static final int LONG8 = 16;

    static final int COMPRESSION_NONE = 1;
    static final int COMPRESSION_LZW = 5;
    static final int COMPRESSION_OLD_JPEG = 6;
    static final int COMPRESSION_JPEG = 7;
    static final int COMPRESSION_ADOBE_DEFLATE = 8;
    static final int COMPRESSION_DEFLATE = 32946;

    static final int PHOTOMETRIC_MIN_IS_BLACK = 1;
    static final int PHOTOMETRIC_RGB = 2;
    static final int PHOTOMETRIC_YCBCR = 6;

    static final int RESUNIT_NONE = 1;
    static final int RESUNIT_INCH = 2;
    static final int RESUNIT_CENTIMETER = 3;

    private Tiff() {}

    /** Bytes per value of a field type; 0 for types this code does not know. */
    static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 0;
        };
    }

    /** A readable name for a compression code, for error messages. */
    static String compressionName(int code) {
        return switch (code) {
            case COMPRESSION_NONE -> "none";
            case 2, 3, 4 -> "CCITT fax";
            case COMPRESSION_LZW -> "LZW";
            case COMPRESSION_OLD_JPEG -> "old-style JPEG";
            case COMPRESSION_JPEG -> "JPEG";
            case COMPRESSION_ADOBE_DEFLATE, COMPRESSION_DEFLATE -> "deflate";
            case 32773 -> "PackBits";
            case 33003, 33005, 34712 -> "JPEG 2000";
            case 34887, 34888, 34889 -> "LERC";
            case 34925 -> "LZMA";
            case 34927 -> "WebP";
            case 50000 -> "Zstandard";
            case 50001 -> "WebP";
            case 50002 -> "JPEG XL";
            default -> "code " + code;
        };
    }
}
