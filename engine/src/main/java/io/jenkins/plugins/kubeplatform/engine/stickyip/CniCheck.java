package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.Locale;
import java.util.Optional;

/** What a deploy does when a pool's addresses are not kept from the CNI's automatic assignment (SIP-13). */
public enum CniCheck {
    /** Fail before anything is reserved or applied, with the object to create (default). */
    ENFORCE,
    /** Print the finding and the object to create, then deploy. */
    WARN,
    /** Do not check (for CNIs or clusters the check cannot read). */
    OFF;

    public static Optional<CniCheck> fromConfig(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(ENFORCE);
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> Optional.of(ENFORCE);
            case "warn" -> Optional.of(WARN);
            case "off" -> Optional.of(OFF);
            default -> Optional.empty();
        };
    }
}
