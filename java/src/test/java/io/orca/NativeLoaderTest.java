package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeLoaderTest {
    @Test
    void platformsAndTheUnsupportedMessage() {
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
        assertNull(NativeLoader.platform("Mac OS X", "aarch64"));
        assertNull(NativeLoader.platform("Linux", "aarch64"));
        String message = NativeLoader.unsupported("Windows 11", "amd64");
        assertTrue(message.contains("os.name=Windows 11"), message);
        assertTrue(message.contains("os.arch=amd64"), message);
        assertTrue(message.contains("linux-x86_64"), message);
        assertTrue(message.contains("-Dorca.library.path"), message);
    }

    @Test
    void theJarsLibraryIsAPrivateTemporaryCopy() {
        assertEquals("0.1.0", Engine.version()); // loads it
        assertNull(System.getProperty(NativeLoader.PATH_PROPERTY));
    }
}
