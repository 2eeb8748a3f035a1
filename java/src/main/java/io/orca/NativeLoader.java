package io.orca;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads liborca_jni.so once: the file that {@code -Dorca.library.path=FILE} names, else the copy
 * inside the jar, extracted to a private temporary file (owner-only, deleted when the VM exits).
 */
final class NativeLoader {
    static final String PATH_PROPERTY = "orca.library.path";
    static final String PLATFORM = "linux-x86_64";
    static final String RESOURCE = "/native/" + PLATFORM + "/liborca_jni.so";

    private static boolean loaded;

    private NativeLoader() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String path = System.getProperty(PATH_PROPERTY);
        if (path != null && !path.isEmpty()) {
            System.load(Path.of(path).toAbsolutePath().toString());
        } else {
            System.load(extract().toString());
        }
        loaded = true;
    }

    /** The platform this VM runs on in the jar's naming, or null when the jar carries none for it. */
    static String platform(String osName, String osArch) {
        boolean linux = osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux");
        boolean x86_64 = osArch.equals("amd64") || osArch.equals("x86_64");
        return linux && x86_64 ? PLATFORM : null;
    }

    static String unsupported(String osName, String osArch) {
        return "Orca has no native library for os.name=" + osName + ", os.arch=" + osArch + "; this jar supports "
                + PLATFORM + " only (or set -D" + PATH_PROPERTY + "=FILE to a liborca_jni.so built for it)";
    }

    private static Path extract() {
        String osName = System.getProperty("os.name");
        String osArch = System.getProperty("os.arch");
        if (platform(osName, osArch) == null) {
            throw new UnsatisfiedLinkError(unsupported(osName, osArch));
        }
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("the jar lacks " + RESOURCE + " (built without native.sh?)");
            }
            Path file = Files.createTempFile("orca_jni", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract Orca's native library: " + e);
            error.initCause(e);
            throw error;
        }
    }
}
