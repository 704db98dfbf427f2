package org.unitpath.cli;

import org.unitpath.torch.Device;
import picocli.CommandLine.Option;

/** The {@code --device} option, shared by every command that runs networks (a picocli mixin). */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV",
            description = "cpu, cuda, cuda:N or auto (the first GPU if there is one; default).")
    String device;

    /** The parsed device; a bad name fails with the accepted forms. */
    Device get() {
        return Device.parse(device);
    }
}
