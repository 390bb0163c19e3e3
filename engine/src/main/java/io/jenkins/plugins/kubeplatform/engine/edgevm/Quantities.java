package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.Quantity;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Kubernetes quantities (memory and disk sizes such as 4Gi or 512Mi) as whole MiB / GiB. */
final class Quantities {

    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024);
    private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);

    private Quantities() {
    }

    static long mebibytes(String field, String text) {
        return whole(field, text, MIB, "Mi");
    }

    static long gibibytes(String field, String text) {
        return whole(field, text, GIB, "Gi");
    }

    private static long whole(String field, String text, BigDecimal unit, String unitName) {
        Require.nonBlank(field, text);
        BigDecimal bytes;
        try {
            bytes = Quantity.getAmountInBytes(new Quantity(text.trim()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidInputException(field, "must be a Kubernetes quantity such as 4Gi or 512Mi; got '"
                    + Require.printable(text) + "'");
        }
        if (bytes.signum() <= 0) {
            throw new InvalidInputException(field, "must be positive; got '" + Require.printable(text) + "'");
        }
        BigDecimal units = bytes.divide(unit, 0, RoundingMode.CEILING);
        if (units.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new InvalidInputException(field, "is too large; got '" + Require.printable(text) + "'");
        }
        return units.longValueExact();
    }

    static String mi(long mebibytes) {
        return mebibytes % 1024 == 0 ? (mebibytes / 1024) + "Gi" : mebibytes + "Mi";
    }
}
