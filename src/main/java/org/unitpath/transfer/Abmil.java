package org.unitpath.transfer;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.nn.Linear;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;

/**
 * Gated attention-based MIL (Ilse et al., ICML 2018): instances are embedded (features -> 512,
 * ReLU), scored by w^T (tanh(V h) * sigmoid(U h)) with V, U of width 256, the scores softmaxed
 * over the bag, and the attention-weighted mean embedding classified by a linear layer.
 */
public final class Abmil extends Module {
    public static final int HIDDEN = 512;
    public static final int ATTENTION = 256;

    /** Class logits (1 x classes) and the attention over the bag's instances (n). */
    public record Output(Tensor logits, Tensor attention) {}

    private final Linear embed;
    private final Linear v;
    private final Linear u;
    private final Linear w;
    private final Linear classifier;

    public Abmil(int features, int classes) {
        embed = child("embed", new Linear(features, HIDDEN));
        v = child("attention_v", new Linear(HIDDEN, ATTENTION));
        u = child("attention_u", new Linear(HIDDEN, ATTENTION));
        w = child("attention_w", new Linear(ATTENTION, 1));
        classifier = child("classifier", new Linear(HIDDEN, classes));
    }

    /** One bag, n x features. */
    public Output forward(Tensor bag) {
        Tensor h = F.relu(embed.forward(bag));
        Tensor gate = torch.tanh(v.forward(h)).mul(torch.sigmoid(u.forward(h)));
        Tensor a = torch.softmax(w.forward(gate).squeeze(1), 0);
        Tensor pooled = a.unsqueeze(0).mm(h);
        return new Output(classifier.forward(pooled), a);
    }
}
