package org.unitpath.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.unitpath.config.Config;

/** The pretraining configs packed in the jar, so commands run from any folder. */
final class BundledConfigs {
    static final List<String> NAMES = List.of("quickstart", "stage1", "stage2");

    private BundledConfigs() {}

    /** A YAML file when {@code nameOrPath} is one, else the bundled config of that name. */
    static Config load(String nameOrPath, List<String> overrides) throws IOException {
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file)) {
            return Config.load(file, overrides);
        }
        if (!NAMES.contains(nameOrPath)) {
            throw new IllegalArgumentException("config '" + nameOrPath + "' is neither a file nor one of the bundled " + NAMES);
        }
        // stage2 names stage1 as its _BASE_ by relative path, so all are unpacked side by side
        Path dir = Files.createTempDirectory("unitpath-configs");
        try {
            for (String name : NAMES) {
                try (InputStream in = BundledConfigs.class.getResourceAsStream("/configs/pretrain/" + name + ".yaml")) {
                    if (in == null) {
                        throw new IOException(name + ".yaml is missing from the unitpath jar");
                    }
                    Files.copy(in, dir.resolve(name + ".yaml"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Config.load(dir.resolve(nameOrPath + ".yaml"), overrides);
        } finally {
            Tempdirs.delete(dir);
        }
    }
}
