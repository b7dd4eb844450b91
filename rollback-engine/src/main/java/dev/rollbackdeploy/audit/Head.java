package dev.rollbackdeploy.audit;

import dev.rollbackdeploy.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The log's last entry, kept beside it ({@code <log>.head}) so that entries removed from the end,
 * which leave a valid shorter chain, still show. Written in place as one fixed-size block: a write
 * smaller than a disk sector is not torn, so no temp file and rename are needed.
 */
record Head(long seq, Digest hash) {

    static final int SIZE = 128;

    byte[] bytes() {
        byte[] block = new byte[SIZE];
        Arrays.fill(block, (byte) ' ');
        byte[] text = (seq + " " + hash).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, block, 0, text.length);
        block[SIZE - 1] = '\n';
        return block;
    }

    /** @throws IllegalArgumentException not a head block */
    static Head parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        String[] parts = text.split(" ");
        if (parts.length != 2 || !parts[0].matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("head must be '<seq> sha256:<hex>', got '" + text + "'");
        }
        return new Head(Long.parseLong(parts[0]), Digest.parse(parts[1]));
    }
}
