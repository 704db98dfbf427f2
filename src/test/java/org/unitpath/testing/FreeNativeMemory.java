package org.unitpath.testing;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.unitpath.torch.NativeHeap;

/**
 * After each test class, frees the native memory of tensors that class left unreachable outside
 * any memory scope. Collection is driven by the Java heap, which such tensors barely touch, so
 * without this they pile up over the single test JVM's ~130 classes. Registered for every class
 * through {@code META-INF/services} and {@code junit-platform.properties}.
 */
public final class FreeNativeMemory implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        System.gc();
        Pointer.deallocateReferences();
        NativeHeap.trim();
    }
}
