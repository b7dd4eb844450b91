package dev.rollbackdeploy.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a target key or a job full name into one safe file name, injectively: lowercase ASCII
 * letters, digits, '-' and '_' stay; every other UTF-8 byte becomes {@code %XX} with upper-case hex.
 * Upper-case letters are encoded too, so two names never collide on a case-insensitive file system
 * (a literal is always lower-case, an escape always starts with '%'), and '.' is encoded so that no
 * name can be "." or ".." or look like a temp or lock file. Example: {@code team/Shop} becomes
 * {@code team%2F%53hop}.
 */
final class PathEncoding {

    /** Most file systems allow 255 bytes per name. */
    static final int MAX_ENCODED = 255;

    private PathEncoding() {
    }

    static String encode(String field, String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (out.length() > MAX_ENCODED) {
            throw new IllegalArgumentException(field + " '" + name + "' encodes to a file name of " + out.length()
                    + " characters, more than the " + MAX_ENCODED + " file systems allow; use a shorter name");
        }
        return out.toString();
    }

    /**
     * The name a file name was encoded from, or empty when it is not an encoding ({@link #encode}'s
     * output only): a file someone put into the store by hand.
     */
    static Optional<String> decode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.write(c);
            } else if (c == '%' && i + 2 < encoded.length() && isUpperHex(encoded.charAt(i + 1))
                    && isUpperHex(encoded.charAt(i + 2))) {
                out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        String name = out.toString(StandardCharsets.UTF_8);
        return name.isEmpty() || !encoded.equals(encode("name", name)) ? Optional.empty()
                : Optional.of(name);
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
