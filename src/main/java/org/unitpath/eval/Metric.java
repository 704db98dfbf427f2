package org.unitpath.eval;

import java.util.Arrays;
import java.util.List;

/** Every metric {@code unitpath evaluate} reports: its stable lower-case key, how it is aggregated and whose convention it follows. */
public enum Metric {
    DICE1("dice1", Scope.MEAN_DEFINED, "HoVer-Net Dice1, binary 2|T∩P|/(|T|+|P|); NaN if both empty"),
    DICE("dice", Scope.MEAN, "paper: smoothed binary Dice 2(|T∩P|+1)/(|T|+|P|+1); empty rule"),
    DICE2("dice2", Scope.MEAN_DEFINED, "HoVer-Net ensemble Dice over overlapping pairs; NaN if none overlap"),
    AJI("aji", Scope.MEAN, "paper/MoNuSeg AJI, a prediction may serve several nuclei; empty rule"),
    AJI_PLUS("aji_plus", Scope.MEAN_DEFINED, "HoVer-Net AJI+, Hungarian one-to-one pairing; NaN if both empty"),
    DQ("dq", Scope.MEAN, "paper/HoVer-Net, match at IoU > 0.5; empty rule"),
    SQ("sq", Scope.MEAN, "paper/HoVer-Net, mean IoU of matches (IoU > 0.5); empty rule"),
    PQ("pq", Scope.MEAN, "paper/HoVer-Net PQ = DQ x SQ at IoU > 0.5; empty rule"),
    DQ_INCLUSIVE("dq_inclusive", Scope.MEAN, "StarDist, maximal matching at IoU >= 0.5; empty rule"),
    SQ_INCLUSIVE("sq_inclusive", Scope.MEAN, "StarDist, mean IoU of matches (IoU >= 0.5); empty rule"),
    PQ_INCLUSIVE("pq_inclusive", Scope.MEAN, "StarDist PQ at IoU >= 0.5; empty rule"),
    PRECISION("precision", Scope.SUMMED, "objects matched at IoU > 0.5: TP/(TP+FP), counts summed over images"),
    RECALL("recall", Scope.SUMMED, "objects matched at IoU > 0.5: TP/(TP+FN), counts summed over images"),
    F1("f1", Scope.SUMMED, "object detection F1 at IoU > 0.5 (= DQ of the summed counts)"),
    BPQ("bpq", Scope.SUMMED, "paper/CoNIC binary PQ: TP, FP, FN, sum of IoU summed over images"),
    MPQ("mpq", Scope.MEAN_DEFINED, "PanNuke mPQ: per image, mean PQ of the classes present in the truth"),
    MPQ_PLUS("mpq_plus", Scope.SUMMED, "CoNIC mPQ+ (the paper's multi-class mPQ): per-class sums, mean over classes"),
    AP("ap", Scope.COCO, "COCO mask AP @ IoU .50:.95 (pycocotools COCOeval, 101-point recall)"),
    AP50("ap50", Scope.COCO, "COCO mask AP @ IoU .50"),
    AP75("ap75", Scope.COCO, "COCO mask AP @ IoU .75"),
    AP_S("ap_s", Scope.COCO, "COCO mask AP, small objects (area < 32^2)"),
    AP_M("ap_m", Scope.COCO, "COCO mask AP, medium objects (32^2 .. 96^2)"),
    AP_L("ap_l", Scope.COCO, "COCO mask AP, large objects (area > 96^2)"),
    BOX_AP("box_ap", Scope.COCO, "COCO box AP @ IoU .50:.95"),
    BOX_AP50("box_ap50", Scope.COCO, "COCO box AP @ IoU .50"),
    BOX_AP75("box_ap75", Scope.COCO, "COCO box AP @ IoU .75"),
    BOX_AP_S("box_ap_s", Scope.COCO, "COCO box AP, small objects"),
    BOX_AP_M("box_ap_m", Scope.COCO, "COCO box AP, medium objects"),
    BOX_AP_L("box_ap_l", Scope.COCO, "COCO box AP, large objects");

    /** How the dataset value is formed. */
    public enum Scope {
        /** arithmetic mean of the per-image values */
        MEAN,
        /** mean of the per-image values where defined (NaN skipped) */
        MEAN_DEFINED,
        /** from counts summed over all images */
        SUMMED,
        /** pycocotools' accumulation over all images */
        COCO
    }

    private final String key;
    private final Scope scope;
    private final String convention;

    Metric(String key, Scope scope, String convention) {
        this.key = key;
        this.scope = scope;
        this.convention = convention;
    }

    public String key() {
        return key;
    }

    public Scope scope() {
        return scope;
    }

    public String convention() {
        return convention;
    }

    /** The metrics that have a value per image (the rest exist only for the whole dataset). */
    public static List<Metric> perImage() {
        return Arrays.stream(values()).filter(m -> m.scope == Scope.MEAN || m.scope == Scope.MEAN_DEFINED
                || m == PRECISION || m == RECALL || m == F1).toList();
    }
}
