package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.Optional;
import java.util.function.Consumer;

/** What the IPv4 and IPv6 range parsers share: reporting a parse failure, and reading a CIDR's prefix length. */
final class RangeText {

    private RangeText() {
    }

    /** Why {@code parse} refuses {@code text}; empty when it accepts it. */
    static Optional<String> problem(Consumer<String> parse, String text) {
        try {
            parse.accept(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The prefix length after the {@code /} at {@code slash} of {@code text}, between 0 and {@code max}.
     *
     * @param wanted the lengths the caller accepts, for the message when no number follows the slash
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    static int prefix(String text, int slash, int max, String wanted) {
        String digits = text.substring(slash + 1);
        int prefix;
        try {
            prefix = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length " + wanted + " after '/'");
        }
        if (prefix < 0 || prefix > max || digits.startsWith("+")) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
        }
        return prefix;
    }
}
