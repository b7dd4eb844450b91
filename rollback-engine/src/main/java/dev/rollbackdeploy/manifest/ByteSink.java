package dev.rollbackdeploy.manifest;

import java.util.Arrays;

/** An unsynchronised growable byte buffer: ByteArrayOutputStream locks on every byte. */
final class ByteSink {

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        bytes = new byte[capacity];
    }

    void write(int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = (byte) b;
    }

    /** Writes a string known to be ASCII. */
    void ascii(String text) {
        int length = text.length();
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
        }
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
