package org.unitpath.io.slide;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenSlide C library (libopenslide), reached through JNA and loaded on first use, so that
 * unitpath runs without it: nothing here throws when the class loads, and {@link #isAvailable()}
 * says whether the library was found. OpenSlide is an optional backend for slide formats that no
 * Java library reads (Hamamatsu, MIRAX, Leica, Ventana, Philips, Sakura).
 */
public final class OpenSlideLibrary {
    /** The C functions used, declared as in openslide.h (OpenSlide 3.4 and 4.x). */
    interface Api extends Library {
        String openslide_get_version();

        String openslide_detect_vendor(String filename);

        Pointer openslide_open(String filename);

        String openslide_get_error(Pointer osr);

        int openslide_get_level_count(Pointer osr);

        void openslide_get_level_dimensions(Pointer osr, int level, LongByReference w, LongByReference h);

        double openslide_get_level_downsample(Pointer osr, int level);

        String openslide_get_property_value(Pointer osr, String name);

        void openslide_read_region(Pointer osr, Pointer dest, long x, long y, int level, long w, long h);

        void openslide_close(Pointer osr);
    }

    /** What the install hint in error messages and {@code unitpath info} tells the user to do. */
    public static final String INSTALL_HINT = "apt-get install libopenslide0";

    /**
     * Names tried in turn. JNA maps "openslide" to libopenslide.so / .dylib / openslide.dll, but
     * Linux distributions ship only the versioned soname without a -dev package: .so.0 for
     * OpenSlide 3.x, .so.1 for 4.x; libopenslide-1.dll is the name of the Windows builds.
     */
    private static final List<String> DEFAULT_NAMES =
            List.of("openslide", "libopenslide.so.1", "libopenslide.so.0", "libopenslide.1.dylib", "libopenslide-1");

    /** A library name or path to try first, for an OpenSlide installed outside the loader's search path. */
    static final String LIBRARY_PROPERTY = "unitpath.openslide.library";

    private record State(Api api, String version, String problem) {}

    private static List<String> names = DEFAULT_NAMES;
    private static State state;

    private OpenSlideLibrary() {}

    /** Whether libopenslide could be loaded. */
    public static boolean isAvailable() {
        return state().api != null;
    }

    /** OpenSlide's version string (e.g. "3.4.1"), when the library is loaded. */
    public static Optional<String> version() {
        return Optional.ofNullable(state().version);
    }

    /** Why the library is not available (null when it is). */
    public static String problem() {
        return state().problem;
    }

    /** The bound library, or null when it is absent. */
    static Api api() {
        return state().api;
    }

    /**
     * Replaces the names tried and forgets the loaded library (the native library stays mapped):
     * lets tests see how unitpath behaves on a machine without OpenSlide. {@code null} restores the defaults.
     */
    static synchronized void useNames(List<String> libraryNames) {
        names = libraryNames == null ? DEFAULT_NAMES : List.copyOf(libraryNames);
        state = null;
    }

    private static synchronized State state() {
        if (state == null) {
            state = load();
        }
        return state;
    }

    private static State load() {
        List<String> tried = new ArrayList<>();
        String custom = System.getProperty(LIBRARY_PROPERTY);
        if (custom != null && !custom.isBlank() && names == DEFAULT_NAMES) {
            tried.add(custom.trim());
        }
        tried.addAll(names);
        String firstError = null;
        for (String name : tried) {
            try {
                // OpenSlide takes file names and returns property values as UTF-8 on every platform
                Map<String, ?> options = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");
                NativeLibrary lib = NativeLibrary.getInstance(name, options);
                // JNA binds functions at their first call: look them all up now, so that an OpenSlide
                // older than 3.4 (no openslide_detect_vendor) counts as absent instead of failing later
                for (Method m : Api.class.getDeclaredMethods()) {
                    lib.getFunction(m.getName());
                }
                Api api = Native.load(name, Api.class, options);
                return new State(api, api.openslide_get_version(), null);
            } catch (LinkageError | RuntimeException e) {
                // LinkageError also covers JNA's own native part missing for this platform
                if (firstError == null) {
                    firstError = name + ": " + brief(e.getMessage());
                }
            }
        }
        return new State(null, null, "no library found (tried " + String.join(", ", tried) + "; " + firstError + ")");
    }

    /** JNA's load error on one line: its first line names the library, the second says why (dlopen's words). */
    private static String brief(String message) {
        if (message == null) {
            return "no message";
        }
        String[] lines = message.strip().split("\\R", 3);
        return lines.length < 2 ? lines[0] : lines[0] + " " + lines[1].strip();
    }
}
