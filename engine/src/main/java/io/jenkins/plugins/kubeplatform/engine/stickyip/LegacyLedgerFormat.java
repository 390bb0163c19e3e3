package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Reads a ledger written by versions before the binary format ({@code ledger-G.snapshot.json} plus
 * {@code ledger-G.journal} lines {@code <crc32> <json>}), once, so that it can be migrated.
 */
final class LegacyLedgerFormat {

    private static final String FORMAT = "kubeplatform-ip-ledger/1";
    private static final Pattern SNAPSHOT = Pattern.compile("ledger-(\\d+)\\.snapshot\\.json");
    private static final ObjectReader LINE_READER = Json.mapper().readerFor(JournalLine.class);

    /** One journal line as written: the changes of one decision. */
    record JournalLine(List<JournalEntry> changes) {
    }

    /** One change: exactly one of the two is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JournalEntry(Reservation put, String remove) {
    }

    private LegacyLedgerFormat() {
    }

    static LedgerTable read(Path dir) throws IOException {
        long generation = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SNAPSHOT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    generation = Math.max(generation, Long.parseLong(m.group(1)));
                }
            }
        }
        LedgerTable table = new LedgerTable();
        Path snapshot = dir.resolve("ledger-" + generation + ".snapshot.json");
        if (Files.exists(snapshot)) {
            try (JsonParser parser = Json.mapper().createParser(snapshot.toFile())) {
                readSnapshot(parser, table);
            } catch (IOException | RuntimeException e) {
                throw new StoreCorruptedException(snapshot, e);
            }
        }
        Path journal = dir.resolve("ledger-" + generation + ".journal");
        if (Files.exists(journal)) {
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.length() < 10 || line.charAt(8) != ' ') {
                    if (i == lines.size() - 1) {
                        break; // torn last line
                    }
                    throw new StoreCorruptedException(journal, new IOException("line " + (i + 1) + " is damaged"));
                }
                CRC32 crc = new CRC32();
                byte[] json = line.substring(9).getBytes(StandardCharsets.UTF_8);
                crc.update(json);
                if (!String.format(Locale.ROOT, "%08x", crc.getValue()).equals(line.substring(0, 8))) {
                    if (i == lines.size() - 1) {
                        break;
                    }
                    throw new StoreCorruptedException(journal, new IOException("line " + (i + 1) + " fails its checksum"));
                }
                try {
                    for (JournalEntry e : LINE_READER.<JournalLine>readValue(json).changes()) {
                        LedgerChange change = e.put() != null ? new LedgerChange.Put(e.put())
                                : new LedgerChange.Remove(e.remove());
                        table.check(List.of(change));
                        table.apply(change);
                    }
                } catch (IOException | RuntimeException e) {
                    throw new StoreCorruptedException(journal, new IOException("line " + (i + 1) + ": " + e.getMessage(), e));
                }
            }
        }
        return table;
    }

    private static void readSnapshot(JsonParser parser, LedgerTable table) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        String format = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("format".equals(field)) {
                format = parser.getValueAsString();
            } else if ("reservations".equals(field) && parser.currentToken() == JsonToken.START_ARRAY) {
                if (!FORMAT.equals(format)) {
                    throw new IOException("expected format '" + FORMAT + "' before the reservations");
                }
                ObjectReader reader = Json.mapper().readerFor(Reservation.class);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    LedgerChange change = new LedgerChange.Put(reader.readValue(parser));
                    table.check(List.of(change));
                    table.apply(change);
                }
            } else {
                parser.skipChildren();
            }
        }
        if (!FORMAT.equals(format)) {
            throw new IOException("expected format '" + FORMAT + "'");
        }
    }
}
