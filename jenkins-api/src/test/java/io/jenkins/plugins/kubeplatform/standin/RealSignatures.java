package io.jenkins.plugins.kubeplatform.standin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded signatures of the real Jenkins types, read from {@code real-signatures.txt}.
 * Format: a line {@code type <binary name>} opens a block; inside, {@code source <repository> <path>} names the
 * real file, {@code omits <text>} documents real supertypes or members the stand-in leaves out (not compared),
 * and every other line is compared with {@link Signatures#of}. Blank lines and {@code #} comments are ignored.
 */
record RealSignatures(Map<String, Entry> types) {

    record Entry(String name, String repository, String path, List<String> omits, List<String> lines) {
    }

    static RealSignatures load(String resource) throws IOException {
        Map<String, Entry> types = new LinkedHashMap<>();
        try (InputStream in = RealSignatures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            String name = null;
            String repository = null;
            String path = null;
            List<String> omits = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("type ")) {
                    if (name != null) {
                        put(types, new Entry(name, repository, path, omits, lines));
                    }
                    name = line.substring(5).strip();
                    repository = null;
                    path = null;
                    omits = new ArrayList<>();
                    lines = new ArrayList<>();
                } else if (name == null) {
                    throw new IOException("line outside a type block: " + line);
                } else if (line.startsWith("source ")) {
                    String[] parts = line.substring(7).strip().split("\\s+");
                    if (parts.length != 2) {
                        throw new IOException("source needs <repository> <path>: " + line);
                    }
                    repository = parts[0];
                    path = parts[1];
                } else if (line.startsWith("omits ")) {
                    omits.add(line.substring(6).strip());
                } else {
                    lines.add(line);
                }
            }
            if (name != null) {
                put(types, new Entry(name, repository, path, omits, lines));
            }
        }
        return new RealSignatures(types);
    }

    private static void put(Map<String, Entry> types, Entry entry) throws IOException {
        if (types.put(entry.name(), entry) != null) {
            throw new IOException("type recorded twice: " + entry.name());
        }
    }
}
