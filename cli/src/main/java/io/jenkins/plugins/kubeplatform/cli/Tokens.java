package io.jenkins.plugins.kubeplatform.cli;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Bearer tokens from files or the environment: one line of printable characters, remembered for redaction. */
final class Tokens {

    static final String TOKEN_ENV = "KUBEPLATFORM_TOKEN";

    private Tokens() {
    }

    /** The token in {@code file} (surrounding whitespace removed). */
    static String read(Path file, String field) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(field, "must name a readable file; could not read " + file);
        }
        return checked(content, field);
    }

    /** {@code KUBEPLATFORM_TOKEN}, if set. */
    static Optional<String> fromEnvironment(Map<String, String> environment) {
        String value = environment.get(TOKEN_ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(checked(value, TOKEN_ENV));
    }

    /** Rejects what no HTTP header can carry; the message never contains the token or a part of it. */
    static String checked(String raw, String field) {
        String token = raw.strip();
        Redaction.remember(raw);
        Redaction.remember(token);
        if (token.isEmpty()) {
            throw new InvalidInputException(field, "is empty; it must hold the token");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c == 0x7f || c > 0x7e) {
                throw new InvalidInputException(field, "the token contains "
                        + (c == '\n' || c == '\r' ? "a line break" : Character.isWhitespace(c) ? "white space"
                        : c > 0x7e ? "a non-ASCII character" : "a control character")
                        + " at position " + (i + 1) + " of " + token.length()
                        + "; a token is one line of printable ASCII (the value is not shown)");
            }
        }
        return token;
    }
}
