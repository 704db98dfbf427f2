package org.unitpath.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unitpath.config.Config;

/** The configs packed in the jar (pretraining and fine-tuning recipes), so commands run from any folder. */
final class BundledConfigs {
    /** Bundled config name to its folder under {@code configs/}. */
    static final Map<String, String> FOLDERS = folders();
    static final List<String> NAMES = List.copyOf(FOLDERS.keySet());

    private BundledConfigs() {}

    private static Map<String, String> folders() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : List.of("quickstart", "stage1", "stage2", "pretrain-cpu")) {
            m.put(name, "pretrain");
        }
        m.put("kumar", "seg");
        m.put("kumar-quickstart", "seg");
        m.put("monuseg-cpu", "seg");
        return m;
    }

    /** A YAML file when {@code nameOrPath} is one, else the bundled config of that name. */
    static Config load(String nameOrPath, List<String> overrides) throws IOException {
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file)) {
            return Config.load(file, overrides);
        }
        String folder = FOLDERS.get(nameOrPath);
        if (folder == null) {
            throw new IllegalArgumentException("config '" + nameOrPath + "' is neither a file nor one of the bundled " + NAMES);
        }
        // stage2 names stage1 as its _BASE_ by relative path, so a folder's configs are unpacked side by side
        Path dir = Files.createTempDirectory("unitpath-configs");
        try {
            for (Map.Entry<String, String> e : FOLDERS.entrySet()) {
                if (!e.getValue().equals(folder)) {
                    continue;
                }
                String resource = "/configs/" + folder + "/" + e.getKey() + ".yaml";
                try (InputStream in = BundledConfigs.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException(resource + " is missing from the unitpath jar");
                    }
                    Files.copy(in, dir.resolve(e.getKey() + ".yaml"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Config.load(dir.resolve(nameOrPath + ".yaml"), overrides);
        } finally {
            Tempdirs.delete(dir);
        }
    }
}
