package io.jenkins.plugins.kubeplatform.sim.registry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Just enough of the ustar format to write a one-file layer and to list the entries of a pushed layer. */
final class Tarballs {

    private static final int BLOCK = 512;

    private Tarballs() {
    }

    /** An uncompressed tar holding {@code dir/} and one regular file (mode 0644, mtime 0). */
    static byte[] singleFile(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String dir = name.substring(0, name.lastIndexOf('/') + 1);
        if (!dir.isEmpty()) {
            out.writeBytes(header(dir, 0, 0755, '5'));
        }
        out.writeBytes(header(name, content.length, 0644, '0'));
        out.writeBytes(content);
        out.writeBytes(new byte[padding(content.length)]);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** Entry names of a gzipped tar, in order. */
    static List<String> entryNames(byte[] gzippedTar) {
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedTar))) {
            tar = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        int offset = 0;
        while (offset + BLOCK <= tar.length && tar[offset] != 0) {
            String name = field(tar, offset, 100);
            String prefix = field(tar, offset + 345, 155);
            long size = Long.parseLong(field(tar, offset + 124, 12).trim().isEmpty() ? "0"
                    : field(tar, offset + 124, 12).trim(), 8);
            char type = (char) tar[offset + 156];
            if (type == 'L') {
                // GNU long name: the next entry's name is the content of this one
                String longName = new String(tar, offset + BLOCK, (int) size - 1, StandardCharsets.UTF_8);
                offset += BLOCK + (int) size + padding(size);
                names.add(longName);
                size = Long.parseLong(field(tar, offset + 124, 12).trim(), 8);
                offset += BLOCK + (int) size + padding(size);
                continue;
            }
            if (type != 'x' && type != 'g') {
                names.add(prefix.isEmpty() ? name : prefix + "/" + name);
            }
            offset += BLOCK + (int) size + padding(size);
        }
        return names;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] header(String name, long size, int mode, char type) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name, 100);
        put(h, 100, octal(mode, 7), 8);
        put(h, 108, octal(0, 7), 8);
        put(h, 116, octal(0, 7), 8);
        put(h, 124, octal(size, 11), 12);
        put(h, 136, octal(0, 11), 12);
        h[156] = (byte) type;
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, octal(sum, 6) + "\0 ", 8);
        return h;
    }

    private static String octal(long value, int digits) {
        return String.format("%0" + digits + "o", value);
    }

    private static void put(byte[] block, int offset, String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, block, offset, Math.min(bytes.length, length));
    }

    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }
}
