package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Files.createDirectories(dir.resolve(n).getParent());
            Files.writeString(dir.resolve(n), "x");
        }
    }

    @Test
    void classesAreSortedFolderNamesAndItemsFollowThem() throws IOException {
        touch("TUM/b.tif", "TUM/a.TIF", "ADI/z.png", "ADI/notes.txt", "ADI/.hidden.png", "MUS/c.jpeg");
        ImageFolder f = ImageFolder.scan(dir);
        assertEquals(List.of("ADI", "MUS", "TUM"), f.classes());
        assertEquals(List.of(dir.resolve("ADI/z.png"), dir.resolve("MUS/c.jpeg"), dir.resolve("TUM/a.TIF"),
                dir.resolve("TUM/b.tif")), f.files());
        assertArrayEquals(new int[] {0, 1, 2, 2}, f.labels());
        assertEquals(List.of(dir.resolve("TUM/b.tif")), f.subset(new int[] {3}).files());
    }

    @Test
    void aTestSetUsesTheTrainingClassIndices() throws IOException {
        touch("test/TUM/a.png");
        ImageFolder f = ImageFolder.scan(dir.resolve("test"), List.of("ADI", "TUM"));
        assertArrayEquals(new int[] {1}, f.labels());
        touch("test/NEW/a.png");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.scan(dir.resolve("test"), List.of("ADI", "TUM")));
        assertTrue(e.getMessage().contains("class 'NEW' is not one of the training classes [ADI, TUM]"), e.getMessage());
    }

    @Test
    void badLayoutsAreExplained() throws IOException {
        touch("flat/a.png");
        IOException flat = assertThrows(IOException.class, () -> ImageFolder.scan(dir.resolve("flat")));
        assertTrue(flat.getMessage().contains("no class folders") && flat.getMessage().contains("found images directly"),
                flat.getMessage());
        touch("ds/ADI/a.png");
        Files.createDirectories(dir.resolve("ds/EMPTY"));
        IOException empty = assertThrows(IOException.class, () -> ImageFolder.scan(dir.resolve("ds")));
        assertTrue(empty.getMessage().startsWith(dir.resolve("ds/EMPTY") + ": class folder holds no images"), empty.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageFolder.scan(dir.resolve("missing")));
    }
}
