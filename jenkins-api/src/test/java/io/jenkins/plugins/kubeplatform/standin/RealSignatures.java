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
 * real file (optionally {@code @<commit>} or {@code @id:<n>}: the stored version read), {@code omits <text>}
 * documents real supertypes or members the stand-in leaves out and {@code note <text>} how the version read relates
 * to the baseline (neither is compared), and every other line is compared with {@link Signatures#of}. Blank lines and {@code #} comments are ignored.
 */
record RealSignatures(Map<String, Entry> types) {

    /**
     * One recorded type. {@code version} is the stored source version the lines were checked against: a 40-digit
     * commit of the real repository, or {@code id:<n>} for a stored file version whose commit the source index does
     * not expose (empty when the block names none); {@code notes} say how that version relates to the baseline.
     */
    record Entry(String name, String repository, String path, String version, List<String> omits, List<String> notes,
            List<String> lines) {
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
            String version = "";
            List<String> omits = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("type ")) {
                    if (name != null) {
                        put(types, new Entry(name, repository, path, version, omits, notes, lines));
                    }
                    name = line.substring(5).strip();
                    repository = null;
                    path = null;
                    version = "";
                    omits = new ArrayList<>();
                    notes = new ArrayList<>();
                    lines = new ArrayList<>();
                } else if (name == null) {
                    throw new IOException("line outside a type block: " + line);
                } else if (line.startsWith("source ")) {
                    String[] parts = line.substring(7).strip().split("\\s+");
                    if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].startsWith("@"))) {
                        throw new IOException("source needs <repository> <path> [@<commit>|@id:<n>]: " + line);
                    }
                    repository = parts[0];
                    path = parts[1];
                    version = parts.length == 3 ? parts[2].substring(1) : "";
                } else if (line.startsWith("omits ")) {
                    omits.add(line.substring(6).strip());
                } else if (line.startsWith("note ")) {
                    notes.add(line.substring(5).strip());
                } else {
                    lines.add(line);
                }
            }
            if (name != null) {
                put(types, new Entry(name, repository, path, version, omits, notes, lines));
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
