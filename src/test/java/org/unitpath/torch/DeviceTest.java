package org.unitpath.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesDeviceNames() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(Torch.cudaAvailable() ? new Device(Device.Kind.CUDA, 0) : Device.CPU, Device.parse("auto"));
        assertEquals("cuda:1", new Device(Device.Kind.CUDA, 1).toString());
    }

    @Test
    void rejectsBadOrUnavailableDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu0"));
        assertTrue(e.getMessage().contains("gpu0"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
        if (!Torch.cudaAvailable()) {
            e = assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda"));
            assertTrue(e.getMessage().contains("CUDA is not usable"), e.getMessage());
        } else {
            assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:" + Torch.cudaDeviceCount()));
        }
    }

    @Test
    void seedingMakesDrawsRepeatable() {
        Torch.seed(123);
        float[] a = Tensors.toFloats(Tensors.randn(5));
        Torch.seed(123);
        float[] b = Tensors.toFloats(Tensors.randn(5));
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
        Torch.deterministic(true);
        Torch.deterministic(false);
    }
}
