package org.unitpath.io.slide;

import java.util.Map;

/** The DICOM attributes the whole-slide reader uses, and their VRs (needed to parse Implicit VR files). */
final class DicomTags {
    static final int TRANSFER_SYNTAX = DicomDataSet.tag(0x0002, 0x0010);
    static final int IMAGE_TYPE = DicomDataSet.tag(0x0008, 0x0008);
    static final int SERIES_UID = DicomDataSet.tag(0x0020, 0x000E);
    static final int CONCATENATION_UID = DicomDataSet.tag(0x0020, 0x9161);
    static final int DIMENSION_ORGANIZATION_TYPE = DicomDataSet.tag(0x0020, 0x9311);
    static final int SAMPLES_PER_PIXEL = DicomDataSet.tag(0x0028, 0x0002);
    static final int PHOTOMETRIC = DicomDataSet.tag(0x0028, 0x0004);
    static final int PLANAR_CONFIGURATION = DicomDataSet.tag(0x0028, 0x0006);
    static final int NUMBER_OF_FRAMES = DicomDataSet.tag(0x0028, 0x0008);
    static final int ROWS = DicomDataSet.tag(0x0028, 0x0010);
    static final int COLUMNS = DicomDataSet.tag(0x0028, 0x0011);
    static final int PIXEL_SPACING = DicomDataSet.tag(0x0028, 0x0030);
    static final int BITS_ALLOCATED = DicomDataSet.tag(0x0028, 0x0100);
    static final int PIXEL_MEASURES = DicomDataSet.tag(0x0028, 0x9110);
    static final int Z_OFFSET = DicomDataSet.tag(0x0040, 0x074A);
    static final int IMAGED_VOLUME_WIDTH = DicomDataSet.tag(0x0048, 0x0001);
    static final int IMAGED_VOLUME_HEIGHT = DicomDataSet.tag(0x0048, 0x0002);
    static final int TOTAL_COLUMNS = DicomDataSet.tag(0x0048, 0x0006);
    static final int TOTAL_ROWS = DicomDataSet.tag(0x0048, 0x0007);
    static final int OPTICAL_PATH_SEQUENCE = DicomDataSet.tag(0x0048, 0x0105);
    static final int OPTICAL_PATH_ID = DicomDataSet.tag(0x0048, 0x0106);
    static final int OPTICAL_PATH_IDENTIFICATION = DicomDataSet.tag(0x0048, 0x0207);
    static final int PLANE_POSITION_SLIDE = DicomDataSet.tag(0x0048, 0x021A);
    static final int COLUMN_POSITION = DicomDataSet.tag(0x0048, 0x021E);
    static final int ROW_POSITION = DicomDataSet.tag(0x0048, 0x021F);
    static final int NUMBER_OF_OPTICAL_PATHS = DicomDataSet.tag(0x0048, 0x0302);
    static final int FOCAL_PLANES = DicomDataSet.tag(0x0048, 0x0303);
    static final int SHARED_GROUPS = DicomDataSet.tag(0x5200, 0x9229);
    static final int PER_FRAME_GROUPS = DicomDataSet.tag(0x5200, 0x9230);
    static final int PIXEL_DATA = DicomDataSet.tag(0x7FE0, 0x0010);

    /** The elements {@link DicomFile} keeps; all others are skipped. */
    static final Map<Integer, String> VRS = Map.ofEntries(Map.entry(TRANSFER_SYNTAX, "UI"), Map.entry(IMAGE_TYPE, "CS"),
            Map.entry(SERIES_UID, "UI"), Map.entry(CONCATENATION_UID, "UI"),
            Map.entry(DIMENSION_ORGANIZATION_TYPE, "CS"), Map.entry(SAMPLES_PER_PIXEL, "US"), Map.entry(PHOTOMETRIC, "CS"),
            Map.entry(PLANAR_CONFIGURATION, "US"), Map.entry(NUMBER_OF_FRAMES, "IS"), Map.entry(ROWS, "US"),
            Map.entry(COLUMNS, "US"), Map.entry(PIXEL_SPACING, "DS"), Map.entry(BITS_ALLOCATED, "US"),
            Map.entry(PIXEL_MEASURES, "SQ"), Map.entry(Z_OFFSET, "DS"), Map.entry(IMAGED_VOLUME_WIDTH, "FL"),
            Map.entry(IMAGED_VOLUME_HEIGHT, "FL"), Map.entry(TOTAL_COLUMNS, "UL"), Map.entry(TOTAL_ROWS, "UL"),
            Map.entry(OPTICAL_PATH_SEQUENCE, "SQ"), Map.entry(OPTICAL_PATH_ID, "SH"), Map.entry(OPTICAL_PATH_IDENTIFICATION, "SQ"),
            Map.entry(PLANE_POSITION_SLIDE, "SQ"), Map.entry(COLUMN_POSITION, "SL"), Map.entry(ROW_POSITION, "SL"),
            Map.entry(NUMBER_OF_OPTICAL_PATHS, "UL"), Map.entry(FOCAL_PLANES, "UL"), Map.entry(SHARED_GROUPS, "SQ"),
            Map.entry(PER_FRAME_GROUPS, "SQ"));

    private DicomTags() {}
}
